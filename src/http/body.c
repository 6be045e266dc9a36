#include "http/body.h"

#include "core/json_lenient.h"

#include <stdio.h>
#include <string.h>

static bool all_strings(json_t *array)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        if (!json_is_string(item))
            return false;
    }
    return true;
}

static const char *type_name(field_type t)
{
    switch (t) {
    case FT_STRING: return "a string";
    case FT_BOOL: return "a boolean";
    case FT_INT: return "an integer";
    case FT_STRINGS: return "an array of strings";
    case FT_ARRAY: return "an array";
    case FT_OBJECT: return "an object";
    }
    return "valid";
}

/* Stores v into f->out; false when v has the wrong type. */
static bool store_field(const body_field *f, json_t *v)
{
    switch (f->type) {
    case FT_STRING:
        if (!json_is_string(v))
            return false;
        *(const char **)f->out = json_string_value(v);
        return true;
    case FT_BOOL:
        return json_lenient_bool(v, f->out);
    case FT_INT:
        return json_lenient_int(v, f->out);
    case FT_STRINGS:
        if (!json_is_array(v) || !all_strings(v))
            return false;
        *(json_t **)f->out = v;
        return true;
    case FT_ARRAY:
        if (!json_is_array(v))
            return false;
        *(json_t **)f->out = v;
        return true;
    case FT_OBJECT:
        if (!json_is_object(v))
            return false;
        *(json_t **)f->out = v;
        return true;
    }
    return false;
}

bool body_fields_apply(json_t *obj, const body_field *fields, const char *prefix, char *err,
                       size_t err_size)
{
    for (const body_field *f = fields; f->name; f++) {
        json_t *v = json_object_get(obj, f->name);
        const char *dot = prefix && *prefix ? "." : "";
        if (!v || json_is_null(v)) {
            if (f->required) {
                snprintf(err, err_size, "Field '%s%s%s' is required", prefix ? prefix : "", dot, f->name);
                return false;
            }
            continue;
        }
        if (!store_field(f, v)) {
            snprintf(err, err_size, "Field '%s%s%s' must be %s", prefix ? prefix : "", dot, f->name,
                     type_name(f->type));
            return false;
        }
        if (f->present)
            *f->present = true;
    }
    return true;
}

bool body_parse(http_request *req, http_reply *rep, const body_field *fields)
{
    if (!req->json) {
        if (req->body_len == 0) {
            reply_error(rep, ERR_BAD_REQUEST, "Request body is missing (a JSON object is expected)");
            return false;
        }
        json_error_t jerr;
        /* A UTF-8 byte order mark (some Windows tools write one) is not part of the JSON. */
        size_t bom = req->body_len >= 3 && memcmp(req->body, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        req->json = json_loadb(req->body + bom, req->body_len - bom, JSON_REJECT_DUPLICATES, &jerr);
        if (!req->json) {
            reply_errorf(rep, ERR_BAD_REQUEST, "Malformed JSON: %s (line %d, column %d)", jerr.text,
                         jerr.line, jerr.column);
            return false;
        }
    }
    if (!json_is_object(req->json)) {
        reply_error(rep, ERR_BAD_REQUEST, "Request body must be a JSON object");
        return false;
    }
    char err[256];
    if (!body_fields_apply(req->json, fields, NULL, err, sizeof err)) {
        reply_error(rep, ERR_BAD_REQUEST, err);
        return false;
    }
    return true;
}
