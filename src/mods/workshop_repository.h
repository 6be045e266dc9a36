/* SQL for workshop_task: the SteamCMD download queue (one row per workshop item). */
#ifndef ASWG_MODS_WORKSHOP_REPOSITORY_H
#define ASWG_MODS_WORKSHOP_REPOSITORY_H

#include "core/db.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct workshop_task {
    int64_t id, file_id;
    char title[256];
    char issuer[64];
    bool forced;            /* download even when the workshop says nothing changed */
    int attempts;
    int64_t not_before_ms;  /* retry no earlier than this */
    int64_t created_ms;
    char last_error[256];   /* why the last attempt failed, "" when none did */
    bool gave_up;           /* every attempt failed: kept for the admin, not tried again */
} workshop_task;

/* Queues file_id (DB_OK also when it is queued already); a task given up starts over. */
db_result workshop_task_add(int64_t file_id, const char *title, const char *issuer, bool forced);
/* All queued tasks, oldest first. */
db_result workshop_task_list(workshop_task **out, size_t *count);
db_result workshop_task_remove(int64_t file_id);
/* Counts a failed attempt (why) and holds the task back until not_before_ms. */
db_result workshop_task_postpone(int64_t file_id, int64_t not_before_ms, const char *why);
/* Counts the last failed attempt (why) and stops trying. */
db_result workshop_task_give_up(int64_t file_id, const char *why);
/* Whether file_id waits for a download (a task given up does not). */
bool workshop_task_queued(int64_t file_id);

#endif
