/* atomic_file.c - see atomic_file.h. */
#include "base/atomic_file.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t
current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int
atomic_open(struct atomic_file *f, const char *path, mode_t mode)
{
	memset(f, 0, sizeof(*f));
	f->path = path;
	if (strcmp(path, "-") == 0) {
		f->fd = STDOUT_FILENO;
		return 0;
	}
	f->tmp = xasprintf("%s.tmp.XXXXXX", path);
	f->fd = mkostemp(f->tmp, O_CLOEXEC);
	if (f->fd < 0) {
		int e = errno;

		free(f->tmp);
		f->tmp = NULL;
		return -e;
	}
	if (fchmod(f->fd, mode & ~current_umask()) < 0) {
		int e = errno;

		atomic_abort(f);
		return -e;
	}
	return 0;
}

int
atomic_commit(struct atomic_file *f)
{
	int e = 0;

	if (!f->tmp)
		return 0;
	if (close(f->fd) < 0)
		e = errno;
	f->fd = -1;
	if (!e && rename(f->tmp, f->path) < 0)
		e = errno;
	if (e) {
		unlink(f->tmp);
		free(f->tmp);
		f->tmp = NULL;
		return -e;
	}
	free(f->tmp);
	f->tmp = NULL;
	return 0;
}

void
atomic_abort(struct atomic_file *f)
{
	if (!f->tmp)
		return;
	if (f->fd >= 0)
		close(f->fd);
	unlink(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	f->fd = -1;
}
