/* prefetch.c - see prefetch.h. */
#include "base/prefetch.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Fills one slot from the inner source; false when the producer ends. */
static bool
produce_one(struct prefetch *pf, struct prefetch_slot *s)
{
	ssize_t r = 0;

	s->len = 0;
	while (s->len < PREFETCH_SLOT_SIZE) {
		r = pf->inner->read(pf->inner_ctx, s->p + s->len,
				    PREFETCH_SLOT_SIZE - s->len);
		if (r <= 0)
			break;
		s->len += (size_t)r;
	}
	pthread_mutex_lock(&pf->lock);
	if (s->len)
		pf->count++;
	if (r <= 0) {
		pf->err = r < 0 ? (int)-r : 0;
		pf->done = true;
	}
	pthread_cond_broadcast(&pf->changed);
	pthread_mutex_unlock(&pf->lock);
	return r > 0;
}

static void *
producer(void *arg)
{
	struct prefetch *pf = arg;

	for (;;) {
		struct prefetch_slot *s;

		pthread_mutex_lock(&pf->lock);
		while (pf->count == PREFETCH_SLOTS && !pf->stop)
			pthread_cond_wait(&pf->changed, &pf->lock);
		if (pf->stop) {
			pf->done = true;
			pthread_mutex_unlock(&pf->lock);
			return NULL;
		}
		s = &pf->slot[(pf->head + pf->count) % PREFETCH_SLOTS];
		pthread_mutex_unlock(&pf->lock);
		if (!produce_one(pf, s))
			return NULL;
	}
}

int
prefetch_start(struct prefetch *pf, const struct instream_ops *inner,
	       void *inner_ctx)
{
	int rc;

	memset(pf, 0, sizeof(*pf));
	pf->inner = inner;
	pf->inner_ctx = inner_ctx;
	for (int i = 0; i < PREFETCH_SLOTS; i++)
		pf->slot[i].p = xmalloc(PREFETCH_SLOT_SIZE);
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->changed, NULL);
	rc = pthread_create(&pf->thread, NULL, producer, pf);
	if (rc) {
		prefetch_stop(pf);
		return -rc;
	}
	pf->running = true;
	return 0;
}

void
prefetch_stop(struct prefetch *pf)
{
	if (pf->running) {
		pthread_mutex_lock(&pf->lock);
		pf->stop = true;
		pthread_cond_broadcast(&pf->changed);
		pthread_mutex_unlock(&pf->lock);
		pthread_join(pf->thread, NULL);
		pf->running = false;
	}
	for (int i = 0; i < PREFETCH_SLOTS; i++) {
		free(pf->slot[i].p);
		pf->slot[i].p = NULL;
	}
	pthread_cond_destroy(&pf->changed);
	pthread_mutex_destroy(&pf->lock);
}

/* The filled slot at the head, or NULL at the end (*err set). */
static struct prefetch_slot *
head_slot(struct prefetch *pf, int *err)
{
	struct prefetch_slot *s = NULL;

	pthread_mutex_lock(&pf->lock);
	while (pf->count == 0 && !pf->done)
		pthread_cond_wait(&pf->changed, &pf->lock);
	if (pf->count)
		s = &pf->slot[pf->head];
	*err = pf->err;
	pthread_mutex_unlock(&pf->lock);
	/* The producer leaves a filled slot alone until it is released. */
	return s;
}

/* Takes k bytes of the head slot; a slot used up goes back. */
static void
take(struct prefetch *pf, struct prefetch_slot *s, size_t k)
{
	pf->taken += k;
	if (pf->taken < s->len)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->head = (pf->head + 1) % PREFETCH_SLOTS;
	pf->count--;
	pf->taken = 0;
	pthread_cond_broadcast(&pf->changed);
	pthread_mutex_unlock(&pf->lock);
}

static ssize_t
prefetch_read(void *ctx, void *dst, size_t n)
{
	struct prefetch *pf = ctx;
	int err;
	struct prefetch_slot *s = head_slot(pf, &err);
	size_t k;

	if (!s)
		return err ? -err : 0;
	k = s->len - pf->taken < n ? s->len - pf->taken : n;
	memcpy(dst, s->p + pf->taken, k);
	take(pf, s, k);
	return (ssize_t)k;
}

/* Skipping needs no copy: listing a member only walks its slots. */
static int64_t
prefetch_skip(void *ctx, uint64_t n)
{
	struct prefetch *pf = ctx;
	uint64_t done = 0;

	while (done < n) {
		int err;
		struct prefetch_slot *s = head_slot(pf, &err);
		size_t k;

		if (!s)
			return done ? (int64_t)done : (err ? -err : 0);
		k = s->len - pf->taken;
		if (k > n - done)
			k = (size_t)(n - done);
		take(pf, s, k);
		done += k;
	}
	return (int64_t)done;
}

const struct instream_ops prefetch_ops = { prefetch_read, prefetch_skip };
