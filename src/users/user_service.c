#include "users/user_service.h"

#include "auth/authorities.h"
#include "auth/password.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GENERATED_PASSWORD_LEN 20

static aswg_err from_db(db_result r, aswg_err not_found)
{
    switch (r) {
    case DB_OK: return ERR_OK;
    case DB_NOT_FOUND: return not_found;
    case DB_CONFLICT: return ERR_USER_ALREADY_EXISTS;
    case DB_ERROR: break;
    }
    return ERR_SERVER_ERROR;
}

static bool valid_username(const char *name, char *message, size_t message_size)
{
    size_t len = strlen(name);
    if (len == 0 || len > USERNAME_MAX) {
        snprintf(message, message_size, "Field 'username' must be 1 to %d characters", USERNAME_MAX);
        return false;
    }
    if (isspace((unsigned char)name[0]) || isspace((unsigned char)name[len - 1])) {
        snprintf(message, message_size, "Field 'username' must not start or end with whitespace");
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(message, message_size, "Field 'username' must not contain control characters");
            return false;
        }
    }
    return true;
}

static bool hash_new_password(const char *password, char hash[PASSWORD_HASH_MAX], char *message,
                              size_t message_size)
{
    size_t len = strlen(password);
    if (len == 0 || len > PASSWORD_MAX_BYTES) {
        snprintf(message, message_size, "Field 'password' must be 1 to %d bytes", PASSWORD_MAX_BYTES);
        return false;
    }
    if (password_hash(password, PASSWORD_DEFAULT_COST, hash) != 0) {
        snprintf(message, message_size, "Password could not be hashed");
        return false;
    }
    return true;
}

/* ---- default user ---- */

static int store_initial_password(const char *data_dir, const char *username, const char *password)
{
    char *path = fs_join(data_dir, INITIAL_PASSWORD_FILE);
    if (!path)
        return -1;
    char text[160];
    int len = snprintf(text, sizeof text, "%s\n", password);
    int rc = fs_write_atomic(path, text, (size_t)len, 0600);
    sodium_memzero(text, sizeof text);
    if (rc == 0) {
        /* Printed once, to the console only: the log file never sees it. */
        printf("\n  aswg: generated password for user '%s': %s\n"
               "  (also stored in %s; change it after your first login)\n\n",
               username, password, path);
        fflush(stdout);
    }
    free(path);
    return rc;
}

/* The configured password, or a generated one (stored and printed). */
static int default_password(const char *data_dir, const char *username, char *out, size_t size)
{
    const char *configured = config_str("aswg.default-user.password");
    if (configured[0]) {
        snprintf(out, size, "%s", configured);
        return 0;
    }
    password_generate(out, size, GENERATED_PASSWORD_LEN);
    return store_initial_password(data_dir, username, out);
}

static int create_default_user(const char *data_dir, const char *username, char *err, size_t err_size)
{
    char password[PASSWORD_MAX_BYTES + 1];
    user_record user = {0};
    snprintf(user.username, sizeof user.username, "%s", username);
    user.created_ms = db_now_ms();
    user.authorities = AUTHORITY_ALL;
    int rc = default_password(data_dir, username, password, sizeof password);
    if (rc == 0 && !hash_new_password(password, user.password_hash, err, err_size))
        rc = -1;
    sodium_memzero(password, sizeof password);
    int64_t id;
    if (rc == 0 && user_repo_insert(&user, &id) != DB_OK) {
        snprintf(err, err_size, "cannot create the default user '%s'", username);
        rc = -1;
    }
    if (rc == 0)
        log_info("created default user '%s'", username);
    return rc;
}

static int reset_default_user(const char *data_dir, const user_record *user, char *err, size_t err_size)
{
    char password[PASSWORD_MAX_BYTES + 1];
    char hash[PASSWORD_HASH_MAX];
    int rc = default_password(data_dir, user->username, password, sizeof password);
    if (rc == 0 && !hash_new_password(password, hash, err, err_size))
        rc = -1;
    sodium_memzero(password, sizeof password);
    if (rc == 0 && user_repo_reset(user->id, hash, db_now_ms()) != DB_OK) {
        snprintf(err, err_size, "cannot reset the default user '%s'", user->username);
        rc = -1;
    }
    if (rc == 0)
        log_info("reset password of default user '%s' (aswg.default-user.reset=true)", user->username);
    return rc;
}

int users_ensure_default(const char *data_dir, char *err, size_t err_size)
{
    const char *username = config_str("aswg.default-user.username");
    if (!username[0])
        return 0;
    char why[160];
    if (!valid_username(username, why, sizeof why)) {
        snprintf(err, err_size, "aswg.default-user.username: %s", why);
        return -1;
    }
    if (db_tx_begin() != 0) {
        snprintf(err, err_size, "cannot start a database transaction");
        return -1;
    }
    user_record user;
    db_result found = user_repo_find_by_username(username, &user);
    int rc = -1;
    if (found == DB_NOT_FOUND) {
        rc = create_default_user(data_dir, username, err, err_size);
    } else if (found == DB_OK) {
        rc = config_bool("aswg.default-user.reset") ? reset_default_user(data_dir, &user, err, err_size) : 0;
        if (rc == 0 && user_repo_set_authorities(user.id, AUTHORITY_ALL) != DB_OK) {
            snprintf(err, err_size, "cannot grant authorities to the default user");
            rc = -1;
        }
    } else {
        snprintf(err, err_size, "cannot read users from the database");
    }
    if (rc == 0 && db_tx_commit() == 0)
        return 0;
    db_tx_rollback();
    return -1;
}

/* ---- users API ---- */

aswg_err users_get(int64_t id, user_record *out)
{
    return from_db(user_repo_find_by_id(id, out), ERR_USER_NOT_FOUND);
}

aswg_err users_list(user_record **out, size_t *count)
{
    return from_db(user_repo_list(out, count), ERR_SERVER_ERROR);
}

aswg_err users_create(const char *username, const char *password, authority_set authorities,
                      char *message, size_t message_size)
{
    user_record user = {0};
    if (!valid_username(username, message, message_size))
        return ERR_BAD_REQUEST;
    if (!hash_new_password(password, user.password_hash, message, message_size))
        return ERR_BAD_REQUEST;
    snprintf(user.username, sizeof user.username, "%s", username);
    user.created_ms = db_now_ms();
    user.authorities = authorities;
    if (db_tx_begin() != 0)
        return ERR_SERVER_ERROR;
    int64_t id;
    db_result r = user_repo_insert(&user, &id);
    if (r != DB_OK || db_tx_commit() != 0) {
        db_tx_rollback();
        return r == DB_OK ? ERR_SERVER_ERROR : from_db(r, ERR_SERVER_ERROR);
    }
    log_info("created user '%s' (id %lld)", username, (long long)id);
    return ERR_OK;
}

aswg_err users_update(const auth_user *actor, int64_t id, const char *username,
                      const authority_set *authorities, const bool *locked, char *message,
                      size_t message_size)
{
    if (username && !valid_username(username, message, message_size))
        return ERR_BAD_REQUEST;
    if (locked && *locked && actor->id == id) {
        snprintf(message, message_size, "You cannot lock yourself.");
        return ERR_CANNOT_MODIFY_SELF;
    }
    /* Whoever manages the users keeps that right: the last admin cannot lock everyone out. */
    int manage = authority_index("USERS_UPDATE");
    if (authorities && actor->id == id && manage >= 0 && !(*authorities & (UINT64_C(1) << manage))) {
        snprintf(message, message_size, "You cannot take USERS_UPDATE from yourself.");
        return ERR_CANNOT_MODIFY_SELF;
    }
    if (db_tx_begin() != 0)
        return ERR_SERVER_ERROR;
    user_record user;
    db_result r = user_repo_find_by_id(id, &user);
    if (r == DB_OK)
        r = user_repo_update(id, username ? username : user.username, locked ? *locked : user.locked);
    if (r == DB_OK && authorities)
        r = user_repo_set_authorities(id, *authorities);
    if (r != DB_OK || db_tx_commit() != 0) {
        db_tx_rollback();
        return r == DB_OK ? ERR_SERVER_ERROR : from_db(r, ERR_USER_NOT_FOUND);
    }
    log_info("updated user '%s' (id %lld)", username ? username : user.username, (long long)id);
    return ERR_OK;
}

aswg_err users_delete(const auth_user *actor, int64_t id)
{
    if (actor->id == id)
        return ERR_CANNOT_MODIFY_SELF;
    aswg_err err = from_db(user_repo_delete(id), ERR_USER_NOT_FOUND);
    if (err == ERR_OK)
        log_info("deleted user id %lld", (long long)id);
    return err;
}

aswg_err users_change_password(int64_t id, const char *password, char *message, size_t message_size)
{
    char hash[PASSWORD_HASH_MAX];
    if (!hash_new_password(password, hash, message, message_size))
        return ERR_BAD_REQUEST;
    aswg_err err = from_db(user_repo_set_password(id, hash), ERR_USER_NOT_FOUND);
    if (err == ERR_OK)
        log_info("changed password of user id %lld", (long long)id);
    return err;
}
