/*
 * cramfs.c - cramfs: the superblock at 0, or at 512 after a boot
 * sector (the kernel's include/uapi/linux/cramfs_fs.h), in the writer's
 * byte order. LABEL is its name. FSSIZE is klibc's: fsid.blocks << 10
 * when the version-2 flag is set, else 0.
 */
#include "probe/internal.h"

#include <string.h>

#define CRAMFS_MAGIC 0x28cd3d45u
#define CRAMFS_FLAGS 8
#define CRAMFS_SIGNATURE 16
#define CRAMFS_BLOCKS 40
#define CRAMFS_NAME 48
#define CRAMFS_NAME_LEN 16u
#define CRAMFS_SB_LEN 64u
#define CRAMFS_FSID_VERSION_2 1u

static int
cramfs_at(struct probe_ctx *c, uint64_t off, struct probe_fs *out)
{
	const uint8_t *sb;
	bool be;
	int r = probe_at(c, off, CRAMFS_SB_LEN, &sb);

	if (r <= 0)
		return r;
	if (le32(sb) == CRAMFS_MAGIC)
		be = false;
	else if (be32(sb) == CRAMFS_MAGIC)
		be = true;
	else
		return 0;
	if (memcmp(sb + CRAMFS_SIGNATURE, "Compressed ROMFS", 16) != 0)
		return 0;
	probe_set_type(out, "cramfs");
	probe_set_label(out, sb + CRAMFS_NAME, CRAMFS_NAME_LEN);
	if ((be ? be32(sb + CRAMFS_FLAGS) : le32(sb + CRAMFS_FLAGS)) &
	    CRAMFS_FSID_VERSION_2)
		out->size = (uint64_t)(be ? be32(sb + CRAMFS_BLOCKS) :
					    le32(sb + CRAMFS_BLOCKS)) << 10;
	return 1;
}

int
probe_cramfs(struct probe_ctx *c, struct probe_fs *out)
{
	int r = cramfs_at(c, 0, out);

	return r ? r : cramfs_at(c, 512, out);
}
