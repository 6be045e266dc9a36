/* Mission names: ASWG's file name normaliser (ASWG-API.md §1.3), templates, and the class names
 * used in server.cfg. */
#ifndef ASWG_MISSIONS_MISSION_NAMES_H
#define ASWG_MISSIONS_MISSION_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define MISSION_TEMPLATE_MAX 255

/* Lower-cases (ASCII) and replaces each of  \ / : * ? " < > | and space with '_' (malloc'd). */
char *mission_normalize_file_name(const char *name);

/* True when name ends with ".pbo" in any case. */
bool mission_is_pbo_name(const char *name);

/* The template of an uploaded file: normalised name without ".pbo" (malloc'd), or NULL when the
 * name is not a .pbo or nothing is left. */
char *mission_template_from_file_name(const char *name);

/* DECISIONS.md 7: 1..255 bytes, no whitespace, no quotes, no '/' or '\\', no control characters.
 * On failure writes why into why. */
bool mission_template_valid(const char *tpl, char *why, size_t why_size);

/* The server.cfg class name of a template: every character that is not a letter, digit or '_'
 * becomes '_' (so '.' and '-' as in ASWG); a leading digit gets a '_' prefix (malloc'd). */
char *mission_cfg_class_name(const char *tpl);

/* True for a description.ext parameter name usable in server.cfg: [A-Za-z_][A-Za-z0-9_]*. */
bool mission_param_name_valid(const char *name);

#endif
