/*
 * prefetch.h - runs an instream source in a thread of its own.
 *
 * A decoder and the code that consumes its output (the cpio parser,
 * file writes) then overlap on two cores: the producer thread fills a
 * ring of buffers from the inner source, the consumer's read takes them
 * in order. Used for compressed members, where decoding is the cost.
 *
 * The inner source belongs to the producer between prefetch_start() and
 * prefetch_stop(); only after prefetch_stop() may the caller touch what
 * the inner source uses (for a member: the image's raw stream).
 */
#ifndef ES_BASE_PREFETCH_H
#define ES_BASE_PREFETCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/instream.h"

#define PREFETCH_SLOTS 4
#define PREFETCH_SLOT_SIZE (512 * 1024)

struct prefetch_slot {
	uint8_t *p;
	size_t len;
};

struct prefetch {
	const struct instream_ops *inner;
	void *inner_ctx;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct prefetch_slot slot[PREFETCH_SLOTS];
	unsigned head, count;	/* filled slots: head .. head + count */
	size_t taken;		/* bytes of slot[head] already read */
	bool done;		/* the producer ended (end or error) */
	bool stop;		/* the consumer wants the producer to end */
	int err;		/* positive errno from the inner read */
};

/* Starts the producer; returns 0 or -errno (then nothing runs). */
int prefetch_start(struct prefetch *pf, const struct instream_ops *inner,
		   void *inner_ctx);
/* Ends the producer (waiting for it) and frees the buffers. */
void prefetch_stop(struct prefetch *pf);
/* instream_ops over a started prefetch (ctx = the prefetch). */
extern const struct instream_ops prefetch_ops;

#endif
