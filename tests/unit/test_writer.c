/* test_writer.c - the newc/crc writer (src/cpio/writer.c): layout,
 * trailer block, data alignment and the crc magic. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cpio/reader.h"
#include "cpio/writer.h"
#include "membuf.h"

/* Field i (0 = ino ... 12 = check) of the header at off, decoded by hand. */
static uint32_t
field(const struct membuf *b, size_t off, int i)
{
	char hex[9];

	memcpy(hex, b->p + off + 6 + 8 * i, 8);
	hex[8] = '\0';
	return (uint32_t)strtoul(hex, NULL, 16);
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void
write_file(struct memwriter *m, const char *name, const char *data,
	   uint32_t size, bool crc)
{
	struct cpio_header h = {
		.crc = crc, .ino = 721, .mode = S_IFREG | 0644, .nlink = 1,
		.filesize = size, .devmajor = 3, .devminor = 1,
		.check = crc ? cpio_checksum(0, data, size) : 0,
	};

	assert_int_equal(cpio_write_header(&m->w, &h, name), 0);
	if (size)
		assert_int_equal(cpio_write_data(&m->w, data, size), 0);
}

static void
file_layout_matches_gen_init_cpio(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	static const char want[] =
		"070701" "000002D1" "000081A4" "00000000" "00000000"
		"00000001" "00000000" "00000005" "00000003" "00000001"
		"00000000" "00000000" "00000004" "00000000"
		"abc\0\0\0" "hello\0\0\0";

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	write_file(&m, "abc", "hello", 5, false);
	assert_int_equal(m.out.offset, sizeof(want) - 1);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.p, want, sizeof(want) - 1);
	mb_free(&b);
}

static void
trailer_is_padded_to_512(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	static const char trailer[] =
		"070701" "00000000" "00000000" "00000000" "00000000"
		"00000001" "00000000" "00000000" "00000000" "00000000"
		"00000000" "00000000" "0000000B" "00000000"
		"TRAILER!!!\0";

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	write_file(&m, "f", "12345", 5, false);		/* 112 + 8 = 120 */
	assert_int_equal(cpio_write_trailer(&m.w, false), 0);
	assert_int_equal(m.out.offset, 512);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(b.len, 512);
	assert_memory_equal(b.p + 120, trailer, sizeof(trailer) - 1);
	assert_true(all_zero(b.p + 120 + sizeof(trailer) - 1,
			     512 - 120 - (sizeof(trailer) - 1)));
	mb_free(&b);
}

static void
trailer_alone_is_one_block(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	assert_int_equal(cpio_write_trailer(&m.w, false), 0);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(b.len, 512);
	mb_free(&b);
}

static void
data_align_pads_name_of_large_file(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	char data[1000];
	size_t second;

	(void)state;
	memset(data, 'D', sizeof(data));
	assert_int_equal(mw_init(&m, 512), 0);
	write_file(&m, "big", data, sizeof(data), false);
	second = m.out.offset;
	write_file(&m, "dir/second", data, 600, false);
	assert_int_equal(cpio_write_trailer(&m.w, false), 0);
	assert_false(m.w.align_missed);
	assert_int_equal(mw_done(&m, &b), 0);

	assert_memory_equal(b.p + 110, "big", 3);
	assert_true(all_zero(b.p + 113, 512 - 113));
	assert_memory_equal(b.p + 512, data, sizeof(data));
	/* second record: starts at 1512, data at 2048 */
	assert_int_equal(second, 1512);
	assert_int_equal(b.p[2048 - 1], 0);
	assert_memory_equal(b.p + 2048, data, 600);

	/* the reader finds the data where the writer put it */
	{
		struct memsrc src;
		struct instream in;
		struct cpio_reader r;
		struct cpio_entry e;

		mb_instream(&in, &src, &b, 0, 0);
		cpio_reader_init(&r, &in, false, false);
		assert_int_equal(cpio_next(&r, &e), CPIO_ENTRY);
		assert_string_equal(e.name, "big");
		assert_int_equal(e.data_offset, 512);
		assert_int_equal(cpio_next(&r, &e), CPIO_ENTRY);
		assert_string_equal(e.name, "dir/second");
		assert_int_equal(e.data_offset % 512, 0);
		assert_int_equal(cpio_next(&r, &e), CPIO_ENTRY);
		assert_true(e.trailer);
		assert_int_equal(cpio_next(&r, &e), CPIO_EOF);
		in_free(&in);
	}
	mb_free(&b);
}

/* gen_init_cpio -a counts every NUL up to the data in namesize, so
 * 110 + namesize reaches exactly to the data (no 4-byte padding after). */
static void
data_align_namesize_reaches_the_data(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	char data[1000];
	struct cpio_header h = { .mode = S_IFREG | 0644, .nlink = 1,
				 .filesize = sizeof(data) };

	(void)state;
	memset(data, 'D', sizeof(data));
	assert_int_equal(mw_init(&m, 512), 0);
	assert_int_equal(cpio_write_header(&m.w, &h, "big"), 0);
	assert_int_equal(m.out.offset, 512);
	assert_int_equal(h.namesize, 512 - 110);
	assert_int_equal(cpio_write_data(&m.w, data, sizeof(data)), 0);
	h.filesize = 600;
	assert_int_equal(cpio_write_header(&m.w, &h, "dir/second"), 0);
	assert_int_equal(m.out.offset, 2048);
	assert_int_equal(h.namesize, 2048 - 1512 - 110);
	assert_int_equal(cpio_write_data(&m.w, data, 600), 0);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(field(&b, 0, 11), 512 - 110);
	assert_int_equal(field(&b, 1512, 11), 2048 - 1512 - 110);
	mb_free(&b);
}

/* gen_init_cpio aligns only files larger than the alignment. */
static void
data_align_leaves_file_of_exactly_align_bytes(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	char data[512];

	(void)state;
	memset(data, 'D', sizeof(data));
	assert_int_equal(mw_init(&m, 512), 0);
	write_file(&m, "big", data, sizeof(data), false);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(field(&b, 0, 11), 4);
	assert_int_equal(b.len, 116 + 512);
	assert_memory_equal(b.p + 116, data, sizeof(data));
	mb_free(&b);
}

static void
data_align_leaves_directories(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	struct cpio_header h = { .mode = S_IFDIR | 0755, .nlink = 2 };

	(void)state;
	assert_int_equal(mw_init(&m, 4), 0);
	assert_int_equal(cpio_write_header(&m.w, &h, "d"), 0);
	assert_int_equal(h.namesize, 2);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(b.len, 112);
	mb_free(&b);
}

/* Alignment that would push namesize past PATH_MAX is given up. */
static void
data_align_missed_past_path_max(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	char *data = calloc(1, 9000);

	(void)state;
	assert_non_null(data);
	assert_int_equal(mw_init(&m, 8192), 0);
	write_file(&m, "big", data, 9000, false);
	assert_true(m.w.align_missed);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(field(&b, 0, 11), 4);
	free(data);
	mb_free(&b);
}

static void
crc_flag_writes_070702(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	write_file(&m, "c", "abc", 3, true);
	assert_int_equal(cpio_write_trailer(&m.w, true), 0);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_memory_equal(b.p, "070702", 6);
	assert_int_equal(field(&b, 0, 12), 'a' + 'b' + 'c');
	assert_memory_equal(b.p + 116, "070702", 6);
	assert_memory_equal(b.p + 116 + 110, "TRAILER!!!", 11);
	mb_free(&b);
}

static void
newc_trailer_without_crc_flag(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	assert_int_equal(cpio_write_trailer(&m.w, false), 0);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_memory_equal(b.p, "070701", 6);
	mb_free(&b);
}

static void
too_much_data_is_refused(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	struct cpio_header h = { .mode = S_IFREG | 0644, .filesize = 2 };

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	assert_int_equal(cpio_write_header(&m.w, &h, "f"), 0);
	assert_int_equal(cpio_write_data(&m.w, "abc", 3), -EINVAL);
	mw_done(&m, &b);
	mb_free(&b);
}

static void
header_before_previous_data_is_refused(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	struct cpio_header h = { .mode = S_IFREG | 0644, .filesize = 2 };
	struct cpio_header h2 = { .mode = S_IFREG | 0644 };

	(void)state;
	assert_int_equal(mw_init(&m, 0), 0);
	assert_int_equal(cpio_write_header(&m.w, &h, "f"), 0);
	assert_int_equal(cpio_write_data(&m.w, "a", 1), 0);
	assert_int_equal(cpio_write_header(&m.w, &h2, "g"), -EINVAL);
	mw_done(&m, &b);
	mb_free(&b);
}

static void
data_from_fd_is_copied_and_padded(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	struct cpio_header h = { .mode = S_IFREG | 0644, .filesize = 5 };
	uint64_t copied = 0;
	int fd = memfd_create("src", MFD_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello", 5), 5);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(mw_init(&m, 0), 0);
	assert_int_equal(cpio_write_header(&m.w, &h, "abc"), 0);
	assert_int_equal(cpio_write_data_fd(&m.w, fd, 5, &copied), 0);
	assert_int_equal(copied, 5);
	assert_int_equal(mw_done(&m, &b), 0);
	assert_int_equal(b.len, 124);
	assert_memory_equal(b.p + 116, "hello\0\0\0", 8);
	close(fd);
	mb_free(&b);
}

static void
short_fd_is_eio(void **state)
{
	struct memwriter m;
	struct membuf b = { 0 };
	struct cpio_header h = { .mode = S_IFREG | 0644, .filesize = 5 };
	uint64_t copied = 0;
	int fd = memfd_create("src", MFD_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "he", 2), 2);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(mw_init(&m, 0), 0);
	assert_int_equal(cpio_write_header(&m.w, &h, "abc"), 0);
	assert_int_equal(cpio_write_data_fd(&m.w, fd, 5, &copied), -EIO);
	assert_int_equal(copied, 2);
	mw_done(&m, &b);
	close(fd);
	mb_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_layout_matches_gen_init_cpio),
		cmocka_unit_test(trailer_is_padded_to_512),
		cmocka_unit_test(trailer_alone_is_one_block),
		cmocka_unit_test(data_align_pads_name_of_large_file),
		cmocka_unit_test(data_align_namesize_reaches_the_data),
		cmocka_unit_test(data_align_leaves_file_of_exactly_align_bytes),
		cmocka_unit_test(data_align_leaves_directories),
		cmocka_unit_test(data_align_missed_past_path_max),
		cmocka_unit_test(crc_flag_writes_070702),
		cmocka_unit_test(newc_trailer_without_crc_flag),
		cmocka_unit_test(too_much_data_is_refused),
		cmocka_unit_test(header_before_previous_data_is_refused),
		cmocka_unit_test(data_from_fd_is_copied_and_padded),
		cmocka_unit_test(short_fd_is_eio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
