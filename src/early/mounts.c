/*
 * mounts.c - the filesystems kinit mounts before anything else, and
 * their move into the real root before run-init (so the real init finds
 * /dev populated, as with initramfs-tools and systemd's initrd).
 */
#include "early/kinit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

struct early_mount {
	const char *target, *type, *data;
	unsigned long flags;
};

static const struct early_mount early_mounts[] = {
	{ "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV },
};

int
kinit_mount_early(struct kinit *k)
{
	for (size_t i = 0; i < sizeof(early_mounts) / sizeof(*early_mounts); i++) {
		const struct early_mount *m = &early_mounts[i];

		int err;

		if (mkdir(m->target, 0755) < 0 && (err = errno) != EEXIST) {
			log_err(&k->log, "mkdir %s: %s", m->target, strerror(err));
			return -err;
		}
		/* EBUSY: mounted already (the kernel's devtmpfs automount,
		 * or kinit run a second time from the rescue shell). */
		if (mount(m->type, m->target, m->type, m->flags, m->data) < 0 &&
		    (err = errno) != EBUSY) {
			log_err(&k->log, "mount %s on %s: %s", m->type, m->target,
				strerror(err));
			return -err;
		}
	}
	return 0;
}

/* fds 0-2 on the console: the kernel opens /dev/console for init when
 * the image has it; when it does not, devtmpfs has it now. */
void
kinit_console(struct kinit *k)
{
	int fd;

	if (fcntl(0, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0) {
		log_warn(&k->log, "/dev/console: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) < 0)
			log_warn(&k->log, "dup2 console: %s", strerror(errno));
	if (fd > 2)
		close(fd);
}

/* Each early mount goes to the same place under the root; where the
 * root has no such directory it is detached, so nothing is left behind
 * on the initramfs that run-init is about to empty. */
int
kinit_move_mounts(struct kinit *k)
{
	char target[64];
	struct stat st;

	for (size_t i = sizeof(early_mounts) / sizeof(*early_mounts); i-- > 0;) {
		const char *m = early_mounts[i].target;
		int err = 0;

		snprintf(target, sizeof(target), "%s%s", KINIT_ROOT, m);
		if (stat(target, &st) < 0)
			err = errno;
		else if (!S_ISDIR(st.st_mode))
			err = ENOTDIR;
		else if (mount(m, target, NULL, MS_MOVE, NULL) < 0)
			err = errno;
		if (!err) {
			log_debug(&k->log, "moved %s to %s", m, target);
			continue;
		}
		log_warn(&k->log, "cannot move %s to %s: %s; detaching it", m,
			 target, strerror(err));
		if (umount2(m, MNT_DETACH) < 0)
			log_warn(&k->log, "umount %s: %s", m, strerror(errno));
	}
	return 0;
}
