/* The one table of error codes: every failure a service can report, the HTTP status it maps to and
 * its default English message (ASWG-API.md §5.3 plus the codes aswg adds). Services return these;
 * only the HTTP layer turns them into responses. */
#ifndef ASWG_CORE_ERRORS_H
#define ASWG_CORE_ERRORS_H

typedef enum aswg_err {
    ERR_OK = 0,
    ERR_BAD_REQUEST,
    ERR_NOT_FOUND,
    ERR_METHOD_NOT_ALLOWED,
    ERR_PAYLOAD_TOO_LARGE,
    ERR_UNSUPPORTED_MEDIA_TYPE,
    ERR_TOO_MANY_REQUESTS,
    ERR_SERVER_ERROR,
    ERR_SERVICE_UNAVAILABLE,
    ERR_BAD_AUTH_TOKEN,
    ERR_AUTH_TOKEN_EXPIRED,
    ERR_AUTH_TOKEN_MISSING,
    ERR_BAD_CREDENTIALS,
    ERR_ACCESS_DENIED,
    ERR_CORS_REJECTED,
    ERR_USER_NOT_FOUND,
    ERR_USER_ALREADY_EXISTS,
    ERR_CANNOT_MODIFY_SELF,
    ERR_MISSION_NOT_FOUND,
    ERR_MISSION_ALREADY_EXISTS,
    ERR_NOT_ALLOWED_FILE_TYPE,
    ERR_NOT_A_PBO,
    ERR_INSUFFICIENT_STORAGE,
    ERR_SERVER_CONFIG_INVALID,
    ERR_JOB_NOT_FOUND,
    ERR_JOB_ALREADY_RUNNING,
    ERR_INVALID_CRON,
    ERR_CDLC_NOT_FOUND,
    ERR_SERVER_ALREADY_RUNNING,
    ERR_SERVER_NOT_INSTALLED,
    ERR_MOD_NOT_FOUND,
    ERR_MOD_ID_CANNOT_BE_ZERO,
    ERR_MOD_ID_ALREADY_REGISTERED,
    ERR_MOD_ALREADY_EXISTS,
    ERR_PRESET_NOT_FOUND,
    ERR_STEAM_CMD_NOT_INSTALLED,
    ERR_STEAM_API_KEY_MISSING,
    ERR_STEAM_API_FAILED,
    ERR_DIFFICULTY_NOT_FOUND,
    ERR_DIFFICULTY_ALREADY_EXISTS,
    ERR_DIFFICULTY_FILE_INVALID,
    ERR_MOD_SETTINGS_NOT_FOUND,
    ERR_MOD_SETTINGS_ALREADY_EXISTS,
    ERR__COUNT
} aswg_err;

typedef struct aswg_err_info {
    const char *code;      /* wire code, e.g. "MISSION_NOT_FOUND" */
    unsigned http_status;
    const char *message;   /* default English text */
} aswg_err_info;

const aswg_err_info *aswg_err_get(aswg_err err);

#endif
