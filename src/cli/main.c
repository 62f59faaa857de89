/*
 * main.c - `initramfs <command>`; the same program answers as
 * `gen_init_cpio` when run under that name.
 */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "build", cmd_build, "write an image from directories, list files and images" },
	{ "list", cmd_list, "list an image's entries (-l long, --spec a list file)" },
	{ "extract", cmd_extract, "unpack an image into a directory as the kernel would" },
	{ "info", cmd_info, "describe an image's members: format, offset, sizes, entries" },
	{ "check", cmd_check, "tell whether an image will boot: losses, /init, libraries, modules" },
	{ "diff", cmd_diff, "compare the trees two images unpack to (and their members)" },
	{ "modules", cmd_modules, "show what loading kernel modules takes (modprobe -D)" },
};

static void
usage(FILE *f)
{
	fprintf(f, "Usage: initramfs COMMAND [options] ...\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'initramfs COMMAND --help' describes each command.\n"
		   "Run as 'gen_init_cpio', this program is the kernel's gen_init_cpio.\n");
}

/* The name the program was run under, without its directory. */
static const char *
run_name(int argc, char **argv)
{
	const char *slash;

	if (argc < 1)
		return "";
	slash = strrchr(argv[0], '/');
	return slash ? slash + 1 : argv[0];
}

int
main(int argc, char **argv)
{
	if (strcmp(run_name(argc, argv), "gen_init_cpio") == 0)
		return gen_init_cpio_main(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("initramfs (earlyspace) %s\n", ES_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "initramfs: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
