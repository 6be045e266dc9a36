/* The walk of a directory that a scan job imports from (DIFFICULTY_SCAN over the profiles,
 * MOD_SETTINGS_SCAN over userconfig). */
#ifndef ASWG_CORE_DIR_SCAN_H
#define ASWG_CORE_DIR_SCAN_H

#include "core/errors.h"

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

/* Calls each(name, ctx) for the entries of dir in name order (filter as scandir's, NULL for all)
 * until one returns false (a database error). Returns ERR_OK, ERR_NOT_FOUND (dir does not exist)
 * or ERR_SERVER_ERROR; where gets dir, or why it could not be read. */
aswg_err dir_scan(const char *dir, int (*filter)(const struct dirent *), bool (*each)(const char *name, void *ctx),
                  void *ctx, char *where, size_t where_size);

#endif
