/*
 * cmd_check.c - `initramfs check`: will an image boot? One line per
 * finding (or a JSON document), the exit status saying the worst:
 * 0 nothing or notes only, 1 warnings, 2 errors. The checks are
 * src/image/check.h's; doc/check.md lists the codes.
 */
#include "base/json.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/check.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

enum { OPT_RDINIT = 256, OPT_KVER, OPT_JSON };

static const struct opt_def check_opts[] = {
	{ "rdinit", OPT_RDINIT, "PATH", "the init the kernel runs (its rdinit=; default /init)" },
	{ "kver", OPT_KVER, "V", "check that every module's vermagic is kernel V's" },
	{ "json", OPT_JSON, NULL, "print a JSON document instead of lines" },
	{ 0 },
};

static const struct cmd_def check_cmd = {
	"check", "[options] IMAGE",
	"Tell whether an image ('-': standard input) will boot, without booting it.",
	"The image is unpacked in memory as the kernel unpacks it. Reported:\n"
	"errors that stop the kernel's unpacker, entries it drops or replaces\n"
	"without a word, whether /init can run (symlinks, x bit, #! interpreter,\n"
	"ELF interpreter and libraries where ld.so looks), /dev/console, module\n"
	"dependencies and, with --kver, vermagic. One line a finding:\n"
	"  IMAGE: member M, offset N: PATH: SEVERITY: message [code]\n"
	"then a count. --json: {\"image\":...,\"findings\":[{\"severity\",\"code\",\n"
	"\"member\",\"offset\",\"path\",\"message\"}],\"errors\":N,\"warnings\":N,\n"
	"\"notes\":N}. Exit status: 0 clean (notes only), 1 warnings, 2 errors.\n",
	check_opts,
};

struct check_cli {
	struct check_opts o;
	bool json;
};

static int
set_check_opt(void *ctx, int key, const char *arg)
{
	struct check_cli *c = ctx;

	if (key == OPT_RDINIT)
		c->o.rdinit = arg;
	else if (key == OPT_KVER)
		c->o.kver = arg;
	else
		c->json = true;
	return 0;
}

static void
print_lines(const char *image, const struct check_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_finding *f = &rep->v[i];

		cli_put_name(image);
		if (f->member >= 0)
			printf(": member %d, offset %llu", f->member,
			       (unsigned long long)f->offset);
		if (f->path) {
			fputs(": ", stdout);
			cli_put_name(f->path);
		}
		printf(": %s: ", check_severity_name(f->severity));
		cli_put_name(f->message);
		printf(" [%s]\n", f->code);
	}
	cli_put_name(image);
	printf(": %u error%s, %u warning%s, %u note%s\n",
	       rep->count[CHECK_ERROR], rep->count[CHECK_ERROR] == 1 ? "" : "s",
	       rep->count[CHECK_WARNING], rep->count[CHECK_WARNING] == 1 ? "" : "s",
	       rep->count[CHECK_NOTE], rep->count[CHECK_NOTE] == 1 ? "" : "s");
}

static void
print_json(const char *image, const struct check_report *rep)
{
	fputs("{\"image\":", stdout);
	json_put(stdout, image);
	fputs(",\"findings\":[", stdout);
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_finding *f = &rep->v[i];

		printf("%s{\"severity\":\"%s\",\"code\":\"%s\",", i ? "," : "",
		       check_severity_name(f->severity), f->code);
		if (f->member >= 0)
			printf("\"member\":%d,\"offset\":%llu,", f->member,
			       (unsigned long long)f->offset);
		else
			fputs("\"member\":null,\"offset\":null,", stdout);
		fputs("\"path\":", stdout);
		json_put(stdout, f->path);
		fputs(",\"message\":", stdout);
		json_put(stdout, f->message);
		putchar('}');
	}
	printf("],\"errors\":%u,\"warnings\":%u,\"notes\":%u}\n",
	       rep->count[CHECK_ERROR], rep->count[CHECK_WARNING],
	       rep->count[CHECK_NOTE]);
}

int
cmd_check(int argc, char **argv)
{
	struct check_cli c = { 0 };
	int first = opts_parse(&check_cmd, argc, argv, set_check_opt, &c);
	struct check_report rep = { 0 };
	int worst;

	if (argc - first != 1) {
		cli_error(&check_cmd, "expected one IMAGE");
		fprintf(stderr, "Try 'initramfs check --help'.\n");
		return 2;
	}
	worst = check_image(argv[first], &c.o, &rep);
	if (c.json)
		print_json(argv[first], &rep);
	else
		print_lines(argv[first], &rep);
	check_report_free(&rep);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(&check_cmd, "writing the findings failed");
		return 2;
	}
	return worst == CHECK_ERROR + 1 ? 2 : worst == CHECK_WARNING + 1 ? 1 : 0;
}
