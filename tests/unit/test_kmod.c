/* test_kmod.c - the module index (src/kmod): loading a moddir's text
 * files, resolving requests in kmod's order, and writing a subset's
 * index. Every fixture is a small moddir written to a temporary
 * directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmtree.h"

#include <errno.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod/glob.h"
#include "kmod/index.h"
#include "kmod/resolve.h"
#include "kmod/write.h"

/* ---- fixtures ---- */

struct fix {
	char dir[256];
	struct kmod_index ix;
	struct kmod_resolver r;
	bool loaded, resolving;
};

static void
put_file(const struct fix *f, const char *name, const char *text, size_t len)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	if (strchr(name, '/')) {
		char dir[512];

		snprintf(dir, sizeof(dir), "%s", path);
		*strrchr(dir, '/') = '\0';
		for (char *p = dir + strlen(f->dir) + 1; (p = strchr(p, '/')); *p++ = '/') {
			*p = '\0';
			mkdir(dir, 0755);
		}
		mkdir(dir, 0755);
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
put(const struct fix *f, const char *name, const char *text)
{
	put_file(f, name, text, strlen(text));
}

static void
fix_open(struct fix *f)
{
	const char *tmp = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/kmod.XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
}

static void
fix_close(struct fix *f)
{
	if (f->resolving)
		kmod_resolver_free(&f->r);
	if (f->loaded)
		kmod_index_free(&f->ix);
	rmtree(f->dir);
}

/* Loads the fixture; the index must load. */
static void
load(struct fix *f, unsigned ixflags, unsigned rflags)
{
	int rc = kmod_index_load(&f->ix, f->dir, ixflags);

	f->loaded = true;
	if (rc < 0)
		fail_msg("index of %s: expected to load, got: %s", f->dir, f->ix.err.msg);
	kmod_resolver_init(&f->r, &f->ix, rflags);
	f->resolving = true;
}

/* The index must not load; its message, without the directory. */
static const char *
load_error(struct fix *f)
{
	static char msg[1024];
	size_t dl = strlen(f->dir);

	if (kmod_index_load(&f->ix, f->dir, 0) == 0)
		fail_msg("index of %s: expected an error, it loaded", f->dir);
	f->loaded = true;
	if (strncmp(f->ix.err.msg, f->dir, dl) == 0)
		snprintf(msg, sizeof(msg), "DIR%s", f->ix.err.msg + dl);
	else
		snprintf(msg, sizeof(msg), "%s", f->ix.err.msg);
	return msg;
}

/* The steps from `from` on: names, "builtin:NAME" for built-in ones. */
static const char *
steps_from(const struct fix *f, size_t from)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = from; i < f->r.nsteps && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s%s",
					i > from ? " " : "",
					f->r.steps[i].kind == KMOD_STEP_BUILTIN ? "builtin:" : "",
					kmod_step_name(&f->ix, &f->r.steps[i]));
	return buf;
}

/* What request adds to the list. */
static const char *
resolved(struct fix *f, const char *request)
{
	size_t from = f->r.nsteps;

	if (kmod_resolve(&f->r, request) < 0)
		fail_msg("%s: expected to resolve, got: %s", request, f->r.err.msg);
	return steps_from(f, from);
}

/* The error request gets, with the fixture's directory as DIR. */
static const char *
resolve_error(struct fix *f, const char *request)
{
	static char msg[1024];
	size_t before = f->r.nsteps, dl = strlen(f->dir);
	const char *at;

	if (kmod_resolve(&f->r, request) == 0)
		fail_msg("%s: expected an error, got \"%s\"", request,
			 steps_from(f, before));
	assert_int_equal(f->r.nsteps, before);
	at = strstr(f->r.err.msg, f->dir);
	if (at)
		snprintf(msg, sizeof(msg), "%.*sDIR%s", (int)(at - f->r.err.msg),
			 f->r.err.msg, at + dl);
	else
		snprintf(msg, sizeof(msg), "%s", f->r.err.msg);
	es_clear(&f->r.err);
	return msg;
}

/* ---- loading ---- */

static void
dependency_chain_deepest_first(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep",
	    "kernel/fs/a.ko: kernel/lib/b.ko kernel/lib/c.ko\n"
	    "kernel/lib/b.ko: kernel/lib/c.ko\n"
	    "kernel/lib/c.ko:\n"
	    "kernel/lib/d.ko: kernel/lib/c.ko\n");
	load(&f, 0, 0);
	assert_int_equal(f.ix.nmods, 4);
	assert_string_equal(resolved(&f, "a"), "c b a");
	/* each module once across a resolver's requests */
	assert_string_equal(resolved(&f, "d"), "d");
	assert_string_equal(resolved(&f, "a"), "");
	fix_close(&f);
}

static void
dash_and_underscore_alike(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep",
	    "kernel/drivers/crc32c-intel.ko.xz:\n"
	    "kernel/drivers/foo_bar.ko.zst: kernel/drivers/crc32c-intel.ko.xz\n");
	load(&f, 0, KMOD_RESOLVE_REPEATS);
	assert_string_equal(f.ix.mods[0].name, "crc32c_intel");
	assert_int_equal(kmod_index_find(&f.ix, "crc32c-intel"), 0);
	assert_int_equal(kmod_index_find(&f.ix, "crc32c_intel"), 0);
	assert_int_equal(kmod_index_find(&f.ix, "/x/crc32c-intel.ko.gz"), 0);
	assert_int_equal(kmod_index_find(&f.ix, "crc32c"), -1);
	assert_string_equal(resolved(&f, "foo-bar"), "crc32c_intel foo_bar");
	assert_string_equal(resolved(&f, "foo_bar"), "crc32c_intel foo_bar");
	fix_close(&f);
}

static void
missing_modules_dep(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	assert_string_equal(load_error(&f), "DIR: no modules.dep (run depmod)");
	fix_close(&f);
}

/* One bad file each: the message names file and line. */
static void
expect_load_error(const char *file, const char *text, size_t len,
		  const char *want)
{
	struct fix f;

	fix_open(&f);
	if (strcmp(file, "modules.dep") != 0)
		put(&f, "modules.dep", "kernel/a.ko:\nkernel/b.ko: kernel/a.ko\n");
	put_file(&f, file, text, len);
	if (strcmp(load_error(&f), want) != 0)
		fail_msg("%s \"%.*s\": expected \"%s\", got \"%s\"", file, (int)len,
			 text, want, load_error(&f));
	fix_close(&f);
}

#define BAD(file, text, want) expect_load_error(file, text, sizeof(text) - 1, want)

static void
malformed_lines_name_file_and_line(void **state)
{
	(void)state;
	BAD("modules.dep", "kernel/a.ko:\nkernel/b.ko kernel/a.ko\n",
	    "DIR/modules.dep:2: no ':' after the module's path");
	BAD("modules.dep", "kernel/a.ko:\n\n# c\nkernel/a.ko:\n",
	    "DIR/modules.dep:4: module a again (line 1)");
	BAD("modules.dep", "kernel/a.o:\n",
	    "DIR/modules.dep:1: kernel/a.o: not a .ko, .ko.xz, .ko.zst or .ko.gz file");
	BAD("modules.dep", "kernel/a.ko kernel/b.ko:\n",
	    "DIR/modules.dep:1: expected one path before ':'");
	BAD("modules.dep", "kernel/a.ko: kernel/z.ko\n",
	    "DIR/modules.dep:1: dependency kernel/z.ko has no line of its own");
	BAD("modules.dep", "kernel/a.ko: extra/b.ko\nkernel/b.ko:\n",
	    "DIR/modules.dep:1: dependency extra/b.ko is not b's path kernel/b.ko (line 2)");
	BAD("modules.dep", "kernel/a.ko:\nkernel/\0b.ko:\n",
	    "DIR/modules.dep:2: NUL byte in the line");
	BAD("modules.alias", "# c\nalias foo a\nalias bar\n",
	    "DIR/modules.alias:3: expected 'alias PATTERN MODULE'");
	BAD("modules.alias", "options a x=1\n",
	    "DIR/modules.alias:1: expected 'alias PATTERN MODULE'");
	BAD("modules.alias", "alias foo zz\n",
	    "DIR/modules.alias:1: module zz is not in modules.dep");
	BAD("modules.alias", "alias usb:v[0-9*x a\n",
	    "DIR/modules.alias:1: unmatched bracket in usb:v[0-9*x");
	BAD("modules.symbols", "alias symbol:x a b\n",
	    "DIR/modules.symbols:1: expected 'alias PATTERN MODULE'");
	BAD("modules.softdep", "softdep a\n",
	    "DIR/modules.softdep:1: expected 'softdep MODULE [pre: NAME...] [post: NAME...]'");
	BAD("modules.softdep", "\nblacklist a\n",
	    "DIR/modules.softdep:2: expected 'softdep MODULE [pre: NAME...] [post: NAME...]'");
	BAD("modules.builtin", "kernel/x.ko\nkernel/y.ko kernel/z.ko\n",
	    "DIR/modules.builtin:2: expected one path");
	BAD("modules.order", "kernel/a.ko\nkernel/b.ko x\n",
	    "DIR/modules.order:2: expected one module path");
	BAD("modules.builtin.modinfo", "hmac.alias=crypto-hmac\0nodot\0",
	    "DIR/modules.builtin.modinfo: record 2: expected MODULE.KEY=VALUE");
}

static void
dependency_cycle_refused(void **state)
{
	(void)state;
	BAD("modules.dep", "kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/c.ko\n"
	    "kernel/c.ko: kernel/a.ko\n",
	    "DIR/modules.dep:1: dependency cycle: a -> b -> c -> a");
	BAD("modules.dep", "kernel/x.ko:\nkernel/a.ko: kernel/a.ko\n",
	    "DIR/modules.dep:2: dependency cycle: a -> a");
}

/* ---- aliases ---- */

static void
alias_patterns_as_kmod_matches_them(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep",
	    "kernel/virtio_ring.ko:\n"
	    "kernel/virtio.ko: kernel/virtio_ring.ko\n"
	    "kernel/virtio_blk.ko: kernel/virtio.ko kernel/virtio_ring.ko\n"
	    "kernel/ext4.ko:\n"
	    "kernel/crc32c-intel.ko:\n"
	    "kernel/crc32c_generic.ko:\n"
	    "kernel/usbx.ko:\n"
	    "kernel/wild.ko:\n");
	put(&f, "modules.alias",
	    "# Aliases extracted from modules themselves.\n"
	    "alias virtio:d00000002v* virtio_blk\n"
	    "alias fs-ext4 ext4\n"
	    "alias crypto-crc32c crc32c-intel\n"
	    "alias crypto-crc32c crc32c_generic\n"
	    "alias usb:v1234p[0-9A-F]*-x* usbx\n"
	    "alias pci:v00001AF4d00001001sv00000000sd00000002bc01sc*i* virtio_blk\n"
	    "alias *:WILD wild\n");
	load(&f, 0, KMOD_RESOLVE_REPEATS);
	assert_string_equal(resolved(&f, "virtio:d00000002v00001AF4"),
			    "virtio_ring virtio virtio_blk");
	/* the query's '-' is '_', and so is the pattern's */
	assert_string_equal(resolved(&f, "fs-ext4"), "ext4");
	assert_string_equal(resolved(&f, "fs_ext4"), "ext4");
	/* every match, in file order */
	assert_string_equal(resolved(&f, "crypto-crc32c"), "crc32c_intel crc32c_generic");
	/* '-' inside brackets stays a range */
	assert_string_equal(resolved(&f, "usb:v1234pB-x1"), "usbx");
	assert_string_equal(resolve_error(&f, "usb:v1234pG-x1"),
			    "usb:v1234pG-x1: no module or alias");
	assert_string_equal(resolved(&f, "pci:v00001AF4d00001001sv00000000sd00000002bc01sc00i00"),
			    "virtio_ring virtio virtio_blk");
	assert_string_equal(resolved(&f, "acpi:WILD"), "wild");
	fix_close(&f);
}

static void
alias_missing(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", "kernel/usbx.ko:\n");
	put(&f, "modules.alias", "alias usb:v1234* usbx\n");
	load(&f, 0, 0);
	assert_string_equal(resolve_error(&f, "usb:v9999"), "usb:v9999: no module or alias");
	assert_string_equal(resolve_error(&f, "nope"), "nope: no module or alias");
	assert_string_equal(resolve_error(&f, "a]b"), "a]b: unmatched bracket, or too long");
	assert_string_equal(resolved(&f, "usb:v1234"), "usbx");
	fix_close(&f);
}

static void
symbol_requests(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", "kernel/drm.ko:\nkernel/other.ko:\n");
	put(&f, "modules.symbols",
	    "# Aliases for symbols, used by symbol_request().\n"
	    "alias symbol:drm_need_swiotlb drm\n");
	put(&f, "modules.alias", "alias symbol:* other\n");
	load(&f, 0, 0);
	/* modules.symbols answers first, as in kmod */
	assert_string_equal(resolved(&f, "symbol:drm_need_swiotlb"), "drm");
	assert_string_equal(resolved(&f, "symbol:else"), "other");
	fix_close(&f);
}

/* ---- softdeps ---- */

static void
softdeps_pre_and_post_through_aliases(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep",
	    "kernel/crc16.ko:\n"
	    "kernel/mbcache.ko:\n"
	    "kernel/jbd2.ko:\n"
	    "kernel/ext4.ko: kernel/crc16.ko kernel/mbcache.ko kernel/jbd2.ko\n"
	    "kernel/crc32c-intel.ko:\n"
	    "kernel/crc32c_generic.ko:\n"
	    "kernel/ipmi_msghandler.ko:\n"
	    "kernel/ipmi_devintf.ko: kernel/ipmi_msghandler.ko\n"
	    "kernel/cifs.ko:\n"
	    "kernel/gcm.ko:\n"
	    "kernel/ksmbd.ko:\n"
	    "kernel/crc32.ko:\n");
	put(&f, "modules.alias",
	    "alias crypto-crc32c crc32c_intel\n"
	    "alias crypto-crc32c crc32c_generic\n");
	put(&f, "modules.softdep",
	    "# Soft dependencies extracted from modules themselves.\n"
	    "softdep ext4 pre: crypto-crc32c\n"
	    "softdep jbd2 pre: crypto-crc32c\n"
	    "softdep ipmi_msghandler post: ipmi_devintf\n"
	    "softdep cifs gcm\n"
	    "softdep ksmbd pre: crc32\n"
	    "softdep ksmbd pre: gcm\n");
	load(&f, 0, 0);
	/* jbd2's softdep comes first: dependencies go deepest first, each
	 * with its own softdeps */
	assert_string_equal(resolved(&f, "ext4"),
			    "crc32c_intel crc32c_generic jbd2 mbcache crc16 ext4");
	assert_string_equal(resolved(&f, "ipmi_msghandler"),
			    "ipmi_msghandler ipmi_devintf");
	/* names before "pre:" are ignored; only a module's first line counts */
	assert_string_equal(resolved(&f, "cifs"), "cifs");
	assert_string_equal(resolved(&f, "ksmbd"), "crc32 ksmbd");
	fix_close(&f);
}

static void
softdep_missing_warns_or_fails(void **state)
{
	static const char dep[] =
		"kernel/jbd2.ko:\nkernel/ext4.ko: kernel/jbd2.ko\n";
	static const char softdep[] =
		"softdep ext4 pre: crypto-crc32c\nsoftdep jbd2 pre: crypto-crc32c\n";
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", dep);
	put(&f, "modules.softdep", softdep);
	put(&f, "modules.alias", "alias fs-ext4 ext4\n");
	load(&f, 0, 0);
	assert_string_equal(resolved(&f, "fs-ext4"), "jbd2 ext4");
	assert_int_equal(f.r.nwarnings, 2);
	assert_string_equal(f.r.warnings[0],
			    "crypto-crc32c: no module or alias, softdep of jbd2, dependency of ext4, for fs-ext4");
	assert_string_equal(f.r.warnings[1],
			    "crypto-crc32c: no module or alias, softdep of ext4, for fs-ext4");
	fix_close(&f);

	fix_open(&f);
	put(&f, "modules.dep", dep);
	put(&f, "modules.softdep", softdep);
	load(&f, 0, KMOD_RESOLVE_STRICT_SOFTDEPS);
	assert_string_equal(resolve_error(&f, "ext4"),
			    "crypto-crc32c: no module or alias, softdep of jbd2, dependency of ext4");
	assert_string_equal(resolve_error(&f, "jbd2"),
			    "crypto-crc32c: no module or alias, softdep of jbd2");
	assert_int_equal(f.r.nsteps, 0);
	fix_close(&f);
}

static void
softdep_cycle_ends_as_in_kmod(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", "kernel/a.ko:\nkernel/b.ko:\n");
	put(&f, "modules.softdep", "softdep a pre: b\nsoftdep b pre: a post: a\n");
	load(&f, 0, KMOD_RESOLVE_REPEATS);
	assert_string_equal(resolved(&f, "a"), "b a");
	assert_string_equal(resolved(&f, "b"), "a b");
	fix_close(&f);
}

static void
softdeps_nested_too_deep(void **state)
{
	char dep[8192], sd[8192];
	size_t dl = 0, sl = 0;
	struct fix f;

	(void)state;
	fix_open(&f);
	for (int i = 0; i < 200; i++) {
		dl += (size_t)snprintf(dep + dl, sizeof(dep) - dl, "kernel/m%d.ko:\n", i);
		if (i < 199)
			sl += (size_t)snprintf(sd + sl, sizeof(sd) - sl,
					       "softdep m%d pre: m%d\n", i, i + 1);
	}
	put(&f, "modules.dep", dep);
	put(&f, "modules.softdep", sd);
	load(&f, 0, 0);
	assert_non_null(strstr(resolve_error(&f, "m0"), ": softdeps nested too deep, softdep of m"));
	assert_int_equal(kmod_resolve(&f.r, "m150"), 0);
	assert_int_equal(f.r.nsteps, 50);
	fix_close(&f);
}

/* kmod probes a dependency without marking it, so a module reached as a
 * dependency and again through a softdep is listed again (as modprobe
 * --show-depends lists crct10dif_common three times for sd_mod). */
static void
repeats_as_modprobe_prints_them(void **state)
{
	static const char dep[] =
		"kernel/common.ko:\n"
		"kernel/impl1.ko: kernel/common.ko\n"
		"kernel/impl2.ko: kernel/common.ko\n"
		"kernel/lib.ko: kernel/common.ko\n"
		"kernel/sd.ko: kernel/lib.ko kernel/common.ko\n";
	static const char alias[] = "alias algo impl1\nalias algo impl2\n";
	static const char softdep[] = "softdep lib pre: algo\n";
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", dep);
	put(&f, "modules.alias", alias);
	put(&f, "modules.softdep", softdep);
	load(&f, 0, KMOD_RESOLVE_REPEATS);
	assert_string_equal(resolved(&f, "sd"),
			    "common common impl1 common impl2 lib sd");
	/* each alias match is a probe of its own, as modprobe -a does */
	assert_string_equal(resolved(&f, "algo"), "common impl1 common impl2");
	fix_close(&f);

	fix_open(&f);
	put(&f, "modules.dep", dep);
	put(&f, "modules.alias", alias);
	put(&f, "modules.softdep", softdep);
	load(&f, 0, 0);
	assert_string_equal(resolved(&f, "sd"), "common impl1 impl2 lib sd");
	fix_close(&f);
}

/* ---- built-in modules ---- */

static void
builtin_modules_need_nothing(void **state)
{
	static const char modinfo[] =
		"hmac.alias=crypto-hmac\0hmac.alias=hmac\0hmac.license=GPL\0"
		"debugfs.alias=fs-debugfs\0";
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", "kernel/sha.ko:\nkernel/user.ko:\n");
	put(&f, "modules.builtin", "kernel/crypto/hmac.ko\nkernel/fs/ext2.ko\n");
	put_file(&f, "modules.builtin.modinfo", modinfo, sizeof(modinfo) - 1);
	put(&f, "modules.softdep", "softdep user pre: hmac post: fs-debugfs\n");
	load(&f, 0, KMOD_RESOLVE_REPEATS);
	assert_string_equal(resolved(&f, "hmac"), "builtin:hmac");
	assert_string_equal(resolved(&f, "ext2"), "builtin:ext2");
	assert_string_equal(resolved(&f, "crypto-hmac"), "builtin:hmac");
	assert_string_equal(resolved(&f, "fs-debugfs"), "builtin:debugfs");
	/* debugfs is no module: modules.builtin does not list it */
	assert_string_equal(resolve_error(&f, "debugfs"), "debugfs: no module or alias");
	assert_string_equal(resolved(&f, "user"), "builtin:hmac user builtin:debugfs");
	assert_int_equal(kmod_index_find_builtin(&f.ix, "hmac"), 0);
	assert_int_equal(kmod_index_find_builtin(&f.ix, "debugfs"), -1);
	fix_close(&f);
}

/* ---- path patterns ---- */

static void
path_patterns(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep",
	    "kernel/drivers/virtio/virtio_ring.ko:\n"
	    "kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko\n"
	    "kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko\n"
	    "kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko\n"
	    "kernel/fs/ext4/ext4.ko:\n");
	load(&f, 0, KMOD_RESOLVE_REPEATS);
	/* modules.dep's order; '*' crosses '/' */
	assert_string_equal(resolved(&f, "kernel/drivers/virtio/*"),
			    "virtio_ring virtio_ring virtio virtio_ring virtio virtio_pci");
	assert_string_equal(resolved(&f, "kernel/*/virtio_blk.ko"),
			    "virtio_ring virtio virtio_blk");
	/* without the suffix */
	assert_string_equal(resolved(&f, "kernel/fs/ext4/ext4"), "ext4");
	assert_string_equal(resolved(&f, "*/virtio_pci"), "virtio_ring virtio virtio_pci");
	assert_string_equal(resolve_error(&f, "kernel/net/*"),
			    "kernel/net/*: no module path matches");
	fix_close(&f);
}

/* ---- files ---- */

static void
missing_files_name_the_dependent(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep",
	    "kernel/virtio_ring.ko:\n"
	    "kernel/virtio.ko: kernel/virtio_ring.ko\n"
	    "kernel/virtio_blk.ko: kernel/virtio.ko kernel/virtio_ring.ko\n");
	put(&f, "modules.alias", "alias virtio:d00000002v* virtio_blk\n");
	put(&f, "kernel/virtio.ko", "");
	put(&f, "kernel/virtio_blk.ko", "");
	load(&f, KMOD_INDEX_CHECK_FILES, 0);
	assert_string_equal(resolve_error(&f, "virtio_blk"),
			    "virtio_ring: no file kernel/virtio_ring.ko in DIR, dependency of virtio_blk");
	assert_string_equal(resolve_error(&f, "virtio:d00000002v1"),
			    "virtio_ring: no file kernel/virtio_ring.ko in DIR, dependency of virtio_blk, for virtio:d00000002v1");
	assert_string_equal(resolve_error(&f, "virtio_ring"),
			    "virtio_ring: no file kernel/virtio_ring.ko in DIR");
	put(&f, "kernel/virtio_ring.ko", "");
	/* a missing file is remembered by the resolver; a new one sees it */
	kmod_resolver_free(&f.r);
	kmod_resolver_init(&f.r, &f.ix, 0);
	assert_string_equal(resolved(&f, "virtio_blk"), "virtio_ring virtio virtio_blk");
	fix_close(&f);
}

static void
failed_request_leaves_the_list(void **state)
{
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", "kernel/a.ko:\nkernel/b.ko: kernel/a.ko\n");
	put(&f, "modules.softdep", "softdep b post: nothing\n");
	load(&f, 0, KMOD_RESOLVE_STRICT_SOFTDEPS);
	assert_string_equal(resolve_error(&f, "b"), "nothing: no module or alias, softdep of b");
	assert_int_equal(f.r.nsteps, 0);
	/* a's mark went with the failed request */
	assert_string_equal(resolved(&f, "a"), "a");
	fix_close(&f);
}

/* ---- writing ---- */

struct emitted {
	char names[8][64];
	char *data[8];
	size_t len[8];
	int n;
	int fail_at;		/* -1: never */
};

static int
collect(void *ctx, const char *name, const char *data, size_t len)
{
	struct emitted *e = ctx;

	if (e->n == e->fail_at)
		return -ENOSPC;
	assert_true(e->n < 8);
	snprintf(e->names[e->n], sizeof(e->names[0]), "%s", name);
	e->data[e->n] = malloc(len + 1);
	memcpy(e->data[e->n], data, len);
	e->data[e->n][len] = '\0';
	e->len[e->n++] = len;
	return 0;
}

static void
emitted_free(struct emitted *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->data[i]);
}

static void
write_fixture(struct fix *f)
{
	static const char modinfo[] = "hmac.alias=crypto-hmac\0hmac.license=GPL\0";

	put(f, "modules.dep",
	    "kernel/lib/crc16.ko:\n"
	    "kernel/fs/jbd2/jbd2.ko:\n"
	    "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/jbd2/jbd2.ko\n"
	    "kernel/crypto/crc32c_generic.ko:\n"
	    "kernel/net/tun.ko:\n");
	put(f, "modules.alias",
	    "# Aliases extracted from modules themselves.\n"
	    "alias fs-ext4 ext4\n"
	    "alias crypto-crc32c crc32c_generic\n"
	    "alias devname:net/tun tun\n"
	    "alias fs-ext3 ext4\n");
	put(f, "modules.symbols",
	    "# Aliases for symbols, used by symbol_request().\n"
	    "alias symbol:jbd2_journal_start jbd2\n"
	    "alias symbol:tun_get_socket tun\n");
	put(f, "modules.softdep",
	    "# Soft dependencies extracted from modules themselves.\n"
	    "softdep ext4 pre: crypto-crc32c\n"
	    "softdep tun post: nothing\n"
	    "softdep jbd* pre: crypto-crc32c\n");
	put(f, "modules.builtin", "kernel/crypto/hmac.ko\n");
	put_file(f, "modules.builtin.modinfo", modinfo, sizeof(modinfo) - 1);
	put(f, "modules.order",
	    "kernel/lib/crc16.ko\nkernel/net/tun.ko\nkernel/fs/jbd2/jbd2.ko\n"
	    "kernel/fs/ext4/ext4.ko\nkernel/crypto/crc32c_generic.ko\n"
	    "kernel/gone.ko\n");
}

static void
writer_subset_exact(void **state)
{
	struct emitted e = { .fail_at = -1 };
	struct es_error err = { 0 };
	struct kmod_set s;
	struct fix f;

	(void)state;
	fix_open(&f);
	write_fixture(&f);
	load(&f, 0, 0);
	assert_string_equal(resolved(&f, "fs-ext4"), "crc32c_generic jbd2 crc16 ext4");
	kmod_set_init(&s, &f.ix);
	kmod_set_add_steps(&s, &f.r);
	assert_int_equal(s.count, 4);
	assert_int_equal(kmod_write_index(&s, collect, &e, &err), 0);
	assert_int_equal(e.n, 7);
	assert_string_equal(e.names[0], "modules.dep");
	assert_string_equal(e.data[0],
			    "kernel/lib/crc16.ko:\n"
			    "kernel/fs/jbd2/jbd2.ko:\n"
			    "kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/jbd2/jbd2.ko\n"
			    "kernel/crypto/crc32c_generic.ko:\n");
	assert_string_equal(e.names[1], "modules.alias");
	assert_string_equal(e.data[1],
			    "# Aliases extracted from modules themselves.\n"
			    "alias fs-ext4 ext4\n"
			    "alias crypto-crc32c crc32c_generic\n"
			    "alias fs-ext3 ext4\n");
	assert_string_equal(e.names[2], "modules.symbols");
	assert_string_equal(e.data[2],
			    "# Aliases for symbols, used by symbol_request().\n"
			    "alias symbol:jbd2_journal_start jbd2\n");
	assert_string_equal(e.names[3], "modules.softdep");
	assert_string_equal(e.data[3],
			    "# Soft dependencies extracted from modules themselves.\n"
			    "softdep ext4 pre: crypto-crc32c\n"
			    "softdep jbd* pre: crypto-crc32c\n");
	assert_string_equal(e.names[4], "modules.builtin");
	assert_string_equal(e.data[4], "kernel/crypto/hmac.ko\n");
	assert_string_equal(e.names[5], "modules.builtin.modinfo");
	assert_int_equal(e.len[5], 40);
	assert_memory_equal(e.data[5], "hmac.alias=crypto-hmac\0hmac.license=GPL\0", 40);
	assert_string_equal(e.names[6], "modules.order");
	assert_string_equal(e.data[6],
			    "kernel/lib/crc16.ko\nkernel/fs/jbd2/jbd2.ko\n"
			    "kernel/fs/ext4/ext4.ko\nkernel/crypto/crc32c_generic.ko\n");
	emitted_free(&e);
	kmod_set_free(&s);
	fix_close(&f);
}

/* What the writer wrote loads again and resolves the same. */
static void
writer_output_loads_again(void **state)
{
	struct emitted e = { .fail_at = -1 };
	struct es_error err = { 0 };
	struct kmod_set s;
	struct fix f, g;

	(void)state;
	fix_open(&f);
	write_fixture(&f);
	load(&f, 0, 0);
	resolved(&f, "ext4");
	kmod_set_init(&s, &f.ix);
	kmod_set_add_steps(&s, &f.r);
	assert_int_equal(kmod_write_index(&s, collect, &e, &err), 0);
	fix_open(&g);
	for (int i = 0; i < e.n; i++)
		put_file(&g, e.names[i], e.data[i], e.len[i]);
	load(&g, 0, 0);
	assert_string_equal(resolved(&g, "fs-ext4"), "crc32c_generic jbd2 crc16 ext4");
	assert_string_equal(resolved(&g, "crypto-hmac"), "builtin:hmac");
	assert_string_equal(resolve_error(&g, "tun"), "tun: no module or alias");
	emitted_free(&e);
	kmod_set_free(&s);
	fix_close(&g);
	fix_close(&f);
}

static void
writer_refuses_missing_dependency(void **state)
{
	struct emitted e = { .fail_at = -1 };
	struct es_error err = { 0 };
	struct kmod_set s;
	struct fix f;

	(void)state;
	fix_open(&f);
	write_fixture(&f);
	load(&f, 0, 0);
	kmod_set_init(&s, &f.ix);
	assert_true(kmod_set_add(&s, (uint32_t)kmod_index_find(&f.ix, "ext4")));
	assert_false(kmod_set_add(&s, (uint32_t)kmod_index_find(&f.ix, "ext4")));
	assert_int_equal(kmod_write_index(&s, collect, &e, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "modules.dep: ext4 needs crc16, which the image does not hold");
	assert_int_equal(e.n, 0);
	kmod_set_free(&s);

	/* a callback's failure stops the writing */
	es_clear(&err);
	e.fail_at = 1;
	kmod_set_init(&s, &f.ix);
	kmod_set_add(&s, (uint32_t)kmod_index_find(&f.ix, "tun"));
	assert_int_equal(kmod_write_index(&s, collect, &e, &err), -ENOSPC);
	assert_string_equal(err.msg, "modules.alias: could not be added");
	assert_int_equal(e.n, 1);
	assert_string_equal(e.data[0], "kernel/net/tun.ko:\n");
	emitted_free(&e);
	kmod_set_free(&s);
	fix_close(&f);
}

/* Without the optional files: empty tables, headers still written. */
static void
only_modules_dep(void **state)
{
	struct emitted e = { .fail_at = -1 };
	struct es_error err = { 0 };
	struct kmod_set s;
	struct fix f;

	(void)state;
	fix_open(&f);
	put(&f, "modules.dep", "kernel/a.ko:");	/* no final newline */
	load(&f, 0, 0);
	assert_string_equal(resolved(&f, "a"), "a");
	kmod_set_init(&s, &f.ix);
	kmod_set_add_steps(&s, &f.r);
	assert_int_equal(kmod_write_index(&s, collect, &e, &err), 0);
	assert_int_equal(e.n, 4);
	assert_string_equal(e.data[0], "kernel/a.ko:\n");
	assert_string_equal(e.data[1], "# Aliases extracted from modules themselves.\n");
	assert_string_equal(e.names[3], "modules.softdep");
	emitted_free(&e);
	kmod_set_free(&s);
	fix_close(&f);
}

static void
names_normalised_as_kmod(void **state)
{
	char buf[16];

	(void)state;
	assert_true(kmod_modname("kernel/x/crc32c-intel.ko.zst", buf, sizeof(buf)));
	assert_string_equal(buf, "crc32c_intel");
	assert_true(kmod_modname("snd-hda-codec", buf, sizeof(buf)));
	assert_string_equal(buf, "snd_hda_codec");
	assert_false(kmod_modname("kernel/.ko", buf, sizeof(buf)));
	assert_false(kmod_modname("a_name_too_long_for_it", buf, sizeof(buf)));
	assert_true(kmod_alias_normalize("usb:v[0-9]p-x", buf, sizeof(buf)));
	assert_string_equal(buf, "usb:v[0-9]p_x");
	assert_false(kmod_alias_normalize("a[b", buf, sizeof(buf)));
	assert_false(kmod_alias_normalize("a]b", buf, sizeof(buf)));
	assert_false(kmod_alias_normalize("0123456789abcdef", buf, sizeof(buf)));
}

/* kmod_glob is fnmatch(3) with no flags, byte-wise: every pair of a
 * pattern and a string here gets glibc's answer. */
static void
glob_matches_as_fnmatch(void **state)
{
	static const char *const patterns[] = {
		"*", "a*", "*b", "a?c", "[abc]x", "[!a]x", "[^a]x", "[a-c]*",
		"*[]]*", "[]a]", "\\*a", "pci:v00001AF4d*sv*sd*bc*sc*i*",
		"virtio:d00000002v*", "a*b*c", "*a*a*a", "[", "[a", "a[", "x\\",
		"*.ko", "kernel/drivers/virtio/virtio_*", "[z-a]", "[a-]", "[-a]",
		"a\\[b]", "**", "?*?",
	};
	static const char *const strings[] = {
		"", "a", "b", "abc", "ax", "bx", "cx", "]", "aaa", "*a",
		"pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00",
		"virtio:d00000002v00001AF4", "aXbYc", "aaab", "[", "[a", "a[",
		"x\\", "x", "foo.ko", "kernel/drivers/virtio/virtio_ring.ko",
		"-", "a[b]", "ab", "acbc", ".hidden",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(*patterns); i++)
		for (size_t j = 0; j < sizeof(strings) / sizeof(*strings); j++) {
			bool want = fnmatch(patterns[i], strings[j], 0) == 0;

			if (kmod_glob(patterns[i], strings[j]) != want)
				fail_msg("pattern '%s' string '%s': fnmatch says %d",
					 patterns[i], strings[j], want);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dependency_chain_deepest_first),
		cmocka_unit_test(dash_and_underscore_alike),
		cmocka_unit_test(missing_modules_dep),
		cmocka_unit_test(malformed_lines_name_file_and_line),
		cmocka_unit_test(dependency_cycle_refused),
		cmocka_unit_test(alias_patterns_as_kmod_matches_them),
		cmocka_unit_test(alias_missing),
		cmocka_unit_test(symbol_requests),
		cmocka_unit_test(softdeps_pre_and_post_through_aliases),
		cmocka_unit_test(softdep_missing_warns_or_fails),
		cmocka_unit_test(softdep_cycle_ends_as_in_kmod),
		cmocka_unit_test(softdeps_nested_too_deep),
		cmocka_unit_test(repeats_as_modprobe_prints_them),
		cmocka_unit_test(builtin_modules_need_nothing),
		cmocka_unit_test(path_patterns),
		cmocka_unit_test(missing_files_name_the_dependent),
		cmocka_unit_test(failed_request_leaves_the_list),
		cmocka_unit_test(writer_subset_exact),
		cmocka_unit_test(writer_output_loads_again),
		cmocka_unit_test(writer_refuses_missing_dependency),
		cmocka_unit_test(only_modules_dep),
		cmocka_unit_test(names_normalised_as_kmod),
		cmocka_unit_test(glob_matches_as_fnmatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
