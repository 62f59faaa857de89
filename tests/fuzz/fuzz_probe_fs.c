/*
 * fuzz_probe_fs.c - the filesystem probes (probe.h: probe_filesystem),
 * the input being a device's first bytes, held in a memfd: reads past
 * its end find the device's end, as they would on a short image.
 *
 * The result's promises are checked: type, UUID and label end within
 * their arrays. Limit: probes that check a checksum of their own
 * (exFAT's boot region, nilfs2, LVM, romfs) are rarely passed by
 * mutation alone.
 */
#include "fuzz.h"

#include "probe/probe.h"

#include <string.h>

static void
check_text(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fuzz_memfd("probe", data, size);
	struct probe_dev d;
	struct probe_fs fs;

	if (probe_dev_init(&d, fd) < 0)
		fuzz_die("probe_dev_init");
	if (probe_filesystem(&d, &fs) == 1) {
		check_text(fs.type, sizeof(fs.type));
		check_text(fs.uuid, sizeof(fs.uuid));
		check_text(fs.label, sizeof(fs.label));
		if (!fs.type[0])
			abort();
	}
	close(fd);
	return 0;
}
