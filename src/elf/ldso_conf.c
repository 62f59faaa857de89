/*
 * ldso_conf.c - ld.so.conf as ldconfig reads it (glibc elf/ldconfig.c,
 * parse_conf): a '#' starts a comment, blank lines are skipped,
 * "include PATTERN..." reads the files a glob matches (relative patterns
 * from the including file's directory), "hwcap" lines are ignored, and
 * every other line is one directory, with an old "=TYPE" suffix and
 * trailing blanks and slashes dropped. A missing file has no directories,
 * as for ldconfig.
 *
 * Glob matches are sorted bytewise (ldconfig sets LC_COLLATE=C for the
 * same reason: an order that does not depend on the locale). Unlike
 * ldconfig, nesting is limited (LDSO_CONF_MAX_DEPTH), so an include loop
 * is an error rather than a hang, and directories that do not exist are
 * kept (a lookup in them just fails).
 */
#include "elf/ldso.h"
#include "base/strset.h"
#include "base/xalloc.h"

#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct conf {
	char **dirs;
	size_t n, cap;
	struct strset seen;
};

static int read_conf(struct conf *c, const char *path, int depth,
		     struct es_error *e);

static void
add_dir(struct conf *c, char *line)
{
	size_t len;

	line[strcspn(line, "=")] = '\0';
	len = strlen(line);
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
			   line[len - 1] == '\r'))
		line[--len] = '\0';
	while (len > 1 && line[len - 1] == '/')
		line[--len] = '\0';
	if (len == 0 || !strset_add(&c->seen, line))
		return;
	xgrow((void **)&c->dirs, &c->cap, c->n + 2, sizeof(*c->dirs));
	c->dirs[c->n++] = xstrdup(line);
	c->dirs[c->n] = NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One word of an include line. */
static int
include(struct conf *c, const char *from, const char *pattern, int depth,
	struct es_error *e)
{
	char *copy = NULL, *full = NULL;
	glob_t g;
	int rc, err = 0;

	if (pattern[0] != '/' && strchr(from, '/')) {
		copy = xstrdup(from);
		full = xasprintf("%s/%s", dirname(copy), pattern);
		pattern = full;
	}
	rc = glob(pattern, GLOB_NOSORT, NULL, &g);
	if (rc == GLOB_NOSPACE)
		err = es_fail(e, ENOMEM, "%s: include %s: out of memory",
			      from, pattern);
	if (rc == 0) {
		qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv), by_name);
		for (size_t i = 0; !err && i < g.gl_pathc; i++)
			err = read_conf(c, g.gl_pathv[i], depth + 1, e);
	}
	if (rc == 0 || rc == GLOB_NOMATCH)
		globfree(&g);
	free(full);
	free(copy);
	return err;
}

static int
conf_line(struct conf *c, const char *path, char *line, int depth,
	  struct es_error *e)
{
	char *word;
	int err = 0;

	line[strcspn(line, "#\n")] = '\0';
	line += strspn(line, " \t\r\f\v");
	if (line[0] == '\0')
		return 0;
	if (strncmp(line, "include", 7) == 0 &&
	    (line[7] == ' ' || line[7] == '\t')) {
		line += 8;
		while (!err && (word = strsep(&line, " \t")) != NULL)
			if (word[0] != '\0')
				err = include(c, path, word, depth, e);
		return err;
	}
	if (strncasecmp(line, "hwcap", 5) == 0 &&
	    (line[5] == ' ' || line[5] == '\t'))
		return 0;
	add_dir(c, line);
	return 0;
}

static int
read_conf(struct conf *c, const char *path, int depth, struct es_error *e)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	if (depth > LDSO_CONF_MAX_DEPTH)
		return es_fail(e, ELOOP, "%s: includes nested deeper than %d",
			       path, LDSO_CONF_MAX_DEPTH);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 :
		       es_fail(e, errno, "%s: %s", path, strerror(errno));
	while (!err && getline(&line, &cap, f) >= 0)
		err = conf_line(c, path, line, depth, e);
	if (!err && ferror(f))
		err = es_fail(e, EIO, "%s: read error", path);
	free(line);
	fclose(f);
	return err;
}

int
ldso_read_conf(const char *path, char ***dirs, size_t *n, struct es_error *e)
{
	struct conf c = { 0 };
	int err;

	xgrow((void **)&c.dirs, &c.cap, 1, sizeof(*c.dirs));
	c.dirs[0] = NULL;
	err = read_conf(&c, path, 0, e);
	strset_free(&c.seen);
	if (err) {
		ldso_free_dirs(c.dirs, c.n);
		c.dirs = NULL;
		c.n = 0;
	}
	*dirs = c.dirs;
	*n = c.n;
	return err;
}

void
ldso_free_dirs(char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}
