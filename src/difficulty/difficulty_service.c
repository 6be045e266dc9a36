#include "difficulty/difficulty_service.h"

#include "core/config.h"
#include "core/dir_scan.h"
#include "core/fs.h"
#include "core/log.h"
#include "difficulty/difficulty_file.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIFFICULTY_NAME_MAX 64

static const named_table *const TABLE = &DIFFICULTY_PROFILE_TABLE;

/* Changes (rows and files together) and scans one at a time. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void difficulty_profiles_free(difficulty_profile *list, size_t count)
{
    for (size_t i = 0; list && i < count; i++) {
        json_decref(list[i].options);
        free(list[i].file_error);
    }
    free(list);
}

/* ---- names and paths ---- */

/* A profile name is a directory and a file name in the profiles directory and the game's -name=
 * argument: 1..64 bytes, one path component with no "..", no control characters, none of the
 * characters Windows refuses in file names (profiles get copied between machines), no blank at
 * either end and no leading '.' (a hidden directory). Returns what is wrong, or NULL. */
static const char *name_problem(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > DIFFICULTY_NAME_MAX)
        return "must be 1 to 64 bytes long";
    if (!fs_is_safe_name(name) || strstr(name, ".."))
        return "must not contain '/', '\\', '..' or control characters";
    if (strpbrk(name, ":*?\"<>|"))
        return "must not contain any of : * ? \" < > |";
    if (isspace((unsigned char)name[0]) || isspace((unsigned char)name[len - 1]) || name[0] == '.')
        return "must not start or end with a blank or start with '.'";
    return NULL;
}

static bool name_valid(const char *name, char *msg, size_t msg_size)
{
    const char *why = name_problem(name);
    if (why)
        snprintf(msg, msg_size, "Field 'name' %s", why);
    return why == NULL;
}

static char *profiles_dir(char *msg, size_t msg_size)
{
    const char *dir = config_str("aswg.profiles-directory-path");
    if (*dir)
        return strdup(dir);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        snprintf(msg, msg_size, "HOME is not set: set aswg.profiles-directory-path");
        return NULL;
    }
    return fs_join(home, ".local/share/Arma 3 - Other Profiles");
}

/* <dir>/<name>/<name>.Arma3Profile. Names are checked again here, rows included: no path ever
 * leaves the profiles directory. */
static char *profile_path(const char *dir, const char *name, char *msg, size_t msg_size)
{
    char *path = NULL;
    if (!name_valid(name, msg, msg_size))
        return NULL;
    if (asprintf(&path, "%s/%s/%s" DIFFICULTY_FILE_EXTENSION, dir, name, name) < 0) {
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    return path;
}

/* Removes a profile's file, then its directory if nothing else is left there: the game keeps
 * the player's other files in it (<name>.vars.Arma3Profile, saves). */
static int remove_profile_file(const char *path, char *msg, size_t msg_size)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        snprintf(msg, msg_size, "%s: cannot delete: %s", path, strerror(errno));
        return -1;
    }
    char *copy = strdup(path);
    if (copy)
        (void)rmdir(dirname(copy)); /* refused, as it should be, while other files are there */
    free(copy);
    return 0;
}

/* ---- changes: under the lock, in one transaction ---- */

static bool change_begin(char *msg, size_t msg_size)
{
    pthread_mutex_lock(&g_lock);
    if (db_tx_begin() == 0)
        return true;
    pthread_mutex_unlock(&g_lock);
    snprintf(msg, msg_size, "database error");
    return false;
}

/* Commits when err is ERR_OK, else rolls back; returns the outcome. The lock stays held. */
static aswg_err change_commit(aswg_err err, char *msg, size_t msg_size)
{
    if (err == ERR_OK && db_tx_commit() != 0) {
        snprintf(msg, msg_size, "database error");
        err = ERR_SERVER_ERROR;
    }
    if (err != ERR_OK)
        db_tx_rollback();
    return err;
}

static void change_end(void)
{
    pthread_mutex_unlock(&g_lock);
}

static aswg_err db_err(db_result r, const char *name, char *msg, size_t msg_size)
{
    if (r == DB_OK)
        return ERR_OK;
    if (r == DB_NOT_FOUND)
        return ERR_DIFFICULTY_NOT_FOUND;
    if (r == DB_CONFLICT) {
        snprintf(msg, msg_size, "Difficulty profile '%s' already exists", name);
        return ERR_DIFFICULTY_ALREADY_EXISTS;
    }
    snprintf(msg, msg_size, "database error");
    return ERR_SERVER_ERROR;
}

static bool input_valid(const difficulty_input *in, char *msg, size_t msg_size)
{
    return (!in->name || name_valid(in->name, msg, msg_size)) &&
           (!in->options || difficulty_options_check(in->options, msg, msg_size));
}

/* Inserts the row (the only active one if active) and writes its file. */
static aswg_err add_locked(const char *dir, const difficulty_input *in, char *msg, size_t msg_size)
{
    char *path = profile_path(dir, in->name, msg, msg_size);
    if (!path)
        return ERR_BAD_REQUEST;
    aswg_err err = in->active ? db_err(named_rows_deactivate_others(TABLE, 0), in->name, msg, msg_size) : ERR_OK;
    if (err == ERR_OK)
        err = db_err(named_rows_insert(TABLE, in->name, in->active, NULL), in->name, msg, msg_size);
    if (err == ERR_OK)
        err = difficulty_file_write(path, path, in->options, msg, msg_size);
    free(path);
    return err;
}

aswg_err difficulties_add(const difficulty_input *in, char *msg, size_t msg_size)
{
    if (!in->name) {
        snprintf(msg, msg_size, "Field 'name' is required");
        return ERR_BAD_REQUEST;
    }
    if (!input_valid(in, msg, msg_size))
        return ERR_BAD_REQUEST;
    char *dir = profiles_dir(msg, msg_size);
    if (!dir)
        return ERR_SERVER_ERROR;
    aswg_err err = ERR_SERVER_ERROR;
    if (change_begin(msg, msg_size)) {
        err = change_commit(add_locked(dir, in, msg, msg_size), msg, msg_size);
        change_end();
    }
    if (err == ERR_OK)
        log_info("difficulty profile '%s' added%s (%s)", in->name, in->active ? " as the active one" : "", dir);
    free(dir);
    return err;
}

/* The row's new state and its file's old and new paths. */
typedef struct profile_change {
    named_row row;      /* as stored */
    const char *name;
    bool active;
    char *old_path, *new_path;
} profile_change;

static aswg_err update_locked(const char *dir, int64_t id, const difficulty_input *in, profile_change *c,
                              char *msg, size_t msg_size)
{
    aswg_err err = db_err(named_rows_find_by_id(TABLE, id, &c->row), "", msg, msg_size);
    if (err != ERR_OK)
        return err;
    c->name = in->name ? in->name : c->row.name;
    c->active = in->active_given ? in->active : c->row.active;
    c->old_path = profile_path(dir, c->row.name, msg, msg_size);
    c->new_path = c->old_path ? profile_path(dir, c->name, msg, msg_size) : NULL;
    if (!c->new_path)
        return ERR_SERVER_ERROR;
    if (c->active)
        err = db_err(named_rows_deactivate_others(TABLE, id), c->name, msg, msg_size);
    if (err == ERR_OK)
        err = db_err(named_rows_update(TABLE, id, c->name, c->active), c->name, msg, msg_size);
    bool moving = strcmp(c->old_path, c->new_path) != 0;
    if (err == ERR_OK && (moving || in->options))
        err = difficulty_file_write(c->old_path, c->new_path, in->options, msg, msg_size);
    return err;
}

aswg_err difficulties_update(int64_t id, const difficulty_input *in, char *msg, size_t msg_size)
{
    if (!input_valid(in, msg, msg_size))
        return ERR_BAD_REQUEST;
    char *dir = profiles_dir(msg, msg_size);
    if (!dir)
        return ERR_SERVER_ERROR;
    profile_change c = {0};
    aswg_err err = ERR_SERVER_ERROR;
    if (change_begin(msg, msg_size)) {
        err = change_commit(update_locked(dir, id, in, &c, msg, msg_size), msg, msg_size);
        /* A renamed profile's old file goes once the row has the new name: a crash in between
         * leaves a copy, never a row without its file. */
        char why[512];
        bool renamed = err == ERR_OK && strcmp(c.old_path, c.new_path) != 0;
        if (renamed && remove_profile_file(c.old_path, why, sizeof why) != 0)
            log_warn("difficulty profile renamed, but its old file stays: %s", why);
        change_end();
    }
    if (err == ERR_OK)
        log_info("difficulty profile %lld ('%s') updated%s", (long long)id, c.name, c.active ? ", active" : "");
    free(c.old_path);
    free(c.new_path);
    free(dir);
    return err;
}

/* Deletes row and file together: the file goes before the commit, so that a failure to delete it
 * keeps the row (and the next scan does not bring back a profile the admin deleted). */
static aswg_err delete_locked(const char *dir, const named_row *row, char *msg, size_t msg_size)
{
    char *path = profile_path(dir, row->name, msg, msg_size);
    if (!path)
        return ERR_SERVER_ERROR;
    aswg_err err = db_err(named_rows_delete(TABLE, row->id), row->name, msg, msg_size);
    if (err == ERR_OK && remove_profile_file(path, msg, msg_size) != 0)
        err = ERR_SERVER_ERROR;
    free(path);
    return err;
}

/* Deletes the row found by id (name NULL) or by name. */
static aswg_err delete_profile(int64_t id, const char *name, char *msg, size_t msg_size)
{
    char *dir = profiles_dir(msg, msg_size);
    if (!dir)
        return ERR_SERVER_ERROR;
    named_row row = {0};
    aswg_err err = ERR_SERVER_ERROR;
    if (change_begin(msg, msg_size)) {
        db_result found = name ? named_rows_find_by_name(TABLE, name, &row)
                               : named_rows_find_by_id(TABLE, id, &row);
        err = db_err(found, "", msg, msg_size);
        if (err == ERR_OK)
            err = delete_locked(dir, &row, msg, msg_size);
        err = change_commit(err, msg, msg_size);
        change_end();
    }
    if (err == ERR_OK)
        log_info("difficulty profile '%s' deleted", row.name);
    free(dir);
    return err;
}

aswg_err difficulties_delete(int64_t id, char *msg, size_t msg_size)
{
    return delete_profile(id, NULL, msg, msg_size);
}

aswg_err difficulties_delete_by_name(const char *name, char *msg, size_t msg_size)
{
    if (!name_valid(name, msg, msg_size))
        return ERR_BAD_REQUEST;
    return delete_profile(0, name, msg, msg_size);
}

/* ---- reading ---- */

/* The options of p's file. One unreadable file must not hide the other profiles: it gets the
 * defaults and says why. -1 only when out of memory. */
static int read_options(const char *dir, difficulty_profile *p)
{
    char why[512];
    char *path = profile_path(dir, p->row.name, why, sizeof why);
    p->options = path ? difficulty_file_read(path, why, sizeof why) : NULL;
    if (!p->options) {
        p->file_error = strdup(why);
        p->options = difficulty_options_parse("", 0, why, sizeof why);
    }
    free(path);
    return p->options ? 0 : -1;
}

aswg_err difficulties_list(difficulty_profile **out, size_t *count, char *msg, size_t msg_size)
{
    *out = NULL;
    *count = 0;
    char *dir = profiles_dir(msg, msg_size);
    named_row *rows = NULL;
    size_t n = 0;
    if (!dir || named_rows_list(TABLE, &rows, &n) != DB_OK) {
        free(dir);
        return ERR_SERVER_ERROR;
    }
    difficulty_profile *list = calloc(n ? n : 1, sizeof *list);
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        list[i].row = rows[i];
        ok = read_options(dir, &list[i]) == 0;
    }
    free(rows);
    free(dir);
    if (!ok) {
        difficulty_profiles_free(list, n);
        return ERR_SERVER_ERROR;
    }
    *out = list;
    *count = n;
    return ERR_OK;
}

int difficulties_active_name(char *out, size_t out_size)
{
    named_row row;
    db_result r = named_rows_find_active(TABLE, &row);
    if (r != DB_OK && r != DB_NOT_FOUND)
        return -1;
    snprintf(out, out_size, "%s", r == DB_OK ? row.name : DIFFICULTY_DEFAULT_PROFILE);
    return 0;
}

void difficulties_startup(void)
{
    int64_t rows = 0;
    if (named_rows_count(TABLE, &rows) != DB_OK || rows > 0)
        return;
    difficulty_input player = {.name = DIFFICULTY_DEFAULT_PROFILE, .active = true, .active_given = true};
    char msg[512] = "";
    if (difficulties_add(&player, msg, sizeof msg) != ERR_OK)
        log_warn("cannot create the %s difficulty profile (tried again at the next start): %s",
                 DIFFICULTY_DEFAULT_PROFILE, msg[0] ? msg : "database error");
}

/* ---- DIFFICULTY_SCAN ---- */

typedef struct scan_state {
    const char *dir;
    json_t *imported, *skipped;
} scan_state;

/* Registers the profile name of the directory unless it has a row; appends what happened to the
 * lists. false on a database error. */
static bool scan_one(const char *name, void *ctx)
{
    scan_state *st = ctx;
    char *path = NULL, why[512];
    struct stat sb;
    if (asprintf(&path, "%s/%s/%s" DIFFICULTY_FILE_EXTENSION, st->dir, name, name) < 0)
        return false;
    named_row row;
    db_result known = DB_OK;
    json_t *options = NULL;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
        (known = named_rows_find_by_name(TABLE, name, &row)) == DB_NOT_FOUND) {
        const char *bad_name = name_problem(name);
        if (bad_name)
            json_array_append_new(st->skipped, json_sprintf("%s (the name %s)", name, bad_name));
        else if (!(options = difficulty_file_read(path, why, sizeof why)))
            json_array_append_new(st->skipped, json_sprintf("%s (%s)", name, why));
        else if ((known = named_rows_insert(TABLE, name, false, NULL)) == DB_OK)
            json_array_append_new(st->imported, json_string(name));
    }
    json_decref(options);
    free(path);
    return known != DB_ERROR;
}

static int visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

aswg_err difficulties_scan(json_t *imported, json_t *skipped, char *where, size_t where_size)
{
    char *dir = profiles_dir(where, where_size);
    if (!dir)
        return ERR_SERVER_ERROR;
    scan_state st = {dir, imported, skipped};
    pthread_mutex_lock(&g_lock);
    aswg_err err = dir_scan(dir, visible, scan_one, &st, where, where_size);
    pthread_mutex_unlock(&g_lock);
    if (err == ERR_OK && json_array_size(imported) > 0)
        log_info("DIFFICULTY_SCAN: %zu profile(s) imported from %s", json_array_size(imported), dir);
    free(dir);
    return err;
}
