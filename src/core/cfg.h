/* Arma config files (server.cfg, network.cfg, description.ext, mission.sqm, .Arma3Profile) read
 * into a tree and written back so that everything aswg does not change survives byte for byte.
 *
 * Syntax: `name = value;`, `name[] = {a, "b", {c, d}};` (nested arrays), `name[] += {..};`,
 * `class Name { ... };`, `class Name : Base { ... };`, `class Name;` (forward declaration),
 * `//` and block comments, strings in double quotes with "" standing for one quote, unquoted
 * scalars (numbers, true/false, bare words up to ';'), and preprocessor lines (`#include`,
 * `#define`, ...) which are kept verbatim and not interpreted. Names compare case-insensitively,
 * as Arma does.
 *
 * Preservation: every node remembers its exact source text (including the whitespace and comments
 * before it). cfg_serialize() writes untouched nodes as they were; only nodes changed through the
 * setters below are regenerated. Text after the last node (trailing comments) is kept too. */
#ifndef ASWG_CORE_CFG_H
#define ASWG_CORE_CFG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cfg_doc cfg_doc;
typedef struct cfg_node cfg_node;

typedef enum cfg_kind {
    CFG_CLASS,      /* class Name { ... }; (also a forward declaration `class Name;`) */
    CFG_VALUE,      /* name = scalar; */
    CFG_ARRAY,      /* name[] = { ... }; -- also the elements of an array that are arrays */
    CFG_DIRECTIVE,  /* a preprocessor line, e.g. #include "x.hpp" (name is NULL) */
} cfg_kind;

/* Parses text (len bytes). On a syntax error returns NULL and writes "line L, column C: what"
 * into err. A missing final ';' after the last entry or class is tolerated. */
cfg_doc *cfg_parse(const char *text, size_t len, char *err, size_t err_size);
/* An empty document (for a file that does not exist yet). */
cfg_doc *cfg_new(void);
void cfg_free(cfg_doc *doc);

/* The document as text (malloc'd, NUL-terminated). */
char *cfg_serialize(const cfg_doc *doc, size_t *len_out);

/* The top level, a class without name. */
cfg_node *cfg_root(cfg_doc *doc);

/* ---- reading ---- */
cfg_kind cfg_node_kind(const cfg_node *node);
const char *cfg_node_name(const cfg_node *node);          /* without "[]"; NULL for directives */
/* The first member of class cls named name (case-insensitive), or NULL. */
cfg_node *cfg_find(const cfg_node *cls, const char *name);
/* Like cfg_find, following a path of nested class names separated by '/', e.g. "Mission/Intel";
 * every step but the last must be a class, the last may be any member. */
cfg_node *cfg_find_path(const cfg_node *cls, const char *path);
/* Members of a class, in order (directives included). */
size_t cfg_child_count(const cfg_node *cls);
cfg_node *cfg_child(const cfg_node *cls, size_t i);

/* For a CFG_VALUE or an array element: true when written as a quoted string. */
bool cfg_is_string(const cfg_node *node);
/* The value: for a string its decoded text ("" -> "), otherwise the raw trimmed token text.
 * Valid until the node changes. NULL for classes and arrays. */
const char *cfg_value(const cfg_node *node);
/* Elements of a CFG_ARRAY: each a CFG_VALUE (no name) or a nested CFG_ARRAY. */
size_t cfg_array_count(const cfg_node *array);
cfg_node *cfg_array_item(const cfg_node *array, size_t i);

/* ---- changing ----
 * Setters return 0, or -1 when out of memory, on a wrong node kind, for a name that is not a
 * config identifier, for raw text that would not read back as one value ("1; x = 2", "",
 * "1 // c"), or when a class already uses the name. Node pointers stay valid across the setters
 * (a replaced member keeps its node), but not across cfg_remove() and cfg_clear(). */
/* Sets name = "value"; in cls (quotes in value are doubled), replacing the first member of that
 * name or appending one. */
int cfg_set_string(cfg_node *cls, const char *name, const char *value);
/* Sets name = raw; (a number, true/false, or text the caller has already formatted). */
int cfg_set_raw(cfg_node *cls, const char *name, const char *raw);
/* Sets name[] = {"a", "b"}; with quoted items. */
int cfg_set_string_array(cfg_node *cls, const char *name, const char *const *items, size_t count);
/* Sets name[] = {raw items}; each item written as given (e.g. "{\"kick\",true,true,0.5,0.5}"). */
int cfg_set_raw_array(cfg_node *cls, const char *name, const char *const *items, size_t count);
/* The member class name of cls, appended (empty) when missing; NULL when out of memory. */
cfg_node *cfg_ensure_class(cfg_node *cls, const char *name);
/* Appends a new empty class (even if one with that name exists); NULL when out of memory. */
cfg_node *cfg_add_class(cfg_node *cls, const char *name);
/* Removes the first member named name (with the comment lines above it); returns true if there
 * was one, false also when out of memory (the member then stays). */
bool cfg_remove(cfg_node *cls, const char *name);
/* Removes every member of cls (used to rewrite a block such as class Missions). */
void cfg_clear(cfg_node *cls);

/* Quotes value for a config file: wraps it in double quotes and doubles the quotes inside.
 * malloc'd. */
char *cfg_quote(const char *value);

#endif
