#include "http/server.h"

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "http/compress.h"
#include "http/ratelimit.h"
#include "http/router.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Everything one request needs from its first byte to the access-log line. */
typedef struct req_ctx {
    http_request req;
    http_reply rep;
    auth_user user;
    char *body;
    size_t body_len, body_cap;
    const http_route *route;    /* NULL outside /api */
    bool rejected;          /* the reply is decided (413, 429, 403...); the body is only drained */
    bool queued;
    size_t drained;         /* bytes of a rejected body read and thrown away */
    struct MHD_PostProcessor *post;   /* upload routes: the multipart parser */
    void *upload_state;
    char *part_name;            /* file name of the upload part being received */
    uint64_t part_bytes;        /* bytes of it so far */
    uint64_t upload_limit, received;
    struct timespec started;
    size_t bytes_out;
} req_ctx;

/* A rejected body up to this size is read and dropped so that the client, which may still be
 * sending, gets to read the answer; past it the answer goes out at once and the connection closes. */
#define DRAIN_LIMIT ((size_t)16 * 1024 * 1024)

static struct {
    struct MHD_Daemon *daemon;
    http_server_options opts;
    rate_limiter *limiter;
    atomic_int in_flight;
    atomic_uint_fast64_t request_counter;
    char id_prefix[9];
    uint16_t port;
} g_srv;

/* ---- small helpers ---- */

static double elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
    snprintf(out, size, "?");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

static bool is_api_path(const char *path)
{
    /* As ASWG: anything starting with /api counts, even /apifoo. */
    return strncmp(path, "/api", 4) == 0;
}

static const char *bearer_token(struct MHD_Connection *conn)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncmp(h, "Bearer ", 7) != 0 || h[7] == '\0')
        return NULL;
    return h + 7;
}

static bool declared_length_over(struct MHD_Connection *conn, uint64_t limit)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return cl && strtoull(cl, NULL, 10) > limit;
}

/* ---- CORS (aswg.security.cors.allowed-origins, as ASWG: split on ',', no trimming) ---- */

static bool origin_allowed(const char *origin)
{
    const char *list = config_str("aswg.security.cors.allowed-origins");
    size_t olen = strlen(origin);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if ((len == 1 && *p == '*') || (len == olen && strncmp(p, origin, len) == 0))
            return true;
        if (!comma)
            break;
        p = comma + 1;
    }
    return false;
}

static bool wildcard_origins(void)
{
    const char *list = config_str("aswg.security.cors.allowed-origins");
    return strcmp(list, "*") == 0;
}

/* A request from the page aswg itself served carries an Origin equal to its own host. */
static bool same_origin(const http_request *req, const char *origin)
{
    const char *host = req_header(req, MHD_HTTP_HEADER_HOST);
    const char *sep = strstr(origin, "://");
    return host && sep && strcmp(sep + 3, host) == 0;
}

static void add_cors_headers(http_request *req, http_reply *rep, const char *origin)
{
    if (wildcard_origins()) {
        reply_header(rep, "Access-Control-Allow-Origin", "*");
    } else {
        reply_header(rep, "Access-Control-Allow-Origin", origin);
        reply_header(rep, "Vary", "Origin");
    }
    (void)req;
}

/* Returns true when the request was fully answered here (a preflight or a rejected origin). */
static bool handle_cors(http_request *req, http_reply *rep)
{
    const char *origin = req_header(req, "Origin");
    if (!origin || same_origin(req, origin))
        return false;
    bool preflight = strcmp(req->method, "OPTIONS") == 0 &&
                     req_header(req, "Access-Control-Request-Method") != NULL;
    if (!origin_allowed(origin)) {
        reply_error(rep, ERR_CORS_REJECTED, NULL);
        return true;
    }
    add_cors_headers(req, rep, origin);
    if (!preflight)
        return false;
    reply_header(rep, "Access-Control-Allow-Methods", "GET,HEAD,POST,DELETE,PUT");
    const char *asked = req_header(req, "Access-Control-Request-Headers");
    if (asked)
        reply_header(rep, "Access-Control-Allow-Headers", asked);
    reply_header(rep, "Access-Control-Max-Age", "1800");
    reply_empty(rep, 200);
    return true;
}

/* ---- the request pipeline ---- */

static bool authorize(req_ctx *ctx, const http_route *route)
{
    http_request *req = &ctx->req;
    http_reply *rep = &ctx->rep;
    if (route->access == ACCESS_PUBLIC)
        return true;
    if (!req->bearer_token) {
        reply_error(rep, ERR_AUTH_TOKEN_MISSING, NULL);
        return false;
    }
    char message[160] = "";
    aswg_err err = g_srv.opts.authenticate(req->bearer_token, &ctx->user, message, sizeof message);
    if (err != ERR_OK) {
        reply_error(rep, err, message[0] ? message : NULL);
        return false;
    }
    req->user = &ctx->user;
    log_set_context(req->request_id, ctx->user.username);
    if (route->access == ACCESS_AUTHORITY) {
        int index = authority_index(route->authority);
        if (index < 0 || !(ctx->user.authorities & ((authority_set)1 << index))) {
            reply_error(rep, ERR_ACCESS_DENIED, NULL);
            return false;
        }
    }
    return true;
}

/* ---- streamed uploads ---- */

/* MHD may call with off 0 more than once before a part's first data arrives, so a new file part
 * is: off 0 after data, or another file name. */
static bool starts_file_part(req_ctx *ctx, const char *filename, uint64_t off)
{
    if (off != 0 || (ctx->part_bytes == 0 && ctx->part_name && strcmp(ctx->part_name, filename) == 0))
        return false;
    free(ctx->part_name);
    ctx->part_name = strdup(filename);
    ctx->part_bytes = 0;
    return true;
}

/* One piece of a multipart part, handed to the route's upload service. */
static bool upload_piece(req_ctx *ctx, const char *field, const char *filename, uint64_t off, const char *data,
                         size_t size)
{
    const upload_sink *up = ctx->route->upload;
    if (field && strcasecmp(field, "overwrite") == 0 && !filename) {
        up->overwrite_text(ctx->upload_state, data, size);
        return true;
    }
    if (!field || strcmp(field, "file") != 0)
        return true;
    char msg[512] = "";
    aswg_err err = ERR_OK;
    if (starts_file_part(ctx, filename ? filename : "unknown", off))
        err = ctx->part_name ? up->begin_file(ctx->upload_state, ctx->part_name, msg, sizeof msg)
                             : ERR_SERVICE_UNAVAILABLE;
    if (err == ERR_OK && size > 0)
        err = up->write(ctx->upload_state, data, size);
    ctx->part_bytes += size;
    if (err != ERR_OK)
        reply_error(&ctx->rep, err, msg[0] ? msg : NULL);
    return err == ERR_OK;
}

static enum MHD_Result on_post_data(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data, uint64_t off,
                                    size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    req_ctx *ctx = cls;
    if (!ctx->upload_state)
        return MHD_NO; /* rejected already; MHD may still flush buffered data to us */
    return upload_piece(ctx, key, filename, off, data, size) ? MHD_YES : MHD_NO;
}

static bool start_upload(req_ctx *ctx, uint64_t limit)
{
    ctx->upload_limit = limit;
    ctx->post = MHD_create_post_processor(ctx->req.conn, (size_t)64 * 1024, on_post_data, ctx);
    if (!ctx->post) {
        reply_error(&ctx->rep, ERR_UNSUPPORTED_MEDIA_TYPE, "Expected a multipart/form-data body");
        return false;
    }
    ctx->upload_state = ctx->route->upload->create();
    if (!ctx->upload_state)
        reply_error(&ctx->rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
    return ctx->upload_state != NULL;
}

/* Drops what the upload did not commit before the answer goes out, so a client that reads the
 * answer never sees a leftover temp file. */
static void end_upload(req_ctx *ctx)
{
    if (ctx->upload_state) {
        ctx->route->upload->destroy(ctx->upload_state);
        ctx->upload_state = NULL;
    }
    free(ctx->part_name);
    ctx->part_name = NULL;
}

/* Feeds a piece of the body to the multipart parser; false with the reply set on rejection. */
static bool feed_upload(req_ctx *ctx, const char *data, size_t size)
{
    ctx->received += size;
    if (ctx->received > ctx->upload_limit) {
        reply_errorf(&ctx->rep, ERR_PAYLOAD_TOO_LARGE, "Upload is larger than %llu bytes",
                     (unsigned long long)ctx->upload_limit);
        end_upload(ctx);
        return false;
    }
    if (MHD_post_process(ctx->post, data, size) == MHD_YES)
        return true;
    if (!ctx->rep.replied)
        reply_error(&ctx->rep, ERR_BAD_REQUEST, "Malformed multipart/form-data body");
    end_upload(ctx);
    return false;
}

static void finish_upload(req_ctx *ctx)
{
    /* MHD_NO here means a truncated or malformed body (e.g. no closing boundary). */
    enum MHD_Result complete = MHD_destroy_post_processor(ctx->post);
    ctx->post = NULL;
    if (complete != MHD_YES) {
        reply_error(&ctx->rep, ERR_BAD_REQUEST, "Malformed or truncated multipart/form-data body");
        end_upload(ctx);
        return;
    }
    char msg[512] = "";
    reply_status(&ctx->rep, ctx->route->upload->commit(ctx->upload_state, msg, sizeof msg), msg);
    end_upload(ctx);
}

/* Finds the route of an /api request; false (with the reply set) for 404 and 405. */
static bool match_route(req_ctx *ctx)
{
    http_request *req = &ctx->req;
    char allow[96];
    switch (router_match(g_srv.opts.routes, g_srv.opts.route_count, req->method, req->path, req,
                         &ctx->route, allow, sizeof allow)) {
    case ROUTE_NOT_FOUND:
        reply_errorf(&ctx->rep, ERR_NOT_FOUND, "No endpoint %s %s", req->method, req->path);
        return false;
    case ROUTE_WRONG_METHOD:
        reply_header(&ctx->rep, "Allow", allow);
        reply_errorf(&ctx->rep, ERR_METHOD_NOT_ALLOWED, "Method %s is not allowed here (allowed: %s)",
                     req->method, allow);
        return false;
    case ROUTE_MATCHED:
        break;
    }
    return true;
}

/* Everything decided from the request line and headers, before any body byte is read: CORS, the
 * route, the caller's authority and the body size. Returns false with the reply set. */
static bool admit(req_ctx *ctx)
{
    http_request *req = &ctx->req;
    if (handle_cors(req, &ctx->rep))
        return false;
    if (!is_api_path(req->path)) {
        if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
            return true;
        reply_header(&ctx->rep, "Allow", "GET, HEAD");
        reply_error(&ctx->rep, ERR_METHOD_NOT_ALLOWED, NULL);
        return false;
    }
    if (!match_route(ctx) || !authorize(ctx, ctx->route))
        return false;
    const upload_sink *upload = ctx->route->upload;
    uint64_t limit = upload ? upload->max_bytes() : g_srv.opts.max_body_bytes;
    if (declared_length_over(req->conn, limit)) {
        reply_errorf(&ctx->rep, ERR_PAYLOAD_TOO_LARGE, "Request body is larger than %llu bytes",
                     (unsigned long long)limit);
        return false;
    }
    return !upload || start_upload(ctx, limit);
}

/* Runs the handler once the whole body is there. */
static void dispatch(req_ctx *ctx)
{
    http_request *req = &ctx->req;
    http_reply *rep = &ctx->rep;
    req->body = ctx->body;
    req->body_len = ctx->body_len;
    if (!ctx->route) {
        g_srv.opts.fallback(req, rep);
        return;
    }
    if (ctx->route->upload) {
        finish_upload(ctx);
        return;
    }
    ctx->route->handler(req, rep);
    if (!rep->replied) {
        log_error("handler for %s %s gave no reply", req->method, ctx->route->pattern);
        reply_error(rep, ERR_SERVER_ERROR, NULL);
    }
}

static void release_shared(void *cls)
{
    http_shared_body_unref(cls);
}

/* A shared body goes out without a copy; the response holds the reference from then on. */
static struct MHD_Response *shared_response(http_reply *rep, bool gzip, size_t *bytes, bool *packed)
{
    const char *data;
    *packed = http_shared_body_bytes(rep->shared, gzip, &data, bytes);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback_cls(*bytes, (void *)data, release_shared, rep->shared);
    if (resp)
        rep->shared = NULL;
    return resp;
}

/* JSON written out, gzipped (fast level: it is made for this answer only) when the client takes it. */
static struct MHD_Response *json_response(http_reply *rep, bool gzip, size_t *bytes, bool *packed)
{
    /* 15 digits: a threshold read as 0.33 goes out as 0.33, not 0.33000000000000002 */
    char *text = json_dumps(rep->json, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    if (!text)
        return NULL;
    *bytes = strlen(text);
    char *packed_text = gzip ? http_gzip(text, *bytes, 1, bytes) : NULL;
    if (packed_text) {
        free(text);
        text = packed_text;
    }
    *packed = packed_text != NULL;
    struct MHD_Response *resp = MHD_create_response_from_buffer(*bytes, text, MHD_RESPMEM_MUST_FREE);
    if (!resp)
        free(text);
    return resp;
}

static struct MHD_Response *build_response(http_reply *rep, const http_request *req, size_t *bytes)
{
    struct MHD_Response *resp = rep->response;
    rep->response = NULL;
    if (resp) {
        *bytes = 0;
        return resp;
    }
    bool gzip = is_api_path(req->path) && http_accepts_gzip(req_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING));
    bool packed = false;
    const char *type = rep->content_type;
    if (rep->shared) {
        resp = shared_response(rep, gzip, bytes, &packed);
    } else if (rep->json) {
        resp = json_response(rep, gzip, bytes, &packed);
        type = "application/json";
    } else {
        char *text = rep->text;
        rep->text = NULL;
        *bytes = rep->text_len;
        resp = MHD_create_response_from_buffer(rep->text_len, text ? text : (char *)"",
                                               text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (!resp)
            free(text);
    }
    if (!resp)
        return NULL;
    if (type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (packed) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    }
    return resp;
}

static enum MHD_Result send_reply(req_ctx *ctx)
{
    http_reply *rep = &ctx->rep;
    if (!rep->replied)
        reply_error(rep, ERR_SERVER_ERROR, NULL);
    struct MHD_Response *resp = build_response(rep, &ctx->req, &ctx->bytes_out);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "X-Request-Id", ctx->req.request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (is_api_path(ctx->req.path))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (size_t i = 0; i < rep->header_count; i++)
        MHD_add_response_header(resp, rep->headers[i].name, rep->headers[i].value);
    enum MHD_Result rc = MHD_queue_response(ctx->req.conn, rep->status, resp);
    MHD_destroy_response(resp);
    ctx->queued = true;
    return rc;
}

static req_ctx *ctx_new(struct MHD_Connection *conn, const char *url, const char *method)
{
    req_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &ctx->started);
    ctx->req.conn = conn;
    ctx->req.method = method;
    ctx->req.path = url;
    ctx->req.bearer_token = bearer_token(conn);
    client_ip(conn, ctx->req.client_ip, sizeof ctx->req.client_ip);
    uint64_t n = atomic_fetch_add(&g_srv.request_counter, 1) + 1;
    snprintf(ctx->req.request_id, sizeof ctx->req.request_id, "%s-%06llu", g_srv.id_prefix,
             (unsigned long long)n);
    atomic_fetch_add(&g_srv.in_flight, 1);
    return ctx;
}


/* The per-IP request limit, checked before anything else. */
static bool rate_limited(req_ctx *ctx)
{
    int64_t per_minute = config_int("aswg.security.rate-limit.requests-per-minute");
    int wait = rate_limiter_take(g_srv.limiter, ctx->req.client_ip, per_minute, db_now_ms());
    if (wait <= 0)
        return false;
    reply_too_many(&ctx->rep, wait, NULL);
    return true;
}

static bool append_body(req_ctx *ctx, const char *data, size_t size)
{
    if (ctx->body_len + size > g_srv.opts.max_body_bytes) {
        reply_errorf(&ctx->rep, ERR_PAYLOAD_TOO_LARGE, "Request body is larger than %zu bytes",
                     g_srv.opts.max_body_bytes);
        return false;
    }
    if (ctx->body_len + size + 1 > ctx->body_cap) {
        size_t cap = ctx->body_cap ? ctx->body_cap : 1024;
        while (cap < ctx->body_len + size + 1)
            cap *= 2;
        char *bigger = realloc(ctx->body, cap);
        if (!bigger) {
            reply_error(&ctx->rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
            return false;
        }
        ctx->body = bigger;
        ctx->body_cap = cap;
    }
    memcpy(ctx->body + ctx->body_len, data, size);
    ctx->body_len += size;
    ctx->body[ctx->body_len] = '\0';
    return true;
}

/* Reads and drops the body of a rejected request; the answer is sent at its end or once the
 * drained amount passes DRAIN_LIMIT. */
static enum MHD_Result drain_rejected(req_ctx *ctx, size_t *upload_data_size)
{
    ctx->drained += *upload_data_size;
    bool done = *upload_data_size == 0;
    *upload_data_size = 0;
    if (done || ctx->drained > DRAIN_LIMIT)
        return send_reply(ctx);
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    req_ctx *ctx = *con_cls;
    if (!ctx) {
        ctx = ctx_new(conn, url, method);
        if (!ctx)
            return MHD_NO;
        *con_cls = ctx;
        log_set_context(ctx->req.request_id, NULL);
        ctx->rejected = rate_limited(ctx) || !admit(ctx);
        log_set_context(NULL, NULL);
        if (ctx->rejected && declared_length_over(conn, DRAIN_LIMIT))
            return send_reply(ctx);
        return MHD_YES;
    }
    if (ctx->queued) {
        *upload_data_size = 0; /* answered already: drop what still arrives */
        return MHD_YES;
    }
    if (ctx->rejected)
        return drain_rejected(ctx, upload_data_size);
    log_set_context(ctx->req.request_id, ctx->req.user ? ctx->req.user->username : NULL);
    enum MHD_Result rc = MHD_YES;
    if (*upload_data_size > 0) {
        bool ok = ctx->post ? feed_upload(ctx, upload_data, *upload_data_size)
                            : append_body(ctx, upload_data, *upload_data_size);
        ctx->rejected = !ok;
        *upload_data_size = 0;
    } else {
        dispatch(ctx);
        rc = send_reply(ctx);
    }
    log_set_context(NULL, NULL);
    return rc;
}

static void log_access(const req_ctx *ctx, enum MHD_RequestTerminationCode toe)
{
    const http_request *req = &ctx->req;
    json_t *fields = json_pack("{s:s, s:s, s:i, s:I, s:f, s:s}", "method", req->method, "path",
                               req->path, "status", (int)ctx->rep.status, "bytes",
                               (json_int_t)ctx->bytes_out, "durationMs", elapsed_ms(&ctx->started),
                               "ip", req->client_ip);
    if (req->user)
        json_object_set_new(fields, "user", json_string(req->user->username));
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        json_object_set_new(fields, "aborted", json_true());
    log_set_context(req->request_id, NULL);
    log_event(LOG_INFO, fields, "request");
    log_set_context(NULL, NULL);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    req_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    log_access(ctx, toe);
    if (ctx->post)
        MHD_destroy_post_processor(ctx->post);
    end_upload(ctx);
    json_decref(ctx->req.json);
    reply_reset(&ctx->rep);
    free(ctx->body);
    free(ctx);
    *con_cls = NULL;
    atomic_fetch_sub(&g_srv.in_flight, 1);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
        msg[--len] = '\0';
    log_debug("libmicrohttpd: %s", msg);
}

static int parse_bind_address(const char *address, uint16_t port, struct sockaddr_storage *out,
                              bool *ipv6)
{
    memset(out, 0, sizeof *out);
    struct sockaddr_in *in4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, address, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        *ipv6 = false;
        return 0;
    }
    if (inet_pton(AF_INET6, address, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        *ipv6 = true;
        return 0;
    }
    return -1;
}

static int check_route_table(const http_route *routes, size_t count, char *err, size_t err_size)
{
    for (size_t i = 0; i < count; i++) {
        if (routes[i].access == ACCESS_AUTHORITY &&
            (!routes[i].authority || authority_index(routes[i].authority) < 0)) {
            snprintf(err, err_size, "route %s %s names unknown authority %s", routes[i].method,
                     routes[i].pattern, routes[i].authority ? routes[i].authority : "(none)");
            return -1;
        }
    }
    return 0;
}

int http_server_start(const http_server_options *opts, char *err, size_t err_size)
{
    g_srv.opts = *opts;
    if (check_route_table(opts->routes, opts->route_count, err, err_size) != 0)
        return -1;
    struct sockaddr_storage addr;
    bool ipv6;
    if (parse_bind_address(opts->bind_address, opts->port, &addr, &ipv6) != 0) {
        snprintf(err, err_size, "server.address: '%s' is not an IPv4 or IPv6 address", opts->bind_address);
        return -1;
    }
    uint32_t rnd = randombytes_random();
    snprintf(g_srv.id_prefix, sizeof g_srv.id_prefix, "%08x", rnd);
    g_srv.limiter = rate_limiter_new(4096);
    if (!g_srv.limiter) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_ALLOW_UPGRADE | MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
    g_srv.daemon = MHD_start_daemon(
        flags, opts->port, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(opts->threads ? opts->threads : 2),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)64,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
        MHD_OPTION_END);
    if (!g_srv.daemon) {
        snprintf(err, err_size, "cannot listen on %s:%u (port in use or no permission)",
                 opts->bind_address, (unsigned)opts->port);
        rate_limiter_free(g_srv.limiter);
        g_srv.limiter = NULL;
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(g_srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
    g_srv.port = info ? info->port : opts->port;
    return 0;
}

uint16_t http_server_port(void)
{
    return g_srv.port;
}

void http_server_stop(int wait_ms)
{
    if (!g_srv.daemon)
        return;
    MHD_socket listen_fd = MHD_quiesce_daemon(g_srv.daemon);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    for (int waited = 0; atomic_load(&g_srv.in_flight) > 0 && waited < wait_ms; waited += 10)
        usleep(10 * 1000);
    if (atomic_load(&g_srv.in_flight) > 0)
        log_warn("stopping with %d request(s) still in progress", atomic_load(&g_srv.in_flight));
    MHD_stop_daemon(g_srv.daemon);
    g_srv.daemon = NULL;
    rate_limiter_free(g_srv.limiter);
    g_srv.limiter = NULL;
}
