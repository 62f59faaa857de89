/*
 * cmd_extract.c - `initramfs extract`: unpack an image into a directory
 * the way the kernel unpacks it into rootfs, never writing outside it.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/extract.h"

#include <stdbool.h>
#include <stdio.h>

enum { OPT_MEMBER = 256 };

static const struct opt_def extract_opts[] = {
	{ "verbose", 'v', NULL, "print each name as it is extracted" },
	OPT_MEMBER_DEF(OPT_MEMBER),
	{ 0 },
};

static const struct cmd_def extract_cmd = {
	"extract", "[options] IMAGE [DIR]",
	"Unpack an image ('-': standard input) into DIR (default: .).",
	"Leading '/' are dropped; names with a '..' component or reached through\n"
	"a symlink are refused. Owners are kept and devices made only when\n"
	"running as root; otherwise setuid and setgid bits are dropped.\n"
	"The exit status is 1 if any entry was not extracted. On a damaged\n"
	"image, what came before the damage stays extracted, as in the kernel.\n",
	extract_opts,
};

struct extract_cli {
	bool verbose;
	int first, last;	/* --member */
};

static int
set_extract_opt(void *ctx, int key, const char *arg)
{
	struct extract_cli *c = ctx;

	if (key == OPT_MEMBER)
		return cli_member_range(&extract_cmd, arg, &c->first, &c->last);
	c->verbose = true;
	return 0;
}

int
cmd_extract(int argc, char **argv)
{
	struct extract_cli c = { .last = -1 };
	int first = opts_parse(&extract_cmd, argc, argv, set_extract_opt, &c);
	unsigned done = 0;
	const char *image, *dir;
	struct image_reader r;
	struct extractor x;
	struct cpio_entry e;
	int rc;

	if (argc - first < 1 || argc - first > 2) {
		cli_error(&extract_cmd, "expected IMAGE [DIR]");
		fprintf(stderr, "Try 'initramfs extract --help'.\n");
		return 2;
	}
	image = argv[first];
	dir = argc - first == 2 ? argv[first + 1] : ".";
	if (image_open(&r, image) < 0) {
		cli_error(&extract_cmd, "%s: %s", image, r.err.msg);
		return 1;
	}
	if (extract_init(&x, dir) < 0) {
		cli_error(&extract_cmd, "%s", x.err.msg);
		image_close(&r);
		return 1;
	}
	x.warn = cli_warn;
	x.warn_ctx = (void *)&extract_cmd;
	image_select(&r, c.first, c.last);
	while ((rc = image_next(&r, &e)) == 0) {
		if (c.verbose && !e.trailer && !e.skip)
			fprintf(stderr, "%s\n", e.name);
		if ((rc = extract_entry(&x, &r, &e)) < 0)
			break;
		done += !e.trailer;	/* a skipped one is counted refused */
	}
	if (rc < 0) {
		cli_error(&extract_cmd, "%s: %s", image,
			  es_failed(&r.err) ? r.err.msg : x.err.msg);
		cli_error(&extract_cmd, "the %u entries before the error stay extracted in %s",
			  done - x.refused, dir);
	}
	if (extract_finish(&x) < 0 && rc >= 0)
		rc = -1;
	if (rc >= 0 && x.refused)
		cli_error(&extract_cmd, "entries not extracted: %u", x.refused);
	image_close(&r);
	return rc < 0 || x.refused ? 1 : 0;
}
