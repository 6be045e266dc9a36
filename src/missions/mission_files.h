/* The missions directory (<server dir>/mpmissions): where uploads land, what the scanner reads. */
#ifndef ASWG_MISSIONS_MISSION_FILES_H
#define ASWG_MISSIONS_MISSION_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#define MISSION_UPLOAD_PREFIX ".upload-"

/* <server dir>/mpmissions (malloc'd). */
char *mission_dir(void);

/* Creates the missions directory when missing. 0 or -1 with errno. */
int mission_files_prepare(void);

/* Removes temp files left by uploads that a crash interrupted. Returns how many. */
int mission_files_remove_stale_uploads(void);

/* A new temp file in the missions directory (same file system as the target, so the final
 * rename is atomic), mode 0644. Returns the fd and stores its path in *path (malloc'd). */
int mission_files_create_temp(char **path);

/* Moves tmp to name in the missions directory and syncs the directory. Without replace an
 * existing file is never overwritten: -1 with errno EEXIST. */
int mission_files_commit(const char *tmp, const char *name, bool replace);

/* stat() of name in the missions directory. */
int mission_files_stat(const char *name, struct stat *st);

/* Opens name for reading; fills size. -1 with errno when missing or not a regular file. */
int mission_files_open(const char *name, uint64_t *size);

int mission_files_delete(const char *name);

/* Calls fn for every regular *.pbo file (any case) directly in the missions directory. A missing
 * directory lists nothing. Returns 0, or -1 with errno when the directory cannot be read. */
int mission_files_each(void (*fn)(const char *name, const struct stat *st, void *arg), void *arg);

#endif
