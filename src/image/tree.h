/*
 * tree.h - the tree of files the kernel builds from an image, in memory.
 *
 * Entries are applied as init/initramfs.c (v6.1) applies them to the
 * rootfs, without writing a file: the name is walked from the root with
 * every component but the last following symlinks (absolute targets
 * from the image's root, MAXSYMLINKS 40); a parent that is missing or
 * not a directory makes the kernel's mkdir/open/mknod/symlink fail, and
 * the entry is lost. clean_path(): an existing path of another type is
 * unlinked, or rmdir'ed when it is a directory (which fails when it is
 * not empty, and then the entry is lost). A directory over a directory
 * is kept with the new owner and mode; a file over a file reuses the
 * inode (truncated, so every hard link to it sees the new data); a
 * device over a device of the same type keeps its number. Hard links:
 * a non-directory with nlink >= 2 is remembered by (ino, devmajor,
 * devminor, type) under the name it came with; a later one with the
 * same key becomes a link to that name (its data, if any, writes
 * through); TRAILER!!! forgets them all. Directory mtimes are applied
 * at the end, newest record first, to whatever the path then is.
 *
 * What the kernel drops or replaces on the way is kept as a list of
 * events, each with the record (member, offset) and the earlier record
 * involved when there is one.
 *
 * Memory is bounded: a file's data is hashed (FNV-1a 64) as it streams
 * and not kept. An inspector (optional) sees each created file's first
 * TREE_HEAD_BYTES and may ask for up to TREE_GATHER_MAX bytes of it,
 * gathered for one file at a time; what it makes of them is kept on the
 * inode as an opaque pointer. The tree stops with -E2BIG past
 * TREE_MAX_ENTRIES records or TREE_MAX_NAME_BYTES bytes of names.
 *
 * Known limits: names whose last component is "", "." or ".." (or a
 * non-directory name ending in '/') are reported and not applied; the
 * kernel's side effects on such paths (mknod failing with EEXIST, then
 * chmod on the directory) are not modelled, nor are lchown or chmod
 * applied to an existing non-empty directory that an entry of another
 * type failed to replace. A file whose data a damaged image cuts short
 * stays in the tree empty (the kernel keeps the bytes that came).
 */
#ifndef ES_IMAGE_TREE_H
#define ES_IMAGE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/strset.h"
#include "image/image_reader.h"

/* Records (trailers included) past this are taken for an attack. */
#define TREE_MAX_ENTRIES 2000000u
/* The same for the bytes of all names together. */
#define TREE_MAX_NAME_BYTES (256u << 20)
/* Symlinks followed in one walk (the kernel's MAXSYMLINKS). */
#define TREE_MAX_SYMLINKS 40
/* What an inspector sees of every file before it decides. */
#define TREE_HEAD_BYTES 256
/* The most an inspector may have gathered of one file. */
#define TREE_GATHER_MAX (256u << 20)

#define TREE_NONE ((size_t)-1)
#define TREE_ROOT ((size_t)0)

/* A record of the image: its member and the offset of its header (in
 * the image for an uncompressed member, in the member's decoded bytes
 * for a compressed one). member -1: none (the root, or no record). */
struct tree_origin {
	int member;
	uint64_t offset;
};

struct tree_inode {
	uint32_t mode;		/* type and permission bits */
	uint32_t uid, gid, mtime;
	uint32_t rdevmajor, rdevminor;
	uint64_t size;		/* data bytes; a symlink's target length */
	uint64_t hash;		/* FNV-1a 64 of the data or the target */
	uint32_t nlink;		/* names in the tree */
	char *target;		/* a symlink's, else NULL */
	void *info;		/* the inspector's, else NULL */
	struct tree_origin from;	/* the record that last set the data */
};

/* A name. Removed names stay in the array with inode TREE_NONE, so
 * node numbers never change. */
struct tree_node {
	char *name;		/* one component; "" for the root */
	size_t parent;		/* the root's is itself */
	size_t inode;		/* TREE_NONE: removed */
	uint32_t nchildren;	/* names below it in the tree */
	struct tree_origin from;	/* the record that made this name */
};

enum tree_event_kind {
	TREE_EV_SKIPPED,	/* the kernel skips the record (skip) */
	TREE_EV_PARENT_MISSING,	/* a component of the parent is missing */
	TREE_EV_PARENT_NOT_DIR,	/* ... is not a directory */
	TREE_EV_SYMLINK_LOOP,	/* the parent's walk met too many symlinks */
	TREE_EV_BAD_NAME,	/* "", ".", "..", "x/" for a non-directory */
	TREE_EV_UNKNOWN_TYPE,	/* no such file type: only clean_path ran */
	TREE_EV_DIR_NOT_EMPTY,	/* a non-empty directory could not go */
	TREE_EV_TYPE_CHANGED,	/* an entry of another type was replaced */
	TREE_EV_REPLACED,	/* an entry of the same type was replaced */
	TREE_EV_DUPLICATE,	/* ... by the same contents and attributes */
	TREE_EV_LINK_FAILED,	/* the name to link to is gone */
	TREE_EV_LINK_ACROSS_TRAILER,	/* its link partner was forgotten */
};

struct tree_event {
	enum tree_event_kind kind;
	struct tree_origin at;	/* the record */
	struct tree_origin other;	/* the earlier record involved */
	char *name;		/* the record's name, as in the image */
	char *other_name;	/* the earlier name involved, or NULL */
	uint32_t mode, other_mode;	/* the record's, the earlier one's */
	int skip;		/* enum cpio_skip, for TREE_EV_SKIPPED */
	/* REPLACED: the earlier data is lost (not only attributes);
	 * LINK_ACROSS_TRAILER: either side is empty, so data is lost. */
	bool lost_data;
	uint32_t shared;	/* REPLACED: other names that see the change */
};

/* Decides what to keep of each regular file the kernel creates. */
struct tree_inspector {
	/* Bytes of the file to gather (0: none; clamped to the size and
	 * TREE_GATHER_MAX), seeing path (canonical, "/etc/x"), its size
	 * and its first n bytes (n < TREE_HEAD_BYTES only for a shorter
	 * file). */
	uint64_t (*want)(void *ctx, const char *path, uint64_t size,
			 const uint8_t *head, size_t n);
	/* What was gathered (all of the file when len equals its size);
	 * returns what to keep on the inode, or NULL. */
	void *(*done)(void *ctx, const char *path, const uint8_t *data,
		      size_t len, uint64_t size);
	void (*free)(void *ctx, void *info);
	void *ctx;
};

struct tree_slot;
struct tree_dir_time;

/* A hard-link key and the name it was first seen under. */
struct tree_link {
	char *key;		/* "ino:major:minor:type" */
	char *name;
	struct tree_origin at;
	uint64_t size;		/* filesize of that record */
};

struct tree {
	struct tree_node *nodes;
	size_t nnodes, nodes_cap;
	struct tree_inode *inodes;
	size_t ninodes, inodes_cap;
	struct tree_event *events;
	size_t nevents, events_cap;
	const struct tree_inspector *insp;	/* not owned; may be NULL */
	uint64_t records;	/* applied or dropped, trailers included */
	uint64_t name_bytes;
	struct es_error err;
	/* private */
	struct tree_slot *slots;	/* (parent, name) -> node */
	size_t slots_cap, slots_used;
	/* find_link()'s table: key -> index in links; and the keys a
	 * TRAILER!!! made the kernel forget, -> index in forgotten */
	struct strset link_keys, forgotten_keys;
	struct tree_link *links, *forgotten;
	size_t nlinks, links_cap, nforgotten, forgotten_cap;
	struct tree_dir_time *dirs;
	size_t ndirs, dirs_cap;
	uint8_t *gather;
	size_t gather_cap;
};

/* An empty tree: the root directory (mode 0755, owner 0) alone. */
void tree_init(struct tree *t, const struct tree_inspector *insp);
/* Applies one entry of r (image_next's), reading its data from r when
 * the kernel would. Returns 0 (also when the entry was dropped: see
 * the events), or -errno: r's error (copied to t->err) or -E2BIG past
 * the limits. */
int tree_add(struct tree *t, struct image_reader *r, const struct cpio_entry *e);
/* Applies the directory mtimes, as the kernel does when the image ends
 * (after an error too). */
void tree_finish(struct tree *t);
void tree_free(struct tree *t);

/* Looks path up ("/a/b" or "a/b") from the root. follow: the last
 * component too is followed if it is a symlink. Returns 0 with *node,
 * -ENOENT, -ENOTDIR or -ELOOP. */
int tree_lookup(const struct tree *t, const char *path, bool follow,
		size_t *node);
/* The same from directory node dir (a relative path; an absolute one
 * starts from the root), with a symlink budget shared by the caller. */
int tree_walk(const struct tree *t, size_t dir, const char *path, bool follow,
	      int *budget, size_t *node);
/* The child called name of directory dir, or TREE_NONE. */
size_t tree_child(const struct tree *t, size_t dir, const char *name);
/* node's inode, or NULL for a removed name. */
const struct tree_inode *tree_inode_of(const struct tree *t, size_t node);
/* node's path from the root, "/" for the root; malloc'd. */
char *tree_path(const struct tree *t, size_t node);

/* Every name in the tree in tree_path_cmp order (parents first), as
 * node numbers; *n set; the caller frees the array. */
size_t *tree_sorted(const struct tree *t, size_t *n);
/* Orders paths as a walk with sorted children lists them: bytewise,
 * '/' before every other byte. */
int tree_path_cmp(const char *a, const char *b);

/* FNV-1a 64, continued from h (start with TREE_HASH_INIT). */
#define TREE_HASH_INIT 0xcbf29ce484222325ULL
uint64_t tree_hash(uint64_t h, const void *p, size_t n);

#endif
