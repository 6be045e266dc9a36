#ifndef ASWG_AUTH_AUTH_ROUTES_H
#define ASWG_AUTH_AUTH_ROUTES_H

#include "http/http.h"

extern const http_route AUTH_ROUTES[];
extern const size_t AUTH_ROUTE_COUNT;

/* ["CODE", ...] for an authority set, in id order. Shared with the users routes. */
json_t *authorities_to_json(authority_set set);

#endif
