/*
 * resume.c - resume_from (resume.h), and the resume applet:
 *
 *   resume [-n] DEVICE [OFFSET]
 *
 * DEVICE is any form root= takes (/dev/sda2, 8:2, UUID=...); OFFSET the
 * resume_offset of a swap file, in pages. -n only says whether DEVICE
 * holds a hibernation image. Exit 0 when there was nothing to resume
 * (or, with -n, an image is there), 1 on a usage error or an unknown
 * device, 2 when the kernel refused.
 */
#include "early/applets.h"
#include "early/number.h"
#include "early/options.h"
#include "early/devfind.h"
#include "early/resume.h"
#include "early/sysfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
resume_from(struct blockdev *bd, unsigned long long offset,
	    const struct log *log)
{
	char value[64];
	int rc;

	if (!offset) {
		blockdev_probe(bd, DEVFIND_DEV, BLOCKDEV_NEED_FS);
		if (strcmp(bd->fs.type, "swsuspend") != 0) {
			log_info(log, "resume: no hibernation image on /dev/%s (%s)",
				 bd->name, bd->fs.type[0] ? bd->fs.type : "unknown");
			return 0;
		}
	} else {
		snprintf(value, sizeof(value), "%llu", offset);
		if ((rc = sysfile_write("/sys/power/resume_offset", value)) < 0) {
			log_err(log, "resume_offset=%s: %s", value, strerror(-rc));
			return rc;
		}
	}
	log_info(log, "resuming from /dev/%s (%u:%u)", bd->name, bd->major, bd->minor);
	snprintf(value, sizeof(value), "%u:%u", bd->major, bd->minor);
	rc = sysfile_write("/sys/power/resume", value);
	if (rc < 0)
		log_err(log, "/sys/power/resume: %s", strerror(-rc));
	else
		log_info(log, "resume: the kernel found no image on /dev/%s", bd->name);
	return rc;
}

static int
usage(void)
{
	dprintf(2, "usage: resume [-n] DEVICE [OFFSET]\n");
	return 1;
}

int
resume_main(int argc, char **argv)
{
	struct log log;
	struct rootspec spec;
	struct blockdev bd;
	struct devfind f;
	static const struct option_def defs[] = { { 'n', NULL, NULL } };
	unsigned long long offset = 0;
	struct options o;
	bool check = false;
	char *device;
	int c;

	log_init(&log, "resume");
	options_init(&o, defs, 1, argc, argv, false);
	while ((c = options_next(&o)) != 0) {
		if (c != 'n')
			return usage();
		check = true;
	}
	if (o.noperands < 1 || o.noperands > 2)
		return usage();
	device = o.operands[0];
	if (o.noperands > 1 && !number_parse(o.operands[1], 0, UINT64_MAX, &offset)) {
		log_err(&log, "%s: not an offset (a number of pages)", o.operands[1]);
		return 1;
	}
	if (!rootspec_parse(&spec, device) || spec.kind == ROOT_NFS) {
		log_err(&log, "%s: not a device", device);
		return 1;
	}
	devfind_init(&f, &spec, &bd);
	if (!devfind_scan(&f)) {
		log_err(&log, "%s: no such block device", device);
		return 1;
	}
	if (check) {
		blockdev_probe(&bd, DEVFIND_DEV, BLOCKDEV_NEED_FS);
		return strcmp(bd.fs.type, "swsuspend") == 0 ? 0 : 1;
	}
	return resume_from(&bd, offset, &log) < 0 ? 2 : 0;
}
