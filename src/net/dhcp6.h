/*
 * dhcp6.h - the DHCPv6 message codec (RFC 8415) for a client that asks
 * for one address and the name servers: SOLICIT and REQUEST built into
 * a buffer, ADVERTISE and REPLY parsed out of one. Pure functions over
 * memory, like dhcp.h.
 *
 * The client's DUID is DUID-LL (type 3) of its Ethernet address, its
 * IA_NA's IAID the address's last four bytes: the same machine asks
 * with the same identity on every boot, with no stored state.
 *
 * Options: Client and Server Identifier (1, 2), IA_NA (3) with IA
 * Address (5), Option Request (6), Preference (7), Elapsed Time (8),
 * Status Code (13), DNS Recursive Name Servers (23, RFC 3646) and the
 * Domain Search List (24, RFC 3646).
 */
#ifndef ES_NET_DHCP6_H
#define ES_NET_DHCP6_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dhcp.h"

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers */
#define DHCP6_SERVERS_GROUP { 0xff, 0x02, [13] = 1, [15] = 2 }
/* A reply read: an Ethernet frame less the IPv6 and UDP headers. */
#define DHCP6_MSG_MAX 1452u
/* The largest request dhcp6_build writes. */
#define DHCP6_REQUEST_MAX 256u
/* A DUID is at most 128 bytes after its 2-byte type (RFC 8415 11.1). */
#define DHCP6_DUID_MAX 130u

enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_REPLY = 7,
};

/*
 * A parsed ADVERTISE or REPLY. addr is the IA_NA's first address with a
 * valid lifetime, :: when the server gave none (a status code said why,
 * or the IA was missing). Absent lists are zero.
 */
struct dhcp6_lease {
	enum dhcp6_type type;
	struct in6_addr addr;
	uint32_t preferred, valid;	/* seconds, the address's lifetimes */
	uint8_t preference;		/* option 7; 0 without it */
	uint8_t server_id_len;
	uint8_t server_id[DHCP6_DUID_MAX];
	struct in6_addr dns[DHCP_DNS_MAX];	/* 23, in order */
	char search[DHCP_SEARCH_SIZE];		/* 24, as dhcp_lease.search */
};

/* What a request carries. */
struct dhcp6_request {
	enum dhcp6_type type;	/* DHCP6_SOLICIT or DHCP6_REQUEST */
	uint32_t xid;		/* 24 bits; replies must echo it */
	uint8_t mac[6];		/* the DUID and the IAID */
	uint16_t elapsed;	/* hundredths of a second since the start */
	/* REQUEST: the ADVERTISE chosen (its server and address). */
	const struct dhcp6_lease *offer;
};

/* Writes rq into buf; returns the length, -ENOSPC when buf is too small
 * (DHCP6_REQUEST_MAX suffices) or -EINVAL for another type. Every
 * request has the Client Identifier, an IA_NA, the Option Request for
 * 23 and 24, and the Elapsed Time; a REQUEST also the Server Identifier
 * and the offered address in its IA_NA. */
int dhcp6_build(const struct dhcp6_request *rq, uint8_t *buf, size_t size);

/*
 * Parses the len bytes of a reply to the exchange xid of the client
 * with this mac:
 *   0        l is filled (l->type: ADVERTISE or REPLY);
 *   -ESRCH   a well-formed message for someone else (xid, or a Client
 *            Identifier not ours, or none);
 *   -EBADMSG malformed: shorter than its header, another message type,
 *            an option running past the message or its IA, a fixed-size
 *            option of the wrong size, no Server Identifier or one
 *            longer than a DUID.
 * A malformed option 24 is ignored alone. Reads nothing past msg + len.
 */
int dhcp6_parse(struct dhcp6_lease *l, const uint8_t *msg, size_t len,
		uint32_t xid, const uint8_t mac[6]);

#endif
