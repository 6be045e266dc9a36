#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "auth/jwt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISSUER "ASWG"
#define NOW 1700000000
#define HS256_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
#define HS256_HEADER_B64 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
#define VALID_PAYLOAD \
    "{\"sub\":\"alice\",\"iss\":\"ASWG\",\"uid\":7,\"iat\":1700000000,\"exp\":1700003600}"
#define MINIMAL_PAYLOAD "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600}"

/* Both made outside C (Python hmac + base64) with key 0x00..0x1f. jwt_sign must emit the first,
 * byte for byte, from alice_claims(); the second has typ before alg, spaces, an unknown claim
 * and no uid/iat. */
#define REFERENCE_TOKEN                                                                   \
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."                                               \
    "eyJzdWIiOiJhbGljZSIsImlzcyI6IkFTV0ciLCJ1aWQiOjcsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNz" \
    "AwMDAzNjAwfQ."                                                                       \
    "67BO5VaO_9olfbcgBoxpkafJh3j1ngZn_U1A0qPiawU"
#define FOREIGN_TOKEN                                                                     \
    "eyJ0eXAiOiJKV1QiLCAiYWxnIjoiSFMyNTYifQ."                                             \
    "eyJpc3MiOiAiQVNXRyIsICJleHAiOiAxNzAwMDAzNjAwLCAic3ViIjogImJvYiIsICJyb2xlIjogImFkbWlu" \
    "In0."                                                                                \
    "RGf-WwLdpRxhRcPHknd2zIz_TTdSb73cheLfW_y7_iA"

static unsigned char key[JWT_KEY_BYTES];
static unsigned char other_key[JWT_KEY_BYTES];

static int setup_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < JWT_KEY_BYTES; i++) {
        key[i] = (unsigned char)i;
        other_key[i] = (unsigned char)(i + 1);
    }
    return sodium_init() < 0 ? -1 : 0;
}

static jwt_claims alice_claims(void)
{
    jwt_claims claims = { .sub = "alice", .iss = ISSUER, .uid = 7, .iat = NOW, .exp = NOW + 3600 };
    return claims;
}

static void assert_claims_equal(const jwt_claims *a, const jwt_claims *b)
{
    assert_string_equal(a->sub, b->sub);
    assert_string_equal(a->iss, b->iss);
    assert_string_equal(a->jti, b->jti);
    assert_int_equal(a->uid, b->uid);
    assert_int_equal(a->iat, b->iat);
    assert_int_equal(a->exp, b->exp);
}

static void assert_claims_zero(const jwt_claims *claims)
{
    static const jwt_claims zero;
    assert_memory_equal(claims, &zero, sizeof zero);
}

/* base64url without padding, malloc'd. */
static char *b64(const void *bin, size_t len)
{
    size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *text = malloc(cap);
    assert_non_null(text);
    return sodium_bin2base64(text, cap, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* "b64(header).b64(payload)", malloc'd. */
static char *signing_input(const char *header, const char *payload)
{
    char *h = b64(header, strlen(header)), *p = b64(payload, strlen(payload));
    size_t cap = strlen(h) + 1 + strlen(p) + 1;
    char *text = malloc(cap);
    assert_non_null(text);
    snprintf(text, cap, "%s.%s", h, p);
    free(h);
    free(p);
    return text;
}

static void append(char **token, const char *suffix)
{
    size_t len = strlen(*token) + strlen(suffix) + 1;
    char *grown = realloc(*token, len);
    assert_non_null(grown);
    strcat(grown, suffix);
    *token = grown;
}

/* A token built independently of jwt.c: HMAC-SHA256 of the signing input with k. */
static char *make_token(const char *header, const char *payload, const unsigned char *k)
{
    char *token = signing_input(header, payload);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k, JWT_KEY_BYTES);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)token, strlen(token));
    crypto_auth_hmacsha256_final(&st, mac);
    char *sig = b64(mac, sizeof mac);
    append(&token, ".");
    append(&token, sig);
    free(sig);
    return token;
}

/* A token whose signature part is the given raw text. */
static char *token_with_signature(const char *header, const char *payload, const char *sig)
{
    char *token = signing_input(header, payload);
    append(&token, ".");
    append(&token, sig);
    return token;
}

static jwt_result verify(const char *token, jwt_claims *out)
{
    return jwt_verify(token, key, ISSUER, NOW, out);
}

static void expect_result(const char *token, jwt_result expected)
{
    jwt_claims out;
    assert_int_equal(verify(token, &out), expected);
    if (expected != JWT_OK && expected != JWT_EXPIRED)
        assert_claims_zero(&out);
}

static void expect_signed_result(const char *header, const char *payload, jwt_result expected)
{
    char *token = make_token(header, payload, key);
    expect_result(token, expected);
    free(token);
}

/* ---- signing ---- */

static void test_sign_matches_reference(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims();
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_string_equal(token, REFERENCE_TOKEN);
    assert_memory_equal(token, HS256_HEADER_B64 ".", strlen(HS256_HEADER_B64) + 1);
    free(token);
}

static void test_round_trip(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims(), out;
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_int_equal(verify(token, &out), JWT_OK);
    assert_claims_equal(&out, &claims);
    free(token);
}

/* The token id makes tokens of the same user issued in the same second differ, so revoking one
 * (logout) never revokes the other. */
static void test_jti_round_trips_and_distinguishes_tokens(void **state)
{
    (void)state;
    jwt_claims a = alice_claims(), b = alice_claims(), out;
    snprintf(a.jti, sizeof a.jti, "0123456789abcdef0123456789abcdef");
    snprintf(b.jti, sizeof b.jti, "fedcba9876543210fedcba9876543210");
    char *ta = jwt_sign(&a, key), *tb = jwt_sign(&b, key);
    assert_non_null(ta);
    assert_non_null(tb);
    assert_string_not_equal(ta, tb);
    assert_int_equal(verify(ta, &out), JWT_OK);
    assert_string_equal(out.jti, a.jti);
    free(ta);
    free(tb);
}

static void test_round_trip_extremes(void **state)
{
    (void)state;
    jwt_claims claims = { .uid = INT64_MIN, .iat = -1, .exp = INT64_MAX }, out;
    memset(claims.sub, 'u', sizeof claims.sub - 1);   /* the longest sub: 63 bytes */
    strcpy(claims.iss, ISSUER);
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_int_equal(verify(token, &out), JWT_OK);
    assert_claims_equal(&out, &claims);
    free(token);
}

static void test_round_trip_utf8_and_escapes(void **state)
{
    (void)state;
    jwt_claims claims = { .sub = "j\xc3\xb6rg \"q\" \\ /\t", .iss = ISSUER, .exp = NOW + 1 }, out;
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_int_equal(verify(token, &out), JWT_OK);
    assert_claims_equal(&out, &claims);
    free(token);
}

static void test_sign_refuses_unsignable_claims(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims();
    memset(claims.sub, 'u', sizeof claims.sub);   /* no NUL */
    assert_null(jwt_sign(&claims, key));
    claims = alice_claims();
    strcpy(claims.iss, "\xff\xfe");   /* not UTF-8 */
    assert_null(jwt_sign(&claims, key));
}

/* ---- interoperability ---- */

static void test_verify_reference_tokens(void **state)
{
    (void)state;
    jwt_claims out, expected = alice_claims();
    assert_int_equal(verify(REFERENCE_TOKEN, &out), JWT_OK);
    assert_claims_equal(&out, &expected);

    assert_int_equal(verify(FOREIGN_TOKEN, &out), JWT_OK);
    assert_string_equal(out.sub, "bob");
    assert_string_equal(out.iss, ISSUER);
    assert_int_equal(out.uid, 0);
    assert_int_equal(out.iat, 0);
    assert_int_equal(out.exp, NOW + 3600);
}

static void test_verify_handmade_token(void **state)
{
    (void)state;
    char *token = make_token(HS256_HEADER, VALID_PAYLOAD, key);
    jwt_claims out, expected = alice_claims();
    assert_string_equal(token, REFERENCE_TOKEN);
    assert_int_equal(verify(token, &out), JWT_OK);
    assert_claims_equal(&out, &expected);
    free(token);
}

/* ---- expiry and issuer ---- */

static void test_expired_fills_claims(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims(), out;
    claims.exp = NOW - 1;
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_int_equal(verify(token, &out), JWT_EXPIRED);
    assert_claims_equal(&out, &claims);
    free(token);
}

static void test_expiry_boundary(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims(), out;
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_int_equal(jwt_verify(token, key, ISSUER, claims.exp - 1, &out), JWT_OK);
    assert_int_equal(jwt_verify(token, key, ISSUER, claims.exp, &out), JWT_EXPIRED);
    assert_claims_equal(&out, &claims);
    free(token);
}

static void test_wrong_issuer(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims(), out;
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    assert_int_equal(jwt_verify(token, key, "OTHER", NOW, &out), JWT_BAD_ISSUER);
    assert_claims_zero(&out);
    assert_int_equal(jwt_verify(token, key, "ASW", NOW, &out), JWT_BAD_ISSUER);
    assert_int_equal(jwt_verify(token, key, "ASWGX", NOW, &out), JWT_BAD_ISSUER);
    /* The issuer is checked before the expiry. */
    assert_int_equal(jwt_verify(token, key, "OTHER", claims.exp, &out), JWT_BAD_ISSUER);
    free(token);
}

/* ---- signatures ---- */

static void test_tampered_payload(void **state)
{
    (void)state;
    jwt_claims claims = alice_claims();
    char *token = jwt_sign(&claims, key);
    assert_non_null(token);
    size_t middle = strlen(HS256_HEADER_B64) + 10;   /* inside the payload part */
    token[middle] = token[middle] == 'A' ? 'B' : 'A';
    expect_result(token, JWT_BAD_SIGNATURE);
    free(token);
}

static void test_swapped_payload(void **state)
{
    (void)state;
    /* alice's signature on a payload naming admin. */
    const char *alice_sig = strrchr(REFERENCE_TOKEN, '.') + 1;
    char *forged = token_with_signature(HS256_HEADER,
                                        "{\"sub\":\"admin\",\"iss\":\"ASWG\",\"uid\":1,"
                                        "\"iat\":1700000000,\"exp\":1700003600}",
                                        alice_sig);
    expect_result(forged, JWT_BAD_SIGNATURE);
    free(forged);
}

static void test_tampered_signature(void **state)
{
    (void)state;
    char *token = strdup(REFERENCE_TOKEN);
    assert_non_null(token);
    char *sig = strrchr(token, '.') + 1;
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
    expect_result(token, JWT_BAD_SIGNATURE);
    free(token);
}

static void test_wrong_key(void **state)
{
    (void)state;
    char *token = make_token(HS256_HEADER, VALID_PAYLOAD, other_key);
    expect_result(token, JWT_BAD_SIGNATURE);
    jwt_claims out;
    assert_int_equal(jwt_verify(token, other_key, ISSUER, NOW, &out), JWT_OK);
    free(token);
}

static void test_signature_length(void **state)
{
    (void)state;
    unsigned char zeros[33] = { 0 };
    char *short_sig = b64(zeros, 31), *long_sig = b64(zeros, 33);
    char *token = token_with_signature(HS256_HEADER, VALID_PAYLOAD, short_sig);
    expect_result(token, JWT_BAD_SIGNATURE);
    free(token);
    token = token_with_signature(HS256_HEADER, VALID_PAYLOAD, long_sig);
    expect_result(token, JWT_BAD_SIGNATURE);
    free(token);
    /* The right MAC followed by one extra byte. */
    char *valid = make_token(HS256_HEADER, VALID_PAYLOAD, key);
    unsigned char raw[33];
    size_t raw_len;
    assert_int_equal(sodium_base642bin(raw, sizeof raw, strrchr(valid, '.') + 1, 43, NULL, &raw_len,
                                       NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    raw[32] = 0;
    char *extended = b64(raw, sizeof raw);
    token = token_with_signature(HS256_HEADER, VALID_PAYLOAD, extended);
    expect_result(token, JWT_BAD_SIGNATURE);
    free(token);
    free(extended);
    free(valid);
    free(short_sig);
    free(long_sig);
}

/* ---- header ---- */

static void test_alg_none(void **state)
{
    (void)state;
    char *token = token_with_signature("{\"alg\":\"none\"}", VALID_PAYLOAD, "");
    expect_result(token, JWT_BAD_ALG);
    free(token);
    token = token_with_signature("{\"alg\":\"none\",\"typ\":\"JWT\"}", VALID_PAYLOAD, "c2ln");
    expect_result(token, JWT_BAD_ALG);
    free(token);
    /* Even with a signature that is right for its bytes. */
    expect_signed_result("{\"alg\":\"none\"}", VALID_PAYLOAD, JWT_BAD_ALG);
}

static void test_hs512_header_with_valid_hs256_mac(void **state)
{
    (void)state;
    expect_signed_result("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", VALID_PAYLOAD, JWT_BAD_ALG);
}

static void test_hs512_token(void **state)
{
    (void)state;
    char *token = signing_input("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", VALID_PAYLOAD);
    unsigned char mac[crypto_auth_hmacsha512_BYTES];
    crypto_auth_hmacsha512_state st;
    crypto_auth_hmacsha512_init(&st, key, JWT_KEY_BYTES);
    crypto_auth_hmacsha512_update(&st, (const unsigned char *)token, strlen(token));
    crypto_auth_hmacsha512_final(&st, mac);
    char *sig = b64(mac, sizeof mac);
    append(&token, ".");
    append(&token, sig);
    expect_result(token, JWT_BAD_ALG);
    free(sig);
    free(token);
}

static void test_header_variants(void **state)
{
    (void)state;
    static const char *const bad_alg[] = {
        "{}",
        "{\"typ\":\"JWT\"}",
        "{\"alg\":\"hs256\"}",
        "{\"alg\":\"HS256 \"}",
        "{\"alg\":\"RS256\"}",
        "{\"alg\":256}",
        "{\"alg\":null}",
        "{\"alg\":[\"HS256\"]}",
        "{\"alg\":\"HS256\",\"typ\":\"jwt\"}",
        "{\"alg\":\"HS256\",\"typ\":1}",
        "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
        "[\"HS256\"]",
        "\"HS256\"",
        "null",
    };
    for (size_t i = 0; i < sizeof bad_alg / sizeof *bad_alg; i++)
        expect_signed_result(bad_alg[i], VALID_PAYLOAD, JWT_BAD_ALG);

    expect_signed_result("{\"alg\":\"HS256\"}", VALID_PAYLOAD, JWT_OK);
    expect_signed_result("{\"alg\":\"HS256\",\"kid\":\"x\",\"typ\":\"JWT\"}", VALID_PAYLOAD,
                         JWT_OK);
    /* Not JSON, or JSON some parsers read differently. */
    expect_signed_result("{\"alg\":\"HS256\"", VALID_PAYLOAD, JWT_MALFORMED);
    expect_signed_result("{\"alg\":\"none\",\"alg\":\"HS256\"}", VALID_PAYLOAD, JWT_MALFORMED);
    expect_signed_result("{\"alg\":\"HS256\"} x", VALID_PAYLOAD, JWT_MALFORMED);
    expect_signed_result("{\"alg\":\"HS256\\u0000\"}", VALID_PAYLOAD, JWT_MALFORMED);
}

/* ---- structure ---- */

static void test_malformed_structure(void **state)
{
    (void)state;
    static const char *const malformed[] = {
        "",
        ".",
        "..",
        "...",
        "abc",
        "abc.def",
        "garbage \x01\xff in here",
        HS256_HEADER_B64,
        HS256_HEADER_B64 ".",
        HS256_HEADER_B64 "..",
        HS256_HEADER_B64 "..abc",
        "." HS256_HEADER_B64 ".abc",
        REFERENCE_TOKEN ".",
        REFERENCE_TOKEN ".abc",
        "." REFERENCE_TOKEN,
    };
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        expect_result(malformed[i], JWT_MALFORMED);
    jwt_claims out;
    assert_int_equal(verify(NULL, &out), JWT_MALFORMED);
}

static void test_empty_signature(void **state)
{
    (void)state;
    char *token = token_with_signature(HS256_HEADER, VALID_PAYLOAD, "");
    expect_result(token, JWT_MALFORMED);
    free(token);
}

/* Replaces the first occurrence of from in a copy of REFERENCE_TOKEN with to. */
static char *reference_with(const char *from, const char *to)
{
    const char *at = strstr(REFERENCE_TOKEN, from);
    assert_non_null(at);
    size_t prefix = (size_t)(at - REFERENCE_TOKEN);
    size_t cap = strlen(REFERENCE_TOKEN) - strlen(from) + strlen(to) + 1;
    char *token = malloc(cap);
    assert_non_null(token);
    snprintf(token, cap, "%.*s%s%s", (int)prefix, REFERENCE_TOKEN, to, at + strlen(from));
    return token;
}

static void test_bad_base64(void **state)
{
    (void)state;
    static const char *const edits[][2] = {
        { "eyJhbGci", "eyJhbGc+" },          /* standard alphabet in the header */
        { "eyJzdWIi", "eyJzdWI/" },          /* ... in the payload */
        { "67BO5VaO", "67BO5Va*" },          /* not base64 at all */
        { "eyJzdWIi", "eyJz dWIi" },         /* whitespace */
        { "IkpXVCJ9.", "IkpXVCJ9=." },       /* padding after the header */
        { "NjAwfQ.", "NjAwfQ==." },          /* ... after the payload: the usual "==" */
        { "qPiawU", "qPiawU=" },             /* ... after the signature */
        { "qPiawU", "qPiawV" },              /* non-zero trailing bits */
        { "qPiawU", "qPiawUAA" },            /* a length no byte count encodes to */
    };
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        char *token = reference_with(edits[i][0], edits[i][1]);
        expect_result(token, JWT_MALFORMED);
        free(token);
    }
}

static void test_length_cap(void **state)
{
    (void)state;
    /* A 3011-byte payload encodes to 4015 chars: 36 + 1 + 4015 + 1 + 43 = 4096 exactly. */
    const char *start = "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600,\"pad\":\"";
    size_t fill = 3011 - strlen(start) - 2;
    char payload[4000];
    snprintf(payload, sizeof payload, "%s%0*d\"}", start, (int)fill, 0);
    char *token = make_token(HS256_HEADER, payload, key);
    assert_int_equal(strlen(token), 4096);
    expect_result(token, JWT_OK);
    free(token);

    snprintf(payload, sizeof payload, "%s%0*d\"}", start, (int)fill + 1, 0);
    token = make_token(HS256_HEADER, payload, key);
    assert_int_equal(strlen(token), 4097);
    expect_result(token, JWT_MALFORMED);
    free(token);

    char huge[100001];
    memset(huge, 'A', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    huge[10] = huge[20] = '.';
    expect_result(huge, JWT_MALFORMED);
}

/* ---- payload ---- */

static void test_payload_not_an_object(void **state)
{
    (void)state;
    static const char *const payloads[] = {
        "[1]", "\"alice\"", "1700003600", "null", "{", "{\"sub\":\"a\"} {}", "\xff",
    };
    for (size_t i = 0; i < sizeof payloads / sizeof *payloads; i++)
        expect_signed_result(HS256_HEADER, payloads[i], JWT_MALFORMED);
}

static void test_payload_claims(void **state)
{
    (void)state;
    static const char *const malformed[] = {
        "{\"iss\":\"ASWG\",\"exp\":1700003600}",
        "{\"sub\":\"a\",\"exp\":1700003600}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\"}",
        "{\"sub\":1,\"iss\":\"ASWG\",\"exp\":1700003600}",
        "{\"sub\":null,\"iss\":\"ASWG\",\"exp\":1700003600}",
        "{\"sub\":\"a\",\"iss\":[\"ASWG\"],\"exp\":1700003600}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":\"1700003600\"}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600.0}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1e10}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":99999999999999999999}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600,\"iat\":\"0\"}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600,\"uid\":\"7\"}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600,\"uid\":null}",
        "{\"sub\":\"a\",\"sub\":\"admin\",\"iss\":\"ASWG\",\"exp\":1700003600}",
        "{\"sub\":\"a\\u0000b\",\"iss\":\"ASWG\",\"exp\":1700003600}",
        "{\"sub\":\"a\",\"iss\":\"ASWG\\u0000\",\"exp\":1700003600}",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        expect_signed_result(HS256_HEADER, malformed[i], JWT_MALFORMED);
    expect_signed_result(HS256_HEADER, "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600,"
                                       "\"x\":{\"y\":[1.5,null]}}",
                         JWT_OK);
}

static void test_claim_string_lengths(void **state)
{
    (void)state;
    char payload[256], name[65];
    memset(name, 'n', 64);
    name[64] = '\0';
    snprintf(payload, sizeof payload, "{\"sub\":\"%s\",\"iss\":\"ASWG\",\"exp\":1700003600}", name);
    expect_signed_result(HS256_HEADER, payload, JWT_MALFORMED);
    name[63] = '\0';
    snprintf(payload, sizeof payload, "{\"sub\":\"%s\",\"iss\":\"ASWG\",\"exp\":1700003600}", name);
    jwt_claims out;
    char *token = make_token(HS256_HEADER, payload, key);
    assert_int_equal(verify(token, &out), JWT_OK);
    assert_string_equal(out.sub, name);
    free(token);

    name[63] = 'n';
    snprintf(payload, sizeof payload, "{\"sub\":\"a\",\"iss\":\"%s\",\"exp\":1700003600}", name);
    token = make_token(HS256_HEADER, payload, key);
    assert_int_equal(jwt_verify(token, key, name, NOW, &out), JWT_MALFORMED);
    free(token);
}

static void test_optional_claims_default_to_zero(void **state)
{
    (void)state;
    jwt_claims out;
    char *token = make_token(HS256_HEADER, MINIMAL_PAYLOAD, key);
    assert_int_equal(verify(token, &out), JWT_OK);
    assert_string_equal(out.sub, "a");
    assert_int_equal(out.uid, 0);
    assert_int_equal(out.iat, 0);
    assert_int_equal(out.exp, NOW + 3600);
    free(token);
}

/* depth brackets around a value, as a JSON text in a static buffer. */
static const char *nested(const char *prefix, int depth, const char *suffix)
{
    static char text[512];
    int len = snprintf(text, sizeof text, "%s", prefix);
    for (int i = 0; i < depth; i++)
        text[len++] = '[';
    text[len++] = '1';
    for (int i = 0; i < depth; i++)
        text[len++] = ']';
    snprintf(text + len, sizeof text - (size_t)len, "%s", suffix);
    return text;
}

static void test_nesting_depth(void **state)
{
    (void)state;
    const char *claims = "{\"sub\":\"a\",\"iss\":\"ASWG\",\"exp\":1700003600,\"x\":";
    /* The object itself is one level. */
    expect_signed_result(HS256_HEADER, nested(claims, 15, "}"), JWT_OK);
    expect_signed_result(HS256_HEADER, nested(claims, 16, "}"), JWT_MALFORMED);
    expect_signed_result(nested("{\"alg\":\"HS256\",\"x\":", 15, "}"), VALID_PAYLOAD, JWT_OK);
    expect_signed_result(nested("", 17, ""), VALID_PAYLOAD, JWT_MALFORMED);
    expect_signed_result(nested("", 16, ""), VALID_PAYLOAD, JWT_BAD_ALG);
    /* Depth, not the number of brackets. */
    expect_signed_result("{\"alg\":\"HS256\",\"x\":[[],[],[],[],[],[],[],[],"
                         "[],[],[],[],[],[],[],[]]}",
                         VALID_PAYLOAD, JWT_OK);
    /* Brackets inside strings, escaped quotes included, do not count. */
    expect_signed_result("{\"alg\":\"HS256\",\"x\":\"\\\"[[[[[[[[[[[[[[[[[[[[\"}", VALID_PAYLOAD,
                         JWT_OK);
}

/* ---- digest ---- */

static void test_digest(void **state)
{
    (void)state;
    char hex[65];
    jwt_digest_hex("abc", hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    jwt_digest_hex("", hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    char other[65];
    jwt_digest_hex(REFERENCE_TOKEN, hex);
    jwt_digest_hex(FOREIGN_TOKEN, other);
    assert_int_equal(strlen(hex), 64);
    assert_string_not_equal(hex, other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_matches_reference),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_jti_round_trips_and_distinguishes_tokens),
        cmocka_unit_test(test_round_trip_extremes),
        cmocka_unit_test(test_round_trip_utf8_and_escapes),
        cmocka_unit_test(test_sign_refuses_unsignable_claims),
        cmocka_unit_test(test_verify_reference_tokens),
        cmocka_unit_test(test_verify_handmade_token),
        cmocka_unit_test(test_expired_fills_claims),
        cmocka_unit_test(test_expiry_boundary),
        cmocka_unit_test(test_wrong_issuer),
        cmocka_unit_test(test_tampered_payload),
        cmocka_unit_test(test_swapped_payload),
        cmocka_unit_test(test_tampered_signature),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_signature_length),
        cmocka_unit_test(test_alg_none),
        cmocka_unit_test(test_hs512_header_with_valid_hs256_mac),
        cmocka_unit_test(test_hs512_token),
        cmocka_unit_test(test_header_variants),
        cmocka_unit_test(test_malformed_structure),
        cmocka_unit_test(test_empty_signature),
        cmocka_unit_test(test_bad_base64),
        cmocka_unit_test(test_length_cap),
        cmocka_unit_test(test_payload_not_an_object),
        cmocka_unit_test(test_payload_claims),
        cmocka_unit_test(test_claim_string_lengths),
        cmocka_unit_test(test_optional_claims_default_to_zero),
        cmocka_unit_test(test_nesting_depth),
        cmocka_unit_test(test_digest),
    };
    return cmocka_run_group_tests(tests, setup_keys, NULL);
}
