/*
 * image_reader.h - an initramfs image as the kernel walks it.
 *
 * The kernel's unpack_to_rootfs() loop: NUL bytes are padding, a '0' on
 * a 4-byte boundary starts an uncompressed archive, anything else is a
 * compressed member chosen by its magic. Archives and members may follow
 * each other in any order; entries are numbered by member.
 *
 * Compressed members are recognised but not yet decoded: they are
 * reported as an error naming the format and offset.
 */
#ifndef ES_IMAGE_IMAGE_READER_H
#define ES_IMAGE_IMAGE_READER_H

#include "base/error.h"
#include "base/instream.h"
#include "cpio/reader.h"

struct image_reader {
	const char *path;	/* for messages; not owned */
	int fd;
	bool own_fd;
	struct fd_source src;
	struct instream raw;
	struct cpio_reader cpio;
	int member;		/* index of the current member; -1 before */
	bool new_member;	/* the next record starts a member */
	struct es_error err;	/* "offset N: ..." */
};

/* Opens path ("-": standard input). Returns 0 or -errno (err set). */
int image_open(struct image_reader *r, const char *path);
void image_close(struct image_reader *r);
/* Returns 0 with *e filled, 1 at the end of the image, or -errno. */
int image_next(struct image_reader *r, struct cpio_entry *e);
/* The current entry's data, as cpio_read_data(). */
ssize_t image_read_data(struct image_reader *r, void *buf, size_t n);

/* The compression format whose magic starts p, or NULL. */
const char *image_compression_name(const uint8_t *p, size_t n);

#endif
