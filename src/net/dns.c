/*
 * dns.c - A queries and their replies; see dns.h. RFC 1035 4.1.1
 * (header), 4.1.2 (question), 4.1.3 (resource record), 4.1.4 (labels
 * and pointers).
 *
 * Limits: only what dns.h promises; every offset is checked against
 * the datagram before a byte is read.
 */
#include "net/dns.h"

#include <errno.h>
#include <string.h>

enum {
	HDR_LEN = 12,
	RR_FIXED = 10,		/* TYPE, CLASS, TTL, RDLENGTH */
	LABEL_MAX = 63,
	FLAG_QR = 0x80,		/* in the third byte */
	FLAG_OPCODE = 0x78,
	FLAG_TC = 0x02,
	RCODE_NXDOMAIN = 3,
	TYPE_A = 1,
	CLASS_IN = 1,
};

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int
dns_query(uint8_t q[DNS_QUERY_MAX], uint16_t id, const char *name)
{
	size_t n = strlen(name), len = 0;

	n -= n && name[n - 1] == '.';
	if (n == 0 || n > DNS_NAME_MAX)
		return -EINVAL;
	/* ID, RD, QDCOUNT 1; a dot before the name, turned into its first
	 * length byte below with the others, walking back from the end. */
	memcpy(q, "\0\0\1\0\0\1\0\0\0\0\0\0.", HDR_LEN + 1);
	q[0] = id >> 8;
	q[1] = id;
	memcpy(q + HDR_LEN + 1, name, n);
	for (uint8_t *p = q + HDR_LEN + n; p >= q + HDR_LEN; p--) {
		if (*p == ':')
			return -EINVAL;
		if (*p != '.') {
			len++;
			continue;
		}
		if (len == 0 || len > LABEL_MAX)
			return -EINVAL;
		*p = len;
		len = 0;
	}
	/* the root label, QTYPE A, QCLASS IN */
	memcpy(q + HDR_LEN + 1 + n, "\0\0\1\0\1", 5);
	return HDR_LEN + n + 6;
}

/* The offset past the name at off, or 0 when it runs past len or uses
 * a reserved label type. A pointer ends the name; it is not followed. */
static size_t
skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		unsigned c = m[off];

		if (c == 0)
			return off + 1;
		if (c >= 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (c > LABEL_MAX)
			return 0;
		off += 1 + c;
	}
	return 0;
}

int
dns_parse(const uint8_t *m, size_t len, uint16_t id, uint32_t *addr)
{
	size_t off = HDR_LEN;
	unsigned qd, an;

	if (len < HDR_LEN || get16(m) != id || !(m[2] & FLAG_QR))
		return len < HDR_LEN ? -EBADMSG : -ESRCH;
	if (m[2] & FLAG_OPCODE)
		return -EBADMSG;
	if (m[2] & FLAG_TC)
		return -EMSGSIZE;
	if (m[3] & 0x0f)
		return (m[3] & 0x0f) == RCODE_NXDOMAIN ? -ENOENT : -EIO;
	qd = get16(m + 4);
	an = get16(m + 6);
	while (qd--) {
		off = skip_name(m, len, off) + 4;
		if (off == 4 || off > len)
			return -EBADMSG;
	}
	while (an--) {
		const uint8_t *rr;
		size_t rdlen;

		off = skip_name(m, len, off);
		if (off == 0 || len - off < RR_FIXED)
			return -EBADMSG;
		rr = m + off;
		rdlen = get16(rr + 8);
		off += RR_FIXED;
		if (len - off < rdlen)
			return -EBADMSG;
		if (get16(rr) == TYPE_A && get16(rr + 2) == CLASS_IN && rdlen == 4) {
			memcpy(addr, rr + RR_FIXED, 4);
			return 0;
		}
		off += rdlen;
	}
	return -ENOENT;
}
