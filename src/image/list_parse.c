/* list_parse.c - see list_parse.h. */
#include "image/list_parse.h"
#include "base/xalloc.h"
#include "cpio/newc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX_FIELDS 4096

static const char *const kind_names[] = {
	[LK_FILE] = "file", [LK_DIR] = "dir", [LK_NOD] = "nod",
	[LK_SLINK] = "slink", [LK_PIPE] = "pipe", [LK_SOCK] = "sock",
	[LK_HARDLINK] = "hardlink", [LK_MTIME] = "mtime",
	[LK_PROGRAM] = "program", [LK_MODULE] = "module",
	[LK_FIRMWARE] = "firmware",
};

const char *
list_kind_name(enum list_kind k)
{
	return kind_names[k];
}

void
list_parser_init(struct list_parser *p, FILE *f, bool compat)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->compat = compat;
}

void
list_parser_free(struct list_parser *p)
{
	free(p->line);
	free(p->location);
	free(p->work);
	free(p->fields);
}

/* Splits s in place on white space (sscanf's %s separators). */
static int
split_fields(char *s, char **fields, int max)
{
	int n = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || n == max)
			return n;
		fields[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static bool
parse_uint(const char *s, int base, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, base);
	if (*end || errno || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Decodes \\ and \NNN in place; false on a malformed escape. */
static bool
unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (*s != '\\') {
			*d++ = *s++;
		} else if (s[1] == '\\') {
			*d++ = '\\';
			s += 2;
		} else if (s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
			   s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 4;
		} else {
			return false;
		}
	}
	*d = '\0';
	return true;
}

/* ${VAR} from the environment, once, left to right. */
static char *
expand_env(const char *s)
{
	size_t cap = strlen(s) + 1, len = 0;
	char *out = xmalloc(cap);

	while (*s) {
		const char *end = strncmp(s, "${", 2) == 0 ? strchr(s + 2, '}') : NULL;
		const char *add = s;
		size_t n = 1;

		if (end) {
			char *var = xstrndup(s + 2, (size_t)(end - s - 2));

			add = getenv(var);
			free(var);
			if (!add)
				add = "";
			n = strlen(add);
			s = end + 1;
		} else {
			s++;
		}
		xgrow((void **)&out, &cap, len + n + 1, 1);
		memcpy(out + len, add, n);
		len += n;
	}
	out[len] = '\0';
	return out;
}

static enum list_status
bad(struct list_item *it, const char *why)
{
	it->why = why;
	return LIST_BAD_VALUE;
}

/* Checks and decodes a name-like field. */
static enum list_status
take_path(struct list_parser *p, struct list_item *it, char *s)
{
	if (!p->compat && !unescape(s))
		return bad(it, "bad escape (use \\\\ or \\NNN in octal)");
	if (strlen(s) >= CPIO_PATH_MAX)
		return bad(it, "name longer than PATH_MAX");
	return LIST_ITEM;
}

static enum list_status
take_ids(struct list_item *it, char **f)
{
	if (!parse_uint(f[0], 8, &it->mode))
		return LIST_BAD_FIELDS;
	if (f[1][0] == '-' || f[2][0] == '-')
		return bad(it, "negative uid or gid");
	if (!parse_uint(f[1], 10, &it->uid) || !parse_uint(f[2], 10, &it->gid))
		return LIST_BAD_FIELDS;
	return LIST_ITEM;
}

static enum list_status
parse_nod(struct list_parser *p, struct list_item *it, char **f, int n)
{
	enum list_status st;

	if (n < 7 || f[4][1] != '\0')
		return LIST_BAD_FIELDS;
	st = take_ids(it, f + 1);
	if (st != LIST_ITEM)
		return st;
	it->devtype = f[4][0];
	if (!p->compat && it->devtype != 'b' && it->devtype != 'c')
		return bad(it, "device type must be b or c");
	if (!parse_uint(f[5], 10, &it->major) || !parse_uint(f[6], 10, &it->minor))
		return LIST_BAD_FIELDS;
	return LIST_ITEM;
}

/* Paths in fields f[0..n), checked and decoded. */
static enum list_status
take_paths(struct list_parser *p, struct list_item *it, char **f, int n)
{
	enum list_status st = LIST_ITEM;

	for (int i = 0; i < n && st == LIST_ITEM; i++)
		st = take_path(p, it, f[i]);
	return st;
}

/* program <host path> [<name>]: the path expands like a location. */
static enum list_status
parse_program(struct list_parser *p, struct list_item *it, char **f, int n)
{
	enum list_status st;

	if (n > 2)
		return LIST_BAD_FIELDS;
	if ((st = take_paths(p, it, f, n)) != LIST_ITEM)
		return st;
	free(p->location);
	it->location = p->location = expand_env(f[0]);
	it->names = f + 1;
	it->nnames = n - 1;
	return LIST_ITEM;
}

/* The directives after LK_COMPAT_END. */
static enum list_status
parse_ours(struct list_parser *p, struct list_item *it, char **f, int n)
{
	if (n < 1 || (it->kind == LK_HARDLINK && n != 2) ||
	    (it->kind == LK_MTIME && n != 1))
		return LIST_BAD_FIELDS;
	switch (it->kind) {
	case LK_MTIME:
		return parse_uint(f[0], 10, &it->mtime) ? LIST_ITEM :
			bad(it, "mtime must be seconds since 1970, at most 4294967295");
	case LK_PROGRAM:
		return parse_program(p, it, f, n);
	case LK_HARDLINK:
		it->target = f[1];
		it->nnames = 1;
		break;
	default:
		it->nnames = n;
		break;
	}
	it->names = f;
	return take_paths(p, it, f, n);
}

static enum list_status
parse_fields(struct list_parser *p, struct list_item *it, char **f, int n)
{
	static const int need[] = {
		[LK_FILE] = 5, [LK_DIR] = 4, [LK_NOD] = 7,
		[LK_SLINK] = 5, [LK_PIPE] = 4, [LK_SOCK] = 4,
	};
	int second = it->kind == LK_FILE || it->kind == LK_SLINK;
	enum list_status st;

	if (it->kind >= LK_COMPAT_END)
		return parse_ours(p, it, f, n);
	if (n < need[it->kind])
		return LIST_BAD_FIELDS;
	if (it->kind == LK_NOD)
		st = parse_nod(p, it, f, n);
	else
		st = take_ids(it, f + 1 + second);
	if (st != LIST_ITEM)
		return st;
	if (it->kind == LK_SLINK)
		it->target = f[1];
	if (it->kind == LK_FILE)
		it->location = f[1];
	/* Hard-link names follow gid: put the name before them. */
	it->nnames = it->kind == LK_FILE ? n - 4 : 1;
	it->names = it->kind == LK_FILE ? f + 4 : f;
	it->names[0] = f[0];
	for (int i = 0; i < it->nnames; i++)
		if ((st = take_path(p, it, it->names[i])) != LIST_ITEM)
			return st;
	if (it->target && (st = take_path(p, it, it->target)) != LIST_ITEM)
		return st;
	if (it->location) {
		if ((st = take_path(p, it, it->location)) != LIST_ITEM)
			return st;
		free(p->location);
		it->location = p->location = expand_env(it->location);
	}
	return LIST_ITEM;
}

/* The directive's index in kind_names, or -1; compat knows only the
 * kernel program's. */
static int
find_kind(const char *type, bool compat)
{
	size_t end = compat ? LK_COMPAT_END : sizeof(kind_names) / sizeof(kind_names[0]);

	for (size_t k = 0; k < end; k++)
		if (strcmp(type, kind_names[k]) == 0)
			return (int)k;
	return -1;
}

bool
list_kind_known(const char *type)
{
	return find_kind(type, true) >= 0;
}

static enum list_status
parse_args(struct list_parser *p, struct list_item *it, const char *args)
{
	size_t len = strlen(args) + 1;
	size_t max = len / 2 + 1;
	int n;

	xgrow((void **)&p->work, &p->work_cap, len, 1);
	memcpy(p->work, args, len);
	xgrow((void **)&p->fields, &p->fields_cap, max, sizeof(char *));
	n = split_fields(p->work, p->fields, (int)max);
	return parse_fields(p, it, p->fields, n);
}

/*
 * The line is cut the way gen_init_cpio's main loop cuts it (strtok on
 * " \t" for the type, then on "\n" for the arguments), so the same lines
 * count as blank, unknown or malformed.
 */
enum list_status
list_next(struct list_parser *p, struct list_item *it)
{
	ssize_t len;
	char *type, *args;
	int kind;

	memset(it, 0, sizeof(*it));
	errno = 0;
	len = getline(&p->line, &p->cap, p->f);
	if (len < 0) {
		it->err = errno;
		return errno ? LIST_READ_ERROR : LIST_EOF;
	}
	p->lineno++;
	if (p->line[0] == '#')
		return LIST_BLANK;
	type = p->line + strspn(p->line, " \t");
	if (!*type)
		return LIST_NO_TYPE;
	if (*type == '\n')
		return LIST_BLANK;
	args = type + strcspn(type, " \t");
	if (!*args && type == p->line)
		return LIST_BLANK;	/* one word and its newline */
	if (*args)
		*args++ = '\0';
	it->type = type;
	args += strspn(args, "\n");
	if (!*args)
		return LIST_NO_ARGS;
	args[strcspn(args, "\n")] = '\0';
	it->args = args;
	/* The kernel program matches the line's start, not the word: a
	 * line indented with white space is of an unknown type. */
	kind = find_kind(type, p->compat);
	if (kind < 0 || type != p->line) {
		it->type = p->line;
		return LIST_UNKNOWN_TYPE;
	}
	it->kind = (enum list_kind)kind;
	return parse_args(p, it, args);
}
