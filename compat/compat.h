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

/* Can `reader` read what `writer` wrote? reader_label / writer_label are the words
 * the descriptions use for the two schemas: "new"/"old" when checking backward,
 * "old"/"new" when checking forward. Both schemas come from the same format. */
typedef void (*compat_check_fn)(const void *reader, const void *writer,
                                const char *reader_label, const char *writer_label,
                                compat_issues *out);

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

/* The checker for Avro (compat/avro_compat.c). */
void avro_compat_check(const void *reader, const void *writer, const char *reader_label,
                       const char *writer_label, compat_issues *out);

#endif
