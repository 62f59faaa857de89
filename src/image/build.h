/*
 * build.h - writes entries from any source into a newc image.
 *
 * The builder owns the conventions of the kernel's gen_init_cpio, so
 * that `initramfs build` of a list file and `gen_init_cpio` of the same
 * list give the same bytes: inode numbers count from 721, one per entry
 * and one per hard-link group; devmajor:devminor is 3:1; directories,
 * fifos and sockets have nlink 2, devices and symlinks 1, a file the
 * number of its names, and only its last name carries the data.
 *
 * On top of that (off in compat mode): parent directories that a name
 * implies but no source gave are emitted first (the kernel drops an
 * entry whose parent is missing), ids can be mapped, and mtimes clamped.
 *
 * An image is a sequence of members: the builder starts with an
 * uncompressed one, and builder_begin_member() ends the current member
 * (with its trailer) and starts another, compressed or not. An
 * uncompressed member starts on a 4-byte boundary, as the kernel needs;
 * inode numbers run on across members, which the trailers keep apart.
 */
#ifndef ES_IMAGE_BUILD_H
#define ES_IMAGE_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/outbuf.h"
#include "base/strset.h"
#include "codec/codec.h"
#include "cpio/writer.h"

#define BUILD_FIRST_INO 721
#define BUILD_DEVMAJOR 3
#define BUILD_DEVMINOR 1
#define BUILD_IMPLIED_DIR_MODE 0755
#define BUILD_NO_MTIME INT64_MIN

struct build_options {
	bool compat;		/* gen_init_cpio: nothing beyond it */
	bool crc;		/* 070702 with data sums */
	uint32_t data_align;	/* gen_init_cpio -a */
	int64_t mtime;		/* -1: none given (use the current time) */
	bool force_mtime;	/* every entry gets mtime (gen_init_cpio -t) */
	bool clamp_mtime;	/* own mtimes above mtime are lowered to it */
	bool squash;		/* every uid and gid becomes 0 */
	int64_t root_uid;	/* this uid becomes 0; -1: none */
	int64_t root_gid;
	/* The output's name for messages ("writing OUT: ..."); NULL: "the
	 * image". */
	const char *output_name;
	/* Non-fatal problems; msg has no program name and no newline. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

/* One name to write. Strings are not owned and need to live only for
 * the call that takes the entry. */
struct build_entry {
	const char *name;
	uint32_t mode;		/* with the S_IFMT type bits */
	uint32_t uid, gid;
	int64_t mtime;		/* own mtime; BUILD_NO_MTIME: none */
	uint32_t rmajor, rminor;
	const char *target;	/* symlink */
	const char *location;	/* regular file: where the data is */
	const void *bytes;	/* or, without location, the data itself */
	uint32_t nbytes;
	uint32_t nlink;		/* regular file: names of the inode */
	bool data;		/* regular file: this name carries the data */
	uint32_t *group_ino;	/* shared by hard links; *group_ino 0 = unset */
};

struct builder {
	struct build_options opt;
	struct outbuf out;	/* the image file */
	struct cpio_writer w;	/* writes the current member */
	/* the current member, when compressed: records go through
	 * member_out into enc, which writes to out */
	const struct codec *codec;
	struct encoder *enc;
	struct outbuf member_out;
	bool member_written;	/* the current member holds something */
	bool need_gap;		/* the last member was lz4: see end_member */
	uint32_t next_ino;
	uint32_t default_mtime;
	bool archive_open;	/* records written since the last trailer */
	bool anything_written;
	struct strset dirs;	/* directories the image already has */
	struct es_error err;
};

int builder_init(struct builder *b, int fd, const struct build_options *opt);
void builder_free(struct builder *b);
/* Writes one record (and implied parents before it). Returns 0 or -errno
 * with b->err set; I/O errors on the output are fatal, the others (a
 * missing source file) leave the output consistent. */
int builder_add(struct builder *b, const struct build_entry *e);
/* A `file` line: names of one inode, written in a row. */
struct build_file {
	char *const *names;
	int nnames;
	const char *location;
	uint32_t mode, uid, gid;
	int64_t mtime;		/* BUILD_NO_MTIME: the file's own */
	/* A group whose other names come later (list files' hardlink
	 * lines): its size, the ino it shares, and that the data waits
	 * for its last name. 0, NULL, false: the names are the group. */
	uint32_t nlink;
	uint32_t *group_ino;
	bool data_later;
};

/* Writes f's names, the data on the last (unless data_later). The file
 * is opened before the first record: a missing one writes nothing. */
int builder_add_file(struct builder *b, const struct build_file *f);
/* Ends the current member and starts one compressed with c (NULL: none).
 * A member that holds nothing yet is replaced instead. */
int builder_begin_member(struct builder *b, const struct codec *c,
			 const struct encode_params *p);
/* Ends the current archive, then copies an existing image as it is
 * (into an uncompressed member). */
int builder_add_archive(struct builder *b, const char *path);
/* A record copied from another image as it is (ino, nlink, devices,
 * mtime), for images added to a compressed member; then exactly
 * h->filesize bytes through builder_copy_data. A trailer ends the
 * archive (builder_end_archive). */
int builder_copy_record(struct builder *b, struct cpio_header *h,
			const char *name);
int builder_copy_data(struct builder *b, const void *p, size_t n);
/* Writes a trailer: the current archive ends. */
int builder_end_archive(struct builder *b);
/* Ends the last member (a trailer if an archive is open or the member
 * is empty) and flushes. */
int builder_finish(struct builder *b);
/* Remembers that the image holds directory name (from an appended
 * archive), so no implied parent is written for it. */
void builder_note_dir(struct builder *b, const char *name);
/* A non-fatal problem, through opt.warn. */
void builder_warn(struct builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Whether the image has directory name (written or noted). */
bool builder_has_dir(const struct builder *b, const char *name);

#endif
