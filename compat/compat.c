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

/* One direction of one comparison: run the checker, move its messages into
 * `out`, and if it found anything and `append_schema` is set, add the version
 * and old schema entries (Confluent's formatErrorMessages). Returns the number
 * of checker messages. */
static size_t run_half(compat_check_fn check, const void *reader, const void *writer,
                       const char *rl, const char *wl, const compat_prev *p,
                       int append_schema, msg_list *out)
{
    compat_issues issues = {0};
    check(reader, writer, rl, wl, &issues);
    size_t n = issues.n;
    for (size_t i = 0; i < issues.n; i++) {
        msgs_push(out, issues.items[i].message);
        issues.items[i].message = NULL; /* moved */
    }
    compat_issues_free(&issues);
    if (n > 0 && append_schema) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "{oldSchemaVersion: %d}", p->version);
        msgs_push(out, strbuf_take(&sb));
        msgs_push(out, old_schema_entry(p->canonical ? p->canonical : ""));
    }
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

/* All messages for the candidate against one previous version (empty = ok).
 * Returns -1 if a comparison is needed and the format has no checker. */
static int check_one(compat_level level, compat_check_fn check, const sr_format *fmt,
                     const void *candidate, const compat_prev *p, msg_list *out)
{
    if (!same_type(fmt, p->fmt)) {
        msgs_push(out, xstrdup(DIFFERENT_SCHEMA_TYPE));
        return 0;
    }
    if (!check) return -1;
    switch (level) {
    case COMPAT_BACKWARD:
    case COMPAT_BACKWARD_TRANSITIVE:
        run_half(check, candidate, p->schema, "new", "old", p, 1, out);
        break;
    case COMPAT_FORWARD:
    case COMPAT_FORWARD_TRANSITIVE:
        run_half(check, p->schema, candidate, "old", "new", p, 1, out);
        break;
    case COMPAT_FULL:
    case COMPAT_FULL_TRANSITIVE:
        run_half(check, p->schema, candidate, "old", "new", p, 0, out);
        run_half(check, candidate, p->schema, "new", "old", p, 1, out);
        break;
    case COMPAT_NONE:
        break;
    }
    return 0;
}

int compat_check(compat_level level, const sr_format *fmt, const void *candidate,
                 const compat_prev *prev, size_t n_prev, compat_result *out)
{
    out->compatible = 1;
    out->messages = NULL;
    out->n_messages = 0;
    if (level == COMPAT_NONE || n_prev == 0) return 0;

    compat_check_fn check = compat_checker_for(fmt);
    msg_list msgs = {0};
    /* Newest first; a non-transitive level stops after the latest. */
    size_t last = is_transitive(level) ? 0 : n_prev - 1;
    for (size_t i = n_prev; i-- > last;) {
        if (check_one(level, check, fmt, candidate, &prev[i], &msgs) < 0) {
            msgs_free(&msgs);
            return -1;
        }
        if (msgs.n > 0) break;
    }
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
