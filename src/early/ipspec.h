/*
 * ipspec.h - what to configure, as the kernel's ip= parameter and
 * klibc's ipconfig spell it (Documentation/admin-guide/nfs/nfsroot.rst,
 * klibc's usr/kinit/ipconfig/main.c parse_device):
 *
 *   DEVICE                       an interface ("all" or "": every one)
 *   ip=PROTO, nfsaddrs=PROTO     off|none|static, on|any (or empty),
 *                                dhcp, bootp, rarp, both; and ours:
 *                                auto6 (router advertisements), dhcp6
 *   ip=CLIENT:SERVER:GATEWAY:NETMASK:HOSTNAME:DEVICE:AUTOCONF:DNS0:DNS1:NTP0
 *                                empty fields skipped; a CLIENT address
 *                                means static unless AUTOCONF says
 *                                otherwise; HOSTNAME is also asked for
 *                                in DHCP (option 12).
 *
 * Differences from klibc: DNS0, DNS1 and NTP0 are read (klibc 2.0 reads
 * the first seven fields); a field past the tenth, or an address that
 * is not one (addresses are dotted quads: inet_aton's "10.1" forms
 * are refused), is an error with the field's name; rarp is accepted and
 * treated as "nothing to ask" (no one answers RARP any more).
 */
#ifndef ES_EARLY_IPSPEC_H
#define ES_EARLY_IPSPEC_H

#include "base/error.h"

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

/* The protocols a device may use to configure itself. */
enum ip_caps {
	IP_CAP_BOOTP = 1 << 0,
	IP_CAP_DHCP = 1 << 1,
	IP_CAP_RARP = 1 << 2,
	IP_CAP_AUTO6 = 1 << 3,	/* the kernel's SLAAC from router advertisements */
	IP_CAP_DHCP6 = 1 << 4,
};
#define IP_CAP_ANY (IP_CAP_BOOTP | IP_CAP_DHCP | IP_CAP_RARP)

#define IP_HOSTNAME_MAX 64	/* the kernel's __NEW_UTS_LEN */

/* Addresses in network byte order; 0 (INADDR_ANY) when not given. */
struct ip_spec {
	char device[IFNAMSIZ];	/* "": every interface ("all" becomes "") */
	unsigned caps;		/* enum ip_caps; 0: static */
	bool from_ip;		/* an ip= or nfsaddrs= form, not a device name */
	uint32_t client, server, gateway, netmask, dns[2], ntp;
	char hostname[IP_HOSTNAME_MAX + 1];
};

/* Parses text into s, starting from default_caps (ipconfig -c). Returns
 * 0, or -EINVAL with err saying which field and why. */
int ip_spec_parse(struct ip_spec *s, const char *text, unsigned default_caps,
		  struct es_error *err);

/* The caps a protocol name stands for; -1 when it is none of them. */
int ip_proto_caps(const char *name);

#endif
