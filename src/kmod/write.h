/*
 * write.h - the module index of an image: the index files of a moddir
 * cut down to the modules the image holds.
 *
 * Written, each handed to a callback whole (name, bytes, length):
 *   modules.dep      the held modules' lines, in the source's order and
 *                    with its paths (relative to the moddir: busybox's
 *                    modprobe opens them from /lib/modules/`uname -r`)
 *   modules.alias    their aliases        (depmod's header line first)
 *   modules.symbols  their symbols        (depmod's header line first)
 *   modules.softdep  the lines whose pattern matches a held module
 *   modules.builtin, modules.builtin.modinfo  whole: they describe the
 *                    kernel (only when the source has them)
 *   modules.order    the held modules' lines, in order (when the source
 *                    has it)
 * These are what our modprobe reads, and what busybox's modprobe reads
 * (modules.dep, modules.alias, modules.symbols for "symbol:" requests,
 * modules.builtin; it has no softdeps at all, so a softdep module is
 * loaded under busybox only when the kernel asks for it by alias, as it
 * asks for crypto-crc32c when ext4 mounts). kmod's own modprobe reads
 * only depmod's binary .bin files, which are not written here.
 *
 * A held module whose dependency is not held is an error: the image's
 * modules.dep would name a file it lacks. Softdep targets need not be
 * held (modprobe skips softdeps naming nothing).
 */
#ifndef ES_KMOD_WRITE_H
#define ES_KMOD_WRITE_H

#include "base/error.h"
#include "kmod/index.h"
#include "kmod/resolve.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The modules an image holds, by module id. */
struct kmod_set {
	const struct kmod_index *ix;	/* not owned */
	unsigned char *held;		/* ix->nmods flags */
	size_t count;
};

void kmod_set_init(struct kmod_set *s, const struct kmod_index *ix);
/* Returns true if id was not held before. */
bool kmod_set_add(struct kmod_set *s, uint32_t id);
/* Adds every KMOD_STEP_LOAD step of r. */
void kmod_set_add_steps(struct kmod_set *s, const struct kmod_resolver *r);
void kmod_set_free(struct kmod_set *s);

/* Receives one file; returns 0 or -errno (which stops the writing). */
typedef int (*kmod_emit_fn)(void *ctx, const char *name, const char *data,
			    size_t len);

/* Produces the files above in the order listed. Returns 0, or -errno
 * with err set (a callback's error is passed on, its message
 * "FILE: could not be added"). */
int kmod_write_index(const struct kmod_set *s, kmod_emit_fn emit, void *ctx,
		     struct es_error *err);

#endif
