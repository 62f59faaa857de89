/* image_reader.c - see image_reader.h. */
#include "image/image_reader.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
image_open(struct image_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->last = -1;
	r->threaded = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return es_fail(&r->err, errno, "%s", strerror(errno));
		r->own_fd = true;
	}
	in_init_fd(&r->raw, &r->src, r->fd);
	cpio_reader_init(&r->raw_cpio, &r->raw, false, false);
	return 0;
}

/* Hands the raw stream back from the decoding thread, if any. */
static void
stop_prefetch(struct image_reader *r)
{
	if (r->prefetching)
		prefetch_stop(&r->pf);
	r->prefetching = false;
}

static void
close_compressed(struct image_reader *r)
{
	if (!r->in_compressed)
		return;
	stop_prefetch(r);
	member_stream_close(&r->ms);
	in_free(&r->dec);
	r->in_compressed = false;
}

void
image_close(struct image_reader *r)
{
	close_compressed(r);
	in_free(&r->raw);
	free(r->members);
	if (r->own_fd)
		close(r->fd);
}

void
image_select(struct image_reader *r, int first, int last)
{
	r->first = first;
	r->last = last;
}

static void
member_begin(struct image_reader *r, const struct codec *c, uint64_t offset)
{
	r->cur = (struct image_member){
		.index = r->nmembers, .codec = c, .offset = offset,
	};
	r->member_open = true;
}

static void
member_end(struct image_reader *r, uint64_t end, uint64_t size)
{
	r->cur.stored = end - r->cur.offset;
	r->cur.size = size;
	r->members = xrealloc(r->members, (size_t)(r->nmembers + 1) *
					      sizeof(*r->members));
	r->members[r->nmembers++] = r->cur;
	r->member_open = false;
}

/* "member 1 (zstd) at offset 1024" + sep + what. */
static int
member_fail(struct image_reader *r, int code, const char *sep, const char *what)
{
	return es_fail(&r->err, code, "member %d (%s) at offset %llu%s%s",
		       r->cur.index, r->cur.codec ? r->cur.codec->name : "none",
		       (unsigned long long)r->cur.offset, sep, what);
}

static int
start_compressed(struct image_reader *r)
{
	size_t avail;
	const uint8_t *p = in_peek(&r->raw, 2, &avail);
	const struct codec *c = codec_by_magic(p, avail);
	/* The kernel's parser is between records unless nothing came yet. */
	bool after_entry = r->nmembers > 0;

	if (!c)
		return es_fail(&r->err, EINVAL,
			       "member %d at offset %llu: invalid magic at start of compressed archive",
			       r->nmembers, (unsigned long long)r->raw.pos);
	member_begin(r, c, r->raw.pos);
	if (member_stream_open(&r->ms, &r->raw, c) < 0)
		return member_fail(r, r->ms.err.code, ": ", r->ms.err.msg);
	if (r->threaded && prefetch_start(&r->pf, &member_stream_ops, &r->ms) == 0) {
		r->prefetching = true;
		in_init(&r->dec, &prefetch_ops, &r->pf);
	} else {
		in_init(&r->dec, &member_stream_ops, &r->ms);
	}
	cpio_reader_init(&r->dec_cpio, &r->dec, true, after_entry);
	r->in_compressed = true;
	return 0;
}

/* Why reading the compressed member's records failed. */
static int
compressed_error(struct image_reader *r)
{
	stop_prefetch(r);
	if (r->ms.state == MEMBER_FAILED)
		return member_fail(r, r->ms.err.code, ": ", r->ms.err.msg);
	if (r->dec_cpio.truncated)
		return member_fail(r, EINVAL,
				   ": junk at the end of compressed archive: the member ends inside an entry, at uncompressed ",
				   r->dec_cpio.err.msg);
	return member_fail(r, r->dec_cpio.err.code, ", uncompressed ",
			   r->dec_cpio.err.msg);
}

/* The next record of the compressed member; 1 when the member ended. */
static int
next_compressed(struct image_reader *r, struct cpio_entry *e)
{
	int rc = cpio_next(&r->dec_cpio, e);

	if (rc < 0)
		return compressed_error(r);
	if (rc == CPIO_FOREIGN)
		return member_fail(r, EINVAL, ": ",
				   "junk within compressed archive");
	if (rc == CPIO_EOF) {
		stop_prefetch(r);
		member_end(r, r->raw.pos, r->ms.produced);
		close_compressed(r);
		return 1;
	}
	if (!e->trailer)
		r->cur.entries++;
	return 0;
}

/* The next record of an uncompressed archive; 1 when something else
 * (a compressed member, the end) follows. */
static int
next_raw(struct image_reader *r, struct cpio_entry *e)
{
	int rc = cpio_next(&r->raw_cpio, e);

	if (rc < 0)
		return es_fail(&r->err, -rc, "%s", r->raw_cpio.err.msg);
	if (rc != CPIO_ENTRY) {
		if (r->member_open)	/* an archive without its trailer */
			member_end(r, r->raw_cpio.next_record, r->cur.stored);
		if (rc == CPIO_EOF)
			return 1;
		rc = start_compressed(r);
		return rc < 0 ? rc : 1;
	}
	if (!r->member_open)
		member_begin(r, NULL, e->offset);
	if (!e->trailer)
		r->cur.entries++;
	r->cur.stored = r->raw_cpio.next_record - r->cur.offset;
	if (e->trailer)
		member_end(r, r->raw_cpio.next_record, r->cur.stored);
	return 0;
}

/* The end of the image: an error if the selection started past it. */
static int
past_end(struct image_reader *r)
{
	if (r->first > 0 && r->first >= r->nmembers)
		return es_fail(&r->err, ERANGE,
			       "no member %d: the image has %d (counted from 0)",
			       r->first, r->nmembers);
	return 1;
}

static bool
selected(const struct image_reader *r, int index)
{
	return index >= r->first && (r->last < 0 || index <= r->last);
}

int
image_next(struct image_reader *r, struct cpio_entry *e)
{
	for (;;) {
		bool was_compressed = r->in_compressed;
		int rc;

		if (es_failed(&r->err))
			return -r->err.code;
		if (r->last >= 0 && r->nmembers > r->last)
			return 1;
		rc = was_compressed ? next_compressed(r, e) : next_raw(r, e);
		if (rc < 0)
			return rc;
		if (rc == 1 && !was_compressed && !r->in_compressed)
			return past_end(r);
		if (rc == 0 && selected(r, r->cur.index))
			return 0;
	}
}

static struct cpio_reader *
active_cpio(struct image_reader *r)
{
	return r->in_compressed ? &r->dec_cpio : &r->raw_cpio;
}

/* Keeps the reason a data read failed; returns got. */
static ssize_t
data_result(struct image_reader *r, ssize_t got)
{
	if (got < 0 && r->in_compressed)
		compressed_error(r);
	else if (got < 0)
		es_fail(&r->err, (int)-got, "%s", r->raw_cpio.err.msg);
	return got;
}

ssize_t
image_data_next(struct image_reader *r, const uint8_t **p, size_t max)
{
	return data_result(r, cpio_data_next(active_cpio(r), p, max));
}
