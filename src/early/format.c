/* format.c - see format.h. C11 7.21.6.1 for the conversions it knows. */
#include "early/format.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Where output goes: into buf, written to fd when full or done; or,
 * with fd -1, into the caller's memory, cut short when it is full. */
struct sink {
	int fd;
	char *p;	/* the next byte */
	size_t room;	/* bytes left at p */
	size_t total;	/* bytes formatted, written or not */
	int failed;
	char buf[512];
};

static void
flush(struct sink *s)
{
	const char *q = s->buf;
	size_t n = (size_t)(s->p - s->buf);

	while (n && !s->failed) {
		ssize_t w = write(s->fd, q, n);

		if (w < 0 && errno != EINTR)
			s->failed = 1;
		if (w > 0) {
			q += w;
			n -= (size_t)w;
		}
	}
	s->p = s->buf;
	s->room = sizeof(s->buf);
}

static void
put(struct sink *s, const char *p, size_t len)
{
	s->total += len;
	for (;;) {
		size_t k = len < s->room ? len : s->room;

		/* snprintf(NULL, 0, ...) gives a sink at NULL; memcpy to NULL is
		 * undefined even for 0 bytes. */
		if (k)
			memcpy(s->p, p, k);
		s->p += k;
		s->room -= k;
		p += k;
		len -= k;
		if (!len || s->fd < 0)
			return;
		flush(s);
	}
}

static void
pad(struct sink *s, char c, size_t count)
{
	char block[32];

	memset(block, c, sizeof(block));
	for (; count > sizeof(block); count -= sizeof(block))
		put(s, block, sizeof(block));
	put(s, block, count);
}

/* One conversion specification after the '%'. */
struct spec {
	int left;	/* '-' */
	int zero;	/* '0' */
	int alt;	/* '#' */
	char sign;	/* '+', ' ' or 0 */
	size_t width;
	int precision;	/* -1 when not given */
	int length;	/* 'H' for hh, 'h', 'l', 'L' for ll/j, 'z', 't' or 0 */
};

/* Pads a field of len bytes (after prefix) out to the width. */
static void
field(struct sink *s, const struct spec *sp, const char *prefix,
      size_t zeros, const char *body, size_t len)
{
	size_t plen = strlen(prefix), used = plen + zeros + len;
	size_t fill = sp->width > used ? sp->width - used : 0;

	if (!sp->left && !sp->zero)
		pad(s, ' ', fill);
	put(s, prefix, plen);
	if (!sp->left && sp->zero)
		pad(s, '0', fill);
	pad(s, '0', zeros);
	put(s, body, len);
	if (sp->left)
		pad(s, ' ', fill);
}

/* The integer argument, of the size sp->length gives, sign-extended
 * when is_signed. One va_arg per C type, not per length: each is a
 * dozen instructions. */
static uintmax_t
arg_integer(const struct spec *sp, va_list *ap, int is_signed)
{
	unsigned size = sizeof(int), shift;
	uintmax_t v;

	switch (sp->length) {
	case 'H': size = 1; break;
	case 'h': size = sizeof(short); break;
	case 'l': size = sizeof(long); break;
	case 'L': size = sizeof(intmax_t); break;
	case 'z': size = sizeof(size_t); break;
	case 't': size = sizeof(ptrdiff_t); break;
	}
	if (size <= sizeof(int))
		v = va_arg(*ap, unsigned int);
	else if (size == sizeof(long))
		v = va_arg(*ap, unsigned long);
	else
		v = va_arg(*ap, uintmax_t);
	shift = 8 * (unsigned)(sizeof(uintmax_t) - size);
	v = v << shift >> shift;
	if (is_signed && size < sizeof(uintmax_t) && v >> (8 * size - 1))
		v |= UINTMAX_MAX << (8 * size);
	return v;
}

static void
integer(struct sink *s, struct spec *sp, char conv, va_list *ap)
{
	const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned base = conv == 'o' ? 8 : conv == 'x' || conv == 'X' || conv == 'p' ? 16 : 10;
	char buf[3 * sizeof(uintmax_t)], *end = buf + sizeof(buf), *p = end;
	char prefix[3] = "";
	uintmax_t v;
	size_t len, zeros = 0;

	if (conv == 'd' || conv == 'i') {
		v = arg_integer(sp, ap, 1);
		prefix[0] = sp->sign;
		if ((intmax_t)v < 0) {
			v = -v;
			prefix[0] = '-';
		}
	} else if (conv == 'p') {
		v = (uintptr_t)va_arg(*ap, void *);
		sp->alt = 1;
	} else {
		v = arg_integer(sp, ap, 0);
	}
	for (; v; v /= base)
		*--p = digits[v % base];
	len = (size_t)(end - p);
	if (sp->alt && base == 16 && len)
		strcpy(prefix, conv == 'X' ? "0X" : "0x");
	if (sp->precision >= 0) {
		sp->zero = 0;
		if ((size_t)sp->precision > len)
			zeros = (size_t)sp->precision - len;
	} else if (!len) {
		zeros = 1;	/* zero itself; only "%.0d" prints nothing */
	}
	if (sp->alt && base == 8 && !zeros)
		zeros = 1;
	field(s, sp, prefix, zeros, p, len);
}

/* Reads a width or precision: digits, or '*' from the arguments. */
static int
number(const char **fmt, va_list *ap)
{
	long n = 0;

	if (**fmt == '*') {
		++*fmt;
		return va_arg(*ap, int);
	}
	for (; **fmt >= '0' && **fmt <= '9'; ++*fmt)
		if ((n = n * 10 + (**fmt - '0')) > INT_MAX)
			n = INT_MAX;
	return (int)n;
}

/* Parses flags, width, precision and length; *fmt ends on the
 * conversion character. */
static void
parse_spec(struct spec *sp, const char **fmt, va_list *ap)
{
	int width;

	memset(sp, 0, sizeof(*sp));
	for (;; ++*fmt) {
		if (**fmt == '-')
			sp->left = 1;
		else if (**fmt == '0')
			sp->zero = 1;
		else if (**fmt == '#')
			sp->alt = 1;
		else if (**fmt == '+' || (**fmt == ' ' && sp->sign != '+'))
			sp->sign = **fmt;
		else
			break;
	}
	width = number(fmt, ap);
	if (width < 0) {	/* a negative '*' width means '-' */
		sp->left = 1;
		width = width == INT_MIN ? INT_MAX : -width;
	}
	sp->width = (size_t)width;
	sp->precision = -1;
	if (**fmt == '.') {
		++*fmt;
		sp->precision = number(fmt, ap);
		if (sp->precision < 0)
			sp->precision = -1;
	}
	if (**fmt == 'h' || **fmt == 'l') {
		char c = *(*fmt)++;

		sp->length = c;
		if (**fmt == c) {
			sp->length = c == 'h' ? 'H' : 'L';
			++*fmt;
		}
	} else if (**fmt == 'j' || **fmt == 'z' || **fmt == 't') {
		sp->length = *(*fmt)++ == 'j' ? 'L' : (*fmt)[-1];
	}
	if (sp->left)
		sp->zero = 0;
}

/* One conversion; 0, or -1 for one this formatter does not know. */
static int
convert(struct sink *s, struct spec *sp, char conv, va_list *ap)
{
	const char *str;
	char c;
	size_t len;

	switch (conv) {
	case '%':
		put(s, "%", 1);
		return 0;
	case 'c':
		if (sp->length)
			return -1;
		c = (char)va_arg(*ap, int);
		sp->zero = 0;
		field(s, sp, "", 0, &c, 1);
		return 0;
	case 's':
		if (sp->length)
			return -1;
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		len = sp->precision >= 0 ? strnlen(str, (size_t)sp->precision)
					 : strlen(str);
		sp->zero = 0;
		field(s, sp, "", 0, str, len);
		return 0;
	case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p':
		integer(s, sp, conv, ap);
		return 0;
	default:
		return -1;
	}
}

static int
format(struct sink *s, const char *fmt, va_list ap)
{
	struct spec sp;
	va_list args;
	int bad = 0;

	va_copy(args, ap);
	while (*fmt && !bad) {
		const char *pct = strchr(fmt, '%');
		size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);

		put(s, fmt, lit);
		fmt += lit;
		if (!*fmt)
			break;
		fmt++;
		parse_spec(&sp, &fmt, &args);
		bad = convert(s, &sp, *fmt, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);
	if (bad) {
		errno = EINVAL;
		return -1;
	}
	if (s->failed)
		return -1;
	if (s->total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)s->total;
}

int
format_vdprintf(int fd, const char *fmt, va_list ap)
{
	struct sink s = { .fd = fd, .room = sizeof(s.buf) };
	int n;

	s.p = s.buf;
	n = format(&s, fmt, ap);
	flush(&s);
	return s.failed ? -1 : n;
}

int
format_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .fd = -1, .p = dst, .room = size ? size - 1 : 0 };
	int n = format(&s, fmt, ap);

	if (size)
		*s.p = '\0';
	return n;
}
