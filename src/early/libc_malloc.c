/* libc_malloc.c - heap.c as the static binary's malloc.
 *
 * Defining malloc, calloc, realloc and free here links none of musl's
 * allocator (see heap.h for why); musl's own functions that allocate
 * (opendir, fopen, strdup) come here too. The one heap is the process's,
 * so it is the one piece of file-scope state: malloc takes no context.
 * Only the target binary links this file.
 */
#include "early/heap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct heap process_heap;

void *
malloc(size_t size)
{
	return heap_alloc(&process_heap, size);
}

void *
calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = heap_alloc(&process_heap, count * size)))
		memset(p, 0, count * size);
	return p;
}

void *
realloc(void *p, size_t size)
{
	return heap_realloc(&process_heap, p, size);
}

void
free(void *p)
{
	heap_free(&process_heap, p);
}
