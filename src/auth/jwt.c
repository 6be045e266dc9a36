#include "auth/jwt.h"

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define JWT_MAX_TOKEN 4096                        /* longer tokens are refused unparsed */
#define JWT_MAX_DECODED (JWT_MAX_TOKEN / 4 * 3)   /* upper bound of any decoded part */
#define JWT_MAX_JSON_DEPTH 16                    /* see nesting_is_shallow() */
#define JWT_HEADER_JSON "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

typedef struct token_part {
    const char *text;
    size_t len;
} token_part;

typedef struct decoded_part {
    unsigned char bytes[JWT_MAX_DECODED];
    size_t len;
} decoded_part;

static void hmac_sha256(const unsigned char key[JWT_KEY_BYTES], const char *msg, size_t len,
                        unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key, JWT_KEY_BYTES);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)msg, len);
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof state);   /* holds key-derived pads */
}

/* ---- signing ---- */

/* Encodes bin at dst (capacity cap) and returns the encoded length, not counting the NUL. */
static size_t encode_at(char *dst, size_t cap, const void *bin, size_t len)
{
    sodium_bin2base64(dst, cap, bin, len, B64_VARIANT);
    return strlen(dst);
}

static char *payload_json(const jwt_claims *claims)
{
    /* An unterminated sub/iss could not round-trip through jwt_verify: refuse it. */
    if (strnlen(claims->sub, sizeof claims->sub) == sizeof claims->sub ||
        strnlen(claims->iss, sizeof claims->iss) == sizeof claims->iss ||
        strnlen(claims->jti, sizeof claims->jti) == sizeof claims->jti)
        return NULL;
    /* json_pack fails (NULL) on OOM and on strings that are not valid UTF-8. */
    json_t *payload = json_pack("{s:s, s:s, s:I, s:I, s:I}", "sub", claims->sub, "iss", claims->iss,
                                "uid", (json_int_t)claims->uid, "iat", (json_int_t)claims->iat,
                                "exp", (json_int_t)claims->exp);
    if (payload && claims->jti[0] && json_object_set_new(payload, "jti", json_string(claims->jti)) != 0) {
        json_decref(payload);
        return NULL;
    }
    if (!payload)
        return NULL;
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    return text;
}

char *jwt_sign(const jwt_claims *claims, const unsigned char key[JWT_KEY_BYTES])
{
    if (sodium_init() < 0)
        return NULL;
    char *payload = payload_json(claims);
    if (!payload)
        return NULL;
    size_t header_len = strlen(JWT_HEADER_JSON), payload_len = strlen(payload);
    /* Each ENCODED_LEN counts a NUL: two of those three bytes hold the dots. */
    size_t cap = sodium_base64_ENCODED_LEN(header_len, B64_VARIANT) +
                 sodium_base64_ENCODED_LEN(payload_len, B64_VARIANT) +
                 sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, B64_VARIANT);
    char *token = malloc(cap);
    if (!token) {
        free(payload);
        return NULL;
    }
    size_t pos = encode_at(token, cap, JWT_HEADER_JSON, header_len);
    token[pos++] = '.';
    pos += encode_at(token + pos, cap - pos, payload, payload_len);
    free(payload);

    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    hmac_sha256(key, token, pos, mac);
    token[pos++] = '.';
    encode_at(token + pos, cap - pos, mac, sizeof mac);
    return token;
}

/* ---- verification ---- */

/* Splits at the dots into exactly three parts (emptiness is left to decode_part). */
static bool split_token(const char *token, size_t len, token_part parts[3])
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && token[i] != '.')
            continue;
        if (count == 3)
            return false;
        parts[count++] = (token_part){ token + start, i - start };
        start = i + 1;
    }
    return count == 3;
}

/* Strict base64url without padding: '=', other alphabets and non-zero trailing bits all fail,
 * and so does an empty part. */
static bool decode_part(token_part part, decoded_part *out)
{
    return part.len > 0 && sodium_base642bin(out->bytes, sizeof out->bytes, part.text, part.len,
                                             NULL, &out->len, NULL, B64_VARIANT) == 0;
}

/* jansson recurses once per nesting level (up to 2048): on a 3 KB header, that is enough to
 * overflow a small thread stack before any signature is checked. Counts brackets outside
 * strings; on valid JSON this is exact, and invalid JSON is left for jansson to refuse. */
static bool nesting_is_shallow(const decoded_part *part)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < part->len; i++) {
        unsigned char c = part->bytes[i];
        if (in_string) {
            if (c == '\\')
                i++;   /* the escaped byte cannot end the string */
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > JWT_MAX_JSON_DEPTH)
                return false;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return true;
}

/* Duplicate keys are refused so that no other JSON parser can read a different "alg" or "sub". */
static json_t *load_json(const decoded_part *part, size_t flags)
{
    if (!nesting_is_shallow(part))
        return NULL;
    return json_loadb((const char *)part->bytes, part->len, flags | JSON_REJECT_DUPLICATES, NULL);
}

/* The parser refuses \u0000 (no JSON_ALLOW_NUL), so strcmp compares the whole string. */
static bool json_string_is(const json_t *value, const char *expected)
{
    return json_is_string(value) && strcmp(json_string_value(value), expected) == 0;
}

/* Any JSON value may arrive here: json_object_get() returns NULL for non-objects. */
static bool header_is_hs256(const json_t *header)
{
    if (!json_string_is(json_object_get(header, "alg"), "HS256"))
        return false;
    const json_t *typ = json_object_get(header, "typ");
    if (typ && !json_string_is(typ, "JWT"))
        return false;
    /* "crit" names extensions the recipient must understand; we understand none. */
    return json_object_get(header, "crit") == NULL;
}

static jwt_result check_header(const decoded_part *part)
{
    json_t *header = load_json(part, JSON_DECODE_ANY);
    if (!header)
        return JWT_MALFORMED;
    jwt_result result = header_is_hs256(header) ? JWT_OK : JWT_BAD_ALG;
    json_decref(header);
    return result;
}

static bool signature_matches(const unsigned char key[JWT_KEY_BYTES], const char *signed_text,
                              size_t signed_len, const decoded_part *signature)
{
    if (signature->len != crypto_auth_hmacsha256_BYTES)
        return false;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    hmac_sha256(key, signed_text, signed_len, mac);
    return sodium_memcmp(mac, signature->bytes, sizeof mac) == 0;
}

static bool copy_claim_string(char *dst, size_t dst_size, const char *src, size_t src_len)
{
    if (src_len >= dst_size)
        return false;
    memcpy(dst, src, src_len);
    dst[src_len] = '\0';
    return true;
}

static bool parse_claims(const decoded_part *part, jwt_claims *claims)
{
    json_t *payload = load_json(part, 0);
    if (!payload)
        return false;
    const char *sub, *iss, *jti = "";
    size_t sub_len, iss_len, jti_len = 0;
    json_int_t exp, iat = 0, uid = 0;   /* optional claims keep these defaults */
    /* Fails unless payload is an object with string sub/iss and integer exp (and iat/uid/jti if
     * present); other claims are ignored. */
    bool ok = json_unpack(payload, "{s:s%, s:s%, s:I, s?I, s?I, s?s%}", "sub", &sub, &sub_len,
                          "iss", &iss, &iss_len, "exp", &exp, "iat", &iat, "uid", &uid,
                          "jti", &jti, &jti_len) == 0 &&
              copy_claim_string(claims->sub, sizeof claims->sub, sub, sub_len) &&
              copy_claim_string(claims->iss, sizeof claims->iss, iss, iss_len) &&
              copy_claim_string(claims->jti, sizeof claims->jti, jti, jti_len);
    if (ok) {
        claims->exp = exp;
        claims->iat = iat;
        claims->uid = uid;
    }
    json_decref(payload);   /* sub and iss point into it: copied above */
    return ok;
}

jwt_result jwt_verify(const char *token, const unsigned char key[JWT_KEY_BYTES],
                      const char *expected_issuer, int64_t now, jwt_claims *out)
{
    memset(out, 0, sizeof *out);
    if (!token || sodium_init() < 0)
        return JWT_MALFORMED;
    size_t len = strnlen(token, JWT_MAX_TOKEN + 1);
    token_part parts[3];
    if (len > JWT_MAX_TOKEN || !split_token(token, len, parts))
        return JWT_MALFORMED;
    decoded_part header, payload, signature;
    if (!decode_part(parts[0], &header) || !decode_part(parts[1], &payload))
        return JWT_MALFORMED;

    /* The header is judged before the signature is even decoded, so that an alg "none" token
     * (typically with an empty signature) reports JWT_BAD_ALG. */
    jwt_result result = check_header(&header);
    if (result != JWT_OK)
        return result;
    if (!decode_part(parts[2], &signature))
        return JWT_MALFORMED;
    size_t signed_len = (size_t)(parts[2].text - token) - 1;   /* "header.payload" */
    if (!signature_matches(key, token, signed_len, &signature))
        return JWT_BAD_SIGNATURE;

    jwt_claims claims = { 0 };
    if (!parse_claims(&payload, &claims))
        return JWT_MALFORMED;
    if (!expected_issuer || strcmp(claims.iss, expected_issuer) != 0)
        return JWT_BAD_ISSUER;
    *out = claims;
    return now >= claims.exp ? JWT_EXPIRED : JWT_OK;
}

/* SHA-256 and hex encoding need no sodium_init(): they use no CPU dispatch and no randomness. */
void jwt_digest_hex(const char *token, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, digest, sizeof digest);
}
