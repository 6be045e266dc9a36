/* Java .properties documents that can be edited without losing anything.
 *
 * The document keeps every physical line of the source (comments, blank lines, continuation lines,
 * the original spelling of keys and separators). Reading follows java.util.Properties.load
 * semantics: '#' or '!' comment lines, '=', ':' or whitespace separators, backslash escapes
 * (\t \n \r \f \uXXXX, any other escaped char stands for itself), continuation lines ending in an
 * odd number of backslashes, leading whitespace of continuation lines dropped. When a key appears
 * twice the last one wins. Text is UTF-8; \uXXXX escapes (and surrogate pairs) decode to UTF-8.
 *
 * Writing: props_set() on an existing key rewrites only that entry (the last occurrence) in place,
 * keeping its key spelling and separator; a new key is appended at the end. Unchanged entries are
 * written back byte for byte. */
#ifndef ASWG_CORE_PROPERTIES_H
#define ASWG_CORE_PROPERTIES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct props_doc props_doc;

/* Parses text (len bytes, need not be NUL-terminated; may contain NUL bytes, treated as data).
 * Never fails on content; returns NULL only when out of memory. */
props_doc *props_parse(const char *text, size_t len);
props_doc *props_new(void);
void props_free(props_doc *doc);

/* Value of key (decoded), or NULL when the key is absent. Valid until the next change of doc. */
const char *props_get(const props_doc *doc, const char *key);

/* Number of distinct keys and the i-th of them in order of first appearance. */
size_t props_count(const props_doc *doc);
const char *props_key_at(const props_doc *doc, size_t i);

/* Sets key to value. An optional comment (may be NULL, may hold several lines separated by '\n')
 * is written as '# ' lines above a newly appended key; it is ignored for existing keys.
 * Returns 0, or -1 when out of memory. Setting the value a key already has changes nothing. */
int props_set(props_doc *doc, const char *key, const char *value, const char *comment);

/* Removes every occurrence of key. Returns true if it was present. */
bool props_remove(props_doc *doc, const char *key);

/* The whole document as text (malloc'd, NUL-terminated). Untouched lines come out byte for byte;
 * the output always ends with a newline when it is not empty. */
char *props_serialize(const props_doc *doc, size_t *len_out);

/* Escapes for writing, as java.util.Properties.store does (but UTF-8 is written as is, not as
 * \uXXXX): in keys every space, and in keys and values '\\', '=', ':', '#', '!', tab, newline,
 * carriage return and form feed; a leading space of a value. Results are malloc'd. */
char *props_escape_key(const char *key);
char *props_escape_value(const char *value);

#endif
