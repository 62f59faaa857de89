/*
 * luks.c - LUKS encrypted volumes ("crypto_LUKS"): the header at 0
 * (LUKS1 on-disk format specification 1.2.3; LUKS2 on-disk format,
 * binary header), or when that is gone a LUKS2 secondary header ("SKUL")
 * at one of its fixed offsets, as blkid looks for it. UUID is the
 * stored text; LUKS2 also has a LABEL. FSSIZE is 0, as klibc's (the
 * size is the mapped filesystem's).
 */
#include "probe/internal.h"

#include <string.h>

#define LUKS_HDR_LEN 512u
#define LUKS_VERSION 6
#define LUKS2_LABEL 24
#define LUKS2_LABEL_LEN 48u
#define LUKS_UUID 168
#define LUKS_UUID_LEN 40u
#define LUKS2_HDR_OFFSET 256

static const uint64_t secondary[] = {
	0x4000, 0x8000, 0x10000, 0x20000, 0x40000,
	0x80000, 0x100000, 0x200000, 0x400000,
};

/* 1 a header (version 1 at 0, or 2 where it says it is), 0, -errno. */
static int
luks_at(struct probe_ctx *c, uint64_t off, const uint8_t *magic,
	const uint8_t **h)
{
	int r = probe_at(c, off, LUKS_HDR_LEN, h);

	if (r <= 0 || memcmp(*h, magic, 6) != 0)
		return r < 0 ? r : 0;
	if (be16(*h + LUKS_VERSION) == 2)
		return be64(*h + LUKS2_HDR_OFFSET) == off;
	return off == 0;
}

int
probe_luks(struct probe_ctx *c, struct probe_fs *out)
{
	static const uint8_t primary[6] = { 'L', 'U', 'K', 'S', 0xba, 0xbe };
	static const uint8_t second[6] = { 'S', 'K', 'U', 'L', 0xba, 0xbe };
	const size_t nsecondary = sizeof(secondary) / sizeof(secondary[0]);
	const uint8_t *h;
	size_t n = 0;
	int r = luks_at(c, 0, primary, &h);

	for (size_t i = 0; r == 0 && i < nsecondary; i++)
		r = luks_at(c, secondary[i], second, &h);
	if (r <= 0)
		return r;
	probe_set_type(out, "crypto_LUKS");
	while (n < LUKS_UUID_LEN && n < sizeof(out->uuid) - 1 &&
	       h[LUKS_UUID + n])
		n++;
	memcpy(out->uuid, h + LUKS_UUID, n);
	out->uuid[n] = '\0';
	if (be16(h + LUKS_VERSION) == 2)
		probe_set_label(out, h + LUKS2_LABEL, LUKS2_LABEL_LEN);
	return 1;
}
