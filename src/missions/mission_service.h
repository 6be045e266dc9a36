/* Missions: the rotation an admin picks (ASWG-API.md §1 with the DECISIONS.md fixes). Every
 * change that touches the enabled missions rewrites server.cfg in the same step, in rotation
 * order, and a change that cannot be written to server.cfg is not made at all. */
#ifndef ASWG_MISSIONS_MISSION_SERVICE_H
#define ASWG_MISSIONS_MISSION_SERVICE_H

#include "core/errors.h"
#include "core/upload_sink.h"
#include "missions/mission_repository.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a client sends for one mission (PUT body, or an item of the enabled list). NULL fields
 * keep the current value; parameters is an array of {"name","value"}. */
typedef struct mission_input {
    const char *name;
    const char *tpl;
    const char *difficulty;
    bool enabled;
    bool enabled_given;
    json_t *parameters;
} mission_input;

/* Start-up: removes temp files of interrupted uploads and imports the vanilla missions on a new
 * database (or when aswg.vanilla-missions-importer.enabled). */
int missions_startup(char *err, size_t err_size);

aswg_err missions_list(mission_record **out, size_t *count);

/* A number that changes after every committed change to missions: lets readers cache what they
 * derive from missions_list(). */
uint64_t missions_generation(void);

/* The enabled list, in rotation order, by templates only (ASWG's body)... */
aswg_err missions_enable_templates(json_t *templates, char *msg, size_t msg_size);
/* ...or with difficulty, name and parameters per mission (aswg's richer body). */
aswg_err missions_enable_list(const mission_input *items, size_t count, char *msg, size_t msg_size);

aswg_err missions_add_template(const char *name, const char *tpl, char *msg, size_t msg_size);
aswg_err missions_delete_template(const char *tpl, char *msg, size_t msg_size);
aswg_err missions_update(int64_t id, const mission_input *in, char *msg, size_t msg_size);

/* Whether an upload of file_name would find a file (name normalised as uploads are). */
aswg_err missions_file_exists(const char *file_name, bool *exists, char *msg, size_t msg_size);
/* Opens the file of mission id for download. */
aswg_err missions_open_file(int64_t id, int *fd, uint64_t *size, char **file_name);

/* ---- uploads (POST /api/v1/missions-files): one per request, any number of files ---- */
/* Files stream into temporary files beside the missions; commit checks every one (PBO header,
 * conflicts) and only then puts them all in place with their rows. */
extern const upload_sink MISSION_UPLOAD_SINK;

/* ---- the scanner (the MISSIONS_SCANNER job) ---- */
typedef struct mission_scan_result {
    int added, updated, removed;
    int ignored;        /* files whose name cannot be a template, or whose template is taken */
} mission_scan_result;

/* Adds FILE rows for new .pbo files, refreshes changed ones, removes FILE rows whose file is gone
 * (TEMPLATE and VANILLA rows are never removed) and rewrites server.cfg if an enabled mission
 * went. A missing missions directory changes nothing. msg may say why nothing was scanned.
 * cancelled (may be NULL) is polled while files are read: when it returns true (aswg is
 * stopping) the scan ends with ERR_SERVICE_UNAVAILABLE and changes nothing. */
aswg_err missions_scan(mission_scan_result *result, bool (*cancelled)(void), char *msg, size_t msg_size);

#endif
