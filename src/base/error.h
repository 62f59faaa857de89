/*
 * error.h - the first error of an operation, kept with its message.
 *
 * Library layers never print or exit: they record what went wrong here
 * and return a negative errno-style code. Only the first error sticks
 * (later ones are usually consequences of it), which is also how the
 * kernel's unpacker reports.
 */
#ifndef ES_BASE_ERROR_H
#define ES_BASE_ERROR_H

#include <stdbool.h>

struct es_error {
	int code;		/* positive errno-style code; 0: no error */
	char msg[1024];		/* "offset 123: no cpio magic", no program name */
};

/* Records code and the formatted message unless an error is already
 * recorded. Returns -code so callers can write `return es_fail(...)`. */
int es_fail(struct es_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Puts "PREFIX: " before the recorded message, so an outer layer can
 * say where (a list file's line, an option) without a second buffer. */
void es_prefix(struct es_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline bool
es_failed(const struct es_error *e)
{
	return e->code != 0;
}

static inline void
es_clear(struct es_error *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

#endif
