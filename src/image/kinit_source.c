/*
 * kinit_source.c - what makes an image boot with kinit: the binary as
 * /init, the names its applets answer to, the mount points and the
 * console it needs before devtmpfs is up, and /etc/modules with the
 * modules the image asks for by name.
 *
 * /dev/console must be in the image: the kernel opens it for init's
 * fds 0-2 before /init runs, and a missing one leaves init without a
 * console. Requests that are path patterns (kernel/drivers/block/...)
 * only make modules available: kinit loads them when a device asks for
 * them (coldplug), not all at once.
 */
#include "image/compose.h"
#include "kmod/resolve.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The applets' names, each a link to /init. /sbin/modprobe is where the
 * kernel runs its module helper by default. */
static const char *const applet_links[] = {
	"/bin/kinit", "/bin/run-init", "/bin/fstype", "/bin/resume", "/bin/nfsmount",
	"/bin/ipconfig", "/sbin/modprobe",
};

/* Mount points kinit uses; /root is where the real root is mounted. */
static const char *const kinit_dirs[] = {
	"/dev", "/proc", "/sys", "/run", "/root", "/etc",
};

static int
add_entry(struct composer *c, const struct build_entry *e)
{
	if (!strset_add(&c->added, e->name))
		return 0;
	return builder_add(c->b, e);
}

int
composer_kinit(struct composer *c, const char *binary)
{
	int rc = compose_file_as(c, binary, "/init", 0755);

	for (size_t i = 0; rc == 0 && i < sizeof(kinit_dirs) / sizeof(*kinit_dirs); i++)
		if (!builder_has_dir(c->b, kinit_dirs[i]))
			rc = add_entry(c, &(struct build_entry){
				.name = kinit_dirs[i], .mode = S_IFDIR | 0755,
				.mtime = BUILD_NO_MTIME,
			});
	if (rc == 0)
		rc = add_entry(c, &(struct build_entry){
			.name = "/dev/console", .mode = S_IFCHR | 0600,
			.mtime = BUILD_NO_MTIME, .rmajor = 5, .rminor = 1,
		});
	for (size_t i = 0; rc == 0 && i < sizeof(applet_links) / sizeof(*applet_links); i++)
		rc = add_entry(c, &(struct build_entry){
			.name = applet_links[i], .mode = S_IFLNK | 0777,
			.mtime = BUILD_NO_MTIME, .target = "/init",
		});
	c->kinit = true;
	return rc;
}

void
composer_note_request(struct composer *c, const char *request)
{
	size_t len = c->requests ? strlen(c->requests) : 0;

	if (kmod_is_path_pattern(request))	/* only made available: for coldplug */
		return;
	c->requests = xrealloc(c->requests, len + strlen(request) + 2);
	strcpy(c->requests + len, request);
	strcat(c->requests + len, "\n");
}

int
composer_kinit_finish(struct composer *c)
{
	static const char header[] =
		"# Modules kinit loads before coldplug: one per line.\n";
	char *text;
	int rc;

	if (!c->kinit)
		return 0;
	text = xasprintf("%s%s", header, c->requests ? c->requests : "");
	rc = compose_bytes_as(c, "/etc/modules", text, strlen(text));
	free(text);
	return rc;
}
