/* The game server's console: every stdout/stderr line of the Arma server (and of SteamCMD) goes
 * to <aswg.logs.location>/arma-server.log, rotated by size, and into an in-memory ring that live
 * viewers (SSE) read from with their own cursor, so a slow viewer never holds up the server. */
#ifndef ASWG_SERVER_CONSOLE_H
#define ASWG_SERVER_CONSOLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_RING_LINES 1024
#define CONSOLE_LINE_MAX 4096
#define CONSOLE_TAIL_DEFAULT 1000
#define CONSOLE_TAIL_MAX 20000

int console_init(void);
void console_shutdown(void);

/* A new run starts: the previous run's file becomes arma-server.log.1. */
void console_new_run(void);

/* Appends one line (without its newline); source NULL for the game server, else e.g. "steamcmd"
 * which is shown as a "[steamcmd] " prefix. */
void console_line(const char *source, const char *line);

/* The last `lines` lines of arma-server.log as a JSON array of strings ([] when missing). */
json_t *console_tail(size_t lines);

/* Called (outside the console lock) after each new line: the SSE layer wakes its viewers. */
void console_set_listener(void (*listener)(void));

/* Copies the lines after *cursor as SSE events ("data:<line>\n\n") into buf, as many as fit,
 * and advances *cursor. A viewer that fell more than the ring behind skips to the oldest line
 * kept. Returns the bytes written (0 = nothing new). */
size_t console_read_events(uint64_t *cursor, char *buf, size_t cap);

/* The cursor of a viewer that only wants lines from now on. */
uint64_t console_cursor_now(void);

#endif
