/*
 * gpt.c - the GUID partition table (UEFI 2.10 section 5.3): the header
 * at LBA 1 ("EFI PART", its CRC32 over header_size bytes with the CRC
 * field read as zero, my_lba matching where it was found), the entry
 * array with its own CRC32, and the backup header at the last LBA when
 * the primary or its entries are bad. Entries with a zero type GUID are
 * unused; an entry outside the usable LBAs is skipped, as blkid does.
 * Names are UTF-16LE, 36 units.
 * Limits: entry sizes must be powers of two from 128 to 4096 bytes
 * (UEFI requires 128 * 2^n), and the array at most GPT_ARRAY_MAX bytes.
 */
#include "probe/internal.h"

#include <stdio.h>
#include <string.h>

#define GPT_HDR_MIN 92u
#define GPT_HDR_SIZE 12
#define GPT_HDR_CRC 16
#define GPT_MY_LBA 24
#define GPT_ALT_LBA 32
#define GPT_FIRST_USABLE 40
#define GPT_LAST_USABLE 48
#define GPT_DISK_GUID 56
#define GPT_ENTRIES_LBA 72
#define GPT_NUM_ENTRIES 80
#define GPT_ENTRY_SIZE 84
#define GPT_ENTRIES_CRC 88
#define GPT_ARRAY_MAX (1u << 20)

#define GPTE_TYPE 0
#define GPTE_UNIQUE 16
#define GPTE_FIRST 32
#define GPTE_LAST 40
#define GPTE_NAME 56
#define GPTE_NAME_UNITS 36u

struct gpt_hdr {
	unsigned ss;			/* sector size it was read in */
	uint64_t alt_lba, first_usable, last_usable, entries_lba;
	uint32_t n, esize, entries_crc;
	uint8_t guid[16];
};

static uint32_t
header_crc(const uint8_t *p, uint32_t size)
{
	static const uint8_t zero[4];
	uint32_t crc = probe_crc32(~0u, p, GPT_HDR_CRC);

	crc = probe_crc32(crc, zero, 4);
	return ~probe_crc32(crc, p + GPT_HDR_CRC + 4, size - GPT_HDR_CRC - 4);
}

/* 1 a valid header at lba (h filled), 0 none, -errno. */
static int
read_header(struct probe_ctx *c, unsigned ss, uint64_t lba, struct gpt_hdr *h)
{
	const uint8_t *p;
	uint32_t size;
	int r = lba > UINT64_MAX / ss ? 0 : probe_at(c, lba * ss, ss, &p);

	if (r <= 0 || memcmp(p, "EFI PART", 8) != 0)
		return r < 0 ? r : 0;
	size = le32(p + GPT_HDR_SIZE);
	if (size < GPT_HDR_MIN || size > ss || le64(p + GPT_MY_LBA) != lba ||
	    header_crc(p, size) != le32(p + GPT_HDR_CRC))
		return 0;
	h->ss = ss;
	h->alt_lba = le64(p + GPT_ALT_LBA);
	h->first_usable = le64(p + GPT_FIRST_USABLE);
	h->last_usable = le64(p + GPT_LAST_USABLE);
	h->entries_lba = le64(p + GPT_ENTRIES_LBA);
	h->n = le32(p + GPT_NUM_ENTRIES);
	h->esize = le32(p + GPT_ENTRY_SIZE);
	h->entries_crc = le32(p + GPT_ENTRIES_CRC);
	memcpy(h->guid, p + GPT_DISK_GUID, 16);
	return h->esize >= 128 && h->esize <= PROBE_BUF_SIZE &&
	       (h->esize & (h->esize - 1)) == 0 &&
	       (uint64_t)h->n * h->esize <= GPT_ARRAY_MAX &&
	       h->entries_lba <= UINT64_MAX / ss &&
	       h->first_usable <= h->last_usable;
}

static void
add_entry(struct probe_table *t, const struct gpt_hdr *h, const uint8_t *e,
	  unsigned index)
{
	uint64_t first = le64(e + GPTE_FIRST), last = le64(e + GPTE_LAST);
	unsigned per512 = h->ss / 512;
	struct probe_part *p;

	if (probe_all_zero(e + GPTE_TYPE, 16) || first > last ||
	    first < h->first_usable || last > h->last_usable)
		return;
	if (!(p = probe_table_add(t)))
		return;
	p->number = index + 1;
	p->start = mul64(first, per512);
	p->sectors = mul64(last - first + 1, per512);
	probe_guid_str(p->type, e + GPTE_TYPE);
	probe_guid_str(p->uuid, e + GPTE_UNIQUE);
	probe_utf16_to_utf8(p->label, sizeof(p->label), e + GPTE_NAME,
			    GPTE_NAME_UNITS, false);
}

/* Reads the entry array into t: 1 its CRC holds, 0 not (t emptied),
 * -errno. */
static int
read_entries(struct probe_ctx *c, const struct gpt_hdr *h,
	     struct probe_table *t)
{
	uint64_t total = (uint64_t)h->n * h->esize;
	uint64_t base = h->entries_lba * h->ss;
	uint32_t crc = ~0u;

	t->n = t->dropped = 0;
	for (uint64_t off = 0; off < total; off += PROBE_BUF_SIZE) {
		size_t len = total - off < PROBE_BUF_SIZE ?
			     (size_t)(total - off) : PROBE_BUF_SIZE;
		const uint8_t *p;
		int r = base > UINT64_MAX - off ? 0 :
			probe_at(c, base + off, len, &p);

		if (r <= 0) {
			t->n = t->dropped = 0;
			return r;
		}
		crc = probe_crc32(crc, p, len);
		for (size_t i = 0; i < len; i += h->esize)
			add_entry(t, h, p + i,
				  (unsigned)((off + i) / h->esize));
	}
	if (~crc == h->entries_crc)
		return 1;
	t->n = t->dropped = 0;
	return 0;
}

/* The header at lba and its entries: 1, 0, -errno; *alt gets the
 * header's idea of the backup's place when the header is valid. */
static int
try_table(struct probe_ctx *c, unsigned ss, uint64_t lba, struct probe_table *t,
	  uint64_t *alt)
{
	struct gpt_hdr h;
	int r = read_header(c, ss, lba, &h);

	if (r <= 0)
		return r;
	if (alt)
		*alt = h.alt_lba;
	if ((r = read_entries(c, &h, t)) <= 0)
		return r;
	snprintf(t->type, sizeof(t->type), "gpt");
	probe_guid_str(t->uuid, h.guid);
	t->sector_size = ss;
	return 1;
}

int
probe_gpt(struct probe_ctx *c, struct probe_table *t)
{
	static const unsigned guesses[] = { 512, 4096 };
	unsigned dev_ss = c->dev->sector_size;
	const unsigned *sizes = dev_ss ? &dev_ss : guesses;
	size_t nsizes = dev_ss ? 1 : 2;

	for (size_t i = 0; i < nsizes; i++) {
		unsigned ss = sizes[i];
		uint64_t last = 0;
		int r;

		if (ss < 512 || ss > PROBE_BUF_SIZE || (ss & (ss - 1)))
			continue;
		if ((r = try_table(c, ss, 1, t, &last)) != 0)
			return r;
		if (c->dev->size / ss > 2)
			last = c->dev->size / ss - 1;
		if (last > 1 && (r = try_table(c, ss, last, t, NULL)) != 0)
			return r;
	}
	return 0;
}
