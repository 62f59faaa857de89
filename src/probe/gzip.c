/*
 * gzip.c - a gzip stream (RFC 1952: 1f 8b; 1f 9e is old gzip's), which
 * klibc's fstype reports so that scripts can tell a compressed ramdisk.
 * Not a filesystem: no UUID or label, and FSSIZE 0 (the stream's length
 * is known only by decoding it).
 */
#include "probe/internal.h"

int
probe_gzip(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *p;
	int r = probe_at(c, 0, 2, &p);

	if (r <= 0 || p[0] != 0x1f || (p[1] != 0x8b && p[1] != 0x9e))
		return r < 0 ? r : 0;
	probe_set_type(out, "gzip");
	return 1;
}
