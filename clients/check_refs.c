/*
 * References of `schemareg check`, resolved from files: the config maps each
 * reference name to a file, and a referenced file's own references come from its
 * own config entry when it has one. The result is format.h's dependency list:
 * every schema the entry depends on, transitively, deduplicated, each after what
 * it depends on itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "check.h"

#define MAX_REFERENCES 1000
#define MAX_REF_DEPTH 64

static const char *own(dep_list *d, char *s)
{
    d->owned = xrealloc(d->owned, (d->n_owned + 1) * sizeof *d->owned);
    d->owned[d->n_owned++] = s;
    return s;
}

void dep_list_add(dep_list *d, const char *name, const char *subject, int version, char *text)
{
    d->items = xrealloc(d->items, (d->n + 1) * sizeof *d->items);
    sr_dep *dep = &d->items[d->n++];
    dep->name = own(d, xstrdup(name));
    dep->subject = own(d, xstrdup(subject ? subject : name));
    dep->text = own(d, text);
    dep->version = version;
}

void dep_list_free(dep_list *d)
{
    for (size_t i = 0; i < d->n_owned; i++) free(d->owned[i]);
    free(d->owned);
    free(d->items);
    memset(d, 0, sizeof *d);
}

char *check_read_local(void *ctx, const char *file)
{
    const check_config *cfg = ctx;
    char *path = check_path_join(cfg->dir, file);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f) return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) strbuf_add(&sb, buf, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        strbuf_free(&sb);
        return NULL;
    }
    return strbuf_take(&sb);
}

typedef struct resolver {
    const check_config *cfg;
    check_reader rd;
    void *ctx;
    int version;
    dep_list *out;
    char **files;       /* out->items[i] came from files[i] */
    const char **stack; /* files being resolved, for cycles */
    size_t depth;
    char *err;
    size_t errlen;
} resolver;

static int add_ref(resolver *r, const check_ref *ref)
{
    for (size_t i = 0; i < r->out->n; i++)
        if (strcmp(r->out->items[i].name, ref->name) == 0 && strcmp(r->files[i], ref->file) == 0)
            return 0;
    for (size_t i = 0; i < r->depth; i++)
        if (strcmp(r->stack[i], ref->file) == 0) {
            snprintf(r->err, r->errlen, "reference \"%s\": %s is part of a reference cycle",
                     ref->name, ref->file);
            return -1;
        }
    if (r->depth >= MAX_REF_DEPTH) {
        snprintf(r->err, r->errlen, "reference \"%s\": references nested more than %d deep",
                 ref->name, MAX_REF_DEPTH);
        return -1;
    }
    const check_entry *owner = check_config_entry_for_file(r->cfg, ref->file);
    if (owner) {
        r->stack[r->depth++] = ref->file;
        for (size_t i = 0; i < owner->n_refs; i++)
            if (add_ref(r, &owner->refs[i]) < 0) return -1;
        r->depth--;
    }
    if (r->out->n >= MAX_REFERENCES) {
        snprintf(r->err, r->errlen, "more than %d references", MAX_REFERENCES);
        return -1;
    }
    char *text = r->rd(r->ctx, ref->file);
    if (!text) {
        snprintf(r->err, r->errlen, "reference \"%s\": cannot read %s", ref->name, ref->file);
        return -1;
    }
    r->files = xrealloc(r->files, (r->out->n + 1) * sizeof *r->files);
    r->files[r->out->n] = xstrdup(ref->file);
    dep_list_add(r->out, ref->name, ref->subject, r->version, text);
    return 0;
}

int check_refs_resolve(const check_config *cfg, const check_entry *e, check_reader rd,
                       void *ctx, int version, dep_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *stack[MAX_REF_DEPTH + 1];
    resolver r = {cfg, rd, ctx, version, out, NULL, stack, 0, err, errlen};
    stack[r.depth++] = e->file;
    int rc = 0;
    for (size_t i = 0; i < e->n_refs && rc == 0; i++) rc = add_ref(&r, &e->refs[i]);
    for (size_t i = 0; i < out->n; i++) free(r.files[i]);
    free(r.files);
    if (rc < 0) dep_list_free(out);
    return rc;
}
