/*
 * ldso.c - see ldso.h. The cache is read in the host's byte order (it
 * is the host's file); every count and string offset in it is checked
 * against the file's size before use.
 */
#include "elf/ldso.h"
#include "base/xalloc.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* glibc's cache layout (dl-cache.h): headers and entry sizes. */
#define OLD_MAGIC "ld.so-1.7.0"
#define OLD_HDR 16		/* magic, padding, nlibs */
#define OLD_ENT 12		/* flags, key, value */
#define NEW_MAGIC "glibc-ld.so.cache1.1"
#define NEW_HDR 48		/* magic+version, nlibs, len_strings, flags,
				 * extension offset, unused */
#define NEW_ENT 24		/* flags, key, value, osversion, hwcap */
#define NEW_NLIBS 20		/* offsets in the new header */
#define NEW_FLAGS 28
#define ENDIAN_MASK 3		/* in the flags byte: 0 unset, 1 invalid, */
#define ENDIAN_LITTLE 2		/* 2 little, 3 big */
#define ENDIAN_BIG 3

/* The multiarch triplets Debian uses and each port's cache flags (glibc
 * sysdeps/generic/ldconfig.h FLAG_*; FLAG_ELF_LIBC6 is 3, FLAG_ELF 1).
 * The first match wins, so ARM soft-float comes before the default. */
static const struct ldso_arch arches[] = {
	{ ELFCLASS64, 0, EM_X86_64, 0, 0, "x86_64-linux-gnu", "x86_64",
	  0x0303, 0 },
	{ ELFCLASS32, 0, EM_X86_64, 0, 0, "x86_64-linux-gnux32", "x86_64",
	  0x0803, 0 },
	{ ELFCLASS32, 0, EM_386, 0, 0, "i386-linux-gnu", "i686", 3, 1 },
	{ ELFCLASS64, 0, EM_AARCH64, 0, 0, "aarch64-linux-gnu", "aarch64",
	  0x0a03, 0 },
	{ ELFCLASS32, 0, EM_ARM, EF_ARM_ABI_FLOAT_SOFT, EF_ARM_ABI_FLOAT_SOFT,
	  "arm-linux-gnueabi", NULL, 0x0b03, 3 },
	{ ELFCLASS32, 0, EM_ARM, 0, 0, "arm-linux-gnueabihf", NULL, 0x0903,
	  3 },
	{ ELFCLASS64, 0, EM_RISCV, EF_RISCV_FLOAT_ABI,
	  EF_RISCV_FLOAT_ABI_DOUBLE, "riscv64-linux-gnu", NULL, 0x1003, 0 },
	{ ELFCLASS64, ELFDATA2LSB, EM_PPC64, 0, 0, "powerpc64le-linux-gnu",
	  NULL, 0x0503, 0 },
	{ ELFCLASS64, ELFDATA2MSB, EM_PPC64, 0, 0, "powerpc64-linux-gnu",
	  NULL, 0x0503, 0 },
	{ ELFCLASS32, ELFDATA2MSB, EM_PPC, 0, 0, "powerpc-linux-gnu", NULL,
	  3, 1 },
	{ ELFCLASS64, ELFDATA2MSB, EM_S390, 0, 0, "s390x-linux-gnu", NULL,
	  0x0403, 0 },
	{ ELFCLASS64, ELFDATA2MSB, EM_SPARCV9, 0, 0, "sparc64-linux-gnu",
	  NULL, 0x0103, 0 },
};

const struct ldso_arch *
ldso_arch_of(const struct elf_file *ef)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		const struct ldso_arch *a = &arches[i];

		if (a->class == ef->class && a->machine == ef->machine &&
		    (!a->data || a->data == ef->data) &&
		    (ef->flags & a->flag_mask) == a->flag_value)
			return a;
	}
	return NULL;
}

char *
ldso_default_dirs(const struct ldso_config *cfg, const struct ldso_arch *arch)
{
	if (cfg->default_dirs)
		return xstrdup(cfg->default_dirs);
	if (!arch)
		return xstrdup("/lib:/usr/lib");
	return xasprintf("/lib/%s:/usr/lib/%s:/lib:/usr/lib", arch->triplet,
			 arch->triplet);
}

static uint32_t
rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The new-format table whose header is at off. */
static int
use_new(struct ldso *l, size_t off, struct es_error *e)
{
	const unsigned char *p = (const unsigned char *)l->map + off;
	size_t room = l->map_len - off - NEW_HDR;
	uint32_t n = rd32(p + NEW_NLIBS);
	unsigned endian = p[NEW_FLAGS] & ENDIAN_MASK;
	unsigned host = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
			ENDIAN_LITTLE : ENDIAN_BIG;

	if (endian != 0 && endian != host)
		return es_fail(e, EINVAL, "%s: ld.so.cache for another byte "
			       "order (flags %u); run ldconfig", l->cfg.cache,
			       p[NEW_FLAGS]);
	if (n > room / NEW_ENT)
		return es_fail(e, EINVAL, "%s: corrupt ld.so.cache (%u entries"
			       " in %zu bytes); run ldconfig", l->cfg.cache, n,
			       room);
	l->entries = p + NEW_HDR;
	l->nentries = n;
	l->entsize = NEW_ENT;
	/* New-format string offsets count from the new header. */
	l->strings = (const char *)p;
	l->strings_len = l->map_len - off;
	return 0;
}

/* The old table, and the new one if it follows (8-byte aligned). */
static int
use_old(struct ldso *l, struct es_error *e)
{
	const unsigned char *p = l->map;
	uint32_t n = rd32(p + OLD_HDR - 4);
	size_t end, next;

	if (n > (l->map_len - OLD_HDR) / OLD_ENT)
		return es_fail(e, EINVAL, "%s: corrupt ld.so.cache (%u old "
			       "entries in %zu bytes); run ldconfig",
			       l->cfg.cache, n, l->map_len);
	end = OLD_HDR + (size_t)n * OLD_ENT;
	next = (end + 7) & ~(size_t)7;
	if (next <= l->map_len && l->map_len - next >= NEW_HDR &&
	    memcmp(p + next, NEW_MAGIC, strlen(NEW_MAGIC)) == 0)
		return use_new(l, next, e);
	l->entries = p + OLD_HDR;
	l->nentries = n;
	l->entsize = OLD_ENT;
	l->strings = (const char *)p + end;
	l->strings_len = l->map_len - end;
	return 0;
}

static int
parse_cache(struct ldso *l, struct es_error *e)
{
	if (l->map_len >= NEW_HDR &&
	    memcmp(l->map, NEW_MAGIC, strlen(NEW_MAGIC)) == 0)
		return use_new(l, 0, e);
	if (l->map_len >= OLD_HDR &&
	    memcmp(l->map, OLD_MAGIC, strlen(OLD_MAGIC)) == 0)
		return use_old(l, e);
	return es_fail(e, EINVAL, "%s: not an ld.so.cache; run ldconfig",
		       l->cfg.cache);
}

/* Maps the cache; *missing when it does not exist. */
static int
map_cache(struct ldso *l, bool *missing, struct es_error *e)
{
	const char *path = l->cfg.cache;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int err = 0;

	*missing = fd < 0 && errno == ENOENT;
	if (*missing)
		return 0;
	if (fd < 0)
		return es_fail(e, errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		err = es_fail(e, errno, "%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
		 (uint64_t)st.st_size > SIZE_MAX)
		err = es_fail(e, EINVAL, "%s: not an ld.so.cache", path);
	if (!err) {
		l->map = mmap(NULL, (size_t)st.st_size, PROT_READ,
			      MAP_PRIVATE, fd, 0);
		if (l->map == MAP_FAILED) {
			l->map = NULL;
			err = es_fail(e, errno, "%s: %s", path,
				      strerror(errno));
		} else {
			l->map_len = (size_t)st.st_size;
		}
	}
	close(fd);
	return err ? err : parse_cache(l, e);
}

int
ldso_open(struct ldso *l, const struct ldso_config *cfg, struct es_error *e)
{
	bool missing = true;
	int err = 0;

	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	if (cfg->cache)
		err = map_cache(l, &missing, e);
	if (err || !missing || !cfg->conf)
		return err;
	return ldso_read_conf(cfg->conf, &l->conf_dirs, &l->nconf_dirs, e);
}

void
ldso_close(struct ldso *l)
{
	if (l->map)
		munmap(l->map, l->map_len);
	ldso_free_dirs(l->conf_dirs, l->nconf_dirs);
	memset(l, 0, sizeof(*l));
}

int
ldso_libcmp(const char *a, const char *b)
{
	while (*a) {
		bool da = isdigit((unsigned char)*a);
		bool db = isdigit((unsigned char)*b);

		if (da && db) {
			char *ea, *eb;
			unsigned long long va = strtoull(a, &ea, 10);
			unsigned long long vb = strtoull(b, &eb, 10);

			if (va != vb)
				return va < vb ? -1 : 1;
			a = ea;
			b = eb;
		} else if (da != db) {
			return da ? 1 : -1;	/* digits after the rest */
		} else if (*a != *b) {
			return (unsigned char)*a - (unsigned char)*b;
		} else {
			a++;
			b++;
		}
	}
	return *b ? -1 : 0;
}

/* The string at offset off of the cache's string table, if it is one. */
static const char *
cache_string(const struct ldso *l, uint32_t off)
{
	if (off >= l->strings_len ||
	    !memchr(l->strings + off, '\0', l->strings_len - off))
		return NULL;
	return l->strings + off;
}

/* ld.so takes the first entry of that name its port accepts (search_cache
 * in elf/dl-cache.c); hwcap entries are left out here (see ldso.h). */
const char *
ldso_cache_lookup(const struct ldso *l, const char *name,
		  const struct ldso_arch *arch)
{
	for (size_t i = 0; arch && i < l->nentries; i++) {
		const unsigned char *ent = l->entries + i * l->entsize;
		int32_t flags = (int32_t)rd32(ent);
		const char *key = cache_string(l, rd32(ent + 4));
		const char *value = cache_string(l, rd32(ent + 8));

		if (!key || !value || ldso_libcmp(name, key) != 0)
			continue;
		if (l->entsize == NEW_ENT && rd64(ent + 16) != 0)
			continue;
		if (flags == arch->cache_flags ||
		    (arch->cache_flags_alt && flags == arch->cache_flags_alt))
			return value;
	}
	return NULL;
}
