/* spec.c - see spec.h. */
#include "image/spec.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct spec_group {
	struct cpio_header h;	/* of the first name */
	char **names;
	size_t n, cap;
	size_t data;		/* index of the name that carried the data */
};

void
spec_init(struct spec_writer *s, FILE *f, const char *data_dir)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->data_dir = data_dir;
}

static void
put_path(FILE *f, const char *prefix, const char *name)
{
	fputc(' ', f);
	fputs(prefix, f);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p <= ' ' || *p == '\\' || *p >= 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
}

static void
put_ids(FILE *f, const struct cpio_header *h)
{
	fprintf(f, " %04o %u %u", h->mode & 07777, h->uid, h->gid);
}

static void
write_group(struct spec_writer *s, struct spec_group *g)
{
	char *loc = xasprintf("%s/", s->data_dir);

	fputs("file", s->f);
	put_path(s->f, "/", g->names[0]);
	put_path(s->f, loc, g->names[g->data]);
	put_ids(s->f, &g->h);
	for (size_t i = 1; i < g->n; i++)
		put_path(s->f, "/", g->names[i]);
	fputc('\n', s->f);
	free(loc);
	for (size_t i = 0; i < g->n; i++)
		free(g->names[i]);
	free(g->names);
}

static void
add_to_group(struct spec_writer *s, const struct cpio_entry *e)
{
	struct spec_group *g = NULL;

	for (size_t i = 0; i < s->ngroups && !g; i++) {
		struct cpio_header *h = &s->groups[i].h;

		if (h->ino == e->h.ino && h->devmajor == e->h.devmajor &&
		    h->devminor == e->h.devminor)
			g = &s->groups[i];
	}
	if (!g) {
		xgrow((void **)&s->groups, &s->cap, s->ngroups + 1, sizeof(*g));
		g = &s->groups[s->ngroups++];
		memset(g, 0, sizeof(*g));
		g->h = e->h;
	}
	xgrow((void **)&g->names, &g->cap, g->n + 1, sizeof(char *));
	if (e->h.filesize)
		g->data = g->n;
	g->names[g->n++] = xstrdup(e->name);
	if (g->n >= e->h.nlink) {
		write_group(s, g);
		*g = s->groups[--s->ngroups];
	}
}

static void
flush_groups(struct spec_writer *s)
{
	for (size_t i = 0; i < s->ngroups; i++)
		write_group(s, &s->groups[i]);
	s->ngroups = 0;
}

void
spec_entry(struct spec_writer *s, const struct cpio_entry *e)
{
	static const char *const kinds[16] = {
		[S_IFDIR >> 12] = "dir", [S_IFIFO >> 12] = "pipe",
		[S_IFSOCK >> 12] = "sock",
	};
	uint32_t type = e->h.mode & S_IFMT;

	if (e->trailer) {
		flush_groups(s);
		return;
	}
	if (S_ISREG(type)) {
		add_to_group(s, e);
		return;
	}
	if (S_ISLNK(type)) {
		fputs("slink", s->f);
		put_path(s->f, "/", e->name);
		put_path(s->f, "", e->target);
	} else if (S_ISCHR(type) || S_ISBLK(type)) {
		fputs("nod", s->f);
		put_path(s->f, "/", e->name);
	} else if (kinds[type >> 12]) {
		fputs(kinds[type >> 12], s->f);
		put_path(s->f, "/", e->name);
	} else {
		fprintf(s->f, "# %s: unknown type %06o\n", e->name, e->h.mode);
		return;
	}
	put_ids(s->f, &e->h);
	if (S_ISCHR(type) || S_ISBLK(type))
		fprintf(s->f, " %c %u %u", S_ISBLK(type) ? 'b' : 'c',
			e->h.rdevmajor, e->h.rdevminor);
	fputc('\n', s->f);
}

void
spec_finish(struct spec_writer *s)
{
	flush_groups(s);
	free(s->groups);
	s->groups = NULL;
}
