/*
 * reiserfs.c - ReiserFS 3.5 (superblock at 8 KiB) and 3.6 (at 64 KiB),
 * after the kernel's former fs/reiserfs/reiserfs.h. Only the 3.6
 * formats ("ReIsEr2Fs", "ReIsEr3Fs" with a relocated journal) carry a
 * UUID and label. FSSIZE = block count times block size, as klibc's.
 * Limits: Reiser4 is not recognised.
 */
#include "probe/internal.h"

#include <string.h>

#define REISER_SB_LEN 116u
#define REISER_BLOCKS 0
#define REISER_JOURNAL 12
#define REISER_BLOCKSIZE 44
#define REISER_MAGIC 52
#define REISER_UUID 84
#define REISER_LABEL 100
#define REISER_LABEL_LEN 16u

static int
reiser_at(struct probe_ctx *c, uint64_t off, struct probe_fs *out)
{
	const uint8_t *sb;
	bool v36;
	uint32_t bsize;
	int r = probe_at(c, off, REISER_SB_LEN, &sb);

	if (r <= 0)
		return r;
	v36 = memcmp(sb + REISER_MAGIC, "ReIsEr2Fs", 9) == 0 ||
	      memcmp(sb + REISER_MAGIC, "ReIsEr3Fs", 9) == 0;
	if (!v36 && memcmp(sb + REISER_MAGIC, "ReIsErFs", 8) != 0)
		return 0;
	bsize = le16(sb + REISER_BLOCKSIZE);
	if (bsize < 512 || bsize > 65536 || (bsize & (bsize - 1)))
		return 0;
	/* A superblock inside the journal is an old copy (blkid's test). */
	if (off / 1024 / (bsize / 512) > le32(sb + REISER_JOURNAL) / 2)
		return 0;
	probe_set_type(out, "reiserfs");
	if (v36) {
		probe_set_uuid(out, sb + REISER_UUID);
		probe_set_label(out, sb + REISER_LABEL, REISER_LABEL_LEN);
	}
	out->size = (uint64_t)le32(sb + REISER_BLOCKS) * bsize;
	return 1;
}

int
probe_reiserfs(struct probe_ctx *c, struct probe_fs *out)
{
	int r = reiser_at(c, 8192, out);

	return r ? r : reiser_at(c, 65536, out);
}
