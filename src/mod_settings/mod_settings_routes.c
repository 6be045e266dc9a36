/* /api/v1/mods/settings (ASWG-API.md §6). */
#include "mod_settings/mod_settings_routes.h"

#include "core/json_lenient.h"
#include "http/body.h"
#include "mod_settings/mod_settings_service.h"

#include <stdlib.h>
#include <string.h>

static json_t *row_to_json(const named_row *r)
{
    return json_pack("{s:I, s:s, s:b}", "id", (json_int_t)r->id, "name", r->name, "active", r->active);
}

static void list_settings(http_request *req, http_reply *rep)
{
    (void)req;
    named_row *rows;
    size_t count;
    aswg_err err = mod_settings_list(&rows, &count);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, row_to_json(&rows[i]));
    free(rows);
    reply_json(rep, 200, items);
}

/* An unknown id is a 404 (ASWG answers 200 with an empty body). */
static void get_settings(http_request *req, http_reply *rep)
{
    int64_t id;
    named_row row;
    if (!req_param_id(req, rep, "id", &id))
        return;
    aswg_err err = mod_settings_get(id, &row);
    if (err != ERR_OK)
        reply_error(rep, err, NULL);
    else
        reply_json(rep, 200, row_to_json(&row));
}

static void get_content(http_request *req, http_reply *rep)
{
    int64_t id;
    char *content = NULL, msg[512] = "";
    size_t len = 0;
    if (!req_param_id(req, rep, "id", &id))
        return;
    aswg_err err = mod_settings_content(id, &content, &len, msg, sizeof msg);
    if (err != ERR_OK)
        reply_status(rep, err, msg);
    else
        reply_json(rep, 200, json_pack("{s:o}", "content", json_lenient_text(content, len)));
    free(content);
}

/* {name, active, content}; false after replying 400. */
static bool parse_settings(http_request *req, http_reply *rep, bool name_required, mod_settings_input *in)
{
    *in = (mod_settings_input){0};
    const body_field fields[] = {
        {"name", FT_STRING, name_required, &in->name, NULL},
        {"active", FT_BOOL, false, &in->active, &in->active_given},
        FIELD_OPT_STRING("content", &in->content),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return false;
    if (in->content)
        in->content_len = json_string_length(json_object_get(req->json, "content"));
    return true;
}

static void reply_saved(http_reply *rep, aswg_err err, const named_row *row, const char *msg)
{
    if (err != ERR_OK)
        reply_status(rep, err, msg);
    else
        reply_json(rep, 200, row_to_json(row));
}

static void add_settings(http_request *req, http_reply *rep)
{
    mod_settings_input in;
    named_row row;
    char msg[512] = "";
    if (parse_settings(req, rep, true, &in))
        reply_saved(rep, mod_settings_add(&in, &row, msg, sizeof msg), &row, msg);
}

static void update_settings(http_request *req, http_reply *rep)
{
    int64_t id;
    mod_settings_input in;
    named_row row;
    char msg[512] = "";
    if (req_param_id(req, rep, "id", &id) && parse_settings(req, rep, false, &in))
        reply_saved(rep, mod_settings_update(id, &in, &row, msg, sizeof msg), &row, msg);
}

static void delete_settings(http_request *req, http_reply *rep)
{
    int64_t id;
    char msg[512] = "";
    if (req_param_id(req, rep, "id", &id))
        reply_status(rep, mod_settings_delete(id, msg, sizeof msg), msg);
}

const http_route MOD_SETTINGS_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/mods/settings", "MOD_SETTINGS_VIEW", list_settings),
    ROUTE_AUTH("POST", "/api/v1/mods/settings", "MOD_SETTINGS_ADD", add_settings),
    ROUTE_AUTH("GET", "/api/v1/mods/settings/{id}", "MOD_SETTINGS_VIEW", get_settings),
    ROUTE_AUTH("PUT", "/api/v1/mods/settings/{id}", "MOD_SETTINGS_UPDATE", update_settings),
    ROUTE_AUTH("DELETE", "/api/v1/mods/settings/{id}", "MOD_SETTINGS_DELETE", delete_settings),
    ROUTE_AUTH("GET", "/api/v1/mods/settings/{id}/content", "MOD_SETTINGS_VIEW", get_content),
};
const size_t MOD_SETTINGS_ROUTE_COUNT = sizeof MOD_SETTINGS_ROUTES / sizeof MOD_SETTINGS_ROUTES[0];
