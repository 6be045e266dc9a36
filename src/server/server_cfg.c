#include "server/server_cfg.h"

#include "core/cfg.h"
#include "core/config.h"
#include "core/fs.h"
#include "missions/mission_names.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *server_cfg_path(void)
{
    return fs_join(config_str("aswg.server-directory-path"), "server.cfg");
}

/* Reads server.cfg into a tree; a missing file is an empty document. */
static cfg_doc *load_server_cfg(const char *path, char *err, size_t err_size)
{
    size_t len;
    char *text = fs_read_all(path, &len);
    if (!text) {
        if (errno == ENOENT)
            return cfg_new();
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char why[256] = "";
    cfg_doc *doc = cfg_parse(text, len, why, sizeof why);
    free(text);
    if (!doc)
        snprintf(err, err_size, "%s has a syntax error (%s); fix it by hand, aswg leaves it untouched",
                 path, why);
    return doc;
}

static bool is_number(const char *s)
{
    if (!*s || isspace((unsigned char)*s))
        return false;
    char *end;
    double v = strtod(s, &end);
    return *end == '\0' && isfinite(v) && !strpbrk(s, "xXpP"); /* no hex floats: Arma wants decimals */
}

static int write_params(cfg_node *mission, json_t *params)
{
    cfg_node *cls = cfg_add_class(mission, "Params");
    if (!cls)
        return -1;
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *value = json_string_value(json_object_get(p, "value"));
        if (!name || !value)
            continue;
        int rc = is_number(value) ? cfg_set_raw(cls, name, value) : cfg_set_string(cls, name, value);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* A class name not yet used in Missions: Arma needs them unique, and two templates can map to the
 * same name ("a.b" and "a-b"). */
static char *unique_class_name(cfg_node *missions, const char *tpl)
{
    char *base = mission_cfg_class_name(tpl);
    if (!base || !cfg_find(missions, base))
        return base;
    for (int n = 2;; n++) {
        char *candidate = NULL;
        if (asprintf(&candidate, "%s_%d", base, n) < 0) {
            free(base);
            return NULL;
        }
        if (!cfg_find(missions, candidate)) {
            free(base);
            return candidate;
        }
        free(candidate);
    }
}

static int write_mission(cfg_node *missions, const cfg_mission *m)
{
    char *class_name = unique_class_name(missions, m->tpl);
    cfg_node *cls = class_name ? cfg_add_class(missions, class_name) : NULL;
    free(class_name);
    if (!cls)
        return -1;
    char difficulty[16];
    snprintf(difficulty, sizeof difficulty, "%s", m->difficulty ? m->difficulty : "REGULAR");
    for (char *c = difficulty; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (cfg_set_string(cls, "template", m->tpl) != 0 || cfg_set_string(cls, "difficulty", difficulty) != 0)
        return -1;
    return write_params(cls, m->params);
}

int server_cfg_edit(int (*edit)(cfg_node *root, void *arg), void *arg, char *err, size_t err_size)
{
    char *path = server_cfg_path();
    if (!path) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    cfg_doc *doc = load_server_cfg(path, err, err_size);
    int rc = doc ? edit(cfg_root(doc), arg) : -1;
    if (doc && rc != 0)
        snprintf(err, err_size, "%s: the change cannot be written (out of memory or invalid value)", path);
    size_t len = 0;
    char *text = rc == 0 ? cfg_serialize(doc, &len) : NULL;
    if (rc == 0 && (!text || fs_mkdirs(config_str("aswg.server-directory-path"), 0755) != 0 ||
                    fs_write_atomic(path, text, len, 0644) != 0)) {
        snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        rc = -1;
    }
    free(text);
    cfg_free(doc);
    free(path);
    return rc;
}

int server_cfg_read_string(const char *key, char *out, size_t out_size, char *err, size_t err_size)
{
    char *path = server_cfg_path();
    cfg_doc *doc = path ? load_server_cfg(path, err, err_size) : NULL;
    free(path);
    if (!doc)
        return -1;
    const cfg_node *node = cfg_find(cfg_root(doc), key);
    const char *value = node ? cfg_value(node) : NULL;
    snprintf(out, out_size, "%s", value ? value : "");
    cfg_free(doc);
    return 0;
}

typedef struct missions_edit {
    const cfg_mission *missions;
    size_t count;
} missions_edit;

static int replace_missions(cfg_node *root, void *arg)
{
    const missions_edit *e = arg;
    cfg_node *block = cfg_ensure_class(root, "Missions");
    if (!block)
        return -1;
    cfg_clear(block);
    for (size_t i = 0; i < e->count; i++)
        if (write_mission(block, &e->missions[i]) != 0)
            return -1;
    return 0;
}

int server_cfg_write_missions(const cfg_mission *missions, size_t count, char *err, size_t err_size)
{
    missions_edit e = {missions, count};
    return server_cfg_edit(replace_missions, &e, err, err_size);
}
