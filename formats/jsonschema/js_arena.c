/*
 * Memory for the JSON Schema model: a common/arena.h arena (nodes and strings
 * that all die together), the table of exact number texts, the JSON documents
 * the model points into, and the hash maps used while parsing (common/hashmap.h
 * under the names the parser and resolver use). Allocation failure aborts,
 * like xmalloc.
 */
#include "js_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../common/arena.h"

struct js_arena {
    arena *mem;        /* nodes and strings */
    js_ptrmap numbers; /* json_t * -> const char * (in mem) */
    json_t **kept;
    size_t n_kept, cap_kept;
};

js_arena *js_arena_new(void)
{
    js_arena *a = xcalloc(1, sizeof(js_arena));
    a->mem = arena_new();
    return a;
}

void js_arena_free(js_arena *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_kept; i++) json_decref(a->kept[i]);
    free(a->kept);
    js_ptrmap_free(&a->numbers);
    arena_free(a->mem);
    free(a);
}

/* The allocation functions of common/arena.h on this schema's memory. */
void *js_arena_alloc(js_arena *a, size_t n)
{
    return arena_alloc(a->mem, n);
}

char *js_arena_strndup(js_arena *a, const char *s, size_t n)
{
    return arena_strndup(a->mem, s, n);
}

char *js_arena_strdup(js_arena *a, const char *s)
{
    return arena_strdup(a->mem, s);
}

char *js_arena_printf(js_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a->mem, fmt, ap);
    va_end(ap);
    return p;
}

void *js_arena_grow(js_arena *a, void *base, size_t n, size_t sz)
{
    return arena_grow(a->mem, base, n, sz);
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

void *js_ptrmap_get(const js_ptrmap *m, const void *key)
{
    return ptrmap_get(m, key);
}

void js_ptrmap_put(js_ptrmap *m, const void *key, void *val)
{
    ptrmap_set(m, key, val);
}

void js_ptrmap_free(js_ptrmap *m)
{
    ptrmap_free(m);
}

void *js_strmap_get(const js_strmap *m, const char *key)
{
    return key ? strmap_get(m, key) : NULL;
}

int js_strmap_put(js_strmap *m, const char *key, void *val)
{
    return strmap_put(m, key, val) ? 0 : -1;
}

void js_strmap_free(js_strmap *m)
{
    strmap_free(m);
}
