/* test_probe.c - src/probe: superblocks and partition tables built byte
 * by byte in memory (the fields each format's specification names),
 * probed through a memfd; then the same images cut short, corrupted at
 * random, and with tables that lie (CRCs, loops, offsets past the end).
 * Real mkfs output is compared with blkid and klibc in
 * tests/early/fstype.t. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probe/internal.h"
#include "probe/probe.h"

/* ---- images ---- */

struct img {
	uint8_t *p;
	size_t len;
};

static void
img_init(struct img *m, size_t len)
{
	m->p = calloc(1, len);
	assert_non_null(m->p);
	m->len = len;
}

static void
img_free(struct img *m)
{
	free(m->p);
	m->p = NULL;
}

static void
put(struct img *m, size_t off, const void *src, size_t n)
{
	assert_true(off + n <= m->len);
	memcpy(m->p + off, src, n);
}

static void
put_str(struct img *m, size_t off, const char *s)
{
	put(m, off, s, strlen(s));
}

static void
put_le(struct img *m, size_t off, uint64_t v, unsigned bytes)
{
	assert_true(off + bytes <= m->len);
	for (unsigned i = 0; i < bytes; i++)
		m->p[off + i] = (uint8_t)(v >> (8 * i));
}

static void
put_be(struct img *m, size_t off, uint64_t v, unsigned bytes)
{
	assert_true(off + bytes <= m->len);
	for (unsigned i = 0; i < bytes; i++)
		m->p[off + i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

/* UTF-16 of an ASCII string, in either byte order. */
static void
put_utf16(struct img *m, size_t off, const char *s, bool be)
{
	for (; *s; s++, off += 2)
		(be ? put_be : put_le)(m, off, (uint8_t)*s, 2);
}

static const uint8_t test_uuid[16] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};
#define TEST_UUID "01234567-89ab-cdef-fedc-ba9876543210"

static int
img_fd(const struct img *m, size_t len)
{
	int fd = memfd_create("probe", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, m->p, len), (ssize_t)len);
	return fd;
}

/* Probes the first len bytes of m. */
static int
probe_len(const struct img *m, size_t len, struct probe_fs *fs)
{
	int fd = img_fd(m, len), r;
	struct probe_dev d;

	assert_int_equal(probe_dev_init(&d, fd), 0);
	r = probe_filesystem(&d, fs);
	close(fd);
	return r;
}

static int
probe_img(const struct img *m, struct probe_fs *fs)
{
	return probe_len(m, m->len, fs);
}

static void
expect_fs(const struct img *m, const char *type, const char *uuid,
	  const char *label, uint64_t size)
{
	struct probe_fs fs;

	assert_int_equal(probe_img(m, &fs), 1);
	assert_string_equal(fs.type, type);
	assert_string_equal(fs.uuid, uuid);
	assert_string_equal(fs.label, label);
	assert_int_equal(fs.size, size);
}

static void
expect_unknown(const struct img *m)
{
	struct probe_fs fs;

	assert_int_equal(probe_img(m, &fs), 0);
	assert_string_equal(fs.type, "");
}

/* ---- builders: one superblock each ---- */

static void
build_ext(struct img *m, uint32_t compat, uint32_t incompat, uint32_t flags)
{
	img_init(m, 8192);
	put_le(m, 1024 + 0x04, 8192, 4);	/* blocks */
	put_le(m, 1024 + 0x18, 0, 4);		/* 1 KiB blocks */
	put_le(m, 1024 + 0x38, 0xef53, 2);
	put_le(m, 1024 + 0x5c, compat, 4);
	put_le(m, 1024 + 0x60, incompat, 4);
	put(m, 1024 + 0x68, test_uuid, 16);
	put_str(m, 1024 + 0x78, "lab2");
	put_le(m, 1024 + 0x150, 1, 4);		/* blocks, high half */
	put_le(m, 1024 + 0x160, flags, 4);
}

static void
build_xfs(struct img *m)
{
	img_init(m, 4096);
	put_str(m, 0, "XFSB");
	put_be(m, 4, 4096, 4);
	put_be(m, 8, 76800, 8);
	put(m, 32, test_uuid, 16);
	put_be(m, 88, 4, 4);
	put_be(m, 102, 512, 2);
	put_str(m, 108, "xfslabel");
}

static void
build_btrfs(struct img *m)
{
	img_init(m, 0x11000);
	put(m, 0x10000 + 0x20, test_uuid, 16);
	put_str(m, 0x10000 + 0x40, "_BHRfS_M");
	put_le(m, 0x10000 + 0x70, 125829120, 8);
	put_str(m, 0x10000 + 0x12b, "btrfs label");
}

/* A 1.44 MB floppy's BPB (FAT12): 1 reserved sector, 2 FATs of 9,
 * 224 root entries, root directory at sector 19. */
#define FLOPPY_ROOT (19 * 512)

static void
build_fat12(struct img *m, const char *boot_label, const char *dir_label)
{
	img_init(m, 40 * 512);
	put(m, 0, "\xeb\x3c\x90" "mkfs.fat", 11);
	put_le(m, 0x0b, 512, 2);
	m->p[0x0d] = 1;
	put_le(m, 0x0e, 1, 2);
	m->p[0x10] = 2;
	put_le(m, 0x11, 224, 2);
	put_le(m, 0x13, 2880, 2);
	m->p[0x15] = 0xf0;
	put_le(m, 0x16, 9, 2);
	m->p[0x26] = 0x29;
	put_le(m, 0x27, 0x1dc345fa, 4);
	put_str(m, 0x2b, boot_label);
	put_str(m, 0x36, "FAT12   ");
	put(m, 510, "\x55\xaa", 2);
	/* a deleted entry and a long-name entry come before the label */
	m->p[FLOPPY_ROOT] = 0xe5;
	m->p[FLOPPY_ROOT + 11] = 0x08;
	m->p[FLOPPY_ROOT + 32] = 'A';
	m->p[FLOPPY_ROOT + 32 + 11] = 0x0f;
	if (dir_label) {
		put_str(m, FLOPPY_ROOT + 64, dir_label);
		m->p[FLOPPY_ROOT + 64 + 11] = 0x08;
	}
}

/* FAT32: 32 reserved sectors, 2 FATs of 600, one sector per cluster;
 * the root directory is cluster 2 (sixteen files) then, by the FAT,
 * cluster 5 holding the label. */
#define FAT32_FAT (32 * 512)
#define FAT32_DATA ((32 + 2 * 600) * 512)

static void
build_fat32(struct img *m, bool loop)
{
	img_init(m, FAT32_DATA + 8 * 512);
	put(m, 0, "\xeb\x58\x90" "mkfs.fat", 11);
	put_le(m, 0x0b, 512, 2);
	m->p[0x0d] = 1;
	put_le(m, 0x0e, 32, 2);
	m->p[0x10] = 2;
	m->p[0x15] = 0xf8;
	put_le(m, 0x20, 70000, 4);
	put_le(m, 0x24, 600, 4);
	put_le(m, 0x2c, 2, 4);
	put_le(m, 0x43, 0xabcd1234, 4);
	put_str(m, 0x47, "NO NAME    ");
	put_str(m, 0x52, "FAT32   ");
	put(m, 510, "\x55\xaa", 2);
	for (unsigned i = 0; i < 16; i++) {
		put_str(m, FAT32_DATA + 32 * i, "FILE    TXT");
		m->p[FAT32_DATA + 32 * i + 11] = 0x20;
		put_le(m, FAT32_DATA + 32 * i + 26, 9, 2);
	}
	put_le(m, FAT32_FAT + 2 * 4, loop ? 2 : 5, 4);
	put_le(m, FAT32_FAT + 5 * 4, 0x0fffffff, 4);
	put_str(m, FAT32_DATA + 3 * 512, "FAT32LABEL ");
	m->p[FAT32_DATA + 3 * 512 + 11] = 0x08;
}

/* exFAT with 512-byte sectors, 4 KiB clusters, the FAT at sector 32,
 * the heap at 64; the root directory's cluster 2 is full of other
 * entries and the label is in cluster 3. */
static uint32_t
exfat_sum(const uint8_t *p)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i < 11 * 512; i++)
		if (i != 106 && i != 107 && i != 112)
			sum = ((sum & 1) ? 0x80000000u : 0) + (sum >> 1) + p[i];
	return sum;
}

static void
exfat_seal(struct img *m)
{
	uint32_t sum = exfat_sum(m->p);

	for (unsigned i = 0; i < 512; i += 4)
		put_le(m, 11 * 512 + i, sum, 4);
}

static void
build_exfat(struct img *m)
{
	static const uint8_t label[] = { 'E', 0, 'x', 0, 'L', 0, 0xe4, 0, 'b', 0 };

	img_init(m, 64 * 512 + 2 * 4096);
	put(m, 0, "\xeb\x76\x90" "EXFAT   ", 11);
	put_le(m, 0x48, 16384, 8);
	put_le(m, 0x50, 32, 4);
	put_le(m, 0x54, 8, 4);
	put_le(m, 0x58, 64, 4);
	put_le(m, 0x5c, 1000, 4);
	put_le(m, 0x60, 2, 4);
	put_le(m, 0x64, 0xaabbccdd, 4);
	m->p[0x69] = 1;
	m->p[0x6c] = 9;
	m->p[0x6d] = 3;
	m->p[0x6e] = 1;
	put(m, 510, "\x55\xaa", 2);
	exfat_seal(m);
	put_le(m, 32 * 512 + 2 * 4, 3, 4);
	put_le(m, 32 * 512 + 3 * 4, 0xffffffff, 4);
	m->p[64 * 512] = 0x81;
	m->p[64 * 512 + 32] = 0x82;
	for (unsigned i = 2; i < 128; i++)
		m->p[64 * 512 + 32 * i] = 0x05;	/* deleted file entries */
	m->p[64 * 512 + 4096] = 0x83;
	m->p[64 * 512 + 4096 + 1] = 5;
	put(m, 64 * 512 + 4096 + 2, label, sizeof(label));
}

#define ISO_PVD (16 * 2048)

static void
build_iso(struct img *m, const char *label, const char *joliet, bool modified)
{
	size_t vd = ISO_PVD + 2048;

	img_init(m, 20 * 2048);
	m->p[ISO_PVD] = 1;
	put_str(m, ISO_PVD + 1, "CD001");
	m->p[ISO_PVD + 6] = 1;
	memset(m->p + ISO_PVD + 40, ' ', 32);
	put_str(m, ISO_PVD + 40, label);
	put_str(m, ISO_PVD + 813, "2020010203040500");
	put_str(m, ISO_PVD + 830, modified ? "2021060708091011" :
						   "0000000000000000");
	if (joliet) {
		m->p[vd] = 2;
		put_str(m, vd + 1, "CD001");
		m->p[vd + 6] = 1;
		put_str(m, vd + 88, "%/E");
		for (unsigned i = 0; i < 16; i++)
			put_be(m, vd + 40 + 2 * i, ' ', 2);
		put_utf16(m, vd + 40, joliet, true);
		vd += 2048;
	}
	m->p[vd] = 255;
	put_str(m, vd + 1, "CD001");
}

static void
build_swap(struct img *m, size_t page, const char *sig)
{
	img_init(m, 2 * page);
	put_le(m, 1024, 1, 4);			/* version */
	put_le(m, 1028, 2 * page / 4096 - 1, 4);	/* last page */
	put(m, 1024 + 12, test_uuid, 16);
	put_str(m, 1024 + 28, "swaplabel");
	put_str(m, page - 10, sig);
}

static void
build_nilfs(struct img *m, bool backup)
{
	size_t len = 1 << 20, off = backup ? len - 4096 : 1024;
	static const uint8_t zero[4];
	uint32_t crc;

	img_init(m, len);
	put_le(m, off + 0, 2, 4);
	put_le(m, off + 6, 0x3434, 2);
	put_le(m, off + 8, 1024, 2);
	put_le(m, off + 12, 0x12345678, 4);
	put_le(m, off + 32, len, 8);
	put(m, off + 152, test_uuid, 16);
	put_str(m, off + 168, "nilfs");
	crc = probe_crc32(0x12345678, m->p + off, 16);
	crc = probe_crc32(crc, zero, 4);
	crc = probe_crc32(crc, m->p + off + 20, 1024 - 20);
	put_le(m, off + 16, crc, 4);
}

static void
build_lvm(struct img *m, unsigned sector)
{
	size_t l = sector * 512;

	img_init(m, 4096);
	put_str(m, l, "LABELONE");
	put_le(m, l + 8, sector, 8);
	put_le(m, l + 20, 32, 4);
	put_str(m, l + 24, "LVM2 001");
	put_str(m, l + 32, "AbCdEf0123456789GhIjKl0123456789");
	put_le(m, l + 16, probe_crc32(0xf597a6cf, m->p + l + 20, 512 - 20), 4);
}

static void
build_luks(struct img *m, unsigned version, size_t at)
{
	img_init(m, at + 4096);
	put(m, at, at ? "SKUL\xba\xbe" : "LUKS\xba\xbe", 6);
	put_be(m, at + 6, version, 2);
	put_str(m, at + 24, "cryptlabel");
	put_str(m, at + 168, "12345678-1234-1234-1234-123456789abc");
	put_be(m, at + 256, at, 8);
}

static void
build_minix(struct img *m, uint16_t magic)
{
	img_init(m, 4096);
	put_le(m, 1024 + 0, 32, 2);	/* inodes */
	put_le(m, 1024 + 2, 1440, 2);	/* zones */
	put_le(m, 1024 + 4, 1, 2);	/* inode bitmap blocks */
	put_le(m, 1024 + 6, 1, 2);	/* zone bitmap blocks */
	put_le(m, 1024 + 8, 8, 2);	/* first data zone */
	put_le(m, 1024 + 16, magic, 2);
	put_le(m, 1024 + 20, 2048, 4);	/* v2: zones */
}

/* ---- filesystems ---- */

static void
ext_named_by_features(void **state)
{
	struct img m;
	/* 1 KiB blocks; the high half of the count only with 64bit */
	const uint64_t small = 8192ull << 10, big = (8192ull + (1ull << 32)) << 10;

	(void)state;
	build_ext(&m, 0, 0x2, 0);
	expect_fs(&m, "ext2", TEST_UUID, "lab2", small);
	img_free(&m);
	build_ext(&m, 0x4, 0x2, 0);
	expect_fs(&m, "ext3", TEST_UUID, "lab2", small);
	img_free(&m);
	build_ext(&m, 0x4, 0x2 | 0x40 | 0x80, 0);
	expect_fs(&m, "ext4", TEST_UUID, "lab2", big);
	img_free(&m);
	build_ext(&m, 0x4, 0x40, 0x4);
	expect_fs(&m, "ext4dev", TEST_UUID, "lab2", small);
	img_free(&m);
	build_ext(&m, 0, 0x8, 0);
	expect_fs(&m, "jbd", TEST_UUID, "lab2", small);
	img_free(&m);
}

static void
ext_zero_uuid_and_bad_block_size(void **state)
{
	struct img m;

	(void)state;
	build_ext(&m, 0, 0, 0);
	memset(m.p + 1024 + 0x68, 0, 16);
	put_le(&m, 1024 + 0x18, 40, 4);		/* 2^50-byte blocks */
	expect_fs(&m, "ext2", "", "lab2", 0);
	img_free(&m);
}

static void
xfs_needs_sane_sizes(void **state)
{
	struct img m;

	(void)state;
	build_xfs(&m);
	expect_fs(&m, "xfs", TEST_UUID, "xfslabel", 76800ull * 4096);
	put_be(&m, 4, 4097, 4);
	expect_unknown(&m);
	img_free(&m);
}

static void
btrfs_at_64k(void **state)
{
	struct img m;

	(void)state;
	build_btrfs(&m);
	expect_fs(&m, "btrfs", TEST_UUID, "btrfs label", 125829120);
	img_free(&m);
}

static void
fat12_label_from_root_directory(void **state)
{
	struct img m;

	(void)state;
	build_fat12(&m, "BOOTLABEL  ", "DIRLABEL   ");
	expect_fs(&m, "vfat", "1DC3-45FA", "DIRLABEL", 2880 * 512);
	img_free(&m);
	build_fat12(&m, "BOOTLABEL  ", NULL);
	expect_fs(&m, "vfat", "1DC3-45FA", "BOOTLABEL", 2880 * 512);
	img_free(&m);
	build_fat12(&m, "NO NAME    ", NULL);
	expect_fs(&m, "vfat", "1DC3-45FA", "", 2880 * 512);
	img_free(&m);
	build_fat12(&m, "BOOTLABEL  ", "NO NAME    ");
	expect_fs(&m, "vfat", "1DC3-45FA", "BOOTLABEL", 2880 * 512);
	img_free(&m);
}

static void
fat_needs_a_plausible_bpb(void **state)
{
	struct img m;

	(void)state;
	build_fat12(&m, "BOOTLABEL  ", NULL);
	m.p[0x15] = 0x12;			/* media byte */
	expect_unknown(&m);
	m.p[0x15] = 0xf0;
	put_le(&m, 0x0b, 768, 2);		/* sector size */
	expect_unknown(&m);
	put_le(&m, 0x0b, 512, 2);
	m.p[0x10] = 0;				/* no FAT */
	expect_unknown(&m);
	m.p[0x10] = 2;
	put_le(&m, 0x13, 10, 2);		/* fewer sectors than FATs */
	expect_unknown(&m);
	img_free(&m);
}

static void
fat32_label_along_the_cluster_chain(void **state)
{
	struct img m;

	(void)state;
	build_fat32(&m, false);
	expect_fs(&m, "vfat", "ABCD-1234", "FAT32LABEL", 70000ull * 512);
	img_free(&m);
	/* a chain that loops on itself ends; the BPB's label is NO NAME */
	build_fat32(&m, true);
	expect_fs(&m, "vfat", "ABCD-1234", "", 70000ull * 512);
	img_free(&m);
}

static void
exfat_checksum_and_label(void **state)
{
	struct img m;

	(void)state;
	build_exfat(&m);
	expect_fs(&m, "exfat", "AABB-CCDD", "ExL\xc3\xa4" "b", 16384ull * 512);
	m.p[100] ^= 1;				/* outside the checksum's gaps */
	expect_unknown(&m);
	exfat_seal(&m);
	m.p[0x0b] = 1;				/* must be zero */
	exfat_seal(&m);
	expect_unknown(&m);
	img_free(&m);
}

static void
iso9660_uuid_from_dates(void **state)
{
	struct img m;

	(void)state;
	build_iso(&m, "ISOLAB", NULL, true);
	expect_fs(&m, "iso9660", "2021-06-07-08-09-10-11", "ISOLAB", 0);
	img_free(&m);
	build_iso(&m, "ISOLAB", NULL, false);
	expect_fs(&m, "iso9660", "2020-01-02-03-04-05-00", "ISOLAB", 0);
	img_free(&m);
}

static void
iso9660_joliet_label(void **state)
{
	struct img m;

	(void)state;
	/* the primary label's '_' stands for what ASCII cannot hold */
	build_iso(&m, "JOLIET_LAB", "Joliet Lab", true);
	expect_fs(&m, "iso9660", "2021-06-07-08-09-10-11", "Joliet Lab", 0);
	img_free(&m);
	/* Joliet's 16 characters, continued by the primary's */
	build_iso(&m, "A_VERY_LONG_VOLUME_LABEL_1234", "a very long volu", true);
	expect_fs(&m, "iso9660", "2021-06-07-08-09-10-11",
		  "a very long voluME_LABEL_1234", 0);
	img_free(&m);
	/* disagreeing labels: Joliet's alone */
	build_iso(&m, "PRIMARY", "other", true);
	expect_fs(&m, "iso9660", "2021-06-07-08-09-10-11", "other", 0);
	img_free(&m);
}

static void
iso9660_high_sierra(void **state)
{
	struct img m;

	(void)state;
	img_init(&m, 18 * 2048);
	m.p[ISO_PVD + 8] = 1;
	put_str(&m, ISO_PVD + 9, "CDROM");
	put_str(&m, ISO_PVD + 48, "HSLABEL");
	expect_fs(&m, "iso9660", "", "HSLABEL", 0);
	img_free(&m);
}

static void
squashfs_versions(void **state)
{
	struct img m;

	(void)state;
	img_init(&m, 4096);
	put_str(&m, 0, "hsqs");
	put_le(&m, 28, 4, 2);
	put_le(&m, 40, 12345, 8);
	expect_fs(&m, "squashfs", "", "", 12345);
	memset(m.p, 0, 96);
	put_str(&m, 0, "sqsh");			/* version 3, big-endian */
	put_be(&m, 28, 3, 2);
	put_be(&m, 63, 777, 8);
	expect_fs(&m, "squashfs3", "", "", 777);
	img_free(&m);
}

static void
erofs_and_f2fs(void **state)
{
	struct img m;

	(void)state;
	img_init(&m, 4096);
	put_le(&m, 1024, 0xe0f5e1e2, 4);
	m.p[1024 + 12] = 12;
	put_le(&m, 1024 + 36, 3, 4);
	put(&m, 1024 + 48, test_uuid, 16);
	put_str(&m, 1024 + 64, "erofs");
	expect_fs(&m, "erofs", TEST_UUID, "erofs", 3 * 4096);
	m.p[1024 + 12] = 40;
	expect_unknown(&m);
	img_free(&m);

	img_init(&m, 4096);
	put_le(&m, 1024, 0xf2f52010, 4);
	put_le(&m, 1024 + 16, 12, 4);
	put_le(&m, 1024 + 36, 16384, 8);
	put(&m, 1024 + 108, test_uuid, 16);
	put_utf16(&m, 1024 + 124, "f2 label ", false);
	expect_fs(&m, "f2fs", TEST_UUID, "f2 label", 16384ull * 4096);
	img_free(&m);
}

static void
swap_and_hibernation(void **state)
{
	static const uint8_t toi[8] = { 0xed, 0xc3, 0x02, 0xe9,
					0x98, 0x56, 0xe5, 0x0c };
	struct img m;

	(void)state;
	build_swap(&m, 4096, "SWAPSPACE2");
	expect_fs(&m, "swap", TEST_UUID, "swaplabel", 0);
	img_free(&m);
	build_swap(&m, 65536, "SWAPSPACE2");
	expect_fs(&m, "swap", TEST_UUID, "swaplabel", 0);
	img_free(&m);
	build_swap(&m, 4096, "S1SUSPEND");
	expect_fs(&m, "swsuspend", TEST_UUID, "swaplabel", 0);
	img_free(&m);
	build_swap(&m, 8192, "LINHIB0001");
	expect_fs(&m, "swsuspend", TEST_UUID, "swaplabel", 0);
	img_free(&m);
	/* garbage in the padding: no UUID or label (blkid's test) */
	build_swap(&m, 4096, "SWAPSPACE2");
	put_le(&m, 1024 + 172, 7, 4);
	expect_fs(&m, "swap", "", "", 0);
	/* TuxOnIce keeps the swap signature */
	put(&m, 0, toi, sizeof(toi));
	expect_fs(&m, "swsuspend", "", "", 0);
	img_free(&m);
	/* a version-1 signature needs version 1 and a last page */
	build_swap(&m, 4096, "SWAPSPACE2");
	put_le(&m, 1028, 0, 4);
	expect_unknown(&m);
	img_free(&m);
}

static void
klibc_small_formats(void **state)
{
	struct img m;

	(void)state;
	img_init(&m, 4096);		/* cramfs, version-2 flag */
	put_le(&m, 0, 0x28cd3d45, 4);
	put_le(&m, 4, 4096, 4);
	put_le(&m, 8, 1, 4);
	put_str(&m, 16, "Compressed ROMFS");
	put_le(&m, 40, 3, 4);
	put_str(&m, 48, "crlab");
	expect_fs(&m, "cramfs", "", "crlab", 3 << 10);
	img_free(&m);

	img_init(&m, 4096);		/* romfs */
	put_str(&m, 0, "-rom1fs-");
	put_be(&m, 8, 4096, 4);
	put_str(&m, 16, "romlabel-longer-than-16");
	expect_fs(&m, "romfs", "", "romlabel-longer-", 4096);
	img_free(&m);

	img_init(&m, 4096);		/* gzip */
	put(&m, 0, "\x1f\x8b\x08", 3);
	expect_fs(&m, "gzip", "", "", 0);
	img_free(&m);
}

static void
minix_versions_and_sanity(void **state)
{
	struct img m;

	(void)state;
	build_minix(&m, 0x138f);
	expect_fs(&m, "minix", "", "", 1440 << 10);
	img_free(&m);
	build_minix(&m, 0x2478);
	expect_fs(&m, "minix", "", "", 2048 << 10);
	img_free(&m);
	/* bitmaps too small for the zones they claim */
	build_minix(&m, 0x137f);
	put_le(&m, 1024 + 2, 60000, 2);
	expect_unknown(&m);
	img_free(&m);
	/* version 3, big-endian */
	img_init(&m, 4096);
	put_be(&m, 1024 + 6, 1, 2);
	put_be(&m, 1024 + 8, 1, 2);
	put_be(&m, 1024 + 20, 100, 4);
	put_be(&m, 1024 + 24, 0x4d5a, 2);
	put_be(&m, 1024 + 28, 4096, 2);
	expect_fs(&m, "minix", "", "", 100 * 4096);
	img_free(&m);
}

static void
journaling_and_cluster_formats(void **state)
{
	struct img m;

	(void)state;
	img_init(&m, 0x8000 + 512);	/* jfs */
	put_str(&m, 0x8000, "JFS1");
	put_le(&m, 0x8000 + 8, 32768, 8);
	put_le(&m, 0x8000 + 16, 4096, 4);
	put_le(&m, 0x8000 + 20, 12, 2);
	put_le(&m, 0x8000 + 22, 3, 2);
	put_le(&m, 0x8000 + 24, 512, 4);
	put_le(&m, 0x8000 + 28, 9, 2);
	put(&m, 0x8000 + 136, test_uuid, 16);
	put_str(&m, 0x8000 + 152, "jfslab");
	expect_fs(&m, "jfs", TEST_UUID, "jfslab", 32768ull << 9);
	put_le(&m, 0x8000 + 22, 2, 2);	/* l2bfactor disagrees */
	expect_unknown(&m);
	img_free(&m);

	img_init(&m, 0x10000 + 512);	/* reiserfs 3.6 */
	put_le(&m, 0x10000, 4096, 4);
	put_le(&m, 0x10000 + 12, 18, 4);
	put_le(&m, 0x10000 + 44, 4096, 2);
	put_str(&m, 0x10000 + 52, "ReIsEr2Fs");
	put(&m, 0x10000 + 84, test_uuid, 16);
	put_str(&m, 0x10000 + 100, "rlabel");
	expect_fs(&m, "reiserfs", TEST_UUID, "rlabel", 4096ull * 4096);
	put_le(&m, 0x10000 + 12, 2, 4);	/* inside the journal: stale */
	expect_unknown(&m);
	img_free(&m);

	img_init(&m, 0x10000 + 512);	/* gfs2 */
	put_be(&m, 0x10000, 0x01161970, 4);
	put_be(&m, 0x10000 + 24, 1801, 4);
	put_be(&m, 0x10000 + 28, 1900, 4);
	put_str(&m, 0x10000 + 160, "clu:fs");
	put(&m, 0x10000 + 256, test_uuid, 16);
	expect_fs(&m, "gfs2", TEST_UUID, "clu:fs", 0);
	img_free(&m);

	img_init(&m, 8192 + 512);	/* ocfs2, 4 KiB blocks */
	put_str(&m, 8192, "OCFSV2");
	put_str(&m, 8192 + 0x110, "oclabel");
	put(&m, 8192 + 0x150, test_uuid, 16);
	expect_fs(&m, "ocfs2", TEST_UUID, "oclabel", 0);
	img_free(&m);
}

static void
nilfs2_crc_and_backup(void **state)
{
	struct img m;

	(void)state;
	build_nilfs(&m, false);
	expect_fs(&m, "nilfs2", TEST_UUID, "nilfs", 1 << 20);
	m.p[1024 + 100] ^= 1;
	expect_unknown(&m);
	img_free(&m);
	build_nilfs(&m, true);
	expect_fs(&m, "nilfs2", TEST_UUID, "nilfs", 1 << 20);
	img_free(&m);
}

static void
luks_and_lvm2(void **state)
{
	struct img m;

	(void)state;
	build_luks(&m, 1, 0);
	expect_fs(&m, "crypto_LUKS", "12345678-1234-1234-1234-123456789abc", "", 0);
	img_free(&m);
	build_luks(&m, 2, 0);
	expect_fs(&m, "crypto_LUKS", "12345678-1234-1234-1234-123456789abc",
		  "cryptlabel", 0);
	img_free(&m);
	build_luks(&m, 2, 0x8000);	/* the secondary header alone */
	expect_fs(&m, "crypto_LUKS", "12345678-1234-1234-1234-123456789abc",
		  "cryptlabel", 0);
	put_be(&m, 0x8000 + 256, 0x4000, 8);	/* claims another place */
	expect_unknown(&m);
	img_free(&m);

	build_lvm(&m, 1);
	expect_fs(&m, "LVM2_member", "AbCdEf-0123-4567-89Gh-IjKl-0123-456789", "", 0);
	put_le(&m, 512 + 8, 0, 8);	/* not the sector it is in */
	expect_unknown(&m);
	img_free(&m);
	build_lvm(&m, 3);
	m.p[3 * 512 + 100] ^= 1;	/* CRC */
	expect_unknown(&m);
	img_free(&m);
}

/* ---- which signature wins ---- */

static void
order_swap_over_old_fat(void **state)
{
	struct img m, fat;

	(void)state;
	/* mkswap keeps the first 1 KiB: an old FAT boot sector survives */
	build_fat12(&fat, "OLDFAT     ", NULL);
	build_swap(&m, 4096, "SWAPSPACE2");
	memcpy(m.p, fat.p, 1024);
	expect_fs(&m, "swap", TEST_UUID, "swaplabel", 0);
	img_free(&m);
	/* a boot loader's FAT-like sector before an ext superblock */
	build_ext(&m, 0, 0, 0);
	memcpy(m.p, fat.p, 1024);
	expect_fs(&m, "ext2", TEST_UUID, "lab2", 8192ull << 10);
	img_free(&m);
	img_free(&fat);
}

static void
order_ext_before_minix(void **state)
{
	struct img m;

	(void)state;
	build_minix(&m, 0x138f);
	put_le(&m, 1024 + 0x38, 0xef53, 2);
	/* ext's block count is where minix keeps its bitmap sizes */
	expect_fs(&m, "ext2", "", "", 65537ull << 10);
	img_free(&m);
}

static void
short_and_empty_devices(void **state)
{
	struct img m;
	struct probe_fs fs;

	(void)state;
	img_init(&m, 4096);
	assert_int_equal(probe_len(&m, 0, &fs), 0);
	assert_int_equal(probe_len(&m, 1, &fs), 0);
	img_free(&m);
}

static void
read_error_is_reported(void **state)
{
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	struct probe_table t = { .parts = NULL, .cap = 0 };
	struct probe_dev d;
	struct probe_fs fs;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(probe_dev_init(&d, fd), 0);
	assert_int_equal(probe_filesystem(&d, &fs), -EISDIR);
	assert_string_equal(fs.type, "");
	assert_int_equal(probe_partitions(&d, &t), -EISDIR);
	close(fd);
	d.fd = -1;
	assert_int_equal(probe_filesystem(&d, &fs), -EBADF);
}

/* ---- partition tables ---- */

static int
table_len(const struct img *m, size_t len, unsigned ss, struct probe_table *t)
{
	int fd = img_fd(m, len), r;
	struct probe_dev d;

	assert_int_equal(probe_dev_init(&d, fd), 0);
	d.sector_size = ss;
	r = probe_partitions(&d, t);
	close(fd);
	return r;
}

static int
table_img(const struct img *m, struct probe_table *t)
{
	return table_len(m, m->len, 0, t);
}

static void
expect_part(const struct probe_table *t, unsigned i, unsigned number,
	    uint64_t start, uint64_t sectors, const char *type, const char *uuid,
	    const char *label)
{
	assert_true(i < t->n);
	assert_int_equal(t->parts[i].number, number);
	assert_int_equal(t->parts[i].start, start);
	assert_int_equal(t->parts[i].sectors, sectors);
	assert_string_equal(t->parts[i].type, type);
	assert_string_equal(t->parts[i].uuid, uuid);
	assert_string_equal(t->parts[i].label, label);
}

static void
mbr_entry(struct img *m, size_t sector, unsigned slot, uint8_t type,
	  uint32_t start, uint32_t size)
{
	size_t e = sector * 512 + 446 + 16 * slot;

	m->p[e + 4] = type;
	put_le(m, e + 8, start, 4);
	put_le(m, e + 12, size, 4);
	put(m, sector * 512 + 510, "\x55\xaa", 2);
}

/* Slots 1 (0x83), 2 (extended at 200), 4 (0xc); EBRs at 200 and 300
 * hold logical partitions 5 and 6. */
static void
build_mbr(struct img *m)
{
	img_init(m, 1 << 20);
	put_le(m, 440, 0x12345678, 4);
	mbr_entry(m, 0, 0, 0x83, 1000, 100);
	mbr_entry(m, 0, 1, 0x05, 200, 700);
	mbr_entry(m, 0, 3, 0x0c, 1500, 50);
	mbr_entry(m, 200, 0, 0x83, 10, 20);
	mbr_entry(m, 200, 1, 0x05, 100, 50);
	mbr_entry(m, 300, 0, 0x82, 5, 10);
}

static void
mbr_primary_and_logical(void **state)
{
	struct probe_part parts[8];
	struct probe_table t = { .parts = parts, .cap = 8 };
	struct img m;

	(void)state;
	build_mbr(&m);
	assert_int_equal(table_img(&m, &t), 1);
	assert_string_equal(t.type, "dos");
	assert_string_equal(t.uuid, "12345678");
	assert_int_equal(t.sector_size, 512);
	assert_int_equal(t.n, 5);
	expect_part(&t, 0, 1, 1000, 100, "0x83", "12345678-01", "");
	expect_part(&t, 1, 2, 200, 700, "0x5", "12345678-02", "");
	expect_part(&t, 2, 5, 210, 20, "0x83", "12345678-05", "");
	expect_part(&t, 3, 6, 305, 10, "0x82", "12345678-06", "");
	expect_part(&t, 4, 4, 1500, 50, "0xc", "12345678-04", "");
	/* 4 KiB logical sectors: the same table, in 512-byte units */
	assert_int_equal(table_len(&m, m.len, 4096, &t), 1);
	assert_int_equal(t.sector_size, 4096);
	expect_part(&t, 0, 1, 8000, 800, "0x83", "12345678-01", "");
	img_free(&m);
}

static void
mbr_ebr_chain_that_loops_ends(void **state)
{
	struct probe_part parts[8];
	struct probe_table t = { .parts = parts, .cap = 8 };
	struct img m;

	(void)state;
	build_mbr(&m);
	mbr_entry(&m, 300, 1, 0x05, 0, 50);	/* back to the first EBR */
	assert_int_equal(table_img(&m, &t), 1);
	assert_int_equal(t.n, 5);
	expect_part(&t, 3, 6, 305, 10, "0x82", "12345678-06", "");
	mbr_entry(&m, 300, 1, 0x05, 100, 50);	/* to itself */
	assert_int_equal(table_img(&m, &t), 1);
	assert_int_equal(t.n, 5);
	mbr_entry(&m, 300, 1, 0x05, 0x7fffffff, 50);	/* past the end */
	assert_int_equal(table_img(&m, &t), 1);
	assert_int_equal(t.n, 5);
	img_free(&m);
}

static void
mbr_long_chain_is_cut(void **state)
{
	struct probe_part parts[200];
	struct probe_table t = { .parts = parts, .cap = 200 };
	struct img m;

	(void)state;
	img_init(&m, 1 << 20);
	mbr_entry(&m, 0, 0, 0x0f, 100, 1000);
	for (unsigned i = 0; i < 150; i++) {
		mbr_entry(&m, 100 + 2 * i, 0, 0x83, 1, 1);
		mbr_entry(&m, 100 + 2 * i, 1, 0x05, 2 * (i + 1), 2);
	}
	assert_int_equal(table_img(&m, &t), 1);
	assert_int_equal(t.n, 1 + 100);
	assert_int_equal(t.parts[100].number, 104);
	img_free(&m);
}

static void
mbr_not_a_table(void **state)
{
	struct probe_part parts[8];
	struct probe_table t = { .parts = parts, .cap = 8 };
	struct img m;

	(void)state;
	build_fat12(&m, "FLOPPY     ", NULL);	/* a FAT boot sector */
	assert_int_equal(table_img(&m, &t), 0);
	assert_string_equal(t.type, "");
	img_free(&m);
	build_mbr(&m);
	m.p[446 + 16] = 0x12;			/* a boot flag */
	assert_int_equal(table_img(&m, &t), 0);
	m.p[446 + 16] = 0x80;
	m.p[511] = 0;				/* the signature */
	assert_int_equal(table_img(&m, &t), 0);
	img_free(&m);
	img_init(&m, 1 << 20);			/* protective, no GPT */
	mbr_entry(&m, 0, 0, 0xee, 1, 2047);
	assert_int_equal(table_img(&m, &t), 0);
	img_free(&m);
}

static void
table_full_counts_dropped(void **state)
{
	struct probe_part parts[2];
	struct probe_table t = { .parts = parts, .cap = 2 };
	struct img m;

	(void)state;
	build_mbr(&m);
	assert_int_equal(table_img(&m, &t), 1);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.dropped, 3);
	img_free(&m);
}

/* A GPT in ss-byte sectors: 128 entries of 128 bytes at LBA 2 and
 * before the backup header at the last LBA. */
#define GPT_ENTRIES 128u

struct gpt_layout {
	unsigned ss;
	uint64_t lbas, array_sectors, first, last;
};

static struct gpt_layout
gpt_layout(unsigned ss)
{
	struct gpt_layout g = { .ss = ss, .lbas = (4u << 20) / ss };

	g.array_sectors = GPT_ENTRIES * 128 / ss;
	g.first = 2 + g.array_sectors;
	g.last = g.lbas - 2 - g.array_sectors;
	return g;
}

static const uint8_t linux_fs_guid[16] = {	/* 0FC63DAF-8483-... */
	0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
	0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4,
};

static void
gpt_entries(struct img *m, const struct gpt_layout *g, uint64_t lba)
{
	size_t e = lba * g->ss;
	static const uint16_t name3[] = { 'S', 0xd83d, 0xde00, 0 };

	put(m, e, linux_fs_guid, 16);
	put(m, e + 16, test_uuid, 16);
	put_le(m, e + 32, g->first, 8);
	put_le(m, e + 40, g->first + 99, 8);
	put_utf16(m, e + 56, "root fs", false);
	/* entry 2 is unused; entry 3 has a name outside the BMP */
	e += 2 * 128;
	put(m, e, linux_fs_guid, 16);
	memset(m->p + e + 16, 0xab, 16);
	put_le(m, e + 32, g->first + 100, 8);
	put_le(m, e + 40, g->first + 199, 8);
	for (unsigned i = 0; name3[i]; i++)
		put_le(m, e + 56 + 2 * i, name3[i], 2);
}

static void
gpt_header(struct img *m, const struct gpt_layout *g, uint64_t lba,
	   uint64_t alt, uint64_t entries)
{
	size_t h = lba * g->ss;

	put_str(m, h, "EFI PART");
	put_le(m, h + 8, 0x10000, 4);
	put_le(m, h + 12, 92, 4);
	put_le(m, h + 16, 0, 4);
	put_le(m, h + 24, lba, 8);
	put_le(m, h + 32, alt, 8);
	put_le(m, h + 40, g->first, 8);
	put_le(m, h + 48, g->last, 8);
	put(m, h + 56, linux_fs_guid, 16);
	put_le(m, h + 72, entries, 8);
	put_le(m, h + 80, GPT_ENTRIES, 4);
	put_le(m, h + 84, 128, 4);
	put_le(m, h + 88, ~probe_crc32(~0u, m->p + entries * g->ss,
				       GPT_ENTRIES * 128), 4);
	put_le(m, h + 16, ~probe_crc32(~0u, m->p + h, 92), 4);
}

static void
gpt_reseal(struct img *m, const struct gpt_layout *g, uint64_t lba)
{
	size_t h = lba * g->ss;

	put_le(m, h + 16, 0, 4);
	put_le(m, h + 16, ~probe_crc32(~0u, m->p + h, 92), 4);
}

static void
build_gpt(struct img *m, unsigned ss, struct gpt_layout *g)
{
	uint64_t backup_entries;

	*g = gpt_layout(ss);
	backup_entries = g->lbas - 1 - g->array_sectors;
	img_init(m, g->lbas * ss);
	mbr_entry(m, 0, 0, 0xee, 1, (uint32_t)(g->lbas - 1));
	gpt_entries(m, g, 2);
	gpt_entries(m, g, backup_entries);
	gpt_header(m, g, 1, g->lbas - 1, 2);
	gpt_header(m, g, g->lbas - 1, 1, backup_entries);
}

static void
expect_gpt(const struct img *m, size_t len, unsigned dev_ss, unsigned ss)
{
	struct probe_part parts[8];
	struct probe_table t = { .parts = parts, .cap = 8 };
	const struct gpt_layout g = gpt_layout(ss);
	unsigned per512 = ss / 512;

	assert_int_equal(table_len(m, len, dev_ss, &t), 1);
	assert_string_equal(t.type, "gpt");
	assert_string_equal(t.uuid, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	assert_int_equal(t.sector_size, ss);
	assert_int_equal(t.n, 2);
	expect_part(&t, 0, 1, g.first * per512, 100 * per512,
		    "0fc63daf-8483-4772-8e79-3d69d8477de4",
		    "67452301-ab89-efcd-fedc-ba9876543210", "root fs");
	expect_part(&t, 1, 3, (g.first + 100) * per512, 100 * per512,
		    "0fc63daf-8483-4772-8e79-3d69d8477de4",
		    "abababab-abab-abab-abab-abababababab", "S\xf0\x9f\x98\x80");
}

static void
gpt_in_512_and_4096_byte_sectors(void **state)
{
	struct gpt_layout g;
	struct img m;

	(void)state;
	build_gpt(&m, 512, &g);
	expect_gpt(&m, m.len, 0, 512);
	img_free(&m);
	build_gpt(&m, 4096, &g);
	expect_gpt(&m, m.len, 0, 4096);		/* guessed */
	expect_gpt(&m, m.len, 4096, 4096);	/* the device says */
	img_free(&m);
}

static void
gpt_bad_primary_falls_back_to_backup(void **state)
{
	struct gpt_layout g;
	struct img m;

	(void)state;
	/* the header's CRC; the primary entries wiped to prove it */
	build_gpt(&m, 512, &g);
	m.p[512 + 40] ^= 1;
	memset(m.p + 2 * 512, 0, GPT_ENTRIES * 128);
	expect_gpt(&m, m.len, 0, 512);
	img_free(&m);
	/* the entries' CRC */
	build_gpt(&m, 512, &g);
	m.p[2 * 512 + 60] ^= 1;
	expect_gpt(&m, m.len, 0, 512);
	img_free(&m);
	/* a header whose CRC holds but whose array is absurd */
	build_gpt(&m, 512, &g);
	put_le(&m, 512 + 80, 0xffffffff, 4);
	gpt_reseal(&m, &g, 1);
	expect_gpt(&m, m.len, 0, 512);
	img_free(&m);
	/* an array past the device's end */
	build_gpt(&m, 512, &g);
	put_le(&m, 512 + 72, 1ull << 40, 8);
	gpt_reseal(&m, &g, 1);
	expect_gpt(&m, m.len, 0, 512);
	img_free(&m);
}

static void
gpt_both_bad_is_no_table(void **state)
{
	struct probe_part parts[8];
	struct probe_table t = { .parts = parts, .cap = 8 };
	struct gpt_layout g;
	struct img m;

	(void)state;
	build_gpt(&m, 512, &g);
	m.p[512 + 40] ^= 1;
	m.p[(g.lbas - 1) * 512 + 40] ^= 1;
	assert_int_equal(table_img(&m, &t), 0);
	assert_string_equal(t.type, "");
	assert_int_equal(t.n, 0);
	/* a device cut short has lost its backup header */
	m.p[(g.lbas - 1) * 512 + 40] ^= 1;
	assert_int_equal(table_len(&m, m.len - 512, 0, &t), 0);
	img_free(&m);
}

static void
gpt_entry_outside_usable_lbas_skipped(void **state)
{
	struct probe_part parts[8];
	struct probe_table t = { .parts = parts, .cap = 8 };
	struct gpt_layout g;
	struct img m;

	(void)state;
	build_gpt(&m, 512, &g);
	put_le(&m, 2 * 512 + 2 * 128 + 40, g.last + 1, 8);
	gpt_header(&m, &g, 1, g.lbas - 1, 2);
	assert_int_equal(table_img(&m, &t), 1);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.parts[0].number, 1);
	img_free(&m);
}

/* ---- hostile images ---- */

typedef void build_fn(struct img *m);

static void b_ext(struct img *m) { build_ext(m, 0x4, 0x2c2, 0); }
static void b_fat12(struct img *m) { build_fat12(m, "BOOT       ", "DIR        "); }
static void b_fat32(struct img *m) { build_fat32(m, false); }
static void b_iso(struct img *m) { build_iso(m, "A_B", "a b", true); }
static void b_swap(struct img *m) { build_swap(m, 4096, "SWAPSPACE2"); }
static void b_nilfs(struct img *m) { build_nilfs(m, false); }
static void b_lvm(struct img *m) { build_lvm(m, 2); }
static void b_luks(struct img *m) { build_luks(m, 2, 0); }
static void b_minix(struct img *m) { build_minix(m, 0x138f); }
static void b_gpt(struct img *m) { struct gpt_layout g; build_gpt(m, 512, &g); }
static void b_gpt4k(struct img *m) { struct gpt_layout g; build_gpt(m, 4096, &g); }

static build_fn *const hostile_builders[] = {
	b_ext, build_xfs, build_btrfs, b_fat12, b_fat32, build_exfat, b_iso,
	b_swap, b_nilfs, b_lvm, b_luks, b_minix, build_mbr, b_gpt, b_gpt4k,
};

/* Both probes on the first len bytes: whatever they find, they
 * return 0 or 1 (the sanitizers watch the reads). */
static void
probe_both(const struct img *m, size_t len)
{
	struct probe_part parts[4];
	struct probe_table t = { .parts = parts, .cap = 4 };
	struct probe_fs fs;
	int r = probe_len(m, len, &fs);

	assert_true(r == 0 || r == 1);
	assert_true(memchr(fs.type, 0, sizeof(fs.type)) != NULL);
	assert_true(memchr(fs.uuid, 0, sizeof(fs.uuid)) != NULL);
	assert_true(memchr(fs.label, 0, sizeof(fs.label)) != NULL);
	r = table_len(m, len, 0, &t);
	assert_true(r == 0 || r == 1);
	assert_true(t.n <= t.cap);
}

static void
truncated_images(void **state)
{
	(void)state;
	for (size_t b = 0; b < sizeof(hostile_builders) / sizeof(hostile_builders[0]); b++) {
		struct img m;

		hostile_builders[b](&m);
		/* every sector boundary and its neighbours, then coarser */
		for (size_t len = 0; len <= m.len && len < 80 * 1024; len += 512) {
			probe_both(&m, len);
			if (len)
				probe_both(&m, len - 1);
			if (len + 1 <= m.len)
				probe_both(&m, len + 1);
		}
		for (size_t len = 80 * 1024; len < m.len; len += 61 * 1024)
			probe_both(&m, len);
		img_free(&m);
	}
}

static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Flips bytes near the structures each image has: the first 72 KiB
 * (boot sectors, superblocks, GPT entries) and the last 16 KiB (backup
 * GPT, nilfs2's backup). */
static void
corrupted_images(void **state)
{
	uint32_t seed = 0x1234567;

	(void)state;
	for (size_t b = 0; b < sizeof(hostile_builders) / sizeof(hostile_builders[0]); b++) {
		struct img m, orig;

		hostile_builders[b](&orig);
		img_init(&m, orig.len);
		for (unsigned round = 0; round < 200; round++) {
			memcpy(m.p, orig.p, m.len);
			for (unsigned k = 1 + xorshift(&seed) % 8; k--;) {
				size_t span = m.len < 72 * 1024 ? m.len : 72 * 1024;
				size_t off = xorshift(&seed) % span;

				if (xorshift(&seed) & 1 && m.len > 16 * 1024)
					off = m.len - 1 - off % (16 * 1024);
				m.p[off] = (uint8_t)xorshift(&seed);
			}
			probe_both(&m, m.len);
		}
		img_free(&m);
		img_free(&orig);
	}
}

/* ---- text ---- */

static void
crc32_check_value(void **state)
{
	(void)state;
	/* the CRC-32 check value of "123456789" */
	assert_int_equal(~probe_crc32(~0u, "123456789", 9), 0xcbf43926u);
}

static void
utf16_to_utf8(void **state)
{
	static const uint8_t s[] = {
		'A', 0, 0xe9, 0, 0xac, 0x20,	/* A e-acute euro */
		0x3d, 0xd8, 0x00, 0xde,		/* U+1F600 */
		0x3d, 0xd8, 'x', 0,		/* an unpaired surrogate */
		0, 0, 'y', 0,			/* NUL ends it */
	};
	char out[32];

	(void)state;
	assert_int_equal(probe_utf16_to_utf8(out, sizeof(out), s, sizeof(s) / 2, false), 14);
	assert_string_equal(out, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbdx");
	/* cut at a character boundary when it does not fit */
	assert_int_equal(probe_utf16_to_utf8(out, 5, s, sizeof(s) / 2, false), 3);
	assert_string_equal(out, "A\xc3\xa9");
	assert_int_equal(probe_utf16_to_utf8(out, 1, s, 3, false), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ext_named_by_features),
		cmocka_unit_test(ext_zero_uuid_and_bad_block_size),
		cmocka_unit_test(xfs_needs_sane_sizes),
		cmocka_unit_test(btrfs_at_64k),
		cmocka_unit_test(fat12_label_from_root_directory),
		cmocka_unit_test(fat_needs_a_plausible_bpb),
		cmocka_unit_test(fat32_label_along_the_cluster_chain),
		cmocka_unit_test(exfat_checksum_and_label),
		cmocka_unit_test(iso9660_uuid_from_dates),
		cmocka_unit_test(iso9660_joliet_label),
		cmocka_unit_test(iso9660_high_sierra),
		cmocka_unit_test(squashfs_versions),
		cmocka_unit_test(erofs_and_f2fs),
		cmocka_unit_test(swap_and_hibernation),
		cmocka_unit_test(klibc_small_formats),
		cmocka_unit_test(minix_versions_and_sanity),
		cmocka_unit_test(journaling_and_cluster_formats),
		cmocka_unit_test(nilfs2_crc_and_backup),
		cmocka_unit_test(luks_and_lvm2),
		cmocka_unit_test(order_swap_over_old_fat),
		cmocka_unit_test(order_ext_before_minix),
		cmocka_unit_test(short_and_empty_devices),
		cmocka_unit_test(read_error_is_reported),
		cmocka_unit_test(mbr_primary_and_logical),
		cmocka_unit_test(mbr_ebr_chain_that_loops_ends),
		cmocka_unit_test(mbr_long_chain_is_cut),
		cmocka_unit_test(mbr_not_a_table),
		cmocka_unit_test(table_full_counts_dropped),
		cmocka_unit_test(gpt_in_512_and_4096_byte_sectors),
		cmocka_unit_test(gpt_bad_primary_falls_back_to_backup),
		cmocka_unit_test(gpt_both_bad_is_no_table),
		cmocka_unit_test(gpt_entry_outside_usable_lbas_skipped),
		cmocka_unit_test(truncated_images),
		cmocka_unit_test(corrupted_images),
		cmocka_unit_test(crc32_check_value),
		cmocka_unit_test(utf16_to_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
