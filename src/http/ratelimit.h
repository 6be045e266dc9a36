/* Token-bucket rate limiting per key (a client IP, a username) in a fixed-size table, so memory
 * stays bounded whatever the number of clients: when the table is full the least recently seen
 * key is forgotten. Thread-safe. */
#ifndef ASWG_HTTP_RATELIMIT_H
#define ASWG_HTTP_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct rate_limiter rate_limiter;

rate_limiter *rate_limiter_new(size_t slots);
void rate_limiter_free(rate_limiter *rl);

/* Takes one token from key's bucket (capacity per_minute, refilled evenly over a minute).
 * Returns 0 when allowed, else the whole seconds (>= 1) until a token is available.
 * per_minute <= 0 means no limit. */
int rate_limiter_take(rate_limiter *rl, const char *key, int64_t per_minute, int64_t now_ms);

#endif
