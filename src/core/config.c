#include "core/config.h"

#include "core/cron.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/properties.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* T_PATH is a non-empty string; every type but T_STR is read with surrounding blanks trimmed, as
 * Spring converts them. */
typedef enum cfg_type { T_STR, T_PATH, T_BOOL, T_INT, T_DURATION, T_SIZE, T_ENUM, T_CRON } cfg_type;

typedef struct cfg_key {
    const char *key;
    cfg_type type;
    const char *def;       /* default value, also what the default file holds */
    int64_t min, max;      /* T_INT range */
    const char *choices;   /* T_ENUM: '|'-separated allowed values */
    const char *comment;
} cfg_key;

/* Every key aswg knows. The default file is generated from this table, in this order. */
static const cfg_key KEYS[] = {
    {"server.port", T_INT, "8085", 0, 65535, NULL, "HTTP port of the web UI and API (0 = any free port)."},
    {"server.address", T_STR, "0.0.0.0", 0, 0, NULL, "Address the web UI and API listen on (127.0.0.1 = this machine only)."},
    {"aswg.data-directory-path", T_PATH, "data", 0, 0, NULL, "Directory of the database (aswg.db) and the token signing key."},
    {"aswg.logs.location", T_PATH, "logs", 0, 0, NULL, "Directory of aswg.log and arma-server.log."},
    {"aswg.logging.format", T_ENUM, "text", 0, 0, "text|json", "Log line format: text (human-readable) or json (one JSON object per line)."},
    {"aswg.logging.level", T_ENUM, "info", 0, 0, "debug|info|warn|error", "Lowest level that is logged."},
    {"aswg.web-ui.path", T_STR, "", 0, 0, NULL, "Serve the web UI from this directory instead of the built-in one (empty = built-in)."},
    {"aswg.server-directory-path", T_STR, "arma-server", 0, 0, NULL, "Arma 3 server installation directory."},
    {"aswg.mods-directory-path", T_STR, "mods", 0, 0, NULL, "Mods directory, relative to the server directory."},
    {"aswg.server-port", T_INT, "2302", 1, 65531, NULL, "Arma 3 game port (-port); the Steam query port is this + 1."},
    {"aswg.server.branch", T_ENUM, "public", 0, 0, "public|profiling|contact|creatordlc", "Arma 3 server branch: public, profiling, contact or creatordlc."},
    {"aswg.default-user.username", T_STR, "user", 0, 0, NULL, "Administrator created on first start with every authority."},
    {"aswg.default-user.password", T_STR, "", 0, 0, NULL, "Its password. Empty = generate one on first start, print it once and store it in <data>/initial-password."},
    {"aswg.default-user.reset", T_BOOL, "false", 0, 0, NULL, "true = on every start reset that user's password and unlock it."},
    {"aswg.security.enabled", T_BOOL, "true", 0, 0, NULL, "Kept for ASWG compatibility; aswg always requires authentication."},
    {"aswg.security.jwt.issuer", T_STR, "ASWG", 0, 0, NULL, "Issuer of the login tokens."},
    {"aswg.security.jwt.expiration-time", T_DURATION, "PT2H", 0, 0, NULL, "How long a login token is valid (ISO-8601 like PT2H, or 2h, 30m)."},
    {"aswg.security.cors.allowed-origins", T_STR, "*", 0, 0, NULL, "Origins allowed to call the API from a browser, comma separated (* = any)."},
    {"aswg.security.rate-limit.requests-per-minute", T_INT, "1200", 0, 1000000, NULL, "Requests per minute allowed from one IP address (0 = no limit)."},
    {"aswg.security.login-rate-limit.attempts-per-minute", T_INT, "10", 0, 10000, NULL, "Login attempts per minute allowed per IP address and per username (0 = no limit)."},
    {"aswg.steamcmd.path", T_STR, "", 0, 0, NULL, "Path to the steamcmd executable."},
    {"aswg.steamcmd.username", T_STR, "", 0, 0, NULL, "Steam account used by steamcmd."},
    {"aswg.steamcmd.password", T_STR, "", 0, 0, NULL, "Its password."},
    {"aswg.steamcmd.workshop.content.path", T_STR, "", 0, 0, NULL, "Override of the Steam Workshop content directory."},
    {"aswg.steamcmd.log-to-server-console", T_BOOL, "true", 0, 0, NULL, "Copy steamcmd output into the server console log."},
    {"aswg.steamcmd.retry-delay", T_DURATION, "30s", 0, 0, NULL, "Pause before a failed workshop download is tried again (then 4x longer; 3 attempts)."},
    {"aswg.steam.web-api-token", T_STR, "", 0, 0, NULL, "Steam Web API key (Workshop search)."},
    {"aswg.steam.web-api-url", T_STR, "https://api.steampowered.com", 0, 0, NULL, "Base URL of the Steam Web API (tests point it at a local fake)."},
    {"aswg.profiles-directory-path", T_STR, "", 0, 0, NULL, "Arma 3 profiles directory (difficulty profiles). Empty = $HOME/.local/share/Arma 3 - Other Profiles."},
    {"aswg.server.auto-restart.enabled", T_BOOL, "false", 0, 0, NULL, "Restart the game server when it exits by itself (at most 3 times in 10 minutes, with a growing pause)."},
    {"aswg.server.stop-timeout", T_DURATION, "60s", 0, 0, NULL, "How long a stop waits after SIGTERM before it kills the game server."},
    {"aswg.server.console.max-file-size", T_SIZE, "5MB", 0, 0, NULL, "arma-server.log is rotated at this size (arma-server.log.1 ... .5 kept)."},
    {"aswg.server.unsafe.startup-params.overwrite.web-edit.enabled", T_BOOL, "false", 0, 0, NULL, "Allow replacing the whole server command line from the web UI (read at start)."},
    {"aswg.server.unsafe.startup-params.overwrite.value", T_STR, "", 0, 0, NULL, "The command line that replaces the generated one (empty = generated)."},
    {"aswg.job.mod-update.enabled", T_BOOL, "true", 0, 0, NULL, "MOD_UPDATE: update all mods with steamcmd."},
    {"aswg.job.mod-update.cron", T_CRON, "0 0 1 * * *", 0, 0, NULL, NULL},
    {"aswg.job.mods-scanner.enabled", T_BOOL, "false", 0, 0, NULL, "INSTALL_DELETE_MODS: register mods found in the mods directory, forget deleted ones."},
    {"aswg.job.mods-scanner.cron", T_CRON, "0 0/15 * * * *", 0, 0, NULL, NULL},
    {"aswg.job.mods-scanner.installation.enabled", T_BOOL, "false", 0, 0, NULL, NULL},
    {"aswg.job.mods-scanner.deletion.enabled", T_BOOL, "false", 0, 0, NULL, NULL},
    {"aswg.job.difficulty-scanner.enabled", T_BOOL, "true", 0, 0, NULL, "DIFFICULTY_SCAN: register difficulty profile files."},
    {"aswg.job.difficulty-scanner.cron", T_CRON, "0 0/20 * * * *", 0, 0, NULL, NULL},
    {"aswg.job.mod-settings-scanner.enabled", T_BOOL, "true", 0, 0, NULL, "MOD_SETTINGS_SCAN: register mod settings files."},
    {"aswg.job.mod-settings-scanner.cron", T_CRON, "0 0/20 * * * *", 0, 0, NULL, NULL},
    {"aswg.job.missions-scanner.enabled", T_BOOL, "true", 0, 0, NULL, "MISSIONS_SCANNER: register mission files found in mpmissions."},
    {"aswg.job.missions-scanner.cron", T_CRON, "0 0/15 * * * *", 0, 0, NULL, NULL},
    {"aswg.job.jwt-cleaner.enabled", T_BOOL, "true", 0, 0, NULL, "JWT_CLEANER: forget revoked login tokens once they have expired."},
    {"aswg.job.jwt-cleaner.cron", T_CRON, "0 0 * * * *", 0, 0, NULL, NULL},
    {"aswg.vanilla-missions-importer.enabled", T_BOOL, "false", 0, 0, NULL, "Import the vanilla Arma 3 missions on start (a new database always gets them once)."},
    {"aswg.missions.max-upload-size", T_SIZE, "15GB", 0, 0, NULL, "Largest mission upload accepted (e.g. 15GB, 500MB)."},
    {"aswg.mods.max-upload-size", T_SIZE, "15GB", 0, 0, NULL, "Largest mod archive (.zip) upload accepted."},
    {"aswg.mods.max-unpacked-size", T_SIZE, "50GB", 0, 0, NULL, "Largest size a mod archive may unpack to (guards against zip bombs)."},
    {"aswg.discord.webhook.enabled", T_BOOL, "false", 0, 0, NULL, "Send server events to a Discord channel."},
    {"aswg.discord.webhook.url", T_STR, "", 0, 0, NULL, "Discord webhook URL (a secret: anyone with it can post to the channel)."},
    {"aswg.discord.message.server-starting", T_STR, "Starting server...", 0, 0, NULL, NULL},
    {"aswg.discord.message.server-start", T_STR, "Server started", 0, 0, NULL, NULL},
    {"aswg.discord.message.server-stop", T_STR, "Server stopped", 0, 0, NULL, NULL},
    {"aswg.discord.message.server-updating", T_STR, "Updating server...", 0, 0, NULL, NULL},
    {"aswg.discord.message.server-crashed", T_STR, "Server crashed", 0, 0, NULL, NULL},
    {"aswg.discord.message.player-joined", T_STR, "{player} joined the server", 0, 0, NULL, NULL},
    {"aswg.discord.message.player-left", T_STR, "{player} left the server", 0, 0, NULL, NULL},
};

#define KEY_COUNT (sizeof KEYS / sizeof KEYS[0])

/* A retired value: freed only at config_free(), so pointers handed out stay valid. */
typedef struct retired {
    char *value;
    struct retired *next;
} retired;

static struct {
    _Atomic(char *) values[KEY_COUNT];
    props_doc *doc;
    char *file_path;
    retired *graveyard;
    pthread_mutex_t lock;
} g_cfg = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int key_index(const char *key)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (strcmp(KEYS[i].key, key) == 0)
            return (int)i;
    return -1;
}

static int known_index(const char *key)
{
    int i = key_index(key);
    if (i < 0) {
        log_error("programming error: unknown config key %s", key);
        abort();
    }
    return i;
}

/* ---- value parsers ---- */

int config_parse_bool(const char *s, bool *out)
{
    if (strcasecmp(s, "true") == 0) {
        *out = true;
        return 0;
    }
    if (strcasecmp(s, "false") == 0) {
        *out = false;
        return 0;
    }
    return -1;
}

static int parse_int(const char *s, int64_t *out)
{
    if (!*s)
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || isspace((unsigned char)*s))
        return -1;
    *out = v;
    return 0;
}

/* Multiplies without overflow; -1 on overflow. */
static int mul_checked(int64_t a, int64_t b, int64_t *out)
{
    if (__builtin_mul_overflow(a, b, out))
        return -1;
    return 0;
}

/* One "<digits>[.<digits>]<unit>" part of an ISO-8601 duration; fractions only for seconds. */
static const char *iso_part(const char *p, char unit, double *value)
{
    if (!isdigit((unsigned char)*p))
        return NULL;
    char *end;
    errno = 0;
    double n = strtod(p, &end);
    for (const char *c = p; c < end; c++)
        if (!isdigit((unsigned char)*c) && !(*c == '.' && unit == 'S'))
            return NULL; /* no exponents, hex or signs */
    if (errno || toupper((unsigned char)*end) != unit)
        return NULL;
    *value = n;
    return end + 1;
}

/* PnD, PTnH, PTnM, PTn[.n]S and their combinations, each unit at most once and in that order. */
static int parse_iso_duration(const char *s, int64_t *out)
{
    static const struct { char unit; bool time; double ms; } UNITS[] = {
        {'D', false, 86400000.0}, {'H', true, 3600000.0}, {'M', true, 60000.0}, {'S', true, 1000.0},
    };
    const char *p = s + 1;
    double total_ms = 0;
    bool any = false, in_time = false;
    for (size_t u = 0; u < sizeof UNITS / sizeof UNITS[0] && *p; u++) {
        if (UNITS[u].time && !in_time) {
            if (toupper((unsigned char)*p) != 'T')
                return -1;
            in_time = true;
            p++;
            if (!*p)
                return -1; /* "P1DT" */
        }
        double n;
        const char *next = iso_part(p, UNITS[u].unit, &n);
        if (!next)
            continue; /* this unit is absent; try the next one */
        total_ms += n * UNITS[u].ms;
        any = true;
        p = next;
    }
    if (*p || !any || total_ms > 9.0e15)
        return -1;
    *out = (int64_t)total_ms;
    return 0;
}

int config_parse_duration_ms(const char *s, int64_t *out)
{
    if (*s == 'P' || *s == 'p')
        return parse_iso_duration(s, out);
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (end == s || errno || n < 0)
        return -1;
    static const struct { const char *unit; int64_t ms; } UNITS[] = {
        {"", 1}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000},
    };
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
        if (strcasecmp(end, UNITS[i].unit) == 0)
            return mul_checked(n, UNITS[i].ms, out);
    return -1;
}

int config_parse_size(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (end == s || errno || n < 0)
        return -1;
    static const struct { const char *unit; int64_t bytes; } UNITS[] = {
        {"", 1}, {"B", 1}, {"KB", 1LL << 10}, {"MB", 1LL << 20}, {"GB", 1LL << 30}, {"TB", 1LL << 40},
    };
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
        if (strcasecmp(end, UNITS[i].unit) == 0)
            return mul_checked(n, UNITS[i].bytes, out);
    return -1;
}

static bool enum_allows(const char *choices, const char *value)
{
    size_t vl = strlen(value);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == vl && strncmp(p, value, len) == 0)
            return true;
        p += len + (bar ? 1 : 0);
    }
    return false;
}

/* value without leading and trailing blanks, in buf (truncated to its size). */
static const char *trimmed(const char *value, char *buf, size_t size)
{
    while (isspace((unsigned char)*value))
        value++;
    size_t len = strlen(value);
    while (len > 0 && isspace((unsigned char)value[len - 1]))
        len--;
    snprintf(buf, size, "%.*s", (int)len, value);
    return buf;
}

static int validate_at(size_t i, const char *raw, char *err, size_t err_size)
{
    const cfg_key *k = &KEYS[i];
    bool b;
    int64_t n;
    char buf[256];
    const char *value = k->type == T_STR ? raw : trimmed(raw, buf, sizeof buf);
    switch (k->type) {
    case T_STR:
        return 0;
    case T_PATH:
        if (value[0])
            return 0;
        snprintf(err, err_size, "%s: must not be empty", k->key);
        return -1;
    case T_BOOL:
        if (config_parse_bool(value, &b) == 0)
            return 0;
        snprintf(err, err_size, "%s: '%s' is not a boolean (true or false)", k->key, value);
        return -1;
    case T_INT:
        if (parse_int(value, &n) == 0 && n >= k->min && n <= k->max)
            return 0;
        snprintf(err, err_size, "%s: '%s' is not a whole number between %" PRId64 " and %" PRId64,
                 k->key, value, k->min, k->max);
        return -1;
    case T_DURATION:
        if (config_parse_duration_ms(value, &n) == 0 && n > 0)
            return 0;
        snprintf(err, err_size, "%s: '%s' is not a duration (e.g. PT2H, 2h, 30m)", k->key, value);
        return -1;
    case T_SIZE:
        if (config_parse_size(value, &n) == 0 && n > 0)
            return 0;
        snprintf(err, err_size, "%s: '%s' is not a size (e.g. 15GB, 500MB)", k->key, value);
        return -1;
    case T_ENUM:
        if (enum_allows(k->choices, value))
            return 0;
        snprintf(err, err_size, "%s: '%s' is not one of %s", k->key, value, k->choices);
        return -1;
    case T_CRON: {
        cron_expr expr;
        char why[160];
        if (cron_parse(value, &expr, why, sizeof why) == 0)
            return 0;
        snprintf(err, err_size, "%s: '%s' is not a cron expression: %s", k->key, value, why);
        return -1;
    }
    }
    return -1;
}

int config_validate(const char *key, const char *value, char *err, size_t err_size)
{
    int i = key_index(key);
    if (i < 0) {
        snprintf(err, err_size, "unknown setting %s", key);
        return -1;
    }
    return validate_at((size_t)i, value, err, err_size);
}

/* ---- storage ---- */

static void store_value(size_t i, const char *raw)
{
    char buf[256];
    char *copy = strdup(KEYS[i].type == T_STR ? raw : trimmed(raw, buf, sizeof buf));
    if (!copy)
        abort(); /* out of memory while holding configuration: nothing sensible to do */
    char *old = atomic_exchange(&g_cfg.values[i], copy);
    if (old) {
        retired *r = malloc(sizeof *r);
        if (!r)
            abort();
        r->value = old;
        r->next = g_cfg.graveyard;
        g_cfg.graveyard = r;
    }
}

static char *default_file_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    fputs("# aswg configuration.\n"
          "# Environment variables override these values: upper-case the key and turn '.' and '-'\n"
          "# into '_' (ASWG_SERVER_DIRECTORY_PATH for aswg.server-directory-path).\n"
          "# aswg rewrites only the values you change from the web UI; comments and order stay.\n",
          out);
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (KEYS[i].comment)
            fprintf(out, "\n# %s\n", KEYS[i].comment);
        char *k = props_escape_key(KEYS[i].key);
        char *v = props_escape_value(KEYS[i].def);
        fprintf(out, "%s=%s\n", k ? k : "", v ? v : "");
        free(k);
        free(v);
    }
    fclose(out);
    return text;
}

static props_doc *load_or_create_file(const char *path, char *err, size_t err_size)
{
    size_t len;
    char *text = fs_read_all(path, &len);
    if (!text && errno == ENOENT) {
        text = default_file_text();
        if (!text || fs_write_atomic(path, text, strlen(text), 0600) != 0) {
            snprintf(err, err_size, "%s: cannot create the default configuration: %s", path,
                     strerror(errno));
            free(text);
            return NULL;
        }
        log_info("created default configuration %s", path);
        len = strlen(text);
    } else if (!text) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    props_doc *doc = props_parse(text, len);
    free(text);
    if (!doc)
        snprintf(err, err_size, "%s: out of memory", path);
    return doc;
}

void config_env_names(const char *key, char *with_underscores, char *without_dashes, size_t size)
{
    size_t a = 0, b = 0;
    for (const char *p = key; *p && a + 1 < size; p++) {
        char c = (char)toupper((unsigned char)*p);
        if (c == '.' || c == '-')
            c = '_';
        with_underscores[a++] = c;
        if (*p != '-')
            without_dashes[b++] = c;
    }
    with_underscores[a] = '\0';
    without_dashes[b] = '\0';
}

static const char *env_override(const char *key)
{
    char with_underscores[128], without_dashes[128];
    config_env_names(key, with_underscores, without_dashes, sizeof with_underscores);
    const char *v = getenv(with_underscores);
    return v ? v : getenv(without_dashes);
}

static void warn_unknown_keys(void)
{
    for (size_t i = 0; i < props_count(g_cfg.doc); i++) {
        const char *key = props_key_at(g_cfg.doc, i);
        if (key_index(key) < 0)
            log_warn("%s: unknown setting '%s' is kept but ignored", g_cfg.file_path, key);
    }
}

int config_load(const char *config_dir, char *err, size_t err_size)
{
    g_cfg.file_path = fs_join(config_dir, CONFIG_FILE_NAME);
    if (!g_cfg.file_path) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    fs_remove_stale_temps(g_cfg.file_path);
    g_cfg.doc = load_or_create_file(g_cfg.file_path, err, err_size);
    if (!g_cfg.doc)
        return -1;
    for (size_t i = 0; i < KEY_COUNT; i++) {
        const char *value = env_override(KEYS[i].key);
        const char *source = "environment variable";
        if (!value) {
            value = props_get(g_cfg.doc, KEYS[i].key);
            source = g_cfg.file_path;
        }
        if (!value) {
            value = KEYS[i].def;
            source = "built-in default";
        }
        char why[256];
        if (validate_at(i, value, why, sizeof why) != 0) {
            snprintf(err, err_size, "%s (from %s)", why, source);
            return -1;
        }
        store_value(i, value);
    }
    warn_unknown_keys();
    return 0;
}

void config_free(void)
{
    for (size_t i = 0; i < KEY_COUNT; i++)
        free(atomic_exchange(&g_cfg.values[i], NULL));
    while (g_cfg.graveyard) {
        retired *r = g_cfg.graveyard;
        g_cfg.graveyard = r->next;
        free(r->value);
        free(r);
    }
    props_free(g_cfg.doc);
    g_cfg.doc = NULL;
    free(g_cfg.file_path);
    g_cfg.file_path = NULL;
}

const char *config_file_path(void)
{
    return g_cfg.file_path;
}

const char *config_str(const char *key)
{
    return atomic_load(&g_cfg.values[known_index(key)]);
}

bool config_bool(const char *key)
{
    bool b = false;
    config_parse_bool(config_str(key), &b);
    return b;
}

int64_t config_int(const char *key)
{
    int64_t n = 0;
    parse_int(config_str(key), &n);
    return n;
}

int64_t config_duration_ms(const char *key)
{
    int64_t n = 0;
    config_parse_duration_ms(config_str(key), &n);
    return n;
}

int64_t config_size_bytes(const char *key)
{
    int64_t n = 0;
    config_parse_size(config_str(key), &n);
    return n;
}

int config_override(const char *key, const char *value, char *err, size_t err_size)
{
    int i = key_index(key);
    if (i < 0 || validate_at((size_t)i, value, err, err_size) != 0) {
        if (i < 0)
            snprintf(err, err_size, "unknown setting %s", key);
        return -1;
    }
    pthread_mutex_lock(&g_cfg.lock);
    store_value((size_t)i, value);
    pthread_mutex_unlock(&g_cfg.lock);
    return 0;
}

int config_set(const char *key, const char *value, char *err, size_t err_size)
{
    if (config_override(key, value, err, err_size) != 0)
        return -1;
    pthread_mutex_lock(&g_cfg.lock);
    int i = key_index(key);
    int rc = props_set(g_cfg.doc, key, value, KEYS[i].comment);
    pthread_mutex_unlock(&g_cfg.lock);
    if (rc != 0)
        snprintf(err, err_size, "out of memory");
    return rc;
}

int config_set_all(const char *const *keys, const char *const *values, size_t count)
{
    char why[256];
    for (size_t i = 0; i < count; i++) {
        if (values[i] && config_set(keys[i], values[i], why, sizeof why) != 0) {
            log_error("%s", why);
            return -1;
        }
    }
    if (config_save() != 0) {
        log_error("cannot save %s: %s", g_cfg.file_path, strerror(errno));
        return -1;
    }
    return 0;
}

int config_save(void)
{
    pthread_mutex_lock(&g_cfg.lock);
    size_t len;
    char *text = props_serialize(g_cfg.doc, &len);
    int rc = -1;
    if (text)
        rc = fs_write_atomic(g_cfg.file_path, text, len, 0600);
    int saved = errno;
    pthread_mutex_unlock(&g_cfg.lock);
    free(text);
    errno = saved;
    return rc;
}
