/* The scheduler: one thread that sleeps until the next fire time of any enabled job and starts
 * it on a worker thread. A job never overlaps itself: a firing that finds it still running is
 * recorded as SKIPPED. Every run is recorded in job_execution.
 *
 * Time is injectable: scheduler_tick() does all the work for a given "now", so tests drive it
 * with a fake clock and no thread. */
#ifndef ASWG_JOBS_SCHEDULER_H
#define ASWG_JOBS_SCHEDULER_H

#include "core/cron.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef enum job_outcome { JOB_SUCCESS, JOB_FAILURE } job_outcome;

/* A job's work; writes a message (shown in the history) into message. */
typedef job_outcome (*job_fn)(char *message, size_t message_size);

/* Registers a job (before scheduler_start); returns its index, or -1 when the table is full. */
int scheduler_add(const char *name, job_fn fn);

/* Enables job i with expr (copied), or disables it (expr NULL). Applies at once. */
void scheduler_set(int i, const cron_expr *expr);

/* Starts job i now on a worker thread. Returns false when it is already running. */
bool scheduler_run_now(int i);
bool scheduler_is_running(int i);
/* The next fire time of job i, or -1 when disabled. */
time_t scheduler_next(int i);

/* Runs every job due at now (starting workers; SKIPPED for running ones) and returns the next
 * fire time after now over all jobs (-1: none). Used by the thread and by tests. */
time_t scheduler_tick(time_t now);

/* Waits until no job runs (for tests); false after timeout_ms. */
bool scheduler_wait_idle(int timeout_ms);

/* Replaces time() as the scheduler's clock (tests). */
void scheduler_use_clock(time_t (*clock)(void));

/* Starts the scheduler thread. */
int scheduler_start(void);
/* Stops the thread, waits up to wait_ms for running jobs, and records those still running as
 * FAILURE "interrupted by shutdown". */
void scheduler_stop(int wait_ms);

/* True once scheduler_stop() began: long jobs poll it to end early. */
bool scheduler_stopping(void);

/* Number of jobs running now (health endpoint). */
int scheduler_running_count(void);
bool scheduler_started(void);

#endif
