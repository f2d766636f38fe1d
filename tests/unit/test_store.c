/* Unit tests for store/sqlite.c through store.h. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char path[256];
static store *st;
static sr_error err;

static void setup(void)
{
    snprintf(path, sizeof path, "/tmp/schemareg-store-test-%d.db", (int)getpid());
    unlink(path);
    st = store_open(path, &err);
    ck_assert_ptr_nonnull(st);
}

static void teardown(void)
{
    store_close(st);
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static store_schema schema(const char *text)
{
    return (store_schema){.type = "AVRO", .text = (char *)text};
}

/* Insert content under id and a version row for it, in one transaction. */
static void put(long long id, const char *text, const char *subject, int version)
{
    store_schema s = schema(text);
    unsigned char h[32];
    store_schema_hash(&s, h);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_schema_insert(st, id, h, h, &s, &err), 0);
    ck_assert_int_eq(store_version_insert(st, subject, version, id, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);
}

START_TEST(hash_covers_every_part_of_identity)
{
    store_schema a = schema("\"string\""), b = a;
    unsigned char ha[32], hb[32];
    store_schema_hash(&a, ha);
    b.type = "JSON";
    store_schema_hash(&b, hb);
    ck_assert(memcmp(ha, hb, 32) != 0);
    b = a;
    b.metadata = "{\"properties\":{\"owner\":\"bob\"}}";
    store_schema_hash(&b, hb);
    ck_assert(memcmp(ha, hb, 32) != 0);
    b = a;
    store_ref r = {"Name", "subj", 1};
    b.refs = &r;
    b.n_refs = 1;
    store_schema_hash(&b, hb);
    ck_assert(memcmp(ha, hb, 32) != 0);
    /* metadata "" vs ruleSet "" must not collide */
    store_schema m = a, rs = a;
    m.metadata = "x";
    rs.ruleset = "x";
    store_schema_hash(&m, ha);
    store_schema_hash(&rs, hb);
    ck_assert(memcmp(ha, hb, 32) != 0);
}
END_TEST

START_TEST(schema_visible_only_while_a_version_uses_it)
{
    put(1, "\"string\"", "s", 1);
    store_schema out;
    ck_assert_int_eq(store_schema_get(st, 1, &out, &err), 1);
    ck_assert_str_eq(out.text, "\"string\"");
    ck_assert_str_eq(out.type, "AVRO");
    store_schema_free(&out);

    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_set_deleted(st, "s", 1, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);
    ck_assert_int_eq(store_schema_get(st, 1, &out, &err), 1); /* soft-deleted: still served */
    store_schema_free(&out);

    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_remove(st, "s", 1, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);
    ck_assert_int_eq(store_schema_get(st, 1, &out, &err), 0);
    /* ...but the content row stays, so the id is never reused */
    ck_assert_int_eq(store_schema_get_any(st, 1, &out, &err), 1);
    store_schema_free(&out);
    long long max;
    ck_assert_int_eq(store_max_id(st, &max, &err), 0);
    ck_assert_int_eq(max, 1);
    unsigned char h[32];
    store_schema s = schema("\"string\"");
    store_schema_hash(&s, h);
    long long id = 0;
    ck_assert_int_eq(store_schema_find(st, h, &id, &err), 1);
    ck_assert_int_eq(id, 1);
}
END_TEST

START_TEST(subjects_and_versions)
{
    put(1, "\"int\"", "b", 1);
    put(2, "\"long\"", "b", 2);
    put(3, "\"string\"", "a", 1);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_set_deleted(st, "a", 1, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);

    store_strings names;
    ck_assert_int_eq(store_subjects(st, NULL, 0, &names, &err), 0);
    ck_assert_uint_eq(names.n, 1);
    ck_assert_str_eq(names.items[0], "b");
    store_strings_free(&names);
    ck_assert_int_eq(store_subjects(st, NULL, 1, &names, &err), 0);
    ck_assert_uint_eq(names.n, 2);
    ck_assert_str_eq(names.items[0], "a");
    store_strings_free(&names);
    ck_assert_int_eq(store_subjects(st, NULL, 2, &names, &err), 0);
    ck_assert_uint_eq(names.n, 1);
    ck_assert_str_eq(names.items[0], "a");
    store_strings_free(&names);
    ck_assert_int_eq(store_subjects(st, "x", 1, &names, &err), 0);
    ck_assert_uint_eq(names.n, 0);
    store_strings_free(&names);

    store_versions vs;
    ck_assert_int_eq(store_subject_versions(st, "b", &vs, &err), 0);
    ck_assert_uint_eq(vs.n, 2);
    ck_assert_int_eq(vs.items[0].version, 1);
    ck_assert_int_eq(vs.items[1].id, 2);
    store_versions_free(&vs);

    ck_assert_int_eq(store_id_versions(st, 3, 0, &vs, &err), 0);
    ck_assert_uint_eq(vs.n, 0);
    store_versions_free(&vs);
    ck_assert_int_eq(store_id_versions(st, 3, 1, &vs, &err), 0);
    ck_assert_uint_eq(vs.n, 1);
    ck_assert_str_eq(vs.items[0].subject, "a");
    store_versions_free(&vs);

    ck_assert_int_eq(store_all_versions(st, NULL, &vs, &err), 0);
    ck_assert_uint_eq(vs.n, 3);
    ck_assert_str_eq(vs.items[0].subject, "a");
    store_versions_free(&vs);
}
END_TEST

START_TEST(one_version_by_number_or_latest)
{
    put(1, "\"int\"", "s", 1);
    put(2, "\"long\"", "s", 2);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_set_deleted(st, "s", 2, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);
    store_version v;
    ck_assert_int_eq(store_subject_version(st, "s", -1, &v, &err), 1); /* latest live */
    ck_assert_int_eq(v.version, 1);
    ck_assert_int_eq(v.id, 1);
    ck_assert_str_eq(v.subject, "s");
    store_version_free(&v);
    ck_assert_int_eq(store_subject_version(st, "s", 2, &v, &err), 1); /* by number, deleted */
    ck_assert_int_eq(v.deleted, 1);
    store_version_free(&v);
    ck_assert_int_eq(store_subject_version(st, "s", 3, &v, &err), 0);
    ck_assert_int_eq(store_subject_version(st, "t", -1, &v, &err), 0);
}
END_TEST

START_TEST(equivalent_prefers_exact_then_newest)
{
    unsigned char exact[32] = {1}, norm[32] = {2}, other[32] = {3};
    store_schema a = schema("A"), b = schema("B");
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_schema_insert(st, 1, exact, norm, &a, &err), 0);
    ck_assert_int_eq(store_schema_insert(st, 2, other, norm, &b, &err), 0);
    ck_assert_int_eq(store_version_insert(st, "s", 1, 1, &err), 0);
    ck_assert_int_eq(store_version_insert(st, "s", 2, 2, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);
    store_version v;
    ck_assert_int_eq(store_find_equivalent(st, "s", exact, norm, 0, &v, &err), 1);
    ck_assert_int_eq(v.version, 1);
    store_version_free(&v);
    unsigned char none[32] = {9};
    ck_assert_int_eq(store_find_equivalent(st, "s", none, norm, 0, &v, &err), 1);
    ck_assert_int_eq(v.version, 2);
    store_version_free(&v);
    ck_assert_int_eq(store_find_equivalent(st, "t", exact, norm, 1, &v, &err), 0);
}
END_TEST

START_TEST(references_and_referrers)
{
    put(1, "base", "base", 1);
    store_ref r = {"Base", "base", 1};
    store_schema s = schema("child");
    s.refs = &r;
    s.n_refs = 1;
    unsigned char h[32];
    store_schema_hash(&s, h);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_schema_insert(st, 2, h, h, &s, &err), 0);
    ck_assert_int_eq(store_version_insert(st, "child", 1, 2, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);

    store_schema out;
    ck_assert_int_eq(store_schema_get(st, 2, &out, &err), 1);
    ck_assert_uint_eq(out.n_refs, 1);
    ck_assert_str_eq(out.refs[0].name, "Base");
    ck_assert_str_eq(out.refs[0].subject, "base");
    ck_assert_int_eq(out.refs[0].version, 1);
    store_schema_free(&out);

    store_ids ids;
    ck_assert_int_eq(store_referenced_by(st, "base", 1, 0, &ids, &err), 0);
    ck_assert_uint_eq(ids.n, 1);
    ck_assert_int_eq(ids.items[0], 2);
    store_ids_free(&ids);
    /* once the referrer is soft-deleted it counts only with include_deleted */
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_set_deleted(st, "child", 1, &err), 0);
    ck_assert_int_eq(store_write_commit(st, &err), 0);
    ck_assert_int_eq(store_referenced_by(st, "base", 1, 0, &ids, &err), 0);
    ck_assert_uint_eq(ids.n, 0);
    store_ids_free(&ids);
    ck_assert_int_eq(store_referenced_by(st, "base", 1, 1, &ids, &err), 0);
    ck_assert_uint_eq(ids.n, 1);
    store_ids_free(&ids);
}
END_TEST

START_TEST(config_and_mode_scopes)
{
    char *v;
    ck_assert_int_eq(store_config_get(st, NULL, &v, &err), 0);
    ck_assert_int_eq(store_config_set(st, NULL, "{\"compatibilityLevel\":\"FULL\"}", &err), 0);
    ck_assert_int_eq(store_config_set(st, "s", "{\"compatibilityLevel\":\"NONE\"}", &err), 0);
    /* an empty subject name is its own scope, not the global one */
    ck_assert_int_eq(store_config_get(st, "", &v, &err), 0);
    ck_assert_int_eq(store_config_get(st, NULL, &v, &err), 1);
    ck_assert_str_eq(v, "{\"compatibilityLevel\":\"FULL\"}");
    free(v);
    ck_assert_int_eq(store_config_get(st, "s", &v, &err), 1);
    ck_assert_str_eq(v, "{\"compatibilityLevel\":\"NONE\"}");
    free(v);
    ck_assert_int_eq(store_config_delete(st, "s", &err), 0);
    ck_assert_int_eq(store_config_get(st, "s", &v, &err), 0);

    ck_assert_int_eq(store_mode_set(st, "s", "IMPORT", &err), 0);
    ck_assert_int_eq(store_mode_get(st, "s", &v, &err), 1);
    ck_assert_str_eq(v, "IMPORT");
    free(v);
    ck_assert_int_eq(store_mode_get(st, NULL, &v, &err), 0);
}
END_TEST

START_TEST(rollback_discards_and_reopen_keeps)
{
    store_schema s = schema("\"int\"");
    unsigned char h[32];
    store_schema_hash(&s, h);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_schema_insert(st, 7, h, h, &s, &err), 0);
    ck_assert_int_eq(store_version_insert(st, "s", 1, 7, &err), 0);
    store_write_rollback(st);
    store_schema out;
    ck_assert_int_eq(store_schema_get_any(st, 7, &out, &err), 0);

    put(8, "\"long\"", "s", 1);
    store_close(st);
    st = store_open(path, &err);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(store_schema_get(st, 8, &out, &err), 1);
    ck_assert_str_eq(out.text, "\"long\"");
    store_schema_free(&out);
}
END_TEST

START_TEST(generation_moves_on_commits_only)
{
    unsigned long long g = store_generation(st);
    put(1, "\"int\"", "s", 1);
    ck_assert(store_generation(st) == g + 1);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_set_deleted(st, "s", 1, &err), 0);
    store_write_rollback(st);
    ck_assert(store_generation(st) == g + 1);
}
END_TEST

START_TEST(duplicate_version_is_a_store_error)
{
    put(1, "\"int\"", "s", 1);
    ck_assert_int_eq(store_write_begin(st, &err), 0);
    ck_assert_int_eq(store_version_insert(st, "s", 1, 1, &err), -1);
    ck_assert_int_eq(err.http, 500);
    ck_assert_int_eq(err.code, 50001);
    store_write_rollback(st);
}
END_TEST

START_TEST(open_fails_cleanly_on_bad_path)
{
    store *bad = store_open("/nonexistent-dir/x/y.db", &err);
    ck_assert_ptr_null(bad);
    ck_assert_int_eq(err.code, 50001);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("sqlite");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, hash_covers_every_part_of_identity);
    tcase_add_test(tc, schema_visible_only_while_a_version_uses_it);
    tcase_add_test(tc, subjects_and_versions);
    tcase_add_test(tc, one_version_by_number_or_latest);
    tcase_add_test(tc, equivalent_prefers_exact_then_newest);
    tcase_add_test(tc, references_and_referrers);
    tcase_add_test(tc, config_and_mode_scopes);
    tcase_add_test(tc, rollback_discards_and_reopen_keeps);
    tcase_add_test(tc, generation_moves_on_commits_only);
    tcase_add_test(tc, duplicate_version_is_a_store_error);
    tcase_add_test(tc, open_fails_cleanly_on_bad_path);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
