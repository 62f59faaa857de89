/*
 * romfs.c - romfs: "-rom1fs-" at 0, then the size and checksum
 * (big-endian) and the NUL-terminated volume name that is its LABEL
 * (the kernel's include/uapi/linux/romfs_fs.h). FSSIZE is the size
 * field, as klibc's.
 */
#include "probe/internal.h"

#include <string.h>

#define ROMFS_SIZE 8
#define ROMFS_NAME 16
#define ROMFS_NAME_LEN 16u	/* blkid reads no more of the name */
#define ROMFS_SB_LEN 32u

int
probe_romfs(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	int r = probe_at(c, 0, ROMFS_SB_LEN, &sb);

	if (r <= 0 || memcmp(sb, "-rom1fs-", 8) != 0)
		return r < 0 ? r : 0;
	probe_set_type(out, "romfs");
	probe_set_label(out, sb + ROMFS_NAME, ROMFS_NAME_LEN);
	out->size = be32(sb + ROMFS_SIZE);
	return 1;
}
