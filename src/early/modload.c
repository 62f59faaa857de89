/*
 * modload.c - modules into and out of the kernel; modload.h says what
 * a request does. Follows kmod 30's modprobe (tools/modprobe.c and
 * libkmod-module.c: probe_insert_module, the kernel command line's
 * options and blacklist in libkmod-config.c, rmmod_do_module) and the
 * kernel's finit_module(2) and delete_module(2).
 *
 * A request becomes a plan: its roots, the modules src/kmod's look-up
 * finds for it, each with the list src/kmod resolves for it by name,
 * which is the list kmod probes for it. The state of each module
 * this process has seen (in the kernel, out, failed) lives in one set,
 * seeded from /proc/modules.
 */
#include "early/modload.h"
#include "early/number.h"
#include "early/cmdline.h"
#include "early/sysfile.h"
#include "base/xalloc.h"
#include "kmod/resolve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/module.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/* /proc/modules: about 100 bytes a module. */
#define PROC_MODULES_MAX (4u << 20)
/* The kernel's command line is at most 2048 bytes on x86 (COMMAND_LINE_SIZE). */
#define PARAM_WORD_MAX 4096u

/* Values in m->state; STATE_FAILED + errno for a failure. */
enum {
	STATE_OUT = 0,
	STATE_IN = 1,
	STATE_FAILED = 2,
};

/* The roots of a request, each with its list. */
struct plan {
	struct kmod_step *roots;
	struct kmod_resolver *lists;
	size_t n;
	bool by_alias;		/* not a module's name: the blacklist applies */
};

static size_t
state_of(const struct modload *m, const char *name)
{
	size_t v;

	return strset_get(&m->state, name, &v) ? v : STATE_OUT;
}

static void
set_state(struct modload *m, const char *name, size_t v)
{
	strset_put(&m->state, name, v);
}

/* In the kernel: as this process knows it, else when the kernel says
 * it is "live" (loaded since open, by the kernel's own request_module
 * say), as kmod's module_is_inkernel asks. */
static bool
in_kernel(struct modload *m, const char *name)
{
	char path[KMOD_PATH_MAX + 32], state[16];
	size_t v;

	if (strset_get(&m->state, name, &v))
		return v == STATE_IN;
	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	if (sysfile_read(path, state, sizeof(state)) < 0 || strcmp(state, "live") != 0)
		return false;
	set_state(m, name, STATE_IN);
	return true;
}

static void
show(struct modload *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(m->show_fd, fmt, ap);
	va_end(ap);
	if (n < 0 && !m->show_errno)
		m->show_errno = errno;
}

/* ---- what is loaded: /proc/modules ---- */

/* The whole of a /proc file, which has no size to ask for. */
static ssize_t
read_proc(const char *path, char **text)
{
	size_t len = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	*text = NULL;
	if (fd < 0)
		return -errno;
	do {
		xgrow((void **)text, &cap, len + 4096 + 1, 1);
		n = read(fd, *text + len, cap - len - 1);
		if (n > 0)
			len += (size_t)n;
	} while ((n > 0 || (n < 0 && errno == EINTR)) && len < PROC_MODULES_MAX);
	n = n < 0 ? -errno : (ssize_t)len;
	close(fd);
	(*text)[len] = '\0';
	return n;
}

/* "NAME SIZE REFS DEPS STATE ADDR" a line: every NAME is in. */
static void
seed_loaded(struct modload *m)
{
	char *text, *line, *save = NULL;
	ssize_t n = read_proc("/proc/modules", &text);

	if (n < 0)
		log_debug(m->log, "/proc/modules: %s: taking no module as loaded",
			  strerror((int)-n));
	for (line = n > 0 ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, " ")] = '\0';
		if (*line)
			set_state(m, line, STATE_IN);
	}
	free(text);
}

int
modload_open(struct modload *m, const char *moddir, struct log *log)
{
	int rc;

	memset(m, 0, sizeof(*m));
	m->log = log;
	m->show_fd = 1;
	rc = kmod_index_load(&m->ix, moddir, 0);
	if (rc < 0) {
		/* No modules.dep: an image without modules, not a fault. */
		log_msg(log, rc == -ENOENT ? LOG_DEBUG : LOG_ERR, "%s", m->ix.err.msg);
		return rc;
	}
	seed_loaded(m);
	return 0;
}

void
modload_close(struct modload *m)
{
	for (size_t i = 0; i < m->nparams; i++) {
		free(m->params[i].module);
		free(m->params[i].option);
	}
	free(m->params);
	strset_free(&m->state);
	strset_free(&m->blacklist);
	kmod_index_free(&m->ix);
	memset(m, 0, sizeof(*m));
}

/* ---- parameters and blacklist ---- */

/* opts (may be NULL, freed) with word appended after a blank; a value
 * holding a blank, unless already quoted, is quoted as kmod quotes it. */
static char *
append_option(char *opts, const char *word)
{
	const char *eq = strchr(word, '=');
	const char *sep = opts ? " " : "";
	char *out;

	if (eq && eq[1] != '"' && eq[1] != '\'' && strchr(eq + 1, ' '))
		out = xasprintf("%s%s%.*s\"%s\"", opts ? opts : "", sep,
				(int)(eq + 1 - word), word, eq + 1);
	else
		out = xasprintf("%s%s%s", opts ? opts : "", sep, word);
	free(opts);
	return out;
}

char *
modload_join_options(char *const *words, int n)
{
	char *opts = NULL;

	for (int i = 0; i < n; i++)
		opts = append_option(opts, words[i]);
	return opts;
}

void
modload_blacklist(struct modload *m, const char *comma_list)
{
	char name[KMOD_PATH_MAX];

	for (const char *p = comma_list; *p;) {
		size_t len = strcspn(p, ",");
		char *item = xstrndup(p, len);

		if (kmod_modname(item, name, sizeof(name)))
			strset_add(&m->blacklist, name);
		free(item);
		p += len;
		p += *p == ',';
	}
}

/* One word "MODULE.KEY[=VALUE]"; others are not a module's. */
static void
param_word(struct modload *m, char *word)
{
	char *dot = strchr(word, '.'), *eq = strchr(word, '=');
	char name[KMOD_PATH_MAX];

	if (!dot || dot == word || (eq && eq < dot) || !dot[1] || dot[1] == '=')
		return;
	*dot = '\0';
	if (!kmod_modname(word, name, sizeof(name)))
		return;
	if (strcmp(name, "modprobe") == 0 && strncmp(dot + 1, "blacklist=", 10) == 0) {
		modload_blacklist(m, dot + 11);
		return;
	}
	xgrow((void **)&m->params, &m->params_cap, m->nparams + 1,
	      sizeof(*m->params));
	m->params[m->nparams].module = xstrdup(name);
	m->params[m->nparams++].option = append_option(NULL, dot + 1);
}

void
modload_params(struct modload *m, const char *cmdline)
{
	char word[PARAM_WORD_MAX];
	const char *pos = cmdline;

	while (cmdline_next_word(&pos, word, sizeof(word)))
		param_word(m, word);
}

/* The command line's options for name, then extra. NULL: none. */
static char *
options_for(const struct modload *m, const char *name, const char *extra)
{
	char *opts = NULL;

	for (size_t i = 0; i < m->nparams; i++)
		if (strcmp(m->params[i].module, name) == 0)
			opts = append_option(opts, m->params[i].option);
	if (extra && *extra) {
		/* already quoted, word by word */
		char *both = opts ? xasprintf("%s %s", opts, extra) : xstrdup(extra);

		free(opts);
		opts = both;
	}
	return opts;
}

/* ---- the plan: a request's roots and their lists ---- */

/* Each root's list, resolved by its name; a built-in module that
 * modules.builtin does not list has none (it needs nothing). */
static void
plan_lists(struct modload *m, struct plan *p)
{
	unsigned flags = m->flags & MODLOAD_SHOW_DEPENDS ? KMOD_RESOLVE_REPEATS : 0;

	p->lists = xcalloc(p->n + 1, sizeof(*p->lists));
	for (size_t i = 0; i < p->n; i++) {
		struct kmod_resolver *r = &p->lists[i];

		kmod_resolver_init(r, &m->ix, flags);
		if (kmod_resolve(r, kmod_step_name(&m->ix, &p->roots[i])) < 0)
			log_err(m->log, "%s", r->err.msg);
		for (size_t k = 0; k < r->nwarnings; k++)
			log_debug(m->log, "%s", r->warnings[k]);
	}
}

/* The request's roots by src/kmod's look-up, each with its list. */
static int
plan_make(struct modload *m, const char *request, struct plan *p)
{
	char q[KMOD_PATH_MAX];

	memset(p, 0, sizeof(*p));
	if (kmod_is_path_pattern(request)) {
		p->n = kmod_lookup_paths(&m->ix, request, &p->roots);
	} else if (kmod_alias_normalize(request, q, sizeof(q))) {
		p->n = kmod_lookup(&m->ix, q, &p->roots, &p->by_alias);
	} else {
		log_err(m->log, "%s: unmatched bracket, or too long", request);
		return -EINVAL;
	}
	if (!p->n) {
		free(p->roots);
		p->roots = NULL;
		m->unknown = true;
		return -ENOENT;
	}
	plan_lists(m, p);
	return 0;
}

static void
plan_free(struct plan *p)
{
	for (size_t i = 0; p->lists && i < p->n; i++)
		kmod_resolver_free(&p->lists[i]);
	free(p->lists);
	free(p->roots);
	memset(p, 0, sizeof(*p));
}

/* ---- inserting ---- */

static bool
compressed(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	dot = strchr(base ? base : path, '.');
	return dot && strcmp(dot, ".ko") != 0;
}

static int
load_failed(struct modload *m, const char *name, const char *path, int err,
	    bool required, const char *why)
{
	int level = required && err != ENODEV ? LOG_ERR : LOG_INFO;
	const char *hint = "";

	if (!why && err == ENOENT)
		hint = " (an unknown symbol or parameter: see the kernel's log)";
	else if (!why && compressed(path) && (err == EINVAL || err == EOPNOTSUPP))
		hint = " (this kernel cannot decompress modules: the image needs them uncompressed)";
	set_state(m, name, STATE_FAILED + (size_t)err);
	m->failed++;
	log_msg(m->log, level, "%s%s: %s%s%s", why ? why : "could not insert ",
		path, strerror(err), hint, required ? "" : " (optional)");
	return -err;
}

/* finit_module(2) on path's file; 1 inserted, 0 in the kernel already. */
static int
insert(struct modload *m, const char *name, const char *path,
       const char *opts, bool required)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int flags = compressed(path) ? MODULE_INIT_COMPRESSED_FILE : 0;
	unsigned long t0;
	long rc;
	int err;

	if (fd < 0)
		return load_failed(m, name, path, errno, required, "cannot open ");
	if (m->flags & MODLOAD_DRY_RUN) {
		close(fd);
		set_state(m, name, STATE_IN);
		m->inserted++;
		return 1;
	}
	t0 = log_elapsed_ms(m->log);
	rc = syscall(SYS_finit_module, fd, opts ? opts : "", flags);
	err = errno;
	close(fd);
	if (rc != 0 && err != EEXIST)
		return load_failed(m, name, path, err, required, NULL);
	set_state(m, name, STATE_IN);
	if (rc != 0)
		return 0;
	m->inserted++;
	log_debug(m->log, "inserted %s in %lums%s%s", path,
		  log_elapsed_ms(m->log) - t0, opts ? ": " : "", opts ? opts : "");
	return 1;
}

/* A module whose dependency failed would fail on its symbols. */
static int
dependency_failed(struct modload *m, uint32_t id, bool required)
{
	const struct kmod_module *mod = &m->ix.mods[id];

	for (uint32_t i = 0; i < mod->ndeps; i++) {
		const char *dep = m->ix.mods[mod->deps[i]].name;
		size_t st = state_of(m, dep);

		if (st < STATE_FAILED)
			continue;
		set_state(m, mod->name, st);
		m->failed++;
		log_msg(m->log, required ? LOG_ERR : LOG_INFO,
			"%s: not inserted: it needs %s, which failed%s", mod->name,
			dep, required ? "" : " (optional)");
		return -(int)(st - STATE_FAILED);
	}
	return 0;
}

/* One step of a root's list: 1 inserted, 0 nothing to do, -errno. */
static int
load_step(struct modload *m, const struct kmod_step *s, const char *extra,
	  bool required)
{
	const char *name = kmod_step_name(&m->ix, s);
	char path[2 * KMOD_PATH_MAX], *opts;
	size_t st = state_of(m, name);
	int rc;

	if (s->kind == KMOD_STEP_BUILTIN) {
		if (m->flags & MODLOAD_SHOW_DEPENDS)
			show(m, "builtin %s\n", name);
		return 0;
	}
	if (!(m->flags & MODLOAD_SHOW_DEPENDS)) {
		if (st >= STATE_FAILED)
			return -(int)(st - STATE_FAILED);
		if (in_kernel(m, name))
			return 0;
		if ((rc = dependency_failed(m, s->id, required)) < 0)
			return rc;
	}
	if (!kmod_index_file(&m->ix, s->id, path, sizeof(path)))
		return load_failed(m, name, m->ix.mods[s->id].path, ENAMETOOLONG,
				   required, "cannot open ");
	opts = options_for(m, name, extra);
	if (m->flags & (MODLOAD_SHOW | MODLOAD_SHOW_DEPENDS))
		show(m, "insmod %s %s\n", path, opts ? opts : "");
	rc = m->flags & MODLOAD_SHOW_DEPENDS ? 0 :
		insert(m, name, path, opts, required);
	free(opts);
	return rc;
}

/* The root and its modules.dep dependencies must load; softdeps may fail. */
static bool
required(const struct kmod_index *ix, const struct kmod_step *root,
	 const struct kmod_step *s)
{
	const struct kmod_module *mod = &ix->mods[root->id];

	if (s->kind != KMOD_STEP_LOAD)
		return false;
	if (s->id == root->id)
		return true;
	for (uint32_t i = 0; i < mod->ndeps; i++)
		if (mod->deps[i] == s->id)
			return true;
	return false;
}

static int
probe_root(struct modload *m, const struct plan *p, size_t i,
	   const char *extra)
{
	const struct kmod_step *root = &p->roots[i];
	const struct kmod_resolver *list = &p->lists[i];
	const char *name = kmod_step_name(&m->ix, root);
	bool show_all = m->flags & MODLOAD_SHOW_DEPENDS;

	if (root->kind == KMOD_STEP_BUILTIN && !(show_all && list->nsteps))
		return load_step(m, root, NULL, false);
	if (!show_all && in_kernel(m, name))
		return 0;
	if (strset_has(&m->blacklist, name) &&
	    (p->by_alias || (m->flags & MODLOAD_BLACKLIST_ALL))) {
		log_debug(m->log, "%s: blacklisted, not loaded", name);
		return 0;
	}
	for (size_t k = 0; k < list->nsteps; k++) {
		const struct kmod_step *s = &list->steps[k];
		bool is_root = s->kind == root->kind && s->id == root->id;
		bool req = root->kind == KMOD_STEP_LOAD && required(&m->ix, root, s);
		int rc = load_step(m, s, is_root ? extra : NULL, req);

		if (rc < 0 && req)
			return rc;
	}
	return 0;
}

int
modload_request_options(struct modload *m, const char *request,
			const char *options)
{
	unsigned before = m->inserted;
	struct plan p;
	int rc, first_err = 0;
	size_t ok = 0;

	m->unknown = false;
	if ((rc = plan_make(m, request, &p)) < 0)
		return rc;
	for (size_t i = 0; i < p.n; i++) {
		rc = probe_root(m, &p, i, options);
		if (rc >= 0)
			ok++;
		else if (!first_err)
			first_err = rc;
	}
	plan_free(&p);
	return ok || !first_err ? (int)(m->inserted - before) : first_err;
}

int
modload_request(struct modload *m, const char *request)
{
	return modload_request_options(m, request, NULL);
}

/* ---- removing ---- */

/* 1 when nothing holds name (its refcnt, less the holders this run
 * removed, is 0: a dry run removes nothing), 0 when something does,
 * -errno when sysfs cannot tell. */
static int
unused(const struct modload *m, const char *name)
{
	char path[KMOD_PATH_MAX + 32], buf[32];
	unsigned long long refs;
	struct dirent *e;
	DIR *d;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	if ((n = sysfile_read(path, buf, sizeof(buf))) < 0)
		return (int)n;
	if (!number_parse(buf, 10, UINT32_MAX, &refs))
		return -EINVAL;
	snprintf(path, sizeof(path), "/sys/module/%s/holders", name);
	if (!(d = opendir(path)))
		return -errno;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && refs > 0 &&
		    strset_has(&m->state, e->d_name) &&
		    state_of(m, e->d_name) == STATE_OUT)
			refs--;
	closedir(d);
	return refs == 0;
}

static int
unload(struct modload *m, const char *name, bool required)
{
	int err;

	if (m->flags & MODLOAD_SHOW)
		show(m, "rmmod %s\n", name);
	/* O_NONBLOCK: fail at once when in use, as modprobe -r does. */
	if (!(m->flags & MODLOAD_DRY_RUN) &&
	    syscall(SYS_delete_module, name, O_NONBLOCK) != 0) {
		err = errno;
		log_msg(m->log, required ? LOG_ERR : LOG_DEBUG,
			"could not remove %s: %s", name, strerror(err));
		return -err;
	}
	set_state(m, name, STATE_OUT);
	m->removed++;
	log_debug(m->log, "removed %s", name);
	return 1;
}

static int
remove_root(struct modload *m, const struct plan *p, size_t i)
{
	const struct kmod_step *root = &p->roots[i];
	const struct kmod_resolver *list = &p->lists[i];
	const char *name = kmod_step_name(&m->ix, root);
	int rc;

	if (root->kind == KMOD_STEP_BUILTIN) {
		log_err(m->log, "%s is built into the kernel: it cannot be removed",
			name);
		return -EPERM;
	}
	if (!in_kernel(m, name))
		return 0;
	if (unused(m, name) == 0) {
		log_err(m->log, "%s is in use", name);
		return -EBUSY;
	}
	/* Post softdeps, the root, pre softdeps, then the dependencies,
	 * nearest first: the load order reversed. */
	for (size_t k = list->nsteps; k-- > 0;) {
		const struct kmod_step *s = &list->steps[k];
		const char *dep = kmod_step_name(&m->ix, s);

		if (s->kind != KMOD_STEP_LOAD || !in_kernel(m, dep))
			continue;
		if (s->id == root->id) {
			if ((rc = unload(m, dep, true)) < 0)
				return rc;
		} else if (unused(m, dep) == 1) {
			unload(m, dep, false);
		}
	}
	return 0;
}

int
modload_remove(struct modload *m, const char *request)
{
	unsigned before = m->removed;
	struct plan p;
	int rc, first_err = 0;

	m->unknown = false;
	if ((rc = plan_make(m, request, &p)) < 0)
		return rc;
	for (size_t i = 0; i < p.n; i++)
		if ((rc = remove_root(m, &p, i)) < 0 && !first_err)
			first_err = rc;
	plan_free(&p);
	return first_err ? first_err : (int)(m->removed - before);
}
