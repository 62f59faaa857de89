/* build.c - see build.h. */
#include "image/build.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A source file opened for its data. */
struct source_file {
	int fd;
	uint64_t size;
	int64_t mtime;
	uint32_t sum;
};

int
builder_init(struct builder *b, int fd, const struct build_options *opt)
{
	memset(b, 0, sizeof(*b));
	b->opt = *opt;
	b->next_ino = BUILD_FIRST_INO;
	if (opt->mtime >= 0)
		b->default_mtime = (uint32_t)opt->mtime;
	else
		b->default_mtime = (uint32_t)time(NULL);
	out_init(&b->out, fd);
	cpio_writer_init(&b->w, &b->out, opt->data_align);
	return 0;
}

void
builder_free(struct builder *b)
{
	if (b->enc) {		/* an image abandoned mid-member */
		encoder_free(b->enc);
		out_free(&b->member_out);
	}
	out_free(&b->out);
	strset_free(&b->dirs);
}

void
builder_warn(struct builder *b, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!b->opt.warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	b->opt.warn(b->opt.warn_ctx, msg);
}

static uint32_t
map_id(const struct builder *b, uint32_t id, int64_t root)
{
	if (b->opt.squash || (root >= 0 && id == (uint64_t)root))
		return 0;
	return id;
}

static uint32_t
entry_mtime(struct builder *b, int64_t own, const char *what)
{
	if (b->opt.force_mtime || own == BUILD_NO_MTIME)
		return b->default_mtime;
	if (b->opt.clamp_mtime && own > b->default_mtime)
		return b->default_mtime;
	if (own < 0) {
		builder_warn(b, "%s: Timestamp negative, clipping.", what);
		return 0;
	}
	if (own > UINT32_MAX) {
		builder_warn(b, "%s: Timestamp exceeds maximum cpio timestamp, clipping.",
		     what);
		return UINT32_MAX;
	}
	return (uint32_t)own;
}

static int
output_error(struct builder *b, int rc)
{
	if (b->enc && b->enc->msg[0])
		return es_fail(&b->err, -rc, "compressing the image (%s): %s",
			       b->codec->name, b->enc->msg);
	return es_fail(&b->err, -rc, "writing %s: %s",
		       b->opt.output_name ? b->opt.output_name : "the image", strerror(-rc));
}

static const char *
strip_root(const struct builder *b, const char *name)
{
	if (b->opt.compat)
		return name[0] == '/' ? name + 1 : name;
	while (*name == '/')
		name++;
	return name;
}

static int
write_record(struct builder *b, struct cpio_header *h, const char *name)
{
	int rc;

	h->crc = b->opt.crc;
	h->devmajor = BUILD_DEVMAJOR;
	h->devminor = BUILD_DEVMINOR;
	rc = cpio_write_header(&b->w, h, name);
	if (rc < 0)
		return output_error(b, rc);
	if (b->w.align_missed) {
		builder_warn(b, "%s: best-effort alignment %u missed", name, b->opt.data_align);
		b->w.align_missed = false;
	}
	b->archive_open = b->member_written = true;
	if (!b->opt.compat && S_ISDIR(h->mode))
		strset_add(&b->dirs, name);
	return 0;
}

/* Emits the directories that name's path needs and nobody gave. */
static int
add_implied_parents(struct builder *b, const char *name)
{
	char *path = xstrdup(name);
	int rc = 0;

	for (char *slash = strchr(path, '/'); slash && rc == 0;
	     slash = strchr(slash + 1, '/')) {
		struct cpio_header h = {
			.mode = S_IFDIR | BUILD_IMPLIED_DIR_MODE, .nlink = 2,
		};

		*slash = '\0';
		if (*path && !strset_has(&b->dirs, path)) {
			h.ino = b->next_ino++;
			h.mtime = b->default_mtime;
			rc = write_record(b, &h, path);
		}
		*slash = '/';
	}
	free(path);
	return rc;
}

/* A source file that ended before the size its header will give. */
static int
shrank(struct builder *b, const char *location, uint64_t done, uint64_t size)
{
	return es_fail(&b->err, EIO,
		       "%s: shrank while being archived (%llu of %llu bytes)",
		       location, (unsigned long long)done,
		       (unsigned long long)size);
}

/* Sums the data; *done < f->size if the file ended early. */
static int
sum_file(struct source_file *f, uint64_t *done)
{
	uint8_t buf[65536];

	*done = 0;
	while (*done < f->size) {
		uint64_t left = f->size - *done;
		ssize_t r = read(f->fd, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		f->sum = cpio_checksum(f->sum, buf, (size_t)r);
		*done += (uint64_t)r;
	}
	return lseek(f->fd, 0, SEEK_SET) < 0 ? -errno : 0;
}

/* gen_init_cpio's words in compat mode; otherwise what went wrong. */
static int
sum_failed(struct builder *b, const char *location, int rc, uint64_t done,
	   uint64_t size)
{
	if (b->opt.compat)
		return es_fail(&b->err, EIO, "Failed to checksum file %s\n", location);
	if (rc == 0)
		return shrank(b, location, done, size);
	return es_fail(&b->err, -rc, "%s: %s", location, strerror(-rc));
}

static int
open_source(struct builder *b, const char *location, struct source_file *f)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->fd = open(location, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		f->fd = -1;
		if (b->opt.compat)
			return es_fail(&b->err, errno,
				       "File %s could not be opened for reading\n",
				       location);
		return es_fail(&b->err, errno, "%s: %s", location, strerror(errno));
	}
	if (fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = S_ISREG(st.st_mode) ? errno : EINVAL;

		close(f->fd);
		f->fd = -1;
		return es_fail(&b->err, e, "%s: %s", location,
			       e == EINVAL ? "not a regular file" : strerror(e));
	}
	if ((uint64_t)st.st_size > UINT32_MAX) {
		close(f->fd);
		f->fd = -1;
		return es_fail(&b->err, EFBIG, b->opt.compat ?
			       "%s: Size exceeds maximum cpio file size\n" :
			       "%s: Size exceeds maximum cpio file size", location);
	}
	f->size = (uint64_t)st.st_size;
	f->mtime = st.st_mtime;
	if (b->opt.crc) {
		uint64_t done;
		int rc = sum_file(f, &done);

		if (rc < 0 || done < f->size) {
			close(f->fd);
			f->fd = -1;
			return sum_failed(b, location, rc, done, f->size);
		}
	}
	return 0;
}

/* Checksummed data goes through the buffer, so the sum can be checked
 * against the first pass's; plain data is copied in the kernel. */
static int
copy_data(struct builder *b, struct source_file *f, const char *location)
{
	uint64_t done = 0;
	uint8_t extra;
	int rc = 0;

	if (!b->opt.crc) {
		rc = cpio_write_data_fd(&b->w, f->fd, f->size, &done);
	} else {
		uint8_t buf[65536];
		uint32_t sum = 0;

		while (done < f->size && rc == 0) {
			size_t want = f->size - done < sizeof(buf) ? f->size - done : sizeof(buf);
			ssize_t r = read(f->fd, buf, want);

			if (r <= 0) {
				rc = r < 0 ? -errno : -EIO;
				break;
			}
			sum = cpio_checksum(sum, buf, (size_t)r);
			rc = cpio_write_data(&b->w, buf, (size_t)r);
			done += (uint64_t)r;
		}
		if (rc == 0 && sum != f->sum)
			return es_fail(&b->err, EIO, "%s: changed while being archived",
				       location);
	}
	if (rc == -EIO && done < f->size)
		return shrank(b, location, done, f->size);
	if (rc < 0)
		return output_error(b, rc);
	if (read(f->fd, &extra, 1) > 0)
		return es_fail(&b->err, EIO, "%s: grew while being archived",
			       location);
	return 0;
}

static void
fill_ids(struct builder *b, struct cpio_header *h, uint32_t uid, uint32_t gid)
{
	h->uid = map_id(b, uid, b->opt.root_uid);
	h->gid = map_id(b, gid, b->opt.root_gid);
}

int
builder_add_file(struct builder *b, const struct build_file *bf)
{
	struct source_file f;
	uint32_t ino = bf->group_ino ? *bf->group_ino : 0;
	int rc = open_source(b, bf->location, &f);
	int64_t own = bf->mtime == BUILD_NO_MTIME ? f.mtime : bf->mtime;

	for (int i = 0; i < bf->nnames && rc == 0; i++) {
		const char *name = strip_root(b, bf->names[i]);
		bool data = i == bf->nnames - 1 && !bf->data_later;
		struct cpio_header h = {
			.mode = (bf->mode & 07777) | S_IFREG,
			.nlink = bf->nlink ? bf->nlink : (uint32_t)bf->nnames,
			.filesize = data ? (uint32_t)f.size : 0,
			.check = data ? f.sum : 0,
		};

		if (!b->opt.compat)
			rc = add_implied_parents(b, name);
		if (rc < 0)
			break;
		if (!ino)	/* taken after the first name's parents */
			ino = b->next_ino++;
		h.ino = ino;
		fill_ids(b, &h, bf->uid, bf->gid);
		h.mtime = entry_mtime(b, own, bf->location);
		rc = write_record(b, &h, name);
		if (rc == 0 && data && f.size)
			rc = copy_data(b, &f, bf->location);
	}
	if (bf->group_ino)
		*bf->group_ino = ino;
	if (f.fd >= 0)
		close(f.fd);
	return rc;
}

static int
add_file_entry(struct builder *b, const struct build_entry *e,
	       struct cpio_header *h, const char *name)
{
	struct source_file f = { .fd = -1 };
	int rc = 0;

	h->nlink = e->nlink ? e->nlink : 1;
	if (e->data && !e->location) {
		h->filesize = e->nbytes;
		h->check = cpio_checksum(0, e->bytes, e->nbytes);
		rc = write_record(b, h, name);
		if (rc == 0 && (rc = cpio_write_data(&b->w, e->bytes, e->nbytes)) < 0)
			return output_error(b, rc);
		return rc;
	}
	if (e->data) {
		rc = open_source(b, e->location, &f);
		if (rc < 0)
			return rc;
		h->filesize = (uint32_t)f.size;
		h->check = f.sum;
		if (e->mtime == BUILD_NO_MTIME)
			h->mtime = entry_mtime(b, f.mtime, e->location);
	}
	rc = write_record(b, h, name);
	if (rc == 0 && f.size)
		rc = copy_data(b, &f, e->location);
	if (f.fd >= 0)
		close(f.fd);
	return rc;
}

int
builder_add(struct builder *b, const struct build_entry *e)
{
	const char *name = strip_root(b, e->name);
	struct cpio_header h = { .mode = e->mode };
	int rc = b->opt.compat ? 0 : add_implied_parents(b, name);

	if (rc < 0)
		return rc;
	if (e->group_ino && *e->group_ino) {
		h.ino = *e->group_ino;
	} else {
		h.ino = b->next_ino++;
		if (e->group_ino)
			*e->group_ino = h.ino;
	}
	fill_ids(b, &h, e->uid, e->gid);
	h.mtime = entry_mtime(b, e->mtime, e->name);
	if (S_ISREG(e->mode))
		return add_file_entry(b, e, &h, name);
	h.nlink = S_ISDIR(e->mode) || S_ISFIFO(e->mode) || S_ISSOCK(e->mode) ? 2 : 1;
	if (S_ISLNK(e->mode))
		h.filesize = (uint32_t)strlen(e->target) + 1;
	h.rdevmajor = e->rmajor;
	h.rdevminor = e->rminor;
	rc = write_record(b, &h, name);
	if (rc == 0 && S_ISLNK(e->mode)) {
		rc = cpio_write_data(&b->w, e->target, h.filesize);
		if (rc < 0)
			return output_error(b, rc);
	}
	return rc;
}

int
builder_end_archive(struct builder *b)
{
	int rc = cpio_write_trailer(&b->w, b->opt.crc);

	if (rc < 0)
		return output_error(b, rc);
	b->archive_open = false;
	b->member_written = true;
	return 0;
}

int
builder_add_archive(struct builder *b, const char *path)
{
	struct source_file f;
	int rc;

	if (b->archive_open && (rc = builder_end_archive(b)) < 0)
		return rc;
	bool crc = b->opt.crc;

	b->opt.crc = false;	/* the copy is taken as it is */
	rc = open_source(b, path, &f);
	b->opt.crc = crc;
	if (rc < 0)
		return rc;
	rc = out_copy_fd(&b->out, f.fd, f.size, &(uint64_t){ 0 });
	close(f.fd);
	if (rc == -EIO)
		return es_fail(&b->err, EIO, "%s: shrank while being copied", path);
	if (rc < 0)
		return output_error(b, rc);
	b->member_written = true;
	/* The kernel looks for the next record on a 4-byte boundary. */
	rc = out_pad(&b->out, 4);
	return rc < 0 ? output_error(b, rc) : 0;
}

void
builder_note_dir(struct builder *b, const char *name)
{
	strset_add(&b->dirs, strip_root(b, name));
}

bool
builder_has_dir(const struct builder *b, const char *name)
{
	return strset_has(&b->dirs, strip_root(b, name));
}

/* The encoder takes what the member's buffer flushes. */
static int
member_sink(void *ctx, const void *p, size_t n)
{
	struct builder *b = ctx;

	return encoder_write(b->enc, p, n);
}

static int
end_member(struct builder *b)
{
	int rc = 0;

	if (b->archive_open || !b->member_written)
		rc = builder_end_archive(b);
	if (rc == 0 && (rc = out_flush(b->w.out)) < 0)
		return output_error(b, rc);
	if (b->enc) {
		rc = encoder_finish(b->enc);
		if (rc < 0)
			return output_error(b, rc);
		encoder_free(b->enc);
		b->enc = NULL;
		out_free(&b->member_out);
	}
	/* An lz4 legacy stream has no end mark: the kernel's unlz4() reads
	 * chunks until the input ends or a chunk size of 0, so 4 zero bytes
	 * must end it before another member. */
	b->need_gap = b->codec == &codec_lz4;
	b->member_written = false;
	return 0;
}

int
builder_begin_member(struct builder *b, const struct codec *c,
		     const struct encode_params *p)
{
	char msg[CODEC_MSG_SIZE];
	int rc;

	if (b->member_written && (rc = end_member(b)) < 0)
		return rc;
	if (b->need_gap && (rc = out_zeros(&b->out, 4)) < 0)
		return output_error(b, rc);
	b->need_gap = false;
	/* The kernel starts an archive only on a 4-byte boundary; compressed
	 * members may start anywhere, and unpadded they stay a plain
	 * concatenation that the format's own tool decodes whole. */
	if (!c && (rc = out_pad(&b->out, 4)) < 0)
		return output_error(b, rc);
	b->codec = c;
	if (!c) {
		cpio_writer_init(&b->w, &b->out, b->opt.data_align);
		return 0;
	}
	b->enc = c->encoder_new(p, &b->out, msg);
	if (!b->enc)
		return es_fail(&b->err, EINVAL, "%s: %s", c->name, msg);
	out_init_sink(&b->member_out, member_sink, b);
	cpio_writer_init(&b->w, &b->member_out, b->opt.data_align);
	return 0;
}

int
builder_copy_record(struct builder *b, struct cpio_header *h, const char *name)
{
	int rc = cpio_write_header(&b->w, h, name);

	if (rc < 0)
		return output_error(b, rc);
	b->archive_open = b->member_written = true;
	if (S_ISDIR(h->mode))
		strset_add(&b->dirs, name);
	return 0;
}

int
builder_copy_data(struct builder *b, const void *p, size_t n)
{
	int rc = cpio_write_data(&b->w, p, n);

	return rc < 0 ? output_error(b, rc) : 0;
}

int
builder_finish(struct builder *b)
{
	int rc = end_member(b);

	if (rc == 0 && (rc = out_flush(&b->out)) < 0)
		return output_error(b, rc);
	return rc;
}
