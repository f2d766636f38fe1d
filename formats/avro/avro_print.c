/*
 * Avro printers.
 *
 * Canonical text: what Avro-Java 1.11's Schema.toString() writes (compact
 * Jackson output). Member order per kind:
 *   record  type, name, namespace?, doc?, fields, <props>, aliases?
 *   field   name, type, doc?, default?, order? (not ascending), aliases?, <props>
 *   enum    type, name, namespace?, doc?, symbols, default?, <props>, aliases?
 *   fixed   type, name, namespace?, doc?, size, <props>, aliases?
 *   array   type, items, <props>;  map  type, values, <props>
 *   primitive: "int", or {"type":"int", <props>} when it has props.
 * "namespace" is written only when it differs from the enclosing record's
 * (as "" when a type in the null namespace sits inside a namespaced record).
 * A named type already written, or defined by a reference, is written by name:
 * the bare name in its own namespace, else the full name. Named-type aliases
 * are written relative to the type's namespace; field aliases as written.
 *
 * Normalized text: Confluent's AvroSchemaUtils.toNormalizedString (adapted
 * from Avro's SchemaNormalization): full names, no namespace, member order
 *   named   name, type, symbols|size(+logical props)|fields, doc?, aliases?
 *           (sorted), enum default?, <props sorted>
 *   field   name, type, order (always, upper case), doc?, aliases? (sorted),
 *           default?, <props sorted>
 *   array/map type, items|values, <props sorted>
 *   primitive: "int" | {"type":"int", <props sorted>} | with a valid logical
 *           type {"type":"int","logicalType":..., (decimal: precision, scale if
 *           not 0), <props sorted>}; the logical attributes therefore appear
 *           twice, exactly as Confluent writes them.
 * Values go through Avro's JacksonUtils.toObject and back, so object keys come
 * out sorted and defaults are converted to the field's type (an int default of
 * a double field prints as 1.0).
 */
#include "avro_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/hashmap.h"

/* ------------------------------------------------------------------------ */
/* Java number text                                                          */

static int round_trips(const char *text, double d, int is_float)
{
    return is_float ? strtof(text, NULL) == (float)d : strtod(text, NULL) == d;
}

/* Shortest digits that read back as the same value, as Java prints them. */
static void java_real(strbuf *sb, double d, int is_float)
{
    if (isnan(d)) {
        strbuf_puts(sb, "NaN");
        return;
    }
    if (isinf(d)) {
        strbuf_puts(sb, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (d == 0) {
        strbuf_puts(sb, signbit(d) ? "-0.0" : "0.0");
        return;
    }
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (!round_trips(buf, d, is_float)) continue;
        /* Java always shows two digits (d.d), so when one is enough it
         * picks the closest two-digit decimal: 4.9E-324, not 5.0E-324 */
        if (prec == 1) {
            char two[64];
            snprintf(two, sizeof two, "%.1e", d);
            if (round_trips(two, d, is_float)) memcpy(buf, two, sizeof buf);
        }
        break;
    }
    /* buf is [-]D[.DDD]e[+-]XX */
    char digits[32];
    size_t nd = 0;
    const char *q = buf;
    if (*q == '-') strbuf_putc(sb, *q++);
    for (; *q != 'e'; q++)
        if (*q != '.') digits[nd++] = *q;
    int exp = atoi(q + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';

    double a = fabs(d);
    if (a >= 1e-3 && a < 1e7) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++) strbuf_putc(sb, (size_t)i < nd ? digits[i] : '0');
            strbuf_putc(sb, '.');
            if ((size_t)exp + 1 < nd)
                strbuf_puts(sb, digits + exp + 1);
            else
                strbuf_putc(sb, '0');
        } else {
            strbuf_puts(sb, "0.");
            for (int i = -1; i > exp; i--) strbuf_putc(sb, '0');
            strbuf_puts(sb, digits);
        }
    } else {
        strbuf_putc(sb, digits[0]);
        strbuf_putc(sb, '.');
        strbuf_puts(sb, nd > 1 ? digits + 1 : "0");
        strbuf_printf(sb, "E%d", exp);
    }
}

void avro_fmt_java_double(strbuf *sb, double d)
{
    java_real(sb, d, 0);
}

void avro_fmt_java_float(strbuf *sb, float f)
{
    java_real(sb, f, 1);
}

/* Jackson writes non-finite numbers as strings (QUOTE_NON_NUMERIC_NUMBERS). */
static void jackson_real(strbuf *sb, double d, int is_float)
{
    int quote = !isfinite(d);
    if (quote) strbuf_putc(sb, '"');
    java_real(sb, d, is_float);
    if (quote) strbuf_putc(sb, '"');
}

/* ------------------------------------------------------------------------ */
/* JSON values                                                               */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of an object, sorted (Java's TreeMap order for these strings). */
static const char **sorted_keys(const json_t *obj, size_t *n)
{
    *n = json_object_size(obj);
    const char **keys = xcalloc(*n, sizeof *keys);
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) keys[i++] = k;
    qsort(keys, *n, sizeof *keys, cmp_str);
    return keys;
}

/* Compact JSON as Jackson writes a JsonNode; `sorted` sorts object keys. */
static void put_json(strbuf *sb, const json_t *v, int sorted)
{
    switch (json_typeof(v)) {
    case JSON_NULL: strbuf_puts(sb, "null"); break;
    case JSON_TRUE: strbuf_puts(sb, "true"); break;
    case JSON_FALSE: strbuf_puts(sb, "false"); break;
    case JSON_INTEGER: strbuf_printf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: jackson_real(sb, json_real_value(v), 0); break;
    case JSON_STRING: strbuf_json_string(sb, json_string_value(v)); break;
    case JSON_ARRAY: {
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) strbuf_putc(sb, ',');
            put_json(sb, json_array_get(v, i), sorted);
        }
        strbuf_putc(sb, ']');
        break;
    }
    case JSON_OBJECT: {
        strbuf_putc(sb, '{');
        if (sorted) {
            size_t n;
            const char **keys = sorted_keys(v, &n);
            for (size_t i = 0; i < n; i++) {
                if (i) strbuf_putc(sb, ',');
                strbuf_json_string(sb, keys[i]);
                strbuf_putc(sb, ':');
                put_json(sb, json_object_get(v, keys[i]), sorted);
            }
            free(keys);
        } else {
            const char *k;
            json_t *e;
            int first = 1;
            json_object_foreach((json_t *)v, k, e) {
                if (!first) strbuf_putc(sb, ',');
                first = 0;
                strbuf_json_string(sb, k);
                strbuf_putc(sb, ':');
                put_json(sb, e, sorted);
            }
        }
        strbuf_putc(sb, '}');
        break;
    }
    }
}

static void put_key(strbuf *sb, const char *key)
{
    strbuf_putc(sb, ',');
    strbuf_json_string(sb, key);
    strbuf_putc(sb, ':');
}

static void put_str_member(strbuf *sb, const char *key, const char *val)
{
    put_key(sb, key);
    strbuf_json_string(sb, val);
}

static int is_real_kind(const avro_node *n)
{
    return n->kind == AVN_FLOAT || n->kind == AVN_DOUBLE;
}

/* ------------------------------------------------------------------------ */
/* canonical text                                                            */

typedef struct printer {
    strbuf sb;
    ptrmap seen; /* named types already printed in full (a set) */
    const char *space; /* enclosing namespace, NULL = none */
    int inline_refs;   /* print types from references in full (format=resolved) */
} printer;

static int same_space(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Java's Name.getQualified(defaultSpace) */
static const char *qualified(const char *space, const char *name, const char *full,
                             const char *default_space)
{
    return (!space || same_space(space, default_space)) ? name : full;
}

static void put_props(strbuf *sb, const json_t *props)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)props, k, v) {
        put_key(sb, k);
        put_json(sb, v, 0);
    }
}

static void put_named_aliases(strbuf *sb, const avro_node *n)
{
    if (!n->n_aliases) return;
    put_key(sb, "aliases");
    strbuf_putc(sb, '[');
    for (size_t i = 0; i < n->n_aliases; i++) {
        const char *full = n->aliases[i];
        const char *dot = strrchr(full, '.');
        char *space = dot ? xstrndup(full, (size_t)(dot - full)) : NULL;
        if (i) strbuf_putc(sb, ',');
        strbuf_json_string(sb, qualified(space, dot ? dot + 1 : full, full, n->space));
        free(space);
    }
    strbuf_putc(sb, ']');
}

static void put_name(printer *pr, const avro_node *n)
{
    put_str_member(&pr->sb, "name", n->name);
    if (n->space) {
        if (!same_space(n->space, pr->space)) put_str_member(&pr->sb, "namespace", n->space);
    } else if (pr->space) {
        put_str_member(&pr->sb, "namespace", "");
    }
}

static void print_node(printer *pr, const avro_node *n);

static void print_default(strbuf *sb, const avro_field *f)
{
    /* Java turned a string default of a float/double field into a number */
    if (is_real_kind(f->type) && json_is_string(f->default_json)) {
        double d = 0;
        avro_fmt_java_parse_double(json_string_value(f->default_json), &d);
        jackson_real(sb, d, 0);
        return;
    }
    put_json(sb, f->default_json, 0);
}

static void print_field(printer *pr, const avro_field *f)
{
    strbuf *sb = &pr->sb;
    strbuf_puts(sb, "{\"name\":");
    strbuf_json_string(sb, f->name);
    strbuf_puts(sb, ",\"type\":");
    print_node(pr, f->type);
    if (f->doc) put_str_member(sb, "doc", f->doc);
    if (f->default_json) {
        put_key(sb, "default");
        print_default(sb, f);
    }
    if (f->order && strcmp(f->order, "ascending") != 0) put_str_member(sb, "order", f->order);
    if (f->n_aliases) {
        put_key(sb, "aliases");
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < f->n_aliases; i++) {
            if (i) strbuf_putc(sb, ',');
            strbuf_json_string(sb, f->aliases[i]);
        }
        strbuf_putc(sb, ']');
    }
    put_props(sb, f->props);
    strbuf_putc(sb, '}');
}

static void print_named(printer *pr, const avro_node *n)
{
    strbuf *sb = &pr->sb;
    if ((n->from_reference && !pr->inline_refs) || !ptrmap_put(&pr->seen, n, NULL)) {
        strbuf_json_string(sb, qualified(n->space, n->name, n->fullname, pr->space));
        return;
    }
    strbuf_puts(sb, "{\"type\":");
    strbuf_json_string(sb, n->type_name);
    put_name(pr, n);
    if (n->kind == AVN_RECORD) {
        const char *saved = pr->space;
        pr->space = n->space;
        if (n->doc) put_str_member(sb, "doc", n->doc);
        strbuf_puts(sb, ",\"fields\":[");
        for (size_t i = 0; i < n->n_fields; i++) {
            if (i) strbuf_putc(sb, ',');
            print_field(pr, &n->fields[i]);
        }
        strbuf_putc(sb, ']');
        pr->space = saved;
    } else if (n->kind == AVN_ENUM) {
        if (n->doc) put_str_member(sb, "doc", n->doc);
        strbuf_puts(sb, ",\"symbols\":[");
        for (size_t i = 0; i < n->n_symbols; i++) {
            if (i) strbuf_putc(sb, ',');
            strbuf_json_string(sb, n->symbols[i]);
        }
        strbuf_putc(sb, ']');
        if (n->enum_default) put_str_member(sb, "default", n->enum_default);
    } else {
        if (n->doc) put_str_member(sb, "doc", n->doc);
        strbuf_printf(sb, ",\"size\":%lld", n->size);
    }
    put_props(sb, n->props);
    put_named_aliases(sb, n);
    strbuf_putc(sb, '}');
}

static void print_node(printer *pr, const avro_node *n)
{
    strbuf *sb = &pr->sb;
    switch (n->kind) {
    case AVN_RECORD:
    case AVN_ENUM:
    case AVN_FIXED: print_named(pr, n); break;
    case AVN_ARRAY:
    case AVN_MAP:
        strbuf_puts(sb, n->kind == AVN_ARRAY ? "{\"type\":\"array\",\"items\":"
                                             : "{\"type\":\"map\",\"values\":");
        print_node(pr, n->items);
        put_props(sb, n->props);
        strbuf_putc(sb, '}');
        break;
    case AVN_UNION:
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < n->n_branches; i++) {
            if (i) strbuf_putc(sb, ',');
            print_node(pr, n->branches[i]);
        }
        strbuf_putc(sb, ']');
        break;
    default:
        if (json_object_size(n->props) == 0) {
            strbuf_json_string(sb, n->type_name);
        } else {
            strbuf_puts(sb, "{\"type\":");
            strbuf_json_string(sb, n->type_name);
            put_props(sb, n->props);
            strbuf_putc(sb, '}');
        }
    }
}

static char *print_schema(const avro_schema *schema, int inline_refs)
{
    printer pr;
    memset(&pr, 0, sizeof pr);
    pr.inline_refs = inline_refs;
    print_node(&pr, schema->root);
    ptrmap_free(&pr.seen);
    return strbuf_take(&pr.sb);
}

char *avro_fmt_canonical(const avro_schema *schema)
{
    return print_schema(schema, 0);
}

char *avro_fmt_resolved(const avro_schema *schema)
{
    return print_schema(schema, 1);
}

/* ------------------------------------------------------------------------ */
/* logical types as Avro-Java recognises them (LogicalTypes.fromSchema-     */
/* IgnoreInvalid): only a valid one changes the normalized text              */

typedef struct logical {
    const char *name;
    long long precision, scale; /* decimal only */
} logical;

static int prop_int(const json_t *props, const char *key, long long *out)
{
    const json_t *v = json_object_get(props, key);
    if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN ||
        json_integer_value(v) > INT32_MAX)
        return -1;
    *out = json_integer_value(v);
    return 0;
}

static long long decimal_max_precision(const avro_node *n)
{
    if (n->kind == AVN_BYTES) return INT32_MAX;
    /* Java: Math.round(Math.floor(Math.log10(2) * (8 * size - 1))), int math */
    int32_t bits = (int32_t)(uint32_t)(8u * (uint32_t)n->size - 1u);
    return llround(floor(log10(2.0) * bits));
}

static int java_logical_type(const avro_node *n, logical *lt)
{
    static const char *const incompatible[] = {"avro.java.string", "java-class",
                                               "java-key-class", "java-element-class"};
    static const struct {
        const char *name;
        avro_kind kind;
    } simple[] = {
        {"uuid", AVN_STRING},
        {"date", AVN_INT},
        {"time-millis", AVN_INT},
        {"time-micros", AVN_LONG},
        {"timestamp-millis", AVN_LONG},
        {"timestamp-micros", AVN_LONG},
        {"local-timestamp-millis", AVN_LONG},
        {"local-timestamp-micros", AVN_LONG},
    };
    const json_t *name = json_object_get(n->props, "logicalType");
    if (!json_is_string(name)) return 0;
    for (size_t i = 0; i < sizeof incompatible / sizeof incompatible[0]; i++)
        if (json_is_string(json_object_get(n->props, incompatible[i]))) return 0;
    lt->name = json_string_value(name);
    lt->precision = lt->scale = 0;
    if (strcmp(lt->name, "decimal") == 0) {
        if (n->kind != AVN_BYTES && n->kind != AVN_FIXED) return 0;
        if (prop_int(n->props, "precision", &lt->precision) < 0) return 0;
        if (json_object_get(n->props, "scale") && prop_int(n->props, "scale", &lt->scale) < 0)
            return 0;
        return lt->precision > 0 && lt->precision <= decimal_max_precision(n) &&
               lt->scale >= 0 && lt->scale <= lt->precision;
    }
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
        if (strcmp(lt->name, simple[i].name) == 0) return n->kind == simple[i].kind;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* normalized text                                                           */

typedef struct normer {
    strbuf sb;
    ptrmap env; /* named types already written in full (a set) */
} normer;

static void put_sorted_props(strbuf *sb, const json_t *props)
{
    size_t n;
    const char **keys = sorted_keys(props, &n);
    for (size_t i = 0; i < n; i++) {
        put_key(sb, keys[i]);
        put_json(sb, json_object_get(props, keys[i]), 1);
    }
    free(keys);
}

static void put_logical(strbuf *sb, const logical *lt)
{
    put_str_member(sb, "logicalType", lt->name);
    if (strcmp(lt->name, "decimal") == 0) {
        strbuf_printf(sb, ",\"precision\":%lld", lt->precision);
        if (lt->scale) strbuf_printf(sb, ",\"scale\":%lld", lt->scale);
    }
}

static void put_sorted_strings(strbuf *sb, const char *key, char **v, size_t n)
{
    if (!n) return;
    char **copy = xcalloc(n, sizeof *copy);
    memcpy(copy, v, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp_str);
    put_key(sb, key);
    strbuf_putc(sb, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) strbuf_putc(sb, ',');
        strbuf_json_string(sb, copy[i]);
    }
    strbuf_putc(sb, ']');
    free(copy);
}

/* A string read as bytes (ISO-8859-1) and written back: characters above
 * U+00FF become '?'. */
static void put_latin1(strbuf *sb, const char *s)
{
    strbuf tmp = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
        unsigned cp = len == 2 ? ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu) : *p;
        if (len == 1 || (len == 2 && cp <= 0xFF))
            strbuf_add(&tmp, (const char *)p, len);
        else
            strbuf_putc(&tmp, '?');
        p += len;
    }
    strbuf_json_string(sb, tmp.data ? tmp.data : "");
    strbuf_free(&tmp);
}

static const avro_node *record_field_type(const avro_node *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strcmp(rec->fields[i].name, name) == 0) return rec->fields[i].type;
    return NULL;
}

/* A value as JacksonUtils.toObject(value, schema) and toJsonNode write it.
 * Returns 0 (nothing written) where Java's toObject gives null. */
static int norm_value(strbuf *sb, const json_t *v, const avro_node *s)
{
    if (s && s->kind == AVN_UNION) s = s->n_branches ? s->branches[0] : NULL;
    avro_kind k = s ? s->kind : AVN_NULL;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_TRUE:
    case JSON_FALSE: put_json(sb, v, 1); return 1;
    case JSON_INTEGER:
        if (!s || k == AVN_INT || k == AVN_LONG) put_json(sb, v, 1);
        else if (k == AVN_FLOAT) jackson_real(sb, (float)(double)json_integer_value(v), 1);
        else if (k == AVN_DOUBLE) jackson_real(sb, (double)json_integer_value(v), 0);
        else return 0;
        return 1;
    case JSON_REAL:
        if (!s || k == AVN_DOUBLE) jackson_real(sb, json_real_value(v), 0);
        else if (k == AVN_FLOAT) jackson_real(sb, (float)json_real_value(v), 1);
        else return 0;
        return 1;
    case JSON_STRING:
        if (!s || k == AVN_STRING || k == AVN_ENUM) strbuf_json_string(sb, json_string_value(v));
        else if (k == AVN_BYTES || k == AVN_FIXED) put_latin1(sb, json_string_value(v));
        else return 0;
        return 1;
    case JSON_ARRAY: {
        const avro_node *items = k == AVN_ARRAY ? s->items : NULL;
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) strbuf_putc(sb, ',');
            if (!norm_value(sb, json_array_get(v, i), items)) strbuf_puts(sb, "null");
        }
        strbuf_putc(sb, ']');
        return 1;
    }
    case JSON_OBJECT: {
        size_t n;
        const char **keys = sorted_keys(v, &n);
        strbuf_putc(sb, '{');
        for (size_t i = 0; i < n; i++) {
            const avro_node *sub = k == AVN_MAP      ? s->items
                                   : k == AVN_RECORD ? record_field_type(s, keys[i])
                                                     : NULL;
            if (i) strbuf_putc(sb, ',');
            strbuf_json_string(sb, keys[i]);
            strbuf_putc(sb, ':');
            if (!norm_value(sb, json_object_get(v, keys[i]), sub)) strbuf_puts(sb, "null");
        }
        strbuf_putc(sb, '}');
        free(keys);
        return 1;
    }
    }
    return 0;
}

static void norm_default(strbuf *sb, const avro_field *f)
{
    strbuf tmp = STRBUF_INIT;
    int ok;
    if (is_real_kind(f->type) && json_is_string(f->default_json)) {
        double d = 0;
        avro_fmt_java_parse_double(json_string_value(f->default_json), &d);
        if (f->type->kind == AVN_FLOAT)
            jackson_real(&tmp, (float)d, 1);
        else
            jackson_real(&tmp, d, 0);
        ok = 1;
    } else {
        ok = norm_value(&tmp, f->default_json, f->type);
    }
    if (ok) {
        put_key(sb, "default");
        strbuf_add(sb, tmp.data, tmp.len);
    }
    strbuf_free(&tmp);
}

static void norm_node(normer *nr, const avro_node *n);

static void norm_field(normer *nr, const avro_field *f)
{
    strbuf *sb = &nr->sb;
    strbuf_puts(sb, "{\"name\":");
    strbuf_json_string(sb, f->name);
    strbuf_puts(sb, ",\"type\":");
    norm_node(nr, f->type);
    /* Java prints the Order enum constant: upper case, always present */
    const char *order = f->order ? f->order : "ascending";
    strbuf_puts(sb, ",\"order\":\"");
    for (const char *c = order; *c; c++) strbuf_putc(sb, (char)(*c - 'a' + 'A'));
    strbuf_putc(sb, '"');
    if (f->doc) put_str_member(sb, "doc", f->doc);
    put_sorted_strings(sb, "aliases", f->aliases, f->n_aliases);
    if (f->default_json) norm_default(sb, f);
    put_sorted_props(sb, f->props);
    strbuf_putc(sb, '}');
}

static void norm_named(normer *nr, const avro_node *n)
{
    strbuf *sb = &nr->sb;
    if (n->from_reference || !ptrmap_put(&nr->env, n, NULL)) {
        strbuf_json_string(sb, n->fullname);
        return;
    }
    strbuf_puts(sb, "{\"name\":");
    strbuf_json_string(sb, n->fullname);
    if (n->kind == AVN_ENUM) {
        strbuf_puts(sb, ",\"type\":\"enum\",\"symbols\":[");
        for (size_t i = 0; i < n->n_symbols; i++) {
            if (i) strbuf_putc(sb, ',');
            strbuf_json_string(sb, n->symbols[i]);
        }
        strbuf_putc(sb, ']');
    } else if (n->kind == AVN_FIXED) {
        logical lt;
        strbuf_printf(sb, ",\"type\":\"fixed\",\"size\":%lld", n->size);
        if (java_logical_type(n, &lt)) put_logical(sb, &lt);
    } else {
        strbuf_puts(sb, ",\"type\":\"record\",\"fields\":[");
        for (size_t i = 0; i < n->n_fields; i++) {
            if (i) strbuf_putc(sb, ',');
            norm_field(nr, &n->fields[i]);
        }
        strbuf_putc(sb, ']');
    }
    if (n->doc && *n->doc) put_str_member(sb, "doc", n->doc);
    put_sorted_strings(sb, "aliases", n->aliases, n->n_aliases);
    if (n->kind == AVN_ENUM && n->enum_default) put_str_member(sb, "default", n->enum_default);
    put_sorted_props(sb, n->props);
    strbuf_putc(sb, '}');
}

static void norm_node(normer *nr, const avro_node *n)
{
    strbuf *sb = &nr->sb;
    logical lt;
    switch (n->kind) {
    case AVN_RECORD:
    case AVN_ENUM:
    case AVN_FIXED: norm_named(nr, n); break;
    case AVN_UNION:
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < n->n_branches; i++) {
            if (i) strbuf_putc(sb, ',');
            norm_node(nr, n->branches[i]);
        }
        strbuf_putc(sb, ']');
        break;
    case AVN_ARRAY:
    case AVN_MAP:
        strbuf_puts(sb, n->kind == AVN_ARRAY ? "{\"type\":\"array\",\"items\":"
                                             : "{\"type\":\"map\",\"values\":");
        norm_node(nr, n->items);
        put_sorted_props(sb, n->props);
        strbuf_putc(sb, '}');
        break;
    default:
        if (java_logical_type(n, &lt)) {
            strbuf_puts(sb, "{\"type\":");
            strbuf_json_string(sb, n->type_name);
            put_logical(sb, &lt);
            put_sorted_props(sb, n->props);
            strbuf_putc(sb, '}');
        } else if (json_object_size(n->props)) {
            strbuf_puts(sb, "{\"type\":");
            strbuf_json_string(sb, n->type_name);
            put_sorted_props(sb, n->props);
            strbuf_putc(sb, '}');
        } else {
            strbuf_json_string(sb, n->type_name);
        }
    }
}

char *avro_fmt_normalized(const avro_schema *schema)
{
    normer nr;
    memset(&nr, 0, sizeof nr);
    norm_node(&nr, schema->root);
    ptrmap_free(&nr.env);
    return strbuf_take(&nr.sb);
}
