#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/compress.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void test_accepts_gzip(void **state)
{
    (void)state;
    static const char *const YES[] = {"gzip", "GZIP", "x-gzip", "br, gzip;q=0.8, deflate", "*", "gzip ;q=1",
                                      "gzip;q=0.001", "deflate, *;q=0.5"};
    static const char *const NO[] = {"", "identity", "deflate, br", "gzip;q=0", "gzip;q=0.000", "*;q=0",
                                     "gzip;q=0, *", "gzipx", "xgzip", "gzip;q=abc"};
    for (size_t i = 0; i < sizeof YES / sizeof YES[0]; i++)
        assert_true(http_accepts_gzip(YES[i]));
    for (size_t i = 0; i < sizeof NO / sizeof NO[0]; i++)
        assert_false(http_accepts_gzip(NO[i]));
    assert_false(http_accepts_gzip(NULL));
}

static char *gunzip(const char *data, size_t size, size_t expected)
{
    char *out = malloc(expected + 1);
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)expected + 1;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, expected);
    inflateEnd(&z);
    return out;
}

static void test_gzip_round_trip(void **state)
{
    (void)state;
    size_t n = 200000, packed_size = 0;
    char *json = malloc(n);
    for (size_t i = 0; i < n; i++)
        json[i] = "{\"name\":\"co10_Escape.Altis\",\"enabled\":true},"[i % 45];
    char *packed = http_gzip(json, n, 1, &packed_size);
    assert_non_null(packed);
    assert_true(packed_size < n / 10);
    assert_int_equal((unsigned char)packed[0], 0x1f); /* the gzip magic */
    assert_int_equal((unsigned char)packed[1], 0x8b);
    char *back = gunzip(packed, packed_size, n);
    assert_memory_equal(back, json, n);
    free(back);
    free(packed);
    free(json);
}

static void test_gzip_only_when_it_pays(void **state)
{
    (void)state;
    size_t size = 99;
    char small[HTTP_GZIP_MIN - 1];
    memset(small, 'a', sizeof small);
    assert_null(http_gzip(small, sizeof small, 6, &size));
    /* random bytes do not shrink: sent as they are */
    size_t n = 64 * 1024;
    unsigned char *noise = malloc(n);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[i] = (unsigned char)x;
    }
    assert_null(http_gzip(noise, n, 6, &size));
    free(noise);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_gzip),
        cmocka_unit_test(test_gzip_round_trip),
        cmocka_unit_test(test_gzip_only_when_it_pays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
