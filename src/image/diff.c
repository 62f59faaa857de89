/*
 * diff.c - see diff.h: reading two images into trees, then one merge
 * walk of their sorted names.
 */
#include "image/diff.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *
diff_type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "file";
	case S_IFDIR:
		return "dir";
	case S_IFLNK:
		return "symlink";
	case S_IFCHR:
		return "chardev";
	case S_IFBLK:
		return "blockdev";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	}
	return "unknown";
}

const char *
diff_field_name(unsigned field)
{
	static const char *const names[DIFF_NFIELDS] = {
		"type", "mode", "uid", "gid", "size", "content", "target",
		"rdev", "nlink", "linkgroup", "mtime",
	};

	for (int i = 0; i < DIFF_NFIELDS; i++)
		if (field == 1u << i)
			return names[i];
	return "?";
}

/* --- reading ------------------------------------------------------------ */

int
diff_load(struct diff_image *d, const char *path)
{
	struct image_reader r;
	struct cpio_entry e;
	int rc;

	memset(d, 0, sizeof(*d));
	d->path = path;
	tree_init(&d->tree, NULL);
	if (image_open(&r, path) < 0) {
		d->err = r.err;
		return -d->err.code;
	}
	while ((rc = image_next(&r, &e)) == 0)
		if ((rc = tree_add(&d->tree, &r, &e)) < 0)
			break;
	if (es_failed(&d->tree.err))
		d->err = d->tree.err;
	else if (rc < 0)
		d->err = r.err;
	/* The members are kept; image_close() would free them. */
	d->members = r.members;
	d->nmembers = r.nmembers;
	r.members = NULL;
	image_close(&r);
	tree_finish(&d->tree);
	return es_failed(&d->err) ? -d->err.code : 0;
}

void
diff_image_free(struct diff_image *d)
{
	tree_free(&d->tree);
	free(d->members);
	d->members = NULL;
	d->nmembers = 0;
}

void
diff_result_free(struct diff_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->v[i].path);
		free(res->v[i].group_a);
		free(res->v[i].group_b);
	}
	free(res->v);
	free(res->m);
	memset(res, 0, sizeof(*res));
}

/* --- one tree's walk order ----------------------------------------------- */

/* A tree's names in tree_path_cmp order, and for each inode the first
 * of its names in that order (its hard-link group's leader). */
struct walk {
	const struct tree *t;
	size_t *order, n, i;
	size_t *leader;		/* by inode: a node, or TREE_NONE */
	char *path;		/* of order[i], or NULL past the end */
};

static void
walk_load(struct walk *w)
{
	free(w->path);
	w->path = w->i < w->n ? tree_path(w->t, w->order[w->i]) : NULL;
}

static void
walk_init(struct walk *w, const struct tree *t)
{
	memset(w, 0, sizeof(*w));
	w->t = t;
	w->order = tree_sorted(t, &w->n);
	w->leader = xcalloc(t->ninodes ? t->ninodes : 1, sizeof(*w->leader));
	for (size_t i = 0; i < t->ninodes; i++)
		w->leader[i] = TREE_NONE;
	for (size_t i = w->n; i-- > 0;)
		w->leader[t->nodes[w->order[i]].inode] = w->order[i];
	walk_load(w);
}

static void
walk_next(struct walk *w)
{
	w->i++;
	walk_load(w);
}

static void
walk_free(struct walk *w)
{
	free(w->order);
	free(w->leader);
	free(w->path);
}

static const struct tree_inode *
walk_inode(const struct walk *w)
{
	return tree_inode_of(w->t, w->order[w->i]);
}

/* --- comparing one path ---------------------------------------------------- */

static struct diff_change *
add_change(struct diff_result *res, enum diff_kind kind, const char *path,
	   const struct tree_inode *a, const struct tree_inode *b)
{
	struct diff_change *c;

	xgrow((void **)&res->v, &res->cap, res->n + 1, sizeof(*res->v));
	c = &res->v[res->n++];
	*c = (struct diff_change){ .kind = kind, .path = xstrdup(path),
				   .a = a, .b = b };
	return c;
}

static bool
is_dev(uint32_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode);
}

/* The fields that differ between two inodes of the same type, but the
 * hard-link grouping. */
static unsigned
inode_fields(const struct tree_inode *a, const struct tree_inode *b,
	     unsigned flags)
{
	unsigned f = 0;

	if ((a->mode & 07777) != (b->mode & 07777))
		f |= DIFF_MODE;
	if (a->uid != b->uid)
		f |= DIFF_UID;
	if (a->gid != b->gid)
		f |= DIFF_GID;
	if (S_ISREG(a->mode) && a->size != b->size)
		f |= DIFF_SIZE;
	if (S_ISREG(a->mode) && (a->size != b->size || a->hash != b->hash))
		f |= DIFF_CONTENT;
	if (S_ISLNK(a->mode) && strcmp(a->target ? a->target : "",
				       b->target ? b->target : ""))
		f |= DIFF_TARGET;
	if (is_dev(a->mode) && (a->rdevmajor != b->rdevmajor ||
				a->rdevminor != b->rdevminor))
		f |= DIFF_RDEV;
	if (!(flags & DIFF_IGNORE_MTIME) && a->mtime != b->mtime)
		f |= DIFF_MTIME;
	return f;
}

/* The path of the first name of the current name's inode. */
static char *
leader_path(const struct walk *w)
{
	return tree_path(w->t, w->leader[w->t->nodes[w->order[w->i]].inode]);
}

/* leader_path() for a non-directory, else NULL. */
static char *
group_of(const struct walk *w)
{
	return S_ISDIR(walk_inode(w)->mode) ? NULL : leader_path(w);
}

static void
compare_path(const struct walk *wa, const struct walk *wb, unsigned flags,
	     struct diff_result *res)
{
	const struct tree_inode *a = walk_inode(wa), *b = walk_inode(wb);
	char *ga = NULL, *gb = NULL;
	unsigned f;
	struct diff_change *c;

	if ((a->mode & S_IFMT) != (b->mode & S_IFMT)) {
		add_change(res, DIFF_CHANGED, wa->path, a, b)->fields = DIFF_TYPE;
		return;
	}
	f = inode_fields(a, b, flags);
	if (!S_ISDIR(a->mode)) {
		if (a->nlink != b->nlink)
			f |= DIFF_NLINK;
		ga = leader_path(wa);
		gb = leader_path(wb);
		if (strcmp(ga, gb))
			f |= DIFF_LINKGROUP;
	}
	if (!(f & DIFF_LINKGROUP)) {
		free(ga);
		free(gb);
		ga = gb = NULL;
	}
	if (!f)
		return;
	c = add_change(res, DIFF_CHANGED, wa->path, a, b);
	c->fields = f;
	c->group_a = ga;
	c->group_b = gb;
}

void
diff_trees(const struct diff_image *a, const struct diff_image *b,
	   unsigned flags, struct diff_result *res)
{
	struct walk wa, wb;

	walk_init(&wa, &a->tree);
	walk_init(&wb, &b->tree);
	while (wa.path || wb.path) {
		int cmp = !wa.path ? 1 : !wb.path ? -1 :
			  tree_path_cmp(wa.path, wb.path);

		if (cmp < 0) {
			add_change(res, DIFF_REMOVED, wa.path, walk_inode(&wa),
				   NULL)->group_a = group_of(&wa);
			walk_next(&wa);
		} else if (cmp > 0) {
			add_change(res, DIFF_ADDED, wb.path, NULL,
				   walk_inode(&wb))->group_b = group_of(&wb);
			walk_next(&wb);
		} else {
			compare_path(&wa, &wb, flags, res);
			walk_next(&wa);
			walk_next(&wb);
		}
	}
	walk_free(&wa);
	walk_free(&wb);
}

/* --- members ------------------------------------------------------------- */

static unsigned
member_fields(const struct image_member *a, const struct image_member *b)
{
	unsigned f = 0;

	if (a->codec != b->codec)
		f |= DIFF_M_FORMAT;
	if (a->stored != b->stored)
		f |= DIFF_M_STORED;
	if (a->size != b->size)
		f |= DIFF_M_SIZE;
	if (a->entries != b->entries)
		f |= DIFF_M_ENTRIES;
	return f;
}

void
diff_members(const struct diff_image *a, const struct diff_image *b,
	     struct diff_result *res)
{
	int n = a->nmembers > b->nmembers ? a->nmembers : b->nmembers;

	for (int i = 0; i < n; i++) {
		struct diff_member m = {
			.index = i,
			.a = i < a->nmembers ? &a->members[i] : NULL,
			.b = i < b->nmembers ? &b->members[i] : NULL,
		};

		if (m.a && m.b)
			m.fields = member_fields(m.a, m.b);
		if (m.a && m.b && !m.fields)
			continue;
		xgrow((void **)&res->m, &res->mcap, res->nm + 1, sizeof(*res->m));
		res->m[res->nm++] = m;
	}
}
