/* test_list_parse.c - the gen_init_cpio list language
 * (src/image/list_parse.c), in compat and in extended mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "image/list_parse.h"

struct lp {
	FILE *f;
	struct list_parser p;
	struct list_item it;
};

static void
lp_open(struct lp *t, const char *text, bool compat)
{
	t->f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(t->f);
	list_parser_init(&t->p, t->f, compat);
}

static void
lp_close(struct lp *t)
{
	list_parser_free(&t->p);
	fclose(t->f);
}

static enum list_status
lp_next(struct lp *t)
{
	return list_next(&t->p, &t->it);
}

/* The status of a one-line list in both modes. */
static void
expect_status(const char *line, enum list_status want)
{
	for (int compat = 0; compat < 2; compat++) {
		struct lp t;
		enum list_status got;

		lp_open(&t, line, compat);
		got = lp_next(&t);
		if (got != want)
			fail_msg("\"%s\" (compat %d): expected status %d, got %d",
				 line, compat, want, got);
		lp_close(&t);
	}
}

static void
file_directive(void **state)
{
	for (int compat = 0; compat < 2; compat++) {
		struct lp t;

		(void)state;
		lp_open(&t, "file /bin/sh rootfs/bin/sh 0755 1 2\n", compat);
		assert_int_equal(lp_next(&t), LIST_ITEM);
		assert_int_equal(t.it.kind, LK_FILE);
		assert_string_equal(t.it.type, "file");
		assert_int_equal(t.it.nnames, 1);
		assert_string_equal(t.it.names[0], "/bin/sh");
		assert_string_equal(t.it.location, "rootfs/bin/sh");
		assert_int_equal(t.it.mode, 0755);
		assert_int_equal(t.it.uid, 1);
		assert_int_equal(t.it.gid, 2);
		assert_int_equal(lp_next(&t), LIST_EOF);
		lp_close(&t);
	}
}

static void
file_hard_link_names(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "file /a src 0644 0 0 /b /c/d\n", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.nnames, 3);
	assert_string_equal(t.it.names[0], "/a");
	assert_string_equal(t.it.names[1], "/b");
	assert_string_equal(t.it.names[2], "/c/d");
	assert_string_equal(t.it.location, "src");
	assert_int_equal(t.it.mode, 0644);
	lp_close(&t);
}

static void
dir_directive(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "dir /dev 0755 0 0\n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_DIR);
	assert_int_equal(t.it.nnames, 1);
	assert_string_equal(t.it.names[0], "/dev");
	assert_int_equal(t.it.mode, 0755);
	assert_null(t.it.location);
	assert_null(t.it.target);
	lp_close(&t);
}

static void
nod_directive(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "nod /dev/console 0600 0 0 c 5 1\n"
		    "nod /dev/sda 0660 0 6 b 8 0\n", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_NOD);
	assert_string_equal(t.it.names[0], "/dev/console");
	assert_int_equal(t.it.mode, 0600);
	assert_int_equal(t.it.devtype, 'c');
	assert_int_equal(t.it.major, 5);
	assert_int_equal(t.it.minor, 1);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.names[0], "/dev/sda");
	assert_int_equal(t.it.gid, 6);
	assert_int_equal(t.it.devtype, 'b');
	assert_int_equal(t.it.major, 8);
	assert_int_equal(t.it.minor, 0);
	assert_int_equal(lp_next(&t), LIST_EOF);
	lp_close(&t);
}

static void
slink_directive(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "slink /bin/sh busybox 0777 0 0\n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_SLINK);
	assert_string_equal(t.it.names[0], "/bin/sh");
	assert_string_equal(t.it.target, "busybox");
	assert_int_equal(t.it.mode, 0777);
	assert_int_equal(t.it.nnames, 1);
	lp_close(&t);
}

static void
pipe_and_sock_directives(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "pipe /p 0644 3 4\nsock /s 0600 5 6\n", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_PIPE);
	assert_string_equal(t.it.names[0], "/p");
	assert_int_equal(t.it.mode, 0644);
	assert_int_equal(t.it.uid, 3);
	assert_int_equal(t.it.gid, 4);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_SOCK);
	assert_string_equal(t.it.names[0], "/s");
	assert_int_equal(t.it.uid, 5);
	assert_int_equal(t.it.gid, 6);
	assert_string_equal(list_kind_name(LK_SOCK), "sock");
	lp_close(&t);
}

static void
tabs_and_runs_of_spaces_separate(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "dir\t/x  \t 0700\t0   0   \n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.names[0], "/x");
	assert_int_equal(t.it.mode, 0700);
	lp_close(&t);
}

static void
last_line_without_newline(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "dir /x 0700 0 0", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.names[0], "/x");
	assert_int_equal(lp_next(&t), LIST_EOF);
	lp_close(&t);
}

static void
location_expands_env(void **state)
{
	struct lp t;

	(void)state;
	setenv("ES_TEST_SRC", "/srv/img", 1);
	unsetenv("ES_TEST_UNSET");
	lp_open(&t, "file /a ${ES_TEST_SRC}/bin/a 0755 0 0\n"
		    "file /b x${ES_TEST_UNSET}y 0755 0 0\n"
		    "file /c ${ES_TEST_SRC}${ES_TEST_SRC} 0755 0 0\n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.location, "/srv/img/bin/a");
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.location, "xy");
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.location, "/srv/img/srv/img");
	lp_close(&t);
}

/* Expanded once: a value holding ${...} is not expanded again. */
static void
env_expansion_is_not_rescanned(void **state)
{
	struct lp t;

	(void)state;
	setenv("ES_TEST_OUTER", "${ES_TEST_INNER}", 1);
	setenv("ES_TEST_INNER", "inner", 1);
	lp_open(&t, "file /a ${ES_TEST_OUTER} 0755 0 0\n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.location, "${ES_TEST_INNER}");
	lp_close(&t);
}

static void
comments_blank_lines_and_lone_words_are_blank(void **state)
{
	(void)state;
	expect_status("# a comment\n", LIST_BLANK);
	expect_status("#dir /x 0755 0 0\n", LIST_BLANK);
	expect_status("\n", LIST_BLANK);
	expect_status("   \n", LIST_BLANK);
	expect_status("dir\n", LIST_BLANK);
	expect_status("word\n", LIST_BLANK);
}

static void
type_without_arguments_is_no_args(void **state)
{
	(void)state;
	expect_status("dir \n", LIST_NO_ARGS);
	expect_status("file\t\n", LIST_NO_ARGS);
}

static void
unknown_type(void **state)
{
	struct lp t;

	(void)state;
	expect_status("fifo /p 0644 0 0\n", LIST_UNKNOWN_TYPE);
	expect_status("File /p x 0644 0 0\n", LIST_UNKNOWN_TYPE);
	lp_open(&t, "bogus /p 0644 0 0\ndir /d 0755 0 0\n", true);
	assert_int_equal(lp_next(&t), LIST_UNKNOWN_TYPE);
	assert_int_equal(t.p.lineno, 1);
	/* skipped, not fatal: the next line is read */
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.p.lineno, 2);
	lp_close(&t);
}

/* The kernel program compares the line's start with the type, so an
 * indented directive is of an unknown type, and an indented lone word
 * is not blank but lacks its arguments. */
static void
indented_lines(void **state)
{
	(void)state;
	expect_status("  dir /a 0755 0 0\n", LIST_UNKNOWN_TYPE);
	expect_status("\tdir /a 0755 0 0\n", LIST_UNKNOWN_TYPE);
	expect_status("  dir\n", LIST_NO_ARGS);
	expect_status("\t\n", LIST_BLANK);
}

static void
nod_device_type_checked_outside_compat(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "nod /dev/x 0600 0 0 x 1 3\n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.devtype, 'x');
	lp_close(&t);
	lp_open(&t, "nod /dev/x 0600 0 0 x 1 3\n", false);
	assert_int_equal(lp_next(&t), LIST_BAD_VALUE);
	assert_non_null(t.it.why);
	lp_close(&t);
}

static void
too_few_fields(void **state)
{
	(void)state;
	expect_status("file /a src 0644 0\n", LIST_BAD_FIELDS);
	expect_status("dir /a 0755 0\n", LIST_BAD_FIELDS);
	expect_status("nod /a 0600 0 0 c 5\n", LIST_BAD_FIELDS);
	expect_status("slink /a b 0777 0\n", LIST_BAD_FIELDS);
	expect_status("pipe /a 0644 0\n", LIST_BAD_FIELDS);
	expect_status("sock /a\n", LIST_BAD_FIELDS);
}

static void
non_numeric_fields(void **state)
{
	(void)state;
	expect_status("dir /a 0755x 0 0\n", LIST_BAD_FIELDS);
	expect_status("dir /a 0789 0 0\n", LIST_BAD_FIELDS);
	expect_status("dir /a 0755 root 0\n", LIST_BAD_FIELDS);
	expect_status("nod /a 0600 0 0 c x 1\n", LIST_BAD_FIELDS);
	expect_status("nod /a 0600 0 0 cc 5 1\n", LIST_BAD_FIELDS);
}

static void
negative_uid_is_bad_value(void **state)
{
	struct lp t;

	(void)state;
	expect_status("dir /a 0755 -1 0\n", LIST_BAD_VALUE);
	expect_status("file /a src 0644 0 -5\n", LIST_BAD_VALUE);
	lp_open(&t, "dir /a 0755 -1 0\n", false);
	assert_int_equal(lp_next(&t), LIST_BAD_VALUE);
	assert_non_null(t.it.why);
	assert_non_null(strstr(t.it.why, "negative"));
	lp_close(&t);
}

static void
escape_040_is_a_space(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "file /my\\040file /src\\040dir/f\\\\x 0644 0 0 /hard\\011link\n"
		    "slink /l a\\040b 0777 0 0\n", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.names[0], "/my file");
	assert_string_equal(t.it.location, "/src dir/f\\x");
	assert_string_equal(t.it.names[1], "/hard\tlink");
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.target, "a b");
	lp_close(&t);
}

static void
bad_escape_is_bad_value(void **state)
{
	static const char *const lines[] = {
		"dir /a\\x 0755 0 0\n",
		"dir /a\\04 0755 0 0\n",
		"dir /a\\400 0755 0 0\n",
		"dir /a\\ 0755 0 0\n",
		"slink /l t\\q 0777 0 0\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct lp t;

		lp_open(&t, lines[i], false);
		if (lp_next(&t) != LIST_BAD_VALUE)
			fail_msg("\"%s\": expected LIST_BAD_VALUE", lines[i]);
		assert_non_null(t.it.why);
		lp_close(&t);
	}
}

static void
compat_keeps_backslashes(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "file /my\\040file src\\x 0644 0 0\n", true);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_string_equal(t.it.names[0], "/my\\040file");
	assert_string_equal(t.it.location, "src\\x");
	lp_close(&t);
}

static void
name_longer_than_path_max_is_bad_value(void **state)
{
	char *line = malloc(5000);
	struct lp t;

	(void)state;
	assert_non_null(line);
	strcpy(line, "dir /");
	memset(line + 5, 'n', 4200);
	strcpy(line + 4205, " 0755 0 0\n");
	lp_open(&t, line, true);
	assert_int_equal(lp_next(&t), LIST_BAD_VALUE);
	lp_close(&t);
	free(line);
}

static void
line_numbers_count_every_line(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "# c\n\ndir /a 0755 0 0\n", false);
	assert_int_equal(lp_next(&t), LIST_BLANK);
	assert_int_equal(lp_next(&t), LIST_BLANK);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.p.lineno, 3);
	assert_int_equal(lp_next(&t), LIST_EOF);
	lp_close(&t);
}

/* hardlink and mtime are ours: parsed outside compat, unknown in it. */
static void
hardlink_and_mtime_directives(void **state)
{
	struct lp t;

	(void)state;
	lp_open(&t, "hardlink /usr/bin/sh\\040x /bin/busybox\nmtime 1700000000\n", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_HARDLINK);
	assert_int_equal(t.it.nnames, 1);
	assert_string_equal(t.it.names[0], "/usr/bin/sh x");
	assert_string_equal(t.it.target, "/bin/busybox");
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_MTIME);
	assert_int_equal(t.it.mtime, 1700000000u);
	lp_close(&t);
	lp_open(&t, "hardlink /a /b\nmtime 5\n", true);
	assert_int_equal(lp_next(&t), LIST_UNKNOWN_TYPE);
	assert_int_equal(lp_next(&t), LIST_UNKNOWN_TYPE);
	lp_close(&t);
}

static void
hardlink_and_mtime_fields_checked(void **state)
{
	static const char *const bad_fields[] = {
		"hardlink /a\n", "hardlink /a /b /c\n", "mtime 1 2\n",
	};
	static const char *const bad_values[] = {
		"mtime -1\n", "mtime 4294967296\n", "mtime 12x\n",
		"hardlink /a\\9 /b\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad_fields) / sizeof(*bad_fields); i++) {
		struct lp t;

		lp_open(&t, bad_fields[i], false);
		if (lp_next(&t) != LIST_BAD_FIELDS)
			fail_msg("\"%s\": expected malformed", bad_fields[i]);
		lp_close(&t);
	}
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(*bad_values); i++) {
		struct lp t;

		lp_open(&t, bad_values[i], false);
		if (lp_next(&t) != LIST_BAD_VALUE)
			fail_msg("\"%s\": expected a bad value", bad_values[i]);
		lp_close(&t);
	}
}

/* program, module and firmware: ours; the program path expands. */
static void
composing_directives(void **state)
{
	struct lp t;

	(void)state;
	setenv("ES_TEST_BIN", "/usr/bin", 1);
	lp_open(&t, "program ${ES_TEST_BIN}/dash /bin/sh\nprogram /bin/x\n"
		"module virtio_blk fs-ext4 kernel/drivers/virtio/*\n"
		"firmware e100/d101m_ucode.bin\nprogram /a /b /c\n", false);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_PROGRAM);
	assert_string_equal(t.it.location, "/usr/bin/dash");
	assert_int_equal(t.it.nnames, 1);
	assert_string_equal(t.it.names[0], "/bin/sh");
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.nnames, 0);
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_MODULE);
	assert_int_equal(t.it.nnames, 3);
	assert_string_equal(t.it.names[2], "kernel/drivers/virtio/*");
	assert_int_equal(lp_next(&t), LIST_ITEM);
	assert_int_equal(t.it.kind, LK_FIRMWARE);
	assert_string_equal(t.it.names[0], "e100/d101m_ucode.bin");
	assert_int_equal(lp_next(&t), LIST_BAD_FIELDS);
	lp_close(&t);
	lp_open(&t, "program /bin/dash\nmodule ext4\nfirmware x\n", true);
	for (int i = 0; i < 3; i++)
		assert_int_equal(lp_next(&t), LIST_UNKNOWN_TYPE);
	lp_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_directive),
		cmocka_unit_test(file_hard_link_names),
		cmocka_unit_test(dir_directive),
		cmocka_unit_test(nod_directive),
		cmocka_unit_test(slink_directive),
		cmocka_unit_test(pipe_and_sock_directives),
		cmocka_unit_test(tabs_and_runs_of_spaces_separate),
		cmocka_unit_test(last_line_without_newline),
		cmocka_unit_test(location_expands_env),
		cmocka_unit_test(env_expansion_is_not_rescanned),
		cmocka_unit_test(comments_blank_lines_and_lone_words_are_blank),
		cmocka_unit_test(type_without_arguments_is_no_args),
		cmocka_unit_test(unknown_type),
		cmocka_unit_test(indented_lines),
		cmocka_unit_test(nod_device_type_checked_outside_compat),
		cmocka_unit_test(too_few_fields),
		cmocka_unit_test(non_numeric_fields),
		cmocka_unit_test(negative_uid_is_bad_value),
		cmocka_unit_test(escape_040_is_a_space),
		cmocka_unit_test(bad_escape_is_bad_value),
		cmocka_unit_test(compat_keeps_backslashes),
		cmocka_unit_test(name_longer_than_path_max_is_bad_value),
		cmocka_unit_test(line_numbers_count_every_line),
		cmocka_unit_test(hardlink_and_mtime_directives),
		cmocka_unit_test(hardlink_and_mtime_fields_checked),
		cmocka_unit_test(composing_directives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
