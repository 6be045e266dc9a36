/* Mod uploads (POST /api/v1/mods-files): .zip archives streamed into temporary files in the
 * mods directory, unpacked with libzip into a temporary folder (no entry may escape it:
 * absolute paths, "..", symlinks, hard links and device files are refused; names lower-cased for
 * the Linux game server; the unpacked size is capped), then renamed into place as one mod folder
 * each. Nothing of a refused or interrupted upload stays behind. */
#ifndef ASWG_MODS_MOD_UPLOAD_H
#define ASWG_MODS_MOD_UPLOAD_H

#include "core/errors.h"
#include "core/upload_sink.h"

#include <stdbool.h>
#include <stddef.h>

#define MOD_UPLOAD_PREFIX ".aswg-upload-"

/* begin_file: ERR_NOT_ALLOWED_FILE_TYPE unless the name ends with .zip; commit unpacks every file
 * and moves the mod folders into place (all or none): ERR_BAD_REQUEST for a broken or unsafe
 * archive, ERR_MOD_ALREADY_EXISTS without overwrite. */
extern const upload_sink MOD_UPLOAD_SINK;

/* The mod folder an archive of this name unpacks to exists. */
bool mods_upload_exists(const char *file_name);

/* Start-up: removes what an interrupted upload left in the mods directory. */
void mods_upload_clean_leftovers(void);

#endif
