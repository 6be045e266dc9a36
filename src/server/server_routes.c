#include "server/server_routes.h"

#include "core/timefmt.h"
#include "discord/discord_notify.h"
#include "http/body.h"
#include "http/sse.h"
#include "server/console.h"
#include "server/server_params.h"
#include "server/server_process.h"

#include <stdlib.h>
#include <string.h>

/* ASWG's (status, statusText) pairs (ASWG-API.md §5.8). */
static void status_words(const server_status *s, const char **status, const char **text)
{
    switch (s->state) {
    case SERVER_UPDATING:
        *status = "UPDATING", *text = "Updating";
        return;
    case SERVER_STARTING:
        *status = "STARTING", *text = "Starting";
        return;
    case SERVER_RUNNING:
        if (s->online)
            *status = "ONLINE", *text = "Online";
        else
            *status = "RUNNING_BUT_NOT_DETECTED_BY_STEAM", *text = "Running but not detected by Steam";
        return;
    case SERVER_NOT_RUNNING:
        break;
    }
    *status = "OFFLINE", *text = "Offline";
}

static json_t *iso_or_null(int64_t ms)
{
    char stamp[TIME_ISO_MAX];
    if (!ms)
        return json_null();
    time_format_iso(ms, stamp);
    return json_string(stamp);
}

/* Beyond ASWG: what the supervisor knows about the process and the Steam answer. */
static json_t *server_details(const server_status *s)
{
    json_t *o = json_pack("{s:I, s:b, s:o, s:s, s:o}", "pid", (json_int_t)s->pid, "adopted", s->adopted,
                          "startedAt", iso_or_null(s->started_at_ms), "lastExit", s->last_exit,
                          "restartAt", iso_or_null(s->restart_at_ms));
    if (o && s->online)
        json_object_set_new(o, "steam", json_pack("{s:s, s:s, s:s, s:i, s:i}", "name", s->steam.name, "map",
                                                  s->steam.map, "mission", s->steam.game, "players",
                                                  s->steam.players, "maxPlayers", s->steam.max_players));
    return o;
}

static json_t *discord_details(void)
{
    discord_delivery d;
    discord_delivery_state(&d);
    return json_pack("{s:I, s:I, s:I, s:I, s:s?, s:I, s:o}", "queued", (json_int_t)d.queued, "sent",
                     (json_int_t)d.sent, "failed", (json_int_t)d.failed, "dropped", (json_int_t)d.dropped,
                     "lastKind", d.last_kind[0] ? d.last_kind : NULL, "lastStatus", (json_int_t)d.last_status,
                     "lastAt", iso_or_null(d.last_at_ms));
}

static void get_status(http_request *req, http_reply *rep)
{
    (void)req;
    server_status s;
    server_get_status(&s);
    const char *status, *text;
    status_words(&s, &status, &text);
    json_t *players = json_array();
    if (s.online) {
        char (*names)[A2S_TEXT_MAX] = malloc(A2S_MAX_PLAYERS * sizeof *names);
        size_t n = names ? server_players(names, A2S_MAX_PLAYERS) : 0;
        for (size_t i = 0; i < n; i++)
            json_array_append_new(players, json_pack("{s:s}", "name", names[i]));
        free(names);
    }
    reply_json(rep, 200, json_pack("{s:{s:s, s:s}, s:o, s:o, s:o}", "status", "status", status, "statusText",
                                   text, "playerList", players, "server", server_details(&s), "discord",
                                   discord_details()));
}

/* ASWG: requestedStatus "OFFLINE" stops, any other value starts. */
static void post_toggle(http_request *req, http_reply *rep)
{
    const char *requested = NULL;
    bool perform_update = false;
    const body_field fields[] = {
        FIELD_REQ_STRING("requestedStatus", &requested),
        FIELD_OPT_BOOL("performUpdate", &perform_update),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    aswg_err err = strcmp(requested, "OFFLINE") == 0 ? server_stop(msg, sizeof msg)
                                                     : server_start(perform_update, msg, sizeof msg);
    reply_status(rep, err, msg);
}

static void get_latest_logs(http_request *req, http_reply *rep)
{
    int64_t lines;
    if (!req_query_int(req, rep, "lines", CONSOLE_TAIL_DEFAULT, CONSOLE_TAIL_MAX, &lines))
        return;
    reply_json(rep, 200, json_pack("{s:o}", "logs", console_tail((size_t)lines)));
}

static void get_logs_sse(http_request *req, http_reply *rep)
{
    reply_sse(req, rep);
}

/* The route exists only when the overwrite was enabled at start (ASWG registers it then). */
static void post_startup_params(http_request *req, http_reply *rep)
{
    if (!server_params_can_overwrite()) {
        reply_error(rep, ERR_NOT_FOUND, NULL);
        return;
    }
    const char *params = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("params", &params),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[256] = "";
    reply_status(rep, server_params_set_overwrite(params, msg, sizeof msg), msg);
}

const http_route SERVER_ROUTES[] = {
    ROUTE_USER("GET", "/api/v1/status", get_status),
    ROUTE_AUTH("POST", "/api/v1/status/toggle", "SERVER_START_STOP", post_toggle),
    ROUTE_AUTH("GET", "/api/v1/logging/latest-logs", "CONSOLE_LOGS_VIEW", get_latest_logs),
    ROUTE_AUTH("GET", "/api/v1/logging/logs-sse", "CONSOLE_LOGS_VIEW", get_logs_sse),
    ROUTE_AUTH("POST", "/api/v1/unsafe/startup-params", "UNSAFE_OVERWRITE_STARTUP_PARAMS", post_startup_params),
};
const size_t SERVER_ROUTE_COUNT = sizeof SERVER_ROUTES / sizeof SERVER_ROUTES[0];
