/* libc_vfprintf.c - format_vfprintf as the static binary's vfprintf.
 *
 * musl keeps one function a file, and printf, fprintf, snprintf,
 * vsnprintf and dprintf all call vfprintf: defining it here links this
 * one in place of musl's (see format.h for why). Only the target
 * binary links this file; the host build keeps its libc's.
 */
#include "early/format.h"

int
vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	return format_vfprintf(f, fmt, ap);
}
