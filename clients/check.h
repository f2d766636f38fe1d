/*
 * check: `schemareg check`, the offline compatibility check for CI (cli.md
 * "schemareg check"). Private to clients/check*.c, baseline.c, locate.c, report.c.
 *
 *   check.c          the command: options, one pass over the config's entries,
 *                    the exit code
 *   check_config.c   the checked-in config file (schemareg.json) and single-file mode
 *   check_refs.c     references resolved from local files (or a git commit, or a
 *                    baseline directory), deps-first as format.h wants them
 *   baseline.c       what the new schemas are compared against: a git ref, a
 *                    directory, a file, a registry URL (read-only REST) or a
 *                    registry's SQLite file
 *   locate.c         line:col of a finding's path in the new file
 *   check_suppress.c the allow-list (config) and the baseline file of accepted
 *                    violations
 *   report.c         text, json, github-actions, junit, sarif and markdown output
 *
 * Every comparison runs compat_check_findings(), the engine behind the server's
 * compat_check_policy(), so a file passes here exactly when the registry would
 * accept it at the same level.
 *
 * Ownership: every struct owns its strings; free with the matching *_free.
 */
#ifndef SR_CHECK_H
#define SR_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "../compat/compat.h"
#include "../formats/format.h"

#define CHECK_TOOL_NAME "schemareg"
#define CHECK_TOOL_VERSION "0.1.0"

/* Rule ids of our own, for what is not a compatibility difference. The others are
 * the checkers' type names (Confluent's). */
#define RULE_SCHEMA_PARSE_ERROR "SCHEMA_PARSE_ERROR"
#define RULE_REFERENCE_NOT_FOUND "REFERENCE_NOT_FOUND"
#define RULE_FILE_NOT_FOUND "FILE_NOT_FOUND"
#define RULE_BASELINE_PARSE_ERROR "BASELINE_PARSE_ERROR"
#define RULE_UNSUPPORTED_TYPE "UNSUPPORTED_SCHEMA_TYPE"
#define RULE_DIFFERENT_SCHEMA_TYPE "DIFFERENT_SCHEMA_TYPE"

/* --- config (check_config.c) ------------------------------------------------- */

typedef struct check_ref {
    char *name;    /* Avro: full type name; Protobuf: import path; JSON: $ref URI */
    char *subject; /* where it is registered: given, else the entry of `file`, else name */
    char *file;    /* relative to the config's directory, normalized */
} check_ref;

typedef struct check_entry {
    char *subject;
    char *file;  /* as in the config, relative to its directory, normalized */
    char *path;  /* the file to open and to report: the config's directory + file */
    char *type;  /* "AVRO", "PROTOBUF" or "JSON" */
    compat_level level;
    compat_policy policy;
    check_ref *refs;
    size_t n_refs;
} check_entry;

typedef struct check_allow {
    char *rule;
    char *subject;
    char *path;   /* NULL: any path */
    char *reason;
    char expires[11]; /* YYYY-MM-DD: suppresses through that day */
    int expired;      /* today is after `expires` */
    size_t used;      /* violations it suppressed in this run */
    size_t index;     /* position in the config's "allow" list */
} check_allow;

typedef struct check_config {
    char *source;  /* the config file as given; NULL in single-file mode */
    char *dir;     /* directory the entries' files are relative to ("." or a path) */
    char *against; /* the config's default baseline, or NULL */
    check_entry *entries; /* sorted by path, then subject */
    size_t n_entries;
    check_allow *allow;
    size_t n_allow;
} check_config;

/* Read and validate the config file (strictly: unknown keys and wrong types are
 * errors naming the key path). today: "YYYY-MM-DD", for allow-list expiry.
 * Returns CLI_OK, or CLI_USAGE with the message printed on stderr. */
int check_config_load(const char *path, const char *today, check_config *out);

/* The config of single-file mode. type/level/policy/subject may be NULL
 * (defaults: from the extension, BACKWARD, STRICT, the file name); refs are
 * NAME=FILE strings. Returns CLI_OK or CLI_USAGE (message printed). */
int check_config_single(const char *file, const char *type, const char *level,
                        const char *policy, const char *subject, char *const *refs,
                        size_t n_refs, check_config *out);

void check_config_free(check_config *c);

/* The entry for a (normalized) file, or NULL. */
const check_entry *check_config_entry_for_file(const check_config *c, const char *file);

/* dir + "/" + file, or file alone when dir is "." or file is absolute. malloc'd. */
char *check_path_join(const char *dir, const char *file);

/* Lexically normalized relative path ("./a//b/../c" -> "a/c"). malloc'd. */
char *check_path_normalize(const char *path);

/* --- references (check_refs.c) ----------------------------------------------- */

/* Dependencies in format.h's order, with the strings they point at. */
typedef struct dep_list {
    sr_dep *items;
    size_t n;
    char **owned;
    size_t n_owned;
} dep_list;

void dep_list_add(dep_list *d, const char *name, const char *subject, int version,
                  char *text /* taken */);
void dep_list_free(dep_list *d);

/* Reads `file` (relative to the config's directory) from some tree: the working
 * copy, a git commit, a baseline directory. NULL if it is not there. */
typedef char *(*check_reader)(void *ctx, const char *file);

/* The working copy. ctx: the check_config. */
char *check_read_local(void *ctx, const char *file);

/* Resolve e's references through `rd`, transitively (a referenced file's own
 * references come from its config entry when it has one), deps-first,
 * deduplicated. Every dep gets `version`. Returns 0, or -1 with a message in err
 * (a file that cannot be read, a cycle, too many or too deep references). */
int check_refs_resolve(const check_config *cfg, const check_entry *e, check_reader rd,
                       void *ctx, int version, dep_list *out, char *err, size_t errlen);

/* --- baselines (baseline.c) ---------------------------------------------------- */

typedef struct bl_version {
    int version;  /* git: 1 = the first commit with the file; registries: the version */
    char *label;  /* git: the short commit id; NULL otherwise */
    char *type;   /* its schema type ("AVRO", ...) */
    char *text;
    dep_list deps;
    char *error;  /* its references do not resolve in the baseline: why */
} bl_version;

typedef struct bl_versions {
    bl_version *items; /* ascending by version */
    size_t n;
} bl_versions;

void bl_versions_free(bl_versions *v);

typedef struct baseline baseline;

/* Open a baseline:
 *   git:REF | .git#ref=REF | .git#branch=B | .git#tag=T   a git ref (read from objects)
 *   dir:PATH, or an existing directory                    same relative paths under it
 *   file:PATH, or an existing regular file                 single-file mode only
 *   http://... | https://...                              a registry (read-only REST)
 *   sqlite:PATH, or a file starting with the SQLite header a registry's database file
 * user: basic-auth credentials for a registry, or NULL. Returns CLI_OK, CLI_USAGE
 * (bad syntax) or CLI_UNAVAILABLE, with the message printed on stderr. */
int baseline_open(const char *spec, const check_config *cfg, const char *user,
                  baseline **out);
/* Is it a registry (URL or SQLite file), whose subjects must be real ones? */
int baseline_is_registry(const baseline *b);
/* How reports name it: "git:main (1a2b3c4)", "dir:old", "http://host:8081", ... */
const char *baseline_describe(const baseline *b);
/* The versions of e's file/subject the check compares against: every earlier
 * version when all_versions, else the latest only; none when it is new. Returns
 * CLI_OK, or CLI_UNAVAILABLE with a message in err. */
int baseline_fetch(baseline *b, const check_config *cfg, const check_entry *e,
                   int all_versions, bl_versions *out, char *err, size_t errlen);
void baseline_close(baseline *b);

/* --- results ----------------------------------------------------------------------- */

typedef enum check_item_kind {
    ITEM_VIOLATION, /* an incompatibility (exit 1, or --violations-exit-code) */
    ITEM_ERROR,     /* a schema does not parse, a reference does not resolve (exit 2) */
} check_item_kind;

typedef enum check_supp {
    SUPP_NONE,
    SUPP_ALLOW,    /* an active allow-list entry */
    SUPP_BASELINE, /* the baseline file of accepted violations */
} check_supp;

typedef struct check_item {
    check_item_kind kind;
    char *rule;
    char *message;
    char *path;  /* inside the schema ("" when none) */
    const check_entry *entry;
    int line, col;
    int against_version; /* 0: not a comparison with a version */
    char *against_label; /* git: the short commit; NULL otherwise */
    compat_direction direction;
    int suppressible; /* errors in the new schema itself are not */
    check_supp suppressed;
    const check_allow *allow; /* SUPP_ALLOW */
} check_item;

typedef enum check_status {
    STATUS_COMPATIBLE,
    STATUS_INCOMPATIBLE,
    STATUS_NEW,   /* nothing in the baseline to compare with */
    STATUS_ERROR,
} check_status;

typedef struct check_outcome {
    const check_entry *entry;
    check_status status;
    int *versions; /* the baseline versions the level compares against */
    size_t n_versions;
    char **labels; /* their labels (git: short commit ids), NULL entries otherwise */
    size_t n_violations, n_errors, n_suppressed; /* unsuppressed counts, then suppressed */
} check_outcome;

typedef struct check_run {
    const check_config *cfg;
    const char *against; /* the baseline as described by baseline_describe */
    check_outcome *outcomes; /* one per entry, in the config's (sorted) order */
    size_t n_outcomes;
    check_item *items; /* sorted: file, subject, line, col, rule, ... */
    size_t n_items, cap_items;
    size_t n_compatible, n_incompatible, n_new, n_failed; /* outcomes by status */
    size_t n_violations, n_errors, n_suppressed;           /* items */
    int exit_code;
} check_run;

/* Append an item; strings are copied. Returns it for the caller to complete. */
check_item *check_run_add(check_run *run, check_item_kind kind, const check_entry *e,
                          const char *rule, const char *message, const char *path);
void check_run_free(check_run *run);

/* --- locations (locate.c) ---------------------------------------------------------- */

typedef struct check_pos {
    int line, col;
} check_pos;

/* Where `path` (a finding's path) is in the new file. parsed: the new schema as
 * the format parsed it (Protobuf positions come from its model); old_text: the
 * schema compared against (forward findings name its paths), may be NULL. Falls
 * back to the nearest enclosing declaration, then 1:1. */
check_pos locate_path(const char *type, const char *new_text, const void *parsed,
                      const char *old_text, const char *path, compat_direction dir);

/* Where a parse error is: a "line:col" the message names, else the first JSON
 * syntax error in text (Avro, JSON), else 1:1. */
check_pos locate_error(const char *type, const char *text, const char *message);

/* Where `needle` first occurs in text (1:1 if nowhere). */
check_pos locate_text(const char *text, const char *needle);

/* The human part of a checker message ({errorType:'X', description:'...'} ->
 * "..."); a copy of message when it has no such part. malloc'd. */
char *locate_description(const char *message);

/* --- suppressions (check_suppress.c) --------------------------------------------- */

typedef struct accepted {
    char *rule, *subject, *path;
} accepted;

typedef struct accepted_set {
    accepted *items;
    size_t n;
} accepted_set;

/* Read a baseline file written by --write-baseline. CLI_OK, or CLI_USAGE with the
 * message printed. */
int suppress_read_baseline(const char *path, accepted_set *out);
void accepted_set_free(accepted_set *s);
/* Mark items suppressed by active allow-list entries, then by `accepted`. */
void suppress_apply(check_run *run, const check_config *cfg, const accepted_set *accepted);
/* Write every violation not suppressed by the allow-list. CLI_OK or CLI_INPUT. */
int suppress_write_baseline(const char *path, const check_run *run);

/* --- reports (report.c) ------------------------------------------------------------ */

typedef enum report_format {
    REPORT_TEXT,
    REPORT_JSON,
    REPORT_GITHUB,
    REPORT_JUNIT,
    REPORT_SARIF,
    REPORT_MARKDOWN,
} report_format;

/* "text", "json", "github-actions", "junit", "sarif", "markdown"; -1 if unknown. */
int report_format_parse(const char *name, report_format *out);
void report_write(FILE *out, report_format fmt, const check_run *run);

#endif
