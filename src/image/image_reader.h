/*
 * image_reader.h - an initramfs image as the kernel walks it.
 *
 * The kernel's unpack_to_rootfs() loop: NUL bytes are padding, a '0' on
 * a 4-byte boundary starts an uncompressed archive, anything else is a
 * compressed member chosen by its magic, decoded and parsed as records
 * (lib/decompress.c, init/initramfs.c). Members may follow each other in
 * any order: early microcode first, then a compressed main archive, then
 * more.
 *
 * A member is one uncompressed archive (its records up to and including
 * TRAILER!!!, or up to what follows) or one compressed stream (holding
 * any number of archives). NUL padding between members belongs to none.
 * The kernel's errors are kept with the member's index, format and
 * offset: "invalid magic at start of compressed archive", "junk within
 * compressed archive", "junk at the end of compressed archive",
 * "decompressor failed".
 *
 * On a machine with more than one core a compressed member is decoded
 * in a thread of its own (prefetch.h) while its records are parsed and
 * written.
 */
#ifndef ES_IMAGE_IMAGE_READER_H
#define ES_IMAGE_IMAGE_READER_H

#include "base/error.h"
#include "base/instream.h"
#include "base/prefetch.h"
#include "codec/codec.h"
#include "cpio/reader.h"
#include "image/member_stream.h"

struct image_member {
	int index;		/* from 0, in image order */
	const struct codec *codec;	/* NULL: uncompressed */
	uint64_t offset;	/* of its first byte in the image */
	uint64_t stored;	/* bytes it takes in the image */
	uint64_t size;		/* bytes once decoded */
	uint64_t entries;	/* records, trailers not counted */
};

struct image_reader {
	const char *path;	/* for messages; not owned */
	int fd;
	bool own_fd;
	struct fd_source src;
	struct instream raw;
	struct cpio_reader raw_cpio;
	/* the compressed member being read, when in_compressed */
	bool in_compressed;
	/* Decode in a thread: set by image_open() when there is more than
	 * one core; a caller with nothing to overlap (a listing) clears it. */
	bool threaded;
	bool prefetching;
	struct prefetch pf;
	struct member_stream ms;
	struct instream dec;
	struct cpio_reader dec_cpio;
	/* the member being read, and those finished before it */
	bool member_open;
	struct image_member cur;
	struct image_member *members;
	int nmembers;
	int first, last;	/* members whose entries image_next returns */
	struct es_error err;
};

/* Opens path ("-": standard input). Returns 0 or -errno (err set). */
int image_open(struct image_reader *r, const char *path);
void image_close(struct image_reader *r);
/* Only entries of members first..last (last -1: no end) are returned;
 * reading stops after member last. */
void image_select(struct image_reader *r, int first, int last);
/* Returns 0 with *e filled (its member is r->cur), 1 at the end of the
 * image (or of the selection), or -errno with r->err set. */
int image_next(struct image_reader *r, struct cpio_entry *e);
/* The current entry's data, without a copy, as cpio_data_next(). */
ssize_t image_data_next(struct image_reader *r, const uint8_t **p, size_t max);

#endif
