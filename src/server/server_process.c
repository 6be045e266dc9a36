#include "server/server_process.h"

#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "discord/discord_notify.h"
#include "server/console.h"
#include "server/player_events.h"
#include "server/server_params.h"
#include "server/server_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUERY_TIMEOUT_MS 300
#define QUERY_EVERY_MS 2000
#define ANNOUNCE_WITHOUT_STEAM_MS (120L * 1000)
#define ADOPTED_CHECK_MS 1000
#define REQUEST_WAIT_MS 5000
#define STOP_WAIT_MS 10000
#define RESTARTS_MAX 3
#define RESTART_WINDOW_MS (10L * 60 * 1000)
#define RESTART_FIRST_DELAY_MS 5000

typedef enum child_kind { CHILD_NONE, CHILD_STEAMCMD, CHILD_GAME, CHILD_ADOPTED } child_kind;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;     /* state changes, for requests waiting on them */
    pthread_t thread;
    bool running, quitting;
    int wake[2];

    server_state state;
    child_kind child;
    spawned proc;
    char *pid_path;             /* where this run's pid file is (the server dir may change) */
    int query_port;
    int64_t started_at_ms;
    bool start_pending;         /* a start request the thread has not acted on yet */
    bool update_pending;
    bool stop_requested;        /* aswg is stopping the current child */
    bool reaped;                /* the child was waited for: its pid may belong to another now */
    int64_t kill_at_ms;
    char start_error[256];

    bool online, announced;
    a2s_info steam;
    a2s_players *steam_players;
    a2s_players *console_players;
    int64_t next_query_ms, next_alive_check_ms;

    int64_t restart_at_ms;
    int64_t restarts[RESTARTS_MAX];
    char last_exit[128];

    char line[CONSOLE_LINE_MAX];
    size_t line_len;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER, .wake = {-1, -1}};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void wake_thread(void)
{
    char c = 1;
    ssize_t ignored = write(g.wake[1], &c, 1);
    (void)ignored;
}

static void set_state_locked(server_state state)
{
    g.state = state;
    pthread_cond_broadcast(&g.changed);
}

/* Waits (holding the lock) until done() or ms have passed. */
static void wait_locked(bool (*done)(void), int ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    while (!done() && pthread_cond_timedwait(&g.changed, &g.lock, &until) == 0) {
    }
}

/* ---- Discord ---- */

/* An event with what the last Steam answer told about the server. */
static void notify_locked(discord_kind kind, const char *player, const char *detail)
{
    discord_event ev = {.player = player, .detail = detail, .players = -1, .max_players = -1};
    if (g.online) {
        ev.server_name = g.steam.name;
        ev.mission = g.steam.game[0] ? g.steam.game : NULL;
        ev.players = g.steam.players;
        ev.max_players = g.steam.max_players;
    } else if (kind == DISCORD_PLAYER_JOINED || kind == DISCORD_PLAYER_LEFT) {
        ev.players = (int)g.console_players->count;
    }
    discord_notify(kind, &ev);
}

/* ---- the console and the player list it gives ---- */

static void forget_player_locked(a2s_players *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++) {
        if (strcmp(list->names[i], name) == 0) {
            memmove(list->names[i], list->names[i + 1], (list->count - i - 1) * sizeof list->names[0]);
            list->count--;
            return;
        }
    }
}

static void player_line(const char *line)
{
    char name[A2S_TEXT_MAX];
    player_event ev = player_event_parse(line, name, sizeof name);
    if (ev == PLAYER_NONE)
        return;
    pthread_mutex_lock(&g.lock);
    a2s_players *list = g.console_players;
    forget_player_locked(list, name);
    if (ev == PLAYER_JOINED && list->count < A2S_MAX_PLAYERS)
        memcpy(list->names[list->count++], name, sizeof name);
    notify_locked(ev == PLAYER_JOINED ? DISCORD_PLAYER_JOINED : DISCORD_PLAYER_LEFT, name, NULL);
    pthread_mutex_unlock(&g.lock);
}

static void emit_line(child_kind kind)
{
    g.line[g.line_len] = '\0';
    if (g.line_len && g.line[g.line_len - 1] == '\r')
        g.line[--g.line_len] = '\0';
    if (kind == CHILD_STEAMCMD) {
        if (config_bool("aswg.steamcmd.log-to-server-console"))
            console_line("steamcmd", g.line);
    } else {
        console_line(NULL, g.line);
        player_line(g.line);
    }
    g.line_len = 0;
}

/* Reads what the child wrote, line by line. Returns false at end of file. */
static bool read_output(int fd, child_kind kind)
{
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return false;
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || g.line_len == sizeof g.line - 1) {
                emit_line(kind);
                if (buf[i] == '\n')
                    continue;
            }
            g.line[g.line_len++] = buf[i];
        }
    }
}

static void aswg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void aswg_note(const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    console_line("aswg", text);
}

/* ---- starting ---- */

static bool steamcmd_configured(void)
{
    return config_str("aswg.steamcmd.path")[0] != '\0';
}

/* steamcmd +force_install_dir <dir> +login <user> <password> +app_update 233780 [-beta <branch>]
 * validate +quit (ASWG-API.md §5.8). Never logged: it holds the password. */
static int spawn_update_locked(char *err, size_t err_size)
{
    char *dir = server_directory_absolute();
    if (!dir) {
        snprintf(err, err_size, "Out of memory");
        return -1;
    }
    const char *user = config_str("aswg.steamcmd.username");
    const char *branch = config_str("aswg.server.branch");
    char *argv[16];
    size_t n = 0;
    argv[n++] = (char *)config_str("aswg.steamcmd.path");
    argv[n++] = "+force_install_dir";
    argv[n++] = dir;
    argv[n++] = "+login";
    argv[n++] = user[0] ? (char *)user : "anonymous";
    if (user[0])
        argv[n++] = (char *)config_str("aswg.steamcmd.password");
    argv[n++] = "+app_update";
    argv[n++] = "233780";
    if (strcmp(branch, "public") != 0) {
        argv[n++] = "-beta";
        argv[n++] = (char *)branch;
    }
    argv[n++] = "validate";
    argv[n++] = "+quit";
    argv[n] = NULL;
    fs_mkdirs(dir, 0755);
    int rc = spawn_process(argv, dir, &g.proc, err, err_size);
    free(dir);
    if (rc == 0) {
        g.child = CHILD_STEAMCMD;
        aswg_note("Updating the Arma 3 server with SteamCMD (branch %s)", branch);
        log_info("updating the game server with steamcmd (pid %d)", (int)g.proc.pid);
    }
    return rc;
}

static int spawn_game_locked(char *err, size_t err_size)
{
    server_argv params;
    if (server_params_build(&params, err, err_size) != 0)
        return -1;
    char exe[PATH_MAX];
    if (!find_executable(params.argv[0], exe, sizeof exe)) {
        snprintf(err, err_size, "The Arma 3 server is not installed: %s not found", params.argv[0]);
        server_argv_free(&params);
        return -1;
    }
    char *shown = server_argv_display(&params); /* not built a second time */
    int rc = spawn_process(params.argv, params.workdir, &g.proc, err, err_size);
    if (rc == 0) {
        g.child = CHILD_GAME;
        free(g.pid_path);
        g.pid_path = fs_join(params.workdir, "arma_server.pid");
        if (!g.pid_path || pid_file_write(g.pid_path, &g.proc) != 0)
            log_warn("cannot write the pid file in %s: a restarted aswg will not find this server", params.workdir);
        g.query_port = (int)config_int("aswg.server-port") + 1;
        g.started_at_ms = wall_ms();
        g.online = g.announced = false;
        g.console_players->count = g.steam_players->count = 0;
        g.next_query_ms = now_ms() + 1000;
        set_state_locked(SERVER_RUNNING);
        aswg_note("Started the Arma 3 server (pid %d): %s", (int)g.proc.pid, shown ? shown : "");
        log_info("game server started (pid %d)", (int)g.proc.pid);
    }
    free(shown);
    server_argv_free(&params);
    return rc;
}

/* The thread acts on a start request: the update first, if one was asked for. */
static void begin_start_locked(void)
{
    g.start_pending = false;
    g.stop_requested = false;
    g.line_len = 0;
    if (g.state != SERVER_UPDATING || g.update_pending)
        console_new_run(); /* not between the update and the start: one run, one file */
    char err[256] = "";
    int rc;
    if (g.update_pending) {
        g.update_pending = false;
        rc = spawn_update_locked(err, sizeof err);
        if (rc != 0)
            log_warn("steamcmd update not started (%s); starting the server as it is", err);
        if (rc == 0) {
            pthread_cond_broadcast(&g.changed); /* the start request waits for this */
            return;
        }
    }
    set_state_locked(SERVER_STARTING);
    rc = spawn_game_locked(err, sizeof err);
    if (rc != 0) {
        snprintf(g.start_error, sizeof g.start_error, "%s", err);
        log_error("game server not started: %s", err);
        aswg_note("The Arma 3 server could not be started: %s", err);
        set_state_locked(SERVER_NOT_RUNNING);
        notify_locked(DISCORD_SERVER_STOPPED, NULL, err);
    }
}

/* ---- exits ---- */

static void schedule_restart_locked(char *detail, size_t detail_size)
{
    int64_t now = now_ms();
    int recent = 0;
    for (int i = 0; i < RESTARTS_MAX; i++)
        if (g.restarts[i] && now - g.restarts[i] < RESTART_WINDOW_MS)
            recent++;
    size_t len = strlen(detail);
    if (recent >= RESTARTS_MAX) {
        snprintf(detail + len, detail_size - len, "; not restarted: %d crashes in 10 minutes", RESTARTS_MAX + 1);
        return;
    }
    int64_t delay = RESTART_FIRST_DELAY_MS;
    for (int i = 0; i < recent; i++)
        delay *= 3;
    for (int i = 0; i < RESTARTS_MAX; i++) {
        if (!g.restarts[i] || now - g.restarts[i] >= RESTART_WINDOW_MS) {
            g.restarts[i] = now;
            break;
        }
    }
    g.restart_at_ms = now + delay;
    snprintf(detail + len, detail_size - len, "; restarting in %lld s", (long long)(delay / 1000));
}

static void game_ended_locked(const char *how, bool exit_ok)
{
    if (g.pid_path)
        unlink(g.pid_path);
    bool requested = g.stop_requested;
    snprintf(g.last_exit, sizeof g.last_exit, "%s", how);
    char detail[256];
    snprintf(detail, sizeof detail, "The server %s (%s)", requested ? "was stopped" : "exited by itself", how);
    aswg_note("%s", detail);
    log_info("game server %s (%s)", requested ? "stopped" : "exited by itself", how);
    bool crashed = !requested && !exit_ok;
    if (crashed && config_bool("aswg.server.auto-restart.enabled"))
        schedule_restart_locked(detail, sizeof detail);
    notify_locked(crashed ? DISCORD_SERVER_CRASHED : DISCORD_SERVER_STOPPED, NULL, requested ? NULL : detail);
    g.online = false;
    g.child = CHILD_NONE;
    g.stop_requested = false;
    g.kill_at_ms = 0;
    set_state_locked(SERVER_NOT_RUNNING);
}

static void child_exited_locked(int status)
{
    char how[96];
    describe_exit(status, how, sizeof how);
    if (g.proc.out_fd >= 0)
        close(g.proc.out_fd);
    g.proc.out_fd = -1;
    if (g.child == CHILD_STEAMCMD) {
        g.child = CHILD_NONE;
        log_info("steamcmd finished (%s)", how);
        aswg_note("SteamCMD finished (%s)", how);
        if (g.stop_requested) {
            g.stop_requested = false;
            g.kill_at_ms = 0;
            set_state_locked(SERVER_NOT_RUNNING);
            return;
        }
        begin_start_locked();
        return;
    }
    game_ended_locked(how, WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Reaps our child, or notices that an adopted server is gone. */
/* The child's last words (often why it crashed) may still be in the pipe when it is reaped:
 * they are read, outside the lock (the player lines take it), before its exit is handled. */
static void drain_output_unlocked(int fd, child_kind kind)
{
    pthread_mutex_unlock(&g.lock);
    if (fd >= 0)
        read_output(fd, kind);
    if (g.line_len > 0)
        emit_line(kind); /* a last line without its newline */
    pthread_mutex_lock(&g.lock);
}

static void check_child_locked(bool output_closed)
{
    if (output_closed && g.proc.out_fd >= 0) {
        close(g.proc.out_fd);
        g.proc.out_fd = -1;
    }
    if (g.child == CHILD_STEAMCMD || g.child == CHILD_GAME) {
        int status;
        if (waitpid(g.proc.pid, &status, WNOHANG) == g.proc.pid) {
            g.reaped = true;
            drain_output_unlocked(g.proc.out_fd, g.child);
            g.reaped = false;
            child_exited_locked(status);
        }
    } else if (g.child == CHILD_ADOPTED && now_ms() >= g.next_alive_check_ms) {
        g.next_alive_check_ms = now_ms() + ADOPTED_CHECK_MS;
        if (!process_is(g.proc.pid, g.proc.start_time))
            game_ended_locked("exit status unknown: started by an earlier aswg run", !g.stop_requested);
    }
}

/* ---- stopping ---- */

static void signal_child_locked(int sig)
{
    if (g.child == CHILD_NONE || g.reaped)
        return;
    if (g.child == CHILD_ADOPTED && !process_is(g.proc.pid, g.proc.start_time))
        return;
    /* Our children lead their own process group: take along whatever they started. */
    if (kill(-g.proc.pid, sig) != 0)
        kill(g.proc.pid, sig);
}

static void timers_locked(void)
{
    int64_t now = now_ms();
    if (g.kill_at_ms && now >= g.kill_at_ms && g.child != CHILD_NONE) {
        log_warn("the game server did not stop within %lld s: killing it",
                 (long long)(config_duration_ms("aswg.server.stop-timeout") / 1000));
        aswg_note("The server did not stop in time: killed");
        signal_child_locked(SIGKILL);
        g.kill_at_ms = 0;
    }
    if (g.restart_at_ms && now >= g.restart_at_ms && g.state == SERVER_NOT_RUNNING) {
        g.restart_at_ms = 0;
        set_state_locked(SERVER_STARTING);
        notify_locked(DISCORD_SERVER_STARTING, NULL, "Automatic restart after a crash");
        begin_start_locked();
    }
}

/* ---- the Steam query ---- */

static void query_steam(void)
{
    pthread_mutex_lock(&g.lock);
    bool due = g.state == SERVER_RUNNING && now_ms() >= g.next_query_ms;
    int port = g.query_port;
    pthread_mutex_unlock(&g.lock);
    if (!due)
        return;
    a2s_info info;
    a2s_players *players = malloc(sizeof *players);
    int rc = players ? a2s_query(port, QUERY_TIMEOUT_MS, &info, players) : -1;
    pthread_mutex_lock(&g.lock);
    g.next_query_ms = now_ms() + QUERY_EVERY_MS;
    if (g.state == SERVER_RUNNING) {
        g.online = rc == 0;
        if (rc == 0) {
            g.steam = info;
            a2s_players *old = g.steam_players;
            g.steam_players = players;
            players = old;
        }
        bool late = wall_ms() - g.started_at_ms >= ANNOUNCE_WITHOUT_STEAM_MS;
        if (!g.announced && (g.online || late)) {
            g.announced = true;
            notify_locked(DISCORD_SERVER_STARTED, NULL, g.online ? NULL : "Running, but not visible on Steam yet");
        }
    }
    pthread_mutex_unlock(&g.lock);
    free(players);
}

/* ---- the thread ---- */

static int poll_timeout_locked(void)
{
    if (g.child == CHILD_NONE && !g.restart_at_ms && !g.start_pending)
        return -1;
    return g.child == CHILD_ADOPTED || g.state == SERVER_RUNNING ? 500 : 250;
}

static void *supervise(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g.lock);
    while (!g.quitting) {
        if (g.start_pending)
            begin_start_locked();
        int fd = g.child == CHILD_STEAMCMD || g.child == CHILD_GAME ? g.proc.out_fd : -1;
        child_kind kind = g.child;
        int timeout = poll_timeout_locked();
        pthread_mutex_unlock(&g.lock);

        struct pollfd fds[2] = {{g.wake[0], POLLIN, 0}, {fd, POLLIN, 0}};
        int n = poll(fds, fd >= 0 ? 2 : 1, timeout);
        if (n > 0 && (fds[0].revents & POLLIN)) {
            char drain[64];
            while (read(g.wake[0], drain, sizeof drain) > 0) {
            }
        }
        bool closed = false;
        if (fd >= 0 && n > 0 && fds[1].revents)
            closed = !read_output(fd, kind);
        query_steam();

        pthread_mutex_lock(&g.lock);
        check_child_locked(closed);
        timers_locked();
    }
    pthread_mutex_unlock(&g.lock);
    return NULL;
}

/* A server that an earlier aswg run started and left running. */
static void adopt_running_server(void)
{
    char *path = fs_join(config_str("aswg.server-directory-path"), "arma_server.pid");
    pid_t pid;
    uint64_t start;
    if (!path || pid_file_read(path, &pid, &start) != 0) {
        free(path);
        return;
    }
    char exe[256];
    process_exe_name(pid, exe, sizeof exe);
    /* ASWG's pid file has no start time: then the executable must at least be an Arma server. */
    bool ours = process_is(pid, start) && (start != 0 || strncmp(exe, "arma3server", 11) == 0);
    if (!ours) {
        unlink(path);
        free(path);
        return;
    }
    g.child = CHILD_ADOPTED;
    g.proc = (spawned){.pid = pid, .out_fd = -1, .start_time = process_start_time(pid)};
    g.pid_path = path;
    g.query_port = (int)config_int("aswg.server-port") + 1;
    int64_t started = process_start_wall_ms(g.proc.start_time);
    g.started_at_ms = started > 0 ? started : wall_ms();
    g.announced = true;
    g.state = SERVER_RUNNING;
    log_info("the game server started earlier is still running (pid %d): supervising it again", (int)pid);
}

int server_supervisor_start(char *err, size_t err_size)
{
    g.steam_players = calloc(1, sizeof *g.steam_players);
    g.console_players = calloc(1, sizeof *g.console_players);
    if (!g.steam_players || !g.console_players || pipe2(g.wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, err_size, "cannot set up the server supervisor");
        return -1;
    }
    g.proc.out_fd = -1;
    adopt_running_server();
    g.quitting = false;
    if (pthread_create(&g.thread, NULL, supervise, NULL) != 0) {
        snprintf(err, err_size, "cannot start the server supervisor thread");
        return -1;
    }
    g.running = true;
    return 0;
}

void server_supervisor_stop(void)
{
    if (g.running) {
        pthread_mutex_lock(&g.lock);
        g.quitting = true;
        pthread_mutex_unlock(&g.lock);
        wake_thread();
        pthread_join(g.thread, NULL);
        g.running = false;
    }
    if (g.child == CHILD_STEAMCMD) {
        /* An update nobody will follow up on: end it rather than leave it behind. */
        signal_child_locked(SIGTERM);
        waitpid(g.proc.pid, NULL, 0);
    } else if (g.child == CHILD_GAME || g.child == CHILD_ADOPTED) {
        log_info("the game server keeps running (pid %d); aswg will supervise it again when it starts",
                 (int)g.proc.pid);
    }
    if (g.proc.out_fd >= 0)
        close(g.proc.out_fd);
    for (int i = 0; i < 2; i++)
        if (g.wake[i] >= 0)
            close(g.wake[i]);
    free(g.steam_players);
    free(g.console_players);
    free(g.pid_path);
    memset(&g.proc, 0, sizeof g.proc);
    g.steam_players = g.console_players = NULL;
    g.pid_path = NULL;
    g.wake[0] = g.wake[1] = -1;
    g.child = CHILD_NONE;
    g.state = SERVER_NOT_RUNNING;
}

/* ---- requests ---- */

static bool start_settled(void)
{
    return !g.start_pending && g.state != SERVER_STARTING;
}

aswg_err server_start(bool perform_update, char *msg, size_t msg_size)
{
    pthread_mutex_lock(&g.lock);
    if (g.state != SERVER_NOT_RUNNING || g.child != CHILD_NONE || !g.running) {
        pthread_mutex_unlock(&g.lock);
        return g.running ? ERR_SERVER_ALREADY_RUNNING : ERR_SERVICE_UNAVAILABLE;
    }
    bool update = perform_update && steamcmd_configured();
    if (!update) {
        /* Checked here so that the admin hears about it (ASWG: 500 SERVER_NOT_INSTALLED). */
        server_argv params;
        char exe[PATH_MAX];
        bool found = server_params_build(&params, msg, msg_size) == 0 &&
                     find_executable(params.argv[0], exe, sizeof exe);
        if (params.argv && !found)
            snprintf(msg, msg_size, "The Arma 3 server is not installed: %s not found", params.argv[0]);
        server_argv_free(&params);
        if (!found) {
            pthread_mutex_unlock(&g.lock);
            return ERR_SERVER_NOT_INSTALLED;
        }
    }
    g.restart_at_ms = 0;
    g.start_pending = true;
    g.update_pending = update;
    g.start_error[0] = '\0';
    set_state_locked(update ? SERVER_UPDATING : SERVER_STARTING);
    notify_locked(DISCORD_SERVER_STARTING, NULL, NULL);
    if (update)
        notify_locked(DISCORD_SERVER_UPDATING, NULL, NULL);
    log_info("server start requested%s", update ? " (update first)" : "");
    wake_thread();
    wait_locked(start_settled, REQUEST_WAIT_MS);
    aswg_err err = ERR_OK;
    if (g.state == SERVER_NOT_RUNNING && g.start_error[0]) {
        snprintf(msg, msg_size, "%s", g.start_error);
        err = ERR_SERVER_NOT_INSTALLED;
    }
    pthread_mutex_unlock(&g.lock);
    return err;
}

static bool stopped(void)
{
    return g.child == CHILD_NONE;
}

aswg_err server_stop(char *msg, size_t msg_size)
{
    (void)msg;
    (void)msg_size;
    pthread_mutex_lock(&g.lock);
    g.restart_at_ms = 0;
    if (g.start_pending) {
        g.start_pending = false;
        set_state_locked(SERVER_NOT_RUNNING);
    }
    if (g.child != CHILD_NONE && !g.stop_requested) {
        g.stop_requested = true;
        g.kill_at_ms = now_ms() + config_duration_ms("aswg.server.stop-timeout");
        signal_child_locked(SIGTERM);
        log_info("server stop requested (pid %d)", (int)g.proc.pid);
        wake_thread();
    }
    wait_locked(stopped, STOP_WAIT_MS);
    pthread_mutex_unlock(&g.lock);
    return ERR_OK;
}

void server_get_status(server_status *out)
{
    pthread_mutex_lock(&g.lock);
    memset(out, 0, sizeof *out);
    out->state = g.state;
    out->online = g.state == SERVER_RUNNING && g.online;
    if (out->online)
        out->steam = g.steam;
    if (g.child == CHILD_GAME || g.child == CHILD_ADOPTED) {
        out->pid = g.proc.pid;
        out->adopted = g.child == CHILD_ADOPTED;
        out->started_at_ms = g.started_at_ms;
    }
    snprintf(out->last_exit, sizeof out->last_exit, "%s", g.last_exit);
    if (g.restart_at_ms)
        out->restart_at_ms = wall_ms() + (g.restart_at_ms - now_ms());
    pthread_mutex_unlock(&g.lock);
}

size_t server_players(char (*names)[A2S_TEXT_MAX], size_t max)
{
    pthread_mutex_lock(&g.lock);
    const a2s_players *list = NULL;
    if (g.state == SERVER_RUNNING && g.steam_players && g.console_players)
        list = g.online && g.steam_players->count ? g.steam_players : g.console_players;
    size_t n = list ? (list->count < max ? list->count : max) : 0;
    if (n)
        memcpy(names, list->names, n * sizeof list->names[0]);
    pthread_mutex_unlock(&g.lock);
    return n;
}
