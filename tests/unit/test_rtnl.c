/* test_rtnl.c - the rtnetlink client against the kernel, inside a
 * network namespace of its own (unshare(CLONE_NEWNET) at the start;
 * when that is not allowed, only the tests that need no kernel run, and
 * the veth ones only where the kernel has veth). Each result is read back
 * twice: through rtnl's own dumps and through iproute2's `ip`, which
 * runs in the same namespace since it is forked after the unshare.
 * Addresses are the documentation prefixes (RFC 5737, RFC 3849) and
 * exist only inside the namespace. Malformed replies come from the
 * other end of a socketpair standing in for the kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "early/rtnl.h"

#define OUT_MAX 8192
#define LINKS_MAX 8
#define ROUTES_MAX 32
/* How long a link change may take to show on the monitor. */
#define CARRIER_WAIT_MS 5000

/* A request socket for a test that runs in the namespace. */
static void
enter(struct rtnl *nl)
{
	assert_int_equal(rtnl_open(nl, 0), 0);
}

/* The output of a shell command, which must succeed. */
static void
run(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int status;

	assert_non_null(p);
	n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	status = pclose(p);
	if (status != 0) {
		print_error("`%s` exited with %d:\n%s\n", cmd, status, out);
		fail();
	}
}

static void
check_output(const char *cmd, const char *want, bool present)
{
	char out[OUT_MAX];

	run(cmd, out, sizeof(out));
	if ((strstr(out, want) != NULL) != present) {
		print_error("`%s`: expected %s\"%s\", saw:\n%s\n", cmd,
			    present ? "" : "no ", want, out);
		fail();
	}
}

static void
ip4(const char *s, unsigned char *a)
{
	assert_int_equal(inet_pton(AF_INET, s, a), 1);
}

static int
lo_index(struct rtnl *nl)
{
	struct rtnl_link l;

	assert_int_equal(rtnl_link_get(nl, 0, "lo", &l), 0);
	return l.index;
}

struct links {
	int n;
	struct rtnl_link l[LINKS_MAX];
};

static int
collect_link(const struct rtnl_link *l, void *arg)
{
	struct links *ls = arg;

	assert_true(ls->n < LINKS_MAX);
	ls->l[ls->n++] = *l;
	return 0;
}

struct addrs {
	int index, n;
	struct rtnl_addr a[LINKS_MAX];
};

static int
collect_addr(const struct rtnl_addr *a, void *arg)
{
	struct addrs *as = arg;

	if (a->index == as->index) {
		assert_true(as->n < LINKS_MAX);
		as->a[as->n++] = *a;
	}
	return 0;
}

static const struct rtnl_addr *
find_addr(const struct addrs *as, const char *text)
{
	unsigned char a[16];

	assert_int_equal(inet_pton(strchr(text, ':') ? AF_INET6 : AF_INET,
				   text, a), 1);
	for (int i = 0; i < as->n; i++)
		if (memcmp(as->a[i].local, a, as->a[i].family == AF_INET6 ? 16 : 4) == 0)
			return &as->a[i];
	return NULL;
}

struct routes {
	int n;
	struct rtnl_route r[ROUTES_MAX];
};

static int
collect_main_route(const struct rtnl_route *r, void *arg)
{
	struct routes *rs = arg;

	if (r->table == RT_TABLE_MAIN) {
		assert_true(rs->n < ROUTES_MAX);
		rs->r[rs->n++] = *r;
	}
	return 0;
}

static const struct rtnl_route *
find_route(const struct routes *rs, const char *dst, unsigned dst_len)
{
	unsigned char a[4];

	ip4(dst, a);
	for (int i = 0; i < rs->n; i++)
		if (rs->r[i].dst_len == dst_len && memcmp(rs->r[i].dst, a, 4) == 0)
			return &rs->r[i];
	return NULL;
}

/* A request socket with lo up; returns lo's index. */
static int
enter_lo_up(struct rtnl *nl)
{
	int lo;

	enter(nl);
	lo = lo_index(nl);
	assert_int_equal(rtnl_link_set(nl, lo, IFF_UP, IFF_UP, 0), 0);
	return lo;
}

/* `ip` forked from here sees the namespace this process unshared. */
static void
children_share_namespace(void **state)
{
	struct rtnl nl;
	char mine[64], theirs[OUT_MAX];
	ssize_t n;

	(void)state;
	enter(&nl);
	n = readlink("/proc/self/ns/net", mine, sizeof(mine) - 1);
	assert_true(n > 0);
	mine[n] = '\0';
	run("readlink /proc/self/ns/net", theirs, sizeof(theirs));
	theirs[strcspn(theirs, "\n")] = '\0';
	assert_string_equal(theirs, mine);
	/* A new namespace: lo is the only link. */
	run("ip -o link show | wc -l", theirs, sizeof(theirs));
	assert_string_equal(theirs, "1\n");
	rtnl_close(&nl);
}

static void
lo_listed(void **state)
{
	struct rtnl nl;
	struct links ls = { 0 };
	static const unsigned char zero[6];
	char want[64];

	(void)state;
	enter(&nl);
	assert_int_equal(rtnl_links(&nl, collect_link, &ls), 0);
	assert_int_equal(ls.n, 1);
	assert_string_equal(ls.l[0].name, "lo");
	assert_int_equal(ls.l[0].index, if_nametoindex("lo"));
	assert_true(ls.l[0].flags & IFF_LOOPBACK);
	assert_int_equal(ls.l[0].type, ARPHRD_LOOPBACK);
	assert_int_equal(ls.l[0].addr_len, 6);
	assert_memory_equal(ls.l[0].addr, zero, 6);
	assert_true(ls.l[0].mtu > 0);
	snprintf(want, sizeof(want), "%d: lo: <LOOPBACK", ls.l[0].index);
	check_output("ip -o link show", want, true);
	snprintf(want, sizeof(want), "mtu %u ", ls.l[0].mtu);
	check_output("ip -o link show", want, true);
	check_output("ip -o link show", "link/loopback 00:00:00:00:00:00", true);
	rtnl_close(&nl);
}

static void
link_by_name_and_index(void **state)
{
	struct rtnl nl;
	struct rtnl_link l;
	int lo;

	(void)state;
	enter(&nl);
	assert_int_equal(rtnl_link_get(&nl, 0, "lo", &l), 0);
	lo = l.index;
	assert_int_equal(lo, if_nametoindex("lo"));
	memset(&l, 0x55, sizeof(l));
	assert_int_equal(rtnl_link_get(&nl, lo, NULL, &l), 0);
	assert_string_equal(l.name, "lo");
	assert_int_equal(l.index, lo);
	assert_int_equal(rtnl_link_get(&nl, 0, "es-nosuch0", &l), -ENODEV);
	assert_int_equal(rtnl_link_get(&nl, 9999, NULL, &l), -ENODEV);
	rtnl_close(&nl);
}

static void
link_up_down_and_mtu(void **state)
{
	struct rtnl nl;
	struct rtnl_link l;
	int lo;

	(void)state;
	enter(&nl);
	lo = lo_index(&nl);
	assert_int_equal(rtnl_link_set(&nl, lo, IFF_UP, IFF_UP, 1400), 0);
	assert_int_equal(rtnl_link_get(&nl, lo, NULL, &l), 0);
	assert_true(l.flags & IFF_UP);
	assert_true(l.flags & RTNL_CARRIER);	/* lo has one when up */
	assert_int_equal(l.mtu, 1400);
	check_output("ip -o link show lo", "<LOOPBACK,UP,LOWER_UP> mtu 1400 ", true);

	assert_int_equal(rtnl_link_set(&nl, lo, 0, IFF_UP, 0), 0);
	assert_int_equal(rtnl_link_get(&nl, lo, NULL, &l), 0);
	assert_false(l.flags & IFF_UP);
	assert_int_equal(l.mtu, 1400);		/* 0: left as it was */
	check_output("ip -o link show lo", "<LOOPBACK> mtu 1400 ", true);

	assert_int_equal(rtnl_link_set(&nl, lo, IFF_UP, IFF_UP, 65536), 0);
	check_output("ip -o link show lo", "<LOOPBACK,UP,LOWER_UP> mtu 65536 ", true);
	rtnl_close(&nl);
}

static void
address_add_replace_flush(void **state)
{
	struct rtnl nl;
	struct addrs as;
	const struct rtnl_addr *a;
	unsigned char local[4], brd[4], other[4];
	int lo;

	(void)state;
	lo = enter_lo_up(&nl);
	ip4("192.0.2.10", local);
	ip4("192.0.2.255", brd);
	ip4("198.51.100.7", other);
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, lo, local, 24, brd), 0);
	/* Again: updated in place, not EEXIST. */
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, lo, local, 24, brd), 0);
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, lo, other, 25, NULL), 0);

	as = (struct addrs){ .index = lo };
	assert_int_equal(rtnl_addrs(&nl, AF_INET, collect_addr, &as), 0);
	assert_non_null(a = find_addr(&as, "192.0.2.10"));
	assert_int_equal(a->family, AF_INET);
	assert_int_equal(a->prefix, 24);
	assert_int_equal(a->scope, RT_SCOPE_UNIVERSE);
	assert_true(a->has_brd);
	assert_memory_equal(a->brd, brd, 4);
	assert_non_null(a = find_addr(&as, "198.51.100.7"));
	assert_int_equal(a->prefix, 25);
	assert_false(a->has_brd);
	assert_non_null(find_addr(&as, "127.0.0.1"));	/* the kernel's */
	check_output("ip -o -4 addr show dev lo",
		     "inet 192.0.2.10/24 brd 192.0.2.255 scope global lo", true);
	check_output("ip -o -4 addr show dev lo",
		     "inet 198.51.100.7/25 scope global lo", true);

	assert_int_equal(rtnl_addr_flush(&nl, AF_INET, lo), 0);
	as = (struct addrs){ .index = lo };
	assert_int_equal(rtnl_addrs(&nl, AF_INET, collect_addr, &as), 0);
	assert_int_equal(as.n, 0);
	check_output("ip -o -4 addr show dev lo", "inet", false);
	/* Only the family asked for. */
	check_output("ip -o -6 addr show dev lo", "inet6 ::1/128", true);
	rtnl_close(&nl);
}

static void
address_prefix_checked(void **state)
{
	struct rtnl nl;
	unsigned char local[16] = { 0 };

	(void)state;
	enter(&nl);
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, lo_index(&nl), local, 33, NULL),
			 -EINVAL);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, local, 33, NULL, 0), -EINVAL);
	rtnl_close(&nl);
}

/* IPv6 is not used yet, but the family argument carries it. */
static void
address_ipv6(void **state)
{
	struct rtnl nl;
	struct addrs as;
	unsigned char local[16];
	int lo, rc;

	(void)state;
	lo = enter_lo_up(&nl);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::5", local), 1);
	rc = rtnl_addr_add(&nl, AF_INET6, lo, local, 64, NULL);
	if (rc == -EACCES || rc == -EAFNOSUPPORT) {
		/* IPv6 off in this kernel: its refusal is what comes back. */
		print_message("IPv6 is off here: only its refusal is checked\n");
		rtnl_close(&nl);
		return;
	}
	assert_int_equal(rc, 0);
	as = (struct addrs){ .index = lo };
	assert_int_equal(rtnl_addrs(&nl, AF_INET6, collect_addr, &as), 0);
	assert_non_null(find_addr(&as, "2001:db8::5"));
	assert_int_equal(find_addr(&as, "2001:db8::5")->prefix, 64);
	check_output("ip -o -6 addr show dev lo", "inet6 2001:db8::5/64 scope global", true);
	assert_int_equal(rtnl_addr_flush(&nl, AF_INET6, lo), 0);
	check_output("ip -o -6 addr show dev lo", "inet6", false);
	rtnl_close(&nl);
}

static void
routes_default_and_on_link(void **state)
{
	struct rtnl nl;
	struct routes rs = { 0 };
	const struct rtnl_route *r;
	unsigned char local[4], brd[4], gw[4], net[4];
	int lo;

	(void)state;
	lo = enter_lo_up(&nl);
	ip4("192.0.2.10", local);
	ip4("192.0.2.255", brd);
	ip4("192.0.2.1", gw);
	ip4("198.51.100.0", net);
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, lo, local, 24, brd), 0);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, NULL, 0, gw, lo), 0);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, NULL, 0, gw, lo), 0);	/* replaced */
	assert_int_equal(rtnl_route_add(&nl, AF_INET, net, 24, NULL, lo), 0);

	assert_int_equal(rtnl_routes(&nl, AF_INET, collect_main_route, &rs), 0);
	assert_non_null(r = find_route(&rs, "0.0.0.0", 0));
	assert_true(r->has_gw);
	assert_memory_equal(r->gw, gw, 4);
	assert_int_equal(r->oif, lo);
	assert_int_equal(r->protocol, RTPROT_BOOT);
	assert_int_equal(r->scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(r->type, RTN_UNICAST);
	assert_non_null(r = find_route(&rs, "198.51.100.0", 24));
	assert_false(r->has_gw);
	assert_int_equal(r->oif, lo);
	assert_int_equal(r->protocol, RTPROT_BOOT);
	assert_int_equal(r->scope, RT_SCOPE_LINK);
	/* -d: plain `ip route` leaves out "proto boot", its default. */
	check_output("ip -d route show table main",
		     "unicast default via 192.0.2.1 dev lo proto boot scope global", true);
	check_output("ip -d route show table main",
		     "unicast 198.51.100.0/24 dev lo proto boot scope link", true);

	assert_int_equal(rtnl_addr_flush(&nl, AF_INET, lo), 0);
	rtnl_close(&nl);
}

static void
kernel_errors_returned(void **state)
{
	struct rtnl nl;
	unsigned char gw[4], local[4], net[4];
	int lo;

	(void)state;
	lo = enter_lo_up(&nl);
	ip4("203.0.113.1", gw);
	ip4("192.0.2.10", local);
	ip4("198.51.100.0", net);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, NULL, 0, gw, 0), -ENETUNREACH);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, NULL, 0, gw, lo), -ENETUNREACH);
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, 9999, local, 24, NULL), -ENODEV);
	assert_int_equal(rtnl_link_set(&nl, 9999, IFF_UP, IFF_UP, 0), -ENODEV);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, net, 24, NULL, 9999), -ENODEV);
	check_output("ip route show table main", "203.0.113.1", false);
	/* The socket still works after errors. */
	assert_int_equal(lo_index(&nl), lo);
	rtnl_close(&nl);
}

static void
monitor_empty(void **state)
{
	struct rtnl nl, mon;
	struct rtnl_link l;

	(void)state;
	enter(&nl);
	assert_int_equal(rtnl_open(&mon, RTMGRP_LINK), 0);
	assert_int_equal(rtnl_monitor_read(&mon, &l), 0);
	rtnl_close(&mon);
	assert_int_equal(mon.fd, -1);
	rtnl_close(&nl);
}

/* Waits for a change of link index on the monitor after which its
 * flags masked are want; false on timeout. */
static bool
wait_flags(struct rtnl *mon, int index, unsigned mask, unsigned want)
{
	struct pollfd p = { .fd = mon->fd, .events = POLLIN };
	struct rtnl_link l;
	int rc;

	for (;;) {
		while ((rc = rtnl_monitor_read(mon, &l)) == 1)
			if (l.index == index && (l.flags & mask) == want)
				return true;
		assert_int_equal(rc, 0);
		if (poll(&p, 1, CARRIER_WAIT_MS) <= 0)
			return false;
	}
}

static bool
make_veth(void)
{
	return system("ip link add es-v0 type veth peer name es-v1 2>/dev/null") == 0;
}

static bool
veth_works(void)
{
	return make_veth() && system("ip link del es-v0") == 0;
}

static void
veth_link_and_carrier(void **state)
{
	struct rtnl nl, mon;
	struct rtnl_link v0, v1, l;
	char want[64];

	(void)state;
	enter(&nl);
	assert_true(make_veth());
	assert_int_equal(rtnl_open(&mon, RTMGRP_LINK), 0);
	assert_int_equal(rtnl_link_get(&nl, 0, "es-v0", &v0), 0);
	assert_int_equal(rtnl_link_get(&nl, 0, "es-v1", &v1), 0);
	assert_int_equal(v0.type, ARPHRD_ETHER);
	assert_int_equal(v0.addr_len, 6);
	assert_int_equal(v0.mtu, 1500);
	assert_true(v0.flags & IFF_BROADCAST);
	assert_false(v0.flags & (IFF_UP | IFF_LOOPBACK | IFF_POINTOPOINT));
	snprintf(want, sizeof(want), "link/ether %02x:%02x:%02x:%02x:%02x:%02x ",
		 v0.addr[0], v0.addr[1], v0.addr[2], v0.addr[3], v0.addr[4],
		 v0.addr[5]);
	check_output("ip -o link show es-v0", want, true);

	/* Up without its peer: no carrier yet. */
	assert_int_equal(rtnl_link_set(&nl, v0.index, IFF_UP, IFF_UP, 0), 0);
	assert_int_equal(rtnl_link_get(&nl, v0.index, NULL, &l), 0);
	assert_true(l.flags & IFF_UP);
	assert_false(l.flags & RTNL_CARRIER);
	check_output("ip -o link show es-v0", "state LOWERLAYERDOWN", true);

	assert_int_equal(rtnl_link_set(&nl, v1.index, IFF_UP, IFF_UP, 0), 0);
	assert_true(wait_flags(&mon, v0.index, RTNL_CARRIER, RTNL_CARRIER));
	assert_int_equal(rtnl_link_get(&nl, v0.index, NULL, &l), 0);
	assert_true(l.flags & RTNL_CARRIER);
	assert_true(l.flags & IFF_RUNNING);
	check_output("ip -o link show es-v0", ",UP,LOWER_UP>", true);

	assert_int_equal(rtnl_link_set(&nl, v1.index, 0, IFF_UP, 0), 0);
	assert_true(wait_flags(&mon, v0.index, RTNL_CARRIER, 0));

	/* A link removed shows with no flags (a link down still has
	 * IFF_BROADCAST). */
	assert_int_equal(system("ip link del es-v0"), 0);
	assert_true(wait_flags(&mon, v1.index, ~0u, 0));
	rtnl_close(&mon);
	rtnl_close(&nl);
}

static void
veth_address_and_gateway(void **state)
{
	struct rtnl nl;
	struct rtnl_link v0;
	struct routes rs = { 0 };
	const struct rtnl_route *r;
	unsigned char local[4], brd[4], gw[4];

	(void)state;
	enter(&nl);
	assert_true(make_veth());
	assert_int_equal(rtnl_link_get(&nl, 0, "es-v0", &v0), 0);
	assert_int_equal(rtnl_link_set(&nl, v0.index, IFF_UP, IFF_UP, 1400), 0);
	ip4("192.0.2.2", local);
	ip4("192.0.2.255", brd);
	ip4("192.0.2.254", gw);
	assert_int_equal(rtnl_addr_add(&nl, AF_INET, v0.index, local, 24, brd), 0);
	assert_int_equal(rtnl_route_add(&nl, AF_INET, NULL, 0, gw, v0.index), 0);
	assert_int_equal(rtnl_routes(&nl, AF_INET, collect_main_route, &rs), 0);
	assert_non_null(r = find_route(&rs, "0.0.0.0", 0));
	assert_int_equal(r->oif, v0.index);
	assert_memory_equal(r->gw, gw, 4);
	/* The kernel's own route for the address's prefix (on lo it
	 * goes to the local table instead). */
	assert_non_null(r = find_route(&rs, "192.0.2.0", 24));
	assert_int_equal(r->protocol, RTPROT_KERNEL);
	assert_int_equal(r->scope, RT_SCOPE_LINK);
	assert_int_equal(r->oif, v0.index);
	check_output("ip -o -4 addr show dev es-v0",
		     "inet 192.0.2.2/24 brd 192.0.2.255 scope global es-v0", true);
	check_output("ip -d route show table main",
		     "unicast default via 192.0.2.254 dev es-v0 proto boot scope global linkdown", true);
	check_output("ip -o link show es-v0", "mtu 1400 ", true);
	assert_int_equal(system("ip link del es-v0"), 0);
	rtnl_close(&nl);
}

/* A stand-in for the kernel: the rtnl writes its requests to one end
 * of a datagram socketpair and reads what the test queued there. */
struct fake {
	struct rtnl nl;
	int peer;
	size_t len;
	unsigned char buf[512];
};

static void
fake_open(struct fake *f)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
	f->nl.fd = sv[0];
	f->nl.seq = 41;		/* the next request is 42 */
	f->peer = sv[1];
	f->len = 0;
}

static void
fake_close(struct fake *f)
{
	rtnl_close(&f->nl);
	assert_int_equal(f->nl.fd, -1);
	close(f->peer);
}

/* Appends a message with payload to the datagram being built; len is
 * what the header claims, beyond the payload when extra is set. */
static void
fake_msg(struct fake *f, unsigned type, uint32_t seq, const void *payload,
	 size_t n, size_t extra)
{
	struct nlmsghdr h = { .nlmsg_len = (uint32_t)(NLMSG_LENGTH(n) + extra),
			      .nlmsg_type = (uint16_t)type, .nlmsg_seq = seq };

	assert_true(f->len + NLMSG_SPACE(n) <= sizeof(f->buf));
	memcpy(f->buf + f->len, &h, sizeof(h));
	memcpy(f->buf + f->len + NLMSG_HDRLEN, payload, n);
	f->len += NLMSG_SPACE(n);
}

static void
fake_status(struct fake *f, unsigned type, uint32_t seq, int err)
{
	struct nlmsgerr e = { .error = err };

	fake_msg(f, type, seq, &e, type == NLMSG_DONE ? sizeof(int) : sizeof(e), 0);
}

/* An RTM_NEWLINK for index 7 with the given attributes' bytes. */
static void
fake_link(struct fake *f, uint32_t seq, const void *attrs, size_t n)
{
	unsigned char p[256];
	struct ifinfomsg ifi = { .ifi_index = 7, .ifi_type = ARPHRD_ETHER };

	assert_true(sizeof(ifi) + n <= sizeof(p));
	memcpy(p, &ifi, sizeof(ifi));
	memcpy(p + sizeof(ifi), attrs, n);
	fake_msg(f, RTM_NEWLINK, seq, p, sizeof(ifi) + n, 0);
}

static void
fake_send(struct fake *f)
{
	assert_int_equal(send(f->peer, f->buf, f->len, 0), (ssize_t)f->len);
	f->len = 0;
}

static int
count_link(const struct rtnl_link *l, void *arg)
{
	(void)l;
	++*(int *)arg;
	return 0;
}

/* IFLA_IFNAME "eth0" and IFLA_MTU 1500, as the kernel would send. */
static const unsigned char good_attrs[] = {
	9, 0, IFLA_IFNAME, 0, 'e', 't', 'h', '0', 0, 0, 0, 0,
	8, 0, IFLA_MTU, 0, 0xdc, 0x05, 0, 0,
};

static void
replies_matched_by_sequence(void **state)
{
	struct fake f;
	struct rtnl_link l;
	int n = 0;

	(void)state;
	fake_open(&f);
	/* An ack of an earlier request, then this one's link and ack. */
	fake_status(&f, NLMSG_ERROR, 41, -EPERM);
	fake_send(&f);
	fake_link(&f, 42, good_attrs, sizeof(good_attrs));
	fake_status(&f, NLMSG_ERROR, 42, 0);
	fake_send(&f);
	assert_int_equal(rtnl_link_get(&f.nl, 7, NULL, &l), 0);
	assert_string_equal(l.name, "eth0");
	assert_int_equal(l.mtu, 1500);
	assert_int_equal(l.addr_len, 0);

	/* A dump in two datagrams, ended by NLMSG_DONE. */
	fake_link(&f, 43, good_attrs, sizeof(good_attrs));
	fake_send(&f);
	fake_link(&f, 43, good_attrs, sizeof(good_attrs));
	fake_status(&f, NLMSG_DONE, 43, 0);
	fake_send(&f);
	assert_int_equal(rtnl_links(&f.nl, count_link, &n), 0);
	assert_int_equal(n, 2);

	/* Errors as the kernel reports them, and a dump that failed. */
	fake_status(&f, NLMSG_ERROR, 44, -EPERM);
	fake_send(&f);
	assert_int_equal(rtnl_link_set(&f.nl, 7, IFF_UP, IFF_UP, 0), -EPERM);
	fake_status(&f, NLMSG_DONE, 45, -EMSGSIZE);
	fake_send(&f);
	assert_int_equal(rtnl_links(&f.nl, count_link, &n), -EMSGSIZE);
	fake_close(&f);
}

static int
stop_at_first(const struct rtnl_link *l, void *arg)
{
	(void)l;
	++*(int *)arg;
	return 3;
}

/* A callback that stops the walk: its value comes back, and the rest
 * of the dump is still read so the next request starts clean. */
static void
dump_read_to_its_end(void **state)
{
	struct fake f;
	int n = 0;

	(void)state;
	fake_open(&f);
	fake_link(&f, 42, good_attrs, sizeof(good_attrs));
	fake_link(&f, 42, good_attrs, sizeof(good_attrs));
	fake_send(&f);
	fake_link(&f, 42, good_attrs, sizeof(good_attrs));
	fake_status(&f, NLMSG_DONE, 42, 0);
	fake_send(&f);
	fake_status(&f, NLMSG_ERROR, 43, 0);
	fake_send(&f);
	assert_int_equal(rtnl_links(&f.nl, stop_at_first, &n), 3);
	assert_int_equal(n, 1);
	assert_int_equal(rtnl_link_set(&f.nl, 7, IFF_UP, IFF_UP, 0), 0);
	fake_close(&f);
}

/* One malformed reply for a link request: what rtnl returns. */
static int
malformed(void (*make)(struct fake *f))
{
	struct fake f;
	struct rtnl_link l;
	int rc;

	fake_open(&f);
	make(&f);
	fake_send(&f);
	rc = rtnl_link_get(&f.nl, 7, NULL, &l);
	fake_close(&f);
	return rc;
}

static void
empty_datagram(struct fake *f)
{
	(void)f;
}

static void
length_past_datagram(struct fake *f)
{
	struct nlmsgerr e = { 0 };

	fake_msg(f, NLMSG_ERROR, 42, &e, sizeof(e), 4);
}

static void
length_below_header(struct fake *f)
{
	struct nlmsghdr h = { .nlmsg_len = 8, .nlmsg_type = NLMSG_ERROR,
			      .nlmsg_seq = 42 };

	memcpy(f->buf, &h, sizeof(h));
	f->len = sizeof(h);
}

static void
error_too_short(struct fake *f)
{
	fake_msg(f, NLMSG_ERROR, 42, "", 0, 0);
}

static void
error_positive(struct fake *f)
{
	fake_status(f, NLMSG_ERROR, 42, 5);
}

static void
no_link_before_ack(struct fake *f)
{
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
name_unterminated(struct fake *f)
{
	static const unsigned char a[] = { 8, 0, IFLA_IFNAME, 0, 'e', 't', 'h', '0' };

	fake_link(f, 42, a, sizeof(a));
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
name_missing(struct fake *f)
{
	fake_link(f, 42, good_attrs + 12, sizeof(good_attrs) - 12);
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
name_too_long(struct fake *f)
{
	unsigned char a[4 + 20] = { 24, 0, IFLA_IFNAME, 0 };

	memset(a + 4, 'x', 19);
	fake_link(f, 42, a, sizeof(a));
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
attribute_past_message(struct fake *f)
{
	unsigned char a[sizeof(good_attrs)];

	memcpy(a, good_attrs, sizeof(a));
	a[12] = 16;	/* IFLA_MTU claims 16 bytes of 8 */
	fake_link(f, 42, a, sizeof(a));
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
mtu_wrong_size(struct fake *f)
{
	static const unsigned char a[] = {
		9, 0, IFLA_IFNAME, 0, 'e', 't', 'h', '0', 0, 0, 0, 0,
		6, 0, IFLA_MTU, 0, 0xdc, 0x05, 0, 0,
	};

	fake_link(f, 42, a, sizeof(a));
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
hwaddr_too_long(struct fake *f)
{
	unsigned char a[12 + 4 + 36] = {
		9, 0, IFLA_IFNAME, 0, 'e', 't', 'h', '0', 0, 0, 0, 0,
		40, 0, IFLA_ADDRESS, 0,
	};

	fake_link(f, 42, a, sizeof(a));
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
header_cut(struct fake *f)
{
	struct ifinfomsg ifi = { .ifi_index = 7 };

	fake_msg(f, RTM_NEWLINK, 42, &ifi, sizeof(ifi) - 4, 0);
	fake_status(f, NLMSG_ERROR, 42, 0);
}

static void
malformed_replies_refused(void **state)
{
	(void)state;
	assert_int_equal(malformed(empty_datagram), -EBADMSG);
	assert_int_equal(malformed(length_past_datagram), -EBADMSG);
	assert_int_equal(malformed(length_below_header), -EBADMSG);
	assert_int_equal(malformed(error_too_short), -EBADMSG);
	assert_int_equal(malformed(error_positive), -EBADMSG);
	assert_int_equal(malformed(no_link_before_ack), -EBADMSG);
	assert_int_equal(malformed(name_unterminated), -EBADMSG);
	assert_int_equal(malformed(name_missing), -EBADMSG);
	assert_int_equal(malformed(name_too_long), -EBADMSG);
	assert_int_equal(malformed(attribute_past_message), -EBADMSG);
	assert_int_equal(malformed(mtu_wrong_size), -EBADMSG);
	assert_int_equal(malformed(hwaddr_too_long), -EBADMSG);
	assert_int_equal(malformed(header_cut), -EBADMSG);
}

/* The monitor passes over what is not a whole link message. */
static void
monitor_skips_junk(void **state)
{
	struct fake f;
	struct rtnl_link l;
	struct rtnl mon;

	(void)state;
	fake_open(&f);
	mon = f.nl;
	assert_int_equal(fcntl(mon.fd, F_SETFL, O_NONBLOCK), 0);
	fake_send(&f);					/* empty */
	length_past_datagram(&f);
	fake_send(&f);
	name_unterminated(&f);				/* then an ack */
	fake_send(&f);
	fake_status(&f, RTM_NEWADDR, 0, 0);		/* another kind */
	fake_send(&f);
	fake_link(&f, 0, good_attrs, sizeof(good_attrs));
	fake_send(&f);
	assert_int_equal(rtnl_monitor_read(&mon, &l), 1);
	assert_int_equal(l.index, 7);
	assert_string_equal(l.name, "eth0");
	assert_int_equal(rtnl_monitor_read(&mon, &l), 0);
	fake_close(&f);
}

/* cmocka 1.1 reports a skip() as "not ok # SKIP", which prove counts
 * as a failure: tests that cannot run here are left out of the plan
 * instead, with a note. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* Anywhere: a socketpair stands in for the kernel. */
		cmocka_unit_test(replies_matched_by_sequence),
		cmocka_unit_test(dump_read_to_its_end),
		cmocka_unit_test(malformed_replies_refused),
		cmocka_unit_test(monitor_skips_junk),
		/* In a network namespace of our own. */
		cmocka_unit_test(children_share_namespace),
		cmocka_unit_test(lo_listed),
		cmocka_unit_test(link_by_name_and_index),
		cmocka_unit_test(link_up_down_and_mtu),
		cmocka_unit_test(address_add_replace_flush),
		cmocka_unit_test(address_prefix_checked),
		cmocka_unit_test(address_ipv6),
		cmocka_unit_test(routes_default_and_on_link),
		cmocka_unit_test(kernel_errors_returned),
		cmocka_unit_test(monitor_empty),
		/* ... whose kernel has veth. */
		cmocka_unit_test(veth_link_and_carrier),
		cmocka_unit_test(veth_address_and_gateway),
	};
	size_t n = sizeof(tests) / sizeof(tests[0]);

	if (unshare(CLONE_NEWNET) != 0) {
		printf("# skipping %zu tests: unshare(CLONE_NEWNET): %s\n",
		       n - 4, strerror(errno));
		n = 4;
	} else if (!veth_works()) {
		printf("# skipping 2 tests: no veth links in this kernel\n");
		n -= 2;
	}
	fflush(stdout);
	return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}
