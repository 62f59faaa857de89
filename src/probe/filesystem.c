/*
 * filesystem.c - the probe table: which signatures are tried, in which
 * order. The order is the one decision here:
 *  - magics of four or more bytes at fixed places first, each written
 *    by its mkfs over whatever was there;
 *  - ext before minix (whose 2-byte magic an ext superblock can hold
 *    by chance), as klibc's fstype orders them;
 *  - swap and hibernation after the filesystems whose superblock lies
 *    in the first page, but before FAT: mkswap keeps the first 1 KiB,
 *    so an old FAT boot sector survives under a new swap area;
 *  - iso9660 before FAT too (hybrid images boot from a sector 0 that
 *    may look like a FAT boot sector);
 *  - LUKS and LVM2 late, as klibc has them: both write only a small
 *    header, so an old signature deeper in the device outlives them,
 *    but theirs is at offset 0 where the newer filesystem would write;
 *  - FAT, whose only signature is a plausible BPB, and gzip's two
 *    bytes, last.
 * Limits: the first match wins; blkid would report two valid,
 * conflicting signatures as ambiguous instead.
 */
#include "probe/internal.h"

#include <string.h>

static probe_fn *const probes[] = {
	probe_cramfs,
	probe_romfs,
	probe_xfs,
	probe_squashfs,
	probe_erofs,
	probe_ext,
	probe_f2fs,
	probe_minix,
	probe_nilfs2,
	probe_ocfs2,
	probe_reiserfs,
	probe_gfs2,
	probe_btrfs,
	probe_jfs,
	probe_iso9660,
	probe_luks,
	probe_lvm2,
	probe_swap,
	probe_exfat,
	probe_vfat,
	probe_gzip,
};

int
probe_filesystem(const struct probe_dev *d, struct probe_fs *out)
{
	struct probe_ctx c;
	int r = probe_ctx_init(&c, d);

	memset(out, 0, sizeof(*out));
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		r = probes[i](&c, out);
		if (r > 0)
			return 1;
		/* A probe that gave up may have filled some fields. */
		memset(out, 0, sizeof(*out));
		if (r < 0)
			return r;
	}
	return 0;
}
