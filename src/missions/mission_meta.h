/* What a mission PBO tells about itself: read once at upload or scan time and stored, so that
 * listing missions never opens a file. */
#ifndef ASWG_MISSIONS_MISSION_META_H
#define ASWG_MISSIONS_MISSION_META_H

#include <jansson.h>
#include <stdbool.h>

typedef struct mission_meta {
    char *world_name;       /* from the file name: "co10_escape.Altis.pbo" -> "Altis" (may be NULL) */
    char *briefing_name;    /* mission.sqm: class Mission { class Intel { briefingName = "..."; } } */
    char *on_load_name;     /* description.ext: onLoadName = "..."; */
    /* description.ext class Params, as a JSON array of
     * {"name": class name, "title": string or null, "values": [numbers], "texts": [strings],
     *  "default": number or null}; an empty array when there are none. */
    json_t *parameters;
} mission_meta;

/* The world of a mission file or template name: the part after the last dot, once a trailing
 * ".pbo" (any case) is removed; NULL (not malloc'd) when there is no dot. */
char *mission_world_from_name(const char *name);

/* Fills meta from the mission PBO at path (world from file_name). A file that is not a PBO
 * returns -1 (meta untouched); a valid PBO whose texts cannot be read (binarized, compressed,
 * missing) still returns 0 with those fields NULL. */
int mission_meta_read(const char *path, const char *file_name, mission_meta *meta);

/* Parses the texts themselves (either may be NULL); used by mission_meta_read and the tests. */
void mission_meta_from_texts(const char *mission_sqm, size_t sqm_len, const char *description_ext,
                             size_t ext_len, mission_meta *meta);

void mission_meta_free(mission_meta *meta);

#endif
