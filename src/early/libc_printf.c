/* libc_printf.c - format.c as the static binary's vsnprintf and vdprintf.
 *
 * musl keeps one function a file: snprintf, dprintf and vasprintf call
 * these two, so defining them here links ours in place of musl's, and
 * with them none of musl's vfprintf and FILE code (see format.h for
 * why). Only the target binary links this file; the host build keeps
 * its libc's.
 */
#include "early/format.h"

#include <stdio.h>

int
vsnprintf(char *restrict dst, size_t size, const char *restrict fmt, va_list ap)
{
	return format_vsnprintf(dst, size, fmt, ap);
}

int
vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	return format_vdprintf(fd, fmt, ap);
}
