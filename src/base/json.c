/* json.c - see json.h. */
#include "base/json.h"
#include "base/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when
 * p[0] does not start one (RFC 3629, section 4). */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp, min;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *
json_quote_mem(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	/* Worst case: every byte becomes the six of \u00XX. */
	char *out = xmalloc(len * 6 + 3), *o = out;

	*o++ = '"';
	for (size_t i = 0; i < len;) {
		size_t k = utf8_len(p + i, len - i);

		if (p[i] == '"' || p[i] == '\\') {
			*o++ = '\\';
			*o++ = (char)p[i++];
		} else if (p[i] == '\n' || p[i] == '\t') {
			*o++ = '\\';
			*o++ = p[i++] == '\n' ? 'n' : 't';
		} else if (k == 0 || p[i] < 0x20 || p[i] == 0x7f) {
			o += sprintf(o, "\\u%04x", p[i++]);
		} else {
			memcpy(o, p + i, k);
			o += k;
			i += k;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

char *
json_quote(const char *s)
{
	return s ? json_quote_mem(s, strlen(s)) : xstrdup("null");
}

void
json_put(FILE *f, const char *s)
{
	char *q = json_quote(s);

	fputs(q, f);
	free(q);
}
