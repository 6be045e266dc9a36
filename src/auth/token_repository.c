#include "auth/token_repository.h"

db_result token_repo_revoke(const char *digest_hex, int64_t expires_ms, int64_t now_ms)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db,
        "INSERT OR IGNORE INTO invalid_jwt_token(jwt, expiration_date_time, invalidated_date_time) "
        "VALUES ($1, $2, $3)") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, digest_hex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, expires_ms);
    sqlite3_bind_int64(stmt, 3, now_ms);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    return result;
}

db_result token_repo_find(const char *digest_hex)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT 1 FROM invalid_jwt_token WHERE jwt = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, digest_hex, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(stmt);
    db_result result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
    sqlite3_finalize(stmt);
    return result;
}

db_result token_repo_delete_expired(int64_t now_ms, int64_t *deleted)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "DELETE FROM invalid_jwt_token WHERE expiration_date_time < $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, now_ms);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    *deleted = result == DB_OK ? sqlite3_changes(db) : 0;
    return result;
}
