/* POST /compatibility/subjects/{s}/versions[/{v}] (api.md §3.20, §3.21) */
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "server.h"
#include "views.h"

static void check(server *srv, const http_request *req, http_response *resp, int version)
{
    const char *subject = view_subject(req->seg[2]);
    int verbose = http_param_bool(req, "verbose");
    json_t *body = http_body_object(req, resp);
    if (!body) return;
    prepared_schema p;
    sr_error err;
    int rc = registry_prepare_body(srv, subject, body, http_param_bool(req, "normalize"), &p,
                                   &err);
    json_decref(body);
    if (rc < 0) {
        /* With verbose, an invalid schema is an answer, not an error. */
        if (verbose && err.code == SR_E_INVALID_SCHEMA)
            http_respond_json(resp, 200, json_pack("{s:b, s:[s]}", "is_compatible", 0,
                                                   "messages", err.msg));
        else http_respond_error(resp, &err);
        return;
    }
    compat_result r;
    rc = registry_check(srv, subject, &p, version, &r, &err);
    prepared_schema_free(&p);
    if (rc < 0) {
        http_respond_error(resp, &err);
        return;
    }
    json_t *o = json_pack("{s:b}", "is_compatible", r.compatible);
    if (verbose) {
        json_t *msgs = json_array();
        for (size_t i = 0; i < r.n_messages && !r.compatible; i++)
            json_array_append_new(msgs, json_string(r.messages[i]));
        json_object_set_new(o, "messages", msgs);
    }
    compat_result_free(&r);
    http_respond_json(resp, 200, o);
}

void h_compat_version(server *srv, const http_request *req, http_response *resp)
{
    int version;
    sr_error err;
    if (view_parse_version(req->seg[4], &version, &err) < 0) {
        http_respond_error(resp, &err);
        return;
    }
    check(srv, req, resp, version);
}

void h_compat_versions(server *srv, const http_request *req, http_response *resp)
{
    check(srv, req, resp, 0);
}
