/*
 * check_elf.c - an ELF program's interpreter and libraries, looked for
 * in the tree where glibc's ld.so would look for them at boot.
 *
 * The kernel (fs/binfmt_elf.c) opens PT_INTERP, which must be an ELF of
 * the program's class and machine; a program without one is static and
 * needs nothing else. Libraries follow glibc's elf/dl-load.c as
 * closure.h describes it for the host: DT_NEEDED breadth-first, a name
 * already loaded (as DT_NEEDED or DT_SONAME, the interpreter's file
 * name included) not loaded again; a name with '/' is a path; else the
 * DT_RPATH of the needing object and of those that loaded it (when the
 * needing object has no DT_RUNPATH), its DT_RUNPATH ($ORIGIN expanded),
 * then the directories of the image's /etc/ld.so.conf and its includes,
 * then the default directories (ldso.h: the multiarch pair, /lib,
 * /usr/lib; for a 64-bit object /lib64 and /usr/lib64 too, where other
 * distributions put them), unless DF_1_NODEFLIB. A candidate of another
 * class or machine is skipped, as ld.so skips it; one that is not an
 * ELF stops the search with an error, as it stops ld.so.
 *
 * Deliberate differences: the image's ld.so.cache is not read (its
 * ld.so.conf stands in for it; ld.so itself reads only the cache, so an
 * image with a conf and no cache is judged leniently), $LIB and
 * $PLATFORM elements are skipped, and the ARM and RISC-V float ABI
 * flags are not compared.
 */
#include "image/check_internal.h"
#include "base/strset.h"
#include "base/xalloc.h"
#include "elf/closure.h"
#include "elf/elf_file.h"
#include "elf/ldso.h"

#include <elf.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct object {
	char *path;		/* as it was opened */
	char *origin;		/* $ORIGIN: the directory of that path */
	size_t node;
	size_t parent;		/* index of the object that needed it */
	const struct check_file *f;
};

struct closure {
	const struct tree *t;
	struct check_report *rep;
	const char *why;	/* of the program: "#! interpreter of /init" */
	struct object *v;
	size_t n, cap;
	struct strset names;	/* DT_NEEDED and DT_SONAME names loaded */
	bool *loaded;		/* by node */
	struct strset conf_seen;
	char **conf_dirs;
	size_t nconf, conf_cap;
	char *defaults;		/* colon-separated */
	/* the search in progress */
	char *searched, *skipped, *found;
};

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

static size_t
add_object(struct closure *c, const char *path, size_t node, size_t parent)
{
	struct object *o;

	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
	o = &c->v[c->n];
	*o = (struct object){ xstrdup(path), dir_of(path), node, parent,
			      check_file_of(c->t, node) };
	c->loaded[node] = true;
	if (o->f->soname)
		strset_add(&c->names, o->f->soname);
	return c->n++;
}

/* "needed by B (needed by A, #! interpreter of /init)" for object i. */
static char *
needed_by(const struct closure *c, size_t i)
{
	char *s = xasprintf("needed by %s", c->v[i].path), *next;

	for (size_t k = c->v[i].parent; k != TREE_NONE; k = c->v[k].parent) {
		next = xasprintf("%s, needed by %s", s, c->v[k].path);
		free(s);
		s = next;
	}
	if (*c->why) {
		next = xasprintf("%s, %s", s, c->why);
		free(s);
		s = next;
	}
	return s;
}

/* --- ld.so.conf in the image -------------------------------------------- */

static void conf_read(struct closure *c, const char *path, int depth);

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "include PATTERN": a glob in its last component only. */
static void
conf_include(struct closure *c, const char *pattern, int depth)
{
	char *dir = dir_of(pattern), **names = NULL;
	const char *leaf = strrchr(pattern, '/') ? strrchr(pattern, '/') + 1 : pattern;
	size_t dnode, n = 0, cap = 0;

	if (tree_lookup(c->t, dir, true, &dnode) == 0) {
		for (size_t i = 1; i < c->t->nnodes; i++) {
			const struct tree_node *nd = &c->t->nodes[i];

			if (nd->parent == dnode && nd->inode != TREE_NONE &&
			    !fnmatch(leaf, nd->name, FNM_PERIOD)) {
				xgrow((void **)&names, &cap, n + 1, sizeof(*names));
				names[n++] = xasprintf("%s/%s", dir, nd->name);
			}
		}
	}
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		conf_read(c, names[i], depth + 1);
		free(names[i]);
	}
	free(names);
	free(dir);
}

static void
conf_line(struct closure *c, char *line, const char *path, int depth)
{
	size_t len;

	line[strcspn(line, "#")] = '\0';
	line += strspn(line, " \t");
	if (!strncmp(line, "include", 7) && (line[7] == ' ' || line[7] == '\t')) {
		char *save, *pat, *dir = dir_of(path);

		for (pat = strtok_r(line + 8, " \t", &save); pat;
		     pat = strtok_r(NULL, " \t", &save)) {
			char *full = *pat == '/' ? xstrdup(pat) : xasprintf("%s/%s", dir, pat);

			conf_include(c, full, depth);
			free(full);
		}
		free(dir);
		return;
	}
	if (!strncmp(line, "hwcap", 5))
		return;
	line[strcspn(line, "=")] = '\0';
	len = strlen(line);
	while (len > 0 && strchr(" \t\r", line[len - 1]))
		line[--len] = '\0';
	while (len > 1 && line[len - 1] == '/')
		line[--len] = '\0';
	if (len && strset_add(&c->conf_seen, line)) {
		xgrow((void **)&c->conf_dirs, &c->conf_cap, c->nconf + 1,
		      sizeof(*c->conf_dirs));
		c->conf_dirs[c->nconf++] = xstrdup(line);
	}
}

static void
conf_read(struct closure *c, const char *path, int depth)
{
	const struct check_file *f;
	char *text, *line, *save;
	size_t node;

	if (depth > LDSO_CONF_MAX_DEPTH || tree_lookup(c->t, path, true, &node) < 0 ||
	    !(f = check_file_of(c->t, node)) || !f->text)
		return;
	text = xstrdup(f->text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		conf_line(c, line, path, depth);
	free(text);
}

/* --- finding a library -------------------------------------------------- */

static bool
same_arch(const struct check_file *a, const struct check_file *b)
{
	return a->class == b->class && a->machine == b->machine &&
	       (!a->data || !b->data || a->data == b->data);
}

static void
note_skipped(struct closure *c, const char *path, const struct check_file *f)
{
	char m[32], *s;

	s = xasprintf("%s%s%s (%s, %s)", c->skipped ? c->skipped : "",
		      c->skipped ? ", " : "", path, elf_class_name(f->class),
		      elf_machine_name(f->machine, m, sizeof(m)));
	free(c->skipped);
	c->skipped = s;
}

enum found { NOT_HERE, FOUND, BAD };

/* ld.so opening path for object who: FOUND (*node), NOT_HERE (search
 * on), BAD (reported: the search stops). */
static enum found
try_path(struct closure *c, size_t who, const char *name, const char *path,
	 size_t *node)
{
	const struct check_file *f;
	const struct tree_inode *in;
	char *chain;

	if (tree_lookup(c->t, path, true, node) < 0 ||
	    !S_ISREG((in = tree_inode_of(c->t, *node))->mode))
		return NOT_HERE;
	f = check_file_of(c->t, *node);
	if (f && f->elf && !f->elf_error && f->type == ET_DYN) {
		if (same_arch(f, c->v[0].f)) {
			c->found = xstrdup(path);
			return FOUND;
		}
		note_skipped(c, path, f);
		return NOT_HERE;
	}
	chain = needed_by(c, who);
	check_add(c->rep, CHECK_ERROR, "lib-bad", &in->from, path,
		  "%s, %s, is %s: ld.so stops with an error",
		  name, chain, f && f->elf_error ? f->elf_error :
		  f && f->elf ? "an ELF file but not a shared object" :
		  "not an ELF file");
	free(chain);
	return BAD;
}

/* Replaces $ORIGIN (or ${ORIGIN}); NULL for other tokens. */
static char *
expand(const char *dir, const char *origin)
{
	static const char *const tokens[] = { "${ORIGIN}", "$ORIGIN" };
	char *s = xstrdup(dir), *p, *next;

	for (size_t i = 0; i < 2; i++)
		while ((p = strstr(s, tokens[i]))) {
			*p = '\0';
			next = xasprintf("%s%s%s", s, origin, p + strlen(tokens[i]));
			free(s);
			s = next;
		}
	if (strchr(s, '$')) {
		free(s);
		return NULL;
	}
	return s;
}

static void
note_searched(struct closure *c, const char *dir)
{
	char *s = xasprintf("%s%s%s", c->searched ? c->searched : "",
			    c->searched ? ":" : "", *dir ? dir : ".");

	free(c->searched);
	c->searched = s;
}

/* Each directory of a colon-separated list, $ORIGIN from origin. */
static enum found
try_dirs(struct closure *c, size_t who, const char *name, const char *list,
	 const char *origin, size_t *node)
{
	char *copy, *dir, *rest;
	enum found r = NOT_HERE;

	if (!list)
		return NOT_HERE;
	copy = xstrdup(list);
	for (rest = copy; r == NOT_HERE && rest;) {
		char *d, *path;

		dir = rest;
		rest = strchr(rest, ':');
		if (rest)
			*rest++ = '\0';
		if (!(d = expand(dir, origin)))
			continue;
		note_searched(c, d);
		path = xasprintf("%s/%s", *d ? d : ".", name);
		r = try_path(c, who, name, path, node);
		free(path);
		free(d);
	}
	free(copy);
	return r;
}

static enum found
search(struct closure *c, size_t who, const char *name, size_t *node)
{
	const struct check_file *f = c->v[who].f;
	enum found r = NOT_HERE;

	if (strchr(name, '/'))
		return try_path(c, who, name, name, node);
	if (!f->runpath)
		for (size_t k = who; r == NOT_HERE && k != TREE_NONE; k = c->v[k].parent)
			r = try_dirs(c, who, name, c->v[k].f->rpath, c->v[k].origin, node);
	if (r == NOT_HERE)
		r = try_dirs(c, who, name, f->runpath, c->v[who].origin, node);
	for (size_t i = 0; r == NOT_HERE && i < c->nconf; i++)
		r = try_dirs(c, who, name, c->conf_dirs[i], "", node);
	if (r == NOT_HERE && !f->nodeflib)
		r = try_dirs(c, who, name, c->defaults, "", node);
	return r;
}

static void
missing_lib(struct closure *c, size_t who, const char *name)
{
	char *chain = needed_by(c, who);
	const struct tree_inode *in = tree_inode_of(c->t, c->v[who].node);

	check_add(c->rep, CHECK_ERROR, "lib-missing", &in->from, name,
		  "not found, %s; searched %s%s%s", chain,
		  c->searched ? c->searched : "nothing (a path)",
		  c->skipped ? "; skipped " : "", c->skipped ? c->skipped : "");
	free(chain);
}

static void
load_needed(struct closure *c, size_t who)
{
	const struct check_file *f = c->v[who].f;

	for (size_t i = 0; i < f->nneeded && c->n < CHECK_MAX_OBJECTS; i++) {
		const char *name = f->needed[i];
		size_t node;
		enum found r;

		if (!strset_add(&c->names, name))
			continue;
		c->searched = c->skipped = c->found = NULL;
		r = search(c, who, name, &node);
		if (r == NOT_HERE)
			missing_lib(c, who, name);
		else if (r == FOUND && !c->loaded[node])
			add_object(c, c->found, node, who);
		free(c->searched);
		free(c->skipped);
		free(c->found);
	}
}

/* The program's PT_INTERP: true when it is there and usable. */
static bool
check_interp(struct closure *c, const char *path)
{
	const struct check_file *prog = c->v[0].f, *f;
	const struct tree_inode *in = tree_inode_of(c->t, c->v[0].node);
	char *chain = *c->why ? xasprintf(" (%s)", c->why) : xstrdup("");
	char m[32], pm[32];
	size_t node;
	bool ok = false;

	if (tree_lookup(c->t, prog->interp, true, &node) < 0 ||
	    !S_ISREG(tree_inode_of(c->t, node)->mode))
		check_add(c->rep, CHECK_ERROR, "elf-interp-missing", &in->from, path,
			  "its ELF interpreter %s is not in the image: execve fails with ENOENT%s",
			  prog->interp, chain);
	else if (!(tree_inode_of(c->t, node)->mode & 0111))
		check_add(c->rep, CHECK_ERROR, "elf-interp-bad", &in->from, path,
			  "its ELF interpreter %s has no x bit: execve fails with EACCES%s",
			  prog->interp, chain);
	else if (!(f = check_file_of(c->t, node)) || !f->elf || f->elf_error)
		check_add(c->rep, CHECK_ERROR, "elf-interp-bad", &in->from, path,
			  "its ELF interpreter %s is not a readable ELF file: execve fails%s",
			  prog->interp, chain);
	else if (!same_arch(f, prog))
		check_add(c->rep, CHECK_ERROR, "elf-interp-bad", &in->from, path,
			  "its ELF interpreter %s is %s %s, the program %s %s: execve fails%s",
			  prog->interp, elf_class_name(f->class),
			  elf_machine_name(f->machine, m, sizeof(m)),
			  elf_class_name(prog->class),
			  elf_machine_name(prog->machine, pm, sizeof(pm)), chain);
	else
		ok = true;
	if (ok) {
		const char *base = strrchr(prog->interp, '/');

		strset_add(&c->names, base ? base + 1 : prog->interp);
		add_object(c, prog->interp, node, 0);
	}
	free(chain);
	return ok;
}

static void
closure_free(struct closure *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].origin);
	}
	for (size_t i = 0; i < c->nconf; i++)
		free(c->conf_dirs[i]);
	free(c->conf_dirs);
	free(c->v);
	free(c->loaded);
	free(c->defaults);
	strset_free(&c->names);
	strset_free(&c->conf_seen);
}

static char *
default_dirs(const struct check_file *f)
{
	struct elf_file ef = { .class = f->class, .data = f->data,
			       .machine = f->machine, .flags = f->flags };
	struct ldso_config cfg = { NULL, NULL, NULL };
	char *dirs = ldso_default_dirs(&cfg, ldso_arch_of(&ef)), *all;

	if (f->class != ELFCLASS64)
		return dirs;
	all = xasprintf("%s:/lib64:/usr/lib64", dirs);
	free(dirs);
	return all;
}

void
check_elf_program(const struct tree *t, const char *path, size_t node,
		  const char *why, struct check_report *rep)
{
	struct closure c = { .t = t, .rep = rep, .why = why };
	char *real = tree_path(t, node);

	c.loaded = xcalloc(t->nnodes, sizeof(*c.loaded));
	add_object(&c, path, node, TREE_NONE);
	/* glibc's $ORIGIN of the program is its real directory. */
	free(c.v[0].origin);
	c.v[0].origin = dir_of(real);
	free(real);
	if (c.v[0].f->interp && check_interp(&c, path)) {
		conf_read(&c, "/etc/ld.so.conf", 0);
		c.defaults = default_dirs(c.v[0].f);
		for (size_t i = 0; i < c.n; i++)
			load_needed(&c, i);
	}
	closure_free(&c);
}
