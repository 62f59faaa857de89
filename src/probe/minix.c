/*
 * minix.c - Minix filesystems v1, v2 and v3: the superblock at 1 KiB
 * (the kernel's include/linux/minix_fs.h), in either byte order. The
 * magic is two bytes, so the bitmaps must be able to cover the inodes
 * and zones they claim (blkid's test), and ext, whose superblock can
 * hold those two bytes by chance, is probed first. FSSIZE is klibc's
 * for v1 (zones << (10 + log zone size)), the same from the 32-bit zone
 * count for v2, and zones times block size for v3.
 * Limits: no UUID or label (the format has none).
 */
#include "probe/internal.h"

#define MINIX_SB_OFF 1024u
#define MINIX_SB_LEN 32u
#define MINIX_BLOCK 1024u

/* v1 and v2 */
#define MINIX_NINODES 0
#define MINIX_NZONES 2
#define MINIX_IMAP 4
#define MINIX_ZMAP 6
#define MINIX_FIRSTZONE 8
#define MINIX_LOG_ZONE 10
#define MINIX_MAGIC_OFF 16
#define MINIX_ZONES 20
/* v3 */
#define MINIX3_IMAP 6
#define MINIX3_ZMAP 8
#define MINIX3_LOG_ZONE 12
#define MINIX3_ZONES 20
#define MINIX3_MAGIC_OFF 24
#define MINIX3_BLOCKSIZE 28

struct minix_sb {
	const uint8_t *p;
	bool be;
};

static uint32_t
rd16(const struct minix_sb *s, unsigned off)
{
	return s->be ? be16(s->p + off) : le16(s->p + off);
}

static uint32_t
rd32(const struct minix_sb *s, unsigned off)
{
	return s->be ? be32(s->p + off) : le32(s->p + off);
}

/* 1, 2, 3 or 0 (not minix), setting s->be. */
static int
minix_version(struct minix_sb *s)
{
	for (int be = 0; be < 2; be++) {
		uint32_t m;

		s->be = be;
		m = rd16(s, MINIX_MAGIC_OFF);
		if (m == 0x137f || m == 0x138f)
			return 1;
		if (m == 0x2468 || m == 0x2478)
			return 2;
		if (rd16(s, MINIX3_MAGIC_OFF) == 0x4d5a)
			return 3;
	}
	return 0;
}

/* v1/v2: the bitmaps must cover what the superblock counts. */
static bool
minix12_sane(const struct minix_sb *s, uint64_t zones)
{
	uint64_t imap_bits = rd16(s, MINIX_IMAP) * MINIX_BLOCK * 8ull;
	uint64_t zmap_bits = rd16(s, MINIX_ZMAP) * MINIX_BLOCK * 8ull;
	uint64_t first = rd16(s, MINIX_FIRSTZONE);

	return imap_bits && zmap_bits &&
	       imap_bits >= rd16(s, MINIX_NINODES) + 1u &&
	       (first > zones || zmap_bits >= zones - first + 1);
}

int
probe_minix(struct probe_ctx *c, struct probe_fs *out)
{
	struct minix_sb s;
	uint64_t zones;
	int version, r = probe_at(c, MINIX_SB_OFF, MINIX_SB_LEN, &s.p);

	if (r <= 0 || (version = minix_version(&s)) == 0)
		return r < 0 ? r : 0;
	if (version == 3) {
		if (!rd16(&s, MINIX3_IMAP) || !rd16(&s, MINIX3_ZMAP))
			return 0;
		zones = rd32(&s, MINIX3_ZONES);
		out->size = shl64(mul64(zones, rd16(&s, MINIX3_BLOCKSIZE)),
				  rd16(&s, MINIX3_LOG_ZONE));
	} else {
		zones = version == 2 ? rd32(&s, MINIX_ZONES) :
				       rd16(&s, MINIX_NZONES);
		if (!minix12_sane(&s, zones))
			return 0;
		out->size = shl64(zones, 10 + rd16(&s, MINIX_LOG_ZONE));
	}
	probe_set_type(out, "minix");
	return 1;
}
