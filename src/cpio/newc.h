/*
 * newc.h - the newc (070701) and crc (070702) cpio header.
 *
 * Spec: the kernel's Documentation/driver-api/early-userspace/
 * buffer-format.rst. A header is 110 ASCII bytes: a 6-byte magic and 13
 * fields of 8 hex digits. The name follows (namesize counts its NUL and
 * any extra NUL padding), padded so the data starts 4-aligned; the data
 * is padded to 4 as well.
 *
 * Decoding is strict: exactly 8 hex digits per field, either case, no
 * "0x", no spaces, no sign (the kernel's simple_strtoul is laxer; the
 * difference is reported, never silently accepted).
 */
#ifndef ES_CPIO_NEWC_H
#define ES_CPIO_NEWC_H

#include <stdbool.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_MAGIC_SIZE 6
#define CPIO_MAGIC_NEWC "070701"
#define CPIO_MAGIC_CRC "070702"
#define CPIO_MAGIC_ODC "070707"	/* old portable format: not for the kernel */
#define CPIO_TRAILER_NAME "TRAILER!!!"
/* The kernel's limit on namesize and on a symlink target (PATH_MAX). */
#define CPIO_PATH_MAX 4096
/* The trailer is followed by zeros up to this block size. */
#define CPIO_BLOCK 512

struct cpio_header {
	bool crc;		/* magic 070702: check holds the data's sum */
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	uint32_t namesize, check;
};

enum cpio_header_status {
	CPIO_HEADER_OK = 0,
	CPIO_HEADER_ODC,	/* 070707: "incorrect cpio method used" */
	CPIO_HEADER_BAD_MAGIC,	/* "no cpio magic" */
	CPIO_HEADER_BAD_HEX,	/* a field is not 8 hex digits */
};

/* Decodes 110 bytes. On CPIO_HEADER_BAD_HEX, *bad_field is the index
 * (0 = ino ... 12 = check) of the first bad field. */
enum cpio_header_status cpio_header_decode(const uint8_t *buf,
					   struct cpio_header *h,
					   int *bad_field);
/* Encodes h as the kernel's gen_init_cpio does (upper-case hex) into
 * buf, which must hold CPIO_HEADER_SIZE + 1 bytes. */
void cpio_header_encode(const struct cpio_header *h, char *buf);
/* Field names in header order, for messages. */
extern const char *const cpio_field_names[13];

/* Bytes of padding after a name of namesize bytes, counting from the
 * header's start (which is 4-aligned). */
static inline uint32_t
cpio_name_pad(uint32_t namesize)
{
	return (uint32_t)(-(CPIO_HEADER_SIZE + (uint64_t)namesize) & 3);
}

/* Sum of the bytes, as stored in a 070702 header's check field. */
uint32_t cpio_checksum(uint32_t sum, const void *p, size_t n);

#endif
