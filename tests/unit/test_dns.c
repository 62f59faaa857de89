/* test_dns.c - dns_query checked byte by byte against RFC 1035 4.1.1
 * and 4.1.2, with the name limits of 2.3.4; dns_parse on replies made
 * by hand: an A record, a CNAME chain ending in one, compression
 * pointers (skipped, never followed, loops included), NXDOMAIN and
 * other RCODEs, another id, TC, reserved label types, cuts at every
 * byte and random damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "mutate.h"
#include "net/dns.h"

#define ID 0xbe5e

/* A reply being made: header, then sections appended. */
struct msg {
	uint8_t b[DNS_MSG_MAX];
	size_t len;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	assert_true(m->len + n <= sizeof(m->b));
	memcpy(m->b + m->len, p, n);
	m->len += n;
}
#define RAW(m, s) put(m, s, sizeof(s) - 1)

/* The header: id, the third and fourth bytes (QR|opcode|AA|TC|RD,
 * RA|Z|RCODE), QDCOUNT and ANCOUNT; no authority or additional RRs. */
static void
header(struct msg *m, uint16_t id, uint8_t f2, uint8_t f3, uint16_t qd, uint16_t an)
{
	uint8_t h[12] = { id >> 8, id & 0xff, f2, f3, qd >> 8, qd & 0xff,
			  an >> 8, an & 0xff, 0, 0, 0, 0 };

	m->len = 0;
	put(m, h, sizeof(h));
}

/* The question of the query for nfs.example.test, at offset 12. */
#define QUESTION "\x03nfs\x07" "example\x04test\x00\x00\x01\x00\x01"

/* A NOERROR response to our query with an answers. */
static void
reply(struct msg *m, uint16_t an)
{
	header(m, ID, 0x81, 0x80, 1, an);
	RAW(m, QUESTION);
}

static int
parse(const struct msg *m, uint32_t *addr)
{
	return dns_parse(m->b, m->len, ID, addr);
}

static const char *
text(uint32_t a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

static void
query_bytes(void **state)
{
	static const uint8_t want[] =
		"\xbe\x5e\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" QUESTION;
	uint8_t q[DNS_QUERY_MAX + 8];

	(void)state;
	memset(q, 0xee, sizeof(q));
	assert_int_equal(dns_query(q, ID, "nfs.example.test"), sizeof(want) - 1);
	assert_memory_equal(q, want, sizeof(want) - 1);
	assert_int_equal(q[sizeof(want) - 1], 0xee);
	/* a trailing dot: the same name */
	memset(q, 0xee, sizeof(q));
	assert_int_equal(dns_query(q, ID, "nfs.example.test."), sizeof(want) - 1);
	assert_memory_equal(q, want, sizeof(want) - 1);
	/* one label, and the id's byte order */
	assert_int_equal(dns_query(q, 0x0102, "a"), 12 + 3 + 4);
	assert_memory_equal(q, "\x01\x02\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
			    "\x01" "a\x00\x00\x01\x00\x01", 19);
}

/* RFC 1035 2.3.4: labels of 63 bytes, names of 255 as labels (253 as
 * text); nothing written past DNS_QUERY_MAX. */
static void
query_limits(void **state)
{
	char name[300];
	uint8_t q[DNS_QUERY_MAX + 8];

	(void)state;
	memset(name, 'a', 63);
	name[63] = '\0';
	assert_int_equal(dns_query(q, ID, name), 12 + 65 + 4);
	assert_int_equal(q[12], 63);
	name[63] = 'a';
	name[64] = '\0';
	assert_int_equal(dns_query(q, ID, name), -EINVAL);
	name[63] = '.';	/* the trailing dot is not a label */
	assert_int_equal(dns_query(q, ID, name), 12 + 65 + 4);
	/* 253 bytes: four labels of 63, dots between, one byte more */
	for (int i = 0; i < 253; i++)
		name[i] = i % 64 == 63 ? '.' : 'b';
	name[253] = '\0';
	memset(q, 0xee, sizeof(q));
	assert_int_equal(dns_query(q, ID, name), DNS_QUERY_MAX);
	assert_memory_equal(q + DNS_QUERY_MAX, "\xee\xee\xee\xee\xee\xee\xee\xee", 8);
	assert_int_equal(q[12 + 64 * 3], 61);
	name[253] = '.';
	name[254] = '\0';
	assert_int_equal(dns_query(q, ID, name), DNS_QUERY_MAX);
	name[253] = 'b';
	assert_int_equal(dns_query(q, ID, name), -EINVAL);
	assert_int_equal(dns_query(q, ID, ""), -EINVAL);
	assert_int_equal(dns_query(q, ID, "."), -EINVAL);
	assert_int_equal(dns_query(q, ID, ".a"), -EINVAL);
	assert_int_equal(dns_query(q, ID, "a..b"), -EINVAL);
	assert_int_equal(dns_query(q, ID, "a.."), -EINVAL);
	assert_int_equal(dns_query(q, ID, "a.b.."), -EINVAL);
	/* an IPv6 address is not a name */
	assert_int_equal(dns_query(q, ID, "fe80::1"), -EINVAL);
	assert_int_equal(dns_query(q, ID, "[::1]"), -EINVAL);
}

static void
answer_a(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	reply(&m, 1);
	RAW(&m, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\x0a\x00\x02\x02");
	assert_int_equal(parse(&m, &a), 0);
	assert_string_equal(text(a), "10.0.2.2");
	/* the whole name instead of a pointer, and RD/RA, AA clear */
	m.b[2] = 0x80;
	m.b[3] = 0x00;
	m.len = 12 + sizeof(QUESTION) - 1;
	RAW(&m, "\x03nfs\x07" "example\x04test\x00"
		"\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\xa8\x4d\x01");
	assert_int_equal(parse(&m, &a), 0);
	assert_string_equal(text(a), "192.168.77.1");
}

/* What a recursive server sends for an alias: the CNAME, then the A
 * record of the name it points to (whose owner is a pointer into the
 * CNAME's data); the first A is taken. */
static void
answer_cname(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	reply(&m, 3);
	/* offset 34: nfs CNAME srv.example.test (srv + pointer to 16) */
	RAW(&m, "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x06\x03srv\xc0\x10");
	/* offset 52: srv.example.test A 10.9.8.7, then another A */
	RAW(&m, "\xc0\x2e\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x09\x08\x07");
	RAW(&m, "\xc0\x2e\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x09\x08\x08");
	assert_int_equal(parse(&m, &a), 0);
	assert_string_equal(text(a), "10.9.8.7");
}

/* Records that are not an IPv4 address in class IN are skipped: AAAA,
 * an A of class CH, an A whose data is not 4 bytes. */
static void
answer_skipped(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	reply(&m, 4);
	RAW(&m, "\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10"
		"\xfd\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01");
	RAW(&m, "\xc0\x0c\x00\x01\x00\x03\x00\x00\x00\x3c\x00\x04\x01\x01\x01\x01");
	RAW(&m, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x05\x02\x02\x02\x02\x02");
	/* a name of labels that ends in a pointer */
	RAW(&m, "\x01x\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00\x07");
	assert_int_equal(parse(&m, &a), 0);
	assert_string_equal(text(a), "10.0.0.7");
	/* without the last: no address */
	m.b[7] = 3;
	a = 0;
	assert_int_equal(parse(&m, &a), -ENOENT);
	assert_int_equal(a, 0);
}

/* Names are skipped, not read: a pointer to itself, or one pair of
 * pointers to each other, ends the name like any other pointer. */
static void
pointer_loop(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	header(&m, ID, 0x81, 0x80, 1, 2);
	RAW(&m, "\xc0\x0c\x00\x01\x00\x01");	/* the question: itself */
	/* offset 18: a CNAME named by its own data, which names it */
	RAW(&m, "\xc0\x1e\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x02\xc0\x12");
	RAW(&m, "\xc0\x12\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00\x09");
	assert_int_equal(parse(&m, &a), 0);
	assert_string_equal(text(a), "10.0.0.9");
}

static void
rcodes(void **state)
{
	struct msg m;
	uint32_t a = 0x01020304;

	(void)state;
	reply(&m, 0);
	assert_int_equal(parse(&m, &a), -ENOENT);	/* NOERROR, no answer */
	m.b[3] = 0x83;
	assert_int_equal(parse(&m, &a), -ENOENT);	/* NXDOMAIN */
	for (uint8_t rcode = 1; rcode < 16; rcode++) {
		m.b[3] = 0x80 | rcode;
		assert_int_equal(parse(&m, &a), rcode == 3 ? -ENOENT : -EIO);
	}
	assert_int_equal(a, 0x01020304);
}

/* Another id, a query instead of a response: not ours. Another opcode:
 * malformed. TC: refused, even with the answer in it. */
static void
not_ours_or_refused(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	reply(&m, 1);
	RAW(&m, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04\x0a\x00\x02\x02");
	assert_int_equal(dns_parse(m.b, m.len, ID + 1, &a), -ESRCH);
	assert_int_equal(dns_parse(m.b, m.len, ID ^ 0xff00, &a), -ESRCH);
	m.b[2] = 0x01;
	assert_int_equal(parse(&m, &a), -ESRCH);
	m.b[2] = 0x81 | 1 << 3;	/* IQUERY */
	assert_int_equal(parse(&m, &a), -EBADMSG);
	m.b[2] = 0x81 | 2 << 3;	/* STATUS */
	assert_int_equal(parse(&m, &a), -EBADMSG);
	m.b[2] = 0x83;	/* TC */
	assert_int_equal(parse(&m, &a), -EMSGSIZE);
	assert_int_equal(a, 0);
	m.b[2] = 0x81;
	assert_int_equal(parse(&m, &a), 0);
}

/* Label types 01 and 10 are reserved (RFC 1035 4.1.4, RFC 6891
 * retired EDNS's): a length byte of 64 to 191 is malformed. */
static void
reserved_labels(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	for (unsigned c = 0x40; c < 0xc0; c += 0x3f) {
		header(&m, ID, 0x81, 0x80, 1, 0);
		put(&m, &(uint8_t){ (uint8_t)c }, 1);
		memset(m.b + m.len, 'a', 200);
		m.len += 200;
		assert_int_equal(parse(&m, &a), -EBADMSG);
		/* in an answer's name */
		reply(&m, 1);
		put(&m, &(uint8_t){ (uint8_t)c }, 1);
		memset(m.b + m.len, 'a', 200);
		m.len += 200;
		assert_int_equal(parse(&m, &a), -EBADMSG);
	}
}

/* Cut a good reply at every length: never a read past the cut (run
 * under valgrind), and always -EBADMSG: every section is counted. The
 * copy is exactly n bytes. */
static void
truncated(void **state)
{
	struct msg m;
	uint32_t a = 0;

	(void)state;
	reply(&m, 2);
	RAW(&m, "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x06\x03srv\xc0\x10");
	RAW(&m, "\x03srv\xc0\x10\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x09\x08\x07");
	for (size_t n = 0; n < m.len; n++) {
		uint8_t *cut = malloc(n ? n : 1);

		assert_non_null(cut);
		memcpy(cut, m.b, n);
		assert_int_equal(dns_parse(cut, n, ID, &a), -EBADMSG);
		free(cut);
	}
	assert_int_equal(a, 0);
	assert_int_equal(parse(&m, &a), 0);
	assert_string_equal(text(a), "10.9.8.7");
	/* lengths that run past the end: a label, RDLENGTH */
	m.b[12] = 60;
	assert_int_equal(parse(&m, &a), -EBADMSG);
	m.b[12] = 3;
	m.b[m.len - 5] = 5;
	assert_int_equal(parse(&m, &a), -EBADMSG);
}

/* Random damage to a reply (a fixed seed, so a failure repeats), and
 * random datagrams: only the documented results. */
static void
mutated(void **state)
{
	struct msg r, m;
	uint32_t seed = 4242, a;

	(void)state;
	reply(&r, 3);
	RAW(&r, "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x06\x03srv\xc0\x10");
	RAW(&r, "\x01x\xc0\x2e\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10"
		"\xfd\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01");
	RAW(&r, "\xc0\x2e\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x09\x08\x07");
	assert_int_equal(parse(&r, &a), 0);
	for (int round = 0; round < 20000; round++) {
		int err;
		uint8_t *copy;

		m = r;
		mutate_bytes(m.b, m.len, &seed);
		/* keep the header ours now and then, to reach the records */
		if (round & 1)
			memcpy(m.b, r.b, 4);
		if (round % 4 == 3) {
			/* noise of any length, our id */
			seed = seed * 1103515245u + 12345u;
			m.len = (seed >> 8) % sizeof(m.b);
			for (size_t i = 0; i < m.len; i++) {
				seed = seed * 1103515245u + 12345u;
				m.b[i] = (uint8_t)(seed >> 24);
			}
			if (m.len >= 3)
				memcpy(m.b, r.b, 3);
		}
		copy = malloc(m.len ? m.len : 1);
		assert_non_null(copy);
		memcpy(copy, m.b, m.len);
		err = dns_parse(copy, m.len, ID, &a);
		free(copy);
		assert_true(err == 0 || err == -ENOENT || err == -ESRCH || err == -EMSGSIZE ||
			    err == -EIO || err == -EBADMSG);
	}
}

/* A query and its answer round trip: the server's reply is the query
 * with QR set, an answer appended. */
static void
round_trip(void **state)
{
	struct msg m;
	uint32_t a = 0;
	int n;

	(void)state;
	n = dns_query(m.b, 0x7777, "host.lan");
	assert_true(n > 0);
	m.len = (size_t)n;
	assert_int_equal(dns_parse(m.b, m.len, 0x7777, &a), -ESRCH);
	m.b[2] |= 0x80;
	m.b[7] = 1;
	RAW(&m, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\x7f\x00\x00\x01");
	assert_int_equal(dns_parse(m.b, m.len, 0x7777, &a), 0);
	assert_int_equal(a, htonl(0x7f000001));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_bytes),
		cmocka_unit_test(query_limits),
		cmocka_unit_test(answer_a),
		cmocka_unit_test(answer_cname),
		cmocka_unit_test(answer_skipped),
		cmocka_unit_test(pointer_loop),
		cmocka_unit_test(rcodes),
		cmocka_unit_test(not_ours_or_refused),
		cmocka_unit_test(reserved_labels),
		cmocka_unit_test(truncated),
		cmocka_unit_test(mutated),
		cmocka_unit_test(round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
