/* Outgoing HTTP (libcurl): one request, the whole answer in memory (capped), http and https
 * only, no signals, bounded time. Used for Discord webhooks and the Steam Web API. */
#ifndef ASWG_CORE_HTTP_CLIENT_H
#define ASWG_CORE_HTTP_CLIENT_H

#include <stddef.h>

#define HTTP_CLIENT_BODY_MAX ((size_t)8 * 1024 * 1024)

typedef struct http_client_answer {
    long status;            /* HTTP status, 0 when no answer came (see error) */
    char *body;             /* NUL-terminated, malloc'd (NULL when none); cut at HTTP_CLIENT_BODY_MAX */
    size_t body_len;
    double retry_after_s;   /* the Retry-After header in seconds, 0 when absent */
    char error[256];
} http_client_answer;

int http_client_init(void);
void http_client_cleanup(void);

/* POSTs body as content_type when body is not NULL, else GETs url. Never logs the URL (it may
 * hold a secret). Free the answer with http_client_answer_free. */
void http_client_request(const char *url, const char *content_type, const char *body, long timeout_s,
                         http_client_answer *answer);
void http_client_answer_free(http_client_answer *answer);

/* Percent-encodes s for a URL query or form (malloc'd). */
char *http_client_escape(const char *s);

#endif
