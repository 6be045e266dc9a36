#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "auth/password.h"

#include <crypt.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* crypt_blowfish / OpenBSD test vectors. */
#define VECTOR_2A "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
#define VECTOR_2A_PASSWORD "U*U"
#define VECTOR_2B "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"
#define VECTOR_2Y "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"
#define VECTOR_2BY_PASSWORD "\xff\xff\xa3"

/* A string of n copies of c, malloc'd. */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Hashes with libxcrypt directly, for prefixes password_hash does not emit. */
static void hash_with_prefix(const char *prefix, unsigned long cost, const char *password,
                             char out[PASSWORD_HASH_MAX])
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    assert_non_null(crypt_gensalt_rn(prefix, cost, NULL, 0, salt, sizeof salt));
    struct crypt_data *data = calloc(1, sizeof *data);
    assert_non_null(data);
    const char *hash = crypt_r(password, salt, data);
    assert_non_null(hash);
    assert_true(strlen(hash) < PASSWORD_HASH_MAX);
    strcpy(out, hash);
    free(data);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hash_then_verify(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("correct horse", PASSWORD_DEFAULT_COST, hash), 0);
    assert_true(password_verify("correct horse", hash));
    assert_false(password_verify("correct horsE", hash));
    assert_false(password_verify("correct hors", hash));
    assert_false(password_verify("", hash));
}

static void test_hash_format(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("pw", PASSWORD_DEFAULT_COST, hash), 0);
    assert_int_equal(strlen(hash), 60);
    assert_memory_equal(hash, "$2a$10$", 7);
}

static void test_hash_cost_is_applied(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("pw", 11, hash), 0);
    assert_memory_equal(hash, "$2a$11$", 7);
    assert_true(password_verify("pw", hash));
}

static void test_hashes_are_salted(void **state)
{
    (void)state;
    char first[PASSWORD_HASH_MAX], second[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("same", PASSWORD_DEFAULT_COST, first), 0);
    assert_int_equal(password_hash("same", PASSWORD_DEFAULT_COST, second), 0);
    assert_string_not_equal(first, second);
    assert_true(password_verify("same", first));
    assert_true(password_verify("same", second));
}

static void test_hash_refuses_bad_password_length(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    char *too_long = repeat('a', PASSWORD_MAX_BYTES + 1);
    assert_int_equal(password_hash("", PASSWORD_DEFAULT_COST, hash), -1);
    assert_string_equal(hash, "");
    assert_int_equal(password_hash(too_long, PASSWORD_DEFAULT_COST, hash), -1);
    assert_string_equal(hash, "");
    free(too_long);
}

static void test_hash_refuses_bad_cost(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("pw", 9, hash), -1);
    assert_int_equal(password_hash("pw", 16, hash), -1);
    assert_int_equal(password_hash("pw", -1, hash), -1);
}

static void test_72_bytes_is_the_limit(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    char *longest = repeat('x', PASSWORD_MAX_BYTES);
    char *too_long = repeat('x', PASSWORD_MAX_BYTES + 1);
    assert_int_equal(password_hash(longest, PASSWORD_DEFAULT_COST, hash), 0);
    assert_true(password_verify(longest, hash));
    /* bcrypt itself would accept it: only the length check refuses it. */
    assert_false(password_verify(too_long, hash));
    free(longest);
    free(too_long);
}

static void test_known_vectors(void **state)
{
    (void)state;
    assert_true(password_verify(VECTOR_2A_PASSWORD, VECTOR_2A));
    assert_false(password_verify("U*V", VECTOR_2A));
    assert_true(password_verify(VECTOR_2BY_PASSWORD, VECTOR_2B));
    assert_true(password_verify(VECTOR_2BY_PASSWORD, VECTOR_2Y));
    assert_false(password_verify("\xff\xff\xa4", VECTOR_2Y));
}

static void test_2b_and_2y_hashes_verify(void **state)
{
    (void)state;
    char hash_2b[PASSWORD_HASH_MAX], hash_2y[PASSWORD_HASH_MAX];
    hash_with_prefix("$2b$", 4, "secret", hash_2b);
    hash_with_prefix("$2y$", 4, "secret", hash_2y);
    assert_memory_equal(hash_2b, "$2b$", 4);
    assert_memory_equal(hash_2y, "$2y$", 4);
    assert_true(password_verify("secret", hash_2b));
    assert_true(password_verify("secret", hash_2y));
    assert_false(password_verify("Secret", hash_2b));
    assert_false(password_verify("Secret", hash_2y));
}

static void test_unknown_formats_never_verify(void **state)
{
    (void)state;
    char md5[PASSWORD_HASH_MAX];
    hash_with_prefix("$1$", 0, "pw", md5);   /* a valid md5crypt hash of "pw" */
    assert_false(password_verify("pw", md5));
    assert_false(password_verify("pw", "$1$abc"));
    assert_false(password_verify("pw", ""));
    assert_false(password_verify("pw", "*0"));
    assert_false(password_verify("pw", "*1"));
    /* $2x$ is the old sign-extension bug, on purpose: never accepted. */
    assert_false(password_verify(VECTOR_2A_PASSWORD,
                                 "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assert_false(password_verify("pw", "$2a$"));
    assert_false(password_verify("pw", "$2a$05$short"));
    assert_false(password_verify(NULL, VECTOR_2A));
    assert_false(password_verify("pw", NULL));
}

/* crypt_r reads only the 29-byte setting of the stored hash, so every other change to it must
 * be caught by the full comparison. */
static void test_altered_hash_never_verifies(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    strcpy(hash, VECTOR_2A);
    hash[strlen(hash) - 1] = 'X';   /* changed checksum */
    assert_false(password_verify(VECTOR_2A_PASSWORD, hash));
    strcpy(hash, VECTOR_2A "x");    /* trailing byte */
    assert_false(password_verify(VECTOR_2A_PASSWORD, hash));
    strcpy(hash, VECTOR_2A);
    hash[strlen(hash) - 1] = '\0';  /* truncated checksum */
    assert_false(password_verify(VECTOR_2A_PASSWORD, hash));
    hash[29] = '\0';                /* the setting alone */
    assert_false(password_verify(VECTOR_2A_PASSWORD, hash));
    char *huge = repeat('C', 4 * PASSWORD_HASH_MAX);
    memcpy(huge, VECTOR_2A, strlen(VECTOR_2A));
    assert_false(password_verify(VECTOR_2A_PASSWORD, huge));
    free(huge);
}

static void test_dummy_costs_like_a_verify(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("pw", PASSWORD_DEFAULT_COST, hash), 0);
    double start = seconds_now();
    assert_true(password_verify("pw", hash));
    double real = seconds_now() - start;
    start = seconds_now();
    password_verify_dummy("pw");
    double dummy = seconds_now() - start;
    /* Same cost, so about the same time; the factor only absorbs scheduling noise. */
    assert_true(dummy > real / 4);
}

static bool all_alphanumeric(const char *s)
{
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s))
            return false;
    }
    return true;
}

static void test_generate(void **state)
{
    (void)state;
    char first[64], second[64];
    password_generate(first, sizeof first, 20);
    password_generate(second, sizeof second, 20);
    assert_int_equal(strlen(first), 20);
    assert_int_equal(strlen(second), 20);
    assert_true(all_alphanumeric(first));
    assert_true(all_alphanumeric(second));
    assert_string_not_equal(first, second);
}

static void test_generate_truncates_to_buffer(void **state)
{
    (void)state;
    char out[8];
    memset(out, '#', sizeof out);
    password_generate(out, sizeof out, 100);
    assert_int_equal(strlen(out), sizeof out - 1);
    assert_true(all_alphanumeric(out));
    password_generate(out, sizeof out, 0);
    assert_string_equal(out, "");
}

static void test_generate_uses_whole_alphabet(void **state)
{
    (void)state;
    char out[4001];
    password_generate(out, sizeof out, sizeof out - 1);
    bool lower = false, upper = false, digit = false;
    for (const char *p = out; *p; p++) {
        lower |= islower((unsigned char)*p) != 0;
        upper |= isupper((unsigned char)*p) != 0;
        digit |= isdigit((unsigned char)*p) != 0;
    }
    assert_true(lower && upper && digit);
    assert_true(all_alphanumeric(out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_then_verify),
        cmocka_unit_test(test_hash_format),
        cmocka_unit_test(test_hash_cost_is_applied),
        cmocka_unit_test(test_hashes_are_salted),
        cmocka_unit_test(test_hash_refuses_bad_password_length),
        cmocka_unit_test(test_hash_refuses_bad_cost),
        cmocka_unit_test(test_72_bytes_is_the_limit),
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_2b_and_2y_hashes_verify),
        cmocka_unit_test(test_unknown_formats_never_verify),
        cmocka_unit_test(test_altered_hash_never_verifies),
        cmocka_unit_test(test_dummy_costs_like_a_verify),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_generate_truncates_to_buffer),
        cmocka_unit_test(test_generate_uses_whole_alphabet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
