#include "missions/mission_service.h"

#include "core/app_state.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_files.h"
#include "missions/mission_meta.h"
#include "missions/mission_names.h"
#include "missions/pbo.h"
#include "missions/vanilla.h"
#include "server/server_cfg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define VANILLA_IMPORTED_KEY "vanilla_missions_imported"

static atomic_uint_fast64_t g_generation = 1;

uint64_t missions_generation(void)
{
    return atomic_load(&g_generation);
}
#define MISSION_NAME_MAX 255

static aswg_err from_db(db_result r, aswg_err not_found)
{
    switch (r) {
    case DB_OK: return ERR_OK;
    case DB_NOT_FOUND: return not_found;
    case DB_CONFLICT: return ERR_MISSION_ALREADY_EXISTS;
    case DB_ERROR: break;
    }
    return ERR_SERVER_ERROR;
}

static void replace_string(char **field, const char *value)
{
    char *copy = value ? strdup(value) : NULL;
    free(*field);
    *field = copy;
}

/* ---- validation ---- */

/* RECRUIT, REGULAR, VETERAN or CUSTOM in any case; NULL means REGULAR. */
static bool normalize_difficulty(const char *in, const char **out, char *msg, size_t msg_size)
{
    static const char *const NAMES[] = {"RECRUIT", "REGULAR", "VETERAN", "CUSTOM"};
    if (!in) {
        *out = "REGULAR";
        return true;
    }
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
        if (strcasecmp(in, NAMES[i]) == 0) {
            *out = NAMES[i];
            return true;
        }
    }
    snprintf(msg, msg_size, "Unknown difficulty '%.40s' (RECRUIT, REGULAR, VETERAN or CUSTOM)", in);
    return false;
}

/* A parameter value as text: strings as they are, numbers and booleans written out. */
static char *param_value_text(json_t *value)
{
    if (json_is_string(value))
        return strdup(json_string_value(value));
    if (json_is_integer(value) || json_is_real(value) || json_is_boolean(value))
        return json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    return NULL;
}

/* Checks [{"name","value"}] and turns it into the stored JSON text (NULL when empty). */
static bool normalize_parameters(json_t *in, char **out, char *msg, size_t msg_size)
{
    *out = NULL;
    if (!in || json_array_size(in) == 0)
        return true;
    json_t *clean = json_array();
    size_t i;
    json_t *p;
    bool ok = true;
    json_array_foreach(in, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        char *value = param_value_text(json_object_get(p, "value"));
        if (!name || !mission_param_name_valid(name)) {
            snprintf(msg, msg_size, "Field 'parameters[%zu].name' must be a name of letters, digits and '_'", i);
            ok = false;
        } else if (!value) {
            snprintf(msg, msg_size, "Field 'parameters[%zu].value' must be a string or a number", i);
            ok = false;
        }
        for (size_t j = 0; ok && j < json_array_size(clean); j++) {
            if (strcasecmp(json_string_value(json_object_get(json_array_get(clean, j), "name")), name) == 0) {
                snprintf(msg, msg_size, "Parameter '%s' is listed twice", name);
                ok = false;
            }
        }
        if (ok)
            json_array_append_new(clean, json_pack("{s:s, s:s}", "name", name, "value", value));
        free(value);
        if (!ok)
            break;
    }
    if (ok)
        *out = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    return ok;
}

static bool valid_name(const char *name, char *msg, size_t msg_size)
{
    size_t len = strlen(name);
    if (len > 0 && len <= MISSION_NAME_MAX)
        return true;
    snprintf(msg, msg_size, "Field 'name' must be 1 to %d bytes", MISSION_NAME_MAX);
    return false;
}

/* ---- server.cfg ---- */

/* Writes class Missions from the enabled rows, in rotation order. */
static aswg_err sync_server_cfg(char *msg, size_t msg_size)
{
    mission_record *rows;
    size_t count;
    if (mission_repo_list(&rows, &count) != DB_OK)
        return ERR_SERVER_ERROR;
    cfg_mission *entries = calloc(count ? count : 1, sizeof *entries);
    json_t **params = calloc(count ? count : 1, sizeof *params);
    size_t n = 0;
    for (size_t i = 0; entries && params && i < count && rows[i].enabled; i++, n++) {
        params[n] = rows[i].parameters ? json_loads(rows[i].parameters, 0, NULL) : NULL;
        entries[n] = (cfg_mission){rows[i].tpl, rows[i].difficulty, params[n]};
    }
    aswg_err err = ERR_OK;
    if (!entries || !params)
        err = ERR_SERVER_ERROR;
    else if (server_cfg_write_missions(entries, n, msg, msg_size) != 0)
        err = ERR_SERVER_CONFIG_INVALID;
    if (err != ERR_OK)
        log_error("server.cfg not updated: %s", msg);
    for (size_t i = 0; params && i < n; i++)
        json_decref(params[i]);
    free(params);
    free(entries);
    mission_records_free(rows, count);
    return err;
}

/* Ends the transaction a change runs in: with sync, server.cfg is rewritten first and the
 * change is rolled back if that fails, so the database and the file never disagree. */
static aswg_err end_change(aswg_err err, bool sync, char *msg, size_t msg_size)
{
    if (err == ERR_OK && sync)
        err = sync_server_cfg(msg, msg_size);
    if (err == ERR_OK && db_tx_commit() != 0)
        err = ERR_SERVER_ERROR;
    if (err != ERR_OK)
        db_tx_rollback();
    else
        atomic_fetch_add(&g_generation, 1); /* after the commit, so a reader never caches stale rows as new */
    return err;
}

static aswg_err begin_change(void)
{
    return db_tx_begin() == 0 ? ERR_OK : ERR_SERVER_ERROR;
}

/* ---- listing and the rotation ---- */

aswg_err missions_list(mission_record **out, size_t *count)
{
    return from_db(mission_repo_list(out, count), ERR_SERVER_ERROR);
}

/* Enables row m at position order with the optional changes of in. */
static aswg_err enable_one(mission_record *m, int64_t order, const mission_input *in, char *msg,
                           size_t msg_size)
{
    if (in) {
        const char *difficulty;
        char *parameters = NULL;
        if ((in->name && !valid_name(in->name, msg, msg_size)) ||
            !normalize_difficulty(in->difficulty ? in->difficulty : m->difficulty, &difficulty, msg, msg_size) ||
            (in->parameters && !normalize_parameters(in->parameters, &parameters, msg, msg_size)))
            return ERR_BAD_REQUEST;
        if (in->name)
            replace_string(&m->name, in->name);
        replace_string(&m->difficulty, difficulty);
        if (in->parameters) {
            free(m->parameters);
            m->parameters = parameters;
        }
    }
    m->enabled = true;
    m->rotation_order = order;
    return from_db(mission_repo_update(m), ERR_MISSION_NOT_FOUND);
}

/* Shared by both body shapes: templates[i] (and items[i] when given) in rotation order. */
static aswg_err enable_in_order(const char *const *templates, const mission_input *items, size_t count,
                                char *msg, size_t msg_size)
{
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(templates[i], templates[j]) == 0) {
                snprintf(msg, msg_size, "Mission '%.255s' is listed twice", templates[i]);
                return ERR_BAD_REQUEST;
            }
        }
    }
    aswg_err err = begin_change();
    if (err == ERR_OK && mission_repo_disable_all() != DB_OK)
        err = ERR_SERVER_ERROR;
    for (size_t i = 0; err == ERR_OK && i < count; i++) {
        mission_record m;
        db_result found = mission_repo_find_by_template(templates[i], &m);
        if (found == DB_NOT_FOUND) {
            snprintf(msg, msg_size, "Unknown mission template '%.255s'", templates[i]);
            err = ERR_BAD_REQUEST;
            break;
        }
        err = found == DB_OK ? enable_one(&m, (int64_t)i + 1, items ? &items[i] : NULL, msg, msg_size)
                             : ERR_SERVER_ERROR;
        mission_record_clear(&m);
    }
    return end_change(err, true, msg, msg_size);
}

aswg_err missions_enable_templates(json_t *templates, char *msg, size_t msg_size)
{
    size_t count = json_array_size(templates);
    const char **list = calloc(count ? count : 1, sizeof *list);
    if (!list)
        return ERR_SERVER_ERROR;
    for (size_t i = 0; i < count; i++)
        list[i] = json_string_value(json_array_get(templates, i));
    aswg_err err = enable_in_order(list, NULL, count, msg, msg_size);
    free(list);
    return err;
}

aswg_err missions_enable_list(const mission_input *items, size_t count, char *msg, size_t msg_size)
{
    /* Items sent with "enabled": false are not part of the rotation. */
    const char **list = calloc(count ? count : 1, sizeof *list);
    mission_input *kept = calloc(count ? count : 1, sizeof *kept);
    size_t n = 0;
    for (size_t i = 0; list && kept && i < count; i++) {
        if (items[i].enabled_given && !items[i].enabled)
            continue;
        list[n] = items[i].tpl;
        kept[n++] = items[i];
    }
    aswg_err err = list && kept ? enable_in_order(list, kept, n, msg, msg_size) : ERR_SERVER_ERROR;
    free(list);
    free(kept);
    return err;
}

/* ---- single missions ---- */

aswg_err missions_add_template(const char *name, const char *tpl, char *msg, size_t msg_size)
{
    if (!mission_template_valid(tpl, msg, msg_size) || !valid_name(name ? name : tpl, msg, msg_size))
        return ERR_BAD_REQUEST;
    mission_record m = {0};
    m.name = strdup(name ? name : tpl);
    m.tpl = strdup(tpl);
    m.difficulty = strdup("REGULAR");
    m.source = strdup("TEMPLATE");
    m.world_name = mission_world_from_name(tpl);
    aswg_err err = begin_change();
    if (err == ERR_OK)
        err = from_db(mission_repo_insert(&m, NULL), ERR_SERVER_ERROR);
    mission_record_clear(&m);
    err = end_change(err, false, msg, msg_size);
    if (err == ERR_OK)
        log_info("added mission template '%s'", tpl);
    return err;
}

aswg_err missions_delete_template(const char *tpl, char *msg, size_t msg_size)
{
    mission_record m;
    aswg_err err = begin_change();
    if (err != ERR_OK)
        return err;
    err = from_db(mission_repo_find_by_template(tpl, &m), ERR_MISSION_NOT_FOUND);
    if (err != ERR_OK)
        return end_change(err, false, msg, msg_size);
    err = from_db(mission_repo_delete(m.id), ERR_MISSION_NOT_FOUND);
    err = end_change(err, m.enabled, msg, msg_size);
    /* The file goes only once the row is gone for good: a failed delete leaves both. */
    if (err == ERR_OK && m.file_name && mission_files_delete(m.file_name) != 0 && errno != ENOENT)
        log_warn("mission '%s' deleted, but not its file %s: %s", tpl, m.file_name, strerror(errno));
    if (err == ERR_OK)
        log_info("deleted mission '%s'", tpl);
    mission_record_clear(&m);
    return err;
}

/* Applies the fields given in in to m; false (msg set) when one is invalid. */
static bool apply_input(mission_record *m, const mission_input *in, char *msg, size_t msg_size)
{
    const char *difficulty;
    char *parameters = NULL;
    if ((in->name && !valid_name(in->name, msg, msg_size)) ||
        (in->tpl && !mission_template_valid(in->tpl, msg, msg_size)) ||
        !normalize_difficulty(in->difficulty ? in->difficulty : m->difficulty, &difficulty, msg, msg_size) ||
        !normalize_parameters(in->parameters, &parameters, msg, msg_size))
        return false;
    if (in->name)
        replace_string(&m->name, in->name);
    if (in->tpl && strcmp(in->tpl, m->tpl) != 0) {
        replace_string(&m->tpl, in->tpl);
        free(m->world_name);
        m->world_name = mission_world_from_name(in->tpl);
    }
    replace_string(&m->difficulty, difficulty);
    free(m->parameters);
    m->parameters = parameters;
    return true;
}

aswg_err missions_update(int64_t id, const mission_input *in, char *msg, size_t msg_size)
{
    mission_record m;
    aswg_err err = begin_change();
    if (err != ERR_OK)
        return err;
    err = from_db(mission_repo_find_by_id(id, &m), ERR_MISSION_NOT_FOUND);
    if (err != ERR_OK)
        return end_change(err, false, msg, msg_size);
    bool was_enabled = m.enabled;
    if (!apply_input(&m, in, msg, msg_size))
        err = ERR_BAD_REQUEST;
    if (err == ERR_OK && in->enabled_given && in->enabled != was_enabled) {
        m.enabled = in->enabled;
        if (m.enabled && mission_repo_next_order(&m.rotation_order) != DB_OK)
            err = ERR_SERVER_ERROR;
    }
    if (err == ERR_OK)
        err = from_db(mission_repo_update(&m), ERR_MISSION_NOT_FOUND);
    if (err == ERR_MISSION_ALREADY_EXISTS)
        snprintf(msg, msg_size, "Another mission already has template '%.255s'", m.tpl);
    mission_record_clear(&m);
    return end_change(err, was_enabled || in->enabled, msg, msg_size);
}

/* ---- files ---- */

aswg_err missions_file_exists(const char *file_name, bool *exists, char *msg, size_t msg_size)
{
    char *name = mission_normalize_file_name(file_name);
    if (!name)
        return ERR_SERVER_ERROR;
    aswg_err err = ERR_OK;
    struct stat st;
    if (!fs_is_safe_name(name)) {
        snprintf(msg, msg_size, "'%.255s' is not a file name", file_name);
        err = ERR_BAD_REQUEST;
    } else {
        *exists = mission_files_stat(name, &st) == 0;
    }
    free(name);
    return err;
}

aswg_err missions_open_file(int64_t id, int *fd, uint64_t *size, char **file_name)
{
    mission_record m;
    aswg_err err = from_db(mission_repo_find_by_id(id, &m), ERR_MISSION_NOT_FOUND);
    if (err != ERR_OK)
        return err;
    *fd = m.file_name ? mission_files_open(m.file_name, size) : -1;
    if (*fd < 0) {
        err = ERR_MISSION_NOT_FOUND;
    } else {
        *file_name = m.file_name;
        m.file_name = NULL;
    }
    mission_record_clear(&m);
    return err;
}

/* Copies what the PBO told about itself into the row. */
static void apply_meta(mission_record *m, const mission_meta *meta)
{
    replace_string(&m->world_name, meta->world_name);
    replace_string(&m->briefing_name, meta->briefing_name);
    replace_string(&m->on_load_name, meta->on_load_name);
    free(m->available_parameters);
    m->available_parameters = meta->parameters ? json_dumps(meta->parameters, JSON_COMPACT) : NULL;
}

static void apply_file_info(mission_record *m, const char *file_name, const struct stat *st)
{
    replace_string(&m->file_name, file_name);
    m->size_bytes = (int64_t)st->st_size;
    m->file_mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Inserts or refreshes the row of a mission file that is in place (upload or scan). A row that
 * already has this template (a template added by hand, a vanilla one) gets the file. */
static aswg_err upsert_file_row(const char *file_name, const char *tpl, const struct stat *st,
                                const mission_meta *meta, bool *added)
{
    mission_record m;
    db_result found = mission_repo_find_by_template(tpl, &m);
    if (found == DB_ERROR)
        return ERR_SERVER_ERROR;
    *added = found == DB_NOT_FOUND;
    if (*added) {
        memset(&m, 0, sizeof m);
        m.name = strdup(tpl);
        m.tpl = strdup(tpl);
        m.difficulty = strdup("REGULAR");
        m.source = strdup("FILE");
    }
    apply_file_info(&m, file_name, st);
    apply_meta(&m, meta);
    db_result r = *added ? mission_repo_insert(&m, NULL) : mission_repo_update(&m);
    mission_record_clear(&m);
    return from_db(r, ERR_MISSION_NOT_FOUND);
}

/* ---- uploads ---- */

typedef struct upload_file {
    char *file_name;    /* normalised name in mpmissions */
    char *tpl;
    char *tmp;          /* temp file, until committed */
    int fd;
    uint64_t size;
    bool committed;
    bool replaced;      /* an existing file was overwritten (nothing to undo) */
    mission_meta meta;
    struct stat st;
} upload_file;

struct mission_upload {
    upload_file *files;
    size_t count, cap;
    char overwrite[8];
    size_t overwrite_len;
};

mission_upload *missions_upload_new(void)
{
    return calloc(1, sizeof(mission_upload));
}

static upload_file *current_file(mission_upload *up)
{
    return up->count ? &up->files[up->count - 1] : NULL;
}

static aswg_err check_upload_name(mission_upload *up, const char *original, char **name_out,
                                  char **tpl_out, char *msg, size_t msg_size)
{
    if (!mission_is_pbo_name(original)) {
        snprintf(msg, msg_size, "Filetype not allowed: '%.200s' is not a .pbo file", original);
        return ERR_NOT_ALLOWED_FILE_TYPE;
    }
    char *name = mission_normalize_file_name(original);
    char *tpl = mission_template_from_file_name(original);
    aswg_err err = ERR_OK;
    char why[160];
    if (!name || !tpl) {
        err = ERR_SERVER_ERROR;
    } else if (name[0] == '.' || !fs_is_safe_name(name) || !mission_template_valid(tpl, why, sizeof why)) {
        snprintf(msg, msg_size, "'%.200s' cannot be used as a mission file name", original);
        err = ERR_BAD_REQUEST;
    }
    for (size_t i = 0; err == ERR_OK && i < up->count; i++) {
        if (strcmp(up->files[i].file_name, name) == 0) {
            snprintf(msg, msg_size, "'%.200s' is uploaded twice", name);
            err = ERR_BAD_REQUEST;
        }
    }
    if (err != ERR_OK) {
        free(name);
        free(tpl);
        return err;
    }
    *name_out = name;
    *tpl_out = tpl;
    return ERR_OK;
}

aswg_err missions_upload_begin_file(mission_upload *up, const char *file_name, char *msg, size_t msg_size)
{
    char *name, *tpl;
    aswg_err err = check_upload_name(up, file_name, &name, &tpl, msg, msg_size);
    if (err != ERR_OK)
        return err;
    if (up->count == up->cap) {
        size_t cap = up->cap ? up->cap * 2 : 4;
        upload_file *bigger = realloc(up->files, cap * sizeof *bigger);
        if (!bigger) {
            free(name);
            free(tpl);
            return ERR_SERVER_ERROR;
        }
        up->files = bigger;
        up->cap = cap;
    }
    upload_file *f = &up->files[up->count];
    memset(f, 0, sizeof *f);
    f->file_name = name;
    f->tpl = tpl;
    f->fd = mission_files_prepare() == 0 ? mission_files_create_temp(&f->tmp) : -1;
    up->count++;
    if (f->fd < 0) {
        snprintf(msg, msg_size, "Cannot store the upload: %s", strerror(errno));
        return errno == ENOSPC || errno == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_SERVER_ERROR;
    }
    return ERR_OK;
}

static aswg_err io_error(void)
{
    return errno == ENOSPC || errno == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_SERVER_ERROR;
}

aswg_err missions_upload_write(mission_upload *up, const char *data, size_t size)
{
    upload_file *f = current_file(up);
    if (!f || f->fd < 0)
        return ERR_SERVER_ERROR;
    while (size > 0) {
        ssize_t n = write(f->fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error();
        data += n;
        size -= (size_t)n;
        f->size += (uint64_t)n;
    }
    return ERR_OK;
}

void missions_upload_overwrite_text(mission_upload *up, const char *data, size_t size)
{
    for (size_t i = 0; i < size && up->overwrite_len + 1 < sizeof up->overwrite; i++)
        up->overwrite[up->overwrite_len++] = data[i];
    up->overwrite[up->overwrite_len] = '\0';
}

/* Makes a received file durable and checks it is a PBO; reads its metadata. */
static aswg_err verify_file(upload_file *f, char *msg, size_t msg_size)
{
    if (fsync(f->fd) != 0)
        return io_error();
    pbo header;
    pbo_result r = pbo_read_header(f->fd, f->size, &header);
    pbo_free(&header);
    if (r == PBO_NOT_A_PBO) {
        snprintf(msg, msg_size, "'%.200s' is not a PBO archive", f->file_name);
        return ERR_NOT_A_PBO;
    }
    if (r != PBO_OK || fstat(f->fd, &f->st) != 0)
        return ERR_SERVER_ERROR;
    mission_meta_read(f->tmp, f->file_name, &f->meta);
    return ERR_OK;
}

static aswg_err check_conflicts(mission_upload *up, bool overwrite, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < up->count; i++) {
        struct stat st;
        up->files[i].replaced = mission_files_stat(up->files[i].file_name, &st) == 0;
        if (up->files[i].replaced && !overwrite) {
            snprintf(msg, msg_size, "Mission file '%.200s' already exists", up->files[i].file_name);
            return ERR_MISSION_ALREADY_EXISTS;
        }
    }
    return ERR_OK;
}

/* Renames every file into place and writes its row, in one transaction. */
static aswg_err put_in_place(mission_upload *up, bool overwrite, char *msg, size_t msg_size)
{
    aswg_err err = begin_change();
    for (size_t i = 0; err == ERR_OK && i < up->count; i++) {
        upload_file *f = &up->files[i];
        if (mission_files_commit(f->tmp, f->file_name, overwrite) != 0) {
            err = errno == EEXIST ? ERR_MISSION_ALREADY_EXISTS : io_error();
            snprintf(msg, msg_size, "Cannot store '%.200s': %s", f->file_name, strerror(errno));
            break;
        }
        f->committed = true;
        bool added;
        err = upsert_file_row(f->file_name, f->tpl, &f->st, &f->meta, &added);
    }
    err = end_change(err, false, msg, msg_size);
    for (size_t i = 0; err != ERR_OK && i < up->count; i++) {
        if (up->files[i].committed && !up->files[i].replaced)
            mission_files_delete(up->files[i].file_name); /* undo: no file without its row */
    }
    return err;
}

aswg_err missions_upload_commit(mission_upload *up, char *msg, size_t msg_size)
{
    if (up->count == 0) {
        snprintf(msg, msg_size, "No mission file in the upload (multipart part 'file')");
        return ERR_BAD_REQUEST;
    }
    bool overwrite = strcasecmp(up->overwrite, "true") == 0;
    aswg_err err = ERR_OK;
    for (size_t i = 0; err == ERR_OK && i < up->count; i++)
        err = verify_file(&up->files[i], msg, msg_size);
    if (err == ERR_OK)
        err = check_conflicts(up, overwrite, msg, msg_size);
    if (err == ERR_OK)
        err = put_in_place(up, overwrite, msg, msg_size);
    for (size_t i = 0; err == ERR_OK && i < up->count; i++)
        log_info("mission file %s uploaded (%llu bytes)", up->files[i].file_name,
                 (unsigned long long)up->files[i].size);
    return err;
}

void missions_upload_free(mission_upload *up)
{
    if (!up)
        return;
    for (size_t i = 0; i < up->count; i++) {
        upload_file *f = &up->files[i];
        if (f->fd >= 0)
            close(f->fd);
        if (f->tmp && !f->committed)
            unlink(f->tmp);
        free(f->tmp);
        free(f->file_name);
        free(f->tpl);
        mission_meta_free(&f->meta);
    }
    free(up->files);
    free(up);
}

/* ---- scanner ---- */

typedef struct scanned_file {
    char *name;
    struct stat st;
} scanned_file;

typedef struct scan_list {
    scanned_file *files;
    size_t count, cap;
    bool failed;
} scan_list;

static void collect_file(const char *name, const struct stat *st, void *arg)
{
    scan_list *list = arg;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 256;
        scanned_file *bigger = realloc(list->files, cap * sizeof *bigger);
        if (!bigger) {
            list->failed = true;
            return;
        }
        list->files = bigger;
        list->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        list->failed = true;
        return;
    }
    list->files[list->count++] = (scanned_file){copy, *st};
}

static int compare_scanned(const void *a, const void *b)
{
    return strcmp(((const scanned_file *)a)->name, ((const scanned_file *)b)->name);
}

static const scanned_file *find_scanned(const scan_list *list, const char *name)
{
    scanned_file key = {(char *)name, {0}};
    return bsearch(&key, list->files, list->count, sizeof key, compare_scanned);
}

static bool file_changed(const mission_record *m, const scanned_file *f)
{
    int64_t mtime = (int64_t)f->st.st_mtim.tv_sec * 1000000000 + f->st.st_mtim.tv_nsec;
    return !m->file_name || strcmp(m->file_name, f->name) != 0 || m->size_bytes != f->st.st_size ||
           m->file_mtime != mtime;
}

/* Adds rows for new files and refreshes changed ones. */
static aswg_err scan_files(const scan_list *list, mission_scan_result *result)
{
    char *dir = mission_dir();
    aswg_err err = dir ? ERR_OK : ERR_SERVER_ERROR;
    for (size_t i = 0; err == ERR_OK && i < list->count; i++) {
        const scanned_file *f = &list->files[i];
        /* The template is the file name as it is on disk: Arma on Linux needs the exact case. */
        char *tpl = strndup(f->name, strlen(f->name) - 4);
        mission_record m;
        db_result found = tpl ? mission_repo_find_by_template(tpl, &m) : DB_ERROR;
        if (found == DB_ERROR) {
            err = ERR_SERVER_ERROR;
        } else if (found == DB_NOT_FOUND || file_changed(&m, f)) {
            mission_meta meta = {0};
            char *path = fs_join(dir, f->name);
            if (path)
                mission_meta_read(path, f->name, &meta);
            free(path);
            bool added;
            err = upsert_file_row(f->name, tpl, &f->st, &meta, &added);
            mission_meta_free(&meta);
            *(added ? &result->added : &result->updated) += 1;
        }
        if (found == DB_OK)
            mission_record_clear(&m);
        free(tpl);
    }
    free(dir);
    return err;
}

/* Removes FILE rows whose file is gone; TEMPLATE and VANILLA rows only lose the file details. */
static aswg_err scan_rows(const scan_list *list, mission_scan_result *result, bool *sync)
{
    mission_record *rows;
    size_t count;
    if (mission_repo_list(&rows, &count) != DB_OK)
        return ERR_SERVER_ERROR;
    aswg_err err = ERR_OK;
    for (size_t i = 0; err == ERR_OK && i < count; i++) {
        mission_record *m = &rows[i];
        if (!m->file_name || find_scanned(list, m->file_name))
            continue;
        if (strcmp(m->source, "FILE") == 0) {
            err = from_db(mission_repo_delete(m->id), ERR_OK);
            result->removed++;
            *sync |= m->enabled;
        } else {
            replace_string(&m->file_name, NULL);
            m->size_bytes = 0;
            m->file_mtime = 0;
            err = from_db(mission_repo_update(m), ERR_OK);
        }
    }
    mission_records_free(rows, count);
    return err;
}

aswg_err missions_scan(mission_scan_result *result, char *msg, size_t msg_size)
{
    memset(result, 0, sizeof *result);
    scan_list list = {0};
    if (mission_files_each(collect_file, &list) != 0 || list.failed) {
        snprintf(msg, msg_size, "cannot read the missions directory: %s", strerror(errno));
        for (size_t i = 0; i < list.count; i++)
            free(list.files[i].name);
        free(list.files);
        return ERR_SERVER_ERROR;
    }
    qsort(list.files, list.count, sizeof *list.files, compare_scanned);
    bool sync = false;
    aswg_err err = begin_change();
    if (err == ERR_OK)
        err = scan_files(&list, result);
    if (err == ERR_OK)
        err = scan_rows(&list, result, &sync);
    err = end_change(err, sync, msg, msg_size);
    for (size_t i = 0; i < list.count; i++)
        free(list.files[i].name);
    free(list.files);
    return err;
}

/* ---- start-up ---- */

static int import_vanilla(void)
{
    int imported = 0;
    for (size_t i = 0; i < VANILLA_MISSION_COUNT; i++) {
        mission_record m;
        db_result found = mission_repo_find_by_template(VANILLA_MISSIONS[i].tpl, &m);
        if (found == DB_OK) {
            mission_record_clear(&m);
            continue;
        }
        if (found == DB_ERROR)
            return -1;
        m = (mission_record){0};
        m.name = strdup(VANILLA_MISSIONS[i].name);
        m.tpl = strdup(VANILLA_MISSIONS[i].tpl);
        m.difficulty = strdup("REGULAR");
        m.source = strdup("VANILLA");
        m.world_name = mission_world_from_name(VANILLA_MISSIONS[i].tpl);
        db_result r = mission_repo_insert(&m, NULL);
        mission_record_clear(&m);
        if (r != DB_OK)
            return -1;
        imported++;
    }
    return imported;
}

int missions_startup(char *err, size_t err_size)
{
    int stale = mission_files_remove_stale_uploads();
    if (stale > 0)
        log_info("removed %d unfinished upload(s) from the missions directory", stale);
    bool done = false;
    if (app_state_has(VANILLA_IMPORTED_KEY, &done) != DB_OK) {
        snprintf(err, err_size, "cannot read the application state");
        return -1;
    }
    if (done && !config_bool("aswg.vanilla-missions-importer.enabled"))
        return 0;
    int imported = -1;
    if (db_tx_begin() == 0) {
        imported = import_vanilla();
        if (imported >= 0 && app_state_set(VANILLA_IMPORTED_KEY, "true") == DB_OK && db_tx_commit() == 0) {
            if (imported > 0)
                log_info("imported %d vanilla missions", imported);
            return 0;
        }
        db_tx_rollback();
    }
    snprintf(err, err_size, "cannot import the vanilla missions");
    return -1;
}
