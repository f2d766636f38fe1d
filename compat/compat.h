/*
 * compat: the compatibility verdict.
 *
 * compat_check() turns a level (BACKWARD, FORWARD, FULL, their *_TRANSITIVE forms,
 * NONE) and a subject's live history into reader/writer comparisons, runs the
 * format's checker on each, and builds Confluent's message list (compat.md §1.2,
 * §1.3, §1.6). Checkers (one per format, e.g. avro_compat.c) answer one question:
 * can `reader` read data written with `writer`? They append one issue per
 * incompatibility found, never stopping at the first.
 *
 * Ownership: compat_issues and compat_result own their strings; free them with
 * compat_issues_free / compat_result_free.
 */
#ifndef SR_COMPAT_H
#define SR_COMPAT_H

#include <stddef.h>

#include "../formats/format.h"

typedef enum compat_level {
    COMPAT_NONE,
    COMPAT_BACKWARD,
    COMPAT_BACKWARD_TRANSITIVE,
    COMPAT_FORWARD,
    COMPAT_FORWARD_TRANSITIVE,
    COMPAT_FULL,
    COMPAT_FULL_TRANSITIVE,
} compat_level;

/* Case-insensitive; returns 0 and sets *out, or -1 for an unknown name. */
int compat_level_parse(const char *name, compat_level *out);
const char *compat_level_name(compat_level level); /* upper case */

typedef struct compat_issue {
    char *type;    /* stable type name, e.g. "READER_FIELD_MISSING_DEFAULT_VALUE" */
    char *path;    /* location inside the schema, e.g. "/fields/1/type" */
    char *message; /* Confluent's one-line rendering, e.g.
                      {errorType:'TYPE_MISMATCH', description:'...', additionalInfo:'...'} */
} compat_issue;

typedef struct compat_issues {
    compat_issue *items;
    size_t n, cap;
} compat_issues;

void compat_issues_add(compat_issues *list, const char *type, const char *path,
                       const char *message);
void compat_issues_free(compat_issues *list);

/* Compatibility policies (config `compatibilityPolicy`): which difference types
 * count as compatible. They matter for checkers that report every difference
 * (JSON Schema); checkers that report only incompatibilities ignore them.
 * compat_check() uses STRICT. */
typedef enum compat_policy {
    COMPAT_POLICY_STRICT,
    COMPAT_POLICY_LENIENT,
} compat_policy;

/* "STRICT", "LENIENT" (any case); "LOGICAL" is accepted as STRICT. -1 if unknown. */
int compat_policy_parse(const char *name, compat_policy *out);

/* Can `reader` read what `writer` wrote? reader_label / writer_label are the words
 * the descriptions use for the two schemas: "new"/"old" when checking backward,
 * "old"/"new" when checking forward. Both schemas come from the same format.
 * The policy only matters to checkers whose verdicts inside the diff depend on
 * it (JSON Schema: which union branch matches, covered or not, ...). */
typedef void (*compat_check_fn)(const void *reader, const void *writer,
                                const char *reader_label, const char *writer_label,
                                compat_policy policy, compat_issues *out);

/* The checker for a format, or NULL if the format has none yet. */
compat_check_fn compat_checker_for(const sr_format *fmt);

/* One previous live version to compare against. */
typedef struct compat_prev {
    const sr_format *fmt;
    const void *schema;    /* parsed with fmt */
    int version;
    const char *canonical; /* its stored text, quoted in messages */
} compat_prev;

typedef struct compat_result {
    int compatible;
    char **messages; /* Confluent's details list, in order */
    size_t n_messages;
} compat_result;

/* Check `candidate` against `prev` (ascending by version, live versions only) at
 * `level`. Non-transitive levels use only the last entry. Returns 0 and fills
 * *out (free with compat_result_free); returns -1 (nothing to free) only if a
 * same-type comparison is needed and compat_checker_for(fmt) is NULL. */
int compat_check(compat_level level, const sr_format *fmt, const void *candidate,
                 const compat_prev *prev, size_t n_prev, compat_result *out);

void compat_result_free(compat_result *r);

/* For a checker that reports every difference: is a difference of this type
 * compatible under the policy? */
typedef int (*compat_type_ok_fn)(const char *type, compat_policy policy);

/* The type filter of a format, or NULL if its checker reports only
 * incompatibilities. */
compat_type_ok_fn compat_type_filter_for(const sr_format *fmt);

/* compat_check under an explicit policy. */
int compat_check_policy(compat_level level, compat_policy policy, const sr_format *fmt,
                        const void *candidate, const compat_prev *prev, size_t n_prev,
                        compat_result *out);

/* Which way a finding was checked. */
typedef enum compat_direction {
    COMPAT_DIR_BACKWARD, /* the candidate (reader) reads the previous schema (writer) */
    COMPAT_DIR_FORWARD,  /* the previous schema (reader) reads the candidate (writer) */
    COMPAT_DIR_NONE,     /* no comparison: the schema types differ */
} compat_direction;

/* One incompatibility, as structured data (the CLI's `check` reports these). */
typedef struct compat_finding {
    char *type;    /* the checker's type name, or "DIFFERENT_SCHEMA_TYPE" */
    char *path;    /* location inside the reader schema of the comparison ("" if none) */
    char *message; /* the checker's message (Confluent's rendering) */
    int version;   /* prev[prev_index].version */
    size_t prev_index;
    compat_direction direction;
} compat_finding;

typedef struct compat_findings {
    compat_finding *items;
    size_t n, cap;
} compat_findings;

/* The findings behind compat_check_policy's verdict (compatible iff out->n == 0),
 * in the order its messages list them: previous versions newest first, stopping
 * at the first one with findings; for FULL levels the forward half first.
 * Returns 0 and fills *out (free with compat_findings_free); -1 (nothing to
 * free) when a same-type comparison is needed and the format has no checker. */
int compat_check_findings(compat_level level, compat_policy policy, const sr_format *fmt,
                          const void *candidate, const compat_prev *prev, size_t n_prev,
                          compat_findings *out);
void compat_findings_free(compat_findings *f);

/* The checker for Avro (compat/avro_compat.c). */
void avro_compat_check(const void *reader, const void *writer, const char *reader_label,
                       const char *writer_label, compat_policy policy,
                       compat_issues *out);

/* The checker for Protobuf (compat/protobuf_compat.c): Confluent's diff with
 * original = writer, update = reader; one issue per incompatible difference. */
void protobuf_compat_check(const void *reader, const void *writer, const char *reader_label,
                           const char *writer_label, compat_policy policy,
                           compat_issues *out);

/* The checker for JSON Schema (compat/jsonschema_compat.c): Confluent's diff with
 * original = writer, update = reader; one issue per difference, compatible ones
 * included (judged under STRICT inside the diff). */
void jsonschema_compat_check(const void *reader, const void *writer, const char *reader_label,
                             const char *writer_label, compat_policy policy,
                             compat_issues *out);

/* Is a JSON Schema difference type compatible under the policy (Confluent's
 * COMPATIBLE_CHANGES_STRICT, plus the LENIENT additions)? */
int jsonschema_type_ok(const char *type, compat_policy policy);

#endif
