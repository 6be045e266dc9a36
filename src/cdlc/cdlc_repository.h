/* SQL for the cdlc table (7 seeded rows, ASWG-API.md §2). */
#ifndef ASWG_CDLC_CDLC_REPOSITORY_H
#define ASWG_CDLC_CDLC_REPOSITORY_H

#include "core/db.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct cdlc_record {
    int64_t id;
    char name[128];
    char directory_name[64];    /* lower case, as seeded: gm, vn, csla, ... */
    bool enabled;
} cdlc_record;

db_result cdlc_repo_list(cdlc_record **out, size_t *count);
/* Flips enabled; DB_NOT_FOUND for an unknown id. */
db_result cdlc_repo_toggle(int64_t id);

#endif
