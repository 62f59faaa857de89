/*
 * ldso.h - where glibc's dynamic loader looks for a library besides the
 * paths an object names itself: ld.so.cache, the default directories,
 * and (when there is no cache) the directories of ld.so.conf.
 *
 * The cache formats are glibc's (sysdeps/generic/dl-cache.h): the new
 * "glibc-ld.so.cache1.1", alone (what ldconfig has written since glibc
 * 2.32, Debian 12 included) or after an old "ld.so-1.7.0" table, and the
 * old table alone. An entry is used when its name matches (compared as
 * glibc's _dl_cache_libcmp does, digits by value) and its flags are
 * those ld.so of the object's architecture accepts (_dl_cache_check_flags
 * in the ports' dl-cache.h). ld.so.conf is read as ldconfig reads it:
 * '#' comments, "include GLOB" relative to the including file, one
 * directory a line, an old "=TYPE" suffix dropped.
 *
 * Deliberate differences: entries for glibc-hwcaps subdirectories and
 * legacy hwcap entries are not used, nor are such subdirectories
 * searched: an image is built on one machine and booted on others, so
 * it gets the baseline library that runs on every CPU of the
 * architecture. The default directories follow Debian's multiarch
 * layout (/lib/TRIPLET:/usr/lib/TRIPLET:/lib:/usr/lib, what `ld.so
 * --help` lists as the system search path there); another layout is
 * given through ldso_config.default_dirs. Without a cache, ld.so itself
 * would search the default directories only; searching ld.so.conf's
 * stands in for the cache ldconfig would write from it (looked up by
 * file name, where the cache holds sonames: the same when ldconfig's
 * soname links are in place).
 */
#ifndef ES_ELF_LDSO_H
#define ES_ELF_LDSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "elf/elf_file.h"

/* Nesting of ld.so.conf includes past this is taken for a loop. */
#define LDSO_CONF_MAX_DEPTH 16

/* Where the loader's configuration is; strings not owned. */
struct ldso_config {
	const char *cache;	/* ld.so.cache; a missing file is no cache */
	const char *conf;	/* ld.so.conf, read only without a cache */
	const char *default_dirs; /* colon-separated; NULL: from the arch */
};

/* The host's, as glibc on Debian is configured. */
#define LDSO_CONFIG_HOST { "/etc/ld.so.cache", "/etc/ld.so.conf", NULL }

/* What the loader of one architecture and ABI searches with. */
struct ldso_arch {
	uint8_t class;		/* ELFCLASS32 or ELFCLASS64 */
	uint8_t data;		/* byte order; 0: either */
	uint16_t machine;	/* EM_* */
	uint32_t flag_mask;	/* e_flags & flag_mask must be flag_value */
	uint32_t flag_value;
	const char *triplet;	/* Debian multiarch: "x86_64-linux-gnu" */
	const char *platform;	/* $PLATFORM; NULL when the CPU decides */
	int32_t cache_flags;	/* ld.so.cache flags: _DL_CACHE_DEFAULT_ID */
	int32_t cache_flags_alt; /* also accepted; 0: none */
};

/* The entry for an object's class, byte order, machine and e_flags, or
 * NULL for an architecture this table does not know (its objects are
 * searched for in /lib:/usr/lib only, without the cache). */
const struct ldso_arch *ldso_arch_of(const struct elf_file *ef);

/* The default directories, colon-separated, for arch (NULL: unknown):
 * cfg->default_dirs if set. The caller frees the string. */
char *ldso_default_dirs(const struct ldso_config *cfg,
			const struct ldso_arch *arch);

/* The loader's configuration, read once. */
struct ldso {
	struct ldso_config cfg;
	void *map;		/* the cache file; NULL: there is none */
	size_t map_len;
	const unsigned char *entries; /* the table that is used */
	size_t nentries, entsize;
	const char *strings;	/* entry strings are offsets from here */
	size_t strings_len;
	char **conf_dirs;	/* without a cache: ld.so.conf's dirs */
	size_t nconf_dirs;
};

/* Maps the cache or, if it does not exist, reads ld.so.conf. Returns 0,
 * or -errno with "PATH: ..." when the cache exists but cannot be used
 * (run ldconfig) or the configuration cannot be read. Call ldso_close
 * afterwards in either case. */
int ldso_open(struct ldso *l, const struct ldso_config *cfg,
	      struct es_error *e);
void ldso_close(struct ldso *l);

/* The cache's path for name (in the mapping, valid until ldso_close),
 * or NULL: no cache, no such entry for arch, or arch NULL. */
const char *ldso_cache_lookup(const struct ldso *l, const char *name,
			      const struct ldso_arch *arch);

/* The directories of the ld.so.conf at path, in ldconfig's order, each
 * once; a missing file has none. *dirs is a NULL-terminated array the
 * caller frees with ldso_free_dirs. Returns 0 or -errno. */
int ldso_read_conf(const char *path, char ***dirs, size_t *n,
		   struct es_error *e);
void ldso_free_dirs(char **dirs, size_t n);

/* glibc's order of library names: runs of digits compare by value, so
 * "libx.so.01" equals "libx.so.1". */
int ldso_libcmp(const char *a, const char *b);

#endif
