#include "core/db.h"

#include "core/log.h"
#include "core/migrations.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static char *g_db_path;
static pthread_key_t g_conn_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

static void close_connection(void *conn)
{
    sqlite3_close_v2(conn);
}

static void create_key(void)
{
    pthread_key_create(&g_conn_key, close_connection);
}

int64_t db_now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("database: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        log_error("database: cannot prepare statement: %s", sqlite3_errmsg(db));
        return NULL;
    }
    return stmt;
}

int db_begin(sqlite3 *db)
{
    return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(sqlite3 *db)
{
    return db_exec(db, "COMMIT");
}

void db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3 *open_connection(const char *path, char *err, size_t err_size)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "%s: cannot open database: %s", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close_v2(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    /* WAL lets readers go on while a writer commits; NORMAL sync is durable in WAL mode except
     * for the last commits before a power loss, never corrupting. Each thread has a connection of
     * its own, each with a page cache: 512 KiB apiece (not SQLite's 2 MiB) keeps aswg small; the
     * hot data (the mission list) is cached as JSON anyway. */
    if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA cache_size=-512;") != 0) {
        snprintf(err, err_size, "%s: cannot configure database: %s", path, sqlite3_errmsg(db));
        sqlite3_close_v2(db);
        return NULL;
    }
    return db;
}

int db_schema_version(void)
{
    return (int)DB_MIGRATION_COUNT;
}

int db_current_version(sqlite3 *db)
{
    sqlite3_stmt *stmt = db_prepare(db, "PRAGMA user_version");
    int version = -1;
    if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

static int apply_migrations(sqlite3 *db, char *err, size_t err_size)
{
    int version = db_current_version(db);
    if (version < 0) {
        snprintf(err, err_size, "%s: cannot read the schema version: %s", g_db_path, sqlite3_errmsg(db));
        return -1;
    }
    if (version > (int)DB_MIGRATION_COUNT) {
        snprintf(err, err_size,
                 "%s: database schema version %d is newer than this aswg knows (%zu); "
                 "use a newer aswg or restore a backup",
                 g_db_path, version, DB_MIGRATION_COUNT);
        return -1;
    }
    for (size_t i = (size_t)version; i < DB_MIGRATION_COUNT; i++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version=%zu", i + 1);
        if (db_begin(db) != 0 || db_exec(db, DB_MIGRATIONS[i]) != 0 || db_exec(db, bump) != 0 ||
            db_commit(db) != 0) {
            snprintf(err, err_size, "%s: migration %zu failed: %s", g_db_path, i + 1, sqlite3_errmsg(db));
            db_rollback(db);
            return -1;
        }
        log_info("database migrated to schema version %zu", i + 1);
    }
    return 0;
}

int db_open(const char *path, char *err, size_t err_size)
{
    pthread_once(&g_key_once, create_key);
    free(g_db_path);
    g_db_path = strdup(path);
    sqlite3 *db = g_db_path ? open_connection(path, err, err_size) : NULL;
    if (db && apply_migrations(db, err, err_size) != 0) {
        sqlite3_close_v2(db);
        db = NULL;
    }
    if (!db) {
        free(g_db_path); /* so db_conn() never opens a refused database */
        g_db_path = NULL;
        return -1;
    }
    pthread_setspecific(g_conn_key, db);
    return 0;
}

sqlite3 *db_conn(void)
{
    sqlite3 *db = pthread_getspecific(g_conn_key);
    if (db || !g_db_path)
        return db;
    char err[512];
    db = open_connection(g_db_path, err, sizeof err);
    if (!db) {
        log_error("%s", err);
        return NULL;
    }
    pthread_setspecific(g_conn_key, db);
    return db;
}

void db_close(void)
{
    sqlite3 *db = pthread_getspecific(g_conn_key);
    if (db) {
        sqlite3_close_v2(db);
        pthread_setspecific(g_conn_key, NULL);
    }
    free(g_db_path);
    g_db_path = NULL;
}

bool db_healthy(void)
{
    sqlite3 *db = db_conn();
    if (!db)
        return false;
    sqlite3_stmt *stmt = db_prepare(db, "SELECT count(*) FROM aswg_authority");
    bool ok = stmt && sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return ok;
}

int db_tx_begin(void)
{
    sqlite3 *db = db_conn();
    return db ? db_begin(db) : -1;
}

int db_tx_commit(void)
{
    sqlite3 *db = db_conn();
    return db ? db_commit(db) : -1;
}

void db_tx_rollback(void)
{
    sqlite3 *db = db_conn();
    if (db)
        db_rollback(db);
}

db_result db_step_result(sqlite3 *db, int rc)
{
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return DB_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return DB_CONFLICT;
    log_error("database: %s", sqlite3_errmsg(db));
    return DB_ERROR;
}

db_result db_list_rows(sqlite3 *db, sqlite3_stmt *stmt, size_t elem_size,
                       void (*read_row)(sqlite3_stmt *stmt, void *elem), void **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!stmt)
        return DB_ERROR;
    db_result result = db_collect_rows(db, stmt, elem_size, read_row, out, count);
    if (result != DB_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return result;
}

db_result db_collect_rows(sqlite3 *db, sqlite3_stmt *stmt, size_t elem_size,
                          void (*read_row)(sqlite3_stmt *stmt, void *elem), void **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    size_t cap = 0;
    int rc;
    db_result result = DB_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            void *bigger = realloc(*out, cap * elem_size);
            if (!bigger) {
                result = DB_ERROR;
                break;
            }
            *out = bigger;
        }
        read_row(stmt, (char *)*out + elem_size * (*count)++);
    }
    if (result == DB_OK)
        result = db_step_result(db, rc);
    sqlite3_finalize(stmt);
    return result;
}

db_result db_find_one(sqlite3 *db, sqlite3_stmt *stmt, void (*read_row)(sqlite3_stmt *stmt, void *elem),
                      void *out)
{
    int rc = sqlite3_step(stmt);
    db_result result = DB_NOT_FOUND;
    if (rc == SQLITE_ROW) {
        read_row(stmt, out);
        result = DB_OK;
    } else if (rc != SQLITE_DONE) {
        result = db_step_result(db, rc);
    }
    sqlite3_finalize(stmt);
    return result;
}

db_result db_run_with_id(const char *sql, int64_t id)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, sql) : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, id);
    return db_run_changing(db, stmt);
}

db_result db_run_changing(sqlite3 *db, sqlite3_stmt *stmt)
{
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    if (result == DB_OK && sqlite3_changes(db) == 0)
        result = DB_NOT_FOUND;
    return result;
}
