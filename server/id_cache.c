#include "id_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"

#define STRIPES 64

typedef struct slot {
    long long id; /* 0 = empty (ids start at 1) */
    char *body;
    size_t len;
} slot;

struct id_cache {
    slot *slots;
    size_t n;
    size_t max_bytes;
    atomic_size_t bytes; /* sum of the cached bodies' lengths */
    pthread_mutex_t locks[STRIPES];
};

id_cache *id_cache_new(size_t slots, size_t max_bytes)
{
    id_cache *c = xcalloc(1, sizeof *c);
    c->n = slots ? slots : 1;
    c->max_bytes = max_bytes;
    c->slots = xcalloc(c->n, sizeof *c->slots);
    for (int i = 0; i < STRIPES; i++) pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

void id_cache_free(id_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) free(c->slots[i].body);
    for (int i = 0; i < STRIPES; i++) pthread_mutex_destroy(&c->locks[i]);
    free(c->slots);
    free(c);
}

static size_t index_of(const id_cache *c, long long id)
{
    return (size_t)((unsigned long long)id % c->n);
}

char *id_cache_get(id_cache *c, long long id, size_t *len)
{
    size_t i = index_of(c, id);
    pthread_mutex_t *m = &c->locks[i % STRIPES];
    char *out = NULL;
    pthread_mutex_lock(m);
    if (c->slots[i].id == id && c->slots[i].body) {
        out = xstrndup(c->slots[i].body, c->slots[i].len);
        *len = c->slots[i].len;
    }
    pthread_mutex_unlock(m);
    return out;
}

void id_cache_put(id_cache *c, long long id, const char *body, size_t len)
{
    size_t i = index_of(c, id);
    pthread_mutex_t *m = &c->locks[i % STRIPES];
    pthread_mutex_lock(m);
    size_t freed = c->slots[i].body ? c->slots[i].len : 0;
    if (atomic_load(&c->bytes) - freed + len <= c->max_bytes) {
        free(c->slots[i].body);
        c->slots[i] = (slot){.id = id, .body = xstrndup(body, len), .len = len};
        atomic_fetch_sub(&c->bytes, freed);
        atomic_fetch_add(&c->bytes, len);
    }
    pthread_mutex_unlock(m);
}

void id_cache_forget(id_cache *c, long long id)
{
    size_t i = index_of(c, id);
    pthread_mutex_t *m = &c->locks[i % STRIPES];
    pthread_mutex_lock(m);
    if (c->slots[i].id == id) {
        atomic_fetch_sub(&c->bytes, c->slots[i].body ? c->slots[i].len : 0);
        free(c->slots[i].body);
        c->slots[i] = (slot){0};
    }
    pthread_mutex_unlock(m);
}
