/* /mode and /mode/{subject} (api.md §3.28–§3.30, §6.7) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry.h"
#include "server.h"
#include "views.h"

static const char *const MODES[] = {"READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"};

void h_mode_get(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_scope(req);
    sr_error err;
    char mode[32];
    char *own = NULL;
    int rc = subject ? store_mode_get(srv->st, subject, &own, &err) : 0;
    if (rc < 0) {
        http_respond_error(resp, &err);
        return;
    }
    if (subject && rc == 0 && !http_param_bool(req, "defaultToGlobal")) {
        http_respond_errorf(resp, 404, SR_E_SUBJECT_MODE_NOT_FOUND,
                            "Subject '%s' does not have subject-level mode configured", subject);
        return;
    }
    if (own) /* the subject's own mode, even where a global override is in force */
        http_respond_json(resp, 200, json_pack("{s:s}", "mode", own));
    else if (registry_mode(srv, subject, mode, sizeof mode, &err) < 0)
        http_respond_error(resp, &err);
    else http_respond_json(resp, 200, json_pack("{s:s}", "mode", mode));
    free(own);
}

/* Entering IMPORT needs a scope with no live versions unless forced; the
 * soft-deleted versions there are purged first (api.md §3.29). */
static int prepare_import(server *srv, const char *subject, sr_error *err)
{
    store_strings names;
    if (subject) {
        names.items = (char **)&subject;
        names.n = 1;
    } else if (store_subjects(srv->st, NULL, 1, &names, err) < 0) {
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        store_versions vs;
        int live = 0;
        if (store_subject_versions(srv->st, names.items[i], &vs, err) < 0) {
            rc = -1;
            break;
        }
        for (size_t j = 0; j < vs.n; j++) live |= !vs.items[j].deleted;
        store_versions_free(&vs);
        if (live)
            rc = sr_fail(err, 422, SR_E_NOT_PERMITTED,
                         "Cannot import since found existing subjects");
    }
    for (size_t i = 0; i < names.n && rc == 0; i++)
        rc = subjects_purge(srv, names.items[i], NULL, err);
    if (!subject) store_strings_free(&names);
    return rc;
}

void h_mode_put(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_scope(req);
    sr_error err;
    json_t *body = http_body_object(req, resp);
    if (!body) return;
    json_t *m = json_object_get(body, "mode");
    const char *mode = NULL;
    int rc = 0;
    if (m && !json_is_string(m) && !json_is_null(m))
        rc = sr_fail(&err, 400, 400, "Cannot deserialize field \"mode\": expected a string");
    for (size_t i = 0; rc == 0 && json_is_string(m) && i < 4; i++)
        if (strcasecmp(json_string_value(m), MODES[i]) == 0) mode = MODES[i];
    if (rc == 0 && !mode)
        rc = sr_fail(&err, 422, SR_E_INVALID_MODE,
                     "Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.");
    if (rc == 0 && subject && strncmp(subject, ":.__GLOBAL:", 11) != 0)
        rc = registry_valid_subject(subject, &err);
    if (rc == 0 && !srv->cfg.mode_mutability)
        rc = sr_fail(&err, 422, SR_E_NOT_PERMITTED, "Mode changes are not allowed");
    if (rc == 0) rc = store_write_begin(srv->st, &err);
    if (rc == 0) {
        if (strcmp(mode, "IMPORT") == 0 && !http_param_bool(req, "force"))
            rc = prepare_import(srv, subject, &err);
        if (rc == 0) rc = store_mode_set(srv->st, subject, mode, &err);
        if (rc == 0) rc = store_write_commit(srv->st, &err);
        else store_write_rollback(srv->st);
    }
    if (rc < 0) {
        json_decref(body);
        http_respond_error(resp, &err);
    } else {
        http_respond_json(resp, 200, body); /* echoed as sent */
    }
}

void h_mode_delete(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_scope(req);
    sr_error err;
    char mode[32];
    char *own = NULL;
    int rc = srv->cfg.mode_mutability
                 ? store_write_begin(srv->st, &err)
                 : sr_fail(&err, 422, SR_E_NOT_PERMITTED, "Mode changes are not allowed");
    if (rc == 0) {
        rc = store_mode_get(srv->st, subject, &own, &err);
        if (rc == 0 && subject)
            rc = sr_fail(&err, 404, SR_E_SUBJECT_NOT_FOUND, "Subject '%s' not found.", subject);
        else if (rc >= 0) {
            snprintf(mode, sizeof mode, "%s", rc > 0 ? own : "READWRITE");
            rc = store_mode_delete(srv->st, subject, &err);
        }
        if (rc == 0) rc = store_write_commit(srv->st, &err);
        else store_write_rollback(srv->st);
    }
    free(own);
    if (rc < 0) http_respond_error(resp, &err);
    else http_respond_json(resp, 200, json_pack("{s:s}", "mode", mode));
}
