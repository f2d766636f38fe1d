/*
 * Private declarations shared by the JSON Schema files of formats/jsonschema/:
 * the arena the model lives in (with the exact text of every number that is
 * not a plain 64-bit integer), small hash maps, the JSON reader, URI helpers,
 * the parse context, and the $ref resolver.
 *
 * Flow of js_fmt_parse (js_parse.c):
 *   1. read every document (the references, then the schema) with our own JSON
 *      reader (exact number texts, Jackson's duplicate-key rule, bounded depth);
 *   2. pick each document's draft from its `$schema`;
 *   3. walk each document's schema positions: validate every keyword for the
 *      draft, note base URIs ($id), anchors and every $ref site;
 *   4. resolve every $ref site (js_ref.c), rejecting unresolvable refs and
 *      $ref cycles with no schema in between;
 *   5. build the model of js_model.h from the root, one node per schema object
 *      (memoised), REF nodes pointing at their target's node.
 */
#ifndef SR_JS_INTERNAL_H
#define SR_JS_INTERNAL_H

#include <stddef.h>

#include "../../common/hashmap.h"
#include "../../common/sr_error.h"
#include "../../common/strbuf.h"
#include "jsonschema_format.h"

/* Deepest JSON nesting accepted: Jackson's default StreamReadConstraints
 * maxNestingDepth, so what Confluent reads we read; deeper input is a 42201,
 * never a stack overflow. */
#define JS_MAX_DEPTH 1000

/* The base URI of a schema without $id (Confluent's JsonSchema.DEFAULT_BASE_URI). */
#define JS_DEFAULT_BASE "mem://input"

/* ------------------------------------------------------------------------ */
/* arena: bump allocator; everything is released at once by js_arena_free  */

js_arena *js_arena_new(void);
void js_arena_free(js_arena *a);
void *js_arena_alloc(js_arena *a, size_t n); /* zeroed, aligned for any type */
char *js_arena_strdup(js_arena *a, const char *s);
char *js_arena_strndup(js_arena *a, const char *s, size_t n);
char *js_arena_printf(js_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grow an arena array of n elements of size sz to hold n+1; returns the new base. */
void *js_arena_grow(js_arena *a, void *base, size_t n, size_t sz);
/* Keep a JSON value alive until the arena dies (one reference is taken over). */
void js_arena_keep_json(js_arena *a, json_t *v);

/* The number texts: every JSON number that is not stored as a json_integer
 * (decimals, exponents, integers beyond 64 bits) is a json_real whose exact
 * text, as written, is kept here. */
void js_number_set(js_arena *a, const json_t *v, const char *text);
const char *js_number_get(const js_arena *a, const json_t *v); /* NULL if none */
/* The text of any number value: the kept text, else the integer printed. */
const char *js_number_text(js_arena *a, const json_t *v);

/* ------------------------------------------------------------------------ */
/* hash maps: common/hashmap.h's (keys and values are borrowed), with the    */
/* semantics the parser and the resolver rely on                             */

typedef ptrmap js_ptrmap;
typedef strmap js_strmap;

void *js_ptrmap_get(const js_ptrmap *m, const void *key);
/* Maps key to val, replacing any earlier value. */
void js_ptrmap_put(js_ptrmap *m, const void *key, void *val);
void js_ptrmap_free(js_ptrmap *m);

void *js_strmap_get(const js_strmap *m, const char *key); /* NULL for a NULL key */
/* Returns 0, or -1 (and leaves the map alone) if key is already there. */
int js_strmap_put(js_strmap *m, const char *key, void *val);
void js_strmap_free(js_strmap *m);

/* ------------------------------------------------------------------------ */
/* JSON reader (js_parse.c)                                                  */

/* Read one JSON value the way Jackson reads Confluent's schema text: strict
 * RFC 8259 syntax, duplicate keys allowed (the last value wins, in the first
 * key's place), nesting bounded by JS_MAX_DEPTH. Number texts go to the
 * arena's table. Returns a new reference, or NULL with msg filled. */
json_t *js_json_read(js_arena *a, const char *text, size_t len, char *msg, size_t msglen);

/* ------------------------------------------------------------------------ */
/* printing (js_print.c)                                                     */

/* Append v compactly as Jackson writes a JsonNode (numbers as BigDecimal /
 * BigInteger print them); `sorted` orders object members by UTF-16 code units
 * (Java's TreeMap), recursively. */
void js_put_json(strbuf *sb, const js_arena *a, const json_t *v, int sorted);
/* Append the number text `text` (as written in JSON) the way Jackson writes it. */
void js_put_number(strbuf *sb, const char *text);
/* Append a JSON pointer segment, escaped (~0, ~1). */
void js_put_pointer_segment(strbuf *sb, const char *seg);

/* ------------------------------------------------------------------------ */
/* URIs (js_ref.c)                                                           */

/* RFC 3986 §5.2 reference resolution of ref against base (base may be NULL or
 * empty: ref is then only normalised). Dot segments are removed, scheme and
 * host are lower-cased. Returns an arena string. */
char *js_uri_resolve(js_arena *a, const char *base, const char *ref);
/* The part before '#' (arena copy), and a pointer to the fragment after '#' or NULL. */
char *js_uri_strip_fragment(js_arena *a, const char *uri, const char **fragment);

/* ------------------------------------------------------------------------ */
/* the parse context                                                         */

typedef struct js_doc {
    json_t *root;
    const char *name; /* the reference name (dep.name), or NULL for the schema itself */
    const char *uri;  /* absolute URI the document is known by (its root $id applied) */
    const char *retrieval; /* the URI it was "retrieved" from: the default base for the
                            * schema, the reference name resolved against that for deps */
    js_draft draft;
    struct js_loc *loc;    /* its root schema */
} js_doc;

/* What the walk learned about one schema object (or boolean schema position). */
typedef struct js_loc {
    const json_t *value;
    const char *pointer; /* "#/properties/a" inside its document */
    const char *base;    /* base URI in effect inside it (after its own $id) */
    const char *resource; /* URI of the innermost schema resource containing it */
    struct js_loc *resource_root; /* the root schema of that resource */
    js_doc *doc;
    js_node *node;       /* the built node (memo), NULL until built */
} js_loc;

/* One $ref, $recursiveRef or $dynamicRef occurrence. */
typedef struct js_refsite {
    const char *keyword;  /* "$ref", "$recursiveRef", "$dynamicRef" */
    const char *ref;      /* as written */
    js_loc *from;         /* the schema containing it */
    js_loc *target;       /* resolved, NULL until resolved */
    int pure;             /* the containing schema is nothing but this ref (a REF node) */
} js_refsite;

typedef struct js_ctx {
    js_schema *s;
    js_arena *a;
    sr_error *err;
    unsigned flags;
    js_doc *docs;  /* deps (deps-first order), then the schema itself last */
    size_t n_docs;
    js_ptrmap locs;      /* json_t * -> js_loc * (objects only) */
    js_strmap resources; /* absolute URI (with "#anchor" for anchors) -> js_loc * */
    js_strmap dynamic;   /* resource URI + "#" + $dynamicAnchor name -> js_loc * */
    js_strmap names;     /* dep.name as written -> js_doc * */
    js_refsite **sites;
    size_t n_sites;
    js_ptrmap site_of;   /* js_loc * -> js_refsite * of a pure ref schema */
    js_ptrmap site_by_value; /* the json_t * of a $ref string -> its js_refsite * */
    /* where a schema walk is going on, for messages */
    js_doc *cur_doc;
} js_ctx;

/* Report an invalid schema at pointer `where` of the current document:
 * "Invalid schema: [in reference "x": ]<where>: <what>". Returns -1. */
int js_fail(js_ctx *c, const js_doc *doc, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Walk (validate + index) the schema value v found at pointer/base, inside the
 * resource `resource` whose root is resource_root (NULL: v is that root) (js_parse.c);
 * used by the resolver for $ref targets outside the usual schema positions. */
int js_walk_schema(js_ctx *c, js_doc *doc, json_t *v, const char *pointer, const char *base,
                   const char *resource, js_loc *resource_root, int depth);

/* Resolve every recorded ref site (js_ref.c). Returns 0 or -1 with err set. */
int js_resolve_refs(js_ctx *c);

/* Is s a valid ECMA-262 regular expression (js_parse.c)? Returns NULL if so,
 * else a short description of the problem (static string). */
const char *js_regex_check(const char *s);

#endif
