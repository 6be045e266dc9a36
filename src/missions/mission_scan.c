/* The missions scanner (MISSIONS_SCANNER job): the database follows what is in mpmissions. */
#include "missions/mission_internal.h"

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

/* A scan has two phases. The first reads the directory, the rows and the metadata of every new
 * or changed file without holding the database's write lock (reading thousands of PBOs can take
 * a while, and logins, job records and other changes must not wait for it). The second applies
 * the plan in one short transaction. */

typedef struct scanned_file {
    char *name;
    struct stat st;
    char *tpl;              /* planned: the row to write has this template (NULL: nothing to do) */
    mission_meta meta;      /* planned: what the file says about itself */
} scanned_file;

typedef struct scan_list {
    scanned_file *files;
    size_t count, cap;
    bool failed;
} scan_list;

static void collect_file(const char *name, const struct stat *st, void *arg)
{
    scan_list *list = arg;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 256;
        scanned_file *bigger = realloc(list->files, cap * sizeof *bigger);
        if (!bigger) {
            list->failed = true;
            return;
        }
        list->files = bigger;
        list->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        list->failed = true;
        return;
    }
    list->files[list->count++] = (scanned_file){.name = copy, .st = *st};
}

static int compare_scanned(const void *a, const void *b)
{
    return strcmp(((const scanned_file *)a)->name, ((const scanned_file *)b)->name);
}

static const scanned_file *find_scanned(const scan_list *list, const char *name)
{
    if (list->count == 0)
        return NULL;
    scanned_file key = {.name = (char *)name};
    return bsearch(&key, list->files, list->count, sizeof key, compare_scanned);
}

static bool file_changed(const mission_record *m, const scanned_file *f)
{
    int64_t mtime = (int64_t)f->st.st_mtim.tv_sec * 1000000000 + f->st.st_mtim.tv_nsec;
    return m->size_bytes != f->st.st_size || m->file_mtime != mtime;
}

/* Plans writing the row of file f under template tpl: reads its metadata now, outside the
 * transaction. */
static aswg_err plan_file(const char *dir, scanned_file *f, const char *tpl)
{
    f->tpl = strdup(tpl);
    char *path = fs_join(dir, f->name);
    if (!f->tpl || !path) {
        free(path);
        return ERR_SERVER_ERROR;
    }
    mission_meta_read(path, f->name, &f->meta);
    free(path);
    return ERR_OK;
}

/* The rows as they were when the scan began, indexed by file name: a rescan that finds nothing
 * new touches the database only to read them once. */
typedef struct row_index {
    mission_record *rows;
    size_t count;
    const mission_record **by_file;     /* rows with a file, sorted by file_name */
    size_t with_file;
} row_index;

static int compare_by_file(const void *a, const void *b)
{
    return strcmp((*(const mission_record *const *)a)->file_name, (*(const mission_record *const *)b)->file_name);
}

static aswg_err load_index(row_index *ix)
{
    memset(ix, 0, sizeof *ix);
    if (mission_repo_list(&ix->rows, &ix->count) != DB_OK)
        return ERR_SERVER_ERROR;
    ix->by_file = malloc((ix->count ? ix->count : 1) * sizeof(const mission_record *));
    if (!ix->by_file)
        return ERR_SERVER_ERROR;
    for (size_t i = 0; i < ix->count; i++)
        if (ix->rows[i].file_name)
            ix->by_file[ix->with_file++] = &ix->rows[i];
    if (ix->with_file > 0)
        qsort(ix->by_file, ix->with_file, sizeof(const mission_record *), compare_by_file);
    return ERR_OK;
}

static void free_index(row_index *ix)
{
    mission_records_free(ix->rows, ix->count);
    free(ix->by_file);
}

static const mission_record *row_of_file(const row_index *ix, const char *name)
{
    if (ix->with_file == 0)
        return NULL;
    mission_record key = {.file_name = (char *)name};
    const mission_record *keyp = &key;
    const mission_record *const *hit = bsearch(&keyp, ix->by_file, ix->with_file, sizeof(const mission_record *),
                                                 compare_by_file);
    return hit ? *hit : NULL;
}

/* What the scanner does with file f: the row that owns the file is refreshed when the file
 * changed; otherwise the row with its template gets it (unless another existing file owns that
 * template, e.g. x.Altis.pbo next to x.Altis.PBO); otherwise a new row is made. */
static aswg_err plan_one(const char *dir, const row_index *ix, const scan_list *list,
                         scanned_file *f, mission_scan_result *result)
{
    const mission_record *owner = row_of_file(ix, f->name);
    if (owner)
        return file_changed(owner, f) ? plan_file(dir, f, owner->tpl) : ERR_OK;
    /* The template is the file name as it is on disk: Arma on Linux needs the exact case. */
    char *tpl = strndup(f->name, strlen(f->name) - 4);
    if (!tpl)
        return ERR_SERVER_ERROR;
    char why[160];
    mission_record m;
    aswg_err err = ERR_OK;
    if (!mission_template_valid(tpl, why, sizeof why)) {
        log_warn("mission file %s is ignored: %s (rename the file)", f->name, why);
        result->ignored++;
    } else {
        db_result same_template = mission_repo_find_by_template(tpl, &m);
        bool taken = same_template == DB_OK && m.file_name && find_scanned(list, m.file_name);
        if (same_template == DB_ERROR)
            err = ERR_SERVER_ERROR;
        else if (taken)
            result->ignored++;
        else
            err = plan_file(dir, f, tpl);
        if (same_template == DB_OK)
            mission_record_clear(&m);
    }
    free(tpl);
    return err;
}

static aswg_err plan_files(const row_index *ix, scan_list *list, mission_scan_result *result,
                           bool (*cancelled)(void))
{
    char *dir = mission_dir();
    aswg_err err = dir ? ERR_OK : ERR_SERVER_ERROR;
    for (size_t i = 0; err == ERR_OK && i < list->count; i++) {
        if (cancelled && cancelled())
            err = ERR_SERVICE_UNAVAILABLE;
        else
            err = plan_one(dir, ix, list, &list->files[i], result);
    }
    free(dir);
    return err;
}

/* Writes the planned rows, counting each as added or updated. */
static aswg_err apply_files(const scan_list *list, mission_scan_result *result)
{
    aswg_err err = ERR_OK;
    for (size_t i = 0; err == ERR_OK && i < list->count; i++) {
        const scanned_file *f = &list->files[i];
        if (!f->tpl)
            continue;
        bool added = false;
        err = missions_upsert_file_row(f->name, f->tpl, &f->st, &f->meta, &added);
        if (err == ERR_OK)
            *(added ? &result->added : &result->updated) += 1;
    }
    return err;
}

/* Removes FILE rows whose file is gone; TEMPLATE and VANILLA rows only lose the file and what
 * was read from it. (Rows written by apply_files all have a file that exists.) */
static aswg_err scan_rows(row_index *ix, const scan_list *list, mission_scan_result *result, bool *sync)
{
    aswg_err err = ERR_OK;
    for (size_t i = 0; err == ERR_OK && i < ix->count; i++) {
        mission_record *m = &ix->rows[i];
        if (!m->file_name || find_scanned(list, m->file_name))
            continue;
        if (strcmp(m->source, "FILE") == 0) {
            err = missions_from_db(mission_repo_delete(m->id), ERR_OK);
            result->removed += err == ERR_OK;
            *sync |= m->enabled;
        } else {
            mission_meta none = {0};
            none.world_name = m->world_name;
            missions_apply_meta(m, &none);
            missions_replace_string(&m->file_name, NULL);
            m->size_bytes = 0;
            m->file_mtime = 0;
            err = missions_from_db(mission_repo_update(m), ERR_OK);
        }
    }
    return err;
}

static void free_list(scan_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->files[i].name);
        free(list->files[i].tpl);
        mission_meta_free(&list->files[i].meta);
    }
    free(list->files);
}

aswg_err missions_scan(mission_scan_result *result, bool (*cancelled)(void), char *msg, size_t msg_size)
{
    memset(result, 0, sizeof *result);
    /* A missing directory (an unmounted disk, a wrong server path) must not wipe the missions. */
    struct stat st;
    char *dir = mission_dir();
    bool present = dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(dir);
    if (!present) {
        snprintf(msg, msg_size, "the missions directory does not exist: nothing scanned");
        return ERR_OK;
    }
    scan_list list = {0};
    if (mission_files_each(collect_file, &list) != 0 || list.failed) {
        snprintf(msg, msg_size, "cannot read the missions directory: %s", strerror(errno));
        free_list(&list);
        return ERR_SERVER_ERROR;
    }
    if (list.count > 0)
        qsort(list.files, list.count, sizeof *list.files, compare_scanned);
    bool sync = false;
    row_index ix = {0};
    aswg_err err = load_index(&ix);
    if (err == ERR_OK)
        err = plan_files(&ix, &list, result, cancelled);
    if (err == ERR_SERVICE_UNAVAILABLE)
        snprintf(msg, msg_size, "scan interrupted: aswg is stopping");
    if (err == ERR_OK)
        err = missions_begin_change();
    if (err == ERR_OK) {
        err = apply_files(&list, result);
        if (err == ERR_OK)
            err = scan_rows(&ix, &list, result, &sync);
        err = missions_end_change(err, sync, msg, msg_size);
    }
    free_index(&ix);
    free_list(&list);
    return err;
}
