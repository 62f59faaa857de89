/*
 * check_internal.h - what the check_*.c files share: the summary kept of
 * each file the checks look at (check_file.c), and the checks that read
 * the finished tree (check_boot.c, check_elf.c, check_modules.c,
 * check_kinit.c).
 */
#ifndef ES_IMAGE_CHECK_INTERNAL_H
#define ES_IMAGE_CHECK_INTERNAL_H

#include <stdbool.h>

#include "image/check.h"

/* What the tree's inspector keeps of a file (tree_inode.info). */
struct check_file {
	/* an ELF file whose headers were read */
	bool elf;
	char *elf_error;	/* not readable as ELF (message), or NULL */
	uint8_t class, data;
	uint16_t type, machine;
	uint32_t flags;
	char *interp;		/* PT_INTERP, or NULL */
	char **needed;		/* DT_NEEDED, in order */
	size_t nneeded;
	char *rpath, *runpath, *soname;	/* or NULL */
	bool nodeflib;
	/* a kernel module (.ko, or compressed): its vermagic */
	bool module;
	char *vermagic;		/* NULL: none found (module_error says why) */
	char *module_error;
	/* "#!": the interpreter (NULL: an empty #! line) */
	bool script;
	char *script_interp;
	/* a text file kept whole (ld.so.conf, /etc/modules, the module
	 * index): text_len bytes, NULs included, then a NUL */
	char *text;
	size_t text_len;
};

struct check_ctx {
	const struct check_opts *opts;
	struct tree_inspector insp;
};

/* The inspector check_image gives the tree. */
void check_files_init(struct check_ctx *c, const struct check_opts *o);

/* The summary kept for node (following nothing), or NULL. */
const struct check_file *check_file_of(const struct tree *t, size_t node);
const char *check_type_name(uint32_t mode);

/* /init and /dev/console. */
void check_boot(const struct tree *t, const struct check_opts *o,
		struct check_report *rep);
/* An ELF program's interpreter and libraries (path: its name, for
 * messages; node: its file). */
void check_elf_program(const struct tree *t, const char *path, size_t node,
		       const char *why, struct check_report *rep);
/* modules.dep and vermagic. */
void check_modules(const struct tree *t, const struct check_opts *o,
		   struct check_report *rep);

/* The list of modules kinit loads first (src/early/kinit.c), and how
 * much of it kinit reads: one read into a 4096-byte buffer, NUL last. */
#define CHECK_KINIT_MODULES "/etc/modules"
#define CHECK_KINIT_READ 4095u
/* /etc/modules: what kinit reads of it, and each request resolved with
 * the image's own index to modules in the image (check_kinit.c). */
void check_kinit_modules(const struct tree *t, const struct check_opts *o,
			 struct check_report *rep);

#endif
