/*
 * Private declarations shared by the Protobuf files of formats/protobuf/:
 * the arena every model object lives in, the lexer/parser, the resolver and
 * the FileDescriptorProto converters.
 *
 * Model conventions the parser guarantees (beyond pb_model.h):
 *  - decls never list synthetic messages: map entries and group messages are in
 *    `messages` (in the order protoc puts them into nested_type) but are reached
 *    for printing through their field (field->message, is_map_entry/is_group).
 *  - a oneof is one PB_DECL_ONEOF decl; its member fields are NOT separate
 *    decls: they are the fields with field->oneof == that index, in order.
 *  - proto3 `optional` fields have oneof == -1 and proto3_optional = 1; the
 *    synthetic oneofs exist only in the descriptor (pb_to_descriptor).
 *  - group fields: name is the lower-cased group name, type_name the group
 *    name as written, type PB_TYPE_GROUP, message the group's message.
 *  - map fields: label PB_LABEL_NONE, type_name "map<K, V>" (normalised
 *    spacing: "map<" key ", " value ">", key and value as written), type
 *    PB_TYPE_MESSAGE, message the entry; the entry's fields "key" (1) and
 *    "value" (2) have label PB_LABEL_OPTIONAL and their types as written.
 *  - option values: see pb_value; `default` and `json_name` stay in the
 *    field's options (in the order written).
 *  - extension fields (extend blocks) are in pb_extend.fields; their groups'
 *    messages are in the enclosing scope's `messages` (file or message).
 *  - aggregate option values: the tokens between the braces as written,
 *    comments dropped, whitespace runs collapsed to one space ("a: 1 n { b: 2 }").
 *  - custom option names: parts joined by '.', extension parts in parentheses
 *    as written ("(.pkg.ext).field").
 *  - a schema from a base64 FileDescriptorProto gets the same model: type names
 *    as in the descriptor (fully qualified), decls in a fixed order (options;
 *    in files messages, enums, services, extends; in messages fields and oneofs,
 *    messages, enums, extension ranges, extends, reserved), every
 *    position 1:1, custom options lost (they are unknown fields there).
 *
 * Checks (pb_resolve.c) follow protoc 3.21; with SR_PARSE_LENIENT the lint-like
 * ones Confluent does not make are skipped (option names and values, JSON-name
 * and enum-prefix conflicts, unused allow_alias, packed/lazy/jstype, proto2 enums
 * in proto3 messages), so stored and imported schemas always load again.
 */
#ifndef SR_PB_INTERNAL_H
#define SR_PB_INTERNAL_H

#include <stddef.h>

#include "../../common/sr_error.h"
#include "../../common/strbuf.h"
#include "google/protobuf/descriptor.pb-c.h"
#include "pb_model.h"
#include "protobuf_format.h"

/* Limits on hostile input. */
#define PB_MAX_DEPTH 100                   /* nesting of messages/blocks/aggregates */
#define PB_MAX_INPUT (8u * 1024u * 1024u)   /* bytes of one .proto text */
#define PB_MAX_FILES 1000                  /* files of one schema (itself + imports) */

/* ------------------------------------------------------------------------ */
/* lexer                                                                     */

typedef enum pb_tok_kind {
    PB_TOK_EOF = 0,
    PB_TOK_IDENT,  /* identifiers and keywords */
    PB_TOK_INT,    /* decimal, hex or octal integer (no sign) */
    PB_TOK_FLOAT,  /* floating literal (no sign) */
    PB_TOK_STRING, /* one quoted literal; `str`/`str_len` hold the decoded bytes */
    PB_TOK_SYMBOL, /* one punctuation character */
} pb_tok_kind;

typedef struct pb_token {
    pb_tok_kind kind;
    const char *text; /* points into the input */
    size_t len;
    char *str;        /* decoded string literal (arena), NUL-terminated */
    size_t str_len;
    pb_pos pos;
    size_t offset;    /* byte offset of text in the input */
} pb_token;

typedef struct pb_lexer {
    const char *src;
    size_t len, at;
    int line, col;
    arena *arena;
    sr_error *err;
    const char *file; /* for messages: import path, or NULL for the schema */
} pb_lexer;

void pb_lex_init(pb_lexer *lx, const char *src, size_t len, arena *a, const char *file,
                 sr_error *err);
/* Next token, or -1 with err set (42201, "line:col: ..."). */
int pb_lex_next(pb_lexer *lx, pb_token *out);

/* Set a 42201 error "[file:]line:col: message". Returns -1. */
int pb_errorf(sr_error *err, const char *file, pb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ------------------------------------------------------------------------ */
/* parser: one file's text -> pb_file (unresolved: types PB_TYPE_UNRESOLVED  */
/* for named types, resolved/extendee NULL)                                  */

pb_file *pb_parse_text(arena *a, const char *name, const char *text, size_t len,
                       sr_error *err);

/* protoc's derived names */
char *pb_map_entry_name(arena *a, const char *field_name); /* foo_bar -> FooBarEntry */
char *pb_json_name(arena *a, const char *field_name);      /* foo_bar -> fooBar */

/* Scalar type keyword -> type, or PB_TYPE_UNRESOLVED. */
pb_type pb_scalar_type(const char *name);

/* The option named `name` (exact, as written) in opts, or NULL (last wins). */
const pb_option *pb_find_option(const pb_options *opts, const char *name);

/* ------------------------------------------------------------------------ */
/* resolver: imports, symbols, type names, semantic checks                   */

/* Resolve `file` (already parsed into a's arena) against deps and the bundled
 * files: loads imports, builds the symbol table, resolves every type name and
 * runs protoc's semantic checks. Returns the schema (owning a) or NULL with
 * err set; on error the caller still owns a. */
pb_schema *pb_resolve(arena *a, pb_file *file, const sr_dep *deps, size_t n_deps,
                      unsigned flags, sr_error *err);

/* ------------------------------------------------------------------------ */
/* descriptors                                                               */

/* The FileDescriptorProto protoc's --descriptor_set_out writes for f (a file
 * of a resolved schema). Everything is allocated in `a` (free the arena, never
 * the message with protobuf-c's free). */
Google__Protobuf__FileDescriptorProto *pb_to_descriptor(const pb_file *f, arena *a);

/* Serialize pb_to_descriptor(f) (malloc'd bytes, *len set). */
unsigned char *pb_descriptor_pack(const pb_file *f, size_t *len);

/* A FileDescriptorProto -> an unresolved pb_file in a (type names as in the
 * descriptor, usually fully qualified). NULL with err on bad input. */
pb_file *pb_from_descriptor(arena *a, const Google__Protobuf__FileDescriptorProto *fd,
                            sr_error *err);

/* If text is base64 of a FileDescriptorProto (Java's basic decoder: standard
 * alphabet, no whitespace, optional padding; at least 4 characters), the
 * decoded file; NULL with err->code == 0 when it is not (the caller then parses
 * it as .proto text), NULL with err set when it is one but cannot be converted.
 * Descriptors nesting messages deeper than PB_MAX_DEPTH are "not one". */
pb_file *pb_try_descriptor_text(arena *a, const char *text, size_t len, sr_error *err);

/* base64 (RFC 4648 with padding) */
char *pb_base64_encode(const unsigned char *data, size_t len); /* malloc'd */

#endif
