/* instream.c - see instream.h. */
#include "base/instream.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
in_init(struct instream *in, const struct instream_ops *ops, void *ctx)
{
	memset(in, 0, sizeof(*in));
	in->ops = ops;
	in->ctx = ctx;
	in->cap = INSTREAM_BUFSIZE;
	in->buf = xmalloc(in->cap);
}

void
in_free(struct instream *in)
{
	free(in->buf);
	in->buf = NULL;
}

static ssize_t
fd_read(void *ctx, void *dst, size_t n)
{
	struct fd_source *s = ctx;
	ssize_t r;

	do
		r = read(s->fd, dst, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	s->at += r;
	return r;
}

static int64_t
fd_skip(void *ctx, uint64_t n)
{
	struct fd_source *s = ctx;
	uint64_t left = s->size > s->at ? s->size - s->at : 0;

	if (!s->seekable)
		return -ESPIPE;
	if (n > left)
		n = left;
	if (lseek(s->fd, (off_t)(s->at + n), SEEK_SET) < 0)
		return -errno;
	s->at += n;
	return (int64_t)n;
}

static const struct instream_ops fd_ops = { fd_read, fd_skip };

void
in_init_fd(struct instream *in, struct fd_source *src, int fd)
{
	struct stat st;
	off_t at = lseek(fd, 0, SEEK_CUR);

	memset(src, 0, sizeof(*src));
	src->fd = fd;
	if (at >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		src->seekable = 1;
		src->size = (uint64_t)st.st_size;
		src->at = (uint64_t)at;
	}
	in_init(in, &fd_ops, src);
	in->pos = src->at;
}

static int
fill(struct instream *in, size_t want)
{
	while (in->tail - in->head < want && !in->eof && !in->err) {
		ssize_t r;

		if (in->tail == in->cap) {
			memmove(in->buf, in->buf + in->head, in->tail - in->head);
			in->tail -= in->head;
			in->head = 0;
		}
		r = in->ops->read(in->ctx, in->buf + in->tail, in->cap - in->tail);
		if (r < 0)
			in->err = (int)-r;
		else if (r == 0)
			in->eof = 1;
		else
			in->tail += (size_t)r;
	}
	return in->err ? -in->err : 0;
}

const uint8_t *
in_peek(struct instream *in, size_t n, size_t *avail)
{
	if (n > in->cap)
		n = in->cap;
	if (in->tail - in->head < n && in->head + n > in->cap) {
		memmove(in->buf, in->buf + in->head, in->tail - in->head);
		in->tail -= in->head;
		in->head = 0;
	}
	fill(in, n);
	*avail = in->tail - in->head;
	return in->buf + in->head;
}

void
in_consume(struct instream *in, size_t n)
{
	in->head += n;
	in->pos += n;
	if (in->head == in->tail)
		in->head = in->tail = 0;
}

int64_t
in_skip(struct instream *in, uint64_t n)
{
	uint64_t done = 0;

	while (done < n) {
		size_t have = in->tail - in->head;

		if (have) {
			size_t k = n - done < have ? (size_t)(n - done) : have;

			in_consume(in, k);
			done += k;
			continue;
		}
		if (in->eof || in->err)
			break;
		if (in->ops->skip) {
			uint64_t want = n - done;
			int64_t r = in->ops->skip(in->ctx, want);

			if (r >= 0) {
				in->pos += (uint64_t)r;
				done += (uint64_t)r;
				in->eof = (uint64_t)r < want;
				continue;
			}
			if (r != -ESPIPE) {
				in->err = (int)-r;
				return r;
			}
		}
		if (fill(in, 1) < 0)
			return -in->err;
	}
	return in->err && done < n ? -in->err : (int64_t)done;
}

ssize_t
in_read(struct instream *in, void *dst, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t avail, k;
		const uint8_t *p = in_peek(in, n - done, &avail);

		if (avail == 0)
			break;
		k = avail < n - done ? avail : n - done;
		memcpy((uint8_t *)dst + done, p, k);
		in_consume(in, k);
		done += k;
	}
	if (done < n && in->err)
		return -in->err;
	return (ssize_t)done;
}
