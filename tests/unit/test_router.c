#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/http.h"
#include "http/router.h"

#include <stdio.h>
#include <string.h>

static void list_users(http_request *req, http_reply *rep) { (void)req; (void)rep; }
static void create_user(http_request *req, http_reply *rep) { (void)req; (void)rep; }
static void update_user(http_request *req, http_reply *rep) { (void)req; (void)rep; }
static void change_password(http_request *req, http_reply *rep) { (void)req; (void)rep; }
static void mission_exists(http_request *req, http_reply *rep) { (void)req; (void)rep; }

static const http_route ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/users", "USERS_VIEW", list_users),
    ROUTE_AUTH("POST", "/api/v1/users", "USERS_ADD", create_user),
    ROUTE_AUTH("PUT", "/api/v1/users/{id}", "USERS_UPDATE", update_user),
    ROUTE_USER("POST", "/api/v1/users/{id}/password-change", change_password),
    ROUTE_AUTH("GET", "/api/v1/missions-files/{name}/exists", "MISSIONS_VIEW", mission_exists),
};
#define ROUTE_COUNT (sizeof ROUTES / sizeof ROUTES[0])

typedef struct outcome {
    route_match match;
    const http_route *route;
    http_request req;
    char allow[64];
} outcome;

static outcome run(const char *method, const char *path)
{
    outcome o;
    memset(&o, 0, sizeof o);
    memset(o.allow, 'Z', sizeof o.allow - 1); /* must be overwritten */
    o.allow[sizeof o.allow - 1] = '\0';
    o.match = router_match(ROUTES, ROUTE_COUNT, method, path, &o.req, &o.route, o.allow,
                           sizeof o.allow);
    return o;
}

static void assert_matched(const outcome *o, http_handler handler)
{
    assert_int_equal(o->match, ROUTE_MATCHED);
    assert_non_null(o->route);
    assert_ptr_equal(o->route->handler, handler);
}

static void assert_not_found(const char *method, const char *path)
{
    outcome o = run(method, path);
    if (o.match != ROUTE_NOT_FOUND)
        fail_msg("%s %s: expected NOT_FOUND, got %d", method, path, (int)o.match);
    assert_null(o.route);
    assert_string_equal(o.allow, "");
}

static void test_static_paths_match(void **state)
{
    (void)state;
    outcome o = run("GET", "/api/v1/users");
    assert_matched(&o, list_users);
    assert_string_equal(o.route->authority, "USERS_VIEW");
    assert_int_equal(o.req.param_count, 0);

    o = run("POST", "/api/v1/users");
    assert_matched(&o, create_user);
    assert_string_equal(o.route->method, "POST");
}

static void test_parameters_extracted(void **state)
{
    (void)state;
    outcome o = run("PUT", "/api/v1/users/17");
    assert_matched(&o, update_user);
    assert_int_equal(o.req.param_count, 1);
    assert_string_equal(o.req.params[0].name, "id");
    assert_string_equal(o.req.params[0].value, "17");
    assert_string_equal(req_param(&o.req, "id"), "17");
    assert_null(req_param(&o.req, "name"));

    o = run("POST", "/api/v1/users/42/password-change");
    assert_matched(&o, change_password);
    assert_int_equal(o.route->access, ACCESS_AUTHENTICATED);
    assert_string_equal(req_param(&o.req, "id"), "42");

    o = run("GET", "/api/v1/missions-files/co10 Escape.Altis.pbo/exists");
    assert_matched(&o, mission_exists);
    assert_string_equal(req_param(&o.req, "name"), "co10 Escape.Altis.pbo");

    /* A parameter takes any non-empty segment, not only numbers. */
    o = run("PUT", "/api/v1/users/abc%20d");
    assert_matched(&o, update_user);
    assert_string_equal(req_param(&o.req, "id"), "abc%20d");
}

static void test_stale_params_cleared(void **state)
{
    (void)state;
    http_request req;
    memset(&req, 0, sizeof req);
    const http_route *route = NULL;
    assert_int_equal(router_match(ROUTES, ROUTE_COUNT, "PUT", "/api/v1/users/5", &req, &route, NULL, 0),
                     ROUTE_MATCHED);
    assert_string_equal(req_param(&req, "id"), "5");
    /* The same request struct reused for a route without parameters. */
    assert_int_equal(router_match(ROUTES, ROUTE_COUNT, "GET", "/api/v1/users", &req, &route, NULL, 0),
                     ROUTE_MATCHED);
    assert_ptr_equal(route->handler, list_users);
    assert_int_equal(req.param_count, 0);
    assert_null(req_param(&req, "id"));
}

static void test_wrong_method_lists_allowed(void **state)
{
    (void)state;
    outcome o = run("DELETE", "/api/v1/users");
    assert_int_equal(o.match, ROUTE_WRONG_METHOD);
    assert_string_equal(o.allow, "GET, POST");

    o = run("PUT", "/api/v1/users");
    assert_int_equal(o.match, ROUTE_WRONG_METHOD);
    assert_string_equal(o.allow, "GET, POST");

    o = run("GET", "/api/v1/users/3");
    assert_int_equal(o.match, ROUTE_WRONG_METHOD);
    assert_string_equal(o.allow, "PUT");

    o = run("GET", "/api/v1/users/3/password-change");
    assert_int_equal(o.match, ROUTE_WRONG_METHOD);
    assert_string_equal(o.allow, "POST");

    /* HEAD on a path without a GET route. */
    o = run("HEAD", "/api/v1/users/3");
    assert_int_equal(o.match, ROUTE_WRONG_METHOD);
    assert_string_equal(o.allow, "PUT");

    /* Method names are exact. */
    o = run("get", "/api/v1/users");
    assert_int_equal(o.match, ROUTE_WRONG_METHOD);

    /* allow may be NULL. */
    const http_route *route = NULL;
    http_request req;
    memset(&req, 0, sizeof req);
    assert_int_equal(router_match(ROUTES, ROUTE_COUNT, "DELETE", "/api/v1/users", &req, &route, NULL, 0),
                     ROUTE_WRONG_METHOD);
}

static void test_allow_deduplicated_and_bounded(void **state)
{
    (void)state;
    static const http_route dup[] = {
        ROUTE_PUBLIC("GET", "/x/{a}", list_users),
        ROUTE_PUBLIC("GET", "/x/{b}", create_user),
        ROUTE_PUBLIC("DELETE", "/x/{a}", update_user),
    };
    char allow[64];
    http_request req;
    memset(&req, 0, sizeof req);
    const http_route *route = NULL;
    assert_int_equal(router_match(dup, 3, "POST", "/x/1", &req, &route, allow, sizeof allow),
                     ROUTE_WRONG_METHOD);
    assert_string_equal(allow, "GET, DELETE");
    /* First matching route wins. */
    assert_int_equal(router_match(dup, 3, "GET", "/x/1", &req, &route, allow, sizeof allow),
                     ROUTE_MATCHED);
    assert_ptr_equal(route->handler, list_users);
    assert_string_equal(req_param(&req, "a"), "1");

    /* A too small buffer is truncated, never overrun. */
    char small[8];
    memset(small, 'Z', sizeof small);
    assert_int_equal(router_match(dup, 3, "POST", "/x/1", &req, &route, small, 6),
                     ROUTE_WRONG_METHOD);
    assert_true(strlen(small) < 6);
    assert_int_equal(small[6], 'Z');
}

static void test_not_found(void **state)
{
    (void)state;
    assert_not_found("GET", "/api/v1/users/");      /* trailing slash */
    assert_not_found("PUT", "/api/v1/users/");      /* empty parameter segment */
    assert_not_found("PUT", "/api/v1/users//password-change");
    assert_not_found("POST", "/api/v1/users//password-change");
    assert_not_found("PUT", "/api/v1/users/1/x");
    assert_not_found("PUT", "/api/v1/users/1/");
    assert_not_found("POST", "/api/v1/users/1/password-change/");
    assert_not_found("GET", "/api/v1/userss");
    assert_not_found("GET", "/api/v1/user");
    assert_not_found("GET", "/api/v1");
    assert_not_found("GET", "/api/v1/missions-files/x");
    assert_not_found("GET", "/api/v1/missions-files//exists");
    assert_not_found("GET", "//api/v1/users");
    assert_not_found("GET", "api/v1/users");
    assert_not_found("GET", "");
    assert_not_found("GET", "/");
    assert_not_found("GET", "/API/V1/USERS");
}

static void test_head_matches_get(void **state)
{
    (void)state;
    outcome o = run("HEAD", "/api/v1/users");
    assert_matched(&o, list_users);
    assert_string_equal(o.route->method, "GET");

    o = run("HEAD", "/api/v1/missions-files/a.pbo/exists");
    assert_matched(&o, mission_exists);
    assert_string_equal(req_param(&o.req, "name"), "a.pbo");
}

static void test_long_parameter_not_matched(void **state)
{
    (void)state;
    char path[512];
    char value[300];

    /* 255 bytes fit the 256-byte value buffer. */
    memset(value, 'v', 255);
    value[255] = '\0';
    snprintf(path, sizeof path, "/api/v1/users/%s", value);
    outcome o = run("PUT", path);
    assert_matched(&o, update_user);
    assert_string_equal(req_param(&o.req, "id"), value);

    /* 256 bytes do not: not found rather than truncated. */
    memset(value, 'v', 256);
    value[256] = '\0';
    snprintf(path, sizeof path, "/api/v1/users/%s", value);
    o = run("PUT", path);
    assert_int_equal(o.match, ROUTE_NOT_FOUND);
    assert_null(o.route);
    assert_int_equal(router_path_matches("/api/v1/users/{id}", path, &o.req), false);
    /* Without a request to fill, the shape alone matches. */
    assert_true(router_path_matches("/api/v1/users/{id}", path, NULL));

    memset(value, 'w', 299);
    value[299] = '\0';
    snprintf(path, sizeof path, "/api/v1/missions-files/%s/exists", value);
    o = run("GET", path);
    assert_int_equal(o.match, ROUTE_NOT_FOUND);
}

static void test_path_matches_basics(void **state)
{
    (void)state;
    http_request req;
    memset(&req, 0, sizeof req);
    assert_true(router_path_matches("/", "/", NULL));
    assert_true(router_path_matches("/a/b", "/a/b", NULL));
    assert_false(router_path_matches("/a/b", "/a/bc", NULL));
    assert_false(router_path_matches("/a/bc", "/a/b", NULL));
    assert_false(router_path_matches("/a/b", "/a/b/", NULL));
    assert_false(router_path_matches("/a/b/", "/a/b", NULL));
    assert_false(router_path_matches("/a", "/b", NULL));
    assert_false(router_path_matches("/{x}", "/", NULL));
    assert_false(router_path_matches("/{x}", "/a/b", NULL));

    assert_true(router_path_matches("/a/{x}/b/{y}", "/a/1/b/two", &req));
    assert_int_equal(req.param_count, 2);
    assert_string_equal(req_param(&req, "x"), "1");
    assert_string_equal(req_param(&req, "y"), "two");

    /* Braces only make a parameter when they enclose the whole segment. */
    assert_true(router_path_matches("/a/x{y}", "/a/x{y}", NULL));
    assert_false(router_path_matches("/a/x{y}", "/a/xz", NULL));

    /* More parameters than a request holds do not match. */
    char pattern[64], path[64];
    snprintf(pattern, sizeof pattern, "/{a}/{b}/{c}/{d}");
    assert_true(router_path_matches(pattern, "/1/2/3/4", &req));
    assert_int_equal(req.param_count, HTTP_MAX_PATH_PARAMS);
    assert_string_equal(req_param(&req, "d"), "4");
    snprintf(pattern, sizeof pattern, "/{a}/{b}/{c}/{d}/{e}");
    snprintf(path, sizeof path, "/1/2/3/4/5");
    assert_false(router_path_matches(pattern, path, &req));
    assert_true(router_path_matches(pattern, path, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_paths_match),
        cmocka_unit_test(test_parameters_extracted),
        cmocka_unit_test(test_stale_params_cleared),
        cmocka_unit_test(test_wrong_method_lists_allowed),
        cmocka_unit_test(test_allow_deduplicated_and_bounded),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_head_matches_get),
        cmocka_unit_test(test_long_parameter_not_matched),
        cmocka_unit_test(test_path_matches_basics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
