/* devfind.c - see devfind.h. */
#include "early/devfind.h"

#include <string.h>

void
devfind_init(struct devfind *f, const struct rootspec *spec,
	     struct blockdev *found)
{
	memset(f, 0, sizeof(*f));
	f->spec = spec;
	f->found = found;
}

static bool
is_sibling(const struct devfind *f, const struct blockdev *bd)
{
	return f->have_named && bd->partn &&
	       strcmp(bd->parent, f->named.parent) == 0 &&
	       (int)bd->partn == (int)f->named.partn + f->spec->partnroff;
}

static int
consider_cb(void *ctx, const char *name)
{
	return devfind_consider(ctx, name);
}

bool
devfind_consider(struct devfind *f, const char *name)
{
	struct blockdev bd;

	if (f->have || blockdev_read(&bd, DEVFIND_SYSFS, name) < 0)
		return f->have;
	if (is_sibling(f, &bd)) {
		*f->found = bd;
		return f->have = true;
	}
	if (f->have_named)
		return false;
	blockdev_probe(&bd, DEVFIND_DEV, rootspec_needs(f->spec));
	if (!rootspec_match(f->spec, &bd))
		return false;
	if (f->spec->kind == ROOT_PARTUUID && f->spec->partnroff) {
		f->named = bd;
		f->have_named = true;
		return devfind_scan(f);	/* the sibling may be there already */
	}
	*f->found = bd;
	return f->have = true;
}

bool
devfind_scan(struct devfind *f)
{
	return blockdev_each(DEVFIND_SYSFS, consider_cb, f) > 0 || f->have;
}
