/* Date formats of the wire (ASWG-API.md): ISO-8601 with offset, and yyyy-MM-dd HH:mm:ss, both in
 * the server's local time. */
#ifndef ASWG_CORE_TIMEFMT_H
#define ASWG_CORE_TIMEFMT_H

#include <stdint.h>

#define TIME_ISO_MAX 40

/* ms since the epoch -> "2025-01-31T12:00:00.123+01:00". */
void time_format_iso(int64_t ms, char out[TIME_ISO_MAX]);
/* ms since the epoch -> "2025-01-31 12:00:00". */
void time_format_local(int64_t ms, char out[TIME_ISO_MAX]);

#endif
