/* The program's one logger. Human-readable lines by default, JSON lines (ts, level, msg, requestId,
 * user, fields) with aswg.logging.format=json. Lines go to stderr and, once opened, to a log file.
 * Never pass passwords, tokens or webhook URLs to it. */
#ifndef ASWG_CORE_LOG_H
#define ASWG_CORE_LOG_H

#include <jansson.h>
#include <stdbool.h>

typedef enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_configure(log_level min_level, bool json);
/* Parses "debug", "info", "warn", "error". Returns -1 for anything else. */
int log_level_parse(const char *name, log_level *out);
int log_open_file(const char *path);
void log_close(void);

/* Per-thread context added to every line: the request id and the user, while a request runs. */
void log_set_context(const char *request_id, const char *user);

void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like log_msg with structured fields (a JSON object, stolen; may be NULL). */
void log_event(log_level level, json_t *fields, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
