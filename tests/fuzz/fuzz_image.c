/*
 * fuzz_image.c - an initramfs image read as `initramfs extract` reads
 * it (image_reader.h): members, NUL padding, the seven codecs, newc and
 * crc records, the data of every other entry read to its end (which
 * checks 070702 sums), the others' skipped as `initramfs list` does.
 *
 * The image is a memfd opened through /proc/self/fd, so the reader
 * takes the path it takes for a file (seekable: skips are lseeks).
 * Decoding runs in the calling thread (threaded cleared), so runs are
 * deterministic; the prefetch thread is not exercised here.
 * Limits: a valid stream that expands hugely (a zstd run of RLE blocks)
 * costs its decoding time, bounded by -max_len. An lzma or xz header
 * may ask for a dictionary of up to 1 GiB (codec/liblzma.h), which is
 * allocated; under ASan that costs about half a second, so inputs with
 * one slow the target down.
 */
#include "fuzz.h"

#include "image/image_reader.h"

#include <string.h>

/* Touches the first and last byte, so that ASan checks the pointer. */
static uint8_t
touch(const uint8_t *p, ssize_t n)
{
	return (uint8_t)(p[0] ^ p[n - 1]);
}

static void
read_image(struct image_reader *r)
{
	struct cpio_entry e;
	const uint8_t *p;
	volatile uint8_t sink = 0;
	ssize_t n;

	for (unsigned i = 0; image_next(r, &e) == 0; i++) {
		sink ^= (uint8_t)strlen(e.name);
		if (e.target)
			sink ^= (uint8_t)strlen(e.target);
		if (i % 2)	/* left for image_next to skip, as `list` does */
			continue;
		while ((n = image_data_next(r, &p, INSTREAM_BUFSIZE)) > 0)
			sink ^= touch(p, n);
		if (n < 0)
			break;
	}
	(void)sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_reader r;
	char path[64];
	int fd = fuzz_memfd("image", data, size);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (image_open(&r, path) < 0)
		fuzz_die(path);
	r.threaded = false;
	read_image(&r);
	image_close(&r);
	close(fd);
	return 0;
}
