#include "core/named_rows.h"

#include <stdio.h>
#include <stdlib.h>

const named_table DIFFICULTY_PROFILE_TABLE = {"difficulty_profile", false};
const named_table MOD_SETTINGS_TABLE = {"mod_settings", true};

/* The statement for sql, whose %s is the table name (a constant, never user input). */
static sqlite3_stmt *prepare(sqlite3 *db, const named_table *t, const char *sql)
{
    char text[512];
    snprintf(text, sizeof text, sql, t->table);
    return db_prepare(db, text);
}

static void read_row(sqlite3_stmt *stmt, void *elem)
{
    named_row *r = elem;
    r->id = sqlite3_column_int64(stmt, 0);
    snprintf(r->name, sizeof r->name, "%s", (const char *)sqlite3_column_text(stmt, 1));
    r->active = sqlite3_column_int(stmt, 2) != 0;
}

db_result named_rows_list(const named_table *t, named_row **out, size_t *count)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "SELECT id, name, active FROM %s ORDER BY id") : NULL;
    return db_list_rows(db, stmt, sizeof **out, read_row, (void **)out, count);
}

db_result named_rows_find_by_id(const named_table *t, int64_t id, named_row *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "SELECT id, name, active FROM %s WHERE id = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, id);
    return db_find_one(db, stmt, read_row, out);
}

db_result named_rows_find_by_name(const named_table *t, const char *name, named_row *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = !db ? NULL
                         : t->names_fold_case
                             ? prepare(db, t, "SELECT id, name, active FROM %s WHERE lower(name) = lower($1)")
                             : prepare(db, t, "SELECT id, name, active FROM %s WHERE name = $1");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
    return db_find_one(db, stmt, read_row, out);
}

db_result named_rows_find_active(const named_table *t, named_row *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "SELECT id, name, active FROM %s WHERE active") : NULL;
    return stmt ? db_find_one(db, stmt, read_row, out) : DB_ERROR;
}

db_result named_rows_insert(const named_table *t, const char *name, bool active, int64_t *id_out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "INSERT INTO %s(name, active) VALUES ($1, $2)") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, active);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    if (result == DB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(db);
    return result;
}

db_result named_rows_update(const named_table *t, int64_t id, const char *name, bool active)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "UPDATE %s SET name = $1, active = $2 WHERE id = $3") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, active);
    sqlite3_bind_int64(stmt, 3, id);
    return db_run_changing(db, stmt);
}

db_result named_rows_delete(const named_table *t, int64_t id)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "DELETE FROM %s WHERE id = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, id);
    return db_run_changing(db, stmt);
}

db_result named_rows_deactivate_others(const named_table *t, int64_t id)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "UPDATE %s SET active = FALSE WHERE active AND id <> $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, id);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    return result;
}

db_result named_rows_count(const named_table *t, int64_t *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? prepare(db, t, "SELECT count(*) FROM %s") : NULL;
    if (!stmt)
        return DB_ERROR;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    db_result result = db_step_result(db, rc);
    sqlite3_finalize(stmt);
    return result;
}
