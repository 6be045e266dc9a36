#include "core/properties.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable byte buffer, always NUL-terminated once allocated ---- */

typedef struct {
    char *data;
    size_t len, cap;
} strbuf;

static int sb_reserve(strbuf *b, size_t extra)
{
    if (b->cap - b->len > extra)
        return 0;
    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    size_t need = b->len + extra + 1;
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(b->data, cap);
    if (!data)
        return -1;
    b->data = data;
    b->cap = cap;
    return 0;
}

static int sb_append(strbuf *b, const char *s, size_t n)
{
    if (sb_reserve(b, n) != 0)
        return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static int sb_putc(strbuf *b, char c)
{
    return sb_append(b, &c, 1);
}

static void sb_clear(strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* A malloc'd NUL-terminated copy of the buffer ("" when nothing was ever appended). */
static char *sb_dup(const strbuf *b)
{
    char *copy = malloc(b->len + 1);
    if (!copy)
        return NULL;
    if (b->len)
        memcpy(copy, b->data, b->len);
    copy[b->len] = '\0';
    return copy;
}

/* ---- reading logical characters ---- */

/* Position inside one logical line; len is where the text ends (the end of file when parsing). */
typedef struct {
    const char *s;
    size_t len;
    size_t pos;
} cursor;

static bool is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

static bool is_eol(char c)
{
    return c == '\r' || c == '\n';
}

/* Consumes one line terminator (\r\n, \r or \n) if there is one; returns its length. */
static size_t skip_eol(cursor *c)
{
    size_t start = c->pos;
    if (c->pos < c->len && c->s[c->pos] == '\r')
        c->pos++;
    if (c->pos < c->len && c->s[c->pos] == '\n')
        c->pos++;
    return c->pos - start;
}

/* A backslash right before a terminator joins the next physical line, minus its leading blanks.
 * Only called at character boundaries, so a backslash here never is the second half of "\\". */
static void skip_continuations(cursor *c)
{
    while (c->pos + 1 < c->len && c->s[c->pos] == '\\' && is_eol(c->s[c->pos + 1])) {
        c->pos++;
        skip_eol(c);
        while (c->pos < c->len && is_blank(c->s[c->pos]))
            c->pos++;
    }
}

/* The next byte of the logical line, or -1 at its end. A backslash that ends the file is dropped,
 * so when this returns '\\' an escaped byte (not a terminator) follows it. */
static int peek(cursor *c)
{
    skip_continuations(c);
    if (c->pos >= c->len || is_eol(c->s[c->pos]))
        return -1;
    if (c->s[c->pos] == '\\' && c->pos + 1 == c->len)
        return -1;
    return (unsigned char)c->s[c->pos];
}

static void skip_blanks(cursor *c)
{
    while (is_blank(peek(c)))
        c->pos++;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads up to four hex digits; false (digits read so far consumed) when there are fewer. */
static bool read_hex4(cursor *c, uint32_t *unit)
{
    *unit = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_value(peek(c));
        if (digit < 0)
            return false;
        *unit = *unit << 4 | (uint32_t)digit;
        c->pos++;
    }
    return true;
}

#define REPLACEMENT_CHAR 0xFFFDu

static bool is_high_surrogate(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static bool is_low_surrogate(uint32_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

/* Reads a complete "\uXXXX" (used to find the second half of a surrogate pair). */
static bool read_unicode_escape(cursor *c, uint32_t *unit)
{
    if (peek(c) != '\\' || c->s[c->pos + 1] != 'u')
        return false;
    c->pos += 2;
    return read_hex4(c, unit);
}

/* Decodes the XXXX of "\uXXXX" (the "\u" already consumed). Malformed input yields U+FFFD:
 * loading a file must never fail on content. */
static uint32_t read_unicode(cursor *c)
{
    uint32_t unit, low;
    if (!read_hex4(c, &unit) || is_low_surrogate(unit))
        return REPLACEMENT_CHAR;
    if (!is_high_surrogate(unit))
        return unit;
    cursor next = *c;
    if (!read_unicode_escape(&next, &low) || !is_low_surrogate(low))
        return REPLACEMENT_CHAR;
    *c = next;
    return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
}

static int put_utf8(strbuf *out, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return sb_append(out, b, n);
}

/* Decodes one character (literal byte or escape) into out; peek(c) must not be -1. */
static int read_char(cursor *c, strbuf *out)
{
    char b = c->s[c->pos++];
    if (b != '\\')
        return sb_putc(out, b);
    char escaped = c->s[c->pos++];
    switch (escaped) {
    case 't':
        return sb_putc(out, '\t');
    case 'n':
        return sb_putc(out, '\n');
    case 'r':
        return sb_putc(out, '\r');
    case 'f':
        return sb_putc(out, '\f');
    case 'u':
        return put_utf8(out, read_unicode(c));
    default:
        return sb_putc(out, escaped);
    }
}

/* ---- scanning one logical line ---- */

typedef struct {
    size_t raw_len;    /* bytes of the logical line, continuations and terminator included */
    size_t term_len;   /* length of its final terminator; 0 when it runs to the end of file */
    size_t prefix_len; /* indentation + key + separator: what a rewrite of the value keeps */
    bool is_entry;     /* false for comments and blank lines */
    bool has_sep;      /* false when the key runs to the end of the line ("flag") */
} line_info;

static bool is_key_end(int c)
{
    return c == '=' || c == ':' || is_blank(c);
}

/* Blanks around at most one '=' or ':'. Returns the offset just past the last separator byte,
 * so that a trailing continuation is not part of the kept separator text. */
static size_t scan_separator(cursor *c)
{
    bool seen_equals = false;
    size_t end = c->pos;
    int b;
    while ((b = peek(c)) != -1) {
        if (b == '=' || b == ':') {
            if (seen_equals)
                break;
            seen_equals = true;
        } else if (!is_blank(b)) {
            break;
        }
        end = ++c->pos;
    }
    return end;
}

static int scan_entry(cursor *c, size_t start, line_info *info, strbuf *key, strbuf *value)
{
    size_t key_end = c->pos;
    int b;
    while ((b = peek(c)) != -1 && !is_key_end(b)) {
        if (read_char(c, key) != 0)
            return -1;
        key_end = c->pos;
    }
    info->prefix_len = key_end - start;
    if (b != -1) {
        info->has_sep = true;
        info->prefix_len = scan_separator(c) - start;
    }
    while (peek(c) != -1) {
        if (read_char(c, value) != 0)
            return -1;
    }
    return 0;
}

/* Scans the logical line starting at s[start] (s[0..len) being the rest of the file) and decodes
 * its key and value into the scratch buffers. Always consumes at least one byte. */
static int scan_line(const char *s, size_t len, size_t start, line_info *info, strbuf *key,
                     strbuf *value)
{
    cursor c = { s, len, start };
    *info = (line_info){ 0 };
    sb_clear(key);
    sb_clear(value);
    skip_blanks(&c);
    int first = peek(&c);
    if (first == '#' || first == '!') {
        while (c.pos < len && !is_eol(s[c.pos]))
            c.pos++;
    } else if (first != -1) {
        info->is_entry = true;
        if (scan_entry(&c, start, info, key, value) != 0)
            return -1;
    }
    if (c.pos + 1 == len && s[c.pos] == '\\')
        c.pos++; /* the dropped backslash at the end of file still belongs to the line */
    info->term_len = skip_eol(&c);
    info->raw_len = c.pos - start;
    return 0;
}

/* ---- the document ---- */

typedef struct {
    char *raw; /* the original bytes, written back unchanged */
    size_t raw_len, term_len, prefix_len;
    bool has_sep;
    char *key, *value; /* decoded; NULL for comments and blank lines */
} props_line;

typedef struct {
    size_t first_line, last_line;
} key_entry;

struct props_doc {
    props_line *lines;
    size_t line_count, line_cap;
    key_entry *keys; /* distinct keys in order of first appearance */
    size_t key_count, key_cap;
    size_t *slots; /* open-addressing hash of keys: key index + 1, 0 when empty */
    size_t slot_cap;
};

#define NO_KEY SIZE_MAX

static size_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return (size_t)h;
}

static const char *key_name(const props_doc *doc, size_t k)
{
    return doc->lines[doc->keys[k].first_line].key;
}

static size_t find_key(const props_doc *doc, const char *key)
{
    if (doc->slot_cap == 0)
        return NO_KEY;
    size_t mask = doc->slot_cap - 1;
    for (size_t i = hash_key(key) & mask; doc->slots[i]; i = (i + 1) & mask) {
        size_t k = doc->slots[i] - 1;
        if (strcmp(key_name(doc, k), key) == 0)
            return k;
    }
    return NO_KEY;
}

static void insert_slot(size_t *slots, size_t slot_cap, size_t hash, size_t k)
{
    size_t mask = slot_cap - 1;
    size_t i = hash & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = k + 1;
}

static int grow_slots(props_doc *doc)
{
    size_t cap = doc->slot_cap ? doc->slot_cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 0; k < doc->key_count; k++)
        insert_slot(slots, cap, hash_key(key_name(doc, k)), k);
    free(doc->slots);
    doc->slots = slots;
    doc->slot_cap = cap;
    return 0;
}

/* Makes room for one more key; the hash is kept at most half full. */
static int reserve_key(props_doc *doc)
{
    if (doc->key_count == doc->key_cap) {
        size_t cap = doc->key_cap ? doc->key_cap * 2 : 32;
        key_entry *keys = reallocarray(doc->keys, cap, sizeof *keys);
        if (!keys)
            return -1;
        doc->keys = keys;
        doc->key_cap = cap;
    }
    if ((doc->key_count + 1) * 2 > doc->slot_cap)
        return grow_slots(doc);
    return 0;
}

/* Records line i (already in doc->lines) in the key index. */
static int index_line(props_doc *doc, size_t i)
{
    const char *key = doc->lines[i].key;
    if (!key)
        return 0;
    size_t k = find_key(doc, key);
    if (k != NO_KEY) {
        doc->keys[k].last_line = i;
        return 0;
    }
    if (reserve_key(doc) != 0)
        return -1;
    k = doc->key_count++;
    doc->keys[k] = (key_entry){ i, i };
    insert_slot(doc->slots, doc->slot_cap, hash_key(key), k);
    return 0;
}

/* Rebuilds the index after lines were dropped. Cannot fail: there are no more keys than before,
 * so the arrays are already big enough. */
static void rebuild_index(props_doc *doc)
{
    doc->key_count = 0;
    if (doc->slots)
        memset(doc->slots, 0, doc->slot_cap * sizeof *doc->slots);
    for (size_t i = 0; i < doc->line_count; i++)
        (void)index_line(doc, i);
}

static void free_line(props_line *line)
{
    free(line->raw);
    free(line->key);
    free(line->value);
}

static void truncate_lines(props_doc *doc, size_t count)
{
    while (doc->line_count > count)
        free_line(&doc->lines[--doc->line_count]);
}

static int make_line(props_line *line, const char *raw, const line_info *info, const strbuf *key,
                     const strbuf *value)
{
    *line = (props_line){
        .raw = malloc(info->raw_len),
        .raw_len = info->raw_len,
        .term_len = info->term_len,
        .prefix_len = info->prefix_len,
        .has_sep = info->has_sep,
    };
    if (info->is_entry) {
        line->key = sb_dup(key);
        line->value = sb_dup(value);
    }
    if (!line->raw || (info->is_entry && (!line->key || !line->value))) {
        free_line(line);
        return -1;
    }
    memcpy(line->raw, raw, info->raw_len);
    return 0;
}

static int append_line(props_doc *doc, const char *raw, const line_info *info, const strbuf *key,
                       const strbuf *value)
{
    if (doc->line_count == doc->line_cap) {
        size_t cap = doc->line_cap ? doc->line_cap * 2 : 64;
        props_line *lines = reallocarray(doc->lines, cap, sizeof *lines);
        if (!lines)
            return -1;
        doc->lines = lines;
        doc->line_cap = cap;
    }
    size_t i = doc->line_count;
    if (make_line(&doc->lines[i], raw, info, key, value) != 0)
        return -1;
    doc->line_count++;
    if (index_line(doc, i) != 0) {
        free_line(&doc->lines[--doc->line_count]);
        return -1;
    }
    return 0;
}

/* Parses text and appends its lines to doc. On failure some lines may have been appended. */
static int append_text(props_doc *doc, const char *text, size_t len)
{
    strbuf key = { 0 }, value = { 0 };
    line_info info;
    int rc = 0;
    for (size_t pos = 0; pos < len && rc == 0; pos += info.raw_len) {
        rc = scan_line(text, len, pos, &info, &key, &value);
        if (rc == 0)
            rc = append_line(doc, text + pos, &info, &key, &value);
    }
    free(key.data);
    free(value.data);
    return rc;
}

props_doc *props_new(void)
{
    return calloc(1, sizeof(props_doc));
}

props_doc *props_parse(const char *text, size_t len)
{
    props_doc *doc = props_new();
    if (doc && append_text(doc, text, len) != 0) {
        props_free(doc);
        return NULL;
    }
    return doc;
}

void props_free(props_doc *doc)
{
    if (!doc)
        return;
    truncate_lines(doc, 0);
    free(doc->lines);
    free(doc->keys);
    free(doc->slots);
    free(doc);
}

const char *props_get(const props_doc *doc, const char *key)
{
    size_t k = find_key(doc, key);
    return k == NO_KEY ? NULL : doc->lines[doc->keys[k].last_line].value;
}

size_t props_count(const props_doc *doc)
{
    return doc->key_count;
}

const char *props_key_at(const props_doc *doc, size_t i)
{
    return i < doc->key_count ? key_name(doc, i) : NULL;
}

/* ---- writing ---- */

static int append_escaped(strbuf *out, const char *s, bool is_key)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        int rc;
        switch (c) {
        case '\t':
            rc = sb_append(out, "\\t", 2);
            break;
        case '\n':
            rc = sb_append(out, "\\n", 2);
            break;
        case '\r':
            rc = sb_append(out, "\\r", 2);
            break;
        case '\f':
            rc = sb_append(out, "\\f", 2);
            break;
        case ' ':
            /* a value's inner spaces survive loading; its leading ones would be skipped */
            rc = (is_key || i == 0) ? sb_append(out, "\\ ", 2) : sb_putc(out, ' ');
            break;
        case '\\':
        case '=':
        case ':':
        case '#':
        case '!':
            rc = sb_putc(out, '\\') || sb_putc(out, (char)c);
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF] };
                rc = sb_append(out, u, sizeof u);
            } else {
                rc = sb_putc(out, (char)c);
            }
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

static char *escape(const char *s, bool is_key)
{
    strbuf out = { 0 };
    if (sb_reserve(&out, strlen(s)) != 0 || append_escaped(&out, s, is_key) != 0) {
        free(out.data);
        return NULL;
    }
    out.data[out.len] = '\0';
    return out.data;
}

char *props_escape_key(const char *key)
{
    return escape(key, true);
}

char *props_escape_value(const char *value)
{
    return escape(value, false);
}

/* Replaces line i by the single logical line raw[0..len). */
static int replace_line(props_doc *doc, size_t i, const char *raw, size_t len)
{
    strbuf key = { 0 }, value = { 0 };
    line_info info;
    props_line fresh;
    int rc = scan_line(raw, len, 0, &info, &key, &value);
    if (rc == 0)
        rc = make_line(&fresh, raw, &info, &key, &value);
    if (rc == 0) {
        free_line(&doc->lines[i]);
        doc->lines[i] = fresh;
    }
    free(key.data);
    free(value.data);
    return rc;
}

/* Rewrites line i as its key and separator as spelled in the source, then the new value. */
static int set_existing(props_doc *doc, size_t i, const char *value)
{
    const props_line *line = &doc->lines[i];
    if (strcmp(line->value, value) == 0)
        return 0;
    strbuf raw = { 0 };
    int rc = sb_append(&raw, line->raw, line->prefix_len);
    if (rc == 0 && !line->has_sep)
        rc = sb_putc(&raw, '=');
    if (rc == 0)
        rc = append_escaped(&raw, value, false);
    if (rc == 0 && line->term_len)
        rc = sb_append(&raw, line->raw + line->raw_len - line->term_len, line->term_len);
    else if (rc == 0)
        rc = sb_putc(&raw, '\n');
    if (rc == 0)
        rc = replace_line(doc, i, raw.data, raw.len);
    free(raw.data);
    return rc;
}

/* Appends "\n" to line (the last one of the document) and finds out whether that ended it. */
static int add_newline(props_line *line, strbuf *key, strbuf *value)
{
    char *raw = realloc(line->raw, line->raw_len + 1);
    if (!raw)
        return -1;
    raw[line->raw_len++] = '\n';
    line->raw = raw;
    line_info info;
    if (scan_line(raw, line->raw_len, 0, &info, key, value) != 0)
        return -1;
    line->term_len = info.term_len;
    return 0;
}

/* Ends the last line with a terminator so that appended text starts a new logical line. A line
 * ending in a continuation (or a dangling backslash) needs a second newline: the first one only
 * continues it. */
static int close_last_line(props_doc *doc)
{
    if (doc->line_count == 0)
        return 0;
    props_line *last = &doc->lines[doc->line_count - 1];
    strbuf key = { 0 }, value = { 0 };
    int rc = 0;
    while (rc == 0 && last->term_len == 0)
        rc = add_newline(last, &key, &value);
    free(key.data);
    free(value.data);
    return rc;
}

/* Writes comment as "# " lines. \r\n, \r and \n all end a line, so no part of it can turn into
 * an entry. */
static int append_comment(strbuf *out, const char *comment)
{
    const char *p = comment;
    while (p && *p) {
        size_t n = strcspn(p, "\r\n");
        if (sb_append(out, "# ", 2) != 0 || sb_append(out, p, n) != 0 || sb_putc(out, '\n') != 0)
            return -1;
        p += n;
        if (p[0] == '\r' && p[1] == '\n')
            p += 2;
        else if (*p)
            p++;
    }
    return 0;
}

static int append_entry(props_doc *doc, const char *key, const char *value, const char *comment)
{
    strbuf text = { 0 };
    int rc = append_comment(&text, comment);
    if (rc == 0)
        rc = append_escaped(&text, key, true);
    if (rc == 0)
        rc = sb_putc(&text, '=');
    if (rc == 0)
        rc = append_escaped(&text, value, false);
    if (rc == 0)
        rc = sb_putc(&text, '\n');
    size_t old_count = doc->line_count;
    if (rc == 0)
        rc = close_last_line(doc);
    if (rc == 0 && append_text(doc, text.data, text.len) != 0) {
        truncate_lines(doc, old_count);
        rebuild_index(doc);
        rc = -1;
    }
    free(text.data);
    return rc;
}

int props_set(props_doc *doc, const char *key, const char *value, const char *comment)
{
    size_t k = find_key(doc, key);
    if (k != NO_KEY)
        return set_existing(doc, doc->keys[k].last_line, value);
    return append_entry(doc, key, value, comment);
}

/* The lines of key are moved to the end and freed only once every line was compared: key may be
 * the document's own string (props_key_at() returns those), which is freed with its line. */
bool props_remove(props_doc *doc, const char *key)
{
    if (find_key(doc, key) == NO_KEY)
        return false;
    size_t kept = 0;
    for (size_t i = 0; i < doc->line_count; i++) {
        props_line line = doc->lines[i];
        if (line.key && strcmp(line.key, key) == 0)
            continue;
        doc->lines[i] = doc->lines[kept]; /* a line of key, or line itself */
        doc->lines[kept++] = line;
    }
    truncate_lines(doc, kept);
    rebuild_index(doc);
    return true;
}

char *props_serialize(const props_doc *doc, size_t *len_out)
{
    size_t len = 0;
    for (size_t i = 0; i < doc->line_count; i++)
        len += doc->lines[i].raw_len;
    char *out = malloc(len + 2);
    if (!out)
        return NULL;
    char *p = out;
    for (size_t i = 0; i < doc->line_count; i++) {
        memcpy(p, doc->lines[i].raw, doc->lines[i].raw_len);
        p += doc->lines[i].raw_len;
    }
    if (p > out && !is_eol(p[-1]))
        *p++ = '\n';
    *p = '\0';
    if (len_out)
        *len_out = (size_t)(p - out);
    return out;
}
