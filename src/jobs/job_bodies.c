#include "jobs/job_bodies.h"

#include "auth/auth_service.h"
#include "core/config.h"
#include "core/fs.h"
#include "mods/mod_service.h"
#include "mods/workshop_service.h"
#include "missions/mission_service.h"

#include <stdio.h>
#include <stdlib.h>
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

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The jobs of the mods and difficulty domain do their work once that domain lands; until then
 * they succeed only when there is truly nothing to do, and say so otherwise. */
static job_outcome nothing_to_do_unless_dir(const char *dir, const char *what, char *message, size_t size)
{
    if (!is_dir(dir)) {
        snprintf(message, size, "nothing to do: %s %s does not exist", what, dir);
        return JOB_SUCCESS;
    }
    snprintf(message, size, "%s %s exists, but scanning it is not implemented in this version", what, dir);
    return JOB_FAILURE;
}

job_outcome job_difficulty_scan(char *message, size_t size)
{
    const char *home = getenv("HOME");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/.local/share/Arma 3 - Other Profiles", home ? home : "");
    return nothing_to_do_unless_dir(dir, "profiles directory", message, size);
}

job_outcome job_mod_settings_scan(char *message, size_t size)
{
    char *dir = fs_join(config_str("aswg.server-directory-path"), "userconfig");
    job_outcome r = nothing_to_do_unless_dir(dir ? dir : "userconfig", "mod settings directory", message, size);
    free(dir);
    return r;
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
