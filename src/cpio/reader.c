/* reader.c - see reader.h. */
#include "cpio/reader.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

void
cpio_reader_init(struct cpio_reader *r, struct instream *in, bool in_member,
		 bool after_entry)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->in_member = in_member;
	r->after_entry = after_entry;
	r->next_record = in->pos;
}

const char *
cpio_skip_reason(enum cpio_skip why)
{
	switch (why) {
	case CPIO_SKIP_NONE:
		return "";
	case CPIO_SKIP_NAMESIZE:
		return "namesize is 0 or over PATH_MAX";
	case CPIO_SKIP_LINK_SIZE:
		return "symlink target is over PATH_MAX";
	case CPIO_SKIP_DATA_ON_NONFILE:
		return "data on an entry that is not a file or symlink";
	}
	return "?";
}

static int
truncated(struct cpio_reader *r, uint64_t at, const char *what)
{
	if (r->in->err)
		return es_fail(&r->err, r->in->err, "offset %llu: read error: %s",
			       (unsigned long long)at, strerror(r->in->err));
	r->truncated = true;
	return es_fail(&r->err, EPIPE, "offset %llu: truncated archive: %s",
		       (unsigned long long)at, what);
}

/* Skips the rest of the current record. */
static int
finish_record(struct cpio_reader *r)
{
	uint64_t pos = r->in->pos;
	uint64_t left = r->next_record > pos ? r->next_record - pos : 0;
	int64_t k;

	r->data_left = 0;
	r->verify = false;
	if (!left)
		return 0;
	k = in_skip(r->in, left);
	if (k < 0 || (uint64_t)k < left)
		return truncated(r, r->in->pos, "data or padding cut short");
	return 0;
}

static void
skip_nul_padding(struct cpio_reader *r)
{
	for (;;) {
		size_t avail, i;
		const uint8_t *p = in_peek(r->in, 4096, &avail);

		for (i = 0; i < avail && p[i] == 0; i++)
			;
		in_consume(r->in, i);
		if (i < avail || avail == 0)
			return;
	}
}

static int
header_error(struct cpio_reader *r, uint64_t at, enum cpio_header_status st,
	     int field)
{
	switch (st) {
	case CPIO_HEADER_ODC:
		return es_fail(&r->err, EINVAL,
			       "offset %llu: incorrect cpio method used: use -H newc option",
			       (unsigned long long)at);
	case CPIO_HEADER_BAD_MAGIC:
		return es_fail(&r->err, EINVAL, "offset %llu: no cpio magic",
			       (unsigned long long)at);
	default:
		return es_fail(&r->err, EINVAL,
			       "offset %llu: malformed header: field %s is not 8 hex digits",
			       (unsigned long long)at, cpio_field_names[field]);
	}
}

/* Reads len bytes into dst (NUL-terminated at the first NUL or at len). */
static int
read_string(struct cpio_reader *r, char *dst, uint32_t len, const char *what)
{
	size_t avail;
	const uint8_t *p = in_peek(r->in, len, &avail);

	if (avail < len)
		return truncated(r, r->in->pos, what);
	memcpy(dst, p, len);
	dst[len] = '\0';
	in_consume(r->in, len);
	return 0;
}

static int
read_name(struct cpio_reader *r, struct cpio_entry *e)
{
	uint32_t n = r->h.namesize;
	int rc = read_string(r, r->name, n, "name cut short");

	if (rc < 0)
		return rc;
	if (r->name[n - 1] != '\0' && e->skip == CPIO_SKIP_NONE)
		return es_fail(&r->err, EINVAL,
			       "offset %llu: malformed archive: name without NUL terminator: '%.*s'",
			       (unsigned long long)e->offset, (int)n, r->name);
	if (in_skip(r->in, cpio_name_pad(n)) < cpio_name_pad(n))
		return truncated(r, r->in->pos, "name padding cut short");
	e->name = r->name;
	return 0;
}

static enum cpio_skip
kernel_skips(const struct cpio_header *h)
{
	if (h->namesize == 0 || h->namesize > CPIO_PATH_MAX)
		return CPIO_SKIP_NAMESIZE;
	if (S_ISLNK(h->mode) && h->filesize > CPIO_PATH_MAX)
		return CPIO_SKIP_LINK_SIZE;
	if (!S_ISREG(h->mode) && !S_ISLNK(h->mode) && h->filesize)
		return CPIO_SKIP_DATA_ON_NONFILE;
	return CPIO_SKIP_NONE;
}

static int
read_record(struct cpio_reader *r, struct cpio_entry *e)
{
	size_t avail;
	int field = 0;
	const uint8_t *p = in_peek(r->in, CPIO_HEADER_SIZE, &avail);
	enum cpio_header_status st;
	uint64_t at = r->in->pos;
	int rc;

	memset(e, 0, sizeof(*e));
	e->offset = at;
	if (avail < CPIO_HEADER_SIZE)
		return truncated(r, at, "header cut short");
	st = cpio_header_decode(p, &r->h, &field);
	if (st != CPIO_HEADER_OK)
		return header_error(r, at, st, field);
	in_consume(r->in, CPIO_HEADER_SIZE);
	r->after_entry = true;
	e->h = r->h;
	e->name = "";
	e->skip = kernel_skips(&r->h);
	/* The kernel's N_ALIGN(namesize) + filesize, rounded up to 4. */
	r->next_record = at + CPIO_HEADER_SIZE + r->h.namesize +
			 cpio_name_pad(r->h.namesize) + r->h.filesize;
	r->next_record = (r->next_record + 3) & ~(uint64_t)3;
	e->data_offset = at + CPIO_HEADER_SIZE + r->h.namesize +
			 cpio_name_pad(r->h.namesize);
	if (e->skip == CPIO_SKIP_NAMESIZE)
		return CPIO_ENTRY;
	rc = read_name(r, e);
	if (rc < 0 || e->skip != CPIO_SKIP_NONE)
		return rc < 0 ? rc : CPIO_ENTRY;
	e->trailer = strcmp(r->name, CPIO_TRAILER_NAME) == 0;
	if (e->trailer)
		return CPIO_ENTRY;
	if (S_ISLNK(r->h.mode)) {
		rc = read_string(r, r->target, r->h.filesize, "symlink target cut short");
		if (rc < 0)
			return rc;
		e->target = r->target;
	} else if (S_ISREG(r->h.mode)) {
		r->data_left = r->h.filesize;
		r->verify = r->h.crc;
		r->sum = 0;
		if (r->verify && r->h.filesize == 0 && r->h.check != 0)
			return es_fail(&r->err, EBADMSG,
				       "offset %llu: bad data checksum (header %08X, empty file)",
				       (unsigned long long)at, r->h.check);
	}
	return CPIO_ENTRY;
}

int
cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	size_t avail;
	const uint8_t *p;
	int rc;

	if (es_failed(&r->err))
		return -r->err.code;
	rc = finish_record(r);
	if (rc < 0)
		return rc;
	/* In the kernel's Start state NULs are part of a (bad) header. */
	if (r->after_entry || !r->in_member)
		skip_nul_padding(r);
	p = in_peek(r->in, 1, &avail);
	if (avail == 0)
		return r->in->err ? truncated(r, r->in->pos, "") : CPIO_EOF;
	if (r->after_entry && (r->in->pos & 3))
		return es_fail(&r->err, EINVAL, "offset %llu: broken padding",
			       (unsigned long long)r->in->pos);
	if ((p[0] == '0' && !(r->in->pos & 3)) ||
	    (r->in_member && !r->after_entry))
		return read_record(r, e);
	r->after_entry = false;
	return CPIO_FOREIGN;
}

ssize_t
cpio_data_next(struct cpio_reader *r, const uint8_t **p, size_t max)
{
	size_t n = max < r->data_left ? max : (size_t)r->data_left;
	size_t avail;

	if (es_failed(&r->err))
		return -r->err.code;
	if (n == 0)
		return 0;
	*p = in_peek(r->in, n, &avail);
	if (avail == 0)
		return truncated(r, r->in->pos, "file data cut short");
	n = avail < n ? avail : n;
	in_consume(r->in, n);
	r->data_left -= n;
	if (r->verify) {
		r->sum = cpio_checksum(r->sum, *p, n);
		if (r->data_left == 0 && r->sum != r->h.check)
			return es_fail(&r->err, EBADMSG,
				       "offset %llu: bad data checksum (header %08X, data %08X)",
				       (unsigned long long)r->in->pos, r->h.check, r->sum);
	}
	return (ssize_t)n;
}

ssize_t
cpio_read_data(struct cpio_reader *r, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		const uint8_t *p;
		ssize_t k = cpio_data_next(r, &p, n - done);

		if (k <= 0)
			return k < 0 ? k : (ssize_t)done;
		memcpy((uint8_t *)buf + done, p, (size_t)k);
		done += (size_t)k;
	}
	return (ssize_t)done;
}
