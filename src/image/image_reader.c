/* image_reader.c - see image_reader.h. */
#include "image/image_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int
image_open(struct image_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->member = -1;
	r->new_member = true;
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return es_fail(&r->err, errno, "%s", strerror(errno));
		r->own_fd = true;
	}
	in_init_fd(&r->raw, &r->src, r->fd);
	cpio_reader_init(&r->cpio, &r->raw, false, false);
	return 0;
}

void
image_close(struct image_reader *r)
{
	in_free(&r->raw);
	if (r->own_fd)
		close(r->fd);
}

const char *
image_compression_name(const uint8_t *p, size_t n)
{
	static const struct {
		uint8_t magic[2];
		const char *name;
	} formats[] = {
		{ { 0x1f, 0x8b }, "gzip" }, { { 0x1f, 0x9e }, "gzip" },
		{ { 0x42, 0x5a }, "bzip2" }, { { 0x5d, 0x00 }, "lzma" },
		{ { 0xfd, 0x37 }, "xz" }, { { 0x89, 0x4c }, "lzo" },
		{ { 0x02, 0x21 }, "lz4" }, { { 0x28, 0xb5 }, "zstd" },
	};

	if (n < 2)
		return NULL;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!memcmp(p, formats[i].magic, 2))
			return formats[i].name;
	return NULL;
}

static int
foreign(struct image_reader *r)
{
	size_t avail;
	const uint8_t *p = in_peek(&r->raw, 2, &avail);
	const char *name = image_compression_name(p, avail);
	unsigned long long at = r->raw.pos;

	if (name)
		return es_fail(&r->err, ENOTSUP,
			       "offset %llu: %s-compressed member: compressed members are not supported yet",
			       at, name);
	return es_fail(&r->err, EINVAL,
		       "offset %llu: invalid magic at start of compressed archive", at);
}

int
image_next(struct image_reader *r, struct cpio_entry *e)
{
	int rc;

	if (es_failed(&r->err))
		return -r->err.code;
	rc = cpio_next(&r->cpio, e);
	if (rc < 0) {
		es_fail(&r->err, -rc, "%s", r->cpio.err.msg);
		return rc;
	}
	if (rc == CPIO_EOF)
		return 1;
	if (rc == CPIO_FOREIGN)
		return foreign(r);
	if (r->new_member) {
		r->member++;
		r->new_member = false;
	}
	if (e->trailer)
		r->new_member = true;
	return 0;
}

ssize_t
image_read_data(struct image_reader *r, void *buf, size_t n)
{
	ssize_t got = cpio_read_data(&r->cpio, buf, n);

	if (got < 0)
		es_fail(&r->err, (int)-got, "%s", r->cpio.err.msg);
	return got;
}
