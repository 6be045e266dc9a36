#include "mods/preset_repository.h"

#include <stdio.h>
#include <stdlib.h>

static void read_preset(sqlite3_stmt *stmt, void *elem)
{
    preset_record *p = elem;
    p->id = sqlite3_column_int64(stmt, 0);
    snprintf(p->name, sizeof p->name, "%s", (const char *)sqlite3_column_text(stmt, 1));
}

static void read_entry(sqlite3_stmt *stmt, void *elem)
{
    preset_entry *e = elem;
    e->id = sqlite3_column_int64(stmt, 0);
    e->mod_id = sqlite3_column_int64(stmt, 1);
    snprintf(e->mod_name, sizeof e->mod_name, "%s", (const char *)sqlite3_column_text(stmt, 2));
}

db_result preset_repo_list(preset_record **out, size_t *count)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT id, name FROM mod_preset ORDER BY name COLLATE NOCASE") : NULL;
    return db_list_rows(db, stmt, sizeof **out, read_preset, (void **)out, count);
}

db_result preset_repo_find_by_name(const char *name, preset_record *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT id, name FROM mod_preset WHERE name = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    return db_find_one(db, stmt, read_preset, out);
}

db_result preset_repo_find_by_id(int64_t id, preset_record *out)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT id, name FROM mod_preset WHERE id = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_int64(stmt, 1, id);
    return db_find_one(db, stmt, read_preset, out);
}

db_result preset_repo_entries(int64_t preset_id, preset_entry **out, size_t *count)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT id, mod_id, mod_name FROM mod_preset_entry"
                                             " WHERE mod_preset_id = $1 ORDER BY id")
                            : NULL;
    if (stmt)
        sqlite3_bind_int64(stmt, 1, preset_id);
    return db_list_rows(db, stmt, sizeof **out, read_entry, (void **)out, count);
}

static db_result run(sqlite3 *db, const char *sql, int64_t id, const char *text)
{
    sqlite3_stmt *stmt = db_prepare(db, sql);
    if (!stmt)
        return DB_ERROR;
    int col = 1;
    if (text)
        sqlite3_bind_text(stmt, col++, text, -1, SQLITE_STATIC);
    if (id)
        sqlite3_bind_int64(stmt, col, id);
    db_result r = db_run_changing(db, stmt);
    return r == DB_NOT_FOUND ? DB_OK : r;
}

db_result preset_repo_save(const char *name, const char *new_name, const preset_entry *entries, size_t count,
                           int64_t *id_out)
{
    sqlite3 *db = db_conn();
    if (!db)
        return DB_ERROR;
    preset_record p;
    db_result r = preset_repo_find_by_name(name, &p);
    if (r == DB_NOT_FOUND) {
        r = run(db, "INSERT INTO mod_preset (name) VALUES ($1)", 0, name);
        p.id = sqlite3_last_insert_rowid(db);
    }
    if (r == DB_OK && new_name)
        r = run(db, "UPDATE mod_preset SET name = $1 WHERE id = $2", p.id, new_name);
    if (r == DB_OK)
        r = run(db, "DELETE FROM mod_preset_entry WHERE mod_preset_id = $1", p.id, NULL);
    for (size_t i = 0; i < count && r == DB_OK; i++) {
        sqlite3_stmt *stmt = db_prepare(db, "INSERT INTO mod_preset_entry (mod_preset_id, mod_id, mod_name)"
                                            " VALUES ($1, $2, $3)");
        if (!stmt)
            return DB_ERROR;
        sqlite3_bind_int64(stmt, 1, p.id);
        sqlite3_bind_int64(stmt, 2, entries[i].mod_id);
        sqlite3_bind_text(stmt, 3, entries[i].mod_name, -1, SQLITE_STATIC);
        r = db_run_changing(db, stmt);
    }
    if (r == DB_OK)
        *id_out = p.id; /* p holds no row when the lookup failed */
    return r;
}

db_result preset_repo_delete(const char *name)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "DELETE FROM mod_preset WHERE name = $1") : NULL;
    if (!stmt)
        return DB_ERROR;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    return db_run_changing(db, stmt);
}
