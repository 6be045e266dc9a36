/* /api/v1/mods* and /api/v1/mods-files/{name}/exists (ASWG-API.md §6). */
#ifndef ASWG_MODS_MOD_ROUTES_H
#define ASWG_MODS_MOD_ROUTES_H

#include "http/http.h"

extern const http_route MOD_ROUTES[];
extern const size_t MOD_ROUTE_COUNT;

#endif
