/*
 * Unit tests for the JSON Schema checker (compat/jsonschema_compat.c).
 *
 * Every row J1-J34 of compat.md §4.8 runs in both directions: B = diff(old, new)
 * (the BACKWARD check: reader = new, writer = old) and F = diff(new, old) (FORWARD:
 * reader = old, writer = new), asserting the multiset of differences ("TYPE@path",
 * compatible ones included) and the verdict under STRICT and LENIENT. Then: every
 * keyword family of §4.5, content models, combined schemas (criteria, sizes,
 * deduplication, matching), recursive schemas (termination, changes found behind
 * cycles, Confluent's memo-masking case), the exact message texts, the policy type
 * sets, and compat_check_policy() at the levels.
 *
 * Schemas are JSON Schema text written with single quotes (q() makes it JSON),
 * parsed with js_fmt_parse.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/strbuf.h"
#include "../../compat/compat.h"
#include "../../formats/jsonschema/jsonschema_format.h"

/* How Confluent closes a difference's description (see JS_MSG_CLOSE). */
#define CL "\"}"

#define STRICT COMPAT_POLICY_STRICT
#define LENIENT COMPAT_POLICY_LENIENT

/* --- fixtures ------------------------------------------------------------------------ */

static char *q(const char *s)
{
    char *out = xstrdup(s);
    for (char *p = out; *p; p++)
        if (*p == '\'') *p = '"';
    return out;
}

static js_schema *parse(const char *text)
{
    char *json = q(text);
    sr_error err = {0};
    js_schema *s = js_fmt_parse(json, strlen(json), NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "parse failed: %s\n  schema: %s", err.msg, json);
    free(json);
    return s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "TYPE@path;..." of the issues, and whether none is incompatible. */
static char *summarize(const compat_issues *is, compat_policy policy, int *compatible)
{
    char **items = malloc((is->n ? is->n : 1) * sizeof *items);
    *compatible = 1;
    for (size_t i = 0; i < is->n; i++) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "%s@%s", is->items[i].type, is->items[i].path);
        items[i] = strbuf_take(&sb);
        if (!jsonschema_type_ok(is->items[i].type, policy)) *compatible = 0;
    }
    qsort(items, is->n, sizeof *items, cmp_str);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < is->n; i++) {
        strbuf_printf(&sb, "%s%s", i ? ";" : "", items[i]);
        free(items[i]);
    }
    free(items);
    return strbuf_take(&sb);
}

/* diff(original, update) under the policy: sorted differences and the verdict. */
static char *diff_parsed(const js_schema *original, const js_schema *update,
                         compat_policy policy, int *compatible)
{
    compat_issues is = {0};
    jsonschema_compat_check(update, original, "new", "old", policy, &is);
    char *s = summarize(&is, policy, compatible);
    compat_issues_free(&is);
    return s;
}

static char *diff_text(const char *original, const char *update, compat_policy policy,
                       int *compatible)
{
    js_schema *o = parse(original), *u = parse(update);
    char *s = diff_parsed(o, u, policy, compatible);
    js_fmt_schema_free(o);
    js_fmt_schema_free(u);
    return s;
}

/* The expected list, sorted the same way. */
static char *sorted_list(const char *want)
{
    char *copy = xstrdup(want);
    char *items[256];
    size_t n = 0;
    for (char *tok = strtok(copy, ";"); tok && n < 256; tok = strtok(NULL, ";")) items[n++] = tok;
    qsort(items, n, sizeof *items, cmp_str);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) strbuf_printf(&sb, "%s%s", i ? ";" : "", items[i]);
    free(copy);
    return strbuf_take(&sb);
}

/* Assert diff(original, update) under `policy`: the multiset of differences
 * (NULL: don't check) and the verdict. */
static void expect_at(const char *file, int line, const char *original, const char *update,
                      compat_policy policy, const char *want, int want_ok)
{
    int ok;
    char *got = diff_text(original, update, policy, &ok);
    if (want) {
        char *w = sorted_list(want);
        ck_assert_msg(strcmp(got, w) == 0,
                      "%s:%d (%s): differences\n  got:  %s\n  want: %s\n  original: %s\n  "
                      "update:   %s",
                      file, line, policy == STRICT ? "STRICT" : "LENIENT", got, w, original,
                      update);
        free(w);
    }
    ck_assert_msg(ok == want_ok, "%s:%d (%s): verdict %d, want %d (differences: %s)\n  "
                  "original: %s\n  update:   %s",
                  file, line, policy == STRICT ? "STRICT" : "LENIENT", ok, want_ok, got,
                  original, update);
    free(got);
}

#define EXPECT(o, u, policy, want, ok) expect_at(__FILE__, __LINE__, o, u, policy, want, ok)

/* A row of §4.8: B = diff(old, new) and F = diff(new, old), each with its differences
 * (the same under both policies) and its verdicts under STRICT and LENIENT. */
static void row_at(const char *file, int line, const char *old, const char *nw, const char *b,
                   int b_strict, int b_lenient, const char *f, int f_strict, int f_lenient)
{
    expect_at(file, line, old, nw, STRICT, b, b_strict);
    expect_at(file, line, old, nw, LENIENT, b, b_lenient);
    expect_at(file, line, nw, old, STRICT, f, f_strict);
    expect_at(file, line, nw, old, LENIENT, f, f_lenient);
}

#define ROW(old, nw, b, bs, bl, f, fs, fl) row_at(__FILE__, __LINE__, old, nw, b, bs, bl, f, fs, fl)

/* --- schemas used by several rows ---------------------------------------------------- */

#define OPEN "{'type':'object','properties':{'a':{'type':'string'}}}"
#define OPEN_P(p) "{'type':'object','properties':{'a':{'type':'string'},'p':" p "}}"
#define OPEN_P_REQ(p) "{'type':'object','properties':{'a':{'type':'string'},'p':" p "},'required':['p']}"
#define CLOSED "{'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':false}"
#define CLOSED_P(p) \
    "{'type':'object','properties':{'a':{'type':'string'},'p':" p "},'additionalProperties':false}"
#define CLOSED_P_REQ(p)                                                                    \
    "{'type':'object','properties':{'a':{'type':'string'},'p':" p "},'required':['p'],"    \
    "'additionalProperties':false}"
#define PARTIAL(s) "{'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':" s "}"
#define PARTIAL_P(s, p) \
    "{'type':'object','properties':{'a':{'type':'string'},'p':" p "},'additionalProperties':" s "}"
#define PARTIAL_P_REQ(s, p)                                                                \
    "{'type':'object','properties':{'a':{'type':'string'},'p':" p "},'required':['p'],"    \
    "'additionalProperties':" s "}"

#define T_STR "{'type':'string'}"
#define T_INT "{'type':'integer'}"
#define T_NUM "{'type':'number'}"

/* --- §4.8: the rules table ------------------------------------------------------------ */

START_TEST(test_j01_j05_open_model)
{
    /* J1: optional typed property added to an open model */
    ROW(OPEN, OPEN_P(T_INT),
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 0, 1,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* J2: a property with the empty schema ({} or true) */
    ROW(OPEN, OPEN_P("{}"),
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    ROW(OPEN, OPEN_P("true"),
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* J3: required, no default */
    ROW(OPEN, OPEN_P_REQ(T_INT),
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 0, 0,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* J4: required with a default */
    ROW(OPEN, OPEN_P_REQ("{'type':'integer','default':0}"),
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 0, 1,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* J5: a property removed (optional, then required) */
    ROW(OPEN_P(T_INT), OPEN,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 0, 1);
    ROW(OPEN_P_REQ(T_INT), OPEN,
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p", 0, 0);
}
END_TEST

START_TEST(test_j06_j10_closed_model)
{
    /* J6: optional property added */
    ROW(CLOSED, CLOSED_P(T_INT),
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 0, 1);
    /* J7: required, no default */
    ROW(CLOSED, CLOSED_P_REQ(T_INT),
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 0, 0,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 0, 1);
    /* J8: required with a default */
    ROW(CLOSED, CLOSED_P_REQ("{'type':'integer','default':1}"),
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 0, 1);
    /* J9: property removed (optional; then required without default) */
    ROW(CLOSED_P(T_INT), CLOSED,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 0, 1,
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    ROW(CLOSED_P_REQ(T_INT), CLOSED,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 0, 1,
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 0, 0);
    /* J10: a property declared false removed */
    ROW(CLOSED_P("false"), CLOSED,
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 1, 1,
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* unevaluatedProperties:false closes a 2020-12 model the same way */
    ROW("{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'object',"
        "'properties':{'a':{'type':'string'},'p':{'type':'integer'}},'unevaluatedProperties':false}",
        "{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'object',"
        "'properties':{'a':{'type':'string'}},'unevaluatedProperties':false}",
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/p", 0, 1,
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1);
}
END_TEST

START_TEST(test_j11_j12_partially_open_model)
{
    /* J11: added property covered by additionalProperties */
    ROW(PARTIAL(T_STR), PARTIAL_P(T_STR, T_STR),
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* not covered: the nested difference is reported too */
    ROW(PARTIAL(T_STR), PARTIAL_P(T_STR, T_INT),
        "TYPE_CHANGED@#/properties/p;"
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 0, 0,
        "TYPE_CHANGED@#/properties/p;"
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 0, 0);
    /* covered one way only: S = integer, P = number */
    ROW(PARTIAL(T_INT), PARTIAL_P(T_INT, T_NUM),
        "TYPE_EXTENDED@#/properties/p;"
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "TYPE_NARROWED@#/properties/p;"
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 0, 0);
    /* covered but required without a default */
    ROW(PARTIAL(T_STR), PARTIAL_P_REQ(T_STR, T_STR),
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 0, 0,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* additionalProperties: {} has a schema: partially open, not open. The added
     * typed property is compared with {} (and {} -> integer narrows: TYPE_CHANGED). */
    ROW(PARTIAL("{}"), PARTIAL_P("{}", T_INT),
        "TYPE_CHANGED@#/properties/p;"
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 0, 0,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    ROW(PARTIAL("{}"), PARTIAL_P("{}", "{}"),
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    /* J12: removed property covered by additionalProperties, or not */
    ROW(PARTIAL_P(T_STR, T_STR), PARTIAL(T_STR),
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1);
    ROW(PARTIAL_P(T_STR, T_INT), PARTIAL(T_STR),
        "TYPE_CHANGED@#/properties/p;"
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 0, 0,
        "TYPE_CHANGED@#/properties/p;"
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 0, 0);
}
END_TEST

/* patternProperties: Java find() semantics (unanchored search), first match wins. */
START_TEST(test_pattern_properties)
{
#define PP(props) \
    "{'type':'object','properties':{" props "},'patternProperties':{'^S_':{'type':'string'}," \
    "'I_\\\\d+$':{'type':'integer'}},'additionalProperties':false}"
    ROW(PP("'a':{}"), PP("'a':{},'S_x':{'type':'string'}"),
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/S_x;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/S_x", 1, 1,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/S_x", 1, 1);
    /* "^S_" is anchored: xS_ is not covered, the model is closed for it */
    ROW(PP("'a':{}"), PP("'a':{},'xS_':{'type':'string'}"),
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/xS_", 1, 1,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/xS_", 0, 1);
    /* "I_\d+$" is searched: it matches inside "my_I_12" (\d translated for POSIX) */
    ROW(PP("'a':{}"), PP("'a':{},'my_I_12':{'type':'number'}"),
        "TYPE_EXTENDED@#/properties/my_I_12;"
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/my_I_12;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/my_I_12", 1, 1,
        "TYPE_NARROWED@#/properties/my_I_12;"
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/my_I_12", 0, 0);
    ROW(PP("'a':{}"), PP("'a':{},'my_I_12':{'type':'string'}"),
        "TYPE_CHANGED@#/properties/my_I_12;"
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/my_I_12;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/my_I_12", 0, 0,
        "TYPE_CHANGED@#/properties/my_I_12;"
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/my_I_12", 0, 0);
    ROW(PP("'a':{}"), PP("'a':{},'my_I_12':{'type':'integer'}"),
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/my_I_12;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/my_I_12", 1, 1,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/my_I_12", 1, 1);
#undef PP
    /* a model with patternProperties and no additionalProperties is not open:
     * names the patterns miss fall back to additionalProperties (absent: closed) */
    ROW("{'type':'object','patternProperties':{'^x':{'type':'string'}}}",
        "{'type':'object','properties':{'y':{'type':'string'}},"
        "'patternProperties':{'^x':{'type':'string'}}}",
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/y", 1, 1,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/properties/y", 0, 1);
    /* lazy quantifiers are irrelevant to a search */
    ROW("{'type':'object','patternProperties':{'^a.*?z$':{'type':'string'}},"
        "'additionalProperties':false}",
        "{'type':'object','properties':{'abcz':{'type':'string'}},"
        "'patternProperties':{'^a.*?z$':{'type':'string'}},'additionalProperties':false}",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/abcz;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/abcz", 1, 1,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/abcz", 1, 1);
}
END_TEST

START_TEST(test_j13_j16_required_and_additional)
{
    /* J13 / J14: an existing property becomes required, and back */
    ROW(OPEN, "{'type':'object','properties':{'a':{'type':'string'}},'required':['a']}",
        "REQUIRED_ATTRIBUTE_ADDED@#/required/a", 0, 0,
        "REQUIRED_ATTRIBUTE_REMOVED@#/required/a", 1, 1);
    ROW("{'type':'object','properties':{'a':{'type':'string','default':'x'}}}",
        "{'type':'object','properties':{'a':{'type':'string','default':'x'}},'required':['a']}",
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED@#/required/a", 1, 1,
        "REQUIRED_ATTRIBUTE_REMOVED@#/required/a", 1, 1);
    /* a required name not declared in properties is not examined (a blind spot) */
    ROW(OPEN, "{'type':'object','properties':{'a':{'type':'string'}},'required':['zz']}",
        "", 1, 1, "", 1, 1);
    /* J15: additionalProperties false -> absent / true */
    ROW(CLOSED, OPEN, "ADDITIONAL_PROPERTIES_ADDED@#/additionalProperties", 1, 1,
        "ADDITIONAL_PROPERTIES_REMOVED@#/additionalProperties", 0, 1);
    ROW(CLOSED, PARTIAL("true"), "ADDITIONAL_PROPERTIES_ADDED@#/additionalProperties", 1, 1,
        "ADDITIONAL_PROPERTIES_REMOVED@#/additionalProperties", 0, 1);
    /* J16: absent -> a schema */
    ROW(OPEN, PARTIAL(T_STR), "ADDITIONAL_PROPERTIES_NARROWED@#/additionalProperties", 0, 1,
        "ADDITIONAL_PROPERTIES_EXTENDED@#/additionalProperties", 1, 1);
    /* schema -> schema: compared */
    ROW(PARTIAL(T_INT), PARTIAL(T_NUM), "TYPE_EXTENDED@#/additionalProperties", 1, 1,
        "TYPE_NARROWED@#/additionalProperties", 0, 0);
}
END_TEST

START_TEST(test_j17_j22_types)
{
    /* J17 */
    ROW(T_STR, T_NUM, "TYPE_CHANGED@#/", 0, 0, "TYPE_CHANGED@#/", 0, 0);
    ROW("{'type':'object'}", "{'type':'array'}", "TYPE_CHANGED@#/", 0, 0, "TYPE_CHANGED@#/", 0, 0);
    ROW("{'type':'boolean'}", "{'type':'null'}", "TYPE_CHANGED@#/", 0, 0, "TYPE_CHANGED@#/", 0, 0);
    /* J18 */
    ROW(T_INT, T_NUM, "TYPE_EXTENDED@#/", 1, 1, "TYPE_NARROWED@#/", 0, 0);
    /* J19: anything -> {} / true */
    ROW(T_STR, "{}", "", 1, 1, "TYPE_CHANGED@#/", 0, 0);
    ROW(OPEN, "true", "", 1, 1, "TYPE_CHANGED@#/", 0, 0);
    /* J20: false -> anything */
    ROW("false", T_STR, "", 1, 1, "TYPE_CHANGED@#/", 0, 0);
    /* J21: T -> a union containing T */
    ROW(T_STR, "{'type':['string','null']}", "SUM_TYPE_EXTENDED@#/", 1, 1, "TYPE_CHANGED@#/", 0, 0);
    ROW(T_STR, "{'oneOf':[{'type':'null'},{'type':'string'}]}", "SUM_TYPE_EXTENDED@#/", 1, 1,
        "TYPE_CHANGED@#/", 0, 0);
    /* the first compatible branch gives its differences */
    ROW("{'type':'string','maxLength':3}", "{'anyOf':[{'type':'number'},{'type':'string'}]}",
        "MAX_LENGTH_REMOVED@#/maxLength;SUM_TYPE_EXTENDED@#/", 1, 1, "TYPE_CHANGED@#/", 0, 0);
    /* no compatible branch: TYPE_CHANGED */
    ROW(T_STR, "{'anyOf':[{'type':'number'},{'type':'boolean'}]}", "TYPE_CHANGED@#/", 0, 0,
        "TYPE_CHANGED@#/", 0, 0);
    /* J22: singletons either way */
    ROW(T_STR, "{'allOf':[{'type':'string'}]}", "", 1, 1, "", 1, 1);
    ROW(T_STR, "{'oneOf':[{'type':'string','maxLength':4}]}", "TYPE_CHANGED@#/", 0, 0,
        "MAX_LENGTH_REMOVED@#/maxLength", 1, 1);
    ROW("{'type':'string','maxLength':4}", "{'oneOf':[{'type':'string'}]}",
        "MAX_LENGTH_REMOVED@#/maxLength", 1, 1, "TYPE_CHANGED@#/", 0, 0);
    /* a singleton whose branch is incompatible falls through to TYPE_CHANGED */
    ROW(T_STR, "{'allOf':[{'type':'number'}]}", "TYPE_CHANGED@#/", 0, 0, "TYPE_CHANGED@#/", 0, 0);
    /* T -> allOf with two members is TYPE_CHANGED (no special case for allOf updates) */
    ROW(T_STR, "{'allOf':[{'type':'string'},{'maxLength':4}]}", "TYPE_CHANGED@#/", 0, 0,
        "PRODUCT_TYPE_NARROWED@#/", 1, 1);
    /* Kafka Connect bytes on both sides: kinds may differ */
    ROW("{'type':'string','connect.type':'bytes'}", "{'type':'number','connect.type':'bytes'}",
        "", 1, 1, "", 1, 1);
    ROW("{'type':'string','connect.type':'bytes'}", T_NUM, "TYPE_CHANGED@#/", 0, 0,
        "TYPE_CHANGED@#/", 0, 0);
}
END_TEST

START_TEST(test_j23_j28_enums_and_combined)
{
    /* J23: enum added to a typed schema (T -> allOf[ENUM, T]) */
    ROW(T_STR, "{'type':'string','enum':['a','b']}", "TYPE_CHANGED@#/", 0, 0,
        "PRODUCT_TYPE_NARROWED@#/", 1, 1);
    /* J24 / J25: enum values added, removed, replaced */
    ROW("{'enum':['a','b']}", "{'enum':['a','b','c']}", "ENUM_ARRAY_EXTENDED@#/enum", 1, 1,
        "ENUM_ARRAY_NARROWED@#/enum", 0, 0);
    ROW("{'enum':['a','b']}", "{'enum':['a','c']}", "ENUM_ARRAY_CHANGED@#/enum", 0, 0,
        "ENUM_ARRAY_CHANGED@#/enum", 0, 0);
    ROW("{'enum':['a','b']}", "{'enum':['b','a']}", "", 1, 1, "", 1, 1);
    ROW("{'enum':['a',1,null,{'x':[1]}]}", "{'enum':[{'x':[1]},null,1,'a',true]}",
        "ENUM_ARRAY_EXTENDED@#/enum", 1, 1, "ENUM_ARRAY_NARROWED@#/enum", 0, 0);
    /* inside type + enum: the matching decides */
    ROW("{'type':'string','enum':['a']}", "{'type':'string','enum':['a','b']}",
        "ENUM_ARRAY_EXTENDED@#/allOf/0/enum", 1, 1, "COMBINED_TYPE_SUBSCHEMAS_CHANGED@#/", 0, 0);
    /* const */
    ROW("{'const':'a'}", "{'const':'b'}", "ENUM_ARRAY_CHANGED@#/const", 0, 0,
        "ENUM_ARRAY_CHANGED@#/const", 0, 0);
    ROW("{'const':{'a':[1,2]}}", "{'const':{'a':[1,2]}}", "", 1, 1, "", 1, 1);
    /* J26: a subschema added to anyOf / oneOf */
    ROW("{'anyOf':[{'type':'string'},{'type':'number'}]}",
        "{'anyOf':[{'type':'string'},{'type':'number'},{'type':'boolean'}]}",
        "SUM_TYPE_EXTENDED@#/", 1, 1, "SUM_TYPE_NARROWED@#/", 0, 0);
    ROW("{'oneOf':[{'type':'string'},{'type':'number'}]}",
        "{'oneOf':[{'type':'boolean'},{'type':'number'},{'type':'string'}]}",
        "SUM_TYPE_EXTENDED@#/", 1, 1, "SUM_TYPE_NARROWED@#/", 0, 0);
    /* J27: a subschema added to allOf */
    ROW("{'allOf':[{'type':'string'},{'maxLength':5}]}",
        "{'allOf':[{'type':'string'},{'maxLength':5},{'minLength':1}]}",
        "PRODUCT_TYPE_EXTENDED@#/", 0, 0, "PRODUCT_TYPE_NARROWED@#/", 1, 1);
    /* J28: criterion changes */
    ROW("{'oneOf':[{'type':'string'},{'type':'number'}]}",
        "{'anyOf':[{'type':'string'},{'type':'number'}]}",
        "COMBINED_TYPE_EXTENDED@#/", 1, 1, "COMBINED_TYPE_CHANGED@#/", 0, 0);
    ROW("{'allOf':[{'type':'string'},{'maxLength':5}]}",
        "{'anyOf':[{'type':'string'},{'maxLength':5}]}",
        "COMBINED_TYPE_EXTENDED@#/", 1, 1, "COMBINED_TYPE_CHANGED@#/", 0, 0);
    ROW("{'oneOf':[{'type':'string'}]}", "{'allOf':[{'type':'string'}]}",
        "COMBINED_TYPE_EXTENDED@#/", 1, 1, "COMBINED_TYPE_EXTENDED@#/", 1, 1);
}
END_TEST

START_TEST(test_j29_limits)
{
    static const struct {
        const char *type, *kw, *name; /* name: the type prefix, e.g. MAX_LENGTH */
        int is_max;
    } kws[] = {
        {"string", "maxLength", "MAX_LENGTH", 1},
        {"string", "minLength", "MIN_LENGTH", 0},
        {"number", "maximum", "MAXIMUM", 1},
        {"number", "minimum", "MINIMUM", 0},
        {"number", "exclusiveMaximum", "EXCLUSIVE_MAXIMUM", 1},
        {"number", "exclusiveMinimum", "EXCLUSIVE_MINIMUM", 0},
        {"array", "maxItems", "MAX_ITEMS", 1},
        {"array", "minItems", "MIN_ITEMS", 0},
        {"object", "maxProperties", "MAX_PROPERTIES", 1},
        {"object", "minProperties", "MIN_PROPERTIES", 0},
    };
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        char none[128], five[128], ten[128], added[96], removed[96], inc[96], dec[96];
        snprintf(none, sizeof none, "{'type':'%s'}", kws[i].type);
        snprintf(five, sizeof five, "{'type':'%s','%s':5}", kws[i].type, kws[i].kw);
        snprintf(ten, sizeof ten, "{'type':'%s','%s':10}", kws[i].type, kws[i].kw);
        snprintf(added, sizeof added, "%s_ADDED@#/%s", kws[i].name, kws[i].kw);
        snprintf(removed, sizeof removed, "%s_REMOVED@#/%s", kws[i].name, kws[i].kw);
        snprintf(inc, sizeof inc, "%s_INCREASED@#/%s", kws[i].name, kws[i].kw);
        snprintf(dec, sizeof dec, "%s_DECREASED@#/%s", kws[i].name, kws[i].kw);
        ROW(none, five, added, 0, 0, removed, 1, 1);
        /* a max may grow, a min may shrink */
        ROW(five, ten, inc, kws[i].is_max, kws[i].is_max, dec, !kws[i].is_max, !kws[i].is_max);
        ROW(five, five, "", 1, 1, "", 1, 1);
    }
    /* 5 and 5.0 are the same limit */
    ROW("{'type':'number','maximum':5}", "{'type':'number','maximum':5.0}", "", 1, 1, "", 1, 1);
}
END_TEST

START_TEST(test_j30_j34)
{
    /* J30: items added to {type: array} */
    ROW("{'type':'array'}", "{'type':'array','items':{'type':'string'}}",
        "SCHEMA_ADDED@#/items", 0, 0, "SCHEMA_REMOVED@#/items", 1, 1);
    ROW("{'type':'array','items':{'type':'integer'}}", "{'type':'array','items':{'type':'number'}}",
        "TYPE_EXTENDED@#/items", 1, 1, "TYPE_NARROWED@#/items", 0, 0);
    /* J31 */
    ROW("{'type':'array'}", "{'type':'array','uniqueItems':true}",
        "UNIQUE_ITEMS_ADDED@#/uniqueItems", 0, 0, "UNIQUE_ITEMS_REMOVED@#/uniqueItems", 1, 1);
    /* J32: annotations */
    ROW("{'type':'string','title':'A','description':'d1','$id':'http://example.com/a.json',"
        "'default':'x'}",
        "{'type':'string','title':'B','description':'d2','$id':'http://example.com/b.json',"
        "'default':'y'}",
        "DEFAULT_CHANGED@#/;DESCRIPTION_CHANGED@#/;ID_CHANGED@#/;TITLE_CHANGED@#/", 1, 1,
        "DEFAULT_CHANGED@#/;DESCRIPTION_CHANGED@#/;ID_CHANGED@#/;TITLE_CHANGED@#/", 1, 1);
    ROW("{'type':'object','properties':{'a':{'type':'string','description':'x'}}}",
        "{'type':'object','properties':{'a':{'type':'string'}}}",
        "DESCRIPTION_CHANGED@#/properties/a", 1, 1, "DESCRIPTION_CHANGED@#/properties/a", 1, 1);
    /* J33: inline <-> $ref to an identical definition */
    ROW(OPEN,
        "{'type':'object','properties':{'a':{'$ref':'#/definitions/s'}},"
        "'definitions':{'s':{'type':'string'}}}",
        "", 1, 1, "", 1, 1);
    ROW(T_STR, "{'$ref':'#/definitions/s','definitions':{'s':{'type':'string'}}}", "", 1, 1, "",
        1, 1);
    /* a change behind a $ref is reported where the $ref is */
    ROW("{'type':'array','items':{'$ref':'#/definitions/s'},'definitions':{'s':{'type':'string'}}}",
        "{'type':'array','items':{'$ref':'#/definitions/s'},'definitions':{'s':{'type':'number'}}}",
        "TYPE_CHANGED@#/items", 0, 0, "TYPE_CHANGED@#/items", 0, 0);
    /* J34: not (the arguments are swapped) */
    ROW("{'not':{'type':'integer'}}", "{'not':{'type':'number'}}", "NOT_TYPE_EXTENDED@#/not", 0, 0,
        "NOT_TYPE_NARROWED@#/not", 1, 1);
    ROW("{'not':{'type':'string'}}", "{'not':{'type':'string'}}", "NOT_TYPE_NARROWED@#/not", 1, 1,
        "NOT_TYPE_NARROWED@#/not", 1, 1);
}
END_TEST

/* --- §4.5: scalar keywords --------------------------------------------------------------- */

START_TEST(test_string_pattern)
{
    ROW(T_STR, "{'type':'string','pattern':'^a'}", "PATTERN_ADDED@#/pattern", 0, 0,
        "PATTERN_REMOVED@#/pattern", 1, 1);
    /* patterns compare as strings: even an equivalent regex is a change */
    ROW("{'type':'string','pattern':'^a'}", "{'type':'string','pattern':'^(a)'}",
        "PATTERN_CHANGED@#/pattern", 0, 0, "PATTERN_CHANGED@#/pattern", 0, 0);
    ROW("{'type':'string','pattern':'^a'}", "{'type':'string','pattern':'^a'}", "", 1, 1, "", 1,
        1);
    /* format is ignored */
    ROW("{'type':'string','format':'date'}", "{'type':'string','format':'email'}", "", 1, 1, "",
        1, 1);
    /* the requiresString flag is ignored: a sniffed string equals a typed one */
    ROW("{'maxLength':5}", "{'type':'string','maxLength':5}", "", 1, 1, "", 1, 1);
}
END_TEST

START_TEST(test_multiple_of_exact_decimals)
{
#define MO(v) "{'type':'number','multipleOf':" v "}"
    ROW(T_NUM, MO("2"), "MULTIPLE_OF_ADDED@#/multipleOf", 0, 0, "MULTIPLE_OF_REMOVED@#/multipleOf",
        1, 1);
    ROW(MO("2"), MO("4"), "MULTIPLE_OF_EXPANDED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_REDUCED@#/multipleOf", 1, 1);
    ROW(MO("3"), MO("4"), "MULTIPLE_OF_CHANGED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_CHANGED@#/multipleOf", 0, 0);
    /* exact decimals: binary floating point would get these wrong */
    ROW(MO("0.1"), MO("0.3"), "MULTIPLE_OF_EXPANDED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_REDUCED@#/multipleOf", 1, 1);
    ROW(MO("0.01"), MO("0.1"), "MULTIPLE_OF_EXPANDED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_REDUCED@#/multipleOf", 1, 1);
    ROW(MO("0.5"), MO("2.5"), "MULTIPLE_OF_EXPANDED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_REDUCED@#/multipleOf", 1, 1);
    ROW(MO("0.4"), MO("0.6"), "MULTIPLE_OF_CHANGED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_CHANGED@#/multipleOf", 0, 0);
    /* equal values written differently */
    ROW(MO("0.5"), MO("0.50"), "", 1, 1, "", 1, 1);
    ROW(MO("0.01"), MO("1e-2"), "", 1, 1, "", 1, 1);
    ROW(MO("100"), MO("1E2"), "", 1, 1, "", 1, 1);
    /* an integer multiple of a decimal: 1.5 * 4 = 6 */
    ROW(MO("1.5"), MO("6"), "MULTIPLE_OF_EXPANDED@#/multipleOf", 0, 0,
        "MULTIPLE_OF_REDUCED@#/multipleOf", 1, 1);
    /* big values stay exact */
    ROW(MO("12345678901234567890"), MO("24691357802469135780"),
        "MULTIPLE_OF_EXPANDED@#/multipleOf", 0, 0, "MULTIPLE_OF_REDUCED@#/multipleOf", 1, 1);
#undef MO
}
END_TEST

START_TEST(test_number_limits_and_integer)
{
    ROW("{'type':'integer','minimum':0}", "{'type':'number','minimum':-1}",
        "MINIMUM_DECREASED@#/minimum;TYPE_EXTENDED@#/", 1, 1,
        "MINIMUM_INCREASED@#/minimum;TYPE_NARROWED@#/", 0, 0);
    ROW("{'type':'number','exclusiveMaximum':1.5}", "{'type':'number','exclusiveMaximum':1.25}",
        "EXCLUSIVE_MAXIMUM_DECREASED@#/exclusiveMaximum", 0, 0,
        "EXCLUSIVE_MAXIMUM_INCREASED@#/exclusiveMaximum", 1, 1);
}
END_TEST

/* --- §4.4: objects ------------------------------------------------------------------------ */

START_TEST(test_dependencies)
{
#define DEP(d) "{'type':'object','properties':{'a':{},'b':{},'c':{}},'dependencies':" d "}"
    ROW(DEP("{}"), DEP("{'a':['b']}"), "DEPENDENCY_ARRAY_ADDED@#/dependencies/a", 0, 0,
        "DEPENDENCY_ARRAY_REMOVED@#/dependencies/a", 1, 1);
    ROW(DEP("{'a':['b']}"), DEP("{'a':['b','c']}"), "DEPENDENCY_ARRAY_EXTENDED@#/dependencies/a",
        0, 0, "DEPENDENCY_ARRAY_NARROWED@#/dependencies/a", 1, 1);
    ROW(DEP("{'a':['b']}"), DEP("{'a':['c']}"), "DEPENDENCY_ARRAY_CHANGED@#/dependencies/a", 0, 0,
        "DEPENDENCY_ARRAY_CHANGED@#/dependencies/a", 0, 0);
    ROW(DEP("{'a':['b','c']}"), DEP("{'a':['c','b']}"), "", 1, 1, "", 1, 1);
    ROW(DEP("{}"), DEP("{'a':{'required':['b']}}"), "DEPENDENCY_SCHEMA_ADDED@#/dependencies/a", 0,
        0, "DEPENDENCY_SCHEMA_REMOVED@#/dependencies/a", 1, 1);
    ROW(DEP("{'a':{'properties':{'b':{'type':'integer'}}}}"),
        DEP("{'a':{'properties':{'b':{'type':'number'}}}}"),
        "TYPE_EXTENDED@#/dependencies/a/properties/b", 1, 1,
        "TYPE_NARROWED@#/dependencies/a/properties/b", 0, 0);
#undef DEP
    /* 2019-09+: dependentRequired / dependentSchemas report under "dependencies" */
    ROW("{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'object',"
        "'dependentRequired':{'a':['b']}}",
        "{'$schema':'https://json-schema.org/draft/2020-12/schema','type':'object',"
        "'dependentRequired':{'b':['a']},'dependentSchemas':{'c':{'required':['a']}}}",
        "DEPENDENCY_ARRAY_ADDED@#/dependencies/b;DEPENDENCY_ARRAY_REMOVED@#/dependencies/a;"
        "DEPENDENCY_SCHEMA_ADDED@#/dependencies/c",
        0, 0,
        "DEPENDENCY_ARRAY_ADDED@#/dependencies/a;DEPENDENCY_ARRAY_REMOVED@#/dependencies/b;"
        "DEPENDENCY_SCHEMA_REMOVED@#/dependencies/c",
        0, 0);
}
END_TEST

#define D2020 "'$schema':'https://json-schema.org/draft/2020-12/schema',"

START_TEST(test_unevaluated_properties)
{
#define UP(x) "{" D2020 "'type':'object','properties':{'a':{'type':'string'}}" x "}"
    const char *absent = UP(""), *f = UP(",'unevaluatedProperties':false"),
               *t = UP(",'unevaluatedProperties':true"),
               *s = UP(",'unevaluatedProperties':{'type':'string'}"),
               *s2 = UP(",'unevaluatedProperties':{'type':'number'}");
    ROW(absent, f, "UNEVALUATED_PROPERTIES_REMOVED@#/unevaluatedProperties", 0, 1,
        "UNEVALUATED_PROPERTIES_ADDED@#/unevaluatedProperties", 1, 1);
    ROW(absent, s, "UNEVALUATED_PROPERTIES_NARROWED@#/unevaluatedProperties", 0, 1,
        "UNEVALUATED_PROPERTIES_EXTENDED@#/unevaluatedProperties", 1, 1);
    ROW(t, s, "UNEVALUATED_PROPERTIES_NARROWED@#/unevaluatedProperties", 0, 1,
        "UNEVALUATED_PROPERTIES_EXTENDED@#/unevaluatedProperties", 1, 1);
    ROW(t, f, "UNEVALUATED_PROPERTIES_REMOVED@#/unevaluatedProperties", 0, 1,
        "UNEVALUATED_PROPERTIES_ADDED@#/unevaluatedProperties", 1, 1);
    ROW(s, f, "UNEVALUATED_PROPERTIES_REMOVED@#/unevaluatedProperties", 0, 1,
        "UNEVALUATED_PROPERTIES_ADDED@#/unevaluatedProperties", 1, 1);
    ROW(absent, t, "", 1, 1, "", 1, 1);
    ROW(s, s2, "TYPE_CHANGED@#/unevaluatedProperties", 0, 0,
        "TYPE_CHANGED@#/unevaluatedProperties", 0, 0);
    /* an unevaluatedProperties schema makes the model partially open */
    ROW(s, UP(",'properties':{'a':{'type':'string'},'p':{'type':'string'}},"
              "'unevaluatedProperties':{'type':'string'}"),
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p", 1, 1,
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p", 1, 1);
#undef UP
}
END_TEST

/* --- §4.4: arrays --------------------------------------------------------------------------- */

START_TEST(test_tuples)
{
#define TUP(items, add) "{'type':'array','items':[" items "]" add "}"
    /* same position compared */
    ROW(TUP(T_STR, ""), TUP(T_NUM, ""), "TYPE_CHANGED@#/items/0", 0, 0, "TYPE_CHANGED@#/items/0",
        0, 0);
    /* open model (no additionalItems) */
    ROW(TUP(T_STR, ""), TUP(T_STR "," T_NUM, ""),
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL@#/items/1", 0, 0,
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL@#/items/1", 1, 1);
    ROW(TUP(T_STR, ""), TUP(T_STR ",{}", ""),
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL@#/items/1", 1, 1,
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL@#/items/1", 1, 1);
    /* closed model */
    ROW(TUP(T_STR, ",'additionalItems':false"), TUP(T_STR "," T_NUM, ",'additionalItems':false"),
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL@#/items/1", 1, 1,
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/items/1", 0, 0);
    ROW(TUP(T_STR ",false", ",'additionalItems':false"), TUP(T_STR, ",'additionalItems':false"),
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/items/1", 1, 1,
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL@#/items/1", 1, 1);
    /* partially open model */
    ROW(TUP(T_STR, ",'additionalItems':" T_STR), TUP(T_STR "," T_STR, ",'additionalItems':" T_STR),
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/items/1", 1, 1,
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/items/1", 1, 1);
    ROW(TUP(T_STR, ",'additionalItems':" T_STR), TUP(T_STR "," T_NUM, ",'additionalItems':" T_STR),
        "TYPE_CHANGED@#/items/1;ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/items/1",
        0, 0,
        "TYPE_CHANGED@#/items/1;ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/items/1",
        0, 0);
    /* additionalItems transitions */
    ROW(TUP(T_STR, ",'additionalItems':false"), TUP(T_STR, ""),
        "ADDITIONAL_ITEMS_ADDED@#/additionalItems", 1, 1,
        "ADDITIONAL_ITEMS_REMOVED@#/additionalItems", 0, 0);
    ROW(TUP(T_STR, ""), TUP(T_STR, ",'additionalItems':" T_STR),
        "ADDITIONAL_ITEMS_NARROWED@#/additionalItems", 0, 0,
        "ADDITIONAL_ITEMS_EXTENDED@#/additionalItems", 1, 1);
    ROW(TUP(T_STR, ",'additionalItems':" T_INT), TUP(T_STR, ",'additionalItems':" T_NUM),
        "TYPE_EXTENDED@#/additionalItems", 1, 1, "TYPE_NARROWED@#/additionalItems", 0, 0);
#undef TUP
    /* 2020-12: prefixItems are the tuple, items after them the additional items */
    ROW("{" D2020 "'type':'array','prefixItems':[{'type':'string'}],'items':false}",
        "{" D2020 "'type':'array','prefixItems':[{'type':'string'},{'type':'boolean'}],'items':true}",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL@#/items/1;ADDITIONAL_ITEMS_ADDED@#/additionalItems", 1,
        1, "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/items/1;ADDITIONAL_ITEMS_REMOVED@#/additionalItems",
        0, 0);
}
END_TEST

START_TEST(test_unevaluated_items_and_contains)
{
#define UI(x) "{" D2020 "'type':'array','prefixItems':[{'type':'string'}]" x "}"
    ROW(UI(""), UI(",'unevaluatedItems':false"), "UNEVALUATED_ITEMS_REMOVED@#/unevaluatedItems", 0,
        0, "UNEVALUATED_ITEMS_ADDED@#/unevaluatedItems", 1, 1);
    ROW(UI(""), UI(",'unevaluatedItems':{'type':'string'}"),
        "UNEVALUATED_ITEMS_NARROWED@#/unevaluatedItems", 0, 0,
        "UNEVALUATED_ITEMS_EXTENDED@#/unevaluatedItems", 1, 1);
    ROW(UI(",'unevaluatedItems':{'type':'integer'}"), UI(",'unevaluatedItems':{'type':'number'}"),
        "TYPE_EXTENDED@#/unevaluatedItems", 1, 1, "TYPE_NARROWED@#/unevaluatedItems", 0, 0);
    /* unevaluatedItems:false closes the tuple */
    ROW(UI(",'unevaluatedItems':false"),
        "{" D2020 "'type':'array','prefixItems':[{'type':'string'},{'type':'number'}],"
        "'unevaluatedItems':false}",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL@#/items/1", 1, 1,
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL@#/items/1", 0, 0);
#undef UI
#define C(x) "{" D2020 "'type':'array','contains':{'type':'string'}" x "}"
    ROW(C(""), C(",'maxContains':3"), "MAX_CONTAINS_ADDED@#/maxContains", 0, 0,
        "MAX_CONTAINS_REMOVED@#/maxContains", 1, 1);
    ROW(C(",'maxContains':3"), C(",'maxContains':5"), "MAX_CONTAINS_INCREASED@#/maxContains", 1, 1,
        "MAX_CONTAINS_DECREASED@#/maxContains", 0, 0);
    ROW(C(""), C(",'minContains':2"), "MIN_CONTAINS_ADDED@#/minContains", 0, 0,
        "MIN_CONTAINS_REMOVED@#/minContains", 1, 1);
    ROW(C(",'minContains':2"), C(",'minContains':1"), "MIN_CONTAINS_DECREASED@#/minContains", 1, 1,
        "MIN_CONTAINS_INCREASED@#/minContains", 0, 0);
    /* contains itself is not compared */
    ROW(C(""), "{" D2020 "'type':'array','contains':{'type':'number'}}", "", 1, 1, "", 1, 1);
#undef C
}
END_TEST

/* --- §4.6: combined schemas ------------------------------------------------------------------ */

START_TEST(test_combined_criteria_table)
{
    static const char *const names[] = {"allOf", "anyOf", "oneOf"};
    /* two-member lists of the same subschemas: the criterion rule alone decides */
    for (int o = 0; o < 3; o++) {
        for (int u = 0; u < 3; u++) {
            char os[128], us[128];
            snprintf(os, sizeof os, "{'%s':[{'type':'string'},{'type':'number'}]}", names[o]);
            snprintf(us, sizeof us, "{'%s':[{'type':'string'},{'type':'number'}]}", names[u]);
            const char *want = o == u ? "" : u == 1 ? "COMBINED_TYPE_EXTENDED@#/"
                                                    : "COMBINED_TYPE_CHANGED@#/";
            EXPECT(os, us, STRICT, want, o == u || u == 1);
            /* singletons on both sides: always extended */
            snprintf(os, sizeof os, "{'%s':[{'type':'string'}]}", names[o]);
            snprintf(us, sizeof us, "{'%s':[{'type':'string'}]}", names[u]);
            EXPECT(os, us, STRICT, o == u ? "" : "COMBINED_TYPE_EXTENDED@#/", 1);
        }
    }
    /* a singleton original may become a oneOf; a singleton update may come from an allOf */
    EXPECT("{'allOf':[{'type':'string'}]}", "{'oneOf':[{'type':'string'},{'type':'number'}]}",
           STRICT, "COMBINED_TYPE_EXTENDED@#/;SUM_TYPE_EXTENDED@#/", 1);
    EXPECT("{'allOf':[{'type':'string'},{'type':'number'}]}", "{'oneOf':[{'type':'string'}]}",
           STRICT, "COMBINED_TYPE_EXTENDED@#/;PRODUCT_TYPE_NARROWED@#/", 1);
    EXPECT("{'anyOf':[{'type':'string'},{'type':'number'}]}", "{'oneOf':[{'type':'string'}]}",
           STRICT, "COMBINED_TYPE_CHANGED@#/", 0);
    EXPECT("{'oneOf':[{'type':'string'},{'type':'number'}]}", "{'anyOf':[{'type':'string'}]}",
           STRICT, "COMBINED_TYPE_EXTENDED@#/;SUM_TYPE_NARROWED@#/", 0);
}
END_TEST

START_TEST(test_combined_matching)
{
    /* subschema order is irrelevant; edge differences are reported at the original's index */
    EXPECT("{'type':'object','properties':{'p':{'oneOf':[{'type':'string','maxLength':5}]}}}",
           "{'type':'object','properties':{'p':{'oneOf':[{'type':'boolean'},{'type':'number'},"
           "{'title':'s','type':'string','maxLength':8}]}}}",
           STRICT,
           "SUM_TYPE_EXTENDED@#/properties/p;TITLE_CHANGED@#/properties/p/oneOf/0;"
           "MAX_LENGTH_INCREASED@#/properties/p/oneOf/0/maxLength",
           1);
    EXPECT("{'allOf':[{'enum':['one','two']},{'type':'string'},{'maxLength':5}]}",
           "{'allOf':[{'maxLength':5},{'enum':['one','two']},{'type':'string'}]}", STRICT, "", 1);
    EXPECT("{'allOf':[{'enum':['one','two']},{'type':'string'},{'maxLength':5}]}",
           "{'allOf':[{'maxLength':5},{'enum':['one','two']},{'type':'number'}]}", STRICT,
           "COMBINED_TYPE_SUBSCHEMAS_CHANGED@#/", 0);
    /* integer fits number and integer, number fits number only: a greedy first-fit
     * would match integer-number and leave number alone; augmenting paths find
     * integer-integer, number-number */
    EXPECT("{'anyOf':[{'type':'integer'},{'type':'number'}]}",
           "{'anyOf':[{'type':'number'},{'type':'integer'}]}", STRICT, "", 1);
    EXPECT("{'anyOf':[{'type':'integer'},{'type':'number','maximum':5}]}",
           "{'anyOf':[{'type':'number'},{'type':'integer'}]}", STRICT,
           "MAXIMUM_REMOVED@#/anyOf/1/maximum", 1);
    /* the matching covers the smaller side only */
    EXPECT("{'anyOf':[{'type':'string'},{'type':'number'}]}",
           "{'anyOf':[{'type':'boolean'},{'type':'number'},{'type':'null'}]}", STRICT,
           "SUM_TYPE_EXTENDED@#/;COMBINED_TYPE_SUBSCHEMAS_CHANGED@#/", 0);
    /* duplicates collapse on either side */
    EXPECT("{'allOf':[{'type':'string'},{'type':'string'}]}", "{'allOf':[{'type':'string'}]}",
           STRICT, "", 1);
    EXPECT("{'anyOf':[{'type':'string'}]}", "{'anyOf':[{'type':'string'},{'type':'string'}]}",
           STRICT, "", 1);
    /* a combined schema inside a property */
    EXPECT("{'type':'object','properties':{'p':{'oneOf':[{'type':'number'},{'type':'string'}]}}}",
           "{'type':'object','properties':{'p':{'oneOf':[{'type':'string'}]}}}", STRICT,
           "SUM_TYPE_NARROWED@#/properties/p", 0);
}
END_TEST

/* Policy-aware judgement inside the diff: under LENIENT a union branch whose only
 * differences are lenient-compatible is taken (SUM_TYPE_EXTENDED), under STRICT it
 * is not and the change is a TYPE_CHANGED. */
START_TEST(test_policy_inside_the_diff)
{
    const char *o = OPEN;
    const char *u = "{'anyOf':[{'type':'null'}," OPEN_P(T_INT) "]}";
    EXPECT(o, u, STRICT, "TYPE_CHANGED@#/", 0);
    EXPECT(o, u, LENIENT,
           "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p;SUM_TYPE_EXTENDED@#/", 1);
    /* covered or not by a partially open model */
    EXPECT(PARTIAL(OPEN), PARTIAL_P(OPEN, OPEN_P(T_INT)), STRICT,
           "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p/properties/p;"
           "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
           "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p",
           0);
    EXPECT(PARTIAL(OPEN), PARTIAL_P(OPEN, OPEN_P(T_INT)), LENIENT,
           "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL@#/properties/p/properties/p;"
           "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL@#/properties/p;"
           "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL@#/properties/p",
           1);
}
END_TEST

/* --- recursion ---------------------------------------------------------------------------------- */

#define TREE(value_type)                                                                     \
    "{'$ref':'#/definitions/node','definitions':{'node':{'type':'object','properties':{"    \
    "'value':{'type':'" value_type "'},'children':{'type':'array','items':"                 \
    "{'$ref':'#/definitions/node'}},'parent':{'oneOf':[{'type':'null'},"                    \
    "{'$ref':'#/definitions/node'}]}}}}}"

START_TEST(test_recursive_self_comparison)
{
    EXPECT(TREE("string"), TREE("string"), STRICT, "", 1);
    EXPECT(TREE("string"), TREE("string"), LENIENT, "", 1);
    /* the very same parsed schema */
    js_schema *s = parse(TREE("string"));
    int ok;
    char *d = diff_parsed(s, s, STRICT, &ok);
    ck_assert_str_eq(d, "");
    ck_assert(ok);
    free(d);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(test_recursive_change_found)
{
    int ok;
    char *d = diff_text(TREE("string"), TREE("number"), STRICT, &ok);
    ck_assert_msg(!ok, "%s", d);
    ck_assert_msg(strstr(d, "TYPE_CHANGED@#/properties/value") != NULL, "%s", d);
    free(d);
    d = diff_text(TREE("integer"), TREE("number"), STRICT, &ok);
    ck_assert_msg(ok, "%s", d);
    ck_assert_msg(strstr(d, "TYPE_EXTENDED@#/properties/value") != NULL, "%s", d);
    free(d);
}
END_TEST

/* Confluent's testRecursiveOneOfMemoizationDoesNotMaskIncompatibility: the real
 * changes to T0.id and T1.id sit behind a recursive oneOf cycle T0 -> T2 -> T0; a
 * single memoised pass would cache (T0, T0) as compatible while the cycle back into
 * it was assumed compatible. */
static char *masking_schema(const char *t0, const char *t1)
{
    strbuf sb = STRBUF_INIT;
    const char *names[] = {"T0", "T1", "T2"}, *ids[] = {t0, t1, "integer"},
               *refs[] = {"T2", "T2", "T0"};
    strbuf_puts(&sb, "{'$schema':'http://json-schema.org/draft-07/schema#','type':'object',"
                     "'additionalProperties':true,'definitions':{");
    for (int i = 0; i < 3; i++)
        strbuf_printf(&sb,
                      "%s'%s':{'type':'object','additionalProperties':true,'properties':{"
                      "'id':{'type':'%s'},'ref':{'oneOf':[{'$ref':'#/definitions/%s'}]}}}",
                      i ? "," : "", names[i], ids[i], refs[i]);
    strbuf_puts(&sb, "},'properties':{'root':{'oneOf':[{'$ref':'#/definitions/T0'},"
                     "{'$ref':'#/definitions/T1'}]}}}");
    return strbuf_take(&sb);
}

START_TEST(test_recursive_memo_does_not_mask)
{
    char *o = masking_schema("integer", "boolean"), *u = masking_schema("boolean", "number");
    int ok;
    char *d = diff_text(o, u, STRICT, &ok);
    ck_assert_msg(!ok, "a recursive oneOf incompatibility was masked: %s", d);
    free(d);
    d = diff_text(o, o, STRICT, &ok);
    ck_assert_msg(ok && strcmp(d, "") == 0, "%s", d);
    free(d);
    free(o);
    free(u);
}
END_TEST

/* Confluent's testRecursiveOneOfUnionTerminates: 12 definitions, each with two
 * properties that are a oneOf of all 12; must finish quickly. */
static char *trade_schema(const char *id_type)
{
    static const char *const types[] = {"Asset", "Basket", "Swap", "Bond", "Option", "Future",
                                        "Forward", "Loan", "Repo", "Equity", "Index",
                                        "CommodityLeg"};
    strbuf uni = STRBUF_INIT;
    strbuf_puts(&uni, "{'oneOf':[");
    for (int i = 0; i < 12; i++) strbuf_printf(&uni, "%s{'$ref':'#/definitions/%s'}", i ? "," : "", types[i]);
    strbuf_puts(&uni, "]}");
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{'$schema':'http://json-schema.org/draft-07/schema#','title':'Trade',"
                     "'type':'object','additionalProperties':true,'definitions':{");
    for (int i = 0; i < 12; i++)
        strbuf_printf(&sb, "%s'%s':{'type':'object','properties':{'id':{'type':'%s'},"
                           "'underlying':%s,'referenceProduct':%s}}",
                      i ? "," : "", types[i], i == 0 ? id_type : "string", uni.data, uni.data);
    strbuf_printf(&sb, "},'properties':{'tradeId':{'type':'string'},'product':%s}}", uni.data);
    strbuf_free(&uni);
    return strbuf_take(&sb);
}

START_TEST(test_recursive_union_terminates)
{
    char *o = trade_schema("string"), *u = trade_schema("string"), *c = trade_schema("number");
    clock_t t0 = clock();
    int ok;
    char *d = diff_text(o, u, STRICT, &ok);
    ck_assert_msg(ok && strcmp(d, "") == 0, "%s", d);
    free(d);
    d = diff_text(o, c, STRICT, &ok);
    ck_assert_msg(!ok, "a deep type change was masked: %s", d);
    free(d);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 5.0, "took %.2fs", secs);
    free(o);
    free(u);
    free(c);
}
END_TEST

/* Deep but finite nesting stays fine; the limit itself is the parser's (1000). */
START_TEST(test_deep_nesting)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    int depth = 300;
    for (int i = 0; i < depth; i++) {
        strbuf_puts(&a, "{'type':'array','items':");
        strbuf_puts(&b, "{'type':'array','items':");
    }
    strbuf_puts(&a, "{'type':'string'}");
    strbuf_puts(&b, "{'type':'number'}");
    for (int i = 0; i < depth; i++) {
        strbuf_putc(&a, '}');
        strbuf_putc(&b, '}');
    }
    int ok;
    char *d = diff_text(a.data, b.data, STRICT, &ok);
    ck_assert(!ok);
    ck_assert_msg(strncmp(d, "TYPE_CHANGED@#/items/items/items", 32) == 0, "%.80s", d);
    free(d);
    strbuf_free(&a);
    strbuf_free(&b);
}
END_TEST

/* A chain of $refs longer than the checker's depth bound: one "Unexpected
 * exception" message (incompatible), no crash. */
START_TEST(test_ref_chain_past_the_depth_bound)
{
    strbuf sb = STRBUF_INIT;
    int n = 1200;
    strbuf_puts(&sb, "{'$ref':'#/definitions/d0','definitions':{");
    for (int i = 0; i < n; i++)
        strbuf_printf(&sb, "%s'd%d':{'type':'array','items':{'$ref':'#/definitions/d%d'}}",
                      i ? "," : "", i, i + 1);
    strbuf_printf(&sb, ",'d%d':{'type':'string'}}}", n);
    js_schema *a = parse(sb.data), *b = parse(sb.data);
    compat_issues is = {0};
    jsonschema_compat_check(b, a, "new", "old", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "UNEXPECTED_EXCEPTION");
    ck_assert_str_eq(is.items[0].message,
                     "Unexpected exception during compatibility check: schemas nested too deeply");
    ck_assert(!jsonschema_type_ok(is.items[0].type, LENIENT));
    compat_issues_free(&is);
    js_fmt_schema_free(a);
    js_fmt_schema_free(b);
    strbuf_free(&sb);
}
END_TEST

/* Many differences deep down: the lists are bounded (an incompatible difference is
 * always kept) and memory and time stay reasonable. */
START_TEST(test_many_deep_differences_stay_bounded)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    int depth = 300, width = 1500;
    for (int i = 0; i < depth; i++) {
        strbuf_puts(&a, "{'type':'object','properties':{'x':");
        strbuf_puts(&b, "{'type':'object','properties':{'x':");
    }
    strbuf_puts(&a, "{'type':'object','properties':{");
    strbuf_puts(&b, "{'type':'object','properties':{");
    for (int i = 0; i < width; i++) {
        strbuf_printf(&a, "%s'p%d':{'type':'integer','title':'a'}", i ? "," : "", i);
        /* compatible changes everywhere, one incompatible change at the very end */
        strbuf_printf(&b, "%s'p%d':{'type':'%s','title':'b'}", i ? "," : "", i,
                      i == width - 1 ? "string" : "number");
    }
    strbuf_puts(&a, "}}");
    strbuf_puts(&b, "}}");
    for (int i = 0; i < depth; i++) {
        strbuf_puts(&a, "}}");
        strbuf_puts(&b, "}}");
    }
    clock_t t0 = clock();
    js_schema *o = parse(a.data), *u = parse(b.data);
    compat_issues is = {0};
    jsonschema_compat_check(u, o, "new", "old", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_le(is.n, 1001);
    ck_assert_uint_ge(is.n, 1000);
    int bad = 0;
    for (size_t i = 0; i < is.n; i++)
        if (!jsonschema_type_ok(is.items[i].type, STRICT)) bad++;
    ck_assert_int_eq(bad, 1);
    compat_issues_free(&is);
    /* reversed: every difference is incompatible (TYPE_NARROWED) */
    jsonschema_compat_check(o, u, "old", "new", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_eq(is.n, 1000);
    compat_issues_free(&is);
    js_fmt_schema_free(o);
    js_fmt_schema_free(u);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 20.0, "took %.2fs", secs);
    strbuf_free(&a);
    strbuf_free(&b);
}
END_TEST

/* Wide combined schemas: every (o, u) pair is compared once. */
START_TEST(test_wide_combined)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    int n = 150;
    strbuf_puts(&a, "{'oneOf':[");
    strbuf_puts(&b, "{'oneOf':[");
    for (int i = 0; i < n; i++) {
        strbuf_printf(&a, "%s{'type':'object','properties':{'k':{'const':%d}},'required':['k']}",
                      i ? "," : "", i);
        strbuf_printf(&b, "%s{'type':'object','properties':{'k':{'const':%d}},'required':['k']}",
                      i ? "," : "", n - 1 - i);
    }
    strbuf_puts(&a, "]}");
    strbuf_puts(&b, ",{'type':'null'}]}");
    clock_t t0 = clock();
    int ok;
    char *d = diff_text(a.data, b.data, STRICT, &ok);
    ck_assert_msg(ok && strcmp(d, "SUM_TYPE_EXTENDED@#/") == 0, "%.200s", d);
    free(d);
    d = diff_text(b.data, a.data, STRICT, &ok);
    ck_assert_msg(!ok && strcmp(d, "SUM_TYPE_NARROWED@#/") == 0, "%.200s", d);
    free(d);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 10.0, "took %.2fs", secs);
    strbuf_free(&a);
    strbuf_free(&b);
}
END_TEST

/* --- messages ------------------------------------------------------------------------------------- */

static char *messages_of(const char *original, const char *update, const char *rl,
                         const char *wl)
{
    js_schema *o = parse(original), *u = parse(update);
    compat_issues is = {0};
    jsonschema_compat_check(u, o, rl, wl, COMPAT_POLICY_STRICT, &is);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < is.n; i++) strbuf_printf(&sb, "%s%s", i ? "\n" : "", is.items[i].message);
    compat_issues_free(&is);
    js_fmt_schema_free(o);
    js_fmt_schema_free(u);
    return strbuf_take(&sb);
}

#define MSG_EQ(o, u, want)                     \
    do {                                       \
        char *m_ = messages_of(o, u, "new", "old"); \
        ck_assert_str_eq(m_, want);            \
        free(m_);                              \
    } while (0)

START_TEST(test_message_texts)
{
    /* keyword added or removed */
    MSG_EQ("{'type':'string'}", "{'type':'string','maxLength':3}",
           "{errorType:\"MAX_LENGTH_ADDED\", description:\"The keyword at path '#/maxLength' in "
           "the new schema is not present in the old schema" CL);
    /* value increased / decreased */
    MSG_EQ("{'type':'string','minLength':1}", "{'type':'string','minLength':2}",
           "{errorType:\"MIN_LENGTH_INCREASED\", description:\"The value at path '#/minLength' in "
           "the new schema is more than its value in the old schema" CL);
    MSG_EQ("{'type':'array','maxItems':3}", "{'type':'array','maxItems':2}",
           "{errorType:\"MAX_ITEMS_DECREASED\", description:\"The value at path '#/maxItems' in "
           "the new schema is less than its value in the old schema" CL);
    /* value changed */
    MSG_EQ("{'type':'string','pattern':'a'}", "{'type':'string','pattern':'b'}",
           "{errorType:\"PATTERN_CHANGED\", description:\"The value at path '#/pattern' is "
           "different between the new and old schema" CL);
    /* fewer / more elements */
    MSG_EQ("{'enum':[1,2]}", "{'enum':[1]}",
           "{errorType:\"ENUM_ARRAY_NARROWED\", description:\"An array or combined type at path "
           "'#/enum' has fewer elements in the new schema than the old schema" CL);
    MSG_EQ("{'allOf':[{'type':'string'}]}", "{'allOf':[{'type':'string'},{'maxLength':1}]}",
           "{errorType:\"PRODUCT_TYPE_EXTENDED\", description:\"An array or combined type at path "
           "'#/' has more elements in the new schema than the old schema" CL);
    /* type changed */
    MSG_EQ("{'type':'object','properties':{'a':{'type':'string'}}}",
           "{'type':'object','properties':{'a':{'type':'number'}}}",
           "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/a' is "
           "different between the new schema and the old schema" CL);
    /* open content model */
    MSG_EQ(OPEN, OPEN_P(T_INT),
           "{errorType:\"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL\", description:\"The new "
           "schema has an open content model and has a property or item at path '#/properties/p' "
           "which is missing in the old schema" CL);
    /* unopen, required */
    MSG_EQ(CLOSED, CLOSED_P_REQ(T_INT),
           "{errorType:\"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL\", description:\"The new "
           "schema has an unopen content model and has a required property at path "
           "'#/properties/p' which is missing in the old schema" CL);
    /* closed */
    MSG_EQ(CLOSED_P(T_INT), CLOSED,
           "{errorType:\"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL\", description:\"The new "
           "schema has a closed content model and is missing a property or item present at path "
           "'#/properties/p' in the old schema" CL);
    /* not covered, removed and added (nested difference first) */
    MSG_EQ(PARTIAL_P(T_STR, T_INT), PARTIAL(T_STR),
           "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/p' is "
           "different between the new schema and the old schema" CL "\n"
           "{errorType:\"PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL\", "
           "description:\"A property or item is missing in the new schema but present at path "
           "'#/properties/p' in the old schema and is not covered by its partially open content "
           "model" CL);
    MSG_EQ(PARTIAL(T_STR), PARTIAL_P(T_STR, T_INT),
           "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/p' is "
           "different between the new schema and the old schema" CL "\n"
           "{errorType:\"PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL\", "
           "description:\"The new schema has a property or item at path '#/properties/p' which is "
           "missing in the old schema and is not covered by its partially open content model" CL "\n"
           "{errorType:\"OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL\", description:\"" CL);
    /* SCHEMA_ADDED has no description in Confluent */
    MSG_EQ("{'type':'array'}", "{'type':'array','items':{}}",
           "{errorType:\"SCHEMA_ADDED\", description:\"" CL);
    /* the labels follow the direction */
    char *m = messages_of("{'type':'string'}", "{'type':'string','maxLength':3}", "old", "new");
    ck_assert_str_eq(m, "{errorType:\"MAX_LENGTH_ADDED\", description:\"The keyword at path "
                        "'#/maxLength' in the old schema is not present in the new schema" CL);
    free(m);
    /* a '%' in a property name is copied, not interpreted */
    MSG_EQ("{'type':'object','properties':{'a%s':{'type':'string'}}}",
           "{'type':'object','properties':{'a%s':{'type':'number'}}}",
           "{errorType:\"TYPE_CHANGED\", description:\"A type at path '#/properties/a%s' is "
           "different between the new schema and the old schema" CL);
}
END_TEST

START_TEST(test_issue_fields)
{
    js_schema *o = parse(OPEN), *u = parse(OPEN_P(T_INT));
    compat_issues is = {0};
    jsonschema_compat_check(u, o, "new", "old", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
    ck_assert_str_eq(is.items[0].path, "#/properties/p");
    compat_issues_free(&is);
    /* compatible differences are reported too */
    jsonschema_compat_check(o, u, "old", "new", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL");
    compat_issues_free(&is);
    js_fmt_schema_free(o);
    js_fmt_schema_free(u);
}
END_TEST

/* --- the policy sets ------------------------------------------------------------------------------ */

START_TEST(test_policy_type_sets)
{
    static const char *const all[] = {
        "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED", "SCHEMA_ADDED",
        "SCHEMA_REMOVED", "TYPE_EXTENDED", "TYPE_NARROWED", "TYPE_CHANGED", "MAX_LENGTH_ADDED",
        "MAX_LENGTH_REMOVED", "MAX_LENGTH_INCREASED", "MAX_LENGTH_DECREASED", "MIN_LENGTH_ADDED",
        "MIN_LENGTH_REMOVED", "MIN_LENGTH_INCREASED", "MIN_LENGTH_DECREASED", "PATTERN_ADDED",
        "PATTERN_REMOVED", "PATTERN_CHANGED", "MAXIMUM_ADDED", "MAXIMUM_REMOVED",
        "MAXIMUM_INCREASED", "MAXIMUM_DECREASED", "MINIMUM_ADDED", "MINIMUM_REMOVED",
        "MINIMUM_INCREASED", "MINIMUM_DECREASED", "EXCLUSIVE_MAXIMUM_ADDED",
        "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MAXIMUM_INCREASED", "EXCLUSIVE_MAXIMUM_DECREASED",
        "EXCLUSIVE_MINIMUM_ADDED", "EXCLUSIVE_MINIMUM_REMOVED", "EXCLUSIVE_MINIMUM_INCREASED",
        "EXCLUSIVE_MINIMUM_DECREASED", "MULTIPLE_OF_ADDED", "MULTIPLE_OF_REMOVED",
        "MULTIPLE_OF_EXPANDED", "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_CHANGED",
        "REQUIRED_ATTRIBUTE_ADDED", "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        "REQUIRED_ATTRIBUTE_REMOVED", "MAX_PROPERTIES_ADDED", "MAX_PROPERTIES_REMOVED",
        "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_DECREASED", "MIN_PROPERTIES_ADDED",
        "MIN_PROPERTIES_REMOVED", "MIN_PROPERTIES_INCREASED", "MIN_PROPERTIES_DECREASED",
        "ADDITIONAL_PROPERTIES_ADDED", "ADDITIONAL_PROPERTIES_REMOVED",
        "ADDITIONAL_PROPERTIES_EXTENDED", "ADDITIONAL_PROPERTIES_NARROWED",
        "DEPENDENCY_ARRAY_ADDED", "DEPENDENCY_ARRAY_REMOVED", "DEPENDENCY_ARRAY_EXTENDED",
        "DEPENDENCY_ARRAY_NARROWED", "DEPENDENCY_ARRAY_CHANGED", "DEPENDENCY_SCHEMA_ADDED",
        "DEPENDENCY_SCHEMA_REMOVED", "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "RESERVED_PROPERTY_REMOVED",
        "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY", "UNEVALUATED_PROPERTIES_ADDED",
        "UNEVALUATED_PROPERTIES_REMOVED", "UNEVALUATED_PROPERTIES_EXTENDED",
        "UNEVALUATED_PROPERTIES_NARROWED", "MAX_ITEMS_ADDED", "MAX_ITEMS_REMOVED",
        "MAX_ITEMS_INCREASED", "MAX_ITEMS_DECREASED", "MIN_ITEMS_ADDED", "MIN_ITEMS_REMOVED",
        "MIN_ITEMS_INCREASED", "MIN_ITEMS_DECREASED", "MAX_CONTAINS_ADDED", "MAX_CONTAINS_REMOVED",
        "MAX_CONTAINS_INCREASED", "MAX_CONTAINS_DECREASED", "MIN_CONTAINS_ADDED",
        "MIN_CONTAINS_REMOVED", "MIN_CONTAINS_INCREASED", "MIN_CONTAINS_DECREASED",
        "UNIQUE_ITEMS_ADDED", "UNIQUE_ITEMS_REMOVED", "ADDITIONAL_ITEMS_ADDED",
        "ADDITIONAL_ITEMS_REMOVED", "ADDITIONAL_ITEMS_EXTENDED", "ADDITIONAL_ITEMS_NARROWED",
        "UNEVALUATED_ITEMS_ADDED", "UNEVALUATED_ITEMS_REMOVED", "UNEVALUATED_ITEMS_EXTENDED",
        "UNEVALUATED_ITEMS_NARROWED", "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ENUM_ARRAY_EXTENDED",
        "ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED", "COMBINED_TYPE_EXTENDED",
        "COMBINED_TYPE_CHANGED", "PRODUCT_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED",
        "SUM_TYPE_EXTENDED", "SUM_TYPE_NARROWED", "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        "NOT_TYPE_EXTENDED", "NOT_TYPE_NARROWED",
    };
    ck_assert_uint_eq(sizeof all / sizeof all[0], 132);
    size_t strict = 0, lenient = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int s = jsonschema_type_ok(all[i], STRICT), l = jsonschema_type_ok(all[i], LENIENT);
        ck_assert_msg(!s || l, "%s: STRICT-compatible but not LENIENT", all[i]);
        strict += (size_t)s;
        lenient += (size_t)(l && !s);
    }
    ck_assert_uint_eq(strict, 65);
    ck_assert_uint_eq(lenient, 9);
    ck_assert(!jsonschema_type_ok("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", LENIENT));
    ck_assert(!jsonschema_type_ok("RESERVED_PROPERTY_REMOVED", LENIENT));
    ck_assert(!jsonschema_type_ok("NO_SUCH_TYPE", LENIENT));
    ck_assert(!jsonschema_type_ok(NULL, STRICT));
    ck_assert(jsonschema_type_ok("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", LENIENT));
    ck_assert(!jsonschema_type_ok("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", STRICT));
    ck_assert(!jsonschema_type_ok("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", LENIENT));
}
END_TEST

/* --- compat.c with the JSON checker ---------------------------------------------------------------- */

static const sr_format json_format = {.type = "JSON"};

typedef struct history {
    js_schema *schemas[8];
    char *texts[8];
    compat_prev prev[8];
    size_t n;
} history;

static void add_version(history *h, int version, const char *text)
{
    ck_assert_uint_lt(h->n, 8);
    h->schemas[h->n] = parse(text);
    h->texts[h->n] = js_fmt_canonical(h->schemas[h->n]);
    h->prev[h->n] = (compat_prev){&json_format, h->schemas[h->n], version, h->texts[h->n]};
    h->n++;
}

static void history_free(history *h)
{
    for (size_t i = 0; i < h->n; i++) {
        js_fmt_schema_free(h->schemas[i]);
        free(h->texts[i]);
    }
    h->n = 0;
}

/* The message list joined by newlines; *ok = the verdict. */
static char *run_level(compat_level level, compat_policy policy, const char *candidate,
                       history *h, int *ok)
{
    js_schema *c = parse(candidate);
    compat_result r;
    ck_assert_int_eq(compat_check_policy(level, policy, &json_format, c, h->prev, h->n, &r), 0);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < r.n_messages; i++)
        strbuf_printf(&sb, "%s%s", i ? "\n" : "", r.messages[i]);
    *ok = r.compatible;
    compat_result_free(&r);
    js_fmt_schema_free(c);
    return strbuf_take(&sb);
}

START_TEST(test_checker_lookup)
{
    ck_assert_ptr_eq(compat_checker_for(&json_format), jsonschema_compat_check);
    ck_assert_ptr_eq(compat_type_filter_for(&json_format), jsonschema_type_ok);
}
END_TEST

#define J1_OLD "{'type':'object','properties':{'a':{'type':'string'}}}"
#define J1_NEW "{'type':'object','properties':{'a':{'type':'string'},'p':{'type':'integer'}}}"
#define J1_MSG                                                                              \
    "{errorType:\"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL\", description:\"The new " \
    "schema has an open content model and has a property or item at path '#/properties/p' " \
    "which is missing in the old schema" CL

START_TEST(test_levels_and_policy)
{
    history h = {0};
    add_version(&h, 1, J1_OLD);
    int ok;
    /* BACKWARD, STRICT: only the incompatible difference becomes a message */
    char *m = run_level(COMPAT_BACKWARD, STRICT, J1_NEW, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, J1_MSG "\n{oldSchemaVersion: 1}\n"
                               "{oldSchema: '{\"type\":\"object\",\"properties\":{\"a\":"
                               "{\"type\":\"string\"}}}'}\n"
                               "{validateFields: 'false', compatibility: 'BACKWARD'}");
    free(m);
    /* LENIENT accepts J1 */
    m = run_level(COMPAT_BACKWARD, LENIENT, J1_NEW, &h, &ok);
    ck_assert(ok);
    ck_assert_str_eq(m, "");
    free(m);
    /* FORWARD: removal from an open model is fine */
    m = run_level(COMPAT_FORWARD, STRICT, J1_NEW, &h, &ok);
    ck_assert(ok);
    free(m);
    /* FULL: the forward half first (no schema entries), then the backward half */
    history_free(&h);
    add_version(&h, 1, CLOSED_P(T_INT));
    m = run_level(COMPAT_FULL, STRICT, "{'type':'object','properties':{'a':{'type':'string'},"
                                       "'p':{'type':'integer'},'q':{'type':'string'}},"
                                       "'required':['q'],'additionalProperties':false}",
                  &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(
        m,
        "{errorType:\"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL\", description:\"The old schema "
        "has a closed content model and is missing a property or item present at path "
        "'#/properties/q' in the new schema" CL "\n"
        "{errorType:\"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL\", description:\"The new "
        "schema has an unopen content model and has a required property at path '#/properties/q' "
        "which is missing in the old schema" CL "\n"
        "{oldSchemaVersion: 1}\n"
        "{oldSchema: '{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"p\":"
        "{\"type\":\"integer\"}},\"additionalProperties\":false}'}\n"
        "{validateFields: 'false', compatibility: 'FULL'}");
    free(m);
    /* FULL under LENIENT: the forward half is accepted, the backward one is not */
    m = run_level(COMPAT_FULL, LENIENT, "{'type':'object','properties':{'a':{'type':'string'},"
                                        "'p':{'type':'integer'},'q':{'type':'string'}},"
                                        "'required':['q'],'additionalProperties':false}",
                  &h, &ok);
    ck_assert(!ok);
    ck_assert(strncmp(m, "{errorType:\"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL\"", 60) == 0);
    free(m);
    /* only the forward half fails: no schema entries at all */
    m = run_level(COMPAT_FULL, STRICT, "{'type':'object','properties':{'a':{'type':'string'},"
                                       "'p':{'type':'integer'},'q':{'type':'string'}},"
                                       "'additionalProperties':false}",
                  &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(
        m,
        "{errorType:\"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL\", description:\"The old schema "
        "has a closed content model and is missing a property or item present at path "
        "'#/properties/q' in the new schema" CL "\n"
        "{validateFields: 'false', compatibility: 'FULL'}");
    free(m);
    /* only the backward half fails */
    m = run_level(COMPAT_FULL, STRICT, CLOSED, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(
        m,
        "{errorType:\"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL\", description:\"The new schema "
        "has a closed content model and is missing a property or item present at path "
        "'#/properties/p' in the old schema" CL "\n"
        "{oldSchemaVersion: 1}\n"
        "{oldSchema: '{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"p\":"
        "{\"type\":\"integer\"}},\"additionalProperties\":false}'}\n"
        "{validateFields: 'false', compatibility: 'FULL'}");
    free(m);
    history_free(&h);
}
END_TEST

START_TEST(test_transitive_levels)
{
    history h = {0};
    add_version(&h, 1, "{'type':'string','maxLength':5}");
    add_version(&h, 2, "{'type':'string','maxLength':10}");
    int ok;
    /* maxLength 8: fine against v1 backward (increased), not against v2 (decreased) */
    char *m = run_level(COMPAT_BACKWARD, STRICT, "{'type':'string','maxLength':8}", &h, &ok);
    ck_assert(!ok);
    free(m);
    m = run_level(COMPAT_BACKWARD_TRANSITIVE, STRICT, "{'type':'string','maxLength':12}", &h, &ok);
    ck_assert(ok);
    free(m);
    /* FORWARD_TRANSITIVE: a larger max is not forward-compatible with either */
    m = run_level(COMPAT_FORWARD_TRANSITIVE, STRICT, "{'type':'string','maxLength':12}", &h, &ok);
    ck_assert(!ok);
    /* newest first, stopping at the first failing version */
    ck_assert_msg(strstr(m, "{oldSchemaVersion: 2}") != NULL, "%s", m);
    ck_assert_msg(strstr(m, "{oldSchemaVersion: 1}") == NULL, "%s", m);
    free(m);
    m = run_level(COMPAT_NONE, STRICT, "{'type':'number'}", &h, &ok);
    ck_assert(ok);
    free(m);
    history_free(&h);
}
END_TEST

/* --- suite ------------------------------------------------------------------------------------------ */

static Suite *suite(void)
{
    Suite *s = suite_create("js_compat");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_j01_j05_open_model);
    tcase_add_test(tc, test_j06_j10_closed_model);
    tcase_add_test(tc, test_j11_j12_partially_open_model);
    tcase_add_test(tc, test_pattern_properties);
    tcase_add_test(tc, test_j13_j16_required_and_additional);
    tcase_add_test(tc, test_j17_j22_types);
    tcase_add_test(tc, test_j23_j28_enums_and_combined);
    tcase_add_test(tc, test_j29_limits);
    tcase_add_test(tc, test_j30_j34);
    tcase_add_test(tc, test_string_pattern);
    tcase_add_test(tc, test_multiple_of_exact_decimals);
    tcase_add_test(tc, test_number_limits_and_integer);
    tcase_add_test(tc, test_dependencies);
    tcase_add_test(tc, test_unevaluated_properties);
    tcase_add_test(tc, test_tuples);
    tcase_add_test(tc, test_unevaluated_items_and_contains);
    tcase_add_test(tc, test_combined_criteria_table);
    tcase_add_test(tc, test_combined_matching);
    tcase_add_test(tc, test_policy_inside_the_diff);
    tcase_add_test(tc, test_recursive_self_comparison);
    tcase_add_test(tc, test_recursive_change_found);
    tcase_add_test(tc, test_recursive_memo_does_not_mask);
    tcase_add_test(tc, test_recursive_union_terminates);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_ref_chain_past_the_depth_bound);
    tcase_add_test(tc, test_many_deep_differences_stay_bounded);
    tcase_add_test(tc, test_wide_combined);
    tcase_add_test(tc, test_message_texts);
    tcase_add_test(tc, test_issue_fields);
    tcase_add_test(tc, test_policy_type_sets);
    tcase_add_test(tc, test_checker_lookup);
    tcase_add_test(tc, test_levels_and_policy);
    tcase_add_test(tc, test_transitive_levels);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
