/* test_early_libc.c - what the target binary uses in place of musl's:
 * the formatter (src/early/format.c), checked against the host's
 * printf, the heap (src/early/heap.c), and numbers and dotted quads
 * (src/early/number.c) against strtoull and inet_addr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <cmocka.h>

#include "early/format.h"
#include "early/heap.h"
#include "early/number.h"

#include <arpa/inet.h>
#include <sys/mman.h>
#include <unistd.h>

/* The edge cases are the point: "%08.3d" ignores its 0 flag. */
#pragma GCC diagnostic ignored "-Wformat"

/* The formatter into memory, and the same through a file descriptor
 * (a memfd read back): both must give the same bytes and count. */
static int
ours(char *buf, size_t size, const char *fmt, ...)
{
	char via_fd[2048];
	int fd = memfd_create("format", 0), n, m;
	va_list ap;

	assert_true(fd >= 0);
	va_start(ap, fmt);
	n = format_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	m = format_vdprintf(fd, fmt, ap);
	va_end(ap);
	assert_int_equal(m, n);
	if (n >= 0 && (size_t)n < size && (size_t)n <= sizeof(via_fd)) {
		assert_int_equal(pread(fd, via_fd, sizeof(via_fd), 0), n);
		assert_memory_equal(via_fd, buf, (size_t)n);
	}
	close(fd);
	return n;
}

/* Both formatters on the same arguments agree on bytes and count. */
#define SAME(...) do { \
	char want[256], got[256]; \
	int wn = snprintf(want, sizeof(want), __VA_ARGS__); \
	memset(got, 0, sizeof(got)); \
	assert_int_equal(ours(got, sizeof(got), __VA_ARGS__), wn); \
	assert_string_equal(got, want); \
} while (0)

static void
strings_and_chars_as_printf(void **state)
{
	(void)state;
	SAME("plain text, no conversion");
	SAME("%s|%5s|%-5s|%.2s|%.*s|%*s|", "abc", "ab", "ab", "abc", 1, "xyz", -4, "q");
	SAME("%c%c%3c%-3c|%%|100%%", 'a', 'b', 'c', 'd');
	SAME("%s", "");
	SAME("%.0s|%10.3s|", "gone", "abcdef");
}

static void
integers_as_printf(void **state)
{
	(void)state;
	SAME("%d %i %u %d %d", 0, -1, 4294967295u, INT_MIN, INT_MAX);
	SAME("%5d|%-5d|%05d|%+d|% d|%+d|% 05d", 42, 42, -42, 7, 7, -7, 3);
	SAME("%.3d|%.0d|%5.3d|%-8.3x|%08.3d", 7, 0, -7, 0xab, 5);
	SAME("%x %X %#x %#X %#o %o %#x %08x %02x", 255u, 255u, 255u, 255u, 8u, 8u, 0u, 0xbeefu, 5u);
	SAME("%ld %lu %lld %llu %#lx", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX, 0x1234UL);
	SAME("%zu %zd %jd %ju %td", (size_t)SIZE_MAX, (ssize_t)-3, INTMAX_MIN, UINTMAX_MAX, (ptrdiff_t)-9);
	SAME("%hd %hu %hhd %hhu %04X", -32768, 65535, -128, 255, 0x2fu);
	SAME("%hhd %hd", 0x1ff, 0x1ffff);	/* truncated to their types */
	SAME("%p %p", (void *)0x1234, (void *)&state);
	SAME("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3);
}

static void
unknown_conversions_fail(void **state)
{
	char buf[64];

	(void)state;
	errno = 0;
	assert_int_equal(ours(buf, sizeof(buf), "%f", 1.5), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ours(buf, sizeof(buf), "x %ls", L"w"), -1);
	assert_int_equal(ours(buf, sizeof(buf), "%n", (int *)NULL), -1);
}

static void
long_output_crosses_the_buffer(void **state)
{
	char want[2200], got[2200], arg[1500];

	(void)state;
	memset(arg, 'x', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	snprintf(want, sizeof(want), "<%s>%600d", arg, 9);
	assert_int_equal(ours(got, sizeof(got), "<%s>%600d", arg, 9), (int)strlen(want));
	assert_string_equal(got, want);
}

/* snprintf's contract: the whole length returned, the output cut to
 * size - 1 bytes and terminated; nothing written when size is 0. */
static void
cut_to_the_buffer_as_snprintf(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(ours(buf, 4, "ab%s", "cdef"), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(buf[4], 'x');
	assert_int_equal(ours(NULL, 0, "%d", 12345), 5);
	assert_int_equal(ours(buf, 1, "%d", 7), 1);
	assert_string_equal(buf, "");
}

static void
heap_blocks_are_aligned_and_distinct(void **state)
{
	struct heap h = { 0 };
	char *p[200];

	(void)state;
	for (size_t i = 0; i < 200; i++) {
		size_t size = i * 37;

		p[i] = heap_alloc(&h, size);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(heap_usable(p[i]) >= size);
		memset(p[i], (int)i, size);
	}
	for (size_t i = 0; i < 200; i++)
		for (size_t k = 0; k < i * 37; k++)
			assert_int_equal((unsigned char)p[i][k], i & 0xff);
	for (size_t i = 0; i < 200; i++)
		heap_free(&h, p[i]);
}

static void
heap_reuses_freed_blocks(void **state)
{
	struct heap h = { 0 };
	void *a, *b;

	(void)state;
	a = heap_alloc(&h, 100);
	heap_free(&h, a);
	b = heap_alloc(&h, 90);		/* the same class */
	assert_ptr_equal(a, b);
	heap_free(&h, b);
	heap_free(&h, NULL);
}

static void
heap_large_blocks_and_realloc(void **state)
{
	struct heap h = { 0 };
	char *p = heap_realloc(&h, NULL, 10);

	(void)state;
	assert_non_null(p);
	strcpy(p, "kept");
	p = heap_realloc(&h, p, 200000);	/* small to its own mapping */
	assert_non_null(p);
	assert_string_equal(p, "kept");
	assert_true(heap_usable(p) >= 200000);
	memset(p + 5, 'y', 200000 - 5);
	p = heap_realloc(&h, p, 3);		/* back to a small block */
	assert_non_null(p);
	assert_memory_equal(p, "kep", 3);
	heap_free(&h, p);
	errno = 0;
	assert_null(heap_alloc(&h, SIZE_MAX - 8));
	assert_int_equal(errno, ENOMEM);
}

static void
numbers_as_strtoull(void **state)
{
	static const struct {
		const char *text;
		unsigned base;
		unsigned long long want;
		size_t used;
	} cases[] = {
		{ "0", 0, 0, 1 }, { "42abc", 10, 42, 2 }, { "0x1F", 0, 31, 4 },
		{ "0x1f", 16, 31, 4 }, { "1f", 16, 31, 2 }, { "017", 0, 15, 3 },
		{ "0x", 0, 0, 1 }, { "18446744073709551615", 10, UINT64_MAX, 20 },
		{ "08", 0, 0, 1 },
	};
	unsigned long long v;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *p = cases[i].text;
		unsigned long long want = strtoull(p, NULL, (int)cases[i].base);

		assert_true(number_scan(&p, cases[i].base, UINT64_MAX, &v));
		assert_int_equal(v, cases[i].want);
		assert_int_equal(v, want);
		assert_int_equal(p - cases[i].text, cases[i].used);
	}
	assert_false(number_parse("", 10, UINT64_MAX, &v));
	assert_false(number_parse("-1", 10, UINT64_MAX, &v));
	assert_false(number_parse(" 1", 10, UINT64_MAX, &v));
	assert_false(number_parse("12x", 10, UINT64_MAX, &v));
	assert_false(number_parse("18446744073709551616", 10, UINT64_MAX, &v));
	assert_false(number_parse("256", 10, 255, &v));
	assert_true(number_parse("255", 10, 255, &v));
	assert_int_equal(v, 255);
}

static void
ipv4_dotted_quads(void **state)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..3.4", "1.2.3.4 ",
		"a.b.c.d", "1.2.3.-4", "10.1",
	};
	uint32_t a;

	(void)state;
	assert_true(number_ipv4("10.0.2.15", &a));
	assert_int_equal(a, inet_addr("10.0.2.15"));
	assert_true(number_ipv4("255.255.255.0", &a));
	assert_int_equal(a, inet_addr("255.255.255.0"));
	assert_true(number_ipv4("0.0.0.0", &a));
	assert_int_equal(a, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(number_ipv4(bad[i], &a));
}

/* RFC 5952 text, as glibc's inet_ntop writes it. */
static void
ipv6_text_as_inet_ntop(void **state)
{
	static const char *const cases[] = {
		"::", "::1", "1::", "fe80::5054:ff:fe12:3456", "2001:db8::1:0:0:1",
		"2001:db8:0:1:1:1:1:1", "1:0:0:2:0:0:0:3", "1:0:0:2:0:0:3:4",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0:1:0:1:0:1:0:1",
		"fd00:e5::1a", "1:2:3:4:5:6:7::",
	};
	char want[INET6_ADDRSTRLEN], got[NUMBER_IPV6_SIZE];
	struct in6_addr a;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(inet_pton(AF_INET6, cases[i], &a), 1);
		assert_non_null(inet_ntop(AF_INET6, &a, want, sizeof(want)));
		assert_string_equal(number_ipv6_text(a.s6_addr, got), want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_and_chars_as_printf),
		cmocka_unit_test(integers_as_printf),
		cmocka_unit_test(unknown_conversions_fail),
		cmocka_unit_test(long_output_crosses_the_buffer),
		cmocka_unit_test(cut_to_the_buffer_as_snprintf),
		cmocka_unit_test(heap_blocks_are_aligned_and_distinct),
		cmocka_unit_test(heap_reuses_freed_blocks),
		cmocka_unit_test(heap_large_blocks_and_realloc),
		cmocka_unit_test(numbers_as_strtoull),
		cmocka_unit_test(ipv4_dotted_quads),
		cmocka_unit_test(ipv6_text_as_inet_ntop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
