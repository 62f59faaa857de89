/*
 * internal.h - what the probes of src/probe share: a read context that
 * keeps the device's first 8 KiB (where most superblocks are) so each
 * probe costs no system call, bounds-checked access to anything else,
 * byte-order readers, and the setters that format UUIDs and labels the
 * way blkid does. Not part of the layer's interface (probe.h is).
 */
#ifndef ES_PROBE_INTERNAL_H
#define ES_PROBE_INTERNAL_H

#include "probe/probe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBE_HEAD_SIZE 8192u	/* read once: 4 KiB pages, 4Kn GPT's LBA 1 */
#define PROBE_BUF_SIZE 4096u	/* the largest probe_at outside the head */

struct probe_ctx {
	const struct probe_dev *dev;
	size_t head_len;		/* how much of head the device has */
	uint8_t head[PROBE_HEAD_SIZE];
	uint8_t buf[PROBE_BUF_SIZE];
};

/* Reads the head. Returns 0 or -errno. */
int probe_ctx_init(struct probe_ctx *c, const struct probe_dev *d);

/*
 * Makes the len bytes at off readable through *p: a pointer into the
 * head, or into c->buf (valid until the next probe_at). len must not
 * exceed PROBE_BUF_SIZE. Returns 1, 0 if the device ends before
 * off + len, or -errno.
 */
int probe_at(struct probe_ctx *c, uint64_t off, size_t len, const uint8_t **p);

/* pread of exactly len bytes: 1, 0 if the device ends first, -errno. */
int probe_read(const struct probe_dev *d, uint64_t off, void *buf, size_t len);

/* ---- byte order: p must hold the bytes read ----
 * always_inline: at -Os GCC would rather call a function for each load
 * than inline it, which costs more code than the load itself. */

static inline __attribute__((always_inline)) uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline __attribute__((always_inline)) uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline __attribute__((always_inline)) uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline __attribute__((always_inline)) uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline __attribute__((always_inline)) uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline __attribute__((always_inline)) uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | (uint64_t)be32(p + 4);
}

/* a << shift, or 0 when it would not fit in 64 bits. */
static inline __attribute__((always_inline)) uint64_t
shl64(uint64_t a, unsigned shift)
{
	if (shift >= 64 || (shift && a >> (64 - shift)))
		return 0;
	return a << shift;
}

/* a * b, or 0 when it would not fit in 64 bits. */
static inline __attribute__((always_inline)) uint64_t
mul64(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? 0 : r;
}

/* ---- results ---- */

void probe_set_type(struct probe_fs *out, const char *type);
/* 16 bytes as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", in byte order;
 * nothing when all zero (blkid's rule). */
void probe_set_uuid(struct probe_fs *out, const uint8_t uuid[16]);
/* FAT's and exFAT's volume serial: "%04X-%04X", high half first. */
void probe_set_serial(struct probe_fs *out, uint32_t serial);
/* Up to max bytes of s, ending at a NUL, trailing white space removed. */
void probe_set_label(struct probe_fs *out, const uint8_t *s, size_t max);
/* Up to units UTF-16 code units (little- or big-endian), as UTF-8. */
void probe_set_label16(struct probe_fs *out, const uint8_t *s, size_t units,
		       bool big_endian);

/* Formats 16 bytes into dst (37 bytes): byte order, or GUID order (the
 * first three fields little-endian, as GPT and EFI store them). */
void probe_uuid_str(char *dst, const uint8_t u[16]);
void probe_guid_str(char *dst, const uint8_t g[16]);
bool probe_all_zero(const uint8_t *p, size_t n);

/* UTF-16 (stopping at a NUL unit) to NUL-terminated UTF-8 in dst,
 * never splitting a character; unpaired surrogates become U+FFFD.
 * Returns the length written. */
size_t probe_utf16_to_utf8(char *dst, size_t size, const uint8_t *src,
			   size_t units, bool big_endian);

/* The CRC-32 of IEEE 802.3 (reflected 0xEDB88320) without its initial
 * and final inversion: GPT uses ~probe_crc32(~0, ...), nilfs2 and LVM
 * seed it with their own values. */
uint32_t probe_crc32(uint32_t crc, const void *p, size_t n);

/* A FAT12/16/32 boot sector with a plausible BPB (512 bytes at bs):
 * the MBR parser must not take one for a partition table. */
bool probe_fat_boot_sector(const uint8_t *bs);

/* ---- the probes: 1 identified (out filled), 0 not, -errno ---- */

typedef int probe_fn(struct probe_ctx *c, struct probe_fs *out);

probe_fn probe_btrfs, probe_cramfs, probe_erofs, probe_exfat, probe_ext,
	probe_f2fs, probe_gfs2, probe_gzip, probe_iso9660, probe_jfs,
	probe_luks, probe_lvm2, probe_minix, probe_nilfs2, probe_ocfs2,
	probe_reiserfs, probe_romfs, probe_squashfs, probe_swap, probe_vfat,
	probe_xfs;

/* ---- partition tables (partitions.c calls them) ---- */

/* Appends a partition to t, or counts it as dropped when t is full;
 * returns the entry to fill, or NULL. */
struct probe_part *probe_table_add(struct probe_table *t);
/* 1 found, 0 no valid GPT, -errno. mbr is sector 0 (512 bytes). */
int probe_gpt(struct probe_ctx *c, struct probe_table *t);
int probe_mbr(struct probe_ctx *c, const uint8_t *mbr, struct probe_table *t);

#endif
