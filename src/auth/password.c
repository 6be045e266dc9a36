#include "auth/password.h"

#include <crypt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define BCRYPT_NEW_PREFIX "$2a$"   /* what jBCrypt reads; see password.h */
#define BCRYPT_PREFIX_LEN 4
#define BCRYPT_MIN_COST 10
#define BCRYPT_MAX_COST 15

/* A cost-10 hash of a random, forgotten password: verifying against it costs what a real
 * verify of a default-cost hash costs, and nothing can match it knowingly. */
static const char DUMMY_HASH[] = "$2a$10$U/hdUFgvhTCJLXszQLY7FORoyg6msOysIvBUFAoF.CKzTs/SEBvjy";

static const char ALPHANUMERIC[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static bool has_bcrypt_prefix(const char *hash)
{
    return strncmp(hash, "$2a$", BCRYPT_PREFIX_LEN) == 0 ||
           strncmp(hash, "$2b$", BCRYPT_PREFIX_LEN) == 0 ||
           strncmp(hash, "$2y$", BCRYPT_PREFIX_LEN) == 0;
}

/* Runs crypt_r with its ~32 KB scratch area on the heap (server threads have small stacks) and
 * copies the result into out. Returns false on OOM, on a failure token ("*0", "*1") or when the
 * result does not fit. */
static bool bcrypt_into(const char *password, const char *setting, char out[PASSWORD_HASH_MAX])
{
    struct crypt_data *data = calloc(1, sizeof *data);
    if (!data)
        return false;
    const char *result = crypt_r(password, setting, data);
    bool ok = result && result[0] != '*' && strlen(result) < PASSWORD_HASH_MAX;
    if (ok)
        strcpy(out, result);
    sodium_memzero(data, sizeof *data);   /* scratch holds password-derived state */
    free(data);
    return ok;
}

int password_hash(const char *password, int cost, char out[PASSWORD_HASH_MAX])
{
    out[0] = '\0';
    size_t len = password ? strnlen(password, PASSWORD_MAX_BYTES + 1) : 0;
    if (len == 0 || len > PASSWORD_MAX_BYTES || cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST)
        return -1;
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    /* NULL random bytes: libxcrypt draws the salt from the OS. */
    if (!crypt_gensalt_rn(BCRYPT_NEW_PREFIX, (unsigned long)cost, NULL, 0, salt, sizeof salt))
        return -1;
    char hash[PASSWORD_HASH_MAX];
    if (!bcrypt_into(password, salt, hash) ||
        strncmp(hash, BCRYPT_NEW_PREFIX, BCRYPT_PREFIX_LEN) != 0)
        return -1;
    strcpy(out, hash);
    return 0;
}

bool password_verify(const char *password, const char *hash)
{
    if (!password || !hash || !has_bcrypt_prefix(hash) ||
        strnlen(password, PASSWORD_MAX_BYTES + 1) > PASSWORD_MAX_BYTES)
        return false;
    size_t hash_len = strnlen(hash, PASSWORD_HASH_MAX);
    char computed[PASSWORD_HASH_MAX];
    if (hash_len == PASSWORD_HASH_MAX || !bcrypt_into(password, hash, computed))
        return false;
    /* Also fails for a stored hash with trailing bytes that crypt_r ignored. */
    return strlen(computed) == hash_len && sodium_memcmp(computed, hash, hash_len) == 0;
}

void password_verify_dummy(const char *password)
{
    (void)password_verify(password, DUMMY_HASH);
}

void password_generate(char *out, size_t out_size, size_t len)
{
    if (out_size == 0)
        return;
    if (len >= out_size)
        len = out_size - 1;
    if (sodium_init() < 0)   /* fail safe: an empty password is refused by password_hash */
        len = 0;
    for (size_t i = 0; i < len; i++)
        out[i] = ALPHANUMERIC[randombytes_uniform((uint32_t)(sizeof ALPHANUMERIC - 1))];
    out[len] = '\0';
}
