/* The /api/v1/workshop routes (ASWG-API.md §6). */
#ifndef ASWG_MODS_WORKSHOP_ROUTES_H
#define ASWG_MODS_WORKSHOP_ROUTES_H

#include "http/http.h"

#include <stdint.h>

extern const http_route WORKSHOP_ROUTES[];
extern const size_t WORKSHOP_ROUTE_COUNT;

/* The workshop progress listener that feeds /api/v1/ws/workshop-mod-install-progress. */
void workshop_progress_to_websocket(int64_t file_id, int progress);

#endif
