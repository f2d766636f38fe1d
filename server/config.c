/* /config and /config/{subject} (api.md §3.22–§3.27). Stored as the JSON of the
 * Config entity (§4.4); PUT merges fields into it. */
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "server.h"
#include "views.h"

/* Stored config of a scope as an object (new ref), or NULL with *found = 0. */
static json_t *load(server *srv, const char *subject, int *found, sr_error *err)
{
    char *text;
    int rc = store_config_get(srv->st, subject, &text, err);
    *found = rc > 0;
    if (rc < 0) return NULL;
    json_t *o = rc > 0 ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return o ? o : json_object();
}

/* The Config entity: compatibilityLevel is always present. */
static json_t *with_level(server *srv, json_t *cfg)
{
    if (!json_object_get(cfg, "compatibilityLevel"))
        json_object_set_new(cfg, "compatibilityLevel",
                            json_string(compat_level_name(srv->cfg.default_level)));
    return cfg;
}

void h_config_get(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_scope(req);
    sr_error err;
    int found;
    json_t *cfg = load(srv, subject, &found, &err);
    if (!cfg) {
        http_respond_error(resp, &err);
        return;
    }
    if (subject && http_param_bool(req, "defaultToGlobal")) {
        int gfound;
        json_t *global = load(srv, NULL, &gfound, &err);
        if (!global) {
            json_decref(cfg);
            http_respond_error(resp, &err);
            return;
        }
        json_object_update_missing(cfg, global);
        json_decref(global);
    } else if (subject && !found) {
        json_decref(cfg);
        http_respond_errorf(resp, 404, SR_E_SUBJECT_CONFIG_NOT_FOUND,
                            "Subject '%s' does not have subject-level compatibility configured",
                            subject);
        return;
    }
    http_respond_json(resp, 200, with_level(srv, cfg));
}

/* Validate a ConfigUpdateRequest and merge it into cfg. */
static int merge_update(json_t *cfg, json_t *body, sr_error *err)
{
    static const char *const bools[] = {"normalize", "validateFields", "validateRules",
                                        "validateNewSchemas"};
    static const char *const strings[] = {"alias", "aliasForDeks", "compatibilityGroup",
                                          "compatibilityPolicy"};
    static const char *const objects[] = {"defaultMetadata", "overrideMetadata",
                                          "defaultRuleSet", "overrideRuleSet"};
    json_t *level = json_object_get(body, "compatibility");
    if (level && !json_is_null(level)) {
        compat_level l;
        if (!json_is_string(level))
            return sr_fail(err, 400, 400, "Cannot deserialize field \"compatibility\": "
                                          "expected a string");
        if (compat_level_parse(json_string_value(level), &l) < 0)
            return sr_fail(err, 422, SR_E_INVALID_COMPAT_LEVEL,
                           "Invalid compatibility level. Valid values are none, backward, "
                           "forward, full, backward_transitive, forward_transitive, and "
                           "full_transitive");
        json_object_set_new(cfg, "compatibilityLevel", json_string(compat_level_name(l)));
    }
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(body, bools[i]);
        if (!v || json_is_null(v)) continue;
        if (!json_is_boolean(v))
            return sr_fail(err, 400, 400, "Cannot deserialize field \"%s\": expected a boolean",
                           bools[i]);
        json_object_set(cfg, bools[i], v);
    }
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(body, strings[i]);
        if (!v || json_is_null(v)) continue;
        if (!json_is_string(v))
            return sr_fail(err, 400, 400, "Cannot deserialize field \"%s\": expected a string",
                           strings[i]);
        json_object_set(cfg, strings[i], v);
    }
    json_t *policy = json_object_get(cfg, "compatibilityPolicy");
    if (policy) {
        const char *p = json_string_value(policy);
        if (strcmp(p, "STRICT") && strcmp(p, "LENIENT") && strcmp(p, "LOGICAL"))
            return sr_fail(err, 422, SR_E_INVALID_COMPAT_LEVEL,
                           "Invalid compatibility policy. Valid values are STRICT, LENIENT "
                           "and LOGICAL");
    }
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(body, objects[i]);
        if (!v || json_is_null(v)) continue;
        if (!json_is_object(v))
            return sr_fail(err, 400, 400, "Cannot deserialize field \"%s\": expected an object",
                           objects[i]);
        json_object_set(cfg, objects[i], v);
    }
    return 0;
}

/* The ConfigUpdateRequest shape of a stored config: the level key is "compatibility". */
static json_t *update_shape(json_t *cfg)
{
    json_t *o = json_object();
    json_t *level = json_object_get(cfg, "compatibilityLevel");
    if (level) json_object_set(o, "compatibility", level);
    const char *key;
    json_t *v;
    json_object_foreach(cfg, key, v)
        if (strcmp(key, "compatibilityLevel") != 0) json_object_set(o, key, v);
    return o;
}

void h_config_put(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_scope(req);
    sr_error err;
    json_t *body = http_body_object(req, resp);
    if (!body) return;
    int found, rc = 0;
    json_t *cfg = NULL;
    if (subject && strncmp(subject, ":.__GLOBAL:", 11) != 0)
        rc = registry_valid_subject(subject, &err);
    if (rc == 0) rc = store_write_begin(srv->st, &err);
    if (rc == 0) {
        rc = registry_check_writable(srv, subject, &err);
        if (rc == 0) rc = (cfg = load(srv, subject, &found, &err)) ? 0 : -1;
        if (rc == 0) rc = merge_update(cfg, body, &err);
        if (rc == 0) {
            char *text = json_dumps(cfg, JSON_COMPACT);
            rc = store_config_set(srv->st, subject, text, &err);
            free(text);
        }
        if (rc == 0) rc = store_write_commit(srv->st, &err);
        else store_write_rollback(srv->st);
    }
    json_decref(body);
    if (rc < 0) http_respond_error(resp, &err);
    else http_respond_json(resp, 200, update_shape(cfg));
    json_decref(cfg);
}

void h_config_delete(server *srv, const http_request *req, http_response *resp)
{
    const char *subject = view_scope(req);
    sr_error err;
    int found = 0, rc = store_write_begin(srv->st, &err);
    json_t *cfg = NULL;
    if (rc == 0) {
        rc = registry_check_writable(srv, subject, &err);
        if (rc == 0) rc = (cfg = load(srv, subject, &found, &err)) ? 0 : -1;
        if (rc == 0 && subject && !found)
            rc = sr_fail(&err, 404, SR_E_SUBJECT_NOT_FOUND, "Subject '%s' not found.", subject);
        if (rc == 0 && found) rc = store_config_delete(srv->st, subject, &err);
        if (rc == 0) rc = store_write_commit(srv->st, &err);
        else store_write_rollback(srv->st);
    }
    if (rc < 0) {
        json_decref(cfg);
        http_respond_error(resp, &err);
    } else {
        http_respond_json(resp, 200, with_level(srv, cfg));
    }
}
