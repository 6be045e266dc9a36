#ifndef ASWG_SETTINGS_SETTINGS_ROUTES_H
#define ASWG_SETTINGS_SETTINGS_ROUTES_H

#include "http/http.h"

extern const http_route SETTINGS_ROUTES[];
extern const size_t SETTINGS_ROUTE_COUNT;

#endif
