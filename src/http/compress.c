#include "http/compress.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <zlib.h>

/* A q-value ("1", "0.5", "0.000") in thousandths; malformed values count as 0. */
static int parse_qvalue(const char *p, const char *end)
{
    if (p >= end || (*p != '0' && *p != '1'))
        return 0;
    int q = (*p++ - '0') * 1000;
    if (p < end && *p == '.') {
        p++;
        for (int scale = 100; p < end && isdigit((unsigned char)*p) && scale > 0; p++, scale /= 10)
            q += (*p - '0') * scale;
    }
    return q > 1000 ? 1000 : q;
}

bool http_accepts_gzip(const char *value)
{
    int gzip_q = -1, any_q = -1;
    for (const char *p = value; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *item = p;
        while (*p && *p != ',')
            p++;
        const char *name_end = item;
        while (name_end < p && *name_end != ';' && *name_end != ' ' && *name_end != '\t')
            name_end++;
        size_t len = (size_t)(name_end - item);
        if (len == 0)
            continue;
        int q = 1000;
        for (const char *s = name_end; s < p; s++) {
            if (*s != ';')
                continue;
            s++;
            while (s < p && (*s == ' ' || *s == '\t'))
                s++;
            if (s + 1 < p && (*s == 'q' || *s == 'Q') && s[1] == '=') {
                const char *v = s + 2, *v_end = v;
                while (v_end < p && *v_end != ';' && *v_end != ' ' && *v_end != '\t')
                    v_end++;
                q = parse_qvalue(v, v_end);
            }
        }
        if ((len == 4 && strncasecmp(item, "gzip", 4) == 0) || (len == 6 && strncasecmp(item, "x-gzip", 6) == 0))
            gzip_q = q > gzip_q ? q : gzip_q;
        else if (len == 1 && *item == '*')
            any_q = q;
    }
    return gzip_q >= 0 ? gzip_q > 0 : any_q > 0;
}

char *http_gzip(const void *data, size_t size, int level, size_t *out_size)
{
    if (size < HTTP_GZIP_MIN || size > UINT32_MAX)
        return NULL;
    z_stream z = {0};
    /* 15 + 16: a gzip header and trailer around the deflate stream, as Content-Encoding wants */
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    char *out = malloc(size); /* no room to grow: what does not shrink goes out plain */
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)size;
    int rc = out ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    *out_size = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}
