#include "discord/discord_client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX 8192

typedef struct body_buffer {
    char data[BODY_MAX];
    size_t len;
} body_buffer;

int discord_client_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void discord_client_cleanup(void)
{
    curl_global_cleanup();
}

/* Keeps the first BODY_MAX bytes of Discord's answer (enough for its JSON error). */
static size_t collect_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    body_buffer *b = userdata;
    size_t n = size * nmemb;
    size_t room = BODY_MAX - 1 - b->len;
    size_t take = n < room ? n : room;
    memcpy(b->data + b->len, ptr, take);
    b->len += take;
    b->data[b->len] = '\0';
    return n;
}

static double retry_after(CURL *curl, const body_buffer *body)
{
    json_t *doc = json_loadb(body->data, body->len, 0, NULL);
    double seconds = json_number_value(json_object_get(doc, "retry_after"));
    json_decref(doc);
    if (seconds > 0)
        return seconds;
    struct curl_header *h = NULL;
    if (curl_easy_header(curl, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h)
        return atof(h->value);
    return 0;
}

void discord_post(const char *url, const char *json, discord_answer *answer)
{
    memset(answer, 0, sizeof *answer);
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(answer->error, sizeof answer->error, "cannot initialise libcurl");
        return;
    }
    body_buffer body = {.len = 0};
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer->status);
        if (answer->status == 429)
            answer->retry_after_s = retry_after(curl, &body);
    } else {
        snprintf(answer->error, sizeof answer->error, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}
