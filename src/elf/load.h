/*
 * load.h - private to src/elf: what closure.c and load.c share. The
 * entries of one elf_closure_add are collected in a deplist and merged
 * into the closure only when the whole program resolved.
 */
#ifndef ES_ELF_LOAD_H
#define ES_ELF_LOAD_H

#include <stddef.h>

#include "base/error.h"
#include "elf/closure.h"
#include "elf/elf_file.h"

/* A growing message (never NULL once something was added). */
struct msg {
	char *p;
	size_t len, cap;
};

void msg_add(struct msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void msg_free(struct msg *m);

struct deplist {
	struct elf_dep *deps;
	size_t len, cap;
};

/* Appends a copy of path; returns its index. */
size_t deps_push(struct deplist *l, const char *path, enum elf_dep_kind kind,
		 size_t parent);

/* "needed by B (needed by A, #! interpreter of S)" for an entry of that
 * kind whose parent is parent; nothing for a program of the caller's. */
void msg_relation(struct msg *m, const struct elf_dep *deps,
		  enum elf_dep_kind kind, size_t parent);

/* es_fail with the formatted text, then ", " and the relation of an
 * entry of that kind and parent in l ("needed by B (needed by A)"). */
int fail_at(struct es_error *e, int code, const struct deplist *l,
	    enum elf_dep_kind kind, size_t parent, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Loads, as ld.so would, the interpreter and libraries of the program
 * ef (open as fd), which is out->deps[idx]; appends them to out. */
int load_program(struct elf_closure *c, struct deplist *out,
		 const struct elf_file *ef, int fd, size_t idx,
		 struct es_error *e);

#endif
