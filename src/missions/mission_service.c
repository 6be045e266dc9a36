#include "missions/mission_internal.h"

#include "core/app_state.h"
#include "missions/vanilla.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_files.h"
#include "missions/mission_meta.h"
#include "missions/mission_names.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define VANILLA_IMPORTED_KEY "vanilla_missions_imported"
#define MISSION_NAME_MAX 255

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

static bool blank(const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    return !s || !*s;
}

/* Checks [{"name","value"}] and turns it into the stored JSON text (NULL when empty). Entries
 * without a name are dropped, as ASWG does (its editor sends the rows left empty). */
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
        if (json_is_object(p) && blank(name))
            continue;
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

/* ---- listing and the rotation ---- */

aswg_err missions_list(mission_record **out, size_t *count)
{
    return missions_from_db(mission_repo_list(out, count), ERR_SERVER_ERROR);
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
            missions_replace_string(&m->name, in->name);
        missions_replace_string(&m->difficulty, difficulty);
        if (in->parameters) {
            free(m->parameters);
            m->parameters = parameters;
        }
    }
    m->enabled = true;
    m->rotation_order = order;
    return missions_from_db(mission_repo_update(m), ERR_MISSION_NOT_FOUND);
}

/* Shared by both body shapes: templates[i] (and items[i] when given) in rotation order. An
 * unknown template is skipped, as ASWG does: a page opened before the missions scanner removed a
 * mission still saves the rest of its rotation. */
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
    aswg_err err = missions_begin_change();
    if (err == ERR_OK && mission_repo_disable_all() != DB_OK)
        err = ERR_SERVER_ERROR;
    int64_t order = 0;
    for (size_t i = 0; err == ERR_OK && i < count; i++) {
        mission_record m;
        db_result found = mission_repo_find_by_template(templates[i], &m);
        if (found == DB_NOT_FOUND) {
            log_info("rotation: no mission '%.255s', skipped", templates[i]);
            continue;
        }
        err = found == DB_OK ? enable_one(&m, ++order, items ? &items[i] : NULL, msg, msg_size) : ERR_SERVER_ERROR;
        mission_record_clear(&m);
    }
    return missions_end_change(err, true, msg, msg_size);
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
    aswg_err err = missions_begin_change();
    if (err == ERR_OK)
        err = missions_from_db(mission_repo_insert(&m, NULL), ERR_SERVER_ERROR);
    mission_record_clear(&m);
    err = missions_end_change(err, false, msg, msg_size);
    if (err == ERR_OK)
        log_info("added mission template '%s'", tpl);
    return err;
}

aswg_err missions_delete_template(const char *tpl, char *msg, size_t msg_size)
{
    mission_record m;
    aswg_err err = missions_begin_change();
    if (err != ERR_OK)
        return err;
    err = missions_from_db(mission_repo_find_by_template(tpl, &m), ERR_MISSION_NOT_FOUND);
    if (err != ERR_OK)
        return missions_end_change(err, false, msg, msg_size);
    err = missions_from_db(mission_repo_delete(m.id), ERR_MISSION_NOT_FOUND);
    err = missions_end_change(err, m.enabled, msg, msg_size);
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
        missions_replace_string(&m->name, in->name);
    if (in->tpl && strcmp(in->tpl, m->tpl) != 0) {
        missions_replace_string(&m->tpl, in->tpl);
        free(m->world_name);
        m->world_name = mission_world_from_name(in->tpl);
    }
    missions_replace_string(&m->difficulty, difficulty);
    free(m->parameters);
    m->parameters = parameters;
    return true;
}

aswg_err missions_update(int64_t id, const mission_input *in, char *msg, size_t msg_size)
{
    mission_record m;
    aswg_err err = missions_begin_change();
    if (err != ERR_OK)
        return err;
    err = missions_from_db(mission_repo_find_by_id(id, &m), ERR_MISSION_NOT_FOUND);
    if (err != ERR_OK)
        return missions_end_change(err, false, msg, msg_size);
    bool was_enabled = m.enabled;
    if (!apply_input(&m, in, msg, msg_size))
        err = ERR_BAD_REQUEST;
    if (err == ERR_OK && in->enabled_given && in->enabled != was_enabled) {
        m.enabled = in->enabled;
        if (m.enabled && mission_repo_next_order(&m.rotation_order) != DB_OK)
            err = ERR_SERVER_ERROR;
    }
    if (err == ERR_OK)
        err = missions_from_db(mission_repo_update(&m), ERR_MISSION_NOT_FOUND);
    if (err == ERR_MISSION_ALREADY_EXISTS)
        snprintf(msg, msg_size, "Another mission already has template '%.255s'", m.tpl);
    mission_record_clear(&m);
    return missions_end_change(err, was_enabled || in->enabled, msg, msg_size);
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
    aswg_err err = missions_from_db(mission_repo_find_by_id(id, &m), ERR_MISSION_NOT_FOUND);
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

/* A crash between writing server.cfg and committing the change it belongs to leaves the two
 * apart: the database wins, at the next start. */
static void resync_server_cfg(void)
{
    char *path = fs_join(config_str("aswg.server-directory-path"), "server.cfg");
    char msg[256] = "";
    if (path && fs_exists(path) && missions_begin_change() == ERR_OK &&
        missions_end_change(ERR_OK, true, msg, sizeof msg) != ERR_OK)
        log_warn("server.cfg not brought in line with the mission rotation: %s", msg);
    free(path);
}

int missions_startup(char *err, size_t err_size)
{
    int stale = mission_files_remove_stale_uploads();
    if (stale > 0)
        log_info("removed %d unfinished upload(s) from the missions directory", stale);
    resync_server_cfg();
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

