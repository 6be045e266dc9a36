/* Mod presets (ASWG-API.md §6 /mods-presets*): named lists of workshop mods; selecting one
 * enables exactly its installed mods; importing one (JSON, or the Arma 3 Launcher's HTML) queues
 * the missing mods for download; a preset exports back to the Launcher's HTML. */
#ifndef ASWG_MODS_PRESET_SERVICE_H
#define ASWG_MODS_PRESET_SERVICE_H

#include "core/errors.h"
#include "mods/launcher_preset.h"
#include "mods/preset_repository.h"

#include <stdbool.h>
#include <stddef.h>

aswg_err presets_list(preset_record **out, size_t *count);
/* By id when key is a number (names are never only digits), else by name. */
aswg_err preset_get(const char *key, preset_record *preset, preset_entry **entries, size_t *count);
/* Saves name with the installed mods called mod_names (renamed to new_name when given). */
aswg_err preset_save(const char *name, const char *new_name, const char *const *mod_names, size_t count, char *msg,
                     size_t msg_size);
aswg_err preset_delete(const char *name);
aswg_err preset_select(const char *name, char *msg, size_t msg_size);
/* Saves the preset and queues the mods that are not installed (STEAM_CMD_NOT_INSTALLED when
 * some are missing and SteamCMD is not set up; nothing is saved then). queued gets their count. */
aswg_err preset_import(const char *name, const launcher_mod *mods, size_t count, const char *issuer, size_t *queued,
                       char *msg, size_t msg_size);
/* The same from a Launcher HTML export; name NULL = the name in the file. */
aswg_err preset_import_html(const char *html, size_t len, const char *name, const char *issuer, size_t *queued,
                            char *msg, size_t msg_size);
aswg_err preset_export(const char *name, char **html);

#endif
