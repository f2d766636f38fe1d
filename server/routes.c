/* The route table: method + path pattern -> handler. "*" matches one segment. */
#include <string.h>

#include "server.h"

typedef struct route {
    const char *method;
    const char *pattern; /* segments separated by '/', no leading slash */
    http_handler handler;
} route;

static const route ROUTES[] = {
    {"GET", "", h_root},
    {"POST", "", h_root},
    {"GET", "schemas", h_schemas_list},
    {"GET", "schemas/types", h_schema_types},
    {"GET", "schemas/ids/*", h_schema_by_id},
    {"GET", "schemas/ids/*/schema", h_schema_by_id_raw},
    {"GET", "schemas/ids/*/subjects", h_schema_id_subjects},
    {"GET", "schemas/ids/*/versions", h_schema_id_versions},
    {"GET", "subjects", h_subjects_list},
    {"POST", "subjects/*", h_subject_lookup},
    {"DELETE", "subjects/*", h_subject_delete},
    {"GET", "subjects/*/versions", h_versions_list},
    {"POST", "subjects/*/versions", h_version_register},
    {"GET", "subjects/*/versions/*", h_version_get},
    {"DELETE", "subjects/*/versions/*", h_version_delete},
    {"GET", "subjects/*/versions/*/schema", h_version_get_raw},
    {"GET", "subjects/*/versions/*/referencedby", h_version_referenced_by},
    {"POST", "compatibility/subjects/*/versions/*", h_compat_version},
    {"POST", "compatibility/subjects/*/versions", h_compat_versions},
    {"GET", "config", h_config_get},
    {"PUT", "config", h_config_put},
    {"DELETE", "config", h_config_delete},
    {"GET", "config/*", h_config_get},
    {"PUT", "config/*", h_config_put},
    {"DELETE", "config/*", h_config_delete},
    {"GET", "mode", h_mode_get},
    {"PUT", "mode", h_mode_put},
    {"DELETE", "mode", h_mode_delete},
    {"GET", "mode/*", h_mode_get},
    {"PUT", "mode/*", h_mode_put},
    {"DELETE", "mode/*", h_mode_delete},
    {"GET", "contexts", h_contexts},
    {"GET", "v1/metadata/id", h_metadata_id},
    {"GET", "v1/metadata/version", h_metadata_version},
};

static int path_matches(const char *pattern, const http_request *req)
{
    size_t i = 0;
    const char *p = pattern;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (i >= req->n_seg) return 0;
        if (!(n == 1 && *p == '*') &&
            (strlen(req->seg[i]) != n || strncmp(req->seg[i], p, n) != 0))
            return 0;
        i++;
        p += n;
        if (*p == '/') p++;
    }
    return i == req->n_seg;
}

void routes_dispatch(server *srv, const http_request *req, http_response *resp)
{
    int path_known = 0;
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        if (!path_matches(ROUTES[i].pattern, req)) continue;
        if (strcmp(ROUTES[i].method, req->method) == 0) {
            ROUTES[i].handler(srv, req, resp);
            return;
        }
        path_known = 1;
    }
    if (path_known) http_respond_errorf(resp, 405, 405, "HTTP 405 Method Not Allowed");
    else http_respond_errorf(resp, 404, 404, "HTTP 404 Not Found");
}
