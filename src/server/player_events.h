/* Player connects and disconnects as the Arma 3 server prints them on its console:
 *   "23:41:12 Player Bob connected (id=76561198000000001)."
 *   "23:45:03 Player Bob disconnected."
 * (the time prefix is optional; names may contain blanks). */
#ifndef ASWG_SERVER_PLAYER_EVENTS_H
#define ASWG_SERVER_PLAYER_EVENTS_H

#include <stddef.h>

typedef enum player_event { PLAYER_NONE, PLAYER_JOINED, PLAYER_LEFT } player_event;

/* Recognises one console line; on JOINED/LEFT the player's name is copied into name. */
player_event player_event_parse(const char *line, char *name, size_t name_size);

#endif
