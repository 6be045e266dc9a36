/* libFuzzer target for core/properties: any input must parse, serialize back byte for byte
 * (plus a final newline when missing), and survive edits that re-parse to the expected values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/properties.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void check_unmodified_output(const props_doc *doc, const uint8_t *data, size_t size)
{
    size_t len;
    char *out = props_serialize(doc, &len);
    CHECK(out);
    bool needs_newline = size > 0 && data[size - 1] != '\n' && data[size - 1] != '\r';
    CHECK(len == size + needs_newline);
    CHECK(size == 0 || memcmp(out, data, size) == 0);
    CHECK(!needs_newline || out[size] == '\n');
    CHECK(out[len] == '\0');
    free(out);
}

/* The serialized doc must load back to the same keys, in the same order, with the same values. */
static void check_reparses_same(const props_doc *doc)
{
    size_t len;
    char *text = props_serialize(doc, &len);
    CHECK(text);
    props_doc *again = props_parse(text, len);
    CHECK(again);
    CHECK(props_count(again) == props_count(doc));
    for (size_t i = 0; i < props_count(doc); i++) {
        const char *key = props_key_at(doc, i);
        CHECK(strcmp(props_key_at(again, i), key) == 0);
        CHECK(strcmp(props_get(again, key), props_get(doc, key)) == 0);
    }
    props_free(again);
    free(text);
}

/* A value made of the input's last bytes (up to a NUL), so the fuzzer steers it too. */
static char *value_from(const uint8_t *data, size_t size)
{
    size_t n = size < 24 ? size : 24;
    char *value = malloc(n + 1);
    CHECK(value);
    memcpy(value, data + size - n, n);
    value[n] = '\0';
    return value;
}

static void set_and_check(props_doc *doc, const char *key, const char *value, const char *comment)
{
    CHECK(props_set(doc, key, value, comment) == 0);
    CHECK(strcmp(props_get(doc, key), value) == 0);
    check_reparses_same(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    props_doc *doc = props_parse((const char *)data, size);
    CHECK(doc);
    check_unmodified_output(doc, data, size);
    check_reparses_same(doc);

    char *value = value_from(data, size);
    size_t count = props_count(doc);
    char *key = strdup(count ? props_key_at(doc, data[0] % count) : "fuzz");
    CHECK(key);
    set_and_check(doc, key, value, "ignored");
    set_and_check(doc, "fuzz new=key", value, "a\nb\rc");
    set_and_check(doc, value, key, NULL);

    CHECK(props_remove(doc, key));
    CHECK(!props_get(doc, key));
    check_reparses_same(doc);

    free(key);
    free(value);
    props_free(doc);
    return 0;
}
