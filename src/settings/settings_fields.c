#include "settings/settings_fields.h"

#include "core/json_lenient.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The members of an allowedVoteCmds entry, in the order of Arma's array. */
enum { VOTE_NAME, VOTE_PRE, VOTE_POST, VOTE_THRESHOLD, VOTE_SIDE_THRESHOLD, VOTE_PARTS };
static const char *const VOTE_KEYS[VOTE_PARTS] = {
    "name", "allowedPreMission", "allowedPostMission", "votingThreshold", "percentageSideVotingThreshold",
};
/* What ASWG's model assumes for the parts an entry leaves out. */
static const char *const VOTE_DEFAULTS[VOTE_PARTS] = {NULL, "true", "true", "0.5", "0.5"};

#define DECIMAL_MAX 32      /* longest decimal text accepted (a double needs at most 24) */
#define PAIRS_MAX 8         /* most choices a CF_PAIRS field has */
#define FIELD_NAME_MAX 128  /* "allowedVoteCmds[12].percentageSideVotingThreshold" */

__attribute__((format(printf, 3, 4))) static bool bad(char *msg, size_t msg_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_size, fmt, ap);
    va_end(ap);
    return false;
}

bool settings_plain_text(const char *s, const char *field, char *msg, size_t msg_size)
{
    if (strlen(s) > SETTINGS_TEXT_MAX)
        return bad(msg, msg_size, "Field '%s' must be at most %d characters", field, SETTINGS_TEXT_MAX);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return bad(msg, msg_size, "Field '%s' must not contain control characters", field);
    return true;
}

/* ---- values as the file holds them ---- */

static bool parse_int(const char *s, int64_t *out)
{
    if (!*s || isspace((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = n;
    return true;
}

/* Arma takes 1/0 and true/false alike for a switch. */
static bool parse_flag(const char *s, bool *out)
{
    int64_t n;
    if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0) {
        *out = tolower((unsigned char)s[0]) == 't';
        return true;
    }
    if (!parse_int(s, &n))
        return false;
    *out = n != 0;
    return true;
}

static size_t digits(const char *s)
{
    return strspn(s, "0123456789");
}

/* A number Arma reads from a config file: [-]digits[.digits] or [-].digits, with an optional
 * exponent. No '+', blanks, hex, inf or nan, which it would misread or refuse. */
static bool is_decimal(const char *s)
{
    const char *p = s + (*s == '-');
    size_t whole = digits(p), frac = 0;
    p += whole;
    if (*p == '.') {
        frac = digits(++p);
        if (frac == 0)
            return false;
        p += frac;
    }
    if (whole + frac == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '+' || p[1] == '-');
        size_t exp = digits(p);
        if (exp == 0)
            return false;
        p += exp;
    }
    return *p == '\0' && strlen(s) <= DECIMAL_MAX && isfinite(strtod(s, NULL));
}

/* The shortest text that reads back as d (0.1 stays "0.1", not 0.10000000000000001). */
static void format_decimal(double d, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", d);
    if (strtod(buf, NULL) != d)
        snprintf(buf, size, "%.17g", d);
}

/* The member f describes, or NULL. */
static const cfg_node *member(const cfg_node *root, const cfg_field *f)
{
    return cfg_find_path(root, f->key);
}

/* The text of a plain value member, else the default. */
static const char *member_text(const cfg_node *root, const cfg_field *f)
{
    const cfg_node *n = member(root, f);
    return n && cfg_node_kind(n) == CFG_VALUE ? cfg_value(n) : f->def;
}

static size_t choice_count(const char *const *choices)
{
    size_t n = 0;
    while (choices[n])
        n++;
    return n;
}

static int choice_index(const char *const *choices, const char *s)
{
    for (size_t i = 0; choices[i]; i++)
        if (strcasecmp(choices[i], s) == 0)
            return (int)i;
    return -1;
}

/* ---- reading ---- */

/* Text from the file as a JSON string (Latin-1 files decoded as such, see json_lenient.h). */
static json_t *file_string(const char *s)
{
    return json_lenient_text(s, strlen(s));
}

static json_t *read_strings(const cfg_node *root, const cfg_field *f)
{
    json_t *list = json_array();
    const cfg_node *array = member(root, f);
    if (array && cfg_node_kind(array) == CFG_ARRAY) {
        for (size_t i = 0; i < cfg_array_count(array); i++) {
            const cfg_node *item = cfg_array_item(array, i);
            if (cfg_node_kind(item) == CFG_VALUE && json_array_append_new(list, file_string(cfg_value(item))) != 0)
                goto oom;
        }
        return list;
    }
    for (const char *p = f->def; *p;) {
        size_t len = strcspn(p, ",");
        if (json_array_append_new(list, json_stringn(p, len)) != 0)
            goto oom;
        p += len + (p[len] == ',');
    }
    return list;
oom:
    json_decref(list);
    return NULL;
}

/* The values of a CF_PAIRS field: the default, then what the file sets per id. */
static void pairs_current(const cfg_node *root, const cfg_field *f, int64_t values[PAIRS_MAX])
{
    size_t n = choice_count(f->choices);
    int64_t def = 0;
    parse_int(f->def, &def);
    for (size_t i = 0; i < n; i++)
        values[i] = def;
    const cfg_node *array = member(root, f);
    for (size_t i = 0; i < cfg_array_count(array); i++) {
        const cfg_node *pair = cfg_array_item(array, i);
        const char *id_text = cfg_value(cfg_array_item(pair, 0));
        const char *value_text = cfg_value(cfg_array_item(pair, 1));
        int64_t id, value;
        if (id_text && value_text && parse_int(id_text, &id) && parse_int(value_text, &value) &&
            id >= 0 && (uint64_t)id < n)
            values[id] = value;
    }
}

static json_t *read_pairs(const cfg_node *root, const cfg_field *f)
{
    int64_t values[PAIRS_MAX];
    pairs_current(root, f, values);
    json_t *obj = json_object();
    for (size_t i = 0; f->choices[i]; i++)
        if (json_object_set_new(obj, f->choices[i], json_integer(values[i])) != 0) {
            json_decref(obj);
            return NULL;
        }
    return obj;
}

/* One entry of allowedVoteCmds; *skip when it is not an array starting with a name. */
static json_t *read_vote_cmd(const cfg_node *entry, bool *skip)
{
    const char *parts[VOTE_PARTS];
    memcpy(parts, VOTE_DEFAULTS, sizeof parts);
    for (size_t i = 0; i < VOTE_PARTS && i < cfg_array_count(entry); i++) {
        const char *text = cfg_value(cfg_array_item(entry, i));
        if (text)
            parts[i] = text;
    }
    *skip = cfg_node_kind(entry) != CFG_ARRAY || !parts[VOTE_NAME];
    if (*skip)
        return NULL;
    bool pre = true, post = true;
    parse_flag(parts[VOTE_PRE], &pre);
    parse_flag(parts[VOTE_POST], &post);
    double thresholds[2];
    for (int i = 0; i < 2; i++) {
        const char *t = parts[VOTE_THRESHOLD + i];
        thresholds[i] = strtod(is_decimal(t) ? t : VOTE_DEFAULTS[VOTE_THRESHOLD + i], NULL);
    }
    return json_pack("{s:o, s:b, s:b, s:f, s:f}", VOTE_KEYS[VOTE_NAME], file_string(parts[VOTE_NAME]),
                     VOTE_KEYS[VOTE_PRE], pre, VOTE_KEYS[VOTE_POST], post, VOTE_KEYS[VOTE_THRESHOLD],
                     thresholds[0], VOTE_KEYS[VOTE_SIDE_THRESHOLD], thresholds[1]);
}

static json_t *read_vote_cmds(const cfg_node *root, const cfg_field *f)
{
    json_t *list = json_array();
    const cfg_node *array = member(root, f);
    for (size_t i = 0; i < cfg_array_count(array); i++) {
        bool skip;
        json_t *cmd = read_vote_cmd(cfg_array_item(array, i), &skip);
        if (!skip && json_array_append_new(list, cmd) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* The switch the file holds, else the field's default (the tables only have valid ones). */
static bool read_flag(const char *text, const char *def)
{
    bool b = false;
    if (!parse_flag(text, &b))
        (void)parse_flag(def, &b);
    return b;
}

static json_t *read_value(const cfg_node *root, const cfg_field *f)
{
    const char *text = member_text(root, f);
    int64_t n;
    switch (f->type) {
    case CF_STRING:
        return file_string(text);
    case CF_INT:
        return json_integer(parse_int(text, &n) ? n : strtoll(f->def, NULL, 10));
    case CF_FLAG:
    case CF_BOOL:
        return json_boolean(read_flag(text, f->def));
    case CF_DECIMAL:
        return json_string(is_decimal(text) ? text : f->def);
    case CF_STRINGS:
    case CF_ADDRESSES:
        return read_strings(root, f);
    case CF_CODE:
        if (!parse_int(text, &n) || n < 0 || (uint64_t)n >= choice_count(f->choices))
            n = strtoll(f->def, NULL, 10);
        return json_string(f->choices[n]);
    case CF_WORD: {
        /* "" and words Arma does not know mean no forced choice, the API's null */
        int i = choice_index(f->choices, text);
        return i < 0 ? json_null() : json_string(f->choices[i]);
    }
    case CF_PAIRS:
        return read_pairs(root, f);
    case CF_VOTE_CMDS:
        return read_vote_cmds(root, f);
    }
    return NULL;
}

int settings_fields_read(const cfg_field *fields, const cfg_node *root, json_t *out)
{
    for (const cfg_field *f = fields; f->json; f++)
        if (json_object_set_new(out, f->json, read_value(root, f)) != 0)
            return -1;
    return 0;
}

/* ---- checking ---- */

/* A decimal sent as a string ("0.5") or as a JSON number, as the text to write. */
static bool decimal_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_number(v))
        format_decimal(json_number_value(v), buf, size);
    else if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else
        return false;
    return is_decimal(buf) && (!json_is_string(v) || strlen(json_string_value(v)) < size);
}

static bool check_int(const json_t *v, const char *name, int64_t min, int64_t max, char *msg, size_t msg_size)
{
    int64_t n;
    if (!json_lenient_int(v, &n))
        return bad(msg, msg_size, "Field '%s' must be an integer", name);
    if (n < min || n > max)
        return bad(msg, msg_size, "Field '%s' must be between %" PRId64 " and %" PRId64, name, min, max);
    return true;
}

static bool check_bool(const json_t *v, const char *name, char *msg, size_t msg_size)
{
    bool b;
    return json_lenient_bool(v, &b) || bad(msg, msg_size, "Field '%s' must be a boolean", name);
}

/* A decimal >= min, and <= max where max > min (max 0 with min 0: no upper bound). */
static bool check_decimal(const json_t *v, const char *name, int64_t min, int64_t max, char *msg, size_t msg_size)
{
    char text[DECIMAL_MAX + 1];
    if (!decimal_text(v, text, sizeof text))
        return bad(msg, msg_size, "Field '%s' must be a decimal number such as 0.5", name);
    double d = strtod(text, NULL);
    if (max > min && (d < (double)min || d > (double)max))
        return bad(msg, msg_size, "Field '%s' must be between %" PRId64 " and %" PRId64, name, min, max);
    if (d < (double)min)
        return bad(msg, msg_size, "Field '%s' must be at least %" PRId64, name, min);
    return true;
}

static bool check_text(const json_t *v, const char *name, char *msg, size_t msg_size)
{
    if (!json_is_string(v))
        return bad(msg, msg_size, "Field '%s' must be a string", name);
    return settings_plain_text(json_string_value(v), name, msg, msg_size);
}

static bool check_choice(const cfg_field *f, const json_t *v, const char *name, char *msg, size_t msg_size)
{
    bool none_allowed = f->type == CF_WORD;
    if (none_allowed && (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))))
        return true;
    if (json_is_string(v) && choice_index(f->choices, json_string_value(v)) >= 0)
        return true;
    char list[256] = "";
    for (size_t i = 0; f->choices[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", f->choices[i]);
    return bad(msg, msg_size, "Field '%s' must be one of %s%s", name, list, none_allowed ? " or null" : "");
}

static bool check_strings(const json_t *v, const char *name, char *msg, size_t msg_size)
{
    if (!json_is_array(v))
        return bad(msg, msg_size, "Field '%s' must be an array of strings", name);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        char item_name[FIELD_NAME_MAX];
        snprintf(item_name, sizeof item_name, "%s[%zu]", name, i);
        if (!check_text(item, item_name, msg, msg_size))
            return false;
    }
    return true;
}

/* Arma matches headless and local clients by address: a name would never match. */
static bool check_addresses(const json_t *v, const char *name, char *msg, size_t msg_size)
{
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        unsigned char addr[sizeof(struct in6_addr)];
        const char *text = json_string_value(item);
        if (inet_pton(AF_INET, text, addr) != 1 && inet_pton(AF_INET6, text, addr) != 1)
            return bad(msg, msg_size, "Field '%s[%zu]' must be an IP address such as 127.0.0.1", name, i);
    }
    return true;
}

static bool check_pairs(const cfg_field *f, const json_t *v, const char *name, char *msg, size_t msg_size)
{
    if (!json_is_object(v))
        return bad(msg, msg_size, "Field '%s' must be an object", name);
    for (size_t i = 0; f->choices[i]; i++) {
        json_t *value = json_object_get(v, f->choices[i]);
        char part[FIELD_NAME_MAX + 64];
        snprintf(part, sizeof part, "%s.%s", name, f->choices[i]);
        if (value && !json_is_null(value) && !check_int(value, part, f->min, f->max, msg, msg_size))
            return false;
    }
    return true;
}

static bool check_vote_cmd(const json_t *cmd, const char *name, char *msg, size_t msg_size)
{
    if (!json_is_object(cmd))
        return bad(msg, msg_size, "Field '%s' must be an object", name);
    for (int i = 0; i < VOTE_PARTS; i++) {
        char part[FIELD_NAME_MAX + 64];
        snprintf(part, sizeof part, "%s.%s", name, VOTE_KEYS[i]);
        json_t *v = json_object_get(cmd, VOTE_KEYS[i]);
        if (!v || json_is_null(v)) {
            if (i == VOTE_NAME)
                return bad(msg, msg_size, "Field '%s' is required", part);
            continue;
        }
        bool ok = i == VOTE_NAME ? check_text(v, part, msg, msg_size)
                  : i <= VOTE_POST ? check_bool(v, part, msg, msg_size)
                                   : check_decimal(v, part, 0, 0, msg, msg_size);
        if (!ok)
            return false;
        if (i == VOTE_NAME && !*json_string_value(v))
            return bad(msg, msg_size, "Field '%s' must not be empty", part);
    }
    return true;
}

static bool check_vote_cmds(const json_t *v, const char *name, char *msg, size_t msg_size)
{
    if (!json_is_array(v))
        return bad(msg, msg_size, "Field '%s' must be an array", name);
    size_t i;
    json_t *cmd;
    json_array_foreach(v, i, cmd) {
        char item_name[FIELD_NAME_MAX];
        snprintf(item_name, sizeof item_name, "%s[%zu]", name, i);
        if (!check_vote_cmd(cmd, item_name, msg, msg_size))
            return false;
    }
    return true;
}

static bool check_value(const cfg_field *f, const json_t *v, char *msg, size_t msg_size)
{
    switch (f->type) {
    case CF_STRING:
        return check_text(v, f->json, msg, msg_size);
    case CF_INT:
        return check_int(v, f->json, f->min, f->max, msg, msg_size);
    case CF_FLAG:
    case CF_BOOL:
        return check_bool(v, f->json, msg, msg_size);
    case CF_DECIMAL:
        return check_decimal(v, f->json, f->min, f->max, msg, msg_size);
    case CF_STRINGS:
        return check_strings(v, f->json, msg, msg_size);
    case CF_ADDRESSES:
        return check_strings(v, f->json, msg, msg_size) && check_addresses(v, f->json, msg, msg_size);
    case CF_CODE:
    case CF_WORD:
        return check_choice(f, v, f->json, msg, msg_size);
    case CF_PAIRS:
        return check_pairs(f, v, f->json, msg, msg_size);
    case CF_VOTE_CMDS:
        return check_vote_cmds(v, f->json, msg, msg_size);
    }
    return false;
}

/* The member of body a field reads; NULL when absent, or null where null keeps the value. */
static json_t *given(const cfg_field *f, json_t *body)
{
    json_t *v = json_object_get(body, f->json);
    return v && (f->type == CF_WORD || !json_is_null(v)) ? v : NULL;
}

bool settings_fields_check(const cfg_field *fields, json_t *body, char *msg, size_t msg_size)
{
    for (const cfg_field *f = fields; f->json; f++) {
        json_t *v = given(f, body);
        if (v && !check_value(f, v, msg, msg_size))
            return false;
    }
    return true;
}

/* ---- writing ---- */

/* The class that holds f's member (the classes on its path created when missing), and the
 * member's name in it. NULL also when a value holds the name of a class on the path: a class
 * beside it would be a second member of that name, which Arma refuses. */
static cfg_node *owner(cfg_node *root, const cfg_field *f, const char **name)
{
    cfg_node *cls = root;
    const char *part = f->key, *slash;
    while (cls && (slash = strchr(part, '/'))) {
        char step[64];
        snprintf(step, sizeof step, "%.*s", (int)(slash - part), part);
        const cfg_node *taken = cfg_find(cls, step);
        cls = taken && cfg_node_kind(taken) != CFG_CLASS ? NULL : cfg_ensure_class(cls, step);
        part = slash + 1;
    }
    *name = part;
    return cls;
}

/* Sets name[] = {items} with each item written as given; frees the items. */
static int set_raw_items(cfg_node *cls, const char *name, char **items, size_t count)
{
    int rc = 0;
    for (size_t i = 0; i < count; i++)
        if (!items[i])
            rc = -1;
    if (rc == 0)
        rc = cfg_set_raw_array(cls, name, (const char *const *)items, count);
    for (size_t i = 0; i < count; i++)
        free(items[i]);
    free(items);
    return rc;
}

static int write_strings(cfg_node *cls, const char *name, const json_t *v)
{
    size_t n = json_array_size(v);
    const char **items = calloc(n + 1, sizeof *items);
    if (!items)
        return -1;
    for (size_t i = 0; i < n; i++)
        items[i] = json_string_value(json_array_get(v, i));
    int rc = cfg_set_string_array(cls, name, items, n);
    free(items);
    return rc;
}

/* Every id is written, the ones the body leaves out with the file's current value. */
static int write_pairs(cfg_node *root, cfg_node *cls, const char *name, const cfg_field *f, const json_t *v)
{
    int64_t values[PAIRS_MAX];
    pairs_current(root, f, values);
    size_t n = choice_count(f->choices);
    char **items = calloc(n + 1, sizeof *items);
    if (!items)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_lenient_int(json_object_get(v, f->choices[i]), &values[i]);
        if (asprintf(&items[i], "{%zu, %" PRId64 "}", i, values[i]) < 0)
            items[i] = NULL;
    }
    return set_raw_items(cls, name, items, n);
}

/* {"kick", true, true, 0.5, 0.5}: every part written, the ones left out with ASWG's defaults. */
static char *vote_cmd_text(const json_t *cmd)
{
    const char *parts[VOTE_PARTS];
    char thresholds[2][DECIMAL_MAX + 1];
    char *name = cfg_quote(json_string_value(json_object_get(cmd, VOTE_KEYS[VOTE_NAME])));
    parts[VOTE_NAME] = name;
    for (int i = VOTE_PRE; i <= VOTE_POST; i++) {
        bool b = true;
        json_lenient_bool(json_object_get(cmd, VOTE_KEYS[i]), &b);
        parts[i] = b ? "true" : "false";
    }
    for (int i = 0; i < 2; i++) {
        if (!decimal_text(json_object_get(cmd, VOTE_KEYS[VOTE_THRESHOLD + i]), thresholds[i], sizeof thresholds[i]))
            snprintf(thresholds[i], sizeof thresholds[i], "%s", VOTE_DEFAULTS[VOTE_THRESHOLD + i]);
        parts[VOTE_THRESHOLD + i] = thresholds[i];
    }
    char *text = NULL;
    if (name && asprintf(&text, "{%s, %s, %s, %s, %s}", parts[0], parts[1], parts[2], parts[3], parts[4]) < 0)
        text = NULL;
    free(name);
    return text;
}

static int write_vote_cmds(cfg_node *cls, const char *name, const json_t *v)
{
    size_t n = json_array_size(v);
    char **items = calloc(n + 1, sizeof *items);
    if (!items)
        return -1;
    for (size_t i = 0; i < n; i++)
        items[i] = vote_cmd_text(json_array_get(v, i));
    return set_raw_items(cls, name, items, n);
}

static int write_word(cfg_node *cls, const char *name, const cfg_field *f, const json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    int i = *s ? choice_index(f->choices, s) : -1;
    if (i < 0) {
        /* No forced choice: the key goes, so that Arma uses its own default. */
        cfg_remove(cls, name);
        return 0;
    }
    char lower[64];
    snprintf(lower, sizeof lower, "%s", f->choices[i]);
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return cfg_set_string(cls, name, lower);
}

static int write_value(cfg_node *root, const cfg_field *f, const json_t *v)
{
    const char *name;
    cfg_node *cls = owner(root, f, &name);
    if (!cls)
        return -1;
    char text[DECIMAL_MAX + 1];
    int64_t n = 0;
    bool b = false;
    switch (f->type) {
    case CF_STRING:
        return cfg_set_string(cls, name, json_string_value(v));
    case CF_INT:
        json_lenient_int(v, &n);
        snprintf(text, sizeof text, "%" PRId64, n);
        return cfg_set_raw(cls, name, text);
    case CF_FLAG:
        json_lenient_bool(v, &b);
        return cfg_set_raw(cls, name, b ? (f->on ? f->on : "1") : "0");
    case CF_BOOL:
        json_lenient_bool(v, &b);
        return cfg_set_raw(cls, name, b ? "true" : "false");
    case CF_DECIMAL:
        decimal_text(v, text, sizeof text);
        return cfg_set_raw(cls, name, text);
    case CF_STRINGS:
    case CF_ADDRESSES:
        return write_strings(cls, name, v);
    case CF_CODE:
        snprintf(text, sizeof text, "%d", choice_index(f->choices, json_string_value(v)));
        return cfg_set_raw(cls, name, text);
    case CF_WORD:
        return write_word(cls, name, f, v);
    case CF_PAIRS:
        return write_pairs(root, cls, name, f, v);
    case CF_VOTE_CMDS:
        return write_vote_cmds(cls, name, v);
    }
    return -1;
}

int settings_fields_write(const cfg_field *fields, json_t *body, cfg_node *root)
{
    for (const cfg_field *f = fields; f->json; f++) {
        json_t *v = given(f, body);
        if (v && write_value(root, f, v) != 0)
            return -1;
    }
    return 0;
}

/* Both sides as settings_fields_read gives them, so that 1, "1" and true compare equal where the
 * file holds them alike: what the file holds now (defaults for what it lacks), and what it would
 * hold with body written into a copy of it. */
static int current_and_wanted(const cfg_field *fields, json_t *body, cfg_doc *doc, json_t *current,
                              json_t *wanted)
{
    size_t len;
    char *text = cfg_serialize(doc, &len), err[128];
    cfg_doc *copy = text ? cfg_parse(text, len, err, sizeof err) : NULL;
    free(text);
    int rc = copy && settings_fields_read(fields, cfg_root(doc), current) == 0 &&
                     settings_fields_write(fields, body, cfg_root(copy)) == 0 &&
                     settings_fields_read(fields, cfg_root(copy), wanted) == 0
                 ? 0
                 : -1;
    cfg_free(copy);
    return rc;
}

int settings_fields_write_complete(const cfg_field *fields, json_t *body, cfg_doc *doc)
{
    json_t *current = json_object(), *wanted = json_object(), *changes = json_object();
    int rc = current && wanted && changes ? current_and_wanted(fields, body, doc, current, wanted) : -1;
    for (const cfg_field *f = fields; rc == 0 && f->json; f++) {
        json_t *want = json_object_get(wanted, f->json);
        if (!member(cfg_root(doc), f) || !json_equal(json_object_get(current, f->json), want))
            rc = json_object_set(changes, f->json, want);
    }
    if (rc == 0)
        rc = settings_fields_write(fields, changes, cfg_root(doc));
    json_decref(current);
    json_decref(wanted);
    json_decref(changes);
    return rc;
}
