/*
 * cmd_info.c - `initramfs info`: the members of an image, one line each
 * (index, offset, stored size, format, decoded size, entries), or JSON.
 */
#include "cli/commands.h"
#include "cli/opts.h"
#include "image/image_reader.h"

#include <stdbool.h>
#include <stdio.h>

enum { OPT_JSON = 256 };

static const struct opt_def info_opts[] = {
	{ "json", OPT_JSON, NULL, "print a JSON object instead of a table" },
	{ 0 },
};

static const struct cmd_def info_cmd = {
	"info", "[options] IMAGE",
	"Describe the members of an image ('-': standard input).",
	"A member is an uncompressed cpio archive (up to its TRAILER!!!) or one\n"
	"compressed stream; NUL padding between members belongs to none.\n"
	"Columns: index, offset and stored bytes in the image, format, bytes\n"
	"once decoded, entries (trailers not counted). With --json:\n"
	"  {\"members\":[{\"index\":0,\"offset\":0,\"stored\":N,\"format\":\"none\",\n"
	"    \"size\":N,\"entries\":N}, ...]}\n"
	"Members before an error are still described; the exit status is 1.\n",
	info_opts,
};

static int
set_info_opt(void *ctx, int key, const char *arg)
{
	(void)arg;
	(void)key;
	*(bool *)ctx = true;
	return 0;
}

static const char *
format_name(const struct image_member *m)
{
	return m->codec ? m->codec->name : "none";
}

static void
print_table(const struct image_reader *r)
{
	printf("%-6s %12s %12s %-6s %12s %8s\n", "member", "offset", "stored",
	       "format", "size", "entries");
	for (int i = 0; i < r->nmembers; i++) {
		const struct image_member *m = &r->members[i];

		printf("%-6d %12llu %12llu %-6s %12llu %8llu\n", m->index,
		       (unsigned long long)m->offset,
		       (unsigned long long)m->stored, format_name(m),
		       (unsigned long long)m->size,
		       (unsigned long long)m->entries);
	}
}

static void
print_json(const struct image_reader *r)
{
	printf("{\"members\":[");
	for (int i = 0; i < r->nmembers; i++) {
		const struct image_member *m = &r->members[i];

		printf("%s{\"index\":%d,\"offset\":%llu,\"stored\":%llu,\"format\":\"%s\",\"size\":%llu,\"entries\":%llu}",
		       i ? "," : "", m->index, (unsigned long long)m->offset,
		       (unsigned long long)m->stored, format_name(m),
		       (unsigned long long)m->size,
		       (unsigned long long)m->entries);
	}
	printf("]}\n");
}

int
cmd_info(int argc, char **argv)
{
	bool json = false;
	int first = opts_parse(&info_cmd, argc, argv, set_info_opt, &json);
	struct image_reader r;
	struct cpio_entry e;
	int rc;

	if (argc - first != 1) {
		cli_error(&info_cmd, "expected one IMAGE");
		fprintf(stderr, "Try 'initramfs info --help'.\n");
		return 2;
	}
	rc = image_open(&r, argv[first]);
	r.threaded = false;	/* nothing to overlap decoding with */
	while (rc == 0 && (rc = image_next(&r, &e)) == 0)
		;
	if (json)
		print_json(&r);
	else
		print_table(&r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(&info_cmd, "writing the description failed");
		rc = -1;
	} else if (rc < 0) {
		cli_error(&info_cmd, "%s: %s", argv[first], r.err.msg);
	}
	image_close(&r);
	return rc < 0 ? 1 : 0;
}
