/* extract.c - see extract.h. */
#include "image/extract.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct extract_link {
	uint32_t major, minor, ino, type;
	char *path;
};

struct extract_dir_time {
	char *path;
	uint32_t mtime;
};

int
extract_init(struct extractor *x, const char *dir)
{
	memset(x, 0, sizeof(*x));
	x->cache_fd = -1;
	x->as_root = geteuid() == 0;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return es_fail(&x->err, errno, "%s: %s", dir, strerror(errno));
	x->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x->dirfd < 0)
		return es_fail(&x->err, errno, "%s: %s", dir, strerror(errno));
	return 0;
}

static void
refuse(struct extractor *x, const char *name, const char *fmt, ...)
{
	char msg[1024], why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s: %s", name, why);
	x->refused++;
	if (x->warn)
		x->warn(x->warn_ctx, msg);
}

static bool
has_dotdot(const char *name)
{
	for (const char *p = name; (p = strstr(p, "..")); p += 2)
		if ((p == name || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return true;
	return false;
}

/*
 * Opens the directory that holds path's last component without following
 * a symlink anywhere on the way; *leaf points into path.
 */
/* Opens every component of dir (a relative path) below the target,
 * following no symlink. */
static int
walk_dirs(struct extractor *x, char *dir)
{
	int fd = dup(x->dirfd);
	char *comp = dir;

	if (fd < 0)
		return -errno;
	while (comp) {
		char *slash = strchr(comp, '/');
		int next;

		if (slash)
			*slash = '\0';
		next = *comp && strcmp(comp, ".") ?
			openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) :
			dup(fd);
		if (slash)
			*slash = '/';
		close(fd);
		if (next < 0)
			return -errno;
		fd = next;
		comp = slash ? slash + 1 : NULL;
	}
	return fd;
}

static void
drop_parent_cache(struct extractor *x)
{
	if (x->cache_fd >= 0)
		close(x->cache_fd);
	free(x->cache_path);
	x->cache_path = NULL;
	x->cache_fd = -1;
}

/* Returns an fd (the caller's) on the directory holding path's last
 * component, and that component in *leaf. The last directory walked is
 * kept: entries come in tree order, so the next one usually shares it. */
static int
open_parent(struct extractor *x, char *path, const char **leaf)
{
	char *slash = strrchr(path, '/');
	int fd;

	*leaf = slash ? slash + 1 : path;
	if (!slash) {
		fd = dup(x->dirfd);
		return fd < 0 ? -errno : fd;
	}
	*slash = '\0';
	if (x->cache_path && !strcmp(x->cache_path, path)) {
		fd = dup(x->cache_fd);
		fd = fd < 0 ? -errno : fd;
	} else if ((fd = walk_dirs(x, path)) >= 0) {
		drop_parent_cache(x);
		x->cache_path = xstrdup(path);
		x->cache_fd = dup(fd);
	}
	*slash = '/';
	return fd;
}

/* An entry named name may replace a directory the cache holds. */
static void
check_parent_cache(struct extractor *x, const char *name)
{
	size_t n = strlen(name);

	if (x->cache_path && !strncmp(x->cache_path, name, n) &&
	    (x->cache_path[n] == '\0' || x->cache_path[n] == '/'))
		drop_parent_cache(x);
}

/* The kernel's clean_path(): remove what is there if its type differs. */
static void
clean_path(int dirfd, const char *leaf, uint32_t type)
{
	struct stat st;

	if (fstatat(dirfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (st.st_mode & S_IFMT) != type)
		unlinkat(dirfd, leaf, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
}

/*
 * The hard-link table is open-addressed, linear probing, keyed on
 * (devmajor, devminor, ino, type): a hostile image of a million linked
 * names must not cost a million squared comparisons. links_cap is its
 * size, a power of two at least twice nlinks; a NULL path is a free slot.
 */
static bool
link_is(const struct extract_link *l, const struct cpio_entry *e)
{
	return l->ino == e->h.ino && l->major == e->h.devmajor &&
	       l->minor == e->h.devminor && l->type == (e->h.mode & S_IFMT);
}

static size_t
link_hash(uint32_t major, uint32_t minor, uint32_t ino, uint32_t type)
{
	uint64_t h = ((uint64_t)major << 32 | minor) * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)type << 32 | ino) * 0xc2b2ae3d27d4eb4full;
	return (size_t)(h ^ h >> 31);
}

/* The slot that holds e's inode, or the free slot where it would go. */
static struct extract_link *
link_slot(struct extract_link *t, size_t cap, const struct cpio_entry *e)
{
	size_t i = link_hash(e->h.devmajor, e->h.devminor, e->h.ino,
			     e->h.mode & S_IFMT) & (cap - 1);

	while (t[i].path && !link_is(&t[i], e))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static struct extract_link *
find_link(struct extractor *x, const struct cpio_entry *e)
{
	struct extract_link *l;

	if (!x->links_cap)
		return NULL;
	l = link_slot(x->links, x->links_cap, e);
	return l->path ? l : NULL;
}

static void
grow_links(struct extractor *x)
{
	size_t cap = x->links_cap ? x->links_cap * 2 : 64;
	struct extract_link *t = xcalloc(cap, sizeof(*t));

	for (size_t i = 0; i < x->links_cap; i++) {
		struct extract_link *l = &x->links[i];
		size_t k = link_hash(l->major, l->minor, l->ino, l->type) & (cap - 1);

		if (!l->path)
			continue;
		while (t[k].path)
			k = (k + 1) & (cap - 1);
		t[k] = *l;
	}
	free(x->links);
	x->links = t;
	x->links_cap = cap;
}

static void
add_link(struct extractor *x, const struct cpio_entry *e, const char *name)
{
	if ((x->nlinks + 1) * 2 > x->links_cap)
		grow_links(x);
	*link_slot(x->links, x->links_cap, e) = (struct extract_link){
		e->h.devmajor, e->h.devminor, e->h.ino, e->h.mode & S_IFMT,
		xstrdup(name),
	};
	x->nlinks++;
}

/* Returns 1 if the name became a link to an earlier one, 0 if it must be
 * created, <0 on failure. */
static int
maybe_link(struct extractor *x, int dirfd, const char *leaf, const char *name,
	   const struct cpio_entry *e)
{
	struct extract_link *l;
	const char *old_leaf;
	char *old;
	int odir, rc;

	if (e->h.nlink < 2)
		return 0;
	l = find_link(x, e);
	if (!l) {
		add_link(x, e, name);
		return 0;
	}
	old = xstrdup(l->path);
	odir = open_parent(x, old, &old_leaf);
	rc = odir < 0 ? odir : 0;
	if (rc == 0) {
		clean_path(dirfd, leaf, 0);
		rc = linkat(odir, old_leaf, dirfd, leaf, 0) < 0 ? -errno : 1;
		close(odir);
	}
	free(old);
	return rc;
}

static void
forget_links(struct extractor *x)
{
	/* The table goes too: a trailer after each of many small archives
	 * then costs each one its own table, not the largest one's. */
	for (size_t i = 0; i < x->links_cap; i++)
		free(x->links[i].path);
	free(x->links);
	x->links = NULL;
	x->links_cap = x->nlinks = 0;
}

static uint32_t
safe_mode(const struct extractor *x, uint32_t mode)
{
	mode &= 07777;
	return x->as_root ? mode : mode & ~(uint32_t)(S_ISUID | S_ISGID);
}

static int
write_file(struct extractor *x, struct image_reader *r, int dirfd,
	   const char *leaf, const struct cpio_entry *e, bool linked)
{
	struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, { e->h.mtime, 0 } };
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (linked ? 0 : O_TRUNC);
	int fd = openat(dirfd, leaf, flags, 0600);
	const uint8_t *p;
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	/* Owner and mode first, as the kernel sets them: a file cut short
	 * by a damaged image keeps them with the data that did arrive. */
	if (x->as_root && fchown(fd, e->h.uid, e->h.gid) < 0)
		rc = -errno;
	if (rc == 0 && fchmod(fd, safe_mode(x, e->h.mode)) < 0)
		rc = -errno;
	/* Straight from the reader's buffer to the file. */
	while ((n = image_data_next(r, &p, INSTREAM_BUFSIZE)) > 0) {
		ssize_t w = rc == 0 ? write(fd, p, (size_t)n) : n;

		if (w != n)
			rc = w < 0 ? -errno : -ENOSPC;
	}
	if (n < 0) {
		close(fd);
		return es_fail(&x->err, (int)-n, "%s", r->err.msg);
	}
	if (rc == 0 && futimens(fd, times) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

static int
set_attrs(struct extractor *x, int dirfd, const char *leaf,
	  const struct cpio_entry *e)
{
	struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, { e->h.mtime, 0 } };

	if (x->as_root && fchownat(dirfd, leaf, e->h.uid, e->h.gid,
				   AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(e->h.mode) &&
	    fchmodat(dirfd, leaf, safe_mode(x, e->h.mode), 0) < 0)
		return -errno;
	if (utimensat(dirfd, leaf, times, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

/* Owner and mode go on the directory's own fd: never through a link. */
static int
make_dir(struct extractor *x, int dirfd, const char *leaf, const char *name,
	 const struct cpio_entry *e)
{
	int fd, rc = 0;

	clean_path(dirfd, leaf, S_IFDIR);
	if (mkdirat(dirfd, leaf, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (x->as_root && fchown(fd, e->h.uid, e->h.gid) < 0)
		rc = -errno;
	if (rc == 0 && fchmod(fd, safe_mode(x, e->h.mode)) < 0)
		rc = -errno;
	close(fd);
	xgrow((void **)&x->dirs, &x->dirs_cap, x->ndirs + 1, sizeof(*x->dirs));
	x->dirs[x->ndirs++] = (struct extract_dir_time){ xstrdup(name), e->h.mtime };
	return rc;
}

static int
make_node(struct extractor *x, int dirfd, const char *leaf, const char *name,
	  const struct cpio_entry *e)
{
	uint32_t type = e->h.mode & S_IFMT;
	int linked;

	if ((S_ISCHR(type) || S_ISBLK(type)) && !x->as_root) {
		refuse(x, name, "device node skipped (not running as root)");
		return 1;
	}
	clean_path(dirfd, leaf, type);
	linked = maybe_link(x, dirfd, leaf, name, e);
	if (linked < 0)
		return linked;
	if (!linked && mknodat(dirfd, leaf, type | 0600,
			       makedev(e->h.rdevmajor, e->h.rdevminor)) < 0 &&
	    errno != EEXIST)
		return -errno;
	return 0;
}

static int
create(struct extractor *x, struct image_reader *r, int dirfd,
       const char *leaf, const char *name, const struct cpio_entry *e)
{
	uint32_t type = e->h.mode & S_IFMT;
	int rc = 0, linked;

	if (S_ISREG(type)) {
		clean_path(dirfd, leaf, type);
		linked = maybe_link(x, dirfd, leaf, name, e);
		return linked < 0 ? linked : write_file(x, r, dirfd, leaf, e, linked);
	}
	if (S_ISDIR(type))
		return make_dir(x, dirfd, leaf, name, e);
	if (S_ISLNK(type)) {
		clean_path(dirfd, leaf, 0);
		if (symlinkat(e->target, dirfd, leaf) < 0)
			return -errno;
	} else if (S_ISCHR(type) || S_ISBLK(type) || S_ISFIFO(type) || S_ISSOCK(type)) {
		rc = make_node(x, dirfd, leaf, name, e);
		if (rc)
			return rc > 0 ? 0 : rc;
	} else {
		refuse(x, name, "unknown file type %06o", e->h.mode);
		return 0;
	}
	return set_attrs(x, dirfd, leaf, e);
}

int
extract_entry(struct extractor *x, struct image_reader *r,
	      const struct cpio_entry *e)
{
	const char *name = e->name, *leaf;
	char *path;
	int dirfd, rc;

	if (e->trailer) {
		forget_links(x);
		return 0;
	}
	if (e->skip) {
		refuse(x, *name ? name : "(no name)", "skipped as the kernel does: %s",
		       cpio_skip_reason(e->skip));
		return 0;
	}
	while (*name == '/')
		name++;
	if (!*name || !strcmp(name, "."))
		return 0;	/* the target directory itself */
	if (has_dotdot(name)) {
		refuse(x, e->name, "refused: the name has a '..' component");
		return 0;
	}
	check_parent_cache(x, name);
	path = xstrdup(name);
	dirfd = open_parent(x, path, &leaf);
	if (dirfd < 0) {
		refuse(x, e->name, "refused: a parent is missing, not a directory or a symlink (%s)",
		       strerror(-dirfd));
		free(path);
		return 0;
	}
	rc = create(x, r, dirfd, leaf, name, e);
	close(dirfd);
	free(path);
	if (es_failed(&x->err))
		return -x->err.code;
	if (rc < 0)
		refuse(x, e->name, "%s", strerror(-rc));
	return 0;
}

int
extract_finish(struct extractor *x)
{
	/* Deepest first would not matter: mtimes of parents are set by
	 * path, and later children were created before this point. */
	for (size_t i = 0; i < x->ndirs; i++) {
		struct timespec times[2] = { { .tv_nsec = UTIME_OMIT },
					     { x->dirs[i].mtime, 0 } };
		const char *leaf;
		int dirfd = open_parent(x, x->dirs[i].path, &leaf);

		if (dirfd >= 0) {
			utimensat(dirfd, leaf, times, AT_SYMLINK_NOFOLLOW);
			close(dirfd);
		}
		free(x->dirs[i].path);
	}
	free(x->dirs);
	drop_parent_cache(x);
	forget_links(x);
	close(x->dirfd);
	return es_failed(&x->err) ? -x->err.code : 0;
}
