/*
 * The in-memory model of a parsed Avro schema, shared by the parser/printer
 * (formats/avro/) and the compatibility checker (compat/avro_compat.c).
 *
 * A schema is a graph, not a tree: a named type (record, enum, fixed) may be used
 * many times and records may refer to themselves. So every node belongs to one
 * `avro_schema` (its arena, `nodes`) and nodes point at each other freely; a use of
 * a named type after its definition is the same node pointer as the definition.
 * Nothing is freed node by node: avro_fmt_schema_free() releases the whole arena.
 *
 * Types defined by a reference (another subject's schema) are nodes of this arena
 * too, marked `from_reference`, so the checker sees the fully resolved graph while
 * the printer writes them by name only (as Avro-Java does with known names).
 */
#ifndef SR_AVRO_MODEL_H
#define SR_AVRO_MODEL_H

#include <stddef.h>

#include <jansson.h>

typedef enum avro_kind {
    AVN_NULL,
    AVN_BOOLEAN,
    AVN_INT,
    AVN_LONG,
    AVN_FLOAT,
    AVN_DOUBLE,
    AVN_BYTES,
    AVN_STRING,
    AVN_RECORD, /* also "error" (type_name says which) */
    AVN_ENUM,
    AVN_ARRAY,
    AVN_MAP,
    AVN_UNION,
    AVN_FIXED,
} avro_kind;

typedef struct avro_node avro_node;

typedef struct avro_field {
    char *name;
    avro_node *type;
    char *doc;            /* NULL if absent */
    json_t *default_json; /* the "default" value as given; NULL if absent (owned ref) */
    char *order;          /* "ascending" | "descending" | "ignore"; NULL if absent */
    char **aliases;       /* as written */
    size_t n_aliases;
    json_t *props;        /* other attributes in input order (object, owned ref); never NULL */
} avro_field;

struct avro_node {
    avro_kind kind;
    const char *type_name; /* "int", "record", "error", ... as the type is spelled */

    /* named types: record/error, enum, fixed */
    char *name;       /* simple name */
    char *space;      /* namespace; NULL or "" for none */
    char *fullname;   /* space.name, or name */
    char *doc;        /* NULL if absent */
    char **aliases;   /* resolved to full names (relative ones get this node's namespace) */
    size_t n_aliases;
    int from_reference; /* defined in a referenced schema, not in this one */

    /* record */
    avro_field *fields;
    size_t n_fields;

    /* enum */
    char **symbols;
    size_t n_symbols;
    char *enum_default; /* NULL if absent */

    /* fixed */
    long long size;

    /* array items / map values */
    avro_node *items;

    /* union */
    avro_node **branches;
    size_t n_branches;

    /* Every other attribute (logicalType, precision, connect.name, ...) in input
     * order, for every kind (a primitive may carry props: {"type":"int",
     * "logicalType":"date"}). An object, owned ref; never NULL. */
    json_t *props;
};

typedef struct avro_schema {
    avro_node *root;
    avro_node **nodes; /* every node of the graph, for freeing */
    size_t n_nodes, cap_nodes;
} avro_schema;

#endif
