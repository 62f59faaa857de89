/*
 * xalloc.h - allocation that cannot fail for the caller.
 *
 * Running out of memory in a host tool or in early userspace leaves no
 * sensible way to carry on, so these print one line and exit (the only
 * exits allowed outside src/cli and the applets' main functions).
 * Sizes come from inputs only after they were checked against a limit.
 */
#ifndef ES_BASE_XALLOC_H
#define ES_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of size n) to hold at least want. */
void xgrow(void **p, size_t *cap, size_t want, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
