/* strset.c - see strset.h. */
#include "base/strset.h"
#include "base/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ULL;
	return h;
}

static size_t
find_slot(char **slots, size_t cap, const char *s)
{
	size_t i = (size_t)hash(s) & (cap - 1);

	while (slots[i] && strcmp(slots[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
rehash(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	char **slots = xcalloc(cap, sizeof(char *));

	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i])
			slots[find_slot(slots, cap, set->slots[i])] = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
}

bool
strset_add(struct strset *set, const char *s)
{
	size_t i;

	if ((set->len + 1) * 2 > set->cap)
		rehash(set);
	i = find_slot(set->slots, set->cap, s);
	if (set->slots[i])
		return false;
	set->slots[i] = xstrdup(s);
	set->len++;
	return true;
}

bool
strset_has(const struct strset *set, const char *s)
{
	return set->cap && set->slots[find_slot(set->slots, set->cap, s)];
}

void
strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	set->slots = NULL;
	set->cap = set->len = 0;
}
