/* glob.c - see glob.h. */
#include "kmod/glob.h"

#include <stddef.h>

/* The set at p (just after '['), against c. *end is set after its ']';
 * NULL when the set never closes (then '[' is an ordinary byte, as in
 * fnmatch). */
static bool
in_set(const char *p, unsigned char c, const char **end)
{
	bool negate = *p == '!' || *p == '^', hit = false;

	if (negate)
		p++;
	for (const char *first = p; *p && (*p != ']' || p == first); p++) {
		unsigned char lo = (unsigned char)*p, hi;

		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			p += 2;
			if (*p == '\\' && p[1])
				p++;
			hi = (unsigned char)*p;
		}
		if (lo <= c && c <= hi)
			hit = true;
	}
	*end = *p == ']' ? p + 1 : NULL;
	return hit != negate;
}

/* One pattern element against *s: true and both advanced on a match. */
static bool
match_one(const char **p, const char **s)
{
	unsigned char c = (unsigned char)**s;
	const char *end = NULL;
	bool hit;

	if (c == '\0')
		return false;
	if (**p == '?') {
		end = *p + 1;
		hit = true;
	} else if (**p == '[' && (hit = in_set(*p + 1, c, &end), end)) {
		/* a set that closes: end is after it */
	} else {
		/* a lone '\\' at the end matches nothing, as in glibc */
		if (**p == '\\' && !(*p)[1])
			return false;
		if (**p == '\\')
			(*p)++;
		hit = (unsigned char)**p == c;
		end = *p + 1;
	}
	if (!hit)
		return false;
	*p = end;
	(*s)++;
	return true;
}

/* Greedy with one backtrack point: a later '*' makes the earlier ones'
 * choices final, so the last star is the only one to retry. */
bool
kmod_glob(const char *pattern, const char *s)
{
	const char *p = pattern, *star = NULL, *resume = NULL;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star = p;
			resume = s;
			continue;
		}
		if (*p == '\0' && *s == '\0')
			return true;
		if (*p != '\0' && match_one(&p, &s))
			continue;
		if (!star || *resume == '\0')
			return false;
		p = star;
		s = ++resume;
	}
}
