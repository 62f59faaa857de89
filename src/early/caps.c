/*
 * caps.c - see caps.h. Follows capabilities(7) and the kernel's
 * kernel/capability.c (capget/capset, _LINUX_CAPABILITY_VERSION_3) and
 * security/commoncap.c (PR_CAPBSET_DROP, PR_CAP_AMBIENT).
 *
 * klibc's drop_capabilities= always fails (its check of the bounding
 * set is inverted); here every step is checked the right way round.
 * Limits: the names stop at Linux 6.1 (40); securebits are left alone.
 */
#include "early/caps.h"

#include <ctype.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every name, in number order, each ended by its NUL: one string, not
 * a table of pointers to them (a third of the size). */
static const char cap_names[] =
	"chown\0"	/* CAP_CHOWN */
	"dac_override\0"	/* CAP_DAC_OVERRIDE */
	"dac_read_search\0"	/* CAP_DAC_READ_SEARCH */
	"fowner\0"	/* CAP_FOWNER */
	"fsetid\0"	/* CAP_FSETID */
	"kill\0"	/* CAP_KILL */
	"setgid\0"	/* CAP_SETGID */
	"setuid\0"	/* CAP_SETUID */
	"setpcap\0"	/* CAP_SETPCAP */
	"linux_immutable\0"	/* CAP_LINUX_IMMUTABLE */
	"net_bind_service\0"	/* CAP_NET_BIND_SERVICE */
	"net_broadcast\0"	/* CAP_NET_BROADCAST */
	"net_admin\0"	/* CAP_NET_ADMIN */
	"net_raw\0"	/* CAP_NET_RAW */
	"ipc_lock\0"	/* CAP_IPC_LOCK */
	"ipc_owner\0"	/* CAP_IPC_OWNER */
	"sys_module\0"	/* CAP_SYS_MODULE */
	"sys_rawio\0"	/* CAP_SYS_RAWIO */
	"sys_chroot\0"	/* CAP_SYS_CHROOT */
	"sys_ptrace\0"	/* CAP_SYS_PTRACE */
	"sys_pacct\0"	/* CAP_SYS_PACCT */
	"sys_admin\0"	/* CAP_SYS_ADMIN */
	"sys_boot\0"	/* CAP_SYS_BOOT */
	"sys_nice\0"	/* CAP_SYS_NICE */
	"sys_resource\0"	/* CAP_SYS_RESOURCE */
	"sys_time\0"	/* CAP_SYS_TIME */
	"sys_tty_config\0"	/* CAP_SYS_TTY_CONFIG */
	"mknod\0"	/* CAP_MKNOD */
	"lease\0"	/* CAP_LEASE */
	"audit_write\0"	/* CAP_AUDIT_WRITE */
	"audit_control\0"	/* CAP_AUDIT_CONTROL */
	"setfcap\0"	/* CAP_SETFCAP */
	"mac_override\0"	/* CAP_MAC_OVERRIDE */
	"mac_admin\0"	/* CAP_MAC_ADMIN */
	"syslog\0"	/* CAP_SYSLOG */
	"wake_alarm\0"	/* CAP_WAKE_ALARM */
	"block_suspend\0"	/* CAP_BLOCK_SUSPEND */
	"audit_read\0"	/* CAP_AUDIT_READ */
	"perfmon\0"	/* CAP_PERFMON */
	"bpf\0"	/* CAP_BPF */
	"checkpoint_restore\0"	/* CAP_CHECKPOINT_RESTORE */
	;

const char *
caps_name(unsigned cap)
{
	const char *p = cap_names;

	if (cap > CAPS_LAST_NAMED)
		return NULL;
	while (cap--)
		p += strlen(p) + 1;
	return p;
}

int
caps_number(const char *name)
{
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (unsigned i = 0; i <= CAPS_LAST_NAMED; i++)
		if (strcasecmp(name, caps_name(i)) == 0)
			return (int)i;
	return -1;
}

/* A decimal capability number below CAPS_MAX, or -1. */
static int
cap_decimal(const char *s)
{
	unsigned n = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		n = n * 10 + (unsigned)(*s - '0');
		if (n >= CAPS_MAX)
			return -1;
	}
	return (int)n;
}

int
caps_parse(const char *list, uint64_t *mask, struct es_error *err)
{
	uint64_t m = 0;
	char item[32];

	while (*list) {
		size_t len = strcspn(list, ",");
		int cap = -1;

		if (len < sizeof(item)) {
			memcpy(item, list, len);
			item[len] = '\0';
			cap = isdigit((unsigned char)item[0]) ? cap_decimal(item)
							      : caps_number(item);
		}
		if (cap < 0 && len > 0)
			return es_fail(err, EINVAL, "unknown capability '%.*s'",
				       (int)len, list);
		if (cap >= 0)
			m |= (uint64_t)1 << cap;
		list += len + (list[len] == ',');
	}
	*mask = m;
	return 0;
}

/* "cap_sys_admin", or "capability 45" past the name table. */
static const char *
cap_label(unsigned cap, char *buf, size_t size)
{
	const char *name = caps_name(cap);

	if (name)
		snprintf(buf, size, "cap_%s", name);
	else
		snprintf(buf, size, "capability %u", cap);
	return buf;
}

static int
cap_sets_get(struct __user_cap_data_struct data[2], struct es_error *err)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };

	if (syscall(SYS_capget, &head, data) != 0)
		return es_fail(err, errno, "capget: %s", strerror(errno));
	return 0;
}

int
caps_check(uint64_t mask, struct es_error *err)
{
	struct __user_cap_data_struct data[2];
	char label[32];
	int rc;

	if (mask == 0)
		return 0;
	for (unsigned cap = 0; cap < CAPS_MAX; cap++)
		if ((mask >> cap & 1) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			return es_fail(err, errno, "%s: not known to this kernel",
				       cap_label(cap, label, sizeof(label)));
	rc = cap_sets_get(data, err);
	if (rc)
		return rc;
	if (!(data[0].effective & CAP_TO_MASK(CAP_SETPCAP)))
		return es_fail(err, EPERM, "dropping capabilities needs cap_setpcap");
	return 0;
}

/* Bounding set first: dropping from it needs cap_setpcap, which the
 * mask may also remove from the effective set. */
static int
drop_bounding_ambient(unsigned cap, struct es_error *err)
{
	char label[32];

	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
		return es_fail(err, errno, "%s: dropping from the bounding set: %s",
			       cap_label(cap, label, sizeof(label)), strerror(errno));
	/* EINVAL: a kernel before 4.3, which has no ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, cap, 0, 0) != 0 &&
	    errno != EINVAL)
		return es_fail(err, errno, "%s: dropping from the ambient set: %s",
			       cap_label(cap, label, sizeof(label)), strerror(errno));
	return 0;
}

int
caps_drop(uint64_t mask, struct es_error *err)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int rc;

	if (mask == 0)
		return 0;
	for (unsigned cap = 0; cap < CAPS_MAX; cap++)
		if ((mask >> cap & 1) && (rc = drop_bounding_ambient(cap, err)))
			return rc;
	rc = cap_sets_get(data, err);
	if (rc)
		return rc;
	for (unsigned i = 0; i < 2; i++) {
		uint32_t keep = ~(uint32_t)(mask >> (32 * i));

		data[i].effective &= keep;
		data[i].permitted &= keep;
		data[i].inheritable &= keep;
	}
	if (syscall(SYS_capset, &head, data) != 0)
		return es_fail(err, errno, "capset: %s", strerror(errno));
	return 0;
}
