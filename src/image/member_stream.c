/* member_stream.c - see member_stream.h. */
#include "image/member_stream.h"

#include <errno.h>
#include <string.h>

int
member_stream_open(struct member_stream *m, struct instream *raw,
		   const struct codec *c)
{
	memset(m, 0, sizeof(*m));
	m->raw = raw;
	m->codec = c;
	m->start = raw->pos;
	m->dec = c->decoder_new();
	if (!m->dec) {
		m->state = MEMBER_FAILED;
		return es_fail(&m->err, ENOMEM, "out of memory");
	}
	return 0;
}

void
member_stream_close(struct member_stream *m)
{
	decoder_free(m->dec);
	m->dec = NULL;
}

static ssize_t
failed(struct member_stream *m, int code, const char *fmt, const char *why)
{
	m->state = MEMBER_FAILED;
	es_fail(&m->err, code, fmt, why, (unsigned long long)m->raw->pos);
	return -m->err.code;
}

/* One decoder step over what the raw stream has buffered. */
static int
step(struct member_stream *m, uint8_t *dst, size_t n, size_t *made)
{
	size_t avail;
	const uint8_t *src = in_peek(m->raw, 1, &avail);
	struct codec_io io = {
		.src = src, .src_len = avail, .src_end = m->raw->eof,
		.dst = dst, .dst_len = n,
	};
	int rc;

	if (m->raw->err)
		return failed(m, m->raw->err, "read error: %s (at offset %llu)",
			      strerror(m->raw->err));
	rc = decoder_run(m->dec, &io);
	in_consume(m->raw, io.src_pos);
	*made = io.dst_pos;
	if (rc == CODEC_ERROR)
		return failed(m, EBADMSG,
			      "decompressor failed: %s (near offset %llu)",
			      m->dec->msg);
	if (rc == CODEC_END)
		m->state = MEMBER_ENDED;
	else if (io.src_end && io.src_pos == 0 && io.dst_pos == 0)
		return failed(m, EPIPE, "%s (at offset %llu)",
			      "compressed data ends before the member does");
	return 0;
}

static ssize_t
member_read(void *ctx, void *dst, size_t n)
{
	struct member_stream *m = ctx;
	size_t made = 0;

	while (made == 0 && m->state == MEMBER_DECODING) {
		int rc = step(m, dst, n, &made);

		if (rc < 0)
			return rc;
	}
	if (m->state == MEMBER_FAILED)
		return -m->err.code;
	m->produced += made;
	return (ssize_t)made;
}

const struct instream_ops member_stream_ops = { member_read, NULL };
