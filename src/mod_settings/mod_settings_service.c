#include "mod_settings/mod_settings_service.h"

#include "core/config.h"
#include "core/dir_scan.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_names.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ACTIVE_STEM "cba_settings"
#define ACTIVE_FILE ACTIVE_STEM ".sqf"
#define EXTENSION ".sqf"
#define NAME_MAX_BYTES 64
/* The row ASWG gives a cba_settings.sqf it finds. */
#define IMPORTED_ACTIVE_NAME "default"

static const named_table *const TABLE = &MOD_SETTINGS_TABLE;

/* Changes (rows and files together) and scans one at a time. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- names and files ---- */

static const char *name_problem(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > NAME_MAX_BYTES)
        return "must be 1 to 64 bytes long";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "must not contain control characters";
    if (strpbrk(name, " \\/:*?\"<>|."))
        return "must not contain a space or any of \\ / : * ? \" < > | .";
    if (strcasecmp(name, ACTIVE_STEM) == 0)
        return "must not be " ACTIVE_STEM " (the file name of the active settings)";
    return NULL;
}

static bool name_valid(const char *name, char *msg, size_t msg_size)
{
    const char *why = name_problem(name);
    if (why)
        snprintf(msg, msg_size, "Field 'name' %s", why);
    return why == NULL;
}

static char *userconfig_dir(void)
{
    return fs_join(config_str("aswg.server-directory-path"), "userconfig");
}

/* userconfig/cba_settings.sqf for the active row, else userconfig/<normalised name>.sqf. */
static char *settings_path(const char *dir, const char *name, bool active)
{
    char *stem = active ? strdup(ACTIVE_STEM) : mission_normalize_file_name(name);
    char *path = NULL;
    if (stem && asprintf(&path, "%s/%s" EXTENSION, dir, stem) < 0)
        path = NULL;
    free(stem);
    return path;
}

/* Where row's file is now: where it belongs, or for the active row its own name while it was not
 * renamed to cba_settings.sqf yet (a crash in the middle of an activation). */
static char *located_path(const char *dir, const named_row *row)
{
    char *path = settings_path(dir, row->name, row->active);
    if (path && row->active && !fs_exists(path)) {
        char *own = settings_path(dir, row->name, false);
        if (own && fs_exists(own)) {
            free(path);
            return own;
        }
        free(own);
    }
    return path;
}

/* ---- renames that can be undone ---- */

typedef struct file_move {
    char *from, *to;
    bool done;
} file_move;

typedef struct move_plan {
    file_move moves[2];
    size_t count;
    bool failed;    /* out of memory while planning */
} move_plan;

/* Plans a rename (taking both strings); nothing to do when they are the same file. */
static void plan_move(move_plan *p, char *from, char *to)
{
    if (!from || !to || p->count == sizeof p->moves / sizeof p->moves[0]) {
        p->failed = true;
    } else if (strcmp(from, to) != 0) {
        p->moves[p->count++] = (file_move){from, to, false};
        return;
    }
    free(from);
    free(to);
}

static void plan_undo(move_plan *p)
{
    for (size_t i = p->count; i-- > 0;) {
        file_move *m = &p->moves[i];
        if (m->done && fs_rename_noreplace(m->to, m->from) != 0)
            log_error("mod settings: cannot move %s back to %s: %s", m->to, m->from, strerror(errno));
        m->done = false;
    }
}

/* Renames in order; a file that is missing (a row whose file went) is not moved. On failure the
 * renames done are undone. */
static aswg_err plan_run(move_plan *p, char *msg, size_t msg_size)
{
    if (p->failed) {
        snprintf(msg, msg_size, "out of memory");
        return ERR_SERVER_ERROR;
    }
    for (size_t i = 0; i < p->count; i++) {
        file_move *m = &p->moves[i];
        if (!fs_exists(m->from))
            continue;
        if (fs_rename_noreplace(m->from, m->to) != 0) {
            bool taken = errno == EEXIST;
            if (taken)
                snprintf(msg, msg_size, "%s exists already", m->to);
            else
                snprintf(msg, msg_size, "%s: cannot rename: %s", m->to, strerror(errno));
            plan_undo(p);
            return taken ? ERR_MOD_SETTINGS_ALREADY_EXISTS : ERR_SERVER_ERROR;
        }
        m->done = true;
    }
    return ERR_OK;
}

static void plan_free(move_plan *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->moves[i].from);
        free(p->moves[i].to);
    }
}

/* Whether a planned rename put a file at path. */
static bool plan_moved_to(const move_plan *p, const char *path)
{
    for (size_t i = 0; i < p->count; i++)
        if (p->moves[i].done && strcmp(p->moves[i].to, path) == 0)
            return true;
    return false;
}

/* ---- changes: under the lock, in one transaction ---- */

static aswg_err db_err(db_result r, const char *name, char *msg, size_t msg_size)
{
    if (r == DB_OK)
        return ERR_OK;
    if (r == DB_NOT_FOUND)
        return ERR_MOD_SETTINGS_NOT_FOUND;
    if (r == DB_CONFLICT) {
        snprintf(msg, msg_size, "Mod settings named '%s' (in any case) exist already", name);
        return ERR_MOD_SETTINGS_ALREADY_EXISTS;
    }
    snprintf(msg, msg_size, "database error");
    return ERR_SERVER_ERROR;
}

static bool input_valid(const mod_settings_input *in, aswg_err *err, char *msg, size_t msg_size)
{
    *err = ERR_BAD_REQUEST;
    if (in->name && !name_valid(in->name, msg, msg_size))
        return false;
    if (in->content && in->content_len > MOD_SETTINGS_CONTENT_MAX) {
        snprintf(msg, msg_size, "Field 'content' must be at most %ld bytes", MOD_SETTINGS_CONTENT_MAX);
        *err = ERR_PAYLOAD_TOO_LARGE;
        return false;
    }
    return true;
}

/* Writes the row's file at path. ours: path holds the row's own file (or nothing of anyone's);
 * otherwise a file there is one not imported yet, which is never overwritten. */
static aswg_err write_content(const char *path, bool ours, bool is_new, const mod_settings_input *in, char *msg,
                              size_t msg_size)
{
    if (!ours && fs_exists(path)) {
        snprintf(msg, msg_size, "%s exists already and is not managed (MOD_SETTINGS_SCAN imports it)", path);
        return ERR_MOD_SETTINGS_ALREADY_EXISTS;
    }
    if (!in->content && !is_new)
        return ERR_OK;
    const char *content = in->content ? in->content : "";
    if (fs_write_atomic(path, content, in->content ? in->content_len : 0, 0644) != 0) {
        snprintf(msg, msg_size, "%s: cannot write: %s", path, strerror(errno));
        return ERR_SERVER_ERROR;
    }
    return ERR_OK;
}

/* Saves row after (before: its stored state, NULL for a new row; after->id is set on insert):
 * the row, the renames of the files (the active row's, if after takes its place, and after's
 * own) and after's content. On failure the renames are undone. */
static aswg_err save_locked(const char *dir, const named_row *before, named_row *after,
                            const mod_settings_input *in, move_plan *plan, char *msg, size_t msg_size)
{
    named_row active;
    db_result found = after->active ? named_rows_find_active(TABLE, &active) : DB_NOT_FOUND;
    aswg_err err = found == DB_ERROR ? db_err(found, "", msg, msg_size) : ERR_OK;
    if (err == ERR_OK && found == DB_OK && active.id != after->id) {
        err = db_err(named_rows_deactivate_others(TABLE, after->id), after->name, msg, msg_size);
        plan_move(plan, located_path(dir, &active), settings_path(dir, active.name, false));
    }
    if (err == ERR_OK)
        err = db_err(before ? named_rows_update(TABLE, after->id, after->name, after->active)
                            : named_rows_insert(TABLE, after->name, after->active, &after->id),
                     after->name, msg, msg_size);
    char *to = settings_path(dir, after->name, after->active);
    char *from = before ? located_path(dir, before) : NULL;
    bool in_place = from && to && strcmp(from, to) == 0;
    if (before)
        plan_move(plan, from, to ? strdup(to) : NULL);
    else
        free(from);
    if (err == ERR_OK && (!to || fs_mkdirs(dir, 0755) != 0)) {
        snprintf(msg, msg_size, "%s: cannot create: %s", dir, strerror(errno));
        err = ERR_SERVER_ERROR;
    }
    if (err == ERR_OK)
        err = plan_run(plan, msg, msg_size);
    if (err == ERR_OK)
        err = write_content(to, in_place || plan_moved_to(plan, to), before == NULL, in, msg, msg_size);
    if (err != ERR_OK)
        plan_undo(plan);
    free(to);
    return err;
}

/* save_locked in a transaction; the renames are undone when the commit fails. */
static aswg_err save(const named_row *before, named_row *after, const mod_settings_input *in, char *msg,
                     size_t msg_size)
{
    char *dir = userconfig_dir();
    if (!dir)
        return ERR_SERVER_ERROR;
    move_plan plan = {0};
    aswg_err err = ERR_SERVER_ERROR;
    if (db_tx_begin() == 0) {
        err = save_locked(dir, before, after, in, &plan, msg, msg_size);
        if (err == ERR_OK && db_tx_commit() != 0) {
            plan_undo(&plan);
            snprintf(msg, msg_size, "database error");
            err = ERR_SERVER_ERROR;
        }
        if (err != ERR_OK)
            db_tx_rollback();
    }
    plan_free(&plan);
    free(dir);
    return err;
}

aswg_err mod_settings_add(const mod_settings_input *in, named_row *out, char *msg, size_t msg_size)
{
    aswg_err err;
    if (!in->name) {
        snprintf(msg, msg_size, "Field 'name' is required");
        return ERR_BAD_REQUEST;
    }
    if (!input_valid(in, &err, msg, msg_size))
        return err;
    *out = (named_row){.active = in->active};
    snprintf(out->name, sizeof out->name, "%s", in->name);
    pthread_mutex_lock(&g_lock);
    err = save(NULL, out, in, msg, msg_size);
    pthread_mutex_unlock(&g_lock);
    if (err == ERR_OK)
        log_info("mod settings '%s' added%s", out->name, out->active ? " as the active ones" : "");
    return err;
}

aswg_err mod_settings_update(int64_t id, const mod_settings_input *in, named_row *out, char *msg,
                             size_t msg_size)
{
    aswg_err err;
    if (!input_valid(in, &err, msg, msg_size))
        return err;
    named_row before;
    pthread_mutex_lock(&g_lock);
    err = db_err(named_rows_find_by_id(TABLE, id, &before), "", msg, msg_size);
    if (err == ERR_OK) {
        *out = before;
        if (in->name)
            snprintf(out->name, sizeof out->name, "%s", in->name);
        if (in->active_given)
            out->active = in->active;
        err = save(&before, out, in, msg, msg_size);
    }
    pthread_mutex_unlock(&g_lock);
    if (err == ERR_OK)
        log_info("mod settings %lld ('%s') saved%s", (long long)id, out->name, out->active ? ", active" : "");
    return err;
}

/* Deletes the row and its file; the file goes before the commit, so that a failure to delete it
 * keeps the row. */
static aswg_err delete_locked(int64_t id, named_row *row, char *msg, size_t msg_size)
{
    char *dir = userconfig_dir();
    aswg_err err = dir ? db_err(named_rows_find_by_id(TABLE, id, row), "", msg, msg_size) : ERR_SERVER_ERROR;
    if (err == ERR_OK)
        err = db_err(named_rows_delete(TABLE, id), row->name, msg, msg_size);
    char *path = err == ERR_OK ? located_path(dir, row) : NULL;
    if (err == ERR_OK && (!path || (unlink(path) != 0 && errno != ENOENT))) {
        snprintf(msg, msg_size, "%s: cannot delete: %s", path ? path : dir, strerror(errno));
        err = ERR_SERVER_ERROR;
    }
    free(path);
    free(dir);
    return err;
}

aswg_err mod_settings_delete(int64_t id, char *msg, size_t msg_size)
{
    named_row row;
    aswg_err err = ERR_SERVER_ERROR;
    pthread_mutex_lock(&g_lock);
    if (db_tx_begin() == 0) {
        err = delete_locked(id, &row, msg, msg_size);
        if (err == ERR_OK && db_tx_commit() != 0)
            err = ERR_SERVER_ERROR;
        if (err != ERR_OK)
            db_tx_rollback();
    }
    pthread_mutex_unlock(&g_lock);
    if (err == ERR_OK)
        log_info("mod settings '%s' deleted", row.name);
    return err;
}

/* ---- reading ---- */

aswg_err mod_settings_list(named_row **out, size_t *count)
{
    return named_rows_list(TABLE, out, count) == DB_OK ? ERR_OK : ERR_SERVER_ERROR;
}

aswg_err mod_settings_get(int64_t id, named_row *out)
{
    char msg[64];
    return db_err(named_rows_find_by_id(TABLE, id, out), "", msg, sizeof msg);
}

static aswg_err read_content(const char *path, char **content, size_t *len, char *msg, size_t msg_size)
{
    struct stat st;
    *content = NULL;
    *len = 0;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            snprintf(msg, msg_size, "%s: cannot read: %s", path, strerror(errno));
            return ERR_SERVER_ERROR;
        }
        *content = strdup(""); /* a row whose file went holds nothing */
        return *content ? ERR_OK : ERR_SERVER_ERROR;
    }
    if (st.st_size > MOD_SETTINGS_CONTENT_MAX) {
        snprintf(msg, msg_size, "%s is larger than %ld bytes: edit it on the server", path,
                 MOD_SETTINGS_CONTENT_MAX);
        return ERR_PAYLOAD_TOO_LARGE;
    }
    *content = fs_read_all(path, len);
    if (!*content) {
        snprintf(msg, msg_size, "%s: cannot read: %s", path, strerror(errno));
        return ERR_SERVER_ERROR;
    }
    return ERR_OK;
}

aswg_err mod_settings_content(int64_t id, char **content, size_t *content_len, char *msg, size_t msg_size)
{
    *content = NULL;
    *content_len = 0;
    char *dir = userconfig_dir();
    named_row row;
    pthread_mutex_lock(&g_lock); /* no activation renames the file away meanwhile */
    aswg_err err = dir ? db_err(named_rows_find_by_id(TABLE, id, &row), "", msg, msg_size) : ERR_SERVER_ERROR;
    char *path = err == ERR_OK ? located_path(dir, &row) : NULL;
    if (err == ERR_OK)
        err = path ? read_content(path, content, content_len, msg, msg_size) : ERR_SERVER_ERROR;
    pthread_mutex_unlock(&g_lock);
    free(path);
    free(dir);
    return err;
}

int mod_settings_any_active(bool *out)
{
    named_row row;
    db_result r = named_rows_find_active(TABLE, &row);
    *out = r == DB_OK;
    return r == DB_OK || r == DB_NOT_FOUND ? 0 : -1;
}

/* ---- MOD_SETTINGS_SCAN ---- */

typedef struct scan_state {
    const char *dir;
    bool have_active;
    json_t *imported, *skipped;
} scan_state;

/* The row name a file of userconfig stands for: <stem>.sqf or a name without a dot, normalised
 * as ASWG does; NULL for anything else (notes.txt, a temp file of an atomic write). */
static char *settings_name_of(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (file[0] == '.' || (dot && strcasecmp(dot, EXTENSION) != 0))
        return NULL;
    char *stem = strndup(file, dot ? (size_t)(dot - file) : strlen(file));
    char *name = stem ? mission_normalize_file_name(stem) : NULL;
    free(stem);
    return name;
}

/* Renames file to where row name's file belongs (when spelt otherwise) and inserts the row.
 * Returns 1 when imported, 0 when skipped, -1 on a database error. */
static int import_file(scan_state *st, const char *file, const char *name, bool active)
{
    char *from = fs_join(st->dir, file), *to = settings_path(st->dir, name, active);
    int rc = -1;
    bool renaming = from && to && strcmp(from, to) != 0;
    if (renaming && fs_rename_noreplace(from, to) != 0) {
        json_array_append_new(st->skipped, json_sprintf("%s (cannot be renamed to %s: %s)", file,
                                                        strrchr(to, '/') + 1, strerror(errno)));
        rc = 0;
    } else if (from && to) {
        rc = named_rows_insert(TABLE, name, active, NULL) == DB_OK ? 1 : -1;
        if (rc == 1)
            json_array_append_new(st->imported, json_sprintf("%s%s", name, active ? " (active)" : ""));
        else if (renaming && fs_rename_noreplace(to, from) != 0)
            log_error("mod settings: cannot move %s back to %s: %s", to, from, strerror(errno));
    }
    free(from);
    free(to);
    return rc;
}

/* CBA's own file: the active row's, or settings nobody imported yet, which CBA uses: they become
 * the active row "default". */
static int scan_cba_file(scan_state *st, const char *file)
{
    named_row row;
    if (st->have_active)
        return 0;
    db_result known = named_rows_find_by_name(TABLE, IMPORTED_ACTIVE_NAME, &row);
    if (known == DB_OK)
        json_array_append_new(st->skipped,
                              json_sprintf("%s (a row named " IMPORTED_ACTIVE_NAME " exists already)", file));
    if (known != DB_NOT_FOUND)
        return known == DB_OK ? 0 : -1;
    int rc = import_file(st, file, IMPORTED_ACTIVE_NAME, true);
    st->have_active = rc == 1;
    return rc;
}

/* Imports one entry of userconfig if it is a settings file without a row. false on a database
 * error. */
static bool scan_file(const char *file, void *ctx)
{
    scan_state *st = ctx;
    char *path = fs_join(st->dir, file), *name = settings_name_of(file);
    struct stat sb;
    int rc = 0;
    if (!path || !name || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = path ? 0 : -1;
    } else if (strcmp(name, ACTIVE_STEM) == 0) {
        rc = scan_cba_file(st, file);
    } else {
        named_row row;
        db_result known = named_rows_find_by_name(TABLE, name, &row);
        const char *bad = known == DB_NOT_FOUND ? name_problem(name) : NULL;
        if (bad)
            json_array_append_new(st->skipped, json_sprintf("%s (the name %s)", file, bad));
        else if (known == DB_NOT_FOUND)
            rc = import_file(st, file, name, false);
        else if (known == DB_ERROR)
            rc = -1;
    }
    free(path);
    free(name);
    return rc >= 0;
}

aswg_err mod_settings_scan(json_t *imported, json_t *skipped, char *where, size_t where_size)
{
    char *dir = userconfig_dir();
    if (!dir)
        return ERR_SERVER_ERROR;
    named_row active;
    aswg_err err = ERR_SERVER_ERROR;
    pthread_mutex_lock(&g_lock);
    db_result found = named_rows_find_active(TABLE, &active);
    scan_state st = {dir, found == DB_OK, imported, skipped};
    if (found == DB_ERROR)
        snprintf(where, where_size, "database error");
    else
        err = dir_scan(dir, NULL, scan_file, &st, where, where_size);
    pthread_mutex_unlock(&g_lock);
    if (err == ERR_OK && json_array_size(imported) > 0)
        log_info("MOD_SETTINGS_SCAN: %zu settings file(s) imported from %s", json_array_size(imported), dir);
    free(dir);
    return err;
}
