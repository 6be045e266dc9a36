/* SQL for aswg_user and user_authority. Every function works on this thread's connection. */
#ifndef ASWG_USERS_USER_REPOSITORY_H
#define ASWG_USERS_USER_REPOSITORY_H

#include "auth/authorities.h"
#include "auth/password.h"
#include "core/db.h"

#include <stdbool.h>
#include <stdint.h>

#define USERNAME_MAX 36

typedef struct user_record {
    int64_t id;
    char username[64];
    char password_hash[PASSWORD_HASH_MAX];
    bool locked;
    int64_t created_ms;
    int64_t last_login_ms;      /* 0 = never */
    int64_t password_changed_ms; /* tokens issued before this stop working; 0 = never changed */
    authority_set authorities;
} user_record;

db_result user_repo_find_by_id(int64_t id, user_record *out);
db_result user_repo_find_by_username(const char *username, user_record *out);
/* All users ordered by id; *out is malloc'd (free it). */
db_result user_repo_list(user_record **out, size_t *count);
/* Inserts the user (id ignored) with its authorities; DB_CONFLICT if the username is taken. */
db_result user_repo_insert(const user_record *user, int64_t *id_out);
/* Updates username and locked; DB_CONFLICT if the new username is taken. */
db_result user_repo_update(int64_t id, const char *username, bool locked);
db_result user_repo_set_password(int64_t id, const char *hash);
db_result user_repo_reset(int64_t id, const char *hash, int64_t created_ms);
db_result user_repo_set_authorities(int64_t id, authority_set authorities);
db_result user_repo_touch_login(int64_t id, int64_t when_ms);
db_result user_repo_delete(int64_t id);

#endif
