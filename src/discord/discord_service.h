/* Discord notifications: the webhook settings (ASWG-API.md §3 with DECISIONS.md 8: changes apply
 * at once, the "updating" text is saved under the key it is read from) and a test message. */
#ifndef ASWG_DISCORD_DISCORD_SERVICE_H
#define ASWG_DISCORD_DISCORD_SERVICE_H

#include "core/errors.h"
#include "discord/discord_client.h"

#include <stdbool.h>
#include <stddef.h>

#define DISCORD_TEXT_MAX 256    /* Discord's limit for an embed title */

typedef struct discord_settings {
    bool enabled;
    const char *webhook_url;
    const char *starting_text;
    const char *started_text;
    const char *stopped_text;
    const char *updating_text;
    const char *crashed_text;
    const char *player_joined_text;     /* "{player}" stands for the player's name */
    const char *player_left_text;
} discord_settings;

void discord_get_settings(discord_settings *out);

/* Fields left NULL (enabled: when !enabled_given) keep their value. Checks everything, then
 * saves the config file once. */
aswg_err discord_update_settings(const discord_settings *in, bool enabled_given, char *msg, size_t msg_size);

/* Sends a test message now and returns Discord's answer (even when notifications are disabled:
 * the admin asked for it). ERR_BAD_REQUEST when no webhook URL is set. */
aswg_err discord_send_test(discord_answer *answer, char *msg, size_t msg_size);

#endif
