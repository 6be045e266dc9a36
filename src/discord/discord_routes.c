/* /api/v1/settings/discord (ASWG-API.md §3.6) and the test message. */
#include "discord/discord_routes.h"

#include "discord/discord_service.h"
#include "http/body.h"

static void get_settings(http_request *req, http_reply *rep)
{
    (void)req;
    discord_settings s;
    discord_get_settings(&s);
    reply_json(rep, 200, json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "enabled", s.enabled,
                                   "webhookUrl", s.webhook_url, "serverStartingMessage", s.starting_text,
                                   "serverStartMessage", s.started_text, "serverStopMessage",
                                   s.stopped_text, "serverUpdateMessage", s.updating_text,
                                   "serverCrashedMessage", s.crashed_text, "playerJoinedMessage",
                                   s.player_joined_text, "playerLeftMessage", s.player_left_text));
}

static void post_settings(http_request *req, http_reply *rep)
{
    discord_settings s = {0};
    bool enabled_given = false;
    const body_field fields[] = {
        {"enabled", FT_BOOL, false, &s.enabled, &enabled_given},
        FIELD_OPT_STRING("webhookUrl", &s.webhook_url),
        FIELD_OPT_STRING("serverStartingMessage", &s.starting_text),
        FIELD_OPT_STRING("serverStartMessage", &s.started_text),
        FIELD_OPT_STRING("serverStopMessage", &s.stopped_text),
        FIELD_OPT_STRING("serverUpdateMessage", &s.updating_text),
        FIELD_OPT_STRING("serverCrashedMessage", &s.crashed_text),
        FIELD_OPT_STRING("playerJoinedMessage", &s.player_joined_text),
        FIELD_OPT_STRING("playerLeftMessage", &s.player_left_text),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[256] = "";
    reply_status(rep, discord_update_settings(&s, enabled_given, msg, sizeof msg), msg);
}

static void post_test(http_request *req, http_reply *rep)
{
    (void)req;
    discord_answer answer;
    char msg[256] = "";
    aswg_err err = discord_send_test(&answer, msg, sizeof msg);
    if (err != ERR_OK) {
        reply_status(rep, err, msg);
        return;
    }
    bool delivered = answer.status >= 200 && answer.status < 300;
    reply_json(rep, 200, json_pack("{s:b, s:I, s:s}", "delivered", delivered, "status",
                                   (json_int_t)answer.status, "message",
                                   answer.status ? (delivered ? "Discord accepted the message"
                                                              : "Discord refused the message")
                                                 : answer.error));
}

const http_route DISCORD_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/settings/discord", "DISCORD_SETTINGS_UPDATE", get_settings),
    ROUTE_AUTH("POST", "/api/v1/settings/discord", "DISCORD_SETTINGS_UPDATE", post_settings),
    ROUTE_AUTH("POST", "/api/v1/settings/discord/test", "DISCORD_SETTINGS_UPDATE", post_test),
};
const size_t DISCORD_ROUTE_COUNT = sizeof DISCORD_ROUTES / sizeof DISCORD_ROUTES[0];
