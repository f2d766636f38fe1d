/*
 * Memory for the JSON Schema model: a bump allocator (a schema allocates many
 * small objects that all die together), the table of exact number texts, the
 * JSON documents the model points into, and two small open-addressing hash
 * maps used while parsing. Allocation failure aborts, like xmalloc.
 */
#include "js_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JS_CHUNK 16384
#define JS_ALIGN 16

typedef struct js_chunk {
    struct js_chunk *next;
    size_t used, cap;
    _Alignas(JS_ALIGN) unsigned char data[];
} js_chunk;

struct js_arena {
    js_chunk *head;
    js_ptrmap numbers; /* json_t * -> const char * (arena) */
    json_t **kept;
    size_t n_kept, cap_kept;
};

js_arena *js_arena_new(void)
{
    return xcalloc(1, sizeof(js_arena));
}

void js_arena_free(js_arena *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_kept; i++) json_decref(a->kept[i]);
    free(a->kept);
    js_ptrmap_free(&a->numbers);
    for (js_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *js_arena_alloc(js_arena *a, size_t n)
{
    size_t need = (n + JS_ALIGN - 1) & ~(size_t)(JS_ALIGN - 1);
    if (need < n) abort();
    if (need == 0) need = JS_ALIGN;
    js_chunk *c = a->head;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > JS_CHUNK / 2 ? need : JS_CHUNK;
        js_chunk *fresh = xmalloc(sizeof(js_chunk) + cap);
        fresh->used = 0;
        fresh->cap = cap;
        if (c && need > JS_CHUNK / 2) {
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

char *js_arena_strndup(js_arena *a, const char *s, size_t n)
{
    char *p = js_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *js_arena_strdup(js_arena *a, const char *s)
{
    return s ? js_arena_strndup(a, s, strlen(s)) : NULL;
}

char *js_arena_printf(js_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = js_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Arrays grow by doubling at power-of-two sizes, so appending n elements one
 * by one copies O(n) in total; the old blocks stay in the arena until it dies. */
void *js_arena_grow(js_arena *a, void *base, size_t n, size_t sz)
{
    if (n && (n & (n - 1))) return base; /* not a power of two: room is left */
    size_t cap = n ? n * 2 : 1;
    if (sz && cap > SIZE_MAX / sz) abort();
    void *p = js_arena_alloc(a, cap * sz);
    if (n) memcpy(p, base, n * sz);
    return p;
}

void js_arena_keep_json(js_arena *a, json_t *v)
{
    if (!v) return;
    if (a->n_kept == a->cap_kept) {
        a->cap_kept = a->cap_kept ? a->cap_kept * 2 : 4;
        a->kept = xrealloc(a->kept, a->cap_kept * sizeof *a->kept);
    }
    a->kept[a->n_kept++] = v;
}

/* ------------------------------------------------------------------------ */
/* number texts                                                              */

void js_number_set(js_arena *a, const json_t *v, const char *text)
{
    js_ptrmap_put(&a->numbers, v, (void *)js_arena_strdup(a, text));
}

const char *js_number_get(const js_arena *a, const json_t *v)
{
    return js_ptrmap_get(&a->numbers, v);
}

const char *js_number_text(js_arena *a, const json_t *v)
{
    const char *t = js_number_get(a, v);
    if (t) return t;
    if (json_is_integer(v)) return js_arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    if (json_is_real(v)) return js_arena_printf(a, "%.17g", json_real_value(v));
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* hash maps                                                                 */

static uint64_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void *js_ptrmap_get(const js_ptrmap *m, const void *key)
{
    if (!m->cap) return NULL;
    for (size_t i = hash_ptr(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) return NULL;
        if (m->keys[i] == key) return m->vals[i];
    }
}

void js_ptrmap_put(js_ptrmap *m, const void *key, void *val)
{
    if ((m->n + 1) * 10 > m->cap * 7) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        js_ptrmap bigger = {xcalloc(cap, sizeof(void *)), xcalloc(cap, sizeof(void *)), cap, 0};
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) js_ptrmap_put(&bigger, m->keys[i], m->vals[i]);
        js_ptrmap_free(m);
        *m = bigger;
    }
    size_t i = hash_ptr(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == key) {
            m->vals[i] = val;
            return;
        }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
}

void js_ptrmap_free(js_ptrmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

void *js_strmap_get(const js_strmap *m, const char *key)
{
    if (!m->cap || !key) return NULL;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) return NULL;
        if (strcmp(m->keys[i], key) == 0) return m->vals[i];
    }
}

int js_strmap_put(js_strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 10 > m->cap * 7) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        js_strmap bigger = {xcalloc(cap, sizeof(char *)), xcalloc(cap, sizeof(void *)), cap, 0};
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) js_strmap_put(&bigger, m->keys[i], m->vals[i]);
        js_strmap_free(m);
        *m = bigger;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (strcmp(m->keys[i], key) == 0) return -1;
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 0;
}

void js_strmap_free(js_strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
