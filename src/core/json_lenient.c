#include "core/json_lenient.h"

#include <errno.h>
#include <stdlib.h>
#include <strings.h>

bool json_lenient_bool(const json_t *v, bool *out)
{
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return true;
    }
    if (json_is_string(v)) {
        if (strcasecmp(json_string_value(v), "true") == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(json_string_value(v), "false") == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool json_lenient_int(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        errno = 0;
        long long n = strtoll(s, &end, 10);
        if (*s && !*end && !errno) {
            *out = n;
            return true;
        }
    }
    return false;
}

json_t *json_lenient_text(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    if (j || len == 0)
        return j;
    char *utf8 = malloc(2 * len + 1), *p = utf8;
    if (!utf8)
        return NULL;
    for (const unsigned char *c = (const unsigned char *)s; c < (const unsigned char *)s + len; c++) {
        if (*c < 0x80) {
            *p++ = (char)*c;
        } else {
            *p++ = (char)(0xc0 | (*c >> 6));
            *p++ = (char)(0x80 | (*c & 0x3f));
        }
    }
    j = json_stringn(utf8, (size_t)(p - utf8));
    free(utf8);
    return j;
}
