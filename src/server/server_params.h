/* The Arma 3 server command line (ASWG-API.md §5.8 with DECISIONS.md 10): an argv for execve,
 * never a shell line. No literal quotes, no `&`, no `nohup`; `-mod` and `-serverMod` entries carry
 * the same mods-directory prefix; CDLC folder names are spelt as they are on disk. */
#ifndef ASWG_SERVER_SERVER_PARAMS_H
#define ASWG_SERVER_SERVER_PARAMS_H

#include "core/errors.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct server_argv {
    char **argv;        /* NULL-terminated, argv[0] = absolute executable path */
    size_t argc;
    char *executable;   /* the generated executable path (checked even when argv is overwritten) */
    char *workdir;      /* absolute server directory */
} server_argv;

/* The server directory as an absolute path (it need not exist yet); malloc'd, NULL when out of
 * memory. */
char *server_directory_absolute(void);

/* Builds the command line from the current settings. Returns 0, or -1 with the reason in err. */
int server_params_build(server_argv *out, char *err, size_t err_size);
void server_argv_free(server_argv *a);

/* argv joined with spaces, elements holding blanks or quotes shell-quoted, for display
 * (general settings `commandLineParams`). malloc'd; "" when the command line cannot be built. */
char *server_params_display(void);
/* The same for a command line built already. */
char *server_argv_display(const server_argv *a);

/* Whether the unsafe startup-parameter overwrite was enabled at start (its route exists). */
bool server_params_can_overwrite(void);

/* Replaces the generated command line with params (shell-like quoting, still run without a
 * shell; "" = back to the generated one) and saves it. ERR_BAD_REQUEST for an unterminated quote. */
aswg_err server_params_set_overwrite(const char *params, char *msg, size_t msg_size);

/* Splits a command line with shell-like quoting ('...', "...", backslash escapes; no expansion,
 * no operators). Returns a NULL-terminated malloc'd vector (free with server_words_free), or NULL
 * with the reason in err (unterminated quote, empty line). */
char **server_words_split(const char *line, char *err, size_t err_size);
void server_words_free(char **words);

#endif
