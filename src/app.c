#include "app.h"

#include "actuator/actuator_routes.h"
#include "auth/auth_routes.h"
#include "cdlc/cdlc_routes.h"
#include "difficulty/difficulty_routes.h"
#include "discord/discord_routes.h"
#include "jobs/job_routes.h"
#include "missions/mission_routes.h"
#include "mods/mod_routes.h"
#include "mods/preset_routes.h"
#include "mods/workshop_routes.h"
#include "mod_settings/mod_settings_routes.h"
#include "server/server_routes.h"
#include "settings/settings_routes.h"
#include "users/user_routes.h"

#include <stdlib.h>
#include <string.h>

static http_route *g_routes;
static size_t g_count;

const http_route *app_routes(size_t *count)
{
    if (!g_routes) {
        const struct { const http_route *routes; size_t count; } tables[] = {
            {AUTH_ROUTES, AUTH_ROUTE_COUNT},
            {USER_ROUTES, USER_ROUTE_COUNT},
            {MISSION_ROUTES, MISSION_ROUTE_COUNT},
            {JOB_ROUTES, JOB_ROUTE_COUNT},
            {MOD_ROUTES, MOD_ROUTE_COUNT},
            {PRESET_ROUTES, PRESET_ROUTE_COUNT},
            {WORKSHOP_ROUTES, WORKSHOP_ROUTE_COUNT},
            {SERVER_ROUTES, SERVER_ROUTE_COUNT},
            {CDLC_ROUTES, CDLC_ROUTE_COUNT},
            {DIFFICULTY_ROUTES, DIFFICULTY_ROUTE_COUNT},
            {MOD_SETTINGS_ROUTES, MOD_SETTINGS_ROUTE_COUNT},
            {DISCORD_ROUTES, DISCORD_ROUTE_COUNT},
            {SETTINGS_ROUTES, SETTINGS_ROUTE_COUNT},
            {ACTUATOR_ROUTES, ACTUATOR_ROUTE_COUNT},
        };
        size_t total = 0;
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
            total += tables[i].count;
        g_routes = malloc(total * sizeof *g_routes);
        if (!g_routes)
            abort();
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
            memcpy(g_routes + g_count, tables[i].routes, tables[i].count * sizeof *g_routes);
            g_count += tables[i].count;
        }
    }
    *count = g_count;
    return g_routes;
}

void app_routes_free(void)
{
    free(g_routes);
    g_routes = NULL;
    g_count = 0;
}

json_t *app_routes_json(void)
{
    static const char *const ACCESS_NAMES[] = {"public", "authenticated", "authority"};
    size_t count;
    const http_route *routes = app_routes(&count);
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s?}", "method", routes[i].method,
                                              "path", routes[i].pattern, "access",
                                              ACCESS_NAMES[routes[i].access], "authority",
                                              routes[i].authority));
    return list;
}
