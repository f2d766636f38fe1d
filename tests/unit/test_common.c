/* Unit tests for common/: SHA-256 against FIPS 180-4 vectors, strbuf JSON escaping. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"
#include "common/sr_error.h"
#include "common/strbuf.h"

static void hex(const unsigned char *d, char out[65])
{
    for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_sha(const char *in, size_t repeat, const char *want)
{
    sha256_ctx c;
    unsigned char d[32];
    char h[65];
    sha256_init(&c);
    for (size_t i = 0; i < repeat; i++) sha256_update(&c, in, strlen(in));
    sha256_final(&c, d);
    hex(d, h);
    ck_assert_str_eq(h, want);
}

START_TEST(sha256_vectors)
{
    check_sha("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* one million 'a', fed in uneven chunks to exercise block boundaries */
    check_sha("aaaaaaaaaaaaaaaaaaaaaaaaa", 40000,
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(json_string_escapes_like_jackson)
{
    strbuf sb = STRBUF_INIT;
    strbuf_json_string(&sb, "a\"b\\c\nd\te\x01/é");
    ck_assert_str_eq(sb.data, "\"a\\\"b\\\\c\\nd\\te\\u0001/é\"");
    strbuf_free(&sb);
}
END_TEST

START_TEST(strbuf_grows_and_takes)
{
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 1000; i++) strbuf_printf(&sb, "%d,", i);
    ck_assert_uint_eq(sb.len, strlen(sb.data));
    char *s = strbuf_take(&sb);
    ck_assert(strncmp(s, "0,1,2,", 6) == 0);
    ck_assert_ptr_null(sb.data);
    free(s);
    s = strbuf_take(&sb); /* empty buffer gives "" */
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(sr_fail_fills_error)
{
    sr_error err;
    ck_assert_int_eq(sr_fail(&err, 404, SR_E_SUBJECT_NOT_FOUND, "Subject '%s' not found.", "x"), -1);
    ck_assert_int_eq(err.http, 404);
    ck_assert_int_eq(err.code, 40401);
    ck_assert_str_eq(err.msg, "Subject 'x' not found.");
    ck_assert_int_eq(sr_invalid_schema(&err, "bad %d", 1), -1);
    ck_assert_int_eq(err.http, 422);
    ck_assert_int_eq(err.code, 42201);
    ck_assert_int_eq(sr_fail(NULL, 500, 500, "ignored"), -1);
}
END_TEST

START_TEST(long_messages_live_in_detail)
{
    sr_error err;
    char *big = malloc(5000);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    ck_assert_int_eq(sr_fail_owned(&err, 409, 409, big), -1);
    ck_assert_uint_eq(strlen(sr_error_text(&err)), 4999); /* whole, not cut at msg's size */
    ck_assert_uint_eq(strlen(err.msg), SR_ERROR_MSG_MAX - 1);
    sr_error_clear(&err);
    ck_assert_ptr_null(err.detail);
    sr_error_clear(&err); /* twice is harmless */
    sr_fail(&err, 400, 400, "short");
    ck_assert_str_eq(sr_error_text(&err), "short");
    ck_assert_int_eq(sr_fail_owned(NULL, 409, 409, strdup("dropped")), -1); /* no leak */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, json_string_escapes_like_jackson);
    tcase_add_test(tc, strbuf_grows_and_takes);
    tcase_add_test(tc, sr_fail_fills_error);
    tcase_add_test(tc, long_messages_live_in_detail);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
