/* test_dhcp6.c - dhcp6_build checked byte by byte against RFC 8415's
 * layouts (sections 8, 21), and dhcp6_parse on replies made by hand:
 * the address of our IA_NA, status codes in the IA and the message,
 * name servers and search list (RFC 3646), replies for someone else,
 * a reply cut at every byte, and random mutations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "mutate.h"
#include "net/dhcp6.h"

#define XID 0xabcdefu

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
/* DUID-LL of mac, and the IAID (its last four bytes). */
static const uint8_t duid[10] = { 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t iaid[4] = { 0x00, 0x12, 0x34, 0x56 };
static const uint8_t server[14] = { 0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static struct in6_addr
addr6(const char *text)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, text, &a), 1);
	return a;
}

/* A message being made: options appended, sizes patched by hand. */
struct msg {
	uint8_t b[DHCP6_MSG_MAX];
	size_t n;
	size_t ends[16];	/* where each option ended */
	unsigned nends;
};

static void
start(struct msg *m, uint8_t type, uint32_t xid)
{
	m->b[0] = type;
	m->b[1] = (uint8_t)(xid >> 16);
	m->b[2] = (uint8_t)(xid >> 8);
	m->b[3] = (uint8_t)xid;
	m->n = 4;
	m->nends = 0;
}

static uint8_t *
opt(struct msg *m, unsigned code, const void *data, size_t len)
{
	uint8_t *p = m->b + m->n;

	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 4, data, len);
	m->n += 4 + len;
	m->ends[m->nends++] = m->n;
	return p;
}

/* An IA_NA of iaid holding one IA Address (and a status when status
 * is not -1). */
static void
ia_na(struct msg *m, const uint8_t id[4], const char *a, uint32_t valid, int status)
{
	uint8_t ia[12 + 28 + 6] = { 0 }, *p = ia + 12;
	struct in6_addr in = addr6(a);
	size_t n = 12 + 28;

	memcpy(ia, id, 4);
	p[1] = 5;		/* IAADDR */
	p[3] = 24;
	memcpy(p + 4, &in, 16);
	p[4 + 19] = 100;	/* preferred 100 */
	for (int i = 0; i < 4; i++)
		p[4 + 20 + i] = (uint8_t)(valid >> (24 - 8 * i));
	if (status >= 0) {
		p = ia + n;
		p[1] = 13;
		p[3] = 2;
		p[5] = (uint8_t)status;
		n += 6;
	}
	opt(m, 3, ia, n);
}

/* A good ADVERTISE or REPLY: ours, one address, two servers, a list. */
static void
reply(struct msg *m, uint8_t type)
{
	struct in6_addr dns[2] = { addr6("fd00:e5::53"), addr6("fd00:e5::54") };
	static const uint8_t search[] = "\x02v6\x0a" "earlyspace\x04test\x00"
					"\x07" "example\x00";

	start(m, type, XID);
	opt(m, 1, duid, sizeof(duid));
	opt(m, 2, server, sizeof(server));
	ia_na(m, iaid, "fd00:e5::1a", 3600, -1);
	opt(m, 7, "\x05", 1);
	opt(m, 23, dns, sizeof(dns));
	opt(m, 24, search, sizeof(search) - 1);
}

static void
solicit_bytes(void **state)
{
	struct dhcp6_request rq = { .type = DHCP6_SOLICIT, .xid = 0x12abcdef, .elapsed = 0x0102 };
	uint8_t b[DHCP6_REQUEST_MAX];
	static const uint8_t want[] = {
		1, 0xab, 0xcd, 0xef,				/* SOLICIT, xid */
		0, 1, 0, 10, 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0, 3, 0, 12, 0x00, 0x12, 0x34, 0x56, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 6, 0, 4, 0, 23, 0, 24,			/* ORO */
		0, 8, 0, 2, 0x01, 0x02,				/* elapsed */
	};

	(void)state;
	memcpy(rq.mac, mac, 6);
	assert_int_equal(dhcp6_build(&rq, b, sizeof(b)), (int)sizeof(want));
	assert_memory_equal(b, want, sizeof(want));
}

static void
request_bytes(void **state)
{
	struct dhcp6_lease offer = { .addr = addr6("fd00:e5::1a"), .server_id_len = 14 };
	struct dhcp6_request rq = { .type = DHCP6_REQUEST, .xid = XID, .offer = &offer };
	uint8_t b[DHCP6_REQUEST_MAX];
	const uint8_t *p = b + 4 + 14;
	struct in6_addr a = addr6("fd00:e5::1a");
	int n;

	(void)state;
	memcpy(offer.server_id, server, sizeof(server));
	memcpy(rq.mac, mac, 6);
	n = dhcp6_build(&rq, b, sizeof(b));
	assert_int_equal(n, 4 + 14 + 18 + 44 + 8 + 6);
	assert_int_equal(b[0], 3);
	assert_memory_equal(p, "\x00\x02\x00\x0e", 4);		/* server id */
	assert_memory_equal(p + 4, server, sizeof(server));
	p += 18;
	assert_memory_equal(p, "\x00\x03\x00\x28", 4);		/* IA_NA, 40 */
	assert_memory_equal(p + 4, iaid, 4);
	assert_memory_equal(p + 16, "\x00\x05\x00\x18", 4);	/* IAADDR, 24 */
	assert_memory_equal(p + 20, &a, 16);
	rq.offer = NULL;
	assert_int_equal(dhcp6_build(&rq, b, sizeof(b)), -EINVAL);
	rq.type = DHCP6_REPLY;
	assert_int_equal(dhcp6_build(&rq, b, sizeof(b)), -EINVAL);
	rq.type = DHCP6_SOLICIT;
	assert_int_equal(dhcp6_build(&rq, b, 100), -ENOSPC);
}

static void
reply_parsed(void **state)
{
	struct in6_addr a = addr6("fd00:e5::1a"), d0 = addr6("fd00:e5::53"),
			d1 = addr6("fd00:e5::54");
	struct dhcp6_lease l;
	struct msg m;

	(void)state;
	reply(&m, DHCP6_REPLY);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_int_equal(l.type, DHCP6_REPLY);
	assert_memory_equal(&l.addr, &a, 16);
	assert_int_equal(l.preferred, 100);
	assert_int_equal(l.valid, 3600);
	assert_int_equal(l.preference, 5);
	assert_int_equal(l.server_id_len, 14);
	assert_memory_equal(l.server_id, server, 14);
	assert_memory_equal(&l.dns[0], &d0, 16);
	assert_memory_equal(&l.dns[1], &d1, 16);
	assert_string_equal(l.search, "v6.earlyspace.test. example.");
	reply(&m, DHCP6_ADVERTISE);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_int_equal(l.type, DHCP6_ADVERTISE);
}

/* Replies for another exchange or client are not errors of form. */
static void
someone_elses(void **state)
{
	uint8_t other[6] = { 2, 0, 0, 0, 0, 1 };
	struct dhcp6_lease l;
	struct msg m;

	(void)state;
	reply(&m, DHCP6_REPLY);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID + 1, mac), -ESRCH);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, other), -ESRCH);
	/* no Client Identifier at all */
	start(&m, DHCP6_REPLY, XID);
	opt(&m, 2, server, sizeof(server));
	ia_na(&m, iaid, "fd00:e5::1a", 3600, -1);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), -ESRCH);
}

static void
malformed(void **state)
{
	uint8_t big[DHCP6_DUID_MAX + 1] = { 0 };
	struct dhcp6_lease l;
	struct msg m;

	(void)state;
	reply(&m, DHCP6_REPLY);
	m.b[0] = DHCP6_SOLICIT;		/* a client's message */
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), -EBADMSG);
	start(&m, DHCP6_REPLY, XID);	/* no Server Identifier */
	opt(&m, 1, duid, sizeof(duid));
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), -EBADMSG);
	opt(&m, 2, big, sizeof(big));	/* one longer than a DUID */
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), -EBADMSG);
	start(&m, DHCP6_REPLY, XID);
	opt(&m, 1, duid, sizeof(duid));
	opt(&m, 2, server, sizeof(server));
	opt(&m, 23, big, 17);		/* servers not in 16s */
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), -EBADMSG);
	assert_int_equal(dhcp6_parse(&l, m.b, 3, XID, mac), -EBADMSG);
}

/* Statuses: NoAddrsAvail in the IA or in the message, an IA of another
 * IAID, a zero valid lifetime: no address, the rest still read. */
static void
no_address(void **state)
{
	static const uint8_t other[4] = { 9, 9, 9, 9 };
	static const struct in6_addr none;
	struct dhcp6_lease l;
	struct msg m;

	(void)state;
	start(&m, DHCP6_ADVERTISE, XID);
	opt(&m, 1, duid, sizeof(duid));
	opt(&m, 2, server, sizeof(server));
	ia_na(&m, iaid, "fd00:e5::1a", 3600, 2);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_memory_equal(&l.addr, &none, 16);
	assert_int_equal(l.valid, 0);

	start(&m, DHCP6_ADVERTISE, XID);
	opt(&m, 1, duid, sizeof(duid));
	opt(&m, 2, server, sizeof(server));
	opt(&m, 13, "\x00\x02no addresses", 14);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_int_equal(l.valid, 0);

	start(&m, DHCP6_REPLY, XID);
	opt(&m, 1, duid, sizeof(duid));
	opt(&m, 2, server, sizeof(server));
	ia_na(&m, other, "fd00:e5::1a", 3600, -1);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_int_equal(l.valid, 0);

	start(&m, DHCP6_REPLY, XID);
	opt(&m, 1, duid, sizeof(duid));
	opt(&m, 2, server, sizeof(server));
	ia_na(&m, iaid, "fd00:e5::1a", 0, -1);
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_memory_equal(&l.addr, &none, 16);
}

/* A bad search list is dropped alone. */
static void
bad_search_list_alone(void **state)
{
	struct dhcp6_lease l;
	struct msg m;

	(void)state;
	reply(&m, DHCP6_REPLY);
	opt(&m, 24, "\x05" "ab", 3);	/* a label past the option */
	assert_int_equal(dhcp6_parse(&l, m.b, m.n, XID, mac), 0);
	assert_string_equal(l.search, "");
	assert_int_equal(l.valid, 3600);
}

/* Cut at every length: an option running past the end is refused; a
 * cut between options is a shorter message, good once it has both
 * identifiers (the first two options). Nothing is read past the cut (a
 * copy of exactly n bytes, for valgrind and ASan). */
static void
cut_everywhere(void **state)
{
	struct dhcp6_lease l;
	struct msg m;

	(void)state;
	reply(&m, DHCP6_REPLY);
	for (size_t n = 0; n < m.n; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		int err;

		assert_non_null(cut);
		memcpy(cut, m.b, n);
		bool whole = false;

		for (unsigned i = 1; i < m.nends; i++)
			whole |= n == m.ends[i];
		err = dhcp6_parse(&l, cut, n, XID, mac);
		free(cut);
		assert_int_equal(err, whole ? 0 : -EBADMSG);
	}
}

static void
mutated(void **state)
{
	struct dhcp6_lease l;
	struct msg m;
	uint32_t seed = 6;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		uint8_t *copy;
		int err;

		reply(&m, DHCP6_REPLY);
		mutate_bytes(m.b, m.n, &seed);
		copy = malloc(m.n);
		assert_non_null(copy);
		memcpy(copy, m.b, m.n);
		err = dhcp6_parse(&l, copy, m.n, XID, mac);
		free(copy);
		assert_true(err == 0 || err == -EBADMSG || err == -ESRCH);
		if (err == 0)
			assert_true(memchr(l.search, 0, sizeof(l.search)) != NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(solicit_bytes),
		cmocka_unit_test(request_bytes),
		cmocka_unit_test(reply_parsed),
		cmocka_unit_test(someone_elses),
		cmocka_unit_test(malformed),
		cmocka_unit_test(no_address),
		cmocka_unit_test(bad_search_list_alone),
		cmocka_unit_test(cut_everywhere),
		cmocka_unit_test(mutated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
