#include "mods/workshop_routes.h"

#include "core/timefmt.h"
#include "http/body.h"
#include "http/websocket.h"
#include "mods/mod_service.h"
#include "mods/workshop_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKSHOP_URL "https://steamcommunity.com/sharedfiles/filedetails/?id="

static json_t *workshop_url(int64_t id)
{
    char url[128];
    snprintf(url, sizeof url, WORKSHOP_URL "%lld", (long long)id);
    return json_string(url);
}

/* WorkshopMod: {fileId, title, description, previewUrl, modWorkshopUrl, lastUpdate, dependencies}. */
static json_t *workshop_mod_json(const steam_item *it)
{
    char updated[TIME_ISO_MAX];
    time_format_iso(it->time_updated * 1000, updated);
    json_t *deps = json_array();
    for (size_t i = 0; i < it->child_count; i++)
        json_array_append_new(deps, json_integer(it->children[i]));
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o}", "fileId", (json_int_t)it->file_id, "title", it->title,
                     "description", it->description, "previewUrl", it->preview_url, "modWorkshopUrl",
                     workshop_url(it->file_id), "lastUpdate", updated, "dependencies", deps);
}

static void get_active(http_request *req, http_reply *rep)
{
    (void)req;
    reply_json(rep, 200, json_pack("{s:b}", "active", workshop_active()));
}

static const char *const SORTS[] = {"TEXT_RELEVANCE", "POPULARITY", "TOP_RATED", "PUBLICATION_DATE",
                                    "LAST_UPDATED", "MOST_SUBSCRIBERS"};

static void post_query(http_request *req, http_reply *rep)
{
    const char *cursor = "*", *text = "", *sorting = "TEXT_RELEVANCE";
    bool by_id = false;
    int64_t days = 0;
    const body_field fields[] = {
        FIELD_OPT_STRING("cursor", &cursor),
        FIELD_OPT_STRING("searchText", &text),
        FIELD_OPT_BOOL("searchByModId", &by_id),
        FIELD_OPT_STRING("sortingType", &sorting),
        FIELD_OPT_INT("daysPeriod", &days),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    size_t sort = 0;
    while (sort < sizeof SORTS / sizeof SORTS[0] && strcmp(SORTS[sort], sorting) != 0)
        sort++;
    if (sort == sizeof SORTS / sizeof SORTS[0] || days < 0 || days > 36500) {
        reply_error(rep, ERR_BAD_REQUEST, sort == sizeof SORTS / sizeof SORTS[0] ? "Field 'sortingType' is not a known order"
                                                                                 : "Field 'daysPeriod' is out of range");
        return;
    }
    steam_page *page = malloc(sizeof *page);
    char msg[256] = "";
    aswg_err err = page ? workshop_search(cursor, text, by_id, (steam_sort)sort, (int)days, page, msg, sizeof msg)
                        : ERR_SERVICE_UNAVAILABLE;
    if (err == ERR_OK) {
        json_t *mods = json_array();
        for (size_t i = 0; i < page->count; i++)
            json_array_append_new(mods, workshop_mod_json(&page->items[i]));
        reply_json(rep, 200, json_pack("{s:s, s:o}", "nextCursor", page->next_cursor, "mods", mods));
    } else {
        reply_status(rep, err, msg);
    }
    free(page);
}

static void get_installed(http_request *req, http_reply *rep)
{
    (void)req;
    mod_item *items;
    size_t n, n_queue;
    workshop_queued *queue;
    if (mods_list(&items, &n) != ERR_OK) {
        reply_error(rep, ERR_SERVER_ERROR, NULL);
        return;
    }
    if (workshop_queue(&queue, &n_queue) != ERR_OK) {
        free(items);
        reply_error(rep, ERR_SERVER_ERROR, NULL);
        return;
    }
    json_t *mods = json_array(), *installing = json_array();
    for (size_t i = 0; i < n; i++)
        if (items[i].managed)
            json_array_append_new(mods, json_pack("{s:I, s:s, s:n, s:s?, s:o, s:n, s:n}", "fileId",
                                                  (json_int_t)items[i].row.workshop_file_id, "title", items[i].row.name,
                                                  "description", "previewUrl",
                                                  items[i].row.preview_url[0] ? items[i].row.preview_url : NULL,
                                                  "modWorkshopUrl", workshop_url(items[i].row.workshop_file_id),
                                                  "lastUpdate", "dependencies"));
    for (size_t i = 0; i < n_queue; i++)
        if (!queue[i].task.gave_up)
            json_array_append_new(installing, json_pack("{s:I, s:s, s:b}", "fileId", (json_int_t)queue[i].task.file_id,
                                                    "modName", queue[i].task.title, "installDependencies", 0));
    free(items);
    free(queue);
    reply_json(rep, 200, json_pack("{s:o, s:o}", "mods", mods, "modsUnderInstallation", installing));
}

/* {fileId, title, installAttemptCount, issuer} as ASWG, and progress, lastError (null when no
 * attempt failed) and failed (true once aswg gave up; POST /workshop/install tries again). */
static json_t *queue_item_json(const workshop_queued *q)
{
    return json_pack("{s:I, s:s, s:i, s:s, s:i, s:s?, s:b}", "fileId", (json_int_t)q->task.file_id, "title",
                     q->task.title, "installAttemptCount", q->task.attempts, "issuer", q->task.issuer, "progress",
                     q->progress, "lastError", q->task.last_error[0] ? q->task.last_error : NULL, "failed",
                     q->task.gave_up);
}

static void get_queue(http_request *req, http_reply *rep)
{
    (void)req;
    workshop_queued *queue;
    size_t n;
    if (workshop_queue(&queue, &n) != ERR_OK) {
        reply_error(rep, ERR_SERVER_ERROR, NULL);
        return;
    }
    json_t *mods = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(mods, queue_item_json(&queue[i]));
    free(queue);
    reply_json(rep, 200, json_pack("{s:o}", "mods", mods));
}

static void get_dependencies(http_request *req, http_reply *rep)
{
    int64_t id;
    if (!req_param_id(req, rep, "id", &id))
        return;
    workshop_dependency deps[STEAM_CHILDREN_MAX];
    size_t n;
    char msg[256] = "";
    aswg_err err = workshop_dependencies(id, deps, STEAM_CHILDREN_MAX, &n, msg, sizeof msg);
    if (err != ERR_OK) {
        reply_status(rep, err, msg);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "modId", (json_int_t)deps[i].file_id, "modName",
                                              deps[i].name, "status", deps[i].installed ? "INSTALLED" : "NOT_INSTALLED"));
    reply_json(rep, 200, json_pack("{s:I, s:o}", "modId", (json_int_t)id, "dependencies", list));
}

static void post_install(http_request *req, http_reply *rep)
{
    int64_t file_id = 0;
    const char *name = NULL;
    bool dependencies = false;
    const body_field fields[] = {
        FIELD_REQ_INT("fileId", &file_id),
        FIELD_OPT_STRING("modName", &name),
        FIELD_OPT_BOOL("installDependencies", &dependencies),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    if (file_id <= 0 || (name && strlen(name) > 255)) {
        reply_error(rep, ERR_BAD_REQUEST, file_id <= 0 ? "Field 'fileId' must be a workshop id"
                                                       : "Field 'modName' must be at most 255 characters");
        return;
    }
    char msg[256] = "";
    aswg_err err = workshop_install(file_id, name, dependencies, req->user->username, msg, sizeof msg);
    if (err == ERR_OK)
        reply_json(rep, 200, json_pack("{s:I}", "fileId", (json_int_t)file_id));
    else
        reply_status(rep, err, msg);
}

static void delete_queued(http_request *req, http_reply *rep)
{
    int64_t id;
    if (!req_param_id(req, rep, "id", &id))
        return;
    char msg[256] = "";
    aswg_err err = workshop_remove(id, msg, sizeof msg);
    if (err == ERR_OK)
        reply_json(rep, 200, json_pack("{s:I}", "fileId", (json_int_t)id));
    else
        reply_status(rep, err, msg);
}

/* ASWG-API.md §5.9: {"fileId":123456,"status":N} to every client, N = 0 (queued), 50, 75, 100;
 * aswg adds 1..49 while SteamCMD's download grows. */
static void progress_frame(int64_t file_id, int progress, char text[96])
{
    snprintf(text, 96, "{\"fileId\":%lld,\"status\":%d}", (long long)file_id, progress);
}

void workshop_progress_to_websocket(int64_t file_id, int progress)
{
    char text[96];
    progress_frame(file_id, progress, text);
    ws_broadcast(text);
}

/* A new socket first hears where each queued download stands, so a download started just before
 * it connected is not missed. */
static bool greet_with_queue(ws_peer *peer)
{
    workshop_queued *queue;
    size_t n;
    bool ok = true;
    if (workshop_queue(&queue, &n) != ERR_OK)
        return true;
    for (size_t i = 0; i < n && ok; i++) {
        char text[96];
        progress_frame(queue[i].task.file_id, queue[i].progress, text);
        ok = queue[i].task.gave_up || ws_send(peer, text);
    }
    free(queue);
    return ok;
}

static const ws_greeting PROGRESS_GREETING = {greet_with_queue};

static void get_progress_socket(http_request *req, http_reply *rep)
{
    reply_websocket(req, rep, &PROGRESS_GREETING);
}

const http_route WORKSHOP_ROUTES[] = {
    ROUTE_USER("GET", "/api/v1/workshop/active", get_active),
    ROUTE_AUTH("POST", "/api/v1/workshop/query", "WORKSHOP_INSTALL", post_query),
    ROUTE_AUTH("GET", "/api/v1/workshop/installed-items", "WORKSHOP_VIEW", get_installed),
    ROUTE_AUTH("GET", "/api/v1/workshop/download-queue", "WORKSHOP_VIEW", get_queue),
    ROUTE_AUTH("GET", "/api/v1/workshop/mod/{id}/dependencies", "WORKSHOP_VIEW", get_dependencies),
    ROUTE_AUTH("POST", "/api/v1/workshop/install", "WORKSHOP_INSTALL", post_install),
    ROUTE_AUTH("DELETE", "/api/v1/workshop/download-queue/{id}", "WORKSHOP_INSTALL", delete_queued),
    ROUTE_PUBLIC("GET", "/api/v1/ws/workshop-mod-install-progress", get_progress_socket),
};
const size_t WORKSHOP_ROUTE_COUNT = sizeof WORKSHOP_ROUTES / sizeof WORKSHOP_ROUTES[0];
