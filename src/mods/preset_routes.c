#include "mods/preset_routes.h"

#include "http/body.h"
#include "mods/preset_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void get_presets(http_request *req, http_reply *rep)
{
    (void)req;
    preset_record *list;
    size_t n;
    if (presets_list(&list, &n) != ERR_OK) {
        reply_error(rep, ERR_SERVER_ERROR, NULL);
        return;
    }
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(names, json_string(list[i].name));
    free(list);
    reply_json(rep, 200, json_pack("{s:o}", "presets", names));
}

static void get_preset(http_request *req, http_reply *rep)
{
    preset_record p;
    preset_entry *entries;
    size_t n;
    aswg_err err = preset_get(req_param(req, "id"), &p, &entries, &n);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)entries[i].id, "name",
                                              entries[i].mod_name, "modId", (json_int_t)entries[i].mod_id,
                                              "modPresetId", (json_int_t)p.id));
    free(entries);
    reply_json(rep, 200, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)p.id, "name", p.name, "entries", list));
}

/* Every element of a JSON array of strings (checked by the field spec), as a C array. */
static const char **strings_of(json_t *array)
{
    size_t n = json_array_size(array);
    const char **out = calloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        out[i] = json_string_value(json_array_get(array, i));
    return out;
}

static void put_preset(http_request *req, http_reply *rep)
{
    const char *new_name = NULL;
    json_t *mod_names = NULL;
    const body_field fields[] = {
        FIELD_OPT_STRING("name", &new_name),
        FIELD_REQ_STRINGS("modNames", &mod_names),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    const char **names = strings_of(mod_names);
    char msg[512] = "";
    aswg_err err = names ? preset_save(req_param(req, "name"), new_name, names, json_array_size(mod_names), msg,
                                       sizeof msg)
                         : ERR_SERVICE_UNAVAILABLE;
    free(names);
    if (err == ERR_OK)
        reply_json(rep, 200, json_pack("{s:b}", "saved", 1));
    else
        reply_status(rep, err, msg);
}

static void delete_preset(http_request *req, http_reply *rep)
{
    aswg_err err = preset_delete(req_param(req, "name"));
    if (err == ERR_OK)
        reply_json(rep, 200, json_pack("{s:b}", "deleted", 1));
    else
        reply_error(rep, err, NULL);
}

static void post_select(http_request *req, http_reply *rep)
{
    const char *name = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("name", &name),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[256] = "";
    reply_status(rep, preset_select(name, msg, sizeof msg), msg);
}

/* {name, modParams: [{id, title}]}: ids may come as numbers or decimal strings. */
static void post_import(http_request *req, http_reply *rep)
{
    const char *name = NULL;
    json_t *params = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("name", &name),
        {"modParams", FT_ARRAY, true, &params, NULL},
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    size_t n = json_array_size(params);
    if (n > LAUNCHER_PRESET_MAX_MODS) {
        reply_errorf(rep, ERR_BAD_REQUEST, "Field 'modParams' holds more than %d mods", LAUNCHER_PRESET_MAX_MODS);
        return;
    }
    launcher_mod *mods = calloc(n ? n : 1, sizeof *mods);
    for (size_t i = 0; mods && i < n; i++) {
        const char *title = "";
        const body_field item[] = {
            FIELD_REQ_INT("id", &mods[i].workshop_id),
            FIELD_OPT_STRING("title", &title),
            FIELD_END,
        };
        char prefix[32], err[256] = "";
        snprintf(prefix, sizeof prefix, "modParams[%zu]", i);
        json_t *obj = json_array_get(params, i);
        if (!json_is_object(obj))
            snprintf(err, sizeof err, "Field '%s' must be an object {id, title}", prefix);
        else if (body_fields_apply(obj, item, prefix, err, sizeof err) && mods[i].workshop_id <= 0)
            snprintf(err, sizeof err, "Field '%s.id' must be a workshop id", prefix);
        if (err[0]) {
            reply_error(rep, ERR_BAD_REQUEST, err);
            free(mods);
            return;
        }
        snprintf(mods[i].name, sizeof mods[i].name, "%s", title);
    }
    char msg[256] = "";
    size_t queued;
    aswg_err err = mods ? preset_import(name, mods, n, req->user->username, &queued, msg, sizeof msg)
                        : ERR_SERVICE_UNAVAILABLE;
    free(mods);
    reply_status(rep, err, msg);
}

static void post_import_html(http_request *req, http_reply *rep)
{
    const char *html = NULL, *name = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("html", &html),
        FIELD_OPT_STRING("name", &name),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[256] = "";
    size_t queued = 0;
    aswg_err err = preset_import_html(html, strlen(html), name, req->user->username, &queued, msg, sizeof msg);
    if (err == ERR_OK)
        reply_json(rep, 200, json_pack("{s:I}", "queued", (json_int_t)queued));
    else
        reply_status(rep, err, msg);
}

static void get_export(http_request *req, http_reply *rep)
{
    char *html = NULL;
    aswg_err err = preset_export(req_param(req, "name"), &html);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    reply_text(rep, 200, "text/html; charset=utf-8", html);
    free(html);
    char disposition[320], safe[256];
    size_t n = 0;
    for (const char *p = req_param(req, "name"); *p && n + 1 < sizeof safe; p++)
        safe[n++] = (char)((*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) ? '_' : *p);
    safe[n] = '\0';
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.html\"", safe);
    reply_header(rep, "Content-Disposition", disposition);
}

const http_route PRESET_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/mods-presets", "MOD_PRESETS_VIEW", get_presets),
    ROUTE_AUTH("POST", "/api/v1/mods-presets/import", "MOD_PRESETS_ADD", post_import),
    ROUTE_AUTH("POST", "/api/v1/mods-presets/import-html", "MOD_PRESETS_ADD", post_import_html),
    ROUTE_AUTH("POST", "/api/v1/mods-presets/select", "MOD_PRESETS_SELECT", post_select),
    ROUTE_AUTH("GET", "/api/v1/mods-presets/{name}/export", "MOD_PRESETS_VIEW", get_export),
    ROUTE_AUTH("GET", "/api/v1/mods-presets/{id}", "MOD_PRESETS_VIEW", get_preset),
    ROUTE_AUTH("PUT", "/api/v1/mods-presets/{name}", "MOD_PRESETS_ADD", put_preset),
    ROUTE_AUTH("DELETE", "/api/v1/mods-presets/{name}", "MOD_PRESETS_DELETE", delete_preset),
};
const size_t PRESET_ROUTE_COUNT = sizeof PRESET_ROUTES / sizeof PRESET_ROUTES[0];
