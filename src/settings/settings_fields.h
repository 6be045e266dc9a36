/* Settings kept in Arma config files (server.cfg, network.cfg), described once per key: the API's
 * JSON name, the config member, how the value looks on either side, its default and its range
 * (ASWG-API.md §5.7). One table per settings endpoint drives all three directions:
 *
 *   reading  - the JSON object for GET, with the default for every key the file lacks;
 *   checking - a request body, every described member, before anything is written;
 *   writing  - the described members of a checked body into the tree; nothing else changes.
 *
 * Request bodies are read as leniently as body.h reads them (booleans also as "true"/"false",
 * integers also as decimal strings, unknown keys ignored). An absent or null member keeps the
 * file's value (ASWG clients always send every key), except for CF_WORD, where null means "none"
 * and removes the key. Messages name the offending field as body.h does. */
#ifndef ASWG_SETTINGS_SETTINGS_FIELDS_H
#define ASWG_SETTINGS_SETTINGS_FIELDS_H

#include "core/cfg.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SETTINGS_TEXT_MAX 1024

typedef enum cfg_field_type {
    CF_STRING,      /* key = "text";                  <-> "text" */
    CF_INT,         /* key = 64;                      <-> 64, within [min, max] */
    CF_FLAG,        /* key = 1; / key = 0;            <-> true / false; true writes on ("1" if NULL) */
    CF_BOOL,        /* key = true; / key = false;     <-> true / false */
    CF_DECIMAL,     /* key = 0.5;                     <-> "0.5", a decimal number >= min */
    CF_STRINGS,     /* key[] = {"a", "b"};            <-> ["a", "b"] (def: items joined by ',') */
    CF_ADDRESSES,   /* the same, every item an IPv4 or IPv6 address ("127.0.0.1") */
    CF_CODE,        /* key = 1;                       <-> choices[1] */
    CF_WORD,        /* key = "regular";               <-> "REGULAR", a choice; null or "" removes key */
    CF_PAIRS,       /* key[] = {{0, 60}, {1, 60}};    <-> {choices[0]: 60, choices[1]: 60}, [min, max] */
    CF_VOTE_CMDS,   /* key[] = {{"kick", true, true, 0.5, 0.5}}; <-> [{name, allowedPreMission,
                     * allowedPostMission, votingThreshold, percentageSideVotingThreshold}] */
} cfg_field_type;

typedef struct cfg_field {
    const char *json;               /* NULL ends a table */
    const char *key;                /* "name", or a path of classes: "class/name", "a/b/name" */
    cfg_field_type type;
    const char *def;                /* the default as the file would hold it */
    int64_t min, max;               /* CF_INT, CF_PAIRS: range; CF_DECIMAL: min (and max if > min) */
    const char *const *choices;     /* CF_CODE, CF_WORD, CF_PAIRS: NULL-terminated */
    const char *on;                 /* CF_FLAG: what true writes (NULL = "1") */
} cfg_field;

#define CFG_STRING(j, k) {(j), (k), CF_STRING, "", 0, 0, NULL, NULL}
#define CFG_INT(j, k, d, lo, hi) {(j), (k), CF_INT, (d), (lo), (hi), NULL, NULL}
#define CFG_FLAG(j, k, d) {(j), (k), CF_FLAG, (d), 0, 0, NULL, NULL}
#define CFG_FLAG_ON(j, k, d, on) {(j), (k), CF_FLAG, (d), 0, 0, NULL, (on)}
#define CFG_BOOL(j, k, d) {(j), (k), CF_BOOL, (d), 0, 0, NULL, NULL}
#define CFG_DECIMAL(j, k, d, lo) {(j), (k), CF_DECIMAL, (d), (lo), 0, NULL, NULL}
#define CFG_DECIMAL_RANGE(j, k, d, lo, hi) {(j), (k), CF_DECIMAL, (d), (lo), (hi), NULL, NULL}
#define CFG_STRINGS(j, k, d) {(j), (k), CF_STRINGS, (d), 0, 0, NULL, NULL}
#define CFG_ADDRESSES(j, k, d) {(j), (k), CF_ADDRESSES, (d), 0, 0, NULL, NULL}
#define CFG_CODE(j, k, d, c) {(j), (k), CF_CODE, (d), 0, 0, (c), NULL}
#define CFG_WORD(j, k, c) {(j), (k), CF_WORD, "", 0, 0, (c), NULL}
#define CFG_PAIRS(j, k, d, lo, hi, c) {(j), (k), CF_PAIRS, (d), (lo), (hi), (c), NULL}
#define CFG_VOTE_CMDS(j, k) {(j), (k), CF_VOTE_CMDS, "", 0, 0, NULL, NULL}
#define CFG_FIELDS_END {NULL, NULL, CF_STRING, NULL, 0, 0, NULL, NULL}

/* Adds a member per field to out, read from root. Returns 0, or -1 when out of memory. */
int settings_fields_read(const cfg_field *fields, const cfg_node *root, json_t *out);

/* Checks the members of body that fields describe. On the first bad one writes a message naming
 * it into msg and returns false. */
bool settings_fields_check(const cfg_field *fields, json_t *body, char *msg, size_t msg_size);

/* Writes the members of body (checked by settings_fields_check) into root. Returns 0, or -1 when
 * out of memory. */
int settings_fields_write(const cfg_field *fields, json_t *body, cfg_node *root);

/* Like settings_fields_write, for a file that should hold every field: a member that already
 * holds the body's value is left as it is (its spelling and the comment on its line stay), and
 * each member the file lacks is written with the body's value or else the default. Returns 0, or
 * -1 when out of memory or when a member cannot be written (a value where a class must be). */
int settings_fields_write_complete(const cfg_field *fields, json_t *body, cfg_doc *doc);

/* Text a setting may hold: at most SETTINGS_TEXT_MAX bytes and no control characters (a config
 * line or a properties value cannot hold them). Otherwise false with a message naming field. */
bool settings_plain_text(const char *s, const char *field, char *msg, size_t msg_size);

#endif
