/*
 * member_stream.h - a compressed member's decoded bytes as an instream.
 *
 * The decoder reads the image's raw instream in place (no copy) and
 * writes straight into the decoded instream's buffer, so listing a
 * compressed image costs the decoder's time and little more. The member
 * ends where the decoder says (CODEC_END); the raw stream is then left
 * on the first byte after it, for the image's outer loop.
 */
#ifndef ES_IMAGE_MEMBER_STREAM_H
#define ES_IMAGE_MEMBER_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/instream.h"
#include "codec/codec.h"

enum member_state {
	MEMBER_DECODING,
	MEMBER_ENDED,		/* the decoder reached the member's end */
	MEMBER_FAILED,		/* err says why */
};

struct member_stream {
	struct instream *raw;	/* not owned */
	const struct codec *codec;
	struct decoder *dec;
	enum member_state state;
	uint64_t start;		/* raw offset of the member's first byte */
	uint64_t produced;	/* decoded bytes so far */
	struct es_error err;	/* "decompressor failed: ..." */
};

/* Starts decoding the member at raw->pos with codec c. */
int member_stream_open(struct member_stream *m, struct instream *raw,
		       const struct codec *c);
void member_stream_close(struct member_stream *m);
/* instream_ops over an open member_stream (ctx = the member_stream). */
extern const struct instream_ops member_stream_ops;

#endif
