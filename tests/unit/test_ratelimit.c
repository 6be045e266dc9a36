#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define T0 1000 /* ms: the fixed clock of these tests */

static int setup_limiter(void **state)
{
    rate_limiter *rl = rate_limiter_new(1024);
    if (!rl)
        return -1;
    *state = rl;
    return 0;
}

static int teardown_limiter(void **state)
{
    rate_limiter_free(*state);
    return 0;
}

/* Takes n tokens at now_ms and returns how many were allowed. */
static int take_n(rate_limiter *rl, const char *key, int64_t per_minute, int n, int64_t now_ms)
{
    int allowed = 0;
    for (int i = 0; i < n; i++)
        if (rate_limiter_take(rl, key, per_minute, now_ms) == 0)
            allowed++;
    return allowed;
}

static void test_burst_then_refused(void **state)
{
    rate_limiter *rl = *state;
    for (int i = 0; i < 60; i++)
        if (rate_limiter_take(rl, "10.0.0.1", 60, T0) != 0)
            fail_msg("take %d of 60 refused", i + 1);
    int wait = rate_limiter_take(rl, "10.0.0.1", 60, T0);
    assert_true(wait >= 1);
    assert_true(wait <= 2); /* one token comes back every second */
    /* Still refused at the same instant, however often it is asked. */
    assert_int_equal(take_n(rl, "10.0.0.1", 60, 10, T0), 0);
}

static void test_refill_after_a_second(void **state)
{
    rate_limiter *rl = *state;
    assert_int_equal(take_n(rl, "10.0.0.1", 60, 60, T0), 60);
    assert_true(rate_limiter_take(rl, "10.0.0.1", 60, T0) >= 1);
    assert_true(rate_limiter_take(rl, "10.0.0.1", 60, T0 + 500) >= 1); /* half a token */
    assert_int_equal(rate_limiter_take(rl, "10.0.0.1", 60, T0 + 1000), 0);
    assert_true(rate_limiter_take(rl, "10.0.0.1", 60, T0 + 1000) >= 1);
    /* Ten seconds later: ten more. */
    assert_int_equal(take_n(rl, "10.0.0.1", 60, 20, T0 + 11000), 10);
    /* After a long pause the bucket is full again, but never above capacity. */
    assert_int_equal(take_n(rl, "10.0.0.1", 60, 100, T0 + 3600000), 60);
}

static void test_keys_independent(void **state)
{
    rate_limiter *rl = *state;
    assert_int_equal(take_n(rl, "10.0.0.1", 60, 60, T0), 60);
    assert_true(rate_limiter_take(rl, "10.0.0.1", 60, T0) >= 1);
    assert_int_equal(take_n(rl, "10.0.0.2", 60, 60, T0), 60);
    assert_int_equal(take_n(rl, "user:alice", 60, 60, T0), 60);
    assert_true(rate_limiter_take(rl, "10.0.0.2", 60, T0) >= 1);
    assert_true(rate_limiter_take(rl, "10.0.0.1", 60, T0) >= 1);
    /* Keys differing only in the last character are distinct. */
    assert_int_equal(take_n(rl, "10.0.0.10", 60, 60, T0), 60);
}

static void test_zero_means_unlimited(void **state)
{
    rate_limiter *rl = *state;
    for (int i = 0; i < 10000; i++)
        assert_int_equal(rate_limiter_take(rl, "10.0.0.1", 0, T0), 0);
    assert_int_equal(take_n(rl, "10.0.0.1", -5, 100, T0), 100);
    /* A NULL limiter limits nothing either. */
    assert_int_equal(rate_limiter_take(NULL, "10.0.0.1", 1, T0), 0);
    /* And the unlimited calls did not use up a limited bucket of the same key. */
    assert_int_equal(take_n(rl, "10.0.0.1", 3, 5, T0), 3);
}

static void test_retry_after_value(void **state)
{
    rate_limiter *rl = *state;
    assert_int_equal(rate_limiter_take(rl, "bob", 1, T0), 0);
    int wait = rate_limiter_take(rl, "bob", 1, T0);
    assert_in_range(wait, 59, 61);
    /* Half a minute later about half of that is left. */
    wait = rate_limiter_take(rl, "bob", 1, T0 + 30000);
    assert_in_range(wait, 29, 31);
    /* A minute after the first take the token is back. */
    assert_int_equal(rate_limiter_take(rl, "bob", 1, T0 + 60000), 0);
    assert_in_range(rate_limiter_take(rl, "bob", 1, T0 + 60000), 59, 61);

    /* 10 per minute: one token every 6 s. */
    assert_int_equal(take_n(rl, "carol", 10, 10, T0), 10);
    assert_in_range(rate_limiter_take(rl, "carol", 10, T0), 6, 7);
}

static void test_small_table_many_keys(void **state)
{
    (void)state;
    rate_limiter *rl = rate_limiter_new(4);
    assert_non_null(rl);
    char key[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "192.168.%d.%d", i / 256, i % 256);
        int64_t now = T0 + i;
        /* A new key starts with a full bucket of 3 and keeps its slot while it is used. */
        if (take_n(rl, key, 3, 3, now) != 3)
            fail_msg("new key %s did not start with a full bucket", key);
        if (rate_limiter_take(rl, key, 3, now) == 0)
            fail_msg("key %s got a fourth token", key);
    }
    rate_limiter_free(rl);
}

static void test_least_recently_seen_forgotten(void **state)
{
    (void)state;
    rate_limiter *rl = rate_limiter_new(4);
    assert_non_null(rl);
    /* a is exhausted, b, c, d fill the table. */
    assert_int_equal(take_n(rl, "a", 2, 2, T0), 2);
    assert_int_equal(take_n(rl, "b", 2, 1, T0 + 1000), 1);
    assert_int_equal(take_n(rl, "c", 2, 1, T0 + 2000), 1);
    assert_int_equal(take_n(rl, "d", 2, 1, T0 + 3000), 1);
    /* a is seen again (refused): it is now the most recent. */
    assert_true(rate_limiter_take(rl, "a", 2, T0 + 4000) >= 1);
    /* e needs a slot: b, the stalest, goes; a is still remembered as exhausted. */
    assert_int_equal(take_n(rl, "e", 2, 1, T0 + 5000), 1);
    assert_true(rate_limiter_take(rl, "a", 2, T0 + 5000) >= 1);
    /* b was forgotten: it starts again with a full bucket of two. */
    assert_int_equal(take_n(rl, "b", 2, 3, T0 + 5000), 2);
    rate_limiter_free(rl);
}

static void test_long_keys(void **state)
{
    rate_limiter *rl = *state;
    char key[200];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    assert_int_equal(take_n(rl, key, 2, 5, T0), 2);
    assert_true(rate_limiter_take(rl, key, 2, T0) >= 1);
}

#define THREADS 4
#define ROUNDS 300
#define CAPACITY 50
#define TAKES_PER_ROUND 40 /* per thread: 160 attempts on a bucket of 50 each round */

typedef struct worker {
    rate_limiter *rl;
    pthread_barrier_t *barrier;
    int allowed[ROUNDS];
} worker;

static void *take_many(void *arg)
{
    worker *w = arg;
    char key[32];
    for (int r = 0; r < ROUNDS; r++) {
        snprintf(key, sizeof key, "shared-%d", r);
        pthread_barrier_wait(w->barrier); /* all threads hit the fresh key together */
        w->allowed[r] = take_n(w->rl, key, CAPACITY, TAKES_PER_ROUND, T0);
    }
    return NULL;
}

static void test_thread_safe_counting(void **state)
{
    rate_limiter *rl = *state;
    pthread_barrier_t barrier;
    assert_int_equal(pthread_barrier_init(&barrier, NULL, THREADS), 0);
    pthread_t threads[THREADS];
    static worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].rl = rl;
        workers[i].barrier = &barrier;
        assert_int_equal(pthread_create(&threads[i], NULL, take_many, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    pthread_barrier_destroy(&barrier);
    /* Each round: attempts at one instant on a fresh bucket: exactly CAPACITY pass. */
    for (int r = 0; r < ROUNDS; r++) {
        int total = 0;
        for (int i = 0; i < THREADS; i++)
            total += workers[i].allowed[r];
        if (total != CAPACITY)
            fail_msg("round %d: %d takes allowed on a bucket of %d", r, total, CAPACITY);
    }
}

#define RL_TEST(f) cmocka_unit_test_setup_teardown(f, setup_limiter, teardown_limiter)

int main(void)
{
    const struct CMUnitTest tests[] = {
        RL_TEST(test_burst_then_refused),
        RL_TEST(test_refill_after_a_second),
        RL_TEST(test_keys_independent),
        RL_TEST(test_zero_means_unlimited),
        RL_TEST(test_retry_after_value),
        cmocka_unit_test(test_small_table_many_keys),
        cmocka_unit_test(test_least_recently_seen_forgotten),
        RL_TEST(test_long_keys),
        RL_TEST(test_thread_safe_counting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
