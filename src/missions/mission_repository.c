#include "missions/mission_repository.h"

#include <stdlib.h>
#include <string.h>

#define MISSION_COLUMNS                                                                       \
    "id, name, template, difficulty, enabled, rotation_order, parameters, source, file_name, " \
    "size_bytes, file_mtime, world_name, briefing_name, on_load_name, available_parameters"

void mission_record_clear(mission_record *m)
{
    char **strings[] = {&m->name, &m->tpl, &m->difficulty, &m->parameters, &m->source,
                        &m->file_name, &m->world_name, &m->briefing_name, &m->on_load_name,
                        &m->available_parameters};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        free(*strings[i]);
    memset(m, 0, sizeof *m);
}

void mission_records_free(mission_record *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        mission_record_clear(&list[i]);
    free(list);
}

static char *column_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text ? strdup((const char *)text) : NULL;
}

static void read_row(sqlite3_stmt *stmt, mission_record *m)
{
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(stmt, 0);
    m->name = column_text(stmt, 1);
    m->tpl = column_text(stmt, 2);
    m->difficulty = column_text(stmt, 3);
    m->enabled = sqlite3_column_int(stmt, 4) != 0;
    m->rotation_order = sqlite3_column_int64(stmt, 5);
    m->parameters = column_text(stmt, 6);
    m->source = column_text(stmt, 7);
    m->file_name = column_text(stmt, 8);
    m->size_bytes = sqlite3_column_int64(stmt, 9);
    m->file_mtime = sqlite3_column_int64(stmt, 10);
    m->world_name = column_text(stmt, 11);
    m->briefing_name = column_text(stmt, 12);
    m->on_load_name = column_text(stmt, 13);
    m->available_parameters = column_text(stmt, 14);
}


static void read_row_cb(sqlite3_stmt *stmt, void *elem)
{
    read_row(stmt, elem);
}

db_result mission_repo_list(mission_record **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT " MISSION_COLUMNS " FROM mission "
                                             "ORDER BY enabled DESC, "
                                             "CASE WHEN enabled THEN rotation_order END, id")
                            : NULL;
    if (!stmt)
        return DB_ERROR;
    db_result result = db_collect_rows(db, stmt, sizeof **out, read_row_cb, (void **)out, count);
    if (result != DB_OK) {
        mission_records_free(*out, *count);
        *out = NULL;
        *count = 0;
    }
    return result;
}

static db_result find_one(const char *sql, int64_t id, const char *text, mission_record *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, sql) : NULL;
    if (!stmt)
        return DB_ERROR;
    if (text)
        sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(stmt, 1, id);
    return db_find_one(db, stmt, read_row_cb, out);
}

db_result mission_repo_find_by_id(int64_t id, mission_record *out)
{
    return find_one("SELECT " MISSION_COLUMNS " FROM mission WHERE id = $1", id, NULL, out);
}

db_result mission_repo_find_by_template(const char *tpl, mission_record *out)
{
    return find_one("SELECT " MISSION_COLUMNS " FROM mission WHERE template = $1", 0, tpl, out);
}

static void bind_text_or_null(sqlite3_stmt *stmt, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(stmt, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, i);
}

/* Binds $1..$14 to the columns after id, in MISSION_COLUMNS order. */
static void bind_columns(sqlite3_stmt *stmt, const mission_record *m)
{
    bind_text_or_null(stmt, 1, m->name);
    bind_text_or_null(stmt, 2, m->tpl);
    bind_text_or_null(stmt, 3, m->difficulty ? m->difficulty : "REGULAR");
    sqlite3_bind_int(stmt, 4, m->enabled);
    if (m->enabled)
        sqlite3_bind_int64(stmt, 5, m->rotation_order);
    else
        sqlite3_bind_null(stmt, 5);
    bind_text_or_null(stmt, 6, m->parameters);
    bind_text_or_null(stmt, 7, m->source ? m->source : "FILE");
    bind_text_or_null(stmt, 8, m->file_name);
    sqlite3_bind_int64(stmt, 9, m->size_bytes);
    sqlite3_bind_int64(stmt, 10, m->file_mtime);
    bind_text_or_null(stmt, 11, m->world_name);
    bind_text_or_null(stmt, 12, m->briefing_name);
    bind_text_or_null(stmt, 13, m->on_load_name);
    bind_text_or_null(stmt, 14, m->available_parameters);
}

db_result mission_repo_insert(const mission_record *m, int64_t *id_out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db,
        "INSERT INTO mission(name, template, difficulty, enabled, rotation_order, parameters, source, "
        "file_name, size_bytes, file_mtime, world_name, briefing_name, on_load_name, "
        "available_parameters) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)") : NULL;
    if (!stmt)
        return DB_ERROR;
    bind_columns(stmt, m);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    if (result == DB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(db);
    return result;
}

db_result mission_repo_update(const mission_record *m)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db,
        "UPDATE mission SET name=$1, template=$2, difficulty=$3, enabled=$4, rotation_order=$5, "
        "parameters=$6, source=$7, file_name=$8, size_bytes=$9, file_mtime=$10, world_name=$11, "
        "briefing_name=$12, on_load_name=$13, available_parameters=$14 WHERE id=$15") : NULL;
    if (!stmt)
        return DB_ERROR;
    bind_columns(stmt, m);
    sqlite3_bind_int64(stmt, 15, m->id);
    return db_run_changing(db, stmt);
}

db_result mission_repo_delete(int64_t id)
{
    return db_run_with_id("DELETE FROM mission WHERE id = $1", id);
}

db_result mission_repo_disable_all(void)
{
    sqlite3 *db = db_conn();
    if (!db)
        return DB_ERROR;
    return db_exec(db, "UPDATE mission SET enabled = 0, rotation_order = NULL WHERE enabled") == 0
               ? DB_OK
               : DB_ERROR;
}

db_result mission_repo_next_order(int64_t *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT COALESCE(MAX(rotation_order), 0) + 1 FROM mission "
                                             "WHERE enabled") : NULL;
    if (!stmt)
        return DB_ERROR;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    db_result result = db_step_result(db, rc);
    sqlite3_finalize(stmt);
    return result;
}
