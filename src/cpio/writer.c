/* writer.c - see writer.h. */
#include "cpio/writer.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

void
cpio_writer_init(struct cpio_writer *w, struct outbuf *out, uint32_t data_align)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->data_align = data_align;
}

/* NULs after the name's own, counted in namesize, so that the header
 * and name reach exactly to a multiple of align (gen_init_cpio -a). */
static uint32_t
align_padding(struct cpio_writer *w, const struct cpio_header *h,
	      uint32_t namesize)
{
	uint64_t end, extra;

	if (!w->data_align || !S_ISREG(h->mode) || h->filesize <= w->data_align)
		return 0;
	end = w->out->offset + CPIO_HEADER_SIZE + namesize;
	extra = (w->data_align - end % w->data_align) % w->data_align;
	if (namesize + extra > CPIO_PATH_MAX) {
		w->align_missed = true;
		return 0;
	}
	return (uint32_t)extra;
}

int
cpio_write_header(struct cpio_writer *w, struct cpio_header *h,
		  const char *name)
{
	char hdr[CPIO_HEADER_SIZE + 1];
	uint32_t namesize = (uint32_t)strlen(name) + 1;
	uint32_t extra = align_padding(w, h, namesize);
	int rc;

	if (w->data_left)
		return -EINVAL;	/* the previous record's data is missing */
	h->namesize = namesize + extra;
	cpio_header_encode(h, hdr);
	rc = out_write(w->out, hdr, CPIO_HEADER_SIZE);
	if (rc == 0)
		rc = out_write(w->out, name, namesize - 1);
	if (rc == 0)
		rc = out_zeros(w->out, 1 + extra + cpio_name_pad(h->namesize));
	w->data_left = h->filesize;
	if (rc == 0 && !w->data_left)
		rc = out_pad(w->out, 4);
	return rc;
}

static int
data_written(struct cpio_writer *w, uint64_t n)
{
	w->data_left -= n;
	return w->data_left ? 0 : out_pad(w->out, 4);
}

int
cpio_write_data(struct cpio_writer *w, const void *p, size_t n)
{
	int rc;

	if (n > w->data_left)
		return -EINVAL;
	rc = out_write(w->out, p, n);
	return rc < 0 ? rc : data_written(w, n);
}

int
cpio_write_data_fd(struct cpio_writer *w, int fd, uint64_t len,
		   uint64_t *copied)
{
	int rc;

	if (len > w->data_left)
		return -EINVAL;
	rc = out_copy_fd(w->out, fd, len, copied);
	return rc < 0 ? rc : data_written(w, len);
}

int
cpio_write_trailer(struct cpio_writer *w, bool crc)
{
	struct cpio_header h = { .crc = crc, .nlink = 1 };
	int rc = cpio_write_header(w, &h, CPIO_TRAILER_NAME);

	return rc < 0 ? rc : out_pad(w->out, CPIO_BLOCK);
}
