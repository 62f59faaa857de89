/* libc_fstatat.c - fstatat for the static binary: the system call alone.
 *
 * musl's fstatat (which stat, lstat and fstat call) copies a kernel
 * struct into its own and, for kernels before AT_EMPTY_PATH (2.6.39),
 * falls back to /proc/self/fd: 340 bytes of the budget. On x86-64 the
 * kernel's struct stat is musl's, field for field, and every kernel
 * that boots an initramfs of ours has AT_EMPTY_PATH, so the system call
 * is the whole function; elsewhere musl's stays. Only the target binary
 * links this file.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
_Static_assert(sizeof(struct stat) == 144, "x86-64's struct stat is the kernel's");

int
fstatat(int fd, const char *restrict path, struct stat *restrict st, int flags)
{
	return (int)syscall(SYS_newfstatat, fd, path, st, flags);
}
#endif
