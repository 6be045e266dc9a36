/* libFuzzer target for the JSON request decoders: any input, parsed as a JSON body, through the
 * field specs of the mission, job, user and mod endpoints (body_fields_apply, nested as the routes
 * nest them), the cron field as the job service checks it, and a settings field table as the
 * security/network endpoints check theirs. A decoder may refuse; it must not crash, leak or
 * accept a value of the wrong type. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cron.h"
#include "http/body.h"
#include "settings/settings_fields.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void mission(json_t *obj)
{
    const char *name = NULL, *tpl = NULL, *difficulty = NULL;
    bool enabled = false;
    json_t *params = NULL;
    const body_field fields[] = {
        FIELD_OPT_STRING("name", &name), FIELD_OPT_STRING("template", &tpl),
        FIELD_OPT_STRING("difficulty", &difficulty), FIELD_OPT_BOOL("enabled", &enabled),
        {"parameters", FT_ARRAY, false, &params, NULL}, FIELD_END,
    };
    char err[256];
    if (body_fields_apply(obj, fields, NULL, err, sizeof err)) {
        CHECK(!params || json_is_array(params));
        for (size_t i = 0; i < json_array_size(params); i++) {
            const char *pname = NULL, *value = NULL;
            const body_field item[] = {FIELD_REQ_STRING("name", &pname), FIELD_REQ_STRING("value", &value), FIELD_END};
            json_t *p = json_array_get(params, i);
            if (json_is_object(p) && body_fields_apply(p, item, "parameters", err, sizeof err))
                CHECK(pname && value);
        }
    }
}

static void job(json_t *obj)
{
    const char *cron = NULL;
    bool enabled = false;
    json_t *params = NULL;
    const body_field fields[] = {
        FIELD_OPT_BOOL("enabled", &enabled), FIELD_OPT_STRING("cron", &cron),
        {"parameters", FT_OBJECT, false, &params, NULL}, FIELD_END,
    };
    char err[256];
    if (body_fields_apply(obj, fields, NULL, err, sizeof err) && cron) {
        cron_expr expr;
        char why[256];
        cron_parse(cron, &expr, why, sizeof why);
    }
}

static void user_and_mods(json_t *obj)
{
    const char *username = NULL, *password = NULL;
    json_t *authorities = NULL, *mods = NULL;
    int64_t id = 0;
    const body_field fields[] = {
        FIELD_OPT_STRING("username", &username), FIELD_OPT_STRING("password", &password),
        FIELD_OPT_STRINGS("authorities", &authorities), {"mods", FT_ARRAY, false, &mods, NULL},
        FIELD_OPT_INT("workshopFileId", &id), FIELD_END,
    };
    char err[256];
    if (!body_fields_apply(obj, fields, NULL, err, sizeof err))
        return;
    for (size_t i = 0; i < json_array_size(authorities); i++)
        CHECK(json_is_string(json_array_get(authorities, i)));
    for (size_t i = 0; i < json_array_size(mods); i++) {
        int64_t file_id = 0;
        bool server_mod = false;
        const body_field item[] = {FIELD_REQ_INT("workshopFileId", &file_id), FIELD_OPT_BOOL("serverMod", &server_mod),
                                   FIELD_END};
        json_t *m = json_array_get(mods, i);
        if (json_is_object(m))
            body_fields_apply(m, item, "mods", err, sizeof err);
    }
}

static const char *const FILE_PATCHING[] = {"NOT_ALLOWED", "ALLOWED_FOR_HEADLESS_CLIENTS", "ALLOWED_FOR_ALL_CLIENTS", NULL};
static const char *const KICKS[] = {"manualKickTimeoutSeconds", "connectivityKickTimeoutSeconds",
                                    "battlEyeKickTimeoutSeconds", "harmlessKickTimeoutSeconds", NULL};

static void settings(json_t *obj)
{
    static const cfg_field FIELDS[] = {
        CFG_STRING("serverPassword", "password"),
        CFG_INT("maxPing", "maxping", "500", 0, 100000),
        CFG_FLAG("battleEye", "BattlEye", "1"),
        CFG_DECIMAL("voteThreshold", "voteThreshold", "0.5", 0),
        CFG_STRINGS("adminUUIDs", "admins", ""),
        CFG_CODE("allowedFilePatching", "allowedFilePatching", "0", FILE_PATCHING),
        CFG_PAIRS("kickTimeouts", "kickTimeout", "{0,60},{1,60},{2,60},{3,60}", -2, 100000, KICKS),
        CFG_VOTE_CMDS("allowedVoteCmds", "allowedVoteCmds"),
        CFG_FIELDS_END,
    };
    char msg[256];
    settings_fields_check(FIELDS, obj, msg, sizeof msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!doc)
        return 0;
    if (json_is_object(doc)) {
        mission(doc);
        job(doc);
        user_and_mods(doc);
        settings(doc);
    }
    json_decref(doc);
    return 0;
}
