/*
 * check.c - see check.h: reading the image into the tree, the reader's
 * errors and the tree's events as findings, then the checks of the
 * finished tree (check_boot.c, check_modules.c, check_kinit.c).
 */
#include "image/check_internal.h"
#include "base/xalloc.h"
#include "cpio/reader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
check_severity_name(enum check_severity s)
{
	return s == CHECK_ERROR ? "error" : s == CHECK_WARNING ? "warning" : "note";
}

void
check_add(struct check_report *rep, enum check_severity s, const char *code,
	  const struct tree_origin *at, const char *path, const char *fmt, ...)
{
	struct check_finding *f;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		msg = xstrdup(fmt);
	xgrow((void **)&rep->v, &rep->cap, rep->n + 1, sizeof(*rep->v));
	f = &rep->v[rep->n++];
	*f = (struct check_finding){
		.severity = s, .code = code, .member = at ? at->member : -1,
		.offset = at ? at->offset : 0, .path = path ? xstrdup(path) : NULL,
		.message = msg,
	};
	rep->count[s]++;
}

void
check_report_free(struct check_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->v[i].path);
		free(rep->v[i].message);
	}
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}

/* --- the reader's errors ------------------------------------------------ */

/* The code of a message from image_reader.h, by the kernel's words. */
static const char *
read_error_code(const char *msg)
{
	static const struct {
		const char *words, *code;
	} codes[] = {
		{ "invalid magic at start of compressed", "bad-compression-magic" },
		{ "incorrect cpio method", "old-format" },
		{ "no cpio magic", "bad-magic" },
		{ "malformed header", "bad-header" },
		{ "without NUL", "name-without-nul" },
		{ "bad data checksum", "bad-checksum" },
		{ "broken padding", "broken-padding" },
		{ "junk", "junk" },
		{ "decompressor failed", "decompressor-failed" },
		{ "compressed data ends", "truncated" },
		{ "truncated archive", "truncated" },
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(*codes); i++)
		if (strstr(msg, codes[i].words))
			return codes[i].code;
	return "read-error";
}

/* Where the error is: the decoded offset in a compressed member, the
 * image offset otherwise (the first "offset N" the message gives). */
static uint64_t
read_error_offset(const char *msg, uint64_t fallback)
{
	static const char *const words[] = { "uncompressed offset ", "offset " };
	unsigned long long v;

	for (size_t i = 0; i < 2; i++) {
		const char *p = strstr(msg, words[i]);

		if (p && sscanf(p + strlen(words[i]), "%llu", &v) == 1)
			return v;
	}
	return fallback;
}

static void
read_error(struct check_report *rep, const struct image_reader *r,
	   const char *msg)
{
	struct tree_origin at = {
		r->member_open || r->in_compressed ? r->cur.index : r->nmembers,
		read_error_offset(msg, r->raw.pos),
	};
	const char *code = read_error_code(msg);

	if (!strcmp(code, "truncated") && !r->in_compressed)
		check_add(rep, CHECK_ERROR, code, &at, NULL,
			  "%s (the kernel drops the cut record without a word)", msg);
	else
		check_add(rep, CHECK_ERROR, code, &at, NULL,
			  "%s (the kernel stops unpacking here and boots with what came before)",
			  msg);
}

/* --- the tree's events -------------------------------------------------- */

static const char *
skip_code(int why)
{
	return why == CPIO_SKIP_NAMESIZE ? "name-too-long" :
	       why == CPIO_SKIP_LINK_SIZE ? "symlink-too-long" : "data-on-nonfile";
}

/* "the symlink of member 0, offset 512 (/bin/sh)" */
static char *
earlier(const struct tree_event *ev)
{
	if (ev->other.member < 0)
		return xasprintf("the %s %s", check_type_name(ev->other_mode),
				 ev->other_name);
	return xasprintf("the %s %s (member %d, offset %llu)",
			 check_type_name(ev->other_mode), ev->other_name,
			 ev->other.member, (unsigned long long)ev->other.offset);
}

static void
replaced_finding(struct check_report *rep, const struct tree_event *ev,
		 const char *what)
{
	char shared[96] = "";

	if (ev->shared)
		snprintf(shared, sizeof(shared),
			 "; %u other hard-linked name%s see%s the change",
			 ev->shared, ev->shared > 1 ? "s" : "", ev->shared > 1 ? "" : "s");
	if (ev->kind == TREE_EV_DUPLICATE)
		check_add(rep, CHECK_NOTE, "duplicate", &ev->at, ev->name,
			  "given again with the same contents, owner and mode as %s", what);
	else
		check_add(rep, CHECK_WARNING, "replaced", &ev->at, ev->name,
			  "given twice: the later record wins over %s, whose %s lost%s",
			  what, ev->lost_data ? "contents are" : "owner or mode is",
			  shared);
}

static void
link_finding(struct check_report *rep, const struct tree_event *ev)
{
	if (ev->kind == TREE_EV_LINK_FAILED) {
		check_add(rep, CHECK_WARNING, "hardlink-target-missing", &ev->at,
			  ev->name,
			  "not created: a hard link to %s (member %d, offset %llu), which is not in the tree at this point",
			  ev->other_name, ev->other.member,
			  (unsigned long long)ev->other.offset);
		return;
	}
	check_add(rep, ev->lost_data ? CHECK_WARNING : CHECK_NOTE,
		  "hardlink-across-trailer", &ev->at, ev->name,
		  "shares its inode number with %s (member %d, offset %llu), but a TRAILER!!! between them made the kernel forget it: a separate file%s",
		  ev->other_name, ev->other.member,
		  (unsigned long long)ev->other.offset,
		  ev->lost_data ? ", and the one without data stays empty" : "");
}

static void
event_finding(struct check_report *rep, const struct tree_event *ev)
{
	char *what = ev->other_name ? earlier(ev) : NULL;

	switch (ev->kind) {
	case TREE_EV_SKIPPED:	/* a name over PATH_MAX is not even read */
		check_add(rep, CHECK_WARNING, skip_code(ev->skip), &ev->at,
			  *ev->name ? ev->name : NULL,
			  "the kernel skips this %s: %s", check_type_name(ev->mode),
			  cpio_skip_reason((enum cpio_skip)ev->skip));
		break;
	case TREE_EV_PARENT_MISSING:
		check_add(rep, CHECK_WARNING, "parent-missing", &ev->at, ev->name,
			  "not created: its parent directory does not exist at this point");
		break;
	case TREE_EV_PARENT_NOT_DIR:
		check_add(rep, CHECK_WARNING, "parent-not-dir", &ev->at, ev->name,
			  "not created: a component of its parent is not a directory");
		break;
	case TREE_EV_SYMLINK_LOOP:
		check_add(rep, CHECK_WARNING, "parent-symlink-loop", &ev->at, ev->name,
			  "not created: its parent is reached through more than %d symlinks",
			  TREE_MAX_SYMLINKS);
		break;
	case TREE_EV_BAD_NAME:
		check_add(rep, CHECK_WARNING, "bad-name", &ev->at, ev->name,
			  "not created: a %s cannot be made under a name that is empty or ends in '/', '.' or '..'",
			  check_type_name(ev->mode));
		break;
	case TREE_EV_UNKNOWN_TYPE:
		check_add(rep, CHECK_WARNING, "unknown-type", &ev->at, ev->name,
			  "file type %06o is none the kernel creates: nothing is made",
			  ev->mode);
		break;
	case TREE_EV_DIR_NOT_EMPTY:
		check_add(rep, CHECK_WARNING, "dir-not-empty", &ev->at, ev->name,
			  "this %s is not created: %s is in the way and, not empty, cannot be removed",
			  check_type_name(ev->mode), what);
		break;
	case TREE_EV_TYPE_CHANGED:
		check_add(rep, CHECK_WARNING, "type-changed", &ev->at, ev->name,
			  "this %s replaces %s", check_type_name(ev->mode), what);
		break;
	case TREE_EV_REPLACED:
	case TREE_EV_DUPLICATE:
		replaced_finding(rep, ev, what);
		break;
	case TREE_EV_LINK_FAILED:
	case TREE_EV_LINK_ACROSS_TRAILER:
		link_finding(rep, ev);
		break;
	}
	free(what);
}

/* --- reading ------------------------------------------------------------ */

/* Reads the image into t; the reader's or the tree's error is a finding. */
static void
read_image(struct tree *t, struct image_reader *r, struct check_report *rep)
{
	struct cpio_entry e;
	int rc;

	while ((rc = image_next(r, &e)) == 0)
		if (tree_add(t, r, &e) < 0)
			break;
	for (size_t i = 0; i < t->nevents; i++)
		event_finding(rep, &t->events[i]);
	if (rc < 0)
		read_error(rep, r, r->err.msg);
	else if (t->err.code == E2BIG)
		check_add(rep, CHECK_ERROR, "too-many-entries", NULL, NULL,
			  "%s; what came before is checked", t->err.msg);
	else if (es_failed(&t->err))
		read_error(rep, r, t->err.msg);
}

int
check_image(const char *path, const struct check_opts *o,
	    struct check_report *rep)
{
	struct check_ctx c;
	struct image_reader r;
	struct tree t;

	check_files_init(&c, o);
	if (image_open(&r, path) < 0) {
		check_add(rep, CHECK_ERROR, "unreadable", NULL, NULL, "%s", r.err.msg);
		return CHECK_ERROR + 1;
	}
	tree_init(&t, &c.insp);
	read_image(&t, &r, rep);
	image_close(&r);
	tree_finish(&t);
	check_boot(&t, o, rep);
	check_modules(&t, o, rep);
	check_kinit_modules(&t, o, rep);
	tree_free(&t);
	for (int s = CHECK_ERROR; s >= CHECK_NOTE; s--)
		if (rep->count[s])
			return s + 1;
	return 0;
}
