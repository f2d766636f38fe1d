/*
 * compat.c: levels, the choice of previous versions, and Confluent's message list.
 *
 * This mirrors Confluent's CompatibilityChecker + SchemaValidatorBuilder
 * (compat.md §1.2, §1.3, §1.6):
 *   - BACKWARD*: reader = candidate, writer = previous ("new"/"old" labels);
 *   - FORWARD*:  reader = previous,  writer = candidate ("old"/"new");
 *   - FULL*:     the forward check first, then the backward one, lists concatenated;
 *   - non-transitive levels look at the latest live version only; transitive ones
 *     walk newest -> oldest and stop at the first version with errors;
 *   - a previous version of another schema type fails with one fixed message and
 *     no format check (Confluent's validateLatest/validateAll do this before the
 *     strategy runs, so no oldSchema entries follow it).
 * After a failing half that "appends the schema" come {oldSchemaVersion: N} and
 * {oldSchema: '...'}; after the whole list, once, the {validateFields: ...} entry.
 * Confluent adds that last entry only when the list is non-empty, so a compatible
 * answer has no messages at all.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/strbuf.h"

/* Confluent's MAX_SCHEMA_SIZE_FOR_LOGGING, counted in Java chars (UTF-16 units). */
#define OLD_SCHEMA_MAX_UNITS (10 * 1024)

static const char DIFFERENT_SCHEMA_TYPE[] = "Incompatible because of different schema type";

static const char *const level_names[] = {
    [COMPAT_NONE] = "NONE",
    [COMPAT_BACKWARD] = "BACKWARD",
    [COMPAT_BACKWARD_TRANSITIVE] = "BACKWARD_TRANSITIVE",
    [COMPAT_FORWARD] = "FORWARD",
    [COMPAT_FORWARD_TRANSITIVE] = "FORWARD_TRANSITIVE",
    [COMPAT_FULL] = "FULL",
    [COMPAT_FULL_TRANSITIVE] = "FULL_TRANSITIVE",
};

#define N_LEVELS (sizeof level_names / sizeof level_names[0])

int compat_level_parse(const char *name, compat_level *out)
{
    if (!name) return -1;
    for (size_t i = 0; i < N_LEVELS; i++) {
        if (strcasecmp(name, level_names[i]) == 0) {
            *out = (compat_level)i;
            return 0;
        }
    }
    return -1;
}

const char *compat_level_name(compat_level level)
{
    if ((size_t)level >= N_LEVELS) return "UNKNOWN";
    return level_names[level];
}

/* --- issue lists ------------------------------------------------------------ */

void compat_issues_add(compat_issues *list, const char *type, const char *path,
                       const char *message)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->items = xrealloc(list->items, list->cap * sizeof *list->items);
    }
    compat_issue *it = &list->items[list->n++];
    it->type = xstrdup(type ? type : "");
    it->path = xstrdup(path ? path : "/");
    it->message = xstrdup(message ? message : "");
}

void compat_issues_free(compat_issues *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].type);
        free(list->items[i].path);
        free(list->items[i].message);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

/* --- checker lookup --------------------------------------------------------- */

compat_check_fn compat_checker_for(const sr_format *fmt)
{
    if (!fmt) return NULL;
    if (fmt == &avro_format || strcmp(fmt->type, "AVRO") == 0) return avro_compat_check;
    if (strcmp(fmt->type, "PROTOBUF") == 0) return protobuf_compat_check;
    if (strcmp(fmt->type, "JSON") == 0) return jsonschema_compat_check;
    return NULL;
}

/* --- message list ----------------------------------------------------------- */

typedef struct msg_list {
    char **items;
    size_t n, cap;
} msg_list;

static void msgs_push(msg_list *m, char *owned)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->items = xrealloc(m->items, m->cap * sizeof *m->items);
    }
    m->items[m->n++] = owned;
}

static void msgs_free(msg_list *m)
{
    for (size_t i = 0; i < m->n; i++) free(m->items[i]);
    free(m->items);
    m->items = NULL;
    m->n = m->cap = 0;
}

/* Byte length of the longest prefix of UTF-8 `s` that is at most `max_units`
 * UTF-16 code units long (Java's String.length()/substring count those).
 * *total gets the whole string's length in UTF-16 units. A 4-byte sequence is a
 * surrogate pair (2 units); we never cut one in half. */
static size_t utf16_prefix(const char *s, size_t max_units, size_t *total)
{
    size_t units = 0, cut = 0, i = 0;
    int cut_done = 0;
    while (s[i]) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        size_t u = len == 4 ? 2 : 1;
        for (size_t k = 1; k < len; k++)
            if (!s[i + k]) { len = k; break; } /* truncated sequence: stop at NUL */
        if (!cut_done && units + u > max_units) {
            cut = i;
            cut_done = 1;
        }
        units += u;
        i += len;
    }
    if (!cut_done) cut = i;
    *total = units;
    return cut;
}

static char *old_schema_entry(const char *canonical)
{
    strbuf sb = STRBUF_INIT;
    size_t total;
    size_t cut = utf16_prefix(canonical, OLD_SCHEMA_MAX_UNITS, &total);
    if (total <= OLD_SCHEMA_MAX_UNITS) {
        strbuf_printf(&sb, "{oldSchema: '%s'}", canonical);
    } else {
        strbuf_puts(&sb, "{oldSchema: <truncated> '");
        strbuf_add(&sb, canonical, cut);
        strbuf_puts(&sb, "...'}");
    }
    return strbuf_take(&sb);
}

/* A format's checker under a policy. */
typedef struct checker {
    compat_check_fn check;
    compat_type_ok_fn type_ok; /* NULL: every reported issue is an incompatibility */
    compat_policy policy;
} checker;

/* --- findings ---------------------------------------------------------------- */

static void findings_push(compat_findings *f, char *type, char *path, char *message,
                          const compat_prev *p, size_t index, compat_direction dir)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->items = xrealloc(f->items, f->cap * sizeof *f->items);
    }
    f->items[f->n++] = (compat_finding){type, path, message, p->version, index, dir};
}

void compat_findings_free(compat_findings *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].type);
        free(f->items[i].path);
        free(f->items[i].message);
    }
    free(f->items);
    f->items = NULL;
    f->n = f->cap = 0;
}

/* One direction of one comparison: run the checker and move every issue that
 * the policy does not call compatible into `out`. Returns how many it moved. */
static size_t run_half(const checker *c, const void *reader, const void *writer,
                       const char *rl, const char *wl, const compat_prev *p, size_t index,
                       compat_direction dir, compat_findings *out)
{
    compat_issues issues = {0};
    c->check(reader, writer, rl, wl, c->policy, &issues);
    size_t n = 0;
    for (size_t i = 0; i < issues.n; i++) {
        compat_issue *it = &issues.items[i];
        if (c->type_ok && c->type_ok(it->type, c->policy)) continue;
        findings_push(out, it->type, it->path, it->message, p, index, dir);
        it->type = it->path = it->message = NULL; /* moved */
        n++;
    }
    compat_issues_free(&issues);
    return n;
}

static int same_type(const sr_format *a, const sr_format *b)
{
    return a == b || (a && b && strcmp(a->type, b->type) == 0);
}

static int is_transitive(compat_level level)
{
    return level == COMPAT_BACKWARD_TRANSITIVE || level == COMPAT_FORWARD_TRANSITIVE ||
           level == COMPAT_FULL_TRANSITIVE;
}

static int is_full(compat_level level)
{
    return level == COMPAT_FULL || level == COMPAT_FULL_TRANSITIVE;
}

/* All findings for the candidate against prev[index] (none = compatible).
 * Returns -1 if a comparison is needed and the format has no checker. */
static int check_one(compat_level level, const checker *check, const sr_format *fmt,
                     const void *candidate, const compat_prev *prev, size_t index,
                     compat_findings *out)
{
    const compat_prev *p = &prev[index];
    if (!same_type(fmt, p->fmt)) {
        findings_push(out, xstrdup("DIFFERENT_SCHEMA_TYPE"), xstrdup(""),
                      xstrdup(DIFFERENT_SCHEMA_TYPE), p, index, COMPAT_DIR_NONE);
        return 0;
    }
    if (!check->check) return -1;
    switch (level) {
    case COMPAT_BACKWARD:
    case COMPAT_BACKWARD_TRANSITIVE:
        run_half(check, candidate, p->schema, "new", "old", p, index, COMPAT_DIR_BACKWARD, out);
        break;
    case COMPAT_FORWARD:
    case COMPAT_FORWARD_TRANSITIVE:
        run_half(check, p->schema, candidate, "old", "new", p, index, COMPAT_DIR_FORWARD, out);
        break;
    case COMPAT_FULL:
    case COMPAT_FULL_TRANSITIVE:
        run_half(check, p->schema, candidate, "old", "new", p, index, COMPAT_DIR_FORWARD, out);
        run_half(check, candidate, p->schema, "new", "old", p, index, COMPAT_DIR_BACKWARD, out);
        break;
    case COMPAT_NONE:
        break;
    }
    return 0;
}

int compat_check_findings(compat_level level, compat_policy policy, const sr_format *fmt,
                          const void *candidate, const compat_prev *prev, size_t n_prev,
                          compat_findings *out)
{
    memset(out, 0, sizeof *out);
    if (level == COMPAT_NONE || n_prev == 0) return 0;

    checker check = {compat_checker_for(fmt), compat_type_filter_for(fmt), policy};
    /* Newest first; a non-transitive level stops after the latest. */
    size_t last = is_transitive(level) ? 0 : n_prev - 1;
    for (size_t i = n_prev; i-- > last;) {
        if (check_one(level, &check, fmt, candidate, prev, i, out) < 0) {
            compat_findings_free(out);
            return -1;
        }
        if (out->n > 0) break;
    }
    return 0;
}

int compat_check(compat_level level, const sr_format *fmt, const void *candidate,
                 const compat_prev *prev, size_t n_prev, compat_result *out)
{
    return compat_check_policy(level, COMPAT_POLICY_STRICT, fmt, candidate, prev, n_prev, out);
}

int compat_policy_parse(const char *name, compat_policy *out)
{
    if (strcasecmp(name, "STRICT") == 0 || strcasecmp(name, "LOGICAL") == 0)
        *out = COMPAT_POLICY_STRICT;
    else if (strcasecmp(name, "LENIENT") == 0) *out = COMPAT_POLICY_LENIENT;
    else return -1;
    return 0;
}

compat_type_ok_fn compat_type_filter_for(const sr_format *fmt)
{
    if (fmt && strcmp(fmt->type, "JSON") == 0) return jsonschema_type_ok;
    return NULL; /* the other checkers report only incompatibilities */
}

int compat_check_policy(compat_level level, compat_policy policy, const sr_format *fmt,
                        const void *candidate, const compat_prev *prev, size_t n_prev,
                        compat_result *out)
{
    out->compatible = 1;
    out->messages = NULL;
    out->n_messages = 0;
    compat_findings f;
    if (compat_check_findings(level, policy, fmt, candidate, prev, n_prev, &f) < 0) return -1;

    /* Confluent's formatErrorMessages: after each half that found something come
     * the version and old schema entries, except after the forward half of a FULL
     * check and after a schema type mismatch. */
    msg_list msgs = {0};
    for (size_t i = 0; i < f.n; i++) {
        compat_finding *it = &f.items[i];
        msgs_push(&msgs, it->message);
        it->message = NULL; /* moved */
        int group_ends = i + 1 == f.n || f.items[i + 1].prev_index != it->prev_index ||
                         f.items[i + 1].direction != it->direction;
        if (!group_ends || it->direction == COMPAT_DIR_NONE ||
            (is_full(level) && it->direction == COMPAT_DIR_FORWARD))
            continue;
        const compat_prev *p = &prev[it->prev_index];
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "{oldSchemaVersion: %d}", p->version);
        msgs_push(&msgs, strbuf_take(&sb));
        msgs_push(&msgs, old_schema_entry(p->canonical ? p->canonical : ""));
    }
    compat_findings_free(&f);
    if (msgs.n > 0) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "{validateFields: 'false', compatibility: '%s'}",
                      compat_level_name(level));
        msgs_push(&msgs, strbuf_take(&sb));
        out->compatible = 0;
    }
    out->messages = msgs.items;
    out->n_messages = msgs.n;
    return 0;
}

void compat_result_free(compat_result *r)
{
    if (!r) return;
    msg_list m = {r->messages, r->n_messages, r->n_messages};
    msgs_free(&m);
    r->messages = NULL;
    r->n_messages = 0;
}
