/*
 * rmtree.h - removes a test's temporary directory and all below it.
 */
#ifndef ES_TESTS_RMTREE_H
#define ES_TESTS_RMTREE_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static int
rmtree_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* 0, or -1 with errno from the first removal that failed. */
static inline int
rmtree(const char *root)
{
	return nftw(root, rmtree_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
