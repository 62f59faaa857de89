/*
 * devfind.h - looking for the block device a rootspec names, one device
 * at a time: those in sysfs now (devfind_scan) and those the kernel
 * announces later (devfind_consider with the uevent's DEVNAME).
 */
#ifndef ES_EARLY_DEVFIND_H
#define ES_EARLY_DEVFIND_H

#include <stdbool.h>

#include "early/blockdev.h"
#include "early/rootspec.h"

/* Where kinit and the applets find the devices and their nodes. */
#define DEVFIND_SYSFS "/sys/class/block"
#define DEVFIND_DEV "/dev"

struct devfind {
	const struct rootspec *spec;
	struct blockdev *found;	/* filled when have */
	bool have;
	/* PARTNROFF: the partition the PARTUUID names, once seen */
	struct blockdev named;
	bool have_named;
};

void devfind_init(struct devfind *f, const struct rootspec *spec,
		  struct blockdev *found);
/* Looks at the device called name; true when it is the one. */
bool devfind_consider(struct devfind *f, const char *name);
/* Looks at every device there is; true when one is the one. */
bool devfind_scan(struct devfind *f);

#endif
