/*
 * Printing a resolved .proto file: the canonical text (what is stored, hashed
 * and returned) and the normalized text (normalize=true).
 *
 * The canonical text is Confluent's: ProtobufSchema.canonicalString() is
 * ProtobufSchemaUtils.toString(ProtoFileElement), Confluent's own printer over
 * square/wire's parse tree (not wire's ProtoFileElement.toSchema()). Its layout,
 * reproduced here:
 *  - file: `syntax = "..";` and `package ..;` (no blank line between), then one
 *    section per kind, each preceded by one empty line: imports (plain ones,
 *    then `import public`), `option` statements, types (all messages, then all
 *    enums), `extend` blocks, services. No header comment; comments dropped.
 *  - message: `message N {`, then sections each preceded by "\n": reserved,
 *    options, fields (not in a oneof), oneofs, groups, extension ranges, extend
 *    blocks, nested messages then nested enums; `}`. An empty message is
 *    `message N {}`. Nested blocks are indented by 2 spaces per line, empty lines
 *    included (Java's appendIndented: an empty line inside a nested block is
 *    printed as its indentation).
 *  - enum: `enum N {`, reserved, then (one "\n" only when there is no reserved)
 *    options and constants with no blank line between.
 *  - field: `label type name = N` + options + `;` (label only if written;
 *    `default` and `json_name` are printed after the other options); a single
 *    option is inline `[a = 1]`, several go one per line `[\n  a = 1,\n  b = 2\n]`.
 *  - option values: strings double-quoted with \a \b \f \n \r \t \v \\ \' \"
 *    escaped; numbers, booleans and identifiers as written; aggregates as wire
 *    reads them (a map: one `key: value` per line, `,` between; repeated keys
 *    merged into a list `[\n  a,\n  b\n]`).
 *  - reserved/extensions: `reserved 1, 5 to 9, 100 to max;`, names quoted;
 *    rpc: `rpc N (stream A) returns (B);` or `{ option ...; };`.
 * Normalization (ProtobufSchemaUtils with FormatContext normalize=true): syntax
 * only for proto3; imports sorted and deduplicated; options resolved (custom
 * option names fully qualified, `(a).b.c = v` turned into `(a) = { b: { c: v } }`),
 * sorted by name and merged per non-repeated extension; numbers reformatted
 * (DecimalFormat, 3 fraction digits); aggregate keys sorted and single-element
 * lists unwrapped; fields sorted by number (also inside oneofs and groups),
 * oneofs by first member, enum constants by (number, name), reserved ranges and
 * extension ranges split one per statement and sorted; type names fully
 * qualified with a leading dot; extend blocks merged per extendee. Messages,
 * enums, services and rpcs keep their order (message indexes depend on it).
 *
 * Deliberate differences from Confluent, each where Confluent's text would
 * change the schema's meaning or not parse again with protoc's grammar:
 *  - bytes defaults stay quoted (Confluent prints them bare);
 *  - bytes that are not UTF-8 and control characters print as octal escapes;
 *  - weak imports are kept (`import weak`); groups keep their options and
 *    nested declarations;
 *  - map fields read from a descriptor print as `map<K, V>` (the model has no
 *    explicit map-entry messages);
 *  - normalizing, two pieces of one option message (`(a).b.c = 1;
 *    (a).b.d = 2;`) merge into one `b` instead of a list of two; `-0` stays
 *    `-0`; a floating value whose DecimalFormat would be an integer literal
 *    beyond 64 bits (1e300) keeps its spelling.
 * Like Confluent, extension range options are not printed. `reserved 5 to 5`
 * prints as `reserved 5` (the model does not keep that spelling).
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_internal.h"

/* ------------------------------------------------------------------------ */
/* option values as wire models them                                         */

typedef enum vkind {
    V_STRING, /* text/len: decoded bytes */
    V_BOOL,   /* text: true/false */
    V_ENUM,   /* text: an identifier */
    V_NUMBER, /* text: as written */
    V_MAP,    /* keys/vals/n */
    V_LIST,   /* vals/n */
    V_OPTION, /* option: a nested option, `(a).b = v` */
    V_RAW,    /* text printed as is (an aggregate we could not read) */
} vkind;

typedef struct val val;
typedef struct opt opt;

struct opt {
    const char *name; /* without parentheses */
    int paren;
    val *value;
};

struct val {
    vkind kind;
    const char *text;
    size_t len;
    const char **keys;
    val **vals;
    size_t n;
    opt *option;
};

typedef struct ext_info {
    const char *name; /* full name, no leading dot */
    int repeated;
} ext_info;

typedef struct pctx {
    const pb_schema *schema;
    const pb_file *file;
    int normalize, ignore_ext;
    arena *a;
    ext_info *exts;
    size_t n_exts;
    strbuf out; /* the text being printed */
    int level;  /* indentation, two spaces each */
    int bol;    /* at the beginning of a line */
} pctx;

static val *val_new(pctx *c, vkind k)
{
    val *v = arena_alloc(c->a, sizeof *v);
    v->kind = k;
    return v;
}

static void val_push(pctx *c, val *list, const char *key, val *item)
{
    if (key) list->keys = arena_grow(c->a, list->keys, list->n, sizeof *list->keys);
    list->vals = arena_grow(c->a, list->vals, list->n, sizeof *list->vals);
    if (key) list->keys[list->n] = key;
    list->vals[list->n++] = item;
}

static long map_find(const val *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i], key) == 0) return (long)i;
    return -1;
}

/* ------------------------------------------------------------------------ */
/* text helpers                                                              */

static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need) return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return need;
}

/* Confluent's escapeChars, over bytes: the named escapes; UTF-8 as is; any
 * other byte (control characters, bytes that are not UTF-8) as \ooo. */
static void put_escaped(strbuf *sb, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        switch (c) {
        case 7: strbuf_puts(sb, "\\a"); continue;
        case 8: strbuf_puts(sb, "\\b"); continue;
        case 12: strbuf_puts(sb, "\\f"); continue;
        case '\n': strbuf_puts(sb, "\\n"); continue;
        case '\r': strbuf_puts(sb, "\\r"); continue;
        case '\t': strbuf_puts(sb, "\\t"); continue;
        case 11: strbuf_puts(sb, "\\v"); continue;
        case '\\': strbuf_puts(sb, "\\\\"); continue;
        case '\'': strbuf_puts(sb, "\\'"); continue;
        case '"': strbuf_puts(sb, "\\\""); continue;
        default: break;
        }
        if (c >= 0x20 && c < 0x7F) {
            strbuf_putc(sb, (char)c);
        } else if (c >= 0x80) {
            size_t k = utf8_seq(u + i, n - i);
            if (k) {
                strbuf_add(sb, s + i, k);
                i += k - 1;
            } else {
                strbuf_printf(sb, "\\%03o", c);
            }
        } else {
            strbuf_printf(sb, "\\%03o", c);
        }
    }
}

static void put_quoted(strbuf *sb, const char *s, size_t n)
{
    strbuf_putc(sb, '"');
    put_escaped(sb, s, n);
    strbuf_putc(sb, '"');
}

/* A copy of s without whitespace (names and types may be written with spaces
 * between their tokens). */
static const char *compact(pctx *c, const char *s)
{
    if (!s) return "";
    size_t n = strlen(s), k = 0;
    char *out = arena_alloc(c->a, n + 1);
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) out[k++] = s[i];
    out[k] = '\0';
    return out;
}

/* ------------------------------------------------------------------------ */
/* numbers (normalize): commons-lang3 NumberUtils.createNumber, then          */
/* java.text.DecimalFormat with grouping off (at most 3 fraction digits,     */
/* HALF_EVEN). Anything createNumber rejects (inf, nan, -inf) stays as is.   */

static void shortest(double v, int is_float, char *buf, size_t n)
{
    for (int p = 1; p <= (is_float ? 9 : 17); p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (is_float ? (strtof(buf, NULL) == (float)v) : (strtod(buf, NULL) == v)) return;
    }
}

/* DecimalFormat of v; NULL when that is an integer literal beyond 64 bits,
 * which protoc refuses for a floating value (it keeps its spelling then). */
static const char *fmt_decimal(pctx *c, double v)
{
    int n = snprintf(NULL, 0, "%.3f", v);
    char *buf = arena_alloc(c->a, (size_t)n + 1);
    snprintf(buf, (size_t)n + 1, "%.3f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0') *e-- = '\0';
        if (e == dot) *e = '\0';
    }
    if (!strchr(buf, '.')) {
        const char *digits = buf[0] == '-' ? buf + 1 : buf;
        size_t nd = strlen(digits);
        if (nd > 20 || (nd == 20 && strcmp(digits, "18446744073709551615") > 0)) return NULL;
    }
    return buf;
}

static int all_digits(const char *s, size_t n, int base)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        int d = isdigit(ch) ? ch - '0' : isxdigit(ch) ? (tolower(ch) - 'a' + 10) : 99;
        if (d >= base) return 0;
    }
    return 1;
}

static const char *format_number(pctx *c, const char *text)
{
    if (!text || !(isdigit((unsigned char)text[0]) || text[0] == '-')) return text;
    const char *s = text;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    size_t n = strlen(s);
    if (n == 0) return text;
    /* integers: Integer.decode / Long.decode / BigInteger (hex, octal, decimal) */
    int base = 10;
    const char *digits = s;
    size_t nd = n;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        digits = s + 2;
        nd = n - 2;
    } else if (s[n - 1] == 'l' || s[n - 1] == 'L') {
        nd = n - 1;
    }
    int is_int = base == 16 ? all_digits(digits, nd, 16) : all_digits(digits, nd, 10);
    if (is_int) {
        if (base == 10 && nd > 1 && digits[0] == '0') {
            base = 8;
            digits++;
            nd--;
            if (!all_digits(digits, nd, 8)) return text;
        }
        unsigned long long v = 0;
        for (size_t i = 0; i < nd; i++) {
            int ch = (unsigned char)digits[i];
            unsigned d = isdigit(ch) ? (unsigned)(ch - '0') : (unsigned)(tolower(ch) - 'a' + 10);
            if (v > (ULLONG_MAX - d) / (unsigned)base) return text; /* BigInteger: keep */
            v = v * (unsigned)base + d;
        }
        /* Integer.decode("-0") is 0; "-0" is kept so that a float's negative
         * zero survives and normalizing twice gives the same text */
        return arena_printf(c->a, "%s%llu", neg ? "-" : "", v);
    }
    /* decimals: optional f/F/d/D suffix, else Float if it prints like the Double */
    char suffix = 0;
    size_t len = n;
    if (strchr("fFdD", s[n - 1])) {
        suffix = (char)tolower((unsigned char)s[n - 1]);
        len--;
    }
    char *num = arena_alloc(c->a, len + 2);
    if (neg) num[0] = '-';
    memcpy(num + neg, s, len);
    num[len + (size_t)neg] = '\0';
    /* what Float.valueOf accepts: digits, one '.', exponent */
    int seen_digit = 0, all_zero = 1;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (isdigit((unsigned char)ch)) {
            seen_digit = 1;
            if (ch != '0') all_zero = 0;
        } else if (ch != '.' && ch != 'e' && ch != 'E' && ch != '+' && ch != '-') {
            return text;
        }
    }
    if (!seen_digit) return text;
    char *end;
    double d = strtod(num, &end);
    if (*end) return text;
    float f = strtof(num, NULL);
    const char *out = NULL;
    int done = 0;
    if (suffix != 'd') {
        int float_ok = !isinf(f) && !(f == 0.0f && !all_zero);
        if (float_ok && suffix == 'f') {
            out = fmt_decimal(c, (double)f);
            done = 1;
        } else if (float_ok) {
            char fb[64], db[64];
            shortest((double)f, 1, fb, sizeof fb);
            shortest(d, 0, db, sizeof db);
            if (strcmp(fb, db) == 0) {
                out = fmt_decimal(c, (double)f);
                done = 1;
            }
        }
    }
    if (!done && !isinf(d)) out = fmt_decimal(c, d); /* Double, or BigDecimal (approximated) */
    return out ? out : text;
}

/* ------------------------------------------------------------------------ */
/* extension fields and name resolution (normalize)                          */

static void add_ext(pctx *c, const char *scope, const pb_field *f)
{
    c->exts = arena_grow(c->a, c->exts, c->n_exts, sizeof *c->exts);
    ext_info *e = &c->exts[c->n_exts++];
    e->name = scope && *scope ? arena_printf(c->a, "%s.%s", scope, f->name)
                              : arena_strdup(c->a, f->name);
    e->repeated = f->label == PB_LABEL_REPEATED;
}

static void collect_msg_exts(pctx *c, const pb_message *m, int depth)
{
    if (!m || depth > PB_MAX_DEPTH + 8) return;
    for (size_t i = 0; i < m->n_extends; i++)
        for (size_t j = 0; j < m->extends[i].n_fields; j++)
            add_ext(c, m->full_name, &m->extends[i].fields[j]);
    for (size_t i = 0; i < m->n_messages; i++) collect_msg_exts(c, m->messages[i], depth + 1);
}

static void collect_file_exts(pctx *c, const pb_file *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n_extends; i++)
        for (size_t j = 0; j < f->extends[i].n_fields; j++)
            add_ext(c, f->package, &f->extends[i].fields[j]);
    for (size_t i = 0; i < f->n_messages; i++) collect_msg_exts(c, f->messages[i], 0);
}

static const ext_info *find_ext(const pctx *c, const char *name)
{
    if (name[0] == '.') name++;
    for (size_t i = 0; i < c->n_exts; i++)
        if (strcmp(c->exts[i].name, name) == 0) return &c->exts[i];
    return NULL;
}

/* Confluent's Context.resolve for extension names: a leading dot is absolute;
 * otherwise try scope.name for the scope and each enclosing scope, then name. */
static const char *resolve_ext(pctx *c, const char *name, const char *scope)
{
    if (!name || !*name) return NULL;
    if (name[0] == '.') return find_ext(c, name + 1) ? name + 1 : NULL;
    if (scope && *scope) {
        char *pre = arena_strdup(c->a, scope);
        for (;;) {
            const char *cand = arena_printf(c->a, "%s.%s", pre, name);
            if (find_ext(c, cand)) return cand;
            char *dot = strrchr(pre, '.');
            if (!dot) break;
            *dot = '\0';
        }
    }
    return find_ext(c, name) ? name : NULL;
}

/* ------------------------------------------------------------------------ */
/* aggregate (text-format) values, read the way wire's OptionReader does     */

typedef struct rd {
    const char *s;
    size_t n, at;
    int depth;
} rd;

static void rd_skip(rd *r)
{
    while (r->at < r->n) {
        char ch = r->s[r->at];
        if (isspace((unsigned char)ch)) {
            r->at++;
        } else if (ch == '#') {
            while (r->at < r->n && r->s[r->at] != '\n') r->at++;
        } else if (ch == '/' && r->at + 1 < r->n && r->s[r->at + 1] == '/') {
            while (r->at < r->n && r->s[r->at] != '\n') r->at++;
        } else if (ch == '/' && r->at + 1 < r->n && r->s[r->at + 1] == '*') {
            r->at += 2;
            while (r->at + 1 < r->n && !(r->s[r->at] == '*' && r->s[r->at + 1] == '/')) r->at++;
            r->at = r->at + 2 <= r->n ? r->at + 2 : r->n;
        } else {
            break;
        }
    }
}

static int rd_peek(rd *r)
{
    rd_skip(r);
    return r->at < r->n ? (unsigned char)r->s[r->at] : -1;
}

static int rd_eat(rd *r, char ch)
{
    if (rd_peek(r) == (unsigned char)ch) {
        r->at++;
        return 1;
    }
    return 0;
}

static int word_char(int ch)
{
    return isalnum(ch) || ch == '_' || ch == '-' || ch == '.' || ch == '+';
}

static const char *rd_word(pctx *c, rd *r)
{
    rd_skip(r);
    size_t start = r->at;
    while (r->at < r->n) {
        int ch = (unsigned char)r->s[r->at];
        /* '+' only inside an exponent */
        if (ch == '+' && !(r->at > start && (r->s[r->at - 1] == 'e' || r->s[r->at - 1] == 'E')))
            break;
        if (!word_char(ch)) break;
        r->at++;
    }
    if (r->at == start) return NULL;
    return arena_strndup(c->a, r->s + start, r->at - start);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static void put_utf8(strbuf *sb, unsigned long cp)
{
    if (cp < 0x80) {
        strbuf_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        strbuf_putc(sb, (char)(0xC0 | (cp >> 6)));
        strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        strbuf_putc(sb, (char)(0xE0 | (cp >> 12)));
        strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        strbuf_putc(sb, (char)(0xF0 | (cp >> 18)));
        strbuf_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
        strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

/* Quoted strings, adjacent ones concatenated; escapes decoded. */
static val *rd_string(pctx *c, rd *r)
{
    strbuf sb = STRBUF_INIT;
    int any = 0;
    for (;;) {
        int q = rd_peek(r);
        if (q != '"' && q != '\'') break;
        any = 1;
        r->at++;
        for (;;) {
            if (r->at >= r->n) {
                strbuf_free(&sb);
                return NULL;
            }
            char ch = r->s[r->at++];
            if (ch == q) break;
            if (ch != '\\') {
                strbuf_putc(&sb, ch);
                continue;
            }
            if (r->at >= r->n) {
                strbuf_free(&sb);
                return NULL;
            }
            ch = r->s[r->at++];
            switch (ch) {
            case 'a': strbuf_putc(&sb, 7); break;
            case 'b': strbuf_putc(&sb, 8); break;
            case 'f': strbuf_putc(&sb, 12); break;
            case 'n': strbuf_putc(&sb, '\n'); break;
            case 'r': strbuf_putc(&sb, '\r'); break;
            case 't': strbuf_putc(&sb, '\t'); break;
            case 'v': strbuf_putc(&sb, 11); break;
            case 'x':
            case 'X': {
                int v = 0, k = 0;
                while (k < 2 && r->at < r->n && hexval((unsigned char)r->s[r->at]) >= 0) {
                    v = v * 16 + hexval((unsigned char)r->s[r->at++]);
                    k++;
                }
                strbuf_putc(&sb, (char)v);
                break;
            }
            case 'u':
            case 'U': {
                int want = ch == 'u' ? 4 : 8, k = 0;
                unsigned long v = 0;
                while (k < want && r->at < r->n && hexval((unsigned char)r->s[r->at]) >= 0) {
                    v = v * 16 + (unsigned long)hexval((unsigned char)r->s[r->at++]);
                    k++;
                }
                put_utf8(&sb, v > 0x10FFFF ? 0xFFFD : v);
                break;
            }
            default:
                if (ch >= '0' && ch <= '7') {
                    int v = ch - '0', k = 1;
                    while (k < 3 && r->at < r->n && r->s[r->at] >= '0' && r->s[r->at] <= '7') {
                        v = v * 8 + (r->s[r->at++] - '0');
                        k++;
                    }
                    strbuf_putc(&sb, (char)(v & 0xFF));
                } else {
                    strbuf_putc(&sb, ch); /* \\ \' \" \? */
                }
            }
        }
    }
    if (!any) {
        strbuf_free(&sb);
        return NULL;
    }
    val *v = val_new(c, V_STRING);
    v->len = sb.len;
    v->text = arena_strndup(c->a, sb.data ? sb.data : "", sb.len);
    strbuf_free(&sb);
    return v;
}

static val *rd_map(pctx *c, rd *r, int close);

static val *rd_value(pctx *c, rd *r)
{
    int ch = rd_peek(r);
    if (ch == '{' || ch == '<') {
        r->at++;
        return rd_map(c, r, ch == '{' ? '}' : '>');
    }
    if (ch == '[') {
        r->at++;
        if (++r->depth > PB_MAX_DEPTH) return NULL;
        val *l = val_new(c, V_LIST);
        for (;;) {
            if (rd_eat(r, ']')) break;
            val *item = rd_value(c, r);
            if (!item) return NULL;
            val_push(c, l, NULL, item);
            if (rd_eat(r, ',')) continue;
            if (rd_peek(r) != ']') return NULL;
        }
        r->depth--;
        return l;
    }
    if (ch == '"' || ch == '\'') return rd_string(c, r);
    if (ch == '-') {
        r->at++;
        const char *w = rd_word(c, r);
        if (!w) return NULL;
        val *v = val_new(c, V_NUMBER);
        v->text = arena_printf(c->a, "-%s", w);
        return v;
    }
    const char *w = rd_word(c, r);
    if (!w) return NULL;
    val *v;
    if (isdigit((unsigned char)w[0])) {
        v = val_new(c, V_NUMBER);
    } else if (strcmp(w, "true") == 0 || strcmp(w, "false") == 0) {
        v = val_new(c, V_BOOL);
    } else {
        v = val_new(c, V_ENUM);
    }
    v->text = w;
    return v;
}

/* wire's readMap: repeated keys collect their values into one list. */
static void map_add(pctx *c, val *m, const char *key, val *value)
{
    long i = map_find(m, key);
    if (i < 0) {
        val_push(c, m, key, value);
        return;
    }
    val *prev = m->vals[i];
    if (prev->kind != V_LIST) {
        val *l = val_new(c, V_LIST);
        val_push(c, l, NULL, prev);
        m->vals[i] = prev = l;
    }
    if (value->kind == V_LIST) {
        for (size_t k = 0; k < value->n; k++) val_push(c, prev, NULL, value->vals[k]);
    } else {
        val_push(c, prev, NULL, value);
    }
}

/* close: the closing character, or -1 for the end of the input */
static val *rd_map(pctx *c, rd *r, int close)
{
    if (++r->depth > PB_MAX_DEPTH) return NULL;
    val *m = val_new(c, V_MAP);
    for (;;) {
        int ch = rd_peek(r);
        if (ch == close) {
            if (close >= 0) r->at++;
            break;
        }
        if (ch < 0) return NULL;
        const char *key;
        if (ch == '[') {
            size_t start = ++r->at;
            while (r->at < r->n && r->s[r->at] != ']') r->at++;
            if (r->at >= r->n) return NULL;
            strbuf kb = STRBUF_INIT;
            strbuf_putc(&kb, '[');
            for (size_t i = start; i < r->at; i++)
                if (!isspace((unsigned char)r->s[i])) strbuf_putc(&kb, r->s[i]);
            strbuf_putc(&kb, ']');
            key = arena_strndup(c->a, kb.data, kb.len);
            strbuf_free(&kb);
            r->at++;
        } else {
            size_t save = r->at;
            key = rd_word(c, r);
            if (!key || key[0] == '-' || key[0] == '+') {
                r->at = save;
                return NULL;
            }
        }
        /* `[ext].sub: v` (wire: a nested option under the key) */
        const char *sub = NULL;
        if (rd_peek(r) == '.') {
            r->at++;
            sub = rd_word(c, r);
            if (!sub) return NULL;
        }
        int sep = rd_eat(r, ':');
        ch = rd_peek(r);
        if (!sep && ch != '{' && ch != '<' && ch != '[') return NULL;
        val *value = rd_value(c, r);
        if (!value) return NULL;
        if (sub) {
            long i = map_find(m, key);
            val *nested;
            if (i >= 0 && m->vals[i]->kind == V_MAP) {
                nested = m->vals[i];
            } else {
                nested = val_new(c, V_MAP);
                if (i >= 0) m->vals[i] = nested;
                else val_push(c, m, key, nested);
            }
            long j = map_find(nested, sub);
            if (j >= 0) nested->vals[j] = value;
            else val_push(c, nested, sub, value);
        } else {
            map_add(c, m, key, value);
        }
        if (!rd_eat(r, ',')) rd_eat(r, ';');
    }
    r->depth--;
    return m;
}

static val *read_aggregate(pctx *c, const char *text, size_t len)
{
    rd r = {text, len, 0, 0};
    val *m = rd_map(c, &r, -1);
    if (m) return m;
    val *raw = val_new(c, V_RAW);
    raw->text = arena_printf(c->a, "{%.*s}", (int)len, text);
    return raw;
}

/* ------------------------------------------------------------------------ */
/* options: model -> wire's OptionElement                                    */

static val *value_of(pctx *c, const pb_value *pv)
{
    val *v;
    switch (pv->kind) {
    case PB_VALUE_STRING:
        v = val_new(c, V_STRING);
        v->text = pv->text ? pv->text : "";
        v->len = pv->text ? pv->len : 0;
        return v;
    case PB_VALUE_AGGREGATE:
        return read_aggregate(c, pv->text ? pv->text : "", pv->text ? pv->len : 0);
    default: {
        const char *t = compact(c, pv->text);
        if (isdigit((unsigned char)t[0]) || t[0] == '-') v = val_new(c, V_NUMBER);
        else if (strcmp(t, "true") == 0 || strcmp(t, "false") == 0) v = val_new(c, V_BOOL);
        else v = val_new(c, V_ENUM);
        v->text = t;
        return v;
    }
    }
}

/* Split "(a.b).c.(d).e" into segments; a leading plain name keeps its dots
 * ("java_package", "features.x"). */
static opt *option_of(pctx *c, const char *written, val *value)
{
    const char *name = compact(c, written);
    size_t n = strlen(name), i = 0;
    const char *segs[64];
    int paren[64];
    size_t ns = 0;
    if (name[0] == '(') {
        const char *close = strchr(name, ')');
        size_t end = close ? (size_t)(close - name) : n;
        segs[ns] = arena_strndup(c->a, name + 1, end > 0 ? end - 1 : 0);
        paren[ns++] = 1;
        i = close ? end + 1 : n;
    } else {
        size_t end = 0;
        while (end < n && name[end] != '(') end++;
        if (end < n && end > 0 && name[end - 1] == '.') end--;
        segs[ns] = arena_strndup(c->a, name, end);
        paren[ns++] = 0;
        i = end;
    }
    while (i < n && ns < 64) {
        if (name[i] == '.') i++;
        if (i >= n) break;
        if (name[i] == '(') {
            const char *close = strchr(name + i, ')');
            size_t end = close ? (size_t)(close - name) : n;
            segs[ns] = arena_strndup(c->a, name + i + 1, end - i - 1);
            paren[ns++] = 1;
            i = close ? end + 1 : n;
        } else {
            size_t end = i;
            while (end < n && name[end] != '.' && name[end] != '(') end++;
            segs[ns] = arena_strndup(c->a, name + i, end - i);
            paren[ns++] = 0;
            i = end;
        }
    }
    /* innermost first: value wrapped in nested options */
    for (size_t k = ns; k-- > 1;) {
        opt *o = arena_alloc(c->a, sizeof *o);
        o->name = segs[k];
        o->paren = paren[k];
        o->value = value;
        value = val_new(c, V_OPTION);
        value->option = o;
    }
    opt *o = arena_alloc(c->a, sizeof *o);
    o->name = segs[0];
    o->paren = paren[0];
    o->value = value;
    return o;
}

/* transformOptionMap: `(a).b.c = v` -> {b: {c: v}} */
static val *transform_map(pctx *c, const opt *o)
{
    const opt *sub = o->value->option;
    val *mv = sub->value;
    if (mv->kind == V_OPTION) mv = transform_map(c, sub);
    val *m = val_new(c, V_MAP);
    val_push(c, m, sub->name, mv);
    return m;
}

static opt *transform(pctx *c, opt *o)
{
    if (o->value->kind != V_OPTION) return o;
    opt *t = arena_alloc(c->a, sizeof *t);
    t->name = o->name;
    t->paren = o->paren;
    t->value = transform_map(c, o);
    return t;
}

static int val_equal(const val *a, const val *b)
{
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case V_STRING: return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    case V_MAP:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++) {
            long j = map_find(b, a->keys[i]);
            if (j < 0 || !val_equal(a->vals[i], b->vals[j])) return 0;
        }
        return 1;
    case V_LIST:
        if (a->n != b->n) return 0;
        for (size_t i = 0; i < a->n; i++)
            if (!val_equal(a->vals[i], b->vals[i])) return 0;
        return 1;
    case V_OPTION:
        return strcmp(a->option->name, b->option->name) == 0 &&
               a->option->paren == b->option->paren &&
               val_equal(a->option->value, b->option->value);
    default: return strcmp(a->text, b->text) == 0;
    }
}

static void set_add(pctx *c, val *set, val *v)
{
    if (v->kind == V_LIST) {
        for (size_t i = 0; i < v->n; i++) set_add(c, set, v->vals[i]);
        return;
    }
    for (size_t i = 0; i < set->n; i++)
        if (val_equal(set->vals[i], v)) return;
    val_push(c, set, NULL, v);
}

/* Values of one key in both maps: Confluent collects them into a list. Two
 * maps are merged instead (deviation): `(a).b.c = 1; (a).b.d = 2;` sets two
 * fields of the one message b, and a list would not parse again for a
 * non-repeated b. */
static val *merge_maps(pctx *c, const val *a, const val *b)
{
    val *m = val_new(c, V_MAP);
    for (size_t i = 0; i < a->n; i++) val_push(c, m, a->keys[i], a->vals[i]);
    for (size_t i = 0; i < b->n; i++) {
        const char *k = b->keys[i];
        val *v2 = b->vals[i];
        long j = map_find(m, k);
        if (j < 0) {
            val_push(c, m, k, v2);
        } else if (m->vals[j]->kind == V_MAP && v2->kind == V_MAP) {
            m->vals[j] = merge_maps(c, m->vals[j], v2);
        } else {
            val *set = val_new(c, V_LIST);
            set_add(c, set, m->vals[j]);
            set_add(c, set, v2);
            m->vals[j] = set;
        }
    }
    return m;
}

/* ProtobufSchema.merge */
static opt *merge(pctx *c, opt *existing, opt *repl)
{
    repl = transform(c, repl);
    if (existing->value->kind != V_MAP || repl->value->kind != V_MAP) return repl;
    opt *o = arena_alloc(c->a, sizeof *o);
    o->name = repl->name;
    o->paren = repl->paren;
    o->value = merge_maps(c, existing->value, repl->value);
    return o;
}

typedef struct optlist {
    opt **items;
    size_t n;
} optlist;

static void ol_push(pctx *c, optlist *l, opt *o)
{
    l->items = arena_grow(c->a, l->items, l->n, sizeof *l->items);
    l->items[l->n++] = o;
}

/* FormatContext.filterOptions */
static optlist filter_options(pctx *c, optlist in, const char *scope)
{
    if (c->ignore_ext) {
        optlist out = {0};
        for (size_t i = 0; i < in.n; i++)
            if (!in.items[i]->paren || strncmp(in.items[i]->name, "confluent.", 10) == 0)
                ol_push(c, &out, in.items[i]);
        in = out;
    }
    if (!c->normalize || in.n == 0) return in;
    optlist r = {0};
    for (size_t i = 0; i < in.n; i++) {
        opt *o = in.items[i];
        if (o->paren) {
            const char *full = resolve_ext(c, o->name, scope);
            if (full) {
                opt *t = arena_alloc(c->a, sizeof *t);
                t->name = full;
                t->paren = o->paren;
                t->value = o->value;
                o = transform(c, t);
            }
        }
        ol_push(c, &r, o);
    }
    /* stable sort by name */
    for (size_t i = 1; i < r.n; i++) {
        opt *o = r.items[i];
        size_t j = i;
        while (j > 0 && strcmp(r.items[j - 1]->name, o->name) > 0) {
            r.items[j] = r.items[j - 1];
            j--;
        }
        r.items[j] = o;
    }
    optlist out = {0};
    for (size_t i = 0; i < r.n;) {
        size_t j = i + 1;
        while (j < r.n && strcmp(r.items[j]->name, r.items[i]->name) == 0) j++;
        const ext_info *e = find_ext(c, r.items[i]->name);
        if (e && !e->repeated) {
            opt *acc = r.items[i];
            for (size_t k = i + 1; k < j; k++) acc = merge(c, acc, r.items[k]);
            ol_push(c, &out, acc);
        } else {
            for (size_t k = i; k < j; k++) ol_push(c, &out, r.items[k]);
        }
        i = j;
    }
    return out;
}

static optlist options_of(pctx *c, const pb_options *opts, const char *scope)
{
    optlist l = {0};
    for (size_t i = 0; opts && i < opts->n; i++)
        ol_push(c, &l, option_of(c, opts->items[i].name, value_of(c, &opts->items[i].value)));
    return filter_options(c, l, scope);
}

/* A field's options: default and json_name after the others (wire keeps them
 * apart from the options list). */
static optlist field_options_of(pctx *c, const pb_field *f, const char *scope)
{
    optlist l = {0};
    const pb_option *def = NULL, *json = NULL;
    for (size_t i = 0; i < f->options.n; i++) {
        const pb_option *o = &f->options.items[i];
        const char *nm = compact(c, o->name);
        if (strcmp(nm, "default") == 0) def = o;
        else if (strcmp(nm, "json_name") == 0) json = o;
        else ol_push(c, &l, option_of(c, o->name, value_of(c, &o->value)));
    }
    if (def) {
        val *v = value_of(c, &def->value);
        switch (f->type) {
        case PB_TYPE_BOOL: v->kind = V_BOOL; break;
        case PB_TYPE_STRING:
        case PB_TYPE_BYTES: break; /* a string literal */
        case PB_TYPE_ENUM: v->kind = V_ENUM; break;
        default:
            if (v->kind != V_STRING) v->kind = V_NUMBER;
        }
        opt *o = arena_alloc(c->a, sizeof *o);
        o->name = "default";
        o->value = v;
        ol_push(c, &l, o);
    }
    if (json) {
        opt *o = arena_alloc(c->a, sizeof *o);
        o->name = "json_name";
        o->value = value_of(c, &json->value);
        ol_push(c, &l, o);
    }
    return filter_options(c, l, scope);
}

/* ------------------------------------------------------------------------ */
/* output: Confluent builds each nested block as a string and indents every   */
/* line of it by two spaces (appendIndented), empty lines included. Writing   */
/* through one buffer with an indentation level gives the same bytes without  */
/* copying a block once per enclosing level.                                  */

static void w_add(pctx *c, const char *s, size_t n)
{
    const char *end = s + n;
    while (s < end) {
        if (c->bol) {
            for (int i = 0; i < c->level; i++) strbuf_add(&c->out, "  ", 2);
            c->bol = 0;
        }
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t k = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
        strbuf_add(&c->out, s, k);
        if (nl) c->bol = 1;
        s += k;
    }
}

static void w(pctx *c, const char *s)
{
    w_add(c, s, strlen(s));
}

static void wf(pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wf(pctx *c, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof buf) {
        w_add(c, buf, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    w(c, big);
    free(big);
}

static void w_quoted(pctx *c, const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    put_quoted(&sb, s, n);
    w_add(c, sb.data, sb.len);
    strbuf_free(&sb);
}

/* ------------------------------------------------------------------------ */
/* option rendering                                                          */

static void render_option(pctx *c, const opt *o, const char *scope);
static void format_value(pctx *c, const val *v, const char *scope);

/* formatOptionMap: one `key: value` per line, `,` between */
static void format_map(pctx *c, const val *m, const char *scope)
{
    const char **keys = m->keys;
    val **vals = m->vals;
    size_t n = m->n;
    if (c->normalize) {
        keys = arena_alloc(c->a, (n ? n : 1) * sizeof *keys);
        vals = arena_alloc(c->a, (n ? n : 1) * sizeof *vals);
        size_t k = 0;
        for (size_t i = 0; i < m->n; i++) {
            if (m->vals[i]->kind == V_LIST && m->vals[i]->n == 0) continue;
            const char *key = m->keys[i];
            size_t kl = strlen(key);
            if (kl > 2 && key[0] == '[' && key[kl - 1] == ']') {
                const char *inner = arena_strndup(c->a, key + 1, kl - 2);
                const char *full = resolve_ext(c, inner, scope);
                if (full) key = arena_printf(c->a, "[%s]", full);
            }
            /* TreeMap: sorted, the first of equal keys kept */
            size_t pos = 0;
            while (pos < k && strcmp(keys[pos], key) < 0) pos++;
            if (pos < k && strcmp(keys[pos], key) == 0) continue;
            memmove(keys + pos + 1, keys + pos, (k - pos) * sizeof *keys);
            memmove(vals + pos + 1, vals + pos, (k - pos) * sizeof *vals);
            keys[pos] = key;
            vals[pos] = m->vals[i];
            k++;
        }
        n = k;
    }
    c->level++;
    for (size_t i = 0; i < n; i++) {
        w(c, keys[i]);
        w(c, ": ");
        format_value(c, vals[i], scope);
        w(c, i + 1 < n ? ",\n" : "\n");
    }
    c->level--;
}

/* appendOptions: one item inline, several one per line */
static void append_options(pctx *c, val **items, size_t n, const char *scope)
{
    if (n == 1) {
        w(c, "[");
        format_value(c, items[0], scope);
        w(c, "]");
        return;
    }
    w(c, "[\n");
    c->level++;
    for (size_t i = 0; i < n; i++) {
        format_value(c, items[i], scope);
        w(c, i + 1 < n ? ",\n" : "\n");
    }
    c->level--;
    w(c, "]");
}

/* formatOptionMapOrListValue */
static void format_value(pctx *c, const val *v, const char *scope)
{
    switch (v->kind) {
    case V_STRING: w_quoted(c, v->text, v->len); break;
    case V_MAP:
        w(c, "{\n");
        format_map(c, v, scope);
        w(c, "}");
        break;
    case V_LIST:
        if (c->normalize && v->n == 1) {
            format_value(c, v->vals[0], scope);
            break;
        }
        w(c, "[\n");
        c->level++;
        for (size_t i = 0; i < v->n; i++) {
            format_value(c, v->vals[i], scope);
            w(c, i + 1 < v->n ? ",\n" : "\n");
        }
        c->level--;
        w(c, "]");
        break;
    case V_NUMBER: w(c, c->normalize ? format_number(c, v->text) : v->text); break;
    case V_OPTION: render_option(c, v->option, scope); break;
    default: w(c, v->text); break;
    }
}

/* ProtobufSchemaUtils.toString(FormatContext, OptionElement) */
static void render_option(pctx *c, const opt *o, const char *scope)
{
    if (o->paren) wf(c, "(%s)", o->name);
    else w(c, o->name);
    const val *v = o->value;
    switch (v->kind) {
    case V_OPTION:
        w(c, ".");
        render_option(c, v->option, scope);
        break;
    case V_MAP:
        w(c, " = {\n");
        format_map(c, v, scope);
        w(c, "}");
        break;
    case V_LIST:
        w(c, " = ");
        append_options(c, v->vals, v->n, scope);
        break;
    default: /* strings quoted, numbers formatted when normalizing, the rest as is */
        w(c, " = ");
        format_value(c, v, scope);
        break;
    }
}

static void option_statement(pctx *c, const opt *o, const char *scope)
{
    w(c, "option ");
    render_option(c, o, scope);
    w(c, ";\n");
}

static void option_statements(pctx *c, optlist l, const char *scope)
{
    for (size_t i = 0; i < l.n; i++) option_statement(c, l.items[i], scope);
}

/* ` [a = 1]` after a field or enum constant, if it has options */
static void inline_options(pctx *c, optlist l, const char *scope)
{
    if (l.n == 0) return;
    val **items = arena_alloc(c->a, l.n * sizeof *items);
    for (size_t i = 0; i < l.n; i++) {
        items[i] = val_new(c, V_OPTION);
        items[i]->option = l.items[i];
    }
    w(c, " ");
    append_options(c, items, l.n, scope);
}

/* ------------------------------------------------------------------------ */
/* declarations                                                              */

static void render_body(pctx *c, const pb_message *m, int depth);
static void render_enum(pctx *c, const pb_enum *e);

static const char *label_word(pb_label l)
{
    switch (l) {
    case PB_LABEL_OPTIONAL: return "optional ";
    case PB_LABEL_REQUIRED: return "required ";
    case PB_LABEL_REPEATED: return "repeated ";
    default: return "";
    }
}

static int is_named(pb_type t)
{
    return t == PB_TYPE_MESSAGE || t == PB_TYPE_ENUM || t == PB_TYPE_GROUP;
}

static const pb_field *entry_field(const pb_message *entry, int number)
{
    for (size_t i = 0; entry && i < entry->n_fields; i++)
        if (entry->fields[i].number == number) return &entry->fields[i];
    return NULL;
}

static const char *map_type(pctx *c, const pb_field *f)
{
    const pb_field *k = entry_field(f->message, 1), *v = entry_field(f->message, 2);
    if (!k || !v) return compact(c, f->type_name);
    const char *vt = compact(c, v->type_name);
    if (c->normalize && is_named(v->type) && v->resolved) vt = v->resolved;
    return arena_printf(c->a, "map<%s, %s>", compact(c, k->type_name), vt);
}

/* a group: `label group Name = N [options] {` + the group message's body
 * (Confluent prints only its fields; with only fields the text is the same) */
static void render_group(pctx *c, const pb_field *f, const char *scope, int depth)
{
    wf(c, "%sgroup %s = %d", f->oneof >= 0 ? "" : label_word(f->label), f->message->name,
       f->number);
    inline_options(c, field_options_of(c, f, scope), scope);
    render_body(c, f->message, depth + 1);
}

/* ProtobufSchemaUtils.toString(FormatContext, FieldElement) */
static void render_field(pctx *c, const pb_field *f, const char *scope, int depth)
{
    if (f->type == PB_TYPE_GROUP && f->message) {
        render_group(c, f, scope, depth);
        return;
    }
    const char *type;
    pb_label label = f->label;
    if (f->is_map) {
        type = map_type(c, f);
        if (c->normalize) label = PB_LABEL_NONE;
    } else if (c->normalize && is_named(f->type) && f->resolved) {
        type = f->resolved;
    } else {
        type = compact(c, f->type_name);
    }
    wf(c, "%s%s %s = %d", label_word(label), type, f->name, f->number);
    inline_options(c, field_options_of(c, f, scope), scope);
    w(c, ";\n");
}

static int is_max(const pb_range *r, int is_enum)
{
    if (r->end_is_max) return 1;
    return is_enum ? r->end == INT_MAX : r->end >= PB_MAX_FIELD_NUMBER;
}

static void put_range(pctx *c, const pb_range *r, int is_enum)
{
    if (r->start == r->end && (!r->end_is_max || c->normalize)) wf(c, "%d", r->start);
    else if (is_max(r, is_enum)) wf(c, "%d to max", r->start);
    else wf(c, "%d to %d", r->start, r->end);
}

/* One reserved value (normalize splits statements into these). */
typedef struct resv {
    const pb_range *range; /* or */
    const char *name;
    long key;
    char repr[48];
} resv;

static void sort_resv(resv *v, size_t n, int by_repr)
{
    for (size_t i = 1; i < n; i++) {
        resv x = v[i];
        size_t j = i;
        while (j > 0) {
            const resv *p = &v[j - 1];
            int cmp = p->key < x.key ? -1 : p->key > x.key ? 1 : 0;
            if (cmp == 0 && by_repr) {
                const char *a = p->name ? p->name : p->repr, *b = x.name ? x.name : x.repr;
                cmp = strcmp(a, b);
            }
            if (cmp <= 0) break;
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* `reserved` statements of a message (is_enum = 0) or enum; normalize splits
 * them one value per statement, by number then names (Confluent's comparator) */
static void render_reserved(pctx *c, const pb_reserved *rs, size_t n, int is_enum)
{
    if (!c->normalize) {
        for (size_t i = 0; i < n; i++) {
            w(c, "reserved ");
            int first = 1;
            for (size_t k = 0; k < rs[i].n_ranges; k++, first = 0) {
                if (!first) w(c, ", ");
                put_range(c, &rs[i].ranges[k], is_enum);
            }
            for (size_t k = 0; k < rs[i].n_names; k++, first = 0) {
                if (!first) w(c, ", ");
                wf(c, "\"%s\"", rs[i].names[k]);
            }
            w(c, ";\n");
        }
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += rs[i].n_ranges + rs[i].n_names;
    if (total == 0) return;
    resv *v = arena_alloc(c->a, total * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < rs[i].n_ranges; j++, k++) {
            const pb_range *r = &rs[i].ranges[j];
            v[k].range = r;
            v[k].key = r->start;
            if (r->start == r->end) snprintf(v[k].repr, sizeof v[k].repr, "%d", r->start);
            else snprintf(v[k].repr, sizeof v[k].repr, "%d..%d", r->start, r->end);
        }
        for (size_t j = 0; j < rs[i].n_names; j++, k++) {
            v[k].name = rs[i].names[j];
            v[k].key = INT_MAX;
        }
    }
    sort_resv(v, total, 1);
    for (size_t i = 0; i < total; i++) {
        w(c, "reserved ");
        if (v[i].name) wf(c, "\"%s\"", v[i].name);
        else put_range(c, v[i].range, is_enum);
        w(c, ";\n");
    }
}

/* `extensions` statements (their options are not printed, as in Confluent) */
static void render_extensions(pctx *c, const pb_extension_range *xs, size_t n)
{
    if (!c->normalize) {
        for (size_t i = 0; i < n; i++) {
            w(c, "extensions ");
            for (size_t k = 0; k < xs[i].n_ranges; k++) {
                if (k) w(c, ", ");
                put_range(c, &xs[i].ranges[k], 0);
            }
            w(c, ";\n");
        }
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += xs[i].n_ranges;
    if (total == 0) return;
    resv *v = arena_alloc(c->a, total * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < xs[i].n_ranges; j++, k++) {
            v[k].range = &xs[i].ranges[j];
            v[k].key = xs[i].ranges[j].start;
        }
    sort_resv(v, total, 0);
    for (size_t i = 0; i < total; i++) {
        w(c, "extensions ");
        put_range(c, v[i].range, 0);
        w(c, ";\n");
    }
}

typedef struct fieldlist {
    const pb_field **items;
    size_t n;
} fieldlist;

static void fl_push(pctx *c, fieldlist *l, const pb_field *f)
{
    l->items = arena_grow(c->a, l->items, l->n, sizeof *l->items);
    l->items[l->n++] = f;
}

/* fields in print order: normalize sorts by number (stable) */
static void sort_fields(pctx *c, fieldlist *l)
{
    if (!c->normalize) return;
    for (size_t i = 1; i < l->n; i++) {
        const pb_field *f = l->items[i];
        size_t j = i;
        while (j > 0 && l->items[j - 1]->number > f->number) {
            l->items[j] = l->items[j - 1];
            j--;
        }
        l->items[j] = f;
    }
}

/* a section of a block: an empty line (or the end of the header line), then
 * its lines one level deeper */
static void fields_section(pctx *c, fieldlist *l, const char *scope, int depth)
{
    if (l->n == 0) return;
    w(c, "\n");
    sort_fields(c, l);
    c->level++;
    for (size_t i = 0; i < l->n; i++) render_field(c, l->items[i], scope, depth);
    c->level--;
}

static void render_extend(pctx *c, const char *name, fieldlist fl, const char *scope, int depth)
{
    wf(c, "extend %s {", name);
    fields_section(c, &fl, scope, depth);
    w(c, "}\n");
}

/* the extend blocks of one scope; normalize merges them per resolved extendee
 * (first-seen order) */
static void render_extends(pctx *c, const pb_extend *xs, size_t n, const char *scope, int depth)
{
    if (!c->normalize) {
        for (size_t i = 0; i < n; i++) {
            fieldlist fl = {0};
            for (size_t k = 0; k < xs[i].n_fields; k++) fl_push(c, &fl, &xs[i].fields[k]);
            render_extend(c, compact(c, xs[i].extendee), fl, scope, depth);
        }
        return;
    }
    const char **names = arena_alloc(c->a, (n ? n : 1) * sizeof *names);
    fieldlist *groups = arena_alloc(c->a, (n ? n : 1) * sizeof *groups);
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        const char *nm = xs[i].resolved ? xs[i].resolved : compact(c, xs[i].extendee);
        size_t g = 0;
        while (g < ng && strcmp(names[g], nm) != 0) g++;
        if (g == ng) {
            if (xs[i].n_fields == 0) continue;
            names[ng++] = nm;
        }
        for (size_t k = 0; k < xs[i].n_fields; k++) fl_push(c, &groups[g], &xs[i].fields[k]);
    }
    for (size_t g = 0; g < ng; g++) render_extend(c, names[g], groups[g], scope, depth);
}

static int first_number(const fieldlist *fl)
{
    return fl->n ? fl->items[0]->number : INT_MAX;
}

static void render_oneof(pctx *c, const pb_oneof *o, fieldlist *fields, fieldlist *groups,
                         const char *scope, int depth)
{
    wf(c, "oneof %s {", o->name);
    optlist ol = options_of(c, &o->options, scope);
    if (ol.n) {
        w(c, "\n");
        c->level++;
        option_statements(c, ol, scope);
        c->level--;
    }
    fields_section(c, fields, scope, depth);
    fields_section(c, groups, scope, depth);
    w(c, "}\n");
}

static int printable_message(const pb_message *m)
{
    return m && !m->is_map_entry && !m->is_group;
}

/* ProtobufSchemaUtils.toString(FormatContext, MessageElement) from the brace on:
 * ` {`, the sections, `}` */
static void render_body(pctx *c, const pb_message *m, int depth)
{
    const char *scope = m->full_name;
    w(c, " {");
    if (depth > PB_MAX_DEPTH + 8) { /* the parser bounds nesting; never reached */
        w(c, "}\n");
        return;
    }
    if (m->n_reserved) {
        w(c, "\n");
        c->level++;
        render_reserved(c, m->reserved, m->n_reserved, 0);
        c->level--;
    }
    optlist ol = options_of(c, &m->options, scope);
    if (ol.n) {
        w(c, "\n");
        c->level++;
        option_statements(c, ol, scope);
        c->level--;
    }
    fieldlist fields = {0}, groups = {0};
    for (size_t i = 0; i < m->n_fields; i++) {
        const pb_field *f = &m->fields[i];
        if (f->oneof >= 0 && !f->proto3_optional) continue;
        if (f->type == PB_TYPE_GROUP && f->message) fl_push(c, &groups, f);
        else fl_push(c, &fields, f);
    }
    fields_section(c, &fields, scope, depth);
    if (m->n_oneofs) {
        w(c, "\n");
        fieldlist *of = arena_alloc(c->a, m->n_oneofs * sizeof *of);
        fieldlist *og = arena_alloc(c->a, m->n_oneofs * sizeof *og);
        size_t *order = arena_alloc(c->a, m->n_oneofs * sizeof *order);
        for (size_t i = 0; i < m->n_fields; i++) {
            const pb_field *f = &m->fields[i];
            if (f->oneof < 0 || f->proto3_optional || (size_t)f->oneof >= m->n_oneofs) continue;
            if (f->type == PB_TYPE_GROUP && f->message) fl_push(c, &og[f->oneof], f);
            else fl_push(c, &of[f->oneof], f);
        }
        size_t n = 0;
        for (size_t i = 0; i < m->n_oneofs; i++) {
            if (c->normalize) {
                if (of[i].n == 0 && og[i].n == 0) continue;
                sort_fields(c, &of[i]);
                sort_fields(c, &og[i]);
            }
            order[n++] = i;
        }
        if (c->normalize) { /* by first member, stable */
            for (size_t i = 1; i < n; i++) {
                size_t x = order[i], j = i;
                int key = of[x].n ? first_number(&of[x]) : first_number(&og[x]);
                while (j > 0) {
                    size_t p = order[j - 1];
                    int pk = of[p].n ? first_number(&of[p]) : first_number(&og[p]);
                    if (pk <= key) break;
                    order[j] = p;
                    j--;
                }
                order[j] = x;
            }
        }
        c->level++;
        for (size_t i = 0; i < n; i++)
            render_oneof(c, &m->oneofs[order[i]], &of[order[i]], &og[order[i]], scope, depth);
        c->level--;
    }
    fields_section(c, &groups, scope, depth);
    if (!c->ignore_ext && m->n_extension_ranges) {
        w(c, "\n");
        c->level++;
        render_extensions(c, m->extension_ranges, m->n_extension_ranges);
        c->level--;
    }
    if (!c->ignore_ext && m->n_extends) {
        w(c, "\n");
        c->level++;
        render_extends(c, m->extends, m->n_extends, scope, depth);
        c->level--;
    }
    int nested = 0;
    for (size_t i = 0; i < m->n_messages; i++) nested |= printable_message(m->messages[i]);
    if (nested || m->n_enums) {
        w(c, "\n");
        c->level++;
        for (size_t i = 0; i < m->n_messages; i++) {
            const pb_message *sub = m->messages[i];
            if (!printable_message(sub)) continue;
            wf(c, "message %s", sub->name);
            render_body(c, sub, depth + 1);
        }
        for (size_t i = 0; i < m->n_enums; i++) render_enum(c, m->enums[i]);
        c->level--;
    }
    w(c, "}\n");
}

static void render_enum(pctx *c, const pb_enum *e)
{
    const char *scope = e->full_name;
    wf(c, "enum %s {", e->name);
    if (e->n_reserved) {
        w(c, "\n");
        c->level++;
        render_reserved(c, e->reserved, e->n_reserved, 1);
        c->level--;
    } else if (e->options.n || e->n_values) {
        w(c, "\n");
    }
    c->level++;
    option_statements(c, options_of(c, &e->options, scope), scope);
    const pb_enum_value **vals = arena_alloc(c->a, (e->n_values ? e->n_values : 1) *
                                                          sizeof *vals);
    for (size_t i = 0; i < e->n_values; i++) vals[i] = &e->values[i];
    if (c->normalize) { /* by number, then name */
        for (size_t i = 1; i < e->n_values; i++) {
            const pb_enum_value *v = vals[i];
            size_t j = i;
            while (j > 0 && (vals[j - 1]->number > v->number ||
                             (vals[j - 1]->number == v->number &&
                              strcmp(vals[j - 1]->name, v->name) > 0))) {
                vals[j] = vals[j - 1];
                j--;
            }
            vals[j] = v;
        }
    }
    for (size_t i = 0; i < e->n_values; i++) {
        wf(c, "%s = %d", vals[i]->name, vals[i]->number);
        inline_options(c, options_of(c, &vals[i]->options, scope), scope);
        w(c, ";\n");
    }
    c->level--;
    w(c, "}\n");
}

static const char *method_type(pctx *c, const char *written, const char *resolved)
{
    if (c->normalize && resolved) return resolved;
    return compact(c, written);
}

static void render_service(pctx *c, const pb_service *s, const char *scope)
{
    wf(c, "service %s {", s->name);
    optlist ol = options_of(c, &s->options, scope);
    if (ol.n) {
        w(c, "\n");
        c->level++;
        option_statements(c, ol, scope);
        c->level--;
    }
    if (s->n_methods) {
        w(c, "\n");
        c->level++;
        for (size_t i = 0; i < s->n_methods; i++) {
            const pb_method *m = &s->methods[i];
            wf(c, "rpc %s (%s", m->name, m->client_streaming ? "stream " : "");
            w(c, method_type(c, m->input_type, m->input_resolved));
            w(c, m->server_streaming ? ") returns (stream " : ") returns (");
            w(c, method_type(c, m->output_type, m->output_resolved));
            w(c, ")");
            optlist mo = options_of(c, &m->options, scope);
            if (mo.n) {
                w(c, " {\n");
                c->level++;
                option_statements(c, mo, scope);
                c->level--;
                w(c, "}");
            }
            w(c, ";\n");
        }
        c->level--;
    }
    w(c, "}\n");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_imports(pctx *c, const pb_file *f, int is_public, int is_weak, const char *kw)
{
    const char **paths = arena_alloc(c->a, (f->n_imports ? f->n_imports : 1) * sizeof *paths);
    size_t n = 0;
    for (size_t i = 0; i < f->n_imports; i++) {
        const pb_import *im = &f->imports[i];
        if (!!im->is_public != is_public || !!im->is_weak != is_weak) continue;
        paths[n++] = im->path;
    }
    if (c->normalize && n > 1) qsort(paths, n, sizeof *paths, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (c->normalize && i > 0 && strcmp(paths[i], paths[i - 1]) == 0) continue;
        wf(c, "import %s", kw);
        w_quoted(c, paths[i], strlen(paths[i]));
        w(c, ";\n");
    }
}

static void render_file(pctx *c)
{
    const pb_file *f = c->file;
    const char *pkg = f->package ? f->package : "";
    if (f->syntax && (!c->normalize || strcmp(f->syntax, "proto3") == 0))
        wf(c, "syntax = \"%s\";\n", f->syntax);
    if (f->package) wf(c, "package %s;\n", f->package);
    if (f->n_imports) {
        w(c, "\n");
        put_imports(c, f, 0, 0, "");
        put_imports(c, f, 1, 0, "public ");
        put_imports(c, f, 0, 1, "weak ");
    }
    optlist ol = options_of(c, &f->options, pkg);
    if (ol.n) {
        w(c, "\n");
        option_statements(c, ol, pkg);
    }
    int types = f->n_enums > 0;
    for (size_t i = 0; i < f->n_messages; i++) types |= printable_message(f->messages[i]);
    if (types) {
        w(c, "\n");
        for (size_t i = 0; i < f->n_messages; i++) {
            const pb_message *m = f->messages[i];
            if (!printable_message(m)) continue;
            wf(c, "message %s", m->name);
            render_body(c, m, 0);
        }
        for (size_t i = 0; i < f->n_enums; i++) render_enum(c, f->enums[i]);
    }
    if (!c->ignore_ext && f->n_extends) {
        w(c, "\n");
        render_extends(c, f->extends, f->n_extends, pkg, 0);
    }
    if (f->n_services) {
        w(c, "\n");
        for (size_t i = 0; i < f->n_services; i++) render_service(c, &f->services[i], pkg);
    }
}

static char *print_schema(const pb_schema *schema, int normalize, int ignore_ext)
{
    if (!schema || !schema->file) return xstrdup("");
    pctx c = {0};
    c.schema = schema;
    c.file = schema->file;
    c.normalize = normalize;
    c.ignore_ext = ignore_ext;
    c.bol = 1;
    c.a = arena_new();
    if (normalize) {
        for (size_t i = 0; i < schema->n_deps; i++) collect_file_exts(&c, schema->deps[i]);
        collect_file_exts(&c, schema->file);
    }
    render_file(&c);
    arena_free(c.a);
    return strbuf_take(&c.out);
}

char *pb_fmt_canonical(const pb_schema *schema)
{
    return print_schema(schema, 0, 0);
}

char *pb_fmt_normalized(const pb_schema *schema)
{
    return print_schema(schema, 1, 0);
}

/* Confluent's format=ignore_extensions: the canonical text without custom
 * options (except confluent.*), extension ranges and extend blocks. */
char *pb_fmt_ignore_extensions(const pb_schema *schema)
{
    return print_schema(schema, 0, 1);
}
