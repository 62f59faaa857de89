/*
 * netconf.c - klibc ipconfig's /run/net-<DEVICE>.conf and summary
 * lines; see netconf.h. Format: klibc 2.0.12 usr/kinit/ipconfig/main.c
 * (dump_device_config, write_option, print_device_config), checked
 * against the output of Debian's klibc-utils 2.0.12 binary.
 * IPv6: Ubuntu's net6-<DEVICE>.conf variables (netconf.h).
 */
#include "early/netconf.h"
#include "early/number.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const proto_names[] = { "none", "bootp", "dhcp", "auto6", "dhcp6" };

static const char *
addr_text(char *buf, struct in_addr a)
{
	return number_ipv4_text(a.s_addr, buf);
}

/* Output to an fd, a dprintf(3) a line or so; the first failure sticks
 * (the target's stdio would cost more than the writes). */
struct out {
	int fd;
	int err;
};

static void
out(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vdprintf(o->fd, fmt, ap) < 0 && !o->err)
		o->err = -EIO;
	va_end(ap);
}

/* NAME='value', with ' and ! closed out of the quotes as klibc does
 * (git's quoting: '\'' and '\!'). Values are at most a search list. */
static void
put_var(struct out *o, const char *name, const char *value)
{
	char q[4 * DHCP_SEARCH_SIZE];
	size_t n = 0;

	for (; *value && n + 5 < sizeof(q); value++) {
		if (*value == '\'' || *value == '!') {
			memcpy(q + n, "'\\", 2);
			q[n + 2] = *value;
			q[n + 3] = '\'';
			n += 4;
		} else {
			q[n++] = *value;
		}
	}
	q[n] = '\0';
	out(o, "%s='%s'\n", name, q);
}

struct in_addr
netconf_root_server(const struct dhcp_lease *l)
{
	return l->siaddr.s_addr ? l->siaddr : l->server_id;
}

enum var_kind {
	V_TEXT, V_ADDR, V_GATEWAY, V_ROOTSERVER, V_PROTO, V_UPTIME, V_LEASE,
	V_ADDR6, V_PREFIX6,
};

struct var {
	char name[17];
	uint8_t kind;
	uint16_t off;	/* in struct netconf, for V_TEXT and V_ADDR */
};

#define LEASE(field) offsetof(struct netconf, lease.field)
#define LEASE6(field) offsetof(struct netconf, lease6.field)

/* The file's variables, in klibc's order. */
static const struct var vars[] = {
	{ "DEVICE", V_TEXT, offsetof(struct netconf, device) },
	{ "PROTO", V_PROTO, 0 },
	{ "IPV4ADDR", V_ADDR, LEASE(yiaddr) },
	{ "IPV4BROADCAST", V_ADDR, LEASE(broadcast) },
	{ "IPV4NETMASK", V_ADDR, LEASE(netmask) },
	{ "IPV4GATEWAY", V_GATEWAY, LEASE(router) },
	{ "IPV4DNS0", V_ADDR, LEASE(dns[0]) },
	{ "IPV4DNS1", V_ADDR, LEASE(dns[1]) },
	{ "HOSTNAME", V_TEXT, LEASE(hostname) },
	{ "DNSDOMAIN", V_TEXT, LEASE(domain) },
	{ "NISDOMAIN", V_TEXT, LEASE(nisdomain) },
	{ "ROOTSERVER", V_ROOTSERVER, 0 },
	{ "ROOTPATH", V_TEXT, LEASE(rootpath) },
	{ "filename", V_TEXT, LEASE(file) },
	{ "UPTIME", V_UPTIME, 0 },
	{ "DHCPLEASETIME", V_LEASE, 0 },
	{ "DOMAINSEARCH", V_TEXT, LEASE(search) },
};

/* net6-<DEVICE>.conf, in the order Ubuntu's initramfs-tools writes. */
static const struct var vars6[] = {
	{ "DEVICE6", V_TEXT, offsetof(struct netconf, device) },
	{ "IPV6PROTO", V_PROTO, 0 },
	{ "IPV6ADDR", V_ADDR6, LEASE6(addr) },
	{ "IPV6NETMASK", V_PREFIX6, 0 },
	{ "IPV6DNS0", V_ADDR6, LEASE6(dns[0]) },
	{ "IPV6DNS1", V_ADDR6, LEASE6(dns[1]) },
	{ "IPV6DOMAINSEARCH", V_TEXT, LEASE6(search) },
	{ "UPTIME", V_UPTIME, 0 },
};

/* Option 121's routes replace IPV4GATEWAY, numbered from 0. */
static void
put_routes(struct out *o, const struct dhcp_lease *l)
{
	char name[32], value[24], a[16];

	for (unsigned i = 0; i < l->nroutes; i++) {
		snprintf(name, sizeof(name), "IPV4ROUTE%uSUBNET", i);
		snprintf(value, sizeof(value), "%s/%u",
			 addr_text(a, l->routes[i].dest), l->routes[i].width);
		put_var(o, name, value);
		snprintf(name, sizeof(name), "IPV4ROUTE%uGATEWAY", i);
		put_var(o, name, addr_text(a, l->routes[i].gateway));
	}
}

int
netconf_write(int fd, const struct netconf *c)
{
	struct out o = { fd, 0 };
	const char *base = (const char *)c;
	bool v6 = NETCONF_IS_V6(c);
	const struct var *table = v6 ? vars6 : vars;
	size_t n = v6 ? sizeof(vars6) / sizeof(vars6[0]) : sizeof(vars) / sizeof(vars[0]);
	char buf[NUMBER_IPV6_SIZE];

	for (size_t i = 0; i < n; i++) {
		const struct var *v = &table[i];
		const char *value = buf;
		struct in_addr a;

		switch (v->kind) {
		case V_TEXT:
			value = base + v->off;
			break;
		case V_GATEWAY:
			if (c->lease.nroutes) {
				put_routes(&o, &c->lease);
				continue;
			}
			/* fall through */
		case V_ADDR:
			memcpy(&a, base + v->off, sizeof(a));
			addr_text(buf, a);
			break;
		case V_ROOTSERVER:
			addr_text(buf, netconf_root_server(&c->lease));
			break;
		case V_PROTO:
			value = proto_names[c->proto];
			break;
		case V_UPTIME:
			snprintf(buf, sizeof(buf), "%ld", c->uptime);
			break;
		case V_LEASE:
			snprintf(buf, sizeof(buf), "%u", (unsigned)c->lease.lease_time);
			break;
		case V_ADDR6:
			number_ipv6_text((const uint8_t *)base + v->off, buf);
			break;
		case V_PREFIX6:
			snprintf(buf, sizeof(buf), "%u", c->prefix6);
			break;
		}
		put_var(&o, v->name, value);
	}
	return o.err;
}

int
netconf_save(const struct netconf *c, const char *path)
{
	char tmp[PATH_MAX];
	int fd, err;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	err = netconf_write(fd, c);
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (!err)
		return 0;
	unlink(tmp);
	return err;
}

const char *
netconf_dns(const struct netconf *c, unsigned i, char *buf)
{
	static const struct in6_addr none;

	if (i >= DHCP_DNS_MAX)
		return NULL;
	if (NETCONF_IS_V6(c))
		return memcmp(&c->lease6.dns[i], &none, sizeof(none)) ?
			number_ipv6_text(c->lease6.dns[i].s6_addr, buf) : NULL;
	return c->lease.dns[i].s_addr ? addr_text(buf, c->lease.dns[i]) : NULL;
}

/* Ours: klibc has no IPv6 to follow. */
static int
print6(struct out *o, const struct netconf *c)
{
	const struct dhcp6_lease *l = &c->lease6;
	char a[NUMBER_IPV6_SIZE];

	out(o, "IP-Config: %s complete (%s):\n address: %s/%u\n", c->device,
	    proto_names[c->proto], number_ipv6_text(l->addr.s6_addr, a), c->prefix6);
	for (unsigned i = 0; netconf_dns(c, i, a); i++)
		out(o, " dns%u   : %s\n", i, a);
	if (l->search[0])
		out(o, " search : %s\n", l->search);
	return o->err;
}

int
netconf_print(int fd, const struct netconf *c)
{
	struct out o = { fd, 0 };
	const struct dhcp_lease *l = &c->lease;
	char a[16], b[16], m[16];
	int dns0_pad = 5;

	if (NETCONF_IS_V6(c))
		return print6(&o, c);
	out(&o, "IP-Config: %s complete", c->device);
	if (c->proto != NETCONF_NONE)
		out(&o, " (%s from %s)", proto_names[c->proto],
			addr_text(a, l->server_id.s_addr ? l->server_id : l->siaddr));
	out(&o, ":\n address: %-16s broadcast: %-16s netmask: %-16s\n",
		addr_text(a, l->yiaddr), addr_text(b, l->broadcast),
		addr_text(m, l->netmask));
	if (l->nroutes) {
		out(&o, " routes :");
		for (unsigned i = 0; i < l->nroutes; i++) {
			out(&o, "%s %s/%u", i ? "," : "",
				addr_text(a, l->routes[i].dest), l->routes[i].width);
			if (l->routes[i].gateway.s_addr)
				out(&o, " via %s", addr_text(a, l->routes[i].gateway));
		}
		out(&o, "\n");
		dns0_pad = 3;
	} else {
		out(&o, " gateway: %-16s", addr_text(a, l->router));
	}
	/* klibc's columns: the dns labels are padded to line up with
	 * whichever line came before. */
	out(&o, " dns0%*c: %-16s dns1%*c: %-16s\n", dns0_pad, ' ',
		addr_text(a, l->dns[0]), 8 - dns0_pad, ' ', addr_text(b, l->dns[1]));
	if (l->hostname[0])
		out(&o, " host   : %-64s\n", l->hostname);
	if (l->domain[0])
		out(&o, " domain : %-64s\n", l->domain);
	if (l->nisdomain[0])
		out(&o, " nisdomain: %-64s\n", l->nisdomain);
	out(&o, " rootserver: %s rootpath: %s\n filename  : %s\n",
		addr_text(a, netconf_root_server(l)), l->rootpath, l->file);
	return o.err;
}
