#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/tmpdir.h"

#include "core/config.h"
#include "core/db.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_names.h"
#include "missions/mission_repository.h"
#include "missions/mission_service.h"
#include "missions/vanilla.h"
#include "support/pbo_builder.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fixture: <dir>/aswg-config.properties, <dir>/arma (server), <dir>/data/aswg.db ---- */

typedef struct fixture {
    char dir[64];
    char arma[128];     /* aswg.server-directory-path */
    char missions[160]; /* <arma>/mpmissions */
    char server_cfg[160];
} fixture;

static const char *const CONFIG_KEYS[] = {
    "aswg.server-directory-path",
    "aswg.data-directory-path",
    "aswg.vanilla-missions-importer.enabled",
};

/* Environment variables would override the file. */
static void clear_environment(void)
{
    for (size_t i = 0; i < sizeof CONFIG_KEYS / sizeof CONFIG_KEYS[0]; i++) {
        char a[128], b[128];
        config_env_names(CONFIG_KEYS[i], a, b, sizeof a);
        unsetenv(a);
        unsetenv(b);
    }
}


static int fixture_setup(void **state, const char *extra_config)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/aswg-unit-scan-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    snprintf(f->arma, sizeof f->arma, "%s/arma", f->dir);
    snprintf(f->missions, sizeof f->missions, "%s/mpmissions", f->arma);
    snprintf(f->server_cfg, sizeof f->server_cfg, "%s/server.cfg", f->arma);
    clear_environment();

    char path[256], text[512], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", f->dir, CONFIG_FILE_NAME);
    int n = snprintf(text, sizeof text,
                     "aswg.server-directory-path=%s\naswg.data-directory-path=%s/data\n%s", f->arma,
                     f->dir, extra_config ? extra_config : "");
    if (n < 0 || (size_t)n >= sizeof text)
        return -1;
    bytes_write_file(path, text, (size_t)n);
    if (config_load(f->dir, err, sizeof err) != 0) {
        print_error("config_load: %s\n", err);
        return -1;
    }
    snprintf(path, sizeof path, "%s/data", f->dir);
    if (mkdir(path, 0755) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/data/aswg.db", f->dir);
    if (db_open(path, err, sizeof err) != 0) {
        print_error("db_open: %s\n", err);
        return -1;
    }
    return 0;
}

static int setup(void **state)
{
    return fixture_setup(state, NULL);
}

static int setup_importer_enabled(void **state)
{
    return fixture_setup(state, "aswg.vanilla-missions-importer.enabled=true\n");
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_close();
    config_free();
    clear_environment();
    int rc = f ? test_remove_tree(f->dir) : 0;
    free(f);
    return rc;
}

/* ---- helpers ---- */

static void make_missions_dir(const fixture *f)
{
    assert_int_equal(fs_mkdirs(f->missions, 0755), 0);
}

static void mission_path(const fixture *f, const char *name, char out[static 512])
{
    snprintf(out, 512, "%s/%s", f->missions, name);
}

static void write_mission_file(const fixture *f, const char *name, const void *data, size_t len)
{
    char path[512];
    mission_path(f, name, path);
    bytes_write_file(path, data, len);
}

static void remove_mission_file(const fixture *f, const char *name)
{
    char path[512];
    mission_path(f, name, path);
    assert_int_equal(unlink(path), 0);
}

static void set_mtime(const fixture *f, const char *name, time_t sec, long nsec)
{
    char path[512];
    mission_path(f, name, path);
    struct timespec times[2] = {{sec, nsec}, {sec, nsec}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static struct stat stat_mission_file(const fixture *f, const char *name)
{
    char path[512];
    mission_path(f, name, path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st;
}

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static const char scan_sqm[] =
    "version=54;\nclass Mission { class Intel { briefingName = \"Scan Op\"; }; };\n";

static const char scan_ext[] =
    "onLoadName = \"Scan Load\";\n"
    "class Params\n{\n"
    "\tclass Daytime\n\t{\n\t\ttitle = \"Time\";\n\t\tvalues[] = {6, 12};\n"
    "\t\ttexts[] = {\"Morning\", \"Noon\"};\n\t\tdefault = 12;\n\t};\n"
    "};\n";

static const char scan_params_json[] =
    "[{\"name\":\"Daytime\",\"title\":\"Time\",\"values\":[6,12],"
    "\"texts\":[\"Morning\",\"Noon\"],\"default\":12}]";

static const char *const scan_product[] = {"prefix", "scan_test", NULL};

/* A valid PBO with mission.sqm (the given text, if any) and description.ext (if any). */
static bytes mission_pbo(const char *sqm, const char *ext)
{
    pbo_file_spec files[3];
    size_t n = 0;
    files[n++] = (pbo_file_spec){"init.sqf", "hint \"x\";", 9, PBO_PACKING_NONE};
    if (sqm)
        files[n++] = (pbo_file_spec){"mission.sqm", sqm, strlen(sqm), PBO_PACKING_NONE};
    if (ext)
        files[n++] = (pbo_file_spec){"description.ext", ext, strlen(ext), PBO_PACKING_NONE};
    return pbo_build(scan_product, files, n, NULL);
}

/* Writes a valid PBO (see mission_pbo) as mpmissions/name; returns its size. */
static size_t write_pbo(const fixture *f, const char *name, const char *sqm, const char *ext)
{
    bytes b = mission_pbo(sqm, ext);
    write_mission_file(f, name, b.data, b.len);
    size_t len = b.len;
    bytes_free(&b);
    return len;
}

static mission_scan_result scan_ok(void)
{
    mission_scan_result r = {-1, -1, -1, -1};
    char msg[512] = "";
    aswg_err err = missions_scan(&r, NULL, msg, sizeof msg);
    if (err != ERR_OK)
        fail_msg("missions_scan failed (%d): %s", (int)err, msg);
    return r;
}

static void assert_scan(mission_scan_result r, int added, int updated, int removed)
{
    if (r.added != added || r.updated != updated || r.removed != removed)
        fail_msg("scan result added=%d updated=%d removed=%d, expected %d/%d/%d", r.added,
                 r.updated, r.removed, added, updated, removed);
}

static void startup_ok(void)
{
    char err[512] = "";
    if (missions_startup(err, sizeof err) != 0)
        fail_msg("missions_startup failed: %s", err);
}

/* The row of tpl (the caller clears it). */
static mission_record find_row(const char *tpl)
{
    mission_record m;
    db_result r = mission_repo_find_by_template(tpl, &m);
    if (r != DB_OK)
        fail_msg("no row for template '%s' (%d)", tpl, (int)r);
    return m;
}

static void assert_no_row(const char *tpl)
{
    mission_record m;
    assert_int_equal(mission_repo_find_by_template(tpl, &m), DB_NOT_FOUND);
}

static size_t row_count(const char *source)
{
    mission_record *rows;
    size_t count;
    assert_int_equal(mission_repo_list(&rows, &count), DB_OK);
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += !source || strcmp(rows[i].source, source) == 0;
    mission_records_free(rows, count);
    return n;
}

static void assert_string_or_null(const char *actual, const char *expected)
{
    if (expected)
        assert_string_equal(actual, expected);
    else
        assert_null(actual);
}

static void assert_json_text(const char *actual, const char *expected)
{
    assert_non_null(actual);
    json_t *a = json_loads(actual, 0, NULL);
    json_t *e = json_loads(expected, 0, NULL);
    assert_non_null(a);
    assert_non_null(e);
    if (!json_equal(a, e))
        fail_msg("JSON %s, expected %s", actual, expected);
    json_decref(a);
    json_decref(e);
}

/* Every column of two rows. */
static void assert_same_row(const mission_record *a, const mission_record *b)
{
    assert_int_equal(a->id, b->id);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->tpl, b->tpl);
    assert_string_equal(a->difficulty, b->difficulty);
    assert_int_equal(a->enabled, b->enabled);
    assert_int_equal(a->rotation_order, b->rotation_order);
    assert_string_or_null(a->parameters, b->parameters);
    assert_string_equal(a->source, b->source);
    assert_string_or_null(a->file_name, b->file_name);
    assert_int_equal(a->size_bytes, b->size_bytes);
    assert_int_equal(a->file_mtime, b->file_mtime);
    assert_string_or_null(a->world_name, b->world_name);
    assert_string_or_null(a->briefing_name, b->briefing_name);
    assert_string_or_null(a->on_load_name, b->on_load_name);
    assert_string_or_null(a->available_parameters, b->available_parameters);
}

static void enable(const char *const *templates, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_string(templates[i]));
    char msg[512] = "";
    aswg_err err = missions_enable_templates(list, msg, sizeof msg);
    json_decref(list);
    if (err != ERR_OK)
        fail_msg("missions_enable_templates failed (%d): %s", (int)err, msg);
}

static void add_template(const char *name, const char *tpl)
{
    char msg[512] = "";
    aswg_err err = missions_add_template(name, tpl, msg, sizeof msg);
    if (err != ERR_OK)
        fail_msg("missions_add_template failed (%d): %s", (int)err, msg);
}

/* server.cfg's text (the caller frees it). */
static char *read_server_cfg(const fixture *f)
{
    char *text = fs_read_all(f->server_cfg, NULL);
    if (!text)
        fail_msg("cannot read %s", f->server_cfg);
    return text;
}

/* Whether server.cfg lists tpl as a mission template. */
static bool server_cfg_lists(const fixture *f, const char *tpl)
{
    char *text = read_server_cfg(f);
    char needle[300];
    snprintf(needle, sizeof needle, "\"%s\"", tpl);
    bool found = strstr(text, needle) != NULL;
    free(text);
    return found;
}

/* ---- the missions directory ---- */

static void test_new_files_get_file_rows(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    size_t escape_size = write_pbo(f, "Co10_Escape.Altis.pbo", scan_sqm, scan_ext);
    size_t upper_size = write_pbo(f, "UPPER.Stratis.PBO", NULL, NULL);
    write_pbo(f, "pbo-without-extension", NULL, NULL);
    write_mission_file(f, "notes.txt", "hello", 5);
    char path[512];
    mission_path(f, "x.pbo", path);
    assert_int_equal(mkdir(path, 0755), 0);   /* a directory with a mission's name */
    write_mission_file(f, ".upload-abc", "partial", 7);
    write_pbo(f, ".hidden.Altis.pbo", NULL, NULL);

    assert_scan(scan_ok(), 2, 0, 0);
    assert_int_equal(row_count(NULL), 2);
    assert_int_equal(row_count("FILE"), 2);

    mission_record m = find_row("Co10_Escape.Altis");   /* the case as on disk */
    struct stat st = stat_mission_file(f, "Co10_Escape.Altis.pbo");
    assert_string_equal(m.name, "Co10_Escape.Altis");
    assert_string_equal(m.source, "FILE");
    assert_string_equal(m.difficulty, "REGULAR");
    assert_false(m.enabled);
    assert_null(m.parameters);
    assert_string_equal(m.file_name, "Co10_Escape.Altis.pbo");
    assert_int_equal(m.size_bytes, escape_size);
    assert_int_equal(m.file_mtime, mtime_ns(&st));
    assert_string_equal(m.world_name, "Altis");
    assert_string_equal(m.briefing_name, "Scan Op");
    assert_string_equal(m.on_load_name, "Scan Load");
    assert_json_text(m.available_parameters, scan_params_json);
    mission_record_clear(&m);

    m = find_row("UPPER.Stratis");   /* ".PBO" counts; the template keeps the case */
    assert_string_equal(m.file_name, "UPPER.Stratis.PBO");
    assert_int_equal(m.size_bytes, upper_size);
    assert_string_equal(m.world_name, "Stratis");
    assert_null(m.briefing_name);
    assert_null(m.on_load_name);
    assert_json_text(m.available_parameters, "[]");
    mission_record_clear(&m);

    assert_no_row("x");
    assert_no_row(".hidden.Altis");
    assert_no_row("notes");
    assert_no_row("pbo-without-extension");
    assert_false(fs_exists(f->server_cfg));   /* nothing enabled changed */
}

static void test_rescan_without_change(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    write_pbo(f, "Co10_Escape.Altis.pbo", scan_sqm, scan_ext);
    write_pbo(f, "b.Tanoa.pbo", scan_sqm, NULL);
    assert_scan(scan_ok(), 2, 0, 0);

    mission_record *before, *after;
    size_t n_before, n_after;
    assert_int_equal(mission_repo_list(&before, &n_before), DB_OK);
    for (int round = 0; round < 2; round++) {
        assert_scan(scan_ok(), 0, 0, 0);
        assert_int_equal(mission_repo_list(&after, &n_after), DB_OK);
        assert_int_equal(n_after, n_before);
        for (size_t i = 0; i < n_before; i++)
            assert_same_row(&before[i], &after[i]);
        mission_records_free(after, n_after);
    }
    mission_records_free(before, n_before);
}

static void test_changed_file_is_refreshed(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    const char *name = "Co10_Escape.Altis.pbo";
    size_t size = write_pbo(f, name, scan_sqm, scan_ext);
    set_mtime(f, name, 1600000000, 0);
    assert_scan(scan_ok(), 1, 0, 0);
    mission_record first = find_row("Co10_Escape.Altis");
    assert_int_equal(first.file_mtime, 1600000000ll * 1000000000);
    /* Enabled by the admin: a refresh keeps that. */
    const char *const tpl[] = {"Co10_Escape.Altis"};
    enable(tpl, 1);

    /* Same size, other contents and mtime. */
    static const char other_sqm[] =
        "version=54;\nclass Mission { class Intel { briefingName = \"Scan Ox\"; }; };\n";
    assert_int_equal(write_pbo(f, name, other_sqm, scan_ext), size);
    set_mtime(f, name, 1600000100, 500);
    assert_scan(scan_ok(), 0, 1, 0);
    mission_record m = find_row("Co10_Escape.Altis");
    assert_int_equal(m.id, first.id);
    assert_int_equal(m.size_bytes, size);
    assert_int_equal(m.file_mtime, 1600000100ll * 1000000000 + 500);
    assert_string_equal(m.briefing_name, "Scan Ox");
    assert_true(m.enabled);
    mission_record_clear(&m);

    /* Another size, other metadata. */
    size_t new_size = write_pbo(f, name, NULL, "onLoadName = \"Second\";\n");
    assert_int_not_equal(new_size, size);
    set_mtime(f, name, 1600000200, 0);
    assert_scan(scan_ok(), 0, 1, 0);
    m = find_row("Co10_Escape.Altis");
    assert_int_equal(m.id, first.id);
    assert_string_equal(m.source, "FILE");
    assert_int_equal(m.size_bytes, new_size);
    assert_int_equal(m.file_mtime, 1600000200ll * 1000000000);
    assert_null(m.briefing_name);
    assert_string_equal(m.on_load_name, "Second");
    assert_json_text(m.available_parameters, "[]");
    assert_string_equal(m.world_name, "Altis");
    assert_true(m.enabled);
    mission_record_clear(&m);
    mission_record_clear(&first);

    assert_scan(scan_ok(), 0, 0, 0);
}

static void test_deleted_file_removes_its_row(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    write_pbo(f, "a.Altis.pbo", NULL, NULL);
    write_pbo(f, "b.Altis.pbo", NULL, NULL);
    assert_scan(scan_ok(), 2, 0, 0);

    remove_mission_file(f, "a.Altis.pbo");
    assert_scan(scan_ok(), 0, 0, 1);
    assert_no_row("a.Altis");
    mission_record m = find_row("b.Altis");
    mission_record_clear(&m);
    assert_int_equal(row_count(NULL), 1);
    assert_false(fs_exists(f->server_cfg));   /* a disabled mission: server.cfg untouched */

    assert_scan(scan_ok(), 0, 0, 0);
}

static void test_deleted_enabled_mission_leaves_server_cfg(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    write_pbo(f, "a.Altis.pbo", NULL, NULL);
    write_pbo(f, "b.Stratis.pbo", NULL, NULL);
    write_pbo(f, "c.Altis.pbo", NULL, NULL);
    assert_scan(scan_ok(), 3, 0, 0);
    const char *const tpls[] = {"a.Altis", "b.Stratis"};
    enable(tpls, 2);
    assert_true(server_cfg_lists(f, "a.Altis"));
    assert_true(server_cfg_lists(f, "b.Stratis"));

    remove_mission_file(f, "a.Altis.pbo");
    assert_scan(scan_ok(), 0, 0, 1);
    assert_no_row("a.Altis");
    assert_false(server_cfg_lists(f, "a.Altis"));
    assert_true(server_cfg_lists(f, "b.Stratis"));
    mission_record m = find_row("b.Stratis");
    assert_true(m.enabled);
    mission_record_clear(&m);

    /* The last enabled one: class Missions stays, empty. */
    remove_mission_file(f, "b.Stratis.pbo");
    assert_scan(scan_ok(), 0, 0, 1);
    assert_false(server_cfg_lists(f, "b.Stratis"));
    char *text = read_server_cfg(f);
    assert_non_null(strstr(text, "Missions"));
    free(text);
    assert_int_equal(row_count(NULL), 1);
    assert_false(server_cfg_lists(f, "c.Altis"));
}

/* ---- TEMPLATE and VANILLA rows ---- */

static void test_template_and_vanilla_rows_are_never_removed(void **state)
{
    fixture *f = *state;
    startup_ok();
    add_template("Hand made", "Hand.Made.Altis");
    assert_int_equal(row_count("VANILLA"), VANILLA_MISSION_COUNT);
    assert_int_equal(row_count("TEMPLATE"), 1);

    make_missions_dir(f);
    write_pbo(f, "other.Altis.pbo", NULL, NULL);
    write_pbo(f, "file.Altis.pbo", NULL, NULL);
    assert_scan(scan_ok(), 2, 0, 0);
    remove_mission_file(f, "file.Altis.pbo");
    assert_scan(scan_ok(), 0, 0, 1);
    assert_scan(scan_ok(), 0, 0, 0);

    assert_int_equal(row_count("VANILLA"), VANILLA_MISSION_COUNT);
    assert_int_equal(row_count("TEMPLATE"), 1);
    assert_int_equal(row_count("FILE"), 1);
    assert_int_equal(row_count(NULL), VANILLA_MISSION_COUNT + 2);
    mission_record m = find_row("Hand.Made.Altis");
    assert_string_equal(m.name, "Hand made");
    assert_string_equal(m.source, "TEMPLATE");
    assert_null(m.file_name);
    mission_record_clear(&m);
}

static void test_template_row_gets_the_file(void **state)
{
    fixture *f = *state;
    add_template("My escape", "Co10_Escape.Altis");
    mission_record tpl_row = find_row("Co10_Escape.Altis");
    make_missions_dir(f);
    write_pbo(f, "other.Altis.pbo", NULL, NULL);   /* the directory never gets empty */
    size_t size = write_pbo(f, "Co10_Escape.Altis.pbo", scan_sqm, scan_ext);
    set_mtime(f, "Co10_Escape.Altis.pbo", 1600000000, 0);

    mission_scan_result r = scan_ok();
    assert_int_equal(r.added, 1);   /* other.Altis only: no duplicate row */
    assert_int_equal(r.updated, 1); /* the template row */
    assert_int_equal(r.removed, 0);
    assert_int_equal(row_count(NULL), 2);
    assert_int_equal(row_count("TEMPLATE"), 1);
    mission_record m = find_row("Co10_Escape.Altis");
    assert_int_equal(m.id, tpl_row.id);
    assert_string_equal(m.source, "TEMPLATE");
    assert_string_equal(m.name, "My escape");
    assert_string_equal(m.file_name, "Co10_Escape.Altis.pbo");
    assert_int_equal(m.size_bytes, size);
    assert_int_equal(m.file_mtime, 1600000000ll * 1000000000);
    assert_string_equal(m.briefing_name, "Scan Op");
    assert_string_equal(m.world_name, "Altis");
    mission_record_clear(&m);
    assert_scan(scan_ok(), 0, 0, 0);

    /* The file goes: the row stays, without file. */
    remove_mission_file(f, "Co10_Escape.Altis.pbo");
    assert_scan(scan_ok(), 0, 0, 0);
    m = find_row("Co10_Escape.Altis");
    assert_int_equal(m.id, tpl_row.id);
    assert_string_equal(m.source, "TEMPLATE");
    assert_null(m.file_name);
    assert_int_equal(m.size_bytes, 0);
    assert_int_equal(m.file_mtime, 0);
    mission_record_clear(&m);
    assert_scan(scan_ok(), 0, 0, 0);
    mission_record_clear(&tpl_row);
}

static void test_vanilla_row_gets_the_file(void **state)
{
    fixture *f = *state;
    startup_ok();
    const char *tpl = VANILLA_MISSIONS[0].tpl;
    char file_name[300];
    snprintf(file_name, sizeof file_name, "%s.pbo", tpl);
    mission_record before = find_row(tpl);
    make_missions_dir(f);
    write_pbo(f, "other.Altis.pbo", NULL, NULL);   /* the directory never gets empty */
    size_t size = write_pbo(f, file_name, NULL, NULL);

    assert_int_equal(scan_ok().added, 1);   /* other.Altis only: no duplicate row */
    assert_int_equal(row_count(NULL), VANILLA_MISSION_COUNT + 1);
    mission_record m = find_row(tpl);
    assert_int_equal(m.id, before.id);
    assert_string_equal(m.source, "VANILLA");
    assert_string_equal(m.name, VANILLA_MISSIONS[0].name);
    assert_string_equal(m.file_name, file_name);
    assert_int_equal(m.size_bytes, size);
    mission_record_clear(&m);

    remove_mission_file(f, file_name);
    assert_scan(scan_ok(), 0, 0, 0);
    m = find_row(tpl);
    assert_int_equal(m.id, before.id);
    assert_null(m.file_name);
    assert_int_equal(m.size_bytes, 0);
    mission_record_clear(&m);
    mission_record_clear(&before);
    assert_int_equal(row_count("VANILLA"), VANILLA_MISSION_COUNT);
}

/* ---- a file that is not a PBO ---- */

static void test_invalid_pbo_file(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    unsigned char garbage[3000];
    uint32_t x = 4242;
    for (size_t i = 0; i < sizeof garbage; i++) {
        x = x * 1103515245u + 12345u;
        garbage[i] = (unsigned char)(x >> 16);
    }
    write_mission_file(f, "bad.Altis.pbo", garbage, sizeof garbage);

    assert_scan(scan_ok(), 1, 0, 0);
    mission_record m = find_row("bad.Altis");
    assert_string_equal(m.source, "FILE");
    assert_string_equal(m.file_name, "bad.Altis.pbo");
    assert_int_equal(m.size_bytes, sizeof garbage);
    assert_null(m.briefing_name);
    assert_null(m.on_load_name);
    assert_null(m.available_parameters);
    mission_record_clear(&m);
    assert_scan(scan_ok(), 0, 0, 0);

    /* Repaired in place: the metadata arrives. */
    write_pbo(f, "bad.Altis.pbo", scan_sqm, NULL);
    assert_scan(scan_ok(), 0, 1, 0);
    m = find_row("bad.Altis");
    assert_string_equal(m.briefing_name, "Scan Op");
    mission_record_clear(&m);
}

/* ---- names on disk ---- */

/* Two files whose names differ only in the case of ".pbo" have the same template: one row, and
 * a rescan without change is a no-op (the row once flipped between the two files on every scan). */
static void test_two_files_with_one_template_are_stable(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    write_pbo(f, "dup.Altis.pbo", NULL, NULL);
    write_pbo(f, "dup.Altis.PBO", scan_sqm, NULL);
    mission_scan_result r = scan_ok();
    assert_int_equal(r.added, 1);
    assert_int_equal(row_count(NULL), 1);
    mission_record first = find_row("dup.Altis");
    for (int round = 0; round < 2; round++) {
        assert_scan(scan_ok(), 0, 0, 0);
        mission_record m = find_row("dup.Altis");
        assert_same_row(&m, &first);
        mission_record_clear(&m);
    }
    mission_record_clear(&first);
}

/* DECISIONS.md 7: templates have no whitespace, quotes or path separators. A file named
 * "My Op.Altis.pbo" must not give a row with the template "My Op.Altis" (which every PUT of that
 * row would then refuse with 400): such files are ignored. */
static void test_scanned_templates_are_valid(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    write_pbo(f, "My Op.Altis.pbo", NULL, NULL);
    write_pbo(f, "quote\"d.Altis.pbo", NULL, NULL);
    write_pbo(f, "fine.Altis.pbo", NULL, NULL);
    scan_ok();
    mission_record *rows;
    size_t count;
    assert_int_equal(mission_repo_list(&rows, &count), DB_OK);
    for (size_t i = 0; i < count; i++) {
        char why[160] = "";
        if (!mission_template_valid(rows[i].tpl, why, sizeof why))
            fail_msg("scanned row with invalid template '%s': %s", rows[i].tpl, why);
    }
    mission_records_free(rows, count);
    mission_record m = find_row("fine.Altis");
    mission_record_clear(&m);
}

/* ---- start-up ---- */

static void test_startup_imports_vanilla_once(void **state)
{
    (void)state;
    startup_ok();
    assert_int_equal(row_count(NULL), VANILLA_MISSION_COUNT);
    assert_int_equal(row_count("VANILLA"), 76);
    for (size_t i = 0; i < VANILLA_MISSION_COUNT; i++) {
        mission_record m = find_row(VANILLA_MISSIONS[i].tpl);
        assert_string_equal(m.name, VANILLA_MISSIONS[i].name);
        assert_string_equal(m.difficulty, "REGULAR");
        assert_false(m.enabled);
        assert_null(m.file_name);
        mission_record_clear(&m);
    }
    startup_ok();
    assert_int_equal(row_count(NULL), 76);

    /* Without the importer setting, a deleted vanilla mission stays deleted. */
    mission_record m = find_row(VANILLA_MISSIONS[5].tpl);
    assert_int_equal(mission_repo_delete(m.id), DB_OK);
    mission_record_clear(&m);
    startup_ok();
    assert_int_equal(row_count(NULL), 75);
    assert_no_row(VANILLA_MISSIONS[5].tpl);
}

static void test_startup_with_importer_enabled_readds_missing(void **state)
{
    (void)state;
    startup_ok();
    assert_int_equal(row_count("VANILLA"), 76);
    startup_ok();
    assert_int_equal(row_count("VANILLA"), 76);

    mission_record *before;
    size_t n_before;
    assert_int_equal(mission_repo_list(&before, &n_before), DB_OK);
    mission_record gone = find_row(VANILLA_MISSIONS[10].tpl);
    assert_int_equal(mission_repo_delete(gone.id), DB_OK);
    assert_int_equal(row_count(NULL), 75);

    startup_ok();
    assert_int_equal(row_count(NULL), 76);
    mission_record back = find_row(VANILLA_MISSIONS[10].tpl);
    assert_int_not_equal(back.id, gone.id);   /* a new row... */
    assert_string_equal(back.source, "VANILLA");
    assert_string_equal(back.name, VANILLA_MISSIONS[10].name);
    for (size_t i = 0; i < n_before; i++) {   /* ...and only that one */
        if (before[i].id == gone.id)
            continue;
        mission_record m = find_row(before[i].tpl);
        assert_int_equal(m.id, before[i].id);
        mission_record_clear(&m);
    }
    mission_record_clear(&back);
    mission_record_clear(&gone);
    mission_records_free(before, n_before);
}

static void test_startup_removes_stale_uploads(void **state)
{
    fixture *f = *state;
    make_missions_dir(f);
    write_mission_file(f, ".upload-AbC123", "partial", 7);
    write_mission_file(f, ".upload-zzzzzz", "", 0);
    write_pbo(f, "kept.Altis.pbo", NULL, NULL);
    write_mission_file(f, ".hidden", "x", 1);

    startup_ok();
    char path[512];
    mission_path(f, ".upload-AbC123", path);
    assert_false(fs_exists(path));
    mission_path(f, ".upload-zzzzzz", path);
    assert_false(fs_exists(path));
    mission_path(f, "kept.Altis.pbo", path);
    assert_true(fs_exists(path));
    mission_path(f, ".hidden", path);
    assert_true(fs_exists(path));
    assert_int_equal(row_count(NULL), VANILLA_MISSION_COUNT);   /* start-up does not scan */

    assert_scan(scan_ok(), 1, 0, 0);
}

/* ---- an empty file list (once qsort(NULL, 0, ...), which UBSan reports) ---- */

/* No mpmissions (and then an empty one): nothing to do. */
static void test_missing_missions_directory(void **state)
{
    fixture *f = *state;
    assert_scan(scan_ok(), 0, 0, 0);
    assert_int_equal(row_count(NULL), 0);
    assert_false(fs_exists(f->missions));   /* the scanner creates nothing */
    assert_false(fs_exists(f->server_cfg));

    make_missions_dir(f);   /* an empty one is the same */
    assert_scan(scan_ok(), 0, 0, 0);
    assert_int_equal(row_count(NULL), 0);

    /* With TEMPLATE and VANILLA rows, and without the directory again. */
    startup_ok();
    add_template("Hand made", "Hand.Made.Altis");
    assert_scan(scan_ok(), 0, 0, 0);
    assert_int_equal(rmdir(f->missions), 0);
    assert_scan(scan_ok(), 0, 0, 0);
    assert_int_equal(row_count("VANILLA"), VANILLA_MISSION_COUNT);
    assert_int_equal(row_count("TEMPLATE"), 1);
    assert_false(fs_exists(f->server_cfg));
}

/* The last files go: their FILE rows too, the TEMPLATE row keeps only its row, and server.cfg
 * loses the enabled one. Also calls bsearch() with a NULL array (UBSan). */
static void test_last_files_removed(void **state)
{
    fixture *f = *state;
    add_template("Kept", "kept.Altis");
    make_missions_dir(f);
    write_pbo(f, "a.Altis.pbo", NULL, NULL);
    write_pbo(f, "kept.Altis.pbo", NULL, NULL);
    assert_scan(scan_ok(), 1, 1, 0);
    const char *const tpl[] = {"a.Altis"};
    enable(tpl, 1);
    assert_true(server_cfg_lists(f, "a.Altis"));

    remove_mission_file(f, "a.Altis.pbo");
    remove_mission_file(f, "kept.Altis.pbo");
    assert_scan(scan_ok(), 0, 0, 1);
    assert_no_row("a.Altis");
    assert_false(server_cfg_lists(f, "a.Altis"));
    char *text = read_server_cfg(f);
    assert_non_null(strstr(text, "Missions"));   /* the class stays, empty */
    free(text);
    mission_record m = find_row("kept.Altis");
    assert_null(m.file_name);
    assert_int_equal(m.size_bytes, 0);
    mission_record_clear(&m);
    assert_int_equal(row_count(NULL), 1);
}

int main(void)
{
    log_configure(LOG_ERROR, false);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_files_get_file_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rescan_without_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_file_is_refreshed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_file_removes_its_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_enabled_mission_leaves_server_cfg, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_template_and_vanilla_rows_are_never_removed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_template_row_gets_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vanilla_row_gets_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_pbo_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_files_with_one_template_are_stable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scanned_templates_are_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_imports_vanilla_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_startup_with_importer_enabled_readds_missing,
                                        setup_importer_enabled, teardown),
        cmocka_unit_test_setup_teardown(test_startup_removes_stale_uploads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_missions_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_files_removed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
