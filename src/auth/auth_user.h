/* Who is calling: loaded from the database on every request, so locking a user or changing its
 * authorities applies at once. */
#ifndef ASWG_AUTH_AUTH_USER_H
#define ASWG_AUTH_AUTH_USER_H

#include "auth/authorities.h"

#include <stdint.h>

typedef struct auth_user {
    int64_t id;
    char username[64];
    authority_set authorities;
    int64_t token_exp;          /* expiry of the token used, seconds since the epoch */
} auth_user;

#endif
