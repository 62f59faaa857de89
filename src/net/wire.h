/*
 * wire.h - what the protocol codecs share: big-endian numbers and
 * RFC 1035 domain names turned into text. Pure functions over memory.
 */
#ifndef ES_NET_WIRE_H
#define ES_NET_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* v's low n bytes (n <= 4) into p, most significant first. */
void wire_put_be(uint8_t *p, uint32_t v, unsigned n);
/* The n bytes (n <= 4) at p as a number, most significant first. */
uint32_t wire_get_be(const uint8_t *p, size_t n);

/*
 * A list of RFC 1035 names (DHCP option 119, DHCPv6 option 24) as
 * klibc's DOMAINSEARCH text: "a.example. example." into out (size
 * bytes, NUL-terminated). Labels hold only letters, digits, '-' and
 * '_'; a compression pointer must point strictly backwards (so a loop
 * is impossible). False, with out unspecified, for anything else or
 * when out is too small.
 */
bool wire_names_text(char *out, size_t size, const uint8_t *d, size_t n);

#endif
