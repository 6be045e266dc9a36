/* Server-to-client websockets (RFC 6455) over libmicrohttpd's upgrade API, for broadcasts such
 * as the workshop install progress: text frames go to every open socket; what clients send is
 * read and ignored, except a close frame or the end of the connection, which closes the socket. */
#ifndef ASWG_HTTP_WEBSOCKET_H
#define ASWG_HTTP_WEBSOCKET_H

#include "http/http.h"

#define WS_MAX_CLIENTS 64

int ws_start(void);
/* Closes every socket (before the HTTP server stops). */
void ws_stop(void);
/* Answers a websocket handshake with 101 (400 for a request that is not one, 429 when full). */
void reply_websocket(http_request *req, http_reply *rep);
/* Sends text as one frame to every client; a client whose socket cannot take it is dropped. */
void ws_broadcast(const char *text);
/* Sec-WebSocket-Accept for a Sec-WebSocket-Key (exposed for the unit tests). 0 or -1. */
int ws_accept_key(const char *key, char out[29]);

#endif
