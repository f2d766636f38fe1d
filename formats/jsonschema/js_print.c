/*
 * JSON Schema texts: the canonical text (Confluent's JsonSchema.canonicalString:
 * Jackson's compact re-serialisation of the parsed tree, member order kept) and
 * the normalized text (JsonSchema.normalize: the same tree re-read into sorted
 * objects, compat.md §4.10).
 *
 * Jackson facts this copies (Confluent's Jackson.newObjectMapper: floats read
 * as exact BigDecimals, USE_BIG_DECIMAL_FOR_FLOATS + withExactBigDecimals):
 *  - an integer token prints as its digits (big ones too; "-0" prints "0");
 *  - a token with a fraction or exponent prints as BigDecimal.toString():
 *    1.0 -> 1.0, 1.50 -> 1.50, 1e10 -> 1E+10, 1.5e-7 -> 1.5E-7,
 *    0.000001 -> 0.000001, 0.0000001 -> 1E-7, -0.0 -> 0.0;
 *  - strings escape only ", \ and control characters (\b \t \n \f \r short,
 *    the others as \u00XX); everything else, non-ASCII included, is raw;
 *  - sorted objects use Java's String order (UTF-16 code units).
 */
#include "js_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* numbers                                                                   */

void js_put_number(strbuf *sb, const char *text)
{
    const char *p = text;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    } else if (*p == '+') {
        p++;
    }
    const char *int_start = p;
    while (*p >= '0' && *p <= '9') p++;
    size_t int_len = (size_t)(p - int_start);
    const char *frac_start = p;
    size_t frac_len = 0;
    int has_frac = 0, has_exp = 0;
    if (*p == '.') {
        has_frac = 1;
        frac_start = ++p;
        while (*p >= '0' && *p <= '9') p++;
        frac_len = (size_t)(p - frac_start);
    }
    long long exp = 0;
    if (*p == 'e' || *p == 'E') {
        has_exp = 1;
        exp = strtoll(p + 1, NULL, 10);
    }

    /* the coefficient's digits, leading zeros dropped */
    strbuf digits = STRBUF_INIT;
    strbuf_add(&digits, int_start, int_len);
    strbuf_add(&digits, frac_start, frac_len);
    const char *d = digits.data ? digits.data : "0";
    while (*d == '0' && d[1]) d++;
    int zero = strcmp(d, "0") == 0;
    size_t nd = strlen(d);

    if (!has_frac && !has_exp) { /* an integer token: IntNode/LongNode/BigIntegerNode */
        if (neg && !zero) strbuf_putc(sb, '-');
        strbuf_puts(sb, d);
        strbuf_free(&digits);
        return;
    }

    /* BigDecimal.toString() of unscaled d, scale = frac_len - exp */
    long long scale = (long long)frac_len - exp;
    long long adjusted = -scale + (long long)(nd - 1);
    if (neg && !zero) strbuf_putc(sb, '-');
    if (scale == 0) {
        strbuf_puts(sb, d);
    } else if (scale > 0 && adjusted >= -6) {
        if ((long long)nd > scale) {
            strbuf_add(sb, d, nd - (size_t)scale);
            strbuf_putc(sb, '.');
            strbuf_puts(sb, d + nd - (size_t)scale);
        } else {
            strbuf_puts(sb, "0.");
            for (long long i = (long long)nd; i < scale; i++) strbuf_putc(sb, '0');
            strbuf_puts(sb, d);
        }
    } else {
        strbuf_putc(sb, d[0]);
        if (nd > 1) {
            strbuf_putc(sb, '.');
            strbuf_puts(sb, d + 1);
        }
        if (adjusted != 0) strbuf_printf(sb, "E%s%lld", adjusted > 0 ? "+" : "", adjusted);
    }
    strbuf_free(&digits);
}

/* ------------------------------------------------------------------------ */
/* strings                                                                   */

static void put_string(strbuf *sb, const char *s, size_t len)
{
    strbuf_putc(sb, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        const char *esc = NULL;
        char hex[8];
        switch (ch) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (ch < 0x20) {
                snprintf(hex, sizeof hex, "\\u%04X", ch);
                esc = hex;
            }
        }
        if (esc) {
            strbuf_add(sb, s + run, i - run);
            strbuf_puts(sb, esc);
            run = i + 1;
        }
    }
    strbuf_add(sb, s + run, len - run);
    strbuf_putc(sb, '"');
}

void js_put_pointer_segment(strbuf *sb, const char *seg)
{
    for (; *seg; seg++) {
        if (*seg == '~')
            strbuf_puts(sb, "~0");
        else if (*seg == '/')
            strbuf_puts(sb, "~1");
        else
            strbuf_putc(sb, *seg);
    }
}

/* ------------------------------------------------------------------------ */
/* Java String order                                                         */

/* Decode one UTF-8 sequence (input is valid UTF-8: the reader checked it). */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned cp;
    if (s[0] < 0x80) {
        cp = s[0];
        *p = s + 1;
    } else if (s[0] < 0xE0) {
        cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        *p = s + 2;
    } else if (s[0] < 0xF0) {
        cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        *p = s + 3;
    } else {
        cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
             (s[3] & 0x3Fu);
        *p = s + 4;
    }
    return cp;
}

static size_t utf16(unsigned cp, unsigned u[2])
{
    if (cp < 0x10000) {
        u[0] = cp;
        return 1;
    }
    cp -= 0x10000;
    u[0] = 0xD800 + (cp >> 10);
    u[1] = 0xDC00 + (cp & 0x3FF);
    return 2;
}

/* String.compareTo: UTF-16 code units, unsigned. */
static int java_strcmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *q) {
        unsigned ca = next_cp(&p), cb = next_cp(&q);
        if (ca == cb) continue;
        unsigned ua[2], ub[2];
        size_t na = utf16(ca, ua), nb = utf16(cb, ub);
        for (size_t i = 0; i < na && i < nb; i++)
            if (ua[i] != ub[i]) return ua[i] < ub[i] ? -1 : 1;
        return na < nb ? -1 : 1;
    }
    return *p ? 1 : *q ? -1 : 0;
}

static int cmp_keys(const void *a, const void *b)
{
    return java_strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------------------ */
/* values                                                                    */

static void put_member(strbuf *sb, const js_arena *a, const char *k, const json_t *v, int sorted)
{
    put_string(sb, k, strlen(k));
    strbuf_putc(sb, ':');
    js_put_json(sb, a, v, sorted);
}

void js_put_json(strbuf *sb, const js_arena *a, const json_t *v, int sorted)
{
    switch (json_typeof(v)) {
    case JSON_NULL: strbuf_puts(sb, "null"); break;
    case JSON_TRUE: strbuf_puts(sb, "true"); break;
    case JSON_FALSE: strbuf_puts(sb, "false"); break;
    case JSON_INTEGER: strbuf_printf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: {
        const char *t = a ? js_number_get(a, v) : NULL;
        if (t) {
            js_put_number(sb, t);
        } else {
            char buf[40];
            snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
            if (!strpbrk(buf, ".eE")) strcat(buf, ".0");
            js_put_number(sb, buf);
        }
        break;
    }
    case JSON_STRING: put_string(sb, json_string_value(v), json_string_length(v)); break;
    case JSON_ARRAY:
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) strbuf_putc(sb, ',');
            js_put_json(sb, a, json_array_get(v, i), sorted);
        }
        strbuf_putc(sb, ']');
        break;
    case JSON_OBJECT: {
        strbuf_putc(sb, '{');
        const char *k;
        json_t *e;
        if (sorted) {
            size_t n = json_object_size(v), i = 0;
            const char **keys = xcalloc(n ? n : 1, sizeof *keys);
            json_object_foreach((json_t *)v, k, e) keys[i++] = k;
            qsort(keys, n, sizeof *keys, cmp_keys);
            for (i = 0; i < n; i++) {
                if (i) strbuf_putc(sb, ',');
                put_member(sb, a, keys[i], json_object_get(v, keys[i]), sorted);
            }
            free(keys);
        } else {
            int first = 1;
            json_object_foreach((json_t *)v, k, e) {
                if (!first) strbuf_putc(sb, ',');
                first = 0;
                put_member(sb, a, k, e, sorted);
            }
        }
        strbuf_putc(sb, '}');
        break;
    }
    }
}

/* ------------------------------------------------------------------------ */
/* entry points                                                              */

char *js_fmt_canonical(const js_schema *schema)
{
    strbuf sb = STRBUF_INIT;
    js_put_json(&sb, schema->arena, schema->document, 0);
    return strbuf_take(&sb);
}

char *js_fmt_normalized(const js_schema *schema)
{
    strbuf sb = STRBUF_INIT;
    js_put_json(&sb, schema->arena, schema->document, 1);
    return strbuf_take(&sb);
}
