/*
 * `schemareg check`: check schema files against a baseline, offline, for CI
 * (cli.md "schemareg check"). One pass over the config's entries: parse the new
 * file with its references resolved from local files, fetch the baseline versions
 * the entry's level compares against, run compat_check_findings() (the engine
 * behind the server's verdict), locate each finding in the new file; then apply
 * the allow-list and the baseline file, report, and exit:
 *
 *   0 compatible; 1 incompatible (or --violations-exit-code N); 2 a schema does
 *   not parse, a reference does not resolve, a baseline version cannot be loaded;
 *   3 usage or config error; 4 baseline unavailable.
 *
 * Errors (2) take precedence over violations (1) when a run has both.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/strbuf.h"
#include "check.h"
#include "cli.h"

#define MAX_FILES 256
#define MAX_REFS 64
#define MAX_REPORTS 8

typedef struct check_opts {
    const char *files[MAX_FILES];
    size_t n_files;
    const char *config, *against, *type, *level, *policy, *subject, *format;
    const char *baseline_file, *write_baseline;
    char *refs[MAX_REFS];
    size_t n_refs;
    const char *reports[MAX_REPORTS]; /* FORMAT=FILE */
    size_t n_reports;
    int violations_exit_code;
} check_opts;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("schemareg check: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see schemareg check --help)\n", stderr);
    return CLI_USAGE;
}

static int parse_opts(int argc, char **argv, check_opts *o)
{
    static const struct {
        const char *name;
        size_t offset;
    } values[] = {
        {"--config", offsetof(check_opts, config)},
        {"--against", offsetof(check_opts, against)},
        {"--type", offsetof(check_opts, type)},
        {"--level", offsetof(check_opts, level)},
        {"--policy", offsetof(check_opts, policy)},
        {"--subject", offsetof(check_opts, subject)},
        {"--format", offsetof(check_opts, format)},
        {"--baseline-file", offsetof(check_opts, baseline_file)},
        {"--write-baseline", offsetof(check_opts, write_baseline)},
    };
    memset(o, 0, sizeof *o);
    o->violations_exit_code = CLI_FAIL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (o->n_files == MAX_FILES) return usage_error("too many files (%s)", a);
            o->files[o->n_files++] = a;
            continue;
        }
        if (i + 1 >= argc) return usage_error("%s needs a value", a);
        int done = 0;
        for (size_t k = 0; k < sizeof values / sizeof values[0] && !done; k++)
            if (strcmp(a, values[k].name) == 0) {
                *(const char **)((char *)o + values[k].offset) = argv[++i];
                done = 1;
            }
        if (done) continue;
        if (strcmp(a, "--ref") == 0) {
            if (o->n_refs == MAX_REFS) return usage_error("too many %s options", a);
            o->refs[o->n_refs++] = argv[++i];
        } else if (strcmp(a, "--report") == 0) {
            if (o->n_reports == MAX_REPORTS) return usage_error("too many %s options", a);
            o->reports[o->n_reports++] = argv[++i];
        } else if (strcmp(a, "--violations-exit-code") == 0) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 255)
                return usage_error("--violations-exit-code wants 1..255, not '%s'", argv[i]);
            o->violations_exit_code = (int)v;
        } else {
            return usage_error("unknown option %s", a);
        }
    }
    return CLI_OK;
}

/* --- results ------------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p (as jansson checks it: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
    if (p[0] < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) len = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        if (p[0] == 0xE0) lo = 0xA0;
        if (p[0] == 0xED) hi = 0x9F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        if (p[0] == 0xF0) lo = 0x90;
        if (p[0] == 0xF4) hi = 0x8F;
    } else return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if ((p[k] & 0xC0) != 0x80) return 0;
    return len;
}

/* A copy that is valid UTF-8 (JSON reports need it): bad bytes become U+FFFD. */
static char *utf8_copy(const char *s)
{
    strbuf sb = STRBUF_INIT;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = utf8_seq(p);
        if (len) {
            strbuf_add(&sb, (const char *)p, len);
            p += len;
        } else {
            strbuf_puts(&sb, "\xEF\xBF\xBD");
            p++;
        }
    }
    return strbuf_take(&sb);
}

check_item *check_run_add(check_run *run, check_item_kind kind, const check_entry *e,
                          const char *rule, const char *message, const char *path)
{
    if (run->n_items == run->cap_items) {
        run->cap_items = run->cap_items ? run->cap_items * 2 : 16;
        run->items = xrealloc(run->items, run->cap_items * sizeof *run->items);
    }
    check_item *it = &run->items[run->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->entry = e;
    it->rule = xstrdup(rule);
    it->message = utf8_copy(message ? message : "");
    it->path = utf8_copy(path ? path : "");
    it->line = it->col = 1;
    it->direction = COMPAT_DIR_NONE;
    it->suppressible = 1;
    return it;
}

void check_run_free(check_run *run)
{
    for (size_t i = 0; i < run->n_items; i++) {
        free(run->items[i].rule);
        free(run->items[i].message);
        free(run->items[i].path);
        free(run->items[i].against_label);
    }
    free(run->items);
    for (size_t i = 0; i < run->n_outcomes; i++) {
        for (size_t k = 0; k < run->outcomes[i].n_versions; k++) free(run->outcomes[i].labels[k]);
        free(run->outcomes[i].labels);
        free(run->outcomes[i].versions);
    }
    free(run->outcomes);
    memset(run, 0, sizeof *run);
}

static void set_pos(check_item *it, check_pos p)
{
    it->line = p.line > 0 ? p.line : 1;
    it->col = p.col > 0 ? p.col : 1;
}

static int is_transitive(compat_level level)
{
    return level == COMPAT_BACKWARD_TRANSITIVE || level == COMPAT_FORWARD_TRANSITIVE ||
           level == COMPAT_FULL_TRANSITIVE;
}

/* Protobuf compares a type's file by (subject, version): a reference with the
 * same content on both sides counts as the same version, any other as another. */
static void align_deps(const char *type, const dep_list *cand, dep_list *old)
{
    if (strcmp(type, "PROTOBUF") != 0) return;
    for (size_t i = 0; i < old->n; i++) {
        sr_dep *d = &old->items[i];
        int same = 0;
        for (size_t k = 0; k < cand->n && !same; k++)
            if (strcmp(cand->items[k].name, d->name) == 0 &&
                strcmp(cand->items[k].text, d->text) == 0) {
                d->subject = cand->items[k].subject;
                d->version = cand->items[k].version;
                same = 1;
            }
        if (!same && d->version == 0) d->version = 1;
    }
}

/* The reference name an error message quotes (reference "NAME": ...). */
static char *quoted_ref(const char *msg)
{
    const char *p = strstr(msg, "reference \"");
    if (!p) return NULL;
    p += 11;
    const char *end = strchr(p, '"');
    return end ? xstrndup(p, (size_t)(end - p)) : NULL;
}

static void baseline_error(check_run *run, const check_entry *e, const bl_version *v,
                           const char *what)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "baseline version v%d", v->version);
    if (v->label) strbuf_printf(&sb, " (%s)", v->label);
    strbuf_printf(&sb, " of %s cannot be loaded: %s", e->subject, what);
    check_item *it = check_run_add(run, ITEM_ERROR, e, RULE_BASELINE_PARSE_ERROR, sb.data, "");
    it->against_version = v->version;
    it->against_label = v->label ? xstrdup(v->label) : NULL;
    strbuf_free(&sb);
}

/* Check one entry. Returns CLI_OK, or CLI_UNAVAILABLE (message printed). */
static int check_entry_run(check_run *run, const check_config *cfg, baseline *b,
                           const check_entry *e, check_outcome *oc)
{
    oc->entry = e;
    const sr_format *fmt = format_lookup(e->type);
    if (!fmt) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "schema type %s is not supported by this build", e->type);
        check_run_add(run, ITEM_ERROR, e, RULE_UNSUPPORTED_TYPE, sb.data, "")->suppressible = 0;
        strbuf_free(&sb);
        return CLI_OK;
    }
    char *text = check_read_local((void *)cfg, e->file);
    if (!text) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "cannot read %s", e->path);
        check_run_add(run, ITEM_ERROR, e, RULE_FILE_NOT_FOUND, sb.data, "")->suppressible = 0;
        strbuf_free(&sb);
        return CLI_OK;
    }
    char err[1024];
    dep_list deps;
    if (check_refs_resolve(cfg, e, check_read_local, (void *)cfg, 0, &deps, err, sizeof err) < 0) {
        check_item *it = check_run_add(run, ITEM_ERROR, e, RULE_REFERENCE_NOT_FOUND, err, "");
        it->suppressible = 0;
        char *name = quoted_ref(err);
        set_pos(it, locate_text(text, name));
        free(name);
        free(text);
        return CLI_OK;
    }
    sr_error perr;
    void *parsed = fmt->parse(text, strlen(text), deps.items, deps.n, 0, &perr);
    if (!parsed) {
        check_item *it = check_run_add(run, ITEM_ERROR, e, RULE_SCHEMA_PARSE_ERROR, perr.msg, "");
        it->suppressible = 0;
        set_pos(it, locate_error(e->type, text, perr.msg));
        dep_list_free(&deps);
        free(text);
        return CLI_OK;
    }

    int rc = CLI_OK;
    bl_versions vs = {0};
    if (e->level != COMPAT_NONE) {
        rc = baseline_fetch(b, cfg, e, is_transitive(e->level), &vs, err, sizeof err);
        if (rc != CLI_OK) fprintf(stderr, "schemareg check: baseline unavailable: %s\n", err);
    }
    if (rc == CLI_OK && e->level != COMPAT_NONE && vs.n == 0) oc->status = STATUS_NEW;

    compat_prev *prev = xcalloc(vs.n + 1, sizeof *prev);
    size_t *from = xcalloc(vs.n + 1, sizeof *from); /* prev[i] is vs.items[from[i]] */
    size_t np = 0;
    for (size_t i = 0; rc == CLI_OK && i < vs.n; i++) {
        bl_version *v = &vs.items[i];
        const sr_format *ofmt = format_lookup(v->type);
        if (!ofmt) {
            strbuf sb = STRBUF_INIT;
            strbuf_printf(&sb, "schema type %s is not supported by this build", v->type);
            baseline_error(run, e, v, sb.data);
            strbuf_free(&sb);
            continue;
        }
        if (v->error) {
            baseline_error(run, e, v, v->error);
            continue;
        }
        align_deps(e->type, &deps, &v->deps);
        void *old = ofmt->parse(v->text, strlen(v->text), v->deps.items, v->deps.n,
                                SR_PARSE_LENIENT, &perr);
        if (!old) {
            baseline_error(run, e, v, perr.msg);
            continue;
        }
        prev[np] = (compat_prev){ofmt, old, v->version, v->text};
        from[np++] = i;
    }
    oc->versions = xcalloc(np + 1, sizeof *oc->versions);
    oc->labels = xcalloc(np + 1, sizeof *oc->labels);
    for (size_t i = 0; i < np; i++) {
        const bl_version *v = &vs.items[from[i]];
        oc->versions[oc->n_versions] = v->version;
        oc->labels[oc->n_versions++] = v->label ? xstrdup(v->label) : NULL;
    }

    compat_findings f = {0};
    if (rc == CLI_OK && np > 0 &&
        compat_check_findings(e->level, e->policy, fmt, parsed, prev, np, &f) < 0) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "no compatibility checker for %s in this build", e->type);
        check_run_add(run, ITEM_ERROR, e, RULE_UNSUPPORTED_TYPE, sb.data, "")->suppressible = 0;
        strbuf_free(&sb);
    }
    for (size_t i = 0; i < f.n; i++) {
        const compat_finding *fd = &f.items[i];
        const bl_version *v = &vs.items[from[fd->prev_index]];
        char *desc;
        if (fd->direction == COMPAT_DIR_NONE) {
            strbuf sb = STRBUF_INIT;
            strbuf_printf(&sb, "%s: the baseline version is %s, the file is %s", fd->message,
                          v->type, e->type);
            desc = strbuf_take(&sb);
        } else {
            desc = locate_description(fd->message);
        }
        check_item *it = check_run_add(run, ITEM_VIOLATION, e, fd->type, desc, fd->path);
        free(desc);
        it->against_version = fd->version;
        it->against_label = v->label ? xstrdup(v->label) : NULL;
        it->direction = fd->direction;
        if (fd->direction != COMPAT_DIR_NONE)
            set_pos(it, locate_path(e->type, text, parsed, v->text, fd->path, fd->direction));
    }
    compat_findings_free(&f);
    for (size_t i = 0; i < np; i++) prev[i].fmt->free((void *)prev[i].schema);
    free(prev);
    free(from);
    bl_versions_free(&vs);
    fmt->free(parsed);
    dep_list_free(&deps);
    free(text);
    return rc;
}

/* --- finishing -------------------------------------------------------------------------- */

static int cmp_int(int a, int b)
{
    return a < b ? -1 : a > b;
}

static int cmp_items(const void *pa, const void *pb)
{
    const check_item *a = pa, *b = pb;
    int c = strcmp(a->entry->path, b->entry->path);
    if (!c) c = strcmp(a->entry->subject, b->entry->subject);
    if (!c) c = cmp_int(a->line, b->line);
    if (!c) c = cmp_int(a->col, b->col);
    if (!c) c = strcmp(a->rule, b->rule);
    if (!c) c = strcmp(a->path, b->path);
    if (!c) c = strcmp(a->message, b->message);
    if (!c) c = cmp_int(a->against_version, b->against_version);
    if (!c) c = cmp_int((int)a->direction, (int)b->direction);
    return c;
}

static void finish(check_run *run, int violations_exit_code)
{
    if (run->n_items) qsort(run->items, run->n_items, sizeof *run->items, cmp_items);
    for (size_t i = 0; i < run->n_items; i++) {
        const check_item *it = &run->items[i];
        check_outcome *oc = NULL;
        for (size_t k = 0; k < run->n_outcomes && !oc; k++)
            if (run->outcomes[k].entry == it->entry) oc = &run->outcomes[k];
        if (it->suppressed) {
            run->n_suppressed++;
            if (oc) oc->n_suppressed++;
        } else if (it->kind == ITEM_ERROR) {
            run->n_errors++;
            if (oc) oc->n_errors++;
        } else {
            run->n_violations++;
            if (oc) oc->n_violations++;
        }
    }
    for (size_t k = 0; k < run->n_outcomes; k++) {
        check_outcome *oc = &run->outcomes[k];
        if (oc->n_errors) oc->status = STATUS_ERROR;
        else if (oc->n_violations) oc->status = STATUS_INCOMPATIBLE;
        else if (oc->status != STATUS_NEW) oc->status = STATUS_COMPATIBLE;
        switch (oc->status) {
        case STATUS_COMPATIBLE: run->n_compatible++; break;
        case STATUS_INCOMPATIBLE: run->n_incompatible++; break;
        case STATUS_NEW: run->n_new++; break;
        case STATUS_ERROR: run->n_failed++; break;
        }
    }
    run->exit_code = run->n_errors ? CLI_INPUT : run->n_violations ? violations_exit_code : CLI_OK;
}

static void today_utc(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Entries selected by the FILE arguments of config mode (all when none). */
static int select_entries(const check_config *cfg, const check_opts *o, int *selected)
{
    for (size_t i = 0; i < cfg->n_entries; i++) selected[i] = o->n_files == 0;
    for (size_t f = 0; f < o->n_files; f++) {
        char *norm = check_path_normalize(o->files[f]);
        int hit = 0;
        for (size_t i = 0; i < cfg->n_entries; i++)
            if (strcmp(cfg->entries[i].path, norm) == 0 || strcmp(cfg->entries[i].file, norm) == 0)
                selected[i] = hit = 1;
        free(norm);
        if (!hit) {
            fprintf(stderr, "schemareg check: %s is not in %s\n", o->files[f], cfg->source);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

/* --report FORMAT=FILE */
static int write_reports(const check_opts *o, const check_run *run)
{
    for (size_t i = 0; i < o->n_reports; i++) {
        const char *eq = strchr(o->reports[i], '=');
        char *name = eq ? xstrndup(o->reports[i], (size_t)(eq - o->reports[i])) : NULL;
        report_format fmt;
        int known = name && report_format_parse(name, &fmt) == 0;
        free(name);
        if (!known || !eq[1])
            return usage_error("--report wants FORMAT=FILE, not '%s'", o->reports[i]);
        FILE *f = fopen(eq + 1, "w");
        if (!f) {
            perror(eq + 1);
            return CLI_USAGE;
        }
        report_write(f, fmt, run);
        if (fclose(f) != 0) {
            perror(eq + 1);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

int cmd_check(cli *c, int argc, char **argv)
{
    check_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != CLI_OK) return rc;
    report_format fmt = c->json ? REPORT_JSON : REPORT_TEXT;
    if (o.format && report_format_parse(o.format, &fmt) < 0)
        return usage_error("--format must be text, json, github-actions, junit, sarif or "
                           "markdown, not '%s'",
                           o.format);
    for (size_t i = 0; i < o.n_reports; i++) {
        const char *eq = strchr(o.reports[i], '=');
        char *name = eq ? xstrndup(o.reports[i], (size_t)(eq - o.reports[i])) : NULL;
        report_format rf;
        int ok = name && eq[1] && report_format_parse(name, &rf) == 0;
        free(name);
        if (!ok) return usage_error("--report wants FORMAT=FILE, not '%s'", o.reports[i]);
    }
    char today[11];
    today_utc(today);

    check_config cfg;
    int single = o.n_files > 0 && !o.config;
    if (single) {
        if (o.n_files > 1)
            return usage_error("without --config, give one FILE (%s is one too many)", o.files[1]);
        rc = check_config_single(o.files[0], o.type, o.level, o.policy, o.subject, o.refs,
                                 o.n_refs, &cfg);
    } else {
        if (o.type || o.level || o.policy || o.subject || o.n_refs)
            return usage_error("%s: --type, --level, --policy, --subject and --ref are for a "
                               "single FILE without a config; the config sets them per subject",
                               o.config ? o.config : "schemareg.json");
        rc = check_config_load(o.config ? o.config : "schemareg.json", today, &cfg);
    }
    if (rc != CLI_OK) return rc;

    int *selected = xcalloc(cfg.n_entries + 1, sizeof *selected);
    baseline *b = NULL;
    accepted_set acc = {0};
    check_run run = {0};
    const char *against = o.against ? o.against : cfg.against;
    if (!single) rc = select_entries(&cfg, &o, selected);
    else selected[0] = 1;
    if (rc == CLI_OK && !against)
        rc = usage_error("no baseline: use --against BASELINE%s",
                         single ? "" : " (or \"against\" in the config)");
    if (rc == CLI_OK) rc = baseline_open(against, &cfg, c->user, &b);
    if (rc == CLI_OK && single && !o.subject && baseline_is_registry(b))
        rc = usage_error("%s: a registry baseline needs --subject", against);
    if (rc == CLI_OK && o.baseline_file) rc = suppress_read_baseline(o.baseline_file, &acc);

    if (rc == CLI_OK) {
        run.cfg = &cfg;
        run.against = baseline_describe(b);
        run.outcomes = xcalloc(cfg.n_entries + 1, sizeof *run.outcomes);
        for (size_t i = 0; i < cfg.n_entries && rc == CLI_OK; i++) {
            if (!selected[i]) continue;
            rc = check_entry_run(&run, &cfg, b, &cfg.entries[i], &run.outcomes[run.n_outcomes]);
            run.n_outcomes++;
        }
    }
    if (rc == CLI_OK) {
        suppress_apply(&run, &cfg, o.baseline_file ? &acc : NULL);
        if (o.write_baseline) {
            if (run.n_items) qsort(run.items, run.n_items, sizeof *run.items, cmp_items);
            rc = suppress_write_baseline(o.write_baseline, &run);
            for (size_t i = 0; rc == CLI_OK && i < run.n_items; i++)
                if (run.items[i].suppressible && !run.items[i].suppressed)
                    run.items[i].suppressed = SUPP_BASELINE;
        }
    }
    if (rc == CLI_OK) {
        finish(&run, o.violations_exit_code);
        report_write(stdout, fmt, &run);
        rc = write_reports(&o, &run);
        if (rc == CLI_OK) rc = run.exit_code;
    }
    check_run_free(&run);
    accepted_set_free(&acc);
    baseline_close(b);
    free(selected);
    check_config_free(&cfg);
    return rc;
}
