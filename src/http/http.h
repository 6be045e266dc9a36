/* The HTTP layer's vocabulary: a request as handlers see it, the reply they fill in, and routes.
 *
 * A handler gets a fully received request whose route, authentication and authority have already
 * been checked (in one place: server.c), and fills in an http_reply with the helpers below. */
#ifndef ASWG_HTTP_HTTP_H
#define ASWG_HTTP_HTTP_H

#include "auth/auth_user.h"
#include "core/errors.h"
#include "core/upload_sink.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;
struct MHD_Response;

#define HTTP_MAX_PATH_PARAMS 4
#define HTTP_MAX_EXTRA_HEADERS 8

typedef struct http_request {
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    size_t param_count;
    struct {
        char name[32];
        char value[256];
    } params[HTTP_MAX_PATH_PARAMS];
    const char *body;
    size_t body_len;
    json_t *json;               /* the parsed body, owned by the request (see body.h) */
    const char *bearer_token;   /* the Bearer token sent, or NULL */
    const auth_user *user;      /* NULL on public routes */
    char client_ip[64];
    char request_id[24];
} http_request;

typedef struct http_reply {
    unsigned status;
    json_t *json;               /* JSON body (owned), or */
    char *text;                 /* a text body (owned) with */
    size_t text_len;
    const char *content_type;
    struct MHD_Response *response;  /* a prepared response (static files), used as is, or */
    struct http_shared_body *shared;  /* a body shared by many answers (owned reference) */
    size_t header_count;
    struct {
        const char *name;
        char value[256];
    } headers[HTTP_MAX_EXTRA_HEADERS];
    bool replied;
} http_reply;

typedef void (*http_handler)(http_request *req, http_reply *rep);

typedef enum route_access {
    ACCESS_PUBLIC,          /* no token needed */
    ACCESS_AUTHENTICATED,   /* any valid token */
    ACCESS_AUTHORITY,       /* a valid token whose user holds `authority` */
} route_access;

typedef struct http_route {
    const char *method;
    const char *pattern;    /* e.g. "/api/v1/users/{id}" */
    route_access access;
    const char *authority;  /* for ACCESS_AUTHORITY */
    http_handler handler;   /* NULL for upload routes */
    /* An upload route takes a multipart/form-data body: each part named "file" (1..n) is
     * streamed into the sink piece by piece (never held in memory), the part "overwrite" gives
     * its text, other parts are ignored (as ASWG does). */
    const upload_sink *upload;
} http_route;

/* Route declarations read like the endpoint table of ASWG-API.md §6. */
#define ROUTE_PUBLIC(m, p, h) {(m), (p), ACCESS_PUBLIC, NULL, (h), NULL}
#define ROUTE_USER(m, p, h) {(m), (p), ACCESS_AUTHENTICATED, NULL, (h), NULL}
#define ROUTE_AUTH(m, p, a, h) {(m), (p), ACCESS_AUTHORITY, (a), (h), NULL}
#define ROUTE_UPLOAD(m, p, a, u) {(m), (p), ACCESS_AUTHORITY, (a), NULL, (u)}

/* ---- reply helpers ---- */
void reply_json(http_reply *rep, unsigned status, json_t *body);       /* steals body */
void reply_empty(http_reply *rep, unsigned status);
void reply_text(http_reply *rep, unsigned status, const char *content_type, const char *text);
void reply_error(http_reply *rep, aswg_err err, const char *message);  /* NULL = default text */
void reply_errorf(http_reply *rep, aswg_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void reply_header(http_reply *rep, const char *name, const char *value);
/* 429 TOO_MANY_REQUESTS with Retry-After: seconds (message NULL = the default text). */
void reply_too_many(http_reply *rep, int seconds, const char *message);
/* 200 with an empty body for ERR_OK, else the error with message (NULL or "" = its default). */
void reply_status(http_reply *rep, aswg_err err, const char *message);
void reply_reset(http_reply *rep);

/* A response body shared by many replies, e.g. a cached JSON document: reference counted, freed
 * once the cache has dropped it and the last reply using it has been sent. */
typedef struct http_shared_body http_shared_body;
/* Takes ownership of data (malloc'd). The new body holds one reference. NULL on OOM. */
http_shared_body *http_shared_body_new(char *data, size_t size);
http_shared_body *http_shared_body_ref(http_shared_body *body);
void http_shared_body_unref(http_shared_body *body);
/* The bytes to send: the body, or with gzip its gzip copy (made on the first call that asks, kept
 * with the body) when compressing pays; true when they are the gzip copy. */
bool http_shared_body_bytes(http_shared_body *body, bool gzip, const char **data, size_t *size);
/* Replies with body (taking a reference of its own) as content_type. */
void reply_shared(http_reply *rep, unsigned status, const char *content_type, http_shared_body *body);

/* ---- request helpers ---- */
/* The path parameter {name}, or NULL. */
const char *req_param(const http_request *req, const char *name);
/* Parses the path parameter {name} as a positive 64-bit id; on failure replies 400 naming it. */
bool req_param_id(http_request *req, http_reply *rep, const char *name, int64_t *out);
/* A query-string argument, or NULL. */
const char *req_query(const http_request *req, const char *name);
/* The query argument name as an integer from 1 to max, or fallback when absent; on a malformed
 * value replies 400 naming it and returns false. */
bool req_query_int(http_request *req, http_reply *rep, const char *name, int64_t fallback, int64_t max,
                   int64_t *out);
const char *req_header(const http_request *req, const char *name);

#endif
