/* Request bodies parsed by declarative field specs (the GNU Taler way): a route lists each field,
 * its type, whether it is required and where it goes; body_parse() checks them all and, on the
 * first bad one, answers the uniform 400 BAD_REQUEST naming that field.
 *
 *   const char *username = NULL; json_t *authorities = NULL;
 *   const body_field fields[] = {
 *       FIELD_REQ_STRING("username", &username),
 *       FIELD_OPT_STRINGS("authorities", &authorities),
 *       FIELD_END,
 *   };
 *   if (!body_parse(req, rep, fields)) return;
 *
 * Parsing is as lenient as ASWG's Jackson: unknown keys are ignored, booleans may be sent as
 * "true"/"false" strings, integers as decimal strings. Strings point into the request's JSON and
 * live as long as the request. An absent or null optional field leaves *out untouched. */
#ifndef ASWG_HTTP_BODY_H
#define ASWG_HTTP_BODY_H

#include "http/http.h"

typedef enum field_type {
    FT_STRING,      /* const char ** */
    FT_BOOL,        /* bool * */
    FT_INT,         /* int64_t * */
    FT_STRINGS,     /* json_t ** : an array whose every element is a string (borrowed) */
    FT_ARRAY,       /* json_t ** : any array (borrowed) */
    FT_OBJECT,      /* json_t ** : an object (borrowed) */
} field_type;

typedef struct body_field {
    const char *name;
    field_type type;
    bool required;
    void *out;
    bool *present;  /* optional: set true when the field was given (not null) */
} body_field;

#define FIELD_REQ_STRING(n, o) {(n), FT_STRING, true, (o), NULL}
#define FIELD_OPT_STRING(n, o) {(n), FT_STRING, false, (o), NULL}
#define FIELD_REQ_BOOL(n, o) {(n), FT_BOOL, true, (o), NULL}
#define FIELD_OPT_BOOL(n, o) {(n), FT_BOOL, false, (o), NULL}
#define FIELD_REQ_INT(n, o) {(n), FT_INT, true, (o), NULL}
#define FIELD_OPT_INT(n, o) {(n), FT_INT, false, (o), NULL}
#define FIELD_REQ_STRINGS(n, o) {(n), FT_STRINGS, true, (o), NULL}
#define FIELD_OPT_STRINGS(n, o) {(n), FT_STRINGS, false, (o), NULL}
#define FIELD_END {NULL, FT_STRING, false, NULL, NULL}

/* Parses the request body as a JSON object (once; kept in req->json) and applies fields.
 * Returns false after replying 400 when the body is missing, not JSON, not an object, or a field
 * is missing or ill-typed. */
bool body_parse(http_request *req, http_reply *rep, const body_field *fields);

/* The same field checks on any JSON object (for nested objects). On failure writes a message
 * naming prefix.field into err and returns false. */
bool body_fields_apply(json_t *obj, const body_field *fields, const char *prefix, char *err,
                       size_t err_size);

#endif
