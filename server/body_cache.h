/*
 * body_cache: bounded caches of response bodies, keyed by 32 bytes.
 *
 * Each entry is tagged with a generation of the store and ignored once the
 * generation has moved on. Two uses: GET /schemas/ids/{id} (key = the id; an
 * id's content never changes, so the generation is the store's removal
 * generation: only a permanent delete can make the body wrong), and POST
 * /subjects/{s} lookups (key = a digest of the request; the generation moves on
 * every write).
 *
 * Direct-mapped: slot = first 8 key bytes mod size, a newer key evicts an older
 * one. Memory is bounded twice, whatever the number of schemas: by the slot count
 * and by a byte budget for the bodies (a body that does not fit is simply not
 * cached). Striped locks keep the pool threads from contending.
 */
#ifndef SR_BODY_CACHE_H
#define SR_BODY_CACHE_H

#include <stddef.h>

typedef struct body_cache body_cache;

typedef struct cache_key {
    unsigned char b[32];
} cache_key;

/* The key of a schema id. */
cache_key cache_key_id(long long id);

body_cache *body_cache_new(size_t slots, size_t max_bytes);
void body_cache_free(body_cache *c);
/* A malloc'd copy of the body cached for key at generation gen, or NULL. */
char *body_cache_get(body_cache *c, const cache_key *key, unsigned long long gen, size_t *len);
void body_cache_put(body_cache *c, const cache_key *key, unsigned long long gen,
                    const char *body, size_t len);

#endif
