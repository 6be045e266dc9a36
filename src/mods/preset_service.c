#include "mods/preset_service.h"

#include "core/log.h"
#include "mods/mod_service.h"
#include "mods/workshop_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names travel in URL paths (/mods-presets/{name}): no '/' (a decoded %2F would split the path),
 * and not only digits (GET /mods-presets/{id} takes a number as an id). */
static bool valid_name(const char *name, char *msg, size_t msg_size)
{
    size_t len = strlen(name);
    bool ok = len > 0 && len < PRESET_NAME_MAX && strspn(name, "0123456789") < len && !strchr(name, '/');
    for (const unsigned char *p = (const unsigned char *)name; ok && *p; p++)
        ok = *p >= 0x20 && *p != 0x7f;
    if (!ok)
        snprintf(msg, msg_size, "A preset name has 1 to %d characters, not only digits, no '/' and no control "
                 "characters", PRESET_NAME_MAX - 1);
    return ok;
}

aswg_err presets_list(preset_record **out, size_t *count)
{
    return preset_repo_list(out, count) == DB_OK ? ERR_OK : ERR_SERVER_ERROR;
}

static aswg_err find_preset(const char *key, preset_record *out)
{
    char *end;
    long long id = strtoll(key, &end, 10);
    db_result r = DB_NOT_FOUND;
    if (*key && *end == '\0' && id > 0)
        r = preset_repo_find_by_id(id, out);
    if (r == DB_NOT_FOUND)
        r = preset_repo_find_by_name(key, out);
    return r == DB_OK ? ERR_OK : r == DB_NOT_FOUND ? ERR_PRESET_NOT_FOUND : ERR_SERVER_ERROR;
}

aswg_err preset_get(const char *key, preset_record *preset, preset_entry **entries, size_t *count)
{
    aswg_err err = find_preset(key, preset);
    if (err == ERR_OK && preset_repo_entries(preset->id, entries, count) != DB_OK)
        err = ERR_SERVER_ERROR;
    return err;
}

static aswg_err save_entries(const char *name, const char *new_name, const preset_entry *entries, size_t count)
{
    int64_t id;
    if (db_tx_begin() != 0)
        return ERR_SERVER_ERROR;
    db_result r = preset_repo_save(name, new_name, entries, count, &id);
    if (r != DB_OK || db_tx_commit() != 0) {
        db_tx_rollback();
        return r == DB_CONFLICT ? ERR_BAD_REQUEST : ERR_SERVER_ERROR;
    }
    log_info("mod preset '%s' saved with %zu mod(s)", new_name ? new_name : name, count);
    return ERR_OK;
}

aswg_err preset_save(const char *name, const char *new_name, const char *const *mod_names, size_t count, char *msg,
                     size_t msg_size)
{
    if (!valid_name(name, msg, msg_size) || (new_name && !valid_name(new_name, msg, msg_size)))
        return ERR_BAD_REQUEST;
    preset_entry *entries = calloc(count ? count : 1, sizeof *entries);
    if (!entries)
        return ERR_SERVICE_UNAVAILABLE;
    for (size_t i = 0; i < count; i++) {
        mod_record m;
        db_result r = mod_repo_find_by_name(mod_names[i], &m);
        if (r != DB_OK) {
            free(entries);
            snprintf(msg, msg_size, "Mod '%s' is not installed", mod_names[i]);
            return r == DB_NOT_FOUND ? ERR_MOD_NOT_FOUND : ERR_SERVER_ERROR;
        }
        entries[i].mod_id = m.workshop_file_id;
        snprintf(entries[i].mod_name, sizeof entries[i].mod_name, "%s", m.name);
    }
    bool renamed = new_name && strcmp(new_name, name) != 0;
    aswg_err err = save_entries(name, renamed ? new_name : NULL, entries, count);
    if (err == ERR_BAD_REQUEST)
        snprintf(msg, msg_size, "A preset named '%s' exists already", new_name);
    free(entries);
    return err;
}

aswg_err preset_delete(const char *name)
{
    db_result r = preset_repo_delete(name);
    if (r == DB_OK)
        log_info("mod preset '%s' deleted", name);
    return r == DB_OK ? ERR_OK : r == DB_NOT_FOUND ? ERR_PRESET_NOT_FOUND : ERR_SERVER_ERROR;
}

/* By name only (the routes that take a name). */
static aswg_err get_by_name(const char *name, preset_record *p, preset_entry **entries, size_t *n)
{
    db_result r = preset_repo_find_by_name(name, p);
    if (r != DB_OK)
        return r == DB_NOT_FOUND ? ERR_PRESET_NOT_FOUND : ERR_SERVER_ERROR;
    return preset_repo_entries(p->id, entries, n) == DB_OK ? ERR_OK : ERR_SERVER_ERROR;
}

aswg_err preset_select(const char *name, char *msg, size_t msg_size)
{
    preset_record p;
    preset_entry *entries;
    size_t n;
    aswg_err err = get_by_name(name, &p, &entries, &n);
    if (err != ERR_OK)
        return err;
    mod_choice *choices = calloc(n ? n : 1, sizeof *choices);
    size_t chosen = 0, missing = 0;
    for (size_t i = 0; choices && i < n; i++) {
        mod_record m;
        if (mod_repo_find_by_file_id(entries[i].mod_id, &m) == DB_OK)
            choices[chosen++] = (mod_choice){m.workshop_file_id, m.server_mod};
        else
            missing++;
    }
    free(entries);
    err = choices ? mods_set_enabled(choices, chosen, msg, msg_size) : ERR_SERVICE_UNAVAILABLE;
    free(choices);
    if (err == ERR_OK)
        log_info("mod preset '%s' selected: %zu mod(s) enabled, %zu not installed", p.name, chosen, missing);
    return err;
}

aswg_err preset_import(const char *name, const launcher_mod *mods, size_t count, const char *issuer, size_t *queued,
                       char *msg, size_t msg_size)
{
    *queued = 0;
    if (!valid_name(name, msg, msg_size))
        return ERR_BAD_REQUEST;
    preset_entry *entries = calloc(count ? count : 1, sizeof *entries);
    size_t n = 0, missing = 0;
    for (size_t i = 0; entries && i < count; i++) {
        if (mods[i].workshop_id <= 0)
            continue; /* a local mod: nothing to download, nothing to remember */
        mod_record m;
        missing += mod_repo_find_by_file_id(mods[i].workshop_id, &m) != DB_OK;
        entries[n].mod_id = mods[i].workshop_id;
        snprintf(entries[n++].mod_name, sizeof entries[0].mod_name, "%s", mods[i].name);
    }
    aswg_err err = !entries ? ERR_SERVICE_UNAVAILABLE : missing && !workshop_active() ? ERR_STEAM_CMD_NOT_INSTALLED : ERR_OK;
    if (err == ERR_OK)
        err = save_entries(name, NULL, entries, n);
    for (size_t i = 0; err == ERR_OK && i < n; i++) {
        mod_record m;
        if (mod_repo_find_by_file_id(entries[i].mod_id, &m) == DB_OK)
            continue;
        err = workshop_install(entries[i].mod_id, entries[i].mod_name, false, issuer, msg, msg_size);
        *queued += err == ERR_OK;
    }
    free(entries);
    return err;
}

aswg_err preset_import_html(const char *html, size_t len, const char *name, const char *issuer, size_t *queued,
                            char *msg, size_t msg_size)
{
    launcher_preset *preset = malloc(sizeof *preset);
    if (!preset)
        return ERR_SERVICE_UNAVAILABLE;
    aswg_err err = ERR_OK;
    if (launcher_preset_parse(html, len, preset) != 0) {
        snprintf(msg, msg_size, "Field 'html' is not an Arma 3 Launcher preset");
        err = ERR_BAD_REQUEST;
    } else {
        err = preset_import(name && name[0] ? name : preset->name, preset->mods, preset->count, issuer, queued, msg,
                            msg_size);
    }
    free(preset);
    return err;
}

aswg_err preset_export(const char *name, char **html)
{
    preset_record p;
    preset_entry *entries;
    size_t n;
    aswg_err err = get_by_name(name, &p, &entries, &n);
    if (err != ERR_OK)
        return err;
    launcher_mod *mods = calloc(n ? n : 1, sizeof *mods);
    for (size_t i = 0; mods && i < n; i++) {
        mods[i].workshop_id = entries[i].mod_id;
        snprintf(mods[i].name, sizeof mods[i].name, "%s", entries[i].mod_name);
    }
    *html = mods ? launcher_preset_render(p.name, mods, n) : NULL;
    free(mods);
    free(entries);
    return *html ? ERR_OK : ERR_SERVICE_UNAVAILABLE;
}
