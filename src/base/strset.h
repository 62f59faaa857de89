/*
 * strset.h - a set of strings (open addressing, FNV-1a), which is also a
 * map from string to a size_t (an index into the caller's array, say).
 * The set owns copies of the strings it holds.
 */
#ifndef ES_BASE_STRSET_H
#define ES_BASE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset_slot {
	char *key;		/* NULL: empty */
	size_t value;
};

struct strset {
	struct strset_slot *slots;
	size_t cap, len;	/* cap is 0 or a power of two */
};

/* Adds s (with value 0); returns true if it was not there before. */
bool strset_add(struct strset *set, const char *s);
bool strset_has(const struct strset *set, const char *s);
/* Adds s or replaces its value; returns true if it was not there. */
bool strset_put(struct strset *set, const char *s, size_t value);
/* The value of s, if s is there. */
bool strset_get(const struct strset *set, const char *s, size_t *value);
void strset_free(struct strset *set);

#endif
