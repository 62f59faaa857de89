/*
 * wire.c - big-endian numbers and RFC 1035 names; see wire.h.
 */
#include "net/wire.h"

void
wire_put_be(uint8_t *p, uint32_t v, unsigned n)
{
	while (n--) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

uint32_t
wire_get_be(const uint8_t *p, size_t n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static bool
label_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * One RFC 1035 name of the option data d (n bytes) from *pos, appended
 * to out as "label.label." (root: "."). A pointer must point before
 * the start of the run of labels it ends, so each jump goes strictly
 * backwards and a loop is impossible. Advances *pos past the name.
 */
static bool
decode_name(const uint8_t *d, size_t n, size_t *pos, char *out, size_t size, size_t *o)
{
	size_t p = *pos, run = *pos, start = *o;
	bool jumped = false;

	for (;;) {
		if (p >= n)
			return false;
		if (d[p] == 0)
			break;
		if (d[p] >= 0xc0) {
			size_t t;

			if (n - p < 2)
				return false;
			t = (size_t)(d[p] & 0x3f) << 8 | d[p + 1];
			if (t >= run)
				return false;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			run = p = t;
			continue;
		}
		if (d[p] > 63 || n - p - 1 < d[p] || size - *o <= d[p] + 1u)
			return false;
		for (size_t i = 1; i <= d[p]; i++) {
			if (!label_char(d[p + i]))
				return false;
			out[(*o)++] = (char)d[p + i];
		}
		out[(*o)++] = '.';
		p += 1 + d[p];
	}
	if (!jumped)
		*pos = p + 1;
	if (*o == start) {
		if (size - *o <= 1)
			return false;
		out[(*o)++] = '.';
	}
	return true;
}

bool
wire_names_text(char *out, size_t size, const uint8_t *d, size_t n)
{
	size_t pos = 0, o = 0;

	while (pos < n) {
		if (o) {
			if (size - o <= 1)
				return false;
			out[o++] = ' ';
		}
		if (!decode_name(d, n, &pos, out, size, &o))
			return false;
	}
	out[o] = '\0';
	return true;
}
