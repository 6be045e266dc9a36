/* libFuzzer target for the small parsers of untrusted text: the first byte picks one, the rest is
 * its input. Arma 3 Launcher preset HTML (an admin's upload), Steam A2S answers (UDP from the
 * game's query port), console player lines (the game prints player names), meta.cpp (a mod
 * folder's), user-sent file names and relative paths (normalised, must stay inside). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fs.h"
#include "missions/mission_names.h"
#include "mods/launcher_preset.h"
#include "mods/mod_meta.h"
#include "server/a2s.h"
#include "server/player_events.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

static void launcher(const uint8_t *data, size_t size)
{
    static launcher_preset preset;
    if (launcher_preset_parse((const char *)data, size, &preset) != 0)
        return;
    CHECK(preset.count <= LAUNCHER_PRESET_MAX_MODS);
    char *html = launcher_preset_render(preset.name, preset.mods, preset.count);
    CHECK(html);
    static launcher_preset again;
    /* What aswg writes reads back the same. */
    CHECK(launcher_preset_parse(html, strlen(html), &again) == 0);
    CHECK(again.count == preset.count);
    free(html);
}

static void steam(const uint8_t *data, size_t size)
{
    a2s_info info;
    static a2s_players players;
    if (a2s_parse_info(data, size, &info) == 0)
        CHECK(strlen(info.name) < sizeof info.name && strlen(info.game) < sizeof info.game);
    if (a2s_parse_players(data, size, &players) == 0)
        CHECK(players.count <= A2S_MAX_PLAYERS);
}

static void text_parsers(const uint8_t *data, size_t size, int which)
{
    char *text = malloc(size + 1);
    CHECK(text);
    memcpy(text, data, size);
    text[size] = '\0';
    if (which == 2) {
        char name[64];
        if (player_event_parse(text, name, sizeof name) != PLAYER_NONE)
            CHECK(name[0] && strlen(name) < sizeof name);
    } else if (which == 3) {
        mod_meta m = {0};
        if (mod_meta_parse(text, size, &m) == 0)
            CHECK(m.published_id >= 0 && strlen(m.name) < sizeof m.name);
    } else {
        char *normal = mission_normalize_file_name(text);
        CHECK(normal && !strchr(normal, '/') && !strchr(normal, '\\'));
        free(normal);
        char path[512];
        if (fs_normalize_relative(text, path, sizeof path) == 0)
            CHECK(path[0] != '/' && strncmp(path, "../", 3) != 0 && strcmp(path, "..") != 0 && !strstr(path, "/../"));
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int which = data[0] % 5;
    if (which == 0)
        launcher(data + 1, size - 1);
    else if (which == 1)
        steam(data + 1, size - 1);
    else
        text_parsers(data + 1, size - 1, which);
    return 0;
}
