/* source.c - see source.h. */
#include "image/source.h"
#include "image/dir_source.h"
#include "image/image_reader.h"
#include "image/list_parse.h"
#include "base/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
add_list_item(struct builder *b, const struct list_item *it, int64_t mtime)
{
	static const uint32_t types[] = {
		[LK_DIR] = S_IFDIR, [LK_SLINK] = S_IFLNK, [LK_PIPE] = S_IFIFO,
		[LK_SOCK] = S_IFSOCK,
	};
	struct build_entry e = {
		.name = it->names[0], .mode = it->mode & 07777, .uid = it->uid,
		.gid = it->gid, .mtime = mtime, .target = it->target,
		.rmajor = it->major, .rminor = it->minor,
	};

	if (it->kind == LK_FILE)
		return builder_add_file(b, &(struct build_file){
			.names = it->names, .nnames = it->nnames,
			.location = it->location, .mode = it->mode,
			.uid = it->uid, .gid = it->gid, .mtime = mtime,
		});
	if (it->kind == LK_NOD)
		e.mode |= it->devtype == 'b' ? S_IFBLK : S_IFCHR;
	else
		e.mode |= types[it->kind];
	return builder_add(b, &e);
}

/* Notes the directories of an image being appended as it is; reading
 * it whole also proves it is sound before a byte of it is copied. */
static int
note_archive_dirs(struct builder *b, const char *path)
{
	struct image_reader r;
	struct cpio_entry e;
	int rc = image_open(&r, path);

	while (rc == 0 && (rc = image_next(&r, &e)) == 0)
		if (!e.skip && !e.trailer && S_ISDIR(e.h.mode))
			builder_note_dir(b, e.name);
	if (rc < 0)
		es_fail(&b->err, r.err.code, "%s: %s", path, r.err.msg);
	image_close(&r);
	return rc < 0 ? rc : 0;
}

static int
copy_entry_data(struct builder *b, struct image_reader *r)
{
	const uint8_t *p;
	ssize_t n;
	int rc = 0;

	while (rc == 0 && (n = image_data_next(r, &p, INSTREAM_BUFSIZE)) > 0)
		rc = builder_copy_data(b, p, (size_t)n);
	return rc < 0 ? rc : (int)n;
}

/* A compressed member cannot hold another image's bytes (the kernel
 * would find junk within it): its records are copied one by one. */
static int
copy_archive_records(struct builder *b, const char *path)
{
	struct image_reader r;
	struct cpio_entry e;
	int rc = b->archive_open ? builder_end_archive(b) : 0;

	if (rc == 0)
		rc = image_open(&r, path);
	else
		return rc;
	while (rc == 0 && (rc = image_next(&r, &e)) == 0) {
		if (e.skip)
			continue;	/* the kernel would not unpack it */
		if (e.trailer) {
			rc = builder_end_archive(b);
			continue;
		}
		rc = builder_copy_record(b, &e.h, e.name);
		if (rc == 0 && S_ISLNK(e.h.mode))
			rc = builder_copy_data(b, e.target, e.h.filesize);
		else if (rc == 0)
			rc = copy_entry_data(b, &r);
	}
	if (rc < 0 && r.err.code)
		es_fail(&b->err, r.err.code, "%s: %s", path, r.err.msg);
	image_close(&r);
	if (rc >= 0 && b->archive_open)	/* keep its hard links apart */
		rc = builder_end_archive(b);
	return rc < 0 ? rc : 0;
}

static int
archive_source_add(struct builder *b, const char *path)
{
	int rc;

	if (b->enc)
		return copy_archive_records(b, path);
	rc = note_archive_dirs(b, path);
	return rc < 0 ? rc : builder_add_archive(b, path);
}

static enum source_kind
detect(const char *path, int *err)
{
	struct stat st;
	uint8_t magic[6] = { 0 };
	int fd;
	ssize_t n;

	*err = 0;
	if (strcmp(path, "-") == 0)
		return SOURCE_LIST;
	if (stat(path, &st) < 0) {
		*err = errno;
		return SOURCE_LIST;
	}
	if (S_ISDIR(st.st_mode))
		return SOURCE_DIR;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return SOURCE_LIST;
	}
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n == 6 && (!memcmp(magic, CPIO_MAGIC_NEWC, 6) ||
		       !memcmp(magic, CPIO_MAGIC_CRC, 6)))
		return SOURCE_ARCHIVE;
	if (n >= 2 && codec_by_magic(magic, (size_t)n))
		return SOURCE_ARCHIVE;
	return SOURCE_LIST;
}

int
source_add(struct composer *c, const char *path)
{
	struct builder *b = c->b;
	int err, rc;
	enum source_kind kind = detect(path, &err);
	FILE *f;

	if (err)
		return es_fail(&b->err, err, "%s: %s", path, strerror(err));
	switch (kind) {
	case SOURCE_DIR:
		return dir_source_add(b, path);
	case SOURCE_ARCHIVE:
		return archive_source_add(b, path);
	case SOURCE_LIST:
		break;
	}
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	if (!f)
		return es_fail(&b->err, errno, "%s: %s", path, strerror(errno));
	rc = list_source_add(c, f, strcmp(path, "-") == 0 ? "(stdin)" : path);
	if (f != stdin)
		fclose(f);
	return rc;
}
