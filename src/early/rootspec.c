/* rootspec.c - see rootspec.h. */
#include "early/rootspec.h"
#include "early/number.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *prefix;	/* "UUID=" or a udev link directory */
	enum rootspec_kind kind;
} tagged[] = {
	{ "UUID=", ROOT_UUID },
	{ "LABEL=", ROOT_LABEL },
	{ "PARTUUID=", ROOT_PARTUUID },
	{ "PARTLABEL=", ROOT_PARTLABEL },
	{ "/dev/disk/by-uuid/", ROOT_UUID },
	{ "/dev/disk/by-label/", ROOT_LABEL },
	{ "/dev/disk/by-partuuid/", ROOT_PARTUUID },
	{ "/dev/disk/by-partlabel/", ROOT_PARTLABEL },
};

static bool
set_value(struct rootspec *spec, enum rootspec_kind kind, const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= sizeof(spec->value))
		return false;
	memcpy(spec->value, v, n + 1);
	spec->kind = kind;
	return true;
}

/* PARTUUID=X/PARTNROFF=N; a UUID holds no '/'. */
static bool
parse_partuuid(struct rootspec *spec, const char *v)
{
	const char *off = strchr(v, '/'), *n;
	unsigned long long abs;
	bool negative;

	if (!off || strncmp(off, "/PARTNROFF=", 11) != 0)
		return set_value(spec, ROOT_PARTUUID, v);
	n = off + 11;
	negative = *n == '-';
	if (!number_parse(n + negative, 10, INT_MAX, &abs) ||
	    (size_t)(off - v) >= sizeof(spec->value))
		return false;
	spec->partnroff = negative ? -(int)abs : (int)abs;
	memcpy(spec->value, v, (size_t)(off - v));
	spec->value[off - v] = '\0';
	spec->kind = ROOT_PARTUUID;
	return spec->value[0] != '\0';
}

/* "8:1", or the kernel's encoded number in hex ("801", "0x0801"). */
static bool
parse_number(struct rootspec *spec, const char *s)
{
	unsigned long long v;

	if (blockdev_parse_devnum(s, &spec->major, &spec->minor)) {
		spec->kind = ROOT_DEVNUM;
		return true;
	}
	if (!number_parse(s, 16, UINT32_MAX, &v))
		return false;
	spec->major = (unsigned)((v & 0xfff00) >> 8);
	spec->minor = (unsigned)((v & 0xff) | ((v >> 12) & 0xfff00));
	spec->kind = ROOT_DEVNUM;
	return true;
}

bool
rootspec_parse(struct rootspec *spec, const char *s)
{
	bool ok;

	memset(spec, 0, sizeof(*spec));
	for (size_t i = 0; i < sizeof(tagged) / sizeof(*tagged); i++) {
		size_t n = strlen(tagged[i].prefix);

		if (strncmp(s, tagged[i].prefix, n) != 0)
			continue;
		ok = tagged[i].kind == ROOT_PARTUUID ? parse_partuuid(spec, s + n) :
			set_value(spec, tagged[i].kind, s + n);
		if (!ok)
			spec->kind = ROOT_NONE;
		return ok;
	}
	if (strcmp(s, "/dev/nfs") == 0) {
		spec->kind = ROOT_NFS;
		return true;
	}
	if (strncmp(s, "/dev/", 5) == 0)
		return set_value(spec, ROOT_NAME, s + 5);
	if (strchr(s, ':') || (*s && strspn(s, "0123456789abcdefABCDEFx") == strlen(s))) {
		if (parse_number(spec, s))
			return true;
		memset(spec, 0, sizeof(*spec));
		return false;
	}
	return *s && !strchr(s, '/') && set_value(spec, ROOT_NAME, s);
}

unsigned
rootspec_needs(const struct rootspec *spec)
{
	switch (spec->kind) {
	case ROOT_UUID:
	case ROOT_LABEL:
		return BLOCKDEV_NEED_FS;
	case ROOT_PARTUUID:
	case ROOT_PARTLABEL:
		return BLOCKDEV_NEED_PART;
	default:
		return 0;
	}
}

bool
rootspec_match(const struct rootspec *spec, const struct blockdev *bd)
{
	switch (spec->kind) {
	case ROOT_NAME:
		return strcmp(spec->value, bd->name) == 0;
	case ROOT_DEVNUM:
		return spec->major == bd->major && spec->minor == bd->minor;
	case ROOT_UUID:
		return strcasecmp(spec->value, bd->fs.uuid) == 0;
	case ROOT_LABEL:
		return strcmp(spec->value, bd->fs.label) == 0;
	case ROOT_PARTUUID:
		return strcasecmp(spec->value, bd->partuuid) == 0;
	case ROOT_PARTLABEL:
		return strcmp(spec->value, bd->partlabel) == 0;
	default:
		return false;
	}
}

const char *
rootspec_kind_name(enum rootspec_kind kind)
{
	static const char *const names[] = {
		[ROOT_NONE] = "none", [ROOT_NAME] = "device",
		[ROOT_DEVNUM] = "device number", [ROOT_UUID] = "UUID",
		[ROOT_LABEL] = "LABEL", [ROOT_PARTUUID] = "PARTUUID",
		[ROOT_PARTLABEL] = "PARTLABEL", [ROOT_NFS] = "NFS",
	};

	return names[kind];
}
