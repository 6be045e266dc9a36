#include "mods/launcher_preset.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Finds needle in [from, end), or NULL. */
static const char *find(const char *from, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = from; p && p + n <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p || p + n > end)
            return NULL;
        if (memcmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

/* Copies the text of [from, to) into out, decoding the entities the Launcher writes and
 * dropping tags, with blanks collapsed. */
static void copy_text(const char *from, const char *to, char *out, size_t size)
{
    static const struct { const char *entity; char c; } ENTITIES[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''},
    };
    size_t n = 0;
    bool in_tag = false, blank = false;
    for (const char *p = from; p < to && n + 1 < size; p++) {
        if (*p == '<' || (in_tag && *p != '>'))
            in_tag = true;
        else if (*p == '>' && in_tag)
            in_tag = false;
        else if ((unsigned char)*p <= ' ')
            blank = n > 0;
        else {
            if (blank && n + 2 < size)
                out[n++] = ' ';
            blank = false;
            char c = *p;
            for (size_t e = 0; *p == '&' && e < sizeof ENTITIES / sizeof ENTITIES[0]; e++) {
                size_t len = strlen(ENTITIES[e].entity);
                if (p + len <= to && strncasecmp(p, ENTITIES[e].entity, len) == 0) {
                    c = ENTITIES[e].c;
                    p += len - 1;
                    break;
                }
            }
            out[n++] = c;
        }
    }
    out[n] = '\0';
}

static void parse_name(const char *html, const char *end, char *out, size_t size)
{
    const char *meta = find(html, end, "arma:PresetName");
    const char *content = meta ? find(meta, end, "content=\"") : NULL;
    const char *close = content ? memchr(content + 9, '"', (size_t)(end - content - 9)) : NULL;
    if (close)
        copy_text(content + 9, close, out, size);
}

static void parse_mod(const char *from, const char *to, launcher_mod *out)
{
    memset(out, 0, sizeof *out);
    const char *name = find(from, to, "data-type=\"DisplayName\"");
    const char *start = name ? memchr(name, '>', (size_t)(to - name)) : NULL;
    const char *stop = start ? find(start, to, "</td>") : NULL;
    if (stop)
        copy_text(start + 1, stop, out->name, sizeof out->name);
    const char *link = find(from, to, "filedetails/?id=");
    /* Digits read within the row: the text need not end with a NUL. */
    for (const char *d = link ? link + 16 : to; d < to && *d >= '0' && *d <= '9'; d++) {
        if (out->workshop_id > (INT64_MAX - 9) / 10) {
            out->workshop_id = 0;
            break;
        }
        out->workshop_id = out->workshop_id * 10 + (*d - '0');
    }
}

int launcher_preset_parse(const char *html, size_t len, launcher_preset *out)
{
    const char *end = html + len;
    memset(out->name, 0, sizeof out->name);
    out->count = 0;
    parse_name(html, end, out->name, sizeof out->name);
    const char *p = find(html, end, "data-type=\"ModContainer\"");
    while (p && out->count < LAUNCHER_PRESET_MAX_MODS) {
        const char *next = find(p + 1, end, "data-type=\"ModContainer\"");
        const char *row_end = find(p, next ? next : end, "</tr>");
        parse_mod(p, row_end ? row_end : next ? next : end, &out->mods[out->count]);
        if (out->mods[out->count].name[0] || out->mods[out->count].workshop_id)
            out->count++;
        p = next;
    }
    return out->count || out->name[0] ? 0 : -1;
}

/* Appends text to a growing buffer, escaped for HTML when escape is set. */
typedef struct buffer {
    char *data;
    size_t len, cap;
    bool failed;
} buffer;

static void put(buffer *b, const char *text, bool escape)
{
    for (const char *p = text; *p && !b->failed; p++) {
        const char *piece = NULL;
        if (escape)
            piece = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '"' ? "&quot;" : NULL;
        size_t n = piece ? strlen(piece) : 1;
        if (b->len + n + 1 > b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 4096;
            char *grown = realloc(b->data, cap);
            if (!grown) {
                b->failed = true;
                return;
            }
            b->data = grown;
            b->cap = cap;
        }
        memcpy(b->data + b->len, piece ? piece : p, n);
        b->len += n;
        b->data[b->len] = '\0';
    }
}

char *launcher_preset_render(const char *name, const launcher_mod *mods, size_t count)
{
    buffer b = {0};
    put(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html>\n  <!--Created by aswg-->\n  <head>\n"
            "    <meta name=\"arma:Type\" content=\"preset\" />\n    <meta name=\"arma:PresetName\" content=\"", false);
    put(&b, name, true);
    put(&b, "\" />\n    <meta name=\"generator\" content=\"aswg\" />\n    <title>Arma 3</title>\n  </head>\n"
            "  <body>\n    <h1>Arma 3  - Preset <strong>", false);
    put(&b, name, true);
    put(&b, "</strong></h1>\n    <div class=\"mod-list\">\n      <table>\n", false);
    for (size_t i = 0; i < count; i++) {
        char url[96];
        snprintf(url, sizeof url, "https://steamcommunity.com/sharedfiles/filedetails/?id=%lld",
                 (long long)mods[i].workshop_id);
        put(&b, "        <tr data-type=\"ModContainer\">\n          <td data-type=\"DisplayName\">", false);
        put(&b, mods[i].name, true);
        put(&b, "</td>\n          <td>\n            <span class=\"from-steam\">Steam</span>\n          </td>\n"
                "          <td>\n            <a href=\"", false);
        put(&b, url, false);
        put(&b, "\" data-type=\"Link\">", false);
        put(&b, url, false);
        put(&b, "</a>\n          </td>\n        </tr>\n", false);
    }
    put(&b, "      </table>\n    </div>\n  </body>\n</html>\n", false);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
