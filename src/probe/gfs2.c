/*
 * gfs2.c - GFS2: the superblock at 64 KiB, big-endian (the kernel's
 * include/uapi/linux/gfs2_ondisk.h). The meta header's magic and the
 * GFS2 format numbers identify it; the lock table name is its LABEL.
 * FSSIZE is 0, as klibc's.
 */
#include "probe/internal.h"

#define GFS2_SB_OFF 0x10000u
#define GFS2_SB_LEN 272u
#define GFS2_MAGIC 0x01161970u
#define GFS2_FS_FORMAT 24
#define GFS2_MULTIHOST_FORMAT 28
#define GFS2_LOCKTABLE 160
#define GFS2_LOCKNAME_LEN 64u
#define GFS2_UUID 256

int
probe_gfs2(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *sb;
	int r = probe_at(c, GFS2_SB_OFF, GFS2_SB_LEN, &sb);

	if (r <= 0 || be32(sb) != GFS2_MAGIC)
		return r < 0 ? r : 0;
	if (be32(sb + GFS2_FS_FORMAT) != 1801 ||
	    be32(sb + GFS2_MULTIHOST_FORMAT) != 1900)
		return 0;
	probe_set_type(out, "gfs2");
	probe_set_uuid(out, sb + GFS2_UUID);
	probe_set_label(out, sb + GFS2_LOCKTABLE, GFS2_LOCKNAME_LEN);
	return 1;
}
