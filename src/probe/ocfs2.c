/*
 * ocfs2.c - OCFS2: the superblock inode ("OCFSV2") in block 2 for block
 * sizes 512 to 4096 (the kernel's fs/ocfs2/ocfs2_fs.h struct
 * ocfs2_dinode with its id2.i_super at 0xc0). FSSIZE is 0, as klibc's.
 */
#include "probe/internal.h"

#include <string.h>

#define OCFS2_SB_LEN 352u
#define OCFS2_LABEL 0x110
#define OCFS2_LABEL_LEN 64u
#define OCFS2_UUID 0x150

int
probe_ocfs2(struct probe_ctx *c, struct probe_fs *out)
{
	for (uint64_t bsize = 512; bsize <= 4096; bsize *= 2) {
		const uint8_t *sb;
		int r = probe_at(c, 2 * bsize, OCFS2_SB_LEN, &sb);

		if (r <= 0)
			return r;
		if (memcmp(sb, "OCFSV2", 6) != 0)
			continue;
		probe_set_type(out, "ocfs2");
		probe_set_uuid(out, sb + OCFS2_UUID);
		probe_set_label(out, sb + OCFS2_LABEL, OCFS2_LABEL_LEN);
		return 1;
	}
	return 0;
}
