/*
 * internal.h - what the files of src/kmod share and nobody else sees:
 * reading a file whole, walking its lines, and the tables each index
 * file becomes.
 */
#ifndef ES_KMOD_INTERNAL_H
#define ES_KMOD_INTERNAL_H

#include "kmod/index.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads dir/name whole into *text (NUL-terminated, *len bytes before
 * the NUL). Returns 0; -ENOENT without a message when the file is absent
 * and optional; else -errno with err set. */
int kmod_read_file(const char *dir, const char *name, bool optional,
		   char **text, size_t *len, struct es_error *err);

/* The text of the index file called name, for its parser, which owns
 * it from then on (NUL-terminated after *len bytes): read from ix->dir,
 * or copied from given when that is not NULL (kmod_index_load_texts;
 * kmod_index_load passes NULL, so the copy is not in the target binary).
 * Returns 0; -ENOENT without a message when the file is absent; else
 * -errno with ix->err set. */
int kmod_index_text(struct kmod_index *ix, const struct kmod_index_texts *given,
		    const char *name, char **text, size_t *len);

/* The lines of a text, cut in place (each '\n' becomes a NUL). */
struct kmod_lines {
	char *p, *end;
	uint32_t line;		/* of the line last returned, from 1 */
	const char *dir, *file;	/* for messages */
	struct es_error *err;
};

void kmod_lines_init(struct kmod_lines *it, char *text, size_t len,
		     const char *dir, const char *file, struct es_error *err);
/* 1 and *line, 0 at the end, or -EINVAL for a NUL byte in the line. */
int kmod_lines_next(struct kmod_lines *it, char **line);
/* Records "DIR/FILE:LINE: message" and returns -EINVAL. */
int kmod_lines_fail(const struct kmod_lines *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The next blank-separated token of *s, NUL-terminated in place; NULL
 * when only blanks are left. */
char *kmod_token(char **s);
/* Blank (space or tab), as kmod's and busybox's parsers see it. */
bool kmod_blank(char c);

/* Keeps s (malloc'd) until kmod_index_free; returns it. */
char *kmod_keep(struct kmod_index *ix, char *s);

/* modules.alias and modules.symbols: lines "alias PATTERN MODULE" whose
 * MODULE must be in modules.dep. Absent: an empty table. */
int kmod_alias_file_load(struct kmod_index *ix,
			 const struct kmod_index_texts *given,
			 struct kmod_alias_table *t, const char *file);
/* modules.builtin.modinfo's alias= records into ix->builtin_aliases,
 * adding their modules to ix->builtins. */
int kmod_modinfo_load(struct kmod_index *ix,
		      const struct kmod_index_texts *given);
/* Builds t's buckets once its aliases are in. */
void kmod_alias_table_index(struct kmod_alias_table *t);
/* The aliases of t matching the normalised query q, by index into t->v
 * in file order, into *out (malloc'd, caller frees). Returns how many. */
size_t kmod_alias_match(const struct kmod_alias_table *t, const char *q,
			uint32_t **out);
void kmod_alias_table_free(struct kmod_alias_table *t);

/* modules.softdep into ix->softdeps. */
int kmod_softdep_load(struct kmod_index *ix,
		      const struct kmod_index_texts *given);
/* The softdep line kmod applies to module name: the first that
 * matches, or NULL. */
const struct kmod_softdep *kmod_softdep_find(const struct kmod_index *ix,
					     const char *name);
void kmod_softdep_free(struct kmod_index *ix);

/* Adds (or finds) the builtin called name; listed marks it as in
 * modules.builtin. Returns its id. */
uint32_t kmod_builtin_add(struct kmod_index *ix, const char *name,
			  bool listed);

#endif
