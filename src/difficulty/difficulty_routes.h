#ifndef ASWG_DIFFICULTY_DIFFICULTY_ROUTES_H
#define ASWG_DIFFICULTY_DIFFICULTY_ROUTES_H

#include "http/http.h"

extern const http_route DIFFICULTY_ROUTES[];
extern const size_t DIFFICULTY_ROUTE_COUNT;

#endif
