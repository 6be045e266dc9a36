#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/cron.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- time zone per test, restored afterwards ---- */

static char *saved_tz;
static bool had_tz;

static int save_tz(void **state)
{
    (void)state;
    const char *tz = getenv("TZ");
    had_tz = tz != NULL;
    saved_tz = tz ? strdup(tz) : NULL;
    return had_tz && !saved_tz ? -1 : 0;
}

static int restore_tz(void **state)
{
    (void)state;
    if (had_tz)
        setenv("TZ", saved_tz, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved_tz);
    saved_tz = NULL;
    return 0;
}

static void use_zone(const char *zone)
{
    assert_int_equal(setenv("TZ", zone, 1), 0);
    tzset();
}

/* ---- local time strings: "YYYY-MM-DD HH:MM:SS" with an optional zone abbreviation ---- */

#define NEVER "never"

/* The local time text names; a trailing abbreviation (CET/CEST) picks one of a repeated hour. */
static time_t local_time(const char *text)
{
    struct tm tm = {0};
    const char *rest = strptime(text, "%Y-%m-%d %H:%M:%S", &tm);
    assert_non_null(rest);
    tm.tm_isdst = -1;
    if (*rest == ' ')
        tm.tm_isdst = strcmp(rest + 1, tzname[1]) == 0 ? 1 : 0;
    time_t t = mktime(&tm);
    assert_true(t != -1);
    return t;
}

static void format_local(time_t t, char *buf, size_t size)
{
    if (t == -1) {
        snprintf(buf, size, NEVER);
        return;
    }
    struct tm tm;
    assert_non_null(localtime_r(&t, &tm));
    strftime(buf, size, "%Y-%m-%d %H:%M:%S %Z", &tm);
}

/* Expected texts without a zone abbreviation match any zone. */
static bool same_local(const char *expected, const char *actual)
{
    size_t n = strlen(expected);
    return strncmp(expected, actual, n) == 0 && (actual[n] == '\0' || n == 19);
}

static cron_expr parse_ok(const char *text)
{
    cron_expr e;
    char err[160] = "";
    if (cron_parse(text, &e, err, sizeof err) != 0)
        fail_msg("'%s' should parse, got: %s", text, err);
    return e;
}

/* ---- successive fire times ---- */

typedef struct next_case {
    const char *expr;
    const char *start;
    const char *next[3]; /* successive fire times; NEVER for -1; NULL ends early */
} next_case;

static const next_case WARSAW_CASES[] = {
    /* every second, every 15 minutes, daily */
    {"* * * * * *", "2026-05-10 12:00:00",
     {"2026-05-10 12:00:01", "2026-05-10 12:00:02", "2026-05-10 12:00:03"}},
    {"* * * * * *", "2026-05-10 12:00:59",
     {"2026-05-10 12:01:00", "2026-05-10 12:01:01", "2026-05-10 12:01:02"}},
    {"*/5 * * * * *", "2026-05-10 12:00:57",
     {"2026-05-10 12:01:00", "2026-05-10 12:01:05", "2026-05-10 12:01:10"}},
    {"0 */15 * * * *", "2026-05-10 12:07:30",
     {"2026-05-10 12:15:00", "2026-05-10 12:30:00", "2026-05-10 12:45:00"}},
    {"0 0/15 * * * *", "2026-05-10 12:45:00",
     {"2026-05-10 13:00:00", "2026-05-10 13:15:00", "2026-05-10 13:30:00"}},
    {"0 0 1 * * *", "2026-05-10 00:59:59",
     {"2026-05-10 01:00:00", "2026-05-11 01:00:00", "2026-05-12 01:00:00"}},
    {"0 0 1 * * *", "2026-05-10 01:00:00",
     {"2026-05-11 01:00:00", "2026-05-12 01:00:00", "2026-05-13 01:00:00"}},
    /* days of the week, names, Sunday as 0 and 7, '?' */
    {"0 0 0 * * MON-FRI", "2026-05-08 12:00:00",
     {"2026-05-11 00:00:00", "2026-05-12 00:00:00", "2026-05-13 00:00:00"}},
    {"0 0 10 * * SUN", "2026-05-06 00:00:00",
     {"2026-05-10 10:00:00", "2026-05-17 10:00:00", "2026-05-24 10:00:00"}},
    {"0 0 10 * * 7", "2026-05-06 00:00:00",
     {"2026-05-10 10:00:00", "2026-05-17 10:00:00", "2026-05-24 10:00:00"}},
    {"0 0 10 * * 0", "2026-05-06 00:00:00",
     {"2026-05-10 10:00:00", "2026-05-17 10:00:00", "2026-05-24 10:00:00"}},
    {"0 0 10 ? * 3", "2026-05-06 10:00:00",
     {"2026-05-13 10:00:00", "2026-05-20 10:00:00", "2026-05-27 10:00:00"}},
    {"0 0 0 * * FRI-SUN", "2026-05-06 00:00:00",
     {"2026-05-08 00:00:00", "2026-05-09 00:00:00", "2026-05-10 00:00:00"}},
    {"0 0 0 * * sun-tue", "2026-05-06 00:00:00",
     {"2026-05-10 00:00:00", "2026-05-11 00:00:00", "2026-05-12 00:00:00"}},
    {"0 0 0 * * */2", "2026-05-04 00:00:00", /* Spring: MON, WED, FRI, SUN */
     {"2026-05-06 00:00:00", "2026-05-08 00:00:00", "2026-05-10 00:00:00"}},
    {"0 0 12 1 JAN,DEC *", "2026-05-10 00:00:00",
     {"2026-12-01 12:00:00", "2027-01-01 12:00:00", "2027-12-01 12:00:00"}},
    {"0 0 12 1 jan-Mar *", "2026-02-10 00:00:00",
     {"2026-03-01 12:00:00", "2027-01-01 12:00:00", "2027-02-01 12:00:00"}},
    /* lists, ranges, steps */
    {"0 5,10,50 * * * *", "2026-05-10 12:20:00",
     {"2026-05-10 12:50:00", "2026-05-10 13:05:00", "2026-05-10 13:10:00"}},
    {"0 0 9-11 * * *", "2026-05-10 10:30:00",
     {"2026-05-10 11:00:00", "2026-05-11 09:00:00", "2026-05-11 10:00:00"}},
    {"0 10-40/10 * * * *", "2026-05-10 12:35:00",
     {"2026-05-10 12:40:00", "2026-05-10 13:10:00", "2026-05-10 13:20:00"}},
    {"5/20 * * * * *", "2026-05-10 12:00:30",
     {"2026-05-10 12:00:45", "2026-05-10 12:01:05", "2026-05-10 12:01:25"}},
    {"0 0 0 1-31/10 * *", "2026-04-25 00:00:00",
     {"2026-05-01 00:00:00", "2026-05-11 00:00:00", "2026-05-21 00:00:00"}},
    {"0 0 0 1 */3 *", "2026-05-10 00:00:00",
     {"2026-07-01 00:00:00", "2026-10-01 00:00:00", "2027-01-01 00:00:00"}},
    {"0 0 8,20 * * 1-3,5", "2026-05-07 09:00:00",
     {"2026-05-08 08:00:00", "2026-05-08 20:00:00", "2026-05-11 08:00:00"}},
    /* last day, offsets from it, nearest weekday */
    {"0 0 0 L * *", "2026-01-31 00:00:00",
     {"2026-02-28 00:00:00", "2026-03-31 00:00:00", "2026-04-30 00:00:00"}},
    {"0 0 0 L 2 *", "2027-03-01 00:00:00",
     {"2028-02-29 00:00:00", "2029-02-28 00:00:00", "2030-02-28 00:00:00"}},
    {"0 0 0 L-3 * *", "2026-01-01 00:00:00",
     {"2026-01-28 00:00:00", "2026-02-25 00:00:00", "2026-03-28 00:00:00"}},
    {"0 0 0 L-30 * *", "2026-01-15 00:00:00", /* only 31-day months have a 30th-to-last day */
     {"2026-03-01 00:00:00", "2026-05-01 00:00:00", "2026-07-01 00:00:00"}},
    {"0 0 0 1,L * *", "2026-01-15 00:00:00",
     {"2026-01-31 00:00:00", "2026-02-01 00:00:00", "2026-02-28 00:00:00"}},
    {"0 0 0 15W * *", "2026-01-01 00:00:00", /* Feb and Mar 15th are Sundays: Monday 16th */
     {"2026-01-15 00:00:00", "2026-02-16 00:00:00", "2026-03-16 00:00:00"}},
    {"0 0 0 15W * *", "2026-08-01 00:00:00", /* Saturday 15th: Friday 14th */
     {"2026-08-14 00:00:00", "2026-09-15 00:00:00", "2026-10-15 00:00:00"}},
    {"0 0 0 1W * *", "2026-07-15 00:00:00", /* Saturday 1st: Monday 3rd, not July 31st */
     {"2026-08-03 00:00:00", "2026-09-01 00:00:00", "2026-10-01 00:00:00"}},
    {"0 0 0 1W * *", "2026-01-15 00:00:00", /* Sunday 1st: Monday 2nd */
     {"2026-02-02 00:00:00", "2026-03-02 00:00:00", "2026-04-01 00:00:00"}},
    {"0 0 0 31W * *", "2026-04-01 00:00:00", /* no 31st in June; Sunday May 31st: Friday 29th */
     {"2026-05-29 00:00:00", "2026-07-31 00:00:00", "2026-08-31 00:00:00"}},
    {"0 0 0 LW * *", "2026-01-01 00:00:00",
     {"2026-01-30 00:00:00", "2026-02-27 00:00:00", "2026-03-31 00:00:00"}},
    {"0 0 0 LW * *", "2026-05-01 00:00:00",
     {"2026-05-29 00:00:00", "2026-06-30 00:00:00", "2026-07-31 00:00:00"}},
    /* last and n-th weekday of the month */
    {"0 0 0 ? * 5L", "2026-01-01 00:00:00",
     {"2026-01-30 00:00:00", "2026-02-27 00:00:00", "2026-03-27 00:00:00"}},
    {"0 0 0 ? * FRIL", "2026-01-01 00:00:00",
     {"2026-01-30 00:00:00", "2026-02-27 00:00:00", "2026-03-27 00:00:00"}},
    {"0 0 0 ? * 0L", "2026-01-01 00:00:00",
     {"2026-01-25 00:00:00", "2026-02-22 00:00:00", "2026-03-29 00:00:00"}},
    {"0 0 0 ? * MON#2", "2026-01-01 00:00:00",
     {"2026-01-12 00:00:00", "2026-02-09 00:00:00", "2026-03-09 00:00:00"}},
    {"0 0 0 ? * FRI#5", "2026-01-01 00:00:00", /* only January, May and July have 5 Fridays */
     {"2026-01-30 00:00:00", "2026-05-29 00:00:00", "2026-07-31 00:00:00"}},
    {"0 0 0 ? * MON#1,FRIL", "2026-01-01 00:00:00",
     {"2026-01-05 00:00:00", "2026-01-30 00:00:00", "2026-02-02 00:00:00"}},
    /* with 6 fields both day fields must match */
    {"0 0 0 13 * FRI", "2026-01-01 00:00:00",
     {"2026-02-13 00:00:00", "2026-03-13 00:00:00", "2026-11-13 00:00:00"}},
    {"0 0 0 L * SAT", "2026-01-01 00:00:00",
     {"2026-01-31 00:00:00", "2026-02-28 00:00:00", "2026-10-31 00:00:00"}},
    /* short months, leap years, never */
    {"0 0 0 29 2 *", "2026-01-01 00:00:00",
     {"2028-02-29 00:00:00", "2032-02-29 00:00:00", "2036-02-29 00:00:00"}},
    {"0 0 12 31 * *", "2026-01-31 12:00:00",
     {"2026-03-31 12:00:00", "2026-05-31 12:00:00", "2026-07-31 12:00:00"}},
    {"0 0 0 30 2 *", "2026-01-01 00:00:00", {NEVER}},
    {"0 0 0 31 4,6,9,11 *", "2026-01-01 00:00:00", {NEVER}},
    {"0 0 0 29 2 MON", "2026-01-01 00:00:00", {NEVER}}, /* 2044 is more than 8 years away */
    {"0 0 0 29 2 MON", "2040-01-01 00:00:00", {"2044-02-29 00:00:00", NEVER}},
    /* clocks forward 2026-03-29 02:00 CET -> 03:00 CEST */
    {"0 30 2 * * *", "2026-03-28 03:00:00",
     {"2026-03-30 02:30:00 CEST", "2026-03-31 02:30:00 CEST", "2026-04-01 02:30:00 CEST"}},
    {"0 0 2 * * *", "2026-03-28 12:00:00",
     {"2026-03-30 02:00:00 CEST", "2026-03-31 02:00:00 CEST", "2026-04-01 02:00:00 CEST"}},
    {"0 0 3 * * *", "2026-03-28 12:00:00",
     {"2026-03-29 03:00:00 CEST", "2026-03-30 03:00:00 CEST", "2026-03-31 03:00:00 CEST"}},
    {"0 0 * * * *", "2026-03-29 00:30:00",
     {"2026-03-29 01:00:00 CET", "2026-03-29 03:00:00 CEST", "2026-03-29 04:00:00 CEST"}},
    {"0 0 * * * *", "2026-03-29 01:30:00",
     {"2026-03-29 03:00:00 CEST", "2026-03-29 04:00:00 CEST", "2026-03-29 05:00:00 CEST"}},
    {"0 * * * * *", "2026-03-29 01:58:30",
     {"2026-03-29 01:59:00 CET", "2026-03-29 03:00:00 CEST", "2026-03-29 03:01:00 CEST"}},
    {"0 */15 * * * *", "2026-03-29 01:40:00",
     {"2026-03-29 01:45:00 CET", "2026-03-29 03:00:00 CEST", "2026-03-29 03:15:00 CEST"}},
    {"* * * * * *", "2026-03-29 01:59:58",
     {"2026-03-29 01:59:59 CET", "2026-03-29 03:00:00 CEST", "2026-03-29 03:00:01 CEST"}},
    /* clocks back 2026-10-25 03:00 CEST -> 02:00 CET: the repeated hour fires once */
    {"0 30 2 * * *", "2026-10-24 03:00:00",
     {"2026-10-25 02:30:00 CEST", "2026-10-26 02:30:00 CET", "2026-10-27 02:30:00 CET"}},
    {"0 30 2 * * *", "2026-10-25 02:10:00 CET",
     {"2026-10-26 02:30:00 CET", "2026-10-27 02:30:00 CET", "2026-10-28 02:30:00 CET"}},
    {"0 0 * * * *", "2026-10-25 01:30:00",
     {"2026-10-25 02:00:00 CEST", "2026-10-25 03:00:00 CET", "2026-10-25 04:00:00 CET"}},
    {"0 * * * * *", "2026-10-25 02:58:30 CEST",
     {"2026-10-25 02:59:00 CEST", "2026-10-25 03:00:00 CET", "2026-10-25 03:01:00 CET"}},
    {"0 */15 * * * *", "2026-10-25 02:10:00 CEST",
     {"2026-10-25 02:15:00 CEST", "2026-10-25 02:30:00 CEST", "2026-10-25 02:45:00 CEST"}},
    {"0 */15 * * * *", "2026-10-25 02:10:00 CET",
     {"2026-10-25 03:00:00 CET", "2026-10-25 03:15:00 CET", "2026-10-25 03:30:00 CET"}},
    {"* * * * * *", "2026-10-25 02:59:58 CEST",
     {"2026-10-25 02:59:59 CEST", "2026-10-25 03:00:00 CET", "2026-10-25 03:00:01 CET"}},
    /* year boundary */
    {"0 0 0 1 1 *", "2026-12-31 23:59:59",
     {"2027-01-01 00:00:00", "2028-01-01 00:00:00", "2029-01-01 00:00:00"}},
    {"0 * * * * *", "2026-12-31 23:59:30",
     {"2027-01-01 00:00:00", "2027-01-01 00:01:00", "2027-01-01 00:02:00"}},
    /* 5 fields: minute hour day-of-month month day-of-week, with Vixie's OR of the day fields */
    {"*/10 * * * *", "2026-05-10 12:05:00",
     {"2026-05-10 12:10:00", "2026-05-10 12:20:00", "2026-05-10 12:30:00"}},
    {"30 8 * * 1-5", "2026-05-08 09:00:00",
     {"2026-05-11 08:30:00", "2026-05-12 08:30:00", "2026-05-13 08:30:00"}},
    {"0 0 13 * 5", "2026-01-01 00:00:00", /* the 13th or any Friday */
     {"2026-01-02 00:00:00", "2026-01-09 00:00:00", "2026-01-13 00:00:00"}},
    {"0 0 1,L * MON", "2026-05-20 00:00:00",
     {"2026-05-25 00:00:00", "2026-05-31 00:00:00", "2026-06-01 00:00:00"}},
    {"0 0 * * 5", "2026-01-01 00:00:00", /* day-of-month '*': only Fridays */
     {"2026-01-02 00:00:00", "2026-01-09 00:00:00", "2026-01-16 00:00:00"}},
    {"0 12 * * 7", "2026-05-06 00:00:00",
     {"2026-05-10 12:00:00", "2026-05-17 12:00:00", "2026-05-24 12:00:00"}},
    {"0 0 * * */2", "2026-05-04 00:00:00", /* Vixie: SUN, TUE, THU, SAT */
     {"2026-05-05 00:00:00", "2026-05-07 00:00:00", "2026-05-09 00:00:00"}},
    {"30 2 * * *", "2026-03-28 03:00:00",
     {"2026-03-30 02:30:00 CEST", "2026-03-31 02:30:00 CEST", "2026-04-01 02:30:00 CEST"}},
    /* macros */
    {"@yearly", "2026-05-10 00:00:00",
     {"2027-01-01 00:00:00", "2028-01-01 00:00:00", "2029-01-01 00:00:00"}},
    {"@annually", "2026-05-10 00:00:00",
     {"2027-01-01 00:00:00", "2028-01-01 00:00:00", "2029-01-01 00:00:00"}},
    {"@monthly", "2026-05-10 00:00:00",
     {"2026-06-01 00:00:00", "2026-07-01 00:00:00", "2026-08-01 00:00:00"}},
    {"@weekly", "2026-05-06 00:00:00",
     {"2026-05-10 00:00:00", "2026-05-17 00:00:00", "2026-05-24 00:00:00"}},
    {"@daily", "2026-05-10 12:00:00",
     {"2026-05-11 00:00:00", "2026-05-12 00:00:00", "2026-05-13 00:00:00"}},
    {"@midnight", "2026-05-10 12:00:00",
     {"2026-05-11 00:00:00", "2026-05-12 00:00:00", "2026-05-13 00:00:00"}},
    {"@hourly", "2026-03-29 00:30:00",
     {"2026-03-29 01:00:00 CET", "2026-03-29 03:00:00 CEST", "2026-03-29 04:00:00 CEST"}},
    {" @Daily ", "2026-10-24 12:00:00",
     {"2026-10-25 00:00:00 CEST", "2026-10-26 00:00:00 CET", "2026-10-27 00:00:00 CET"}},
};

static const next_case UTC_CASES[] = {
    {"0 30 2 * * *", "2026-03-29 00:00:00",
     {"2026-03-29 02:30:00 UTC", "2026-03-30 02:30:00 UTC", "2026-03-31 02:30:00 UTC"}},
    {"0 0 * * * *", "2026-10-25 01:30:00",
     {"2026-10-25 02:00:00 UTC", "2026-10-25 03:00:00 UTC", "2026-10-25 04:00:00 UTC"}},
    {"* * * * * *", "2026-12-31 23:59:58",
     {"2026-12-31 23:59:59 UTC", "2027-01-01 00:00:00 UTC", "2027-01-01 00:00:01 UTC"}},
    {"0 0 0 L 2 *", "2027-03-01 00:00:00",
     {"2028-02-29 00:00:00 UTC", "2029-02-28 00:00:00 UTC", "2030-02-28 00:00:00 UTC"}},
    {"0 * * * *", "2026-10-25 01:30:00",
     {"2026-10-25 02:00:00 UTC", "2026-10-25 03:00:00 UTC", "2026-10-25 04:00:00 UTC"}},
    {"@weekly", "1970-01-01 00:00:00",
     {"1970-01-04 00:00:00 UTC", "1970-01-11 00:00:00 UTC", "1970-01-18 00:00:00 UTC"}},
    {"0 0 0 1 1 *", "1969-06-01 00:00:00",
     {"1970-01-01 00:00:00 UTC", "1971-01-01 00:00:00 UTC", "1972-01-01 00:00:00 UTC"}},
};

static void check_case(const next_case *c)
{
    cron_expr e = parse_ok(c->expr);
    time_t t = local_time(c->start);
    for (int i = 0; i < 3 && c->next[i]; i++) {
        time_t prev = t;
        t = cron_next(&e, t);
        char got[64];
        format_local(t, got, sizeof got);
        if (!same_local(c->next[i], got))
            fail_msg("'%s' from %s: fire %d should be %s, got %s", c->expr, c->start, i + 1,
                     c->next[i], got);
        if (t == -1)
            return;
        assert_true(t > prev);
    }
}

static void run_cases(const char *zone, const next_case *cases, size_t count)
{
    use_zone(zone);
    for (size_t i = 0; i < count; i++)
        check_case(&cases[i]);
}

static void test_next_warsaw(void **state)
{
    (void)state;
    run_cases("Europe/Warsaw", WARSAW_CASES, sizeof WARSAW_CASES / sizeof WARSAW_CASES[0]);
}

static void test_next_utc(void **state)
{
    (void)state;
    run_cases("UTC", UTC_CASES, sizeof UTC_CASES / sizeof UTC_CASES[0]);
}

static void test_table_sizes(void **state)
{
    (void)state;
    assert_true(sizeof WARSAW_CASES / sizeof WARSAW_CASES[0] >= 60);
}

/* The exact epoch values across the spring-forward gap, not only their local spelling. */
static void test_next_hourly_gap_epochs(void **state)
{
    (void)state;
    use_zone("Europe/Warsaw");
    cron_expr e = parse_ok("0 0 * * * *");
    time_t t = 1774744200; /* 2026-03-29 01:30 CET = 00:30 UTC */
    assert_int_equal(cron_next(&e, t), 1774746000); /* 03:00 CEST = 01:00 UTC */
    cron_expr leap = parse_ok("0 0 0 29 2 *");
    assert_int_equal(cron_next(&leap, 1767222000), 1835391600); /* 2028-02-29 00:00 CET */
}

/* ---- invalid expressions ---- */

typedef struct bad_case {
    const char *expr;
    const char *words[2]; /* must appear in the message */
} bad_case;

static const bad_case BAD_CASES[] = {
    {"", {"expected 5 or 6 fields, found 0"}},
    {"* * * *", {"expected 5 or 6 fields, found 4"}},
    {"* * * * * * *", {"found 7"}},
    {"60 * * * * *", {"second: ", "60 is out of range 0-59"}},
    {"* 60 * * * *", {"minute: ", "out of range 0-59"}},
    {"61 * * * *", {"minute: ", "out of range 0-59"}},
    {"* * 24 * * *", {"hour: ", "out of range 0-23"}},
    {"* * * 0 * *", {"day-of-month: ", "out of range 1-31"}},
    {"* * * 32 * *", {"day-of-month: 32 is out of range 1-31"}},
    {"* * * * 13 *", {"month: ", "out of range 1-12"}},
    {"* * * * 0 *", {"month: ", "out of range 1-12"}},
    {"* * * * * 8", {"day-of-week: ", "out of range 0-7"}},
    {"* * * * 8", {"day-of-week: ", "out of range 0-7"}},
    {"99999999999999 * * * * *", {"second: ", "out of range"}},
    {"* * * * FOO *", {"month: ", "unknown name 'FOO'"}},
    {"* * * * * FUN", {"day-of-week: ", "unknown name 'FUN'"}},
    {"* * * * * MONDAY", {"day-of-week: ", "unknown name"}},
    {"a * * * * *", {"second: ", "unknown name 'a'"}},
    {"*/0 * * * * *", {"second: ", "step 0"}},
    {"* 0/ * * * *", {"minute: ", "bad step"}},
    {"* */x * * * *", {"minute: ", "bad step"}},
    {"* 1,,2 * * * *", {"minute: ", "empty list item"}},
    {"* 1, * * * *", {"minute: ", "empty list item"}},
    {"* * * * ,JAN *", {"month: ", "empty list item"}},
    {"* * 10-5 * * *", {"hour: ", "starts after it ends"}},
    {"* * * * * FRI-MON", {"day-of-week: ", "starts after it ends"}},
    {"* * * * * 1-", {"day-of-week: ", "missing value"}},
    {"-1 * * * * *", {"second: ", "unexpected '-'"}},
    {"* * * 1-2-3 * *", {"day-of-month: ", "unexpected '-'"}},
    {"* * * * * ?x", {"day-of-week: ", "unexpected '?'"}},
    {"* * * W * *", {"day-of-month: ", "bad use of 'L'/'W'"}},
    {"* * * 5L * *", {"day-of-month: ", "bad use of 'L'/'W'"}},
    {"* * * L/2 * *", {"day-of-month: ", "bad use of 'L'/'W'"}},
    {"* * * 32W * *", {"day-of-month: ", "out of range 1-31"}},
    {"* * * L-0 * *", {"day-of-month: ", "must be 1-30"}},
    {"* * * L-31 * *", {"day-of-month: ", "must be 1-30"}},
    {"* * * L,L-2 * *", {"day-of-month: ", "only one 'L'"}},
    {"* * * 1W,LW * *", {"day-of-month: ", "only one 'nW'"}},
    {"* * * * * L", {"day-of-week: ", "bad use of 'L'"}},
    {"* * * * * 8L", {"day-of-week: ", "out of range 0-7"}},
    {"* * * * * 1-5L", {"day-of-week: ", "unexpected '-'"}},
    {"* * * * * MON#6", {"day-of-week: ", "bad use of '#'"}},
    {"* * * * * MON#0", {"day-of-week: ", "bad use of '#'"}},
    {"* * * * * #2", {"day-of-week: ", "bad use of '#'"}},
    {"* * * * * 1#", {"day-of-week: ", "bad use of '#'"}},
    {"* * * * * 1#2,3#1", {"day-of-week: ", "only one 'd#n'"}},
    {"* * * * * 1L,FRIL", {"day-of-week: ", "only one 'dL'"}},
    {"* * L * * *", {"hour: ", "only allowed in day-of-month or day-of-week"}},
    {"* * * * W *", {"month: ", "only allowed in day-of-month or day-of-week"}},
    {"* * 1#2 * * *", {"hour: ", "'#' is only allowed in day-of-week"}},
    {"@reboot", {"unknown macro '@reboot'"}},
    {"@daily 5", {"unknown macro"}},
};

static void test_parse_errors(void **state)
{
    (void)state;
    assert_true(sizeof BAD_CASES / sizeof BAD_CASES[0] >= 25);
    for (size_t i = 0; i < sizeof BAD_CASES / sizeof BAD_CASES[0]; i++) {
        const bad_case *c = &BAD_CASES[i];
        cron_expr e;
        char err[160] = "";
        if (cron_parse(c->expr, &e, err, sizeof err) != -1)
            fail_msg("'%s' should not parse", c->expr);
        for (int w = 0; w < 2 && c->words[w]; w++)
            if (!strstr(err, c->words[w]))
                fail_msg("'%s': message '%s' should contain '%s'", c->expr, err, c->words[w]);
    }
}

static void test_parse_error_buffers(void **state)
{
    (void)state;
    cron_expr e;
    assert_int_equal(cron_parse("* * *", &e, NULL, 0), -1);
    assert_int_equal(cron_parse(NULL, &e, NULL, 0), -1);
    char tiny[8];
    assert_int_equal(cron_parse("* * * 32 * *", &e, tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "day-of-");
}

/* ---- parsed fields ---- */

static void test_parse_fields_spring(void **state)
{
    (void)state;
    cron_expr e = parse_ok("0 0/15 9-17 * * MON-FRI");
    assert_int_equal(e.seconds, 1);
    assert_int_equal(e.minutes, 1ULL << 0 | 1ULL << 15 | 1ULL << 30 | 1ULL << 45);
    assert_int_equal(e.hours, 0x3FE00); /* 9-17 */
    assert_int_equal(e.days, 0xFFFFFFFE);
    assert_true(e.days_any);
    assert_int_equal(e.months, 0x1FFE);
    assert_int_equal(e.weekdays, 0x3E);
    assert_false(e.weekdays_any);
    assert_false(e.vixie);
    assert_int_equal(e.last_day_offset, -1);
    assert_int_equal(e.nearest_weekday, 0);
    assert_int_equal(e.nth_weekday, 0);
    assert_int_equal(e.last_weekday, -1);
}

static void test_parse_fields_crontab(void **state)
{
    (void)state;
    cron_expr e = parse_ok("*/20 0,12 13 jan-Mar 5");
    assert_true(e.vixie);
    assert_int_equal(e.seconds, 1);
    assert_int_equal(e.minutes, 1ULL << 0 | 1ULL << 20 | 1ULL << 40);
    assert_int_equal(e.hours, 1 << 0 | 1 << 12);
    assert_int_equal(e.days, 1U << 13);
    assert_int_equal(e.months, 0xE);
    assert_int_equal(e.weekdays, 1 << 5);
    assert_false(e.days_any);
    assert_false(e.weekdays_any);
}

static void test_parse_fields_extensions(void **state)
{
    (void)state;
    cron_expr e = parse_ok("0 0 0 L-3 * 5L");
    assert_int_equal(e.last_day_offset, 3);
    assert_int_equal(e.last_weekday, 5);
    assert_int_equal(e.days, 0);
    assert_false(e.days_any);

    e = parse_ok("0 0 0 1,15W * SUN#2");
    assert_int_equal(e.days, 1U << 1);
    assert_int_equal(e.nearest_weekday, 15);
    assert_int_equal(e.nth_weekday, 2);
    assert_int_equal(e.nth_weekday_day, 0);

    e = parse_ok("0 0 0 lw * 7l");
    assert_int_equal(e.nearest_weekday, 32);
    assert_int_equal(e.last_weekday, 0);
    assert_int_equal(e.last_day_offset, -1);

    e = parse_ok("0 0 0 L * *");
    assert_int_equal(e.last_day_offset, 0);
}

static void test_parse_sunday_and_question_mark(void **state)
{
    (void)state;
    cron_expr e = parse_ok("0 0 0 ? * 0,7");
    assert_int_equal(e.weekdays, 1);
    assert_true(e.days_any);
    e = parse_ok("0 0 0 * * SUN-SAT");
    assert_int_equal(e.weekdays, 0x7F);
    e = parse_ok("0 0 0 * * SAT-SUN");
    assert_int_equal(e.weekdays, 1 << 6 | 1);
    e = parse_ok("0 0 0 * * 7");
    assert_int_equal(e.weekdays, 1);
    e = parse_ok("0 0 0 * * ?");
    assert_int_equal(e.weekdays, 0x7F);
    assert_true(e.weekdays_any);
    e = parse_ok("0 0 0 * * */2");
    assert_int_equal(e.weekdays, 1 << 1 | 1 << 3 | 1 << 5 | 1); /* Spring counts from Monday */
    e = parse_ok("0 0 * * */2");
    assert_int_equal(e.weekdays, 1 | 1 << 2 | 1 << 4 | 1 << 6); /* Vixie counts from Sunday */
}

static void test_parse_macros_and_spacing(void **state)
{
    (void)state;
    cron_expr weekly = parse_ok("@WEEKLY");
    cron_expr plain = parse_ok("0 0 0 * * 0");
    assert_memory_equal(&weekly, &plain, sizeof plain);
    cron_expr spaced = parse_ok("\t 0  0\t1 * *   * \n");
    cron_expr daily = parse_ok("0 0 1 * * *");
    assert_memory_equal(&spaced, &daily, sizeof daily);
    cron_expr hourly = parse_ok("@hourly");
    assert_int_equal(hourly.minutes, 1);
    assert_int_equal(hourly.hours, 0xFFFFFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_table_sizes, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_next_warsaw, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_next_utc, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_next_hourly_gap_epochs, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_errors, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_error_buffers, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_fields_spring, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_fields_crontab, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_fields_extensions, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_sunday_and_question_mark, save_tz, restore_tz),
        cmocka_unit_test_setup_teardown(test_parse_macros_and_spacing, save_tz, restore_tz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
