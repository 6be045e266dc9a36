/* Mod folders on disk: <server dir>/<mods dir>/@name, each a directory or a symlink to the
 * Steam Workshop download. Every name from a user is checked with fs_is_safe_name and joined to
 * the mods directory, so nothing outside it is ever renamed or removed. */
#ifndef ASWG_MODS_MOD_FILES_H
#define ASWG_MODS_MOD_FILES_H

#include "mods/mod_meta.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct disk_mod {
    char directory[MOD_NAME_MAX];
    mod_meta meta;
} disk_mod;

/* <server dir>/<mods dir>, or the mods directory itself when it is absolute (malloc'd). */
char *mods_directory(void);

/* The mod folders in the mods directory, sorted by name (an empty list when it is missing). */
int mod_files_list(disk_mod **out, size_t *count);

/* Bytes in the folder; cached for a minute (mods are large, listing them must stay quick). */
uint64_t mod_files_size(const char *directory);
void mod_files_forget_sizes(void);

/* Renames the folder to its normalised name and lower-cases every name inside (the Linux game
 * server only finds lower-case files). The new folder name goes to out. */
int mod_files_normalize(const char *directory, char *out, size_t out_size, char *err, size_t err_size);

/* Removes the folder (a symlink is unlinked; its target stays). */
int mod_files_remove(const char *directory);

/* Makes <server dir>/keys hold the .bikey files of these mod folders: copies what is missing and
 * removes the keys an earlier call copied that are no longer wanted (listed in keys/.aswg-keys;
 * keys the admin put there are never touched). */
int mod_files_sync_keys(char *const *directories, size_t count, char *err, size_t err_size);

#endif
