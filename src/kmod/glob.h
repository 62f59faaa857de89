/*
 * glob.h - the shell patterns of modules.alias, modules.softdep and
 * path requests, matched as fnmatch(3) with no flags matches them:
 * '*' any run of bytes ('/' and a leading '.' included), '?' one byte,
 * [abc], [a-z], [!x] or [^x] one byte of a set, '\' makes the next
 * byte literal. Byte-wise: no locale, no [[:class:]] (depmod writes
 * none), which keeps the target binary free of libc's wide-character
 * tables.
 */
#ifndef ES_KMOD_GLOB_H
#define ES_KMOD_GLOB_H

#include <stdbool.h>

bool kmod_glob(const char *pattern, const char *s);

#endif
