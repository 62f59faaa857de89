/*
 * zstd.c - zstd members: one frame, as the kernel's unzstd() reads it.
 *
 * Follows lib/decompress_unzstd.c (Linux 6.1): its stream loop ends
 * when zstd_decompress_stream() returns 0, so a member is exactly one
 * frame (RFC 8878 section 3.1.1) and the bytes after it are left to the
 * image's outer loop. Error messages are the kernel's, by error code.
 *
 * The decoder reads src and writes dst in place, adding no copy to the
 * library's own. Windows above libzstd's default limit (128 MiB) are
 * refused, which bounds memory; the kernel would try up to 2 GiB. The
 * encoder always runs libzstd's multi-threaded mode (at least one
 * worker), whose output does not depend on the worker count.
 */
#include "codec/codec.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <zstd_errors.h>

/* libzstd's default window limit, set explicitly: the memory bound. */
#define ZSTD_WINDOW_LOG_MAX	27
#define ZSTD_HEADER_MAX		18	/* the largest frame header */
#define FHD_SINGLE_SEGMENT	0x20

/* ---- decoder ---- */

enum zstd_state { ZSTD_RUNNING, ZSTD_ENDED, ZSTD_FAILED };

struct zstd_dec {
	struct decoder d;
	ZSTD_DStream *ds;
	enum zstd_state state;
	uint8_t head[ZSTD_HEADER_MAX];	/* the frame's first bytes */
	size_t head_len;
};

static int
fail(struct zstd_dec *z, const char *what, const char *detail)
{
	snprintf(z->d.msg, sizeof(z->d.msg), "%s: %s", what, detail);
	z->state = ZSTD_FAILED;
	return CODEC_ERROR;
}

/* The window size a frame header asks for (RFC 8878 3.1.1.1.2), or 0
 * when the bytes kept do not reach it. */
static uint64_t
window_size(const uint8_t *h, size_t n)
{
	static const uint8_t did_size[4] = { 0, 1, 2, 4 };
	static const uint8_t fcs_size[4] = { 1, 2, 4, 8 };
	uint64_t fcs = 0;
	size_t at, len;

	if (n < 6)
		return 0;
	if (!(h[4] & FHD_SINGLE_SEGMENT)) {
		uint64_t base = 1ull << (10 + (h[5] >> 3));

		return base + base / 8 * (h[5] & 7);
	}
	/* A single segment's window is its content size. */
	at = 5 + did_size[h[4] & 3];
	len = fcs_size[h[4] >> 6];
	if (n < at + len)
		return 0;
	for (size_t i = len; i-- > 0;)
		fcs = fcs << 8 | h[at + i];
	return len == 2 ? fcs + 256 : fcs;
}

static int
fail_window(struct zstd_dec *z, size_t ret)
{
	uint64_t w = window_size(z->head, z->head_len);
	unsigned long long mib = (w + (1 << 20) - 1) >> 20;
	char detail[96];

	if (w)
		snprintf(detail, sizeof(detail), "window of %llu MiB, limit "
			 "%u MiB", mib, 1u << (ZSTD_WINDOW_LOG_MAX - 20));
	else
		snprintf(detail, sizeof(detail), "%s", ZSTD_getErrorName(ret));
	return fail(z, "ZSTD-compressed data has too large a window size",
		    detail);
}

/* The kernel's handle_zstd_error(), with the library's words after. */
static int
fail_code(struct zstd_dec *z, size_t ret)
{
	const char *what;

	switch (ZSTD_getErrorCode(ret)) {
	case ZSTD_error_memory_allocation:
		what = "ZSTD decompressor ran out of memory";
		break;
	case ZSTD_error_prefix_unknown:
		what = "Input is not in the ZSTD format (wrong magic bytes)";
		break;
	case ZSTD_error_dstSize_tooSmall:
	case ZSTD_error_corruption_detected:
	case ZSTD_error_checksum_wrong:
		what = "ZSTD-compressed data is corrupt";
		break;
	case ZSTD_error_frameParameter_windowTooLarge:
		return fail_window(z, ret);
	default:
		what = "ZSTD-compressed data is probably corrupt";
		break;
	}
	return fail(z, what, ZSTD_getErrorName(ret));
}

/* Keeps the header's bytes for fail_window(); at most 18 bytes copied. */
static void
keep_head(struct zstd_dec *z, const uint8_t *p, size_t n)
{
	if (n > ZSTD_HEADER_MAX - z->head_len)
		n = ZSTD_HEADER_MAX - z->head_len;
	memcpy(z->head + z->head_len, p, n);
	z->head_len += n;
}

static int
zstd_run(struct decoder *d, struct codec_io *io)
{
	struct zstd_dec *z = (struct zstd_dec *)d;
	ZSTD_inBuffer in = { io->src, io->src_len, io->src_pos };
	ZSTD_outBuffer out = { io->dst, io->dst_len, io->dst_pos };
	size_t ret, in0, out0;

	if (z->state != ZSTD_RUNNING)
		return z->state == ZSTD_ENDED ? CODEC_END : CODEC_ERROR;
	/* libzstd may stop early (after a block); go on to the contract. */
	do {
		in0 = in.pos;
		out0 = out.pos;
		ret = ZSTD_decompressStream(z->ds, &out, &in);
		keep_head(z, io->src + in0, in.pos - in0);
	} while (!ZSTD_isError(ret) && ret != 0 && in.pos < in.size &&
		 out.pos < out.size && (in.pos != in0 || out.pos != out0));
	io->src_pos = in.pos;
	io->dst_pos = out.pos;
	if (ZSTD_isError(ret)) {
		/* The header may end in bytes it saw but did not take. */
		keep_head(z, io->src + in.pos, in.size - in.pos);
		return fail_code(z, ret);
	}
	if (ret == 0) {
		z->state = ZSTD_ENDED;
		return CODEC_END;
	}
	if (in.pos < in.size && out.pos < out.size)
		return fail(z, "ZSTD-compressed data is probably corrupt",
			    "the decoder made no progress");
	/* Everything consumed, everything flushed, frame not done. */
	if (io->src_end && in.pos == in.size && out.pos < out.size)
		return fail(z, "ZSTD-compressed data is truncated",
			    "the input ends inside the frame");
	return CODEC_OK;
}

static void
zstd_dec_free(struct decoder *d)
{
	struct zstd_dec *z = (struct zstd_dec *)d;

	ZSTD_freeDStream(z->ds);
	free(z);
}

static const struct decoder_ops zstd_dec_ops = { zstd_run, zstd_dec_free };

static struct decoder *
zstd_decoder_new(void)
{
	struct zstd_dec *z;
	ZSTD_DStream *ds = ZSTD_createDStream();

	if (!ds)
		return NULL;
	if (ZSTD_isError(ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax,
						ZSTD_WINDOW_LOG_MAX))) {
		ZSTD_freeDStream(ds);
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	z->d.ops = &zstd_dec_ops;
	z->ds = ds;
	return &z->d;
}

/* ---- encoder ---- */

struct zstd_enc {
	struct encoder e;
	ZSTD_CCtx *cctx;
	uint8_t *buf;		/* ZSTD_CStreamOutSize() bytes */
	size_t cap;
};

/* Runs the compressor until it took all of in (or, for ZSTD_e_end,
 * until the frame is complete), writing what it makes to out. */
static int
pump(struct zstd_enc *z, ZSTD_inBuffer *in, ZSTD_EndDirective op)
{
	size_t left;

	do {
		ZSTD_outBuffer out = { z->buf, z->cap, 0 };

		left = ZSTD_compressStream2(z->cctx, &out, in, op);
		if (ZSTD_isError(left)) {
			snprintf(z->e.msg, sizeof(z->e.msg),
				 "zstd compression failed: %s",
				 ZSTD_getErrorName(left));
			return -EIO;
		}
		if (out.pos && out_write(z->e.out, z->buf, out.pos) < 0)
			return -z->e.out->err;
	} while (op == ZSTD_e_end ? left != 0 : in->pos < in->size);
	return 0;
}

static int
zstd_write(struct encoder *e, const void *p, size_t n)
{
	ZSTD_inBuffer in = { p, n, 0 };

	return pump((struct zstd_enc *)e, &in, ZSTD_e_continue);
}

static int
zstd_finish(struct encoder *e)
{
	ZSTD_inBuffer in = { NULL, 0, 0 };

	return pump((struct zstd_enc *)e, &in, ZSTD_e_end);
}

static void
zstd_enc_free(struct encoder *e)
{
	struct zstd_enc *z = (struct zstd_enc *)e;

	ZSTD_freeCCtx(z->cctx);
	free(z->buf);
	free(z);
}

static const struct encoder_ops zstd_enc_ops = {
	zstd_write, zstd_finish, zstd_enc_free,
};

/* Level, checksum, and workers >= 1 always: with 0 workers libzstd
 * writes other bytes than with any number of them. */
static size_t
set_params(ZSTD_CCtx *c, const struct encode_params *p, const char **what)
{
	size_t r;

	*what = "compression level";
	r = ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, p->level);
	if (ZSTD_isError(r))
		return r;
	*what = "content checksum";
	r = ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	if (ZSTD_isError(r))
		return r;
	*what = "worker threads (libzstd built without threads?)";
	return ZSTD_CCtx_setParameter(c, ZSTD_c_nbWorkers,
				      p->threads > 1 ? p->threads : 1);
}

static struct encoder *
zstd_encoder_new(const struct encode_params *params, struct outbuf *out,
		 char *msg)
{
	ZSTD_CCtx *cctx = ZSTD_createCCtx();
	struct zstd_enc *z;
	const char *what;
	size_t r;

	if (!cctx) {
		snprintf(msg, CODEC_MSG_SIZE, "out of memory");
		return NULL;
	}
	r = set_params(cctx, params, &what);
	if (ZSTD_isError(r)) {
		snprintf(msg, CODEC_MSG_SIZE, "zstd %s: %s", what,
			 ZSTD_getErrorName(r));
		ZSTD_freeCCtx(cctx);
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	z->e.ops = &zstd_enc_ops;
	z->e.out = out;
	z->cctx = cctx;
	z->cap = ZSTD_CStreamOutSize();
	z->buf = xmalloc(z->cap);
	return &z->e;
}

const struct codec codec_zstd = {
	.name = "zstd",
	.magic = { 0x28, 0xb5 },
	.min_level = 1,
	.max_level = 22,
	.default_level = 3,
	.threaded = true,
	.decoder_new = zstd_decoder_new,
	.encoder_new = zstd_encoder_new,
};
