/* tree.c - see tree.h. The names of the kernel's functions in comments
 * are those of init/initramfs.c. */
#include "image/tree.h"
#include "base/strset.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct tree_slot {
	const char *name;	/* NULL: empty */
	size_t parent;
	size_t node;		/* TREE_NONE: the name was removed */
};

struct tree_dir_time {
	char *name;
	uint32_t mtime;
};

uint64_t
tree_hash(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* --- names: (parent, component) -> node ------------------------------ */

static size_t
slot_hash(size_t parent, const char *name, size_t len)
{
	return (size_t)tree_hash(TREE_HASH_INIT ^ (parent * 0x9e3779b97f4a7c15ULL),
				 name, len);
}

static bool
slot_is(const struct tree_slot *s, size_t parent, const char *name, size_t len)
{
	return s->parent == parent && strncmp(s->name, name, len) == 0 &&
	       s->name[len] == '\0';
}

/* The slot of (parent, name), or the empty one where it would go. */
static struct tree_slot *
find_slot(const struct tree *t, size_t parent, const char *name, size_t len)
{
	size_t mask = t->slots_cap - 1;
	size_t i = slot_hash(parent, name, len) & mask;

	while (t->slots[i].name && !slot_is(&t->slots[i], parent, name, len))
		i = (i + 1) & mask;
	return &t->slots[i];
}

static void
grow_slots(struct tree *t)
{
	struct tree_slot *old = t->slots;
	size_t old_cap = t->slots_cap;

	t->slots_cap = old_cap ? old_cap * 2 : 1024;
	t->slots = xcalloc(t->slots_cap, sizeof(*t->slots));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].name)
			*find_slot(t, old[i].parent, old[i].name,
				   strlen(old[i].name)) = old[i];
	free(old);
}

static size_t
child_n(const struct tree *t, size_t dir, const char *name, size_t len)
{
	const struct tree_slot *s = find_slot(t, dir, name, len);

	return s->name ? s->node : TREE_NONE;
}

size_t
tree_child(const struct tree *t, size_t dir, const char *name)
{
	return child_n(t, dir, name, strlen(name));
}

const struct tree_inode *
tree_inode_of(const struct tree *t, size_t node)
{
	if (node >= t->nnodes || t->nodes[node].inode == TREE_NONE)
		return NULL;
	return &t->inodes[t->nodes[node].inode];
}

static struct tree_inode *
inode_of(struct tree *t, size_t node)
{
	return &t->inodes[t->nodes[node].inode];
}

static bool
is_dir(const struct tree *t, size_t node)
{
	const struct tree_inode *in = tree_inode_of(t, node);

	return in && S_ISDIR(in->mode);
}

static size_t
new_inode(struct tree *t, const struct cpio_entry *e, struct tree_origin at)
{
	xgrow((void **)&t->inodes, &t->inodes_cap, t->ninodes + 1,
	      sizeof(*t->inodes));
	t->inodes[t->ninodes] = (struct tree_inode){
		.mode = e->h.mode, .uid = e->h.uid, .gid = e->h.gid,
		.mtime = e->h.mtime, .rdevmajor = e->h.rdevmajor,
		.rdevminor = e->h.rdevminor, .hash = TREE_HASH_INIT,
		.from = at,
	};
	return t->ninodes++;
}

static size_t
new_node(struct tree *t, size_t parent, const char *name, size_t inode,
	 struct tree_origin at)
{
	struct tree_slot *s;

	if ((t->slots_used + 1) * 2 > t->slots_cap)
		grow_slots(t);
	xgrow((void **)&t->nodes, &t->nodes_cap, t->nnodes + 1, sizeof(*t->nodes));
	t->nodes[t->nnodes] = (struct tree_node){
		.name = xstrdup(name), .parent = parent, .inode = inode,
		.from = at,
	};
	s = find_slot(t, parent, name, strlen(name));
	if (!s->name)
		t->slots_used++;
	*s = (struct tree_slot){ t->nodes[t->nnodes].name, parent, t->nnodes };
	t->inodes[inode].nlink++;
	t->nodes[parent].nchildren++;
	return t->nnodes++;
}

/* unlink() or rmdir(): the name goes; the inode's extra data goes with
 * its last name. */
static void
remove_node(struct tree *t, size_t node)
{
	struct tree_node *nd = &t->nodes[node];
	struct tree_inode *in = &t->inodes[nd->inode];

	find_slot(t, nd->parent, nd->name, strlen(nd->name))->node = TREE_NONE;
	t->nodes[nd->parent].nchildren--;
	nd->inode = TREE_NONE;
	if (--in->nlink == 0) {
		if (in->info && t->insp)
			t->insp->free(t->insp->ctx, in->info);
		in->info = NULL;
		free(in->target);
		in->target = NULL;
	}
}

void
tree_init(struct tree *t, const struct tree_inspector *insp)
{
	struct cpio_entry root = { .h = { .mode = S_IFDIR | 0755 } };
	struct tree_origin none = { -1, 0 };

	memset(t, 0, sizeof(*t));
	t->insp = insp;
	grow_slots(t);
	new_inode(t, &root, none);
	xgrow((void **)&t->nodes, &t->nodes_cap, 1, sizeof(*t->nodes));
	t->nodes[0] = (struct tree_node){ xstrdup(""), 0, 0, 0, none };
	t->inodes[0].nlink = 1;
	t->nnodes = 1;
}

/* --- walking paths ---------------------------------------------------- */

int
tree_walk(const struct tree *t, size_t dir, const char *path, bool follow,
	  int *budget, size_t *node)
{
	size_t cur = *path == '/' ? TREE_ROOT : dir;

	while (*path) {
		const char *c = path;
		size_t n = strcspn(path, "/"), child;
		const struct tree_inode *in;
		bool last;

		path += n;
		while (*path == '/')
			path++;
		last = !*path;
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			cur = t->nodes[cur].parent;
			continue;
		}
		child = child_n(t, cur, c, n);
		if (child == TREE_NONE)
			return -ENOENT;
		in = tree_inode_of(t, child);
		if (S_ISLNK(in->mode) && (!last || follow)) {
			int rc;

			if (--*budget < 0)
				return -ELOOP;
			if (!in->target || !*in->target)
				return -ENOENT;
			rc = tree_walk(t, cur, in->target, true, budget, &child);
			if (rc < 0)
				return rc;
			in = tree_inode_of(t, child);
		}
		if (!last && !S_ISDIR(in->mode))
			return -ENOTDIR;
		cur = child;
	}
	*node = cur;
	return 0;
}

int
tree_lookup(const struct tree *t, const char *path, bool follow, size_t *node)
{
	int budget = TREE_MAX_SYMLINKS;

	return tree_walk(t, TREE_ROOT, path, follow, &budget, node);
}

char *
tree_path(const struct tree *t, size_t node)
{
	size_t len = 0, n;
	char *out, *p;

	if (node == TREE_ROOT)
		return xstrdup("/");
	for (n = node; n != TREE_ROOT; n = t->nodes[n].parent)
		len += strlen(t->nodes[n].name) + 1;
	out = xmalloc(len + 1);
	p = out + len;
	*p = '\0';
	for (n = node; n != TREE_ROOT; n = t->nodes[n].parent) {
		size_t k = strlen(t->nodes[n].name);

		p -= k;
		memcpy(p, t->nodes[n].name, k);
		*--p = '/';
	}
	return out;
}

int
tree_path_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y)
		x++, y++;
	if (*x == *y)
		return 0;
	if (*x == '/' || *y == '/')
		return *x == '/' ? (*y ? -1 : 1) : (*x ? 1 : -1);
	return *x < *y ? -1 : 1;
}

struct sorted_name {
	char *path;
	size_t node;
};

static int
by_path(const void *a, const void *b)
{
	return tree_path_cmp(((const struct sorted_name *)a)->path,
			     ((const struct sorted_name *)b)->path);
}

size_t *
tree_sorted(const struct tree *t, size_t *n)
{
	struct sorted_name *v = xcalloc(t->nnodes, sizeof(*v));
	size_t *out, k = 0;

	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].inode != TREE_NONE)
			v[k++] = (struct sorted_name){ tree_path(t, i), i };
	qsort(v, k, sizeof(*v), by_path);
	out = xcalloc(k ? k : 1, sizeof(*out));
	for (size_t i = 0; i < k; i++) {
		out[i] = v[i].node;
		free(v[i].path);
	}
	free(v);
	*n = k;
	return out;
}

/* --- events ----------------------------------------------------------- */

static struct tree_origin
origin_of(const struct image_reader *r, const struct cpio_entry *e)
{
	return (struct tree_origin){ r->cur.index, e->offset };
}

static struct tree_event *
add_event(struct tree *t, enum tree_event_kind kind, const struct tree_origin *at,
	  const struct cpio_entry *e)
{
	struct tree_event *ev;

	xgrow((void **)&t->events, &t->events_cap, t->nevents + 1,
	      sizeof(*t->events));
	ev = &t->events[t->nevents++];
	*ev = (struct tree_event){
		.kind = kind, .at = *at, .other = { -1, 0 },
		.name = xstrdup(e->name), .mode = e->h.mode,
	};
	return ev;
}

/* An event about the earlier name node, which the record replaces. */
static struct tree_event *
add_event_on(struct tree *t, enum tree_event_kind kind,
	     const struct tree_origin *at, const struct cpio_entry *e,
	     size_t node)
{
	struct tree_event *ev = add_event(t, kind, at, e);
	const struct tree_inode *in = tree_inode_of(t, node);

	ev->other_name = tree_path(t, node);
	ev->other = in->from;
	ev->other_mode = in->mode;
	return ev;
}

/* --- hard links: find_link() and free_hash() --------------------------- */

/* --- hard links: find_link() and free_hash() --------------------------- */

static bool
may_link(uint32_t mode)
{
	return S_ISREG(mode) || S_ISBLK(mode) || S_ISCHR(mode) ||
	       S_ISFIFO(mode) || S_ISSOCK(mode);
}

static char *
link_key(const struct cpio_entry *e)
{
	return xasprintf("%x:%x:%x:%o", e->h.ino, e->h.devmajor, e->h.devminor,
			 e->h.mode & S_IFMT);
}

/* The kernel's find_link(): the link an earlier record with e's key made
 * since the last trailer, or NULL after remembering e's name under the
 * key. A key that a trailer made the kernel forget is an event. */
static const struct tree_link *
find_link(struct tree *t, const struct cpio_entry *e, const struct tree_origin *at)
{
	char *key = link_key(e);
	size_t i;

	if (strset_get(&t->link_keys, key, &i)) {
		free(key);
		return &t->links[i];
	}
	if (strset_get(&t->forgotten_keys, key, &i)) {
		const struct tree_link *f = &t->forgotten[i];
		struct tree_event *ev = add_event(t, TREE_EV_LINK_ACROSS_TRAILER, at, e);

		ev->other = f->at;
		ev->other_name = xstrdup(f->name);
		ev->lost_data = f->size == 0 || e->h.filesize == 0;
	}
	xgrow((void **)&t->links, &t->links_cap, t->nlinks + 1, sizeof(*t->links));
	t->links[t->nlinks] = (struct tree_link){ key, xstrdup(e->name), *at,
						  e->h.filesize };
	strset_put(&t->link_keys, key, t->nlinks++);
	return NULL;
}

/* free_hash() at TRAILER!!!; the keys are kept to recognise them. */
static void
forget_links(struct tree *t)
{
	for (size_t i = 0; i < t->nlinks; i++) {
		struct tree_link *l = &t->links[i];
		size_t j;

		if (strset_get(&t->forgotten_keys, l->key, &j)) {
			free(t->forgotten[j].key);
			free(t->forgotten[j].name);
		} else {
			xgrow((void **)&t->forgotten, &t->forgotten_cap,
			      t->nforgotten + 1, sizeof(*t->forgotten));
			j = t->nforgotten++;
			strset_put(&t->forgotten_keys, l->key, j);
		}
		t->forgotten[j] = *l;
	}
	t->nlinks = 0;
	strset_free(&t->link_keys);
	memset(&t->link_keys, 0, sizeof(t->link_keys));
}

/* --- applying one record ------------------------------------------------ */

/* The kernel's clean_path(): what is at (dir, leaf) goes unless its type
 * is keep (0: whatever it is); a non-empty directory stays (rmdir
 * fails). A type change is an event; the caller reports replacements
 * by the same type. Returns the node still there, or TREE_NONE. */
static size_t
clean_path(struct tree *t, size_t dir, const char *leaf, uint32_t keep,
	   const struct cpio_entry *e, const struct tree_origin *at)
{
	size_t old = tree_child(t, dir, leaf);
	uint32_t type;

	if (old == TREE_NONE)
		return TREE_NONE;
	type = inode_of(t, old)->mode & S_IFMT;
	if (type == keep || (S_ISDIR(type) && t->nodes[old].nchildren))
		return old;
	if (type != (e->h.mode & S_IFMT))
		add_event_on(t, TREE_EV_TYPE_CHANGED, at, e, old)->lost_data = true;
	remove_node(t, old);
	return TREE_NONE;
}

static void
not_empty(struct tree *t, const struct cpio_entry *e,
	  const struct tree_origin *at, size_t dir)
{
	add_event_on(t, TREE_EV_DIR_NOT_EMPTY, at, e, dir)->lost_data = true;
}

/* A record of the same type as node's replaces it: an event saying
 * whether anything but the mtime changes. */
static void
replaced(struct tree *t, const struct cpio_entry *e, const struct tree_origin *at,
	 size_t node, const struct tree_inode *before, const struct tree_inode *now)
{
	/* A device keeps its number: the record's is what is lost. */
	bool dev = S_ISCHR(now->mode) || S_ISBLK(now->mode);
	bool lost = before->size != now->size || before->hash != now->hash ||
		    (dev && (e->h.rdevmajor != now->rdevmajor ||
			     e->h.rdevminor != now->rdevminor));
	bool same = !lost && before->mode == now->mode &&
		    before->uid == now->uid && before->gid == now->gid;
	struct tree_event *ev = add_event(t, same ? TREE_EV_DUPLICATE : TREE_EV_REPLACED,
					  at, e);

	ev->other_name = tree_path(t, node);
	ev->other = before->from;
	ev->other_mode = before->mode;
	ev->lost_data = lost;
	ev->shared = now->nlink - 1;
}

/* The kernel's maybe_link() once find_link() found the name l: whatever
 * is at (dir, leaf) goes, then link(l->name, name). Returns 1 with *node
 * the new name, or -1 when the link fails (an event). */
static int
make_link(struct tree *t, const struct cpio_entry *e, const struct tree_origin *at,
	  const struct tree_link *l, size_t dir, const char *leaf, size_t *node)
{
	size_t old = tree_child(t, dir, leaf), src;
	int rc = tree_lookup(t, l->name, false, &src);

	if (old != TREE_NONE && !(is_dir(t, old) && t->nodes[old].nchildren)) {
		bool same = rc == 0 && t->nodes[old].inode == t->nodes[src].inode;
		uint32_t type = inode_of(t, old)->mode & S_IFMT;

		if (!same && type == (e->h.mode & S_IFMT))
			add_event_on(t, TREE_EV_REPLACED, at, e, old)->lost_data = true;
		else if (!same)
			add_event_on(t, TREE_EV_TYPE_CHANGED, at, e, old)->lost_data = true;
		remove_node(t, old);
		rc = tree_lookup(t, l->name, false, &src);
	}
	if (rc < 0 || is_dir(t, src) ||
	    (inode_of(t, src)->mode & S_IFMT) != (e->h.mode & S_IFMT)) {
		struct tree_event *ev = add_event(t, TREE_EV_LINK_FAILED, at, e);

		ev->other = l->at;
		ev->other_name = xstrdup(l->name);
		ev->lost_data = true;
		return -1;
	}
	if (tree_child(t, dir, leaf) != TREE_NONE) {
		not_empty(t, e, at, tree_child(t, dir, leaf));
		return -1;
	}
	*node = new_node(t, dir, leaf, t->nodes[src].inode, *at);
	return 1;
}

/* maybe_link(): 0 when the record makes a file of its own. */
static int
maybe_link(struct tree *t, const struct cpio_entry *e, const struct tree_origin *at,
	   size_t dir, const char *leaf, size_t *node)
{
	const struct tree_link *l;

	if (e->h.nlink < 2)
		return 0;
	l = find_link(t, e, at);
	return l ? make_link(t, e, at, l, dir, leaf, node) : 0;
}

static void
gather_put(struct tree *t, size_t at, const uint8_t *p, size_t n)
{
	/* Nothing gathered yet leaves gather NULL, and memcpy to NULL is
	 * undefined even for 0 bytes. */
	if (!n)
		return;
	xgrow((void **)&t->gather, &t->gather_cap, at + n, 1);
	memcpy(t->gather + at, p, n);
}

static void
drop_info(struct tree *t, struct tree_inode *in)
{
	if (in->info && t->insp)
		t->insp->free(t->insp->ctx, in->info);
	in->info = NULL;
}

/* Asks the inspector, once the head is in, how much to gather. */
static uint64_t
inspect_want(struct tree *t, const char *path, uint64_t size, size_t have)
{
	uint64_t want = t->insp->want(t->insp->ctx, path, size, t->gather, have);

	if (want > size)
		want = size;
	return want > TREE_GATHER_MAX ? TREE_GATHER_MAX : want;
}

/* Streams a file's data: hashed, and what the inspector wants gathered.
 * Sets the inode's size, hash and info. */
static int
read_data(struct tree *t, struct image_reader *r, const struct cpio_entry *e,
	  size_t node)
{
	uint64_t size = e->h.filesize, want = 0, h = TREE_HASH_INIT;
	bool decided = !t->insp;
	char *path = t->insp ? tree_path(t, node) : NULL;
	size_t have = 0;
	const uint8_t *p;
	ssize_t n;
	struct tree_inode *in;

	while ((n = image_data_next(r, &p, INSTREAM_BUFSIZE)) > 0) {
		size_t k;

		h = tree_hash(h, p, (size_t)n);
		if (!decided) {
			k = (size_t)n < TREE_HEAD_BYTES - have ? (size_t)n :
								 TREE_HEAD_BYTES - have;
			gather_put(t, have, p, k);
			have += k;
			if (have < TREE_HEAD_BYTES && have < size)
				continue;
			want = inspect_want(t, path, size, have);
			have = want < have ? (size_t)want : have;
			decided = true;
			p += k;
			n -= (ssize_t)k;
		}
		k = want - have < (uint64_t)n ? (size_t)(want - have) : (size_t)n;
		gather_put(t, have, p, k);
		have += k;
	}
	in = inode_of(t, node);
	drop_info(t, in);
	if (n < 0) {
		free(path);
		return es_fail(&t->err, (int)-n, "%s", r->err.msg);
	}
	in->size = size;
	in->hash = h;
	if (want)
		in->info = t->insp->done(t->insp->ctx, path, t->gather, have, size);
	free(path);
	return 0;
}

static void
set_owner_mode(struct tree_inode *in, const struct cpio_entry *e)
{
	in->uid = e->h.uid;
	in->gid = e->h.gid;
	in->mode = (in->mode & S_IFMT) | (e->h.mode & 07777);
}

static int
add_file(struct tree *t, struct image_reader *r, const struct cpio_entry *e,
	 const struct tree_origin *at, size_t dir, const char *leaf)
{
	size_t node = clean_path(t, dir, leaf, S_IFREG, e, at);
	struct tree_inode before = { 0 };
	bool had = node != TREE_NONE && S_ISREG(inode_of(t, node)->mode);
	int ml, rc = 0;

	if (had)
		before = *inode_of(t, node);
	ml = maybe_link(t, e, at, dir, leaf, &node);
	if (ml < 0)
		return 0;
	if (ml == 0 && node != TREE_NONE && !had) {
		not_empty(t, e, at, node);	/* open(): EISDIR */
		return 0;
	}
	if (ml == 0 && node == TREE_NONE) {
		node = new_node(t, dir, leaf, new_inode(t, e, *at), *at);
	} else if (ml == 0) {	/* O_TRUNC */
		inode_of(t, node)->size = 0;
		inode_of(t, node)->hash = TREE_HASH_INIT;
		drop_info(t, inode_of(t, node));
	}
	set_owner_mode(inode_of(t, node), e);
	if (e->h.filesize)
		rc = read_data(t, r, e, node);
	inode_of(t, node)->mtime = e->h.mtime;
	if (e->h.filesize || ml == 0)
		inode_of(t, node)->from = *at;
	if (had && ml == 0)
		replaced(t, e, at, node, &before, inode_of(t, node));
	return rc;
}

/* Block and character devices, fifos, sockets: mknod(). */
static void
add_special(struct tree *t, const struct cpio_entry *e,
	    const struct tree_origin *at, size_t dir, const char *leaf)
{
	uint32_t type = e->h.mode & S_IFMT;
	size_t node = clean_path(t, dir, leaf, type, e, at);
	struct tree_inode before, *in;

	if (maybe_link(t, e, at, dir, leaf, &node) != 0)
		return;
	if (node == TREE_NONE) {
		new_node(t, dir, leaf, new_inode(t, e, *at), *at);
		return;
	}
	if (is_dir(t, node)) {
		not_empty(t, e, at, node);
		return;
	}
	/* mknod() fails with EEXIST: the number stays, the rest is set. */
	in = inode_of(t, node);
	before = *in;
	set_owner_mode(in, e);
	in->mtime = e->h.mtime;
	replaced(t, e, at, node, &before, in);
}

static void
dir_add(struct tree *t, const char *name, uint32_t mtime)
{
	xgrow((void **)&t->dirs, &t->dirs_cap, t->ndirs + 1, sizeof(*t->dirs));
	t->dirs[t->ndirs++] = (struct tree_dir_time){ xstrdup(name), mtime };
}

static void
add_dir(struct tree *t, const struct cpio_entry *e, const struct tree_origin *at,
	size_t dir, const char *leaf)
{
	size_t node = clean_path(t, dir, leaf, S_IFDIR, e, at);

	if (node == TREE_NONE)
		node = new_node(t, dir, leaf, new_inode(t, e, *at), *at);
	else
		set_owner_mode(inode_of(t, node), e);
	dir_add(t, e->name, e->h.mtime);
}

static void
add_symlink(struct tree *t, const struct cpio_entry *e,
	    const struct tree_origin *at, size_t dir, const char *leaf)
{
	size_t old = tree_child(t, dir, leaf), ino;
	struct tree_inode *in;

	if (old != TREE_NONE && S_ISLNK(inode_of(t, old)->mode)) {
		struct tree_inode before = *inode_of(t, old), now = before;

		now.uid = e->h.uid;
		now.gid = e->h.gid;
		now.size = strlen(e->target);
		now.hash = tree_hash(TREE_HASH_INIT, e->target, now.size);
		replaced(t, e, at, old, &before, &now);
	}
	if (clean_path(t, dir, leaf, 0, e, at) != TREE_NONE) {
		not_empty(t, e, at, tree_child(t, dir, leaf));
		return;
	}
	ino = new_inode(t, e, *at);
	in = &t->inodes[ino];
	in->mode = S_IFLNK | 0777;
	in->target = xstrdup(e->target);
	in->size = strlen(e->target);
	in->hash = tree_hash(TREE_HASH_INIT, in->target, in->size);
	new_node(t, dir, leaf, ino, *at);
}

/* Splits name into the directory it is made in (walked as the kernel
 * walks it) and its last component (*leaf, malloc'd). Returns 0 or the
 * walk's -errno. */
static int
locate(const struct tree *t, const char *name, size_t *dir, char **leaf,
       bool *slash)
{
	const char *end = name + strlen(name), *start;
	char *parent;
	int rc;

	while (end > name && end[-1] == '/')
		end--;
	*slash = *end == '/';
	for (start = end; start > name && start[-1] != '/'; start--)
		;
	*leaf = xstrndup(start, (size_t)(end - start));
	parent = xstrndup(name, (size_t)(start - name));
	rc = tree_lookup(t, parent, true, dir);
	free(parent);
	if (rc == 0 && !is_dir(t, *dir))
		rc = -ENOTDIR;
	return rc;
}

static enum tree_event_kind
walk_event(int rc)
{
	return rc == -ENOENT ? TREE_EV_PARENT_MISSING :
	       rc == -ELOOP ? TREE_EV_SYMLINK_LOOP : TREE_EV_PARENT_NOT_DIR;
}

/* A name ending in "", "." or "..": a directory record sets the owner,
 * mode and mtime of the directory it names; anything else fails. */
static void
add_self(struct tree *t, const struct cpio_entry *e, const struct tree_origin *at,
	 size_t dir, const char *leaf)
{
	if (!S_ISDIR(e->h.mode)) {
		add_event(t, TREE_EV_BAD_NAME, at, e);
		return;
	}
	if (!strcmp(leaf, ".."))
		dir = t->nodes[dir].parent;
	set_owner_mode(inode_of(t, dir), e);
	dir_add(t, e->name, e->h.mtime);
}

static int
apply(struct tree *t, struct image_reader *r, const struct cpio_entry *e,
      const struct tree_origin *at)
{
	uint32_t type = e->h.mode & S_IFMT;
	size_t dir;
	char *leaf;
	bool slash;
	int rc = locate(t, e->name, &dir, &leaf, &slash);

	if (rc < 0) {
		if (may_link(type) && e->h.nlink >= 2)
			find_link(t, e, at);
		add_event(t, walk_event(rc), at, e);
		rc = 0;
	} else if (!*leaf || !strcmp(leaf, ".") || !strcmp(leaf, "..")) {
		add_self(t, e, at, dir, leaf);
	} else if (slash && !S_ISDIR(type)) {
		add_event(t, TREE_EV_BAD_NAME, at, e);
	} else if (S_ISREG(type)) {
		rc = add_file(t, r, e, at, dir, leaf);
	} else if (S_ISDIR(type)) {
		add_dir(t, e, at, dir, leaf);
	} else if (S_ISLNK(type)) {
		add_symlink(t, e, at, dir, leaf);
	} else if (may_link(type)) {
		add_special(t, e, at, dir, leaf);
	} else {
		clean_path(t, dir, leaf, type, e, at);
		add_event(t, TREE_EV_UNKNOWN_TYPE, at, e);
	}
	free(leaf);
	return rc;
}

int
tree_add(struct tree *t, struct image_reader *r, const struct cpio_entry *e)
{
	struct tree_origin at = origin_of(r, e);

	if (es_failed(&t->err))
		return -t->err.code;
	t->name_bytes += strlen(e->name) + 1;
	if (++t->records > TREE_MAX_ENTRIES || t->name_bytes > TREE_MAX_NAME_BYTES)
		return es_fail(&t->err, E2BIG,
			       "member %d, offset %llu: over %u records or %u bytes of names: not read further",
			       at.member, (unsigned long long)at.offset,
			       TREE_MAX_ENTRIES, TREE_MAX_NAME_BYTES);
	if (e->trailer) {
		forget_links(t);
		return 0;
	}
	if (e->skip) {
		add_event(t, TREE_EV_SKIPPED, &at, e)->skip = e->skip;
		return 0;
	}
	return apply(t, r, e, &at);
}

void
tree_finish(struct tree *t)
{
	/* dir_utime(): the list is walked newest first, so the oldest
	 * record of a directory has the last word. */
	for (size_t i = t->ndirs; i-- > 0;) {
		size_t node;

		if (tree_lookup(t, t->dirs[i].name, false, &node) == 0)
			inode_of(t, node)->mtime = t->dirs[i].mtime;
		free(t->dirs[i].name);
	}
	t->ndirs = 0;
}

static void
free_links(struct tree_link *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].name);
	}
	free(v);
}

void
tree_free(struct tree *t)
{
	tree_finish(t);
	for (size_t i = 0; i < t->ninodes; i++) {
		drop_info(t, &t->inodes[i]);
		free(t->inodes[i].target);
	}
	for (size_t i = 0; i < t->nnodes; i++)
		free(t->nodes[i].name);
	for (size_t i = 0; i < t->nevents; i++) {
		free(t->events[i].name);
		free(t->events[i].other_name);
	}
	free_links(t->links, t->nlinks);
	free_links(t->forgotten, t->nforgotten);
	strset_free(&t->link_keys);
	strset_free(&t->forgotten_keys);
	free(t->inodes);
	free(t->nodes);
	free(t->events);
	free(t->slots);
	free(t->dirs);
	free(t->gather);
	memset(t, 0, sizeof(*t));
}
