/*
 * resolve.c - requests to a load list in kmod 30's order; resolve.h
 * describes the order, the look-up and the messages.
 *
 * A "ref" is what kmod calls a struct kmod_module: a module (or a
 * built-in one) together with the alias it was found by, if any. kmod
 * marks refs visited, and a module found by name and the same module
 * found by an alias are two refs to it; the visited set is keyed the
 * same way ("name" or "name\alias") so the repeats come out as kmod's.
 * Recursion happens only through softdeps, each ref probed at most once
 * a probe, and KMOD_DEPTH_MAX bounds the nesting.
 */
#include "kmod/resolve.h"
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ref {
	uint32_t id;
	bool builtin;
	const char *alias;	/* the normalised query that found it, or NULL */
};

static int probe(struct kmod_resolver *r, const struct ref *m);

static const char *
ref_name(const struct kmod_index *ix, const struct ref *m)
{
	return m->builtin ? ix->builtins[m->id].name : ix->mods[m->id].name;
}

const char *
kmod_step_name(const struct kmod_index *ix, const struct kmod_step *s)
{
	return s->kind == KMOD_STEP_BUILTIN ? ix->builtins[s->id].name :
		ix->mods[s->id].name;
}

/* "NAME: PROBLEM, softdep of A, dependency of B, for REQUEST" */
static char *
chain_msg(const struct kmod_resolver *r, const char *name, const char *problem)
{
	char msg[sizeof(r->err.msg)];
	const char *outer = r->depth ? r->chain[0].name : name;
	size_t len = (size_t)snprintf(msg, sizeof(msg), "%s: %s", name, problem);

	for (unsigned i = r->depth; i-- > 0 && len < sizeof(msg);)
		len += (size_t)snprintf(msg + len, sizeof(msg) - len, ", %s %s",
					r->chain[i].rel, r->chain[i].name);
	if (strcmp(outer, r->request) != 0 && len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, ", for %s", r->request);
	return xstrdup(msg);
}

static int
fail_chain(struct kmod_resolver *r, int code, const char *name,
	   const char *problem)
{
	char *msg = chain_msg(r, name, problem);

	es_fail(&r->err, code, "%s", msg);
	free(msg);
	return -code;
}

static int
push(struct kmod_resolver *r, const char *rel, const char *name)
{
	if (r->depth >= sizeof(r->chain) / sizeof(r->chain[0]))
		return fail_chain(r, ELOOP, name, "softdeps nested too deep");
	r->chain[r->depth++] = (struct kmod_frame){ rel, name };
	return 0;
}

/* A softdep naming nothing: a warning (once), or with
 * KMOD_RESOLVE_STRICT_SOFTDEPS an error. */
static int
missing_softdep(struct kmod_resolver *r, const char *name, const char *problem)
{
	char key[sizeof(r->err.msg)], *msg;
	size_t len;

	if (r->flags & KMOD_RESOLVE_STRICT_SOFTDEPS)
		return fail_chain(r, ENOENT, name, problem);
	/* Once per name and module asking: "NAME: PROBLEM, softdep of M" */
	len = (size_t)snprintf(key, sizeof(key), "%s: %s, %s %s", name, problem,
			       r->chain[r->depth - 1].rel,
			       r->chain[r->depth - 1].name);
	for (size_t i = 0; i < r->nwarnings && len < sizeof(key); i++)
		if (strncmp(r->warnings[i], key, len) == 0 &&
		    (r->warnings[i][len] == ',' || !r->warnings[i][len]))
			return 0;
	msg = chain_msg(r, name, problem);
	xgrow((void **)&r->warnings, &r->warnings_cap, r->nwarnings + 1,
	      sizeof(char *));
	r->warnings[r->nwarnings++] = msg;
	return 0;
}

/* The refs of q's look-up (see lookup.c), into *out (caller frees). */
static size_t
lookup(const struct kmod_index *ix, const char *q, struct ref **out)
{
	struct kmod_step *found;
	bool by_alias;
	size_t n = kmod_lookup(ix, q, &found, &by_alias);

	*out = xmalloc((n + 1) * sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = (struct ref){ found[i].id,
			found[i].kind == KMOD_STEP_BUILTIN, by_alias ? q : NULL };
	free(found);
	return n;
}

/* With KMOD_INDEX_CHECK_FILES: the module's file is there. */
static int
check_file(struct kmod_resolver *r, uint32_t id)
{
	const struct kmod_index *ix = r->ix;
	char path[2 * KMOD_PATH_MAX], problem[3 * KMOD_PATH_MAX];
	struct stat st;

	if (!(ix->flags & KMOD_INDEX_CHECK_FILES))
		return 0;
	if (!r->file_ok[id]) {
		bool there = kmod_index_file(ix, id, path, sizeof(path)) &&
			stat(path, &st) == 0 && S_ISREG(st.st_mode);

		r->file_ok[id] = there ? 1 : -1;
	}
	if (r->file_ok[id] > 0)
		return 0;
	if (ix->mods[id].path[0] == '/')
		snprintf(problem, sizeof(problem), "no file %s", ix->mods[id].path);
	else
		snprintf(problem, sizeof(problem), "no file %s in %s",
			 ix->mods[id].path, ix->dir);
	return fail_chain(r, ENOENT, ix->mods[id].name, problem);
}

static int
append(struct kmod_resolver *r, const struct ref *m)
{
	unsigned char *seen = m->builtin ? r->seen_builtin : r->seen_mod;
	int rc = m->builtin ? 0 : check_file(r, m->id);

	if (rc < 0)
		return rc;
	if (!(r->flags & KMOD_RESOLVE_REPEATS)) {
		if (seen[m->id])
			return 0;
		seen[m->id] = 1;
	}
	xgrow((void **)&r->steps, &r->steps_cap, r->nsteps + 1, sizeof(*r->steps));
	r->steps[r->nsteps++] = (struct kmod_step){
		m->id, m->builtin ? KMOD_STEP_BUILTIN : KMOD_STEP_LOAD };
	return 0;
}

/* One softdep name: every module it names, probed in full. */
static int
softdep(struct kmod_resolver *r, const char *name)
{
	size_t size = strlen(name) + 1, n;
	char *q = xmalloc(size);	/* on the heap: this recurses */
	struct ref *refs;
	int rc = 0;

	if (!kmod_alias_normalize(name, q, size)) {
		free(q);
		return missing_softdep(r, name, "unmatched bracket");
	}
	n = lookup(r->ix, q, &refs);
	if (!n)
		rc = missing_softdep(r, name, "no module or alias");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = probe(r, &refs[i]);
	free(refs);
	free(q);
	return rc;
}

static int
softdeps(struct kmod_resolver *r, const struct ref *m, char *const *names,
	 uint32_t n)
{
	int rc;

	if (!n)
		return 0;
	if ((rc = push(r, "softdep of", ref_name(r->ix, m))) < 0)
		return rc;
	for (uint32_t i = 0; i < n && rc == 0; i++)
		rc = softdep(r, names[i]);
	r->depth--;
	return rc;
}

/* kmod's __kmod_module_fill_softdep: pre softdeps, m, post softdeps. */
static int
with_softdeps(struct kmod_resolver *r, const struct ref *m)
{
	const struct kmod_softdep *sd = kmod_softdep_find(r->ix, ref_name(r->ix, m));
	int rc = sd ? softdeps(r, m, sd->pre, sd->npre) : 0;

	if (rc == 0)
		rc = append(r, m);
	if (rc == 0 && sd)
		rc = softdeps(r, m, sd->post, sd->npost);
	return rc;
}

/* kmod's __kmod_module_get_probe_list: once a probe, the dependencies
 * (modules.dep's list reversed), then m, each with its softdeps. */
static int
probe(struct kmod_resolver *r, const struct ref *m)
{
	const struct kmod_module *mod;
	char *key = xasprintf("%s%s%s", ref_name(r->ix, m), m->alias ? "\\" : "",
			      m->alias ? m->alias : "");
	bool first = strset_add(&r->visited, key);
	int rc;

	free(key);
	if (!first)
		return 0;
	if (m->builtin)
		return with_softdeps(r, m);
	mod = &r->ix->mods[m->id];
	if ((rc = push(r, "dependency of", mod->name)) < 0)
		return rc;
	for (uint32_t i = mod->ndeps; i-- > 0 && rc == 0;) {
		struct ref d = { mod->deps[i], false, NULL };

		rc = with_softdeps(r, &d);
	}
	r->depth--;
	return rc < 0 ? rc : with_softdeps(r, m);
}

/* A probe starts afresh, as each kmod_module_probe_insert_module does. */
static int
probe_root(struct kmod_resolver *r, const struct ref *m)
{
	strset_free(&r->visited);
	r->depth = 0;
	return probe(r, m);
}

static int
resolve_name(struct kmod_resolver *r, const char *request)
{
	char q[KMOD_PATH_MAX];
	struct ref *refs;
	size_t n;
	int rc = 0;

	if (!kmod_alias_normalize(request, q, sizeof(q)))
		return es_fail(&r->err, EINVAL, "%s: unmatched bracket, or too long",
			       request);
	n = lookup(r->ix, q, &refs);
	if (!n)
		rc = es_fail(&r->err, ENOENT, "%s: no module or alias", request);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = probe_root(r, &refs[i]);
	free(refs);
	return rc;
}

static int
resolve_paths(struct kmod_resolver *r, const char *pattern)
{
	struct kmod_step *found;
	size_t n = kmod_lookup_paths(r->ix, pattern, &found);
	int rc = 0;

	if (!n)
		rc = es_fail(&r->err, ENOENT, "%s: no module path matches", pattern);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct ref m = { found[i].id, false, NULL };

		rc = probe_root(r, &m);
	}
	free(found);
	return rc;
}

void
kmod_resolver_init(struct kmod_resolver *r, const struct kmod_index *ix,
		   unsigned flags)
{
	memset(r, 0, sizeof(*r));
	r->ix = ix;
	r->flags = flags;
	r->seen_mod = xcalloc(ix->nmods + 1, 1);
	r->seen_builtin = xcalloc(ix->nbuiltins + 1, 1);
	r->file_ok = xcalloc(ix->nmods + 1, 1);
}

int
kmod_resolve(struct kmod_resolver *r, const char *request)
{
	size_t steps = r->nsteps, warnings = r->nwarnings;
	int rc;

	r->request = request;
	rc = kmod_is_path_pattern(request) ?
		resolve_paths(r, request) : resolve_name(r, request);
	strset_free(&r->visited);
	r->depth = 0;
	if (rc == 0)
		return 0;
	for (size_t i = steps; i < r->nsteps; i++) {
		const struct kmod_step *s = &r->steps[i];

		if (!(r->flags & KMOD_RESOLVE_REPEATS))
			(s->kind == KMOD_STEP_BUILTIN ? r->seen_builtin :
			 r->seen_mod)[s->id] = 0;
	}
	r->nsteps = steps;
	while (r->nwarnings > warnings)
		free(r->warnings[--r->nwarnings]);
	return rc;
}

void
kmod_resolver_free(struct kmod_resolver *r)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->steps);
	free(r->seen_mod);
	free(r->seen_builtin);
	free(r->file_ok);
	strset_free(&r->visited);
	memset(r, 0, sizeof(*r));
}
