#include "core/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void local_tm(int64_t ms, struct tm *tm)
{
    time_t secs = (time_t)(ms / 1000);
    localtime_r(&secs, tm);
}

void time_format_iso(int64_t ms, char out[TIME_ISO_MAX])
{
    struct tm tm;
    local_tm(ms, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    off = labs(off) % 86400; /* offsets are within a day; the bound keeps the format short */
    snprintf(out, TIME_ISO_MAX, "%.19s.%03d%c%02d:%02d", base, (int)(ms % 1000), sign,
             (int)(off / 3600), (int)(off % 3600 / 60));
}

void time_format_local(int64_t ms, char out[TIME_ISO_MAX])
{
    struct tm tm;
    local_tm(ms, &tm);
    strftime(out, TIME_ISO_MAX, "%Y-%m-%d %H:%M:%S", &tm);
}
