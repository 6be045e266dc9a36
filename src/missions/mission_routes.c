/* /api/v1/missions and /api/v1/missions-files (ASWG-API.md §1.5). */
#include "missions/mission_routes.h"

#include "core/config.h"
#include "http/body.h"
#include "missions/mission_service.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static json_t *json_text_or(const char *text, json_t *fallback)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    if (v) {
        json_decref(fallback);
        return v;
    }
    return fallback;
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *mission_to_json(const mission_record *m)
{
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:o, s:s, s:o, s:o, s:o, s:o}",
                     "id", (json_int_t)m->id, "name", m->name, "template", m->tpl,
                     "sizeBytes", (json_int_t)m->size_bytes, "difficulty", m->difficulty,
                     "enabled", m->enabled, "parameters", json_text_or(m->parameters, json_array()),
                     "source", m->source, "worldName", string_or_null(m->world_name),
                     "briefingName", string_or_null(m->briefing_name),
                     "onLoadName", string_or_null(m->on_load_name),
                     "availableParameters", json_text_or(m->available_parameters, json_null()));
}

/* The serialised mission list, rebuilt only after missions changed: admins' browsers poll it. */
static struct {
    pthread_mutex_t lock;
    uint64_t generation;
    http_shared_body *body;
} g_list_cache = {PTHREAD_MUTEX_INITIALIZER, 0, NULL};

static http_shared_body *render_mission_list(void)
{
    mission_record *rows;
    size_t count;
    if (missions_list(&rows, &count) != ERR_OK)
        return NULL;
    json_t *enabled = json_array(), *disabled = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(rows[i].enabled ? enabled : disabled, mission_to_json(&rows[i]));
    mission_records_free(rows, count);
    json_t *doc = json_pack("{s:o, s:o}", "disabledMissions", disabled, "enabledMissions", enabled);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text ? http_shared_body_new(text, strlen(text)) : NULL;
}

static void list_missions(http_request *req, http_reply *rep)
{
    (void)req;
    uint64_t generation = missions_generation();
    pthread_mutex_lock(&g_list_cache.lock);
    if (!g_list_cache.body || g_list_cache.generation != generation) {
        http_shared_body *fresh = render_mission_list();
        if (fresh) {
            http_shared_body_unref(g_list_cache.body);
            g_list_cache.body = fresh;
            g_list_cache.generation = generation;
        }
    }
    http_shared_body *body = g_list_cache.generation == generation ? g_list_cache.body : NULL;
    if (body)
        reply_shared(rep, 200, "application/json", body);
    pthread_mutex_unlock(&g_list_cache.lock);
    if (!body)
        reply_error(rep, ERR_SERVER_ERROR, NULL);
}

void mission_routes_shutdown(void)
{
    pthread_mutex_lock(&g_list_cache.lock);
    http_shared_body_unref(g_list_cache.body);
    g_list_cache.body = NULL;
    pthread_mutex_unlock(&g_list_cache.lock);
}

/* Reads one mission object of a request (PUT body or an item of "missions"). */
static bool parse_mission_input(json_t *obj, const char *prefix, mission_input *in, char *err, size_t err_size)
{
    memset(in, 0, sizeof *in);
    const body_field fields[] = {
        FIELD_OPT_STRING("name", &in->name),
        FIELD_OPT_STRING("template", &in->tpl),
        FIELD_OPT_STRING("difficulty", &in->difficulty),
        {"enabled", FT_BOOL, false, &in->enabled, &in->enabled_given},
        {"parameters", FT_ARRAY, false, &in->parameters, NULL},
        FIELD_END,
    };
    if (!json_is_object(obj)) {
        snprintf(err, err_size, "Field '%s' must be an object", prefix);
        return false;
    }
    return body_fields_apply(obj, fields, prefix, err, err_size);
}

static void post_enabled_missions(http_request *req, http_reply *rep)
{
    json_t *templates = NULL, *missions = NULL;
    const body_field fields[] = {
        FIELD_OPT_STRINGS("missionTemplates", &templates),
        {"missions", FT_ARRAY, false, &missions, NULL},
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    if (templates) {
        reply_status(rep, missions_enable_templates(templates, msg, sizeof msg), msg);
        return;
    }
    if (!missions) {
        reply_error(rep, ERR_BAD_REQUEST, "Field 'missionTemplates' or 'missions' is required");
        return;
    }
    size_t count = json_array_size(missions);
    mission_input *items = calloc(count ? count : 1, sizeof *items);
    if (!items) {
        reply_error(rep, ERR_SERVER_ERROR, NULL);
        return;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "missions[%zu]", i);
        ok = parse_mission_input(json_array_get(missions, i), prefix, &items[i], msg, sizeof msg);
        if (ok && !items[i].tpl) {
            snprintf(msg, sizeof msg, "Field '%s.template' is required", prefix);
            ok = false;
        }
    }
    if (ok)
        reply_status(rep, missions_enable_list(items, count, msg, sizeof msg), msg);
    else
        reply_error(rep, ERR_BAD_REQUEST, msg);
    free(items);
}

static void post_template(http_request *req, http_reply *rep)
{
    const char *name = NULL, *tpl = NULL;
    const body_field fields[] = {
        FIELD_OPT_STRING("name", &name),
        FIELD_REQ_STRING("template", &tpl),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    reply_status(rep, missions_add_template(name, tpl, msg, sizeof msg), msg);
}

static void delete_template(http_request *req, http_reply *rep)
{
    const char *tpl = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("template", &tpl),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[512] = "";
    reply_status(rep, missions_delete_template(tpl, msg, sizeof msg), msg);
}

static void put_mission(http_request *req, http_reply *rep)
{
    int64_t id;
    mission_input in;
    char msg[512] = "";
    if (!req_param_id(req, rep, "id", &id) || !body_parse(req, rep, (const body_field[]){FIELD_END}))
        return;
    if (!parse_mission_input(req->json, "", &in, msg, sizeof msg)) {
        reply_error(rep, ERR_BAD_REQUEST, msg);
        return;
    }
    reply_status(rep, missions_update(id, &in, msg, sizeof msg), msg);
}

static void get_file_exists(http_request *req, http_reply *rep)
{
    bool exists = false;
    char msg[512] = "";
    aswg_err err = missions_file_exists(req_param(req, "name"), &exists, msg, sizeof msg);
    if (err != ERR_OK)
        reply_error(rep, err, msg[0] ? msg : NULL);
    else
        reply_json(rep, 200, json_pack("{s:b}", "exists", exists));
}

/* A file name safe inside a quoted Content-Disposition value. */
static void disposition_name(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s", name);
    for (char *c = out; *c; c++)
        if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
            *c = '_';
}

static void download_file(http_request *req, http_reply *rep)
{
    int64_t id;
    if (!req_param_id(req, rep, "missionId", &id))
        return;
    int fd;
    uint64_t size;
    char *file_name = NULL;
    aswg_err err = missions_open_file(id, &fd, &size, &file_name);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    char name[300], disposition[340];
    disposition_name(file_name, name, sizeof name);
    free(file_name);
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    reply_empty(rep, 200);
    rep->response = MHD_create_response_from_fd(size, fd);
    if (!rep->response) {
        reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
        return;
    }
    MHD_add_response_header(rep->response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
    reply_header(rep, "Content-Disposition", disposition);
}

/* ---- POST /api/v1/missions-files: parts "file" (1..n) and "overwrite" ---- */

const http_route MISSION_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/missions", "MISSIONS_VIEW", list_missions),
    ROUTE_AUTH("POST", "/api/v1/missions/enabled", "MISSIONS_UPDATE", post_enabled_missions),
    ROUTE_AUTH("POST", "/api/v1/missions/template", "MISSIONS_ADD", post_template),
    ROUTE_AUTH("DELETE", "/api/v1/missions/template", "MISSIONS_DELETE", delete_template),
    ROUTE_AUTH("PUT", "/api/v1/missions/id/{id}", "MISSIONS_UPDATE", put_mission),
    ROUTE_UPLOAD("POST", "/api/v1/missions-files", "MISSIONS_UPLOAD", &MISSION_UPLOAD_SINK),
    ROUTE_AUTH("GET", "/api/v1/missions-files/{name}/exists", "MISSIONS_VIEW", get_file_exists),
    ROUTE_AUTH("GET", "/api/v1/missions-files/{missionId}/download", "MISSIONS_DOWNLOAD", download_file),
};
const size_t MISSION_ROUTE_COUNT = sizeof MISSION_ROUTES / sizeof MISSION_ROUTES[0];
