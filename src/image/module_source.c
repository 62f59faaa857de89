/*
 * module_source.c - kernel modules in the image: what a request needs,
 * resolved over the modules directory's index as modprobe would load it
 * (kmod/resolve.h), placed under /lib/modules/<kver>/ as modules.dep
 * names it, with the firmware each names in its .modinfo; at the end an
 * index for exactly those modules (kmod/write.h).
 *
 * Limits: the firmware of a compressed module (.ko.xz, .ko.zst, .ko.gz)
 * is not read; a warning says so.
 */
#include "image/compose.h"
#include "base/xalloc.h"
#include "elf/elf_file.h"
#include "kmod/index.h"
#include "kmod/resolve.h"
#include "kmod/write.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct module_set {
	struct kmod_index ix;
	struct kmod_resolver r;	/* every request's steps, each module once */
	size_t added;		/* steps in the image so far */
	size_t warned;		/* resolver warnings passed on so far */
};

void
module_set_free(struct module_set *m)
{
	if (!m)
		return;
	kmod_resolver_free(&m->r);
	kmod_index_free(&m->ix);
	free(m);
}

static int
open_modules(struct composer *c)
{
	char *moddir;
	int rc;

	if (c->modules)
		return 0;
	moddir = c->opt.moddir ? xstrdup(c->opt.moddir) :
				 xasprintf("/lib/modules/%s", composer_kver(c));
	c->modules = xcalloc(1, sizeof(*c->modules));
	rc = kmod_index_load(&c->modules->ix, moddir, KMOD_INDEX_CHECK_FILES);
	if (rc < 0)
		es_fail(&c->b->err, -rc, "%s%s", c->modules->ix.err.msg,
			c->opt.moddir || c->opt.kver ? "" :
			" (no --kver or --moddir: the running kernel's modules)");
	else
		kmod_resolver_init(&c->modules->r, &c->modules->ix, 0);
	free(moddir);
	return rc;
}

/* The firmware= values of the module's .modinfo ("key=value\0"...). */
static int
add_module_firmware(struct composer *c, const char *path, const char *module)
{
	struct elf_file ef;
	struct es_error e = { 0 };
	const char *p, *end;
	size_t len;
	int rc = elf_open(&ef, path, &e);

	if (rc < 0) {
		elf_close(&ef);
		return es_fail(&c->b->err, -rc, "module %s: %s", module, e.msg);
	}
	if (elf_section(&ef, ".modinfo", (const void **)&p, &len) == 0 && p) {
		for (end = p + len; p < end && rc == 0; p += strnlen(p, (size_t)(end - p)) + 1)
			if ((size_t)(end - p) > 9 && strncmp(p, "firmware=", 9) == 0 &&
			    memchr(p, '\0', (size_t)(end - p)))
				rc = compose_module_firmware(c, p + 9, module);
	}
	elf_close(&ef);
	return rc;
}

static bool
compressed(const char *path)
{
	const char *ko = strstr(path, ".ko");

	return ko && ko[3] == '.';
}

static int
add_module(struct composer *c, uint32_t id)
{
	const struct kmod_module *m = &c->modules->ix.mods[id];
	char location[PATH_MAX], *name;
	int rc;

	if (!kmod_index_file(&c->modules->ix, id, location, sizeof(location)))
		return es_fail(&c->b->err, ENAMETOOLONG, "module %s: path too long",
			       m->name);
	name = m->path[0] == '/' ? xstrdup(m->path) :
		xasprintf("/lib/modules/%s/%s", composer_kver(c), m->path);
	rc = compose_file_as(c, location, name, 0644);
	free(name);
	if (rc == 0 && compressed(m->path))
		builder_warn(c->b, "module %s: compressed, so the firmware it may need is not looked for",
			     m->name);
	else if (rc == 0)
		rc = add_module_firmware(c, location, m->name);
	return rc;
}

int
composer_modules(struct composer *c, char *const *requests, int n)
{
	struct module_set *ms;
	int rc = open_modules(c);

	for (int i = 0; i < n && rc == 0; i++) {
		ms = c->modules;
		if ((rc = kmod_resolve(&ms->r, requests[i])) < 0) {
			es_fail(&c->b->err, ms->r.err.code, "%s", ms->r.err.msg);
			break;
		}
		for (; ms->warned < ms->r.nwarnings; ms->warned++)
			builder_warn(c->b, "%s", ms->r.warnings[ms->warned]);
		for (; ms->added < ms->r.nsteps && rc == 0; ms->added++)
			if (ms->r.steps[ms->added].kind == KMOD_STEP_LOAD)
				rc = add_module(c, ms->r.steps[ms->added].id);
	}
	return rc;
}

static int
emit_index_file(void *ctx, const char *file, const char *data, size_t len)
{
	struct composer *c = ctx;
	char *name = xasprintf("/lib/modules/%s/%s", composer_kver(c), file);
	int rc = compose_bytes_as(c, name, data, len);

	free(name);
	return rc;
}

int
composer_finish(struct composer *c)
{
	struct kmod_set held;
	struct es_error e = { 0 };
	int rc;

	if (!c->modules)
		return 0;
	kmod_set_init(&held, &c->modules->ix);
	kmod_set_add_steps(&held, &c->modules->r);
	rc = kmod_write_index(&held, emit_index_file, c, &e);
	kmod_set_free(&held);
	if (rc < 0 && !es_failed(&c->b->err))
		es_fail(&c->b->err, -rc, "the module index: %s", e.msg);
	return rc;
}
