/* Server settings kept in server.cfg and in aswg-config.properties (ASWG-API.md §6): so far the
 * console log file name and the Steam settings. */
#ifndef ASWG_SETTINGS_SETTINGS_SERVICE_H
#define ASWG_SETTINGS_SETTINGS_SERVICE_H

#include "core/errors.h"

#include <stddef.h>

#define SETTINGS_TEXT_MAX 1024

/* server.cfg logFile ("" when not set). */
aswg_err settings_get_log_file(char *out, size_t out_size, char *msg, size_t msg_size);
aswg_err settings_set_log_file(const char *log_file, char *msg, size_t msg_size);

typedef struct steam_settings {
    const char *steamcmd_path;
    const char *username;
    const char *workshop_content_path;
    const char *web_api_token;
} steam_settings;

void settings_get_steam(steam_settings *out);
/* NULL fields keep their value; the steamcmd password is changed only by settings_set_steam_password. */
aswg_err settings_set_steam(const steam_settings *in, char *msg, size_t msg_size);
aswg_err settings_set_steam_password(const char *password, char *msg, size_t msg_size);

#endif
