#ifndef ASWG_USERS_USER_ROUTES_H
#define ASWG_USERS_USER_ROUTES_H

#include "http/http.h"

extern const http_route USER_ROUTES[];
extern const size_t USER_ROUTE_COUNT;

#endif
