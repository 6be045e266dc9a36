#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "settings/settings_fields.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const LEVELS[] = {"LOW", "MEDIUM", "HIGH", NULL};
static const char *const KINDS[] = {"first", "second", "third", NULL};

/* One field of every type; the defaults differ from what the tests write. */
static const cfg_field FIELDS[] = {
    CFG_STRING("name", "hostname"),
    CFG_INT("players", "maxPlayers", "64", 1, 1000),
    CFG_FLAG("persist", "persistent", "0"),
    CFG_FLAG_ON("verify", "verifySignatures", "2", "2"),
    CFG_BOOL("upnp", "upnp", "false"),
    CFG_DECIMAL("threshold", "voteThreshold", "0.5", 0),
    CFG_STRINGS("motd", "motd", ""),
    CFG_STRINGS("exts", "exts", "hpp,sqf"),
    CFG_CODE("patching", "allowedFilePatching", "0", LEVELS),
    CFG_WORD("difficulty", "forcedDifficulty", LEVELS),
    CFG_PAIRS("kicks", "kickTimeout", "60", -2, 3600, KINDS),
    CFG_VOTE_CMDS("votes", "allowedVoteCmds"),
    CFG_INT("packet", "sockets/maxPacketSize", "1400", 256, 1472),
    CFG_FIELDS_END,
};

static json_t *parse_json(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v)
        fail_msg("bad test JSON %s: %s", text, jerr.text);
    return v;
}

static cfg_doc *parse_cfg(const char *text)
{
    char err[256];
    cfg_doc *doc = cfg_parse(text, strlen(text), err, sizeof err);
    if (!doc)
        fail_msg("bad test cfg: %s", err);
    return doc;
}

/* The JSON settings_fields_read gives for cfg text. */
static json_t *read_text(const char *text)
{
    cfg_doc *doc = parse_cfg(text);
    json_t *out = json_object();
    assert_int_equal(settings_fields_read(FIELDS, cfg_root(doc), out), 0);
    cfg_free(doc);
    return out;
}

static void assert_json(json_t *actual, const char *expected_text)
{
    json_t *expected = parse_json(expected_text);
    if (!json_equal(actual, expected)) {
        char *got = json_dumps(actual, JSON_SORT_KEYS);
        fail_msg("got %s\nwanted %s", got, expected_text);
    }
    json_decref(expected);
}

static void assert_member(json_t *obj, const char *key, const char *expected_text)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        fail_msg("no member %s", key);
    assert_json(v, expected_text);
}

static void test_defaults_for_an_empty_file(void **state)
{
    (void)state;
    json_t *out = read_text("");
    assert_json(out, "{\"name\":\"\", \"players\":64, \"persist\":false, \"verify\":true, \"upnp\":false,"
                     " \"threshold\":\"0.5\", \"motd\":[], \"exts\":[\"hpp\",\"sqf\"], \"patching\":\"LOW\","
                     " \"difficulty\":null, \"kicks\":{\"first\":60,\"second\":60,\"third\":60},"
                     " \"votes\":[], \"packet\":1400}");
    json_decref(out);
}

static void test_values_from_a_file(void **state)
{
    (void)state;
    json_t *out = read_text("HOSTNAME = \"My \"\"Server\"\" // not a comment\";\n"
                            "maxPlayers = 32;\n"
                            "persistent = true;\n"
                            "verifySignatures = 1; // obsolete v1 still reads as on\n"
                            "upnp = 1;\n"
                            "voteThreshold = 0.33;\n"
                            "motd[] = {\"Welcome\", 5, {\"nested\"}, \"Bye\"};\n"
                            "exts[] = {};\n"
                            "allowedFilePatching = 2;\n"
                            "forcedDifficulty = \"Medium\";\n"
                            "kickTimeout[] = {{1, -1}, {2, 300}, {9, 5}, {0}};\n"
                            "allowedVoteCmds[] = {{\"kick\", false, 1, 0.25}, {\"admin\"}, \"junk\", {{1}}};\n"
                            "class sockets { maxPacketSize = 1300; };\n");
    assert_json(out, "{\"name\":\"My \\\"Server\\\" // not a comment\", \"players\":32, \"persist\":true,"
                     " \"verify\":true, \"upnp\":true, \"threshold\":\"0.33\","
                     " \"motd\":[\"Welcome\",\"5\",\"Bye\"], \"exts\":[], \"patching\":\"HIGH\","
                     " \"difficulty\":\"MEDIUM\", \"kicks\":{\"first\":60,\"second\":-1,\"third\":300},"
                     " \"votes\":[{\"name\":\"kick\",\"allowedPreMission\":false,\"allowedPostMission\":true,"
                     "\"votingThreshold\":0.25,\"percentageSideVotingThreshold\":0.5},"
                     "{\"name\":\"admin\",\"allowedPreMission\":true,\"allowedPostMission\":true,"
                     "\"votingThreshold\":0.5,\"percentageSideVotingThreshold\":0.5}],"
                     " \"packet\":1300}");
    json_decref(out);
}

static void test_values_aswg_cannot_use_read_as_defaults(void **state)
{
    (void)state;
    json_t *out = read_text("maxPlayers = lots;\nvoteThreshold = 0x10;\nallowedFilePatching = 7;\n"
                            "forcedDifficulty = \"\";\nupnp = maybe;\nmotd = \"not an array\";\n"
                            "class sockets;\n");
    assert_member(out, "players", "64");
    assert_member(out, "threshold", "\"0.5\"");
    assert_member(out, "patching", "\"LOW\"");
    assert_member(out, "difficulty", "null");
    assert_member(out, "upnp", "false");
    assert_member(out, "motd", "[]");
    assert_member(out, "packet", "1400");
    json_decref(out);
}

static void test_latin1_text_is_decoded(void **state)
{
    (void)state;
    json_t *out = read_text("hostname = \"Caf\xe9\";\n");
    assert_member(out, "name", "\"Caf\\u00e9\"");
    json_decref(out);
}

/* settings_fields_check of body; returns the message ("" when accepted). */
static const char *check(const char *body_text)
{
    static char msg[256];
    json_t *body = parse_json(body_text);
    msg[0] = '\0';
    bool ok = settings_fields_check(FIELDS, body, msg, sizeof msg);
    json_decref(body);
    if (ok)
        assert_string_equal(msg, "");
    else
        assert_string_not_equal(msg, "");
    return msg;
}

static void test_check_accepts_lenient_and_partial_bodies(void **state)
{
    (void)state;
    assert_string_equal(check("{}"), "");
    assert_string_equal(check("{\"unknown\": [1], \"name\": null, \"players\": null}"), "");
    assert_string_equal(check("{\"players\": \"1000\", \"persist\": \"TRUE\", \"upnp\": false}"), "");
    assert_string_equal(check("{\"threshold\": 0.25}"), "");
    assert_string_equal(check("{\"threshold\": \"1e-3\", \"difficulty\": \"high\"}"), "");
    assert_string_equal(check("{\"difficulty\": null}"), "");
    assert_string_equal(check("{\"difficulty\": \"\"}"), "");
    assert_string_equal(check("{\"kicks\": {\"second\": -2}, \"votes\": [{\"name\": \"kick\"}]}"), "");
    assert_string_equal(check("{\"packet\": 256, \"motd\": []}"), "");
}

static void test_check_names_the_bad_field(void **state)
{
    (void)state;
    static const struct { const char *body, *message; } CASES[] = {
        {"{\"name\": 5}", "Field 'name' must be a string"},
        {"{\"name\": \"a\\nb\"}", "Field 'name' must not contain control characters"},
        {"{\"players\": 1.5}", "Field 'players' must be an integer"},
        {"{\"players\": \"many\"}", "Field 'players' must be an integer"},
        {"{\"players\": 0}", "Field 'players' must be between 1 and 1000"},
        {"{\"players\": 1001}", "Field 'players' must be between 1 and 1000"},
        {"{\"persist\": 1}", "Field 'persist' must be a boolean"},
        {"{\"upnp\": \"yes\"}", "Field 'upnp' must be a boolean"},
        {"{\"threshold\": \"abc\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"1,5\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"+1\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \" 1\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"0x10\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"nan\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"1.\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"1e999\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"0.5; x = 1\"}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": true}", "Field 'threshold' must be a decimal number such as 0.5"},
        {"{\"threshold\": \"-0.1\"}", "Field 'threshold' must be at least 0"},
        {"{\"motd\": \"hello\"}", "Field 'motd' must be an array of strings"},
        {"{\"motd\": [\"ok\", 3]}", "Field 'motd[1]' must be a string"},
        {"{\"patching\": \"NONE\"}", "Field 'patching' must be one of LOW, MEDIUM, HIGH"},
        {"{\"patching\": null, \"difficulty\": \"EXTREME\"}", "Field 'difficulty' must be one of LOW, MEDIUM, HIGH or null"},
        {"{\"difficulty\": 2}", "Field 'difficulty' must be one of LOW, MEDIUM, HIGH or null"},
        {"{\"kicks\": [60]}", "Field 'kicks' must be an object"},
        {"{\"kicks\": {\"first\": -3}}", "Field 'kicks.first' must be between -2 and 3600"},
        {"{\"kicks\": {\"third\": \"soon\"}}", "Field 'kicks.third' must be an integer"},
        {"{\"votes\": {}}", "Field 'votes' must be an array"},
        {"{\"votes\": [\"kick\"]}", "Field 'votes[0]' must be an object"},
        {"{\"votes\": [{\"name\": \"kick\"}, {\"allowedPreMission\": true}]}", "Field 'votes[1].name' is required"},
        {"{\"votes\": [{\"name\": \"\"}]}", "Field 'votes[0].name' must not be empty"},
        {"{\"votes\": [{\"name\": \"kick\", \"allowedPostMission\": 2}]}", "Field 'votes[0].allowedPostMission' must be a boolean"},
        {"{\"votes\": [{\"name\": \"kick\", \"votingThreshold\": \"half\"}]}", "Field 'votes[0].votingThreshold' must be a decimal number such as 0.5"},
        {"{\"votes\": [{\"name\": \"kick\", \"percentageSideVotingThreshold\": -1}]}", "Field 'votes[0].percentageSideVotingThreshold' must be at least 0"},
        {"{\"packet\": 1473}", "Field 'packet' must be between 256 and 1472"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const char *msg = check(CASES[i].body);
        if (strcmp(msg, CASES[i].message) != 0)
            fail_msg("%s: got \"%s\", wanted \"%s\"", CASES[i].body, msg, CASES[i].message);
    }
}

/* cfg text after writing body (checked first) into it. */
static char *write_text(const char *cfg_text, const char *body_text)
{
    cfg_doc *doc = parse_cfg(cfg_text);
    json_t *body = parse_json(body_text);
    char msg[256];
    if (!settings_fields_check(FIELDS, body, msg, sizeof msg))
        fail_msg("test body refused: %s", msg);
    assert_int_equal(settings_fields_write(FIELDS, body, cfg_root(doc)), 0);
    char *text = cfg_serialize(doc, NULL);
    json_decref(body);
    cfg_free(doc);
    return text;
}

static void test_write_every_type(void **state)
{
    (void)state;
    char *text = write_text("\n", "{\"name\": \"Say \\\"hi\\\"\", \"players\": \"12\", \"persist\": true,"
                                  " \"verify\": true, \"upnp\": \"true\", \"threshold\": 0.1,"
                                  " \"motd\": [\"a\", \"b\"], \"exts\": [], \"patching\": \"medium\","
                                  " \"difficulty\": \"HIGH\", \"kicks\": {\"second\": -2},"
                                  " \"votes\": [{\"name\": \"kick\", \"allowedPreMission\": false,"
                                  " \"votingThreshold\": \"0.33\"}, {\"name\": \"mission\","
                                  " \"percentageSideVotingThreshold\": 1}],"
                                  " \"packet\": 1300}");
    assert_string_equal(text, "hostname = \"Say \"\"hi\"\"\";\n"
                              "maxPlayers = 12;\n"
                              "persistent = 1;\n"
                              "verifySignatures = 2;\n"
                              "upnp = true;\n"
                              "voteThreshold = 0.1;\n"
                              "motd[] = {\"a\", \"b\"};\n"
                              "exts[] = {};\n"
                              "allowedFilePatching = 1;\n"
                              "forcedDifficulty = \"high\";\n"
                              "kickTimeout[] = {{0, 60}, {1, -2}, {2, 60}};\n"
                              "allowedVoteCmds[] = {{\"kick\", false, true, 0.33, 0.5}, {\"mission\", true, true, 0.5, 1}};\n"
                              "class sockets\n{\n\tmaxPacketSize = 1300;\n};\n");
    free(text);
}

static void test_write_changes_only_what_the_body_holds(void **state)
{
    (void)state;
    const char *original = "// my server\r\n"
                           "#include \"common.hpp\"\r\n"
                           "hostname = \"Old\"; // the name\r\n"
                           "maxPlayers = 40;\r\n"
                           "persistent = 1;\r\n"
                           "kickTimeout[] = {{0, -1}, {1, 30}, {2, 180}};\r\n"
                           "forcedDifficulty = \"low\";\r\n"
                           "class sockets { maxPacketSize = 1200; initBandwidth = 5; };\r\n"
                           "class Missions { class M1 { template = \"a.Altis\"; }; };\r\n"
                           "unknownKey = 7;\r\n";
    char *text = write_text(original, "{\"name\": \"New\", \"players\": null, \"difficulty\": null,"
                                      " \"kicks\": {\"first\": 10}, \"packet\": 1000, \"other\": 1}");
    assert_string_equal(text, "// my server\r\n"
                              "#include \"common.hpp\"\r\n"
                              "hostname = \"New\"; // the name\r\n"
                              "maxPlayers = 40;\r\n"
                              "persistent = 1;\r\n"
                              "kickTimeout[] = {{0, 10}, {1, 30}, {2, 180}};\r\n"
                              "class sockets { maxPacketSize = 1000; initBandwidth = 5; };\r\n"
                              "class Missions { class M1 { template = \"a.Altis\"; }; };\r\n"
                              "unknownKey = 7;\r\n");
    free(text);
    text = write_text(original, "{}");
    assert_string_equal(text, original);
    free(text);
}

static void test_plain_text(void **state)
{
    (void)state;
    char msg[128] = "";
    char long_text[SETTINGS_TEXT_MAX + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    assert_true(settings_plain_text("Caf\xc3\xa9 \"quoted\" / ok", "f", msg, sizeof msg));
    assert_false(settings_plain_text(long_text, "f", msg, sizeof msg));
    assert_string_equal(msg, "Field 'f' must be at most 1024 characters");
    long_text[SETTINGS_TEXT_MAX] = '\0';
    assert_true(settings_plain_text(long_text, "f", msg, sizeof msg));
    assert_false(settings_plain_text("tab\there", "g", msg, sizeof msg));
    assert_string_equal(msg, "Field 'g' must not contain control characters");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_for_an_empty_file),
        cmocka_unit_test(test_values_from_a_file),
        cmocka_unit_test(test_values_aswg_cannot_use_read_as_defaults),
        cmocka_unit_test(test_latin1_text_is_decoded),
        cmocka_unit_test(test_check_accepts_lenient_and_partial_bodies),
        cmocka_unit_test(test_check_names_the_bad_field),
        cmocka_unit_test(test_write_every_type),
        cmocka_unit_test(test_write_changes_only_what_the_body_holds),
        cmocka_unit_test(test_plain_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
