/*
 * xz.c - the xz member, as lib/decompress_unxz.c (lib/xz) reads it,
 * through liblzma (shared plumbing in liblzma.c).
 *
 * One .xz stream per member (lzma_stream_decoder without
 * LZMA_CONCATENATED stops after the stream footer; stream padding is
 * NULs for the image's outer loop). The kernel is built without
 * XZ_DEC_ANY_CHECK, so only the check types None and CRC32 boot; the
 * xz tool's default, CRC64, does not, and is an error here.
 *
 * The encoder always uses liblzma's multi-threaded encoder, even for one
 * thread: with block_size 0 a block is 3 x the preset's dictionary (at
 * least 1 MiB) whatever the thread count, so the bytes are the same for
 * every thread count. Check CRC32, presets 0-9, which use LZMA2 alone.
 *
 * Limits: the kernel also takes only LZMA2 and the BCJ filters its
 * architecture was built with; liblzma does not say which filters a
 * stream uses, so a stream with other filters (delta) is accepted here.
 * Dictionaries over 1 GiB are refused.
 */
#include "codec/liblzma.h"

#include <stdio.h>

static lzma_ret
xz_decoder_init(lzma_stream *s, uint64_t memlimit)
{
	return lzma_stream_decoder(s, memlimit, LZMA_TELL_ANY_CHECK);
}

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

static int
xz_check_type(lzma_check check, char *msg)
{
	char buf[16];

	if (check == LZMA_CHECK_NONE || check == LZMA_CHECK_CRC32)
		return 0;
	snprintf(msg, CODEC_MSG_SIZE,
		 "Input was encoded with settings that are not supported by "
		 "this XZ decoder: check type %s; build with xz --check=crc32",
		 check_name(check, buf, sizeof(buf)));
	return -1;
}

static const struct lz_format xz_format = {
	.name = "xz",
	.decoder_init = xz_decoder_init,
	.encoder_init = xz_encoder_init,
	.corrupt = "XZ-compressed data is corrupt",
	.bad_header = "Input is not in the XZ format (wrong magic bytes)",
	.unsupported = "Input was encoded with settings that are not "
		       "supported by this XZ decoder",
	.no_memory = "XZ decompressor ran out of memory",
	.check_type = xz_check_type,
};

static struct decoder *
xz_decoder_new(void)
{
	return lz_decoder_new(&xz_format);
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
