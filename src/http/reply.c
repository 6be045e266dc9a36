#include "http/http.h"

#include "http/compress.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keeps extra headers (Retry-After, Allow, ...) across a body change. */
static void clear_body(http_reply *rep)
{
    json_decref(rep->json);
    free(rep->text);
    if (rep->response)
        MHD_destroy_response(rep->response);
    http_shared_body_unref(rep->shared);
    rep->json = NULL;
    rep->text = NULL;
    rep->text_len = 0;
    rep->response = NULL;
    rep->shared = NULL;
    rep->content_type = NULL;
}

void reply_reset(http_reply *rep)
{
    clear_body(rep);
    memset(rep, 0, sizeof *rep);
}

void reply_json(http_reply *rep, unsigned status, json_t *body)
{
    clear_body(rep);
    rep->status = status;
    rep->json = body;
    rep->replied = true;
}

void reply_empty(http_reply *rep, unsigned status)
{
    clear_body(rep);
    rep->status = status;
    rep->replied = true;
}

void reply_text(http_reply *rep, unsigned status, const char *content_type, const char *text)
{
    clear_body(rep);
    rep->status = status;
    rep->text = strdup(text);
    rep->text_len = rep->text ? strlen(text) : 0;
    rep->content_type = content_type;
    rep->replied = true;
}

void reply_error(http_reply *rep, aswg_err err, const char *message)
{
    const aswg_err_info *info = aswg_err_get(err);
    reply_json(rep, info->http_status,
               json_pack("{s:s, s:s, s:i}", "message", message ? message : info->message, "code",
                         info->code, "status", (int)info->http_status));
}

void reply_errorf(http_reply *rep, aswg_err err, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    reply_error(rep, err, message);
}

void reply_too_many(http_reply *rep, int seconds, const char *message)
{
    char value[16];
    snprintf(value, sizeof value, "%d", seconds);
    reply_header(rep, "Retry-After", value);
    reply_error(rep, ERR_TOO_MANY_REQUESTS, message);
}

void reply_status(http_reply *rep, aswg_err err, const char *message)
{
    if (err == ERR_OK)
        reply_empty(rep, 200);
    else
        reply_error(rep, err, message && message[0] ? message : NULL);
}

void reply_header(http_reply *rep, const char *name, const char *value)
{
    if (rep->header_count >= HTTP_MAX_EXTRA_HEADERS)
        return;
    rep->headers[rep->header_count].name = name;
    snprintf(rep->headers[rep->header_count].value, sizeof rep->headers[0].value, "%s", value);
    rep->header_count++;
}

struct http_shared_body {
    atomic_int refs;
    size_t size;
    char *data;
    pthread_mutex_t gzip_lock;  /* the gzip copy is made by the first answer that can use it */
    bool gzip_tried;
    char *gzip_data;            /* NULL when it would not pay */
    size_t gzip_size;
};

http_shared_body *http_shared_body_new(char *data, size_t size)
{
    http_shared_body *body = malloc(sizeof *body);
    if (!body) {
        free(data);
        return NULL;
    }
    atomic_init(&body->refs, 1);
    body->size = size;
    body->data = data;
    pthread_mutex_init(&body->gzip_lock, NULL);
    body->gzip_tried = false;
    body->gzip_data = NULL;
    body->gzip_size = 0;
    return body;
}

http_shared_body *http_shared_body_ref(http_shared_body *body)
{
    atomic_fetch_add(&body->refs, 1);
    return body;
}

void http_shared_body_unref(http_shared_body *body)
{
    if (body && atomic_fetch_sub(&body->refs, 1) == 1) {
        pthread_mutex_destroy(&body->gzip_lock);
        free(body->gzip_data);
        free(body->data);
        free(body);
    }
}

bool http_shared_body_bytes(http_shared_body *body, bool gzip, const char **data, size_t *size)
{
    if (gzip) {
        pthread_mutex_lock(&body->gzip_lock);
        if (!body->gzip_tried) /* once per body, that is per change of it: worth level 6 */
            body->gzip_data = http_gzip(body->data, body->size, 6, &body->gzip_size);
        body->gzip_tried = true;
        pthread_mutex_unlock(&body->gzip_lock);
    }
    bool packed = gzip && body->gzip_data;
    *data = packed ? body->gzip_data : body->data;
    *size = packed ? body->gzip_size : body->size;
    return packed;
}

void reply_shared(http_reply *rep, unsigned status, const char *content_type, http_shared_body *body)
{
    reply_empty(rep, status);
    rep->shared = http_shared_body_ref(body);
    rep->content_type = content_type;
}

const char *req_param(const http_request *req, const char *name)
{
    for (size_t i = 0; i < req->param_count; i++)
        if (strcmp(req->params[i].name, name) == 0)
            return req->params[i].value;
    return NULL;
}

/* Digits only (no sign, no blanks), value 1..max. */
static bool parse_positive(const char *s, int64_t max, int64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

bool req_param_id(http_request *req, http_reply *rep, const char *name, int64_t *out)
{
    if (parse_positive(req_param(req, name), INT64_MAX, out))
        return true;
    reply_errorf(rep, ERR_BAD_REQUEST, "Path parameter '%s' must be a positive number", name);
    return false;
}

bool req_query_int(http_request *req, http_reply *rep, const char *name, int64_t fallback, int64_t max,
                   int64_t *out)
{
    const char *s = req_query(req, name);
    if (!s) {
        *out = fallback;
        return true;
    }
    if (parse_positive(s, max, out))
        return true;
    reply_errorf(rep, ERR_BAD_REQUEST, "Query parameter '%s' must be a number from 1 to %lld", name,
                 (long long)max);
    return false;
}

const char *req_query(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(const http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}
