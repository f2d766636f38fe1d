/*
 * The in-memory model of a parsed JSON Schema, shared by the parser
 * (formats/jsonschema/) and the compatibility checker (compat/jsonschema_compat.c).
 *
 * It is the object model Confluent's diff works on (compat.md §4.2): each schema
 * value becomes a node of one kind (EMPTY, FALSE, REF, ENUM, COMBINED, NOT, CONST,
 * STRING, NUMBER, BOOLEAN, NULL, ARRAY, OBJECT, CONDITIONAL), built by the
 * extractors in Confluent's order, with several results wrapped in a synthetic
 * allOf. $ref nodes point at their resolved target, so recursive schemas are
 * graphs: walk them with a visited set or a pair memo.
 *
 * Ownership: every node and string belongs to the js_schema's arena and is
 * freed by js_fmt_schema_free(); JSON values (`json_t *`) are references owned
 * by the schema too.
 */
#ifndef SR_JS_MODEL_H
#define SR_JS_MODEL_H

#include <stddef.h>

#include <jansson.h>

typedef enum js_draft {
    JS_DRAFT_4,
    JS_DRAFT_6,
    JS_DRAFT_7,
    JS_DRAFT_2019_09,
    JS_DRAFT_2020_12,
} js_draft;

typedef enum js_kind {
    JS_EMPTY,   /* {} or true: accepts everything */
    JS_FALSE,   /* false: accepts nothing */
    JS_REF,     /* $ref: see `ref` */
    JS_ENUM,
    JS_COMBINED,
    JS_NOT,
    JS_CONST,
    JS_STRING,
    JS_NUMBER,
    JS_BOOLEAN,
    JS_NULL,
    JS_ARRAY,
    JS_OBJECT,
    JS_CONDITIONAL, /* if/then/else: not compared */
} js_kind;

typedef enum js_criterion { JS_ALL_OF, JS_ANY_OF, JS_ONE_OF } js_criterion;

typedef struct js_node js_node;

/* An optional numeric limit; decimal text kept for exact multipleOf arithmetic. */
typedef struct js_limit {
    int present;
    double value;
    const char *text; /* the number as written in the schema */
} js_limit;

/* additionalProperties / additionalItems: permits (true/absent) and an optional schema. */
typedef struct js_additional {
    int permits;    /* 0 for false */
    js_node *schema; /* a schema (not a boolean), else NULL */
} js_additional;

typedef struct js_property {
    const char *name;
    js_node *schema;
} js_property;

typedef struct js_pattern_property {
    const char *pattern; /* regex source, matched with search semantics */
    js_node *schema;
} js_pattern_property;

typedef struct js_dependency {
    const char *name;
    const char **names; /* property dependency (array form), or NULL */
    size_t n_names;
    js_node *schema;    /* schema dependency, or NULL */
} js_dependency;

struct js_node {
    js_kind kind;
    const char *pointer; /* JSON pointer of this schema inside its document, e.g. "#/properties/a" */

    /* common attributes */
    const char *id;          /* $id (id in draft 4), or NULL */
    const char *title;
    const char *description;
    json_t *default_value;   /* NULL if absent */
    json_t *connect_type;    /* "connect.type" (Kafka Connect), or NULL */

    /* JS_REF */
    const char *ref;    /* as written */
    js_node *target;    /* resolved */

    /* JS_ENUM: values; JS_CONST: values[0] */
    json_t **values;
    size_t n_values;

    /* JS_COMBINED */
    js_criterion criterion;
    js_node **subschemas;
    size_t n_subschemas;
    int synthetic; /* made by the loader from several keywords, not written as allOf */

    /* JS_NOT */
    js_node *not_schema;

    /* JS_STRING */
    js_limit min_length, max_length;
    const char *pattern;
    const char *format;

    /* JS_NUMBER */
    int requires_integer;
    js_limit minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;

    /* JS_ARRAY */
    js_node *all_items;      /* items as one schema, or NULL */
    js_node **item_schemas;  /* items as an array (draft <= 2019-09) or prefixItems */
    size_t n_item_schemas;
    js_additional additional_items; /* additionalItems, or items after prefixItems (2020-12) */
    js_node *unevaluated_items;     /* NULL if absent; a JS_FALSE / JS_EMPTY node for booleans */
    js_limit min_items, max_items, min_contains, max_contains;
    int unique_items;
    js_node *contains;

    /* JS_OBJECT */
    js_property *properties; /* in document order */
    size_t n_properties;
    const char **required;
    size_t n_required;
    js_limit min_properties, max_properties;
    js_dependency *dependencies; /* dependencies, dependentRequired, dependentSchemas */
    size_t n_dependencies;
    js_pattern_property *pattern_properties;
    size_t n_pattern_properties;
    js_additional additional_properties;
    js_node *unevaluated_properties; /* NULL if absent */
    js_node *property_names;
};

typedef struct js_arena js_arena;

typedef struct js_schema {
    js_draft draft;
    json_t *document; /* the parsed JSON of the schema itself */
    js_node *root;
    js_arena *arena;
} js_schema;

#endif
