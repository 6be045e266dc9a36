#ifndef ASWG_JOBS_JOB_ROUTES_H
#define ASWG_JOBS_JOB_ROUTES_H

#include "http/http.h"

extern const http_route JOB_ROUTES[];
extern const size_t JOB_ROUTE_COUNT;

#endif
