/*
 * The in-memory model of a parsed .proto file, shared by the parser
 * (pb_parse.c), the printer (pb_print.c), the FileDescriptorProto converter
 * (pb_descriptor.c) and the compatibility checker (compat/protobuf_compat.c).
 *
 * It keeps what printing needs (declarations in order, names and option values
 * as written) and what compatibility needs (compat.md §3.1: labels as written,
 * numbers, oneofs, nested types, map fields, and every type name resolved to its
 * fully-qualified form through protobuf's scoping rules across imports).
 *
 * Ownership: everything reachable from a pb_schema is allocated in its arena and
 * released at once by pb_schema_free(); nothing is freed piece by piece.
 */
#ifndef SR_PB_MODEL_H
#define SR_PB_MODEL_H

#include <stddef.h>

#include "../../common/arena.h"

/* Field types, numbered as in descriptor.proto's FieldDescriptorProto.Type. */
typedef enum pb_type {
    PB_TYPE_UNRESOLVED = 0, /* a named type not resolved yet (parser output only) */
    PB_TYPE_DOUBLE = 1,
    PB_TYPE_FLOAT = 2,
    PB_TYPE_INT64 = 3,
    PB_TYPE_UINT64 = 4,
    PB_TYPE_INT32 = 5,
    PB_TYPE_FIXED64 = 6,
    PB_TYPE_FIXED32 = 7,
    PB_TYPE_BOOL = 8,
    PB_TYPE_STRING = 9,
    PB_TYPE_GROUP = 10,
    PB_TYPE_MESSAGE = 11,
    PB_TYPE_BYTES = 12,
    PB_TYPE_UINT32 = 13,
    PB_TYPE_ENUM = 14,
    PB_TYPE_SFIXED32 = 15,
    PB_TYPE_SFIXED64 = 16,
    PB_TYPE_SINT32 = 17,
    PB_TYPE_SINT64 = 18,
} pb_type;

/* The label as written; proto3 fields without a keyword and oneof members have
 * none (compat.md §3.1 depends on this distinction). */
typedef enum pb_label {
    PB_LABEL_NONE = 0,
    PB_LABEL_OPTIONAL,
    PB_LABEL_REQUIRED,
    PB_LABEL_REPEATED,
} pb_label;

typedef struct pb_pos {
    int line, col; /* 1-based, of the declaration's first token */
} pb_pos;

typedef enum pb_value_kind {
    PB_VALUE_IDENT,     /* true, false, inf, nan, an enum value name, ... */
    PB_VALUE_INT,       /* integer literal, sign included: "-5", "0x1F", "017" */
    PB_VALUE_FLOAT,     /* floating literal as written: "1.5", "-inf", "1e10" */
    PB_VALUE_STRING,    /* `text` is the decoded bytes (may contain NUL: use len) */
    PB_VALUE_AGGREGATE, /* `text` is the text-format body between the braces, as written */
} pb_value_kind;

typedef struct pb_value {
    pb_value_kind kind;
    char *text;
    size_t len; /* length of text (strings may contain NUL bytes) */
} pb_value;

/* One option: `option java_package = "x";` or `[deprecated = true]`.
 * name is as written, custom options with their parentheses: "(my.ext).field". */
typedef struct pb_option {
    char *name;
    pb_value value;
    pb_pos pos;
} pb_option;

typedef struct pb_options {
    pb_option *items;
    size_t n;
} pb_options;

#define PB_MAX_FIELD_NUMBER 536870911 /* 2^29 - 1: what "max" means in field ranges */

typedef struct pb_range {
    int start, end; /* inclusive; a single number has start == end */
    int end_is_max; /* written as "max" */
} pb_range;

/* One `reserved` statement: numbers/ranges or names (never both). */
typedef struct pb_reserved {
    pb_range *ranges;
    size_t n_ranges;
    char **names;
    size_t n_names;
    pb_pos pos;
} pb_reserved;

/* One `extensions` statement. */
typedef struct pb_extension_range {
    pb_range *ranges;
    size_t n_ranges;
    pb_options options;
    pb_pos pos;
} pb_extension_range;

typedef struct pb_message pb_message;
typedef struct pb_enum pb_enum;

typedef struct pb_field {
    char *name;
    int number;
    pb_label label;
    char *type_name;   /* as written: "int32", "Foo", ".pkg.Foo"; for maps "map<K, V>" */
    pb_type type;      /* resolved: a scalar type, PB_TYPE_MESSAGE, PB_TYPE_ENUM or PB_TYPE_GROUP */
    char *resolved;    /* message/enum/group types: full name with a leading dot (".pkg.Foo") */
    pb_message *message; /* resolved message (map entry, group or message type), else NULL */
    pb_enum *enumeration; /* resolved enum type, else NULL */
    int is_map;        /* map<K, V>: `message` is the synthetic map-entry message */
    int oneof;         /* index into the enclosing message's oneofs, or -1 */
    int proto3_optional; /* proto3 `optional`: presence via a synthetic oneof (descriptor only) */
    pb_options options; /* [ ... ] options as written, default and json_name included */
    char *extendee;    /* for fields of an `extend` block: the extendee's resolved name */
    pb_pos pos;
} pb_field;

typedef struct pb_oneof {
    char *name;
    pb_options options;
    pb_pos pos;
} pb_oneof;

typedef struct pb_enum_value {
    char *name;
    int number;
    pb_options options;
    pb_pos pos;
} pb_enum_value;

struct pb_enum {
    char *name;
    char *full_name; /* without a leading dot: "pkg.Outer.Status" */
    pb_enum_value *values;
    size_t n_values;
    pb_options options;
    pb_reserved *reserved;
    size_t n_reserved;
    pb_pos pos;
};

/* An `extend Foo { ... }` block. */
typedef struct pb_extend {
    char *extendee;  /* as written */
    char *resolved;  /* ".pkg.Foo" */
    pb_field *fields;
    size_t n_fields;
    pb_pos pos;
} pb_extend;

/* The kinds of declaration inside a message or file, in source order, so the
 * printer can reproduce the order (see pb_decl). */
typedef enum pb_decl_kind {
    PB_DECL_FIELD,
    PB_DECL_ONEOF,
    PB_DECL_MESSAGE,
    PB_DECL_ENUM,
    PB_DECL_EXTEND,
    PB_DECL_EXTENSIONS,
    PB_DECL_RESERVED,
    PB_DECL_OPTION,
    PB_DECL_SERVICE,
} pb_decl_kind;

typedef struct pb_decl {
    pb_decl_kind kind;
    size_t index; /* into the matching array of the message or file */
} pb_decl;

struct pb_message {
    char *name;
    char *full_name; /* without a leading dot */
    pb_field *fields;     /* declaration order, oneof members included */
    size_t n_fields;
    pb_oneof *oneofs;
    size_t n_oneofs;
    pb_message **messages; /* nested messages in declaration order, incl. map entries and groups */
    size_t n_messages;
    pb_enum **enums;
    size_t n_enums;
    pb_extend *extends;
    size_t n_extends;
    pb_extension_range *extension_ranges;
    size_t n_extension_ranges;
    pb_reserved *reserved;
    size_t n_reserved;
    pb_options options;
    pb_decl *decls; /* every declaration above in source order */
    size_t n_decls;
    int is_map_entry; /* synthetic entry message of a map field: never printed */
    int is_group;     /* the message of a proto2 group: printed with its field */
    pb_pos pos;
};

typedef struct pb_method {
    char *name;
    char *input_type;  /* as written */
    char *output_type; /* as written */
    char *input_resolved;  /* ".pkg.Req" */
    char *output_resolved;
    int client_streaming, server_streaming;
    pb_options options;
    pb_pos pos;
} pb_method;

typedef struct pb_service {
    char *name;
    pb_method *methods;
    size_t n_methods;
    pb_options options;
    pb_pos pos;
} pb_service;

typedef struct pb_import {
    char *path;
    int is_public, is_weak;
    pb_pos pos;
} pb_import;

typedef struct pb_file {
    char *name;    /* the import path it is known by; "" for the schema itself */
    char *syntax;  /* "proto2" or "proto3"; NULL when not declared (proto2) */
    char *package; /* NULL when none */
    pb_import *imports;
    size_t n_imports;
    pb_options options;
    pb_message **messages;
    size_t n_messages;
    pb_enum **enums;
    size_t n_enums;
    pb_service *services;
    size_t n_services;
    pb_extend *extends;
    size_t n_extends;
    pb_decl *decls; /* top-level declarations in source order */
    size_t n_decls;
    /* Where the file came from, for compat.md §3.2 (same reference on both
     * sides = no difference): a reference's subject and version, or NULL/0 for
     * the schema itself and for bundled well-known files. */
    const char *ref_subject;
    int ref_version;
    int bundled; /* a well-known file shipped with us (google/protobuf/..., confluent/...) */
} pb_file;

/* A named type in the symbol table. */
typedef struct pb_symbol {
    const char *full_name; /* without a leading dot */
    pb_message *message;   /* exactly one of message and enumeration is set */
    pb_enum *enumeration;
    const pb_file *file;   /* the file that defines it */
} pb_symbol;


/* A parsed schema: its file plus every file it imports, transitively. */
typedef struct pb_schema {
    pb_file *file;
    pb_file **deps; /* imported files, each after the files it imports */
    size_t n_deps;
    pb_symbol *symbols; /* every message and enum of file and deps */
    size_t n_symbols;
    arena *arena;
} pb_schema;

/* The symbol with this full name (with or without a leading dot), or NULL. */
const pb_symbol *pb_schema_lookup(const pb_schema *s, const char *full_name);

#endif
