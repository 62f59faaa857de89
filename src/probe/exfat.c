/*
 * exfat.c - exFAT, after Microsoft's exFAT file system specification
 * (sections 3.1 main boot sector, 3.4 boot checksum, 7.3 volume label
 * directory entry). The boot region's checksum over sectors 0-10 must
 * match every copy in sector 11; the label is the root directory's
 * volume-label entry (UTF-16LE), the serial printed "ABCD-1234", as
 * blkid does. FSSIZE = VolumeLength sectors. Limits: at most
 * EXFAT_CHAIN_MAX clusters and EXFAT_DIR_MAX entries are searched.
 */
#include "probe/internal.h"

#include <string.h>

#define EXFAT_VOLUME_LENGTH 0x48
#define EXFAT_FAT_OFFSET 0x50
#define EXFAT_HEAP_OFFSET 0x58
#define EXFAT_ROOT_CLUSTER 0x60
#define EXFAT_SERIAL 0x64
#define EXFAT_SECTOR_SHIFT 0x6c
#define EXFAT_CLUSTER_SHIFT 0x6d
#define EXFAT_MUST_BE_ZERO 11
#define EXFAT_MUST_BE_ZERO_LEN 53

#define EXFAT_DIRENT 32u
#define EXFAT_ENTRY_END 0x00
#define EXFAT_ENTRY_LABEL 0x83
#define EXFAT_LABEL_UNITS 11u
#define EXFAT_CHAIN_MAX 100u
#define EXFAT_DIR_MAX 65536u
#define EXFAT_LAST_CLUSTER 0xfffffff6u

struct exfat {
	unsigned sector_shift, cluster_shift;
	uint64_t fat, heap;		/* bytes */
};

/* Sectors 0-10 summed (skipping VolumeFlags and PercentInUse), then
 * compared with each 32-bit copy in sector 11. 1 valid, 0, -errno. */
static int
boot_checksum_ok(struct probe_ctx *c, uint32_t ssize)
{
	uint32_t sum = 0;
	const uint8_t *p;
	int r;

	for (uint32_t s = 0; s < 11; s++) {
		if ((r = probe_at(c, (uint64_t)s * ssize, ssize, &p)) <= 0)
			return r;
		for (uint32_t i = 0; i < ssize; i++) {
			if (s == 0 && (i == 106 || i == 107 || i == 112))
				continue;
			sum = ((sum & 1) ? 0x80000000u : 0) + (sum >> 1) + p[i];
		}
	}
	if ((r = probe_at(c, 11ull * ssize, ssize, &p)) <= 0)
		return r;
	for (uint32_t i = 0; i < ssize; i += 4)
		if (le32(p + i) != sum)
			return 0;
	return 1;
}

/* Looks through one cluster's entries at off: 1 found (copied to
 * entry), 0 go on, 2 the directory ended, -errno. */
static int
scan_cluster(struct probe_ctx *c, uint64_t off, uint64_t csize,
	     uint32_t *budget, uint8_t entry[EXFAT_DIRENT])
{
	for (uint64_t done = 0; done < csize; done += PROBE_BUF_SIZE) {
		size_t len = csize - done < PROBE_BUF_SIZE ?
			     (size_t)(csize - done) : PROBE_BUF_SIZE;
		const uint8_t *p;
		int r = probe_at(c, off + done, len, &p);

		if (r <= 0)
			return r < 0 ? r : 2;
		for (; len; len -= EXFAT_DIRENT, p += EXFAT_DIRENT) {
			if ((*budget)-- == 0 || p[0] == EXFAT_ENTRY_END)
				return 2;
			if (p[0] == EXFAT_ENTRY_LABEL) {
				memcpy(entry, p, EXFAT_DIRENT);
				return 1;
			}
		}
	}
	return 0;
}

/* Finds the volume label entry along the root directory's chain:
 * 1 found (copied to entry), 0 none, -errno. */
static int
find_label(struct probe_ctx *c, const struct exfat *x, uint32_t cluster,
	   uint8_t entry[EXFAT_DIRENT])
{
	unsigned shift = x->sector_shift + x->cluster_shift;
	uint32_t budget = EXFAT_DIR_MAX;
	const uint8_t *p;
	int r;

	for (unsigned n = 0; n < EXFAT_CHAIN_MAX; n++) {
		if (cluster < 2 || cluster > EXFAT_LAST_CLUSTER)
			return 0;
		uint64_t off = x->heap + ((uint64_t)(cluster - 2) << shift);

		r = scan_cluster(c, off, 1ull << shift, &budget, entry);
		if (r != 0)
			return r == 2 ? 0 : r;
		r = probe_at(c, x->fat + (uint64_t)cluster * 4, 4, &p);
		if (r <= 0)
			return r;
		cluster = le32(p);
	}
	return 0;
}

int
probe_exfat(struct probe_ctx *c, struct probe_fs *out)
{
	uint8_t bs[512], entry[EXFAT_DIRENT];
	const uint8_t *p;
	struct exfat x;
	int r = probe_at(c, 0, sizeof(bs), &p);

	if (r <= 0 || memcmp(p, "\xeb\x76\x90" "EXFAT   ", 11) != 0)
		return r < 0 ? r : 0;
	memcpy(bs, p, sizeof(bs));
	x.sector_shift = bs[EXFAT_SECTOR_SHIFT];
	x.cluster_shift = bs[EXFAT_CLUSTER_SHIFT];
	if (bs[510] != 0x55 || bs[511] != 0xaa || x.sector_shift < 9 ||
	    x.sector_shift > 12 || x.cluster_shift > 25 - x.sector_shift ||
	    !probe_all_zero(bs + EXFAT_MUST_BE_ZERO, EXFAT_MUST_BE_ZERO_LEN))
		return 0;
	if ((r = boot_checksum_ok(c, 1u << x.sector_shift)) <= 0)
		return r;
	x.fat = (uint64_t)le32(bs + EXFAT_FAT_OFFSET) << x.sector_shift;
	x.heap = (uint64_t)le32(bs + EXFAT_HEAP_OFFSET) << x.sector_shift;
	r = find_label(c, &x, le32(bs + EXFAT_ROOT_CLUSTER), entry);
	if (r < 0)
		return r;
	probe_set_type(out, "exfat");
	if (r > 0)
		probe_set_label16(out, entry + 2, entry[1] < EXFAT_LABEL_UNITS ?
				  entry[1] : EXFAT_LABEL_UNITS, false);
	probe_set_serial(out, le32(bs + EXFAT_SERIAL));
	out->size = shl64(le64(bs + EXFAT_VOLUME_LENGTH), x.sector_shift);
	return 1;
}
