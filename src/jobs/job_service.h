/* The jobs (ASWG-API.md §4 with DECISIONS.md 1, 2 and "Jobs"): their settings in
 * aswg-config.properties, their schedule, runs on demand and their history. */
#ifndef ASWG_JOBS_JOB_SERVICE_H
#define ASWG_JOBS_JOB_SERVICE_H

#include "core/errors.h"
#include "jobs/job_repository.h"
#include "jobs/scheduler.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define JOB_NEXT_EXECUTIONS 5

typedef struct job_param_def {
    const char *name;           /* e.g. INSTALLATION_ENABLED */
    const char *description;
    const char *config_key;
} job_param_def;

typedef struct job_def {
    const char *name;
    const char *description;
    const char *enabled_key;
    const char *cron_key;
    const job_param_def *params;
    size_t param_count;
    job_fn run;
} job_def;

typedef struct job_settings {
    const job_def *def;
    bool enabled;
    const char *cron;
    const char *param_values[4];        /* "true"/"false", per def->params */
    job_execution last;                 /* last.id == 0: never ran */
    time_t next;                        /* -1 when disabled */
    time_t upcoming[JOB_NEXT_EXECUTIONS];   /* the cron's next fire times, -1 padded */
} job_settings;

/* Registers the jobs, fails runs a dead daemon left STARTED, schedules the enabled ones and
 * starts the scheduler thread. */
int jobs_start(char *err, size_t err_size);
void jobs_stop(int wait_ms);

size_t jobs_count(void);
const job_def *jobs_at(size_t i);

aswg_err jobs_get_settings(const char *name, job_settings *out);
void job_settings_clear(job_settings *s);
/* NULL arguments keep the current value; parameters is an object {NAME: "true"|"false"|bool}. */
aswg_err jobs_update(const char *name, const bool *enabled, const char *cron, json_t *parameters,
                     char *msg, size_t msg_size);
aswg_err jobs_run_now(const char *name);
aswg_err jobs_executions(const char *name, int64_t before_id, int64_t limit, job_execution **out,
                         size_t *count);

#endif
