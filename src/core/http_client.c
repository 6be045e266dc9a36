#include "core/http_client.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int http_client_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_client_cleanup(void)
{
    curl_global_cleanup();
}

static size_t collect_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    http_client_answer *a = userdata;
    size_t n = size * nmemb;
    size_t take = a->body_len + n > HTTP_CLIENT_BODY_MAX ? HTTP_CLIENT_BODY_MAX - a->body_len : n;
    char *grown = realloc(a->body, a->body_len + take + 1);
    if (!grown)
        return 0;
    a->body = grown;
    memcpy(a->body + a->body_len, ptr, take);
    a->body_len += take;
    a->body[a->body_len] = '\0';
    return n;
}

void http_client_request(const char *url, const char *content_type, const char *body, long timeout_s,
                         http_client_answer *answer)
{
    memset(answer, 0, sizeof *answer);
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(answer->error, sizeof answer->error, "cannot initialise libcurl");
        return;
    }
    struct curl_slist *headers = NULL;
    if (body) {
        char header[128];
        snprintf(header, sizeof header, "Content-Type: %s", content_type);
        headers = curl_slist_append(NULL, header);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer->status);
        struct curl_header *h = NULL;
        if (curl_easy_header(curl, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK && h)
            answer->retry_after_s = strtod(h->value, NULL); /* an HTTP date reads as 0: not given */
    } else {
        snprintf(answer->error, sizeof answer->error, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
}

void http_client_answer_free(http_client_answer *answer)
{
    free(answer->body);
    answer->body = NULL;
    answer->body_len = 0;
}

char *http_client_escape(const char *s)
{
    char *escaped = curl_easy_escape(NULL, s, 0);
    char *copy = escaped ? strdup(escaped) : NULL;
    curl_free(escaped);
    return copy;
}
