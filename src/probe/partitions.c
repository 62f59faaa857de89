/*
 * partitions.c - which partition table a device has: a protective MBR
 * (a partition of type 0xEE) sends it to the GPT parser and nowhere
 * else, as the kernel's block/partitions/efi.c and msdos.c agree; any
 * other valid MBR is read as one.
 */
#include "probe/internal.h"

#include <string.h>

#define MBR_SIGNATURE 510
#define MBR_TABLE 446
#define MBR_ENTRY 16
#define MBR_TYPE 4
#define MBR_TYPE_GPT 0xee

struct probe_part *
probe_table_add(struct probe_table *t)
{
	struct probe_part *p;

	if (t->n >= t->cap || !t->parts) {
		t->dropped++;
		return NULL;
	}
	p = &t->parts[t->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

static bool
protective(const uint8_t *mbr)
{
	for (unsigned i = 0; i < 4; i++)
		if (mbr[MBR_TABLE + i * MBR_ENTRY + MBR_TYPE] == MBR_TYPE_GPT)
			return true;
	return false;
}

int
probe_partitions(const struct probe_dev *d, struct probe_table *out)
{
	struct probe_ctx c;
	const uint8_t *mbr;
	int r;

	out->type[0] = out->uuid[0] = '\0';
	out->sector_size = 0;
	out->n = out->dropped = 0;
	if ((r = probe_ctx_init(&c, d)) < 0)
		return r;
	if ((r = probe_at(&c, 0, 512, &mbr)) <= 0)
		return r;
	if (mbr[MBR_SIGNATURE] != 0x55 || mbr[MBR_SIGNATURE + 1] != 0xaa)
		return 0;
	if (protective(mbr))
		r = probe_gpt(&c, out);
	else
		r = probe_mbr(&c, mbr, out);
	if (r <= 0) {
		out->type[0] = out->uuid[0] = '\0';
		out->sector_size = 0;
		out->n = out->dropped = 0;
	}
	return r;
}
