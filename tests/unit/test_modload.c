/* test_modload.c - modload on a small moddir written to a temporary
 * directory (empty .ko files): the plan of each request (its roots and
 * their lists, as kmod probes them), shown as modprobe shows it, and
 * dry runs, which take every step of a load but the system call:
 * missing files, failed dependencies, optional softdeps, the blacklist,
 * the command line's parameters; and coldplug over a made-up sysfs.
 * Nothing is ever inserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmtree.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "early/coldplug.h"
#include "early/log.h"
#include "early/modload.h"

/* zzc needs zzb and zza, and zzsoft before it (a softdep by alias);
 * zzd needs zzgone, whose file is missing; two patterns of "pair*"
 * name zza and zzb; hmac is built in. */
static const char *const files[][2] = {
	{ "modules.dep",
	  "kernel/zza.ko:\n"
	  "kernel/zzb.ko: kernel/zza.ko\n"
	  "kernel/zzc.ko: kernel/zzb.ko kernel/zza.ko\n"
	  "kernel/zzsoft.ko:\n"
	  "kernel/zzgone.ko:\n"
	  "kernel/zzd.ko: kernel/zzgone.ko\n"
	  "kernel/zz-dash.ko:\n" },
	{ "modules.alias",
	  "# Aliases extracted from modules themselves.\n"
	  "alias fs-zzc zzc\n"
	  "alias pair* zza\n"
	  "alias pair* zzb\n"
	  "alias dev:d* zzd\n"
	  "alias soft-alias zzsoft\n" },
	{ "modules.softdep", "softdep zzc pre: soft-alias\n" },
	{ "modules.builtin", "kernel/crypto/hmac.ko\n" },
	{ "kernel/zza.ko", "" },
	{ "kernel/zzb.ko", "" },
	{ "kernel/zzc.ko", "" },
	{ "kernel/zzsoft.ko", "" },
	{ "kernel/zzd.ko", "" },
	{ "kernel/zz-dash.ko", "" },
};

struct fix {
	char dir[256];
	struct log log;
	struct modload m;
	int show_fd, log_fd;
	char out[8192], msgs[8192];
};

static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static int
scratch(const char *dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	return fd;
}

static const char *logged(struct fix *f);

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	char sub[300];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "%s/modload.XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(sub, sizeof(sub), "%s/kernel", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		put(f->dir, files[i][0], files[i][1]);
	f->show_fd = scratch(f->dir, "show.out");
	f->log_fd = scratch(f->dir, "log.out");
	log_init(&f->log, "t");
	f->log.fd = f->log_fd;
	f->log.max_level = LOG_DEBUG;
	assert_int_equal(modload_open(&f->m, f->dir, &f->log), 0);
	f->m.show_fd = f->show_fd;
	logged(f);	/* whatever /proc/modules said */
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	modload_close(&f->m);
	close(f->show_fd);
	close(f->log_fd);
	assert_int_equal(rmtree(f->dir), 0);
	free(f);
	return 0;
}

/* What fd received since the last call, into buf (then emptied). */
static const char *
drain(int fd, char *buf, size_t size)
{
	off_t end = lseek(fd, 0, SEEK_CUR);
	ssize_t n;

	assert_true(end >= 0 && (size_t)end < size);
	n = pread(fd, buf, (size_t)end, 0);
	assert_int_equal(n, end);
	buf[n] = '\0';
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return buf;
}

static const char *
shown(struct fix *f)
{
	return drain(f->show_fd, f->out, sizeof(f->out));
}

static const char *
logged(struct fix *f)
{
	return drain(f->log_fd, f->msgs, sizeof(f->msgs));
}

/* The expected "insmod DIR/kernel/NAME.ko OPTS" lines, from "NAME OPTS"
 * lines ("builtin NAME" kept as it is). */
static const char *
insmods(struct fix *f, const char *spec, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const char *p = spec; *p;) {
		size_t n = strcspn(p, "\n");
		const char *sp = memchr(p, ' ', n);
		size_t name = sp ? (size_t)(sp - p) : n;

		if (strncmp(p, "builtin ", 8) == 0)
			len += (size_t)snprintf(buf + len, size - len, "%.*s\n", (int)n, p);
		else
			len += (size_t)snprintf(buf + len, size - len,
						"insmod %s/kernel/%.*s.ko %.*s\n", f->dir,
						(int)name, p, sp ? (int)(n - name - 1) : 0,
						sp ? sp + 1 : "");
		assert_true(len < size);
		p += n + (p[n] == '\n');
	}
	return buf;
}

#define assert_shown(f, spec) do { \
		char want_[4096]; \
		assert_string_equal(shown(f), insmods((f), (spec), want_, sizeof(want_))); \
	} while (0)

/* ---- plans, as --show-depends prints them ---- */

static void
show_depends_order(void **state)
{
	struct fix *f = *state;

	f->m.flags = MODLOAD_SHOW_DEPENDS;
	/* dependencies deepest first, then the softdep, then the module */
	assert_int_equal(modload_request(&f->m, "zzc"), 0);
	assert_shown(f, "zza \nzzb \nzzsoft \nzzc ");
	assert_int_equal(modload_request(&f->m, "fs-zzc"), 0);
	assert_shown(f, "zza \nzzb \nzzsoft \nzzc ");
	assert_int_equal(modload_request(&f->m, "hmac"), 0);
	assert_shown(f, "builtin hmac");
	/* nothing was inserted, so a second time shows the same */
	assert_int_equal(modload_request(&f->m, "zzc"), 0);
	assert_shown(f, "zza \nzzb \nzzsoft \nzzc ");
	assert_int_equal(f->m.inserted, 0);
}

/* An alias naming a module and its own dependency: both are roots,
 * each probed in turn, as kmod does (zza shows twice). */
static void
alias_roots_each_probed(void **state)
{
	struct fix *f = *state;

	f->m.flags = MODLOAD_SHOW_DEPENDS;
	assert_int_equal(modload_request(&f->m, "pairX"), 0);
	assert_shown(f, "zza \nzza \nzzb ");
	/* a dry run inserts each once */
	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW;
	assert_int_equal(modload_request(&f->m, "pairX"), 2);
	assert_shown(f, "zza \nzzb ");
}

static void
unknown_request(void **state)
{
	struct fix *f = *state;

	f->m.flags = MODLOAD_DRY_RUN;
	assert_int_equal(modload_request(&f->m, "nosuch"), -ENOENT);
	assert_true(f->m.unknown);
	assert_string_equal(logged(f), "");
	assert_int_equal(modload_request(&f->m, "zza"), 1);
	assert_false(f->m.unknown);
}

/* ---- dry runs: every step but the system call ---- */

static void
dry_run_inserts_once(void **state)
{
	struct fix *f = *state;

	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW;
	assert_int_equal(modload_request(&f->m, "fs-zzc"), 4);
	assert_shown(f, "zza \nzzb \nzzsoft \nzzc ");
	assert_int_equal(modload_request(&f->m, "zzc"), 0);
	assert_int_equal(modload_request(&f->m, "zzb"), 0);
	assert_shown(f, "");
	assert_int_equal(f->m.inserted, 4);
	assert_int_equal(f->m.failed, 0);
	assert_int_equal(modload_request(&f->m, "hmac"), 0);
	assert_shown(f, "");
}

/* zzd's dependency has no file: zzd is not tried, the request fails
 * with the reason, logged with the path; asked again, it fails at once. */
static void
missing_file_fails_dependents(void **state)
{
	struct fix *f = *state;
	char path[512];

	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW;
	assert_int_equal(modload_request(&f->m, "zzd"), -ENOENT);
	assert_false(f->m.unknown);
	assert_shown(f, "zzgone ");
	snprintf(path, sizeof(path), "t: cannot open %s/kernel/zzgone.ko: %s\n",
		 f->dir, strerror(ENOENT));
	assert_string_equal(logged(f), path);
	assert_int_equal(modload_request(&f->m, "dev:d1"), -ENOENT);
	assert_shown(f, "");
	assert_int_equal(f->m.inserted, 0);
}

/* A softdep whose module cannot load is only logged (at info level,
 * "optional"); the module it was for still loads. */
static void
softdep_failure_optional(void **state)
{
	struct fix *f = *state;
	char path[512];

	snprintf(path, sizeof(path), "%s/kernel/zzsoft.ko", f->dir);
	assert_int_equal(unlink(path), 0);
	f->m.flags = MODLOAD_DRY_RUN;
	f->log.max_level = LOG_INFO;
	assert_int_equal(modload_request(&f->m, "zzc"), 3);
	assert_non_null(strstr(logged(f), "zzsoft.ko: No such file or directory (optional)"));
	assert_int_equal(f->m.failed, 1);
	/* asked for itself, it fails, without trying (or saying) it again */
	assert_int_equal(modload_request(&f->m, "soft-alias"), -ENOENT);
	assert_string_equal(logged(f), "");
}

/* The blacklist stops a module an alias reaches, not one named (unless
 * MODLOAD_BLACKLIST_ALL), nor a dependency. */
static void
blacklist_aliases_only(void **state)
{
	struct fix *f = *state;

	modload_params(&f->m, "root=/dev/vda modprobe.blacklist=zza,zz-dash");
	f->m.flags = MODLOAD_SHOW_DEPENDS;
	assert_int_equal(modload_request(&f->m, "pairX"), 0);
	assert_shown(f, "zza \nzzb ");
	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW | MODLOAD_BLACKLIST_ALL;
	assert_int_equal(modload_request(&f->m, "zz_dash"), 0);
	assert_shown(f, "");
	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW;
	assert_int_equal(modload_request(&f->m, "zz_dash"), 1);
	assert_shown(f, "zz-dash ");
	assert_int_equal(modload_request(&f->m, "pairX"), 2);
	assert_shown(f, "zza \nzzb ");
}

/* "MODULE.KEY=VALUE" words of the command line, '-' read as '_',
 * quoted values quoted again for the kernel, none after "--"; then the
 * request's own options. */
static void
command_line_parameters(void **state)
{
	struct fix *f = *state;
	char *words[] = { "x=1", "y=a b", "z=\"c d\"", "flag" };
	char *opts = modload_join_options(words, 4);

	assert_string_equal(opts, "x=1 y=\"a b\" z=\"c d\" flag");
	modload_params(&f->m, "BOOT_IMAGE=/boot/vmlinuz-6.1 quiet zzc.opt=1 "
		       "zz-dash.k=v zzc.str=\"x y\" .bad=1 zzc. -- zzc.after=no");
	f->m.flags = MODLOAD_SHOW_DEPENDS;
	assert_int_equal(modload_request_options(&f->m, "zzc", opts), 0);
	assert_shown(f, "zza \nzzb \nzzsoft \nzzc opt=1 str=\"x y\" x=1 y=\"a b\" z=\"c d\" flag");
	assert_int_equal(modload_request(&f->m, "zz_dash"), 0);
	assert_shown(f, "zz-dash k=v");
	free(opts);
}

static void
remove_refusals(void **state)
{
	struct fix *f = *state;

	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW;
	assert_int_equal(modload_remove(&f->m, "hmac"), -EPERM);
	assert_non_null(strstr(logged(f), "hmac is built into the kernel"));
	/* not in the kernel: nothing to do */
	assert_int_equal(modload_remove(&f->m, "zzc"), 0);
	assert_int_equal(modload_remove(&f->m, "nosuch"), -ENOENT);
	assert_true(f->m.unknown);
	assert_shown(f, "");
}

/* A made-up /sys/devices: modalias files at several depths, one alias
 * twice, one matching nothing, and a directory reached only through a
 * symbolic link (a loop back up, and one to the outside), which the
 * walk must not follow. */
static void
coldplug_walk(void **state)
{
	static const char *const dirs[] = {
		"sys", "sys/devices", "sys/devices/pci0", "sys/devices/pci0/dev1",
		"sys/devices/pci0/dev2", "sys/devices/pci0/dev2/sub",
		"sys/devices/virtual", "outside",
	};
	static const char *const aliases[][2] = {
		{ "sys/devices/pci0/dev1/modalias", "fs-zzc\n" },
		{ "sys/devices/pci0/dev2/modalias", "fs-zzc\n" },
		{ "sys/devices/pci0/dev2/sub/modalias", "pairZ\n" },
		{ "sys/devices/virtual/modalias", "nomatch:x\n" },
		{ "outside/modalias", "zz-dash\n" },
	};
	struct fix *f = *state;
	char path[512], target[512];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		put(f->dir, aliases[i][0], aliases[i][1]);
	snprintf(path, sizeof(path), "%s/sys/devices/pci0/dev1/up", f->dir);
	assert_int_equal(symlink("..", path), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/out", f->dir);
	snprintf(target, sizeof(target), "%s/outside", f->dir);
	assert_int_equal(symlink(target, path), 0);
	f->m.flags = MODLOAD_DRY_RUN | MODLOAD_SHOW;
	snprintf(path, sizeof(path), "%s/sys/devices", f->dir);
	assert_int_equal(coldplug_scan(&f->m, path), 4);
	assert_shown(f, "zza \nzzb \nzzsoft \nzzc ");
	assert_null(strstr(logged(f), "nomatch"));
	snprintf(path, sizeof(path), "%s/sys/nothing", f->dir);
	assert_int_equal(coldplug_scan(&f->m, path), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(show_depends_order, setup, teardown),
		cmocka_unit_test_setup_teardown(alias_roots_each_probed, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_request, setup, teardown),
		cmocka_unit_test_setup_teardown(dry_run_inserts_once, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_file_fails_dependents, setup, teardown),
		cmocka_unit_test_setup_teardown(softdep_failure_optional, setup, teardown),
		cmocka_unit_test_setup_teardown(blacklist_aliases_only, setup, teardown),
		cmocka_unit_test_setup_teardown(command_line_parameters, setup, teardown),
		cmocka_unit_test_setup_teardown(remove_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(coldplug_walk, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
