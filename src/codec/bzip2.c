/*
 * bzip2.c - the bzip2 member, as lib/decompress_bunzip2.c reads it,
 * through libbz2.
 *
 * "BZh", a block size digit 1-9, blocks, then an end-of-stream marker
 * and the combined CRC, padded to a byte. libbz2 stops at the end of
 * that one stream (BZ_STREAM_END) having consumed exactly its bytes, the
 * padding byte included: the kernel's bunzip2 reads whole bytes and
 * stops at the same place, and its outer loop reads a second stream as
 * the next member.
 *
 * Messages: the kernel's bunzip2 names only a combined CRC mismatch
 * ("Data integrity error when decompressing."); every failure makes
 * initramfs say "decompressor failed". libbz2 reports CRC mismatches and
 * malformed blocks alike as BZ_DATA_ERROR, so we use the latter words.
 *
 * The encoder is BZ2_bzCompress with blockSize100k = level (1-9, default
 * 9, as the bzip2 tool) and libbz2's default workFactor.
 *
 * Limits: the kernel refuses "randomised" blocks (written only by bzip2
 * 0.9.0 and older); libbz2 decodes them, so they are accepted here.
 */
#include <bzlib.h>

#include "codec/codec.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define BZIP2_OUT_SIZE (64 * 1024)
/* libbz2 counts in unsigned int; larger buffers go in pieces. */
#define BZIP2_MAX_CHUNK ((size_t)1 << 30)

struct bzip2_decoder {
	struct decoder base;
	bz_stream s;		/* libbz2 checks it never moves */
	bool ended;
};

struct bzip2_encoder {
	struct encoder base;
	bz_stream s;
	int err;		/* first failure (-errno), returned again */
	bool finished;
	char buf[BZIP2_OUT_SIZE];
};

static size_t
clamp(size_t n)
{
	return n < BZIP2_MAX_CHUNK ? n : BZIP2_MAX_CHUNK;
}

static int
bzip2_fail(struct bzip2_decoder *d, int ret)
{
	const char *why;

	switch (ret) {
	case BZ_DATA_ERROR_MAGIC:
		why = "not bzip2 data (no \"BZh\" and block size 1-9)";
		break;
	case BZ_DATA_ERROR:
		why = "bzip2 data is corrupt (bad block or CRC mismatch)";
		break;
	case BZ_MEM_ERROR:
		why = "libbz2: out of memory";
		break;
	default:
		snprintf(d->base.msg, sizeof(d->base.msg),
			 "decompressor failed: libbz2 error %d", ret);
		return CODEC_ERROR;
	}
	snprintf(d->base.msg, sizeof(d->base.msg), "decompressor failed: %s",
		 why);
	return CODEC_ERROR;
}

static int
bzip2_run(struct decoder *base, struct codec_io *io)
{
	struct bzip2_decoder *d = (struct bzip2_decoder *)base;

	if (d->ended)
		return CODEC_END;
	for (;;) {
		size_t in = clamp(io->src_len - io->src_pos);
		size_t out = clamp(io->dst_len - io->dst_pos);
		size_t used, made;
		int ret;

		/* libbz2 does not write through next_in. */
		d->s.next_in = (char *)(uintptr_t)(io->src + io->src_pos);
		d->s.avail_in = (unsigned int)in;
		d->s.next_out = (char *)(io->dst + io->dst_pos);
		d->s.avail_out = (unsigned int)out;
		ret = BZ2_bzDecompress(&d->s);
		used = in - d->s.avail_in;
		made = out - d->s.avail_out;
		io->src_pos += used;
		io->dst_pos += made;
		if (ret == BZ_STREAM_END) {
			d->ended = true;
			return CODEC_END;
		}
		if (ret != BZ_OK)
			return bzip2_fail(d, ret);
		if (io->src_pos == io->src_len || io->dst_pos == io->dst_len ||
		    (!used && !made))
			return CODEC_OK;
	}
}

static void
bzip2_decoder_free(struct decoder *base)
{
	struct bzip2_decoder *d = (struct bzip2_decoder *)base;

	BZ2_bzDecompressEnd(&d->s);
	free(d);
}

static const struct decoder_ops bzip2_decoder_ops = {
	.run = bzip2_run,
	.free = bzip2_decoder_free,
};

static struct decoder *
bzip2_decoder_new(void)
{
	struct bzip2_decoder *d = xcalloc(1, sizeof(*d));

	d->base.ops = &bzip2_decoder_ops;
	/* verbosity 0; small 0: the fast decoder (about 3.6 MB at most,
	 * bounded by the 900 kB block size limit). */
	if (BZ2_bzDecompressInit(&d->s, 0, 0) != BZ_OK) {
		free(d);
		return NULL;
	}
	return &d->base;
}

static int
bzip2_encoder_fail(struct bzip2_encoder *e, int ret)
{
	snprintf(e->base.msg, sizeof(e->base.msg),
		 "bzip2 encoder: libbz2 error %d", ret);
	e->err = ret == BZ_MEM_ERROR ? -ENOMEM : -EINVAL;
	return e->err;
}

/* Runs the compressor until it has taken all input (BZ_RUN) or ended
 * the stream (BZ_FINISH), passing its output on to out. */
static int
bzip2_pump(struct bzip2_encoder *e, int action)
{
	bz_stream *s = &e->s;
	int ret;

	do {
		size_t n;

		s->next_out = e->buf;
		s->avail_out = sizeof(e->buf);
		ret = BZ2_bzCompress(s, action);
		if (ret != BZ_RUN_OK && ret != BZ_FINISH_OK &&
		    ret != BZ_STREAM_END)
			return bzip2_encoder_fail(e, ret);
		n = sizeof(e->buf) - s->avail_out;
		if (n && out_write(e->base.out, e->buf, n) < 0)
			return e->err = -e->base.out->err;
	} while (action == BZ_FINISH ? ret != BZ_STREAM_END :
					s->avail_in || !s->avail_out);
	return 0;
}

static int
bzip2_write(struct encoder *base, const void *p, size_t n)
{
	struct bzip2_encoder *e = (struct bzip2_encoder *)base;
	const char *q = p;

	while (n && !e->err) {
		size_t k = clamp(n);

		/* libbz2 does not write through next_in. */
		e->s.next_in = (char *)(uintptr_t)q;
		e->s.avail_in = (unsigned int)k;
		if (bzip2_pump(e, BZ_RUN) < 0)
			break;
		q += k;
		n -= k;
	}
	return e->err;
}

static int
bzip2_finish(struct encoder *base)
{
	struct bzip2_encoder *e = (struct bzip2_encoder *)base;

	if (e->err || e->finished)
		return e->err;
	e->s.next_in = NULL;
	e->s.avail_in = 0;
	if (bzip2_pump(e, BZ_FINISH) == 0)
		e->finished = true;
	return e->err;
}

static void
bzip2_encoder_free(struct encoder *base)
{
	struct bzip2_encoder *e = (struct bzip2_encoder *)base;

	BZ2_bzCompressEnd(&e->s);
	free(e);
}

static const struct encoder_ops bzip2_encoder_ops = {
	.write = bzip2_write,
	.finish = bzip2_finish,
	.free = bzip2_encoder_free,
};

static struct encoder *
bzip2_encoder_new(const struct encode_params *p, struct outbuf *out, char *msg)
{
	struct bzip2_encoder *e;
	int ret;

	if (p->level < 1 || p->level > 9) {
		snprintf(msg, CODEC_MSG_SIZE, "bzip2: level %d is not in 1-9",
			 p->level);
		return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	e->base.ops = &bzip2_encoder_ops;
	e->base.out = out;
	/* blockSize100k = level, verbosity 0, workFactor 0 (default). */
	ret = BZ2_bzCompressInit(&e->s, p->level, 0, 0);
	if (ret != BZ_OK) {
		snprintf(msg, CODEC_MSG_SIZE, "bzip2 encoder: libbz2 error %d",
			 ret);
		free(e);
		return NULL;
	}
	return &e->base;
}

const struct codec codec_bzip2 = {
	.name = "bzip2",
	.magic = { 0x42, 0x5a },
	.min_level = 1,
	.max_level = 9,
	.default_level = 9,
	.threaded = false,
	.decoder_new = bzip2_decoder_new,
	.encoder_new = bzip2_encoder_new,
};
