/*
 * rtnl.h - a small NETLINK_ROUTE client: what ipconfig needs to bring
 * an interface up and give it an address and routes (rtnetlink(7),
 * netlink(7); the messages of linux/rtnetlink.h, if_link.h, if_addr.h).
 *
 * Two kinds of socket share struct rtnl:
 * - a request socket (rtnl_open with groups 0): blocking, connected to
 *   the kernel so that no other process can answer in its place. Every
 *   request goes out with NLM_F_ACK and a new sequence number; replies
 *   with another number (left from an earlier request) are skipped, and
 *   the kernel's ack or error ends the request: a call returns 0 or the
 *   kernel's -errno (-ENODEV: no such ifindex; -ENETUNREACH: a gateway
 *   no route reaches; -EEXIST ...). -EBADMSG: a reply that does not
 *   parse; after it or -EMSGSIZE (a reply too large) the socket may
 *   still hold the rest of the reply: reopen it. Dumps are always read
 *   to their end, even after a callback fails (the first failure is
 *   returned), so that the next request finds the socket clean.
 * - a monitor socket (rtnl_open with RTMGRP_LINK, ...): non-blocking,
 *   for poll(); rtnl_monitor_read takes one link change at a time.
 *
 * Addresses are raw network-order bytes: 4 for AF_INET, 16 for
 * AF_INET6, chosen by the family argument.
 *
 * Nothing here prints, allocates, or keeps state outside struct rtnl.
 */
#ifndef ES_EARLY_RTNL_H
#define ES_EARLY_RTNL_H

#include <net/if.h>
#include <stdint.h>

/* A receive: the kernel sizes a dump's datagrams to what the reader
 * asked for before, within 32 KiB; a link with its statistics fits. */
#define RTNL_RECV_MAX 8192u
/* A hardware address (the kernel's MAX_ADDR_LEN). */
#define RTNL_HWADDR_MAX 32u
/* The carrier flag, IFF_LOWER_UP of linux/if.h, which glibc's net/if.h
 * lacks (and linux/if.h cannot be mixed with net/if.h there). */
#define RTNL_CARRIER 0x10000u

struct rtnl {
	int fd;		/* -1 when closed */
	uint32_t seq;	/* of the last request */
};

/* One network interface, as RTM_NEWLINK describes it. */
struct rtnl_link {
	int index;
	unsigned flags;		/* IFF_UP, IFF_LOOPBACK, IFF_BROADCAST,
				 * IFF_POINTOPOINT, IFF_RUNNING,
				 * RTNL_CARRIER; 0 for a link removed */
	unsigned type;		/* ARPHRD_ETHER, ARPHRD_LOOPBACK, ... */
	unsigned mtu;		/* 0 when not reported */
	unsigned addr_len;	/* of addr; 6 for Ethernet, 0 for none */
	unsigned char addr[RTNL_HWADDR_MAX];
	char name[IF_NAMESIZE];	/* NUL-terminated */
};

/* One interface address (RTM_NEWADDR). */
struct rtnl_addr {
	int index;
	unsigned char family, prefix, scope;
	unsigned char has_brd;		/* brd is set */
	unsigned char flags;		/* IFA_F_TENTATIVE, IFA_F_DADFAILED ... */
	unsigned char local[16];	/* IFA_LOCAL, else IFA_ADDRESS */
	unsigned char brd[16];		/* IFA_BROADCAST */
};

/* One route (RTM_NEWROUTE), of any table. */
struct rtnl_route {
	int oif;			/* 0 when none */
	unsigned table;			/* RT_TABLE_MAIN, RT_TABLE_LOCAL, ... */
	unsigned char family, dst_len, protocol, scope, type;
	unsigned char has_gw;		/* gw is set */
	unsigned char dst[16];		/* zero for a default route */
	unsigned char gw[16];		/* RTA_GATEWAY */
};

/* Callbacks for the dumps get one object at a time (valid during the
 * call only); a non-zero return ends the walk and is returned. */
typedef int rtnl_link_fn(const struct rtnl_link *link, void *arg);
typedef int rtnl_addr_fn(const struct rtnl_addr *addr, void *arg);
typedef int rtnl_route_fn(const struct rtnl_route *route, void *arg);

/* A request socket (groups 0) or a monitor of the RTMGRP_* groups.
 * Close-on-exec. Returns 0 or -errno; nl->fd is -1 on failure. */
int rtnl_open(struct rtnl *nl, unsigned groups);
void rtnl_close(struct rtnl *nl);

/* Every link, to fn. */
int rtnl_links(struct rtnl *nl, rtnl_link_fn *fn, void *arg);
/* The link with this index, or when name is not NULL, with this name.
 * -ENODEV when there is none. */
int rtnl_link_get(struct rtnl *nl, int index, const char *name,
		  struct rtnl_link *link);
/* Sets the flags in change to their values in flags (IFF_UP, IFF_UP:
 * up; 0, IFF_UP: down), and the MTU unless mtu is 0. */
int rtnl_link_set(struct rtnl *nl, int index, unsigned flags,
		  unsigned change, unsigned mtu);

/* Every address of a family (AF_UNSPEC: all), to fn. */
int rtnl_addrs(struct rtnl *nl, int family, rtnl_addr_fn *fn, void *arg);
/* Adds local/prefix on the link, with a broadcast address unless brd is
 * NULL; an address already there is updated, not refused. The kernel
 * adds the prefix's route itself. An IPv6 address is usable at once:
 * the server that gave it vouched for it (no duplicate detection, which
 * would hold it tentative for a second or more). */
int rtnl_addr_add(struct rtnl *nl, int family, int index, const void *local,
		  unsigned prefix, const void *brd);
/* Removes every address of the family from the link. */
int rtnl_addr_flush(struct rtnl *nl, int family, int index);

/* Every route of a family (AF_UNSPEC: all), to fn. */
int rtnl_routes(struct rtnl *nl, int family, rtnl_route_fn *fn, void *arg);
/* Adds (or replaces) dst/dst_len in the main table, protocol boot:
 * through gateway gw, or on-link (scope link) when gw is NULL; out of
 * interface oif unless 0. dst may be NULL when dst_len is 0 (default
 * route). */
int rtnl_route_add(struct rtnl *nl, int family, const void *dst,
		   unsigned dst_len, const void *gw, int oif);

/* The next link change on a monitor socket: 1 (link filled), 0 when
 * nothing is waiting, or -errno; -ENOBUFS means changes were lost:
 * read the link again with rtnl_link_get. */
int rtnl_monitor_read(struct rtnl *mon, struct rtnl_link *link);

#endif
