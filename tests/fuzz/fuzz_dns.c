/*
 * fuzz_dns.c - a DNS reply as the stub resolver parses it (dns.h:
 * dns_parse, the id taken from the input's first two bytes so that
 * mutations get past it), and the input's first line as a name for
 * dns_query, whose output must fit DNS_QUERY_MAX and end as a query.
 */
#include "fuzz.h"

#include "net/dns.h"

#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t q[DNS_QUERY_MAX];
	char name[DNS_NAME_MAX + 8];
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
	uint32_t addr;
	size_t n = 0;
	int len;

	(void)dns_parse(data, size, id, &addr);
	while (n < size && n < sizeof(name) - 1 && data[n] != '\n' && data[n])
		n++;
	memcpy(name, data, n);
	name[n] = '\0';
	len = dns_query(q, id, name);
	if (len > (int)DNS_QUERY_MAX || (len >= 0 && len < 12 + 2 + 4))
		abort();
	if (len > 0 && memcmp(q + len - 4, "\0\1\0\1", 4))
		abort();
	return 0;
}
