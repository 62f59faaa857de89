/* cmdline.c - see cmdline.h. */
#include "early/cmdline.h"
#include "early/number.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static bool
is_space(char c)
{
	return isspace((unsigned char)c);
}

bool
cmdline_next_word(const char **pos, char *buf, size_t size)
{
	const char *p = *pos;
	size_t n = 0;
	bool quoted = false;

	while (is_space(*p))
		p++;
	if (*p == '\0') {
		*pos = p;
		return false;
	}
	for (; *p && (quoted || !is_space(*p)); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < size)
			buf[n++] = *p;
	}
	if (size)
		buf[n] = '\0';
	*pos = p;
	return !(n == 2 && buf[0] == '-' && buf[1] == '-');
}

void
cmdline_split(char *word, char **value)
{
	char *eq = strchr(word, '=');

	*value = NULL;
	if (eq) {
		*eq = '\0';
		*value = eq + 1;
	}
}

static const char *const break_names[] = {
	[BREAK_NONE] = "none",
	[BREAK_TOP] = "top",
	[BREAK_MODULES] = "modules",
	[BREAK_PREMOUNT] = "premount",
	[BREAK_MOUNT] = "mount",
	[BREAK_BOTTOM] = "bottom",
};

enum break_point
break_point_parse(const char *s)
{
	if (!s || !*s)
		return BREAK_PREMOUNT;
	for (size_t i = BREAK_TOP; i < sizeof(break_names) / sizeof(*break_names); i++)
		if (strcmp(s, break_names[i]) == 0)
			return (enum break_point)i;
	return BREAK_NONE;
}

const char *
break_point_name(enum break_point b)
{
	return break_names[b];
}

void
boot_params_init(struct boot_params *p)
{
	memset(p, 0, sizeof(*p));
	p->panic_secs = 0;
}

static void
set_string(char *dst, size_t size, const char *value)
{
	size_t n = strlen(value);

	if (n >= size)
		n = size - 1;
	memcpy(dst, value, n);
	dst[n] = '\0';
}

/* Appends value to a comma list (modules=a,b modules=c gives a,b,c). */
static void
add_to_list(char *list, size_t size, const char *value)
{
	size_t len = strlen(list);

	if (!*value)
		return;
	if (len && len + 1 < size)
		list[len++] = ',';
	set_string(list + len, size - len, value);
}

static unsigned
parse_seconds(const char *s)
{
	unsigned long long v;

	return number_scan(&s, 10, 86400u * 365, &v) ? (unsigned)v : 0;
}

/* panic=N, where a negative N reboots at once (as atoi reads it). */
static int
parse_int(const char *s)
{
	unsigned long long v;
	bool negative = *s == '-';

	s += negative;
	if (!number_scan(&s, 10, INT_MAX, &v))
		return 0;
	return negative ? -(int)v : (int)v;
}

#define STRING_PARAM(key, field) { key, offsetof(struct boot_params, field), \
		sizeof(((struct boot_params *)0)->field) }

/* Parameters whose value is kept as a string. */
static const struct {
	const char *key;
	size_t offset, size;
} string_params[] = {
	STRING_PARAM("root", root),
	STRING_PARAM("rootfstype", rootfstype),
	STRING_PARAM("rootflags", rootflags),
	STRING_PARAM("init", init),
	STRING_PARAM("resume", resume),
	STRING_PARAM("drop_capabilities", drop_caps),
	STRING_PARAM("ip", ip),
	STRING_PARAM("nfsaddrs", ip),
	STRING_PARAM("nfsroot", nfsroot),
};

/* Parameters that are a bare word. */
static bool
apply_flag(struct boot_params *p, const char *key)
{
	if (strcmp(key, "ro") == 0)
		p->read_write = false;
	else if (strcmp(key, "rw") == 0)
		p->read_write = true;
	else if (strcmp(key, "rootwait") == 0) {
		p->rootwait = true;
		p->rootwait_secs = 0;
	} else if (strcmp(key, "noresume") == 0)
		p->noresume = true;
	else if (strcmp(key, "quiet") == 0)
		p->quiet = true;
	else if (strcmp(key, "kinit.debug") == 0)
		p->debug = true;
	else if (strcmp(key, "break") == 0)
		p->break_at = BREAK_PREMOUNT;
	else
		return false;
	return true;
}

static bool
apply_value(struct boot_params *p, const char *key, const char *value)
{
	unsigned long long v;

	for (size_t i = 0; i < sizeof(string_params) / sizeof(*string_params); i++)
		if (strcmp(key, string_params[i].key) == 0) {
			set_string((char *)p + string_params[i].offset,
				   string_params[i].size, value);
			return true;
		}
	if (strcmp(key, "rootwait") == 0) {
		p->rootwait = true;
		p->rootwait_secs = parse_seconds(value);
	} else if (strcmp(key, "rootdelay") == 0)
		p->rootdelay_secs = parse_seconds(value);
	else if (strcmp(key, "resume_offset") == 0)
		p->resume_offset = number_scan(&value, 0, UINT64_MAX, &v) ? v : 0;
	else if (strcmp(key, "panic") == 0)
		p->panic_secs = parse_int(value);
	else if (strcmp(key, "break") == 0)
		p->break_at = break_point_parse(value);
	else if (strcmp(key, "modules") == 0 || strcmp(key, "modules_load") == 0)
		add_to_list(p->modules, sizeof(p->modules), value);
	else if (strcmp(key, "modprobe.blacklist") == 0 ||
		 strcmp(key, "module_blacklist") == 0)
		add_to_list(p->blacklist, sizeof(p->blacklist), value);
	else if (strcmp(key, "kinit.debug") == 0)
		p->debug = strcmp(value, "0") != 0;
	else
		return false;
	return true;
}

bool
boot_params_apply(struct boot_params *p, const char *word)
{
	char buf[CMDLINE_VALUE_MAX + 32];
	char *value;

	set_string(buf, sizeof(buf), word);
	cmdline_split(buf, &value);
	return value ? apply_value(p, buf, value) : apply_flag(p, buf);
}

void
boot_params_parse(struct boot_params *p, const char *text)
{
	char word[CMDLINE_VALUE_MAX + 32];

	while (cmdline_next_word(&text, word, sizeof(word)))
		boot_params_apply(p, word);
}
