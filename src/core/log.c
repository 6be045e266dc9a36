#include "core/log.h"

#include "core/fs.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

/* The log file is rotated by size: aswg.log -> aswg.log.1 -> ... -> aswg.log.3, so a busy server
 * on a small disk never grows its logs past about 40 MiB. */
#define LOG_ROTATE_BYTES (10L * 1024 * 1024)
#define LOG_KEEP_FILES 3

static struct {
    log_level min_level;
    bool json;
    FILE *file;
    char *path;
    long size;
    pthread_mutex_t lock;
} g_log = {LOG_INFO, false, NULL, NULL, 0, PTHREAD_MUTEX_INITIALIZER};

static _Thread_local char tl_request_id[40];
static _Thread_local char tl_user[64];

static const char *const LEVEL_NAMES[] = {"DEBUG", "INFO", "WARN", "ERROR"};

void log_configure(log_level min_level, bool json)
{
    g_log.min_level = min_level;
    g_log.json = json;
}

int log_level_parse(const char *name, log_level *out)
{
    for (int i = 0; i <= LOG_ERROR; i++) {
        if (strcasecmp(name, LEVEL_NAMES[i]) == 0) {
            *out = (log_level)i;
            return 0;
        }
    }
    return -1;
}

/* Opens path for appending; the caller holds the lock. */
static int open_locked(const char *path)
{
    FILE *f = fopen(path, "ae");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOLBF, 0);
    if (g_log.file)
        fclose(g_log.file);
    g_log.file = f;
    struct stat st;
    g_log.size = fstat(fileno(f), &st) == 0 ? (long)st.st_size : 0;
    return 0;
}

int log_open_file(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    pthread_mutex_lock(&g_log.lock);
    int rc = open_locked(copy);
    if (rc == 0) {
        free(g_log.path);
        g_log.path = copy;
    } else {
        free(copy);
    }
    pthread_mutex_unlock(&g_log.lock);
    return rc;
}

/* Shifts aswg.log.N up by one and starts a new file; the caller holds the lock. */
static void rotate_locked(void)
{
    fs_rotate(g_log.path, LOG_KEEP_FILES);
    if (open_locked(g_log.path) != 0) {
        fclose(g_log.file);
        g_log.file = NULL;
    }
}

void log_close(void)
{
    pthread_mutex_lock(&g_log.lock);
    if (g_log.file)
        fclose(g_log.file);
    g_log.file = NULL;
    free(g_log.path);
    g_log.path = NULL;
    pthread_mutex_unlock(&g_log.lock);
}

void log_set_context(const char *request_id, const char *user)
{
    snprintf(tl_request_id, sizeof tl_request_id, "%s", request_id ? request_id : "");
    snprintf(tl_user, sizeof tl_user, "%s", user ? user : "");
}

static void format_timestamp(char *buf, size_t size)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char base[32], zone[8];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm);
    snprintf(buf, size, "%.19s.%03d%.5s", base, (int)(tv.tv_usec / 1000), zone);
}

static char *render_json_line(log_level level, const char *ts, const char *msg, json_t *fields)
{
    json_t *line = json_object();
    json_object_set_new(line, "ts", json_string(ts));
    json_object_set_new(line, "level", json_string(LEVEL_NAMES[level]));
    json_object_set_new(line, "msg", json_string(msg));
    if (tl_request_id[0])
        json_object_set_new(line, "requestId", json_string(tl_request_id));
    if (tl_user[0])
        json_object_set_new(line, "user", json_string(tl_user));
    if (fields)
        json_object_update_missing(line, fields);
    char *out = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(4));
    json_decref(line);
    return out;
}

static char *render_text_line(log_level level, const char *ts, const char *msg, json_t *fields)
{
    char *extra = NULL;
    size_t extra_len = 0;
    FILE *mem = open_memstream(&extra, &extra_len);
    if (!mem)
        return NULL;
    if (tl_request_id[0])
        fprintf(mem, " [%s]", tl_request_id);
    if (tl_user[0])
        fprintf(mem, " user=%s", tl_user);
    const char *key;
    json_t *value;
    json_object_foreach(fields, key, value) {
        if (json_is_string(value))
            fprintf(mem, " %s=%s", key, json_string_value(value));
        else {
            char *v = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(4));
            fprintf(mem, " %s=%s", key, v ? v : "?");
            free(v);
        }
    }
    fclose(mem);
    char *out = NULL;
    if (asprintf(&out, "%s %-5s %s%s", ts, LEVEL_NAMES[level], msg, extra ? extra : "") < 0)
        out = NULL;
    free(extra);
    return out;
}

static void log_vwrite(log_level level, json_t *fields, const char *fmt, va_list ap)
{
    if (level < g_log.min_level) {
        json_decref(fields);
        return;
    }
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char ts[48];
    format_timestamp(ts, sizeof ts);
    char *line = g_log.json ? render_json_line(level, ts, msg, fields)
                            : render_text_line(level, ts, msg, fields);
    json_decref(fields);
    if (!line)
        return;
    pthread_mutex_lock(&g_log.lock);
    fprintf(stderr, "%s\n", line);
    if (g_log.file) {
        int n = fprintf(g_log.file, "%s\n", line);
        g_log.size += n > 0 ? n : 0;
        if (g_log.size > LOG_ROTATE_BYTES)
            rotate_locked();
    }
    pthread_mutex_unlock(&g_log.lock);
    free(line);
}

void log_msg(log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vwrite(level, NULL, fmt, ap);
    va_end(ap);
}

void log_event(log_level level, json_t *fields, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vwrite(level, fields, fmt, ap);
    va_end(ap);
}
