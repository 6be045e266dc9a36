#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/tmpdir.h"

#include "core/fs.h"
#include "difficulty/difficulty_file.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ---- */

/* cfg_samples/server.Arma3Profile, next to this file. */
static char *read_sample(size_t *len)
{
    const char *slash = strrchr(__FILE__, '/');
    char path[1024];
    snprintf(path, sizeof path, "%.*s/cfg_samples/server.Arma3Profile", slash ? (int)(slash - __FILE__) : 1,
             slash ? __FILE__ : ".");
    char *text = fs_read_all(path, len);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

static json_t *parse_json(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (!v)
        fail_msg("bad test JSON %s: %s", text, jerr.text);
    return v;
}

static json_t *options_of(const char *text)
{
    char err[256];
    json_t *options = difficulty_options_parse(text, strlen(text), err, sizeof err);
    if (!options)
        fail_msg("cannot parse: %s", err);
    return options;
}

static void assert_int_option(json_t *options, const char *key, json_int_t expected)
{
    json_t *v = json_object_get(options, key);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    assert_int_equal(json_integer_value(v), expected);
}

static void assert_bool_option(json_t *options, const char *key, bool expected)
{
    json_t *v = json_object_get(options, key);
    if (!json_is_boolean(v))
        fail_msg("%s is not a boolean", key);
    assert_int_equal(json_is_true(v), expected);
}

static void assert_string_option(json_t *options, const char *key, const char *expected)
{
    json_t *v = json_object_get(options, key);
    if (!json_is_string(v))
        fail_msg("%s is not a string", key);
    assert_string_equal(json_string_value(v), expected);
}

/* text with options (JSON, or NULL) applied. */
static char *apply(const char *text, const char *options_json)
{
    json_t *options = options_json ? parse_json(options_json) : NULL;
    char err[256];
    size_t len = 0;
    char *out = difficulty_options_apply(text, strlen(text), options, &len, err, sizeof err);
    json_decref(options);
    if (!out)
        fail_msg("cannot apply: %s", err);
    assert_int_equal(strlen(out), len);
    return out;
}

/* text with the first `from` replaced by `to` (which must be there). */
static char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' not in the text", from);
    char *out = NULL;
    if (asprintf(&out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) < 0)
        fail_msg("out of memory");
    return out;
}

/* ---- reading ---- */

static void test_reads_the_game_profile(void **state)
{
    (void)state;
    size_t len;
    char *text = read_sample(&len);
    json_t *o = options_of(text);
    assert_int_equal(json_object_size(o), 26);
    assert_bool_option(o, "reducedDamage", false);
    assert_int_option(o, "groupIndicators", 1);
    assert_int_option(o, "enemyTags", 0);
    assert_bool_option(o, "visionAid", false);
    assert_int_option(o, "thirdPersonView", 1);
    assert_bool_option(o, "vonId", true);
    assert_bool_option(o, "mapContentEnemy", false);
    assert_bool_option(o, "autoReport", false);
    assert_bool_option(o, "multipleSaves", false);
    assert_int_option(o, "aiLevelPreset", 3);
    assert_string_option(o, "skillAI", "0.5");
    assert_string_option(o, "precisionAI", "0.5");
    json_decref(o);
    free(text);
}

static void test_defaults_for_what_the_file_lacks(void **state)
{
    (void)state;
    json_t *o = options_of("version=2;\nclass DifficultyPresets { class CustomDifficulty {\n"
                           "class Options { reducedDamage=1; tacticalPing=3; }; };\n"
                           "class CustomAILevel { precisionAI=0.25; }; };\n");
    assert_bool_option(o, "reducedDamage", true);
    assert_int_option(o, "tacticalPing", 3);
    assert_string_option(o, "precisionAI", "0.25");
    /* the rest: ASWG's defaults */
    assert_int_option(o, "groupIndicators", 1);
    assert_bool_option(o, "staminaBar", true);
    assert_int_option(o, "aiLevelPreset", 0);
    assert_string_option(o, "skillAI", "0.5");
    json_decref(o);

    json_t *empty = options_of("");
    assert_int_equal(json_object_size(empty), 26);
    assert_bool_option(empty, "reducedDamage", false);
    assert_bool_option(empty, "multipleSaves", true);
    json_decref(empty);
}

static void test_values_arma_reads_alike(void **state)
{
    (void)state;
    /* switches as true/false, and values of the wrong shape fall back to the defaults */
    json_t *o = options_of("class DifficultyPresets { class CustomDifficulty { class Options {\n"
                           "reducedDamage=true; staminaBar=false; commands=\"x\"; }; };\n"
                           "class CustomAILevel { skillAI=abc; }; };");
    assert_bool_option(o, "reducedDamage", true);
    assert_bool_option(o, "staminaBar", false);
    assert_int_option(o, "commands", 1);
    assert_string_option(o, "skillAI", "0.5");
    json_decref(o);
}

static void test_malformed_file_is_an_error(void **state)
{
    (void)state;
    const char *bad[] = {
        "class DifficultyPresets { class CustomDifficulty {",
        "class DifficultyPresets { reducedDamage = ; };",
        "version=2;\nclass { };",
        "\"unterminated",
        "x[] = {1, 2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        json_t *o = difficulty_options_parse(bad[i], strlen(bad[i]), err, sizeof err);
        if (o)
            fail_msg("parsed: %s", bad[i]);
        assert_non_null(strstr(err, "line "));
        size_t len;
        assert_null(difficulty_options_apply(bad[i], strlen(bad[i]), NULL, &len, err, sizeof err));
    }
}

/* ---- writing ---- */

static void test_round_trip_changes_only_the_given_options(void **state)
{
    (void)state;
    size_t len;
    char *text = read_sample(&len);
    char *out = apply(text, "{\"reducedDamage\": true, \"tacticalPing\": \"3\", \"skillAI\": \"0.85\","
                            " \"enemyTags\": 0, \"visionAid\": \"false\", \"unknownKey\": 5}");
    char *step1 = replaced(text, "reducedDamage=0;", "reducedDamage = 1;");
    char *step2 = replaced(step1, "tacticalPing=1;", "tacticalPing = 3;");
    char *expected = replaced(step2, "skillAI=0.5;", "skillAI = 0.85;");
    /* enemyTags and visionAid already held those values: their lines stay as the game wrote them */
    assert_string_equal(out, expected);
    json_t *o = options_of(out);
    assert_bool_option(o, "reducedDamage", true);
    assert_int_option(o, "tacticalPing", 3);
    assert_string_option(o, "skillAI", "0.85");
    json_decref(o);
    free(step1);
    free(step2);
    free(expected);
    free(out);
    free(text);
}

static void test_unchanged_options_leave_the_text_as_it_is(void **state)
{
    (void)state;
    size_t len;
    char *text = read_sample(&len);
    char *out = apply(text, "{\"reducedDamage\": false, \"groupIndicators\": 1, \"skillAI\": \"0.5\"}");
    assert_string_equal(out, text);
    free(out);
    out = apply(text, NULL);
    assert_string_equal(out, text);
    free(out);
    free(text);
}

static void test_keeps_unknown_content_and_comments(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF// my profile\r\n"
        "#include \"extra.hpp\"\r\n"
        "version=2;\r\n"
        "class DifficultyPresets\r\n"
        "{\r\n"
        "\tdefaultPreset=\"Custom\"; // picked in the game\r\n"
        "\tclass Recruit { class Options { groupIndicators=2; }; aiLevelPreset=0; };\r\n"
        "\tclass CustomDifficulty\r\n"
        "\t{\r\n"
        "\t\tclass Options\r\n"
        "\t\t{\r\n"
        "\t\t\t/* HUD */ groupIndicators=2;\r\n"
        "\t\t\tfutureOption=7;\r\n"
        "\t\t};\r\n"
        "\t};\r\n"
        "};\r\n"
        "blood=1; // trailing\r\n";
    char *out = apply(text, "{\"groupIndicators\": 0, \"aiLevelPreset\": 2}");
    /* everything that was there is still there, byte for byte */
    const char *kept[] = {"\xEF\xBB\xBF// my profile\r\n#include \"extra.hpp\"\r\nversion=2;\r\n",
                          "\tdefaultPreset=\"Custom\"; // picked in the game\r\n",
                          "\tclass Recruit { class Options { groupIndicators=2; }; aiLevelPreset=0; };\r\n",
                          "/* HUD */ groupIndicators = 0;", "\t\t\tfutureOption=7;\r\n",
                          "blood=1; // trailing\r\n"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (!strstr(out, kept[i]))
            fail_msg("lost '%s' in:\n%s", kept[i], out);
    assert_int_equal(strncmp(out, "\xEF\xBB\xBF", 3), 0);
    /* new lines follow the file's line ends */
    for (const char *p = strchr(out, '\n'); p; p = strchr(p + 1, '\n'))
        assert_int_equal(p[-1], '\r');
    json_t *o = options_of(out);
    assert_int_option(o, "groupIndicators", 0);
    assert_int_option(o, "aiLevelPreset", 2);
    assert_bool_option(o, "reducedDamage", false);
    json_decref(o);
    /* the missing members were written: a second pass has nothing left to add */
    char *again = apply(out, NULL);
    assert_string_equal(again, out);
    assert_non_null(strstr(out, "skillAI = 0.5;"));
    assert_non_null(strstr(out, "multipleSaves = 1;"));
    free(again);
    free(out);
}

/* The file aswg writes for a new profile (a missing file reads as one line break). */
static const char NEW_PROFILE[] =
        "class DifficultyPresets\n"
        "{\n"
        "\tclass CustomDifficulty\n"
        "\t{\n"
        "\t\tclass Options\n"
        "\t\t{\n"
        "\t\t\treducedDamage = 1;\n"
        "\t\t\tgroupIndicators = 1;\n"
        "\t\t\tfriendlyTags = 1;\n"
        "\t\t\tenemyTags = 1;\n"
        "\t\t\tdetectedMines = 1;\n"
        "\t\t\tcommands = 1;\n"
        "\t\t\twaypoints = 1;\n"
        "\t\t\ttacticalPing = 1;\n"
        "\t\t\tweaponInfo = 1;\n"
        "\t\t\tstanceIndicator = 1;\n"
        "\t\t\tstaminaBar = 1;\n"
        "\t\t\tweaponCrosshair = 1;\n"
        "\t\t\tvisionAid = 1;\n"
        "\t\t\tthirdPersonView = 1;\n"
        "\t\t\tcameraShake = 1;\n"
        "\t\t\tscoreTable = 1;\n"
        "\t\t\tdeathMessages = 1;\n"
        "\t\t\tvonID = 1;\n"
        "\t\t\tmapContentFriendly = 1;\n"
        "\t\t\tmapContentEnemy = 1;\n"
        "\t\t\tmapContentMines = 1;\n"
        "\t\t\tautoReport = 1;\n"
        "\t\t\tmultipleSaves = 1;\n"
        "\t\t};\n"
        "\t\taiLevelPreset = 0;\n"
        "\t};\n"
        "\tclass CustomAILevel\n"
        "\t{\n"
        "\t\tskillAI = 0.5;\n"
        "\t\tprecisionAI = 0.3;\n"
        "\t};\n"
        "};\n";

static void test_new_file_holds_every_option(void **state)
{
    (void)state;
    char *out = apply("\n", "{\"reducedDamage\": true, \"precisionAI\": 0.3}");
    assert_string_equal(out, NEW_PROFILE);
    json_t *o = options_of(out);
    assert_bool_option(o, "reducedDamage", true);
    assert_string_option(o, "precisionAI", "0.3");
    json_decref(o);
    free(out);
}

static void test_options_are_checked(void **state)
{
    (void)state;
    const struct {
        const char *json, *field;
    } bad[] = {
        {"{\"groupIndicators\": 3}", "groupIndicators"},
        {"{\"tacticalPing\": 4}", "tacticalPing"},
        {"{\"aiLevelPreset\": -1}", "aiLevelPreset"},
        {"{\"reducedDamage\": \"maybe\"}", "reducedDamage"},
        {"{\"vonId\": 2}", "vonId"},
        {"{\"skillAI\": \"1.5\"}", "skillAI"},
        {"{\"precisionAI\": \"-0.1\"}", "precisionAI"},
        {"{\"skillAI\": \"0.5; x = 1\"}", "skillAI"},
        {"{\"thirdPersonView\": \"abc\"}", "thirdPersonView"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = parse_json(bad[i].json);
        char msg[256] = "";
        assert_false(difficulty_options_check(o, msg, sizeof msg));
        if (!strstr(msg, bad[i].field))
            fail_msg("'%s' does not name %s", msg, bad[i].field);
        json_decref(o);
    }
    json_t *ok = parse_json("{\"reducedDamage\": \"true\", \"groupIndicators\": \"2\", \"skillAI\": 0.25,"
                            " \"precisionAI\": \"1\", \"other\": []}");
    char msg[256];
    assert_true(difficulty_options_check(ok, msg, sizeof msg));
    char *out = apply("", "{\"reducedDamage\": \"true\", \"groupIndicators\": \"2\", \"skillAI\": 0.25}");
    json_t *o = options_of(out);
    assert_bool_option(o, "reducedDamage", true);
    assert_int_option(o, "groupIndicators", 2);
    assert_string_option(o, "skillAI", "0.25");
    json_decref(o);
    free(out);
    json_decref(ok);
}

static void test_a_value_where_a_class_must_be(void **state)
{
    (void)state;
    const char *text = "DifficultyPresets = 1;\n";
    char err[256] = "";
    size_t len;
    json_t *options = parse_json("{\"reducedDamage\": true}");
    assert_null(difficulty_options_apply(text, strlen(text), options, &len, err, sizeof err));
    assert_non_null(strstr(err, "DifficultyPresets"));
    json_decref(options);
    /* reading it gives the defaults: the options are simply not there */
    json_t *o = options_of(text);
    assert_bool_option(o, "reducedDamage", false);
    json_decref(o);
}

/* ---- files ---- */

static int setup_dir(void **state)
{
    char *dir = strdup("/tmp/aswg-unit-XXXXXX");
    if (!dir || !mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int teardown_dir(void **state)
{
    char *dir = *state;
    int rc = test_remove_tree(dir);
    free(dir);
    return rc;
}

static char *file_in(const char *dir, const char *name)
{
    char *path = fs_join(dir, name);
    assert_non_null(path);
    return path;
}

static void write_file(const char *path, const char *text)
{
    assert_int_equal(fs_write_atomic(path, text, strlen(text), 0644), 0);
}

static char *read_file(const char *path)
{
    char *text = fs_read_all(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

static void test_file_edit_in_place(void **state)
{
    const char *dir = *state;
    char *path = file_in(dir, "Hard/Hard.Arma3Profile"), msg[512] = "";
    json_t *options = parse_json("{\"thirdPersonView\": 0}");
    /* a missing file: directory and file created */
    assert_int_equal(difficulty_file_write(path, path, options, msg, sizeof msg), ERR_OK);
    char *text = read_file(path);
    assert_non_null(strstr(text, "thirdPersonView = 0;"));
    json_t *read = difficulty_file_read(path, msg, sizeof msg);
    assert_non_null(read);
    assert_int_option(read, "thirdPersonView", 0);
    json_decref(read);
    /* nothing changes: the file is not rewritten */
    ino_t before = inode_of(path);
    assert_int_equal(difficulty_file_write(path, path, options, msg, sizeof msg), ERR_OK);
    assert_int_equal(inode_of(path), before);
    free(text);
    json_decref(options);
    free(path);
}

static void test_file_rename_and_refusals(void **state)
{
    const char *dir = *state;
    char *old_path = file_in(dir, "Old.Arma3Profile"), *new_path = file_in(dir, "New/New.Arma3Profile");
    char *taken = file_in(dir, "Taken.Arma3Profile"), *bad = file_in(dir, "Bad.Arma3Profile"), msg[512] = "";
    write_file(old_path, "version=2; // mine\n");
    write_file(taken, "keep=1;\n");
    write_file(bad, "class Broken {\n");
    assert_int_equal(difficulty_file_write(old_path, new_path, NULL, msg, sizeof msg), ERR_OK);
    char *text = read_file(new_path);
    assert_int_equal(strncmp(text, "version=2; // mine\n", 19), 0);
    assert_non_null(strstr(text, "class DifficultyPresets"));
    free(text);
    /* the source stays: the caller removes it once its row has the new name */
    assert_true(fs_exists(old_path));

    assert_int_equal(difficulty_file_write(old_path, taken, NULL, msg, sizeof msg), ERR_DIFFICULTY_ALREADY_EXISTS);
    text = read_file(taken);
    assert_string_equal(text, "keep=1;\n");
    free(text);

    assert_int_equal(difficulty_file_write(bad, bad, NULL, msg, sizeof msg), ERR_DIFFICULTY_FILE_INVALID);
    assert_non_null(strstr(msg, "Bad.Arma3Profile"));
    text = read_file(bad);
    assert_string_equal(text, "class Broken {\n");
    free(text);
    assert_null(difficulty_file_read(bad, msg, sizeof msg));
    assert_non_null(strstr(msg, "line "));

    /* a missing file reads as the defaults */
    char *missing = file_in(dir, "none.Arma3Profile");
    json_t *o = difficulty_file_read(missing, msg, sizeof msg);
    assert_non_null(o);
    assert_int_option(o, "aiLevelPreset", 0);
    json_decref(o);
    free(missing);
    free(old_path);
    free(new_path);
    free(taken);
    free(bad);
}

#define DIR_TEST(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_the_game_profile),
        cmocka_unit_test(test_defaults_for_what_the_file_lacks),
        cmocka_unit_test(test_values_arma_reads_alike),
        cmocka_unit_test(test_malformed_file_is_an_error),
        cmocka_unit_test(test_round_trip_changes_only_the_given_options),
        cmocka_unit_test(test_unchanged_options_leave_the_text_as_it_is),
        cmocka_unit_test(test_keeps_unknown_content_and_comments),
        cmocka_unit_test(test_new_file_holds_every_option),
        cmocka_unit_test(test_options_are_checked),
        cmocka_unit_test(test_a_value_where_a_class_must_be),
        DIR_TEST(test_file_edit_in_place),
        DIR_TEST(test_file_rename_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
