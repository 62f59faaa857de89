/*
 * resolve.h - a host name to one IPv4 address, through the name servers
 * of /etc/resolv.conf (which ipconfig writes from the DHCP answer): the
 * stub resolver of RFC 1034 5.3.1 at its smallest, the messages of
 * net/dns.h over UDP.
 */
#ifndef ES_EARLY_RESOLVE_H
#define ES_EARLY_RESOLVE_H

#include "base/error.h"

#include <stdint.h>

/* A dotted quad is taken as it is. Else name (refused with -EINVAL
 * unless a host name as dns.h says) is asked of each "nameserver" of
 * /etc/resolv.conf in turn (IPv4 ones, the first 3), 1 s each, two
 * rounds; a name without a dot is tried as NAME.DOMAIN first, DOMAIN
 * the first word of the last "search" or "domain" line. Returns 0 with
 * *addr (network byte order), or -errno with err saying "NAME: ...":
 * -EDESTADDRREQ no name server, -ENOENT no such host (no A record),
 * -ETIMEDOUT no usable answer, or socket(2)'s error. */
int resolve_ipv4(const char *name, uint32_t *addr, struct es_error *err);

#endif
