/* Numbered schema migrations compiled into the binary; migration i brings user_version to i+1. */
#ifndef ASWG_CORE_MIGRATIONS_H
#define ASWG_CORE_MIGRATIONS_H

#include <stddef.h>

extern const char *const DB_MIGRATIONS[];
extern const size_t DB_MIGRATION_COUNT;

#endif
