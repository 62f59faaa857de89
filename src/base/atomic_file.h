/*
 * atomic_file.h - an output file that appears whole or not at all.
 *
 * Output is written to a temporary file in the target's directory and
 * renamed over the target only when complete, so a failed run never
 * leaves a half-written image and never damages the old one. (It is not
 * fsync'ed: like cp, durability across a power cut is the caller's.)
 * The path "-" means standard output (written directly).
 */
#ifndef ES_BASE_ATOMIC_FILE_H
#define ES_BASE_ATOMIC_FILE_H

#include <sys/types.h>

struct atomic_file {
	int fd;
	const char *path;	/* final name, not owned */
	char *tmp;		/* temporary name; NULL for stdout */
};

/* Opens the temporary file (or stdout for "-"); returns 0 or -errno. */
int atomic_open(struct atomic_file *f, const char *path, mode_t mode);
/* Closes and renames into place; returns 0 or -errno. On error
 * the temporary file is removed. */
int atomic_commit(struct atomic_file *f);
/* Closes and removes the temporary file; the target is untouched. */
void atomic_abort(struct atomic_file *f);

#endif
