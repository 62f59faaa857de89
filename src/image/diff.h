/*
 * diff.h - how the trees two images make differ, and how their members
 * differ.
 *
 * Each image is read as the kernel reads it (image_reader.h) into the
 * tree the kernel would build (tree.h), so two images that unpack to the
 * same files are the same here, however their records are ordered,
 * split into members, compressed or padded. The trees are walked
 * together in tree_path_cmp order; a path is added (only in B), removed
 * (only in A) or changed (in both, some field differs).
 *
 * Fields compared, in this order (enum diff_field): the file type; for
 * the same type, the permission bits (07777), uid, gid; a regular
 * file's size and content; a symlink's target; a device's number; for
 * non-directories the hard-link grouping (how many names share the
 * inode, and the first of them in tree order); the mtime. A change of
 * type reports the type alone: the other fields do not compare.
 *
 * Members (image_reader.h's struct image_member) are compared by index:
 * the format, the stored and decoded sizes and the number of entries.
 *
 * Memory: both trees are held at once, each bounded by tree.h's limits;
 * file data is hashed as it streams and dropped. Known limit: contents
 * are compared by size and FNV-1a 64 hash (tree.h), which is no
 * cryptographic hash: files made to collide are not told apart.
 */
#ifndef ES_IMAGE_DIFF_H
#define ES_IMAGE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "image/image_reader.h"
#include "image/tree.h"

enum diff_field {
	DIFF_TYPE = 1u << 0,
	DIFF_MODE = 1u << 1,	/* permission bits */
	DIFF_UID = 1u << 2,
	DIFF_GID = 1u << 3,
	DIFF_SIZE = 1u << 4,	/* regular files */
	DIFF_CONTENT = 1u << 5,	/* regular files: the data's hash */
	DIFF_TARGET = 1u << 6,	/* symlinks */
	DIFF_RDEV = 1u << 7,	/* character and block devices */
	DIFF_NLINK = 1u << 8,	/* names sharing the inode */
	DIFF_LINKGROUP = 1u << 9,	/* the first of those names */
	DIFF_MTIME = 1u << 10,
};
#define DIFF_NFIELDS 11

/* Options of diff_trees(). */
#define DIFF_IGNORE_MTIME 1u

enum diff_kind {
	DIFF_ADDED,		/* only in B */
	DIFF_REMOVED,		/* only in A */
	DIFF_CHANGED,
};

/* One image, read. */
struct diff_image {
	const char *path;	/* not owned */
	struct tree tree;
	struct image_member *members;
	int nmembers;
	struct es_error err;	/* why it could not be read */
};

/* One path. The inodes point into the images' trees, which must outlive
 * the result. */
struct diff_change {
	enum diff_kind kind;
	char *path;		/* canonical: "/", "/etc/x" */
	const struct tree_inode *a, *b;	/* NULL on the side without it */
	unsigned fields;	/* DIFF_CHANGED: enum diff_field bits */
	/* The first of the names sharing the inode, on each side: for a
	 * non-directory added or removed, and for DIFF_LINKGROUP; else NULL */
	char *group_a, *group_b;
};

/* One member index. a or b is NULL when only the other image has it;
 * the members point into the images. */
struct diff_member {
	int index;
	const struct image_member *a, *b;
	unsigned fields;	/* enum diff_member_field bits, both present */
};

enum diff_member_field {
	DIFF_M_FORMAT = 1u << 0,
	DIFF_M_STORED = 1u << 1,
	DIFF_M_SIZE = 1u << 2,
	DIFF_M_ENTRIES = 1u << 3,
};

struct diff_result {
	struct diff_change *v;	/* in tree_path_cmp order of path */
	size_t n, cap;
	struct diff_member *m;	/* in index order */
	size_t nm, mcap;
};

/* Reads the image at path ("-": standard input) into d. Returns 0, or
 * -errno with d->err saying where and why (the image cannot be opened,
 * a read or format error with its offset, tree.h's limits). d is freed
 * with diff_image_free() either way. */
int diff_load(struct diff_image *d, const char *path);
void diff_image_free(struct diff_image *d);

/* Appends to res (zeroed by the caller) every path whose entry differs
 * between a's and b's trees (flags: DIFF_IGNORE_MTIME). */
void diff_trees(const struct diff_image *a, const struct diff_image *b,
		unsigned flags, struct diff_result *res);
/* Appends to res every member index at which a and b differ. */
void diff_members(const struct diff_image *a, const struct diff_image *b,
		  struct diff_result *res);
void diff_result_free(struct diff_result *res);

/* "file", "dir", "symlink", "chardev", "blockdev", "fifo", "socket",
 * "unknown": a stable name of mode's file type. */
const char *diff_type_name(uint32_t mode);
/* The name of one enum diff_field bit ("mode", "content", ...). */
const char *diff_field_name(unsigned field);

#endif
