/* SQL for job_execution: one row per run of a job. */
#ifndef ASWG_JOBS_JOB_REPOSITORY_H
#define ASWG_JOBS_JOB_REPOSITORY_H

#include "core/db.h"

#include <stdint.h>

#define JOB_HISTORY_KEEP 100

typedef struct job_execution {
    int64_t id;
    char job_name[64];
    int64_t start_ms;
    int64_t finish_ms;      /* 0 while running */
    char status[16];        /* STARTED, SUCCESS, FAILURE, SKIPPED */
    char *message;          /* malloc'd or NULL */
    int64_t duration_ms;    /* -1 while running */
} job_execution;

void job_executions_free(job_execution *list, size_t count);

db_result job_repo_start(const char *job, int64_t start_ms, int64_t *id_out);
db_result job_repo_finish(int64_t id, const char *status, const char *message, int64_t finish_ms);
/* A run that did not happen because the previous one was still going. */
db_result job_repo_skipped(const char *job, int64_t when_ms, const char *message);
/* Keeps the newest JOB_HISTORY_KEEP rows of job. */
db_result job_repo_prune(const char *job);
/* STARTED rows left by a daemon that died: FAILURE with message. Returns how many in *count. */
db_result job_repo_fail_orphans(const char *message, int64_t now_ms, int64_t *count);
/* Newest first; before_id 0 = from the newest. */
db_result job_repo_list(const char *job, int64_t before_id, int64_t limit, job_execution **out, size_t *count);

#endif
