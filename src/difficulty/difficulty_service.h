/* Difficulty profiles (ASWG-API.md §6 /api/v1/difficulties, §4.8 DifficultyScanJob, §5.5): a row
 * per Arma 3 profile and the profile's file <profiles dir>/<name>/<name>.Arma3Profile, whose
 * Custom difficulty options aswg edits (difficulty_file.h). The profiles directory is
 * aswg.profiles-directory-path, or $HOME/.local/share/Arma 3 - Other Profiles when that is empty.
 *
 * At most one profile is active: the game server runs with -name=<it> (Player when none is). A
 * change to a row and to its file is made together or not at all. */
#ifndef ASWG_DIFFICULTY_DIFFICULTY_SERVICE_H
#define ASWG_DIFFICULTY_DIFFICULTY_SERVICE_H

#include "core/errors.h"
#include "core/named_rows.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define DIFFICULTY_DEFAULT_PROFILE "Player"

typedef struct difficulty_profile {
    named_row row;
    json_t *options;    /* ASWG's options object (defaults for what the file lacks) */
    char *file_error;   /* why the file could not be read (options are then the defaults), or NULL */
} difficulty_profile;

void difficulty_profiles_free(difficulty_profile *list, size_t count);

/* What a client sends. NULL name keeps the name (required to add); options is checked here, NULL
 * keeps the file's options (or, for a new profile, gives the defaults). */
typedef struct difficulty_input {
    const char *name;
    bool active;
    bool active_given;
    json_t *options;
} difficulty_input;

/* Start-up: on an empty table, creates the Player profile (active), its file completed with the
 * default options where it lacks them (an existing file keeps everything else). A failure is
 * logged and tried again at the next start. */
void difficulties_startup(void);

/* Every profile, with its options read from its file. */
aswg_err difficulties_list(difficulty_profile **out, size_t *count, char *msg, size_t msg_size);

/* ERR_BAD_REQUEST names the bad field; ERR_DIFFICULTY_ALREADY_EXISTS for a name in use. An
 * existing file of that name (a profile Arma made) is kept, with the options written into it. */
aswg_err difficulties_add(const difficulty_input *in, char *msg, size_t msg_size);
/* Updates profile id; a new name moves the profile's file to the new name's directory. */
aswg_err difficulties_update(int64_t id, const difficulty_input *in, char *msg, size_t msg_size);
/* Removes the row and the profile's .Arma3Profile file (and its directory once that is empty;
 * other files the game keeps there stay). */
aswg_err difficulties_delete(int64_t id, char *msg, size_t msg_size);
aswg_err difficulties_delete_by_name(const char *name, char *msg, size_t msg_size);

/* The name for -name=: the active profile's, or Player. -1 on a database error. */
int difficulties_active_name(char *out, size_t out_size);

/* DIFFICULTY_SCAN: registers every <name>/<name>.Arma3Profile of the profiles directory that has
 * no row yet (inactive; the file is not touched). The names imported are appended to imported,
 * the profiles that cannot be (a bad name, a syntax error) to skipped as "name (why)". where gets
 * the directory scanned, or what failed. ERR_NOT_FOUND when the directory does not exist. */
aswg_err difficulties_scan(json_t *imported, json_t *skipped, char *where, size_t where_size);

#endif
