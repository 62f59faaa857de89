/*
 * check_boot.c - can the kernel run /init, and does it get a console?
 *
 * The kernel (init/main.c, v6.1) runs ramdisk_execute_command ("/init",
 * or rdinit=) if init_eaccess() finds it, else it mounts root= itself:
 * so a missing /init is not a panic, but no initramfs userspace runs,
 * which is an error for an image meant to boot. execve() follows
 * symlinks (absolute ones from the image root, MAXSYMLINKS 40), needs a
 * regular file with an x bit (root may run any file with one), and
 * recognises ELF and "#!" (fs/binfmt_script.c: the interpreter is the
 * first word, itself checked the same way, up to 4 levels); anything
 * else is ENOEXEC. ELF programs go on to check_elf.c.
 *
 * /dev/console: console_on_rootfs() opens it before running /init; if
 * it cannot, /init runs without stdin, stdout and stderr. A kernel
 * whose built-in initramfs is the default one (usr/default_cpio_list:
 * /dev, /dev/console, /root) has it before the image is unpacked; the
 * check cannot know the kernel, so a missing one is a warning.
 */
#include "image/check_internal.h"
#include "base/xalloc.h"
#include "elf/closure.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The codes of one role in the chain: /init itself or an interpreter. */
struct exec_codes {
	const char *missing, *not_file, *not_exec, *format, *loop;
};

static const struct exec_codes init_codes = {
	"init-missing", "init-not-file", "init-not-executable", "init-format",
	"init-symlink-loop",
};
static const struct exec_codes interp_codes = {
	"script-interp-missing", "script-interp-not-file",
	"script-interp-not-executable", "script-interp-format",
	"script-interp-symlink-loop",
};

/* " (#! interpreter of /init)", or "" for /init itself. */
static char *
because(const char *why)
{
	return *why ? xasprintf(" (%s)", why) : xstrdup("");
}

static void check_exec(const struct tree *t, const char *path, int depth,
		       const char *why, struct check_report *rep);

static void
check_script(const struct tree *t, const char *path, const struct check_file *f,
	     const struct tree_origin *at, int depth, const char *why,
	     struct check_report *rep)
{
	const struct exec_codes *c = depth ? &interp_codes : &init_codes;
	char *role = because(why), *next;

	if (!f->script_interp) {
		check_add(rep, CHECK_ERROR, c->format, at, path,
			  "a #! line without an interpreter: execve fails with ENOEXEC%s",
			  role);
	} else if (depth >= ELF_SCRIPT_MAX_DEPTH) {
		check_add(rep, CHECK_ERROR, c->format, at, path,
			  "#! interpreters nested over %d levels: execve fails with ELOOP%s",
			  ELF_SCRIPT_MAX_DEPTH, role);
	} else {
		next = *why ? xasprintf("#! interpreter of %s, %s", path, why) :
			      xasprintf("#! interpreter of %s", path);
		check_exec(t, f->script_interp, depth + 1, next, rep);
		free(next);
	}
	free(role);
}

/* What execve() makes of the file at node. */
static void
check_format(const struct tree *t, const char *path, size_t node, int depth,
	     const char *why, struct check_report *rep)
{
	const struct exec_codes *c = depth ? &interp_codes : &init_codes;
	const struct tree_inode *in = tree_inode_of(t, node);
	const struct check_file *f = check_file_of(t, node);
	char *role = because(why);

	if (f && f->script) {
		check_script(t, path, f, &in->from, depth, why, rep);
	} else if (f && f->elf && f->elf_error) {
		check_add(rep, CHECK_ERROR, "elf-unreadable", &in->from, path,
			  "%s%s", f->elf_error, role);
	} else if (f && f->elf && f->type != ET_EXEC && f->type != ET_DYN) {
		check_add(rep, CHECK_ERROR, c->format, &in->from, path,
			  "an ELF file of type %u, not a program: execve fails with ENOEXEC%s",
			  f->type, role);
	} else if (f && f->elf) {
		check_elf_program(t, path, node, why, rep);
	} else {
		check_add(rep, CHECK_ERROR, c->format, &in->from, path,
			  "neither ELF nor a #! script (%llu bytes): execve fails with ENOEXEC%s",
			  (unsigned long long)in->size, role);
	}
	free(role);
}

static void
check_exec(const struct tree *t, const char *path, int depth, const char *why,
	   struct check_report *rep)
{
	const struct exec_codes *c = depth ? &interp_codes : &init_codes;
	const struct tree_inode *in;
	char *role = because(why);
	size_t node;
	int rc = tree_lookup(t, path, true, &node);

	if (rc == -ELOOP) {
		check_add(rep, CHECK_ERROR, c->loop, NULL, path,
			  "reached through more than %d symlinks (a loop?): execve fails with ELOOP%s",
			  TREE_MAX_SYMLINKS, role);
	} else if (rc < 0 && !depth) {
		check_add(rep, CHECK_ERROR, c->missing, NULL, path,
			  "not in the image (or a symlink to nowhere): the kernel runs no init from the initramfs and mounts root= itself");
	} else if (rc < 0) {
		check_add(rep, CHECK_ERROR, c->missing, NULL, path,
			  "not in the image (or a symlink to nowhere): execve fails with ENOENT%s",
			  role);
	} else if (!S_ISREG((in = tree_inode_of(t, node))->mode)) {
		check_add(rep, CHECK_ERROR, c->not_file, &in->from, path,
			  "a %s, not a regular file: execve fails%s",
			  check_type_name(in->mode), role);
	} else if (!(in->mode & 0111)) {
		check_add(rep, CHECK_ERROR, c->not_exec, &in->from, path,
			  "mode %04o has no x bit: execve fails with EACCES%s",
			  in->mode & 07777, role);
	} else {
		check_format(t, path, node, depth, why, rep);
	}
	free(role);
}

static void
check_console(const struct tree *t, struct check_report *rep)
{
	const struct tree_inode *in;
	size_t node;

	if (tree_lookup(t, "/dev/console", true, &node) < 0) {
		check_add(rep, CHECK_WARNING, "console-missing", NULL, "/dev/console",
			  "not in the image: /init starts without stdin, stdout and stderr, unless the kernel's built-in initramfs makes it (the default one does)");
		return;
	}
	in = tree_inode_of(t, node);
	if (!S_ISCHR(in->mode))
		check_add(rep, CHECK_WARNING, "console-not-chardev", &in->from,
			  "/dev/console", "a %s, not the character device 5:1",
			  check_type_name(in->mode));
	else if (in->rdevmajor != 5 || in->rdevminor != 1)
		check_add(rep, CHECK_WARNING, "console-not-chardev", &in->from,
			  "/dev/console", "character device %u:%u, not 5:1",
			  in->rdevmajor, in->rdevminor);
}

void
check_boot(const struct tree *t, const struct check_opts *o,
	   struct check_report *rep)
{
	check_exec(t, o->rdinit ? o->rdinit : "/init", 0, "", rep);
	check_console(t, rep);
}
