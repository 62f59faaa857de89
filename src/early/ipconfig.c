/*
 * ipconfig.c - the ipconfig applet: configuration of network interfaces
 * by DHCP, BOOTP or a static ip=, and IPv6 by router advertisements
 * (auto6) or DHCPv6 (dhcp6), with klibc's command line and outputs
 * (klibc-compat: the net-DEV.conf file and summary of netconf.h, the
 * exit codes 0, 1 and 255).
 *
 * The client follows RFC 2131 section 4.4 (DISCOVER, the first OFFER,
 * REQUEST with options 50 and 54, ACK; a NAK starts over) and RFC 951
 * for BOOTP (one request, one reply). Requests carry the broadcast flag
 * (RFC 2131 4.1) so that replies reach a socket of a client without an
 * address; each exchange has its own random xid; retransmissions back
 * off 1, 2, 4 ... 16 s with +-0.5 s of jitter (RFC 2131 4.1 suggests
 * 4 ... 64 s: early boot cannot wait that long).
 *
 * IPv6 (RFC 8415 section 18: SOLICIT, the first ADVERTISE with an
 * address, REQUEST with a new transaction id, REPLY): the kernel's own
 * link-local address must have passed duplicate detection before
 * anything can be sent from it, so a send that fails is tried again
 * IPC_RETRY_SOON later instead of waiting for the back-off. The
 * address is added as a /128 (DHCPv6 gives no prefix; the router's
 * advertisements give the on-link prefix and the default route, which
 * the kernel takes itself). auto6 waits for the kernel's SLAAC: a
 * global address that is no longer tentative.
 *
 * Devices: the named ones must all be configured; with "all" (or an
 * ip= without a device: every non-loopback link with broadcast or
 * point-to-point, also those that appear before the deadline) or -o,
 * the first one configured ends the run. Each runs its own exchange in
 * one poll loop. Applied through rtnetlink (rtnl.h): link up, MTU
 * (option 26), address with its prefix and broadcast (the classful
 * netmask guessed when none is given, as klibc does), the option 121
 * routes or else a default route through the router (RFC 3442); the
 * host name when the machine has none ("(none)" or empty); and
 * /etc/resolv.conf when servers are given (a file renamed into place).
 *
 * Unlike klibc: -t is a deadline that poll's timeouts are computed
 * from, so it is kept to the millisecond; a link that gains its carrier
 * sends at once (no back-off after link-up); a named device that does
 * not exist yet is waited for (a driver loading late) through the
 * rtnetlink link monitor.
 *
 * Limits: at most IPC_DEVS_MAX (8) interfaces; a device does IPv4 or
 * IPv6, not both; no lease renewal (the kernel keeps the address; the
 * real system's client takes over); no DNS servers from router
 * advertisements (RFC 8106) for auto6; RARP is accepted and asks
 * nothing (no one answers it now).
 */
#include "early/applets.h"
#include "early/clock.h"
#include "early/ipconfig.h"
#include "early/ipspec.h"
#include "early/netconf.h"
#include "early/number.h"
#include "early/options.h"
#include "early/rtnl.h"
#include "net/dhcp.h"
#include "net/dhcp6.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define IPC_DEVS_MAX 8
#define IPC_BACKOFF_FIRST 1000	/* ms */
#define IPC_BACKOFF_MAX 16000
#define IPC_JITTER 500
/* A send the kernel refused (no usable source address yet), and auto6's
 * look for its address: again this much later. */
#define IPC_RETRY_SOON 100
/* REQUESTs without an answer before starting over with a DISCOVER. */
#define IPC_REQUEST_TRIES 4
#define IPC_RESOLV "/etc/resolv.conf"

enum dev_state {
	ST_ABSENT,	/* named, not there yet */
	ST_DISCOVER,	/* DHCP: waiting for an OFFER */
	ST_REQUEST,	/* DHCP: waiting for the ACK */
	ST_BOOTP,	/* waiting for the BOOTP reply */
	ST_SOLICIT6,	/* DHCPv6: waiting for an ADVERTISE */
	ST_REQUEST6,	/* DHCPv6: waiting for the REPLY */
	ST_AUTO6,	/* waiting for the kernel's SLAAC address */
	ST_BOUND,	/* answered (or static): to apply */
	ST_DONE,
	ST_FAILED,
};

struct ipc_dev {
	struct ip_spec spec;
	enum dev_state state;
	int index, fd;		/* fd: its UDP socket, -1 when none */
	bool carrier;
	uint8_t mac[6];
	uint32_t xid;
	unsigned tries, backoff;
	long long next;		/* ms: when to send next */
	struct in_addr offered, server;
	struct netconf conf;
};

/* Invariant: dev[0 .. ndev) are in use; the sockets are closed when a
 * device leaves the exchange states. */
struct ipc {
	struct ipc_dev dev[IPC_DEVS_MAX];
	unsigned ndev;
	struct rtnl nl, mon;
	long long start, deadline;	/* ms, CLOCK_MONOTONIC; deadline -1: none */
	unsigned timeout;		/* -t, for the message */
	unsigned port;			/* the client's; the server's is one less */
	const char *vendor;
	bool no_apply, first_wins, want_all;
	struct ip_spec all_spec;	/* for links found by "all" */
	uint32_t rand;
	int status;
};

/* xorshift32, seeded from the kernel: enough for xids and jitter. */
static uint32_t
next_rand(struct ipc *c)
{
	uint32_t r = c->rand;

	r ^= r << 13;
	r ^= r >> 17;
	r ^= r << 5;
	return c->rand = r;
}

/* Without the kernel's entropy yet (GRND_NONBLOCK fails only on
 * kernels before 5.18, early in boot), the time and pid; dev_start
 * mixes each MAC in, so that machines booting together still differ. */
static void
seed_rand(struct ipc *c)
{
	if (getrandom(&c->rand, sizeof(c->rand), GRND_NONBLOCK) != sizeof(c->rand))
		c->rand = (uint32_t)clock_ms() ^ (uint32_t)getpid() << 16;
	c->rand |= 1;	/* xorshift's state must not be 0 */
}

static bool
exchanging(const struct ipc_dev *d)
{
	return d->state >= ST_DISCOVER && d->state <= ST_AUTO6;
}

static void
dev_stop(struct ipc_dev *d, enum dev_state state)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	d->state = state;
}

/* A new exchange: a new xid, the back-off from the start. */
static void
dev_restart(struct ipc *c, struct ipc_dev *d, enum dev_state state, long long when)
{
	d->state = state;
	d->xid = next_rand(c);
	d->tries = 0;
	d->backoff = IPC_BACKOFF_FIRST;
	d->next = when;
}

static int
dev_socket(const struct ipc *c, const struct ipc_dev *d, bool v6)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	struct sockaddr_in6 sa6 = {
		.sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT),
	};
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1, err;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, d->spec.device,
		       (socklen_t)strlen(d->spec.device) + 1) ||
	    (v6 ? bind(fd, (struct sockaddr *)&sa6, sizeof(sa6)) :
		  bind(fd, (struct sockaddr *)&sa, sizeof(sa)))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static void
dev_error(const struct ipc_dev *d, const char *what, int err)
{
	dprintf(STDERR_FILENO, "ipconfig: %s: %s: %s\n", d->spec.device, what, strerror(-err));
}

/* klibc's line; on stdout, written by dprintf as netconf writes (no
 * stdio buffer to flush before kinit goes on in the same process). */
static void
print_hwaddr(const struct ipc_dev *d, const struct rtnl_link *l)
{
	char hw[3 * RTNL_HWADDR_MAX + 1] = "";
	unsigned caps = d->spec.caps;

	for (unsigned i = 0; i < l->addr_len; i++)
		snprintf(hw + 3 * i, 4, "%c%02x", i ? ':' : ' ', l->addr[i]);
	dprintf(STDOUT_FILENO, "IP-Config: %s hardware address%s mtu %u%s%s%s%s\n",
		d->spec.device, hw, l->mtu, caps & IP_CAP_DHCP ? " DHCP" : "",
	       (caps & (IP_CAP_DHCP | IP_CAP_BOOTP)) == IP_CAP_BOOTP ? " BOOTP" : "",
	       caps & IP_CAP_RARP ? " RARP" : "",
	       caps & IP_CAP_DHCP6 ? " DHCPv6" : caps & IP_CAP_AUTO6 ? " SLAAC" : "");
}

/* The device's link is there: bring it up, open its socket, and send
 * at once if it has a carrier (else when it gets one). */
static void
dev_start(struct ipc *c, struct ipc_dev *d, const struct rtnl_link *l)
{
	unsigned caps = d->spec.caps;
	enum dev_state first = caps & IP_CAP_DHCP6 ? ST_SOLICIT6 :
			       caps & IP_CAP_AUTO6 ? ST_AUTO6 :
			       caps & IP_CAP_DHCP ? ST_DISCOVER :
			       caps & IP_CAP_BOOTP ? ST_BOOTP : ST_BOUND;
	uint32_t mix;
	int rc;

	d->index = l->index;
	memcpy(d->mac, l->addr, l->addr_len < 6 ? l->addr_len : 6);
	memcpy(&mix, d->mac + 2, sizeof(mix));
	c->rand = (c->rand ^ mix) | 1;
	print_hwaddr(d, l);
	d->carrier = (l->flags & (IFF_UP | RTNL_CARRIER)) == (IFF_UP | RTNL_CARRIER);
	if (!(l->flags & IFF_UP) &&
	    (rc = rtnl_link_set(&c->nl, l->index, IFF_UP, IFF_UP, 0)) < 0) {
		dev_error(d, "link up", rc);
		d->state = ST_FAILED;
		return;
	}
	if (first == ST_BOUND) {
		d->state = ST_BOUND;	/* static */
		return;
	}
	if (first != ST_AUTO6 && (rc = dev_socket(c, d, first == ST_SOLICIT6)) < 0) {
		dev_error(d, "socket", rc);
		d->state = ST_FAILED;
		return;
	}
	d->fd = first == ST_AUTO6 ? -1 : rc;
	dev_restart(c, d, first, clock_ms() + (d->carrier ? 0 : IPC_BACKOFF_FIRST));
}

/* auto6: the link's first address wider than the link (global, or the
 * old site-local fec0::/10 that QEMU's user network still advertises)
 * that passed duplicate detection. */
static int
found_slaac(const struct rtnl_addr *a, void *arg)
{
	struct ipc_dev *d = arg;

	if (a->index != d->index || a->scope >= RT_SCOPE_LINK ||
	    (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return 0;
	memcpy(&d->conf.lease6.addr, a->local, sizeof(d->conf.lease6.addr));
	d->conf.prefix6 = a->prefix;
	d->conf.proto = NETCONF_AUTO6;
	d->state = ST_BOUND;
	return 1;
}

static int
build6(const struct ipc *c, const struct ipc_dev *d, long long now, uint8_t *buf)
{
	long long cs = (now - c->start) / 10;
	struct dhcp6_request rq = {
		.type = d->state == ST_REQUEST6 ? DHCP6_REQUEST : DHCP6_SOLICIT,
		.xid = d->xid,
		.elapsed = (uint16_t)(cs > 0xffff ? 0xffff : cs),
		.offer = &d->conf.lease6,
	};

	memcpy(rq.mac, d->mac, sizeof(rq.mac));
	return dhcp6_build(&rq, buf, DHCP6_REQUEST_MAX);
}

/* A send that fails (no carrier yet: ENETDOWN, ENOBUFS) is retried by
 * the timer, or at once when the carrier comes. */
static int
build4(const struct ipc *c, const struct ipc_dev *d, long long now, uint8_t *buf)
{
	struct dhcp_request rq = {
		.type = d->state == ST_BOOTP ? DHCP_BOOTP :
			d->state == ST_REQUEST ? DHCP_REQUEST : DHCP_DISCOVER,
		.xid = d->xid,
		.secs = (uint16_t)((now - c->start) / 1000),
		.broadcast = true,
		.vendor_class = c->vendor,
		.hostname = d->spec.hostname,
	};

	memcpy(rq.mac, d->mac, sizeof(rq.mac));
	if (rq.type == DHCP_REQUEST) {
		rq.requested = d->offered;
		rq.server_id = d->server;
	}
	return dhcp_build(&rq, buf, DHCP_REQUEST_MAX);
}

/* The next message of the exchange; a send the kernel refuses is tried
 * again soon (a lost one waits for the back-off). */
static void
dev_send(struct ipc *c, struct ipc_dev *d, long long now)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET, .sin_port = htons(c->port - 1),
		.sin_addr.s_addr = INADDR_BROADCAST,
	};
	struct sockaddr_in6 to6 = {
		.sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
		.sin6_addr.s6_addr = DHCP6_SERVERS_GROUP, .sin6_scope_id = (uint32_t)d->index,
	};
	bool v6 = d->state >= ST_SOLICIT6;
	uint8_t buf[DHCP_REQUEST_MAX];
	int n;

	if (d->state == ST_AUTO6) {
		if (rtnl_addrs(&c->nl, AF_INET6, found_slaac, d) <= 0)
			d->next = now + IPC_RETRY_SOON;
		return;
	}
	if ((d->state == ST_REQUEST || d->state == ST_REQUEST6) &&
	    d->tries >= IPC_REQUEST_TRIES)
		dev_restart(c, d, v6 ? ST_SOLICIT6 : ST_DISCOVER, now);
	n = v6 ? build6(c, d, now, buf) : build4(c, d, now, buf);
	if (n > 0 && sendto(d->fd, buf, (size_t)n, 0,
			    v6 ? (struct sockaddr *)&to6 : (struct sockaddr *)&to,
			    v6 ? sizeof(to6) : sizeof(to)) < 0) {
		d->next = now + IPC_RETRY_SOON;
		return;
	}
	d->tries++;
	d->next = now + d->backoff - IPC_JITTER + next_rand(c) % (2 * IPC_JITTER + 1);
	d->backoff = d->backoff * 2 > IPC_BACKOFF_MAX ? IPC_BACKOFF_MAX : d->backoff * 2;
}

/* One parsed reply in the device's state; replies that do not fit it
 * are ignored. */
static void
dev_answer(struct ipc *c, struct ipc_dev *d, const struct dhcp_lease *l, long long now)
{
	bool addressed = l->yiaddr.s_addr != INADDR_ANY;

	if (d->state == ST_DISCOVER && l->type == DHCP_OFFER && addressed) {
		d->offered = l->yiaddr;
		d->server = l->server_id;
		d->state = ST_REQUEST;
		d->tries = 0;
		d->backoff = IPC_BACKOFF_FIRST;
		d->next = now;
	} else if (d->state == ST_REQUEST && l->type == DHCP_NAK &&
		   (!l->server_id.s_addr || l->server_id.s_addr == d->server.s_addr)) {
		/* Over again, after a pause: a server that NAKs every
		 * REQUEST must not make a flood of exchanges. */
		dev_restart(c, d, ST_DISCOVER, now + IPC_BACKOFF_FIRST);
	} else if ((d->state == ST_REQUEST && l->type == DHCP_ACK && addressed) ||
		   (d->state == ST_BOOTP && l->type == DHCP_BOOTP && addressed)) {
		d->conf.lease = *l;
		d->conf.proto = d->state == ST_BOOTP ? NETCONF_BOOTP : NETCONF_DHCP;
		dev_stop(d, ST_BOUND);
	}
}

/* The first ADVERTISE with an address is taken (RFC 8415 18.2.1 lets a
 * client wait for better ones: early boot does not); the REPLY must
 * come from the server asked. */
static void
dev_answer6(struct ipc *c, struct ipc_dev *d, const struct dhcp6_lease *l, long long now)
{
	struct dhcp6_lease *offer = &d->conf.lease6;

	if (!l->valid)
		return;
	if (d->state == ST_SOLICIT6 && l->type == DHCP6_ADVERTISE) {
		*offer = *l;
		dev_restart(c, d, ST_REQUEST6, now);
	} else if (d->state == ST_REQUEST6 && l->type == DHCP6_REPLY &&
		   l->server_id_len == offer->server_id_len &&
		   !memcmp(l->server_id, offer->server_id, l->server_id_len)) {
		*offer = *l;
		d->conf.proto = NETCONF_DHCP6;
		d->conf.prefix6 = 128;
		dev_stop(d, ST_BOUND);
	}
}

static void
dev_receive(struct ipc *c, struct ipc_dev *d, long long now)
{
	uint8_t buf[DHCP_MSG_MAX];
	union {
		struct dhcp_lease v4;
		struct dhcp6_lease v6;
	} l;
	ssize_t n;

	while (exchanging(d)) {
		n = recv(d->fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0)
			return;
		/* A datagram cut short is not a reply to read. */
		if ((size_t)n > sizeof(buf))
			continue;
		if (d->state >= ST_SOLICIT6) {
			if (dhcp6_parse(&l.v6, buf, (size_t)n, d->xid, d->mac) == 0)
				dev_answer6(c, d, &l.v6, now);
		} else if (dhcp_parse(&l.v4, buf, (size_t)n, d->xid, d->mac) == 0) {
			dev_answer(c, d, &l.v4, now);
		}
	}
}

static int
add_device(struct ipc *c, const struct ip_spec *s, const char *name)
{
	struct ipc_dev *d;
	unsigned i;

	for (i = 0; i < c->ndev && strcmp(c->dev[i].spec.device, name) != 0; i++)
		;
	if (i == IPC_DEVS_MAX)
		return -ENOSPC;
	d = &c->dev[i];
	if (i == c->ndev) {
		memset(d, 0, sizeof(*d));
		d->fd = -1;
		c->ndev++;
	}
	d->spec = *s;	/* a later spec for the same device wins */
	snprintf(d->spec.device, sizeof(d->spec.device), "%s", name);
	return 0;
}

static bool
eligible(const struct rtnl_link *l)
{
	return l->flags && !(l->flags & IFF_LOOPBACK) &&
	       (l->flags & (IFF_BROADCAST | IFF_POINTOPOINT));
}

/* A link appeared or changed (flags 0: removed). */
static void
on_link(struct ipc *c, const struct rtnl_link *l)
{
	unsigned i;

	for (i = 0; i < c->ndev; i++) {
		struct ipc_dev *d = &c->dev[i];
		bool up = (l->flags & (IFF_UP | RTNL_CARRIER)) == (IFF_UP | RTNL_CARRIER);

		if (d->state == ST_ABSENT && l->flags && strcmp(l->name, d->spec.device) == 0) {
			dev_start(c, d, l);
			return;
		}
		if (d->index != l->index || d->state == ST_ABSENT)
			continue;
		if (exchanging(d) && up && !d->carrier) {
			d->next = clock_ms();	/* sent into nothing before: again now */
			d->backoff = IPC_BACKOFF_FIRST;
		}
		d->carrier = up;
		return;
	}
	if (c->want_all && eligible(l) && add_device(c, &c->all_spec, l->name) == 0)
		dev_start(c, &c->dev[c->ndev - 1], l);
}

/* "all": past IPC_DEVS_MAX links, the rest are left alone. */
static int
found_link(const struct rtnl_link *l, void *arg)
{
	struct ipc *c = arg;

	if (eligible(l))
		add_device(c, &c->all_spec, l->name);
	return 0;
}

/* Reads the named links again (at start, and when the monitor lost
 * changes). */
static void
scan_links(struct ipc *c)
{
	struct rtnl_link l;

	for (unsigned i = 0; i < c->ndev; i++)
		if (rtnl_link_get(&c->nl, 0, c->dev[i].spec.device, &l) == 0)
			on_link(c, &l);
}

static void
read_monitor(struct ipc *c)
{
	struct rtnl_link l;
	int rc;

	while ((rc = rtnl_monitor_read(&c->mon, &l)) != 0) {
		if (rc == -ENOBUFS)
			scan_links(c);
		else if (rc < 0)
			return;
		else
			on_link(c, &l);
	}
}

static unsigned
prefix_len(struct in_addr mask)
{
	unsigned n = 0;

	for (uint32_t m = ntohl(mask.s_addr); m; m <<= 1)
		n++;
	return n;
}

/* The search list ("a.example. b.example.", dots ending each name) or
 * else the domain, and the servers. Atomic: a temporary file renamed. */
static int
write_resolv(const struct netconf *conf)
{
	const struct dhcp_lease *l = &conf->lease;
	const char *search = NETCONF_IS_V6(conf) ? conf->lease6.search :
			     l->search[0] ? l->search : l->domain;
	char a[NUMBER_IPV6_SIZE];
	int fd, err = 0;

	if (!netconf_dns(conf, 0, a))
		return 0;
	fd = open(IPC_RESOLV ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0)
		return -errno;
	if (*search) {
		/* the names without the dots that end them */
		char text[DHCP_SEARCH_SIZE], *t = text;

		for (const char *p = search; *p; p++)
			if (*p != '.' || (p[1] != ' ' && p[1] != '\0'))
				*t++ = *p;
		*t = '\0';
		if (dprintf(fd, "search %s\n", text) < 0)
			err = -EIO;
	}
	for (unsigned i = 0; netconf_dns(conf, i, a); i++)
		if (dprintf(fd, "nameserver %s\n", a) < 0)
			err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(IPC_RESOLV ".tmp", IPC_RESOLV))
		err = -errno;
	if (err)
		unlink(IPC_RESOLV ".tmp");
	return err;
}

/* Address, MTU, routes, host name: what an IPv4 lease says. */
static int
apply4(struct ipc *c, struct ipc_dev *d, const char **what)
{
	const struct dhcp_lease *l = &d->conf.lease;
	struct utsname u;
	int rc = 0;

	*what = "MTU";
	if (l->mtu >= 68)
		rc = rtnl_link_set(&c->nl, d->index, IFF_UP, IFF_UP, l->mtu);
	if (!rc) {
		*what = "address";
		rc = rtnl_addr_add(&c->nl, AF_INET, d->index, &l->yiaddr,
				   prefix_len(l->netmask), &l->broadcast);
	}
	/* Option 121 replaces option 3 (RFC 3442). */
	if (!rc)
		*what = "route";
	for (unsigned i = 0; !rc && i < l->nroutes; i++)
		rc = rtnl_route_add(&c->nl, AF_INET, &l->routes[i].dest, l->routes[i].width,
				    l->routes[i].gateway.s_addr ? &l->routes[i].gateway : NULL,
				    d->index);
	if (!rc && !l->nroutes && l->router.s_addr)
		rc = rtnl_route_add(&c->nl, AF_INET, NULL, 0, &l->router, d->index);
	if (!rc && l->hostname[0] && uname(&u) == 0 &&
	    (!u.nodename[0] || strcmp(u.nodename, "(none)") == 0)) {
		*what = "host name";
		if (sethostname(l->hostname, strlen(l->hostname)))
			rc = -errno;
	}
	return rc;
}

/* The lease, then the resolver. SLAAC's address is the kernel's own. */
static int
apply(struct ipc *c, struct ipc_dev *d)
{
	const struct netconf *conf = &d->conf;
	const char *what = "address";
	int rc = 0;

	if (!NETCONF_IS_V6(conf))
		rc = apply4(c, d, &what);
	else if (conf->proto == NETCONF_DHCP6)
		rc = rtnl_addr_add(&c->nl, AF_INET6, d->index, &conf->lease6.addr,
				   conf->prefix6, NULL);
	if (!rc) {
		what = IPC_RESOLV;
		rc = write_resolv(conf);
	}
	if (rc)
		dev_error(d, what, rc);
	return rc;
}

static void
static_lease(struct dhcp_lease *l, const struct ip_spec *s)
{
	l->yiaddr.s_addr = s->client;
	l->siaddr.s_addr = s->server;
	l->router.s_addr = s->gateway;
	l->netmask.s_addr = s->netmask;
	l->dns[0].s_addr = s->dns[0];
	l->dns[1].s_addr = s->dns[1];
	l->ntp[0].s_addr = s->ntp;
	memcpy(l->hostname, s->hostname, sizeof(l->hostname));
}

/* The classful netmask klibc guesses when none is given. */
static uint32_t
guess_netmask(struct in_addr a)
{
	uint8_t first = ((const uint8_t *)&a.s_addr)[0];

	return htonl(first < 128 ? 0xff000000u : first < 192 ? 0xffff0000u : 0xffffff00u);
}

/* What an IPv4 answer (or ip=) left out, as klibc fills it in. */
static void
complete4(struct ipc_dev *d)
{
	struct dhcp_lease *l = &d->conf.lease;

	if (d->conf.proto == NETCONF_NONE)
		static_lease(l, &d->spec);
	if (!l->hostname[0])	/* ours, as given in ip= */
		memcpy(l->hostname, d->spec.hostname, sizeof(l->hostname));
	if (!l->netmask.s_addr)
		l->netmask.s_addr = guess_netmask(l->yiaddr);
	if (!l->broadcast.s_addr)
		l->broadcast.s_addr = l->yiaddr.s_addr | ~l->netmask.s_addr;
}

/* A bound device: apply, write net-DEV.conf (net6-), print the summary. */
static void
dev_finish(struct ipc *c, struct ipc_dev *d)
{
	struct netconf *conf = &d->conf;
	bool v6 = NETCONF_IS_V6(conf);
	char path[sizeof(NETCONF6_PATH_FMT) + IF_NAMESIZE];
	struct sysinfo si;
	int rc;

	d->state = ST_DONE;
	snprintf(conf->device, sizeof(conf->device), "%s", d->spec.device);
	if (!v6)
		complete4(d);
	if (!c->no_apply && apply(c, d) < 0)
		c->status = 1;
	conf->uptime = sysinfo(&si) == 0 ? si.uptime : 0;
	snprintf(path, sizeof(path), v6 ? NETCONF6_PATH_FMT : NETCONF_PATH_FMT, conf->device);
	rc = mkdir("/run", 0755) && errno != EEXIST ? -errno : 0;
	if (rc == 0)
		rc = netconf_save(conf, path);
	if (rc < 0) {
		dev_error(d, path, rc);
		c->status = 1;
	}
	netconf_print(STDOUT_FILENO, conf);
}

/* 1: finished (c->status says how), 0: go on. */
static int
settle(struct ipc *c)
{
	unsigned done = 0, over = 0;

	for (unsigned i = 0; i < c->ndev; i++) {
		struct ipc_dev *d = &c->dev[i];

		/* First wins: of two bound in one turn, only the first. */
		if (d->state == ST_BOUND && !(c->first_wins && done))
			dev_finish(c, d);
		done += d->state == ST_DONE;
		over += d->state == ST_DONE || d->state == ST_FAILED;
	}
	if (done && c->first_wins)
		return 1;
	if (c->ndev && over == c->ndev) {
		if (!done)
			c->status = 1;
		return 1;
	}
	return 0;
}

static int
run(struct ipc *c)
{
	struct pollfd pfd[IPC_DEVS_MAX + 1];
	struct ipc_dev *by_fd[IPC_DEVS_MAX + 1];

	for (;;) {
		long long now = clock_ms(), wake = c->deadline;
		nfds_t n = 1;
		int timeout = -1;

		if (c->deadline >= 0 && now >= c->deadline) {
			dprintf(STDOUT_FILENO, "IP-Config: no response after %u secs - giving up\n",
				c->timeout);
			return 255;
		}
		for (unsigned i = 0; i < c->ndev; i++) {
			struct ipc_dev *d = &c->dev[i];

			if (!exchanging(d))
				continue;
			if (d->next <= now)
				dev_send(c, d, now);
			if (wake < 0 || d->next < wake)
				wake = d->next;
			pfd[n] = (struct pollfd){ .fd = d->fd, .events = POLLIN };
			by_fd[n++] = d;
		}
		/* A device may have finished in dev_send: then wake is past. */
		if (wake >= 0)
			timeout = wake > now ? (int)(wake - now) : 0;
		pfd[0] = (struct pollfd){ .fd = c->mon.fd, .events = POLLIN };
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			dprintf(STDERR_FILENO, "ipconfig: poll: %s\n", strerror(errno));
			return 1;
		}
		if (pfd[0].revents)
			read_monitor(c);
		for (nfds_t i = 1; i < n; i++)
			if (pfd[i].revents)
				dev_receive(c, by_fd[i], clock_ms());
		if (settle(c))
			return c->status;
	}
}

static int
usage(void)
{
	dprintf(STDERR_FILENO,
		"usage: ipconfig [-c PROTO] [-d DEV|SPEC]... [-i VENDORCLASS] [-n] [-o]\n"
		"                [-p PORT] [-t SECS] [DEV|SPEC]...\n");
	return 1;
}

static int
add_spec(struct ipc *c, const char *text, unsigned caps)
{
	struct es_error err = { 0 };
	struct ip_spec s;

	if (ip_spec_parse(&s, text, caps, &err) < 0) {
		dprintf(STDERR_FILENO, "ipconfig: %s\n", err.msg);
		return -1;
	}
	/* Nothing to ask and nothing given (ip=off, rarp): not configured. */
	if (!s.client && !(s.caps & (IP_CAP_DHCP | IP_CAP_BOOTP | IP_CAP_AUTO6)))
		return 0;
	if (!s.device[0]) {
		c->want_all = c->first_wins = true;
		c->all_spec = s;
		return 0;
	}
	if (add_device(c, &s, s.device) < 0) {
		dprintf(STDERR_FILENO, "ipconfig: more than %u devices\n", IPC_DEVS_MAX);
		return -1;
	}
	return 0;
}

/* Options into c; 0, or the exit status of a usage error. */
static int
parse_args(struct ipc *c, int argc, char **argv)
{
	static const struct option_def defs[] = {
		{ 'c', NULL, "PROTO" }, { 'd', NULL, "SPEC" },
		{ 'i', NULL, "CLASS" }, { 'n', NULL, NULL },
		{ 'o', NULL, NULL }, { 'p', NULL, "PORT" },
		{ 't', NULL, "SECS" },
	};
	unsigned caps = IP_CAP_ANY;
	unsigned long long v;
	struct options o;
	int key, k;

	options_init(&o, defs, sizeof(defs) / sizeof(defs[0]), argc, argv, true);
	while ((key = options_next(&o)) != 0) {
		if (key == 'c' && (k = ip_proto_caps(o.arg)) >= 0) {
			caps = (unsigned)k;
		} else if (key == 'd') {
			if (add_spec(c, o.arg, caps) < 0)
				return 1;
		} else if (key == 'i' && strlen(o.arg) <= 255) {
			c->vendor = o.arg;
		} else if (key == 'n' || key == 'o') {
			*(key == 'n' ? &c->no_apply : &c->first_wins) = true;
		} else if (key == 'p' && number_parse(o.arg, 10, 65535, &v) && v > 1) {
			c->port = (unsigned)v;
		} else if (key == 't' && number_parse(o.arg, 10, 1u << 30, &v)) {
			c->timeout = (unsigned)v;
			c->deadline = c->start + (long long)v * 1000;
		} else {
			if (key != '?')
				dprintf(STDERR_FILENO, "ipconfig: -%c: bad value '%s'\n", key, o.arg);
			return usage();
		}
	}
	for (int i = 0; i < o.noperands; i++)
		if (add_spec(c, o.operands[i], caps) < 0)
			return 1;
	return 0;
}

int
ipconfig_run(int argc, char **argv, struct netconf *done)
{
	struct ipc c = {
		.port = DHCP_CLIENT_PORT, .deadline = -1, .start = clock_ms(),
		.nl.fd = -1, .mon.fd = -1,
	};
	int rc;

	if ((rc = parse_args(&c, argc, argv)) != 0)
		return rc;
	seed_rand(&c);
	/* The monitor first: no change is lost between the scan and it. */
	if ((rc = rtnl_open(&c.mon, RTMGRP_LINK)) < 0 || (rc = rtnl_open(&c.nl, 0)) < 0 ||
	    (c.want_all && (rc = rtnl_links(&c.nl, found_link, &c)) < 0)) {
		dprintf(STDERR_FILENO, "ipconfig: rtnetlink: %s\n", strerror(-rc));
		rc = 1;
	} else if (!c.ndev && (!c.want_all || c.deadline < 0)) {
		/* with no deadline, nothing would be waited for forever */
		dprintf(STDERR_FILENO, "ipconfig: no devices to configure\n");
		rc = 1;
	} else {
		scan_links(&c);
		rc = settle(&c) ? c.status : run(&c);
	}
	for (unsigned i = 0; i < c.ndev; i++) {
		if (done && c.dev[i].state == ST_DONE) {
			*done = c.dev[i].conf;
			done = NULL;
		}
		dev_stop(&c.dev[i], c.dev[i].state);
	}
	rtnl_close(&c.nl);
	rtnl_close(&c.mon);
	return rc;
}

int
ipconfig_main(int argc, char **argv)
{
	return ipconfig_run(argc, argv, NULL);
}
