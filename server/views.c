#include "views.h"

#include "http.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void add_common(json_t *o, const store_schema *s)
{
    if (strcmp(s->type, "AVRO") != 0) json_object_set_new(o, "schemaType", json_string(s->type));
    if (s->n_refs) {
        json_t *refs = json_array();
        for (size_t i = 0; i < s->n_refs; i++)
            json_array_append_new(refs, json_pack("{s:s, s:s, s:i}", "name", s->refs[i].name,
                                                  "subject", s->refs[i].subject, "version",
                                                  s->refs[i].version));
        json_object_set_new(o, "references", refs);
    }
    json_t *v;
    if (s->metadata && (v = json_loads(s->metadata, 0, NULL))) json_object_set_new(o, "metadata", v);
    if (s->ruleset && (v = json_loads(s->ruleset, 0, NULL))) json_object_set_new(o, "ruleSet", v);
}

json_t *view_schema_string(const store_schema *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string(s->text));
    add_common(o, s);
    return o;
}

json_t *view_subject_version(const char *subject, int version, const store_schema *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "subject", json_string(subject));
    json_object_set_new(o, "version", json_integer(version));
    json_object_set_new(o, "id", json_integer(s->id));
    add_common(o, s);
    json_object_set_new(o, "schema", json_string(s->text));
    return o;
}

int view_parse_version(const char *s, int *out, sr_error *err)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    if (n == 6 && strncasecmp(p, "latest", 6) == 0) {
        *out = -1;
        return 0;
    }
    char buf[32];
    if (n > 0 && n < sizeof buf) {
        memcpy(buf, p, n);
        buf[n] = '\0';
        char *end;
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (!errno && !*end && (v == -1 || (v >= 1 && v <= 2147483647))) {
            *out = (int)v;
            return 0;
        }
    }
    return sr_fail(err, 422, SR_E_INVALID_VERSION,
                   "The specified version '%s' is not a valid version id. Allowed values are "
                   "between [1, 2^31-1] and the string \"latest\"", s);
}

int view_parse_id(const char *s, long long *out, sr_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v > 2147483647 || v < -2147483648LL)
        return sr_fail(err, 404, 404, "HTTP 404 Not Found");
    *out = v;
    return 0;
}

const char *view_subject(const char *raw)
{
    return strncmp(raw, ":.:", 3) == 0 ? raw + 3 : raw;
}

const char *view_scope(const http_request *req)
{
    if (req->n_seg < 2 || strcmp(req->seg[1], ":.:") == 0) return NULL;
    return view_subject(req->seg[1]);
}

void view_paginate(json_t *array, long long offset, long long limit)
{
    size_t n = json_array_size(array);
    size_t start = offset <= 0 ? 0 : (size_t)offset < n ? (size_t)offset : n;
    size_t end = limit > 0 && (size_t)limit < n - start ? start + (size_t)limit : n;
    if (start == 0 && end == n) return;
    json_t *page = json_array();
    for (size_t i = start; i < end; i++) json_array_append(page, json_array_get(array, i));
    json_array_clear(array);
    json_array_extend(array, page);
    json_decref(page);
}
