/*
 * caps.h - capabilities by name, and dropping them for good before init
 * runs (run-init -d, kinit's drop_capabilities=).
 *
 * A capability is dropped from every set a process can get it back
 * from: the bounding set (so no exec can grant it again), the ambient
 * and inheritable sets (which survive exec), and the permitted and
 * effective sets (which root's next exec would otherwise refill from
 * the bounding and inheritable sets). See capabilities(7).
 *
 * Names are the kernel's CAP_* without or with the "cap_" prefix, in any
 * case ("sys_admin", "CAP_SYS_ADMIN"); numbers are decimal. The name
 * table knows Linux 6.1's capabilities, 0 to 40; a newer kernel's
 * capabilities can still be given by number.
 */
#ifndef ES_EARLY_CAPS_H
#define ES_EARLY_CAPS_H

#include "base/error.h"

#include <stdint.h>

/* Capabilities have numbers 0 to 63: two 32-bit words in capset(2). */
#define CAPS_MAX 64u
/* The last capability caps_name knows (CAP_CHECKPOINT_RESTORE). */
#define CAPS_LAST_NAMED 40u

/* The capability's lower-case name without "cap_", or NULL. */
const char *caps_name(unsigned cap);
/* The number of a name as above, or -1. */
int caps_number(const char *name);

/* Reads a comma-separated list of names and numbers into *mask (bit N
 * for capability N); empty items are ignored. Returns 0, or -EINVAL with
 * err set ("unknown capability 'foo'") and *mask untouched. */
int caps_parse(const char *list, uint64_t *mask, struct es_error *err);

/* Checks, changing nothing, that caps_drop(mask) can succeed: the
 * running kernel knows every capability of mask, and this process may
 * change its bounding set (CAP_SETPCAP). Returns 0 or -errno with err. */
int caps_check(uint64_t mask, struct es_error *err);

/* Drops every capability of mask from the bounding, ambient,
 * inheritable, permitted and effective sets. Returns 0 or -errno with
 * err set; a failure may leave some of them dropped. */
int caps_drop(uint64_t mask, struct es_error *err);

#endif
