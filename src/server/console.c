#include "server/console.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define KEEP_FILES 5

static struct {
    pthread_mutex_t lock;
    char *path;
    int fd;
    int64_t size;
    char *ring[CONSOLE_RING_LINES];
    uint64_t next_seq;          /* sequence number of the next line; line s is ring[s % N] */
    void (*listener)(void);
} g_console = {.lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1};

static void open_file_locked(void)
{
    g_console.fd = open(g_console.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    struct stat st;
    g_console.size = g_console.fd >= 0 && fstat(g_console.fd, &st) == 0 ? st.st_size : 0;
    if (g_console.fd < 0)
        log_warn("cannot open %s: %m; the console is kept in memory only", g_console.path);
}

int console_init(void)
{
    pthread_mutex_lock(&g_console.lock);
    g_console.path = fs_join(config_str("aswg.logs.location"), "arma-server.log");
    if (g_console.path)
        open_file_locked();
    pthread_mutex_unlock(&g_console.lock);
    return g_console.path ? 0 : -1;
}

void console_shutdown(void)
{
    pthread_mutex_lock(&g_console.lock);
    if (g_console.fd >= 0)
        close(g_console.fd);
    g_console.fd = -1;
    free(g_console.path);
    g_console.path = NULL;
    for (size_t i = 0; i < CONSOLE_RING_LINES; i++) {
        free(g_console.ring[i]);
        g_console.ring[i] = NULL;
    }
    g_console.listener = NULL;
    pthread_mutex_unlock(&g_console.lock);
}

static void rotate_locked(void)
{
    if (!g_console.path)
        return;
    if (g_console.fd >= 0)
        close(g_console.fd);
    fs_rotate(g_console.path, KEEP_FILES);
    open_file_locked();
}

void console_new_run(void)
{
    pthread_mutex_lock(&g_console.lock);
    if (g_console.size > 0)
        rotate_locked();
    pthread_mutex_unlock(&g_console.lock);
}

void console_set_listener(void (*listener)(void))
{
    pthread_mutex_lock(&g_console.lock);
    g_console.listener = listener;
    pthread_mutex_unlock(&g_console.lock);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p)
{
    size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 2 && p[0] < 0xC2)
        return 0; /* overlong */
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Control characters other than tab and bytes that are not UTF-8 (the game prints whatever its
 * missions print) become '?', so a line can never break the SSE framing, the JSON of
 * latest-logs or the log file. */
static void sanitize(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p;) {
        size_t n = utf8_sequence(p);
        if (n == 0 || (n == 1 && *p < 0x20 && *p != '\t')) {
            *p++ = '?';
        } else {
            p += n;
        }
    }
}

/* "2026-12-03 23:41:12.345 [steamcmd] text" */
static char *format_line(const char *source, const char *line)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    size_t len = strnlen(line, CONSOLE_LINE_MAX);
    char *out = NULL;
    if (asprintf(&out, "%s.%03d %s%s%s%.*s", stamp, (int)(tv.tv_usec / 1000), source ? "[" : "",
                 source ? source : "", source ? "] " : "", (int)len, line) < 0)
        return NULL;
    sanitize(out);
    return out;
}

void console_line(const char *source, const char *line)
{
    char *text = format_line(source, line);
    if (!text)
        return;
    size_t len = strlen(text);
    pthread_mutex_lock(&g_console.lock);
    if (g_console.fd >= 0) {
        text[len] = '\n';
        ssize_t n = write(g_console.fd, text, len + 1);
        text[len] = '\0';
        g_console.size += n > 0 ? n : 0;
        if (g_console.size > config_size_bytes("aswg.server.console.max-file-size"))
            rotate_locked();
    }
    char **slot = &g_console.ring[g_console.next_seq % CONSOLE_RING_LINES];
    free(*slot);
    *slot = text;
    g_console.next_seq++;
    void (*listener)(void) = g_console.listener;
    pthread_mutex_unlock(&g_console.lock);
    if (listener)
        listener();
}

uint64_t console_cursor_now(void)
{
    pthread_mutex_lock(&g_console.lock);
    uint64_t seq = g_console.next_seq;
    pthread_mutex_unlock(&g_console.lock);
    return seq;
}

size_t console_read_events(uint64_t *cursor, char *buf, size_t cap)
{
    size_t used = 0;
    pthread_mutex_lock(&g_console.lock);
    uint64_t oldest = g_console.next_seq > CONSOLE_RING_LINES ? g_console.next_seq - CONSOLE_RING_LINES : 0;
    if (*cursor < oldest)
        *cursor = oldest;
    while (*cursor < g_console.next_seq) {
        const char *line = g_console.ring[*cursor % CONSOLE_RING_LINES];
        size_t need = strlen(line) + 7;
        if (used + need > cap)
            break;
        used += (size_t)snprintf(buf + used, cap - used, "data:%s\n\n", line);
        (*cursor)++;
    }
    pthread_mutex_unlock(&g_console.lock);
    return used;
}

/* Reads the file backwards in chunks until `lines` line starts are found. */
static char *read_tail(const char *path, size_t lines, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size, start = size, found = 0;
    char chunk[65536];
    while (start > 0 && found < lines) {
        size_t n = start < sizeof chunk ? start : sizeof chunk;
        start -= n;
        if (pread(fd, chunk, n, (off_t)start) != (ssize_t)n)
            break;
        for (size_t i = n; i-- > 0;) {
            /* A newline that is not the file's last byte starts a line. */
            if (chunk[i] == '\n' && start + i + 1 < size && ++found >= lines) {
                start += i + 1;
                break;
            }
        }
    }
    char *data = malloc(size - start + 1);
    if (data && pread(fd, data, size - start, (off_t)start) != (ssize_t)(size - start)) {
        free(data);
        data = NULL;
    }
    close(fd);
    if (data) {
        data[size - start] = '\0';
        *len = size - start;
    }
    return data;
}

json_t *console_tail(size_t lines)
{
    json_t *out = json_array();
    pthread_mutex_lock(&g_console.lock);
    char *path = g_console.path ? strdup(g_console.path) : NULL;
    pthread_mutex_unlock(&g_console.lock);
    size_t len = 0;
    char *data = path ? read_tail(path, lines, &len) : NULL;
    free(path);
    for (char *p = data; p && p < data + len;) {
        char *nl = memchr(p, '\n', (size_t)(data + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(data + len - p);
        json_array_append_new(out, json_stringn_nocheck(p, n));
        p += n + 1;
    }
    free(data);
    return out;
}
