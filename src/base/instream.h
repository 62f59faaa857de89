/*
 * instream.h - buffered input with look-ahead, consume and skip.
 *
 * Parsers see bytes only through peek/consume/skip (libarchive's
 * read-ahead model), so the same parser reads a plain file, a pipe or,
 * later, a decompressor's output. Skips over a seekable file become
 * lseek: listing an image never reads file data.
 *
 * Invariants: pos is the stream offset of the next unconsumed byte;
 * peeked pointers stay valid until the next call on the stream.
 */
#ifndef ES_BASE_INSTREAM_H
#define ES_BASE_INSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct instream_ops {
	/* Reads up to n bytes; 0 at end; -errno on failure. */
	ssize_t (*read)(void *ctx, void *dst, size_t n);
	/* Optional: moves forward n bytes without reading; returns bytes
	 * moved (less only at end) or -errno. */
	int64_t (*skip)(void *ctx, uint64_t n);
};

struct instream {
	const struct instream_ops *ops;
	void *ctx;
	uint8_t *buf;
	size_t cap, head, tail;	/* buffered bytes are buf[head..tail) */
	uint64_t pos;
	int err;		/* first read error, positive errno */
	int eof;
};

struct fd_source {
	int fd;
	uint64_t size;		/* for regular files; skips stop at it */
	uint64_t at;		/* offset of the next byte read(2) returns */
	int seekable;
};

#define INSTREAM_BUFSIZE (256 * 1024)

void in_init(struct instream *in, const struct instream_ops *ops, void *ctx);
/* Reads from fd (not owned): src must outlive in. */
void in_init_fd(struct instream *in, struct fd_source *src, int fd);
void in_free(struct instream *in);

/* Makes up to n (<= INSTREAM_BUFSIZE) bytes available; *avail is less
 * than n only at end of input or on error (see in->err). */
const uint8_t *in_peek(struct instream *in, size_t n, size_t *avail);
void in_consume(struct instream *in, size_t n);
/* Skips n bytes; returns how many were skipped (less at end) or -errno. */
int64_t in_skip(struct instream *in, uint64_t n);
/* Copies up to n bytes out; returns the count (less at end) or -errno. */
ssize_t in_read(struct instream *in, void *dst, size_t n);

#endif
