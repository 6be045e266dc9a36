/* Steam server queries (A2S_INFO and A2S_PLAYER over UDP, with the challenge handshake Steam has
 * required since 2020 and split-packet reassembly) against the game's query port. */
#ifndef ASWG_SERVER_A2S_H
#define ASWG_SERVER_A2S_H

#include <stddef.h>

#define A2S_MAX_PLAYERS 256
#define A2S_TEXT_MAX 128

typedef struct a2s_info {
    char name[A2S_TEXT_MAX];    /* hostname */
    char map[A2S_TEXT_MAX];     /* Arma: the world (Altis, Tanoa, ...) */
    char game[A2S_TEXT_MAX];    /* Arma: the mission name */
    int players, max_players;
} a2s_info;

typedef struct a2s_players {
    size_t count;
    char names[A2S_MAX_PLAYERS][A2S_TEXT_MAX];
} a2s_players;

/* Asks 127.0.0.1:port for its info and then its players, within timeout_ms in all.
 * Returns 0 when the info answer came (players may then be empty if that part failed),
 * -1 when the server did not answer. */
int a2s_query(int port, int timeout_ms, a2s_info *info, a2s_players *players);

/* Parsers, exposed for the unit tests. Each takes one whole reassembled answer without the
 * 0xFFFFFFFF prefix and returns 0, or -1 when it is malformed. */
int a2s_parse_info(const unsigned char *data, size_t len, a2s_info *out);
int a2s_parse_players(const unsigned char *data, size_t len, a2s_players *out);

#endif
