/* The web UI compiled into the binary (generated from web/ by cmake/embed_web.cmake). */
#ifndef ASWG_HTTP_WEB_ASSETS_H
#define ASWG_HTTP_WEB_ASSETS_H

typedef struct web_asset {
    const char *path;           /* "/index.html" */
    const unsigned char *data;
    unsigned long size;
    const char *etag;           /* quoted, ready for the ETag header */
    /* The same file gzip-compressed, or NULL when gzip would not make it smaller. */
    const unsigned char *gzip_data;
    unsigned long gzip_size;
    const char *gzip_etag;      /* quoted, differs from etag (another representation) */
} web_asset;

extern const web_asset WEB_ASSETS[];
extern const unsigned long WEB_ASSET_COUNT;

#endif
