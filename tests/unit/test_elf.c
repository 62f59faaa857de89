/* test_elf.c - ELF reading (src/elf/elf_file.c), the loader's
 * configuration (ldso.c, ldso_conf.c) and program closures (closure.c,
 * load.c): against ldd on Debian's own programs, and on ELF files,
 * caches and configuration files written here byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rmtree.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf/closure.h"
#include "elf/elf_file.h"
#include "elf/ldso.h"

/* ---- a byte buffer ------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static size_t
buf_reserve(struct buf *b, size_t n)
{
	size_t off = b->len;

	if (n == 0)
		return off;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memset(b->p + b->len, 0, n);
	b->len += n;
	return off;
}

static size_t
buf_str(struct buf *b, const char *s)
{
	size_t off = buf_reserve(b, strlen(s) + 1);

	memcpy(b->p + off, s, strlen(s) + 1);
	return off;
}

static void
buf_align(struct buf *b, size_t a)
{
	buf_reserve(b, (a - b->len % a) % a);
}

/* Writes v as n bytes at off in byte order data. */
static void
put(uint8_t *p, size_t off, uint64_t v, size_t n, int data)
{
	for (size_t i = 0; i < n; i++)
		p[off + (data == ELFDATA2LSB ? i : n - 1 - i)] =
			(uint8_t)(v >> (8 * i));
}

/* ---- an ELF writer ------------------------------------------------ */

/* What a fixture holds; zeros are ELFCLASS64, little-endian, ET_DYN,
 * x86-64 (i386 for ELFCLASS32). */
struct fx {
	uint8_t class, data;
	uint16_t type, machine;
	uint32_t flags;
	const char *interp;
	const char *needed[6];
	const char *rpath, *runpath, *soname;
	bool nodeflib;
	bool no_dynamic;	/* no PT_DYNAMIC */
	bool no_phdrs;		/* no program headers (ET_REL) */
	const char *section;	/* one more named section, or NULL */
	const char *section_data;
};

/* Where the writer put things, for the tests that corrupt them. */
struct layout {
	int cls, data;
	size_t phoff, nph, load_ph, interp_ph, dyn_ph;
	size_t dyn_off, ndyn;
	size_t shoff, shnum;
};

#define BASE 0x10000u		/* vaddr of file offset 0 */

#define OFF(l, T, f) ((l)->cls == ELFCLASS64 ? offsetof(Elf64_##T, f) : \
		      offsetof(Elf32_##T, f))
#define LEN(l, T, f) ((l)->cls == ELFCLASS64 ? \
		      sizeof(((Elf64_##T *)0)->f) : sizeof(((Elf32_##T *)0)->f))
#define SZ(l, T) ((l)->cls == ELFCLASS64 ? sizeof(Elf64_##T) : \
		  sizeof(Elf32_##T))
#define SET(p, l, base, T, f, v) \
	put(p, (base) + OFF(l, T, f), (v), LEN(l, T, f), (l)->data)

static void
fx_defaults(const struct fx *f, struct layout *l, uint16_t *type,
	    uint16_t *machine)
{
	memset(l, 0, sizeof(*l));
	l->cls = f->class ? f->class : ELFCLASS64;
	l->data = f->data ? f->data : ELFDATA2LSB;
	*type = f->type ? f->type : ET_DYN;
	*machine = f->machine ? f->machine :
		   l->cls == ELFCLASS64 ? EM_X86_64 : EM_386;
}

static void
add_dyn(struct buf *b, const struct layout *l, uint64_t tag, uint64_t val)
{
	size_t off = buf_reserve(b, SZ(l, Dyn));

	SET(b->p, l, off, Dyn, d_tag, tag);
	SET(b->p, l, off, Dyn, d_un.d_val, val);
}

/* The dynamic string table and section; returns the section's size. */
static void
write_dynamic(struct buf *b, const struct fx *f, struct layout *l)
{
	size_t str = b->len, need[6] = { 0 }, rp = 0, rn = 0, so = 0, n = 0;

	buf_str(b, "");
	for (n = 0; n < 6 && f->needed[n]; n++)
		need[n] = buf_str(b, f->needed[n]) - str;
	if (f->rpath)
		rp = buf_str(b, f->rpath) - str;
	if (f->runpath)
		rn = buf_str(b, f->runpath) - str;
	if (f->soname)
		so = buf_str(b, f->soname) - str;
	size_t strsz = b->len - str;

	buf_align(b, 8);
	l->dyn_off = b->len;
	for (size_t i = 0; i < n; i++)
		add_dyn(b, l, DT_NEEDED, need[i]);
	if (f->rpath)
		add_dyn(b, l, DT_RPATH, rp);
	if (f->runpath)
		add_dyn(b, l, DT_RUNPATH, rn);
	if (f->soname)
		add_dyn(b, l, DT_SONAME, so);
	add_dyn(b, l, DT_STRTAB, BASE + str);
	add_dyn(b, l, DT_STRSZ, strsz);
	if (f->nodeflib)
		add_dyn(b, l, DT_FLAGS_1, DF_1_NODEFLIB);
	add_dyn(b, l, DT_NULL, 0);
	l->ndyn = (b->len - l->dyn_off) / SZ(l, Dyn);
}

static void
set_phdr(struct buf *b, const struct layout *l, size_t i, uint32_t type,
	 uint64_t off, uint64_t size)
{
	size_t ph = l->phoff + i * SZ(l, Phdr);

	SET(b->p, l, ph, Phdr, p_type, type);
	SET(b->p, l, ph, Phdr, p_offset, off);
	SET(b->p, l, ph, Phdr, p_vaddr, BASE + off);
	SET(b->p, l, ph, Phdr, p_filesz, size);
	SET(b->p, l, ph, Phdr, p_memsz, size);
}

static void
set_shdr(struct buf *b, const struct layout *l, size_t i, uint32_t name,
	 uint32_t type, uint64_t off, uint64_t size)
{
	size_t sh = l->shoff + i * SZ(l, Shdr);

	SET(b->p, l, sh, Shdr, sh_name, name);
	SET(b->p, l, sh, Shdr, sh_type, type);
	SET(b->p, l, sh, Shdr, sh_offset, off);
	SET(b->p, l, sh, Shdr, sh_size, size);
}

/* Section data, names and headers: [null, the extra one, .shstrtab]. */
static void
write_sections(struct buf *b, const struct fx *f, struct layout *l)
{
	size_t data = 0, dlen = 0, names, n_sec = 0, n_str;

	if (f->section) {
		dlen = strlen(f->section_data) + 1;
		data = buf_str(b, f->section_data);
	}
	names = buf_str(b, "");
	n_str = buf_str(b, ".shstrtab") - names;
	if (f->section)
		n_sec = buf_str(b, f->section) - names;
	size_t nlen = b->len - names;

	buf_align(b, 8);
	l->shnum = f->section ? 3 : 2;
	l->shoff = buf_reserve(b, l->shnum * SZ(l, Shdr));
	if (f->section)
		set_shdr(b, l, 1, (uint32_t)n_sec, SHT_PROGBITS, data, dlen);
	set_shdr(b, l, l->shnum - 1, (uint32_t)n_str, SHT_STRTAB, names,
		 nlen);
}

static void
write_ehdr(struct buf *b, const struct layout *l, uint16_t type,
	   uint16_t machine, uint32_t flags)
{
	memcpy(b->p, ELFMAG, SELFMAG);
	b->p[EI_CLASS] = (uint8_t)l->cls;
	b->p[EI_DATA] = (uint8_t)l->data;
	b->p[EI_VERSION] = EV_CURRENT;
	SET(b->p, l, 0, Ehdr, e_type, type);
	SET(b->p, l, 0, Ehdr, e_machine, machine);
	SET(b->p, l, 0, Ehdr, e_version, EV_CURRENT);
	SET(b->p, l, 0, Ehdr, e_flags, flags);
	SET(b->p, l, 0, Ehdr, e_ehsize, SZ(l, Ehdr));
	SET(b->p, l, 0, Ehdr, e_phoff, l->nph ? l->phoff : 0);
	SET(b->p, l, 0, Ehdr, e_phentsize, SZ(l, Phdr));
	SET(b->p, l, 0, Ehdr, e_phnum, l->nph);
	SET(b->p, l, 0, Ehdr, e_shoff, l->shoff);
	SET(b->p, l, 0, Ehdr, e_shentsize, SZ(l, Shdr));
	SET(b->p, l, 0, Ehdr, e_shnum, l->shnum);
	SET(b->p, l, 0, Ehdr, e_shstrndx, l->shnum - 1);
}

/* An ELF file as f describes: one PT_LOAD over the whole file. */
static struct buf
fx_build(const struct fx *f, struct layout *l)
{
	struct buf b = { 0 };
	uint16_t type, machine;
	size_t interp = 0;

	fx_defaults(f, l, &type, &machine);
	buf_reserve(&b, SZ(l, Ehdr));
	if (!f->no_phdrs) {
		l->nph = 1 + (f->interp != NULL) + !f->no_dynamic;
		l->interp_ph = f->interp ? 1 : 0;
		l->dyn_ph = l->nph - 1;
		l->phoff = buf_reserve(&b, l->nph * SZ(l, Phdr));
	}
	if (f->interp)
		interp = buf_str(&b, f->interp);
	if (!f->no_phdrs && !f->no_dynamic)
		write_dynamic(&b, f, l);
	write_sections(&b, f, l);
	write_ehdr(&b, l, type, machine, f->flags);
	if (!f->no_phdrs) {
		set_phdr(&b, l, 0, PT_LOAD, 0, b.len);
		if (f->interp)
			set_phdr(&b, l, 1, PT_INTERP, interp,
				 strlen(f->interp) + 1);
		if (!f->no_dynamic)
			set_phdr(&b, l, l->dyn_ph, PT_DYNAMIC, l->dyn_off,
				 l->ndyn * SZ(l, Dyn));
	}
	return b;
}

/* ---- files in a temporary directory ------------------------------- */

struct tdir {
	char root[512];		/* as created */
	char real[512];		/* its real path ($ORIGIN uses that) */
	char (*path)[PATH_MAX];	/* 8 buffers for tdir_path */
	int next;
	char ld[600], ld32[600];	/* write_loader's files */
};

static void
tdir_init(struct tdir *t)
{
	const char *dir = getenv("TMPDIR");

	memset(t, 0, sizeof(*t));
	snprintf(t->root, sizeof(t->root), "%s/elf-test-XXXXXX",
		 dir && *dir ? dir : P_tmpdir);
	assert_non_null(mkdtemp(t->root));
	assert_non_null(realpath(t->root, t->real));
	t->path = calloc(8, PATH_MAX);
	assert_non_null(t->path);
}

static void
tdir_free(struct tdir *t)
{
	assert_int_equal(rmtree(t->root), 0);
	free(t->path);
}

/* root/rel in one of eight rotating buffers. */
static const char *
tdir_path(struct tdir *t, const char *rel)
{
	char *p = t->path[t->next++ % 8];

	assert_true(snprintf(p, PATH_MAX, "%s/%s", t->root, rel) < PATH_MAX);
	return p;
}

static void
mkdirs_for(const char *path)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = dir + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(dir, 0755) < 0)
			assert_int_equal(errno, EEXIST);
		*s = '/';
	}
}

static const char *
write_file(struct tdir *t, const char *rel, const void *p, size_t n)
{
	const char *path = tdir_path(t, rel);
	int fd;

	mkdirs_for(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(fd >= 0);
	assert_true(write(fd, p, n) == (ssize_t)n);
	assert_int_equal(close(fd), 0);
	return path;
}

static const char *
write_text(struct tdir *t, const char *rel, const char *text)
{
	return write_file(t, rel, text, strlen(text));
}

static const char *
write_fx(struct tdir *t, const char *rel, const struct fx *f)
{
	struct layout l;
	struct buf b = fx_build(f, &l);
	const char *path = write_file(t, rel, b.p, b.len);

	free(b.p);
	return path;
}

/* The loader of the crafted programs: ROOT/ld.so.1, soname ld-test.so.1. */
static void
write_loader(struct tdir *t)
{
	struct fx ld = { .soname = "ld-test.so.1" };
	struct fx ld32 = { .class = ELFCLASS32, .soname = "ld-test32.so.1" };

	snprintf(t->ld, sizeof(t->ld), "%s", write_fx(t, "ld.so.1", &ld));
	snprintf(t->ld32, sizeof(t->ld32), "%s",
		 write_fx(t, "ld32.so.1", &ld32));
}

/* A configuration that sees nothing of the host: no cache, no conf,
 * ROOT/def as the only default directory. */
static struct ldso_config
tdir_config(struct tdir *t)
{
	struct ldso_config cfg;
	char *def = malloc(PATH_MAX);

	assert_non_null(def);
	snprintf(def, PATH_MAX, "%s/def", t->root);
	cfg.cache = strdup(tdir_path(t, "no-cache"));
	cfg.conf = strdup(tdir_path(t, "no-conf"));
	cfg.default_dirs = def;
	return cfg;
}

static void
config_free(struct ldso_config *cfg)
{
	free((char *)cfg->cache);
	free((char *)cfg->conf);
	free((char *)cfg->default_dirs);
}

/* ---- elf_file: reading ---------------------------------------------- */

static void
parse_fx(const struct fx *f, struct buf *b, struct layout *l,
	 struct elf_file *ef)
{
	struct es_error e = { 0 };

	*b = fx_build(f, l);
	if (elf_parse(ef, b->p, b->len, "fx", &e) != 0)
		fail_msg("parse failed: %s", e.msg);
}

static void
reads_64bit_little_endian(void **state)
{
	struct fx f = { .interp = "/lib/ld-x.so.2",
			.needed = { "liba.so.1", "libb.so.2", "libc.so.6" },
			.rpath = "/r1:/r2", .soname = "libme.so.3",
			.nodeflib = true, .section = ".note.x",
			.section_data = "hello" };
	struct elf_file ef;
	struct layout l;
	struct buf b;
	const void *p;
	size_t len;

	(void)state;
	parse_fx(&f, &b, &l, &ef);
	assert_int_equal(ef.class, ELFCLASS64);
	assert_int_equal(ef.data, ELFDATA2LSB);
	assert_int_equal(ef.type, ET_DYN);
	assert_int_equal(ef.machine, EM_X86_64);
	assert_string_equal(ef.interp, "/lib/ld-x.so.2");
	assert_true(ef.dynamic);
	assert_int_equal(ef.nneeded, 3);
	assert_string_equal(ef.needed[0], "liba.so.1");
	assert_string_equal(ef.needed[1], "libb.so.2");
	assert_string_equal(ef.needed[2], "libc.so.6");
	assert_string_equal(ef.rpath, "/r1:/r2");
	assert_null(ef.runpath);
	assert_string_equal(ef.soname, "libme.so.3");
	assert_true(ef.nodeflib);
	assert_int_equal(elf_section(&ef, ".note.x", &p, &len), 0);
	assert_int_equal(len, 6);
	assert_string_equal((const char *)p, "hello");
	assert_int_equal(elf_section(&ef, ".modinfo", &p, &len), -ENOENT);
	elf_close(&ef);
	free(b.p);
}

static void
reads_32bit_big_endian(void **state)
{
	struct fx f = { .class = ELFCLASS32, .data = ELFDATA2MSB,
			.machine = EM_PPC, .flags = 0x12345678,
			.interp = "/lib/ld.so.1", .needed = { "libc.so.6" },
			.runpath = "$ORIGIN/../lib" };
	struct elf_file ef;
	struct layout l;
	struct buf b;

	(void)state;
	parse_fx(&f, &b, &l, &ef);
	assert_int_equal(ef.class, ELFCLASS32);
	assert_int_equal(ef.data, ELFDATA2MSB);
	assert_int_equal(ef.machine, EM_PPC);
	assert_int_equal(ef.flags, 0x12345678);
	assert_string_equal(ef.interp, "/lib/ld.so.1");
	assert_int_equal(ef.nneeded, 1);
	assert_string_equal(ef.needed[0], "libc.so.6");
	assert_string_equal(ef.runpath, "$ORIGIN/../lib");
	assert_null(ef.rpath);
	assert_null(ef.soname);
	assert_false(ef.nodeflib);
	elf_close(&ef);
	free(b.p);
}

/* A kernel module is ET_REL: no program headers, sections only. */
static void
finds_modinfo_of_a_relocatable(void **state)
{
	static const char info[] = "license=GPL";
	struct fx f = { .type = ET_REL, .no_phdrs = true,
			.section = ".modinfo", .section_data = info };
	struct elf_file ef;
	struct layout l;
	struct buf b;
	const void *p;
	size_t len;

	(void)state;
	parse_fx(&f, &b, &l, &ef);
	assert_int_equal(ef.type, ET_REL);
	assert_false(ef.dynamic);
	assert_null(ef.interp);
	assert_int_equal(ef.nneeded, 0);
	assert_int_equal(elf_section(&ef, ".modinfo", &p, &len), 0);
	assert_int_equal(len, sizeof(info));
	assert_memory_equal(p, info, sizeof(info));
	elf_close(&ef);
	free(b.p);
}

static void
reads_a_host_program(void **state)
{
	struct es_error e = { 0 };
	struct elf_file ef;
	const void *p;
	size_t len;
	bool libc = false;

	(void)state;
	if (elf_open(&ef, "/bin/dash", &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(ef.class, ELFCLASS64);
	assert_int_equal(ef.machine, EM_X86_64);
	assert_non_null(ef.interp);
	assert_true(ef.dynamic);
	for (size_t i = 0; i < ef.nneeded; i++)
		libc |= strcmp(ef.needed[i], "libc.so.6") == 0;
	assert_true(libc);
	assert_int_equal(elf_section(&ef, ".text", &p, &len), 0);
	assert_true(len > 0);
	assert_int_equal(elf_section(&ef, ".modinfo", &p, &len), -ENOENT);
	elf_close(&ef);
}

/* The message of parsing p[0..n), which must fail. */
static void
expect_parse_error(const void *p, size_t n, const char *want)
{
	struct es_error e = { 0 };
	struct elf_file ef;
	int rc = elf_parse(&ef, p, n, "F", &e);

	elf_close(&ef);
	if (rc != -EINVAL || !strstr(e.msg, want))
		fail_msg("expected -EINVAL and \"%s\", got %d \"%s\"", want,
			 rc, e.msg);
}

static void
not_elf_empty_and_short(void **state)
{
	struct fx f = { .interp = "/x" };
	struct es_error e = { 0 };
	struct elf_file ef;
	struct layout l;
	struct buf b = fx_build(&f, &l);
	struct tdir t;

	(void)state;
	expect_parse_error("hello, world\n", 13, "F: not an ELF file");
	expect_parse_error("", 0, "F: not an ELF file");
	expect_parse_error(b.p, 15, "F: not an ELF file");
	expect_parse_error(b.p, 20, "F: truncated ELF (ELF header at "
			   "offset 0, 64 bytes, beyond end of file at 20)");
	tdir_init(&t);
	write_file(&t, "empty", "", 0);
	assert_int_equal(elf_open(&ef, tdir_path(&t, "empty"), &e), -EINVAL);
	assert_non_null(strstr(e.msg, "empty: not an ELF file (empty)"));
	elf_close(&ef);
	es_clear(&e);
	assert_int_equal(elf_open(&ef, tdir_path(&t, "none"), &e), -ENOENT);
	assert_non_null(strstr(e.msg, "none: No such file or directory"));
	elf_close(&ef);
	es_clear(&e);
	assert_int_equal(elf_open(&ef, t.root, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not a regular file"));
	elf_close(&ef);
	tdir_free(&t);
	free(b.p);
}

/* A corruption of a well-formed fixture and the message it must give. */
struct corruption {
	const char *what;
	void (*apply)(uint8_t *p, size_t len, const struct layout *l);
	const char *want;
};

static void
dyn_set(uint8_t *p, const struct layout *l, uint64_t tag, uint64_t val)
{
	for (size_t i = 0; i < l->ndyn; i++) {
		size_t d = l->dyn_off + i * SZ(l, Dyn);
		uint64_t got = 0;

		for (size_t k = 0; k < LEN(l, Dyn, d_tag); k++) {
			size_t at = d + (l->data == ELFDATA2LSB ?
					 LEN(l, Dyn, d_tag) - 1 - k : k);
			got = got << 8 | p[at];
		}
		if (got == tag)
			SET(p, l, d, Dyn, d_un.d_val, val);
	}
}

#define PH(l, i) ((l)->phoff + (i) * SZ(l, Phdr))
#define SH(l, i) ((l)->shoff + (i) * SZ(l, Shdr))

static void c_phoff_end(uint8_t *p, size_t n, const struct layout *l)
{ SET(p, l, 0, Ehdr, e_phoff, n); }
static void c_phoff_wrap(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_phoff, UINT64_MAX - 8); }
static void c_phentsize(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_phentsize, 55); }
static void c_phnum_xnum(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_phnum, PN_XNUM); }
static void c_phnum_big(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_phnum, 3000); }
static void c_load_off(uint8_t *p, size_t n, const struct layout *l)
{ SET(p, l, PH(l, 0), Phdr, p_offset, n); }
static void c_load_size(uint8_t *p, size_t n, const struct layout *l)
{ SET(p, l, PH(l, 0), Phdr, p_filesz, n + 1); }
static void c_load_wrap(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, PH(l, 0), Phdr, p_offset, UINT64_MAX - 2);
  SET(p, l, PH(l, 0), Phdr, p_filesz, 16); }
static void c_interp_off(uint8_t *p, size_t n, const struct layout *l)
{ SET(p, l, PH(l, l->interp_ph), Phdr, p_offset, n - 1); }
static void c_interp_short(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, PH(l, l->interp_ph), Phdr, p_filesz, 1); }
static void c_interp_nonul(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, PH(l, l->interp_ph), Phdr, p_filesz, 3); }
static void c_dyn_off(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, PH(l, l->dyn_ph), Phdr, p_offset, UINT32_MAX); }
static void c_strtab(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; dyn_set(p, l, DT_STRTAB, 0x10); }
static void c_strtab_end(uint8_t *p, size_t n, const struct layout *l)
{ dyn_set(p, l, DT_STRTAB, BASE + n); }
static void c_strsz(uint8_t *p, size_t n, const struct layout *l)
{ dyn_set(p, l, DT_STRSZ, n); }
static void c_needed(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; dyn_set(p, l, DT_NEEDED, 100000); }
static void c_soname(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; dyn_set(p, l, DT_SONAME, UINT32_MAX); }
static void c_shoff(uint8_t *p, size_t n, const struct layout *l)
{ SET(p, l, 0, Ehdr, e_shoff, n - 8); }
static void c_shentsize(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_shentsize, 63); }
static void c_shnum(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_shnum, 60000); }
static void c_shstrndx(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, 0, Ehdr, e_shstrndx, l->shnum); }
static void c_sec_off(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, SH(l, 1), Shdr, sh_offset, UINT64_MAX); }
static void c_sec_name(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; SET(p, l, SH(l, 1), Shdr, sh_name, 5000); }
static void c_strsec(uint8_t *p, size_t n, const struct layout *l)
{ SET(p, l, SH(l, l->shnum - 1), Shdr, sh_size, n); }
static void c_class(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; (void)l; p[EI_CLASS] = 3; }
static void c_data(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; (void)l; p[EI_DATA] = 0; }
static void c_version(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; (void)l; p[EI_VERSION] = 2; }
static void c_magic(uint8_t *p, size_t n, const struct layout *l)
{ (void)n; (void)l; p[1] = 'e'; }

static const struct corruption corruptions[] = {
	{ "e_phoff at the end", c_phoff_end,
	  "truncated ELF (program header table at offset" },
	{ "e_phoff wraps", c_phoff_wrap, "truncated ELF (program header" },
	{ "e_phentsize", c_phentsize, "program header size 55" },
	{ "e_phnum PN_XNUM", c_phnum_xnum, "PN_XNUM" },
	{ "e_phnum over 64 KiB", c_phnum_big, "(limit 65536)" },
	{ "PT_LOAD offset", c_load_off, "truncated ELF (segment 0 (PT_LOAD)" },
	{ "PT_LOAD size", c_load_size, "truncated ELF (segment 0 (PT_LOAD)" },
	{ "PT_LOAD wraps", c_load_wrap, "truncated ELF (segment 0 (PT_LOAD)" },
	{ "PT_INTERP offset", c_interp_off, "(segment 1 (PT_INTERP)" },
	{ "PT_INTERP size 1", c_interp_short, "PT_INTERP of 1 bytes" },
	{ "PT_INTERP no NUL", c_interp_nonul, "PT_INTERP does not end in NUL" },
	{ "PT_DYNAMIC offset", c_dyn_off, "(segment 2 (PT_DYNAMIC)" },
	{ "DT_STRTAB unmapped", c_strtab, "is in no PT_LOAD segment" },
	{ "DT_STRTAB at the end", c_strtab_end, "is in no PT_LOAD segment" },
	{ "DT_STRSZ", c_strsz, "runs past its segment" },
	{ "DT_NEEDED", c_needed, "DT_NEEDED string at 100000 outside" },
	{ "DT_SONAME", c_soname, "DT_SONAME string at 4294967295 outside" },
	{ "e_shoff", c_shoff, "truncated ELF (section header table" },
	{ "e_shentsize", c_shentsize, "section header size 63" },
	{ "e_shnum", c_shnum, "truncated ELF (section header table" },
	{ "e_shstrndx", c_shstrndx, "section name table" },
	{ "section offset", c_sec_off, "truncated ELF (section 1 at offset" },
	{ "section name", c_sec_name, "section 1 has a bad name offset 5000" },
	{ "name table size", c_strsec, "truncated ELF (section name table" },
	{ "class", c_class, "unknown ELF class 3" },
	{ "byte order", c_data, "unknown ELF byte order 0" },
	{ "version", c_version, "ELF version 2, not 1" },
	{ "magic", c_magic, "not an ELF file" },
};

static void
every_offset_out_of_bounds(void **state)
{
	const struct fx fxs[] = {
		{ .interp = "/ld", .needed = { "liba.so" }, .soname = "s",
		  .section = ".x", .section_data = "y" },
		{ .class = ELFCLASS32, .data = ELFDATA2MSB, .machine = EM_PPC,
		  .interp = "/ld", .needed = { "liba.so" }, .soname = "s",
		  .section = ".x", .section_data = "y" },
	};

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct layout l;
		struct buf b = fx_build(&fxs[k], &l);
		uint8_t *copy = malloc(b.len);

		assert_non_null(copy);
		for (size_t i = 0; i < sizeof(corruptions) /
		     sizeof(corruptions[0]); i++) {
			memcpy(copy, b.p, b.len);
			corruptions[i].apply(copy, b.len, &l);
			print_message("# %s-bit: %s\n", k ? "32" : "64",
				      corruptions[i].what);
			expect_parse_error(copy, b.len, corruptions[i].want);
		}
		free(copy);
		free(b.p);
	}
}

/* Whatever the bytes, parsing ends in 0 or -EINVAL, and whatever it
 * found lies inside the image (run under valgrind or ASan to see the
 * reads as well). */
static void
check_inside(const struct elf_file *ef, const uint8_t *p, size_t n)
{
	const char *s[] = { ef->interp, ef->rpath, ef->runpath, ef->soname };
	const char *end = (const char *)p + n;

	for (size_t i = 0; i < 4; i++)
		if (s[i])
			assert_true(s[i] >= (const char *)p &&
				    s[i] + strlen(s[i]) < end);
	for (size_t i = 0; i < ef->nneeded; i++)
		assert_true(ef->needed[i] >= (const char *)p &&
			    ef->needed[i] + strlen(ef->needed[i]) < end);
}

static void
parse_any(const uint8_t *p, size_t n)
{
	struct es_error e = { 0 };
	struct elf_file ef;
	const void *sp;
	size_t slen;
	int rc = elf_parse(&ef, p, n, "F", &e);

	assert_true(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		check_inside(&ef, p, n);
		if (elf_section(&ef, ".x", &sp, &slen) == 0 && sp)
			assert_true((const uint8_t *)sp >= p &&
				    (const uint8_t *)sp + slen <= p + n);
	} else {
		assert_true(e.msg[0] != '\0');
	}
	elf_close(&ef);
}

static void
never_crashes_on_prefixes_and_flipped_bytes(void **state)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
	const struct fx fxs[] = {
		{ .interp = "/ld", .needed = { "a", "b" }, .rpath = "r",
		  .section = ".x", .section_data = "y" },
		{ .class = ELFCLASS32, .data = ELFDATA2MSB, .machine = EM_PPC,
		  .interp = "/ld", .needed = { "a" }, .runpath = "r",
		  .section = ".x", .section_data = "y" },
	};

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct layout l;
		struct buf b = fx_build(&fxs[k], &l);
		uint8_t *copy;

		for (size_t n = 0; n <= b.len; n++) {
			/* A copy of exactly n bytes, so overreads show. */
			copy = malloc(n ? n : 1);
			assert_non_null(copy);
			memcpy(copy, b.p, n);
			parse_any(copy, n);
			free(copy);
		}
		copy = malloc(b.len);
		assert_non_null(copy);
		for (size_t i = 0; i < b.len; i++)
			for (size_t v = 0; v < sizeof(values); v++) {
				memcpy(copy, b.p, b.len);
				copy[i] = values[v];
				parse_any(copy, b.len);
			}
		free(copy);
		free(b.p);
	}
}

/* ---- ldso: architectures, ld.so.cache, ld.so.conf ------------------- */

static const struct ldso_arch *
arch_for(uint8_t class, uint8_t data, uint16_t machine, uint32_t flags)
{
	struct elf_file ef = { .class = class, .data = data,
			       .machine = machine, .flags = flags };

	return ldso_arch_of(&ef);
}

static void
expect_defaults(const struct ldso_arch *a, const char *want)
{
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	char *got = ldso_default_dirs(&cfg, a);

	assert_string_equal(got, want);
	free(got);
}

static void
arch_table(void **state)
{
	const struct ldso_arch *a;

	(void)state;
	a = arch_for(ELFCLASS64, ELFDATA2LSB, EM_X86_64, 0);
	assert_non_null(a);
	assert_string_equal(a->triplet, "x86_64-linux-gnu");
	assert_string_equal(a->platform, "x86_64");
	assert_int_equal(a->cache_flags, 0x303);
	expect_defaults(a, "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:"
			"/lib:/usr/lib");
	a = arch_for(ELFCLASS32, ELFDATA2LSB, EM_386, 0);
	assert_string_equal(a->triplet, "i386-linux-gnu");
	assert_int_equal(a->cache_flags, 3);
	assert_int_equal(a->cache_flags_alt, 1);
	expect_defaults(a, "/lib/i386-linux-gnu:/usr/lib/i386-linux-gnu:"
			"/lib:/usr/lib");
	a = arch_for(ELFCLASS32, ELFDATA2LSB, EM_X86_64, 0);
	assert_string_equal(a->triplet, "x86_64-linux-gnux32");
	a = arch_for(ELFCLASS64, ELFDATA2LSB, EM_AARCH64, 0);
	assert_string_equal(a->triplet, "aarch64-linux-gnu");
	assert_int_equal(a->cache_flags, 0xa03);
	a = arch_for(ELFCLASS32, ELFDATA2LSB, EM_ARM,
		     EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_HARD);
	assert_string_equal(a->triplet, "arm-linux-gnueabihf");
	assert_int_equal(a->cache_flags, 0x903);
	a = arch_for(ELFCLASS32, ELFDATA2LSB, EM_ARM,
		     EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT);
	assert_string_equal(a->triplet, "arm-linux-gnueabi");
	a = arch_for(ELFCLASS64, ELFDATA2LSB, EM_RISCV,
		     EF_RISCV_FLOAT_ABI_DOUBLE | EF_RISCV_RVC);
	assert_string_equal(a->triplet, "riscv64-linux-gnu");
	assert_null(arch_for(ELFCLASS64, ELFDATA2LSB, EM_RISCV, 0));
	a = arch_for(ELFCLASS64, ELFDATA2LSB, EM_PPC64, 0);
	assert_string_equal(a->triplet, "powerpc64le-linux-gnu");
	a = arch_for(ELFCLASS64, ELFDATA2MSB, EM_S390, 0);
	assert_string_equal(a->triplet, "s390x-linux-gnu");
	assert_null(arch_for(ELFCLASS32, ELFDATA2MSB, EM_MIPS, 0));
	expect_defaults(NULL, "/lib:/usr/lib");
}

/* The interpreter of a host program, as written in it. */
static void
host_interp(const char *prog, char *buf, size_t size)
{
	struct es_error e = { 0 };
	struct elf_file ef;

	if (elf_open(&ef, prog, &e) != 0)
		fail_msg("%s", e.msg);
	assert_non_null(ef.interp);
	snprintf(buf, size, "%s", ef.interp);
	elf_close(&ef);
}

/* The default directories are those the host's ld.so lists as its
 * system search path. */
static void
defaults_match_host_ldso(void **state)
{
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	struct es_error e = { 0 };
	char interp[PATH_MAX], cmd[PATH_MAX + 32], line[PATH_MAX];
	char want[4 * PATH_MAX] = "", *got;
	struct elf_file ef;
	FILE *f;

	(void)state;
	host_interp("/bin/dash", interp, sizeof(interp));
	snprintf(cmd, sizeof(cmd), "'%s' --help", interp);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *end = strstr(line, " (system search path)");
		char *dir = line + strspn(line, " ");

		if (!end)
			continue;
		*end = '\0';
		if (want[0])
			strcat(want, ":");
		strcat(want, dir);
	}
	assert_int_equal(pclose(f), 0);
	assert_true(want[0] != '\0');
	assert_int_equal(elf_open(&ef, "/bin/dash", &e), 0);
	got = ldso_default_dirs(&cfg, ldso_arch_of(&ef));
	assert_string_equal(got, want);
	free(got);
	elf_close(&ef);
}

/* ldd's answer for a program: the paths it lists (after "=>", and the
 * interpreter's line), each through realpath, vdso left out. */
static size_t
ldd_paths(const char *prog, char out[][PATH_MAX], size_t max)
{
	char cmd[PATH_MAX + 64], line[2 * PATH_MAX], *p, *end;
	size_t n = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "env -u LD_LIBRARY_PATH -u LD_PRELOAD ldd '%s'", prog);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "=> ");
		p = p ? p + 3 : line + strspn(line, " \t");
		if (p[0] != '/')
			continue;	/* linux-vdso.so.1, statically linked */
		end = strstr(p, " (");
		if (end)
			*end = '\0';
		p[strcspn(p, "\n")] = '\0';
		assert_true(n < max);
		if (!realpath(p, out[n]))
			fail_msg("ldd %s: %s: %s", prog, p, strerror(errno));
		n++;
	}
	if (pclose(f) != 0)
		fail_msg("%s failed", cmd);
	return n;
}

static void
host_cache_finds_libc_where_ldd_does(void **state)
{
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	struct es_error e = { 0 };
	char ldd[16][PATH_MAX], real[PATH_MAX];
	struct elf_file ef;
	struct ldso l;
	const char *got;
	size_t n;
	bool found = false;

	(void)state;
	if (ldso_open(&l, &cfg, &e) != 0)
		fail_msg("%s", e.msg);
	assert_non_null(l.map);
	assert_true(l.nentries > 0);
	assert_int_equal(elf_open(&ef, "/bin/dash", &e), 0);
	got = ldso_cache_lookup(&l, "libc.so.6", ldso_arch_of(&ef));
	assert_non_null(got);
	assert_non_null(realpath(got, real));
	n = ldd_paths("/bin/dash", ldd, 16);
	for (size_t i = 0; i < n; i++)
		found |= strcmp(ldd[i], real) == 0;
	if (!found)
		fail_msg("cache: %s (%s), not among ldd's", got, real);
	/* No entry of another architecture's flags answers. */
	assert_null(ldso_cache_lookup(&l, "libc.so.6",
				      arch_for(ELFCLASS64, ELFDATA2LSB,
					       EM_AARCH64, 0)));
	assert_null(ldso_cache_lookup(&l, "libc.so.6", NULL));
	assert_null(ldso_cache_lookup(&l, "libnosuch.so.77",
				      ldso_arch_of(&ef)));
	elf_close(&ef);
	ldso_close(&l);
}

/* ---- a cache writer ------------------------------------------------- */

struct centry {
	int32_t flags;
	const char *key, *value;
	uint64_t hwcap;
};

static void
put32(struct buf *b, size_t off, uint32_t v)
{
	memcpy(b->p + off, &v, 4);	/* the host's order, as ldconfig */
}

/* A cache of n entries: new format, after an old table of them if
 * old_prefix, or the old table alone if old_only. */
static struct buf
cache_build(const struct centry *ent, size_t n, bool old_prefix,
	    bool old_only, uint8_t endian)
{
	struct buf b = { 0 };
	size_t old = 0, hdr = 0, strs;
	size_t key[8], val[8];

	if (old_prefix || old_only) {
		buf_reserve(&b, 16);
		memcpy(b.p, "ld.so-1.7.0", 11);
		put32(&b, 12, (uint32_t)n);
		old = buf_reserve(&b, n * 12);
	}
	if (!old_only) {
		buf_align(&b, 8);
		hdr = buf_reserve(&b, 48);
		memcpy(b.p + hdr, "glibc-ld.so.cache1.1", 20);
		put32(&b, hdr + 20, (uint32_t)n);
		b.p[hdr + 28] = endian;
		buf_reserve(&b, n * 24);
	}
	strs = old_only ? old + n * 12 : hdr;
	for (size_t i = 0; i < n; i++) {
		key[i] = buf_str(&b, ent[i].key) - strs;
		val[i] = buf_str(&b, ent[i].value) - strs;
	}
	for (size_t i = 0; i < n; i++) {
		size_t o = old + i * 12, e = hdr + 48 + i * 24;

		if (old_prefix || old_only) {
			size_t base = old + n * 12;

			put32(&b, o, (uint32_t)ent[i].flags);
			put32(&b, o + 4, (uint32_t)(key[i] + strs - base));
			put32(&b, o + 8, (uint32_t)(val[i] + strs - base));
		}
		if (old_only)
			continue;
		put32(&b, e, (uint32_t)ent[i].flags);
		put32(&b, e + 4, (uint32_t)key[i]);
		put32(&b, e + 8, (uint32_t)val[i]);
		memcpy(b.p + e + 16, &ent[i].hwcap, 8);
	}
	return b;
}

static const struct centry cache_entries[] = {
	{ 0x303, "libfoo.so.1", "/hw/libfoo.so.1", 1ULL << 62 },
	{ 0x303, "libfoo.so.1", "/x64/libfoo.so.1", 0 },
	{ 3, "libfoo.so.1", "/x32/libfoo.so.1", 0 },
	{ 3, "libbar.so.2", "/x32/libbar.so.2", 0 },
	{ 1, "libold.so.1", "/x32/libold.so.1", 0 },
};
#define NCACHE (sizeof(cache_entries) / sizeof(cache_entries[0]))

static const uint8_t host_endian =
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 2 : 3;

static void
open_cache(struct tdir *t, const struct buf *b, struct ldso *l)
{
	struct ldso_config cfg = { tdir_path(t, "ld.so.cache"), NULL, NULL };
	struct es_error e = { 0 };

	write_file(t, "ld.so.cache", b->p, b->len);
	if (ldso_open(l, &cfg, &e) != 0)
		fail_msg("%s", e.msg);
	assert_non_null(l->map);
}

static void
expect_lookup(const struct ldso *l, const char *name,
	      const struct ldso_arch *a, const char *want)
{
	const char *got = ldso_cache_lookup(l, name, a);

	if (want ? !got || strcmp(got, want) != 0 : got != NULL)
		fail_msg("%s: expected %s, got %s", name, want ? want : "none",
			 got ? got : "none");
}

static void
crafted_cache_formats(void **state)
{
	const struct ldso_arch *x64 = arch_for(ELFCLASS64, ELFDATA2LSB,
					       EM_X86_64, 0);
	const struct ldso_arch *i386 = arch_for(ELFCLASS32, ELFDATA2LSB,
						EM_386, 0);
	struct tdir t;

	(void)state;
	tdir_init(&t);
	for (int form = 0; form < 3; form++) {
		struct buf b = cache_build(cache_entries, NCACHE, form == 1,
					   form == 2, host_endian);
		struct ldso l;

		print_message("# %s\n", form == 0 ? "new format" :
			      form == 1 ? "old then new" : "old only");
		open_cache(&t, &b, &l);
		assert_int_equal(l.nentries, NCACHE);
		/* hwcap entries are left out; the old table has no hwcap
		 * field, so there the first entry is as good as any */
		expect_lookup(&l, "libfoo.so.1", x64,
			      form == 2 ? "/hw/libfoo.so.1" :
			      "/x64/libfoo.so.1");
		expect_lookup(&l, "libfoo.so.01", x64,
			      form == 2 ? "/hw/libfoo.so.1" :
			      "/x64/libfoo.so.1");
		expect_lookup(&l, "libfoo.so", x64, NULL);
		expect_lookup(&l, "libbar.so.2", x64, NULL);
		expect_lookup(&l, "libfoo.so.1", i386, "/x32/libfoo.so.1");
		expect_lookup(&l, "libbar.so.2", i386, "/x32/libbar.so.2");
		expect_lookup(&l, "libold.so.1", i386, "/x32/libold.so.1");
		expect_lookup(&l, "libold.so.1", x64, NULL);
		ldso_close(&l);
		free(b.p);
	}
	tdir_free(&t);
}

static void
expect_cache_error(struct tdir *t, const struct buf *b, const char *want)
{
	struct ldso_config cfg = { tdir_path(t, "ld.so.cache"), NULL, NULL };
	struct es_error e = { 0 };
	struct ldso l;
	int rc;

	write_file(t, "ld.so.cache", b->p, b->len);
	rc = ldso_open(&l, &cfg, &e);
	ldso_close(&l);
	if (rc >= 0 || !strstr(e.msg, want))
		fail_msg("expected \"%s\", got %d \"%s\"", want, rc, e.msg);
}

static void
corrupt_caches(void **state)
{
	struct buf b = cache_build(cache_entries, NCACHE, false, false,
				   host_endian);
	const struct ldso_arch *x64 = arch_for(ELFCLASS64, ELFDATA2LSB,
					       EM_X86_64, 0);
	struct tdir t;

	(void)state;
	tdir_init(&t);
	put32(&b, 20, 1000);
	expect_cache_error(&t, &b, "corrupt ld.so.cache (1000 entries");
	put32(&b, 20, NCACHE);
	b.p[28] = (uint8_t)(host_endian ^ 1);
	expect_cache_error(&t, &b, "for another byte order");
	b.p[28] = 1;
	expect_cache_error(&t, &b, "for another byte order");
	b.p[28] = 0;		/* no byte order given: taken as the host's */
	b.p[0] = 'G';
	expect_cache_error(&t, &b, "not an ld.so.cache");
	b.p[0] = 'g';
	/* string offsets out of range make entries unusable, not crash */
	for (size_t i = 0; i < NCACHE; i++)
		put32(&b, 48 + i * 24 + 8, 0xfffffff0u);
	{
		struct ldso l;

		open_cache(&t, &b, &l);
		expect_lookup(&l, "libfoo.so.1", x64, NULL);
		ldso_close(&l);
	}
	free(b.p);
	/* every prefix: an error or a cache that answers sanely */
	b = cache_build(cache_entries, NCACHE, true, false, host_endian);
	for (size_t n = 1; n < b.len; n++) {
		struct ldso_config cfg = { tdir_path(&t, "ld.so.cache"), NULL,
					   NULL };
		struct es_error e = { 0 };
		struct ldso l;

		write_file(&t, "ld.so.cache", b.p, n);
		if (ldso_open(&l, &cfg, &e) == 0)
			ldso_cache_lookup(&l, "libfoo.so.1", x64);
		ldso_close(&l);
	}
	free(b.p);
	tdir_free(&t);
}

static void
libcmp_compares_digits_by_value(void **state)
{
	(void)state;
	assert_int_equal(ldso_libcmp("libx.so.01", "libx.so.1"), 0);
	assert_int_equal(ldso_libcmp("libx.so.1", "libx.so.1"), 0);
	assert_true(ldso_libcmp("libx.so.9", "libx.so.10") < 0);
	assert_true(ldso_libcmp("libx.so.10", "libx.so.9") > 0);
	assert_true(ldso_libcmp("libx.so", "libx.so.1") < 0);
	assert_true(ldso_libcmp("libx.so.1", "libx.so") > 0);
	assert_true(ldso_libcmp("liba", "libb") < 0);
	/* digits sort after other characters, as in glibc */
	assert_true(ldso_libcmp("lib1", "liba") > 0);
}

static void
expect_dirs(char **dirs, size_t n, const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		if (i >= n)
			fail_msg("dir %zu: expected %s, got none", i, want[i]);
		if (strcmp(dirs[i], want[i]) != 0)
			fail_msg("dir %zu: expected %s, got %s", i, want[i],
				 dirs[i]);
	}
	if (i != n)
		fail_msg("expected %zu dirs, got %zu (then %s)", i, n, dirs[i]);
	assert_null(dirs[n]);
}

static void
conf_includes_globs_in_order(void **state)
{
	const char *const want[] = { "/opt/conf-a", "/opt/conf-a2",
		"/opt/conf-b", "/opt/a", "/opt/b", "/", "/opt/other", NULL };
	struct es_error e = { 0 };
	struct tdir t;
	char **dirs;
	size_t n;

	(void)state;
	tdir_init(&t);
	write_text(&t, "etc/ld.so.conf",
		   "# the main file\n"
		   "include conf.d/*.conf\n"
		   "/opt/a/   # trailing slash and comment\n"
		   "  /opt/b=libc6\n"
		   "hwcap 1 nosegneg\n"
		   "\n"
		   "/opt/a\n"
		   "///\n"
		   "include\t/nonexistent/*.conf other.conf");
	write_text(&t, "etc/conf.d/b.conf", "/opt/conf-b\n");
	write_text(&t, "etc/conf.d/a.conf", "/opt/conf-a\n\t/opt/conf-a2//\n");
	write_text(&t, "etc/conf.d/ignored.txt", "/opt/no\n");
	write_text(&t, "etc/other.conf", "/opt/other\n");
	if (ldso_read_conf(tdir_path(&t, "etc/ld.so.conf"), &dirs, &n, &e))
		fail_msg("%s", e.msg);
	expect_dirs(dirs, n, want);
	ldso_free_dirs(dirs, n);

	/* a missing file has no directories; a loop is an error */
	assert_int_equal(ldso_read_conf(tdir_path(&t, "none"), &dirs, &n, &e),
			 0);
	assert_int_equal(n, 0);
	ldso_free_dirs(dirs, n);
	write_text(&t, "etc/loop.conf", "include loop.conf\n");
	assert_int_equal(ldso_read_conf(tdir_path(&t, "etc/loop.conf"), &dirs,
					&n, &e), -ELOOP);
	assert_non_null(strstr(e.msg, "includes nested deeper than 16"));
	tdir_free(&t);
}

/* ---- closures: Debian's programs against ldd ------------------------ */

static int
by_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Sorts n paths and drops repeats; returns the new count. */
static size_t
uniq(char v[][PATH_MAX], size_t n)
{
	size_t k = 0;

	qsort(v, n, PATH_MAX, by_str);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			memmove(v[k++], v[i], PATH_MAX);
	return k;
}

static void
print_set(const char *what, char v[][PATH_MAX], size_t n)
{
	print_message("# %s:\n", what);
	for (size_t i = 0; i < n; i++)
		print_message("#   %s\n", v[i]);
}

static void
closure_equals_ldd(const char *prog)
{
	static char got[64][PATH_MAX], want[64][PATH_MAX];
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	struct es_error e = { 0 };
	struct elf_closure c;
	size_t ngot = 0, nwant;

	if (access(prog, X_OK) != 0)
		fail_msg("%s: %s (scripts/deps.sh installs it)", prog,
			 strerror(errno));
	if (elf_closure_init(&c, &cfg, &e) || elf_closure_add(&c, prog, &e))
		fail_msg("%s", e.msg);
	assert_true(c.len >= 3);
	assert_string_equal(c.deps[0].path, prog);
	assert_int_equal(c.deps[0].kind, ELF_DEP_PROGRAM);
	assert_int_equal(c.deps[1].kind, ELF_DEP_INTERP);
	for (size_t i = 1; i < c.len; i++) {
		assert_true(ngot < 64);
		if (!realpath(c.deps[i].path, got[ngot++]))
			fail_msg("%s: %s", c.deps[i].path, strerror(errno));
		assert_true(c.deps[i].parent < i);
	}
	elf_closure_free(&c);
	ngot = uniq(got, ngot);
	nwant = uniq(want, ldd_paths(prog, want, 64));
	for (size_t i = 0; i < ngot || i < nwant; i++)
		if (i >= ngot || i >= nwant || strcmp(got[i], want[i]) != 0) {
			print_set("closure", got, ngot);
			print_set("ldd", want, nwant);
			fail_msg("%s: the closure differs from ldd's", prog);
		}
}

#define LDD_TEST(name, path)                                             \
	static void                                                      \
	ldd_##name(void **state)                                         \
	{                                                                \
		(void)state;                                             \
		closure_equals_ldd(path);                                \
	}
LDD_TEST(busybox, "/bin/busybox")
LDD_TEST(dash, "/bin/dash")
LDD_TEST(mount, "/bin/mount")
LDD_TEST(e2fsck, "/sbin/e2fsck")
LDD_TEST(ip, "/bin/ip")
LDD_TEST(kmod, "/bin/kmod")

/* ---- closures: crafted programs ------------------------------------- */

/* Expected paths: "@rel" is ROOT/rel, "%rel" ROOT's real path/rel, any
 * other string itself. */
static void
expect_closure(const struct elf_closure *c, struct tdir *t,
	       const char *const *want)
{
	char exp[PATH_MAX];
	size_t i;

	for (i = 0; want[i]; i++) {
		snprintf(exp, sizeof(exp), "%s%s%s", want[i][0] == '@' ?
			 t->root : want[i][0] == '%' ? t->real : "",
			 want[i][0] == '@' || want[i][0] == '%' ? "/" : "",
			 want[i] + (want[i][0] == '@' || want[i][0] == '%'));
		if (i >= c->len || strcmp(c->deps[i].path, exp) != 0)
			break;
	}
	if (want[i] || i != c->len) {
		for (size_t k = 0; k < c->len; k++)
			print_message("# got %zu: %s\n", k, c->deps[k].path);
		fail_msg("entry %zu: expected %s", i, want[i] ? exp : "none");
	}
}

/* The closure of ROOT/rel under cfg, which must resolve. */
static void
expect_ok(struct tdir *t, const struct ldso_config *cfg, const char *rel,
	  const char *const *want)
{
	struct es_error e = { 0 };
	struct elf_closure c;

	if (elf_closure_init(&c, cfg, &e) ||
	    elf_closure_add(&c, tdir_path(t, rel), &e))
		fail_msg("%s", e.msg);
	expect_closure(&c, t, want);
	elf_closure_free(&c);
}

/* The message for ROOT/rel, which must fail with code, with "@" in want
 * standing for ROOT. */
static void
expect_fail(struct tdir *t, const struct ldso_config *cfg, const char *rel,
	    int code, const char *want)
{
	char exp[4096] = "";
	struct es_error e = { 0 };
	struct elf_closure c;
	int rc;

	for (const char *s = want; *s; s++)
		if (*s == '@')
			strcat(exp, t->root);
		else
			strncat(exp, s, 1);
	rc = elf_closure_init(&c, cfg, &e);
	assert_int_equal(rc, 0);
	rc = elf_closure_add(&c, tdir_path(t, rel), &e);
	assert_int_equal(c.len, 0);	/* nothing added on error */
	elf_closure_free(&c);
	if (rc != -code || strcmp(e.msg, exp) != 0)
		fail_msg("expected %d \"%s\"\n  got %d \"%s\"", -code, exp, rc,
			 e.msg);
}

static void
runpath_with_origin_and_lib(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1",
		"%bin/../lib/libA.so.1",
		"%bin/../lib/x86_64-linux-gnu/libB.so.1",
		"%bin/../lib/libC.so.1", NULL };
	struct fx prog = { .interp = NULL, .needed = { "libA.so.1",
			   "libB.so.1", "libC.so.1" },
			   .runpath = "$ORIGIN/../lib:${ORIGIN}/../$LIB" };
	struct fx lib = { 0 };
	struct ldso_config cfg;
	struct tdir t;
	struct elf_closure c;
	struct es_error e = { 0 };
	char *why;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	prog.interp = t.ld;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "lib/libA.so.1", &lib);
	write_fx(&t, "lib/libC.so.1", &lib);
	write_fx(&t, "lib/x86_64-linux-gnu/libB.so.1", &lib);
	expect_ok(&t, &cfg, "bin/prog", want);

	assert_int_equal(elf_closure_init(&c, &cfg, &e), 0);
	assert_int_equal(elf_closure_add(&c, tdir_path(&t, "bin/prog"), &e),
			 0);
	assert_int_equal(c.deps[2].kind, ELF_DEP_LIBRARY);
	assert_int_equal(c.deps[2].parent, 0);
	assert_int_equal(c.deps[1].parent, 0);
	why = elf_closure_why(&c, 2);
	assert_string_equal(why + strlen("needed by "), c.deps[0].path);
	free(why);
	why = elf_closure_why(&c, 0);
	assert_string_equal(why, "");
	free(why);
	elf_closure_free(&c);
	config_free(&cfg);
	tdir_free(&t);
}

/* A library's needs are searched in the RPATH of the program that
 * loaded it, not in the program's RUNPATH. */
static void
rpath_inherited_runpath_not(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1", "@r/libA.so.1",
				     "@r/libB.so.1", NULL };
	struct fx prog = { .needed = { "libA.so.1" } };
	struct fx liba = { .needed = { "libB.so.1" } };
	struct ldso_config cfg;
	char rdir[PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(rdir, sizeof(rdir), "%s", tdir_path(&t, "r"));
	prog.interp = t.ld;
	write_fx(&t, "r/libB.so.1", &(struct fx){ 0 });

	prog.rpath = rdir;
	write_fx(&t, "r/libA.so.1", &liba);
	write_fx(&t, "bin/prog", &prog);
	expect_ok(&t, &cfg, "bin/prog", want);

	prog.rpath = NULL;
	prog.runpath = rdir;
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libB.so.1: not found, needed by @/r/libA.so.1 (needed "
		    "by @/bin/prog); searched @/def");

	config_free(&cfg);
	tdir_free(&t);
}

static void
runpath_stops_rpath(void **state)
{
	struct fx prog = { .needed = { "libA.so.1" } };
	struct fx liba = { .needed = { "libB.so.1" } };
	struct fx liba_rp = { .needed = { "libB.so.1" } };
	struct ldso_config cfg;
	char rdir[PATH_MAX], empty[PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(rdir, sizeof(rdir), "%s", tdir_path(&t, "r"));
	snprintf(empty, sizeof(empty), "%s", tdir_path(&t, "empty"));
	prog.interp = t.ld;
	write_fx(&t, "r/libB.so.1", &(struct fx){ 0 });

	/* A library with a RUNPATH does not look in its loader's RPATH. */
	prog.rpath = rdir;
	liba_rp.runpath = empty;
	write_fx(&t, "r/libA.so.1", &liba_rp);
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libB.so.1: not found, needed by @/r/libA.so.1 (needed "
		    "by @/bin/prog); searched RUNPATH @/empty, @/def");

	/* An object with both ignores its RPATH. */
	prog.runpath = empty;
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libA.so.1: not found, needed by @/bin/prog; searched "
		    "RUNPATH @/empty, @/def");

	/* The RPATH of the program, inherited: named as its. */
	prog.runpath = NULL;
	liba.needed[0] = "libMissing.so.1";
	write_fx(&t, "r/libA.so.1", &liba);
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libMissing.so.1: not found, needed by @/r/libA.so.1 "
		    "(needed by @/bin/prog); searched RPATH @/r of "
		    "@/bin/prog, @/def");
	config_free(&cfg);
	tdir_free(&t);
}

static void
wrong_class_and_machine_skipped(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1",
				     "@d64/libA.so.1", NULL };
	struct fx prog = { .needed = { "libA.so.1" } };
	struct fx lib32 = { .class = ELFCLASS32 };
	struct fx arm64 = { .machine = EM_AARCH64 };
	struct fx lib = { 0 };
	struct ldso_config cfg;
	char path[3 * PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(path, sizeof(path), "%s/d32:%s/darm:%s/d64", t.root, t.root,
		 t.root);
	prog.interp = t.ld;
	prog.runpath = path;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "d32/libA.so.1", &lib32);
	write_fx(&t, "darm/libA.so.1", &arm64);
	write_fx(&t, "d64/libA.so.1", &lib);
	expect_ok(&t, &cfg, "bin/prog", want);
	assert_int_equal(unlink(tdir_path(&t, "d64/libA.so.1")), 0);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libA.so.1: not found, needed by @/bin/prog; searched "
		    "RUNPATH @/d32:@/darm:@/d64, @/def; skipped "
		    "@/d32/libA.so.1 (ELFCLASS32, not ELFCLASS64), "
		    "@/darm/libA.so.1 (AArch64, not x86-64)");
	config_free(&cfg);
	tdir_free(&t);
}

/* ld.so's ARM port refuses objects of the other float ABI; objects
 * marked with neither are taken by both. */
static void
arm_float_abi_skipped(void **state)
{
	const char *const want[] = { "@bin/arm", "@ld.so.1", "@hf/libA.so.1",
				     "@none/libB.so.1", NULL };
	struct fx prog = { .class = ELFCLASS32, .machine = EM_ARM,
			   .flags = EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_HARD,
			   .needed = { "libA.so.1", "libB.so.1" } };
	struct fx sf = { .class = ELFCLASS32, .machine = EM_ARM,
			 .flags = EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT };
	struct fx none = { .class = ELFCLASS32, .machine = EM_ARM,
			   .flags = EF_ARM_EABI_VER5 };
	struct ldso_config cfg;
	char path[4 * PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(path, sizeof(path), "%s/sf:%s/hf:%s/none", t.root, t.root,
		 t.root);
	prog.interp = t.ld;
	prog.runpath = path;
	write_fx(&t, "bin/arm", &prog);
	write_fx(&t, "sf/libA.so.1", &sf);
	write_fx(&t, "hf/libA.so.1", &(struct fx){ .class = ELFCLASS32,
		 .machine = EM_ARM, .flags = prog.flags });
	write_fx(&t, "none/libB.so.1", &none);
	expect_ok(&t, &cfg, "bin/arm", want);
	assert_int_equal(unlink(tdir_path(&t, "hf/libA.so.1")), 0);
	expect_fail(&t, &cfg, "bin/arm", ENOENT,
		    "libA.so.1: not found, needed by @/bin/arm; searched "
		    "RUNPATH @/sf:@/hf:@/none, @/def; skipped @/sf/libA.so.1 "
		    "(ARM e_flags 0x5000200, not 0x5000400)");
	config_free(&cfg);
	tdir_free(&t);
}

/* The message of the brief's example: chain, search path, skipped. */
static void
missing_library_message(void **state)
{
	static const struct centry other[] = {
		{ 0x303, "libother.so.1", "/nowhere/libother.so.1", 0 },
	};
	struct fx prog = { .needed = { "libbar.so.2" } };
	struct fx bar = { .needed = { "libfoo.so.1" } };
	struct fx foo32 = { .class = ELFCLASS32 };
	struct ldso_config cfg;
	char xdir[PATH_MAX], optdir[PATH_MAX], defs[2 * PATH_MAX];
	struct buf cache = cache_build(other, 1, false, false, host_endian);
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	free((char *)cfg.cache);
	cfg.cache = strdup(write_file(&t, "etc/ld.so.cache", cache.p,
				      cache.len));
	snprintf(defs, sizeof(defs), "%s/def1:%s/def2", t.root, t.root);
	free((char *)cfg.default_dirs);
	cfg.default_dirs = strdup(defs);
	snprintf(xdir, sizeof(xdir), "%s", tdir_path(&t, "x"));
	snprintf(optdir, sizeof(optdir), "%s", tdir_path(&t, "opt/x/lib"));
	prog.interp = t.ld;
	prog.runpath = xdir;
	bar.runpath = optdir;
	write_fx(&t, "usr/bin/prog", &prog);
	write_fx(&t, "x/libbar.so.2", &bar);
	write_fx(&t, "opt/x/lib/libfoo.so.1", &foo32);
	expect_fail(&t, &cfg, "usr/bin/prog", ENOENT,
		    "libfoo.so.1: not found, needed by @/x/libbar.so.2 "
		    "(needed by @/usr/bin/prog); searched RUNPATH "
		    "@/opt/x/lib, ld.so.cache, @/def1:@/def2; skipped "
		    "@/opt/x/lib/libfoo.so.1 (ELFCLASS32, not ELFCLASS64)");
	free(cache.p);
	config_free(&cfg);
	tdir_free(&t);
}

/* The closure of /bin/dash under the host's configuration, from entry
 * first on, must be what c lists from entry at on. */
static void
expect_dash_at(const struct elf_closure *c, size_t at)
{
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	struct es_error e = { 0 };
	struct elf_closure d;

	if (elf_closure_init(&d, &cfg, &e) ||
	    elf_closure_add(&d, "/bin/dash", &e))
		fail_msg("%s", e.msg);
	assert_int_equal(c->len, at + d.len);
	for (size_t i = 0; i < d.len; i++)
		assert_string_equal(c->deps[at + i].path, d.deps[i].path);
	elf_closure_free(&d);
}

static void
script_gets_its_interpreters_closure(void **state)
{
	static const char *const lines[] = {
		"#!/bin/dash\necho hi\n",
		"#! /bin/dash -e\necho hi\n",
		"#!\t/bin/dash   \n",
		"#!/bin/dash",		/* no newline at all */
	};
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	struct es_error e = { 0 };
	struct elf_closure c;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		write_text(&t, "s.sh", lines[i]);
		if (elf_closure_init(&c, &cfg, &e) ||
		    elf_closure_add(&c, tdir_path(&t, "s.sh"), &e))
			fail_msg("%s", e.msg);
		assert_string_equal(c.deps[0].path, tdir_path(&t, "s.sh"));
		assert_int_equal(c.deps[0].kind, ELF_DEP_PROGRAM);
		assert_string_equal(c.deps[1].path, "/bin/dash");
		assert_int_equal(c.deps[1].kind, ELF_DEP_SCRIPT_INTERP);
		assert_int_equal(c.deps[1].parent, 0);
		expect_dash_at(&c, 1);
		elf_closure_free(&c);
	}
	/* a script whose interpreter is a script */
	{
		char line[PATH_MAX + 8];

		snprintf(line, sizeof(line), "#!%s\n", tdir_path(&t, "s.sh"));
		write_text(&t, "s2.sh", line);
	}
	if (elf_closure_init(&c, &cfg, &e) ||
	    elf_closure_add(&c, tdir_path(&t, "s2.sh"), &e))
		fail_msg("%s", e.msg);
	assert_string_equal(c.deps[1].path, tdir_path(&t, "s.sh"));
	assert_string_equal(c.deps[2].path, "/bin/dash");
	expect_dash_at(&c, 2);
	elf_closure_free(&c);
	tdir_free(&t);
}

static void
script_errors(void **state)
{
	struct ldso_config cfg = LDSO_CONFIG_HOST;
	char line[PATH_MAX + 8], name[32], long_line[300];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	write_text(&t, "none.sh", "#!\n");
	expect_fail(&t, &cfg, "none.sh", ENOEXEC,
		    "@/none.sh: no interpreter on its #! line");
	write_text(&t, "blank.sh", "#!   \t \n");
	expect_fail(&t, &cfg, "blank.sh", ENOEXEC,
		    "@/blank.sh: no interpreter on its #! line");
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line, "#!/", 3);
	write_file(&t, "long.sh", long_line, sizeof(long_line));
	expect_fail(&t, &cfg, "long.sh", ENOEXEC,
		    "@/long.sh: #! line too long for its interpreter name");
	write_text(&t, "lost.sh", "#!/nonexistent/sh\n");
	expect_fail(&t, &cfg, "lost.sh", ENOENT,
		    "/nonexistent/sh: No such file or directory, "
		    "#! interpreter of @/lost.sh");
	/* s0 -> s1 -> ... -> s5 -> /bin/dash: one level too many */
	write_text(&t, "s5", "#!/bin/dash\n");
	for (int i = 4; i >= 0; i--) {
		snprintf(name, sizeof(name), "s%d", i + 1);
		snprintf(line, sizeof(line), "#!%s\n", tdir_path(&t, name));
		snprintf(name, sizeof(name), "s%d", i);
		write_text(&t, name, line);
	}
	expect_fail(&t, &cfg, "s0", ELOOP,
		    "@/s4: more than 4 levels of #! interpreters, "
		    "#! interpreter of @/s3 (#! interpreter of @/s2, "
		    "#! interpreter of @/s1, #! interpreter of @/s0)");
	/* four levels are followed: s2 -> s3 -> s4 -> s5 -> /bin/dash */
	{
		struct es_error e = { 0 };
		struct elf_closure c;

		if (elf_closure_init(&c, &cfg, &e) ||
		    elf_closure_add(&c, tdir_path(&t, "s2"), &e))
			fail_msg("%s", e.msg);
		for (int i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "s%d", i + 2);
			assert_string_equal(c.deps[i].path,
					    tdir_path(&t, name));
		}
		expect_dash_at(&c, 4);
		elf_closure_free(&c);
	}
	tdir_free(&t);
}

static void
static_program_is_alone(void **state)
{
	const char *const want[] = { "@static", NULL };
	const char *const want_pie[] = { "@static-pie", NULL };
	struct fx st = { .type = ET_EXEC, .no_dynamic = true };
	/* static-pie: dynamic, but no PT_INTERP, so no loader reads this */
	struct fx pie = { .needed = { "libnothere.so.1" } };
	struct fx rel = { .type = ET_REL, .no_phdrs = true };
	struct ldso_config cfg;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_fx(&t, "static", &st);
	write_fx(&t, "static-pie", &pie);
	write_fx(&t, "module.ko", &rel);
	write_text(&t, "text", "just text\n");
	expect_ok(&t, &cfg, "static", want);
	expect_ok(&t, &cfg, "static-pie", want_pie);
	expect_fail(&t, &cfg, "module.ko", ENOEXEC,
		    "@/module.ko: not an executable (ELF type 1)");
	expect_fail(&t, &cfg, "text", ENOEXEC,
		    "@/text: neither an ELF file nor a #! script");
	expect_fail(&t, &cfg, "nothere", ENOENT,
		    "@/nothere: No such file or directory");
	config_free(&cfg);
	tdir_free(&t);
}

/* Without a cache, the directories of ld.so.conf stand in for it. */
static void
conf_used_when_no_cache(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1",
				     "@c1/libP.so.1", "@c2/libQ.so.1", NULL };
	struct fx prog = { .needed = { "libP.so.1", "libQ.so.1" } };
	struct fx lib = { 0 };
	struct ldso_config cfg;
	char text[3 * PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	prog.interp = t.ld;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "c1/libP.so.1", &lib);
	write_fx(&t, "c2/libP.so.1", &lib);
	write_fx(&t, "c2/libQ.so.1", &lib);
	free((char *)cfg.conf);
	cfg.conf = strdup(write_text(&t, "etc/ld.so.conf",
				     "include ld.so.conf.d/*.conf\n"));
	snprintf(text, sizeof(text), "%s\n", tdir_path(&t, "c2"));
	write_text(&t, "etc/ld.so.conf.d/b.conf", text);
	snprintf(text, sizeof(text), "%s\n", tdir_path(&t, "c1"));
	write_text(&t, "etc/ld.so.conf.d/a.conf", text);
	expect_ok(&t, &cfg, "bin/prog", want);
	prog.needed[1] = "libR.so.1";
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libR.so.1: not found, needed by @/bin/prog; searched "
		    "ld.so.conf @/c1:@/c2, @/def");
	config_free(&cfg);
	tdir_free(&t);
}

/* The cache is used; DF_1_NODEFLIB skips the default directories and
 * the cache's entries inside them. */
static void
cache_used_and_nodeflib(void **state)
{
	struct centry ent[2] = {
		{ 0x303, "libE.so.1", NULL, 0 },
		{ 0x303, "libC.so.1", NULL, 0 },
	};
	const char *const want[] = { "@bin/prog", "@ld.so.1",
				     "@cached/libC.so.1", "@def/libD.so.1",
				     "@def/libE.so.1", NULL };
	struct fx prog = { .needed = { "libC.so.1", "libD.so.1",
			   "libE.so.1" } };
	struct fx lib = { 0 };
	struct ldso_config cfg;
	char c_path[PATH_MAX], e_path[PATH_MAX];
	struct buf cache;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(c_path, sizeof(c_path), "%s", tdir_path(&t,
		 "cached/libC.so.1"));
	snprintf(e_path, sizeof(e_path), "%s", tdir_path(&t, "def/libE.so.1"));
	ent[0].value = e_path;
	ent[1].value = c_path;
	cache = cache_build(ent, 2, false, false, host_endian);
	free((char *)cfg.cache);
	cfg.cache = strdup(write_file(&t, "etc/ld.so.cache", cache.p,
				      cache.len));
	prog.interp = t.ld;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "cached/libC.so.1", &lib);
	write_fx(&t, "def/libD.so.1", &lib);
	write_fx(&t, "def/libE.so.1", &lib);
	expect_ok(&t, &cfg, "bin/prog", want);

	prog.nodeflib = true;
	prog.needed[2] = NULL;
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libD.so.1: not found, needed by @/bin/prog; searched "
		    "ld.so.cache");
	prog.needed[1] = "libE.so.1";
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "libE.so.1: not found, needed by @/bin/prog; searched "
		    "ld.so.cache; skipped @/def/libE.so.1 (in a default "
		    "directory, and DF_1_NODEFLIB)");
	free(cache.p);
	config_free(&cfg);
	tdir_free(&t);
}

/* A name matches an object loaded already by its DT_SONAME, and a file
 * loaded already (same inode, another path) is not loaded again. */
static void
loaded_objects_match_by_soname_and_inode(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1", "@l/libX.so",
				     "@l/libY.so.1", NULL };
	struct fx prog = { .needed = { "libX.so", "libY.so.1", "libZ.so.1",
			   "ld-test.so.1" } };
	struct fx libx = { .soname = "libX.so.1" };
	struct fx liby = { .needed = { "libX.so.1" } };
	struct ldso_config cfg;
	char ldir[PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(ldir, sizeof(ldir), "%s", tdir_path(&t, "l"));
	prog.interp = t.ld;
	prog.runpath = ldir;
	liby.runpath = ldir;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "l/libX.so", &libx);
	write_fx(&t, "l/libY.so.1", &liby);
	assert_int_equal(symlink("libX.so", tdir_path(&t, "l/libZ.so.1")), 0);
	expect_ok(&t, &cfg, "bin/prog", want);
	config_free(&cfg);
	tdir_free(&t);
}

static void
bad_candidates_stop_the_search(void **state)
{
	struct fx prog = { .needed = { "libA.so.1" } };
	struct fx be = { .data = ELFDATA2MSB };
	struct fx exe = { .type = ET_EXEC };
	struct ldso_config cfg;
	char rdir[PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(rdir, sizeof(rdir), "%s", tdir_path(&t, "r"));
	prog.interp = t.ld;
	prog.runpath = rdir;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "def/libA.so.1", &(struct fx){ 0 });
	write_fx(&t, "r/libA.so.1", &be);
	expect_fail(&t, &cfg, "bin/prog", ENOEXEC,
		    "@/r/libA.so.1: ELF byte order big-endian, not "
		    "little-endian, needed by @/bin/prog");
	write_text(&t, "r/libA.so.1", "/* GNU ld script */\n");
	expect_fail(&t, &cfg, "bin/prog", EINVAL,
		    "@/r/libA.so.1: not an ELF file, needed by @/bin/prog");
	write_fx(&t, "r/libA.so.1", &exe);
	expect_fail(&t, &cfg, "bin/prog", ENOEXEC,
		    "@/r/libA.so.1: not a shared library (ELF type 2), "
		    "needed by @/bin/prog");
	/* a directory of that name is passed over */
	assert_int_equal(unlink(tdir_path(&t, "r/libA.so.1")), 0);
	assert_int_equal(mkdir(tdir_path(&t, "r/libA.so.1"), 0755), 0);
	expect_ok(&t, &cfg, "bin/prog", (const char *const[]){ "@bin/prog",
		  "@ld.so.1", "@def/libA.so.1", NULL });
	config_free(&cfg);
	tdir_free(&t);
}

static void
interpreter_missing_or_bad(void **state)
{
	struct fx prog = { .needed = { "libA.so.1" } };
	struct ldso_config cfg;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	prog.interp = tdir_path(&t, "nope.so");
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "@/nope.so: No such file or directory, interpreter of "
		    "@/bin/prog");
	write_text(&t, "nope.so", "#!/bin/sh\n");
	expect_fail(&t, &cfg, "bin/prog", EINVAL,
		    "@/nope.so: not an ELF file, interpreter of @/bin/prog");
	config_free(&cfg);
	tdir_free(&t);
}

/* A DT_NEEDED with a '/' is a path (tokens expanded), not searched. */
static void
needed_path_with_slash(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1",
				     "%bin/../lib/libA.so.1", NULL };
	struct fx prog = { .needed = { "$ORIGIN/../lib/libA.so.1" } };
	struct ldso_config cfg;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	prog.interp = t.ld;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "lib/libA.so.1", &(struct fx){ 0 });
	write_fx(&t, "def/libA.so.1", &(struct fx){ 0 });
	expect_ok(&t, &cfg, "bin/prog", want);
	prog.needed[0] = "$ORIGIN/../nolib/libA.so.1";
	write_fx(&t, "bin/prog", &prog);
	expect_fail(&t, &cfg, "bin/prog", ENOENT,
		    "$ORIGIN/../nolib/libA.so.1: not found, needed by "
		    "@/bin/prog");
	config_free(&cfg);
	tdir_free(&t);
}

/* $PLATFORM is x86_64 on x86-64; on ARM the CPU decides, so an element
 * with it is dropped, as glibc drops one whose token has no value. */
static void
platform_token(void **state)
{
	const char *const want[] = { "@bin/prog", "@ld.so.1",
				     "%bin/x86_64/libA.so.1", NULL };
	struct fx prog = { .needed = { "libA.so.1" },
			   .runpath = "$ORIGIN/$PLATFORM" };
	struct fx arm = { .class = ELFCLASS32, .machine = EM_ARM,
			  .flags = EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_HARD,
			  .needed = { "libA.so.1" },
			  .runpath = "$ORIGIN/$PLATFORM:/nonexistent" };
	struct ldso_config cfg;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	prog.interp = arm.interp = t.ld;
	write_fx(&t, "bin/prog", &prog);
	write_fx(&t, "bin/x86_64/libA.so.1", &(struct fx){ 0 });
	expect_ok(&t, &cfg, "bin/prog", want);
	write_fx(&t, "bin/arm", &arm);
	expect_fail(&t, &cfg, "bin/arm", ENOENT,
		    "libA.so.1: not found, needed by @/bin/arm; searched "
		    "RUNPATH /nonexistent, @/def");
	config_free(&cfg);
	tdir_free(&t);
}

/* Programs added one after the other list shared files once. */
static void
several_programs_share_entries(void **state)
{
	const char *const want[] = { "@bin/p1", "@ld.so.1", "@def/libA.so.1",
				     "@def/libB.so.1", "@bin/p2",
				     "@def/libC.so.1", NULL };
	struct fx p1 = { .needed = { "libA.so.1", "libB.so.1" } };
	struct fx p2 = { .needed = { "libB.so.1", "libC.so.1" } };
	struct fx lib = { 0 };
	struct ldso_config cfg;
	struct es_error e = { 0 };
	struct elf_closure c;
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	p1.interp = p2.interp = t.ld;
	write_fx(&t, "bin/p1", &p1);
	write_fx(&t, "bin/p2", &p2);
	write_fx(&t, "def/libA.so.1", &lib);
	write_fx(&t, "def/libB.so.1", &lib);
	write_fx(&t, "def/libC.so.1", &lib);
	assert_int_equal(elf_closure_init(&c, &cfg, &e), 0);
	assert_int_equal(elf_closure_add(&c, tdir_path(&t, "bin/p1"), &e), 0);
	assert_int_equal(elf_closure_add(&c, tdir_path(&t, "bin/p2"), &e), 0);
	/* a failing program adds nothing */
	assert_int_equal(elf_closure_add(&c, tdir_path(&t, "bin/p3"), &e),
			 -ENOENT);
	expect_closure(&c, &t, want);
	assert_int_equal(c.deps[5].parent, 4);
	config_free(&cfg);
	elf_closure_free(&c);
	tdir_free(&t);
}

/* A 32-bit program is searched for as its own loader would: 32-bit
 * candidates, the i386 multiarch directories. */
static void
program_of_another_class(void **state)
{
	const char *const want[] = { "@bin/prog32", "@ld32.so.1",
				     "@d32/libA.so.1", NULL };
	struct fx prog = { .class = ELFCLASS32, .needed = { "libA.so.1" } };
	struct ldso_config cfg;
	char path[2 * PATH_MAX];
	struct tdir t;

	(void)state;
	tdir_init(&t);
	cfg = tdir_config(&t);
	write_loader(&t);
	snprintf(path, sizeof(path), "%s/d64:%s/d32", t.root, t.root);
	prog.interp = t.ld32;
	prog.runpath = path;
	write_fx(&t, "bin/prog32", &prog);
	write_fx(&t, "d64/libA.so.1", &(struct fx){ 0 });
	write_fx(&t, "d32/libA.so.1", &(struct fx){ .class = ELFCLASS32 });
	expect_ok(&t, &cfg, "bin/prog32", want);
	prog.needed[0] = "libnothere.so.9";
	prog.runpath = NULL;
	write_fx(&t, "bin/prog32", &prog);
	free((char *)cfg.default_dirs);
	cfg.default_dirs = NULL;
	expect_fail(&t, &cfg, "bin/prog32", ENOENT,
		    "libnothere.so.9: not found, needed by @/bin/prog32; "
		    "searched /lib/i386-linux-gnu:/usr/lib/i386-linux-gnu:"
		    "/lib:/usr/lib");
	config_free(&cfg);
	tdir_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_64bit_little_endian),
		cmocka_unit_test(reads_32bit_big_endian),
		cmocka_unit_test(finds_modinfo_of_a_relocatable),
		cmocka_unit_test(reads_a_host_program),
		cmocka_unit_test(not_elf_empty_and_short),
		cmocka_unit_test(every_offset_out_of_bounds),
		cmocka_unit_test(never_crashes_on_prefixes_and_flipped_bytes),
		cmocka_unit_test(arch_table),
		cmocka_unit_test(defaults_match_host_ldso),
		cmocka_unit_test(host_cache_finds_libc_where_ldd_does),
		cmocka_unit_test(crafted_cache_formats),
		cmocka_unit_test(corrupt_caches),
		cmocka_unit_test(libcmp_compares_digits_by_value),
		cmocka_unit_test(conf_includes_globs_in_order),
		cmocka_unit_test(ldd_busybox),
		cmocka_unit_test(ldd_dash),
		cmocka_unit_test(ldd_mount),
		cmocka_unit_test(ldd_e2fsck),
		cmocka_unit_test(ldd_ip),
		cmocka_unit_test(ldd_kmod),
		cmocka_unit_test(runpath_with_origin_and_lib),
		cmocka_unit_test(rpath_inherited_runpath_not),
		cmocka_unit_test(runpath_stops_rpath),
		cmocka_unit_test(wrong_class_and_machine_skipped),
		cmocka_unit_test(arm_float_abi_skipped),
		cmocka_unit_test(missing_library_message),
		cmocka_unit_test(script_gets_its_interpreters_closure),
		cmocka_unit_test(script_errors),
		cmocka_unit_test(static_program_is_alone),
		cmocka_unit_test(conf_used_when_no_cache),
		cmocka_unit_test(cache_used_and_nodeflib),
		cmocka_unit_test(loaded_objects_match_by_soname_and_inode),
		cmocka_unit_test(bad_candidates_stop_the_search),
		cmocka_unit_test(interpreter_missing_or_bad),
		cmocka_unit_test(needed_path_with_slash),
		cmocka_unit_test(platform_token),
		cmocka_unit_test(several_programs_share_entries),
		cmocka_unit_test(program_of_another_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
