/* Unit tests for common/: SHA-256 against FIPS 180-4 vectors, strbuf JSON escaping,
 * the hash maps. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hashmap.h"
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

/* --- hashmap ---------------------------------------------------------------------- */

#define MANY 100000

/* For loops of many checks: check's ck_assert records every assertion it passes
 * (a write each), this costs nothing until it fails. */
#define LOOP_ASSERT(cond) \
    do { \
        if (!(cond)) ck_abort_msg("Assertion '%s' failed", #cond); \
    } while (0)

/* Keys the caller owns (the maps borrow them): "k0" ... "k<n-1>". */
static char **numbered_keys(const char *prefix, size_t n)
{
    char **keys = malloc(n * sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%s%zu", prefix, i);
        keys[i] = strdup(buf);
    }
    return keys;
}

static void free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++) free(keys[i]);
    free(keys);
}

START_TEST(strmap_grows_through_many_inserts)
{
    char **keys = numbered_keys("k", MANY);
    strmap m = {0};
    ck_assert_ptr_null(strmap_get(&m, "k0")); /* empty: nothing allocated, nothing found */
    for (size_t i = 0; i < MANY; i++) {
        LOOP_ASSERT(strmap_put(&m, keys[i], (void *)(uintptr_t)(i + 1)) == 1);
        /* the first key survives every growth */
        LOOP_ASSERT(strmap_get(&m, "k0") == (void *)(uintptr_t)1);
    }
    ck_assert_uint_eq(m.h.n, MANY);
    /* load factor at most 0.7, capacity a power of two */
    ck_assert_uint_le(m.h.n * 10, m.h.cap * 7);
    ck_assert_uint_eq(m.h.cap & (m.h.cap - 1), 0);
    for (size_t i = 0; i < MANY; i++) {
        char probe[32]; /* equal text at another address: keys compare by content */
        snprintf(probe, sizeof probe, "k%zu", i);
        LOOP_ASSERT(strmap_get(&m, probe) == (void *)(uintptr_t)(i + 1));
    }
    ck_assert_ptr_null(strmap_get(&m, "k100000"));
    ck_assert_ptr_null(strmap_get(&m, "k"));
    ck_assert_ptr_null(strmap_get(&m, ""));
    strmap_free(&m);
    ck_assert_ptr_null(m.h.keys);
    ck_assert_uint_eq(m.h.n, 0);
    ck_assert_ptr_null(strmap_get(&m, "k0"));
    free_keys(keys, MANY);
}
END_TEST

START_TEST(strmap_put_keeps_the_first_value)
{
    strmap m = {0};
    char a[] = "name", b[] = "name";
    int one = 1, two = 2;
    ck_assert_int_eq(strmap_put(&m, a, &one), 1);
    ck_assert_int_eq(strmap_put(&m, b, &two), 0); /* same text: not new, not replaced */
    ck_assert_ptr_eq(strmap_get(&m, "name"), &one);
    ck_assert_int_eq(strmap_put(&m, "", &two), 1); /* the empty string is a key like any */
    ck_assert_ptr_eq(strmap_get(&m, ""), &two);
    ck_assert_uint_eq(m.h.n, 2);
    strmap_free(&m);
    /* a freed map is empty and usable again */
    ck_assert_int_eq(strmap_put(&m, a, &two), 1);
    ck_assert_ptr_eq(strmap_get(&m, "name"), &two);
    strmap_free(&m);
    strmap_free(&m); /* twice is harmless */
}
END_TEST

START_TEST(strmap_as_a_set)
{
    /* duplicate detection, values NULL: has tells present from absent */
    const char *words[] = {"b", "a", "c", "a", "bb", "b", "ab", "ba", "c"};
    const int fresh[] = {1, 1, 1, 0, 1, 0, 1, 1, 0};
    strmap seen = {0};
    ck_assert(!strmap_has(&seen, "a"));
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        ck_assert_int_eq(strmap_put(&seen, words[i], NULL), fresh[i]);
    ck_assert(strmap_has(&seen, "a"));
    ck_assert(strmap_has(&seen, "ab"));
    ck_assert(strmap_has(&seen, "ba"));
    ck_assert(!strmap_has(&seen, "aa"));
    ck_assert(!strmap_has(&seen, ""));
    ck_assert_ptr_null(strmap_get(&seen, "a")); /* present, with a NULL value */
    strmap_free(&seen);
}
END_TEST

START_TEST(values_after_a_set)
{
    /* A map starts as a set (no values kept) until a value other than NULL
     * comes; the keys put before keep NULL, through later growth too. */
    char **keys = numbered_keys("v", 1000);
    strmap m = {0};
    for (size_t i = 0; i < 10; i++) ck_assert_int_eq(strmap_put(&m, keys[i], NULL), 1);
    ck_assert_ptr_null(strmap_get(&m, "v3"));
    ck_assert(strmap_has(&m, "v3"));
    for (size_t i = 10; i < 1000; i++) LOOP_ASSERT(strmap_put(&m, keys[i], keys[i]) == 1);
    for (size_t i = 0; i < 1000; i++) {
        LOOP_ASSERT(strmap_has(&m, keys[i]));
        LOOP_ASSERT(strmap_get(&m, keys[i]) == (i < 10 ? NULL : keys[i]));
    }
    strmap_free(&m);

    int a = 0, b = 0, v = 0;
    pairmap pm = {0};
    ptrpair k1 = {&a, &b}, k2 = {&b, &a};
    ck_assert_int_eq(pairmap_put(&pm, &k1, NULL), 1);
    size_t pos = 0;
    void *val = &v;
    ck_assert_int_eq(pairmap_next(&pm, &pos, &val), 1);
    ck_assert_ptr_null(val);
    ck_assert_int_eq(pairmap_next(&pm, &pos, &val), 0);
    ck_assert_int_eq(pairmap_put(&pm, &k2, &v), 1);
    ck_assert_ptr_null(pairmap_get(&pm, &a, &b));
    ck_assert_ptr_eq(pairmap_get(&pm, &b, &a), &v);
    pairmap_free(&pm);
    free_keys(keys, 1000);
}
END_TEST

START_TEST(strmap_keys_that_collide)
{
    /* Keys alike but for one character, at each position, and prefixes of each
     * other: thousands land in the same probe runs of a small table and must
     * still be told apart (linear probing wraps around the table's end). */
    enum { LEN = 12 };
    size_t n = 0;
    char **keys = malloc((LEN * 256 + LEN) * sizeof *keys);
    for (size_t pos = 0; pos < LEN; pos++)
        for (int c = 1; c < 256; c++) {
            char *k = malloc(LEN + 1);
            memset(k, 'x', LEN);
            k[LEN] = '\0';
            k[pos] = (char)c;
            if (c == 'x' && pos > 0) { /* "xxxx..." once only */
                free(k);
                continue;
            }
            keys[n++] = k;
        }
    for (size_t len = 0; len < LEN; len++) { /* "", "x", "xx", ... */
        char *k = malloc(LEN + 1);
        memset(k, 'x', len);
        k[len] = '\0';
        keys[n++] = k;
    }
    strmap m = {0};
    for (size_t i = 0; i < n; i++) LOOP_ASSERT(strmap_put(&m, keys[i], keys[i]) == 1);
    for (size_t i = 0; i < n; i++) {
        char copy[LEN + 1];
        strcpy(copy, keys[i]);
        LOOP_ASSERT(strmap_get(&m, copy) == keys[i]);
        LOOP_ASSERT(strmap_put(&m, copy, NULL) == 0);
    }
    ck_assert_uint_eq(m.h.n, n);
    strmap_free(&m);
    for (size_t i = 0; i < n; i++) free(keys[i]);
    free(keys);
}
END_TEST

START_TEST(ptrmap_keys_by_identity)
{
    /* Adjacent array elements: addresses that differ only in a few low bits
     * (alignment zeros below them), the usual keys of node sets. */
    double *nodes = calloc(MANY, sizeof *nodes);
    ptrmap m = {0};
    ck_assert_ptr_null(ptrmap_get(&m, &nodes[0]));
    for (size_t i = 0; i < MANY; i++)
        LOOP_ASSERT(ptrmap_put(&m, &nodes[i], &nodes[MANY - 1 - i]) == 1);
    for (size_t i = 0; i < MANY; i++) {
        LOOP_ASSERT(ptrmap_get(&m, &nodes[i]) == &nodes[MANY - 1 - i]);
        LOOP_ASSERT(ptrmap_put(&m, &nodes[i], NULL) == 0);
    }
    ck_assert_uint_eq(m.h.n, MANY);
    /* equal contents at another address are another key */
    char a[] = "same", b[] = "same";
    ck_assert_int_eq(ptrmap_put(&m, a, a), 1);
    ck_assert_int_eq(ptrmap_put(&m, b, b), 1);
    ck_assert_ptr_eq(ptrmap_get(&m, a), a);
    ck_assert_ptr_eq(ptrmap_get(&m, b), b);
    ptrmap_free(&m);
    free(nodes);
}
END_TEST

START_TEST(ptrmap_set_replaces)
{
    int k1 = 0, k2 = 0, v1 = 0, v2 = 0;
    ptrmap m = {0};
    ptrmap_set(&m, &k1, &v1); /* set adds a new key ... */
    ck_assert_ptr_eq(ptrmap_get(&m, &k1), &v1);
    ck_assert_int_eq(ptrmap_put(&m, &k1, &v2), 0); /* ... put does not replace ... */
    ck_assert_ptr_eq(ptrmap_get(&m, &k1), &v1);
    ptrmap_set(&m, &k1, &v2); /* ... set does */
    ck_assert_ptr_eq(ptrmap_get(&m, &k1), &v2);
    ptrmap_set(&m, &k1, NULL); /* a NULL value: the key stays */
    ck_assert_ptr_null(ptrmap_get(&m, &k1));
    ck_assert_uint_eq(m.h.n, 1);
    ck_assert_int_eq(ptrmap_put(&m, &k1, &v1), 0);
    ck_assert_ptr_null(ptrmap_get(&m, &k2));
    ck_assert_int_eq(ptrmap_put(&m, &k2, &v1), 1);
    ck_assert_uint_eq(m.h.n, 2);
    ptrmap_free(&m);
}
END_TEST

/* A memo entry the way the checkers keep them: the key lives in the value. */
typedef struct memo {
    ptrpair key;
    int seen;
} memo;

START_TEST(pairmap_pairs_and_iteration)
{
    enum { N = 300 }; /* N * N pairs of N nodes */
    static char nodes[N];
    memo *memos = calloc((size_t)N * N, sizeof *memos);
    pairmap m = {0};
    size_t pos = 0;
    void *v;
    ck_assert_int_eq(pairmap_next(&m, &pos, &v), 0); /* empty */
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            memo *e = &memos[i * N + j];
            e->key = (ptrpair){&nodes[i], &nodes[j]};
            LOOP_ASSERT(pairmap_put(&m, &e->key, e) == 1);
        }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) /* (a, b) and (b, a) are different keys */
            LOOP_ASSERT(pairmap_get(&m, &nodes[i], &nodes[j]) == &memos[i * N + j]);
    ptrpair again = {&nodes[1], &nodes[2]};
    ck_assert_int_eq(pairmap_put(&m, &again, NULL), 0);
    ck_assert_ptr_eq(pairmap_get(&m, &nodes[1], &nodes[2]), &memos[1 * N + 2]);
    ck_assert_ptr_null(pairmap_get(&m, &nodes[1], NULL));
    ck_assert_ptr_null(pairmap_get(&m, nodes, nodes + N));
    /* iteration visits every value once */
    size_t count = 0;
    pos = 0;
    while (pairmap_next(&m, &pos, &v)) {
        memo *e = v;
        LOOP_ASSERT(e->seen == 0);
        e->seen = 1;
        count++;
    }
    ck_assert_uint_eq(count, (size_t)N * N);
    ck_assert_int_eq(pairmap_next(&m, &pos, &v), 0); /* stays at the end */
    pairmap_free(&m);
    free(memos);
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
    TCase *hm = tcase_create("hashmap");
    tcase_add_test(hm, strmap_grows_through_many_inserts);
    tcase_add_test(hm, strmap_put_keeps_the_first_value);
    tcase_add_test(hm, strmap_as_a_set);
    tcase_add_test(hm, values_after_a_set);
    tcase_add_test(hm, strmap_keys_that_collide);
    tcase_add_test(hm, ptrmap_keys_by_identity);
    tcase_add_test(hm, ptrmap_set_replaces);
    tcase_add_test(hm, pairmap_pairs_and_iteration);
    suite_add_tcase(s, hm);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
