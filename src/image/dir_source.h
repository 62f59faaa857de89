/*
 * dir_source.h - a host directory as a source of entries.
 *
 * Like the kernel's gen_initramfs (`find | LC_ALL=C sort`): every path
 * under the directory, the directory itself excluded, sorted byte-wise
 * by full path, so parents come before children. Unlike it, names may
 * hold any byte but NUL and '/', and hard links are detected (same
 * device and inode) and written as links, the data on the last name.
 */
#ifndef ES_IMAGE_DIR_SOURCE_H
#define ES_IMAGE_DIR_SOURCE_H

#include "image/build.h"

/* Scans root and hands every entry to the builder. Returns 0 or -errno
 * with b->err set (scan errors name the path). */
int dir_source_add(struct builder *b, const char *root);

#endif
