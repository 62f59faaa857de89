/*
 * xfs.c - XFS: the superblock in sector 0, big-endian (the kernel's
 * fs/xfs/libxfs/xfs_format.h struct xfs_dsb). Besides "XFSB", the block
 * and sector sizes must be powers of two in their ranges, so a stray
 * magic alone does not count. FSSIZE = data blocks times block size,
 * as klibc's. Limits: the realtime and external log devices are not
 * looked at.
 */
#include "probe/internal.h"

#include <string.h>

#define XFS_SB_LEN 512u
#define XFS_BLOCKSIZE 4
#define XFS_DBLOCKS 8
#define XFS_UUID 32
#define XFS_AGCOUNT 88
#define XFS_SECTSIZE 102
#define XFS_FNAME 108
#define XFS_FNAME_LEN 12

static bool
pow2_between(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && (v & (v - 1)) == 0;
}

int
probe_xfs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	uint32_t bsize;
	int r = probe_at(c, 0, XFS_SB_LEN, &sb);

	if (r <= 0 || memcmp(sb, "XFSB", 4) != 0)
		return r < 0 ? r : 0;
	bsize = be32(sb + XFS_BLOCKSIZE);
	if (!pow2_between(bsize, 512, 65536) ||
	    !pow2_between(be16(sb + XFS_SECTSIZE), 512, 32768) ||
	    be64(sb + XFS_DBLOCKS) == 0 || be32(sb + XFS_AGCOUNT) == 0)
		return 0;
	probe_set_type(out, "xfs");
	probe_set_uuid(out, sb + XFS_UUID);
	probe_set_label(out, sb + XFS_FNAME, XFS_FNAME_LEN);
	out->size = mul64(be64(sb + XFS_DBLOCKS), bsize);
	return 1;
}
