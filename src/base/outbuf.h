/*
 * outbuf.h - buffered output to a file descriptor, with its offset.
 *
 * Archive writers need the running offset (for padding) and must check
 * every write; this keeps both in one place. File data can be copied
 * from another descriptor without passing through user space.
 * The first error sticks in err; later calls do nothing and return it.
 *
 * The bytes go to a file descriptor, or to a sink function (an encoder
 * writing a compressed member); only a descriptor takes direct copies.
 */
#ifndef ES_BASE_OUTBUF_H
#define ES_BASE_OUTBUF_H

#include <stddef.h>
#include <stdint.h>

/* Takes all n bytes; 0 or -errno. */
typedef int (*out_sink_fn)(void *ctx, const void *p, size_t n);

struct outbuf {
	int fd;			/* not owned; -1 with a sink */
	out_sink_fn sink;
	void *sink_ctx;
	uint8_t *buf;
	size_t cap, len;
	uint64_t offset;	/* bytes accepted so far, flushed or not */
	int err;		/* positive errno of the first failure */
	int direct_ok;		/* fd accepts copy_file_range/sendfile */
};

void out_init(struct outbuf *o, int fd);
void out_init_sink(struct outbuf *o, out_sink_fn sink, void *ctx);
void out_free(struct outbuf *o);
int out_write(struct outbuf *o, const void *p, size_t n);
int out_zeros(struct outbuf *o, size_t n);
/* Pads with zeros up to a multiple of align (a power of two). */
int out_pad(struct outbuf *o, uint64_t align);
int out_flush(struct outbuf *o);
/* Copies exactly len bytes from fd at its current offset. Returns 0,
 * -EIO with *copied < len if the file ended early, or -errno. */
int out_copy_fd(struct outbuf *o, int fd, uint64_t len, uint64_t *copied);

#endif
