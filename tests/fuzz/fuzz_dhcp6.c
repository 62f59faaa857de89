/*
 * fuzz_dhcp6.c - a DHCPv6 ADVERTISE or REPLY as the client parses it
 * (dhcp6.h: dhcp6_parse), with the lease's promises checked.
 *
 * The transaction id is taken from the input's own header; the client
 * is the seeds' (52:54:00:12:34:56), whose DUID-LL they carry, so that
 * mutations reach the options instead of stopping at "someone else's".
 */
#include "fuzz.h"

#include "net/dhcp6.h"

#include <string.h>

#define SEARCH_CHARS "abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. "

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	static const struct in6_addr none;
	uint32_t xid = 0xabcdef;
	struct dhcp6_lease l;

	if (size >= 4)
		xid = (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
	if (dhcp6_parse(&l, data, size, xid, mac) != 0)
		return 0;
	if (!l.server_id_len || l.server_id_len > DHCP6_DUID_MAX)
		abort();
	if (!l.valid && memcmp(&l.addr, &none, sizeof(none)))
		abort();
	if (!memchr(l.search, '\0', sizeof(l.search)))
		abort();
	for (const char *s = l.search; *s; s++)
		if (!strchr(SEARCH_CHARS, *s))
			abort();
	return 0;
}
