/* /api/v1/users (ASWG-API.md §5.2). */
#include "users/user_routes.h"

#include "auth/auth_routes.h"
#include "core/timefmt.h"
#include "http/body.h"
#include "users/user_service.h"

#include <stdlib.h>

static json_t *user_to_json(const user_record *u)
{
    char created[TIME_ISO_MAX], last_login[TIME_ISO_MAX];
    time_format_iso(u->created_ms, created);
    time_format_iso(u->last_login_ms, last_login);
    /* "password": null and "name" leak from ASWG's Java types; its front end relies on them. */
    return json_pack("{s:I, s:s, s:o, s:s, s:b, s:o, s:n, s:s}", "id", (json_int_t)u->id,
                     "username", u->username, "authorities", authorities_to_json(u->authorities),
                     "createdDate", created, "locked", u->locked, "lastLoginDate",
                     u->last_login_ms ? json_string(last_login) : json_null(), "password", "name",
                     u->username);
}

/* ["CODE", ...] -> set; replies 400 naming the first unknown code. */
static bool parse_authorities(json_t *codes, authority_set *out, http_reply *rep)
{
    *out = 0;
    size_t i;
    json_t *code;
    json_array_foreach(codes, i, code) {
        int index = authority_index(json_string_value(code));
        if (index < 0) {
            reply_errorf(rep, ERR_BAD_REQUEST, "Field 'authorities' has unknown authority '%s'",
                         json_string_value(code));
            return false;
        }
        *out |= (authority_set)1 << index;
    }
    return true;
}


static void list_users(http_request *req, http_reply *rep)
{
    (void)req;
    user_record *users;
    size_t count;
    aswg_err err = users_list(&users, &count);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, user_to_json(&users[i]));
    free(users);
    reply_json(rep, 200, list);
}

static void create_user(http_request *req, http_reply *rep)
{
    const char *username = NULL, *password = NULL;
    json_t *codes = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("username", &username),
        FIELD_REQ_STRING("password", &password),
        FIELD_OPT_STRINGS("authorities", &codes),
        FIELD_END,
    };
    authority_set authorities = 0;
    if (!body_parse(req, rep, fields) || (codes && !parse_authorities(codes, &authorities, rep)))
        return;
    char message[160] = "";
    reply_status(rep, users_create(username, password, authorities, message, sizeof message), message);
}

static void update_user(http_request *req, http_reply *rep)
{
    int64_t id;
    const char *username = NULL;
    json_t *codes = NULL;
    bool locked = false, locked_given = false;
    const body_field fields[] = {
        FIELD_OPT_STRING("username", &username),
        FIELD_OPT_STRINGS("authorities", &codes),
        {"locked", FT_BOOL, false, &locked, &locked_given},
        FIELD_END,
    };
    authority_set authorities = 0;
    if (!req_param_id(req, rep, "id", &id) || !body_parse(req, rep, fields) ||
        (codes && !parse_authorities(codes, &authorities, rep)))
        return;
    char message[160] = "";
    aswg_err err = users_update(req->user, id, username, codes ? &authorities : NULL,
                                locked_given ? &locked : NULL, message, sizeof message);
    reply_status(rep, err, message);
}

static void delete_user(http_request *req, http_reply *rep)
{
    int64_t id;
    if (!req_param_id(req, rep, "id", &id))
        return;
    reply_status(rep, users_delete(req->user, id), "");
}

static void change_password(http_request *req, http_reply *rep)
{
    int64_t id;
    const char *password = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("password", &password),
        FIELD_END,
    };
    if (!req_param_id(req, rep, "id", &id) || !body_parse(req, rep, fields))
        return;
    char message[160] = "";
    reply_status(rep, users_change_password(id, password, message, sizeof message), message);
}

const http_route USER_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/users", "USERS_VIEW", list_users),
    ROUTE_AUTH("POST", "/api/v1/users", "USERS_ADD", create_user),
    ROUTE_AUTH("PUT", "/api/v1/users/{id}", "USERS_UPDATE", update_user),
    ROUTE_AUTH("DELETE", "/api/v1/users/{id}", "USERS_DELETE", delete_user),
    ROUTE_AUTH("POST", "/api/v1/users/{id}/password-change", "USERS_UPDATE", change_password),
};
const size_t USER_ROUTE_COUNT = sizeof USER_ROUTES / sizeof USER_ROUTES[0];
