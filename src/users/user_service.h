/* Users: the default administrator, and the rules of the users API (ASWG-API.md §5.2 with the
 * DECISIONS.md fixes: duplicate names are a conflict, nobody deletes or locks themselves). */
#ifndef ASWG_USERS_USER_SERVICE_H
#define ASWG_USERS_USER_SERVICE_H

#include "auth/auth_user.h"
#include "core/errors.h"
#include "users/user_repository.h"

#include <stdbool.h>
#include <stddef.h>

#define INITIAL_PASSWORD_FILE "initial-password"

/* Creates or refreshes aswg.default-user.* (all authorities on every start). With no configured
 * password a strong one is generated, printed once to stdout and stored 0600 in
 * <data_dir>/initial-password. */
int users_ensure_default(const char *data_dir, char *err, size_t err_size);

aswg_err users_get(int64_t id, user_record *out);
aswg_err users_list(user_record **out, size_t *count);

/* Each may fill message with a more precise text than the code's default. */
aswg_err users_create(const char *username, const char *password, authority_set authorities,
                      char *message, size_t message_size);
/* NULL / absent arguments keep the current value. */
aswg_err users_update(const auth_user *actor, int64_t id, const char *username,
                      const authority_set *authorities, const bool *locked, char *message,
                      size_t message_size);
aswg_err users_delete(const auth_user *actor, int64_t id);
aswg_err users_change_password(int64_t id, const char *password, char *message, size_t message_size);

#endif
