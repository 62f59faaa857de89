/*
 * codec.h - the compressed member formats the kernel unpacks.
 *
 * One small streaming interface for all seven formats, one file per
 * format (gzip.c, bzip2.c, lzma.c, xz.c, lzo.c, lz4.c, zstd.c), each a
 * thin layer over the library Debian ships. A member is exactly one
 * stream as the kernel's decompressor sees it (lib/decompress_*.c): a
 * decoder stops where the kernel's would, so the bytes after the member
 * are left for the image's outer loop.
 *
 * Decoders also hold a stream to the kernel's limits where a general
 * tool would be lenient (an xz check other than CRC32 or none, gzip
 * header fields the kernel does not skip, lzop blocks with other than
 * one checksum): such a stream is an error here because it fails at boot.
 */
#ifndef ES_CODEC_CODEC_H
#define ES_CODEC_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/outbuf.h"

enum codec_status {
	CODEC_ERROR = -1,	/* d->msg says why */
	CODEC_OK = 0,		/* src used up or dst full; call again */
	CODEC_END = 1,		/* the member ended at src + src_pos */
};

/* One step's buffers. run() advances src_pos and dst_pos. */
struct codec_io {
	const uint8_t *src;
	size_t src_len, src_pos;
	bool src_end;		/* no input follows src[src_len - 1] */
	uint8_t *dst;
	size_t dst_len, dst_pos;
};

#define CODEC_MSG_SIZE 256

struct decoder {
	const struct decoder_ops *ops;
	/* Why run() failed: the kernel's own words where it has them,
	 * then detail; no offsets (the caller knows them). */
	char msg[CODEC_MSG_SIZE];
};

struct decoder_ops {
	/* Decodes from io->src into io->dst. Returns CODEC_OK only when
	 * src is used up or dst is full (so a call that makes no progress
	 * with io->src_end set means the member is truncated), CODEC_END
	 * once the member's last byte is consumed and all its output
	 * delivered, CODEC_ERROR with msg set. */
	int (*run)(struct decoder *d, struct codec_io *io);
	void (*free)(struct decoder *d);
};

struct encode_params {
	int level;		/* within the codec's range */
	int threads;		/* >= 1; only for codecs with .threaded */
};

struct encoder {
	const struct encoder_ops *ops;
	struct outbuf *out;	/* compressed bytes go here; not owned */
	char msg[CODEC_MSG_SIZE];	/* why a call failed (not I/O) */
};

struct encoder_ops {
	/* Compresses n bytes. 0, or -errno: out->err for output errors,
	 * else msg is set. */
	int (*write)(struct encoder *e, const void *p, size_t n);
	/* Ends the stream (everything written so far reaches out). */
	int (*finish)(struct encoder *e);
	void (*free)(struct encoder *e);
};

struct codec {
	const char *name;	/* "gzip", as the kernel names it */
	uint8_t magic[2];	/* the two bytes the kernel dispatches on */
	int min_level, max_level, default_level;
	bool threaded;		/* encode_params.threads is used */
	/* NULL only when out of memory. */
	struct decoder *(*decoder_new)(void);
	/* NULL with msg (CODEC_MSG_SIZE bytes) set on failure. */
	struct encoder *(*encoder_new)(const struct encode_params *p,
				       struct outbuf *out, char *msg);
};

extern const struct codec codec_gzip, codec_bzip2, codec_lzma, codec_xz,
	codec_lzo, codec_lz4, codec_zstd;

/* Every codec, in the kernel's table order; ends with NULL. */
extern const struct codec *const codec_all[];

/* The codec whose magic starts p (the kernel's decompress_method()),
 * or NULL. 1f 9e is gzip too, as in the kernel's table. */
const struct codec *codec_by_magic(const uint8_t *p, size_t n);
const struct codec *codec_by_name(const char *name);
/* Decodes one whole stream held in memory (a compressed kernel module,
 * say) into a buffer the caller frees; at most max bytes. Returns 0, or
 * -errno with msg (CODEC_MSG_SIZE bytes) saying why. */
int codec_decode_buffer(const struct codec *c, const void *src, size_t n,
			size_t max, uint8_t **out, size_t *out_len, char *msg);

static inline int
decoder_run(struct decoder *d, struct codec_io *io)
{
	return d->ops->run(d, io);
}

static inline void
decoder_free(struct decoder *d)
{
	if (d)
		d->ops->free(d);
}

static inline int
encoder_write(struct encoder *e, const void *p, size_t n)
{
	return e->ops->write(e, p, n);
}

static inline int
encoder_finish(struct encoder *e)
{
	return e->ops->finish(e);
}

static inline void
encoder_free(struct encoder *e)
{
	if (e)
		e->ops->free(e);
}

#endif
