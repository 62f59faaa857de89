/* opts.c - see opts.h. */
#include "cli/opts.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define HELP_KEY 'h'

static size_t
count_opts(const struct opt_def *o)
{
	size_t n = 0;

	while (o[n].name)
		n++;
	return n;
}

void
opts_help(const struct cmd_def *cmd, FILE *f)
{
	fprintf(f, "Usage: initramfs %s %s\n%s\n\nOptions:\n", cmd->name,
		cmd->args, cmd->summary);
	for (const struct opt_def *o = cmd->opts; o->name; o++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 o->key < 256 ? "-" : "", o->key < 256 ? o->key : ' ',
			 o->key < 256 ? ", " : "  ", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s\n", o->key < 256 ? left : left + 2, o->help);
	}
	fprintf(f, "  %-26s %s\n", "-h, --help", "show this help and exit");
	if (cmd->details)
		fprintf(f, "\n%s", cmd->details);
}

int
opts_parse(const struct cmd_def *cmd, int argc, char **argv,
	   int (*set)(void *ctx, int key, const char *arg), void *ctx)
{
	size_t n = count_opts(cmd->opts);
	struct option *longs = xcalloc(n + 2, sizeof(*longs));
	char *shorts = xmalloc(3 * n + 4);
	char *s = shorts;
	int c;

	/* Stop at the first operand (sources may start with -), or hand
	 * operands over in order. */
	*s++ = cmd->operands_in_order ? '-' : '+';
	for (size_t i = 0; i < n; i++) {
		const struct opt_def *o = &cmd->opts[i];

		longs[i] = (struct option){ o->name, o->arg ? required_argument : no_argument,
					    NULL, o->key };
		if (o->key < 256) {
			*s++ = (char)o->key;
			if (o->arg)
				*s++ = ':';
		}
	}
	longs[n] = (struct option){ "help", no_argument, NULL, HELP_KEY };
	strcpy(s, "h");
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == HELP_KEY) {
			opts_help(cmd, stdout);
			exit(0);
		}
		if (c == '?' || set(ctx, c, optarg) < 0) {
			fprintf(stderr, "Try 'initramfs %s --help'.\n", cmd->name);
			exit(2);
		}
	}
	free(longs);
	free(shorts);
	return optind;
}

void
cli_error(const struct cmd_def *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "initramfs %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warn(void *cmd_def, const char *msg)
{
	const struct cmd_def *cmd = cmd_def;

	fprintf(stderr, "initramfs %s: warning: %s\n", cmd->name, msg);
}

long long
cli_number(const char *s, long long max)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	return v;
}

int
cli_member_range(const struct cmd_def *cmd, const char *arg, int *first,
		 int *last)
{
	char *dash = strchr(arg, '-');
	char *head = xstrdup(arg);
	long long a, b = -1;

	if (dash)
		head[dash - arg] = '\0';
	a = cli_number(head, INT32_MAX);
	if (dash && dash[1])
		b = cli_number(dash + 1, INT32_MAX);
	free(head);
	if (a < 0 || (dash && dash[1] && b < a)) {
		cli_error(cmd, "--member %s: expected N, N- or N-M with N <= M (members count from 0)", arg);
		return -1;
	}
	*first = (int)a;
	*last = dash ? (int)b : (int)a;
	return 0;
}

void
cli_put_name(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			printf("\\%03o", *p);
		else
			putchar(*p);
}
