#include "cdlc/cdlc_service.h"

#include "core/config.h"
#include "core/log.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* Matches the entries of the server directory against the CDLC folder names, keeping the
 * spelling on disk: Linux file systems are case-sensitive and Arma wants the real name. */
static void find_folders(cdlc_info *list, size_t count)
{
    DIR *d = opendir(config_str("aswg.server-directory-path"));
    struct dirent *e;
    while (d && (e = readdir(d))) {
        for (size_t i = 0; i < count; i++) {
            if (!list[i].file_exists && strcasecmp(e->d_name, list[i].row.directory_name) == 0) {
                list[i].file_exists = true;
                snprintf(list[i].disk_name, sizeof list[i].disk_name, "%s", e->d_name);
            }
        }
    }
    if (d)
        closedir(d);
}

aswg_err cdlc_list(cdlc_info **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    cdlc_record *rows;
    size_t n;
    if (cdlc_repo_list(&rows, &n) != DB_OK)
        return ERR_SERVER_ERROR;
    cdlc_info *list = calloc(n ? n : 1, sizeof *list);
    if (!list) {
        free(rows);
        return ERR_SERVER_ERROR;
    }
    for (size_t i = 0; i < n; i++)
        list[i].row = rows[i];
    free(rows);
    find_folders(list, n);
    *out = list;
    *count = n;
    return ERR_OK;
}

aswg_err cdlc_toggle(int64_t id)
{
    db_result r = cdlc_repo_toggle(id);
    if (r == DB_OK)
        log_info("CDLC %lld toggled", (long long)id);
    return r == DB_OK ? ERR_OK : r == DB_NOT_FOUND ? ERR_CDLC_NOT_FOUND : ERR_SERVER_ERROR;
}
