/* gzip for answers: whether a request allows it (Accept-Encoding) and the compression itself
 * (zlib). Static files come compressed at build time; JSON answers are compressed as they go. */
#ifndef ASWG_HTTP_COMPRESS_H
#define ASWG_HTTP_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Answers shorter than this go out as they are: a packet or two, nothing to win. */
#define HTTP_GZIP_MIN 1400

/* True when an Accept-Encoding value allows gzip: "gzip" (or "x-gzip") or "*" with a q-value
 * above 0; an explicit "gzip;q=0" wins over "*". NULL allows nothing. */
bool http_accepts_gzip(const char *accept_encoding);

/* size bytes of data as a gzip stream at zlib level (1 fast .. 9 small): malloc'd, its size in
 * *out_size. NULL when data is shorter than HTTP_GZIP_MIN, would not shrink, or memory ran out. */
char *http_gzip(const void *data, size_t size, int level, size_t *out_size);

#endif
