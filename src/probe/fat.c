/*
 * fat.c - FAT12, FAT16 and FAT32 ("vfat"), after Microsoft's FAT
 * specification (fatgen103): the BIOS parameter block in sector 0.
 * FAT has no magic number, so the BPB itself must be plausible: a
 * jump instruction or a FAT type string, sector size a power of two in
 * 512-4096, a power-of-two cluster, at least one FAT and one reserved
 * sector, a valid media byte, and a cluster count that fits its FAT
 * type. The label is the root directory's volume-label entry, else the
 * BPB's (neither when it is "NO NAME"), as blkid reads it; the serial
 * is printed "ABCD-1234". FSSIZE = total sectors times sector size
 * (klibc has no FAT).
 * Limits: labels are copied as stored (OEM code page, no conversion);
 * at most FAT_DIR_MAX root directory entries and FAT_CHAIN_MAX FAT32
 * clusters are searched for the label.
 */
#include "probe/internal.h"

#include <string.h>

#define FAT_SECTOR_SIZE 0x0b
#define FAT_CLUSTER_SECTORS 0x0d
#define FAT_RESERVED 0x0e
#define FAT_NFATS 0x10
#define FAT_ROOT_ENTRIES 0x11
#define FAT_SECTORS16 0x13
#define FAT_MEDIA 0x15
#define FAT_LENGTH16 0x16
#define FAT_SECTORS32 0x20
#define FAT32_LENGTH 0x24
#define FAT32_ROOT_CLUSTER 0x2c
#define FAT16_SERIAL 0x27
#define FAT16_LABEL 0x2b
#define FAT16_TYPE 0x36
#define FAT32_SERIAL 0x43
#define FAT32_LABEL 0x47
#define FAT32_TYPE 0x52

#define FAT12_MAX_CLUSTERS 0xff4u
#define FAT16_MAX_CLUSTERS 0xfff4u
#define FAT32_MAX_CLUSTERS 0x0ffffff6u

#define FAT_DIRENT 32u
#define FAT_DIR_MAX 65536u	/* root directory entries searched, in all */
#define FAT_CHAIN_MAX 100u	/* FAT32 root directory clusters followed */
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_LFN 0x0f

struct fat_geom {
	uint32_t sector_size, cluster_sectors;
	uint64_t fat_start;		/* bytes: the first FAT */
	uint64_t root_start;		/* bytes: FAT12/16 root directory */
	uint64_t data_start;		/* bytes: cluster 2 */
	uint32_t root_entries;
	uint64_t sectors;
	uint32_t clusters;
	bool fat32;
};

static bool
pow2(uint32_t v)
{
	return v && (v & (v - 1)) == 0;
}

static bool
fat_signed(const uint8_t *bs)
{
	if (memcmp(bs + FAT16_TYPE, "FAT", 3) == 0 ||
	    memcmp(bs + FAT32_TYPE, "FAT32   ", 8) == 0 ||
	    memcmp(bs + FAT16_TYPE, "MSDOS", 5) == 0 ||
	    memcmp(bs + FAT32_TYPE, "MSWIN", 5) == 0)
		return true;
	/* Otherwise the boot signature (old floppies have no string). */
	return bs[510] == 0x55 && bs[511] == 0xaa;
}

static bool
fat_geometry(const uint8_t *bs, struct fat_geom *g)
{
	uint32_t reserved = le16(bs + FAT_RESERVED), nfats = bs[FAT_NFATS];
	uint32_t fat_len = le16(bs + FAT_LENGTH16), root_sectors;
	uint64_t meta;

	g->sector_size = le16(bs + FAT_SECTOR_SIZE);
	g->cluster_sectors = bs[FAT_CLUSTER_SECTORS];
	if (!fat_signed(bs) || !pow2(g->sector_size) ||
	    g->sector_size < 512 || g->sector_size > 4096 ||
	    !pow2(g->cluster_sectors) || !reserved || !nfats ||
	    (bs[FAT_MEDIA] != 0xf0 && bs[FAT_MEDIA] < 0xf8))
		return false;
	g->fat32 = fat_len == 0;
	if (g->fat32)
		fat_len = le32(bs + FAT32_LENGTH);
	g->sectors = le16(bs + FAT_SECTORS16);
	if (g->sectors == 0)
		g->sectors = le32(bs + FAT_SECTORS32);
	g->root_entries = le16(bs + FAT_ROOT_ENTRIES);
	root_sectors = (g->root_entries * FAT_DIRENT + g->sector_size - 1) /
		       g->sector_size;
	meta = reserved + (uint64_t)nfats * fat_len;
	if (fat_len == 0 || meta + root_sectors > g->sectors)
		return false;
	g->clusters = (uint32_t)((g->sectors - meta - root_sectors) /
				 g->cluster_sectors);
	g->fat_start = (uint64_t)reserved * g->sector_size;
	g->root_start = meta * g->sector_size;
	g->data_start = (meta + root_sectors) * g->sector_size;
	if (g->fat32)
		return g->clusters <= FAT32_MAX_CLUSTERS;
	return g->clusters <= (g->clusters > FAT12_MAX_CLUSTERS ?
			       FAT16_MAX_CLUSTERS : FAT12_MAX_CLUSTERS);
}

bool
probe_fat_boot_sector(const uint8_t *bs)
{
	struct fat_geom g;

	return fat_geometry(bs, &g);
}

enum { DIR_MORE, DIR_FOUND, DIR_END };

/* Looks through n entries at off for the volume label; *budget counts
 * the entries any one probe may read. DIR_* or -errno. */
static int
scan_dir(struct probe_ctx *c, uint64_t off, uint64_t n, uint32_t *budget,
	 uint8_t label[11])
{
	const size_t per_read = PROBE_BUF_SIZE / FAT_DIRENT;

	for (uint64_t i = 0; i < n; i += per_read) {
		size_t k = n - i < per_read ? (size_t)(n - i) : per_read;
		const uint8_t *e;
		int r = probe_at(c, off + i * FAT_DIRENT, k * FAT_DIRENT, &e);

		if (r <= 0)
			return r < 0 ? r : DIR_END;
		for (; k--; e += FAT_DIRENT) {
			if ((*budget)-- == 0 || e[0] == 0)
				return DIR_END;
			if (e[0] == 0xe5 || (e[11] & 0x3f) == FAT_ATTR_LFN ||
			    le16(e + 20) || le16(e + 26))
				continue;
			if ((e[11] & (FAT_ATTR_VOLUME | FAT_ATTR_DIR)) ==
			    FAT_ATTR_VOLUME) {
				memcpy(label, e, 11);
				return DIR_FOUND;
			}
		}
	}
	return DIR_MORE;
}

/* FAT32's root directory is a cluster chain. */
static int
scan_fat32_root(struct probe_ctx *c, const struct fat_geom *g,
		uint32_t cluster, uint32_t *budget, uint8_t label[11])
{
	uint64_t cluster_bytes = (uint64_t)g->cluster_sectors * g->sector_size;

	for (unsigned i = 0; i < FAT_CHAIN_MAX; i++) {
		const uint8_t *next;
		int r;

		if (cluster < 2 || cluster - 2 >= g->clusters)
			return DIR_END;
		r = scan_dir(c, g->data_start + (cluster - 2) * cluster_bytes,
			     cluster_bytes / FAT_DIRENT, budget, label);
		if (r != DIR_MORE)
			return r;
		r = probe_at(c, g->fat_start + (uint64_t)cluster * 4, 4, &next);
		if (r <= 0)
			return r < 0 ? r : DIR_END;
		cluster = le32(next) & 0x0fffffff;
	}
	return DIR_END;
}

int
probe_vfat(struct probe_ctx *c, struct probe_fs *out)
{
	const uint8_t *bs;
	struct fat_geom g;
	uint8_t boot[512], label[11];
	uint32_t budget = FAT_DIR_MAX;
	int r = probe_at(c, 0, sizeof(boot), &bs);

	if (r <= 0 || !fat_geometry(bs, &g))
		return r < 0 ? r : 0;
	memcpy(boot, bs, sizeof(boot));	/* probe_at may reuse bs */
	if (g.fat32)
		r = scan_fat32_root(c, &g, le32(boot + FAT32_ROOT_CLUSTER),
				    &budget, label);
	else
		r = scan_dir(c, g.root_start, g.root_entries, &budget, label);
	if (r < 0)
		return r;
	if (r != DIR_FOUND || memcmp(label, "NO NAME    ", 11) == 0)
		memcpy(label, boot + (g.fat32 ? FAT32_LABEL : FAT16_LABEL), 11);
	probe_set_type(out, "vfat");
	if (memcmp(label, "NO NAME    ", 11) != 0)
		probe_set_label(out, label, 11);
	probe_set_serial(out, le32(boot + (g.fat32 ? FAT32_SERIAL :
							 FAT16_SERIAL)));
	out->size = g.sectors * g.sector_size;
	return 1;
}
