/*
 * dhcp.c - BOOTP/DHCP requests and replies; see dhcp.h. RFC 2131
 * (layout, section 4.1 overload order), RFC 2132 (options), RFC 3396
 * (split options joined), RFC 3397 (119), RFC 3442 (121).
 *
 * Limits: only Ethernet (htype 1, hlen 6); a reply whose options add
 * up to more than DHCP_MSG_MAX bytes is refused as malformed; options
 * the client does not use are skipped (checked for length only).
 */
#include "net/dhcp.h"
#include "net/wire.h"

#include <errno.h>
#include <string.h>

enum {
	BOOTREQUEST = 1,
	BOOTREPLY = 2,
	HTYPE_ETHER = 1,
	OPT_PAD = 0,
	OPT_END = 255,
	OFF_XID = 4,
	OFF_SECS = 8,
	OFF_FLAGS = 10,
	OFF_CIADDR = 12,
	OFF_YIADDR = 16,
	OFF_SIADDR = 20,
	OFF_GIADDR = 24,
	OFF_CHADDR = 28,
	OFF_SNAME = 44,
	OFF_FILE = 108,
	SNAME_LEN = 64,
	FILE_LEN = 128,
};

static const uint8_t magic_cookie[4] = { 99, 130, 83, 99 };

/* klibc's list plus NTP servers (42) and the lease time (51). */
static const uint8_t request_list[] = {
	1, 3, 6, 12, 15, 17, 26, 28, 40, 42, 51, 119, 121
};

/* The options being written: an overflow is remembered, not written. */
struct out {
	uint8_t *p;
	size_t len, size;
	bool full;
};

static void
put_opt(struct out *o, uint8_t code, const void *data, size_t n)
{
	if (o->size - o->len < n + 2) {
		o->full = true;
		return;
	}
	o->p[o->len] = code;
	o->p[o->len + 1] = (uint8_t)n;
	memcpy(o->p + o->len + 2, data, n);
	o->len += n + 2;
}

static void
put_addr_opt(struct out *o, uint8_t code, struct in_addr a)
{
	if (a.s_addr)
		put_opt(o, code, &a, 4);
}

int
dhcp_build(const struct dhcp_request *rq, uint8_t *buf, size_t size)
{
	struct out o = { buf, DHCP_OPTIONS_OFF, size, false };
	const char *vendor = rq->vendor_class ? rq->vendor_class : DHCP_VENDOR_CLASS;
	const char *host = rq->hostname ? rq->hostname : "";
	bool dhcp = rq->type != DHCP_BOOTP;
	uint8_t u8[7];

	if (rq->type != DHCP_BOOTP && rq->type != DHCP_DISCOVER &&
	    rq->type != DHCP_REQUEST)
		return -EINVAL;
	if (strlen(vendor) > 255 || strlen(host) > 255)
		return -EINVAL;
	if (size < DHCP_MIN_LEN)
		return -ENOSPC;
	memset(buf, 0, DHCP_MIN_LEN);
	buf[0] = BOOTREQUEST;
	buf[1] = HTYPE_ETHER;
	buf[2] = sizeof(rq->mac);
	wire_put_be(buf + OFF_XID, rq->xid, 4);
	wire_put_be(buf + OFF_SECS, rq->secs, 2);
	buf[OFF_FLAGS] = rq->broadcast ? 0x80 : 0;
	memcpy(buf + OFF_CIADDR, &rq->ciaddr, 4);
	memcpy(buf + OFF_CHADDR, rq->mac, sizeof(rq->mac));
	memcpy(buf + DHCP_FIXED_LEN, magic_cookie, 4);

	if (dhcp) {
		u8[0] = (uint8_t)rq->type;
		put_opt(&o, 53, u8, 1);
		u8[0] = HTYPE_ETHER;	/* RFC 2132 9.14: type, then chaddr */
		memcpy(u8 + 1, rq->mac, sizeof(rq->mac));
		put_opt(&o, 61, u8, 7);
		put_addr_opt(&o, 50, rq->requested);
		put_addr_opt(&o, 54, rq->server_id);
	}
	put_opt(&o, 55, request_list, sizeof(request_list));
	if (dhcp) {
		wire_put_be(u8, DHCP_MSG_MAX + 28, 2);
		put_opt(&o, 57, u8, 2);
		put_opt(&o, 60, vendor, strlen(vendor));
	}
	if (*host)
		put_opt(&o, 12, host, strlen(host));
	if (o.len == o.size)
		o.full = true;
	if (o.full)
		return -ENOSPC;
	buf[o.len++] = OPT_END;
	return o.len < DHCP_MIN_LEN ? (int)DHCP_MIN_LEN : (int)o.len;
}

/* Where a reply's options are, in the order RFC 2131 4.1 reads them. */
struct areas {
	const uint8_t *p[3];
	size_t len[3];
	unsigned n;
};

/* Copies the data of every option `code` into out (cap bytes), one
 * after the other (RFC 3396), and sets *len. Returns how many there
 * were, or -EBADMSG for an option running past its area (checked for
 * every option, whatever its code). */
static int
gather(const struct areas *a, uint8_t code, uint8_t *out, size_t cap, size_t *len)
{
	int found = 0;

	*len = 0;
	for (unsigned i = 0; i < a->n; i++) {
		const uint8_t *p = a->p[i], *end = p + a->len[i];

		while (p < end && *p != OPT_END) {
			if (*p == OPT_PAD) {
				p++;
				continue;
			}
			if (end - p < 2 || end - p - 2 < p[1])
				return -EBADMSG;
			if (p[0] == code) {
				if (cap - *len < p[1])
					return -EBADMSG;
				memcpy(out + *len, p + 2, p[1]);
				*len += p[1];
				found++;
			}
			p += 2 + p[1];
		}
	}
	return found;
}

/* Text into dst as struct dhcp_lease promises, or nothing. */
static void
set_text(char *dst, size_t size, const uint8_t *src, size_t n)
{
	while (n && !src[n - 1])
		n--;
	if (n >= size)
		return;
	for (size_t i = 0; i < n; i++)
		if (src[i] < 0x20 || src[i] == 0x7f)
			return;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A NUL-terminated field of the fixed part (sname, file). */
static void
set_field(char *dst, size_t size, const uint8_t *src, size_t n)
{
	const uint8_t *nul = memchr(src, 0, n);

	set_text(dst, size, src, nul ? (size_t)(nul - src) : n);
}

/* Option 121: width, the significant octets of the destination, the
 * router; all of it or nothing. */
static bool
decode_routes(struct dhcp_lease *l, const uint8_t *d, size_t n)
{
	size_t p = 0;
	unsigned k = 0;

	while (p < n) {
		unsigned w = d[p], sig = (w + 7) / 8;
		struct dhcp_route *r = &l->routes[k];
		uint8_t dest[4] = { 0 };

		if (w > 32 || n - p < 1 + sig + 4 || k == DHCP_ROUTES_MAX)
			return false;
		memcpy(dest, d + p + 1, sig);
		memcpy(&r->dest, dest, 4);
		r->dest.s_addr &= w ? htonl(~0u << (32 - w)) : 0;
		memcpy(&r->gateway, d + p + 1 + sig, 4);
		r->width = (uint8_t)w;
		p += 1 + sig + 4;
		k++;
	}
	l->nroutes = k;
	return true;
}

enum kind { ADDR, ADDRS, TEXT, NUM, TYPE };

/* The options with a fixed shape: where each goes in the lease. */
struct rule {
	uint8_t code, kind;
	uint16_t size, off;
};

#define RULE(code, kind, field) \
	{ code, kind, sizeof(((struct dhcp_lease *)0)->field), \
	  offsetof(struct dhcp_lease, field) }

static const struct rule rules[] = {
	RULE(53, TYPE, type),
	RULE(1, ADDR, netmask),
	RULE(3, ADDRS, router),
	RULE(6, ADDRS, dns),
	RULE(12, TEXT, hostname),
	RULE(15, TEXT, domain),
	RULE(17, TEXT, rootpath),
	RULE(26, NUM, mtu),
	RULE(28, ADDR, broadcast),
	RULE(40, TEXT, nisdomain),
	RULE(42, ADDRS, ntp),
	RULE(51, NUM, lease_time),
	RULE(54, ADDR, server_id),
	RULE(58, NUM, renew_time),
	RULE(59, NUM, rebind_time),
};

static int
apply_rule(struct dhcp_lease *l, const struct rule *r, const uint8_t *d, size_t n)
{
	uint8_t *dst = (uint8_t *)l + r->off;
	uint32_t v;
	uint16_t v16;

	switch (r->kind) {
	case ADDR:
		if (n != 4)
			return -EBADMSG;
		memcpy(dst, d, 4);
		break;
	case ADDRS:
		if (!n || n % 4)
			return -EBADMSG;
		memcpy(dst, d, n < r->size ? n : r->size);
		break;
	case TEXT:
		set_text((char *)dst, r->size, d, n);
		break;
	case NUM:
		if (n != r->size)
			return -EBADMSG;
		v = wire_get_be(d, n);
		v16 = (uint16_t)v;
		memcpy(dst, n == 2 ? (void *)&v16 : (void *)&v, n);
		break;
	case TYPE:
		if (n != 1 || !d[0] || d[0] > DHCP_INFORM)
			return -EBADMSG;
		l->type = (enum dhcp_type)d[0];
		break;
	}
	return 0;
}

/* Option 52 adds file (1), sname (2) or both (3) to the areas. */
static int
find_overload(struct areas *a, const uint8_t *msg, uint8_t *data, size_t cap)
{
	size_t n;
	int found = gather(a, 52, data, cap, &n);

	if (found <= 0)
		return found;
	if (n != 1 || data[0] < 1 || data[0] > 3)
		return -EBADMSG;
	if (data[0] & 1) {
		a->p[a->n] = msg + OFF_FILE;
		a->len[a->n++] = FILE_LEN;
	}
	if (data[0] & 2) {
		a->p[a->n] = msg + OFF_SNAME;
		a->len[a->n++] = SNAME_LEN;
	}
	return data[0];
}

int
dhcp_parse(struct dhcp_lease *l, const uint8_t *msg, size_t len,
	   uint32_t xid, const uint8_t mac[6])
{
	uint8_t data[DHCP_MSG_MAX];
	struct areas a;
	size_t n;
	int overload, found, err;

	memset(l, 0, sizeof(*l));
	if (len < DHCP_OPTIONS_OFF || msg[0] != BOOTREPLY ||
	    msg[1] != HTYPE_ETHER || msg[2] != 6)
		return -EBADMSG;
	if (wire_get_be(msg + OFF_XID, 4) != xid || memcmp(msg + OFF_CHADDR, mac, 6))
		return -ESRCH;
	if (memcmp(msg + DHCP_FIXED_LEN, magic_cookie, 4))
		return -EBADMSG;
	memcpy(&l->yiaddr, msg + OFF_YIADDR, 4);
	memcpy(&l->siaddr, msg + OFF_SIADDR, 4);
	memcpy(&l->giaddr, msg + OFF_GIADDR, 4);

	a.p[0] = msg + DHCP_OPTIONS_OFF;
	a.len[0] = len - DHCP_OPTIONS_OFF;
	a.n = 1;
	overload = find_overload(&a, msg, data, sizeof(data));
	if (overload < 0)
		return overload;
	if (!(overload & 2))
		set_field(l->sname, sizeof(l->sname), msg + OFF_SNAME, SNAME_LEN);
	if (!(overload & 1))
		set_field(l->file, sizeof(l->file), msg + OFF_FILE, FILE_LEN);

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		found = gather(&a, rules[i].code, data, sizeof(data), &n);
		if (found < 0)
			return found;
		if (found && (err = apply_rule(l, &rules[i], data, n)) < 0)
			return err;
	}
	found = gather(&a, 119, data, sizeof(data), &n);
	if (found > 0 && !wire_names_text(l->search, sizeof(l->search), data, n))
		l->search[0] = '\0';
	found = gather(&a, 121, data, sizeof(data), &n);
	if (found > 0 && !decode_routes(l, data, n)) {
		memset(l->routes, 0, sizeof(l->routes));
		l->nroutes = 0;
	}
	return 0;
}
