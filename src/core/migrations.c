#include "core/migrations.h"

/* Migration 1: the ASWG schema (ASWG-API.md §5.5) in SQLite terms, plus what aswg adds: the
 * mission `source`, the `job_execution` history (one row per run, replacing ASWG's one-row-per-job
 * job_execution_history), and seeds: the 42 authorities with their ASWG ids and the 7 CDLCs.
 * Timestamps are INTEGER milliseconds since the epoch. */
static const char MIGRATION_1[] =
    "CREATE TABLE installed_mod ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " workshop_file_id INTEGER UNIQUE NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " directory_path VARCHAR(255) NOT NULL,"
    " preview_url VARCHAR(255) NULL,"
    " created_date INTEGER NOT NULL,"
    " enabled BOOLEAN NOT NULL DEFAULT FALSE,"
    " server_mod BOOLEAN NOT NULL DEFAULT FALSE,"
    " last_workshop_update_date INTEGER NULL,"
    " last_workshop_update_attempt_date INTEGER NULL,"
    " dependencies_ids VARCHAR(255) NULL);"
    "CREATE TABLE mod_preset ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " name VARCHAR(255) UNIQUE NOT NULL);"
    "CREATE TABLE mod_preset_entry ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " mod_preset_id INTEGER NOT NULL REFERENCES mod_preset(id) ON DELETE CASCADE,"
    " mod_id INTEGER NOT NULL,"
    " mod_name VARCHAR(255) NOT NULL);"
    "CREATE INDEX mod_preset_entry_preset ON mod_preset_entry(mod_preset_id);"
    "CREATE TABLE difficulty_profile ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " name VARCHAR(255) UNIQUE NOT NULL,"
    " active BOOLEAN NOT NULL DEFAULT FALSE);"
    "CREATE TABLE mission ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " template VARCHAR(255) NOT NULL,"
    " difficulty VARCHAR(7) NOT NULL DEFAULT 'REGULAR',"
    " enabled BOOLEAN NOT NULL DEFAULT FALSE,"
    " parameters TEXT DEFAULT NULL,"
    " source VARCHAR(8) NOT NULL DEFAULT 'FILE');"
    "CREATE INDEX mission_template ON mission(template);"
    "CREATE TABLE mod_settings ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " active BOOLEAN NOT NULL DEFAULT FALSE);"
    /* jwt holds the SHA-256 of the revoked token, not the token itself. */
    "CREATE TABLE invalid_jwt_token ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " jwt VARCHAR(255) NOT NULL UNIQUE,"
    " expiration_date_time INTEGER NOT NULL,"
    " invalidated_date_time INTEGER NOT NULL);"
    "CREATE INDEX invalid_jwt_token_expiration ON invalid_jwt_token(expiration_date_time);"
    "CREATE TABLE aswg_user ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " username VARCHAR(36) UNIQUE NOT NULL,"
    " password VARCHAR(255) NOT NULL,"
    " locked BOOLEAN DEFAULT 0 NOT NULL,"
    " created_date_time INTEGER NOT NULL,"
    " last_success_login_date_time INTEGER NULL);"
    "CREATE TABLE aswg_authority ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " code VARCHAR(50) NOT NULL);"
    "CREATE TABLE user_authority ("
    " user_id INTEGER NOT NULL REFERENCES aswg_user(id) ON DELETE CASCADE,"
    " authority_id INTEGER NOT NULL REFERENCES aswg_authority(id) ON DELETE CASCADE,"
    " PRIMARY KEY (user_id, authority_id));"
    "CREATE TABLE cdlc ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " directory_name VARCHAR(255) NOT NULL,"
    " enabled BOOLEAN NOT NULL DEFAULT FALSE);"
    "CREATE TABLE job_execution ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " job_name VARCHAR(255) NOT NULL,"
    " start_date INTEGER NOT NULL,"
    " finish_date INTEGER NULL,"
    " status VARCHAR(30) NOT NULL DEFAULT 'STARTED',"
    " message TEXT NULL,"
    " duration_ms INTEGER NULL);"
    "CREATE INDEX job_execution_job ON job_execution(job_name, start_date);"
    "INSERT INTO aswg_authority(id, code) VALUES"
    " (1,'SERVER_START_STOP'),(2,'CONSOLE_LOGS_VIEW'),(3,'GENERAL_SETTINGS_VIEW'),"
    " (4,'GENERAL_SETTINGS_SAVE'),(5,'SECURITY_SETTINGS_VIEW'),(6,'SECURITY_SETTINGS_SAVE'),"
    " (7,'NETWORK_SETTINGS_VIEW'),(8,'NETWORK_SETTINGS_SAVE'),(9,'MODS_VIEW'),(10,'MODS_DELETE'),"
    " (11,'MODS_UPDATE'),(12,'MODS_UPLOAD'),(13,'MOD_SETTINGS_VIEW'),(14,'MOD_SETTINGS_ADD'),"
    " (15,'MOD_SETTINGS_DELETE'),(16,'MOD_SETTINGS_UPDATE'),(17,'MISSIONS_VIEW'),"
    " (18,'MISSIONS_ADD'),(19,'MISSIONS_DELETE'),(20,'MISSIONS_UPDATE'),(21,'MISSIONS_UPLOAD'),"
    " (22,'DIFFICULTY_VIEW'),(23,'DIFFICULTY_ADD'),(24,'DIFFICULTY_DELETE'),"
    " (25,'DIFFICULTY_UPDATE'),(26,'WORKSHOP_INSTALL'),(27,'USERS_VIEW'),(28,'USERS_ADD'),"
    " (29,'USERS_UPDATE'),(30,'USERS_DELETE'),(31,'MOD_PRESETS_VIEW'),(32,'MOD_PRESETS_ADD'),"
    " (33,'MOD_PRESETS_DELETE'),(34,'MOD_PRESETS_SELECT'),(35,'UNSAFE_OVERWRITE_STARTUP_PARAMS'),"
    " (36,'CDLC_VIEW'),(37,'CDLC_UPDATE'),(38,'WORKSHOP_VIEW'),(39,'DISCORD_SETTINGS_UPDATE'),"
    " (40,'STEAM_SETTINGS_UPDATE'),(41,'JOBS_SETTINGS_UPDATE'),(42,'MISSIONS_DOWNLOAD');"
    "INSERT INTO cdlc(id, name, directory_name, enabled) VALUES"
    " (1,'Global Mobilization','gm',FALSE),(2,'S.O.G. Prairie Fire','vn',FALSE),"
    " (3,'CSLA Iron Curtain','csla',FALSE),(4,'Western Sahara','ws',FALSE),"
    " (5,'Spearhead 1944','spe',FALSE),(6,'Reaction Forces','rf',FALSE),"
    " (7,'Expeditionary Forces','ef',FALSE);";

/* Migration 2: what aswg keeps about missions so that listing them opens no file: the rotation
 * order of enabled missions, the file's size and mtime, and the metadata read from the PBO; and a
 * small key/value table for one-time start-up work (the vanilla missions import). */
static const char MIGRATION_2[] =
    "ALTER TABLE mission ADD COLUMN rotation_order INTEGER NULL;"
    "ALTER TABLE mission ADD COLUMN file_name VARCHAR(255) NULL;"
    "ALTER TABLE mission ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE mission ADD COLUMN file_mtime INTEGER NULL;"
    "ALTER TABLE mission ADD COLUMN world_name VARCHAR(255) NULL;"
    "ALTER TABLE mission ADD COLUMN briefing_name TEXT NULL;"
    "ALTER TABLE mission ADD COLUMN on_load_name TEXT NULL;"
    "ALTER TABLE mission ADD COLUMN available_parameters TEXT NULL;"
    "CREATE UNIQUE INDEX mission_template_unique ON mission(template);"
    "DROP INDEX mission_template;"
    "CREATE TABLE app_state (key VARCHAR(64) PRIMARY KEY NOT NULL, value TEXT NULL);";

/* Migration 3: an index on mission.file_name (the scanner first looked rows up by file one by one;
 * it now reads them all once, but the index stays part of the schema history). */
static const char MIGRATION_3[] = "CREATE INDEX mission_file_name ON mission(file_name);";

/* Migration 4: mods. installed_mod.directory_path holds the folder's name inside the mods
 * directory (not an absolute path, so moving the mods directory keeps the rows valid); the order
 * the admin enabled mods in (-mod keeps it); the SteamCMD download queue, durable so that a
 * restart does not forget what was asked for. */
static const char MIGRATION_4[] =
    "ALTER TABLE installed_mod ADD COLUMN load_order INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE workshop_task ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,"
    " file_id INTEGER UNIQUE NOT NULL,"
    " title VARCHAR(255) NOT NULL,"
    " issuer VARCHAR(64) NOT NULL,"
    " forced BOOLEAN NOT NULL DEFAULT FALSE,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " not_before INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL);";

/* Migration 5: what the files behind difficulty profiles and mod settings need of their rows.
 * Arma reads one profile (-name=) and CBA one settings file, so at most one row of each table is
 * active; and inactive mod settings live in userconfig/<lower-cased name>.sqf, so two names that
 * differ only in case would share a file. */
static const char MIGRATION_5[] =
    "CREATE UNIQUE INDEX difficulty_profile_one_active ON difficulty_profile(active) WHERE active;"
    "CREATE UNIQUE INDEX mod_settings_one_active ON mod_settings(active) WHERE active;"
    "CREATE UNIQUE INDEX mod_settings_name ON mod_settings(lower(name));";

/* Migration 6: when a user's password last changed, so that the tokens issued before stop
 * working (a stolen token must not outlive the password change meant to lock its thief out). */
static const char MIGRATION_6[] =
    "ALTER TABLE aswg_user ADD COLUMN password_changed_date_time INTEGER NOT NULL DEFAULT 0;";

/* Migration 7: why a workshop download last failed, and whether aswg gave up on it: a download
 * that failed every attempt stays listed (with its reason) until the admin retries or removes it,
 * instead of silently leaving the queue. */
static const char MIGRATION_7[] =
    "ALTER TABLE workshop_task ADD COLUMN last_error VARCHAR(255) NULL;"
    "ALTER TABLE workshop_task ADD COLUMN gave_up BOOLEAN NOT NULL DEFAULT FALSE;";

const char *const DB_MIGRATIONS[] = {MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4,
                                     MIGRATION_5, MIGRATION_6, MIGRATION_7};
const size_t DB_MIGRATION_COUNT = sizeof DB_MIGRATIONS / sizeof DB_MIGRATIONS[0];
