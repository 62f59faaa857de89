/*
 * list_source.c - a list file as a build source (list_parse.h).
 *
 * The file is read twice. The first pass checks every line and gathers
 * each hard-link group: a `file` line's names and the `hardlink` lines
 * that name one of them. The second adds the entries, so that every
 * record of a group carries the group's size, its last name the data,
 * as the kernel's unpacker expects (it links each later name to the
 * first and writes the data through the last). Lines in gen_init_cpio's
 * language alone give the bytes gen_init_cpio gives.
 */
#include "image/source.h"
#include "image/list_parse.h"
#include "base/strset.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct link_group {
	uint32_t nlink;		/* names, from both passes */
	uint32_t written;	/* names written so far */
	uint32_t ino;		/* the builder's, from the first name */
	int64_t mtime;		/* every name's */
	char *location;
	uint32_t mode, uid, gid;
};

struct list_source {
	struct composer *c;
	struct builder *b;
	const char *path;
	struct strset names;	/* name -> index in groups */
	struct link_group *groups;
	size_t ngroups, cap;
	size_t next_group;	/* second pass: the next file line's */
	int64_t mtime;		/* the last mtime line's; BUILD_NO_MTIME */
};

static int
line_error(struct list_source *s, const struct list_parser *p,
	   enum list_status st, const struct list_item *it)
{
	struct es_error *e = &s->b->err;
	const char *path = s->path;

	switch (st) {
	case LIST_BAD_FIELDS:
		return es_fail(e, EINVAL, "%s:%d: malformed '%s' line: '%s'",
			       path, p->lineno, it->type, it->args);
	case LIST_UNKNOWN_TYPE:
		return es_fail(e, EINVAL, "%s:%d: unknown type '%s'", path,
			       p->lineno, it->type);
	case LIST_NO_ARGS:
		return es_fail(e, EINVAL, "%s:%d: '%s' without fields", path,
			       p->lineno, it->type);
	case LIST_NO_TYPE:
		return es_fail(e, EINVAL, "%s:%d: no type on the line", path,
			       p->lineno);
	case LIST_BAD_VALUE:
		return es_fail(e, EINVAL, "%s:%d: %s", path, p->lineno, it->why);
	default:
		return es_fail(e, it->err, "%s: %s", path, strerror(it->err));
	}
}

/* First pass: a file line starts a group, a hardlink line joins one. */
static int
gather(struct list_source *s, const struct list_parser *p,
       const struct list_item *it)
{
	size_t g;

	if (it->kind == LK_FILE) {
		xgrow((void **)&s->groups, &s->cap, s->ngroups + 1,
		      sizeof(*s->groups));
		g = s->ngroups++;
		memset(&s->groups[g], 0, sizeof(s->groups[g]));
		s->groups[g].nlink = (uint32_t)it->nnames;
		for (int i = 0; i < it->nnames; i++)
			strset_put(&s->names, it->names[i], g);
	} else if (it->kind == LK_HARDLINK) {
		if (!strset_get(&s->names, it->target, &g))
			return es_fail(&s->b->err, EINVAL,
				       "%s:%d: hardlink %s: no file line before it names %s",
				       s->path, p->lineno, it->names[0], it->target);
		s->groups[g].nlink++;
		strset_put(&s->names, it->names[0], g);
	}
	return 0;
}

/* The group's mtime: the mtime line's, or the file's own. */
static int64_t
group_mtime(struct list_source *s, const char *location)
{
	struct stat st;

	if (s->mtime != BUILD_NO_MTIME || stat(location, &st) < 0)
		return s->mtime;	/* a missing file fails when opened */
	return st.st_mtime;
}

static int
add_file(struct list_source *s, const struct list_item *it)
{
	struct link_group *g = &s->groups[s->next_group++];

	if (g->nlink == (uint32_t)it->nnames)	/* the line is the group */
		return builder_add_file(s->b, &(struct build_file){
			.names = it->names, .nnames = it->nnames,
			.location = it->location, .mode = it->mode,
			.uid = it->uid, .gid = it->gid, .mtime = s->mtime,
		});
	g->location = xstrdup(it->location);
	g->mode = it->mode;
	g->uid = it->uid;
	g->gid = it->gid;
	g->mtime = group_mtime(s, it->location);
	g->written = (uint32_t)it->nnames;
	return builder_add_file(s->b, &(struct build_file){
		.names = it->names, .nnames = it->nnames,
		.location = it->location, .mode = it->mode, .uid = it->uid,
		.gid = it->gid, .mtime = g->mtime, .nlink = g->nlink,
		.group_ino = &g->ino, .data_later = true,
	});
}

static int
add_hardlink(struct list_source *s, const struct list_item *it)
{
	size_t i;
	struct link_group *g;

	strset_get(&s->names, it->names[0], &i);	/* gather put it */
	g = &s->groups[i];
	g->written++;
	return builder_add(s->b, &(struct build_entry){
		.name = it->names[0], .mode = S_IFREG | (g->mode & 07777),
		.uid = g->uid, .gid = g->gid, .mtime = g->mtime,
		.location = g->location, .nlink = g->nlink,
		.data = g->written == g->nlink, .group_ino = &g->ino,
	});
}

/* Second pass: one line's entries. */
static int
add_line(struct list_source *s, struct list_item *it)
{
	switch (it->kind) {
	case LK_MTIME:
		s->mtime = it->mtime;
		return 0;
	case LK_FILE:
		return add_file(s, it);
	case LK_HARDLINK:
		return add_hardlink(s, it);
	case LK_PROGRAM:
		return composer_program(s->c, it->location,
					it->nnames ? it->names[0] : NULL);
	case LK_MODULE:
		return composer_modules(s->c, it->names, it->nnames);
	case LK_FIRMWARE:
		return composer_firmware(s->c, it->names, it->nnames);
	default:
		return add_list_item(s->b, it, s->mtime);
	}
}

/* Runs one pass over f; a failing line's message gets file:line. */
static int
pass(struct list_source *s, FILE *f, bool second)
{
	struct list_parser p;
	struct list_item it;
	enum list_status st;
	int rc = 0;

	list_parser_init(&p, f, false);
	while (rc == 0 && (st = list_next(&p, &it)) != LIST_EOF) {
		if (st == LIST_BLANK)
			continue;
		if (st != LIST_ITEM)
			rc = line_error(s, &p, st, &it);
		else if (!second)
			rc = gather(s, &p, &it);
		else if ((rc = add_line(s, &it)) < 0 && !s->b->w.out->err)
			/* name the line: the builder's message names the file */
			es_prefix(&s->b->err, "%s:%d", s->path, p.lineno);
	}
	list_parser_free(&p);
	return rc;
}

/* The whole of f, so that a pipe can be read twice. */
static int
slurp(FILE *f, char **text, size_t *len)
{
	FILE *mem = open_memstream(text, len);
	char buf[65536];
	size_t n;

	if (!mem)
		return -errno;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, mem) != n)
			break;
	if (ferror(f) || ferror(mem)) {
		int e = errno ? errno : EIO;

		fclose(mem);
		free(*text);
		return -e;
	}
	return fclose(mem) == 0 ? 0 : -errno;
}

int
list_source_add(struct composer *c, FILE *f, const char *path)
{
	struct builder *b = c->b;
	struct list_source s = {
		.c = c, .b = b, .path = path, .mtime = BUILD_NO_MTIME,
	};
	char *text = NULL;
	size_t len = 0;
	int rc = slurp(f, &text, &len);

	if (rc < 0)
		return es_fail(&b->err, -rc, "%s: %s", path, strerror(-rc));
	for (int second = 0; second < 2 && rc == 0 && len; second++) {
		FILE *mem = fmemopen(text, len ? len : 1, "r");

		if (!mem) {
			rc = es_fail(&b->err, errno, "%s: %s", path, strerror(errno));
			break;
		}
		rc = pass(&s, mem, second);
		fclose(mem);
	}
	for (size_t i = 0; i < s.ngroups; i++)
		free(s.groups[i].location);
	free(s.groups);
	strset_free(&s.names);
	free(text);
	return rc;
}
