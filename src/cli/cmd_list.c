/*
 * cmd_list.c - `initramfs list`: names (like cpio -t), a long listing,
 * or a list file that rebuilds the image (--spec).
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/image_reader.h"
#include "image/spec.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { OPT_SPEC = 256, OPT_DATA_DIR, OPT_MEMBER };

static const struct opt_def list_opts[] = {
	{ "long", 'l', NULL, "type, mode, links, owner, size, mtime, name -> target" },
	{ "spec", OPT_SPEC, NULL, "write a list file (initramfs-list(5)) that rebuilds the image" },
	{ "data-dir", OPT_DATA_DIR, "DIR", "with --spec: file data is under DIR (default: .)" },
	OPT_MEMBER_DEF(OPT_MEMBER),
	{ 0 },
};

static const struct cmd_def list_cmd = {
	"list", "[options] IMAGE",
	"List the entries of an image ('-': standard input) in archive order.",
	"Entries the kernel would skip are reported on standard error, not\n"
	"listed. --spec keeps mtimes and hard links (with the `mtime` and\n"
	"`hardlink` lines of initramfs-list(5)), so the rebuild of an image we\n"
	"wrote gives the same bytes. Example, to edit an image:\n"
	"  initramfs extract initrd.img root && initramfs list --spec\n"
	"    --data-dir root initrd.img > initrd.list && initramfs build\n"
	"    -o new.img initrd.list\n",
	list_opts,
};

struct list_cli {
	enum { NAMES, LONG, SPEC } mode;
	const char *data_dir;
	int first, last;	/* --member */
};

static int
set_list_opt(void *ctx, int key, const char *arg)
{
	struct list_cli *c = ctx;

	if (key == OPT_MEMBER)
		return cli_member_range(&list_cmd, arg, &c->first, &c->last);
	if (key == 'l')
		c->mode = LONG;
	else if (key == OPT_SPEC)
		c->mode = SPEC;
	else
		c->data_dir = arg;
	return 0;
}

static void
mode_string(uint32_t mode, char out[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";
	const char *rwx = "rwxrwxrwx";

	out[0] = types[(mode >> 12) & 15];
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
	if (mode & S_ISUID)
		out[3] = mode & S_IXUSR ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = mode & S_IXGRP ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = mode & S_IXOTH ? 't' : 'T';
	out[10] = '\0';
}

static void
print_long(const struct cpio_entry *e)
{
	char mode[11], when[32], size[32];
	time_t t = e->h.mtime;
	struct tm tm;

	mode_string(e->h.mode, mode);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
	if (S_ISCHR(e->h.mode) || S_ISBLK(e->h.mode))
		snprintf(size, sizeof(size), "%u, %u", e->h.rdevmajor, e->h.rdevminor);
	else
		snprintf(size, sizeof(size), "%u", e->h.filesize);
	printf("%s %3u %-8u %-8u %10s %s %s", mode, e->h.nlink, e->h.uid,
	       e->h.gid, size, when, e->name);
	if (e->target)
		printf(" -> %s", e->target);
	putchar('\n');
}

static int
list_image(struct list_cli *c, const char *path)
{
	static char buf[1 << 16];
	struct image_reader r;
	struct cpio_entry e;
	struct spec_writer spec;
	int rc;

	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	spec_init(&spec, stdout, c->data_dir);
	rc = image_open(&r, path);
	r.threaded = false;	/* nothing to overlap decoding with */
	image_select(&r, c->first, c->last);
	while (rc == 0 && (rc = image_next(&r, &e)) == 0) {
		if (e.skip) {
			fprintf(stderr, "initramfs list: warning: %s: offset %llu: '%s' skipped as the kernel does: %s\n",
				path, (unsigned long long)e.offset, e.name,
				cpio_skip_reason(e.skip));
			continue;
		}
		if (c->mode == SPEC)
			spec_entry(&spec, &e);
		else if (e.trailer)
			continue;
		else if (c->mode == LONG)
			print_long(&e);
		else
			puts(e.name);
	}
	spec_finish(&spec);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(&list_cmd, "writing the listing failed");
		rc = -1;
	} else if (rc < 0) {
		cli_error(&list_cmd, "%s: %s", path, r.err.msg);
	}
	image_close(&r);
	return rc < 0 ? 1 : 0;
}

int
cmd_list(int argc, char **argv)
{
	struct list_cli c = { .mode = NAMES, .data_dir = ".", .last = -1 };
	int first = opts_parse(&list_cmd, argc, argv, set_list_opt, &c);

	if (argc - first != 1) {
		cli_error(&list_cmd, "expected one IMAGE");
		fprintf(stderr, "Try 'initramfs list --help'.\n");
		return 2;
	}
	return list_image(&c, argv[first]);
}
