/*
 * closure.c - see closure.h: the programs given, #! scripts (the kernel's
 * fs/binfmt_script.c), the pending list of one elf_closure_add and the
 * messages. The loader's search itself is in load.c.
 */
#include "elf/closure.h"
#include "elf/load.h"
#include "base/xalloc.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
msg_add(struct msg *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	xgrow((void **)&m->p, &m->cap, m->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(m->p + m->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	m->len += (size_t)n;
}

void
msg_free(struct msg *m)
{
	free(m->p);
	memset(m, 0, sizeof(*m));
}

size_t
deps_push(struct deplist *l, const char *path, enum elf_dep_kind kind,
	  size_t parent)
{
	xgrow((void **)&l->deps, &l->cap, l->len + 1, sizeof(*l->deps));
	l->deps[l->len].path = xstrdup(path);
	l->deps[l->len].kind = kind;
	l->deps[l->len].parent = parent;
	return l->len++;
}

static const char *
verb(enum elf_dep_kind kind)
{
	switch (kind) {
	case ELF_DEP_SCRIPT_INTERP: return "#! interpreter of";
	case ELF_DEP_INTERP: return "interpreter of";
	case ELF_DEP_LIBRARY: return "needed by";
	case ELF_DEP_PROGRAM: break;
	}
	return "";
}

void
msg_relation(struct msg *m, const struct elf_dep *deps,
	     enum elf_dep_kind kind, size_t parent)
{
	bool first = true;

	if (parent == ELF_DEP_NONE)
		return;
	msg_add(m, "%s %s", verb(kind), deps[parent].path);
	for (size_t i = parent; deps[i].parent != ELF_DEP_NONE;
	     i = deps[i].parent) {
		msg_add(m, "%s%s %s", first ? " (" : ", ", verb(deps[i].kind),
			deps[deps[i].parent].path);
		first = false;
	}
	if (!first)
		msg_add(m, ")");
}

int
fail_at(struct es_error *e, int code, const struct deplist *l,
	enum elf_dep_kind kind, size_t parent, const char *fmt, ...)
{
	struct msg m = { 0 };
	char head[sizeof(e->msg)];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	msg_add(&m, "%s", head);
	if (parent != ELF_DEP_NONE) {
		msg_add(&m, ", ");
		msg_relation(&m, l->deps, kind, parent);
	}
	err = es_fail(e, code, "%s", m.p);
	msg_free(&m);
	return err;
}

static bool
blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* The interpreter of a #! line, as fs/binfmt_script.c finds it in the
 * first ELF_SCRIPT_BUF bytes (the rest zero); NULL or why there is none. */
static const char *
shebang(const unsigned char *buf, char *interp)
{
	const unsigned char *last = buf + ELF_SCRIPT_BUF - 1;
	/* The kernel's strnchr stops at a NUL, so does this. */
	const unsigned char *end = memchr(buf, '\n',
					  strnlen((const char *)buf,
						  ELF_SCRIPT_BUF));
	const unsigned char *name = buf + 2;
	size_t len = 0;

	if (!end) {
		/* No newline: only a name that ends inside the buffer. */
		while (name <= last && blank(*name))
			name++;
		if (name > last)
			return "no interpreter on its #! line";
		while (name + len <= last && name[len] && !blank(name[len]))
			len++;
		if (name + len > last)
			return "#! line too long for its interpreter name";
		end = last;
	}
	while (end > buf + 2 && blank(end[-1]))
		end--;
	for (name = buf + 2; name < end && blank(*name); name++)
		;
	for (len = 0; name + len < end && name[len] && !blank(name[len]);
	     len++)
		;
	if (len == 0)
		return "no interpreter on its #! line";
	memcpy(interp, name, len);
	interp[len] = '\0';
	return NULL;
}

static int add_program(struct elf_closure *c, struct deplist *out,
		       const char *path, enum elf_dep_kind kind,
		       size_t parent, int depth, struct es_error *e);

static int
add_script(struct elf_closure *c, struct deplist *out, const char *path,
	   const unsigned char *buf, enum elf_dep_kind kind, size_t parent,
	   int depth, struct es_error *e)
{
	char interp[ELF_SCRIPT_BUF];
	const char *why = shebang(buf, interp);
	size_t idx;

	if (why)
		return fail_at(e, ENOEXEC, out, kind, parent, "%s: %s", path,
			       why);
	if (depth >= ELF_SCRIPT_MAX_DEPTH)
		return fail_at(e, ELOOP, out, kind, parent, "%s: more than %d "
			       "levels of #! interpreters", path,
			       ELF_SCRIPT_MAX_DEPTH);
	idx = deps_push(out, path, kind, parent);
	return add_program(c, out, interp, ELF_DEP_SCRIPT_INTERP, idx,
			   depth + 1, e);
}

static int
add_elf(struct elf_closure *c, struct deplist *out, int fd, const char *path,
	enum elf_dep_kind kind, size_t parent, struct es_error *e)
{
	struct es_error local = { 0 };
	struct elf_file ef;
	size_t idx;
	int err;

	err = elf_open_fd(&ef, fd, path, &local);
	if (err)
		err = fail_at(e, local.code, out, kind, parent, "%s",
			      local.msg);
	else if (ef.type != ET_EXEC && ef.type != ET_DYN)
		err = fail_at(e, ENOEXEC, out, kind, parent, "%s: not an "
			      "executable (ELF type %u)", path, ef.type);
	if (!err) {
		idx = deps_push(out, path, kind, parent);
		/* Without PT_INTERP no loader reads its DT_NEEDED. */
		if (ef.interp)
			err = load_program(c, out, &ef, fd, idx, e);
	}
	elf_close(&ef);
	return err;
}

static int
add_program(struct elf_closure *c, struct deplist *out, const char *path,
	    enum elf_dep_kind kind, size_t parent, int depth,
	    struct es_error *e)
{
	unsigned char buf[ELF_SCRIPT_BUF] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return fail_at(e, errno, out, kind, parent, "%s: %s", path,
			       strerror(errno));
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		err = fail_at(e, errno, out, kind, parent, "%s: %s", path,
			      strerror(errno));
	else if (n >= 2 && buf[0] == '#' && buf[1] == '!')
		err = add_script(c, out, path, buf, kind, parent, depth, e);
	else if (n < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
		err = fail_at(e, ENOEXEC, out, kind, parent, "%s: neither an "
			      "ELF file nor a #! script", path);
	else
		err = add_elf(c, out, fd, path, kind, parent, e);
	close(fd);
	return err;
}

int
elf_closure_init(struct elf_closure *c, const struct ldso_config *cfg,
		 struct es_error *e)
{
	memset(c, 0, sizeof(*c));
	return ldso_open(&c->ldso, cfg, e);
}

/* Appends the pending entries not listed yet, parents remapped. */
static void
merge(struct elf_closure *c, struct deplist *out)
{
	size_t *map = xcalloc(out->len, sizeof(*map));
	struct deplist all = { c->deps, c->len, c->cap };

	for (size_t i = 0; i < out->len; i++) {
		struct elf_dep *d = &out->deps[i];
		size_t parent = d->parent == ELF_DEP_NONE ? ELF_DEP_NONE :
				map[d->parent];

		if (strset_get(&c->paths, d->path, &map[i]))
			continue;
		map[i] = deps_push(&all, d->path, d->kind, parent);
		strset_put(&c->paths, d->path, map[i]);
	}
	c->deps = all.deps;
	c->len = all.len;
	c->cap = all.cap;
	free(map);
}

static void
deps_free(struct elf_dep *deps, size_t len)
{
	for (size_t i = 0; i < len; i++)
		free(deps[i].path);
	free(deps);
}

int
elf_closure_add(struct elf_closure *c, const char *path, struct es_error *e)
{
	struct deplist out = { 0 };
	int err;

	err = add_program(c, &out, path, ELF_DEP_PROGRAM, ELF_DEP_NONE, 0, e);
	if (!err)
		merge(c, &out);
	deps_free(out.deps, out.len);
	return err;
}

char *
elf_closure_why(const struct elf_closure *c, size_t i)
{
	struct msg m = { 0 };

	msg_relation(&m, c->deps, c->deps[i].kind, c->deps[i].parent);
	return m.p ? m.p : xstrdup("");
}

void
elf_closure_free(struct elf_closure *c)
{
	deps_free(c->deps, c->len);
	strset_free(&c->paths);
	ldso_close(&c->ldso);
	memset(c, 0, sizeof(*c));
}
