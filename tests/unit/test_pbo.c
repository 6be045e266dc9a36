#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "missions/pbo.h"
#include "support/pbo_builder.h"

static pbo_result read_bytes(const void *data, size_t len, pbo *out)
{
    int fd = bytes_temp_fd(data, len);
    pbo_result rc = pbo_read_header(fd, len, out);
    close(fd);
    return rc;
}

static void assert_not_a_pbo(const void *data, size_t len)
{
    pbo p;
    assert_int_equal(read_bytes(data, len, &p), PBO_NOT_A_PBO);
    assert_null(p.entries);
    assert_int_equal(p.count, 0);
    assert_null(p.properties);
}

static const char *const product_strings[] = {"prefix", "co10_Escape.Altis", "version", "1.2",
                                              NULL};

static const pbo_file_spec three_files[] = {
    {"mission.sqm", "version=54;\n", 12, PBO_PACKING_NONE},
    {"description.ext", "onLoadName = \"Escape\";\n", 23, PBO_PACKING_NONE},
    {"scripts\\init.sqf", "hint \"hi\";", 10, PBO_PACKING_NONE},
};

static void assert_three_entries(const pbo *p, uint64_t header_len)
{
    assert_int_equal(p->count, 3);
    uint64_t offset = header_len;
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(p->entries[i].name, three_files[i].name);
        assert_int_equal(p->entries[i].packing, PBO_PACKING_NONE);
        assert_int_equal(p->entries[i].data_size, three_files[i].len);
        assert_int_equal(p->entries[i].original_size, three_files[i].len);
        assert_int_equal(p->entries[i].timestamp, 1700000000u);
        assert_int_equal(p->entries[i].data_offset, offset);
        offset += three_files[i].len;
    }
    assert_int_equal(p->data_end, offset);
}

/* ---- valid files ---- */

static void test_product_entry_and_three_files(void **state)
{
    (void)state;
    size_t header_len;
    bytes b = pbo_build(product_strings, three_files, 3, &header_len);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    assert_three_entries(&p, header_len);
    assert_int_equal(p.property_count, 4);
    assert_string_equal(pbo_property(&p, "prefix"), "co10_Escape.Altis");
    assert_string_equal(pbo_property(&p, "version"), "1.2");
    assert_null(pbo_property(&p, "co10_Escape.Altis"));   /* values are not keys */
    assert_null(pbo_property(&p, "missing"));
    pbo_free(&p);
    free(b.data);
}

static void test_find_ignores_case_and_slash_kind(void **state)
{
    (void)state;
    bytes b = pbo_build(product_strings, three_files, 3, NULL);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    assert_ptr_equal(pbo_find(&p, "MISSION.SQM"), &p.entries[0]);
    assert_ptr_equal(pbo_find(&p, "Description.Ext"), &p.entries[1]);
    assert_ptr_equal(pbo_find(&p, "scripts/init.sqf"), &p.entries[2]);
    assert_ptr_equal(pbo_find(&p, "SCRIPTS\\Init.SQF"), &p.entries[2]);
    assert_null(pbo_find(&p, "scripts"));
    assert_null(pbo_find(&p, "scripts/init.sqf2"));
    assert_null(pbo_find(&p, "init.sqf"));
    assert_null(pbo_find(&p, ""));
    assert_null(pbo_find(NULL, "mission.sqm"));
    pbo_free(&p);
    free(b.data);
}

static void test_without_product_entry(void **state)
{
    (void)state;
    size_t header_len;
    bytes b = pbo_build(NULL, three_files, 3, &header_len);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    assert_three_entries(&p, header_len);
    assert_int_equal(p.property_count, 0);
    assert_null(pbo_property(&p, "prefix"));
    pbo_free(&p);
    free(b.data);
}

static void test_without_trailer_and_without_files(void **state)
{
    (void)state;
    size_t header_len;
    bytes b = pbo_build(product_strings, three_files, 3, &header_len);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len - 21, &p), PBO_OK);   /* no SHA-1 trailer */
    assert_int_equal(p.data_end, b.len - 21);
    pbo_free(&p);
    free(b.data);

    b = pbo_build(product_strings, NULL, 0, &header_len);
    assert_int_equal(read_bytes(b.data, header_len, &p), PBO_OK);
    assert_int_equal(p.count, 0);
    assert_int_equal(p.data_end, header_len);
    pbo_free(&p);
    free(b.data);

    b = pbo_build(NULL, NULL, 0, &header_len);   /* just a terminator */
    assert_int_equal(header_len, 21);
    assert_int_equal(read_bytes(b.data, header_len, &p), PBO_OK);
    assert_int_equal(p.count, 0);
    pbo_free(&p);
    free(b.data);
}

/* A product key whose value is missing is dropped, keeping the strings in pairs. */
static void test_product_key_without_value(void **state)
{
    (void)state;
    const char *const odd[] = {"prefix", "x", "dangling", NULL};
    bytes b = pbo_build(odd, three_files, 3, NULL);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    assert_int_equal(p.property_count, 2);
    assert_string_equal(pbo_property(&p, "prefix"), "x");
    assert_null(pbo_property(&p, "dangling"));
    pbo_free(&p);
    free(b.data);
}

static void test_product_entry_without_properties(void **state)
{
    (void)state;
    const char *const none[] = {NULL};
    size_t header_len;
    bytes b = pbo_build(none, three_files, 3, &header_len);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    assert_three_entries(&p, header_len);
    assert_int_equal(p.property_count, 0);
    assert_null(p.properties);
    pbo_free(&p);
    free(b.data);
}

static void test_name_of_1024_bytes_is_the_limit(void **state)
{
    (void)state;
    char name[1026];
    memset(name, 'n', sizeof name - 1);
    name[1024] = '\0';
    pbo_file_spec file = {name, "x", 1, PBO_PACKING_NONE};
    bytes b = pbo_build(NULL, &file, 1, NULL);
    pbo p;
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    assert_int_equal(strlen(p.entries[0].name), 1024);
    pbo_free(&p);
    free(b.data);

    name[1024] = 'n';
    name[1025] = '\0';
    b = pbo_build(NULL, &file, 1, NULL);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);
}

/* ---- malformed files ---- */

/* Every cut short of the end of the data is refused; cuts into the trailer are fine. */
static void test_truncated_at_every_byte(void **state)
{
    (void)state;
    size_t header_len;
    bytes b = pbo_build(product_strings, three_files, 3, &header_len);
    int fd = bytes_temp_fd(b.data, b.len);
    size_t data_end = b.len - 21;
    for (size_t cut = b.len + 1; cut-- > 0;) {
        assert_int_equal(ftruncate(fd, (off_t)cut), 0);
        pbo p;
        pbo_result rc = pbo_read_header(fd, cut, &p);
        assert_int_equal(rc, cut >= data_end ? PBO_OK : PBO_NOT_A_PBO);
        if (rc == PBO_OK)
            assert_int_equal(p.data_end, data_end);
        pbo_free(&p);
    }
    close(fd);
    free(b.data);
}

/* The caller's size is what counts, even when the file itself is longer. */
static void test_truncated_by_stated_size(void **state)
{
    (void)state;
    bytes b = pbo_build(NULL, three_files, 3, NULL);
    int fd = bytes_temp_fd(b.data, b.len);
    for (size_t cut = 0; cut < b.len - 21; cut++) {
        pbo p;
        assert_int_equal(pbo_read_header(fd, cut, &p), PBO_NOT_A_PBO);
    }
    close(fd);
    free(b.data);
}

/* A stated size larger than the file: reads hit the end of the file. */
static void test_file_shorter_than_stated(void **state)
{
    (void)state;
    size_t header_len;
    bytes b = pbo_build(NULL, three_files, 3, &header_len);
    int fd = bytes_temp_fd(b.data, header_len / 2);
    pbo p;
    assert_int_equal(pbo_read_header(fd, b.len, &p), PBO_NOT_A_PBO);
    close(fd);
    free(b.data);
}

static void test_garbage_empty_and_text(void **state)
{
    (void)state;
    unsigned char garbage[8192];
    uint32_t x = 12345;
    for (size_t round = 0; round < 64; round++) {
        for (size_t i = 0; i < sizeof garbage; i++) {
            x = x * 1103515245u + 12345u;
            garbage[i] = (unsigned char)(x >> 16);
        }
        assert_not_a_pbo(garbage, sizeof garbage);
    }
    assert_not_a_pbo("", 0);
    assert_not_a_pbo("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);   /* a terminator needs 21 */
    const char text[] = "version=54;\nclass Mission\n{\n\tclass Intel\n\t{\n\t\tbriefingName=\"x\";\n"
                        "\t};\n};\n";
    assert_not_a_pbo(text, sizeof text - 1);
    char long_text[4096];
    memset(long_text, 'a', sizeof long_text);
    assert_not_a_pbo(long_text, sizeof long_text);
}

static void test_huge_declared_data_size(void **state)
{
    (void)state;
    bytes b = {0};
    pbo_build_entry(&b, "mission.sqm", 0, 0xffffffffu, 0xffffffffu);
    pbo_build_terminator(&b);
    bytes_put(&b, "data", 4);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);

    /* Many sizes that only overflow 32 bits together. */
    b = (bytes){0};
    for (int i = 0; i < 8; i++)
        pbo_build_entry(&b, "f", 0, 0, 0x7fffffffu);
    pbo_build_terminator(&b);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);

    /* One byte more data announced than present. */
    b = (bytes){0};
    pbo_build_entry(&b, "f", 0, 5, 5);
    pbo_build_terminator(&b);
    bytes_put(&b, "1234", 4);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);
}

static void test_empty_name_that_is_not_product_or_terminator(void **state)
{
    (void)state;
    bytes b = {0};
    pbo_build_entry(&b, "", 0, 0, 0);   /* terminator-like, but timestamp set */
    pbo_build_entry(&b, "f", 0, 0, 0);
    pbo_build_terminator(&b);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);

    b = (bytes){0};   /* a product entry that is not the first entry */
    pbo_build_entry(&b, "f", 0, 0, 0);
    pbo_build_entry(&b, "", PBO_PACKING_PRODUCT, 0, 0);
    bytes_put_str(&b, "prefix");
    bytes_put_str(&b, "x");
    bytes_put_str(&b, "");
    pbo_build_terminator(&b);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);

    b = (bytes){0};   /* two product entries */
    for (int i = 0; i < 2; i++) {
        pbo_build_entry(&b, "", PBO_PACKING_PRODUCT, 0, 0);
        bytes_put_str(&b, "");
    }
    pbo_build_terminator(&b);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);
}

static void test_property_string_too_long(void **state)
{
    (void)state;
    char value[1100];
    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    const char *const product[] = {"prefix", value, NULL};
    bytes b = pbo_build(product, three_files, 3, NULL);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);
}

static void test_entry_count_limit(void **state)
{
    (void)state;
    for (size_t n = 100000; n <= 100001; n++) {
        bytes b = {0};
        for (size_t i = 0; i < n; i++)
            pbo_build_entry(&b, "f", 0, 0, 0);
        pbo_build_terminator(&b);
        pbo p;
        assert_int_equal(read_bytes(b.data, b.len, &p), n == 100000 ? PBO_OK : PBO_NOT_A_PBO);
        assert_int_equal(p.count, n == 100000 ? n : 0);
        pbo_free(&p);
        free(b.data);
    }
}

static void test_header_over_64_mib(void **state)
{
    (void)state;
    char name[1025];
    memset(name, 'n', 1024);
    name[1024] = '\0';
    bytes b = {0};
    size_t n = (64u * 1024 * 1024) / (1025 + 20) + 1;   /* just over 64 MiB of entries */
    for (size_t i = 0; i < n; i++)
        pbo_build_entry(&b, name, 0, 0, 0);
    pbo_build_terminator(&b);
    assert_true(b.len > 64u * 1024 * 1024);
    assert_not_a_pbo(b.data, b.len);
    free(b.data);
}

static void test_not_a_regular_file_is_an_io_error(void **state)
{
    (void)state;
    int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    pbo p;
    assert_int_equal(pbo_read_header(fd, 4096, &p), PBO_IO_ERROR);
    assert_int_equal(p.count, 0);
    close(fd);
}

/* A large PBO (sparse data) needs only its header read. */
static void test_large_sparse_pbo(void **state)
{
    (void)state;
    bytes b = {0};
    char name[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "data\\file%04d.paa", i);
        pbo_build_entry(&b, name, 0, 100000, 100000);
    }
    pbo_build_terminator(&b);
    int fd = bytes_temp_fd(b.data, b.len);
    uint64_t size = b.len + 100000000ull;
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    pbo p;
    assert_int_equal(pbo_read_header(fd, size, &p), PBO_OK);
    assert_int_equal(p.count, 1000);
    assert_int_equal(p.entries[999].data_offset, b.len + 999 * 100000ull);
    assert_ptr_equal(pbo_find(&p, "DATA/FILE0500.PAA"), &p.entries[500]);
    pbo_free(&p);
    close(fd);
    free(b.data);
}

/* ---- entry contents ---- */

static void test_read_entry_contents(void **state)
{
    (void)state;
    bytes b = pbo_build(product_strings, three_files, 3, NULL);
    int fd = bytes_temp_fd(b.data, b.len);
    pbo p;
    assert_int_equal(pbo_read_header(fd, b.len, &p), PBO_OK);
    for (size_t i = 0; i < 3; i++) {
        size_t len = 99;
        char *text = pbo_read_entry(fd, &p.entries[i], three_files[i].len, &len);
        assert_non_null(text);
        assert_int_equal(len, three_files[i].len);
        assert_memory_equal(text, three_files[i].data, len);
        assert_int_equal(text[len], '\0');
        free(text);
    }
    char *text = pbo_read_entry(fd, pbo_find(&p, "mission.sqm"), 1024, NULL);
    assert_string_equal(text, "version=54;\n");
    free(text);
    pbo_free(&p);
    close(fd);
    free(b.data);
}

static void test_read_entry_refuses_compressed_and_too_large(void **state)
{
    (void)state;
    const pbo_file_spec files[] = {
        {"packed.sqf", "\x05\x01\x02\x03\x04\x05", 6, PBO_PACKING_COMPRESSED},
        {"big.txt", "0123456789", 10, PBO_PACKING_NONE},
        {"empty.txt", "", 0, PBO_PACKING_NONE},
    };
    bytes b = pbo_build(NULL, files, 3, NULL);
    int fd = bytes_temp_fd(b.data, b.len);
    pbo p;
    assert_int_equal(pbo_read_header(fd, b.len, &p), PBO_OK);
    assert_int_equal(p.entries[0].packing, PBO_PACKING_COMPRESSED);
    assert_int_equal(p.entries[0].original_size, 12);
    size_t len = 7;
    assert_null(pbo_read_entry(fd, &p.entries[0], 1u << 20, &len));
    assert_int_equal(len, 0);
    assert_null(pbo_read_entry(fd, &p.entries[1], 9, NULL));
    char *text = pbo_read_entry(fd, &p.entries[1], 10, &len);
    assert_string_equal(text, "0123456789");
    free(text);
    text = pbo_read_entry(fd, &p.entries[2], 0, &len);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
    assert_null(pbo_read_entry(fd, NULL, 10, NULL));
    pbo_free(&p);
    close(fd);
    free(b.data);
}

/* An entry describing data beyond the end of the file (the file shrank): NULL, no garbage. */
static void test_read_entry_beyond_file(void **state)
{
    (void)state;
    int fd = bytes_temp_fd("abc", 3);
    pbo_entry entry = {.name = "x", .data_offset = 2, .data_size = 5};
    assert_null(pbo_read_entry(fd, &entry, 100, NULL));
    entry.data_offset = UINT64_MAX - 2;
    assert_null(pbo_read_entry(fd, &entry, 100, NULL));
    close(fd);
}

static void test_free_is_safe_twice_and_on_zeroed(void **state)
{
    (void)state;
    pbo p = {0};
    pbo_free(&p);
    pbo_free(NULL);
    bytes b = pbo_build(product_strings, three_files, 3, NULL);
    assert_int_equal(read_bytes(b.data, b.len, &p), PBO_OK);
    pbo_free(&p);
    assert_null(p.entries);
    assert_int_equal(p.count, 0);
    pbo_free(&p);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_entry_and_three_files),
        cmocka_unit_test(test_find_ignores_case_and_slash_kind),
        cmocka_unit_test(test_without_product_entry),
        cmocka_unit_test(test_without_trailer_and_without_files),
        cmocka_unit_test(test_product_key_without_value),
        cmocka_unit_test(test_product_entry_without_properties),
        cmocka_unit_test(test_name_of_1024_bytes_is_the_limit),
        cmocka_unit_test(test_truncated_at_every_byte),
        cmocka_unit_test(test_truncated_by_stated_size),
        cmocka_unit_test(test_file_shorter_than_stated),
        cmocka_unit_test(test_garbage_empty_and_text),
        cmocka_unit_test(test_huge_declared_data_size),
        cmocka_unit_test(test_empty_name_that_is_not_product_or_terminator),
        cmocka_unit_test(test_property_string_too_long),
        cmocka_unit_test(test_entry_count_limit),
        cmocka_unit_test(test_header_over_64_mib),
        cmocka_unit_test(test_not_a_regular_file_is_an_io_error),
        cmocka_unit_test(test_large_sparse_pbo),
        cmocka_unit_test(test_read_entry_contents),
        cmocka_unit_test(test_read_entry_refuses_compressed_and_too_large),
        cmocka_unit_test(test_read_entry_beyond_file),
        cmocka_unit_test(test_free_is_safe_twice_and_on_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
