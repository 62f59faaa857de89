/*
 * root-init: a test-only /sbin/init for the real root filesystem.
 *
 * When an initramfs hands over (kinit, initramfs-tools, dracut), this is
 * the program it runs as PID 1 in the real root. It reports on fd 1,
 * which the initramfs left on the console, what a boot test needs to
 * know that the hand-over happened properly, one line each:
 *
 *   ROOT-INIT: hello from the real root
 *   ROOT-ARGV: <argv[i]>          every argument, argv[0] included
 *   ROOT-MOUNT: <line>            the /proc/mounts lines mounted on "/"
 *   ROOT-MOUNTS: <line>           every other /proc/mounts line (the
 *                                 /dev /proc /sys /run moved in)
 *   ROOT-UPTIME: <seconds>        first field of /proc/uptime
 *   ROOT-FILES: <names>           the names in "/", sorted, space-separated
 *   ROOT-GREETING: <line>         the first line of /etc/greeting
 *   ROOT-END
 *
 * then syncs and powers the machine off (QEMU with -no-reboot exits).
 * /proc/uptime is read first, so the time is that of reaching init, not
 * of the console writes after it. A file that cannot be read gives a
 * line "ROOT-ERROR: <file>: <reason>" instead, and the report still
 * ends with ROOT-END.
 *
 * `root-init --print` on the host prints the same lines and exits 0,
 * without rebooting. Run as any other process but PID 1, it does that
 * too: it never powers off a machine it is not the init of.
 *
 * Limits: lines of /proc/mounts and /proc/uptime up to ROOT_LINE_MAX
 * bytes are reported whole, longer ones cut there; no kernel headers
 * (Debian's musl-gcc does not see them), only libc.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#define ROOT_LINE_MAX 1024
#define ROOT_FILE_MAX 65536	/* /proc/mounts of a boot is a few KiB */

struct text {
	char buf[ROOT_FILE_MAX];
	size_t len;
	int err;		/* errno of the failed open or read, or 0 */
};

/* read_text: the whole of PATH (up to ROOT_FILE_MAX bytes) into T. */
static void
read_text(const char *path, struct text *t)
{
	ssize_t n;
	int fd;

	t->len = 0;
	t->err = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		t->err = errno;
		return;
	}
	/* proc files come in pieces: read until end of file */
	while (t->len < sizeof(t->buf) - 1) {
		n = read(fd, t->buf + t->len, sizeof(t->buf) - 1 - t->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			t->err = errno;
			break;
		}
		if (n == 0)
			break;
		t->len += (size_t)n;
	}
	t->buf[t->len] = '\0';
	close(fd);
}

static void
say_error(const char *path, int err)
{
	dprintf(1, "ROOT-ERROR: %s: %s\n", path, strerror(err));
}

/* mount_point: the second field of a /proc/mounts line, into MP. */
static void
mount_point(const char *line, size_t len, char *mp, size_t mpsize)
{
	const char *p = memchr(line, ' ', len), *end;
	size_t n;

	mp[0] = '\0';
	if (!p)
		return;
	p++;
	end = memchr(p, ' ', len - (size_t)(p - line));
	n = end ? (size_t)(end - p) : len - (size_t)(p - line);
	if (n >= mpsize)
		n = mpsize - 1;
	memcpy(mp, p, n);
	mp[n] = '\0';
}

/* report_mounts: one pass per kind, so the root's line comes first. */
static void
report_mounts(const struct text *t, int want_root)
{
	const char *line = t->buf, *nl;
	char mp[ROOT_LINE_MAX];
	size_t len;

	while (*line) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		mount_point(line, len, mp, sizeof(mp));
		if ((strcmp(mp, "/") == 0) == want_root)
			dprintf(1, "%s %.*s\n", want_root ? "ROOT-MOUNT:" : "ROOT-MOUNTS:",
				(int)(len < ROOT_LINE_MAX ? len : ROOT_LINE_MAX), line);
		if (!nl)
			break;
		line = nl + 1;
	}
}

static int
not_dot(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static void
report_files(void)
{
	struct dirent **names;
	int n, i;

	n = scandir("/", &names, not_dot, alphasort);
	if (n < 0) {
		say_error("/", errno);
		return;
	}
	dprintf(1, "ROOT-FILES:");
	for (i = 0; i < n; i++) {
		dprintf(1, " %s", names[i]->d_name);
		free(names[i]);
	}
	dprintf(1, "\n");
	free(names);
}

/* first_line: print PREFIX and the first line of T (up to a space when
 * FIRST_FIELD), or the reason it could not be read. */
static void
first_line(const char *prefix, const char *path, struct text *t, int first_field)
{
	size_t n;

	if (t->err) {
		say_error(path, t->err);
		return;
	}
	n = strcspn(t->buf, first_field ? " \n" : "\n");
	dprintf(1, "%s %.*s\n", prefix, (int)(n < ROOT_LINE_MAX ? n : ROOT_LINE_MAX), t->buf);
}

static void
report(int argc, char **argv, struct text *uptime, struct text *scratch)
{
	int i;

	dprintf(1, "ROOT-INIT: hello from the real root\n");
	for (i = 0; i < argc; i++)
		dprintf(1, "ROOT-ARGV: %s\n", argv[i]);
	read_text("/proc/mounts", scratch);
	if (scratch->err) {
		say_error("/proc/mounts", scratch->err);
		dprintf(1, "ROOT-ERROR: /proc is not mounted in the real root\n");
	} else {
		report_mounts(scratch, 1);
		report_mounts(scratch, 0);
	}
	first_line("ROOT-UPTIME:", "/proc/uptime", uptime, 1);
	report_files();
	read_text("/etc/greeting", scratch);
	first_line("ROOT-GREETING:", "/etc/greeting", scratch, 0);
	dprintf(1, "ROOT-END\n");
}

int
main(int argc, char **argv)
{
	/* static: two buffers of 64 KiB are too much for some early stacks */
	static struct text uptime, scratch;
	int print_only = argc > 1 && strcmp(argv[1], "--print") == 0;

	read_text("/proc/uptime", &uptime);
	report(argc, argv, &uptime, &scratch);
	if (print_only || getpid() != 1)
		return 0;
	sync();
	reboot(RB_POWER_OFF);
	/* still here: PID 1 exiting panics, and panic=-1 ends QEMU too */
	dprintf(1, "ROOT-ERROR: reboot: %s\n", strerror(errno));
	return 1;
}
