#include "core/errors.h"

static const aswg_err_info ERR_TABLE[ERR__COUNT] = {
    [ERR_OK] = {"OK", 200, "OK"},
    [ERR_BAD_REQUEST] = {"BAD_REQUEST", 400, "Bad request"},
    [ERR_NOT_FOUND] = {"NOT_FOUND", 404, "Not found"},
    [ERR_METHOD_NOT_ALLOWED] = {"METHOD_NOT_ALLOWED", 405, "Method not allowed"},
    [ERR_PAYLOAD_TOO_LARGE] = {"PAYLOAD_TOO_LARGE", 413, "Request body is too large"},
    [ERR_UNSUPPORTED_MEDIA_TYPE] = {"UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported media type"},
    [ERR_TOO_MANY_REQUESTS] = {"TOO_MANY_REQUESTS", 429, "Too many requests, slow down."},
    [ERR_SERVER_ERROR] = {"SERVER_ERROR", 500, "Internal Server Error"},
    [ERR_SERVICE_UNAVAILABLE] = {"SERVICE_UNAVAILABLE", 503, "Service unavailable"},
    [ERR_BAD_AUTH_TOKEN] = {"BAD_AUTH_TOKEN", 400, "Bad auth token!"},
    [ERR_AUTH_TOKEN_EXPIRED] = {"AUTH_TOKEN_EXPIRED", 401, "Provided auth token has expired!"},
    [ERR_AUTH_TOKEN_MISSING] = {"AUTH_TOKEN_MISSING", 403, "Auth token is missing."},
    [ERR_BAD_CREDENTIALS] = {"BAD_CREDENTIALS", 400, "Provided credentials are wrong."},
    [ERR_ACCESS_DENIED] = {"ACCESS_DENIED", 403, "Forbidden"},
    [ERR_CORS_REJECTED] = {"CORS_REJECTED", 403, "Invalid CORS request"},
    [ERR_USER_NOT_FOUND] = {"USER_NOT_FOUND", 404, "User not found"},
    [ERR_USER_ALREADY_EXISTS] = {"USER_ALREADY_EXISTS", 409, "User with this username already exists"},
    [ERR_CANNOT_MODIFY_SELF] = {"CANNOT_MODIFY_SELF", 400, "You cannot delete or lock yourself"},
    [ERR_MISSION_NOT_FOUND] = {"MISSION_NOT_FOUND", 404, "Mission not found"},
    [ERR_MISSION_ALREADY_EXISTS] = {"MISSION_ALREADY_EXISTS", 409, "Mission already exists"},
    [ERR_NOT_ALLOWED_FILE_TYPE] = {"NOT_ALLOWED_FILE_TYPE", 400, "Filetype not allowed"},
    [ERR_NOT_A_PBO] = {"NOT_A_PBO", 400, "The file is not a PBO archive"},
    [ERR_INSUFFICIENT_STORAGE] = {"INSUFFICIENT_STORAGE", 507, "Not enough disk space"},
    [ERR_SERVER_CONFIG_INVALID] = {"SERVER_CONFIG_INVALID", 409, "server.cfg cannot be updated"},
    [ERR_JOB_NOT_FOUND] = {"JOB_NOT_FOUND", 404, "Job not found"},
    [ERR_JOB_ALREADY_RUNNING] = {"JOB_ALREADY_RUNNING", 409, "Job is already running"},
    [ERR_INVALID_CRON] = {"INVALID_CRON", 400, "Invalid cron expression"},
    [ERR_CDLC_NOT_FOUND] = {"CDLC_NOT_FOUND", 404, "CDLC not found"},
    [ERR_SERVER_ALREADY_RUNNING] = {"SERVER_ALREADY_RUNNING", 400, "Server is already running"},
    [ERR_SERVER_NOT_INSTALLED] = {"SERVER_NOT_INSTALLED", 500, "Server is not installed!"},
    [ERR_MOD_NOT_FOUND] = {"MOD_NOT_FOUND", 404, "Mod not found"},
    /* ASWG answers 500 for these two; they are bad input (DECISIONS.md: never a 500 for that). */
    [ERR_MOD_ID_CANNOT_BE_ZERO] = {"MOD_ID_CANNOT_BE_ZERO", 400, "The mod has no workshop id (meta.cpp publishedid)"},
    [ERR_MOD_ID_ALREADY_REGISTERED] = {"MOD_ID_ALREADY_REGISTERED", 409, "A mod with this workshop id is registered already"},
    [ERR_MOD_ALREADY_EXISTS] = {"MOD_ALREADY_EXISTS", 409, "Mod already exists"},
    [ERR_PRESET_NOT_FOUND] = {"PRESET_NOT_FOUND", 404, "Preset not found"},
    [ERR_STEAM_CMD_NOT_INSTALLED] = {"STEAM_CMD_NOT_INSTALLED", 500, "Steamcmd is not installed!"},
    [ERR_STEAM_API_KEY_MISSING] = {"STEAM_API_KEY_MISSING", 400, "Steam Web API key is missing"},
    [ERR_STEAM_API_FAILED] = {"STEAM_API_FAILED", 502, "The Steam Web API did not answer"},
    [ERR_DIFFICULTY_NOT_FOUND] = {"DIFFICULTY_NOT_FOUND", 404, "Difficulty profile not found"},
    [ERR_DIFFICULTY_ALREADY_EXISTS] = {"DIFFICULTY_ALREADY_EXISTS", 409, "Difficulty profile already exists"},
    [ERR_DIFFICULTY_FILE_INVALID] = {"DIFFICULTY_FILE_INVALID", 409, "The profile file cannot be updated"},
    [ERR_MOD_SETTINGS_NOT_FOUND] = {"MOD_SETTINGS_NOT_FOUND", 404, "Mod settings not found"},
    [ERR_MOD_SETTINGS_ALREADY_EXISTS] = {"MOD_SETTINGS_ALREADY_EXISTS", 409, "Mod settings already exist"},
};

const aswg_err_info *aswg_err_get(aswg_err err)
{
    if ((unsigned)err >= ERR__COUNT || !ERR_TABLE[err].code)
        err = ERR_SERVER_ERROR;
    return &ERR_TABLE[err];
}
