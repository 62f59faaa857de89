/*
 * fuzz_probe_parts.c - the partition table reader (probe.h:
 * probe_partitions): an MBR with its extended partitions' EBR chain,
 * or a protective MBR and a GPT, its backup at the last LBA.
 *
 * The input's first byte controls the run, the rest is the device:
 *   bit 0  the primary GPT header at LBA 1 gets valid CRCs (its own
 *          and its entry array's), in 512- and 4096-byte sectors alike
 *   bit 1  the same for the backup header at the last LBA
 *   bits 2-3  the device's logical sector size: unknown (the reader
 *          guesses 512, then 4096), 512, 4096, 1024
 *   bit 4  the device's size unknown (reads find its end)
 * Without the CRC repair a mutated GPT would almost never get past its
 * checksums; with it the fuzzer reaches the entries, and without it the
 * fall-back to the backup.
 */
#include "fuzz.h"

#include "probe/probe.h"

#include <string.h>
#include <zlib.h>

#define PARTS_MAX 8	/* small, so that "dropped" is reached */

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t
get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint32_t
crc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(crc32(0, NULL, 0), p, (uInt)n);
}

/* Gives the GPT header at img + off (a sector of ss bytes) the CRCs a
 * valid one has, where the header's own fields allow it. */
static void
repair(uint8_t *img, size_t size, size_t off, size_t ss)
{
	uint8_t *h = img + off;
	uint64_t entries, bytes;
	uint32_t hsize;

	if (off > size || size - off < ss || memcmp(h, "EFI PART", 8) != 0)
		return;
	entries = get64(h + 72);
	bytes = (uint64_t)get32(h + 80) * get32(h + 84);
	if (entries < size / ss && bytes <= size - entries * ss)
		put32(h + 88, crc(img + entries * ss, (size_t)bytes));
	hsize = get32(h + 12);
	if (hsize >= 92 && hsize <= ss) {
		put32(h + 16, 0);
		put32(h + 16, crc(h, hsize));
	}
}

static void
repair_all(uint8_t *img, size_t size, unsigned control)
{
	static const size_t sizes[] = { 512, 4096, 1024 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		size_t ss = sizes[i];

		if ((control & 1) != 0)
			repair(img, size, ss, ss);
		if ((control & 2) != 0 && size / ss > 2)
			repair(img, size, (size / ss - 1) * ss, ss);
	}
}

static void
check(const struct probe_table *t)
{
	if (t->n > PARTS_MAX || !memchr(t->type, '\0', sizeof(t->type)) ||
	    !memchr(t->uuid, '\0', sizeof(t->uuid)))
		abort();
	for (unsigned i = 0; i < t->n; i++) {
		const struct probe_part *p = &t->parts[i];

		if (!memchr(p->label, '\0', sizeof(p->label)) ||
		    !memchr(p->uuid, '\0', sizeof(p->uuid)) ||
		    !memchr(p->type, '\0', sizeof(p->type)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned sector_sizes[] = { 0, 512, 4096, 1024 };
	struct probe_part parts[PARTS_MAX];
	struct probe_table t = { .parts = parts, .cap = PARTS_MAX };
	struct probe_dev d;
	uint8_t *img;
	unsigned control;
	int fd;

	if (size < 1)
		return 0;
	control = data[0];
	size--;
	if (!(img = malloc(size ? size : 1)))
		fuzz_die("malloc");
	memcpy(img, data + 1, size);
	repair_all(img, size, control);
	fd = fuzz_memfd("disk", img, size);
	free(img);
	if (probe_dev_init(&d, fd) < 0)
		fuzz_die("probe_dev_init");
	d.sector_size = sector_sizes[control >> 2 & 3];
	if (control & 16)
		d.size = 0;
	if (probe_partitions(&d, &t) == 1)
		check(&t);
	close(fd);
	return 0;
}
