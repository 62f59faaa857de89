/*
 * fuzz_list.c - the gen_init_cpio list language (list_parse.h), every
 * line of the input parsed in compat mode (gen_init_cpio) and then in
 * ours (escapes, hardlink, mtime, program, module, firmware).
 *
 * The input is read through fmemopen, as the parser reads any FILE.
 * `${VAR}` expands from the fuzzer's own environment.
 */
#include "fuzz.h"

#include "image/list_parse.h"

#include <string.h>

/* Reads the item's strings, so that ASan checks where they point. */
static size_t
touch(const struct list_item *it)
{
	size_t n = strlen(it->type) + strlen(it->args) +
		   strlen(list_kind_name(it->kind));

	for (int i = 0; i < it->nnames; i++)
		n += strlen(it->names[i]);
	if (it->location)
		n += strlen(it->location);
	if (it->target)
		n += strlen(it->target);
	return n;
}

static void
parse(const uint8_t *data, size_t size, bool compat)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct list_parser p;
	struct list_item it;
	enum list_status st;
	volatile size_t sink = 0;

	if (!f)
		fuzz_die("fmemopen");
	list_parser_init(&p, f, compat);
	while ((st = list_next(&p, &it)) != LIST_EOF) {
		if (st == LIST_ITEM)
			sink += touch(&it);
		else if (st == LIST_BAD_VALUE)
			sink += strlen(it.why);
		else if (st == LIST_READ_ERROR || st == LIST_NO_TYPE)
			break;
	}
	(void)sink;
	list_parser_free(&p);
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)		/* fmemopen refuses an empty buffer */
		return 0;
	parse(data, size, true);
	parse(data, size, false);
	return 0;
}
