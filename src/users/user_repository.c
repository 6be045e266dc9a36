#include "users/user_repository.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_COLUMNS                                                                                       \
    "id, username, password, locked, created_date_time, last_success_login_date_time,"                     \
    " password_changed_date_time"

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
    snprintf(dst, size, "%s", src ? (const char *)src : "");
}

static void read_user_row(sqlite3_stmt *stmt, user_record *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(stmt, 0);
    copy_text(u->username, sizeof u->username, sqlite3_column_text(stmt, 1));
    copy_text(u->password_hash, sizeof u->password_hash, sqlite3_column_text(stmt, 2));
    u->locked = sqlite3_column_int(stmt, 3) != 0;
    u->created_ms = sqlite3_column_int64(stmt, 4);
    u->last_login_ms = sqlite3_column_int64(stmt, 5);
    u->password_changed_ms = sqlite3_column_int64(stmt, 6);
}

static db_result load_authorities(sqlite3 *db, user_record *u)
{
    sqlite3_stmt *stmt = db_prepare(db, "SELECT authority_id FROM user_authority WHERE user_id = $1");
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, u->id);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t aid = sqlite3_column_int64(stmt, 0);
        if (aid >= 1 && aid <= AUTHORITY_COUNT)
            u->authorities |= (authority_set)1 << (aid - 1);
    }
    sqlite3_finalize(stmt);
    return db_step_result(db, rc);
}

static void read_user_cb(sqlite3_stmt *stmt, void *elem)
{
    read_user_row(stmt, elem);
}

static db_result find_one(const char *where, int64_t id, const char *text, user_record *out)
{
    sqlite3 *db = db_conn();
    if (!db)
        return DB_ERROR;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT " USER_COLUMNS " FROM aswg_user WHERE %s", where);
    sqlite3_stmt *stmt = db_prepare(db, sql);
    if (!stmt)
        return DB_ERROR;
    if (text)
        sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(stmt, 1, id);
    db_result result = db_find_one(db, stmt, read_user_cb, out);
    return result == DB_OK ? load_authorities(db, out) : result;
}

db_result user_repo_find_by_id(int64_t id, user_record *out)
{
    return find_one("id = $1", id, NULL, out);
}

db_result user_repo_find_by_username(const char *username, user_record *out)
{
    return find_one("username = $1", 0, username, out);
}


db_result user_repo_list(user_record **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT " USER_COLUMNS " FROM aswg_user ORDER BY id") : NULL;
    if (!stmt)
        return DB_ERROR;
    db_result result = db_collect_rows(db, stmt, sizeof **out, read_user_cb, (void **)out, count);
    for (size_t i = 0; result == DB_OK && i < *count; i++)
        result = load_authorities(db, &(*out)[i]);
    if (result != DB_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return result;
}

/* Runs a statement whose parameters are (text, int64...) and that changes one row. */
static db_result exec_changing_row(const char *sql, const char *text, int64_t a, int64_t b)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, sql) : NULL;
    if (!stmt)
        return DB_ERROR;
    int n = 1;
    if (text)
        sqlite3_bind_text(stmt, n++, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, n++, a);
    if (n <= sqlite3_bind_parameter_count(stmt))
        sqlite3_bind_int64(stmt, n, b);
    return db_run_changing(db, stmt);
}

db_result user_repo_set_authorities(int64_t id, authority_set authorities)
{
    sqlite3 *db = db_conn();
    if (!db)
        return DB_ERROR;
    sqlite3_stmt *del = db_prepare(db, "DELETE FROM user_authority WHERE user_id = $1");
    if (!del)
        return DB_ERROR;
    sqlite3_bind_int64(del, 1, id);
    db_result result = db_step_result(db, sqlite3_step(del));
    sqlite3_finalize(del);
    sqlite3_stmt *ins = db_prepare(db, "INSERT INTO user_authority(user_id, authority_id) VALUES ($1, $2)");
    if (!ins)
        return DB_ERROR;
    for (int i = 0; result == DB_OK && i < AUTHORITY_COUNT; i++) {
        if (!(authorities & ((authority_set)1 << i)))
            continue;
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_int64(ins, 2, i + 1);
        result = db_step_result(db, sqlite3_step(ins));
    }
    sqlite3_finalize(ins);
    return result;
}

db_result user_repo_insert(const user_record *user, int64_t *id_out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db,
        "INSERT INTO aswg_user(username, password, locked, created_date_time) VALUES ($1, $2, $3, $4)") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, user->username, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, user->password_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 3, user->locked);
    sqlite3_bind_int64(stmt, 4, user->created_ms);
    db_result result = db_step_result(db, sqlite3_step(stmt));
    sqlite3_finalize(stmt);
    if (result != DB_OK)
        return result;
    *id_out = sqlite3_last_insert_rowid(db);
    return user_repo_set_authorities(*id_out, user->authorities);
}

db_result user_repo_update(int64_t id, const char *username, bool locked)
{
    return exec_changing_row("UPDATE aswg_user SET username = $1, locked = $2 WHERE id = $3",
                             username, locked, id);
}

db_result user_repo_set_password(int64_t id, const char *hash)
{
    return exec_changing_row("UPDATE aswg_user SET password = $1, password_changed_date_time = $2 WHERE id = $3",
                             hash, db_now_ms(), id);
}

db_result user_repo_reset(int64_t id, const char *hash, int64_t created_ms)
{
    return exec_changing_row("UPDATE aswg_user SET password = $1, locked = 0, created_date_time = $2, "
                             "password_changed_date_time = $2 WHERE id = $3", hash, created_ms, id);
}

db_result user_repo_touch_login(int64_t id, int64_t when_ms)
{
    return exec_changing_row("UPDATE aswg_user SET last_success_login_date_time = $1 WHERE id = $2",
                             NULL, when_ms, id);
}

db_result user_repo_delete(int64_t id)
{
    return exec_changing_row("DELETE FROM aswg_user WHERE id = $1", NULL, id, 0);
}
