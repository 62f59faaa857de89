/* test_boot_params.c - the kernel command line as kinit reads it
 * (src/early/cmdline.c) and what root= names (src/early/rootspec.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "early/cmdline.h"
#include "early/rootspec.h"

static void
words_split_as_the_kernel_splits(void **state)
{
	const char *pos = "  root=/dev/vda1 rootflags=\"data=journal,x=a b\"\t\"init=/my init\" -- single x";
	char w[64];

	(void)state;
	assert_true(cmdline_next_word(&pos, w, sizeof(w)));
	assert_string_equal(w, "root=/dev/vda1");
	assert_true(cmdline_next_word(&pos, w, sizeof(w)));
	assert_string_equal(w, "rootflags=data=journal,x=a b");
	assert_true(cmdline_next_word(&pos, w, sizeof(w)));
	assert_string_equal(w, "init=/my init");
	assert_false(cmdline_next_word(&pos, w, sizeof(w)));	/* "--" */
	assert_true(cmdline_next_word(&pos, w, sizeof(w)));
	assert_string_equal(w, "single");
}

static void
long_word_is_cut_not_overrun(void **state)
{
	const char *pos = "abcdefghij k";
	char w[5];

	(void)state;
	assert_true(cmdline_next_word(&pos, w, sizeof(w)));
	assert_string_equal(w, "abcd");
	assert_true(cmdline_next_word(&pos, w, sizeof(w)));
	assert_string_equal(w, "k");
	assert_false(cmdline_next_word(&pos, w, sizeof(w)));
}

static void
last_occurrence_wins(void **state)
{
	struct boot_params p;

	(void)state;
	boot_params_init(&p);
	boot_params_parse(&p, "root=/dev/sda1 ro root=UUID=abc rw rootfstype=xfs "
			  "rootfstype=ext4 panic=5 quiet");
	assert_string_equal(p.root, "UUID=abc");
	assert_string_equal(p.rootfstype, "ext4");
	assert_true(p.read_write);
	assert_int_equal(p.panic_secs, 5);
	assert_true(p.quiet);
	boot_params_parse(&p, "ro");
	assert_false(p.read_write);
}

static void
rootwait_forms(void **state)
{
	struct boot_params p;

	(void)state;
	boot_params_init(&p);
	assert_false(p.rootwait);
	boot_params_parse(&p, "rootwait=5");
	assert_true(p.rootwait);
	assert_int_equal(p.rootwait_secs, 5);
	boot_params_parse(&p, "rootwait");
	assert_int_equal(p.rootwait_secs, 0);
	boot_params_parse(&p, "rootdelay=3");
	assert_int_equal(p.rootdelay_secs, 3);
}

static void
lists_accumulate(void **state)
{
	struct boot_params p;

	(void)state;
	boot_params_init(&p);
	boot_params_parse(&p, "modules=a,b modprobe.blacklist=x modules=c "
			  "module_blacklist=y");
	assert_string_equal(p.modules, "a,b,c");
	assert_string_equal(p.blacklist, "x,y");
}

static void
resume_and_break(void **state)
{
	struct boot_params p;

	(void)state;
	boot_params_init(&p);
	boot_params_parse(&p, "resume=UUID=1-2 resume_offset=0x100 break=mount");
	assert_string_equal(p.resume, "UUID=1-2");
	assert_int_equal(p.resume_offset, 256);
	assert_int_equal(p.break_at, BREAK_MOUNT);
	boot_params_parse(&p, "break");
	assert_int_equal(p.break_at, BREAK_PREMOUNT);
	boot_params_parse(&p, "break=nonsense noresume kinit.debug");
	assert_int_equal(p.break_at, BREAK_NONE);
	assert_true(p.noresume);
	assert_true(p.debug);
}

static void
unknown_words_are_not_ours(void **state)
{
	struct boot_params p;

	(void)state;
	boot_params_init(&p);
	assert_false(boot_params_apply(&p, "single"));
	assert_false(boot_params_apply(&p, "console=ttyS0"));
	assert_true(boot_params_apply(&p, "init=/sbin/init"));
	assert_string_equal(p.init, "/sbin/init");
	/* the kernel stops at "--": what follows is init's */
	boot_params_parse(&p, "root=/dev/a -- root=/dev/b");
	assert_string_equal(p.root, "/dev/a");
}

static void
rootspec_forms(void **state)
{
	struct rootspec r;

	(void)state;
	assert_true(rootspec_parse(&r, "/dev/vda2"));
	assert_int_equal(r.kind, ROOT_NAME);
	assert_string_equal(r.value, "vda2");
	assert_true(rootspec_parse(&r, "254:2"));
	assert_int_equal(r.kind, ROOT_DEVNUM);
	assert_int_equal(r.major, 254);
	assert_int_equal(r.minor, 2);
	assert_true(rootspec_parse(&r, "0801"));
	assert_int_equal(r.kind, ROOT_DEVNUM);
	assert_int_equal(r.major, 8);
	assert_int_equal(r.minor, 1);
	assert_true(rootspec_parse(&r, "0x10302"));
	assert_int_equal(r.major, 259);
	assert_int_equal(r.minor, 2);
	assert_true(rootspec_parse(&r, "UUID=AbC-1"));
	assert_int_equal(r.kind, ROOT_UUID);
	assert_true(rootspec_parse(&r, "/dev/disk/by-label/root"));
	assert_int_equal(r.kind, ROOT_LABEL);
	assert_string_equal(r.value, "root");
	assert_true(rootspec_parse(&r, "PARTUUID=1234abcd-02/PARTNROFF=-1"));
	assert_int_equal(r.kind, ROOT_PARTUUID);
	assert_string_equal(r.value, "1234abcd-02");
	assert_int_equal(r.partnroff, -1);
	assert_true(rootspec_parse(&r, "PARTLABEL=my root"));
	assert_int_equal(r.kind, ROOT_PARTLABEL);
	assert_true(rootspec_parse(&r, "/dev/nfs"));
	assert_int_equal(r.kind, ROOT_NFS);
}

static void
rootspec_malformed(void **state)
{
	struct rootspec r;

	(void)state;
	assert_false(rootspec_parse(&r, ""));
	assert_false(rootspec_parse(&r, "UUID="));
	assert_false(rootspec_parse(&r, "8:x"));
	assert_false(rootspec_parse(&r, "PARTUUID=ab/PARTNROFF=z"));
	assert_int_equal(r.kind, ROOT_NONE);
}

static void
rootspec_matching(void **state)
{
	struct blockdev bd = { .name = "vda2", .major = 254, .minor = 2, .partn = 2 };
	struct rootspec r;

	(void)state;
	strcpy(bd.fs.uuid, "0a1b-2c");
	strcpy(bd.fs.label, "Root");
	strcpy(bd.partuuid, "11111111-02");
	strcpy(bd.partlabel, "system");
	rootspec_parse(&r, "UUID=0A1B-2C");
	assert_true(rootspec_match(&r, &bd));
	rootspec_parse(&r, "LABEL=root");	/* labels keep their case */
	assert_false(rootspec_match(&r, &bd));
	rootspec_parse(&r, "PARTUUID=11111111-02");
	assert_true(rootspec_match(&r, &bd));
	rootspec_parse(&r, "PARTLABEL=system");
	assert_true(rootspec_match(&r, &bd));
	rootspec_parse(&r, "vda2");
	assert_true(rootspec_match(&r, &bd));
	rootspec_parse(&r, "254:3");
	assert_false(rootspec_match(&r, &bd));
	bd.fs.uuid[0] = '\0';
	rootspec_parse(&r, "UUID=0a1b-2c");
	assert_false(rootspec_match(&r, &bd));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_split_as_the_kernel_splits),
		cmocka_unit_test(long_word_is_cut_not_overrun),
		cmocka_unit_test(last_occurrence_wins),
		cmocka_unit_test(rootwait_forms),
		cmocka_unit_test(lists_accumulate),
		cmocka_unit_test(resume_and_break),
		cmocka_unit_test(unknown_words_are_not_ours),
		cmocka_unit_test(rootspec_forms),
		cmocka_unit_test(rootspec_malformed),
		cmocka_unit_test(rootspec_matching),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
