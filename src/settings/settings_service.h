/* Server settings kept in server.cfg, network.cfg and aswg-config.properties (ASWG-API.md §6 and
 * §5.7): the console log file name, the Steam settings and the general, security and network
 * settings.
 *
 * The last three travel as JSON objects with ASWG's keys: each is a flat mapping of API keys onto
 * config keys (settings_fields.h), so a typed struct per endpoint would only repeat every one of
 * their ~50 keys in four places. Saving checks the whole body first (400 naming the field, no file
 * changed), then changes only the keys the body holds; everything else in the files stays. */
#ifndef ASWG_SETTINGS_SETTINGS_SERVICE_H
#define ASWG_SETTINGS_SETTINGS_SERVICE_H

#include "core/errors.h"
#include "settings/settings_fields.h"

#include <jansson.h>
#include <stddef.h>

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

/* The GET objects of ASWG-API.md §6 (new reference in *out), with §5.7's default for whatever the
 * files lack. ERR_SERVER_CONFIG_INVALID when a file cannot be read or parsed. */
aswg_err settings_get_general(json_t **out, char *msg, size_t msg_size);
aswg_err settings_get_security(json_t **out, char *msg, size_t msg_size);
aswg_err settings_get_network(json_t **out, char *msg, size_t msg_size);

/* Saves a request body (borrowed). ERR_BAD_REQUEST names the bad field and changes nothing;
 * ERR_SERVER_CONFIG_INVALID when a file has a syntax error (then no file changes). General
 * settings also set the server and mods directories, the game port and the branch in
 * aswg-config.properties, in force at once (the next start uses them). */
aswg_err settings_set_general(json_t *body, char *msg, size_t msg_size);
aswg_err settings_set_security(json_t *body, char *msg, size_t msg_size);
aswg_err settings_set_network(json_t *body, char *msg, size_t msg_size);

#endif
