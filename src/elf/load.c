/*
 * load.c - ld.so's part of a closure (see closure.h for the rules):
 * the objects of one program, loaded breadth-first, and the search for
 * each DT_NEEDED name, after glibc's elf/dl-load.c (_dl_map_object,
 * open_path, open_verify, fillin_rpath) and elf/dl-object.c ($ORIGIN).
 */
#include "elf/load.h"
#include "elf/ldso.h"
#include "base/strset.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One loaded object (the program, its interpreter, a library). */
struct obj {
	size_t dep;		/* its entry in the deplist */
	size_t loader;		/* whose DT_NEEDED loaded it; ELF_DEP_NONE */
	char **needed;
	size_t nneeded;
	char *rpath;		/* NULL when it has a RUNPATH (glibc) */
	char *runpath;
	char *origin;		/* $ORIGIN; NULL: unknown */
	bool nodeflib;
};

struct walk {
	struct elf_closure *c;
	struct deplist *out;
	struct es_error *e;
	struct obj *objs;
	size_t n, cap;
	struct strset names;	/* names that match a loaded object -> obj */
	struct strset files;	/* "dev:ino" -> obj */
	struct elf_file id;	/* the program's identification */
	const struct ldso_arch *arch;
	char *lib;		/* $LIB */
	char *defaults;		/* default directories, colon-separated */
	struct msg searched, skipped;	/* for the name being looked up */
};

static const char *
obj_path(const struct walk *w, size_t k)
{
	return w->out->deps[w->objs[k].dep].path;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The directory of path as glibc's dl-object.c takes it: absolute (from
 * the current directory if need be), last component dropped. */
static char *
origin_of(const char *path)
{
	char cwd[PATH_MAX];
	char *full, *slash;

	if (path[0] == '/')
		full = xstrdup(path);
	else if (getcwd(cwd, sizeof(cwd)))
		full = xasprintf("%s/%s", cwd, path);
	else
		return NULL;
	slash = strrchr(full, '/');
	slash[slash == full ? 1 : 0] = '\0';
	return full;
}

static void
note_key(char *key, size_t size, const struct stat *st)
{
	snprintf(key, size, "%ju:%ju", (uintmax_t)st->st_dev,
		 (uintmax_t)st->st_ino);
}

/* A name that now matches object k, unless an earlier object has it. */
static void
add_name(struct walk *w, const char *name, size_t k)
{
	if (name && !strset_has(&w->names, name))
		strset_put(&w->names, name, k);
}

/* Adds object k's record for ef (opened at its deplist entry's path). */
static size_t
add_obj(struct walk *w, size_t dep, size_t loader, const struct elf_file *ef,
	const struct stat *st, bool with_needed)
{
	struct obj *o;
	char key[64];

	xgrow((void **)&w->objs, &w->cap, w->n + 1, sizeof(*w->objs));
	o = &w->objs[w->n];
	memset(o, 0, sizeof(*o));
	o->dep = dep;
	o->loader = loader;
	o->nneeded = with_needed ? ef->nneeded : 0;
	o->needed = xcalloc(o->nneeded, sizeof(*o->needed));
	for (size_t i = 0; i < o->nneeded; i++)
		o->needed[i] = xstrdup(ef->needed[i]);
	o->runpath = dup_or_null(ef->runpath);
	o->rpath = ef->runpath ? NULL : dup_or_null(ef->rpath);
	o->nodeflib = ef->nodeflib;
	add_name(w, ef->soname, w->n);
	note_key(key, sizeof(key), st);
	strset_put(&w->files, key, w->n);
	return w->n++;
}

static void
note_skip(struct walk *w, const char *path, const char *why)
{
	msg_add(&w->skipped, "%s%s (%s)", w->skipped.len ? ", " : "", path,
		why);
}

static int
fail_need(struct walk *w, size_t k, int code, const char *text)
{
	return fail_at(w->e, code, w->out, ELF_DEP_LIBRARY, w->objs[k].dep,
		       "%s", text);
}

/* ld.so's ARM and RISC-V ports refuse objects of another float ABI. */
static bool
abi_match(const struct elf_file *a, const struct elf_file *b)
{
	if (a->machine != b->machine)
		return false;
	if (a->machine == EM_ARM)
		return !((a->flags | b->flags) & EF_ARM_ABI_FLOAT_SOFT) ||
		       !((a->flags | b->flags) & EF_ARM_ABI_FLOAT_HARD);
	if (a->machine == EM_RISCV)
		return (a->flags & EF_RISCV_FLOAT_ABI) ==
		       (b->flags & EF_RISCV_FLOAT_ABI);
	return true;
}

/* open_verify's judgement of a candidate: 1 usable, 0 skipped (another
 * class or machine), or an error that ends the search. */
static int
verify(struct walk *w, size_t k, int fd, const char *path)
{
	unsigned char hdr[ELF_IDENT_BYTES];
	struct es_error local = { 0 };
	struct elf_file id;
	char why[PATH_MAX + 128], m1[32], m2[32];
	ssize_t n = pread(fd, hdr, sizeof(hdr), 0);

	if (n < 0) {
		snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
		return fail_need(w, k, errno, why);
	}
	if (elf_read_ident(&id, hdr, (size_t)n, path, &local))
		return fail_need(w, k, local.code, local.msg);
	if (id.class != w->id.class) {
		snprintf(why, sizeof(why), "%s, not %s",
			 elf_class_name(id.class), elf_class_name(w->id.class));
		note_skip(w, path, why);
		return 0;
	}
	if (id.data != w->id.data) {
		snprintf(why, sizeof(why), "%s: ELF byte order %s, not %s",
			 path, id.data == ELFDATA2MSB ? "big-endian" :
			 "little-endian", w->id.data == ELFDATA2MSB ?
			 "big-endian" : "little-endian");
		return fail_need(w, k, ENOEXEC, why);
	}
	if (!abi_match(&id, &w->id)) {
		const char *got = elf_machine_name(id.machine, m1, sizeof(m1));
		const char *want = elf_machine_name(w->id.machine, m2,
						    sizeof(m2));

		if (id.machine != w->id.machine)
			snprintf(why, sizeof(why), "%s, not %s", got, want);
		else
			snprintf(why, sizeof(why), "%s e_flags 0x%" PRIx32
				 ", not 0x%" PRIx32, got, id.flags,
				 w->id.flags);
		note_skip(w, path, why);
		return 0;
	}
	if (id.type != ET_DYN) {
		snprintf(why, sizeof(why), "%s: not a shared library (ELF "
			 "type %u)", path, id.type);
		return fail_need(w, k, ENOEXEC, why);
	}
	return 1;
}

/* Loads the verified candidate at path for object k's DT_NEEDED name. */
static int
load_lib(struct walk *w, size_t k, int fd, const char *path, const char *name,
	 const struct stat *st)
{
	struct es_error local = { 0 };
	struct elf_file ef;
	size_t dep, idx;

	if (w->n >= ELF_CLOSURE_MAX_OBJECTS)
		return fail_need(w, k, E2BIG, "more objects to load than "
				 "ELF_CLOSURE_MAX_OBJECTS");
	if (elf_open_fd(&ef, fd, path, &local)) {
		elf_close(&ef);
		return fail_need(w, k, local.code, local.msg);
	}
	dep = deps_push(w->out, path, ELF_DEP_LIBRARY, w->objs[k].dep);
	idx = add_obj(w, dep, k, &ef, st, true);
	w->objs[idx].origin = origin_of(path);
	add_name(w, name, idx);
	add_name(w, path, idx);
	elf_close(&ef);
	return 1;
}

/* Tries one candidate path: 1 loaded (or the same file already was),
 * 0 not there or skipped, or an error. */
static int
try_path(struct walk *w, size_t k, const char *name, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t idx;
	char key[64];
	int r;

	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			note_skip(w, path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		note_skip(w, path, "not a regular file");
		close(fd);
		return 0;
	}
	r = verify(w, k, fd, path);
	if (r == 1) {
		note_key(key, sizeof(key), &st);
		if (strset_get(&w->files, key, &idx))
			add_name(w, name, idx);
		else
			r = load_lib(w, k, fd, path, name, &st);
	}
	close(fd);
	return r;
}

/* Matches a dynamic string token at s ($NAME or ${NAME}); its length. */
static size_t
dst_len(const char *s, const char *name)
{
	size_t n = strlen(name);

	if (s[1] == '{')
		return strncmp(s + 2, name, n) == 0 && s[2 + n] == '}' ?
		       n + 3 : 0;
	if (strncmp(s + 1, name, n) != 0 ||
	    isalnum((unsigned char)s[1 + n]) || s[1 + n] == '_')
		return 0;
	return n + 1;
}

/* s with $ORIGIN (of object owner), $LIB and $PLATFORM replaced; NULL
 * when a token has no value (glibc then drops the element). */
static char *
expand(struct walk *w, size_t owner, const char *s)
{
	const char *names[] = { "ORIGIN", "LIB", "PLATFORM" };
	const char *values[] = { w->objs[owner].origin, w->lib,
				 w->arch ? w->arch->platform : NULL };
	struct msg m = { 0 };
	size_t i, n = 0;

	msg_add(&m, "%s", "");
	while (*s) {
		for (i = 0; *s == '$' && i < 3; i++)
			if ((n = dst_len(s, names[i])) != 0)
				break;
		if (*s != '$' || i == 3) {
			msg_add(&m, "%c", *s++);
			continue;
		}
		if (!values[i]) {
			msg_free(&m);
			return NULL;
		}
		msg_add(&m, "%s", values[i]);
		s += n;
	}
	return m.p;
}

static char *
join(const char *dir, const char *name)
{
	if (dir[0] == '\0')
		return xstrdup(name);
	return xasprintf("%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
}

static int
try_dir(struct walk *w, size_t k, const char *name, const char *dir)
{
	char *path = join(dir, name);
	int r = try_path(w, k, name, path);

	free(path);
	return r;
}

/* Object owner's RPATH or RUNPATH as glibc's fillin_rpath reads it:
 * tokens expanded, trailing slashes dropped, each directory once, an
 * empty element the current directory. */
static size_t
split_path(struct walk *w, size_t owner, const char *list, char ***dirs)
{
	char *copy = xstrdup(list), *rest = copy, *el, *dir;
	struct strset seen = { 0 };
	size_t n = 0, cap = 0, len;

	*dirs = NULL;
	while ((el = strsep(&rest, ":")) != NULL) {
		dir = el[0] ? expand(w, owner, el) : xstrdup("");
		if (!dir || (el[0] && !dir[0]) || !strset_add(&seen, dir)) {
			free(dir);
			continue;
		}
		len = strlen(dir);
		while (len > 1 && dir[len - 1] == '/')
			dir[--len] = '\0';
		xgrow((void **)dirs, &cap, n + 1, sizeof(**dirs));
		(*dirs)[n++] = dir;
	}
	strset_free(&seen);
	free(copy);
	return n;
}

static int
try_list(struct walk *w, size_t k, const char *name, size_t owner,
	 const char *list, const char *label)
{
	char **dirs;
	size_t n = split_path(w, owner, list, &dirs);
	int r = 0;

	msg_add(&w->searched, "%s%s ", w->searched.len ? ", " : "", label);
	for (size_t i = 0; i < n; i++)
		msg_add(&w->searched, "%s%s", i ? ":" : "",
			dirs[i][0] ? dirs[i] : ".");
	if (owner != k)
		msg_add(&w->searched, " of %s", obj_path(w, owner));
	for (size_t i = 0; i < n && !r; i++)
		r = try_dir(w, k, name, dirs[i]);
	ldso_free_dirs(dirs, n);
	return r;
}

/* Whether path lies in a default directory (glibc's NODEFLIB check of a
 * cache entry compares it with each system dir and its slash). */
static bool
in_defaults(const struct walk *w, const char *path)
{
	const char *d = w->defaults;

	while (*d) {
		size_t len = strcspn(d, ":");

		if (len && strncmp(path, d, len) == 0 &&
		    (path[len] == '/' || d[len - 1] == '/'))
			return true;
		d += len + (d[len] == ':');
	}
	return false;
}

static int
try_cache(struct walk *w, size_t k, const char *name)
{
	const struct ldso *l = &w->c->ldso;
	bool nodeflib = w->objs[k].nodeflib;
	const char *path;
	int r = 0;

	if (l->map) {
		msg_add(&w->searched, "%sld.so.cache",
			w->searched.len ? ", " : "");
		path = ldso_cache_lookup(l, name, w->arch);
		if (path && nodeflib && in_defaults(w, path))
			note_skip(w, path, "in a default directory, and "
				  "DF_1_NODEFLIB");
		else if (path)
			r = try_path(w, k, name, path);
		return r;
	}
	if (!l->nconf_dirs)
		return 0;
	msg_add(&w->searched, "%sld.so.conf ", w->searched.len ? ", " : "");
	for (size_t i = 0; i < l->nconf_dirs; i++)
		msg_add(&w->searched, "%s%s", i ? ":" : "", l->conf_dirs[i]);
	for (size_t i = 0; i < l->nconf_dirs && !r; i++)
		if (!(nodeflib && in_defaults(w, l->conf_dirs[i])))
			r = try_dir(w, k, name, l->conf_dirs[i]);
	return r;
}

static int
try_defaults(struct walk *w, size_t k, const char *name)
{
	char *copy = xstrdup(w->defaults), *rest = copy, *dir;
	int r = 0;

	msg_add(&w->searched, "%s%s", w->searched.len ? ", " : "",
		w->defaults);
	while (!r && (dir = strsep(&rest, ":")) != NULL)
		if (dir[0])
			r = try_dir(w, k, name, dir);
	free(copy);
	return r;
}

static int
not_found(struct walk *w, size_t k, const char *name)
{
	struct msg m = { 0 };
	int err;

	msg_add(&m, "%s: not found, ", name);
	msg_relation(&m, w->out->deps, ELF_DEP_LIBRARY, w->objs[k].dep);
	if (w->searched.len)
		msg_add(&m, "; searched %s", w->searched.p);
	if (w->skipped.len)
		msg_add(&m, "; skipped %s", w->skipped.p);
	err = es_fail(w->e, ENOENT, "%s", m.p);
	msg_free(&m);
	return err;
}

/* The search of _dl_map_object for a name without a '/'. */
static int
search(struct walk *w, size_t k, const char *name)
{
	int r = 0;

	if (!w->objs[k].runpath)
		for (size_t l = k; !r && l != ELF_DEP_NONE;
		     l = w->objs[l].loader)
			if (w->objs[l].rpath)
				r = try_list(w, k, name, l, w->objs[l].rpath,
					     "RPATH");
	if (!r && w->objs[k].runpath)
		r = try_list(w, k, name, k, w->objs[k].runpath, "RUNPATH");
	if (!r)
		r = try_cache(w, k, name);
	if (!r && !w->objs[k].nodeflib)
		r = try_defaults(w, k, name);
	return r < 0 ? r : r ? 0 : not_found(w, k, name);
}

static int
resolve(struct walk *w, size_t k, const char *name)
{
	char *path;
	int r;

	if (strset_has(&w->names, name))
		return 0;
	msg_free(&w->searched);
	msg_free(&w->skipped);
	if (!strchr(name, '/'))
		return search(w, k, name);
	path = expand(w, k, name);
	if (!path) {
		char why[PATH_MAX];

		snprintf(why, sizeof(why), "%s: a $ token in it has no value",
			 name);
		return fail_need(w, k, ENOENT, why);
	}
	r = try_path(w, k, name, path);
	free(path);
	return r < 0 ? r : r ? 0 : not_found(w, k, name);
}

/* The program itself: its $ORIGIN is the directory of its real path
 * (what ld.so reads from /proc/self/exe). */
static int
add_root(struct walk *w, const struct elf_file *ef, int fd, size_t idx)
{
	const char *path = w->out->deps[idx].path;
	char real[PATH_MAX];
	struct stat st;
	size_t k;

	if (fstat(fd, &st) < 0)
		return es_fail(w->e, errno, "%s: %s", path, strerror(errno));
	k = add_obj(w, idx, ELF_DEP_NONE, ef, &st, true);
	if (realpath(path, real))
		w->objs[k].origin = origin_of(real);
	return 0;
}

/* The interpreter, loaded by the kernel: its path and soname match later
 * DT_NEEDED names (libc's on ld-linux-x86-64.so.2), its own DT_NEEDED
 * (none, for ld.so) are not read. */
static int
add_interp(struct walk *w, const char *interp)
{
	struct es_error local = { 0 };
	struct elf_file ef;
	struct stat st;
	size_t dep, k;
	int fd, err = 0;

	fd = open(interp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_at(w->e, errno, w->out, ELF_DEP_INTERP,
			       w->objs[0].dep, "%s: %s", interp,
			       strerror(errno));
	if (elf_open_fd(&ef, fd, interp, &local) || fstat(fd, &st) < 0) {
		if (!local.code)
			es_fail(&local, errno, "%s: %s", interp,
				strerror(errno));
		err = fail_at(w->e, local.code, w->out, ELF_DEP_INTERP,
			      w->objs[0].dep, "%s", local.msg);
	} else {
		dep = deps_push(w->out, interp, ELF_DEP_INTERP,
				w->objs[0].dep);
		k = add_obj(w, dep, ELF_DEP_NONE, &ef, &st, false);
		add_name(w, interp, k);
	}
	elf_close(&ef);
	close(fd);
	return err;
}

static void
walk_free(struct walk *w)
{
	for (size_t k = 0; k < w->n; k++) {
		struct obj *o = &w->objs[k];

		for (size_t i = 0; i < o->nneeded; i++)
			free(o->needed[i]);
		free(o->needed);
		free(o->rpath);
		free(o->runpath);
		free(o->origin);
	}
	free(w->objs);
	strset_free(&w->names);
	strset_free(&w->files);
	free(w->lib);
	free(w->defaults);
	msg_free(&w->searched);
	msg_free(&w->skipped);
}

int
load_program(struct elf_closure *c, struct deplist *out,
	     const struct elf_file *ef, int fd, size_t idx,
	     struct es_error *e)
{
	struct walk w = { .c = c, .out = out, .e = e };
	int err;

	w.id = *ef;
	w.arch = ldso_arch_of(ef);
	/* Debian's ld.so expands $LIB to the multiarch directory. */
	w.lib = w.arch ? xasprintf("lib/%s", w.arch->triplet) :
		xstrdup("lib");
	w.defaults = ldso_default_dirs(&c->ldso.cfg, w.arch);
	err = add_root(&w, ef, fd, idx);
	if (!err)
		err = add_interp(&w, ef->interp);
	/* Breadth-first, as _dl_map_object_deps: objects append to w.objs
	 * while it is walked. */
	for (size_t k = 0; !err && k < w.n; k++)
		for (size_t j = 0; !err && j < w.objs[k].nneeded; j++)
			err = resolve(&w, k, w.objs[k].needed[j]);
	walk_free(&w);
	return err;
}
