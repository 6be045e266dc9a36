#include "core/cfg.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest nesting of classes and arrays accepted: keeps the recursive parser, writer and free
 * within a small thread stack whatever the input. */
#define CFG_MAX_DEPTH 64

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* ---- growable byte buffer; a failed allocation sticks, so callers check once at the end ---- */

typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} strbuf;

static void sb_append(strbuf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (n >= b->cap - b->len) {
        if (n > SIZE_MAX / 2 - b->len) {
            b->failed = true;
            return;
        }
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->len <= n)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) {
            b->failed = true;
            return;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sb_puts(strbuf *b, const char *s)
{
    sb_append(b, s, strlen(s));
}

static void sb_tabs(strbuf *b, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sb_append(b, "\t", 1);
}

static void sb_free(strbuf *b)
{
    free(b->data);
    *b = (strbuf){0};
}

/* The buffer as a malloc'd string ("" when empty), or NULL when an allocation failed. */
static char *sb_to_string(strbuf *b, size_t *len_out)
{
    if (!b->failed && !b->data)
        b->data = calloc(1, 1);
    if (b->failed || !b->data) {
        sb_free(b);
        return NULL;
    }
    if (len_out)
        *len_out = b->len;
    return b->data;
}

/* ---- owned byte ranges (s is NULL when len is 0) ---- */

typedef struct {
    char *s;
    size_t len;
} piece;

static int piece_copy(piece *out, const char *s, size_t n)
{
    *out = (piece){0};
    if (n == 0)
        return 0;
    out->s = malloc(n + 1);
    if (!out->s)
        return -1;
    memcpy(out->s, s, n);
    out->s[n] = '\0';
    out->len = n;
    return 0;
}

static int piece_from_sb(piece *out, strbuf *b)
{
    *out = (piece){0};
    if (b->failed) {
        sb_free(b);
        return -1;
    }
    out->s = b->data;
    out->len = b->len;
    *b = (strbuf){0};
    return 0;
}

/* The bytes, never NULL (offsets from a NULL pointer are undefined even when zero). */
static const char *piece_bytes(const piece *p)
{
    return p->s ? p->s : "";
}

static void piece_swap(piece *a, piece *b)
{
    piece tmp = *a;
    *a = *b;
    *b = tmp;
}

static void piece_free(piece *p)
{
    free(p->s);
    *p = (piece){0};
}

/* ---- nodes ---- */

struct cfg_node {
    cfg_kind kind;
    piece leading;        /* whitespace and comments before the member */
    piece text;           /* the member as written; for a class its header through '{' */
    piece inner_trailing; /* classes: after the last member up to '}' (the root: to the end) */
    piece closer;         /* classes: "}" or "};" */
    char *name;           /* NULL for directives, array items and the root */
    char *value;          /* values and array items */
    bool quoted;
    bool forward;         /* class X; */
    bool unterminated;    /* last entry of its class, written without its ';' */
    size_t level;         /* classes: nesting level, the root is 0 */
    const char *eol;      /* classes: line break for generated text, the document's style */
    cfg_node **items;     /* members of a class, elements of an array */
    size_t count, cap;
};

struct cfg_doc {
    bool bom;
    cfg_node *root;
};

static cfg_node *node_new(cfg_kind kind)
{
    cfg_node *n = calloc(1, sizeof *n);
    if (n)
        n->kind = kind;
    return n;
}

static void node_free(cfg_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->count; i++)
        node_free(n->items[i]);
    free(n->items);
    piece_free(&n->leading);
    piece_free(&n->text);
    piece_free(&n->inner_trailing);
    piece_free(&n->closer);
    free(n->name);
    free(n->value);
    free(n);
}

/* Makes room for one more item without adding it, so that later steps cannot fail on it. */
static int node_reserve(cfg_node *n)
{
    if (n->count < n->cap)
        return 0;
    size_t cap = n->cap ? n->cap * 2 : 8;
    if (cap > SIZE_MAX / sizeof(cfg_node *))
        return -1;
    cfg_node **items = realloc(n->items, cap * sizeof(cfg_node *));
    if (!items)
        return -1;
    n->items = items;
    n->cap = cap;
    return 0;
}

static int node_add_item(cfg_node *n, cfg_node *item)
{
    if (node_reserve(n) != 0)
        return -1;
    n->items[n->count++] = item;
    return 0;
}

/* ---- characters ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_name_char(char c)
{
    unsigned char u = (unsigned char)c;
    return u > ' ' && u != 0x7f && !strchr("=;{}[],:\"/+#", c);
}

static int ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* name equals the n bytes at s, ignoring ASCII case. */
static bool names_equal(const char *name, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!name[i] || ascii_lower((unsigned char)name[i]) != ascii_lower((unsigned char)s[i]))
            return false;
    }
    return name[n] == '\0';
}

/* A name the parser reads back as written (it takes a leading BOM for whitespace). */
static bool valid_name(const char *name)
{
    if (!name || !*name || strncmp(name, utf8_bom, strlen(utf8_bom)) == 0)
        return false;
    for (const char *c = name; *c; c++) {
        if (!is_name_char(*c))
            return false;
    }
    return true;
}

/* Length of the part of trivia that is still on the line of what precedes it: up to its first
 * line break outside a block comment (without the '\r' of a "\r\n"), or all of it. */
static size_t same_line_length(const char *t, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (t[i] == '\n')
            return i > 0 && t[i - 1] == '\r' ? i - 1 : i;
        if (t[i] == '/' && i + 1 < len && t[i + 1] == '/') {
            const char *nl = memchr(t + i, '\n', len - i);
            i = nl ? (size_t)(nl - t) : len;
        } else if (t[i] == '/' && i + 1 < len && t[i + 1] == '*') {
            const char *end = memmem(t + i + 2, len - i - 2, "*/", 2);
            i = end ? (size_t)(end - t) + 2 : len;
        } else {
            i++;
        }
    }
    return len;
}

static size_t without_trailing_space(const char *s, size_t len)
{
    while (len > 0 && is_space(s[len - 1]))
        len--;
    return len;
}

/* ---- parser ---- */

typedef struct {
    const char *s;
    size_t len;
    size_t pos;
    char *err; /* may be NULL: generated text is parsed only to validate it */
    size_t err_size;
    bool failed;
} parser;

__attribute__((format(printf, 3, 4))) static bool fail(parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return false;
    p->failed = true;
    if (!p->err || p->err_size == 0)
        return false;
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at && i < p->len; i++) {
        column++;
        if (p->s[i] == '\n') {
            line++;
            column = 1;
        }
    }
    int n = snprintf(p->err, p->err_size, "line %zu, column %zu: ", line, column);
    if (n >= 0 && (size_t)n < p->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Always false, as fail() is; spelled out because the static analyzer does not look into a
 * variadic function and would take parse_item()'s `ok = oom(p)` for possibly true. */
static bool oom(parser *p)
{
    (void)fail(p, p->pos, "out of memory");
    return false;
}

static bool at_end(const parser *p)
{
    return p->pos >= p->len;
}

/* The current byte; '\0' at the end (the text holds no NUL bytes). */
static char peek(const parser *p)
{
    if (at_end(p))
        return '\0';
    return p->s[p->pos];
}

static bool looking_at(const parser *p, const char *word)
{
    size_t n = strlen(word);
    return p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0;
}

static bool take_text(parser *p, piece *out, size_t from, size_t to)
{
    return piece_copy(out, p->s + from, to - from) == 0 || oom(p);
}

static bool take_string(parser *p, strbuf *b, char **out)
{
    *out = sb_to_string(b, NULL);
    return *out || oom(p);
}

/* Skips whitespace and comments; between members also stray ';' (Arma ignores them). A BOM
 * inside the text (files pasted together) is whitespace too: were it part of a name, that name
 * would lose it on reading back once it moves to the start of the file. */
static bool skip_trivia(parser *p, bool between_members)
{
    while (!at_end(p)) {
        char c = peek(p);
        if (is_space(c) || (between_members && c == ';')) {
            p->pos++;
        } else if (looking_at(p, utf8_bom)) {
            p->pos += strlen(utf8_bom);
        } else if (looking_at(p, "//")) {
            const char *nl = memchr(p->s + p->pos, '\n', p->len - p->pos);
            p->pos = nl ? (size_t)(nl - p->s) : p->len;
        } else if (looking_at(p, "/*")) {
            const char *end = memmem(p->s + p->pos + 2, p->len - p->pos - 2, "*/", 2);
            if (!end)
                return fail(p, p->pos, "unterminated block comment");
            p->pos = (size_t)(end - p->s) + 2;
        } else {
            break;
        }
    }
    return true;
}

static bool unexpected(parser *p)
{
    unsigned char c = (unsigned char)peek(p);
    if (at_end(p))
        return fail(p, p->pos, "unexpected end of file");
    if (c >= ' ' && c < 0x7f)
        return fail(p, p->pos, "unexpected '%c'", c);
    return fail(p, p->pos, "unexpected byte 0x%02x", c);
}

static size_t scan_name(parser *p)
{
    size_t start = p->pos;
    while (!at_end(p) && is_name_char(peek(p)))
        p->pos++;
    return p->pos - start;
}

static bool read_name(parser *p, char **out, const char *what)
{
    size_t start = p->pos;
    if (scan_name(p) == 0)
        return fail(p, start, "expected %s", what);
    *out = strndup(p->s + start, p->pos - start);
    return *out || oom(p);
}

/* A quoted string; "" inside stands for one quote and raw line breaks are part of it. */
static bool parse_string(parser *p, char **out)
{
    size_t open = p->pos++;
    strbuf b = {0};
    for (;;) {
        const char *quote = memchr(p->s + p->pos, '"', p->len - p->pos);
        if (!quote) {
            sb_free(&b);
            return fail(p, open, "unterminated string");
        }
        size_t at = (size_t)(quote - p->s);
        sb_append(&b, p->s + p->pos, at - p->pos);
        p->pos = at + 1;
        if (peek(p) != '"')
            break;
        sb_append(&b, "\"", 1);
        p->pos++;
    }
    return take_string(p, &b, out);
}

static bool at_scalar_end(const parser *p, bool in_array)
{
    if (at_end(p))
        return true;
    char c = peek(p);
    return strchr(";{}=\r\n", c) || (in_array && c == ',') || looking_at(p, "//") ||
           looking_at(p, "/*");
}

/* Unquoted text up to the end of the value, trimmed; the position stays after its last byte. */
static bool parse_scalar(parser *p, char **out, bool in_array)
{
    size_t start = p->pos;
    while (!at_scalar_end(p, in_array))
        p->pos++;
    size_t end = start + without_trailing_space(p->s + start, p->pos - start);
    if (end == start)
        return fail(p, start, "expected a value");
    p->pos = end;
    *out = strndup(p->s + start, end - start);
    return *out || oom(p);
}

static bool parse_value(parser *p, cfg_node *n, bool in_array)
{
    if (peek(p) != '"')
        return parse_scalar(p, &n->value, in_array);
    n->quoted = true;
    return parse_string(p, &n->value);
}

static bool parse_array(parser *p, cfg_node *array, size_t level);

static bool parse_item(parser *p, cfg_node *array, size_t level)
{
    bool nested = peek(p) == '{';
    cfg_node *item = node_new(nested ? CFG_ARRAY : CFG_VALUE);
    if (!item)
        return oom(p);
    bool ok = nested ? parse_array(p, item, level + 1) : parse_value(p, item, true);
    if (ok && node_add_item(array, item) != 0)
        ok = oom(p);
    if (!ok)
        node_free(item);
    return ok;
}

/* {a, "b", {c}} at p->pos; level counts the enclosing classes and arrays. */
static bool parse_array(parser *p, cfg_node *array, size_t level)
{
    size_t open = p->pos++;
    if (level > CFG_MAX_DEPTH)
        return fail(p, open, "nested deeper than %d levels", CFG_MAX_DEPTH);
    for (;;) {
        if (!skip_trivia(p, false))
            return false;
        if (at_end(p))
            return fail(p, open, "array is not closed");
        if (peek(p) == '}') { /* empty, or after a trailing comma */
            p->pos++;
            return true;
        }
        if (!parse_item(p, array, level) || !skip_trivia(p, false))
            return false;
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == '}') {
            p->pos++;
            return true;
        }
        return at_end(p) ? fail(p, open, "array is not closed")
                         : fail(p, p->pos, "expected ',' or '}'");
    }
}

/* Ends a member at its ';'. The last member of a class or file may omit it; then the member's
 * text ends where its value did and the trivia after it stays for what follows. */
static bool finish_member(parser *p, cfg_node *n, size_t start, const char *expected)
{
    size_t end = p->pos;
    if (!skip_trivia(p, false))
        return false;
    if (peek(p) == ';') {
        end = ++p->pos;
    } else if (at_end(p) || peek(p) == '}') {
        p->pos = end;
        n->unterminated = true;
    } else {
        return fail(p, p->pos, "expected %s", expected);
    }
    return take_text(p, &n->text, start, end);
}

/* After "name": "[] = {...}" or "[] += {...}". */
static bool parse_array_rhs(parser *p, cfg_node *n, size_t level)
{
    n->kind = CFG_ARRAY;
    p->pos++; /* '[' */
    if (!skip_trivia(p, false))
        return false;
    if (peek(p) != ']')
        return fail(p, p->pos, "expected ']'");
    p->pos++;
    if (!skip_trivia(p, false))
        return false;
    if (looking_at(p, "+="))
        p->pos += 2;
    else if (peek(p) == '=')
        p->pos++;
    else
        return fail(p, p->pos, "expected '=' or '+='");
    if (!skip_trivia(p, false))
        return false;
    if (peek(p) != '{')
        return fail(p, p->pos, "expected '{'");
    return parse_array(p, n, level + 1);
}

static bool parse_entry_rhs(parser *p, cfg_node *n, size_t level)
{
    if (peek(p) == '[')
        return parse_array_rhs(p, n, level);
    if (peek(p) != '=')
        return fail(p, p->pos, "expected '='");
    p->pos++;
    return skip_trivia(p, false) && parse_value(p, n, false);
}

/* name = value; or name[] = {...}; inside a class at the given level. */
static cfg_node *parse_entry(parser *p, size_t level)
{
    size_t start = p->pos;
    cfg_node *n = node_new(CFG_VALUE);
    if (!n) {
        oom(p);
        return NULL;
    }
    if (read_name(p, &n->name, "a name") && skip_trivia(p, false) &&
        parse_entry_rhs(p, n, level) && finish_member(p, n, start, "';'"))
        return n;
    node_free(n);
    return NULL;
}

static bool parse_members(parser *p, cfg_node *cls);

/* '}' and the ';' after it, which Arma lets a class omit. */
static bool parse_closer(parser *p, cfg_node *c)
{
    size_t open = p->pos++;
    size_t end = p->pos;
    if (!skip_trivia(p, false))
        return false;
    if (peek(p) == ';')
        end = ++p->pos;
    else
        p->pos = end;
    return take_text(p, &c->closer, open, end);
}

/* After "class Name": an optional ": Base", then a body or the ';' of a forward declaration. */
static bool parse_class_rest(parser *p, cfg_node *c, size_t start)
{
    size_t name_end = p->pos;
    if (!skip_trivia(p, false))
        return false;
    if (peek(p) == ':') {
        p->pos++;
        if (!skip_trivia(p, false))
            return false;
        if (scan_name(p) == 0)
            return fail(p, p->pos, "expected a base class name");
        name_end = p->pos;
        if (!skip_trivia(p, false))
            return false;
    }
    if (peek(p) != '{') {
        c->forward = true;
        p->pos = name_end;
        return finish_member(p, c, start, "'{' or ';'");
    }
    if (c->level > CFG_MAX_DEPTH)
        return fail(p, start, "nested deeper than %d levels", CFG_MAX_DEPTH);
    p->pos++;
    if (!take_text(p, &c->text, start, p->pos) || !parse_members(p, c))
        return false;
    if (at_end(p))
        return fail(p, start, "class %s is not closed", c->name);
    return parse_closer(p, c);
}

static cfg_node *parse_class(parser *p, const cfg_node *container)
{
    size_t start = p->pos;
    cfg_node *c = node_new(CFG_CLASS);
    if (!c) {
        oom(p);
        return NULL;
    }
    c->level = container->level + 1;
    c->eol = container->eol;
    p->pos += strlen("class");
    if (skip_trivia(p, false) && read_name(p, &c->name, "a class name") &&
        parse_class_rest(p, c, start))
        return c;
    node_free(c);
    return NULL;
}

/* A line break written right after s[..end) would continue the directive there. */
static bool continues_at(const char *s, size_t end)
{
    return s[end - 1] == '\\' || (s[end - 1] == '\r' && s[end - 2] == '\\');
}

/* A preprocessor line, kept verbatim without its line break; a '\' at the end continues it. */
static cfg_node *parse_directive(parser *p)
{
    size_t start = p->pos;
    for (;;) {
        const char *nl = memchr(p->s + p->pos, '\n', p->len - p->pos);
        size_t stop = nl ? (size_t)(nl - p->s) : p->len;
        size_t end = stop;
        if (p->s[end - 1] == '\r') /* never the '#' */
            end--;
        /* at the end, text appended later would become part of the directive */
        if (!nl && continues_at(p->s, end)) {
            fail(p, start, "line continuation at end of file");
            return NULL;
        }
        if (!nl || p->s[end - 1] != '\\') {
            p->pos = end;
            break;
        }
        p->pos = stop + 1;
    }
    cfg_node *d = node_new(CFG_DIRECTIVE);
    if (d && take_text(p, &d->text, start, p->pos))
        return d;
    if (!d)
        oom(p);
    node_free(d);
    return NULL;
}

static bool looking_at_keyword(const parser *p, const char *word)
{
    size_t n = strlen(word);
    return looking_at(p, word) && (p->len - p->pos == n || !is_name_char(p->s[p->pos + n]));
}

static cfg_node *parse_member(parser *p, const cfg_node *container)
{
    if (peek(p) == '#')
        return parse_directive(p);
    if (looking_at_keyword(p, "class"))
        return parse_class(p, container);
    if (!at_end(p) && is_name_char(peek(p)))
        return parse_entry(p, container->level);
    unexpected(p);
    return NULL;
}

/* Members of cls up to its '}' (left unread) or the end of the text. */
static bool parse_members(parser *p, cfg_node *cls)
{
    for (;;) {
        size_t start = p->pos;
        if (!skip_trivia(p, true))
            return false;
        if (at_end(p) || peek(p) == '}')
            return take_text(p, &cls->inner_trailing, start, p->pos);
        size_t member_start = p->pos;
        cfg_node *m = parse_member(p, cls);
        if (!m)
            return false;
        if (!take_text(p, &m->leading, start, member_start) || node_add_item(cls, m) != 0) {
            node_free(m);
            return oom(p);
        }
    }
}

/* ---- documents ---- */

static cfg_doc *doc_new(const char *eol)
{
    cfg_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    doc->root = node_new(CFG_CLASS);
    if (!doc->root) {
        free(doc);
        return NULL;
    }
    doc->root->eol = eol;
    return doc;
}

cfg_doc *cfg_parse(const char *text, size_t len, char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    parser p = {.s = text ? text : "", .len = text ? len : 0, .err = err, .err_size = err_size};
    const char *nul = memchr(p.s, '\0', p.len);
    if (nul) {
        fail(&p, (size_t)(nul - p.s), "NUL byte");
        return NULL;
    }
    /* generated lines follow the file's line endings */
    cfg_doc *doc = doc_new(memmem(p.s, p.len, "\r\n", 2) ? "\r\n" : "\n");
    if (!doc) {
        oom(&p);
        return NULL;
    }
    if (p.len >= 3 && memcmp(p.s, utf8_bom, 3) == 0) {
        doc->bom = true;
        p.pos = 3;
    }
    if (parse_members(&p, doc->root) && !at_end(&p))
        unexpected(&p);
    if (p.failed) {
        cfg_free(doc);
        return NULL;
    }
    return doc;
}

cfg_doc *cfg_new(void)
{
    return doc_new("\n");
}

void cfg_free(cfg_doc *doc)
{
    if (!doc)
        return;
    node_free(doc->root);
    free(doc);
}

static void write_piece(strbuf *b, const piece *pc)
{
    sb_append(b, pc->s, pc->len);
}

static void write_members(strbuf *b, const cfg_node *cls)
{
    for (size_t i = 0; i < cls->count; i++) {
        const cfg_node *m = cls->items[i];
        write_piece(b, &m->leading);
        write_piece(b, &m->text);
        if (m->kind == CFG_CLASS && !m->forward) {
            write_members(b, m);
            write_piece(b, &m->closer);
        }
    }
    write_piece(b, &cls->inner_trailing);
}

char *cfg_serialize(const cfg_doc *doc, size_t *len_out)
{
    if (!doc)
        return NULL;
    strbuf b = {0};
    if (doc->bom)
        sb_append(&b, utf8_bom, 3);
    write_members(&b, doc->root);
    return sb_to_string(&b, len_out);
}

cfg_node *cfg_root(cfg_doc *doc)
{
    return doc ? doc->root : NULL;
}

/* ---- reading ---- */

cfg_kind cfg_node_kind(const cfg_node *node)
{
    return node->kind;
}

const char *cfg_node_name(const cfg_node *node)
{
    return node ? node->name : NULL;
}

static bool is_class(const cfg_node *n)
{
    return n && n->kind == CFG_CLASS;
}

/* The first member named by the n bytes at name (only classes if asked), and its index. */
static cfg_node *find_named(const cfg_node *cls, const char *name, size_t n, bool classes_only,
                            size_t *index)
{
    for (size_t i = 0; i < cls->count; i++) {
        cfg_node *m = cls->items[i];
        if (m->name && (!classes_only || m->kind == CFG_CLASS) && names_equal(m->name, name, n)) {
            if (index)
                *index = i;
            return m;
        }
    }
    return NULL;
}

cfg_node *cfg_find(const cfg_node *cls, const char *name)
{
    if (!is_class(cls) || !name)
        return NULL;
    return find_named(cls, name, strlen(name), false, NULL);
}

cfg_node *cfg_find_path(const cfg_node *cls, const char *path)
{
    if (!is_class(cls) || !path)
        return NULL;
    for (;;) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        if (n == 0)
            return NULL;
        /* every step but the last names a class; the last may be any member */
        cfg_node *next = find_named(cls, path, n, slash != NULL, NULL);
        if (!next || !slash)
            return next;
        cls = next;
        path = slash + 1;
    }
}

size_t cfg_child_count(const cfg_node *cls)
{
    return is_class(cls) ? cls->count : 0;
}

cfg_node *cfg_child(const cfg_node *cls, size_t i)
{
    return is_class(cls) && i < cls->count ? cls->items[i] : NULL;
}

bool cfg_is_string(const cfg_node *node)
{
    return node && node->kind == CFG_VALUE && node->quoted;
}

const char *cfg_value(const cfg_node *node)
{
    return node && node->kind == CFG_VALUE ? node->value : NULL;
}

size_t cfg_array_count(const cfg_node *array)
{
    return array && array->kind == CFG_ARRAY ? array->count : 0;
}

cfg_node *cfg_array_item(const cfg_node *array, size_t i)
{
    return array && array->kind == CFG_ARRAY && i < array->count ? array->items[i] : NULL;
}

/* ---- appending a member at the end of a class ---- */

/* Everything an append replaces, built before anything changes so a failure changes nothing. */
typedef struct {
    piece leading;   /* for the new member */
    piece inner;     /* the class's new trivia before '}' (the root's: up to the end) */
    piece header;    /* a forward declaration opened into a class: its new header ... */
    piece closer;    /* ... and closer */
    piece last_text; /* the previous last member with its missing ';' added */
} append_plan;

static void plan_free(append_plan *plan)
{
    piece_free(&plan->leading);
    piece_free(&plan->inner);
    piece_free(&plan->header);
    piece_free(&plan->closer);
    piece_free(&plan->last_text);
}

/* Indentation of a class's own header and '}' (its members get one tab more). */
static size_t outer_indent(const cfg_node *cls)
{
    return cls->level ? cls->level - 1 : 0;
}

/* `class X;` -> `class X<eol>{`, closed by `};`, with body the (empty) inside to append to. */
static int plan_open_forward(const cfg_node *cls, append_plan *plan, piece *body)
{
    size_t len = cls->text.len - (cls->unterminated ? 0 : 1); /* drop the ';' */
    strbuf header = {0}, inside = {0};
    sb_append(&header, cls->text.s, without_trailing_space(cls->text.s, len));
    sb_puts(&header, cls->eol);
    sb_tabs(&header, outer_indent(cls));
    sb_puts(&header, "{");
    sb_puts(&inside, cls->eol);
    sb_tabs(&inside, outer_indent(cls));
    int rc_header = piece_from_sb(&plan->header, &header);
    int rc_inside = piece_from_sb(body, &inside);
    if (rc_header != 0 || rc_inside != 0)
        return -1;
    return piece_copy(&plan->closer, "};", 2);
}

/* Where in the trivia before the end of cls the new member goes: after what shares the last
 * member's line (its trailing comment), before the lines that follow. In an empty document:
 * after all comments. */
static void split_trailing(const cfg_node *cls, const piece *t, size_t *before, size_t *after)
{
    if (cls->level == 0 && cls->count == 0) {
        *before = *after = without_trailing_space(t->s, t->len);
        return;
    }
    *after = same_line_length(t->s, t->len);
    *before = without_trailing_space(t->s, *after);
}

static int plan_trivia(const cfg_node *cls, const piece *t, append_plan *plan)
{
    size_t before, after;
    split_trailing(cls, t, &before, &after);
    const char *bytes = piece_bytes(t);
    strbuf leading = {0};
    sb_append(&leading, bytes, before);
    if (before > 0 || cls->level > 0 || cls->count > 0)
        sb_puts(&leading, cls->eol);
    sb_tabs(&leading, cls->level);
    strbuf inner = {0};
    sb_append(&inner, bytes + after, t->len - after);
    if (cls->level > 0 && inner.len == 0) { /* put '}' on its own line */
        sb_puts(&inner, cls->eol);
        sb_tabs(&inner, outer_indent(cls));
    }
    int rc_leading = piece_from_sb(&plan->leading, &leading);
    int rc_inner = piece_from_sb(&plan->inner, &inner);
    return rc_leading == 0 && rc_inner == 0 ? 0 : -1;
}

/* The last member gets the ';' it omitted, now that something follows it. */
static int plan_last_text(const cfg_node *cls, append_plan *plan)
{
    const cfg_node *last = cls->count ? cls->items[cls->count - 1] : NULL;
    if (!last || !last->unterminated)
        return 0;
    strbuf text = {0};
    sb_append(&text, last->text.s, last->text.len);
    sb_puts(&text, ";");
    return piece_from_sb(&plan->last_text, &text);
}

static int plan_append(const cfg_node *cls, append_plan *plan)
{
    *plan = (append_plan){0};
    piece body = {0};
    int rc = cls->forward ? plan_open_forward(cls, plan, &body) : 0;
    if (rc == 0)
        rc = plan_trivia(cls, cls->forward ? &body : &cls->inner_trailing, plan);
    if (rc == 0)
        rc = plan_last_text(cls, plan);
    piece_free(&body);
    if (rc != 0)
        plan_free(plan);
    return rc;
}

/* Appends m (which has no leading trivia yet) on a new line at the end of cls. */
static int append_member(cfg_node *cls, cfg_node *m)
{
    append_plan plan;
    if (node_reserve(cls) != 0 || plan_append(cls, &plan) != 0)
        return -1;
    piece_swap(&m->leading, &plan.leading);
    piece_swap(&cls->inner_trailing, &plan.inner);
    if (cls->forward) {
        piece_swap(&cls->text, &plan.header);
        piece_swap(&cls->closer, &plan.closer);
        cls->forward = false;
        cls->unterminated = false;
    }
    if (plan.last_text.s) {
        cfg_node *last = cls->items[cls->count - 1];
        piece_swap(&last->text, &plan.last_text);
        last->unterminated = false;
    }
    cls->items[cls->count++] = m;
    plan_free(&plan); /* now holds the replaced pieces */
    return 0;
}

/* ---- changing ---- */

/* Parses generated text as one member of cls; NULL unless it is exactly one complete entry
 * named name. This both builds the node and rejects raw text that would not read back. */
static cfg_node *parse_generated(const cfg_node *cls, const strbuf *text, const char *name)
{
    parser p = {.s = text->data, .len = text->len};
    cfg_node *m = parse_member(&p, cls);
    if (m && (m->kind == CFG_CLASS || m->kind == CFG_DIRECTIVE || m->unterminated ||
              p.pos != p.len || !names_equal(m->name, name, strlen(name)))) {
        node_free(m);
        return NULL;
    }
    return m;
}

/* Gives old the content of fresh, keeping old's leading trivia and old's address. */
static void replace_member(cfg_node *old, cfg_node *fresh)
{
    piece_swap(&old->leading, &fresh->leading);
    cfg_node tmp = *old;
    *old = *fresh;
    *fresh = tmp;
    node_free(fresh);
}

/* Sets `name = rhs;` (or `name[] = rhs;`) in cls, replacing the first member of that name. */
/* The node for `name = rhs;` (or `name[] = rhs;`) as a member of cls, spelled like old. */
static cfg_node *build_entry(const cfg_node *cls, const cfg_node *old, const char *name,
                             bool array, const strbuf *rhs)
{
    strbuf text = {0};
    sb_puts(&text, old ? old->name : name); /* keep the file's spelling */
    sb_puts(&text, array ? "[] = " : " = ");
    sb_append(&text, rhs->data, rhs->len);
    sb_puts(&text, ";");
    cfg_node *fresh = text.failed ? NULL : parse_generated(cls, &text, name);
    sb_free(&text);
    return fresh;
}

/* Sets name to rhs in cls, replacing the first member of that name; consumes rhs. */
static int set_entry(cfg_node *cls, const char *name, bool array, strbuf *rhs)
{
    cfg_node *old = NULL, *fresh = NULL;
    if (!rhs->failed && is_class(cls) && valid_name(name)) {
        old = find_named(cls, name, strlen(name), false, NULL);
        if (!is_class(old)) /* a class is not replaced by a value */
            fresh = build_entry(cls, old, name, array, rhs);
    }
    sb_free(rhs);
    if (!fresh)
        return -1;
    if (old) {
        replace_member(old, fresh);
        return 0;
    }
    if (append_member(cls, fresh) != 0) {
        node_free(fresh);
        return -1;
    }
    return 0;
}

static void append_quoted(strbuf *b, const char *value)
{
    sb_puts(b, "\"");
    for (const char *q; (q = strchr(value, '"')); value = q + 1) {
        sb_append(b, value, (size_t)(q - value) + 1);
        sb_puts(b, "\"");
    }
    sb_puts(b, value);
    sb_puts(b, "\"");
}

char *cfg_quote(const char *value)
{
    if (!value)
        return NULL;
    strbuf b = {0};
    append_quoted(&b, value);
    return sb_to_string(&b, NULL);
}

int cfg_set_string(cfg_node *cls, const char *name, const char *value)
{
    strbuf rhs = {0};
    if (!value)
        return -1;
    append_quoted(&rhs, value);
    return set_entry(cls, name, false, &rhs);
}

int cfg_set_raw(cfg_node *cls, const char *name, const char *raw)
{
    strbuf rhs = {0};
    if (!raw)
        return -1;
    sb_puts(&rhs, raw);
    return set_entry(cls, name, false, &rhs);
}

static int set_array(cfg_node *cls, const char *name, const char *const *items, size_t count,
                     bool quote)
{
    strbuf rhs = {0};
    if (count > 0 && !items)
        return -1;
    sb_puts(&rhs, "{");
    for (size_t i = 0; i < count; i++) {
        if (!items[i]) {
            sb_free(&rhs);
            return -1;
        }
        if (i > 0)
            sb_puts(&rhs, ", ");
        if (quote)
            append_quoted(&rhs, items[i]);
        else
            sb_puts(&rhs, items[i]);
    }
    sb_puts(&rhs, "}");
    return set_entry(cls, name, true, &rhs);
}

int cfg_set_string_array(cfg_node *cls, const char *name, const char *const *items, size_t count)
{
    return set_array(cls, name, items, count, true);
}

int cfg_set_raw_array(cfg_node *cls, const char *name, const char *const *items, size_t count)
{
    return set_array(cls, name, items, count, false);
}

/* class Name<eol><indent>{<eol><indent>}; one level below parent. */
static cfg_node *new_class(const cfg_node *parent, const char *name)
{
    cfg_node *c = node_new(CFG_CLASS);
    if (!c)
        return NULL;
    c->level = parent->level + 1;
    c->eol = parent->eol;
    c->name = strdup(name);
    strbuf header = {0}, inner = {0};
    sb_puts(&header, "class ");
    sb_puts(&header, name);
    sb_puts(&header, c->eol);
    sb_tabs(&header, outer_indent(c));
    sb_puts(&header, "{");
    sb_puts(&inner, c->eol);
    sb_tabs(&inner, outer_indent(c));
    int rc_header = piece_from_sb(&c->text, &header);
    int rc_inner = piece_from_sb(&c->inner_trailing, &inner);
    if (!c->name || rc_header != 0 || rc_inner != 0 || piece_copy(&c->closer, "};", 2) != 0) {
        node_free(c);
        return NULL;
    }
    return c;
}

cfg_node *cfg_add_class(cfg_node *cls, const char *name)
{
    if (!is_class(cls) || !valid_name(name) || cls->level >= CFG_MAX_DEPTH)
        return NULL;
    cfg_node *c = new_class(cls, name);
    if (!c || append_member(cls, c) != 0) {
        node_free(c);
        return NULL;
    }
    return c;
}

cfg_node *cfg_ensure_class(cfg_node *cls, const char *name)
{
    if (!is_class(cls) || !valid_name(name))
        return NULL;
    cfg_node *found = find_named(cls, name, strlen(name), true, NULL);
    return found ? found : cfg_add_class(cls, name);
}

/* The trivia left where a member was, given the trivia before it (b) and after it (a): what
 * shares the line of the member before (its trailing comment), then the lines after the removed
 * member (its own trailing comment goes with it), or, if nothing follows on a new line, the
 * line break that preceded it, so that lines never join. */
static int join_trivia(const piece *b, const piece *a, piece *out)
{
    const char *before = piece_bytes(b), *after = piece_bytes(a);
    size_t keep = same_line_length(before, b->len);
    size_t after_rest = same_line_length(after, a->len);
    const char *rest = after + after_rest;
    size_t rest_len = a->len - after_rest;
    if (rest_len == 0) {
        rest = before + keep;
        rest_len = b->len - keep;
    }
    if (rest_len > 0) /* a line break follows: no spaces before it */
        keep = without_trailing_space(before, keep);
    strbuf joined = {0};
    sb_append(&joined, before, keep);
    sb_append(&joined, rest, rest_len);
    return piece_from_sb(out, &joined);
}

/* false also when out of memory (the member then stays). */
bool cfg_remove(cfg_node *cls, const char *name)
{
    size_t i;
    if (!is_class(cls) || !name)
        return false;
    cfg_node *m = find_named(cls, name, strlen(name), false, &i);
    if (!m)
        return false;
    piece *after = i + 1 < cls->count ? &cls->items[i + 1]->leading : &cls->inner_trailing;
    piece joined;
    if (join_trivia(&m->leading, after, &joined) != 0)
        return false;
    piece_swap(after, &joined);
    piece_free(&joined);
    node_free(m);
    memmove(cls->items + i, cls->items + i + 1, (cls->count - i - 1) * sizeof(cfg_node *));
    cls->count--;
    return true;
}

void cfg_clear(cfg_node *cls)
{
    if (!is_class(cls) || cls->count == 0)
        return;
    /* the last member's trailing comment goes with it; out of memory keeps it, still valid */
    piece joined;
    if (join_trivia(&cls->items[0]->leading, &cls->inner_trailing, &joined) == 0) {
        piece_swap(&cls->inner_trailing, &joined);
        piece_free(&joined);
    }
    for (size_t i = 0; i < cls->count; i++)
        node_free(cls->items[i]);
    cls->count = 0;
}
