/*
 * fstype.c - the fstype applet: klibc's fstype (usr/kinit/fstype),
 * which initramfs scripts run as `eval $(fstype DEVICE)`.
 *
 *   fstype [-v] [FILE|-]
 *
 * Prints FSTYPE=<type> and FSSIZE=<bytes> for the filesystem on FILE
 * (standard input for - or no FILE): "FSTYPE=unknown" and "FSSIZE=0"
 * when nothing is recognised. Exit 0 identified, 1 unknown (or a usage
 * error, as klibc), 2 when FILE cannot be opened or read.
 *
 * Types klibc knows keep klibc's names and FSSIZE (src/probe computes
 * klibc's sizes); types it does not know (vfat, exfat, f2fs, erofs)
 * are named as blkid names them instead of "unknown". Differences: an
 * ext journal device is "jbd" (klibc says ext4, which cannot be
 * mounted), squashfs 4's FSSIZE is its real bytes_used (klibc reads a
 * squashfs 3 field), and a file shorter than 65 KiB is probed instead
 * of failing with exit 2.
 *
 * -v (--all) adds blkid's view, as shell assignments with values
 * quoted when they need it: TYPE, UUID, LABEL of the filesystem, and
 * the partition table: PTTYPE, PTUUID, and for each partition N
 * PART<N>_TYPE, PART<N>_UUID (PARTUUID), PART<N>_LABEL (PARTLABEL),
 * PART<N>_START and PART<N>_SECTORS (512-byte units). With -v a
 * partition table alone also counts as identified.
 */
#include "early/applets.h"
#include "early/options.h"
#include "probe/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FSTYPE_PARTS_MAX 128u	/* GPT's usual entry count */

static const char usage_text[] =
	"usage: fstype [-v] [FILE|-]\n"
	"Prints FSTYPE= and FSSIZE= for the filesystem on FILE (standard\n"
	"input when FILE is - or absent), as klibc's fstype.\n"
	"  -v, --all   also TYPE=, UUID=, LABEL= as blkid names them, and the\n"
	"              partition table: PTTYPE=, PTUUID=, PART<N>_TYPE=,\n"
	"              PART<N>_UUID=, PART<N>_LABEL=, PART<N>_START=,\n"
	"              PART<N>_SECTORS= (512-byte units)\n"
	"Exit status: 0 identified, 1 unknown, 2 FILE unreadable.\n";

/* blkid's names where klibc's differ. */
static const struct {
	const char *blkid, *klibc;
} klibc_names[] = {
	{ "swsuspend", "suspend" },
	{ "crypto_LUKS", "luks" },
	{ "LVM2_member", "lvm2" },
	{ "ext4dev", "ext4" },
	{ "squashfs3", "squashfs" },
};

struct out {
	int err;		/* errno of the first failed write, or 0 */
};

static void
emit(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vdprintf(STDOUT_FILENO, fmt, ap) < 0 && !o->err)
		o->err = errno ? errno : EIO;
	va_end(ap);
}

static bool
shell_safe(const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_./:,+@%-";

	return *s && strspn(s, safe) == strlen(s);
}

/* NAME=value, single-quoted unless plainly safe: a label is whatever
 * the device says, and the output is meant for eval. */
static void
emit_var(struct out *o, const char *name, unsigned n, const char *value)
{
	if (n)
		emit(o, "PART%u_%s=", n, name);
	else
		emit(o, "%s=", name);
	if (shell_safe(value)) {
		emit(o, "%s\n", value);
		return;
	}
	emit(o, "'");
	for (const char *q; (q = strchr(value, '\'')); value = q + 1)
		emit(o, "%.*s'\\''", (int)(q - value), value);
	emit(o, "%s'\n", value);
}

static const char *
klibc_name(const char *type)
{
	const size_t n = sizeof(klibc_names) / sizeof(klibc_names[0]);

	for (size_t i = 0; i < n; i++)
		if (strcmp(type, klibc_names[i].blkid) == 0)
			return klibc_names[i].klibc;
	return type;
}

static void
emit_table(struct out *o, const struct probe_table *t)
{
	emit_var(o, "PTTYPE", 0, t->type);
	if (t->uuid[0])
		emit_var(o, "PTUUID", 0, t->uuid);
	for (unsigned i = 0; i < t->n; i++) {
		const struct probe_part *p = &t->parts[i];

		emit_var(o, "TYPE", p->number, p->type);
		emit_var(o, "UUID", p->number, p->uuid);
		if (p->label[0])
			emit_var(o, "LABEL", p->number, p->label);
		emit(o, "PART%u_START=%llu\nPART%u_SECTORS=%llu\n", p->number,
		     (unsigned long long)p->start, p->number,
		     (unsigned long long)p->sectors);
	}
}

/* The -v part: the filesystem's blkid names and the partition table.
 * Returns 1 a table was found, 0 none, -errno. */
static int
emit_all(struct out *o, const struct probe_dev *d, const struct probe_fs *fs)
{
	struct probe_part *parts = calloc(FSTYPE_PARTS_MAX, sizeof(*parts));
	struct probe_table t = { .parts = parts, .cap = FSTYPE_PARTS_MAX };
	int r;

	if (fs->type[0])
		emit_var(o, "TYPE", 0, fs->type);
	if (fs->uuid[0])
		emit_var(o, "UUID", 0, fs->uuid);
	if (fs->label[0])
		emit_var(o, "LABEL", 0, fs->label);
	if (!parts)
		return -ENOMEM;
	r = probe_partitions(d, &t);
	if (r > 0)
		emit_table(o, &t);
	if (r > 0 && t.dropped)
		dprintf(STDERR_FILENO, "fstype: %u more partitions not shown\n",
			t.dropped);
	free(parts);
	return r;
}

static int
open_input(const char *file)
{
	int fd;

	if (!file || strcmp(file, "-") == 0)
		return STDIN_FILENO;
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		dprintf(STDERR_FILENO, "fstype: %s: %s\n", file,
			strerror(errno));
	return fd;
}

static int
run(const char *file, bool all)
{
	const char *name = file && strcmp(file, "-") != 0 ? file :
							    "standard input";
	struct out o = { .err = 0 };
	struct probe_dev d;
	struct probe_fs fs;
	int fd = open_input(file), r, table = 0;

	if (fd < 0)
		return 2;
	r = probe_dev_init(&d, fd);
	if (r == 0)
		r = probe_filesystem(&d, &fs);
	if (r >= 0) {
		emit(&o, "FSTYPE=%s\nFSSIZE=%llu\n",
		     r ? klibc_name(fs.type) : "unknown",
		     (unsigned long long)fs.size);
		if (all)
			table = emit_all(&o, &d, &fs);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (r < 0 || table < 0) {
		dprintf(STDERR_FILENO, "fstype: %s: %s\n", name,
			strerror(r < 0 ? -r : -table));
		return 2;
	}
	if (o.err) {
		dprintf(STDERR_FILENO, "fstype: standard output: %s\n",
			strerror(o.err));
		return 2;
	}
	return r > 0 || table > 0 ? 0 : 1;
}

int
fstype_main(int argc, char **argv)
{
	static const struct option_def defs[] = {
		{ 'v', "all", NULL }, { 'h', "help", NULL },
	};
	struct options o;
	bool all = false;
	int key;

	options_init(&o, defs, 2, argc, argv, false);
	while ((key = options_next(&o)) != 0) {
		if (key == 'h') {
			dprintf(STDOUT_FILENO, "%s", usage_text);
			return 0;
		}
		if (key == '?') {
			dprintf(STDERR_FILENO, "fstype: unknown option %s\n%s", o.bad,
				usage_text);
			return 1;
		}
		all = true;
	}
	if (o.noperands > 1) {
		dprintf(STDERR_FILENO, "%s", usage_text);
		return 1;
	}
	return run(o.noperands ? o.operands[0] : NULL, all);
}
