/*
 * mbr.c - the MBR ("dos") partition table, read as the kernel's
 * block/partitions/msdos.c reads it: four primary slots numbered 1-4
 * (empty ones keep their number), and behind an extended partition
 * (0x05, 0x0f, 0x85) a chain of EBRs, each holding logical partitions
 * numbered from 5 (start relative to that EBR) and a link to the next
 * EBR (relative to the extended partition's start). PARTUUID is the
 * disk signature and the number, "%08x-%02x".
 * Limits: the chain ends at an EBR already visited, one without the
 * 0x55AA signature, or after MBR_EBR_MAX links (the kernel stops after
 * 100 too); BSD, Solaris and other sub-partitions are not read.
 */
#include "probe/internal.h"

#include <stdio.h>
#include <string.h>

#define MBR_DISK_SIGNATURE 440
#define MBR_TABLE 446
#define MBR_ENTRY 16
#define MBR_BOOT 0
#define MBR_TYPE 4
#define MBR_START 8
#define MBR_SECTORS 12
#define MBR_EBR_MAX 100u

struct mbr_walk {
	struct probe_ctx *c;
	struct probe_table *t;
	uint32_t disk_signature;
	unsigned ss;			/* sector size, bytes */
};

static bool
is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static bool
signed_sector(const uint8_t *s)
{
	return s[510] == 0x55 && s[511] == 0xaa;
}

static void
add(struct mbr_walk *w, unsigned number, uint64_t start, uint64_t sectors,
    uint8_t type)
{
	struct probe_part *p = probe_table_add(w->t);
	unsigned per512 = w->ss / 512;

	if (!p)
		return;
	p->number = number;
	p->start = start * per512;
	p->sectors = sectors * per512;
	snprintf(p->type, sizeof(p->type), "0x%x", type);
	snprintf(p->uuid, sizeof(p->uuid), "%08x-%02x",
		 (unsigned)w->disk_signature, number);
}

static bool
seen_before(const uint64_t *seen, unsigned n, uint64_t sector)
{
	while (n--)
		if (seen[n] == sector)
			return true;
	return false;
}

/* Adds one EBR's logical partitions; returns the next EBR's sector
 * (relative to the extended partition), or 0 for none. */
static uint64_t
read_ebr(struct mbr_walk *w, const uint8_t *ebr, uint64_t here,
	 uint64_t ext_size, unsigned *number)
{
	uint64_t next = 0;

	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = ebr + MBR_TABLE + i * MBR_ENTRY;
		uint64_t rel = le32(e + MBR_START);
		uint64_t size = le32(e + MBR_SECTORS);

		if (size == 0)
			continue;
		if (is_extended(e[MBR_TYPE])) {
			if (!next)
				next = rel;
			continue;
		}
		/* Slots 3 and 4 of an EBR are often garbage. */
		if (i >= 2 && rel + size > ext_size)
			continue;
		add(w, (*number)++, here + rel, size, e[MBR_TYPE]);
	}
	return next;
}

static int
walk_ebrs(struct mbr_walk *w, uint64_t ext_start, uint64_t ext_size)
{
	uint64_t seen[MBR_EBR_MAX], here = ext_start, rel;
	unsigned n = 0, number = 5;

	while (n < MBR_EBR_MAX && !seen_before(seen, n, here)) {
		const uint8_t *ebr;
		int r = probe_at(w->c, here * w->ss, 512, &ebr);

		if (r <= 0 || !signed_sector(ebr))
			return r < 0 ? r : 0;
		seen[n++] = here;
		rel = read_ebr(w, ebr, here, ext_size, &number);
		if (rel == 0)
			break;
		here = ext_start + rel;
	}
	return 0;
}

int
probe_mbr(struct probe_ctx *c, const uint8_t *mbr, struct probe_table *t)
{
	struct mbr_walk w = { c, t, le32(mbr + MBR_DISK_SIGNATURE),
			      c->dev->sector_size ? c->dev->sector_size : 512 };
	uint8_t table[4 * MBR_ENTRY];
	int r;

	for (unsigned i = 0; i < 4; i++) {
		uint8_t boot = mbr[MBR_TABLE + i * MBR_ENTRY + MBR_BOOT];

		if (boot != 0 && boot != 0x80)
			return 0;
	}
	if (probe_fat_boot_sector(mbr) ||
	    memcmp(mbr + 3, "NTFS    ", 8) == 0 ||
	    memcmp(mbr + 3, "EXFAT   ", 8) == 0)
		return 0;
	memcpy(table, mbr + MBR_TABLE, sizeof(table)); /* probe_at reuses */
	snprintf(t->type, sizeof(t->type), "dos");
	snprintf(t->uuid, sizeof(t->uuid), "%08x", (unsigned)w.disk_signature);
	t->sector_size = w.ss;
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = table + i * MBR_ENTRY;
		uint64_t start = le32(e + MBR_START);
		uint64_t size = le32(e + MBR_SECTORS);

		if (size == 0)
			continue;
		add(&w, i + 1, start, size, e[MBR_TYPE]);
		if (is_extended(e[MBR_TYPE]) &&
		    (r = walk_ebrs(&w, start, size)) < 0)
			return r;
	}
	return 1;
}
