#ifndef ASWG_CDLC_CDLC_ROUTES_H
#define ASWG_CDLC_CDLC_ROUTES_H

#include "http/http.h"

extern const http_route CDLC_ROUTES[];
extern const size_t CDLC_ROUTE_COUNT;

#endif
