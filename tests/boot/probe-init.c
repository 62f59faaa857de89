/*
 * probe-init: a test-only /init that reports the tree the kernel unpacked.
 *
 * As PID 1 it walks "/" (staying on the rootfs), prints one line per path
 * on fd 1 (the kernel opens /dev/console on fds 0-2) between the lines
 * PROBE-BEGIN and PROBE-END, and powers the machine off. Run on the host
 * as `probe-init DIR`, it prints the same lines for DIR without markers,
 * so a test can describe a source tree exactly as the guest describes
 * what the kernel made of the image.
 *
 * A line, fields separated by tabs, sorted byte-wise by path:
 *   PATH TYPE MODE UID:GID SIZE NLINK LINK RDEV MTIME CKSUM TARGET
 * PATH is relative to the walked root (".", "init", "dev/console"); bytes
 * outside printable ASCII, and the backslash, are written as \ooo.
 * TYPE is find's %y letter (f d l c b p s). MODE is the permission bits
 * in 4-digit octal. SIZE is st_size for files and symlinks. NLINK is
 * st_nlink for everything but directories (their count is the
 * filesystem's business). LINK is, for a non-directory with more than
 * one name, the byte-wise first of its names. RDEV is "MAJ,MIN" for
 * devices. MTIME is st_mtime in seconds ("-" for the root, whose mtime
 * is the time of the boot). CKSUM is the CRC that POSIX
 * cksum(1) prints for a regular file's content. TARGET is a symlink's
 * target. A field that does not apply is "-".
 *
 * Limits: at most PROBE_MAX entries; no kernel headers (Debian's musl-gcc
 * does not see them), only libc.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PROBE_MAX 4096

struct entry {
	char *path;		/* relative to the root, escaped */
	const char *first;	/* first name of the same inode, or NULL */
	struct stat st;
	char *target;		/* symlink target, escaped */
	unsigned long crc;
	int crc_ok;
};

struct probe {
	struct entry ent[PROBE_MAX];
	size_t n;
	size_t rootlen;
	int overflow;
};

/* nftw passes no context: this is the one file-scope pointer. */
static struct probe *the_probe;

static unsigned long crc_table[256];

static void
crc_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint32_t c = (uint32_t)i << 24;
		for (int k = 0; k < 8; k++)
			c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
		crc_table[i] = c;
	}
}

static uint32_t
crc_add(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--)
		crc = (crc << 8) ^ (uint32_t)crc_table[((crc >> 24) ^ *p++) & 0xff];
	return crc;
}

/* POSIX cksum: CRC of the data, then of the length's significant bytes. */
static int
cksum_file(const char *path, unsigned long *out)
{
	unsigned char buf[65536], lb;
	uint32_t crc = 0;
	unsigned long long len = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		crc = crc_add(crc, buf, (size_t)r);
		len += (unsigned long long)r;
	}
	close(fd);
	if (r < 0)
		return -1;
	for (; len; len >>= 8) {
		lb = len & 0xff;
		crc = crc_add(crc, &lb, 1);
	}
	*out = ~crc & 0xffffffffu;
	return 0;
}

static char *
escape(const char *s, size_t n)
{
	char *out = malloc(n * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\')
			o += sprintf(o, "\\%03o", c);
		else
			*o++ = (char)c;
	}
	*o = 0;
	return out;
}

static int
visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct probe *p = the_probe;
	struct entry *e;
	const char *rel = path + p->rootlen;

	(void)flag;
	(void)ftw;
	if (p->n == PROBE_MAX) {
		p->overflow = 1;
		return 1;
	}
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	e = &p->ent[p->n++];
	memset(e, 0, sizeof *e);
	e->st = *st;
	e->path = escape(rel, strlen(rel));
	if (S_ISLNK(st->st_mode)) {
		char t[4096];
		ssize_t r = readlink(path, t, sizeof t);
		e->target = escape(t, r < 0 ? 0 : (size_t)r);
	} else if (S_ISREG(st->st_mode)) {
		e->crc_ok = cksum_file(path, &e->crc) == 0;
	}
	return 0;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
		      ((const struct entry *)b)->path);
}

static void
print_entry(FILE *f, const struct entry *e)
{
	const struct stat *st = &e->st;
	int dir = S_ISDIR(st->st_mode);
	char type = S_ISREG(st->st_mode) ? 'f' : dir ? 'd' :
		S_ISLNK(st->st_mode) ? 'l' : S_ISCHR(st->st_mode) ? 'c' :
		S_ISBLK(st->st_mode) ? 'b' : S_ISFIFO(st->st_mode) ? 'p' :
		S_ISSOCK(st->st_mode) ? 's' : '?';

	fprintf(f, "%s\t%c\t%04o\t%lu:%lu\t", e->path, type,
		(unsigned)(st->st_mode & 07777),
		(unsigned long)st->st_uid, (unsigned long)st->st_gid);
	if (type == 'f' || type == 'l')
		fprintf(f, "%lld\t", (long long)st->st_size);
	else
		fputs("-\t", f);
	if (dir)
		fputs("-\t", f);
	else
		fprintf(f, "%lu\t", (unsigned long)st->st_nlink);
	fprintf(f, "%s\t", e->first ? e->first : "-");
	if (type == 'c' || type == 'b')
		fprintf(f, "%u,%u\t", major(st->st_rdev), minor(st->st_rdev));
	else
		fputs("-\t", f);
	if (strcmp(e->path, ".") == 0)
		fputs("-\t", f);
	else
		fprintf(f, "%lld\t", (long long)st->st_mtime);
	if (type != 'f')
		fputs("-\t", f);
	else if (e->crc_ok)
		fprintf(f, "%lu\t", e->crc);
	else
		fputs("unreadable\t", f);
	fprintf(f, "%s\n", e->target ? e->target : "-");
}

static int
probe_run(struct probe *p, const char *root)
{
	p->rootlen = strlen(root);
	the_probe = p;
	if (nftw(root, visit, 16, FTW_PHYS | FTW_MOUNT) < 0 && !p->overflow)
		return -1;
	qsort(p->ent, p->n, sizeof p->ent[0], by_path);
	/* Sorted, so the first name met for an inode is the byte-wise first. */
	for (size_t i = 0; i < p->n; i++) {
		struct entry *e = &p->ent[i];
		if (S_ISDIR(e->st.st_mode) || e->st.st_nlink < 2)
			continue;
		for (size_t j = 0; j < i && !e->first; j++)
			if (p->ent[j].st.st_ino == e->st.st_ino &&
			    p->ent[j].st.st_dev == e->st.st_dev)
				e->first = p->ent[j].first ? p->ent[j].first : p->ent[j].path;
		if (!e->first)
			e->first = e->path;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct probe p;
	int pid1 = getpid() == 1;
	const char *root = argc > 1 ? argv[1] : "/";

	crc_init();
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (pid1) {
		/* Keep kernel messages from landing inside the report. */
		klogctl(8, NULL, 1);	/* SYSLOG_ACTION_CONSOLE_LEVEL */
		printf("\nPROBE-BEGIN\n");
	}
	if (probe_run(&p, root) < 0)
		printf("PROBE-ERROR cannot walk %s\n", root);
	for (size_t i = 0; i < p.n; i++)
		print_entry(stdout, &p.ent[i]);
	if (p.overflow)
		printf("PROBE-ERROR more than %d entries\n", PROBE_MAX);
	if (!pid1)
		return fflush(stdout) == 0 && !p.overflow ? 0 : 1;
	printf("PROBE-END\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* PID 1 must not exit: the kernel would panic. */
	for (;;)
		pause();
}
