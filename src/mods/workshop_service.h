/* Steam Workshop mods (ASWG-API.md §6 /workshop*, §4.8 ModUpdateJob): a durable download queue
 * worked by one thread that runs one batched SteamCMD session for everything due
 * (+workshop_download_item 107410 <id> ...), retries failures with growing pauses (3 attempts,
 * then the task stays listed as given up, with SteamCMD's reason, until retried or removed),
 * links each download into the mods directory as @<name> and registers it. */
#ifndef ASWG_MODS_WORKSHOP_SERVICE_H
#define ASWG_MODS_WORKSHOP_SERVICE_H

#include "core/errors.h"
#include "mods/workshop_repository.h"
#include "steam/steam_api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WORKSHOP_MAX_ATTEMPTS 3

int workshop_start(char *err, size_t err_size);
void workshop_stop(void);

/* SteamCMD is configured and its executable exists. */
bool workshop_active(void);

/* Queues a download (ERR_STEAM_CMD_NOT_INSTALLED when SteamCMD is not set up). With
 * dependencies, the item's required items that are not installed are queued too (needs the Web
 * API key; without it only the item is queued). */
aswg_err workshop_install(int64_t file_id, const char *name, bool dependencies, const char *issuer,
                          char *msg, size_t msg_size);

/* Takes file_id off the download queue (ERR_NOT_FOUND when it is not there). A download SteamCMD
 * is running already finishes, but is not installed. */
aswg_err workshop_remove(int64_t file_id, char *msg, size_t msg_size);

/* The queue, oldest first, with each task's progress (0 queued, 1-49 downloading, 50 downloaded,
 * 75 linked); tasks given up stay listed with their last error. */
typedef struct workshop_queued {
    workshop_task task;
    int progress;
} workshop_queued;
aswg_err workshop_queue(workshop_queued **out, size_t *count);

/* A page of the Arma 3 workshop; search_by_id looks one item up instead. */
aswg_err workshop_search(const char *cursor, const char *text, bool search_by_id, steam_sort sort, int days,
                         steam_page *out, char *msg, size_t msg_size);

typedef struct workshop_dependency {
    int64_t file_id;
    char name[STEAM_TEXT_MAX];
    bool installed;
} workshop_dependency;
aswg_err workshop_dependencies(int64_t file_id, workshop_dependency *out, size_t max, size_t *count, char *msg,
                               size_t msg_size);

/* The MOD_UPDATE job: asks Steam which installed mods changed since their last download, queues
 * those and waits until the queue has dealt with them. Returns 0 (message says what happened)
 * or -1 (message says why not). */
int workshop_update_mods(char *message, size_t size);

/* Progress observers (the websocket): called with (file id, 0..100) whenever it changes. */
void workshop_set_progress_listener(void (*listener)(int64_t file_id, int progress));

#endif
