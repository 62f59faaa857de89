/* outbuf.c - see outbuf.h. */
#include "base/outbuf.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTBUF_SIZE (1024 * 1024)
/* Below this, copying through the buffer beats a flush and a syscall. */
#define DIRECT_COPY_MIN (64 * 1024)

void
out_init(struct outbuf *o, int fd)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->cap = OUTBUF_SIZE;
	o->buf = xmalloc(o->cap);
	o->direct_ok = fstat(fd, &st) == 0 &&
		       (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode));
}

void
out_init_sink(struct outbuf *o, out_sink_fn sink, void *ctx)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->sink = sink;
	o->sink_ctx = ctx;
	o->cap = OUTBUF_SIZE;
	o->buf = xmalloc(o->cap);
}

void
out_free(struct outbuf *o)
{
	free(o->buf);
	o->buf = NULL;
}

static int
write_all(struct outbuf *o, const uint8_t *p, size_t n)
{
	if (o->sink) {
		int rc = o->sink(o->sink_ctx, p, n);

		if (rc < 0)
			o->err = -rc;
		return rc;
	}
	while (n) {
		ssize_t w = write(o->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			return -o->err;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
out_flush(struct outbuf *o)
{
	size_t n = o->len;

	if (o->err)
		return -o->err;
	o->len = 0;
	return n ? write_all(o, o->buf, n) : 0;
}

int
out_write(struct outbuf *o, const void *p, size_t n)
{
	if (o->err)
		return -o->err;
	o->offset += n;
	if (n >= o->cap - o->len) {
		if (out_flush(o) < 0)
			return -o->err;
		if (n >= o->cap)
			return write_all(o, p, n);
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

int
out_zeros(struct outbuf *o, size_t n)
{
	static const uint8_t zeros[512];

	while (n) {
		size_t k = n < sizeof(zeros) ? n : sizeof(zeros);

		if (out_write(o, zeros, k) < 0)
			return -o->err;
		n -= k;
	}
	return 0;
}

int
out_pad(struct outbuf *o, uint64_t align)
{
	return out_zeros(o, (size_t)(-o->offset & (align - 1)));
}

/* Kernel-side copy; returns bytes moved, 0 at end of input, -errno. */
static ssize_t
copy_direct(struct outbuf *o, int fd, size_t n)
{
	ssize_t r = copy_file_range(fd, NULL, o->fd, NULL, n, 0);

	if (r < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
		      errno == EOPNOTSUPP || errno == EBADF))
		r = sendfile(o->fd, fd, NULL, n);
	return r < 0 ? -errno : r;
}

static ssize_t
copy_buffered(struct outbuf *o, int fd, size_t n)
{
	ssize_t r;

	if (o->len == o->cap && out_flush(o) < 0)
		return -o->err;
	if (n > o->cap - o->len)
		n = o->cap - o->len;
	do
		r = read(fd, o->buf + o->len, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	o->len += (size_t)r;
	return r;
}

int
out_copy_fd(struct outbuf *o, int fd, uint64_t len, uint64_t *copied)
{
	int direct = o->direct_ok && len >= DIRECT_COPY_MIN;

	*copied = 0;
	if (o->err)
		return -o->err;
	if (direct && out_flush(o) < 0)
		return -o->err;
	while (*copied < len) {
		uint64_t left = len - *copied;
		size_t n = left > (1u << 30) ? (1u << 30) : (size_t)left;
		ssize_t r = direct ? copy_direct(o, fd, n) : copy_buffered(o, fd, n);

		if (r < 0 && direct && *copied == 0 && r != -EIO) {
			direct = 0;	/* this pair of files cannot; copy by hand */
			continue;
		}
		if (r < 0)
			return (int)r;
		if (r == 0)
			return -EIO;
		*copied += (uint64_t)r;
		o->offset += (uint64_t)r;
	}
	return 0;
}
