/* /api/v1/logging/properties, /api/v1/settings/steam, /api/v1/general/properties,
 * /api/v1/security and /api/v1/network/properties (ASWG-API.md §6). */
#include "settings/settings_routes.h"

#include "http/body.h"
#include "settings/settings_service.h"

static void get_logging(http_request *req, http_reply *rep)
{
    (void)req;
    char log_file[SETTINGS_TEXT_MAX + 1], msg[512] = "";
    aswg_err err = settings_get_log_file(log_file, sizeof log_file, msg, sizeof msg);
    if (err == ERR_OK)
        reply_json(rep, 200, json_pack("{s:s}", "logFile", log_file));
    else
        reply_status(rep, err, msg);
}

static void post_logging(http_request *req, http_reply *rep)
{
    const char *log_file = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("logFile", &log_file),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    reply_status(rep, settings_set_log_file(log_file, msg, sizeof msg), msg);
}

static void get_steam(http_request *req, http_reply *rep)
{
    (void)req;
    steam_settings s;
    settings_get_steam(&s);
    /* The steamcmd password is write-only: ASWG answers null too. */
    reply_json(rep, 200, json_pack("{s:s, s:s, s:n, s:s, s:s}", "steamCmdPath", s.steamcmd_path,
                                   "steamCmdUsername", s.username, "steamCmdPassword",
                                   "steamCmdWorkshopContentPath", s.workshop_content_path,
                                   "steamWebApiToken", s.web_api_token));
}

static void post_steam(http_request *req, http_reply *rep)
{
    steam_settings s = {0};
    const body_field fields[] = {
        FIELD_OPT_STRING("steamCmdPath", &s.steamcmd_path),
        FIELD_OPT_STRING("steamCmdUsername", &s.username),
        FIELD_OPT_STRING("steamCmdWorkshopContentPath", &s.workshop_content_path),
        FIELD_OPT_STRING("steamWebApiToken", &s.web_api_token),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    reply_status(rep, settings_set_steam(&s, msg, sizeof msg), msg);
}

static void post_steam_password(http_request *req, http_reply *rep)
{
    const char *password = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("password", &password),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    reply_status(rep, settings_set_steam_password(password, msg, sizeof msg), msg);
}

/* The settings that are JSON objects on both sides (settings_service.h). */
static void reply_settings(http_reply *rep, aswg_err (*get)(json_t **, char *, size_t))
{
    json_t *doc = NULL;
    char msg[512] = "";
    aswg_err err = get(&doc, msg, sizeof msg);
    if (err == ERR_OK)
        reply_json(rep, 200, doc);
    else
        reply_status(rep, err, msg);
}

static void save_settings(http_request *req, http_reply *rep, aswg_err (*set)(json_t *, char *, size_t))
{
    const body_field object_only[] = {FIELD_END};
    if (!body_parse(req, rep, object_only))
        return;
    char msg[512] = "";
    reply_status(rep, set(req->json, msg, sizeof msg), msg);
}

static void get_general(http_request *req, http_reply *rep)
{
    (void)req;
    reply_settings(rep, settings_get_general);
}

static void post_general(http_request *req, http_reply *rep)
{
    save_settings(req, rep, settings_set_general);
}

static void get_security(http_request *req, http_reply *rep)
{
    (void)req;
    reply_settings(rep, settings_get_security);
}

static void post_security(http_request *req, http_reply *rep)
{
    save_settings(req, rep, settings_set_security);
}

static void get_network(http_request *req, http_reply *rep)
{
    (void)req;
    reply_settings(rep, settings_get_network);
}

static void post_network(http_request *req, http_reply *rep)
{
    save_settings(req, rep, settings_set_network);
}

const http_route SETTINGS_ROUTES[] = {
    ROUTE_USER("GET", "/api/v1/logging/properties", get_logging),
    ROUTE_USER("POST", "/api/v1/logging/properties", post_logging),
    ROUTE_AUTH("GET", "/api/v1/settings/steam", "STEAM_SETTINGS_UPDATE", get_steam),
    ROUTE_AUTH("POST", "/api/v1/settings/steam", "STEAM_SETTINGS_UPDATE", post_steam),
    ROUTE_AUTH("POST", "/api/v1/settings/steam/password-change", "STEAM_SETTINGS_UPDATE", post_steam_password),
    ROUTE_AUTH("GET", "/api/v1/general/properties", "GENERAL_SETTINGS_VIEW", get_general),
    ROUTE_AUTH("POST", "/api/v1/general/properties", "GENERAL_SETTINGS_SAVE", post_general),
    ROUTE_AUTH("GET", "/api/v1/security", "SECURITY_SETTINGS_VIEW", get_security),
    ROUTE_AUTH("POST", "/api/v1/security", "SECURITY_SETTINGS_SAVE", post_security),
    ROUTE_AUTH("GET", "/api/v1/network/properties", "NETWORK_SETTINGS_VIEW", get_network),
    ROUTE_AUTH("POST", "/api/v1/network/properties", "NETWORK_SETTINGS_SAVE", post_network),
};
const size_t SETTINGS_ROUTE_COUNT = sizeof SETTINGS_ROUTES / sizeof SETTINGS_ROUTES[0];
