/*
 * module_source.c - kernel modules in the image: what a request needs,
 * resolved over the modules directory's index as modprobe would load it
 * (kmod/resolve.h), placed under /lib/modules/<kver>/ as modules.dep
 * names it, with the firmware each names in its .modinfo; at the end an
 * index for exactly those modules (kmod/write.h).
 *
 * A compressed module (.ko.xz, .ko.zst, .ko.gz) is decoded in memory
 * to read its .modinfo; it goes into the image as it is.
 */
#include "image/compose.h"
#include "base/xalloc.h"
#include "codec/codec.h"
#include "elf/elf_file.h"
#include "kmod/index.h"
#include "kmod/resolve.h"
#include "kmod/write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A decoded module larger than this is taken for a broken file (the
 * largest of Debian's, amdgpu, is about 20 MiB). */
#define MODULE_MAX_BYTES (256u << 20)

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

static bool
compressed(const char *path)
{
	const char *ko = strstr(path, ".ko");

	return ko && ko[3] == '.';
}

/* The firmware= values of a module's .modinfo ("key=value\0"...). */
static int
add_firmware_of(struct composer *c, const struct elf_file *ef,
		const char *module)
{
	const char *p, *end;
	size_t len;
	int rc = 0;

	if (elf_section(ef, ".modinfo", (const void **)&p, &len) < 0 || !p)
		return 0;
	for (end = p + len; p < end && rc == 0; p += strnlen(p, (size_t)(end - p)) + 1)
		if ((size_t)(end - p) > 9 && strncmp(p, "firmware=", 9) == 0 &&
		    memchr(p, '\0', (size_t)(end - p)))
			rc = compose_module_firmware(c, p + 9, module);
	return rc;
}

/* A .ko.xz, .ko.zst or .ko.gz, decoded in memory as the kernel would
 * (MODULE_INIT_COMPRESSED_FILE) or modprobe does before it. */
static int
decode_module(struct composer *c, const char *path, const char *module,
	      uint8_t **img, size_t *len)
{
	char msg[CODEC_MSG_SIZE];
	const struct codec *codec;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *map = MAP_FAILED;
	int rc;

	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = errno;
		if (fd >= 0)
			close(fd);
		return es_fail(&c->b->err, rc, "module %s: %s: %s", module, path,
			       strerror(rc));
	}
	if (st.st_size > 0)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return es_fail(&c->b->err, EINVAL, "module %s: %s: empty or unreadable",
			       module, path);
	codec = codec_by_magic(map, (size_t)st.st_size);
	rc = codec ? codec_decode_buffer(codec, map, (size_t)st.st_size,
					 MODULE_MAX_BYTES, img, len, msg) : -EINVAL;
	munmap(map, (size_t)st.st_size);
	if (rc < 0)
		return es_fail(&c->b->err, -rc, "module %s: %s: %s", module, path,
			       codec ? msg : "compressed in no format the kernel reads");
	return 0;
}

static int
add_module_firmware(struct composer *c, const char *path, const char *module)
{
	struct elf_file ef;
	struct es_error e = { 0 };
	uint8_t *img = NULL;
	size_t len = 0;
	int rc;

	if (compressed(path)) {
		if ((rc = decode_module(c, path, module, &img, &len)) < 0)
			return rc;
		rc = elf_parse(&ef, img, len, path, &e);
	} else {
		rc = elf_open(&ef, path, &e);
	}
	if (rc < 0)
		es_fail(&c->b->err, -rc, "module %s: %s", module, e.msg);
	else
		rc = add_firmware_of(c, &ef, module);
	elf_close(&ef);
	free(img);
	return rc;
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
	if (rc == 0)
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
		composer_note_request(c, requests[i]);
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
composer_modules_finish(struct composer *c)
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
