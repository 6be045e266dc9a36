/* SQL for installed_mod (ASWG-API.md §5.5; directory_path is the folder name in the mods
 * directory, load_order the position among enabled mods). */
#ifndef ASWG_MODS_MOD_REPOSITORY_H
#define ASWG_MODS_MOD_REPOSITORY_H

#include "core/db.h"
#include "mods/mod_meta.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct mod_record {
    int64_t id;
    int64_t workshop_file_id;
    char name[MOD_NAME_MAX];
    char directory[MOD_NAME_MAX];
    char preview_url[512];
    bool enabled, server_mod;
    int64_t created_ms, last_update_ms, last_attempt_ms;    /* 0 = never */
    char dependencies[512];     /* comma-separated workshop ids */
    int64_t load_order;
} mod_record;

/* All mods: enabled first in load order, then by name. */
db_result mod_repo_list(mod_record **out, size_t *count);
db_result mod_repo_find_by_name(const char *name, mod_record *out);
db_result mod_repo_find_by_file_id(int64_t file_id, mod_record *out);
/* Inserts a new row or updates the one with the same workshop id (enabled flags kept). */
db_result mod_repo_upsert(const mod_record *m);
db_result mod_repo_delete(int64_t id);
/* Disables every mod (the caller then enables the chosen ones, in one transaction). */
db_result mod_repo_disable_all(void);
db_result mod_repo_enable(int64_t file_id, bool server_mod, int64_t load_order);

#endif
