/*
 * kinit_root.c - finding the root device and mounting it.
 *
 * The wait is driven by uevents, never by sleeping: the socket is open
 * before the first module is loaded, so every device is either in
 * /sys/class/block when it is scanned or announced on the socket after.
 * While waiting, the modules that new devices ask for are loaded
 * (virtio_pci's devices bring virtio_blk, whose disks bring nothing).
 */
#include "early/devfind.h"
#include "early/kinit.h"
#include "early/clock.h"
#include "early/resume.h"
#include "early/sysfile.h"
#include "early/uevent.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

/* One uevent: the module a new device asks for; a new block device is
 * considered. */
static void
handle_uevent(struct kinit *k, const struct uevent *ev, struct devfind *f)
{
	if (!ev->action || strcmp(ev->action, "add") != 0)
		return;
	if (ev->modalias && k->mods_open)
		modload_request(&k->mods, ev->modalias);
	if (f && !f->have && ev->subsystem && strcmp(ev->subsystem, "block") == 0 &&
	    ev->devname) {
		log_debug(&k->log, "block device %s appeared", ev->devname);
		devfind_consider(f, ev->devname);
	}
}

static void
drain(struct kinit *k, struct devfind *f)
{
	struct uevent ev;

	while ((!f || !f->have) && uevent_read(k->uevent_fd, &ev) > 0)
		handle_uevent(k, &ev, f);
}

void
kinit_drain_uevents(struct kinit *k)
{
	if (k->uevent_fd >= 0)
		drain(k, NULL);
}

bool
kinit_wait_device(struct kinit *k, const struct rootspec *spec,
		  unsigned timeout_secs, struct blockdev *found)
{
	struct devfind f;
	long long end = clock_ms() + (long long)timeout_secs * 1000;

	devfind_init(&f, spec, found);
	if (k->uevent_fd >= 0)
		drain(k, NULL);		/* modules first: fewer devices to probe twice */
	devfind_scan(&f);
	while (!f.have && k->uevent_fd >= 0) {
		long long left = timeout_secs ? end - clock_ms() : -1;
		struct pollfd p = { .fd = k->uevent_fd, .events = POLLIN };

		if (timeout_secs && left <= 0)
			break;
		if (poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left) < 0 &&
		    errno != EINTR)
			break;
		drain(k, &f);
	}
	return f.have;
}

/* The wait's length: rootwait=N, rootwait (forever), else the default. */
unsigned
kinit_root_timeout(const struct boot_params *p)
{
	if (p->rootwait)
		return p->rootwait_secs;
	return KINIT_ROOT_WAIT_DEFAULT;
}

/* root=/dev/nfs, or nfsroot= alone, as the kernel takes them. */
bool
kinit_root_is_nfs(const struct boot_params *p)
{
	return p->root[0] ? strcmp(p->root, "/dev/nfs") == 0 : p->nfsroot[0] != '\0';
}

int
kinit_find_root(struct kinit *k)
{
	const struct boot_params *p = &k->params;
	unsigned secs = kinit_root_timeout(p);

	if (kinit_root_is_nfs(p)) {
		k->root.kind = ROOT_NFS;	/* found when the network is up */
		return 0;
	}
	if (!p->root[0]) {
		log_err(&k->log, "no root= on the kernel command line");
		return -EINVAL;
	}
	if (!rootspec_parse(&k->root, p->root)) {
		log_err(&k->log, "root=%s: not a device, MAJ:MIN, UUID=, LABEL=, PARTUUID= or PARTLABEL=",
			p->root);
		return -EINVAL;
	}
	if (secs)
		log_info(&k->log, "waiting for root=%s (up to %u s)", p->root, secs);
	else
		log_info(&k->log, "waiting for root=%s (rootwait: no limit)", p->root);
	if (!kinit_wait_device(k, &k->root, secs, &k->rootdev)) {
		log_err(&k->log, "root=%s: no such device after %u s", p->root, secs);
		return -ENODEV;
	}
	log_info(&k->log, "root is /dev/%s (%u:%u)", k->rootdev.name,
		 k->rootdev.major, k->rootdev.minor);
	return 0;
}

/* The filesystem types the kernel has (/proc/filesystems), in its
 * order, as a comma list in list[size]; with devices_only, only those
 * that mount a device (not the "nodev" ones). */
static void
kernel_fstypes(char *list, size_t size, bool devices_only)
{
	char buf[4096], *line, *save = NULL;
	size_t len = 0;

	list[0] = '\0';
	if (sysfile_read("/proc/filesystems", buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *name = strchr(line, '\t');
		int n;

		if (!name || !name[1] || (devices_only && name != line))
			continue;	/* "nodev\tsysfs" */
		n = snprintf(list + len, size - len, "%s%s", len ? "," : "", name + 1);
		if (n < 0 || (size_t)n >= size - len) {
			list[len] = '\0';
			return;
		}
		len += (size_t)n;
	}
}

/* Whether the kernel has the filesystem type registered already. */
static bool
have_fstype(const char *type)
{
	char list[KINIT_FSTYPES_MAX];
	size_t want = strlen(type);

	kernel_fstypes(list, sizeof(list), false);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");

		if (len == want && strncmp(p, type, len) == 0)
			return true;
		p += len;
		p += *p == ',';
	}
	return false;
}

/* Mounts dev on /root as type; a failure is logged at fail_level. */
static int
mount_as(struct kinit *k, const char *dev, const char *type, int fail_level)
{
	unsigned long flags = k->params.read_write ? 0 : MS_RDONLY;
	const char *data = k->params.rootflags[0] ? k->params.rootflags : NULL;
	char alias[80];
	int rc;

	if (!have_fstype(type) && k->mods_open) {
		snprintf(alias, sizeof(alias), "fs-%s", type);
		modload_request(&k->mods, alias);
	}
	if (mount(dev, KINIT_ROOT, type, flags, data) == 0)
		return 0;
	if ((errno == EACCES || errno == EROFS) && !(flags & MS_RDONLY)) {
		log_warn(&k->log, "%s: %s; mounting it read-only", dev, strerror(errno));
		if (mount(dev, KINIT_ROOT, type, flags | MS_RDONLY, data) == 0)
			return 0;
	}
	rc = -errno;
	log_msg(&k->log, fail_level, "mount %s on %s as %s%s%s: %s", dev, KINIT_ROOT,
		type, data ? " with " : "", data ? data : "", strerror(-rc));
	return rc;
}

/* rootfstype=a,b tries each in turn. */
static int
mount_listed(struct kinit *k, const char *dev, const char *list, int fail_level)
{
	char types[KINIT_FSTYPES_MAX], *t, *save = NULL;
	int rc = -EINVAL;

	snprintf(types, sizeof(types), "%s", list);
	for (t = strtok_r(types, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if ((rc = mount_as(k, dev, t, fail_level)) != 0)
			continue;
		log_info(&k->log, "mounted %s (%s) on %s %s%s%s", dev, t, KINIT_ROOT,
			 k->params.read_write ? "rw" : "ro",
			 k->params.rootflags[0] ? "," : "", k->params.rootflags);
		return 0;
	}
	return rc;
}

int
kinit_mount_root(struct kinit *k)
{
	struct blockdev *bd = &k->rootdev;
	char dev[BLOCKDEV_NAME_MAX + 8], fallback[KINIT_FSTYPES_MAX];
	const char *type = k->params.rootfstype;
	int rc;

	if (k->root.kind == ROOT_NFS)
		return kinit_mount_nfs(k);
	snprintf(dev, sizeof(dev), "%s/%s", DEVFIND_DEV, bd->name);
	if (!type[0]) {
		if ((rc = blockdev_probe(bd, DEVFIND_DEV, BLOCKDEV_NEED_FS)) < 0)
			log_warn(&k->log, "%s: cannot read it: %s", dev, strerror(-rc));
		type = bd->fs.type;
	}
	if (!type[0]) {
		/* The kernel's own fallback (init/do_mounts.c): every type
		 * it has that mounts a device, in its order. */
		kernel_fstypes(fallback, sizeof(fallback), true);
		if (!fallback[0]) {
			log_err(&k->log, "%s: no filesystem kinit knows (give rootfstype=)", dev);
			return -EINVAL;
		}
		log_info(&k->log, "%s: no filesystem kinit knows; trying the kernel's: %s",
			 dev, fallback);
		type = fallback;
	}
	if (strcmp(type, "swap") == 0 || strcmp(type, "swsuspend") == 0) {
		log_err(&k->log, "%s: a swap device, not a filesystem", dev);
		return -EINVAL;
	}
	rc = mount_listed(k, dev, type, type == fallback ? LOG_DEBUG : LOG_WARN);
	if (rc != 0 && type == fallback)
		log_err(&k->log, "%s: no type the kernel has would mount it", dev);
	return rc;
}

void
kinit_resume(struct kinit *k)
{
	const struct boot_params *p = &k->params;
	struct rootspec spec;
	struct blockdev bd;

	if (!p->resume[0] || p->noresume)
		return;
	if (!rootspec_parse(&spec, p->resume) || spec.kind == ROOT_NFS) {
		log_warn(&k->log, "resume=%s: not a device; not resuming", p->resume);
		return;
	}
	if (!kinit_wait_device(k, &spec, kinit_root_timeout(p), &bd)) {
		log_warn(&k->log, "resume=%s: no such device; not resuming", p->resume);
		return;
	}
	resume_from(&bd, p->resume_offset, &k->log);
}
