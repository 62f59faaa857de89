/* heap.c - see heap.h.
 *
 * A block is a 16-byte header and the caller's bytes. The header holds
 * the block's class, or HEAP_LARGE and the length of its mapping; a
 * free small block's first word links it into its class's list.
 */
#include "early/heap.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define HEADER 16u
#define MIN_SHIFT 5u				/* 32-byte blocks */
#define MAX_SMALL (1u << (MIN_SHIFT + HEAP_CLASSES - 1))
#define CHUNK (256u << 10)
#define HEAP_LARGE SIZE_MAX

struct header {
	size_t class;	/* HEAP_LARGE for a mapping of its own */
	size_t length;	/* the mapping's, for a large block */
};

_Static_assert(sizeof(struct header) == HEADER, "the header keeps 16-byte alignment");

static struct header *
header_of(const void *p)
{
	return (struct header *)((char *)p - HEADER);
}

/* The smallest class whose blocks hold size bytes and the header. */
static size_t
class_for(size_t size)
{
	size_t c = 0;

	while (((size_t)1 << (MIN_SHIFT + c)) - HEADER < size)
		c++;
	return c;
}

static void *
map(size_t length)
{
	void *p = mmap(NULL, length, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

static void *
alloc_large(size_t size)
{
	size_t length = (size + HEADER + 4095) & ~(size_t)4095;
	struct header *h;

	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	if (!(h = map(length)))
		return NULL;
	h->class = HEAP_LARGE;
	h->length = length;
	return (char *)h + HEADER;
}

/* A new block of class c from the chunk, taking a new chunk when this
 * one is used up (its rest is lost: at most one block's worth). */
static struct header *
carve(struct heap *heap, size_t c)
{
	size_t bytes = (size_t)1 << (MIN_SHIFT + c);
	struct header *h;

	if ((size_t)(heap->chunk_end - heap->chunk) < bytes) {
		if (!(heap->chunk = map(CHUNK)))
			return NULL;
		heap->chunk_end = heap->chunk + CHUNK;
	}
	h = (struct header *)heap->chunk;
	heap->chunk += bytes;
	return h;
}

void *
heap_alloc(struct heap *heap, size_t size)
{
	struct header *h;
	size_t c;

	if (size > MAX_SMALL - HEADER)
		return alloc_large(size);
	c = class_for(size);
	if (heap->free[c]) {
		void *p = heap->free[c];

		memcpy(&heap->free[c], p, sizeof(void *));
		return p;
	}
	if (!(h = carve(heap, c)))
		return NULL;
	h->class = c;
	return (char *)h + HEADER;
}

void
heap_free(struct heap *heap, void *p)
{
	struct header *h;

	if (!p)
		return;
	h = header_of(p);
	if (h->class == HEAP_LARGE) {
		munmap(h, h->length);
		return;
	}
	memcpy(p, &heap->free[h->class], sizeof(void *));
	heap->free[h->class] = p;
}

size_t
heap_usable(const void *p)
{
	const struct header *h = header_of(p);

	if (h->class == HEAP_LARGE)
		return h->length - HEADER;
	return ((size_t)1 << (MIN_SHIFT + h->class)) - HEADER;
}

void *
heap_realloc(struct heap *heap, void *p, size_t size)
{
	size_t have;
	void *q;

	if (!p)
		return heap_alloc(heap, size);
	have = heap_usable(p);
	if (size <= have && (size > have / 4 || have < 4096))
		return p;	/* fits, and not worth shrinking */
	if (!(q = heap_alloc(heap, size)))
		return NULL;
	memcpy(q, p, size < have ? size : have);
	heap_free(heap, p);
	return q;
}
