/*
 * fuzz_kmod.c - a modules directory's text index (kmod/index.h):
 * modules.dep, .alias, .softdep, .symbols, .builtin, .builtin.modinfo
 * and .order loaded, requests resolved in kmod's order (resolve.h),
 * and the index of the modules they reach written back (write.h).
 *
 * The index is read from files, so the input is cut into them at lines
 * holding "%%" alone, in the order above; a ninth part holds requests,
 * one a line (without it, every module of modules.dep up to
 * QUERIES_MAX is requested). Files after the last part given are
 * absent. They are written into a private directory made at start-up
 * and removed at exit, the only state kept between runs.
 * Limit: depmod's binary .bin indexes are not read by the tree, so
 * they are not fuzzed.
 */
#include "fuzz.h"

#include "kmod/index.h"
#include "kmod/resolve.h"
#include "kmod/write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#define QUERIES_MAX 16

static const char *const files[] = {
	"modules.dep", "modules.alias", "modules.softdep", "modules.symbols",
	"modules.builtin", "modules.builtin.modinfo", "modules.order",
};
#define NFILES (sizeof(files) / sizeof(*files))

/* The directory: libFuzzer gives the entry point no context to keep
 * it in. Set once, by LLVMFuzzerInitialize. */
static char moddir[PATH_MAX];

static void
remove_moddir(void)
{
	char path[PATH_MAX + 32];

	for (size_t i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", moddir, files[i]);
		unlink(path);
	}
	rmdir(moddir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(moddir, sizeof(moddir), "%s/fuzz-kmod.XXXXXX",
		 tmp ? tmp : "/tmp");
	if (!mkdtemp(moddir))
		fuzz_die(moddir);
	atexit(remove_moddir);
	return 0;
}

static void
put_file(const char *name, const uint8_t *p, size_t n)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", moddir, name);
	if (!p) {
		if (unlink(path) < 0 && errno != ENOENT)
			fuzz_die(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fuzz_die(path);
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			fuzz_die(path);
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) < 0)
		fuzz_die(path);
}

/* The next part of [*p, end) up to a "%%" line, or NULL when none is
 * left; *n its length. The newline before a "%%" line belongs to it,
 * so that a part may end without one (modules.builtin.modinfo ends
 * with a NUL). */
static const uint8_t *
next_part(const uint8_t **p, const uint8_t *end, size_t *n)
{
	const uint8_t *start = *p, *line = *p;

	if (!start)
		return NULL;
	while (line < end) {
		const uint8_t *nl = memchr(line, '\n', (size_t)(end - line));
		const uint8_t *next = nl ? nl + 1 : end;

		if (next - line >= 2 && line[0] == '%' && line[1] == '%' &&
		    (next - line == 2 || (next - line == 3 && nl))) {
			*n = (size_t)(line - start) - (line > start);
			*p = next;
			return start;
		}
		line = next;
	}
	*n = (size_t)(end - start);
	*p = NULL;
	return start;
}

static int
emit(void *ctx, const char *name, const char *data, size_t len)
{
	volatile size_t *sink = ctx;

	*sink += strlen(name);
	if (len)
		*sink += (uint8_t)data[0] + (uint8_t)data[len - 1];
	return 0;
}

static void
request(struct kmod_resolver *r, struct kmod_resolver *strict, const char *q)
{
	kmod_resolve(r, q);
	es_clear(&r->err);
	kmod_resolve(strict, q);
	es_clear(&strict->err);
	(void)kmod_index_find_builtin(r->ix, q);
}

/* Requests each line of the queries part (a copy, NUL-terminated). */
static void
requests(struct kmod_resolver *r, struct kmod_resolver *strict,
	 const uint8_t *q, size_t n)
{
	char *text = malloc(n + 1), *line, *save = NULL;
	unsigned count = 0;

	if (!text)
		fuzz_die("malloc");
	memcpy(text, q, n);
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line && count < QUERIES_MAX;
	     line = strtok_r(NULL, "\n", &save), count++)
		request(r, strict, line);
	free(text);
}

static void
use_index(const struct kmod_index *ix, const uint8_t *q, size_t qn)
{
	struct kmod_resolver r, strict;
	struct kmod_set set;
	struct es_error err = { 0 };
	volatile size_t sink = 0;

	kmod_resolver_init(&r, ix, KMOD_RESOLVE_REPEATS);
	kmod_resolver_init(&strict, ix, KMOD_RESOLVE_STRICT_SOFTDEPS);
	if (q)
		requests(&r, &strict, q, qn);
	else
		for (size_t i = 0; i < ix->nmods && i < QUERIES_MAX; i++)
			request(&r, &strict, ix->mods[i].name);
	kmod_set_init(&set, ix);
	kmod_set_add_steps(&set, &strict);
	kmod_write_index(&set, emit, (void *)&sink, &err);
	kmod_set_free(&set);
	kmod_resolver_free(&strict);
	kmod_resolver_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *q;
	struct kmod_index ix;
	size_t n, qn = 0;

	for (size_t i = 0; i < NFILES; i++) {
		const uint8_t *part = next_part(&p, data + size, &n);

		put_file(files[i], part ? part : NULL, n);
	}
	q = next_part(&p, data + size, &qn);
	if (kmod_index_load(&ix, moddir, 0) == 0)
		use_index(&ix, q, qn);
	kmod_index_free(&ix);
	return 0;
}
