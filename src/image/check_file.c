/*
 * check_file.c - the tree inspector of `initramfs check`: what is kept
 * of each regular file the kernel would create.
 *
 * ELF files are gathered whole (one at a time, up to CHECK_ELF_MAX) and
 * parsed by elf_file.h; only class, machine, PT_INTERP, DT_NEEDED,
 * RPATH/RUNPATH and, for a kernel module, the vermagic= of .modinfo are
 * kept. Modules are read only when a kernel release is to be checked;
 * compressed ones (.ko.xz, .ko.zst, .ko.gz) are decoded for it with the
 * image's codecs. Of a "#!" file, the interpreter named in its first
 * 256 bytes (fs/binfmt_script.c's BINPRM_BUF_SIZE). ld.so.conf, its
 * includes under /etc/ld.so.conf.d, kinit's /etc/modules and the index
 * files of lib/modules/RELEASE that kinit's modprobe reads (modules.dep,
 * .alias, .symbols, .softdep, .builtin, .builtin.modinfo, .order) are
 * kept whole, up to CHECK_TEXT_MAX, whatever their first bytes look like
 * (nothing runs them; modules.builtin.modinfo holds NULs).
 *
 * Limits: an ELF larger than CHECK_ELF_MAX is not read (elf_error says
 * so); a file's path is the one it was created under, so a file reached
 * later through another name (a hard link, a renamed directory) is
 * judged by its first name.
 */
#include "image/check_internal.h"
#include "base/xalloc.h"
#include "codec/codec.h"
#include "elf/elf_file.h"
#include "kmod/index.h"

#include <elf.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { SCRIPT_BUF = 256 };

static const char *const module_suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static bool
is_module_path(const char *path)
{
	if (!strstr(path, "/lib/modules/"))
		return false;
	for (size_t i = 0; i < sizeof(module_suffixes) / sizeof(*module_suffixes); i++)
		if (ends_with(path, module_suffixes[i]))
			return true;
	return false;
}

/* A file of lib/modules/RELEASE (or usr/lib/modules/RELEASE) that the
 * module index is read from. */
static bool
is_index_path(const char *path)
{
	const char *rel = !strncmp(path, "/usr/", 5) ? path + 4 : path;
	const char *base = strrchr(path, '/') + 1;

	if (fnmatch("/lib/modules/*/*", rel, FNM_PATHNAME))
		return false;
	for (int f = 0; f < KMOD_FILES; f++)
		if (!strcmp(base, kmod_index_file_name(f)))
			return true;
	return false;
}

static bool
is_text_path(const char *path)
{
	return !strcmp(path, "/etc/ld.so.conf") ||
	       !fnmatch("/etc/ld.so.conf.d/*", path, FNM_PATHNAME) ||
	       !strcmp(path, CHECK_KINIT_MODULES) || is_index_path(path);
}

static uint64_t
want(void *ctx, const char *path, uint64_t size, const uint8_t *head, size_t n)
{
	const struct check_ctx *c = ctx;
	bool module = is_module_path(path);

	if (is_text_path(path))
		return CHECK_TEXT_MAX;
	if (module && !c->opts->kver)
		return 0;
	if (n >= 4 && !memcmp(head, ELFMAG, SELFMAG))
		return CHECK_ELF_MAX;
	if (module && codec_by_magic(head, n))
		return CHECK_ELF_MAX;
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		return SCRIPT_BUF;
	(void)size;
	return 0;
}

/* "#!" then blanks, the interpreter, up to a blank or the line's end. */
static void
read_script(struct check_file *f, const uint8_t *data, size_t len)
{
	size_t i = 2, start;

	f->script = true;
	while (i < len && (data[i] == ' ' || data[i] == '\t'))
		i++;
	for (start = i; i < len && data[i] != ' ' && data[i] != '\t' &&
			data[i] != '\n' && data[i] != '\0'; i++)
		;
	if (i > start)
		f->script_interp = xstrndup((const char *)data + start, i - start);
}

/* The vermagic= string of a module's .modinfo. */
static void
read_vermagic(struct check_file *f, const struct elf_file *ef)
{
	const char *p, *end;
	const void *sec;
	size_t len;

	f->module = true;
	if (elf_section(ef, ".modinfo", &sec, &len) < 0 || !sec) {
		f->module_error = xstrdup("no .modinfo section");
		return;
	}
	for (p = sec, end = p + len; p < end; p += strnlen(p, (size_t)(end - p)) + 1)
		if ((size_t)(end - p) > 9 && !strncmp(p, "vermagic=", 9)) {
			f->vermagic = xstrndup(p + 9, strnlen(p + 9, (size_t)(end - p - 9)));
			return;
		}
	f->module_error = xstrdup("no vermagic= in .modinfo");
}

static void
keep_elf(struct check_file *f, const struct elf_file *ef)
{
	f->class = ef->class;
	f->data = ef->data;
	f->type = ef->type;
	f->machine = ef->machine;
	f->flags = ef->flags;
	f->interp = ef->interp ? xstrdup(ef->interp) : NULL;
	f->rpath = ef->rpath ? xstrdup(ef->rpath) : NULL;
	f->runpath = ef->runpath ? xstrdup(ef->runpath) : NULL;
	f->soname = ef->soname ? xstrdup(ef->soname) : NULL;
	f->nodeflib = ef->nodeflib;
	f->nneeded = ef->nneeded;
	f->needed = xcalloc(ef->nneeded + 1, sizeof(*f->needed));
	for (size_t i = 0; i < ef->nneeded; i++)
		f->needed[i] = xstrdup(ef->needed[i]);
}

static void
read_elf(struct check_file *f, const char *path, const uint8_t *data,
	 size_t len, bool module)
{
	struct elf_file ef;
	struct es_error err = { 0 };

	f->elf = true;
	if (elf_parse(&ef, data, len, path, &err) < 0) {
		f->elf_error = xstrdup(err.msg);
		if (module)
			f->module = true, f->module_error = xstrdup(err.msg);
	} else {
		keep_elf(f, &ef);
		if (module && ef.type == ET_REL)
			read_vermagic(f, &ef);
	}
	elf_close(&ef);
}

/* A compressed module: decoded, then read as ELF (not kept as one). */
static void
read_compressed_module(struct check_file *f, const char *path,
		       const uint8_t *data, size_t len)
{
	const struct codec *c = codec_by_magic(data, len);
	char msg[CODEC_MSG_SIZE];
	uint8_t *out;
	size_t out_len;

	if (codec_decode_buffer(c, data, len, CHECK_ELF_MAX, &out, &out_len, msg) < 0) {
		f->module = true;
		f->module_error = xasprintf("%s: %s", c->name, msg);
		return;
	}
	read_elf(f, path, out, out_len, true);
	f->elf = false;		/* the file itself is not an ELF */
	free(f->elf_error);
	f->elf_error = NULL;
	free(out);
}

/* All len bytes, NULs included, and one NUL after them. */
static void
keep_text(struct check_file *f, const uint8_t *data, size_t len)
{
	f->text = xmalloc(len + 1);
	memcpy(f->text, data, len);
	f->text[len] = '\0';
	f->text_len = len;
}

static void *
done(void *ctx, const char *path, const uint8_t *data, size_t len, uint64_t size)
{
	struct check_file *f = xcalloc(1, sizeof(*f));
	bool module = is_module_path(path);

	(void)ctx;
	if (is_text_path(path)) {
		if (len == size)
			keep_text(f, data, len);
	} else if (len >= 4 && !memcmp(data, ELFMAG, SELFMAG)) {
		if (len < size)
			f->elf = true, f->elf_error = xasprintf(
				"%s: over %u MiB: its headers were not read",
				path, CHECK_ELF_MAX >> 20);
		else
			read_elf(f, path, data, len, module);
	} else if (module && codec_by_magic(data, len)) {
		if (len < size)
			f->module = true, f->module_error = xstrdup("too large to read");
		else
			read_compressed_module(f, path, data, len);
	} else if (len >= 2 && data[0] == '#' && data[1] == '!') {
		read_script(f, data, len);
	}
	return f;
}

static void
free_file(void *ctx, void *info)
{
	struct check_file *f = info;

	(void)ctx;
	for (size_t i = 0; i < f->nneeded; i++)
		free(f->needed[i]);
	free(f->needed);
	free(f->elf_error);
	free(f->interp);
	free(f->rpath);
	free(f->runpath);
	free(f->soname);
	free(f->vermagic);
	free(f->module_error);
	free(f->script_interp);
	free(f->text);
	free(f);
}

void
check_files_init(struct check_ctx *c, const struct check_opts *o)
{
	c->opts = o;
	c->insp = (struct tree_inspector){ want, done, free_file, c };
}

const struct check_file *
check_file_of(const struct tree *t, size_t node)
{
	const struct tree_inode *in = tree_inode_of(t, node);

	return in ? in->info : NULL;
}

const char *
check_type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "regular file";
	case S_IFDIR:	return "directory";
	case S_IFLNK:	return "symlink";
	case S_IFCHR:	return "character device";
	case S_IFBLK:	return "block device";
	case S_IFIFO:	return "fifo";
	case S_IFSOCK:	return "socket";
	}
	return "unknown type";
}
