/* codec.c - see codec.h. */
#include "codec/codec.h"

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
