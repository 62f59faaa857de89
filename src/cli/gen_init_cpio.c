/*
 * gen_init_cpio.c - the kernel's usr/gen_init_cpio, command line and all.
 *
 *   gen_init_cpio [-t timestamp] [-c] [-o output] [-a data_align] <cpio_list>
 *
 * Same output bytes, messages and exit codes as the kernel's program
 * (v6.18 for -o and -a; -t also sets the mtime of regular files, as in
 * newer kernels). Deliberate differences, all on input the kernel
 * program mishandles: a negative uid/gid or a value out of range is an
 * error instead of a 16-digit header field; a directive with nothing
 * after it is an error instead of a crash; with -o, a failed run leaves
 * no output file (the kernel's leaves a partial one).
 */
#include "base/atomic_file.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/build.h"
#include "image/list_parse.h"
#include "image/source.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
usage(const char *prog)
{
	fprintf(stderr,
		"Usage:\n"
		"\t%s [-t <timestamp>] [-c] [-o <output_file>] [-a <data_align>] <cpio_list>\n"
		"\n"
		"<cpio_list> is a file (or '-' for standard input) of lines:\n"
		"\n"
		"# a comment\n"
		"file <name> <location> <mode> <uid> <gid> [<hard links>]\n"
		"dir <name> <mode> <uid> <gid>\n"
		"nod <name> <mode> <uid> <gid> <dev_type> <maj> <min>\n"
		"slink <name> <target> <mode> <uid> <gid>\n"
		"pipe <name> <mode> <uid> <gid>\n"
		"sock <name> <mode> <uid> <gid>\n"
		"\n"
		"<location> may use ${VAR} from the environment; <mode> is octal;\n"
		"<dev_type> is b (block) or c (character).\n"
		"\n"
		"-t <timestamp>  mtime (seconds since the Epoch) for every entry;\n"
		"                default: the current time, files their own\n"
		"-c              write 070702 records with data checksums\n"
		"-o <file>       write the archive to <file> instead of stdout\n"
		"-a <align>      align the data of files larger than <align>\n"
		"                (a multiple of 4) by padding their names\n",
		prog);
}

struct gic {
	const char *prog;
	const char *output;
	struct build_options opt;
	struct builder b;
	int ec;
};

static void
gic_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static int
parse_args(struct gic *g, int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "t:co:a:h")) != -1) {
		char *end;
		long long v;

		switch (opt) {
		case 't':
			errno = 0;
			v = strtoll(optarg, &end, 10);
			if (!*optarg || *end) {
				fprintf(stderr, "Invalid timestamp: %s\n", optarg);
				usage(g->prog);
				exit(1);
			}
			if (v < 0 || v > UINT32_MAX || errno) {
				fprintf(stderr, "ERROR: Timestamp out of range for cpio format\n");
				exit(1);
			}
			g->opt.mtime = v;
			g->opt.force_mtime = true;
			break;
		case 'c':
			g->opt.crc = true;
			break;
		case 'o':
			g->output = optarg;
			break;
		case 'a':
			v = strtoll(optarg, &end, 10);
			/* 0 means none, as in the kernel's program */
			if (!*optarg || *end || v < 0 || v % 4 || v > UINT32_MAX) {
				fprintf(stderr, "Invalid data_align: %s\n", optarg);
				usage(g->prog);
				exit(1);
			}
			g->opt.data_align = (uint32_t)v;
			break;
		default:
			usage(g->prog);
			exit(opt == 'h' ? 0 : 1);
		}
	}
	if (argc - optind != 1) {
		usage(g->prog);
		exit(1);
	}
	return optind;
}

/* The messages of the kernel program's handlers, word for word. */
static void
bad_fields(const struct list_item *it, int line)
{
	switch (it->kind) {
	case LK_FILE:
	case LK_NOD:
		fprintf(stderr, "Unrecognized %s format '%s'", it->type, it->args);
		break;
	case LK_SLINK:	/* sic: the kernel's slink handler says "dir" */
		fprintf(stderr, "Unrecognized dir format '%s'", it->args);
		break;
	default:	/* sic: arguments and type swapped */
		fprintf(stderr, "Unrecognized %s format '%s'", it->args, it->type);
	}
	fprintf(stderr, " line %d\n", line);
}

/* Returns false when the run must stop. */
static bool
handle_line(struct gic *g, struct list_parser *p, enum list_status st,
	    const struct list_item *it)
{
	switch (st) {
	case LIST_BLANK:
		return true;
	case LIST_NO_TYPE:
		fprintf(stderr, "ERROR: incorrect format, could not locate file type line %d: '%s'\n",
			p->lineno, p->line);
		g->ec = -1;
		return false;
	case LIST_NO_ARGS:
		fprintf(stderr, "ERROR: incorrect format, newline required line %d: '%s'\n",
			p->lineno, it->type);
		g->ec = -1;
		/* the kernel's program still looks the type up */
		if (!list_kind_known(it->type))
			fprintf(stderr, "unknown file type line %d: '%s'\n", p->lineno,
				it->type);
		return true;
	case LIST_UNKNOWN_TYPE:
		fprintf(stderr, "unknown file type line %d: '%s'\n", p->lineno, it->type);
		return true;
	case LIST_BAD_FIELDS:
		bad_fields(it, p->lineno);
		g->ec = -1;
		return true;
	case LIST_BAD_VALUE:
		fprintf(stderr, "ERROR: %s: '%s' line %d\n", it->why, it->args, p->lineno);
		g->ec = -1;
		return true;
	case LIST_READ_ERROR:
		fprintf(stderr, "ERROR: reading the list: %s\n", strerror(it->err));
		g->ec = -1;
		return false;
	default:
		break;
	}
	if (add_list_item(&g->b, it, BUILD_NO_MTIME) < 0) {
		fprintf(stderr, "%s line %d\n", g->b.err.msg, p->lineno);
		es_clear(&g->b.err);
		g->ec = -1;
		return g->b.out.err == 0;
	}
	return true;
}

static int
run(struct gic *g, FILE *list)
{
	struct atomic_file out;
	struct list_parser p;
	struct list_item it;
	enum list_status st;
	int rc = atomic_open(&out, g->output, 0644);

	if (rc < 0) {
		fprintf(stderr, "failed to open %s\n", g->output);
		usage(g->prog);
		return 1;
	}
	builder_init(&g->b, out.fd, &g->opt);
	list_parser_init(&p, list, true);
	while ((st = list_next(&p, &it)) != LIST_EOF)
		if (!handle_line(g, &p, st, &it))
			break;
	if (g->ec == 0 && builder_finish(&g->b) < 0)
		g->ec = -1;
	else if (g->ec != 0 && out_flush(&g->b.out) < 0)
		g->ec = -1;
	if (g->b.out.err)
		fprintf(stderr, "writing the archive failed: %s\n", strerror(g->b.out.err));
	if (g->ec == 0 && atomic_commit(&out) < 0) {
		fprintf(stderr, "ERROR: unable to write '%s': %s\n", g->output, strerror(errno));
		g->ec = -1;
	}
	if (g->ec != 0)
		atomic_abort(&out);
	list_parser_free(&p);
	builder_free(&g->b);
	return g->ec & 0xff;
}

int
gen_init_cpio_main(int argc, char **argv)
{
	struct gic g = {
		.prog = argv[0], .output = "-",
		.opt = { .compat = true, .mtime = -1, .root_uid = -1, .root_gid = -1,
			 .warn = gic_warn },
	};
	const char *name = argv[parse_args(&g, argc, argv)];
	FILE *list = strcmp(name, "-") == 0 ? stdin : fopen(name, "re");
	int ec;

	if (!list) {
		fprintf(stderr, "ERROR: unable to open '%s': %s\n\n", name, strerror(errno));
		usage(g.prog);
		return 1;
	}
	ec = run(&g, list);
	if (list != stdin)
		fclose(list);
	return ec;
}
