/*
 * rootspec.h - which block device a root= (or resume=) value names.
 *
 * The forms, as the kernel (init/do_mounts.c) and udev's links name
 * devices:
 *   /dev/NAME, NAME           the kernel's name (vda2, nvme0n1p2)
 *   MAJ:MIN                   decimal device numbers
 *   HEX, 0xHEX                the kernel's encoded dev_t (0801 is 8:1)
 *   UUID=, LABEL=             the filesystem's (or swap's) identity
 *   PARTUUID=[/PARTNROFF=N]   the partition's: GPT unique GUID or MBR
 *                             "SSSSSSSS-PP"; PARTNROFF picks the
 *                             partition N after (or before) that one
 *   PARTLABEL=                the GPT partition name
 *   /dev/disk/by-uuid/X and the other by-* links udev would make
 *   /dev/nfs                  the network root (see the Network issue)
 * UUIDs compare without regard to case, as blkid prints them lower-case.
 */
#ifndef ES_EARLY_ROOTSPEC_H
#define ES_EARLY_ROOTSPEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "early/blockdev.h"

enum rootspec_kind {
	ROOT_NONE,
	ROOT_NAME,
	ROOT_DEVNUM,
	ROOT_UUID,
	ROOT_LABEL,
	ROOT_PARTUUID,
	ROOT_PARTLABEL,
	ROOT_NFS,
};

struct rootspec {
	enum rootspec_kind kind;
	char value[256];	/* the name, UUID, label */
	unsigned major, minor;	/* ROOT_DEVNUM */
	int partnroff;		/* ROOT_PARTUUID: /PARTNROFF=N */
};

/* false when s is empty or malformed ("UUID=" with nothing after it,
 * "8:x"); spec->kind is then ROOT_NONE. */
bool rootspec_parse(struct rootspec *spec, const char *s);
/* What a device must be probed for to be matched (blockdev.h). */
unsigned rootspec_needs(const struct rootspec *spec);
/* Whether bd is the device the spec names, bd probed for
 * rootspec_needs. With PARTNROFF it is the partition the PARTUUID
 * names; the device wanted is then its sibling (blockdev_sibling). */
bool rootspec_match(const struct rootspec *spec, const struct blockdev *bd);
/* "UUID", "PARTUUID", ... for messages. */
const char *rootspec_kind_name(enum rootspec_kind kind);

#endif
