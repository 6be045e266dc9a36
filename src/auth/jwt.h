/* HS256 JSON Web Tokens, hand-rolled on libsodium: the algorithm is pinned, there are no header
 * features (no jku, no kid, no zip), and signatures are compared in constant time. */
#ifndef ASWG_AUTH_JWT_H
#define ASWG_AUTH_JWT_H

#include <stddef.h>
#include <stdint.h>

#define JWT_KEY_BYTES 32

typedef struct jwt_claims {
    char sub[64];     /* username */
    char iss[64];     /* issuer, e.g. "ASWG" */
    char jti[33];     /* token id: random, so that two tokens never coincide (optional) */
    int64_t uid;      /* user id (extra claim "uid"), 0 if absent */
    int64_t iat;      /* issued at, seconds since the epoch */
    int64_t exp;      /* expires at, seconds since the epoch */
} jwt_claims;

typedef enum jwt_result {
    JWT_OK = 0,
    JWT_MALFORMED,     /* not three base64url parts, bad JSON, missing/ill-typed claims */
    JWT_BAD_ALG,       /* header is not exactly alg HS256 (typ JWT optional) */
    JWT_BAD_SIGNATURE,
    JWT_BAD_ISSUER,
    JWT_EXPIRED,       /* signature and issuer fine, but now >= exp */
} jwt_result;

/* Signs claims into a compact token "header.payload.signature" (malloc'd). NULL on OOM, or when
 * sub/iss/jti are not NUL-terminated within their buffers or not valid UTF-8. */
char *jwt_sign(const jwt_claims *claims, const unsigned char key[JWT_KEY_BYTES]);

/* Verifies token: exact HS256 header first, then signature (constant time), then the issuer must
 * equal expected_issuer, then now < exp. On JWT_OK and JWT_EXPIRED out holds the claims. */
jwt_result jwt_verify(const char *token, const unsigned char key[JWT_KEY_BYTES],
                      const char *expected_issuer, int64_t now, jwt_claims *out);

/* SHA-256 of token as 64 lowercase hex chars + NUL: what the revocation list stores. */
void jwt_digest_hex(const char *token, char out[65]);

#endif
