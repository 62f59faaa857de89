/*
 * cmd_build.c - `initramfs build`: sources in, one newc image out.
 * Option parsing and messages only; the work is in src/image.
 */
#include "base/atomic_file.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "base/xalloc.h"
#include "codec/codec.h"
#include "image/build.h"
#include "image/compose.h"
#include "image/microcode.h"
#include "image/source.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_ROOT_UID = 256, OPT_ROOT_GID, OPT_SQUASH, OPT_MTIME, OPT_CRC,
	OPT_ALIGN, OPT_COMPRESS, OPT_THREADS, OPT_MICROCODE, OPT_PROGRAM,
	OPT_MODULES, OPT_FIRMWARE, OPT_KVER, OPT_MODDIR, OPT_FIRMWARE_DIR,
	OPT_KINIT, OPT_KINIT_BINARY,
};

static const struct opt_def build_opts[] = {
	{ "output", 'o', "FILE", "write the image to FILE ('-': standard output)" },
	{ "root-uid", OPT_ROOT_UID, "UID", "store files owned by UID as owned by 0" },
	{ "root-gid", OPT_ROOT_GID, "GID", "store files of group GID as group 0" },
	{ "squash", OPT_SQUASH, NULL, "store every owner and group as 0" },
	{ "mtime", OPT_MTIME, "T", "no mtime later than T (seconds since 1970)" },
	{ "crc", OPT_CRC, NULL, "write 070702 records with data checksums" },
	{ "data-align", OPT_ALIGN, "N", "start the data of files over N bytes at a multiple of N" },
	{ "compress", OPT_COMPRESS, "FMT[:LEVEL]", "start a member compressed with FMT for the SOURCEs after it" },
	{ "threads", OPT_THREADS, "N", "threads for zstd and xz (default: every core)" },
	{ "microcode", OPT_MICROCODE, "PATH", "early microcode file or directory, in a first member" },
	{ "program", OPT_PROGRAM, "PATH[=NAME]", "add a program with its interpreter and libraries" },
	{ "modules", OPT_MODULES, "M,...", "add kernel modules (names, aliases, path patterns) with their dependencies" },
	{ "firmware", OPT_FIRMWARE, "NAME,...", "add firmware files from the firmware directory" },
	{ "kinit", OPT_KINIT, NULL, "make the image boot with kinit: /init, its applets, /dev/console, /etc/modules" },
	{ "kinit-binary", OPT_KINIT_BINARY, "FILE", "the kinit to add (default: the one installed with initramfs)" },
	{ "kver", OPT_KVER, "VERSION", "the kernel the modules are for (default: the moddir's name, else the running one)" },
	{ "moddir", OPT_MODDIR, "DIR", "its modules directory (default: /lib/modules/VERSION)" },
	{ "firmware-dir", OPT_FIRMWARE_DIR, "DIR", "where firmware is looked up (default: /lib/firmware)" },
	{ 0 },
};

static const struct cmd_def build_cmd = {
	"build", "[options] SOURCE...",
	"Write a newc cpio image (an initramfs) from the sources, in order.",
	"A SOURCE is a directory (every path below it, sorted byte-wise,\n"
	"hard links kept), a list file in gen_init_cpio's language (see\n"
	"initramfs-list(5); '-' reads it from standard input), or an existing\n"
	"image (appended as it is; into a compressed member, its entries).\n"
	"Parent directories that a name needs and no source gives are added\n"
	"(mode 0755, owner 0).\n\n"
	"An image is a sequence of members, each a cpio archive, compressed or\n"
	"not; the kernel unpacks them in order. --compress starts a member\n"
	"holding the SOURCEs that follow it, up to the next --compress; SOURCEs\n"
	"before any --compress go into an uncompressed member. FMT is none,\n"
	"gzip, bzip2, lzma, xz, lzo, lz4 or zstd, LEVEL as its own tool counts.\n"
	"The bytes do not depend on --threads. --microcode puts PATH's updates\n"
	"(e.g. /lib/firmware/intel-ucode) where the kernel's early loader looks:\n"
	"kernel/x86/microcode/GenuineIntel.bin or AuthenticAMD.bin in an\n"
	"uncompressed member before all others.\n\n"
	"--program, --modules and --firmware are sources too, in the member\n"
	"where they stand; list files say the same with `program`, `module`\n"
	"and `firmware` lines. A program brings its ELF interpreter and the\n"
	"libraries ld.so would load (RPATH, RUNPATH, ld.so.cache, the default\n"
	"directories), a script its interpreter, each under its host name with\n"
	"the symlinks on the way. A module (a name, an alias such as fs-ext4,\n"
	"or a pattern over modules.dep paths such as kernel/drivers/virtio/*)\n"
	"brings its dependencies, its softdeps and the firmware it names; the\n"
	"image gets /lib/modules/VERSION/modules.{dep,alias,softdep,builtin,\n"
	"order} for exactly the modules it holds, for modprobe.\n\n"
	"--kinit makes a bootable image with no other SOURCE: kinit as /init\n"
	"finds the root that root= names (a device, UUID=, LABEL=, PARTUUID=,\n"
	"PARTLABEL=), mounts it and starts its init. It loads the modules\n"
	"--modules names (written to /etc/modules) and those a device asks\n"
	"for (coldplug): path patterns in --modules only make modules\n"
	"available for that. The kinit applets (run-init, fstype, modprobe,\n"
	"resume, nfsmount, ipconfig) are links to /init. For the rescue shell\n"
	"and break=, add a shell as /bin/sh: --program /bin/busybox=/bin/sh\n"
	"(or /bin/dash=/bin/sh). doc/kinit.md has the details.\n\n"
	"SOURCE_DATE_EPOCH in the environment acts as --mtime. Entries without\n"
	"an mtime of their own (list-file directories, symlinks, devices) get\n"
	"T, or the current time when no T is given.\n\n"
	"Examples:\n"
	"  initramfs build -o initrd.img --squash rootfs/ extra.list\n"
	"  initramfs build -o initrd.img --compress zstd rootfs/\n"
	"  initramfs build -o initrd.img --microcode /lib/firmware/intel-ucode \\\n"
	"      --compress zstd:19 rootfs/ --compress gzip modules.list\n"
	"  initramfs build -o initrd.img --kver 6.1.0-56-amd64 \\\n"
	"      --compress zstd --kinit --modules virtio_pci,virtio_blk,ext4\n"
	"  initramfs build -o initrd.img --compress zstd rootfs/ \\\n"
	"      --program /bin/busybox --program /sbin/e2fsck=/bin/fsck \\\n"
	"      --kver 6.1.0-56-amd64 --modules virtio_pci,virtio_blk,ext4\n",
	build_opts,
	.operands_in_order = true,
};

struct plan_source {
	int kind;		/* OPT_OPERAND (a SOURCE), OPT_PROGRAM, ... */
	const char *arg;
};

/* The sources of one member, in order. */
struct member_plan {
	const struct codec *codec;	/* NULL: uncompressed */
	int level;
	const char *spec;		/* as given, for messages */
	struct plan_source *sources;
	int nsources;
};

struct build_cli {
	const char *output;
	struct build_options opt;
	struct member_plan *members;
	int nmembers;
	int threads;
	char **microcode;
	int nmicrocode;
	struct compose_options compose;
	const char *kinit_binary;	/* NULL: next to this program */
};

static struct member_plan *
add_member(struct build_cli *c)
{
	c->members = xrealloc(c->members, (size_t)(c->nmembers + 1) *
						  sizeof(*c->members));
	c->members[c->nmembers] = (struct member_plan){ 0 };
	return &c->members[c->nmembers++];
}

static void
add_source(struct build_cli *c, int kind, const char *arg)
{
	struct member_plan *m = c->nmembers ? &c->members[c->nmembers - 1] :
					      add_member(c);

	m->sources = xrealloc(m->sources, (size_t)(m->nsources + 1) *
						  sizeof(*m->sources));
	m->sources[m->nsources++] = (struct plan_source){ kind, arg };
}

/* "zstd", "zstd:19", "none". */
static int
parse_compress(struct build_cli *c, const char *arg)
{
	char name[16];
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
	struct member_plan *m;
	const struct codec *codec = NULL;
	long long level;

	snprintf(name, sizeof(name), "%.*s", (int)len, arg);
	if (len >= sizeof(name) || (strcmp(name, "none") && !(codec = codec_by_name(name)))) {
		cli_error(&build_cmd, "--compress %s: unknown format (none, gzip, bzip2, lzma, xz, lzo, lz4, zstd)", arg);
		return -1;
	}
	level = !colon ? (codec ? codec->default_level : 0) :
			 cli_number(colon + 1, codec ? codec->max_level : -1);
	if (level < (codec ? codec->min_level : 0)) {
		if (codec)
			cli_error(&build_cmd, "--compress %s: %s levels are %d to %d",
				  arg, name, codec->min_level, codec->max_level);
		else
			cli_error(&build_cmd, "--compress %s: none takes no level", arg);
		return -1;
	}
	m = add_member(c);
	m->codec = codec;
	m->level = (int)level;
	m->spec = arg;
	return 0;
}

static int
set_build_opt(void *ctx, int key, const char *arg)
{
	struct build_cli *c = ctx;
	long long v = 0;

	switch (key) {
	case OPT_OPERAND:
	case OPT_PROGRAM:
	case OPT_MODULES:
	case OPT_FIRMWARE:
	case OPT_KINIT:
		add_source(c, key, arg);
		return 0;
	case OPT_KINIT_BINARY:
		c->kinit_binary = arg;
		return 0;
	case OPT_KVER:
		c->compose.kver = arg;
		return 0;
	case OPT_MODDIR:
		c->compose.moddir = arg;
		return 0;
	case OPT_FIRMWARE_DIR:
		c->compose.firmware_dir = arg;
		return 0;
	case OPT_COMPRESS:
		return parse_compress(c, arg);
	case OPT_MICROCODE:
		c->microcode = xrealloc(c->microcode, (size_t)(c->nmicrocode + 1) *
							      sizeof(*c->microcode));
		c->microcode[c->nmicrocode++] = (char *)arg;
		return 0;
	case 'o':
		c->output = arg;
		return 0;
	case OPT_SQUASH:
		c->opt.squash = true;
		return 0;
	case OPT_CRC:
		c->opt.crc = true;
		return 0;
	case OPT_ROOT_UID:
	case OPT_ROOT_GID:
	case OPT_MTIME:
	case OPT_ALIGN:
		v = cli_number(arg, UINT32_MAX);
		break;
	case OPT_THREADS:
		v = cli_number(arg, 1024);
		if (v < 1) {
			cli_error(&build_cmd, "--threads %s: must be a number from 1 to 1024", arg);
			return -1;
		}
		c->threads = (int)v;
		return 0;
	}
	if (v < 0 || (key == OPT_ALIGN && (v == 0 || v % 4))) {
		cli_error(&build_cmd, "invalid value '%s'%s", arg,
			  key == OPT_ALIGN ? ": must be a positive multiple of 4" :
					     ": must be a number from 0 to 4294967295");
		return -1;
	}
	if (key == OPT_ROOT_UID)
		c->opt.root_uid = v;
	else if (key == OPT_ROOT_GID)
		c->opt.root_gid = v;
	else if (key == OPT_MTIME)
		c->opt.mtime = v;
	else
		c->opt.data_align = (uint32_t)v;
	return 0;
}

static int
apply_source_date_epoch(struct build_cli *c)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long v;

	if (c->opt.mtime < 0 && sde && *sde) {
		v = cli_number(sde, UINT32_MAX);
		if (v < 0) {
			cli_error(&build_cmd, "SOURCE_DATE_EPOCH='%s' is not a number of seconds", sde);
			return -1;
		}
		c->opt.mtime = v;
	}
	c->opt.clamp_mtime = c->opt.mtime >= 0;
	return 0;
}

/* "a,b,c" split in place; the option's message names the option. */
static int
add_named(struct composer *cp, const struct plan_source *src)
{
	char *copy = xstrdup(src->arg), *save = NULL, **names = NULL;
	int n = 0, rc;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		names = xrealloc(names, (size_t)(n + 1) * sizeof(*names));
		names[n++] = t;
	}
	rc = src->kind == OPT_MODULES ? composer_modules(cp, names, n) :
					composer_firmware(cp, names, n);
	free(names);
	free(copy);
	return rc;
}

/* The long name of option key, from the table --help prints. */
static const char *
opt_name(int key)
{
	for (const struct opt_def *o = build_opts; o->name; o++)
		if (o->key == key)
			return o->name;
	return "?";
}

/* The kinit installed with this program: beside it (the build tree),
 * else in ../lib/earlyspace (make install). */
static char *
default_kinit(void)
{
	char self[PATH_MAX], *slash, *path = NULL;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return xstrdup("kinit");
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	for (int i = 0; i < 2; i++) {
		free(path);
		path = xasprintf(i ? "%s/../lib/earlyspace/kinit" : "%s/kinit", self);
		if (access(path, R_OK) == 0)
			break;
	}
	return path;
}

static int
add_kinit(struct build_cli *c, struct composer *cp)
{
	char *path = c->kinit_binary ? xstrdup(c->kinit_binary) : default_kinit();
	int rc = access(path, R_OK) == 0 ? composer_kinit(cp, path) :
		es_fail(&cp->b->err, errno, "%s: %s%s", path, strerror(errno),
			c->kinit_binary ? "" : " (give the target binary with --kinit-binary)");

	free(path);
	return rc;
}

static int
add_plan_source(struct build_cli *c, struct composer *cp,
		const struct plan_source *src)
{
	char *path, *eq;
	int rc;

	switch (src->kind) {
	case OPT_KINIT:
		rc = add_kinit(c, cp);
		break;
	case OPT_PROGRAM:
		path = xstrdup(src->arg);
		eq = strchr(path, '=');
		if (eq)
			*eq++ = '\0';
		rc = composer_program(cp, path, eq);
		free(path);
		break;
	case OPT_MODULES:
	case OPT_FIRMWARE:
		rc = add_named(cp, src);
		break;
	default:
		return source_add(cp, src->arg);
	}
	if (rc < 0)	/* name the option, as list files name the line */
		es_prefix(&cp->b->err, "--%s%s%s", opt_name(src->kind),
			  src->arg ? " " : "", src->arg ? src->arg : "");
	return rc;
}

static int
add_members(struct build_cli *c, struct composer *cp)
{
	struct encode_params params = { .threads = c->threads };
	int rc = 0;

	if (c->nmicrocode)
		rc = microcode_add(cp->b, c->microcode, c->nmicrocode);
	for (int i = 0; i < c->nmembers && rc == 0; i++) {
		const struct member_plan *m = &c->members[i];

		params.level = m->level;
		rc = builder_begin_member(cp->b, m->codec, &params);
		for (int k = 0; k < m->nsources && rc == 0; k++)
			rc = add_plan_source(c, cp, &m->sources[k]);
	}
	if (rc == 0)
		rc = composer_finish(cp);
	return rc;
}

static int
run_build(struct build_cli *c)
{
	struct atomic_file out;
	struct builder b;
	struct composer cp;
	int rc = atomic_open(&out, c->output, 0644);

	if (rc < 0) {
		cli_error(&build_cmd, "%s: %s", c->output, strerror(-rc));
		return 1;
	}
	c->opt.output_name = c->output;
	builder_init(&b, out.fd, &c->opt);
	composer_init(&cp, &b, &c->compose);
	rc = add_members(c, &cp);
	if (rc == 0)
		rc = builder_finish(&b);
	if (rc == 0 && (rc = atomic_commit(&out)) < 0)
		es_fail(&b.err, -rc, "%s: %s", c->output, strerror(-rc));
	if (rc < 0) {
		cli_error(&build_cmd, "%s", b.err.msg);
		atomic_abort(&out);
	}
	composer_free(&cp);
	builder_free(&b);
	return rc < 0 ? 1 : 0;
}

/* Every --compress needs sources after it; a source must exist. */
static int
check_plan(const struct build_cli *c)
{
	int total = 0;

	for (int i = 0; i < c->nmembers; i++) {
		if (!c->members[i].nsources) {
			cli_error(&build_cmd, "--compress %s: no SOURCE follows it (it applies to the SOURCEs after it)",
				  c->members[i].spec);
			return -1;
		}
		total += c->members[i].nsources;
	}
	if (!total) {
		cli_error(&build_cmd, "no SOURCE given");
		fprintf(stderr, "Try 'initramfs build --help'.\n");
		return -1;
	}
	return 0;
}

static void
free_plan(struct build_cli *c)
{
	for (int i = 0; i < c->nmembers; i++)
		free(c->members[i].sources);
	free(c->members);
	free(c->microcode);
}

int
cmd_build(int argc, char **argv)
{
	struct build_cli c = {
		.output = "-",
		.opt = { .mtime = -1, .root_uid = -1, .root_gid = -1,
			 .warn = cli_warn, .warn_ctx = (void *)&build_cmd },
	};
	int rc = 2, first = opts_parse(&build_cmd, argc, argv, set_build_opt, &c);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	for (int i = first; i < argc; i++)	/* after "--" */
		add_source(&c, OPT_OPERAND, argv[i]);
	if (!c.threads)
		c.threads = cores > 0 ? (int)cores : 1;
	if (check_plan(&c) < 0 || apply_source_date_epoch(&c) < 0)
		goto out;
	if (strcmp(c.output, "-") == 0 && isatty(STDOUT_FILENO)) {
		cli_error(&build_cmd, "refusing to write an image to a terminal; use -o FILE");
		goto out;
	}
	rc = run_build(&c);
out:
	free_plan(&c);
	return rc;
}
