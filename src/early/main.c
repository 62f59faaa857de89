/*
 * main.c - one static binary, several programs: the name it runs as
 * picks one (busybox's way, so the image holds one file and links).
 * "init" is kinit as the kernel starts it; any other name is looked up
 * as given, and `kinit APPLET ARGS` (or the binary under any unknown
 * name) runs an applet by its first argument.
 */
#include "early/applets.h"

#include <stdio.h>
#include <string.h>

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
};

static const struct applet applets[] = {
	{ "init", kinit_main },
	{ "kinit", kinit_main },
	{ "run-init", run_init_main },
	{ "fstype", fstype_main },
	{ "modprobe", modprobe_main },
	{ "resume", resume_main },
	{ "nfsmount", nfsmount_main },
	{ "ipconfig", ipconfig_main },
};

static const struct applet *
find_applet(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;

	for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++)
		if (strcmp(applets[i].name, name) == 0)
			return &applets[i];
	return NULL;
}

static int
usage(const char *self)
{
	dprintf(2, "usage: %s APPLET [ARG...]\napplets:", self);
	for (size_t i = 1; i < sizeof(applets) / sizeof(applets[0]); i++)
		dprintf(2, " %s%s", applets[i].name,
			i + 1 < sizeof(applets) / sizeof(applets[0]) ? "" : "\n");
	return 1;
}

int
main(int argc, char **argv)
{
	const struct applet *a = argc > 0 ? find_applet(argv[0]) : NULL;
	const struct applet *sub = argc > 1 ? find_applet(argv[1]) : NULL;

	/* `kinit fstype DEV` as well as `fstype DEV` */
	if (sub && (!a || (a->main == kinit_main && strcmp(argv[1], "init") != 0)))
		return sub->main(argc - 1, argv + 1);
	if (a)
		return a->main(argc, argv);
	return usage(argc > 0 ? argv[0] : "kinit");
}
