#include "http/router.h"

#include <stdio.h>
#include <string.h>

/* Length of the segment starting at s (up to '/' or the end). */
static size_t segment_len(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash ? (size_t)(slash - s) : strlen(s);
}

static bool store_param(http_request *req, const char *name, size_t name_len, const char *value,
                        size_t value_len)
{
    if (req->param_count >= HTTP_MAX_PATH_PARAMS || name_len >= sizeof req->params[0].name ||
        value_len >= sizeof req->params[0].value)
        return false;
    memcpy(req->params[req->param_count].name, name, name_len);
    req->params[req->param_count].name[name_len] = '\0';
    memcpy(req->params[req->param_count].value, value, value_len);
    req->params[req->param_count].value[value_len] = '\0';
    req->param_count++;
    return true;
}

bool router_path_matches(const char *pattern, const char *path, http_request *req)
{
    if (req)
        req->param_count = 0;
    const char *p = pattern, *s = path;
    for (;;) {
        if (*p != '/' || *s != '/')
            return *p == '\0' && *s == '\0';
        p++;
        s++;
        size_t plen = segment_len(p), slen = segment_len(s);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0)
                return false;
            if (req && !store_param(req, p + 1, plen - 2, s, slen))
                return false;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
}

static void append_allow(char *allow, size_t allow_size, const char *method)
{
    if (!allow || allow_size == 0 || strstr(allow, method))
        return;
    size_t used = strlen(allow);
    snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", method);
}

route_match router_match(const http_route *routes, size_t count, const char *method,
                         const char *path, http_request *req, const http_route **out,
                         char *allow, size_t allow_size)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool path_known = false;
    if (allow && allow_size)
        allow[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (!router_path_matches(routes[i].pattern, path, NULL))
            continue;
        if (strcmp(routes[i].method, want) == 0) {
            if (!router_path_matches(routes[i].pattern, path, req))
                return ROUTE_NOT_FOUND; /* a parameter longer than we accept */
            *out = &routes[i];
            return ROUTE_MATCHED;
        }
        path_known = true;
        append_allow(allow, allow_size, routes[i].method);
    }
    return path_known ? ROUTE_WRONG_METHOD : ROUTE_NOT_FOUND;
}
