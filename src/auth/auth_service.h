/* Logging in and out, and checking the token of every request. */
#ifndef ASWG_AUTH_AUTH_SERVICE_H
#define ASWG_AUTH_AUTH_SERVICE_H

#include "auth/auth_user.h"
#include "core/errors.h"

#include <stddef.h>
#include <stdint.h>

#define AUTH_KEY_FILE "jwt-signing.key"

/* Loads the token signing key from <data_dir>/jwt-signing.key, creating it (32 random bytes,
 * mode 0600) on first start, so tokens survive restarts. */
int auth_init(const char *data_dir, char *err, size_t err_size);
void auth_shutdown(void);

typedef struct login_result {
    char *token;                /* malloc'd */
    authority_set authorities;
    int retry_after;            /* seconds, with ERR_TOO_MANY_REQUESTS */
} login_result;

/* Checks the per-IP and per-username attempt limits, then the credentials. Locked users and
 * unknown users get ERR_BAD_CREDENTIALS like a wrong password, after the same bcrypt work. */
aswg_err auth_login(const char *username, const char *password, const char *client_ip,
                    login_result *out);

/* The http_authenticator: verifies token, rejects revoked tokens, loads the (unlocked) user. */
aswg_err auth_authenticate(const char *token, auth_user *out, char *message, size_t message_size);

/* Revokes token when it is valid; anything else is ignored (logout always succeeds). */
void auth_logout(const char *token);

/* Forgets revoked tokens that have expired anyway (the JWT_CLEANER job). -1 on a database error. */
int auth_forget_expired_revocations(int64_t *removed);

#endif
