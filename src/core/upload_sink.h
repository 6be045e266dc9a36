/* Where a streamed upload goes: the domain's side of a multipart upload of one or more files
 * (parts "file") with an optional text part "overwrite". The HTTP layer checks the caller's
 * authority, then creates one state per request and feeds it; the domain (missions, mods)
 * decides what the files become. */
#ifndef ASWG_CORE_UPLOAD_SINK_H
#define ASWG_CORE_UPLOAD_SINK_H

#include "core/errors.h"

#include <stddef.h>
#include <stdint.h>

typedef struct upload_sink {
    uint64_t (*max_bytes)(void);    /* checked against Content-Length and while streaming */
    void *(*create)(void);          /* NULL = out of memory */
    /* A new file part; its name is checked before any byte is written. */
    aswg_err (*begin_file)(void *state, const char *file_name, char *msg, size_t msg_size);
    aswg_err (*write)(void *state, const char *data, size_t size);
    /* The "overwrite" text part, possibly in pieces. */
    void (*overwrite_text)(void *state, const char *data, size_t size);
    /* The body arrived whole: check every file, then put them all in place (all or nothing). */
    aswg_err (*commit)(void *state, char *msg, size_t msg_size);
    /* Always last, also when the client went away: removes what was not committed. */
    void (*destroy)(void *state);
} upload_sink;

#endif
