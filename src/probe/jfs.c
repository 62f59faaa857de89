/*
 * jfs.c - JFS: the aggregate superblock at 32 KiB (the kernel's
 * fs/jfs/jfs_superblock.h). Block sizes must agree with their log2
 * fields, as blkid checks. FSSIZE is klibc's: s_size (in hardware
 * blocks) << s_l2pbsize.
 */
#include "probe/internal.h"

#include <string.h>

#define JFS_SB_OFF 0x8000u
#define JFS_SB_LEN 184u
#define JFS_SIZE 8
#define JFS_BSIZE 16
#define JFS_L2BSIZE 20
#define JFS_L2BFACTOR 22
#define JFS_PBSIZE 24
#define JFS_L2PBSIZE 28
#define JFS_UUID 136
#define JFS_LABEL 152
#define JFS_LABEL_LEN 16u

int
probe_jfs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	unsigned l2b, l2pb;
	int r = probe_at(c, JFS_SB_OFF, JFS_SB_LEN, &sb);

	if (r <= 0 || memcmp(sb, "JFS1", 4) != 0)
		return r < 0 ? r : 0;
	l2b = le16(sb + JFS_L2BSIZE);
	l2pb = le16(sb + JFS_L2PBSIZE);
	if (l2b > 16 || l2pb > 16 || le32(sb + JFS_BSIZE) != 1u << l2b ||
	    le32(sb + JFS_PBSIZE) != 1u << l2pb ||
	    l2b - l2pb != le16(sb + JFS_L2BFACTOR))
		return 0;
	probe_set_type(out, "jfs");
	probe_set_uuid(out, sb + JFS_UUID);
	probe_set_label(out, sb + JFS_LABEL, JFS_LABEL_LEN);
	out->size = shl64(le64(sb + JFS_SIZE), l2pb);
	return 1;
}
