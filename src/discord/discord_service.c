#include "discord/discord_service.h"

#include "core/config.h"
#include "core/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define URL_MAX 2048

static const struct { const char *key; size_t offset; const char *field; } TEXTS[] = {
    {"aswg.discord.message.server-starting", offsetof(discord_settings, starting_text), "serverStartingMessage"},
    {"aswg.discord.message.server-start", offsetof(discord_settings, started_text), "serverStartMessage"},
    {"aswg.discord.message.server-stop", offsetof(discord_settings, stopped_text), "serverStopMessage"},
    {"aswg.discord.message.server-updating", offsetof(discord_settings, updating_text), "serverUpdateMessage"},
    {"aswg.discord.message.server-crashed", offsetof(discord_settings, crashed_text), "serverCrashedMessage"},
    {"aswg.discord.message.player-joined", offsetof(discord_settings, player_joined_text), "playerJoinedMessage"},
    {"aswg.discord.message.player-left", offsetof(discord_settings, player_left_text), "playerLeftMessage"},
};

#define TEXT_COUNT (sizeof TEXTS / sizeof TEXTS[0])

static const char **text_slot(discord_settings *s, size_t i)
{
    return (const char **)((char *)s + TEXTS[i].offset);
}

void discord_get_settings(discord_settings *out)
{
    out->enabled = config_bool("aswg.discord.webhook.enabled");
    out->webhook_url = config_str("aswg.discord.webhook.url");
    for (size_t i = 0; i < TEXT_COUNT; i++)
        *text_slot(out, i) = config_str(TEXTS[i].key);
}

static bool has_control_chars(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

/* Empty (no notifications) or an http(s) URL without blanks or control characters. */
static bool valid_url(const char *url)
{
    if (!url[0])
        return true;
    return strlen(url) <= URL_MAX && !has_control_chars(url) && !strchr(url, ' ') &&
           (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
           url[strncmp(url, "https://", 8) == 0 ? 8 : 7] != '\0';
}

static aswg_err check_settings(discord_settings *in, char *msg, size_t msg_size)
{
    if (in->webhook_url && !valid_url(in->webhook_url)) {
        snprintf(msg, msg_size, "Field 'webhookUrl' must be empty or an http(s) URL");
        return ERR_BAD_REQUEST;
    }
    for (size_t i = 0; i < TEXT_COUNT; i++) {
        const char *text = *text_slot(in, i);
        if (text && (strlen(text) > DISCORD_TEXT_MAX || has_control_chars(text))) {
            snprintf(msg, msg_size, "Field '%s' must be at most %d characters, without control characters",
                     TEXTS[i].field, DISCORD_TEXT_MAX);
            return ERR_BAD_REQUEST;
        }
    }
    return ERR_OK;
}

aswg_err discord_update_settings(const discord_settings *in, bool enabled_given, char *msg, size_t msg_size)
{
    discord_settings s = *in;
    aswg_err err = check_settings(&s, msg, msg_size);
    if (err != ERR_OK)
        return err;
    const char *keys[2 + TEXT_COUNT] = {"aswg.discord.webhook.enabled", "aswg.discord.webhook.url"};
    const char *values[2 + TEXT_COUNT] = {enabled_given ? (s.enabled ? "true" : "false") : NULL, s.webhook_url};
    for (size_t i = 0; i < TEXT_COUNT; i++) {
        keys[2 + i] = TEXTS[i].key;
        values[2 + i] = *text_slot(&s, i);
    }
    if (config_set_all(keys, values, 2 + TEXT_COUNT) != 0)
        return ERR_SERVER_ERROR;
    log_info("Discord settings changed (notifications %s)",
             config_bool("aswg.discord.webhook.enabled") ? "on" : "off");
    return ERR_OK;
}

aswg_err discord_send_test(discord_answer *answer, char *msg, size_t msg_size)
{
    const char *url = config_str("aswg.discord.webhook.url");
    if (!url[0]) {
        snprintf(msg, msg_size, "No Discord webhook URL is configured");
        return ERR_BAD_REQUEST;
    }
    json_t *doc = json_pack("{s:[{s:s, s:s, s:i, s:s}]}", "embeds", "title", "aswg test message",
                            "description", "Discord notifications from aswg reach this channel.", "color",
                            0x2e86de, "type", "rich");
    char *body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!body)
        return ERR_SERVER_ERROR;
    discord_post(url, body, answer);
    free(body);
    log_info("Discord test message: %s %ld", answer->status ? "answered" : "failed", answer->status);
    return ERR_OK;
}
