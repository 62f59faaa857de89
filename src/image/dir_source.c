/* dir_source.c - see dir_source.h. */
#include "image/dir_source.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct scanned {
	char *rel;		/* path below the root */
	struct stat st;
	uint32_t nlink;		/* names of this inode inside the tree */
	bool data;		/* the last of those names */
	uint32_t *group_ino;	/* shared by the names of one inode */
};

struct scan {
	struct scanned *v;
	size_t len, cap;
	uint32_t *inos;		/* one slot per hard-link group */
	struct builder *b;
	const char *root;
};

static int
scan_dir(struct scan *s, int fd, const char *rel)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(fd);
		return es_fail(&s->b->err, errno, "%s/%s: %s", s->root, rel, strerror(errno));
	}
	while (rc == 0 && (errno = 0, de = readdir(d))) {
		struct scanned *e;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		xgrow((void **)&s->v, &s->cap, s->len + 1, sizeof(*s->v));
		e = &s->v[s->len];
		memset(e, 0, sizeof(*e));
		e->rel = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (fstatat(dirfd(d), de->d_name, &e->st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = es_fail(&s->b->err, errno, "%s/%s: %s", s->root, e->rel,
				     strerror(errno));
			free(e->rel);
			break;
		}
		s->len++;
		if (S_ISDIR(e->st.st_mode)) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0)
				rc = es_fail(&s->b->err, errno, "%s/%s: %s", s->root,
					     e->rel, strerror(errno));
			else
				rc = scan_dir(s, sub, s->v[s->len - 1].rel);
		}
	}
	if (rc == 0 && errno)
		rc = es_fail(&s->b->err, errno, "%s/%s: %s", s->root, rel, strerror(errno));
	closedir(d);
	return rc;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct scanned *)a)->rel, ((const struct scanned *)b)->rel);
}

static int
by_inode(const void *a, const void *b)
{
	const struct scanned *x = *(struct scanned *const *)a;
	const struct scanned *y = *(struct scanned *const *)b;

	if (x->st.st_dev != y->st.st_dev)
		return x->st.st_dev < y->st.st_dev ? -1 : 1;
	if (x->st.st_ino != y->st.st_ino)
		return x->st.st_ino < y->st.st_ino ? -1 : 1;
	return x < y ? -1 : x > y;	/* path order within a group */
}

static bool
same_inode(const struct scanned *x, const struct scanned *y)
{
	return x->st.st_dev == y->st.st_dev && x->st.st_ino == y->st.st_ino;
}

/* Groups the names of each multiply-linked inode; data on the last.
 * A name whose other links lie outside the tree is a plain file. */
static void
find_hard_links(struct scan *s)
{
	struct scanned **v = xmalloc(sizeof(*v) * (s->len ? s->len : 1));
	size_t n = 0, groups = 0;

	for (size_t i = 0; i < s->len; i++) {
		s->v[i].nlink = 1;
		s->v[i].data = true;
		if (!S_ISDIR(s->v[i].st.st_mode) && s->v[i].st.st_nlink > 1)
			v[n++] = &s->v[i];
	}
	qsort(v, n, sizeof(*v), by_inode);
	s->inos = xcalloc(n ? n : 1, sizeof(*s->inos));
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_inode(v[i], v[j]); j++)
			;
		if (j - i < 2)
			continue;
		for (size_t k = i; k < j; k++) {
			v[k]->nlink = (uint32_t)(j - i);
			v[k]->data = k == j - 1;
			v[k]->group_ino = &s->inos[groups];
		}
		groups++;
	}
	free(v);
}

static int
add_scanned(struct scan *s, struct scanned *e)
{
	char *location = xasprintf("%s/%s", s->root, e->rel);
	char target[CPIO_PATH_MAX];
	struct build_entry be = {
		.name = e->rel, .mode = e->st.st_mode, .uid = e->st.st_uid,
		.gid = e->st.st_gid, .mtime = e->st.st_mtime,
		.rmajor = major(e->st.st_rdev), .rminor = minor(e->st.st_rdev),
		.location = location, .nlink = e->nlink, .data = e->data,
		.group_ino = e->group_ino,
	};
	int rc = 0;

	if (S_ISLNK(e->st.st_mode)) {
		ssize_t n = readlink(location, target, sizeof(target) - 1);

		if (n < 0)
			rc = es_fail(&s->b->err, errno, "%s: %s", location, strerror(errno));
		target[n < 0 ? 0 : n] = '\0';
		be.target = target;
	}
	if (rc == 0)
		rc = builder_add(s->b, &be);
	free(location);
	return rc;
}

static void
free_scan(struct scan *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->v[i].rel);
	free(s->v);
	free(s->inos);
}

int
dir_source_add(struct builder *b, const char *root)
{
	struct scan s = { .b = b, .root = root };
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return es_fail(&b->err, errno, "%s: %s", root, strerror(errno));
	rc = scan_dir(&s, fd, "");
	if (rc == 0) {
		qsort(s.v, s.len, sizeof(*s.v), by_path);
		find_hard_links(&s);
	}
	for (size_t i = 0; i < s.len && rc == 0; i++)
		rc = add_scanned(&s, &s.v[i]);
	free_scan(&s);
	return rc;
}
