/* compose.c - see compose.h: host files, mirrored symlinks, image names. */
#include "image/compose.h"
#include "base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Symlinks followed for one name, as the kernel's MAXSYMLINKS. */
#define COMPOSE_MAX_LINKS 40

void
composer_init(struct composer *c, struct builder *b,
	      const struct compose_options *opt)
{
	memset(c, 0, sizeof(*c));
	c->b = b;
	c->opt = *opt;
}

void
composer_free(struct composer *c)
{
	composer_programs_free(c);
	module_set_free(c->modules);
	strset_free(&c->added);
	strset_free(&c->links);
	for (size_t i = 0; i < c->ntargets; i++)
		free(c->targets[i]);
	free(c->targets);
	free(c->kver);
	free(c->requests);
}

int
composer_finish(struct composer *c)
{
	int rc = composer_modules_finish(c);

	return rc < 0 ? rc : composer_kinit_finish(c);
}

const char *
composer_kver(struct composer *c)
{
	struct utsname u;

	if (c->kver)
		return c->kver;
	if (c->opt.kver) {
		c->kver = xstrdup(c->opt.kver);
	} else if (c->opt.moddir) {
		char *dir = xstrdup(c->opt.moddir), *end = dir + strlen(dir);

		while (end > dir + 1 && end[-1] == '/')
			*--end = '\0';
		c->kver = xstrdup(strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir);
		free(dir);
	} else {
		c->kver = xstrdup(uname(&u) == 0 ? u.release : "unknown");
	}
	return c->kver;
}

/* "/a//b/./c/../d" -> "/a/b/d"; ".." at the root stays at the root. */
static char *
normalize(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t len = 0;

	for (const char *s = path; *s;) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (len && out[--len] != '/')
				;
		} else if (n && !(n == 1 && s[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, s, n);
			len += n;
		}
		s += n + (s[n] == '/');
	}
	if (!len)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

/* target read from the link at path, as an absolute path, with rest
 * appended (rest: "" or the components after the link). */
static char *
follow(const char *path, const char *target, const char *rest)
{
	char *dir = xstrdup(path), *joined, *norm;

	*strrchr(dir, '/') = '\0';
	joined = target[0] == '/' ? xasprintf("%s/%s", target, rest) :
				    xasprintf("%s/%s/%s", dir, target, rest);
	norm = normalize(joined);
	free(joined);
	free(dir);
	return norm;
}

/* name with its directories resolved through the image's symlinks. */
static char *
image_name(struct composer *c, const char *name)
{
	char *cur = normalize(name);

	for (int depth = 0; depth < COMPOSE_MAX_LINKS; depth++) {
		char *slash = cur, *next = NULL;
		size_t i;

		while (!next && (slash = strchr(slash + 1, '/'))) {
			*slash = '\0';
			if (strset_get(&c->links, cur, &i))
				next = follow(cur, c->targets[i], slash + 1);
			*slash = '/';
		}
		if (!next)
			return cur;
		free(cur);
		cur = next;
	}
	return cur;	/* a loop in the image's links: leave it be */
}

static int
fail_errno(struct composer *c, const char *path)
{
	return es_fail(&c->b->err, errno, "%s: %s", path, strerror(errno));
}

static int
add_link(struct composer *c, const char *name, const char *target,
	 int64_t mtime)
{
	if (!strset_add(&c->added, name))
		return 0;
	xgrow((void **)&c->targets, &c->targets_cap, c->ntargets + 1,
	      sizeof(char *));
	c->targets[c->ntargets] = xstrdup(target);
	strset_put(&c->links, name, c->ntargets++);
	return builder_add(c->b, &(struct build_entry){
		.name = name, .mode = S_IFLNK | 0777, .mtime = mtime,
		.target = target,
	});
}

int
compose_file_as(struct composer *c, const char *location, const char *name,
		uint32_t mode)
{
	char *iname = image_name(c, name);
	struct stat st;
	int rc = 0;

	if (strset_add(&c->added, iname)) {
		if (stat(location, &st) < 0)
			rc = fail_errno(c, location);
		else
			rc = builder_add(c->b, &(struct build_entry){
				.name = iname, .location = location,
				.mode = S_IFREG | (mode ? mode : st.st_mode & 07777),
				.mtime = BUILD_NO_MTIME, .nlink = 1, .data = true,
			});
	}
	free(iname);
	return rc;
}

int
compose_bytes_as(struct composer *c, const char *name, const void *p, size_t n)
{
	char *iname = image_name(c, name);
	int rc = 0;

	if (strset_add(&c->added, iname))
		rc = builder_add(c->b, &(struct build_entry){
			.name = iname, .mode = S_IFREG | 0644,
			.mtime = BUILD_NO_MTIME, .bytes = p,
			.nbytes = (uint32_t)n, .nlink = 1, .data = true,
		});
	free(iname);
	return rc;
}

/* One component p of a host path, rest the components after it (NULL:
 * p is the file). 0: a directory, go on; 1: done, with *next the path
 * to mirror next when p was a symlink; or -errno. Where the image has a
 * directory in a symlink's place, the file goes below that directory
 * (the link could not replace it) and nothing is next. */
static int
mirror_step(struct composer *c, const char *p, const char *rest, uint32_t mode,
	    char **next)
{
	char target[PATH_MAX], *name;
	struct stat st;
	ssize_t n;
	int rc;

	if (lstat(p, &st) < 0)
		return fail_errno(c, p);
	if (S_ISDIR(st.st_mode) && rest)
		return 0;
	if (S_ISREG(st.st_mode) && !rest)
		return compose_file_as(c, p, p, mode) ?: 1;
	if (!S_ISLNK(st.st_mode))
		return es_fail(&c->b->err, rest ? ENOTDIR : EINVAL, "%s: %s", p,
			       rest ? "not a directory" : "not a regular file");
	if ((n = readlink(p, target, sizeof(target) - 1)) < 0)
		return fail_errno(c, p);
	target[n] = '\0';
	*next = follow(p, target, rest ? rest : "");
	if (!rest || !builder_has_dir(c->b, p))
		return add_link(c, p, target, st.st_mtime) ?: 1;
	name = xasprintf("%s/%s", p, rest);
	rc = compose_file_as(c, *next, name, mode);
	free(name);
	free(*next);
	*next = NULL;
	return rc ?: 1;
}

/* Walks path's components on the host: a symlink is added as it is and
 * followed, the file at the end is added under its own name. */
static int
mirror(struct composer *c, const char *path, uint32_t mode, int depth)
{
	char *p = xstrdup(path), *slash = p, *next = NULL;
	int rc = 0;

	while (rc == 0) {
		slash = strchr(slash + 1, '/');
		if (slash)
			*slash = '\0';
		rc = mirror_step(c, p, slash ? slash + 1 : NULL, mode, &next);
		if (slash)
			*slash = '/';
	}
	free(p);
	if (rc > 0 && next)
		rc = depth < COMPOSE_MAX_LINKS ? mirror(c, next, mode, depth + 1) :
			es_fail(&c->b->err, ELOOP, "%s: %s", path, strerror(ELOOP));
	free(next);
	return rc < 0 ? rc : 0;
}

int
compose_host_file(struct composer *c, const char *path, const char *name,
		  uint32_t mode)
{
	char *norm;
	int rc;

	if (name)
		return compose_file_as(c, path, name, mode);
	if (path[0] != '/')
		return es_fail(&c->b->err, EINVAL, "%s: not an absolute path", path);
	norm = normalize(path);
	rc = mirror(c, norm, mode, 0);
	free(norm);
	return rc;
}
