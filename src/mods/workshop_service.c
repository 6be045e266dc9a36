#include "mods/workshop_service.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "missions/mission_names.h"
#include "mods/mod_files.h"
#include "mods/mod_service.h"
#include "server/console.h"
#include "server/server_spawn.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX 64
#define PROGRESS_SLOTS 256
#define STEAMCMD_TIME_LIMIT_MS (2L * 60 * 60 * 1000)
#define UPDATE_WAIT_POLL_MS 500
#define DETAILS_CHUNK 100
#define GROWTH_POLL_MS 1000

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running;
    atomic_bool stopping;       /* also read without the lock by a SteamCMD session and MOD_UPDATE */
    struct { int64_t file_id; int progress; } progress[PROGRESS_SLOTS];
    void (*listener)(int64_t, int);
} g = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static int64_t now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* ---- progress ---- */

void workshop_set_progress_listener(void (*listener)(int64_t file_id, int progress))
{
    pthread_mutex_lock(&g.lock);
    g.listener = listener;
    pthread_mutex_unlock(&g.lock);
}

static void set_progress(int64_t file_id, int progress)
{
    pthread_mutex_lock(&g.lock);
    size_t slot = (size_t)file_id % PROGRESS_SLOTS;
    bool changed = g.progress[slot].file_id != file_id || g.progress[slot].progress != progress;
    g.progress[slot].file_id = file_id;
    g.progress[slot].progress = progress;
    void (*listener)(int64_t, int) = changed ? g.listener : NULL;
    pthread_mutex_unlock(&g.lock);
    if (listener)
        listener(file_id, progress);
}

static int progress_of(int64_t file_id)
{
    pthread_mutex_lock(&g.lock);
    size_t slot = (size_t)file_id % PROGRESS_SLOTS;
    int p = g.progress[slot].file_id == file_id ? g.progress[slot].progress : 0;
    pthread_mutex_unlock(&g.lock);
    return p;
}

/* ---- SteamCMD ---- */

bool workshop_active(void)
{
    char exe[PATH_MAX];
    const char *path = config_str("aswg.steamcmd.path");
    return path[0] && find_executable(path, exe, sizeof exe);
}

/* Where SteamCMD puts workshop downloads (ASWG-API.md §4.8, step 4). */
static char *content_directory(void)
{
    const char *configured = config_str("aswg.steamcmd.workshop.content.path");
    if (configured[0])
        return strdup(configured);
    char *steamcmd = strdup(config_str("aswg.steamcmd.path"));
    char *slash = steamcmd ? strrchr(steamcmd, '/') : NULL;
    if (slash) {
        *slash = '\0';
        char *beside = fs_join(steamcmd, "steamapps/workshop/content");
        if (beside && fs_exists(beside)) {
            free(steamcmd);
            return beside;
        }
        free(beside);
    }
    free(steamcmd);
    const char *home = getenv("HOME");
    char *classic = fs_join(home ? home : "", "Steam/steamapps/workshop/content");
    if (classic && fs_exists(classic))
        return classic;
    free(classic);
    return fs_join(home ? home : "", ".local/share/Steam/steamapps/workshop/content");
}

/* <content>/107410/<id>, or the same under SteamCMD's staging folder (workshop/downloads, beside
 * workshop/content), where a download grows before SteamCMD moves it into place. */
static char *item_path(int64_t file_id, bool staging)
{
    char *content = content_directory(), *path = NULL;
    char *slash = content ? strrchr(content, '/') : NULL;
    if (slash && staging)
        *slash = '\0';
    if (content && (!staging || slash) &&
        asprintf(&path, staging ? "%s/downloads/%d/%lld" : "%s/%d/%lld", content, ARMA3_APP_ID, (long long)file_id) < 0)
        path = NULL;
    free(content);
    return path;
}

static char *download_path(int64_t file_id)
{
    return item_path(file_id, false);
}

/* One item of a SteamCMD session. */
typedef struct session_item {
    int64_t file_id;
    uint64_t expected_bytes;    /* the workshop's file_size, 0 when unknown */
    bool downloaded, failed;
    char why[256];              /* what went wrong, for the queue */
} session_item;

static session_item *session_find(session_item *items, size_t n, const char *text)
{
    long long id = strtoll(text, NULL, 10);
    for (size_t i = 0; i < n; i++)
        if (items[i].file_id == id)
            return &items[i];
    return NULL;
}

/* SteamCMD's verdicts: "Success. Downloaded item 123 to ..." and
 * "ERROR! Download item 123 failed (Timeout)." */
static void note_line(const char *line, session_item *items, size_t n)
{
    const char *p = strstr(line, "Downloaded item ");
    session_item *it = p && strncmp(line, "Success", 7) == 0 ? session_find(items, n, p + 16) : NULL;
    if (it) {
        it->downloaded = true;
        set_progress(it->file_id, 50);
        return;
    }
    p = strstr(line, "Download item ");
    it = p && strstr(line, "fail") ? session_find(items, n, p + 14) : NULL;
    if (it) {
        it->failed = true;
        snprintf(it->why, sizeof it->why, "SteamCMD: %.240s", line);
    }
}

/* Progress 1..49 while an item grows in the staging folder (SteamCMD prints no percentage). */
static void report_growth(const session_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (items[i].downloaded || items[i].failed || !items[i].expected_bytes)
            continue;
        char *staging = item_path(items[i].file_id, true);
        uint64_t bytes = staging ? fs_tree_size(staging) : 0;
        free(staging);
        if (bytes) {
            uint64_t share = bytes >= items[i].expected_bytes ? 48 : bytes * 48 / items[i].expected_bytes;
            set_progress(items[i].file_id, 1 + (int)share);
        }
    }
}

/* Reads the child's output into the console until it exits; kills it after the time limit. */
static int follow_steamcmd(spawned *proc, session_item *items, size_t n)
{
    char buf[4096], line[CONSOLE_LINE_MAX];
    size_t len = 0;
    int64_t deadline = now_ms() + STEAMCMD_TIME_LIMIT_MS, next_growth = 0;
    bool log_lines = config_bool("aswg.steamcmd.log-to-server-console");
    for (;;) {
        struct pollfd p = {proc->out_fd, POLLIN, 0};
        int ready = poll(&p, 1, GROWTH_POLL_MS);
        if (now_ms() > deadline || g.stopping) {
            kill(-proc->pid, SIGKILL);
            break;
        }
        if (now_ms() >= next_growth) {
            report_growth(items, n);
            next_growth = now_ms() + GROWTH_POLL_MS;
        }
        if (ready <= 0)
            continue;
        ssize_t got = read(proc->out_fd, buf, sizeof buf);
        if (got <= 0 && !(got < 0 && (errno == EAGAIN || errno == EINTR)))
            break;
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] == '\n' || len == sizeof line - 1) {
                line[len] = '\0';
                note_line(line, items, n);
                if (log_lines)
                    console_line("steamcmd", line);
                len = 0;
                if (buf[i] == '\n')
                    continue;
            }
            if (buf[i] != '\r')
                line[len++] = buf[i];
        }
    }
    close(proc->out_fd);
    int status = 0;
    waitpid(proc->pid, &status, 0);
    return status;
}

/* One SteamCMD session for all ids. The argv holds the Steam password: never logged. */
static int run_steamcmd(session_item *items, size_t n, char *err, size_t err_size)
{
    const char *user = config_str("aswg.steamcmd.username");
    char **argv = calloc(6 + 3 * n, sizeof *argv);
    char (*id_text)[24] = calloc(n ? n : 1, sizeof *id_text);
    char *workdir = strdup(config_str("aswg.steamcmd.path"));
    if (!argv || !id_text || !workdir) {
        free(argv);
        free(id_text);
        free(workdir);
        return -1;
    }
    size_t a = 0;
    argv[a++] = (char *)config_str("aswg.steamcmd.path");
    argv[a++] = "+login";
    argv[a++] = user[0] ? (char *)user : "anonymous";
    if (user[0])
        argv[a++] = (char *)config_str("aswg.steamcmd.password");
    for (size_t i = 0; i < n; i++) {
        snprintf(id_text[i], sizeof id_text[i], "%lld", (long long)items[i].file_id);
        argv[a++] = "+workshop_download_item";
        argv[a++] = "107410";
        argv[a++] = id_text[i];
    }
    argv[a++] = "+quit";
    char *slash = strrchr(workdir, '/');
    if (slash)
        *(slash == workdir ? slash + 1 : slash) = '\0';
    spawned proc;
    int rc = spawn_process(argv, slash ? workdir : ".", &proc, err, err_size);
    if (rc == 0) {
        log_info("steamcmd downloading %zu workshop item(s)", n);
        int status = follow_steamcmd(&proc, items, n);
        char how[96];
        describe_exit(status, how, sizeof how);
        log_info("steamcmd finished (%s)", how);
    } else {
        log_warn("steamcmd not started: %s", err);
    }
    free(argv);
    free(id_text);
    free(workdir);
    return rc;
}

/* ---- installing a download ---- */

/* Picks the folder the mod is registered under, else @<normalised title> (or @<title>_<id> when
 * another mod owns that folder), and points it at the download; a folder holding an older copy of
 * the same mod is replaced. */
static int link_into_mods(const steam_item *item, const char *source, char *directory, size_t size)
{
    char *mods = mods_directory();
    char *base = NULL, *name = NULL;
    mod_record known;
    /* An update goes where the mod is registered already (its folder may be named by hand). */
    bool registered = mod_repo_find_by_file_id(item->file_id, &known) == DB_OK && known.directory[0];
    if (!mods || fs_mkdirs(mods, 0755) != 0 ||
        asprintf(&base, "@%s", item->title[0] ? item->title : "workshop_mod") < 0) {
        free(mods);
        return -1;
    }
    name = registered ? strdup(known.directory) : mission_normalize_file_name(base);
    free(base);
    for (int round = 0; name && round < 2; round++) {
        char *path = fs_join(mods, name);
        struct stat st;
        mod_meta meta;
        bool taken = path && lstat(path, &st) == 0;
        bool same = taken && (S_ISLNK(st.st_mode) || (mod_meta_read(path, &meta) && meta.published_id == item->file_id));
        if (!taken || same) {
            int rc = path && (!taken || fs_remove_tree(path) == 0) && symlink(source, path) == 0 ? 0 : -1;
            snprintf(directory, size, "%s", name);
            free(path);
            free(name);
            free(mods);
            return rc;
        }
        free(path);
        char *other = NULL;
        if (asprintf(&other, "%s_%lld", name, (long long)item->file_id) < 0)
            other = NULL;
        free(name);
        name = other;
    }
    free(name);
    free(mods);
    return -1;
}

/* Links the download into the mods directory and registers it; false when that failed. */
static bool install_download(const steam_item *item, const char *source)
{
    set_progress(item->file_id, 50);
    mod_record m = {0};
    char err[256];
    if (link_into_mods(item, source, m.directory, sizeof m.directory) != 0 ||
        mod_files_normalize(m.directory, m.directory, sizeof m.directory, err, sizeof err) != 0) {
        log_warn("workshop item %lld downloaded but not linked into the mods directory", (long long)item->file_id);
        return false;
    }
    set_progress(item->file_id, 75);
    mod_meta meta;
    char *path = download_path(item->file_id);
    bool has_meta = path && mod_meta_read(path, &meta);
    free(path);
    m.workshop_file_id = item->file_id;
    snprintf(m.name, sizeof m.name, "%s", item->title[0] ? item->title : has_meta && meta.name[0] ? meta.name : m.directory);
    snprintf(m.preview_url, sizeof m.preview_url, "%s", item->preview_url);
    m.last_update_ms = item->time_updated ? item->time_updated * 1000 : has_meta && meta.updated_ms ? meta.updated_ms : now_ms();
    m.last_attempt_ms = now_ms();
    size_t len = 0;
    for (size_t i = 0; i < item->child_count && len + 24 < sizeof m.dependencies; i++)
        len += (size_t)snprintf(m.dependencies + len, sizeof m.dependencies - len, "%s%lld", i ? "," : "",
                                (long long)item->children[i]);
    if (mod_repo_upsert(&m) != DB_OK)
        return false;
    mod_files_forget_sizes();
    mods_refresh_keys();
    log_info("workshop mod '%s' (%lld) installed as %s", m.name, (long long)m.workshop_file_id, m.directory);
    return true;
}

/* ---- the worker ---- */

/* Whether the task has to download: forced, not installed yet, folder gone, or changed on the
 * workshop since the last download. */
static bool needs_download(const workshop_task *t, const steam_item *info)
{
    mod_record m;
    if (t->forced || mod_repo_find_by_file_id(t->file_id, &m) != DB_OK || !m.last_update_ms || !info->found)
        return true;
    char *dir = mods_directory(), *path = dir ? fs_join(dir, m.directory) : NULL;
    bool present = path && fs_exists(path);
    free(path);
    free(dir);
    return !present || info->time_updated * 1000 > m.last_update_ms;
}

static void give_up_or_retry(const workshop_task *t, const char *why)
{
    if (t->attempts + 1 >= WORKSHOP_MAX_ATTEMPTS) {
        log_warn("workshop item %lld (%s): download failed %d times, given up: %s", (long long)t->file_id, t->title,
                 WORKSHOP_MAX_ATTEMPTS, why);
        console_line("aswg", "A workshop download failed 3 times and was given up (see the download queue)");
        workshop_task_give_up(t->file_id, why);
        return;
    }
    int64_t delay = config_duration_ms("aswg.steamcmd.retry-delay");
    for (int i = 0; i < t->attempts; i++)
        delay *= 4;
    workshop_task_postpone(t->file_id, now_ms() + delay, why);
}

/* After the session: each item is installed, retried later or given up. An item the admin took
 * off the queue meanwhile is left where SteamCMD put it. */
static void settle(const session_item *s, const workshop_task *t, const steam_item *info)
{
    if (!workshop_task_queued(s->file_id))
        return;
    char *path = download_path(s->file_id);
    if (path && !s->failed && fs_exists(path)) {
        bool installed = install_download(info, path);
        workshop_task_remove(s->file_id);
        if (installed)
            set_progress(s->file_id, 100); /* done and off the queue */
    } else {
        char why[256];
        if (s->failed)
            snprintf(why, sizeof why, "%s", s->why);
        else if (path)
            snprintf(why, sizeof why, "SteamCMD ended without the download in %s", path);
        else
            snprintf(why, sizeof why, "out of memory");
        give_up_or_retry(t, why);
    }
    free(path);
}

static void process_batch(const workshop_task *tasks, size_t n)
{
    int64_t ids[BATCH_MAX] = {0};
    steam_item *info = calloc(n, sizeof *info);
    session_item items[BATCH_MAX];
    size_t todo[BATCH_MAX], n_wanted = 0;
    if (!info)
        return;
    for (size_t i = 0; i < n; i++)
        ids[i] = tasks[i].file_id;
    char err[256];
    if (steam_file_details(ids, n, info, err, sizeof err) != 0)
        log_info("workshop details unavailable (%s): downloading all queued items", err);
    for (size_t i = 0; i < n; i++) {
        if (!info[i].title[0])
            snprintf(info[i].title, sizeof info[i].title, "%s", tasks[i].title);
        info[i].file_id = tasks[i].file_id;
        if (needs_download(&tasks[i], &info[i])) {
            items[n_wanted] = (session_item){.file_id = tasks[i].file_id, .expected_bytes = info[i].file_size};
            todo[n_wanted++] = i;
        } else {
            workshop_task_remove(tasks[i].file_id);
            set_progress(tasks[i].file_id, 100);
        }
    }
    if (n_wanted && run_steamcmd(items, n_wanted, err, sizeof err) != 0) {
        for (size_t i = 0; i < n_wanted; i++) {
            items[i].failed = true;
            snprintf(items[i].why, sizeof items[i].why, "SteamCMD did not start: %.220s", err);
        }
    }
    /* aswg stopping cut the session short: the tasks stay queued as they were, for the next start. */
    for (size_t i = 0; i < n_wanted && !g.stopping; i++)
        settle(&items[i], &tasks[todo[i]], &info[todo[i]]);
    free(info);
}

/* The due tasks (at most BATCH_MAX); *next_ms becomes the earliest time a held-back one is due. */
static size_t due_tasks(workshop_task **out, int64_t *next_ms)
{
    workshop_task *all;
    size_t n, due = 0;
    *next_ms = 0;
    if (workshop_task_list(&all, &n) != DB_OK)
        return 0;
    int64_t now = now_ms();
    for (size_t i = 0; i < n; i++) {
        if (all[i].gave_up)
            continue;
        if (all[i].not_before_ms <= now && due < BATCH_MAX)
            all[due++] = all[i];
        else if (all[i].not_before_ms > now && (!*next_ms || all[i].not_before_ms < *next_ms))
            *next_ms = all[i].not_before_ms;
    }
    *out = all;
    return due;
}

static void *work(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g.lock);
    while (!g.stopping) {
        pthread_mutex_unlock(&g.lock);
        workshop_task *tasks = NULL;
        int64_t next_ms = 0;
        size_t n = workshop_active() ? due_tasks(&tasks, &next_ms) : 0;
        if (n)
            process_batch(tasks, n);
        free(tasks);
        pthread_mutex_lock(&g.lock);
        if (n || g.stopping)
            continue;
        if (!workshop_active())
            next_ms = now_ms() + 30000; /* look again once SteamCMD may be set up */
        if (next_ms) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            int64_t wait = next_ms - now_ms();
            until.tv_sec += wait / 1000;
            until.tv_nsec += (wait % 1000) * 1000000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&g.wake, &g.lock, &until);
        } else {
            pthread_cond_wait(&g.wake, &g.lock);
        }
    }
    pthread_mutex_unlock(&g.lock);
    return NULL;
}

static void wake_worker(void)
{
    pthread_mutex_lock(&g.lock);
    pthread_cond_signal(&g.wake);
    pthread_mutex_unlock(&g.lock);
}

int workshop_start(char *err, size_t err_size)
{
    g.stopping = false;
    if (pthread_create(&g.thread, NULL, work, NULL) != 0) {
        snprintf(err, err_size, "cannot start the workshop download thread");
        return -1;
    }
    g.running = true;
    return 0;
}

void workshop_stop(void)
{
    if (!g.running)
        return;
    pthread_mutex_lock(&g.lock);
    g.stopping = true;
    pthread_cond_broadcast(&g.wake);
    pthread_mutex_unlock(&g.lock);
    pthread_join(g.thread, NULL);
    g.running = false;
}

/* ---- requests ---- */

static aswg_err queue_one(int64_t file_id, const char *title, const char *issuer, bool forced)
{
    if (workshop_task_add(file_id, title, issuer, forced) == DB_ERROR)
        return ERR_SERVER_ERROR;
    set_progress(file_id, 0);
    log_info("workshop item %lld (%s) queued by %s", (long long)file_id, title, issuer);
    return ERR_OK;
}

aswg_err workshop_install(int64_t file_id, const char *name, bool dependencies, const char *issuer, char *msg,
                          size_t msg_size)
{
    if (!workshop_active()) {
        snprintf(msg, msg_size, "SteamCMD is not set up (aswg.steamcmd.path)");
        return ERR_STEAM_CMD_NOT_INSTALLED;
    }
    char title[STEAM_TEXT_MAX];
    snprintf(title, sizeof title, "%s", name && name[0] ? name : "");
    if (!title[0])
        snprintf(title, sizeof title, "workshop item %lld", (long long)file_id);
    aswg_err err = queue_one(file_id, title, issuer, true);
    const char *key = config_str("aswg.steam.web-api-token");
    steam_item item;
    char why[256];
    if (err == ERR_OK && dependencies && key[0] && steam_item_with_children(file_id, key, &item, why, sizeof why) == 0) {
        for (size_t i = 0; i < item.child_count && err == ERR_OK; i++) {
            mod_record m;
            if (mod_repo_find_by_file_id(item.children[i], &m) != DB_OK) {
                char child[64];
                snprintf(child, sizeof child, "dependency of %lld", (long long)file_id);
                err = queue_one(item.children[i], child, issuer, true);
            }
        }
    }
    wake_worker();
    return err;
}

aswg_err workshop_remove(int64_t file_id, char *msg, size_t msg_size)
{
    db_result r = workshop_task_remove(file_id);
    if (r == DB_NOT_FOUND)
        snprintf(msg, msg_size, "Workshop item %lld is not in the download queue", (long long)file_id);
    else if (r == DB_OK)
        log_info("workshop item %lld taken off the download queue", (long long)file_id);
    return r == DB_OK ? ERR_OK : r == DB_NOT_FOUND ? ERR_NOT_FOUND : ERR_SERVER_ERROR;
}

aswg_err workshop_queue(workshop_queued **out, size_t *count)
{
    workshop_task *tasks;
    if (workshop_task_list(&tasks, count) != DB_OK)
        return ERR_SERVER_ERROR;
    *out = calloc(*count ? *count : 1, sizeof **out);
    if (!*out) {
        free(tasks);
        return ERR_SERVICE_UNAVAILABLE;
    }
    for (size_t i = 0; i < *count; i++) {
        (*out)[i].task = tasks[i];
        (*out)[i].progress = progress_of(tasks[i].file_id);
    }
    free(tasks);
    return ERR_OK;
}

aswg_err workshop_search(const char *cursor, const char *text, bool search_by_id, steam_sort sort, int days,
                         steam_page *out, char *msg, size_t msg_size)
{
    const char *key = config_str("aswg.steam.web-api-token");
    if (!key[0])
        return ERR_STEAM_API_KEY_MISSING;
    if (search_by_id) {
        memset(out, 0, sizeof *out);
        char *end;
        long long id = strtoll(text ? text : "", &end, 10);
        if (!text || *end || id <= 0) {
            snprintf(msg, msg_size, "Field 'searchText' must be a workshop id when searching by id");
            return ERR_BAD_REQUEST;
        }
        if (steam_item_with_children(id, key, &out->items[0], msg, msg_size) == 0)
            out->count = 1;
        return ERR_OK;
    }
    return steam_query(key, cursor, text, sort, days, out, msg, msg_size) == 0 ? ERR_OK : ERR_STEAM_API_FAILED;
}

aswg_err workshop_dependencies(int64_t file_id, workshop_dependency *out, size_t max, size_t *count, char *msg,
                               size_t msg_size)
{
    const char *key = config_str("aswg.steam.web-api-token");
    *count = 0;
    if (!key[0])
        return ERR_STEAM_API_KEY_MISSING;
    steam_item item;
    if (steam_item_with_children(file_id, key, &item, msg, msg_size) != 0)
        return ERR_STEAM_API_FAILED;
    steam_item names[STEAM_CHILDREN_MAX];
    char why[256];
    bool named = item.child_count && steam_file_details(item.children, item.child_count, names, why, sizeof why) == 0;
    for (size_t i = 0; i < item.child_count && *count < max; i++) {
        workshop_dependency *d = &out[(*count)++];
        mod_record m;
        d->file_id = item.children[i];
        d->installed = mod_repo_find_by_file_id(d->file_id, &m) == DB_OK;
        snprintf(d->name, sizeof d->name, "%s", named && names[i].title[0] ? names[i].title : d->installed ? m.name : "");
    }
    return ERR_OK;
}

/* ---- the MOD_UPDATE job ---- */

static bool still_queued(const int64_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (workshop_task_queued(ids[i]))
            return true;
    return false;
}

/* Looks the mods up on the workshop in chunks; outdated ones go to ids/names. */
static int find_outdated(const mod_record *mods, size_t n, int64_t *ids, char *names, size_t names_size,
                         size_t *n_out, char *err, size_t err_size)
{
    *n_out = 0;
    for (size_t start = 0; start < n; start += DETAILS_CHUNK) {
        size_t chunk = n - start < DETAILS_CHUNK ? n - start : DETAILS_CHUNK;
        int64_t chunk_ids[DETAILS_CHUNK];
        steam_item *info = calloc(chunk, sizeof *info);
        for (size_t i = 0; i < chunk; i++)
            chunk_ids[i] = mods[start + i].workshop_file_id;
        if (!info || steam_file_details(chunk_ids, chunk, info, err, err_size) != 0) {
            free(info);
            return -1;
        }
        for (size_t i = 0; i < chunk; i++) {
            const mod_record *m = &mods[start + i];
            workshop_task t = {.file_id = m->workshop_file_id};
            if (info[i].found && needs_download(&t, &info[i])) {
                ids[(*n_out)++] = m->workshop_file_id;
                size_t len = strlen(names);
                snprintf(names + len, names_size - len, "%s%s", len ? ", " : "", m->directory);
            }
        }
        free(info);
    }
    return 0;
}

int workshop_update_mods(char *message, size_t size)
{
    if (!workshop_active()) {
        snprintf(message, size, "nothing to do: steamcmd is not configured (aswg.steamcmd.path)");
        return 0;
    }
    mod_record *mods;
    size_t n;
    if (mod_repo_list(&mods, &n) != DB_OK) {
        snprintf(message, size, "the mods could not be read from the database");
        return -1;
    }
    int64_t *ids = calloc(n ? n : 1, sizeof *ids);
    char names[1024] = "", err[256] = "";
    size_t n_outdated = 0;
    int rc = ids ? find_outdated(mods, n, ids, names, sizeof names, &n_outdated, err, sizeof err) : -1;
    for (size_t i = 0; rc == 0 && i < n_outdated; i++)
        for (size_t j = 0; j < n; j++)
            if (mods[j].workshop_file_id == ids[i])
                queue_one(ids[i], mods[j].name, "MOD_UPDATE_JOB", true);
    free(mods);
    if (rc != 0) {
        snprintf(message, size, "the Steam Web API did not answer: %s", err);
        free(ids);
        return -1;
    }
    if (n_outdated == 0) {
        snprintf(message, size, "all %zu mod(s) are up to date", n);
        free(ids);
        return 0;
    }
    wake_worker();
    while (!g.stopping && still_queued(ids, n_outdated)) {
        struct timespec pause = {0, UPDATE_WAIT_POLL_MS * 1000000L};
        nanosleep(&pause, NULL);
    }
    free(ids);
    snprintf(message, size, "%zu mod(s) queued for update: %s%s", n_outdated, names,
             g.stopping ? " (aswg stopped before the downloads finished)" : "");
    return g.stopping ? -1 : 0;
}
