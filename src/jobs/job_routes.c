/* /api/v1/settings/jobs (ASWG-API.md §4.7 with DECISIONS.md 1, 2 and the history). */
#include "jobs/job_routes.h"

#include "core/timefmt.h"
#include "http/body.h"
#include "jobs/job_service.h"

#include <stdio.h>
#include <stdlib.h>

#define EXECUTIONS_DEFAULT 20
#define EXECUTIONS_MAX JOB_HISTORY_KEEP

/* yyyy-MM-dd HH:mm:ss in local time, or null. */
static json_t *local_date(int64_t ms)
{
    if (ms <= 0)
        return json_null();
    char text[TIME_ISO_MAX];
    time_format_local(ms, text);
    return json_string(text);
}

static json_t *settings_to_json(const job_settings *s)
{
    json_t *params = json_array();
    for (size_t p = 0; p < s->def->param_count; p++)
        json_array_append_new(params, json_pack("{s:s, s:s, s:s}", "name", s->def->params[p].name,
                                                "description", s->def->params[p].description,
                                                "value", s->param_values[p]));
    json_t *upcoming = json_array();
    for (int k = 0; k < JOB_NEXT_EXECUTIONS && s->upcoming[k] >= 0; k++)
        json_array_append_new(upcoming, local_date((int64_t)s->upcoming[k] * 1000));
    bool ran = s->last.id != 0;
    return json_pack("{s:s, s:s, s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "name", s->def->name, "description", s->def->description, "enabled", s->enabled,
                     "cron", s->cron, "parameters", params,
                     "lastExecutionDate", ran ? local_date(s->last.start_ms) : json_null(),
                     "lastExecutionFinishedDate", ran ? local_date(s->last.finish_ms) : json_null(),
                     "lastMessage", ran && s->last.message ? json_string(s->last.message) : json_null(),
                     "lastStatus", ran ? json_string(s->last.status) : json_null(),
                     "nextExecutionDate", s->next >= 0 ? local_date((int64_t)s->next * 1000) : json_null(),
                     "nextExecutions", upcoming);
}

static void reply_settings(http_reply *rep, const char *name)
{
    job_settings s;
    aswg_err err = jobs_get_settings(name, &s);
    if (err == ERR_OK)
        reply_json(rep, 200, settings_to_json(&s));
    else
        reply_error(rep, err, NULL);
    job_settings_clear(&s);
}

static void list_jobs(http_request *req, http_reply *rep)
{
    (void)req;
    json_t *names = json_array();
    for (size_t i = 0; i < jobs_count(); i++)
        json_array_append_new(names, json_string(jobs_at(i)->name));
    reply_json(rep, 200, names);
}

static void get_job(http_request *req, http_reply *rep)
{
    reply_settings(rep, req_param(req, "name"));
}

static void put_job(http_request *req, http_reply *rep)
{
    bool enabled = false, enabled_given = false;
    const char *cron = NULL;
    json_t *parameters = NULL;
    const body_field fields[] = {
        {"enabled", FT_BOOL, false, &enabled, &enabled_given},
        FIELD_OPT_STRING("cron", &cron),
        {"parameters", FT_OBJECT, false, &parameters, NULL},
        FIELD_END,
    };
    if (!body_parse(req, rep, fields))
        return;
    char msg[256] = "";
    aswg_err err = jobs_update(req_param(req, "name"), enabled_given ? &enabled : NULL, cron,
                               parameters, msg, sizeof msg);
    if (err == ERR_INVALID_CRON) {
        reply_errorf(rep, err, "Invalid cron expression '%.100s': %s", cron, msg);
        return;
    }
    if (err != ERR_OK) {
        reply_error(rep, err, msg[0] ? msg : NULL);
        return;
    }
    reply_settings(rep, req_param(req, "name"));
}

static void run_job_now(http_request *req, http_reply *rep)
{
    reply_status(rep, jobs_run_now(req_param(req, "name")), NULL);
}

static void list_executions(http_request *req, http_reply *rep)
{
    int64_t limit, before;
    if (!req_query_int(req, rep, "limit", EXECUTIONS_DEFAULT, EXECUTIONS_MAX, &limit) ||
        !req_query_int(req, rep, "before", 0, INT64_MAX, &before))
        return;
    job_execution *runs;
    size_t count;
    aswg_err err = jobs_executions(req_param(req, "name"), before, limit, &runs, &count);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)runs[i].id,
                                              "jobName", runs[i].job_name, "startDate", local_date(runs[i].start_ms),
                                              "finishDate", local_date(runs[i].finish_ms), "status", runs[i].status,
                                              "message", runs[i].message ? json_string(runs[i].message) : json_null(),
                                              "durationMs", runs[i].duration_ms >= 0
                                                                ? json_integer(runs[i].duration_ms) : json_null()));
    job_executions_free(runs, count);
    reply_json(rep, 200, list);
}

const http_route JOB_ROUTES[] = {
    ROUTE_USER("GET", "/api/v1/settings/jobs", list_jobs),
    ROUTE_AUTH("GET", "/api/v1/settings/jobs/{name}", "JOBS_SETTINGS_UPDATE", get_job),
    ROUTE_AUTH("PUT", "/api/v1/settings/jobs/{name}", "JOBS_SETTINGS_UPDATE", put_job),
    ROUTE_AUTH("POST", "/api/v1/settings/jobs/{name}/run-now", "JOBS_SETTINGS_UPDATE", run_job_now),
    ROUTE_AUTH("GET", "/api/v1/settings/jobs/{name}/executions", "JOBS_SETTINGS_UPDATE", list_executions),
};
const size_t JOB_ROUTE_COUNT = sizeof JOB_ROUTES / sizeof JOB_ROUTES[0];
