/* Creator DLCs: which are enabled, and whether their folder is in the server directory. */
#ifndef ASWG_CDLC_CDLC_SERVICE_H
#define ASWG_CDLC_CDLC_SERVICE_H

#include "cdlc/cdlc_repository.h"
#include "core/errors.h"

typedef struct cdlc_info {
    cdlc_record row;
    bool file_exists;
    char disk_name[256];        /* the folder's spelling on disk (e.g. "GM"), "" when missing */
} cdlc_info;

/* All CDLCs with their folders looked up now (case-insensitively) in the server directory. */
aswg_err cdlc_list(cdlc_info **out, size_t *count);
aswg_err cdlc_toggle(int64_t id);

#endif
