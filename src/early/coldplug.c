/*
 * coldplug.c - the modalias files of sysfs, each asked for once; see
 * coldplug.h. Follows the kernel's sysfs layout (Documentation/ABI:
 * /sys/devices/.../modalias, one line) and what udev's coldplug does
 * with it (`udevadm trigger`, then `modprobe -b MODALIAS` a device).
 * Limits: directories deeper than COLDPLUG_DEPTH_MAX are skipped (with
 * a warning); a modalias longer than a page is not sysfs's and is
 * skipped.
 */
#include "early/coldplug.h"
#include "early/sysfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* sysfs values fit a page. */
#define MODALIAS_MAX 4096u
/* A directory's name below the root, for messages. */
#define COLDPLUG_PATH_MAX 4096u

struct coldplug {
	struct modload *m;
	struct strset asked;	/* aliases requested this scan */
	int inserted;
	const char *root;	/* for messages */
};

static void
request_alias(struct coldplug *c, int dir, const char *where)
{
	char alias[MODALIAS_MAX];
	ssize_t n = sysfile_read_at(dir, "modalias", alias, sizeof(alias));
	int rc;

	/* A driver's attribute may refuse reading (ENODEV): no alias. */
	if (n <= 0 || (size_t)n >= sizeof(alias) - 1 || !strset_add(&c->asked, alias))
		return;
	rc = modload_request(c->m, alias);
	if (rc > 0)
		c->inserted += rc;
	else if (rc < 0 && !c->m->unknown)
		log_debug(c->m->log, "%s%s/modalias: %s: %s", c->root, where,
			  alias, strerror(-rc));
}

/* Is the entry a directory or a regular file? Without d_type, lstat. */
static unsigned char
entry_type(int dir, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type;
	if (fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return DT_UNKNOWN;
	return S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
}

static void walk(struct coldplug *c, int fd, char *path, size_t len,
		 unsigned depth);

/* Opens name under dir (never through a link) and walks it. */
static void
descend(struct coldplug *c, int dir, char *path, size_t len, const char *name,
	unsigned depth)
{
	size_t nlen = strlen(name);
	int fd;

	if (depth >= COLDPLUG_DEPTH_MAX || len + 1 + nlen >= COLDPLUG_PATH_MAX) {
		log_warn(c->m->log, "%s%s/%s: deeper than %u levels: not scanned",
			 c->root, path, name, COLDPLUG_DEPTH_MAX);
		return;
	}
	fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		log_warn(c->m->log, "%s%s/%s: %s: not scanned", c->root, path,
			 name, strerror(errno));
		return;
	}
	path[len] = '/';
	memcpy(path + len + 1, name, nlen + 1);
	walk(c, fd, path, len + 1 + nlen, depth + 1);
	path[len] = '\0';
}

/* Walks the directory fd (taken over and closed); path ("" or "/a/b")
 * is its name below the root, with room for COLDPLUG_PATH_MAX bytes. */
static void
walk(struct coldplug *c, int fd, char *path, size_t len, unsigned depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int dir;

	if (!d) {
		close(fd);
		return;
	}
	dir = dirfd(d);
	while ((e = readdir(d))) {
		unsigned char type;

		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		type = entry_type(dir, e);
		if (type == DT_DIR)
			descend(c, dir, path, len, e->d_name, depth);
		else if (type == DT_REG && strcmp(e->d_name, "modalias") == 0)
			request_alias(c, dir, path);
	}
	closedir(d);
}

int
coldplug_scan(struct modload *m, const char *sysfs_devices)
{
	struct coldplug c = { .m = m, .root = sysfs_devices };
	char path[COLDPLUG_PATH_MAX] = "";
	int fd = open(sysfs_devices, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		err = errno;
		log_err(m->log, "%s: %s", sysfs_devices, strerror(err));
		return -err;
	}
	walk(&c, fd, path, 0, 0);
	log_debug(m->log, "coldplug: %zu aliases, %d modules inserted",
		  c.asked.len, c.inserted);
	strset_free(&c.asked);
	return c.inserted;
}
