/*
 * store: the registry's durable state behind one interface.
 *
 *   schemas   content (type, canonical text, references, metadata, ruleSet) with
 *             its global id. A row is never deleted, so an id is never reused and
 *             re-registering hard-deleted content gets its old id back.
 *   versions  (subject, version) -> schema id, with a soft-delete flag.
 *   refs      which (subject, version) each schema references.
 *   config    compatibility config as JSON text, global or per subject.
 *   mode      READWRITE / READONLY / IMPORT ..., global or per subject.
 *
 * A schema id is "visible" (GET /schemas/ids/{id}) while at least one version row,
 * live or soft-deleted, uses it.
 *
 * Threads: every thread gets its own connection (opened lazily). Reads need no
 * lock. Writes go through store_write_begin/commit/rollback, which take the
 * store's write mutex and a BEGIN IMMEDIATE transaction, so a whole
 * read-check-insert sequence (registration) is serialized.
 *
 * Returns: functions returning int give 1 = found, 0 = not found, -1 = error
 * (err filled with 500/50001, or 50002 when the database stayed busy).
 * Returned strings and arrays are malloc'd and owned by the caller; free the
 * structs with the matching *_free function.
 */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <stddef.h>

#include "../common/sr_error.h"

typedef struct store store;

typedef struct store_ref {
    char *name;
    char *subject;
    int version;
} store_ref;

typedef struct store_schema {
    long long id;
    char *type;     /* "AVRO", ... */
    char *text;     /* canonical text */
    char *metadata; /* JSON text or NULL */
    char *ruleset;  /* JSON text or NULL */
    store_ref *refs;
    size_t n_refs;
} store_schema;

typedef struct store_version {
    char *subject;
    int version;
    long long id;
    int deleted;
} store_version;

typedef struct store_versions {
    store_version *items;
    size_t n;
} store_versions;

typedef struct store_strings {
    char **items;
    size_t n;
} store_strings;

typedef struct store_ids {
    long long *items;
    size_t n;
} store_ids;

/* Open (creating or migrating) the database at path. NULL with err on failure. */
store *store_open(const char *path, sr_error *err);
/* Open an existing database read-only (SQLITE_OPEN_READONLY): no migration, no
 * pragmas, no writes (write functions fail). NULL with err if the file is missing,
 * is not a schemareg database, or has a newer schema version. */
store *store_open_readonly(const char *path, sr_error *err);
void store_close(store *st);

/* --- schemas ------------------------------------------------------------- */

/* Identity of content: SHA-256 over type, text, references, metadata, ruleSet. */
void store_schema_hash(const store_schema *s, unsigned char out[32]);

/* Schema by id if visible. */
int store_schema_get(store *st, long long id, store_schema *out, sr_error *err);
/* Schema row by id whether visible or not (IMPORT conflict checks). */
int store_schema_get_any(store *st, long long id, store_schema *out, sr_error *err);
/* Lowest id with this content hash, visible or not. */
int store_schema_find(store *st, const unsigned char hash[32], long long *id, sr_error *err);
/* Insert content under id (> 0). norm_hash: the hash of the normalized form,
 * which makes equivalent schemas findable (store_find_equivalent). */
int store_schema_insert(store *st, long long id, const unsigned char hash[32],
                        const unsigned char norm_hash[32], const store_schema *s,
                        sr_error *err);
/* Largest id ever stored (0 if none). */
int store_max_id(store *st, long long *out, sr_error *err);
void store_schema_free(store_schema *s);

/* Subject versions using id, ordered by subject then version. */
int store_id_versions(store *st, long long id, int include_deleted, store_versions *out,
                      sr_error *err);

/* --- versions ------------------------------------------------------------ */

/* All version rows of a subject (live and soft-deleted), ascending. */
int store_subject_versions(store *st, const char *subject, store_versions *out, sr_error *err);
/* One version row: `version` >= 1, or -1 for the highest live version.
 * Soft-deleted rows are found by number (the caller checks `deleted`). */
int store_subject_version(store *st, const char *subject, int version, store_version *out,
                          sr_error *err);
/* Subjects in ascending order. mode: 0 = with a live version, 1 = any row,
 * 2 = only those whose every row is soft-deleted. prefix may be NULL. */
int store_subjects(store *st, const char *prefix, int mode, store_strings *out, sr_error *err);
/* Every version row of every subject (prefix may be NULL), by subject, version. */
int store_all_versions(store *st, const char *prefix, store_versions *out, sr_error *err);
/* The newest version of `subject` holding content equivalent to the candidate:
 * same normalized hash, preferring the same exact hash (live only unless
 * include_deleted). */
int store_find_equivalent(store *st, const char *subject, const unsigned char hash[32],
                          const unsigned char norm_hash[32], int include_deleted,
                          store_version *out, sr_error *err);

/* Writes; call inside store_write_begin/commit. */
int store_version_insert(store *st, const char *subject, int version, long long id,
                         sr_error *err);
int store_version_set_deleted(store *st, const char *subject, int version, sr_error *err);
int store_version_remove(store *st, const char *subject, int version, sr_error *err);

/* Ids of schemas that reference subject/version. Referrers count only while
 * they have a live version, or any version row when include_deleted. */
int store_referenced_by(store *st, const char *subject, int version, int include_deleted,
                        store_ids *out, sr_error *err);

void store_version_free(store_version *v);
void store_versions_free(store_versions *v);
void store_strings_free(store_strings *s);
void store_ids_free(store_ids *ids);

/* --- config and mode ----------------------------------------------------- */
/* subject NULL = global scope. Config is stored as JSON text. */
int store_config_get(store *st, const char *subject, char **json, sr_error *err);
int store_config_set(store *st, const char *subject, const char *json, sr_error *err);
int store_config_delete(store *st, const char *subject, sr_error *err);
int store_mode_get(store *st, const char *subject, char **mode, sr_error *err);
int store_mode_set(store *st, const char *subject, const char *mode, sr_error *err);
int store_mode_delete(store *st, const char *subject, sr_error *err);

/* --- transactions -------------------------------------------------------- */

/* A counter that moves on every committed write of this process: an answer
 * computed at generation g is still right while the generation is g. */
unsigned long long store_generation(store *st);
/* The same, moving only on commits that removed version rows (permanent
 * deletes): a schema served by id stays right while it has not moved. */
unsigned long long store_removal_generation(store *st);
int store_write_begin(store *st, sr_error *err);
int store_write_commit(store *st, sr_error *err);
void store_write_rollback(store *st);

#endif
