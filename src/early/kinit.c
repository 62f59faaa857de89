/*
 * kinit.c - /init: from the kernel to the real root, as PID 1.
 *
 *   console, /proc /sys /dev /run  (mounts.c)
 *   the command line               (cmdline.h; /proc/cmdline, then argv)
 *   modules: /etc/modules and modules=, then coldplug (modload.h)
 *   resume=, then root=            (kinit_root.c)
 *   /dev /proc /sys /run moved into the root, then run-init
 * Each step is logged to /dev/kmsg with the time since kinit started;
 * a failed step shows what kinit saw and starts the image's shell
 * (kinit_rescue.c). break=top|modules|premount|mount|bottom stops there.
 *
 * Differences from klibc's kinit: modules, UUID=/LABEL=/PARTUUID=/
 * PARTLABEL=, rootwait, a rescue shell; no /arch.cmd, no kinit_mount=,
 * no legacy initrd or ramdisk handling. root=/dev/nfs: kinit_nfs.c.
 */
#include "early/applets.h"
#include "early/coldplug.h"
#include "early/kinit.h"
#include "early/run_init.h"
#include "early/sysfile.h"
#include "early/uevent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KINIT_MODULES_FILE "/etc/modules"
#define KINIT_MODPROBE "/sbin/modprobe"

/* /proc/cmdline, then kinit's own words; the words that are not kinit's
 * are init's arguments (the kernel passes init what it did not know). */
static void
read_params(struct kinit *k, int argc, char **argv)
{
	boot_params_init(&k->params);
	if (sysfile_read("/proc/cmdline", k->cmdline, sizeof(k->cmdline)) < 0)
		k->cmdline[0] = '\0';
	boot_params_parse(&k->params, k->cmdline);
	k->init_args = calloc((size_t)argc + 1, sizeof(char *));
	k->ninit_args = 0;
	for (int i = 1; i < argc; i++)
		if (!boot_params_apply(&k->params, argv[i]) && k->init_args)
			k->init_args[k->ninit_args++] = argv[i];
	if (k->params.quiet)
		k->log.max_level = LOG_WARN;
	if (k->params.debug)
		k->log.max_level = LOG_DEBUG;
}

/* Loads one comma or newline separated list of module requests. */
static void
load_list(struct kinit *k, char *list)
{
	char *save = NULL;

	for (char *m = strtok_r(list, ",\n", &save); m; m = strtok_r(NULL, ",\n", &save)) {
		m += strspn(m, " \t");
		if (*m && *m != '#')
			modload_request(&k->mods, m);
	}
}

static void
load_modules(struct kinit *k)
{
	char moddir[128], list[4096];
	struct utsname u;

	if (uname(&u) < 0)
		return;
	snprintf(moddir, sizeof(moddir), "/lib/modules/%s", u.release);
	if (access(moddir, F_OK) < 0) {
		log_info(&k->log, "no %s: no modules to load", moddir);
		return;
	}
	k->uevent_fd = uevent_open();
	if (k->uevent_fd < 0)
		log_warn(&k->log, "uevent socket: %s; new devices will be missed",
			 strerror(-k->uevent_fd));
	if (modload_open(&k->mods, moddir, &k->log) < 0)
		return;
	k->mods_open = true;
	modload_blacklist(&k->mods, k->params.blacklist);
	modload_params(&k->mods, k->cmdline);
	/* request_module() runs this; it is the default, said once more
	 * in case the kernel was built with another. */
	sysfile_write("/proc/sys/kernel/modprobe", KINIT_MODPROBE);
	if (sysfile_read(KINIT_MODULES_FILE, list, sizeof(list)) > 0)
		load_list(k, list);
	snprintf(list, sizeof(list), "%s", k->params.modules);
	load_list(k, list);
	kinit_break(k, BREAK_MODULES);
	log_info(&k->log, "coldplug");
	coldplug_scan(&k->mods, "/sys/devices");
	log_info(&k->log, "modules: %u loaded", k->mods.inserted);
}

/* Finds and mounts the root; the rescue shell in between tries. */
static int
mount_root(struct kinit *k)
{
	for (;;) {
		int rc = kinit_find_root(k);

		if (rc == 0) {
			kinit_break(k, BREAK_PREMOUNT);
			if ((rc = kinit_mount_root(k)) == 0)
				return 0;
		}
		if (!kinit_rescue(k, rc == -ENODEV ? "the root device did not appear" :
				  "the root could not be mounted"))
			return rc;
		kinit_drain_uevents(k);
	}
}

static void
warn_to_log(void *arg, const char *msg)
{
	log_warn(arg, "%s", msg);
}

static int
hand_over(struct kinit *k)
{
	struct es_error err = { 0 };
	char **argv = calloc((size_t)k->ninit_args + 2, sizeof(char *));
	struct run_init_opts o = {
		.newroot = KINIT_ROOT, .init = k->init, .argv = argv,
		.drop_caps = k->params.drop_caps[0] ? k->params.drop_caps : NULL,
		.warn = warn_to_log, .warn_arg = &k->log,
	};

	if (!argv)
		return -ENOMEM;
	argv[0] = k->init;
	memcpy(argv + 1, k->init_args, (size_t)k->ninit_args * sizeof(char *));
	if (k->mods_open)
		modload_close(&k->mods);
	log_info(&k->log, "starting %s", k->init);
	/* printk_devkmsg back as it was while /proc is still here; what
	 * follows goes to the console. */
	log_close(&k->log);
	kinit_move_mounts(k);
	run_init(&o, &err);
	log_err(&k->log, "run-init: %s", err.msg);
	free(argv);
	return -err.code;
}

static int
boot(struct kinit *k, int argc, char **argv)
{
	if (kinit_mount_early(k) < 0)
		return -1;
	kinit_console(k);
	log_to_kmsg(&k->log);
	read_params(k, argc, argv);
	log_info(&k->log, "earlyspace kinit " ES_VERSION);
	kinit_break(k, BREAK_TOP);
	load_modules(k);
	kinit_network(k);
	if (k->params.rootdelay_secs) {
		log_info(&k->log, "rootdelay=%u", k->params.rootdelay_secs);
		sleep(k->params.rootdelay_secs);
	}
	kinit_resume(k);
	if (mount_root(k) < 0)
		return -1;
	kinit_break(k, BREAK_MOUNT);
	if (!run_init_find(KINIT_ROOT, k->params.init[0] ? k->params.init : NULL,
			   k->init, sizeof(k->init))) {
		kinit_rescue(k, "no init on the root (init=, /sbin/init, /etc/init, /bin/init, /bin/sh)");
		return -1;
	}
	kinit_break(k, BREAK_BOTTOM);
	return hand_over(k);
}

int
kinit_main(int argc, char **argv)
{
	struct kinit k = { .uevent_fd = -1 };

	log_init(&k.log, "kinit");
	if (getpid() != 1)
		log_warn(&k.log, "not PID 1: kinit is meant to be the kernel's /init");
	boot(&k, argc, argv);
	log_err(&k.log, "boot failed");
	log_close(&k.log);
	/* PID 1 exiting makes the kernel panic; panic= then reboots. */
	return 1;
}
