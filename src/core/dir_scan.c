#include "core/dir_scan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

aswg_err dir_scan(const char *dir, int (*filter)(const struct dirent *), bool (*each)(const char *name, void *ctx),
                  void *ctx, char *where, size_t where_size)
{
    struct dirent **entries = NULL;
    int n = scandir(dir, &entries, filter, alphasort);
    if (n < 0) {
        if (errno == ENOENT) {
            snprintf(where, where_size, "%s", dir);
            return ERR_NOT_FOUND;
        }
        snprintf(where, where_size, "%s: cannot read: %s", dir, strerror(errno));
        return ERR_SERVER_ERROR;
    }
    aswg_err err = ERR_OK;
    for (int i = 0; i < n; i++) {
        if (err == ERR_OK && !each(entries[i]->d_name, ctx))
            err = ERR_SERVER_ERROR;
        free(entries[i]);
    }
    free(entries);
    snprintf(where, where_size, "%s", err == ERR_OK ? dir : "database error");
    return err;
}
