/*
 * membuf.h - in-memory archives for the unit tests.
 *
 * A membuf is a growable byte buffer with helpers that append newc
 * records field by field (so tests can write headers the writer never
 * would), and an instream over such a buffer. The stream's read returns
 * at most `chunk` bytes a call, so small chunks push records across the
 * instream's refills; the skip variant counts how often skip was used.
 */
#ifndef ES_TESTS_MEMBUF_H
#define ES_TESTS_MEMBUF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/instream.h"
#include "base/outbuf.h"
#include "cpio/newc.h"
#include "cpio/writer.h"

struct membuf {
	uint8_t *p;
	size_t len, cap;
};

static inline void
mb_append(struct membuf *b, const void *p, size_t n)
{
	/* An empty buffer has no memory yet, and memcpy to NULL is
	 * undefined even for 0 bytes. */
	if (!n)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static inline void
mb_str(struct membuf *b, const char *s)
{
	mb_append(b, s, strlen(s));
}

static inline void
mb_fill(struct membuf *b, uint8_t c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mb_append(b, &c, 1);
}

/* NULs up to a multiple of align (counted from the buffer's start). */
static inline void
mb_pad(struct membuf *b, size_t align)
{
	mb_fill(b, 0, (align - b->len % align) % align);
}

static inline void
mb_free(struct membuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* A header with the given fields, written by hand (not by the core's
 * encoder) so the tests do not trust what they test. */
static inline void
mb_header(struct membuf *b, const char *magic, uint32_t ino, uint32_t mode,
	  uint32_t nlink, uint32_t filesize, uint32_t namesize, uint32_t check)
{
	char hdr[CPIO_HEADER_SIZE + 1];

	snprintf(hdr, sizeof(hdr),
		 "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 magic, ino, mode, 0u, 0u, nlink, 0u, filesize, 3u, 1u, 0u, 0u,
		 namesize, check);
	mb_append(b, hdr, CPIO_HEADER_SIZE);
}

/* A whole record: header, name (namesize bytes: the name, then NULs),
 * padding, data, padding. namesize 0 means strlen(name) + 1. */
static inline void
mb_entry_ns(struct membuf *b, const char *magic, uint32_t mode,
	    const char *name, uint32_t namesize, const void *data,
	    uint32_t size, uint32_t check)
{
	size_t nl = strlen(name);

	mb_pad(b, 4);
	mb_header(b, magic, 721, mode, 1, size, namesize, check);
	mb_append(b, name, nl < namesize ? nl : namesize);
	if (namesize > nl)
		mb_fill(b, 0, namesize - nl);
	mb_pad(b, 4);
	if (size)
		mb_append(b, data, size);
	mb_pad(b, 4);
}

static inline void
mb_entry(struct membuf *b, uint32_t mode, const char *name, const void *data,
	 uint32_t size)
{
	mb_entry_ns(b, CPIO_MAGIC_NEWC, mode, name, (uint32_t)strlen(name) + 1,
		    data, size, 0);
}

static inline void
mb_file(struct membuf *b, const char *name, const char *data)
{
	mb_entry(b, S_IFREG | 0644, name, data, (uint32_t)strlen(data));
}

static inline void
mb_trailer(struct membuf *b)
{
	mb_entry(b, 0, CPIO_TRAILER_NAME, NULL, 0);
	mb_pad(b, CPIO_BLOCK);
}

/* An instream over b (which must outlive it). */
struct memsrc {
	const uint8_t *p;
	size_t len, at;
	size_t chunk;		/* most bytes per read; 0: no limit */
	int skips;		/* calls of the skip op */
};

static inline ssize_t
memsrc_read(void *ctx, void *dst, size_t n)
{
	struct memsrc *s = ctx;
	size_t left = s->len - s->at;

	if (s->chunk && n > s->chunk)
		n = s->chunk;
	if (n > left)
		n = left;
	if (n)
		memcpy(dst, s->p + s->at, n);
	s->at += n;
	return (ssize_t)n;
}

static inline int64_t
memsrc_skip(void *ctx, uint64_t n)
{
	struct memsrc *s = ctx;
	size_t left = s->len - s->at;

	s->skips++;
	if (n > left)
		n = left;
	s->at += (size_t)n;
	return (int64_t)n;
}

static const struct instream_ops memsrc_ops_noskip = { memsrc_read, NULL };
static const struct instream_ops memsrc_ops_skip = { memsrc_read, memsrc_skip };

static inline void
mb_instream(struct instream *in, struct memsrc *s, const struct membuf *b,
	    size_t chunk, int with_skip)
{
	memset(s, 0, sizeof(*s));
	s->p = b->p;
	s->len = b->len;
	s->chunk = chunk;
	in_init(in, with_skip ? &memsrc_ops_skip : &memsrc_ops_noskip, s);
}

/* Runs the writer into a memfd; mb_writer_done collects the bytes. */
struct memwriter {
	int fd;
	struct outbuf out;
	struct cpio_writer w;
};

static inline int
mw_init(struct memwriter *m, uint32_t data_align)
{
	m->fd = memfd_create("cpio", MFD_CLOEXEC);
	if (m->fd < 0)
		return -1;
	out_init(&m->out, m->fd);
	cpio_writer_init(&m->w, &m->out, data_align);
	return 0;
}

static inline int
mw_done(struct memwriter *m, struct membuf *b)
{
	uint8_t tmp[4096];
	ssize_t r;
	int rc = out_flush(&m->out);

	out_free(&m->out);
	if (rc == 0 && lseek(m->fd, 0, SEEK_SET) < 0)
		rc = -1;
	while (rc == 0 && (r = read(m->fd, tmp, sizeof(tmp))) > 0)
		mb_append(b, tmp, (size_t)r);
	close(m->fd);
	return rc;
}

#endif
