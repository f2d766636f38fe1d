/*
 * avro_compat.c: can an Avro reader schema read what a writer schema wrote?
 *
 * A reimplementation of Avro-Java's SchemaCompatibility.ReaderWriterCompatibility-
 * Checker (the checker Confluent calls, compat.md §2.2), including its quirks,
 * because the registry's verdicts and messages must be the same as Confluent's:
 *
 *   - Results are memoised on the (reader node, writer node) identity pair. A pair
 *     met again while it is still being computed counts as compatible (this is
 *     what ends recursion through recursive records). A finished pair's result is
 *     reused as is, locations included, wherever the pair turns up again; so a
 *     repeated pair repeats its incompatibilities with the location where it was
 *     first computed.
 *   - Union branch probes (each writer branch against a reader union, each reader
 *     branch against a non-union writer) run with a fresh location stack: their
 *     own findings are only used as a yes/no, but they are memoised with those
 *     root-relative locations like any other result.
 *   - Names compare unqualified; the reader's aliases (resolved full names) may
 *     match the writer's full name. Field aliases are looked up reader side only.
 *   - A reader field that matches more than one writer field (by name and
 *     aliases) makes Java throw; Confluent reports that as one "Unexpected
 *     exception during compatibility check: ..." message, which we reproduce.
 *
 * Locations are JSON pointers built from the tokens "fields", "<index>", "type",
 * "items", "values", "symbols", "size", "name" and union branch indices.
 *
 * Thread safety: all state lives in a per-call context.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hashmap.h"
#include "../common/strbuf.h"
#include "../formats/avro/avro_format.h"
#include "compat.h"

/* Bounds that protect the server, far beyond any real schema: the number of
 * incompatibilities kept per (reader, writer) pair (memoised results are copied
 * into every place a pair recurs, which can multiply) and the nesting depth of
 * the comparison (each level is a few C stack frames). */
#define MAX_ISSUES_PER_PAIR 1000
#define MAX_DEPTH 1000

typedef enum inc_type {
    INC_NAME_MISMATCH,
    INC_FIXED_SIZE_MISMATCH,
    INC_MISSING_ENUM_SYMBOLS,
    INC_READER_FIELD_MISSING_DEFAULT_VALUE,
    INC_TYPE_MISMATCH,
    INC_MISSING_UNION_BRANCH,
} inc_type;

static const char *const inc_type_names[] = {
    "NAME_MISMATCH",       "FIXED_SIZE_MISMATCH", "MISSING_ENUM_SYMBOLS",
    "READER_FIELD_MISSING_DEFAULT_VALUE", "TYPE_MISMATCH", "MISSING_UNION_BRANCH",
};

/* One incompatibility, as Java's Incompatibility: type, location, message. */
typedef struct inc {
    inc_type type;
    char *path;
    char *info; /* Java's getMessage(): Confluent's additionalInfo */
} inc;

typedef struct inc_list {
    inc *items;
    size_t n, cap;
} inc_list;

typedef enum { MEMO_IN_PROGRESS, MEMO_DONE } memo_state;

typedef struct memo_entry {
    ptrpair key; /* (reader node, writer node) */
    memo_state state;
    inc_list result; /* when MEMO_DONE */
} memo_entry;

/* A location token: a fixed word or a decimal index, so it always fits. */
typedef struct token {
    char s[24];
} token;

typedef struct ctx {
    const avro_schema *writer_schema; /* for the exception message */
    pairmap memo;                     /* (reader, writer) -> memo_entry * (owned) */
    token *loc; /* location stack; loc[base] is the current root token */
    size_t loc_n, loc_cap, base;
    size_t depth;
    char *abort_msg; /* set once Java would have thrown: the check stops */
    char *abort_path;
} ctx;

/* --- incompatibility lists ---------------------------------------------------- */

static void list_add(inc_list *l, inc_type type, char *path, char *info)
{
    if (l->n >= MAX_ISSUES_PER_PAIR) {
        free(path);
        free(info);
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = (inc){type, path, info};
}

static void list_append_copy(inc_list *dst, const inc_list *src)
{
    for (size_t i = 0; i < src->n; i++)
        list_add(dst, src->items[i].type, xstrdup(src->items[i].path),
                 xstrdup(src->items[i].info));
}

static void list_free(inc_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].path);
        free(l->items[i].info);
    }
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/* --- memo table ----------------------------------------------------------------- */

/* A new entry for (r, w), not memoised yet: in progress. */
static memo_entry *memo_start(ctx *c, const avro_node *r, const avro_node *w)
{
    memo_entry *e = xcalloc(1, sizeof *e);
    e->key = (ptrpair){r, w};
    e->state = MEMO_IN_PROGRESS;
    pairmap_put(&c->memo, &e->key, e);
    return e;
}

/* Takes ownership of *res (a pair is finished exactly once). */
static void memo_finish(memo_entry *e, inc_list *res)
{
    e->state = MEMO_DONE;
    e->result = *res;
    *res = (inc_list){0};
}

/* --- location stack ------------------------------------------------------------- */

static void loc_push(ctx *c, const char *word)
{
    if (c->loc_n == c->loc_cap) {
        c->loc_cap = c->loc_cap ? c->loc_cap * 2 : 32;
        c->loc = xrealloc(c->loc, c->loc_cap * sizeof *c->loc);
    }
    snprintf(c->loc[c->loc_n++].s, sizeof(token), "%s", word);
}

static void loc_push_index(ctx *c, size_t i)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%zu", i);
    loc_push(c, buf);
}

static void loc_pop(ctx *c)
{
    c->loc_n--;
}

/* "/" + the tokens after the current root, JSON-pointer escaped (~ -> ~0, / -> ~1),
 * as Java's Incompatibility.getLocation(). */
static char *loc_path(const ctx *c)
{
    strbuf sb = STRBUF_INIT;
    strbuf_putc(&sb, '/');
    for (size_t i = c->base + 1; i < c->loc_n; i++) {
        if (i > c->base + 1) strbuf_putc(&sb, '/');
        for (const char *p = c->loc[i].s; *p; p++) {
            if (*p == '~') strbuf_puts(&sb, "~0");
            else if (*p == '/') strbuf_puts(&sb, "~1");
            else strbuf_putc(&sb, *p);
        }
    }
    return strbuf_take(&sb);
}

/* --- helpers ---------------------------------------------------------------------- */

/* Java's Schema.Type names, as they print in messages. */
static const char *type_upper(const avro_node *n)
{
    switch (n->kind) {
    case AVN_NULL: return "NULL";
    case AVN_BOOLEAN: return "BOOLEAN";
    case AVN_INT: return "INT";
    case AVN_LONG: return "LONG";
    case AVN_FLOAT: return "FLOAT";
    case AVN_DOUBLE: return "DOUBLE";
    case AVN_BYTES: return "BYTES";
    case AVN_STRING: return "STRING";
    case AVN_RECORD: return "RECORD";
    case AVN_ENUM: return "ENUM";
    case AVN_ARRAY: return "ARRAY";
    case AVN_MAP: return "MAP";
    case AVN_UNION: return "UNION";
    case AVN_FIXED: return "FIXED";
    }
    return "UNKNOWN";
}

static int streq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

static char *xprintf_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xprintf_str(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* An incompatibility at the current location. */
static void incompatible(ctx *c, inc_list *out, inc_type type, char *info)
{
    list_add(out, type, loc_path(c), info);
}

static int aborted(const ctx *c)
{
    return c->abort_msg != NULL;
}

static void abort_check(ctx *c, char *msg)
{
    if (aborted(c)) {
        free(msg);
        return;
    }
    c->abort_msg = msg;
    c->abort_path = loc_path(c);
}

/* --- the checker ------------------------------------------------------------------ */

static void get_compat(ctx *c, const char *token, const avro_node *r, const avro_node *w,
                       inc_list *out);

/* Java's two-argument getCompatibility(reader, writer): a fresh location stack
 * rooted at the empty token, same memo table. */
static void get_compat_fresh(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    size_t saved = c->base;
    c->base = c->loc_n;
    get_compat(c, "", r, w, out);
    c->base = saved;
}

static void check_names(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    if (streq(r->name, w->name)) return;
    for (size_t i = 0; i < r->n_aliases; i++)
        if (streq(r->aliases[i], w->fullname)) return;
    loc_push(c, "name");
    incompatible(c, out, INC_NAME_MISMATCH, xprintf_str("expected: %s", w->fullname));
    loc_pop(c);
}

static void check_fixed_size(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    if (r->size == w->size) return;
    loc_push(c, "size");
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "expected: %lld, found: %lld", w->size, r->size);
    incompatible(c, out, INC_FIXED_SIZE_MISMATCH, strbuf_take(&sb));
    loc_pop(c);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A name lookup that stays fast for records and enums with thousands of members
 * (a 2 MB schema must not cost seconds): a sorted copy of the names, or none for
 * small lists, which are scanned. */
typedef struct name_index {
    const char **sorted; /* NULL: scan `names` */
    char *const *names;
    size_t n;
} name_index;

#define INDEX_MIN 16

static name_index index_names(char *const *names, size_t n)
{
    name_index ix = {NULL, names, n};
    if (n >= INDEX_MIN) {
        ix.sorted = xmalloc(n * sizeof *ix.sorted);
        memcpy(ix.sorted, names, n * sizeof *ix.sorted);
        qsort(ix.sorted, n, sizeof *ix.sorted, cmp_str);
    }
    return ix;
}

static int index_has(const name_index *ix, const char *name)
{
    if (ix->sorted) return bsearch(&name, ix->sorted, ix->n, sizeof *ix->sorted, cmp_str) != NULL;
    for (size_t i = 0; i < ix->n; i++)
        if (strcmp(ix->names[i], name) == 0) return 1;
    return 0;
}

static void index_free(name_index *ix)
{
    free(ix->sorted);
}

/* Writer symbols the reader lacks are fatal unless the reader has a default
 * symbol. The message is Java's TreeSet.toString(): sorted, distinct, "[A, B]".
 * (strcmp orders UTF-8 like Java's UTF-16 compareTo for every legal Avro name.) */
static void check_enum_symbols(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    const char **missing = xmalloc((w->n_symbols ? w->n_symbols : 1) * sizeof *missing);
    name_index rsyms = index_names(r->symbols, r->n_symbols);
    size_t n = 0;
    for (size_t i = 0; i < w->n_symbols; i++)
        if (!index_has(&rsyms, w->symbols[i])) missing[n++] = w->symbols[i];
    if (n > 0 && !(r->enum_default && index_has(&rsyms, r->enum_default))) {
        qsort(missing, n, sizeof *missing, cmp_str);
        strbuf sb = STRBUF_INIT;
        strbuf_putc(&sb, '[');
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && strcmp(missing[i], missing[i - 1]) == 0) continue;
            if (i > 0) strbuf_puts(&sb, ", ");
            strbuf_puts(&sb, missing[i]);
        }
        strbuf_putc(&sb, ']');
        loc_push(c, "symbols");
        incompatible(c, out, INC_MISSING_ENUM_SYMBOLS, strbuf_take(&sb));
        loc_pop(c);
    }
    index_free(&rsyms);
    free(missing);
}

/* Writer fields by name, the same way. */
typedef struct field_index {
    const avro_field **sorted; /* NULL: scan */
    const avro_node *rec;
} field_index;

static int cmp_field(const void *a, const void *b)
{
    return strcmp((*(const avro_field *const *)a)->name, (*(const avro_field *const *)b)->name);
}

/* bsearch: key is a const char **, element a const avro_field **. */
static int cmp_name_field(const void *key, const void *elem)
{
    return strcmp(*(const char *const *)key, (*(const avro_field *const *)elem)->name);
}

static field_index index_fields(const avro_node *rec)
{
    field_index ix = {NULL, rec};
    if (rec->n_fields >= INDEX_MIN) {
        ix.sorted = xmalloc(rec->n_fields * sizeof *ix.sorted);
        for (size_t i = 0; i < rec->n_fields; i++) ix.sorted[i] = &rec->fields[i];
        qsort(ix.sorted, rec->n_fields, sizeof *ix.sorted, cmp_field);
    }
    return ix;
}

static const avro_field *field_named(const field_index *ix, const char *name)
{
    if (ix->sorted) {
        const avro_field **hit =
            bsearch(&name, ix->sorted, ix->rec->n_fields, sizeof *ix->sorted, cmp_name_field);
        return hit ? *hit : NULL;
    }
    for (size_t i = 0; i < ix->rec->n_fields; i++)
        if (strcmp(ix->rec->fields[i].name, name) == 0) return &ix->rec->fields[i];
    return NULL;
}

/* Does list[i] occur earlier in list? */
static int is_repeat(char *const *list, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(list[j], list[i]) == 0) return 1;
    return 0;
}

/* Java's Schema.toString() of a writer record: our canonical printer on a view of
 * the writer schema rooted at that record. */
static char *node_json(const ctx *c, const avro_node *n)
{
    avro_schema view = *c->writer_schema;
    view.root = (avro_node *)n;
    char *s = avro_fmt_canonical(&view);
    return s ? s : xstrdup("");
}

/* Java's lookupWriterField: the writer field named like the reader field or one of
 * its aliases. Several hits make Java throw; an alias equal to the field's own name
 * counts as a second hit, but a repeated alias does not (Java keeps a field's
 * aliases in a set). */
static const avro_field *lookup_writer_field(ctx *c, const field_index *wix,
                                             const avro_field *f, size_t pos, int *thrown)
{
    const avro_node *w = wix->rec;
    const avro_field *found = field_named(wix, f->name);
    size_t hits = found != NULL;
    for (size_t i = 0; i < f->n_aliases; i++) {
        if (is_repeat(f->aliases, i)) continue;
        const avro_field *a = field_named(wix, f->aliases[i]);
        if (a) {
            if (!found) found = a;
            hits++;
        }
    }
    *thrown = hits > 1;
    if (*thrown) {
        char *wjson = node_json(c, w);
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb,
                      "Unexpected exception during compatibility check: Reader record field "
                      "%s type:%s pos:%zu matches multiple fields in writer record schema %s",
                      f->name, type_upper(f->type), pos, wjson);
        free(wjson);
        abort_check(c, strbuf_take(&sb));
        return NULL;
    }
    return found;
}

static void check_record_fields(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    field_index wix = index_fields(w);
    loc_push(c, "fields");
    for (size_t i = 0; i < r->n_fields && !aborted(c); i++) {
        const avro_field *f = &r->fields[i];
        loc_push_index(c, i);
        int thrown;
        const avro_field *wf = lookup_writer_field(c, &wix, f, i, &thrown);
        if (thrown) {
            /* nothing: the whole check is abandoned */
        } else if (wf) {
            get_compat(c, "type", f->type, wf->type, out);
        } else if (!f->default_json) {
            /* Java's enum-default shortcut: compares the enum with the whole writer
             * record, which can only fail (TYPE_MISMATCH). */
            if (f->type->kind == AVN_ENUM && f->type->enum_default)
                get_compat(c, "type", f->type, w, out);
            else
                incompatible(c, out, INC_READER_FIELD_MISSING_DEFAULT_VALUE, xstrdup(f->name));
        }
        loc_pop(c);
    }
    loc_pop(c);
    free(wix.sorted);
}

/* Both unions: every writer branch must be readable by the reader union. */
static void check_union_union(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    for (size_t i = 0; i < w->n_branches && !aborted(c); i++) {
        const avro_node *wb = w->branches[i];
        loc_push_index(c, i);
        inc_list probe = {0};
        get_compat_fresh(c, r, wb, &probe);
        if (probe.n > 0)
            incompatible(c, out, INC_MISSING_UNION_BRANCH,
                         xprintf_str("reader union lacking writer type: %s", type_upper(wb)));
        list_free(&probe);
        loc_pop(c);
    }
}

/* Reader union, writer not a union: some reader branch (any, not only the first)
 * must read the writer. */
static void check_reader_union(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    for (size_t i = 0; i < r->n_branches; i++) {
        inc_list probe = {0};
        get_compat_fresh(c, r->branches[i], w, &probe);
        int ok = probe.n == 0;
        list_free(&probe);
        if (aborted(c)) return;
        if (ok) return;
    }
    incompatible(c, out, INC_MISSING_UNION_BRANCH,
                 xprintf_str("reader union lacking writer type: %s", type_upper(w)));
}

static void type_mismatch(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    incompatible(c, out, INC_TYPE_MISMATCH,
                 xprintf_str("reader type: %s not compatible with writer type: %s",
                             type_upper(r), type_upper(w)));
}

/* Promotions: int -> long/float/double, long -> float/double, float -> double,
 * string <-> bytes. */
static int promotes(avro_kind reader, avro_kind writer)
{
    switch (reader) {
    case AVN_LONG: return writer == AVN_INT;
    case AVN_FLOAT: return writer == AVN_INT || writer == AVN_LONG;
    case AVN_DOUBLE: return writer == AVN_INT || writer == AVN_LONG || writer == AVN_FLOAT;
    case AVN_BYTES: return writer == AVN_STRING;
    case AVN_STRING: return writer == AVN_BYTES;
    default: return 0;
    }
}

static void calculate(ctx *c, const avro_node *r, const avro_node *w, inc_list *out)
{
    if (r->kind == w->kind) {
        switch (r->kind) {
        case AVN_ARRAY:
            get_compat(c, "items", r->items, w->items, out);
            return;
        case AVN_MAP:
            get_compat(c, "values", r->items, w->items, out);
            return;
        case AVN_FIXED:
            check_names(c, r, w, out);
            check_fixed_size(c, r, w, out);
            return;
        case AVN_ENUM:
            check_names(c, r, w, out);
            check_enum_symbols(c, r, w, out);
            return;
        case AVN_RECORD:
            check_names(c, r, w, out);
            check_record_fields(c, r, w, out);
            return;
        case AVN_UNION:
            check_union_union(c, r, w, out);
            return;
        default: /* the same primitive */
            return;
        }
    }
    /* A writer union: the reader must read every branch. */
    if (w->kind == AVN_UNION) {
        for (size_t i = 0; i < w->n_branches && !aborted(c); i++) {
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", i);
            get_compat(c, idx, r, w->branches[i], out);
        }
        return;
    }
    if (r->kind == AVN_UNION) {
        check_reader_union(c, r, w, out);
        return;
    }
    if (!promotes(r->kind, w->kind)) type_mismatch(c, r, w, out);
}

/* Java's getCompatibility(token, reader, writer, location): memoised. */
static void get_compat(ctx *c, const char *token, const avro_node *r, const avro_node *w,
                       inc_list *out)
{
    if (aborted(c)) return;
    loc_push(c, token);
    if (++c->depth > MAX_DEPTH) {
        abort_check(c, xstrdup("Unexpected exception during compatibility check: "
                               "schemas nested too deeply"));
    } else {
        memo_entry *e = pairmap_get(&c->memo, r, w);
        if (e) {
            /* In progress: assumed compatible until proven otherwise. */
            if (e->state == MEMO_DONE) list_append_copy(out, &e->result);
        } else {
            e = memo_start(c, r, w);
            inc_list res = {0};
            calculate(c, r, w, &res);
            list_append_copy(out, &res);
            memo_finish(e, &res);
        }
    }
    c->depth--;
    loc_pop(c);
}

/* --- messages --------------------------------------------------------------------- */

/* Confluent's Difference.error(): the description with the reader label in the
 * first %s and the writer label in the second. */
static char *render(const inc *it, const char *rl, const char *wl)
{
    strbuf d = STRBUF_INIT;
    switch (it->type) {
    case INC_FIXED_SIZE_MISMATCH:
        strbuf_printf(&d, "The size of FIXED type field at path '%s' in the %s schema does not "
                          "match with the %s schema", it->path, rl, wl);
        break;
    case INC_TYPE_MISMATCH:
        strbuf_printf(&d, "The type (path '%s') of a field in the %s schema does not match with "
                          "the %s schema", it->path, rl, wl);
        break;
    case INC_NAME_MISMATCH:
        strbuf_printf(&d, "The name of the schema has changed (path '%s')", it->path);
        break;
    case INC_MISSING_ENUM_SYMBOLS:
        strbuf_printf(&d, "The %s schema is missing enum symbols '%s' at path '%s' in the %s schema",
                      rl, it->info, it->path, wl);
        break;
    case INC_MISSING_UNION_BRANCH:
        strbuf_printf(&d, "The %s schema is missing a type inside a union field at path '%s' in "
                          "the %s schema", rl, it->path, wl);
        break;
    case INC_READER_FIELD_MISSING_DEFAULT_VALUE:
        strbuf_printf(&d, "The field '%s' at path '%s' in the %s schema has no default value and "
                          "is missing in the %s schema", it->info, it->path, rl, wl);
        break;
    }
    strbuf m = STRBUF_INIT;
    strbuf_printf(&m, "{errorType:'%s', description:'%s', additionalInfo:'%s'}",
                  inc_type_names[it->type], d.data ? d.data : "", it->info);
    strbuf_free(&d);
    return strbuf_take(&m);
}

static void ctx_free(ctx *c)
{
    size_t pos = 0;
    void *v;
    while (pairmap_next(&c->memo, &pos, &v)) {
        memo_entry *e = v;
        list_free(&e->result);
        free(e);
    }
    pairmap_free(&c->memo);
    free(c->loc);
    free(c->abort_msg);
    free(c->abort_path);
}

void avro_compat_check(const void *reader, const void *writer, const char *reader_label,
                       const char *writer_label, compat_policy policy, compat_issues *out)
{
    (void)policy; /* Avro has no policy-dependent rule */
    const avro_schema *rs = reader, *ws = writer;
    ctx c = {0};
    c.writer_schema = ws;
    inc_list found = {0};
    get_compat(&c, "", rs->root, ws->root, &found);

    if (aborted(&c)) {
        /* Java threw: Confluent reports only the exception's message. */
        compat_issues_add(out, "UNEXPECTED_EXCEPTION", c.abort_path, c.abort_msg);
    } else {
        for (size_t i = 0; i < found.n; i++) {
            char *msg = render(&found.items[i], reader_label, writer_label);
            compat_issues_add(out, inc_type_names[found.items[i].type], found.items[i].path, msg);
            free(msg);
        }
    }
    list_free(&found);
    ctx_free(&c);
}
