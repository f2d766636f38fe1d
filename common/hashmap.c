/*
 * hashmap.c: the one open-addressing table behind strmap, ptrmap and pairmap.
 *
 * Keys and values sit in two parallel arrays. A NULL key marks an empty slot
 * (so keys are never NULL: strings and pointers in use, or a pointer to a
 * pair). Lookups probe linearly from the key's hash until they meet the key or
 * an empty slot, touching only the keys array. The table doubles before a put
 * would take the load past 0.7, so there is always an empty slot and probe
 * runs stay short. Nothing is ever removed, so no tombstones are needed.
 *
 * The values array is allocated with the first value that is not NULL: a map
 * used as a set (the duplicate checks of hostile 100k-name schemas) costs one
 * pointer a slot, as a hand-written set would.
 *
 * The flavours differ only in hash_key and same_key. The core functions are
 * inline and each public function passes its flavour as a constant, so every
 * flavour gets its own probe loop with the hash and comparison folded in.
 */
#include "hashmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define MIN_CAP 16

typedef enum hm_kind { HM_STR, HM_PTR, HM_PAIR } hm_kind;

/* MurmurHash3's 64-bit finalizer: every input bit reaches the low bits, which
 * are the ones a power-of-two table uses (a pointer's low bits are alignment
 * zeros). */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static inline uint64_t hash_key(hm_kind kind, const void *key)
{
    switch (kind) {
    case HM_STR: {
        /* FNV-1a. Its low k bits depend only on the low k bits of each byte,
         * so fold the high half (which depends on all of them) down. */
        uint64_t h = 1469598103934665603ull;
        for (const unsigned char *s = key; *s; s++) h = (h ^ *s) * 1099511628211ull;
        return h ^ (h >> 32);
    }
    case HM_PTR:
        return mix64((uint64_t)(uintptr_t)key);
    case HM_PAIR: {
        /* b is mixed before it meets a, so that (a, b) and (b, a) differ */
        const ptrpair *p = key;
        return mix64((uint64_t)(uintptr_t)p->a ^ mix64((uint64_t)(uintptr_t)p->b));
    }
    }
    return 0;
}

static inline int same_key(hm_kind kind, const void *stored, const void *key)
{
    switch (kind) {
    case HM_STR:
        return strcmp(stored, key) == 0;
    case HM_PTR:
        return stored == key;
    case HM_PAIR: {
        const ptrpair *x = stored, *y = key;
        return x->a == y->a && x->b == y->b;
    }
    }
    return 0;
}

/* The index of key's slot, or of the empty slot where it would go. cap > 0. */
static inline size_t find_slot(const hashmap *h, hm_kind kind, const void *key)
{
    size_t mask = h->cap - 1;
    for (size_t i = hash_key(kind, key) & mask;; i = (i + 1) & mask) {
        const void *k = h->keys[i];
        if (!k || same_key(kind, k, key)) return i;
    }
}

static void grow(hashmap *h, hm_kind kind)
{
    const void **old_keys = h->keys;
    void **old_vals = h->vals;
    size_t old_cap = h->cap;
    h->cap = old_cap ? old_cap * 2 : MIN_CAP;
    h->keys = xcalloc(h->cap, sizeof *h->keys);
    h->vals = old_vals ? xcalloc(h->cap, sizeof *h->vals) : NULL;
    /* The keys are distinct: each goes to the first empty slot of its run. */
    for (size_t i = 0; i < old_cap; i++) {
        if (!old_keys[i]) continue;
        size_t j = hash_key(kind, old_keys[i]) & (h->cap - 1);
        while (h->keys[j]) j = (j + 1) & (h->cap - 1);
        h->keys[j] = old_keys[i];
        if (old_vals) h->vals[j] = old_vals[i];
    }
    free(old_keys);
    free(old_vals);
}

static inline int has(const hashmap *h, hm_kind kind, const void *key)
{
    return h->cap && h->keys[find_slot(h, kind, key)] != NULL;
}

static inline void *get(const hashmap *h, hm_kind kind, const void *key)
{
    if (!h->vals) return NULL; /* empty, or every value is NULL */
    size_t i = find_slot(h, kind, key);
    return h->keys[i] ? h->vals[i] : NULL;
}

/* Adds key -> val if key is new (returns 1); otherwise returns 0, replacing
 * the value only if `replace`. */
static inline int put(hashmap *h, hm_kind kind, const void *key, void *val, int replace)
{
    if ((h->n + 1) * 10 > h->cap * 7) grow(h, kind);
    size_t i = find_slot(h, kind, key);
    int is_new = h->keys[i] == NULL;
    if (!is_new && !replace) return 0;
    if (is_new) {
        h->keys[i] = key;
        h->n++;
    }
    if (val && !h->vals) h->vals = xcalloc(h->cap, sizeof *h->vals);
    if (h->vals) h->vals[i] = val;
    return is_new;
}

static void release(hashmap *h)
{
    free(h->keys);
    free(h->vals);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------------------ */
/* the flavours                                                              */

void *strmap_get(const strmap *m, const char *key)
{
    return get(&m->h, HM_STR, key);
}

int strmap_has(const strmap *m, const char *key)
{
    return has(&m->h, HM_STR, key);
}

int strmap_put(strmap *m, const char *key, void *val)
{
    return put(&m->h, HM_STR, key, val, 0);
}

void strmap_free(strmap *m)
{
    release(&m->h);
}

void *ptrmap_get(const ptrmap *m, const void *key)
{
    return get(&m->h, HM_PTR, key);
}

int ptrmap_put(ptrmap *m, const void *key, void *val)
{
    return put(&m->h, HM_PTR, key, val, 0);
}

void ptrmap_set(ptrmap *m, const void *key, void *val)
{
    put(&m->h, HM_PTR, key, val, 1);
}

void ptrmap_free(ptrmap *m)
{
    release(&m->h);
}

void *pairmap_get(const pairmap *m, const void *a, const void *b)
{
    ptrpair key = {a, b};
    return get(&m->h, HM_PAIR, &key);
}

int pairmap_put(pairmap *m, const ptrpair *key, void *val)
{
    return put(&m->h, HM_PAIR, key, val, 0);
}

int pairmap_next(const pairmap *m, size_t *pos, void **val)
{
    for (; *pos < m->h.cap; (*pos)++)
        if (m->h.keys[*pos]) {
            *val = m->h.vals ? m->h.vals[*pos] : NULL;
            (*pos)++;
            return 1;
        }
    return 0;
}

void pairmap_free(pairmap *m)
{
    release(&m->h);
}
