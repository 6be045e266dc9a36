#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/tmpdir.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/properties.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every key of the KEYS table in config.c, in table order, with its default. */
static const struct {
    const char *key;
    const char *def;
} KNOWN[] = {
    {"server.port", "8085"},
    {"server.address", "0.0.0.0"},
    {"aswg.data-directory-path", "data"},
    {"aswg.logs.location", "logs"},
    {"aswg.logging.format", "text"},
    {"aswg.logging.level", "info"},
    {"aswg.web-ui.path", ""},
    {"aswg.server-directory-path", "arma-server"},
    {"aswg.mods-directory-path", "mods"},
    {"aswg.server-port", "2302"},
    {"aswg.server.branch", "public"},
    {"aswg.default-user.username", "user"},
    {"aswg.default-user.password", ""},
    {"aswg.default-user.reset", "false"},
    {"aswg.security.enabled", "true"},
    {"aswg.security.jwt.issuer", "ASWG"},
    {"aswg.security.jwt.expiration-time", "PT2H"},
    {"aswg.security.cors.allowed-origins", "*"},
    {"aswg.security.rate-limit.requests-per-minute", "1200"},
    {"aswg.security.login-rate-limit.attempts-per-minute", "10"},
    {"aswg.steamcmd.path", ""},
    {"aswg.steamcmd.username", ""},
    {"aswg.steamcmd.password", ""},
    {"aswg.steamcmd.workshop.content.path", ""},
    {"aswg.steamcmd.log-to-server-console", "true"},
    {"aswg.steam.web-api-token", ""},
    {"aswg.server.unsafe.startup-params.overwrite.web-edit.enabled", "false"},
    {"aswg.server.unsafe.startup-params.overwrite.value", ""},
    {"aswg.job.mod-update.enabled", "true"},
    {"aswg.job.mod-update.cron", "0 0 1 * * *"},
    {"aswg.job.mods-scanner.enabled", "false"},
    {"aswg.job.mods-scanner.cron", "0 0/15 * * * *"},
    {"aswg.job.mods-scanner.installation.enabled", "false"},
    {"aswg.job.mods-scanner.deletion.enabled", "false"},
    {"aswg.job.difficulty-scanner.enabled", "true"},
    {"aswg.job.difficulty-scanner.cron", "0 0/20 * * * *"},
    {"aswg.job.mod-settings-scanner.enabled", "true"},
    {"aswg.job.mod-settings-scanner.cron", "0 0/20 * * * *"},
    {"aswg.job.missions-scanner.enabled", "true"},
    {"aswg.job.missions-scanner.cron", "0 0/15 * * * *"},
    {"aswg.job.jwt-cleaner.enabled", "true"},
    {"aswg.job.jwt-cleaner.cron", "0 0 * * * *"},
    {"aswg.vanilla-missions-importer.enabled", "false"},
    {"aswg.missions.max-upload-size", "15GB"},
    {"aswg.discord.webhook.enabled", "false"},
    {"aswg.discord.webhook.url", ""},
    {"aswg.discord.message.server-starting", "Starting server..."},
    {"aswg.discord.message.server-start", "Server started"},
    {"aswg.discord.message.server-stop", "Server stopped"},
    {"aswg.discord.message.server-updating", "Updating server..."},
};
#define KNOWN_COUNT (sizeof KNOWN / sizeof KNOWN[0])

/* ---- fixture: a temp config directory, a clean environment, a freed config ---- */

typedef struct fixture {
    char dir[64];
    char file[128];
} fixture;


static void clear_environment(void)
{
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        char a[128], b[128];
        config_env_names(KNOWN[i].key, a, b, sizeof a);
        unsetenv(a);
        unsetenv(b);
    }
}

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
    snprintf(f->file, sizeof f->file, "%s/%s", f->dir, CONFIG_FILE_NAME);
    clear_environment();
    *state = f;
    return 0;
}


static int teardown(void **state)
{
    fixture *f = *state;
    config_free();
    clear_environment();
    int rc = test_remove_tree(f->dir);
    free(f);
    return rc;
}

/* ---- helpers ---- */

static void write_config(const fixture *f, const char *text)
{
    FILE *out = fopen(f->file, "w");
    assert_non_null(out);
    assert_true(fputs(text, out) >= 0);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(f->file, 0644), 0);
}

static char *read_config(const fixture *f)
{
    char *text = fs_read_all(f->file, NULL);
    assert_non_null(text);
    return text;
}

static void assert_config_text(const fixture *f, const char *expected)
{
    char *text = read_config(f);
    assert_string_equal(text, expected);
    free(text);
}

static void load_ok(const fixture *f)
{
    char err[512] = "";
    int rc = config_load(f->dir, err, sizeof err);
    if (rc != 0)
        fail_msg("config_load failed: %s", err);
}

/* The config directory holds only the config file (no temp files of an atomic save). */
static void assert_only_config_file(const fixture *f)
{
    DIR *d = opendir(f->dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        assert_string_equal(e->d_name, CONFIG_FILE_NAME);
        n++;
    }
    closedir(d);
    assert_int_equal(n, 1);
}

static void assert_file_mode(const fixture *f, mode_t mode)
{
    struct stat st;
    assert_int_equal(stat(f->file, &st), 0);
    assert_int_equal(st.st_mode & 07777, mode);
}

/* original with the first occurrence of from replaced by to (malloc'd). */
static char *replaced(const char *original, const char *from, const char *to)
{
    const char *at = strstr(original, from);
    assert_non_null(at);
    size_t head = (size_t)(at - original), fl = strlen(from), tl = strlen(to);
    char *out = malloc(strlen(original) - fl + tl + 1);
    assert_non_null(out);
    memcpy(out, original, head);
    memcpy(out + head, to, tl);
    strcpy(out + head + tl, at + fl);
    return out;
}

static char *concat(const char *a, const char *b)
{
    char *out = malloc(strlen(a) + strlen(b) + 1);
    assert_non_null(out);
    strcpy(out, a);
    strcat(out, b);
    return out;
}

static const char HAND_WRITTEN[] =
    "# My own aswg settings\n"
    "! an old-style comment\n"
    "\n"
    "server.port = 9000\n"
    "custom.key=kept\n"
    "   # an indented comment\n"
    "aswg.server-port=2302\n"
    "\n"
    "aswg.logging.level : debug\n"
    "aswg.discord.message.server-start=Server is up\n"
    "# trailing comment\n";

/* ---- defaults ---- */

static void test_default_file_created(void **state)
{
    fixture *f = *state;
    assert_false(fs_exists(f->file));
    load_ok(f);
    assert_true(fs_exists(f->file));
    assert_string_equal(config_file_path(), f->file);
    assert_file_mode(f, 0600);
    assert_only_config_file(f);

    char *text = read_config(f);
    assert_int_equal(text[0], '#');
    /* Commented: a key with a comment has it on the line right above. */
    assert_non_null(strstr(text, "\n# HTTP port of the web UI and API (0 = any free port).\n"
                                 "server.port=8085\n"));
    assert_non_null(strstr(text, "\n# How long a login token is valid (ISO-8601 like PT2H, or 2h, "
                                 "30m).\naswg.security.jwt.expiration-time=PT2H\n"));
    assert_non_null(strstr(text, "\naswg.job.mod-update.enabled=true\n"
                                 "aswg.job.mod-update.cron=0 0 1 * * *\n"));
    assert_non_null(strstr(text, "\naswg.missions.max-upload-size=15GB\n"));
    assert_non_null(strstr(text, "\naswg.server.branch=public\n"));
    int comment_lines = 0;
    for (const char *line = text; *line;) {
        if (*line == '#')
            comment_lines++;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    assert_true(comment_lines >= 30);

    /* Every key of the table is in the file, in table order, with its default; and every key in
     * the file is a known, valid one. */
    props_doc *doc = props_parse(text, strlen(text));
    assert_non_null(doc);
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        const char *value = props_get(doc, KNOWN[i].key);
        if (!value)
            fail_msg("default file lacks %s", KNOWN[i].key);
        assert_string_equal(value, KNOWN[i].def);
        assert_string_equal(config_str(KNOWN[i].key), KNOWN[i].def);
    }
    size_t next = 0;
    char err[256];
    for (size_t i = 0; i < props_count(doc); i++) {
        const char *key = props_key_at(doc, i);
        if (config_validate(key, props_get(doc, key), err, sizeof err) != 0)
            fail_msg("default file holds a bad entry: %s", err);
        if (next < KNOWN_COUNT && strcmp(key, KNOWN[next].key) == 0)
            next++;
    }
    assert_int_equal(next, KNOWN_COUNT);
    props_free(doc);
    free(text);
}

static void test_default_values(void **state)
{
    fixture *f = *state;
    load_ok(f);
    assert_int_equal(config_int("server.port"), 8085);
    assert_string_equal(config_str("server.port"), "8085");
    assert_string_equal(config_str("server.address"), "0.0.0.0");
    assert_int_equal(config_int("aswg.server-port"), 2302);
    assert_int_equal(config_int("aswg.security.rate-limit.requests-per-minute"), 1200);
    assert_int_equal(config_duration_ms("aswg.security.jwt.expiration-time"), 7200000);
    assert_int_equal(config_size_bytes("aswg.missions.max-upload-size"), 16106127360LL);
    assert_string_equal(config_str("aswg.server.branch"), "public");
    assert_true(config_bool("aswg.job.mod-update.enabled"));
    assert_false(config_bool("aswg.default-user.reset"));
    assert_string_equal(config_str("aswg.default-user.password"), "");
    assert_string_equal(config_str("aswg.job.mods-scanner.cron"), "0 0/15 * * * *");
}

static void test_default_file_reloaded_unchanged(void **state)
{
    fixture *f = *state;
    load_ok(f);
    char *first = read_config(f);
    config_free();
    load_ok(f);
    assert_config_text(f, first);
    assert_int_equal(config_int("server.port"), 8085);
    free(first);
}

static void test_missing_config_dir(void **state)
{
    fixture *f = *state;
    char dir[128], err[512] = "";
    snprintf(dir, sizeof dir, "%s/absent", f->dir);
    assert_int_equal(config_load(dir, err, sizeof err), -1);
    assert_non_null(strstr(err, dir));
    assert_non_null(strstr(err, CONFIG_FILE_NAME));
}

/* ---- editing a hand-written file ---- */

static void test_hand_written_file_loads(void **state)
{
    fixture *f = *state;
    write_config(f, HAND_WRITTEN);
    load_ok(f);
    assert_int_equal(config_int("server.port"), 9000);
    assert_int_equal(config_int("aswg.server-port"), 2302);
    assert_string_equal(config_str("aswg.logging.level"), "debug");
    assert_string_equal(config_str("aswg.discord.message.server-start"), "Server is up");
    assert_string_equal(config_str("server.address"), "0.0.0.0"); /* absent: default */
    /* Loading does not rewrite the file. */
    assert_config_text(f, HAND_WRITTEN);
}

static void test_set_rewrites_only_that_line(void **state)
{
    fixture *f = *state;
    write_config(f, HAND_WRITTEN);
    load_ok(f);
    char err[256] = "";
    assert_int_equal(config_set("aswg.server-port", "2400", err, sizeof err), 0);
    assert_int_equal(config_int("aswg.server-port"), 2400);
    /* Nothing is written before config_save(). */
    assert_config_text(f, HAND_WRITTEN);
    assert_int_equal(config_save(), 0);

    char *expected = replaced(HAND_WRITTEN, "aswg.server-port=2302\n", "aswg.server-port=2400\n");
    assert_config_text(f, expected);
    assert_only_config_file(f);
    assert_file_mode(f, 0600);

    /* The key's spelling and separator are kept. */
    assert_int_equal(config_set("server.port", "9001", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    char *expected2 = replaced(expected, "server.port = 9000\n", "server.port = 9001\n");
    assert_config_text(f, expected2);
    assert_only_config_file(f);

    /* And it reloads with the new values. */
    config_free();
    load_ok(f);
    assert_int_equal(config_int("aswg.server-port"), 2400);
    assert_int_equal(config_int("server.port"), 9001);
    free(expected2);
    free(expected);
}

static void test_set_same_value_changes_nothing(void **state)
{
    fixture *f = *state;
    write_config(f, HAND_WRITTEN);
    load_ok(f);
    char err[256];
    assert_int_equal(config_set("server.port", "9000", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    assert_config_text(f, HAND_WRITTEN);
}

static void test_set_new_key_appends_with_comment(void **state)
{
    fixture *f = *state;
    /* No newline at the end of the last line. */
    static const char ORIGINAL[] = "# mine\nserver.port=9000\ncustom.key=kept";
    write_config(f, ORIGINAL);
    load_ok(f);
    char err[256] = "";
    assert_int_equal(config_set("aswg.server-port", "2400", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    char *expected = concat(ORIGINAL, "\n# Arma 3 game port (-port); the Steam query port is this + 1.\n"
                                      "aswg.server-port=2400\n");
    assert_config_text(f, expected);

    /* A key without a comment in the table is appended bare. */
    assert_int_equal(config_set("aswg.job.mod-update.cron", "0 30 2 * * *", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    char *expected2 = concat(expected, "aswg.job.mod-update.cron=0 30 2 * * *\n");
    assert_config_text(f, expected2);
    assert_only_config_file(f);
    assert_file_mode(f, 0600);

    config_free();
    load_ok(f);
    assert_int_equal(config_int("aswg.server-port"), 2400);
    assert_string_equal(config_str("aswg.job.mod-update.cron"), "0 30 2 * * *");
    free(expected2);
    free(expected);
}

static void test_set_value_with_special_characters_round_trips(void **state)
{
    fixture *f = *state;
    write_config(f, HAND_WRITTEN);
    load_ok(f);
    static const char MESSAGE[] = " Up: #1 = great! \\o/ \xc3\xa9";
    char err[256];
    assert_int_equal(config_set("aswg.discord.message.server-start", MESSAGE, err, sizeof err), 0);
    assert_int_equal(config_set("aswg.discord.message.server-stop", "a\nb", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    config_free();
    load_ok(f);
    assert_string_equal(config_str("aswg.discord.message.server-start"), MESSAGE);
    assert_string_equal(config_str("aswg.discord.message.server-stop"), "a\nb");
    assert_int_equal(config_int("server.port"), 9000);
    char *text = read_config(f);
    assert_non_null(strstr(text, "custom.key=kept\n"));
    free(text);
}

/* ---- validation ---- */

static void test_invalid_values_refused_at_load(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *line, *key;
    } CASES[] = {
        {"server.port=abc\n", "server.port"},
        {"server.port=70000\n", "server.port"},
        {"server.port=-1\n", "server.port"},
        {"server.port= 80x\n", "server.port"},
        {"aswg.server.branch=beta\n", "aswg.server.branch"},
        {"aswg.default-user.reset=yes\n", "aswg.default-user.reset"},
        {"aswg.security.jwt.expiration-time=forever\n", "aswg.security.jwt.expiration-time"},
        {"aswg.security.jwt.expiration-time=0s\n", "aswg.security.jwt.expiration-time"},
        {"aswg.job.mod-update.cron=not a cron\n", "aswg.job.mod-update.cron"},
        {"aswg.missions.max-upload-size=lots\n", "aswg.missions.max-upload-size"},
        {"aswg.logging.format=xml\n", "aswg.logging.format"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char *text = concat("# header\nserver.address=127.0.0.1\n", CASES[i].line);
        write_config(f, text);
        char err[512] = "";
        int rc = config_load(f->dir, err, sizeof err);
        if (rc != -1)
            fail_msg("'%s' was accepted", CASES[i].line);
        if (!strstr(err, CASES[i].key) || !strstr(err, f->file))
            fail_msg("message for '%s' lacks the key or the file: %s", CASES[i].line, err);
        config_free();
        /* The file is not touched. */
        assert_config_text(f, text);
        free(text);
    }
}

static void test_set_invalid_value_changes_nothing(void **state)
{
    fixture *f = *state;
    write_config(f, HAND_WRITTEN);
    load_ok(f);
    char err[256] = "";
    assert_int_equal(config_set("server.port", "70000", err, sizeof err), -1);
    assert_non_null(strstr(err, "server.port"));
    assert_string_equal(config_str("server.port"), "9000");
    err[0] = '\0';
    assert_int_equal(config_set("aswg.server.branch", "beta", err, sizeof err), -1);
    assert_non_null(strstr(err, "aswg.server.branch"));
    assert_string_equal(config_str("aswg.server.branch"), "public");
    err[0] = '\0';
    assert_int_equal(config_set("no.such.key", "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "no.such.key"));
    assert_int_equal(config_save(), 0);
    assert_config_text(f, HAND_WRITTEN);

    assert_int_equal(config_validate("aswg.server-port", "65531", err, sizeof err), 0);
    assert_int_equal(config_validate("aswg.server-port", "65532", err, sizeof err), -1);
    assert_int_equal(config_validate("aswg.server-port", "0", err, sizeof err), -1);
}

/* ---- environment and command line ---- */

static void test_env_override_wins(void **state)
{
    fixture *f = *state;
    write_config(f, "aswg.server-directory-path=/from/file\naswg.mods-directory-path=filemods\n");
    assert_int_equal(setenv("ASWG_SERVER_DIRECTORY_PATH", "/srv/arma", 1), 0);
    load_ok(f);
    assert_string_equal(config_str("aswg.server-directory-path"), "/srv/arma");
    assert_string_equal(config_str("aswg.mods-directory-path"), "filemods");
    unsetenv("ASWG_SERVER_DIRECTORY_PATH");
    config_free();

    assert_int_equal(setenv("ASWG_MODSDIRECTORYPATH", "envmods", 1), 0);
    load_ok(f);
    assert_string_equal(config_str("aswg.mods-directory-path"), "envmods");
    assert_string_equal(config_str("aswg.server-directory-path"), "/from/file");
    /* An environment value is never written to the file. */
    char err[256];
    assert_int_equal(config_set("server.port", "9100", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    assert_config_text(f, "aswg.server-directory-path=/from/file\naswg.mods-directory-path=filemods\n"
                          "# HTTP port of the web UI and API (0 = any free port).\nserver.port=9100\n");
    unsetenv("ASWG_MODSDIRECTORYPATH");
    config_free();

    /* Without the variables the file value is back. */
    load_ok(f);
    assert_string_equal(config_str("aswg.mods-directory-path"), "filemods");
}

static void test_env_override_typed(void **state)
{
    fixture *f = *state;
    write_config(f, "aswg.server-port=2302\n");
    assert_int_equal(setenv("ASWG_SERVER_PORT", "2500", 1), 0);
    assert_int_equal(setenv("ASWG_JOB_MOD_UPDATE_ENABLED", "false", 1), 0);
    load_ok(f);
    assert_int_equal(config_int("aswg.server-port"), 2500);
    assert_false(config_bool("aswg.job.mod-update.enabled"));
}

static void test_env_invalid_value_refused(void **state)
{
    fixture *f = *state;
    write_config(f, "aswg.server-port=2302\n");
    assert_int_equal(setenv("ASWG_SERVER_PORT", "abc", 1), 0);
    char err[512] = "";
    assert_int_equal(config_load(f->dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "aswg.server-port"));
    assert_non_null(strstr(err, "environment"));
    config_free();
    unsetenv("ASWG_SERVER_PORT");

    assert_int_equal(setenv("ASWG_SERVER_BRANCH", "beta", 1), 0);
    err[0] = '\0';
    assert_int_equal(config_load(f->dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "aswg.server.branch"));
    assert_non_null(strstr(err, "environment"));
}

static void test_override_not_saved(void **state)
{
    fixture *f = *state;
    write_config(f, HAND_WRITTEN);
    load_ok(f);
    char err[256] = "";
    assert_int_equal(config_override("server.port", "7000", err, sizeof err), 0);
    assert_int_equal(config_int("server.port"), 7000);
    assert_int_equal(config_save(), 0);
    assert_config_text(f, HAND_WRITTEN);

    /* Saving another change still leaves the overridden key's file value alone. */
    assert_int_equal(config_set("aswg.server-port", "2400", err, sizeof err), 0);
    assert_int_equal(config_save(), 0);
    char *expected = replaced(HAND_WRITTEN, "aswg.server-port=2302\n", "aswg.server-port=2400\n");
    assert_config_text(f, expected);
    assert_int_equal(config_int("server.port"), 7000);

    /* Invalid overrides are refused. */
    assert_int_equal(config_override("server.port", "http", err, sizeof err), -1);
    assert_int_equal(config_override("no.such.key", "1", err, sizeof err), -1);
    assert_int_equal(config_int("server.port"), 7000);

    config_free();
    load_ok(f);
    assert_int_equal(config_int("server.port"), 9000);
    free(expected);
}

static void test_old_string_stays_valid_after_set(void **state)
{
    fixture *f = *state;
    load_ok(f);
    const char *before = config_str("aswg.server.branch");
    const char *issuer = config_str("aswg.security.jwt.issuer");
    char err[256];
    assert_int_equal(config_set("aswg.server.branch", "profiling", err, sizeof err), 0);
    assert_int_equal(config_set("aswg.server.branch", "contact", err, sizeof err), 0);
    assert_int_equal(config_override("aswg.security.jwt.issuer", "other", err, sizeof err), 0);
    assert_string_equal(before, "public");
    assert_string_equal(issuer, "ASWG");
    assert_string_equal(config_str("aswg.server.branch"), "contact");
    assert_string_equal(config_str("aswg.security.jwt.issuer"), "other");
}

/* ---- value parsers ---- */

static void assert_duration(const char *s, int64_t expected)
{
    int64_t out = -12345;
    if (config_parse_duration_ms(s, &out) != 0)
        fail_msg("duration '%s' refused", s);
    if (out != expected)
        fail_msg("duration '%s' = %lld, expected %lld", s, (long long)out, (long long)expected);
}

static void assert_duration_refused(const char *s)
{
    int64_t out = 0;
    if (config_parse_duration_ms(s, &out) == 0)
        fail_msg("duration '%s' accepted as %lld", s, (long long)out);
}

static void test_parse_duration(void **state)
{
    (void)state;
    assert_duration("PT2H", 7200000);
    assert_duration("PT1M30S", 90000);
    assert_duration("P1D", 86400000);
    assert_duration("P1DT1H", 90000000);
    assert_duration("PT0.5S", 500);
    assert_duration("pt15m", 900000);
    assert_duration("2h", 7200000);
    assert_duration("30m", 1800000);
    assert_duration("500ms", 500);
    assert_duration("45s", 45000);
    assert_duration("1d", 86400000);
    assert_duration("1500", 1500);
    assert_duration("0", 0);

    assert_duration_refused("");
    assert_duration_refused("P");
    assert_duration_refused("PT");
    assert_duration_refused("2x");
    assert_duration_refused("h");
    assert_duration_refused("-5s");
    assert_duration_refused("PT-1S");
    assert_duration_refused("P1H");   /* hours need the T */
    assert_duration_refused("PT1D");  /* days must not follow T */
    assert_duration_refused("PT1HX");
    assert_duration_refused("PTT1H");
    assert_duration_refused("99999999999999999999s");
    assert_duration_refused("9223372036854775807d");
}

/* strtod() reads "nan", exponents and hex: the ISO parser takes plain digits only, each unit once
 * and in order (a NaN once slipped through as an undefined double -> int64 cast). */
static void test_parse_duration_rejects_nan(void **state)
{
    (void)state;
    assert_duration_refused("PTnanS");
    assert_duration_refused("PTNANM");
    assert_duration_refused("P1DT");
    assert_duration_refused("PT1H1H");
    assert_duration_refused("PT1M1H");
    assert_duration_refused("PT0x10S");
    assert_duration_refused("PT1e3S");
    assert_duration_refused("PT 5S");
    assert_duration_refused("PT0.5H");
    assert_duration(("P1DT2H3M4.5S"), 93784500);
}

/* Spring trims numbers and booleans; an ASWG file with a stray blank must still load. */
static void test_typed_values_are_trimmed(void **state)
{
    fixture *f = *state;
    write_config(f, "server.port=9000 \naswg.default-user.reset= true\t\naswg.server-directory-path=/srv/a \n");
    load_ok(f);
    assert_int_equal(config_int("server.port"), 9000);
    assert_true(config_bool("aswg.default-user.reset"));
    assert_string_equal(config_str("aswg.server-directory-path"), "/srv/a "); /* strings stay as written */
}

static void test_empty_data_directory_refused(void **state)
{
    fixture *f = *state;
    write_config(f, "aswg.data-directory-path=\n");
    char err[512] = "";
    assert_int_equal(config_load(f->dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "aswg.data-directory-path"));
}

static void assert_size(const char *s, int64_t expected)
{
    int64_t out = -12345;
    if (config_parse_size(s, &out) != 0)
        fail_msg("size '%s' refused", s);
    if (out != expected)
        fail_msg("size '%s' = %lld, expected %lld", s, (long long)out, (long long)expected);
}

static void assert_size_refused(const char *s)
{
    int64_t out = 0;
    if (config_parse_size(s, &out) == 0)
        fail_msg("size '%s' accepted as %lld", s, (long long)out);
}

static void test_parse_size(void **state)
{
    (void)state;
    assert_size("15GB", 16106127360LL);
    assert_size("10MB", 10485760);
    assert_size("512KB", 524288);
    assert_size("100", 100);
    assert_size("100B", 100);
    assert_size("1TB", 1099511627776LL);
    assert_size("500MB", 524288000);

    assert_size_refused("");
    assert_size_refused("GB");
    assert_size_refused("-1");
    assert_size_refused("1PB");
    assert_size_refused("1G");
    assert_size_refused("1.5GB");
    assert_size_refused("10 MB x");
    assert_size_refused("99999999999TB");
}

static void test_parse_bool(void **state)
{
    (void)state;
    bool b = false;
    assert_int_equal(config_parse_bool("true", &b), 0);
    assert_true(b);
    assert_int_equal(config_parse_bool("FALSE", &b), 0);
    assert_false(b);
    assert_int_equal(config_parse_bool("True", &b), 0);
    assert_true(b);
    b = true;
    assert_int_equal(config_parse_bool("false", &b), 0);
    assert_false(b);

    b = true;
    assert_int_equal(config_parse_bool("yes", &b), -1);
    assert_int_equal(config_parse_bool("1", &b), -1);
    assert_int_equal(config_parse_bool("", &b), -1);
    assert_int_equal(config_parse_bool("truex", &b), -1);
    assert_int_equal(config_parse_bool(" true", &b), -1);
    assert_true(b); /* untouched on failure */
}

#define CFG_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        CFG_TEST(test_default_file_created),
        CFG_TEST(test_default_values),
        CFG_TEST(test_default_file_reloaded_unchanged),
        CFG_TEST(test_missing_config_dir),
        CFG_TEST(test_hand_written_file_loads),
        CFG_TEST(test_set_rewrites_only_that_line),
        CFG_TEST(test_set_same_value_changes_nothing),
        CFG_TEST(test_set_new_key_appends_with_comment),
        CFG_TEST(test_set_value_with_special_characters_round_trips),
        CFG_TEST(test_invalid_values_refused_at_load),
        CFG_TEST(test_set_invalid_value_changes_nothing),
        CFG_TEST(test_env_override_wins),
        CFG_TEST(test_env_override_typed),
        CFG_TEST(test_env_invalid_value_refused),
        CFG_TEST(test_override_not_saved),
        CFG_TEST(test_old_string_stays_valid_after_set),
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_parse_duration_rejects_nan),
        CFG_TEST(test_typed_values_are_trimmed),
        CFG_TEST(test_empty_data_directory_refused),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_parse_bool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
