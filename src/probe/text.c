/*
 * text.c - a probe's findings as text, the way blkid prints them:
 * UUIDs in lower-case hex with dashes (GUIDs with their first three
 * fields little-endian), FAT serials in upper case, labels with
 * trailing white space removed, UTF-16 (RFC 2781) converted to UTF-8
 * (RFC 3629). Limits: nothing is normalised or checked for being
 * printable; a label is what the filesystem stores.
 */
#include "probe/internal.h"

#include <stdio.h>
#include <string.h>

static const char hexdigits[] = "0123456789abcdef";

void
probe_set_type(struct probe_fs *out, const char *type)
{
	snprintf(out->type, sizeof(out->type), "%s", type);
}

bool
probe_all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Writes 16 bytes in the order given by idx, dashed 8-4-4-4-12. */
static void
uuid_format(char *dst, const uint8_t u[16], const uint8_t idx[16])
{
	for (unsigned i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*dst++ = '-';
		*dst++ = hexdigits[u[idx[i]] >> 4];
		*dst++ = hexdigits[u[idx[i]] & 15];
	}
	*dst = '\0';
}

void
probe_uuid_str(char *dst, const uint8_t u[16])
{
	static const uint8_t order[16] = { 0, 1, 2, 3, 4, 5, 6, 7,
					   8, 9, 10, 11, 12, 13, 14, 15 };

	uuid_format(dst, u, order);
}

void
probe_guid_str(char *dst, const uint8_t g[16])
{
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
					   8, 9, 10, 11, 12, 13, 14, 15 };

	uuid_format(dst, g, order);
}

void
probe_set_uuid(struct probe_fs *out, const uint8_t uuid[16])
{
	if (probe_all_zero(uuid, 16))
		out->uuid[0] = '\0';
	else
		probe_uuid_str(out->uuid, uuid);
}

void
probe_set_serial(struct probe_fs *out, uint32_t serial)
{
	snprintf(out->uuid, sizeof(out->uuid), "%04X-%04X",
		 (unsigned)(serial >> 16), (unsigned)(serial & 0xffff));
}

static void
rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		n--;
	s[n] = '\0';
}

void
probe_set_label(struct probe_fs *out, const uint8_t *s, size_t max)
{
	size_t n = 0;

	while (n < max && n < sizeof(out->label) - 1 && s[n])
		n++;
	memcpy(out->label, s, n);
	out->label[n] = '\0';
	rtrim(out->label);
}

void
probe_set_label16(struct probe_fs *out, const uint8_t *s, size_t units,
		  bool big_endian)
{
	probe_utf16_to_utf8(out->label, sizeof(out->label), s, units,
			    big_endian);
	rtrim(out->label);
}

/* Encodes c as UTF-8 at dst[*len] if it fits with a NUL after it. */
static bool
put_utf8(char *dst, size_t size, size_t *len, uint32_t c)
{
	uint8_t b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (uint8_t)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (uint8_t)(0xc0 | c >> 6);
		b[1] = (uint8_t)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (uint8_t)(0xe0 | c >> 12);
		b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | c >> 18);
		b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[3] = (uint8_t)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*len + n >= size)
		return false;
	memcpy(dst + *len, b, n);
	*len += n;
	return true;
}

size_t
probe_utf16_to_utf8(char *dst, size_t size, const uint8_t *src, size_t units,
		    bool big_endian)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < units; i++) {
		const uint8_t *p = src + 2 * i;
		uint32_t c = big_endian ? be16(p) : le16(p);

		if (c == 0)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < units) {
			uint32_t lo = big_endian ? be16(p + 2) : le16(p + 2);

			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i++;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;	/* an unpaired surrogate */
		if (!put_utf8(dst, size, &len, c))
			break;
	}
	dst[len] = '\0';
	return len;
}
