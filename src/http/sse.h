/* Server-sent event streams without a thread per viewer (libmicrohttpd suspend/resume): a
 * stream with nothing to send is suspended; new data or the 10 s ping resumes it. */
#ifndef ASWG_HTTP_SSE_H
#define ASWG_HTTP_SSE_H

#include "http/http.h"

#include <stdint.h>

#define SSE_MAX_STREAMS 32

/* Where a stream's events come from: each stream keeps its own cursor. */
typedef struct sse_source {
    uint64_t (*cursor_now)(void);
    /* Writes whole events after *cursor into buf (at most cap bytes), advancing it. */
    size_t (*read)(uint64_t *cursor, char *buf, size_t cap);
} sse_source;

int sse_start(const sse_source *source);
/* Ends every stream and stops the ping thread (before the HTTP server stops). */
void sse_stop(void);
/* New data: wakes the streams waiting for it. */
void sse_notify(void);
/* Answers the request with an endless text/event-stream of source's events ("ping" events with
 * data "healthcheck" every 10 s, the first after 5 s). 429 when SSE_MAX_STREAMS are open. */
void reply_sse(http_request *req, http_reply *rep);

#endif
