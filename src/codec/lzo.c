/*
 * lzo.c - lzop-container members, as the kernel's unlzo() reads them.
 *
 * Follows lib/decompress_unlzo.c (Linux 6.1) and the lzop file format:
 * a header (magic, version, library version, version needed, method,
 * level if version >= 0x0940, flags, filter if flagged, mode, mtime low,
 * mtime high if version >= 0x0940, name, header checksum), then blocks
 * of at most 256 KiB: uncompressed size, compressed size, checksum, data.
 * An uncompressed size of 0 ends the member; those 4 bytes belong to it.
 *
 * The kernel skips exactly one 4-byte checksum per block and ignores
 * filters and the header's extra field, so streams it would misread are
 * refused here; the header and block checksums it never checks are
 * verified. Headers before version 0.94 are read in the kernel's layout
 * (lzop's own has no version-needed field there).
 * Limits: LZO1X methods only (lzop's 1, 2 and 3), no multi-part files;
 * the encoder writes no name and mtime 0.
 */
#include "codec/block.h"
#include "codec/codec.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lzo/lzo1x.h>

#define LZOP_BLOCK_MAX		(256 * 1024)
/* LZO1X's largest output for a block (kept only if it shrank). */
#define LZOP_OUT_MAX	(LZOP_BLOCK_MAX + LZOP_BLOCK_MAX / 16 + 64 + 3)
#define LZOP_MAGIC_SIZE		9
#define LZOP_HEADER_MAX	(LZOP_MAGIC_SIZE + 7 + 1 + 8 + 12 + 1 + 255 + 4)
/* From this version on, the header has level and mtime_high. */
#define LZOP_VERSION_LEVEL	0x0940

#define F_ADLER32_D		0x00000001u
#define F_ADLER32_C		0x00000002u
#define F_H_EXTRA_FIELD		0x00000040u
#define F_CRC32_D		0x00000100u
#define F_CRC32_C		0x00000200u
#define F_MULTIPART		0x00000400u
#define F_H_FILTER		0x00000800u
#define F_H_CRC32		0x00001000u
#define F_OS_UNIX		0x03000000u

/* lzop's method numbers; all three are LZO1X streams. */
#define M_LZO1X_1		1
#define M_LZO1X_1_15		2
#define M_LZO1X_999		3

static const uint8_t lzop_magic[LZOP_MAGIC_SIZE] = {
	0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a,
};

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

/* ---- decoder ---- */

enum lzo_state {
	LZO_HEADER,
	LZO_BLOCK_SIZE,		/* uncompressed size, or 0 at the end */
	LZO_BLOCK_INFO,		/* compressed size, the one checksum */
	LZO_BLOCK_DATA,
	LZO_FLUSH,		/* a decoded block waits for room in dst */
	LZO_DONE,
	LZO_FAILED,
};

struct lzo_dec {
	struct decoder d;
	enum lzo_state state;
	bool crc32_data;	/* block checksums are CRC32, else adler32 */
	uint32_t dst_len, src_len, check;	/* the current block's */
	uint8_t acc[LZOP_HEADER_MAX];	/* header or sizes, gathered */
	size_t have;		/* bytes gathered in acc or in */
	uint8_t *in;		/* a block split across calls */
	uint8_t *out;		/* a block dst had no room for */
	size_t out_pos, out_len;
};

static int
fail(struct lzo_dec *z, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(z->d.msg, sizeof(z->d.msg), fmt, ap);
	va_end(ap);
	z->state = LZO_FAILED;
	return STEP_ERROR;
}

/* The header's size as far as the first `have` bytes tell it: the
 * kernel's parse_header() layout. Grows as more bytes arrive. */
static size_t
header_need(const uint8_t *h, size_t have)
{
	size_t n = LZOP_MAGIC_SIZE + 7;
	bool v0940;

	if (have < n)
		return n;
	v0940 = be16(h + LZOP_MAGIC_SIZE) >= LZOP_VERSION_LEVEL;
	n += v0940 + 4;
	if (have < n)
		return n;
	if (be32(h + n - 4) & F_H_FILTER)
		n += 4;
	n += 8 + (v0940 ? 4 : 0) + 1;
	if (have < n)
		return n;
	return n + h[n - 1] + 4;
}

/* Block checksums the kernel can skip: exactly one, of the data. */
static int
check_flags(struct lzo_dec *z, uint32_t flags)
{
	uint32_t sums = flags & (F_ADLER32_D | F_CRC32_D | F_ADLER32_C |
				 F_CRC32_C);

	if (sums != F_ADLER32_D && sums != F_CRC32_D)
		return fail(z, "invalid header: block checksums%s%s%s%s%s "
			    "(the kernel skips exactly one, of the "
			    "uncompressed data: lzop's default)",
			    sums ? "" : " none",
			    flags & F_ADLER32_D ? " adler32-data" : "",
			    flags & F_CRC32_D ? " crc32-data" : "",
			    flags & F_ADLER32_C ? " adler32-compressed" : "",
			    flags & F_CRC32_C ? " crc32-compressed" : "");
	if (flags & F_H_FILTER)
		return fail(z, "invalid header: lzop filter, which the "
			    "kernel does not undo");
	if (flags & F_H_EXTRA_FIELD)
		return fail(z, "invalid header: extra field, which the "
			    "kernel does not skip");
	if (flags & F_MULTIPART)
		return fail(z, "invalid header: multi-part lzop file");
	z->crc32_data = sums == F_CRC32_D;
	return STEP_NEXT;
}

static int
parse_header(struct lzo_dec *z, const uint8_t *h, size_t n)
{
	bool v0940 = be16(h + LZOP_MAGIC_SIZE) >= LZOP_VERSION_LEVEL;
	uint8_t method = h[LZOP_MAGIC_SIZE + 6];
	uint32_t flags = be32(h + LZOP_MAGIC_SIZE + 7 + v0940);
	uint32_t want = be32(h + n - 4), sum;

	sum = flags & F_H_CRC32 ?
	      lzo_crc32(0, h + LZOP_MAGIC_SIZE, n - 4 - LZOP_MAGIC_SIZE) :
	      lzo_adler32(1, h + LZOP_MAGIC_SIZE, n - 4 - LZOP_MAGIC_SIZE);
	if (sum != want)
		return fail(z, "invalid header: header %s is %08x, computed "
			    "%08x", flags & F_H_CRC32 ? "crc32" : "adler32",
			    want, sum);
	if (method != M_LZO1X_1 && method != M_LZO1X_1_15 &&
	    method != M_LZO1X_999)
		return fail(z, "invalid header: method %u is not LZO1X, "
			    "the only one the kernel decodes", method);
	return check_flags(z, flags);
}

static int
step_header(struct lzo_dec *z, struct codec_io *io)
{
	size_t need = header_need(z->acc, z->have);

	while (z->have < need) {
		size_t n = need - z->have;

		if (n > block_src_left(io))
			n = block_src_left(io);
		if (n == 0)
			return STEP_WAIT;
		memcpy(z->acc + z->have, io->src + io->src_pos, n);
		io->src_pos += n;
		z->have += n;
		if (z->have >= LZOP_MAGIC_SIZE &&
		    memcmp(z->acc, lzop_magic, LZOP_MAGIC_SIZE))
			return fail(z, "invalid header: no lzop magic");
		need = header_need(z->acc, z->have);
	}
	z->have = 0;
	if (parse_header(z, z->acc, need) < 0)
		return STEP_ERROR;
	z->state = LZO_BLOCK_SIZE;
	return STEP_NEXT;
}

static int
step_block_size(struct lzo_dec *z, struct codec_io *io)
{
	const uint8_t *p;

	if (!block_gather(io, z->acc, &z->have, 4, &p))
		return STEP_WAIT;
	z->dst_len = be32(p);
	if (z->dst_len == 0) {
		z->state = LZO_DONE;
		return STEP_END;
	}
	if (z->dst_len > LZOP_BLOCK_MAX)
		return fail(z, "dest len longer than block size: %u bytes, "
			    "limit %u", z->dst_len, LZOP_BLOCK_MAX);
	z->state = LZO_BLOCK_INFO;
	return STEP_NEXT;
}

static int
step_block_info(struct lzo_dec *z, struct codec_io *io)
{
	const uint8_t *p;

	if (!block_gather(io, z->acc, &z->have, 8, &p))
		return STEP_WAIT;
	z->src_len = be32(p);
	z->check = be32(p + 4);
	if (z->src_len == 0 || z->src_len > z->dst_len)
		return fail(z, "file corrupted: block of %u bytes compressed "
			    "to %u", z->dst_len, z->src_len);
	z->state = LZO_BLOCK_DATA;
	return STEP_NEXT;
}

static const char *
lzo_error_name(int r)
{
	switch (r) {
	case LZO_E_INPUT_OVERRUN:
		return "input overrun";
	case LZO_E_OUTPUT_OVERRUN:
		return "output overrun";
	case LZO_E_LOOKBEHIND_OVERRUN:
		return "lookbehind overrun";
	case LZO_E_EOF_NOT_FOUND:
		return "no end-of-stream marker";
	case LZO_E_INPUT_NOT_CONSUMED:
		return "input not consumed";
	default:
		return "error";
	}
}

/* Decodes the block at p into dst when it all fits (no copy), else
 * into z->out for step_flush; checks the size and the checksum. */
static int
decode_block(struct lzo_dec *z, struct codec_io *io, const uint8_t *p)
{
	bool direct = io->dst_len - io->dst_pos >= z->dst_len;
	uint8_t *to = direct ? io->dst + io->dst_pos : z->out;
	lzo_uint n = z->dst_len;
	uint32_t sum;

	/* A block that did not shrink is stored as it is. */
	if (z->src_len == z->dst_len) {
		memcpy(to, p, n);
	} else {
		int r = lzo1x_decompress_safe(p, z->src_len, to, &n, NULL);

		if (r != LZO_E_OK)
			return fail(z, "Compressed data violation: lzo1x %s",
				    lzo_error_name(r));
		if (n != z->dst_len)
			return fail(z, "Compressed data violation: block "
				    "gives %lu bytes, header says %u",
				    (unsigned long)n, z->dst_len);
	}
	sum = z->crc32_data ? lzo_crc32(0, to, n) : lzo_adler32(1, to, n);
	if (sum != z->check)
		return fail(z, "block checksum mismatch: %s of the data is "
			    "%08x, header says %08x",
			    z->crc32_data ? "crc32" : "adler32", sum, z->check);
	if (direct) {
		io->dst_pos += n;
		z->state = LZO_BLOCK_SIZE;
	} else {
		z->out_pos = 0;
		z->out_len = n;
		z->state = LZO_FLUSH;
	}
	return STEP_NEXT;
}

static int
step_block_data(struct lzo_dec *z, struct codec_io *io)
{
	const uint8_t *p;

	if (!block_gather(io, z->in, &z->have, z->src_len, &p))
		return STEP_WAIT;
	return decode_block(z, io, p);
}

static int
step_flush(struct lzo_dec *z, struct codec_io *io)
{
	if (!block_drain(io, z->out, z->out_len, &z->out_pos))
		return STEP_WAIT;
	z->state = LZO_BLOCK_SIZE;
	return STEP_NEXT;
}

static int (*const lzo_steps[])(struct lzo_dec *, struct codec_io *) = {
	[LZO_HEADER] = step_header,
	[LZO_BLOCK_SIZE] = step_block_size,
	[LZO_BLOCK_INFO] = step_block_info,
	[LZO_BLOCK_DATA] = step_block_data,
	[LZO_FLUSH] = step_flush,
};

static int
lzo_run(struct decoder *d, struct codec_io *io)
{
	struct lzo_dec *z = (struct lzo_dec *)d;
	int rc;

	if (z->state == LZO_DONE || z->state == LZO_FAILED)
		return z->state == LZO_DONE ? CODEC_END : CODEC_ERROR;
	while ((rc = lzo_steps[z->state](z, io)) == STEP_NEXT)
		;
	if (rc == STEP_END)
		return CODEC_END;
	/* Waiting for input that will never come: the kernel's words. */
	if (rc == STEP_WAIT && io->src_end && z->state != LZO_FLUSH)
		rc = fail(z, "%s: the stream ends inside the %s",
			  z->state == LZO_HEADER ? "invalid header" :
			  "file corrupted",
			  z->state == LZO_HEADER ? "header" : "block");
	return rc == STEP_ERROR ? CODEC_ERROR : CODEC_OK;
}

static void
lzo_dec_free(struct decoder *d)
{
	struct lzo_dec *z = (struct lzo_dec *)d;

	free(z->in);
	free(z->out);
	free(z);
}

static const struct decoder_ops lzo_dec_ops = { lzo_run, lzo_dec_free };

static struct decoder *
lzo_decoder_new(void)
{
	struct lzo_dec *z;

	/* Only fails when liblzo2 was built for another ABI. */
	if (lzo_init() != LZO_E_OK)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	z->d.ops = &lzo_dec_ops;
	z->in = xmalloc(LZOP_BLOCK_MAX);
	z->out = xmalloc(LZOP_BLOCK_MAX);
	return &z->d;
}

/* ---- encoder ---- */

struct lzo_enc {
	struct encoder e;
	int level;
	uint8_t *in;		/* the block being filled */
	size_t in_len;
	uint8_t *out;		/* sizes, checksum, compressed data */
	void *wrkmem;
};

static int
compress_block(struct lzo_enc *z, const uint8_t *p, size_t n)
{
	lzo_uint clen = LZOP_OUT_MAX;
	uint8_t *h = z->out;
	int r;

	if (z->level >= 7)
		r = lzo1x_999_compress_level(p, n, z->out + 12, &clen,
					     z->wrkmem, NULL, 0, NULL,
					     z->level);
	else
		r = lzo1x_1_compress(p, n, z->out + 12, &clen, z->wrkmem);
	if (r != LZO_E_OK) {
		snprintf(z->e.msg, sizeof(z->e.msg),
			 "lzo1x compression failed (error %d)", r);
		return -EIO;
	}
	h = put_be32(h, (uint32_t)n);
	h = put_be32(h, clen < n ? (uint32_t)clen : (uint32_t)n);
	put_be32(h, lzo_adler32(1, p, n));
	if (clen < n)
		return out_write(z->e.out, z->out, 12 + clen);
	if (out_write(z->e.out, z->out, 12) < 0)
		return -z->e.out->err;
	return out_write(z->e.out, p, n);
}

static int
lzo_write(struct encoder *e, const void *p, size_t n)
{
	struct lzo_enc *z = (struct lzo_enc *)e;
	const uint8_t *s = p;

	while (n) {
		size_t k = LZOP_BLOCK_MAX - z->in_len;
		int rc;

		/* Whole blocks straight from the caller's buffer. */
		if (z->in_len == 0 && n >= LZOP_BLOCK_MAX) {
			rc = compress_block(z, s, LZOP_BLOCK_MAX);
			k = LZOP_BLOCK_MAX;
		} else {
			if (k > n)
				k = n;
			memcpy(z->in + z->in_len, s, k);
			z->in_len += k;
			rc = 0;
			if (z->in_len == LZOP_BLOCK_MAX) {
				rc = compress_block(z, z->in, z->in_len);
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

static int
lzo_finish(struct encoder *e)
{
	struct lzo_enc *z = (struct lzo_enc *)e;
	static const uint8_t end[4];

	if (z->in_len) {
		int rc = compress_block(z, z->in, z->in_len);

		z->in_len = 0;
		if (rc < 0)
			return rc;
	}
	return out_write(e->out, end, sizeof(end));
}

static void
lzo_enc_free(struct encoder *e)
{
	struct lzo_enc *z = (struct lzo_enc *)e;

	free(z->in);
	free(z->out);
	free(z->wrkmem);
	free(z);
}

static const struct encoder_ops lzo_enc_ops = {
	lzo_write, lzo_finish, lzo_enc_free,
};

/* The header lzop writes, less the name and the mtime. */
static int
write_header(struct lzo_enc *z)
{
	uint8_t h[LZOP_HEADER_MAX], *p = h + LZOP_MAGIC_SIZE;

	memcpy(h, lzop_magic, LZOP_MAGIC_SIZE);
	*p++ = 0x10;			/* version 0x1040 */
	*p++ = 0x40;
	*p++ = (uint8_t)(lzo_version() >> 8);
	*p++ = (uint8_t)lzo_version();
	*p++ = LZOP_VERSION_LEVEL >> 8;	/* version needed */
	*p++ = LZOP_VERSION_LEVEL & 0xff;
	*p++ = z->level >= 7 ? M_LZO1X_999 : M_LZO1X_1;
	*p++ = (uint8_t)z->level;
	p = put_be32(p, F_OS_UNIX | F_ADLER32_D);
	p = put_be32(p, 0100644);	/* mode */
	p = put_be32(p, 0);		/* mtime low, high */
	p = put_be32(p, 0);
	*p++ = 0;			/* name length */
	p = put_be32(p, lzo_adler32(1, h + LZOP_MAGIC_SIZE,
				    (lzo_uint)(p - h - LZOP_MAGIC_SIZE)));
	return out_write(z->e.out, h, (size_t)(p - h));
}

static struct encoder *
lzo_encoder_new(const struct encode_params *params, struct outbuf *out,
		char *msg)
{
	struct lzo_enc *z;

	if (lzo_init() != LZO_E_OK) {
		snprintf(msg, CODEC_MSG_SIZE, "liblzo2 failed to initialise");
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	z->e.ops = &lzo_enc_ops;
	z->e.out = out;
	z->level = params->level;
	z->in = xmalloc(LZOP_BLOCK_MAX);
	z->out = xmalloc(12 + LZOP_OUT_MAX);
	z->wrkmem = xmalloc(z->level >= 7 ? LZO1X_999_MEM_COMPRESS :
			    LZO1X_1_MEM_COMPRESS);
	if (write_header(z) < 0) {
		snprintf(msg, CODEC_MSG_SIZE, "write error: %s",
			 strerror(out->err));
		lzo_enc_free(&z->e);
		return NULL;
	}
	return &z->e;
}

const struct codec codec_lzo = {
	.name = "lzo",
	.magic = { 0x89, 0x4c },
	.min_level = 1,
	.max_level = 9,
	.default_level = 3,
	.threaded = false,
	.decoder_new = lzo_decoder_new,
	.encoder_new = lzo_encoder_new,
};
