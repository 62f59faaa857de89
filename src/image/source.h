/*
 * source.h - what `initramfs build` accepts as a SOURCE, and how each
 * kind is added to the image.
 *
 *   directory            scanned (dir_source.h)
 *   an image             (newc/crc archives, compressed members) into
 *                        an uncompressed member: appended as it is,
 *                        after it was read whole; its directories are
 *                        noted so no implied parent overrides them.
 *                        Into a compressed member: its records are
 *                        copied one by one (the member holds archives,
 *                        not other members).
 *   anything else        a list file (list_parse.h); "-" is stdin;
 *                        its program, module and firmware lines go
 *                        through the composer
 */
#ifndef ES_IMAGE_SOURCE_H
#define ES_IMAGE_SOURCE_H

#include <stdio.h>

#include "image/build.h"
#include "image/compose.h"

enum source_kind { SOURCE_DIR, SOURCE_ARCHIVE, SOURCE_LIST };

/* Adds one source; returns 0 or -errno with b->err set to a message that
 * names the source (and the line, for list files). */
int source_add(struct composer *c, const char *path);
struct list_item;
/* Adds one parsed line in gen_init_cpio's language, with that mtime
 * (BUILD_NO_MTIME: a file's own, the default for the rest). */
int add_list_item(struct builder *b, const struct list_item *it, int64_t mtime);
/* Adds the lines of a list file already open (list_source.c). */
int list_source_add(struct composer *c, FILE *f, const char *path);

#endif
