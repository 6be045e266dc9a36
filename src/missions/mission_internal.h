/* Shared by the parts of the mission service (mission_service.c, mission_upload.c,
 * mission_scan.c, mission_store.c); not for other domains. */
#ifndef ASWG_MISSIONS_MISSION_INTERNAL_H
#define ASWG_MISSIONS_MISSION_INTERNAL_H

#include "missions/mission_meta.h"
#include "missions/mission_service.h"

#include <sys/stat.h>

aswg_err missions_from_db(db_result r, aswg_err not_found);
void missions_replace_string(char **field, const char *value);

/* Every change runs between these two. With sync, server.cfg is rewritten from the enabled rows
 * before the commit and the change is rolled back if that fails, so the database and the file
 * never disagree; a committed change moves missions_generation() on. */
aswg_err missions_begin_change(void);
aswg_err missions_end_change(aswg_err err, bool sync, char *msg, size_t msg_size);

void missions_apply_meta(mission_record *m, const mission_meta *meta);
void missions_apply_file_info(mission_record *m, const char *file_name, const struct stat *st);

/* Inserts or refreshes the row of a mission file that is in place (upload or scan). A row that
 * already has this template (added by hand, vanilla) gets the file. */
aswg_err missions_upsert_file_row(const char *file_name, const char *tpl, const struct stat *st,
                                  const mission_meta *meta, bool *added);

#endif
