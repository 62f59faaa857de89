/*
 * uevent.c - the NETLINK_KOBJECT_UEVENT socket and its messages; see
 * uevent.h. Format: the kernel's lib/kobject_uevent.c (a header
 * "ACTION@DEVPATH", then the environment, every string NUL-terminated);
 * udev's re-broadcasts start with "libudev\0" and are not ours to read.
 * Limits: only the fields kinit uses are picked out; SEQNUM is not
 * checked for gaps (an overflow shows as ENOBUFS instead).
 */
#include "early/uevent.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/netlink.h>

/* The kernel's dev_t: 12 bits of major, 20 of minor (MINORBITS). */
#define UEVENT_MAJOR_MAX 4095u
#define UEVENT_MINOR_MAX 1048575u
#define UEVENT_PARTN_MAX 1048575u

static const char udev_magic[] = "libudev";

struct text_field {
	const char *key;	/* with its '=' */
	size_t off;		/* of the const char * in struct uevent */
};

static const struct text_field text_fields[] = {
	{ "ACTION=", offsetof(struct uevent, action) },
	{ "DEVPATH=", offsetof(struct uevent, devpath) },
	{ "SUBSYSTEM=", offsetof(struct uevent, subsystem) },
	{ "MODALIAS=", offsetof(struct uevent, modalias) },
	{ "DEVNAME=", offsetof(struct uevent, devname) },
	{ "DEVTYPE=", offsetof(struct uevent, devtype) },
	{ "PARTNAME=", offsetof(struct uevent, partname) },
};

/* Plain decimal, no sign or blanks, at most max. */
static int
parse_decimal(const char *s, unsigned max, unsigned *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

static bool
has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return false;
	*rest = s + n;
	return true;
}

/* One KEY=VALUE; unknown keys are fine, a repeated one keeps the first. */
static int
parse_field(struct uevent *ev, const char *f)
{
	unsigned partn;
	const char *v;

	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		const char **slot = (const char **)((char *)ev + text_fields[i].off);

		if (has_prefix(f, text_fields[i].key, &v)) {
			if (!*slot)
				*slot = v;
			return 0;
		}
	}
	if (has_prefix(f, "MAJOR=", &v))
		return parse_decimal(v, UEVENT_MAJOR_MAX, &ev->major);
	if (has_prefix(f, "MINOR=", &v))
		return parse_decimal(v, UEVENT_MINOR_MAX, &ev->minor);
	if (has_prefix(f, "PARTN=", &v)) {
		if (parse_decimal(v, UEVENT_PARTN_MAX, &partn) < 0 || partn == 0)
			return -EINVAL;
		ev->partn = (int)partn;
	}
	return 0;
}

static void
clear_fields(struct uevent *ev)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
		*(const char **)((char *)ev + text_fields[i].off) = NULL;
	ev->major = ev->minor = 0;
	ev->partn = 0;
}

/* The header "ACTION@DEVPATH" names what the fields say. */
static bool
header_agrees(const struct uevent *ev, const char *header)
{
	const char *at = strchr(header, '@');
	size_t alen = strlen(ev->action);

	return at && (size_t)(at - header) == alen &&
		strncmp(header, ev->action, alen) == 0 &&
		strcmp(at + 1, ev->devpath) == 0;
}

int
uevent_parse(struct uevent *ev, size_t len)
{
	const char *p = ev->buf, *end = ev->buf + len;
	int rc;

	clear_fields(ev);
	if (len >= sizeof(ev->buf))
		return -EMSGSIZE;
	ev->buf[len] = '\0';
	if (len >= sizeof(udev_magic) &&
	    memcmp(ev->buf, udev_magic, sizeof(udev_magic)) == 0)
		return 0;
	/* A datagram cut short would hand out a partial last value. */
	if (len == 0 || ev->buf[len - 1] != '\0')
		return -EINVAL;
	for (p += strlen(p) + 1; p < end; p += strlen(p) + 1)
		if ((rc = parse_field(ev, p)) < 0)
			break;
	if (p < end || !ev->action || !ev->devpath ||
	    !header_agrees(ev, ev->buf)) {
		clear_fields(ev);
		return -EINVAL;
	}
	return 1;
}

int
uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int size = (int)UEVENT_RCVBUF;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);
	int err;

	if (fd < 0)
		return -errno;
	/* FORCE passes net.core.rmem_max but needs CAP_NET_ADMIN (PID 1
	 * has it); without it the capped size is still the best we get,
	 * and a lost event is reported as ENOBUFS later. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

/* One datagram: its length, -EAGAIN when none is waiting, 0 for one
 * to drop, or -errno. */
static ssize_t
receive(int fd, struct uevent *ev)
{
	struct sockaddr_nl sa;
	struct iovec iov = { ev->buf, sizeof(ev->buf) - 1 };
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa),
			      .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &msg, 0);

	if (n < 0)
		return -errno;	/* EWOULDBLOCK is EAGAIN on Linux */
	if (msg.msg_flags & MSG_TRUNC || msg.msg_namelen != sizeof(sa) ||
	    sa.nl_family != AF_NETLINK || sa.nl_pid != 0 || n == 0)
		return 0;
	return n;
}

int
uevent_read(int fd, struct uevent *ev)
{
	for (;;) {
		ssize_t n = receive(fd, ev);

		if (n == -EINTR || n == 0)
			continue;
		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return (int)n;
		if (uevent_parse(ev, (size_t)n) == 1)
			return 1;
	}
}
