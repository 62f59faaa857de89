/* test_newc.c - the newc/crc header codec (src/cpio/newc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpio/newc.h"

/* ino 0x2d1, mode 0100644, uid 0, gid 0, nlink 1, mtime 0x5f5e1000,
 * filesize 0xabc, devmajor 3, devminor 1, rdev 0/0, namesize 6, check 0,
 * laid out as gen_init_cpio prints it (upper-case hex). */
static const char sample[] =
	"070701"
	"000002D1" "000081A4" "00000000" "00000000" "00000001"
	"5F5E1000" "00000ABC" "00000003" "00000001" "00000000"
	"00000000" "00000006" "00000000";

static void
encode_is_upper_case_like_gen_init_cpio(void **state)
{
	struct cpio_header h = {
		.ino = 0x2d1, .mode = 0100644, .nlink = 1, .mtime = 0x5f5e1000,
		.filesize = 0xabc, .devmajor = 3, .devminor = 1, .namesize = 6,
	};
	char buf[CPIO_HEADER_SIZE + 1];

	(void)state;
	assert_int_equal(strlen(sample), CPIO_HEADER_SIZE);
	memset(buf, 'x', sizeof(buf));
	cpio_header_encode(&h, buf);
	assert_string_equal(buf, sample);
}

static void
encode_crc_magic(void **state)
{
	struct cpio_header h = { .crc = true, .check = 0xdeadbeef };
	char buf[CPIO_HEADER_SIZE + 1];

	(void)state;
	cpio_header_encode(&h, buf);
	assert_memory_equal(buf, "070702", 6);
	assert_string_equal(buf + CPIO_HEADER_SIZE - 8, "DEADBEEF");
}

static void
decode_accepts_upper_case(void **state)
{
	struct cpio_header h;
	int bad = -1;

	(void)state;
	assert_int_equal(cpio_header_decode((const uint8_t *)sample, &h, &bad),
			 CPIO_HEADER_OK);
	assert_false(h.crc);
	assert_int_equal(h.ino, 0x2d1);
	assert_int_equal(h.mode, 0100644);
	assert_int_equal(h.nlink, 1);
	assert_int_equal(h.mtime, 0x5f5e1000);
	assert_int_equal(h.filesize, 0xabc);
	assert_int_equal(h.devmajor, 3);
	assert_int_equal(h.devminor, 1);
	assert_int_equal(h.rdevmajor, 0);
	assert_int_equal(h.rdevminor, 0);
	assert_int_equal(h.namesize, 6);
	assert_int_equal(h.check, 0);
}

static void
decode_accepts_lower_case(void **state)
{
	char buf[CPIO_HEADER_SIZE + 1];
	struct cpio_header h;

	(void)state;
	memcpy(buf, sample, sizeof(buf));
	memcpy(buf + 6 + 8 * 12, "cafef00d", 8);
	memcpy(buf + 6 + 8 * 5, "5f5e1000", 8);
	assert_int_equal(cpio_header_decode((const uint8_t *)buf, &h, NULL),
			 CPIO_HEADER_OK);
	assert_int_equal(h.check, 0xcafef00d);
	assert_int_equal(h.mtime, 0x5f5e1000);
}

static void
decode_crc_magic(void **state)
{
	char buf[CPIO_HEADER_SIZE + 1];
	struct cpio_header h;

	(void)state;
	memcpy(buf, sample, sizeof(buf));
	memcpy(buf, "070702", 6);
	assert_int_equal(cpio_header_decode((const uint8_t *)buf, &h, NULL),
			 CPIO_HEADER_OK);
	assert_true(h.crc);
}

/* Puts bad (8 bytes) into field i and expects BAD_HEX naming field i. */
static void
expect_bad_field(int i, const char *bad)
{
	char buf[CPIO_HEADER_SIZE + 1];
	struct cpio_header h;
	int field = -1;

	memcpy(buf, sample, sizeof(buf));
	memcpy(buf + 6 + 8 * i, bad, 8);
	assert_int_equal(cpio_header_decode((const uint8_t *)buf, &h, &field),
			 CPIO_HEADER_BAD_HEX);
	assert_int_equal(field, i);
}

static void
decode_rejects_0x_prefix(void **state)
{
	(void)state;
	expect_bad_field(0, "0x0002D1");
	expect_bad_field(6, "0X000ABC");
}

static void
decode_rejects_spaces(void **state)
{
	(void)state;
	expect_bad_field(1, "   081A4");
	expect_bad_field(11, "0000006 ");
	expect_bad_field(12, "0000\t000");
}

static void
decode_rejects_sign(void **state)
{
	(void)state;
	expect_bad_field(2, "+0000000");
	expect_bad_field(3, "-0000001");
}

static void
decode_rejects_non_hex_letters(void **state)
{
	(void)state;
	expect_bad_field(7, "0000000G");
	expect_bad_field(5, "5F5E100g");
}

static void
decode_reports_first_bad_field(void **state)
{
	char buf[CPIO_HEADER_SIZE + 1];
	struct cpio_header h;
	int field = -1;

	(void)state;
	memcpy(buf, sample, sizeof(buf));
	memcpy(buf + 6 + 8 * 9, "zzzzzzzz", 8);
	memcpy(buf + 6 + 8 * 4, "zzzzzzzz", 8);
	assert_int_equal(cpio_header_decode((const uint8_t *)buf, &h, &field),
			 CPIO_HEADER_BAD_HEX);
	assert_int_equal(field, 4);
	assert_string_equal(cpio_field_names[4], "nlink");
	assert_string_equal(cpio_field_names[0], "ino");
	assert_string_equal(cpio_field_names[12], "check");
}

static void
decode_odc_magic(void **state)
{
	char buf[CPIO_HEADER_SIZE + 1];
	struct cpio_header h;

	(void)state;
	memcpy(buf, sample, sizeof(buf));
	memcpy(buf, "070707", 6);
	assert_int_equal(cpio_header_decode((const uint8_t *)buf, &h, NULL),
			 CPIO_HEADER_ODC);
}

static void
decode_other_magic(void **state)
{
	static const char *const magics[] = {
		"070700", "070703", "070717", "170701", "\0\0\0\0\0\0", "07070 ",
	};
	char buf[CPIO_HEADER_SIZE + 1];
	struct cpio_header h;

	(void)state;
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		memcpy(buf, sample, sizeof(buf));
		memcpy(buf, magics[i], 6);
		assert_int_equal(cpio_header_decode((const uint8_t *)buf, &h,
						    NULL),
				 CPIO_HEADER_BAD_MAGIC);
	}
}

static void
name_pad_for_namesize_1_to_8(void **state)
{
	/* header 110 + namesize, rounded up to 4 */
	static const uint32_t want[9] = { 2, 1, 0, 3, 2, 1, 0, 3, 2 };

	(void)state;
	for (uint32_t n = 0; n <= 8; n++) {
		assert_int_equal(cpio_name_pad(n), want[n]);
		assert_int_equal((CPIO_HEADER_SIZE + n + cpio_name_pad(n)) % 4, 0);
	}
	assert_int_equal(cpio_name_pad(4096), 2);
	assert_int_equal(cpio_name_pad(UINT32_MAX), 3);
}

static void
checksum_sums_bytes(void **state)
{
	static const uint8_t data[] = { 1, 2, 3, 0xff, 0x80 };
	uint8_t big[1024];

	(void)state;
	assert_int_equal(cpio_checksum(0, "", 0), 0);
	assert_int_equal(cpio_checksum(0, data, sizeof(data)),
			 1 + 2 + 3 + 0xff + 0x80);
	/* bytes are unsigned; the sum continues from its first argument */
	assert_int_equal(cpio_checksum(10, data + 3, 1), 10 + 0xff);
	assert_int_equal(cpio_checksum(cpio_checksum(0, data, 2), data + 2, 3),
			 cpio_checksum(0, data, sizeof(data)));
	/* 32-bit wrap-around */
	memset(big, 0xff, sizeof(big));
	assert_int_equal(cpio_checksum(0xffffff00u, big, 1),
			 (uint32_t)(0xffffff00u + 0xff));
	assert_int_equal(cpio_checksum(0xffffffffu, big, 2), 0x1fdu);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_is_upper_case_like_gen_init_cpio),
		cmocka_unit_test(encode_crc_magic),
		cmocka_unit_test(decode_accepts_upper_case),
		cmocka_unit_test(decode_accepts_lower_case),
		cmocka_unit_test(decode_crc_magic),
		cmocka_unit_test(decode_rejects_0x_prefix),
		cmocka_unit_test(decode_rejects_spaces),
		cmocka_unit_test(decode_rejects_sign),
		cmocka_unit_test(decode_rejects_non_hex_letters),
		cmocka_unit_test(decode_reports_first_bad_field),
		cmocka_unit_test(decode_odc_magic),
		cmocka_unit_test(decode_other_magic),
		cmocka_unit_test(name_pad_for_namesize_1_to_8),
		cmocka_unit_test(checksum_sums_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
