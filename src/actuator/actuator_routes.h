#ifndef ASWG_ACTUATOR_ACTUATOR_ROUTES_H
#define ASWG_ACTUATOR_ACTUATOR_ROUTES_H

#include "http/http.h"

extern const http_route ACTUATOR_ROUTES[];
extern const size_t ACTUATOR_ROUTE_COUNT;

#endif
