/* libFuzzer target for core/cron: any text either fails to parse or gives fire times that are
 * strictly increasing, match the expression (checked by a reference matcher written
 * independently of cron.c's bit masks), are the first occurrence of their wall-clock time, and
 * leave no earlier match unfired. Starts sit around the offset changes of zones with one-hour,
 * half-hour and midnight DST changes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cron.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

#define MAX_INPUT 256
#define SCAN_MINUTES 360 /* how far after each start no earlier fire is looked for ... */
#define SCAN_DAYS 400    /* ... and, for whole days, how far */
#define BASE ((time_t)1767225600) /* 2026-01-01 00:00 UTC */

static const char *const ZONES[] = {"Europe/Warsaw", "UTC", "America/New_York",
                                    "Australia/Lord_Howe", "America/Santiago"};
#define ZONE_COUNT (sizeof ZONES / sizeof ZONES[0])
#define START_COUNT 6

static time_t starts[ZONE_COUNT][START_COUNT];
static size_t current_zone = ZONE_COUNT;

static long offset_at(time_t t)
{
    struct tm tm;
    CHECK(localtime_r(&t, &tm));
    return tm.tm_gmtoff;
}

/* The first offset change after `from`, found hour by hour and then by bisection. */
static time_t next_change(time_t from)
{
    long offset = offset_at(from);
    time_t hi = from;
    while (offset_at(hi) == offset)
        hi += 3600;
    time_t lo = hi - 3600;
    while (hi - lo > 1) {
        time_t mid = lo + (hi - lo) / 2;
        if (offset_at(mid) == offset)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

static void use_zone(size_t zone)
{
    if (zone == current_zone)
        return;
    setenv("TZ", ZONES[zone], 1);
    tzset();
    current_zone = zone;
}

static void init_starts(void)
{
    for (size_t z = 0; z < ZONE_COUNT; z++) {
        use_zone(z);
        time_t first = z == 1 ? BASE + 86400 * 90 : next_change(BASE);
        time_t second = z == 1 ? BASE + 86400 * 300 : next_change(first);
        time_t *s = starts[z];
        s[0] = BASE - 1;
        s[1] = first - 61;
        s[2] = first + 1799;
        s[3] = second - 61;
        s[4] = second + 1799;
        s[5] = (time_t)1835348400; /* 2028-02-28 12:00 UTC, before a leap day */
    }
}

/* ---- reference matcher, on struct tm ---- */

static bool has(uint64_t mask, int bit)
{
    return (mask >> bit) & 1;
}

/* Days in the month of tm, and the weekday of its day `day`, by timegm's normalisation. */
static int month_length(const struct tm *tm)
{
    struct tm probe = {.tm_year = tm->tm_year, .tm_mon = tm->tm_mon + 1, .tm_mday = 0};
    time_t t = timegm(&probe);
    struct tm out;
    gmtime_r(&t, &out);
    return out.tm_mday;
}

static int weekday_of_day(const struct tm *tm, int day)
{
    return ((tm->tm_wday + day - tm->tm_mday) % 7 + 7) % 7;
}

/* Whether day d is the weekday nearest to target within the month. */
static bool is_nearest_weekday(const struct tm *tm, int target, int len)
{
    if (target > len)
        return false;
    int wd = weekday_of_day(tm, target), d = tm->tm_mday;
    if (wd >= 1 && wd <= 5)
        return d == target;
    if (wd == 6)
        return target == 1 ? d == 3 : d == target - 1;
    return target == len ? d == target - 2 : d == target + 1;
}

static bool day_of_month_matches(const cron_expr *e, const struct tm *tm)
{
    int d = tm->tm_mday, len = month_length(tm);
    if (e->days_any || has(e->days, d))
        return true;
    if (e->last_day_offset >= 0 && d == len - e->last_day_offset)
        return true;
    if (e->nearest_weekday == 32) {
        int wd = weekday_of_day(tm, len);
        int last = wd == 6 ? len - 1 : wd == 0 ? len - 2 : len;
        return d == last;
    }
    return e->nearest_weekday > 0 && is_nearest_weekday(tm, e->nearest_weekday, len);
}

static bool day_of_week_matches(const cron_expr *e, const struct tm *tm)
{
    int wd = tm->tm_wday, d = tm->tm_mday;
    if (e->weekdays_any || has(e->weekdays, wd))
        return true;
    if (e->last_weekday == wd && d + 7 > month_length(tm))
        return true;
    return e->nth_weekday > 0 && e->nth_weekday_day == wd && (d - 1) / 7 + 1 == e->nth_weekday;
}

static bool day_matches(const cron_expr *e, const struct tm *tm)
{
    bool dom = day_of_month_matches(e, tm), dow = day_of_week_matches(e, tm);
    if (e->vixie && !e->days_any && !e->weekdays_any)
        return dom || dow;
    return dom && dow;
}

static bool minute_matches(const cron_expr *e, const struct tm *tm)
{
    return has(e->months, tm->tm_mon + 1) && day_matches(e, tm) && has(e->hours, tm->tm_hour) &&
           has(e->minutes, tm->tm_min);
}

/* No earlier real time shows the same wall clock as t (clocks going back repeat an hour). */
static bool first_occurrence(time_t t)
{
    long offset = offset_at(t);
    const time_t back[] = {t - 2 * 86400, t - 86400, t - 3 * 3600, t - 3600};
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++) {
        long earlier_offset = offset_at(back[i]);
        time_t twin = t + offset - earlier_offset;
        if (twin < t && offset_at(twin) == earlier_offset)
            return false;
    }
    return true;
}

static bool fires_at(const cron_expr *e, time_t t)
{
    struct tm tm;
    CHECK(localtime_r(&t, &tm));
    return minute_matches(e, &tm) && has(e->seconds, tm.tm_sec) && first_occurrence(t);
}

/* Nothing in (start, end) should fire: checked minute by minute, then second by second. */
static void check_no_fire_between(const cron_expr *e, time_t start, time_t end)
{
    time_t minute = start - (start % 60 + 60) % 60;
    for (int i = 0; i <= SCAN_MINUTES && minute < end; i++, minute += 60) {
        struct tm tm;
        CHECK(localtime_r(&minute, &tm));
        if (!minute_matches(e, &tm))
            continue;
        for (int s = 0; s < 60; s++) {
            time_t t = minute + s;
            CHECK(t <= start || t >= end || !fires_at(e, t));
        }
    }
}

static int64_t date_key(const struct tm *tm)
{
    return (int64_t)tm->tm_year * 10000 + tm->tm_mon * 100 + tm->tm_mday;
}

/* The earliest matching time of any matching day strictly between the dates of start and end
 * must not exist: it would have fired before end. */
static void check_no_fire_on_days_between(const cron_expr *e, time_t start, time_t end)
{
    struct tm first, last;
    CHECK(localtime_r(&start, &first));
    if (end != -1)
        CHECK(localtime_r(&end, &last));
    for (int d = 1; d <= SCAN_DAYS; d++) {
        struct tm day = {.tm_year = first.tm_year, .tm_mon = first.tm_mon,
                         .tm_mday = first.tm_mday + d, .tm_hour = 12, .tm_isdst = -1};
        CHECK(mktime(&day) != -1);
        if (end != -1 && date_key(&day) >= date_key(&last))
            return;
        if (!has(e->months, day.tm_mon + 1) || !day_matches(e, &day))
            continue;
        struct tm wall = day;
        wall.tm_hour = __builtin_ctzll(e->hours);
        wall.tm_min = __builtin_ctzll(e->minutes);
        wall.tm_sec = __builtin_ctzll(e->seconds);
        wall.tm_isdst = -1;
        struct tm shown;
        time_t t = mktime(&wall);
        CHECK(localtime_r(&t, &shown));
        bool exists = shown.tm_hour == __builtin_ctzll(e->hours) &&
                      shown.tm_min == __builtin_ctzll(e->minutes) &&
                      shown.tm_sec == __builtin_ctzll(e->seconds);
        CHECK(!exists);
    }
}

static void check_from(const cron_expr *e, time_t start)
{
    time_t next = cron_next(e, start);
    CHECK(next == -1 || next > start);
    check_no_fire_between(e, start, next == -1 ? start + SCAN_MINUTES * 60 : next);
    check_no_fire_on_days_between(e, start, next);
    if (next == -1)
        return;
    CHECK(fires_at(e, next));
    time_t after = cron_next(e, next);
    CHECK(after == -1 || after > next);
    CHECK(after == -1 || fires_at(e, after));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        init_starts();
        ready = true;
    }
    if (size > MAX_INPUT)
        return 0;
    char text[MAX_INPUT + 1];
    memcpy(text, data, size);
    text[size] = '\0';

    cron_expr e;
    char err[96];
    if (cron_parse(text, &e, err, sizeof err) != 0) {
        CHECK(memchr(err, '\0', sizeof err) && err[0] != '\0');
        return 0;
    }
    unsigned sum = 0;
    for (size_t i = 0; i < size; i++)
        sum += data[i];
    size_t zone = sum % ZONE_COUNT;
    use_zone(zone);
    for (int i = 0; i < START_COUNT; i++)
        check_from(&e, starts[zone][i]);
    return 0;
}
