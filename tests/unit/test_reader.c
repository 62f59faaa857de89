/* test_reader.c - the streaming newc/crc reader (src/cpio/reader.c),
 * against archives built byte by byte in memory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cpio/reader.h"
#include "membuf.h"

struct rd {
	struct membuf b;
	struct memsrc src;
	struct instream in;
	struct cpio_reader r;
	struct cpio_entry e;
};

static int
setup(void **state)
{
	struct rd *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct rd *t = *state;

	in_free(&t->in);
	mb_free(&t->b);
	free(t);
	return 0;
}

static void
start(struct rd *t, size_t chunk, int with_skip, bool in_member,
      bool after_entry)
{
	mb_instream(&t->in, &t->src, &t->b, chunk, with_skip);
	cpio_reader_init(&t->r, &t->in, in_member, after_entry);
}

static void
open_top(struct rd *t)
{
	start(t, 0, 0, false, false);
}

static int
next(struct rd *t)
{
	return cpio_next(&t->r, &t->e);
}

/* Expects an error whose message contains what. */
static void
expect_error(struct rd *t, int rc, const char *what)
{
	if (rc >= 0 || !strstr(t->r.err.msg, what))
		fail_msg("expected an error with \"%s\", got rc %d, message \"%s\"",
			 what, rc, t->r.err.msg);
}

static void
expect_entry(struct rd *t, const char *name)
{
	int rc = next(t);

	if (rc != CPIO_ENTRY)
		fail_msg("expected entry \"%s\", got rc %d (%s)", name, rc,
			 t->r.err.msg);
	assert_string_equal(t->e.name, name);
}

static void
expect_data(struct rd *t, const char *want)
{
	char buf[8192];
	size_t n = strlen(want);
	ssize_t got = cpio_read_data(&t->r, buf, sizeof(buf));

	if (got < 0)
		fail_msg("read data of %s: %s", t->e.name, t->r.err.msg);
	assert_int_equal(got, n);
	assert_memory_equal(buf, want, n);
	assert_int_equal(cpio_read_data(&t->r, buf, sizeof(buf)), 0);
}

static void
two_entries_then_trailer_then_eof(void **state)
{
	struct rd *t = *state;

	mb_entry(&t->b, S_IFDIR | 0755, "dir", NULL, 0);
	mb_file(&t->b, "dir/file", "hello\n");
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "dir");
	assert_true(S_ISDIR(t->e.h.mode));
	assert_int_equal(t->e.offset, 0);
	assert_int_equal(t->e.skip, CPIO_SKIP_NONE);
	assert_false(t->e.trailer);
	expect_entry(t, "dir/file");
	assert_int_equal(t->e.offset, 116);
	assert_int_equal(t->e.data_offset, 116 + 110 + 9 + 1);
	assert_int_equal(t->e.h.filesize, 6);
	expect_data(t, "hello\n");
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_true(t->e.trailer);
	assert_int_equal(next(t), CPIO_EOF);
	assert_int_equal(t->in.pos, 512);
	assert_false(es_failed(&t->r.err));
}

static void
nul_padding_then_second_archive(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");
	mb_trailer(&t->b);
	mb_fill(&t->b, 0, 1024 + 12);
	mb_file(&t->b, "b", "22");
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "a");
	expect_entry(t, CPIO_TRAILER_NAME);
	expect_entry(t, "b");
	assert_int_equal(t->e.offset, 512 + 1024 + 12);
	expect_data(t, "22");
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
}

/* A later member of an image: the kernel's parser is between records. */
static void
after_entry_reads_a_second_archive(void **state)
{
	struct rd *t = *state;

	mb_fill(&t->b, 0, 8);
	mb_file(&t->b, "b", "x");
	mb_trailer(&t->b);
	start(t, 0, 0, false, true);
	expect_entry(t, "b");
	assert_int_equal(t->e.offset, 8);
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
}

static void
non_nul_at_unaligned_offset_is_broken_padding(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");
	mb_trailer(&t->b);
	mb_fill(&t->b, 0, 5);
	mb_str(&t->b, "070701");
	open_top(t);
	expect_entry(t, "a");
	expect_entry(t, CPIO_TRAILER_NAME);
	expect_error(t, next(t), "broken padding");
	assert_true(strstr(t->r.err.msg, "offset 517") != NULL);
}

static void
broken_padding_right_after_an_entry(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");	/* ends at 116 */
	mb_append(&t->b, "\0\0X", 3);
	open_top(t);
	expect_entry(t, "a");
	expect_error(t, next(t), "broken padding");
}

static void
bad_magic_is_no_cpio_magic(void **state)
{
	struct rd *t = *state;

	mb_str(&t->b, "070799");
	mb_fill(&t->b, '0', 200);
	open_top(t);
	expect_error(t, next(t), "no cpio magic");
	assert_int_equal(t->r.err.code, EINVAL);
}

static void
odc_magic_asks_for_newc(void **state)
{
	struct rd *t = *state;

	mb_str(&t->b, "070707");
	mb_fill(&t->b, '0', 200);
	open_top(t);
	expect_error(t, next(t),
		     "incorrect cpio method used: use -H newc option");
}

static void
bad_hex_field_is_reported(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");
	memcpy(t->b.p + 6 + 8 * 6, "0000000x", 8);
	open_top(t);
	expect_error(t, next(t), "filesize");
}

static void
errors_stick(void **state)
{
	struct rd *t = *state;
	int rc;

	mb_str(&t->b, "070799");
	mb_fill(&t->b, '0', 200);
	open_top(t);
	rc = next(t);
	assert_true(rc < 0);
	assert_int_equal(next(t), rc);
}

static void
namesize_0_is_skipped_and_next_entry_read(void **state)
{
	struct rd *t = *state;

	mb_entry_ns(&t->b, CPIO_MAGIC_NEWC, S_IFREG | 0644, "", 0, "abc", 3, 0);
	mb_file(&t->b, "next", "data");
	mb_trailer(&t->b);
	open_top(t);
	assert_int_equal(next(t), CPIO_ENTRY);
	assert_int_equal(t->e.skip, CPIO_SKIP_NAMESIZE);
	assert_int_equal(t->e.h.namesize, 0);
	expect_entry(t, "next");
	/* 110 + N_ALIGN(0) = 112, then 3 bytes of data, rounded up */
	assert_int_equal(t->e.offset, 116);
	expect_data(t, "data");
	expect_entry(t, CPIO_TRAILER_NAME);
}

static void
namesize_4097_is_skipped_and_next_entry_read(void **state)
{
	struct rd *t = *state;
	char name[4098];

	memset(name, 'n', 4097);
	name[4097] = '\0';
	mb_entry_ns(&t->b, CPIO_MAGIC_NEWC, S_IFREG | 0644, name, 4097, "abc",
		    3, 0);
	mb_file(&t->b, "next", "data");
	mb_trailer(&t->b);
	open_top(t);
	assert_int_equal(next(t), CPIO_ENTRY);
	assert_int_equal(t->e.skip, CPIO_SKIP_NAMESIZE);
	expect_entry(t, "next");
	expect_data(t, "data");
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
}

static void
namesize_4096_is_read(void **state)
{
	struct rd *t = *state;
	char name[4096];

	memset(name, 'n', 4095);
	name[4095] = '\0';
	mb_entry_ns(&t->b, CPIO_MAGIC_NEWC, S_IFREG | 0644, name, 4096, "abc",
		    3, 0);
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, name);
	assert_int_equal(t->e.skip, CPIO_SKIP_NONE);
	expect_data(t, "abc");
}

static void
symlink_target_over_path_max_is_skipped(void **state)
{
	struct rd *t = *state;
	char target[4097];

	memset(target, 't', sizeof(target));
	mb_entry(&t->b, S_IFLNK | 0777, "link", target, 4097);
	mb_entry(&t->b, S_IFLNK | 0777, "ok", "dest", 4);
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "link");
	assert_int_equal(t->e.skip, CPIO_SKIP_LINK_SIZE);
	assert_null(t->e.target);
	expect_entry(t, "ok");
	assert_int_equal(t->e.skip, CPIO_SKIP_NONE);
	assert_non_null(t->e.target);
	assert_string_equal(t->e.target, "dest");
	expect_entry(t, CPIO_TRAILER_NAME);
}

static void
data_on_directory_is_skipped(void **state)
{
	struct rd *t = *state;

	mb_entry(&t->b, S_IFDIR | 0755, "dir", "xyz", 3);
	mb_file(&t->b, "f", "z");
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "dir");
	assert_int_equal(t->e.skip, CPIO_SKIP_DATA_ON_NONFILE);
	expect_entry(t, "f");
	expect_data(t, "z");
	expect_entry(t, CPIO_TRAILER_NAME);
}

static void
name_without_nul_is_malformed(void **state)
{
	struct rd *t = *state;

	/* namesize 4 covers "abcd" and no NUL */
	mb_entry_ns(&t->b, CPIO_MAGIC_NEWC, S_IFREG | 0644, "abcd", 4, "x", 1,
		    0);
	mb_trailer(&t->b);
	open_top(t);
	expect_error(t, next(t), "malformed archive");
}

/* gen_init_cpio -a pads the name with NULs counted in namesize. */
static void
name_with_extra_nul_padding(void **state)
{
	struct rd *t = *state;

	mb_entry_ns(&t->b, CPIO_MAGIC_NEWC, S_IFREG | 0644, "f", 402, "DATA",
		    4, 0);
	mb_file(&t->b, "g", "G");
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "f");
	assert_int_equal(t->e.h.namesize, 402);
	assert_int_equal(t->e.data_offset, 512);
	assert_memory_equal(t->b.p + 512, "DATA", 4);
	expect_data(t, "DATA");
	expect_entry(t, "g");
	expect_data(t, "G");
}

static void
crc_with_right_checksum_reads(void **state)
{
	struct rd *t = *state;
	char buf[16];

	mb_entry_ns(&t->b, CPIO_MAGIC_CRC, S_IFREG | 0644, "c", 2, "abc", 3,
		    'a' + 'b' + 'c');
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "c");
	assert_true(t->e.h.crc);
	/* byte by byte: the sum runs across reads */
	for (int i = 0; i < 3; i++)
		assert_int_equal(cpio_read_data(&t->r, buf + i, 1), 1);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(cpio_read_data(&t->r, buf, sizeof(buf)), 0);
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
}

static void
crc_with_wrong_checksum_is_bad_data_checksum(void **state)
{
	struct rd *t = *state;
	char buf[16];

	mb_entry_ns(&t->b, CPIO_MAGIC_CRC, S_IFREG | 0644, "c", 2, "abc", 3,
		    'a' + 'b' + 'c' + 1);
	mb_trailer(&t->b);
	open_top(t);
	expect_entry(t, "c");
	assert_int_equal(cpio_read_data(&t->r, buf, sizeof(buf)), -EBADMSG);
	expect_error(t, -EBADMSG, "bad data checksum");
}

static void
empty_crc_file_with_nonzero_check_is_bad_data_checksum(void **state)
{
	struct rd *t = *state;

	mb_entry_ns(&t->b, CPIO_MAGIC_CRC, S_IFREG | 0644, "e", 2, NULL, 0, 7);
	mb_trailer(&t->b);
	open_top(t);
	assert_int_equal(next(t), -EBADMSG);
	expect_error(t, -EBADMSG, "bad data checksum");
}

static void
truncated_header(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");
	t->b.len = 60;
	open_top(t);
	expect_error(t, next(t), "truncated");
	assert_true(t->r.truncated);
}

static void
truncated_name(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a-long-name", "1");
	t->b.len = 110 + 4;
	open_top(t);
	expect_error(t, next(t), "truncated");
	assert_true(t->r.truncated);
}

static void
truncated_data_read(void **state)
{
	struct rd *t = *state;
	char buf[64];

	mb_file(&t->b, "a", "0123456789");
	t->b.len = 112 + 5;
	open_top(t);
	expect_entry(t, "a");
	expect_error(t, (int)cpio_read_data(&t->r, buf, sizeof(buf)),
		     "truncated");
	assert_true(t->r.truncated);
}

static void
truncated_data_skipped(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "0123456789");
	t->b.len = 112 + 5;
	open_top(t);
	expect_entry(t, "a");
	expect_error(t, next(t), "truncated");
}

static void
truncated_symlink_target(void **state)
{
	struct rd *t = *state;

	mb_entry(&t->b, S_IFLNK | 0777, "l", "target", 6);
	t->b.len = 112 + 3;
	open_top(t);
	expect_error(t, next(t), "truncated");
}

static void
non_zero_byte_at_aligned_offset_is_foreign(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");
	mb_trailer(&t->b);
	mb_fill(&t->b, 0, 4);
	mb_str(&t->b, "\x1f\x8b\x08\x00");
	open_top(t);
	expect_entry(t, "a");
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_FOREIGN);
	assert_int_equal(t->in.pos, 516);
	assert_false(es_failed(&t->r.err));
}

static void
foreign_at_start(void **state)
{
	struct rd *t = *state;

	mb_str(&t->b, "\x28\xb5\x2f\xfd");
	open_top(t);
	assert_int_equal(next(t), CPIO_FOREIGN);
	assert_int_equal(t->in.pos, 0);
}

/* In the kernel's Start state NULs are read as a header. */
static void
in_member_nuls_at_start_are_no_cpio_magic(void **state)
{
	struct rd *t = *state;

	mb_fill(&t->b, 0, 4);
	mb_file(&t->b, "a", "1");
	start(t, 0, 0, true, false);
	expect_error(t, next(t), "no cpio magic");
}

static void
empty_input_is_eof(void **state)
{
	struct rd *t = *state;

	open_top(t);
	assert_int_equal(next(t), CPIO_EOF);
	assert_false(es_failed(&t->r.err));
}

static void
trailer_without_block_padding_then_eof(void **state)
{
	struct rd *t = *state;

	mb_file(&t->b, "a", "1");
	mb_entry(&t->b, 0, CPIO_TRAILER_NAME, NULL, 0);
	open_top(t);
	expect_entry(t, "a");
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
}

static void
in_member_junk_at_start_is_no_cpio_magic(void **state)
{
	struct rd *t = *state;

	mb_fill(&t->b, 'J', 200);
	start(t, 0, 0, true, false);
	expect_error(t, next(t), "no cpio magic");
}

/* Every padding case: name lengths 1..4 and sizes 0..3, written by the
 * core's writer and read back by its reader. */
static void
padding_cases_round_trip(void **state)
{
	struct rd *t = *state;
	struct memwriter m;
	static const char *const names[] = { "a", "ab", "abc", "abcd" };
	static const char data[] = "xyz";

	assert_int_equal(mw_init(&m, 0), 0);
	for (int n = 0; n < 4; n++) {
		for (uint32_t s = 0; s < 4; s++) {
			struct cpio_header h = { .mode = S_IFREG | 0600,
						 .nlink = 1, .filesize = s };

			assert_int_equal(cpio_write_header(&m.w, &h, names[n]), 0);
			if (s)
				assert_int_equal(cpio_write_data(&m.w, data, s), 0);
			assert_int_equal(m.out.offset % 4, 0);
		}
	}
	assert_int_equal(cpio_write_trailer(&m.w, false), 0);
	assert_int_equal(mw_done(&m, &t->b), 0);
	assert_int_equal(t->b.len % 512, 0);

	start(t, 7, 0, false, false);
	for (int n = 0; n < 4; n++) {
		for (uint32_t s = 0; s < 4; s++) {
			char want[4];

			memcpy(want, data, s);
			want[s] = '\0';
			expect_entry(t, names[n]);
			assert_int_equal(t->e.h.namesize, n + 2);
			assert_int_equal(t->e.offset % 4, 0);
			assert_int_equal(t->e.data_offset % 4, 0);
			assert_int_equal(t->e.h.filesize, s);
			expect_data(t, want);
		}
	}
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
}

/* Unread data is passed over by the next cpio_next. The files are larger
 * than the instream's buffer, so with a skip op part of them is skipped
 * without being read. */
#define BIG (600 * 1024)

static void
skip_unread_data(struct rd *t, int with_skip)
{
	char *big = malloc(BIG + 1);
	char buf[10];

	assert_non_null(big);
	memset(big, 'B', BIG);
	big[BIG] = '\0';
	mb_file(&t->b, "big1", big);
	mb_file(&t->b, "big2", big);
	mb_file(&t->b, "small", "s");
	mb_trailer(&t->b);
	free(big);
	start(t, 4096, with_skip, false, false);
	expect_entry(t, "big1");
	expect_entry(t, "big2");
	/* partly read, then skipped */
	assert_int_equal(cpio_read_data(&t->r, buf, sizeof(buf)), 10);
	assert_memory_equal(buf, "BBBBBBBBBB", 10);
	expect_entry(t, "small");
	expect_data(t, "s");
	expect_entry(t, CPIO_TRAILER_NAME);
	assert_int_equal(next(t), CPIO_EOF);
	if (with_skip)
		assert_true(t->src.skips > 0);
	else
		assert_int_equal(t->src.skips, 0);
}

static void
unread_data_is_skipped_without_skip_op(void **state)
{
	skip_unread_data(*state, 0);
}

static void
unread_data_is_skipped_with_skip_op(void **state)
{
	skip_unread_data(*state, 1);
}

static void
skip_reasons_are_named(void **state)
{
	(void)state;
	assert_string_equal(cpio_skip_reason(CPIO_SKIP_NONE), "");
	assert_non_null(strstr(cpio_skip_reason(CPIO_SKIP_NAMESIZE), "namesize"));
	assert_non_null(strstr(cpio_skip_reason(CPIO_SKIP_LINK_SIZE), "symlink"));
	assert_non_null(strstr(cpio_skip_reason(CPIO_SKIP_DATA_ON_NONFILE),
			       "not a file"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(two_entries_then_trailer_then_eof),
		T(nul_padding_then_second_archive),
		T(after_entry_reads_a_second_archive),
		T(non_nul_at_unaligned_offset_is_broken_padding),
		T(broken_padding_right_after_an_entry),
		T(bad_magic_is_no_cpio_magic),
		T(odc_magic_asks_for_newc),
		T(bad_hex_field_is_reported),
		T(errors_stick),
		T(namesize_0_is_skipped_and_next_entry_read),
		T(namesize_4097_is_skipped_and_next_entry_read),
		T(namesize_4096_is_read),
		T(symlink_target_over_path_max_is_skipped),
		T(data_on_directory_is_skipped),
		T(name_without_nul_is_malformed),
		T(name_with_extra_nul_padding),
		T(crc_with_right_checksum_reads),
		T(crc_with_wrong_checksum_is_bad_data_checksum),
		T(empty_crc_file_with_nonzero_check_is_bad_data_checksum),
		T(truncated_header),
		T(truncated_name),
		T(truncated_data_read),
		T(truncated_data_skipped),
		T(truncated_symlink_target),
		T(non_zero_byte_at_aligned_offset_is_foreign),
		T(foreign_at_start),
		T(in_member_junk_at_start_is_no_cpio_magic),
		T(in_member_nuls_at_start_are_no_cpio_magic),
		T(empty_input_is_eof),
		T(trailer_without_block_padding_then_eof),
		T(padding_cases_round_trip),
		T(unread_data_is_skipped_without_skip_op),
		T(unread_data_is_skipped_with_skip_op),
		T(skip_reasons_are_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
