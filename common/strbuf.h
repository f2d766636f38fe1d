/*
 * strbuf: a growable, always NUL-terminated byte buffer for building output
 * (canonical schema text, JSON responses, messages).
 *
 * Ownership: the strbuf owns `data` until strbuf_take() hands it to the caller
 * (who frees it with free()). Allocation failure aborts: every caller would
 * otherwise have to unwind, and the process cannot serve anything without memory.
 */
#ifndef SR_STRBUF_H
#define SR_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void strbuf_add(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_putc(strbuf *sb, char c);
void strbuf_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (quotes and escapes included), the way
 * jansson and Jackson write it: only ", \ and control characters are escaped. */
void strbuf_json_string(strbuf *sb, const char *s);
char *strbuf_take(strbuf *sb); /* returns data ("" if empty), resets sb */
void strbuf_free(strbuf *sb);

/* malloc'ing helpers that abort on OOM */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
