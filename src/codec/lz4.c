/*
 * lz4.c - lz4 legacy-frame members, as the kernel's unlz4() reads them.
 *
 * Follows lib/decompress_unlz4.c (Linux 6.1) with the input in memory,
 * as initramfs unpacking calls it: the magic 02 21 4c 18, then chunks
 * (LE32 compressed size, one LZ4 block of at most 8 MiB decoded). The
 * format has no end marker: the member ends at the end of the input,
 * when fewer than 4 bytes are left, or at a chunk size of 0 (those 4
 * bytes are not part of it); a chunk size equal to the magic starts a
 * concatenated stream within the same member.
 *
 * The end of the input is io->src_end. 1-3 bytes of a chunk size that
 * arrived before it are already taken when it comes: NULs then end the
 * member (the outer loop would skip them), other bytes are the error
 * the kernel's outer loop would report. A chunk size of 0 split across
 * calls likewise leaves up to 3 of its NULs taken.
 *
 * Known limits: no checksums in this format, so corrupt data can decode
 * silently (as at boot). A whole chunk is buffered when it straddles
 * calls (at most LZ4_COMPRESSBOUND(8 MiB)); a block is decoded straight
 * into dst when dst has 8 MiB of room, else through an 8 MiB buffer.
 */
#include "codec/block.h"
#include "codec/codec.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lz4.h>
#include <lz4hc.h>

#define LZ4_LEGACY_MAGIC	0x184c2102u
/* LZ4_DEFAULT_UNCOMPRESSED_CHUNK_SIZE: every chunk but the last. */
#define LZ4_CHUNK_OUT		(8 << 20)
#define LZ4_CHUNK_IN		((size_t)LZ4_COMPRESSBOUND(LZ4_CHUNK_OUT))
#define LZ4_HC_MIN_LEVEL	3	/* below it, the fast compressor */

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* ---- decoder ---- */

enum lz4_state {
	LZ4_MAGIC,
	LZ4_SIZE,		/* chunk size, magic again, 0, or the end */
	LZ4_CHUNK,
	LZ4_FLUSH,		/* a decoded chunk waits for room in dst */
	LZ4_DONE,
	LZ4_FAILED,
};

struct lz4_dec {
	struct decoder d;
	enum lz4_state state;
	uint8_t word[4];	/* the magic or a chunk size, gathered */
	size_t have;		/* bytes gathered in word or in */
	uint32_t chunk;		/* the current chunk's compressed size */
	uint8_t *in;		/* a chunk split across calls; lazily */
	uint8_t *out;		/* a chunk dst had no room for; lazily */
	size_t out_pos, out_len;
};

static int
fail(struct lz4_dec *z, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(z->d.msg, sizeof(z->d.msg), fmt, ap);
	va_end(ap);
	z->state = LZ4_FAILED;
	return STEP_ERROR;
}

/* The magic or a chunk size, in place or gathered across calls. */
static bool
gather_word(struct lz4_dec *z, struct codec_io *io, const uint8_t **p)
{
	return block_gather(io, z->word, &z->have, 4, p);
}

static int
step_magic(struct lz4_dec *z, struct codec_io *io)
{
	const uint8_t *p;

	if (!gather_word(z, io, &p))
		return io->src_end ? fail(z, "invalid header: the stream ends "
					  "inside the magic") : STEP_WAIT;
	if (le32(p) != LZ4_LEGACY_MAGIC)
		return fail(z, "invalid header: not the lz4 legacy magic "
			    "02 21 4c 18");
	z->state = LZ4_SIZE;
	return STEP_NEXT;
}

/* The input ended with 1-3 bytes of a chunk size gathered in earlier
 * calls. The kernel stops before them and its outer loop skips NULs
 * but rejects anything else. */
static int
stray_bytes(struct lz4_dec *z)
{
	for (size_t i = 0; i < z->have; i++)
		if (z->word[i])
			return fail(z, "invalid magic at start of compressed "
				    "archive: %zu stray bytes after the lz4 "
				    "chunks", z->have);
	z->state = LZ4_DONE;
	return STEP_END;
}

static int
step_size(struct lz4_dec *z, struct codec_io *io)
{
	size_t start = io->src_pos;
	const uint8_t *p;
	uint32_t v;

	/* Too short for a chunk size: the kernel's end of input. */
	if (io->src_end && z->have == 0 && block_src_left(io) < 4) {
		z->state = LZ4_DONE;
		return STEP_END;
	}
	if (!gather_word(z, io, &p))
		return io->src_end ? stray_bytes(z) : STEP_WAIT;
	v = le32(p);
	if (v == LZ4_LEGACY_MAGIC)
		return STEP_NEXT;
	if (v == 0) {
		/* Not part of the member (but bytes gathered in earlier
		 * calls are gone: they are NULs the outer loop skips). */
		io->src_pos = start;
		z->state = LZ4_DONE;
		return STEP_END;
	}
	if (v > LZ4_CHUNK_IN)
		return fail(z, "Decoding failed: chunk size %u is more than "
			    "an 8 MiB block can need", v);
	z->chunk = v;
	z->state = LZ4_CHUNK;
	return STEP_NEXT;
}

/* Decodes the chunk at p into dst when 8 MiB fit there (no copy), else
 * into z->out for step_flush. */
static int
decode_chunk(struct lz4_dec *z, struct codec_io *io, const uint8_t *p)
{
	bool direct = io->dst_len - io->dst_pos >= LZ4_CHUNK_OUT;
	uint8_t *to;
	int r;

	if (!direct && !z->out)
		z->out = xmalloc(LZ4_CHUNK_OUT);
	to = direct ? io->dst + io->dst_pos : z->out;
	r = LZ4_decompress_safe((const char *)p, (char *)to, (int)z->chunk,
				LZ4_CHUNK_OUT);
	if (r < 0)
		return fail(z, "Decoding failed: chunk of %u bytes is not a "
			    "valid LZ4 block of at most 8 MiB", z->chunk);
	if (direct) {
		io->dst_pos += (size_t)r;
		z->state = LZ4_SIZE;
	} else {
		z->out_pos = 0;
		z->out_len = (size_t)r;
		z->state = LZ4_FLUSH;
	}
	return STEP_NEXT;
}

static int
step_chunk(struct lz4_dec *z, struct codec_io *io)
{
	const uint8_t *p;

	if (!z->in && (z->have || block_src_left(io) < z->chunk))
		z->in = xmalloc(LZ4_CHUNK_IN);
	if (block_gather(io, z->in, &z->have, z->chunk, &p))
		return decode_chunk(z, io, p);
	if (io->src_end)
		return fail(z, "data corrupted: chunk of %u bytes, the input "
			    "ends after %zu", z->chunk, z->have);
	return STEP_WAIT;
}

static int
step_flush(struct lz4_dec *z, struct codec_io *io)
{
	if (!block_drain(io, z->out, z->out_len, &z->out_pos))
		return STEP_WAIT;
	z->state = LZ4_SIZE;
	return STEP_NEXT;
}

static int (*const lz4_steps[])(struct lz4_dec *, struct codec_io *) = {
	[LZ4_MAGIC] = step_magic,
	[LZ4_SIZE] = step_size,
	[LZ4_CHUNK] = step_chunk,
	[LZ4_FLUSH] = step_flush,
};

static int
lz4_run(struct decoder *d, struct codec_io *io)
{
	struct lz4_dec *z = (struct lz4_dec *)d;
	int rc;

	if (z->state == LZ4_DONE || z->state == LZ4_FAILED)
		return z->state == LZ4_DONE ? CODEC_END : CODEC_ERROR;
	while ((rc = lz4_steps[z->state](z, io)) == STEP_NEXT)
		;
	if (rc == STEP_END)
		return CODEC_END;
	return rc == STEP_ERROR ? CODEC_ERROR : CODEC_OK;
}

static void
lz4_dec_free(struct decoder *d)
{
	struct lz4_dec *z = (struct lz4_dec *)d;

	free(z->in);
	free(z->out);
	free(z);
}

static const struct decoder_ops lz4_dec_ops = { lz4_run, lz4_dec_free };

static struct decoder *
lz4_decoder_new(void)
{
	struct lz4_dec *z = xcalloc(1, sizeof(*z));

	z->d.ops = &lz4_dec_ops;
	return &z->d;
}

/* ---- encoder ---- */

struct lz4_enc {
	struct encoder e;
	int level;
	uint8_t *in;		/* the chunk being filled */
	size_t in_len;
	uint8_t *out;		/* chunk size, then the block */
};

/* One chunk, compressed as the lz4 CLI does for -l. */
static int
compress_chunk(struct lz4_enc *z, const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;
	char *d = (char *)z->out + 4;
	int r;

	if (z->level < LZ4_HC_MIN_LEVEL)
		r = LZ4_compress_default(s, d, (int)n, (int)LZ4_CHUNK_IN);
	else
		r = LZ4_compress_HC(s, d, (int)n, (int)LZ4_CHUNK_IN,
				    z->level);
	if (r <= 0) {
		snprintf(z->e.msg, sizeof(z->e.msg),
			 "LZ4 compression of %zu bytes failed", n);
		return -EIO;
	}
	put_le32(z->out, (uint32_t)r);
	return out_write(z->e.out, z->out, 4 + (size_t)r);
}

static int
lz4_write(struct encoder *e, const void *p, size_t n)
{
	struct lz4_enc *z = (struct lz4_enc *)e;
	const uint8_t *s = p;

	while (n) {
		size_t k = LZ4_CHUNK_OUT - z->in_len;
		int rc = 0;

		/* Whole chunks straight from the caller's buffer. */
		if (z->in_len == 0 && n >= LZ4_CHUNK_OUT) {
			rc = compress_chunk(z, s, LZ4_CHUNK_OUT);
			k = LZ4_CHUNK_OUT;
		} else {
			if (k > n)
				k = n;
			memcpy(z->in + z->in_len, s, k);
			z->in_len += k;
			if (z->in_len == LZ4_CHUNK_OUT) {
				rc = compress_chunk(z, z->in, z->in_len);
				z->in_len = 0;
			}
		}
		if (rc < 0)
			return rc;
		s += k;
		n -= k;
	}
	return 0;
}

/* The format has no end marker: the last chunk is simply shorter. */
static int
lz4_finish(struct encoder *e)
{
	struct lz4_enc *z = (struct lz4_enc *)e;
	int rc = 0;

	if (z->in_len)
		rc = compress_chunk(z, z->in, z->in_len);
	z->in_len = 0;
	return rc;
}

static void
lz4_enc_free(struct encoder *e)
{
	struct lz4_enc *z = (struct lz4_enc *)e;

	free(z->in);
	free(z->out);
	free(z);
}

static const struct encoder_ops lz4_enc_ops = {
	lz4_write, lz4_finish, lz4_enc_free,
};

static struct encoder *
lz4_encoder_new(const struct encode_params *params, struct outbuf *out,
		char *msg)
{
	struct lz4_enc *z = xcalloc(1, sizeof(*z));
	uint8_t magic[4];

	z->e.ops = &lz4_enc_ops;
	z->e.out = out;
	z->level = params->level;
	z->in = xmalloc(LZ4_CHUNK_OUT);
	z->out = xmalloc(4 + LZ4_CHUNK_IN);
	put_le32(magic, LZ4_LEGACY_MAGIC);
	if (out_write(out, magic, sizeof(magic)) < 0) {
		snprintf(msg, CODEC_MSG_SIZE, "write error: %s",
			 strerror(out->err));
		lz4_enc_free(&z->e);
		return NULL;
	}
	return &z->e;
}

const struct codec codec_lz4 = {
	.name = "lz4",
	.magic = { 0x02, 0x21 },
	.min_level = 1,
	.max_level = 12,
	.default_level = 1,
	.threaded = false,
	.decoder_new = lz4_decoder_new,
	.encoder_new = lz4_encoder_new,
};
