/*
 * softdep.c - modules.softdep: "softdep PATTERN [pre: NAME...]
 * [post: NAME...]", read as kmod 30 reads it (libkmod-config.c
 * kmod_config_add_softdep): PATTERN normalised, "pre:" and "post:" must
 * stand alone, names before either are ignored, and a module takes only
 * the first line whose PATTERN fnmatches its name
 * (kmod_module_get_softdeps). Debian's file has lines such as
 * "softdep cifs gcm" (no "pre:") and several lines for one module;
 * kmod, and so this index, use none but the first.
 * Known limit: only softdep lines; modprobe.d's other commands (alias,
 * options, install, blacklist) are refused here.
 */
#include "kmod/glob.h"
#include "kmod/internal.h"
#include "base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void
push(char ***v, uint32_t *n, size_t *cap, char *s)
{
	xgrow((void **)v, cap, *n + 1, sizeof(char *));
	(*v)[(*n)++] = s;
}

/* The names after PATTERN into sd. */
static void
softdep_names(struct kmod_index *ix, struct kmod_softdep *sd, char *rest)
{
	enum { NONE, PRE, POST } mode = NONE;
	size_t precap = 0, postcap = 0;
	char *tok;

	while ((tok = kmod_token(&rest))) {
		if (strcmp(tok, "pre:") == 0)
			mode = PRE;
		else if (strcmp(tok, "post:") == 0)
			mode = POST;
		else if (mode == PRE)
			push(&sd->pre, &sd->npre, &precap, kmod_keep(ix, xstrdup(tok)));
		else if (mode == POST)
			push(&sd->post, &sd->npost, &postcap, kmod_keep(ix, xstrdup(tok)));
	}
}

static int
softdep_line(struct kmod_index *ix, size_t *cap, struct kmod_lines *it,
	     char *line)
{
	char pattern[KMOD_PATH_MAX], *text, *cmd, *mod;
	struct kmod_softdep *sd;

	while (kmod_blank(*line))
		line++;
	if (!*line || *line == '#')
		return 0;
	text = kmod_keep(ix, xstrdup(line));
	cmd = kmod_token(&line);
	mod = kmod_token(&line);
	while (kmod_blank(*line))
		line++;
	if (strcmp(cmd, "softdep") != 0 || !mod || !*line)
		return kmod_lines_fail(it, "expected 'softdep MODULE [pre: NAME...] [post: NAME...]'");
	if (strlen(mod) >= sizeof(pattern))
		return kmod_lines_fail(it, "a pattern longer than %u bytes",
				       KMOD_PATH_MAX - 1);
	if (!kmod_alias_normalize(mod, pattern, sizeof(pattern)))
		return kmod_lines_fail(it, "unmatched bracket in %s", mod);
	xgrow((void **)&ix->softdeps, cap, ix->nsoftdeps + 1, sizeof(*ix->softdeps));
	sd = &ix->softdeps[ix->nsoftdeps++];
	memset(sd, 0, sizeof(*sd));
	sd->pattern = kmod_keep(ix, xstrdup(pattern));
	sd->line = it->line;
	sd->text = text;
	softdep_names(ix, sd, line);
	return 0;
}

int
kmod_softdep_load(struct kmod_index *ix, const struct kmod_index_texts *given)
{
	struct kmod_lines it;
	size_t len, cap = 0;
	char *text, *line;
	int rc = kmod_index_text(ix, given, "modules.softdep", &text, &len);

	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	kmod_lines_init(&it, text, len, ix->dir, "modules.softdep", &ix->err);
	while ((rc = kmod_lines_next(&it, &line)) > 0)
		if ((rc = softdep_line(ix, &cap, &it, line)) < 0)
			break;
	free(text);
	return rc;
}

const struct kmod_softdep *
kmod_softdep_find(const struct kmod_index *ix, const char *name)
{
	for (size_t i = 0; i < ix->nsoftdeps; i++)
		if (kmod_glob(ix->softdeps[i].pattern, name))
			return &ix->softdeps[i];
	return NULL;
}

void
kmod_softdep_free(struct kmod_index *ix)
{
	for (size_t i = 0; i < ix->nsoftdeps; i++) {
		free(ix->softdeps[i].pre);
		free(ix->softdeps[i].post);
	}
	free(ix->softdeps);
	ix->softdeps = NULL;
	ix->nsoftdeps = 0;
}
