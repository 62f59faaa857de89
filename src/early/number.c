/* number.c - see number.h. */
#include "early/number.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>

static unsigned
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (unsigned)((c | 0x20) - 'a' + 10);
	return 16;
}

bool
number_scan(const char **s, unsigned base, unsigned long long max,
	    unsigned long long *v)
{
	const char *p = *s;
	unsigned long long n = 0;
	unsigned d;

	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (*v = 0; (d = digit_value(*p)) < base; p++) {
		if (d > max || n > (max - d) / base)
			return false;
		n = n * base + d;
	}
	if (p == *s)
		return false;
	*v = n;
	*s = p;
	return true;
}

bool
number_parse(const char *s, unsigned base, unsigned long long max,
	     unsigned long long *v)
{
	return number_scan(&s, base, max, v) && *s == '\0';
}

bool
number_ipv4(const char *s, uint32_t *addr)
{
	uint32_t host = 0;
	unsigned long long part;

	for (int i = 0; i < 4; i++) {
		if ((i && *s++ != '.') || !number_scan(&s, 10, 255, &part))
			return false;
		host = host << 8 | (uint32_t)part;
	}
	if (*s)
		return false;
	*addr = htonl(host);
	return true;
}

const char *
number_ipv4_text(uint32_t addr, char buf[NUMBER_IPV4_SIZE])
{
	const uint8_t *b = (const uint8_t *)&addr;

	snprintf(buf, NUMBER_IPV4_SIZE, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

/* RFC 5952 4: hex without leading zeros, the longest run of two or more
 * zero groups (the first of equal ones) as "::". */
const char *
number_ipv6_text(const uint8_t a[16], char buf[NUMBER_IPV6_SIZE])
{
	unsigned best = 0, best_len = 0, run = 0;
	char *t = buf;

	for (unsigned i = 0; i < 8; i++) {
		run = a[2 * i] | a[2 * i + 1] ? 0 : run + 1;
		if (run > best_len) {
			best_len = run;
			best = i + 1 - run;
		}
	}
	for (unsigned i = 0; i < 8;) {
		if (best_len > 1 && i == best) {
			*t++ = ':';
			*t++ = ':';
			i += best_len;
			continue;
		}
		if (i && t[-1] != ':')
			*t++ = ':';
		t += snprintf(t, 5, "%x", a[2 * i] << 8 | a[2 * i + 1]);
		i++;
	}
	*t = '\0';
	return buf;
}
