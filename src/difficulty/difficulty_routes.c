/* /api/v1/difficulties (ASWG-API.md §6). */
#include "difficulty/difficulty_routes.h"

#include "difficulty/difficulty_service.h"
#include "http/body.h"

#include <stdlib.h>

static json_t *profile_to_json(const difficulty_profile *p)
{
    json_t *obj = json_pack("{s:I, s:s, s:b, s:O}", "id", (json_int_t)p->row.id, "name", p->row.name,
                            "active", p->row.active, "options", p->options);
    if (obj && p->file_error)
        json_object_set_new(obj, "fileError", json_string(p->file_error));
    return obj;
}

static void list_difficulties(http_request *req, http_reply *rep)
{
    (void)req;
    difficulty_profile *list;
    size_t count;
    char msg[512] = "";
    aswg_err err = difficulties_list(&list, &count, msg, sizeof msg);
    if (err != ERR_OK) {
        reply_status(rep, err, msg);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, profile_to_json(&list[i]));
    difficulty_profiles_free(list, count);
    reply_json(rep, 200, items);
}

/* The profile JSON of a POST or PUT; false after replying 400. */
static bool parse_profile(http_request *req, http_reply *rep, bool name_required, difficulty_input *in)
{
    *in = (difficulty_input){0};
    const body_field fields[] = {
        {"name", FT_STRING, name_required, &in->name, NULL},
        {"active", FT_BOOL, false, &in->active, &in->active_given},
        {"options", FT_OBJECT, false, &in->options, NULL},
        FIELD_END,
    };
    return body_parse(req, rep, fields);
}

static void add_difficulty(http_request *req, http_reply *rep)
{
    difficulty_input in;
    char msg[512] = "";
    if (parse_profile(req, rep, true, &in))
        reply_status(rep, difficulties_add(&in, msg, sizeof msg), msg);
}

/* The path's id names the profile (as PUT /missions/id/{id} does, DECISIONS.md 7); an id in the
 * body is ignored. */
static void update_difficulty(http_request *req, http_reply *rep)
{
    int64_t id;
    difficulty_input in;
    char msg[512] = "";
    if (req_param_id(req, rep, "id", &id) && parse_profile(req, rep, false, &in))
        reply_status(rep, difficulties_update(id, &in, msg, sizeof msg), msg);
}

static void delete_difficulty(http_request *req, http_reply *rep)
{
    int64_t id;
    char msg[512] = "";
    if (req_param_id(req, rep, "id", &id))
        reply_status(rep, difficulties_delete(id, msg, sizeof msg), msg);
}

static void delete_difficulty_by_name(http_request *req, http_reply *rep)
{
    const char *name = req_query(req, "name");
    char msg[512] = "";
    if (!name) {
        reply_error(rep, ERR_BAD_REQUEST, "Query parameter 'name' is required");
        return;
    }
    reply_status(rep, difficulties_delete_by_name(name, msg, sizeof msg), msg);
}

const http_route DIFFICULTY_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/difficulties", "DIFFICULTY_VIEW", list_difficulties),
    ROUTE_AUTH("POST", "/api/v1/difficulties", "DIFFICULTY_ADD", add_difficulty),
    ROUTE_AUTH("DELETE", "/api/v1/difficulties", "DIFFICULTY_DELETE", delete_difficulty_by_name),
    ROUTE_AUTH("PUT", "/api/v1/difficulties/{id}", "DIFFICULTY_UPDATE", update_difficulty),
    ROUTE_AUTH("DELETE", "/api/v1/difficulties/{id}", "DIFFICULTY_DELETE", delete_difficulty),
};
const size_t DIFFICULTY_ROUTE_COUNT = sizeof DIFFICULTY_ROUTES / sizeof DIFFICULTY_ROUTES[0];
