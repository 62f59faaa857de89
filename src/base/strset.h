/*
 * strset.h - a set of strings (open addressing, FNV-1a).
 * The set owns copies of the strings it holds.
 */
#ifndef ES_BASE_STRSET_H
#define ES_BASE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **slots;
	size_t cap, len;	/* cap is 0 or a power of two */
};

/* Adds s; returns true if it was not there before. */
bool strset_add(struct strset *set, const char *s);
bool strset_has(const struct strset *set, const char *s);
void strset_free(struct strset *set);

#endif
