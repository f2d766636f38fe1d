/*
 * A bump allocator for the Protobuf model: a schema allocates thousands of
 * small objects that all die together, so they live in chunks that are freed
 * at once (pb_arena_free). Allocation failure aborts, like xmalloc.
 */
#include "pb_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PB_CHUNK 16384
#define PB_ALIGN 16

typedef struct pb_chunk {
    struct pb_chunk *next;
    size_t used, cap;
    _Alignas(PB_ALIGN) unsigned char data[];
} pb_chunk;

struct pb_arena {
    pb_chunk *head;
};

pb_arena *pb_arena_new(void)
{
    return xcalloc(1, sizeof(pb_arena));
}

void pb_arena_free(pb_arena *a)
{
    if (!a) return;
    for (pb_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *pb_arena_alloc(pb_arena *a, size_t n)
{
    size_t need = (n + PB_ALIGN - 1) & ~(size_t)(PB_ALIGN - 1);
    if (need == 0) need = PB_ALIGN;
    pb_chunk *c = a->head;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > PB_CHUNK / 2 ? need : PB_CHUNK;
        pb_chunk *fresh = xmalloc(sizeof(pb_chunk) + cap);
        fresh->used = 0;
        fresh->cap = cap;
        if (c && need > PB_CHUNK / 2) {
            /* a big block: keep the current chunk as the head for small ones */
            fresh->next = c->next;
            c->next = fresh;
            memset(fresh->data, 0, need);
            fresh->used = need;
            return fresh->data;
        }
        fresh->next = c;
        a->head = c = fresh;
    }
    void *p = c->data + c->used;
    c->used += need;
    memset(p, 0, need);
    return p;
}

char *pb_arena_strndup(pb_arena *a, const char *s, size_t n)
{
    char *p = pb_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pb_arena_strdup(pb_arena *a, const char *s)
{
    return s ? pb_arena_strndup(a, s, strlen(s)) : NULL;
}

char *pb_arena_printf(pb_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = pb_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Arrays grow by doubling at power-of-two sizes, so appending n elements one
 * by one copies O(n) in total; the old blocks stay in the arena until it dies. */
void *pb_arena_grow(pb_arena *a, void *base, size_t n, size_t sz)
{
    if (n && (n & (n - 1))) return base; /* not a power of two: room is left */
    size_t cap = n ? n * 2 : 1;
    if (sz && cap > SIZE_MAX / sz) abort();
    void *p = pb_arena_alloc(a, cap * sz);
    if (n) memcpy(p, base, n * sz);
    return p;
}
