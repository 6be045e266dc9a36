#ifndef ASWG_DISCORD_DISCORD_ROUTES_H
#define ASWG_DISCORD_DISCORD_ROUTES_H

#include "http/http.h"

extern const http_route DISCORD_ROUTES[];
extern const size_t DISCORD_ROUTE_COUNT;

#endif
