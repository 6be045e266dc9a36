/* JSON scalars read as leniently as ASWG's Jackson reads them: booleans may also come as the
 * strings "true"/"false" (any case), integers as decimal strings. Shared by the request body specs
 * (http/body.h) and the settings that map JSON onto config files. */
#ifndef ASWG_CORE_JSON_LENIENT_H
#define ASWG_CORE_JSON_LENIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* False (and *out untouched) when v is neither a boolean nor such a string. */
bool json_lenient_bool(const json_t *v, bool *out);
/* False (and *out untouched) when v is neither an integer nor a decimal string in int64 range. */
bool json_lenient_int(const json_t *v, int64_t *out);

/* len bytes of text read from a file as a JSON string. JSON needs UTF-8; a file saved as Latin-1
 * (older Windows editors) is decoded as such rather than failing the whole request. NULL only
 * when out of memory. */
json_t *json_lenient_text(const char *s, size_t len);

#endif
