#ifndef ASWG_MOD_SETTINGS_MOD_SETTINGS_ROUTES_H
#define ASWG_MOD_SETTINGS_MOD_SETTINGS_ROUTES_H

#include "http/http.h"

extern const http_route MOD_SETTINGS_ROUTES[];
extern const size_t MOD_SETTINGS_ROUTE_COUNT;

#endif
