/*
 * elf_file.c - see elf_file.h. Fields are read by their offsets in
 * <elf.h>'s structures, in the file's byte order, never by casting the
 * image (which may be unaligned, foreign-endian or short).
 */
#include "elf/elf_file.h"
#include "base/xalloc.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A field of an ELF structure of either class, read in the file's order. */
#define FIELD(ef, type, base, field)                                      \
	((ef)->class == ELFCLASS64 ?                                       \
	 rd(ef, (base) + offsetof(Elf64_##type, field),                    \
	    sizeof(((Elf64_##type *)0)->field)) :                          \
	 rd(ef, (base) + offsetof(Elf32_##type, field),                    \
	    sizeof(((Elf32_##type *)0)->field)))
#define SIZEOF(ef, type)                                                  \
	((ef)->class == ELFCLASS64 ? sizeof(Elf64_##type) :                \
	 sizeof(Elf32_##type))

static uint64_t
rd(const struct elf_file *ef, const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[ef->data == ELFDATA2LSB ? n - 1 - i : i];
	return v;
}

/* Whether [off, off + size) lies inside the image, without overflow. */
static bool
in_image(const struct elf_file *ef, uint64_t off, uint64_t size)
{
	return off <= ef->len && size <= ef->len - off;
}

static int
truncated(const struct elf_file *ef, const char *name, const char *what,
	  uint64_t off, uint64_t size, struct es_error *e)
{
	return es_fail(e, EINVAL,
		       "%s: truncated ELF (%s at offset %" PRIu64 ", %" PRIu64
		       " bytes, beyond end of file at %zu)",
		       name, what, off, size, ef->len);
}

static int
read_ident(struct elf_file *ef, const char *name, struct es_error *e)
{
	const unsigned char *p = ef->img;

	if (ef->len < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG) != 0)
		return es_fail(e, EINVAL, "%s: not an ELF file", name);
	ef->class = p[EI_CLASS];
	ef->data = p[EI_DATA];
	if (ef->class != ELFCLASS32 && ef->class != ELFCLASS64)
		return es_fail(e, EINVAL, "%s: unknown ELF class %u", name,
			       ef->class);
	if (ef->data != ELFDATA2LSB && ef->data != ELFDATA2MSB)
		return es_fail(e, EINVAL, "%s: unknown ELF byte order %u",
			       name, ef->data);
	if (p[EI_VERSION] != EV_CURRENT)
		return es_fail(e, EINVAL, "%s: ELF version %u, not %u", name,
			       p[EI_VERSION], EV_CURRENT);
	if (ef->len < SIZEOF(ef, Ehdr))
		return truncated(ef, name, "ELF header", 0, SIZEOF(ef, Ehdr),
				 e);
	ef->type = (uint16_t)FIELD(ef, Ehdr, p, e_type);
	ef->machine = (uint16_t)FIELD(ef, Ehdr, p, e_machine);
	ef->flags = (uint32_t)FIELD(ef, Ehdr, p, e_flags);
	return 0;
}

int
elf_read_ident(struct elf_file *ef, const void *p, size_t len,
	       const char *name, struct es_error *e)
{
	memset(ef, 0, sizeof(*ef));
	ef->img = p;
	ef->len = len;
	return read_ident(ef, name, e);
}

/* The i-th program header (the table was checked to be in the image). */
static const unsigned char *
phdr(const struct elf_file *ef, size_t i)
{
	return ef->img + ef->phoff + i * SIZEOF(ef, Phdr);
}

/* The kernel's rules for PT_INTERP (fs/binfmt_elf.c): 2 to PATH_MAX
 * bytes ending in NUL. An empty name is refused as well. */
static int
take_interp(struct elf_file *ef, uint64_t off, uint64_t size,
	    const char *name, struct es_error *e)
{
	const char *s;

	/* A segment of 0 bytes may have any offset: only one of 2 or more
	 * was checked to lie in the image. */
	if (size < 2 || size > ELF_MAX_INTERP)
		return es_fail(e, EINVAL, "%s: PT_INTERP of %" PRIu64
			       " bytes (2 to %d allowed)", name, size,
			       ELF_MAX_INTERP);
	s = (const char *)ef->img + off;
	if (s[size - 1] != '\0')
		return es_fail(e, EINVAL, "%s: PT_INTERP does not end in NUL",
			       name);
	if (s[0] == '\0')
		return es_fail(e, EINVAL, "%s: empty PT_INTERP", name);
	ef->interp = s;
	return 0;
}

/* Checks one program header; notes PT_INTERP and the PT_DYNAMIC extent. */
static int
check_phdr(struct elf_file *ef, size_t i, uint64_t *dyn_off,
	   uint64_t *dyn_size, const char *name, struct es_error *e)
{
	const unsigned char *ph = phdr(ef, i);
	uint64_t type = FIELD(ef, Phdr, ph, p_type);
	uint64_t off = FIELD(ef, Phdr, ph, p_offset);
	uint64_t size = FIELD(ef, Phdr, ph, p_filesz);
	char what[64];

	if (type != PT_LOAD && type != PT_INTERP && type != PT_DYNAMIC)
		return 0;
	if (size && !in_image(ef, off, size)) {
		snprintf(what, sizeof(what), "segment %zu (%s)", i,
			 type == PT_LOAD ? "PT_LOAD" :
			 type == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
		return truncated(ef, name, what, off, size, e);
	}
	if (type == PT_INTERP && !ef->interp)
		return take_interp(ef, off, size, name, e);
	if (type == PT_DYNAMIC && !ef->dynamic) {
		ef->dynamic = true;
		*dyn_off = off;
		*dyn_size = size;
	}
	return 0;
}

static int
parse_phdrs(struct elf_file *ef, uint64_t *dyn_off, uint64_t *dyn_size,
	    const char *name, struct es_error *e)
{
	uint64_t num = FIELD(ef, Ehdr, ef->img, e_phnum);
	uint64_t entsize = FIELD(ef, Ehdr, ef->img, e_phentsize);
	int err;

	ef->phoff = FIELD(ef, Ehdr, ef->img, e_phoff);
	if (num == 0)
		return 0;
	if (num == PN_XNUM)
		return es_fail(e, EINVAL, "%s: too many program headers "
			       "(PN_XNUM)", name);
	if (entsize != SIZEOF(ef, Phdr))
		return es_fail(e, EINVAL, "%s: program header size %" PRIu64
			       ", not %zu", name, entsize, SIZEOF(ef, Phdr));
	if (num * entsize > ELF_MAX_PHDR_BYTES)
		return es_fail(e, EINVAL, "%s: program header table of %"
			       PRIu64 " bytes (limit %d)", name,
			       num * entsize, ELF_MAX_PHDR_BYTES);
	if (!in_image(ef, ef->phoff, num * entsize))
		return truncated(ef, name, "program header table", ef->phoff,
				 num * entsize, e);
	ef->phnum = (size_t)num;
	for (size_t i = 0; i < ef->phnum; i++) {
		err = check_phdr(ef, i, dyn_off, dyn_size, name, e);
		if (err)
			return err;
	}
	return 0;
}

/* The file offset of a virtual address, as the loader maps it: through
 * the PT_LOAD segment whose file part holds it. *avail: bytes from there
 * to the end of that part. */
static bool
vaddr_to_off(const struct elf_file *ef, uint64_t vaddr, uint64_t *off,
	     uint64_t *avail)
{
	for (size_t i = 0; i < ef->phnum; i++) {
		const unsigned char *ph = phdr(ef, i);
		uint64_t start = FIELD(ef, Phdr, ph, p_vaddr);
		uint64_t size = FIELD(ef, Phdr, ph, p_filesz);

		if (FIELD(ef, Phdr, ph, p_type) != PT_LOAD || vaddr < start ||
		    vaddr - start >= size)
			continue;
		*off = FIELD(ef, Phdr, ph, p_offset) + (vaddr - start);
		*avail = size - (vaddr - start);
		return true;
	}
	return false;
}

/* The tags of the dynamic section this reader uses; for the single-valued
 * ones the last entry wins, as in glibc's get-dynamic-info.h. */
struct dyn_info {
	uint64_t strtab, strsz, rpath, runpath, soname, flags_1;
	bool has_strtab, has_strsz, has_rpath, has_runpath, has_soname;
	size_t nneeded;
	size_t count;		/* entries before DT_NULL */
};

static void
scan_dynamic(const struct elf_file *ef, uint64_t off, uint64_t size,
	     struct dyn_info *d)
{
	size_t entsize = SIZEOF(ef, Dyn);

	memset(d, 0, sizeof(*d));
	for (uint64_t i = 0; i < size / entsize; i++, d->count++) {
		const unsigned char *dyn = ef->img + off + i * entsize;
		uint64_t tag = FIELD(ef, Dyn, dyn, d_tag);
		uint64_t val = FIELD(ef, Dyn, dyn, d_un.d_val);

		if (tag == DT_NULL)
			break;
		switch (tag) {
		case DT_NEEDED: d->nneeded++; break;
		case DT_STRTAB: d->strtab = val; d->has_strtab = true; break;
		case DT_STRSZ: d->strsz = val; d->has_strsz = true; break;
		case DT_RPATH: d->rpath = val; d->has_rpath = true; break;
		case DT_RUNPATH: d->runpath = val; d->has_runpath = true; break;
		case DT_SONAME: d->soname = val; d->has_soname = true; break;
		case DT_FLAGS_1: d->flags_1 = val; break;
		}
	}
}

/* The extent of the dynamic string table in the file. */
static int
map_strtab(const struct elf_file *ef, const struct dyn_info *d,
	   uint64_t *off, uint64_t *size, const char *name, struct es_error *e)
{
	uint64_t avail;

	if (!d->has_strtab)
		return es_fail(e, EINVAL, "%s: dynamic section has strings "
			       "but no DT_STRTAB", name);
	if (!vaddr_to_off(ef, d->strtab, off, &avail))
		return es_fail(e, EINVAL, "%s: DT_STRTAB address 0x%" PRIx64
			       " is in no PT_LOAD segment", name, d->strtab);
	*size = avail;
	if (d->has_strsz) {
		if (d->strsz > avail)
			return es_fail(e, EINVAL, "%s: DT_STRSZ %" PRIu64
				       " runs past its segment (%" PRIu64
				       " bytes left)", name, d->strsz, avail);
		*size = d->strsz;
	}
	return 0;
}

/* A string of the dynamic string table at [off, off + size). */
static int
dyn_string(const struct elf_file *ef, uint64_t off, uint64_t size,
	   uint64_t idx, const char *tag, const char **s, const char *name,
	   struct es_error *e)
{
	const char *base = (const char *)ef->img + off;

	if (idx >= size)
		return es_fail(e, EINVAL, "%s: %s string at %" PRIu64
			       " outside DT_STRTAB (%" PRIu64 " bytes)", name,
			       tag, idx, size);
	if (!memchr(base + idx, '\0', size - idx))
		return es_fail(e, EINVAL, "%s: %s string at %" PRIu64
			       " is not NUL-terminated", name, tag, idx);
	*s = base + idx;
	return 0;
}

static int
take_needed(struct elf_file *ef, uint64_t dyn_off, const struct dyn_info *d,
	    uint64_t str_off, uint64_t str_size, const char *name,
	    struct es_error *e)
{
	size_t entsize = SIZEOF(ef, Dyn);
	int err;

	ef->needed = xcalloc(d->nneeded, sizeof(*ef->needed));
	for (size_t i = 0; i < d->count; i++) {
		const unsigned char *dyn = ef->img + dyn_off + i * entsize;

		if (FIELD(ef, Dyn, dyn, d_tag) != DT_NEEDED)
			continue;
		err = dyn_string(ef, str_off, str_size,
				 FIELD(ef, Dyn, dyn, d_un.d_val), "DT_NEEDED",
				 &ef->needed[ef->nneeded], name, e);
		if (err)
			return err;
		ef->nneeded++;
	}
	return 0;
}

static int
parse_dynamic(struct elf_file *ef, uint64_t off, uint64_t size,
	      const char *name, struct es_error *e)
{
	struct dyn_info d;
	uint64_t str_off = 0, str_size = 0;
	int err = 0;

	scan_dynamic(ef, off, size, &d);
	ef->nodeflib = (d.flags_1 & DF_1_NODEFLIB) != 0;
	if (d.nneeded > ELF_MAX_NEEDED)
		return es_fail(e, EINVAL, "%s: %zu DT_NEEDED entries "
			       "(limit %d)", name, d.nneeded, ELF_MAX_NEEDED);
	if (!d.nneeded && !d.has_rpath && !d.has_runpath && !d.has_soname)
		return 0;
	err = map_strtab(ef, &d, &str_off, &str_size, name, e);
	if (!err && d.has_rpath)
		err = dyn_string(ef, str_off, str_size, d.rpath, "DT_RPATH",
				 &ef->rpath, name, e);
	if (!err && d.has_runpath)
		err = dyn_string(ef, str_off, str_size, d.runpath,
				 "DT_RUNPATH", &ef->runpath, name, e);
	if (!err && d.has_soname)
		err = dyn_string(ef, str_off, str_size, d.soname, "DT_SONAME",
				 &ef->soname, name, e);
	if (!err && d.nneeded)
		err = take_needed(ef, off, &d, str_off, str_size, name, e);
	return err;
}

/* The i-th section header (the table was checked to be in the image). */
static const unsigned char *
shdr(const struct elf_file *ef, size_t i)
{
	return ef->img + ef->shoff + i * SIZEOF(ef, Shdr);
}

/* Every section's data and name must lie inside the image, so that
 * elf_section needs no checks of its own. */
static int
check_sections(const struct elf_file *ef, const char *name,
	       struct es_error *e)
{
	uint64_t str_off = 0, str_size = 0;
	char what[64];

	if (ef->shstrndx) {
		const unsigned char *sh = shdr(ef, ef->shstrndx);

		str_off = FIELD(ef, Shdr, sh, sh_offset);
		str_size = FIELD(ef, Shdr, sh, sh_size);
		if (FIELD(ef, Shdr, sh, sh_type) == SHT_NOBITS ||
		    !in_image(ef, str_off, str_size))
			return truncated(ef, name, "section name table",
					 str_off, str_size, e);
	}
	for (size_t i = 0; i < ef->shnum; i++) {
		const unsigned char *sh = shdr(ef, i);
		uint64_t off = FIELD(ef, Shdr, sh, sh_offset);
		uint64_t size = FIELD(ef, Shdr, sh, sh_size);
		uint64_t idx = FIELD(ef, Shdr, sh, sh_name);

		snprintf(what, sizeof(what), "section %zu", i);
		if (FIELD(ef, Shdr, sh, sh_type) != SHT_NOBITS &&
		    !in_image(ef, off, size))
			return truncated(ef, name, what, off, size, e);
		if (ef->shstrndx && (idx >= str_size ||
		    !memchr(ef->img + str_off + idx, '\0', str_size - idx)))
			return es_fail(e, EINVAL, "%s: %s has a bad name offset"
				       " %" PRIu64, name, what, idx);
	}
	return 0;
}

static int
parse_shdrs(struct elf_file *ef, const char *name, struct es_error *e)
{
	uint64_t entsize = FIELD(ef, Ehdr, ef->img, e_shentsize);
	uint64_t num = FIELD(ef, Ehdr, ef->img, e_shnum);
	uint64_t strndx = FIELD(ef, Ehdr, ef->img, e_shstrndx);

	ef->shoff = FIELD(ef, Ehdr, ef->img, e_shoff);
	if (ef->shoff == 0)
		return 0;
	if (entsize != SIZEOF(ef, Shdr))
		return es_fail(e, EINVAL, "%s: section header size %" PRIu64
			       ", not %zu", name, entsize, SIZEOF(ef, Shdr));
	if (!in_image(ef, ef->shoff, entsize))
		return truncated(ef, name, "section header table", ef->shoff,
				 entsize, e);
	/* Past 0xff00 sections the counts live in section 0 (gABI). */
	if (num == 0)
		num = FIELD(ef, Shdr, ef->img + ef->shoff, sh_size);
	if (strndx == SHN_XINDEX)
		strndx = FIELD(ef, Shdr, ef->img + ef->shoff, sh_link);
	if (num > ELF_MAX_SECTIONS)
		return es_fail(e, EINVAL, "%s: %" PRIu64 " sections (limit %u)",
			       name, num, ELF_MAX_SECTIONS);
	if (!in_image(ef, ef->shoff, num * entsize))
		return truncated(ef, name, "section header table", ef->shoff,
				 num * entsize, e);
	if (strndx != SHN_UNDEF && strndx >= num)
		return es_fail(e, EINVAL, "%s: section name table %" PRIu64
			       " of %" PRIu64 " sections", name, strndx, num);
	ef->shnum = (size_t)num;
	ef->shstrndx = (size_t)strndx;
	return check_sections(ef, name, e);
}

static int
parse_image(struct elf_file *ef, const char *name, struct es_error *e)
{
	uint64_t dyn_off = 0, dyn_size = 0;
	int err;

	err = read_ident(ef, name, e);
	if (!err)
		err = parse_phdrs(ef, &dyn_off, &dyn_size, name, e);
	if (!err && ef->dynamic)
		err = parse_dynamic(ef, dyn_off, dyn_size, name, e);
	if (!err)
		err = parse_shdrs(ef, name, e);
	return err;
}

int
elf_parse(struct elf_file *ef, const void *p, size_t len, const char *name,
	  struct es_error *e)
{
	memset(ef, 0, sizeof(*ef));
	ef->img = p;
	ef->len = len;
	return parse_image(ef, name, e);
}

int
elf_open_fd(struct elf_file *ef, int fd, const char *name,
	    struct es_error *e)
{
	struct stat st;
	void *p;

	memset(ef, 0, sizeof(*ef));
	if (fstat(fd, &st) < 0)
		return es_fail(e, errno, "%s: %s", name, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return es_fail(e, EINVAL, "%s: not a regular file", name);
	if (st.st_size == 0)
		return es_fail(e, EINVAL, "%s: not an ELF file (empty)", name);
	if ((uint64_t)st.st_size > SIZE_MAX)
		return es_fail(e, EFBIG, "%s: too large to map", name);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return es_fail(e, errno, "%s: %s", name, strerror(errno));
	ef->map = p;
	ef->img = p;
	ef->len = (size_t)st.st_size;
	return parse_image(ef, name, e);
}

int
elf_open(struct elf_file *ef, const char *path, struct es_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		memset(ef, 0, sizeof(*ef));
		return es_fail(e, errno, "%s: %s", path, strerror(errno));
	}
	err = elf_open_fd(ef, fd, path, e);
	close(fd);
	return err;
}

void
elf_close(struct elf_file *ef)
{
	free(ef->needed);
	if (ef->map)
		munmap(ef->map, ef->len);
	memset(ef, 0, sizeof(*ef));
}

int
elf_section(const struct elf_file *ef, const char *name, const void **p,
	    size_t *len)
{
	const char *names;

	if (!ef->shstrndx)
		return -ENOENT;
	names = (const char *)ef->img +
		FIELD(ef, Shdr, shdr(ef, ef->shstrndx), sh_offset);
	for (size_t i = 1; i < ef->shnum; i++) {
		const unsigned char *sh = shdr(ef, i);

		if (strcmp(names + FIELD(ef, Shdr, sh, sh_name), name) != 0)
			continue;
		if (FIELD(ef, Shdr, sh, sh_type) == SHT_NOBITS) {
			*p = NULL;
			*len = 0;
		} else {
			*p = ef->img + FIELD(ef, Shdr, sh, sh_offset);
			*len = (size_t)FIELD(ef, Shdr, sh, sh_size);
		}
		return 0;
	}
	return -ENOENT;
}

const char *
elf_class_name(uint8_t class)
{
	return class == ELFCLASS64 ? "ELFCLASS64" :
	       class == ELFCLASS32 ? "ELFCLASS32" : "ELFCLASSNONE";
}

const char *
elf_machine_name(uint16_t machine, char *buf, size_t size)
{
	static const struct {
		uint16_t machine;
		const char *name;
	} names[] = {
		{ EM_386, "i386" }, { EM_X86_64, "x86-64" },
		{ EM_ARM, "ARM" }, { EM_AARCH64, "AArch64" },
		{ EM_RISCV, "RISC-V" }, { EM_PPC, "PowerPC" },
		{ EM_PPC64, "PowerPC64" }, { EM_S390, "S/390" },
		{ EM_SPARCV9, "SPARC V9" }, { EM_MIPS, "MIPS" },
		{ EM_IA_64, "IA-64" }, { EM_LOONGARCH, "LoongArch" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].machine == machine)
			return names[i].name;
	snprintf(buf, size, "machine %u", machine);
	return buf;
}
