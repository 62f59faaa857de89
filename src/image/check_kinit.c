/*
 * check_kinit.c - kinit's /etc/modules: what kinit reads of it, and
 * whether each request resolves, with the image's own module index, to
 * modules the image holds.
 *
 * The list is read as src/early/kinit.c reads it: one read of at most
 * CHECK_KINIT_READ bytes (the rest is never seen), up to a NUL, cut at
 * every ',' and '\n'; blanks before a request are skipped, and empty
 * requests or ones starting with '#' ignored (so a ',' in a '#' line
 * starts a request, and a blank after a name is part of it). A request
 * that the cut falls inside is made cut short.
 *
 * The index is /lib/modules/RELEASE's, the directory kinit opens (its
 * files reached through the image's symlinks, so a usr-merged image
 * works); it is loaded by src/kmod's own loader from the texts the tree
 * kept (kmod_index_load_texts), with kinit's checks and messages. Each
 * request is looked up as modload.c does (a path pattern, else a name
 * or an alias: kmod_lookup), each module found resolved by its name
 * (kmod_resolve), and every module of the list looked for in the image.
 * As in modload.c, the module and its modules.dep dependencies are
 * required, softdeps are not. With --kver only that release is checked,
 * else every release the image holds a modules.dep for.
 *
 * Limits: the kernel's modules= and blacklist parameters and coldplug
 * are not seen; that /init is kinit is assumed, not checked; module
 * files are looked for, their contents are check_modules.c's.
 */
#include "image/check_internal.h"
#include "base/xalloc.h"
#include "kmod/resolve.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A request of the list: bytes [start, end) of the file. */
struct request {
	size_t start, end;
	unsigned line;
};

struct requests {
	struct request *v;
	size_t n, cap;
};

/* Modules named in one finding; more are counted. */
#define MISSING_NAMED 8

/* The modules of one request that are not in the image, each once
 * (the request's modules may share dependencies). */
struct missing {
	char *names;		/* "a (kernel/a.ko), b (kernel/b.ko)" */
	size_t n;
	struct strset seen;
};

/* What one check of the list against one release shares. */
struct kinit_list {
	const struct tree *t;
	const char *text;		/* /etc/modules, NUL-terminated */
	const struct tree_inode *in;
	struct requests seen;		/* what kinit reads */
	struct check_report *rep;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* kinit's strtok_r(list, ",\n") and its skips, over text[0, n). */
static void
split(const char *text, size_t n, struct requests *out)
{
	unsigned line = 1;
	size_t i = 0;

	n = strnlen(text, n);
	while (i < n) {
		size_t start = i, end;

		while (i < n && text[i] != ',' && text[i] != '\n')
			i++;
		end = i;
		while (start < end && is_blank(text[start]))
			start++;
		if (start < end && text[start] != '#') {
			xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = (struct request){ start, end, line };
		}
		if (i < n && text[i] == '\n')
			line++;
		i++;
	}
}

static char *
request_word(const struct kinit_list *l, const struct request *r)
{
	return xstrndup(l->text + r->start, r->end - r->start);
}

/* The requests past the cut: kinit never loads them. */
static void
check_cut(struct kinit_list *l, size_t len)
{
	struct requests all = { 0 };
	const struct request *r = NULL;
	size_t lost = 0;
	char *word, *seen;

	split(l->text, len, &all);
	for (size_t i = 0; i < all.n; i++)
		if (all.v[i].end > CHECK_KINIT_READ && !lost++)
			r = &all.v[i];
	if (r) {
		word = request_word(l, r);
		seen = r->start >= CHECK_KINIT_READ ? xstrdup("") :
			xasprintf(", which kinit sees cut to '%.*s'",
				  (int)(CHECK_KINIT_READ - r->start), word);
		check_add(l->rep, CHECK_WARNING, "kinit-modules-cut", &l->in->from,
			  CHECK_KINIT_MODULES,
			  "%zu bytes, kinit reads %u: %zu request%s never loaded, the first '%s' (line %u)%s",
			  len, CHECK_KINIT_READ, lost, lost > 1 ? "s are" : " is",
			  word, r->line, seen);
		free(seen);
		free(word);
	}
	free(all.v);
}

static bool
is_file(const struct tree *t, const char *path, size_t *node)
{
	return tree_lookup(t, path, true, node) == 0 &&
	       S_ISREG(tree_inode_of(t, *node)->mode);
}

/* The text of index file path as the tree kept it (NULL: absent);
 * false, with a finding, when it cannot be given as kinit reads it. */
static bool
index_text(struct kinit_list *l, const char *path, const char **text,
	   size_t *len)
{
	const struct tree_inode *in;
	const struct check_file *f;
	size_t node;

	if (tree_lookup(l->t, path, true, &node) < 0)
		return true;
	in = tree_inode_of(l->t, node);
	f = check_file_of(l->t, node);
	if (!S_ISREG(in->mode)) {
		check_add(l->rep, CHECK_ERROR, "kinit-modules-index", &in->from, path,
			  "a %s, not a regular file: kinit loads no module at all",
			  check_type_name(in->mode));
		return false;
	}
	if (in->size && (!f || !f->text)) {
		check_add(l->rep, CHECK_WARNING, "kinit-modules-unreadable", &in->from,
			  path, "not read: over %u MiB or cut short; kinit's modules are not checked",
			  CHECK_TEXT_MAX >> 20);
		return false;
	}
	*text = in->size ? f->text : "";
	*len = in->size ? f->text_len : 0;
	return true;
}

static bool
index_texts(struct kinit_list *l, const char *moddir,
	    struct kmod_index_texts *texts)
{
	bool ok = true;

	for (int f = 0; f < KMOD_FILES && ok; f++) {
		char *path = xasprintf("%s/%s", moddir, kmod_index_file_name(f));

		ok = index_text(l, path, &texts->text[f], &texts->len[f]);
		free(path);
	}
	return ok;
}

static void
add_missing(struct missing *m, const struct kmod_index *ix, uint32_t id)
{
	char *s;

	if (!strset_add(&m->seen, ix->mods[id].name) || m->n++ >= MISSING_NAMED)
		return;
	s = xasprintf("%s%s%s (%s)", m->names ? m->names : "",
		      m->names ? ", " : "", ix->mods[id].name, ix->mods[id].path);
	free(m->names);
	m->names = s;
}

/* The names, and how many more there are: freed with it. */
static char *
missing_text(struct missing *m)
{
	char *s = m->n > MISSING_NAMED ?
		xasprintf("%s and %zu more", m->names, m->n - MISSING_NAMED) : NULL;

	if (s) {
		free(m->names);
		m->names = s;
	}
	return m->names;
}

/* Whether s is root or one of its modules.dep dependencies, which
 * modload.c requires (softdeps it does not). */
static bool
required(const struct kmod_index *ix, uint32_t root, const struct kmod_step *s)
{
	if (s->id == root)
		return true;
	for (uint32_t i = 0; i < ix->mods[root].ndeps; i++)
		if (ix->mods[root].deps[i] == s->id)
			return true;
	return false;
}

/* The modules of root's list that are not in the image, into need
 * (required) and soft (softdeps). */
static void
missing_modules(const struct tree *t, const struct kmod_index *ix,
		const struct kmod_step *root, const struct kmod_resolver *r,
		struct missing *need, struct missing *soft)
{
	char path[2 * KMOD_PATH_MAX];
	size_t node;

	for (size_t k = 0; k < r->nsteps; k++) {
		const struct kmod_step *s = &r->steps[k];

		if (s->kind != KMOD_STEP_LOAD ||
		    (kmod_index_file(ix, s->id, path, sizeof(path)) &&
		     is_file(t, path, &node)))
			continue;
		if (root->kind == KMOD_STEP_LOAD && required(ix, root->id, s))
			add_missing(need, ix, s->id);
		else
			add_missing(soft, ix, s->id);
	}
}

static void
report_missing(struct kinit_list *l, const struct request *q,
	       const char *word, const char *moddir, struct missing *need,
	       struct missing *soft)
{
	if (need->n)
		check_add(l->rep, CHECK_WARNING, "kinit-module-missing", &l->in->from,
			  CHECK_KINIT_MODULES,
			  "line %u: '%s' needs %s of %s, not in the image: kinit cannot load it",
			  q->line, word, missing_text(need), moddir);
	if (soft->n)
		check_add(l->rep, CHECK_NOTE, "kinit-module-missing", &l->in->from,
			  CHECK_KINIT_MODULES,
			  "line %u: '%s' has the softdeps %s of %s, not in the image: kinit loads it without them",
			  q->line, word, missing_text(soft), moddir);
	free(need->names);
	free(soft->names);
	strset_free(&need->seen);
	strset_free(&soft->seen);
}

/* The roots modload.c finds for word; 0 with *why when none. */
static size_t
lookup(const struct kmod_index *ix, const char *word, struct kmod_step **roots,
       const char **why)
{
	char q[KMOD_PATH_MAX];
	bool by_alias;

	*roots = NULL;
	*why = "no module, alias or built-in module of that name";
	if (kmod_is_path_pattern(word)) {
		*why = "no module path matches it";
		return kmod_lookup_paths(ix, word, roots);
	}
	if (!kmod_alias_normalize(word, q, sizeof(q))) {
		*why = "an unmatched bracket, or too long";
		return 0;
	}
	return kmod_lookup(ix, q, roots, &by_alias);
}

static void
check_request(struct kinit_list *l, const struct kmod_index *ix,
	      const char *moddir, const struct request *q)
{
	char *word = request_word(l, q);
	struct missing need = { 0 }, soft = { 0 };
	struct kmod_step *roots;
	const char *why;
	size_t n = lookup(ix, word, &roots, &why);

	if (!n)
		check_add(l->rep, CHECK_WARNING, "kinit-module-unknown", &l->in->from,
			  CHECK_KINIT_MODULES, "line %u: '%s': %s in %s: kinit loads nothing for it",
			  q->line, word, why, moddir);
	for (size_t i = 0; i < n; i++) {
		struct kmod_resolver r;

		kmod_resolver_init(&r, ix, 0);
		if (kmod_resolve(&r, kmod_step_name(ix, &roots[i])) < 0)
			check_add(l->rep, CHECK_WARNING, "kinit-module-unknown",
				  &l->in->from, CHECK_KINIT_MODULES,
				  "line %u: '%s': %s (%s): kinit loads nothing for it",
				  q->line, word, r.err.msg, moddir);
		else
			missing_modules(l->t, ix, &roots[i], &r, &need, &soft);
		kmod_resolver_free(&r);
	}
	report_missing(l, q, word, moddir, &need, &soft);
	free(roots);
	free(word);
}

/* The list against /lib/modules/release, as kinit would see it. */
static void
check_release(struct kinit_list *l, const char *release)
{
	char *moddir = xasprintf("/lib/modules/%s", release);
	char *dep = xasprintf("%s/modules.dep", moddir);
	struct kmod_index_texts texts = { 0 };
	struct kmod_index ix;
	size_t node;

	if (!is_file(l->t, dep, &node)) {
		if (l->seen.n)
			check_add(l->rep, CHECK_WARNING, "kinit-modules-no-index",
				  &l->in->from, CHECK_KINIT_MODULES,
				  "no %s in the image (kinit looks nowhere else): none of its %zu requests is loaded",
				  dep, l->seen.n);
	} else if (index_texts(l, moddir, &texts)) {
		if (kmod_index_load_texts(&ix, moddir, &texts, 0) < 0)
			check_add(l->rep, CHECK_ERROR, "kinit-modules-index", NULL,
				  moddir, "%s: kinit loads no module at all",
				  ix.err.msg);
		else
			for (size_t i = 0; i < l->seen.n; i++)
				check_request(l, &ix, moddir, &l->seen.v[i]);
		kmod_index_free(&ix);
	}
	free(dep);
	free(moddir);
}

/* The releases the image holds a modules.dep for, under lib/modules or
 * usr/lib/modules, each once. */
static size_t
image_releases(const struct tree *t, char ***out)
{
	struct strset seen = { 0 };
	size_t n = 0, cap = 0;

	*out = NULL;
	for (size_t i = 0; i < t->nnodes; i++) {
		char *path, *rel, *end;

		if (t->nodes[i].inode == TREE_NONE ||
		    strcmp(t->nodes[i].name, "modules.dep"))
			continue;
		path = tree_path(t, i);
		rel = !strncmp(path, "/usr/", 5) ? path + 4 : path;
		if (!fnmatch("/lib/modules/*/modules.dep", rel, FNM_PATHNAME)) {
			rel += strlen("/lib/modules/");
			end = strchr(rel, '/');
			*end = '\0';
			if (strset_add(&seen, rel)) {
				xgrow((void **)out, &cap, n + 1, sizeof(**out));
				(*out)[n++] = xstrdup(rel);
			}
		}
		free(path);
	}
	strset_free(&seen);
	return n;
}

void
check_kinit_modules(const struct tree *t, const struct check_opts *o,
		    struct check_report *rep)
{
	struct kinit_list l = { .t = t, .rep = rep };
	const struct check_file *f;
	char **releases;
	size_t node, n;

	if (!is_file(t, CHECK_KINIT_MODULES, &node))
		return;
	l.in = tree_inode_of(t, node);
	f = check_file_of(t, node);
	if (l.in->size && (!f || !f->text)) {
		check_add(rep, CHECK_WARNING, "kinit-modules-unreadable", &l.in->from,
			  CHECK_KINIT_MODULES, "not read: over %u MiB or cut short",
			  CHECK_TEXT_MAX >> 20);
		return;
	}
	l.text = l.in->size ? f->text : "";
	split(l.text, l.in->size < CHECK_KINIT_READ ? l.in->size : CHECK_KINIT_READ,
	      &l.seen);
	if (l.in->size > CHECK_KINIT_READ)
		check_cut(&l, l.in->size);
	if (o->kver) {
		releases = xmalloc(sizeof(*releases));
		releases[0] = xstrdup(o->kver);
		n = 1;
	} else {
		n = image_releases(t, &releases);
	}
	if (!n && l.seen.n)
		check_add(rep, CHECK_WARNING, "kinit-modules-no-index", &l.in->from,
			  CHECK_KINIT_MODULES,
			  "no lib/modules/RELEASE/modules.dep in the image: none of its %zu requests is loaded",
			  l.seen.n);
	for (size_t i = 0; i < n; i++) {
		check_release(&l, releases[i]);
		free(releases[i]);
	}
	free(releases);
	free(l.seen.v);
}
