/* The scheduler driven by a fake clock through scheduler_tick(): firing, no overlap (SKIPPED),
 * run-now, history pruning and shutdown of a job that does not finish. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/tmpdir.h"

#include "core/config.h"
#include "core/db.h"
#include "jobs/job_repository.h"
#include "jobs/scheduler.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static time_t fake_now;
static time_t fake_clock(void)
{
    return fake_now;
}

static int quick_runs;
static job_outcome quick_job(char *message, size_t size)
{
    __atomic_add_fetch(&quick_runs, 1, __ATOMIC_SEQ_CST);
    snprintf(message, size, "quick done");
    return JOB_SUCCESS;
}

/* Blocks until released, so a test can hold it "running". */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool gate_open;
static job_outcome blocking_job(char *message, size_t size)
{
    pthread_mutex_lock(&gate_lock);
    while (!gate_open)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    snprintf(message, size, "released");
    return JOB_FAILURE;
}

static void set_gate(bool open)
{
    pthread_mutex_lock(&gate_lock);
    gate_open = open;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

static char dir[64];
static int quick, blocking;

static int group_setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    snprintf(dir, sizeof dir, "/tmp/aswg-unit-sched-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/aswg.db", dir);
    if (db_open(path, err, sizeof err) != 0)
        return -1;
    scheduler_use_clock(fake_clock);
    quick = scheduler_add("QUICK", quick_job);
    blocking = scheduler_add("BLOCKING", blocking_job);
    return quick < 0 || blocking < 0;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close();
    return test_remove_tree(dir);
}

static void every_second(int job)
{
    cron_expr expr;
    char err[160];
    assert_int_equal(cron_parse("* * * * * *", &expr, err, sizeof err), 0);
    scheduler_set(job, &expr);
}

static size_t count_status(const char *job, const char *status)
{
    job_execution *runs;
    size_t n, matching = 0;
    assert_int_equal(job_repo_list(job, 0, 1000, &runs, &n), DB_OK);
    for (size_t i = 0; i < n; i++)
        matching += strcmp(runs[i].status, status) == 0;
    job_executions_free(runs, n);
    return matching;
}

static void test_fires_when_due_and_not_before(void **state)
{
    (void)state;
    fake_now = 1800000000; /* 2027-01-15 08:00:00 UTC */
    quick_runs = 0;
    cron_expr expr;
    char err[160];
    assert_int_equal(cron_parse("0 0/15 * * * *", &expr, err, sizeof err), 0);
    scheduler_set(quick, &expr);
    assert_int_equal(scheduler_next(quick), fake_now + 900);
    assert_int_equal(scheduler_tick(fake_now + 899), fake_now + 900);
    assert_true(scheduler_wait_idle(2000));
    assert_int_equal(quick_runs, 0);
    assert_int_equal(scheduler_tick(fake_now + 900), fake_now + 1800);
    assert_true(scheduler_wait_idle(2000));
    assert_int_equal(quick_runs, 1);
    assert_int_equal(count_status("QUICK", "SUCCESS"), 1);
    scheduler_set(quick, NULL);
    assert_int_equal(scheduler_next(quick), -1);
    assert_int_equal(scheduler_tick(fake_now + 1800), -1);
    assert_true(scheduler_wait_idle(2000));
    assert_int_equal(quick_runs, 1);
}

static void test_overlapping_firing_is_skipped(void **state)
{
    (void)state;
    fake_now = 1800010000;
    set_gate(false);
    every_second(blocking);
    scheduler_tick(fake_now + 1);
    usleep(20000);
    assert_true(scheduler_is_running(blocking));
    scheduler_tick(fake_now + 2); /* still running: skipped */
    scheduler_tick(fake_now + 3);
    assert_int_equal(count_status("BLOCKING", "SKIPPED"), 2);
    assert_false(scheduler_run_now(blocking));
    set_gate(true);
    assert_true(scheduler_wait_idle(2000));
    scheduler_set(blocking, NULL);
    assert_int_equal(count_status("BLOCKING", "FAILURE"), 1);
    job_execution *runs;
    size_t n;
    assert_int_equal(job_repo_list("BLOCKING", 0, 10, &runs, &n), DB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(runs[2].status, "FAILURE"); /* oldest: the run itself, finished last */
    assert_string_equal(runs[2].message, "released");
    assert_true(runs[2].duration_ms >= 0);
    assert_string_equal(runs[0].message, "previous run still in progress");
    job_executions_free(runs, n);
}

static void test_run_now_and_history_is_pruned(void **state)
{
    (void)state;
    for (int i = 0; i < JOB_HISTORY_KEEP + 5; i++) {
        assert_true(scheduler_run_now(quick));
        assert_true(scheduler_wait_idle(2000));
    }
    job_execution *runs;
    size_t n;
    assert_int_equal(job_repo_list("QUICK", 0, 1000, &runs, &n), DB_OK);
    assert_int_equal(n, JOB_HISTORY_KEEP);
    assert_string_equal(runs[0].message, "quick done");
    job_executions_free(runs, n);
}

static void test_orphans_are_failed(void **state)
{
    (void)state;
    int64_t id, count;
    assert_int_equal(job_repo_start("GHOST", 1000, &id), DB_OK);
    assert_int_equal(job_repo_fail_orphans("aswg stopped while running", 5000, &count), DB_OK);
    assert_int_equal(count, 1);
    job_execution *runs;
    size_t n;
    assert_int_equal(job_repo_list("GHOST", 0, 10, &runs, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(runs[0].status, "FAILURE");
    assert_string_equal(runs[0].message, "aswg stopped while running");
    assert_int_equal(runs[0].duration_ms, 4000);
    job_executions_free(runs, n);
}

/* Last: stopping ends the scheduler for this process. */
static void test_stop_records_a_job_that_does_not_finish(void **state)
{
    (void)state;
    set_gate(false);
    assert_true(scheduler_run_now(blocking));
    usleep(50000);
    scheduler_stop(100);
    assert_int_equal(count_status("BLOCKING", "FAILURE"), 2);
    job_execution *runs;
    size_t n;
    assert_int_equal(job_repo_list("BLOCKING", 0, 1, &runs, &n), DB_OK);
    assert_string_equal(runs[0].message, "interrupted by shutdown");
    job_executions_free(runs, n);
    set_gate(true); /* let the abandoned thread end; its own finish is not recorded */
    usleep(50000);
    assert_int_equal(job_repo_list("BLOCKING", 0, 1, &runs, &n), DB_OK);
    assert_string_equal(runs[0].message, "interrupted by shutdown");
    job_executions_free(runs, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fires_when_due_and_not_before),
        cmocka_unit_test(test_overlapping_firing_is_skipped),
        cmocka_unit_test(test_run_now_and_history_is_pruned),
        cmocka_unit_test(test_orphans_are_failed),
        cmocka_unit_test(test_stop_records_a_job_that_does_not_finish),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
