/* Mods (ASWG-API.md §6 /mods*, §4.8 InstallDeleteModsFromFilesystemJob): the rows of
 * installed_mod matched against the folders in the mods directory, which of them the server
 * loads (in the order the admin set) and their signing keys in <server dir>/keys. */
#ifndef ASWG_MODS_MOD_SERVICE_H
#define ASWG_MODS_MOD_SERVICE_H

#include "core/errors.h"
#include "mods/mod_repository.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum mod_status { MOD_READY, MOD_MISSING_FILES, MOD_MISSING_DEPENDENCY_MODS, MOD_INSTALLING } mod_status;

typedef struct mod_item {
    mod_record row;             /* for a folder nobody manages: id 0, the folder's meta.cpp data */
    bool managed;
    mod_status status;
    uint64_t size_bytes;
} mod_item;

const char *mod_status_name(mod_status status);

/* Managed mods (enabled first, in load order) then the folders nobody manages. */
aswg_err mods_list(mod_item **out, size_t *count);

typedef struct mod_choice {
    int64_t workshop_file_id;
    bool server_mod;
} mod_choice;

/* Exactly these mods are enabled, in this order; keys are copied for the client-side ones.
 * ERR_MOD_NOT_FOUND (nothing changed) when an id is not a managed mod. */
aswg_err mods_set_enabled(const mod_choice *choices, size_t count, char *msg, size_t msg_size);
aswg_err mods_delete(const char *name, char *msg, size_t msg_size);
/* Registers a folder nobody manages (its meta.cpp must carry a workshop id). */
aswg_err mods_manage(const char *directory, char *msg, size_t msg_size);
aswg_err mods_delete_not_managed(const char *directory, char *msg, size_t msg_size);

/* The job: registers unmanaged folders (install) and forgets rows whose folder is gone (remove);
 * message says what changed. Returns 0, or -1 when the database failed. */
int mods_scan(bool install, bool remove, char *message, size_t size);

/* Brings <server dir>/keys in line with the enabled client-side mods. 0 or -1 (logged). */
int mods_refresh_keys(void);

/* "<mods dir>/<folder>" of each enabled mod whose folder exists, in load order: server_mods
 * picks -serverMod or -mod entries. NULL-terminated, malloc'd (free with mods_free_paths). */
char **mods_enabled_paths(bool server_mods);
void mods_free_paths(char **paths);

#endif
