/* sysfile.c - see sysfile.h. */
#include "early/sysfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

ssize_t
sysfile_read_at(int dir, const char *path, char *buf, size_t size)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;
	int err;

	if (size == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return n;
}

ssize_t
sysfile_read(const char *path, char *buf, size_t size)
{
	return sysfile_read_at(AT_FDCWD, path, buf, size);
}

int
sysfile_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	size_t len = strlen(s);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	err = n < 0 ? errno : EIO;
	if (close(fd) != 0 && n == (ssize_t)len)
		return -errno;
	return n == (ssize_t)len ? 0 : -err;
}
