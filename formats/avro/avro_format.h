/*
 * Avro: parse + validate schema text into the model of avro_model.h, print the
 * canonical text (as Avro-Java's Schema.toString() prints it, compat.md §2.6) and
 * the normalized text (Confluent's normalize=true form).
 *
 * Ownership: avro_fmt_parse returns an avro_schema the caller frees with
 * avro_fmt_schema_free; the printers return malloc'd strings.
 * Thread safety: no global state; any number of threads may parse at once.
 */
#ifndef SR_AVRO_FORMAT_H
#define SR_AVRO_FORMAT_H

#include <stddef.h>

#include "../format.h"
#include "avro_model.h"

/* deps: referenced schemas, deps-first (see format.h); their named types become
 * known names (from_reference = 1) that `text` may use. */
avro_schema *avro_fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                            unsigned flags, sr_error *err);
char *avro_fmt_canonical(const avro_schema *schema);
char *avro_fmt_normalized(const avro_schema *schema);
/* The canonical text with the types of referenced schemas written out in full
 * (format=resolved): a schema that stands alone. */
char *avro_fmt_resolved(const avro_schema *schema);
void avro_fmt_schema_free(avro_schema *schema);

#endif
