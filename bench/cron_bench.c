/* Throughput of cron_next, next to the cost of a plain localtime_r + mktime pair.
 * Build and run from the repository root:
 *   gcc -O2 -std=c17 -D_GNU_SOURCE -Isrc bench/cron_bench.c src/core/cron.c -o /tmp/cb && /tmp/cb
 * The zone is TZ (Europe/Warsaw when unset), so daylight saving changes are on the way. */
#include "core/cron.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CALLS 2000000
#define BASE ((time_t)1767222000)         /* 2026-01-01 00:00 CET */
#define HORIZON ((time_t)(2 * 366 * 86400)) /* restart from BASE past this, to stay in 2026-27 */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void bench_expression(const char *text)
{
    cron_expr expr;
    char err[128];
    if (cron_parse(text, &expr, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", text, err);
        exit(1);
    }
    time_t t = BASE;
    double start = now();
    for (int i = 0; i < CALLS; i++) {
        t = cron_next(&expr, t);
        if (t == -1 || t > BASE + HORIZON)
            t = BASE;
    }
    double secs = now() - start;
    printf("%-22s %12.0f calls/s  (%.0f ns/call)\n", text, CALLS / secs, secs / CALLS * 1e9);
}

static void bench_localtime_mktime(void)
{
    time_t sum = 0;
    double start = now();
    for (int i = 0; i < CALLS; i++) {
        struct tm tm;
        time_t t = BASE + (time_t)i * 997 % HORIZON; /* the same years, through DST changes */
        localtime_r(&t, &tm);
        tm.tm_isdst = -1;
        sum += mktime(&tm);
    }
    double secs = now() - start;
    printf("%-22s %12.0f pairs/s  (%.0f ns/pair)  [checksum %lld]\n", "localtime_r+mktime",
           CALLS / secs, secs / CALLS * 1e9, (long long)(sum & 0xFFFF));
}

int main(void)
{
    setenv("TZ", getenv("TZ") ? getenv("TZ") : "Europe/Warsaw", 1);
    tzset();
    printf("TZ=%s, %d calls each\n", getenv("TZ"), CALLS);
    bench_expression("0 0/15 * * * *");
    bench_expression("0 0 1 * * *");
    bench_expression("*/5 * * * * *");
    bench_expression("0 0 0 * * MON-FRI");
    bench_localtime_mktime();
    return 0;
}
