#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/pbo_builder.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- byte buffer ---- */

void bytes_put(bytes *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *bigger = realloc(b->data, cap);
        assert_non_null(bigger);
        b->data = bigger;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void bytes_put_byte(bytes *b, unsigned char c)
{
    bytes_put(b, &c, 1);
}

void bytes_put_u32(bytes *b, uint32_t v)
{
    unsigned char le[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
    bytes_put(b, le, sizeof le);
}

void bytes_put_str(bytes *b, const char *s)
{
    bytes_put(b, s, strlen(s) + 1);
}

void bytes_patch_u32(bytes *b, size_t at, uint32_t v)
{
    assert_true(at <= b->len && b->len - at >= 4);
    for (int i = 0; i < 4; i++)
        b->data[at + i] = (unsigned char)(v >> (8 * i));
}

void bytes_free(bytes *b)
{
    free(b->data);
    *b = (bytes){0};
}

/* ---- PBO writer ---- */

void pbo_build_entry(bytes *b, const char *name, uint32_t packing, uint32_t original_size,
                     uint32_t data_size)
{
    bytes_put_str(b, name);
    bytes_put_u32(b, packing);
    bytes_put_u32(b, original_size);
    bytes_put_u32(b, 0);   /* reserved */
    bytes_put_u32(b, PBO_BUILD_TIMESTAMP);
    bytes_put_u32(b, data_size);
}

void pbo_build_product(bytes *b, const char *const *product)
{
    pbo_build_entry(b, "", PBO_PACKING_PRODUCT, 0, 0);
    for (size_t i = 0; product[i]; i++)
        bytes_put_str(b, product[i]);
    bytes_put_str(b, "");
}

void pbo_build_terminator(bytes *b)
{
    bytes_put_str(b, "");
    for (int i = 0; i < 5; i++)
        bytes_put_u32(b, 0);
}

void pbo_build_header(bytes *b, const char *const *product, const pbo_file_spec *files, size_t n)
{
    if (product)
        pbo_build_product(b, product);
    for (size_t i = 0; i < n; i++) {
        bool packed = files[i].packing == PBO_PACKING_COMPRESSED;
        uint32_t len = (uint32_t)files[i].len;
        pbo_build_entry(b, files[i].name, files[i].packing, packed ? len * 2 : len, len);
    }
    pbo_build_terminator(b);
}

bytes pbo_build(const char *const *product, const pbo_file_spec *files, size_t n,
                size_t *header_len)
{
    bytes b = {0};
    pbo_build_header(&b, product, files, n);
    if (header_len)
        *header_len = b.len;
    for (size_t i = 0; i < n; i++)
        bytes_put(&b, files[i].data, files[i].len);
    unsigned char trailer[PBO_BUILD_TRAILER_LEN] = {0};
    memset(trailer + 1, 0xab, sizeof trailer - 1);   /* a fake hash will do */
    bytes_put(&b, trailer, sizeof trailer);
    return b;
}

/* ---- files ---- */

static void write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

void bytes_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        fail_msg("cannot create %s", path);
    write_all(fd, data, len);
    assert_int_equal(close(fd), 0);
}

void bytes_temp_file(const void *data, size_t len, char path[static 32])
{
    strcpy(path, "/tmp/aswg-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    write_all(fd, data, len);
    assert_int_equal(close(fd), 0);
}

int bytes_temp_fd(const void *data, size_t len)
{
    char path[] = "/tmp/aswg-test-pbo-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(pwrite(fd, data, len, 0), (ssize_t)len);
    return fd;
}
