/*
 * views: the JSON entities of api.md §4 built from store rows, and the parsing of
 * path parameters shared by several handlers. Returned json_t are new references.
 */
#ifndef SR_VIEWS_H
#define SR_VIEWS_H

#include <jansson.h>

#include "../store/store.h"

/* SchemaString: {"schema", "schemaType" (not for AVRO), "references", "metadata", "ruleSet"} */
json_t *view_schema_string(const store_schema *s);
/* Schema: {"subject","version","id","schemaType","references","metadata","ruleSet","schema"} */
json_t *view_subject_version(const char *subject, int version, const store_schema *s);

/* {version}: "latest" (any case) or -1 -> -1, else 1..2^31-1; otherwise 42202. */
int view_parse_version(const char *s, int *out, sr_error *err);
/* {id}: a positive integer; otherwise 404/404 like an unknown path. */
int view_parse_id(const char *s, long long *out, sr_error *err);

/* The subject as stored: ":.:name" (the default context spelled out) is "name". */
const char *view_subject(const char *raw);

/* The scope of /config/{s} and /mode/{s}: the subject, or NULL for the global
 * scope (no subject segment, or ":.:", the default context spelled out). */
struct http_request;
const char *view_scope(const struct http_request *req);

/* Apply offset/limit (limit <= 0 = all) to a JSON array in place. */
void view_paginate(json_t *array, long long offset, long long limit);

#endif
