/*
 * kinit.h - kinit's state and its steps, shared by the files of the
 * kinit applet (kinit.c: the sequence; kinit_root.c: finding and
 * mounting the root; kinit_rescue.c: what happens when a step fails;
 * mounts.c: the early mounts and their move into the root).
 */
#ifndef ES_EARLY_KINIT_H
#define ES_EARLY_KINIT_H

#include <stdbool.h>

#include "early/blockdev.h"
#include "early/cmdline.h"
#include "early/log.h"
#include "early/modload.h"
#include "early/rootspec.h"

/* Where the real root is mounted, as in klibc and initramfs-tools. */
#define KINIT_ROOT "/root"
/* Without rootwait, how long kinit waits for the root device to appear
 * (a distribution kernel's disk drivers are modules: the device cannot
 * be there at once). */
#define KINIT_ROOT_WAIT_DEFAULT 30u
/* A comma list of filesystem types: rootfstype=, or every type the
 * kernel has when the root's is not one kinit knows. */
#define KINIT_FSTYPES_MAX 1024u

struct kinit {
	struct log log;
	char cmdline[4096];		/* /proc/cmdline, "" if unreadable */
	struct boot_params params;
	struct rootspec root;
	struct modload mods;
	bool mods_open;
	int uevent_fd;			/* -1: none */
	char **init_args;		/* kinit's argv words that are init's */
	int ninit_args;
	struct blockdev rootdev;	/* the device found */
	char init[512];			/* the init run-init will start */
};

/* mounts.c */
int kinit_mount_early(struct kinit *k);
void kinit_console(struct kinit *k);
int kinit_move_mounts(struct kinit *k);

/* kinit_root.c */
/* Waits for the device spec names (uevents, loading the modules new
 * devices ask for) until timeout_secs (0: forever); true when found. */
bool kinit_wait_device(struct kinit *k, const struct rootspec *spec,
		       unsigned timeout_secs, struct blockdev *found);
/* Handles the uevents waiting on the socket (modules, no devices). */
void kinit_drain_uevents(struct kinit *k);
/* The root's device, waited for; for an NFS root, only that it is one. */
int kinit_find_root(struct kinit *k);
/* root=/dev/nfs, or nfsroot= without root=. */
bool kinit_root_is_nfs(const struct boot_params *p);
/* Mounts the root on /root: a block device, or over NFS. */
int kinit_mount_root(struct kinit *k);
/* How long to wait for the root: rootwait=N, 0 for rootwait (no
 * limit), else KINIT_ROOT_WAIT_DEFAULT. */
unsigned kinit_root_timeout(const struct boot_params *p);

/* kinit_nfs.c */
/* The network by ipconfig, then nfsroot= mounted on /root. */
int kinit_mount_nfs(struct kinit *k);
/* ip= for a root that is not NFS: configured now, a failure logged. */
void kinit_network(struct kinit *k);
/* resume= before the root is touched. */
void kinit_resume(struct kinit *k);

/* kinit_rescue.c */
/* Says what is known (root= as parsed, every block device with its
 * type, UUID and LABEL); then a shell from the image, when there is one
 * (returns when it exits), else returns false. */
bool kinit_rescue(struct kinit *k, const char *why);
/* break=: a shell at that point, if asked for. */
void kinit_break(struct kinit *k, enum break_point at);
/* Lists the block devices at info level (diagnosis). */
void kinit_list_devices(struct kinit *k);

#endif
