#include "jobs/job_bodies.h"

#include "auth/auth_service.h"
#include "core/config.h"
#include "core/fs.h"
#include "mods/mod_service.h"
#include "mods/workshop_service.h"
#include "difficulty/difficulty_service.h"
#include "missions/mission_service.h"
#include "mod_settings/mod_settings_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

job_outcome job_missions_scanner(char *message, size_t size)
{
    mission_scan_result r;
    char why[512] = "";
    if (missions_scan(&r, scheduler_stopping, why, sizeof why) != ERR_OK) {
        snprintf(message, size, "missions scan failed: %s", why[0] ? why : "database error");
        return JOB_FAILURE;
    }
    if (why[0] && r.added + r.updated + r.removed == 0)
        snprintf(message, size, "%s", why);
    else
        snprintf(message, size, "%d added, %d updated, %d removed, %d ignored", r.added, r.updated,
                 r.removed, r.ignored);
    return JOB_SUCCESS;
}

job_outcome job_jwt_cleaner(char *message, size_t size)
{
    int64_t removed = 0;
    if (auth_forget_expired_revocations(&removed) != 0) {
        snprintf(message, size, "cannot delete expired revoked tokens (database error)");
        return JOB_FAILURE;
    }
    snprintf(message, size, "%lld expired revoked token(s) deleted", (long long)removed);
    return JOB_SUCCESS;
}

/* Appends ", "-separated texts of list to message. */
static void append_list(char *message, size_t size, json_t *list)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        size_t len = strlen(message);
        snprintf(message + len, size - len, "%s%s", i ? ", " : "", json_string_value(item));
    }
}

/* The message of a scan that imports files: "2 profiles imported: a, b; 1 skipped: c (why)", or
 * "nothing to do: ..." when nothing was new. */
static job_outcome scan_message(aswg_err err, const char *noun, json_t *imported, json_t *skipped,
                                const char *where, char *message, size_t size)
{
    if (err == ERR_NOT_FOUND) {
        snprintf(message, size, "nothing to do: %s does not exist", where);
        return JOB_SUCCESS;
    }
    if (err != ERR_OK) {
        snprintf(message, size, "scan failed: %s", where);
        return JOB_FAILURE;
    }
    size_t n = json_array_size(imported);
    if (n == 0)
        snprintf(message, size, "nothing to do: no new %ss in %s", noun, where);
    else
        snprintf(message, size, "%zu %s%s imported: ", n, noun, n == 1 ? "" : "s");
    append_list(message, size, imported);
    if (json_array_size(skipped) > 0) {
        size_t len = strlen(message);
        snprintf(message + len, size - len, "; %zu skipped: ", json_array_size(skipped));
        append_list(message, size, skipped);
    }
    return JOB_SUCCESS;
}

/* A scan that imports files (difficulties_scan, mod_settings_scan), with its message. */
static job_outcome import_scan(aswg_err (*scan)(json_t *imported, json_t *skipped, char *where, size_t where_size),
                               const char *noun, char *message, size_t size)
{
    json_t *imported = json_array(), *skipped = json_array();
    char where[1024] = "";
    aswg_err err = imported && skipped ? scan(imported, skipped, where, sizeof where) : ERR_SERVER_ERROR;
    job_outcome r = scan_message(err, noun, imported, skipped, where, message, size);
    json_decref(imported);
    json_decref(skipped);
    return r;
}

job_outcome job_difficulty_scan(char *message, size_t size)
{
    return import_scan(difficulties_scan, "profile", message, size);
}

job_outcome job_mod_settings_scan(char *message, size_t size)
{
    return import_scan(mod_settings_scan, "settings file", message, size);
}

job_outcome job_install_delete_mods(char *message, size_t size)
{
    bool install = config_bool("aswg.job.mods-scanner.installation.enabled");
    bool remove = config_bool("aswg.job.mods-scanner.deletion.enabled");
    if (!install && !remove) {
        snprintf(message, size, "nothing to do: installation and deletion are both disabled");
        return JOB_SUCCESS;
    }
    if (mods_scan(install, remove, message, size) != 0) {
        snprintf(message, size, "the mods could not be read from the database");
        return JOB_FAILURE;
    }
    return JOB_SUCCESS;
}

job_outcome job_mod_update(char *message, size_t size)
{
    return workshop_update_mods(message, size) == 0 ? JOB_SUCCESS : JOB_FAILURE;
}
