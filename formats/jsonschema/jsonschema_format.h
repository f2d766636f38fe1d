/*
 * JSON Schema: parse and validate a schema for its draft (4, 6, 7, 2019-09,
 * 2020-12, chosen by $schema), resolve $ref (JSON pointers, $id URIs, $anchor,
 * $dynamicRef, references to other subjects), build the model of js_model.h,
 * and print the canonical (compact) and normalized (sorted) text.
 *
 * Ownership: js_fmt_parse returns a js_schema the caller frees with
 * js_fmt_schema_free; printers return malloc'd strings. No global state.
 */
#ifndef SR_JSONSCHEMA_FORMAT_H
#define SR_JSONSCHEMA_FORMAT_H

#include <stddef.h>

#include "../format.h"
#include "js_model.h"

/* deps: referenced schemas, deps-first; dep.name is the $ref URI or file name
 * the schema uses for it. Errors are 422/42201 naming the JSON pointer. */
js_schema *js_fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                        unsigned flags, sr_error *err);
char *js_fmt_canonical(const js_schema *schema);
char *js_fmt_normalized(const js_schema *schema);
void js_fmt_schema_free(js_schema *schema);

#endif
