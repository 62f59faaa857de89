/*
 * rtnl.c - NETLINK_ROUTE requests and link events; see rtnl.h. The
 * protocol: netlink(7) (header, NLM_F_ACK, NLMSG_ERROR carrying -errno,
 * dumps ending in NLMSG_DONE) and rtnetlink(7) (RTM_GETLINK/NEWLINK,
 * RTM_NEWADDR/DELADDR/GETADDR, RTM_NEWROUTE/GETROUTE with their
 * attributes).
 * Limits: only the attributes rtnl.h names are read; a monitor datagram
 * is taken to hold one message (the kernel multicasts one a datagram);
 * after -EBADMSG or -EMSGSIZE a request socket may still hold the rest
 * of a reply, so the caller should reopen it.
 */
#include "early/rtnl.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* A request: the largest is a route (a header, an rtmsg and three
 * attributes of at most 16 bytes). */
#define RTNL_REQ_MAX 128u

union rtnl_buf {
	struct nlmsghdr h;
	char b[RTNL_RECV_MAX];
};

union rtnl_req {
	struct nlmsghdr h;
	char b[RTNL_REQ_MAX];
};

/* A request being built; the first error sticks and is what talk()
 * returns, so the builders need not check each append. */
struct msg {
	struct nlmsghdr *h;
	int err;
};

/* A handler of one reply message; non-zero ends the walk. */
typedef int reply_fn(const struct nlmsghdr *h, void *arg);

/* A dump's user callback and its argument. */
struct walk {
	union {
		rtnl_link_fn *link;
		rtnl_addr_fn *addr;
		rtnl_route_fn *route;
	} fn;
	void *arg;
};

static size_t
addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* Starts a request of this type with its fixed header (hdrlen bytes,
 * zeroed), which it returns. */
static void *
msg_init(struct msg *m, union rtnl_req *req, unsigned type, unsigned flags,
	 size_t hdrlen)
{
	memset(req, 0, sizeof(*req));
	m->h = &req->h;
	m->err = 0;
	req->h.nlmsg_len = NLMSG_LENGTH(hdrlen);
	req->h.nlmsg_type = (uint16_t)type;
	req->h.nlmsg_flags = (uint16_t)flags;
	return NLMSG_DATA(&req->h);
}

/* Appends an attribute, none when data is NULL (an optional one). */
static void
msg_attr(struct msg *m, unsigned type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(m->h->nlmsg_len);
	struct rtattr *a = (struct rtattr *)((char *)m->h + off);

	if (!data)
		return;
	if (RTA_SPACE(len) > RTNL_REQ_MAX - off) {
		m->err = -EMSGSIZE;
		return;
	}
	a->rta_type = (uint16_t)type;
	a->rta_len = (uint16_t)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	m->h->nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
}

/* One datagram: its length, or -errno; -EBADMSG for an empty one,
 * -EMSGSIZE for one cut short. */
static int
receive(int fd, union rtnl_buf *buf)
{
	ssize_t n;

	do
		n = recv(fd, buf, sizeof(*buf), MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EBADMSG;
	return (size_t)n > sizeof(*buf) ? -EMSGSIZE : (int)n;
}

/* The status an NLMSG_ERROR or NLMSG_DONE carries: 0 or -errno. */
static int
end_status(const struct nlmsghdr *h)
{
	int err;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return -EBADMSG;
	memcpy(&err, NLMSG_DATA(h), sizeof(err));
	return err > 0 || err < -4095 ? -EBADMSG : err;
}

/* Sends the request and reads its replies up to the ack, the error or
 * the end of the dump, handing the others to fn while it returns 0. */
static int
talk(struct rtnl *nl, struct msg *m, reply_fn *fn, void *arg)
{
	union rtnl_buf buf;
	const struct nlmsghdr *h;
	int rc = 0, len;

	if (m->err)
		return m->err;
	m->h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	m->h->nlmsg_seq = ++nl->seq;
	if (send(nl->fd, m->h, m->h->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		if ((len = receive(nl->fd, &buf)) < 0)
			return len;
		for (h = &buf.h; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != nl->seq)
				continue;	/* left from an earlier request */
			if (h->nlmsg_type == NLMSG_ERROR ||
			    h->nlmsg_type == NLMSG_DONE)
				return rc ? rc : end_status(h);
			if (!rc && fn)
				rc = fn(h, arg);
		}
		if (len > 0)
			return -EBADMSG;
	}
}

/* The attributes after a fixed header of hdrlen bytes, by type below
 * max (a repeated one: the last). */
static int
attrs(const struct nlmsghdr *h, size_t hdrlen, const struct rtattr **tb,
      unsigned max)
{
	const struct rtattr *a;
	int len;

	memset(tb, 0, max * sizeof(*tb));
	if (h->nlmsg_len < NLMSG_SPACE(hdrlen))
		return -EBADMSG;
	a = (const struct rtattr *)((const char *)h + NLMSG_SPACE(hdrlen));
	len = (int)(h->nlmsg_len - NLMSG_SPACE(hdrlen));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type < max)
			tb[a->rta_type] = a;
	return len > 0 ? -EBADMSG : 0;
}

/* An attribute's payload into dst of max bytes: its length (0 when a
 * is NULL), or -EBADMSG when it does not fit. */
static int
attr_copy(const struct rtattr *a, void *dst, size_t max)
{
	size_t n;

	if (!a)
		return 0;
	n = RTA_PAYLOAD(a);
	if (n > max)
		return -EBADMSG;
	memcpy(dst, RTA_DATA(a), n);
	return (int)n;
}

/* A 32-bit attribute into *v, which stays as it is when a is NULL. */
static int
attr_u32(const struct rtattr *a, unsigned *v)
{
	if (a && RTA_PAYLOAD(a) != sizeof(*v))
		return -EBADMSG;
	attr_copy(a, v, sizeof(*v));
	return 0;
}

static int
parse_link(const struct nlmsghdr *h, void *out)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *tb[IFLA_MTU + 1];
	struct rtnl_link *l = out;
	int rc = attrs(h, sizeof(*ifi), tb, IFLA_MTU + 1);

	memset(l, 0, sizeof(*l));
	if (rc < 0)
		return rc;
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->type = ifi->ifi_type;
	rc = attr_copy(tb[IFLA_IFNAME], l->name, sizeof(l->name));
	if (rc <= 0 || l->name[rc - 1] != '\0')
		return -EBADMSG;
	if ((rc = attr_copy(tb[IFLA_ADDRESS], l->addr, sizeof(l->addr))) < 0)
		return rc;
	l->addr_len = (unsigned)rc;
	return attr_u32(tb[IFLA_MTU], &l->mtu);
}

static int
parse_addr(const struct nlmsghdr *h, struct rtnl_addr *a)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const struct rtattr *tb[IFA_BROADCAST + 1];
	int rc = attrs(h, sizeof(*ifa), tb, IFA_BROADCAST + 1);

	memset(a, 0, sizeof(*a));
	if (rc < 0)
		return rc;
	a->index = (int)ifa->ifa_index;
	a->family = ifa->ifa_family;
	a->prefix = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	/* IFA_ADDRESS is the peer on a point-to-point link; IPv6 sends
	 * only it. */
	rc = attr_copy(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS],
		       a->local, sizeof(a->local));
	if (rc >= 0)
		rc = attr_copy(tb[IFA_BROADCAST], a->brd, sizeof(a->brd));
	a->has_brd = rc > 0;
	return rc < 0 ? rc : 0;
}

static int
parse_route(const struct nlmsghdr *h, struct rtnl_route *r)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	const struct rtattr *tb[RTA_TABLE + 1];
	int rc = attrs(h, sizeof(*rtm), tb, RTA_TABLE + 1);

	memset(r, 0, sizeof(*r));
	if (rc < 0)
		return rc;
	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	r->scope = rtm->rtm_scope;
	r->type = rtm->rtm_type;
	r->table = rtm->rtm_table;	/* RTA_TABLE holds ids above 255 */
	if ((rc = attr_copy(tb[RTA_DST], r->dst, sizeof(r->dst))) < 0 ||
	    (rc = attr_copy(tb[RTA_GATEWAY], r->gw, sizeof(r->gw))) < 0)
		return rc;
	r->has_gw = rc > 0;
	/* (unsigned *) may alias an int */
	if ((rc = attr_u32(tb[RTA_OIF], (unsigned *)&r->oif)) < 0)
		return rc;
	return attr_u32(tb[RTA_TABLE], &r->table);
}

static int
walk_link(const struct nlmsghdr *h, void *arg)
{
	const struct walk *w = arg;
	struct rtnl_link l;
	int rc = parse_link(h, &l);

	return rc ? rc : w->fn.link(&l, w->arg);
}

static int
walk_addr(const struct nlmsghdr *h, void *arg)
{
	const struct walk *w = arg;
	struct rtnl_addr a;
	int rc = parse_addr(h, &a);

	return rc ? rc : w->fn.addr(&a, w->arg);
}

static int
walk_route(const struct nlmsghdr *h, void *arg)
{
	const struct walk *w = arg;
	struct rtnl_route r;
	int rc = parse_route(h, &r);

	return rc ? rc : w->fn.route(&r, w->arg);
}

/* RTM_GETLINK of one link, by index or by name. */
static int
link_request(struct rtnl *nl, int index, const char *name,
	     struct rtnl_link *link)
{
	union rtnl_req req;
	struct msg m;
	struct ifinfomsg *ifi = msg_init(&m, &req, RTM_GETLINK, 0, sizeof(*ifi));

	ifi->ifi_index = index;
	if (name)
		msg_attr(&m, IFLA_IFNAME, name, strlen(name) + 1);
	return talk(nl, &m, parse_link, link);
}

/* RTM_GETLINK, RTM_GETADDR or RTM_GETROUTE of every object of a family:
 * their headers start with the family byte. Not inlined: three copies
 * of a constant-folded request cost more than the calls. */
static int __attribute__((noinline))
dump(struct rtnl *nl, unsigned type, int family, size_t hdrlen, reply_fn *fn,
     void *arg)
{
	union rtnl_req req;
	struct msg m;
	unsigned char *hdr = msg_init(&m, &req, type, NLM_F_DUMP, hdrlen);

	*hdr = (unsigned char)family;
	return talk(nl, &m, fn, arg);
}

int
rtnl_open(struct rtnl *nl, unsigned groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int type = SOCK_RAW | SOCK_CLOEXEC | (groups ? SOCK_NONBLOCK : 0);
	int err;

	nl->seq = 0;
	nl->fd = socket(AF_NETLINK, type, NETLINK_ROUTE);
	/* Connected to the kernel (port 0), the socket takes unicasts
	 * from no one else; multicasts still arrive. */
	if (nl->fd >= 0 && bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		sa.nl_groups = 0;
		if (connect(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
	}
	err = -errno;
	rtnl_close(nl);
	return err;
}

void
rtnl_close(struct rtnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int
rtnl_links(struct rtnl *nl, rtnl_link_fn *fn, void *arg)
{
	struct walk w = { .fn.link = fn, .arg = arg };

	return dump(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg),
		    walk_link, &w);
}

int
rtnl_link_get(struct rtnl *nl, int index, const char *name,
	      struct rtnl_link *link)
{
	int rc;

	link->index = 0;
	rc = link_request(nl, index, name, link);
	return rc ? rc : link->index ? 0 : -EBADMSG;
}

int
rtnl_link_set(struct rtnl *nl, int index, unsigned flags, unsigned change,
	      unsigned mtu)
{
	union rtnl_req req;
	struct msg m;
	struct ifinfomsg *ifi = msg_init(&m, &req, RTM_NEWLINK, 0, sizeof(*ifi));

	ifi->ifi_index = index;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	msg_attr(&m, IFLA_MTU, mtu ? &mtu : NULL, sizeof(mtu));
	return talk(nl, &m, NULL, NULL);
}

int
rtnl_addrs(struct rtnl *nl, int family, rtnl_addr_fn *fn, void *arg)
{
	struct walk w = { .fn.addr = fn, .arg = arg };

	return dump(nl, RTM_GETADDR, family, sizeof(struct ifaddrmsg),
		    walk_addr, &w);
}

/* RTM_NEWADDR or RTM_DELADDR. */
static int
addr_request(struct rtnl *nl, unsigned type, unsigned flags, int family,
	     int index, const void *local, unsigned prefix, const void *brd)
{
	union rtnl_req req;
	struct msg m;
	struct ifaddrmsg *ifa = msg_init(&m, &req, type, flags, sizeof(*ifa));
	size_t alen = addr_len(family);

	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = (unsigned)index;
	if (family == AF_INET6)
		ifa->ifa_flags = IFA_F_NODAD;
	/* Without IFA_ADDRESS (the peer of a point-to-point link) the
	 * kernel takes IFA_LOCAL for it, for both families. */
	msg_attr(&m, IFA_LOCAL, local, alen);
	msg_attr(&m, IFA_BROADCAST, brd, alen);
	return talk(nl, &m, NULL, NULL);
}

int
rtnl_addr_add(struct rtnl *nl, int family, int index, const void *local,
	      unsigned prefix, const void *brd)
{
	if (prefix > addr_len(family) * 8)
		return -EINVAL;
	return addr_request(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			    family, index, local, prefix, brd);
}

struct flush {
	int index;
	struct rtnl_addr addr;
};

static int
first_of_link(const struct rtnl_addr *a, void *arg)
{
	struct flush *f = arg;

	if (a->index != f->index)
		return 0;
	f->addr = *a;
	return 1;
}

/* One address at a time: a dump cannot be interleaved with requests on
 * one socket, and removing a primary address may take its secondaries
 * with it. */
int
rtnl_addr_flush(struct rtnl *nl, int family, int index)
{
	struct flush f = { .index = index };
	int rc;

	while ((rc = rtnl_addrs(nl, family, first_of_link, &f)) > 0)
		if ((rc = addr_request(nl, RTM_DELADDR, 0, f.addr.family, index,
				       f.addr.local, f.addr.prefix, NULL)) < 0)
			break;
	return rc;
}

int
rtnl_routes(struct rtnl *nl, int family, rtnl_route_fn *fn, void *arg)
{
	struct walk w = { .fn.route = fn, .arg = arg };

	return dump(nl, RTM_GETROUTE, family, sizeof(struct rtmsg),
		    walk_route, &w);
}

int
rtnl_route_add(struct rtnl *nl, int family, const void *dst,
	       unsigned dst_len, const void *gw, int oif)
{
	union rtnl_req req;
	struct msg m;
	struct rtmsg *rtm = msg_init(&m, &req, RTM_NEWROUTE,
				     NLM_F_CREATE | NLM_F_REPLACE, sizeof(*rtm));
	size_t alen = addr_len(family);

	if (dst_len > alen * 8)
		return -EINVAL;
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	msg_attr(&m, RTA_DST, dst_len ? dst : NULL, alen);
	msg_attr(&m, RTA_GATEWAY, gw, alen);
	msg_attr(&m, RTA_OIF, oif ? &oif : NULL, sizeof(oif));
	return talk(nl, &m, NULL, NULL);
}

int
rtnl_monitor_read(struct rtnl *mon, struct rtnl_link *link)
{
	union rtnl_buf buf;
	int len;

	for (;;) {
		len = receive(mon->fd, &buf);
		if (len == -EAGAIN)
			return 0;
		if (len < 0 && len != -EBADMSG && len != -EMSGSIZE)
			return len;	/* -ENOBUFS among them */
		/* Anything else that is not a whole link message (a
		 * datagram cut short, another group's) is passed over. */
		if (len < 0 || !NLMSG_OK(&buf.h, len) ||
		    (buf.h.nlmsg_type != RTM_NEWLINK &&
		     buf.h.nlmsg_type != RTM_DELLINK) ||
		    parse_link(&buf.h, link) < 0)
			continue;
		if (buf.h.nlmsg_type == RTM_DELLINK)
			link->flags = 0;
		return 1;
	}
}
