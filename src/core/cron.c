/* Cron expressions (see cron.h). Parsing fills one bit mask per field; cron_next searches
 * wall-clock time field by field with bit tricks, then maps the wall-clock result onto real time
 * with a few localtime_r probes, so it never steps second by second nor calls mktime.
 *
 * Choices where Spring's CronExpression leaves room:
 *   - a reversed range (FRI-MON, 40-10) is an error, as in Spring; Sunday may open a day-of-week
 *     range as 7 or SUN (SUN-SAT is 0-6) and close it as 7 or SUN (SAT-SUN is Saturday and Sunday);
 *   - '*' in day-of-week spans 1-7 with 6 fields (Spring: *\/2 is MON,WED,FRI,SUN) and 0-7 with 5
 *     fields (Vixie: *\/2 is SUN,TUE,THU,SAT);
 *   - 'nW' never leaves the month: a Saturday 1st moves to Monday 3rd, a Sunday last day to the
 *     Friday before; a month without day n (31W in April) has no such day, like plain 31;
 *   - 'L-n' takes n in 1-30; a month shorter than n + 1 days has no such day;
 *   - 'd#n' takes n in 1-5; a month without an n-th such weekday is skipped;
 *   - '?' is accepted as a whole field in every field and means '*'. */
#include "core/cron.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum field_id { F_SECOND, F_MINUTE, F_HOUR, F_DAY_OF_MONTH, F_MONTH, F_DAY_OF_WEEK };
#define FIELD_COUNT (F_DAY_OF_WEEK + 1)

typedef struct field_def {
    const char *name;
    int min, max;
    const char *const *names; /* names[i] stands for value i + 1 */
    int name_count;
} field_def;

static const char *const MONTH_NAMES[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
/* Spring numbers MON as 1 ... SUN as 7, so SUN can close a range (FRI-SUN). */
static const char *const DAY_NAMES[] = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

static const field_def FIELDS[FIELD_COUNT] = {
    [F_SECOND] = {"second", 0, 59, NULL, 0},
    [F_MINUTE] = {"minute", 0, 59, NULL, 0},
    [F_HOUR] = {"hour", 0, 23, NULL, 0},
    [F_DAY_OF_MONTH] = {"day-of-month", 1, 31, NULL, 0},
    [F_MONTH] = {"month", 1, 12, MONTH_NAMES, 12},
    [F_DAY_OF_WEEK] = {"day-of-week", 0, 7, DAY_NAMES, 7},
};

static const struct {
    const char *name, *expansion;
} MACROS[] = {
    {"@yearly", "0 0 0 1 1 *"},  {"@annually", "0 0 0 1 1 *"}, {"@monthly", "0 0 0 1 * *"},
    {"@weekly", "0 0 0 * * 0"},  {"@daily", "0 0 0 * * *"},    {"@midnight", "0 0 0 * * *"},
    {"@hourly", "0 0 * * * *"},
};

#define MAX_NUMBER 100000 /* digits beyond this only matter for the error message */
#define LAST_WEEKDAY_OF_MONTH 32 /* nearest_weekday value for 'LW' */

/* ---- parsing ---- */

typedef struct parser {
    const field_def *field;
    enum field_id id;
    bool vixie;
    cron_expr *out;
    uint64_t bits;              /* values of plain items in the field being parsed */
    const char *item, *item_end; /* the list item being parsed, for messages */
    char *err;
    size_t err_size;
} parser;

static void write_error(char *err, size_t err_size, const char *prefix, const char *fmt,
                        va_list args)
{
    if (!err || err_size == 0)
        return;
    int n = prefix ? snprintf(err, err_size, "%s: ", prefix) : 0;
    if (n >= 0 && (size_t)n < err_size)
        vsnprintf(err + n, err_size - (size_t)n, fmt, args);
}

static int fail_expr(char *err, size_t err_size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    write_error(err, err_size, NULL, fmt, args);
    va_end(args);
    return -1;
}

/* Reports an error in the current field, prefixed with its name. */
static int fail(parser *p, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    write_error(p->err, p->err_size, p->field->name, fmt, args);
    va_end(args);
    return -1;
}

static int item_len(const parser *p)
{
    return (int)(p->item_end - p->item);
}

static bool contains_any(const char *s, const char *end, const char *chars)
{
    for (; s < end; s++)
        if (strchr(chars, *s))
            return true;
    return false;
}

static bool only_chars(const char *s, const char *end, const char *chars)
{
    for (; s < end; s++)
        if (!strchr(chars, *s))
            return false;
    return true;
}

/* Reads the digits at *pos; a value too big for MAX_NUMBER stays above it. */
static bool read_number(const char **pos, const char *end, int *value)
{
    const char *s = *pos;
    long v = 0;
    for (; s < end && isdigit((unsigned char)*s); s++)
        if (v <= MAX_NUMBER)
            v = v * 10 + (*s - '0');
    if (s == *pos)
        return false;
    *value = (int)v;
    *pos = s;
    return true;
}

static int lookup_name(const field_def *f, const char *s, size_t n)
{
    for (int i = 0; i < f->name_count; i++)
        if (n == 3 && strncasecmp(s, f->names[i], 3) == 0)
            return i + 1;
    return -1;
}

static int read_name(parser *p, const char **pos, const char *end, int *value)
{
    const char *s = *pos, *e = s;
    while (e < end && isalpha((unsigned char)*e))
        e++;
    int n = (int)(e - s);
    int v = lookup_name(p->field, s, (size_t)n);
    if (v < 0) {
        if (only_chars(s, e, "LlWw"))
            return fail(p, "'%.*s' is only allowed in day-of-month or day-of-week", n, s);
        return fail(p, "unknown name '%.*s'", n, s);
    }
    *value = v;
    *pos = e;
    return 0;
}

/* Reads one value (number or name) at *pos, checked against the field's range. */
static int read_value(parser *p, const char **pos, const char *end, int *value)
{
    const char *s = *pos;
    if (s < end && isalpha((unsigned char)*s))
        return read_name(p, pos, end, value);
    if (!read_number(pos, end, value)) {
        if (s == end)
            return fail(p, "missing value in '%.*s'", item_len(p), p->item);
        return fail(p, "unexpected '%c' in '%.*s'", *s, item_len(p), p->item);
    }
    if (*value < p->field->min || *value > p->field->max)
        return fail(p, "%.*s is out of range %d-%d", (int)(*pos - s), s, p->field->min,
                    p->field->max);
    return 0;
}

/* A single value filling [s, end) exactly, e.g. the day before 'L' or '#'. */
static int read_whole_value(parser *p, const char *s, const char *end, int *value)
{
    if (read_value(p, &s, end, value) < 0)
        return -1;
    if (s != end)
        return fail(p, "unexpected '%c' in '%.*s'", *s, item_len(p), p->item);
    return 0;
}

static int read_step(parser *p, const char **pos, const char *end, int *step)
{
    if (!read_number(pos, end, step))
        return fail(p, "bad step in '%.*s': expected a number after '/'", item_len(p), p->item);
    if (*step == 0)
        return fail(p, "step 0 in '%.*s': the step must be 1 or more", item_len(p), p->item);
    return 0;
}

/* '*' over day-of-week starts at Monday (1) in Spring and at Sunday (0) in Vixie cron. */
static int star_min(const parser *p)
{
    return p->id == F_DAY_OF_WEEK && !p->vixie ? 1 : p->field->min;
}

/* '*', 'a', 'a-b', each optionally with '/step'. */
static int parse_range_item(parser *p, const char *s, const char *end)
{
    int lo, hi, step = 1;
    bool star = s < end && *s == '*', ranged = false;
    if (star) {
        s++;
        lo = star_min(p);
        hi = p->field->max;
    } else {
        if (read_value(p, &s, end, &lo) < 0)
            return -1;
        hi = lo;
        if (s < end && *s == '-') {
            s++;
            if (read_value(p, &s, end, &hi) < 0)
                return -1;
            ranged = true;
            if (p->id == F_DAY_OF_WEEK && lo == 7 && hi < 7)
                lo = 0; /* Sunday opening a range is day 0 */
            if (lo > hi)
                return fail(p, "range '%.*s' starts after it ends", item_len(p), p->item);
        }
    }
    if (s < end && *s == '/') {
        s++;
        if (read_step(p, &s, end, &step) < 0)
            return -1;
        if (!star && !ranged)
            hi = p->field->max; /* '5/15' runs from 5 to the end of the range */
    }
    if (s != end)
        return fail(p, "unexpected '%c' in '%.*s'", *s, item_len(p), p->item);
    for (int v = lo; v <= hi; v += step)
        p->bits |= 1ULL << v;
    return 0;
}

static int set_last_day(parser *p, int offset)
{
    if (p->out->last_day_offset >= 0)
        return fail(p, "only one 'L' or 'L-n' item is allowed");
    p->out->last_day_offset = (int8_t)offset;
    return 0;
}

static int set_nearest_weekday(parser *p, int day)
{
    if (p->out->nearest_weekday)
        return fail(p, "only one 'nW' or 'LW' item is allowed");
    p->out->nearest_weekday = (int8_t)day;
    return 0;
}

/* Day-of-month 'L', 'L-n', 'LW' and 'nW'. */
static int parse_day_of_month_special(parser *p, const char *s, const char *end)
{
    size_t n = (size_t)(end - s);
    if (toupper((unsigned char)s[0]) == 'L') {
        if (n == 1)
            return set_last_day(p, 0);
        if (n == 2 && toupper((unsigned char)s[1]) == 'W')
            return set_nearest_weekday(p, LAST_WEEKDAY_OF_MONTH);
        const char *digits = s + 2;
        int offset;
        if (s[1] == '-' && read_number(&digits, end, &offset) && digits == end) {
            if (offset < 1 || offset > 30)
                return fail(p, "offset in '%.*s' must be 1-30", item_len(p), p->item);
            return set_last_day(p, offset);
        }
    } else if (n > 1 && toupper((unsigned char)end[-1]) == 'W' && isdigit((unsigned char)s[0])) {
        int day;
        if (read_whole_value(p, s, end - 1, &day) < 0)
            return -1;
        return set_nearest_weekday(p, day);
    }
    return fail(p, "bad use of 'L'/'W' in '%.*s': expected L, L-n, nW or LW", item_len(p),
                p->item);
}

/* Day-of-week 'dL' (last d of the month) and 'd#n' (n-th d of the month). */
static int parse_day_of_week_special(parser *p, const char *s, const char *end)
{
    const char *hash = memchr(s, '#', (size_t)(end - s));
    int day;
    if (hash) {
        const char *digits = hash + 1;
        int nth;
        if (hash == s || !read_number(&digits, end, &nth) || digits != end || nth < 1 || nth > 5)
            return fail(p, "bad use of '#' in '%.*s': expected day#n with n 1-5, e.g. MON#2",
                        item_len(p), p->item);
        if (read_whole_value(p, s, hash, &day) < 0)
            return -1;
        if (p->out->nth_weekday)
            return fail(p, "only one 'd#n' item is allowed");
        p->out->nth_weekday = (int8_t)nth;
        p->out->nth_weekday_day = (int8_t)(day % 7);
        return 0;
    }
    if (end - s < 2 || toupper((unsigned char)end[-1]) != 'L')
        return fail(p, "bad use of 'L' in '%.*s': expected dayL, e.g. 5L or FRIL", item_len(p),
                    p->item);
    if (read_whole_value(p, s, end - 1, &day) < 0)
        return -1;
    if (p->out->last_weekday >= 0)
        return fail(p, "only one 'dL' item is allowed");
    p->out->last_weekday = (int8_t)(day % 7);
    return 0;
}

static int parse_item(parser *p, const char *s, const char *end)
{
    p->item = s;
    p->item_end = end;
    if (s == end)
        return fail(p, "empty list item");
    if (p->id == F_DAY_OF_MONTH && contains_any(s, end, "LlWw"))
        return parse_day_of_month_special(p, s, end);
    if (p->id == F_DAY_OF_WEEK && contains_any(s, end, "Ll#"))
        return parse_day_of_week_special(p, s, end);
    if (contains_any(s, end, "#"))
        return fail(p, "'#' is only allowed in day-of-week");
    return parse_range_item(p, s, end);
}

/* Parses one field into p->bits (plus Spring's day extensions into p->out); *any tells whether
 * it was '*' or '?'. */
static int parse_field(parser *p, const char *s, const char *end, bool *any)
{
    static const char star[] = "*";
    *any = end - s == 1 && (*s == '*' || *s == '?');
    if (*any)
        return parse_item(p, star, star + 1);
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *item_end = comma ? comma : end;
        if (parse_item(p, s, item_end) < 0)
            return -1;
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

static void store_field(cron_expr *e, enum field_id id, uint64_t bits, bool any)
{
    switch (id) {
    case F_SECOND: e->seconds = bits; break;
    case F_MINUTE: e->minutes = bits; break;
    case F_HOUR: e->hours = (uint32_t)bits; break;
    case F_DAY_OF_MONTH:
        e->days = (uint32_t)bits;
        e->days_any = any;
        break;
    case F_MONTH: e->months = (uint16_t)bits; break;
    case F_DAY_OF_WEEK:
        e->weekdays = (uint8_t)((bits | bits >> 7) & 0x7F); /* 7 is Sunday too */
        e->weekdays_any = any;
        break;
    }
}

typedef struct span {
    const char *s, *end;
} span;

/* Splits text at whitespace into at most max spans; returns the total number of fields. */
static int split_fields(const char *text, span *fields, int max)
{
    int count = 0;
    const char *s = text;
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            return count;
        const char *start = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
        if (count < max)
            fields[count] = (span){start, s};
        count++;
    }
}

static const char *expand_macro(const char *text)
{
    for (size_t i = 0; i < sizeof MACROS / sizeof MACROS[0]; i++)
        if (strcasecmp(text, MACROS[i].name) == 0)
            return MACROS[i].expansion;
    return NULL;
}

/* Copies text without surrounding whitespace into buf; false when it does not fit. */
static bool trim_into(const char *text, char *buf, size_t size)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    if (n >= size)
        return false;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return true;
}

static int resolve_macro(const char *text, const char **expansion, char *err, size_t err_size)
{
    char name[16];
    if (trim_into(text, name, sizeof name) && (*expansion = expand_macro(name)) != NULL)
        return 0;
    return fail_expr(err, err_size, "unknown macro '%.40s'", text + strspn(text, " \t\r\n\f\v"));
}

int cron_parse(const char *text, cron_expr *out, char *err, size_t err_size)
{
    if (!text)
        text = "";
    if (text[strspn(text, " \t\r\n\f\v")] == '@' && resolve_macro(text, &text, err, err_size) < 0)
        return -1;
    span fields[6];
    int count = split_fields(text, fields, 6);
    if (count != 5 && count != 6)
        return fail_expr(err, err_size, "expected 5 or 6 fields, found %d", count);

    cron_expr e = {.last_day_offset = -1, .last_weekday = -1, .vixie = count == 5};
    parser p = {.vixie = e.vixie, .out = &e, .err = err, .err_size = err_size};
    int first = count == 5 ? F_MINUTE : F_SECOND;
    if (count == 5)
        e.seconds = 1; /* crontab fires at second 0 */
    for (int id = first; id < FIELD_COUNT; id++) {
        const span *f = &fields[id - first];
        bool any;
        p.id = (enum field_id)id;
        p.field = &FIELDS[id];
        p.bits = 0;
        if (parse_field(&p, f->s, f->end, &any) < 0)
            return -1;
        store_field(&e, p.id, p.bits, any);
    }
    *out = e;
    return 0;
}

/* ---- calendar arithmetic (proleptic Gregorian, no time zone) ---- */

#define SECONDS_PER_DAY INT64_C(86400)
#define SEARCH_YEARS 8
#define SIXTY_BITS ((1ULL << 60) - 1)

typedef struct wall_time {
    int64_t year;
    int month, day, hour, minute, second;
} wall_time;

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    switch (m) {
    case 2: return is_leap(y) ? 29 : 28;
    case 4: case 6: case 9: case 11: return 30;
    default: return 31;
    }
}

/* Days since 1970-01-01 (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, wall_time *w)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    w->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    w->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    w->year = yoe + era * 400 + (w->month <= 2);
}

/* 0 = Sunday. */
static int weekday_of(int64_t days)
{
    return (int)(days - floor_div(days + 4, 7) * 7 + 4);
}

static wall_time wall_from_seconds(int64_t secs)
{
    wall_time w;
    int64_t days = floor_div(secs, SECONDS_PER_DAY);
    int64_t rest = secs - days * SECONDS_PER_DAY;
    civil_from_days(days, &w);
    w.hour = (int)(rest / 3600);
    w.minute = (int)(rest / 60 % 60);
    w.second = (int)(rest % 60);
    return w;
}

static int64_t wall_to_seconds(const wall_time *w)
{
    return days_from_civil(w->year, w->month, w->day) * SECONDS_PER_DAY + (int64_t)w->hour * 3600 +
           (int64_t)w->minute * 60 + w->second;
}

/* ---- matching days of a month ---- */

/* Lowest set bit of mask at or above from, or -1. */
static int next_bit(uint64_t mask, int from)
{
    if (from > 63)
        return -1;
    mask &= ~0ULL << from;
    return mask ? __builtin_ctzll(mask) : -1;
}

static uint32_t day_bit(int day)
{
    return 1U << day;
}

/* Saturday moves to the Friday before and Sunday to the Monday after, unless that would leave
 * the month: then it goes the other way, over the weekend. */
static int nearest_weekday(int day, int len, int first_weekday)
{
    int weekday = (first_weekday + day - 1) % 7;
    if (weekday == 6)
        return day == 1 ? 3 : day - 1;
    if (weekday == 0)
        return day == len ? day - 2 : day + 1;
    return day;
}

static uint32_t day_of_month_mask(const cron_expr *e, int len, int first_weekday)
{
    uint32_t mask = e->days;
    int last = len - e->last_day_offset;
    if (e->last_day_offset >= 0 && last >= 1)
        mask |= day_bit(last);
    int target = e->nearest_weekday == LAST_WEEKDAY_OF_MONTH ? len : e->nearest_weekday;
    if (target >= 1 && target <= len)
        mask |= day_bit(nearest_weekday(target, len, first_weekday));
    return mask;
}

static uint32_t day_of_week_mask(const cron_expr *e, int len, int first_weekday)
{
    /* Rotate the weekday set so bit k means day k + 1, then repeat it every 7 days. */
    uint32_t week = e->weekdays & 0x7FU;
    uint32_t rotated = (week >> first_weekday | week << (7 - first_weekday)) & 0x7FU;
    uint32_t mask = rotated << 1;
    mask |= mask << 7;
    mask |= mask << 14;
    mask |= mask << 28;
    if (e->last_weekday >= 0) {
        int last_weekday = (first_weekday + len - 1) % 7;
        mask |= day_bit(len - (last_weekday - e->last_weekday + 7) % 7);
    }
    if (e->nth_weekday > 0) {
        int day = 1 + (e->nth_weekday_day - first_weekday + 7) % 7 + 7 * (e->nth_weekday - 1);
        if (day <= len)
            mask |= day_bit(day);
    }
    return mask;
}

/* Days 1-31 of the month that match the expression's two day fields. */
static uint32_t matching_days(const cron_expr *e, int64_t year, int month)
{
    int len = days_in_month(year, month);
    int first_weekday = weekday_of(days_from_civil(year, month, 1));
    uint32_t valid = ((1U << len) - 1) << 1;
    uint32_t dom = e->days_any ? valid : day_of_month_mask(e, len, first_weekday) & valid;
    uint32_t dow = e->weekdays_any ? valid : day_of_week_mask(e, len, first_weekday) & valid;
    if (e->vixie && !e->days_any && !e->weekdays_any)
        return dom | dow;
    return dom & dow;
}

/* ---- wall-clock search ---- */

/* The first wall-clock second after floor (seconds since 1970-01-01 00:00 wall clock) that
 * matches e, in a year up to last_year. */
static bool next_wall_match(const cron_expr *e, int64_t floor, int64_t last_year, int64_t *out)
{
    wall_time w = wall_from_seconds(floor + 1);
    int64_t days_year = 0;
    int days_month = 0; /* month of `days`; 0: not computed yet */
    uint32_t days = 0;
    for (;;) {
        if (w.year > last_year)
            return false;
        int month = next_bit(e->months & 0x1FFEU, w.month);
        if (month < 0) {
            w = (wall_time){w.year + 1, 1, 1, 0, 0, 0};
            continue;
        }
        if (month != w.month)
            w = (wall_time){w.year, month, 1, 0, 0, 0};
        if (days_month != w.month || days_year != w.year) {
            days = matching_days(e, w.year, w.month);
            days_year = w.year;
            days_month = w.month;
        }
        int day = next_bit(days, w.day);
        if (day < 0) {
            w = (wall_time){w.year, w.month + 1, 1, 0, 0, 0};
            continue;
        }
        if (day != w.day)
            w = (wall_time){w.year, w.month, day, 0, 0, 0};
        int hour = next_bit(e->hours & 0xFFFFFFU, w.hour);
        if (hour < 0) {
            w = (wall_time){w.year, w.month, w.day + 1, 0, 0, 0};
            continue;
        }
        if (hour != w.hour)
            w = (wall_time){w.year, w.month, w.day, hour, 0, 0};
        int minute = next_bit(e->minutes & SIXTY_BITS, w.minute);
        if (minute < 0) {
            w = (wall_time){w.year, w.month, w.day, w.hour + 1, 0, 0};
            continue;
        }
        if (minute != w.minute)
            w = (wall_time){w.year, w.month, w.day, w.hour, minute, 0};
        int second = next_bit(e->seconds & SIXTY_BITS, w.second);
        if (second < 0) {
            w = (wall_time){w.year, w.month, w.day, w.hour, w.minute + 1, 0};
            continue;
        }
        w.second = second;
        *out = wall_to_seconds(&w);
        return true;
    }
}

/* ---- from wall clock to real time ---- */

/* Half the window probed around a wall-clock time. tzdata (1970-2100) never changes a zone's UTC
 * offset twice within 4 days, so the window holds at most one change, and offsets differ by
 * less than this, so every real time showing a given wall clock lies inside it. */
#define PROBE_SPAN (2 * SECONDS_PER_DAY)

static bool utc_offset(int64_t t, long *offset)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return false;
    *offset = tm.tm_gmtoff;
    return true;
}

static bool has_offset(int64_t t, long offset)
{
    long actual;
    return utc_offset(t, &actual) && actual == offset;
}

/* The first second of (lo, hi] whose offset is not lo's. */
static int64_t find_transition(int64_t lo, int64_t hi, long lo_offset)
{
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (has_offset(mid, lo_offset))
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

typedef enum { FIRE, SKIP, FAIL } resolution;

/* Finds when wall clock `wall` first shows, and fires then if that is after `after`. Otherwise
 * (a time skipped by clocks going forward, or repeated and already passed) sets *floor to the
 * wall-clock time to search on from. guess is an offset of the zone near the time. */
static resolution resolve(int64_t wall, long guess, int64_t after, int64_t *fire, int64_t *floor)
{
    int64_t center = wall - guess;
    long before, later;
    if (!utc_offset(center - PROBE_SPAN, &before) || !utc_offset(center + PROBE_SPAN, &later))
        return FAIL;
    if (before == later) {
        *fire = wall - before;
        if (*fire > after)
            return FIRE;
        *floor = wall;
        return SKIP;
    }
    /* One offset change in the window: the wall clock shows before it, after it, both (clocks
     * went back; the first time counts) or neither (clocks went forward). */
    int64_t t_before = wall - before, t_after = wall - later;
    bool shows_before = has_offset(t_before, before);
    bool shows_after = has_offset(t_after, later);
    if (shows_before && t_before > after) {
        *fire = t_before;
        return FIRE;
    }
    if (shows_after && !shows_before && t_after > after) {
        *fire = t_after;
        return FIRE;
    }
    /* Skip the whole gap or repeated stretch, which ends at wall clock change + larger offset. */
    int64_t change = find_transition(center - PROBE_SPAN, center + PROBE_SPAN, before);
    int64_t end = change + (before > later ? before : later) - 1;
    *floor = end > wall ? end : wall;
    return SKIP;
}

time_t cron_next(const cron_expr *expr, time_t after)
{
    struct tm tm;
    if (!localtime_r(&after, &tm))
        return -1;
    int64_t floor = (int64_t)after + tm.tm_gmtoff;
    int64_t last_year = (int64_t)tm.tm_year + 1900 + SEARCH_YEARS;
    for (;;) {
        int64_t wall, fire;
        if (!next_wall_match(expr, floor, last_year, &wall))
            return -1;
        switch (resolve(wall, tm.tm_gmtoff, after, &fire, &floor)) {
        case FIRE: return (time_t)fire;
        case SKIP: break;
        case FAIL: return -1;
        }
    }
}
