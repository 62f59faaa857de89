/*
 * check_modules.c - the kernel modules of an image: does every module
 * that lib/modules/RELEASE/modules.dep lists, and that is in the image,
 * have its dependencies there (modprobe loads them first, and fails if
 * one is missing); with a kernel release, is every module built for it
 * (the kernel refuses a module whose vermagic is not its own: "version
 * magic ... should be ...", kernel/module/main.c).
 *
 * modules.dep lines are "PATH: DEP...", paths relative to the modules
 * directory or absolute (kmod's format, index.h). A module listed but
 * absent is only counted: depmod on the host lists every module, and an
 * image may hold few of them on purpose. vermagic findings are grouped
 * by vermagic string, so a whole set built for another kernel is one
 * finding, not thousands.
 *
 * Limits: modules.builtin, softdeps and aliases are not read; modules
 * outside lib/modules are not looked at.
 */
#include "image/check_internal.h"
#include "base/xalloc.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Distinct vermagic strings (or read errors) kept apart; more share
 * the last group. */
#define VERMAGIC_GROUPS 32

struct group {
	const char *key;	/* vermagic, or the read error */
	bool error;
	size_t count;
	size_t first;		/* node */
};

static bool
present(const struct tree *t, const char *path)
{
	size_t node;

	return tree_lookup(t, path, true, &node) == 0 &&
	       S_ISREG(tree_inode_of(t, node)->mode);
}

static char *
module_path(const char *moddir, const char *mod)
{
	return *mod == '/' ? xstrdup(mod) : xasprintf("%s/%s", moddir, mod);
}

/* One line's module, if it is in the image: its missing dependencies. */
static void
check_line(const struct tree *t, const char *moddir, char *line,
	   size_t *listed, size_t *absent, char **first_absent,
	   struct check_report *rep)
{
	char *colon = strchr(line, ':'), *mod, *dep, *save, *missing = NULL;
	size_t node;

	if (!colon)
		return;
	*colon = '\0';
	mod = module_path(moddir, line);
	(*listed)++;
	if (!present(t, mod)) {
		if (!(*absent)++)
			*first_absent = xstrdup(mod);
		free(mod);
		return;
	}
	for (dep = strtok_r(colon + 1, " \t\r", &save); dep;
	     dep = strtok_r(NULL, " \t\r", &save)) {
		char *p = module_path(moddir, dep), *s;

		if (!present(t, p)) {
			s = xasprintf("%s%s%s", missing ? missing : "", missing ? ", " : "", p);
			free(missing);
			missing = s;
		}
		free(p);
	}
	if (missing) {
		tree_lookup(t, mod, true, &node);
		check_add(rep, CHECK_WARNING, "module-dep-missing",
			  &tree_inode_of(t, node)->from, mod,
			  "needs %s (modules.dep), not in the image: modprobe cannot load it",
			  missing);
	}
	free(missing);
	free(mod);
}

static void
check_dep_file(const struct tree *t, size_t node, const char *path,
	       struct check_report *rep)
{
	const struct check_file *f = check_file_of(t, node);
	const struct tree_inode *in = tree_inode_of(t, node);
	char *moddir, *text, *line, *save, *first_absent = NULL;
	size_t listed = 0, absent = 0;

	if (in->size == 0)
		return;
	if (!f || !f->text) {
		check_add(rep, CHECK_WARNING, "modules-dep-unreadable", &in->from, path,
			  "not read: over %u MiB or not text", CHECK_TEXT_MAX >> 20);
		return;
	}
	moddir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	text = xstrdup(f->text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		check_line(t, moddir, line, &listed, &absent, &first_absent, rep);
	if (absent)
		check_add(rep, CHECK_NOTE, "modules-listed-missing", &in->from, path,
			  "%zu of the %zu modules it lists are not in the image (the first: %s): modprobe cannot load those",
			  absent, listed, first_absent);
	free(first_absent);
	free(text);
	free(moddir);
}

static bool
is_dep_path(const char *path)
{
	return !fnmatch("/lib/modules/*/modules.dep", path, FNM_PATHNAME) ||
	       !fnmatch("/usr/lib/modules/*/modules.dep", path, FNM_PATHNAME);
}

static void
add_to_group(struct group *g, size_t *n, const char *key, bool error, size_t node)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (g[i].error == error && !strcmp(g[i].key, key))
			break;
	if (i == *n && *n == VERMAGIC_GROUPS)
		i = *n - 1;
	else if (i == *n)
		g[(*n)++] = (struct group){ key, error, 0, node };
	g[i].count++;
}

static void
report_group(const struct tree *t, const struct group *g, const char *kver,
	     struct check_report *rep)
{
	char *path = tree_path(t, g->first);
	const struct tree_inode *in = tree_inode_of(t, g->first);

	if (g->error)
		check_add(rep, CHECK_WARNING, "module-unreadable", &in->from, path,
			  "its vermagic could not be read: %s (%zu module%s like this)",
			  g->key, g->count, g->count > 1 ? "s" : "");
	else
		check_add(rep, CHECK_ERROR, "module-vermagic", &in->from, path,
			  "vermagic '%s' is not kernel %s's: the kernel refuses it (%zu module%s like this)",
			  g->key, kver, g->count, g->count > 1 ? "s" : "");
	free(path);
}

static void
check_vermagic(const struct tree *t, const char *kver, struct check_report *rep)
{
	struct group g[VERMAGIC_GROUPS];
	size_t n = 0, len = strlen(kver);

	for (size_t i = 0; i < t->nnodes; i++) {
		const struct check_file *f = check_file_of(t, i);

		if (!f || !f->module)
			continue;
		if (!f->vermagic)
			add_to_group(g, &n, f->module_error, true, i);
		else if (strncmp(f->vermagic, kver, len) || f->vermagic[len] != ' ')
			add_to_group(g, &n, f->vermagic, false, i);
	}
	for (size_t i = 0; i < n; i++)
		report_group(t, &g[i], kver, rep);
}

void
check_modules(const struct tree *t, const struct check_opts *o,
	      struct check_report *rep)
{
	for (size_t i = 0; i < t->nnodes; i++) {
		char *path;

		if (t->nodes[i].inode == TREE_NONE ||
		    strcmp(t->nodes[i].name, "modules.dep"))
			continue;
		path = tree_path(t, i);
		if (is_dep_path(path))
			check_dep_file(t, i, path, rep);
		free(path);
	}
	if (o->kver)
		check_vermagic(t, o->kver, rep);
}
