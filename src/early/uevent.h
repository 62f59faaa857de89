/*
 * uevent.h - the kernel's device events, as it multicasts them on a
 * NETLINK_KOBJECT_UEVENT socket (group 1): one datagram an event,
 * "ACTION@DEVPATH\0" then "KEY=VALUE\0" fields (lib/kobject_uevent.c).
 *
 * kinit listens before it loads anything, so a device that a module
 * brings (virtio0 once virtio_pci is in) is seen even though it was not
 * there when sysfs was walked (coldplug.h).
 *
 * Only the kernel's own events count: a datagram from a process (a
 * sender port id other than 0, which only the kernel has) or in udev's
 * "libudev" format is dropped.
 */
#ifndef ES_EARLY_UEVENT_H
#define ES_EARLY_UEVENT_H

#include <stddef.h>

/* The kernel builds an event in 2048 bytes (UEVENT_BUFFER_SIZE). */
#define UEVENT_MSG_MAX 8192u
/* Asked for with SO_RCVBUFFORCE, so that a burst of events (a module
 * binding many devices) is not lost while kinit is busy. */
#define UEVENT_RCVBUF (8u << 20)

/* One event. The strings point into buf and live until the next parse;
 * NULL when the event has no such field. */
struct uevent {
	const char *action;	/* "add", "remove", "change", "bind", ... */
	const char *devpath;	/* "/devices/pci0000:00/..." (under /sys) */
	const char *subsystem;	/* "block", "virtio", "net", ... */
	const char *modalias;	/* what modload_request takes */
	const char *devname;	/* node under /dev: "vda1", "dm-0" */
	const char *devtype;	/* "disk", "partition", ... */
	unsigned major, minor;	/* 0 when absent */
	int partn;		/* partition number (from 1); 0 when absent */
	const char *partname;	/* the partition's name in its table */
	char buf[UEVENT_MSG_MAX];
};

/* The socket: close-on-exec, non-blocking, bound to group 1, with a
 * large receive buffer when the kernel grants one. Returns the fd or
 * -errno. */
int uevent_open(void);

/* Reads the next kernel event into ev, dropping what is not one.
 * Returns 1 (ev filled), 0 (nothing waiting), or -errno; -ENOBUFS means
 * events were lost (the buffer overflowed): walk sysfs again. */
int uevent_read(int fd, struct uevent *ev);

/* Parses the len bytes of ev->buf (a whole datagram). Returns 1 for a
 * kernel event, 0 for a "libudev" one (ignored), -EINVAL for anything
 * malformed or truncated (the last field must end in a NUL, ACTION and
 * DEVPATH must be there and agree with the header, numbers are plain
 * decimal within the kernel's limits), -EMSGSIZE when len does not
 * leave room for a terminating NUL in buf. Touches nothing else. */
int uevent_parse(struct uevent *ev, size_t len);

#endif
