/*
 * dhcp6.c - DHCPv6 requests and replies; see dhcp6.h. RFC 8415 section
 * 8 (message layout), 21 (options), RFC 3646 (23, 24).
 *
 * Limits: one IA_NA, one address taken from it (the first with a valid
 * lifetime); options the client does not use are checked for length
 * only; a status in the IA or the message ends the address, not the
 * parse (the caller sees ::).
 */
#include "net/dhcp6.h"
#include "net/wire.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

enum {
	OPT_CLIENTID = 1,
	OPT_SERVERID = 2,
	OPT_IA_NA = 3,
	OPT_IAADDR = 5,
	OPT_ORO = 6,
	OPT_PREFERENCE = 7,
	OPT_ELAPSED = 8,
	OPT_STATUS = 13,
	OPT_DNS = 23,
	OPT_DOMAINS = 24,
	DUID_LEN = 10,		/* DUID-LL of an Ethernet address */
	IA_NA_FIXED = 12,	/* IAID, T1, T2 */
	IAADDR_FIXED = 24,	/* address, preferred and valid lifetimes */
};

/* DUID-LL: type 3, hardware type 1 (Ethernet), the address. */
static void
make_duid(uint8_t id[DUID_LEN], const uint8_t mac[6])
{
	static const uint8_t head[4] = { 0, 3, 0, 1 };

	memcpy(id, head, sizeof(head));
	memcpy(id + 4, mac, 6);
}

static uint8_t *
put_opt(uint8_t *p, unsigned code, const void *data, size_t n)
{
	wire_put_be(p, code, 2);
	wire_put_be(p + 2, (uint32_t)n, 2);
	memcpy(p + 4, data, n);
	return p + 4 + n;
}

int
dhcp6_build(const struct dhcp6_request *rq, uint8_t *buf, size_t size)
{
	static const uint8_t oro[4] = { 0, OPT_DNS, 0, OPT_DOMAINS };
	const struct dhcp6_lease *offer = rq->offer;
	bool request = rq->type == DHCP6_REQUEST;
	uint8_t id[DUID_LEN], el[2], ia[IA_NA_FIXED + 4 + IAADDR_FIXED] = { 0 };
	uint8_t addr[IAADDR_FIXED] = { 0 };	/* lifetimes 0: no preference */
	uint8_t *p = buf;

	if ((!request && rq->type != DHCP6_SOLICIT) || (request && !offer))
		return -EINVAL;
	if (size < DHCP6_REQUEST_MAX)
		return -ENOSPC;
	wire_put_be(p, (uint32_t)rq->type << 24 | (rq->xid & 0xffffff), 4);
	make_duid(id, rq->mac);
	p = put_opt(p + 4, OPT_CLIENTID, id, sizeof(id));
	if (request)
		p = put_opt(p, OPT_SERVERID, offer->server_id, offer->server_id_len);
	/* The IAID; T1 and T2 0: the server's choice. */
	memcpy(ia, rq->mac + 2, 4);
	if (request) {
		memcpy(addr, &offer->addr, 16);
		put_opt(ia + IA_NA_FIXED, OPT_IAADDR, addr, sizeof(addr));
	}
	p = put_opt(p, OPT_IA_NA, ia, request ? sizeof(ia) : IA_NA_FIXED);
	p = put_opt(p, OPT_ORO, oro, sizeof(oro));
	wire_put_be(el, rq->elapsed, 2);
	p = put_opt(p, OPT_ELAPSED, el, sizeof(el));
	return (int)(p - buf);
}

struct opt {
	unsigned code;
	const uint8_t *data;
	size_t len;
};

/* The option at *pos of d (n bytes): 1 with *o filled, 0 at the end,
 * -EBADMSG for one running past n. */
static int
next_opt(const uint8_t *d, size_t n, size_t *pos, struct opt *o)
{
	if (*pos == n)
		return 0;
	if (n - *pos < 4)
		return -EBADMSG;
	o->code = wire_get_be(d + *pos, 2);
	o->len = wire_get_be(d + *pos + 2, 2);
	o->data = d + *pos + 4;
	if (n - *pos - 4 < o->len)
		return -EBADMSG;
	*pos += 4 + o->len;
	return 1;
}

/* A Status Code other than Success (0); a short one counts as failed. */
static bool
failed(const struct opt *o)
{
	return o->code == OPT_STATUS && (o->len < 2 || wire_get_be(o->data, 2) != 0);
}

/* Our IA_NA: its first address with a valid lifetime, unless a status
 * in it says it failed. */
static int
read_ia(struct dhcp6_lease *l, const struct opt *ia, const uint8_t iaid[4])
{
	size_t pos = IA_NA_FIXED;
	bool bad = false;
	struct opt o;
	int rc;

	if (ia->len < IA_NA_FIXED)
		return -EBADMSG;
	if (memcmp(ia->data, iaid, 4))
		return 0;
	while ((rc = next_opt(ia->data, ia->len, &pos, &o)) > 0) {
		bad |= failed(&o);
		if (o.code != OPT_IAADDR)
			continue;
		if (o.len < IAADDR_FIXED)
			return -EBADMSG;
		if (l->valid || !wire_get_be(o.data + 20, 4))
			continue;
		memcpy(&l->addr, o.data, 16);
		l->preferred = wire_get_be(o.data + 16, 4);
		l->valid = wire_get_be(o.data + 20, 4);
	}
	if (bad)
		l->valid = 0;
	return rc;
}

/* One option of the message; -EBADMSG or 0. */
static int
read_opt(struct dhcp6_lease *l, const struct opt *o, const uint8_t mac[6])
{
	switch (o->code) {
	case OPT_SERVERID:
		if (!o->len || o->len > DHCP6_DUID_MAX)
			return -EBADMSG;
		memcpy(l->server_id, o->data, o->len);
		l->server_id_len = (uint8_t)o->len;
		return 0;
	case OPT_IA_NA:
		return read_ia(l, o, mac + 2);
	case OPT_PREFERENCE:
		if (o->len != 1)
			return -EBADMSG;
		l->preference = o->data[0];
		return 0;
	case OPT_DNS:
		if (o->len % 16)
			return -EBADMSG;
		for (size_t i = 0; i < o->len / 16 && i < DHCP_DNS_MAX; i++)
			memcpy(&l->dns[i], o->data + 16 * i, 16);
		return 0;
	case OPT_DOMAINS:
		if (!wire_names_text(l->search, sizeof(l->search), o->data, o->len))
			l->search[0] = '\0';
		return 0;
	}
	return 0;
}

int
dhcp6_parse(struct dhcp6_lease *l, const uint8_t *msg, size_t len,
	    uint32_t xid, const uint8_t mac[6])
{
	uint8_t id[DUID_LEN];
	bool ours = false, bad = false;
	size_t pos = 4;
	struct opt o;
	int rc;

	memset(l, 0, sizeof(*l));
	if (len < 4 || (msg[0] != DHCP6_ADVERTISE && msg[0] != DHCP6_REPLY))
		return -EBADMSG;
	l->type = msg[0];
	make_duid(id, mac);
	while ((rc = next_opt(msg, len, &pos, &o)) > 0) {
		ours |= o.code == OPT_CLIENTID && o.len == DUID_LEN && !memcmp(o.data, id, DUID_LEN);
		bad |= failed(&o);
		if ((rc = read_opt(l, &o, mac)) < 0)
			return rc;
	}
	if (rc < 0 || !l->server_id_len)
		return -EBADMSG;
	if ((wire_get_be(msg + 1, 3) != (xid & 0xffffff)) || !ours)
		return -ESRCH;
	if (bad || !l->valid)
		memset(&l->addr, 0, sizeof(l->addr));
	return 0;
}
