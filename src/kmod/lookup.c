/*
 * lookup.c - the modules a request names, before any dependency:
 * kmod 30's kmod_module_new_from_lookup (without modprobe.d) for names
 * and aliases, and modules.dep's paths for path patterns. resolve.h
 * gives the rules under "Requests".
 */
#include "kmod/resolve.h"
#include "kmod/glob.h"
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>

bool
kmod_is_path_pattern(const char *request)
{
	/* "devname:mapper/control" is an alias. */
	return strchr(request, '/') && !strchr(request, ':');
}

static size_t
one_step(size_t id, enum kmod_step_kind kind, struct kmod_step **found)
{
	*found = xmalloc(sizeof(**found));
	**found = (struct kmod_step){ (uint32_t)id, kind };
	return 1;
}

/* The steps of alias matches m[0..n) (freed here). A line given twice
 * counts twice, as in depmod's index. */
static size_t
alias_steps(const struct kmod_alias_table *t, uint32_t *m, size_t n,
	    enum kmod_step_kind kind, struct kmod_step **found)
{
	*found = xmalloc((n + 1) * sizeof(**found));
	for (size_t i = 0; i < n; i++)
		(*found)[i] = (struct kmod_step){ t->v[m[i]].target, kind };
	free(m);
	return n;
}

size_t
kmod_lookup(const struct kmod_index *ix, const char *q,
	    struct kmod_step **found, bool *by_alias)
{
	uint32_t *m;
	size_t id, n;

	*by_alias = false;
	if (!strchr(q, ':') && strset_get(&ix->by_name, q, &id))
		return one_step(id, KMOD_STEP_LOAD, found);
	*by_alias = true;
	if (strncmp(q, "symbol:", 7) == 0 &&
	    (n = kmod_alias_match(&ix->symbols, q, &m)))
		return alias_steps(&ix->symbols, m, n, KMOD_STEP_LOAD, found);
	if ((n = kmod_alias_match(&ix->aliases, q, &m)))
		return alias_steps(&ix->aliases, m, n, KMOD_STEP_LOAD, found);
	if (strset_get(&ix->builtin_by_name, q, &id) && ix->builtins[id].listed) {
		*by_alias = false;
		return one_step(id, KMOD_STEP_BUILTIN, found);
	}
	n = kmod_alias_match(&ix->builtin_aliases, q, &m);
	return alias_steps(&ix->builtin_aliases, m, n, KMOD_STEP_BUILTIN, found);
}

/* pattern matches path with its .ko* suffix, or without it. */
static bool
path_matches(const char *pattern, const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	char stem[KMOD_PATH_MAX];

	if (kmod_glob(pattern, path))
		return true;
	dot = strchr(base ? base : path, '.');
	if (!dot || (size_t)(dot - path) >= sizeof(stem))
		return false;
	memcpy(stem, path, (size_t)(dot - path));
	stem[dot - path] = '\0';
	return kmod_glob(pattern, stem);
}

size_t
kmod_lookup_paths(const struct kmod_index *ix, const char *pattern,
		  struct kmod_step **found)
{
	size_t n = 0, cap = 0;

	*found = NULL;
	for (uint32_t i = 0; i < ix->nmods; i++) {
		if (!path_matches(pattern, ix->mods[i].path))
			continue;
		xgrow((void **)found, &cap, n + 1, sizeof(**found));
		(*found)[n++] = (struct kmod_step){ i, KMOD_STEP_LOAD };
	}
	return n;
}
