/* /api/v1/cdlc (ASWG-API.md §2). */
#include "cdlc/cdlc_routes.h"

#include "cdlc/cdlc_service.h"

#include <stdlib.h>

static void list_cdlcs(http_request *req, http_reply *rep)
{
    (void)req;
    cdlc_info *list;
    size_t count;
    aswg_err err = cdlc_list(&list, &count);
    if (err != ERR_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)list[i].row.id,
                                               "name", list[i].row.name, "enabled", list[i].row.enabled,
                                               "fileExists", list[i].file_exists));
    free(list);
    reply_json(rep, 200, json_pack("{s:o}", "cdlcs", items));
}

static void toggle_cdlc(http_request *req, http_reply *rep)
{
    int64_t id;
    if (req_param_id(req, rep, "id", &id))
        reply_status(rep, cdlc_toggle(id), NULL);
}

const http_route CDLC_ROUTES[] = {
    ROUTE_AUTH("GET", "/api/v1/cdlc", "CDLC_VIEW", list_cdlcs),
    ROUTE_AUTH("POST", "/api/v1/cdlc/{id}/toggle", "CDLC_UPDATE", toggle_cdlc),
};
const size_t CDLC_ROUTE_COUNT = sizeof CDLC_ROUTES / sizeof CDLC_ROUTES[0];
