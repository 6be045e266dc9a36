/* The /api/v1/mods-presets routes (ASWG-API.md §6) plus the Launcher HTML import and export. */
#ifndef ASWG_MODS_PRESET_ROUTES_H
#define ASWG_MODS_PRESET_ROUTES_H

#include "http/http.h"

extern const http_route PRESET_ROUTES[];
extern const size_t PRESET_ROUTE_COUNT;

#endif
