/* aswg: a small management server for Arma 3 dedicated servers. */
#include "app.h"
#include "auth/auth_service.h"
#include "core/config.h"
#include "core/db.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/http_client.h"
#include "difficulty/difficulty_service.h"
#include "discord/discord_notify.h"
#include "http/server.h"
#include "http/sse.h"
#include "http/websocket.h"
#include "http/static.h"
#include "jobs/job_service.h"
#include "missions/mission_routes.h"
#include "missions/mission_service.h"
#include "mods/mod_upload.h"
#include "mods/workshop_routes.h"
#include "mods/workshop_service.h"
#include "server/console.h"
#include "server/server_process.h"
#include "users/user_service.h"

#include <execinfo.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHUTDOWN_WAIT_MS 10000
#define MAX_JSON_BODY ((size_t)1024 * 1024)

typedef struct options {
    const char *config_dir;
    const char *port;
    const char *bind;
} options;

static void print_help(void)
{
    printf("Usage: aswg [OPTIONS]\n"
           "Web GUI and REST API (ASWG web API v1) for managing an Arma 3 dedicated server.\n\n"
           "  --config-dir DIR  directory of aswg-config.properties (default ., env ASWG_CONFIG_DIR)\n"
           "  --port N          HTTP port (overrides server.port, default 8085; 0 = any free port)\n"
           "  --bind ADDR       listen address (overrides server.address, default 0.0.0.0)\n"
           "  --routes          print the API route table as JSON and exit\n"
           "  --version         print the version and exit\n"
           "  --help            print this help and exit\n\n"
           "Data (database, signing key) goes to aswg.data-directory-path (default ./data),\n"
           "logs to aswg.logs.location (default ./logs).\n");
}

static void print_routes(void)
{
    json_t *routes = app_routes_json();
    char *text = json_dumps(routes, JSON_INDENT(2));
    puts(text ? text : "[]");
    free(text);
    json_decref(routes);
    app_routes_free();
}

/* Returns -1 to continue starting, else the exit code. */
static int parse_args(int argc, char **argv, options *opts)
{
    enum { OPT_CONFIG_DIR = 1, OPT_PORT, OPT_BIND, OPT_ROUTES, OPT_VERSION, OPT_HELP };
    static const struct option LONG_OPTS[] = {
        {"config-dir", required_argument, NULL, OPT_CONFIG_DIR},
        {"port", required_argument, NULL, OPT_PORT},
        {"bind", required_argument, NULL, OPT_BIND},
        {"routes", no_argument, NULL, OPT_ROUTES},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *env_dir = getenv("ASWG_CONFIG_DIR");
    opts->config_dir = env_dir && *env_dir ? env_dir : ".";
    int c;
    while ((c = getopt_long(argc, argv, "", LONG_OPTS, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG_DIR: opts->config_dir = optarg; break;
        case OPT_PORT: opts->port = optarg; break;
        case OPT_BIND: opts->bind = optarg; break;
        case OPT_ROUTES: print_routes(); return 0;
        case OPT_VERSION: printf("aswg %s\n", ASWG_VERSION); return 0;
        case OPT_HELP: print_help(); return 0;
        default: fprintf(stderr, "Try 'aswg --help'.\n"); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "aswg: unexpected argument '%s'. Try 'aswg --help'.\n", argv[optind]);
        return 2;
    }
    return -1;
}

static int load_configuration(const options *opts, char *err, size_t err_size)
{
    if (config_load(opts->config_dir, err, err_size) != 0)
        return -1;
    if (opts->port && config_override("server.port", opts->port, err, err_size) != 0)
        return -1;
    if (opts->bind && config_override("server.address", opts->bind, err, err_size) != 0)
        return -1;
    log_level level = LOG_INFO;
    log_level_parse(config_str("aswg.logging.level"), &level);
    log_configure(level, strcmp(config_str("aswg.logging.format"), "json") == 0);
    if (!config_bool("aswg.security.enabled"))
        log_warn("aswg.security.enabled=false is not supported: authentication stays on");
    return 0;
}

static int prepare_directories(char *err, size_t err_size)
{
    const char *data = config_str("aswg.data-directory-path");
    const char *logs = config_str("aswg.logs.location");
    if (fs_mkdirs(data, 0700) != 0 || fs_mkdirs(logs, 0755) != 0) {
        snprintf(err, err_size, "cannot create %s or %s: %m", data, logs);
        return -1;
    }
    char *log_path = fs_join(logs, "aswg.log");
    if (!log_path || log_open_file(log_path) != 0)
        log_warn("cannot open %s; logging to the console only", log_path ? log_path : "aswg.log");
    free(log_path);
    return 0;
}

/* The console (file + ring), its live viewers, Discord and the game server supervisor. */
static int start_server_supervision(char *err, size_t err_size)
{
    static const sse_source CONSOLE_FEED = {console_cursor_now, console_read_events};
    if (console_init() != 0 || sse_start(&CONSOLE_FEED) != 0 || discord_notify_start() != 0) {
        snprintf(err, err_size, "cannot start the console or the Discord sender");
        return -1;
    }
    console_set_listener(sse_notify);
    return server_supervisor_start(err, err_size);
}

static int open_services(char *err, size_t err_size)
{
    const char *data = config_str("aswg.data-directory-path");
    char *db_path = fs_join(data, "aswg.db");
    int rc = db_path ? db_open(db_path, err, err_size) : -1;
    free(db_path);
    if (rc == 0)
        rc = auth_init(data, err, err_size);
    if (rc == 0)
        rc = users_ensure_default(data, err, err_size);
    if (rc == 0)
        rc = missions_startup(err, err_size);
    if (rc == 0)
        mods_upload_clean_leftovers();
    if (rc == 0)
        difficulties_startup();
    if (rc == 0)
        rc = jobs_start(err, err_size);
    if (rc == 0)
        rc = start_server_supervision(err, err_size);
    if (rc == 0)
        rc = ws_start() == 0 ? workshop_start(err, err_size) : (snprintf(err, err_size, "cannot start websockets"), -1);
    if (rc == 0)
        workshop_set_progress_listener(workshop_progress_to_websocket);
    return rc;
}

static int start_http(char *err, size_t err_size)
{
    http_server_options http = {
        .bind_address = config_str("server.address"),
        .port = (uint16_t)config_int("server.port"),
        .authenticate = auth_authenticate,
        .fallback = static_serve,
        .max_body_bytes = MAX_JSON_BODY,
        .threads = 2,
    };
    http.routes = app_routes(&http.route_count);
    if (http_server_start(&http, err, err_size) != 0)
        return -1;
    log_info("aswg %s listening on http://%s:%u (config %s)", ASWG_VERSION, http.bind_address,
             (unsigned)http_server_port(), config_file_path());
    return 0;
}

/* A crash prints where it happened before the default action (core dump) runs: the only way
 * to learn about a rare crash on an admin's machine or in CI.
 * POSIX does not list backtrace() and backtrace_symbols_fd() as async-signal-safe. glibc's do not
 * allocate once libgcc is loaded (install_crash_handlers() loads it up front) and
 * backtrace_symbols_fd() writes straight to the fd; what is left is the unwinder's loader lock,
 * which only a crash inside dlopen() would hold: a rare risk for a process that is dying anyway,
 * next to what the backtrace is worth. */
static void on_fatal_signal(int sig)
{
    static const char head[] = "aswg: fatal signal, backtrace:\n";
    ssize_t ignored = write(STDERR_FILENO, head, sizeof head - 1);
    (void)ignored;
    void *frames[64];
    int n = backtrace(frames, 64); /* NOLINT(bugprone-signal-handler,cert-sig30-c): see above */
    backtrace_symbols_fd(frames, n, STDERR_FILENO); /* NOLINT(bugprone-signal-handler,cert-sig30-c) */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_handlers(void)
{
#ifdef __SANITIZE_ADDRESS__
    return; /* AddressSanitizer reports crashes itself, better */
#endif
    void *probe[1];
    backtrace(probe, 1); /* loads libgcc now, not inside the handler */
    int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        signal(fatal[i], on_fatal_signal);
}

/* Signals are blocked in every thread and taken synchronously by the main thread. */
static sigset_t block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    return set;
}

static void shut_down(void)
{
    sse_stop();
    ws_stop();
    http_server_stop(SHUTDOWN_WAIT_MS);
    server_supervisor_stop();
    workshop_stop(); /* before the jobs: MOD_UPDATE waits for the workshop queue */
    jobs_stop(SHUTDOWN_WAIT_MS);
    discord_notify_stop();
    console_shutdown();
    mission_routes_shutdown();
    auth_shutdown();
    db_close();
    app_routes_free();
    log_info("aswg stopped");
    log_close();
    config_free();
    http_client_cleanup();
}

int main(int argc, char **argv)
{
    options opts = {0};
    int exit_code = parse_args(argc, argv, &opts);
    if (exit_code >= 0)
        return exit_code;
    umask(022);
    if (sodium_init() < 0 || http_client_init() != 0) {
        fprintf(stderr, "aswg: libsodium or libcurl failed to initialise\n");
        return 1;
    }
    install_crash_handlers();
    sigset_t signals = block_signals();
    char err[768] = "";
    if (load_configuration(&opts, err, sizeof err) != 0 || prepare_directories(err, sizeof err) != 0 ||
        open_services(err, sizeof err) != 0 || start_http(err, sizeof err) != 0) {
        log_error("cannot start: %s", err);
        shut_down();
        return 1;
    }
    int sig = 0;
    while (sigwait(&signals, &sig) == 0 && sig == SIGHUP)
        log_info("SIGHUP ignored (restart aswg to reload its configuration)");
    log_info("received %s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    shut_down();
    return 0;
}
