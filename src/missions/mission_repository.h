/* SQL for the mission table. Strings in records are malloc'd; mission_record_clear frees them. */
#ifndef ASWG_MISSIONS_MISSION_REPOSITORY_H
#define ASWG_MISSIONS_MISSION_REPOSITORY_H

#include "core/db.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct mission_record {
    int64_t id;
    char *name;
    char *tpl;                  /* the template */
    char *difficulty;           /* RECRUIT, REGULAR, VETERAN or CUSTOM */
    bool enabled;
    int64_t rotation_order;     /* position among the enabled missions */
    char *parameters;           /* JSON [{"name","value"}] or NULL */
    char *source;               /* FILE, TEMPLATE or VANILLA */
    char *file_name;            /* name in mpmissions, or NULL */
    int64_t size_bytes;
    int64_t file_mtime;         /* ns since the epoch, 0 when unknown */
    char *world_name;
    char *briefing_name;
    char *on_load_name;
    char *available_parameters; /* JSON, see mission_meta.h, or NULL */
} mission_record;

void mission_record_clear(mission_record *m);
void mission_records_free(mission_record *list, size_t count);

/* Every row: the enabled ones first in rotation order, then the others by id. */
db_result mission_repo_list(mission_record **out, size_t *count);
db_result mission_repo_find_by_id(int64_t id, mission_record *out);
db_result mission_repo_find_by_template(const char *tpl, mission_record *out);
/* Inserts every column of m but id; DB_CONFLICT when the template exists. */
db_result mission_repo_insert(const mission_record *m, int64_t *id_out);
/* Updates every column of row m->id; DB_CONFLICT when the new template belongs to another row. */
db_result mission_repo_update(const mission_record *m);
db_result mission_repo_delete(int64_t id);
db_result mission_repo_disable_all(void);
/* The next free rotation position (1 + the largest in use). */
db_result mission_repo_next_order(int64_t *out);

#endif
