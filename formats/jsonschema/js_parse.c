/*
 * JSON Schema parser: JSON text -> validated documents -> the model of
 * js_model.h.
 *
 * Confluent facts this copies (JsonSchema.java, everit's SchemaLoader, the
 * json-sKema translator):
 *  - the text is read by Jackson: strict JSON, duplicate keys allowed (last
 *    value wins), numbers kept exactly (see js_print.c);
 *  - `true` / `false` are schemas (EMPTY / FALSE);
 *  - the draft comes from the root's `$schema`; without one, draft-07;
 *    draft-04/06/07 URIs match by prefix (so "…/draft-07/schema#" works),
 *    2019-09 and 2020-12 URIs with or without a trailing "#" (Confluent itself
 *    only knows them without: a small leniency); any other `$schema` is an
 *    error, as in everit;
 *  - the model is built by everit's extractors, in order: `$ref` (drafts <= 7:
 *    the whole schema is the reference, siblings ignored), `enum`, the
 *    combinators (in Java HashSet order: allOf, oneOf, anyOf), `not`, `const`
 *    (draft >= 6), `type` (a type consumes its keyword group: string, number,
 *    array, object), then the keyword "sniffer" over what is left (array,
 *    object, number, string keywords; if/then/else from draft-07). One result
 *    is the node, several a synthetic allOf (compat.md §4.2). Common
 *    attributes ($id/id, title, description, default, connect.type) go on
 *    the resulting node;
 *  - 2019-09 / 2020-12 (Confluent translates json-sKema's model into
 *    everit's): the same extractors, with `$ref`, `$recursiveRef` and
 *    `$dynamicRef` as further results in front (siblings apply from 2019-09 on);
 *    `items` after `prefixItems` is the additional-items schema, `items:
 *    false` without prefixItems closes the array, `items: true` is nothing.
 *  - draft-04's boolean exclusiveMinimum/Maximum are not limits of their own:
 *    minimum/maximum stay as written (Confluent's diff never reads the flags).
 * Validation is the draft's meta-schema, keyword by keyword (no generic
 * validator), reported with the JSON pointer of the offending value; every
 * $ref must resolve, even in unused definitions. With SR_PARSE_LENIENT
 * (stored schemas) the checks added after a schema may have been stored
 * (regular expressions, uniqueness, non-empty arrays) are skipped.
 */
#include "js_internal.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* errors                                                                    */

int js_fail(js_ctx *c, const js_doc *doc, const char *where, const char *fmt, ...)
{
    char what[700], ref[240] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (doc && doc->name) snprintf(ref, sizeof ref, "in reference \"%.200s\": ", doc->name);
    return sr_invalid_schema(c->err, "Invalid schema: %s%.300s%s%s", ref, where ? where : "",
                             where ? ": " : "", what);
}

/* ------------------------------------------------------------------------ */
/* JSON reader                                                               */

typedef struct reader {
    const char *s, *p, *end;
    js_arena *a;
    int depth;
    char *msg;
    size_t msglen;
} reader;

static json_t *rfail(reader *r, const char *what)
{
    int line = 1, col = 1;
    for (const char *q = r->s; q < r->p && q < r->end; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            col++;
        }
    }
    snprintf(r->msg, r->msglen, "%s at line %d, column %d", what, line, col);
    return NULL;
}

static void skip_ws(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;
    if (end - p < 4) return -1;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9')
            v |= (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            v |= (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            v |= (unsigned)(ch - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void put_utf8(strbuf *sb, unsigned cp)
{
    char b[4];
    if (cp < 0x80) {
        strbuf_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        strbuf_add(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        strbuf_add(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        strbuf_add(sb, b, 4);
    }
}

/* Length of the valid UTF-8 sequence at p (0 if invalid). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    size_t n = (size_t)(end - p);
    if (p[0] < 0x80) return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (p[0] == 0xE0 && p[1] < 0xA0) return 0; /* overlong */
        if (p[0] == 0xED && p[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (p[0] == 0xF0 && p[1] < 0x90) return 0;
        if (p[0] == 0xF4 && p[1] >= 0x90) return 0;
        return 4;
    }
    return 0;
}

/* Reads a string literal (r->p at the opening quote) into out. */
static int read_string(reader *r, strbuf *out)
{
    r->p++;
    for (;;) {
        if (r->p >= r->end) return rfail(r, "unterminated string"), -1;
        unsigned char ch = (unsigned char)*r->p;
        if (ch == '"') {
            r->p++;
            return 0;
        }
        if (ch < 0x20) return rfail(r, "unescaped control character in a string"), -1;
        if (ch == '\\') {
            if (r->end - r->p < 2) return rfail(r, "unterminated string"), -1;
            char e = r->p[1];
            r->p += 2;
            switch (e) {
            case '"': strbuf_putc(out, '"'); break;
            case '\\': strbuf_putc(out, '\\'); break;
            case '/': strbuf_putc(out, '/'); break;
            case 'b': strbuf_putc(out, '\b'); break;
            case 'f': strbuf_putc(out, '\f'); break;
            case 'n': strbuf_putc(out, '\n'); break;
            case 'r': strbuf_putc(out, '\r'); break;
            case 't': strbuf_putc(out, '\t'); break;
            case 'u': {
                unsigned cp, lo;
                if (hex4(r->p, r->end, &cp) < 0) return rfail(r, "bad \\u escape"), -1;
                r->p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
                        hex4(r->p + 2, r->end, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return rfail(r, "unpaired surrogate in a \\u escape"), -1;
                    r->p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return rfail(r, "unpaired surrogate in a \\u escape"), -1;
                }
                put_utf8(out, cp);
                break;
            }
            default:
                r->p--;
                return rfail(r, "bad escape in a string"), -1;
            }
            continue;
        }
        size_t n = utf8_len((const unsigned char *)r->p, (const unsigned char *)r->end);
        if (!n) return rfail(r, "invalid UTF-8 in a string"), -1;
        strbuf_add(out, r->p, n);
        r->p += n;
    }
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static json_t *read_number(reader *r)
{
    const char *start = r->p, *p = r->p;
    int is_int = 1;
    if (p < r->end && *p == '-') p++;
    if (p >= r->end || !is_digit(*p)) return rfail(r, "bad number");
    if (*p == '0') {
        p++;
        if (p < r->end && is_digit(*p)) return rfail(r, "leading zeros in a number");
    } else {
        while (p < r->end && is_digit(*p)) p++;
    }
    if (p < r->end && *p == '.') {
        is_int = 0;
        p++;
        if (p >= r->end || !is_digit(*p)) return r->p = p, rfail(r, "bad number");
        while (p < r->end && is_digit(*p)) p++;
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        is_int = 0;
        p++;
        if (p < r->end && (*p == '+' || *p == '-')) p++;
        if (p >= r->end || !is_digit(*p)) return r->p = p, rfail(r, "bad number");
        const char *ed = p;
        while (p < r->end && *p == '0') p++;
        const char *sig = p;
        while (p < r->end && is_digit(*p)) p++;
        (void)ed;
        if (p - sig > 9) return r->p = start, rfail(r, "number exponent out of range");
    }
    /* Jackson's StreamReadConstraints: numbers of at most 1000 characters */
    if (p - start > 1000) return rfail(r, "number longer than 1000 characters");
    char *text = js_arena_strndup(r->a, start, (size_t)(p - start));
    r->p = p;
    if (is_int) {
        /* exact 64-bit integer if it fits */
        const char *d = text + (text[0] == '-');
        int neg = text[0] == '-';
        unsigned long long v = 0, lim = neg ? (unsigned long long)INT64_MAX + 1 : INT64_MAX;
        int fits = 1;
        for (; *d; d++) {
            unsigned dig = (unsigned)(*d - '0');
            if (v > (lim - dig) / 10) {
                fits = 0;
                break;
            }
            v = v * 10 + dig;
        }
        if (fits) {
            json_int_t iv = neg ? (v == (unsigned long long)INT64_MAX + 1 ? INT64_MIN
                                                                           : -(json_int_t)v)
                                : (json_int_t)v;
            return json_integer(iv);
        }
    }
    double dv = strtod(text, NULL);
    if (!isfinite(dv)) dv = dv < 0 ? -DBL_MAX : DBL_MAX;
    json_t *j = json_real(dv);
    if (j) js_number_set(r->a, j, text);
    return j;
}

static json_t *read_value(reader *r);

static json_t *read_array(reader *r)
{
    json_t *arr = json_array();
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return arr;
    }
    for (;;) {
        json_t *v = read_value(r);
        if (!v) goto fail;
        json_array_append_new(arr, v);
        skip_ws(r);
        if (r->p >= r->end) {
            rfail(r, "unterminated array");
            goto fail;
        }
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p == ']') {
            r->p++;
            return arr;
        }
        rfail(r, "expected ',' or ']'");
        goto fail;
    }
fail:
    json_decref(arr);
    return NULL;
}

static json_t *read_object(reader *r)
{
    json_t *obj = json_object();
    strbuf key = STRBUF_INIT;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return obj;
    }
    for (;;) {
        skip_ws(r);
        if (r->p >= r->end || *r->p != '"') {
            rfail(r, "expected a string key");
            goto fail;
        }
        key.len = 0;
        if (read_string(r, &key) < 0) goto fail;
        strbuf_putc(&key, '\0');
        if (strlen(key.data) != key.len - 1) {
            rfail(r, "a key contains \\u0000");
            goto fail;
        }
        skip_ws(r);
        if (r->p >= r->end || *r->p != ':') {
            rfail(r, "expected ':'");
            goto fail;
        }
        r->p++;
        json_t *v = read_value(r);
        if (!v) goto fail;
        /* a duplicate key replaces the value in place (Jackson: last wins) */
        json_object_set_new(obj, key.data, v);
        skip_ws(r);
        if (r->p >= r->end) {
            rfail(r, "unterminated object");
            goto fail;
        }
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p == '}') {
            r->p++;
            strbuf_free(&key);
            return obj;
        }
        rfail(r, "expected ',' or '}'");
        goto fail;
    }
fail:
    strbuf_free(&key);
    json_decref(obj);
    return NULL;
}

static int literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return 0;
    r->p += n;
    return 1;
}

static json_t *read_value(reader *r)
{
    skip_ws(r);
    if (r->p >= r->end) return rfail(r, "unexpected end of input");
    switch (*r->p) {
    case '{':
    case '[': {
        if (++r->depth > JS_MAX_DEPTH) {
            char what[80];
            snprintf(what, sizeof what, "nesting deeper than %d levels", JS_MAX_DEPTH);
            return rfail(r, what);
        }
        json_t *v = *r->p == '{' ? read_object(r) : read_array(r);
        r->depth--;
        return v;
    }
    case '"': {
        strbuf sb = STRBUF_INIT;
        if (read_string(r, &sb) < 0) {
            strbuf_free(&sb);
            return NULL;
        }
        json_t *v = json_stringn_nocheck(sb.data ? sb.data : "", sb.len);
        strbuf_free(&sb);
        return v;
    }
    case 't':
        if (literal(r, "true")) return json_true();
        break;
    case 'f':
        if (literal(r, "false")) return json_false();
        break;
    case 'n':
        if (literal(r, "null")) return json_null();
        break;
    default:
        if (*r->p == '-' || is_digit(*r->p)) return read_number(r);
    }
    return rfail(r, "unexpected character");
}

json_t *js_json_read(js_arena *a, const char *text, size_t len, char *msg, size_t msglen)
{
    reader r = {text, text, text + len, a, 0, msg, msglen};
    json_t *v = read_value(&r);
    if (!v) return NULL;
    skip_ws(&r);
    if (r.p < r.end) {
        json_decref(v);
        return rfail(&r, "unexpected content after the JSON value");
    }
    return v;
}

/* ------------------------------------------------------------------------ */
/* ECMA-262 regular expression syntax (JSON Schema's regex dialect)         */
/*
 * A syntax check only, for `pattern` and `patternProperties` keys: the
 * grammar of ECMA-262 (non-unicode mode, with the web-compatibility rules of
 * Annex B: a lone `{`, `}` or `]` is a literal, unknown escapes are identity
 * escapes), widened by the java.util.regex syntax Confluent accepts (everit
 * compiles patterns with java.util.regex): inline flags `(?i)` / `(?i:...)`,
 * atomic groups `(?>...)`, possessive quantifiers `a*+`, quoting `\Q...\E`.
 * So a pattern is refused only when neither dialect has it. Errors: nothing
 * to repeat, unbalanced parentheses, unterminated classes, out-of-order
 * ranges, {n,m} with n > m, bad group syntax, a trailing backslash.
 */

typedef struct rx {
    const char *p;
    const char *err;
    int depth;
} rx;

static unsigned rx_cp(const char **pp)
{
    const unsigned char *s = (const unsigned char *)*pp;
    /* NUL-terminated: the continuation checks stop at the NUL */
    size_t n = utf8_len(s, s + 4);
    unsigned cp;
    if (n <= 1) {
        cp = s[0];
        n = 1;
    } else if (n == 2) {
        cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    } else if (n == 3) {
        cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    } else {
        cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
             (s[3] & 0x3Fu);
    }
    *pp += n;
    return cp;
}

/* {n}, {n,}, {n,m} at p: returns chars consumed, 0 if not a quantifier, -1 if n > m. */
static int rx_braces(const char *p)
{
    const char *q = p + 1;
    unsigned long long lo = 0, hi = 0;
    if (!is_digit(*q)) return 0;
    while (is_digit(*q)) {
        if (lo < 1000000000ull) lo = lo * 10 + (unsigned)(*q - '0');
        q++;
    }
    if (*q == '}') return (int)(q - p + 1);
    if (*q != ',') return 0;
    q++;
    if (*q == '}') return (int)(q - p + 1);
    if (!is_digit(*q)) return 0;
    while (is_digit(*q)) {
        if (hi < 1000000000ull) hi = hi * 10 + (unsigned)(*q - '0');
        q++;
    }
    if (*q != '}') return 0;
    return lo > hi ? -1 : (int)(q - p + 1);
}

static int is_hex(char ch)
{
    return isxdigit((unsigned char)ch) != 0;
}

/* An escape after '\' (p just after the backslash). *value = the character
 * it stands for, or -1 for a class escape (\d \w \s ...). */
static const char *rx_escape(rx *x, int in_class, long *value)
{
    const char *p = x->p;
    if (!*p) return x->err = "trailing backslash", NULL;
    char e = *p;
    *value = -1;
    switch (e) {
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
        return p + 1;
    case 'b':
        *value = in_class ? 8 : -2; /* -2: an assertion outside classes */
        return p + 1;
    case 'B':
        *value = -2;
        return p + 1;
    case 't': *value = 9; return p + 1;
    case 'n': *value = 10; return p + 1;
    case 'v': *value = 11; return p + 1;
    case 'f': *value = 12; return p + 1;
    case 'r': *value = 13; return p + 1;
    case 'c':
        if (isalpha((unsigned char)p[1])) {
            *value = p[1] % 32;
            return p + 2;
        }
        *value = '\\'; /* Annex B: "\c" is a backslash and a 'c' */
        return p;
    case 'x':
        if (is_hex(p[1]) && is_hex(p[2])) {
            *value = strtol((char[]){p[1], p[2], 0}, NULL, 16);
            return p + 3;
        }
        *value = 'x';
        return p + 1;
    case 'u':
        if (is_hex(p[1]) && is_hex(p[2]) && is_hex(p[3]) && is_hex(p[4])) {
            *value = strtol((char[]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
            return p + 5;
        }
        if (p[1] == '{') {
            const char *q = p + 2;
            long v = 0;
            while (is_hex(*q) && v <= 0x10FFFF) v = v * 16 + strtol((char[]){*q++, 0}, NULL, 16);
            if (*q == '}' && q > p + 2 && v <= 0x10FFFF) {
                *value = v;
                return q + 1;
            }
        }
        *value = 'u';
        return p + 1;
    case 'k':
        if (!in_class && p[1] == '<') {
            const char *q = strchr(p + 2, '>');
            if (!q || q == p + 2) return x->err = "bad named backreference", NULL;
            return q + 1;
        }
        *value = 'k';
        return p + 1;
    default:
        if (is_digit(e)) { /* backreference or legacy octal */
            long v = 0;
            const char *q = p;
            while (is_digit(*q) && q < p + 3) v = v * 8 + (*q++ - '0');
            *value = in_class ? v : -3;
            return in_class ? q : (p + strspn(p, "0123456789"));
        }
        *value = (unsigned char)e;
        if ((unsigned char)e >= 0x80) {
            const char *q = p;
            *value = (long)rx_cp(&q);
            return q;
        }
        return p + 1;
    }
}

static int rx_class(rx *x)
{
    /* x->p just after '[' */
    if (*x->p == '^') x->p++;
    long prev = -1;
    int have_prev = 0;
    for (;;) {
        if (!*x->p) return x->err = "unterminated character class", -1;
        if (*x->p == ']') {
            x->p++;
            return 0;
        }
        long v;
        if (*x->p == '\\') {
            x->p++;
            const char *n = rx_escape(x, 1, &v);
            if (!n) return -1;
            x->p = n;
        } else {
            v = (long)rx_cp(&x->p);
        }
        /* a range a-b */
        if (have_prev && prev >= 0 && v >= 0 && prev > v)
            return x->err = "character class range out of order", -1;
        have_prev = 0;
        if (*x->p == '-' && x->p[1] && x->p[1] != ']') {
            x->p++;
            prev = v;
            have_prev = 1;
        }
    }
}

static int rx_disjunction(rx *x);

static int rx_term(rx *x, int *quantifiable)
{
    const char *p = x->p;
    *quantifiable = 1;
    switch (*p) {
    case '^':
    case '$':
        x->p++;
        *quantifiable = 0;
        return 0;
    case '*': case '+': case '?':
        return x->err = "nothing to repeat", -1;
    case '{': {
        int n = rx_braces(p);
        if (n != 0) return x->err = "nothing to repeat", -1;
        x->p++;
        return 0;
    }
    case '[':
        x->p++;
        return rx_class(x);
    case '(': {
        x->p++;
        if (*x->p == '?') {
            if (x->p[1] == ':' || x->p[1] == '=' || x->p[1] == '!') {
                *quantifiable = x->p[1] != ':' ? 2 : 1; /* 2: Annex B quantifiable lookahead */
                x->p += 2;
            } else if (x->p[1] == '<' && (x->p[2] == '=' || x->p[2] == '!')) {
                *quantifiable = 0;
                x->p += 3;
            } else if (x->p[1] == '>') { /* Java: atomic group */
                x->p += 2;
            } else if (strchr("idmsuxU-", x->p[1]) && x->p[1]) { /* Java: inline flags */
                const char *q = x->p + 1;
                while (*q && strchr("idmsuxU-", *q)) q++;
                if (*q == ')') {
                    x->p = q + 1;
                    *quantifiable = 0;
                    return 0;
                }
                if (*q != ':') return x->err = "invalid group", -1;
                x->p = q + 1;
            } else if (x->p[1] == '<') {
                const char *q = x->p + 2;
                if (!(isalpha((unsigned char)*q) || *q == '_' || *q == '$' ||
                      (unsigned char)*q >= 0x80))
                    return x->err = "bad group name", -1;
                while (isalnum((unsigned char)*q) || *q == '_' || *q == '$' ||
                       (unsigned char)*q >= 0x80)
                    q++;
                if (*q != '>') return x->err = "bad group name", -1;
                x->p = q + 1;
            } else {
                return x->err = "invalid group", -1;
            }
        }
        if (++x->depth > 1000) return x->err = "groups nested too deeply", -1;
        if (rx_disjunction(x) < 0) return -1;
        x->depth--;
        if (*x->p != ')') return x->err = "missing )", -1;
        x->p++;
        if (*quantifiable == 2) *quantifiable = 1;
        return 0;
    }
    case ')':
        return x->err = "unmatched )", -1;
    case '\\': {
        x->p++;
        if (*x->p == 'Q') { /* Java: quoted up to \E (or the end) */
            const char *e = strstr(x->p + 1, "\\E");
            x->p = e ? e + 2 : x->p + strlen(x->p);
            return 0;
        }
        long v;
        const char *n = rx_escape(x, 0, &v);
        if (!n) return -1;
        x->p = n;
        if (v == -2) *quantifiable = 0;
        return 0;
    }
    default:
        rx_cp(&x->p);
        return 0;
    }
}

static int rx_quantifier(rx *x, int quantifiable)
{
    const char *p = x->p;
    int n = 0;
    if (*p == '*' || *p == '+' || *p == '?') {
        n = 1;
    } else if (*p == '{') {
        n = rx_braces(p);
        if (n < 0) return x->err = "numbers out of order in {} quantifier", -1;
    }
    if (n == 0) return 0;
    if (!quantifiable) return x->err = "nothing to repeat", -1;
    x->p += n;
    if (*x->p == '?' || *x->p == '+') x->p++; /* lazy; possessive (Java) */
    if (*x->p == '*' || *x->p == '+' || *x->p == '?' || (*x->p == '{' && rx_braces(x->p) != 0))
        return x->err = "nothing to repeat", -1;
    return 0;
}

static int rx_disjunction(rx *x)
{
    for (;;) {
        while (*x->p && *x->p != '|' && *x->p != ')') {
            int quantifiable;
            if (rx_term(x, &quantifiable) < 0) return -1;
            if (rx_quantifier(x, quantifiable) < 0) return -1;
        }
        if (*x->p != '|') return 0;
        x->p++;
    }
}

const char *js_regex_check(const char *s)
{
    rx x = {s, NULL, 0};
    if (rx_disjunction(&x) < 0) return x.err;
    if (*x.p == ')') return "unmatched )";
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* drafts                                                                    */

/* The draft a `$schema` URI names; -1 if unknown. */
static int draft_of_uri(const char *u)
{
    static const struct {
        const char *prefix;
        int exact; /* 1: the URI, optionally followed by "#"; 0: any URI starting so */
        js_draft draft;
    } known[] = {
        {"http://json-schema.org/draft-04/schema", 0, JS_DRAFT_4},
        {"https://json-schema.org/draft-04/schema", 0, JS_DRAFT_4},
        {"http://json-schema.org/draft-06/schema", 0, JS_DRAFT_6},
        {"https://json-schema.org/draft-06/schema", 0, JS_DRAFT_6},
        {"http://json-schema.org/draft-07/schema", 0, JS_DRAFT_7},
        {"https://json-schema.org/draft-07/schema", 0, JS_DRAFT_7},
        {"http://json-schema.org/draft/2019-09/schema", 1, JS_DRAFT_2019_09},
        {"https://json-schema.org/draft/2019-09/schema", 1, JS_DRAFT_2019_09},
        {"http://json-schema.org/draft/2020-12/schema", 1, JS_DRAFT_2020_12},
        {"https://json-schema.org/draft/2020-12/schema", 1, JS_DRAFT_2020_12},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen(known[i].prefix);
        if (strncmp(u, known[i].prefix, n) != 0) continue;
        if (!known[i].exact || u[n] == '\0' || strcmp(u + n, "#") == 0) return (int)known[i].draft;
    }
    return -1;
}

/* ------------------------------------------------------------------------ */
/* the walk: validate each schema for its draft, index $id, anchors, $refs  */

typedef struct walk {
    js_ctx *c;
    js_doc *doc;
    json_t *obj;
    js_loc *loc;
    int depth;
} walk;

static int at_least(const walk *w, js_draft d)
{
    return w->doc->draft >= d;
}

static const char *child_pointer(js_ctx *c, const char *parent, const char *seg)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, parent);
    strbuf_putc(&sb, '/');
    js_put_pointer_segment(&sb, seg);
    const char *r = js_arena_strndup(c->a, sb.data, sb.len);
    strbuf_free(&sb);
    return r;
}

static const char *index_pointer(js_ctx *c, const char *parent, size_t i)
{
    return js_arena_printf(c->a, "%s/%zu", parent, i);
}

static const char *kw_pointer(const walk *w, const char *kw)
{
    return child_pointer(w->c, w->loc->pointer, kw);
}

static int wfail(const walk *w, const char *kw, const char *what)
{
    return js_fail(w->c, w->doc, kw ? kw_pointer(w, kw) : w->loc->pointer, "%s", what);
}

static int strict(const walk *w)
{
    return !(w->c->flags & SR_PARSE_LENIENT);
}

static int is_nonneg_integer(const json_t *v)
{
    if (json_is_integer(v)) return json_integer_value(v) >= 0;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return d >= 0 && floor(d) == d;
    }
    return 0;
}

/* A subschema at `pointer`: an object, or (draft >= 6) a boolean. */
static int walk_sub(const walk *w, json_t *v, const char *pointer)
{
    if (json_is_object(v))
        return js_walk_schema(w->c, w->doc, v, pointer, w->loc->base, w->loc->resource,
                              w->loc->resource_root, w->depth + 1);
    if (json_is_boolean(v) && at_least(w, JS_DRAFT_6)) return 0;
    return js_fail(w->c, w->doc, pointer, "expected a schema (%s)",
                   at_least(w, JS_DRAFT_6) ? "an object or a boolean" : "an object");
}

static int kw_schema(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    return v ? walk_sub(w, v, kw_pointer(w, kw)) : 0;
}

/* additionalProperties / additionalItems: a schema, or a boolean in every draft. */
static int kw_schema_or_bool(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    if (!v || json_is_boolean(v)) return 0;
    return walk_sub(w, v, kw_pointer(w, kw));
}

static int kw_schema_map(const walk *w, const char *kw, int regex_keys)
{
    json_t *m = json_object_get(w->obj, kw);
    if (!m) return 0;
    if (!json_is_object(m)) return wfail(w, kw, "expected an object of schemas");
    const char *ptr = kw_pointer(w, kw), *k;
    json_t *v;
    json_object_foreach(m, k, v) {
        const char *p = child_pointer(w->c, ptr, k);
        if (regex_keys && strict(w)) {
            const char *bad = js_regex_check(k);
            if (bad)
                return js_fail(w->c, w->doc, p, "invalid regular expression \"%.200s\": %s", k, bad);
        }
        if (walk_sub(w, v, p) < 0) return -1;
    }
    return 0;
}

static int kw_schema_array(const walk *w, const char *kw)
{
    json_t *a = json_object_get(w->obj, kw);
    if (!a) return 0;
    if (!json_is_array(a) || json_array_size(a) == 0)
        return wfail(w, kw, "expected a non-empty array of schemas");
    const char *ptr = kw_pointer(w, kw);
    for (size_t i = 0; i < json_array_size(a); i++)
        if (walk_sub(w, json_array_get(a, i), index_pointer(w->c, ptr, i)) < 0) return -1;
    return 0;
}

static int kw_string(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    return !v || json_is_string(v) ? 0 : wfail(w, kw, "expected a string");
}

static int kw_bool(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    return !v || json_is_boolean(v) ? 0 : wfail(w, kw, "expected a boolean");
}

static int kw_number(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    return !v || json_is_number(v) ? 0 : wfail(w, kw, "expected a number");
}

static int kw_count(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    return !v || is_nonneg_integer(v) ? 0 : wfail(w, kw, "expected a non-negative integer");
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Are the members of array a pairwise different JSON values? */
static int all_unique(js_ctx *c, const json_t *a)
{
    size_t n = json_array_size(a);
    if (n < 2) return 1;
    char **texts = xcalloc(n, sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        strbuf sb = STRBUF_INIT;
        js_put_json(&sb, c->a, json_array_get(a, i), 1);
        texts[i] = strbuf_take(&sb);
    }
    qsort(texts, n, sizeof *texts, cmp_cstr);
    int unique = 1;
    for (size_t i = 1; i < n && unique; i++)
        if (strcmp(texts[i - 1], texts[i]) == 0) unique = 0;
    for (size_t i = 0; i < n; i++) free(texts[i]);
    free(texts);
    return unique;
}

static int check_string_array(const walk *w, json_t *a, const char *ptr, int nonempty)
{
    if (!json_is_array(a))
        return js_fail(w->c, w->doc, ptr, "expected an array of strings");
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!json_is_string(json_array_get(a, i)))
            return js_fail(w->c, w->doc, index_pointer(w->c, ptr, i), "expected a string");
    if (nonempty && json_array_size(a) == 0 && strict(w))
        return js_fail(w->c, w->doc, ptr, "expected a non-empty array of strings");
    if (strict(w) && !all_unique(w->c, a))
        return js_fail(w->c, w->doc, ptr, "expected unique strings");
    return 0;
}

static int kw_string_array(const walk *w, const char *kw, int nonempty)
{
    json_t *a = json_object_get(w->obj, kw);
    return a ? check_string_array(w, a, kw_pointer(w, kw), nonempty) : 0;
}

static int is_type_name(const json_t *v)
{
    static const char *const names[] = {"array", "boolean", "integer", "null",
                                        "number", "object", "string"};
    if (!json_is_string(v)) return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(json_string_value(v), names[i]) == 0) return 1;
    return 0;
}

static int kw_type(const walk *w)
{
    json_t *t = json_object_get(w->obj, "type");
    if (!t) return 0;
    const char *ptr = kw_pointer(w, "type");
    if (json_is_string(t)) {
        if (!is_type_name(t))
            return js_fail(w->c, w->doc, ptr, "unknown type \"%.100s\"", json_string_value(t));
        return 0;
    }
    if (!json_is_array(t) || json_array_size(t) == 0)
        return js_fail(w->c, w->doc, ptr, "expected a type name or a non-empty array of them");
    for (size_t i = 0; i < json_array_size(t); i++) {
        json_t *e = json_array_get(t, i);
        if (!is_type_name(e)) {
            const char *p = index_pointer(w->c, ptr, i);
            if (!json_is_string(e)) return js_fail(w->c, w->doc, p, "expected a type name");
            return js_fail(w->c, w->doc, p, "unknown type \"%.100s\"", json_string_value(e));
        }
    }
    if (!all_unique(w->c, t)) return js_fail(w->c, w->doc, ptr, "expected unique type names");
    return 0;
}

static int kw_enum(const walk *w)
{
    json_t *e = json_object_get(w->obj, "enum");
    if (!e) return 0;
    if (!json_is_array(e)) return wfail(w, "enum", "expected an array");
    if (!at_least(w, JS_DRAFT_7) && strict(w)) {
        if (json_array_size(e) == 0) return wfail(w, "enum", "expected a non-empty array");
        if (!all_unique(w->c, e)) return wfail(w, "enum", "expected unique values");
    }
    return 0;
}

static int kw_multiple_of(const walk *w)
{
    json_t *v = json_object_get(w->obj, "multipleOf");
    if (!v) return 0;
    if (!json_is_number(v) || json_number_value(v) <= 0)
        return wfail(w, "multipleOf", "expected a number greater than 0");
    return 0;
}

static int kw_exclusive(const walk *w, const char *kw, const char *limit)
{
    json_t *v = json_object_get(w->obj, kw);
    if (!v) return 0;
    if (at_least(w, JS_DRAFT_6)) return json_is_number(v) ? 0 : wfail(w, kw, "expected a number");
    if (!json_is_boolean(v)) return wfail(w, kw, "expected a boolean (draft-04)");
    if (!json_object_get(w->obj, limit)) {
        char what[80];
        snprintf(what, sizeof what, "requires \"%s\" (draft-04)", limit);
        return wfail(w, kw, what);
    }
    return 0;
}

static int kw_pattern(const walk *w)
{
    json_t *v = json_object_get(w->obj, "pattern");
    if (!v) return 0;
    if (!json_is_string(v)) return wfail(w, "pattern", "expected a string");
    const char *bad = strict(w) ? js_regex_check(json_string_value(v)) : NULL;
    if (bad)
        return js_fail(w->c, w->doc, kw_pointer(w, "pattern"),
                       "invalid regular expression \"%.200s\": %s", json_string_value(v), bad);
    return 0;
}

static int kw_items(const walk *w)
{
    json_t *v = json_object_get(w->obj, "items");
    if (!v) return 0;
    if (json_is_array(v) && !at_least(w, JS_DRAFT_2020_12)) return kw_schema_array(w, "items");
    return walk_sub(w, v, kw_pointer(w, "items"));
}

static int kw_dependencies(const walk *w, const char *kw, int arrays, int schemas)
{
    json_t *m = json_object_get(w->obj, kw);
    if (!m) return 0;
    if (!json_is_object(m)) return wfail(w, kw, "expected an object");
    const char *ptr = kw_pointer(w, kw), *k;
    json_t *v;
    json_object_foreach(m, k, v) {
        const char *p = child_pointer(w->c, ptr, k);
        if (arrays && json_is_array(v)) {
            if (check_string_array(w, v, p, w->doc->draft == JS_DRAFT_4) < 0) return -1;
        } else if (schemas) {
            if (walk_sub(w, v, p) < 0) return -1;
        } else {
            return js_fail(w->c, w->doc, p, "expected an array of strings");
        }
    }
    return 0;
}

static int kw_vocabulary(const walk *w)
{
    json_t *m = json_object_get(w->obj, "$vocabulary");
    if (!m) return 0;
    if (!json_is_object(m)) return wfail(w, "$vocabulary", "expected an object");
    const char *k;
    json_t *v;
    json_object_foreach(m, k, v) if (!json_is_boolean(v)) return js_fail(
        w->c, w->doc, child_pointer(w->c, kw_pointer(w, "$vocabulary"), k), "expected a boolean");
    return 0;
}

static int kw_anchor(const walk *w, const char *kw, int dynamic)
{
    json_t *v = json_object_get(w->obj, kw);
    if (!v) return 0;
    if (!json_is_string(v)) return wfail(w, kw, "expected a string");
    const char *s = json_string_value(v);
    int ok = isalpha((unsigned char)s[0]) || (at_least(w, JS_DRAFT_2020_12) && s[0] == '_');
    for (const char *p = s + 1; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' ||
             (*p == ':' && !at_least(w, JS_DRAFT_2020_12));
    if (!ok) return wfail(w, kw, "not a valid anchor name");
    js_ctx *c = w->c;
    char *key = js_arena_printf(c->a, "%s#%s", w->loc->resource, s);
    js_loc *had = js_strmap_get(&c->resources, key);
    if (had && had != w->loc && !dynamic) {
        char what[300];
        snprintf(what, sizeof what, "duplicate anchor \"%.200s\"", s);
        return wfail(w, kw, what);
    }
    if (!had) js_strmap_put(&c->resources, key, w->loc);
    if (dynamic) js_strmap_put(&c->dynamic, key, w->loc);
    return 0;
}

/* Keywords whose presence makes a 2019-09+ schema more than a bare reference. */
static int has_model_keywords(const json_t *obj, js_draft d, const char *except);

static int record_ref(const walk *w, const char *kw)
{
    json_t *v = json_object_get(w->obj, kw);
    if (!v) return 0;
    if (!json_is_string(v)) return wfail(w, kw, "expected a string");
    js_ctx *c = w->c;
    js_refsite *s = js_arena_alloc(c->a, sizeof *s);
    s->keyword = kw;
    s->ref = json_string_value(v);
    s->from = w->loc;
    s->pure = !at_least(w, JS_DRAFT_2019_09) || !has_model_keywords(w->obj, w->doc->draft, kw);
    c->sites = js_arena_grow(c->a, c->sites, c->n_sites, sizeof *c->sites);
    c->sites[c->n_sites++] = s;
    if (s->pure) js_ptrmap_put(&c->site_of, w->loc, s);
    js_ptrmap_put(&c->site_by_value, v, s);
    return 0;
}

/* $id (id in draft-04): a new base URI, a new resource, or (draft <= 7) a
 * plain-name fragment. */
static int apply_id(walk *w)
{
    js_ctx *c = w->c;
    const char *kw = at_least(w, JS_DRAFT_6) ? "$id" : "id";
    json_t *id = json_object_get(w->obj, kw);
    if (!id) return 0;
    if (!json_is_string(id)) return wfail(w, kw, "expected a string");
    const char *frag;
    char *abs = js_uri_resolve(c->a, w->loc->base, json_string_value(id));
    char *docpart = js_uri_strip_fragment(c->a, abs, &frag);
    if (frag && *frag) {
        if (at_least(w, JS_DRAFT_2019_09))
            return wfail(w, kw, "must not contain a fragment (use $anchor)");
        /* draft <= 7: "$id": "#name" names this schema */
        js_strmap_put(&c->resources, js_arena_printf(c->a, "%s#%s", docpart, frag), w->loc);
        if (strcmp(docpart, w->loc->base) == 0) return 0;
    }
    w->loc->base = docpart;
    w->loc->resource = docpart;
    w->loc->resource_root = w->loc;
    js_strmap_put(&c->resources, docpart, w->loc);
    return 0;
}

static int walk_keywords(walk *w)
{
    if (kw_string(w, "$schema") < 0) return -1;
    if (record_ref(w, "$ref") < 0) return -1;
    if (w->doc->draft == JS_DRAFT_2019_09) {
        if (record_ref(w, "$recursiveRef") < 0 || kw_bool(w, "$recursiveAnchor") < 0 ||
            kw_anchor(w, "$anchor", 0) < 0)
            return -1;
    }
    if (at_least(w, JS_DRAFT_2020_12)) {
        if (record_ref(w, "$dynamicRef") < 0 || kw_anchor(w, "$anchor", 0) < 0 ||
            kw_anchor(w, "$dynamicAnchor", 1) < 0)
            return -1;
    }
    if (at_least(w, JS_DRAFT_2019_09) &&
        (kw_vocabulary(w) < 0 || kw_bool(w, "deprecated") < 0 || kw_schema(w, "contentSchema") < 0 ||
         kw_schema(w, "unevaluatedItems") < 0 || kw_schema(w, "unevaluatedProperties") < 0 ||
         kw_count(w, "maxContains") < 0 || kw_count(w, "minContains") < 0 ||
         kw_dependencies(w, "dependentRequired", 1, 0) < 0 ||
         kw_schema_map(w, "dependentSchemas", 0) < 0))
        return -1;
    if (at_least(w, JS_DRAFT_7) &&
        (kw_string(w, "$comment") < 0 || kw_bool(w, "readOnly") < 0 ||
         kw_bool(w, "writeOnly") < 0 || kw_string(w, "contentEncoding") < 0 ||
         kw_string(w, "contentMediaType") < 0 || kw_schema(w, "if") < 0 ||
         kw_schema(w, "then") < 0 || kw_schema(w, "else") < 0))
        return -1;
    if (at_least(w, JS_DRAFT_6)) {
        json_t *ex = json_object_get(w->obj, "examples");
        if (ex && !json_is_array(ex)) return wfail(w, "examples", "expected an array");
        if (kw_schema(w, "contains") < 0 || kw_schema(w, "propertyNames") < 0) return -1;
    }
    if (at_least(w, JS_DRAFT_2020_12)) {
        if (kw_schema_array(w, "prefixItems") < 0) return -1;
    } else if (kw_schema_or_bool(w, "additionalItems") < 0) {
        return -1;
    }
    return kw_string(w, "title") < 0 || kw_string(w, "description") < 0 || kw_type(w) < 0 ||
                   kw_enum(w) < 0 || kw_multiple_of(w) < 0 || kw_number(w, "maximum") < 0 ||
                   kw_number(w, "minimum") < 0 ||
                   kw_exclusive(w, "exclusiveMaximum", "maximum") < 0 ||
                   kw_exclusive(w, "exclusiveMinimum", "minimum") < 0 ||
                   kw_count(w, "maxLength") < 0 || kw_count(w, "minLength") < 0 ||
                   kw_pattern(w) < 0 || kw_string(w, "format") < 0 || kw_items(w) < 0 ||
                   kw_count(w, "maxItems") < 0 || kw_count(w, "minItems") < 0 ||
                   kw_bool(w, "uniqueItems") < 0 || kw_count(w, "maxProperties") < 0 ||
                   kw_count(w, "minProperties") < 0 ||
                   kw_string_array(w, "required", w->doc->draft == JS_DRAFT_4) < 0 ||
                   kw_schema_or_bool(w, "additionalProperties") < 0 ||
                   kw_schema_map(w, "definitions", 0) < 0 || kw_schema_map(w, "$defs", 0) < 0 ||
                   kw_schema_map(w, "properties", 0) < 0 ||
                   kw_schema_map(w, "patternProperties", 1) < 0 ||
                   kw_dependencies(w, "dependencies", 1, 1) < 0 ||
                   kw_schema_array(w, "allOf") < 0 || kw_schema_array(w, "anyOf") < 0 ||
                   kw_schema_array(w, "oneOf") < 0 || kw_schema(w, "not") < 0
               ? -1
               : 0;
}

int js_walk_schema(js_ctx *c, js_doc *doc, json_t *v, const char *pointer, const char *base,
                   const char *resource, js_loc *resource_root, int depth)
{
    if (js_ptrmap_get(&c->locs, v)) return 0;
    if (depth > JS_MAX_DEPTH)
        return js_fail(c, doc, pointer, "schemas nested deeper than %d levels", JS_MAX_DEPTH);
    js_loc *loc = js_arena_alloc(c->a, sizeof *loc);
    loc->value = v;
    loc->pointer = pointer;
    loc->base = base;
    loc->resource = resource;
    loc->resource_root = resource_root ? resource_root : loc;
    loc->doc = doc;
    js_ptrmap_put(&c->locs, v, loc);
    walk w = {c, doc, v, loc, depth};
    if (apply_id(&w) < 0) return -1;
    return walk_keywords(&w);
}

/* ------------------------------------------------------------------------ */
/* keyword groups (everit's SpecificationVersion lists, extended for 2019+) */

static const char *const string_kws[] = {"minLength", "maxLength", "pattern", "format", NULL};
static const char *const number_kws[] = {"minimum", "maximum", "exclusiveMinimum",
                                         "exclusiveMaximum", "multipleOf", NULL};

static int has_any(const json_t *obj, const char *const *kws)
{
    for (; *kws; kws++)
        if (json_object_get(obj, *kws)) return 1;
    return 0;
}

static int has_array_kw(const json_t *obj, js_draft d)
{
    static const char *const v4[] = {"items", "minItems", "maxItems", "uniqueItems", NULL};
    static const char *const v6[] = {"contains", NULL};
    static const char *const v2019[] = {"minContains", "maxContains", "unevaluatedItems", NULL};
    if (has_any(obj, v4)) return 1;
    if (d < JS_DRAFT_2020_12 && json_object_get(obj, "additionalItems")) return 1;
    if (d >= JS_DRAFT_6 && has_any(obj, v6)) return 1;
    if (d >= JS_DRAFT_2019_09 && has_any(obj, v2019)) return 1;
    return d >= JS_DRAFT_2020_12 && json_object_get(obj, "prefixItems");
}

static int has_object_kw(const json_t *obj, js_draft d)
{
    static const char *const v4[] = {"properties",   "required",          "minProperties",
                                     "maxProperties", "dependencies",      "patternProperties",
                                     "additionalProperties", NULL};
    static const char *const v2019[] = {"dependentRequired", "dependentSchemas",
                                        "unevaluatedProperties", NULL};
    if (has_any(obj, v4)) return 1;
    if (d >= JS_DRAFT_6 && json_object_get(obj, "propertyNames")) return 1;
    return d >= JS_DRAFT_2019_09 && has_any(obj, v2019);
}

static int has_conditional_kw(const json_t *obj, js_draft d)
{
    static const char *const kws[] = {"if", "then", "else", NULL};
    return d >= JS_DRAFT_7 && has_any(obj, kws);
}

static int has_model_keywords(const json_t *obj, js_draft d, const char *except)
{
    static const char *const kws[] = {"enum", "allOf", "anyOf", "oneOf", "not", "type", NULL};
    static const char *const refs[] = {"$ref", "$recursiveRef", "$dynamicRef"};
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (strcmp(refs[i], except) != 0 && json_object_get(obj, refs[i])) return 1;
    return has_any(obj, kws) || (d >= JS_DRAFT_6 && json_object_get(obj, "const")) ||
           has_any(obj, string_kws) || has_any(obj, number_kws) || has_array_kw(obj, d) ||
           has_object_kw(obj, d) || has_conditional_kw(obj, d);
}

/* ------------------------------------------------------------------------ */
/* the model                                                                 */

typedef struct pending_ref {
    js_node *node;
    js_loc *target;
} pending_ref;

typedef struct builder {
    js_ctx *c;
    pending_ref *pending;
    size_t n_pending;
} builder;

static js_node *new_node(builder *b, js_kind kind, const char *pointer)
{
    js_node *n = js_arena_alloc(b->c->a, sizeof *n);
    n->kind = kind;
    n->pointer = pointer;
    n->additional_items.permits = 1;
    n->additional_properties.permits = 1;
    return n;
}

static js_node *build_loc(builder *b, js_loc *loc);

/* The node of child value v of parent at parent/kw[/key | /idx]. */
static js_node *build_child(builder *b, const js_loc *parent, json_t *v, const char *kw,
                            const char *key, long idx)
{
    js_ctx *c = b->c;
    if (json_is_object(v)) {
        js_loc *l = js_ptrmap_get(&c->locs, v);
        if (l) return build_loc(b, l);
    }
    const char *ptr = child_pointer(c, parent->pointer, kw);
    if (key) ptr = child_pointer(c, ptr, key);
    if (idx >= 0) ptr = index_pointer(c, ptr, (size_t)idx);
    return new_node(b, json_is_false(v) ? JS_FALSE : JS_EMPTY, ptr);
}

static js_node *bool_node(builder *b, const js_loc *parent, int value, const char *kw)
{
    return new_node(b, value ? JS_EMPTY : JS_FALSE, child_pointer(b->c, parent->pointer, kw));
}

static void set_limit(builder *b, js_limit *lim, const json_t *v)
{
    if (!json_is_number(v)) return;
    lim->present = 1;
    lim->value = json_number_value(v);
    lim->text = js_number_text(b->c->a, v);
}

static js_node *ref_node(builder *b, js_loc *loc, const char *kw)
{
    json_t *v = json_object_get(loc->value, kw);
    js_refsite *s = js_ptrmap_get(&b->c->site_by_value, v);
    js_node *n = new_node(b, JS_REF, loc->pointer);
    n->ref = json_string_value(v);
    if (s && s->target) {
        if ((b->n_pending & (b->n_pending - 1)) == 0) {
            size_t cap = b->n_pending ? b->n_pending * 2 : 8;
            b->pending = xrealloc(b->pending, cap * sizeof *b->pending);
        }
        b->pending[b->n_pending++] = (pending_ref){n, s->target};
    }
    return n;
}

static void fill_string(builder *b, js_node *n, const json_t *o)
{
    set_limit(b, &n->min_length, json_object_get(o, "minLength"));
    set_limit(b, &n->max_length, json_object_get(o, "maxLength"));
    json_t *p = json_object_get(o, "pattern"), *f = json_object_get(o, "format");
    n->pattern = json_string_value(p);
    n->format = json_string_value(f);
}

static void fill_number(builder *b, js_node *n, const json_t *o, js_draft d)
{
    set_limit(b, &n->minimum, json_object_get(o, "minimum"));
    set_limit(b, &n->maximum, json_object_get(o, "maximum"));
    set_limit(b, &n->multiple_of, json_object_get(o, "multipleOf"));
    if (d != JS_DRAFT_4) {
        set_limit(b, &n->exclusive_minimum, json_object_get(o, "exclusiveMinimum"));
        set_limit(b, &n->exclusive_maximum, json_object_get(o, "exclusiveMaximum"));
    }
    /* draft-04's boolean exclusiveMinimum/Maximum leave minimum/maximum where they
     * are: everit keeps them as flags beside the limit, and Confluent's diff never
     * looks at the flags (NumberSchemaDiff compares getMinimum/getMaximum and the
     * draft-06 limits only), so for the verdicts the flags do not exist. */
}

static void set_additional(builder *b, js_additional *add, const js_loc *loc, const char *kw)
{
    json_t *v = json_object_get(loc->value, kw);
    if (!v) return;
    if (json_is_boolean(v))
        add->permits = json_is_true(v);
    else
        add->schema = build_child(b, loc, v, kw, NULL, -1);
}

static js_node *optional_schema(builder *b, const js_loc *loc, const char *kw)
{
    json_t *v = json_object_get(loc->value, kw);
    return v ? build_child(b, loc, v, kw, NULL, -1) : NULL;
}

static void item_list(builder *b, js_node *n, const js_loc *loc, const char *kw)
{
    json_t *a = json_object_get(loc->value, kw);
    n->n_item_schemas = json_array_size(a);
    n->item_schemas = js_arena_alloc(b->c->a, (n->n_item_schemas + 1) * sizeof *n->item_schemas);
    for (size_t i = 0; i < n->n_item_schemas; i++)
        n->item_schemas[i] = build_child(b, loc, json_array_get(a, i), kw, NULL, (long)i);
}

static void fill_array(builder *b, js_node *n, const js_loc *loc)
{
    const json_t *o = loc->value;
    js_draft d = loc->doc->draft;
    json_t *items = json_object_get(o, "items");
    if (d >= JS_DRAFT_2020_12 && json_object_get(o, "prefixItems")) {
        item_list(b, n, loc, "prefixItems");
        if (json_is_false(items))
            n->additional_items.permits = 0;
        else if (items && !json_is_boolean(items))
            n->additional_items.schema = build_child(b, loc, items, "items", NULL, -1);
    } else if (json_is_array(items)) {
        item_list(b, n, loc, "items");
    } else if (items && d >= JS_DRAFT_2019_09 && json_is_boolean(items)) {
        if (json_is_false(items)) n->additional_items.permits = 0;
    } else if (items) {
        n->all_items = build_child(b, loc, items, "items", NULL, -1);
    }
    if (d < JS_DRAFT_2020_12) set_additional(b, &n->additional_items, loc, "additionalItems");
    if (d >= JS_DRAFT_2019_09) {
        json_t *u = json_object_get(o, "unevaluatedItems");
        if (json_is_boolean(u))
            n->unevaluated_items = bool_node(b, loc, json_is_true(u), "unevaluatedItems");
        else if (u)
            n->unevaluated_items = build_child(b, loc, u, "unevaluatedItems", NULL, -1);
        set_limit(b, &n->min_contains, json_object_get(o, "minContains"));
        set_limit(b, &n->max_contains, json_object_get(o, "maxContains"));
    }
    set_limit(b, &n->min_items, json_object_get(o, "minItems"));
    set_limit(b, &n->max_items, json_object_get(o, "maxItems"));
    n->unique_items = json_is_true(json_object_get(o, "uniqueItems"));
    if (d >= JS_DRAFT_6) n->contains = optional_schema(b, loc, "contains");
}

/* The entry for `name` (dependencies, dependentRequired and dependentSchemas share
 * one list); `index` maps names to positions + 1. */
static js_dependency *dependency(builder *b, js_node *n, js_strmap *index, const char *name)
{
    uintptr_t at = (uintptr_t)js_strmap_get(index, name);
    if (at) return &n->dependencies[at - 1];
    n->dependencies = js_arena_grow(b->c->a, n->dependencies, n->n_dependencies,
                                    sizeof *n->dependencies);
    js_dependency *dep = &n->dependencies[n->n_dependencies++];
    memset(dep, 0, sizeof *dep);
    dep->name = name;
    js_strmap_put(index, name, (void *)(uintptr_t)n->n_dependencies);
    return dep;
}

static void fill_dependencies(builder *b, js_node *n, js_strmap *index, const js_loc *loc,
                              const char *kw)
{
    json_t *m = json_object_get(loc->value, kw);
    const char *k;
    json_t *v;
    json_object_foreach(m, k, v) {
        js_dependency *dep = dependency(b, n, index, k);
        if (json_is_array(v)) {
            dep->n_names = json_array_size(v);
            dep->names = js_arena_alloc(b->c->a, (dep->n_names + 1) * sizeof *dep->names);
            for (size_t i = 0; i < dep->n_names; i++)
                dep->names[i] = json_string_value(json_array_get(v, i));
        } else {
            dep->schema = build_child(b, loc, v, kw, k, -1);
        }
    }
}

static void fill_object(builder *b, js_node *n, const js_loc *loc)
{
    const json_t *o = loc->value;
    js_draft d = loc->doc->draft;
    js_arena *a = b->c->a;
    const char *k;
    json_t *v;

    json_t *props = json_object_get(o, "properties");
    n->properties = js_arena_alloc(a, (json_object_size(props) + 1) * sizeof *n->properties);
    json_object_foreach(props, k, v) {
        js_property *p = &n->properties[n->n_properties++];
        p->name = k;
        p->schema = build_child(b, loc, v, "properties", k, -1);
    }
    json_t *req = json_object_get(o, "required");
    n->required = js_arena_alloc(a, (json_array_size(req) + 1) * sizeof *n->required);
    for (size_t i = 0; i < json_array_size(req); i++) {
        const char *name = json_string_value(json_array_get(req, i));
        if (name) n->required[n->n_required++] = name;
    }
    set_limit(b, &n->min_properties, json_object_get(o, "minProperties"));
    set_limit(b, &n->max_properties, json_object_get(o, "maxProperties"));
    js_strmap index = {0};
    fill_dependencies(b, n, &index, loc, "dependencies");
    if (d >= JS_DRAFT_2019_09) {
        fill_dependencies(b, n, &index, loc, "dependentRequired");
        fill_dependencies(b, n, &index, loc, "dependentSchemas");
    }
    js_strmap_free(&index);
    json_t *pp = json_object_get(o, "patternProperties");
    n->pattern_properties =
        js_arena_alloc(a, (json_object_size(pp) + 1) * sizeof *n->pattern_properties);
    json_object_foreach(pp, k, v) {
        js_pattern_property *p = &n->pattern_properties[n->n_pattern_properties++];
        p->pattern = k;
        p->schema = build_child(b, loc, v, "patternProperties", k, -1);
    }
    set_additional(b, &n->additional_properties, loc, "additionalProperties");
    if (d >= JS_DRAFT_2019_09) {
        json_t *u = json_object_get(o, "unevaluatedProperties");
        if (json_is_boolean(u))
            n->unevaluated_properties = bool_node(b, loc, json_is_true(u), "unevaluatedProperties");
        else if (u)
            n->unevaluated_properties = build_child(b, loc, u, "unevaluatedProperties", NULL, -1);
    }
    if (d >= JS_DRAFT_6) n->property_names = optional_schema(b, loc, "propertyNames");
}

enum { G_STRING = 1, G_NUMBER = 2, G_ARRAY = 4, G_OBJECT = 8 };

/* The typed node for one type name, consuming its keyword group. */
static js_node *typed(builder *b, const js_loc *loc, const char *type, unsigned *consumed)
{
    js_node *n;
    const json_t *o = loc->value;
    if (strcmp(type, "string") == 0) {
        n = new_node(b, JS_STRING, loc->pointer);
        fill_string(b, n, o);
        *consumed |= G_STRING;
    } else if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
        n = new_node(b, JS_NUMBER, loc->pointer);
        n->requires_integer = type[0] == 'i';
        fill_number(b, n, o, loc->doc->draft);
        *consumed |= G_NUMBER;
    } else if (strcmp(type, "boolean") == 0) {
        n = new_node(b, JS_BOOLEAN, loc->pointer);
    } else if (strcmp(type, "null") == 0) {
        n = new_node(b, JS_NULL, loc->pointer);
    } else if (strcmp(type, "array") == 0) {
        n = new_node(b, JS_ARRAY, loc->pointer);
        fill_array(b, n, loc);
        *consumed |= G_ARRAY;
    } else {
        n = new_node(b, JS_OBJECT, loc->pointer);
        fill_object(b, n, loc);
        *consumed |= G_OBJECT;
    }
    return n;
}

static js_node *combined(builder *b, const js_loc *loc, const char *kw, js_criterion crit)
{
    json_t *a = json_object_get(loc->value, kw);
    js_node *n = new_node(b, JS_COMBINED, loc->pointer);
    n->criterion = crit;
    n->n_subschemas = json_array_size(a);
    n->subschemas = js_arena_alloc(b->c->a, (n->n_subschemas + 1) * sizeof *n->subschemas);
    for (size_t i = 0; i < n->n_subschemas; i++)
        n->subschemas[i] = build_child(b, loc, json_array_get(a, i), kw, NULL, (long)i);
    return n;
}

/* everit's extractors over a schema object; returns the number of results. */
static size_t extract(builder *b, js_loc *loc, js_node **out)
{
    const json_t *o = loc->value;
    js_draft d = loc->doc->draft;
    size_t n = 0;
    if (json_is_string(json_object_get(o, "$ref"))) {
        out[n++] = ref_node(b, loc, "$ref");
        if (d <= JS_DRAFT_7) return n;
    }
    if (d == JS_DRAFT_2019_09 && json_is_string(json_object_get(o, "$recursiveRef")))
        out[n++] = ref_node(b, loc, "$recursiveRef");
    if (d >= JS_DRAFT_2020_12 && json_is_string(json_object_get(o, "$dynamicRef")))
        out[n++] = ref_node(b, loc, "$dynamicRef");
    json_t *e = json_object_get(o, "enum");
    if (json_is_array(e)) {
        js_node *en = new_node(b, JS_ENUM, loc->pointer);
        en->n_values = json_array_size(e);
        en->values = js_arena_alloc(b->c->a, (en->n_values + 1) * sizeof *en->values);
        for (size_t i = 0; i < en->n_values; i++) en->values[i] = json_array_get(e, i);
        out[n++] = en;
    }
    /* everit collects the combinators through a HashSet: allOf, oneOf, anyOf */
    if (json_object_get(o, "allOf")) out[n++] = combined(b, loc, "allOf", JS_ALL_OF);
    if (json_object_get(o, "oneOf")) out[n++] = combined(b, loc, "oneOf", JS_ONE_OF);
    if (json_object_get(o, "anyOf")) out[n++] = combined(b, loc, "anyOf", JS_ANY_OF);
    json_t *not = json_object_get(o, "not");
    if (not) {
        js_node *nn = new_node(b, JS_NOT, loc->pointer);
        nn->not_schema = build_child(b, loc, not, "not", NULL, -1);
        out[n++] = nn;
    }
    json_t *cst = json_object_get(o, "const");
    if (cst && d >= JS_DRAFT_6) {
        js_node *cn = new_node(b, JS_CONST, loc->pointer);
        cn->values = js_arena_alloc(b->c->a, sizeof *cn->values);
        cn->values[0] = cst;
        cn->n_values = 1;
        out[n++] = cn;
    }
    unsigned consumed = 0;
    json_t *type = json_object_get(o, "type");
    if (json_is_string(type)) {
        out[n++] = typed(b, loc, json_string_value(type), &consumed);
    } else if (json_is_array(type)) {
        js_node *any = new_node(b, JS_COMBINED, loc->pointer);
        any->criterion = JS_ANY_OF;
        any->n_subschemas = json_array_size(type);
        any->subschemas = js_arena_alloc(b->c->a, (any->n_subschemas + 1) * sizeof *any->subschemas);
        for (size_t i = 0; i < any->n_subschemas; i++)
            any->subschemas[i] = typed(b, loc, json_string_value(json_array_get(type, i)), &consumed);
        out[n++] = any;
    }
    /* the sniffer, over the keywords no type consumed */
    if (!(consumed & G_ARRAY) && has_array_kw(o, d)) out[n++] = typed(b, loc, "array", &consumed);
    if (!(consumed & G_OBJECT) && has_object_kw(o, d)) out[n++] = typed(b, loc, "object", &consumed);
    if (!(consumed & G_NUMBER) && has_any(o, number_kws)) out[n++] = typed(b, loc, "number", &consumed);
    if (!(consumed & G_STRING) && has_any(o, string_kws)) out[n++] = typed(b, loc, "string", &consumed);
    if (has_conditional_kw(o, d)) out[n++] = new_node(b, JS_CONDITIONAL, loc->pointer);
    return n;
}

static void attach_common(js_node *n, const js_loc *loc)
{
    const json_t *o = loc->value;
    n->id = json_string_value(json_object_get(o, loc->doc->draft == JS_DRAFT_4 ? "id" : "$id"));
    n->title = json_string_value(json_object_get(o, "title"));
    n->description = json_string_value(json_object_get(o, "description"));
    n->default_value = json_object_get(o, "default");
    n->connect_type = json_object_get(o, "connect.type");
}

static js_node *build_loc(builder *b, js_loc *loc)
{
    if (loc->node) return loc->node;
    if (!json_is_object(loc->value)) {
        loc->node = new_node(b, json_is_false(loc->value) ? JS_FALSE : JS_EMPTY, loc->pointer);
        return loc->node;
    }
    js_node *results[16];
    size_t n = extract(b, loc, results);
    js_node *node;
    if (n == 0) {
        node = new_node(b, JS_EMPTY, loc->pointer);
    } else if (n == 1) {
        node = results[0];
    } else {
        node = new_node(b, JS_COMBINED, loc->pointer);
        node->criterion = JS_ALL_OF;
        node->synthetic = 1;
        node->n_subschemas = n;
        node->subschemas = js_arena_alloc(b->c->a, n * sizeof *node->subschemas);
        memcpy(node->subschemas, results, n * sizeof *results);
    }
    attach_common(node, loc);
    loc->node = node;
    return node;
}

/* ------------------------------------------------------------------------ */
/* entry points                                                              */

static js_draft doc_draft(const json_t *root, js_draft fallback, int *unknown)
{
    json_t *sv = json_is_object(root) ? json_object_get(root, "$schema") : NULL;
    *unknown = 0;
    if (!sv) return fallback;
    if (!json_is_string(sv)) {
        *unknown = 1;
        return fallback;
    }
    int d = draft_of_uri(json_string_value(sv));
    if (d < 0) {
        *unknown = 1;
        return fallback;
    }
    return (js_draft)d;
}

static int read_doc(js_ctx *c, js_doc *doc, const char *text, size_t len)
{
    char msg[200];
    if (!text) return js_fail(c, doc, NULL, "no schema text");
    doc->root = js_json_read(c->a, text, len, msg, sizeof msg);
    if (!doc->root) return js_fail(c, doc, NULL, "not valid JSON: %s", msg);
    js_arena_keep_json(c->a, doc->root);
    if (!json_is_object(doc->root) && !json_is_boolean(doc->root))
        return js_fail(c, doc, "#", "a schema must be a JSON object or a boolean");
    return 0;
}

/* The base URI of a document: its root $id resolved against `against`. */
static const char *doc_uri(js_ctx *c, const js_doc *doc, const char *against)
{
    json_t *id = json_is_object(doc->root)
                     ? json_object_get(doc->root, doc->draft == JS_DRAFT_4 ? "id" : "$id")
                     : NULL;
    if (!json_is_string(id)) return js_arena_strdup(c->a, against);
    return js_uri_strip_fragment(c->a, js_uri_resolve(c->a, against, json_string_value(id)), NULL);
}

static int walk_doc(js_ctx *c, js_doc *doc)
{
    if (json_is_object(doc->root)) {
        if (js_walk_schema(c, doc, doc->root, "#", doc->retrieval, doc->retrieval, NULL, 0) < 0)
            return -1;
        doc->loc = js_ptrmap_get(&c->locs, doc->root);
    } else {
        js_loc *l = js_arena_alloc(c->a, sizeof *l);
        l->value = doc->root;
        l->pointer = "#";
        l->base = l->resource = doc->uri;
        l->resource_root = l;
        l->doc = doc;
        doc->loc = l;
    }
    /* known by its $id (registered by the walk) and by where it came from */
    if (!js_strmap_get(&c->resources, doc->uri)) js_strmap_put(&c->resources, doc->uri, doc->loc);
    if (!js_strmap_get(&c->resources, doc->retrieval))
        js_strmap_put(&c->resources, doc->retrieval, doc->loc);
    return 0;
}

static int load(js_ctx *c, const char *text, size_t len, const sr_dep *deps, size_t n_deps)
{
    c->n_docs = n_deps + 1;
    c->docs = js_arena_alloc(c->a, c->n_docs * sizeof *c->docs);
    js_doc *root = &c->docs[n_deps];
    for (size_t i = 0; i < n_deps; i++) {
        c->docs[i].name = js_arena_strdup(c->a, deps[i].name ? deps[i].name : "?");
        if (read_doc(c, &c->docs[i], deps[i].text, deps[i].text ? strlen(deps[i].text) : 0) < 0)
            return -1;
    }
    if (read_doc(c, root, text, len) < 0) return -1;

    int unknown;
    root->draft = doc_draft(root->root, JS_DRAFT_7, &unknown);
    if (unknown)
        return js_fail(c, root, "#/$schema", "unknown or unsupported JSON Schema version");
    root->retrieval = JS_DEFAULT_BASE;
    root->uri = doc_uri(c, root, root->retrieval);
    for (size_t i = 0; i < n_deps; i++) {
        js_doc *d = &c->docs[i];
        d->draft = doc_draft(d->root, root->draft, &unknown);
        if (unknown) return js_fail(c, d, "#/$schema", "unknown or unsupported JSON Schema version");
        d->retrieval = js_uri_strip_fragment(c->a, js_uri_resolve(c->a, root->uri, d->name), NULL);
        d->uri = doc_uri(c, d, d->retrieval);
        const char *name = d->name;
        while (name[0] == '.' && name[1] == '/') name += 2;
        if (!js_strmap_get(&c->names, name)) js_strmap_put(&c->names, name, d);
    }
    /* deps first: a reference's own $id is its own */
    for (size_t i = 0; i < c->n_docs; i++)
        if (walk_doc(c, &c->docs[i]) < 0) return -1;
    return js_resolve_refs(c);
}

static void ctx_free(js_ctx *c)
{
    js_ptrmap_free(&c->locs);
    js_strmap_free(&c->resources);
    js_strmap_free(&c->dynamic);
    js_strmap_free(&c->names);
    js_ptrmap_free(&c->site_of);
    js_ptrmap_free(&c->site_by_value);
}

js_schema *js_fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                        unsigned flags, sr_error *err)
{
    js_schema *s = xcalloc(1, sizeof *s);
    s->arena = js_arena_new();
    js_ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.a = s->arena;
    c.err = err;
    c.flags = flags;
    if (load(&c, text, len, deps, n_deps) < 0) {
        ctx_free(&c);
        js_fmt_schema_free(s);
        return NULL;
    }
    js_doc *root = &c.docs[c.n_docs - 1];
    s->draft = root->draft;
    s->document = root->root;
    builder b = {&c, NULL, 0};
    s->root = build_loc(&b, root->loc);
    for (size_t i = 0; i < b.n_pending; i++)
        b.pending[i].node->target = build_loc(&b, b.pending[i].target);
    free(b.pending);
    ctx_free(&c);
    return s;
}

void js_fmt_schema_free(js_schema *schema)
{
    if (!schema) return;
    js_arena_free(schema->arena);
    free(schema);
}
