/*
 * Protobuf: parse + validate .proto text (or a base64 FileDescriptorProto) into
 * the model of pb_model.h, resolve imports through references and the bundled
 * well-known files, print the canonical and normalized text, and render the
 * serialized form (base64 FileDescriptorProto, ?format=serialized).
 *
 * Ownership: pb_fmt_parse returns a pb_schema the caller frees with
 * pb_fmt_schema_free; printers return malloc'd strings.
 * Thread safety: no global mutable state.
 */
#ifndef SR_PROTOBUF_FORMAT_H
#define SR_PROTOBUF_FORMAT_H

#include <stddef.h>

#include "../format.h"
#include "pb_model.h"

/* deps: the files of the references, deps-first; dep.name is the import path.
 * Imports of google/protobuf/NAME.proto, confluent/meta.proto and
 * confluent/type/decimal.proto resolve to bundled copies when no reference
 * provides them. Errors are 422/42201 with "line:column: message". */
pb_schema *pb_fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                        unsigned flags, sr_error *err);
char *pb_fmt_canonical(const pb_schema *schema);
char *pb_fmt_normalized(const pb_schema *schema);
char *pb_fmt_serialized(const pb_schema *schema); /* base64 of the FileDescriptorProto */
/* The canonical text without custom options (except confluent.*), extension
 * ranges and extend blocks (?format=ignore_extensions). */
char *pb_fmt_ignore_extensions(const pb_schema *schema);
void pb_fmt_schema_free(pb_schema *schema);

/* The bundled text of a well-known import path, or NULL. */
const char *pb_bundled_file(const char *path);

#endif
