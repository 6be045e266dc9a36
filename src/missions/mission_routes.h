#ifndef ASWG_MISSIONS_MISSION_ROUTES_H
#define ASWG_MISSIONS_MISSION_ROUTES_H

#include "http/http.h"

extern const http_route MISSION_ROUTES[];
extern const size_t MISSION_ROUTE_COUNT;

/* Drops the cached mission list (at shutdown, so nothing is left for leak checkers). */
void mission_routes_shutdown(void);

#endif
