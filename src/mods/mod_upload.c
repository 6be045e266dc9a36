#include "mods/mod_upload.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_names.h"
#include "mods/mod_files.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

typedef struct upload_file {
    char *file_name;        /* as sent */
    char *archive;          /* temporary file holding it */
    int fd;
    char *unpacked;         /* temporary folder it was unpacked into */
    char *mod_dir;          /* the folder's final name in the mods directory */
} upload_file;

typedef struct mod_upload {
    upload_file *files;
    size_t count, cap;
    char overwrite[16];
    size_t overwrite_len;
} mod_upload;

static aswg_err io_error(void)
{
    return errno == ENOSPC || errno == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_SERVER_ERROR;
}

static void *upload_new(void)
{
    return calloc(1, sizeof(mod_upload));
}

static bool is_zip_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".zip") == 0;
}

/* "@My Mod.zip" -> "@my_mod"; "cba.zip" -> "@cba" (mod folders start with '@' by convention). */
static char *folder_for(const char *file_name)
{
    const char *base = strrchr(file_name, '/');
    base = base ? base + 1 : file_name;
    char *stem = strndup(base, strlen(base) - 4);
    char *name = stem ? mission_normalize_file_name(stem) : NULL;
    free(stem);
    char *folder = NULL;
    if (name && name[0] && asprintf(&folder, "%s%s", name[0] == '@' ? "" : "@", name) < 0)
        folder = NULL;
    free(name);
    return folder && fs_is_safe_name(folder) ? folder : (free(folder), NULL);
}

static aswg_err upload_begin_file(void *state, const char *file_name, char *msg, size_t msg_size)
{
    mod_upload *up = state;
    if (!is_zip_name(file_name)) {
        snprintf(msg, msg_size, "'%s' is not a .zip archive", file_name);
        return ERR_NOT_ALLOWED_FILE_TYPE;
    }
    if (up->count == up->cap) {
        size_t cap = up->cap ? up->cap * 2 : 4;
        upload_file *grown = realloc(up->files, cap * sizeof *grown);
        if (!grown)
            return ERR_SERVICE_UNAVAILABLE;
        up->files = grown;
        up->cap = cap;
    }
    upload_file *f = &up->files[up->count++];
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->file_name = strdup(file_name);
    char *dir = mods_directory();
    f->archive = dir ? fs_join(dir, MOD_UPLOAD_PREFIX "XXXXXX") : NULL;
    if (!f->file_name || !f->archive || fs_mkdirs(dir, 0755) != 0 || (f->fd = mkostemp(f->archive, O_CLOEXEC)) < 0) {
        aswg_err err = io_error();
        snprintf(msg, msg_size, "Cannot store the upload: %s", strerror(errno));
        free(f->archive);
        f->archive = NULL;
        free(dir);
        return err;
    }
    free(dir);
    return ERR_OK;
}

/* A full disk shows as a short write first, then ENOSPC: keep writing until one of them. */
static aswg_err write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? ERR_INSUFFICIENT_STORAGE : io_error();
        data += n;
        size -= (size_t)n;
    }
    return ERR_OK;
}

static aswg_err upload_write(void *state, const char *data, size_t size)
{
    mod_upload *up = state;
    upload_file *f = up->count ? &up->files[up->count - 1] : NULL;
    return f && f->fd >= 0 ? write_all(f->fd, data, size) : ERR_SERVER_ERROR;
}

static void upload_overwrite_text(void *state, const char *data, size_t size)
{
    mod_upload *up = state;
    for (size_t i = 0; i < size && up->overwrite_len + 1 < sizeof up->overwrite; i++)
        up->overwrite[up->overwrite_len++] = data[i];
    up->overwrite[up->overwrite_len] = '\0';
}

/* ---- unpacking ---- */

/* An entry's path, made safe and lower-cased: NULL when it would leave the folder. */
static char *safe_entry_path(const char *raw)
{
    char norm[PATH_MAX];
    if (!raw || fs_normalize_relative(raw, norm, sizeof norm) != 0 || !norm[0])
        return NULL;
    for (char *p = norm; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return strdup(norm);
}

/* Copies entry i into path, counting what it really unpacks to (a header may lie about it). */
static aswg_err write_entry(zip_t *za, zip_uint64_t i, const char *path, uint64_t *total, uint64_t limit,
                            char *msg, size_t msg_size)
{
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = '\0';
        int rc = fs_mkdirs(path, 0755);
        *slash = '/';
        if (rc != 0)
            return io_error();
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(msg, msg_size, "The archive holds '%s' twice", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
        return errno == EEXIST ? ERR_BAD_REQUEST : io_error();
    }
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    aswg_err err = zf ? ERR_OK : ERR_BAD_REQUEST;
    char buf[65536];
    zip_int64_t n = 0;
    while (err == ERR_OK && (n = zip_fread(zf, buf, sizeof buf)) > 0) {
        *total += (uint64_t)n;
        if (*total > limit)
            err = ERR_PAYLOAD_TOO_LARGE;
        else
            err = write_all(fd, buf, (size_t)n);
    }
    if (err == ERR_OK && n < 0)
        err = ERR_BAD_REQUEST;
    if (err == ERR_BAD_REQUEST)
        snprintf(msg, msg_size, "The archive is damaged: %s", zf ? zip_file_strerror(zf) : zip_strerror(za));
    else if (err == ERR_PAYLOAD_TOO_LARGE)
        snprintf(msg, msg_size, "The archive unpacks to more than aswg.mods.max-unpacked-size");
    if (err == ERR_OK && fsync(fd) != 0)
        err = io_error();
    if (zf)
        zip_fclose(zf);
    close(fd);
    return err;
}

/* Plain files and folders only: what the entry's Unix mode says, when it has one. */
static bool plain_entry(zip_t *za, zip_uint64_t i)
{
    zip_uint8_t opsys;
    zip_uint32_t attributes;
    if (zip_file_get_external_attributes(za, i, 0, &opsys, &attributes) != 0)
        return false;
    mode_t type = (mode_t)(attributes >> 16) & S_IFMT; /* 0: the archiver wrote no file type */
    return opsys != ZIP_OPSYS_UNIX || type == 0 || type == S_IFREG || type == S_IFDIR;
}

static aswg_err unpack_entry(zip_t *za, zip_uint64_t i, upload_file *f, uint64_t *total, uint64_t limit,
                             char *msg, size_t msg_size)
{
    zip_stat_t st;
    if (zip_stat_index(za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
        snprintf(msg, msg_size, "'%s' is damaged", f->file_name);
        return ERR_BAD_REQUEST;
    }
    char *rel = safe_entry_path(st.name);
    if (!rel || !plain_entry(za, i)) {
        snprintf(msg, msg_size, "'%s' holds an entry that is not allowed: '%s' (only plain files and folders "
                 "inside the archive)", f->file_name, st.name);
        free(rel);
        return ERR_BAD_REQUEST;
    }
    char *path = fs_join(f->unpacked, rel);
    size_t len = strlen(st.name);
    aswg_err err;
    if (!path)
        err = ERR_SERVICE_UNAVAILABLE;
    else if (len && st.name[len - 1] == '/')
        err = fs_mkdirs(path, 0755) == 0 ? ERR_OK : io_error();
    else
        err = write_entry(za, i, path, total, limit, msg, msg_size);
    free(path);
    free(rel);
    return err;
}

/* Unpacks f->archive into a new temporary folder (f->unpacked). */
static aswg_err unpack(upload_file *f, char *msg, size_t msg_size)
{
    char *dir = mods_directory();
    f->unpacked = dir ? fs_join(dir, MOD_UPLOAD_PREFIX "dir-XXXXXX") : NULL;
    free(dir);
    if (!f->unpacked || !mkdtemp(f->unpacked)) {
        free(f->unpacked);
        f->unpacked = NULL;
        return io_error();
    }
    int zerr = 0;
    zip_t *za = zip_open(f->archive, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!za) {
        snprintf(msg, msg_size, "'%s' is not a zip archive", f->file_name);
        return ERR_BAD_REQUEST;
    }
    uint64_t total = 0, limit = (uint64_t)config_size_bytes("aswg.mods.max-unpacked-size");
    zip_int64_t n = zip_get_num_entries(za, 0);
    aswg_err err = ERR_OK;
    for (zip_int64_t i = 0; i < n && err == ERR_OK; i++)
        err = unpack_entry(za, (zip_uint64_t)i, f, &total, limit, msg, msg_size);
    zip_discard(za);
    return err;
}

/* The folder to move into place: the archive's only top-level folder when it has one (a zip of
 * "@cba_a3/..."), else everything it holds, under the archive's name. */
static char *mod_root(upload_file *f)
{
    DIR *d = opendir(f->unpacked);
    struct dirent *e;
    char only[NAME_MAX + 1] = "";
    int entries = 0;
    bool single_dir = false;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        entries++;
        char *path = fs_join(f->unpacked, e->d_name);
        struct stat st;
        single_dir = path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
        snprintf(only, sizeof only, "%s", e->d_name);
        free(path);
    }
    if (d)
        closedir(d);
    if (entries == 1 && single_dir && strcasecmp(only, "addons") != 0) {
        char *name = mission_normalize_file_name(only);
        f->mod_dir = name && name[0] && fs_is_safe_name(name) ? name : (free(name), NULL);
        return f->mod_dir ? fs_join(f->unpacked, only) : NULL;
    }
    f->mod_dir = folder_for(f->file_name);
    return f->mod_dir ? strdup(f->unpacked) : NULL;
}

static bool in_place(const upload_file *files, size_t upto, const char *mod_dir)
{
    for (size_t i = 0; i < upto; i++)
        if (strcmp(files[i].mod_dir, mod_dir) == 0)
            return true;
    return false;
}

/* Moves each unpacked folder into place; an existing folder (overwrite) is set aside first and
 * removed once the new one is there. */
static aswg_err move_into_place(mod_upload *up, char **roots, char *msg, size_t msg_size)
{
    char *dir = mods_directory();
    aswg_err err = dir ? ERR_OK : ERR_SERVICE_UNAVAILABLE;
    for (size_t i = 0; err == ERR_OK && i < up->count; i++) {
        char *target = fs_join(dir, up->files[i].mod_dir), *aside = NULL;
        struct stat st;
        if (target && lstat(target, &st) == 0 && asprintf(&aside, "%s/" MOD_UPLOAD_PREFIX "old-%zu-%d", dir, i, getpid()) > 0)
            rename(target, aside);
        if (!target || rename(roots[i], target) != 0) {
            snprintf(msg, msg_size, "Cannot move '%s' into the mods directory: %s", up->files[i].mod_dir, strerror(errno));
            err = ERR_SERVER_ERROR;
        }
        if (aside)
            fs_remove_tree(aside);
        if (err == ERR_OK)
            log_info("mod archive %s unpacked into %s", up->files[i].file_name, up->files[i].mod_dir);
        free(aside);
        free(target);
    }
    free(dir);
    return err;
}

static aswg_err upload_commit(void *state, char *msg, size_t msg_size)
{
    mod_upload *up = state;
    if (up->count == 0) {
        snprintf(msg, msg_size, "No file was sent (multipart field 'file')");
        return ERR_BAD_REQUEST;
    }
    bool overwrite = strcasecmp(up->overwrite, "true") == 0;
    char **roots = calloc(up->count, sizeof *roots);
    aswg_err err = roots ? ERR_OK : ERR_SERVICE_UNAVAILABLE;
    char *dir = mods_directory();
    for (size_t i = 0; err == ERR_OK && i < up->count; i++) {
        upload_file *f = &up->files[i];
        close(f->fd);
        f->fd = -1;
        err = unpack(f, msg, msg_size);
        if (err == ERR_OK && !(roots[i] = mod_root(f))) {
            snprintf(msg, msg_size, "'%s' does not give a usable mod folder name", f->file_name);
            err = ERR_BAD_REQUEST;
        }
        char *target = err == ERR_OK && dir ? fs_join(dir, f->mod_dir) : NULL;
        if (err == ERR_OK && (in_place(up->files, i, f->mod_dir) || (target && fs_exists(target) && !overwrite))) {
            snprintf(msg, msg_size, "Mod folder '%s' exists already", f->mod_dir);
            err = ERR_MOD_ALREADY_EXISTS;
        }
        free(target);
    }
    free(dir);
    if (err == ERR_OK)
        err = move_into_place(up, roots, msg, msg_size);
    for (size_t i = 0; roots && i < up->count; i++)
        free(roots[i]);
    free(roots);
    mod_files_forget_sizes();
    return err;
}

static void upload_free(void *state)
{
    mod_upload *up = state;
    if (!up)
        return;
    for (size_t i = 0; i < up->count; i++) {
        upload_file *f = &up->files[i];
        if (f->fd >= 0)
            close(f->fd);
        if (f->archive)
            unlink(f->archive);
        if (f->unpacked)
            fs_remove_tree(f->unpacked);
        free(f->archive);
        free(f->unpacked);
        free(f->file_name);
        free(f->mod_dir);
    }
    free(up->files);
    free(up);
}

static uint64_t upload_max_bytes(void)
{
    return (uint64_t)config_size_bytes("aswg.mods.max-upload-size");
}

const upload_sink MOD_UPLOAD_SINK = {
    upload_max_bytes, upload_new, upload_begin_file, upload_write, upload_overwrite_text, upload_commit, upload_free,
};

bool mods_upload_exists(const char *file_name)
{
    char *folder = is_zip_name(file_name) ? folder_for(file_name) : NULL;
    char *dir = mods_directory();
    char *path = folder && dir ? fs_join(dir, folder) : NULL;
    bool exists = path && fs_exists(path);
    free(path);
    free(dir);
    free(folder);
    return exists;
}

void mods_upload_clean_leftovers(void)
{
    char *dir = mods_directory();
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, MOD_UPLOAD_PREFIX, strlen(MOD_UPLOAD_PREFIX)) != 0)
            continue;
        char *path = fs_join(dir, e->d_name);
        if (path && fs_remove_tree(path) == 0)
            log_info("removed %s left by an interrupted mod upload", e->d_name);
        free(path);
    }
    if (d)
        closedir(d);
    free(dir);
}
