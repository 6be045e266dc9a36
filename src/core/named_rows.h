/* SQL for the two tables whose rows are a name and an active flag, at most one row active at a
 * time (migration 4): difficulty_profile (the profile -name= runs with) and mod_settings (the CBA
 * settings file in use). The same statements serve both, parameterised by the table. */
#ifndef ASWG_CORE_NAMED_ROWS_H
#define ASWG_CORE_NAMED_ROWS_H

#include "core/db.h"

#include <stdbool.h>
#include <stdint.h>

#define NAMED_ROW_NAME_MAX 255

typedef struct named_row {
    int64_t id;
    char name[NAMED_ROW_NAME_MAX + 1];
    bool active;
} named_row;

typedef struct named_table {
    const char *table;
    bool names_fold_case;   /* names compare ASCII case-insensitively (they name lower-cased files) */
} named_table;

extern const named_table DIFFICULTY_PROFILE_TABLE;
extern const named_table MOD_SETTINGS_TABLE;

/* Every row by id. */
db_result named_rows_list(const named_table *t, named_row **out, size_t *count);
db_result named_rows_find_by_id(const named_table *t, int64_t id, named_row *out);
db_result named_rows_find_by_name(const named_table *t, const char *name, named_row *out);
/* The active row; DB_NOT_FOUND when none is. */
db_result named_rows_find_active(const named_table *t, named_row *out);
/* DB_CONFLICT when the name is taken, or when the row is to be active while another one is. */
db_result named_rows_insert(const named_table *t, const char *name, bool active, int64_t *id_out);
db_result named_rows_update(const named_table *t, int64_t id, const char *name, bool active);
db_result named_rows_delete(const named_table *t, int64_t id);
/* Makes every row but id inactive (id 0: every row). */
db_result named_rows_deactivate_others(const named_table *t, int64_t id);
db_result named_rows_count(const named_table *t, int64_t *out);

#endif
