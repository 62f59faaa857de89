/*
 * squashfs.c - squashfs: the superblock at 0 (the kernel's
 * fs/squashfs/squashfs_fs.h for version 4, little-endian only; version 3
 * and older in either byte order, and the "qshs" magic of the old LZMA
 * patch). blkid names version 4 "squashfs", older ones "squashfs3".
 * FSSIZE is bytes_used: at 40 in version 4; older ones where klibc
 * reads it, at 63 (klibc reads there for version 4 too, which gives
 * nonsense; this follows the format).
 * Limits: no UUID or label (the format has none).
 */
#include "probe/internal.h"

#include <string.h>

#define SQ_MAJOR 28
#define SQ4_BYTES_USED 40
#define SQ3_BYTES_USED 63

int
probe_squashfs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	bool le, be;
	int r = probe_at(c, 0, 96, &sb);

	if (r <= 0)
		return r;
	le = memcmp(sb, "hsqs", 4) == 0 || memcmp(sb, "shsq", 4) == 0;
	be = memcmp(sb, "sqsh", 4) == 0 || memcmp(sb, "qshs", 4) == 0;
	if (!le && !be)
		return 0;
	if (le && le16(sb + SQ_MAJOR) >= 4) {
		probe_set_type(out, "squashfs");
		out->size = le64(sb + SQ4_BYTES_USED);
	} else {
		probe_set_type(out, "squashfs3");
		out->size = le ? le64(sb + SQ3_BYTES_USED) :
				 be64(sb + SQ3_BYTES_USED);
	}
	return 1;
}
