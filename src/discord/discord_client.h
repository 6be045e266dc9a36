/* One POST of a JSON message to a Discord webhook (libcurl; http or https only; 10 s timeout). */
#ifndef ASWG_DISCORD_DISCORD_CLIENT_H
#define ASWG_DISCORD_DISCORD_CLIENT_H

#include <stddef.h>

typedef struct discord_answer {
    long status;            /* HTTP status, 0 when no answer (network error) */
    double retry_after_s;   /* from a 429 (JSON retry_after or Retry-After), else 0 */
    char error[256];        /* curl's error text when status is 0 */
} discord_answer;

/* Posts json to url. Never logs the URL (it is a secret). */
void discord_post(const char *url, const char *json, discord_answer *answer);

#endif
