#include "core/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fsync_parent_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (dfd < 0)
        return -1;
    int rc = fsync(dfd);
    close(dfd);
    return rc;
}

static int write_fully(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    size_t tmp_len = strlen(path) + 16;
    char *tmp = malloc(tmp_len);
    if (!tmp)
        return -1;
    snprintf(tmp, tmp_len, "%s.tmp-XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    int rc = -1;
    if (fchmod(fd, mode) == 0 && write_fully(fd, data, len) == 0 && fsync(fd) == 0) {
        if (close(fd) == 0) {
            fd = -1;
            if (rename(tmp, path) == 0)
                rc = fsync_parent_dir(path);
        }
    }
    int saved = errno;
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}

char *fs_read_all(const char *path, size_t *len_out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            free(buf);
            buf = NULL;
            errno = saved;
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    int saved = errno;
    close(fd);
    errno = saved;
    if (!buf)
        return NULL;
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

int fs_mkdirs(const char *path, mode_t mode)
{
    if (!path[0]) {
        errno = ENOENT;
        return -1;
    }
    char *copy = strdup(path);
    if (!copy)
        return -1;
    for (char *p = copy + 1; ; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, mode) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(copy);
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

bool fs_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

int fs_rename_noreplace(const char *from, const char *to)
{
    int rc = renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        /* a file system without RENAME_NOREPLACE: check, then rename (callers serialise their
         * renames, so nobody creates to in between) */
        if (access(to, F_OK) == 0) {
            errno = EEXIST;
            return -1;
        }
        rc = rename(from, to);
    }
    if (rc != 0)
        return -1;
    return fsync_parent_dir(to) == 0 && fsync_parent_dir(from) == 0 ? 0 : -1;
}

char *fs_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    while (*name == '/')
        name++;
    size_t nl = strlen(name);
    char *out = malloc(dl + 1 + nl + 1);
    if (!out)
        return NULL;
    memcpy(out, dir, dl);
    size_t pos = dl;
    if (dl > 0 && out[dl - 1] != '/')
        out[pos++] = '/';
    memcpy(out + pos, name, nl);
    out[pos + nl] = '\0';
    return out;
}

bool fs_is_safe_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

int fs_normalize_relative(const char *path, char *out, size_t out_size)
{
    if (out_size == 0 || path[0] == '/')
        return -1;
    size_t len = 0;
    const char *p = path;
    while (*p) {
        const char *end = p;
        while (*end && *end != '/')
            end++;
        size_t seg = (size_t)(end - p);
        for (const char *c = p; c < end; c++)
            if (*c == '\\' || (unsigned char)*c < 0x20 || *c == 0x7f)
                return -1;
        if (seg == 0 || (seg == 1 && p[0] == '.')) {
            /* empty or "." segment: skip */
        } else if (seg == 2 && p[0] == '.' && p[1] == '.') {
            if (len == 0)
                return -1; /* would climb above the root */
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* drop the separator too */
        } else {
            if (len + (len ? 1 : 0) + seg + 1 > out_size)
                return -1;
            if (len)
                out[len++] = '/';
            memcpy(out + len, p, seg);
            len += seg;
        }
        p = *end ? end + 1 : end;
    }
    if (len == 0)
        return -1;
    out[len] = '\0';
    return 0;
}

void fs_rotate(const char *path, int keep)
{
    char from[4096], to[4096];
    for (int i = keep - 1; i >= 1; i--) {
        snprintf(from, sizeof from, "%s.%d", path, i);
        snprintf(to, sizeof to, "%s.%d", path, i + 1);
        rename(from, to);
    }
    snprintf(to, sizeof to, "%s.1", path);
    rename(path, to);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int fs_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

static _Thread_local uint64_t tl_tree_bytes;

static int add_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (type == FTW_F && S_ISREG(st->st_mode))
        tl_tree_bytes += (uint64_t)st->st_size;
    return 0;
}

uint64_t fs_tree_size(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return 0;
    tl_tree_bytes = 0;
    nftw(real, add_size, 32, FTW_PHYS);
    return tl_tree_bytes;
}

void fs_remove_stale_temps(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    char *slash = strrchr(copy, '/');
    char prefix[NAME_MAX + 8];
    snprintf(prefix, sizeof prefix, "%s.tmp-", slash ? slash + 1 : copy);
    if (slash)
        *slash = '\0';
    const char *dir = !slash ? "." : slash == copy ? "/" : copy;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || strlen(e->d_name) != strlen(prefix) + 6)
            continue;
        char *victim = fs_join(dir, e->d_name);
        if (victim)
            unlink(victim);
        free(victim);
    }
    if (d)
        closedir(d);
    free(copy);
}
