/* block.c - see block.h. */
#include "codec/block.h"

#include <string.h>

bool
block_gather(struct codec_io *io, uint8_t *acc, size_t *have, size_t need,
	     const uint8_t **p)
{
	size_t n = need - *have;

	if (*have == 0 && block_src_left(io) >= need) {
		*p = io->src + io->src_pos;
		io->src_pos += need;
		return true;
	}
	if (n > block_src_left(io))
		n = block_src_left(io);
	memcpy(acc + *have, io->src + io->src_pos, n);
	io->src_pos += n;
	*have += n;
	if (*have < need)
		return false;
	*p = acc;
	*have = 0;
	return true;
}

bool
block_drain(struct codec_io *io, const uint8_t *out, size_t len, size_t *pos)
{
	size_t n = len - *pos;

	if (n > io->dst_len - io->dst_pos)
		n = io->dst_len - io->dst_pos;
	memcpy(io->dst + io->dst_pos, out + *pos, n);
	io->dst_pos += n;
	*pos += n;
	return *pos == len;
}
