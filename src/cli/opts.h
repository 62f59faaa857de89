/*
 * opts.h - one option table per command feeds getopt_long and --help,
 * so what a command accepts and what it says it accepts cannot drift.
 */
#ifndef ES_CLI_OPTS_H
#define ES_CLI_OPTS_H

#include <stdbool.h>
#include <stdio.h>

struct opt_def {
	const char *name;	/* long name, without "--" */
	int key;		/* short letter, or a value >= 256 */
	const char *arg;	/* placeholder; NULL for a flag */
	const char *help;
};

struct cmd_def {
	const char *name;	/* "build" */
	const char *args;	/* "[options] SOURCE..." */
	const char *summary;	/* one line */
	const char *details;	/* paragraphs after the options, or NULL */
	const struct opt_def *opts;	/* ends with { 0 } */
	/* Operands reach set() as OPT_OPERAND, in order among the options
	 * (for options that apply to the operands after them). */
	bool operands_in_order;
};

#define OPT_OPERAND 1

/* Parses options, calling set(ctx, key, arg) for each; -h/--help prints
 * help and exits 0; a bad option prints a hint and exits 2. Returns the
 * index of the first operand (with operands_in_order: of the first
 * operand after "--"). */
int opts_parse(const struct cmd_def *cmd, int argc, char **argv,
	       int (*set)(void *ctx, int key, const char *arg), void *ctx);
void opts_help(const struct cmd_def *cmd, FILE *f);

/* A name from an image on stdout, its bytes as they are but control
 * characters and '\' as \ooo: one name stays one line. */
void cli_put_name(const char *s);

/* "initramfs <cmd>: " + message, to stderr. */
void cli_error(const struct cmd_def *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_warn(void *cmd_def, const char *msg);
/* Parses a whole non-negative decimal number up to max; -1 if not. */
long long cli_number(const char *s, long long max);
/* --member's argument: N, N- or N-M (from 0) into *first and *last
 * (-1: to the end). Prints the error itself; returns 0 or -1. */
int cli_member_range(const struct cmd_def *cmd, const char *arg, int *first,
		     int *last);

/* The option every image reader takes. */
#define OPT_MEMBER_DEF(key) \
	{ "member", key, "N[-[M]]", "only member N, members N to M, or N to the last" }

#endif
