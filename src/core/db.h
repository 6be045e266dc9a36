/* The SQLite database (WAL, foreign keys on, busy timeout) and its migrations.
 * Each thread gets its own connection (opened on first use, closed by db_close()), so requests on
 * the HTTP thread pool and jobs never share a handle. Timestamps are stored as INTEGER
 * milliseconds since the epoch (UTC) and formatted at the edges. */
#ifndef ASWG_CORE_DB_H
#define ASWG_CORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opens (creating if needed) the database at path and applies pending migrations, each in one
 * transaction. A database newer than this binary is refused. Returns 0 or -1 with err set. */
int db_open(const char *path, char *err, size_t err_size);
void db_close(void);

/* This thread's connection; NULL if the database cannot be opened (logged). */
sqlite3 *db_conn(void);

/* Schema version this binary knows, and the version of the open database. */
int db_schema_version(void);
int db_current_version(sqlite3 *db);

/* Runs "SELECT 1"-style check used by the health endpoint. */
bool db_healthy(void);

/* Small helpers for repositories. Each logs SQLite's message on failure. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);
int db_exec(sqlite3 *db, const char *sql);
int db_begin(sqlite3 *db);      /* BEGIN IMMEDIATE: take the write lock up front */
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* Transactions on this thread's connection, for services that group repository calls. */
int db_tx_begin(void);
int db_tx_commit(void);
void db_tx_rollback(void);

/* What repository functions return. */
typedef enum db_result { DB_OK = 0, DB_NOT_FOUND, DB_CONFLICT, DB_ERROR } db_result;

/* Maps a finished sqlite3_step() code: DONE -> DB_OK, constraint -> DB_CONFLICT, else DB_ERROR
 * (logged). */
db_result db_step_result(sqlite3 *db, int rc);

/* Steps stmt to its end and finalizes it, reading each row with read_row into the next element
 * (elem_size bytes) of a malloc'd array. On failure the rows read so far stay in *out for the
 * caller to free, and DB_ERROR is returned. */
db_result db_collect_rows(sqlite3 *db, sqlite3_stmt *stmt, size_t elem_size,
                          void (*read_row)(sqlite3_stmt *stmt, void *elem), void **out, size_t *count);
/* The same for rows that own no memory, all or nothing: stmt may be NULL (a failed prepare, so
 * DB_ERROR), and on failure *out is freed and set to NULL with *count 0. */
db_result db_list_rows(sqlite3 *db, sqlite3_stmt *stmt, size_t elem_size,
                       void (*read_row)(sqlite3_stmt *stmt, void *elem), void **out, size_t *count);

/* Steps a write statement and finalizes it: DB_NOT_FOUND when it changed no row. */
db_result db_run_changing(sqlite3 *db, sqlite3_stmt *stmt);
/* Runs sql, whose only parameter $1 is id, on this thread's connection (db_run_changing's result). */
db_result db_run_with_id(const char *sql, int64_t id);

/* Steps stmt once and finalizes it: a row is read with read_row into out (DB_OK), no row is
 * DB_NOT_FOUND, anything else DB_ERROR. */
db_result db_find_one(sqlite3 *db, sqlite3_stmt *stmt, void (*read_row)(sqlite3_stmt *stmt, void *elem),
                      void *out);

int64_t db_now_ms(void);

#endif
