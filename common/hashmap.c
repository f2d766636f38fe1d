/*
 * hashmap.c: the one open-addressing table behind strmap, ptrmap and pairmap.
 *
 * A slot is a borrowed key and its value; a NULL key marks an empty slot (so
 * keys are never NULL: strings and pointers in use, or a pointer to a pair).
 * Lookups probe linearly from the key's hash until they meet the key or an
 * empty slot. The table doubles before a put would take the load past 0.7, so
 * there is always an empty slot and probe runs stay short. Nothing is ever
 * removed, so no tombstones are needed.
 *
 * The flavours differ only in hash_key and same_key; each public function
 * passes its flavour as a constant, which the compiler folds into the probe
 * loop.
 */
#include "hashmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define MIN_CAP 16

struct hashmap_slot {
    const void *key; /* NULL: empty */
    void *val;
};

typedef enum hm_kind { HM_STR, HM_PTR, HM_PAIR } hm_kind;

/* A 64-bit finalizer (MurmurHash3's fmix64): every input bit reaches the low
 * bits, which are the ones a power-of-two table uses. Pointers need it (their
 * low bits are alignment zeros), and it evens out FNV's weak low bits. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint64_t hash_key(hm_kind kind, const void *key)
{
    switch (kind) {
    case HM_STR: { /* FNV-1a */
        uint64_t h = 1469598103934665603ull;
        for (const unsigned char *s = key; *s; s++) h = (h ^ *s) * 1099511628211ull;
        return mix64(h);
    }
    case HM_PTR:
        return mix64((uint64_t)(uintptr_t)key);
    case HM_PAIR: {
        /* mix b before combining, so that (a, b) and (b, a) differ */
        const ptrpair *p = key;
        return mix64((uint64_t)(uintptr_t)p->a ^ mix64((uint64_t)(uintptr_t)p->b));
    }
    }
    return 0;
}

static int same_key(hm_kind kind, const void *stored, const void *key)
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

/* The slot holding key, or the empty slot where it would go. cap > 0. */
static struct hashmap_slot *find_slot(const hashmap *h, hm_kind kind, const void *key)
{
    size_t mask = h->cap - 1;
    for (size_t i = hash_key(kind, key) & mask;; i = (i + 1) & mask) {
        struct hashmap_slot *s = &h->slots[i];
        if (!s->key || same_key(kind, s->key, key)) return s;
    }
}

static void grow(hashmap *h, hm_kind kind)
{
    struct hashmap_slot *old = h->slots;
    size_t old_cap = h->cap;
    h->cap = old_cap ? old_cap * 2 : MIN_CAP;
    h->slots = xcalloc(h->cap, sizeof *h->slots);
    /* The keys are distinct: each goes to the first empty slot of its run. */
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].key) continue;
        size_t j = hash_key(kind, old[i].key) & (h->cap - 1);
        while (h->slots[j].key) j = (j + 1) & (h->cap - 1);
        h->slots[j] = old[i];
    }
    free(old);
}

static struct hashmap_slot *lookup(const hashmap *h, hm_kind kind, const void *key)
{
    if (!h->cap) return NULL;
    struct hashmap_slot *s = find_slot(h, kind, key);
    return s->key ? s : NULL;
}

static void *get(const hashmap *h, hm_kind kind, const void *key)
{
    const struct hashmap_slot *s = lookup(h, kind, key);
    return s ? s->val : NULL;
}

/* Adds key -> val if key is new (returns 1); otherwise returns 0, replacing
 * the value only if `replace`. */
static int put(hashmap *h, hm_kind kind, const void *key, void *val, int replace)
{
    if ((h->n + 1) * 10 > h->cap * 7) grow(h, kind);
    struct hashmap_slot *s = find_slot(h, kind, key);
    if (s->key) {
        if (replace) s->val = val;
        return 0;
    }
    s->key = key;
    s->val = val;
    h->n++;
    return 1;
}

static void release(hashmap *h)
{
    free(h->slots);
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
    return lookup(&m->h, HM_STR, key) != NULL;
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

int ptrmap_has(const ptrmap *m, const void *key)
{
    return lookup(&m->h, HM_PTR, key) != NULL;
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
        if (m->h.slots[*pos].key) {
            *val = m->h.slots[(*pos)++].val;
            return 1;
        }
    return 0;
}

void pairmap_free(pairmap *m)
{
    release(&m->h);
}
