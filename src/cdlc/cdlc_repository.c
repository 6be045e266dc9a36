#include "cdlc/cdlc_repository.h"

#include <stdio.h>
#include <stdlib.h>

static void read_row(sqlite3_stmt *stmt, void *elem)
{
    cdlc_record *c = elem;
    c->id = sqlite3_column_int64(stmt, 0);
    snprintf(c->name, sizeof c->name, "%s", (const char *)sqlite3_column_text(stmt, 1));
    snprintf(c->directory_name, sizeof c->directory_name, "%s", (const char *)sqlite3_column_text(stmt, 2));
    c->enabled = sqlite3_column_int(stmt, 3) != 0;
}

db_result cdlc_repo_list(cdlc_record **out, size_t *count)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *stmt = db ? db_prepare(db, "SELECT id, name, directory_name, enabled FROM cdlc ORDER BY id") : NULL;
    return db_list_rows(db, stmt, sizeof **out, read_row, (void **)out, count);
}

db_result cdlc_repo_toggle(int64_t id)
{
    return db_run_with_id("UPDATE cdlc SET enabled = NOT enabled WHERE id = $1", id);
}
