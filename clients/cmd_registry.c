/* Registry commands: thin wrappers over the REST API (cli.md "Registry commands"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/strbuf.h"
#include "cli.h"

#define MAX_POSITIONAL 3
#define MAX_REFS 64

/* The arguments of one command. */
typedef struct opts {
    const char *pos[MAX_POSITIONAL];
    int n_pos;
    const char *type, *version, *prefix;
    const char *refs[MAX_REFS];
    int n_refs;
    int deleted, permanent, normalize, del, force;
} opts;

/* Parse flags named in `allowed` (space separated) and up to max_pos positionals. */
static int parse_opts(const char *cmd, int argc, char **argv, const char *allowed, int min_pos,
                      int max_pos, opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] != '-') {
            if (o->n_pos == max_pos) {
                fprintf(stderr, "schemareg %s: unexpected argument '%s'\n", cmd, a);
                return -1;
            }
            o->pos[o->n_pos++] = a;
            continue;
        }
        char word[64];
        snprintf(word, sizeof word, " %s ", a + 2);
        char list[256];
        snprintf(list, sizeof list, " %s ", allowed);
        if (!strstr(list, word)) {
            fprintf(stderr, "schemareg %s: unknown option %s\n", cmd, a);
            return -1;
        }
        const char **value = strcmp(a, "--type") == 0      ? &o->type
                             : strcmp(a, "--version") == 0 ? &o->version
                             : strcmp(a, "--prefix") == 0  ? &o->prefix
                                                           : NULL;
        int is_ref = strcmp(a, "--ref") == 0;
        if (value || is_ref) {
            if (i + 1 >= argc) {
                fprintf(stderr, "schemareg %s: %s needs a value\n", cmd, a);
                return -1;
            }
            if (value) {
                *value = argv[++i];
            } else if (o->n_refs == MAX_REFS) {
                fprintf(stderr, "schemareg %s: at most %d --ref options\n", cmd, MAX_REFS);
                return -1;
            } else {
                o->refs[o->n_refs++] = argv[++i];
            }
            continue;
        }
        if (strcmp(a, "--deleted") == 0) o->deleted = 1;
        else if (strcmp(a, "--permanent") == 0) o->permanent = 1;
        else if (strcmp(a, "--normalize") == 0) o->normalize = 1;
        else if (strcmp(a, "--delete") == 0) o->del = 1;
        else if (strcmp(a, "--force") == 0) o->force = 1;
    }
    if (o->n_pos < min_pos) {
        fprintf(stderr, "schemareg %s: missing arguments (see schemareg %s --help)\n", cmd, cmd);
        return -1;
    }
    return 0;
}

/* One REST call; prints the failure and returns the exit code, or 0 with *r. */
static int call(cli *c, const char *method, const char *path, json_t *body, rest_response *r)
{
    char err[1024];
    if (rest_call(cli_rest(c), method, path, body, r, err, sizeof err) < 0) {
        fprintf(stderr, "schemareg: %s\n", err);
        return CLI_UNAVAILABLE;
    }
    if (r->status >= 400) {
        int rc = cli_server_error(r);
        rest_response_free(r);
        return rc;
    }
    return CLI_OK;
}

/* "/subjects/<escaped>" + suffix */
static char *subject_path(const char *prefix, const char *subject, const char *suffix)
{
    char *esc = rest_escape(subject);
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s%s%s", prefix, esc, suffix ? suffix : "");
    free(esc);
    return strbuf_take(&sb);
}

/* The RegisterSchemaRequest for FILE with --type and --ref NAME=SUBJECT:VERSION. */
static json_t *schema_request(const char *cmd, const char *file, const opts *o, int *rc)
{
    const char *type = o->type ? o->type : cli_type_for_file(file);
    if (!type) {
        fprintf(stderr, "schemareg %s: cannot tell the schema type of %s: use --type\n", cmd, file);
        *rc = CLI_USAGE;
        return NULL;
    }
    if (strcmp(type, "AVRO") && strcmp(type, "PROTOBUF") && strcmp(type, "JSON")) {
        fprintf(stderr, "schemareg %s: --type must be AVRO, PROTOBUF or JSON\n", cmd);
        *rc = CLI_USAGE;
        return NULL;
    }
    char *text = cli_read_file(file, NULL);
    if (!text) {
        *rc = CLI_INPUT;
        return NULL;
    }
    json_t *req = json_pack("{s:s}", "schema", text);
    free(text);
    if (!req) {
        fprintf(stderr, "schemareg %s: %s is not valid UTF-8\n", cmd, file);
        *rc = CLI_INPUT;
        return NULL;
    }
    if (strcmp(type, "AVRO") != 0) json_object_set_new(req, "schemaType", json_string(type));
    if (o->n_refs) {
        json_t *refs = json_array();
        for (int i = 0; i < o->n_refs; i++) {
            const char *r = o->refs[i], *eq = strchr(r, '='), *colon = strrchr(r, ':');
            char *end = NULL;
            long v = colon ? strtol(colon + 1, &end, 10) : 0;
            if (!eq || !colon || colon < eq || !end || *end || (v < 1 && v != -1)) {
                fprintf(stderr, "schemareg %s: --ref wants NAME=SUBJECT:VERSION, got '%s'\n",
                        cmd, r);
                json_decref(refs);
                json_decref(req);
                *rc = CLI_USAGE;
                return NULL;
            }
            char *name = xstrndup(r, (size_t)(eq - r));
            char *subject = xstrndup(eq + 1, (size_t)(colon - eq - 1));
            json_array_append_new(refs, json_pack("{s:s, s:s, s:i}", "name", name, "subject",
                                                  subject, "version", (int)v));
            free(name);
            free(subject);
        }
        json_object_set_new(req, "references", refs);
    }
    return req;
}

static void print_string_list(json_t *a)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (json_is_string(v)) puts(json_string_value(v));
        else if (json_is_integer(v)) printf("%lld\n", (long long)json_integer_value(v));
    }
}

/* Print a response: JSON as is, or text through `text`. */
static int show(cli *c, rest_response *r, void (*text)(json_t *))
{
    if (c->json || !text) cli_print_json(r->json);
    else text(r->json);
    rest_response_free(r);
    return CLI_OK;
}

int cmd_subjects(cli *c, int argc, char **argv)
{
    opts o;
    if (parse_opts("subjects", argc, argv, "deleted prefix", 0, 0, &o) < 0) return CLI_USAGE;
    strbuf path = STRBUF_INIT;
    strbuf_puts(&path, "/subjects?deleted=");
    strbuf_puts(&path, o.deleted ? "true" : "false");
    if (o.prefix) {
        char *esc = rest_escape(o.prefix);
        strbuf_printf(&path, "&subjectPrefix=%s", esc);
        free(esc);
    }
    rest_response r;
    int rc = call(c, "GET", path.data, NULL, &r);
    strbuf_free(&path);
    return rc ? rc : show(c, &r, print_string_list);
}

int cmd_versions(cli *c, int argc, char **argv)
{
    opts o;
    if (parse_opts("versions", argc, argv, "deleted", 1, 1, &o) < 0) return CLI_USAGE;
    char *path = subject_path("/subjects/", o.pos[0],
                              o.deleted ? "/versions?deletedAsNegative=true" : "/versions");
    rest_response r;
    int rc = call(c, "GET", path, NULL, &r);
    free(path);
    return rc ? rc : show(c, &r, print_string_list);
}

/* A string member, or "?" when the registry sent something else. */
static const char *str_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "?";
}

static void print_schema_object(json_t *o)
{
    json_t *version = json_object_get(o, "version"), *type = json_object_get(o, "schemaType");
    if (json_object_get(o, "subject")) printf("subject: %s\n", str_of(o, "subject"));
    if (version) printf("version: %lld\n", (long long)json_integer_value(version));
    if (json_object_get(o, "id"))
        printf("id:      %lld\n", (long long)json_integer_value(json_object_get(o, "id")));
    printf("type:    %s\n", type ? str_of(o, "schemaType") : "AVRO");
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(o, "references"), i, ref)
        printf("ref:     %s=%s:%lld\n", str_of(ref, "name"), str_of(ref, "subject"),
               (long long)json_integer_value(json_object_get(ref, "version")));
    printf("%s\n", str_of(o, "schema"));
}

/* A 2xx answer that lacks what the command prints is the registry's fault. */
static int unexpected_answer(rest_response *r)
{
    fprintf(stderr, "schemareg: unexpected answer from the registry (HTTP %ld): %.200s\n",
            r->status, r->body ? r->body : "");
    rest_response_free(r);
    return CLI_FAIL;
}

/* A schema answer: an object with a string "schema". */
static int show_schema(cli *c, rest_response *r)
{
    if (!json_is_object(r->json) || !json_is_string(json_object_get(r->json, "schema")))
        return unexpected_answer(r);
    return show(c, r, print_schema_object);
}

int cmd_get(cli *c, int argc, char **argv)
{
    opts o;
    if (parse_opts("get", argc, argv, "deleted", 1, 2, &o) < 0) return CLI_USAGE;
    strbuf suffix = STRBUF_INIT;
    char *v = rest_escape(o.n_pos > 1 ? o.pos[1] : "latest");
    strbuf_printf(&suffix, "/versions/%s%s", v, o.deleted ? "?deleted=true" : "");
    free(v);
    char *path = subject_path("/subjects/", o.pos[0], suffix.data);
    strbuf_free(&suffix);
    rest_response r;
    int rc = call(c, "GET", path, NULL, &r);
    free(path);
    return rc ? rc : show_schema(c, &r);
}

int cmd_get_id(cli *c, int argc, char **argv)
{
    opts o;
    if (parse_opts("get-id", argc, argv, "", 1, 1, &o) < 0) return CLI_USAGE;
    char *end;
    long long id = strtoll(o.pos[0], &end, 10);
    if (*end || id < 1) {
        fprintf(stderr, "schemareg get-id: '%s' is not a schema id\n", o.pos[0]);
        return CLI_USAGE;
    }
    char path[64];
    snprintf(path, sizeof path, "/schemas/ids/%lld", id);
    rest_response r;
    int rc = call(c, "GET", path, NULL, &r);
    if (rc) return rc;
    if (!json_is_object(r.json)) return unexpected_answer(&r);
    json_object_set_new(r.json, "id", json_integer(id));
    return show_schema(c, &r);
}

int cmd_register(cli *c, int argc, char **argv)
{
    opts o;
    int rc = CLI_OK;
    if (parse_opts("register", argc, argv, "type ref normalize", 2, 2, &o) < 0) return CLI_USAGE;
    json_t *req = schema_request("register", o.pos[1], &o, &rc);
    if (!req) return rc;
    char *path = subject_path("/subjects/", o.pos[0],
                              o.normalize ? "/versions?normalize=true" : "/versions");
    rest_response r;
    rc = call(c, "POST", path, req, &r);
    free(path);
    json_decref(req);
    if (rc) return rc;
    json_t *id = json_object_get(r.json, "id");
    if (!json_is_integer(id) || json_integer_value(id) < 1) return unexpected_answer(&r);
    if (c->json) cli_print_json(r.json);
    else printf("%lld\n", (long long)json_integer_value(id));
    rest_response_free(&r);
    return CLI_OK;
}

int cmd_lookup(cli *c, int argc, char **argv)
{
    opts o;
    int rc = CLI_OK;
    if (parse_opts("lookup", argc, argv, "type ref deleted", 2, 2, &o) < 0) return CLI_USAGE;
    json_t *req = schema_request("lookup", o.pos[1], &o, &rc);
    if (!req) return rc;
    char *path = subject_path("/subjects/", o.pos[0], o.deleted ? "?deleted=true" : "");
    rest_response r;
    rc = call(c, "POST", path, req, &r);
    free(path);
    json_decref(req);
    return rc ? rc : show_schema(c, &r);
}

int cmd_test(cli *c, int argc, char **argv)
{
    opts o;
    int rc = CLI_OK;
    if (parse_opts("test", argc, argv, "type ref version", 2, 2, &o) < 0) return CLI_USAGE;
    json_t *req = schema_request("test", o.pos[1], &o, &rc);
    if (!req) return rc;
    strbuf suffix = STRBUF_INIT;
    if (o.version) {
        char *v = rest_escape(o.version);
        strbuf_printf(&suffix, "/versions/%s?verbose=true", v);
        free(v);
    } else {
        strbuf_puts(&suffix, "/versions?verbose=true");
    }
    char *path = subject_path("/compatibility/subjects/", o.pos[0], suffix.data);
    strbuf_free(&suffix);
    rest_response r;
    rc = call(c, "POST", path, req, &r);
    free(path);
    json_decref(req);
    if (rc) return rc;
    int ok = json_is_true(json_object_get(r.json, "is_compatible"));
    if (c->json) {
        cli_print_json(r.json);
    } else {
        puts(ok ? "compatible" : "incompatible");
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(r.json, "messages"), i, m)
            printf("  %s\n", json_string_value(m));
    }
    rest_response_free(&r);
    return ok ? CLI_OK : CLI_FAIL; /* a CI step must fail on an incompatible schema */
}

int cmd_delete(cli *c, int argc, char **argv)
{
    opts o;
    if (parse_opts("delete", argc, argv, "permanent", 1, 2, &o) < 0) return CLI_USAGE;
    strbuf suffix = STRBUF_INIT;
    if (o.n_pos > 1) {
        char *v = rest_escape(o.pos[1]);
        strbuf_printf(&suffix, "/versions/%s", v);
        free(v);
    }
    if (o.permanent) strbuf_puts(&suffix, "?permanent=true");
    char *path = subject_path("/subjects/", o.pos[0], suffix.data ? suffix.data : "");
    strbuf_free(&suffix);
    rest_response r;
    int rc = call(c, "DELETE", path, NULL, &r);
    free(path);
    if (rc) return rc;
    if (json_is_integer(r.json)) printf("%lld\n", (long long)json_integer_value(r.json));
    else if (c->json) cli_print_json(r.json);
    else print_string_list(r.json);
    rest_response_free(&r);
    return CLI_OK;
}

/* Is word one of the space-separated keywords (case-insensitive)? */
static int is_keyword(const char *word, const char *keywords)
{
    size_t n = strlen(word);
    for (const char *k = keywords; *k;) {
        size_t len = strcspn(k, " ");
        if (len == n && strncasecmp(k, word, n) == 0) return 1;
        k += len;
        while (*k == ' ') k++;
    }
    return 0;
}

/* config and mode share their shape: [SUBJECT] [VALUE] [--delete]. A single
 * argument that is a value keyword sets the global value (a subject of that
 * name is reached as :.:NAME). */
static int scoped_setting(cli *c, const char *cmd, const char *resource, const char *key,
                          const char *put_key, const char *values, int argc, char **argv)
{
    opts o;
    if (parse_opts(cmd, argc, argv, strcmp(cmd, "mode") == 0 ? "delete force" : "delete", 0, 2,
                   &o) < 0)
        return CLI_USAGE;
    const char *subject = o.n_pos ? o.pos[0] : NULL, *value = o.n_pos > 1 ? o.pos[1] : NULL;
    if (o.n_pos == 1 && !o.del && is_keyword(o.pos[0], values)) {
        value = subject;
        subject = NULL;
    }
    char *path = subject ? subject_path(resource, subject, NULL) : NULL;
    if (!path) {
        size_t n = strlen(resource);
        path = xstrndup(resource, n - 1); /* "/config/" -> "/config" */
    }
    rest_response r;
    int rc;
    if (o.del) {
        rc = call(c, "DELETE", path, NULL, &r);
    } else if (value) {
        json_t *body = json_pack("{s:s}", put_key, value);
        strbuf p = STRBUF_INIT;
        strbuf_printf(&p, "%s%s", path, o.force ? "?force=true" : "");
        rc = call(c, "PUT", p.data, body, &r);
        strbuf_free(&p);
        json_decref(body);
    } else {
        rc = call(c, "GET", path, NULL, &r);
    }
    free(path);
    if (rc) return rc;
    json_t *v = json_object_get(r.json, key);
    if (!v) v = json_object_get(r.json, put_key);
    if (c->json || !json_is_string(v)) cli_print_json(r.json);
    else puts(json_string_value(v));
    rest_response_free(&r);
    return CLI_OK;
}

int cmd_config(cli *c, int argc, char **argv)
{
    return scoped_setting(c, "config", "/config/", "compatibilityLevel", "compatibility",
                          "NONE BACKWARD BACKWARD_TRANSITIVE FORWARD FORWARD_TRANSITIVE FULL "
                          "FULL_TRANSITIVE",
                          argc, argv);
}

int cmd_mode(cli *c, int argc, char **argv)
{
    return scoped_setting(c, "mode", "/mode/", "mode", "mode",
                          "READWRITE READONLY READONLY_OVERRIDE IMPORT FORWARD", argc, argv);
}
