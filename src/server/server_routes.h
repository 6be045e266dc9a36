/* /api/v1/status, /api/v1/logging/latest-logs, /api/v1/logging/logs-sse and
 * /api/v1/unsafe/startup-params (ASWG-API.md §5.8, §5.9, §6). */
#ifndef ASWG_SERVER_SERVER_ROUTES_H
#define ASWG_SERVER_SERVER_ROUTES_H

#include "http/http.h"

extern const http_route SERVER_ROUTES[];
extern const size_t SERVER_ROUTE_COUNT;

#endif
