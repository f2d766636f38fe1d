/*
 * id_cache: a bounded cache of GET /schemas/ids/{id} response bodies.
 *
 * Schema content never changes for an id, so a body stays valid until the last
 * version using the id is permanently deleted (id_cache_forget). Direct-mapped:
 * slot = id mod size, a newer id evicts an older one; memory is bounded by the
 * slot count, whatever the number of schemas. Striped locks keep the two pool
 * threads from contending.
 */
#ifndef SR_ID_CACHE_H
#define SR_ID_CACHE_H

#include <stddef.h>

typedef struct id_cache id_cache;

id_cache *id_cache_new(size_t slots);
void id_cache_free(id_cache *c);
/* A malloc'd copy of the cached body for id, or NULL. */
char *id_cache_get(id_cache *c, long long id, size_t *len);
void id_cache_put(id_cache *c, long long id, const char *body, size_t len);
void id_cache_forget(id_cache *c, long long id);

#endif
