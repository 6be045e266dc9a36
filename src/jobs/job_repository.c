#include "jobs/job_repository.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void job_executions_free(job_execution *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(list[i].message);
    free(list);
}

/* Prepares sql on this thread's connection; NULL (logged) on failure. */
static sqlite3_stmt *prepare(sqlite3 **db, const char *sql)
{
    *db = db_conn();
    return *db ? db_prepare(*db, sql) : NULL;
}

static db_result run_once(sqlite3 *db, sqlite3_stmt *stmt)
{
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    return result;
}

db_result job_repo_start(const char *job, int64_t start_ms, int64_t *id_out)
{
    sqlite3 *db;
    sqlite3_stmt *stmt = prepare(&db, "INSERT INTO job_execution(job_name, start_date, status) VALUES ($1, $2, 'STARTED')");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, start_ms);
    db_result result = run_once(db, stmt);
    if (result == DB_OK)
        *id_out = sqlite3_last_insert_rowid(db);
    return result;
}

db_result job_repo_finish(int64_t id, const char *status, const char *message, int64_t finish_ms)
{
    sqlite3 *db;
    sqlite3_stmt *stmt = prepare(&db, "UPDATE job_execution SET status = $1, message = $2, finish_date = $3, "
                                      "duration_ms = $3 - start_date WHERE id = $4");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, status, -1, SQLITE_TRANSIENT);
    if (message)
        sqlite3_bind_text(stmt, 2, message, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, finish_ms);
    sqlite3_bind_int64(stmt, 4, id);
    return run_once(db, stmt);
}

db_result job_repo_skipped(const char *job, int64_t when_ms, const char *message)
{
    sqlite3 *db;
    sqlite3_stmt *stmt = prepare(&db, "INSERT INTO job_execution(job_name, start_date, finish_date, status, "
                                      "message, duration_ms) VALUES ($1, $2, $2, 'SKIPPED', $3, 0)");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, when_ms);
    sqlite3_bind_text(stmt, 3, message, -1, SQLITE_TRANSIENT);
    return run_once(db, stmt);
}

db_result job_repo_prune(const char *job)
{
    sqlite3 *db;
    sqlite3_stmt *stmt = prepare(&db, "DELETE FROM job_execution WHERE job_name = $1 AND id NOT IN "
                                      "(SELECT id FROM job_execution WHERE job_name = $1 ORDER BY id DESC LIMIT $2)");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, JOB_HISTORY_KEEP);
    return run_once(db, stmt);
}

db_result job_repo_fail_orphans(const char *message, int64_t now_ms, int64_t *count)
{
    sqlite3 *db;
    sqlite3_stmt *stmt = prepare(&db, "UPDATE job_execution SET status = 'FAILURE', message = $1, "
                                      "finish_date = $2, duration_ms = $2 - start_date WHERE status = 'STARTED'");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, message, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, now_ms);
    db_result result = run_once(db, stmt);
    *count = result == DB_OK ? sqlite3_changes(db) : 0;
    return result;
}

static void read_row(sqlite3_stmt *stmt, job_execution *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(stmt, 0);
    snprintf(e->job_name, sizeof e->job_name, "%s", (const char *)sqlite3_column_text(stmt, 1));
    e->start_ms = sqlite3_column_int64(stmt, 2);
    e->finish_ms = sqlite3_column_int64(stmt, 3);
    snprintf(e->status, sizeof e->status, "%s", (const char *)sqlite3_column_text(stmt, 4));
    const unsigned char *msg = sqlite3_column_text(stmt, 5);
    e->message = msg ? strdup((const char *)msg) : NULL;
    e->duration_ms = sqlite3_column_type(stmt, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(stmt, 6);
}

static void read_row_cb(sqlite3_stmt *stmt, void *elem)
{
    read_row(stmt, elem);
}

db_result job_repo_list(const char *job, int64_t before_id, int64_t limit, job_execution **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    sqlite3 *db;
    sqlite3_stmt *stmt = prepare(&db, "SELECT id, job_name, start_date, finish_date, status, message, duration_ms "
                                      "FROM job_execution WHERE job_name = $1 AND ($2 = 0 OR id < $2) "
                                      "ORDER BY id DESC LIMIT $3");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, before_id);
    sqlite3_bind_int64(stmt, 3, limit);
    db_result result = db_collect_rows(db, stmt, sizeof **out, read_row_cb, (void **)out, count);
    if (result != DB_OK) {
        job_executions_free(*out, *count);
        *out = NULL;
        *count = 0;
    }
    return result;
}
