/* Mod settings: CBA settings files (ASWG-API.md §6 /api/v1/mods/settings, §4.8
 * ModSettingsScanJob with DECISIONS.md 11). A row per file in <server dir>/userconfig: CBA reads
 * userconfig/cba_settings.sqf, so the active row's file has that name and every other row's file
 * is userconfig/<normalised name>.sqf (ASWG-API.md §1.3's normaliser). Activating one renames
 * files (the previously active one back to its own name), never replacing a file, so that a crash
 * at any point loses none. The game server gets -filePatching while a row is active: CBA loads
 * userconfig files only then.
 *
 * Names: 1..64 bytes, none of  space \ / : * ? " < > | .  (ASWG's rule, a 400 here rather than
 * its 500), no control characters, unique regardless of case (their files are lower-cased), and
 * not "cba_settings" (the active file's name). */
#ifndef ASWG_MOD_SETTINGS_MOD_SETTINGS_SERVICE_H
#define ASWG_MOD_SETTINGS_MOD_SETTINGS_SERVICE_H

#include "core/errors.h"
#include "core/named_rows.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define MOD_SETTINGS_CONTENT_MAX (1024L * 1024)

/* What a client sends: NULL name or content keeps them (a name is required to add; a new row
 * without content gets an empty file). */
typedef struct mod_settings_input {
    const char *name;
    bool active;
    bool active_given;
    const char *content;
    size_t content_len;
} mod_settings_input;

aswg_err mod_settings_list(named_row **out, size_t *count);
aswg_err mod_settings_get(int64_t id, named_row *out);
/* The file's text (malloc'd, content_len bytes). A missing file is empty; one larger than
 * MOD_SETTINGS_CONTENT_MAX is ERR_PAYLOAD_TOO_LARGE. */
aswg_err mod_settings_content(int64_t id, char **content, size_t *content_len, char *msg, size_t msg_size);

/* ERR_BAD_REQUEST names the bad field, ERR_PAYLOAD_TOO_LARGE for content over the cap,
 * ERR_MOD_SETTINGS_ALREADY_EXISTS for a name in use or a file in the way (a file not yet
 * imported is never overwritten). out gets the row as saved. */
aswg_err mod_settings_add(const mod_settings_input *in, named_row *out, char *msg, size_t msg_size);
aswg_err mod_settings_update(int64_t id, const mod_settings_input *in, named_row *out, char *msg,
                             size_t msg_size);
/* Removes the row and its file. */
aswg_err mod_settings_delete(int64_t id, char *msg, size_t msg_size);

/* Whether a row is active (the game then needs -filePatching). -1 on a database error. */
int mod_settings_any_active(bool *out);

/* MOD_SETTINGS_SCAN: registers the settings files of userconfig that have no row: every regular
 * file named <name>.sqf or <name> without a dot (DECISIONS.md 11) whose normalised name is free.
 * cba_settings.sqf becomes the active row "default" unless a row is active already; any other
 * file is renamed to its row's file name when it is spelt otherwise (Foo.SQF -> foo.sqf). Names
 * imported go to imported (the active one marked), files that cannot be to skipped as
 * "file (why)". where gets the directory, or what failed; ERR_NOT_FOUND when it does not exist. */
aswg_err mod_settings_scan(json_t *imported, json_t *skipped, char *where, size_t where_size);

#endif
