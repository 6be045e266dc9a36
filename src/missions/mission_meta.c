#include "missions/mission_meta.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cfg.h"
#include "missions/pbo.h"

#define MAX_TEXT_BYTES ((size_t)16 * 1024 * 1024)
#define RAP_MAX_ARRAY_DEPTH 32

/* ---- world name ---- */

char *mission_world_from_name(const char *name)
{
    if (!name)
        return NULL;
    size_t len = strlen(name);
    if (len >= 4 && strcasecmp(name + len - 4, ".pbo") == 0)
        len -= 4;
    const char *dot = memrchr(name, '.', len);
    if (!dot || dot + 1 == name + len)   /* no dot, or nothing after it */
        return NULL;
    return strndup(dot + 1, (size_t)(name + len - dot - 1));
}

/* ---- text from mission files: always valid UTF-8, so it can go into JSON ---- */

/* Length of the valid UTF-8 sequence at s (of at most n bytes), or 0 when it is invalid. */
static size_t utf8_sequence_length(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    if (s[0] < 0xc2 || s[0] > 0xf4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* Overlong three- and four-byte forms, UTF-16 surrogates and code points above U+10FFFF. */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* Copies text into out (when not NULL) with every invalid UTF-8 byte replaced by U+FFFD;
 * returns the length of the result. */
static size_t utf8_repair(const char *text, char *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), o = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_sequence_length(s + i, n - i);
        const char *piece = len ? (const char *)s + i : "\xef\xbf\xbd";
        size_t piece_len = len ? len : 3;
        if (out)
            memcpy(out + o, piece, piece_len);
        o += piece_len;
        i += len ? len : 1;
    }
    return o;
}

static char *clean_text(const char *text)
{
    size_t len = utf8_repair(text, NULL);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    utf8_repair(text, out);
    out[len] = '\0';
    return out;
}

/* An empty value names nothing: treated as missing. */
static char *clean_text_or_null(const char *text)
{
    return text && text[0] ? clean_text(text) : NULL;
}

static json_t *json_text(const char *text)
{
    char *clean = clean_text(text);
    if (!clean)
        return NULL;
    json_t *value = json_string(clean);
    free(clean);
    return value;
}

/* ---- numbers in config values ---- */

/* The number text stands for (integer when integral), or NULL when it is not a plain number,
 * e.g. a macro name such as DAYTIME_DEFAULT. */
static json_t *json_number_from(const char *text)
{
    if (!text || !text[0])
        return NULL;
    char *end;
    double d = strtod(text, &end);
    if (*end || !isfinite(d))
        return NULL;
    /* Integers beyond 2^53 are not exact in a double anyway; keep those as reals. */
    if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(json_int_t)d)
        return json_integer((json_int_t)d);
    return json_real(d);
}

/* ---- reading description.ext / text mission.sqm through core/cfg ---- */

static const char *member_value(const cfg_node *cls, const char *name)
{
    const cfg_node *node = cls ? cfg_find(cls, name) : NULL;
    return node && cfg_node_kind(node) == CFG_VALUE ? cfg_value(node) : NULL;
}

static const cfg_node *member_array(const cfg_node *cls, const char *name)
{
    const cfg_node *node = cfg_find(cls, name);
    return node && cfg_node_kind(node) == CFG_ARRAY ? node : NULL;
}

/* Items that are not numbers (macros) are left out so that the list only holds numbers. */
static json_t *param_values(const cfg_node *param)
{
    json_t *values = json_array();
    const cfg_node *array = member_array(param, "values");
    for (size_t i = 0; values && array && i < cfg_array_count(array); i++) {
        const cfg_node *item = cfg_array_item(array, i);
        if (cfg_node_kind(item) != CFG_VALUE || cfg_is_string(item))
            continue;
        json_t *number = json_number_from(cfg_value(item));
        if (number && json_array_append_new(values, number) != 0) {
            json_decref(values);
            values = NULL;
        }
    }
    return values;
}

static json_t *param_texts(const cfg_node *param)
{
    json_t *texts = json_array();
    const cfg_node *array = member_array(param, "texts");
    for (size_t i = 0; texts && array && i < cfg_array_count(array); i++) {
        const cfg_node *item = cfg_array_item(array, i);
        if (cfg_node_kind(item) != CFG_VALUE)
            continue;
        if (json_array_append_new(texts, json_text(cfg_value(item))) != 0) {
            json_decref(texts);
            texts = NULL;
        }
    }
    return texts;
}

/* json_object_set_new() takes over the value even when it fails (also a NULL value or object), so
 * every member is set unconditionally and the failures are collected. */
static json_t *param_object(const cfg_node *param)
{
    const char *title = member_value(param, "title");
    json_t *default_value = json_number_from(member_value(param, "default"));
    json_t *object = json_object();
    int rc = object ? 0 : -1;
    rc |= json_object_set_new(object, "name", json_text(cfg_node_name(param)));
    rc |= json_object_set_new(object, "title", title ? json_text(title) : json_null());
    rc |= json_object_set_new(object, "values", param_values(param));
    rc |= json_object_set_new(object, "texts", param_texts(param));
    rc |= json_object_set_new(object, "default", default_value ? default_value : json_null());
    if (rc != 0) {
        json_decref(object);
        return NULL;
    }
    return object;
}

/* class Params { class Name { title, values[], texts[], default }; ... } in file order. NULL only
 * when out of memory. */
static json_t *params_array(const cfg_node *root)
{
    json_t *params = json_array();
    const cfg_node *cls = root ? cfg_find(root, "Params") : NULL;
    if (!params || !cls || cfg_node_kind(cls) != CFG_CLASS)
        return params;
    for (size_t i = 0; i < cfg_child_count(cls); i++) {
        const cfg_node *param = cfg_child(cls, i);
        if (cfg_node_kind(param) != CFG_CLASS)
            continue;
        if (json_array_append_new(params, param_object(param)) != 0) {
            json_decref(params);
            return NULL;
        }
    }
    return params;
}

static cfg_doc *parse_text(const char *text, size_t len)
{
    char err[128];
    return text ? cfg_parse(text, len, err, sizeof err) : NULL;
}

/* class Mission { class Intel { briefingName } }, or the top level in old missions. */
static char *text_briefing_name(const char *text, size_t len)
{
    cfg_doc *doc = parse_text(text, len);
    if (!doc)
        return NULL;
    cfg_node *root = cfg_root(doc);
    char *name = clean_text_or_null(member_value(cfg_find_path(root, "Mission/Intel"),
                                                 "briefingName"));
    if (!name)
        name = clean_text_or_null(member_value(root, "briefingName"));
    cfg_free(doc);
    return name;
}

/* ---- binarized (raP) mission.sqm ---- */

typedef struct {
    const unsigned char *data;
    size_t len, pos;
} rap_cursor;

static bool rap_byte(rap_cursor *c, unsigned char *out)
{
    if (c->pos >= c->len)
        return false;
    *out = c->data[c->pos++];
    return true;
}

static bool rap_u32(rap_cursor *c, uint32_t *out)
{
    if (c->pos > c->len || c->len - c->pos < 4)
        return false;
    const unsigned char *p = c->data + c->pos;
    *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    c->pos += 4;
    return true;
}

static bool rap_skip(rap_cursor *c, size_t n)
{
    if (c->pos > c->len || c->len - c->pos < n)
        return false;
    c->pos += n;
    return true;
}

/* 7 bits per byte, least significant first, high bit set on all but the last (at most 5). */
static bool rap_compressed_int(rap_cursor *c, uint32_t *out)
{
    uint32_t value = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        unsigned char b;
        if (!rap_byte(c, &b))
            return false;
        value |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = value;
            return true;
        }
    }
    return false;
}

/* A NUL-terminated string inside the data; *out points into it. */
static bool rap_string(rap_cursor *c, const char **out)
{
    if (c->pos >= c->len)
        return false;
    const unsigned char *start = c->data + c->pos;
    const unsigned char *nul = memchr(start, '\0', c->len - c->pos);
    if (!nul)
        return false;
    *out = (const char *)start;
    c->pos += (size_t)(nul - start) + 1;
    return true;
}

/* The payload of a scalar: 0 string, 1 float, 2 int32, 4 variable name, 6 int64. */
static bool rap_skip_scalar(rap_cursor *c, unsigned char type)
{
    const char *ignored;
    switch (type) {
    case 0:
    case 4:
        return rap_string(c, &ignored);
    case 1:
    case 2:
        return rap_skip(c, 4);
    case 6:
        return rap_skip(c, 8);
    default:
        return false;
    }
}

/* Array elements are scalars or (type 3) nested arrays. */
static bool rap_skip_array(rap_cursor *c, int depth)
{
    uint32_t count;
    if (depth > RAP_MAX_ARRAY_DEPTH || !rap_compressed_int(c, &count))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        unsigned char type;
        if (!rap_byte(c, &type))
            return false;
        bool ok = type == 3 ? rap_skip_array(c, depth + 1) : rap_skip_scalar(c, type);
        if (!ok)
            return false;
    }
    return true;
}

typedef struct {
    unsigned char type;       /* 0 class, 1 value, 2 array, 3 extern, 4 delete, 5 array += */
    unsigned char subtype;    /* of a value */
    const char *name;
    size_t payload;           /* offset of a class's body offset or a value's data */
} rap_entry;

/* Reads one class member and moves the cursor past it. */
static bool rap_next_entry(rap_cursor *c, rap_entry *e)
{
    *e = (rap_entry){0};
    if (!rap_byte(c, &e->type))
        return false;
    if (e->type == 1 && !rap_byte(c, &e->subtype))
        return false;
    if (e->type == 5 && !rap_skip(c, 4))   /* flags before the name */
        return false;
    if (!rap_string(c, &e->name))
        return false;
    e->payload = c->pos;
    switch (e->type) {
    case 0:
        return rap_skip(c, 4);
    case 1:
        return rap_skip_scalar(c, e->subtype);
    case 2:
    case 5:
        return rap_skip_array(c, 0);
    case 3:
    case 4:
        return true;
    default:
        return false;
    }
}

/* The member of the class whose body starts at body_offset named name with entry type type. */
static bool rap_find(const rap_cursor *file, uint32_t body_offset, const char *name,
                     unsigned char type, rap_entry *out)
{
    rap_cursor c = {file->data, file->len, body_offset};
    const char *inherited;
    uint32_t count;
    if (!rap_string(&c, &inherited) || !rap_compressed_int(&c, &count))
        return false;
    for (uint32_t i = 0; i < count; i++) {
        if (!rap_next_entry(&c, out))
            return false;
        if (out->type == type && strcasecmp(out->name, name) == 0)
            return true;
    }
    return false;
}

static bool rap_find_class(const rap_cursor *file, uint32_t body_offset, const char *name,
                           uint32_t *class_body)
{
    rap_entry e;
    if (!rap_find(file, body_offset, name, 0, &e))
        return false;
    rap_cursor at = {file->data, file->len, e.payload};
    return rap_u32(&at, class_body);
}

static char *rap_string_value(const rap_cursor *file, uint32_t body_offset, const char *name)
{
    rap_entry e;
    if (!rap_find(file, body_offset, name, 1, &e) || e.subtype != 0)
        return NULL;
    rap_cursor at = {file->data, file->len, e.payload};
    const char *value;
    return rap_string(&at, &value) ? clean_text_or_null(value) : NULL;
}

/* Header: "\0raP", u32 0, u32 8, u32 offset of the enum table; the root class body follows. */
static char *rap_briefing_name(const char *data, size_t len)
{
    rap_cursor file = {(const unsigned char *)data, len, 0};
    uint32_t eight;
    if (!rap_skip(&file, 8) || !rap_u32(&file, &eight) || eight != 8 || !rap_skip(&file, 4))
        return NULL;
    uint32_t root = (uint32_t)file.pos;
    uint32_t mission, intel;
    char *name = NULL;
    if (rap_find_class(&file, root, "Mission", &mission) &&
        rap_find_class(&file, mission, "Intel", &intel))
        name = rap_string_value(&file, intel, "briefingName");
    return name ? name : rap_string_value(&file, root, "briefingName");
}

static bool is_rap(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "\0raP", 4) == 0;
}

/* ---- putting it together ---- */

/* Sets briefing_name, on_load_name and parameters (overwritten, not freed: pass a zeroed
 * struct); world_name is left alone. */
void mission_meta_from_texts(const char *mission_sqm, size_t sqm_len, const char *description_ext,
                             size_t ext_len, mission_meta *meta)
{
    meta->briefing_name = NULL;
    if (mission_sqm)
        meta->briefing_name = is_rap(mission_sqm, sqm_len)
                                  ? rap_briefing_name(mission_sqm, sqm_len)
                                  : text_briefing_name(mission_sqm, sqm_len);
    cfg_doc *ext = parse_text(description_ext, ext_len);
    const cfg_node *root = ext ? cfg_root(ext) : NULL;
    meta->on_load_name = clean_text_or_null(member_value(root, "onLoadName"));
    if (!meta->briefing_name)
        meta->briefing_name = clean_text_or_null(member_value(root, "briefingName"));
    meta->parameters = params_array(root);
    cfg_free(ext);
}

/* The entry's text when it is at the PBO root, uncompressed and not too large. */
static char *read_text(int fd, const pbo *p, const char *name, size_t *len)
{
    *len = 0;
    return pbo_read_entry(fd, pbo_find(p, name), MAX_TEXT_BYTES, len);
}

int mission_meta_read(const char *path, const char *file_name, mission_meta *meta)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    pbo p;
    if (fstat(fd, &st) != 0 || pbo_read_header(fd, (uint64_t)st.st_size, &p) != PBO_OK) {
        close(fd);
        return -1;
    }
    size_t sqm_len, ext_len;
    char *sqm = read_text(fd, &p, "mission.sqm", &sqm_len);
    char *ext = read_text(fd, &p, "description.ext", &ext_len);
    close(fd);
    pbo_free(&p);
    mission_meta_from_texts(sqm, sqm_len, ext, ext_len, meta);
    meta->world_name = mission_world_from_name(file_name);
    free(sqm);
    free(ext);
    return 0;
}

void mission_meta_free(mission_meta *meta)
{
    if (!meta)
        return;
    free(meta->world_name);
    free(meta->briefing_name);
    free(meta->on_load_name);
    json_decref(meta->parameters);
    *meta = (mission_meta){0};
}
