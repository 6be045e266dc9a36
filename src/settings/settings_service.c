#include "settings/settings_service.h"

#include "core/cfg.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/json_lenient.h"
#include "core/log.h"
#include "server/server_cfg.h"
#include "server/server_params.h"
#include "settings/settings_fields.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

aswg_err settings_get_log_file(char *out, size_t out_size, char *msg, size_t msg_size)
{
    return server_cfg_read_string("logFile", out, out_size, msg, msg_size) == 0 ? ERR_OK
                                                                                : ERR_SERVER_CONFIG_INVALID;
}

static int set_log_file(cfg_node *root, void *arg)
{
    return cfg_set_string(root, "logFile", arg);
}

/* Any signed-in user may set logFile (ASWG-API.md §5.9), and the game appends text players
 * control (chat, names) to it: it must stay a file below the server directory, never
 * ~/.ssh/authorized_keys or a shell profile. "" turns the file log off. */
aswg_err settings_set_log_file(const char *log_file, char *msg, size_t msg_size)
{
    char inside[1024] = "";
    if (!settings_plain_text(log_file, "logFile", msg, msg_size))
        return ERR_BAD_REQUEST;
    if (log_file[0] && (fs_normalize_relative(log_file, inside, sizeof inside) != 0 || !inside[0])) {
        snprintf(msg, msg_size, "Field 'logFile' must be a file inside the server directory (a relative path "
                                "without '..')");
        return ERR_BAD_REQUEST;
    }
    if (server_cfg_edit(set_log_file, inside, msg, msg_size) != 0)
        return ERR_SERVER_CONFIG_INVALID;
    log_info("server.cfg logFile set to '%s'", inside);
    return ERR_OK;
}

static const struct { const char *key; const char *field; } STEAM_KEYS[] = {
    {"aswg.steamcmd.path", "steamCmdPath"},
    {"aswg.steamcmd.username", "steamCmdUsername"},
    {"aswg.steamcmd.workshop.content.path", "steamCmdWorkshopContentPath"},
    {"aswg.steam.web-api-token", "steamWebApiToken"},
};

#define STEAM_KEY_COUNT (sizeof STEAM_KEYS / sizeof STEAM_KEYS[0])

static const char **steam_slot(steam_settings *s, size_t i)
{
    const char **slots[] = {&s->steamcmd_path, &s->username, &s->workshop_content_path, &s->web_api_token};
    return slots[i];
}

void settings_get_steam(steam_settings *out)
{
    for (size_t i = 0; i < STEAM_KEY_COUNT; i++)
        *steam_slot(out, i) = config_str(STEAM_KEYS[i].key);
}

aswg_err settings_set_steam(const steam_settings *in, char *msg, size_t msg_size)
{
    steam_settings s = *in;
    const char *keys[STEAM_KEY_COUNT], *values[STEAM_KEY_COUNT];
    for (size_t i = 0; i < STEAM_KEY_COUNT; i++) {
        keys[i] = STEAM_KEYS[i].key;
        values[i] = *steam_slot(&s, i);
        if (values[i] && !settings_plain_text(values[i], STEAM_KEYS[i].field, msg, msg_size))
            return ERR_BAD_REQUEST;
    }
    if (config_set_all(keys, values, STEAM_KEY_COUNT) != 0)
        return ERR_SERVER_ERROR;
    log_info("Steam settings changed");
    return ERR_OK;
}

aswg_err settings_set_steam_password(const char *password, char *msg, size_t msg_size)
{
    if (!settings_plain_text(password, "password", msg, msg_size))
        return ERR_BAD_REQUEST;
    const char *key = "aswg.steamcmd.password";
    if (config_set_all(&key, &password, 1) != 0)
        return ERR_SERVER_ERROR;
    log_info("steamcmd password changed");
    return ERR_OK;
}

/* ---- general, security and network settings (ASWG-API.md §5.7) ---- */

/* Arma reads config integers as 32-bit signed numbers. */
#define ARMA_INT_MAX INT32_MAX

static const char *const DIFFICULTIES[] = {"RECRUIT", "REGULAR", "VETERAN", "CUSTOM", NULL};

static const cfg_field GENERAL_FIELDS[] = {
    CFG_STRING("hostname", "hostname"),
    CFG_INT("maxPlayers", "maxPlayers", "64", 1, ARMA_INT_MAX),
    CFG_STRINGS("motd", "motd", ""),
    CFG_INT("motdInterval", "motdInterval", "5", 0, ARMA_INT_MAX),
    CFG_FLAG("persistent", "persistent", "0"),
    CFG_BOOL("drawingInMap", "drawingInMap", "true"),
    CFG_ADDRESSES("headlessClients", "headlessClients", ""),
    CFG_ADDRESSES("localClients", "localClient", ""),
    CFG_WORD("forcedDifficulty", "forcedDifficulty", DIFFICULTIES),
    CFG_FIELDS_END,
};

#define LOAD_EXTENSIONS "hpp,sqs,sqf,fsm,cpp,paa,txt,xml,inc,ext,sqm,ods,fxy,lip,csv,kb,bik,bikb,html,htm,biedi"

static const char *const FILE_PATCHING[] = {"NOT_ALLOWED", "ALLOWED_FOR_HEADLESS_CLIENTS",
                                            "ALLOWED_FOR_ALL_CLIENTS", NULL};

static const cfg_field SECURITY_FIELDS[] = {
    CFG_STRING("serverPassword", "password"),
    CFG_STRING("serverAdminPassword", "passwordAdmin"),
    CFG_STRING("serverCommandPassword", "serverCommandPassword"),
    CFG_FLAG("battleEye", "BattlEye", "1"),
    /* version 1 signatures are obsolete: on means 2, and 1 in a file still reads as on */
    CFG_FLAG_ON("verifySignatures", "verifySignatures", "2", "2"),
    CFG_CODE("allowedFilePatching", "allowedFilePatching", "0", FILE_PATCHING),
    CFG_STRINGS("filePatchingIgnoredClients", "filePatchingExceptions", ""),
    CFG_STRINGS("allowedLoadFileExtensions", "allowedLoadFileExtensions", LOAD_EXTENSIONS),
    CFG_STRINGS("allowedPreprocessFileExtensions", "allowedPreprocessFileExtensions", LOAD_EXTENSIONS),
    CFG_STRINGS("allowedHTMLLoadExtensions", "allowedHTMLLoadExtensions", "htm,html,xml,txt"),
    CFG_STRINGS("adminUUIDs", "admins", ""),
    CFG_VOTE_CMDS("allowedVoteCmds", "allowedVoteCmds"),
    CFG_FLAG("kickDuplicate", "kickduplicate", "0"),
    CFG_DECIMAL_RANGE("voteThreshold", "voteThreshold", "0.5", 0, 1),
    CFG_INT("voteMissionPlayers", "voteMissionPlayers", "1", 0, ARMA_INT_MAX),
    CFG_FIELDS_END,
};

/* By kick id: 0 manual, 1 connectivity, 2 BattlEye, 3 harmless. */
static const char *const KICK_KINDS[] = {"manualKickTimeoutSeconds", "connectivityKickTimeoutSeconds",
                                         "battlEyeKickTimeoutSeconds", "harmlessKickTimeoutSeconds", NULL};

/* The network settings that live in server.cfg. */
static const cfg_field NETWORK_SERVER_FIELDS[] = {
    CFG_BOOL("upnp", "upnp", "false"),
    CFG_INT("maxPing", "maxping", "500", 0, ARMA_INT_MAX),
    CFG_BOOL("loopback", "loopback", "false"),
    CFG_INT("disconnectTimeout", "disconnectTimeout", "90", 0, ARMA_INT_MAX),
    CFG_INT("maxDesync", "maxdesync", "150", 0, ARMA_INT_MAX),
    CFG_INT("maxPacketLoss", "maxpacketloss", "150", 0, ARMA_INT_MAX),
    CFG_FLAG("enablePlayerDiag", "enablePlayerDiag", "0"),
    CFG_INT("steamProtocolMaxDataSize", "steamProtocolMaxDataSize", "1024", 0, ARMA_INT_MAX),
    /* seconds, or Arma's -1 (until the mission ends) and -2 (until the server restarts) */
    CFG_PAIRS("kickTimeouts", "kickTimeout", "60", -2, ARMA_INT_MAX, KICK_KINDS),
    CFG_FIELDS_END,
};

/* network.cfg. Bandwidths are 64-bit (the default maximum is 10 Gbit/s); a message or packet of
 * no bytes cannot carry anything; a packet above 1472 bytes (a 1500-byte Ethernet MTU less the IP
 * and UDP headers) gets fragmented, one below 256 leaves hardly room beside the engine's headers. */
static const cfg_field NETWORK_FILE_FIELDS[] = {
    CFG_INT("minBandwidth", "MinBandwidth", "131072", 0, INT64_MAX),
    CFG_INT("maxBandwidth", "MaxBandwidth", "10000000000", 0, INT64_MAX),
    CFG_INT("maxMsgSend", "MaxMsgSend", "128", 1, ARMA_INT_MAX),
    CFG_INT("maxSizeGuaranteed", "MaxSizeGuaranteed", "512", 1, ARMA_INT_MAX),
    CFG_INT("maxSizeNonGuaranteed", "MaxSizeNonguaranteed", "256", 1, ARMA_INT_MAX),
    CFG_DECIMAL("minErrorToSend", "MinErrorToSend", "0.001", 0),
    CFG_DECIMAL("minErrorToSendNear", "MinErrorToSendNear", "0.01", 0),
    CFG_INT("maxCustomFileSize", "MaxCustomFileSize", "0", 0, ARMA_INT_MAX),
    CFG_INT("maxPacketSize", "sockets/maxPacketSize", "1400", 256, 1472),
    CFG_FIELDS_END,
};

/* One endpoint's settings: a field table per file of the server directory. */
typedef struct cfg_section {
    const char *what;       /* for the log */
    size_t count;
    const char *files[2];
    const cfg_field *fields[2];
} cfg_section;

static const cfg_section GENERAL = {"General settings", 1, {SERVER_CFG_NAME}, {GENERAL_FIELDS}};
static const cfg_section SECURITY = {"Security settings", 1, {SERVER_CFG_NAME}, {SECURITY_FIELDS}};
static const cfg_section NETWORK = {"Network settings", 2, {SERVER_CFG_NAME, NETWORK_CFG_NAME},
                                    {NETWORK_SERVER_FIELDS, NETWORK_FILE_FIELDS}};

static aswg_err section_read(const cfg_section *s, json_t *out, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < s->count; i++) {
        cfg_doc *doc = server_file_load(s->files[i], msg, msg_size);
        if (!doc)
            return ERR_SERVER_CONFIG_INVALID;
        int rc = settings_fields_read(s->fields[i], cfg_root(doc), out);
        cfg_free(doc);
        if (rc != 0)
            return ERR_SERVER_ERROR;
    }
    return ERR_OK;
}

/* A new object for *out filled by section_read; out holds NULL on failure. */
static aswg_err section_get(const cfg_section *s, json_t *out_obj, json_t **out, char *msg, size_t msg_size)
{
    aswg_err err = out_obj ? section_read(s, out_obj, msg, msg_size) : ERR_SERVER_ERROR;
    if (err != ERR_OK) {
        json_decref(out_obj);
        out_obj = NULL;
    }
    *out = out_obj;
    return err;
}

static bool section_check(const cfg_section *s, json_t *body, char *msg, size_t msg_size)
{
    for (size_t i = 0; i < s->count; i++)
        if (!settings_fields_check(s->fields[i], body, msg, msg_size))
            return false;
    return true;
}

typedef struct section_edit {
    const cfg_section *section;
    json_t *body;
} section_edit;

static int write_section(cfg_node **roots, void *arg)
{
    const section_edit *e = arg;
    for (size_t i = 0; i < e->section->count; i++)
        if (settings_fields_write(e->section->fields[i], e->body, roots[i]) != 0)
            return -1;
    return 0;
}

/* Writes a checked body into the section's files in dir. */
static aswg_err section_save(const cfg_section *s, const char *dir, json_t *body, char *msg, size_t msg_size)
{
    section_edit e = {s, body};
    if (server_files_edit(dir, s->files, s->count, write_section, &e, msg, msg_size) != 0)
        return ERR_SERVER_CONFIG_INVALID;
    return ERR_OK;
}

/* "<dir>/server.cfg and <dir>/network.cfg", for the log (values are never logged: some are
 * passwords). */
static void log_saved(const cfg_section *s, const char *dir, const char *also)
{
    char files[1024] = "";
    for (size_t i = 0; i < s->count; i++)
        snprintf(files + strlen(files), sizeof files - strlen(files), "%s%s/%s", i ? " and " : "", dir,
                 s->files[i]);
    log_info("%s saved to %s%s%s", s->what, files, also ? " and " : "", also ? also : "");
}

static aswg_err section_set(const cfg_section *s, json_t *body, char *msg, size_t msg_size)
{
    if (!section_check(s, body, msg, msg_size))
        return ERR_BAD_REQUEST;
    const char *dir = config_str("aswg.server-directory-path");
    aswg_err err = section_save(s, dir, body, msg, msg_size);
    if (err == ERR_OK)
        log_saved(s, dir, NULL);
    return err;
}

aswg_err settings_get_security(json_t **out, char *msg, size_t msg_size)
{
    return section_get(&SECURITY, json_object(), out, msg, msg_size);
}

aswg_err settings_set_security(json_t *body, char *msg, size_t msg_size)
{
    return section_set(&SECURITY, body, msg, msg_size);
}

aswg_err settings_get_network(json_t **out, char *msg, size_t msg_size)
{
    return section_get(&NETWORK, json_object(), out, msg, msg_size);
}

aswg_err settings_set_network(json_t *body, char *msg, size_t msg_size)
{
    return section_set(&NETWORK, body, msg, msg_size);
}

/* ---- the general settings kept in aswg-config.properties ---- */

enum { GEN_SERVER_DIR, GEN_MODS_DIR, GEN_PORT, GEN_BRANCH, GEN_KEYS };
static const char *const GENERAL_KEYS[GEN_KEYS] = {
    "aswg.server-directory-path", "aswg.mods-directory-path", "aswg.server-port", "aswg.server.branch",
};

/* The config values a general settings body sets (NULL = keep), checked. */
typedef struct general_config {
    const char *values[GEN_KEYS];
    char port[24];
    char branch[32];
} general_config;

static bool directory_value(json_t *body, const char *field, bool may_be_empty, const char **out,
                            char *msg, size_t msg_size)
{
    json_t *v = json_object_get(body, field);
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        snprintf(msg, msg_size, "Field '%s' must be a string", field);
        return false;
    }
    const char *s = json_string_value(v);
    if (!settings_plain_text(s, field, msg, msg_size))
        return false;
    if (!may_be_empty && !*s) {
        snprintf(msg, msg_size, "Field '%s' must not be empty", field);
        return false;
    }
    *out = s;
    return true;
}

/* The range is the config table's (1..65531: the game uses the port and the three above it). */
static bool port_value(json_t *body, general_config *c, char *msg, size_t msg_size)
{
    json_t *v = json_object_get(body, "port");
    int64_t port;
    if (!v || json_is_null(v))
        return true;
    char why[256];
    if (!json_lenient_int(v, &port)) {
        snprintf(msg, msg_size, "Field 'port' must be an integer");
        return false;
    }
    snprintf(c->port, sizeof c->port, "%" PRId64, port);
    if (config_validate(GENERAL_KEYS[GEN_PORT], c->port, why, sizeof why) != 0) {
        snprintf(msg, msg_size, "Field 'port' is out of range (%s)", why);
        return false;
    }
    c->values[GEN_PORT] = c->port;
    return true;
}

/* An unknown branch becomes public, as ASWG does (ASWG-API.md §6): its front end offers only the
 * four, and public is the branch every server can run, so a stray value cannot break a start. */
static bool branch_value(json_t *body, general_config *c, char *msg, size_t msg_size)
{
    json_t *v = json_object_get(body, "branch");
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        snprintf(msg, msg_size, "Field 'branch' must be a string");
        return false;
    }
    char why[256];
    snprintf(c->branch, sizeof c->branch, "%s", json_string_value(v));
    for (char *p = c->branch; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (strlen(json_string_value(v)) >= sizeof c->branch ||
        config_validate(GENERAL_KEYS[GEN_BRANCH], c->branch, why, sizeof why) != 0)
        snprintf(c->branch, sizeof c->branch, "public");
    c->values[GEN_BRANCH] = c->branch;
    return true;
}

static bool general_config_check(json_t *body, general_config *c, char *msg, size_t msg_size)
{
    memset(c, 0, sizeof *c);
    return directory_value(body, "serverDirectory", false, &c->values[GEN_SERVER_DIR], msg, msg_size) &&
           directory_value(body, "modsDirectory", true, &c->values[GEN_MODS_DIR], msg, msg_size) &&
           port_value(body, c, msg, msg_size) && branch_value(body, c, msg, msg_size);
}

aswg_err settings_get_general(json_t **out, char *msg, size_t msg_size)
{
    char *params = server_params_display();
    json_t *obj = json_pack("{s:s, s:s, s:s?, s:b, s:I, s:s}",
                            "serverDirectory", config_str(GENERAL_KEYS[GEN_SERVER_DIR]),
                            "modsDirectory", config_str(GENERAL_KEYS[GEN_MODS_DIR]),
                            "commandLineParams", params,
                            "canOverwriteCommandLineParams", server_params_can_overwrite(),
                            "port", (json_int_t)config_int(GENERAL_KEYS[GEN_PORT]),
                            "branch", config_str(GENERAL_KEYS[GEN_BRANCH]));
    free(params);
    return section_get(&GENERAL, obj, out, msg, msg_size);
}

aswg_err settings_set_general(json_t *body, char *msg, size_t msg_size)
{
    general_config c;
    if (!general_config_check(body, &c, msg, msg_size) || !section_check(&GENERAL, body, msg, msg_size))
        return ERR_BAD_REQUEST;
    /* server.cfg of the directory the body names, the one the next start uses (and the next GET
     * reads). It goes first: when aswg must leave it alone (a syntax error), the config file
     * stays unchanged too. */
    const char *dir = c.values[GEN_SERVER_DIR] ? c.values[GEN_SERVER_DIR] : config_str(GENERAL_KEYS[GEN_SERVER_DIR]);
    aswg_err err = section_save(&GENERAL, dir, body, msg, msg_size);
    if (err != ERR_OK)
        return err;
    if (config_set_all(GENERAL_KEYS, c.values, GEN_KEYS) != 0) {
        snprintf(msg, msg_size, "%s cannot be saved", config_file_path());
        return ERR_SERVER_ERROR;
    }
    log_saved(&GENERAL, dir, config_file_path());
    return ERR_OK;
}
