/*
 * netconf.h - what ipconfig tells the rest of early boot once an
 * interface is configured, in klibc's formats, so initramfs-tools'
 * scripts read ours unchanged:
 *
 *   - /run/net-<DEVICE>.conf, shell variables that configure_networking
 *     sources, as klibc 2.0.12's ipconfig writes them (main.c,
 *     dump_device_config): every value in single quotes, ' and ! closed
 *     out of them ('\'' and '\!'), unset addresses 0.0.0.0, unset
 *     strings '', in a fixed order; IPV4ROUTE<i>SUBNET/GATEWAY pairs
 *     stand in place of IPV4GATEWAY when option 121 gave routes;
 *   - the "IP-Config: eth0 complete (dhcp from 10.0.2.2):" summary
 *     printed on stdout, in klibc's layout (print_device_config).
 *
 * IPv6 (which klibc never had) goes to /run/net6-<DEVICE>.conf in the
 * variables Ubuntu's initramfs-tools writes there from dhclient -6 and
 * cloud-init reads: DEVICE6, IPV6PROTO, IPV6ADDR, IPV6NETMASK (the
 * prefix length), IPV6DNS0, IPV6DNS1, IPV6DOMAINSEARCH, quoted as above.
 *
 * Only text: no sockets. Unlike klibc, the gateway written is option 3
 * (klibc falls back to giaddr, the relay agent, which is not a router).
 */
#ifndef ES_EARLY_NETCONF_H
#define ES_EARLY_NETCONF_H

#include "net/dhcp.h"
#include "net/dhcp6.h"

/* The file klibc writes: printf format, the device name its argument. */
#define NETCONF_PATH_FMT "/run/net-%s.conf"
#define NETCONF6_PATH_FMT "/run/net6-%s.conf"
#define NETCONF_DEVICE_SIZE 16	/* IFNAMSIZ */

/* PROTO: how the address was obtained. */
enum netconf_proto {
	NETCONF_NONE,	/* static ip= (or none) */
	NETCONF_BOOTP,
	NETCONF_DHCP,
	NETCONF_AUTO6,	/* the kernel's SLAAC from router advertisements */
	NETCONF_DHCP6,
};

/*
 * A finished configuration. For BOOTP and DHCP, lease is the parsed
 * answer (the ACK). For a static ip=, the applet fills the lease fields
 * ip= names: yiaddr (client), siaddr (server), router (gateway),
 * netmask, broadcast, hostname, dns[0] and dns[1], ntp[0]; the rest
 * stay zero. The address fields are written as they are: guessing a
 * netmask or broadcast that is missing is the applet's.
 */
struct netconf {
	char device[NETCONF_DEVICE_SIZE];	/* "eth0", NUL-terminated */
	enum netconf_proto proto;
	long uptime;	/* seconds since boot when done (sysinfo) */
	struct dhcp_lease lease;
	/* AUTO6 and DHCP6 (lease unused): the address with its prefix
	 * length; DHCP6 also the servers and search list. */
	struct dhcp6_lease lease6;
	unsigned prefix6;
};

/* conf's IPv6 protocols (lease6 holds the answer), else IPv4 (lease). */
#define NETCONF_IS_V6(conf) ((conf)->proto >= NETCONF_AUTO6)

/* Name server i (from 0) of the answer as text in buf (NUMBER_IPV6_SIZE
 * bytes), or NULL when there is none. */
const char *netconf_dns(const struct netconf *c, unsigned i, char *buf);

/* Writes the text of /run/net-<DEVICE>.conf (net6- for IPv6) to fd. Returns 0, or -EIO
 * when a write fails. */
int netconf_write(int fd, const struct netconf *c);

/* Writes that text to path atomically: into path.tmp in the same
 * directory, then renamed over path (not fsync'ed). Mode 0644. Returns
 * 0 or -errno; on error path is untouched and path.tmp removed. */
int netconf_save(const struct netconf *c, const char *path);

/* The root server, as klibc and the kernel take it: BOOTP's siaddr,
 * else the DHCP server identifier. */
struct in_addr netconf_root_server(const struct dhcp_lease *l);

/* Prints klibc's summary lines to fd ("IP-Config: eth0 complete ...").
 * Returns 0, or -EIO when a write fails. */
int netconf_print(int fd, const struct netconf *c);

#endif
