/* blockdev.c - see blockdev.h. */
#include "early/blockdev.h"
#include "early/number.h"
#include "early/sysfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* GPT's usual number of entries; MBR disks have fewer. */
#define BLOCKDEV_PARTS_MAX 128u

static void
copy_name(char *dst, const char *src, size_t len)
{
	if (len >= BLOCKDEV_NAME_MAX)
		len = BLOCKDEV_NAME_MAX - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The disk of a partition: the directory above it in the device path
 * the class link points at (.../block/vda/vda2). */
static void
read_parent(struct blockdev *bd, int classdir)
{
	char link[PATH_MAX], *slash, *prev;
	ssize_t n = readlinkat(classdir, bd->name, link, sizeof(link) - 1);

	bd->parent[0] = '\0';
	if (n <= 0)
		return;
	link[n] = '\0';
	slash = strrchr(link, '/');
	if (!slash)
		return;
	*slash = '\0';
	prev = strrchr(link, '/');
	prev = prev ? prev + 1 : link;
	copy_name(bd->parent, prev, strlen(prev));
}

int
blockdev_read(struct blockdev *bd, const char *sysfs, const char *name)
{
	char path[BLOCKDEV_NAME_MAX + 16], buf[64];
	unsigned long long v;
	int classdir;
	ssize_t n;

	memset(bd, 0, sizeof(*bd));
	if (strlen(name) >= BLOCKDEV_NAME_MAX || strchr(name, '/'))
		return -ENAMETOOLONG;
	copy_name(bd->name, name, strlen(name));
	classdir = open(sysfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (classdir < 0)
		return -errno;
	snprintf(path, sizeof(path), "%s/dev", name);
	n = sysfile_read_at(classdir, path, buf, sizeof(buf));
	if (n < 0 || !blockdev_parse_devnum(buf, &bd->major, &bd->minor)) {
		close(classdir);
		return n < 0 ? (int)n : -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/size", name);
	if (sysfile_read_at(classdir, path, buf, sizeof(buf)) > 0 &&
	    number_parse(buf, 10, UINT64_MAX / 512, &v))
		bd->size = v * 512u;
	snprintf(path, sizeof(path), "%s/partition", name);
	if (sysfile_read_at(classdir, path, buf, sizeof(buf)) > 0 &&
	    number_parse(buf, 10, UINT32_MAX, &v)) {
		bd->partn = (unsigned)v;
		read_parent(bd, classdir);
	}
	close(classdir);
	return 0;
}

static int
open_dev(const char *devdir, const char *name)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", devdir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	return open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

static int
probe_fs(struct blockdev *bd, const char *devdir)
{
	int fd = open_dev(devdir, bd->name), rc;
	struct probe_dev d;

	if (fd < 0)
		return -errno;
	rc = probe_dev_init(&d, fd);
	if (rc == 0)
		rc = probe_filesystem(&d, &bd->fs);
	close(fd);
	if (rc <= 0)
		memset(&bd->fs, 0, sizeof(bd->fs));
	return rc < 0 ? rc : 0;
}

/* The partition's entry in its disk's table. */
static int
probe_part(struct blockdev *bd, const char *devdir)
{
	struct probe_table t = { .cap = BLOCKDEV_PARTS_MAX };
	struct probe_dev d;
	int fd, rc;

	if (!bd->partn || !bd->parent[0])
		return 0;
	if ((fd = open_dev(devdir, bd->parent)) < 0)
		return -errno;
	t.parts = calloc(t.cap, sizeof(*t.parts));
	rc = !t.parts ? -ENOMEM : probe_dev_init(&d, fd);
	if (rc == 0)
		rc = probe_partitions(&d, &t);
	close(fd);
	for (unsigned i = 0; rc > 0 && i < t.n; i++)
		if (t.parts[i].number == bd->partn) {
			snprintf(bd->partuuid, sizeof(bd->partuuid), "%s",
				 t.parts[i].uuid);
			snprintf(bd->partlabel, sizeof(bd->partlabel), "%s",
				 t.parts[i].label);
		}
	free(t.parts);
	return rc < 0 ? rc : 0;
}

int
blockdev_probe(struct blockdev *bd, const char *devdir, unsigned need)
{
	int rc = 0;

	need &= ~bd->probed;
	if (need & BLOCKDEV_NEED_FS)
		rc = probe_fs(bd, devdir);
	if (rc == 0 && (need & BLOCKDEV_NEED_PART))
		rc = probe_part(bd, devdir);
	bd->probed |= need;
	bd->probe_error = rc;
	return rc;
}

bool
blockdev_parse_devnum(const char *s, unsigned *major, unsigned *minor)
{
	unsigned long long ma, mi;

	if (!number_scan(&s, 10, UINT32_MAX, &ma) || *s++ != ':' ||
	    !number_parse(s, 10, UINT32_MAX, &mi))
		return false;
	*major = (unsigned)ma;
	*minor = (unsigned)mi;
	return true;
}

int
blockdev_each(const char *sysfs, int (*fn)(void *ctx, const char *name),
	      void *ctx)
{
	DIR *d = opendir(sysfs);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -errno;
	while (rc == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.')
			rc = fn(ctx, e->d_name);
	closedir(d);
	return rc;
}
