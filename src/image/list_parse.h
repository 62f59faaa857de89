/*
 * list_parse.h - the gen_init_cpio list language, one line at a time.
 *
 *   # comment
 *   file  <name> <location> <mode> <uid> <gid> [<hard link name>...]
 *   dir   <name> <mode> <uid> <gid>
 *   nod   <name> <mode> <uid> <gid> <b|c> <maj> <min>
 *   slink <name> <target> <mode> <uid> <gid>
 *   pipe  <name> <mode> <uid> <gid>
 *   sock  <name> <mode> <uid> <gid>
 *
 * Fields are separated by white space; mode is octal, ids and device
 * numbers decimal; `${VAR}` in a location expands from the environment
 * (unset: empty). The parser reports what it found as a status and
 * leaves the wording of messages to its callers, because gen_init_cpio
 * compatibility needs the kernel program's exact text while `build`
 * gives file:line messages of its own.
 *
 * Differences from the kernel's parser, all on malformed input: every
 * numeric field must be wholly numeric (sscanf accepts "0755x"), ids
 * must not be negative (gen_init_cpio writes a 16-digit field), names
 * longer than PATH_MAX are refused instead of split, and `${...}` is
 * expanded once, left to right, never re-scanned.
 *
 * Outside compat mode, a backslash escapes in names, locations and
 * targets: `\\` and `\NNN` (octal, as in fstab: `\040` is a space), so
 * names with white space can be written, and two more directives say
 * what gen_init_cpio's language cannot (`list --spec` writes them):
 *
 *   hardlink <name> <name of a file given before>
 *   mtime <seconds>         the mtime of every entry after it
 *
 * `hardlink` adds a name to that file's inode at this place in the
 * archive, so a hard-link group's names need not follow each other.
 * And three that compose (image/compose.h):
 *
 *   program <host path> [<name>]   with its interpreter and libraries
 *   module <name|alias|path pattern>...   with dependencies, softdeps
 *   firmware <name>...              from the firmware directory
 */
#ifndef ES_IMAGE_LIST_PARSE_H
#define ES_IMAGE_LIST_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum list_kind {
	LK_FILE, LK_DIR, LK_NOD, LK_SLINK, LK_PIPE, LK_SOCK,
	LK_COMPAT_END,		/* the kinds after it are ours */
	LK_HARDLINK = LK_COMPAT_END, LK_MTIME, LK_PROGRAM, LK_MODULE,
	LK_FIRMWARE,
};

enum list_status {
	LIST_EOF = 0,
	LIST_ITEM,		/* item is filled */
	LIST_BLANK,		/* comment, blank line, or a lone word (the
				 * kernel program treats that as blank) */
	LIST_BAD_FIELDS,	/* "Unrecognized <type> format" */
	LIST_UNKNOWN_TYPE,	/* reported and skipped, not an error */
	LIST_NO_ARGS,		/* "newline required" */
	LIST_NO_TYPE,		/* "could not locate file type": fatal */
	LIST_BAD_VALUE,		/* a value out of range; see item->why */
	LIST_READ_ERROR,	/* errno in item->err */
};

struct list_item {
	enum list_kind kind;
	const char *type;	/* the directive word as written */
	const char *args;	/* the rest of the line, for messages */
	char **names;		/* names[0] and hard-link names; program: its
				 * name, if given; module, firmware: what */
	int nnames;
	char *location;		/* file, program: expanded */
	char *target;		/* slink; hardlink: the file's name */
	uint32_t mode, uid, gid;
	char devtype;		/* nod: 'b' or anything else for char */
	uint32_t major, minor;
	uint32_t mtime;		/* mtime */
	const char *why;	/* LIST_BAD_VALUE: what is wrong */
	int err;
};

struct list_parser {
	FILE *f;
	bool compat;		/* gen_init_cpio: no escapes */
	int lineno;
	char *line;
	size_t cap;
	char *work;		/* this line's fields, split in place */
	size_t work_cap;
	char **fields;
	size_t fields_cap;
	char *location;		/* this line's expanded location */
};

void list_parser_init(struct list_parser *p, FILE *f, bool compat);
void list_parser_free(struct list_parser *p);
/* Reads the next line; the item's strings live until the next call. */
enum list_status list_next(struct list_parser *p, struct list_item *item);

const char *list_kind_name(enum list_kind k);
/* Whether type is one of the directive words. */
bool list_kind_known(const char *type);

#endif
