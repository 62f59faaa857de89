/*
 * firmware.c - firmware files, found where the kernel's loader looks.
 *
 * drivers/base/firmware_loader/main.c tries the name as it is in every
 * directory of its search path, then with .xz, then with .zst (when
 * built with those); the directories are /lib/firmware/updates/<kver>,
 * /lib/firmware/updates, /lib/firmware/<kver> and /lib/firmware. The
 * file goes into the image at the same place below /lib/firmware.
 */
#include "image/compose.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FIRMWARE_DIR "/lib/firmware"

/* Where firmware is looked up on the host. */
static const char *
firmware_root(const struct composer *c)
{
	return c->opt.firmware_dir ? c->opt.firmware_dir : FIRMWARE_DIR;
}

/* Where under the firmware directory name is, relative ("updates/x");
 * NULL when it is nowhere. */
static char *
find_firmware(struct composer *c, const char *name)
{
	static const char *const suffixes[] = { "", ".xz", ".zst" };
	const char *kver = composer_kver(c);
	const char *root = firmware_root(c);
	char *dirs[] = {
		xasprintf("updates/%s/", kver), xstrdup("updates/"),
		xasprintf("%s/", kver), xstrdup(""),
	};
	char *found = NULL;

	for (size_t s = 0; s < 3 && !found; s++) {
		for (size_t d = 0; d < 4 && !found; d++) {
			char *rel = xasprintf("%s%s%s", dirs[d], name, suffixes[s]);
			char *path = xasprintf("%s/%s", root, rel);
			struct stat st;

			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				found = rel;
			else
				free(rel);
			free(path);
		}
	}
	for (size_t d = 0; d < 4; d++)
		free(dirs[d]);
	return found;
}

static int
add_found(struct composer *c, const char *rel)
{
	const char *root = firmware_root(c);
	char *path = xasprintf("%s/%s", root, rel);
	char *name = xasprintf(FIRMWARE_DIR "/%s", rel);
	int rc = compose_file_as(c, path, name, 0644);

	free(name);
	free(path);
	return rc;
}

int
composer_firmware(struct composer *c, char *const *names, int n)
{
	int rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		char *rel = find_firmware(c, names[i]);

		if (!rel)
			return es_fail(&c->b->err, ENOENT,
				       "firmware %s: not found under %s (nor updates/, nor %s/, nor as .xz or .zst)",
				       names[i], firmware_root(c), composer_kver(c));
		rc = add_found(c, rel);
		free(rel);
	}
	return rc;
}

int
compose_module_firmware(struct composer *c, const char *name,
			const char *module)
{
	char *rel = find_firmware(c, name);
	int rc;

	if (!rel) {
		builder_warn(c->b, "module %s: firmware %s not found under %s; the driver may fail without it",
			     module, name, firmware_root(c));
		return 0;
	}
	rc = add_found(c, rel);
	free(rel);
	return rc;
}
