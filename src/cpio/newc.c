/* newc.c - see newc.h. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cpio/newc.h"

const char *const cpio_field_names[13] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

static int
hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool
parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

enum cpio_header_status
cpio_header_decode(const uint8_t *buf, struct cpio_header *h, int *bad_field)
{
	uint32_t *fields[13] = {
		&h->ino, &h->mode, &h->uid, &h->gid, &h->nlink, &h->mtime,
		&h->filesize, &h->devmajor, &h->devminor, &h->rdevmajor,
		&h->rdevminor, &h->namesize, &h->check,
	};

	if (memcmp(buf, CPIO_MAGIC_NEWC, CPIO_MAGIC_SIZE) == 0)
		h->crc = false;
	else if (memcmp(buf, CPIO_MAGIC_CRC, CPIO_MAGIC_SIZE) == 0)
		h->crc = true;
	else if (memcmp(buf, CPIO_MAGIC_ODC, CPIO_MAGIC_SIZE) == 0)
		return CPIO_HEADER_ODC;
	else
		return CPIO_HEADER_BAD_MAGIC;
	for (int i = 0; i < 13; i++) {
		if (!parse_hex8(buf + CPIO_MAGIC_SIZE + 8 * i, fields[i])) {
			if (bad_field)
				*bad_field = i;
			return CPIO_HEADER_BAD_HEX;
		}
	}
	return CPIO_HEADER_OK;
}

void
cpio_header_encode(const struct cpio_header *h, char *buf)
{
	snprintf(buf, CPIO_HEADER_SIZE + 1,
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 h->crc ? CPIO_MAGIC_CRC : CPIO_MAGIC_NEWC, h->ino, h->mode,
		 h->uid, h->gid, h->nlink, h->mtime, h->filesize, h->devmajor,
		 h->devminor, h->rdevmajor, h->rdevminor, h->namesize,
		 h->check);
}

uint32_t
cpio_checksum(uint32_t sum, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return sum;
}
