/* codec.c - see codec.h. */
#include "codec/codec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct codec *const codec_all[] = {
	&codec_gzip, &codec_bzip2, &codec_lzma, &codec_xz,
	&codec_lzo, &codec_lz4, &codec_zstd, NULL,
};

const struct codec *
codec_by_magic(const uint8_t *p, size_t n)
{
	if (n < 2)
		return NULL;
	/* The old gzip magic; the kernel dispatches it to gunzip too. */
	if (p[0] == 0x1f && p[1] == 0x9e)
		return &codec_gzip;
	for (int i = 0; codec_all[i]; i++)
		if (!memcmp(p, codec_all[i]->magic, 2))
			return codec_all[i];
	return NULL;
}

const struct codec *
codec_by_name(const char *name)
{
	for (int i = 0; codec_all[i]; i++)
		if (!strcmp(name, codec_all[i]->name))
			return codec_all[i];
	return NULL;
}

/* Output grows by doubling from this, up to the caller's limit. */
#define DECODE_FIRST_CHUNK (1u << 20)

int
codec_decode_buffer(const struct codec *c, const void *src, size_t n,
		    size_t max, uint8_t **out, size_t *out_len, char *msg)
{
	struct decoder *d = c->decoder_new();
	struct codec_io io = { .src = src, .src_len = n, .src_end = true };
	int rc = CODEC_OK;

	*out = NULL;
	*out_len = 0;
	if (!d) {
		snprintf(msg, CODEC_MSG_SIZE, "out of memory");
		return -ENOMEM;
	}
	while (rc == CODEC_OK) {
		size_t pos = io.src_pos, made = io.dst_pos;

		if (io.dst_pos == io.dst_len) {
			size_t want = io.dst_len ? io.dst_len * 2 : DECODE_FIRST_CHUNK;
			uint8_t *grown;

			if (io.dst_len >= max) {
				snprintf(msg, CODEC_MSG_SIZE, "more than %zu bytes decoded", max);
				rc = CODEC_ERROR;
				break;
			}
			grown = realloc(io.dst, want < max ? want : max);
			if (!grown) {
				snprintf(msg, CODEC_MSG_SIZE, "out of memory");
				rc = CODEC_ERROR;
				break;
			}
			io.dst = grown;
			io.dst_len = want < max ? want : max;
		}
		rc = decoder_run(d, &io);
		if (rc == CODEC_ERROR)
			snprintf(msg, CODEC_MSG_SIZE, "%s", d->msg);
		else if (rc == CODEC_OK && io.src_pos == pos && io.dst_pos == made) {
			snprintf(msg, CODEC_MSG_SIZE, "truncated %s data", c->name);
			rc = CODEC_ERROR;
		}
	}
	decoder_free(d);
	if (rc == CODEC_ERROR) {
		free(io.dst);
		return -EINVAL;
	}
	*out = io.dst;
	*out_len = io.dst_pos;
	return 0;
}
