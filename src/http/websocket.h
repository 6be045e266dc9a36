/* Server-to-client websockets (RFC 6455) over libmicrohttpd's upgrade API, for broadcasts such
 * as the workshop install progress: text frames go to every open socket; what clients send is
 * read and ignored, except a close frame or the end of the connection, which closes the socket. */
#ifndef ASWG_HTTP_WEBSOCKET_H
#define ASWG_HTTP_WEBSOCKET_H

#include "http/http.h"

#include <stdbool.h>

#define WS_MAX_CLIENTS 64

int ws_start(void);
/* Closes every socket (before the HTTP server stops). */
void ws_stop(void);
typedef struct ws_peer ws_peer;

/* Sends text as one frame to one client (from a greeting). false when it could not be sent. */
bool ws_send(ws_peer *peer, const char *text);

/* What a new client is sent before any broadcast reaches it, typically the current state that
 * later broadcasts update: greet calls ws_send() for each frame and returns false to drop the
 * client (a send failed). */
typedef struct ws_greeting {
    bool (*greet)(ws_peer *peer);
} ws_greeting;

/* Answers a websocket handshake with 101 (400 for a request that is not one, 429 when full);
 * greeting may be NULL. */
void reply_websocket(http_request *req, http_reply *rep, const ws_greeting *greeting);
/* Sends text as one frame to every client; a client whose socket cannot take it is dropped. */
void ws_broadcast(const char *text);
/* Sec-WebSocket-Accept for a Sec-WebSocket-Key (exposed for the unit tests). 0 or -1. */
int ws_accept_key(const char *key, char out[29]);

#endif
