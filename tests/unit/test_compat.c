/*
 * Unit tests for compat.c: level names, which previous versions are compared and in
 * which direction, and Confluent's message list (compat.md §1.2, §1.3, §1.6).
 *
 * Schemas are written with single quotes for readability; q() turns them into JSON.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/strbuf.h"
#include "../../compat/compat.h"
#include "../../formats/avro/avro_format.h"

static char *q(const char *s)
{
    char *out = xstrdup(s);
    for (char *p = out; *p; p++)
        if (*p == '\'') *p = '"';
    return out;
}

/* A subject history built in a test: parsed schemas plus their compat_prev rows. */
typedef struct history {
    avro_schema *schemas[8];
    char *texts[8];
    compat_prev prev[8];
    size_t n;
} history;

static avro_schema *parse(const char *text)
{
    char *json = q(text);
    sr_error err = {0};
    avro_schema *s = avro_fmt_parse(json, strlen(json), NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "parse failed: %s\n  schema: %s", err.msg, json);
    free(json);
    return s;
}

/* Adds version `version`; the quoted text is the schema's "canonical" text (the
 * checker only echoes it). */
static void add_version(history *h, int version, const char *text)
{
    ck_assert_uint_lt(h->n, 8);
    h->schemas[h->n] = parse(text);
    h->texts[h->n] = q(text);
    h->prev[h->n] = (compat_prev){&avro_format, h->schemas[h->n], version, h->texts[h->n]};
    h->n++;
}

static void history_free(history *h)
{
    for (size_t i = 0; i < h->n; i++) {
        avro_fmt_schema_free(h->schemas[i]);
        free(h->texts[i]);
    }
    h->n = 0;
}

/* Runs the check and returns the messages joined with "\n" ("" if none). */
static char *run(compat_level level, const char *candidate, history *h, int *compatible)
{
    avro_schema *c = parse(candidate);
    compat_result res;
    ck_assert_int_eq(compat_check(level, &avro_format, c, h->prev, h->n, &res), 0);
    *compatible = res.compatible;
    ck_assert_msg(res.compatible == (res.n_messages == 0), "compatible iff no messages");
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < res.n_messages; i++)
        strbuf_printf(&sb, "%s%s", i ? "\n" : "", res.messages[i]);
    compat_result_free(&res);
    avro_fmt_schema_free(c);
    return strbuf_take(&sb);
}

static int is_ok(compat_level level, const char *candidate, history *h)
{
    int ok;
    free(run(level, candidate, h, &ok));
    return ok;
}

/* --- schemas ------------------------------------------------------------------------ */

#define V_A "{'type':'record','name':'R','fields':[{'name':'a','type':'int'}]}"
#define V_AB_DEF                                                                             \
    "{'type':'record','name':'R','fields':[{'name':'a','type':'int'},{'name':'b','type':'int'," \
    "'default':0}]}"
#define V_AB "{'type':'record','name':'R','fields':[{'name':'a','type':'int'},{'name':'b','type':'int'}]}"
#define V_B "{'type':'record','name':'R','fields':[{'name':'b','type':'int'}]}"

#define MSG_B_MISSING_NEW                                                                    \
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path "   \
    "'/fields/1' in the new schema has no default value and is missing in the old schema', " \
    "additionalInfo:'b'}"
#define MSG_B_MISSING_OLD                                                                    \
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path "   \
    "'/fields/1' in the old schema has no default value and is missing in the new schema', " \
    "additionalInfo:'b'}"

/* --- levels ------------------------------------------------------------------------- */

START_TEST(test_level_names)
{
    static const char *names[] = {"NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
                                  "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"};
    for (int i = 0; i < 7; i++) {
        compat_level l;
        ck_assert_int_eq(compat_level_parse(names[i], &l), 0);
        ck_assert_str_eq(compat_level_name(l), names[i]);
    }
    compat_level l = COMPAT_NONE;
    ck_assert_int_eq(compat_level_parse("full_Transitive", &l), 0);
    ck_assert_int_eq(l, COMPAT_FULL_TRANSITIVE);
    ck_assert_int_eq(compat_level_parse("backward", &l), 0);
    ck_assert_int_eq(l, COMPAT_BACKWARD);
    ck_assert_int_eq(compat_level_parse("BACKWARDS", &l), -1);
    ck_assert_int_eq(compat_level_parse("", &l), -1);
    ck_assert_int_eq(compat_level_parse("FULL ", &l), -1);
}
END_TEST

START_TEST(test_no_history_is_compatible)
{
    history h = {0};
    for (int l = COMPAT_NONE; l <= COMPAT_FULL_TRANSITIVE; l++)
        ck_assert(is_ok((compat_level)l, V_A, &h));
}
END_TEST

START_TEST(test_none_checks_nothing)
{
    history h = {0};
    add_version(&h, 1, V_A);
    ck_assert(is_ok(COMPAT_NONE, "'string'", &h));
    /* not even a different schema type */
    static const sr_format json_fmt = {.type = "JSON"};
    h.prev[0].fmt = &json_fmt;
    ck_assert(is_ok(COMPAT_NONE, V_A, &h));
    history_free(&h);
}
END_TEST

START_TEST(test_backward_message_list)
{
    history h = {0};
    add_version(&h, 1, V_A);
    int ok;
    char *m = run(COMPAT_BACKWARD, V_AB, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, MSG_B_MISSING_NEW "\n"
                        "{oldSchemaVersion: 1}\n"
                        "{oldSchema: '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                        "\"type\":\"int\"}]}'}\n"
                        "{validateFields: 'false', compatibility: 'BACKWARD'}");
    free(m);
    /* compatible: no messages at all */
    m = run(COMPAT_BACKWARD, V_AB_DEF, &h, &ok);
    ck_assert(ok);
    ck_assert_str_eq(m, "");
    free(m);
    history_free(&h);
}
END_TEST

START_TEST(test_forward_message_list)
{
    history h = {0};
    add_version(&h, 3, V_AB);
    int ok;
    char *m = run(COMPAT_FORWARD, V_A, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, MSG_B_MISSING_OLD "\n"
                        "{oldSchemaVersion: 3}\n"
                        "{oldSchema: '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                        "\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}]}'}\n"
                        "{validateFields: 'false', compatibility: 'FORWARD'}");
    free(m);
    ck_assert(is_ok(COMPAT_BACKWARD, V_A, &h));
    history_free(&h);
}
END_TEST

START_TEST(test_non_transitive_uses_latest_only)
{
    history h = {0};
    add_version(&h, 1, V_B); /* the candidate cannot read this one */
    add_version(&h, 2, V_AB_DEF);
    ck_assert(is_ok(COMPAT_BACKWARD, V_AB, &h));
    ck_assert(!is_ok(COMPAT_BACKWARD_TRANSITIVE, V_AB, &h));
    history_free(&h);
}
END_TEST

START_TEST(test_backward_transitive_chain)
{
    /* add a field with a default, then drop the default: each step is BACKWARD
     * compatible, but the last cannot read data of the first. */
    history h = {0};
    add_version(&h, 1, V_A);
    add_version(&h, 2, V_AB_DEF);
    int ok;
    char *m = run(COMPAT_BACKWARD, V_AB, &h, &ok);
    ck_assert(ok);
    free(m);
    m = run(COMPAT_BACKWARD_TRANSITIVE, V_AB, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, MSG_B_MISSING_NEW "\n"
                        "{oldSchemaVersion: 1}\n"
                        "{oldSchema: '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                        "\"type\":\"int\"}]}'}\n"
                        "{validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}");
    free(m);
    history_free(&h);
}
END_TEST

START_TEST(test_forward_transitive_chain)
{
    /* v1 has b without default, v2 gives it a default: removing b is FORWARD
     * compatible with v2 but v1 readers need b. */
    history h = {0};
    add_version(&h, 1, V_AB);
    add_version(&h, 2, V_AB_DEF);
    ck_assert(is_ok(COMPAT_FORWARD, V_A, &h));
    int ok;
    char *m = run(COMPAT_FORWARD_TRANSITIVE, V_A, &h, &ok);
    ck_assert(!ok);
    ck_assert(strstr(m, "{oldSchemaVersion: 1}") != NULL);
    ck_assert(strstr(m, MSG_B_MISSING_OLD) == m);
    free(m);
    history_free(&h);
}
END_TEST

START_TEST(test_transitive_stops_at_first_failure_newest_first)
{
    /* The candidate fails against v3 and v1 (v2 is fine); only v3's messages come. */
    history h = {0};
    add_version(&h, 1, "{'type':'record','name':'R','fields':[{'name':'x','type':'string'}]}");
    add_version(&h, 2, V_AB);
    add_version(&h, 3, "{'type':'record','name':'R','fields':[{'name':'a','type':'string'},"
                       "{'name':'b','type':'int'}]}");
    int ok;
    char *m = run(COMPAT_BACKWARD_TRANSITIVE, V_AB, &h, &ok);
    ck_assert(!ok);
    ck_assert_msg(strstr(m, "{oldSchemaVersion: 3}") != NULL, "%s", m);
    ck_assert_msg(strstr(m, "{oldSchemaVersion: 1}") == NULL, "%s", m);
    ck_assert_msg(strncmp(m, "{errorType:'TYPE_MISMATCH'", 26) == 0, "%s", m);
    free(m);
    /* Soft-deleted versions are simply not passed in: with v3 gone, v2 is fine and
     * v1 fails. */
    h.n = 2;
    m = run(COMPAT_BACKWARD_TRANSITIVE, V_AB, &h, &ok);
    ck_assert(!ok);
    ck_assert_msg(strstr(m, "{oldSchemaVersion: 1}") != NULL, "%s", m);
    free(m);
    h.n = 3;
    history_free(&h);
}
END_TEST

START_TEST(test_full_message_order)
{
    /* old {a:int, b:int}, new {a:int, c:int}: both directions miss a field.
     * Forward first (old reader: b missing), without the schema entries; then
     * backward (new reader: c missing) with them. */
    history h = {0};
    add_version(&h, 1, V_AB);
    int ok;
    char *m = run(COMPAT_FULL,
                  "{'type':'record','name':'R','fields':[{'name':'a','type':'int'},"
                  "{'name':'c','type':'int'}]}",
                  &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, MSG_B_MISSING_OLD "\n"
                        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field "
                        "'c' at path '/fields/1' in the new schema has no default value and is "
                        "missing in the old schema', additionalInfo:'c'}\n"
                        "{oldSchemaVersion: 1}\n"
                        "{oldSchema: '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                        "\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}]}'}\n"
                        "{validateFields: 'false', compatibility: 'FULL'}");
    free(m);
    history_free(&h);
}
END_TEST

START_TEST(test_full_forward_only_failure_has_no_schema_entries)
{
    history h = {0};
    add_version(&h, 1, V_AB);
    int ok;
    char *m = run(COMPAT_FULL, V_A, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, MSG_B_MISSING_OLD "\n{validateFields: 'false', compatibility: 'FULL'}");
    free(m);
    /* backward-only failure: the schema entries are there */
    history_free(&h);
    add_version(&h, 1, V_A);
    m = run(COMPAT_FULL_TRANSITIVE, V_AB, &h, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(m, MSG_B_MISSING_NEW "\n{oldSchemaVersion: 1}\n"
                        "{oldSchema: '{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
                        "\"type\":\"int\"}]}'}\n"
                        "{validateFields: 'false', compatibility: 'FULL_TRANSITIVE'}");
    free(m);
    history_free(&h);
}
END_TEST

START_TEST(test_full_transitive)
{
    history h = {0};
    add_version(&h, 1, V_A);
    add_version(&h, 2, V_AB_DEF);
    /* {a, b} without a default is FULL with v2 (both have b), not with v1: v1 can
     * read it, but it cannot read v1 (b has no default). */
    ck_assert(is_ok(COMPAT_FULL, V_AB, &h));
    ck_assert(!is_ok(COMPAT_FULL_TRANSITIVE, V_AB, &h));

    const char *cand = "{'type':'record','name':'R','fields':[{'name':'a','type':'int'},{'name':'b','type':"
           "'int','default':5}]}";
    ck_assert(is_ok(COMPAT_FULL, cand, &h));
    ck_assert(is_ok(COMPAT_FULL_TRANSITIVE, cand, &h));
    /* widening a to long: FULL fails at v2 already */
    ck_assert(!is_ok(COMPAT_FULL_TRANSITIVE,
                     "{'type':'record','name':'R','fields':[{'name':'a','type':'long'}]}", &h));
    history_free(&h);
}
END_TEST

START_TEST(test_different_schema_type)
{
    static const sr_format json_fmt = {.type = "JSON"};
    history h = {0};
    add_version(&h, 1, V_A);
    h.prev[0].fmt = &json_fmt;
    static const compat_level levels[] = {COMPAT_BACKWARD, COMPAT_FORWARD, COMPAT_FULL,
                                          COMPAT_BACKWARD_TRANSITIVE, COMPAT_FULL_TRANSITIVE};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        int ok;
        char *m = run(levels[i], V_A, &h, &ok);
        ck_assert(!ok);
        char want[256];
        snprintf(want, sizeof want,
                 "Incompatible because of different schema type\n"
                 "{validateFields: 'false', compatibility: '%s'}",
                 compat_level_name(levels[i]));
        ck_assert_str_eq(m, want);
        free(m);
    }
    /* non-transitive: only the latest counts, so an older JSON version is ignored */
    add_version(&h, 2, V_A);
    ck_assert(is_ok(COMPAT_BACKWARD, V_A, &h));
    ck_assert(!is_ok(COMPAT_BACKWARD_TRANSITIVE, V_A, &h));
    history_free(&h);
}
END_TEST

START_TEST(test_format_without_checker)
{
    static const sr_format other = {.type = "XML"};
    ck_assert_ptr_null(compat_checker_for(&other));
    ck_assert_ptr_nonnull(compat_checker_for(&avro_format));
    int dummy = 0;
    compat_prev p = {&other, &dummy, 1, "x"};
    compat_result res;
    ck_assert_int_eq(compat_check(COMPAT_BACKWARD, &other, &dummy, &p, 1, &res), -1);
    ck_assert_int_eq(compat_check(COMPAT_NONE, &other, &dummy, &p, 1, &res), 0);
    ck_assert(res.compatible);
    compat_result_free(&res);
}
END_TEST

START_TEST(test_old_schema_truncated)
{
    /* The quoted text is cut at 10240 characters with Confluent's marker. */
    history h = {0};
    add_version(&h, 7, V_A);
    size_t len = 10 * 1024 + 100;
    char *big = xmalloc(len + 1);
    memset(big, 'x', len);
    big[len] = '\0';
    h.prev[0].canonical = big;
    int ok;
    char *m = run(COMPAT_BACKWARD, V_AB, &h, &ok);
    ck_assert(!ok);
    strbuf want = STRBUF_INIT;
    strbuf_puts(&want, "{oldSchema: <truncated> '");
    strbuf_add(&want, big, 10 * 1024);
    strbuf_puts(&want, "...'}");
    ck_assert_msg(strstr(m, want.data) != NULL, "truncated entry missing");
    ck_assert(strstr(m, "{oldSchemaVersion: 7}") != NULL);
    strbuf_free(&want);
    free(m);

    /* exactly 10240 characters: not truncated */
    big[10 * 1024] = '\0';
    m = run(COMPAT_BACKWARD, V_AB, &h, &ok);
    ck_assert(strstr(m, "<truncated>") == NULL);
    free(m);

    /* counted in UTF-16 units, like Java: 10239 x + one 4-byte character = 10241
     * units, cut before the character */
    memset(big, 'x', 10239);
    memcpy(big + 10239, "\xF0\x9F\x98\x80", 5);
    m = run(COMPAT_BACKWARD, V_AB, &h, &ok);
    ck_assert(strstr(m, "<truncated>") != NULL);
    ck_assert(strstr(m, "\xF0\x9F\x98\x80") == NULL);
    free(m);
    /* one 3-byte character instead: 10240 units, whole */
    memcpy(big + 10239, "\xE2\x82\xAC", 4);
    m = run(COMPAT_BACKWARD, V_AB, &h, &ok);
    ck_assert(strstr(m, "<truncated>") == NULL);
    free(m);

    h.prev[0].canonical = h.texts[0];
    free(big);
    history_free(&h);
}
END_TEST

START_TEST(test_issue_list_helpers)
{
    compat_issues l = {0};
    for (int i = 0; i < 20; i++) compat_issues_add(&l, "TYPE_MISMATCH", "/x", "m");
    ck_assert_uint_eq(l.n, 20);
    ck_assert_str_eq(l.items[19].path, "/x");
    compat_issues_free(&l);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_ptr_null(l.items);
    compat_result r = {0};
    compat_result_free(&r); /* empty result: nothing to do */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("compat");
    TCase *tc = tcase_create("levels");
    tcase_add_test(tc, test_level_names);
    tcase_add_test(tc, test_no_history_is_compatible);
    tcase_add_test(tc, test_none_checks_nothing);
    tcase_add_test(tc, test_backward_message_list);
    tcase_add_test(tc, test_forward_message_list);
    tcase_add_test(tc, test_non_transitive_uses_latest_only);
    tcase_add_test(tc, test_backward_transitive_chain);
    tcase_add_test(tc, test_forward_transitive_chain);
    tcase_add_test(tc, test_transitive_stops_at_first_failure_newest_first);
    tcase_add_test(tc, test_full_message_order);
    tcase_add_test(tc, test_full_forward_only_failure_has_no_schema_entries);
    tcase_add_test(tc, test_full_transitive);
    tcase_add_test(tc, test_different_schema_type);
    tcase_add_test(tc, test_format_without_checker);
    tcase_add_test(tc, test_old_schema_truncated);
    tcase_add_test(tc, test_issue_list_helpers);
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
