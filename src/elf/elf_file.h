/*
 * elf_file.h - what the loader and kmod need to know of an ELF file,
 * read from bytes in memory with every offset and size checked.
 *
 * Follows the System V gABI (ELF header, program and section headers,
 * the dynamic section) for both classes and both byte orders. The
 * dynamic section's strings are found as the loader finds them: the
 * DT_STRTAB address mapped to a file offset through the PT_LOAD
 * segments. Nothing is trusted: every table and string must lie inside
 * the image, counts are held to named limits, and arithmetic on header
 * fields cannot overflow; bad input gets a message and -EINVAL.
 *
 * Limits: e_phnum PN_XNUM (over 65534 program headers) is refused, as
 * is a program header table over the kernel's 64 KiB; the section
 * header table, when there is one, is checked whole (stricter than the
 * loader, which never reads it).
 */
#ifndef ES_ELF_ELF_FILE_H
#define ES_ELF_ELF_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* The kernel's limit on a program header table (fs/binfmt_elf.c). */
#define ELF_MAX_PHDR_BYTES 65536
/* The longest PT_INTERP, with its NUL (the kernel's PATH_MAX check). */
#define ELF_MAX_INTERP 4096
/* More DT_NEEDED entries than this is taken for corruption. */
#define ELF_MAX_NEEDED 4096
/* Likewise for sections (counted through SHN_XINDEX when over 65279). */
#define ELF_MAX_SECTIONS (1u << 20)
/* What elf_read_ident needs: the larger (64-bit) ELF header. */
#define ELF_IDENT_BYTES 64

/*
 * A parsed ELF image. Strings point into the image and live as long as
 * it does (for elf_open, until elf_close). Fields are filled in order:
 * after elf_read_ident only the identification (class .. flags) is.
 */
struct elf_file {
	const unsigned char *img;
	size_t len;
	void *map;		/* elf_open's mapping, else NULL */

	uint8_t class;		/* ELFCLASS32 or ELFCLASS64 */
	uint8_t data;		/* ELFDATA2LSB or ELFDATA2MSB */
	uint16_t type;		/* ET_EXEC, ET_DYN, ET_REL, ... */
	uint16_t machine;	/* EM_X86_64, ... */
	uint32_t flags;		/* e_flags (ARM and RISC-V float ABI) */

	const char *interp;	/* PT_INTERP, or NULL */
	bool dynamic;		/* a PT_DYNAMIC exists */
	const char **needed;	/* DT_NEEDED in order (allocated array) */
	size_t nneeded;
	const char *rpath;	/* DT_RPATH, DT_RUNPATH, DT_SONAME or NULL */
	const char *runpath;
	const char *soname;
	bool nodeflib;		/* DT_FLAGS_1 has DF_1_NODEFLIB */

	uint64_t phoff;		/* program header table, checked whole */
	size_t phnum;
	uint64_t shoff;		/* section header table, checked whole */
	size_t shnum;
	size_t shstrndx;	/* 0 (SHN_UNDEF): sections have no names */
};

/* Checks the identification and reads class, data, type, machine and
 * flags from the first len bytes (ELF_IDENT_BYTES are enough). name
 * prefixes messages: "NAME: not an ELF file". Returns 0 or -EINVAL. */
int elf_read_ident(struct elf_file *ef, const void *p, size_t len,
		   const char *name, struct es_error *e);

/* Parses a whole image held in memory (not copied: it must outlive ef).
 * Returns 0 or -EINVAL with a message such as
 * "NAME: truncated ELF (program header table at offset N beyond end)".
 * Call elf_close afterwards in either case. */
int elf_parse(struct elf_file *ef, const void *p, size_t len,
	      const char *name, struct es_error *e);

/* Maps the regular file at path read-only and parses it. Returns 0,
 * -errno from open/fstat/mmap ("PATH: No such file or directory"), or
 * -EINVAL. Call elf_close afterwards in either case. */
int elf_open(struct elf_file *ef, const char *path, struct es_error *e);
/* The same for a file already open (fd is not closed). */
int elf_open_fd(struct elf_file *ef, int fd, const char *name,
		struct es_error *e);

/* Frees what elf_parse allocated and unmaps elf_open's mapping. */
void elf_close(struct elf_file *ef);

/* The contents of the section called name (".modinfo"). Returns 0 with
 * *p and *len set (a SHT_NOBITS section gives NULL and 0), or -ENOENT
 * when there is no such section. */
int elf_section(const struct elf_file *ef, const char *name, const void **p,
		size_t *len);

/* "ELFCLASS64", "ELFCLASS32"; "x86-64", "AArch64", "machine 1234". */
const char *elf_class_name(uint8_t class);
const char *elf_machine_name(uint16_t machine, char *buf, size_t size);

#endif
