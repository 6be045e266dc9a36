/* The Steam Web API calls aswg makes (ARMA-FACTS.md), against aswg.steam.web-api-url:
 * ISteamRemoteStorage/GetPublishedFileDetails (no key needed) for titles and update times,
 * IPublishedFileService/QueryFiles and GetDetails (key needed) for the workshop search and the
 * dependencies of an item. */
#ifndef ASWG_STEAM_STEAM_API_H
#define ASWG_STEAM_STEAM_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STEAM_TEXT_MAX 256
#define STEAM_CHILDREN_MAX 32
#define ARMA3_APP_ID 107410

typedef struct steam_item {
    int64_t file_id;
    bool found;                 /* result 1 and an Arma 3 item */
    char title[STEAM_TEXT_MAX];
    char preview_url[512];
    char description[1024];     /* the start of it */
    int64_t time_updated;       /* unix seconds, 0 when unknown */
    uint64_t file_size;
    size_t child_count;
    int64_t children[STEAM_CHILDREN_MAX];   /* required items (dependencies), GetDetails only */
} steam_item;

/* Details of count items (GetPublishedFileDetails); out[i] describes ids[i]. Returns 0, or -1
 * when Steam did not answer usefully (reason in err). */
int steam_file_details(const int64_t *ids, size_t count, steam_item *out, char *err, size_t err_size);

/* GetDetails of one item with its children (needs the Web API key). 0 or -1. */
int steam_item_with_children(int64_t id, const char *key, steam_item *out, char *err, size_t err_size);

typedef enum steam_sort {
    STEAM_SORT_TEXT_RELEVANCE, STEAM_SORT_POPULARITY, STEAM_SORT_TOP_RATED,
    STEAM_SORT_PUBLICATION_DATE, STEAM_SORT_LAST_UPDATED, STEAM_SORT_MOST_SUBSCRIBERS,
} steam_sort;

typedef struct steam_page {
    char next_cursor[256];
    size_t count;
    steam_item items[10];
} steam_page;

/* One page (10 items) of the Arma 3 workshop (QueryFiles). 0 or -1. */
int steam_query(const char *key, const char *cursor, const char *search, steam_sort sort, int days,
                steam_page *out, char *err, size_t err_size);

/* Parsers, exposed for the unit tests: one publishedfiledetails entry, and a QueryFiles answer. */
void steam_parse_item(const void *json_entry, steam_item *out);

#endif
