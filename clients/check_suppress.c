/*
 * Suppressions of `schemareg check`:
 *
 *   - the allow-list (the config's "allow" entries): an entry suppresses the
 *     violations of its rule in its subject (at its path, when it names one)
 *     through its expiry date; an expired entry suppresses nothing and is reported;
 *   - the baseline file (--baseline-file F, written by --write-baseline F): the
 *     violations accepted when it was written, matched by rule, subject and path,
 *     so that only new breaks fail.
 *
 * Errors in the new schema itself (it does not parse, a reference does not
 * resolve) are never suppressed. The baseline file:
 *
 *   {"schemareg_baseline": 1,
 *    "violations": [{"rule": ..., "subject": ..., "path": ..., "file": ..., "message": ...}]}
 *
 * ("file" and "message" are for readers; matching ignores them).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "check.h"
#include "cli.h"

void accepted_set_free(accepted_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].rule);
        free(s->items[i].subject);
        free(s->items[i].path);
    }
    free(s->items);
    s->items = NULL;
    s->n = 0;
}

int suppress_read_baseline(const char *path, accepted_set *out)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        fprintf(stderr, "schemareg check: cannot read the baseline file %s: %s\n", path,
                jerr.text);
        return CLI_USAGE;
    }
    json_t *list = json_object_get(root, "violations");
    int rc = CLI_OK;
    if (!json_is_object(root) || !json_is_array(list)) {
        fprintf(stderr, "schemareg check: %s: not a baseline file (no \"violations\" array)\n",
                path);
        rc = CLI_USAGE;
    }
    out->items = xcalloc(json_array_size(list) + 1, sizeof *out->items);
    for (size_t i = 0; rc == CLI_OK && i < json_array_size(list); i++) {
        json_t *v = json_array_get(list, i);
        json_t *rule = json_object_get(v, "rule"), *subject = json_object_get(v, "subject"),
               *p = json_object_get(v, "path");
        if (!json_is_string(rule) || !json_is_string(subject) || (p && !json_is_string(p))) {
            fprintf(stderr, "schemareg check: %s: violations[%zu] needs string \"rule\", "
                            "\"subject\" and \"path\"\n", path, i);
            rc = CLI_USAGE;
            break;
        }
        accepted *a = &out->items[out->n++];
        a->rule = xstrdup(json_string_value(rule));
        a->subject = xstrdup(json_string_value(subject));
        a->path = xstrdup(p ? json_string_value(p) : "");
    }
    json_decref(root);
    if (rc != CLI_OK) accepted_set_free(out);
    return rc;
}

/* Paths compare without a leading '#' ("#/Msg/1" == "/Msg/1"). */
static int same_path(const char *a, const char *b)
{
    if (*a == '#') a++;
    if (*b == '#') b++;
    return strcmp(a, b) == 0;
}

static int allow_matches(const check_allow *a, const check_item *it)
{
    return strcmp(a->rule, it->rule) == 0 && strcmp(a->subject, it->entry->subject) == 0 &&
           (!a->path || same_path(a->path, it->path));
}

void suppress_apply(check_run *run, const check_config *cfg, const accepted_set *acc)
{
    for (size_t i = 0; i < run->n_items; i++) {
        check_item *it = &run->items[i];
        if (!it->suppressible || it->suppressed) continue;
        for (size_t k = 0; k < cfg->n_allow; k++) {
            check_allow *a = &cfg->allow[k];
            if (a->expired || !allow_matches(a, it)) continue;
            it->suppressed = SUPP_ALLOW;
            it->allow = a;
            a->used++;
            break;
        }
        for (size_t k = 0; acc && !it->suppressed && k < acc->n; k++) {
            const accepted *a = &acc->items[k];
            if (strcmp(a->rule, it->rule) == 0 && strcmp(a->subject, it->entry->subject) == 0 &&
                same_path(a->path, it->path))
                it->suppressed = SUPP_BASELINE;
        }
    }
}

int suppress_write_baseline(const char *path, const check_run *run)
{
    json_t *list = json_array();
    for (size_t i = 0; i < run->n_items; i++) {
        const check_item *it = &run->items[i];
        if (!it->suppressible || it->suppressed == SUPP_ALLOW) continue;
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++) {
            const check_item *o = &run->items[k];
            dup = o->suppressible && o->suppressed != SUPP_ALLOW && !strcmp(o->rule, it->rule) &&
                  !strcmp(o->entry->subject, it->entry->subject) && !strcmp(o->path, it->path);
        }
        if (dup) continue;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "rule", it->rule,
                                              "subject", it->entry->subject, "path", it->path,
                                              "file", it->entry->path, "message", it->message));
    }
    json_t *root = json_pack("{s:i, s:o}", "schemareg_baseline", 1, "violations", list);
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? CLI_OK
                                                                                 : CLI_INPUT;
    json_decref(root);
    if (rc != CLI_OK) fprintf(stderr, "schemareg check: cannot write the baseline file %s\n", path);
    else {
        FILE *f = fopen(path, "ab"); /* a final newline, for diffs */
        if (f) {
            fputc('\n', f);
            fclose(f);
        }
    }
    return rc;
}
