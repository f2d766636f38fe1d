#include "body_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"

#define STRIPES 64

typedef struct slot {
    cache_key key;
    unsigned long long gen;
    char *body; /* NULL = empty */
    size_t len;
} slot;

struct body_cache {
    slot *slots;
    size_t n;
    size_t max_bytes;
    atomic_size_t bytes; /* sum of the cached bodies' lengths (a soft budget) */
    pthread_mutex_t locks[STRIPES];
};

cache_key cache_key_id(long long id)
{
    cache_key k;
    memset(&k, 0, sizeof k);
    uint64_t v = (uint64_t)id;
    memcpy(k.b, &v, sizeof v);
    return k;
}

body_cache *body_cache_new(size_t slots, size_t max_bytes)
{
    body_cache *c = xcalloc(1, sizeof *c);
    c->n = slots ? slots : 1;
    c->max_bytes = max_bytes;
    c->slots = xcalloc(c->n, sizeof *c->slots);
    for (int i = 0; i < STRIPES; i++) pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

void body_cache_free(body_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) free(c->slots[i].body);
    for (int i = 0; i < STRIPES; i++) pthread_mutex_destroy(&c->locks[i]);
    free(c->slots);
    free(c);
}

static size_t index_of(const body_cache *c, const cache_key *key)
{
    uint64_t v;
    memcpy(&v, key->b, sizeof v);
    return (size_t)(v % c->n);
}

static int same_key(const slot *s, const cache_key *key)
{
    return s->body && memcmp(s->key.b, key->b, sizeof key->b) == 0;
}

char *body_cache_get(body_cache *c, const cache_key *key, unsigned long long gen, size_t *len)
{
    size_t i = index_of(c, key);
    pthread_mutex_t *m = &c->locks[i % STRIPES];
    char *out = NULL;
    pthread_mutex_lock(m);
    if (same_key(&c->slots[i], key) && c->slots[i].gen == gen) {
        out = xstrndup(c->slots[i].body, c->slots[i].len);
        *len = c->slots[i].len;
    }
    pthread_mutex_unlock(m);
    return out;
}

void body_cache_put(body_cache *c, const cache_key *key, unsigned long long gen,
                    const char *body, size_t len)
{
    size_t i = index_of(c, key);
    pthread_mutex_t *m = &c->locks[i % STRIPES];
    pthread_mutex_lock(m);
    size_t freed = c->slots[i].body ? c->slots[i].len : 0;
    if (atomic_load(&c->bytes) - freed + len <= c->max_bytes) {
        free(c->slots[i].body);
        c->slots[i] = (slot){.key = *key, .gen = gen, .body = xstrndup(body, len), .len = len};
        atomic_fetch_sub(&c->bytes, freed);
        atomic_fetch_add(&c->bytes, len);
    }
    pthread_mutex_unlock(m);
}
