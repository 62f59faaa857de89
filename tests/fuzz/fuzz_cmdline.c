/*
 * fuzz_cmdline.c - the kernel command line as kinit reads it
 * (cmdline.h) and the parameters it then parses: root= and resume=
 * (rootspec.h, matched against a fixed device), ip= (ipspec.h),
 * nfsroot= with a DHCP root path and the mount options it gives
 * (nfsspec.h), and root= as nfsmount's SERVER:/PATH argument.
 *
 * The input is the command line; rootflags= stands in for the DHCP
 * root path (option 17), and rw/ro choose whether a boot server is
 * known, so one input reaches every branch of nfs_spec_root. Words are
 * also split into buffers of 1, 3 and 64 bytes, where they are cut.
 */
#include "fuzz.h"

#include "early/cmdline.h"
#include "early/ipspec.h"
#include "early/nfsspec.h"
#include "early/rootspec.h"

#include <string.h>

static void
split_small(const char *text, size_t size)
{
	char word[64];
	const char *pos = text;

	while (cmdline_next_word(&pos, word, size)) {
		if (strlen(word) >= size)
			abort();
	}
}

static void
root_device(const char *s)
{
	static const struct blockdev bd = {
		.name = "vda2", .parent = "vda", .major = 254, .minor = 2,
		.partn = 2, .fs = { .type = "ext4", .label = "root",
		.uuid = "0e3b5a36-5a8b-4e24-a0b2-3c6d7f6e9a11" },
		.partuuid = "6c3f8a11-02", .partlabel = "rootfs",
	};
	struct rootspec spec;

	if (rootspec_parse(&spec, s)) {
		(void)rootspec_needs(&spec);
		(void)rootspec_match(&spec, &bd);
	}
	(void)strlen(rootspec_kind_name(spec.kind));
}

static void
nfs_root(const struct boot_params *p)
{
	struct es_error err = { 0 };
	struct nfs_spec spec;
	struct nfs_mount_args a;

	if (nfs_spec_root(&spec, p->nfsroot[0] ? p->nfsroot : NULL,
			  p->rootflags, "10.0.2.15",
			  p->read_write ? "10.0.2.2" : "", &err) == 0)
		nfs_mount_args(&a, spec.options, spec.server, "10.0.2.15",
			       &err);
	es_clear(&err);
	nfs_spec_source(&spec, p->root, &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct boot_params p;
	struct ip_spec ip;
	struct es_error err = { 0 };

	if (!text)
		fuzz_die("malloc");
	memcpy(text, data, size);
	text[size] = '\0';
	boot_params_init(&p);
	boot_params_parse(&p, text);
	(void)strlen(break_point_name(p.break_at));
	root_device(p.root);
	root_device(p.resume);
	ip_spec_parse(&ip, p.ip, IP_CAP_ANY, &err);
	nfs_root(&p);
	split_small(text, 1);
	split_small(text, 3);
	split_small(text, 64);
	free(text);
	return 0;
}
