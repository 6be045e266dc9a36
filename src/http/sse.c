#include "http/sse.h"

#include "core/log.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_SIZE 16384
#define PING_EVERY_S 10
#define FIRST_PING_S 5
#define PING_EVENT "event:ping\ndata:healthcheck\n\n"

typedef struct stream {
    struct stream *next;
    struct MHD_Connection *conn;
    uint64_t cursor;
    time_t next_ping;
    bool suspended, ping_due;
} stream;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t pinger;
    bool running, stopping;
    const sse_source *source;
    stream *streams;
    size_t count;
} g_sse = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static time_t now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static void resume_locked(stream *s)
{
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
}

/* Wakes every second while streams are open (sleeps otherwise) and marks the pings due. */
static void *ping_loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_sse.lock);
    while (!g_sse.stopping) {
        if (!g_sse.streams) {
            pthread_cond_wait(&g_sse.wake, &g_sse.lock);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&g_sse.wake, &g_sse.lock, &until);
        time_t now = now_s();
        for (stream *s = g_sse.streams; s; s = s->next) {
            if (now >= s->next_ping) {
                s->ping_due = true;
                s->next_ping = now + PING_EVERY_S;
                resume_locked(s);
            }
        }
    }
    pthread_mutex_unlock(&g_sse.lock);
    return NULL;
}

int sse_start(const sse_source *source)
{
    g_sse.source = source;
    g_sse.stopping = false;
    if (pthread_create(&g_sse.pinger, NULL, ping_loop, NULL) != 0)
        return -1;
    g_sse.running = true;
    return 0;
}

void sse_stop(void)
{
    if (!g_sse.running)
        return;
    pthread_mutex_lock(&g_sse.lock);
    g_sse.stopping = true;
    for (stream *s = g_sse.streams; s; s = s->next)
        resume_locked(s);
    pthread_cond_broadcast(&g_sse.wake);
    pthread_mutex_unlock(&g_sse.lock);
    pthread_join(g_sse.pinger, NULL);
    g_sse.running = false;
    /* Give the resumed streams a moment to send their end before the server closes them. */
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&g_sse.lock);
        bool open = g_sse.streams != NULL;
        pthread_mutex_unlock(&g_sse.lock);
        if (!open)
            break;
        struct timespec ms10 = {0, 10L * 1000 * 1000};
        nanosleep(&ms10, NULL);
    }
}

void sse_notify(void)
{
    pthread_mutex_lock(&g_sse.lock);
    for (stream *s = g_sse.streams; s; s = s->next)
        resume_locked(s);
    pthread_mutex_unlock(&g_sse.lock);
}

/* MHD asks for the next bytes: events if there are any, else the stream is suspended until
 * sse_notify or the pinger resumes it (the suspension happens under the lock, so a line that
 * arrives meanwhile resumes it at once). */
static ssize_t read_events(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream *s = cls;
    pthread_mutex_lock(&g_sse.lock);
    if (g_sse.stopping) {
        pthread_mutex_unlock(&g_sse.lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = 0;
    if (s->ping_due && max >= sizeof PING_EVENT) {
        memcpy(buf, PING_EVENT, sizeof PING_EVENT - 1);
        n = sizeof PING_EVENT - 1;
        s->ping_due = false;
    }
    n += g_sse.source->read(&s->cursor, buf + n, max - n);
    if (n == 0) {
        s->suspended = true;
        MHD_suspend_connection(s->conn);
    }
    pthread_mutex_unlock(&g_sse.lock);
    return (ssize_t)n;
}

static void free_stream(void *cls)
{
    stream *s = cls;
    pthread_mutex_lock(&g_sse.lock);
    for (stream **p = &g_sse.streams; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            g_sse.count--;
            break;
        }
    }
    pthread_mutex_unlock(&g_sse.lock);
    free(s);
}

void reply_sse(http_request *req, http_reply *rep)
{
    stream *s = calloc(1, sizeof *s);
    if (!s) {
        reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
        return;
    }
    s->conn = req->conn;
    s->cursor = g_sse.source->cursor_now();
    s->next_ping = now_s() + FIRST_PING_S;
    pthread_mutex_lock(&g_sse.lock);
    bool full = g_sse.count >= SSE_MAX_STREAMS || g_sse.stopping || !g_sse.running;
    if (!full) {
        s->next = g_sse.streams;
        g_sse.streams = s;
        g_sse.count++;
        pthread_cond_broadcast(&g_sse.wake);
    }
    pthread_mutex_unlock(&g_sse.lock);
    if (full) {
        free(s);
        reply_too_many(rep, 10, "Too many live console viewers");
        return;
    }
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BLOCK_SIZE, read_events, s, free_stream);
    if (!r) {
        free_stream(s);
        reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
        return;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    /* Pings keep a live stream busy; a viewer that stops reading is dropped after a minute. */
    MHD_set_connection_option(req->conn, MHD_CONNECTION_OPTION_TIMEOUT, 60u);
    reply_empty(rep, 200);
    rep->response = r;
}
