/*
 * avro_compat_tool: the Avro checker as a filter, for the differential oracle test
 * (tests/oracle/test_avro_oracle.py).
 *
 * stdin:  one JSON object per line, {"reader": <schema>, "writer": <schema>}
 * stdout: one JSON object per line, in the same order:
 *         {"compatible": bool, "types": [sorted distinct types],
 *          "locations": [sorted distinct locations],
 *          "issues": [[type, location, message], ... in the checker's order]}
 *         or {"error": "..."} if a line is not JSON or a schema does not parse.
 *
 * Schemas are parsed leniently (SR_PARSE_LENIENT), as stored schemas are: the
 * oracle is about the compatibility rules, not default validation.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../compat/compat.h"
#include "../../formats/avro/avro_format.h"

static void print_line(json_t *obj)
{
    char *s = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
    puts(s ? s : "{\"error\":\"cannot print\"}");
    free(s);
    json_decref(obj);
}

static json_t *error_obj(const char *what, const char *msg)
{
    char buf[1200];
    snprintf(buf, sizeof buf, "%s: %s", what, msg);
    return json_pack("{s:s}", "error", buf);
}

static avro_schema *parse_member(json_t *line, const char *key, json_t **err_out)
{
    json_t *v = json_object_get(line, key);
    if (!v) {
        *err_out = error_obj(key, "missing");
        return NULL;
    }
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    sr_error err = {0};
    avro_schema *s = avro_fmt_parse(text, strlen(text), NULL, 0, SR_PARSE_LENIENT, &err);
    free(text);
    if (!s) *err_out = error_obj(key, err.msg);
    return s;
}

/* Appends s to the JSON array `arr` unless already present. */
static void add_distinct(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return;
    json_array_append_new(arr, json_string(s));
}

static int cmp_json_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static json_t *sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **items = malloc((n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++) items[i] = json_incref(json_array_get(arr, i));
    qsort(items, n, sizeof *items, cmp_json_str);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(out, items[i]);
    free(items);
    json_decref(arr);
    return out;
}

static json_t *check_line(const char *line)
{
    json_error_t jerr;
    json_t *obj = json_loads(line, JSON_DECODE_ANY, &jerr);
    if (!obj || !json_is_object(obj)) {
        json_decref(obj);
        return error_obj("line", obj ? "not an object" : jerr.text);
    }
    json_t *err = NULL;
    avro_schema *r = parse_member(obj, "reader", &err);
    avro_schema *w = r ? parse_member(obj, "writer", &err) : NULL;
    json_decref(obj);
    if (!r || !w) {
        if (r) avro_fmt_schema_free(r);
        return err;
    }

    compat_issues is = {0};
    avro_compat_check(r, w, "new", "old", COMPAT_POLICY_STRICT, &is);
    json_t *types = json_array(), *locs = json_array(), *issues = json_array();
    for (size_t i = 0; i < is.n; i++) {
        add_distinct(types, is.items[i].type);
        add_distinct(locs, is.items[i].path);
        json_array_append_new(issues, json_pack("[sss]", is.items[i].type, is.items[i].path,
                                                is.items[i].message));
    }
    json_t *out = json_pack("{s:b,s:o,s:o,s:o}", "compatible", is.n == 0, "types", sorted(types),
                            "locations", sorted(locs), "issues", issues);
    compat_issues_free(&is);
    avro_fmt_schema_free(r);
    avro_fmt_schema_free(w);
    return out;
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n == 0) continue;
        print_line(check_line(line));
    }
    free(line);
    return 0;
}
