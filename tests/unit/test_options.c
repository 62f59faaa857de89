/* test_options.c - the applets' option parser (src/early/options.c) in
 * POSIX order (run-init, nfsmount) and GNU order (modprobe). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "early/options.h"

static const struct option_def defs[] = {
	{ 'q', "quiet", NULL },
	{ 'v', NULL, NULL },
	{ 'd', "dirname", "ROOT" },
};

/* Every option as "kARG;" (k alone for a flag, ?WORD; for a bad one),
 * then "|" and the operands joined by ",". */
static void
run(const char *want, bool anywhere, int argc, char **argv)
{
	struct options o;
	char got[256] = "";
	int key;

	options_init(&o, defs, 3, argc, argv, anywhere);
	while ((key = options_next(&o)) != 0) {
		size_t n = strlen(got);

		snprintf(got + n, sizeof(got) - n, "%c%s;", key,
			 key == '?' ? o.bad : o.arg ? o.arg : "");
	}
	strcat(got, "|");
	for (int i = 0; i < o.noperands; i++) {
		strcat(got, o.operands[i]);
		if (i + 1 < o.noperands)
			strcat(got, ",");
	}
	assert_string_equal(got, want);
}

#define RUN(want, anywhere, ...) do { \
	char *argv[] = { "prog", __VA_ARGS__, NULL }; \
	run(want, anywhere, (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv); \
} while (0)

static void
posix_order(void **state)
{
	(void)state;
	RUN("q;v;dR;|a,-q", false, "-qv", "-dR", "a", "-q");
	RUN("d/x;|b", false, "-d", "/x", "b");
	RUN("q;|-v,c", false, "--quiet", "--", "-v", "c");
	RUN("d/r;d/s;|", false, "--dirname=/r", "--dirname", "/s");
	RUN("|-,x", false, "-", "x");
	RUN("q;?-qx;|y", false, "-qx", "y");
	RUN("?-d;|", false, "-d");
	RUN("?--quiet=1;|", false, "--quiet=1");
	RUN("?--nope;|", false, "--nope");
}

static void
gnu_order(void **state)
{
	(void)state;
	RUN("q;dR;v;|a,b,c", true, "a", "-q", "b", "-dR", "c", "-v");
	RUN("q;|a,-v,--x", true, "a", "-q", "--", "-v", "--x");
	RUN("d-q;|m", true, "m", "-d", "-q");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(posix_order),
		cmocka_unit_test(gnu_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
