/* /subjects and /subjects/{subject}/versions/... (api.md §3.9–§3.17) */
#include <stdlib.h>
#include <string.h>

#include "../common/sha256.h"
#include "../common/strbuf.h"
#include "registry.h"
#include "server.h"
#include "views.h"

void h_subjects_list(server *srv, const http_request *req, http_response *resp)
{
    const char *prefix = http_param_get(req, "subjectPrefix");
    if (prefix && (strcmp(prefix, ":*:") == 0 || strcmp(prefix, ":.:") == 0)) prefix = NULL;
    int mode = http_param_bool(req, "deletedOnly") ? 2 : http_param_bool(req, "deleted") ? 1 : 0;
    store_strings names;
    sr_error err;
    if (store_subjects(srv->st, prefix && *prefix ? view_subject(prefix) : NULL, mode, &names,
                       &err) < 0) {
        http_respond_error(resp, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < names.n; i++) json_array_append_new(a, json_string(names.items[i]));
    store_strings_free(&names);
    view_paginate(a, http_param_int(req, "offset", 0), http_param_int(req, "limit", -1));
    http_respond_json(resp, 200, a);
}

static int subject_has_visible(const store_versions *vs, int include_deleted)
{
    for (size_t i = 0; i < vs->n; i++)
        if (include_deleted || !vs->items[i].deleted) return 1;
    return 0;
}

static void subject_not_found(http_response *resp, const char *subject)
{
    http_respond_errorf(resp, 404, SR_E_SUBJECT_NOT_FOUND, "Subject '%s' not found.", subject);
}

void h_versions_list(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_subject(req->seg[1]);
    int as_negative = http_param_bool(req, "deletedAsNegative");
    int deleted_only = !as_negative && http_param_bool(req, "deletedOnly");
    int deleted = as_negative || deleted_only || http_param_bool(req, "deleted");
    store_versions vs;
    sr_error err;
    if (store_subject_versions(srv->st, subject, &vs, &err) < 0) {
        http_respond_error(resp, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < vs.n; i++) {
        const store_version *v = &vs.items[i];
        if (deleted_only ? !v->deleted : (v->deleted && !deleted)) continue;
        json_array_append_new(a, json_integer(as_negative && v->deleted ? -v->version : v->version));
    }
    store_versions_free(&vs);
    if (json_array_size(a) == 0) {
        json_decref(a);
        subject_not_found(resp, subject);
        return;
    }
    view_paginate(a, http_param_int(req, "offset", 0), http_param_int(req, "limit", -1));
    http_respond_json(resp, 200, a);
}

/* Resolve /subjects/{s}/versions/{v} to a row. lookup_deleted: a soft-deleted
 * version may be returned. Returns 1 with *out, or 0 with resp filled. */
static int resolve_version(server *srv, const http_request *req, http_response *resp,
                           int lookup_deleted, store_version *out)
{
    const char *subject = view_subject(req->seg[1]);
    int version;
    sr_error err;
    if (view_parse_version(req->seg[3], &version, &err) < 0) {
        http_respond_error(resp, &err);
        return 0;
    }
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, &err) < 0) {
        http_respond_error(resp, &err);
        return 0;
    }
    int found = 0;
    if (subject_has_visible(&vs, lookup_deleted)) {
        for (size_t i = vs.n; i-- > 0 && !found;) {
            store_version *v = &vs.items[i];
            if (version == -1 ? !v->deleted : v->version == version) {
                if (v->deleted && !lookup_deleted) break;
                *out = *v;
                found = 1;
            }
        }
        if (!found)
            http_respond_errorf(resp, 404, SR_E_VERSION_NOT_FOUND, "Version %d not found.", version);
    } else {
        subject_not_found(resp, subject);
    }
    store_versions_free(&vs);
    return found;
}

/* The version row and its schema; 1, or 0 with resp filled. */
static int version_with_schema(server *srv, const http_request *req, http_response *resp,
                               store_version *v, store_schema *s)
{
    if (!resolve_version(srv, req, resp, http_param_bool(req, "deleted"), v)) return 0;
    sr_error err;
    int rc = store_schema_get_any(srv->st, v->id, s, &err);
    if (rc > 0 && registry_render(srv, s, http_param_get(req, "format"), &err) < 0) {
        store_schema_free(s);
        rc = -1;
    }
    if (rc < 0) http_respond_error(resp, &err);
    if (rc == 0) http_respond_errorf(resp, 404, SR_E_SCHEMA_NOT_FOUND, "Schema not found");
    return rc > 0;
}

void h_version_get(server *srv, const http_request *req, http_response *resp)
{
    store_version v;
    store_schema s;
    if (!version_with_schema(srv, req, resp, &v, &s)) return;
    http_respond_json(resp, 200, view_subject_version(view_subject(req->seg[1]), v.version, &s));
    store_schema_free(&s);
}

void h_version_get_raw(server *srv, const http_request *req, http_response *resp)
{
    store_version v;
    store_schema s;
    if (!version_with_schema(srv, req, resp, &v, &s)) return;
    http_respond_text(resp, 200, s.text);
    store_schema_free(&s);
}

void h_version_referenced_by(server *srv, const http_request *req, http_response *resp)
{
    store_version v;
    if (!resolve_version(srv, req, resp, 1, &v)) return;
    store_ids ids;
    sr_error err;
    if (store_referenced_by(srv->st, view_subject(req->seg[1]), v.version,
                            http_param_bool(req, "deleted"), &ids, &err) < 0) {
        http_respond_error(resp, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < ids.n; i++) json_array_append_new(a, json_integer(ids.items[i]));
    store_ids_free(&ids);
    view_paginate(a, http_param_int(req, "offset", 0), http_param_int(req, "limit", -1));
    http_respond_json(resp, 200, a);
}

/* --- register and look up --------------------------------------------------- */

void h_version_register(server *srv, const http_request *req, http_response *resp)
{
    json_t *body = http_body_object(req, resp);
    if (!body) return;
    schema_request sreq;
    sr_error err;
    long long id;
    int rc = registry_read_request(body, &sreq, &err);
    json_decref(body);
    if (rc == 0)
        rc = registry_register(srv, view_subject(req->seg[1]), &sreq,
                               http_param_bool(req, "normalize"), &id, &err);
    schema_request_free(&sreq);
    if (rc < 0) http_respond_error(resp, &err);
    else http_respond_json(resp, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

/* The lookup cache key: everything the answer depends on besides the store. */
static cache_key lookup_key(const char *subject, int normalize, int deleted,
                            const http_request *req)
{
    static const unsigned char sep = 0xff;
    unsigned char flags[2] = {(unsigned char)normalize, (unsigned char)deleted};
    sha256_ctx c;
    cache_key k;
    sha256_init(&c);
    sha256_update(&c, subject, strlen(subject));
    sha256_update(&c, &sep, 1);
    sha256_update(&c, flags, sizeof flags);
    sha256_update(&c, req->body, req->body_len);
    sha256_final(&c, k.b);
    return k;
}

static void lookup(server *srv, const http_request *req, http_response *resp);

/* POST /subjects/{s}. Serializers look the same schema up again and again, and
 * the answer only changes when something is written, so 200 answers are cached
 * for the store's current write generation. */
void h_subject_lookup(server *srv, const http_request *req, http_response *resp)
{
    unsigned long long gen = store_generation(srv->st); /* before reading anything */
    cache_key key = lookup_key(view_subject(req->seg[1]), http_param_bool(req, "normalize"),
                               http_param_bool(req, "deleted"), req);
    size_t len;
    char *cached = body_cache_get(srv->lookups, &key, gen, &len);
    if (cached) {
        resp->status = 200;
        resp->body = cached;
        resp->len = len;
        return;
    }
    lookup(srv, req, resp);
    if (resp->status == 200) body_cache_put(srv->lookups, &key, gen, resp->body, resp->len);
}

static void lookup(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_subject(req->seg[1]);
    int deleted = http_param_bool(req, "deleted");
    json_t *body = http_body_object(req, resp);
    if (!body) return;
    prepared_schema p;
    sr_error err;
    int rc = registry_prepare_body(srv, subject, body, http_param_bool(req, "normalize"), &p,
                                   &err);
    json_decref(body);
    if (rc < 0) {
        http_respond_error(resp, &err);
        return;
    }
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, &err) < 0) {
        http_respond_error(resp, &err);
        prepared_schema_free(&p);
        return;
    }
    int visible = subject_has_visible(&vs, deleted);
    store_versions_free(&vs);
    store_version v = {0};
    rc = visible ? registry_find_version(srv, subject, &p, deleted, &v, &err) : 0;
    if (rc < 0) http_respond_error(resp, &err);
    else if (!visible) subject_not_found(resp, subject);
    else if (rc == 0) http_respond_errorf(resp, 404, SR_E_SCHEMA_NOT_FOUND, "Schema not found");
    else {
        store_schema s;
        rc = store_schema_get_any(srv->st, v.id, &s, &err);
        if (rc < 0) http_respond_error(resp, &err);
        else if (rc == 0) http_respond_errorf(resp, 404, SR_E_SCHEMA_NOT_FOUND, "Schema not found");
        else {
            http_respond_json(resp, 200, view_subject_version(subject, v.version, &s));
            store_schema_free(&s);
        }
    }
    store_version_free(&v);
    prepared_schema_free(&p);
}

/* --- deletes ------------------------------------------------------------------- */

/* 42206 if a schema outside `subject` (any subject when subject is NULL)
 * references subject/version. include_deleted: soft-deleted referrers count. */
static int check_not_referenced(server *srv, const char *subject, int version,
                                int include_deleted, int ignore_same_subject, sr_error *err)
{
    store_ids ids;
    if (store_referenced_by(srv->st, subject, version, include_deleted, &ids, err) < 0) return -1;
    int blocked = 0;
    for (size_t i = 0; i < ids.n && !blocked; i++) {
        if (!ignore_same_subject) {
            blocked = 1;
            break;
        }
        store_versions users;
        if (store_id_versions(srv->st, ids.items[i], include_deleted, &users, err) < 0) {
            store_ids_free(&ids);
            return -1;
        }
        for (size_t j = 0; j < users.n; j++)
            if (strcmp(users.items[j].subject, subject) != 0) blocked = 1;
        store_versions_free(&users);
    }
    store_ids_free(&ids);
    if (blocked)
        return sr_fail(err, 422, SR_E_REFERENCE_EXISTS,
                       "One or more references exist to the schema {subject=%s,version=%d}.",
                       subject, version);
    return 0;
}

/* After a permanent delete: drop subject config and mode with the subject's
 * last row. (Cached bodies of ids go stale through the store's removal
 * generation, not here: forgetting them before COMMIT let a reader put the old
 * body back.) */
static int after_permanent_delete(server *srv, const char *subject, sr_error *err)
{
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;
    size_t left = vs.n;
    store_versions_free(&vs);
    if (left) return 0;
    if (store_config_delete(srv->st, subject, err) < 0) return -1;
    return store_mode_delete(srv->st, subject, err);
}

static int delete_version_locked(server *srv, const char *subject, int version, int permanent,
                                 int *deleted_out, sr_error *err)
{
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;
    int rc = -1;
    store_version *v = NULL;
    for (size_t i = vs.n; i-- > 0 && !v;)
        if (version == -1 ? !vs.items[i].deleted : vs.items[i].version == version) v = &vs.items[i];
    if (vs.n == 0) sr_fail(err, 404, SR_E_SUBJECT_NOT_FOUND, "Subject '%s' not found.", subject);
    else if (!v) sr_fail(err, 404, SR_E_VERSION_NOT_FOUND, "Version %d not found.", version);
    else if (!permanent && v->deleted)
        sr_fail(err, 404, SR_E_VERSION_SOFT_DELETED,
                "Subject '%s' Version %d was soft deleted. Set permanent=true to delete "
                "permanently", subject, v->version);
    else if (permanent && !v->deleted)
        sr_fail(err, 404, SR_E_VERSION_NOT_SOFT_DELETED,
                "Subject '%s' Version %d was not deleted first before being permanently "
                "deleted", subject, v->version);
    else if (registry_check_writable(srv, subject, err) < 0) {
    } else if (check_not_referenced(srv, subject, v->version, permanent, 0, err) < 0) {
    } else if (permanent) {
        rc = store_version_remove(srv->st, subject, v->version, err);
        if (rc == 0) rc = after_permanent_delete(srv, subject, err);
    } else {
        rc = store_version_set_deleted(srv->st, subject, v->version, err);
    }
    if (rc == 0) *deleted_out = v->version;
    store_versions_free(&vs);
    return rc;
}

void h_version_delete(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_subject(req->seg[1]);
    int version, deleted = 0;
    sr_error err;
    if (view_parse_version(req->seg[3], &version, &err) < 0) {
        http_respond_error(resp, &err);
        return;
    }
    int rc = store_write_begin(srv->st, &err);
    if (rc == 0) {
        rc = delete_version_locked(srv, subject, version, http_param_bool(req, "permanent"),
                                   &deleted, &err);
        if (rc == 0) rc = store_write_commit(srv->st, &err);
        else store_write_rollback(srv->st);
    }
    if (rc < 0) http_respond_error(resp, &err);
    else http_respond_json(resp, 200, json_integer(deleted));
}

int subjects_purge(server *srv, const char *subject, json_t *out, sr_error *err)
{
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < vs.n && rc == 0; i++)
        rc = check_not_referenced(srv, subject, vs.items[i].version, 1, 1, err);
    for (size_t i = 0; i < vs.n && rc == 0; i++) {
        rc = store_version_remove(srv->st, subject, vs.items[i].version, err);
        if (out) json_array_append_new(out, json_integer(vs.items[i].version));
    }
    if (rc == 0) rc = after_permanent_delete(srv, subject, err);
    store_versions_free(&vs);
    return rc;
}

static int delete_subject_locked(server *srv, const char *subject, int permanent, json_t *out,
                                 sr_error *err)
{
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;
    int live = 0, rc = 0;
    for (size_t i = 0; i < vs.n; i++) live += !vs.items[i].deleted;
    if (vs.n == 0)
        rc = sr_fail(err, 404, SR_E_SUBJECT_NOT_FOUND, "Subject '%s' not found.", subject);
    else if (!permanent && !live)
        rc = sr_fail(err, 404, SR_E_SUBJECT_SOFT_DELETED,
                     "Subject '%s' was soft deleted. Set permanent=true to delete permanently",
                     subject);
    else if (permanent && live)
        rc = sr_fail(err, 404, SR_E_SUBJECT_NOT_SOFT_DELETED,
                     "Subject '%s' was not deleted first before being permanently deleted",
                     subject);
    else rc = registry_check_writable(srv, subject, err);
    if (rc == 0 && permanent) {
        store_versions_free(&vs);
        return subjects_purge(srv, subject, out, err);
    }
    for (size_t i = 0; i < vs.n && rc == 0; i++)
        if (!vs.items[i].deleted)
            rc = check_not_referenced(srv, subject, vs.items[i].version, 0, 1, err);
    for (size_t i = 0; i < vs.n && rc == 0; i++) {
        if (vs.items[i].deleted) continue;
        rc = store_version_set_deleted(srv->st, subject, vs.items[i].version, err);
        json_array_append_new(out, json_integer(vs.items[i].version));
    }
    store_versions_free(&vs);
    return rc;
}

void h_subject_delete(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_subject(req->seg[1]);
    sr_error err;
    json_t *out = json_array();
    int rc = store_write_begin(srv->st, &err);
    if (rc == 0) {
        rc = delete_subject_locked(srv, subject, http_param_bool(req, "permanent"), out, &err);
        if (rc == 0) rc = store_write_commit(srv->st, &err);
        else store_write_rollback(srv->st);
    }
    if (rc < 0) {
        json_decref(out);
        http_respond_error(resp, &err);
    } else {
        http_respond_json(resp, 200, out);
    }
}
