#include "auth/auth_service.h"

#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/token_repository.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "http/ratelimit.h"
#include "users/user_repository.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct {
    unsigned char key[JWT_KEY_BYTES];
    rate_limiter *login_limiter;
} g_auth;

static int load_key(const char *path, char *err, size_t err_size)
{
    size_t len = 0;
    unsigned char *data = (unsigned char *)fs_read_all(path, &len);
    if (!data) {
        snprintf(err, err_size, "%s: cannot read the token signing key: %s", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    if (len != JWT_KEY_BYTES) {
        snprintf(err, err_size, "%s: the token signing key must be %d bytes (delete it to make a new one)",
                 path, JWT_KEY_BYTES);
        rc = -1;
    } else {
        memcpy(g_auth.key, data, JWT_KEY_BYTES);
    }
    sodium_memzero(data, len);
    free(data);
    struct stat st;
    if (rc == 0 && stat(path, &st) == 0 && (st.st_mode & 077)) {
        log_warn("%s was readable by others; restricting it to mode 0600", path);
        chmod(path, 0600);
    }
    return rc;
}

static int create_key(const char *path, char *err, size_t err_size)
{
    randombytes_buf(g_auth.key, sizeof g_auth.key);
    if (fs_write_atomic(path, g_auth.key, sizeof g_auth.key, 0600) != 0) {
        snprintf(err, err_size, "%s: cannot write the token signing key: %s", path, strerror(errno));
        return -1;
    }
    log_info("created a new token signing key in %s", path);
    return 0;
}

int auth_init(const char *data_dir, char *err, size_t err_size)
{
    char *path = fs_join(data_dir, AUTH_KEY_FILE);
    if (!path) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int rc = fs_exists(path) ? load_key(path, err, err_size) : create_key(path, err, err_size);
    free(path);
    if (rc == 0) {
        g_auth.login_limiter = rate_limiter_new(2048);
        if (!g_auth.login_limiter) {
            snprintf(err, err_size, "out of memory");
            rc = -1;
        }
    }
    return rc;
}

void auth_shutdown(void)
{
    sodium_memzero(g_auth.key, sizeof g_auth.key);
    rate_limiter_free(g_auth.login_limiter);
    g_auth.login_limiter = NULL;
}

/* Both the client IP and the username get their own budget, so neither spraying many names from
 * one address nor hammering one name from many addresses goes unchecked. */
static int login_throttle(const char *username, const char *client_ip)
{
    int64_t per_minute = config_int("aswg.security.login-rate-limit.attempts-per-minute");
    int64_t now = db_now_ms();
    char key[128];
    snprintf(key, sizeof key, "ip:%s", client_ip);
    int wait_ip = rate_limiter_take(g_auth.login_limiter, key, per_minute, now);
    snprintf(key, sizeof key, "user:%s", username);
    int wait_user = rate_limiter_take(g_auth.login_limiter, key, per_minute, now);
    return wait_ip > wait_user ? wait_ip : wait_user;
}

static char *issue_token(const user_record *user)
{
    jwt_claims claims = {0};
    snprintf(claims.sub, sizeof claims.sub, "%s", user->username);
    snprintf(claims.iss, sizeof claims.iss, "%s", config_str("aswg.security.jwt.issuer"));
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(claims.jti, sizeof claims.jti, id, sizeof id);
    claims.uid = user->id;
    claims.iat = db_now_ms() / 1000;
    claims.exp = claims.iat + config_duration_ms("aswg.security.jwt.expiration-time") / 1000;
    return jwt_sign(&claims, g_auth.key);
}

aswg_err auth_login(const char *username, const char *password, const char *client_ip,
                    login_result *out)
{
    memset(out, 0, sizeof *out);
    out->retry_after = login_throttle(username, client_ip);
    if (out->retry_after > 0) {
        log_warn("login attempts for '%.36s' from %s throttled", username, client_ip);
        return ERR_TOO_MANY_REQUESTS;
    }
    user_record user;
    db_result found = user_repo_find_by_username(username, &user);
    if (found == DB_ERROR)
        return ERR_SERVER_ERROR;
    if (found == DB_NOT_FOUND) {
        password_verify_dummy(password);
        return ERR_BAD_CREDENTIALS;
    }
    if (!password_verify(password, user.password_hash) || user.locked) {
        log_warn("failed login for '%s' from %s%s", user.username, client_ip, user.locked ? " (locked)" : "");
        return ERR_BAD_CREDENTIALS;
    }
    if (user_repo_touch_login(user.id, db_now_ms()) != DB_OK)
        return ERR_SERVER_ERROR;
    out->token = issue_token(&user);
    if (!out->token)
        return ERR_SERVER_ERROR;
    out->authorities = user.authorities;
    log_info("user '%s' logged in from %s", user.username, client_ip);
    return ERR_OK;
}

aswg_err auth_authenticate(const char *token, auth_user *out, char *message, size_t message_size)
{
    jwt_claims claims;
    jwt_result r = jwt_verify(token, g_auth.key, config_str("aswg.security.jwt.issuer"),
                              db_now_ms() / 1000, &claims);
    if (r != JWT_OK)
        return r == JWT_EXPIRED ? ERR_AUTH_TOKEN_EXPIRED : ERR_BAD_AUTH_TOKEN;
    char digest[65];
    jwt_digest_hex(token, digest);
    db_result revoked = token_repo_find(digest);
    if (revoked == DB_ERROR)
        return ERR_SERVER_ERROR;
    if (revoked == DB_OK) {
        snprintf(message, message_size, "Auth token has been revoked (logged out).");
        return ERR_BAD_AUTH_TOKEN;
    }
    user_record user;
    db_result found = claims.uid > 0 ? user_repo_find_by_id(claims.uid, &user)
                                     : user_repo_find_by_username(claims.sub, &user);
    if (found == DB_ERROR)
        return ERR_SERVER_ERROR;
    if (found == DB_NOT_FOUND || user.locked) {
        snprintf(message, message_size, "%s", found == DB_NOT_FOUND ? "User no longer exists." : "User is locked.");
        return ERR_BAD_AUTH_TOKEN;
    }
    /* Seconds, as iat: a token issued in the second of the change (the new login) stays valid. */
    if (claims.iat < user.password_changed_ms / 1000) {
        snprintf(message, message_size, "The password was changed: log in again.");
        return ERR_BAD_AUTH_TOKEN;
    }
    out->id = user.id;
    snprintf(out->username, sizeof out->username, "%s", user.username);
    out->authorities = user.authorities;
    out->token_exp = claims.exp;
    return ERR_OK;
}

void auth_logout(const char *token)
{
    if (!token)
        return;
    jwt_claims claims;
    if (jwt_verify(token, g_auth.key, config_str("aswg.security.jwt.issuer"), db_now_ms() / 1000,
                   &claims) != JWT_OK)
        return;
    char digest[65];
    jwt_digest_hex(token, digest);
    if (token_repo_revoke(digest, claims.exp * 1000, db_now_ms()) == DB_OK)
        log_info("user '%s' logged out", claims.sub);
}

int auth_forget_expired_revocations(int64_t *removed)
{
    return token_repo_delete_expired(db_now_ms(), removed) == DB_OK ? 0 : -1;
}
