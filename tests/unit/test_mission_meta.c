#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "missions/mission_meta.h"
#include "missions/pbo.h"
#include "support/pbo_builder.h"

/* ---- a raP writer ---- */

static void put_compressed_int(bytes *b, uint32_t v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        bytes_put_byte(b, v ? c | 0x80 : c);
    } while (v);
}

/* A member class entry; returns where its body offset goes, to be patched later. */
static size_t rap_class(bytes *b, const char *name)
{
    bytes_put_byte(b, 0);
    bytes_put_str(b, name);
    size_t at = b->len;
    bytes_put_u32(b, 0);
    return at;
}

static void rap_string_value(bytes *b, const char *name, const char *value)
{
    bytes_put_byte(b, 1);
    bytes_put_byte(b, 0);
    bytes_put_str(b, name);
    bytes_put_str(b, value);
}

static void rap_int_value(bytes *b, const char *name, uint32_t value)
{
    bytes_put_byte(b, 1);
    bytes_put_byte(b, 2);
    bytes_put_str(b, name);
    bytes_put_u32(b, value);
}

static void rap_body_start(bytes *b, size_t patch_at, uint32_t count)
{
    if (patch_at)
        bytes_patch_u32(b, patch_at, (uint32_t)b->len);
    bytes_put_str(b, "");   /* inherited class name */
    put_compressed_int(b, count);
}

/* An Eden-like binarized mission.sqm: version, addons[] (with a nested array), EditorData,
 * Mission { Intel { timeOfChanges, briefingName, randomSeed (int64) }; Entities {} }.
 * *name_end (if not NULL) is set to the offset just after the briefingName string. */
static bytes build_rap(const char *briefing_name, size_t *name_end)
{
    bytes b = {0};
    bytes_put(&b, "\0raP", 4);
    bytes_put_u32(&b, 0);
    bytes_put_u32(&b, 8);
    size_t enum_at = b.len;
    bytes_put_u32(&b, 0);
    rap_body_start(&b, 0, 5);
    rap_int_value(&b, "version", 54);
    bytes_put_byte(&b, 2);
    bytes_put_str(&b, "addons");
    put_compressed_int(&b, 3);
    bytes_put_byte(&b, 0);
    bytes_put_str(&b, "A3_Characters_F");
    bytes_put_byte(&b, 3);   /* nested {1.5, 7} */
    put_compressed_int(&b, 2);
    bytes_put_byte(&b, 1);
    bytes_put_u32(&b, 0x3fc00000u);
    bytes_put_byte(&b, 2);
    bytes_put_u32(&b, 7);
    bytes_put_byte(&b, 4);
    bytes_put_str(&b, "someVariable");
    bytes_put_byte(&b, 5);   /* addons[] += {} */
    bytes_put_u32(&b, 1);
    bytes_put_str(&b, "extra");
    put_compressed_int(&b, 0);
    size_t editor_at = rap_class(&b, "EditorData");
    size_t mission_at = rap_class(&b, "Mission");

    rap_body_start(&b, editor_at, 1);
    rap_int_value(&b, "moveGridStep", 1);

    rap_body_start(&b, mission_at, 3);
    bytes_put_byte(&b, 3);   /* extern class */
    bytes_put_str(&b, "Intel");
    size_t intel_at = rap_class(&b, "Intel");
    size_t entities_at = rap_class(&b, "Entities");

    rap_body_start(&b, intel_at, 3);
    bytes_put_byte(&b, 1);
    bytes_put_byte(&b, 1);
    bytes_put_str(&b, "timeOfChanges");
    bytes_put_u32(&b, 0x44fa0000u);
    rap_string_value(&b, "briefingName", briefing_name);
    if (name_end)
        *name_end = b.len;
    bytes_put_byte(&b, 1);
    bytes_put_byte(&b, 6);
    bytes_put_str(&b, "randomSeed");
    bytes_put_u32(&b, 123);
    bytes_put_u32(&b, 0);

    rap_body_start(&b, entities_at, 1);
    rap_int_value(&b, "items", 0);

    bytes_patch_u32(&b, enum_at, (uint32_t)b.len);
    bytes_put_u32(&b, 0);   /* empty enum table */
    return b;
}

/* ---- helpers ---- */

static void assert_json(const json_t *actual, const char *expected_text)
{
    json_error_t error;
    json_t *expected = json_loads(expected_text, 0, &error);
    assert_non_null(expected);
    if (!json_equal(actual, expected)) {
        char *dump = json_dumps(actual, JSON_COMPACT);
        print_error("got %s\n", dump ? dump : "(null)");
        free(dump);
        fail();
    }
    json_decref(expected);
}

static void assert_string_or_null(const char *actual, const char *expected)
{
    if (expected)
        assert_string_equal(actual, expected);
    else
        assert_null(actual);
}

static void assert_world(const char *name, const char *expected)
{
    char *world = mission_world_from_name(name);
    assert_string_or_null(world, expected);
    free(world);
}

static void from_texts(const char *sqm, const char *ext, mission_meta *meta)
{
    *meta = (mission_meta){0};
    mission_meta_from_texts(sqm, sqm ? strlen(sqm) : 0, ext, ext ? strlen(ext) : 0, meta);
}

static const char eden_sqm[] =
    "version=54;\n"
    "class EditorData\n{\n\tmoveGridStep=1;\n\tangleGridStep=0.2617994;\n"
    "\tclass ItemIDProvider\n\t{\n\t\tnextID=42;\n\t};\n"
    "\tclass Camera\n\t{\n\t\tpos[]={14472.1,51.2,16250.3};\n\t};\n};\n"
    "binarizationWanted=0;\n"
    "sourceName=\"co10_Escape\";\n"
    "addons[]=\n{\n\t\"A3_Characters_F\",\n\t\"A3_Modules_F\"\n};\n"
    "class AddonsMetaData\n{\n\tclass List\n\t{\n\t\titems=1;\n\t\tclass Item0\n\t\t{\n"
    "\t\t\tclassName=\"A3_Characters_F\";\n\t\t\tname=\"Arma 3 Alpha - Characters\";\n\t\t};\n"
    "\t};\n};\n"
    "randomSeed=8411122;\n"
    "class ScenarioData\n{\n\tauthor=\"Someone\";\n};\n"
    "class Mission\n{\n\tclass Intel\n\t{\n\t\tbriefingName=\"Escape from Altis \"\"CO10\"\"\";\n"
    "\t\ttimeOfChanges=1800.0002;\n\t\tstartWeather=0.30000001;\n\t\tyear=2035;\n\t};\n"
    "\tclass Entities\n\t{\n\t\titems=1;\n\t\tclass Item0\n\t\t{\n\t\t\tdataType=\"Group\";\n"
    "\t\t\tside=\"West\";\n\t\t\tclass Attributes\n\t\t\t{\n\t\t\t};\n\t\t\tid=0;\n\t\t};\n\t};\n"
    "};\n";

static const char description_ext[] =
    "// Mission description\n"
    "#include \"config\\defines.hpp\"\n"
    "#define DAYTIME_DEFAULT 12\n"
    "author = \"Someone\";\n"
    "onLoadName = \"Escape: Altis\";\n"
    "onLoadMission = \"Break out.\";\n"
    "class Header\n{\n\tgameType = Coop;\n\tminPlayers = 1;\n\tmaxPlayers = 10;\n};\n"
    "respawn = 3;\n"
    "class Params\n{\n"
    "\tclass Daytime\n\t{\n\t\ttitle = \"Time\";\n\t\tvalues[] = {6, 12, 18};\n"
    "\t\ttexts[] = {\"Morning\", \"Noon\", \"Evening\"};\n\t\tdefault = 12;\n\t};\n"
    "\tclass Weather\n\t{\n\t\ttitle = \"Overcast\";\n\t\tvalues[] = {0, 0.5, 1};\n"
    "\t\ttexts[] = {\"Clear\", \"Cloudy\", \"Storm\"};\n\t\tdefault = 0.5;\n\t};\n"
    "\tclass StartTime\n\t{\n\t\ttitle = \"Start\";\n\t\tvalues[] = {-1, 100000};\n"
    "\t\ttexts[] = {\"Random\", \"Fixed\"};\n\t\tdefault = DAYTIME_DEFAULT;\n\t};\n"
    "\tclass Spacer\n\t{\n\t\ttitle = $STR_params_spacer;\n\t\tvalues[] = {0};\n\t};\n"
    "\tclass Localized\n\t{\n\t\ttitle = \"Enemies\";\n\t\tvalues[] = {1, ENEMY_MAX};\n"
    "\t\ttexts[] = {$STR_few, \"Many\"};\n\t};\n"
    "\t#include \"params\\more.hpp\"\n"
    "\tclass NoTitle\n\t{\n\t\tvalues[] = {};\n\t\tdefault = 1e3;\n\t};\n"
    "};\n";

static const char description_params_json[] =
    "["
    "{\"name\":\"Daytime\",\"title\":\"Time\",\"values\":[6,12,18],"
    "\"texts\":[\"Morning\",\"Noon\",\"Evening\"],\"default\":12},"
    "{\"name\":\"Weather\",\"title\":\"Overcast\",\"values\":[0,0.5,1],"
    "\"texts\":[\"Clear\",\"Cloudy\",\"Storm\"],\"default\":0.5},"
    "{\"name\":\"StartTime\",\"title\":\"Start\",\"values\":[-1,100000],"
    "\"texts\":[\"Random\",\"Fixed\"],\"default\":null},"
    "{\"name\":\"Spacer\",\"title\":\"$STR_params_spacer\",\"values\":[0],\"texts\":[],"
    "\"default\":null},"
    "{\"name\":\"Localized\",\"title\":\"Enemies\",\"values\":[1],"
    "\"texts\":[\"$STR_few\",\"Many\"],\"default\":null},"
    "{\"name\":\"NoTitle\",\"title\":null,\"values\":[],\"texts\":[],\"default\":1000}"
    "]";

/* ---- world names ---- */

static void test_world_from_name(void **state)
{
    (void)state;
    assert_world("co10_Escape.Altis.pbo", "Altis");
    assert_world("co10_Escape.Altis.PBO", "Altis");
    assert_world("mp_zgm_m15.Malden", "Malden");
    assert_world("a.b.cam_lao_nam.pbo", "cam_lao_nam");
    assert_world("nodot", NULL);
    assert_world("nodot.pbo", NULL);
    assert_world("trailing.", NULL);
    assert_world("trailing..pbo", NULL);
    assert_world(".pbo", NULL);
    assert_world("", NULL);
    assert_world(NULL, NULL);
    assert_world("x.pbo.pbo", "pbo");
    assert_world("m.Stratis.pbox", "pbox");
}

/* ---- texts ---- */

static void test_eden_mission_sqm(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts(eden_sqm, NULL, &meta);
    assert_string_equal(meta.briefing_name, "Escape from Altis \"CO10\"");
    assert_null(meta.on_load_name);
    assert_null(meta.world_name);
    assert_json(meta.parameters, "[]");
    mission_meta_free(&meta);
}

static void test_old_mission_sqm_and_top_level_name(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts("version=11;\nclass Mission\n{\n\taddOns[]={\"cacharacters\"};\n"
               "\tclass Intel\n\t{\n\t\tbriefingName=\"Old one\";\n\t\tstartWeather=0.3;\n\t};\n"
               "};\nclass Intro\n{\n\tclass Intel\n\t{\n\t\tbriefingName=\"Intro\";\n\t};\n};\n",
               NULL, &meta);
    assert_string_equal(meta.briefing_name, "Old one");
    mission_meta_free(&meta);

    from_texts("briefingName=\"Top level\";\nclass Mission { class Intel { startWeather=0.3; }; };",
               NULL, &meta);
    assert_string_equal(meta.briefing_name, "Top level");
    mission_meta_free(&meta);
}

static void test_description_ext(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts(eden_sqm, description_ext, &meta);
    assert_string_equal(meta.briefing_name, "Escape from Altis \"CO10\"");
    assert_string_equal(meta.on_load_name, "Escape: Altis");
    assert_json(meta.parameters, description_params_json);
    mission_meta_free(&meta);
}

static void test_values_are_integers_when_integral(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts(NULL, "class Params { class P { values[] = {1.0, 2.25, 0x10, -3}; default = 1.0; }; };",
               &meta);
    json_t *param = json_array_get(meta.parameters, 0);
    json_t *values = json_object_get(param, "values");
    assert_int_equal(json_array_size(values), 4);
    assert_true(json_is_integer(json_array_get(values, 0)));
    assert_true(json_is_real(json_array_get(values, 1)));
    assert_int_equal(json_integer_value(json_array_get(values, 2)), 16);
    assert_int_equal(json_integer_value(json_array_get(values, 3)), -3);
    assert_true(json_is_integer(json_object_get(param, "default")));
    mission_meta_free(&meta);
}

static void test_briefing_name_from_description_ext(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts("version=54;\nclass Mission { class Intel { timeOfChanges=1800; }; };",
               "briefingName = \"From description\";\nonLoadName = \"Loading\";", &meta);
    assert_string_equal(meta.briefing_name, "From description");
    assert_string_equal(meta.on_load_name, "Loading");
    mission_meta_free(&meta);

    /* mission.sqm wins when it has one. */
    from_texts(eden_sqm, "briefingName = \"From description\";", &meta);
    assert_string_equal(meta.briefing_name, "Escape from Altis \"CO10\"");
    mission_meta_free(&meta);
}

static void test_unparseable_texts(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts("class Mission { class Intel { briefingName = \"x\"; ",
               "onLoadName = \"x\";\nclass Params { class A { values[] = {1,2; }; }; };\n}}}",
               &meta);
    assert_null(meta.briefing_name);
    assert_null(meta.on_load_name);
    assert_json(meta.parameters, "[]");
    mission_meta_free(&meta);

    from_texts(NULL, NULL, &meta);
    assert_null(meta.briefing_name);
    assert_null(meta.on_load_name);
    assert_json(meta.parameters, "[]");
    mission_meta_free(&meta);
}

static void test_empty_names_are_missing(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts("class Mission { class Intel { briefingName = \"\"; }; };", "onLoadName = \"\";",
               &meta);
    assert_null(meta.briefing_name);
    assert_null(meta.on_load_name);
    mission_meta_free(&meta);
}

static void test_invalid_utf8_is_replaced(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts(NULL,
               "onLoadName = \"Caf\xe9 \xc3\xa9\";\n"
               "class Params { class P { title = \"\xff\"; texts[] = {\"\xed\xa0\x80\"}; }; };",
               &meta);
    assert_string_equal(meta.on_load_name, "Caf\xef\xbf\xbd \xc3\xa9");
    assert_json(meta.parameters, "[{\"name\":\"P\",\"title\":\"\\ufffd\",\"values\":[],"
                                 "\"texts\":[\"\\ufffd\\ufffd\\ufffd\"],\"default\":null}]");
    mission_meta_free(&meta);
}

static void test_params_that_is_not_a_class(void **state)
{
    (void)state;
    mission_meta meta;
    from_texts(NULL, "Params = 3;\nonLoadName = \"x\";", &meta);
    assert_json(meta.parameters, "[]");
    assert_string_equal(meta.on_load_name, "x");
    mission_meta_free(&meta);

    from_texts(NULL, "class Params { x = 1; y[] = {1}; class P { values = 3; texts = 4; }; };",
               &meta);
    assert_json(meta.parameters,
                "[{\"name\":\"P\",\"title\":null,\"values\":[],\"texts\":[],\"default\":null}]");
    mission_meta_free(&meta);
}

/* ---- raP ---- */

static void from_rap(const bytes *rap, size_t len, mission_meta *meta)
{
    *meta = (mission_meta){0};
    mission_meta_from_texts((const char *)rap->data, len, NULL, 0, meta);
}

static void test_rap_mission_sqm(void **state)
{
    (void)state;
    bytes rap = build_rap("Binarized Op", NULL);
    mission_meta meta;
    from_rap(&rap, rap.len, &meta);
    assert_string_equal(meta.briefing_name, "Binarized Op");
    assert_json(meta.parameters, "[]");
    mission_meta_free(&meta);
    free(rap.data);
}

static void test_rap_truncated_everywhere(void **state)
{
    (void)state;
    size_t name_end;
    bytes rap = build_rap("Binarized Op", &name_end);
    for (size_t len = 0; len < rap.len; len++) {
        /* Copy to an exact-size buffer so ASan sees any read past the end. */
        bytes cut = {0};
        bytes_put(&cut, rap.data, len);
        mission_meta meta;
        from_rap(&cut, len, &meta);
        if (len >= name_end)
            assert_string_equal(meta.briefing_name, "Binarized Op");
        else
            assert_null(meta.briefing_name);
        mission_meta_free(&meta);
        free(cut.data);
    }
    free(rap.data);
}

/* Every byte changed to a few values: no crash, and a name only when it still reads right. */
static void test_rap_corrupted_bytes(void **state)
{
    (void)state;
    bytes rap = build_rap("Binarized Op", NULL);
    const unsigned char values[] = {0x00, 0x01, 0x03, 0x05, 0x7f, 0x80, 0xff};
    for (size_t i = 4; i < rap.len; i++) {
        unsigned char saved = rap.data[i];
        for (size_t v = 0; v < sizeof values; v++) {
            rap.data[i] = values[v];
            mission_meta meta;
            from_rap(&rap, rap.len, &meta);
            mission_meta_free(&meta);
        }
        rap.data[i] = saved;
    }
    free(rap.data);
}

static void test_rap_bad_header_and_offsets(void **state)
{
    (void)state;
    bytes rap = build_rap("Binarized Op", NULL);
    mission_meta meta;
    rap.data[8] = 9;   /* the "8" field */
    from_rap(&rap, rap.len, &meta);
    assert_null(meta.briefing_name);
    mission_meta_free(&meta);
    free(rap.data);

    /* Mission's body offset pointing beyond the data. */
    bytes b = {0};
    bytes_put(&b, "\0raP", 4);
    bytes_put_u32(&b, 0);
    bytes_put_u32(&b, 8);
    bytes_put_u32(&b, 0);
    rap_body_start(&b, 0, 1);
    size_t at = rap_class(&b, "Mission");
    bytes_patch_u32(&b, at, 0xfffffff0u);
    from_rap(&b, b.len, &meta);
    assert_null(meta.briefing_name);
    mission_meta_free(&meta);

    /* A class whose body is itself, and a count far beyond the data. */
    bytes_patch_u32(&b, at, 16);
    from_rap(&b, b.len, &meta);
    assert_null(meta.briefing_name);
    mission_meta_free(&meta);
    b.data[17] = 0xff;
    from_rap(&b, b.len, &meta);
    assert_null(meta.briefing_name);
    mission_meta_free(&meta);
    free(b.data);
}

static void test_rap_top_level_and_deep_arrays(void **state)
{
    (void)state;
    bytes b = {0};
    bytes_put(&b, "\0raP", 4);
    bytes_put_u32(&b, 0);
    bytes_put_u32(&b, 8);
    bytes_put_u32(&b, 0);
    rap_body_start(&b, 0, 2);
    bytes_put_byte(&b, 2);
    bytes_put_str(&b, "deep");
    put_compressed_int(&b, 1);
    for (int i = 0; i < 20; i++) {   /* 20 levels of nesting are fine */
        bytes_put_byte(&b, 3);
        put_compressed_int(&b, 1);
    }
    bytes_put_byte(&b, 2);
    bytes_put_u32(&b, 1);
    rap_string_value(&b, "briefingName", "Top");
    mission_meta meta;
    from_rap(&b, b.len, &meta);
    assert_string_equal(meta.briefing_name, "Top");
    mission_meta_free(&meta);
    free(b.data);

    b = (bytes){0};   /* too deep: refused, not a stack overflow */
    bytes_put(&b, "\0raP", 4);
    bytes_put_u32(&b, 0);
    bytes_put_u32(&b, 8);
    bytes_put_u32(&b, 0);
    rap_body_start(&b, 0, 2);
    bytes_put_byte(&b, 2);
    bytes_put_str(&b, "deep");
    put_compressed_int(&b, 1);
    for (int i = 0; i < 100000; i++) {
        bytes_put_byte(&b, 3);
        put_compressed_int(&b, 1);
    }
    from_rap(&b, b.len, &meta);
    assert_null(meta.briefing_name);
    mission_meta_free(&meta);
    free(b.data);
}

/* ---- whole PBOs ---- */

/* The product entry of every PBO below. */
static const char *const test_product[] = {"prefix", "test_mission", NULL};

static void read_pbo(const bytes *pbo_bytes, const char *file_name, mission_meta *meta)
{
    char path[32];
    bytes_temp_file(pbo_bytes->data, pbo_bytes->len, path);
    *meta = (mission_meta){0};
    assert_int_equal(mission_meta_read(path, file_name, meta), 0);
    unlink(path);
}

static void test_read_pbo_with_texts(void **state)
{
    (void)state;
    const pbo_file_spec files[] = {
        {"init.sqf", "hint \"x\";", 9, PBO_PACKING_NONE},
        {"mission.sqm", eden_sqm, sizeof eden_sqm - 1, PBO_PACKING_NONE},
        {"Description.ext", description_ext, sizeof description_ext - 1, PBO_PACKING_NONE},
    };
    bytes b = pbo_build(test_product, files, 3, NULL);
    mission_meta meta;
    read_pbo(&b, "co10_Escape.Altis.pbo", &meta);
    assert_string_equal(meta.world_name, "Altis");
    assert_string_equal(meta.briefing_name, "Escape from Altis \"CO10\"");
    assert_string_equal(meta.on_load_name, "Escape: Altis");
    assert_json(meta.parameters, description_params_json);
    mission_meta_free(&meta);
    free(b.data);
}

static void test_read_pbo_with_rap_mission_sqm(void **state)
{
    (void)state;
    bytes rap = build_rap("Binarized Op", NULL);
    const pbo_file_spec files[] = {{"mission.sqm", rap.data, rap.len, PBO_PACKING_NONE}};
    bytes b = pbo_build(test_product, files, 1, NULL);
    mission_meta meta;
    read_pbo(&b, "op.Tanoa.pbo", &meta);
    assert_string_equal(meta.world_name, "Tanoa");
    assert_string_equal(meta.briefing_name, "Binarized Op");
    assert_null(meta.on_load_name);
    assert_json(meta.parameters, "[]");
    mission_meta_free(&meta);
    free(b.data);
    free(rap.data);
}

static void test_read_pbo_without_texts(void **state)
{
    (void)state;
    const pbo_file_spec files[] = {
        {"init.sqf", "hint \"x\";", 9, PBO_PACKING_NONE},
        {"sub\\mission.sqm", eden_sqm, sizeof eden_sqm - 1, PBO_PACKING_NONE},
    };
    bytes b = pbo_build(test_product, files, 2, NULL);
    mission_meta meta;
    read_pbo(&b, "nodot", &meta);
    assert_null(meta.world_name);
    assert_null(meta.briefing_name);
    assert_null(meta.on_load_name);
    assert_json(meta.parameters, "[]");
    mission_meta_free(&meta);
    free(b.data);
}

static void test_read_pbo_with_compressed_texts(void **state)
{
    (void)state;
    const pbo_file_spec files[] = {
        {"mission.sqm", eden_sqm, sizeof eden_sqm - 1, PBO_PACKING_COMPRESSED},
        {"description.ext", description_ext, sizeof description_ext - 1, PBO_PACKING_NONE},
    };
    bytes b = pbo_build(test_product, files, 2, NULL);
    mission_meta meta;
    read_pbo(&b, "x.Altis.pbo", &meta);
    assert_null(meta.briefing_name);
    assert_string_equal(meta.on_load_name, "Escape: Altis");
    mission_meta_free(&meta);
    free(b.data);
}

static void test_read_not_a_pbo(void **state)
{
    (void)state;
    char path[32];
    bytes_temp_file(eden_sqm, sizeof eden_sqm - 1, path);
    mission_meta meta = {.world_name = (char *)"untouched"};
    assert_int_equal(mission_meta_read(path, "x.Altis.pbo", &meta), -1);
    assert_string_equal(meta.world_name, "untouched");
    assert_null(meta.parameters);
    unlink(path);
    assert_int_equal(mission_meta_read(path, "x.Altis.pbo", &meta), -1);   /* gone */
    assert_int_equal(mission_meta_read("/tmp", "x.Altis.pbo", &meta), -1);  /* a directory */
}

static void test_free_zeroed_and_twice(void **state)
{
    (void)state;
    mission_meta meta = {0};
    mission_meta_free(&meta);
    mission_meta_free(NULL);
    from_texts(eden_sqm, description_ext, &meta);
    mission_meta_free(&meta);
    assert_null(meta.briefing_name);
    assert_null(meta.parameters);
    mission_meta_free(&meta);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_from_name),
        cmocka_unit_test(test_eden_mission_sqm),
        cmocka_unit_test(test_old_mission_sqm_and_top_level_name),
        cmocka_unit_test(test_description_ext),
        cmocka_unit_test(test_values_are_integers_when_integral),
        cmocka_unit_test(test_briefing_name_from_description_ext),
        cmocka_unit_test(test_unparseable_texts),
        cmocka_unit_test(test_empty_names_are_missing),
        cmocka_unit_test(test_invalid_utf8_is_replaced),
        cmocka_unit_test(test_params_that_is_not_a_class),
        cmocka_unit_test(test_rap_mission_sqm),
        cmocka_unit_test(test_rap_truncated_everywhere),
        cmocka_unit_test(test_rap_corrupted_bytes),
        cmocka_unit_test(test_rap_bad_header_and_offsets),
        cmocka_unit_test(test_rap_top_level_and_deep_arrays),
        cmocka_unit_test(test_read_pbo_with_texts),
        cmocka_unit_test(test_read_pbo_with_rap_mission_sqm),
        cmocka_unit_test(test_read_pbo_without_texts),
        cmocka_unit_test(test_read_pbo_with_compressed_texts),
        cmocka_unit_test(test_read_not_a_pbo),
        cmocka_unit_test(test_free_zeroed_and_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
