/*
 * blockdev.h - a block device as sysfs and its first sectors describe
 * it: the kernel's name and numbers from /sys/class/block/NAME, the
 * filesystem on it and, for a partition, its entry in the parent disk's
 * partition table (src/probe reads both).
 *
 * The device node is /dev/NAME on the devtmpfs kinit mounted; the
 * kernel creates it before it announces the device.
 */
#ifndef ES_EARLY_BLOCKDEV_H
#define ES_EARLY_BLOCKDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/probe.h"

#define BLOCKDEV_NAME_MAX 64u

/* What to read beyond sysfs (rootspec_needs). */
enum blockdev_need {
	BLOCKDEV_NEED_FS = 1 << 0,	/* type, UUID, LABEL */
	BLOCKDEV_NEED_PART = 1 << 1,	/* PARTUUID, PARTLABEL */
};

struct blockdev {
	char name[BLOCKDEV_NAME_MAX];	/* "vda2" */
	char parent[BLOCKDEV_NAME_MAX];	/* "vda" for a partition, else "" */
	unsigned major, minor;
	unsigned partn;			/* 0: a whole disk */
	uint64_t size;			/* bytes */
	unsigned probed;		/* enum blockdev_need done */
	int probe_error;		/* -errno of the last probe, or 0 */
	struct probe_fs fs;		/* type "" when unknown */
	char partuuid[40];
	char partlabel[256];
};

/* Reads /sys/class/block/NAME (sysfs: the directory of /sys/class/block,
 * normally "/sys/class/block"). Returns 0 or -errno. */
int blockdev_read(struct blockdev *bd, const char *sysfs, const char *name);
/* Reads what need asks for and bd lacks, from devdir/NAME (normally
 * "/dev"); a device that cannot be read (an empty CD drive) is left
 * unknown. Returns 0 or -errno of the read. */
int blockdev_probe(struct blockdev *bd, const char *devdir, unsigned need);

/* "MAJ:MIN" in decimal, as sysfs's dev files and root= write it;
 * false unless the whole string is that. */
bool blockdev_parse_devnum(const char *s, unsigned *major, unsigned *minor);

/* Calls fn for every block device in sysfs, in directory order; stops
 * when fn returns non-zero and returns that; -errno when the directory
 * cannot be opened. */
int blockdev_each(const char *sysfs, int (*fn)(void *ctx, const char *name),
		  void *ctx);

#endif
