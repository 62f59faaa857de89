/*
 * liblzma.h - the liblzma plumbing that lzma.c and xz.c share (internal
 * to src/codec).
 *
 * Both formats are one lzma_stream driven the same way; they differ in
 * how the stream is set up, in the kernel's words for each failure
 * (lib/decompress_unlzma.c, lib/decompress_unxz.c) and in the check
 * type rule that only xz has. A format describes those differences in
 * a struct lz_format; this file's decoder and encoder do the rest.
 */
#ifndef ES_CODEC_LIBLZMA_H
#define ES_CODEC_LIBLZMA_H

#include <lzma.h>

#include "codec/codec.h"

/* The largest dictionary a decoder accepts. The kernel sets no limit of
 * its own (it allocates what the header asks for), but a host tool must
 * bound memory; xz's presets stop at 64 MiB. */
#define LZ_DICT_MAX ((uint64_t)1 << 30)

struct lz_format {
	const char *name;	/* "xz": names the encoder in messages */
	/* Sets up a decoder that stops at the end of one member and
	 * refuses to use more than memlimit bytes. */
	lzma_ret (*decoder_init)(lzma_stream *s, uint64_t memlimit);
	/* Sets up an encoder; params are checked (level 0-9). */
	lzma_ret (*encoder_init)(lzma_stream *s, const struct encode_params *p);
	/* The kernel's words for each kind of failure; decoder messages
	 * are one of these, ": " and liblzma's reason. */
	const char *corrupt;		/* LZMA_DATA_ERROR, LZMA_BUF_ERROR */
	const char *bad_header;		/* LZMA_FORMAT_ERROR */
	const char *unsupported;	/* LZMA_OPTIONS_ERROR */
	const char *no_memory;		/* LZMA_MEM(LIMIT)_ERROR */
	/* Called when liblzma reports the stream's check type (only if
	 * decoder_init asked for LZMA_TELL_ANY_CHECK): 0 to go on, or -1
	 * with msg (CODEC_MSG_SIZE bytes) set. */
	int (*check_type)(lzma_check check, char *msg);
};

/* A decoder for format f; NULL when out of memory. */
struct decoder *lz_decoder_new(const struct lz_format *f);

/* An encoder for format f writing to out; NULL with msg set on failure
 * (a level outside 0-9, or liblzma refused the options). */
struct encoder *lz_encoder_new(const struct lz_format *f,
			       const struct encode_params *p,
			       struct outbuf *out, char *msg);

#endif
