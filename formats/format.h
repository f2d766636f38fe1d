/*
 * The format seam: one table of operations per schema type (AVRO, PROTOBUF, JSON).
 *
 * The server and the CLI never look inside a parsed schema; they go through this
 * table. A parsed schema is an opaque handle owned by the caller and released with
 * the same table's `free`. Compatibility checkers live in compat/ and are looked up
 * there by format (compat_checker_for), so formats/ depends on nothing above it.
 *
 * References: a schema's `references` are resolved by the caller (the store) into
 * `sr_dep`s: every schema it depends on, transitively, deduplicated, each listed
 * after everything it depends on itself. `name` is the reference name (Avro: a
 * full type name, Protobuf: an import path, JSON Schema: a $ref URI); `text` is
 * the referenced schema's stored text.
 */
#ifndef SR_FORMAT_H
#define SR_FORMAT_H

#include <stddef.h>

#include "../common/sr_error.h"

typedef struct sr_dep {
    const char *name;
    const char *text;
    const char *subject; /* where it is registered (Protobuf compares references by it) */
    int version;
} sr_dep;

/* parse flags */
enum {
    /* Skip checks that only apply to newly registered schemas (e.g. Avro default
     * validity): stored and IMPORTed schemas must always load again. */
    SR_PARSE_LENIENT = 1u << 0,
};

typedef char *(*sr_render_fn)(const void *schema);

typedef struct sr_format {
    const char *type; /* "AVRO", "PROTOBUF", "JSON": exactly as in `schemaType` */

    /* Parse and validate. Returns an owned handle, or NULL with err set
     * (422/42201 with a message saying what is wrong and where). */
    void *(*parse)(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                   unsigned flags, sr_error *err);

    /* The canonical text: what is stored, returned and hashed for identity.
     * Formatting differences must not change it. malloc'd, caller frees. */
    char *(*canonical)(const void *schema);

    /* The normalized text (normalize=true): semantically equal schemas give the
     * same text. malloc'd, caller frees. */
    char *(*normalized)(const void *schema);

    /* Other renderings a client may ask for with ?format=NAME (Avro "resolved",
     * Protobuf "serialized", ...). Unknown names are ignored: the canonical
     * text is returned, as Confluent does. */
    struct {
        const char *name;
        sr_render_fn render; /* returns malloc'd text */
    } formats[4];

    void (*free)(void *schema);
} sr_format;

/* The rendering `name` of fmt, or NULL if it has none of that name. */
sr_render_fn format_renderer(const sr_format *fmt, const char *name);

/* The format for a schemaType string (exact case), or NULL if unsupported. */
const sr_format *format_lookup(const char *type);

/* The supported type names, NULL-terminated, for GET /schemas/types. */
extern const char *const format_types[];

extern const sr_format avro_format;
extern const sr_format protobuf_format;
extern const sr_format jsonschema_format;

#endif
