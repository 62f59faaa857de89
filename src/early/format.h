/* format.h - printf for the target binary, without floating point.
 *
 * musl's vfprintf carries a floating-point formatter (fmt_fp) and wide
 * character support that kinit never uses: a tenth of its 96 KiB
 * budget. This formatter does what the early code and the layers it
 * shares print: flags "-0#+ ", width and precision (digits or *),
 * lengths hh h l ll z j t, conversions d i u o x X c s p %. Any other
 * conversion (e, f, g, a, n, ls, lc, ...) writes nothing more and fails
 * with EINVAL, so a format this does not know is seen at once rather
 * than printed wrong.
 *
 * libc_printf.c makes these the static binary's vsnprintf and vdprintf,
 * so snprintf, dprintf and vasprintf come here and none of musl's FILE
 * machinery is linked (it cost 2 KiB); the host build keeps its libc's
 * and tests these against it.
 */
#ifndef EARLY_FORMAT_H
#define EARLY_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* As vdprintf(3): the bytes written, or -1 with errno set (EINVAL for
 * an unknown conversion, EOVERFLOW past INT_MAX, or write's error).
 * Output goes out in one write(2) per 512 bytes, so a message is one
 * write: lines from several processes on a console do not mix. */
int format_vdprintf(int fd, const char *fmt, va_list ap);
/* As vsnprintf(3): at most size - 1 bytes and a NUL into dst (nothing
 * when size is 0); returns the length the whole output has, or -1 as
 * above. */
int format_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap);

#endif
