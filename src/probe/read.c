/*
 * read.c - how the probes read: pread(2) of exact lengths, with the
 * device's end (a short read) told apart from an error, and the first
 * 8 KiB kept so that most probes need no system call of their own.
 * Limits: pread needs a seekable fd (a pipe gives -ESPIPE).
 */
#include "probe/internal.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

int
probe_dev_init(struct probe_dev *d, int fd)
{
	struct stat st;
	uint64_t bytes;
	int ssz;

	d->fd = fd;
	d->size = 0;
	d->sector_size = 0;
	if (fstat(fd, &st) != 0)
		return -errno;
	if (S_ISREG(st.st_mode)) {
		d->size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		/* Failing ioctls leave "unknown": reads still find the end. */
		if (ioctl(fd, BLKGETSIZE64, &bytes) == 0)
			d->size = bytes;
		if (ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz >= 512)
			d->sector_size = (unsigned)ssz;
	}
	return 0;
}

/* Reads up to len bytes at off; the count read, or -errno. */
static ssize_t
read_upto(const struct probe_dev *d, uint64_t off, uint8_t *buf, size_t len)
{
	size_t done = 0;

	if (off > (uint64_t)INT64_MAX - len)
		return 0;
	if (d->size && off >= d->size)
		return 0;
	while (done < len) {
		ssize_t n = pread(d->fd, buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int
probe_read(const struct probe_dev *d, uint64_t off, void *buf, size_t len)
{
	ssize_t n = read_upto(d, off, buf, len);

	if (n < 0)
		return (int)n;
	return (size_t)n == len;
}

int
probe_ctx_init(struct probe_ctx *c, const struct probe_dev *d)
{
	ssize_t n;

	c->dev = d;
	c->head_len = 0;
	n = read_upto(d, 0, c->head, sizeof(c->head));
	if (n < 0)
		return (int)n;
	c->head_len = (size_t)n;
	/* Bytes past the device's end read as zero, never as stale data. */
	memset(c->head + n, 0, sizeof(c->head) - (size_t)n);
	return 0;
}

int
probe_at(struct probe_ctx *c, uint64_t off, size_t len, const uint8_t **p)
{
	if (off <= c->head_len && len <= c->head_len - off) {
		*p = c->head + off;
		return 1;
	}
	if (c->head_len < sizeof(c->head))
		return 0;	/* the device ended inside the head */
	if (len > sizeof(c->buf))
		return -EINVAL;
	*p = c->buf;
	return probe_read(c->dev, off, c->buf, len);
}
