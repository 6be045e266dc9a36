#include "discord/discord_client.h"

#include "core/http_client.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Discord says how long to wait in its JSON (retry_after, seconds) and in Retry-After. */
static double retry_after(const http_client_answer *a)
{
    json_t *doc = a->body ? json_loadb(a->body, a->body_len, 0, NULL) : NULL;
    double seconds = json_number_value(json_object_get(doc, "retry_after"));
    json_decref(doc);
    return seconds > 0 ? seconds : a->retry_after_s;
}

void discord_post(const char *url, const char *json, discord_answer *answer)
{
    memset(answer, 0, sizeof *answer);
    http_client_answer a;
    http_client_request(url, "application/json", json, 10L, &a);
    answer->status = a.status;
    if (a.status == 429)
        answer->retry_after_s = retry_after(&a);
    snprintf(answer->error, sizeof answer->error, "%s", a.error);
    http_client_answer_free(&a);
}
