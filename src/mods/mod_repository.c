#include "mods/mod_repository.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLUMNS                                                                                            \
    "id, workshop_file_id, name, directory_path, preview_url, enabled, server_mod, created_date,"          \
    " last_workshop_update_date, last_workshop_update_attempt_date, dependencies_ids, load_order"

static void copy_text(char *out, size_t size, sqlite3_stmt *stmt, int col)
{
    const unsigned char *t = sqlite3_column_text(stmt, col);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static void read_row(sqlite3_stmt *stmt, void *elem)
{
    mod_record *m = elem;
    m->id = sqlite3_column_int64(stmt, 0);
    m->workshop_file_id = sqlite3_column_int64(stmt, 1);
    copy_text(m->name, sizeof m->name, stmt, 2);
    copy_text(m->directory, sizeof m->directory, stmt, 3);
    copy_text(m->preview_url, sizeof m->preview_url, stmt, 4);
    m->enabled = sqlite3_column_int(stmt, 5) != 0;
    m->server_mod = sqlite3_column_int(stmt, 6) != 0;
    m->created_ms = sqlite3_column_int64(stmt, 7);
    m->last_update_ms = sqlite3_column_int64(stmt, 8);
    m->last_attempt_ms = sqlite3_column_int64(stmt, 9);
    copy_text(m->dependencies, sizeof m->dependencies, stmt, 10);
    m->load_order = sqlite3_column_int64(stmt, 11);
}

db_result mod_repo_list(mod_record **out, size_t *count)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT " COLUMNS " FROM installed_mod"
                                             " ORDER BY enabled DESC, load_order, name COLLATE NOCASE")
                            : NULL;
    return db_list_rows(db, stmt, sizeof **out, read_row, (void **)out, count);
}

static db_result find_one(const char *where, const char *text, int64_t number, mod_record *out)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT " COLUMNS " FROM installed_mod WHERE %s", where);
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, sql) : NULL;
    if (!stmt)
        return DB_ERROR;
    if (text)
        sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(stmt, 1, number);
    return db_find_one(db, stmt, read_row, out);
}

db_result mod_repo_find_by_name(const char *name, mod_record *out)
{
    return find_one("name = $1", name, 0, out);
}

db_result mod_repo_find_by_file_id(int64_t file_id, mod_record *out)
{
    return find_one("workshop_file_id = $1", NULL, file_id, out);
}

static void bind_nullable_ms(sqlite3_stmt *stmt, int col, int64_t ms)
{
    if (ms)
        sqlite3_bind_int64(stmt, col, ms);
    else
        sqlite3_bind_null(stmt, col);
}

db_result mod_repo_upsert(const mod_record *m)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt =
        db ? db_prepare(db, "INSERT INTO installed_mod (workshop_file_id, name, directory_path, preview_url,"
                            " created_date, last_workshop_update_date, last_workshop_update_attempt_date,"
                            " dependencies_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                            " ON CONFLICT(workshop_file_id) DO UPDATE SET name = excluded.name,"
                            " directory_path = excluded.directory_path,"
                            " preview_url = COALESCE(excluded.preview_url, preview_url),"
                            " last_workshop_update_date = COALESCE(excluded.last_workshop_update_date,"
                            " last_workshop_update_date), last_workshop_update_attempt_date ="
                            " COALESCE(excluded.last_workshop_update_attempt_date, last_workshop_update_attempt_date),"
                            " dependencies_ids = excluded.dependencies_ids")
           : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, m->workshop_file_id);
    sqlite3_bind_text(stmt, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, m->directory, -1, SQLITE_STATIC);
    if (m->preview_url[0])
        sqlite3_bind_text(stmt, 4, m->preview_url, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 4);
    sqlite3_bind_int64(stmt, 5, m->created_ms ? m->created_ms : db_now_ms());
    bind_nullable_ms(stmt, 6, m->last_update_ms);
    bind_nullable_ms(stmt, 7, m->last_attempt_ms);
    sqlite3_bind_text(stmt, 8, m->dependencies, -1, SQLITE_STATIC);
    return db_run_changing(db, stmt);
}

db_result mod_repo_delete(int64_t id)
{
    return db_run_with_id("DELETE FROM installed_mod WHERE id = $1", id);
}

db_result mod_repo_disable_all(void)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt =
        db ? db_prepare(db, "UPDATE installed_mod SET enabled = FALSE, server_mod = FALSE, load_order = 0") : NULL;
    if (!stmt)
        return DB_ERROR;
    db_result r = db_run_changing(db, stmt);
    return r == DB_NOT_FOUND ? DB_OK : r;
}

db_result mod_repo_enable(int64_t file_id, bool server_mod, int64_t load_order)
{
    sqlite3 *db = db_conn();
    /* SQLite numbers $N parameters in the order they appear, whatever N says: keep them in order. */
    sqlite3_stmt *stmt = db ? db_prepare(db, "UPDATE installed_mod SET enabled = TRUE, server_mod = $1,"
                                             " load_order = $2 WHERE workshop_file_id = $3")
                            : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int(stmt, 1, server_mod);
    sqlite3_bind_int64(stmt, 2, load_order);
    sqlite3_bind_int64(stmt, 3, file_id);
    return db_run_changing(db, stmt);
}
