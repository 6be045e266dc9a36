/* The web UI: files compiled into the binary, or a directory (aswg.web-ui.path) for another
 * ASWG-compatible front end. SPA rule of ASWG: a path without '.' or '\\' serves index.html. */
#ifndef ASWG_HTTP_STATIC_H
#define ASWG_HTTP_STATIC_H

#include "http/http.h"

void static_serve(http_request *req, http_reply *rep);

/* Content type for a file name by its extension (application/octet-stream when unknown). */
const char *static_content_type(const char *path);

#endif
