/*
 * btrfs.c - btrfs: the primary superblock at 64 KiB (the kernel's
 * include/uapi/linux/btrfs_tree.h struct btrfs_super_block). UUID is the
 * filesystem's fsid (shared by all its devices), as blkid's UUID=;
 * FSSIZE is total_bytes, as klibc's. Limits: the mirrors at 64 MiB and
 * 256 GiB and zoned devices' superblock zones are not read.
 */
#include "probe/internal.h"

#include <string.h>

#define BTRFS_SB_OFF 0x10000u
#define BTRFS_SB_LEN 0x1000u
#define BTRFS_FSID 0x20
#define BTRFS_MAGIC_OFF 0x40
#define BTRFS_TOTAL_BYTES 0x70
#define BTRFS_LABEL 0x12b
#define BTRFS_LABEL_LEN 256u

int
probe_btrfs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	int r = probe_at(c, BTRFS_SB_OFF, BTRFS_SB_LEN, &sb);

	if (r <= 0 || memcmp(sb + BTRFS_MAGIC_OFF, "_BHRfS_M", 8) != 0)
		return r < 0 ? r : 0;
	probe_set_type(out, "btrfs");
	probe_set_uuid(out, sb + BTRFS_FSID);
	probe_set_label(out, sb + BTRFS_LABEL, BTRFS_LABEL_LEN);
	out->size = le64(sb + BTRFS_TOTAL_BYTES);
	return 1;
}
