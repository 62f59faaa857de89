/*
 * resolve.h - from requests (module names, aliases, path patterns) to
 * the modules to load, in the order kmod's modprobe loads them.
 *
 * The order is kmod 30's (libkmod-module.c __kmod_module_get_probe_list
 * and __kmod_module_fill_softdep), for each module a request names:
 *   the module's dependencies from modules.dep, in reverse (deepest
 *   first), each one wrapped in its own softdeps: its pre softdeps
 *   (probed in full, recursively), the dependency, its post softdeps;
 *   then the module wrapped the same way.
 * A module probed in full (the requested one, or a softdep) is probed
 * once a request; a dependency is not checked, so kmod may list a module
 * more than once (sd_mod lists crct10dif_common three times). With
 * KMOD_RESOLVE_REPEATS the list is exactly what `modprobe --show-depends`
 * prints (an alias naming several modules probes each in turn, as
 * `modprobe -a` does a list); without it a module appears once, where
 * kmod first lists it, across all the requests of a resolver - the list
 * to load or to put in an image.
 *
 * Requests:
 *   NAME or ALIAS  looked up as kmod does (kmod_module_new_from_lookup,
 *                  without modprobe.d): normalised; a module in
 *                  modules.dep by name (unless it holds ':'); for
 *                  "symbol:" names modules.symbols; modules.alias (every
 *                  module whose pattern matches, in file order); a
 *                  built-in module by name (modules.builtin); built-in
 *                  modules by alias (modules.builtin.modinfo). A built-in
 *                  module is a KMOD_STEP_BUILTIN step: nothing to load,
 *                  modprobe prints "builtin NAME".
 *   PATH PATTERN   anything holding '/' and no ':' (aliases such as
 *                  "devname:mapper/control" hold both): an fnmatch(3)
 *                  pattern without FNM_PATHNAME (so '*' crosses '/') over
 *                  the paths of modules.dep as written there (relative
 *                  to the moddir), with their .ko* suffix and without
 *                  it: "kernel/drivers/virtio/virtio_*",
 *                  "kernel/fs/ext4/ext4". Every module matching is
 *                  probed, in modules.dep's order. Built-in modules are
 *                  never matched.
 *
 * Softdeps naming nothing (Debian's "softdep vfio post: ...
 * vfio_iommu_spapr_tce" on amd64) are skipped, as kmod skips them, with a
 * warning; KMOD_RESOLVE_STRICT_SOFTDEPS makes them errors. kmod's
 * softdep cycles (a pre: b, b pre: a) end where kmod ends them; cycles
 * in modules.dep are refused when the index loads.
 *
 * Messages name the module and who asked for it, innermost first:
 *   "crypto-crc32c: no module or alias, softdep of ext4"
 *   "virtio_ring: no file kernel/drivers/virtio/virtio_ring.ko in DIR,
 *    dependency of virtio_blk, for virtio:d00000002v*"
 * (the file check with KMOD_INDEX_CHECK_FILES).
 *
 * Differences from kmod, deliberate: modprobe.d is not read (no alias,
 * options, install, blacklist or softdep from it; as modprobe
 * -C /dev/null).
 */
#ifndef ES_KMOD_RESOLVE_H
#define ES_KMOD_RESOLVE_H

#include "base/error.h"
#include "base/strset.h"
#include "kmod/index.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How deep softdeps may nest at least (a pre softdep's own pre softdep,
 * ...): the chain of who asked holds two frames a level, the softdep
 * and the dependency in between. */
#define KMOD_DEPTH_MAX 64u

enum kmod_step_kind {
	KMOD_STEP_LOAD,		/* ix->mods[id]: insert its file */
	KMOD_STEP_BUILTIN,	/* ix->builtins[id]: in the kernel already */
};

struct kmod_step {
	uint32_t id;
	enum kmod_step_kind kind;
};

enum kmod_resolve_flags {
	KMOD_RESOLVE_REPEATS = 1 << 0,
	KMOD_RESOLVE_STRICT_SOFTDEPS = 1 << 1,
};

struct kmod_frame {
	const char *rel;	/* "dependency of", "softdep of" */
	const char *name;	/* the module that asked */
};

struct kmod_resolver {
	const struct kmod_index *ix;	/* not owned */
	unsigned flags;			/* enum kmod_resolve_flags */
	struct kmod_step *steps;	/* the load list so far */
	size_t nsteps;
	char **warnings;		/* skipped softdeps, as messages */
	size_t nwarnings;
	struct es_error err;

	/* private */
	size_t steps_cap, warnings_cap;
	unsigned char *seen_mod, *seen_builtin;	/* on the list already */
	signed char *file_ok;		/* 0 unknown, 1 there, -1 missing */
	struct strset visited;		/* probed in full this probe */
	struct kmod_frame chain[2 * KMOD_DEPTH_MAX + 2];
	unsigned depth;
	const char *request;
};

void kmod_resolver_init(struct kmod_resolver *r, const struct kmod_index *ix,
			unsigned flags);
/* Appends what request needs to r->steps. Returns 0, or -errno with
 * r->err set and r->steps and r->warnings as they were before the call;
 * es_clear(&r->err) before the next request to report its error too. */
int kmod_resolve(struct kmod_resolver *r, const char *request);
void kmod_resolver_free(struct kmod_resolver *r);

/* Whether request is a path pattern (above) rather than a name. */
bool kmod_is_path_pattern(const char *request);
/* The look-up of a normalised name or alias q (kmod_alias_normalize):
 * the modules it names, in kmod's order, into *found (caller frees;
 * NULL or empty when none). Returns how many. *by_alias is true when
 * they were found through an alias table (modules.symbols,
 * modules.alias, modules.builtin.modinfo), false for a name. */
size_t kmod_lookup(const struct kmod_index *ix, const char *q,
		   struct kmod_step **found, bool *by_alias);
/* The modules a path pattern matches, in modules.dep's order, into
 * *found (caller frees). Returns how many. */
size_t kmod_lookup_paths(const struct kmod_index *ix, const char *pattern,
			 struct kmod_step **found);

/* The module name of a step. */
const char *kmod_step_name(const struct kmod_index *ix,
			   const struct kmod_step *s);

#endif
