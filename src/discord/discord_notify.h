/* Server events to Discord (DECISIONS.md 8 and "Beyond the original"): each event becomes an
 * embed at once (with the texts configured now) and goes through a bounded queue to one sender
 * thread, so a slow or dead webhook never holds up a request, the server supervisor or a job.
 * A 429 is retried after Discord's retry_after, 5xx and network errors with growing pauses, at
 * most 5 tries; when the queue is full the oldest message is dropped. */
#ifndef ASWG_DISCORD_DISCORD_NOTIFY_H
#define ASWG_DISCORD_DISCORD_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#define DISCORD_QUEUE_MAX 256
#define DISCORD_MAX_TRIES 5

typedef enum discord_kind {
    DISCORD_SERVER_STARTING,
    DISCORD_SERVER_STARTED,
    DISCORD_SERVER_STOPPED,
    DISCORD_SERVER_CRASHED,
    DISCORD_SERVER_UPDATING,
    DISCORD_PLAYER_JOINED,
    DISCORD_PLAYER_LEFT,
} discord_kind;

/* What is known about the server when the event happens; NULL / negative = unknown. */
typedef struct discord_event {
    const char *player;         /* PLAYER_JOINED / PLAYER_LEFT */
    const char *detail;         /* e.g. "exit code 1", shown as the description */
    const char *server_name;
    const char *mission;
    int players, max_players;
} discord_event;

typedef struct discord_delivery {
    size_t queued;
    uint64_t sent, failed, dropped;
    char last_kind[32];         /* "" before the first delivery attempt */
    long last_status;           /* Discord's HTTP status, 0 = no answer */
    int64_t last_at_ms;
} discord_delivery;

int discord_notify_start(void);
/* Stops the sender; what is still queued is logged as not sent. */
void discord_notify_stop(void);

/* Queues kind (nothing when notifications are off or no URL is set). Never blocks. */
void discord_notify(discord_kind kind, const discord_event *ev);

const char *discord_kind_name(discord_kind kind);
void discord_delivery_state(discord_delivery *out);

/* The webhook body for kind, e.g. {"embeds":[{"title":...,"color":...,"fields":[...]}]}
 * (malloc'd JSON text; exposed for the unit tests). */
char *discord_message_build(discord_kind kind, const discord_event *ev);

#endif
