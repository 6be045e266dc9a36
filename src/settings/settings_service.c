#include "settings/settings_service.h"

#include "core/cfg.h"
#include "core/config.h"
#include "core/log.h"
#include "server/server_cfg.h"

#include <stdio.h>
#include <string.h>

static bool plain_text(const char *s, const char *field, char *msg, size_t msg_size)
{
    if (strlen(s) > SETTINGS_TEXT_MAX) {
        snprintf(msg, msg_size, "Field '%s' must be at most %d characters", field, SETTINGS_TEXT_MAX);
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(msg, msg_size, "Field '%s' must not contain control characters", field);
            return false;
        }
    }
    return true;
}

aswg_err settings_get_log_file(char *out, size_t out_size, char *msg, size_t msg_size)
{
    return server_cfg_read_string("logFile", out, out_size, msg, msg_size) == 0 ? ERR_OK
                                                                                : ERR_SERVER_CONFIG_INVALID;
}

static int set_log_file(cfg_node *root, void *arg)
{
    return cfg_set_string(root, "logFile", arg);
}

aswg_err settings_set_log_file(const char *log_file, char *msg, size_t msg_size)
{
    if (!plain_text(log_file, "logFile", msg, msg_size))
        return ERR_BAD_REQUEST;
    if (server_cfg_edit(set_log_file, (void *)log_file, msg, msg_size) != 0)
        return ERR_SERVER_CONFIG_INVALID;
    log_info("server.cfg logFile set to '%s'", log_file);
    return ERR_OK;
}

static const struct { const char *key; const char *field; } STEAM_KEYS[] = {
    {"aswg.steamcmd.path", "steamCmdPath"},
    {"aswg.steamcmd.username", "steamCmdUsername"},
    {"aswg.steamcmd.workshop.content.path", "steamCmdWorkshopContentPath"},
    {"aswg.steam.web-api-token", "steamWebApiToken"},
};

#define STEAM_KEY_COUNT (sizeof STEAM_KEYS / sizeof STEAM_KEYS[0])

static const char **steam_slot(steam_settings *s, size_t i)
{
    const char **slots[] = {&s->steamcmd_path, &s->username, &s->workshop_content_path, &s->web_api_token};
    return slots[i];
}

void settings_get_steam(steam_settings *out)
{
    for (size_t i = 0; i < STEAM_KEY_COUNT; i++)
        *steam_slot(out, i) = config_str(STEAM_KEYS[i].key);
}

aswg_err settings_set_steam(const steam_settings *in, char *msg, size_t msg_size)
{
    steam_settings s = *in;
    const char *keys[STEAM_KEY_COUNT], *values[STEAM_KEY_COUNT];
    for (size_t i = 0; i < STEAM_KEY_COUNT; i++) {
        keys[i] = STEAM_KEYS[i].key;
        values[i] = *steam_slot(&s, i);
        if (values[i] && !plain_text(values[i], STEAM_KEYS[i].field, msg, msg_size))
            return ERR_BAD_REQUEST;
    }
    if (config_set_all(keys, values, STEAM_KEY_COUNT) != 0)
        return ERR_SERVER_ERROR;
    log_info("Steam settings changed");
    return ERR_OK;
}

aswg_err settings_set_steam_password(const char *password, char *msg, size_t msg_size)
{
    if (!plain_text(password, "password", msg, msg_size))
        return ERR_BAD_REQUEST;
    const char *key = "aswg.steamcmd.password";
    if (config_set_all(&key, &password, 1) != 0)
        return ERR_SERVER_ERROR;
    log_info("steamcmd password changed");
    return ERR_OK;
}
