/*
 * ext.c - ext2, ext3, ext4 (and ext4dev, jbd): the superblock at 1 KiB
 * (the kernel's fs/ext4/ext4.h struct ext4_super_block). The name comes
 * from the feature flags, as blkid names it: a journal device is "jbd";
 * any feature ext3 does not know makes "ext4" ("ext4dev" with the
 * test_fs flag); a journal alone makes "ext3"; otherwise "ext2".
 * FSSIZE is the block count times the block size (klibc's, extended to
 * the 64-bit block count).
 */
#include "probe/internal.h"

#define EXT_SB_OFF 1024u
#define EXT_SB_LEN 1024u

#define EXT_BLOCKS_LO 0x04
#define EXT_LOG_BLOCK 0x18
#define EXT_MAGIC_OFF 0x38
#define EXT_COMPAT 0x5c
#define EXT_INCOMPAT 0x60
#define EXT_RO_COMPAT 0x64
#define EXT_UUID 0x68
#define EXT_LABEL 0x78
#define EXT_BLOCKS_HI 0x150
#define EXT_FLAGS 0x160

#define EXT_MAGIC 0xef53
#define EXT_MAX_LOG_BLOCK 6u		/* 64 KiB blocks */

#define COMPAT_HAS_JOURNAL 0x0004u
#define INCOMPAT_JOURNAL_DEV 0x0008u
#define INCOMPAT_64BIT 0x0080u
/* What ext3 understands: filetype, recover, meta_bg; sparse_super,
 * large_file, btree_dir. */
#define EXT3_INCOMPAT_KNOWN 0x0016u
#define EXT3_RO_COMPAT_KNOWN 0x0007u
#define FLAGS_TEST_FS 0x0004u

static const char *
ext_name(const uint8_t *sb)
{
	uint32_t compat = le32(sb + EXT_COMPAT);
	uint32_t incompat = le32(sb + EXT_INCOMPAT);
	uint32_t ro_compat = le32(sb + EXT_RO_COMPAT);

	if (incompat & INCOMPAT_JOURNAL_DEV)
		return "jbd";
	if ((incompat & ~EXT3_INCOMPAT_KNOWN) ||
	    (ro_compat & ~EXT3_RO_COMPAT_KNOWN))
		return le32(sb + EXT_FLAGS) & FLAGS_TEST_FS ? "ext4dev" :
							      "ext4";
	if (compat & COMPAT_HAS_JOURNAL)
		return "ext3";
	return "ext2";
}

int
probe_ext(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	uint64_t blocks;
	uint32_t log;
	int r = probe_at(c, EXT_SB_OFF, EXT_SB_LEN, &sb);

	if (r <= 0 || le16(sb + EXT_MAGIC_OFF) != EXT_MAGIC)
		return r < 0 ? r : 0;
	probe_set_type(out, ext_name(sb));
	probe_set_uuid(out, sb + EXT_UUID);
	probe_set_label(out, sb + EXT_LABEL, 16);
	blocks = le32(sb + EXT_BLOCKS_LO);
	if (le32(sb + EXT_INCOMPAT) & INCOMPAT_64BIT)
		blocks |= (uint64_t)le32(sb + EXT_BLOCKS_HI) << 32;
	log = le32(sb + EXT_LOG_BLOCK);
	out->size = log <= EXT_MAX_LOG_BLOCK ? shl64(blocks, 10 + log) : 0;
	return 1;
}
