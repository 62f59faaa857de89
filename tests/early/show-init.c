/*
 * show-init.c - the init that tests/early/run-init.t starts through
 * run-init: it reports what it was given, then exits 0.
 *
 * The report goes to fd 3 when the test opened one (run-init passes the
 * caller's fds on; 0/1/2 may be the console it reopened), else to
 * stdout, one "key: value" line each: argv (joined by '|'), cwd, what
 * fds 0-2 are, CapBnd/CapEff/CapInh/CapAmb from /proc/self/status, and
 * the names in "/" (sorted).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
show_fds(int out)
{
	char link[32], target[PATH_MAX];

	for (int fd = 0; fd < 3; fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		dprintf(out, "fd%d: %s\n", fd, n < 0 ? "closed" : target);
	}
}

static void
show_caps(int out)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f) {
		dprintf(out, "caps: no /proc/self/status\n");
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Cap", 3) == 0)
			dprintf(out, "%s", line);
	fclose(f);
}

static void
show_root(int out)
{
	struct dirent **names;
	int n = scandir("/", &names, NULL, alphasort);

	dprintf(out, "root:");
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			dprintf(out, " %s", names[i]->d_name);
		free(names[i]);
	}
	dprintf(out, "\n");
	if (n >= 0)
		free(names);
}

int
main(int argc, char **argv)
{
	int out = fcntl(3, F_GETFD) >= 0 ? 3 : 1;
	char cwd[PATH_MAX];

	dprintf(out, "argv:");
	for (int i = 0; i < argc; i++)
		dprintf(out, "%s%s", i ? "|" : " ", argv[i]);
	dprintf(out, "\ncwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	show_fds(out);
	show_caps(out);
	show_root(out);
	return 0;
}
