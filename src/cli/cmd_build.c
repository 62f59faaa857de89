/*
 * cmd_build.c - `initramfs build`: sources in, one newc image out.
 * Option parsing and messages only; the work is in src/image.
 */
#include "base/atomic_file.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/build.h"
#include "image/source.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_ROOT_UID = 256, OPT_ROOT_GID, OPT_SQUASH, OPT_MTIME, OPT_CRC, OPT_ALIGN };

static const struct opt_def build_opts[] = {
	{ "output", 'o', "FILE", "write the image to FILE ('-': standard output)" },
	{ "root-uid", OPT_ROOT_UID, "UID", "store files owned by UID as owned by 0" },
	{ "root-gid", OPT_ROOT_GID, "GID", "store files of group GID as group 0" },
	{ "squash", OPT_SQUASH, NULL, "store every owner and group as 0" },
	{ "mtime", OPT_MTIME, "T", "no mtime later than T (seconds since 1970)" },
	{ "crc", OPT_CRC, NULL, "write 070702 records with data checksums" },
	{ "data-align", OPT_ALIGN, "N", "start the data of files over N bytes at a multiple of N" },
	{ 0 },
};

static const struct cmd_def build_cmd = {
	"build", "[options] SOURCE...",
	"Write a newc cpio image (an initramfs) from the sources, in order.",
	"A SOURCE is a directory (every path below it, sorted byte-wise,\n"
	"hard links kept), a list file in gen_init_cpio's language (see\n"
	"initramfs-list(5); '-' reads it from standard input), or an existing\n"
	"image, appended as it is. Parent directories that a name needs and\n"
	"no source gives are added (mode 0755, owner 0).\n\n"
	"SOURCE_DATE_EPOCH in the environment acts as --mtime. Entries without\n"
	"an mtime of their own (list-file directories, symlinks, devices) get\n"
	"T, or the current time when no T is given.\n\n"
	"Example:\n"
	"  initramfs build -o initrd.img --squash rootfs/ extra.list\n",
	build_opts,
};

struct build_cli {
	const char *output;
	struct build_options opt;
};

static int
set_build_opt(void *ctx, int key, const char *arg)
{
	struct build_cli *c = ctx;
	long long v = 0;

	switch (key) {
	case 'o':
		c->output = arg;
		return 0;
	case OPT_SQUASH:
		c->opt.squash = true;
		return 0;
	case OPT_CRC:
		c->opt.crc = true;
		return 0;
	case OPT_ROOT_UID:
	case OPT_ROOT_GID:
	case OPT_MTIME:
	case OPT_ALIGN:
		v = cli_number(arg, UINT32_MAX);
		break;
	}
	if (v < 0 || (key == OPT_ALIGN && (v == 0 || v % 4))) {
		cli_error(&build_cmd, "invalid value '%s'%s", arg,
			  key == OPT_ALIGN ? ": must be a positive multiple of 4" :
					     ": must be a number from 0 to 4294967295");
		return -1;
	}
	if (key == OPT_ROOT_UID)
		c->opt.root_uid = v;
	else if (key == OPT_ROOT_GID)
		c->opt.root_gid = v;
	else if (key == OPT_MTIME)
		c->opt.mtime = v;
	else
		c->opt.data_align = (uint32_t)v;
	return 0;
}

static int
apply_source_date_epoch(struct build_cli *c)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long v;

	if (c->opt.mtime < 0 && sde && *sde) {
		v = cli_number(sde, UINT32_MAX);
		if (v < 0) {
			cli_error(&build_cmd, "SOURCE_DATE_EPOCH='%s' is not a number of seconds", sde);
			return -1;
		}
		c->opt.mtime = v;
	}
	c->opt.clamp_mtime = c->opt.mtime >= 0;
	return 0;
}

static int
run_build(struct build_cli *c, int nsources, char **sources)
{
	struct atomic_file out;
	struct builder b;
	int rc = atomic_open(&out, c->output, 0644);

	if (rc < 0) {
		cli_error(&build_cmd, "%s: %s", c->output, strerror(-rc));
		return 1;
	}
	builder_init(&b, out.fd, &c->opt);
	for (int i = 0; i < nsources && rc == 0; i++)
		rc = source_add(&b, sources[i]);
	if (rc == 0)
		rc = builder_finish(&b);
	if (rc == 0 && (rc = atomic_commit(&out)) < 0)
		es_fail(&b.err, -rc, "%s: %s", c->output, strerror(-rc));
	if (rc < 0) {
		cli_error(&build_cmd, "%s", b.err.msg);
		atomic_abort(&out);
	}
	builder_free(&b);
	return rc < 0 ? 1 : 0;
}

int
cmd_build(int argc, char **argv)
{
	struct build_cli c = {
		.output = "-",
		.opt = { .mtime = -1, .root_uid = -1, .root_gid = -1,
			 .warn = cli_warn, .warn_ctx = (void *)&build_cmd },
	};
	int first = opts_parse(&build_cmd, argc, argv, set_build_opt, &c);

	if (first >= argc) {
		cli_error(&build_cmd, "no SOURCE given");
		fprintf(stderr, "Try 'initramfs build --help'.\n");
		return 2;
	}
	if (apply_source_date_epoch(&c) < 0)
		return 2;
	if (strcmp(c.output, "-") == 0 && isatty(STDOUT_FILENO)) {
		cli_error(&build_cmd, "refusing to write an image to a terminal; use -o FILE");
		return 2;
	}
	return run_build(&c, argc - first, argv + first);
}
