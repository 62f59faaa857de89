/*
 * reader.h - a streaming newc/crc reader that follows the kernel's rules.
 *
 * Rules from init/initramfs.c (see doc/format.md): records start on a
 * 4-byte boundary; NUL bytes between records are padding; namesize 0 or
 * over PATH_MAX, a symlink target over PATH_MAX and data on anything but
 * a regular file or symlink make the kernel skip the record (reported
 * here as entry->skip); a name must end in NUL; 070702 data is checked
 * against its sum; TRAILER!!! ends an archive and resets hard links.
 *
 * The reader sees bytes only through an instream, so it reads a raw image
 * or a decompressor's output alike. What is not a record (a compressed
 * member's magic, junk) is handed back as CPIO_FOREIGN for the caller's
 * outer loop to judge, as the kernel's unpack_to_rootfs() does.
 *
 * Unlike the kernel, a record cut short by the end of input is an error
 * here (the kernel stops silently); entry->skip and kernel_silent tell
 * callers what the kernel itself would do.
 */
#ifndef ES_CPIO_READER_H
#define ES_CPIO_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "base/instream.h"
#include "cpio/newc.h"

enum cpio_skip {
	CPIO_SKIP_NONE = 0,
	CPIO_SKIP_NAMESIZE,	/* namesize 0 or over PATH_MAX */
	CPIO_SKIP_LINK_SIZE,	/* symlink target over PATH_MAX */
	CPIO_SKIP_DATA_ON_NONFILE, /* filesize != 0 on a dir, device, ... */
};

struct cpio_entry {
	struct cpio_header h;
	const char *name;	/* up to the first NUL; owned by the reader */
	const char *target;	/* symlink target, else NULL */
	uint64_t offset;	/* stream offset of the header */
	uint64_t data_offset;	/* stream offset of the data */
	enum cpio_skip skip;	/* the kernel ignores this record */
	bool trailer;		/* TRAILER!!!: end of one archive */
};

enum cpio_next {
	CPIO_ENTRY = 0,		/* *e describes the next record */
	CPIO_EOF,		/* input ended between records */
	CPIO_FOREIGN,		/* something other than a record starts at
				 * in->pos (NUL padding already consumed) */
};

struct cpio_reader {
	struct instream *in;
	struct es_error err;
	bool in_member;		/* reading a decompressed member's output */
	bool after_entry;	/* the kernel's Reset state: between records */
	bool truncated;		/* the error was the end of input */
	/* the current record */
	struct cpio_header h;
	uint64_t next_record;	/* where the next record may start */
	uint64_t data_left;	/* unread data bytes of a regular file */
	uint32_t sum;
	bool verify;
	char name[CPIO_PATH_MAX + 1];
	char target[CPIO_PATH_MAX + 1];
};

/* in_member: the stream is one decompressed member; its bytes must all
 * be records or NUL padding. after_entry: the kernel's parser is between
 * records (true for every member but the image's first). */
void cpio_reader_init(struct cpio_reader *r, struct instream *in,
		      bool in_member, bool after_entry);

/* Moves to the next record, skipping what is left of the current one.
 * Returns enum cpio_next, or -errno with r->err set ("offset N: ..."). */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);

/* Reads up to n bytes of the current regular file's data; returns the
 * count (0 when all was read) or -errno. When the last byte of a 070702
 * file is read, its sum is checked: -EBADMSG "bad data checksum". */
ssize_t cpio_read_data(struct cpio_reader *r, void *buf, size_t n);

/* As cpio_read_data, without a copy: *p points at up to max bytes of
 * the data in the stream's buffer, valid until the next call. */
ssize_t cpio_data_next(struct cpio_reader *r, const uint8_t **p, size_t max);

const char *cpio_skip_reason(enum cpio_skip why);

#endif
