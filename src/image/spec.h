/*
 * spec.h - writes entries back as a list file (initramfs-list(5)), so
 * `initramfs build` can rebuild the same image from them and the
 * extracted data.
 *
 * A hard-link group whose names follow each other is one `file` line,
 * as gen_init_cpio writes it; a name that comes after other entries is
 * a `hardlink` line at its place. Every entry's mtime is kept with
 * `mtime` lines (one where the value changes). Names with white space
 * or backslashes are escaped as \NNN (octal).
 */
#ifndef ES_IMAGE_SPEC_H
#define ES_IMAGE_SPEC_H

#include <stdint.h>
#include <stdio.h>

#include "base/strset.h"
#include "cpio/reader.h"

struct spec_writer {
	FILE *f;
	const char *data_dir;	/* prefix of file locations */
	/* the group whose names are being read in a row */
	struct cpio_header run;
	char **run_names;
	size_t nrun, run_cap;
	/* groups written whose other names may follow: their key
	 * (ino:devmajor:devminor) -> index of their first name */
	struct strset open;
	char **firsts;
	size_t nfirsts, firsts_cap;
	int64_t mtime;		/* of the last mtime line; -1: none yet */
};

void spec_init(struct spec_writer *s, FILE *f, const char *data_dir);
void spec_entry(struct spec_writer *s, const struct cpio_entry *e);
/* Writes what is pending and frees everything. */
void spec_finish(struct spec_writer *s);

#endif
