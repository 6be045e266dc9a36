/* What the mission service's parts share: the change transaction that keeps server.cfg and the
 * database in step, and writing a file's row. */
#include "missions/mission_internal.h"

#include "core/log.h"
#include "server/server_cfg.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint_fast64_t g_generation = 1;

uint64_t missions_generation(void)
{
    return atomic_load(&g_generation);
}
aswg_err missions_from_db(db_result r, aswg_err not_found)
{
    switch (r) {
    case DB_OK: return ERR_OK;
    case DB_NOT_FOUND: return not_found;
    case DB_CONFLICT: return ERR_MISSION_ALREADY_EXISTS;
    case DB_ERROR: break;
    }
    return ERR_SERVER_ERROR;
}

void missions_replace_string(char **field, const char *value)
{
    char *copy = value ? strdup(value) : NULL;
    free(*field);
    *field = copy;
}

/* ---- server.cfg ---- */

/* Writes class Missions from the enabled rows, in rotation order. */
static aswg_err sync_server_cfg(char *msg, size_t msg_size)
{
    mission_record *rows;
    size_t count;
    if (mission_repo_list(&rows, &count) != DB_OK)
        return ERR_SERVER_ERROR;
    cfg_mission *entries = calloc(count ? count : 1, sizeof *entries);
    json_t **params = calloc(count ? count : 1, sizeof(json_t *));
    size_t n = 0;
    for (size_t i = 0; entries && params && i < count && rows[i].enabled; i++, n++) {
        params[n] = rows[i].parameters ? json_loads(rows[i].parameters, 0, NULL) : NULL;
        entries[n] = (cfg_mission){rows[i].tpl, rows[i].difficulty, params[n]};
    }
    aswg_err err = ERR_OK;
    if (!entries || !params)
        err = ERR_SERVER_ERROR;
    else if (server_cfg_write_missions(entries, n, msg, msg_size) != 0)
        err = ERR_SERVER_CONFIG_INVALID;
    if (err != ERR_OK)
        log_error("server.cfg not updated: %s", msg);
    for (size_t i = 0; params && i < n; i++)
        json_decref(params[i]);
    free(params);
    free(entries);
    mission_records_free(rows, count);
    return err;
}

/* Ends the transaction a change runs in: with sync, server.cfg is rewritten first and the
 * change is rolled back if that fails, so the database and the file never disagree. */
aswg_err missions_end_change(aswg_err err, bool sync, char *msg, size_t msg_size)
{
    if (err == ERR_OK && sync)
        err = sync_server_cfg(msg, msg_size);
    if (err == ERR_OK && db_tx_commit() != 0)
        err = ERR_SERVER_ERROR;
    if (err != ERR_OK)
        db_tx_rollback();
    else
        atomic_fetch_add(&g_generation, 1); /* after the commit, so a reader never caches stale rows as new */
    return err;
}

aswg_err missions_begin_change(void)
{
    return db_tx_begin() == 0 ? ERR_OK : ERR_SERVER_ERROR;
}

/* Copies what the PBO told about itself into the row. */
void missions_apply_meta(mission_record *m, const mission_meta *meta)
{
    missions_replace_string(&m->world_name, meta->world_name);
    missions_replace_string(&m->briefing_name, meta->briefing_name);
    missions_replace_string(&m->on_load_name, meta->on_load_name);
    free(m->available_parameters);
    m->available_parameters = meta->parameters ? json_dumps(meta->parameters, JSON_COMPACT) : NULL;
}

void missions_apply_file_info(mission_record *m, const char *file_name, const struct stat *st)
{
    missions_replace_string(&m->file_name, file_name);
    m->size_bytes = (int64_t)st->st_size;
    m->file_mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

aswg_err missions_upsert_file_row(const char *file_name, const char *tpl, const struct stat *st,
                                  const mission_meta *meta, bool *added)
{
    mission_record m;
    db_result found = mission_repo_find_by_template(tpl, &m);
    *added = false;
    if (found == DB_ERROR)
        return ERR_SERVER_ERROR;
    *added = found == DB_NOT_FOUND;
    if (*added) {
        memset(&m, 0, sizeof m);
        m.name = strdup(tpl);
        m.tpl = strdup(tpl);
        m.difficulty = strdup("REGULAR");
        m.source = strdup("FILE");
    }
    missions_apply_file_info(&m, file_name, st);
    missions_apply_meta(&m, meta);
    db_result r = *added ? mission_repo_insert(&m, NULL) : mission_repo_update(&m);
    mission_record_clear(&m);
    return missions_from_db(r, ERR_MISSION_NOT_FOUND);
}
