/*
 * kinit_rescue.c - when a step fails, or break= asks: say what kinit
 * saw, then give the console to the image's shell (busybox or dash,
 * added by the builder). Without a shell kinit returns and exits, and
 * the kernel's panic= decides what happens next.
 */
#include "early/devfind.h"
#include "early/kinit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define KINIT_SHELL "/bin/sh"

static int
list_one(void *ctx, const char *name)
{
	struct kinit *k = ctx;
	struct blockdev bd;
	char where[BLOCKDEV_NAME_MAX + 32] = "";

	if (blockdev_read(&bd, DEVFIND_SYSFS, name) < 0)
		return 0;
	blockdev_probe(&bd, DEVFIND_DEV, BLOCKDEV_NEED_FS | BLOCKDEV_NEED_PART);
	if (bd.partn)
		snprintf(where, sizeof(where), " partition %u of %s", bd.partn, bd.parent);
	log_err(&k->log, "  /dev/%s %u:%u%s %llu bytes: TYPE=%s UUID=%s LABEL=\"%s\"%s%s%s%s%s",
		bd.name, bd.major, bd.minor, where, (unsigned long long)bd.size,
		bd.fs.type[0] ? bd.fs.type : "unknown", bd.fs.uuid, bd.fs.label,
		bd.partuuid[0] ? " PARTUUID=" : "", bd.partuuid,
		bd.partlabel[0] ? " PARTLABEL=\"" : "", bd.partlabel,
		bd.partlabel[0] ? "\"" : "");
	return 0;
}

void
kinit_list_devices(struct kinit *k)
{
	int rc;

	log_err(&k->log, "block devices:");
	if ((rc = blockdev_each(DEVFIND_SYSFS, list_one, k)) < 0)
		log_err(&k->log, "  %s: %s", DEVFIND_SYSFS, strerror(-rc));
}

static void
diagnose(struct kinit *k, const char *why)
{
	const struct rootspec *r = &k->root;

	log_err(&k->log, "%s", why);
	if (k->params.root[0])
		log_err(&k->log, "root=%s read as %s %s%s", k->params.root,
			rootspec_kind_name(r->kind), r->value,
			r->kind == ROOT_NONE ? "(not understood)" : "");
	kinit_list_devices(k);
	if (k->mods_open)
		log_err(&k->log, "modules loaded by kinit: %u", k->mods.inserted);
}

/* Runs the shell on the console as its controlling terminal, so ^C
 * works; returns when it exits. */
static bool
run_shell(struct kinit *k)
{
	pid_t pid;
	int status;

	if (access(KINIT_SHELL, X_OK) < 0)
		return false;
	log_err(&k->log, "starting %s; exit it to go on", KINIT_SHELL);
	/* _Fork: kinit has one thread and no atfork handlers, so fork's
	 * locking (and the 1.5 KiB it links) buys nothing. */
	pid = _Fork();
	if (pid < 0) {
		log_err(&k->log, "fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		setsid();
		ioctl(0, TIOCSCTTY, 1);
		execv(KINIT_SHELL, (char *[]){ "sh", NULL });
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return true;
}

bool
kinit_rescue(struct kinit *k, const char *why)
{
	diagnose(k, why);
	if (run_shell(k))
		return true;
	log_err(&k->log, "no %s in the image for a rescue shell (add one: --program /bin/busybox=/bin/sh); "
		"giving up, panic=%d decides", KINIT_SHELL, k->params.panic_secs);
	return false;
}

void
kinit_break(struct kinit *k, enum break_point at)
{
	if (k->params.break_at != at)
		return;
	log_err(&k->log, "break=%s", break_point_name(at));
	if (!run_shell(k))
		log_err(&k->log, "break=%s: no %s in the image; going on",
			break_point_name(at), KINIT_SHELL);
}
