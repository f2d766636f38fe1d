/* Unit tests for the server's pure parts: settings, the id cache, path-parameter
 * parsing and pagination. HTTP behaviour is tested end to end in tests/api. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "server/body_cache.h"
#include "server/settings.h"
#include "server/views.h"

START_TEST(settings_defaults_and_keys)
{
    settings s;
    char err[256];
    settings_defaults(&s);
    ck_assert_str_eq(s.host, "0.0.0.0");
    ck_assert_int_eq(s.port, 8081);
    ck_assert_int_eq(s.default_level, COMPAT_BACKWARD);
    ck_assert_int_eq(s.mode_mutability, 1);
    ck_assert_int_eq(settings_apply(&s, "listeners", "http://127.0.0.1:9000,http://x:1", err,
                                    sizeof err), 0);
    ck_assert_str_eq(s.host, "127.0.0.1");
    ck_assert_int_eq(s.port, 9000);
    ck_assert_int_eq(settings_apply(&s, "listeners", "[::1]:8082", err, sizeof err), 0);
    ck_assert_str_eq(s.host, "::1");
    ck_assert_int_eq(settings_apply(&s, "schema.compatibility.level", "full_transitive", err,
                                    sizeof err), 0);
    ck_assert_int_eq(s.default_level, COMPAT_FULL_TRANSITIVE);
    ck_assert_int_eq(settings_apply(&s, "mode.mutability", "FALSE", err, sizeof err), 0);
    ck_assert_int_eq(s.mode_mutability, 0);
    ck_assert_int_eq(settings_apply(&s, "some.unknown.key", "x", err, sizeof err), 0);
}
END_TEST

START_TEST(settings_reject_bad_values)
{
    settings s;
    char err[256];
    settings_defaults(&s);
    ck_assert_int_eq(settings_apply(&s, "listeners", "https://0.0.0.0:8081", err, sizeof err), -1);
    ck_assert_int_eq(settings_apply(&s, "listeners", "0.0.0.0:99999", err, sizeof err), -1);
    ck_assert_int_eq(settings_apply(&s, "schema.compatibility.level", "sideways", err,
                                    sizeof err), -1);
    ck_assert(strstr(err, "schema.compatibility.level") != NULL);
    ck_assert_int_eq(settings_apply(&s, "request.max.bytes", "-1", err, sizeof err), -1);
    ck_assert_int_eq(settings_apply(&s, "mode.mutability", "maybe", err, sizeof err), -1);
}
END_TEST

START_TEST(settings_from_env)
{
    settings s;
    char err[256];
    settings_defaults(&s);
    setenv("SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL", "none", 1);
    setenv("SCHEMA_REGISTRY_DB_PATH", "/tmp/x.db", 1);
    ck_assert_int_eq(settings_load_env(&s, err, sizeof err), 0);
    ck_assert_int_eq(s.default_level, COMPAT_NONE);
    ck_assert_str_eq(s.db_path, "/tmp/x.db");
    unsetenv("SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL");
    unsetenv("SCHEMA_REGISTRY_DB_PATH");
}
END_TEST

static char *get_id(body_cache *c, long long id, size_t *len)
{
    cache_key k = cache_key_id(id);
    return body_cache_get(c, &k, 0, len);
}

static void put_id(body_cache *c, long long id, const char *body)
{
    cache_key k = cache_key_id(id);
    body_cache_put(c, &k, 0, body, strlen(body));
}

START_TEST(cache_bounded)
{
    body_cache *c = body_cache_new(4, 1 << 20);
    size_t len;
    put_id(c, 1, "one");
    char *b = get_id(c, 1, &len);
    ck_assert_str_eq(b, "one");
    ck_assert_uint_eq(len, 3);
    free(b);
    put_id(c, 5, "five"); /* same slot: evicts id 1 */
    ck_assert_ptr_null(get_id(c, 1, &len));
    b = get_id(c, 5, &len);
    ck_assert_str_eq(b, "five");
    free(b);
    body_cache_free(c);
}
END_TEST

START_TEST(cache_byte_budget)
{
    body_cache *c = body_cache_new(8, 10);
    size_t len;
    put_id(c, 1, "123456");
    put_id(c, 2, "12345"); /* 11 bytes would exceed the budget: not cached */
    ck_assert_ptr_null(get_id(c, 2, &len));
    put_id(c, 9, "1234"); /* replaces id 1's body in slot 1: 4 bytes in all */
    char *b = get_id(c, 9, &len);
    ck_assert_str_eq(b, "1234");
    free(b);
    put_id(c, 2, "12345"); /* 9 bytes: fits now */
    b = get_id(c, 2, &len);
    ck_assert_ptr_nonnull(b);
    free(b);
    body_cache_free(c);
}
END_TEST

START_TEST(cache_generations)
{
    body_cache *c = body_cache_new(16, 1 << 20);
    cache_key k;
    memset(&k, 7, sizeof k);
    size_t len;
    body_cache_put(c, &k, 3, "answer", 6);
    char *b = body_cache_get(c, &k, 3, &len);
    ck_assert_str_eq(b, "answer");
    free(b);
    ck_assert_ptr_null(body_cache_get(c, &k, 4, &len)); /* a write happened since */
    cache_key other = k;
    other.b[31] ^= 1; /* same slot (first 8 bytes), different key */
    ck_assert_ptr_null(body_cache_get(c, &other, 3, &len));
    body_cache_free(c);
}
END_TEST

START_TEST(version_param)
{
    int v;
    sr_error err;
    ck_assert_int_eq(view_parse_version("latest", &v, &err), 0);
    ck_assert_int_eq(v, -1);
    ck_assert_int_eq(view_parse_version(" LaTeSt ", &v, &err), 0);
    ck_assert_int_eq(view_parse_version("-1", &v, &err), 0);
    ck_assert_int_eq(v, -1);
    ck_assert_int_eq(view_parse_version("2147483647", &v, &err), 0);
    ck_assert_int_eq(v, 2147483647);
    const char *bad[] = {"0", "-2", "abc", "2147483648", "", "1x", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(view_parse_version(bad[i], &v, &err), -1);
        ck_assert_int_eq(err.code, 42202);
    }
}
END_TEST

START_TEST(id_param_and_subject)
{
    long long id;
    sr_error err;
    ck_assert_int_eq(view_parse_id("42", &id, &err), 0);
    ck_assert_int_eq(id, 42);
    ck_assert_int_eq(view_parse_id("abc", &id, &err), -1);
    ck_assert_int_eq(err.code, 404);
    ck_assert_int_eq(view_parse_id("", &id, &err), -1);
    ck_assert_str_eq(view_subject(":.:orders"), "orders");
    ck_assert_str_eq(view_subject("orders"), "orders");
}
END_TEST

START_TEST(paginate)
{
    json_t *a = json_pack("[i,i,i,i,i]", 1, 2, 3, 4, 5);
    view_paginate(a, 1, 2);
    ck_assert_uint_eq(json_array_size(a), 2);
    ck_assert_int_eq(json_integer_value(json_array_get(a, 0)), 2);
    json_decref(a);
    a = json_pack("[i,i]", 1, 2);
    view_paginate(a, 5, -1);
    ck_assert_uint_eq(json_array_size(a), 0);
    json_decref(a);
    a = json_pack("[i,i]", 1, 2);
    view_paginate(a, 0, 0); /* limit <= 0: everything */
    ck_assert_uint_eq(json_array_size(a), 2);
    json_decref(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("server_parts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, settings_defaults_and_keys);
    tcase_add_test(tc, settings_reject_bad_values);
    tcase_add_test(tc, settings_from_env);
    tcase_add_test(tc, cache_bounded);
    tcase_add_test(tc, cache_byte_budget);
    tcase_add_test(tc, cache_generations);
    tcase_add_test(tc, version_param);
    tcase_add_test(tc, id_param_and_subject);
    tcase_add_test(tc, paginate);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
