/*
 * protobuf_compat.c: Confluent's Protobuf schema diff (compat.md §3.2-§3.6).
 *
 * Confluent does not decode data with two schemas; it walks both parsed files
 * side by side and lists every difference, then calls the change compatible iff
 * no difference falls outside a fixed set of compatible types. diff(original,
 * update) always means "can `update` read what `original` wrote", so the checker
 * (reader, writer) is diff(original = writer, update = reader).
 *
 * This is a reimplementation of the protobuf-provider's diff package at its mid-2026
 * head (SchemaDiff, MessageSchemaDiff with the June-2026 oneof logic, FieldSchemaDiff,
 * EnumSchemaDiff, Context), on our own model (pb_model.h) instead of square/wire's
 * elements. What follows from wire's element model, and which we copy:
 *
 *   - proto2 groups are not fields and not nested types in wire: group fields and
 *     group messages are invisible to the diff. A field whose type names a group's
 *     message cannot be resolved and is compared by the type name as written.
 *   - map fields are `map<K, V>` fields; their synthetic entry messages do not exist
 *     (they neither count as nested types nor shift message ordinals).
 *   - oneof members and proto3 fields without a keyword have no label; labels are
 *     compared only when both sides have one.
 *
 * And from Confluent's code:
 *
 *   - a field whose message type keeps its local name (full name minus the package
 *     of the file defining it) is recursed into only when the two definitions come
 *     from different places: Confluent records the schema's own file as the dummy
 *     reference ("", -1), a registered reference by (subject, version) and a bundled
 *     file nobody referenced as no reference at all (always recursed into). So a type
 *     defined in the schema itself on both sides is never recursed into through a
 *     field (it is diffed where it is declared); one that moved into an import, or
 *     whose import changed version, is. The recursion runs in a sub-context whose
 *     paths restart at the type's local name, and adds FIELD_NAMED_TYPE_CHANGED at
 *     the field when it found anything incompatible.
 *   - the recursion guard is keyed on the original message alone: a message whose
 *     original side is already being compared is skipped (its fields; its nested
 *     types are still walked), which is what ends recursive types.
 *   - sibling messages, sibling enums and enum constant numbers are visited in
 *     java.util.HashSet iteration order (a HashMap per side, then a HashSet of the
 *     union of their keys), which decides the order of Confluent's messages; we
 *     simulate that order (JDK 17's HashSet sizing, which JDK 19+ changed for 12, 24,
 *     48... original names; bins of 9+ names sharing a bucket in tables of 64+, which
 *     Java turns into trees, keep insertion order here). Oneof names are visited
 *     sorted, field numbers ascending.
 *
 * Sub-comparisons of imported types are memoised on the (original, update) message
 * pair when their result did not depend on the guard stack around them, so a type
 * used by many fields is compared once. Bounds protect the server from hostile
 * schemas: each difference list keeps at most MAX_DIFFS_PER_KIND compatible and as
 * many incompatible entries (the verdict still counts the dropped ones), and a
 * comparison nested deeper than MAX_DEPTH or longer than MAX_WORK steps stops and
 * fails with one "Unexpected exception during compatibility check" message.
 *
 * Thread safety: all state lives in a per-call context.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hashmap.h"
#include "../common/strbuf.h"
#include "../formats/protobuf/pb_model.h"
#include "compat.h"

/* Bounds that protect the server, far beyond any real schema. */
#define MAX_DIFFS_PER_KIND 5000   /* compatible and incompatible differences kept per list */
#define MAX_DEPTH 1000            /* nested comparisons (messages, imported types) */
#define MAX_WORK 20000000ul       /* field and type comparisons in one check */

/* --- difference types and policies ---------------------------------------------- */

typedef enum pbd_type {
    PBD_PACKAGE_CHANGED,
    PBD_MESSAGE_ADDED,
    PBD_MESSAGE_REMOVED,
    PBD_MESSAGE_MOVED,
    PBD_ENUM_ADDED,
    PBD_ENUM_REMOVED,
    PBD_ENUM_CONST_ADDED,
    PBD_ENUM_CONST_CHANGED,
    PBD_ENUM_CONST_REMOVED,
    PBD_FIELD_ADDED,
    PBD_FIELD_REMOVED,
    PBD_FIELD_NAME_CHANGED,
    PBD_FIELD_KIND_CHANGED,
    PBD_FIELD_SCALAR_KIND_CHANGED,
    PBD_FIELD_NAMED_TYPE_CHANGED,
    PBD_FIELD_NUMERIC_LABEL_CHANGED,
    PBD_FIELD_STRING_OR_BYTES_LABEL_CHANGED,
    PBD_REQUIRED_FIELD_ADDED,
    PBD_REQUIRED_FIELD_REMOVED,
    PBD_ONEOF_ADDED,
    PBD_ONEOF_REMOVED,
    PBD_ONEOF_FIELD_ADDED,
    PBD_ONEOF_FIELD_REMOVED,
    PBD_ONEOF_FIELD_MOVED_TO_TOP_LEVEL,
    PBD_MULTIPLE_FIELDS_MOVED_TO_ONEOF,
    PBD_FIELD_MOVED_TO_EXISTING_ONEOF,
    PBD_COUNT
} pbd_type;

static const char *const pbd_names[PBD_COUNT] = {
    [PBD_PACKAGE_CHANGED] = "PACKAGE_CHANGED",
    [PBD_MESSAGE_ADDED] = "MESSAGE_ADDED",
    [PBD_MESSAGE_REMOVED] = "MESSAGE_REMOVED",
    [PBD_MESSAGE_MOVED] = "MESSAGE_MOVED",
    [PBD_ENUM_ADDED] = "ENUM_ADDED",
    [PBD_ENUM_REMOVED] = "ENUM_REMOVED",
    [PBD_ENUM_CONST_ADDED] = "ENUM_CONST_ADDED",
    [PBD_ENUM_CONST_CHANGED] = "ENUM_CONST_CHANGED",
    [PBD_ENUM_CONST_REMOVED] = "ENUM_CONST_REMOVED",
    [PBD_FIELD_ADDED] = "FIELD_ADDED",
    [PBD_FIELD_REMOVED] = "FIELD_REMOVED",
    [PBD_FIELD_NAME_CHANGED] = "FIELD_NAME_CHANGED",
    [PBD_FIELD_KIND_CHANGED] = "FIELD_KIND_CHANGED",
    [PBD_FIELD_SCALAR_KIND_CHANGED] = "FIELD_SCALAR_KIND_CHANGED",
    [PBD_FIELD_NAMED_TYPE_CHANGED] = "FIELD_NAMED_TYPE_CHANGED",
    [PBD_FIELD_NUMERIC_LABEL_CHANGED] = "FIELD_NUMERIC_LABEL_CHANGED",
    [PBD_FIELD_STRING_OR_BYTES_LABEL_CHANGED] = "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
    [PBD_REQUIRED_FIELD_ADDED] = "REQUIRED_FIELD_ADDED",
    [PBD_REQUIRED_FIELD_REMOVED] = "REQUIRED_FIELD_REMOVED",
    [PBD_ONEOF_ADDED] = "ONEOF_ADDED",
    [PBD_ONEOF_REMOVED] = "ONEOF_REMOVED",
    [PBD_ONEOF_FIELD_ADDED] = "ONEOF_FIELD_ADDED",
    [PBD_ONEOF_FIELD_REMOVED] = "ONEOF_FIELD_REMOVED",
    [PBD_ONEOF_FIELD_MOVED_TO_TOP_LEVEL] = "ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
    [PBD_MULTIPLE_FIELDS_MOVED_TO_ONEOF] = "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
    [PBD_FIELD_MOVED_TO_EXISTING_ONEOF] = "FIELD_MOVED_TO_EXISTING_ONEOF",
};

/* A policy is the set of difference types that do not make a change incompatible.
 * CONFLUENT is Confluent's COMPATIBLE_CHANGES (15 types); a stricter policy (e.g.
 * one closer to buf's WIRE_JSON rules) is another row. */
typedef struct pb_policy {
    const char *name;
    unsigned char compatible[PBD_COUNT];
} pb_policy;

static const pb_policy pb_policies[] = {
    {"CONFLUENT",
     {
         [PBD_MESSAGE_ADDED] = 1,
         [PBD_MESSAGE_MOVED] = 1,
         [PBD_ENUM_ADDED] = 1,
         [PBD_ENUM_REMOVED] = 1,
         [PBD_ENUM_CONST_ADDED] = 1,
         [PBD_ENUM_CONST_CHANGED] = 1,
         [PBD_ENUM_CONST_REMOVED] = 1,
         [PBD_FIELD_ADDED] = 1,
         [PBD_FIELD_REMOVED] = 1,
         [PBD_FIELD_NAME_CHANGED] = 1,
         [PBD_FIELD_STRING_OR_BYTES_LABEL_CHANGED] = 1,
         [PBD_ONEOF_ADDED] = 1,
         [PBD_ONEOF_REMOVED] = 1,
         [PBD_ONEOF_FIELD_ADDED] = 1,
         [PBD_ONEOF_FIELD_MOVED_TO_TOP_LEVEL] = 1,
     }},
};

static const pb_policy *policy_default(void)
{
    return &pb_policies[0];
}

/* --- difference lists ------------------------------------------------------------ */

typedef struct pdiff {
    pbd_type type;
    char *path;
} pdiff;

typedef struct dlist {
    pdiff *items;
    size_t n, cap;
    size_t n_compat, n_incompat; /* kept, by kind (each bounded) */
    int incompatible;            /* an incompatible difference was found (kept or not) */
} dlist;

static void dlist_add(dlist *l, const pb_policy *pol, pbd_type type, char *path)
{
    int ok = pol->compatible[type];
    if (!ok) l->incompatible = 1;
    size_t *count = ok ? &l->n_compat : &l->n_incompat;
    if (*count >= MAX_DIFFS_PER_KIND) {
        free(path);
        return;
    }
    (*count)++;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = (pdiff){type, path};
}

static void dlist_append(dlist *dst, const pb_policy *pol, const dlist *src)
{
    for (size_t i = 0; i < src->n; i++)
        dlist_add(dst, pol, src->items[i].type, xstrdup(src->items[i].path));
    if (src->incompatible) dst->incompatible = 1;
}

static void dlist_free(dlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i].path);
    free(l->items);
    *l = (dlist){0};
}

/* --- context ------------------------------------------------------------------------ */

/* A finished sub-comparison of imported types: its differences (paths are absolute)
 * and every original message it compared, so that a reuse can check that none of
 * them is on the guard stack (where a fresh comparison would have skipped it). */
typedef struct memo_entry {
    ptrpair key; /* (original message, update message) */
    dlist result;
    const pb_message **visited;
    size_t n_visited;
} memo_entry;

typedef struct ptrvec {
    const pb_message **items;
    size_t n, cap;
    size_t dedupe_at; /* visited lists: sort out repeats when n reaches this */
} ptrvec;

typedef struct ctx {
    const pb_schema *orig, *upd;
    const pb_policy *pol;
    strbuf path;    /* "#" followed by "/segment" per level */
    dlist *out;     /* where differences go (a sub-context's own list while recursing) */
    ptrvec stack;   /* original messages being compared (the guard) */
    size_t min_hit; /* lowest stack index the guard was hit at, since the last reset */
    ptrvec visited; /* original messages pushed since the innermost sub-comparison began */
    size_t sub_depth; /* sub-comparisons in progress (visited is kept only inside one) */
    pairmap memo;   /* (original, update) -> memo_entry * (owned) */
    size_t depth;
    unsigned long work;
    char *abort_msg; /* set when a bound was hit: the check stops */
} ctx;

#define NONE_IDX ((size_t)-1)

static void ptrvec_push(ptrvec *v, const pb_message *m)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = xrealloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->n++] = m;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const pb_message *const *)a;
    uintptr_t y = (uintptr_t) * (const pb_message *const *)b;
    return (x > y) - (x < y);
}

/* Sort and drop repeats. */
static void ptrvec_dedupe(ptrvec *v)
{
    if (v->n > 1) qsort(v->items, v->n, sizeof *v->items, cmp_ptr);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++)
        if (k == 0 || v->items[i] != v->items[k - 1]) v->items[k++] = v->items[i];
    v->n = k;
    v->dedupe_at = 2 * k + 1024;
}

/* Record that a sub-comparison compared `m` (kept as a set of modest size). */
static void visited_add(ptrvec *v, const pb_message *m)
{
    ptrvec_push(v, m);
    if (v->n >= v->dedupe_at) ptrvec_dedupe(v);
}

static int aborted(const ctx *c)
{
    return c->abort_msg != NULL;
}

static void abort_check(ctx *c, const char *why)
{
    if (aborted(c)) return;
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "Unexpected exception during compatibility check: %s", why);
    c->abort_msg = strbuf_take(&sb);
}

/* One unit of work; 0 once the budget is spent. */
static int tick(ctx *c)
{
    if (aborted(c)) return 0;
    if (++c->work > MAX_WORK) {
        abort_check(c, "the schemas are too complex to compare");
        return 0;
    }
    return 1;
}

/* --- paths ------------------------------------------------------------------------ */

static size_t path_push(ctx *c, const char *seg)
{
    size_t saved = c->path.len;
    strbuf_putc(&c->path, '/');
    strbuf_puts(&c->path, seg);
    return saved;
}

static size_t path_push_num(ctx *c, int n)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", n);
    return path_push(c, buf);
}

static void path_pop(ctx *c, size_t saved)
{
    c->path.len = saved;
    c->path.data[saved] = '\0';
}

static char *path_str(const ctx *c)
{
    if (c->path.len <= 1) return xstrdup("#/");
    return xstrdup(c->path.data);
}

static void add_diff(ctx *c, pbd_type type)
{
    dlist_add(c->out, c->pol, type, path_str(c));
}

static void add_diff_at(ctx *c, const char *seg, pbd_type type)
{
    size_t s = path_push(c, seg);
    add_diff(c, type);
    path_pop(c, s);
}

static void add_diff_at_num(ctx *c, int n, pbd_type type)
{
    size_t s = path_push_num(c, n);
    add_diff(c, type);
    path_pop(c, s);
}

/* --- Java's HashMap / HashSet iteration order --------------------------------------- */

/* java.lang.String.hashCode() of UTF-8 text (computed over UTF-16 code units). */
static uint32_t java_string_hash(const char *s)
{
    uint32_t h = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int len;
        if (p[0] < 0x80) cp = p[0], len = 1;
        else if ((p[0] >> 5) == 6 && p[1]) cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu), len = 2;
        else if ((p[0] >> 4) == 14 && p[1] && p[2])
            cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), len = 3;
        else if ((p[0] >> 3) == 30 && p[1] && p[2] && p[3])
            cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
                 (p[3] & 0x3Fu),
            len = 4;
        else cp = 0xFFFD, len = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
        p += len;
    }
    return h;
}

/* HashMap.hash(): the bits that pick the bucket. */
static uint32_t java_spread(uint32_t h)
{
    return h ^ (h >> 16);
}

#define JAVA_MAX_TABLE ((size_t)1 << 30)

static size_t java_table_size_for(size_t c)
{
    size_t n = 1;
    while (n < c && n < JAVA_MAX_TABLE) n <<= 1;
    return n;
}

/* The table length of a java.util.HashMap after putting distinct keys with these
 * spread hashes in this order. `initial` is the table the map starts with (16 for
 * `new HashMap<>()`). A put resizes when the bin it lands in already held 8 keys
 * and the table is shorter than 64 (treeifyBin), and when the size passes 3/4 of
 * the table. */
static size_t java_table_after(const uint32_t *hs, size_t n, size_t initial)
{
    size_t cap = initial, thr = initial / 4 * 3;
    size_t *bins = xcalloc(cap, sizeof *bins);
    for (size_t i = 0; i < n; i++) {
        size_t before = bins[hs[i] & (cap - 1)]++;
        int grows = (before >= 8 && cap < 64) + (i + 1 > thr);
        while (grows-- > 0 && cap < JAVA_MAX_TABLE) {
            cap *= 2;
            thr *= 2;
            free(bins);
            bins = xcalloc(cap, sizeof *bins);
            for (size_t k = 0; k <= i; k++) bins[hs[k] & (cap - 1)]++;
        }
    }
    free(bins);
    return cap;
}

typedef struct jslot {
    size_t bucket, seq;
} jslot;

static int cmp_jslot(const void *a, const void *b)
{
    const jslot *x = a, *y = b;
    if (x->bucket != y->bucket) return x->bucket < y->bucket ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Iteration order of a table of length `cap` holding keys inserted in order:
 * bucket by bucket, each bucket in insertion order. order[k] = insertion index. */
static void java_iteration(const uint32_t *hs, size_t n, size_t cap, size_t *order)
{
    jslot *s = xmalloc((n ? n : 1) * sizeof *s);
    for (size_t i = 0; i < n; i++) s[i] = (jslot){hs[i] & (cap - 1), i};
    qsort(s, n, sizeof *s, cmp_jslot);
    for (size_t i = 0; i < n; i++) order[i] = s[i].seq;
    free(s);
}

/* One key of `Set all = new HashSet<>(originalMap.keySet()); all.addAll(updateMap.keySet())`:
 * its index on each side (NONE_IDX if absent). */
typedef struct jkey {
    size_t oi, ui;
} jkey;

/* The iteration order of that set. ho/hu: spread hashes of the distinct keys of each
 * map in put order; o_to_u[i]: the update index of original key i, or NONE_IDX.
 * Returns the keys in order (caller frees); *n_out gets their number. */
static jkey *java_union_order(const uint32_t *ho, size_t no, const uint32_t *hu, size_t nu,
                              const size_t *o_to_u, size_t *n_out)
{
    size_t *ord_o = xmalloc((no ? no : 1) * sizeof *ord_o);
    size_t *ord_u = xmalloc((nu ? nu : 1) * sizeof *ord_u);
    java_iteration(ho, no, java_table_after(ho, no, 16), ord_o);
    java_iteration(hu, nu, java_table_after(hu, nu, 16), ord_u);

    unsigned char *in_o = xcalloc(nu ? nu : 1, 1);
    for (size_t i = 0; i < no; i++)
        if (o_to_u[i] != NONE_IDX) in_o[o_to_u[i]] = 1;

    size_t total = no;
    for (size_t j = 0; j < nu; j++) total += !in_o[j];
    jkey *seq = xmalloc((total ? total : 1) * sizeof *seq);
    uint32_t *hs = xmalloc((total ? total : 1) * sizeof *hs);
    size_t k = 0;
    for (size_t i = 0; i < no; i++) {
        size_t oi = ord_o[i];
        seq[k] = (jkey){oi, o_to_u[oi]};
        hs[k++] = ho[oi];
    }
    for (size_t j = 0; j < nu; j++) {
        size_t uj = ord_u[j];
        if (in_o[uj]) continue;
        seq[k] = (jkey){NONE_IDX, uj};
        hs[k++] = hu[uj];
    }
    /* HashSet(Collection c) (JDK 17): new HashMap<>(max((int)(c.size() / .75f) + 1, 16)). */
    size_t want = (size_t)((float)no / .75f) + 1;
    size_t initial = java_table_size_for(want > 16 ? want : 16);
    size_t *ord = xmalloc((total ? total : 1) * sizeof *ord);
    java_iteration(hs, total, java_table_after(hs, total, initial), ord);
    jkey *out = xmalloc((total ? total : 1) * sizeof *out);
    for (size_t i = 0; i < total; i++) out[i] = seq[ord[i]];

    free(ord);
    free(hs);
    free(seq);
    free(in_o);
    free(ord_u);
    free(ord_o);
    *n_out = total;
    return out;
}

/* Name lookup by sorting: (name, index) pairs. */
typedef struct named_idx {
    const char *name;
    size_t idx;
} named_idx;

static int cmp_named(const void *a, const void *b)
{
    const named_idx *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    if (r) return r;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static size_t named_find(const named_idx *sorted, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(sorted[mid].name, name) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && strcmp(sorted[lo].name, name) == 0 ? sorted[lo].idx : NONE_IDX;
}

/* The keys of two name -> item maps (each side's names distinct) in HashSet order. */
static jkey *java_name_union(const char *const *on, size_t no, const char *const *un, size_t nu,
                             size_t *n_out)
{
    uint32_t *ho = xmalloc((no ? no : 1) * sizeof *ho);
    uint32_t *hu = xmalloc((nu ? nu : 1) * sizeof *hu);
    for (size_t i = 0; i < no; i++) ho[i] = java_spread(java_string_hash(on[i]));
    for (size_t j = 0; j < nu; j++) hu[j] = java_spread(java_string_hash(un[j]));
    named_idx *su = xmalloc((nu ? nu : 1) * sizeof *su);
    for (size_t j = 0; j < nu; j++) su[j] = (named_idx){un[j], j};
    qsort(su, nu, sizeof *su, cmp_named);
    size_t *o_to_u = xmalloc((no ? no : 1) * sizeof *o_to_u);
    for (size_t i = 0; i < no; i++) o_to_u[i] = named_find(su, nu, on[i]);
    jkey *keys = java_union_order(ho, no, hu, nu, o_to_u, n_out);
    free(o_to_u);
    free(su);
    free(hu);
    free(ho);
    return keys;
}

/* --- model helpers ------------------------------------------------------------------- */

/* wire's model has no group fields, group messages or map-entry messages. */
static int field_visible(const pb_field *f)
{
    return f->type != PB_TYPE_GROUP;
}

static int message_visible(const pb_message *m)
{
    return !m->is_group && !m->is_map_entry;
}

typedef enum { KIND_SCALAR, KIND_MAP, KIND_MESSAGE } field_kind;

static field_kind kind_of(const pb_field *f)
{
    if (f->is_map) return KIND_MAP;
    switch (f->type) {
    case PB_TYPE_MESSAGE:
    case PB_TYPE_GROUP:
    case PB_TYPE_UNRESOLVED:
        return KIND_MESSAGE;
    default:
        return KIND_SCALAR; /* scalars and enums */
    }
}

typedef enum {
    SK_GENERAL_NUMBER,
    SK_SIGNED_NUMBER,
    SK_STRING_OR_BYTES,
    SK_FIXED32,
    SK_FIXED64,
    SK_FLOAT,
    SK_DOUBLE,
} scalar_kind;

/* Confluent's ScalarKind (compat.md §3.5); enums are general numbers. */
static scalar_kind scalar_kind_of(pb_type t)
{
    switch (t) {
    case PB_TYPE_SINT32:
    case PB_TYPE_SINT64: return SK_SIGNED_NUMBER;
    case PB_TYPE_STRING:
    case PB_TYPE_BYTES: return SK_STRING_OR_BYTES;
    case PB_TYPE_FIXED32:
    case PB_TYPE_SFIXED32: return SK_FIXED32;
    case PB_TYPE_FIXED64:
    case PB_TYPE_SFIXED64: return SK_FIXED64;
    case PB_TYPE_FLOAT: return SK_FLOAT;
    case PB_TYPE_DOUBLE: return SK_DOUBLE;
    default: return SK_GENERAL_NUMBER; /* int32, int64, uint32, uint64, bool, enums */
    }
}

static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

static const pb_field *field_numbered(const pb_message *m, int number)
{
    if (!m) return NULL;
    for (size_t i = 0; i < m->n_fields; i++)
        if (m->fields[i].number == number) return &m->fields[i];
    return NULL;
}

/* Where a type's file came from, as Confluent's SchemaReference of a type. */
typedef struct type_ref {
    int present;         /* 0: no reference (a bundled file nobody referenced) */
    const char *subject; /* "" for the schema itself */
    int version;         /* -1 for the schema itself */
} type_ref;

static type_ref ref_of(const pb_schema *s, const pb_file *f)
{
    if (f == s->file) return (type_ref){1, "", -1};
    if (f->ref_subject) return (type_ref){1, f->ref_subject, f->ref_version};
    return (type_ref){0, NULL, 0};
}

/* --- the diff ---------------------------------------------------------------------- */

static void diff_message(ctx *c, const pb_message *o, const pb_message *u);
static void compare_types(ctx *c, pb_label lo, pb_label lu, const pb_field *fo,
                          const pb_field *fu);

/* An enum's constants as Java's HashMap<Integer, constant> sees them: each number
 * once, at the position of its first constant, with the name of its last one
 * (allow_alias). */
typedef struct enum_key {
    int number;
    size_t first;     /* position of the first constant with this number */
    const char *name; /* name of the last one */
} enum_key;

typedef struct enum_pos {
    int number;
    size_t pos;
} enum_pos;

static int cmp_enum_pos(const void *a, const void *b)
{
    const enum_pos *x = a, *y = b;
    if (x->number != y->number) return x->number < y->number ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int cmp_enum_key_first(const void *a, const void *b)
{
    const enum_key *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The distinct numbers of e, in first-put order; *n gets their count. */
static enum_key *enum_keys(const pb_enum *e, size_t *n)
{
    size_t nv = e->n_values;
    enum_pos *p = xmalloc((nv ? nv : 1) * sizeof *p);
    for (size_t i = 0; i < nv; i++) p[i] = (enum_pos){e->values[i].number, i};
    qsort(p, nv, sizeof *p, cmp_enum_pos);
    enum_key *k = xmalloc((nv ? nv : 1) * sizeof *k);
    size_t m = 0;
    for (size_t i = 0; i < nv; i++) {
        if (i == 0 || p[i].number != p[i - 1].number) k[m++] = (enum_key){p[i].number, p[i].pos, NULL};
        k[m - 1].name = e->values[p[i].pos].name; /* sorted by position within a number */
    }
    free(p);
    qsort(k, m, sizeof *k, cmp_enum_key_first);
    *n = m;
    return k;
}

/* Index of `number` in keys sorted by number (via `by_number`, indices into keys). */
static size_t enum_find(const enum_key *keys, const size_t *by_number, size_t n, int number)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[by_number[mid]].number < number) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && keys[by_number[lo]].number == number ? by_number[lo] : NONE_IDX;
}

static void diff_enum(ctx *c, const pb_enum *o, const pb_enum *u)
{
    size_t no, nu;
    enum_key *ko = enum_keys(o, &no), *ku = enum_keys(u, &nu);
    /* ku sorted by number, as indices (numbers are distinct) */
    size_t *by_number = xmalloc((nu ? nu : 1) * sizeof *by_number);
    enum_pos *tmp = xmalloc((nu ? nu : 1) * sizeof *tmp);
    for (size_t j = 0; j < nu; j++) tmp[j] = (enum_pos){ku[j].number, j};
    qsort(tmp, nu, sizeof *tmp, cmp_enum_pos);
    for (size_t j = 0; j < nu; j++) by_number[j] = tmp[j].pos;
    free(tmp);

    uint32_t *ho = xmalloc((no ? no : 1) * sizeof *ho);
    uint32_t *hu = xmalloc((nu ? nu : 1) * sizeof *hu);
    size_t *o_to_u = xmalloc((no ? no : 1) * sizeof *o_to_u);
    for (size_t i = 0; i < no; i++) {
        ho[i] = java_spread((uint32_t)ko[i].number); /* Integer.hashCode() is the value */
        o_to_u[i] = enum_find(ku, by_number, nu, ko[i].number);
    }
    for (size_t j = 0; j < nu; j++) hu[j] = java_spread((uint32_t)ku[j].number);
    size_t nk;
    jkey *keys = java_union_order(ho, no, hu, nu, o_to_u, &nk);
    for (size_t k = 0; k < nk && tick(c); k++) {
        const enum_key *eo = keys[k].oi != NONE_IDX ? &ko[keys[k].oi] : NULL;
        const enum_key *eu = keys[k].ui != NONE_IDX ? &ku[keys[k].ui] : NULL;
        int number = eo ? eo->number : eu->number;
        if (!eu) add_diff_at_num(c, number, PBD_ENUM_CONST_REMOVED);
        else if (!eo) add_diff_at_num(c, number, PBD_ENUM_CONST_ADDED);
        else if (strcmp(eo->name, eu->name) != 0) add_diff_at_num(c, number, PBD_ENUM_CONST_CHANGED);
    }
    free(keys);
    free(o_to_u);
    free(hu);
    free(ho);
    free(by_number);
    free(ku);
    free(ko);
}

/* One scope: the top level of a file or the nested types of a message. Messages and
 * enums are matched by simple name; a message's ordinal counts messages only. */
static void diff_types(ctx *c, pb_message *const *om, size_t nom, pb_enum *const *oe, size_t noe,
                       pb_message *const *um, size_t num, pb_enum *const *ue, size_t nue)
{
    if (aborted(c)) return;
    /* visible messages, in declaration order (their ordinal = position here) */
    const pb_message **vo = xmalloc((nom ? nom : 1) * sizeof *vo);
    const pb_message **vu = xmalloc((num ? num : 1) * sizeof *vu);
    const char **no_names = xmalloc((nom ? nom : 1) * sizeof *no_names);
    const char **nu_names = xmalloc((num ? num : 1) * sizeof *nu_names);
    size_t nvo = 0, nvu = 0;
    for (size_t i = 0; i < nom; i++)
        if (message_visible(om[i])) vo[nvo] = om[i], no_names[nvo++] = om[i]->name;
    for (size_t i = 0; i < num; i++)
        if (message_visible(um[i])) vu[nvu] = um[i], nu_names[nvu++] = um[i]->name;

    size_t nk;
    jkey *keys = java_name_union(no_names, nvo, nu_names, nvu, &nk);
    for (size_t k = 0; k < nk && !aborted(c); k++) {
        const pb_message *o = keys[k].oi != NONE_IDX ? vo[keys[k].oi] : NULL;
        const pb_message *u = keys[k].ui != NONE_IDX ? vu[keys[k].ui] : NULL;
        size_t s = path_push(c, o ? o->name : u->name);
        if (!u) add_diff(c, PBD_MESSAGE_REMOVED);
        else if (!o) add_diff(c, PBD_MESSAGE_ADDED);
        else {
            diff_message(c, o, u);
            if (keys[k].oi != keys[k].ui) add_diff(c, PBD_MESSAGE_MOVED);
        }
        path_pop(c, s);
    }
    free(keys);

    const char **eo_names = xmalloc((noe ? noe : 1) * sizeof *eo_names);
    const char **eu_names = xmalloc((nue ? nue : 1) * sizeof *eu_names);
    for (size_t i = 0; i < noe; i++) eo_names[i] = oe[i]->name;
    for (size_t i = 0; i < nue; i++) eu_names[i] = ue[i]->name;
    keys = java_name_union(eo_names, noe, eu_names, nue, &nk);
    for (size_t k = 0; k < nk && !aborted(c); k++) {
        const pb_enum *o = keys[k].oi != NONE_IDX ? oe[keys[k].oi] : NULL;
        const pb_enum *u = keys[k].ui != NONE_IDX ? ue[keys[k].ui] : NULL;
        size_t s = path_push(c, o ? o->name : u->name);
        if (!u) add_diff(c, PBD_ENUM_REMOVED);
        else if (!o) add_diff(c, PBD_ENUM_ADDED);
        else diff_enum(c, o, u);
        path_pop(c, s);
    }
    free(keys);
    free(eu_names);
    free(eo_names);
    free(nu_names);
    free(no_names);
    free(vu);
    free(vo);
}

/* --- messages ------------------------------------------------------------------------ */

typedef struct fview {
    const pb_field *f;
    int oneof; /* index into the message's oneofs, or -1 */
} fview;

static int cmp_fview(const void *a, const void *b)
{
    const fview *x = a, *y = b;
    return (x->f->number > y->f->number) - (x->f->number < y->f->number);
}

/* Visible fields (top-level and oneof members alike) sorted by number. */
static fview *fields_by_number(const pb_message *m, size_t *n)
{
    fview *v = xmalloc((m->n_fields ? m->n_fields : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < m->n_fields; i++) {
        const pb_field *f = &m->fields[i];
        if (!field_visible(f)) continue;
        int oneof = f->oneof >= 0 && (size_t)f->oneof < m->n_oneofs ? f->oneof : -1;
        v[k++] = (fview){f, oneof};
    }
    qsort(v, k, sizeof *v, cmp_fview);
    *n = k;
    return v;
}

static const fview *fview_find(const fview *v, size_t n, int number)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].f->number < number) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && v[lo].f->number == number ? &v[lo] : NULL;
}

static named_idx *oneof_names_sorted(const pb_message *m)
{
    named_idx *v = xmalloc((m->n_oneofs ? m->n_oneofs : 1) * sizeof *v);
    for (size_t i = 0; i < m->n_oneofs; i++) v[i] = (named_idx){m->oneofs[i].name, i};
    qsort(v, m->n_oneofs, sizeof *v, cmp_named);
    return v;
}

static void diff_field(ctx *c, const pb_field *o, const pb_field *u)
{
    if (!tick(c)) return;
    if (strcmp(o->name, u->name) != 0) add_diff(c, PBD_FIELD_NAME_CHANGED);
    compare_types(c, o->label, u->label, o, u);
}

/* MessageSchemaDiff.compare's field part (the guarded part). */
static void diff_fields(ctx *c, const pb_message *om, const pb_message *um)
{
    size_t no, nu;
    fview *fo = fields_by_number(om, &no);
    fview *fu = fields_by_number(um, &nu);
    named_idx *so = oneof_names_sorted(om);
    named_idx *su = oneof_names_sorted(um);

    /* A removed (by name) oneof none of whose members survive anywhere is a complete
     * deletion: its members' removals are not reported. */
    unsigned char *survives = xcalloc(om->n_oneofs ? om->n_oneofs : 1, 1);
    for (size_t k = 0; k < no; k++)
        if (fo[k].oneof >= 0 && fview_find(fu, nu, fo[k].f->number)) survives[fo[k].oneof] = 1;
    unsigned char *deleted = xcalloc(om->n_oneofs ? om->n_oneofs : 1, 1);
    for (size_t i = 0; i < om->n_oneofs; i++)
        deleted[i] = !survives[i] && named_find(su, um->n_oneofs, om->oneofs[i].name) == NONE_IDX;
    free(survives);

    /* Newly mutually exclusive fields: the pre-existing members of each update oneof
     * must come from one origin (one original oneof, or one original top-level field). */
    size_t *seen = xcalloc(om->n_oneofs ? om->n_oneofs : 1, sizeof *seen);
    /* update members grouped by oneof: member[start[j] .. start[j + 1]) */
    size_t *start = xcalloc(um->n_oneofs + 1, sizeof *start);
    size_t *member = xmalloc((nu ? nu : 1) * sizeof *member);
    for (size_t k = 0; k < nu; k++)
        if (fu[k].oneof >= 0) start[fu[k].oneof + 1]++;
    for (size_t j = 0; j < um->n_oneofs; j++) start[j + 1] += start[j];
    size_t *fill = xmalloc((um->n_oneofs ? um->n_oneofs : 1) * sizeof *fill);
    memcpy(fill, start, um->n_oneofs * sizeof *fill);
    for (size_t k = 0; k < nu; k++)
        if (fu[k].oneof >= 0) member[fill[fu[k].oneof]++] = k;
    free(fill);
    for (size_t j = 0; j < um->n_oneofs && tick(c); j++) {
        size_t groups = 0, top_level_moved_in = 0;
        for (size_t m = start[j]; m < start[j + 1]; m++) {
            size_t k = member[m];
            const fview *of = fview_find(fo, no, fu[k].f->number);
            if (!of) continue; /* brand-new: old data never set it */
            if (of->oneof >= 0) {
                if (seen[of->oneof] != j + 1) {
                    seen[of->oneof] = j + 1;
                    groups++;
                }
            } else {
                groups++;
                top_level_moved_in++;
            }
        }
        if (groups > 1)
            add_diff_at(c, um->oneofs[j].name,
                        top_level_moved_in > 1 ? PBD_MULTIPLE_FIELDS_MOVED_TO_ONEOF
                                               : PBD_FIELD_MOVED_TO_EXISTING_ONEOF);
    }

    /* Oneofs added / removed, by name, in sorted order. */
    for (size_t i = 0, j = 0; i < om->n_oneofs || j < um->n_oneofs;) {
        int cmp = i == om->n_oneofs   ? 1
                  : j == um->n_oneofs ? -1
                                      : strcmp(so[i].name, su[j].name);
        if (cmp < 0) add_diff_at(c, so[i++].name, PBD_ONEOF_REMOVED);
        else if (cmp > 0) add_diff_at(c, su[j++].name, PBD_ONEOF_ADDED);
        else i++, j++;
    }

    /* Every field by number, ascending, regardless of oneof membership. */
    for (size_t i = 0, j = 0; (i < no || j < nu) && !aborted(c);) {
        const fview *o = NULL, *u = NULL;
        if (j == nu || (i < no && fo[i].f->number < fu[j].f->number)) o = &fo[i++];
        else if (i == no || fu[j].f->number < fo[i].f->number) u = &fu[j++];
        else o = &fo[i++], u = &fu[j++];
        int number = (o ? o : u)->f->number;
        if (!u) {
            if (o->oneof >= 0) {
                if (!deleted[o->oneof]) {
                    size_t s = path_push(c, om->oneofs[o->oneof].name);
                    add_diff_at_num(c, number, PBD_ONEOF_FIELD_REMOVED);
                    path_pop(c, s);
                }
            } else {
                add_diff_at_num(c, number, o->f->label == PB_LABEL_REQUIRED
                                               ? PBD_REQUIRED_FIELD_REMOVED
                                               : PBD_FIELD_REMOVED);
            }
        } else if (!o) {
            if (u->oneof >= 0) {
                size_t s = path_push(c, um->oneofs[u->oneof].name);
                add_diff_at_num(c, number, PBD_ONEOF_FIELD_ADDED);
                path_pop(c, s);
            } else {
                add_diff_at_num(c, number, u->f->label == PB_LABEL_REQUIRED
                                               ? PBD_REQUIRED_FIELD_ADDED
                                               : PBD_FIELD_ADDED);
            }
        } else {
            if (o->oneof >= 0 && u->oneof < 0)
                add_diff_at_num(c, number, PBD_ONEOF_FIELD_MOVED_TO_TOP_LEVEL);
            size_t s = u->oneof >= 0 ? path_push(c, um->oneofs[u->oneof].name) : c->path.len;
            size_t s2 = path_push_num(c, number);
            diff_field(c, o->f, u->f);
            path_pop(c, s2);
            path_pop(c, s);
        }
    }

    free(member);
    free(start);
    free(seen);
    free(deleted);
    free(su);
    free(so);
    free(fu);
    free(fo);
}

static size_t stack_index(const ctx *c, const pb_message *m)
{
    for (size_t i = c->stack.n; i-- > 0;)
        if (c->stack.items[i] == m) return i;
    return NONE_IDX;
}

static void diff_message(ctx *c, const pb_message *o, const pb_message *u)
{
    if (!tick(c)) return;
    if (++c->depth > MAX_DEPTH) {
        abort_check(c, "the schemas are nested too deeply");
        c->depth--;
        return;
    }
    size_t hit = stack_index(c, o);
    if (hit == NONE_IDX) {
        ptrvec_push(&c->stack, o);
        if (c->sub_depth) visited_add(&c->visited, o);
        diff_fields(c, o, u);
    } else if (hit < c->min_hit) {
        c->min_hit = hit;
    }
    /* Nested types are compared even when the fields were skipped, with the message
     * still on the guard stack (Confluent closes its scope after them). */
    diff_types(c, o->messages, o->n_messages, o->enums, o->n_enums, u->messages, u->n_messages,
               u->enums, u->n_enums);
    if (hit == NONE_IDX) c->stack.n--;
    c->depth--;
}

/* --- sub-comparisons of types referenced by fields -------------------------------- */

static void memo_put(ctx *c, const pb_message *o, const pb_message *u, dlist *result,
                     const pb_message **visited, size_t n_visited)
{
    memo_entry *e = xcalloc(1, sizeof *e);
    e->key = (ptrpair){o, u};
    e->result = *result;
    *result = (dlist){0};
    e->visited = xmalloc((n_visited ? n_visited : 1) * sizeof *e->visited);
    if (n_visited) memcpy(e->visited, visited, n_visited * sizeof *visited);
    e->n_visited = n_visited;
    pairmap_put(&c->memo, &e->key, e);
}

/* A memoised result stands for a fresh comparison only if none of the messages it
 * compared is on the guard stack now (a fresh comparison would have skipped it).
 * e->visited is sorted. */
static int memo_valid_here(const ctx *c, const memo_entry *e)
{
    for (size_t i = 0; i < c->stack.n; i++)
        if (bsearch(&c->stack.items[i], e->visited, e->n_visited, sizeof *e->visited, cmp_ptr))
            return 0;
    return 1;
}

/* diffMessage(o, u) in a sub-context whose paths restart at the type's local name;
 * its differences are added here, plus FIELD_NAMED_TYPE_CHANGED at the field if any
 * of them is incompatible. */
static void sub_diff(ctx *c, const pb_message *o, const pb_message *u, const char *local_name)
{
    memo_entry *e = pairmap_get(&c->memo, o, u);
    if (e && memo_valid_here(c, e)) {
        dlist_append(c->out, c->pol, &e->result);
        if (e->result.incompatible) add_diff(c, PBD_FIELD_NAMED_TYPE_CHANGED);
        if (c->sub_depth)
            for (size_t i = 0; i < e->n_visited; i++) visited_add(&c->visited, e->visited[i]);
        return;
    }

    strbuf saved_path = c->path;
    c->path = (strbuf)STRBUF_INIT;
    strbuf_putc(&c->path, '#');
    for (const char *p = local_name; *p;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        strbuf_putc(&c->path, '/');
        strbuf_add(&c->path, p, len);
        p += len + (dot != NULL);
    }
    dlist sub = {0};
    dlist *saved_out = c->out;
    c->out = &sub;
    size_t saved_hit = c->min_hit;
    c->min_hit = NONE_IDX;
    size_t base = c->stack.n;
    ptrvec saved_visited = c->visited;
    c->visited = (ptrvec){.dedupe_at = 1024};
    c->sub_depth++;

    diff_message(c, o, u);

    c->sub_depth--;
    int independent = c->min_hit == NONE_IDX || c->min_hit >= base;
    if (c->min_hit > saved_hit) c->min_hit = saved_hit;
    strbuf_free(&c->path);
    c->path = saved_path;
    c->out = saved_out;

    dlist_append(c->out, c->pol, &sub);
    if (sub.incompatible) add_diff(c, PBD_FIELD_NAMED_TYPE_CHANGED);

    /* The enclosing sub-comparison (if any) compared all of these too. */
    ptrvec inner = c->visited;
    c->visited = saved_visited;
    ptrvec_dedupe(&inner);
    if (c->sub_depth)
        for (size_t i = 0; i < inner.n; i++) visited_add(&c->visited, inner.items[i]);

    if (independent && !aborted(c) && !e) memo_put(c, o, u, &sub, inner.items, inner.n);
    free(inner.items);
    dlist_free(&sub);
}

/* The local name of a resolved type: its full name minus its file's package. */
static const char *local_name_of(const pb_symbol *sym)
{
    const char *pkg = str_or_empty(sym->file->package);
    size_t pl = strlen(pkg);
    if (pl && strncmp(sym->full_name, pkg, pl) == 0 && sym->full_name[pl] == '.')
        return sym->full_name + pl + 1;
    return sym->full_name;
}

static const pb_symbol *message_symbol(const pb_schema *s, const pb_field *f)
{
    if (f->type != PB_TYPE_MESSAGE || !f->message || f->message->is_group || !f->resolved)
        return NULL;
    const pb_symbol *sym = pb_schema_lookup(s, f->resolved);
    return sym && sym->message ? sym : NULL;
}

static void compare_message_types(ctx *c, const pb_field *fo, const pb_field *fu)
{
    const pb_symbol *so = message_symbol(c->orig, fo);
    const pb_symbol *su = message_symbol(c->upd, fu);
    if (!so || !su) {
        /* Not in the type table: compare the names as written. */
        if (strcmp(str_or_empty(fo->type_name), str_or_empty(fu->type_name)) != 0)
            add_diff(c, PBD_FIELD_NAMED_TYPE_CHANGED);
        return;
    }
    const char *lo = local_name_of(so), *lu = local_name_of(su);
    if (strcmp(lo, lu) != 0) {
        add_diff(c, PBD_FIELD_NAMED_TYPE_CHANGED);
        return;
    }
    type_ref ro = ref_of(c->orig, so->file), ru = ref_of(c->upd, su->file);
    if (ro.present && ru.present && strcmp(ro.subject, ru.subject) == 0 &&
        ro.version == ru.version)
        return; /* both local, or the same subject and version */
    sub_diff(c, so->message, su->message, lo);
}

/* FieldSchemaDiff.compareLabelsAndTypes. Labels are PB_LABEL_NONE for map keys
 * and values. */
static void compare_types(ctx *c, pb_label lo, pb_label lu, const pb_field *fo,
                          const pb_field *fu)
{
    if (!tick(c)) return;
    field_kind ko = kind_of(fo), ku = kind_of(fu);
    if (ko != ku) {
        add_diff(c, PBD_FIELD_KIND_CHANGED);
        return;
    }
    switch (ko) {
    case KIND_SCALAR: {
        scalar_kind so = scalar_kind_of(fo->type), su = scalar_kind_of(fu->type);
        if (so != su) add_diff(c, PBD_FIELD_SCALAR_KIND_CHANGED);
        else if (lo != PB_LABEL_NONE && lu != PB_LABEL_NONE && lo != lu)
            add_diff(c, so == SK_STRING_OR_BYTES ? PBD_FIELD_STRING_OR_BYTES_LABEL_CHANGED
                                                 : PBD_FIELD_NUMERIC_LABEL_CHANGED);
        break;
    }
    case KIND_MESSAGE:
        compare_message_types(c, fo, fu);
        break;
    case KIND_MAP: {
        for (int number = 1; number <= 2; number++) {
            const pb_field *eo = field_numbered(fo->message, number);
            const pb_field *eu = field_numbered(fu->message, number);
            if (eo && eu) compare_types(c, PB_LABEL_NONE, PB_LABEL_NONE, eo, eu);
        }
        break;
    }
    }
}

/* --- entry points --------------------------------------------------------------------- */

static void ctx_free(ctx *c)
{
    size_t pos = 0;
    void *v;
    while (pairmap_next(&c->memo, &pos, &v)) {
        memo_entry *e = v;
        dlist_free(&e->result);
        free(e->visited);
        free(e);
    }
    pairmap_free(&c->memo);
    free(c->stack.items);
    free(c->visited.items);
    strbuf_free(&c->path);
    free(c->abort_msg);
}

/* diff(original, update) under `pol`. Returns the abort message (caller frees) if a
 * bound was hit, else NULL; *out gets every difference found. */
static char *run_diff(const pb_schema *original, const pb_schema *update, const pb_policy *pol,
                      dlist *out)
{
    ctx c = {0};
    c.orig = original;
    c.upd = update;
    c.pol = pol;
    c.out = out;
    c.min_hit = NONE_IDX;
    strbuf_putc(&c.path, '#');

    const pb_file *fo = original->file, *fu = update->file;
    if (strcmp(str_or_empty(fo->package), str_or_empty(fu->package)) != 0)
        add_diff(&c, PBD_PACKAGE_CHANGED);
    diff_types(&c, fo->messages, fo->n_messages, fo->enums, fo->n_enums, fu->messages,
               fu->n_messages, fu->enums, fu->n_enums);

    char *abort_msg = c.abort_msg;
    c.abort_msg = NULL;
    ctx_free(&c);
    return abort_msg;
}

/* Difference.toString() after Confluent's String.format(message, reader, writer). */
static char *render(pbd_type type, const char *path, const char *rl, const char *wl)
{
    strbuf d = STRBUF_INIT;
    switch (type) {
    case PBD_PACKAGE_CHANGED:
        strbuf_printf(&d, "The package at '%s' in the %s schema does not match the package in "
                          "the %s schema", path, rl, wl);
        break;
    case PBD_MESSAGE_REMOVED:
        strbuf_printf(&d, "The %s schema is missing a MESSAGE type at path '%s' in the %s schema",
                      rl, path, wl);
        break;
    case PBD_FIELD_KIND_CHANGED:
        strbuf_printf(&d, "The type of a field at path '%s' in the %s schema does not match the "
                          "%s schema", path, rl, wl);
        break;
    case PBD_FIELD_SCALAR_KIND_CHANGED:
        strbuf_printf(&d, "The kind of a SCALAR field at path '%s' in the %s schema does not "
                          "match its kind in the %s schema", path, rl, wl);
        break;
    case PBD_FIELD_NAMED_TYPE_CHANGED:
        strbuf_printf(&d, "The type of a MESSAGE field at path '%s' in the %s schema does not "
                          "match its type in the %s schema", path, rl, wl);
        break;
    case PBD_FIELD_NUMERIC_LABEL_CHANGED:
        strbuf_printf(&d, "The label for a NUMERIC field at path '%s' in the %s schema does not "
                          "match its label in the %s schema", path, rl, wl);
        break;
    case PBD_REQUIRED_FIELD_ADDED:
        /* sic: two spaces, as in Confluent's text */
        strbuf_printf(&d, "A required field  at path '%s' in the %s schema is missing in the %s "
                          "schema", path, rl, wl);
        break;
    case PBD_REQUIRED_FIELD_REMOVED:
        strbuf_printf(&d, "The %s schema is missing a required field at path: '%s' in the %s "
                          "schema", rl, path, wl);
        break;
    case PBD_ONEOF_FIELD_REMOVED:
        strbuf_printf(&d, "The %s schema is missing a oneof field at path '%s' in the %s schema",
                      rl, path, wl);
        break;
    case PBD_MULTIPLE_FIELDS_MOVED_TO_ONEOF:
        strbuf_printf(&d, "Multiple fields in the oneof at path '%s' in the %s schema are outside "
                          "a oneof in the %s schema", path, rl, wl);
        break;
    case PBD_FIELD_MOVED_TO_EXISTING_ONEOF:
        strbuf_printf(&d, "A field in the oneof at path '%s' in the %s schema is outside an "
                          "existing oneof in the %s schema", path, rl, wl);
        break;
    default: /* the compatible types have no description */
        break;
    }
    strbuf m = STRBUF_INIT;
    strbuf_printf(&m, "{errorType:\"%s\", description:\"%s\"}", pbd_names[type],
                  d.data ? d.data : "");
    strbuf_free(&d);
    return strbuf_take(&m);
}

static void emit(const pb_schema *original, const pb_schema *update, const char *rl,
                 const char *wl, int all, compat_issues *out)
{
    const pb_policy *pol = policy_default();
    dlist found = {0};
    char *abort_msg = run_diff(original, update, pol, &found);
    if (abort_msg) {
        compat_issues_add(out, "UNEXPECTED_EXCEPTION", "#/", abort_msg);
        free(abort_msg);
        dlist_free(&found);
        return;
    }
    for (size_t i = 0; i < found.n; i++) {
        pbd_type t = found.items[i].type;
        if (!all && pol->compatible[t]) continue;
        char *msg = render(t, found.items[i].path, rl, wl);
        compat_issues_add(out, pbd_names[t], found.items[i].path, msg);
        free(msg);
    }
    dlist_free(&found);
}

/* Every difference of diff(original = writer, update = reader), compatible ones
 * included, in Confluent's order; each issue's message is Difference.toString()
 * with the labels filled in (compatible types have an empty description). For
 * tests and diagnostics. */
void protobuf_compat_differences(const void *reader, const void *writer,
                                 const char *reader_label, const char *writer_label,
                                 compat_issues *out);

void protobuf_compat_differences(const void *reader, const void *writer,
                                 const char *reader_label, const char *writer_label,
                                 compat_issues *out)
{
    emit(writer, reader, reader_label, writer_label, 1, out);
}

/* 1 if `type` is in the default (Confluent) compatible set, 0 if it is a known
 * incompatible type, -1 if it is not a difference type. */
int protobuf_compat_type_compatible(const char *type);

int protobuf_compat_type_compatible(const char *type)
{
    for (int t = 0; t < PBD_COUNT; t++)
        if (strcmp(pbd_names[t], type) == 0) return policy_default()->compatible[t];
    return -1;
}

void protobuf_compat_check(const void *reader, const void *writer, const char *reader_label,
                           const char *writer_label, compat_policy policy, compat_issues *out)
{
    (void)policy; /* one compatible set for Protobuf so far */
    emit(writer, reader, reader_label, writer_label, 0, out);
}
