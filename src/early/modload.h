/*
 * modload.h - kernel modules into the running kernel: what a request
 * (a module name or an alias) needs, in kmod's order, by finit_module(2);
 * and out again by delete_module(2). The index is src/kmod's (the text
 * files of /lib/modules/RELEASE); kinit, coldplug and the modprobe
 * applet all load through here.
 *
 * A request is probed as kmod's modprobe probes it (libkmod-module.c
 * kmod_module_probe_insert_module): the modules the request names (its
 * "roots": the module called so, or every module an alias matches) are
 * probed one after the other, each with its dependencies and softdeps
 * in src/kmod's order (kmod/resolve.h). A root already in the kernel
 * (loaded, or built in) is left alone. A root reached through an alias
 * and on the blacklist is skipped, as kmod skips it; named, it is loaded
 * unless MODLOAD_BLACKLIST_ALL (modprobe -b). Within a root's list the
 * root and its modules.dep dependencies are required: the first of them
 * that fails ends that root's probe; a softdep that fails is only
 * logged (crc32c_intel refuses a CPU without SSE4.2; crc32c_generic
 * serves ext4 instead). A module that failed is not tried again until
 * modload_close.
 *
 * What happens is logged on log: each insert at debug level with the
 * time the kernel took, a required module's failure at error level with
 * the kernel's reason and the module's path, an optional one's (and any
 * ENODEV, a driver finding nothing to drive) at info level. A request
 * matching nothing is not logged (coldplug asks for every device, most
 * have no module): m->unknown tells the caller.
 *
 * Module parameters come from the kernel command line ("ext4.foo=1",
 * the module name read with '-' as '_'), as kmod takes them, plus the
 * words a caller gives a request (modprobe's PARAM=VALUE); a value
 * holding a blank is passed quoted (key="a b"), as kmod passes it.
 *
 * Known limits: no modprobe.d (no options, install or remove commands,
 * aliases or blacklists from it; modprobe -C is accepted and ignored).
 * Parameters after a lone "--" on the command line are init's, not
 * modules' (kmod reads on). Compressed modules (.ko.xz, .ko.zst, .ko.gz) go to the
 * kernel with MODULE_INIT_COMPRESSED_FILE, which Linux 5.17 and later
 * understand when built with CONFIG_MODULE_DECOMPRESS for that format;
 * others refuse them (EOPNOTSUPP, or EINVAL before 5.17; Debian 12's
 * 6.1 is built without it), and the message says so.
 */
#ifndef ES_EARLY_MODLOAD_H
#define ES_EARLY_MODLOAD_H

#include "base/strset.h"
#include "early/log.h"
#include "kmod/index.h"

#include <stdbool.h>
#include <stddef.h>

enum modload_flags {
	/* Everything up to the system call: the list, the checks, the
	 * file opened; not finit_module/delete_module. The module then
	 * counts as in (or out of) the kernel. (modprobe -n) */
	MODLOAD_DRY_RUN = 1 << 0,
	/* kmod's action lines on show_fd: "insmod PATH OPTIONS" before
	 * each insert, "rmmod NAME" before each removal. (modprobe -v) */
	MODLOAD_SHOW = 1 << 1,
	/* modprobe --show-depends: every module of each root's list is
	 * shown, loaded or not, with kmod's repeats, and built-in ones as
	 * "builtin NAME"; no file is opened, nothing changes. */
	MODLOAD_SHOW_DEPENDS = 1 << 2,
	/* The blacklist applies to modules named, not only to those an
	 * alias reaches. (modprobe -b) */
	MODLOAD_BLACKLIST_ALL = 1 << 3,
};

struct modload_param {
	char *module;		/* normalised */
	char *option;		/* "key=value" as the kernel takes it */
};

struct modload {
	struct kmod_index ix;
	struct log *log;	/* not owned */
	unsigned flags;		/* enum modload_flags; set after open */
	int show_fd;		/* MODLOAD_SHOW lines; 1 after open */

	/* What happened since open. */
	unsigned inserted, removed, failed;
	bool unknown;		/* the last request matched nothing */
	int show_errno;		/* the first failed write to show_fd */

	/* private */
	struct strset state;	/* module name -> enum in modload.c */
	struct strset blacklist;
	struct modload_param *params;
	size_t nparams, params_cap;
};

/* Loads moddir's index (logging why not: at error level, or at debug
 * level when there is no modules.dep, m->ix.err.code ENOENT) and learns
 * which modules are loaded from /proc/modules (none when it cannot be
 * read). Returns 0 or -errno; either way modload_close releases m. */
int modload_open(struct modload *m, const char *moddir, struct log *log);
void modload_close(struct modload *m);

/* Adds the modules of a comma-separated list (modprobe.blacklist=). */
void modload_blacklist(struct modload *m, const char *comma_list);
/* Takes the module parameters of a kernel command line: each word
 * "MODULE.KEY[=VALUE]" before a lone "--" (see cmdline.h for the
 * splitting), and "modprobe.blacklist=LIST" as modload_blacklist. */
void modload_params(struct modload *m, const char *cmdline);

/* Loads what request needs (see above). Returns how many modules were
 * inserted (0: all there already, built in, or skipped by the
 * blacklist), or -errno: -ENOENT with m->unknown when no module or
 * alias matches, else the failure of the first root that did not get
 * in when none did. */
int modload_request(struct modload *m, const char *request);
/* The same, with options (a list of "key=value" words joined by
 * modload_join_options) given to the request's roots after those of the
 * command line. */
int modload_request_options(struct modload *m, const char *request,
			    const char *options);

/* Removes request's roots (modprobe -r) and then whichever of their
 * dependencies and softdeps are left unused (refcnt 0, no holders).
 * A root not in the kernel is fine; a built-in one or one in use is an
 * error (logged). Returns how many were removed, or -errno. */
int modload_remove(struct modload *m, const char *request);

/* words[0..n) as one option string, each "key=value with blanks"
 * quoted as kmod quotes it (key="value with blanks"). Caller frees. */
char *modload_join_options(char *const *words, int n);

#endif
