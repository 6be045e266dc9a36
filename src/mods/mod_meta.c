#include "mods/mod_meta.h"

#include "core/cfg.h"
#include "core/fs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define META_MAX (256L * 1024)
/* .NET DateTime ticks (100 ns since 0001-01-01) of the Unix epoch. */
#define TICKS_AT_EPOCH 621355968000000000LL

/* The Launcher writes DateTime.ToBinary(): ticks in the low 62 bits, the kind in the top two. */
static int64_t timestamp_to_ms(const char *text)
{
    char *end;
    errno = 0;
    unsigned long long raw = strtoull(text, &end, 10);
    if (errno || *end || end == text)
        return 0;
    long long ticks = (long long)(raw & 0x3FFFFFFFFFFFFFFFULL);
    return ticks > TICKS_AT_EPOCH ? (ticks - TICKS_AT_EPOCH) / 10000 : 0;
}

int mod_meta_parse(const char *text, size_t len, mod_meta *out)
{
    char err[128];
    cfg_doc *doc = cfg_parse(text, len, err, sizeof err);
    if (!doc)
        return -1;
    cfg_node *root = cfg_root(doc);
    const cfg_node *id = cfg_find(root, "publishedid");
    const cfg_node *name = cfg_find(root, "name");
    const cfg_node *stamp = cfg_find(root, "timestamp");
    if (id && cfg_node_kind(id) == CFG_VALUE) {
        char *end;
        long long v = strtoll(cfg_value(id), &end, 10);
        if (*end == '\0' && v > 0)
            out->published_id = v;
    }
    if (name && cfg_node_kind(name) == CFG_VALUE && cfg_value(name)[0])
        snprintf(out->name, sizeof out->name, "%s", cfg_value(name));
    if (stamp && cfg_node_kind(stamp) == CFG_VALUE)
        out->updated_ms = timestamp_to_ms(cfg_value(stamp));
    cfg_free(doc);
    return 0;
}

/* Reads dir/<name, any case> when it is a small regular file. */
static char *read_small(const char *dir, const char *name, size_t *len)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *text = NULL;
    while (d && !text && (e = readdir(d))) {
        if (strcasecmp(e->d_name, name) != 0)
            continue;
        char *path = fs_join(dir, e->d_name);
        struct stat st;
        if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= META_MAX)
            text = fs_read_all(path, len);
        free(path);
    }
    if (d)
        closedir(d);
    return text;
}

static bool has_addons(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;
    while (d && !found && (e = readdir(d)))
        found = strcasecmp(e->d_name, "addons") == 0;
    if (d)
        closedir(d);
    return found;
}

bool mod_meta_read(const char *dir, mod_meta *out)
{
    memset(out, 0, sizeof *out);
    bool is_mod = false;
    const char *files[] = {"mod.cpp", "meta.cpp"}; /* meta.cpp last: its name wins */
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *text = read_small(dir, files[i], &len);
        if (text) {
            is_mod = true;
            mod_meta_parse(text, len, out);
            free(text);
        }
    }
    return is_mod || has_addons(dir);
}
