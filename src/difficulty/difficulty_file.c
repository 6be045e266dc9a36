#include "difficulty/difficulty_file.h"

#include "core/cfg.h"
#include "core/fs.h"
#include "settings/settings_fields.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPTIONS "DifficultyPresets/CustomDifficulty/Options/"
#define AI_LEVEL "DifficultyPresets/CustomAILevel/"

/* Arma's ranges: most HUD options are 0 never, 1 limited (distance, or own group), 2 always;
 * tacticalPing adds 3 (map and 3D); thirdPersonView 2 is vehicles only; aiLevelPreset is 0 low,
 * 1 normal, 2 high, 3 custom (CustomAILevel); skills are fractions. Defaults as ASWG writes them. */
static const cfg_field FIELDS[] = {
    CFG_FLAG("reducedDamage", OPTIONS "reducedDamage", "0"),
    CFG_INT("groupIndicators", OPTIONS "groupIndicators", "1", 0, 2),
    CFG_INT("friendlyTags", OPTIONS "friendlyTags", "1", 0, 2),
    CFG_INT("enemyTags", OPTIONS "enemyTags", "1", 0, 2),
    CFG_INT("detectedMines", OPTIONS "detectedMines", "1", 0, 2),
    CFG_INT("commands", OPTIONS "commands", "1", 0, 2),
    CFG_INT("waypoints", OPTIONS "waypoints", "1", 0, 2),
    CFG_INT("tacticalPing", OPTIONS "tacticalPing", "1", 0, 3),
    CFG_INT("weaponInfo", OPTIONS "weaponInfo", "1", 0, 2),
    CFG_INT("stanceIndicator", OPTIONS "stanceIndicator", "1", 0, 2),
    CFG_FLAG("staminaBar", OPTIONS "staminaBar", "1"),
    CFG_FLAG("weaponCrosshair", OPTIONS "weaponCrosshair", "1"),
    CFG_FLAG("visionAid", OPTIONS "visionAid", "1"),
    CFG_INT("thirdPersonView", OPTIONS "thirdPersonView", "1", 0, 2),
    CFG_FLAG("cameraShake", OPTIONS "cameraShake", "1"),
    CFG_FLAG("scoreTable", OPTIONS "scoreTable", "1"),
    CFG_FLAG("deathMessages", OPTIONS "deathMessages", "1"),
    CFG_FLAG("vonId", OPTIONS "vonID", "1"),
    CFG_FLAG("mapContentFriendly", OPTIONS "mapContentFriendly", "1"),
    CFG_FLAG("mapContentEnemy", OPTIONS "mapContentEnemy", "1"),
    CFG_FLAG("mapContentMines", OPTIONS "mapContentMines", "1"),
    CFG_FLAG("autoReport", OPTIONS "autoReport", "1"),
    CFG_FLAG("multipleSaves", OPTIONS "multipleSaves", "1"),
    CFG_INT("aiLevelPreset", "DifficultyPresets/CustomDifficulty/aiLevelPreset", "0", 0, 3),
    CFG_DECIMAL_RANGE("skillAI", AI_LEVEL "skillAI", "0.5", 0, 1),
    CFG_DECIMAL_RANGE("precisionAI", AI_LEVEL "precisionAI", "0.5", 0, 1),
    CFG_FIELDS_END,
};

json_t *difficulty_options_parse(const char *text, size_t len, char *err, size_t err_size)
{
    cfg_doc *doc = cfg_parse(text, len, err, err_size);
    if (!doc)
        return NULL;
    json_t *options = json_object();
    if (!options || settings_fields_read(FIELDS, cfg_root(doc), options) != 0) {
        snprintf(err, err_size, "out of memory");
        json_decref(options);
        options = NULL;
    }
    cfg_free(doc);
    return options;
}

bool difficulty_options_check(json_t *options, char *msg, size_t msg_size)
{
    return settings_fields_check(FIELDS, options, msg, msg_size);
}

char *difficulty_options_apply(const char *text, size_t len, json_t *options, size_t *len_out, char *err,
                               size_t err_size)
{
    cfg_doc *doc = cfg_parse(text, len, err, err_size);
    if (!doc)
        return NULL;
    json_t *none = options ? NULL : json_object();
    char *out = NULL;
    if (settings_fields_write_complete(FIELDS, options ? options : none, doc) == 0)
        out = cfg_serialize(doc, len_out);
    if (!out)
        snprintf(err, err_size, "the difficulty settings cannot be written into it (class "
                                "DifficultyPresets or one of its classes is not a class)");
    json_decref(none);
    cfg_free(doc);
    return out;
}

/* The file's text. A missing file reads as one line break, so that what gets appended to it
 * ends with one too, as a text file should. NULL with the reason in err. */
static char *read_text(const char *path, size_t *len, char *err, size_t err_size)
{
    char *text = fs_read_all(path, len);
    if (!text && errno == ENOENT) {
        *len = 1;
        text = strdup("\n");
    }
    if (!text)
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
    return text;
}

json_t *difficulty_file_read(const char *path, char *err, size_t err_size)
{
    size_t len;
    char *text = read_text(path, &len, err, err_size);
    if (!text)
        return NULL;
    char why[256];
    json_t *options = difficulty_options_parse(text, len, why, sizeof why);
    if (!options)
        snprintf(err, err_size, "%s: %s", path, why);
    free(text);
    return options;
}

static int make_parent(const char *path)
{
    char *copy = strdup(path);
    int rc = copy ? fs_mkdirs(dirname(copy), 0755) : -1;
    free(copy);
    return rc;
}

aswg_err difficulty_file_write(const char *from_path, const char *to_path, json_t *options, char *msg,
                               size_t msg_size)
{
    bool moving = strcmp(from_path, to_path) != 0;
    if (moving && fs_exists(to_path)) {
        snprintf(msg, msg_size, "%s exists already", to_path);
        return ERR_DIFFICULTY_ALREADY_EXISTS;
    }
    size_t len, new_len = 0;
    char *text = read_text(from_path, &len, msg, msg_size);
    if (!text)
        return ERR_SERVER_ERROR;
    char why[256];
    char *new_text = difficulty_options_apply(text, len, options, &new_len, why, sizeof why);
    aswg_err err = ERR_OK;
    if (!new_text) {
        snprintf(msg, msg_size, "%s: %s; fix it by hand, aswg leaves it untouched", from_path, why);
        err = ERR_DIFFICULTY_FILE_INVALID;
    } else if (!moving && new_len == len && memcmp(text, new_text, len) == 0) {
        err = ERR_OK; /* nothing changes: the file keeps its time stamp */
    } else if (make_parent(to_path) != 0 || fs_write_atomic(to_path, new_text, new_len, 0644) != 0) {
        snprintf(msg, msg_size, "%s: cannot write: %s", to_path, strerror(errno));
        err = ERR_SERVER_ERROR;
    }
    free(text);
    free(new_text);
    return err;
}
