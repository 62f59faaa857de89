/*
 * writer.h - writes newc/crc records the way the kernel's gen_init_cpio
 * lays them out: header, name, NULs to a 4-byte boundary, data, NULs to
 * a 4-byte boundary; after TRAILER!!!, NULs to a 512-byte boundary.
 *
 * The writer knows nothing of where entries come from; callers give a
 * complete header (ino, nlink, sizes, check) and then exactly filesize
 * bytes of data. With data_align (gen_init_cpio -a), the name of a file
 * larger than data_align is padded with NULs, counted in namesize, so
 * that its data starts at a multiple of data_align from the archive's
 * start (best effort: never past PATH_MAX).
 */
#ifndef ES_CPIO_WRITER_H
#define ES_CPIO_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/outbuf.h"
#include "cpio/newc.h"

struct cpio_writer {
	struct outbuf *out;	/* not owned; out->offset is the position */
	uint32_t data_align;	/* 0: none; else a multiple of 4 */
	uint64_t data_left;	/* bytes the current record still needs */
	bool align_missed;	/* set when an alignment could not be met */
};

void cpio_writer_init(struct cpio_writer *w, struct outbuf *out,
		      uint32_t data_align);

/* Writes the header and name (h->namesize is computed here); returns 0
 * or -errno. h->filesize bytes of data must follow. */
int cpio_write_header(struct cpio_writer *w, struct cpio_header *h,
		      const char *name);
/* Data of the current record; the padding is added after the last byte. */
int cpio_write_data(struct cpio_writer *w, const void *p, size_t n);
/* Data of the current record copied from fd; -EIO if fd ends early
 * (*copied tells how much was written). */
int cpio_write_data_fd(struct cpio_writer *w, int fd, uint64_t len,
		       uint64_t *copied);
/* The trailer record, then zeros up to a multiple of 512. */
int cpio_write_trailer(struct cpio_writer *w, bool crc);

#endif
