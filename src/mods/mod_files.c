#include "mods/mod_files.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_names.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIZE_CACHE_SLOTS 512
#define SIZE_CACHE_SECONDS 60
#define KEYS_MANIFEST ".aswg-keys"
#define KEYS_MAX 1024
#define KEY_SEARCH_DEPTH 3

char *mods_directory(void)
{
    const char *mods = config_str("aswg.mods-directory-path");
    return mods[0] == '/' ? strdup(mods) : fs_join(config_str("aswg.server-directory-path"), mods);
}

static int by_directory(const void *a, const void *b)
{
    return strcmp(((const disk_mod *)a)->directory, ((const disk_mod *)b)->directory);
}

int mod_files_list(disk_mod **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    char *dir = mods_directory();
    DIR *d = dir ? opendir(dir) : NULL;
    size_t cap = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !fs_is_safe_name(e->d_name))
            continue;
        char *path = fs_join(dir, e->d_name);
        struct stat st;
        disk_mod m = {0};
        bool is_mod = path && stat(path, &st) == 0 && S_ISDIR(st.st_mode) && mod_meta_read(path, &m.meta);
        free(path);
        if (!is_mod)
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            disk_mod *grown = realloc(*out, cap * sizeof *grown);
            if (!grown)
                break;
            *out = grown;
        }
        snprintf(m.directory, sizeof m.directory, "%s", e->d_name);
        (*out)[(*count)++] = m;
    }
    if (d)
        closedir(d);
    free(dir);
    if (*count)
        qsort(*out, *count, sizeof **out, by_directory);
    return 0;
}

/* ---- sizes ---- */

static struct {
    pthread_mutex_t lock;
    struct { char directory[MOD_NAME_MAX]; uint64_t bytes; time_t at; } slots[SIZE_CACHE_SLOTS];
} g_sizes = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t slot_of(const char *directory)
{
    size_t h = 5381;
    for (const unsigned char *p = (const unsigned char *)directory; *p; p++)
        h = h * 33 + *p;
    return h % SIZE_CACHE_SLOTS;
}

uint64_t mod_files_size(const char *directory)
{
    size_t i = slot_of(directory);
    time_t now = time(NULL);
    pthread_mutex_lock(&g_sizes.lock);
    bool fresh = strcmp(g_sizes.slots[i].directory, directory) == 0 && now - g_sizes.slots[i].at < SIZE_CACHE_SECONDS;
    uint64_t bytes = g_sizes.slots[i].bytes;
    pthread_mutex_unlock(&g_sizes.lock);
    if (fresh)
        return bytes;
    char *dir = mods_directory();
    char *path = dir ? fs_join(dir, directory) : NULL;
    bytes = path ? fs_tree_size(path) : 0;
    free(path);
    free(dir);
    pthread_mutex_lock(&g_sizes.lock);
    snprintf(g_sizes.slots[i].directory, sizeof g_sizes.slots[i].directory, "%s", directory);
    g_sizes.slots[i].bytes = bytes;
    g_sizes.slots[i].at = now;
    pthread_mutex_unlock(&g_sizes.lock);
    return bytes;
}

void mod_files_forget_sizes(void)
{
    pthread_mutex_lock(&g_sizes.lock);
    memset(g_sizes.slots, 0, sizeof g_sizes.slots);
    pthread_mutex_unlock(&g_sizes.lock);
}

/* ---- renaming ---- */

static void lower_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Lower-cases the names below dir, depth first so that paths stay valid while renaming. */
static int lower_tree(const char *dir, int depth)
{
    if (depth > 32)
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *path = fs_join(dir, e->d_name);
        struct stat st;
        if (!path || lstat(path, &st) != 0) {
            free(path);
            rc = -1;
            continue;
        }
        if (S_ISDIR(st.st_mode) && lower_tree(path, depth + 1) != 0)
            rc = -1;
        char lower[NAME_MAX + 1];
        snprintf(lower, sizeof lower, "%s", e->d_name);
        lower_ascii(lower);
        if (strcmp(lower, e->d_name) != 0) {
            char *to = fs_join(dir, lower);
            /* Two names that differ only in case: keep the second as it is rather than lose one. */
            if (!to || (!fs_exists(to) && rename(path, to) != 0))
                rc = -1;
            free(to);
        }
        free(path);
    }
    closedir(d);
    return rc;
}

int mod_files_normalize(const char *directory, char *out, size_t out_size, char *err, size_t err_size)
{
    char *dir = mods_directory();
    char *name = mission_normalize_file_name(directory);
    char *from = dir ? fs_join(dir, directory) : NULL;
    char *to = dir && name ? fs_join(dir, name) : NULL;
    int rc = -1;
    if (!to || !from) {
        snprintf(err, err_size, "Out of memory");
    } else if (strcmp(name, directory) != 0 && fs_exists(to)) {
        snprintf(err, err_size, "A folder named '%s' exists already", name);
    } else if (strcmp(name, directory) != 0 && rename(from, to) != 0) {
        snprintf(err, err_size, "Cannot rename '%s': %s", directory, strerror(errno));
    } else {
        if (lower_tree(to, 0) != 0)
            log_warn("some names inside mod folder %s could not be lower-cased", name);
        snprintf(out, out_size, "%s", name);
        rc = 0;
    }
    free(from);
    free(to);
    free(name);
    free(dir);
    return rc;
}

int mod_files_remove(const char *directory)
{
    if (!fs_is_safe_name(directory))
        return -1;
    char *dir = mods_directory();
    char *path = dir ? fs_join(dir, directory) : NULL;
    int rc = path ? fs_remove_tree(path) : -1;
    free(path);
    free(dir);
    return rc;
}

/* ---- keys ---- */

typedef struct key_list {
    char *names[KEYS_MAX];
    char *sources[KEYS_MAX];
    size_t count;
} key_list;

static bool listed(const key_list *keys, const char *name)
{
    for (size_t i = 0; i < keys->count; i++)
        if (strcasecmp(keys->names[i], name) == 0)
            return true;
    return false;
}

static bool is_bikey(const char *name)
{
    size_t n = strlen(name);
    return n > 6 && strcasecmp(name + n - 6, ".bikey") == 0;
}

/* Collects the .bikey files of a mod folder (Keys/, key/, or anywhere a few levels down). */
static void find_keys(const char *dir, int depth, key_list *keys)
{
    DIR *d = depth <= KEY_SEARCH_DEPTH ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *path = fs_join(dir, e->d_name);
        struct stat st;
        if (path && stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                find_keys(path, depth + 1, keys);
            } else if (S_ISREG(st.st_mode) && is_bikey(e->d_name) && !listed(keys, e->d_name) &&
                       keys->count < KEYS_MAX) {
                keys->names[keys->count] = strdup(e->d_name);
                keys->sources[keys->count++] = path;
                path = NULL;
            }
        }
        free(path);
    }
    if (d)
        closedir(d);
}

static void free_keys(key_list *keys)
{
    for (size_t i = 0; i < keys->count; i++) {
        free(keys->names[i]);
        free(keys->sources[i]);
    }
    keys->count = 0;
}

static int copy_key(const char *from, const char *to)
{
    size_t len;
    char *data = fs_read_all(from, &len);
    int rc = data ? fs_write_atomic(to, data, len, 0644) : -1;
    free(data);
    return rc;
}

/* Removes the keys the previous call copied that are not wanted now. */
static void drop_unwanted(const char *keys_dir, const char *manifest, const key_list *wanted)
{
    size_t len;
    char *text = fs_read_all(manifest, &len);
    char *rest = NULL;
    for (char *line = text ? strtok_r(text, "\n", &rest) : NULL; line; line = strtok_r(NULL, "\n", &rest)) {
        if (!fs_is_safe_name(line) || !is_bikey(line) || listed(wanted, line))
            continue;
        char *path = fs_join(keys_dir, line);
        if (path)
            unlink(path);
        free(path);
    }
    free(text);
}

int mod_files_sync_keys(char *const *directories, size_t count, char *err, size_t err_size)
{
    char *dir = mods_directory();
    char *keys_dir = fs_join(config_str("aswg.server-directory-path"), "keys");
    char *manifest = keys_dir ? fs_join(keys_dir, KEYS_MANIFEST) : NULL;
    key_list *keys = calloc(1, sizeof *keys);
    int rc = -1;
    if (!dir || !manifest || !keys || fs_mkdirs(keys_dir, 0755) != 0) {
        snprintf(err, err_size, "Cannot prepare %s", keys_dir ? keys_dir : "keys");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        char *path = fs_join(dir, directories[i]);
        if (path)
            find_keys(path, 0, keys);
        free(path);
    }
    drop_unwanted(keys_dir, manifest, keys);
    size_t text_len = 0;
    char *text = calloc(keys->count ? keys->count : 1, NAME_MAX + 2);
    rc = text ? 0 : -1;
    for (size_t i = 0; text && i < keys->count; i++) {
        char *to = fs_join(keys_dir, keys->names[i]);
        if (!to || copy_key(keys->sources[i], to) != 0) {
            snprintf(err, err_size, "Cannot copy %s into %s", keys->names[i], keys_dir);
            rc = -1;
        }
        free(to);
        text_len += (size_t)sprintf(text + text_len, "%s\n", keys->names[i]);
    }
    if (text && fs_write_atomic(manifest, text, text_len, 0644) != 0)
        rc = -1;
    free(text);
out:
    if (keys)
        free_keys(keys);
    free(keys);
    free(manifest);
    free(keys_dir);
    free(dir);
    return rc;
}
