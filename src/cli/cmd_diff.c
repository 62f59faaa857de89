/*
 * cmd_diff.c - `initramfs diff`: how the trees two images make differ,
 * one line a path (or a JSON document), with diff(1)'s exit status: 0
 * the same, 1 different, 2 trouble. The comparison is
 * src/image/diff.h's; doc/diff.md gives the formats.
 */
#include "base/json.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_IGNORE_MTIME = 256, OPT_MEMBERS, OPT_JSON };

static const struct opt_def diff_opts[] = {
	{ "ignore-mtime", OPT_IGNORE_MTIME, NULL, "do not compare mtimes" },
	{ "members", OPT_MEMBERS, NULL, "compare the members too: format, sizes, entries" },
	{ "json", OPT_JSON, NULL, "print a JSON document instead of lines" },
	{ 0 },
};

static const struct cmd_def diff_cmd = {
	"diff", "[options] A B",
	"Compare the trees of files two images ('-': standard input) unpack to.",
	"Both images are unpacked in memory as the kernel unpacks them, so\n"
	"record order, members and compression do not count, only the result.\n"
	"One line a path, in tree order:\n"
	"  + /path (file 123 bytes)        only in B\n"
	"  - /path (dir)                   only in A\n"
	"  ~ /path: mode 0755 -> 0700, content\n"
	"Fields: type, mode, uid, gid, size, content, target, rdev, nlink,\n"
	"linkgroup, mtime. With --members, then one line a member that differs:\n"
	"  ~ member 0: format gzip -> zstd, stored 900 -> 870\n"
	"--json: {\"a\":...,\"b\":...,\"added\":[...],\"removed\":[...],\n"
	"\"changed\":[{\"path\":...,\"fields\":{\"mode\":[\"0755\",\"0700\"]}}],\n"
	"\"members\":null or {...}}. Exit status: 0 the same, 1 different,\n"
	"2 trouble (an image that cannot be read: which, where and why).\n",
	diff_opts,
};

struct diff_cli {
	unsigned flags;
	bool members, json;
};

static int
set_diff_opt(void *ctx, int key, const char *arg)
{
	struct diff_cli *c = ctx;

	(void)arg;
	if (key == OPT_IGNORE_MTIME)
		c->flags |= DIFF_IGNORE_MTIME;
	else if (key == OPT_MEMBERS)
		c->members = true;
	else
		c->json = true;
	return 0;
}

static void
put_text(const char *s, bool json)
{
	if (json)
		json_put(stdout, s);
	else
		cli_put_name(s);
}

/* One side's value of field: quoted where JSON needs a string. */
static void
put_value(unsigned field, const struct tree_inode *in, const char *group,
	  bool json)
{
	const char *q = json ? "\"" : "";

	switch (field) {
	case DIFF_TYPE:
		printf("%s%s%s", q, diff_type_name(in->mode), q);
		break;
	case DIFF_MODE:
		printf("%s%04o%s", q, in->mode & 07777, q);
		break;
	case DIFF_UID:
		printf("%u", in->uid);
		break;
	case DIFF_GID:
		printf("%u", in->gid);
		break;
	case DIFF_SIZE:
		printf("%llu", (unsigned long long)in->size);
		break;
	case DIFF_CONTENT:
		printf("%s%016llx%s", q, (unsigned long long)in->hash, q);
		break;
	case DIFF_TARGET:
		put_text(in->target ? in->target : "", json);
		break;
	case DIFF_RDEV:
		printf("%s%u:%u%s", q, in->rdevmajor, in->rdevminor, q);
		break;
	case DIFF_NLINK:
		printf("%u", in->nlink);
		break;
	case DIFF_LINKGROUP:
		put_text(group, json);
		break;
	case DIFF_MTIME:
		printf("%u", in->mtime);
		break;
	}
}

/* --- lines ------------------------------------------------------------ */

/* "(file 123 bytes)", "(dir)", "(symlink to x)", "(chardev 5:1)", and
 * ", hard link to /x" when an earlier name shares the inode. */
static void
put_brief(const struct tree_inode *in, const char *path, const char *group)
{
	printf(" (%s", diff_type_name(in->mode));
	if (S_ISREG(in->mode)) {
		printf(" %llu byte%s", (unsigned long long)in->size,
		       in->size == 1 ? "" : "s");
	} else if (S_ISLNK(in->mode)) {
		fputs(" to ", stdout);
		cli_put_name(in->target ? in->target : "");
	} else if (S_ISCHR(in->mode) || S_ISBLK(in->mode)) {
		putchar(' ');
		put_value(DIFF_RDEV, in, NULL, false);
	}
	if (group && strcmp(group, path)) {
		fputs(", hard link to ", stdout);
		cli_put_name(group);
	}
	putchar(')');
}

static void
print_change_line(const struct diff_change *c)
{
	const char *sep = ": ";

	putchar(c->kind == DIFF_ADDED ? '+' : c->kind == DIFF_REMOVED ? '-' : '~');
	putchar(' ');
	cli_put_name(c->path);
	if (c->kind != DIFF_CHANGED) {
		put_brief(c->a ? c->a : c->b, c->path,
			  c->a ? c->group_a : c->group_b);
		putchar('\n');
		return;
	}
	for (unsigned bit = 1; bit < 1u << DIFF_NFIELDS; bit <<= 1) {
		if (!(c->fields & bit))
			continue;
		printf("%s%s", sep, diff_field_name(bit));
		sep = ", ";
		if (bit == DIFF_CONTENT)
			continue;	/* the hashes say nothing to a reader */
		putchar(' ');
		put_value(bit, c->a, c->group_a, false);
		fputs(" -> ", stdout);
		put_value(bit, c->b, c->group_b, false);
	}
	putchar('\n');
}

static const char *
format_name(const struct image_member *m)
{
	return m->codec ? m->codec->name : "none";
}

/* ", stored 900 -> 870" or ",\"stored\":[900,870]" when it differs. */
static void
put_count(const char **sep, bool differs, const char *name, uint64_t a,
	  uint64_t b, bool json)
{
	if (!differs)
		return;
	printf(json ? "%s\"%s\":[%llu,%llu]" : "%s%s %llu -> %llu", *sep, name,
	       (unsigned long long)a, (unsigned long long)b);
	*sep = json ? "," : ", ";
}

static void
put_counts(const struct diff_member *d, const char **sep, bool json)
{
	const struct image_member *a = d->a, *b = d->b;

	put_count(sep, d->fields & DIFF_M_STORED, "stored", a->stored, b->stored,
		  json);
	put_count(sep, d->fields & DIFF_M_SIZE, "size", a->size, b->size, json);
	put_count(sep, d->fields & DIFF_M_ENTRIES, "entries", a->entries,
		  b->entries, json);
}

static void
print_member_line(const struct diff_member *d)
{
	const struct image_member *a = d->a, *b = d->b, *m = a ? a : b;
	const char *sep = ": ";

	if (!a || !b) {
		printf("%c member %d (%s, %llu entries, %llu bytes, %llu stored)\n",
		       a ? '-' : '+', d->index, format_name(m),
		       (unsigned long long)m->entries,
		       (unsigned long long)m->size,
		       (unsigned long long)m->stored);
		return;
	}
	printf("~ member %d", d->index);
	if (d->fields & DIFF_M_FORMAT) {
		printf("%sformat %s -> %s", sep, format_name(a), format_name(b));
		sep = ", ";
	}
	put_counts(d, &sep, false);
	putchar('\n');
}

static void
print_lines(const struct diff_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		print_change_line(&res->v[i]);
	for (size_t i = 0; i < res->nm; i++)
		print_member_line(&res->m[i]);
}

/* --- JSON ------------------------------------------------------------- */

/* An entry only one image has, described whole. */
static void
put_json_entry(const char *path, const struct tree_inode *in,
	       const char *group)
{
	fputs("{\"path\":", stdout);
	json_put(stdout, path);
	printf(",\"type\":\"%s\",\"mode\":\"%04o\",\"uid\":%u,\"gid\":%u,\"mtime\":%u",
	       diff_type_name(in->mode), in->mode & 07777, in->uid, in->gid,
	       in->mtime);
	if (S_ISREG(in->mode))
		printf(",\"size\":%llu,\"content\":\"%016llx\"",
		       (unsigned long long)in->size, (unsigned long long)in->hash);
	if (S_ISLNK(in->mode)) {
		fputs(",\"target\":", stdout);
		json_put(stdout, in->target ? in->target : "");
	}
	if (S_ISCHR(in->mode) || S_ISBLK(in->mode))
		printf(",\"rdev\":\"%u:%u\"", in->rdevmajor, in->rdevminor);
	if (group) {
		printf(",\"nlink\":%u,\"linkgroup\":", in->nlink);
		json_put(stdout, group);
	}
	putchar('}');
}

static void
put_json_fields(const struct diff_change *c)
{
	const char *sep = "";

	fputs("{\"path\":", stdout);
	json_put(stdout, c->path);
	fputs(",\"fields\":{", stdout);
	for (unsigned bit = 1; bit < 1u << DIFF_NFIELDS; bit <<= 1) {
		if (!(c->fields & bit))
			continue;
		printf("%s\"%s\":[", sep, diff_field_name(bit));
		put_value(bit, c->a, c->group_a, true);
		putchar(',');
		put_value(bit, c->b, c->group_b, true);
		putchar(']');
		sep = ",";
	}
	fputs("}}", stdout);
}

static void
put_json_changes(const struct diff_result *res, enum diff_kind kind)
{
	const char *sep = "";

	putchar('[');
	for (size_t i = 0; i < res->n; i++) {
		const struct diff_change *c = &res->v[i];

		if (c->kind != kind)
			continue;
		fputs(sep, stdout);
		if (kind == DIFF_CHANGED)
			put_json_fields(c);
		else
			put_json_entry(c->path, c->a ? c->a : c->b,
				       c->a ? c->group_a : c->group_b);
		sep = ",";
	}
	putchar(']');
}

static void
put_json_member(const struct image_member *m)
{
	printf("{\"index\":%d,\"format\":\"%s\",\"offset\":%llu,\"stored\":%llu,\"size\":%llu,\"entries\":%llu}",
	       m->index, format_name(m), (unsigned long long)m->offset,
	       (unsigned long long)m->stored, (unsigned long long)m->size,
	       (unsigned long long)m->entries);
}

static void
put_json_member_fields(const struct diff_member *d)
{
	const char *sep = "";

	printf("{\"index\":%d,\"fields\":{", d->index);
	if (d->fields & DIFF_M_FORMAT) {
		printf("\"format\":[\"%s\",\"%s\"]", format_name(d->a),
		       format_name(d->b));
		sep = ",";
	}
	put_counts(d, &sep, true);
	fputs("}}", stdout);
}

/* added: members only B has; removed: only A; changed: both. */
static void
put_json_members(const struct diff_image *a, const struct diff_image *b,
		 const struct diff_result *res)
{
	static const char *const keys[] = { "added", "removed", "changed" };

	printf("{\"a\":%d,\"b\":%d", a->nmembers, b->nmembers);
	for (int k = 0; k < 3; k++) {
		const char *sep = "";

		printf(",\"%s\":[", keys[k]);
		for (size_t i = 0; i < res->nm; i++) {
			const struct diff_member *d = &res->m[i];
			int kind = !d->a ? 0 : !d->b ? 1 : 2;

			if (kind != k)
				continue;
			fputs(sep, stdout);
			if (k == 2)
				put_json_member_fields(d);
			else
				put_json_member(d->a ? d->a : d->b);
			sep = ",";
		}
		putchar(']');
	}
	putchar('}');
}

static void
print_json(const struct diff_image *a, const struct diff_image *b,
	   const struct diff_result *res, bool members)
{
	fputs("{\"a\":", stdout);
	json_put(stdout, a->path);
	fputs(",\"b\":", stdout);
	json_put(stdout, b->path);
	fputs(",\"added\":", stdout);
	put_json_changes(res, DIFF_ADDED);
	fputs(",\"removed\":", stdout);
	put_json_changes(res, DIFF_REMOVED);
	fputs(",\"changed\":", stdout);
	put_json_changes(res, DIFF_CHANGED);
	fputs(",\"members\":", stdout);
	if (members)
		put_json_members(a, b, res);
	else
		fputs("null", stdout);
	fputs("}\n", stdout);
}

/* --- the command ------------------------------------------------------- */

/* Reads both images; each that cannot be read is an error message. */
static int
load_both(struct diff_image *a, struct diff_image *b, char **argv)
{
	int bad = 0;

	if (diff_load(a, argv[0]) < 0) {
		cli_error(&diff_cmd, "%s: %s", argv[0], a->err.msg);
		bad = 1;
	}
	if (diff_load(b, argv[1]) < 0) {
		cli_error(&diff_cmd, "%s: %s", argv[1], b->err.msg);
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
cmd_diff(int argc, char **argv)
{
	struct diff_cli c = { 0 };
	int first = opts_parse(&diff_cmd, argc, argv, set_diff_opt, &c);
	struct diff_image a, b;
	struct diff_result res = { 0 };
	int status = 2;

	if (argc - first != 2) {
		cli_error(&diff_cmd, "expected two images, A and B");
		fprintf(stderr, "Try 'initramfs diff --help'.\n");
		return 2;
	}
	if (!strcmp(argv[first], "-") && !strcmp(argv[first + 1], "-")) {
		cli_error(&diff_cmd, "only one of A and B can be standard input");
		return 2;
	}
	if (load_both(&a, &b, argv + first) == 0) {
		diff_trees(&a, &b, c.flags, &res);
		if (c.members)
			diff_members(&a, &b, &res);
		if (c.json)
			print_json(&a, &b, &res, c.members);
		else
			print_lines(&res);
		status = res.n || res.nm ? 1 : 0;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_error(&diff_cmd, "writing the differences failed");
			status = 2;
		}
	}
	diff_result_free(&res);
	diff_image_free(&a);
	diff_image_free(&b);
	return status;
}
