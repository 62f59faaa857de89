/*
 * lzma.c - the .lzma ("LZMA_Alone") member, as lib/decompress_unlzma.c
 * reads it, through liblzma (shared plumbing in liblzma.c).
 *
 * A 13-byte header (properties byte lc/lp/pb, dictionary size LE32,
 * uncompressed size LE64, all ones meaning "unknown: the data ends with
 * an end marker"), then LZMA data. The kernel dispatches on 5d 00:
 * properties 0x5d (lc 3, lp 0, pb 2) and a dictionary size whose low
 * byte is 0. The encoder writes exactly that: xz's presets 0-9 (powers
 * of two from 256 KiB), unknown size and an end marker, as `lzma` does.
 *
 * Limits: the decoder takes what liblzma takes (lc + lp <= 4, where the
 * kernel also allows larger lc); dictionaries over 1 GiB are refused.
 * A header with a known size whose data also carries an end marker is
 * accepted, though the kernel stops at the size and would then find the
 * marker's bytes as junk; no .lzma tool writes such streams.
 */
#include "codec/liblzma.h"

static lzma_ret
alone_decoder_init(lzma_stream *s, uint64_t memlimit)
{
	return lzma_alone_decoder(s, memlimit);
}

static lzma_ret
alone_encoder_init(lzma_stream *s, const struct encode_params *p)
{
	lzma_options_lzma opt;

	if (lzma_lzma_preset(&opt, (uint32_t)p->level))
		return LZMA_OPTIONS_ERROR;
	/* The kernel only recognises 5d 00: props 0x5d, dict size % 256 == 0.
	 * Every preset has both; refuse rather than write an image that
	 * would not boot should that ever change. */
	if (opt.lc != 3 || opt.lp != 0 || opt.pb != 2 || opt.dict_size % 256)
		return LZMA_OPTIONS_ERROR;
	return lzma_alone_encoder(s, &opt);
}

static const struct lz_format alone_format = {
	.name = "lzma",
	.decoder_init = alone_decoder_init,
	.encoder_init = alone_encoder_init,
	.corrupt = "LZMA data is corrupt",
	.bad_header = "bad header",
	.unsupported = "bad header",
	/* The kernel's unlzma fails silently when its allocation fails. */
	.no_memory = "LZMA dictionary too large",
};

static struct decoder *
alone_decoder_new(void)
{
	return lz_decoder_new(&alone_format);
}

static struct encoder *
alone_encoder_new(const struct encode_params *p, struct outbuf *out,
		  char *msg)
{
	return lz_encoder_new(&alone_format, p, out, msg);
}

const struct codec codec_lzma = {
	.name = "lzma",
	.magic = { 0x5d, 0x00 },
	.min_level = 0,
	.max_level = 9,
	.default_level = 6,
	.threaded = false,
	.decoder_new = alone_decoder_new,
	.encoder_new = alone_encoder_new,
};
