/*
 * index.h - a kernel modules directory's index: the text files depmod
 * writes, read into memory for look-ups by module name and by alias.
 *
 * The files, in the modules directory (moddir, /lib/modules/RELEASE):
 *   modules.dep      required. "PATH: DEP..." per module; DEPs are the
 *                    whole closure, deepest last (kmod loads them in
 *                    reverse). PATHs are relative to the moddir or
 *                    absolute.
 *   modules.alias    "alias PATTERN MODULE" (fnmatch patterns)
 *   modules.symbols  "alias symbol:NAME MODULE"
 *   modules.softdep  "softdep PATTERN [pre: NAME...] [post: NAME...]"
 *   modules.builtin  the PATH each built-in module would have
 *   modules.builtin.modinfo  "MODULE.KEY=VALUE\0" records; the alias=
 *                    ones name built-in modules by alias
 *   modules.order    module PATHs in the kernel's link order
 * All but modules.dep may be absent. Every line error names
 * "DIR/FILE:LINE". kmod reads depmod's binary .bin tries instead; these
 * text files hold the same facts, and the look-ups below give the
 * answers kmod 30 gives (resolve.h says where they differ).
 *
 * Module names are normalised as kmod normalises them: the basename up
 * to its first '.', with '-' read as '_'. Aliases are normalised as kmod
 * does: '-' read as '_' except inside [...] brackets.
 *
 * Ownership: the index owns all its memory (the file texts, parsed in
 * place, and the tables pointing into them; kmod_index_load_texts
 * copies what it is given). After kmod_index_load it is
 * never written, so any number of resolvers and writers may share it.
 *
 * Limits: KMOD_MODULES_MAX modules (depmod numbers them in 16 bits),
 * KMOD_FILE_MAX bytes a file, KMOD_PATH_MAX bytes a path, name or
 * pattern (with its NUL). Compressed modules (.ko.xz, .ko.zst, .ko.gz)
 * are named like .ko ones; their contents are never read here.
 */
#ifndef ES_KMOD_INDEX_H
#define ES_KMOD_INDEX_H

#include "base/error.h"
#include "base/strset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMOD_MODULES_MAX 65535u
#define KMOD_FILE_MAX (64u << 20)
#define KMOD_PATH_MAX 4096u

/* The literal prefix (up to the first * ? or [) of an alias pattern
 * picks its bucket; a query tries its first 0..KMOD_ALIAS_KEY bytes. */
#define KMOD_ALIAS_KEY 32u

enum kmod_index_flags {
	/* Resolving checks that each module to load has its file in the
	 * moddir (host side, before an image is built from it). */
	KMOD_INDEX_CHECK_FILES = 1 << 0,
};

/* The files of the index. */
enum kmod_index_file {
	KMOD_FILE_DEP,
	KMOD_FILE_BUILTIN,
	KMOD_FILE_MODINFO,
	KMOD_FILE_ALIAS,
	KMOD_FILE_SYMBOLS,
	KMOD_FILE_SOFTDEP,
	KMOD_FILE_ORDER,
	KMOD_FILES
};

/* An index's files given as bytes (kmod_index_load_texts): text[f]
 * holds len[f] bytes of file f (NULs allowed, none needed after them),
 * or is NULL when the file is absent. */
struct kmod_index_texts {
	const char *text[KMOD_FILES];
	size_t len[KMOD_FILES];
};

struct kmod_module {
	const char *name;	/* normalised */
	const char *path;	/* as modules.dep gives it */
	const uint32_t *deps;	/* ids, in modules.dep's order */
	uint32_t ndeps;
	uint32_t line;		/* its line in modules.dep */
};

/* One alias line; the table keeps them in file order. */
struct kmod_alias {
	const char *raw;	/* the pattern as the file gives it */
	const char *pattern;	/* normalised (raw itself when the same) */
	uint32_t target;	/* a module id, or a builtin id (builtin table) */
	uint32_t line;		/* line, or record number in .modinfo */
};

/* Aliases with their buckets: bucket b holds the aliases
 * members[start[b]] .. members[start[b + 1] - 1], in file order. */
struct kmod_alias_table {
	struct kmod_alias *v;
	size_t n;
	struct strset keys;	/* literal-prefix key -> bucket number */
	uint32_t *start;
	uint32_t *members;
	char *text;		/* the file, tokens NUL-terminated in place */
};

/* One softdep line. kmod uses only the first line whose pattern matches
 * a module, and ignores names before any "pre:" or "post:". */
struct kmod_softdep {
	char *pattern;		/* normalised fnmatch pattern */
	char **pre, **post;	/* names or aliases, as written */
	uint32_t npre, npost;
	uint32_t line;
	char *text;		/* the whole line, for writing it back */
};

struct kmod_builtin {
	const char *name;	/* normalised */
	bool listed;		/* in modules.builtin (not only in .modinfo) */
};

struct kmod_index {
	char *dir;		/* the moddir, as given */
	unsigned flags;		/* enum kmod_index_flags */

	struct kmod_module *mods;	/* modules.dep's order */
	size_t nmods;
	struct strset by_name;		/* name -> id */

	struct kmod_alias_table aliases;	/* modules.alias */
	struct kmod_alias_table symbols;	/* modules.symbols */
	struct kmod_alias_table builtin_aliases; /* targets: builtin ids */

	struct kmod_softdep *softdeps;
	size_t nsoftdeps;

	struct kmod_builtin *builtins;
	size_t nbuiltins;
	struct strset builtin_by_name;	/* name -> builtin id */

	/* Kept whole for writing: they describe the kernel, not a subset.
	 * NULL when the file is absent. */
	char *builtin_text, *modinfo_text;
	size_t builtin_len, modinfo_len;

	/* modules.order: its paths and their module ids (UINT32_MAX: not
	 * in modules.dep); has_order says whether the file exists. */
	const char **order;
	uint32_t *order_ids;
	size_t norder;
	bool has_order;

	struct es_error err;

	/* private */
	char *dep_text, *order_text;
	uint32_t *dep_ids;
	char **names;		/* what the tables' names point into */
	size_t nnames, names_cap, builtins_cap;
};

/* Reads the index of moddir. Returns 0, or -errno with ix->err set
 * ("DIR: no modules.dep (run depmod)", "DIR/modules.alias:12: ...");
 * either way kmod_index_free releases it. */
int kmod_index_load(struct kmod_index *ix, const char *moddir, unsigned flags);
/* The same from texts instead of moddir's files, with the same checks
 * and messages, which name moddir as kmod_index_file does; texts is
 * copied, not kept. With KMOD_INDEX_CHECK_FILES, resolving looks for
 * module files on this machine under moddir. */
int kmod_index_load_texts(struct kmod_index *ix, const char *moddir,
			  const struct kmod_index_texts *texts, unsigned flags);
void kmod_index_free(struct kmod_index *ix);
/* File f's name in a moddir ("modules.dep"). */
const char *kmod_index_file_name(enum kmod_index_file f);

/* The id of the module called name (any '-'/'_' spelling; a path or a
 * .ko name is reduced to its module name first), or -1. */
long kmod_index_find(const struct kmod_index *ix, const char *name);
/* The builtin id of name, when modules.builtin lists it, or -1. */
long kmod_index_find_builtin(const struct kmod_index *ix, const char *name);

/* moddir/path (path itself when absolute) into buf; false if it does
 * not fit. */
bool kmod_index_file(const struct kmod_index *ix, uint32_t id, char *buf,
		     size_t size);

/* Module name of s (a name, or a path: its basename) into buf, as kmod
 * normalises it; false if it is empty or does not fit. */
bool kmod_modname(const char *s, char *buf, size_t size);
/* Alias s normalised into buf as kmod does; false on an unmatched
 * bracket or if it does not fit. */
bool kmod_alias_normalize(const char *s, char *buf, size_t size);

#endif
