/*
 * sysfile.h - the small files of /proc and /sys: read one into a
 * buffer, write a value into one.
 */
#ifndef ES_EARLY_SYSFILE_H
#define ES_EARLY_SYSFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Reads at most size - 1 bytes of path into buf, NUL-terminated, with
 * one trailing newline removed. Returns the length, or -errno. */
ssize_t sysfile_read(const char *path, char *buf, size_t size);
/* Reads path relative to the directory fd dir (openat), as above. */
ssize_t sysfile_read_at(int dir, const char *path, char *buf, size_t size);
/* Writes s in one write(2), as sysfs wants. Returns 0 or -errno. */
int sysfile_write(const char *path, const char *s);

#endif
