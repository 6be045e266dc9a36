#include "mods/workshop_repository.h"

#include <stdio.h>
#include <stdlib.h>

db_result workshop_task_add(int64_t file_id, const char *title, const char *issuer, bool forced)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "INSERT INTO workshop_task (file_id, title, issuer, forced, created)"
                                             " VALUES ($1, $2, $3, $4, $5) ON CONFLICT(file_id) DO UPDATE SET"
                                             " forced = forced OR excluded.forced,"
                                             " attempts = CASE WHEN gave_up THEN 0 ELSE attempts END,"
                                             " not_before = CASE WHEN gave_up THEN 0 ELSE not_before END,"
                                             " gave_up = FALSE")
                            : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, file_id);
    sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, issuer, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, forced);
    sqlite3_bind_int64(stmt, 5, db_now_ms());
    return db_run_changing(db, stmt);
}

static void read_row(sqlite3_stmt *stmt, void *elem)
{
    workshop_task *t = elem;
    t->id = sqlite3_column_int64(stmt, 0);
    t->file_id = sqlite3_column_int64(stmt, 1);
    snprintf(t->title, sizeof t->title, "%s", (const char *)sqlite3_column_text(stmt, 2));
    snprintf(t->issuer, sizeof t->issuer, "%s", (const char *)sqlite3_column_text(stmt, 3));
    t->forced = sqlite3_column_int(stmt, 4) != 0;
    t->attempts = sqlite3_column_int(stmt, 5);
    t->not_before_ms = sqlite3_column_int64(stmt, 6);
    t->created_ms = sqlite3_column_int64(stmt, 7);
    const unsigned char *why = sqlite3_column_text(stmt, 8);
    snprintf(t->last_error, sizeof t->last_error, "%s", why ? (const char *)why : "");
    t->gave_up = sqlite3_column_int(stmt, 9) != 0;
}

db_result workshop_task_list(workshop_task **out, size_t *count)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT id, file_id, title, issuer, forced, attempts, not_before,"
                                             " created, last_error, gave_up FROM workshop_task ORDER BY id")
                            : NULL;
    return db_list_rows(db, stmt, sizeof **out, read_row, (void **)out, count);
}

db_result workshop_task_remove(int64_t file_id)
{
    return db_run_with_id("DELETE FROM workshop_task WHERE file_id = $1", file_id);
}

static db_result count_failure(int64_t file_id, int64_t not_before_ms, bool give_up, const char *why)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "UPDATE workshop_task SET attempts = attempts + 1, not_before = $1,"
                                             " last_error = $2, gave_up = $3 WHERE file_id = $4")
                            : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, not_before_ms);
    sqlite3_bind_text(stmt, 2, why, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 3, give_up);
    sqlite3_bind_int64(stmt, 4, file_id);
    return db_run_changing(db, stmt);
}

db_result workshop_task_postpone(int64_t file_id, int64_t not_before_ms, const char *why)
{
    return count_failure(file_id, not_before_ms, false, why);
}

db_result workshop_task_give_up(int64_t file_id, const char *why)
{
    return count_failure(file_id, 0, true, why);
}

static void read_flag(sqlite3_stmt *stmt, void *elem)
{
    *(bool *)elem = sqlite3_column_int(stmt, 0) != 0;
}

bool workshop_task_queued(int64_t file_id)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT 1 FROM workshop_task WHERE file_id = $1 AND NOT gave_up") : NULL;
    bool found = false;
    if (!stmt)
        return false;
    sqlite3_bind_int64(stmt, 1, file_id);
    return db_find_one(db, stmt, read_flag, &found) == DB_OK && found;
}
