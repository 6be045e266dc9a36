/* Cron expressions: parsing and next fire times in local time.
 *
 * Accepted forms:
 *   - Spring's 6 fields: second minute hour day-of-month month day-of-week;
 *   - the classic 5-field crontab: minute hour day-of-month month day-of-week (second = 0);
 *   - macros @yearly @annually @monthly @weekly @daily @midnight @hourly.
 * In every field: '*', '?', numbers, ranges a-b, steps (*\/5, 0/15, 10-40/10), lists a,b,c;
 * month names JAN-DEC and day names MON-SUN (any case); day-of-week 0 and 7 are both Sunday.
 * Spring's day extensions: day-of-month 'L' (last day), 'L-n' (n days before the last), 'nW'
 * (weekday nearest to day n, within the month), 'LW' (last weekday); day-of-week 'nL'/'DDDL'
 * (last given weekday of the month, e.g. 5L, FRIL) and 'd#n' (n-th given weekday, e.g. MON#2).
 *
 * Day matching: with 6 fields (Spring) a day must match both day-of-month and day-of-week; with 5
 * fields (crontab) a day matches either when both are restricted (neither is '*' or '?'), as Vixie
 * cron does.
 *
 * Daylight saving time: times are wall-clock times in the local zone (TZ). A wall-clock time that
 * does not exist (skipped when clocks go forward) does not fire; a time that happens twice (clocks
 * go back) fires once, at its first occurrence. */
#ifndef ASWG_CORE_CRON_H
#define ASWG_CORE_CRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct cron_expr {
    uint64_t seconds;       /* bit s: second s (0-59) */
    uint64_t minutes;       /* bit m: minute m (0-59) */
    uint32_t hours;         /* bit h: hour h (0-23) */
    uint32_t days;          /* bit d: day-of-month d (1-31) */
    uint16_t months;        /* bit m: month m (1-12) */
    uint8_t weekdays;       /* bit d: day-of-week d (0 = Sunday ... 6) */
    bool days_any;          /* day-of-month was '*' or '?' */
    bool weekdays_any;      /* day-of-week was '*' or '?' */
    bool vixie;             /* 5-field form: OR the two day fields when both are restricted */
    /* Spring's extensions (at most one of each kind, as Spring allows): */
    int8_t last_day_offset; /* -1: none; n >= 0: 'L-n' (0 = 'L') */
    int8_t nearest_weekday; /* 0: none; 1-31: 'nW'; 32: 'LW' */
    int8_t nth_weekday;     /* 0: none; 1-5 with nth_weekday_day: 'd#n' */
    int8_t nth_weekday_day;
    int8_t last_weekday;    /* -1: none; 0-6: 'dL' */
} cron_expr;

/* Parses text. On failure returns -1 and writes into err which field is bad and why, e.g.
 * "day-of-month: 32 is out of range 1-31" or "expected 5 or 6 fields, found 4". */
int cron_parse(const char *text, cron_expr *out, char *err, size_t err_size);

/* The first fire time strictly after `after`, in local time; -1 when there is none within the
 * next 8 years (e.g. "0 0 0 30 2 *"). */
time_t cron_next(const cron_expr *expr, time_t after);

#endif
