#include "missions/mission_files.h"

#include "core/config.h"
#include "core/fs.h"
#include "missions/mission_names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *mission_dir(void)
{
    return fs_join(config_str("aswg.server-directory-path"), "mpmissions");
}

int mission_files_prepare(void)
{
    char *dir = mission_dir();
    int rc = dir ? fs_mkdirs(dir, 0755) : -1;
    free(dir);
    return rc;
}

/* dir/name for a name that must stay inside dir. */
static char *path_of(const char *name)
{
    if (!fs_is_safe_name(name)) {
        errno = EINVAL;
        return NULL;
    }
    char *dir = mission_dir();
    char *path = dir ? fs_join(dir, name) : NULL;
    free(dir);
    return path;
}

static int sync_dir(void)
{
    char *dir = mission_dir();
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int mission_files_remove_stale_uploads(void)
{
    char *dir = mission_dir();
    DIR *d = dir ? opendir(dir) : NULL;
    int removed = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, MISSION_UPLOAD_PREFIX, strlen(MISSION_UPLOAD_PREFIX)) == 0 &&
            unlinkat(dirfd(d), e->d_name, 0) == 0)
            removed++;
    }
    if (d)
        closedir(d);
    free(dir);
    return removed;
}

int mission_files_create_temp(char **path)
{
    *path = NULL;
    char *dir = mission_dir();
    char *tmp = dir ? fs_join(dir, MISSION_UPLOAD_PREFIX "XXXXXX") : NULL;
    free(dir);
    if (!tmp)
        return -1;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0644) != 0) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        errno = saved;
        return -1;
    }
    *path = tmp;
    return fd;
}

int mission_files_commit(const char *tmp, const char *name, bool replace)
{
    char *target = path_of(name);
    if (!target)
        return -1;
    int rc = replace ? rename(tmp, target) : renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE);
    int saved = errno;
    free(target);
    if (rc == 0)
        rc = sync_dir();
    else
        errno = saved;
    return rc;
}

int mission_files_stat(const char *name, struct stat *st)
{
    char *path = path_of(name);
    if (!path)
        return -1;
    int rc = stat(path, st);
    free(path);
    return rc;
}

int mission_files_open(const char *name, uint64_t *size)
{
    char *path = path_of(name);
    if (!path)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        errno = ENOENT;
        return -1;
    }
    if (fd >= 0)
        *size = (uint64_t)st.st_size;
    return fd;
}

int mission_files_delete(const char *name)
{
    char *path = path_of(name);
    if (!path)
        return -1;
    int rc = unlink(path);
    free(path);
    return rc == 0 ? sync_dir() : -1;
}

int mission_files_each(void (*fn)(const char *name, const struct stat *st, void *arg), void *arg)
{
    char *dir = mission_dir();
    if (!dir)
        return -1;
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.' || !mission_is_pbo_name(e->d_name) ||
            fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
            continue;
        fn(e->d_name, &st, arg);
    }
    closedir(d);
    return 0;
}
