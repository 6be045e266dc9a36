#include "steam/steam_api.h"

#include "core/config.h"
#include "core/http_client.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_S 20L

/* Steam sends ids and sizes as strings, times as numbers; accept either for all. */
static int64_t number_of(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v))
        return strtoll(json_string_value(v), NULL, 10);
    return 0;
}

static void copy_string(char *out, size_t size, const json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    snprintf(out, size, "%s", s);
    /* A cut inside a UTF-8 sequence would make the JSON we answer with invalid. */
    size_t n = strlen(out);
    if (n == size - 1) {
        while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
            n--;
        out[n] = '\0';
    }
}

void steam_parse_item(const void *json_entry, steam_item *out)
{
    const json_t *e = json_entry;
    memset(out, 0, sizeof *out);
    out->file_id = number_of(json_object_get(e, "publishedfileid"));
    int64_t app = number_of(json_object_get(e, "consumer_app_id"));
    if (!app)
        app = number_of(json_object_get(e, "consumer_appid"));
    out->found = number_of(json_object_get(e, "result")) == 1 && (app == 0 || app == ARMA3_APP_ID);
    copy_string(out->title, sizeof out->title, json_object_get(e, "title"));
    copy_string(out->preview_url, sizeof out->preview_url, json_object_get(e, "preview_url"));
    const json_t *desc = json_object_get(e, "description");
    copy_string(out->description, sizeof out->description, desc ? desc : json_object_get(e, "file_description"));
    out->time_updated = number_of(json_object_get(e, "time_updated"));
    out->file_size = (uint64_t)number_of(json_object_get(e, "file_size"));
    const json_t *children = json_object_get(e, "children");
    for (size_t i = 0; i < json_array_size(children) && out->child_count < STEAM_CHILDREN_MAX; i++) {
        int64_t id = number_of(json_object_get(json_array_get(children, i), "publishedfileid"));
        if (id > 0)
            out->children[out->child_count++] = id;
    }
}

/* Calls url (GET, or POST of form when not NULL); the "response" object of the answer. */
static json_t *call(const char *url, const char *form, char *err, size_t err_size)
{
    http_client_answer a;
    http_client_request(url, "application/x-www-form-urlencoded", form, TIMEOUT_S, &a);
    json_t *doc = NULL;
    if (a.status == 200 && a.body)
        doc = json_loadb(a.body, a.body_len, 0, NULL);
    if (!doc)
        snprintf(err, err_size, "Steam Web API: %s", a.status ? (a.status == 200 ? "not JSON" : "refused") : a.error);
    if (a.status && a.status != 200)
        snprintf(err, err_size, "Steam Web API answered %ld", a.status);
    http_client_answer_free(&a);
    json_t *response = json_incref(json_object_get(doc, "response"));
    json_decref(doc);
    if (doc && !json_is_object(response)) {
        snprintf(err, err_size, "Steam Web API: no response object");
        json_decref(response);
        return NULL;
    }
    return response;
}

static char *api_url(const char *path, const char *query)
{
    char *url = NULL;
    if (asprintf(&url, "%s%s%s%s", config_str("aswg.steam.web-api-url"), path, query ? "?" : "", query ? query : "") < 0)
        return NULL;
    return url;
}

/* Appends "&name[i]=id" entries; returns the new length or -1 when buf is too small. */
static int append_ids(char *buf, size_t size, size_t len, const char *name, const int64_t *ids, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int n = snprintf(buf + len, size - len, "&%s%%5B%zu%%5D=%lld", name, i, (long long)ids[i]);
        if (n < 0 || (size_t)n >= size - len)
            return -1;
        len += (size_t)n;
    }
    return (int)len;
}

int steam_file_details(const int64_t *ids, size_t count, steam_item *out, char *err, size_t err_size)
{
    size_t size = 32 + count * 48;
    char *form = malloc(size);
    char *url = api_url("/ISteamRemoteStorage/GetPublishedFileDetails/v1/", NULL);
    int len = form ? snprintf(form, size, "itemcount=%zu", count) : -1;
    if (len > 0)
        len = append_ids(form, size, (size_t)len, "publishedfileids", ids, count);
    json_t *response = len > 0 && url ? call(url, form, err, err_size) : NULL;
    free(form);
    free(url);
    if (!response)
        return -1;
    const json_t *details = json_object_get(response, "publishedfiledetails");
    for (size_t i = 0; i < count; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].file_id = ids[i];
        /* Match by id: the order of the answer is not promised. */
        for (size_t j = 0; j < json_array_size(details); j++) {
            steam_item item;
            steam_parse_item(json_array_get(details, j), &item);
            if (item.file_id == ids[i]) {
                out[i] = item;
                break;
            }
        }
    }
    json_decref(response);
    return 0;
}

int steam_item_with_children(int64_t id, const char *key, steam_item *out, char *err, size_t err_size)
{
    char *k = http_client_escape(key), *query = NULL, *url = NULL;
    if (k && asprintf(&query, "key=%s&includechildren=true&publishedfileids%%5B0%%5D=%lld", k, (long long)id) >= 0)
        url = api_url("/IPublishedFileService/GetDetails/v1/", query);
    free(k);
    free(query);
    json_t *response = url ? call(url, NULL, err, err_size) : NULL;
    free(url);
    if (!response)
        return -1;
    steam_parse_item(json_array_get(json_object_get(response, "publishedfiledetails"), 0), out);
    json_decref(response);
    if (!out->found) {
        snprintf(err, err_size, "Workshop item %lld not found", (long long)id);
        return -1;
    }
    return 0;
}

/* IPublishedFileService query_type values for the sort orders the UI offers. */
static int query_type(steam_sort sort)
{
    static const int TYPES[] = {12, 3, 0, 1, 21, 9};
    return TYPES[sort];
}

int steam_query(const char *key, const char *cursor, const char *search, steam_sort sort, int days,
                steam_page *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    char *k = http_client_escape(key), *c = http_client_escape(cursor && cursor[0] ? cursor : "*");
    char *s = http_client_escape(search ? search : ""), *query = NULL, *url = NULL;
    if (k && c && s &&
        asprintf(&query, "key=%s&appid=%d&cursor=%s&numperpage=10&return_details=true&return_children=true"
                         "&query_type=%d&search_text=%s&days=%d",
                 k, ARMA3_APP_ID, c, query_type(sort), s, days > 0 ? days : 0) >= 0)
        url = api_url("/IPublishedFileService/QueryFiles/v1/", query);
    free(k);
    free(c);
    free(s);
    free(query);
    json_t *response = url ? call(url, NULL, err, err_size) : NULL;
    free(url);
    if (!response)
        return -1;
    copy_string(out->next_cursor, sizeof out->next_cursor, json_object_get(response, "next_cursor"));
    const json_t *details = json_object_get(response, "publishedfiledetails");
    for (size_t i = 0; i < json_array_size(details) && out->count < 10; i++) {
        steam_parse_item(json_array_get(details, i), &out->items[out->count]);
        if (out->items[out->count].file_id > 0)
            out->count++;
    }
    json_decref(response);
    return 0;
}
