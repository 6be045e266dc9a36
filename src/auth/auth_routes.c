/* /api/v1/auth: login, logout, myself (ASWG-API.md §5.1). */
#include "auth/auth_routes.h"

#include "auth/auth_service.h"
#include "core/timefmt.h"
#include "http/body.h"
#include "users/user_service.h"

#include <stdio.h>
#include <stdlib.h>

json_t *authorities_to_json(authority_set set)
{
    json_t *codes = json_array();
    for (int i = 0; i < AUTHORITY_COUNT; i++)
        if (set & ((authority_set)1 << i))
            json_array_append_new(codes, json_string(authority_code(i)));
    return codes;
}

static void post_login(http_request *req, http_reply *rep)
{
    const char *username = NULL, *password = NULL;
    const body_field fields[] = {
        FIELD_REQ_STRING("username", &username),
        FIELD_REQ_STRING("password", &password),
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    login_result result;
    aswg_err err = auth_login(username, password, req->client_ip, &result);
    if (err == ERR_TOO_MANY_REQUESTS) {
        reply_too_many(rep, result.retry_after, "Too many login attempts, try again later.");
        return;
    }
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    reply_json(rep, 200, json_pack("{s:s, s:o}", "jwt", result.token, "authorities",
                                   authorities_to_json(result.authorities)));
    free(result.token);
}

static void post_logout(http_request *req, http_reply *rep)
{
    auth_logout(req->bearer_token);
    reply_empty(rep, 200);
}

static void get_myself(http_request *req, http_reply *rep)
{
    user_record user;
    aswg_err err = users_get(req->user->id, &user);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    char created[TIME_ISO_MAX];
    time_format_iso(user.created_ms, created);
    reply_json(rep, 200, json_pack("{s:s, s:o, s:s}", "username", user.username, "authorities",
                                   authorities_to_json(user.authorities), "createDate", created));
}

const http_route AUTH_ROUTES[] = {
    ROUTE_PUBLIC("POST", "/api/v1/auth", post_login),
    ROUTE_PUBLIC("POST", "/api/v1/auth/logout", post_logout),
    ROUTE_USER("GET", "/api/v1/auth/myself", get_myself),
};
const size_t AUTH_ROUTE_COUNT = sizeof AUTH_ROUTES / sizeof AUTH_ROUTES[0];
