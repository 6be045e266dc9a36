#include "server/server_cfg.h"

#include "core/cfg.h"
#include "core/config.h"
#include "core/fs.h"
#include "missions/mission_names.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of a missing file: one line break, so that what gets appended to it ends with one
 * too, as a text file should. */
static const char empty_file[] = "\n";

/* Reads path into a tree, a missing file as empty_file. With text_out, the text read (malloc'd)
 * goes there. */
static cfg_doc *load_cfg(const char *path, char **text_out, size_t *len_out, char *err, size_t err_size)
{
    size_t len;
    char *text = fs_read_all(path, &len);
    if (!text && errno == ENOENT) {
        len = strlen(empty_file);
        text = strdup(empty_file);
    }
    if (!text) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char why[256] = "";
    cfg_doc *doc = cfg_parse(text, len, why, sizeof why);
    if (!doc)
        snprintf(err, err_size, "%s has a syntax error (%s); fix it by hand, aswg leaves it untouched",
                 path, why);
    if (doc && text_out) {
        *text_out = text;
        *len_out = len;
    } else {
        free(text);
    }
    return doc;
}

cfg_doc *server_file_load(const char *name, char *err, size_t err_size)
{
    char *path = fs_join(config_str("aswg.server-directory-path"), name);
    cfg_doc *doc = path ? load_cfg(path, NULL, NULL, err, err_size) : NULL;
    if (!path)
        snprintf(err, err_size, "out of memory");
    free(path);
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

/* "text" with every inner quote doubled: a cfg string literal, as ASWG stores string params. */
static bool is_string_literal(const char *s)
{
    size_t len = strlen(s);
    if (len < 2 || s[0] != '"' || s[len - 1] != '"' || strpbrk(s, "\r\n"))
        return false;
    for (size_t i = 1; i < len - 1; i++) {
        if (s[i] != '"')
            continue;
        if (i + 1 >= len - 1 || s[i + 1] != '"')
            return false;   /* a lone quote inside, or the closing one doubled */
        i++;
    }
    return true;
}

/* Values go in raw when they are numbers or already quoted (ASWG writes them raw); anything else
 * is quoted, so that no value can end the line and write other keys. */
static int write_params(cfg_node *mission, json_t *params)
{
    cfg_node *cls = cfg_add_class(mission, "params");
    if (!cls)
        return -1;
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *value = json_string_value(json_object_get(p, "value"));
        if (!name || !value)
            continue;
        int rc = is_number(value) || is_string_literal(value) ? cfg_set_raw(cls, name, value)
                                                              : cfg_set_string(cls, name, value);
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

/* The files of one edit: paths, the texts as read, trees and roots side by side. */
typedef struct file_set {
    size_t count;
    char *paths[SERVER_FILES_MAX];
    char *texts[SERVER_FILES_MAX];
    size_t lens[SERVER_FILES_MAX];
    cfg_doc *docs[SERVER_FILES_MAX];
    cfg_node *roots[SERVER_FILES_MAX];
} file_set;

static void file_set_free(file_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->paths[i]);
        free(set->texts[i]);
        cfg_free(set->docs[i]);
    }
}

/* Loads every file; -1 at the first one that is unreadable or does not parse. */
static int file_set_load(file_set *set, const char *dir, const char *const *names, size_t count,
                         char *err, size_t err_size)
{
    for (size_t i = 0; i < count; i++) {
        set->count = i + 1;
        set->paths[i] = fs_join(dir, names[i]);
        if (!set->paths[i]) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
        set->docs[i] = load_cfg(set->paths[i], &set->texts[i], &set->lens[i], err, err_size);
        if (!set->docs[i])
            return -1;
        set->roots[i] = cfg_root(set->docs[i]);
    }
    return 0;
}

/* Puts the new text of every file in place of the text read; false when out of memory. */
static bool file_set_serialize(file_set *set, bool changed[SERVER_FILES_MAX])
{
    for (size_t i = 0; i < set->count; i++) {
        size_t len = 0;
        char *text = cfg_serialize(set->docs[i], &len);
        if (!text)
            return false;
        changed[i] = len != set->lens[i] || memcmp(text, set->texts[i], len) != 0;
        free(set->texts[i]);
        set->texts[i] = text;
        set->lens[i] = len;
    }
    return true;
}

/* Writes the files that changed; one the edit left as it was (or a missing one nothing was
 * added to) stays as it is, and so does the directory. */
static int file_set_write(file_set *set, const char *dir, char *err, size_t err_size)
{
    bool changed[SERVER_FILES_MAX] = {false}, any = false;
    if (!file_set_serialize(set, changed)) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < set->count; i++)
        any = any || changed[i];
    if (any && fs_mkdirs(dir, 0755) != 0) {
        snprintf(err, err_size, "%s: cannot create: %s", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < set->count; i++) {
        if (changed[i])
            fs_remove_stale_temps(set->paths[i]); /* left by a crash during an earlier save */
        if (changed[i] && fs_write_atomic(set->paths[i], set->texts[i], set->lens[i], 0644) != 0) {
            snprintf(err, err_size, "%s: cannot write: %s", set->paths[i], strerror(errno));
            return -1;
        }
    }
    return 0;
}

static pthread_mutex_t g_edit_lock = PTHREAD_MUTEX_INITIALIZER;

int server_files_edit(const char *dir, const char *const *names, size_t count,
                      int (*edit)(cfg_node **roots, void *arg), void *arg, char *err, size_t err_size)
{
    if (count == 0 || count > SERVER_FILES_MAX) {
        snprintf(err, err_size, "programming error: %zu files in one edit", count);
        return -1;
    }
    file_set set = {0};
    pthread_mutex_lock(&g_edit_lock);
    int rc = file_set_load(&set, dir, names, count, err, err_size);
    if (rc == 0 && edit(set.roots, arg) != 0) {
        snprintf(err, err_size, "%s: the change cannot be written (out of memory or invalid value)",
                 dir);
        rc = -1;
    }
    if (rc == 0)
        rc = file_set_write(&set, dir, err, err_size);
    pthread_mutex_unlock(&g_edit_lock);
    file_set_free(&set);
    return rc;
}

typedef struct single_edit {
    int (*edit)(cfg_node *root, void *arg);
    void *arg;
} single_edit;

static int edit_one(cfg_node **roots, void *arg)
{
    const single_edit *e = arg;
    return e->edit(roots[0], e->arg);
}

int server_cfg_edit(int (*edit)(cfg_node *root, void *arg), void *arg, char *err, size_t err_size)
{
    const char *name = SERVER_CFG_NAME;
    single_edit e = {edit, arg};
    return server_files_edit(config_str("aswg.server-directory-path"), &name, 1, edit_one, &e, err,
                             err_size);
}

int server_cfg_read_string(const char *key, char *out, size_t out_size, char *err, size_t err_size)
{
    cfg_doc *doc = server_file_load(SERVER_CFG_NAME, err, err_size);
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
