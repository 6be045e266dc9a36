/* The web UI compiled into the binary (generated from web/ by cmake/embed_web.cmake). */
#ifndef ASWG_HTTP_WEB_ASSETS_H
#define ASWG_HTTP_WEB_ASSETS_H

typedef struct web_asset {
    const char *path;           /* "/index.html" */
    const unsigned char *data;
    unsigned long size;
    const char *etag;           /* quoted, ready for the ETag header */
} web_asset;

extern const web_asset WEB_ASSETS[];
extern const unsigned long WEB_ASSET_COUNT;

#endif
