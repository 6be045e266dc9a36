/* libFuzzer target for core/cfg: any input either fails with a positioned error or parses and
 * serializes back byte for byte; after edits (set in the root and in the first class, replace an
 * existing member, add a class, remove, clear) the text must parse again to the same tree with
 * the values that were set. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cfg.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

#define MAX_PATH 9 /* the root and up to 8 classes below it */

static bool same_text(const char *a, const char *b)
{
    return (a == NULL) == (b == NULL) && (!a || strcmp(a, b) == 0);
}

static void check_same_node(const cfg_node *a, const cfg_node *b)
{
    CHECK(cfg_node_kind(a) == cfg_node_kind(b));
    CHECK(same_text(cfg_node_name(a), cfg_node_name(b)));
    CHECK(same_text(cfg_value(a), cfg_value(b)));
    CHECK(cfg_is_string(a) == cfg_is_string(b));
    CHECK(cfg_child_count(a) == cfg_child_count(b));
    for (size_t i = 0; i < cfg_child_count(a); i++)
        check_same_node(cfg_child(a, i), cfg_child(b, i));
    CHECK(cfg_array_count(a) == cfg_array_count(b));
    for (size_t i = 0; i < cfg_array_count(a); i++)
        check_same_node(cfg_array_item(a, i), cfg_array_item(b, i));
}

/* The doc serializes, parses back to the same tree and serializes to the same bytes. */
static cfg_doc *reparse(const cfg_doc *doc)
{
    size_t len, len2;
    char *text = cfg_serialize(doc, &len);
    CHECK(text && text[len] == '\0');
    cfg_doc *again = cfg_parse(text, len, NULL, 0);
    CHECK(again);
    check_same_node(cfg_root((cfg_doc *)doc), cfg_root(again));
    char *text2 = cfg_serialize(again, &len2);
    CHECK(text2 && len2 == len && memcmp(text, text2, len) == 0);
    free(text2);
    free(text);
    return again;
}

/* A value made of the input's last bytes, so the fuzzer steers it too. */
static char *value_from(const uint8_t *data, size_t size)
{
    size_t n = size < 24 ? size : 24;
    char *value = malloc(n + 1);
    CHECK(value);
    memcpy(value, data + size - n, n);
    value[n] = '\0';
    return value;
}

/* The first class among the members of cls, or NULL. */
static cfg_node *first_class(const cfg_node *cls)
{
    for (size_t i = 0; i < cfg_child_count(cls); i++) {
        cfg_node *child = cfg_child(cls, i);
        if (cfg_node_kind(child) == CFG_CLASS)
            return child;
    }
    return NULL;
}

static size_t index_of(const cfg_node *cls, const cfg_node *child)
{
    for (size_t i = 0;; i++) {
        CHECK(i < cfg_child_count(cls));
        if (cfg_child(cls, i) == child)
            return i;
    }
}

/* The node in other at the position chain[depth - 1] has in doc's tree (chain[0] is the root). */
static cfg_node *same_place(cfg_node *other, cfg_node *const *chain, size_t depth)
{
    for (size_t i = 1; i < depth; i++)
        other = cfg_child(other, index_of(chain[i - 1], chain[i]));
    return other;
}

/* Sets name = "value" in cls; only a class of that name may refuse it. */
static bool set_and_check(cfg_node *cls, const char *name, const char *value)
{
    cfg_node *existing = cfg_find(cls, name);
    bool blocked = existing && cfg_node_kind(existing) == CFG_CLASS;
    int rc = cfg_set_string(cls, name, value);
    CHECK(rc == (blocked ? -1 : 0));
    if (!blocked)
        CHECK(strcmp(cfg_value(cfg_find(cls, name)), value) == 0);
    return !blocked;
}

static const char *first_entry_name(const cfg_node *cls)
{
    for (size_t i = 0; i < cfg_child_count(cls); i++) {
        const cfg_node *child = cfg_child(cls, i);
        if (cfg_node_kind(child) == CFG_VALUE || cfg_node_kind(child) == CFG_ARRAY)
            return cfg_node_name(child);
    }
    return NULL;
}

static void check_unchanged_output(const cfg_doc *doc, const uint8_t *data, size_t size)
{
    size_t len;
    char *out = cfg_serialize(doc, &len);
    CHECK(out);
    CHECK(len == size && (size == 0 || memcmp(out, data, size) == 0));
    free(out);
}

static void edit_and_check(cfg_doc *doc, const char *value, uint8_t choice)
{
    cfg_node *root = cfg_root(doc);
    bool root_set = set_and_check(root, "fuzzKey", value);
    cfg_node *chain[MAX_PATH] = {root};
    size_t depth = 1;
    for (cfg_node *next; depth <= (choice & 7u) && (next = first_class(chain[depth - 1]));)
        chain[depth++] = next;
    cfg_node *cls = chain[depth - 1];
    bool class_set = cls != root && set_and_check(cls, "fuzzKey", value);

    /* replace (and maybe remove) an existing entry, unless that would hit a class */
    const char *entry = first_entry_name(root);
    if (entry && strcasecmp(entry, "fuzzKey") != 0 &&
        cfg_node_kind(cfg_find(root, entry)) != CFG_CLASS) {
        char *name = strdup(entry);
        CHECK(name);
        CHECK(set_and_check(root, name, "replaced"));
        if (choice & 8)
            CHECK(cfg_remove(root, name));
        free(name);
    }
    if (choice & 16)
        CHECK(cfg_set_raw(cls, "fuzzRaw", "-1.5e3") == 0 || cfg_find(cls, "fuzzRaw"));
    if (choice & 32) {
        cfg_node *added = cfg_add_class(cls, "FuzzClass");
        if (added)
            CHECK(cfg_set_string(added, "inner", value) == 0);
    }
    if ((choice & 192) == 192 && cls != root) {
        cfg_clear(cls);
        CHECK(cfg_child_count(cls) == 0);
        class_set = false;
    }

    cfg_doc *again = reparse(doc);
    cfg_node *root2 = cfg_root(again);
    if (root_set)
        CHECK(strcmp(cfg_value(cfg_find(root2, "fuzzKey")), value) == 0);
    if (class_set)
        CHECK(strcmp(cfg_value(cfg_find(same_place(root2, chain, depth), "fuzzKey")), value) == 0);
    cfg_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160];
    cfg_doc *doc = cfg_parse((const char *)data, size, err, sizeof err);
    if (!doc) {
        CHECK(strncmp(err, "line ", 5) == 0 && strstr(err, ", column ") && strstr(err, ": "));
        return 0;
    }
    check_unchanged_output(doc, data, size);
    char *value = value_from(data, size);
    edit_and_check(doc, value, size ? data[0] : 0);
    free(value);
    cfg_free(doc);
    return 0;
}
