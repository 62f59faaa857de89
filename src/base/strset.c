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
find_slot(const struct strset_slot *slots, size_t cap, const char *s)
{
	size_t i = (size_t)hash(s) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
rehash(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	struct strset_slot *slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i].key)
			slots[find_slot(slots, cap, set->slots[i].key)] = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
}

/* The slot of s, made (empty-valued) if s was not there. */
static struct strset_slot *
insert(struct strset *set, const char *s, bool *added)
{
	size_t i;

	if ((set->len + 1) * 2 > set->cap)
		rehash(set);
	i = find_slot(set->slots, set->cap, s);
	*added = !set->slots[i].key;
	if (*added) {
		set->slots[i].key = xstrdup(s);
		set->slots[i].value = 0;
		set->len++;
	}
	return &set->slots[i];
}

bool
strset_add(struct strset *set, const char *s)
{
	bool added;

	insert(set, s, &added);
	return added;
}

bool
strset_put(struct strset *set, const char *s, size_t value)
{
	bool added;

	insert(set, s, &added)->value = value;
	return added;
}

bool
strset_get(const struct strset *set, const char *s, size_t *value)
{
	const struct strset_slot *slot;

	if (!set->cap)
		return false;
	slot = &set->slots[find_slot(set->slots, set->cap, s)];
	if (slot->key && value)
		*value = slot->value;
	return slot->key != NULL;
}

bool
strset_has(const struct strset *set, const char *s)
{
	return strset_get(set, s, NULL);
}

void
strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].key);
	free(set->slots);
	set->slots = NULL;
	set->cap = set->len = 0;
}
