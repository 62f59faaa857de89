/*
 * modprobe.c - the modprobe applet: kmod's modprobe command line, on
 * src/kmod's index and modload.h.
 *
 *   modprobe [-q] [-n] [-v] [-b] [-d ROOT] [-S VERSION] MODULE [PARAM=VALUE...]
 *   modprobe -a [options] MODULE...
 *   modprobe -r [options] MODULE...
 *   modprobe --show-depends [options] MODULE...
 *
 * The kernel runs `/sbin/modprobe -q -- ALIAS` for request_module
 * (fs-ext4, crypto-crc32c): exit 0 when the module is in the kernel
 * (loaded, built in, or blacklisted away) and 1 when not, silently.
 * Messages, exit statuses and --show-depends lines are kmod 30's
 * (tools/modprobe.c), as initramfs scripts and tests compare them:
 * "modprobe: FATAL: Module X not found in directory DIR" (WARNING with
 * -a), "insmod PATH OPTIONS" and "builtin NAME". Like kmod it takes
 * module parameters and modprobe.blacklist= from /proc/cmdline.
 *
 * Limits: no modprobe.d (-C is accepted and ignored), so no install or
 * remove commands (-i is accepted); -r does not remove a module the
 * index does not know.
 */
#include "early/applets.h"
#include "early/log.h"
#include "early/modload.h"
#include "early/options.h"
#include "early/sysfile.h"
#include "base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef ES_VERSION
#define ES_VERSION "unknown"
#endif

/* Most architectures' COMMAND_LINE_SIZE is 2048, a few 4096. */
#define MODPROBE_CMDLINE_MAX 4096u

/* One table feeds the parser and --help. */
static const struct option_def mp_opts[] = {
	{ 'a', "all", NULL },
	{ 'r', "remove", NULL },
	{ 'D', "show-depends", NULL },
	{ 'n', "dry-run", NULL },
	{ 'v', "verbose", NULL },
	{ 'q', "quiet", NULL },
	{ 'b', "use-blacklist", NULL },
	{ 'd', "dirname", "ROOT" },
	{ 'S', "set-version", "VERSION" },
	{ 'C', "config", "FILE" },
	{ 'i', "ignore-install", NULL },
	{ 's', "syslog", NULL },
	{ 'V', "version", NULL },
	{ 'h', "help", NULL },
};

#define MP_NOPTS (sizeof(mp_opts) / sizeof(mp_opts[0]))

struct mp_cli {
	bool all, remove, show_depends, dry_run, quiet, blacklist;
	unsigned verbose;
	const char *root, *version;
};

static void
usage(int fd)
{
	dprintf(fd, "usage: modprobe [options] MODULE [PARAM=VALUE...]\n"
		"       modprobe -a|-r|--show-depends [options] MODULE...\n"
		"MODULE is a module name or an alias (fs-ext4, pci:v...).\n");
	options_help(mp_opts, MP_NOPTS, fd);
}

/* 0, or 1: stop here, exit 0. */
static int
apply(struct mp_cli *c, char key, const char *arg)
{
	switch (key) {
	case 'a': c->all = true; break;
	case 'r': c->remove = true; break;
	case 'D': c->show_depends = true; break;
	case 'n': c->dry_run = true; break;
	case 'v': c->verbose++; break;
	case 'q': c->quiet = true; break;
	case 'b': c->blacklist = true; break;
	case 'd': c->root = arg; break;
	case 'S': c->version = arg; break;
	case 'V': dprintf(1, "modprobe (earlyspace %s)\n", ES_VERSION); return 1;
	case 'h': usage(1); return 1;
	}
	return 0;
}

/* kmod's command line, as getopt_long reads it: options anywhere
 * until "--"; the operands are moved, in order, to argv[1..]. Returns
 * their count, or -1 (exit 1, usage printed) or -2 (exit 0: --help,
 * --version). */
static int
parse(struct mp_cli *c, int argc, char **argv)
{
	struct options o;
	int key;

	options_init(&o, mp_opts, MP_NOPTS, argc, argv, true);
	while ((key = options_next(&o)) != 0) {
		if (key == '?') {
			dprintf(2, "modprobe: unknown option or missing argument: %s\n",
				o.bad);
			usage(2);
			return -1;
		}
		if (apply(c, (char)key, o.arg) > 0)
			return -2;
	}
	return o.noperands;
}

/* ROOT/lib/modules/VERSION, ROOT made absolute as kmod makes it. */
static char *
moddir_of(const struct mp_cli *c)
{
	char cwd[PATH_MAX];
	struct utsname u;
	const char *version = c->version;

	if (!version) {
		if (uname(&u) != 0)
			return NULL;
		version = u.release;
	}
	if (!c->root)
		return xasprintf("/lib/modules/%s", version);
	if (c->root[0] == '/')
		return xasprintf("%s/lib/modules/%s", c->root, version);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	return xasprintf("%s/%s/lib/modules/%s", cwd, c->root, version);
}

static unsigned
flags_of(const struct mp_cli *c)
{
	unsigned f = 0;

	if (c->show_depends)
		f |= MODLOAD_SHOW_DEPENDS;
	if (c->dry_run)
		f |= MODLOAD_DRY_RUN;
	if (c->verbose)
		f |= MODLOAD_SHOW;
	if (c->blacklist)
		f |= MODLOAD_BLACKLIST_ALL;
	return f;
}

/* kmod: FATAL for the one MODULE, WARNING for each of -a's. */
static void
not_found(const struct mp_cli *c, struct log *log, const char *name,
	  const char *moddir)
{
	const char *level = c->all ? "WARNING" : "FATAL";

	if (c->remove)
		log_err(log, "%s: Module %s not found.", level, name);
	else
		log_err(log, "%s: Module %s not found in directory %s", level,
			name, moddir);
}

/* Each MODULE, or the one with its parameters; 0 or 1. */
static int
run(const struct mp_cli *c, struct modload *m, char **names, int n,
    const char *moddir)
{
	int status = 0, last = c->all || c->remove ? n : 1;
	char *opts = last == 1 ? modload_join_options(names + 1, n - 1) : NULL;

	for (int i = 0; i < last; i++) {
		int rc = c->remove ? modload_remove(m, names[i]) :
			modload_request_options(m, names[i], opts);

		if (rc < 0 && m->unknown)
			not_found(c, m->log, names[i], moddir);
		if (rc < 0)
			status = 1;
	}
	free(opts);
	return status;
}

static void
take_cmdline(struct modload *m)
{
	char text[MODPROBE_CMDLINE_MAX];

	if (sysfile_read("/proc/cmdline", text, sizeof(text)) > 0)
		modload_params(m, text);
}

int
modprobe_main(int argc, char **argv)
{
	struct mp_cli c = { 0 };
	struct modload m;
	struct log log;
	char *moddir;
	int n = parse(&c, argc, argv), status;

	if (n < 0)
		return n == -2 ? 0 : 1;
	log_init(&log, "modprobe");
	log.max_level = c.quiet ? 0 : c.verbose > 1 ? LOG_DEBUG : LOG_INFO;
	if (n == 0) {
		log_err(&log, "ERROR: missing parameters. See -h.");
		return 1;
	}
	if (!(moddir = moddir_of(&c))) {
		log_err(&log, "cannot tell the modules directory: %s", strerror(errno));
		return 1;
	}
	if (modload_open(&m, moddir, &log) < 0) {
		/* kmod finds nothing in a directory without an index. */
		if (m.ix.err.code == ENOENT)
			not_found(&c, &log, argv[1], moddir);
		status = 1;
	} else {
		m.flags = flags_of(&c);
		take_cmdline(&m);
		status = run(&c, &m, argv + 1, n, moddir);
		if (m.show_errno) {
			log_err(&log, "writing the list failed: %s", strerror(m.show_errno));
			status = 1;
		}
	}
	modload_close(&m);
	free(moddir);
	return status;
}
