#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define CHUNK 16384
#define ALIGN 16

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(ALIGN) unsigned char data[];
} chunk;

struct arena {
    chunk *head; /* the chunk small allocations come from */
};

arena *arena_new(void)
{
    return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
    if (!a) return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *arena_alloc(arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n) abort(); /* overflow */
    if (need == 0) need = ALIGN;
    chunk *c = a->head;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > CHUNK / 2 ? need : CHUNK;
        chunk *fresh = xmalloc(sizeof(chunk) + cap);
        fresh->used = 0;
        fresh->cap = cap;
        if (c && need > CHUNK / 2) {
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

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void *arena_grow(arena *a, void *base, size_t n, size_t sz)
{
    if (n && (n & (n - 1))) return base; /* not a power of two: room is left */
    size_t cap = n ? n * 2 : 1;
    if (sz && cap > SIZE_MAX / sz) abort();
    void *p = arena_alloc(a, cap * sz);
    if (n) memcpy(p, base, n * sz);
    return p;
}
