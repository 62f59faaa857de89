/*
 * resolve.c - host names to IPv4 addresses for nfsmount and kinit's NFS
 * root; see resolve.h. A stub resolver (RFC 1034 5.3.1, RFC 1035 4.2.1:
 * UDP to port 53) reading resolv.conf(5)'s "nameserver", "search" and
 * "domain" lines, as ipconfig writes them.
 *
 * The UDP socket is connected to the server asked, so the kernel drops
 * datagrams from any other address (and reports a server's ICMP port
 * unreachable, which moves on to the next at once); each question has
 * its own random id, so a late answer to the previous one is ignored.
 * A server that fails (SERVFAIL, REFUSED) or sends a malformed or
 * truncated answer is treated as silent: the next one is asked.
 *
 * Limits: the first 1 KiB of resolv.conf; IPv4 servers only, the first
 * RESOLV_NS_MAX; one search domain, the first of the last "search" or
 * "domain" line (the last one wins, as in resolv.conf(5)), and only
 * for a name without a dot (ndots:1); "options" are ignored; no
 * /etc/hosts, no TCP (dns.h refuses a truncated reply). The 1 s wait
 * is per datagram: up to RESOLV_STRAYS that answer nothing of ours
 * each start it again.
 */
#include "early/clock.h"
#include "early/number.h"
#include "early/resolve.h"
#include "early/sysfile.h"
#include "net/dns.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define RESOLV_CONF "/etc/resolv.conf"
#define RESOLV_NS_MAX 3		/* glibc's MAXNS */
#define RESOLV_ROUNDS 2
#define RESOLV_WAIT_MS 1000	/* per server and round */
#define RESOLV_STRAYS 8		/* datagrams ignored in one wait, at most */

struct resolver {
	uint32_t ns[RESOLV_NS_MAX];	/* network byte order */
	unsigned nns;
	const char *domain;		/* in conf; NULL: none */
	int fd;				/* UDP, connected to the server asked */
	char conf[1024];
};

/* The next blank-separated word of *p, NUL-terminated in place; NULL at
 * the end of the line. */
static char *
word(char **p)
{
	char *s = *p + strspn(*p, " \t"), *e;

	if (!*s)
		return NULL;
	e = s + strcspn(s, " \t");
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

static void
read_conf(struct resolver *r)
{
	char *next, *key, *value;

	/* on failure conf is "" */
	(void)sysfile_read(RESOLV_CONF, r->conf, sizeof(r->conf));
	for (char *line = r->conf; line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		key = word(&line);
		if (!(value = word(&line)))
			continue;
		if (strcmp(key, "nameserver") == 0)
			r->nns += r->nns < RESOLV_NS_MAX && number_ipv4(value, &r->ns[r->nns]);
		else if (strcmp(key, "search") == 0 || strcmp(key, "domain") == 0)
			r->domain = value;
	}
}

/* Asks the query q (len bytes) of every server in turn, RESOLV_ROUNDS
 * times, until one knows. Returns 0, -ENOENT (no such name, or no A
 * record for it) or -ETIMEDOUT (no server answered: silent, refused,
 * unreachable, failing, or a malformed or truncated answer). Within a
 * wait, datagrams for another id (a late answer to an earlier query)
 * are ignored. */
static int
ask(struct resolver *r, const uint8_t *q, int len, uint32_t *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(DNS_PORT) };
	uint16_t id = (uint16_t)(q[0] << 8 | q[1]);
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	uint8_t m[DNS_MSG_MAX];
	ssize_t n;
	int rc;

	for (unsigned t = 0; t < RESOLV_ROUNDS * r->nns; t++) {
		sa.sin_addr.s_addr = r->ns[t % r->nns];
		if (connect(r->fd, (const struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    send(r->fd, q, (size_t)len, 0) != len)
			continue;
		rc = -ESRCH;
		for (unsigned k = 0; rc == -ESRCH && k < RESOLV_STRAYS; k++) {
			if (poll(&p, 1, RESOLV_WAIT_MS) != 1 ||
			    (n = recv(r->fd, m, sizeof(m), 0)) < 0)
				break;
			rc = dns_parse(m, (size_t)n, id, addr);
		}
		if (rc == 0 || rc == -ENOENT)
			return rc;
	}
	return -ETIMEDOUT;
}

/* NAME.DOMAIN for a name without a dot (passed over when too long),
 * then NAME, whose query is q; the two have different ids. */
static int
lookup(struct resolver *r, const char *name, const uint8_t *q, int len, uint32_t *addr)
{
	char full[DNS_NAME_MAX + 2];
	uint8_t fq[DNS_QUERY_MAX];
	int flen, rc;

	if (r->domain && !strchr(name, '.') &&
	    snprintf(full, sizeof(full), "%s.%s", name, r->domain) < (int)sizeof(full) &&
	    (flen = dns_query(fq, (uint16_t)~(q[0] << 8 | q[1]), full)) > 0) {
		rc = ask(r, fq, flen, addr);
		if (rc != -ENOENT)
			return rc;
	}
	return ask(r, q, len, addr);
}

int
resolve_ipv4(const char *name, uint32_t *addr, struct es_error *err)
{
	struct resolver r = { .nns = 0 };
	uint8_t q[DNS_QUERY_MAX];
	const char *why = "not a host name";
	uint16_t id;
	int len, rc = -EINVAL;

	if (number_ipv4(name, addr))
		return 0;
	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(clock_ms() ^ getpid());
	if ((len = dns_query(q, id, name)) < 0)
		goto fail;
	read_conf(&r);
	why = "no nameserver in " RESOLV_CONF;
	rc = -EDESTADDRREQ;
	if (!r.nns)
		goto fail;
	r.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (r.fd < 0) {
		rc = -errno;
		why = strerror(errno);
	} else {
		rc = lookup(&r, name, q, len, addr);
		why = rc == -ENOENT ? "no such host" : "no answer from the name servers";
		close(r.fd);
	}
	if (rc == 0)
		return 0;
fail:
	return es_fail(err, -rc, "%s: %s", name, why);
}
