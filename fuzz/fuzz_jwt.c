/* libFuzzer target for jwt_verify. Each input is verified twice: as it is (the parser and header
 * checks), and with its signature replaced by the right one for the fixed key, so that mutated
 * payloads get past the MAC and reach the claims parser. Whatever verifies must re-sign into a
 * token that verifies to the same claims. */
#include "auth/jwt.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ISSUER "ASWG"
#define FUZZ_NOW 1700000000

/* 0x00..0x1f, the key the seed tokens in fuzz/corpus/jwt are signed with. */
static const unsigned char KEY[JWT_KEY_BYTES] = {
    0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

static bool claims_equal(const jwt_claims *a, const jwt_claims *b)
{
    return strcmp(a->sub, b->sub) == 0 && strcmp(a->iss, b->iss) == 0 && a->uid == b->uid &&
           a->iat == b->iat && a->exp == b->exp;
}

static void check_resign(jwt_result result, const jwt_claims *claims)
{
    if (result != JWT_OK && result != JWT_EXPIRED)
        return;
    char *again = jwt_sign(claims, KEY);
    if (!again)
        abort();   /* claims that verified must be signable */
    jwt_claims round;
    if (jwt_verify(again, KEY, FUZZ_ISSUER, FUZZ_NOW, &round) != result ||
        !claims_equal(&round, claims))
        abort();
    free(again);
}

static void verify_and_check(const char *token)
{
    jwt_claims claims;
    check_resign(jwt_verify(token, KEY, FUZZ_ISSUER, FUZZ_NOW, &claims), &claims);
}

/* token with everything after its last dot replaced by the HS256 MAC of what precedes it, or
 * NULL when it has no dot. */
static char *with_valid_signature(const char *token)
{
    const char *dot = strrchr(token, '.');
    if (!dot)
        return NULL;
    size_t signed_len = (size_t)(dot - token);
    size_t sig_cap = sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
                                               sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *resigned = malloc(signed_len + 1 + sig_cap);
    if (!resigned)
        return NULL;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, KEY, sizeof KEY);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)token, signed_len);
    crypto_auth_hmacsha256_final(&state, mac);
    memcpy(resigned, token, signed_len + 1);   /* up to and including the dot */
    sodium_bin2base64(resigned + signed_len + 1, sig_cap, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return resigned;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *token = malloc(size + 1);
    if (!token)
        return 0;
    memcpy(token, data, size);
    token[size] = '\0';
    verify_and_check(token);
    char *resigned = with_valid_signature(token);
    if (resigned) {
        verify_and_check(resigned);
        free(resigned);
    }
    free(token);
    return 0;
}
