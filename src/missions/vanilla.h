/* The 76 missions that ship with Arma 3 (ASWG-API.md §1.8), in ASWG's order. */
#ifndef ASWG_MISSIONS_VANILLA_H
#define ASWG_MISSIONS_VANILLA_H

#include <stddef.h>

typedef struct vanilla_mission {
    const char *name;
    const char *tpl;
} vanilla_mission;

extern const vanilla_mission VANILLA_MISSIONS[];
extern const size_t VANILLA_MISSION_COUNT;

#endif
