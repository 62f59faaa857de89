/* options.c - see options.h. */
#include "early/options.h"

#include <stdio.h>
#include <string.h>

void
options_init(struct options *o, const struct option_def *defs, size_t ndefs,
	     int argc, char **argv, bool anywhere)
{
	memset(o, 0, sizeof(*o));
	o->defs = defs;
	o->ndefs = ndefs;
	o->argc = argc;
	o->argv = argv;
	o->anywhere = anywhere;
	o->next = o->kept = 1;
}

/* By key, or by long name when name is not NULL. */
static const struct option_def *
find(const struct options *o, char key, const char *name, size_t len)
{
	for (size_t i = 0; i < o->ndefs; i++) {
		const struct option_def *d = &o->defs[i];

		if (name ? d->name && strlen(d->name) == len &&
			   memcmp(d->name, name, len) == 0 : d->key == key)
			return d;
	}
	return NULL;
}

/* The operands from o->next on, after those kept in GNU order. */
static int
finish(struct options *o)
{
	if (o->anywhere) {
		while (o->next < o->argc)
			o->argv[o->kept++] = o->argv[o->next++];
		o->operands = o->argv + 1;
		o->noperands = o->kept - 1;
	} else {
		o->operands = o->argv + o->next;
		o->noperands = o->argc - o->next;
	}
	return 0;
}

static int
bad(struct options *o)
{
	o->bad = o->argv[o->next - 1];
	o->cluster = NULL;
	return '?';
}

/* An option's argument from the next word; false when there is none. */
static bool
next_word(struct options *o)
{
	if (o->next >= o->argc)
		return false;
	o->arg = o->argv[o->next++];
	return true;
}

static int
short_option(struct options *o)
{
	const struct option_def *d = find(o, *o->cluster++, NULL, 0);

	if (!d)
		return bad(o);
	if (d->arg) {
		if (*o->cluster)
			o->arg = o->cluster;	/* -dROOT */
		else if (!next_word(o))
			return bad(o);
		o->cluster = NULL;
	}
	return d->key;
}

static int
long_option(struct options *o, const char *w)
{
	const char *eq = strchr(w, '=');
	const struct option_def *d = find(o, 0, w, eq ? (size_t)(eq - w) : strlen(w));

	if (!d || (eq && !d->arg))
		return bad(o);
	if (eq)
		o->arg = eq + 1;
	else if (d->arg && !next_word(o))
		return bad(o);
	return d->key;
}

int
options_next(struct options *o)
{
	o->arg = NULL;
	if (o->cluster && *o->cluster)
		return short_option(o);
	while (o->next < o->argc) {
		const char *w = o->argv[o->next];

		if (strcmp(w, "--") == 0) {
			o->next++;
			return finish(o);
		}
		if (w[0] != '-' || !w[1]) {
			if (!o->anywhere)
				return finish(o);
			o->argv[o->kept++] = o->argv[o->next++];
			continue;
		}
		o->next++;
		if (w[1] == '-')
			return long_option(o, w + 2);
		o->cluster = w + 1;
		return short_option(o);
	}
	return finish(o);
}

void
options_help(const struct option_def *defs, size_t ndefs, int fd)
{
	for (size_t i = 0; i < ndefs; i++)
		dprintf(fd, "  -%c%s%s%s%s\n", defs[i].key,
			defs[i].name ? ", --" : "", defs[i].name ? defs[i].name : "",
			defs[i].arg ? " " : "", defs[i].arg ? defs[i].arg : "");
}
