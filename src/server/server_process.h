/* The game server supervisor (ASWG-API.md §5.8 with DECISIONS.md 8 and 10): one thread owns the
 * Arma 3 server process (and SteamCMD while it updates the server), reads their output into the
 * console, reaps them, polls the Steam query port for the online state and the player list, and
 * restarts a crashed server when asked to. Requests only hand it commands, so a start or a stop
 * never blocks for long, and a slow Discord or Steam never blocks the supervisor.
 *
 * aswg stopping leaves the game server running (players keep playing); the next aswg start finds
 * it again through <server dir>/arma_server.pid, checking the pid still names the same process. */
#ifndef ASWG_SERVER_SERVER_PROCESS_H
#define ASWG_SERVER_SERVER_PROCESS_H

#include "core/errors.h"
#include "server/a2s.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum server_state { SERVER_NOT_RUNNING, SERVER_STARTING, SERVER_UPDATING, SERVER_RUNNING } server_state;

typedef struct server_status {
    server_state state;
    bool online;                /* RUNNING and the last Steam query answered */
    a2s_info steam;             /* the last answer, when online */
    pid_t pid;                  /* 0 when not running */
    bool adopted;               /* started by an earlier aswg run: no console output */
    int64_t started_at_ms;
    char last_exit[128];        /* how the last run ended ("" before any) */
    int64_t restart_at_ms;      /* a pending automatic restart, 0 = none */
} server_status;

int server_supervisor_start(char *err, size_t err_size);
void server_supervisor_stop(void);

/* Starts the server (after a SteamCMD update when perform_update and SteamCMD is configured).
 * Returns once the process is spawned (or the update has begun): ERR_SERVER_ALREADY_RUNNING,
 * ERR_SERVER_NOT_INSTALLED (no executable, or it could not be started: reason in msg). */
aswg_err server_start(bool perform_update, char *msg, size_t msg_size);
/* Stops it: SIGTERM, SIGKILL after aswg.server.stop-timeout. Waits up to a few seconds for the
 * exit, then returns while the supervisor finishes the job. Nothing running is not an error. */
aswg_err server_stop(char *msg, size_t msg_size);

void server_get_status(server_status *out);
/* Names of the connected players: the Steam answer when it lists them, else what the console
 * said. Returns the count copied into names. */
size_t server_players(char (*names)[A2S_TEXT_MAX], size_t max);

#endif
