/*
 * Reports of `schemareg check`, one function per --format:
 *
 *   text            file:line:col: RULE: message [subject, LEVEL, against vN]
 *   json            one document: summary, subjects, violations, suppressed, allow-list
 *   github-actions  ::error file=...,line=...,col=...,title=RULE::message
 *   junit           a testsuite per file, a testcase per subject, a failure per violation
 *   sarif           SARIF 2.1.0 (GitHub code scanning), suppressed results included
 *                   with their `suppressions`
 *   markdown        a table for a pull-request comment or a job summary
 *
 * Items arrive sorted (file, subject, line, col, rule, ...); every format lists the
 * unsuppressed ones first, then the suppressed ones, so two runs diff cleanly.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "check.h"

int report_format_parse(const char *name, report_format *out)
{
    static const struct {
        const char *name;
        report_format fmt;
    } names[] = {{"text", REPORT_TEXT},   {"json", REPORT_JSON},
                 {"github-actions", REPORT_GITHUB}, {"junit", REPORT_JUNIT},
                 {"sarif", REPORT_SARIF}, {"markdown", REPORT_MARKDOWN}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) {
            *out = names[i].fmt;
            return 0;
        }
    return -1;
}

/* --- shared pieces ------------------------------------------------------------------ */

static const char *status_name(check_status s)
{
    switch (s) {
    case STATUS_COMPATIBLE: return "compatible";
    case STATUS_INCOMPATIBLE: return "incompatible";
    case STATUS_NEW: return "new";
    case STATUS_ERROR: return "error";
    }
    return "?";
}

static const char *level_of(const check_item *it)
{
    return compat_level_name(it->entry->level);
}

/* "[subject, LEVEL, against v2 (1a2b3c4)]" */
static void context(strbuf *sb, const check_item *it)
{
    strbuf_printf(sb, "[%s, %s", it->entry->subject, level_of(it));
    if (it->against_version > 0) {
        strbuf_printf(sb, ", against v%d", it->against_version);
        if (it->against_label) strbuf_printf(sb, " (%s)", it->against_label);
    }
    strbuf_putc(sb, ']');
}

static void suppression(strbuf *sb, const check_item *it)
{
    if (it->suppressed == SUPP_ALLOW)
        strbuf_printf(sb, "suppressed by the allow-list until %s: %s", it->allow->expires,
                      it->allow->reason);
    else if (it->suppressed == SUPP_BASELINE)
        strbuf_puts(sb, "suppressed by the baseline file");
}

/* "... [context]" as text reports print it, without the location and rule. */
static char *full_message(const check_item *it)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s ", it->message);
    context(&sb, it);
    return strbuf_take(&sb);
}

static void summary_line(strbuf *sb, const check_run *run)
{
    strbuf_printf(sb,
                  "%zu subject%s checked against %s: %zu compatible, %zu incompatible, %zu new, "
                  "%zu failed; %zu violation%s, %zu error%s, %zu suppressed",
                  run->n_outcomes, run->n_outcomes == 1 ? "" : "s", run->against,
                  run->n_compatible, run->n_incompatible, run->n_new, run->n_failed,
                  run->n_violations, run->n_violations == 1 ? "" : "s", run->n_errors,
                  run->n_errors == 1 ? "" : "s", run->n_suppressed);
}

static void allow_label(strbuf *sb, const check_allow *a)
{
    strbuf_printf(sb, "allow[%zu] (%s, %s%s%s)", a->index, a->rule, a->subject,
                  a->path ? ", " : "", a->path ? a->path : "");
}

static const char *config_name(const check_run *run)
{
    return run->cfg->source ? run->cfg->source : "command line";
}

/* Rule descriptions: ours, else the id in words ("FIELD_KIND_CHANGED" -> "Field
 * kind changed"). */
static char *rule_description(const char *rule)
{
    static const struct {
        const char *id, *text;
    } ours[] = {
        {RULE_SCHEMA_PARSE_ERROR, "The schema does not parse"},
        {RULE_REFERENCE_NOT_FOUND, "A reference of the schema does not resolve"},
        {RULE_FILE_NOT_FOUND, "The schema file cannot be read"},
        {RULE_BASELINE_PARSE_ERROR, "A baseline version of the schema cannot be loaded"},
        {RULE_UNSUPPORTED_TYPE, "The schema type is not supported"},
        {RULE_DIFFERENT_SCHEMA_TYPE, "The schema type differs from the baseline's"},
        {"UNEXPECTED_EXCEPTION", "The compatibility check could not complete"},
    };
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
        if (strcmp(ours[i].id, rule) == 0) return xstrdup(ours[i].text);
    char *s = xstrdup(rule);
    for (char *p = s; *p; p++) {
        *p = (char)(p == s ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
        if (*p == '_') *p = ' ';
    }
    return s;
}

/* --- text ------------------------------------------------------------------------------ */

static void text_item(FILE *out, const check_item *it)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s:%d:%d: %s: ", it->entry->path, it->line, it->col, it->rule);
    char *m = full_message(it);
    strbuf_puts(&sb, m);
    free(m);
    if (it->suppressed) {
        strbuf_puts(&sb, " (");
        suppression(&sb, it);
        strbuf_putc(&sb, ')');
    }
    fprintf(out, "%s\n", sb.data);
    strbuf_free(&sb);
}

static void write_text(FILE *out, const check_run *run)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < run->n_items; i++)
            if ((run->items[i].suppressed != SUPP_NONE) == pass) text_item(out, &run->items[i]);
    for (size_t i = 0; i < run->n_outcomes; i++) {
        const check_outcome *o = &run->outcomes[i];
        if (o->status == STATUS_NEW)
            fprintf(out, "%s: note: %s is new: not in %s, nothing to compare\n", o->entry->path,
                    o->entry->subject, run->against);
    }
    for (size_t i = 0; i < run->cfg->n_allow; i++) {
        const check_allow *a = &run->cfg->allow[i];
        strbuf sb = STRBUF_INIT;
        allow_label(&sb, a);
        if (a->expired)
            fprintf(out, "%s: warning: %s expired on %s: it no longer suppresses anything\n",
                    config_name(run), sb.data, a->expires);
        else if (!a->used)
            fprintf(out, "%s: note: %s matched nothing\n", config_name(run), sb.data);
        strbuf_free(&sb);
    }
    strbuf sb = STRBUF_INIT;
    summary_line(&sb, run);
    fprintf(out, "%s\n", sb.data);
    strbuf_free(&sb);
}

/* --- json --------------------------------------------------------------------------------- */

static json_t *item_json(const check_item *it)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(it->rule));
    json_object_set_new(o, "kind", json_string(it->kind == ITEM_ERROR ? "error" : "incompatible"));
    json_object_set_new(o, "subject", json_string(it->entry->subject));
    json_object_set_new(o, "level", json_string(level_of(it)));
    json_object_set_new(o, "against_version",
                        it->against_version > 0 ? json_integer(it->against_version) : json_null());
    json_object_set_new(o, "against_commit",
                        it->against_label ? json_string(it->against_label) : json_null());
    json_object_set_new(o, "direction",
                        it->direction == COMPAT_DIR_BACKWARD  ? json_string("backward")
                        : it->direction == COMPAT_DIR_FORWARD ? json_string("forward")
                                                              : json_null());
    json_object_set_new(o, "file", json_string(it->entry->path));
    json_object_set_new(o, "line", json_integer(it->line));
    json_object_set_new(o, "col", json_integer(it->col));
    json_object_set_new(o, "path", json_string(it->path));
    json_object_set_new(o, "message", json_string(it->message));
    if (it->suppressed == SUPP_ALLOW) {
        json_object_set_new(o, "suppressed_by", json_string("allow-list"));
        json_object_set_new(o, "reason", json_string(it->allow->reason));
        json_object_set_new(o, "expires", json_string(it->allow->expires));
    } else if (it->suppressed == SUPP_BASELINE) {
        json_object_set_new(o, "suppressed_by", json_string("baseline-file"));
    }
    return o;
}

static void write_json(FILE *out, const check_run *run)
{
    json_t *root = json_object();
    json_object_set_new(root, "tool", json_pack("{s:s, s:s}", "name", CHECK_TOOL_NAME, "version",
                                                CHECK_TOOL_VERSION));
    json_object_set_new(root, "against", json_string(run->against));
    json_object_set_new(root, "config",
                        run->cfg->source ? json_string(run->cfg->source) : json_null());
    json_object_set_new(
        root, "summary",
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}", "subjects",
                  (json_int_t)run->n_outcomes, "compatible", (json_int_t)run->n_compatible,
                  "incompatible", (json_int_t)run->n_incompatible, "new", (json_int_t)run->n_new,
                  "failed", (json_int_t)run->n_failed, "violations",
                  (json_int_t)run->n_violations, "errors", (json_int_t)run->n_errors,
                  "suppressed", (json_int_t)run->n_suppressed, "exit_code", run->exit_code));
    json_t *subjects = json_array();
    for (size_t i = 0; i < run->n_outcomes; i++) {
        const check_outcome *o = &run->outcomes[i];
        json_t *versions = json_array();
        for (size_t k = 0; k < o->n_versions; k++) {
            json_t *v = json_pack("{s:i}", "version", o->versions[k]);
            if (o->labels[k]) json_object_set_new(v, "commit", json_string(o->labels[k]));
            json_array_append_new(versions, v);
        }
        json_array_append_new(
            subjects, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I}", "subject",
                                o->entry->subject, "file", o->entry->path, "type",
                                o->entry->type, "level", compat_level_name(o->entry->level),
                                "status", status_name(o->status), "against", versions,
                                "violations", (json_int_t)o->n_violations, "errors",
                                (json_int_t)o->n_errors, "suppressed",
                                (json_int_t)o->n_suppressed));
    }
    json_object_set_new(root, "subjects", subjects);
    json_t *violations = json_array(), *suppressed = json_array();
    for (size_t i = 0; i < run->n_items; i++)
        json_array_append_new(run->items[i].suppressed ? suppressed : violations,
                              item_json(&run->items[i]));
    json_object_set_new(root, "violations", violations);
    json_object_set_new(root, "suppressed", suppressed);
    json_t *allow = json_array();
    for (size_t i = 0; i < run->cfg->n_allow; i++) {
        const check_allow *a = &run->cfg->allow[i];
        json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:I}", "index",
                              (json_int_t)a->index, "rule", a->rule, "subject", a->subject,
                              "path", a->path ? json_string(a->path) : json_null(), "reason",
                              a->reason, "expires", a->expires, "status",
                              a->expired ? "expired" : "active", "suppressed", (json_int_t)a->used);
        json_array_append_new(allow, o);
    }
    json_object_set_new(root, "allow", allow);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s) fprintf(out, "%s\n", s);
    free(s);
    json_decref(root);
}

/* --- github-actions ------------------------------------------------------------------------ */

/* Workflow-command escaping: data escapes % CR LF; properties also : and ,. */
static void gh_escape(strbuf *sb, const char *s, int property)
{
    for (; *s; s++) {
        if (*s == '%') strbuf_puts(sb, "%25");
        else if (*s == '\r') strbuf_puts(sb, "%0D");
        else if (*s == '\n') strbuf_puts(sb, "%0A");
        else if (property && *s == ':') strbuf_puts(sb, "%3A");
        else if (property && *s == ',') strbuf_puts(sb, "%2C");
        else strbuf_putc(sb, *s);
    }
}

static void gh_command(FILE *out, const char *cmd, const char *file, int line, int col,
                       const char *title, const char *message)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "::%s ", cmd);
    if (file) {
        strbuf_puts(&sb, "file=");
        gh_escape(&sb, file, 1);
    }
    if (line > 0) strbuf_printf(&sb, ",line=%d", line);
    if (col > 0) strbuf_printf(&sb, ",col=%d", col);
    if (title) {
        strbuf_puts(&sb, file ? ",title=" : "title=");
        gh_escape(&sb, title, 1);
    }
    strbuf_puts(&sb, "::");
    gh_escape(&sb, message, 0);
    fprintf(out, "%s\n", sb.data);
    strbuf_free(&sb);
}

static void write_github(FILE *out, const check_run *run)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < run->n_items; i++) {
            const check_item *it = &run->items[i];
            if ((it->suppressed != SUPP_NONE) != pass) continue;
            strbuf msg = STRBUF_INIT;
            char *m = full_message(it);
            strbuf_puts(&msg, m);
            free(m);
            if (it->suppressed) {
                strbuf_puts(&msg, " (");
                suppression(&msg, it);
                strbuf_putc(&msg, ')');
            }
            gh_command(out, pass ? "notice" : "error", it->entry->path, it->line, it->col,
                       it->rule, msg.data);
            strbuf_free(&msg);
        }
    for (size_t i = 0; i < run->n_outcomes; i++) {
        const check_outcome *o = &run->outcomes[i];
        if (o->status != STATUS_NEW) continue;
        strbuf msg = STRBUF_INIT;
        strbuf_printf(&msg, "%s is new: not in %s, nothing to compare", o->entry->subject,
                      run->against);
        gh_command(out, "notice", o->entry->path, 0, 0, "new subject", msg.data);
        strbuf_free(&msg);
    }
    for (size_t i = 0; i < run->cfg->n_allow; i++) {
        const check_allow *a = &run->cfg->allow[i];
        if (!a->expired) continue;
        strbuf msg = STRBUF_INIT;
        allow_label(&msg, a);
        strbuf_printf(&msg, " expired on %s: it no longer suppresses anything", a->expires);
        gh_command(out, "warning", run->cfg->source, 0, 0, "expired allow-list entry", msg.data);
        strbuf_free(&msg);
    }
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "schemareg check: ");
    summary_line(&sb, run);
    fprintf(out, "%s\n", sb.data);
    strbuf_free(&sb);
}

/* --- junit ------------------------------------------------------------------------------------ */

static void xml_escape(strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': strbuf_puts(sb, "&amp;"); break;
        case '<': strbuf_puts(sb, "&lt;"); break;
        case '>': strbuf_puts(sb, "&gt;"); break;
        case '"': strbuf_puts(sb, "&quot;"); break;
        case '\'': strbuf_puts(sb, "&apos;"); break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') strbuf_putc(sb, '?');
            else strbuf_putc(sb, (char)*p);
        }
    }
}

static void junit_case(strbuf *sb, const check_run *run, const check_outcome *o)
{
    strbuf_puts(sb, "    <testcase classname=\"");
    xml_escape(sb, o->entry->path);
    strbuf_puts(sb, "\" name=\"");
    strbuf name = STRBUF_INIT;
    strbuf_printf(&name, "%s (%s)", o->entry->subject, compat_level_name(o->entry->level));
    xml_escape(sb, name.data);
    strbuf_free(&name);
    strbuf_puts(sb, "\">\n");
    strbuf suppressed = STRBUF_INIT;
    for (size_t i = 0; i < run->n_items; i++) {
        const check_item *it = &run->items[i];
        if (it->entry != o->entry) continue;
        strbuf line = STRBUF_INIT;
        char *m = full_message(it);
        strbuf_printf(&line, "%s:%d:%d: %s: %s", it->entry->path, it->line, it->col, it->rule, m);
        free(m);
        if (it->suppressed) {
            strbuf_puts(&line, " (");
            suppression(&line, it);
            strbuf_puts(&line, ")\n");
            strbuf_puts(&suppressed, line.data);
        } else {
            const char *tag = it->kind == ITEM_ERROR ? "error" : "failure";
            strbuf_printf(sb, "      <%s type=\"", tag);
            xml_escape(sb, it->rule);
            strbuf_puts(sb, "\" message=\"");
            xml_escape(sb, it->message);
            strbuf_puts(sb, "\">");
            xml_escape(sb, line.data);
            strbuf_printf(sb, "</%s>\n", tag);
        }
        strbuf_free(&line);
    }
    if (o->status == STATUS_NEW) {
        strbuf_puts(sb, "      <skipped message=\"");
        strbuf msg = STRBUF_INIT;
        strbuf_printf(&msg, "new: nothing to compare in %s", run->against);
        xml_escape(sb, msg.data);
        strbuf_free(&msg);
        strbuf_puts(sb, "\"/>\n");
    }
    if (suppressed.len) {
        strbuf_puts(sb, "      <system-out>");
        xml_escape(sb, suppressed.data);
        strbuf_puts(sb, "</system-out>\n");
    }
    strbuf_free(&suppressed);
    strbuf_puts(sb, "    </testcase>\n");
}

static void write_junit(FILE *out, const check_run *run)
{
    size_t failures = 0, errors = 0;
    for (size_t i = 0; i < run->n_items; i++) {
        if (run->items[i].suppressed) continue;
        if (run->items[i].kind == ITEM_ERROR) errors++;
        else failures++;
    }
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    strbuf_printf(&sb,
                  "<testsuites name=\"schemareg check\" tests=\"%zu\" failures=\"%zu\" "
                  "errors=\"%zu\" skipped=\"%zu\">\n",
                  run->n_outcomes, failures, errors, run->n_new);
    for (size_t i = 0; i < run->n_outcomes;) {
        const char *file = run->outcomes[i].entry->path;
        size_t j = i, f = 0, e = 0, s = 0;
        for (; j < run->n_outcomes && strcmp(run->outcomes[j].entry->path, file) == 0; j++) {
            f += run->outcomes[j].n_violations;
            e += run->outcomes[j].n_errors;
            s += run->outcomes[j].status == STATUS_NEW;
        }
        strbuf_puts(&sb, "  <testsuite name=\"");
        xml_escape(&sb, file);
        strbuf_printf(&sb, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
                      j - i, f, e, s);
        for (size_t k = i; k < j; k++) junit_case(&sb, run, &run->outcomes[k]);
        strbuf_puts(&sb, "  </testsuite>\n");
        i = j;
    }
    strbuf_puts(&sb, "</testsuites>\n");
    fputs(sb.data, out);
    strbuf_free(&sb);
}

/* --- sarif ------------------------------------------------------------------------------ */

/* A relative reference (or file:// URI for an absolute path), percent-encoded. */
static char *sarif_uri(const char *path)
{
    strbuf sb = STRBUF_INIT;
    if (path[0] == '/') strbuf_puts(&sb, "file://");
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (isalnum(*p) || strchr("-._~/", *p)) strbuf_putc(&sb, (char)*p);
        else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            strbuf_add(&sb, e, 3);
        }
    }
    return strbuf_take(&sb);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void write_sarif(FILE *out, const check_run *run)
{
    /* rules: every rule id that occurs, sorted */
    const char **ids = xcalloc(run->n_items + 1, sizeof *ids);
    size_t n_ids = 0;
    for (size_t i = 0; i < run->n_items; i++) {
        int seen = 0;
        for (size_t k = 0; k < n_ids && !seen; k++) seen = strcmp(ids[k], run->items[i].rule) == 0;
        if (!seen) ids[n_ids++] = run->items[i].rule;
    }
    qsort(ids, n_ids, sizeof *ids, cmp_str);
    json_t *rules = json_array();
    for (size_t k = 0; k < n_ids; k++) {
        char *d = rule_description(ids[k]);
        json_array_append_new(rules, json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", ids[k],
                                               "shortDescription", "text", d,
                                               "defaultConfiguration", "level", "error"));
        free(d);
    }
    json_t *results = json_array();
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < run->n_items; i++) {
            const check_item *it = &run->items[i];
            if ((it->suppressed != SUPP_NONE) != pass) continue;
            size_t index = 0;
            while (strcmp(ids[index], it->rule) != 0) index++;
            char *uri = sarif_uri(it->entry->path);
            char *text = full_message(it);
            json_t *props = json_pack("{s:s, s:s, s:s}", "subject", it->entry->subject,
                                      "compatibilityLevel", level_of(it), "path", it->path);
            if (it->against_version > 0)
                json_object_set_new(props, "againstVersion", json_integer(it->against_version));
            if (it->against_label)
                json_object_set_new(props, "againstCommit", json_string(it->against_label));
            strbuf fp = STRBUF_INIT;
            strbuf_printf(&fp, "%s|%s|%s|%s", it->entry->subject, it->rule, it->path,
                          it->direction == COMPAT_DIR_FORWARD ? "forward" : "backward");
            json_t *r = json_pack(
                "{s:s, s:I, s:s, s:{s:s}, s:[{s:{s:{s:s}, s:{s:i, s:i}}}], s:{s:s}, s:o}",
                "ruleId", it->rule, "ruleIndex", (json_int_t)index, "level", "error", "message",
                "text", text, "locations", "physicalLocation", "artifactLocation", "uri", uri,
                "region", "startLine", it->line, "startColumn", it->col, "partialFingerprints",
                "schemaregViolation/v1", fp.data, "properties", props);
            strbuf_free(&fp);
            if (it->suppressed) {
                strbuf j = STRBUF_INIT;
                suppression(&j, it);
                json_object_set_new(
                    r, "suppressions",
                    json_pack("[{s:s, s:s, s:s}]", "kind", "external", "status", "accepted",
                              "justification", j.data));
                strbuf_free(&j);
            }
            json_array_append_new(results, r);
            free(uri);
            free(text);
        }
    free(ids);
    /* New subjects and expired allow-list entries are notifications, not results. */
    json_t *notes = json_array();
    for (size_t i = 0; i < run->n_outcomes; i++) {
        const check_outcome *o = &run->outcomes[i];
        if (o->status != STATUS_NEW) continue;
        strbuf msg = STRBUF_INIT;
        strbuf_printf(&msg, "%s (%s) is new: not in %s, nothing to compare", o->entry->subject,
                      o->entry->path, run->against);
        json_array_append_new(notes, json_pack("{s:s, s:{s:s}}", "level", "note", "message",
                                               "text", msg.data));
        strbuf_free(&msg);
    }
    for (size_t i = 0; i < run->cfg->n_allow; i++) {
        const check_allow *a = &run->cfg->allow[i];
        if (!a->expired) continue;
        strbuf msg = STRBUF_INIT;
        allow_label(&msg, a);
        strbuf_printf(&msg, " in %s expired on %s: it no longer suppresses anything",
                      config_name(run), a->expires);
        json_array_append_new(notes, json_pack("{s:s, s:{s:s}}", "level", "warning", "message",
                                               "text", msg.data));
        strbuf_free(&msg);
    }
    json_t *root = json_pack(
        "{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o, s:[{s:b, s:i, s:o}]}]}", "$schema",
        "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
        "driver", "name", CHECK_TOOL_NAME, "version", CHECK_TOOL_VERSION, "rules", rules,
        "results", results, "invocations",
        "executionSuccessful", 1, "exitCode", run->exit_code, "toolExecutionNotifications",
        notes);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s) fprintf(out, "%s\n", s);
    free(s);
    json_decref(root);
}

/* --- markdown --------------------------------------------------------------------------------- */

static void md_escape(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') strbuf_putc(sb, ' ');
        else if (strchr("\\`*_[]<>|", *s)) {
            strbuf_putc(sb, '\\');
            strbuf_putc(sb, *s);
        } else strbuf_putc(sb, *s);
    }
}

static void md_row(strbuf *sb, const check_item *it, int suppressed)
{
    strbuf_printf(sb, "| %s | `%s` | `%s:%d:%d` | ",
                  suppressed ? "💤" : it->kind == ITEM_ERROR ? "⛔" : "❌", it->rule,
                  it->entry->path, it->line, it->col);
    md_escape(sb, it->entry->subject);
    strbuf_printf(sb, " | %s | ", level_of(it));
    if (it->against_version > 0) {
        strbuf_printf(sb, "v%d", it->against_version);
        if (it->against_label) strbuf_printf(sb, " (`%s`)", it->against_label);
    }
    strbuf_puts(sb, " | ");
    md_escape(sb, it->message);
    if (suppressed) {
        strbuf s = STRBUF_INIT;
        suppression(&s, it);
        strbuf_puts(sb, " | ");
        md_escape(sb, s.data);
        strbuf_free(&s);
    }
    strbuf_puts(sb, " |\n");
}

static void write_markdown(FILE *out, const check_run *run)
{
    strbuf sb = STRBUF_INIT;
    size_t failing = run->n_violations + run->n_errors;
    if (run->n_errors)
        strbuf_printf(&sb, "## schemareg check: ⛔ %zu error%s, %zu violation%s\n\n",
                      run->n_errors, run->n_errors == 1 ? "" : "s", run->n_violations,
                      run->n_violations == 1 ? "" : "s");
    else if (run->n_violations)
        strbuf_printf(&sb, "## schemareg check: ❌ %zu violation%s\n\n", run->n_violations,
                      run->n_violations == 1 ? "" : "s");
    else
        strbuf_puts(&sb, "## schemareg check: ✅ compatible\n\n");
    strbuf_puts(&sb, "Against `");
    strbuf_puts(&sb, run->against);
    strbuf_printf(&sb, "`: %zu subject%s, %zu compatible, %zu incompatible, %zu new, %zu failed; "
                       "%zu suppressed.\n",
                  run->n_outcomes, run->n_outcomes == 1 ? "" : "s", run->n_compatible,
                  run->n_incompatible, run->n_new, run->n_failed, run->n_suppressed);
    if (failing) {
        strbuf_puts(&sb, "\n|  | Rule | Location | Subject | Level | Against | Message |\n"
                         "|---|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < run->n_items; i++)
            if (!run->items[i].suppressed) md_row(&sb, &run->items[i], 0);
    }
    if (run->n_suppressed) {
        strbuf_printf(&sb, "\n<details><summary>%zu suppressed</summary>\n\n", run->n_suppressed);
        strbuf_puts(&sb, "|  | Rule | Location | Subject | Level | Against | Message | Why |\n"
                         "|---|---|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < run->n_items; i++)
            if (run->items[i].suppressed) md_row(&sb, &run->items[i], 1);
        strbuf_puts(&sb, "\n</details>\n");
    }
    int any_new = 0;
    for (size_t i = 0; i < run->n_outcomes; i++) {
        const check_outcome *o = &run->outcomes[i];
        if (o->status != STATUS_NEW) continue;
        strbuf_puts(&sb, any_new ? ", " : "\nNew subjects (nothing to compare): ");
        strbuf_puts(&sb, "`");
        strbuf_puts(&sb, o->entry->subject);
        strbuf_puts(&sb, "` (`");
        strbuf_puts(&sb, o->entry->path);
        strbuf_puts(&sb, "`)");
        any_new = 1;
    }
    if (any_new) strbuf_puts(&sb, "\n");
    for (size_t i = 0; i < run->cfg->n_allow; i++) {
        const check_allow *a = &run->cfg->allow[i];
        if (!a->expired) continue;
        strbuf l = STRBUF_INIT;
        allow_label(&l, a);
        strbuf_puts(&sb, "\n⚠️ Expired allow-list entry: ");
        md_escape(&sb, l.data);
        strbuf_printf(&sb, " expired on %s and no longer suppresses anything.\n", a->expires);
        strbuf_free(&l);
    }
    fputs(sb.data, out);
    strbuf_free(&sb);
}

void report_write(FILE *out, report_format fmt, const check_run *run)
{
    switch (fmt) {
    case REPORT_TEXT: write_text(out, run); break;
    case REPORT_JSON: write_json(out, run); break;
    case REPORT_GITHUB: write_github(out, run); break;
    case REPORT_JUNIT: write_junit(out, run); break;
    case REPORT_SARIF: write_sarif(out, run); break;
    case REPORT_MARKDOWN: write_markdown(out, run); break;
    }
    fflush(out);
}
