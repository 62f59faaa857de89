/*
 * dhcp_reply.h - DHCP replies made by hand for the unit tests of the
 * codec (test_dhcp.c) and of what is written from a lease
 * (test_netconf.c): for client mac, transaction XID, yiaddr 10.0.2.15
 * and siaddr 10.0.2.4 unless changed.
 */
#ifndef ES_TESTS_DHCP_REPLY_H
#define ES_TESTS_DHCP_REPLY_H

#include <arpa/inet.h>
#include <string.h>

#include "net/dhcp.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0xfeb38f17u

static inline struct in_addr
addr(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static inline const char *
text(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

/* A reply being made: the fixed part, then options appended. */
struct reply {
	uint8_t b[DHCP_MSG_MAX];
	size_t len;
};

static inline void
reply_start(struct reply *r)
{
	memset(r, 0, sizeof(*r));
	r->b[0] = 2;
	r->b[1] = 1;
	r->b[2] = 6;
	r->b[4] = XID >> 24;
	r->b[5] = XID >> 16 & 0xff;
	r->b[6] = XID >> 8 & 0xff;
	r->b[7] = XID & 0xff;
	memcpy(r->b + 16, "\x0a\x00\x02\x0f", 4);	/* yiaddr 10.0.2.15 */
	memcpy(r->b + 20, "\x0a\x00\x02\x04", 4);	/* siaddr 10.0.2.4 */
	memcpy(r->b + 28, mac, 6);
	memcpy(r->b + 236, "\x63\x82\x53\x63", 4);
	r->len = 240;
}

/* Raw option bytes (code, length, data), given as a string literal. */
#define RAW(r, s) raw(r, s, sizeof(s) - 1)

static inline void
raw(struct reply *r, const char *s, size_t n)
{
	assert_true(r->len + n <= sizeof(r->b));
	memcpy(r->b + r->len, s, n);
	r->len += n;
}

static inline void
opt(struct reply *r, uint8_t code, const void *data, size_t n)
{
	r->b[r->len++] = code;
	r->b[r->len++] = (uint8_t)n;
	raw(r, data, n);
}

static inline void
reply_end(struct reply *r)
{
	r->b[r->len++] = 255;
	if (r->len < 300)
		r->len = 300;
}

static inline int
parse(struct dhcp_lease *l, const struct reply *r)
{
	return dhcp_parse(l, r->b, r->len, XID, mac);
}

#endif
