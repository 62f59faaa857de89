/*
 * json.h - JSON strings (RFC 8259, section 7) from arbitrary bytes.
 *
 * Names in an image are bytes, not text: valid UTF-8 sequences are kept
 * as they are; quotes, backslashes and control characters are escaped;
 * every byte that is not part of a valid UTF-8 sequence (overlong forms,
 * surrogates and code points past U+10FFFF included) becomes \u00XX, the
 * code point of the same number. That mapping loses the difference
 * between the byte 0xE9 and the text "\u00e9" (a reader that needs the
 * exact bytes of such names must not rely on JSON); it keeps the output
 * valid JSON for any input.
 */
#ifndef ES_BASE_JSON_H
#define ES_BASE_JSON_H

#include <stddef.h>
#include <stdio.h>

/* s (len bytes, NULs included) as a quoted JSON string; malloc'd, the
 * caller frees it. */
char *json_quote_mem(const char *s, size_t len);
/* The same for a NUL-terminated s; NULL gives "null" (unquoted). */
char *json_quote(const char *s);
/* json_quote(s) written to f. */
void json_put(FILE *f, const char *s);

#endif
