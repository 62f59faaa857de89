/*
 * fuzz_elf.c - the ELF reader (elf_file.h) as `build --program` and
 * `--modules` use it: identification, the whole image parsed (program
 * and section headers, PT_INTERP, the dynamic section's DT_NEEDED,
 * RPATH, RUNPATH, SONAME), a module's .modinfo section walked as the
 * firmware look-up walks it, and the loader's architecture table.
 *
 * Checked promises: strings it returns are NUL-terminated inside the
 * image, and a section lies inside it.
 */
#include "fuzz.h"

#include "elf/elf_file.h"
#include "elf/ldso.h"

#include <string.h>

/* The image being read, for the bounds checks. */
struct span {
	const uint8_t *start, *end;
};

/* s is a string within the image. */
static void
check_string(const struct span *img, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;

	if (!s)
		return;
	if (p < img->start || p >= img->end ||
	    !memchr(p, '\0', (size_t)(img->end - p)))
		abort();
}

static void
walk_modinfo(const struct span *img, const struct elf_file *ef)
{
	const char *p, *end;
	volatile size_t sink = 0;
	size_t len;

	if (elf_section(ef, ".modinfo", (const void **)&p, &len) < 0 || !p)
		return;
	if ((const uint8_t *)p < img->start ||
	    len > (size_t)(img->end - (const uint8_t *)p))
		abort();
	for (end = p + len; p < end; p += strnlen(p, (size_t)(end - p)) + 1)
		sink += (size_t)(end - p) > 9 &&
			strncmp(p, "firmware=", 9) == 0;
	(void)sink;
}

static void
parse(const uint8_t *data, size_t size)
{
	const struct span img = { data, data + size };
	struct es_error err = { 0 };
	struct elf_file ef;
	char buf[32];

	memset(&ef, 0, sizeof(ef));
	if (elf_parse(&ef, data, size, "fuzz", &err) == 0) {
		check_string(&img, ef.interp);
		for (size_t i = 0; i < ef.nneeded; i++)
			check_string(&img, ef.needed[i]);
		check_string(&img, ef.rpath);
		check_string(&img, ef.runpath);
		check_string(&img, ef.soname);
		walk_modinfo(&img, &ef);
		(void)ldso_arch_of(&ef);
		(void)strlen(elf_class_name(ef.class));
		(void)strlen(elf_machine_name(ef.machine, buf, sizeof(buf)));
	}
	elf_close(&ef);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct es_error err = { 0 };
	struct elf_file ef;

	memset(&ef, 0, sizeof(ef));
	elf_read_ident(&ef, data,
		       size < ELF_IDENT_BYTES ? size : ELF_IDENT_BYTES, "fuzz",
		       &err);
	parse(data, size);
	return 0;
}
