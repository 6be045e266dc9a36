#include "jobs/job_service.h"

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "jobs/job_bodies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const job_param_def MODS_SCANNER_PARAMS[] = {
    {"DELETION_ENABLED", "Is automatic DB deletion of deleted file system mods enabled?",
     "aswg.job.mods-scanner.deletion.enabled"},
    {"INSTALLATION_ENABLED", "Is automatic installation of new detected file system mods enabled?",
     "aswg.job.mods-scanner.installation.enabled"},
};

/* The six jobs: ASWG's five (ASWG-API.md §4.1) and JWT_CLEANER. */
static const job_def JOBS[] = {
    {"MOD_UPDATE", "Updates all mods using Steamcmd.", "aswg.job.mod-update.enabled",
     "aswg.job.mod-update.cron", NULL, 0, job_mod_update},
    {"INSTALL_DELETE_MODS",
     "Installs new mods detected inside mods folder to the DB and deletes mods from DB that "
     "corresponding files have been deleted.",
     "aswg.job.mods-scanner.enabled", "aswg.job.mods-scanner.cron", MODS_SCANNER_PARAMS, 2,
     job_install_delete_mods},
    {"DIFFICULTY_SCAN", "Scans for new difficulty profile files and adds them to the database.",
     "aswg.job.difficulty-scanner.enabled", "aswg.job.difficulty-scanner.cron", NULL, 0,
     job_difficulty_scan},
    {"MOD_SETTINGS_SCAN", "Scans for new mod settings files and adds them to the database.",
     "aswg.job.mod-settings-scanner.enabled", "aswg.job.mod-settings-scanner.cron", NULL, 0,
     job_mod_settings_scan},
    {"MISSIONS_SCANNER",
     "Scans for new missions files inside missions directory and adds them to the database.",
     "aswg.job.missions-scanner.enabled", "aswg.job.missions-scanner.cron", NULL, 0,
     job_missions_scanner},
    {"JWT_CLEANER", "Deletes revoked login tokens once they have expired.",
     "aswg.job.jwt-cleaner.enabled", "aswg.job.jwt-cleaner.cron", NULL, 0, job_jwt_cleaner},
};

#define JOB_COUNT (sizeof JOBS / sizeof JOBS[0])

size_t jobs_count(void)
{
    return JOB_COUNT;
}

const job_def *jobs_at(size_t i)
{
    return i < JOB_COUNT ? &JOBS[i] : NULL;
}

/* Job names are case-insensitive, as in ASWG. Returns the index or -1. */
static int job_index(const char *name)
{
    for (size_t i = 0; i < JOB_COUNT; i++)
        if (strcasecmp(JOBS[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Gives the scheduler the job's configured state. The config was validated at load. */
static void apply_schedule(size_t i)
{
    cron_expr expr;
    char err[160];
    bool on = config_bool(JOBS[i].enabled_key) &&
              cron_parse(config_str(JOBS[i].cron_key), &expr, err, sizeof err) == 0;
    scheduler_set((int)i, on ? &expr : NULL);
}

int jobs_start(char *err, size_t err_size)
{
    int64_t orphans = 0;
    if (job_repo_fail_orphans("aswg stopped while running", db_now_ms(), &orphans) != DB_OK) {
        snprintf(err, err_size, "cannot read the job history");
        return -1;
    }
    if (orphans > 0)
        log_warn("%lld job run(s) were cut short when aswg last stopped", (long long)orphans);
    for (size_t i = 0; i < JOB_COUNT; i++) {
        if (scheduler_add(JOBS[i].name, JOBS[i].run) != (int)i) {
            snprintf(err, err_size, "cannot register job %s", JOBS[i].name);
            return -1;
        }
        apply_schedule(i);
    }
    if (scheduler_start() != 0) {
        snprintf(err, err_size, "cannot start the scheduler thread");
        return -1;
    }
    return 0;
}

void jobs_stop(int wait_ms)
{
    scheduler_stop(wait_ms);
}

/* ---- settings ---- */

static void upcoming_fire_times(const char *cron, time_t out[JOB_NEXT_EXECUTIONS])
{
    cron_expr expr;
    char err[160];
    bool ok = cron_parse(cron, &expr, err, sizeof err) == 0;
    time_t t = time(NULL);
    for (int k = 0; k < JOB_NEXT_EXECUTIONS; k++) {
        t = ok && t >= 0 ? cron_next(&expr, t) : -1;
        out[k] = t;
    }
}

aswg_err jobs_get_settings(const char *name, job_settings *out)
{
    memset(out, 0, sizeof *out);
    int i = job_index(name);
    if (i < 0)
        return ERR_JOB_NOT_FOUND;
    const job_def *def = &JOBS[i];
    out->def = def;
    out->enabled = config_bool(def->enabled_key);
    out->cron = config_str(def->cron_key);
    for (size_t p = 0; p < def->param_count; p++)
        out->param_values[p] = config_bool(def->params[p].config_key) ? "true" : "false";
    out->next = scheduler_next(i);
    upcoming_fire_times(out->cron, out->upcoming);
    job_execution *last;
    size_t n;
    if (job_repo_list(def->name, 0, 1, &last, &n) != DB_OK)
        return ERR_SERVER_ERROR;
    if (n == 1) {
        out->last = last[0];
        last[0].message = NULL;
    }
    job_executions_free(last, n);
    return ERR_OK;
}

void job_settings_clear(job_settings *s)
{
    free(s->last.message);
    s->last.message = NULL;
}

/* "true"/"false" (any case) or a JSON boolean. */
static bool param_bool(json_t *v, bool *out)
{
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return true;
    }
    const char *s = json_string_value(v);
    return s && config_parse_bool(s, out) == 0;
}

/* Checks the parameters object against the job's parameters; fills the values to store. */
static aswg_err check_parameters(const job_def *def, json_t *parameters, const char *values[4],
                                 char *msg, size_t msg_size)
{
    const char *key;
    json_t *v;
    json_object_foreach(parameters, key, v) {
        size_t p = 0;
        while (p < def->param_count && strcasecmp(def->params[p].name, key) != 0)
            p++;
        bool b;
        if (p == def->param_count) {
            snprintf(msg, msg_size, "Job %s has no parameter '%.64s'", def->name, key);
            return ERR_BAD_REQUEST;
        }
        if (!param_bool(v, &b)) {
            snprintf(msg, msg_size, "Parameter '%s' must be true or false", def->params[p].name);
            return ERR_BAD_REQUEST;
        }
        values[p] = b ? "true" : "false";
    }
    return ERR_OK;
}

aswg_err jobs_update(const char *name, const bool *enabled, const char *cron, json_t *parameters,
                     char *msg, size_t msg_size)
{
    int i = job_index(name);
    if (i < 0)
        return ERR_JOB_NOT_FOUND;
    const job_def *def = &JOBS[i];
    cron_expr expr;
    if (cron && cron_parse(cron, &expr, msg, msg_size) != 0)
        return ERR_INVALID_CRON;
    const char *values[4] = {NULL};
    aswg_err err = parameters ? check_parameters(def, parameters, values, msg, msg_size) : ERR_OK;
    if (err != ERR_OK)
        return err;
    /* All values are valid: set them, then write the file once. */
    const char *keys[2 + 4] = {def->enabled_key, def->cron_key};
    const char *settings[2 + 4] = {enabled ? (*enabled ? "true" : "false") : NULL, cron};
    for (size_t p = 0; p < def->param_count; p++) {
        keys[2 + p] = def->params[p].config_key;
        settings[2 + p] = values[p];
    }
    if (config_set_all(keys, settings, 2 + def->param_count) != 0)
        return ERR_SERVER_ERROR;
    apply_schedule((size_t)i);
    log_info("job %s: enabled=%s cron='%s'", def->name, config_str(def->enabled_key), config_str(def->cron_key));
    return ERR_OK;
}

aswg_err jobs_run_now(const char *name)
{
    int i = job_index(name);
    if (i < 0)
        return ERR_JOB_NOT_FOUND;
    if (!scheduler_run_now(i))
        return ERR_JOB_ALREADY_RUNNING;
    log_info("job %s started on request", JOBS[i].name);
    return ERR_OK;
}

aswg_err jobs_executions(const char *name, int64_t before_id, int64_t limit, job_execution **out,
                         size_t *count)
{
    int i = job_index(name);
    if (i < 0)
        return ERR_JOB_NOT_FOUND;
    return job_repo_list(JOBS[i].name, before_id, limit, out, count) == DB_OK ? ERR_OK : ERR_SERVER_ERROR;
}
