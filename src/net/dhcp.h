/*
 * dhcp.h - the BOOTP/DHCP message codec: a client's request built into
 * a buffer, a server's reply parsed out of one. Pure functions over
 * memory: no system calls, no allocation, no global state, so the
 * target binary, the unit tests and a fuzzer share them.
 *
 * Specs: the message layout of RFC 2131 section 2 (figure 1) on RFC 951
 * BOOTP; the options of RFC 2132 in the RFC 1497 vendor area; option
 * overload (52) as RFC 2131 section 4.1 orders it (options field, then
 * file, then sname); long options split in several parts joined as
 * RFC 3396 says; the domain search list (119) of RFC 3397; classless
 * static routes (121) of RFC 3442.
 *
 * Byte order: every IPv4 address is a struct in_addr in network order,
 * as on the wire and as inet_ntoa and the kernel take it. Numbers (xid,
 * secs, lease times, MTU) are in host order here and converted on the
 * wire.
 *
 * Limits (replies): DHCP_DNS_MAX name servers, DHCP_NTP_MAX time
 * servers and the first router are kept, extra ones are dropped; more
 * than DHCP_ROUTES_MAX classless routes reject option 121 as a whole (a
 * partial routing table would be wrong). Strings have the sizes of
 * struct dhcp_lease below.
 */
#ifndef ES_NET_DHCP_H
#define ES_NET_DHCP_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <netinet/in.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

/* The fixed part (op to file), then the magic cookie 99.130.83.99. */
#define DHCP_FIXED_LEN 236u
#define DHCP_OPTIONS_OFF 240u
/* A BOOTP message is at least this long (RFC 951, RFC 1542 2.1):
 * requests are padded with zeros up to it. */
#define DHCP_MIN_LEN 300u
/* The largest reply the client reads: an Ethernet frame less the IPv4
 * and UDP headers. Option 57 offers DHCP_MSG_MAX + 28 (it counts the
 * IP and UDP headers, RFC 2132 9.10). */
#define DHCP_MSG_MAX 1472u
/* The largest request dhcp_build writes: all its options with both
 * strings at their longest (255 bytes each). */
#define DHCP_REQUEST_MAX 800u

/* The default of option 60, as klibc's ipconfig sends it. */
#define DHCP_VENDOR_CLASS "Linux ipconfig"

#define DHCP_DNS_MAX 4
#define DHCP_NTP_MAX 4
#define DHCP_ROUTES_MAX 16
/* Text sizes, the terminating NUL included. */
#define DHCP_HOST_SIZE 65	/* host name, NIS domain: HOST_NAME_MAX */
#define DHCP_DOMAIN_SIZE 256	/* DNS domain (a name is at most 253) */
#define DHCP_PATH_SIZE 256	/* root path: one option's worth */
#define DHCP_SEARCH_SIZE 512	/* option 119 as text */
#define DHCP_SNAME_SIZE 65	/* the 64-byte sname field */
#define DHCP_FILE_SIZE 129	/* the 128-byte file field */

/* Option 53, RFC 2132 9.6; DHCP_BOOTP stands for its absence (a BOOTP
 * request or reply). */
enum dhcp_type {
	DHCP_BOOTP = 0,
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
	DHCP_INFORM = 8,
};

/* What a request carries. Strings are borrowed for the call only. */
struct dhcp_request {
	enum dhcp_type type;	/* DHCP_BOOTP, DHCP_DISCOVER, DHCP_REQUEST */
	uint8_t mac[6];		/* chaddr, and option 61 (type 1, the MAC) */
	uint32_t xid;		/* the exchange's id; the reply must echo it */
	uint16_t secs;		/* seconds since the client began */
	bool broadcast;		/* the flags' B bit: reply by broadcast */
	struct in_addr ciaddr;	/* the client's address if it has one */
	struct in_addr requested; /* option 50 when not 0 (REQUEST) */
	struct in_addr server_id; /* option 54 when not 0 (REQUEST) */
	const char *vendor_class; /* option 60; NULL: DHCP_VENDOR_CLASS */
	const char *hostname;	/* option 12 when not NULL nor "" */
};

/* Writes the request into buf (size bytes) and returns its length
 * (DHCP_MIN_LEN or more), or -ENOSPC when buf is too small
 * (DHCP_REQUEST_MAX always suffices), -EINVAL for a string longer than
 * an option holds (255) or a type that is not a client's.
 *
 * Every request has the magic cookie, option 55 (the parameter request
 * list below), option 12 when a host name is given, and the end option.
 * DHCP ones also have 53, 61, 57 and 60, and 50 and 54 when given.
 * Requested: 1 netmask, 3 router, 6 DNS, 12 host name, 15 domain,
 * 17 root path, 26 MTU, 28 broadcast, 40 NIS domain, 42 NTP, 51 lease
 * time, 119 domain search, 121 classless routes. */
int dhcp_build(const struct dhcp_request *rq, uint8_t *buf, size_t size);

/* One RFC 3442 route: dest/width via gateway (0.0.0.0: on-link). */
struct dhcp_route {
	struct in_addr dest;	/* bits past width are zero */
	struct in_addr gateway;
	uint8_t width;		/* 0 (default route) to 32 */
};

/*
 * A parsed reply. Absent fields are zero: 0.0.0.0, "", 0. Every string
 * is NUL-terminated within its array and holds no control character
 * (bytes 0x01-0x1f, 0x7f): a text option with one, or longer than its
 * array, is ignored as if absent (never truncated), so these can be
 * written into a file a shell sources (quoted). Trailing NULs that some
 * servers add to text options are dropped first. The search list holds
 * only letters, digits, '-', '_', '.' and spaces.
 */
struct dhcp_lease {
	enum dhcp_type type;	/* option 53; DHCP_BOOTP without it */
	struct in_addr yiaddr;	/* "your" address: the one offered */
	struct in_addr siaddr;	/* next server (TFTP / NFS root server) */
	struct in_addr giaddr;	/* relay agent */
	struct in_addr server_id;	/* option 54 */
	struct in_addr netmask;		/* 1 */
	struct in_addr broadcast;	/* 28 */
	struct in_addr router;		/* 3, the first */
	struct in_addr dns[DHCP_DNS_MAX];	/* 6, in order; unused: 0 */
	struct in_addr ntp[DHCP_NTP_MAX];	/* 42, in order; unused: 0 */
	uint32_t lease_time;	/* 51, seconds */
	uint32_t renew_time;	/* 58, T1 */
	uint32_t rebind_time;	/* 59, T2 */
	uint16_t mtu;		/* 26 */
	unsigned nroutes;	/* 121: routes[0 .. nroutes-1] */
	struct dhcp_route routes[DHCP_ROUTES_MAX];
	char hostname[DHCP_HOST_SIZE];		/* 12 */
	char domain[DHCP_DOMAIN_SIZE];		/* 15 */
	char nisdomain[DHCP_HOST_SIZE];		/* 40 */
	char rootpath[DHCP_PATH_SIZE];		/* 17 */
	/* 119 as klibc's DOMAINSEARCH: "a.example. example." */
	char search[DHCP_SEARCH_SIZE];
	char sname[DHCP_SNAME_SIZE];	/* "" when overloaded */
	char file[DHCP_FILE_SIZE];	/* "" when overloaded */
};

/*
 * Parses the len bytes of a reply to the request with this xid from
 * this mac into l (overwritten whole). Returns:
 *   0        l is filled; l->type says OFFER, ACK, NAK (or BOOTP);
 *   -ESRCH   a well-formed header for someone else (xid or chaddr);
 *   -EBADMSG anything malformed: shorter than the fixed part and
 *            cookie, op not BOOTREPLY, not Ethernet (htype 1, hlen 6),
 *            a wrong cookie, an option running past its field, a
 *            fixed-size option (1, 26, 28, 51, 53, 54, 58, 59) of the
 *            wrong length, an address list not a multiple of 4, an
 *            unknown message type, options adding up to more than
 *            DHCP_MSG_MAX bytes.
 * A malformed option 119 (bad label, pointer not strictly backwards,
 * name running off the end) or 121 (width over 32, short route, too
 * many) is ignored alone: the reply stays usable. Reads nothing past
 * msg + len.
 */
int dhcp_parse(struct dhcp_lease *l, const uint8_t *msg, size_t len,
	       uint32_t xid, const uint8_t mac[6]);

#endif
