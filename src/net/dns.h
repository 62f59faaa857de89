/*
 * dns.h - the DNS message codec of a stub resolver that wants one IPv4
 * address: an A query built into a buffer, a reply parsed out of one.
 * Pure functions over memory (no sockets, no allocation), like dhcp.h,
 * so the target binary, the unit tests and a fuzzer share them.
 *
 * Spec: RFC 1035 4.1 (header, question, resource records, 4.1.4
 * compression), over UDP without EDNS (4.2.1: at most 512 bytes).
 *
 * Limits: names as text, labels of 1 to 63 bytes (any byte but the
 * dot, sent as given: RFC 2181 11; but no colon, so that an IPv6
 * address is never asked as a name), at most 253 bytes in all, one
 * trailing dot allowed; no escapes, no IDNA. A reply's names are
 * skipped, never read: a compression pointer ends the name it is in
 * and is not followed, so a pointer loop costs nothing. The first A
 * record of the answer section is taken whatever its owner name: a
 * server that answers with a CNAME chain puts the A records it ends
 * in after it, in the same answer, and a resolver that wants one
 * address takes the first of them. A truncated (TC) reply is refused:
 * nothing here speaks TCP, and a name with a single IPv4 address fits
 * 512 bytes.
 */
#ifndef ES_NET_DNS_H
#define ES_NET_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_NAME_MAX 253	/* as text, without a trailing dot */
/* A query: the header, the name as labels (its text plus 2), QTYPE
 * and QCLASS. */
#define DNS_QUERY_MAX (12 + DNS_NAME_MAX + 2 + 4)
/* The largest reply read: UDP without EDNS. */
#define DNS_MSG_MAX 512

/* Writes an A query (IN class, recursion desired, one question) for
 * name with the transaction id into q. Returns its length, or -EINVAL
 * when name is not one (an empty or overlong label, over 253 bytes,
 * a colon). */
int dns_query(uint8_t q[DNS_QUERY_MAX], uint16_t id, const char *name);

/* Reads the reply of len bytes at m to the query with the transaction
 * id. Returns 0 with *addr (network byte order) set from the first A
 * record; -ENOENT when the name has no address (NXDOMAIN, or no A
 * record in the answer); -ESRCH when m answers no query of ours
 * (another id, or not a response); -EMSGSIZE when truncated (TC); -EIO
 * when the server failed (any other RCODE); -EBADMSG when malformed (a
 * length past the end, a reserved label type, an opcode other than
 * QUERY). */
int dns_parse(const uint8_t *m, size_t len, uint16_t id, uint32_t *addr);

#endif
