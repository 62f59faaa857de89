/*
 * closure.h - a program and every file that running it opens: its #!
 * interpreter (and that one's own closure), its ELF interpreter, and the
 * libraries glibc's ld.so loads for it, found the way ld.so finds them.
 *
 * Follows glibc's elf/dl-load.c (_dl_map_object) and dl-deps.c: the
 * DT_NEEDED entries are loaded breadth-first; a name already loaded
 * (as a DT_NEEDED name, a path, or a DT_SONAME, the interpreter's too)
 * or a file already loaded (same device and inode) is not loaded again.
 * A name with a '/' is a path. Otherwise the DT_RPATH of the needing
 * object and then of the objects that loaded it, up to the program
 * (only when the needing object has no DT_RUNPATH; an object's RPATH is
 * ignored when it has a RUNPATH), then the needing object's DT_RUNPATH,
 * then ld.so.cache, then the default directories (ldso.h); with
 * DF_1_NODEFLIB the default directories, and cache entries inside them,
 * are skipped. $ORIGIN, $LIB and $PLATFORM (also in braces) are
 * expanded; $ORIGIN is the directory of the program's real path, and of
 * a library's path as it was opened, as in glibc's dl-object.c; a path
 * element whose token has no value is dropped. An empty element is the
 * current directory, as in glibc. A candidate of another ELF class or
 * machine (or ARM/RISC-V float ABI) is skipped, as ld.so does, and named
 * in the message if nothing is found; a candidate that is not ELF, of
 * the other byte order, or not ET_DYN stops the search with an error,
 * as it stops ld.so.
 *
 * Kernel side (fs/binfmt_script.c, fs/binfmt_elf.c): a "#!" line is read
 * from the first BINPRM_BUF_SIZE (256) bytes; its first word is the
 * interpreter, which may be a script itself, up to ELF_SCRIPT_MAX_DEPTH
 * levels. A program without PT_INTERP (static, static-pie, ld.so) needs
 * nothing else: no loader reads its DT_NEEDED.
 *
 * Deliberately not followed: LD_LIBRARY_PATH and LD_PRELOAD are ignored
 * (the image must not depend on the environment of whoever builds it),
 * as are /etc/ld.so.preload, DT_AUXILIARY/DT_FILTER, secure (setuid)
 * mode, and glibc-hwcaps and legacy hwcap subdirectories (ldso.h). The
 * rules are glibc's: a program whose interpreter is musl's or another
 * loader's is resolved as if glibc loaded it.
 */
#ifndef ES_ELF_CLOSURE_H
#define ES_ELF_CLOSURE_H

#include <stddef.h>

#include "base/error.h"
#include "base/strset.h"
#include "elf/ldso.h"

/* Levels of #! interpreters followed (the kernel's old
 * BINPRM_MAX_RECURSION). */
#define ELF_SCRIPT_MAX_DEPTH 4
/* Bytes of a script the kernel reads for its #! line. */
#define ELF_SCRIPT_BUF 256
/* Objects one program may load; past this it is taken for corruption. */
#define ELF_CLOSURE_MAX_OBJECTS 4096

#define ELF_DEP_NONE ((size_t)-1)

enum elf_dep_kind {
	ELF_DEP_PROGRAM,	/* a program given to elf_closure_add */
	ELF_DEP_SCRIPT_INTERP,	/* the #! interpreter of parent */
	ELF_DEP_INTERP,		/* the PT_INTERP of parent */
	ELF_DEP_LIBRARY,	/* a DT_NEEDED of parent */
};

struct elf_dep {
	char *path;		/* as the loader opens it; not canonical */
	enum elf_dep_kind kind;
	size_t parent;		/* the entry that needed it, or ELF_DEP_NONE */
};

/*
 * The files of one or more programs, each path once, in order: a
 * program, then its interpreters, then its libraries in load order;
 * then what the next program adds. An entry's parent comes before it.
 */
struct elf_closure {
	struct elf_dep *deps;
	size_t len, cap;
	struct strset paths;	/* path -> index in deps */
	struct ldso ldso;
};

/* Reads the loader's configuration (ldso_open). Returns 0 or -errno;
 * call elf_closure_free afterwards in either case. */
int elf_closure_init(struct elf_closure *c, const struct ldso_config *cfg,
		     struct es_error *e);

/* Adds the program at path (an ELF executable or a #! script) and what
 * it needs, each path not listed yet. Returns 0, or -errno with a
 * message naming what is missing or bad, who needed it, and for a
 * library the places searched:
 *   "libfoo.so.1: not found, needed by /usr/lib/libbar.so.2 (needed by
 *    /usr/bin/prog); searched RUNPATH /opt/x/lib, ld.so.cache,
 *    /lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib;
 *    skipped /opt/x/lib/libfoo.so.1 (ELFCLASS32, not ELFCLASS64)"
 * On error nothing is added. */
int elf_closure_add(struct elf_closure *c, const char *path,
		    struct es_error *e);

/* Why entry i is there: "needed by B (needed by A, #! interpreter of S)",
 * or "" for a program given by the caller. The caller frees it. */
char *elf_closure_why(const struct elf_closure *c, size_t i);

void elf_closure_free(struct elf_closure *c);

#endif
