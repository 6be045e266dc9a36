/* <server dir>/server.cfg and network.cfg as aswg changes them: read with the cfg engine, only the
 * modelled parts rewritten, written atomically. Everything else in the files (comments, #include
 * lines, keys and classes aswg does not know) stays as the admin wrote it. */
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

#define SERVER_CFG_NAME "server.cfg"
#define NETWORK_CFG_NAME "network.cfg"   /* passed with -cfg=, the basic.cfg of other tools */
#define SERVER_FILES_MAX 4                /* files one server_files_edit can change together */

/* Reads <configured server dir>/<name>: an empty document when the file is missing; NULL with the
 * reason in err when it cannot be read or has a syntax error. */
cfg_doc *server_file_load(const char *name, char *err, size_t err_size);

/* Changes several config files of directory dir together: every file is loaded first (missing
 * ones as empty documents), so a syntax error in any of them leaves all untouched and returns -1
 * with the reason in err. Then edit changes the trees (roots[i] belongs to names[i]; 0 = keep the
 * change) and each file that changed is written atomically, creating dir if needed (a file the
 * edit leaves as it was is not rewritten, a missing one is not created). Edits are serialised, so
 * two saves never lose each other's change. */
int server_files_edit(const char *dir, const char *const *names, size_t count,
                      int (*edit)(cfg_node **roots, void *arg), void *arg, char *err, size_t err_size);

/* server_files_edit of server.cfg alone, in the configured server directory. */
int server_cfg_edit(int (*edit)(cfg_node *root, void *arg), void *arg, char *err, size_t err_size);

/* The value of a top-level key ("" when absent). */
int server_cfg_read_string(const char *key, char *out, size_t out_size, char *err, size_t err_size);

/* Replaces `class Missions` with missions in this order (creating the file, and the server
 * directory, if needed). Numeric parameter values are written as numbers, others as strings.
 * Returns 0, or -1 with a message in err (for instance a syntax error in a hand-edited file,
 * which is then left untouched). */
int server_cfg_write_missions(const cfg_mission *missions, size_t count, char *err, size_t err_size);

#endif
