/* format.h - printf for the target binary, without floating point.
 *
 * musl's vfprintf carries a floating-point formatter (fmt_fp) and wide
 * character support that kinit never uses: a tenth of its 96 KiB
 * budget. format_vfprintf does what the early code and the layers it
 * shares print: flags "-0#+ ", width and precision (digits or *),
 * lengths hh h l ll z j t, conversions d i u o x X c s p %. Any other
 * conversion (e, f, g, a, n, ls, lc, ...) writes nothing more and fails
 * with EINVAL, so a format this does not know is seen at once rather
 * than printed wrong.
 *
 * libc_vfprintf.c makes it the vfprintf of the static binary, so
 * printf, fprintf, snprintf and dprintf all come here; the host build
 * keeps its libc's and tests this one against it.
 */
#ifndef EARLY_FORMAT_H
#define EARLY_FORMAT_H

#include <stdarg.h>
#include <stdio.h>

/* Writes to f like vfprintf(3): the number of bytes written, or -1 with
 * errno set (EINVAL for an unknown conversion, EOVERFLOW past INT_MAX,
 * or fwrite's error). Output goes out in one fwrite per 512 bytes, so
 * a short message to an unbuffered stream is one write(2). */
int format_vfprintf(FILE *f, const char *fmt, va_list ap);

#endif
