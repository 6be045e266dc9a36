/* Mission uploads: every file of a request is checked before any is put in place. */
#include "missions/mission_internal.h"

#include "missions/pbo.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_files.h"
#include "missions/mission_meta.h"
#include "missions/mission_names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- uploads ---- */

typedef struct upload_file {
    char *file_name;    /* normalised name in mpmissions */
    char *tpl;
    char *tmp;          /* temp file, until committed */
    int fd;
    uint64_t size;
    bool committed;
    bool replaced;      /* an existing file was overwritten (nothing to undo) */
    mission_meta meta;
    struct stat st;
} upload_file;

typedef struct mission_upload {
    upload_file *files;
    size_t count, cap;
    char overwrite[8];
    size_t overwrite_len;
} mission_upload;

static void *upload_new(void)
{
    return calloc(1, sizeof(mission_upload));
}

static upload_file *current_file(mission_upload *up)
{
    return up->count ? &up->files[up->count - 1] : NULL;
}

static aswg_err check_upload_name(mission_upload *up, const char *original, char **name_out,
                                  char **tpl_out, char *msg, size_t msg_size)
{
    if (!mission_is_pbo_name(original)) {
        snprintf(msg, msg_size, "Filetype not allowed: '%.200s' is not a .pbo file", original);
        return ERR_NOT_ALLOWED_FILE_TYPE;
    }
    char *name = mission_normalize_file_name(original);
    char *tpl = mission_template_from_file_name(original);
    aswg_err err = ERR_OK;
    char why[160];
    if (!name || !tpl) {
        err = ERR_SERVER_ERROR;
    } else if (name[0] == '.' || !fs_is_safe_name(name) || !mission_template_valid(tpl, why, sizeof why)) {
        snprintf(msg, msg_size, "'%.200s' cannot be used as a mission file name", original);
        err = ERR_BAD_REQUEST;
    }
    for (size_t i = 0; err == ERR_OK && i < up->count; i++) {
        if (strcmp(up->files[i].file_name, name) == 0) {
            snprintf(msg, msg_size, "'%.200s' is uploaded twice", name);
            err = ERR_BAD_REQUEST;
        }
    }
    if (err != ERR_OK) {
        free(name);
        free(tpl);
        return err;
    }
    *name_out = name;
    *tpl_out = tpl;
    return ERR_OK;
}

static aswg_err upload_begin_file(void *state, const char *file_name, char *msg, size_t msg_size)
{
    mission_upload *up = state;
    char *name, *tpl;
    aswg_err err = check_upload_name(up, file_name, &name, &tpl, msg, msg_size);
    if (err != ERR_OK)
        return err;
    if (up->count == up->cap) {
        size_t cap = up->cap ? up->cap * 2 : 4;
        upload_file *bigger = realloc(up->files, cap * sizeof *bigger);
        if (!bigger) {
            free(name);
            free(tpl);
            return ERR_SERVER_ERROR;
        }
        up->files = bigger;
        up->cap = cap;
    }
    upload_file *f = &up->files[up->count];
    memset(f, 0, sizeof *f);
    f->file_name = name;
    f->tpl = tpl;
    f->fd = mission_files_prepare() == 0 ? mission_files_create_temp(&f->tmp) : -1;
    up->count++;
    if (f->fd < 0) {
        snprintf(msg, msg_size, "Cannot store the upload: %s", strerror(errno));
        return errno == ENOSPC || errno == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_SERVER_ERROR;
    }
    return ERR_OK;
}

static aswg_err io_error(void)
{
    return errno == ENOSPC || errno == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_SERVER_ERROR;
}

static aswg_err upload_write(void *state, const char *data, size_t size)
{
    mission_upload *up = state;
    upload_file *f = current_file(up);
    if (!f || f->fd < 0)
        return ERR_SERVER_ERROR;
    while (size > 0) {
        ssize_t n = write(f->fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_error();
        data += n;
        size -= (size_t)n;
        f->size += (uint64_t)n;
    }
    return ERR_OK;
}

static void upload_overwrite_text(void *state, const char *data, size_t size)
{
    mission_upload *up = state;
    for (size_t i = 0; i < size && up->overwrite_len + 1 < sizeof up->overwrite; i++)
        up->overwrite[up->overwrite_len++] = data[i];
    up->overwrite[up->overwrite_len] = '\0';
}

/* Makes a received file durable and checks it is a PBO; reads its metadata. */
static aswg_err verify_file(upload_file *f, char *msg, size_t msg_size)
{
    if (fsync(f->fd) != 0)
        return io_error();
    pbo header;
    pbo_result r = pbo_read_header(f->fd, f->size, &header);
    pbo_free(&header);
    if (r == PBO_NOT_A_PBO) {
        snprintf(msg, msg_size, "'%.200s' is not a PBO archive", f->file_name);
        return ERR_NOT_A_PBO;
    }
    if (r != PBO_OK || fstat(f->fd, &f->st) != 0)
        return ERR_SERVER_ERROR;
    mission_meta_read(f->tmp, f->file_name, &f->meta);
    return ERR_OK;
}

static aswg_err check_conflicts(mission_upload *up, bool overwrite, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < up->count; i++) {
        struct stat st;
        up->files[i].replaced = mission_files_stat(up->files[i].file_name, &st) == 0;
        if (up->files[i].replaced && !overwrite) {
            snprintf(msg, msg_size, "Mission file '%.200s' already exists", up->files[i].file_name);
            return ERR_MISSION_ALREADY_EXISTS;
        }
    }
    return ERR_OK;
}

/* Renames every file into place and writes its row, in one transaction. */
static aswg_err put_in_place(mission_upload *up, bool overwrite, char *msg, size_t msg_size)
{
    aswg_err err = missions_begin_change();
    for (size_t i = 0; err == ERR_OK && i < up->count; i++) {
        upload_file *f = &up->files[i];
        if (mission_files_commit(f->tmp, f->file_name, overwrite) != 0) {
            err = errno == EEXIST ? ERR_MISSION_ALREADY_EXISTS : io_error();
            snprintf(msg, msg_size, "Cannot store '%.200s': %s", f->file_name, strerror(errno));
            break;
        }
        f->committed = true;
        bool added;
        err = missions_upsert_file_row(f->file_name, f->tpl, &f->st, &f->meta, &added);
    }
    err = missions_end_change(err, false, msg, msg_size);
    for (size_t i = 0; err != ERR_OK && i < up->count; i++) {
        if (up->files[i].committed && !up->files[i].replaced)
            mission_files_delete(up->files[i].file_name); /* undo: no file without its row */
    }
    return err;
}

static aswg_err upload_commit(void *state, char *msg, size_t msg_size)
{
    mission_upload *up = state;
    if (up->count == 0) {
        snprintf(msg, msg_size, "No mission file in the upload (multipart part 'file')");
        return ERR_BAD_REQUEST;
    }
    bool overwrite = strcasecmp(up->overwrite, "true") == 0;
    aswg_err err = ERR_OK;
    for (size_t i = 0; err == ERR_OK && i < up->count; i++)
        err = verify_file(&up->files[i], msg, msg_size);
    if (err == ERR_OK)
        err = check_conflicts(up, overwrite, msg, msg_size);
    if (err == ERR_OK)
        err = put_in_place(up, overwrite, msg, msg_size);
    for (size_t i = 0; err == ERR_OK && i < up->count; i++)
        log_info("mission file %s uploaded (%llu bytes)", up->files[i].file_name,
                 (unsigned long long)up->files[i].size);
    return err;
}

static void upload_free(void *state)
{
    mission_upload *up = state;
    if (!up)
        return;
    for (size_t i = 0; i < up->count; i++) {
        upload_file *f = &up->files[i];
        if (f->fd >= 0)
            close(f->fd);
        if (f->tmp && !f->committed)
            unlink(f->tmp);
        free(f->tmp);
        free(f->file_name);
        free(f->tpl);
        mission_meta_free(&f->meta);
    }
    free(up->files);
    free(up);
}

static uint64_t upload_max_bytes(void)
{
    return (uint64_t)config_size_bytes("aswg.missions.max-upload-size");
}

const upload_sink MISSION_UPLOAD_SINK = {
    upload_max_bytes, upload_new, upload_begin_file, upload_write, upload_overwrite_text, upload_commit, upload_free,
};

