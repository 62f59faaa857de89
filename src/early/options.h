/*
 * options.h - the applets' command lines: getopt(3) and getopt_long(3)
 * without their globals, from one table that also lists them for
 * --help.
 *
 * Short options cluster and take their argument attached or as the next
 * word (-qv, -dROOT, -d ROOT); long ones take it after '=' or as the
 * next word (--dirname=ROOT, --dirname ROOT); "--" ends the options.
 * Two orders: POSIX's, where the first operand ends the options
 * (run-init: the init and its own arguments follow), and GNU's, where
 * operands stand anywhere (kmod's modprobe) and are gathered, in order,
 * at the front of argv.
 */
#ifndef ES_EARLY_OPTIONS_H
#define ES_EARLY_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

struct option_def {
	char key;
	const char *name;	/* the long name; NULL: none */
	const char *arg;	/* its argument's name; NULL: a flag */
};

struct options {
	const struct option_def *defs;
	size_t ndefs;
	char **argv;
	int argc;
	bool anywhere;		/* GNU order */

	const char *arg;	/* the last option's argument, or NULL */
	const char *bad;	/* the word an unknown option or a missing
				 * argument was found in */
	char **operands;	/* once options_next returned 0 */
	int noperands;

	/* private */
	int next, kept;
	const char *cluster;	/* the rest of a "-abc" word */
};

void options_init(struct options *o, const struct option_def *defs,
		  size_t ndefs, int argc, char **argv, bool anywhere);
/* The next option's key (its argument in o->arg); '?' for an unknown
 * option or a missing argument (o->bad); 0 when no option is left:
 * o->operands[0..noperands) are the operands (within argv). */
int options_next(struct options *o);
/* "  -k, --name ARG" for each option, a line each. (No descriptions:
 * the target binary's budget; doc/kinit.md has them.) */
void options_help(const struct option_def *defs, size_t ndefs, int fd);

#endif
