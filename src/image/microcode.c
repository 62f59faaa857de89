/* microcode.c - see microcode.h. */
#include "image/microcode.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The updates of one vendor, concatenated. */
struct blob {
	const char *name;	/* in the image */
	uint8_t *p;
	size_t len;
};

enum { INTEL, AMD };

static const uint8_t amd_magic[4] = { 'D', 'M', 'A', 0 };

/* Reads path whole into *p (at most MICROCODE_MAX bytes). */
static int
read_whole(struct builder *b, const char *path, uint8_t **p, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t r = 0;

	*p = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		goto fail;
	if ((uint64_t)st.st_size > MICROCODE_MAX) {
		close(fd);
		return es_fail(&b->err, EFBIG, "%s: microcode over %u MiB",
			       path, MICROCODE_MAX >> 20);
	}
	*p = xmalloc((size_t)st.st_size + 1);
	while (*len < (size_t)st.st_size) {
		r = read(fd, *p + *len, (size_t)st.st_size - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*len += (size_t)r;
	}
	if (r < 0)
		goto fail;
	close(fd);
	return 0;
fail:
	r = errno;
	if (fd >= 0)
		close(fd);
	free(*p);
	*p = NULL;
	return es_fail(&b->err, (int)r, "%s: %s", path, strerror((int)r));
}

static int
add_file(struct builder *b, const char *path, struct blob v[2])
{
	uint8_t *p;
	size_t len;
	struct blob *to;

	if (read_whole(b, path, &p, &len) < 0)
		return -b->err.code;
	to = len >= 4 && !memcmp(p, amd_magic, 4) ? &v[AMD] : &v[INTEL];
	if (len > MICROCODE_MAX - to->len) {
		free(p);
		return es_fail(&b->err, EFBIG, "%s: microcode over %u MiB in all",
			       path, MICROCODE_MAX >> 20);
	}
	to->p = xrealloc(to->p, to->len + len + 1);
	memcpy(to->p + to->len, p, len);
	to->len += len;
	free(p);
	return 0;
}

static int
by_name(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

static int
add_dir(struct builder *b, const char *dir, struct blob v[2])
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name), rc = 0;

	if (n < 0)
		return es_fail(&b->err, errno, "%s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, ents[i]->d_name);
		struct stat st;

		if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = add_file(b, path, v);
		free(path);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
microcode_add(struct builder *b, char *const *paths, int n)
{
	struct blob v[2] = {
		[INTEL] = { MICROCODE_DIR "/GenuineIntel.bin" },
		[AMD] = { MICROCODE_DIR "/AuthenticAMD.bin" },
	};
	int rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		struct stat st;

		if (stat(paths[i], &st) < 0)
			rc = es_fail(&b->err, errno, "%s: %s", paths[i], strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = add_dir(b, paths[i], v);
		else
			rc = add_file(b, paths[i], v);
	}
	for (int k = 0; k < 2; k++) {
		struct build_entry e = {
			.name = v[k].name, .mode = S_IFREG | 0644,
			.mtime = BUILD_NO_MTIME, .data = true,
			.bytes = v[k].p, .nbytes = (uint32_t)v[k].len,
		};

		if (rc == 0 && v[k].len)
			rc = builder_add(b, &e);
		free(v[k].p);
	}
	return rc;
}
