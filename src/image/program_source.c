/*
 * program_source.c - a program in the image with everything running it
 * opens (elf/closure.h): its #! interpreter, its ELF interpreter, its
 * libraries, each under its host name with the host's symlinks.
 */
#include "image/compose.h"
#include "base/xalloc.h"
#include "elf/closure.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Searched for a program named without a '/' when PATH is unset. */
#define PROGRAM_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The loader's configuration is read once, for every program. */
static int
open_closure(struct composer *c)
{
	static const struct ldso_config host = LDSO_CONFIG_HOST;
	struct es_error e = { 0 };

	if (c->programs)
		return 0;
	c->programs = xcalloc(1, sizeof(*c->programs));
	if (elf_closure_init(c->programs, &host, &e) < 0)
		return es_fail(&c->b->err, e.code, "%s", e.msg);
	return 0;
}

/* The program's absolute host path: a bare name is looked up in PATH,
 * as a shell would, a relative path taken from the current directory
 * (without resolving its symlinks: they are mirrored). */
static char *
program_path(struct composer *c, const char *path)
{
	const char *dirs = getenv("PATH");
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return xstrdup(path);
	if (strchr(path, '/')) {
		if (!getcwd(cwd, sizeof(cwd))) {
			es_fail(&c->b->err, errno, "%s: %s", path, strerror(errno));
			return NULL;
		}
		return xasprintf("%s/%s", cwd, path);
	}
	if (!dirs || !*dirs)
		dirs = PROGRAM_DEFAULT_PATH;
	for (const char *d = dirs; *d;) {
		size_t n = strcspn(d, ":");
		char *cand = xasprintf("%.*s/%s", (int)n, d, path);

		if (cand[0] == '/' && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		d += n + (d[n] == ':');
	}
	es_fail(&c->b->err, ENOENT, "%s: not found in PATH (%s)", path, dirs);
	return NULL;
}

int
composer_program(struct composer *c, const char *arg, const char *name)
{
	struct es_error e = { 0 };
	size_t first;
	char *path;
	int rc = open_closure(c);

	if (rc < 0)
		return rc;
	if (!(path = program_path(c, arg)))
		return -ENOENT;
	first = c->programs->len;
	if (elf_closure_add(c->programs, path, &e) < 0) {
		free(path);
		return es_fail(&c->b->err, e.code, "%s", e.msg);
	}
	/* The program under its own name when it has one; the files it
	 * brought (none if an earlier program brought it) as the host
	 * has them. */
	if (name)
		rc = compose_file_as(c, path, name, 0);
	for (size_t i = first; i < c->programs->len && rc == 0; i++) {
		const struct elf_dep *d = &c->programs->deps[i];

		if (!(name && d->kind == ELF_DEP_PROGRAM))
			rc = compose_host_file(c, d->path, NULL, 0);
	}
	free(path);
	return rc;
}

void
composer_programs_free(struct composer *c)
{
	if (c->programs)
		elf_closure_free(c->programs);
	free(c->programs);
}
