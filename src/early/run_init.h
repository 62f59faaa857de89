/*
 * run_init.h - leave the initramfs for the real root: free the
 * initramfs, move the real root onto "/", enter it and exec its init.
 * kinit's last step, and the run-init applet, with klibc's command line:
 * `run-init [-d caps] [-c consoledev] [-n] [-p] /real-root /sbin/init
 * [args]` (-n checks only and prints nothing when init would run; -p
 * keeps the initramfs's files; failures print "run-init: MESSAGE" and
 * exit 1).
 *
 * Every check comes before the one destructive step, each with its own
 * message: the new root is a directory, on another filesystem than "/"
 * and a mount point of its own; "/" is ramfs or tmpfs; init is an
 * executable regular file under the new root; the console opens; the
 * capabilities are known and may be dropped. Paths inside the new root
 * (init, the console) are resolved as they will be after the chroot:
 * an absolute symbolic link such as /sbin/init -> /lib/systemd/systemd
 * and ".." stay inside the new root.
 */
#ifndef ES_EARLY_RUN_INIT_H
#define ES_EARLY_RUN_INIT_H

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

struct run_init_opts {
	const char *newroot;	/* the mounted real root, e.g. "/root" */
	const char *init;	/* init's path inside newroot, exec'd as given */
	char *const *argv;	/* init's argv, argv[0] included, NULL-ended */
	const char *console;	/* device (path inside newroot) to reopen on
				 * 0/1/2; NULL keeps them as they are */
	const char *drop_caps;	/* comma list (caps.h); NULL or "": none */
	bool dry_run;		/* -n: check everything, change nothing */
	bool keep;		/* -p: leave the initramfs's files */
	/* Called at most once, before init runs, when part of the
	 * initramfs could not be deleted; the boot goes on. May be NULL. */
	void (*warn)(void *arg, const char *msg);
	void *warn_arg;
};

/* Checks, then (unless o->dry_run) deletes every file of the initramfs
 * that is not on another mounted filesystem (unless o->keep), moves
 * newroot onto "/", chroots into it, drops the capabilities, reopens
 * the console and execs init with the environment. The caller's other
 * fds are passed on to init as they are.
 *
 * With o->dry_run, returns 0 when init would run. Otherwise returns only
 * on failure: -errno with err set ("/root: not a mount point"). A
 * failure of a check has changed nothing; a failure after the checks
 * (the move, the chroot, exec) leaves the initramfs already deleted. */
int run_init(const struct run_init_opts *o, struct es_error *err);

/* The init to run, written to buf: wanted (init=) when it is an
 * executable regular file under newroot, else the first such of
 * /sbin/init, /etc/init, /bin/init, /bin/sh (the kernel's order).
 * wanted may be NULL or "". False when none is, or when the path does
 * not fit in size bytes. */
bool run_init_find(const char *newroot, const char *wanted, char *buf, size_t size);

#endif
