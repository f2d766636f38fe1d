/*
 * copy, export, import: move a whole registry with its ids (issue 5 §3).
 *
 * Every source is read into a snapshot: the global config and mode, every
 * schema by id, and every subject with its config, mode and versions (live and
 * soft-deleted). A source is a registry URL (read over REST), a registry's
 * SQLite database (read with the store API, read-only) or an export file (the
 * snapshot as JSON, documented in schemareg(1)). A target is a registry URL,
 * written through IMPORT mode, or an export file.
 *
 * Writing a registry keeps ids and version numbers: the target must be empty;
 * it is put in IMPORT mode (force), each version is registered with its id and
 * version in reference order (a schema after everything it references, across
 * subjects), soft-deleted versions are deleted once nothing still to be
 * registered needs them, then configs and modes are set, the global mode last.
 * Finally the target is read back the same way and compared with the source.
 */
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/strbuf.h"
#include "../store/store.h"
#include "cli.h"

#define EXPORT_FORMAT "schemareg-export"
#define EXPORT_VERSION 1

/* --- progress and messages ------------------------------------------------- */

typedef struct progress {
    int tty;           /* stderr is a terminal: redraw a status line */
    int drawn;         /* a status line is on screen */
    const char *phase; /* "reading versions", ... */
    size_t done, total;
    double start, last;
} progress;

/* The state of one copy / export / import run. */
typedef struct copy_ctx {
    const char *cmd; /* "copy", "export" or "import" */
    progress pg;
    json_t *errors; /* messages of the steps that failed */
} copy_ctx;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_clear(progress *p)
{
    if (p->drawn) fputs("\r\033[K", stderr);
    p->drawn = 0;
}

static void progress_draw(copy_ctx *x)
{
    progress *p = &x->pg;
    double t = now_seconds(), elapsed = t - p->start;
    p->last = t;
    fprintf(stderr, "\r\033[Kschemareg %s: %s %zu/%zu", x->cmd, p->phase, p->done, p->total);
    if (p->done) fprintf(stderr, " (%.0f/s)", (double)p->done / (elapsed > 1e-3 ? elapsed : 1e-3));
    fflush(stderr);
    p->drawn = 1;
}

static void progress_begin(copy_ctx *x, const char *phase, size_t total)
{
    x->pg.phase = phase;
    x->pg.done = 0;
    x->pg.total = total;
    x->pg.start = now_seconds();
    if (x->pg.tty) progress_draw(x);
}

static void progress_step(copy_ctx *x)
{
    progress *p = &x->pg;
    p->done++;
    if (p->tty && (p->done == p->total || now_seconds() - p->last >= 0.1)) progress_draw(x);
}

/* A message on stderr, below any status line. */
static void say(copy_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(copy_ctx *x, const char *fmt, ...)
{
    progress_clear(&x->pg);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "schemareg %s: ", x->cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* A failed step: said now, and counted. */
static void step_failed(copy_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step_failed(copy_ctx *x, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say(x, "%s", msg);
    json_array_append_new(x->errors, json_string(msg));
}

/* --- REST ------------------------------------------------------------------ */

/* One exchange: 0 with *r whatever the status, or CLI_UNAVAILABLE (said). */
static int call(copy_ctx *x, rest_client *rest, const char *method, const char *path,
                json_t *body, rest_response *r)
{
    char err[1024];
    if (rest_call(rest, method, path, body, r, err, sizeof err) < 0) {
        say(x, "%s", err);
        return CLI_UNAVAILABLE;
    }
    return 0;
}

static const char *server_error(const rest_response *r, char *buf, size_t len)
{
    return rest_error_text(r, buf, len);
}

/* prefix + escaped subject + suffix, malloc'd. */
static char *subject_path(const char *prefix, const char *subject, const char *suffix)
{
    char *esc = rest_escape(subject);
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s%s%s", prefix, esc, suffix ? suffix : "");
    free(esc);
    return strbuf_take(&sb);
}

static int is_url(const char *spec)
{
    return strncmp(spec, "http://", 7) == 0 || strncmp(spec, "https://", 8) == 0;
}

/* --- snapshot ---------------------------------------------------------------- */

/*
 * config: the global Config object (GET /config), or NULL when unknown (a
 *         database where it was never set).
 * mode:   the global mode, or NULL likewise.
 * by_id:  "id" -> {"id", "schemaType", "schema", "references", "metadata"?, "ruleSet"?}
 * subjects: [{"subject", "config"?, "mode"?, "versions": [{"version","id","deleted"}]}],
 *         by name, versions ascending.
 */
typedef struct snapshot {
    json_t *config;
    char *mode;
    json_t *by_id;
    json_t *subjects;
} snapshot;

static void snap_init(snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->by_id = json_object();
    s->subjects = json_array();
}

static void snap_free(snapshot *s)
{
    json_decref(s->config);
    free(s->mode);
    json_decref(s->by_id);
    json_decref(s->subjects);
    memset(s, 0, sizeof *s);
}

static void id_key(long long id, char out[32])
{
    snprintf(out, 32, "%lld", id);
}

static json_t *snap_schema(const snapshot *s, long long id)
{
    char k[32];
    id_key(id, k);
    return json_object_get(s->by_id, k);
}

static long long jint(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* References as [{"name","subject","version"}] in that key order; NULL if malformed. */
static json_t *normal_refs(json_t *refs)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    if (refs && !json_is_array(refs) && !json_is_null(refs)) goto bad;
    json_array_foreach(refs, i, r) {
        json_t *name = json_object_get(r, "name"), *subject = json_object_get(r, "subject");
        json_t *version = json_object_get(r, "version");
        if (!json_is_string(name) || !json_is_string(subject) || !json_is_integer(version))
            goto bad;
        json_array_append_new(out, json_pack("{s:O, s:O, s:O}", "name", name, "subject", subject,
                                             "version", version));
    }
    return out;
bad:
    json_decref(out);
    return NULL;
}

/* A schema entry from parts; refs/metadata/ruleset are copied. NULL if refs are malformed. */
static json_t *schema_entry(long long id, const char *type, const char *text, json_t *refs,
                            json_t *metadata, json_t *ruleset)
{
    json_t *nrefs = normal_refs(refs);
    if (!nrefs) return NULL;
    json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "schemaType",
                          type ? type : "AVRO", "schema", text, "references", nrefs);
    if (!o) return NULL;
    if (metadata && !json_is_null(metadata))
        json_object_set_new(o, "metadata", json_deep_copy(metadata));
    if (ruleset && !json_is_null(ruleset))
        json_object_set_new(o, "ruleSet", json_deep_copy(ruleset));
    return o;
}

static int cmp_subject_objs(const void *a, const void *b)
{
    return strcmp(jstr(*(json_t *const *)a, "subject"), jstr(*(json_t *const *)b, "subject"));
}

static int cmp_version_objs(const void *a, const void *b)
{
    long long x = jint(*(json_t *const *)a, "version"), y = jint(*(json_t *const *)b, "version");
    return (x > y) - (x < y);
}

/* Sort a JSON array in place with cmp over its elements. */
static void sort_array(json_t *a, int (*cmp)(const void *, const void *))
{
    size_t n = json_array_size(a);
    if (n < 2) return;
    json_t **items = xmalloc(n * sizeof *items);
    for (size_t i = 0; i < n; i++) items[i] = json_incref(json_array_get(a, i));
    qsort(items, n, sizeof *items, cmp);
    json_array_clear(a);
    for (size_t i = 0; i < n; i++) json_array_append_new(a, items[i]);
    free(items);
}

static void snap_sort(snapshot *s)
{
    sort_array(s->subjects, cmp_subject_objs);
    size_t i;
    json_t *sub;
    json_array_foreach(s->subjects, i, sub) sort_array(json_object_get(sub, "versions"),
                                                       cmp_version_objs);
}

typedef struct counts {
    size_t subjects, versions, deleted, schemas, configs, modes;
} counts;

static counts snap_counts(const snapshot *s)
{
    counts c = {0};
    c.subjects = json_array_size(s->subjects);
    c.schemas = json_object_size(s->by_id);
    c.configs = s->config != NULL;
    c.modes = s->mode != NULL;
    size_t i, j;
    json_t *sub, *v;
    json_array_foreach(s->subjects, i, sub) {
        c.configs += json_object_get(sub, "config") != NULL;
        c.modes += json_object_get(sub, "mode") != NULL;
        json_array_foreach(json_object_get(sub, "versions"), j, v) {
            c.versions++;
            c.deleted += json_is_true(json_object_get(v, "deleted"));
        }
    }
    return c;
}

/* --- reading a registry over REST ------------------------------------------- */

/* GET a subject-level setting: the object, or NULL when the subject has none. */
static int get_optional(copy_ctx *x, rest_client *rest, const char *prefix, const char *subject,
                        json_t **out)
{
    *out = NULL;
    char *path = subject_path(prefix, subject, NULL);
    rest_response r;
    int rc = call(x, rest, "GET", path, NULL, &r);
    free(path);
    if (rc) return rc;
    if (r.status == 200 && json_is_object(r.json)) *out = json_incref(r.json);
    else if (r.status != 404) {
        char buf[1024];
        say(x, "cannot read %s%s at %s: %s", prefix, subject, rest_base_url(rest),
            server_error(&r, buf, sizeof buf));
        rc = CLI_FAIL;
    }
    rest_response_free(&r);
    return rc;
}

/* GET a JSON answer that must be 200; CLI_FAIL (said) otherwise. */
static int get_required(copy_ctx *x, rest_client *rest, const char *path, rest_response *r)
{
    int rc = call(x, rest, "GET", path, NULL, r);
    if (rc) return rc;
    if (r->status != 200 || !r->json) {
        char buf[1024];
        say(x, "GET %s%s: %s", rest_base_url(rest), path, server_error(r, buf, sizeof buf));
        rest_response_free(r);
        return CLI_FAIL;
    }
    return 0;
}

/* The schema of one version (GET with deleted=true) into by_id; the version's id. */
static int read_url_version(copy_ctx *x, rest_client *rest, snapshot *s, const char *subject,
                            int version, long long *id)
{
    char suffix[64];
    snprintf(suffix, sizeof suffix, "/versions/%d?deleted=true", version);
    char *path = subject_path("/subjects/", subject, suffix);
    rest_response r;
    int rc = get_required(x, rest, path, &r);
    free(path);
    if (rc) return rc;
    json_t *o = r.json, *jid = json_object_get(o, "id");
    if (!json_is_integer(jid) || !json_is_string(json_object_get(o, "schema"))) {
        say(x, "subject \"%s\" version %d at %s: the answer has no id or schema", subject,
            version, rest_base_url(rest));
        rest_response_free(&r);
        return CLI_FAIL;
    }
    *id = (long long)json_integer_value(jid);
    if (!snap_schema(s, *id)) {
        json_t *e = schema_entry(*id, jstr(o, "schemaType"), jstr(o, "schema"),
                                 json_object_get(o, "references"), json_object_get(o, "metadata"),
                                 json_object_get(o, "ruleSet"));
        if (!e) {
            say(x, "subject \"%s\" version %d at %s: malformed references", subject, version,
                rest_base_url(rest));
            rc = CLI_FAIL;
        } else {
            char k[32];
            id_key(*id, k);
            json_object_set_new(s->by_id, k, e);
        }
    }
    rest_response_free(&r);
    return rc;
}

/* Everything a registry answers: subjects (deleted ones too), every version
 * with its schema, config and mode globally and per subject. */
static int read_url(copy_ctx *x, rest_client *rest, const char *label, snapshot *s)
{
    char phase[64];
    rest_response r;
    int rc = get_required(x, rest, "/subjects?deleted=true", &r);
    if (rc) return rc;
    json_t *names = json_incref(r.json);
    rest_response_free(&r);
    if (!json_is_array(names)) {
        say(x, "GET %s/subjects: not a list", rest_base_url(rest));
        json_decref(names);
        return CLI_FAIL;
    }
    snprintf(phase, sizeof phase, "%s subjects", label);
    progress_begin(x, phase, json_array_size(names));
    size_t n_versions = 0, i, j;
    json_t *name, *v;
    json_array_foreach(names, i, name) {
        if (!json_is_string(name)) continue;
        const char *subject = json_string_value(name);
        char *path = subject_path("/subjects/", subject, "/versions?deletedAsNegative=true");
        rc = call(x, rest, "GET", path, NULL, &r);
        free(path);
        if (rc) break;
        if (r.status == 404) { /* gone meanwhile */
            rest_response_free(&r);
            progress_step(x);
            continue;
        }
        if (r.status != 200 || !json_is_array(r.json)) {
            char buf[1024];
            say(x, "cannot list the versions of \"%s\" at %s: %s", subject, rest_base_url(rest),
                server_error(&r, buf, sizeof buf));
            rest_response_free(&r);
            rc = CLI_FAIL;
            break;
        }
        json_t *versions = json_array();
        json_array_foreach(r.json, j, v) {
            /* deletedAsNegative: -n is version n, soft-deleted; anything else
             * than a version number is a broken answer */
            long long n = json_is_integer(v) ? json_integer_value(v) : 0;
            if (n == 0 || n < -INT_MAX || n > INT_MAX) {
                say(x, "the registry at %s listed an impossible version of \"%s\"",
                    rest_base_url(rest), subject);
                rc = CLI_FAIL;
                break;
            }
            json_array_append_new(versions, json_pack("{s:I, s:I, s:b}", "version",
                                                      (json_int_t)(n < 0 ? -n : n), "id",
                                                      (json_int_t)0, "deleted", n < 0));
        }
        rest_response_free(&r);
        if (rc) {
            json_decref(versions);
            break;
        }
        n_versions += json_array_size(versions);
        json_t *sub = json_pack("{s:s}", "subject", subject);
        json_t *cfg = NULL, *mode = NULL;
        rc = get_optional(x, rest, "/config/", subject, &cfg);
        if (rc == 0) rc = get_optional(x, rest, "/mode/", subject, &mode);
        if (cfg) json_object_set_new(sub, "config", cfg);
        if (mode && json_is_string(json_object_get(mode, "mode")))
            json_object_set(sub, "mode", json_object_get(mode, "mode"));
        json_decref(mode);
        json_object_set_new(sub, "versions", versions);
        json_array_append_new(s->subjects, sub);
        progress_step(x);
        if (rc) break;
    }
    json_decref(names);
    if (rc) return rc;

    rc = get_required(x, rest, "/config", &r);
    if (rc) return rc;
    s->config = json_incref(r.json);
    rest_response_free(&r);
    rc = get_required(x, rest, "/mode", &r);
    if (rc) return rc;
    const char *mode = jstr(r.json, "mode");
    s->mode = mode ? xstrdup(mode) : NULL;
    rest_response_free(&r);

    snprintf(phase, sizeof phase, "%s versions", label);
    progress_begin(x, phase, n_versions);
    json_t *sub;
    json_array_foreach(s->subjects, i, sub) {
        json_array_foreach(json_object_get(sub, "versions"), j, v) {
            long long id = 0;
            rc = read_url_version(x, rest, s, jstr(sub, "subject"), (int)jint(v, "version"),
                                  &id);
            if (rc) return rc;
            json_object_set_new(v, "id", json_integer(id));
            progress_step(x);
        }
    }
    progress_clear(&x->pg);
    snap_sort(s);
    return 0;
}

/* --- reading a registry database ------------------------------------------ */

/* JSON text stored by the server (config, metadata, ruleSet) as a value. */
static json_t *parse_stored(const char *text)
{
    return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

static int store_failed(copy_ctx *x, const char *path, sr_error *err)
{
    say(x, "%s: %s", path, sr_error_text(err));
    sr_error_clear(err);
    return CLI_INPUT;
}

static int read_store_schema(copy_ctx *x, store *st, const char *path, snapshot *s, long long id)
{
    if (snap_schema(s, id)) return 0;
    store_schema sc;
    sr_error err = {0};
    int rc = store_schema_get_any(st, id, &sc, &err);
    if (rc < 0) return store_failed(x, path, &err);
    if (rc == 0) {
        say(x, "%s: schema id %lld is used by a version but not stored", path, id);
        return CLI_INPUT;
    }
    json_t *refs = json_array();
    for (size_t i = 0; i < sc.n_refs; i++)
        json_array_append_new(refs, json_pack("{s:s, s:s, s:i}", "name", sc.refs[i].name,
                                              "subject", sc.refs[i].subject, "version",
                                              sc.refs[i].version));
    json_t *md = parse_stored(sc.metadata), *rs = parse_stored(sc.ruleset);
    json_t *e = schema_entry(id, sc.type, sc.text, refs, md, rs);
    json_decref(refs);
    json_decref(md);
    json_decref(rs);
    store_schema_free(&sc);
    if (!e) {
        say(x, "%s: schema id %lld cannot be read", path, id);
        return CLI_INPUT;
    }
    char k[32];
    id_key(id, k);
    json_object_set_new(s->by_id, k, e);
    return 0;
}

/* A scope's stored config (object) and mode (string) into obj, when set. */
static int read_store_settings(copy_ctx *x, store *st, const char *path, const char *subject,
                               json_t **config, char **mode)
{
    sr_error err = {0};
    char *text = NULL;
    *config = NULL;
    *mode = NULL;
    int rc = store_config_get(st, subject, &text, &err);
    if (rc < 0) return store_failed(x, path, &err);
    json_t *cfg = rc > 0 ? parse_stored(text) : NULL;
    free(text);
    char *m = NULL;
    rc = store_mode_get(st, subject, &m, &err);
    if (rc < 0) {
        json_decref(cfg);
        return store_failed(x, path, &err);
    }
    if (json_is_object(cfg)) *config = cfg;
    else json_decref(cfg);
    *mode = rc > 0 ? m : NULL;
    if (rc == 0) free(m);
    return 0;
}

static int read_store(copy_ctx *x, const char *path, snapshot *s)
{
    sr_error err = {0};
    store *st = store_open_readonly(path, &err);
    if (!st) return store_failed(x, path, &err);
    store_versions all;
    int rc = 0;
    if (store_all_versions(st, NULL, &all, &err) < 0) {
        rc = store_failed(x, path, &err);
        store_close(st);
        return rc;
    }
    progress_begin(x, "reading versions", all.n);
    json_t *sub = NULL;
    for (size_t i = 0; i < all.n && rc == 0; i++) {
        const store_version *v = &all.items[i];
        if (!sub || strcmp(jstr(sub, "subject"), v->subject) != 0) {
            sub = json_pack("{s:s}", "subject", v->subject);
            json_t *cfg;
            char *mode;
            rc = read_store_settings(x, st, path, v->subject, &cfg, &mode);
            if (cfg) json_object_set_new(sub, "config", cfg);
            if (mode) json_object_set_new(sub, "mode", json_string(mode));
            free(mode);
            json_object_set_new(sub, "versions", json_array());
            json_array_append_new(s->subjects, sub);
        }
        if (rc == 0) rc = read_store_schema(x, st, path, s, v->id);
        json_array_append_new(json_object_get(sub, "versions"),
                              json_pack("{s:i, s:I, s:b}", "version", v->version, "id",
                                        (json_int_t)v->id, "deleted", v->deleted));
        progress_step(x);
    }
    store_versions_free(&all);
    if (rc == 0) rc = read_store_settings(x, st, path, NULL, &s->config, &s->mode);
    store_close(st);
    progress_clear(&x->pg);
    snap_sort(s);
    return rc;
}

/* --- export files --------------------------------------------------------- */

static int cmp_ids(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The export document (a new reference). */
static json_t *snap_to_doc(const snapshot *s)
{
    size_t n = json_object_size(s->by_id), k = 0;
    long long *ids = xmalloc((n ? n : 1) * sizeof *ids);
    const char *key;
    json_t *e;
    json_object_foreach(s->by_id, key, e) ids[k++] = jint(e, "id");
    qsort(ids, n, sizeof *ids, cmp_ids);
    json_t *schemas = json_array();
    for (size_t i = 0; i < n; i++) json_array_append(schemas, snap_schema(s, ids[i]));
    free(ids);
    json_t *doc = json_pack("{s:s, s:i}", "format", EXPORT_FORMAT, "version", EXPORT_VERSION);
    json_object_set_new(doc, "config", s->config ? json_incref(s->config) : json_null());
    json_object_set_new(doc, "mode", s->mode ? json_string(s->mode) : json_null());
    json_object_set_new(doc, "schemas", schemas);
    json_object_set(doc, "subjects", s->subjects);
    return doc;
}

static int write_export(copy_ctx *x, const snapshot *s, const char *path)
{
    json_t *doc = snap_to_doc(s);
    int rc = 0;
    if (!path) {
        if (json_dumpf(doc, stdout, JSON_INDENT(2)) < 0 || fputc('\n', stdout) == EOF ||
            fflush(stdout) != 0) {
            say(x, "cannot write to standard output");
            rc = CLI_FAIL;
        }
        json_decref(doc);
        return rc;
    }
    strbuf tmp = STRBUF_INIT;
    strbuf_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp.data, "w");
    int ok = f && json_dumpf(doc, f, JSON_INDENT(2)) == 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp.data, path) != 0) ok = 0;
    if (!ok) {
        say(x, "cannot write %s", path);
        remove(tmp.data);
        rc = CLI_INPUT;
    }
    strbuf_free(&tmp);
    json_decref(doc);
    return rc;
}

/* Validation of an export document: the first problem, or 0. */
static int bad(copy_ctx *x, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(copy_ctx *x, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say(x, "%s: not a valid export file: %s", path, msg);
    return CLI_INPUT;
}

static int opt_object(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !v || json_is_null(v) || json_is_object(v);
}

static int read_schemas(copy_ctx *x, const char *path, json_t *schemas, snapshot *s)
{
    if (!json_is_array(schemas)) return bad(x, path, "\"schemas\" is not an array");
    size_t i;
    json_t *o;
    json_array_foreach(schemas, i, o) {
        json_t *id = json_object_get(o, "id"), *type = json_object_get(o, "schemaType");
        if (!json_is_object(o) || !json_is_integer(id) || json_integer_value(id) < 1)
            return bad(x, path, "schemas[%zu] has no positive integer \"id\"", i);
        if (!json_is_string(json_object_get(o, "schema")))
            return bad(x, path, "schemas[%zu] has no string \"schema\"", i);
        if (type && !json_is_null(type) && !json_is_string(type))
            return bad(x, path, "schemas[%zu].schemaType is not a string", i);
        if (!opt_object(o, "metadata") || !opt_object(o, "ruleSet"))
            return bad(x, path, "schemas[%zu]: metadata and ruleSet must be objects", i);
        long long n = (long long)json_integer_value(id);
        if (snap_schema(s, n)) return bad(x, path, "schema id %lld appears twice", n);
        json_t *e = schema_entry(n, json_string_value(type), jstr(o, "schema"),
                                 json_object_get(o, "references"), json_object_get(o, "metadata"),
                                 json_object_get(o, "ruleSet"));
        if (!e) return bad(x, path, "schemas[%zu].references are malformed", i);
        char k[32];
        id_key(n, k);
        json_object_set_new(s->by_id, k, e);
    }
    return 0;
}

static int read_subjects(copy_ctx *x, const char *path, json_t *subjects, snapshot *s)
{
    if (!json_is_array(subjects)) return bad(x, path, "\"subjects\" is not an array");
    size_t i, j;
    json_t *o, *v;
    json_t *seen = json_object();
    int rc = 0;
    json_array_foreach(subjects, i, o) {
        const char *name = jstr(o, "subject");
        json_t *versions = json_object_get(o, "versions"), *mode = json_object_get(o, "mode");
        if (!name) rc = bad(x, path, "subjects[%zu] has no string \"subject\"", i);
        else if (json_object_get(seen, name))
            rc = bad(x, path, "subject \"%s\" appears twice", name);
        else if (!opt_object(o, "config"))
            rc = bad(x, path, "subject \"%s\": config is not an object", name);
        else if (mode && !json_is_null(mode) && !json_is_string(mode))
            rc = bad(x, path, "subject \"%s\": mode is not a string", name);
        else if (!json_is_array(versions))
            rc = bad(x, path, "subject \"%s\" has no \"versions\" array", name);
        if (rc) break;
        json_object_set_new(seen, name, json_true());
        json_t *sub = json_pack("{s:s}", "subject", name);
        json_t *cfg = json_object_get(o, "config");
        if (json_is_object(cfg)) json_object_set(sub, "config", cfg);
        if (json_is_string(mode)) json_object_set(sub, "mode", mode);
        json_t *vs = json_array();
        json_object_set_new(sub, "versions", vs);
        json_array_append_new(s->subjects, sub);
        json_t *vseen = json_object();
        json_array_foreach(versions, j, v) {
            json_t *ver = json_object_get(v, "version"), *id = json_object_get(v, "id");
            json_t *del = json_object_get(v, "deleted");
            char vk[32];
            if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
                json_integer_value(ver) > 2147483647)
                rc = bad(x, path, "subject \"%s\" versions[%zu]: no valid \"version\"", name, j);
            else if (!json_is_integer(id) || !snap_schema(s, json_integer_value(id)))
                rc = bad(x, path, "subject \"%s\" version %lld: id is not in \"schemas\"", name,
                         (long long)json_integer_value(ver));
            else if (del && !json_is_boolean(del))
                rc = bad(x, path, "subject \"%s\" version %lld: \"deleted\" is not a boolean",
                         name, (long long)json_integer_value(ver));
            else if (id_key(json_integer_value(ver), vk), json_object_get(vseen, vk))
                rc = bad(x, path, "subject \"%s\" version %lld appears twice", name,
                         (long long)json_integer_value(ver));
            if (rc) break;
            json_object_set_new(vseen, vk, json_true());
            json_array_append_new(vs, json_pack("{s:O, s:O, s:b}", "version", ver, "id", id,
                                                "deleted", json_is_true(del)));
        }
        json_decref(vseen);
        if (rc) break;
    }
    json_decref(seen);
    return rc;
}

static int read_export(copy_ctx *x, const char *path, snapshot *s)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc) {
        say(x, "%s:%d:%d: not a registry database or an export file: %s", path, jerr.line,
            jerr.column, jerr.text);
        return CLI_INPUT;
    }
    int rc = 0;
    json_t *version = json_object_get(doc, "version"), *mode = json_object_get(doc, "mode");
    if (!json_is_object(doc) || !jstr(doc, "format") || strcmp(jstr(doc, "format"), EXPORT_FORMAT))
        rc = bad(x, path, "\"format\" is not \"%s\"", EXPORT_FORMAT);
    else if (!json_is_integer(version) || json_integer_value(version) < 1)
        rc = bad(x, path, "\"version\" is not a positive integer");
    else if (json_integer_value(version) > EXPORT_VERSION) {
        say(x, "%s: export format version %lld is newer than this schemareg (%d)", path,
            (long long)json_integer_value(version), EXPORT_VERSION);
        rc = CLI_INPUT;
    } else if (!opt_object(doc, "config"))
        rc = bad(x, path, "\"config\" is not an object");
    else if (mode && !json_is_null(mode) && !json_is_string(mode))
        rc = bad(x, path, "\"mode\" is not a string");
    if (rc == 0) rc = read_schemas(x, path, json_object_get(doc, "schemas"), s);
    if (rc == 0) rc = read_subjects(x, path, json_object_get(doc, "subjects"), s);
    if (rc == 0) {
        json_t *cfg = json_object_get(doc, "config");
        s->config = json_is_object(cfg) ? json_incref(cfg) : NULL;
        s->mode = json_is_string(mode) ? xstrdup(json_string_value(mode)) : NULL;
        snap_sort(s);
    }
    json_decref(doc);
    return rc;
}

/* --- endpoints -------------------------------------------------------------- */

typedef enum { EP_URL, EP_DATABASE, EP_EXPORT, EP_STDOUT } ep_kind;

typedef struct endpoint {
    ep_kind kind;
    const char *spec; /* URL or path; NULL for stdout */
    rest_client *rest;
} endpoint;

static const char SQLITE_MAGIC[16] = "SQLite format 3";

/* 1 if path is an SQLite database, 0 if not, -1 if it cannot be read. */
static int is_database(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, SQLITE_MAGIC, sizeof head) == 0;
}

static int open_source(copy_ctx *x, const char *spec, const char *user, endpoint *ep)
{
    memset(ep, 0, sizeof *ep);
    ep->spec = spec;
    if (is_url(spec)) {
        ep->kind = EP_URL;
        ep->rest = rest_new(spec, user);
        return 0;
    }
    int db = is_database(spec);
    if (db < 0) {
        say(x, "cannot read %s: no such file, and not an http(s):// URL", spec);
        return CLI_INPUT;
    }
    ep->kind = db ? EP_DATABASE : EP_EXPORT;
    return 0;
}

static int open_target(copy_ctx *x, const char *spec, const char *user, endpoint *ep)
{
    memset(ep, 0, sizeof *ep);
    ep->spec = spec;
    if (!spec) {
        ep->kind = EP_STDOUT;
        return 0;
    }
    if (is_url(spec)) {
        ep->kind = EP_URL;
        ep->rest = rest_new(spec, user);
        return 0;
    }
    if (is_database(spec) == 1) {
        say(x, "%s is a registry database: schemareg writes registries only through their REST "
               "API (start schemareg-server --db %s and copy to its URL)", spec, spec);
        return CLI_USAGE;
    }
    ep->kind = EP_EXPORT;
    return 0;
}

static int read_endpoint(copy_ctx *x, endpoint *ep, const char *label, snapshot *s)
{
    snap_init(s);
    switch (ep->kind) {
    case EP_URL: return read_url(x, ep->rest, label, s);
    case EP_DATABASE: return read_store(x, ep->spec, s);
    case EP_EXPORT: return read_export(x, ep->spec, s);
    case EP_STDOUT: break;
    }
    return 0;
}

/* --- writing a registry ---------------------------------------------------- */

/* One version to register (and maybe delete). */
typedef struct item {
    const char *subject;
    int version;
    long long id;
    int deleted;
    json_t *schema; /* borrowed from the snapshot */
} item;

typedef struct edge {
    size_t from, to;
    int hard; /* the target depends on the source's success (else only order) */
} edge;

typedef struct plan {
    item *items; /* by subject, version */
    size_t n;
    size_t *order;     /* items by (id, subject, version): node 2k / 2k+1 = REG / DEL of order[k] */
    size_t *out_start; /* CSR of edges by source node, n_nodes + 1 entries */
    size_t *out_to;
    unsigned char *out_hard;
    size_t n_nodes;
} plan;

static int cmp_items(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->subject, y->subject);
    return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* qsort has no context argument: order indices through a small wrapper array. */
typedef struct rank_entry {
    const item *it;
    size_t index;
} rank_entry;

static int cmp_rank(const void *a, const void *b)
{
    const item *x = ((const rank_entry *)a)->it, *y = ((const rank_entry *)b)->it;
    if (x->id != y->id) return (x->id > y->id) - (x->id < y->id);
    return cmp_items(x, y);
}

static long find_item(const plan *p, const char *subject, long long version)
{
    item key = {.subject = subject, .version = (int)version};
    const item *hit = bsearch(&key, p->items, p->n, sizeof *p->items, cmp_items);
    return hit ? (long)(hit - p->items) : -1;
}

static void add_edge(edge **e, size_t *n, size_t *cap, size_t from, size_t to, int hard)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *e = xrealloc(*e, *cap * sizeof **e);
    }
    (*e)[(*n)++] = (edge){from, to, hard};
}

static void plan_free(plan *p)
{
    free(p->items);
    free(p->order);
    free(p->out_start);
    free(p->out_to);
    free(p->out_hard);
    memset(p, 0, sizeof *p);
}

/*
 * Nodes: REG and DEL of each version. Edges (A before B):
 *   REG(referenced) -> REG(referrer)       the reference must resolve (hard)
 *   REG(v) -> DEL(v)                       (hard)
 *   REG(referrer) -> DEL(referenced)       a deleted version cannot be referenced by a new one
 *   DEL(referrer) -> DEL(referenced)       a live referrer blocks the soft delete
 *   DEL(v) -> REG(w), same subject and id, w newer: registering w while v is
 *                                          live would only return v's id
 */
static void plan_build(const snapshot *s, plan *p)
{
    memset(p, 0, sizeof *p);
    size_t i, j;
    json_t *sub, *v;
    json_array_foreach(s->subjects, i, sub)
        p->n += json_array_size(json_object_get(sub, "versions"));
    p->items = xcalloc(p->n ? p->n : 1, sizeof *p->items);
    size_t k = 0;
    json_array_foreach(s->subjects, i, sub) {
        json_array_foreach(json_object_get(sub, "versions"), j, v) {
            item *it = &p->items[k++];
            it->subject = jstr(sub, "subject");
            it->version = (int)jint(v, "version");
            it->id = jint(v, "id");
            it->deleted = json_is_true(json_object_get(v, "deleted"));
            it->schema = snap_schema(s, it->id);
        }
    }
    qsort(p->items, p->n, sizeof *p->items, cmp_items);

    rank_entry *ranks = xcalloc(p->n ? p->n : 1, sizeof *ranks);
    for (i = 0; i < p->n; i++) ranks[i] = (rank_entry){&p->items[i], i};
    qsort(ranks, p->n, sizeof *ranks, cmp_rank);
    p->order = xcalloc(p->n ? p->n : 1, sizeof *p->order);
    size_t *rank_of = xcalloc(p->n ? p->n : 1, sizeof *rank_of);
    for (i = 0; i < p->n; i++) {
        p->order[i] = ranks[i].index;
        rank_of[ranks[i].index] = i;
    }
    free(ranks);
#define REG(x) (2 * rank_of[x])
#define DEL(x) (2 * rank_of[x] + 1)
    p->n_nodes = 2 * p->n;
    edge *e = NULL;
    size_t ne = 0, cap = 0;
    for (i = 0; i < p->n; i++) {
        const item *it = &p->items[i];
        if (it->deleted) add_edge(&e, &ne, &cap, REG(i), DEL(i), 1);
        json_t *r;
        json_array_foreach(json_object_get(it->schema, "references"), j, r) {
            long t = find_item(p, jstr(r, "subject"), jint(r, "version"));
            if (t < 0 || (size_t)t == i) continue;
            add_edge(&e, &ne, &cap, REG((size_t)t), REG(i), 1);
            if (p->items[t].deleted) {
                add_edge(&e, &ne, &cap, REG(i), DEL((size_t)t), 0);
                if (it->deleted) add_edge(&e, &ne, &cap, DEL(i), DEL((size_t)t), 0);
            }
        }
        if (!it->deleted) continue;
        for (size_t w = i + 1; w < p->n && strcmp(p->items[w].subject, it->subject) == 0; w++)
            if (p->items[w].id == it->id) add_edge(&e, &ne, &cap, DEL(i), REG(w), 0);
    }
#undef REG
#undef DEL
    free(rank_of);
    p->out_start = xcalloc(p->n_nodes + 1, sizeof *p->out_start);
    p->out_to = xcalloc(ne ? ne : 1, sizeof *p->out_to);
    p->out_hard = xcalloc(ne ? ne : 1, 1);
    for (i = 0; i < ne; i++) p->out_start[e[i].from + 1]++;
    for (i = 0; i < p->n_nodes; i++) p->out_start[i + 1] += p->out_start[i];
    size_t *fill = xcalloc(p->n_nodes + 1, sizeof *fill);
    for (i = 0; i < ne; i++) {
        size_t at = p->out_start[e[i].from] + fill[e[i].from]++;
        p->out_to[at] = e[i].to;
        p->out_hard[at] = (unsigned char)e[i].hard;
    }
    free(fill);
    free(e);
}

static int node_exists(const plan *p, size_t node)
{
    return node % 2 == 0 || p->items[p->order[node / 2]].deleted;
}

/* Min-heap of node numbers: the smallest ready node goes first, so without
 * constraints versions are written in id order, as they were registered. */
typedef struct heap {
    size_t *a, n;
} heap;

static void heap_push(heap *h, size_t v)
{
    size_t i = h->n++;
    h->a[i] = v;
    while (i > 0 && h->a[(i - 1) / 2] > h->a[i]) {
        size_t parent = (i - 1) / 2, t = h->a[parent];
        h->a[parent] = h->a[i];
        h->a[i] = t;
        i = parent;
    }
}

static size_t heap_pop(heap *h)
{
    size_t top = h->a[0];
    h->a[0] = h->a[--h->n];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && h->a[l] < h->a[m]) m = l;
        if (r < h->n && h->a[r] < h->a[m]) m = r;
        if (m == i) break;
        size_t t = h->a[m];
        h->a[m] = h->a[i];
        h->a[i] = t;
        i = m;
    }
    return top;
}

/* Nodes in a topological order (Kahn); a cycle, which a consistent registry
 * cannot hold, is broken at its smallest node. Returns the count. */
static size_t plan_sequence(const plan *p, size_t *seq)
{
    size_t *indeg = xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof *indeg);
    unsigned char *done = xcalloc(p->n_nodes ? p->n_nodes : 1, 1);
    for (size_t i = 0; i < p->out_start[p->n_nodes]; i++) indeg[p->out_to[i]]++;
    heap h = {xcalloc(p->n_nodes ? p->n_nodes : 1, sizeof *h.a), 0};
    size_t total = 0, n = 0, scan = 0;
    for (size_t i = 0; i < p->n_nodes; i++) {
        if (!node_exists(p, i)) continue;
        total++;
        if (indeg[i] == 0) heap_push(&h, i);
    }
    while (n < total) {
        if (h.n == 0) { /* a cycle: take the smallest node not yet done */
            while (scan < p->n_nodes && (done[scan] || !node_exists(p, scan))) scan++;
            heap_push(&h, scan);
            indeg[scan] = 0;
        }
        size_t v = heap_pop(&h);
        if (done[v]) continue;
        done[v] = 1;
        seq[n++] = v;
        for (size_t k = p->out_start[v]; k < p->out_start[v + 1]; k++) {
            size_t t = p->out_to[k];
            if (indeg[t] > 0 && --indeg[t] == 0 && !done[t]) heap_push(&h, t);
        }
    }
    free(h.a);
    free(indeg);
    free(done);
    return n;
}

/* The RegisterSchemaRequest that imports one version. */
static json_t *import_request(const item *it)
{
    json_t *s = it->schema;
    json_t *req = json_pack("{s:O, s:O}", "schema", json_object_get(s, "schema"), "schemaType",
                            json_object_get(s, "schemaType"));
    json_t *refs = json_object_get(s, "references");
    if (json_array_size(refs)) json_object_set(req, "references", refs);
    json_t *metadata = json_object_get(s, "metadata"), *ruleset = json_object_get(s, "ruleSet");
    if (metadata) json_object_set(req, "metadata", metadata);
    if (ruleset) json_object_set(req, "ruleSet", ruleset);
    json_object_set_new(req, "id", json_integer(it->id));
    json_object_set_new(req, "version", json_integer(it->version));
    return req;
}

/* Run one REG or DEL node; 0 done, CLI_FAIL failed (said), CLI_UNAVAILABLE. */
static int run_node(copy_ctx *x, rest_client *rest, const item *it, int del)
{
    char suffix[64], buf[2048];
    rest_response r;
    int rc;
    if (del) {
        snprintf(suffix, sizeof suffix, "/versions/%d", it->version);
        char *path = subject_path("/subjects/", it->subject, suffix);
        rc = call(x, rest, "DELETE", path, NULL, &r);
        free(path);
        if (rc) return rc;
        if (r.status != 200) {
            step_failed(x, "subject \"%s\" version %d: soft delete failed: %s", it->subject,
                        it->version, server_error(&r, buf, sizeof buf));
            rc = CLI_FAIL;
        }
        rest_response_free(&r);
        return rc;
    }
    json_t *req = import_request(it);
    char *path = subject_path("/subjects/", it->subject, "/versions");
    rc = call(x, rest, "POST", path, req, &r);
    free(path);
    json_decref(req);
    if (rc) return rc;
    long long got = jint(r.json, "id");
    if (r.status != 200) {
        step_failed(x, "subject \"%s\" version %d (id %lld): %s", it->subject, it->version,
                    it->id, server_error(&r, buf, sizeof buf));
        rc = CLI_FAIL;
    } else if (got != it->id) {
        step_failed(x, "subject \"%s\" version %d: registered with id %lld instead of %lld",
                    it->subject, it->version, got, it->id);
        rc = CLI_FAIL;
    }
    rest_response_free(&r);
    return rc;
}

/* PUT a setting; failures are counted, not fatal. */
static int put_setting(copy_ctx *x, rest_client *rest, const char *path, json_t *body,
                       const char *what)
{
    rest_response r;
    int rc = call(x, rest, "PUT", path, body, &r);
    if (rc) return rc;
    if (r.status != 200) {
        char buf[2048];
        step_failed(x, "%s: %s", what, server_error(&r, buf, sizeof buf));
    }
    rest_response_free(&r);
    return 0;
}

/* A Config (GET shape) as a ConfigUpdateRequest: the level key is "compatibility". */
static json_t *config_update(json_t *cfg)
{
    json_t *o = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(cfg, key, v)
        json_object_set(o, strcmp(key, "compatibilityLevel") == 0 ? "compatibility" : key, v);
    return o;
}

static int put_mode(copy_ctx *x, rest_client *rest, const char *subject, const char *mode)
{
    char *path = subject ? subject_path("/mode/", subject, "?force=true")
                         : xstrdup("/mode?force=true");
    json_t *body = json_pack("{s:s}", "mode", mode);
    char what[512];
    if (subject) snprintf(what, sizeof what, "subject \"%s\": setting mode %s", subject, mode);
    else snprintf(what, sizeof what, "setting the global mode %s", mode);
    int rc = put_setting(x, rest, path, body, what);
    json_decref(body);
    free(path);
    return rc;
}

static int put_config(copy_ctx *x, rest_client *rest, const char *subject, json_t *cfg)
{
    char *path = subject ? subject_path("/config/", subject, NULL) : xstrdup("/config");
    json_t *body = config_update(cfg);
    char what[512];
    if (subject) snprintf(what, sizeof what, "subject \"%s\": setting its config", subject);
    else snprintf(what, sizeof what, "setting the global config");
    int rc = put_setting(x, rest, path, body, what);
    json_decref(body);
    free(path);
    return rc;
}

/* The target must hold no subject, not even a soft-deleted one. */
static int check_empty(copy_ctx *x, rest_client *rest)
{
    rest_response r;
    int rc = get_required(x, rest, "/subjects?deleted=true", &r);
    if (rc) return rc;
    size_t n = json_array_size(r.json);
    if (n) {
        strbuf names = STRBUF_INIT;
        for (size_t i = 0; i < n && i < 5; i++)
            strbuf_printf(&names, "%s\"%s\"", i ? ", " : "",
                          json_string_value(json_array_get(r.json, i)));
        if (n > 5) strbuf_puts(&names, ", ...");
        say(x, "the target registry %s is not empty (%zu subject%s: %s): ids and versions can "
               "only be kept in an empty registry; nothing was changed",
            rest_base_url(rest), n, n == 1 ? "" : "s", names.data);
        strbuf_free(&names);
        rc = CLI_FAIL;
    }
    rest_response_free(&r);
    return rc;
}

static int write_url(copy_ctx *x, rest_client *rest, const snapshot *s)
{
    rest_response r;
    int rc = get_required(x, rest, "/mode", &r);
    if (rc) return rc;
    char *original = xstrdup(jstr(r.json, "mode") ? jstr(r.json, "mode") : "READWRITE");
    rest_response_free(&r);

    /* The whole target in IMPORT mode; it was checked to be empty. */
    json_t *body = json_pack("{s:s}", "mode", "IMPORT");
    rc = call(x, rest, "PUT", "/mode?force=true", body, &r);
    json_decref(body);
    if (rc == 0 && r.status != 200) {
        char buf[2048];
        say(x, "cannot put the target %s in IMPORT mode: %s", rest_base_url(rest),
            server_error(&r, buf, sizeof buf));
        rc = CLI_FAIL;
    }
    if (rc == 0) rest_response_free(&r);
    if (rc) {
        free(original);
        return rc;
    }

    plan p;
    plan_build(s, &p);
    size_t *seq = xcalloc(p.n_nodes ? p.n_nodes : 1, sizeof *seq);
    size_t n = plan_sequence(&p, seq);
    unsigned char *blocked = xcalloc(p.n_nodes ? p.n_nodes : 1, 1);
    progress_begin(x, "writing", n);
    for (size_t k = 0; k < n && rc != CLI_UNAVAILABLE; k++) {
        size_t node = seq[k];
        const item *it = &p.items[p.order[node / 2]];
        int failed = 0;
        if (blocked[node]) {
            step_failed(x, "subject \"%s\" version %d: %s skipped: what it needs failed",
                        it->subject, it->version, node % 2 ? "soft delete" : "import");
            failed = 1;
        } else {
            int st = run_node(x, rest, it, (int)(node % 2));
            if (st == CLI_UNAVAILABLE) rc = st;
            failed = st != 0;
        }
        if (failed)
            for (size_t e = p.out_start[node]; e < p.out_start[node + 1]; e++)
                if (p.out_hard[e]) blocked[p.out_to[e]] = 1;
        progress_step(x);
    }
    progress_clear(&x->pg);
    free(blocked);
    free(seq);
    plan_free(&p);

    /* Configs, then subject modes, then the global mode (which ends IMPORT). */
    size_t i;
    json_t *sub;
    if (rc == 0 && s->config) rc = put_config(x, rest, NULL, s->config);
    json_array_foreach(s->subjects, i, sub) {
        json_t *cfg = json_object_get(sub, "config");
        if (rc == 0 && cfg) rc = put_config(x, rest, jstr(sub, "subject"), cfg);
    }
    json_array_foreach(s->subjects, i, sub) {
        const char *mode = jstr(sub, "mode");
        if (rc == 0 && mode) rc = put_mode(x, rest, jstr(sub, "subject"), mode);
    }
    if (rc != CLI_UNAVAILABLE) {
        int st = put_mode(x, rest, NULL, s->mode ? s->mode : original);
        if (rc == 0) rc = st;
    }
    free(original);
    return rc;
}

/* --- comparing --------------------------------------------------------------- */

static void differ(json_t *diffs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void differ(json_t *diffs, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(diffs, json_string(msg));
}

/* Compact JSON of a value for a message ("none" for NULL), malloc'd. */
static char *show(json_t *v)
{
    if (!v) return xstrdup("none");
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s && strlen(s) > 300) strcpy(s + 290, "...");
    return s ? s : xstrdup("?");
}

static void differ_values(json_t *diffs, const char *what, json_t *a, json_t *b)
{
    if ((!a && !b) || (a && b && json_equal(a, b))) return;
    char *sa = show(a), *sb = show(b);
    differ(diffs, "%s: %s in the source, %s in the target", what, sa, sb);
    free(sa);
    free(sb);
}

/* Configs: a level the source database never stored is the target's default. */
static void differ_config(json_t *diffs, const char *what, json_t *src, json_t *dst)
{
    json_t *d = dst ? json_deep_copy(dst) : NULL;
    if (src && d && !json_object_get(src, "compatibilityLevel"))
        json_object_del(d, "compatibilityLevel");
    differ_values(diffs, what, src, d);
    json_decref(d);
}

static void differ_strings(json_t *diffs, const char *what, const char *a, const char *b)
{
    if ((!a && !b) || (a && b && strcmp(a, b) == 0)) return;
    differ(diffs, "%s: %s in the source, %s in the target", what, a ? a : "none", b ? b : "none");
}

static void compare_schema(json_t *diffs, long long id, json_t *a, json_t *b)
{
    char what[96];
    if (!b || !a) {
        differ(diffs, "schema id %lld: only in the %s", id, a ? "source" : "target");
        return;
    }
    snprintf(what, sizeof what, "schema id %lld schemaType", id);
    differ_strings(diffs, what, jstr(a, "schemaType"), jstr(b, "schemaType"));
    const char *ta = jstr(a, "schema"), *tb = jstr(b, "schema");
    if (strcmp(ta, tb) != 0) {
        size_t at = 0;
        while (ta[at] && ta[at] == tb[at]) at++;
        differ(diffs, "schema id %lld: schema text differs from byte %zu (%zu bytes in the "
                      "source, %zu in the target)", id, at, strlen(ta), strlen(tb));
    }
    snprintf(what, sizeof what, "schema id %lld references", id);
    differ_values(diffs, what, json_object_get(a, "references"), json_object_get(b, "references"));
    snprintf(what, sizeof what, "schema id %lld metadata", id);
    differ_values(diffs, what, json_object_get(a, "metadata"), json_object_get(b, "metadata"));
    snprintf(what, sizeof what, "schema id %lld ruleSet", id);
    differ_values(diffs, what, json_object_get(a, "ruleSet"), json_object_get(b, "ruleSet"));
}

static json_t *find_subject(json_t *subjects, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(subjects, i, s) if (strcmp(jstr(s, "subject"), name) == 0) return s;
    return NULL;
}

static json_t *find_version(json_t *versions, long long version)
{
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v) if (jint(v, "version") == version) return v;
    return NULL;
}

static void compare_subject(json_t *diffs, const char *name, json_t *a, json_t *b)
{
    char what[1024];
    if (!a || !b) {
        differ(diffs, "subject \"%s\": only in the %s", name, a ? "source" : "target");
        return;
    }
    snprintf(what, sizeof what, "subject \"%s\" config", name);
    differ_config(diffs, what, json_object_get(a, "config"), json_object_get(b, "config"));
    snprintf(what, sizeof what, "subject \"%s\" mode", name);
    differ_strings(diffs, what, jstr(a, "mode"), jstr(b, "mode"));
    json_t *va = json_object_get(a, "versions"), *vb = json_object_get(b, "versions");
    size_t i;
    json_t *v;
    json_array_foreach(va, i, v) {
        long long n = jint(v, "version");
        json_t *w = find_version(vb, n);
        if (!w) {
            differ(diffs, "subject \"%s\" version %lld: only in the source", name, n);
            continue;
        }
        if (jint(v, "id") != jint(w, "id"))
            differ(diffs, "subject \"%s\" version %lld: id %lld in the source, %lld in the target",
                   name, n, jint(v, "id"), jint(w, "id"));
        int da = json_is_true(json_object_get(v, "deleted"));
        int db = json_is_true(json_object_get(w, "deleted"));
        if (da != db)
            differ(diffs, "subject \"%s\" version %lld: %s in the source, %s in the target", name,
                   n, da ? "soft-deleted" : "live", db ? "soft-deleted" : "live");
    }
    json_array_foreach(vb, i, v)
        if (!find_version(va, jint(v, "version")))
            differ(diffs, "subject \"%s\" version %lld: only in the target", name,
                   jint(v, "version"));
}

/* Every difference between source and target, as messages. Global settings the
 * source does not know (NULL) are not compared. */
static json_t *compare(const snapshot *a, const snapshot *b)
{
    json_t *diffs = json_array();
    if (a->config) differ_config(diffs, "global config", a->config, b->config);
    if (a->mode) differ_strings(diffs, "global mode", a->mode, b->mode);
    size_t i;
    json_t *s;
    json_array_foreach(a->subjects, i, s)
        compare_subject(diffs, jstr(s, "subject"), s,
                        find_subject(b->subjects, jstr(s, "subject")));
    json_array_foreach(b->subjects, i, s)
        if (!find_subject(a->subjects, jstr(s, "subject")))
            compare_subject(diffs, jstr(s, "subject"), NULL, s);
    size_t n = json_object_size(a->by_id) + json_object_size(b->by_id), k = 0;
    long long *ids = xmalloc((n ? n : 1) * sizeof *ids);
    const char *key;
    json_t *e;
    json_object_foreach(a->by_id, key, e) ids[k++] = jint(e, "id");
    json_object_foreach(b->by_id, key, e)
        if (!json_object_get(a->by_id, key)) ids[k++] = jint(e, "id");
    qsort(ids, k, sizeof *ids, cmp_ids);
    for (i = 0; i < k; i++)
        compare_schema(diffs, ids[i], snap_schema(a, ids[i]), snap_schema(b, ids[i]));
    free(ids);
    return diffs;
}

/* --- the commands ------------------------------------------------------------- */

typedef struct job {
    const char *from, *to;           /* to NULL: standard output (export) */
    const char *from_user, *to_user; /* credentials for URLs */
    int verify;
} job;

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void summary(cli *c, copy_ctx *x, const job *j, const counts *k, double seconds,
                    json_t *diffs, int rc)
{
    FILE *out = j->to ? stdout : stderr; /* export to stdout: the document owns stdout */
    const char *verb = strcmp(x->cmd, "export") == 0   ? "exported"
                       : strcmp(x->cmd, "import") == 0 ? "imported"
                                                       : "copied";
    size_t n_errors = json_array_size(x->errors), n_diffs = json_array_size(diffs);
    if (c->json && j->to) {
        json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:O, s:O}", "source",
                              j->from, "target", j->to, "subjects", (json_int_t)k->subjects,
                              "versions", (json_int_t)k->versions, "deleted_versions",
                              (json_int_t)k->deleted, "schemas", (json_int_t)k->schemas,
                              "configs", (json_int_t)k->configs, "modes", (json_int_t)k->modes,
                              "seconds", seconds, "errors", x->errors, "differences",
                              diffs ? diffs : json_null());
        json_object_set_new(o, "identical", json_boolean(diffs && n_diffs == 0 && n_errors == 0 &&
                                                         rc == 0));
        cli_print_json(o);
        json_decref(o);
        return;
    }
    fprintf(out, "%s %zu %s, %zu %s (%zu soft-deleted), %zu %s, %zu %s, %zu %s from %s to %s "
                 "in %.2fs (%.0f versions/s)",
            verb, k->subjects, plural(k->subjects, "subject", "subjects"), k->versions,
            plural(k->versions, "version", "versions"), k->deleted, k->schemas,
            plural(k->schemas, "schema", "schemas"), k->configs,
            plural(k->configs, "config", "configs"), k->modes, plural(k->modes, "mode", "modes"),
            j->from, j->to ? j->to : "standard output", seconds,
            seconds > 0 ? (double)k->versions / seconds : 0.0);
    if (n_errors) fprintf(out, "; %zu %s failed", n_errors, plural(n_errors, "step", "steps"));
    if (!diffs) fputs(rc == 0 ? "\n" : "; not verified\n", out);
    else if (n_diffs == 0) fputs(": identical\n", out);
    else fprintf(out, ": %zu %s\n", n_diffs, plural(n_diffs, "difference", "differences"));
    size_t i;
    json_t *d;
    json_array_foreach(diffs, i, d) fprintf(out, "  %s\n", json_string_value(d));
}

static int run_job(cli *c, const char *cmd, const job *j)
{
    copy_ctx x = {.cmd = cmd, .pg = {.tty = isatty(STDERR_FILENO)}, .errors = json_array()};
    double start = now_seconds();
    endpoint src, dst;
    snapshot from = {0}, back = {0};
    json_t *diffs = NULL;
    counts k = {0};
    int rc = open_source(&x, j->from, j->from_user, &src);
    if (rc) {
        json_decref(x.errors);
        return rc;
    }
    rc = open_target(&x, j->to, j->to_user, &dst);
    if (rc == 0 && dst.kind == EP_URL) rc = check_empty(&x, dst.rest);
    int have_source = 0;
    if (rc == 0) {
        rc = read_endpoint(&x, &src, "reading", &from);
        have_source = rc == 0;
    }
    if (have_source) {
        k = snap_counts(&from);
        rc = dst.kind == EP_URL ? write_url(&x, dst.rest, &from) : write_export(&x, &from, j->to);
    }
    if (have_source && rc != CLI_UNAVAILABLE && j->verify && dst.kind != EP_STDOUT &&
        (dst.kind != EP_EXPORT || rc == 0)) {
        int st = read_endpoint(&x, &dst, "verifying", &back);
        if (st == 0) diffs = compare(&from, &back);
        else if (rc == 0) rc = st;
    }
    progress_clear(&x.pg);
    if (have_source && rc != CLI_UNAVAILABLE)
        summary(c, &x, j, &k, now_seconds() - start, diffs, rc);
    if (rc == 0 && (json_array_size(x.errors) || json_array_size(diffs))) rc = CLI_FAIL;
    json_decref(diffs);
    json_decref(x.errors);
    snap_free(&from);
    snap_free(&back);
    rest_free(src.rest);
    rest_free(dst.rest);
    return rc;
}

/* --from/--to/--out/--from-user/--to-user/--no-verify and one optional positional. */
static int parse_job(const char *cmd, int argc, char **argv, const char *allowed, job *j,
                     const char **positional)
{
    if (positional) *positional = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] != '-' || !a[2]) {
            if (!positional || *positional) {
                fprintf(stderr, "schemareg %s: unexpected argument '%s'\n", cmd, a);
                return -1;
            }
            *positional = a;
            continue;
        }
        char word[64], list[256];
        snprintf(word, sizeof word, " %s ", a + 2);
        snprintf(list, sizeof list, " %s ", allowed);
        if (!strstr(list, word)) {
            fprintf(stderr, "schemareg %s: unknown option %s (see schemareg %s --help)\n", cmd, a,
                    cmd);
            return -1;
        }
        if (strcmp(a, "--no-verify") == 0) {
            j->verify = 0;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "schemareg %s: %s needs a value\n", cmd, a);
            return -1;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--from") == 0) j->from = v;
        else if (strcmp(a, "--to") == 0 || strcmp(a, "--out") == 0) j->to = v;
        else if (strcmp(a, "--from-user") == 0) j->from_user = v;
        else if (strcmp(a, "--to-user") == 0) j->to_user = v;
    }
    return 0;
}

int cmd_copy(cli *c, int argc, char **argv)
{
    job j = {.from = c->url, .from_user = c->user, .to_user = c->user, .verify = 1};
    if (parse_job("copy", argc, argv, "from to from-user to-user no-verify", &j, NULL) < 0)
        return CLI_USAGE;
    if (!j.to) {
        fprintf(stderr, "schemareg copy: --to URL|FILE is required (see schemareg copy --help)\n");
        return CLI_USAGE;
    }
    return run_job(c, "copy", &j);
}

int cmd_export(cli *c, int argc, char **argv)
{
    job j = {.from = c->url, .from_user = c->user, .verify = 1};
    if (parse_job("export", argc, argv, "from out from-user no-verify", &j, NULL) < 0)
        return CLI_USAGE;
    if (j.to && is_url(j.to)) {
        fprintf(stderr, "schemareg export: --out wants a file; to copy to a registry use "
                        "schemareg copy\n");
        return CLI_USAGE;
    }
    return run_job(c, "export", &j);
}

int cmd_import(cli *c, int argc, char **argv)
{
    job j = {.to = c->url, .to_user = c->user, .verify = 1};
    if (parse_job("import", argc, argv, "to to-user no-verify", &j, &j.from) < 0)
        return CLI_USAGE;
    if (!j.from) {
        fprintf(stderr, "schemareg import: missing the FILE to import (see schemareg import "
                        "--help)\n");
        return CLI_USAGE;
    }
    if (is_url(j.from)) {
        fprintf(stderr, "schemareg import: %s is a URL; to copy between registries use "
                        "schemareg copy\n", j.from);
        return CLI_USAGE;
    }
    if (!is_url(j.to)) {
        fprintf(stderr, "schemareg import: --to wants a registry URL\n");
        return CLI_USAGE;
    }
    return run_job(c, "import", &j);
}
