/*
 * id_cache: a bounded cache of GET /schemas/ids/{id} response bodies.
 *
 * Schema content never changes for an id, so a body stays valid until the last
 * version using the id is permanently deleted (id_cache_forget). Direct-mapped:
 * slot = id mod size, a newer id evicts an older one. Memory is bounded twice,
 * whatever the number of schemas: by the slot count and by a byte budget for the
 * bodies (a body that does not fit is simply not cached). Striped locks keep the
 * pool threads from contending.
 */
#ifndef SR_ID_CACHE_H
#define SR_ID_CACHE_H

#include <stddef.h>

typedef struct id_cache id_cache;

id_cache *id_cache_new(size_t slots, size_t max_bytes);
void id_cache_free(id_cache *c);
/* A malloc'd copy of the cached body for id, or NULL. */
char *id_cache_get(id_cache *c, long long id, size_t *len);
void id_cache_put(id_cache *c, long long id, const char *body, size_t len);
void id_cache_forget(id_cache *c, long long id);

#endif
