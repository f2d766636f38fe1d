/*
 * registry: the operations that parse schemas — register, look up, test
 * compatibility — plus the config and mode resolution they depend on
 * (subject scope, then global, then the server default).
 *
 * Handlers read HTTP; this file holds the rules of api.md §3.13 and §6 in the
 * order Confluent applies them, so the error a client sees for a request that is
 * wrong in several ways is the one Confluent would give.
 */
#ifndef SR_REGISTRY_H
#define SR_REGISTRY_H

#include <jansson.h>

#include "../compat/compat.h"
#include "server.h"

/* A RegisterSchemaRequest body (api.md §4.3). */
typedef struct schema_request {
    const sr_format *fmt;
    char *schema; /* as sent; NULL when absent */
    store_ref *refs;
    size_t n_refs;
    char *metadata; /* compact JSON text, NULL when absent */
    char *ruleset;
    int has_id;
    long long id;
    int has_version;
    int version;
} schema_request;

/* Read the body: 400 for JSON of the wrong type, 42201 for an unknown
 * schemaType or an incomplete reference. */
int registry_read_request(json_t *body, schema_request *out, sr_error *err);
void schema_request_free(schema_request *r);

/* A schema parsed, with references resolved, and its stored form. */
typedef struct prepared_schema {
    const sr_format *fmt;
    void *parsed;
    store_schema content; /* type, text, refs (versions made concrete), metadata, ruleset */
    unsigned char hash[32];      /* identity of content */
    unsigned char norm_hash[32]; /* identity of its normalized form: equivalence */
} prepared_schema;

enum { PREPARE_NORMALIZE = 1, PREPARE_LENIENT = 2 };

int registry_prepare(server *srv, const schema_request *req, unsigned flags,
                     prepared_schema *out, sr_error *err);

/* Read a request body and prepare its schema for a lookup or a compatibility
 * test under `subject`: normalized when the query asks (normalize) or the
 * subject's config says so. */
int registry_prepare_body(server *srv, const char *subject, json_t *body, int normalize,
                          prepared_schema *out, sr_error *err);

/* The newest version of subject holding content equivalent to p (exact match
 * preferred); 1 found, 0 not, -1 error. */
int registry_find_version(server *srv, const char *subject, const prepared_schema *p,
                          int include_deleted, store_version *out, sr_error *err);
void prepared_schema_free(prepared_schema *p);

/* Parse a stored schema (with its references) for comparisons. */
int registry_load(server *srv, const store_schema *s, prepared_schema *out, sr_error *err);

/* Replace s->text by the rendering `format` asks for (?format=), if the
 * schema's format has one of that name; otherwise leave it. */
int registry_render(server *srv, store_schema *s, const char *format, sr_error *err);

/* POST /subjects/{s}/versions. normalize: the query flag. */
int registry_register(server *srv, const char *subject, const schema_request *req, int normalize,
                      long long *id_out, sr_error *err);

/* Check `p` against the subject's live versions as registration would
 * (version 0), or against one version (latest = -1). Returns 0 and fills out;
 * a missing explicit version gives 40402. */
int registry_check(server *srv, const char *subject, const prepared_schema *p, int version,
                   compat_result *out, sr_error *err);

/* Effective settings for a subject (NULL = global). */
int registry_level(server *srv, const char *subject, compat_level *out, sr_error *err);
int registry_mode(server *srv, const char *subject, char *mode, size_t len, sr_error *err);
int registry_normalize(server *srv, const char *subject, int *out, sr_error *err);

/* 42208 unless the subject is acceptable for registration. */
int registry_valid_subject(const char *subject, sr_error *err);

/* Is the subject or global scope READONLY? Fills 42205 if so. */
int registry_check_writable(server *srv, const char *subject, sr_error *err);

#endif
