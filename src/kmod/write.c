/*
 * write.c - the index files of a subset of a moddir, in depmod's text
 * formats (kmod 30 tools/depmod.c: output_deps, output_aliases,
 * output_symbols, output_softdeps; the header comments are depmod's).
 * The lines kept are the source's lines; a module's name is written
 * normalised, as depmod writes it.
 */
#include "kmod/write.h"
#include "kmod/glob.h"
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct text {
	char *p;
	size_t len, cap;
};

static void
put(struct text *t, const char *s, size_t n)
{
	xgrow((void **)&t->p, &t->cap, t->len + n + 1, 1);
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void
puts3(struct text *t, const char *a, const char *b, const char *c)
{
	put(t, a, strlen(a));
	put(t, b, strlen(b));
	put(t, c, strlen(c));
}

void
kmod_set_init(struct kmod_set *s, const struct kmod_index *ix)
{
	s->ix = ix;
	s->held = xcalloc(ix->nmods + 1, 1);
	s->count = 0;
}

bool
kmod_set_add(struct kmod_set *s, uint32_t id)
{
	if (s->held[id])
		return false;
	s->held[id] = 1;
	s->count++;
	return true;
}

void
kmod_set_add_steps(struct kmod_set *s, const struct kmod_resolver *r)
{
	for (size_t i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == KMOD_STEP_LOAD)
			kmod_set_add(s, r->steps[i].id);
}

void
kmod_set_free(struct kmod_set *s)
{
	free(s->held);
	memset(s, 0, sizeof(*s));
}

static int
write_dep(const struct kmod_set *s, struct text *t, struct es_error *err)
{
	const struct kmod_index *ix = s->ix;

	for (uint32_t i = 0; i < ix->nmods; i++) {
		const struct kmod_module *m = &ix->mods[i];

		if (!s->held[i])
			continue;
		puts3(t, m->path, ":", "");
		for (uint32_t d = 0; d < m->ndeps; d++) {
			if (!s->held[m->deps[d]])
				return es_fail(err, EINVAL,
					       "modules.dep: %s needs %s, which the image does not hold",
					       m->name, ix->mods[m->deps[d]].name);
			puts3(t, " ", ix->mods[m->deps[d]].path, "");
		}
		put(t, "\n", 1);
	}
	return 0;
}

static void
write_aliases(const struct kmod_set *s, const struct kmod_alias_table *a,
	      const char *header, struct text *t)
{
	put(t, header, strlen(header));
	for (size_t i = 0; i < a->n; i++) {
		const struct kmod_alias *al = &a->v[i];

		if (!s->held[al->target])
			continue;
		puts3(t, "alias ", al->raw, " ");
		puts3(t, s->ix->mods[al->target].name, "\n", "");
	}
}

/* A softdep line is kept when its pattern matches a held module. */
static void
write_softdep(const struct kmod_set *s, struct text *t)
{
	const struct kmod_index *ix = s->ix;

	static const char header[] =
		"# Soft dependencies extracted from modules themselves.\n";

	put(t, header, sizeof(header) - 1);
	for (size_t i = 0; i < ix->nsoftdeps; i++) {
		for (uint32_t m = 0; m < ix->nmods; m++) {
			if (s->held[m] &&
			    kmod_glob(ix->softdeps[i].pattern, ix->mods[m].name)) {
				puts3(t, ix->softdeps[i].text, "\n", "");
				break;
			}
		}
	}
}

static void
write_order(const struct kmod_set *s, struct text *t)
{
	for (size_t i = 0; i < s->ix->norder; i++) {
		uint32_t id = s->ix->order_ids[i];

		if (id != UINT32_MAX && s->held[id])
			puts3(t, s->ix->order[i], "\n", "");
	}
}

static int
emit_bytes(kmod_emit_fn emit, void *ctx, const char *name, const char *p,
	   size_t len, struct es_error *err)
{
	int rc = emit(ctx, name, p ? p : "", len);

	if (rc < 0)
		return es_fail(err, -rc, "%s: could not be added", name);
	return 0;
}

static int
emit_text(kmod_emit_fn emit, void *ctx, const char *name, struct text *t,
	  struct es_error *err)
{
	int rc = emit_bytes(emit, ctx, name, t->p, t->len, err);

	t->len = 0;
	return rc;
}

int
kmod_write_index(const struct kmod_set *s, kmod_emit_fn emit, void *ctx,
		 struct es_error *err)
{
	const struct kmod_index *ix = s->ix;
	struct text t = { 0 };
	int rc = write_dep(s, &t, err);

	if (rc == 0)
		rc = emit_text(emit, ctx, "modules.dep", &t, err);
	if (rc == 0) {
		write_aliases(s, &ix->aliases,
			      "# Aliases extracted from modules themselves.\n", &t);
		rc = emit_text(emit, ctx, "modules.alias", &t, err);
	}
	if (rc == 0) {
		write_aliases(s, &ix->symbols,
			      "# Aliases for symbols, used by symbol_request().\n", &t);
		rc = emit_text(emit, ctx, "modules.symbols", &t, err);
	}
	if (rc == 0) {
		write_softdep(s, &t);
		rc = emit_text(emit, ctx, "modules.softdep", &t, err);
	}
	if (rc == 0 && ix->builtin_text)
		rc = emit_bytes(emit, ctx, "modules.builtin", ix->builtin_text,
				ix->builtin_len, err);
	if (rc == 0 && ix->modinfo_text)
		rc = emit_bytes(emit, ctx, "modules.builtin.modinfo",
				ix->modinfo_text, ix->modinfo_len, err);
	if (rc == 0 && ix->has_order) {
		write_order(s, &t);
		rc = emit_text(emit, ctx, "modules.order", &t, err);
	}
	free(t.p);
	return rc;
}
