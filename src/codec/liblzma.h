/*
 * liblzma.h - the liblzma plumbing that lzma.c and xz.c share (internal
 * to src/codec).
 *
 * Both formats are encoded by one lzma_stream driven the same way; they
 * differ in how the stream is set up and in the kernel's words for each
 * failure (lib/decompress_unlzma.c, lib/decompress_unxz.c). A format
 * describes those differences in a struct lz_format; this file's encoder
 * does the rest. The .lzma decoder is also this file's; xz.c has its own
 * (it must see every block header) and shares the failure messages.
 */
#ifndef ES_CODEC_LIBLZMA_H
#define ES_CODEC_LIBLZMA_H

#include <lzma.h>

#include "codec/codec.h"

/* The largest dictionary a decoder accepts. The kernel sets no limit of
 * its own (it allocates what the header asks for), but a host tool must
 * bound memory; xz's presets stop at 64 MiB. */
#define LZ_DICT_MAX ((uint64_t)1 << 30)
/* The memory limit that follows: the dictionary plus the coder's own
 * state (tens of KiB). */
#define LZ_MEMLIMIT (LZ_DICT_MAX + ((uint64_t)1 << 20))

struct lz_format {
	const char *name;	/* "xz": names the encoder in messages */
	/* Sets up a decoder that stops at the end of one member and
	 * refuses to use more than memlimit bytes (for lz_decoder_new;
	 * NULL for a format with a decoder of its own). */
	lzma_ret (*decoder_init)(lzma_stream *s, uint64_t memlimit);
	/* Sets up an encoder; params are checked (level 0-9). */
	lzma_ret (*encoder_init)(lzma_stream *s, const struct encode_params *p);
	/* The kernel's words for each kind of failure; decoder messages
	 * are one of these, ": " and liblzma's reason. */
	const char *corrupt;		/* LZMA_DATA_ERROR, LZMA_BUF_ERROR */
	const char *bad_header;		/* LZMA_FORMAT_ERROR */
	const char *unsupported;	/* LZMA_OPTIONS_ERROR */
	const char *no_memory;		/* LZMA_MEM(LIMIT)_ERROR */
};

/* Sets msg (CODEC_MSG_SIZE bytes) for a decoder failure ret: f's words
 * for it, ": " and liblzma's reason; for LZMA_MEMLIMIT_ERROR, how much
 * decoding needs (memusage bytes) against LZ_MEMLIMIT instead. */
void lz_decoder_msg(const struct lz_format *f, lzma_ret ret,
		    uint64_t memusage, char *msg);

/* A decoder for format f (f->decoder_init set); NULL when out of
 * memory. */
struct decoder *lz_decoder_new(const struct lz_format *f);
/* One lzma_code(LZMA_RUN) call from io's source into its destination,
 * the positions moved by what it used and made. *wait: the source is
 * used up, the destination full, or nothing moved, so the caller must
 * return for more (LZMA_BUF_ERROR only means "no progress this time":
 * the caller's caller tells truncation from a pause). */
lzma_ret lz_code_io(lzma_stream *s, struct codec_io *io, bool *wait);

/* An encoder for format f writing to out; NULL with msg set on failure
 * (a level outside 0-9, or liblzma refused the options). */
struct encoder *lz_encoder_new(const struct lz_format *f,
			       const struct encode_params *p,
			       struct outbuf *out, char *msg);

#endif
