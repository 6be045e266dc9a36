/* SQL for mod_preset and mod_preset_entry (ASWG-API.md §5.5). */
#ifndef ASWG_MODS_PRESET_REPOSITORY_H
#define ASWG_MODS_PRESET_REPOSITORY_H

#include "core/db.h"

#include <stdint.h>

#define PRESET_NAME_MAX 256

typedef struct preset_entry {
    int64_t id;
    int64_t mod_id;             /* workshop id */
    char mod_name[256];
} preset_entry;

typedef struct preset_record {
    int64_t id;
    char name[PRESET_NAME_MAX];
} preset_record;

/* All presets, names compared without case. */
db_result preset_repo_list(preset_record **out, size_t *count);
db_result preset_repo_find_by_name(const char *name, preset_record *out);
db_result preset_repo_find_by_id(int64_t id, preset_record *out);
db_result preset_repo_entries(int64_t preset_id, preset_entry **out, size_t *count);
/* Creates the preset or, when it exists, keeps its id and replaces its entries; renames it to
 * new_name when that is not NULL. Runs in the caller's transaction. *id_out is set on DB_OK. */
db_result preset_repo_save(const char *name, const char *new_name, const preset_entry *entries, size_t count,
                           int64_t *id_out);
db_result preset_repo_delete(const char *name);

#endif
