/* error.c - see error.h. */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>

int
es_fail(struct es_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (code <= 0)
		code = 1;
	if (e->code)
		return -code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -code;
}
