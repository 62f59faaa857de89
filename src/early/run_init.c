/*
 * run_init.c - see run_init.h; also the run-init applet.
 *
 * Follows klibc's run-init interface (usage line in run_init.h) and the
 * kernel's switch-root rules (Documentation/filesystems/
 * ramfs-rootfs-initramfs.rst: rootfs cannot be unmounted, so its files
 * are deleted and the real root is moved over it). Like toybox's
 * switch_root, every check precedes the deletion.
 *
 * Deletion works from directory fds (fstatat, openat with O_NOFOLLOW,
 * unlinkat): no symbolic link is followed and no path is ever built, so
 * there is no path length limit; an entry whose st_dev is not the
 * initramfs's (the new root, anything else mounted) is kept with all
 * below it. Limits: each directory level holds one fd while its
 * subdirectories are emptied, so a tree deeper than the open-file limit
 * is partly left (and reported); "mount point" means st_dev differs from
 * the parent directory's, so a btrfs subvolume that is not mounted
 * passes the check and the move then fails.
 */
#include "early/run_init.h"
#include "early/applets.h"
#include "early/caps.h"
#include "early/options.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* The kernel's limit on symbolic links in one lookup (MAXSYMLINKS). */
#define WALK_MAX_LINKS 40u

/* A path being resolved inside a directory taken as "/". */
struct walk {
	int root;
	char todo[PATH_MAX];	/* still to resolve */
	char *done;		/* resolved: relative to root, no links, no ".." */
	size_t size, len;
	unsigned links;
};

/* Replaces the link just appended to done (which was prev long before)
 * by its target followed by rest, the part of todo after the link. */
static int
walk_link(struct walk *w, size_t prev, const char *rest)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(w->root, w->done, target, sizeof(target));
	size_t rest_len = strlen(rest);

	if (n < 0)
		return -errno;
	if (++w->links > WALK_MAX_LINKS)
		return -ELOOP;
	if ((size_t)n + rest_len >= sizeof(target))
		return -ENAMETOOLONG;
	/* rest is "" or starts with '/': it follows the target as it is. */
	memcpy(target + n, rest, rest_len + 1);
	memcpy(w->todo, target, (size_t)n + rest_len + 1);
	w->len = target[0] == '/' ? 0 : prev;
	w->done[w->len] = '\0';
	return 0;
}

/* Appends the component name (n bytes) to done. */
static int
walk_append(struct walk *w, const char *name, size_t n)
{
	size_t sep = w->len > 0;

	if (w->len + sep + n >= w->size)
		return -ENAMETOOLONG;
	if (sep)
		w->done[w->len++] = '/';
	memcpy(w->done + w->len, name, n);
	w->len += n;
	w->done[w->len] = '\0';
	return 0;
}

/* ".." never climbs above the root, as after chroot. */
static void
walk_up(struct walk *w)
{
	char *slash = memrchr(w->done, '/', w->len);

	w->len = slash ? (size_t)(slash - w->done) : 0;
	w->done[w->len] = '\0';
}

static int
walk_run(struct walk *w)
{
	const char *p = w->todo;
	struct stat st;
	size_t n, prev;
	int rc;

	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			return 0;
		n = strcspn(p, "/");
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			walk_up(w);
			p += n;
			continue;
		}
		prev = w->len;
		if ((rc = walk_append(w, p, n)) != 0)
			return rc;
		if (fstatat(w->root, w->done, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return -errno;
		if (S_ISLNK(st.st_mode)) {
			if ((rc = walk_link(w, prev, p + n)) != 0)
				return rc;
			p = w->todo;
		} else if (p[n] == '/' && !S_ISDIR(st.st_mode)) {
			return -ENOTDIR;
		} else {
			p += n;
		}
	}
}

/* Resolves path inside the directory root as the kernel will after
 * chroot into it; out gets a path relative to root that holds neither
 * symbolic links nor "..", "." for root itself. Returns 0 or -errno. */
static int
resolve_in(int root, const char *path, char *out, size_t size)
{
	struct walk w = { .root = root, .done = out, .size = size };
	int rc;

	if (size < 2)
		return -ENAMETOOLONG;
	if (strlen(path) >= sizeof(w.todo))
		return -ENAMETOOLONG;
	strcpy(w.todo, path);
	out[0] = '\0';
	rc = walk_run(&w);
	if (rc == 0 && w.len == 0)
		strcpy(out, ".");
	return rc;
}

/* What the checks found, for the steps after them. */
struct plan {
	int newroot;		/* the new root, open */
	int console;		/* the console, opened in the new root, or -1 */
	uint64_t drop;		/* capabilities to drop */
	dev_t rootdev;		/* st_dev of the initramfs ("/") */
};

/* Records "NEWROOT/PATH: what" (without doubled slashes). */
static int
fail_in(struct es_error *err, int code, const char *newroot, const char *path,
	const char *what)
{
	int len = (int)strlen(newroot);

	while (len > 0 && newroot[len - 1] == '/')
		len--;
	return es_fail(err, code, "%.*s%s%s: %s", len, newroot,
		       path[0] == '/' ? "" : "/", path, what);
}

static int
check_init(int root, const char *newroot, const char *init, struct es_error *err)
{
	char rel[PATH_MAX];
	struct stat st;
	int rc = resolve_in(root, init, rel, sizeof(rel));

	if (rc == 0 && fstatat(root, rel, &st, AT_SYMLINK_NOFOLLOW) != 0)
		rc = -errno;
	if (rc)
		return fail_in(err, -rc, newroot, init, strerror(-rc));
	if (!S_ISREG(st.st_mode))
		return fail_in(err, EACCES, newroot, init, "not a regular file");
	/* For root, X_OK means an x bit and no noexec mount: what execve
	 * will ask. The system call itself: musl's faccessat links a
	 * fork-based AT_EACCESS emulation that is never asked for here. */
	if (syscall(SYS_faccessat, root, rel, X_OK) != 0)
		return fail_in(err, errno, newroot, init, "not executable");
	return 0;
}

static int
open_console(struct plan *p, const char *newroot, const char *console,
	     struct es_error *err)
{
	char rel[PATH_MAX];
	int rc = resolve_in(p->newroot, console, rel, sizeof(rel));

	if (rc)
		return fail_in(err, -rc, newroot, console, strerror(-rc));
	p->console = openat(p->newroot, rel, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->console < 0)
		return fail_in(err, errno, newroot, console, strerror(errno));
	return 0;
}

static int
check_newroot(struct plan *p, const char *newroot, struct es_error *err)
{
	struct stat st, root, up;

	p->newroot = open(newroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->newroot < 0)
		return es_fail(err, errno, "%s: %s", newroot, strerror(errno));
	if (fstat(p->newroot, &st) != 0 || fstatat(p->newroot, "..", &up, 0) != 0)
		return es_fail(err, errno, "%s: %s", newroot, strerror(errno));
	if (stat("/", &root) != 0)
		return es_fail(err, errno, "/: %s", strerror(errno));
	if (st.st_dev == root.st_dev)
		return es_fail(err, EINVAL, "%s: on the same filesystem as /", newroot);
	/* MS_MOVE takes only a mount point: refuse now, not after the
	 * deletion. */
	if (st.st_dev == up.st_dev)
		return es_fail(err, EINVAL, "%s: not a mount point", newroot);
	p->rootdev = root.st_dev;
	return 0;
}

static int
check_rootfs(struct es_error *err)
{
	struct statfs fs;
	unsigned long type;

	if (statfs("/", &fs) != 0)
		return es_fail(err, errno, "/: %s", strerror(errno));
	type = (unsigned long)fs.f_type;
	if (type != RAMFS_MAGIC && type != TMPFS_MAGIC)
		return es_fail(err, EINVAL,
			       "/: not ramfs or tmpfs (filesystem type %#lx): not an initramfs",
			       type);
	return 0;
}

static int
check_all(const struct run_init_opts *o, struct plan *p, struct es_error *err)
{
	int rc;

	if (o->drop_caps && (rc = caps_parse(o->drop_caps, &p->drop, err)) != 0)
		return rc;
	if ((rc = check_newroot(p, o->newroot, err)) != 0 ||
	    (rc = check_rootfs(err)) != 0 ||
	    (rc = check_init(p->newroot, o->newroot, o->init, err)) != 0)
		return rc;
	if (o->console && (rc = open_console(p, o->newroot, o->console, err)) != 0)
		return rc;
	return caps_check(p->drop, err);
}

/* Emptying the initramfs: what could not be deleted, for one warning. */
struct wipe {
	dev_t dev;		/* the initramfs's st_dev */
	unsigned failed;
	int first_errno;
	char first[NAME_MAX + 1];	/* the first entry an error left */
};

/* Returns false so that callers can write `return wipe_failed(...)`. */
static bool
wipe_failed(struct wipe *w, const char *name, int code)
{
	if (w->failed++ == 0) {
		snprintf(w->first, sizeof(w->first), "%s", name);
		w->first_errno = code;
	}
	return false;
}

static bool wipe_entry(struct wipe *w, int dir, const char *name);

/* Deletes what is in the directory fd (which it closes); true when
 * everything went, false when something stays. */
static bool
wipe_dir(struct wipe *w, int fd, const char *name)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	bool all = true;

	if (!d) {
		close(fd);
		return wipe_failed(w, name, errno);
	}
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!wipe_entry(w, dirfd(d), e->d_name))
			all = false;
	}
	if (errno != 0)
		all = wipe_failed(w, name, errno);
	closedir(d);
	return all;
}

/* Deletes name in dir and, for a directory, all below it; false when
 * it stays (a mount point, a directory holding one, an error). */
static bool
wipe_entry(struct wipe *w, int dir, const char *name)
{
	struct stat st;
	int fd;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return wipe_failed(w, name, errno);
	if (st.st_dev != w->dev)
		return false;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dir, name, 0) == 0 || wipe_failed(w, name, errno);
	fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return wipe_failed(w, name, errno);
	/* Checked again on the fd: something may be mounted there now. */
	if (fstat(fd, &st) != 0 || st.st_dev != w->dev) {
		close(fd);
		return false;
	}
	if (!wipe_dir(w, fd, name))
		return false;
	return unlinkat(dir, name, AT_REMOVEDIR) == 0 || wipe_failed(w, name, errno);
}

static void
wipe_initramfs(const struct run_init_opts *o, dev_t dev)
{
	struct wipe w = { .dev = dev };
	char msg[NAME_MAX + 128];
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		wipe_failed(&w, "/", errno);
	else
		wipe_dir(&w, fd, "/");
	if (w.failed == 0 || !o->warn)
		return;
	snprintf(msg, sizeof(msg), "initramfs entries not deleted: %u (first '%s': %s)",
		 w.failed, w.first, strerror(w.first_errno));
	o->warn(o->warn_arg, msg);
}

/* 0, 1 and 2 become the console. dup2 of an fd onto itself leaves its
 * O_CLOEXEC set: a console that got one of them (the caller had it
 * closed) is cleared by hand. The console's own fd, when above 2, goes
 * at exec. */
static int
console_on_stdio(int fd)
{
	for (int i = 0; i < 3; i++)
		if (i == fd ? fcntl(fd, F_SETFD, 0) < 0 : dup2(fd, i) < 0)
			return -errno;
	return 0;
}

/* The steps after the checks; returns only on failure. */
static int
switch_root(const struct run_init_opts *o, struct plan *p, struct es_error *err)
{
	int rc;

	if (fchdir(p->newroot) != 0)
		return es_fail(err, errno, "%s: %s", o->newroot, strerror(errno));
	close(p->newroot);
	p->newroot = -1;
	if (!o->keep)
		wipe_initramfs(o, p->rootdev);
	if (mount(".", "/", NULL, MS_MOVE, NULL) != 0)
		return es_fail(err, errno, "moving %s onto /: %s", o->newroot,
			       strerror(errno));
	if (chroot(".") != 0 || chdir("/") != 0)
		return es_fail(err, errno, "chroot into %s: %s", o->newroot,
			       strerror(errno));
	if ((rc = caps_drop(p->drop, err)) != 0)
		return rc;
	if (p->console >= 0) {
		if ((rc = console_on_stdio(p->console)) != 0)
			return es_fail(err, -rc, "%s: %s", o->console, strerror(-rc));
		if (p->console < 3)
			p->console = -1;
	}
	execv(o->init, o->argv);
	return es_fail(err, errno, "executing %s: %s", o->init, strerror(errno));
}

int
run_init(const struct run_init_opts *o, struct es_error *err)
{
	struct plan p = { .newroot = -1, .console = -1 };
	int rc = check_all(o, &p, err);

	if (rc == 0 && !o->dry_run)
		rc = switch_root(o, &p, err);
	if (p.console >= 0)
		close(p.console);
	if (p.newroot >= 0)
		close(p.newroot);
	return rc;
}

/* Copies init to buf when it is usable under the new root open as root. */
static bool
try_init(int root, const char *newroot, const char *init, char *buf, size_t size)
{
	struct es_error err = { 0 };

	if (!init || !init[0] || strlen(init) >= size ||
	    check_init(root, newroot, init, &err) != 0)
		return false;
	strcpy(buf, init);
	return true;
}

bool
run_init_find(const char *newroot, const char *wanted, char *buf, size_t size)
{
	static const char *const usual[] = {
		"/sbin/init", "/etc/init", "/bin/init", "/bin/sh",
	};
	int root = open(newroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool found;

	if (root < 0)
		return false;
	found = try_init(root, newroot, wanted, buf, size);
	for (size_t i = 0; !found && i < sizeof(usual) / sizeof(usual[0]); i++)
		found = try_init(root, newroot, usual[i], buf, size);
	close(root);
	return found;
}

static void
warn_stderr(void *arg, const char *msg)
{
	dprintf(2, "%s: warning: %s\n", (const char *)arg, msg);
}

static int
usage(void)
{
	dprintf(2, "usage: run-init [-d caps] [-c consoledev] [-n] [-p] "
		   "/real-root /sbin/init [args]\n");
	return 1;
}

int
run_init_main(int argc, char **argv)
{
	static const struct option_def defs[] = {
		{ 'c', NULL, "CONSOLE" }, { 'd', NULL, "CAPS" },
		{ 'n', NULL, NULL }, { 'p', NULL, NULL },
	};
	struct run_init_opts o = { .warn = warn_stderr, .warn_arg = "run-init" };
	struct es_error err = { 0 };
	struct options opts;
	int c;

	/* POSIX order: options end at the new root; init's own follow it. */
	options_init(&opts, defs, 4, argc, argv, false);
	while ((c = options_next(&opts)) != 0) {
		switch (c) {
		case 'c':
			o.console = opts.arg;
			break;
		case 'd':
			o.drop_caps = opts.arg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'p':
			o.keep = true;
			break;
		default:
			return usage();
		}
	}
	if (opts.noperands < 2)
		return usage();
	o.newroot = opts.operands[0];
	o.init = opts.operands[1];
	o.argv = opts.operands + 1;
	if (run_init(&o, &err) == 0)
		return 0;
	dprintf(2, "run-init: %s\n", err.msg);
	return 1;
}
