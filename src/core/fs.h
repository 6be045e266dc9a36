/* Files and paths: atomic writes, directory creation, user-supplied names confined to a directory. */
#ifndef ASWG_CORE_FS_H
#define ASWG_CORE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Writes data to path atomically: a temp file in the same directory, fsync, rename, fsync of the
 * directory. A crash at any moment leaves either the old file or the new one, never a mix.
 * mode is applied to the new file (e.g. 0600 for secrets). Returns 0 or -1 with errno set. */
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* Reads a whole file into a NUL-terminated malloc'd buffer. Returns NULL with errno set. */
char *fs_read_all(const char *path, size_t *len_out);

/* mkdir -p with the given mode for directories it creates. Returns 0 or -1 with errno set. */
int fs_mkdirs(const char *path, mode_t mode);

bool fs_exists(const char *path);

/* Renames from to to, never replacing an existing to (EEXIST then), and makes the rename durable
 * (fsync of both directories). For files a user owns: a rename that would clobber one fails
 * instead. Returns 0 or -1 with errno set. */
int fs_rename_noreplace(const char *from, const char *to);

/* Joins dir and name with exactly one '/' into a malloc'd string ("" + name = name). */
char *fs_join(const char *dir, const char *name);

/* True when name is a single, safe path component: not empty, not "." or "..", no '/', no '\\',
 * no NUL or control characters, at most 255 bytes. Use it for every name a user sends. */
bool fs_is_safe_name(const char *name);

/* Normalises a relative path a user sent ("a/./b//c/../d" -> "a/b/d") into out. Fails (returns -1)
 * for absolute paths, backslashes, control characters or any ".." that would climb above the root,
 * so the result always stays inside the directory it is later joined to. */
int fs_normalize_relative(const char *path, char *out, size_t out_size);

/* Removes the temporary files fs_write_atomic may have left next to path when the process died
 * before the rename (path.tmp-XXXXXX). */
void fs_remove_stale_temps(const char *path);

/* Removes path: a symlink or file is unlinked (a link's target is never touched), a directory is
 * removed with everything below it (links inside are unlinked, not followed). 0 or -1. */
int fs_remove_tree(const char *path);

/* Bytes of the regular files below path (a symlink at path itself is followed, links inside are
 * not). 0 when path does not exist. */
uint64_t fs_tree_size(const char *path);

/* Numbered rotation: path.(keep-1) -> path.keep, ..., path -> path.1 (the oldest is overwritten). */
void fs_rotate(const char *path, int keep);

#endif
