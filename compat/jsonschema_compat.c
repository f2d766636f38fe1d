/*
 * jsonschema_compat.c: Confluent's JSON Schema diff (compat.md §4.3-§4.7).
 *
 * jsonschema_compat_check(reader, writer, ...) computes diff(original = writer,
 * update = reader): "does the update accept everything the original accepts?".
 * Unlike the Avro and Protobuf checkers it reports EVERY difference, compatible
 * ones included (ID_CHANGED, MAX_LENGTH_INCREASED, ...); jsonschema_type_ok()
 * says which types are compatible under the STRICT or LENIENT policy and compat.c
 * keeps only the others as messages.
 *
 * The walk follows Confluent's SchemaDiff and its helpers (String/Number/Enum/
 * Const/Not/Combined/Object/ArraySchemaDiff):
 *
 *   - compare(O, U): a missing side is SCHEMA_ADDED / SCHEMA_REMOVED; $ref nodes
 *     are dereferenced; the union special cases (T -> anyOf/oneOf containing a
 *     compatible branch, allOf[.., T', ..] -> T, singletons) run first; different
 *     kinds are TYPE_CHANGED unless O is `false` or U is `{}`/`true` (or both are
 *     Kafka Connect "bytes"); then the common attributes and the kind's keywords.
 *   - Paths are Confluent's: "#/" + the tokens joined with "/" ("properties/<p>",
 *     "items/<i>", "<criterion>/<i>", "not", "additionalProperties", ...), names
 *     unescaped. A sub-comparison made only to decide something (a union branch,
 *     a partially open content model, a combined-schema edge) reports at the path
 *     where it is made, not at the branch's own position.
 *   - Recursion: results are memoised per (original node, update node) identity
 *     pair, with paths relative to the pair, and rebased where they are reused. A
 *     pair met again while it is being computed counts as compatible (nothing
 *     reported). When a pass used that optimism, the pairs it found incompatible
 *     seed the next pass (a re-entered seeded pair reports its real differences),
 *     until no new incompatible pair appears: the greatest fixed point Confluent
 *     iterates to, so that an optimistic assumption cannot mask a real failure.
 *   - "Compatible" inside the diff (which union branch is taken, covered or not
 *     by a partially open model, the edges of the subschema matching, NOT
 *     narrowed or extended) is judged with the policy's compatible set, as
 *     Confluent's Context does. jsonschema_compat_check() judges with STRICT (the
 *     compat_check_fn signature carries no policy); jsonschema_compat_check_policy()
 *     takes the policy.
 *   - Combined schemas: subschemas are deduplicated (structural equality), sizes
 *     compared, then a maximum-cardinality bipartite matching over the compatible
 *     (o, u) edges (augmenting paths); the matched edges' differences are added.
 *   - patternProperties keys are Java regexes applied with find() (unanchored
 *     search). We approximate with POSIX extended regexes (regcomp/regexec) after
 *     translating the common Java-only escapes (\d \D \s \S \w \W) and dropping
 *     lazy/possessive quantifier suffixes; a pattern POSIX cannot compile never
 *     matches. `pattern` values are only compared as strings.
 *   - multipleOf is compared exactly as decimals (0.5 == 0.50; "is U an integer
 *     multiple of O" on the decimal texts), other limits as doubles.
 *
 * Messages are Confluent's Difference.toString() with the description's two %s
 * replaced by (reader label, writer label):
 *   {errorType:"<TYPE>", description:"<text>"}
 * (as the newest Confluent prints it; see JS_MSG_CLOSE).
 *
 * Bounds that protect the server, far beyond real schemas: MAX_DEPTH nested
 * comparisons and MAX_WORK pair comparisons per pass (past either the check ends
 * with one "Unexpected exception during compatibility check" message, as the Avro
 * checker does for its depth bound); MAX_DIFFS_PER_LIST differences kept per list
 * (an incompatible one is always kept, so the verdict never changes);
 * MAX_MEMO_BYTES of memoised paths (past it, results are no longer cached, only
 * recomputed when met again); MAX_PASSES fixpoint passes.
 *
 * Thread safety: all state lives in a per-call context; no globals are written.
 */
#include <jansson.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hashmap.h"
#include "../common/strbuf.h"
#include "../formats/jsonschema/js_model.h"
#include "compat.h"

#define MAX_DEPTH 1000
#define MAX_WORK 2000000
#define MAX_MEMO_BYTES (32u << 20)
#define MAX_DIFFS_PER_LIST 1000
#define MAX_PASSES 64
#define MAX_DEREF 64

/* How a description closes. Older Confluent releases closed it with a single
 * quote after opening with a double one (compat.md §4.9); the newest
 * Difference.java, the one that has the OPTIONAL_/REQUIRED_PROPERTY_..._TO_OPEN_
 * CONTENT_MODEL types we report, closes with a double quote, so we do too. */
#define JS_MSG_CLOSE "\"}"

/* --- difference types ---------------------------------------------------------------
 *
 * Every Difference.Type of Confluent's enum, in its order, with the family of its
 * description (Difference.error()):
 *   KW   keyword present in one schema only     INC  value larger in the first schema
 *   DEC  value smaller in the first schema      VCH  value differs
 *   NAR  array/combined type has fewer elements EXT  ... more elements
 *   TCH  type differs                           OPN  property/item added to open model
 *   URQ  required property added, unopen model  CLO  missing from closed model
 *   RNC  removed, not covered (partially open)  ANC  added, not covered
 *   RRM  reserved property removed              RCF  conflicts with reserved property
 *   NON  no description (Confluent prints an empty one)
 */
#define JS_DIFF_TYPES(X)                                                                    \
    X(ID_CHANGED, NON) X(DESCRIPTION_CHANGED, NON) X(TITLE_CHANGED, NON)                   \
    X(DEFAULT_CHANGED, NON) X(SCHEMA_ADDED, NON) X(SCHEMA_REMOVED, NON)                     \
    X(TYPE_EXTENDED, NON) X(TYPE_NARROWED, TCH) X(TYPE_CHANGED, TCH)                        \
    X(MAX_LENGTH_ADDED, KW) X(MAX_LENGTH_REMOVED, NON) X(MAX_LENGTH_INCREASED, NON)         \
    X(MAX_LENGTH_DECREASED, DEC) X(MIN_LENGTH_ADDED, KW) X(MIN_LENGTH_REMOVED, NON)         \
    X(MIN_LENGTH_INCREASED, INC) X(MIN_LENGTH_DECREASED, NON) X(PATTERN_ADDED, KW)          \
    X(PATTERN_REMOVED, NON) X(PATTERN_CHANGED, VCH)                                         \
    X(MAXIMUM_ADDED, KW) X(MAXIMUM_REMOVED, NON) X(MAXIMUM_INCREASED, NON)                  \
    X(MAXIMUM_DECREASED, DEC) X(MINIMUM_ADDED, KW) X(MINIMUM_REMOVED, NON)                  \
    X(MINIMUM_INCREASED, INC) X(MINIMUM_DECREASED, NON) X(EXCLUSIVE_MAXIMUM_ADDED, KW)      \
    X(EXCLUSIVE_MAXIMUM_REMOVED, NON) X(EXCLUSIVE_MAXIMUM_INCREASED, NON)                   \
    X(EXCLUSIVE_MAXIMUM_DECREASED, DEC) X(EXCLUSIVE_MINIMUM_ADDED, KW)                      \
    X(EXCLUSIVE_MINIMUM_REMOVED, NON) X(EXCLUSIVE_MINIMUM_INCREASED, INC)                   \
    X(EXCLUSIVE_MINIMUM_DECREASED, NON) X(MULTIPLE_OF_ADDED, KW) X(MULTIPLE_OF_REMOVED, NON) \
    X(MULTIPLE_OF_EXPANDED, INC) X(MULTIPLE_OF_REDUCED, NON) X(MULTIPLE_OF_CHANGED, VCH)    \
    X(REQUIRED_ATTRIBUTE_ADDED, KW) X(REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED, NON)           \
    X(REQUIRED_ATTRIBUTE_REMOVED, NON) X(MAX_PROPERTIES_ADDED, KW)                          \
    X(MAX_PROPERTIES_REMOVED, NON) X(MAX_PROPERTIES_INCREASED, NON)                         \
    X(MAX_PROPERTIES_DECREASED, DEC) X(MIN_PROPERTIES_ADDED, KW)                            \
    X(MIN_PROPERTIES_REMOVED, NON) X(MIN_PROPERTIES_INCREASED, INC)                         \
    X(MIN_PROPERTIES_DECREASED, NON) X(ADDITIONAL_PROPERTIES_ADDED, NON)                    \
    X(ADDITIONAL_PROPERTIES_REMOVED, KW) X(ADDITIONAL_PROPERTIES_EXTENDED, NON)             \
    X(ADDITIONAL_PROPERTIES_NARROWED, NAR) X(DEPENDENCY_ARRAY_ADDED, KW)                    \
    X(DEPENDENCY_ARRAY_REMOVED, NON) X(DEPENDENCY_ARRAY_EXTENDED, EXT)                      \
    X(DEPENDENCY_ARRAY_NARROWED, NON) X(DEPENDENCY_ARRAY_CHANGED, VCH)                      \
    X(DEPENDENCY_SCHEMA_ADDED, KW) X(DEPENDENCY_SCHEMA_REMOVED, NON)                        \
    X(PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, NON)                                            \
    X(REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, OPN)                                   \
    X(REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL, OPN)                      \
    X(OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, OPN)                                   \
    X(PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL, NON)                          \
    X(REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, URQ)                                 \
    X(REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL, NON)                    \
    X(OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, NON)                                 \
    X(PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL, NON)                                        \
    X(PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, NON)                           \
    X(PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, CLO)                                      \
    X(PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, NON)                     \
    X(PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, RNC)                    \
    X(PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, NON)                       \
    X(PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, ANC)                      \
    X(RESERVED_PROPERTY_REMOVED, RRM) X(RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY, RCF)     \
    X(UNEVALUATED_PROPERTIES_ADDED, NON) X(UNEVALUATED_PROPERTIES_REMOVED, KW)              \
    X(UNEVALUATED_PROPERTIES_EXTENDED, NON) X(UNEVALUATED_PROPERTIES_NARROWED, NAR)         \
    X(MAX_ITEMS_ADDED, KW) X(MAX_ITEMS_REMOVED, NON) X(MAX_ITEMS_INCREASED, NON)            \
    X(MAX_ITEMS_DECREASED, DEC) X(MIN_ITEMS_ADDED, KW) X(MIN_ITEMS_REMOVED, NON)            \
    X(MIN_ITEMS_INCREASED, INC) X(MIN_ITEMS_DECREASED, NON)                                 \
    X(MAX_CONTAINS_ADDED, KW) X(MAX_CONTAINS_REMOVED, NON) X(MAX_CONTAINS_INCREASED, NON)   \
    X(MAX_CONTAINS_DECREASED, DEC) X(MIN_CONTAINS_ADDED, KW) X(MIN_CONTAINS_REMOVED, NON)   \
    X(MIN_CONTAINS_INCREASED, INC) X(MIN_CONTAINS_DECREASED, NON)                           \
    X(UNIQUE_ITEMS_ADDED, KW) X(UNIQUE_ITEMS_REMOVED, NON)                                  \
    X(ADDITIONAL_ITEMS_ADDED, NON) X(ADDITIONAL_ITEMS_REMOVED, KW)                          \
    X(ADDITIONAL_ITEMS_EXTENDED, NON) X(ADDITIONAL_ITEMS_NARROWED, NAR)                     \
    X(UNEVALUATED_ITEMS_ADDED, NON) X(UNEVALUATED_ITEMS_REMOVED, KW)                        \
    X(UNEVALUATED_ITEMS_EXTENDED, NON) X(UNEVALUATED_ITEMS_NARROWED, NAR)                   \
    X(ITEM_ADDED_TO_OPEN_CONTENT_MODEL, OPN)                                                \
    X(ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL, NON)                              \
    X(ITEM_ADDED_TO_CLOSED_CONTENT_MODEL, NON) X(ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL, NON) \
    X(ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, NON)                               \
    X(ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL, CLO)                                          \
    X(ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, NON)                         \
    X(ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, RNC)                        \
    X(ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, NON)                           \
    X(ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, ANC)                          \
    X(ENUM_ARRAY_EXTENDED, NON) X(ENUM_ARRAY_NARROWED, NAR) X(ENUM_ARRAY_CHANGED, TCH)      \
    X(COMBINED_TYPE_EXTENDED, NON) X(COMBINED_TYPE_CHANGED, TCH)                            \
    X(PRODUCT_TYPE_EXTENDED, EXT) X(PRODUCT_TYPE_NARROWED, NON) X(SUM_TYPE_EXTENDED, EXT)   \
    X(SUM_TYPE_NARROWED, NAR) X(COMBINED_TYPE_SUBSCHEMAS_CHANGED, TCH)                      \
    X(NOT_TYPE_EXTENDED, EXT) X(NOT_TYPE_NARROWED, NON)

typedef enum jd_type {
#define X(name, fam) JD_##name,
    JS_DIFF_TYPES(X)
#undef X
    JD_N_TYPES
} jd_type;

typedef enum jd_family { NON, KW, INC, DEC, VCH, NAR, EXT, TCH, OPN, URQ, CLO, RNC, ANC, RRM, RCF } jd_family;

static const char *const jd_names[JD_N_TYPES] = {
#define X(name, fam) #name,
    JS_DIFF_TYPES(X)
#undef X
};

static const unsigned char jd_families[JD_N_TYPES] = {
#define X(name, fam) fam,
    JS_DIFF_TYPES(X)
#undef X
};

/* Confluent's SchemaDiff.COMPATIBLE_CHANGES_STRICT (compat.md §4.7, 65 types). */
static const char *const strict_compatible[] = {
    "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED", "SCHEMA_REMOVED",
    "TYPE_EXTENDED",
    "MAX_LENGTH_INCREASED", "MAX_LENGTH_REMOVED", "MIN_LENGTH_DECREASED", "MIN_LENGTH_REMOVED",
    "PATTERN_REMOVED",
    "MAXIMUM_INCREASED", "MAXIMUM_REMOVED", "MINIMUM_DECREASED", "MINIMUM_REMOVED",
    "EXCLUSIVE_MAXIMUM_INCREASED", "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MINIMUM_DECREASED",
    "EXCLUSIVE_MINIMUM_REMOVED", "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_REMOVED",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", "REQUIRED_ATTRIBUTE_REMOVED",
    "DEPENDENCY_ARRAY_NARROWED", "DEPENDENCY_ARRAY_REMOVED", "DEPENDENCY_SCHEMA_REMOVED",
    "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_REMOVED", "MIN_PROPERTIES_DECREASED",
    "MIN_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_ADDED", "ADDITIONAL_PROPERTIES_EXTENDED",
    "UNEVALUATED_PROPERTIES_ADDED", "UNEVALUATED_PROPERTIES_EXTENDED",
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "MAX_ITEMS_INCREASED", "MAX_ITEMS_REMOVED", "MIN_ITEMS_DECREASED", "MIN_ITEMS_REMOVED",
    "MAX_CONTAINS_INCREASED", "MAX_CONTAINS_REMOVED", "MIN_CONTAINS_DECREASED",
    "MIN_CONTAINS_REMOVED", "UNIQUE_ITEMS_REMOVED", "ADDITIONAL_ITEMS_ADDED",
    "ADDITIONAL_ITEMS_EXTENDED", "UNEVALUATED_ITEMS_ADDED", "UNEVALUATED_ITEMS_EXTENDED",
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ENUM_ARRAY_EXTENDED", "COMBINED_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED", "SUM_TYPE_EXTENDED",
    "NOT_TYPE_NARROWED",
};

/* The additions of COMPATIBLE_CHANGES_LENIENT (compat.md §4.7, 9 types). */
static const char *const lenient_additions[] = {
    "ADDITIONAL_PROPERTIES_NARROWED",
    "ADDITIONAL_PROPERTIES_REMOVED",
    "UNEVALUATED_PROPERTIES_NARROWED",
    "UNEVALUATED_PROPERTIES_REMOVED",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *type, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(type, list[i]) == 0) return 1;
    return 0;
}

int jsonschema_type_ok(const char *type, compat_policy policy)
{
    if (!type) return 0;
    if (in_list(type, strict_compatible, COUNT(strict_compatible))) return 1;
    return policy == COMPAT_POLICY_LENIENT &&
           in_list(type, lenient_additions, COUNT(lenient_additions));
}

/* --- difference lists ------------------------------------------------------------------ */

typedef struct jdiff {
    jd_type type;
    char *path; /* "#/..." */
} jdiff;

typedef struct dlist {
    jdiff *items;
    size_t n, cap;
    size_t n_bad; /* incompatible under the check's policy */
} dlist;

/* UNCACHED: computed, but not kept (memo budget spent): recomputed when met again. */
typedef enum { ENTRY_IN_PROGRESS, ENTRY_DONE, ENTRY_UNCACHED } entry_state;

/* A memo or seed entry: the pair's differences, paths relative to the pair. */
typedef struct pair_entry {
    ptrpair key; /* (original node, update node) */
    entry_state state;
    dlist diffs;
} pair_entry;

/* A compiled patternProperties regex, cached per pattern string. */
typedef struct regex_entry {
    const char *pattern;
    int ok;
    regex_t re;
} regex_entry;

typedef struct cx {
    unsigned char ok[JD_N_TYPES]; /* compatible under the policy */
    pairmap memo;        /* (original, update) -> pair_entry * (owned) */
    const pairmap *seed; /* incompatible pairs of the previous passes (owned by diff) */
    int optimism_used;
    size_t depth;
    size_t work;       /* pairs computed in this pass */
    size_t memo_bytes; /* path bytes held by the memo */
    const char *aborted; /* why the check stopped, or NULL */
    regex_entry *regexes;
    size_t n_regexes, cap_regexes;
} cx;

static void dlist_free(dlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i].path);
    free(l->items);
    *l = (dlist){0};
}

/* Takes ownership of path. Past MAX_DIFFS_PER_LIST only the first incompatible
 * difference is still kept, so a truncated list has the same verdict. */
static void dlist_push(const cx *c, dlist *l, jd_type type, char *path)
{
    int bad = !c->ok[type];
    if (l->n >= MAX_DIFFS_PER_LIST && !(bad && l->n_bad == 0)) {
        free(path);
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = (jdiff){type, path};
    if (bad) l->n_bad++;
}

/* Append src's differences (paths relative to a pair, "#/..." ) under `prefix`
 * (the current path without "#/"): Confluent's addDifferencesRebased. */
static void dlist_append_rebased(const cx *c, dlist *dst, const dlist *src, const char *prefix)
{
    for (size_t i = 0; i < src->n; i++) {
        const char *rel = src->items[i].path + 2; /* after "#/" */
        strbuf sb = STRBUF_INIT;
        strbuf_puts(&sb, "#/");
        strbuf_puts(&sb, prefix);
        if (*rel) {
            if (*prefix) strbuf_putc(&sb, '/');
            strbuf_puts(&sb, rel);
        }
        dlist_push(c, dst, src->items[i].type, strbuf_take(&sb));
    }
}

/* Move src's differences (already at their final paths) into dst. */
static void dlist_move(const cx *c, dlist *dst, dlist *src)
{
    for (size_t i = 0; i < src->n; i++) {
        dlist_push(c, dst, src->items[i].type, src->items[i].path);
        src->items[i].path = NULL;
    }
    free(src->items);
    *src = (dlist){0};
}

static void dlist_copy(const cx *c, dlist *dst, const dlist *src)
{
    for (size_t i = 0; i < src->n; i++)
        dlist_push(c, dst, src->items[i].type, xstrdup(src->items[i].path));
}

static int dlist_compatible(const dlist *l)
{
    return l->n_bad == 0;
}

/* --- pair tables ------------------------------------------------------------------------ */

static pair_entry *table_find(const pairmap *t, const js_node *o, const js_node *u)
{
    return t ? pairmap_get(t, o, u) : NULL;
}

/* A new entry for (o, u) (not present). */
static pair_entry *table_add(pairmap *t, const js_node *o, const js_node *u)
{
    pair_entry *e = xcalloc(1, sizeof *e);
    e->key = (ptrpair){o, u};
    pairmap_put(t, &e->key, e);
    return e;
}

static void table_free(pairmap *t)
{
    size_t pos = 0;
    void *v;
    while (pairmap_next(t, &pos, &v)) {
        pair_entry *e = v;
        dlist_free(&e->diffs);
        free(e);
    }
    pairmap_free(t);
}

/* --- paths --------------------------------------------------------------------------------
 *
 * The current path is a strbuf holding the tokens joined with "/" (no "#/");
 * path_push returns the length to restore with path_pop. */

static size_t path_push(strbuf *path, const char *token)
{
    size_t len = path->len;
    if (len) strbuf_putc(path, '/');
    strbuf_puts(path, token);
    return len;
}

static size_t path_push_index(strbuf *path, const char *word, size_t i)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s/%zu", word, i);
    return path_push(path, buf);
}

static void path_pop(strbuf *path, size_t len)
{
    path->len = len;
    if (path->data) path->data[len] = '\0';
}

static const char *path_str(const strbuf *path)
{
    return path->data ? path->data : "";
}

static void add_diff(const cx *c, dlist *out, const strbuf *path, jd_type type)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "#/");
    strbuf_puts(&sb, path_str(path));
    dlist_push(c, out, type, strbuf_take(&sb));
}

static void add_diff_at(const cx *c, dlist *out, strbuf *path, const char *token, jd_type type)
{
    size_t mark = path_push(path, token);
    add_diff(c, out, path, type);
    path_pop(path, mark);
}

/* --- model helpers --------------------------------------------------------------------------- */

static const js_node *deref(const js_node *n)
{
    for (int i = 0; n && n->kind == JS_REF && n->target && i < MAX_DEREF; i++) n = n->target;
    return n;
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

static int json_eq(const json_t *a, const json_t *b)
{
    if (!a || !b) return a == b;
    return json_equal((json_t *)a, (json_t *)b);
}

static int is_bytes(const js_node *n)
{
    return n->connect_type && json_is_string(n->connect_type) &&
           strcmp(json_string_value(n->connect_type), "bytes") == 0;
}

static const char *criterion_name(js_criterion c)
{
    switch (c) {
    case JS_ALL_OF: return "allOf";
    case JS_ANY_OF: return "anyOf";
    case JS_ONE_OF: return "oneOf";
    }
    return "allOf";
}

/* Property and required names -> index maps: a strmap holding index + 1 (so that
 * index 0 is not NULL, which means absent). A repeated name keeps its first index. */
static void map_name(strmap *m, const char *name, size_t i)
{
    if (name) strmap_put(m, name, (void *)(uintptr_t)(i + 1));
}

/* SIZE_MAX if absent. */
static size_t name_index(const strmap *m, const char *name)
{
    uintptr_t at = (uintptr_t)strmap_get(m, name);
    return at ? at - 1 : SIZE_MAX;
}

static void map_properties(strmap *m, const js_node *n)
{
    *m = (strmap){0};
    for (size_t i = 0; i < n->n_properties; i++) map_name(m, n->properties[i].name, i);
}

static void map_required(strmap *m, const js_node *n)
{
    *m = (strmap){0};
    for (size_t i = 0; i < n->n_required; i++) map_name(m, n->required[i], i);
}

/* --- structural equality (deduplication of combined subschemas) ---------------------------- */

static int node_eq(const js_node *a, const js_node *b, size_t depth);

static int limit_eq(js_limit a, js_limit b)
{
    return a.present == b.present && (!a.present || a.value == b.value);
}

static int values_eq(json_t *const *a, size_t na, json_t *const *b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (!json_eq(a[i], b[i])) return 0;
    return 1;
}

static int additional_eq(js_additional a, js_additional b, size_t depth)
{
    return a.permits == b.permits && node_eq(a.schema, b.schema, depth);
}

static int node_eq(const js_node *a, const js_node *b, size_t depth)
{
    if (a == b) return 1;
    if (!a || !b || a->kind != b->kind || depth > MAX_DEPTH) return 0;
    depth++;
    if (!str_eq(a->id, b->id) || !str_eq(a->title, b->title) ||
        !str_eq(a->description, b->description) || !json_eq(a->default_value, b->default_value) ||
        !json_eq(a->connect_type, b->connect_type))
        return 0;
    switch (a->kind) {
    case JS_EMPTY: case JS_FALSE: case JS_BOOLEAN: case JS_NULL: case JS_CONDITIONAL:
        return 1;
    case JS_REF:
        return str_eq(a->ref, b->ref) && a->target == b->target;
    case JS_ENUM: case JS_CONST:
        return values_eq(a->values, a->n_values, b->values, b->n_values);
    case JS_COMBINED:
        if (a->criterion != b->criterion || a->n_subschemas != b->n_subschemas) return 0;
        for (size_t i = 0; i < a->n_subschemas; i++)
            if (!node_eq(a->subschemas[i], b->subschemas[i], depth)) return 0;
        return 1;
    case JS_NOT:
        return node_eq(a->not_schema, b->not_schema, depth);
    case JS_STRING:
        return limit_eq(a->min_length, b->min_length) && limit_eq(a->max_length, b->max_length) &&
               str_eq(a->pattern, b->pattern) && str_eq(a->format, b->format);
    case JS_NUMBER:
        return a->requires_integer == b->requires_integer && limit_eq(a->minimum, b->minimum) &&
               limit_eq(a->maximum, b->maximum) &&
               limit_eq(a->exclusive_minimum, b->exclusive_minimum) &&
               limit_eq(a->exclusive_maximum, b->exclusive_maximum) &&
               limit_eq(a->multiple_of, b->multiple_of);
    case JS_ARRAY:
        if (!node_eq(a->all_items, b->all_items, depth) ||
            a->n_item_schemas != b->n_item_schemas ||
            !additional_eq(a->additional_items, b->additional_items, depth) ||
            !node_eq(a->unevaluated_items, b->unevaluated_items, depth) ||
            !limit_eq(a->min_items, b->min_items) || !limit_eq(a->max_items, b->max_items) ||
            !limit_eq(a->min_contains, b->min_contains) ||
            !limit_eq(a->max_contains, b->max_contains) || a->unique_items != b->unique_items ||
            !node_eq(a->contains, b->contains, depth))
            return 0;
        for (size_t i = 0; i < a->n_item_schemas; i++)
            if (!node_eq(a->item_schemas[i], b->item_schemas[i], depth)) return 0;
        return 1;
    case JS_OBJECT:
        if (a->n_properties != b->n_properties || a->n_required != b->n_required ||
            a->n_dependencies != b->n_dependencies ||
            a->n_pattern_properties != b->n_pattern_properties ||
            !limit_eq(a->min_properties, b->min_properties) ||
            !limit_eq(a->max_properties, b->max_properties) ||
            !additional_eq(a->additional_properties, b->additional_properties, depth) ||
            !node_eq(a->unevaluated_properties, b->unevaluated_properties, depth) ||
            !node_eq(a->property_names, b->property_names, depth))
            return 0;
        for (size_t i = 0; i < a->n_properties; i++)
            if (!str_eq(a->properties[i].name, b->properties[i].name) ||
                !node_eq(a->properties[i].schema, b->properties[i].schema, depth))
                return 0;
        for (size_t i = 0; i < a->n_required; i++)
            if (!str_eq(a->required[i], b->required[i])) return 0;
        for (size_t i = 0; i < a->n_pattern_properties; i++)
            if (!str_eq(a->pattern_properties[i].pattern, b->pattern_properties[i].pattern) ||
                !node_eq(a->pattern_properties[i].schema, b->pattern_properties[i].schema, depth))
                return 0;
        for (size_t i = 0; i < a->n_dependencies; i++) {
            const js_dependency *x = &a->dependencies[i], *y = &b->dependencies[i];
            if (!str_eq(x->name, y->name) || x->n_names != y->n_names ||
                !node_eq(x->schema, y->schema, depth))
                return 0;
            for (size_t k = 0; k < x->n_names; k++)
                if (!str_eq(x->names[k], y->names[k])) return 0;
        }
        return 1;
    }
    return 0;
}

/* --- patternProperties: Java find() approximated with POSIX ERE --------------------------- */

/* Translate the Java-only parts we can: \d \D \s \S \w \W (outside and inside
 * brackets) and lazy/possessive quantifier suffixes (irrelevant to a yes/no
 * search). Anything else is passed through for regcomp to judge. */
static char *java_to_posix(const char *p)
{
    strbuf sb = STRBUF_INIT;
    int in_class = 0;
    for (size_t i = 0; p[i]; i++) {
        char ch = p[i];
        if (ch == '\\' && p[i + 1]) {
            char e = p[++i];
            const char *out = NULL, *in = NULL;
            switch (e) {
            case 'd': out = "[0-9]"; in = "0-9"; break;
            case 'D': out = "[^0-9]"; break;
            case 's': out = "[[:space:]]"; in = "[:space:]"; break;
            case 'S': out = "[^[:space:]]"; break;
            case 'w': out = "[[:alnum:]_]"; in = "[:alnum:]_"; break;
            case 'W': out = "[^[:alnum:]_]"; break;
            default: break;
            }
            if (in_class) {
                if (in) strbuf_puts(&sb, in);
                else if (e == ']' || e == '\\' || e == '^' || e == '-') {
                    /* keep the escape: regcomp will reject what POSIX cannot say */
                    strbuf_putc(&sb, '\\');
                    strbuf_putc(&sb, e);
                } else strbuf_putc(&sb, e);
            } else if (out) {
                strbuf_puts(&sb, out);
            } else {
                strbuf_putc(&sb, '\\');
                strbuf_putc(&sb, e);
            }
            continue;
        }
        if (in_class) {
            if (ch == ']') in_class = 0;
            strbuf_putc(&sb, ch);
            continue;
        }
        if (ch == '[') {
            in_class = 1;
            strbuf_putc(&sb, ch);
            if (p[i + 1] == '^') strbuf_putc(&sb, p[++i]);
            if (p[i + 1] == ']') strbuf_putc(&sb, p[++i]); /* a literal ] first */
            continue;
        }
        strbuf_putc(&sb, ch);
        /* X*? X+? X?? X{n}? and the possessive X*+ ...: drop the suffix */
        if ((ch == '*' || ch == '+' || ch == '?' || ch == '}') && (p[i + 1] == '?' || p[i + 1] == '+'))
            i++;
    }
    return strbuf_take(&sb);
}

static const regex_entry *regex_for(cx *c, const char *pattern)
{
    for (size_t i = 0; i < c->n_regexes; i++)
        if (c->regexes[i].pattern == pattern || strcmp(c->regexes[i].pattern, pattern) == 0)
            return &c->regexes[i];
    if (c->n_regexes == c->cap_regexes) {
        c->cap_regexes = c->cap_regexes ? c->cap_regexes * 2 : 8;
        c->regexes = xrealloc(c->regexes, c->cap_regexes * sizeof *c->regexes);
    }
    regex_entry *e = &c->regexes[c->n_regexes++];
    e->pattern = pattern;
    char *posix = java_to_posix(pattern);
    e->ok = regcomp(&e->re, posix, REG_EXTENDED | REG_NOSUB) == 0;
    free(posix);
    return e;
}

static int pattern_finds(cx *c, const char *pattern, const char *name)
{
    if (!pattern) return 0;
    const regex_entry *e = regex_for(c, pattern);
    return e->ok && regexec(&e->re, name, 0, NULL, 0) == 0;
}

/* --- the comparison --------------------------------------------------------------------------- */

static void compare(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u);

/* compare() into a fresh list at the current path (Confluent's getSubcontext()). */
static void compare_sub(cx *c, dlist *sub, strbuf *path, const js_node *o, const js_node *u)
{
    *sub = (dlist){0};
    compare(c, sub, path, o, u);
}

typedef struct limit_types {
    jd_type added, removed, increased, decreased;
} limit_types;

static void compare_limit(cx *c, dlist *out, strbuf *path, const char *token, js_limit o,
                          js_limit u, limit_types t)
{
    if (!o.present && !u.present) return;
    if (!o.present) add_diff_at(c, out, path, token, t.added);
    else if (!u.present) add_diff_at(c, out, path, token, t.removed);
    else if (o.value < u.value) add_diff_at(c, out, path, token, t.increased);
    else if (o.value > u.value) add_diff_at(c, out, path, token, t.decreased);
}

#define LIMIT(NAME) ((limit_types){JD_##NAME##_ADDED, JD_##NAME##_REMOVED, \
                                   JD_##NAME##_INCREASED, JD_##NAME##_DECREASED})

static void compare_string(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    compare_limit(c, out, path, "maxLength", o->max_length, u->max_length, LIMIT(MAX_LENGTH));
    compare_limit(c, out, path, "minLength", o->min_length, u->min_length, LIMIT(MIN_LENGTH));
    if (!o->pattern && u->pattern) add_diff_at(c, out, path, "pattern", JD_PATTERN_ADDED);
    else if (o->pattern && !u->pattern) add_diff_at(c, out, path, "pattern", JD_PATTERN_REMOVED);
    else if (o->pattern && strcmp(o->pattern, u->pattern) != 0)
        add_diff_at(c, out, path, "pattern", JD_PATTERN_CHANGED);
}

/* --- exact decimals for multipleOf --- */

/* A non-negative decimal: digits (no leading zeros, "0" for zero) x 10^-scale,
 * trailing fractional zeros removed. */
typedef struct decimal {
    char *digits;
    long scale;
} decimal;

#define MAX_DECIMAL_DIGITS 4096

/* Parse JSON number text; 0 if it is not a number we can hold exactly. */
static int decimal_parse(const char *s, decimal *d)
{
    d->digits = NULL;
    d->scale = 0;
    if (!s) return 0;
    if (*s == '-' || *s == '+') s++;
    strbuf sb = STRBUF_INIT;
    long scale = 0;
    int seen = 0, frac = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            seen = 1;
            if (sb.len || *s != '0') strbuf_putc(&sb, *s);
            if (frac) scale++;
        } else if (*s == '.' && !frac) {
            frac = 1;
        } else break;
    }
    if (*s == 'e' || *s == 'E') {
        char *end;
        long e = strtol(s + 1, &end, 10);
        if (end == s + 1 || *end || e > MAX_DECIMAL_DIGITS || e < -MAX_DECIMAL_DIGITS) {
            strbuf_free(&sb);
            return 0;
        }
        scale -= e;
    } else if (*s) {
        strbuf_free(&sb);
        return 0;
    }
    if (!seen || sb.len > MAX_DECIMAL_DIGITS) {
        strbuf_free(&sb);
        return 0;
    }
    if (!sb.len) { /* zero */
        strbuf_putc(&sb, '0');
        scale = 0;
    }
    while (scale < 0) {
        strbuf_putc(&sb, '0');
        scale++;
    }
    while (scale > 0 && sb.len > 1 && sb.data[sb.len - 1] == '0') {
        sb.data[--sb.len] = '\0';
        scale--;
    }
    d->digits = strbuf_take(&sb);
    d->scale = scale;
    return 1;
}

/* The limit as a decimal: its text, else the shortest of %.15g / %.17g that
 * reads back as the same double. */
static int decimal_of(js_limit l, decimal *d)
{
    if (l.text && decimal_parse(l.text, d)) return 1;
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", l.value);
    if (strtod(buf, NULL) != l.value) snprintf(buf, sizeof buf, "%.17g", l.value);
    return decimal_parse(buf, d);
}

/* digits * 10^zeros as a digit string */
static char *scaled(const decimal *d, long zeros)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, d->digits);
    for (long i = 0; i < zeros; i++) strbuf_putc(&sb, '0');
    return strbuf_take(&sb);
}

/* Compare two digit strings without leading zeros (equal lengths compare lexically). */
static int digits_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb) return na < nb ? -1 : 1;
    return memcmp(a, b, na);
}

/* Is a divisible by b (digit strings, b != 0)? Schoolbook remainder. */
static int digits_divisible(const char *a, const char *b)
{
    size_t nb = strlen(b);
    char *r = xmalloc(nb + 2); /* the running remainder, < 10 * b */
    size_t nr = 0;
    for (const char *p = a; *p; p++) {
        if (!(nr == 0 && *p == '0')) r[nr++] = *p; /* r = r * 10 + digit */
        while (digits_cmp(r, nr, b, nb) >= 0) {   /* r -= b */
            int borrow = 0;
            for (size_t i = 0; i < nr; i++) {
                size_t ri = nr - 1 - i;
                int bd = i < nb ? b[nb - 1 - i] - '0' : 0;
                int v = r[ri] - '0' - bd - borrow;
                borrow = v < 0;
                r[ri] = (char)('0' + (v < 0 ? v + 10 : v));
            }
            size_t lead = 0;
            while (lead < nr && r[lead] == '0') lead++;
            memmove(r, r + lead, nr - lead);
            nr -= lead;
        }
    }
    free(r);
    return nr == 0;
}

/* Is x an integer multiple of y? */
static int decimal_multiple(const decimal *x, const decimal *y)
{
    if (strcmp(y->digits, "0") == 0) return 0;
    long s = x->scale > y->scale ? x->scale : y->scale;
    char *a = scaled(x, s - x->scale), *b = scaled(y, s - y->scale);
    int r = digits_divisible(a, b);
    free(a);
    free(b);
    return r;
}

static void compare_multiple_of(cx *c, dlist *out, strbuf *path, js_limit o, js_limit u)
{
    if (!o.present && !u.present) return;
    if (!o.present) {
        add_diff_at(c, out, path, "multipleOf", JD_MULTIPLE_OF_ADDED);
        return;
    }
    if (!u.present) {
        add_diff_at(c, out, path, "multipleOf", JD_MULTIPLE_OF_REMOVED);
        return;
    }
    decimal od, ud;
    int okd = decimal_of(o, &od), uokd = decimal_of(u, &ud);
    jd_type t;
    if (!okd || !uokd) { /* not representable: compare the doubles */
        if (o.value == u.value) t = JD_N_TYPES;
        else t = JD_MULTIPLE_OF_CHANGED;
    } else if (od.scale == ud.scale && strcmp(od.digits, ud.digits) == 0) {
        t = JD_N_TYPES; /* equal */
    } else if (decimal_multiple(&ud, &od)) {
        t = JD_MULTIPLE_OF_EXPANDED;
    } else if (decimal_multiple(&od, &ud)) {
        t = JD_MULTIPLE_OF_REDUCED;
    } else {
        t = JD_MULTIPLE_OF_CHANGED;
    }
    free(od.digits);
    free(ud.digits);
    if (t != JD_N_TYPES) add_diff_at(c, out, path, "multipleOf", t);
}

static void compare_number(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    compare_limit(c, out, path, "maximum", o->maximum, u->maximum, LIMIT(MAXIMUM));
    compare_limit(c, out, path, "minimum", o->minimum, u->minimum, LIMIT(MINIMUM));
    compare_limit(c, out, path, "exclusiveMaximum", o->exclusive_maximum, u->exclusive_maximum,
                  LIMIT(EXCLUSIVE_MAXIMUM));
    compare_limit(c, out, path, "exclusiveMinimum", o->exclusive_minimum, u->exclusive_minimum,
                  LIMIT(EXCLUSIVE_MINIMUM));
    compare_multiple_of(c, out, path, o->multiple_of, u->multiple_of);
    if (o->requires_integer != u->requires_integer)
        add_diff(c, out, path, o->requires_integer ? JD_TYPE_EXTENDED : JD_TYPE_NARROWED);
}

/* Is every value of a among b's values (JSON equality)? */
static int values_subset(json_t *const *a, size_t na, json_t *const *b, size_t nb)
{
    for (size_t i = 0; i < na; i++) {
        size_t k = 0;
        while (k < nb && !json_eq(a[i], b[k])) k++;
        if (k == nb) return 0;
    }
    return 1;
}

static void compare_enum(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    int u_has_o = values_subset(o->values, o->n_values, u->values, u->n_values);
    int o_has_u = values_subset(u->values, u->n_values, o->values, o->n_values);
    if (u_has_o && o_has_u) return; /* the same set */
    if (u_has_o) add_diff_at(c, out, path, "enum", JD_ENUM_ARRAY_EXTENDED);
    else if (o_has_u) add_diff_at(c, out, path, "enum", JD_ENUM_ARRAY_NARROWED);
    else add_diff_at(c, out, path, "enum", JD_ENUM_ARRAY_CHANGED);
}

static void compare_const(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    const json_t *ov = o->n_values ? o->values[0] : NULL;
    const json_t *uv = u->n_values ? u->values[0] : NULL;
    if (!json_eq(ov, uv)) add_diff_at(c, out, path, "const", JD_ENUM_ARRAY_CHANGED);
}

static void compare_not(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    size_t mark = path_push(path, "not");
    dlist sub;
    compare_sub(c, &sub, path, u->not_schema, o->not_schema); /* arguments swapped */
    add_diff(c, out, path, dlist_compatible(&sub) ? JD_NOT_TYPE_NARROWED : JD_NOT_TYPE_EXTENDED);
    dlist_free(&sub);
    path_pop(path, mark);
}

/* --- combined schemas --- */

static int is_singleton(const js_node *n)
{
    return n->n_subschemas == 1;
}

/* Confluent's compareCriteria: 1 if the comparison goes on. */
static int compare_criteria(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    if (o->criterion == u->criterion) return 1;
    if (u->criterion == JS_ANY_OF || (is_singleton(o) && is_singleton(u)) ||
        (is_singleton(o) && u->criterion == JS_ONE_OF) ||
        (is_singleton(u) && o->criterion == JS_ALL_OF)) {
        add_diff(c, out, path, JD_COMBINED_TYPE_EXTENDED);
        return 1;
    }
    add_diff(c, out, path, JD_COMBINED_TYPE_CHANGED);
    return 0;
}

/* The subschemas without structural duplicates, first occurrences in order. */
static size_t dedup(const js_node *n, const js_node **out)
{
    size_t k = 0;
    for (size_t i = 0; i < n->n_subschemas; i++) {
        size_t j = 0;
        while (j < k && !node_eq(out[j], n->subschemas[i], 0)) j++;
        if (j == k) out[k++] = n->subschemas[i];
    }
    return k;
}

/* Maximum-cardinality bipartite matching (Kuhn's augmenting paths) over the
 * compatible edges; edges[i * nu + j] is non-NULL for a compatible (o_i, u_j). */
typedef struct matcher {
    size_t nu;
    const dlist *const *edges;
    size_t *match_u; /* the o matched to each u, or SIZE_MAX */
    unsigned char *seen;
} matcher;

static int augment(matcher *m, size_t i)
{
    for (size_t j = 0; j < m->nu; j++) {
        if (!m->edges[i * m->nu + j] || m->seen[j]) continue;
        m->seen[j] = 1;
        if (m->match_u[j] == SIZE_MAX || augment(m, m->match_u[j])) {
            m->match_u[j] = i;
            return 1;
        }
    }
    return 0;
}

static void compare_combined(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    if (!compare_criteria(c, out, path, o, u)) return;
    const js_node **os = xcalloc(o->n_subschemas + 1, sizeof *os);
    const js_node **us = xcalloc(u->n_subschemas + 1, sizeof *us);
    size_t no = dedup(o, os), nu = dedup(u, us);
    if (no < nu)
        add_diff(c, out, path, u->criterion == JS_ALL_OF ? JD_PRODUCT_TYPE_EXTENDED
                                                          : JD_SUM_TYPE_EXTENDED);
    else if (no > nu)
        add_diff(c, out, path, o->criterion == JS_ALL_OF ? JD_PRODUCT_TYPE_NARROWED
                                                          : JD_SUM_TYPE_NARROWED);

    /* edges[i * nu + j]: the differences of compare(os[i], us[j]) if compatible */
    dlist *lists = xcalloc(no * nu + 1, sizeof *lists);
    const dlist **edges = xcalloc(no * nu + 1, sizeof *edges);
    for (size_t i = 0; i < no && !c->aborted; i++) {
        size_t mark = path_push_index(path, criterion_name(o->criterion), i);
        for (size_t j = 0; j < nu && !c->aborted; j++) {
            dlist *l = &lists[i * nu + j];
            compare_sub(c, l, path, os[i], us[j]);
            if (dlist_compatible(l)) edges[i * nu + j] = l;
            else dlist_free(l); /* only compatible edges' differences are used */
        }
        path_pop(path, mark);
    }

    matcher m = {nu, edges, xmalloc((nu + 1) * sizeof(size_t)), xcalloc(nu + 1, 1)};
    for (size_t j = 0; j < nu; j++) m.match_u[j] = SIZE_MAX;
    size_t matched = 0;
    for (size_t i = 0; i < no && !c->aborted; i++) {
        memset(m.seen, 0, nu + 1);
        if (augment(&m, i)) matched++;
    }
    /* the matched edges' differences, in the original's subschema order */
    for (size_t i = 0; i < no; i++)
        for (size_t j = 0; j < nu; j++)
            if (m.match_u[j] == i) dlist_move(c, out, &lists[i * nu + j]);
    if (matched < (no < nu ? no : nu)) add_diff(c, out, path, JD_COMBINED_TYPE_SUBSCHEMAS_CHANGED);
    free(m.match_u);
    free(m.seen);

    for (size_t k = 0; k < no * nu; k++) dlist_free(&lists[k]);
    free(lists);
    free(edges);
    free(os);
    free(us);
}

/* --- objects --- */

static int is_open_object(const js_node *n)
{
    const js_node *ue = deref(n->unevaluated_properties);
    return n->additional_properties.permits && !n->additional_properties.schema &&
           n->n_pattern_properties == 0 && (!ue || ue->kind == JS_EMPTY);
}

/* The schema a partially open object gives to property `name`, or NULL. */
static const js_node *partially_open_property(cx *c, const js_node *n, const char *name)
{
    for (size_t i = 0; i < n->n_pattern_properties; i++)
        if (pattern_finds(c, n->pattern_properties[i].pattern, name))
            return n->pattern_properties[i].schema;
    if (n->additional_properties.schema) return n->additional_properties.schema;
    const js_node *ue = deref(n->unevaluated_properties);
    if (n->additional_properties.permits && ue && ue->kind != JS_EMPTY && ue->kind != JS_FALSE)
        return n->unevaluated_properties;
    return NULL;
}

static int has_default(const js_node *n)
{
    return n && n->default_value != NULL;
}

static void compare_required(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    strmap up, oreq, ureq;
    map_properties(&up, u);
    map_required(&oreq, o);
    map_required(&ureq, u);
    size_t mark = path_push(path, "required");
    for (size_t i = 0; i < o->n_properties; i++) {
        const char *p = o->properties[i].name;
        size_t k = name_index(&up, p);
        if (k == SIZE_MAX) continue;
        int oreqd = name_index(&oreq, p) != SIZE_MAX, ureqd = name_index(&ureq, p) != SIZE_MAX;
        if (oreqd && !ureqd) add_diff_at(c, out, path, p, JD_REQUIRED_ATTRIBUTE_REMOVED);
        else if (!oreqd && ureqd)
            add_diff_at(c, out, path, p,
                        has_default(u->properties[k].schema) ? JD_REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED
                                                             : JD_REQUIRED_ATTRIBUTE_ADDED);
    }
    path_pop(path, mark);
    strmap_free(&up);
    strmap_free(&oreq);
    strmap_free(&ureq);
}

static void property_removed(cx *c, dlist *out, strbuf *path, const js_node *u, const char *name,
                             const js_node *os)
{
    if (is_open_object(u)) {
        add_diff(c, out, path, JD_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL);
        return;
    }
    const js_node *s = partially_open_property(c, u, name);
    if (s) {
        dlist sub;
        compare_sub(c, &sub, path, os, s);
        int ok = dlist_compatible(&sub);
        dlist_move(c, out, &sub);
        add_diff(c, out, path, ok ? JD_PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                                  : JD_PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
        return;
    }
    add_diff(c, out, path, os && os->kind == JS_FALSE
                               ? JD_PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                               : JD_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL);
}

static void property_added(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u,
                           const strmap *ureq, const char *name, const js_node *us)
{
    int required = name_index(ureq, name) != SIZE_MAX;
    if (is_open_object(o)) {
        if (us && us->kind == JS_EMPTY)
            add_diff(c, out, path, JD_PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL);
        else if (required)
            add_diff(c, out, path, has_default(us)
                                       ? JD_REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL
                                       : JD_REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL);
        else add_diff(c, out, path, JD_OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL);
        return;
    }
    (void)u;
    const js_node *s = partially_open_property(c, o, name);
    if (s) {
        dlist sub;
        compare_sub(c, &sub, path, s, us);
        int ok = dlist_compatible(&sub);
        dlist_move(c, out, &sub);
        add_diff(c, out, path, ok ? JD_PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                                  : JD_PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
    }
    if (required)
        add_diff(c, out, path, has_default(us)
                                   ? JD_REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                                   : JD_REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
    else add_diff(c, out, path, JD_OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL);
}

static void compare_properties(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    strmap op, up, ureq;
    map_properties(&op, o);
    map_properties(&up, u);
    map_required(&ureq, u);
    size_t mark = path_push(path, "properties");
    /* Confluent walks a HashSet of the names; we take O's order, then U's new ones. */
    for (size_t i = 0; i < o->n_properties && !c->aborted; i++) {
        const char *p = o->properties[i].name;
        if (name_index(&op, p) != i) continue; /* a repeated name */
        size_t k = name_index(&up, p);
        size_t m = path_push(path, p);
        if (k == SIZE_MAX) property_removed(c, out, path, u, p, o->properties[i].schema);
        else compare(c, out, path, o->properties[i].schema, u->properties[k].schema);
        path_pop(path, m);
    }
    for (size_t k = 0; k < u->n_properties && !c->aborted; k++) {
        const char *p = u->properties[k].name;
        if (name_index(&up, p) != k || name_index(&op, p) != SIZE_MAX) continue;
        size_t m = path_push(path, p);
        property_added(c, out, path, o, u, &ureq, p, u->properties[k].schema);
        path_pop(path, m);
    }
    path_pop(path, mark);
    strmap_free(&op);
    strmap_free(&up);
    strmap_free(&ureq);
}

static const js_dependency *find_dependency(const js_node *n, const char *name, int schema)
{
    for (size_t i = 0; i < n->n_dependencies; i++) {
        const js_dependency *d = &n->dependencies[i];
        if ((d->schema != NULL) == schema && str_eq(d->name, name)) return d;
    }
    return NULL;
}

static int names_subset(const js_dependency *a, const js_dependency *b)
{
    for (size_t i = 0; i < a->n_names; i++) {
        size_t k = 0;
        while (k < b->n_names && !str_eq(a->names[i], b->names[k])) k++;
        if (k == b->n_names) return 0;
    }
    return 1;
}

/* Property dependencies, then schema dependencies, each over O's names then U's new ones. */
static void compare_dependencies(cx *c, dlist *out, strbuf *path, const js_node *o,
                                 const js_node *u)
{
    size_t mark = path_push(path, "dependencies");
    for (int schema = 0; schema <= 1; schema++) {
        for (int side = 0; side <= 1; side++) {
            const js_node *n = side ? u : o;
            for (size_t i = 0; i < n->n_dependencies && !c->aborted; i++) {
                const js_dependency *d = &n->dependencies[i];
                if ((d->schema != NULL) != schema || find_dependency(n, d->name, schema) != d)
                    continue;
                const js_dependency *od = side ? find_dependency(o, d->name, schema) : d;
                const js_dependency *ud = side ? d : find_dependency(u, d->name, schema);
                if (side && od) continue; /* seen from O's side */
                size_t m = path_push(path, d->name ? d->name : "");
                if (!ud) {
                    add_diff(c, out, path, schema ? JD_DEPENDENCY_SCHEMA_REMOVED
                                                  : JD_DEPENDENCY_ARRAY_REMOVED);
                } else if (!od) {
                    add_diff(c, out, path, schema ? JD_DEPENDENCY_SCHEMA_ADDED
                                                  : JD_DEPENDENCY_ARRAY_ADDED);
                } else if (schema) {
                    compare(c, out, path, od->schema, ud->schema);
                } else {
                    int u_has_o = names_subset(od, ud), o_has_u = names_subset(ud, od);
                    if (!(u_has_o && o_has_u))
                        add_diff(c, out, path, u_has_o   ? JD_DEPENDENCY_ARRAY_EXTENDED
                                               : o_has_u ? JD_DEPENDENCY_ARRAY_NARROWED
                                                         : JD_DEPENDENCY_ARRAY_CHANGED);
                }
                path_pop(path, m);
            }
        }
    }
    path_pop(path, mark);
}

typedef struct additional_types {
    jd_type added, removed, extended, narrowed;
} additional_types;

/* additionalProperties / additionalItems (Confluent's compareAdditional*). */
static void compare_additional(cx *c, dlist *out, strbuf *path, const char *token,
                               js_additional o, js_additional u, additional_types t)
{
    size_t mark = path_push(path, token);
    if (o.permits != u.permits) add_diff(c, out, path, u.permits ? t.added : t.removed);
    else if (!o.schema && u.schema) add_diff(c, out, path, t.narrowed);
    else if (o.schema && !u.schema) add_diff(c, out, path, t.extended);
    else if (o.schema) compare(c, out, path, o.schema, u.schema);
    path_pop(path, mark);
}

/* unevaluatedProperties / unevaluatedItems: absent, false, true ({}), or a schema. */
typedef enum { UE_ABSENT, UE_FALSE, UE_TRUE, UE_SCHEMA } ue_state;

static ue_state ue_state_of(const js_node *n)
{
    const js_node *d = deref(n);
    if (!d) return UE_ABSENT;
    if (d->kind == JS_FALSE) return UE_FALSE;
    if (d->kind == JS_EMPTY) return UE_TRUE;
    return UE_SCHEMA;
}

static void compare_unevaluated(cx *c, dlist *out, strbuf *path, const char *token,
                                const js_node *o, const js_node *u, additional_types t)
{
    ue_state os = ue_state_of(o), us = ue_state_of(u);
    jd_type type = JD_N_TYPES;
    if (os == us) {
        if (os == UE_SCHEMA) {
            size_t mark = path_push(path, token);
            compare(c, out, path, o, u);
            path_pop(path, mark);
        }
        return;
    }
    if (os == UE_FALSE) type = t.added;              /* false -> anything else */
    else if (us == UE_FALSE) type = t.removed;       /* anything else -> false */
    else if (us == UE_SCHEMA) type = t.narrowed;     /* absent/true -> schema */
    else if (os == UE_SCHEMA) type = t.extended;     /* schema -> absent/true */
    if (type != JD_N_TYPES) add_diff_at(c, out, path, token, type);
}

static void compare_object(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    compare_required(c, out, path, o, u);
    compare_properties(c, out, path, o, u);
    compare_dependencies(c, out, path, o, u);
    compare_additional(c, out, path, "additionalProperties", o->additional_properties,
                       u->additional_properties,
                       (additional_types){JD_ADDITIONAL_PROPERTIES_ADDED,
                                          JD_ADDITIONAL_PROPERTIES_REMOVED,
                                          JD_ADDITIONAL_PROPERTIES_EXTENDED,
                                          JD_ADDITIONAL_PROPERTIES_NARROWED});
    compare_unevaluated(c, out, path, "unevaluatedProperties", o->unevaluated_properties,
                        u->unevaluated_properties,
                        (additional_types){JD_UNEVALUATED_PROPERTIES_ADDED,
                                           JD_UNEVALUATED_PROPERTIES_REMOVED,
                                           JD_UNEVALUATED_PROPERTIES_EXTENDED,
                                           JD_UNEVALUATED_PROPERTIES_NARROWED});
    compare_limit(c, out, path, "maxProperties", o->max_properties, u->max_properties,
                  LIMIT(MAX_PROPERTIES));
    compare_limit(c, out, path, "minProperties", o->min_properties, u->min_properties,
                  LIMIT(MIN_PROPERTIES));
}

/* --- arrays --- */

static int is_open_array(const js_node *n)
{
    const js_node *ue = deref(n->unevaluated_items);
    return n->additional_items.permits && !n->additional_items.schema &&
           (!ue || ue->kind == JS_EMPTY);
}

static const js_node *partially_open_items(const js_node *n)
{
    if (n->additional_items.schema) return n->additional_items.schema;
    const js_node *ue = deref(n->unevaluated_items);
    if (n->additional_items.permits && ue && ue->kind != JS_EMPTY && ue->kind != JS_FALSE)
        return n->unevaluated_items;
    return NULL;
}

static void item_removed(cx *c, dlist *out, strbuf *path, const js_node *u, const js_node *os)
{
    if (is_open_array(u)) {
        add_diff(c, out, path, JD_ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL);
        return;
    }
    const js_node *s = partially_open_items(u);
    if (s) {
        dlist sub;
        compare_sub(c, &sub, path, os, s);
        int ok = dlist_compatible(&sub);
        dlist_move(c, out, &sub);
        add_diff(c, out, path, ok ? JD_ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                                  : JD_ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
        return;
    }
    add_diff(c, out, path, os && os->kind == JS_FALSE
                               ? JD_ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                               : JD_ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL);
}

static void item_added(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *us)
{
    if (is_open_array(o)) {
        add_diff(c, out, path, us && us->kind == JS_EMPTY
                                   ? JD_ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                                   : JD_ITEM_ADDED_TO_OPEN_CONTENT_MODEL);
        return;
    }
    const js_node *s = partially_open_items(o);
    if (s) {
        dlist sub;
        compare_sub(c, &sub, path, s, us);
        int ok = dlist_compatible(&sub);
        dlist_move(c, out, &sub);
        add_diff(c, out, path, ok ? JD_ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                                  : JD_ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL);
        return;
    }
    add_diff(c, out, path, JD_ITEM_ADDED_TO_CLOSED_CONTENT_MODEL);
}

static void compare_array(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    size_t mark = path_push(path, "items");
    compare(c, out, path, o->all_items, u->all_items);
    path_pop(path, mark);

    size_t n = o->n_item_schemas > u->n_item_schemas ? o->n_item_schemas : u->n_item_schemas;
    for (size_t i = 0; i < n && !c->aborted; i++) {
        mark = path_push_index(path, "items", i);
        if (i < o->n_item_schemas && i < u->n_item_schemas)
            compare(c, out, path, o->item_schemas[i], u->item_schemas[i]);
        else if (i < o->n_item_schemas) item_removed(c, out, path, u, o->item_schemas[i]);
        else item_added(c, out, path, o, u->item_schemas[i]);
        path_pop(path, mark);
    }

    compare_additional(c, out, path, "additionalItems", o->additional_items, u->additional_items,
                       (additional_types){JD_ADDITIONAL_ITEMS_ADDED, JD_ADDITIONAL_ITEMS_REMOVED,
                                          JD_ADDITIONAL_ITEMS_EXTENDED,
                                          JD_ADDITIONAL_ITEMS_NARROWED});
    compare_unevaluated(c, out, path, "unevaluatedItems", o->unevaluated_items,
                        u->unevaluated_items,
                        (additional_types){JD_UNEVALUATED_ITEMS_ADDED, JD_UNEVALUATED_ITEMS_REMOVED,
                                           JD_UNEVALUATED_ITEMS_EXTENDED,
                                           JD_UNEVALUATED_ITEMS_NARROWED});
    compare_limit(c, out, path, "maxItems", o->max_items, u->max_items, LIMIT(MAX_ITEMS));
    compare_limit(c, out, path, "minItems", o->min_items, u->min_items, LIMIT(MIN_ITEMS));
    compare_limit(c, out, path, "maxContains", o->max_contains, u->max_contains,
                  LIMIT(MAX_CONTAINS));
    compare_limit(c, out, path, "minContains", o->min_contains, u->min_contains,
                  LIMIT(MIN_CONTAINS));
    if (o->unique_items != u->unique_items)
        add_diff_at(c, out, path, "uniqueItems",
                    o->unique_items ? JD_UNIQUE_ITEMS_REMOVED : JD_UNIQUE_ITEMS_ADDED);
}

/* --- one pair --- */

/* The body of compare(O, U) for dereferenced, non-NULL nodes: the union special
 * cases, the kind check, the common attributes, then the kind's keywords. */
static void compare_pair(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    int oc = o->kind == JS_COMBINED, uc = u->kind == JS_COMBINED;
    if (!oc && uc) {
        if (u->n_subschemas == 1) {
            dlist sub;
            compare_sub(c, &sub, path, o, u->subschemas[0]);
            if (dlist_compatible(&sub)) {
                dlist_move(c, out, &sub);
                return;
            }
            dlist_free(&sub);
        } else if (u->criterion != JS_ALL_OF) {
            for (size_t i = 0; i < u->n_subschemas && !c->aborted; i++) {
                dlist sub;
                compare_sub(c, &sub, path, o, u->subschemas[i]);
                if (dlist_compatible(&sub)) {
                    dlist_move(c, out, &sub);
                    add_diff(c, out, path, JD_SUM_TYPE_EXTENDED);
                    return;
                }
                dlist_free(&sub);
            }
        }
    } else if (oc && !uc) {
        if (o->n_subschemas == 1) {
            dlist sub;
            compare_sub(c, &sub, path, o->subschemas[0], u);
            if (dlist_compatible(&sub)) {
                dlist_move(c, out, &sub);
                return;
            }
            dlist_free(&sub);
        } else if (o->criterion == JS_ALL_OF) {
            for (size_t i = 0; i < o->n_subschemas && !c->aborted; i++) {
                dlist sub;
                compare_sub(c, &sub, path, o->subschemas[i], u);
                if (dlist_compatible(&sub)) {
                    dlist_move(c, out, &sub);
                    add_diff(c, out, path, JD_PRODUCT_TYPE_NARROWED);
                    return;
                }
                dlist_free(&sub);
            }
        }
    }

    if (o->kind != u->kind) {
        if (o->kind == JS_FALSE || u->kind == JS_EMPTY) return;
        if (is_bytes(o) && is_bytes(u)) return;
        add_diff(c, out, path, JD_TYPE_CHANGED);
        return;
    }

    if (!str_eq(o->id, u->id)) add_diff(c, out, path, JD_ID_CHANGED);
    if (!str_eq(o->title, u->title)) add_diff(c, out, path, JD_TITLE_CHANGED);
    if (!str_eq(o->description, u->description)) add_diff(c, out, path, JD_DESCRIPTION_CHANGED);
    if (!json_eq(o->default_value, u->default_value)) add_diff(c, out, path, JD_DEFAULT_CHANGED);

    switch (o->kind) {
    case JS_STRING: compare_string(c, out, path, o, u); break;
    case JS_NUMBER: compare_number(c, out, path, o, u); break;
    case JS_ENUM: compare_enum(c, out, path, o, u); break;
    case JS_CONST: compare_const(c, out, path, o, u); break;
    case JS_COMBINED: compare_combined(c, out, path, o, u); break;
    case JS_NOT: compare_not(c, out, path, o, u); break;
    case JS_OBJECT: compare_object(c, out, path, o, u); break;
    case JS_ARRAY: compare_array(c, out, path, o, u); break;
    default: break; /* EMPTY, FALSE, BOOLEAN, NULL, CONDITIONAL, unresolved REF */
    }
}

/* Confluent's SchemaDiff.compare(ctx, original, update), memoised per pair. */
static void compare(cx *c, dlist *out, strbuf *path, const js_node *o, const js_node *u)
{
    if (c->aborted) return;
    if (!o && !u) return;
    if (!o) {
        add_diff(c, out, path, JD_SCHEMA_ADDED);
        return;
    }
    if (!u) {
        add_diff(c, out, path, JD_SCHEMA_REMOVED);
        return;
    }
    o = deref(o);
    u = deref(u);

    pair_entry *e = table_find(&c->memo, o, u);
    if (e && e->state == ENTRY_DONE) {
        dlist_append_rebased(c, out, &e->diffs, path_str(path));
        return;
    }
    if (e && e->state == ENTRY_IN_PROGRESS) { /* a cycle */
        const pair_entry *s = table_find(c->seed, o, u);
        if (s) dlist_append_rebased(c, out, &s->diffs, path_str(path));
        else c->optimism_used = 1;
        return;
    }
    if (c->depth >= MAX_DEPTH) {
        c->aborted = "schemas nested too deeply";
        return;
    }
    if (++c->work > MAX_WORK) {
        c->aborted = "schemas too large to compare";
        return;
    }
    if (!e) e = table_add(&c->memo, o, u);
    e->state = ENTRY_IN_PROGRESS;
    c->depth++;
    dlist res = {0};
    strbuf rel = STRBUF_INIT;
    compare_pair(c, &res, &rel, o, u);
    strbuf_free(&rel);
    c->depth--;
    dlist_append_rebased(c, out, &res, path_str(path));
    size_t bytes = 0;
    for (size_t i = 0; i < res.n; i++) bytes += strlen(res.items[i].path) + sizeof(jdiff);
    if (c->memo_bytes + bytes <= MAX_MEMO_BYTES) {
        c->memo_bytes += bytes;
        e->state = ENTRY_DONE;
        e->diffs = res;
    } else {
        e->state = ENTRY_UNCACHED;
        dlist_free(&res);
    }
}

/* --- the fixpoint driver --- */

static void cx_init(cx *c, compat_policy policy, const pairmap *seed)
{
    memset(c, 0, sizeof *c);
    for (size_t t = 0; t < JD_N_TYPES; t++) c->ok[t] = (unsigned char)jsonschema_type_ok(jd_names[t], policy);
    c->seed = seed;
}

static void cx_free(cx *c)
{
    table_free(&c->memo);
    for (size_t i = 0; i < c->n_regexes; i++)
        if (c->regexes[i].ok) regfree(&c->regexes[i].re);
    free(c->regexes);
    c->regexes = NULL;
    c->n_regexes = c->cap_regexes = 0;
}

/* Add the memo's incompatible pairs to the seed; returns how many were new. */
static size_t grow_seed(cx *c, pairmap *seed)
{
    size_t added = 0;
    size_t pos = 0;
    void *v;
    while (pairmap_next(&c->memo, &pos, &v)) {
        const pair_entry *m = v;
        if (m->state != ENTRY_DONE || dlist_compatible(&m->diffs)) continue;
        pair_entry *s = table_find(seed, m->key.a, m->key.b);
        if (!s) {
            s = table_add(seed, m->key.a, m->key.b);
            s->state = ENTRY_DONE;
            added++;
        } else {
            dlist_free(&s->diffs);
        }
        dlist_copy(c, &s->diffs, &m->diffs);
    }
    return added;
}

/* diff(original, update) under the policy: every difference. Returns 0, or -1
 * (*why says why) if a bound stopped the comparison. */
static int diff(const js_node *original, const js_node *update, compat_policy policy, dlist *out,
                const char **why)
{
    pairmap seed = {0};
    int rc = 0;
    for (int pass = 0;; pass++) {
        cx c;
        cx_init(&c, policy, &seed);
        dlist res = {0};
        strbuf path = STRBUF_INIT;
        compare(&c, &res, &path, original, update);
        strbuf_free(&path);
        int again = !c.aborted && c.optimism_used && pass + 1 < MAX_PASSES &&
                    grow_seed(&c, &seed) > 0;
        if (!again) {
            *why = c.aborted;
            rc = c.aborted ? -1 : 0;
            *out = res;
            cx_free(&c);
            break;
        }
        dlist_free(&res);
        cx_free(&c);
    }
    table_free(&seed);
    return rc;
}

/* --- messages --------------------------------------------------------------------------------- */

/* Difference.error(): the description with the path filled in and the two %s
 * replaced by the reader and writer labels (Confluent's String.format). */
static char *description(jd_type type, const char *path, const char *rl, const char *wl)
{
    const char *t;
    switch ((jd_family)jd_families[type]) {
    case KW: t = "The keyword at path '@P' in the %s schema is not present in the %s schema"; break;
    case INC: t = "The value at path '@P' in the %s schema is more than its value in the %s schema"; break;
    case DEC: t = "The value at path '@P' in the %s schema is less than its value in the %s schema"; break;
    case VCH: t = "The value at path '@P' is different between the %s and %s schema"; break;
    case NAR: t = "An array or combined type at path '@P' has fewer elements in the %s schema than the %s schema"; break;
    case EXT: t = "An array or combined type at path '@P' has more elements in the %s schema than the %s schema"; break;
    case TCH: t = "A type at path '@P' is different between the %s schema and the %s schema"; break;
    case OPN: t = "The %s schema has an open content model and has a property or item at path '@P' which is missing in the %s schema"; break;
    case URQ: t = "The %s schema has an unopen content model and has a required property at path '@P' which is missing in the %s schema"; break;
    case CLO: t = "The %s schema has a closed content model and is missing a property or item present at path '@P' in the %s schema"; break;
    case RNC: t = "A property or item is missing in the %s schema but present at path '@P' in the %s schema and is not covered by its partially open content model"; break;
    case ANC: t = "The %s schema has a property or item at path '@P' which is missing in the %s schema and is not covered by its partially open content model"; break;
    case RRM: t = "The %s schema has reserved property '@P' removed from its metadata which is present in the %s schema."; break;
    case RCF: t = "The %s schema has property at path '@P' that conflicts with the reserved properties which is missing in the %s schema."; break;
    default: t = ""; break;
    }
    strbuf sb = STRBUF_INIT;
    int arg = 0;
    for (const char *p = t; *p; p++) {
        if (p[0] == '@' && p[1] == 'P') {
            strbuf_puts(&sb, path);
            p++;
        } else if (p[0] == '%' && p[1] == 's') {
            strbuf_puts(&sb, arg++ == 0 ? rl : wl);
            p++;
        } else {
            strbuf_putc(&sb, *p);
        }
    }
    return strbuf_take(&sb);
}

static char *message(jd_type type, const char *path, const char *rl, const char *wl)
{
    char *d = description(type, path, rl, wl);
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "{errorType:\"%s\", description:\"%s" JS_MSG_CLOSE, jd_names[type], d);
    free(d);
    return strbuf_take(&sb);
}

static const js_node *root_of(const void *schema)
{
    return schema ? ((const js_schema *)schema)->root : NULL;
}

/* Every difference of diff(original = writer, update = reader) under `policy`. */
void jsonschema_compat_check(const void *reader, const void *writer, const char *reader_label,
                             const char *writer_label, compat_policy policy, compat_issues *out)
{
    dlist d = {0};
    const char *why = NULL;
    if (diff(root_of(writer), root_of(reader), policy, &d, &why) < 0) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "Unexpected exception during compatibility check: %s", why);
        compat_issues_add(out, "UNEXPECTED_EXCEPTION", "#/", sb.data);
        strbuf_free(&sb);
    } else {
        for (size_t i = 0; i < d.n; i++) {
            char *m = message(d.items[i].type, d.items[i].path, reader_label, writer_label);
            compat_issues_add(out, jd_names[d.items[i].type], d.items[i].path, m);
            free(m);
        }
    }
    dlist_free(&d);
}

