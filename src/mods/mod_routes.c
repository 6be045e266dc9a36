#include "mods/mod_routes.h"

#include "core/config.h"
#include "core/timefmt.h"
#include "http/body.h"
#include "mods/mod_service.h"
#include "mods/mod_upload.h"

#include <stdio.h>
#include <stdlib.h>

#define WORKSHOP_URL "https://steamcommunity.com/sharedfiles/filedetails/?id="

static json_t *local_time_or_null(int64_t ms)
{
    char text[TIME_ISO_MAX];
    if (!ms)
        return json_null();
    time_format_local(ms, text);
    return json_string(text);
}

static json_t *mod_json(const mod_item *it)
{
    const mod_record *m = &it->row;
    char url[128];
    snprintf(url, sizeof url, WORKSHOP_URL "%lld", (long long)m->workshop_file_id);
    return json_pack("{s:I, s:s, s:b, s:s?, s:s?, s:s, s:I, s:s, s:n, s:o, s:o}", "workshopFileId",
                     (json_int_t)m->workshop_file_id, "name", m->name, "serverMod", m->server_mod, "previewUrl",
                     m->preview_url[0] ? m->preview_url : NULL, "workshopUrl", m->workshop_file_id ? url : NULL,
                     "status", mod_status_name(it->status), "sizeBytes", (json_int_t)it->size_bytes,
                     "directoryName", m->directory, "dependenciesIds", "lastWorkshopUpdateDateTime",
                     local_time_or_null(m->last_update_ms), "lastWorkshopUpdateAttemptDateTime",
                     local_time_or_null(m->last_attempt_ms));
}

static void get_mods(http_request *req, http_reply *rep)
{
    (void)req;
    mod_item *items;
    size_t n;
    aswg_err err = mods_list(&items, &n);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    json_t *enabled = json_array(), *disabled = json_array(), *unmanaged = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(!items[i].managed ? unmanaged : items[i].row.enabled ? enabled : disabled,
                              mod_json(&items[i]));
    free(items);
    reply_json(rep, 200, json_pack("{s:o, s:o, s:o}", "disabledMods", disabled, "enabledMods", enabled,
                                   "notManagedMods", unmanaged));
}

static void post_enabled(http_request *req, http_reply *rep)
{
    json_t *mods = NULL;
    const body_field fields[] = {
        {"mods", FT_ARRAY, true, &mods, NULL},
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    size_t n = json_array_size(mods);
    mod_choice *choices = calloc(n ? n : 1, sizeof *choices);
    if (!choices) {
        reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const body_field item[] = {
            FIELD_REQ_INT("workshopFileId", &choices[i].workshop_file_id),
            FIELD_OPT_BOOL("serverMod", &choices[i].server_mod),
            FIELD_END,
        };
        char prefix[32], err[256];
        snprintf(prefix, sizeof prefix, "mods[%zu]", i);
        if (!json_is_object(json_array_get(mods, i)) ||
            !body_fields_apply(json_array_get(mods, i), item, prefix, err, sizeof err)) {
            free(choices);
            reply_errorf(rep, ERR_BAD_REQUEST, "%s", json_is_object(json_array_get(mods, i)) ? err
                                                     : "Field 'mods' must hold objects");
            return;
        }
    }
    char msg[256] = "";
    reply_status(rep, mods_set_enabled(choices, n, msg, sizeof msg), msg);
    free(choices);
}

/* The three routes that take one name from the body. */
static void with_name(http_request *req, http_reply *rep, const char *field,
                      aswg_err (*action)(const char *, char *, size_t))
{
    const char *name = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING(field, &name),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    reply_status(rep, action(name, msg, sizeof msg), msg);
}

static void delete_mod(http_request *req, http_reply *rep)
{
    with_name(req, rep, "name", mods_delete);
}

static void post_manage(http_request *req, http_reply *rep)
{
    with_name(req, rep, "name", mods_manage);
}

static void delete_not_managed(http_request *req, http_reply *rep)
{
    with_name(req, rep, "directoryName", mods_delete_not_managed);
}

static void get_file_exists(http_request *req, http_reply *rep)
{
    reply_json(rep, 200, json_pack("{s:b}", "exists", mods_upload_exists(req_param(req, "name"))));
}

/* ---- POST /api/v1/mods-files: parts "file" (1..n, .zip) and "overwrite" ---- */

const http_route MOD_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/mods", "MODS_VIEW", get_mods),
    ROUTE_AUTH("POST", "/api/v1/mods/enabled", "MODS_UPDATE", post_enabled),
    ROUTE_AUTH("DELETE", "/api/v1/mods", "MODS_DELETE", delete_mod),
    ROUTE_AUTH("POST", "/api/v1/mods/manage", "MODS_UPDATE", post_manage),
    ROUTE_AUTH("DELETE", "/api/v1/mods/not-managed", "MODS_DELETE", delete_not_managed),
    ROUTE_UPLOAD("POST", "/api/v1/mods-files", "MODS_UPLOAD", &MOD_UPLOAD_SINK),
    ROUTE_AUTH("GET", "/api/v1/mods-files/{name}/exists", "MODS_VIEW", get_file_exists),
};
const size_t MOD_ROUTE_COUNT = sizeof MOD_ROUTES / sizeof MOD_ROUTES[0];
