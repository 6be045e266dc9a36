/* The Arma 3 Launcher's preset files (MODS > PRESET > EXPORT): an HTML page with the preset name
 * in <meta name="arma:PresetName">, and per mod a <tr data-type="ModContainer"> holding its
 * <td data-type="DisplayName"> and a Steam Workshop link with ?id=<workshop id>. */
#ifndef ASWG_MODS_LAUNCHER_PRESET_H
#define ASWG_MODS_LAUNCHER_PRESET_H

#include <stddef.h>
#include <stdint.h>

#define LAUNCHER_PRESET_MAX_MODS 1024
#define LAUNCHER_TEXT_MAX 256

typedef struct launcher_mod {
    int64_t workshop_id;        /* 0 for a local mod (no workshop link) */
    char name[LAUNCHER_TEXT_MAX];
} launcher_mod;

typedef struct launcher_preset {
    char name[LAUNCHER_TEXT_MAX];
    size_t count;
    launcher_mod mods[LAUNCHER_PRESET_MAX_MODS];
} launcher_preset;

/* Parses the page. Returns 0, or -1 when it is not a Launcher preset (no mod container at all
 * and no preset name). */
int launcher_preset_parse(const char *html, size_t len, launcher_preset *out);

/* The page for name and mods, in the Launcher's format (malloc'd). */
char *launcher_preset_render(const char *name, const launcher_mod *mods, size_t count);

#endif
