/* The 42 ASWG authorities (ASWG-API.md §5.1). Index i is the authority with database id i + 1. */
#ifndef ASWG_AUTH_AUTHORITIES_H
#define ASWG_AUTH_AUTHORITIES_H

#include <stdint.h>

#define AUTHORITY_COUNT 42

typedef uint64_t authority_set;   /* bit i = authority with id i + 1 */

#define AUTHORITY_ALL ((authority_set)((UINT64_C(1) << AUTHORITY_COUNT) - 1))

/* Index of code (0..41), or -1 for an unknown code. */
int authority_index(const char *code);
const char *authority_code(int index);

#endif
