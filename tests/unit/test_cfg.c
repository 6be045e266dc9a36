#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfg.h"

static const char *const sample_names[] = {
    "server.cfg",      "server_crlf.cfg",     "network.cfg",  "description.ext",
    "mission.sqm",     "server.Arma3Profile", "oddities.cfg",
};

/* ---- helpers ---- */

/* The samples live next to this file, wherever the test runs from. */
static char *sample_path(const char *name)
{
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    size_t dir_len = slash ? (size_t)(slash - file) : 1;
    const char *dir = slash ? file : ".";
    size_t size = dir_len + strlen("/cfg_samples/") + strlen(name) + 1;
    char *path = malloc(size);
    assert_non_null(path);
    snprintf(path, size, "%.*s/cfg_samples/%s", (int)dir_len, dir, name);
    return path;
}

static char *read_sample(const char *name, size_t *len)
{
    char *path = sample_path(name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    free(path);
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap + 1);
    assert_non_null(data);
    n = fread(data, 1, cap, f);
    assert_true(feof(f));
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

static cfg_doc *parse_len(const char *text, size_t len)
{
    char err[256];
    cfg_doc *doc = cfg_parse(text, len, err, sizeof err);
    if (!doc)
        fail_msg("parse failed: %s", err);
    return doc;
}

static cfg_doc *parse_str(const char *text)
{
    return parse_len(text, strlen(text));
}

static cfg_doc *parse_sample(const char *name, char **text, size_t *len)
{
    *text = read_sample(name, len);
    return parse_len(*text, *len);
}

static void assert_serialized_len(const cfg_doc *doc, const char *expected, size_t expected_len)
{
    size_t len = 0;
    char *text = cfg_serialize(doc, &len);
    assert_non_null(text);
    if (len != expected_len || memcmp(text, expected, len) != 0)
        fail_msg("serialized:\n[%s]\nexpected:\n[%.*s]", text, (int)expected_len, expected);
    assert_int_equal(text[len], '\0');
    free(text);
}

static void assert_serialized(const cfg_doc *doc, const char *expected)
{
    assert_serialized_len(doc, expected, strlen(expected));
}

static void assert_value(const cfg_node *cls, const char *path, const char *expected)
{
    const cfg_node *node = cfg_find_path(cls, path);
    if (!node)
        fail_msg("%s not found", path);
    assert_int_equal(cfg_node_kind(node), CFG_VALUE);
    assert_string_equal(cfg_value(node), expected);
}

static void assert_string_value(const cfg_node *cls, const char *path, const char *expected)
{
    assert_value(cls, path, expected);
    assert_true(cfg_is_string(cfg_find_path(cls, path)));
}

static void assert_raw_value(const cfg_node *cls, const char *path, const char *expected)
{
    assert_value(cls, path, expected);
    assert_false(cfg_is_string(cfg_find_path(cls, path)));
}

static void assert_same_node(const cfg_node *a, const cfg_node *b);

static void assert_same_items(const cfg_node *a, const cfg_node *b)
{
    if (cfg_node_kind(a) == CFG_ARRAY) {
        assert_int_equal(cfg_array_count(a), cfg_array_count(b));
        for (size_t i = 0; i < cfg_array_count(a); i++)
            assert_same_node(cfg_array_item(a, i), cfg_array_item(b, i));
    } else {
        assert_int_equal(cfg_child_count(a), cfg_child_count(b));
        for (size_t i = 0; i < cfg_child_count(a); i++)
            assert_same_node(cfg_child(a, i), cfg_child(b, i));
    }
}

/* Same kinds, names, values and structure. */
static void assert_same_node(const cfg_node *a, const cfg_node *b)
{
    assert_int_equal(cfg_node_kind(a), cfg_node_kind(b));
    const char *name_a = cfg_node_name(a), *name_b = cfg_node_name(b);
    assert_int_equal(name_a == NULL, name_b == NULL);
    if (name_a)
        assert_string_equal(name_a, name_b);
    assert_int_equal(cfg_is_string(a), cfg_is_string(b));
    const char *value_a = cfg_value(a), *value_b = cfg_value(b);
    assert_int_equal(value_a == NULL, value_b == NULL);
    if (value_a)
        assert_string_equal(value_a, value_b);
    assert_same_items(a, b);
}

/* The serialized doc parses back to the same tree, and serializes to the same bytes again. */
static void assert_reparses_same(cfg_doc *doc)
{
    size_t len;
    char *text = cfg_serialize(doc, &len);
    assert_non_null(text);
    cfg_doc *again = parse_len(text, len);
    assert_same_node(cfg_root(doc), cfg_root(again));
    assert_serialized_len(again, text, len);
    cfg_free(again);
    free(text);
}

/* text with the first occurrence of from replaced by to (malloc'd). */
static char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t size = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(size);
    assert_non_null(out);
    snprintf(out, size, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static void assert_parse_error(const char *text, size_t len, const char *expected)
{
    char err[256];
    cfg_doc *doc = cfg_parse(text, len, err, sizeof err);
    if (doc) {
        cfg_free(doc);
        fail_msg("parsed although invalid: [%.*s]", (int)len, text);
    }
    assert_string_equal(err, expected);
}

/* Applies a change to the parsed text and checks the exact result and that it reads back. */
typedef void (*change_fn)(cfg_node *root);

static void assert_change(const char *before, change_fn change, const char *after)
{
    cfg_doc *doc = parse_str(before);
    change(cfg_root(doc));
    assert_serialized(doc, after);
    assert_reparses_same(doc);
    cfg_free(doc);
}

/* ---- round trip ---- */

static void test_samples_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sample_names / sizeof *sample_names; i++) {
        size_t len;
        char *text;
        cfg_doc *doc = parse_sample(sample_names[i], &text, &len);
        assert_serialized_len(doc, text, len);
        assert_reparses_same(doc);
        cfg_free(doc);
        free(text);
    }
}

static void test_small_round_trips(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",
        "\n\n",
        "// only a comment",
        "/* block */",
        "\xEF\xBB\xBF",
        ("\xEF\xBB\xBF" "a = 1;\r\n"),
        "a=1;b=2;class C{d=3;};",
        "a = 1",
        "class X {}",
        "class X",
        "class X {} class Y {};",
        ";;a = 1;;",
        "a[] = {};\r\nb[]={1,{2,{3}},};\r\n",
        "#include \"x.hpp\"",
        "#define A \\\r\n  1\r\nb = A;",
        "s = \"\"\"\";",
        "s = \"\";",
        "class X : Y {\n};",
        "class X : Y;",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        cfg_doc *doc = parse_str(texts[i]);
        assert_serialized(doc, texts[i]);
        assert_reparses_same(doc);
        cfg_free(doc);
    }
}

/* ---- reading ---- */

static void check_server_values(const cfg_node *root)
{
    assert_string_value(root, "hostname", "My \"Best\" Server");
    assert_string_value(root, "password", "s3cret");
    assert_string_value(root, "passwordAdmin", "adm1n!pass");
    assert_raw_value(root, "maxPlayers", "40");
    assert_raw_value(root, "someUnknownKey", "1.5e3");
    assert_raw_value(root, "voteThreshold", "0.33");
    assert_raw_value(root, "upnp", "false");
    assert_raw_value(root, "steamProtocolMaxPacketSize", "1400");
    assert_string_value(root, "onUserConnected", "");

    const cfg_node *motd = cfg_find(root, "motd");
    assert_non_null(motd);
    assert_int_equal(cfg_node_kind(motd), CFG_ARRAY);
    assert_string_equal(cfg_node_name(motd), "motd");
    assert_int_equal(cfg_array_count(motd), 3);
    assert_string_equal(cfg_value(cfg_array_item(motd, 0)), "Welcome to My \"Best\" Server");
    assert_string_equal(cfg_value(cfg_array_item(motd, 1)), "Rules & info: https://example.com/a//b");
    assert_true(cfg_is_string(cfg_array_item(motd, 2)));
    assert_null(cfg_array_item(motd, 3));

    const cfg_node *admins = cfg_find(root, "admins");
    assert_int_equal(cfg_array_count(admins), 2);
    assert_string_equal(cfg_value(cfg_array_item(admins, 1)), "76561198000000002");

    const cfg_node *votes = cfg_find(root, "allowedVoteCmds");
    assert_int_equal(cfg_array_count(votes), 3);
    const cfg_node *kick = cfg_array_item(votes, 1);
    assert_int_equal(cfg_node_kind(kick), CFG_ARRAY);
    assert_null(cfg_value(kick));
    assert_int_equal(cfg_array_count(kick), 5);
    assert_string_equal(cfg_value(cfg_array_item(kick, 0)), "kick");
    assert_true(cfg_is_string(cfg_array_item(kick, 0)));
    assert_string_equal(cfg_value(cfg_array_item(kick, 1)), "true");
    assert_false(cfg_is_string(cfg_array_item(kick, 1)));
    assert_string_equal(cfg_value(cfg_array_item(kick, 4)), "0.5");
    assert_int_equal(cfg_array_count(cfg_array_item(votes, 0)), 3);

    const cfg_node *timeouts = cfg_find(root, "kickTimeout");
    assert_int_equal(cfg_array_count(timeouts), 4);
    assert_string_equal(cfg_value(cfg_array_item(cfg_array_item(timeouts, 2), 1)), "180");
    assert_string_equal(cfg_value(cfg_array_item(cfg_array_item(timeouts, 3), 1)), "-1");
    assert_int_equal(cfg_array_count(cfg_find(root, "allowedLoadFileExtensions")), 21);

    assert_string_value(root, "Missions/Mission1/template", "co10_Escape.Altis");
    assert_raw_value(root, "Missions/Mission1/Params/Daytime", "12");
    assert_raw_value(root, "Missions/Mission1/Params/Weather", "-1");
    assert_string_value(root, "Missions/Mission2/difficulty", "veteran");
    assert_int_equal(cfg_child_count(cfg_find_path(root, "Missions/Mission2/Params")), 0);
    assert_raw_value(root, "AdvancedOptions/queueSizeLogG", "1000000");

    const cfg_node *missions = cfg_find(root, "Missions");
    assert_int_equal(cfg_node_kind(missions), CFG_CLASS);
    assert_int_equal(cfg_child_count(missions), 2);
    assert_string_equal(cfg_node_name(cfg_child(missions, 1)), "Mission2");
    assert_null(cfg_value(missions));
}

static void test_server_cfg_values(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("server.cfg", &text, &len);
    check_server_values(cfg_root(doc));
    cfg_free(doc);
    free(text);

    doc = parse_sample("server_crlf.cfg", &text, &len);
    check_server_values(cfg_root(doc));
    cfg_free(doc);
    free(text);
}

static void test_directive_kept(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("server.cfg", &text, &len);
    const cfg_node *root = cfg_root(doc);
    const cfg_node *directive = NULL;
    for (size_t i = 0; i < cfg_child_count(root) && !directive; i++) {
        if (cfg_node_kind(cfg_child(root, i)) == CFG_DIRECTIVE)
            directive = cfg_child(root, i);
    }
    assert_non_null(directive);
    assert_null(cfg_node_name(directive));
    assert_null(cfg_value(directive));
    cfg_free(doc);
    free(text);

    /* a '\' at the end of the line continues a directive; its text stays verbatim */
    doc = parse_str("#define A(x) \\\n  x = 1; \\\n  y = 2\n#ifdef A\nb = 1;\n#endif\n");
    root = cfg_root(doc);
    assert_int_equal(cfg_child_count(root), 4);
    assert_int_equal(cfg_node_kind(cfg_child(root, 0)), CFG_DIRECTIVE);
    assert_int_equal(cfg_node_kind(cfg_child(root, 1)), CFG_DIRECTIVE);
    assert_raw_value(root, "b", "1");
    assert_int_equal(cfg_node_kind(cfg_child(root, 3)), CFG_DIRECTIVE);
    cfg_free(doc);
}

static void test_network_cfg(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("network.cfg", &text, &len);
    cfg_node *root = cfg_root(doc);
    assert_raw_value(root, "MaxBandwidth", "10000000000");
    assert_raw_value(root, "MinErrorToSend", "0.001");
    assert_raw_value(root, "sockets/maxPacketSize", "1400");

    assert_int_equal(cfg_set_raw(root, "MaxMsgSend", "256"), 0);
    assert_int_equal(cfg_set_raw(cfg_find(root, "sockets"), "initBandwidth", "5000000"), 0);
    assert_int_equal(cfg_set_raw(root, "MaxPacketLoss", "150"), 0);
    char *step = replaced(text, "MaxMsgSend = 128;", "MaxMsgSend = 256;");
    char *expected = replaced(step, "class sockets { maxPacketSize = 1400; };",
                              "class sockets { maxPacketSize = 1400;\n"
                              "\tinitBandwidth = 5000000;\n"
                              "};\n"
                              "MaxPacketLoss = 150;");
    assert_serialized(doc, expected);
    assert_reparses_same(doc);
    free(step);
    free(expected);
    cfg_free(doc);
    free(text);
}

static void test_description_ext(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("description.ext", &text, &len);
    const cfg_node *root = cfg_root(doc);
    assert_string_value(root, "onLoadName", "Escape from Altis");
    assert_string_value(root, "overviewText", "A \"classic\" escape");
    assert_string_value(root, "loadScreen", "images\\loading.paa");
    assert_raw_value(root, "Header/gameType", "Coop");
    assert_int_equal(cfg_node_kind(cfg_child(root, 0)), CFG_DIRECTIVE);
    assert_int_equal(cfg_node_kind(cfg_child(root, 1)), CFG_DIRECTIVE);

    const cfg_node *params = cfg_find(root, "Params");
    assert_int_equal(cfg_child_count(params), 3);
    assert_string_value(params, "Daytime/title", "Time of day");
    assert_raw_value(params, "Daytime/default", "DEFAULT_DAYTIME");
    const cfg_node *values = cfg_find_path(params, "Daytime/values");
    assert_int_equal(cfg_array_count(values), 4);
    assert_string_equal(cfg_value(cfg_array_item(values, 3)), "0");
    assert_string_equal(cfg_value(cfg_array_item(cfg_find_path(params, "Daytime/texts"), 2)),
                        "Evening");
    assert_raw_value(params, "EnemySkill/isGlobal", "1");
    assert_raw_value(params, "EnemySkill/default", "0.5");
    assert_raw_value(params, "Revive/title", "$STR_A3_Revive");
    assert_raw_value(params, "Revive/default", "1"); /* no ';' before '}' */
    assert_string_equal(cfg_value(cfg_array_item(cfg_find_path(params, "Revive/texts"), 1)),
                        "$STR_ENABLED");
    assert_raw_value(root, "CfgFunctions/ESC/Common/spawnGroup/postInit", "1");
    assert_int_equal(cfg_child_count(cfg_find_path(root, "CfgFunctions/ESC/Common/init")), 0);
    cfg_free(doc);
    free(text);
}

static void test_mission_sqm(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("mission.sqm", &text, &len);
    const cfg_node *root = cfg_root(doc);
    assert_raw_value(root, "version", "53");
    assert_string_value(root, "Mission/Intel/briefingName", "Escape from Altis");
    assert_raw_value(root, "Mission/Intel/year", "2035");
    assert_raw_value(root, "Mission/Intel/timeOfChanges", "1800.0002");
    assert_raw_value(root, "Mission/Entities/items", "2");
    assert_string_value(root, "ScenarioData/overviewText", "Escape \"the\" island");
    assert_string_value(root, "AddonsMetaData/List/Item1/url", "https://www.arma3.com");
    assert_raw_value(root,
                     "Mission/Entities/Item0/Entities/Item0/Attributes/Inventory/primaryWeapon/"
                     "primaryMuzzleMag/ammoLeft",
                     "30");
    const cfg_node *pos =
        cfg_find_path(root, "Mission/Entities/Item0/Entities/Item0/PositionInfo/position");
    assert_int_equal(cfg_array_count(pos), 3);
    assert_string_equal(cfg_value(cfg_array_item(pos, 2)), "16750.25");
    assert_int_equal(cfg_child_count(cfg_find_path(root, "Mission/Entities/Item0/Attributes")), 0);
    assert_int_equal(cfg_array_count(cfg_find(root, "addons")), 3);
    cfg_free(doc);
    free(text);
}

static void test_profile(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("server.Arma3Profile", &text, &len);
    cfg_node *root = cfg_root(doc);
    assert_raw_value(root, "DifficultyPresets/CustomDifficulty/Options/reducedDamage", "0");
    assert_raw_value(root, "DifficultyPresets/CustomDifficulty/aiLevelPreset", "3");
    assert_raw_value(root, "DifficultyPresets/CustomAILevel/precisionAI", "0.5");

    cfg_node *options = cfg_find_path(root, "DifficultyPresets/CustomDifficulty/Options");
    assert_int_equal(cfg_set_raw(options, "reducedDamage", "1"), 0);
    assert_int_equal(cfg_set_raw(options, "tacticalPing", "0"), 0);
    assert_int_equal(
        cfg_set_raw(cfg_find_path(root, "DifficultyPresets/CustomAILevel"), "skillAI", "0.75"), 0);
    char *step1 = replaced(text, "reducedDamage=0;", "reducedDamage = 1;");
    char *step2 = replaced(step1, "tacticalPing=1;", "tacticalPing = 0;");
    char *expected = replaced(step2, "skillAI=0.5;", "skillAI = 0.75;");
    assert_serialized(doc, expected);
    assert_reparses_same(doc);
    free(step1);
    free(step2);
    free(expected);
    cfg_free(doc);
    free(text);
}

static void test_oddities(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("oddities.cfg", &text, &len);
    const cfg_node *root = cfg_root(doc);
    const cfg_node *patches = cfg_find(root, "CfgPatches");
    assert_int_equal(cfg_node_kind(patches), CFG_CLASS);
    assert_int_equal(cfg_child_count(patches), 0);

    const cfg_node *derived = cfg_find(root, "derived");
    assert_string_equal(cfg_node_name(derived), "Derived");
    const cfg_node *items = cfg_find(derived, "items");
    assert_int_equal(cfg_node_kind(items), CFG_ARRAY);
    assert_int_equal(cfg_array_count(items), 1);
    assert_int_equal(cfg_array_count(cfg_find(derived, "empty")), 0);
    const cfg_node *nested = cfg_find(derived, "nested");
    assert_int_equal(cfg_array_count(nested), 3);
    assert_int_equal(cfg_array_count(cfg_array_item(nested, 0)), 0);
    assert_string_equal(cfg_value(cfg_array_item(cfg_array_item(cfg_array_item(nested, 1), 0), 0)),
                        "1");
    assert_string_equal(cfg_value(cfg_array_item(cfg_array_item(cfg_array_item(nested, 2), 1), 1)),
                        "c");
    assert_raw_value(derived, "spaced", "some bare words");
    assert_string_value(derived, "multiline", "first line\nsecond line");
    assert_string_value(derived, "slashes", "//not a comment/* nor this */");
    assert_raw_value(derived, "afterComment", "1");
    assert_int_equal(cfg_child_count(cfg_find(derived, "Inner")), 0);
    assert_raw_value(derived, "last", "0");
    assert_raw_value(root, "Final/x", "1");
    assert_raw_value(root, "trailing", "2");
    cfg_free(doc);
    free(text);
}

static void test_case_insensitive_find(void **state)
{
    (void)state;
    cfg_doc *doc = parse_str("HostName = \"x\";\nclass MISSIONS { class m1 { Template = \"t\"; }; };\n"
                             "maxPlayers = 1;\n");
    cfg_node *root = cfg_root(doc);
    assert_string_equal(cfg_node_name(cfg_find(root, "hostname")), "HostName");
    assert_non_null(cfg_find(root, "HOSTNAME"));
    assert_string_value(root, "missions/M1/TEMPLATE", "t");
    assert_null(cfg_find(root, "hostnam"));
    assert_null(cfg_find(root, "hostnamee"));
    assert_null(cfg_find_path(root, "missions//m1"));
    assert_null(cfg_find_path(root, "/missions"));
    assert_null(cfg_find_path(root, "missions/"));
    assert_null(cfg_find_path(root, "hostname/x")); /* a value is not a class */
    assert_ptr_equal(cfg_ensure_class(root, "Missions"), cfg_find(root, "missions"));

    /* the file's spelling of a name survives a change */
    assert_int_equal(cfg_set_raw(root, "MAXPLAYERS", "64"), 0);
    assert_int_equal(cfg_set_string(root, "hostname", "y"), 0);
    assert_serialized(doc, "HostName = \"y\";\nclass MISSIONS { class m1 { Template = \"t\"; }; };\n"
                           "maxPlayers = 64;\n");
    cfg_free(doc);
}

static void test_forward_declaration(void **state)
{
    (void)state;
    cfg_doc *doc = parse_str("class CfgPatches;\nclass Base: Other;\nclass Last");
    cfg_node *root = cfg_root(doc);
    assert_int_equal(cfg_child_count(root), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(cfg_node_kind(cfg_child(root, i)), CFG_CLASS);
        assert_int_equal(cfg_child_count(cfg_child(root, i)), 0);
    }
    assert_string_equal(cfg_node_name(cfg_child(root, 1)), "Base");

    /* adding to a forward declaration gives it a body */
    assert_int_equal(cfg_set_raw(cfg_find(root, "CfgPatches"), "a", "1"), 0);
    assert_non_null(cfg_add_class(cfg_find(root, "Last"), "Sub"));
    assert_serialized(doc, "class CfgPatches\n{\n\ta = 1;\n};\nclass Base: Other;\n"
                           "class Last\n{\n\tclass Sub\n\t{\n\t};\n};");
    assert_reparses_same(doc);
    cfg_free(doc);
}

static void test_cfg_quote(void **state)
{
    (void)state;
    char *q = cfg_quote("My \"Best\" Server");
    assert_string_equal(q, "\"My \"\"Best\"\" Server\"");
    free(q);
    q = cfg_quote("");
    assert_string_equal(q, "\"\"");
    free(q);
    q = cfg_quote("\"\"");
    assert_string_equal(q, "\"\"\"\"\"\"");
    free(q);
    assert_null(cfg_quote(NULL));
}

/* ---- changing ---- */

static void test_set_existing_keeps_bytes(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("server.cfg", &text, &len);
    cfg_node *root = cfg_root(doc);
    cfg_node *hostname = cfg_find(root, "hostname");
    assert_int_equal(cfg_set_string(root, "hostname", "New \"quoted\" name"), 0);
    assert_ptr_equal(cfg_find(root, "hostname"), hostname); /* same node, new value */
    assert_string_equal(cfg_value(hostname), "New \"quoted\" name");
    assert_int_equal(cfg_set_raw(root, "maxPlayers", "64"), 0);
    const char *const motd[] = {"Hello", "Second \"line\""};
    assert_int_equal(cfg_set_string_array(root, "motd", motd, 2), 0);
    const char *const votes[] = {"{\"kick\",true,true,0.5,0.5}", "{\"mission\", true, true}"};
    assert_int_equal(cfg_set_raw_array(root, "allowedVoteCmds", votes, 2), 0);
    assert_int_equal(cfg_set_string_array(root, "admins", NULL, 0), 0);
    assert_int_equal(cfg_set_string(cfg_find(root, "AdvancedOptions"), "LogObjectNotFound",
                                    "yes"), 0);

    char *s1 = replaced(text, "hostname = \"My \"\"Best\"\" Server\";",
                        "hostname = \"New \"\"quoted\"\" name\";");
    char *s2 = replaced(s1, "maxPlayers = 40;", "maxPlayers = 64;");
    char *s3 = replaced(s2,
                        "motd[] = {\n\t\"Welcome to My \"\"Best\"\" Server\",\n"
                        "\t\"Rules & info: https://example.com/a//b\",\n"
                        "\t\"TeamSpeak: ts.example.com\"\n};",
                        "motd[] = {\"Hello\", \"Second \"\"line\"\"\"};");
    char *s4 = replaced(s3,
                        "allowedVoteCmds[] =\n{\n"
                        "\t// {command, preinit, postinit, threshold, sideThreshold}\n"
                        "\t{\"admin\", false, false},\n"
                        "\t{\"kick\", true, true, 0.5, 0.5},\n"
                        "\t{\"missions\", false, false, 0.51}\n};",
                        "allowedVoteCmds[] = {{\"kick\",true,true,0.5,0.5}, "
                        "{\"mission\", true, true}};");
    char *s5 = replaced(s4, "admins[] = {\"76561198000000001\", \"76561198000000002\"};",
                        "admins[] = {};");
    char *expected = replaced(s5, "LogObjectNotFound = false;", "LogObjectNotFound = \"yes\";");
    assert_serialized(doc, expected);
    assert_reparses_same(doc);

    const cfg_node *v = cfg_find(root, "allowedVoteCmds");
    assert_int_equal(cfg_array_count(v), 2);
    assert_string_equal(cfg_value(cfg_array_item(cfg_array_item(v, 1), 0)), "mission");
    assert_string_equal(cfg_value(cfg_array_item(cfg_find(root, "motd"), 1)), "Second \"line\"");
    assert_int_equal(cfg_array_count(cfg_find(root, "admins")), 0);
    assert_raw_value(root, "maxPlayers", "64");
    free(s1);
    free(s2);
    free(s3);
    free(s4);
    free(s5);
    free(expected);
    cfg_free(doc);
    free(text);
}

static void set_b(cfg_node *root)
{
    assert_int_equal(cfg_set_raw(root, "b", "2"), 0);
}

static void set_b_in_x(cfg_node *root)
{
    assert_int_equal(cfg_set_raw(cfg_find(root, "X"), "b", "2"), 0);
}

static void set_b_in_y_x(cfg_node *root)
{
    assert_int_equal(cfg_set_raw(cfg_find_path(root, "Y/X"), "b", "2"), 0);
}

static void set_arrays(cfg_node *root)
{
    const char *const strings[] = {"a", "b\"c"};
    const char *const raws[] = {"{0, 60}", "{1,60}"};
    assert_int_equal(cfg_set_string_array(root, "motd", strings, 2), 0);
    assert_int_equal(cfg_set_string_array(root, "empty", strings, 0), 0);
    assert_int_equal(cfg_set_raw_array(root, "kickTimeout", raws, 2), 0);
    assert_int_equal(cfg_set_string(root, "s", "x"), 0);
}

static void test_set_new_key_appends(void **state)
{
    (void)state;
    assert_change("a = 1;\n", set_b, "a = 1;\nb = 2;\n");
    assert_change("a = 1;", set_b, "a = 1;\nb = 2;");
    assert_change("a = 1; // about a\n", set_b, "a = 1; // about a\nb = 2;\n");
    assert_change("a = 1;\n\n// end\n", set_b, "a = 1;\nb = 2;\n\n// end\n");
    assert_change("a = 1; /* x\ny */ \n", set_b, "a = 1; /* x\ny */\nb = 2;\n");
    assert_change("#include \"x\"", set_b, "#include \"x\"\nb = 2;");
    assert_change("#a\r", set_b, "#a\nb = 2;");
    assert_change("#a\\\r\r\n", set_b, "#a\\\r\r\nb = 2;\r\n");
    assert_change("", set_b, "b = 2;");
    assert_change("\n", set_b, "b = 2;\n");
    assert_change("// header\n", set_b, "// header\nb = 2;\n");
    assert_change("\xEF\xBB\xBF", set_b, "\xEF\xBB\xBF" "b = 2;");
    assert_change("a = 1;\r\n", set_b, "a = 1;\r\nb = 2;\r\n");
    assert_change("class X\n{\n\ta = 1;\n};\n", set_b_in_x, "class X\n{\n\ta = 1;\n\tb = 2;\n};\n");
    assert_change("class X\n{\n};", set_b_in_x, "class X\n{\n\tb = 2;\n};");
    assert_change("class X {};", set_b_in_x, "class X {\n\tb = 2;\n};");
    assert_change("class X { a = 1; };", set_b_in_x, "class X { a = 1;\n\tb = 2;\n};");
    assert_change("class X { a = 1; // a\n};", set_b_in_x, "class X { a = 1; // a\n\tb = 2;\n};");
    assert_change("class Y {\n\tclass X {\n\t\ta = 1;\n\t};\n};", set_b_in_y_x,
                  "class Y {\n\tclass X {\n\t\ta = 1;\n\t\tb = 2;\n\t};\n};");
    assert_change("x = 0;\n", set_arrays,
                  "x = 0;\nmotd[] = {\"a\", \"b\"\"c\"};\nempty[] = {};\n"
                  "kickTimeout[] = {{0, 60}, {1,60}};\ns = \"x\";\n");
}

static void test_missing_semicolon_added_on_append(void **state)
{
    (void)state;
    assert_change("a = 1", set_b, "a = 1;\nb = 2;");
    assert_change("a = 1 // no semicolon", set_b, "a = 1; // no semicolon\nb = 2;");
    assert_change("x[] = {1}\n", set_b, "x[] = {1};\nb = 2;\n");
    assert_change("class Z", set_b, "class Z;\nb = 2;");
    assert_change("class Z {}", set_b, "class Z {}\nb = 2;");
    assert_change("class X { a = \"s\" }", set_b_in_x, "class X { a = \"s\";\n\tb = 2;\n}");
}

static const char missions_block[] = "class Missions\n"
                                     "{\n"
                                     "\tclass co10_escape_Altis\n"
                                     "\t{\n"
                                     "\t\ttemplate = \"co10_escape.Altis\";\n"
                                     "\t\tdifficulty = \"regular\";\n"
                                     "\t\tclass Params\n"
                                     "\t\t{\n"
                                     "\t\t\tDaytime = 12;\n"
                                     "\t\t};\n"
                                     "\t};\n"
                                     "};";

static void build_missions(cfg_node *root)
{
    cfg_node *missions = cfg_ensure_class(root, "Missions");
    assert_non_null(missions);
    cfg_clear(missions);
    cfg_node *m1 = cfg_add_class(missions, "co10_escape_Altis");
    assert_non_null(m1);
    assert_int_equal(cfg_set_string(m1, "template", "co10_escape.Altis"), 0);
    assert_int_equal(cfg_set_string(m1, "difficulty", "regular"), 0);
    assert_int_equal(cfg_set_raw(cfg_add_class(m1, "Params"), "Daytime", "12"), 0);
    cfg_node *m2 = cfg_add_class(missions, "MP_COOP_m01_Stratis");
    assert_non_null(m2);
    assert_int_equal(cfg_set_string(m2, "template", "MP_COOP_m01.Stratis"), 0);
    assert_int_equal(cfg_set_string(m2, "difficulty", "veteran"), 0);
    assert_non_null(cfg_add_class(m2, "params"));
}

static const char two_missions_block[] = "class Missions\n"
                                         "{\n"
                                         "\tclass co10_escape_Altis\n"
                                         "\t{\n"
                                         "\t\ttemplate = \"co10_escape.Altis\";\n"
                                         "\t\tdifficulty = \"regular\";\n"
                                         "\t\tclass Params\n"
                                         "\t\t{\n"
                                         "\t\t\tDaytime = 12;\n"
                                         "\t\t};\n"
                                         "\t};\n"
                                         "\tclass MP_COOP_m01_Stratis\n"
                                         "\t{\n"
                                         "\t\ttemplate = \"MP_COOP_m01.Stratis\";\n"
                                         "\t\tdifficulty = \"veteran\";\n"
                                         "\t\tclass params\n"
                                         "\t\t{\n"
                                         "\t\t};\n"
                                         "\t};\n"
                                         "};";

/* The Missions block is rewritten; the comments and classes around it stay byte for byte. */
static void test_rewrite_missions_block(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("server.cfg", &text, &len);
    cfg_node *root = cfg_root(doc);
    const cfg_node *before = cfg_find(root, "Missions");
    build_missions(root);
    assert_ptr_equal(cfg_find(root, "missions"), before);

    const char *start = strstr(text, "class Missions\n");
    const char *end = strstr(text, "\n};\n\nclass AdvancedOptions");
    assert_non_null(start);
    assert_non_null(end);
    end += strlen("\n};");
    size_t size = len + sizeof two_missions_block;
    char *expected = malloc(size);
    assert_non_null(expected);
    snprintf(expected, size, "%.*s%s%s", (int)(start - text), text, two_missions_block, end);
    assert_serialized(doc, expected);
    assert_reparses_same(doc);
    assert_string_value(root, "missions/MP_COOP_m01_Stratis/template", "MP_COOP_m01.Stratis");
    assert_raw_value(root, "Missions/co10_escape_Altis/Params/Daytime", "12");
    assert_raw_value(root, "AdvancedOptions/queueSizeLogG", "1000000");
    assert_string_value(root, "hostname", "My \"Best\" Server");

    /* rewriting again gives the same text */
    build_missions(root);
    assert_serialized(doc, expected);
    free(expected);
    cfg_free(doc);
    free(text);
}

/* The block's own trailing comments stay; a comment after the last old mission goes with it. */
static void test_rewrite_missions_with_comments(void **state)
{
    (void)state;
    cfg_doc *doc = parse_str("// missions below\nclass Missions // rotation\n{\n"
                             "\tclass Old { template = \"old.VR\"; }; // old one\n"
                             "\t// keep this note\n};\nclass After {};\n");
    build_missions(cfg_root(doc));
    char *block = replaced(two_missions_block, "class Missions\n{", "class Missions // rotation\n{");
    char *expected = replaced(block, "\t};\n};", "\t};\n\t// keep this note\n};");
    char *full = malloc(strlen(expected) + 64);
    assert_non_null(full);
    sprintf(full, "// missions below\n%s\nclass After {};\n", expected);
    assert_serialized(doc, full);
    assert_reparses_same(doc);
    free(full);
    free(expected);
    free(block);
    cfg_free(doc);
}

static void set_single_mission(cfg_node *root)
{
    cfg_node *missions = cfg_ensure_class(root, "Missions");
    assert_non_null(missions);
    cfg_clear(missions);
    cfg_node *m = cfg_add_class(missions, "co10_escape_Altis");
    assert_non_null(m);
    assert_int_equal(cfg_set_string(m, "template", "co10_escape.Altis"), 0);
    assert_int_equal(cfg_set_string(m, "difficulty", "regular"), 0);
    cfg_node *params = cfg_add_class(m, "Params");
    assert_non_null(params);
    assert_int_equal(cfg_set_raw(params, "Daytime", "12"), 0);
}

static void test_missions_block_in_new_file(void **state)
{
    (void)state;
    cfg_doc *doc = cfg_new();
    assert_serialized(doc, "");
    set_single_mission(cfg_root(doc));
    assert_serialized(doc, missions_block);
    assert_reparses_same(doc);
    cfg_free(doc);

    char *expected = malloc(sizeof missions_block + 32);
    assert_non_null(expected);
    sprintf(expected, "hostname = \"x\";\n%s\n", missions_block);
    assert_change("hostname = \"x\";\n", set_single_mission, expected);
    sprintf(expected, "hostname = \"x\";\n%s", missions_block);
    assert_change("hostname = \"x\";", set_single_mission, expected);
    free(expected);
}

/* CRLF files get CRLF in generated lines too. */
static void test_crlf_edits(void **state)
{
    (void)state;
    size_t len;
    char *text;
    cfg_doc *doc = parse_sample("server_crlf.cfg", &text, &len);
    build_missions(cfg_root(doc));
    assert_int_equal(cfg_set_raw(cfg_root(doc), "newKey", "1"), 0);
    assert_int_equal(cfg_set_raw(cfg_find(cfg_root(doc), "AdvancedOptions"), "other", "2"), 0);
    size_t out_len;
    char *out = cfg_serialize(doc, &out_len);
    assert_non_null(out);
    for (size_t i = 0; i < out_len; i++) {
        if (out[i] == '\n')
            assert_int_equal(out[i - 1], '\r');
    }
    assert_memory_equal(out, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(out, "class Missions\r\n{\r\n\tclass co10_escape_Altis\r\n\t{\r\n"));
    assert_non_null(strstr(out, "\tqueueSizeLogG = 1000000;\r\n\tother = 2;\r\n};\r\nnewKey = 1;\r\n"
                                "// end of file\r\n"));
    free(out);
    assert_reparses_same(doc);
    cfg_free(doc);
    free(text);
}

static void remove_b(cfg_node *root)
{
    assert_true(cfg_remove(root, "B"));
    assert_null(cfg_find(root, "b"));
    assert_false(cfg_remove(root, "b"));
}

static void remove_b_in_x(cfg_node *root)
{
    remove_b(cfg_find(root, "X"));
}

static void test_remove(void **state)
{
    (void)state;
    assert_change("a = 1; // about a\nb = 2; // about b\nc = 3;\n", remove_b,
                  "a = 1; // about a\nc = 3;\n");
    assert_change("a = 1;\n\n// about b\nb = 2;\nc = 3;", remove_b, "a = 1;\nc = 3;");
    assert_change("a=1; b=2; c=3;", remove_b, "a=1; c=3;");
    assert_change("a = 1;\nb = 2; c = 3;", remove_b, "a = 1;\nc = 3;");
    assert_change("a = 1;\nb = 2", remove_b, "a = 1;\n");
    assert_change("a = 1;\nb[] = {1, 2};\n", remove_b, "a = 1;\n");
    assert_change("b = 1;\nc = 2;\n", remove_b, "\nc = 2;\n");
    assert_change("#define X\nb = 1; c = 2;", remove_b, "#define X\nc = 2;");
    assert_change("a = 1; /* multi\nline */ b = 2;\nc = 3;", remove_b, "a = 1; /* multi\nline */\nc = 3;");
    assert_change("class X\n{\n\tb = 1;\n\tc = 2;\n};", remove_b_in_x, "class X\n{\n\tc = 2;\n};");
    assert_change("class X\n{\n\ta = 1;\n\tb = 2; // b\n};", remove_b_in_x, "class X\n{\n\ta = 1;\n};");
    assert_change("class X { b = 1; };", remove_b_in_x, "class X { };");
    assert_change("a = 1;\nclass B\n{\n\tx = 1;\n};\nc = 3;\n", remove_b, "a = 1;\nc = 3;\n");

    cfg_doc *doc = parse_str("#include \"x\"\na = 1;\n");
    assert_false(cfg_remove(cfg_root(doc), "b"));
    assert_false(cfg_remove(cfg_root(doc), ""));
    assert_false(cfg_remove(cfg_find(cfg_root(doc), "a"), "a"));
    assert_false(cfg_remove(NULL, "a"));
    assert_serialized(doc, "#include \"x\"\na = 1;\n");
    cfg_free(doc);
}

static void clear_x(cfg_node *root)
{
    cfg_clear(cfg_find(root, "X"));
    assert_int_equal(cfg_child_count(cfg_find(root, "X")), 0);
}

static void clear_root(cfg_node *root)
{
    cfg_clear(root);
    assert_int_equal(cfg_child_count(root), 0);
}

static void test_clear(void **state)
{
    (void)state;
    assert_change("class X { a = 1; b = 2; };", clear_x, "class X { };");
    assert_change("class X\n{\n\ta = 1;\n\tb = 2; // b\n\t// note\n};\nc = 1;", clear_x,
                  "class X\n{\n\t// note\n};\nc = 1;");
    assert_change("class X {};", clear_x, "class X {};");
    assert_change("class X;", clear_x, "class X;");
    assert_change("// head\na = 1;\nb = 2;\n", clear_root, "// head\n");
    assert_change("a = 1;\nb = 2;", clear_root, "");
}

static void test_set_replaces_kind(void **state)
{
    (void)state;
    cfg_doc *doc = parse_str("motd[] += {\"a\"};\nname = \"x\";\nclass C {};\n");
    cfg_node *root = cfg_root(doc);
    /* untouched, the += stays */
    assert_serialized(doc, "motd[] += {\"a\"};\nname = \"x\";\nclass C {};\n");
    assert_int_equal(cfg_set_string(root, "motd", "one"), 0);
    const char *const items[] = {"p", "q"};
    assert_int_equal(cfg_set_string_array(root, "name", items, 2), 0);
    assert_int_equal(cfg_set_string(root, "C", "x"), -1); /* a class is not a value */
    assert_serialized(doc, "motd = \"one\";\nname[] = {\"p\", \"q\"};\nclass C {};\n");
    assert_string_value(root, "motd", "one");
    assert_int_equal(cfg_node_kind(cfg_find(root, "name")), CFG_ARRAY);
    assert_reparses_same(doc);
    cfg_free(doc);
}

static void test_set_odd_strings(void **state)
{
    (void)state;
    static const char *const values[] = {
        "",  "\"", "\"\"x\"\"", "line1\nline2", "// not a comment", "/* nor this", "};{",
        "a;b", "\r\n", "#define X", "https://example.com/a//b", "\xC3\xA9t\xC3\xA9",
    };
    cfg_doc *doc = parse_str("class X { a = 1 }");
    cfg_node *root = cfg_root(doc);
    cfg_node *x = cfg_find(root, "X");
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        assert_int_equal(cfg_set_string(root, "s", values[i]), 0);
        assert_int_equal(cfg_set_string(x, "s", values[i]), 0);
        assert_int_equal(cfg_set_string_array(x, "arr", values, i + 1), 0);
        assert_string_value(root, "s", values[i]);
        assert_string_value(root, "X/s", values[i]);
        assert_reparses_same(doc);
    }
    const cfg_node *arr = cfg_find(x, "arr");
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        assert_string_equal(cfg_value(cfg_array_item(arr, i)), values[i]);
    cfg_free(doc);
}

static void test_invalid_changes(void **state)
{
    (void)state;
    const char *original = "a = 1;\nclass C { b = 2; };\narr[] = {1};\n";
    cfg_doc *doc = parse_str(original);
    cfg_node *root = cfg_root(doc);
    /* raw text that would not read back as one value */
    assert_int_equal(cfg_set_raw(root, "x", "1; y = 2"), -1);
    assert_int_equal(cfg_set_raw(root, "x", ""), -1);
    assert_int_equal(cfg_set_raw(root, "x", "  "), -1);
    assert_int_equal(cfg_set_raw(root, "x", "1 // c"), -1);
    assert_int_equal(cfg_set_raw(root, "x", "1 /* c"), -1);
    assert_int_equal(cfg_set_raw(root, "x", "\"open"), -1);
    assert_int_equal(cfg_set_raw(root, "x", "1\n2"), -1);
    assert_int_equal(cfg_set_raw(root, "a", "}"), -1);
    assert_int_equal(cfg_set_raw(root, "x", NULL), -1);
    const char *const bad_items[] = {"1}"};
    assert_int_equal(cfg_set_raw_array(root, "arr", bad_items, 1), -1);
    const char *const null_item[] = {NULL};
    assert_int_equal(cfg_set_string_array(root, "arr", null_item, 1), -1);
    assert_int_equal(cfg_set_string_array(root, "arr", NULL, 1), -1);
    /* names */
    static const char *const bad_names[] = {"", "a b", "a=b", "a;", "x[]", "a/b", "class", "#x",
                                            "a\"", "a{", "a\n"};
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        assert_int_equal(cfg_set_raw(root, bad_names[i], "1"), -1);
        assert_int_equal(cfg_set_string(root, bad_names[i], "1"), -1);
        if (strcmp(bad_names[i], "class") != 0)
            assert_null(cfg_add_class(root, bad_names[i]));
    }
    assert_int_equal(cfg_set_raw(root, NULL, "1"), -1);
    assert_null(cfg_ensure_class(root, NULL));
    /* wrong node kinds */
    assert_int_equal(cfg_set_raw(cfg_find(root, "a"), "x", "1"), -1);
    assert_int_equal(cfg_set_raw(cfg_find(root, "arr"), "x", "1"), -1);
    assert_int_equal(cfg_set_string(NULL, "x", "1"), -1);
    assert_null(cfg_add_class(cfg_find(root, "a"), "X"));
    assert_null(cfg_ensure_class(cfg_find(root, "arr"), "X"));
    assert_int_equal(cfg_set_string(root, "C", "1"), -1);
    cfg_clear(cfg_find(root, "a")); /* ignored */
    assert_serialized(doc, original);
    cfg_free(doc);
}

static void test_reading_edge_cases(void **state)
{
    (void)state;
    cfg_doc *doc = parse_str("#x\nv = 1;\nclass C {};\narr[] = {1};\n");
    const cfg_node *root = cfg_root(doc);
    const cfg_node *directive = cfg_child(root, 0), *value = cfg_find(root, "v");
    const cfg_node *arr = cfg_find(root, "arr");
    assert_null(cfg_node_name(root));
    assert_int_equal(cfg_node_kind(root), CFG_CLASS);
    assert_null(cfg_child(root, 4));
    assert_int_equal(cfg_child_count(value), 0);
    assert_int_equal(cfg_child_count(arr), 0);
    assert_int_equal(cfg_array_count(value), 0);
    assert_null(cfg_array_item(value, 0));
    assert_null(cfg_find(value, "v"));
    assert_null(cfg_find(root, NULL));
    assert_null(cfg_find_path(root, NULL));
    assert_null(cfg_find_path(root, ""));
    assert_null(cfg_value(arr));
    assert_false(cfg_is_string(arr));
    assert_null(cfg_value(directive));
    assert_null(cfg_find(NULL, "v"));
    assert_int_equal(cfg_child_count(NULL), 0);
    assert_null(cfg_serialize(NULL, NULL));
    assert_null(cfg_root(NULL));
    cfg_free(NULL);
    cfg_free(doc);

    doc = cfg_parse(NULL, 0, NULL, 0);
    assert_non_null(doc);
    assert_serialized(doc, "");
    cfg_free(doc);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *error;
    } cases[] = {
        {"class X {\n a = 1;\n", "line 1, column 1: class X is not closed"},
        {"class X { class Y { }; ", "line 1, column 1: class X is not closed"},
        {"a = 1;\n}", "line 2, column 1: unexpected '}'"},
        {"{", "line 1, column 1: unexpected '{'"},
        {"a = \"abc;\n", "line 1, column 5: unterminated string"},
        {"a = 1;\n  /* x\n", "line 2, column 3: unterminated block comment"},
        {"a = 1 /* x", "line 1, column 7: unterminated block comment"},
        {"a = ;", "line 1, column 5: expected a value"},
        {"a =", "line 1, column 4: expected a value"},
        {"= = ;", "line 1, column 1: unexpected '='"},
        {"a = = ;", "line 1, column 5: expected a value"},
        {"a = {1};", "line 1, column 5: expected a value"},
        {"x[] = {1, 2", "line 1, column 7: array is not closed"},
        {"x[] = {\"a\"", "line 1, column 7: array is not closed"},
        {"x[] = {\"a\" \"b\"};", "line 1, column 12: expected ',' or '}'"},
        {"x[] = {1,,2};", "line 1, column 10: expected a value"},
        {"x[] = {1;2};", "line 1, column 9: expected ',' or '}'"},
        {"a = 1\nb = 2;", "line 2, column 1: expected ';'"},
        {"a = \"x\" y;", "line 1, column 9: expected ';'"},
        {"class ;", "line 1, column 7: expected a class name"},
        {"class", "line 1, column 6: expected a class name"},
        {"class X : {};", "line 1, column 11: expected a base class name"},
        {"class X y", "line 1, column 9: expected '{' or ';'"},
        {"x[ = {};", "line 1, column 4: expected ']'"},
        {"x[] {};", "line 1, column 5: expected '=' or '+='"},
        {"x[] = 1;", "line 1, column 7: expected '{'"},
        {"a 1;", "line 1, column 3: expected '='"},
        {"a", "line 1, column 2: expected '='"},
        {"#define A \\", "line 1, column 1: line continuation at end of file"},
        {"#define A \\\r", "line 1, column 1: line continuation at end of file"},
        {"\v#\\\r\r", "line 1, column 2: line continuation at end of file"}, /* fuzz */
        {"a = 1;\n\x01", "line 2, column 1: unexpected byte 0x01"},
        {"\xEF\xBB\xBF}", "line 1, column 4: unexpected '}'"},
        {"a = 1;\r\nb = ;\r\n", "line 2, column 5: expected a value"},
        {"x = a\rb;", "line 1, column 7: expected ';'"}, /* a lone CR ends a value too */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_parse_error(cases[i].text, strlen(cases[i].text), cases[i].error);
    assert_parse_error("a = 1;\0b = 2;", 13, "line 1, column 7: NUL byte");

    /* no error buffer, or a tiny one */
    assert_null(cfg_parse("}", 1, NULL, 0));
    char tiny[5] = "xxxx";
    assert_null(cfg_parse("}", 1, tiny, sizeof tiny));
    assert_string_equal(tiny, "line");
    char none[1] = {'x'};
    assert_null(cfg_parse("}", 1, none, 0));
    assert_int_equal(none[0], 'x');
}

/* n nested classes, or an array nested n deep. */
static char *nested_text(size_t n, bool arrays)
{
    char *text = malloc(n * 10 + 16);
    assert_non_null(text);
    size_t len = 0;
    if (arrays)
        len += (size_t)sprintf(text, "x[] = ");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, arrays ? "{" : "class C{");
    for (size_t i = 0; i < n; i++)
        text[len++] = '}';
    text[len++] = ';';
    text[len] = '\0';
    return text;
}

static void test_depth_limit(void **state)
{
    (void)state;
    char *text = nested_text(64, false);
    cfg_doc *doc = parse_str(text);
    assert_serialized(doc, text);
    cfg_node *deepest = cfg_root(doc);
    while (cfg_child_count(deepest))
        deepest = cfg_child(deepest, 0);
    assert_null(cfg_add_class(deepest, "Deeper"));
    assert_int_equal(cfg_set_raw(deepest, "v", "1"), 0);
    const char *const items[] = {"1"};
    assert_int_equal(cfg_set_raw_array(deepest, "arr", items, 1), -1); /* would be level 65 */
    assert_non_null(cfg_add_class(cfg_child(cfg_root(doc), 0), "Shallow"));
    assert_reparses_same(doc);
    cfg_free(doc);
    free(text);

    text = nested_text(65, false);
    assert_parse_error(text, strlen(text), "line 1, column 513: nested deeper than 64 levels");
    free(text);

    text = nested_text(64, true);
    doc = parse_str(text);
    cfg_free(doc);
    free(text);
    text = nested_text(65, true);
    assert_parse_error(text, strlen(text), "line 1, column 71: nested deeper than 64 levels");
    free(text);

    /* far deeper input fails without exhausting the stack */
    char err[256];
    text = nested_text(100000, true);
    assert_null(cfg_parse(text, strlen(text), err, sizeof err));
    free(text);
    text = nested_text(100000, false);
    assert_null(cfg_parse(text, strlen(text), err, sizeof err));
    free(text);
}

/* Every kind of change on every sample reads back the same. */
static void test_edits_on_every_sample(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sample_names / sizeof *sample_names; i++) {
        size_t len;
        char *text;
        cfg_doc *doc = parse_sample(sample_names[i], &text, &len);
        cfg_node *root = cfg_root(doc);
        for (size_t c = 0; c < cfg_child_count(root); c++) {
            cfg_node *child = cfg_child(root, c);
            if (cfg_node_kind(child) != CFG_CLASS)
                continue;
            assert_int_equal(cfg_set_string(child, "aswgNote", "set \"here\""), 0);
            assert_non_null(cfg_add_class(child, "AswgSub"));
        }
        assert_int_equal(cfg_set_string(root, "aswgNote", "top"), 0);
        const char *first = NULL;
        for (size_t c = 0; c < cfg_child_count(root) && !first; c++)
            first = cfg_node_name(cfg_child(root, c));
        assert_true(cfg_remove(root, first));
        build_missions(root);
        assert_reparses_same(doc);
        assert_string_value(root, "aswgNote", "top");
        cfg_free(doc);
        free(text);
    }
}

/* Found by fuzzing: a BOM inside the file is whitespace, even once it moves to the start. */
static void test_bom_inside_text(void **state)
{
    (void)state;
    static const char text[] = "ho=\x8d*;\xEF\xBB\xBF" "e = /\";\t";
    cfg_doc *doc = parse_str(text);
    cfg_node *root = cfg_root(doc);
    assert_raw_value(root, "ho", "\x8d*");
    assert_raw_value(root, "e", "/\"");
    assert_serialized(doc, text);
    assert_reparses_same(doc);
    assert_int_equal(cfg_set_raw(root, "ho", "1"), 0); /* what the fuzzer did before removing */
    assert_true(cfg_remove(root, "ho"));
    assert_serialized(doc, "e = /\";\t"); /* the BOM shared the removed member's line */
    assert_reparses_same(doc);
    assert_int_equal(cfg_set_raw(root, "\xEF\xBB\xBFx", "1"), -1);
    assert_null(cfg_add_class(root, "\xEF\xBB\xBFX"));
    assert_int_equal(cfg_set_raw(root, "x\xEF\xBB\xBF", "1"), 0);
    assert_reparses_same(doc);
    cfg_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_round_trip),
        cmocka_unit_test(test_small_round_trips),
        cmocka_unit_test(test_server_cfg_values),
        cmocka_unit_test(test_directive_kept),
        cmocka_unit_test(test_network_cfg),
        cmocka_unit_test(test_description_ext),
        cmocka_unit_test(test_mission_sqm),
        cmocka_unit_test(test_profile),
        cmocka_unit_test(test_oddities),
        cmocka_unit_test(test_case_insensitive_find),
        cmocka_unit_test(test_forward_declaration),
        cmocka_unit_test(test_cfg_quote),
        cmocka_unit_test(test_set_existing_keeps_bytes),
        cmocka_unit_test(test_set_new_key_appends),
        cmocka_unit_test(test_missing_semicolon_added_on_append),
        cmocka_unit_test(test_rewrite_missions_block),
        cmocka_unit_test(test_rewrite_missions_with_comments),
        cmocka_unit_test(test_missions_block_in_new_file),
        cmocka_unit_test(test_crlf_edits),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_set_replaces_kind),
        cmocka_unit_test(test_set_odd_strings),
        cmocka_unit_test(test_invalid_changes),
        cmocka_unit_test(test_reading_edge_cases),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_edits_on_every_sample),
        cmocka_unit_test(test_bom_inside_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
