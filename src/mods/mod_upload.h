/* Mod uploads (POST /api/v1/mods-files): .zip archives streamed into temporary files in the
 * mods directory, unpacked with libzip into a temporary folder (no entry may escape it:
 * absolute paths, "..", symlinks, hard links and device files are refused; names lower-cased for
 * the Linux game server; the unpacked size is capped), then renamed into place as one mod folder
 * each. Nothing of a refused or interrupted upload stays behind. */
#ifndef ASWG_MODS_MOD_UPLOAD_H
#define ASWG_MODS_MOD_UPLOAD_H

#include "core/errors.h"

#include <stdbool.h>
#include <stddef.h>

#define MOD_UPLOAD_PREFIX ".aswg-upload-"

typedef struct mod_upload mod_upload;

mod_upload *mods_upload_new(void);
/* A new file part: ERR_NOT_ALLOWED_FILE_TYPE unless its name ends with .zip. */
aswg_err mods_upload_begin_file(mod_upload *up, const char *file_name, char *msg, size_t msg_size);
aswg_err mods_upload_write(mod_upload *up, const char *data, size_t size);
void mods_upload_overwrite_text(mod_upload *up, const char *data, size_t size);
/* Unpacks every file and moves the mod folders into place (all or none): ERR_BAD_REQUEST for a
 * broken or unsafe archive, ERR_MOD_ALREADY_EXISTS without overwrite. */
aswg_err mods_upload_commit(mod_upload *up, char *msg, size_t msg_size);
void mods_upload_free(mod_upload *up);

/* The mod folder an archive of this name unpacks to exists. */
bool mods_upload_exists(const char *file_name);

/* Start-up: removes what an interrupted upload left in the mods directory. */
void mods_upload_clean_leftovers(void);

#endif
