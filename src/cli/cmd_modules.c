/*
 * cmd_modules.c - `initramfs modules`: what modprobe would load for
 * module names, aliases and path patterns, from a modules directory's
 * index (src/kmod). --show-depends prints what `modprobe -C /dev/null
 * --show-depends` prints for each NAME in turn ("insmod PATH " and
 * "builtin NAME" lines), --once each module once: the list an image
 * gets.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "base/xalloc.h"
#include "kmod/index.h"
#include "kmod/resolve.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { OPT_MODDIR = 256, OPT_KVER, OPT_ONCE, OPT_STRICT };

static const struct opt_def modules_opts[] = {
	{ "moddir", OPT_MODDIR, "DIR", "the modules directory (holding modules.dep)" },
	{ "kver", OPT_KVER, "VERSION", "the modules of /lib/modules/VERSION" },
	{ "show-depends", 'D', NULL, "print the modules to load, as modprobe -D does" },
	{ "once", OPT_ONCE, NULL, "list each module once, across all NAMEs" },
	{ "strict-softdeps", OPT_STRICT, NULL, "a softdep naming no module is an error" },
	{ 0 },
};

static const struct cmd_def modules_cmd = {
	"modules", "[options] --show-depends NAME...",
	"Show what loading kernel modules takes, from the index depmod wrote.",
	"A NAME is a module name ('-' and '_' alike), an alias from modules.alias\n"
	"(\"fs-ext4\", \"pci:v00001AF4d00001001sv*\"), or, when it holds '/' and\n"
	"no ':', a pattern over modules.dep's paths with or without .ko*, where\n"
	"'*' also matches '/' (\"kernel/drivers/virtio/*\").\n"
	"For each NAME, --show-depends prints the lines of `modprobe -C /dev/null\n"
	"--show-depends NAME`: \"insmod PATH \" for each module to load, softdeps\n"
	"and dependencies first, and \"builtin NAME\" for modules built into the\n"
	"kernel; modprobe lists some modules more than once, and so does this\n"
	"unless --once is given. Default directory: /lib/modules/`uname -r`.\n"
	"The exit status is 1 if a NAME names nothing or the index is unusable.\n",
	modules_opts,
};

struct modules_cli {
	const char *moddir, *kver;
	bool show, once, strict;
};

static int
set_modules_opt(void *ctx, int key, const char *arg)
{
	struct modules_cli *c = ctx;

	switch (key) {
	case OPT_MODDIR: c->moddir = arg; break;
	case OPT_KVER: c->kver = arg; break;
	case 'D': c->show = true; break;
	case OPT_ONCE: c->once = true; break;
	case OPT_STRICT: c->strict = true; break;
	}
	return 0;
}

/* The moddir, absolute as modprobe prints it: cwd + "/" + a relative
 * one, as kmod's path_make_absolute_cwd makes it. */
static char *
moddir_of(const struct modules_cli *c)
{
	char cwd[PATH_MAX];
	struct utsname u;

	if (c->kver)
		return xasprintf("/lib/modules/%s", c->kver);
	if (!c->moddir)
		return uname(&u) == 0 ? xasprintf("/lib/modules/%s", u.release) : NULL;
	if (c->moddir[0] == '/')
		return xstrdup(c->moddir);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	return xasprintf("%s/%s", cwd, c->moddir);
}

static void
print_steps(const struct kmod_resolver *r, size_t from)
{
	char path[2 * PATH_MAX];

	for (size_t i = from; i < r->nsteps; i++) {
		const struct kmod_step *s = &r->steps[i];

		if (s->kind == KMOD_STEP_BUILTIN)
			printf("builtin %s\n", kmod_step_name(r->ix, s));
		else if (kmod_index_file(r->ix, s->id, path, sizeof(path)))
			printf("insmod %s \n", path);
		else
			printf("insmod %s \n", r->ix->mods[s->id].path);
	}
}

/* Resolves and prints each name; 0, or 1 if any failed. */
static int
show(struct kmod_resolver *r, char **names, int n)
{
	size_t warned = 0;
	int status = 0;

	for (int i = 0; i < n; i++) {
		size_t from = r->nsteps;

		if (kmod_resolve(r, names[i]) < 0) {
			cli_error(&modules_cmd, "%s", r->err.msg);
			es_clear(&r->err);
			status = 1;
		}
		for (; warned < r->nwarnings; warned++)
			cli_warn((void *)&modules_cmd, r->warnings[warned]);
		print_steps(r, from);
	}
	return status;
}

int
cmd_modules(int argc, char **argv)
{
	struct modules_cli c = { 0 };
	int first = opts_parse(&modules_cmd, argc, argv, set_modules_opt, &c);
	struct kmod_resolver r;
	struct kmod_index ix;
	char *moddir;
	int status;

	if (!c.show || first >= argc || (c.moddir && c.kver)) {
		cli_error(&modules_cmd, !c.show ? "nothing to do without --show-depends" :
			  first >= argc ? "expected a NAME" :
			  "--moddir and --kver exclude each other");
		fprintf(stderr, "Try 'initramfs modules --help'.\n");
		return 2;
	}
	if (!(moddir = moddir_of(&c))) {
		cli_error(&modules_cmd, "cannot tell the modules directory; give --moddir");
		return 1;
	}
	if (kmod_index_load(&ix, moddir, 0) < 0) {
		cli_error(&modules_cmd, "%s", ix.err.msg);
		kmod_index_free(&ix);
		free(moddir);
		return 1;
	}
	kmod_resolver_init(&r, &ix, (c.once ? 0 : KMOD_RESOLVE_REPEATS) |
			   (c.strict ? KMOD_RESOLVE_STRICT_SOFTDEPS : 0));
	status = show(&r, argv + first, argc - first);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(&modules_cmd, "writing the list failed");
		status = 1;
	}
	kmod_resolver_free(&r);
	kmod_index_free(&ix);
	free(moddir);
	return status;
}
