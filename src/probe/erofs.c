/*
 * erofs.c - EROFS: the superblock at 1 KiB (the kernel's
 * fs/erofs/erofs_fs.h struct erofs_super_block). FSSIZE = blocks times
 * the block size (klibc has no erofs).
 * Limits: the superblock checksum (feature_compat bit 0) is not
 * verified; the magic and a sane block size are required.
 */
#include "probe/internal.h"

#define EROFS_SB_OFF 1024u
#define EROFS_SB_LEN 128u
#define EROFS_MAGIC 0xe0f5e1e2u
#define EROFS_BLKSZBITS 12
#define EROFS_BLOCKS 36
#define EROFS_UUID 48
#define EROFS_NAME 64
#define EROFS_NAME_LEN 16u

int
probe_erofs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	unsigned bits;
	int r = probe_at(c, EROFS_SB_OFF, EROFS_SB_LEN, &sb);

	if (r <= 0 || le32(sb) != EROFS_MAGIC)
		return r < 0 ? r : 0;
	bits = sb[EROFS_BLKSZBITS];
	if (bits < 9 || bits > 16)
		return 0;
	probe_set_type(out, "erofs");
	probe_set_uuid(out, sb + EROFS_UUID);
	probe_set_label(out, sb + EROFS_NAME, EROFS_NAME_LEN);
	out->size = (uint64_t)le32(sb + EROFS_BLOCKS) << bits;
	return 1;
}
