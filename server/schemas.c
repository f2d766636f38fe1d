/* /schemas, /schemas/types, /schemas/ids/{id}[/schema|/subjects|/versions] */
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "registry.h"
#include "server.h"
#include "views.h"

void h_schema_types(server *srv, const http_request *req, http_response *resp)
{
    (void)srv;
    (void)req;
    json_t *a = json_array();
    for (const char *const *t = format_types; *t; t++) json_array_append_new(a, json_string(*t));
    http_respond_json(resp, 200, a);
}

/* The schema for seg[2] in the ?format= asked for, or an error in resp.
 * 1 found, 0 answered. */
static int schema_for_path(server *srv, const http_request *req, http_response *resp,
                           store_schema *out)
{
    sr_error err;
    long long id;
    if (view_parse_id(req->seg[2], &id, &err) < 0) {
        http_respond_error(resp, &err);
        return 0;
    }
    int rc = store_schema_get(srv->st, id, out, &err);
    if (rc > 0 && registry_render(srv, out, http_param_get(req, "format"), &err) < 0) {
        store_schema_free(out);
        rc = -1;
    }
    if (rc < 0) http_respond_error(resp, &err);
    if (rc == 0) http_respond_errorf(resp, 404, SR_E_SCHEMA_NOT_FOUND, "Schema %lld not found", id);
    return rc > 0;
}

void h_schema_by_id(server *srv, const http_request *req, http_response *resp)
{
    /* The deserializer's hot path: no parsing, and a cached body when the
     * request asks for nothing special (unknown formats are ignored). */
    int cacheable = !http_param_bool(req, "fetchMaxId") && !http_param_get(req, "format");
    /* An id's body changes only when its last version is permanently deleted;
     * read the removal generation before the store, as the lookup cache does. */
    unsigned long long gen = store_removal_generation(srv->st);
    long long id;
    sr_error err;
    if (cacheable && view_parse_id(req->seg[2], &id, &err) == 0) {
        size_t len;
        cache_key key = cache_key_id(id);
        char *body = body_cache_get(srv->ids, &key, gen, &len);
        if (body) {
            resp->status = 200;
            resp->body = body;
            resp->len = len;
            return;
        }
    }
    store_schema s;
    if (!schema_for_path(srv, req, resp, &s)) return;
    json_t *o = view_schema_string(&s);
    if (http_param_bool(req, "fetchMaxId")) {
        long long max = 0;
        if (store_max_id(srv->st, &max, &err) < 0) {
            json_decref(o);
            store_schema_free(&s);
            http_respond_error(resp, &err);
            return;
        }
        json_object_set_new(o, "maxId", json_integer(max));
    }
    http_respond_json(resp, 200, o);
    if (cacheable) {
        cache_key key = cache_key_id(s.id);
        body_cache_put(srv->ids, &key, gen, resp->body, resp->len);
    }
    store_schema_free(&s);
}

void h_schema_by_id_raw(server *srv, const http_request *req, http_response *resp)
{
    store_schema s;
    if (!schema_for_path(srv, req, resp, &s)) return;
    http_respond_text(resp, 200, s.text);
    store_schema_free(&s);
}

/* /schemas/ids/{id}/subjects and /versions */
static void id_uses(server *srv, const http_request *req, http_response *resp, int versions)
{
    store_schema s;
    if (!schema_for_path(srv, req, resp, &s)) return;
    store_versions vs;
    sr_error err;
    int rc = store_id_versions(srv->st, s.id, http_param_bool(req, "deleted"), &vs, &err);
    store_schema_free(&s);
    if (rc < 0) {
        http_respond_error(resp, &err);
        return;
    }
    const char *only = http_param_get(req, "subject");
    json_t *a = json_array();
    for (size_t i = 0; i < vs.n; i++) {
        const store_version *v = &vs.items[i];
        if (only && *only && strcmp(view_subject(only), v->subject) != 0) continue;
        if (versions) {
            json_array_append_new(a, json_pack("{s:s, s:i}", "subject", v->subject, "version",
                                               v->version));
        } else if (i == 0 || strcmp(vs.items[i - 1].subject, v->subject) != 0) {
            json_array_append_new(a, json_string(v->subject));
        }
    }
    store_versions_free(&vs);
    view_paginate(a, http_param_int(req, "offset", 0), http_param_int(req, "limit", -1));
    http_respond_json(resp, 200, a);
}

void h_schema_id_subjects(server *srv, const http_request *req, http_response *resp)
{
    id_uses(srv, req, resp, 0);
}

void h_schema_id_versions(server *srv, const http_request *req, http_response *resp)
{
    id_uses(srv, req, resp, 1);
}

/* GET /schemas: one entry per subject version (api.md §3.2). */
void h_schemas_list(server *srv, const http_request *req, http_response *resp)
{
    const char *prefix = http_param_get(req, "subjectPrefix");
    int deleted = http_param_bool(req, "deleted");
    int latest_only = http_param_bool(req, "latestOnly");
    long long limit = http_param_int(req, "limit", -1);
    if (limit <= 0 || limit > 1000) limit = 1000;
    store_versions vs;
    sr_error err;
    if (store_all_versions(srv->st, prefix && *prefix ? view_subject(prefix) : NULL, &vs, &err) <
        0) {
        http_respond_error(resp, &err);
        return;
    }
    json_t *a = json_array();
    int rc = 0;
    for (size_t i = 0; i < vs.n && rc >= 0; i++) {
        const store_version *v = &vs.items[i];
        if (v->deleted && !deleted) continue;
        if (latest_only) { /* skip unless no later visible row of the same subject */
            int later = 0;
            for (size_t j = i + 1; j < vs.n && strcmp(vs.items[j].subject, v->subject) == 0; j++)
                if (!vs.items[j].deleted || deleted) later = 1;
            if (later) continue;
        }
        store_schema s;
        rc = store_schema_get_any(srv->st, v->id, &s, &err);
        if (rc > 0) {
            json_array_append_new(a, view_subject_version(v->subject, v->version, &s));
            store_schema_free(&s);
        }
    }
    store_versions_free(&vs);
    if (rc < 0) {
        json_decref(a);
        http_respond_error(resp, &err);
        return;
    }
    view_paginate(a, http_param_int(req, "offset", 0), limit);
    http_respond_json(resp, 200, a);
}
