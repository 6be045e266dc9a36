/* What a mod folder says about itself: meta.cpp (written by the Steam Workshop / the Arma 3
 * Launcher: publishedid, name, timestamp) and mod.cpp (name), both Arma config files. */
#ifndef ASWG_MODS_MOD_META_H
#define ASWG_MODS_MOD_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOD_NAME_MAX 256

typedef struct mod_meta {
    int64_t published_id;       /* 0 when unknown (a local mod) */
    char name[MOD_NAME_MAX];    /* "" when neither file names it */
    int64_t updated_ms;         /* meta.cpp timestamp as ms since the epoch, 0 when unknown */
} mod_meta;

/* Parses the text of a meta.cpp or mod.cpp into out (fields it lacks are left as they are).
 * Returns 0, or -1 for text that is not a config file. */
int mod_meta_parse(const char *text, size_t len, mod_meta *out);

/* Reads dir/meta.cpp and dir/mod.cpp (meta.cpp wins for the name). Returns whether dir looks
 * like a mod at all: one of those files or an addons folder (any case). */
bool mod_meta_read(const char *dir, mod_meta *out);

#endif
