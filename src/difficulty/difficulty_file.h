/* The difficulty settings of an Arma 3 profile, <profiles>/<name>/<name>.Arma3Profile
 * (ASWG-API.md §5.7 end): Arma's Custom difficulty reads class DifficultyPresets/CustomDifficulty
 * (its class Options and aiLevelPreset) and class DifficultyPresets/CustomAILevel from the profile
 * the server runs with (-name=).
 *
 * The same file holds the player's video, audio and control settings, other presets and whatever
 * else the game writes. It is read with the cfg engine and only the modelled members that change
 * are rewritten, so everything else survives a save byte for byte. The options travel as ASWG's
 * JSON object (booleans, integers, and skillAI/precisionAI as decimal strings). */
#ifndef ASWG_DIFFICULTY_DIFFICULTY_FILE_H
#define ASWG_DIFFICULTY_DIFFICULTY_FILE_H

#include "core/errors.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define DIFFICULTY_FILE_EXTENSION ".Arma3Profile"

/* The options object for profile text, with the default for every member it lacks. NULL with
 * "line L, column C: what" in err on a syntax error (or "out of memory"). */
json_t *difficulty_options_parse(const char *text, size_t len, char *err, size_t err_size);

/* Checks the options object of a request (unknown keys ignored, absent ones keep the file's
 * value). False with a message naming the bad field. */
bool difficulty_options_check(json_t *options, char *msg, size_t msg_size);

/* Profile text with the options (checked; NULL = none) applied: members that change are
 * rewritten, missing ones written (given value or default), the rest of the text kept.
 * malloc'd; NULL with the reason in err on a syntax error or when out of memory. */
char *difficulty_options_apply(const char *text, size_t len, json_t *options, size_t *len_out, char *err,
                               size_t err_size);

/* The options of the profile file at path; a missing file gives the defaults. NULL with the
 * reason in err when it cannot be read or does not parse. */
json_t *difficulty_file_read(const char *path, char *err, size_t err_size);

/* Applies options (NULL = only complete the file) to the profile file from_path (missing = empty)
 * and writes the result to to_path atomically, creating its directory. The same path for both
 * edits a profile in place (nothing is written when nothing changes); another to_path renames a
 * profile, and must not exist yet. ERR_DIFFICULTY_FILE_INVALID when from_path does not parse or
 * cannot hold the options (a value where a class must be), ERR_DIFFICULTY_ALREADY_EXISTS when
 * to_path exists, ERR_SERVER_ERROR on I/O errors; the reason goes to msg. */
aswg_err difficulty_file_write(const char *from_path, const char *to_path, json_t *options, char *msg,
                               size_t msg_size);

#endif
