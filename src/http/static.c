#include "http/static.h"

#include "core/config.h"
#include "core/fs.h"
#include "http/compress.h"
#include "http/web_assets.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* No inline scripts or styles and no framing: the UI is plain modules served by aswg itself. */
#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " \
            "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

static const struct { const char *ext; const char *type; } CONTENT_TYPES[] = {
    {"html", "text/html; charset=utf-8"}, {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
    {"json", "application/json"}, {"map", "application/json"}, {"svg", "image/svg+xml"},
    {"png", "image/png"}, {"ico", "image/x-icon"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"},
    {"gif", "image/gif"}, {"webp", "image/webp"}, {"woff", "font/woff"}, {"woff2", "font/woff2"},
    {"ttf", "font/ttf"}, {"txt", "text/plain; charset=utf-8"},
    {"webmanifest", "application/manifest+json"},
};

const char *static_content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/')) {
        for (size_t i = 0; i < sizeof CONTENT_TYPES / sizeof CONTENT_TYPES[0]; i++)
            if (strcasecmp(dot + 1, CONTENT_TYPES[i].ext) == 0)
                return CONTENT_TYPES[i].type;
    }
    return "application/octet-stream";
}

/* Build tools put a content hash in asset names (main-5JQ2HCKD.js): those never change. */
static bool is_hashed_asset(const char *path)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    const char *p = dot;
    size_t run = 0;
    bool digit = false;
    while (p > name && (isalnum((unsigned char)p[-1]))) {
        p--;
        run++;
        digit |= isdigit((unsigned char)*p) != 0;
    }
    return run >= 8 && digit && p > name && (p[-1] == '-' || p[-1] == '.');
}

static void add_caching_headers(http_reply *rep, const char *path, const char *etag)
{
    reply_header(rep, "ETag", etag);
    reply_header(rep, "Cache-Control",
                 is_hashed_asset(path) ? "public, max-age=31536000, immutable" : "no-cache");
    if (strncmp(static_content_type(path), "text/html", 9) == 0) {
        reply_header(rep, "Content-Security-Policy", CSP);
        reply_header(rep, "X-Frame-Options", "DENY");
    }
}

static bool not_modified(http_request *req, http_reply *rep, const char *etag)
{
    const char *inm = req_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!inm || strstr(inm, etag) == NULL)
        return false;
    reply_empty(rep, 304);
    return true;
}

/* The file a request path stands for, relative to the UI root ("index.html" for SPA routes). */
static int resolve_ui_path(const char *path, char *out, size_t size)
{
    if (!strchr(path, '.') && !strchr(path, '\\')) {
        snprintf(out, size, "index.html");
        return 0;
    }
    return fs_normalize_relative(path + 1, out, size);
}

static void serve_embedded(http_request *req, http_reply *rep, const char *rel)
{
    for (unsigned long i = 0; i < WEB_ASSET_COUNT; i++) {
        const web_asset *a = &WEB_ASSETS[i];
        if (strcmp(a->path + 1, rel) != 0)
            continue;
        bool gzip = a->gzip_data && http_accepts_gzip(req_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING));
        const char *etag = gzip ? a->gzip_etag : a->etag;
        add_caching_headers(rep, rel, etag);
        if (a->gzip_data)
            reply_header(rep, "Vary", "Accept-Encoding");
        if (not_modified(req, rep, etag))
            return;
        reply_empty(rep, 200);
        rep->response = MHD_create_response_from_buffer(gzip ? a->gzip_size : a->size,
                                                        (void *)(gzip ? a->gzip_data : a->data),
                                                        MHD_RESPMEM_PERSISTENT);
        if (!rep->response) {
            reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
            return;
        }
        MHD_add_response_header(rep->response, MHD_HTTP_HEADER_CONTENT_TYPE, static_content_type(rel));
        if (gzip)
            MHD_add_response_header(rep->response, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        return;
    }
    reply_errorf(rep, ERR_NOT_FOUND, "No file %s", req->path);
}

/* Opens root/rel for reading only if, after resolving symlinks, it is a regular file inside root. */
static int open_confined(const char *root, const char *rel, struct stat *st)
{
    char root_real[PATH_MAX], file_real[PATH_MAX];
    char *joined = fs_join(root, rel);
    if (!joined)
        return -1;
    bool inside = realpath(root, root_real) && realpath(joined, file_real);
    free(joined);
    size_t rl = strlen(root_real);
    if (!inside || strncmp(file_real, root_real, rl) != 0 || (file_real[rl] != '/' && rl > 1))
        return -1;
    int fd = open(file_real, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void serve_directory(http_request *req, http_reply *rep, const char *root, const char *rel)
{
    struct stat st;
    int fd = open_confined(root, rel, &st);
    if (fd < 0) {
        reply_errorf(rep, ERR_NOT_FOUND, "No file %s", req->path);
        return;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL + (unsigned long long)st.st_mtim.tv_nsec);
    add_caching_headers(rep, rel, etag);
    if (not_modified(req, rep, etag)) {
        close(fd);
        return;
    }
    reply_empty(rep, 200);
    rep->response = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!rep->response) {
        close(fd);
        reply_error(rep, ERR_SERVICE_UNAVAILABLE, "Out of memory");
        return;
    }
    MHD_add_response_header(rep->response, MHD_HTTP_HEADER_CONTENT_TYPE, static_content_type(rel));
}

void static_serve(http_request *req, http_reply *rep)
{
    char rel[1024];
    if (resolve_ui_path(req->path, rel, sizeof rel) != 0) {
        reply_errorf(rep, ERR_NOT_FOUND, "No file %s", req->path);
        return;
    }
    const char *dir = config_str("aswg.web-ui.path");
    if (dir[0])
        serve_directory(req, rep, dir, rel);
    else
        serve_embedded(req, rep, rel);
}
