/* heap.h - the target binary's allocator: size classes over mmap(2).
 *
 * musl's malloc (mallocng) hardens a long-running process against heap
 * misuse and returns memory to the system; it is also 9 KiB of the
 * 96 KiB budget. kinit lives for seconds, mostly reading small
 * strings, and modprobe and fstype less. This heap rounds each block
 * up to a power of two from 32 bytes to 64 KiB, keeps a free list a
 * size, and carves new blocks from 256 KiB chunks; a larger block is
 * its own mapping, unmapped when freed. Nothing is returned to the
 * system but those. Blocks are 16-byte aligned, as malloc's must be.
 *
 * libc_malloc.c makes one heap the static binary's malloc, free,
 * calloc and realloc; the host build keeps its libc's and tests this
 * one directly. Not thread-safe: nothing in src/early makes threads.
 */
#ifndef EARLY_HEAP_H
#define EARLY_HEAP_H

#include <stddef.h>

#define HEAP_CLASSES 12		/* 32 B .. 64 KiB */

struct heap {
	void *free[HEAP_CLASSES];	/* a list a class, through the blocks */
	char *chunk, *chunk_end;	/* where small blocks are carved */
};

/* All of these work on a zeroed struct heap, set errno to ENOMEM when
 * they fail, and behave as malloc(3), free(3) and realloc(3). */
void *heap_alloc(struct heap *h, size_t size);
void heap_free(struct heap *h, void *p);
void *heap_realloc(struct heap *h, void *p, size_t size);
/* Bytes usable at p (at least what was asked for). */
size_t heap_usable(const void *p);

#endif
