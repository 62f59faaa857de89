/*
 * f2fs.c - F2FS: the superblock at 1 KiB (the kernel's
 * include/linux/f2fs_fs.h struct f2fs_super_block). The label is
 * UTF-16LE, up to 512 units. FSSIZE = block_count times the block size
 * (klibc has no f2fs).
 * Limits: the backup superblock (at 1 KiB into the second block) is
 * not read when the first is damaged.
 */
#include "probe/internal.h"

#define F2FS_SB_OFF 1024u
#define F2FS_SB_LEN 2048u
#define F2FS_MAGIC 0xf2f52010u
#define F2FS_LOG_BLOCKSIZE 16
#define F2FS_BLOCK_COUNT 36
#define F2FS_UUID 108
#define F2FS_NAME 124
#define F2FS_NAME_UNITS 512u

int
probe_f2fs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	uint32_t log;
	int r = probe_at(c, F2FS_SB_OFF, F2FS_SB_LEN, &sb);

	if (r <= 0 || le32(sb) != F2FS_MAGIC)
		return r < 0 ? r : 0;
	log = le32(sb + F2FS_LOG_BLOCKSIZE);
	if (log < 9 || log > 16)
		return 0;
	probe_set_type(out, "f2fs");
	probe_set_uuid(out, sb + F2FS_UUID);
	probe_set_label16(out, sb + F2FS_NAME, F2FS_NAME_UNITS, false);
	out->size = shl64(le64(sb + F2FS_BLOCK_COUNT), log);
	return 1;
}
