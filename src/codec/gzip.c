/*
 * gzip.c - the gzip member (RFC 1952), as lib/decompress_inflate.c reads
 * it, through zlib.
 *
 * The kernel wants 1f 8b 08, skips the 10-byte header and an FNAME
 * field only, inflates raw deflate and skips the 8-byte trailer unread.
 * So the decoder parses the header itself: 1f 9e (the "old gzip" entry
 * of the kernel's magic table) fails with the kernel's "Not a gzip
 * file", and FEXTRA, FCOMMENT or FHCRC fields, which the kernel would
 * inflate as if they were deflate data, are errors. Raw deflate goes to
 * zlib; the trailer's CRC32 and ISIZE are checked, which the kernel
 * does not do. One member per stream: the kernel's outer loop reads a
 * second one (`cat a.gz b.gz`) as the next member.
 *
 * The encoder is zlib's gzip wrapper (windowBits 31) with zlib's default
 * header: no name, mtime 0, OS byte as zlib writes it. Levels 1-9.
 *
 * Limits: FTEXT and the reserved flag bits are ignored, as the kernel
 * ignores them.
 */
#define ZLIB_CONST
#include <zlib.h>

#include "codec/codec.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GZ_HEADER_SIZE 10
#define GZ_TRAILER_SIZE 8
#define GZ_METHOD_DEFLATE 8
#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_OUT_SIZE (64 * 1024)
/* zlib counts in uInt; larger buffers are handed over in pieces. */
#define GZ_MAX_CHUNK ((size_t)1 << 30)

enum gzip_state { GZ_HEADER, GZ_NAME, GZ_DATA, GZ_TRAILER, GZ_END };

/* A step's result besides the codec_status values: go on with the next
 * state. */
#define GZ_NEXT 2

struct gzip_decoder {
	struct decoder base;
	z_stream z;
	enum gzip_state state;
	uint8_t buf[GZ_HEADER_SIZE];	/* the header, then the trailer */
	size_t buf_len;
	uint32_t crc, size;		/* of the output so far */
};

struct gzip_encoder {
	struct encoder base;
	z_stream z;
	int err;		/* first failure (-errno), returned again */
	bool finished;
	uint8_t buf[GZ_OUT_SIZE];
};

static int __attribute__((format(printf, 2, 3)))
gzip_fail(struct gzip_decoder *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->base.msg, sizeof(d->base.msg), fmt, ap);
	va_end(ap);
	return CODEC_ERROR;
}

static size_t
clamp(size_t n)
{
	return n < GZ_MAX_CHUNK ? n : GZ_MAX_CHUNK;
}

static uint32_t
le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The kernel would inflate these fields as if they were deflate data. */
static int
gzip_bad_flags(struct gzip_decoder *d, uint8_t bad)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} flags[] = {
		{ GZ_FEXTRA, "FEXTRA" },
		{ GZ_FCOMMENT, "FCOMMENT" },
		{ GZ_FHCRC, "FHCRC" },
	};
	char list[32] = "";
	int count = 0;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!(bad & flags[i].bit))
			continue;
		if (list[0])
			strcat(list, "/");
		strcat(list, flags[i].name);
		count++;
	}
	return gzip_fail(d, "gzip header has %s field%s, which the kernel "
			 "does not skip", list, count > 1 ? "s" : "");
}

/* Checks the header byte just stored, so that a stream that cannot boot
 * fails at its first wrong byte rather than as a truncated one. */
static int
gzip_check_header_byte(struct gzip_decoder *d)
{
	const uint8_t *h = d->buf;
	uint8_t bad;

	switch (d->buf_len) {
	case 2:
		if (h[0] == 0x1f && h[1] == 0x9e)
			return gzip_fail(d, "Not a gzip file: old gzip magic "
					 "1f 9e");
		if (h[0] != 0x1f || h[1] != 0x8b)
			return gzip_fail(d, "Not a gzip file: magic %02x %02x",
					 h[0], h[1]);
		break;
	case 3:
		if (h[2] != GZ_METHOD_DEFLATE)
			return gzip_fail(d, "Not a gzip file: compression "
					 "method %u, not 8 (deflate)", h[2]);
		break;
	case 4:
		bad = h[3] & (GZ_FEXTRA | GZ_FCOMMENT | GZ_FHCRC);
		if (bad)
			return gzip_bad_flags(d, bad);
		break;
	}
	return CODEC_OK;
}

static int
gzip_header(struct gzip_decoder *d, struct codec_io *io)
{
	while (d->buf_len < GZ_HEADER_SIZE) {
		if (io->src_pos == io->src_len)
			return CODEC_OK;
		d->buf[d->buf_len++] = io->src[io->src_pos++];
		if (gzip_check_header_byte(d) < 0)
			return CODEC_ERROR;
	}
	d->state = d->buf[3] & GZ_FNAME ? GZ_NAME : GZ_DATA;
	d->buf_len = 0;
	return GZ_NEXT;
}

/* The kernel skips a NUL-terminated name of any length. */
static int
gzip_name(struct gzip_decoder *d, struct codec_io *io)
{
	const uint8_t *p = io->src + io->src_pos;
	const uint8_t *nul;

	if (io->src_pos == io->src_len)
		return CODEC_OK;
	nul = memchr(p, 0, io->src_len - io->src_pos);
	if (!nul) {
		io->src_pos = io->src_len;
		return CODEC_OK;
	}
	io->src_pos += (size_t)(nul - p) + 1;
	d->state = GZ_DATA;
	return GZ_NEXT;
}

static int
gzip_data(struct gzip_decoder *d, struct codec_io *io)
{
	z_stream *z = &d->z;

	for (;;) {
		size_t in = clamp(io->src_len - io->src_pos);
		size_t out = clamp(io->dst_len - io->dst_pos);
		size_t used, made;
		int ret;

		z->next_in = io->src + io->src_pos;
		z->avail_in = (uInt)in;
		z->next_out = io->dst + io->dst_pos;
		z->avail_out = (uInt)out;
		ret = inflate(z, Z_NO_FLUSH);
		used = in - z->avail_in;
		made = out - z->avail_out;
		d->crc = (uint32_t)crc32(d->crc, io->dst + io->dst_pos,
					 (uInt)made);
		d->size += (uint32_t)made;
		io->src_pos += used;
		io->dst_pos += made;
		if (ret == Z_STREAM_END) {
			d->state = GZ_TRAILER;
			return GZ_NEXT;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			return gzip_fail(d, "uncompression error: %s",
					 z->msg ? z->msg : zError(ret));
		if (io->src_pos == io->src_len || io->dst_pos == io->dst_len ||
		    (!used && !made))
			return CODEC_OK;
	}
}

static int
gzip_trailer(struct gzip_decoder *d, struct codec_io *io)
{
	size_t n = GZ_TRAILER_SIZE - d->buf_len;

	if (n > io->src_len - io->src_pos)
		n = io->src_len - io->src_pos;
	memcpy(d->buf + d->buf_len, io->src + io->src_pos, n);
	d->buf_len += n;
	io->src_pos += n;
	if (d->buf_len < GZ_TRAILER_SIZE)
		return CODEC_OK;
	if (le32(d->buf) != d->crc)
		return gzip_fail(d, "gzip trailer: CRC32 mismatch (stored "
				 "%08x, decoded data %08x)", le32(d->buf),
				 d->crc);
	if (le32(d->buf + 4) != d->size)
		return gzip_fail(d, "gzip trailer: ISIZE mismatch (stored "
				 "%u, decoded %u bytes modulo 2^32)",
				 le32(d->buf + 4), d->size);
	d->state = GZ_END;
	return CODEC_END;
}

static int
gzip_end(struct gzip_decoder *d, struct codec_io *io)
{
	(void)d;
	(void)io;
	return CODEC_END;
}

static int (*const gzip_steps[])(struct gzip_decoder *, struct codec_io *) = {
	[GZ_HEADER] = gzip_header,
	[GZ_NAME] = gzip_name,
	[GZ_DATA] = gzip_data,
	[GZ_TRAILER] = gzip_trailer,
	[GZ_END] = gzip_end,
};

static int
gzip_run(struct decoder *base, struct codec_io *io)
{
	struct gzip_decoder *d = (struct gzip_decoder *)base;
	int rc;

	do
		rc = gzip_steps[d->state](d, io);
	while (rc == GZ_NEXT);
	return rc;
}

static void
gzip_decoder_free(struct decoder *base)
{
	struct gzip_decoder *d = (struct gzip_decoder *)base;

	inflateEnd(&d->z);
	free(d);
}

static const struct decoder_ops gzip_decoder_ops = {
	.run = gzip_run,
	.free = gzip_decoder_free,
};

static struct decoder *
gzip_decoder_new(void)
{
	struct gzip_decoder *d = xcalloc(1, sizeof(*d));

	d->base.ops = &gzip_decoder_ops;
	d->crc = (uint32_t)crc32(0, NULL, 0);
	/* Raw deflate: the wrapper is ours, held to the kernel's rules. */
	if (inflateInit2(&d->z, -MAX_WBITS) != Z_OK) {
		free(d);
		return NULL;
	}
	return &d->base;
}

static int
gzip_encoder_fail(struct gzip_encoder *e, int ret)
{
	snprintf(e->base.msg, sizeof(e->base.msg), "gzip encoder: zlib: %s",
		 e->z.msg ? e->z.msg : zError(ret));
	e->err = ret == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
	return e->err;
}

/* Runs deflate until it has taken all input (Z_NO_FLUSH) or ended the
 * stream (Z_FINISH), passing its output on to out. */
static int
gzip_pump(struct gzip_encoder *e, int flush)
{
	z_stream *z = &e->z;
	int ret;

	do {
		size_t n;

		z->next_out = e->buf;
		z->avail_out = sizeof(e->buf);
		ret = deflate(z, flush);
		if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
			return gzip_encoder_fail(e, ret);
		n = sizeof(e->buf) - z->avail_out;
		if (n && out_write(e->base.out, e->buf, n) < 0)
			return e->err = -e->base.out->err;
	} while (z->avail_out == 0 ||
		 (flush == Z_FINISH && ret != Z_STREAM_END));
	return 0;
}

static int
gzip_write(struct encoder *base, const void *p, size_t n)
{
	struct gzip_encoder *e = (struct gzip_encoder *)base;
	const uint8_t *q = p;

	while (n && !e->err) {
		size_t k = clamp(n);

		e->z.next_in = q;
		e->z.avail_in = (uInt)k;
		if (gzip_pump(e, Z_NO_FLUSH) < 0)
			break;
		q += k;
		n -= k;
	}
	return e->err;
}

static int
gzip_finish(struct encoder *base)
{
	struct gzip_encoder *e = (struct gzip_encoder *)base;

	if (e->err || e->finished)
		return e->err;
	e->z.next_in = NULL;
	e->z.avail_in = 0;
	if (gzip_pump(e, Z_FINISH) == 0)
		e->finished = true;
	return e->err;
}

static void
gzip_encoder_free(struct encoder *base)
{
	struct gzip_encoder *e = (struct gzip_encoder *)base;

	deflateEnd(&e->z);
	free(e);
}

static const struct encoder_ops gzip_encoder_ops = {
	.write = gzip_write,
	.finish = gzip_finish,
	.free = gzip_encoder_free,
};

static struct encoder *
gzip_encoder_new(const struct encode_params *p, struct outbuf *out, char *msg)
{
	struct gzip_encoder *e;
	int ret;

	if (p->level < 1 || p->level > 9) {
		snprintf(msg, CODEC_MSG_SIZE, "gzip: level %d is not in 1-9",
			 p->level);
		return NULL;
	}
	e = xcalloc(1, sizeof(*e));
	e->base.ops = &gzip_encoder_ops;
	e->base.out = out;
	/* windowBits 16 + 15: zlib writes the gzip header and trailer; with
	 * no deflateSetHeader() that header has no name and mtime 0. */
	ret = deflateInit2(&e->z, p->level, Z_DEFLATED, 16 + MAX_WBITS, 8,
			   Z_DEFAULT_STRATEGY);
	if (ret != Z_OK) {
		snprintf(msg, CODEC_MSG_SIZE, "gzip encoder: zlib: %s",
			 zError(ret));
		free(e);
		return NULL;
	}
	return &e->base;
}

const struct codec codec_gzip = {
	.name = "gzip",
	.magic = { 0x1f, 0x8b },
	.min_level = 1,
	.max_level = 9,
	.default_level = 6,
	.threaded = false,
	.decoder_new = gzip_decoder_new,
	.encoder_new = gzip_encoder_new,
};
