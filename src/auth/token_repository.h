/* SQL for invalid_jwt_token: revoked tokens (stored as SHA-256 digests) until they expire. */
#ifndef ASWG_AUTH_TOKEN_REPOSITORY_H
#define ASWG_AUTH_TOKEN_REPOSITORY_H

#include "core/db.h"

#include <stdbool.h>
#include <stdint.h>

db_result token_repo_revoke(const char *digest_hex, int64_t expires_ms, int64_t now_ms);
/* DB_OK when revoked, DB_NOT_FOUND when not. */
db_result token_repo_find(const char *digest_hex);
/* Deletes rows that expired before now; *deleted gets the count. */
db_result token_repo_delete_expired(int64_t now_ms, int64_t *deleted);

#endif
