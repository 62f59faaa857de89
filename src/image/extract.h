/*
 * extract.h - unpack entries into a directory as the kernel would.
 *
 * Kernel semantics (init/initramfs.c): an existing path of another type
 * is removed first (a directory only if empty), one of the same type is
 * kept and overwritten (files truncated unless hard-linked); names with
 * nlink >= 2 and the same (devmajor, devminor, ino) become hard links,
 * the data may sit on any of them, TRAILER!!! forgets them; directory
 * mtimes are applied after everything else.
 *
 * Safety, which the kernel does not need: everything happens below the
 * target directory's fd with *at() calls. Leading '/' are dropped, names
 * with a ".." component are refused, and so is any path whose parent
 * is reached through a symlink. Owners are kept only when running as
 * root; devices are made only as root (otherwise skipped with a
 * warning); as non-root, setuid and setgid bits are dropped.
 * A refused entry is still consumed, so the stream stays aligned.
 */
#ifndef ES_IMAGE_EXTRACT_H
#define ES_IMAGE_EXTRACT_H

#include <stdbool.h>

#include "base/strset.h"
#include "image/image_reader.h"

struct extract_link;
struct extract_dir_time;

struct extractor {
	int dirfd;		/* the target directory, owned */
	bool as_root;
	struct extract_link *links;	/* hard-link table since the trailer */
	size_t nlinks, links_cap;
	struct extract_dir_time *dirs;	/* mtimes to apply at the end */
	size_t ndirs, dirs_cap;
	unsigned refused;	/* entries not extracted, with a warning */
	char *cache_path;	/* the last parent directory walked */
	int cache_fd;		/* ... open, or -1 */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	struct es_error err;
};

int extract_init(struct extractor *x, const char *dir);
/* Extracts one entry, reading its data from r. Returns 0 (also when the
 * entry was refused with a warning) or -errno for a fatal error. */
int extract_entry(struct extractor *x, struct image_reader *r,
		  const struct cpio_entry *e);
/* Applies directory mtimes; frees everything. */
int extract_finish(struct extractor *x);

#endif
