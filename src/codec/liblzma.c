/*
 * liblzma.c - see liblzma.h.
 *
 * The .lzma decoder hands the caller's buffers straight to lzma_code() with
 * LZMA_RUN: liblzma keeps partial state itself, consumes input only as
 * it decodes it and stops at the end of the one stream it was set up
 * for, so src_pos ends exactly after the member. Memory is bounded by
 * liblzma's memory limit (a dictionary of at most LZ_DICT_MAX).
 * The encoder drains lzma_code() through a fixed buffer into out.
 */
#include "codec/liblzma.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define LZ_OUT_SIZE (64 * 1024)
#define MIB ((uint64_t)1 << 20)

struct lz_decoder {
	struct decoder base;
	const struct lz_format *f;
	lzma_stream strm;
	bool ended;
};

struct lz_encoder {
	struct encoder base;
	const struct lz_format *f;
	lzma_stream strm;
	int err;		/* first failure (-errno), returned again */
	bool finished;
	uint8_t buf[LZ_OUT_SIZE];
};

static const char *
lz_reason(lzma_ret ret)
{
	switch (ret) {
	case LZMA_MEM_ERROR:
		return "cannot allocate memory";
	case LZMA_MEMLIMIT_ERROR:
		return "memory usage limit reached";
	case LZMA_FORMAT_ERROR:
		return "not in the expected format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options";
	case LZMA_DATA_ERROR:
		return "corrupt data or integrity check mismatch";
	case LZMA_BUF_ERROR:
		return "no progress is possible";
	case LZMA_UNSUPPORTED_CHECK:
		return "unsupported integrity check";
	case LZMA_PROG_ERROR:
		return "internal error (invalid arguments)";
	default:
		return "unexpected return code";
	}
}

void
lz_decoder_msg(const struct lz_format *f, lzma_ret ret, uint64_t memusage,
	       char *msg)
{
	const char *what = f->corrupt;

	if (ret == LZMA_MEMLIMIT_ERROR) {
		/* Only a dictionary this large gets here: say how large. */
		snprintf(msg, CODEC_MSG_SIZE,
			 "%s: decoding needs %llu MiB, more than the limit "
			 "of %llu MiB (dictionaries up to %llu MiB)",
			 f->no_memory,
			 (unsigned long long)((memusage + MIB - 1) / MIB),
			 (unsigned long long)(LZ_MEMLIMIT / MIB),
			 (unsigned long long)(LZ_DICT_MAX / MIB));
		return;
	}
	if (ret == LZMA_FORMAT_ERROR)
		what = f->bad_header;
	else if (ret == LZMA_OPTIONS_ERROR)
		what = f->unsupported;
	else if (ret == LZMA_MEM_ERROR)
		what = f->no_memory;
	snprintf(msg, CODEC_MSG_SIZE, "%s: liblzma: %s", what, lz_reason(ret));
}

static int
lzd_fail(struct lz_decoder *d, lzma_ret ret)
{
	lz_decoder_msg(d->f, ret, lzma_memusage(&d->strm), d->base.msg);
	return CODEC_ERROR;
}

lzma_ret
lz_code_io(lzma_stream *s, struct codec_io *io, bool *wait)
{
	size_t in = io->src_len - io->src_pos;
	size_t out = io->dst_len - io->dst_pos;
	lzma_ret ret;

	s->next_in = io->src + io->src_pos;
	s->avail_in = in;
	s->next_out = io->dst + io->dst_pos;
	s->avail_out = out;
	ret = lzma_code(s, LZMA_RUN);
	io->src_pos += in - s->avail_in;
	io->dst_pos += out - s->avail_out;
	*wait = !s->avail_in || !s->avail_out ||
		(s->avail_in == in && s->avail_out == out);
	return ret;
}

static int
lzd_run(struct decoder *base, struct codec_io *io)
{
	struct lz_decoder *d = (struct lz_decoder *)base;
	lzma_stream *s = &d->strm;

	if (d->ended)
		return CODEC_END;
	for (;;) {
		bool wait;
		lzma_ret ret = lz_code_io(s, io, &wait);

		switch (ret) {
		case LZMA_STREAM_END:
			d->ended = true;
			return CODEC_END;
		case LZMA_OK:
		case LZMA_BUF_ERROR:
			if (wait)
				return CODEC_OK;
			break;
		default:
			return lzd_fail(d, ret);
		}
	}
}

static void
lzd_free(struct decoder *base)
{
	struct lz_decoder *d = (struct lz_decoder *)base;

	lzma_end(&d->strm);
	free(d);
}

static const struct decoder_ops lzd_ops = {
	.run = lzd_run,
	.free = lzd_free,
};

struct decoder *
lz_decoder_new(const struct lz_format *f)
{
	struct lz_decoder *d = xcalloc(1, sizeof(*d));
	lzma_stream init = LZMA_STREAM_INIT;

	d->base.ops = &lzd_ops;
	d->f = f;
	d->strm = init;
	if (f->decoder_init(&d->strm, LZ_MEMLIMIT) != LZMA_OK) {
		lzma_end(&d->strm);
		free(d);
		return NULL;
	}
	return &d->base;
}

static int
lze_fail(struct lz_encoder *e, lzma_ret ret)
{
	snprintf(e->base.msg, sizeof(e->base.msg), "%s encoder: liblzma: %s",
		 e->f->name, lz_reason(ret));
	e->err = ret == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL;
	return e->err;
}

/* Runs the coder until it has taken all input (LZMA_RUN) or ended the
 * stream (LZMA_FINISH), passing its output on to out. */
static int
lze_pump(struct lz_encoder *e, lzma_action action)
{
	lzma_stream *s = &e->strm;

	for (;;) {
		lzma_ret ret;
		size_t n;

		s->next_out = e->buf;
		s->avail_out = sizeof(e->buf);
		ret = lzma_code(s, action);
		n = sizeof(e->buf) - s->avail_out;
		if (n && out_write(e->base.out, e->buf, n) < 0)
			return e->err = -e->base.out->err;
		if (ret == LZMA_STREAM_END)
			return 0;
		if (ret != LZMA_OK)
			return lze_fail(e, ret);
		if (action == LZMA_RUN && !s->avail_in)
			return 0;
	}
}

static int
lze_write(struct encoder *base, const void *p, size_t n)
{
	struct lz_encoder *e = (struct lz_encoder *)base;

	if (e->err || !n)
		return e->err;
	e->strm.next_in = p;
	e->strm.avail_in = n;
	return lze_pump(e, LZMA_RUN);
}

static int
lze_finish(struct encoder *base)
{
	struct lz_encoder *e = (struct lz_encoder *)base;
	int rc;

	if (e->err || e->finished)
		return e->err;
	e->strm.next_in = NULL;
	e->strm.avail_in = 0;
	rc = lze_pump(e, LZMA_FINISH);
	e->finished = rc == 0;
	return rc;
}

static void
lze_free(struct encoder *base)
{
	struct lz_encoder *e = (struct lz_encoder *)base;

	lzma_end(&e->strm);
	free(e);
}

static const struct encoder_ops lze_ops = {
	.write = lze_write,
	.finish = lze_finish,
	.free = lze_free,
};

struct encoder *
lz_encoder_new(const struct lz_format *f, const struct encode_params *p,
	       struct outbuf *out, char *msg)
{
	struct lz_encoder *e;
	lzma_stream init = LZMA_STREAM_INIT;
	lzma_ret ret;

	/* liblzma's presets are 0-9 for both formats. */
	if (p->level < 0 || p->level > 9) {
		snprintf(msg, CODEC_MSG_SIZE, "%s: level %d is not in 0-9",
			 f->name, p->level);
		return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	e->base.ops = &lze_ops;
	e->base.out = out;
	e->f = f;
	e->strm = init;
	ret = f->encoder_init(&e->strm, p);
	if (ret != LZMA_OK) {
		snprintf(msg, CODEC_MSG_SIZE, "%s encoder: liblzma: %s",
			 f->name, lz_reason(ret));
		lzma_end(&e->strm);
		free(e);
		return NULL;
	}
	return &e->base;
}
