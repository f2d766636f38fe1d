/*
 * hashmap: small open-addressing hash maps (linear probing, power-of-two
 * capacity, load factor at most 0.7) for the parsers' and checkers' indexes:
 * names to nodes, duplicate checks that must stay linear on hostile input, and
 * memo tables.
 *
 * Three flavours share one implementation (hashmap.c) and differ only in how a
 * key is hashed and compared:
 *   strmap   const char * keys, equal by strcmp;
 *   ptrmap   pointer keys, equal by identity;
 *   pairmap  (pointer, pointer) keys, equal by identity of both; for memo
 *            tables keyed on a pair of model nodes.
 *
 * Ownership: keys and values are borrowed. The map copies neither, so a key
 * must stay valid (and unchanged) while it is in the map; freeing the values
 * is the caller's business. Keys are never NULL. A map is empty when zeroed
 * (`strmap m = {0};`) and allocates nothing until the first put; *_free
 * releases the table and leaves an empty map, ready for reuse. Nothing is ever
 * removed from a map. Allocation failure aborts, like xmalloc (strbuf.h).
 *
 * A value may be NULL (a set stores nothing else), so *_get cannot tell "absent"
 * from "present with NULL": use strmap_has, or the return value of *_put.
 *
 * Each flavour has just the operations its callers use: membership for the
 * name sets (strmap_has), replacement for the JSON Schema parser's maps
 * (ptrmap_set), iteration for freeing memo entries (pairmap_next).
 */
#ifndef SR_HASHMAP_H
#define SR_HASHMAP_H

#include <stddef.h>

/* The table shared by all flavours; its fields are private to hashmap.c. */
typedef struct hashmap {
    const void **keys; /* cap slots, NULL = empty; NULL while the map is empty */
    void **vals;       /* cap values; NULL until a value other than NULL is put */
    size_t cap;        /* 0, or a power of two */
    size_t n;          /* keys held */
} hashmap;

/* Distinct types per flavour, so a strmap cannot be passed where a ptrmap is
 * expected. */
typedef struct strmap {
    hashmap h;
} strmap;

typedef struct ptrmap {
    hashmap h;
} ptrmap;

typedef struct pairmap {
    hashmap h;
} pairmap;

/* A pairmap key. */
typedef struct ptrpair {
    const void *a, *b;
} ptrpair;

/* The value of key, or NULL if key is not in the map. */
void *strmap_get(const strmap *m, const char *key);
int strmap_has(const strmap *m, const char *key);
/* Adds key -> val and returns 1 if key is new; otherwise returns 0 and leaves
 * the map as it was (the first value put stays). As a set: "was it new?". */
int strmap_put(strmap *m, const char *key, void *val);
void strmap_free(strmap *m);

void *ptrmap_get(const ptrmap *m, const void *key);
int ptrmap_put(ptrmap *m, const void *key, void *val); /* as strmap_put */
/* Maps key to val, replacing the value key had, if any. */
void ptrmap_set(ptrmap *m, const void *key, void *val);
void ptrmap_free(ptrmap *m);

/* Lookups take the pair as two pointers; a put borrows a ptrpair, which
 * usually lives in the value it maps to. */
void *pairmap_get(const pairmap *m, const void *a, const void *b);
int pairmap_put(pairmap *m, const ptrpair *key, void *val); /* as strmap_put */
/* Iteration over the values, in no useful order (the map must not change
 * meanwhile):
 *     size_t pos = 0;
 *     void *val;
 *     while (pairmap_next(&m, &pos, &val)) ...
 * Returns 1 with *val set, or 0 when there are no more. */
int pairmap_next(const pairmap *m, size_t *pos, void **val);
void pairmap_free(pairmap *m);

#endif
