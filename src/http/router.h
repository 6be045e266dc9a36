/* Method + path pattern matching over a route table; "{name}" matches one non-empty segment. */
#ifndef ASWG_HTTP_ROUTER_H
#define ASWG_HTTP_ROUTER_H

#include "http/http.h"

typedef enum route_match {
    ROUTE_MATCHED,
    ROUTE_WRONG_METHOD,   /* the path exists with other methods; allow lists them */
    ROUTE_NOT_FOUND,
} route_match;

/* Finds the route for method and path. On ROUTE_MATCHED *out is set and the path parameters are
 * stored in req. HEAD matches GET routes. allow (may be NULL) receives "GET, POST" style text. */
route_match router_match(const http_route *routes, size_t count, const char *method,
                         const char *path, http_request *req, const http_route **out,
                         char *allow, size_t allow_size);

/* True when path matches pattern; fills req's params when req is not NULL. */
bool router_path_matches(const char *pattern, const char *path, http_request *req);

#endif
