/* The /api/v1/workshop routes (ASWG-API.md §6). */
#ifndef ASWG_MODS_WORKSHOP_ROUTES_H
#define ASWG_MODS_WORKSHOP_ROUTES_H

#include "http/http.h"

extern const http_route WORKSHOP_ROUTES[];
extern const size_t WORKSHOP_ROUTE_COUNT;

#endif
