/* nfsspec.c - see nfsspec.h. */
#include "early/nfsspec.h"
#include "early/number.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* Copies len bytes of src into dst[size]; -EINVAL when they do not fit. */
static int
copy(char *dst, size_t size, const char *src, size_t len, const char *what,
     struct es_error *err)
{
	if (len >= size)
		return es_fail(err, EINVAL, "%s longer than %zu bytes", what, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/* The end of a "SERVER:" prefix of s (a name or address, or [IPv6]),
 * or NULL when s does not start with one. */
static const char *
server_end(const char *s)
{
	const char *colon;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		return close && close[1] == ':' ? close + 1 : NULL;
	}
	colon = strchr(s, ':');
	if (!colon || colon == s || memchr(s, '/', (size_t)(colon - s)) ||
	    memchr(s, ',', (size_t)(colon - s)))
		return NULL;
	return colon;
}

int
nfs_spec_source(struct nfs_spec *spec, const char *source, struct es_error *err)
{
	const char *end = server_end(source);
	int rc;

	memset(spec, 0, sizeof(*spec));
	if (!end || end[1] != '/')
		return es_fail(err, EINVAL, "%s: not SERVER:/PATH", source);
	if ((rc = copy(spec->server, sizeof(spec->server), source,
		       (size_t)(end - source), "server", err)) < 0)
		return rc;
	return copy(spec->path, sizeof(spec->path), end + 1, strlen(end + 1), "path", err);
}

/* Appends ",word" (or word to an empty list) to list[size]. */
static int
append(char *list, size_t size, const char *word, size_t len, struct es_error *err)
{
	size_t used = strlen(list);

	if (!len)
		return 0;
	if (used + !!used + len >= size)
		return es_fail(err, EINVAL, "options longer than %zu bytes", size - 1);
	if (used)
		list[used++] = ',';
	memcpy(list + used, word, len);
	list[used + len] = '\0';
	return 0;
}

/* One "[SERVER:]DIR[,OPTIONS]" (nfsroot= or the DHCP root path) over
 * what spec holds: its server and directory replace, its options add. */
static int
root_layer(struct nfs_spec *spec, const char *s, struct es_error *err)
{
	const char *end = server_end(s), *comma;
	size_t dir_len;
	int rc;

	if (end) {
		if ((rc = copy(spec->server, sizeof(spec->server), s, (size_t)(end - s),
			       "server", err)) < 0)
			return rc;
		s = end + 1;
	}
	comma = strchr(s, ',');
	dir_len = comma ? (size_t)(comma - s) : strlen(s);
	if (dir_len && strncmp(s, "default", dir_len) != 0) {
		if (*s == '/')
			rc = copy(spec->path, sizeof(spec->path), s, dir_len, "path", err);
		else	/* the kernel's rule: a bare name is under /tftpboot */
			rc = snprintf(spec->path, sizeof(spec->path), "/tftpboot/%.*s",
				      (int)dir_len, s) < (int)sizeof(spec->path) ? 0 :
				es_fail(err, EINVAL, "path too long");
		if (rc < 0)
			return rc;
	}
	return comma ? append(spec->options, sizeof(spec->options), comma + 1,
			      strlen(comma + 1), err) : 0;
}

/* spec->path with each "%s" replaced by client. */
static int
expand_client(struct nfs_spec *spec, const char *client, struct es_error *err)
{
	char out[NFS_PATH_MAX];
	size_t n = 0, clen = strlen(client);

	for (const char *p = spec->path; *p; p++) {
		const char *piece = p;
		size_t len = 1;

		if (p[0] == '%' && p[1] == 's') {
			piece = client;
			len = clen;
			p++;
		}
		if (n + len >= sizeof(out))
			return es_fail(err, EINVAL, "path too long with %%s expanded");
		memcpy(out + n, piece, len);
		n += len;
	}
	out[n] = '\0';
	memcpy(spec->path, out, n + 1);
	return 0;
}

int
nfs_spec_root(struct nfs_spec *spec, const char *nfsroot, const char *root_path,
	      const char *client, const char *boot_server, struct es_error *err)
{
	int rc = 0;

	memset(spec, 0, sizeof(*spec));
	strcpy(spec->path, "/tftpboot/%s");
	if (root_path && *root_path)
		rc = root_layer(spec, root_path, err);
	if (rc == 0 && nfsroot)
		rc = root_layer(spec, nfsroot, err);
	if (rc == 0 && !spec->server[0])
		rc = copy(spec->server, sizeof(spec->server), boot_server,
			  strlen(boot_server), "server", err);
	if (rc == 0 && !spec->server[0])
		rc = es_fail(err, EINVAL, "no NFS server: give nfsroot=SERVER:DIR or one by DHCP");
	return rc < 0 ? rc : expand_client(spec, client, err);
}

/* klibc's numeric options: their values must be numbers (u32, as C
 * writes them, as the kernel reads them). */
static const char *const numeric[] = {
	"port", "rsize", "wsize", "timeo", "retrans",
	"acregmin", "acregmax", "acdirmin", "acdirmax",
};
static const char *const versions[] = { "2", "3", "4", "4.0", "4.1", "4.2" };

static bool
one_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

struct seen {
	bool vers, lock, v4;
};

/* One option word: rewritten for the kernel into a->data, or taken as
 * a flag. */
static int
option(struct nfs_mount_args *a, struct seen *seen, const char *w, size_t len,
       struct es_error *err)
{
	char word[NFS_OPTIONS_MAX], *value;
	unsigned long long v;

	if (len >= sizeof(word))
		return es_fail(err, EINVAL, "options longer than %zu bytes", sizeof(word) - 1);
	memcpy(word, w, len);
	word[len] = '\0';
	if (strcmp(word, "ro") == 0 || strcmp(word, "rw") == 0) {
		a->flags = word[1] == 'o' ? a->flags | MS_RDONLY : a->flags & ~MS_RDONLY;
		return 0;
	}
	if (strcmp(word, "broken_suid") == 0)
		return 0;	/* klibc's; the kernel has no such option */
	if (strcmp(word, "v2") == 0 || strcmp(word, "v3") == 0)
		snprintf(word, sizeof(word), "vers=%c", w[1]);
	if ((value = strchr(word, '=')))
		*value++ = '\0';
	if (one_of(word, numeric, sizeof(numeric) / sizeof(numeric[0])) &&
	    (!value || !number_parse(value, 0, UINT32_MAX, &v)))
		return es_fail(err, EINVAL, "%.*s: not a number", (int)len, w);
	if (strcmp(word, "vers") == 0 || strcmp(word, "nfsvers") == 0) {
		if (!value || !one_of(value, versions, sizeof(versions) / sizeof(versions[0])))
			return es_fail(err, EINVAL, "%.*s: not an NFS version (2, 3, 4, 4.0, 4.1, 4.2)",
				       (int)len, w);
		seen->vers = true;
		seen->v4 = *value == '4';
	}
	if (strcmp(word, "lock") == 0 || strcmp(word, "nolock") == 0)
		seen->lock = true;
	if (value)
		value[-1] = '=';
	return append(a->data, sizeof(a->data), word, strlen(word), err);
}

int
nfs_mount_args(struct nfs_mount_args *a, const char *options,
	       const char *server_addr, const char *client_addr,
	       struct es_error *err)
{
	struct seen seen = { false, false, false };
	char extra[128];
	int rc = 0;

	memset(a, 0, sizeof(*a));
	for (const char *p = options; *p && rc == 0;) {
		size_t len = strcspn(p, ",");

		if (len)
			rc = option(a, &seen, p, len, err);
		p += len;
		p += *p == ',';
	}
	if (rc < 0)
		return rc;
	if (!seen.vers)
		rc = append(a->data, sizeof(a->data), "vers=3", 6, err);
	if (rc == 0 && !seen.v4 && !seen.lock)
		rc = append(a->data, sizeof(a->data), "nolock", 6, err);
	snprintf(extra, sizeof(extra), "addr=%s", server_addr);
	if (rc == 0)
		rc = append(a->data, sizeof(a->data), extra, strlen(extra), err);
	if (rc == 0 && seen.v4 && *client_addr) {
		snprintf(extra, sizeof(extra), "clientaddr=%s", client_addr);
		rc = append(a->data, sizeof(a->data), extra, strlen(extra), err);
	}
	a->type = seen.v4 ? "nfs4" : "nfs";
	return rc;
}
