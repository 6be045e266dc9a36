#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/body.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *obj = json_loads(text, 0, &jerr);
    if (!obj)
        fail_msg("bad test JSON %s: %s", text, jerr.text);
    return obj;
}

/* Applies fields to text's object; returns the result, err holds the message. */
static bool apply(const char *text, const body_field *fields, const char *prefix, char *err,
                  size_t err_size)
{
    json_t *obj = parse(text);
    err[0] = '\0';
    bool ok = body_fields_apply(obj, fields, prefix, err, err_size);
    json_decref(obj);
    return ok;
}

static void test_required_string(void **state)
{
    (void)state;
    json_t *obj = parse("{\"username\":\"alice\",\"unknown\":1}");
    const char *username = NULL;
    const body_field fields[] = {FIELD_REQ_STRING("username", &username), FIELD_END};
    char err[256] = "";
    assert_true(body_fields_apply(obj, fields, NULL, err, sizeof err));
    assert_non_null(username);
    assert_string_equal(username, "alice");
    /* Borrowed from the JSON. */
    assert_ptr_equal(username, json_string_value(json_object_get(obj, "username")));
    json_decref(obj);
}

static void test_required_missing(void **state)
{
    (void)state;
    const char *username = "untouched", *password = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("password", &password),
        FIELD_REQ_STRING("username", &username),
        FIELD_END,
    };
    char err[256];
    assert_false(apply("{\"password\":\"pw\"}", fields, NULL, err, sizeof err));
    assert_string_equal(err, "Field 'username' is required");
    assert_string_equal(username, "untouched");
    /* null counts as missing. */
    assert_false(apply("{\"password\":\"pw\",\"username\":null}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "'username'"));
    assert_non_null(strstr(err, "required"));
    /* The first bad field is reported. */
    assert_false(apply("{}", fields, NULL, err, sizeof err));
    assert_string_equal(err, "Field 'password' is required");
}

static void test_wrong_type(void **state)
{
    (void)state;
    const char *username = "untouched";
    const body_field fields[] = {FIELD_REQ_STRING("username", &username), FIELD_END};
    char err[256];
    assert_false(apply("{\"username\":5}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "username"));
    assert_non_null(strstr(err, "must be a string"));
    assert_string_equal(username, "untouched");
    assert_false(apply("{\"username\":[\"a\"]}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "must be a string"));
    assert_false(apply("{\"username\":true}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "must be a string"));
}

static void test_lenient_bool(void **state)
{
    (void)state;
    bool locked = false;
    const body_field fields[] = {FIELD_REQ_BOOL("locked", &locked), FIELD_END};
    char err[256];
    assert_true(apply("{\"locked\":true}", fields, NULL, err, sizeof err));
    assert_true(locked);
    assert_true(apply("{\"locked\":false}", fields, NULL, err, sizeof err));
    assert_false(locked);
    assert_true(apply("{\"locked\":\"true\"}", fields, NULL, err, sizeof err));
    assert_true(locked);
    assert_true(apply("{\"locked\":\"false\"}", fields, NULL, err, sizeof err));
    assert_false(locked);
    assert_true(apply("{\"locked\":\"TRUE\"}", fields, NULL, err, sizeof err));
    assert_true(locked);

    assert_false(apply("{\"locked\":\"yes\"}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "locked"));
    assert_non_null(strstr(err, "must be a boolean"));
    assert_true(locked); /* untouched */
    assert_false(apply("{\"locked\":1}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "must be a boolean"));
    assert_false(apply("{\"locked\":\"\"}", fields, NULL, err, sizeof err));
}

static void test_lenient_int(void **state)
{
    (void)state;
    int64_t port = 0;
    const body_field fields[] = {FIELD_REQ_INT("port", &port), FIELD_END};
    char err[256];
    assert_true(apply("{\"port\":2302}", fields, NULL, err, sizeof err));
    assert_int_equal(port, 2302);
    assert_true(apply("{\"port\":\"42\"}", fields, NULL, err, sizeof err));
    assert_int_equal(port, 42);
    assert_true(apply("{\"port\":\"-7\"}", fields, NULL, err, sizeof err));
    assert_int_equal(port, -7);
    assert_true(apply("{\"port\":9007199254740993}", fields, NULL, err, sizeof err));
    assert_int_equal(port, 9007199254740993LL);

    port = 5;
    assert_false(apply("{\"port\":\"4x\"}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "port"));
    assert_non_null(strstr(err, "must be an integer"));
    assert_int_equal(port, 5);
    assert_false(apply("{\"port\":\"\"}", fields, NULL, err, sizeof err));
    assert_false(apply("{\"port\":1.5}", fields, NULL, err, sizeof err));
    assert_false(apply("{\"port\":true}", fields, NULL, err, sizeof err));
    assert_false(apply("{\"port\":\"99999999999999999999\"}", fields, NULL, err, sizeof err));
    assert_int_equal(port, 5);
}

static void test_strings_array(void **state)
{
    (void)state;
    json_t *obj = parse("{\"authorities\":[\"USERS_VIEW\",\"CDLC_VIEW\"]}");
    json_t *authorities = NULL;
    const body_field fields[] = {FIELD_REQ_STRINGS("authorities", &authorities), FIELD_END};
    char err[256];
    assert_true(body_fields_apply(obj, fields, NULL, err, sizeof err));
    assert_ptr_equal(authorities, json_object_get(obj, "authorities"));
    assert_int_equal(json_array_size(authorities), 2);
    json_decref(obj);

    authorities = NULL;
    assert_true(apply("{\"authorities\":[]}", fields, NULL, err, sizeof err));
    assert_false(apply("{\"authorities\":[1]}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "authorities"));
    assert_non_null(strstr(err, "array of strings"));
    assert_false(apply("{\"authorities\":[\"A\",null]}", fields, NULL, err, sizeof err));
    assert_false(apply("{\"authorities\":\"USERS_VIEW\"}", fields, NULL, err, sizeof err));
}

static void test_array_and_object(void **state)
{
    (void)state;
    json_t *list = NULL, *nested = NULL;
    const body_field fields[] = {
        {"list", FT_ARRAY, true, &list, NULL},
        {"nested", FT_OBJECT, true, &nested, NULL},
        FIELD_END,
    };
    char err[256];
    json_t *obj = parse("{\"list\":[1,\"a\",null],\"nested\":{\"k\":1}}");
    assert_true(body_fields_apply(obj, fields, NULL, err, sizeof err));
    assert_int_equal(json_array_size(list), 3);
    assert_true(json_is_object(nested));
    json_decref(obj);
    assert_false(apply("{\"list\":{},\"nested\":{}}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "'list' must be an array"));
    assert_false(apply("{\"list\":[],\"nested\":[]}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "'nested' must be an object"));
}

static void test_optional_absent_or_null_untouched(void **state)
{
    (void)state;
    const char *name = "keep";
    bool enabled = true;
    int64_t count = 77;
    json_t *tags = (json_t *)0x1; /* sentinel, never dereferenced */
    bool name_present = false, enabled_present = false;
    const body_field fields[] = {
        {"name", FT_STRING, false, &name, &name_present},
        {"enabled", FT_BOOL, false, &enabled, &enabled_present},
        FIELD_OPT_INT("count", &count),
        FIELD_OPT_STRINGS("tags", &tags),
        FIELD_END,
    };
    char err[256];
    assert_true(apply("{}", fields, NULL, err, sizeof err));
    assert_true(apply("{\"name\":null,\"enabled\":null,\"count\":null,\"tags\":null}", fields, NULL,
                      err, sizeof err));
    assert_string_equal(name, "keep");
    assert_true(enabled);
    assert_int_equal(count, 77);
    assert_ptr_equal(tags, (json_t *)0x1);
    assert_false(name_present);
    assert_false(enabled_present);

    /* Present flags are set for given fields only. */
    json_t *obj = parse("{\"enabled\":false}");
    assert_true(body_fields_apply(obj, fields, NULL, err, sizeof err));
    assert_false(enabled);
    assert_true(enabled_present);
    assert_false(name_present);
    assert_string_equal(name, "keep");
    json_decref(obj);

    /* An optional field of the wrong type is still an error. */
    assert_false(apply("{\"count\":\"many\"}", fields, NULL, err, sizeof err));
    assert_non_null(strstr(err, "'count' must be an integer"));
}

static void test_prefix_in_message(void **state)
{
    (void)state;
    const char *name = NULL;
    bool active = false;
    const body_field fields[] = {
        FIELD_REQ_STRING("name", &name),
        FIELD_REQ_BOOL("active", &active),
        FIELD_END,
    };
    char err[256];
    assert_false(apply("{\"active\":true}", fields, "difficulty", err, sizeof err));
    assert_string_equal(err, "Field 'difficulty.name' is required");
    assert_false(apply("{\"name\":\"x\",\"active\":\"maybe\"}", fields, "profile.options", err,
                       sizeof err));
    assert_string_equal(err, "Field 'profile.options.active' must be a boolean");
    /* An empty prefix adds no dot. */
    assert_false(apply("{\"active\":true}", fields, "", err, sizeof err));
    assert_string_equal(err, "Field 'name' is required");
    /* A short buffer is truncated, not overrun. */
    char small[12];
    memset(small, 'Z', sizeof small);
    json_t *obj = parse("{}");
    assert_false(body_fields_apply(obj, fields, "difficulty", small, 8));
    assert_int_equal(strlen(small), 7);
    assert_int_equal(small[8], 'Z');
    json_decref(obj);
}

static void test_not_an_object(void **state)
{
    (void)state;
    const char *name = NULL;
    const body_field required[] = {FIELD_REQ_STRING("name", &name), FIELD_END};
    const body_field optional[] = {FIELD_OPT_STRING("name", &name), FIELD_END};
    char err[256];
    assert_false(apply("[\"name\"]", required, NULL, err, sizeof err));
    assert_non_null(strstr(err, "'name' is required"));
    assert_true(apply("[]", optional, NULL, err, sizeof err));
    assert_null(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_string),
        cmocka_unit_test(test_required_missing),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_lenient_bool),
        cmocka_unit_test(test_lenient_int),
        cmocka_unit_test(test_strings_array),
        cmocka_unit_test(test_array_and_object),
        cmocka_unit_test(test_optional_absent_or_null_untouched),
        cmocka_unit_test(test_prefix_in_message),
        cmocka_unit_test(test_not_an_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
