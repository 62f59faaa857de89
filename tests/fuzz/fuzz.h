/*
 * fuzz.h - what the fuzz targets share: libFuzzer's entry points
 * (declared here for the build's -Wmissing-prototypes) and the input
 * put in a memfd for the layers that read through a file descriptor or
 * a path. A system call failing here is the harness's fault, not the
 * input's: it aborts, so that libFuzzer reports it instead of quietly
 * testing nothing.
 */
#ifndef ES_TESTS_FUZZ_H
#define ES_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline void __attribute__((noreturn))
fuzz_die(const char *what)
{
	perror(what);
	abort();
}

/* A memfd holding the size bytes of data, its offset back at 0. */
static inline int
fuzz_memfd(const char *name, const uint8_t *data, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		fuzz_die("memfd_create");
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			fuzz_die("write to memfd");
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		fuzz_die("lseek");
	return fd;
}

#endif
