#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/tmpdir.h"

#include "core/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- fixture: a temp directory holding aswg.db ---- */

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/aswg-unit-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/aswg.db", f->dir);
    *state = f;
    return 0;
}


static int teardown(void **state)
{
    fixture *f = *state;
    db_close();
    int rc = test_remove_tree(f->dir);
    free(f);
    return rc;
}

/* ---- helpers ---- */

static void open_ok(const fixture *f)
{
    char err[512] = "";
    if (db_open(f->path, err, sizeof err) != 0)
        fail_msg("db_open failed: %s", err);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = db_prepare(db, sql);
    if (!stmt)
        fail_msg("cannot prepare: %s", sql);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

/* The text of the first column of the first row (copied into out). */
static void query_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *stmt = db_prepare(db, sql);
    if (!stmt)
        fail_msg("cannot prepare: %s", sql);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    const unsigned char *text = sqlite3_column_text(stmt, 0);
    assert_non_null(text);
    snprintf(out, size, "%s", (const char *)text);
    sqlite3_finalize(stmt);
}

static bool table_exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *stmt = db_prepare(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?");
    assert_non_null(stmt);
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    bool found = sqlite3_column_int(stmt, 0) == 1;
    sqlite3_finalize(stmt);
    return found;
}

static bool column_exists(sqlite3 *db, const char *table, const char *column)
{
    sqlite3_stmt *stmt = db_prepare(db, "SELECT count(*) FROM pragma_table_info(?) WHERE name=?");
    assert_non_null(stmt);
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, column, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    bool found = sqlite3_column_int(stmt, 0) == 1;
    sqlite3_finalize(stmt);
    return found;
}

static void insert_user(sqlite3 *db, const char *username)
{
    sqlite3_stmt *stmt = db_prepare(db, "INSERT INTO aswg_user(username, password, created_date_time) "
                                        "VALUES (?, 'hash', ?)");
    assert_non_null(stmt);
    sqlite3_bind_text(stmt, 1, username, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, db_now_ms());
    assert_int_equal(db_step_result(db, sqlite3_step(stmt)), DB_OK);
    sqlite3_finalize(stmt);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(data, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
}

/* ---- tests ---- */

static void test_new_database_schema(void **state)
{
    fixture *f = *state;
    open_ok(f);
    sqlite3 *db = db_conn();
    assert_non_null(db);
    assert_true(db_schema_version() >= 1);
    assert_int_equal(query_int(db, "PRAGMA user_version"), db_schema_version());
    assert_int_equal(db_current_version(db), db_schema_version());

    static const char *const TABLES[] = {
        "aswg_user", "aswg_authority", "user_authority", "mission", "cdlc", "invalid_jwt_token",
        "job_execution", "installed_mod", "mod_preset", "mod_preset_entry", "difficulty_profile",
        "mod_settings",
    };
    for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++)
        if (!table_exists(db, TABLES[i]))
            fail_msg("table %s is missing", TABLES[i]);
    assert_false(table_exists(db, "no_such_table"));
    assert_true(column_exists(db, "mission", "source"));
    assert_false(column_exists(db, "mission", "no_such_column"));
    char text[128];
    query_text(db, "SELECT dflt_value FROM pragma_table_info('mission') WHERE name='source'", text,
               sizeof text);
    assert_string_equal(text, "'FILE'");
}

static void test_seeded_authorities_and_cdlcs(void **state)
{
    fixture *f = *state;
    open_ok(f);
    sqlite3 *db = db_conn();
    char text[128];
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_authority"), 42);
    assert_int_equal(query_int(db, "SELECT count(DISTINCT code) FROM aswg_authority"), 42);
    assert_int_equal(query_int(db, "SELECT min(id) FROM aswg_authority"), 1);
    assert_int_equal(query_int(db, "SELECT max(id) FROM aswg_authority"), 42);
    query_text(db, "SELECT code FROM aswg_authority WHERE id=1", text, sizeof text);
    assert_string_equal(text, "SERVER_START_STOP");
    query_text(db, "SELECT code FROM aswg_authority WHERE id=36", text, sizeof text);
    assert_string_equal(text, "CDLC_VIEW");
    query_text(db, "SELECT code FROM aswg_authority WHERE id=42", text, sizeof text);
    assert_string_equal(text, "MISSIONS_DOWNLOAD");
    query_text(db, "SELECT code FROM aswg_authority WHERE id=27", text, sizeof text);
    assert_string_equal(text, "USERS_VIEW");

    assert_int_equal(query_int(db, "SELECT count(*) FROM cdlc"), 7);
    assert_int_equal(query_int(db, "SELECT count(*) FROM cdlc WHERE enabled"), 0);
    query_text(db, "SELECT name || '|' || directory_name FROM cdlc WHERE id=1", text, sizeof text);
    assert_string_equal(text, "Global Mobilization|gm");
    query_text(db, "SELECT name || '|' || directory_name FROM cdlc WHERE id=7", text, sizeof text);
    assert_string_equal(text, "Expeditionary Forces|ef");
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_user"), 0);
}

static void test_pragmas(void **state)
{
    fixture *f = *state;
    open_ok(f);
    sqlite3 *db = db_conn();
    char text[32];
    query_text(db, "PRAGMA journal_mode", text, sizeof text);
    assert_string_equal(text, "wal");
    assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);

    /* Foreign keys are enforced: an authority grant for a missing user is a conflict. */
    sqlite3_stmt *stmt = db_prepare(db, "INSERT INTO user_authority(user_id, authority_id) VALUES (999, 1)");
    assert_non_null(stmt);
    assert_int_equal(db_step_result(db, sqlite3_step(stmt)), DB_CONFLICT);
    sqlite3_finalize(stmt);

    /* And cascade: deleting a user removes its grants. */
    insert_user(db, "alice");
    assert_int_equal(db_exec(db, "INSERT INTO user_authority(user_id, authority_id) "
                                 "SELECT id, 36 FROM aswg_user WHERE username='alice'"), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM user_authority"), 1);
    assert_int_equal(db_exec(db, "DELETE FROM aswg_user WHERE username='alice'"), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM user_authority"), 0);
}

static void test_unique_username_conflict(void **state)
{
    fixture *f = *state;
    open_ok(f);
    sqlite3 *db = db_conn();
    insert_user(db, "bob");
    sqlite3_stmt *stmt = db_prepare(db, "INSERT INTO aswg_user(username, password, created_date_time) "
                                        "VALUES ('bob', 'x', 0)");
    assert_non_null(stmt);
    assert_int_equal(db_step_result(db, sqlite3_step(stmt)), DB_CONFLICT);
    sqlite3_finalize(stmt);
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_user"), 1);
}

static void test_reopen_keeps_data(void **state)
{
    fixture *f = *state;
    open_ok(f);
    insert_user(db_conn(), "alice");
    db_close();

    open_ok(f);
    sqlite3 *db = db_conn();
    assert_non_null(db);
    char text[64];
    query_text(db, "SELECT username FROM aswg_user", text, sizeof text);
    assert_string_equal(text, "alice");
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_user"), 1);
    /* Migrations did not run again. */
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_authority"), 42);
    assert_int_equal(query_int(db, "SELECT count(*) FROM cdlc"), 7);
    assert_int_equal(db_current_version(db), db_schema_version());
}

static void test_newer_database_refused(void **state)
{
    fixture *f = *state;
    open_ok(f);
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version=%d", db_schema_version() + 1);
    assert_int_equal(db_exec(db_conn(), bump), 0);
    db_close();

    char err[512] = "";
    assert_int_equal(db_open(f->path, err, sizeof err), -1);
    assert_non_null(strstr(err, "newer"));
    assert_non_null(strstr(err, f->path));

    /* The refused database was not touched. */
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(query_int(raw, "PRAGMA user_version"), db_schema_version() + 1);
    assert_int_equal(query_int(raw, "SELECT count(*) FROM aswg_authority"), 42);
    sqlite3_close(raw);
}

static void test_garbage_file_refused(void **state)
{
    fixture *f = *state;
    char garbage[8192];
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (char)('!' + (i * 31) % 90);
    write_bytes(f->path, garbage, sizeof garbage);

    char err[512] = "";
    assert_int_equal(db_open(f->path, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_non_null(strstr(err, f->path));
}

static void test_unopenable_path_refused(void **state)
{
    fixture *f = *state;
    char path[192], err[512] = "";
    snprintf(path, sizeof path, "%s/missing-dir/aswg.db", f->dir);
    assert_int_equal(db_open(path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
}

static void test_healthy(void **state)
{
    fixture *f = *state;
    open_ok(f);
    assert_true(db_healthy());
    assert_int_equal(db_exec(db_conn(), "DROP TABLE user_authority; DROP TABLE aswg_authority"), 0);
    assert_false(db_healthy());
}

static void test_transactions(void **state)
{
    fixture *f = *state;
    open_ok(f);
    sqlite3 *db = db_conn();
    assert_int_equal(db_tx_begin(), 0);
    insert_user(db, "rolled-back");
    db_tx_rollback();
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_user"), 0);
    assert_int_equal(db_tx_begin(), 0);
    insert_user(db, "committed");
    assert_int_equal(db_tx_commit(), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_user"), 1);
    /* Rolling back outside a transaction is harmless. */
    db_tx_rollback();
    assert_int_equal(query_int(db, "SELECT count(*) FROM aswg_user"), 1);
}

typedef struct thread_result {
    sqlite3 *conn;
    int64_t users_seen;
    int64_t authorities_seen;
    int inserted;
} thread_result;

static void *use_from_thread(void *arg)
{
    thread_result *r = arg;
    r->conn = db_conn();
    if (!r->conn)
        return NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(r->conn, "SELECT (SELECT count(*) FROM aswg_user WHERE username='main'),"
                                    " (SELECT count(*) FROM aswg_authority)", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        r->users_seen = sqlite3_column_int64(stmt, 0);
        r->authorities_seen = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_finalize(stmt);
    r->inserted = sqlite3_exec(r->conn, "INSERT INTO aswg_user(username, password, created_date_time) "
                                        "VALUES ('worker', 'h', 0)", NULL, NULL, NULL) == SQLITE_OK;
    /* Same thread, same connection. */
    if (db_conn() != r->conn)
        r->inserted = -1;
    return NULL; /* the connection is closed by the thread-exit destructor */
}

static void test_connection_per_thread(void **state)
{
    fixture *f = *state;
    open_ok(f);
    sqlite3 *mine = db_conn();
    assert_non_null(mine);
    assert_ptr_equal(db_conn(), mine);
    insert_user(mine, "main");

    thread_result r = {0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, use_from_thread, &r), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_non_null(r.conn);
    assert_ptr_not_equal(r.conn, mine);
    assert_int_equal(r.users_seen, 1);
    assert_int_equal(r.authorities_seen, 42);
    assert_int_equal(r.inserted, 1);
    /* The other thread's write is visible here. */
    assert_int_equal(query_int(mine, "SELECT count(*) FROM aswg_user WHERE username='worker'"), 1);
}

static void test_now_ms(void **state)
{
    (void)state;
    int64_t a = db_now_ms();
    int64_t b = db_now_ms();
    assert_true(a > 1600000000000LL); /* after 2020, in milliseconds */
    assert_true(b >= a);
}

#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        DB_TEST(test_new_database_schema),
        DB_TEST(test_seeded_authorities_and_cdlcs),
        DB_TEST(test_pragmas),
        DB_TEST(test_unique_username_conflict),
        DB_TEST(test_reopen_keeps_data),
        DB_TEST(test_newer_database_refused),
        DB_TEST(test_garbage_file_refused),
        DB_TEST(test_unopenable_path_refused),
        DB_TEST(test_healthy),
        DB_TEST(test_transactions),
        DB_TEST(test_connection_per_thread),
        cmocka_unit_test(test_now_ms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
