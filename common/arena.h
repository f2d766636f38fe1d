/*
 * arena: a bump allocator for data that all dies together (a parsed schema's
 * model: thousands of small nodes and strings). Allocations are zeroed and
 * aligned for any type; arena_free releases everything at once. Allocation
 * failure aborts, like xmalloc.
 */
#ifndef SR_ARENA_H
#define SR_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n); /* NUL-terminated */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

/* Make room for element n of an array of n elements of size sz: arrays grow by
 * doubling at power-of-two sizes, so appending n elements one by one copies O(n)
 * in total; old blocks stay in the arena until it dies. Returns the (maybe new)
 * base. */
void *arena_grow(arena *a, void *base, size_t n, size_t sz);

#endif
