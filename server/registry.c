#include "registry.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/strbuf.h"

#define MAX_REFERENCES 1000 /* transitive dependencies of one schema */
#define MAX_REF_DEPTH 64

/* --- reading the request body ---------------------------------------------- */

static int wrong_type(sr_error *err, const char *field, const char *expected)
{
    return sr_fail(err, 400, 400, "Cannot deserialize field \"%s\": expected %s", field,
                   expected);
}

static char *dump_compact(json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static int read_refs(json_t *refs, schema_request *out, sr_error *err)
{
    if (!refs || json_is_null(refs)) return 0;
    if (!json_is_array(refs)) return wrong_type(err, "references", "an array");
    size_t n = json_array_size(refs);
    if (n > MAX_REFERENCES)
        return sr_invalid_schema(err, "Invalid schema: more than %d references", MAX_REFERENCES);
    out->refs = xcalloc(n, sizeof *out->refs);
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(refs, i);
        if (!json_is_object(r)) return wrong_type(err, "references", "an array of objects");
        json_t *name = json_object_get(r, "name"), *subject = json_object_get(r, "subject"),
               *version = json_object_get(r, "version");
        if ((name && !json_is_string(name) && !json_is_null(name)) ||
            (subject && !json_is_string(subject) && !json_is_null(subject)))
            return wrong_type(err, "references", "string name and subject");
        if (version && !json_is_integer(version) && !json_is_null(version))
            return wrong_type(err, "references", "an integer version");
        if (!json_is_string(name) || !json_is_string(subject) || !json_is_integer(version))
            return sr_invalid_schema(err, "Invalid schema: reference %zu must have a name, "
                                          "a subject and a version", i);
        json_int_t v = json_integer_value(version);
        if (v != -1 && (v < 1 || v > 2147483647))
            return sr_invalid_schema(err, "Invalid schema: reference %s has an invalid version "
                                          "%lld", json_string_value(name), (long long)v);
        store_ref *ref = &out->refs[out->n_refs++];
        ref->name = xstrdup(json_string_value(name));
        ref->subject = xstrdup(json_string_value(subject));
        ref->version = (int)v;
    }
    return 0;
}

/* Shapes Jackson would refuse to map (api.md §4.12): 400 like any wrong type. */
static int is_string_array(json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v)) return 0;
    json_array_foreach(v, i, e) if (!json_is_string(e)) return 0;
    return 1;
}

static int is_string_map(json_t *v, int values_are_arrays)
{
    const char *k;
    json_t *e;
    if (!json_is_object(v)) return 0;
    json_object_foreach(v, k, e) {
        if (json_is_null(e)) continue;
        if (values_are_arrays ? !is_string_array(e) : !json_is_string(e)) return 0;
    }
    return 1;
}

static int optional(json_t *obj, const char *key, int (*ok)(json_t *))
{
    json_t *v = json_object_get(obj, key);
    return !v || json_is_null(v) || ok(v);
}

static int ok_string(json_t *v) { return json_is_string(v); }
static int ok_bool(json_t *v) { return json_is_boolean(v); }
static int ok_string_map(json_t *v) { return is_string_map(v, 0); }
static int ok_string_set_map(json_t *v) { return is_string_map(v, 1); }

static int ok_metadata(json_t *m)
{
    return json_is_object(m) && optional(m, "tags", ok_string_set_map) &&
           optional(m, "properties", ok_string_map) && optional(m, "sensitive", is_string_array);
}

static int ok_enum(json_t *v, const char *const *names)
{
    if (!json_is_string(v)) return 0;
    for (; *names; names++)
        if (strcmp(json_string_value(v), *names) == 0) return 1;
    return 0;
}

static int ok_kind(json_t *v)
{
    static const char *const kinds[] = {"TRANSFORM", "CONDITION", NULL};
    return ok_enum(v, kinds);
}

static int ok_mode(json_t *v)
{
    static const char *const modes[] = {"UPGRADE", "DOWNGRADE", "UPDOWN", "WRITE",
                                        "READ",    "WRITEREAD", NULL};
    return ok_enum(v, modes);
}

static int ok_rule(json_t *r)
{
    static const char *const strings[] = {"name", "doc", "type", "expr", "onSuccess", "onFailure"};
    if (!json_is_object(r)) return 0;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (!optional(r, strings[i], ok_string)) return 0;
    return optional(r, "kind", ok_kind) && optional(r, "mode", ok_mode) &&
           optional(r, "tags", is_string_array) && optional(r, "params", ok_string_map) &&
           optional(r, "disabled", ok_bool);
}

static int ok_rules(json_t *v)
{
    size_t i;
    json_t *r;
    if (!json_is_array(v)) return 0;
    json_array_foreach(v, i, r) if (!ok_rule(r)) return 0;
    return 1;
}

static int ok_ruleset(json_t *rs)
{
    return json_is_object(rs) && optional(rs, "migrationRules", ok_rules) &&
           optional(rs, "domainRules", ok_rules) && optional(rs, "encodingRules", ok_rules);
}

static int ok_int32(json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= -2147483648LL &&
           json_integer_value(v) <= 2147483647;
}

int registry_read_request(json_t *body, schema_request *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *schema = json_object_get(body, "schema");
    json_t *type = json_object_get(body, "schemaType");
    json_t *metadata = json_object_get(body, "metadata");
    json_t *ruleset = json_object_get(body, "ruleSet");
    json_t *id = json_object_get(body, "id");
    json_t *version = json_object_get(body, "version");

    if (schema && !json_is_string(schema) && !json_is_null(schema))
        return wrong_type(err, "schema", "a string");
    if (type && !json_is_string(type) && !json_is_null(type))
        return wrong_type(err, "schemaType", "a string");
    if (!optional(body, "metadata", ok_metadata))
        return wrong_type(err, "metadata", "a Metadata object");
    if (!optional(body, "ruleSet", ok_ruleset))
        return wrong_type(err, "ruleSet", "a RuleSet object");
    if (!optional(body, "id", ok_int32)) return wrong_type(err, "id", "a 32-bit integer");
    if (!optional(body, "version", ok_int32))
        return wrong_type(err, "version", "a 32-bit integer");
    if (read_refs(json_object_get(body, "references"), out, err) < 0) return -1;

    const char *type_name = json_is_string(type) ? json_string_value(type) : "AVRO";
    out->fmt = format_lookup(type_name);
    if (!out->fmt) return sr_invalid_schema(err, "Invalid schema type %s", type_name);
    if (json_is_string(schema)) out->schema = xstrdup(json_string_value(schema));
    if (json_is_object(metadata)) out->metadata = dump_compact(metadata);
    if (json_is_object(ruleset)) out->ruleset = dump_compact(ruleset);
    if (json_is_integer(id)) {
        out->has_id = 1;
        out->id = json_integer_value(id);
    }
    if (json_is_integer(version)) {
        out->has_version = 1;
        out->version = (int)json_integer_value(version);
    }
    return 0;
}

void schema_request_free(schema_request *r)
{
    free(r->schema);
    for (size_t i = 0; i < r->n_refs; i++) {
        free(r->refs[i].name);
        free(r->refs[i].subject);
    }
    free(r->refs);
    free(r->metadata);
    free(r->ruleset);
    memset(r, 0, sizeof *r);
}

/* --- references ------------------------------------------------------------- */

/* The dependencies of a schema, deps-first, as format.h wants them. */
typedef struct deps {
    sr_dep *items;
    char **owned; /* the strings items point at */
    long long *ids;
    size_t n, n_owned;
} deps;

static void deps_free(deps *d)
{
    for (size_t i = 0; i < d->n_owned; i++) free(d->owned[i]);
    free(d->owned);
    free(d->items);
    free(d->ids);
    memset(d, 0, sizeof *d);
}

static const char *deps_own(deps *d, char *s)
{
    d->owned = xrealloc(d->owned, (d->n_owned + 1) * sizeof *d->owned);
    d->owned[d->n_owned++] = s;
    return s;
}

/* The version row a reference names: a number, or -1 for the latest live one. */
static int find_ref_version(server *srv, const store_ref *ref, int allow_deleted,
                            store_version *out, sr_error *err)
{
    int rc = store_subject_version(srv->st, ref->subject, ref->version, out, err);
    if (rc < 0) return -1;
    int usable = rc > 0 && (allow_deleted || !out->deleted);
    store_version_free(out);
    if (!usable)
        return sr_invalid_schema(err, "Invalid schema: no schema reference found for subject "
                                      "\"%s\" and version %d", ref->subject, ref->version);
    return 0;
}

static int add_deps(server *srv, const store_ref *ref, int allow_deleted, int depth, deps *d,
                    sr_error *err)
{
    if (depth > MAX_REF_DEPTH)
        return sr_invalid_schema(err, "Invalid schema: references nested more than %d deep",
                                 MAX_REF_DEPTH);
    store_version v;
    if (find_ref_version(srv, ref, allow_deleted, &v, err) < 0) return -1;
    for (size_t i = 0; i < d->n; i++)
        if (d->ids[i] == v.id && strcmp(d->items[i].name, ref->name) == 0) return 0;
    store_schema s;
    int rc = store_schema_get_any(srv->st, v.id, &s, err);
    if (rc <= 0) return rc < 0 ? -1 : sr_invalid_schema(err, "Invalid schema: reference %s "
                                                             "not found", ref->name);
    for (size_t i = 0; i < s.n_refs && rc >= 0; i++)
        rc = add_deps(srv, &s.refs[i], allow_deleted, depth + 1, d, err);
    if (rc >= 0 && d->n >= MAX_REFERENCES)
        rc = sr_invalid_schema(err, "Invalid schema: more than %d references", MAX_REFERENCES);
    if (rc >= 0) {
        d->items = xrealloc(d->items, (d->n + 1) * sizeof *d->items);
        d->ids = xrealloc(d->ids, (d->n + 1) * sizeof *d->ids);
        d->items[d->n].name = deps_own(d, xstrdup(ref->name));
        d->items[d->n].text = deps_own(d, s.text);
        d->items[d->n].subject = deps_own(d, xstrdup(ref->subject));
        d->items[d->n].version = v.version;
        s.text = NULL;
        d->ids[d->n++] = v.id;
    }
    store_schema_free(&s);
    return rc < 0 ? -1 : 0;
}

/* --- preparing a schema ------------------------------------------------------- */

static int parse_into(const sr_format *fmt, const char *text, const deps *d, unsigned flags,
                      prepared_schema *out, sr_error *err)
{
    out->fmt = fmt;
    out->parsed = fmt->parse(text, strlen(text), d->items, d->n,
                             (flags & PREPARE_LENIENT) ? SR_PARSE_LENIENT : 0, err);
    return out->parsed ? 0 : -1;
}

int registry_prepare(server *srv, const schema_request *req, unsigned flags,
                     prepared_schema *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!req->schema || !*req->schema) return sr_invalid_schema(err, "Empty schema");
    deps d = {0};
    store_schema *c = &out->content;
    c->refs = xcalloc(req->n_refs ? req->n_refs : 1, sizeof *c->refs);
    int rc = 0;
    for (size_t i = 0; i < req->n_refs && rc == 0; i++) {
        store_version v;
        rc = find_ref_version(srv, &req->refs[i], 0, &v, err);
        if (rc < 0) break;
        store_ref *r = &c->refs[c->n_refs++];
        r->name = xstrdup(req->refs[i].name);
        r->subject = xstrdup(req->refs[i].subject);
        r->version = v.version; /* -1 ("latest") is stored as the concrete number */
        rc = add_deps(srv, r, 0, 1, &d, err);
    }
    if (rc == 0) rc = parse_into(req->fmt, req->schema, &d, flags, out, err);
    deps_free(&d);
    if (rc < 0) {
        prepared_schema_free(out);
        return -1;
    }
    c->type = xstrdup(req->fmt->type);
    c->metadata = req->metadata ? xstrdup(req->metadata) : NULL;
    c->ruleset = req->ruleset ? xstrdup(req->ruleset) : NULL;
    c->text = req->fmt->normalized(out->parsed);
    store_schema_hash(c, out->norm_hash);
    if (!(flags & PREPARE_NORMALIZE)) {
        free(c->text);
        c->text = req->fmt->canonical(out->parsed);
    }
    store_schema_hash(c, out->hash);
    return 0;
}

int registry_prepare_body(server *srv, const char *subject, json_t *body, int normalize,
                          prepared_schema *out, sr_error *err)
{
    schema_request req;
    memset(out, 0, sizeof *out);
    int rc = registry_read_request(body, &req, err);
    if (rc == 0 && !normalize) rc = registry_normalize(srv, subject, &normalize, err);
    if (rc == 0) rc = registry_prepare(srv, &req, normalize ? PREPARE_NORMALIZE : 0, out, err);
    schema_request_free(&req);
    return rc;
}

int registry_find_version(server *srv, const char *subject, const prepared_schema *p,
                          int include_deleted, store_version *out, sr_error *err)
{
    return store_find_equivalent(srv->st, subject, p->hash, p->norm_hash, include_deleted, out,
                                 err);
}

int registry_load(server *srv, const store_schema *s, prepared_schema *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    const sr_format *fmt = format_lookup(s->type);
    if (!fmt)
        return sr_fail(err, 500, 500, "Stored schema %lld has unsupported type %s", s->id,
                       s->type);
    deps d = {0};
    int rc = 0;
    for (size_t i = 0; i < s->n_refs && rc == 0; i++)
        rc = add_deps(srv, &s->refs[i], 1, 1, &d, err);
    if (rc == 0) rc = parse_into(fmt, s->text, &d, PREPARE_LENIENT, out, err);
    deps_free(&d);
    if (rc < 0) {
        /* A stored schema that no longer parses is our fault, not the client's. */
        if (err && err->code == SR_E_INVALID_SCHEMA) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            sr_fail(err, 500, 500, "Stored schema %lld cannot be loaded: %.900s", s->id, msg);
        }
        return -1;
    }
    return 0;
}

int registry_render(server *srv, store_schema *s, const char *format, sr_error *err)
{
    const sr_format *fmt = format_lookup(s->type);
    sr_render_fn render = fmt ? format_renderer(fmt, format) : NULL;
    if (!render) return 0;
    prepared_schema p;
    if (registry_load(srv, s, &p, err) < 0) return -1;
    free(s->text);
    s->text = render(p.parsed);
    prepared_schema_free(&p);
    return 0;
}

void prepared_schema_free(prepared_schema *p)
{
    if (p->parsed) p->fmt->free(p->parsed);
    store_schema_free(&p->content);
    memset(p, 0, sizeof *p);
}

/* --- config and mode ------------------------------------------------------------ */

/* A field of the stored config of `subject` (NULL = global); 1 found, 0 not. */
static int config_field(server *srv, const char *subject, const char *key, json_t **out,
                        sr_error *err)
{
    char *text;
    int rc = store_config_get(srv->st, subject, &text, err);
    if (rc <= 0) return rc;
    json_t *cfg = json_loads(text, 0, NULL);
    free(text);
    json_t *v = cfg ? json_object_get(cfg, key) : NULL;
    if (v) *out = json_incref(v);
    json_decref(cfg);
    return v != NULL;
}

int registry_level(server *srv, const char *subject, compat_level *out, sr_error *err)
{
    json_t *v = NULL;
    int rc = subject ? config_field(srv, subject, "compatibilityLevel", &v, err) : 0;
    if (rc == 0) rc = config_field(srv, NULL, "compatibilityLevel", &v, err);
    if (rc < 0) return -1;
    *out = srv->cfg.default_level;
    if (rc > 0 && json_is_string(v)) compat_level_parse(json_string_value(v), out);
    json_decref(v);
    return 0;
}

/* compatibilityPolicy of the subject, else global; STRICT when unset. */
static int registry_policy(server *srv, const char *subject, compat_policy *out, sr_error *err)
{
    json_t *v = NULL;
    int rc = subject ? config_field(srv, subject, "compatibilityPolicy", &v, err) : 0;
    if (rc == 0) rc = config_field(srv, NULL, "compatibilityPolicy", &v, err);
    if (rc < 0) return -1;
    *out = COMPAT_POLICY_STRICT;
    if (rc > 0 && json_is_string(v)) compat_policy_parse(json_string_value(v), out);
    json_decref(v);
    return 0;
}

int registry_normalize(server *srv, const char *subject, int *out, sr_error *err)
{
    json_t *v = NULL;
    int rc = subject ? config_field(srv, subject, "normalize", &v, err) : 0;
    if (rc == 0) rc = config_field(srv, NULL, "normalize", &v, err);
    if (rc < 0) return -1;
    *out = rc > 0 && json_is_true(v);
    json_decref(v);
    return 0;
}

int registry_mode(server *srv, const char *subject, char *mode, size_t len, sr_error *err)
{
    char *global = NULL, *own = NULL;
    if (store_mode_get(srv->st, NULL, &global, err) < 0) return -1;
    /* READONLY_OVERRIDE at the global scope wins over subject modes (api.md §6.7). */
    int rc = 0;
    if (subject && !(global && strcmp(global, "READONLY_OVERRIDE") == 0))
        rc = store_mode_get(srv->st, subject, &own, err);
    if (rc >= 0) snprintf(mode, len, "%s", own ? own : global ? global : "READWRITE");
    free(global);
    free(own);
    return rc < 0 ? -1 : 0;
}

static int is_readonly(const char *mode)
{
    return strcmp(mode, "READONLY") == 0 || strcmp(mode, "READONLY_OVERRIDE") == 0;
}

int registry_check_writable(server *srv, const char *subject, sr_error *err)
{
    char mode[32];
    if (registry_mode(srv, subject, mode, sizeof mode, err) < 0) return -1;
    if (is_readonly(mode)) {
        if (subject)
            return sr_fail(err, 422, SR_E_NOT_PERMITTED,
                           "Subject %s in context . is in read-only mode", subject);
        return sr_fail(err, 422, SR_E_NOT_PERMITTED, "The registry is in read-only mode");
    }
    return 0;
}

/* --- subjects ---------------------------------------------------------------- */

int registry_valid_subject(const char *subject, sr_error *err)
{
    const unsigned char *p = (const unsigned char *)subject;
    for (; *p; p++) {
        /* C0 controls, DEL, and C1 controls (U+0080..U+009F = C2 80..C2 9F in UTF-8) */
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            goto invalid;
    }
    if (strcmp(subject, "__GLOBAL") == 0 || strcmp(subject, "__EMPTY") == 0 ||
        strncmp(subject, ":.__GLOBAL:", 11) == 0)
        goto invalid;
    /* Responses carry subjects as JSON strings, which must be valid UTF-8. */
    json_t *utf8 = json_string(subject);
    if (!utf8) goto invalid;
    json_decref(utf8);
    return 0;
invalid:
    return sr_fail(err, 422, SR_E_INVALID_SUBJECT, "The specified subject '%s' is not a valid.",
                   subject);
}

/* --- compatibility ------------------------------------------------------------- */

/* A previous version loaded for a comparison. */
typedef struct loaded_version {
    prepared_schema p;
    int version;
    char *text; /* stored canonical text, quoted in messages */
} loaded_version;

/* Load the live versions the check compares against, ascending (only one when
 * only_version is set); count in *n. */
static int load_previous(server *srv, const store_versions *vs, int only_version,
                         loaded_version **out, size_t *n, sr_error *err)
{
    *out = xcalloc(vs->n ? vs->n : 1, sizeof **out);
    *n = 0;
    for (size_t i = 0; i < vs->n; i++) {
        const store_version *v = &vs->items[i];
        if (v->deleted || (only_version && v->version != only_version)) continue;
        store_schema s;
        int rc = store_schema_get_any(srv->st, v->id, &s, err);
        if (rc == 0) continue;
        if (rc > 0) rc = registry_load(srv, &s, &(*out)[*n].p, err);
        if (rc < 0) {
            store_schema_free(&s);
            return -1;
        }
        (*out)[*n].version = v->version;
        (*out)[*n].text = s.text;
        s.text = NULL;
        store_schema_free(&s);
        (*n)++;
    }
    return 0;
}

int registry_check(server *srv, const char *subject, const prepared_schema *p, int version,
                   compat_result *out, sr_error *err)
{
    memset(out, 0, sizeof *out);
    compat_level level;
    compat_policy policy;
    if (registry_level(srv, subject, &level, err) < 0 ||
        registry_policy(srv, subject, &policy, err) < 0)
        return -1;
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;

    int only = 0;
    if (version == -1) { /* latest live, if any */
        for (size_t i = vs.n; i-- > 0;)
            if (!vs.items[i].deleted) {
                only = vs.items[i].version;
                break;
            }
        if (!only) {
            store_versions_free(&vs);
            out->compatible = 1;
            return 0;
        }
    } else if (version > 0) {
        for (size_t i = 0; i < vs.n; i++)
            if (vs.items[i].version == version && !vs.items[i].deleted) only = version;
        if (!only) {
            store_versions_free(&vs);
            return sr_fail(err, 404, SR_E_VERSION_NOT_FOUND, "Version %d not found.", version);
        }
    }
    /* With one named version the level keeps its name (it is quoted in the
     * messages); with a single previous schema transitivity changes nothing. */

    loaded_version *prev = NULL;
    size_t n = 0;
    int rc = 0;
    if (level != COMPAT_NONE) rc = load_previous(srv, &vs, only, &prev, &n, err);
    store_versions_free(&vs);
    if (rc == 0) {
        compat_prev *cp = xcalloc(n ? n : 1, sizeof *cp);
        for (size_t i = 0; i < n; i++)
            cp[i] = (compat_prev){prev[i].p.fmt, prev[i].p.parsed, prev[i].version, prev[i].text};
        rc = compat_check_policy(level, policy, p->fmt, p->parsed, cp, n, out);
        free(cp);
        if (rc < 0) sr_fail(err, 500, 500, "Compatibility check failed");
    }
    for (size_t i = 0; i < n; i++) {
        prepared_schema_free(&prev[i].p);
        free(prev[i].text);
    }
    free(prev);
    return rc;
}

/* --- registration ----------------------------------------------------------------- */

static int latest_live(const store_versions *vs)
{
    for (size_t i = vs->n; i-- > 0;)
        if (!vs->items[i].deleted) return vs->items[i].version;
    return 0;
}

static int highest(const store_versions *vs)
{
    return vs->n ? vs->items[vs->n - 1].version : 0;
}

/* The 409 message of compat.md §1.6; it quotes old schemas, so it can be long. */
static int incompatible(const char *subject, const compat_result *r, sr_error *err)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "Schema being registered is incompatible with an earlier schema for "
                       "subject \"%s\", details: [", subject);
    for (size_t i = 0; i < r->n_messages; i++) {
        if (i) strbuf_puts(&sb, ", ");
        strbuf_puts(&sb, r->messages[i]);
    }
    strbuf_puts(&sb, "]");
    return sr_fail_owned(err, 409, SR_E_INCOMPATIBLE, strbuf_take(&sb));
}

/* Soft-deleted rows of `subject` that hold `id` and that nothing references are
 * dropped when the same content is registered again (api.md §6.2). */
static int purge_deleted_copies(server *srv, const char *subject, const store_versions *vs,
                                long long id, sr_error *err)
{
    for (size_t i = 0; i < vs->n; i++) {
        const store_version *v = &vs->items[i];
        if (!v->deleted || v->id != id) continue;
        store_ids refs;
        if (store_referenced_by(srv->st, subject, v->version, 1, &refs, err) < 0) return -1;
        size_t nrefs = refs.n;
        store_ids_free(&refs);
        if (nrefs == 0 && store_version_remove(srv->st, subject, v->version, err) < 0) return -1;
    }
    return 0;
}

/* Everything after the schema is prepared runs in one write transaction, so
 * concurrent registrations of the same content get one version and one id. */
static int register_locked(server *srv, const char *subject, const schema_request *req,
                           const prepared_schema *p, const char *mode, long long *id_out,
                           sr_error *err)
{
    int import = strcmp(mode, "IMPORT") == 0;
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;
    int rc = -1;
    long long existing = 0;
    int found = store_schema_find(srv->st, p->hash, &existing, err);
    if (found < 0) goto out;

    /* Idempotency: equivalent content already live under this subject (before
     * the mode check, so it works in READONLY too). */
    store_version same;
    int live = registry_find_version(srv, subject, p, 0, &same, err);
    if (live < 0) goto out;
    store_version_free(&same);
    if (live && (!req->has_id || req->id == same.id) &&
        !(req->has_version && req->version == -1 && same.version != latest_live(&vs))) {
        *id_out = same.id;
        rc = 0;
        goto out;
    }

    if (is_readonly(mode)) {
        sr_fail(err, 422, SR_E_NOT_PERMITTED, "Subject %s in context . is in read-only mode",
                subject);
        goto out;
    }
    if (!import && req->has_id && req->id >= 0) {
        sr_fail(err, 422, SR_E_NOT_PERMITTED, "Subject %s in context . is not in import mode",
                subject);
        goto out;
    }
    if (import && !req->has_id) {
        sr_fail(err, 422, SR_E_NOT_PERMITTED,
                "Subject %s in context . is not in read-write mode", subject);
        goto out;
    }

    if (highest(&vs) == INT32_MAX) {
        sr_fail(err, 422, SR_E_NOT_PERMITTED,
                "Subject %s has used every version number up to %d", subject, INT32_MAX);
        goto out;
    }
    int version = highest(&vs) + 1;
    long long id = found ? existing : 0;
    if (import) {
        if (req->id < 1) {
            sr_invalid_schema(err, "Invalid schema: id %lld is not a valid schema id", req->id);
            goto out;
        }
        store_schema other;
        int have = store_schema_get_any(srv->st, req->id, &other, err);
        if (have < 0) goto out;
        if (have) {
            unsigned char h[32];
            store_schema_hash(&other, h);
            store_schema_free(&other);
            if (memcmp(h, p->hash, 32) != 0) {
                sr_fail(err, 422, SR_E_NOT_PERMITTED,
                        "Overwrite new schema with id %lld in context . is not permitted.",
                        req->id);
                goto out;
            }
        }
        id = req->id;
        found = have; /* insert the content under the requested id unless it is there */
        if (req->has_version && req->version > 0) version = req->version;
        for (size_t i = 0; i < vs.n; i++) {
            if (vs.items[i].version != version) continue;
            if (vs.items[i].id == id) {
                *id_out = id;
                rc = 0;
            } else {
                sr_fail(err, 422, SR_E_NOT_PERMITTED,
                        "Version %d of subject %s already exists with another schema", version,
                        subject);
            }
            goto out;
        }
    } else {
        if (req->has_version && req->version != -1 && req->version != version) {
            sr_invalid_schema(err, "Version is not one more than previous version");
            goto out;
        }
        compat_result cr;
        if (registry_check(srv, subject, p, 0, &cr, err) < 0) goto out;
        int ok = cr.compatible;
        if (!ok) incompatible(subject, &cr, err);
        compat_result_free(&cr);
        if (!ok) goto out;
    }

    /* The references were resolved before the write lock was taken; one may
     * have been deleted since. */
    for (size_t i = 0; !import && i < p->content.n_refs; i++) {
        store_version v;
        if (find_ref_version(srv, &p->content.refs[i], 0, &v, err) < 0) goto out;
    }
    if (!id) {
        if (store_max_id(srv->st, &id, err) < 0) goto out;
        if (id >= INT32_MAX) { /* clients keep ids in 32-bit integers */
            sr_fail(err, 422, SR_E_NOT_PERMITTED, "Every schema id up to %d is in use",
                    INT32_MAX);
            goto out;
        }
        id++;
    }
    if (!found && store_schema_insert(srv->st, id, p->hash, p->norm_hash, &p->content, err) < 0)
        goto out;
    if (purge_deleted_copies(srv, subject, &vs, id, err) < 0) goto out;
    if (store_version_insert(srv->st, subject, version, id, err) < 0) goto out;
    *id_out = id;
    rc = 0;
out:
    store_versions_free(&vs);
    return rc;
}

/* A registration without a schema re-uses the latest version's schema (a
 * metadata or ruleSet update, api.md §6.11); what the request leaves out is
 * inherited. *out borrows strings from *previous, which the caller frees. */
static int reuse_latest(server *srv, const char *subject, const schema_request *req,
                        schema_request *out, store_schema *previous, sr_error *err)
{
    store_versions vs;
    if (store_subject_versions(srv->st, subject, &vs, err) < 0) return -1;
    int latest = latest_live(&vs);
    long long id = 0;
    for (size_t i = 0; i < vs.n; i++)
        if (vs.items[i].version == latest) id = vs.items[i].id;
    store_versions_free(&vs);
    int rc = latest ? store_schema_get_any(srv->st, id, previous, err) : 0;
    if (rc < 0) return -1;
    if (rc == 0) return sr_invalid_schema(err, "Empty schema");
    out->fmt = format_lookup(previous->type);
    if (!out->fmt) return sr_invalid_schema(err, "Empty schema");
    out->schema = previous->text;
    if (!req->n_refs) {
        out->refs = previous->refs;
        out->n_refs = previous->n_refs;
    }
    if (!req->metadata) out->metadata = previous->metadata;
    if (!req->ruleset) out->ruleset = previous->ruleset;
    return 0;
}

/* Parse and canonicalize the request as `mode` wants it (IMPORT skips
 * validation and normalization). */
static int prepare_for_mode(server *srv, const char *subject, const schema_request *req,
                            int normalize, const char *mode, prepared_schema *p, sr_error *err)
{
    int cfg_normalize = 0;
    if (!normalize && registry_normalize(srv, subject, &cfg_normalize, err) < 0) return -1;
    unsigned flags = strcmp(mode, "IMPORT") == 0
                         ? PREPARE_LENIENT
                         : ((normalize || cfg_normalize) ? PREPARE_NORMALIZE : 0);
    store_schema previous = {0};
    schema_request effective = *req;
    int rc = 0;
    if (!req->schema || !*req->schema)
        rc = reuse_latest(srv, subject, req, &effective, &previous, err);
    if (rc == 0) rc = registry_prepare(srv, &effective, flags, p, err);
    store_schema_free(&previous);
    return rc;
}

int registry_register(server *srv, const char *subject, const schema_request *req, int normalize,
                      long long *id_out, sr_error *err)
{
    if (registry_valid_subject(subject, err) < 0) return -1;
    char mode[32], now[32];
    if (registry_mode(srv, subject, mode, sizeof mode, err) < 0) return -1;
    /* The schema is parsed before the write lock is taken; if the mode moved
     * into or out of IMPORT meanwhile, parse it again the way the mode wants. */
    for (int attempt = 0;; attempt++) {
        prepared_schema p;
        if (prepare_for_mode(srv, subject, req, normalize, mode, &p, err) < 0) return -1;
        int rc = store_write_begin(srv->st, err);
        if (rc == 0) {
            rc = registry_mode(srv, subject, now, sizeof now, err);
            int moved = rc == 0 && (strcmp(now, "IMPORT") == 0) != (strcmp(mode, "IMPORT") == 0);
            if (moved && attempt == 0) {
                store_write_rollback(srv->st);
                prepared_schema_free(&p);
                snprintf(mode, sizeof mode, "%s", now);
                continue;
            }
            if (rc == 0) rc = register_locked(srv, subject, req, &p, now, id_out, err);
            if (rc == 0) rc = store_write_commit(srv->st, err);
            else store_write_rollback(srv->st);
        }
        prepared_schema_free(&p);
        return rc;
    }
}
