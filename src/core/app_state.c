#include "core/app_state.h"

db_result app_state_has(const char *key, bool *present)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT 1 FROM app_state WHERE key = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(stmt);
    *present = rc == SQLITE_ROW;
    db_result result = db_step_result(db, rc);
    sqlite3_finalize(stmt);
    return result;
}

db_result app_state_set(const char *key, const char *value)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db,
        "INSERT INTO app_state(key, value) VALUES ($1, $2) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    return result;
}
