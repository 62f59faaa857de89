/* test_dhcp.c - dhcp_build checked byte by byte at the offsets of RFC
 * 2131 figure 1, and dhcp_parse on replies made by hand: every option
 * the client reads, overload (RFC 2131 4.1), split options (RFC 3396),
 * domain search with compression pointers and loops (RFC 3397),
 * classless routes (RFC 3442), truncation at every byte, replies for
 * someone else, a bad cookie, a NAK. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "dhcp_reply.h"
#include "mutate.h"

static const uint8_t request_list[] = {
	1, 3, 6, 12, 15, 17, 26, 28, 40, 42, 51, 119, 121
};

static void
discover_bytes(void **state)
{
	struct dhcp_request rq = { .type = DHCP_DISCOVER, .xid = XID,
				   .secs = 0x0102, .broadcast = true };
	uint8_t b[DHCP_REQUEST_MAX], zero[192] = { 0 };
	const uint8_t *o = b + 240;
	int n;

	(void)state;
	memcpy(rq.mac, mac, 6);
	memset(b, 0xee, sizeof(b));
	n = dhcp_build(&rq, b, sizeof(b));
	assert_int_equal(n, 300);
	assert_int_equal(b[0], 1);	/* op BOOTREQUEST */
	assert_int_equal(b[1], 1);	/* htype Ethernet */
	assert_int_equal(b[2], 6);	/* hlen */
	assert_int_equal(b[3], 0);	/* hops */
	assert_memory_equal(b + 4, "\xfe\xb3\x8f\x17", 4);	/* xid */
	assert_memory_equal(b + 8, "\x01\x02", 2);	/* secs */
	assert_memory_equal(b + 10, "\x80\x00", 2);	/* flags: B */
	assert_memory_equal(b + 12, zero, 16);	/* ciaddr ... giaddr */
	assert_memory_equal(b + 28, mac, 6);	/* chaddr */
	assert_memory_equal(b + 34, zero, 10);
	assert_memory_equal(b + 44, zero, 192);	/* sname, file */
	assert_memory_equal(b + 236, "\x63\x82\x53\x63", 4);
	assert_memory_equal(o, "\x35\x01\x01", 3);	/* 53 DISCOVER */
	assert_memory_equal(o + 3, "\x3d\x07\x01\x52\x54\x00\x12\x34\x56", 9);
	assert_memory_equal(o + 12, "\x37\x0d", 2);
	assert_memory_equal(o + 14, request_list, 13);
	assert_memory_equal(o + 27, "\x39\x02\x05\xdc", 4);	/* 57: 1500 */
	assert_memory_equal(o + 31, "\x3c\x0e" "Linux ipconfig", 16);
	assert_int_equal(o[47], 255);
	assert_memory_equal(o + 48, zero, 300 - 240 - 48);
}

static void
request_bytes(void **state)
{
	struct dhcp_request rq = { .type = DHCP_REQUEST, .xid = XID,
				   .requested = addr("10.0.2.15"),
				   .server_id = addr("10.0.2.2"),
				   .ciaddr = addr("10.0.2.99"),
				   .vendor_class = "acme", .hostname = "myhost" };
	uint8_t b[DHCP_REQUEST_MAX];
	const uint8_t *o = b + 240;

	(void)state;
	memcpy(rq.mac, mac, 6);
	assert_int_equal(dhcp_build(&rq, b, sizeof(b)), 300);
	assert_memory_equal(b + 10, "\x00\x00", 2);	/* no broadcast */
	assert_memory_equal(b + 12, "\x0a\x00\x02\x63", 4);	/* ciaddr */
	assert_memory_equal(o, "\x35\x01\x03", 3);
	assert_memory_equal(o + 12, "\x32\x04\x0a\x00\x02\x0f", 6);	/* 50 */
	assert_memory_equal(o + 18, "\x36\x04\x0a\x00\x02\x02", 6);	/* 54 */
	assert_memory_equal(o + 24, "\x37\x0d", 2);
	assert_memory_equal(o + 39, "\x39\x02\x05\xdc", 4);
	assert_memory_equal(o + 43, "\x3c\x04" "acme", 6);
	assert_memory_equal(o + 49, "\x0c\x06" "myhost", 8);
	assert_int_equal(o[57], 255);
}

/* RFC 1497 vendor area even for BOOTP (klibc sends none): the cookie,
 * the request list, the end; no DHCP option. */
static void
bootp_bytes(void **state)
{
	struct dhcp_request rq = { .type = DHCP_BOOTP, .xid = XID };
	uint8_t b[DHCP_REQUEST_MAX];
	const uint8_t *o = b + 240;

	(void)state;
	memcpy(rq.mac, mac, 6);
	assert_int_equal(dhcp_build(&rq, b, sizeof(b)), 300);
	assert_memory_equal(b + 236, "\x63\x82\x53\x63", 4);
	assert_memory_equal(o, "\x37\x0d", 2);
	assert_memory_equal(o + 2, request_list, 13);
	assert_int_equal(o[15], 255);
	assert_int_equal(o[16], 0);
}

static void
build_limits(void **state)
{
	struct dhcp_request rq = { .type = DHCP_REQUEST, .xid = XID,
				   .requested = addr("10.0.2.15"),
				   .server_id = addr("10.0.2.2") };
	char big[257];
	uint8_t b[DHCP_REQUEST_MAX];
	int n;

	(void)state;
	memset(big, 'a', 255);
	big[255] = '\0';
	rq.hostname = rq.vendor_class = big;
	n = dhcp_build(&rq, b, sizeof(b));
	assert_true(n > 300 && n <= (int)DHCP_REQUEST_MAX);
	assert_int_equal(dhcp_build(&rq, b, (size_t)n), n);
	assert_int_equal(dhcp_build(&rq, b, (size_t)n - 1), -ENOSPC);
	assert_int_equal(dhcp_build(&rq, b, 299), -ENOSPC);
	big[255] = 'a';
	big[256] = '\0';
	assert_int_equal(dhcp_build(&rq, b, sizeof(b)), -EINVAL);
	rq.hostname = rq.vendor_class = NULL;
	rq.type = DHCP_ACK;
	assert_int_equal(dhcp_build(&rq, b, sizeof(b)), -EINVAL);
}

/* A request made into a reply parses back: its options are read. */
static void
round_trip(void **state)
{
	struct dhcp_request rq = { .type = DHCP_REQUEST, .xid = XID,
				   .requested = addr("10.0.2.15"),
				   .server_id = addr("10.0.2.2"), .hostname = "myhost" };
	uint8_t b[DHCP_REQUEST_MAX];
	struct dhcp_lease l;
	int n;

	(void)state;
	memcpy(rq.mac, mac, 6);
	n = dhcp_build(&rq, b, sizeof(b));
	b[0] = 2;
	assert_int_equal(dhcp_parse(&l, b, (size_t)n, XID, mac), 0);
	assert_int_equal(l.type, DHCP_REQUEST);
	assert_string_equal(l.hostname, "myhost");
	assert_string_equal(text(l.server_id), "10.0.2.2");
	assert_int_equal(dhcp_parse(&l, b, (size_t)n, XID + 1, mac), -ESRCH);
}

/* Every option the client reads, in one ACK. */
static void
every_option(void **state)
{
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	reply_start(&r);
	RAW(&r, "\x35\x01\x05");			/* ACK */
	RAW(&r, "\x01\x04\xff\xff\xff\x00");		/* netmask */
	RAW(&r, "\x03\x08\x0a\x00\x02\x02\x0a\x00\x02\x01");	/* routers */
	RAW(&r, "\x06\x14\x0a\x00\x02\x03\x0a\x00\x02\x05\x0a\x00\x02\x06"
		"\x0a\x00\x02\x07\x0a\x00\x02\x08");	/* five DNS */
	RAW(&r, "\x0c\x07" "client1");
	RAW(&r, "\x0f\x0c" "example.org\0");		/* trailing NUL */
	RAW(&r, "\x11\x0e" "/srv/it's!root");
	RAW(&r, "\x1a\x02\x05\x78");			/* MTU 1400 */
	RAW(&r, "\x1c\x04\x0a\x00\x02\xff");		/* broadcast */
	RAW(&r, "\x28\x0b" "nis.example");
	RAW(&r, "\x2a\x04\x0a\x00\x02\x0b");		/* NTP */
	RAW(&r, "\x33\x04\x00\x01\x51\x80");		/* lease 86400 */
	RAW(&r, "\x36\x04\x0a\x00\x02\x02");		/* server id */
	RAW(&r, "\x3a\x04\x00\x00\xa8\xc0");		/* T1 43200 */
	RAW(&r, "\x3b\x04\x00\x01\x27\x50");		/* T2 75600 */
	RAW(&r, "\x77\x05\x03" "lan\0");		/* search */
	RAW(&r, "\x79\x05\x00\x0a\x00\x02\x02");	/* default route */
	RAW(&r, "\x2b\x03" "xyz");			/* vendor: skipped */
	reply_end(&r);
	memcpy(r.b + 44, "bootsrv", 7);
	memcpy(r.b + 108, "pxelinux.0", 10);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(l.type, DHCP_ACK);
	assert_string_equal(text(l.yiaddr), "10.0.2.15");
	assert_string_equal(text(l.siaddr), "10.0.2.4");
	assert_string_equal(text(l.netmask), "255.255.255.0");
	assert_string_equal(text(l.router), "10.0.2.2");
	assert_string_equal(text(l.dns[0]), "10.0.2.3");
	assert_string_equal(text(l.dns[1]), "10.0.2.5");
	assert_string_equal(text(l.dns[3]), "10.0.2.7");
	assert_string_equal(l.hostname, "client1");
	assert_string_equal(l.domain, "example.org");
	assert_string_equal(l.rootpath, "/srv/it's!root");
	assert_int_equal(l.mtu, 1400);
	assert_string_equal(text(l.broadcast), "10.0.2.255");
	assert_string_equal(l.nisdomain, "nis.example");
	assert_string_equal(text(l.ntp[0]), "10.0.2.11");
	assert_int_equal(l.ntp[1].s_addr, 0);
	assert_int_equal(l.lease_time, 86400);
	assert_int_equal(l.renew_time, 43200);
	assert_int_equal(l.rebind_time, 75600);
	assert_string_equal(text(l.server_id), "10.0.2.2");
	assert_string_equal(l.search, "lan.");
	assert_int_equal(l.nroutes, 1);
	assert_int_equal(l.routes[0].width, 0);
	assert_string_equal(text(l.routes[0].gateway), "10.0.2.2");
	assert_string_equal(l.sname, "bootsrv");
	assert_string_equal(l.file, "pxelinux.0");
}

/* Options continued in file, then sname (overload 3); a split root
 * path joined (RFC 3396); the fields' own text not taken. */
static void
overload(void **state)
{
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	reply_start(&r);
	RAW(&r, "\x35\x01\x02\x34\x01\x03\x11\x04/srv");
	reply_end(&r);
	/* file (108): more root path, the netmask, end */
	memcpy(r.b + 108, "\x11\x05/root\x01\x04\xff\xff\x00\x00\xff", 14);
	/* sname (44): pad, host name, end */
	memcpy(r.b + 44, "\x00\x0c\x02h1\xff", 6);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(l.type, DHCP_OFFER);
	assert_string_equal(l.rootpath, "/srv/root");
	assert_string_equal(text(l.netmask), "255.255.0.0");
	assert_string_equal(l.hostname, "h1");
	assert_string_equal(l.sname, "");
	assert_string_equal(l.file, "");

	/* Overload 1: sname is a name again, file is options. */
	r.b[240 + 5] = 1;
	memcpy(r.b + 44, "srv", 4);
	assert_int_equal(parse(&l, &r), 0);
	assert_string_equal(l.hostname, "");
	assert_string_equal(l.sname, "srv");
	assert_string_equal(l.rootpath, "/srv/root");

	/* An option running past the end of file is malformed. */
	memcpy(r.b + 108 + 120, "\x0c\x09", 2);
	memset(r.b + 108, 0, 14);
	assert_int_equal(parse(&l, &r), -EBADMSG);

	/* So is an overload value out of 1..3. */
	r.b[240 + 5] = 4;
	assert_int_equal(parse(&l, &r), -EBADMSG);
}

static void
search_result(const char *data, size_t n, const char *want)
{
	struct reply r;
	struct dhcp_lease l;

	reply_start(&r);
	RAW(&r, "\x35\x01\x05");
	opt(&r, 119, data, n);
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_string_equal(l.search, want);
}

#define SEARCH(s, want) search_result(s, sizeof(s) - 1, want)

static void
search_list(void **state)
{
	(void)state;
	/* RFC 3397 section 3's example: eng.apple.com., marketing.apple.com. */
	SEARCH("\x03" "eng\x05" "apple\x03" "com\x00\x09" "marketing\xc0\x04",
	       "eng.apple.com. marketing.apple.com.");
	/* A pointer to a pointer, each strictly backwards. */
	SEARCH("\x07" "example\x03" "org\x00\x03" "lab\xc0\x00\x01" "a\xc0\x0d",
	       "example.org. lab.example.org. a.lab.example.org.");
	/* A name that is only a pointer; the root name. */
	SEARCH("\x03" "org\x00\xc0\x00\x00", "org. org. .");
	SEARCH("\x03" "a_b\x03" "x-y\x00", "a_b.x-y.");
}

/* Malformed lists leave the search list empty, the reply usable. */
static void
search_rejected(void **state)
{
	(void)state;
	SEARCH("\x03" "lab\xc0\x00", "");		/* pointer into itself */
	SEARCH("\xc0\x00", "");				/* pointer to itself */
	SEARCH("\x03" "org\x00\x01" "a\xc0\x07", "");	/* pointer forwards */
	SEARCH("\x01" "a\xc0\x05\x01" "b\xc0\x00", "");	/* a loop of two */
	SEARCH("\x03" "org\x00\xc0", "");		/* half a pointer */
	SEARCH("\x03" "org", "");			/* no terminating root */
	SEARCH("\x05" "org\x00", "");			/* label past the end */
	SEARCH("\x03" "o g\x00", "");			/* space in a label */
	SEARCH("\x03" "o'g\x00", "");			/* quote in a label */
	SEARCH("\x40" "org\x00", "");			/* 0x40: reserved */
}

/* A list whose text overflows the field is refused, not cut. */
static void
search_too_long(void **state)
{
	char data[250];
	size_t n = 0;

	(void)state;
	data[n++] = 60;
	memset(data + n, 'a', 60);
	n += 60;
	data[n++] = 0;
	while (n + 2 <= sizeof(data)) {	/* 94 more copies: 61 chars each */
		data[n++] = (char)0xc0;
		data[n++] = 0;
	}
	search_result(data, n, "");
}

static void
routes(void **state)
{
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	reply_start(&r);
	RAW(&r, "\x35\x01\x05\x03\x04\x0a\x00\x02\x01");
	RAW(&r, "\x79\x24"
		"\x00\x0a\x00\x02\x02"				/* 0/0 */
		"\x08\x0a\x0a\x00\x02\x09"			/* 10/8 */
		"\x18\xc0\xa8\x07\x00\x00\x00\x00"		/* /24 on-link */
		"\x20\x0a\x00\x02\x4d\x0a\x00\x02\x02"		/* /32 */
		"\x11\xac\x10\x81\x0a\x00\x02\x02");		/* /17, bit 15 masked */
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(l.nroutes, 5);
	assert_int_equal(l.routes[0].width, 0);
	assert_string_equal(text(l.routes[0].dest), "0.0.0.0");
	assert_string_equal(text(l.routes[0].gateway), "10.0.2.2");
	assert_int_equal(l.routes[1].width, 8);
	assert_string_equal(text(l.routes[1].dest), "10.0.0.0");
	assert_string_equal(text(l.routes[1].gateway), "10.0.2.9");
	assert_int_equal(l.routes[2].width, 24);
	assert_string_equal(text(l.routes[2].dest), "192.168.7.0");
	assert_string_equal(text(l.routes[2].gateway), "0.0.0.0");
	assert_int_equal(l.routes[3].width, 32);
	assert_string_equal(text(l.routes[3].dest), "10.0.2.77");
	assert_int_equal(l.routes[4].width, 17);
	assert_string_equal(text(l.routes[4].dest), "172.16.128.0");
	assert_string_equal(text(l.router), "10.0.2.1");
}

static void
routes_result(const char *data, size_t n, unsigned want)
{
	struct reply r;
	struct dhcp_lease l;

	reply_start(&r);
	RAW(&r, "\x35\x01\x05");
	opt(&r, 121, data, n);
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(l.nroutes, want);
	if (!want)
		assert_int_equal(l.routes[0].gateway.s_addr, 0);
}

#define ROUTES(s, want) routes_result(s, sizeof(s) - 1, want)

static void
routes_rejected(void **state)
{
	char many[(DHCP_ROUTES_MAX + 1) * 5] = { 0 };

	(void)state;
	ROUTES("\x00\x0a\x00\x02\x02\x21\x0a\x00\x02\x4d\x00\x0a\x00\x02\x02", 0);
	ROUTES("\x00\x0a\x00\x02\x02\x18\x0a\x00\x02\x0a\x00\x02", 0);
	ROUTES("\x18\x0a\x00", 0);
	routes_result(many, sizeof(many) - 5, DHCP_ROUTES_MAX);
	routes_result(many, sizeof(many), 0);
}

/* Cut a good reply at every length: never a read past the cut (run
 * under valgrind), only 0 or -EBADMSG. The copy is exactly n bytes. */
static void
truncated(void **state)
{
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	reply_start(&r);
	RAW(&r, "\x35\x01\x05\x36\x04\x0a\x00\x02\x02\x0c\x02h1");
	RAW(&r, "\x77\x0b\x03" "org\x00\x03" "lab\xc0\x00");
	RAW(&r, "\x79\x05\x00\x0a\x00\x02\x02\x34\x01\x01");
	/* no end option, no padding: every cut lands in the options */
	memcpy(r.b + 108, "\x0f\x03" "lan\xff", 6);
	for (size_t n = 0; n <= r.len; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		int err;

		assert_non_null(cut);
		memcpy(cut, r.b, n);
		err = dhcp_parse(&l, cut, n, XID, mac);
		free(cut);
		if (n < 240)
			assert_int_equal(err, -EBADMSG);
		else if (err)
			assert_int_equal(err, -EBADMSG);
	}
	assert_int_equal(parse(&l, &r), 0);
	assert_string_equal(l.search, "org. lab.org.");
	assert_string_equal(l.domain, "lan");
}

static void
clean_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	assert_true(n < size);
	for (size_t i = 0; i < n; i++)
		assert_true((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

/* Random damage to a reply using every kind of option (a fixed seed,
 * so a failure repeats): only the documented results, and a lease that
 * keeps struct dhcp_lease's promises. */
static void
mutated(void **state)
{
	struct reply r, m;
	struct dhcp_lease l;
	uint32_t seed = 12345;

	(void)state;
	reply_start(&r);
	RAW(&r, "\x35\x01\x05\x34\x01\x03\x0c\x02h1\x06\x08\x0a\x00\x02\x03\x0a\x00\x02\x05");
	RAW(&r, "\x77\x0b\x03" "org\x00\x03" "lab\xc0\x00");
	RAW(&r, "\x79\x0c\x00\x0a\x00\x02\x02\x10\xc0\xa8\x0a\x00\x02\x09");
	RAW(&r, "\x33\x04\x00\x01\x51\x80\x11\x04/srv");
	reply_end(&r);
	memcpy(r.b + 108, "\x11\x05/root\x77\x04\x01" "a\xc0\x00\xff", 14);
	memcpy(r.b + 44, "\x0f\x03" "lan\xff", 6);
	assert_int_equal(parse(&l, &r), 0);
	assert_string_equal(l.search, "org. lab.org. a.org.");
	for (int round = 0; round < 20000; round++) {
		int err;

		m = r;
		mutate_bytes(m.b, m.len, &seed);
		/* keep the header ours now and then, to reach the options */
		if (round & 1)
			memcpy(m.b, r.b, 44);
		err = parse(&l, &m);
		assert_true(err == 0 || err == -EBADMSG || err == -ESRCH);
		if (err)
			continue;
		assert_true(l.nroutes <= DHCP_ROUTES_MAX);
		clean_text(l.hostname, sizeof(l.hostname));
		clean_text(l.domain, sizeof(l.domain));
		clean_text(l.nisdomain, sizeof(l.nisdomain));
		clean_text(l.rootpath, sizeof(l.rootpath));
		clean_text(l.search, sizeof(l.search));
		clean_text(l.sname, sizeof(l.sname));
		clean_text(l.file, sizeof(l.file));
	}
}

static void
not_ours_or_malformed(void **state)
{
	struct reply r;
	struct dhcp_lease l;
	uint8_t other[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };

	(void)state;
	reply_start(&r);
	RAW(&r, "\x35\x01\x02");
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(dhcp_parse(&l, r.b, r.len, XID ^ 1, mac), -ESRCH);
	assert_int_equal(dhcp_parse(&l, r.b, r.len, XID, other), -ESRCH);
	r.b[239] = 0x64;
	assert_int_equal(parse(&l, &r), -EBADMSG);	/* cookie */
	r.b[239] = 0x63;
	r.b[0] = 1;
	assert_int_equal(parse(&l, &r), -EBADMSG);	/* a request */
	r.b[0] = 2;
	r.b[2] = 16;
	assert_int_equal(parse(&l, &r), -EBADMSG);	/* not Ethernet */
	r.b[2] = 6;
	r.b[242] = 9;
	assert_int_equal(parse(&l, &r), -EBADMSG);	/* type 9 */
}

static void
nak(void **state)
{
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	reply_start(&r);
	memset(r.b + 16, 0, 8);
	RAW(&r, "\x35\x01\x06\x36\x04\x0a\x00\x02\x02\x38\x05" "nope!");
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(l.type, DHCP_NAK);
	assert_string_equal(text(l.server_id), "10.0.2.2");
	assert_int_equal(l.yiaddr.s_addr, 0);
}

/* A BOOTP reply: no option 53. */
static void
bootp_reply(void **state)
{
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	reply_start(&r);
	RAW(&r, "\x01\x04\xff\xff\x00\x00\x11\x08/nfsroot");
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(l.type, DHCP_BOOTP);
	assert_string_equal(l.rootpath, "/nfsroot");
}

static void
fixed_sizes_enforced(void **state)
{
	static const char *const bad[] = {
		"\x01\x03\xff\xff\xff", "\x1c\x05\x0a\x00\x02\xff\x00",
		"\x33\x02\x00\x01", "\x35\x02\x05\x05", "\x36\x00",
		"\x1a\x04\x00\x00\x05\xdc", "\x3a\x01\x01", "\x3b\x03\x00\x00\x01",
		"\x03\x05\x0a\x00\x02\x02\x00", "\x06\x00", "\x2a\x02\x00\x00",
	};
	struct reply r;
	struct dhcp_lease l;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reply_start(&r);
		raw(&r, bad[i], 2u + (uint8_t)bad[i][1]);
		reply_end(&r);
		assert_int_equal(parse(&l, &r), -EBADMSG);
	}
}

/* Text with control characters, or too long, is dropped whole. */
static void
hostile_text(void **state)
{
	struct reply r;
	struct dhcp_lease l;
	char longname[100];

	(void)state;
	memset(longname, 'h', sizeof(longname));
	reply_start(&r);
	RAW(&r, "\x0f\x07" "a\nb=`x`");		/* newline */
	RAW(&r, "\x11\x05" "/a\0/b");		/* NUL inside */
	RAW(&r, "\x28\x03" "x\x7fy");		/* DEL */
	opt(&r, 12, longname, 65);		/* one over the field */
	reply_end(&r);
	memcpy(r.b + 108, "boot\tfile", 9);
	memset(r.b + 44, 's', 64);		/* a full sname, no NUL */
	assert_int_equal(parse(&l, &r), 0);
	assert_string_equal(l.domain, "");
	assert_string_equal(l.rootpath, "");
	assert_string_equal(l.nisdomain, "");
	assert_string_equal(l.hostname, "");
	assert_string_equal(l.file, "");
	assert_int_equal(strlen(l.sname), 64);

	reply_start(&r);
	opt(&r, 12, longname, 64);
	reply_end(&r);
	assert_int_equal(parse(&l, &r), 0);
	assert_int_equal(strlen(l.hostname), 64);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(discover_bytes),
		cmocka_unit_test(request_bytes),
		cmocka_unit_test(bootp_bytes),
		cmocka_unit_test(build_limits),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(every_option),
		cmocka_unit_test(overload),
		cmocka_unit_test(search_list),
		cmocka_unit_test(search_rejected),
		cmocka_unit_test(search_too_long),
		cmocka_unit_test(routes),
		cmocka_unit_test(routes_rejected),
		cmocka_unit_test(truncated),
		cmocka_unit_test(mutated),
		cmocka_unit_test(not_ours_or_malformed),
		cmocka_unit_test(nak),
		cmocka_unit_test(bootp_reply),
		cmocka_unit_test(fixed_sizes_enforced),
		cmocka_unit_test(hostile_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
