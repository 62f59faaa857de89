/*
 * text.c - reading the index files: a file read whole, its lines and
 * blank-separated tokens, and kmod's spelling of module names and
 * aliases (kmod's shared/util.c modname_normalize and alias_normalize:
 * a name ends at its first '.', '-' is '_' except in [...] brackets).
 */
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads size bytes (the size fstat gave; a file that shrank meanwhile
 * gives fewer). */
static int
read_all(int fd, char *buf, size_t size, size_t *got)
{
	size_t n = 0;

	while (n < size) {
		ssize_t r = read(fd, buf + n, size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*got = n;
	return 0;
}

int
kmod_read_file(const char *dir, const char *name, bool optional,
	       char **text, size_t *len, struct es_error *err)
{
	char path[2 * KMOD_PATH_MAX];
	struct stat st;
	int fd, rc;

	*text = NULL;
	*len = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return es_fail(err, ENAMETOOLONG, "%s/%s: path too long", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && optional)
		return -ENOENT;
	if (fd < 0)
		return es_fail(err, errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = es_fail(err, errno, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		rc = es_fail(err, EINVAL, "%s: not a regular file", path);
	} else if ((unsigned long long)st.st_size > KMOD_FILE_MAX) {
		rc = es_fail(err, EFBIG, "%s: larger than %u bytes", path,
			     KMOD_FILE_MAX);
	} else {
		*text = xmalloc((size_t)st.st_size + 1);
		rc = read_all(fd, *text, (size_t)st.st_size, len);
		if (rc < 0)
			es_fail(err, -rc, "%s: %s", path, strerror(-rc));
		(*text)[*len] = '\0';
	}
	close(fd);
	return rc;
}

void
kmod_lines_init(struct kmod_lines *it, char *text, size_t len,
		const char *dir, const char *file, struct es_error *err)
{
	it->p = text;
	it->end = text ? text + len : NULL;
	it->line = 0;
	it->dir = dir;
	it->file = file;
	it->err = err;
}

int
kmod_lines_next(struct kmod_lines *it, char **line)
{
	char *nl;

	if (!it->p || it->p >= it->end)
		return 0;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	if (!nl)
		nl = it->end;	/* a last line without its newline */
	*nl = '\0';
	it->line++;
	*line = it->p;
	it->p = nl + 1;
	if (strlen(*line) != (size_t)(nl - *line))
		return kmod_lines_fail(it, "NUL byte in the line");
	return 1;
}

int
kmod_lines_fail(const struct kmod_lines *it, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return es_fail(it->err, EINVAL, "%s/%s:%u: %s", it->dir, it->file,
		       it->line, msg);
}

bool
kmod_blank(char c)
{
	return c == ' ' || c == '\t';
}

char *
kmod_token(char **s)
{
	char *p = *s, *t;

	while (kmod_blank(*p))
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	t = p;
	while (*p && !kmod_blank(*p))
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return t;
}

char *
kmod_keep(struct kmod_index *ix, char *s)
{
	xgrow((void **)&ix->names, &ix->names_cap, ix->nnames + 1,
	      sizeof(char *));
	ix->names[ix->nnames++] = s;
	return s;
}

bool
kmod_modname(const char *s, char *buf, size_t size)
{
	const char *base = strrchr(s, '/');
	size_t i;

	if (!size)
		return false;
	base = base ? base + 1 : s;
	for (i = 0; base[i] && base[i] != '.'; i++) {
		if (i + 1 >= size)
			return false;
		buf[i] = base[i] == '-' ? '_' : base[i];
	}
	buf[i] = '\0';
	return i > 0;
}

bool
kmod_alias_normalize(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i + 1 >= size || s[i] == ']')
			return false;
		if (s[i] != '[') {
			buf[i] = s[i] == '-' ? '_' : s[i];
			continue;
		}
		/* A bracket expression is copied as it is, up to its ']'. */
		for (; s[i] && s[i] != ']'; i++) {
			if (i + 1 >= size)
				return false;
			buf[i] = s[i];
		}
		if (!s[i] || i + 1 >= size)
			return false;
		buf[i] = ']';
	}
	buf[i] = '\0';
	return true;
}
