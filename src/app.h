/* The application's wiring: the route tables of every domain, gathered into one list. */
#ifndef ASWG_APP_H
#define ASWG_APP_H

#include "http/http.h"

/* All routes (built once; valid until app_routes_free()). */
const http_route *app_routes(size_t *count);
void app_routes_free(void);

/* The route table as JSON ([{method, path, access, authority}]), for `aswg --routes` and the
 * security tests, so a new route cannot skip its check unnoticed. */
json_t *app_routes_json(void);

#endif
