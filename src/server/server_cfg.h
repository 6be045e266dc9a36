/* <server dir>/server.cfg as aswg changes it: read with the cfg engine, only the modelled parts
 * rewritten, written atomically. Everything else in the file (comments, #include lines, keys and
 * classes aswg does not know) stays as the admin wrote it. */
#ifndef ASWG_SERVER_SERVER_CFG_H
#define ASWG_SERVER_SERVER_CFG_H

#include <jansson.h>
#include <stddef.h>

typedef struct cfg_mission {
    const char *tpl;            /* template */
    const char *difficulty;     /* RECRUIT, REGULAR, VETERAN or CUSTOM */
    json_t *params;             /* [{"name","value"}] (borrowed), may be NULL */
} cfg_mission;

/* Path of server.cfg in the configured server directory (malloc'd). */
char *server_cfg_path(void);

/* Replaces `class Missions` with missions in this order (creating the file, and the server
 * directory, if needed). Numeric parameter values are written as numbers, others as strings.
 * Returns 0, or -1 with a message in err (for instance a syntax error in a hand-edited file,
 * which is then left untouched). */
int server_cfg_write_missions(const cfg_mission *missions, size_t count, char *err, size_t err_size);

#endif
