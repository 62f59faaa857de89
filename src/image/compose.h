/*
 * compose.h - what an image needs besides the entries it is given:
 * programs with the libraries they load, kernel modules with those they
 * depend on, and the firmware those ask for.
 *
 * The composer sits between the sources and the builder. It adds host
 * files under their host names, mirroring the symlinks on their way
 * (/lib64/ld-linux-x86-64.so.2, a merged-/usr /lib -> usr/lib), so the
 * loader in the image finds them where it would on the host; and it
 * resolves the names it writes through the symlinks the image already
 * has, so that /lib/modules lands in usr/lib when /lib is a link. Each
 * name is added once, however many programs need it.
 */
#ifndef ES_IMAGE_COMPOSE_H
#define ES_IMAGE_COMPOSE_H

#include <stdbool.h>

#include "base/strset.h"
#include "image/build.h"

struct compose_options {
	const char *kver;	/* kernel release; NULL: the moddir's name,
				 * else the running kernel's */
	const char *moddir;	/* NULL: /lib/modules/<kver> */
	const char *firmware_dir;	/* NULL: /lib/firmware */
};

struct module_set;
struct elf_closure;

struct composer {
	struct builder *b;
	struct compose_options opt;
	struct strset added;	/* image names written here */
	struct strset links;	/* image symlinks: name -> index in targets */
	char **targets;
	size_t ntargets, targets_cap;
	struct elf_closure *programs;	/* made on first use */
	struct module_set *modules;	/* loaded on first use */
	char *kver;		/* composer_kver's answer */
	bool kinit;		/* composer_kinit was called */
	char *requests;		/* module requests by name, one a line */
};

void composer_init(struct composer *c, struct builder *b,
		   const struct compose_options *opt);
void composer_free(struct composer *c);

/* Adds the program at host path (a script: its interpreter too) and
 * everything it loads. name: its name in the image; NULL: path's. A
 * path without a '/' is looked up in PATH, a relative one taken from
 * the current directory. */
int composer_program(struct composer *c, const char *path, const char *name);
/* Adds modules by name, alias or path pattern (kmod/), with their
 * dependencies and softdeps, and the firmware they name. */
int composer_modules(struct composer *c, char *const *requests, int n);
/* Adds firmware files by their names under the firmware directory. */
int composer_firmware(struct composer *c, char *const *names, int n);
/* Adds kinit (the target binary at host path binary) as /init, with
 * the links, directories and console it needs (kinit_source.c). */
int composer_kinit(struct composer *c, const char *binary);
/* Writes what the image needs to know about what it holds (the module
 * index; for kinit, /etc/modules); call once, after the last source. */
int composer_finish(struct composer *c);

/* The kernel release the modules and firmware are for. */
const char *composer_kver(struct composer *c);
/* The firmware a module names: added when found, else a warning. */
int compose_module_firmware(struct composer *c, const char *name,
			    const char *module);

/* For the module and program sources: adds the host file at path under
 * the same name (or name), mirroring symlinks; mode 0: the file's. */
int compose_host_file(struct composer *c, const char *path, const char *name,
		      uint32_t mode);
/* A regular file from anywhere on the host under an image name, which
 * is resolved through the image's symlinks. */
int compose_file_as(struct composer *c, const char *location,
		    const char *name, uint32_t mode);
/* In-memory contents under an image name. */
int compose_bytes_as(struct composer *c, const char *name, const void *p,
		     size_t n);
/* The sources' parts of composer_finish and composer_free. */
int composer_modules_finish(struct composer *c);
void composer_note_request(struct composer *c, const char *request);
int composer_kinit_finish(struct composer *c);
void module_set_free(struct module_set *m);
void composer_programs_free(struct composer *c);

#endif
