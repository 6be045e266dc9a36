#include "http/websocket.h"

#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define FRAME_MAX 65535

struct ws_peer {
    MHD_socket sock;
    struct MHD_UpgradeResponseHandle *urh;
};

static struct {
    pthread_mutex_t lock;
    pthread_t reader;
    bool running, stopping;
    int wake[2];
    ws_peer clients[WS_MAX_CLIENTS];
    size_t count;
} g_ws = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = {-1, -1}};

int ws_accept_key(const char *key, char out[29])
{
    char joined[128];
    unsigned char digest[20];
    if (snprintf(joined, sizeof joined, "%s%s", key, WS_GUID) >= (int)sizeof joined ||
        gnutls_hash_fast(GNUTLS_DIG_SHA1, joined, strlen(joined), digest) != 0)
        return -1;
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < 20; i += 3) {
        unsigned v = (unsigned)digest[i] << 16 | (i + 1 < 20 ? (unsigned)digest[i + 1] << 8 : 0) |
                     (i + 2 < 20 ? digest[i + 2] : 0);
        out[o++] = B64[v >> 18 & 63];
        out[o++] = B64[v >> 12 & 63];
        out[o++] = (char)(i + 1 < 20 ? B64[v >> 6 & 63] : '=');
        out[o++] = (char)(i + 2 < 20 ? B64[v & 63] : '=');
    }
    out[o] = '\0';
    return 0;
}

/* Closes client i (the caller holds the lock). */
static void drop_locked(size_t i)
{
    MHD_upgrade_action(g_ws.clients[i].urh, MHD_UPGRADE_ACTION_CLOSE);
    g_ws.clients[i] = g_ws.clients[--g_ws.count];
}

static void wake_reader(void)
{
    char c = 1;
    ssize_t ignored = write(g_ws.wake[1], &c, 1);
    (void)ignored;
}

static bool send_all(MHD_socket sock, const unsigned char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(sock, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* An unmasked, final text frame around len bytes of payload: its size, 0 when len is over
 * FRAME_MAX. */
static size_t text_frame(unsigned char frame[FRAME_MAX + 4], const void *payload, size_t len)
{
    size_t head = 2;
    if (len > FRAME_MAX)
        return 0;
    frame[0] = 0x81; /* FIN + text */
    if (len < 126) {
        frame[1] = (unsigned char)len;
    } else {
        frame[1] = 126;
        frame[2] = (unsigned char)(len >> 8);
        frame[3] = (unsigned char)len;
        head = 4;
    }
    memcpy(frame + head, payload, len);
    return head + len;
}

bool ws_send(ws_peer *peer, const char *text)
{
    unsigned char frame[FRAME_MAX + 4];
    size_t size = text_frame(frame, text, strlen(text));
    return size && send_all(peer->sock, frame, size);
}

void ws_broadcast(const char *text)
{
    unsigned char frame[FRAME_MAX + 4];
    size_t size = text_frame(frame, text, strlen(text));
    if (!size)
        return;
    pthread_mutex_lock(&g_ws.lock);
    for (size_t i = g_ws.count; i-- > 0;)
        if (!send_all(g_ws.clients[i].sock, frame, size))
            drop_locked(i);
    pthread_mutex_unlock(&g_ws.lock);
}

static void on_upgrade(void *cls, struct MHD_Connection *connection, void *con_cls, const char *extra_in,
                       size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
    const ws_greeting *greeting = cls;
    (void)connection;
    (void)con_cls;
    (void)extra_in;
    (void)extra_in_size;
    pthread_mutex_lock(&g_ws.lock);
    if (g_ws.stopping || g_ws.count == WS_MAX_CLIENTS) {
        MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
    } else {
        /* Greeted and registered under the lock: no broadcast can come between the two, so the
         * client misses nothing that happened after the state it was greeted with. */
        ws_peer *peer = &g_ws.clients[g_ws.count++];
        *peer = (ws_peer){sock, urh};
        if (greeting && !greeting->greet(peer))
            drop_locked(g_ws.count - 1);
        else
            wake_reader();
    }
    pthread_mutex_unlock(&g_ws.lock);
}

/* Reads and drops what clients send; a close frame (opcode 8) or the end of the stream closes. */
static void *read_clients(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd fds[WS_MAX_CLIENTS + 1] = {{g_ws.wake[0], POLLIN, 0}};
        pthread_mutex_lock(&g_ws.lock);
        if (g_ws.stopping) {
            pthread_mutex_unlock(&g_ws.lock);
            break;
        }
        size_t n = g_ws.count;
        for (size_t i = 0; i < n; i++)
            fds[i + 1] = (struct pollfd){g_ws.clients[i].sock, POLLIN, 0};
        pthread_mutex_unlock(&g_ws.lock);
        if (poll(fds, n + 1, -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents) {
            char drain[64];
            while (read(g_ws.wake[0], drain, sizeof drain) > 0) {
            }
        }
        pthread_mutex_lock(&g_ws.lock);
        for (size_t k = n; k-- > 0;) {
            if (!fds[k + 1].revents)
                continue;
            unsigned char buf[4096];
            ssize_t got = recv(fds[k + 1].fd, buf, sizeof buf, MSG_DONTWAIT);
            bool closing = got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR) || (got > 0 && (buf[0] & 0x0F) == 8);
            for (size_t i = 0; closing && i < g_ws.count; i++) {
                if (g_ws.clients[i].sock == fds[k + 1].fd) {
                    drop_locked(i);
                    break;
                }
            }
        }
        pthread_mutex_unlock(&g_ws.lock);
    }
    return NULL;
}

int ws_start(void)
{
    if (pipe2(g_ws.wake, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    g_ws.stopping = false;
    if (pthread_create(&g_ws.reader, NULL, read_clients, NULL) != 0)
        return -1;
    g_ws.running = true;
    return 0;
}

void ws_stop(void)
{
    if (!g_ws.running)
        return;
    pthread_mutex_lock(&g_ws.lock);
    g_ws.stopping = true;
    while (g_ws.count)
        drop_locked(0);
    wake_reader();
    pthread_mutex_unlock(&g_ws.lock);
    pthread_join(g_ws.reader, NULL);
    g_ws.running = false;
    close(g_ws.wake[0]);
    close(g_ws.wake[1]);
    g_ws.wake[0] = g_ws.wake[1] = -1;
}

static bool header_has(const char *value, const char *token)
{
    for (const char *p = value; p && *p;) {
        p += strspn(p, " ,\t");
        size_t n = strcspn(p, " ,\t");
        if (n == strlen(token) && strncasecmp(p, token, n) == 0)
            return true;
        p += n;
    }
    return false;
}

void reply_websocket(http_request *req, http_reply *rep, const ws_greeting *greeting)
{
    const char *upgrade = req_header(req, "Upgrade"), *connection = req_header(req, "Connection");
    const char *key = req_header(req, "Sec-WebSocket-Key"), *version = req_header(req, "Sec-WebSocket-Version");
    char accept[29];
    if (!upgrade || strcasecmp(upgrade, "websocket") != 0 || !header_has(connection, "upgrade") || !key ||
        strlen(key) != 24 || !version || strcmp(version, "13") != 0 || ws_accept_key(key, accept) != 0) {
        reply_error(rep, ERR_BAD_REQUEST, "Not a websocket handshake (RFC 6455, version 13)");
        return;
    }
    pthread_mutex_lock(&g_ws.lock);
    bool full = g_ws.count >= WS_MAX_CLIENTS || !g_ws.running;
    pthread_mutex_unlock(&g_ws.lock);
    if (full) {
        reply_too_many(rep, 10, "Too many websocket clients");
        return;
    }
    struct MHD_Response *r = MHD_create_response_for_upgrade(on_upgrade, (void *)greeting);
    if (!r) {
        reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
        return;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_UPGRADE, "websocket");
    MHD_add_response_header(r, "Sec-WebSocket-Accept", accept);
    reply_empty(rep, MHD_HTTP_SWITCHING_PROTOCOLS);
    rep->response = r;
}
