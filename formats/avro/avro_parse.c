/*
 * Avro schema parser and validator: JSON text (jansson) -> the model of
 * avro_model.h, with the checks Avro-Java 1.11's Schema.Parser makes.
 *
 * Java facts this copies (Schema.java, 1.10/1.11):
 *  - a named type is registered before its fields are parsed (recursion works)
 *    and a second definition of a full name is an error;
 *  - a name reference is looked up in the enclosing namespace first, then in
 *    the null namespace; {"type": "<defined name>"} is that type (the other
 *    attributes are ignored);
 *  - "doc" and "namespace" that are not strings are ignored;
 *  - a string default of a float/double field is converted with
 *    Double.valueOf (a bad number is an error even when defaults are not
 *    validated);
 *  - default validity (isValidDefault): unions are checked against their
 *    first branch, records field by field (a missing field takes its own
 *    default), an enum default only has to be a string.
 * Names and namespaces are checked against the Avro spec's ASCII grammar.
 */
#include "avro_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The name table and the duplicate checks (fields, symbols, aliases, union
 * branches) are strmaps, so they stay linear on hostile input (100k fields). */
#include "../../common/hashmap.h"

/* ------------------------------------------------------------------------ */
/* parser state and errors                                                   */

typedef struct parser {
    avro_schema *s;
    strmap names; /* full name -> named node */
    const char *space; /* default namespace (borrowed from a node), NULL = none */
    unsigned flags;
    sr_error *err;
    int depth;
    int from_reference;
    const char *ref_name;  /* the dependency being parsed, for messages */
    const char *ctx_record; /* innermost record being parsed, for messages */
    const char *ctx_field;
    /* records whose fields are still being parsed (Java: "fields not set") */
    avro_node *building[AVRO_MAX_DEPTH + 1];
    size_t n_building;
} parser;

static void *fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void *fail(parser *p, const char *fmt, ...)
{
    char what[768], ref[200] = "", where[300] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (p->ref_name) snprintf(ref, sizeof ref, "in reference \"%s\": ", p->ref_name);
    if (p->ctx_field)
        snprintf(where, sizeof where, " (field \"%s\" of record %s)", p->ctx_field,
                 p->ctx_record ? p->ctx_record : "?");
    else if (p->ctx_record)
        snprintf(where, sizeof where, " (in record %s)", p->ctx_record);
    sr_invalid_schema(p->err, "Invalid schema: %s%s%s", ref, what, where);
    return NULL;
}

/* A short compact rendering of a JSON value for messages. */
static void excerpt(const json_t *j, char *buf, size_t size)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) {
        snprintf(buf, size, "?");
        return;
    }
    if (strlen(s) >= size && size > 4) {
        memcpy(buf, s, size - 4);
        strcpy(buf + size - 4, "...");
    } else {
        snprintf(buf, size, "%s", s);
    }
    free(s);
}

static json_t *new_object(void)
{
    json_t *o = json_object();
    if (!o) abort(); /* out of memory, as xmalloc */
    return o;
}

static avro_node *new_node(parser *p, avro_kind kind, const char *type_name)
{
    avro_schema *s = p->s;
    avro_node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->type_name = type_name;
    n->props = new_object();
    n->from_reference = p->from_reference;
    if (s->n_nodes == s->cap_nodes) {
        s->cap_nodes = s->cap_nodes ? s->cap_nodes * 2 : 16;
        s->nodes = xrealloc(s->nodes, s->cap_nodes * sizeof *s->nodes);
    }
    s->nodes[s->n_nodes++] = n;
    return n;
}

/* ------------------------------------------------------------------------ */
/* names                                                                     */

static const struct {
    const char *name;
    avro_kind kind;
} primitives[] = {
    {"null", AVN_NULL}, {"boolean", AVN_BOOLEAN}, {"int", AVN_INT},
    {"long", AVN_LONG}, {"float", AVN_FLOAT},     {"double", AVN_DOUBLE},
    {"bytes", AVN_BYTES}, {"string", AVN_STRING},
};

static int primitive_index(const char *name)
{
    for (size_t i = 0; i < sizeof primitives / sizeof primitives[0]; i++)
        if (strcmp(primitives[i].name, name) == 0) return (int)i;
    return -1;
}

static int is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/* [A-Za-z_][A-Za-z0-9_]* over s[0..n) */
static int valid_name_n(const char *s, size_t n)
{
    if (n == 0 || !is_name_start(s[0])) return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_name_char(s[i])) return 0;
    return 1;
}

static int valid_name(const char *s)
{
    return valid_name_n(s, strlen(s));
}

static char *join_name(const char *space, const char *name)
{
    if (!space || !*space) return xstrdup(name);
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s.%s", space, name);
    return strbuf_take(&sb);
}

/* Full name of `ref` as written in a schema whose default namespace is `space`
 * (Java's Name(ref, space)): a dotted ref carries its own namespace. */
static char *qualify(const char *ref, const char *space)
{
    return strchr(ref, '.') ? xstrdup(ref) : join_name(space, ref);
}

static avro_node *new_primitive(parser *p, int idx)
{
    return new_node(p, primitives[idx].kind, primitives[idx].name);
}

/* Java's Names.get(String): primitive, else the enclosing namespace, else the
 * null namespace. */
static avro_node *lookup_ref(parser *p, const char *ref)
{
    int prim = primitive_index(ref);
    if (prim >= 0) return new_primitive(p, prim);
    char *full = qualify(ref, p->space);
    avro_node *n = strmap_get(&p->names, full);
    free(full);
    if (!n && !strchr(ref, '.')) n = strmap_get(&p->names, ref);
    return n;
}

static int is_building(const parser *p, const avro_node *n)
{
    for (size_t i = 0; i < p->n_building; i++)
        if (p->building[i] == n) return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Java's Double.valueOf                                                     */

int avro_fmt_java_parse_double(const char *s, double *out)
{
    /* String.trim(): everything <= ' ' at both ends */
    while (*s && (unsigned char)*s <= ' ') s++;
    size_t n = strlen(s);
    while (n && (unsigned char)s[n - 1] <= ' ') n--;
    if (!n) return -1;

    char *buf = xstrndup(s, n);
    const char *q = buf;
    int neg = 0;
    if (*q == '+' || *q == '-') neg = *q++ == '-';
    if (strcmp(q, "NaN") == 0 || strcmp(q, "Infinity") == 0) {
        *out = *q == 'N' ? NAN : (neg ? -INFINITY : INFINITY);
        free(buf);
        return 0;
    }

    /* drop one type suffix, then require the whole rest to be a number */
    size_t len = strlen(buf);
    char last = buf[len - 1];
    if (last == 'f' || last == 'F' || last == 'd' || last == 'D') buf[--len] = '\0';

    int ok = 0;
    const char *r = q;
    if (r[0] == '0' && (r[1] == 'x' || r[1] == 'X')) {
        /* hex needs a binary exponent in Java */
        ok = strchr(r, 'p') || strchr(r, 'P');
    } else {
        int digits = 0;
        while (*r >= '0' && *r <= '9') r++, digits++;
        if (*r == '.')
            for (r++; *r >= '0' && *r <= '9'; r++) digits++;
        if (digits && (*r == 'e' || *r == 'E')) {
            r++;
            if (*r == '+' || *r == '-') r++;
            if (!(*r >= '0' && *r <= '9')) digits = 0;
            while (*r >= '0' && *r <= '9') r++;
        }
        ok = digits && *r == '\0';
    }
    if (ok) {
        char *end;
        errno = 0;
        double d = strtod(buf, &end);
        ok = *end == '\0';
        if (ok) *out = d;
    }
    free(buf);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* defaults                                                                  */

static const char *kind_name(const avro_node *n)
{
    switch (n->kind) {
    case AVN_RECORD:
    case AVN_ENUM:
    case AVN_FIXED: return n->fullname;
    case AVN_UNION: return "union";
    default: return n->type_name;
    }
}

static int is_real_kind(const avro_node *n)
{
    return n->kind == AVN_FLOAT || n->kind == AVN_DOUBLE;
}

/* Java's isValidDefault. 1 valid, 0 invalid, -1 error already set. */
static int valid_default(parser *p, const avro_node *n, const json_t *v, int depth)
{
    if (!v || depth > 4 * JSON_PARSER_MAX_DEPTH) return 0;
    switch (n->kind) {
    case AVN_STRING:
    case AVN_BYTES:
    case AVN_ENUM:
    case AVN_FIXED: return json_is_string(v);
    case AVN_INT:
        return json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
               json_integer_value(v) <= INT32_MAX;
    case AVN_LONG: return json_is_integer(v);
    case AVN_FLOAT:
    case AVN_DOUBLE: return json_is_number(v);
    case AVN_BOOLEAN: return json_is_boolean(v);
    case AVN_NULL: return json_is_null(v);
    case AVN_ARRAY: {
        if (!json_is_array(v)) return 0;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            int r = valid_default(p, n->items, e, depth + 1);
            if (r <= 0) return r;
        }
        return 1;
    }
    case AVN_MAP: {
        if (!json_is_object(v)) return 0;
        const char *k;
        json_t *e;
        json_object_foreach((json_t *)v, k, e) {
            int r = valid_default(p, n->items, e, depth + 1);
            if (r <= 0) return r;
        }
        return 1;
    }
    case AVN_UNION:
        return n->n_branches ? valid_default(p, n->branches[0], v, depth + 1) : 0;
    case AVN_RECORD:
        if (is_building(p, n)) {
            fail(p, "a default value uses record %s before its fields are complete",
                 n->fullname);
            return -1;
        }
        if (!json_is_object(v)) return 0;
        for (size_t i = 0; i < n->n_fields; i++) {
            const avro_field *f = &n->fields[i];
            const json_t *fv = json_object_get(v, f->name);
            if (!fv && is_real_kind(f->type) && json_is_string(f->default_json))
                continue; /* Java holds that default as a number already */
            int r = valid_default(p, f->type, fv ? fv : f->default_json, depth + 1);
            if (r <= 0) return r;
        }
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* the recursive descent                                                     */

static avro_node *parse_type(parser *p, json_t *j);

static const char *const schema_reserved[] = {"doc", "fields", "items", "name", "namespace",
                                              "size", "symbols", "values", "type", "aliases",
                                              NULL};
static const char *const field_reserved[] = {"default", "doc", "name", "order",
                                             "type", "aliases", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0) return 1;
    return 0;
}

/* Copy every attribute that is not reserved into props, in input order. */
static void collect_props(json_t *props, json_t *obj, const char *const *reserved,
                          int enum_default_reserved)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        if (in_list(reserved, k)) continue;
        if (enum_default_reserved && strcmp(k, "default") == 0) continue;
        json_object_set(props, k, v);
    }
}

/* "aliases": absent, or an array of strings; duplicates dropped. Returns 0 or
 * -1 (error set). Strings are copied as written. */
static int parse_alias_list(parser *p, json_t *obj, char ***out, size_t *n_out)
{
    json_t *a = json_object_get(obj, "aliases");
    *out = NULL;
    *n_out = 0;
    if (!a) return 0;
    if (!json_is_array(a)) {
        fail(p, "\"aliases\" must be an array of strings");
        return -1;
    }
    *out = xcalloc(json_array_size(a), sizeof(char *));
    strmap seen = {0};
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (!json_is_string(e)) {
            char ex[100];
            excerpt(e, ex, sizeof ex);
            fail(p, "alias %s is not a string", ex);
            strmap_free(&seen);
            return -1;
        }
        if (strmap_put(&seen, json_string_value(e), NULL))
            (*out)[(*n_out)++] = xstrdup(json_string_value(e));
    }
    strmap_free(&seen);
    return 0;
}

/* Named-type aliases: resolved to full names against the type's namespace. */
static int parse_named_aliases(parser *p, avro_node *n, json_t *obj)
{
    char **raw;
    size_t n_raw;
    if (parse_alias_list(p, obj, &raw, &n_raw) < 0) {
        n->aliases = raw; /* freed with the node */
        n->n_aliases = n_raw;
        return -1;
    }
    n->aliases = raw;
    n->n_aliases = 0;
    strmap seen = {0};
    for (size_t i = 0; i < n_raw; i++) {
        const char *dot = strrchr(raw[i], '.');
        const char *simple = dot ? dot + 1 : raw[i];
        if (!valid_name(simple)) {
            fail(p, "invalid alias \"%s\" of %s", raw[i], n->fullname);
            for (size_t k = i; k < n_raw; k++) free(raw[k]);
            strmap_free(&seen);
            return -1;
        }
        char *full = qualify(raw[i], n->space);
        if (dot && dot == raw[i]) { /* ".X": the null namespace */
            free(full);
            full = xstrdup(simple);
        }
        free(raw[i]);
        if (!strmap_put(&seen, full, NULL))
            free(full);
        else
            n->aliases[n->n_aliases++] = full;
    }
    strmap_free(&seen);
    return 0;
}

/* name, namespace and doc of a record/enum/fixed (Java's Name(name, space)). */
static int parse_name(parser *p, avro_node *n, json_t *obj)
{
    json_t *name = json_object_get(obj, "name");
    if (!json_is_string(name)) {
        char ex[120];
        excerpt(obj, ex, sizeof ex);
        fail(p, "no \"name\" string in %s schema %s", n->type_name, ex);
        return -1;
    }
    const char *raw = json_string_value(name);
    json_t *ns = json_object_get(obj, "namespace");
    const char *space = json_is_string(ns) ? json_string_value(ns) : p->space;
    const char *dot = strrchr(raw, '.');
    if (dot) {
        n->name = xstrdup(dot + 1);
        n->space = xstrndup(raw, (size_t)(dot - raw));
    } else {
        n->name = xstrdup(raw);
        n->space = space ? xstrdup(space) : NULL;
    }
    if (n->space && !*n->space) {
        free(n->space);
        n->space = NULL;
    }
    n->fullname = join_name(n->space, n->name);
    json_t *doc = json_object_get(obj, "doc");
    if (json_is_string(doc)) n->doc = xstrdup(json_string_value(doc));

    if (!valid_name(n->name)) {
        fail(p, "invalid name \"%s\" (names must match [A-Za-z_][A-Za-z0-9_]*)", raw);
        return -1;
    }
    /* Namespaces are not validated: Avro-Java (and so Confluent) accepts any
     * string there, e.g. "com.my-company", and real schemas use that. */
    if (primitive_index(n->fullname) >= 0) {
        fail(p, "a named type may not be called after a primitive type: \"%s\"", n->fullname);
        return -1;
    }
    return 0;
}

static int define(parser *p, avro_node *n)
{
    if (!strmap_put(&p->names, n->fullname, n)) {
        fail(p, "type %s is defined more than once", n->fullname);
        return -1;
    }
    return 0;
}

static int parse_order(parser *p, avro_field *f, json_t *field)
{
    json_t *o = json_object_get(field, "order");
    if (!o) return 0;
    static const char *const orders[] = {"ascending", "descending", "ignore"};
    if (json_is_string(o))
        for (size_t i = 0; i < 3; i++)
            if (strcasecmp(json_string_value(o), orders[i]) == 0) {
                f->order = xstrdup(orders[i]);
                return 0;
            }
    char ex[100];
    excerpt(o, ex, sizeof ex);
    fail(p, "invalid \"order\" %s (expected \"ascending\", \"descending\" or \"ignore\")", ex);
    return -1;
}

static int parse_default(parser *p, avro_field *f, json_t *field)
{
    json_t *d = json_object_get(field, "default");
    if (!d) return 0;
    f->default_json = json_incref(d);
    char ex[120];
    if (is_real_kind(f->type) && json_is_string(d)) {
        double ignored;
        if (avro_fmt_java_parse_double(json_string_value(d), &ignored) < 0) {
            excerpt(d, ex, sizeof ex);
            fail(p, "invalid default value %s: not a number", ex);
            return -1;
        }
        return 0;
    }
    if (p->flags & SR_PARSE_LENIENT) return 0;
    int r = valid_default(p, f->type, d, 0);
    if (r < 0) return -1;
    if (r == 0) {
        excerpt(d, ex, sizeof ex);
        fail(p, "invalid default value %s for type %s", ex, kind_name(f->type));
        return -1;
    }
    return 0;
}

static int parse_field(parser *p, avro_node *rec, size_t idx, json_t *fj, strmap *names)
{
    avro_field *f = &rec->fields[idx];
    f->props = new_object();
    rec->n_fields = idx + 1; /* owned by the node from here on, for freeing */

    json_t *name = json_is_object(fj) ? json_object_get(fj, "name") : NULL;
    if (!json_is_string(name)) {
        fail(p, "field #%zu has no \"name\" string", idx);
        return -1;
    }
    f->name = xstrdup(json_string_value(name));
    if (!valid_name(f->name)) {
        fail(p, "invalid field name \"%s\"", f->name);
        return -1;
    }
    if (!strmap_put(names, f->name, NULL)) {
        p->ctx_record = NULL; /* the message names it */
        fail(p, "duplicate field \"%s\" in record %s", f->name, rec->fullname);
        return -1;
    }
    p->ctx_field = f->name;

    json_t *doc = json_object_get(fj, "doc");
    if (json_is_string(doc)) f->doc = xstrdup(json_string_value(doc));

    json_t *type = json_object_get(fj, "type");
    if (!type) {
        fail(p, "no \"type\"");
        return -1;
    }
    const char *saved_record = p->ctx_record, *saved_field = p->ctx_field;
    f->type = parse_type(p, type);
    p->ctx_record = saved_record;
    p->ctx_field = saved_field;
    if (!f->type) return -1;

    if (parse_order(p, f, fj) < 0 || parse_default(p, f, fj) < 0) return -1;
    collect_props(f->props, fj, field_reserved, 0);
    if (parse_alias_list(p, fj, &f->aliases, &f->n_aliases) < 0) return -1;
    p->ctx_field = NULL;
    return 0;
}

static int parse_record(parser *p, avro_node *n, json_t *obj)
{
    if (define(p, n) < 0) return -1;
    json_t *fields = json_object_get(obj, "fields");
    if (!json_is_array(fields)) {
        fail(p, "record %s has no \"fields\" array", n->fullname);
        return -1;
    }
    n->fields = xcalloc(json_array_size(fields), sizeof(avro_field));
    p->building[p->n_building++] = n;
    p->ctx_record = n->fullname;
    p->ctx_field = NULL;
    strmap names = {0};
    size_t i;
    json_t *fj;
    json_array_foreach(fields, i, fj) {
        if (parse_field(p, n, i, fj, &names) < 0) {
            strmap_free(&names);
            return -1;
        }
    }
    strmap_free(&names);
    p->n_building--;
    return 0;
}

static int parse_enum(parser *p, avro_node *n, json_t *obj)
{
    json_t *syms = json_object_get(obj, "symbols");
    if (!json_is_array(syms)) {
        fail(p, "enum %s has no \"symbols\" array", n->fullname);
        return -1;
    }
    n->symbols = xcalloc(json_array_size(syms), sizeof(char *));
    strmap seen = {0};
    size_t i;
    json_t *e;
    json_array_foreach(syms, i, e) {
        if (!json_is_string(e) || !valid_name(json_string_value(e))) {
            char ex[100];
            excerpt(e, ex, sizeof ex);
            fail(p, "invalid symbol %s in enum %s", ex, n->fullname);
            strmap_free(&seen);
            return -1;
        }
        const char *sym = json_string_value(e);
        if (!strmap_put(&seen, sym, NULL)) {
            fail(p, "duplicate enum symbol \"%s\" in enum %s", sym, n->fullname);
            strmap_free(&seen);
            return -1;
        }
        n->symbols[n->n_symbols++] = xstrdup(sym);
    }
    json_t *def = json_object_get(obj, "default");
    if (json_is_string(def)) { /* Java ignores a non-string enum default */
        const char *d = json_string_value(def);
        if (!strmap_has(&seen, d)) {
            fail(p, "the default \"%s\" of enum %s is not one of its symbols", d, n->fullname);
            strmap_free(&seen);
            return -1;
        }
        n->enum_default = xstrdup(d);
    }
    strmap_free(&seen);
    return define(p, n);
}

static int parse_fixed(parser *p, avro_node *n, json_t *obj)
{
    json_t *size = json_object_get(obj, "size");
    if (!json_is_integer(size) || json_integer_value(size) < 0 ||
        json_integer_value(size) > INT32_MAX) {
        fail(p, "fixed %s has no valid \"size\" (a non-negative int)", n->fullname);
        return -1;
    }
    n->size = json_integer_value(size);
    return define(p, n);
}

static avro_node *parse_child(parser *p, avro_node *n, json_t *obj, const char *key)
{
    json_t *c = json_object_get(obj, key);
    if (!c) return fail(p, "%s has no \"%s\"", n->type_name, key);
    return parse_type(p, c);
}

static avro_node *parse_object(parser *p, json_t *obj)
{
    json_t *tj = json_object_get(obj, "type");
    if (!json_is_string(tj)) {
        char ex[120];
        excerpt(obj, ex, sizeof ex);
        return fail(p, "no \"type\" string in %s (a type must be a name, a {\"type\": ...} object"
                       " or a union array)",
                    ex);
    }
    const char *t = json_string_value(tj);
    int prim = primitive_index(t);
    int is_record = strcmp(t, "record") == 0 || strcmp(t, "error") == 0;
    int is_enum = strcmp(t, "enum") == 0, is_fixed = strcmp(t, "fixed") == 0;
    avro_node *n;

    if (prim >= 0) {
        n = new_primitive(p, prim);
    } else if (is_record || is_enum || is_fixed) {
        n = new_node(p, is_record ? AVN_RECORD : is_enum ? AVN_ENUM : AVN_FIXED,
                     is_record ? (t[0] == 'e' ? "error" : "record") : is_enum ? "enum" : "fixed");
        if (parse_name(p, n, obj) < 0) return NULL;
        const char *saved_space = p->space, *saved_record = p->ctx_record;
        p->space = n->space;
        int r = is_record ? parse_record(p, n, obj)
                          : is_enum ? parse_enum(p, n, obj) : parse_fixed(p, n, obj);
        p->space = saved_space;
        p->ctx_record = saved_record;
        if (r < 0) return NULL;
    } else if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
        n = new_node(p, t[0] == 'a' ? AVN_ARRAY : AVN_MAP, t[0] == 'a' ? "array" : "map");
        n->items = parse_child(p, n, obj, t[0] == 'a' ? "items" : "values");
        if (!n->items) return NULL;
    } else {
        /* {"type": "<defined name>"}: Java returns the named type as is */
        char *full = qualify(t, p->space);
        avro_node *named = strmap_get(&p->names, full);
        free(full);
        if (!named) return fail(p, "type \"%s\" is not supported (not a known type or defined name)", t);
        return named;
    }
    collect_props(n->props, obj, schema_reserved, n->kind == AVN_ENUM);
    if ((is_record || is_enum || is_fixed) && parse_named_aliases(p, n, obj) < 0) return NULL;
    return n;
}

static avro_node *parse_union(parser *p, json_t *arr)
{
    avro_node *n = new_node(p, AVN_UNION, "union");
    n->branches = xcalloc(json_array_size(arr), sizeof(avro_node *));
    strmap seen = {0};
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        avro_node *b = parse_type(p, e);
        if (b && b->kind == AVN_UNION)
            b = fail(p, "a union may not immediately contain another union");
        else if (b && !strmap_put(&seen, kind_name(b), NULL))
            b = fail(p, "duplicate type %s in union", kind_name(b));
        if (!b) {
            strmap_free(&seen);
            return NULL;
        }
        n->branches[n->n_branches++] = b;
    }
    strmap_free(&seen);
    return n;
}

static avro_node *parse_type(parser *p, json_t *j)
{
    if (p->depth >= AVRO_MAX_DEPTH)
        return fail(p, "types nested too deeply (more than %d levels)", AVRO_MAX_DEPTH);
    p->depth++;
    avro_node *n = NULL;
    switch (json_typeof(j)) {
    case JSON_STRING:
        n = lookup_ref(p, json_string_value(j));
        if (!n)
            fail(p, "\"%s\" is not a defined name (a type must be a primitive, a defined name,"
                    " a {\"type\": ...} object or a union array)",
                 json_string_value(j));
        break;
    case JSON_OBJECT: n = parse_object(p, j); break;
    case JSON_ARRAY: n = parse_union(p, j); break;
    default: {
        char ex[100];
        excerpt(j, ex, sizeof ex);
        fail(p, "%s is not a schema (expected a type name, an object or an array)", ex);
    }
    }
    p->depth--;
    return n;
}

/* ------------------------------------------------------------------------ */
/* entry points                                                              */

static avro_node *parse_text(parser *p, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    if (!j) return fail(p, "not valid JSON: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
    p->space = NULL;
    p->depth = 0;
    p->n_building = 0;
    p->ctx_record = p->ctx_field = NULL;
    avro_node *root = parse_type(p, j);
    json_decref(j);
    return root;
}

avro_schema *avro_fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                            unsigned flags, sr_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.s = xcalloc(1, sizeof *p.s);
    p.flags = flags;
    p.err = err;

    p.from_reference = 1;
    for (size_t i = 0; i < n_deps; i++) {
        p.ref_name = deps[i].name ? deps[i].name : "?";
        if (!deps[i].text || !parse_text(&p, deps[i].text, strlen(deps[i].text))) {
            if (!deps[i].text) fail(&p, "no schema text");
            goto fail;
        }
    }
    p.ref_name = NULL;
    p.from_reference = 0;
    if (!text) {
        fail(&p, "no schema text");
        goto fail;
    }
    p.s->root = parse_text(&p, text, len);
    if (!p.s->root) goto fail;
    strmap_free(&p.names);
    return p.s;

fail:
    strmap_free(&p.names);
    avro_fmt_schema_free(p.s);
    return NULL;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void free_node(avro_node *n)
{
    free(n->name);
    free(n->space);
    free(n->fullname);
    free(n->doc);
    free_strings(n->aliases, n->n_aliases);
    for (size_t i = 0; i < n->n_fields; i++) {
        avro_field *f = &n->fields[i];
        free(f->name);
        free(f->doc);
        json_decref(f->default_json);
        free(f->order);
        free_strings(f->aliases, f->n_aliases);
        json_decref(f->props);
    }
    free(n->fields);
    free_strings(n->symbols, n->n_symbols);
    free(n->enum_default);
    free(n->branches);
    json_decref(n->props);
    free(n);
}

void avro_fmt_schema_free(avro_schema *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_nodes; i++) free_node(s->nodes[i]);
    free(s->nodes);
    free(s);
}
