/* <server dir>/server.cfg as aswg changes it: read with the cfg engine, only the modelled parts
 * rewritten, written atomically. Everything else in the file (comments, #include lines, keys and
 * classes aswg does not know) stays as the admin wrote it. */
#ifndef ASWG_SERVER_SERVER_CFG_H
#define ASWG_SERVER_SERVER_CFG_H

#include "core/cfg.h"

#include <jansson.h>
#include <stddef.h>

typedef struct cfg_mission {
    const char *tpl;            /* template */
    const char *difficulty;     /* RECRUIT, REGULAR, VETERAN or CUSTOM */
    json_t *params;             /* [{"name","value"}] (borrowed), may be NULL */
} cfg_mission;

/* Path of server.cfg in the configured server directory (malloc'd). */
char *server_cfg_path(void);

/* Loads server.cfg (an empty document when missing), lets edit change the tree (0 = keep the
 * change) and writes it back atomically, creating the server directory if needed. A file with a
 * syntax error is left untouched and -1 returned with the reason in err. */
int server_cfg_edit(int (*edit)(cfg_node *root, void *arg), void *arg, char *err, size_t err_size);

/* The value of a top-level key ("" when absent). */
int server_cfg_read_string(const char *key, char *out, size_t out_size, char *err, size_t err_size);

/* Replaces `class Missions` with missions in this order (creating the file, and the server
 * directory, if needed). Numeric parameter values are written as numbers, others as strings.
 * Returns 0, or -1 with a message in err (for instance a syntax error in a hand-edited file,
 * which is then left untouched). */
int server_cfg_write_missions(const cfg_mission *missions, size_t count, char *err, size_t err_size);

#endif
