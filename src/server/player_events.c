#include "server/player_events.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Skips an "H:MM:SS " or "HH:MM:SS " console time stamp. */
static const char *skip_time(const char *s)
{
    while (*s == ' ')
        s++;
    const char *p = s;
    int digits = 0, colons = 0;
    for (; isdigit((unsigned char)*p) || *p == ':'; p++) {
        if (*p == ':')
            colons++;
        else
            digits++;
    }
    if (colons == 2 && digits >= 5 && *p == ' ')
        return p + 1;
    return s;
}

/* Whether s (of length len) ends with suffix; *cut becomes the length before it. */
static bool ends_with(const char *s, size_t len, const char *suffix, size_t *cut)
{
    size_t n = strlen(suffix);
    if (len < n || memcmp(s + len - n, suffix, n) != 0)
        return false;
    *cut = len - n;
    return true;
}

static player_event copy_name(player_event ev, const char *name, size_t len, char *out, size_t out_size)
{
    if (len == 0 || out_size == 0)
        return PLAYER_NONE;
    if (len >= out_size)
        len = out_size - 1;
    memcpy(out, name, len);
    out[len] = '\0';
    return ev;
}

player_event player_event_parse(const char *line, char *name, size_t name_size)
{
    const char *s = skip_time(line);
    if (strncmp(s, "Player ", 7) != 0)
        return PLAYER_NONE;
    s += 7;
    size_t len = strlen(s), cut;
    while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    if (ends_with(s, len, " disconnected.", &cut) || ends_with(s, len, " disconnected", &cut))
        return copy_name(PLAYER_LEFT, s, cut, name, name_size);
    if (ends_with(s, len, " connected.", &cut) || ends_with(s, len, " connected", &cut))
        return copy_name(PLAYER_JOINED, s, cut, name, name_size);
    /* "Player Bob connected (id=...)." : the name ends at the last " connected (id=". */
    const char *hit = NULL;
    for (const char *p = s; (p = strstr(p, " connected (id=")) != NULL; p++)
        hit = p;
    if (hit)
        return copy_name(PLAYER_JOINED, s, (size_t)(hit - s), name, name_size);
    return PLAYER_NONE;
}
