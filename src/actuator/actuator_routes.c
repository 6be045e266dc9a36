/* /api/v1/actuator/health and /info (Docker health checks, the UI's about box), /api/v1/testing. */
#include "actuator/actuator_routes.h"

#include "core/db.h"
#include "jobs/scheduler.h"

static void get_health(http_request *req, http_reply *rep)
{
    (void)req;
    bool db_up = db_healthy(), scheduler_up = scheduler_started();
    const char *status = db_up && scheduler_up ? "UP" : "DOWN";
    reply_json(rep, db_up && scheduler_up ? 200 : 503,
               json_pack("{s:s, s:{s:{s:s, s:{s:s, s:i}}, s:{s:s, s:{s:i}}}}", "status", status,
                         "components", "db", "status", db_up ? "UP" : "DOWN", "details", "database",
                         "SQLite", "schemaVersion", db_schema_version(), "scheduler", "status",
                         scheduler_up ? "UP" : "DOWN", "details", "runningJobs",
                         scheduler_running_count()));
}

static void get_info(http_request *req, http_reply *rep)
{
    (void)req;
    reply_json(rep, 200, json_pack("{s:{s:s, s:s, s:s}}", "application", "name", "ASWG", "version",
                                   ASWG_VERSION, "description",
                                   "Management Web GUI for Arma Servers (aswg, C implementation)"));
}

static void get_testing(http_request *req, http_reply *rep)
{
    (void)req;
    reply_text(rep, 200, "text/plain; charset=utf-8", "test");
}

const http_route ACTUATOR_ROUTES[] = {
    ROUTE_PUBLIC("GET", "/api/v1/actuator/health", get_health),
    ROUTE_PUBLIC("GET", "/api/v1/actuator/info", get_info),
    ROUTE_USER("GET", "/api/v1/testing", get_testing),
};
const size_t ACTUATOR_ROUTE_COUNT = sizeof ACTUATOR_ROUTES / sizeof ACTUATOR_ROUTES[0];
