#include "missions/pbo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PBO_MAX_ENTRIES 100000u
#define PBO_MAX_NAME 1024u
#define PBO_MAX_HEADER ((uint64_t)64 * 1024 * 1024)
#define PBO_CHUNK ((size_t)64 * 1024)
/* Product strings share the entry limit so that a crafted header cannot make them unbounded. */
#define PBO_MAX_PROPERTY_STRINGS ((size_t)2 * PBO_MAX_ENTRIES)

/* ---- buffered reading of the header: one pread per chunk, never one per byte ---- */

typedef struct {
    int fd;
    uint64_t limit;         /* no header byte may lie at or beyond this offset */
    uint64_t pos;           /* offset of the next byte */
    uint64_t buf_start;     /* offset of buf[0] */
    size_t buf_len;
    unsigned char buf[PBO_CHUNK];
} reader;

static pbo_result reader_fill(reader *r)
{
    if (r->pos >= r->limit)
        return PBO_NOT_A_PBO;
    uint64_t left = r->limit - r->pos;
    size_t want = left < PBO_CHUNK ? (size_t)left : PBO_CHUNK;
    ssize_t n;
    do
        n = pread(r->fd, r->buf, want, (off_t)r->pos);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return PBO_IO_ERROR;
    if (n == 0)   /* the file is shorter than its stated size */
        return PBO_NOT_A_PBO;
    r->buf_start = r->pos;
    r->buf_len = (size_t)n;
    return PBO_OK;
}

static pbo_result reader_byte(reader *r, unsigned char *out)
{
    if (r->pos - r->buf_start >= r->buf_len) {
        pbo_result rc = reader_fill(r);
        if (rc != PBO_OK)
            return rc;
    }
    *out = r->buf[r->pos - r->buf_start];
    r->pos++;
    return PBO_OK;
}

static pbo_result reader_u32(reader *r, uint32_t *out)
{
    uint32_t value = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned char b;
        pbo_result rc = reader_byte(r, &b);
        if (rc != PBO_OK)
            return rc;
        value |= (uint32_t)b << (8 * i);
    }
    *out = value;
    return PBO_OK;
}

/* A NUL-terminated string of at most PBO_MAX_NAME bytes into name (PBO_MAX_NAME + 1 bytes). */
static pbo_result reader_string(reader *r, char *name, size_t *len_out)
{
    for (size_t len = 0; len <= PBO_MAX_NAME; len++) {
        unsigned char b;
        pbo_result rc = reader_byte(r, &b);
        if (rc != PBO_OK)
            return rc;
        name[len] = (char)b;
        if (b == '\0') {
            *len_out = len;
            return PBO_OK;
        }
    }
    return PBO_NOT_A_PBO;
}

/* ---- building the result ---- */

typedef struct {
    uint32_t packing, original_size, reserved, timestamp, data_size;
} entry_fields;

static pbo_result read_fields(reader *r, entry_fields *f)
{
    uint32_t *slots[] = {&f->packing, &f->original_size, &f->reserved, &f->timestamp,
                         &f->data_size};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        pbo_result rc = reader_u32(r, slots[i]);
        if (rc != PBO_OK)
            return rc;
    }
    return PBO_OK;
}

static bool fields_all_zero(const entry_fields *f)
{
    return !f->packing && !f->original_size && !f->reserved && !f->timestamp && !f->data_size;
}

/* Grows *items (of elem_size bytes each) so that it holds at least count + 1 elements. */
static int grow(void **items, size_t *cap, size_t count, size_t elem_size)
{
    if (count < *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 16;
    void *bigger = realloc(*items, new_cap * elem_size);
    if (!bigger)
        return -1;
    *items = bigger;
    *cap = new_cap;
    return 0;
}

static pbo_result add_property(pbo *p, size_t *cap, const char *text, size_t len)
{
    if (p->property_count >= PBO_MAX_PROPERTY_STRINGS)
        return PBO_NOT_A_PBO;
    if (grow((void **)&p->properties, cap, p->property_count, sizeof *p->properties) != 0)
        return PBO_NO_MEMORY;
    char *copy = strndup(text, len);
    if (!copy)
        return PBO_NO_MEMORY;
    p->properties[p->property_count++] = copy;
    return PBO_OK;
}

/* The key/value strings after the product entry, up to the empty string that ends them. */
static pbo_result read_properties(reader *r, pbo *p, char *scratch)
{
    size_t cap = 0;
    for (;;) {
        size_t len;
        pbo_result rc = reader_string(r, scratch, &len);
        if (rc != PBO_OK)
            return rc;
        if (len == 0)
            break;
        rc = add_property(p, &cap, scratch, len);
        if (rc != PBO_OK)
            return rc;
    }
    /* A key without a value cannot be told from the end marker; drop it so pairs stay whole. */
    if (p->property_count % 2) {
        free(p->properties[--p->property_count]);
        p->properties[p->property_count] = NULL;
    }
    return PBO_OK;
}

static pbo_result add_entry(pbo *p, size_t *cap, const char *name, size_t len,
                            const entry_fields *f)
{
    if (p->count >= PBO_MAX_ENTRIES)
        return PBO_NOT_A_PBO;
    if (grow((void **)&p->entries, cap, p->count, sizeof *p->entries) != 0)
        return PBO_NO_MEMORY;
    char *copy = strndup(name, len);
    if (!copy)
        return PBO_NO_MEMORY;
    p->entries[p->count++] = (pbo_entry){
        .name = copy,
        .packing = f->packing,
        .original_size = f->original_size,
        .timestamp = f->timestamp,
        .data_size = f->data_size,
    };
    return PBO_OK;
}

/* Reads entries up to the terminator, summing data sizes into *data_total. */
static pbo_result read_entries(reader *r, uint64_t file_size, pbo *p, uint64_t *data_total)
{
    char name[PBO_MAX_NAME + 1];
    size_t cap = 0;
    bool product_allowed = true;
    for (;;) {
        size_t len;
        entry_fields f;
        pbo_result rc = reader_string(r, name, &len);
        if (rc == PBO_OK)
            rc = read_fields(r, &f);
        if (rc != PBO_OK)
            return rc;
        if (len == 0 && f.packing == PBO_PACKING_PRODUCT && product_allowed) {
            /* Its size fields carry no data block (tools write zeros); they are ignored. */
            rc = read_properties(r, p, name);
        } else if (len == 0) {
            return fields_all_zero(&f) ? PBO_OK : PBO_NOT_A_PBO;
        } else {
            rc = add_entry(p, &cap, name, len, &f);
            *data_total += f.data_size;   /* at most 100,000 * 4 GiB: cannot overflow */
        }
        if (rc != PBO_OK)
            return rc;
        product_allowed = false;
        /* Header read so far plus the data already announced must fit: fail garbage early. */
        if (*data_total > file_size || r->pos > file_size - *data_total)
            return PBO_NOT_A_PBO;
    }
}

static void assign_offsets(pbo *p, uint64_t header_end)
{
    uint64_t offset = header_end;
    for (size_t i = 0; i < p->count; i++) {
        p->entries[i].data_offset = offset;
        offset += p->entries[i].data_size;
    }
    p->data_end = offset;
}

pbo_result pbo_read_header(int fd, uint64_t file_size, pbo *out)
{
    memset(out, 0, sizeof *out);
    reader *r = malloc(sizeof *r);
    if (!r)
        return PBO_NO_MEMORY;
    *r = (reader){.fd = fd, .limit = file_size < PBO_MAX_HEADER ? file_size : PBO_MAX_HEADER};
    uint64_t data_total = 0;
    pbo_result rc = read_entries(r, file_size, out, &data_total);
    /* r->pos <= file_size: the reader never goes past it. */
    if (rc == PBO_OK && data_total > file_size - r->pos)
        rc = PBO_NOT_A_PBO;
    if (rc == PBO_OK)
        assign_offsets(out, r->pos);
    free(r);
    if (rc != PBO_OK) {
        int saved = errno;
        pbo_free(out);
        errno = saved;
    }
    return rc;
}

void pbo_free(pbo *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++)
        free(p->entries[i].name);
    free(p->entries);
    for (size_t i = 0; i < p->property_count; i++)
        free(p->properties[i]);
    free(p->properties);
    memset(p, 0, sizeof *p);
}

/* ---- lookups ---- */

static unsigned char fold_path_char(unsigned char c)
{
    if (c == '\\')
        return '/';
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool path_names_equal(const char *a, const char *b)
{
    for (;; a++, b++) {
        if (fold_path_char((unsigned char)*a) != fold_path_char((unsigned char)*b))
            return false;
        if (!*a)
            return true;
    }
}

const pbo_entry *pbo_find(const pbo *p, const char *name)
{
    if (!p || !name)
        return NULL;
    for (size_t i = 0; i < p->count; i++)
        if (path_names_equal(p->entries[i].name, name))
            return &p->entries[i];
    return NULL;
}

const char *pbo_property(const pbo *p, const char *key)
{
    if (!p || !key)
        return NULL;
    for (size_t i = 0; i + 1 < p->property_count; i += 2)
        if (strcmp(p->properties[i], key) == 0)
            return p->properties[i + 1];
    return NULL;
}

/* ---- entry contents ---- */

static int pread_fully(int fd, char *buf, size_t len, uint64_t offset)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, buf + done, len - done, (off_t)(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)   /* an error, or the file ended before the entry did */
            return -1;
        done += (size_t)n;
    }
    return 0;
}

char *pbo_read_entry(int fd, const pbo_entry *entry, size_t max_bytes, size_t *len_out)
{
    if (len_out)
        *len_out = 0;
    if (!entry || entry->packing != PBO_PACKING_NONE || entry->data_size > max_bytes)
        return NULL;
    /* off_t is signed: an offset past INT64_MAX cannot be read (and cannot come from a header). */
    if (entry->data_offset > (uint64_t)INT64_MAX - entry->data_size)
        return NULL;
    size_t len = entry->data_size;
    char *buf = malloc(len + 1);
    if (!buf)
        return NULL;
    if (pread_fully(fd, buf, len, entry->data_offset) != 0) {
        int saved = errno;
        free(buf);
        errno = saved;
        return NULL;
    }
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}
