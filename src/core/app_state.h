/* A small key/value table (app_state) for one-time start-up work, e.g. "vanilla missions
 * imported". */
#ifndef ASWG_CORE_APP_STATE_H
#define ASWG_CORE_APP_STATE_H

#include "core/db.h"

#include <stdbool.h>

/* DB_OK with *present set, or DB_ERROR. */
db_result app_state_has(const char *key, bool *present);
db_result app_state_set(const char *key, const char *value);

#endif
