/*
 * spec.h - writes entries back as a list file (initramfs-list(5)), so
 * `initramfs build` can rebuild the image from them and the extracted
 * data. The names of a hard-link group are written on one `file` line
 * when the group is complete (or at its archive's trailer). Names with
 * white space or backslashes are escaped as \NNN (octal); mtimes are not
 * recorded.
 */
#ifndef ES_IMAGE_SPEC_H
#define ES_IMAGE_SPEC_H

#include <stdio.h>

#include "cpio/reader.h"

struct spec_group;

struct spec_writer {
	FILE *f;
	const char *data_dir;	/* prefix of file locations */
	struct spec_group *groups;	/* incomplete hard-link groups */
	size_t ngroups, cap;
};

void spec_init(struct spec_writer *s, FILE *f, const char *data_dir);
void spec_entry(struct spec_writer *s, const struct cpio_entry *e);
/* Writes what is pending and frees everything. */
void spec_finish(struct spec_writer *s);

#endif
