/*
 * cmdline.h - the kernel command line as kinit reads it.
 *
 * Words are split as the kernel splits them (lib/cmdline.c next_arg):
 * white space separates, double quotes group and are removed, so
 * rootflags="data=journal,barrier=0" and "init=/bin/my init" are one
 * word each. The kernel stops at a lone "--": what follows belongs to
 * init. The last occurrence of a parameter wins.
 *
 * kinit reads /proc/cmdline, then its own argv (so `kinit root=...` from
 * a shell overrides); see kinit's parameters in doc/kinit.md.
 */
#ifndef ES_EARLY_CMDLINE_H
#define ES_EARLY_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_VALUE_MAX 512u
#define CMDLINE_LIST_MAX 64u

/* Reads the next word of *pos into buf (quotes removed) and advances
 * *pos; false at the end or at a lone "--" (then *pos points after it).
 * A word longer than size - 1 bytes is cut. */
bool cmdline_next_word(const char **pos, char *buf, size_t size);

/* A word's parameter name (up to '=') and value (after it, or NULL). */
void cmdline_split(char *word, char **value);

enum break_point {
	BREAK_NONE,
	BREAK_TOP,		/* before anything is loaded */
	BREAK_MODULES,		/* after the modules the image asks for */
	BREAK_PREMOUNT,		/* the root device found, not mounted */
	BREAK_MOUNT,		/* root mounted on /root */
	BREAK_BOTTOM,		/* just before run-init */
};

struct boot_params {
	char root[CMDLINE_VALUE_MAX];
	char rootfstype[64];
	char rootflags[CMDLINE_VALUE_MAX];
	bool read_write;		/* rw; ro (the default) clears it */
	bool rootwait;
	unsigned rootwait_secs;		/* 0: wait forever */
	unsigned rootdelay_secs;
	char init[CMDLINE_VALUE_MAX];	/* "": the usual places */
	char resume[CMDLINE_VALUE_MAX];
	char drop_caps[CMDLINE_VALUE_MAX];	/* drop_capabilities= */
	unsigned long long resume_offset;
	bool noresume;
	int panic_secs;			/* panic=: 0 waits forever */
	bool quiet;
	bool debug;			/* kinit.debug */
	enum break_point break_at;
	/* modules= and modprobe.blacklist=: comma lists, each occurrence
	 * adding to the list (as initramfs-tools and kmod read them). */
	char modules[CMDLINE_VALUE_MAX];
	char blacklist[CMDLINE_VALUE_MAX];
	/* For the network step: kept as given. */
	char ip[CMDLINE_VALUE_MAX];
	char nfsroot[CMDLINE_VALUE_MAX];
};

void boot_params_init(struct boot_params *p);
/* Applies the parameters of text (a command line) to p; words it does
 * not know are left alone (they are the kernel's or init's). Stops at
 * a lone "--". */
void boot_params_parse(struct boot_params *p, const char *text);
/* Applies one word; true if it was one of kinit's parameters. */
bool boot_params_apply(struct boot_params *p, const char *word);

/* "premount" -> BREAK_PREMOUNT; BREAK_NONE if unknown. A bare `break`
 * means premount, as in initramfs-tools. */
enum break_point break_point_parse(const char *s);
const char *break_point_name(enum break_point b);

#endif
