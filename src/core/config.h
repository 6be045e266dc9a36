/* aswg-config.properties: the one configuration every domain reads.
 *
 * Every known key is declared once in config.c with its type, default and comment. Values come from
 * (lowest to highest) the defaults, the file, the environment (ASWG's relaxed names, e.g.
 * ASWG_SERVER_DIRECTORY_PATH or ASWG_SERVERDIRECTORYPATH for aswg.server-directory-path) and the
 * command line. Strings returned by config_str() stay valid until config_free(), even after a
 * later config_set(): old values are retired, not freed, so readers on other threads never race. */
#ifndef ASWG_CORE_CONFIG_H
#define ASWG_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_FILE_NAME "aswg-config.properties"

/* Loads <config_dir>/aswg-config.properties, writing a commented default file first when it is
 * missing. Validates every value; on failure err names the key and the file, and -1 is returned. */
int config_load(const char *config_dir, char *err, size_t err_size);
void config_free(void);

/* Path of the config file in use. */
const char *config_file_path(void);

/* Typed getters of known keys; an unknown key is a programming error and aborts. */
const char *config_str(const char *key);
bool config_bool(const char *key);
int64_t config_int(const char *key);
int64_t config_duration_ms(const char *key);   /* ISO-8601 (PT2H) or Spring style (2h, 30m, 500ms) */
int64_t config_size_bytes(const char *key);    /* 15GB, 10MB, 512KB, 100 (bytes) */

/* Validates value for key; returns 0, or -1 with a message in err. Changes nothing. */
int config_validate(const char *key, const char *value, char *err, size_t err_size);

/* Validates and sets key in memory and in the file document (not yet written). */
int config_set(const char *key, const char *value, char *err, size_t err_size);

/* Sets a value for this run only (command-line options); never written to the file. */
int config_override(const char *key, const char *value, char *err, size_t err_size);

/* Sets keys[i] to values[i] for every non-NULL value (each validated), then writes the file once.
 * Returns 0, or -1 (logged) when a value is refused or the file cannot be written. */
int config_set_all(const char *const *keys, const char *const *values, size_t count);

/* Writes the file atomically: only changed values are rewritten; comments, order and unknown
 * keys stay as they were. Returns 0 or -1 with errno set. */
int config_save(void);

/* The environment names that override key: '.' and '-' -> '_' (ASWG_SERVER_DIRECTORY_PATH), and
 * Spring's relaxed form with '-' removed (ASWG_SERVERDIRECTORYPATH). Buffers of size bytes. */
void config_env_names(const char *key, char *with_underscores, char *without_dashes, size_t size);

/* Helpers for value parsing, shared with the validators (exposed for unit tests). */
int config_parse_bool(const char *s, bool *out);
int config_parse_duration_ms(const char *s, int64_t *out);
int config_parse_size(const char *s, int64_t *out);

#endif
