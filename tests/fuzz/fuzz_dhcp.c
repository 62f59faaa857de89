/*
 * fuzz_dhcp.c - a DHCP or BOOTP reply as the client parses it
 * (dhcp.h: dhcp_parse), with the lease's promises checked.
 *
 * The xid and client MAC the parser must match are taken from the
 * input's own header, so that mutations reach the options instead of
 * stopping at "someone else's reply"; an input shorter than the
 * header is tried with fixed ones.
 */
#include "fuzz.h"

#include "net/dhcp.h"

#include <string.h>

/* What the search list may hold (dhcp.h). */
#define SEARCH_CHARS "abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. "

/* A text field: NUL-terminated within its array, no control byte. */
static void
check_text(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);

	if (!end)
		abort();
	for (; s < end; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static void
check_lease(const struct dhcp_lease *l)
{
	if (l->nroutes > DHCP_ROUTES_MAX)
		abort();
	for (unsigned i = 0; i < l->nroutes; i++)
		if (l->routes[i].width > 32)
			abort();
	check_text(l->hostname, sizeof(l->hostname));
	check_text(l->domain, sizeof(l->domain));
	check_text(l->nisdomain, sizeof(l->nisdomain));
	check_text(l->rootpath, sizeof(l->rootpath));
	check_text(l->search, sizeof(l->search));
	check_text(l->sname, sizeof(l->sname));
	check_text(l->file, sizeof(l->file));
	for (const char *s = l->search; *s; s++)
		if (!strchr(SEARCH_CHARS, *s))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t fixed_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct dhcp_lease l;
	uint32_t xid = 0xfeb38f17u;
	const uint8_t *mac = fixed_mac;

	if (size >= 34) {
		xid = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 |
		      (uint32_t)data[6] << 8 | data[7];
		mac = data + 28;
	}
	/* libFuzzer's buffer holds exactly size bytes: ASan catches a
	 * read past the reply's end. */
	if (dhcp_parse(&l, data, size, xid, mac) == 0)
		check_lease(&l);
	return 0;
}
