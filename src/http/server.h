/* The HTTP server: libmicrohttpd (epoll, a small thread pool) under our router. It receives each
 * request completely (JSON bodies up to a limit), applies the rate limit and CORS, checks the
 * route's authority in one place, runs the handler and writes one access-log line. */
#ifndef ASWG_HTTP_SERVER_H
#define ASWG_HTTP_SERVER_H

#include "http/http.h"

#include <stdint.h>

/* Checks a Bearer token and loads its user. Returns ERR_OK or the error to answer; message may be
 * filled with a more precise text. */
typedef aswg_err (*http_authenticator)(const char *token, auth_user *out, char *message,
                                       size_t message_size);

typedef struct http_server_options {
    const char *bind_address;       /* IPv4 or IPv6 literal */
    uint16_t port;                  /* 0 = any free port */
    const http_route *routes;
    size_t route_count;
    http_authenticator authenticate;
    http_handler fallback;          /* GET/HEAD outside /api: the web UI */
    size_t max_body_bytes;          /* larger JSON bodies get 413 */
    unsigned threads;
} http_server_options;

int http_server_start(const http_server_options *opts, char *err, size_t err_size);
uint16_t http_server_port(void);
/* Stops accepting new connections, waits up to wait_ms for requests in progress, then stops. */
void http_server_stop(int wait_ms);

#endif
