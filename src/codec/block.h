/*
 * block.h - what the block formats (lzo.c, lz4.c) share, internal to
 * src/codec: the results of their state machines' steps, input gathered
 * across calls when a header or block straddles two, and a decoded
 * block handed out as dst makes room.
 */
#ifndef ES_CODEC_BLOCK_H
#define ES_CODEC_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/codec.h"

enum block_step {
	STEP_ERROR = -1,
	STEP_WAIT,		/* src used up or dst full */
	STEP_NEXT,		/* the state changed: run the next step */
	STEP_END,		/* the member ended */
};

static inline size_t
block_src_left(const struct codec_io *io)
{
	return io->src_len - io->src_pos;
}

/* Makes need bytes available at *p: in place when nothing is gathered
 * yet and src holds them all, else copied into acc (need bytes long)
 * across calls, *have counting them. Returns false when src ran out
 * first (all of it was taken). */
bool block_gather(struct codec_io *io, uint8_t *acc, size_t *have,
		  size_t need, const uint8_t **p);

/* Copies what dst has room for of out[*pos..len); true when all of it
 * was delivered. */
bool block_drain(struct codec_io *io, const uint8_t *out, size_t len,
		 size_t *pos);

#endif
