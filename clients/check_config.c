/*
 * The checked-in config of `schemareg check` (default ./schemareg.json):
 *
 *   {
 *     "against": "git:main",                       optional default baseline
 *     "subjects": [
 *       {"subject": "users-value", "file": "schemas/user.avsc",
 *        "type": "AVRO", "level": "BACKWARD", "policy": "STRICT",
 *        "references": [{"name": "com.acme.Address", "file": "schemas/address.avsc",
 *                        "subject": "address-value"}]}
 *     ],
 *     "allow": [
 *       {"rule": "READER_FIELD_MISSING_DEFAULT_VALUE", "subject": "users-value",
 *        "path": "/fields/2", "reason": "...", "expires": "2026-12-31"}
 *     ]
 *   }
 *
 * Validated strictly: an unknown key, a wrong type or a bad value is a usage error
 * (exit 3) naming the key path, e.g. `subjects[1].references[0].file`.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/strbuf.h"
#include "check.h"
#include "cli.h"

/* --- paths --------------------------------------------------------------------- */

char *check_path_normalize(const char *path)
{
    int absolute = path[0] == '/';
    size_t n = strlen(path);
    char **parts = xcalloc(n + 1, sizeof *parts);
    size_t np = 0;
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 1 && p[0] == '.') {
            /* skip */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (np > 0 && strcmp(parts[np - 1], "..") != 0) free(parts[--np]);
            else if (!absolute) parts[np++] = xstrdup("..");
        } else {
            parts[np++] = xstrndup(p, len);
        }
        p += len;
    }
    strbuf sb = STRBUF_INIT;
    if (absolute) strbuf_putc(&sb, '/');
    for (size_t i = 0; i < np; i++) {
        if (i) strbuf_putc(&sb, '/');
        strbuf_puts(&sb, parts[i]);
        free(parts[i]);
    }
    free(parts);
    if (sb.len == 0) strbuf_putc(&sb, '.');
    return strbuf_take(&sb);
}

char *check_path_join(const char *dir, const char *file)
{
    if (file[0] == '/' || strcmp(dir, ".") == 0) return xstrdup(file);
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, dir);
    if (sb.len && sb.data[sb.len - 1] != '/') strbuf_putc(&sb, '/');
    strbuf_puts(&sb, file);
    char *joined = strbuf_take(&sb);
    char *norm = check_path_normalize(joined);
    free(joined);
    return norm;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return xstrdup(".");
    if (slash == path) return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* --- freeing ----------------------------------------------------------------------- */

static void entry_free(check_entry *e)
{
    free(e->subject);
    free(e->file);
    free(e->path);
    free(e->type);
    for (size_t i = 0; i < e->n_refs; i++) {
        free(e->refs[i].name);
        free(e->refs[i].subject);
        free(e->refs[i].file);
    }
    free(e->refs);
}

void check_config_free(check_config *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n_entries; i++) entry_free(&c->entries[i]);
    free(c->entries);
    for (size_t i = 0; i < c->n_allow; i++) {
        free(c->allow[i].rule);
        free(c->allow[i].subject);
        free(c->allow[i].path);
        free(c->allow[i].reason);
    }
    free(c->allow);
    free(c->source);
    free(c->dir);
    free(c->against);
    memset(c, 0, sizeof *c);
}

const check_entry *check_config_entry_for_file(const check_config *c, const char *file)
{
    for (size_t i = 0; i < c->n_entries; i++)
        if (strcmp(c->entries[i].file, file) == 0) return &c->entries[i];
    return NULL;
}

static const check_entry *entry_for_subject(const check_config *c, const char *subject)
{
    for (size_t i = 0; i < c->n_entries; i++)
        if (strcmp(c->entries[i].subject, subject) == 0) return &c->entries[i];
    return NULL;
}

/* --- validation -------------------------------------------------------------------- */

static int bad(const char *source, const char *keypath, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(const char *source, const char *keypath, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "schemareg check: %s: %s%s", source ? source : "command line",
            keypath ? keypath : "", keypath && *keypath ? ": " : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_USAGE;
}

/* Only the keys in `allowed` (NULL-terminated). */
static int known_keys(const char *source, const char *where, json_t *obj,
                      const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, k) == 0;
        if (!ok) {
            strbuf kp = STRBUF_INIT;
            strbuf_printf(&kp, "%s%s%s", where, *where ? "." : "", k);
            int rc = bad(source, kp.data, "unknown key");
            strbuf_free(&kp);
            return rc;
        }
    }
    return CLI_OK;
}

/* A string member: *out borrows it (NULL when absent and optional). */
static int get_string(const char *source, const char *where, json_t *obj, const char *key,
                      int required, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    strbuf kp = STRBUF_INIT;
    strbuf_printf(&kp, "%s%s%s", where, *where ? "." : "", key);
    int rc = CLI_OK;
    if (!v) {
        if (required) rc = bad(source, kp.data, "missing (required)");
    } else if (!json_is_string(v)) {
        rc = bad(source, kp.data, "must be a string");
    } else if (!*json_string_value(v)) {
        rc = bad(source, kp.data, "must not be empty");
    } else {
        *out = json_string_value(v);
    }
    strbuf_free(&kp);
    return rc;
}

static int parse_type(const char *source, const char *where, const char *type, const char *file,
                      char **out)
{
    static const char *const types[] = {"AVRO", "PROTOBUF", "JSON"};
    if (!type) {
        type = cli_type_for_file(file);
        if (!type)
            return bad(source, where,
                       "cannot tell the schema type of %s from its extension (.avsc, .proto, "
                       ".json): %s",
                       file, source ? "add \"type\"" : "use --type");
    }
    for (size_t i = 0; i < 3; i++)
        if (strcasecmp(type, types[i]) == 0) {
            *out = xstrdup(types[i]);
            return CLI_OK;
        }
    strbuf kp = STRBUF_INIT;
    strbuf_printf(&kp, "%s%stype", where, *where ? "." : "");
    int rc = bad(source, kp.data, "must be AVRO, PROTOBUF or JSON, not \"%s\"", type);
    strbuf_free(&kp);
    return rc;
}

static int parse_level(const char *source, const char *where, const char *level,
                       compat_level *out)
{
    *out = COMPAT_BACKWARD;
    if (!level || compat_level_parse(level, out) == 0) return CLI_OK;
    strbuf kp = STRBUF_INIT;
    strbuf_printf(&kp, "%s%slevel", where, *where ? "." : "");
    int rc = bad(source, kp.data,
                 "must be one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, "
                 "FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, not \"%s\"",
                 level);
    strbuf_free(&kp);
    return rc;
}

static int parse_policy(const char *source, const char *where, const char *policy,
                        compat_policy *out)
{
    *out = COMPAT_POLICY_STRICT;
    if (!policy || compat_policy_parse(policy, out) == 0) return CLI_OK;
    strbuf kp = STRBUF_INIT;
    strbuf_printf(&kp, "%s%spolicy", where, *where ? "." : "");
    int rc = bad(source, kp.data, "must be STRICT or LENIENT, not \"%s\"", policy);
    strbuf_free(&kp);
    return rc;
}

/* YYYY-MM-DD, a real calendar day. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static int load_refs(const char *source, const char *where, json_t *refs, check_entry *e)
{
    if (!refs) return CLI_OK;
    strbuf kp = STRBUF_INIT;
    strbuf_printf(&kp, "%s.references", where);
    int rc = CLI_OK;
    if (!json_is_array(refs)) {
        rc = bad(source, kp.data, "must be an array");
        goto out;
    }
    static const char *const keys[] = {"name", "subject", "file", NULL};
    e->refs = xcalloc(json_array_size(refs) + 1, sizeof *e->refs);
    for (size_t i = 0; i < json_array_size(refs) && rc == CLI_OK; i++) {
        json_t *r = json_array_get(refs, i);
        strbuf rp = STRBUF_INIT;
        strbuf_printf(&rp, "%s[%zu]", kp.data, i);
        const char *name, *subject, *file;
        if (!json_is_object(r)) rc = bad(source, rp.data, "must be an object");
        if (rc == CLI_OK) rc = known_keys(source, rp.data, r, keys);
        if (rc == CLI_OK) rc = get_string(source, rp.data, r, "name", 1, &name);
        if (rc == CLI_OK) rc = get_string(source, rp.data, r, "subject", 0, &subject);
        if (rc == CLI_OK) rc = get_string(source, rp.data, r, "file", 0, &file);
        if (rc == CLI_OK && !file && !subject)
            rc = bad(source, rp.data, "needs a \"file\" (or the \"subject\" of another entry)");
        if (rc == CLI_OK) {
            for (size_t j = 0; j < e->n_refs && rc == CLI_OK; j++)
                if (strcmp(e->refs[j].name, name) == 0)
                    rc = bad(source, rp.data, "duplicate reference name \"%s\"", name);
        }
        if (rc == CLI_OK) {
            check_ref *ref = &e->refs[e->n_refs++];
            ref->name = xstrdup(name);
            ref->subject = subject ? xstrdup(subject) : NULL;
            ref->file = file ? check_path_normalize(file) : NULL;
        }
        strbuf_free(&rp);
    }
out:
    strbuf_free(&kp);
    return rc;
}

static int load_entry(const char *source, size_t index, json_t *o, check_entry *e)
{
    static const char *const keys[] = {"subject", "file",   "type", "level",
                                       "policy",  "references", NULL};
    strbuf where = STRBUF_INIT;
    strbuf_printf(&where, "subjects[%zu]", index);
    const char *subject, *file, *type, *level, *policy;
    int rc = json_is_object(o) ? CLI_OK : bad(source, where.data, "must be an object");
    if (rc == CLI_OK) rc = known_keys(source, where.data, o, keys);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "subject", 1, &subject);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "file", 1, &file);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "type", 0, &type);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "level", 0, &level);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "policy", 0, &policy);
    if (rc == CLI_OK) {
        e->subject = xstrdup(subject);
        e->file = check_path_normalize(file);
        rc = parse_type(source, where.data, type, file, &e->type);
    }
    if (rc == CLI_OK) rc = parse_level(source, where.data, level, &e->level);
    if (rc == CLI_OK) rc = parse_policy(source, where.data, policy, &e->policy);
    if (rc == CLI_OK) rc = load_refs(source, where.data, json_object_get(o, "references"), e);
    strbuf_free(&where);
    return rc;
}

static int load_allow(const char *source, size_t index, json_t *o, const char *today,
                      check_allow *a)
{
    static const char *const keys[] = {"rule", "subject", "path", "reason", "expires", NULL};
    strbuf where = STRBUF_INIT;
    strbuf_printf(&where, "allow[%zu]", index);
    const char *rule, *subject, *path, *reason, *expires;
    int rc = json_is_object(o) ? CLI_OK : bad(source, where.data, "must be an object");
    if (rc == CLI_OK) rc = known_keys(source, where.data, o, keys);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "rule", 1, &rule);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "subject", 1, &subject);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "path", 0, &path);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "reason", 1, &reason);
    if (rc == CLI_OK) rc = get_string(source, where.data, o, "expires", 1, &expires);
    if (rc == CLI_OK && !valid_date(expires)) {
        strbuf kp = STRBUF_INIT;
        strbuf_printf(&kp, "%s.expires", where.data);
        rc = bad(source, kp.data, "must be a date YYYY-MM-DD, not \"%s\"", expires);
        strbuf_free(&kp);
    }
    if (rc == CLI_OK) {
        a->rule = xstrdup(rule);
        a->subject = xstrdup(subject);
        a->path = path ? xstrdup(path) : NULL;
        a->reason = xstrdup(reason);
        snprintf(a->expires, sizeof a->expires, "%s", expires);
        a->expired = strcmp(today, expires) > 0;
        a->index = index;
    }
    strbuf_free(&where);
    return rc;
}

static int cmp_entries(const void *a, const void *b)
{
    const check_entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : strcmp(x->subject, y->subject);
}

/* Second pass, once every entry is known: references by subject only, unique
 * subjects, default reference subjects; then sort. */
static int link_entries(check_config *c)
{
    for (size_t i = 0; i < c->n_entries; i++) {
        check_entry *e = &c->entries[i];
        e->path = check_path_join(c->dir, e->file);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->entries[j].subject, e->subject) == 0) {
                strbuf kp = STRBUF_INIT;
                strbuf_printf(&kp, "subjects[%zu].subject", i);
                int rc = bad(c->source, kp.data, "duplicate subject \"%s\" (also subjects[%zu])",
                             e->subject, j);
                strbuf_free(&kp);
                return rc;
            }
    }
    for (size_t i = 0; i < c->n_entries; i++) {
        check_entry *e = &c->entries[i];
        for (size_t k = 0; k < e->n_refs; k++) {
            check_ref *r = &e->refs[k];
            if (!r->file) {
                const check_entry *owner = entry_for_subject(c, r->subject);
                if (!owner) {
                    strbuf kp = STRBUF_INIT;
                    strbuf_printf(&kp, "subjects[%zu].references[%zu]", i, k);
                    int rc = bad(c->source, kp.data,
                                 "no \"file\", and no entry has subject \"%s\"", r->subject);
                    strbuf_free(&kp);
                    return rc;
                }
                r->file = xstrdup(owner->file);
            }
            if (!r->subject) {
                const check_entry *owner = check_config_entry_for_file(c, r->file);
                r->subject = xstrdup(owner ? owner->subject : r->name);
            }
        }
    }
    qsort(c->entries, c->n_entries, sizeof *c->entries, cmp_entries);
    return CLI_OK;
}

int check_config_load(const char *path, const char *today, check_config *out)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (jerr.line < 0 || jerr.position == 0)
            fprintf(stderr, "schemareg check: cannot read the config %s: %s\n", path, jerr.text);
        else
            fprintf(stderr, "schemareg check: %s:%d:%d: %s\n", path, jerr.line, jerr.column,
                    jerr.text);
        return CLI_USAGE;
    }
    out->source = xstrdup(path);
    out->dir = dir_of(path);
    int rc = CLI_OK;
    static const char *const keys[] = {"subjects", "allow", "against", NULL};
    json_t *subjects = json_object_get(root, "subjects"), *allow = json_object_get(root, "allow");
    const char *against = NULL;
    if (!json_is_object(root)) rc = bad(path, NULL, "the config must be a JSON object");
    if (rc == CLI_OK) rc = known_keys(path, "", root, keys);
    if (rc == CLI_OK && !subjects) rc = bad(path, "subjects", "missing (required)");
    if (rc == CLI_OK && !json_is_array(subjects)) rc = bad(path, "subjects", "must be an array");
    if (rc == CLI_OK && allow && !json_is_array(allow)) rc = bad(path, "allow", "must be an array");
    if (rc == CLI_OK) rc = get_string(path, "", root, "against", 0, &against);
    if (rc == CLI_OK) {
        out->against = against ? xstrdup(against) : NULL;
        out->entries = xcalloc(json_array_size(subjects) + 1, sizeof *out->entries);
        for (size_t i = 0; i < json_array_size(subjects) && rc == CLI_OK; i++) {
            rc = load_entry(path, i, json_array_get(subjects, i), &out->entries[i]);
            out->n_entries = i + 1; /* a partly loaded entry is freed too */
        }
    }
    if (rc == CLI_OK && allow) {
        out->allow = xcalloc(json_array_size(allow) + 1, sizeof *out->allow);
        for (size_t i = 0; i < json_array_size(allow) && rc == CLI_OK; i++) {
            rc = load_allow(path, i, json_array_get(allow, i), today, &out->allow[i]);
            if (rc == CLI_OK) out->n_allow = i + 1;
        }
    }
    if (rc == CLI_OK) rc = link_entries(out);
    json_decref(root);
    if (rc != CLI_OK) check_config_free(out);
    return rc;
}

static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return xstrdup(slash ? slash + 1 : path);
}

int check_config_single(const char *file, const char *type, const char *level,
                        const char *policy, const char *subject, char *const *refs,
                        size_t n_refs, check_config *out)
{
    memset(out, 0, sizeof *out);
    out->dir = xstrdup(".");
    out->entries = xcalloc(1, sizeof *out->entries);
    out->n_entries = 1;
    check_entry *e = &out->entries[0];
    e->file = check_path_normalize(file);
    e->path = xstrdup(e->file);
    e->subject = subject ? xstrdup(subject) : base_name(e->file);
    int rc = parse_type(NULL, "", type, file, &e->type);
    if (rc == CLI_OK && level && compat_level_parse(level, &e->level) < 0)
        rc = bad(NULL, "--level",
                 "must be one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, "
                 "FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, not \"%s\"",
                 level);
    else if (!level) e->level = COMPAT_BACKWARD;
    if (rc == CLI_OK && policy && compat_policy_parse(policy, &e->policy) < 0)
        rc = bad(NULL, "--policy", "must be STRICT or LENIENT, not \"%s\"", policy);
    e->refs = xcalloc(n_refs + 1, sizeof *e->refs);
    for (size_t i = 0; i < n_refs && rc == CLI_OK; i++) {
        const char *eq = strchr(refs[i], '=');
        if (!eq || eq == refs[i] || !eq[1]) {
            rc = bad(NULL, "--ref", "wants NAME=FILE, got \"%s\"", refs[i]);
            break;
        }
        check_ref *r = &e->refs[e->n_refs++];
        r->name = xstrndup(refs[i], (size_t)(eq - refs[i]));
        r->file = check_path_normalize(eq + 1);
        r->subject = xstrdup(r->name);
    }
    if (rc != CLI_OK) check_config_free(out);
    return rc;
}
