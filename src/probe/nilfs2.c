/*
 * nilfs2.c - NILFS2: the superblock at 1 KiB, or its backup in the
 * device's last 4 KiB (the kernel's include/uapi/linux/nilfs2_ondisk.h).
 * A superblock counts when its magic, revision 2 (klibc's test) and
 * CRC-32 (seeded with s_crc_seed, over s_bytes bytes with s_sum read as
 * zero) hold. FSSIZE is s_dev_size, as klibc's.
 */
#include "probe/internal.h"

#define NILFS_SB_OFF 1024u
#define NILFS_SB_LEN 1024u
#define NILFS_BACKUP_BACK 4096u	/* the backup: 8 sectors before the end */
#define NILFS_REV 0
#define NILFS_MAGIC_OFF 6
#define NILFS_BYTES 8
#define NILFS_CRC_SEED 12
#define NILFS_SUM 16
#define NILFS_DEV_SIZE 32
#define NILFS_UUID 152
#define NILFS_NAME 168
#define NILFS_NAME_LEN 80u
#define NILFS_MAGIC 0x3434

static bool
nilfs_valid(const uint8_t *sb)
{
	static const uint8_t zero[4];
	uint32_t bytes = le16(sb + NILFS_BYTES), crc;

	if (le16(sb + NILFS_MAGIC_OFF) != NILFS_MAGIC ||
	    le32(sb + NILFS_REV) != 2 || bytes < NILFS_NAME + NILFS_NAME_LEN ||
	    bytes > NILFS_SB_LEN)
		return false;
	crc = probe_crc32(le32(sb + NILFS_CRC_SEED), sb, NILFS_SUM);
	crc = probe_crc32(crc, zero, 4);
	crc = probe_crc32(crc, sb + NILFS_SUM + 4, bytes - NILFS_SUM - 4);
	return crc == le32(sb + NILFS_SUM);
}

int
probe_nilfs2(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	uint64_t size = c->dev->size;
	int r = probe_at(c, NILFS_SB_OFF, NILFS_SB_LEN, &sb);

	if (r < 0)
		return r;
	if (r == 0 || !nilfs_valid(sb)) {
		if (size < 2 * NILFS_BACKUP_BACK)
			return 0;
		r = probe_at(c, (size - NILFS_BACKUP_BACK) & ~511ull,
			     NILFS_SB_LEN, &sb);
		if (r <= 0 || !nilfs_valid(sb))
			return r < 0 ? r : 0;
	}
	probe_set_type(out, "nilfs2");
	probe_set_uuid(out, sb + NILFS_UUID);
	probe_set_label(out, sb + NILFS_NAME, NILFS_NAME_LEN);
	out->size = le64(sb + NILFS_DEV_SIZE);
	return 1;
}
