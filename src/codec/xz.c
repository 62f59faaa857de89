/*
 * xz.c - the xz member, as lib/decompress_unxz.c (lib/xz) reads it,
 * through liblzma (encoder and failure messages shared in liblzma.c).
 *
 * One .xz stream per member: stream header, blocks, index, stream
 * footer (the .xz file format, sections 2-4); the member ends right
 * after the footer and stream padding is NULs for the image's outer
 * loop. The decoder walks the stream itself with liblzma's lower-level
 * calls, so it sees every block header and can hold each block to what
 * lib/xz/xz_dec_stream.c (dec_stream_header, dec_block_header) takes:
 *  - check type None or CRC32 only (the kernel is built without
 *    XZ_DEC_ANY_CHECK; the xz tool's default, CRC64, does not boot);
 *  - no reserved block flags and at most two filters;
 *  - with two, the first is a BCJ filter the kernel was built with and
 *    has no properties (no start offset): Debian's amd64 kernel has the
 *    x86 filter only, so --arm, --delta and --x86=start=N do not boot;
 *  - the last filter is LZMA2, with a dictionary of at most 3 GiB.
 * A refused block fails with the kernel's options message, naming it.
 * Memory is bounded: a 1 KiB header buffer, liblzma's constant-size
 * index hash, and one block decoder whose dictionary is at most
 * LZ_DICT_MAX (checked per block before it is allocated).
 *
 * The encoder always uses liblzma's multi-threaded encoder, even for one
 * thread: with block_size 0 a block is 3 x the preset's dictionary (at
 * least 1 MiB) whatever the thread count, so the bytes are the same for
 * every thread count. Check CRC32, presets 0-9, which use LZMA2 alone.
 *
 * Limits: a filter liblzma does not know is refused with liblzma's
 * reason rather than by name.
 */
#include "codec/liblzma.h"
#include "codec/block.h"
#include "base/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The BCJ filters the target kernel decodes (its CONFIG_XZ_DEC_*):
 * Debian 12's amd64 kernel refuses every other one at boot. */
static const lzma_vli kernel_bcj[] = { LZMA_FILTER_X86 };

/* Block Flags (xz format 3.1.2): filter count - 1, then reserved bits,
 * then the two optional size fields. */
#define BLOCK_FILTERS_MASK 0x03
#define BLOCK_RESERVED_MASK 0x3c
#define BLOCK_HAS_COMPRESSED 0x40
#define BLOCK_HAS_UNCOMPRESSED 0x80
/* The kernel's LZMA2 takes dictionary properties up to 39 (3 GiB);
 * liblzma's 40 means 4 GiB - 1. */
#define KERNEL_DICT_MAX ((uint32_t)3 << 30)

enum xz_state {
	XZ_STREAM_HEADER,
	XZ_BLOCK_START,		/* a block header or the index follows */
	XZ_BLOCK_HEADER,
	XZ_BLOCK_DATA,
	XZ_INDEX,
	XZ_FOOTER,
	XZ_DONE,
	XZ_FAILED,
};

struct xz_decoder {
	struct decoder base;
	enum xz_state state;
	lzma_stream_flags flags;	/* from the stream header */
	lzma_index_hash *index;		/* the blocks seen, for the index */
	lzma_stream strm;		/* the current block's decoder */
	lzma_block block;		/* its header; strm writes its sizes */
	lzma_filter filters[LZMA_FILTERS_MAX + 1];
	uint64_t blocks;		/* blocks begun, for messages */
	size_t have;			/* bytes gathered in acc */
	uint8_t acc[LZMA_BLOCK_HEADER_SIZE_MAX];
};

static lzma_ret
xz_encoder_init(lzma_stream *s, const struct encode_params *p)
{
	lzma_mt mt = {
		.threads = (uint32_t)p->threads,
		.block_size = 0,
		.preset = (uint32_t)p->level,
		.check = LZMA_CHECK_CRC32,
	};

	return lzma_stream_encoder_mt(s, &mt);
}

static const struct lz_format xz_format = {
	.name = "xz",
	.encoder_init = xz_encoder_init,
	.corrupt = "XZ-compressed data is corrupt",
	.bad_header = "Input is not in the XZ format (wrong magic bytes)",
	.unsupported = "Input was encoded with settings that are not "
		       "supported by this XZ decoder",
	.no_memory = "XZ decompressor ran out of memory",
};

/* ---- messages ---------------------------------------------------- */

static int
xz_fail(struct xz_decoder *d, lzma_ret ret, uint64_t memusage)
{
	lz_decoder_msg(&xz_format, ret, memusage, d->base.msg);
	return STEP_ERROR;
}

/* The kernel's options message, ": " and the detail fmt gives. */
static int __attribute__((format(printf, 2, 3)))
xz_refuse(struct xz_decoder *d, const char *fmt, ...)
{
	int n = snprintf(d->base.msg, sizeof(d->base.msg), "%s: ",
			 xz_format.unsupported);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(d->base.msg))
		return STEP_ERROR;
	va_start(ap, fmt);
	vsnprintf(d->base.msg + n, sizeof(d->base.msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return STEP_ERROR;
}

static const char *
check_name(lzma_check check, char *buf, size_t size)
{
	switch (check) {
	case LZMA_CHECK_CRC64:
		return "CRC64";
	case LZMA_CHECK_SHA256:
		return "SHA-256";
	default:
		snprintf(buf, size, "%d", (int)check);
		return buf;
	}
}

static const char *
filter_name(lzma_vli id)
{
	static const struct {
		lzma_vli id;
		const char *name;
	} names[] = {
		{ LZMA_FILTER_DELTA, "delta" },
		{ LZMA_FILTER_X86, "x86" },
		{ LZMA_FILTER_POWERPC, "PowerPC" },
		{ LZMA_FILTER_IA64, "IA-64" },
		{ LZMA_FILTER_ARM, "ARM" },
		{ LZMA_FILTER_ARMTHUMB, "ARM-Thumb" },
		{ LZMA_FILTER_SPARC, "SPARC" },
		{ LZMA_FILTER_ARM64, "ARM64" },
		{ LZMA_FILTER_LZMA1, "LZMA1" },
		{ LZMA_FILTER_LZMA2, "LZMA2" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == id)
			return names[i].name;
	return "unknown";
}

/* ---- the kernel's rules ------------------------------------------ */

static int
kernel_takes_check(struct xz_decoder *d)
{
	char buf[16];

	if (d->flags.check == LZMA_CHECK_NONE ||
	    d->flags.check == LZMA_CHECK_CRC32)
		return STEP_NEXT;
	return xz_refuse(d, "check type %s; build with xz --check=crc32",
			 check_name(d->flags.check, buf, sizeof(buf)));
}

/* The block flags the kernel tests before it reads any filter. */
static int
kernel_takes_flags(struct xz_decoder *d, uint8_t flags)
{
	if (flags & BLOCK_RESERVED_MASK)
		return xz_refuse(d, "reserved block flags 0x%02x in block "
				 "%llu", flags & BLOCK_RESERVED_MASK,
				 (unsigned long long)d->blocks);
	if ((flags & BLOCK_FILTERS_MASK) > 1)
		return xz_refuse(d, "%d filters in block %llu (the kernel "
				 "takes at most two)",
				 (flags & BLOCK_FILTERS_MASK) + 1,
				 (unsigned long long)d->blocks);
	return STEP_NEXT;
}

static bool
kernel_has_bcj(lzma_vli id)
{
	for (size_t i = 0; i < sizeof(kernel_bcj) / sizeof(kernel_bcj[0]); i++)
		if (kernel_bcj[i] == id)
			return true;
	return false;
}

/* The Size of Properties of the first filter in header hdr, which
 * liblzma has decoded (so its integers are valid and minimal). liblzma
 * hides a stored start offset of 0; the kernel refuses any properties. */
static uint8_t
first_props_size(const struct xz_decoder *d, const uint8_t *hdr)
{
	size_t at = 2;

	if (hdr[1] & BLOCK_HAS_COMPRESSED)
		at += lzma_vli_size(d->block.compressed_size);
	if (hdr[1] & BLOCK_HAS_UNCOMPRESSED)
		at += lzma_vli_size(d->block.uncompressed_size);
	return hdr[at + lzma_vli_size(d->filters[0].id)];
}

/* dec_block_header's filter rules, on the chain liblzma decoded. */
static int
kernel_takes_chain(struct xz_decoder *d, const uint8_t *hdr)
{
	unsigned long long block = d->blocks;
	const lzma_filter *last = &d->filters[hdr[1] & BLOCK_FILTERS_MASK];
	const lzma_options_lzma *lz = last->options;

	if (last != d->filters) {
		lzma_vli id = d->filters[0].id;

		if (!kernel_has_bcj(id))
			return xz_refuse(d, "%s filter (0x%02llx) in block "
					 "%llu (the kernel has LZMA2 and the "
					 "x86 BCJ filter only)",
					 filter_name(id),
					 (unsigned long long)id, block);
		if (first_props_size(d, hdr))
			return xz_refuse(d, "%s filter with a start offset "
					 "in block %llu", filter_name(id),
					 block);
	}
	if (last->id != LZMA_FILTER_LZMA2)
		return xz_refuse(d, "%s filter (0x%02llx) last in block %llu "
				 "(the kernel needs LZMA2 there)",
				 filter_name(last->id),
				 (unsigned long long)last->id, block);
	if (lz->dict_size > KERNEL_DICT_MAX)
		return xz_refuse(d, "LZMA2 dictionary over 3 GiB in block "
				 "%llu", block);
	return STEP_NEXT;
}

/* ---- the steps --------------------------------------------------- */

static int
step_stream_header(struct xz_decoder *d, struct codec_io *io)
{
	const uint8_t *p;
	lzma_ret ret;

	if (!block_gather(io, d->acc, &d->have, LZMA_STREAM_HEADER_SIZE, &p))
		return STEP_WAIT;
	ret = lzma_stream_header_decode(&d->flags, p);
	if (ret != LZMA_OK)
		return xz_fail(d, ret, 0);
	if (kernel_takes_check(d) == STEP_ERROR)
		return STEP_ERROR;
	d->index = lzma_index_hash_init(NULL, NULL);
	if (!d->index)
		return xz_fail(d, LZMA_MEM_ERROR, 0);
	d->state = XZ_BLOCK_START;
	return STEP_NEXT;
}

/* Peeks at the next byte: a block header's size, or 0 for the index
 * (whose decoder wants that byte too). */
static int
step_block_start(struct xz_decoder *d, struct codec_io *io)
{
	uint8_t b;

	if (!block_src_left(io))
		return STEP_WAIT;
	b = io->src[io->src_pos];
	if (!b) {
		d->state = XZ_INDEX;
		return STEP_NEXT;
	}
	d->blocks++;
	d->block.header_size = lzma_block_header_size_decode(b);
	d->state = XZ_BLOCK_HEADER;
	return STEP_NEXT;
}

/* Sets up the block decoder for the chain in d->filters, within the
 * memory limit. liblzma copies the filter options it needs. */
static int
block_decoder_init(struct xz_decoder *d)
{
	uint64_t need = lzma_raw_decoder_memusage(d->filters);
	lzma_ret ret;

	if (need == UINT64_MAX)
		return xz_fail(d, LZMA_OPTIONS_ERROR, 0);
	if (need > LZ_MEMLIMIT)
		return xz_fail(d, LZMA_MEMLIMIT_ERROR, need);
	ret = lzma_block_decoder(&d->strm, &d->block);
	if (ret != LZMA_OK)
		return xz_fail(d, ret, 0);
	return STEP_NEXT;
}

static int
step_block_header(struct xz_decoder *d, struct codec_io *io)
{
	const uint8_t *p;
	lzma_ret ret;
	int step;

	if (!block_gather(io, d->acc, &d->have, d->block.header_size, &p))
		return STEP_WAIT;
	d->block.version = 1;
	d->block.check = d->flags.check;
	d->block.filters = d->filters;
	ret = lzma_block_header_decode(&d->block, NULL, p);
	if (ret != LZMA_OK && ret != LZMA_OPTIONS_ERROR)
		return xz_fail(d, ret, 0);
	/* liblzma has freed the filters when it failed. */
	step = kernel_takes_flags(d, p[1]);
	if (step == STEP_NEXT && ret != LZMA_OK)
		step = xz_fail(d, ret, 0);
	if (step == STEP_NEXT)
		step = kernel_takes_chain(d, p);
	if (step == STEP_NEXT)
		step = block_decoder_init(d);
	lzma_filters_free(d->filters, NULL);
	if (step == STEP_NEXT)
		d->state = XZ_BLOCK_DATA;
	return step;
}

/* Ends a block: the index must list it with these sizes. */
static int
block_end(struct xz_decoder *d)
{
	lzma_ret ret = lzma_index_hash_append(
		d->index, lzma_block_unpadded_size(&d->block),
		d->block.uncompressed_size);

	if (ret != LZMA_OK)
		return xz_fail(d, ret, 0);
	d->state = XZ_BLOCK_START;
	return STEP_NEXT;
}

/* Decodes straight into dst; liblzma keeps partial state and checks
 * the block's sizes, padding and check. */
static int
step_block_data(struct xz_decoder *d, struct codec_io *io)
{
	lzma_stream *s = &d->strm;

	for (;;) {
		bool wait;
		lzma_ret ret = lz_code_io(s, io, &wait);

		if (ret == LZMA_STREAM_END)
			return block_end(d);
		if (ret != LZMA_OK && ret != LZMA_BUF_ERROR)
			return xz_fail(d, ret, 0);
		if (wait)
			return STEP_WAIT;
	}
}

/* The index must list exactly the blocks seen; liblzma compares the
 * two by hash and stops right after the index's CRC32. */
static int
step_index(struct xz_decoder *d, struct codec_io *io)
{
	lzma_ret ret;

	if (!block_src_left(io))
		return STEP_WAIT;
	ret = lzma_index_hash_decode(d->index, io->src, &io->src_pos,
				     io->src_len);
	if (ret == LZMA_OK)
		return STEP_WAIT;
	if (ret != LZMA_STREAM_END)
		return xz_fail(d, ret, 0);
	d->state = XZ_FOOTER;
	return STEP_NEXT;
}

/* The footer must match the header and the index's size. The kernel
 * calls every mismatch here corruption (dec_stream_footer). */
static int
step_footer(struct xz_decoder *d, struct codec_io *io)
{
	lzma_stream_flags footer;
	const uint8_t *p;
	lzma_ret ret;

	if (!block_gather(io, d->acc, &d->have, LZMA_STREAM_HEADER_SIZE, &p))
		return STEP_WAIT;
	ret = lzma_stream_footer_decode(&footer, p);
	if (ret == LZMA_OK &&
	    footer.backward_size != lzma_index_hash_size(d->index))
		ret = LZMA_DATA_ERROR;
	if (ret == LZMA_OK)
		ret = lzma_stream_flags_compare(&d->flags, &footer);
	if (ret != LZMA_OK)
		return xz_fail(d, LZMA_DATA_ERROR, 0);
	d->state = XZ_DONE;
	return STEP_END;
}

static int
step_done(struct xz_decoder *d, struct codec_io *io)
{
	(void)d;
	(void)io;
	return STEP_END;
}

static int
step_failed(struct xz_decoder *d, struct codec_io *io)
{
	(void)d;
	(void)io;
	return STEP_ERROR;
}

static int (*const xz_steps[])(struct xz_decoder *, struct codec_io *) = {
	[XZ_STREAM_HEADER] = step_stream_header,
	[XZ_BLOCK_START] = step_block_start,
	[XZ_BLOCK_HEADER] = step_block_header,
	[XZ_BLOCK_DATA] = step_block_data,
	[XZ_INDEX] = step_index,
	[XZ_FOOTER] = step_footer,
	[XZ_DONE] = step_done,
	[XZ_FAILED] = step_failed,
};

static int
xzd_run(struct decoder *base, struct codec_io *io)
{
	struct xz_decoder *d = (struct xz_decoder *)base;
	int step;

	do
		step = xz_steps[d->state](d, io);
	while (step == STEP_NEXT);
	if (step == STEP_ERROR) {
		/* The first message sticks. */
		d->state = XZ_FAILED;
		return CODEC_ERROR;
	}
	return step == STEP_END ? CODEC_END : CODEC_OK;
}

static void
xzd_free(struct decoder *base)
{
	struct xz_decoder *d = (struct xz_decoder *)base;

	lzma_end(&d->strm);
	lzma_index_hash_end(d->index, NULL);
	free(d);
}

static const struct decoder_ops xzd_ops = {
	.run = xzd_run,
	.free = xzd_free,
};

static struct decoder *
xz_decoder_new(void)
{
	struct xz_decoder *d = xcalloc(1, sizeof(*d));
	lzma_stream init = LZMA_STREAM_INIT;

	d->base.ops = &xzd_ops;
	d->state = XZ_STREAM_HEADER;
	d->strm = init;
	for (size_t i = 0; i <= LZMA_FILTERS_MAX; i++)
		d->filters[i].id = LZMA_VLI_UNKNOWN;
	return &d->base;
}

static struct encoder *
xz_encoder_new(const struct encode_params *p, struct outbuf *out, char *msg)
{
	if (p->threads < 1) {
		snprintf(msg, CODEC_MSG_SIZE, "xz: %d threads (at least 1)",
			 p->threads);
		return NULL;
	}
	return lz_encoder_new(&xz_format, p, out, msg);
}

const struct codec codec_xz = {
	.name = "xz",
	.magic = { 0xfd, 0x37 },
	.min_level = 0,
	.max_level = 9,
	.default_level = 6,
	.threaded = true,
	.decoder_new = xz_decoder_new,
	.encoder_new = xz_encoder_new,
};
