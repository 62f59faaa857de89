/*
 * check.h - will an image boot? What the kernel stops on, what it drops
 * without a word, and whether /init can run, found without booting.
 *
 * The image is read as the kernel reads it (image_reader.h) into the
 * tree the kernel would build (tree.h). Findings, each with a severity
 * and a stable code (doc/check.md lists them):
 *   - the errors that stop the kernel's unpacker (bad magic, junk, a
 *     checksum, a name without NUL, a failing decompressor) and a
 *     truncated image; the tree built up to there is still checked, as
 *     the kernel keeps what it unpacked;
 *   - entries the kernel drops or replaces (tree.h's events);
 *   - /init (or the rdinit path): present, a regular file with an x
 *     bit, reached through symlinks inside the image; a #! script's
 *     interpreter, recursively (the kernel's 4 levels); an ELF's
 *     PT_INTERP and its DT_NEEDED libraries, recursively, found where
 *     glibc's ld.so looks (check_elf.c says how) and of the program's
 *     class and machine; /dev/console;
 *   - modules: every module in lib/modules/RELEASE/modules.dep that is
 *     in the image has its dependencies there; with a kernel release,
 *     every module's vermagic is that release's;
 *   - kinit's /etc/modules: read as far as kinit reads it, each request
 *     resolved with the image's own module index, as kinit's modprobe
 *     resolves it, to modules that are in the image or built in.
 *
 * Memory: file data is hashed and dropped as it streams; only ELF files
 * (one at a time, up to CHECK_ELF_MAX, to read their headers), #! lines
 * and the few text files the checks read (ld.so.conf, /etc/modules,
 * the module index files, up to CHECK_TEXT_MAX) are looked at, and of
 * those only a summary is kept.
 */
#ifndef ES_IMAGE_CHECK_H
#define ES_IMAGE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "image/tree.h"

/* The largest ELF file (or compressed module) whose headers are read. */
#define CHECK_ELF_MAX (128u << 20)
/* The largest text file read (ld.so.conf, /etc/modules, an index file
 * such as modules.dep). */
#define CHECK_TEXT_MAX (16u << 20)
/* Objects one program's libraries are followed to. */
#define CHECK_MAX_OBJECTS 4096

enum check_severity {
	CHECK_NOTE,
	CHECK_WARNING,
	CHECK_ERROR,
};

struct check_finding {
	enum check_severity severity;
	const char *code;	/* "parent-missing": static, stable */
	int member;		/* -1: not about one record */
	uint64_t offset;	/* tree.h's struct tree_origin */
	char *path;		/* a name in the image, or NULL */
	char *message;
};

struct check_report {
	struct check_finding *v;
	size_t n, cap;
	unsigned count[3];	/* by severity */
};

struct check_opts {
	const char *rdinit;	/* NULL: /init */
	const char *kver;	/* NULL: vermagic is not checked */
};

/* Checks the image at path ("-": standard input). Findings go to rep,
 * which the caller zeroes first and frees with check_report_free; an
 * image that cannot be opened is a finding too. Returns the highest
 * severity found + 1, or 0 when there is none. */
int check_image(const char *path, const struct check_opts *o,
		struct check_report *rep);
void check_report_free(struct check_report *rep);
const char *check_severity_name(enum check_severity s);

/* For the check_*.c files. */
void check_add(struct check_report *rep, enum check_severity s,
	       const char *code, const struct tree_origin *at,
	       const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#endif
