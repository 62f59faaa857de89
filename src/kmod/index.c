/*
 * index.c - loading a modules directory's index: modules.dep (the
 * modules and their dependency closures), modules.builtin and
 * modules.order here; the alias and softdep files in alias.c and
 * softdep.c. Follows depmod's text formats (kmod 30, tools/depmod.c).
 *
 * modules.dep is checked harder than kmod checks it: a dependency must
 * have a line of its own with the same path, a module may appear once,
 * and the dependencies may not form a cycle (depmod refuses to write
 * one; kmod would load such a set in some order and fail in the kernel).
 *
 * The texts come from the moddir's files or from memory
 * (kmod_index_load_texts) through kmod_index_text; each parser takes
 * its file from there, so both loads share one parser. The source
 * travels as a parameter, NULL for files: with link-time optimisation
 * the constant reaches kmod_index_text and the copying branch leaves
 * the target binary.
 *
 * Known limits: a module name may have one line (depmod writes one even
 * when its search path finds several files of that name); modules.order
 * lines are matched to modules by name.
 */
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ko_suffixes[] = { "ko", "ko.xz", "ko.zst", "ko.gz" };

static const char *const index_files[KMOD_FILES] = {
	[KMOD_FILE_DEP] = "modules.dep",
	[KMOD_FILE_BUILTIN] = "modules.builtin",
	[KMOD_FILE_MODINFO] = "modules.builtin.modinfo",
	[KMOD_FILE_ALIAS] = "modules.alias",
	[KMOD_FILE_SYMBOLS] = "modules.symbols",
	[KMOD_FILE_SOFTDEP] = "modules.softdep",
	[KMOD_FILE_ORDER] = "modules.order",
};

const char *
kmod_index_file_name(enum kmod_index_file f)
{
	return index_files[f];
}

/* A copy of given's text of name, as kmod_read_file would read it. */
static int
copy_text(struct kmod_index *ix, const struct kmod_index_texts *given,
	  const char *name, char **text, size_t *len)
{
	size_t f = 0;

	while (f < KMOD_FILES && strcmp(index_files[f], name) != 0)
		f++;
	*text = NULL;
	*len = 0;
	if (f == KMOD_FILES || !given->text[f])
		return -ENOENT;
	if (given->len[f] > KMOD_FILE_MAX)
		return es_fail(&ix->err, EFBIG, "%s/%s: larger than %u bytes",
			       ix->dir, name, KMOD_FILE_MAX);
	*text = xmalloc(given->len[f] + 1);
	memcpy(*text, given->text[f], given->len[f]);
	(*text)[given->len[f]] = '\0';
	*len = given->len[f];
	return 0;
}

int
kmod_index_text(struct kmod_index *ix, const struct kmod_index_texts *given,
		const char *name, char **text, size_t *len)
{
	if (given)
		return copy_text(ix, given, name, text, len);
	return kmod_read_file(ix->dir, name, true, text, len, &ix->err);
}

/* The name of the module file at path into buf, or a message. */
static const char *
module_file_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	if (!kmod_modname(path, buf, size))
		return "no module name in the path";
	base = base ? base + 1 : path;
	dot = strchr(base, '.');
	for (size_t i = 0; dot && i < sizeof(ko_suffixes) / sizeof(ko_suffixes[0]); i++)
		if (strcmp(dot + 1, ko_suffixes[i]) == 0)
			return NULL;
	return "not a .ko, .ko.xz, .ko.zst or .ko.gz file";
}

/* "PATH: DEPS" into a new module; *deps is left at DEPS. */
static int
dep_line_module(struct kmod_index *ix, struct kmod_lines *it, char *line,
		char **deps)
{
	char name[KMOD_PATH_MAX], *colon = strchr(line, ':'), *path;
	struct kmod_module *m;
	const char *why;
	size_t first;

	if (!colon)
		return kmod_lines_fail(it, "no ':' after the module's path");
	*colon = '\0';
	*deps = colon + 1;
	path = kmod_token(&line);
	if (!path || kmod_token(&line))
		return kmod_lines_fail(it, "expected one path before ':'");
	if (strlen(path) >= KMOD_PATH_MAX)
		return kmod_lines_fail(it, "a path longer than %u bytes",
				       KMOD_PATH_MAX - 1);
	if ((why = module_file_name(path, name, sizeof(name))))
		return kmod_lines_fail(it, "%s: %s", path, why);
	if (ix->nmods >= KMOD_MODULES_MAX)
		return kmod_lines_fail(it, "more than %u modules", KMOD_MODULES_MAX);
	if (strset_get(&ix->by_name, name, &first))
		return kmod_lines_fail(it, "module %s again (line %u)", name,
				       ix->mods[first].line);
	strset_put(&ix->by_name, name, ix->nmods);
	m = &ix->mods[ix->nmods++];
	m->name = kmod_keep(ix, xstrdup(name));
	m->path = path;
	m->line = it->line;
	return 0;
}

/* Pass 1: one module a line, its dependency text kept in deps[]. */
static int
dep_modules(struct kmod_index *ix, struct kmod_lines *it, char ***deps)
{
	size_t cap = 0, mcap = 0;
	char *line;
	int rc;

	*deps = NULL;
	while ((rc = kmod_lines_next(it, &line)) > 0) {
		char *p = line;

		while (kmod_blank(*p))
			p++;
		if (!*p || *p == '#')
			continue;
		xgrow((void **)&ix->mods, &mcap, ix->nmods + 1, sizeof(*ix->mods));
		xgrow((void **)deps, &cap, ix->nmods + 1, sizeof(**deps));
		rc = dep_line_module(ix, it, p, &(*deps)[ix->nmods]);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* Pass 2: a module's dependencies as ids appended to ix->dep_ids. */
static int
dep_line_deps(struct kmod_index *ix, uint32_t id, char *text, size_t *n,
	      size_t *cap, const char *dir)
{
	const struct kmod_module *m = &ix->mods[id];
	char name[KMOD_PATH_MAX], *tok;
	size_t dep;

	while ((tok = kmod_token(&text))) {
		if (!kmod_modname(tok, name, sizeof(name)) ||
		    !strset_get(&ix->by_name, name, &dep))
			return es_fail(&ix->err, EINVAL,
				       "%s/modules.dep:%u: dependency %s has no line of its own",
				       dir, m->line, tok);
		if (strcmp(ix->mods[dep].path, tok) != 0)
			return es_fail(&ix->err, EINVAL,
				       "%s/modules.dep:%u: dependency %s is not %s's path %s (line %u)",
				       dir, m->line, tok, name, ix->mods[dep].path,
				       ix->mods[dep].line);
		xgrow((void **)&ix->dep_ids, cap, *n + 1, sizeof(uint32_t));
		ix->dep_ids[(*n)++] = (uint32_t)dep;
	}
	return 0;
}

static int
dep_resolve(struct kmod_index *ix, char **deps)
{
	size_t n = 0, cap = 0, *first = xcalloc(ix->nmods + 1, sizeof(size_t));
	int rc = 0;

	for (uint32_t i = 0; i < ix->nmods && rc == 0; i++) {
		first[i] = n;
		rc = dep_line_deps(ix, i, deps[i], &n, &cap, ix->dir);
	}
	first[ix->nmods] = n;
	/* dep_ids moved while it grew: point into it only now. */
	for (uint32_t i = 0; i < ix->nmods && rc == 0; i++) {
		/* No module with a dependency: dep_ids is NULL. */
		ix->mods[i].deps = ix->dep_ids ? ix->dep_ids + first[i] : NULL;
		ix->mods[i].ndeps = (uint32_t)(first[i + 1] - first[i]);
	}
	free(first);
	return rc;
}

/* "a -> b -> a" for the cycle that stack[from..depth) and back makes. */
static int
cycle_fail(struct kmod_index *ix, const uint32_t *stack, size_t from,
	   size_t depth)
{
	char msg[768];
	size_t len = 0;

	msg[0] = '\0';
	for (size_t i = from; i <= depth && len < sizeof(msg); i++) {
		const char *name = ix->mods[stack[i < depth ? i : from]].name;

		len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s",
					i > from ? " -> " : "", name);
	}
	return es_fail(&ix->err, EINVAL, "%s/modules.dep:%u: dependency cycle: %s",
		       ix->dir, ix->mods[stack[from]].line, msg);
}

/* Depth-first over the dependency graph, without recursion: a
 * module's colour is 0 unseen, 1 on the stack, 2 done. */
static int
dep_cycles(struct kmod_index *ix)
{
	unsigned char *colour = xcalloc(ix->nmods + 1, 1);
	uint32_t *stack = xmalloc((ix->nmods + 1) * sizeof(uint32_t));
	uint32_t *next = xmalloc((ix->nmods + 1) * sizeof(uint32_t));
	int rc = 0;

	for (uint32_t root = 0; root < ix->nmods && rc == 0; root++) {
		size_t depth = 0;

		if (colour[root])
			continue;
		stack[0] = root;
		next[0] = 0;
		colour[root] = 1;
		while (depth != (size_t)-1 && rc == 0) {
			const struct kmod_module *m = &ix->mods[stack[depth]];
			uint32_t d;

			if (next[depth] == m->ndeps) {
				colour[stack[depth]] = 2;
				depth--;
				continue;
			}
			d = m->deps[next[depth]++];
			if (colour[d] == 1) {
				size_t from = depth;

				while (stack[from] != d)
					from--;
				rc = cycle_fail(ix, stack, from, depth + 1);
			} else if (colour[d] == 0) {
				colour[d] = 1;
				stack[++depth] = d;
				next[depth] = 0;
			}
		}
	}
	free(colour);
	free(stack);
	free(next);
	return rc;
}

static int
load_dep(struct kmod_index *ix, const struct kmod_index_texts *given)
{
	struct kmod_lines it;
	size_t len;
	char **deps = NULL;
	int rc = kmod_index_text(ix, given, "modules.dep", &ix->dep_text, &len);

	if (rc == -ENOENT)
		return es_fail(&ix->err, ENOENT, "%s: no modules.dep (run depmod)",
			       ix->dir);
	if (rc < 0)
		return rc;
	kmod_lines_init(&it, ix->dep_text, len, ix->dir, "modules.dep", &ix->err);
	rc = dep_modules(ix, &it, &deps);
	if (rc == 0)
		rc = dep_resolve(ix, deps);
	if (rc == 0)
		rc = dep_cycles(ix);
	free(deps);
	return rc;
}

uint32_t
kmod_builtin_add(struct kmod_index *ix, const char *name, bool listed)
{
	size_t id;

	if (strset_get(&ix->builtin_by_name, name, &id)) {
		ix->builtins[id].listed |= listed;
		return (uint32_t)id;
	}
	xgrow((void **)&ix->builtins, &ix->builtins_cap, ix->nbuiltins + 1,
	      sizeof(*ix->builtins));
	id = ix->nbuiltins++;
	ix->builtins[id].name = kmod_keep(ix, xstrdup(name));
	ix->builtins[id].listed = listed;
	strset_put(&ix->builtin_by_name, name, id);
	return (uint32_t)id;
}

/* modules.builtin, kept whole, its lines read from a copy. */
static int
load_builtin(struct kmod_index *ix, const struct kmod_index_texts *given)
{
	char *copy, *line, name[KMOD_PATH_MAX];
	struct kmod_lines it;
	int rc = kmod_index_text(ix, given, "modules.builtin", &ix->builtin_text,
				 &ix->builtin_len);

	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	copy = xstrndup(ix->builtin_text, ix->builtin_len);
	kmod_lines_init(&it, copy, ix->builtin_len, ix->dir, "modules.builtin",
			&ix->err);
	while ((rc = kmod_lines_next(&it, &line)) > 0) {
		char *path = kmod_token(&line);

		if (!path || *path == '#')
			continue;
		if (kmod_token(&line))
			rc = kmod_lines_fail(&it, "expected one path");
		else if (!kmod_modname(path, name, sizeof(name)))
			rc = kmod_lines_fail(&it, "%s: no module name in the path", path);
		if (rc < 0)
			break;
		kmod_builtin_add(ix, name, true);
	}
	free(copy);
	return rc;
}

static int
load_order(struct kmod_index *ix, const struct kmod_index_texts *given)
{
	char *line, name[KMOD_PATH_MAX];
	struct kmod_lines it;
	size_t len, cap = 0, id;
	int rc = kmod_index_text(ix, given, "modules.order", &ix->order_text, &len);

	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	ix->has_order = true;
	kmod_lines_init(&it, ix->order_text, len, ix->dir, "modules.order", &ix->err);
	while ((rc = kmod_lines_next(&it, &line)) > 0) {
		char *path = kmod_token(&line);

		if (!path || *path == '#')
			continue;
		if (kmod_token(&line) || !kmod_modname(path, name, sizeof(name)))
			return kmod_lines_fail(&it, "expected one module path");
		xgrow((void **)&ix->order, &cap, ix->norder + 1, sizeof(*ix->order));
		ix->order[ix->norder++] = path;
	}
	ix->order_ids = xmalloc((ix->norder + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < ix->norder; i++) {
		kmod_modname(ix->order[i], name, sizeof(name));
		ix->order_ids[i] = strset_get(&ix->by_name, name, &id) ?
			(uint32_t)id : UINT32_MAX;
	}
	return rc;
}

/* The one loading path; given: NULL for moddir's files. */
static int
index_load(struct kmod_index *ix, const char *moddir,
	   const struct kmod_index_texts *given, unsigned flags)
{
	int rc;

	memset(ix, 0, sizeof(*ix));
	ix->dir = xstrdup(moddir);
	ix->flags = flags;
	rc = load_dep(ix, given);
	if (rc == 0)
		rc = load_builtin(ix, given);
	if (rc == 0)
		rc = kmod_modinfo_load(ix, given);
	if (rc == 0)
		rc = kmod_alias_file_load(ix, given, &ix->aliases, "modules.alias");
	if (rc == 0)
		rc = kmod_alias_file_load(ix, given, &ix->symbols, "modules.symbols");
	if (rc == 0)
		rc = kmod_softdep_load(ix, given);
	if (rc == 0)
		rc = load_order(ix, given);
	return rc;
}

int
kmod_index_load(struct kmod_index *ix, const char *moddir, unsigned flags)
{
	return index_load(ix, moddir, NULL, flags);
}

int
kmod_index_load_texts(struct kmod_index *ix, const char *moddir,
		      const struct kmod_index_texts *texts, unsigned flags)
{
	return index_load(ix, moddir, texts, flags);
}

void
kmod_index_free(struct kmod_index *ix)
{
	kmod_alias_table_free(&ix->aliases);
	kmod_alias_table_free(&ix->symbols);
	kmod_alias_table_free(&ix->builtin_aliases);
	kmod_softdep_free(ix);
	strset_free(&ix->by_name);
	strset_free(&ix->builtin_by_name);
	for (size_t i = 0; i < ix->nnames; i++)
		free(ix->names[i]);
	free(ix->names);
	free(ix->mods);
	free(ix->dep_ids);
	free(ix->dep_text);
	free(ix->builtins);
	free(ix->builtin_text);
	free(ix->modinfo_text);
	free(ix->order);
	free(ix->order_ids);
	free(ix->order_text);
	free(ix->dir);
	memset(ix, 0, sizeof(*ix));
}

long
kmod_index_find(const struct kmod_index *ix, const char *name)
{
	char buf[KMOD_PATH_MAX];
	size_t id;

	if (!kmod_modname(name, buf, sizeof(buf)) ||
	    !strset_get(&ix->by_name, buf, &id))
		return -1;
	return (long)id;
}

long
kmod_index_find_builtin(const struct kmod_index *ix, const char *name)
{
	char buf[KMOD_PATH_MAX];
	size_t id;

	if (!kmod_modname(name, buf, sizeof(buf)) ||
	    !strset_get(&ix->builtin_by_name, buf, &id) ||
	    !ix->builtins[id].listed)
		return -1;
	return (long)id;
}

bool
kmod_index_file(const struct kmod_index *ix, uint32_t id, char *buf,
		size_t size)
{
	const char *path = ix->mods[id].path;
	int n = path[0] == '/' ? snprintf(buf, size, "%s", path) :
		snprintf(buf, size, "%s/%s", ix->dir, path);

	return n >= 0 && (size_t)n < size;
}
