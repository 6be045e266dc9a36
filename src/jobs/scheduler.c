#include "jobs/scheduler.h"

#include "core/db.h"
#include "core/log.h"
#include "jobs/job_repository.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_JOBS 16
#define MESSAGE_MAX 4096

typedef struct sched_job {
    const char *name;
    job_fn fn;
    bool enabled;
    cron_expr expr;
    time_t next;            /* -1 when disabled */
    bool running;
    bool joinable;          /* a finished worker waits to be joined */
    bool interrupted;       /* given up on at shutdown: its own finish is not recorded */
    pthread_t worker;
    int64_t exec_id;        /* its job_execution row, 0 until written */
} sched_job;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;     /* settings changed, a job finished, or stop */
    sched_job jobs[MAX_JOBS];
    int count;
    pthread_t thread;
    bool started, stopping;
    time_t (*clock)(void);
} g_sched = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, .clock = NULL};

static time_t now_s(void)
{
    return g_sched.clock ? g_sched.clock() : time(NULL);
}

int scheduler_add(const char *name, job_fn fn)
{
    pthread_mutex_lock(&g_sched.lock);
    int i = g_sched.count < MAX_JOBS ? g_sched.count++ : -1;
    if (i >= 0)
        g_sched.jobs[i] = (sched_job){.name = name, .fn = fn, .next = -1};
    pthread_mutex_unlock(&g_sched.lock);
    return i;
}

void scheduler_set(int i, const cron_expr *expr)
{
    pthread_mutex_lock(&g_sched.lock);
    sched_job *job = &g_sched.jobs[i];
    job->enabled = expr != NULL;
    if (expr)
        job->expr = *expr;
    job->next = expr ? cron_next(expr, now_s()) : -1;
    pthread_cond_broadcast(&g_sched.changed);
    pthread_mutex_unlock(&g_sched.lock);
}

/* ---- running one job ---- */

/* Records the outcome and marks the job idle in one step under the lock, so nobody sees the
 * history say "finished" while a new run is still refused as "already running". */
static void finish_run(sched_job *job, job_outcome outcome, const char *message)
{
    pthread_mutex_lock(&g_sched.lock);
    if (!job->interrupted && job->exec_id != 0) {
        job_repo_finish(job->exec_id, outcome == JOB_SUCCESS ? "SUCCESS" : "FAILURE", message, db_now_ms());
        job_repo_prune(job->name);
    }
    job->running = false;
    job->joinable = !job->interrupted;
    pthread_cond_broadcast(&g_sched.changed);
    pthread_mutex_unlock(&g_sched.lock);
}

static void *run_job(void *arg)
{
    sched_job *job = arg;
    int64_t start = db_now_ms();
    log_set_context(job->name, NULL);
    char *message = calloc(1, MESSAGE_MAX);
    job_outcome outcome = message ? job->fn(message, MESSAGE_MAX) : JOB_FAILURE;
    log_event(outcome == JOB_SUCCESS ? LOG_INFO : LOG_WARN,
              json_pack("{s:s, s:I}", "job", job->name, "durationMs", (json_int_t)(db_now_ms() - start)),
              "job %s %s: %s", job->name, outcome == JOB_SUCCESS ? "succeeded" : "failed",
              message ? message : "out of memory");
    finish_run(job, outcome, message ? message : "out of memory");
    free(message);
    log_set_context(NULL, NULL);
    return NULL;
}

/* Starts job on a worker; the caller holds the lock and has checked it is not running. The run's
 * STARTED row is written first, so whoever started it sees it in the history at once. */
static bool start_worker(sched_job *job)
{
    if (job->joinable) {
        pthread_join(job->worker, NULL);
        job->joinable = false;
    }
    job->running = true;
    job->interrupted = false;
    job->exec_id = 0;
    if (job_repo_start(job->name, db_now_ms(), &job->exec_id) != DB_OK)
        log_error("job %s: cannot record its start", job->name);
    if (pthread_create(&job->worker, NULL, run_job, job) != 0) {
        job->running = false;
        log_error("job %s: cannot start a thread: %s", job->name, strerror(errno));
        return false;
    }
    return true;
}

bool scheduler_run_now(int i)
{
    pthread_mutex_lock(&g_sched.lock);
    sched_job *job = &g_sched.jobs[i];
    bool started = !job->running && !g_sched.stopping && start_worker(job);
    pthread_mutex_unlock(&g_sched.lock);
    return started;
}

bool scheduler_is_running(int i)
{
    pthread_mutex_lock(&g_sched.lock);
    bool running = g_sched.jobs[i].running;
    pthread_mutex_unlock(&g_sched.lock);
    return running;
}

time_t scheduler_next(int i)
{
    pthread_mutex_lock(&g_sched.lock);
    time_t next = g_sched.jobs[i].next;
    pthread_mutex_unlock(&g_sched.lock);
    return next;
}

int scheduler_running_count(void)
{
    pthread_mutex_lock(&g_sched.lock);
    int n = 0;
    for (int i = 0; i < g_sched.count; i++)
        n += g_sched.jobs[i].running;
    pthread_mutex_unlock(&g_sched.lock);
    return n;
}

bool scheduler_stopping(void)
{
    pthread_mutex_lock(&g_sched.lock);
    bool stopping = g_sched.stopping;
    pthread_mutex_unlock(&g_sched.lock);
    return stopping;
}

bool scheduler_started(void)
{
    return g_sched.started;
}

/* ---- firing ---- */

time_t scheduler_tick(time_t now)
{
    const char *skipped[MAX_JOBS];
    int skipped_count = 0;
    time_t soonest = -1;
    pthread_mutex_lock(&g_sched.lock);
    for (int i = 0; i < g_sched.count; i++) {
        sched_job *job = &g_sched.jobs[i];
        if (!job->enabled || job->next < 0)
            continue;
        if (job->next <= now && !g_sched.stopping) {
            if (job->running)
                skipped[skipped_count++] = job->name;
            else
                start_worker(job);
            job->next = cron_next(&job->expr, now);
        }
        if (job->next >= 0 && (soonest < 0 || job->next < soonest))
            soonest = job->next;
    }
    pthread_mutex_unlock(&g_sched.lock);
    for (int i = 0; i < skipped_count; i++) {
        log_warn("job %s is still running: this firing is skipped", skipped[i]);
        job_repo_skipped(skipped[i], db_now_ms(), "previous run still in progress");
        job_repo_prune(skipped[i]);
    }
    return soonest;
}

bool scheduler_wait_idle(int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 5) {
        if (scheduler_running_count() == 0)
            return true;
        usleep(5000);
    }
    return false;
}

/* ---- the thread ---- */

static void *scheduler_loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_sched.lock);
    while (!g_sched.stopping) {
        pthread_mutex_unlock(&g_sched.lock);
        time_t next = scheduler_tick(now_s());
        pthread_mutex_lock(&g_sched.lock);
        if (g_sched.stopping)
            break;
        /* Sleep until the next fire time; settings changes and stop wake us early. */
        if (next < 0) {
            pthread_cond_wait(&g_sched.changed, &g_sched.lock);
        } else {
            struct timespec until = {.tv_sec = next, .tv_nsec = 0};
            pthread_cond_timedwait(&g_sched.changed, &g_sched.lock, &until);
        }
    }
    pthread_mutex_unlock(&g_sched.lock);
    return NULL;
}

void scheduler_use_clock(time_t (*clock)(void))
{
    g_sched.clock = clock;
}

int scheduler_start(void)
{
    g_sched.stopping = false;
    if (pthread_create(&g_sched.thread, NULL, scheduler_loop, NULL) != 0)
        return -1;
    g_sched.started = true;
    return 0;
}

/* Records the runs still going after the shutdown wait as interrupted and lets their threads go. */
static void abandon_running_jobs(void)
{
    pthread_mutex_lock(&g_sched.lock);
    for (int i = 0; i < g_sched.count; i++) {
        sched_job *job = &g_sched.jobs[i];
        if (job->joinable) {
            pthread_join(job->worker, NULL);
            job->joinable = false;
        }
        if (!job->running)
            continue;
        job->interrupted = true;
        pthread_detach(job->worker);
        if (job->exec_id)
            job_repo_finish(job->exec_id, "FAILURE", "interrupted by shutdown", db_now_ms());
        log_warn("job %s interrupted by shutdown", job->name);
    }
    pthread_mutex_unlock(&g_sched.lock);
}

void scheduler_stop(int wait_ms)
{
    pthread_mutex_lock(&g_sched.lock);
    g_sched.stopping = true;
    pthread_cond_broadcast(&g_sched.changed);
    pthread_mutex_unlock(&g_sched.lock);
    if (g_sched.started)
        pthread_join(g_sched.thread, NULL);
    g_sched.started = false;
    scheduler_wait_idle(wait_ms);
    abandon_running_jobs();
}
