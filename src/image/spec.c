/* spec.c - see spec.h. */
#include "image/spec.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
spec_init(struct spec_writer *s, FILE *f, const char *data_dir)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->data_dir = data_dir;
	s->mtime = -1;
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
put_mtime(struct spec_writer *s, const struct cpio_header *h)
{
	if (s->mtime != h->mtime)
		fprintf(s->f, "mtime %u\n", h->mtime);
	s->mtime = h->mtime;
}

static char *
group_key(const struct cpio_header *h)
{
	return xasprintf("%u:%u:%u", h->ino, h->devmajor, h->devminor);
}

/* The run as one file line; a group with names still to come stays
 * open for their hardlink lines. */
static void
flush_run(struct spec_writer *s)
{
	char *loc, *key;

	if (!s->nrun)
		return;
	loc = xasprintf("%s/", s->data_dir);
	put_mtime(s, &s->run);
	fputs("file", s->f);
	put_path(s->f, "/", s->run_names[0]);
	put_path(s->f, loc, s->run_names[0]);
	put_ids(s->f, &s->run);
	for (size_t i = 1; i < s->nrun; i++)
		put_path(s->f, "/", s->run_names[i]);
	fputc('\n', s->f);
	free(loc);
	if (s->nrun < s->run.nlink) {
		key = group_key(&s->run);
		xgrow((void **)&s->firsts, &s->firsts_cap, s->nfirsts + 1,
		      sizeof(char *));
		strset_put(&s->open, key, s->nfirsts);
		s->firsts[s->nfirsts++] = s->run_names[0];
		free(key);
	} else {
		free(s->run_names[0]);
	}
	for (size_t i = 1; i < s->nrun; i++)
		free(s->run_names[i]);
	s->nrun = 0;
}

/* A trailer ends every group: the kernel forgets its links there. */
static void
close_groups(struct spec_writer *s)
{
	flush_run(s);
	for (size_t i = 0; i < s->nfirsts; i++)
		free(s->firsts[i]);
	s->nfirsts = 0;
	strset_free(&s->open);
}

static bool
same_inode(const struct cpio_header *a, const struct cpio_header *b)
{
	return a->ino == b->ino && a->devmajor == b->devmajor &&
	       a->devminor == b->devminor;
}

static void
add_file(struct spec_writer *s, const struct cpio_entry *e)
{
	char *key;
	size_t first;
	bool open;

	if (s->nrun && same_inode(&s->run, &e->h)) {
		xgrow((void **)&s->run_names, &s->run_cap, s->nrun + 1,
		      sizeof(char *));
		s->run_names[s->nrun++] = xstrdup(e->name);
		return;
	}
	flush_run(s);
	key = group_key(&e->h);
	open = e->h.nlink > 1 && strset_get(&s->open, key, &first);
	free(key);
	if (open) {
		fputs("hardlink", s->f);
		put_path(s->f, "/", e->name);
		put_path(s->f, "/", s->firsts[first]);
		fputc('\n', s->f);
		return;
	}
	s->run = e->h;
	xgrow((void **)&s->run_names, &s->run_cap, 1, sizeof(char *));
	s->run_names[s->nrun++] = xstrdup(e->name);
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
		close_groups(s);
		return;
	}
	if (S_ISREG(type)) {
		add_file(s, e);
		return;
	}
	flush_run(s);
	if (!S_ISLNK(type) && !S_ISCHR(type) && !S_ISBLK(type) &&
	    !kinds[type >> 12]) {
		fprintf(s->f, "# %s: unknown type %06o\n", e->name, e->h.mode);
		return;
	}
	put_mtime(s, &e->h);
	if (S_ISLNK(type)) {
		fputs("slink", s->f);
		put_path(s->f, "/", e->name);
		put_path(s->f, "", e->target);
	} else if (S_ISCHR(type) || S_ISBLK(type)) {
		fputs("nod", s->f);
		put_path(s->f, "/", e->name);
	} else {
		fputs(kinds[type >> 12], s->f);
		put_path(s->f, "/", e->name);
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
	close_groups(s);
	free(s->run_names);
	free(s->firsts);
	s->run_names = NULL;
	s->firsts = NULL;
}
