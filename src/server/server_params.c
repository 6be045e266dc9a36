#include "server/server_params.h"

#include "cdlc/cdlc_service.h"
#include "core/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "mods/mod_service.h"
#include "difficulty/difficulty_service.h"
#include "mod_settings/mod_settings_service.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* A growing NULL-terminated vector of malloc'd strings. */
typedef struct strvec {
    char **v;
    size_t n, cap;
    bool failed;
} strvec;

static void vec_push(strvec *s, char *str)
{
    if (!str || s->failed) {
        s->failed = true;
        free(str);
        return;
    }
    if (s->n + 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->failed = true;
            free(str);
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = str;
    s->v[s->n] = NULL;
}

static void vec_pushf(strvec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vec_pushf(strvec *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *str = NULL;
    if (vasprintf(&str, fmt, ap) < 0)
        str = NULL;
    va_end(ap);
    vec_push(s, str);
}

static void vec_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

char *server_directory_absolute(void)
{
    const char *dir = config_str("aswg.server-directory-path");
    char resolved[PATH_MAX];
    if (realpath(dir, resolved))
        return strdup(resolved);
    if (dir[0] == '/')
        return strdup(dir);
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof cwd) ? fs_join(cwd, dir) : NULL;
}

/* ASWG-API.md §5.8: the branch picks the binary; 32-bit machines only have arma3server. */
static const char *executable_name(void)
{
    struct utsname u;
    bool is64 = uname(&u) == 0 && strstr(u.machine, "64") != NULL;
    if (!is64)
        return "arma3server";
    return strcmp(config_str("aswg.server.branch"), "profiling") == 0 ? "arma3serverprofiling_x64"
                                                                      : "arma3server_x64";
}

/* Joins the entries of list with ';' into "<flag>=a;b" (NULL when the list is empty). */
static void push_mod_list(strvec *argv, const char *flag, const strvec *list)
{
    if (list->n == 0)
        return;
    size_t len = strlen(flag) + 2;
    for (size_t i = 0; i < list->n; i++)
        len += strlen(list->v[i]) + 1;
    char *s = malloc(len);
    if (!s) {
        argv->failed = true;
        return;
    }
    char *p = s + sprintf(s, "%s=", flag);
    for (size_t i = 0; i < list->n; i++)
        p += sprintf(p, "%s%s", i ? ";" : "", list->v[i]);
    vec_push(argv, s);
}

static void push_paths(strvec *list, char **paths)
{
    for (size_t i = 0; paths && paths[i]; i++)
        vec_push(list, strdup(paths[i]));
    mods_free_paths(paths);
}

/* Enabled mods in the admin's order, then enabled CDLCs whose folder exists, spelt as on disk
 * (DECISIONS.md 10). */
static int collect_mods(strvec *mods, strvec *server_mods, char *err, size_t err_size)
{
    push_paths(mods, mods_enabled_paths(false));
    push_paths(server_mods, mods_enabled_paths(true));
    cdlc_info *cdlcs;
    size_t n;
    if (cdlc_list(&cdlcs, &n) != ERR_OK) {
        snprintf(err, err_size, "Cannot read the CDLC list");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (cdlcs[i].row.enabled && cdlcs[i].file_exists)
            vec_push(mods, strdup(cdlcs[i].disk_name));
    free(cdlcs);
    return 0;
}

static int generated_argv(strvec *argv, const char *dir, const char *exe, char *err, size_t err_size)
{
    bool file_patching;
    char profile[NAMED_ROW_NAME_MAX + 1];
    if (mod_settings_any_active(&file_patching) != 0 || difficulties_active_name(profile, sizeof profile) != 0) {
        snprintf(err, err_size, "Cannot read the mod settings or difficulty profiles");
        return -1;
    }
    vec_push(argv, strdup(exe));
    if (file_patching) /* CBA reads userconfig/cba_settings.sqf only with file patching on */
        vec_push(argv, strdup("-filePatching"));
    vec_pushf(argv, "-port=%lld", (long long)config_int("aswg.server-port"));
    vec_pushf(argv, "-cfg=%s/network.cfg", dir);
    vec_pushf(argv, "-config=%s/server.cfg", dir);
    vec_pushf(argv, "-name=%s", profile);
    strvec mods = {0}, server_mods = {0};
    int rc = collect_mods(&mods, &server_mods, err, err_size);
    if (rc == 0) {
        push_mod_list(argv, "-mod", &mods);
        push_mod_list(argv, "-serverMod", &server_mods);
    }
    rc = rc == 0 && (mods.failed || server_mods.failed) ? -1 : rc;
    vec_free(&mods);
    vec_free(&server_mods);
    return rc;
}

int server_params_build(server_argv *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    snprintf(err, err_size, "Out of memory");
    out->workdir = server_directory_absolute();
    out->executable = out->workdir ? fs_join(out->workdir, executable_name()) : NULL;
    if (!out->executable) {
        server_argv_free(out);
        return -1;
    }
    const char *overwrite = config_str("aswg.server.unsafe.startup-params.overwrite.value");
    if (overwrite[strspn(overwrite, " \t")] != '\0') {
        char **words = server_words_split(overwrite, err, err_size);
        if (!words) {
            server_argv_free(out);
            return -1;
        }
        out->argv = words;
        while (words[out->argc])
            out->argc++;
        return 0;
    }
    strvec argv = {0};
    if (generated_argv(&argv, out->workdir, out->executable, err, err_size) != 0 || argv.failed) {
        vec_free(&argv);
        server_argv_free(out);
        return -1;
    }
    out->argv = argv.v;
    out->argc = argv.n;
    return 0;
}

void server_argv_free(server_argv *a)
{
    server_words_free(a->argv);
    free(a->executable);
    free(a->workdir);
    memset(a, 0, sizeof *a);
}

/* Characters that make a word need quotes when shown as a shell command line. */
static bool needs_quotes(const char *w)
{
    return *w == '\0' || strpbrk(w, " \t\n'\"\\$`&|;<>()*?[]#~!{}") != NULL;
}

static size_t quoted_length(const char *w)
{
    size_t len = 2;
    for (; *w; w++)
        len += *w == '\'' ? 4 : 1;
    return len;
}

/* 'it'\''s' style single quoting, which needs no further escaping. */
static char *append_quoted(char *p, const char *w)
{
    *p++ = '\'';
    for (; *w; w++) {
        if (*w == '\'') {
            p = stpcpy(p, "'\\''"); /* the NUL it adds is overwritten by what follows */
        } else {
            *p++ = *w;
        }
    }
    *p++ = '\'';
    return p;
}

static char *join_for_display(char **argv)
{
    size_t len = 1;
    for (size_t i = 0; argv[i]; i++)
        len += (needs_quotes(argv[i]) ? quoted_length(argv[i]) : strlen(argv[i])) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            *p++ = ' ';
        if (needs_quotes(argv[i])) {
            p = append_quoted(p, argv[i]);
        } else {
            size_t n = strlen(argv[i]);
            memcpy(p, argv[i], n);
            p += n;
        }
    }
    *p = '\0';
    return s;
}

char *server_argv_display(const server_argv *a)
{
    char *s = join_for_display(a->argv);
    return s ? s : strdup("");
}

char *server_params_display(void)
{
    server_argv a;
    char err[256];
    if (server_params_build(&a, err, sizeof err) != 0)
        return strdup("");
    char *s = server_argv_display(&a);
    server_argv_free(&a);
    return s;
}

bool server_params_can_overwrite(void)
{
    return config_bool("aswg.server.unsafe.startup-params.overwrite.web-edit.enabled");
}

aswg_err server_params_set_overwrite(const char *params, char *msg, size_t msg_size)
{
    if (params[strspn(params, " \t")] != '\0') {
        char **words = server_words_split(params, msg, msg_size);
        if (!words)
            return ERR_BAD_REQUEST;
        server_words_free(words);
    }
    const char *key = "aswg.server.unsafe.startup-params.overwrite.value";
    if (config_set_all(&key, &params, 1) != 0)
        return ERR_SERVER_ERROR;
    log_warn("the server command line was %s from the web API", params[0] ? "overwritten" : "reset");
    return ERR_OK;
}

/* ---- shell-like word splitting ---- */

/* Reads one word starting at *p into out (which has room for strlen(line)+1). Returns 1 when a
 * word was read, 0 at the end of the line, -1 on an unterminated quote. */
static int next_word(const char **p, char *out)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (!*s) {
        *p = s;
        return 0;
    }
    char quote = 0;
    for (; *s && (quote || !strchr(" \t\n\r", *s)); s++) {
        if (quote == '\'') {
            if (*s == '\'')
                quote = 0;
            else
                *out++ = *s;
        } else if (*s == '\\' && s[1] && (quote == 0 || strchr("\"\\$`", s[1]))) {
            *out++ = *++s;
        } else if (quote == '"' && *s == '"') {
            quote = 0;
        } else if (!quote && (*s == '\'' || *s == '"')) {
            quote = *s;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
    *p = s;
    return quote ? -1 : 1;
}

char **server_words_split(const char *line, char *err, size_t err_size)
{
    strvec words = {0};
    char *buf = malloc(strlen(line) + 1);
    const char *p = line;
    int rc = buf ? 1 : -2;
    while (rc == 1 && (rc = next_word(&p, buf)) == 1)
        vec_push(&words, strdup(buf));
    free(buf);
    if (rc == 0 && words.n > 0 && !words.failed)
        return words.v;
    snprintf(err, err_size, "%s", rc == -1 ? "Unterminated quote in the startup parameters"
                                  : rc == 0 && words.n == 0 ? "The startup parameters are empty"
                                                            : "Out of memory");
    vec_free(&words);
    return NULL;
}

void server_words_free(char **words)
{
    if (!words)
        return;
    for (size_t i = 0; words[i]; i++)
        free(words[i]);
    free(words);
}
