/*
 * alias.c - alias tables: modules.alias, modules.symbols (lines
 * "alias PATTERN MODULE") and the alias= records of
 * modules.builtin.modinfo ("MODULE.alias=PATTERN\0", as depmod's
 * output_builtin_alias_bin reads them), and matching a query against
 * them with fnmatch(3) as kmod does (libkmod-index.c searchwild: the
 * patterns and the query normalised, every matching pattern's module).
 *
 * Matches come back in file order, which is kmod's order: depmod writes
 * modules.alias module by module in the order whose number is each
 * value's priority in modules.alias.bin, and kmod sorts by it.
 *
 * Speed: a query must not fnmatch 25,000 patterns. A pattern's literal
 * prefix (up to its first * ? or [) cut to KMOD_ALIAS_KEY bytes is its
 * bucket's key; a query looks up its own first 0..KMOD_ALIAS_KEY bytes,
 * the only keys a matching pattern can have, and fnmatches those
 * buckets' patterns alone.
 */
#include "kmod/glob.h"
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void
table_add(struct kmod_alias_table *t, size_t *cap, const char *raw,
	  const char *pattern, uint32_t target, uint32_t line)
{
	xgrow((void **)&t->v, cap, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = (struct kmod_alias){ raw, pattern, target, line };
}

/* The normalised pattern: raw itself, or a kept copy. NULL: bad. */
static const char *
normalised(struct kmod_index *ix, const char *raw)
{
	char buf[KMOD_PATH_MAX];

	if (!kmod_alias_normalize(raw, buf, sizeof(buf)))
		return NULL;
	return strcmp(buf, raw) == 0 ? raw : kmod_keep(ix, xstrdup(buf));
}

/* One "alias PATTERN MODULE" line. */
static int
alias_line(struct kmod_index *ix, struct kmod_alias_table *t, size_t *cap,
	   struct kmod_lines *it, char *line)
{
	char *cmd = kmod_token(&line), *raw, *mod, name[KMOD_PATH_MAX];
	const char *pattern;
	size_t id;

	if (!cmd || *cmd == '#')
		return 0;
	raw = kmod_token(&line);
	mod = kmod_token(&line);
	if (strcmp(cmd, "alias") != 0 || !mod || kmod_token(&line))
		return kmod_lines_fail(it, "expected 'alias PATTERN MODULE'");
	if (strlen(raw) >= KMOD_PATH_MAX)
		return kmod_lines_fail(it, "a pattern longer than %u bytes",
				       KMOD_PATH_MAX - 1);
	if (!(pattern = normalised(ix, raw)))
		return kmod_lines_fail(it, "unmatched bracket in %s", raw);
	if (!kmod_modname(mod, name, sizeof(name)) ||
	    !strset_get(&ix->by_name, name, &id))
		return kmod_lines_fail(it, "module %s is not in modules.dep", mod);
	table_add(t, cap, raw, pattern, (uint32_t)id, it->line);
	return 0;
}

int
kmod_alias_file_load(struct kmod_index *ix, const struct kmod_index_texts *given,
		     struct kmod_alias_table *t, const char *file)
{
	struct kmod_lines it;
	size_t len, cap = 0;
	char *line;
	int rc = kmod_index_text(ix, given, file, &t->text, &len);

	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	kmod_lines_init(&it, t->text, len, ix->dir, file, &ix->err);
	while ((rc = kmod_lines_next(&it, &line)) > 0)
		if ((rc = alias_line(ix, t, &cap, &it, line)) < 0)
			return rc;
	if (rc == 0)
		kmod_alias_table_index(t);
	return rc;
}

/* One "MODULE.KEY=VALUE" record; only alias= ones are kept. */
static int
modinfo_record(struct kmod_index *ix, size_t *cap, const char *rec,
	       uint32_t n)
{
	const char *dot = strchr(rec, '.'), *eq, *pattern;
	char mod[KMOD_PATH_MAX];

	eq = dot ? strchr(dot, '=') : NULL;
	if (!eq || dot == rec || (size_t)(dot - rec) >= sizeof(mod))
		return es_fail(&ix->err, EINVAL,
			       "%s/modules.builtin.modinfo: record %u: expected MODULE.KEY=VALUE",
			       ix->dir, n);
	if ((size_t)(eq - dot) != sizeof("alias") ||
	    memcmp(dot + 1, "alias", sizeof("alias") - 1) != 0 || !eq[1])
		return 0;
	memcpy(mod, rec, (size_t)(dot - rec));
	mod[dot - rec] = '\0';
	if (!kmod_modname(mod, mod, sizeof(mod)) || !(pattern = normalised(ix, eq + 1)))
		return es_fail(&ix->err, EINVAL,
			       "%s/modules.builtin.modinfo: record %u: bad alias %s",
			       ix->dir, n, eq + 1);
	table_add(&ix->builtin_aliases, cap, eq + 1, pattern,
		  kmod_builtin_add(ix, mod, false), n);
	return 0;
}

int
kmod_modinfo_load(struct kmod_index *ix, const struct kmod_index_texts *given)
{
	size_t cap = 0;
	uint32_t n = 0;
	int rc = kmod_index_text(ix, given, "modules.builtin.modinfo",
				 &ix->modinfo_text, &ix->modinfo_len);

	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	/* Records end in NUL; kmod_index_text added one after the last. */
	for (const char *p = ix->modinfo_text, *end = p + ix->modinfo_len;
	     p < end; p += strlen(p) + 1) {
		if (!*p)
			continue;
		if ((rc = modinfo_record(ix, &cap, p, ++n)) < 0)
			return rc;
	}
	kmod_alias_table_index(&ix->builtin_aliases);
	return 0;
}

/* The bucket key of a pattern: its literal prefix, cut. */
static size_t
key_len(const char *pattern)
{
	size_t lit = strcspn(pattern, "*?[");

	return lit < KMOD_ALIAS_KEY ? lit : KMOD_ALIAS_KEY;
}

void
kmod_alias_table_index(struct kmod_alias_table *t)
{
	uint32_t *bucket = xmalloc((t->n + 1) * sizeof(uint32_t));
	size_t nb = 0, b;

	for (size_t i = 0; i < t->n; i++) {
		char key[KMOD_ALIAS_KEY + 1];
		size_t len = key_len(t->v[i].pattern);

		memcpy(key, t->v[i].pattern, len);
		key[len] = '\0';
		if (!strset_get(&t->keys, key, &b))
			strset_put(&t->keys, key, b = nb++);
		bucket[i] = (uint32_t)b;
	}
	/* Counting sort by bucket keeps file order within each. */
	t->start = xcalloc(nb + 2, sizeof(uint32_t));
	t->members = xmalloc((t->n + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < t->n; i++)
		t->start[bucket[i] + 2]++;
	for (size_t i = 2; i < nb + 2; i++)
		t->start[i] += t->start[i - 1];
	for (size_t i = 0; i < t->n; i++)
		t->members[t->start[bucket[i] + 1]++] = (uint32_t)i;
	free(bucket);
}

/* Adds a to the sorted list out[0..n). Matches come bucket by bucket,
 * each in file order, and a query matches few patterns: insertion
 * keeps the list in file order without a sort. */
static void
insert_sorted(uint32_t *out, size_t n, uint32_t a)
{
	while (n > 0 && out[n - 1] > a) {
		out[n] = out[n - 1];
		n--;
	}
	out[n] = a;
}

size_t
kmod_alias_match(const struct kmod_alias_table *t, const char *q,
		 uint32_t **out)
{
	size_t qlen = strlen(q), n = 0, cap = 0, b;
	char key[KMOD_ALIAS_KEY + 1];

	*out = NULL;
	if (!t->n)
		return 0;
	for (size_t len = 0; len <= qlen && len <= KMOD_ALIAS_KEY; len++) {
		memcpy(key, q, len);
		key[len] = '\0';
		if (!strset_get(&t->keys, key, &b))
			continue;
		for (uint32_t i = t->start[b]; i < t->start[b + 1]; i++) {
			uint32_t a = t->members[i];

			if (!kmod_glob(t->v[a].pattern, q))
				continue;
			xgrow((void **)out, &cap, n + 1, sizeof(uint32_t));
			insert_sorted(*out, n++, a);
		}
	}
	return n;
}

void
kmod_alias_table_free(struct kmod_alias_table *t)
{
	free(t->v);
	free(t->start);
	free(t->members);
	free(t->text);
	strset_free(&t->keys);
	memset(t, 0, sizeof(*t));
}
