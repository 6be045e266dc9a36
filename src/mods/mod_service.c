#include "mods/mod_service.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "mods/mod_files.h"
#include "mods/workshop_repository.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *mod_status_name(mod_status status)
{
    static const char *const NAMES[] = {"READY", "MISSING_FILES", "MISSING_DEPENDENCY_MODS", "INSTALLING"};
    return NAMES[status];
}

static const disk_mod *find_folder(const disk_mod *disk, size_t n, const char *directory)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(disk[i].directory, directory) == 0)
            return &disk[i];
    return NULL;
}

static bool is_registered(const mod_record *rows, size_t n, int64_t file_id)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].workshop_file_id == file_id)
            return true;
    return false;
}

/* Every id of the comma-separated list is a registered mod. */
static bool dependencies_met(const char *ids, const mod_record *rows, size_t n)
{
    for (const char *p = ids; *p;) {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p)
            break;
        if (id > 0 && !is_registered(rows, n, id))
            return false;
        p = *end == ',' ? end + 1 : end;
    }
    return true;
}

static mod_status status_of(const mod_record *row, const disk_mod *folder, const mod_record *rows, size_t n)
{
    if (workshop_task_queued(row->workshop_file_id))
        return MOD_INSTALLING;
    if (!folder)
        return MOD_MISSING_FILES;
    return dependencies_met(row->dependencies, rows, n) ? MOD_READY : MOD_MISSING_DEPENDENCY_MODS;
}

static bool is_managed_folder(const mod_record *rows, size_t n, const char *directory)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].directory, directory) == 0)
            return true;
    return false;
}

aswg_err mods_list(mod_item **out, size_t *count)
{
    mod_record *rows;
    size_t n_rows, n_disk;
    disk_mod *disk;
    *out = NULL;
    *count = 0;
    if (mod_repo_list(&rows, &n_rows) != DB_OK)
        return ERR_SERVER_ERROR;
    mod_files_list(&disk, &n_disk);
    mod_item *items = calloc(n_rows + n_disk + 1, sizeof *items);
    if (!items) {
        free(rows);
        free(disk);
        return ERR_SERVICE_UNAVAILABLE;
    }
    size_t n = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const disk_mod *folder = find_folder(disk, n_disk, rows[i].directory);
        items[n] = (mod_item){.row = rows[i], .managed = true,
                              .status = status_of(&rows[i], folder, rows, n_rows),
                              .size_bytes = folder ? mod_files_size(folder->directory) : 0};
        n++;
    }
    for (size_t i = 0; i < n_disk; i++) {
        if (is_managed_folder(rows, n_rows, disk[i].directory))
            continue;
        mod_item *it = &items[n++];
        it->row.workshop_file_id = disk[i].meta.published_id;
        snprintf(it->row.name, sizeof it->row.name, "%s", disk[i].meta.name[0] ? disk[i].meta.name : disk[i].directory);
        snprintf(it->row.directory, sizeof it->row.directory, "%s", disk[i].directory);
        it->row.last_update_ms = disk[i].meta.updated_ms;
        it->size_bytes = mod_files_size(disk[i].directory);
    }
    free(rows);
    free(disk);
    *out = items;
    *count = n;
    return ERR_OK;
}

/* ---- enabling ---- */

static char **enabled_folders(bool server_mods, const char *prefix);

int mods_refresh_keys(void)
{
    char **paths = enabled_folders(false, ""); /* folder names: the key search joins them itself */
    size_t n = 0;
    while (paths && paths[n])
        n++;
    char err[256] = "";
    int rc = paths ? mod_files_sync_keys(paths, n, err, sizeof err) : -1;
    if (rc != 0)
        log_warn("mod keys not brought up to date: %s", err[0] ? err : "out of memory");
    mods_free_paths(paths);
    return rc;
}

aswg_err mods_set_enabled(const mod_choice *choices, size_t count, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < count; i++) {
        mod_record m;
        db_result r = mod_repo_find_by_file_id(choices[i].workshop_file_id, &m);
        if (r != DB_OK) {
            snprintf(msg, msg_size, "Mod %lld is not installed", (long long)choices[i].workshop_file_id);
            return r == DB_NOT_FOUND ? ERR_MOD_NOT_FOUND : ERR_SERVER_ERROR;
        }
    }
    if (db_tx_begin() != 0)
        return ERR_SERVER_ERROR;
    db_result r = mod_repo_disable_all();
    for (size_t i = 0; i < count && r == DB_OK; i++)
        r = mod_repo_enable(choices[i].workshop_file_id, choices[i].server_mod, (int64_t)i + 1);
    if (r != DB_OK || db_tx_commit() != 0) {
        db_tx_rollback();
        return ERR_SERVER_ERROR;
    }
    log_info("%zu mod(s) enabled", count);
    mods_refresh_keys();
    return ERR_OK;
}

aswg_err mods_delete(const char *name, char *msg, size_t msg_size)
{
    mod_record m;
    db_result r = mod_repo_find_by_name(name, &m);
    if (r != DB_OK) {
        snprintf(msg, msg_size, "No mod is named '%s'", name);
        return r == DB_NOT_FOUND ? ERR_MOD_NOT_FOUND : ERR_SERVER_ERROR;
    }
    if (fs_is_safe_name(m.directory) && mod_files_remove(m.directory) != 0) {
        snprintf(msg, msg_size, "Cannot remove the folder of mod '%s'", name);
        return ERR_SERVER_ERROR;
    }
    if (mod_repo_delete(m.id) != DB_OK)
        return ERR_SERVER_ERROR;
    log_info("mod '%s' deleted (folder %s)", m.name, m.directory);
    mod_files_forget_sizes();
    if (m.enabled)
        mods_refresh_keys();
    return ERR_OK;
}

/* Registers one folder; the caller has checked it is not managed. */
static aswg_err manage_folder(const disk_mod *folder, char *msg, size_t msg_size)
{
    if (folder->meta.published_id <= 0) {
        snprintf(msg, msg_size, "'%s' has no workshop id in its meta.cpp", folder->directory);
        return ERR_MOD_ID_CANNOT_BE_ZERO;
    }
    mod_record m;
    if (mod_repo_find_by_file_id(folder->meta.published_id, &m) == DB_OK) {
        snprintf(msg, msg_size, "Workshop id %lld is registered already (mod '%s')",
                 (long long)folder->meta.published_id, m.name);
        return ERR_MOD_ID_ALREADY_REGISTERED;
    }
    memset(&m, 0, sizeof m);
    if (mod_files_normalize(folder->directory, m.directory, sizeof m.directory, msg, msg_size) != 0)
        return ERR_SERVER_ERROR;
    m.workshop_file_id = folder->meta.published_id;
    snprintf(m.name, sizeof m.name, "%s", folder->meta.name[0] ? folder->meta.name : m.directory);
    m.last_update_ms = folder->meta.updated_ms;
    if (mod_repo_upsert(&m) != DB_OK)
        return ERR_SERVER_ERROR;
    log_info("mod '%s' (%lld) registered from folder %s", m.name, (long long)m.workshop_file_id, m.directory);
    return ERR_OK;
}

/* The folder nobody manages named directory, looked up on disk now. */
static aswg_err find_unmanaged(const char *directory, disk_mod *out, char *msg, size_t msg_size)
{
    disk_mod *disk;
    size_t n;
    mod_files_list(&disk, &n);
    const disk_mod *folder = fs_is_safe_name(directory) ? find_folder(disk, n, directory) : NULL;
    if (folder)
        *out = *folder;
    free(disk);
    if (!folder) {
        snprintf(msg, msg_size, "No mod folder '%s' in the mods directory", directory);
        return ERR_MOD_NOT_FOUND;
    }
    mod_record *rows;
    size_t n_rows;
    if (mod_repo_list(&rows, &n_rows) != DB_OK)
        return ERR_SERVER_ERROR;
    bool managed = is_managed_folder(rows, n_rows, directory);
    free(rows);
    if (managed) {
        snprintf(msg, msg_size, "'%s' is managed already", directory);
        return ERR_MOD_ID_ALREADY_REGISTERED;
    }
    return ERR_OK;
}

aswg_err mods_manage(const char *directory, char *msg, size_t msg_size)
{
    disk_mod folder;
    aswg_err err = find_unmanaged(directory, &folder, msg, msg_size);
    return err == ERR_OK ? manage_folder(&folder, msg, msg_size) : err;
}

aswg_err mods_delete_not_managed(const char *directory, char *msg, size_t msg_size)
{
    disk_mod folder;
    aswg_err err = find_unmanaged(directory, &folder, msg, msg_size);
    if (err != ERR_OK)
        return err;
    if (mod_files_remove(folder.directory) != 0) {
        snprintf(msg, msg_size, "Cannot remove '%s'", directory);
        return ERR_SERVER_ERROR;
    }
    log_info("unmanaged mod folder %s deleted", folder.directory);
    mod_files_forget_sizes();
    return ERR_OK;
}

/* ---- the INSTALL_DELETE_MODS job ---- */

/* Appends ", name" (or "name") to list, keeping it a C string within size. */
static void append_name(char *list, size_t size, const char *name)
{
    size_t len = strlen(list);
    snprintf(list + len, size - len, "%s%s", len ? ", " : "", name);
}

int mods_scan(bool install, bool remove, char *message, size_t size)
{
    mod_record *rows;
    size_t n_rows, n_disk;
    disk_mod *disk;
    if (mod_repo_list(&rows, &n_rows) != DB_OK)
        return -1;
    mod_files_list(&disk, &n_disk);
    char added[512] = "", removed[512] = "";
    size_t n_added = 0, n_removed = 0;
    for (size_t i = 0; remove && i < n_rows; i++) {
        bool on_disk = false;
        for (size_t j = 0; j < n_disk && !on_disk; j++)
            on_disk = disk[j].meta.published_id == rows[i].workshop_file_id;
        if (!on_disk && !workshop_task_queued(rows[i].workshop_file_id) && mod_repo_delete(rows[i].id) == DB_OK) {
            append_name(removed, sizeof removed, rows[i].name);
            n_removed++;
        }
    }
    for (size_t i = 0; install && i < n_disk; i++) {
        if (is_managed_folder(rows, n_rows, disk[i].directory))
            continue;
        char why[256];
        if (manage_folder(&disk[i], why, sizeof why) == ERR_OK) {
            append_name(added, sizeof added, disk[i].meta.name[0] ? disk[i].meta.name : disk[i].directory);
            n_added++;
        } else {
            log_info("mods scan: %s not registered: %s", disk[i].directory, why);
        }
    }
    free(rows);
    free(disk);
    if (n_added + n_removed == 0)
        snprintf(message, size, "nothing changed");
    else
        snprintf(message, size, "%zu mod(s) registered%s%s; %zu forgotten%s%s", n_added, n_added ? ": " : "", added,
                 n_removed, n_removed ? ": " : "", removed);
    if (n_removed)
        mods_refresh_keys();
    return 0;
}

/* ---- the command line ---- */

/* "<prefix>/<folder>" ("" = the bare folder) of each enabled mod whose folder exists. */
static char **enabled_folders(bool server_mods, const char *prefix)
{
    mod_record *rows;
    size_t n_rows, n_disk;
    disk_mod *disk;
    if (mod_repo_list(&rows, &n_rows) != DB_OK)
        return NULL;
    mod_files_list(&disk, &n_disk);
    char **paths = calloc(n_rows + 1, sizeof *paths);
    size_t n = 0;
    for (size_t i = 0; paths && i < n_rows; i++) {
        if (!rows[i].enabled || rows[i].server_mod != server_mods)
            continue;
        if (!find_folder(disk, n_disk, rows[i].directory)) {
            log_warn("mod '%s' is enabled but its folder %s is missing: not loaded", rows[i].name, rows[i].directory);
            continue;
        }
        paths[n] = fs_join(prefix, rows[i].directory);
        if (paths[n])
            n++;
    }
    free(rows);
    free(disk);
    return paths;
}

char **mods_enabled_paths(bool server_mods)
{
    return enabled_folders(server_mods, config_str("aswg.mods-directory-path"));
}

void mods_free_paths(char **paths)
{
    for (size_t i = 0; paths && paths[i]; i++)
        free(paths[i]);
    free(paths);
}
