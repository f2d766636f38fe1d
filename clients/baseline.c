/*
 * Baselines of `schemareg check`: what the new schema files are compared with.
 *
 *   git:REF (or buf's .git#ref=REF, .git#branch=B, .git#tag=T)
 *       The files as committed at REF, read from git objects (git cat-file; no
 *       checkout, the working tree is not touched). The versions of a file are the
 *       distinct contents it had in the commits that changed it, up to REF,
 *       following renames (git log --follow): v1 is the first. References of a
 *       version are read at the same commit (else from the working copy).
 *   dir:PATH, or an existing directory
 *       The same relative paths under PATH (v1 is the only version).
 *   file:PATH, or an existing regular file (single-file mode)
 *       That file (v1).
 *   http://..., https://...
 *       A Confluent-compatible registry, read-only: GET /subjects/{s}/versions and
 *       /subjects/{s}/versions/{v}; references resolved through the registry.
 *   sqlite:PATH, or a file that starts with the SQLite header
 *       A schemareg registry's database, opened read-only (store_open_readonly).
 *
 * Registry baselines know their versions' numbers and schema types; git and
 * directory baselines take the type of the config entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/strbuf.h"
#include "../store/store.h"
#include "check.h"
#include "cli.h"
#include "rest.h"

#define MAX_REFERENCES 1000
#define MAX_REF_DEPTH 64

typedef enum bl_kind { BL_GIT, BL_DIR, BL_FILE, BL_REGISTRY, BL_SQLITE } bl_kind;

struct baseline {
    bl_kind kind;
    char *where;  /* git: the ref as given; dir/file/sqlite: the path; registry: the URL */
    char *desc;
    char *commit; /* git: the ref resolved to a commit id */
    rest_client *rest;
    store *st;
};

void bl_versions_free(bl_versions *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->items[i].label);
        free(v->items[i].type);
        free(v->items[i].text);
        free(v->items[i].error);
        dep_list_free(&v->items[i].deps);
    }
    free(v->items);
    v->items = NULL;
    v->n = 0;
}

static bl_version *versions_push(bl_versions *v)
{
    v->items = xrealloc(v->items, (v->n + 1) * sizeof *v->items);
    bl_version *it = &v->items[v->n++];
    memset(it, 0, sizeof *it);
    return it;
}

const char *baseline_describe(const baseline *b)
{
    return b->desc;
}

void baseline_close(baseline *b)
{
    if (!b) return;
    free(b->where);
    free(b->desc);
    free(b->commit);
    rest_free(b->rest);
    store_close(b->st);
    free(b);
}

/* --- git -------------------------------------------------------------------------- */

/* Run `git -C dir ARGS`; its stdout in *out (NUL-terminated, malloc'd). Returns
 * git's exit status, or -1 when it cannot be run. stderr goes to /dev/null. */
static int git_run(const char *dir, const char *const *args, char **out)
{
    const char *argv[24];
    size_t n = 0;
    argv[n++] = "git";
    argv[n++] = "-C";
    argv[n++] = dir;
    argv[n++] = "-c";
    argv[n++] = "core.quotepath=off";
    argv[n++] = "-c";
    argv[n++] = "log.showSignature=false";
    argv[n++] = "-c";
    argv[n++] = "color.ui=false";
    argv[n++] = "--no-pager";
    for (size_t i = 0; args[i] && n < sizeof argv / sizeof argv[0] - 1; i++) argv[n++] = args[i];
    argv[n] = NULL;

    *out = NULL;
    int fds[2];
    if (pipe(fds) < 0) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 2);
        }
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp("git", (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    for (;;) {
        ssize_t r = read(fds[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        strbuf_add(&sb, buf, (size_t)r);
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            strbuf_free(&sb);
            return -1;
        }
    *out = strbuf_take(&sb);
    if (!WIFEXITED(status)) return -1;
    int rc = WEXITSTATUS(status);
    return rc == 127 ? -1 : rc;
}

/* Where git runs for a file and the path it is known by there ("./file"). The
 * directory is canonical (symlinks resolved), so the path is the one git's tree
 * has: through a symlinked directory, git would not find it. */
static void git_place(const check_config *cfg, const char *file, char **dir, char **rel)
{
    strbuf full = STRBUF_INIT;
    if (file[0] == '/') strbuf_puts(&full, file);
    else strbuf_printf(&full, "%s/%s", cfg->dir, file);
    char *real = realpath(full.data, NULL);
    const char *path = real ? real : full.data;
    const char *slash = strrchr(path, '/');
    *dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "./%s", slash + 1);
    *rel = strbuf_take(&sb);
    free(real);
    strbuf_free(&full);
}

/* The content of `file` at `commit`: 1 with *out, 0 when the commit does not
 * have the file, -1 when git cannot tell (the commit is not in the file's
 * repository, git failed): the caller must not take that for "new". */
static int git_show_at(const check_config *cfg, const char *commit, const char *file,
                       char **out)
{
    char *dir, *rel;
    git_place(cfg, file, &dir, &rel);
    strbuf obj = STRBUF_INIT;
    strbuf_printf(&obj, "%s:%s", commit, rel);
    const char *args[] = {"cat-file", "blob", obj.data, NULL};
    int rc = git_run(dir, args, out);
    int found = 1;
    if (rc != 0) {
        free(*out);
        *out = NULL;
        /* Absent from the commit, or no such commit here at all? */
        strbuf_free(&obj);
        strbuf_printf(&obj, "%s^{commit}", commit);
        const char *probe[] = {"cat-file", "-e", obj.data, NULL};
        char *ignored = NULL;
        found = git_run(dir, probe, &ignored) == 0 ? 0 : -1;
        free(ignored);
    }
    strbuf_free(&obj);
    free(dir);
    free(rel);
    return found;
}

/* The content of `file` at `commit`, or NULL if it cannot be had. */
static char *git_show(const check_config *cfg, const char *commit, const char *file)
{
    char *out = NULL;
    return git_show_at(cfg, commit, file, &out) > 0 ? out : NULL;
}

/* A blob by id. */
static char *git_blob(const char *dir, const char *sha)
{
    const char *args[] = {"cat-file", "blob", sha, NULL};
    char *out;
    if (git_run(dir, args, &out) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

typedef struct git_reader_ctx {
    const check_config *cfg;
    const char *commit;
} git_reader_ctx;

/* References at the commit of the version, else from the working copy. */
static char *git_reader(void *ctx, const char *file)
{
    git_reader_ctx *g = ctx;
    char *text = git_show(g->cfg, g->commit, file);
    return text ? text : check_read_local((void *)g->cfg, file);
}

static int is_hex_id(const char *s, size_t len)
{
    if (len != 40 && len != 64) return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

typedef struct git_rev {
    char commit[65];
    char blob[65];
} git_rev;

/* (commit, blob) of every commit up to b->commit that changed the file, oldest
 * first, consecutive equal contents merged (the oldest commit kept). */
static int git_history(const baseline *b, const char *dir, const char *rel, git_rev **out,
                       size_t *n)
{
    const char *args[] = {"log",   "--follow", "--no-relative", "--format=%H", "--raw",
                          "--no-abbrev", b->commit, "--", rel, NULL};
    char *text;
    *out = NULL;
    *n = 0;
    if (git_run(dir, args, &text) != 0) {
        free(text);
        return -1;
    }
    git_rev *revs = NULL;
    size_t nr = 0;
    char commit[65] = "";
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        size_t len = next ? (size_t)(next - line) : strlen(line);
        if (next) *next++ = '\0';
        if (is_hex_id(line, len)) {
            memcpy(commit, line, len + 1);
        } else if (line[0] == ':' && commit[0]) {
            /* ":100644 100644 <old> <new> M\tpath" */
            char *tok = line, *fields[4];
            size_t nf = 0;
            while (nf < 4 && tok) {
                fields[nf++] = tok;
                tok = strchr(tok, ' ');
                if (tok) *tok++ = '\0';
            }
            if (nf < 4 || !is_hex_id(fields[3], strlen(fields[3]))) continue;
            if (strspn(fields[3], "0") == strlen(fields[3])) { /* deleted */
                commit[0] = '\0';
                continue;
            }
            revs = xrealloc(revs, (nr + 1) * sizeof *revs);
            snprintf(revs[nr].commit, sizeof revs[nr].commit, "%s", commit);
            snprintf(revs[nr].blob, sizeof revs[nr].blob, "%s", fields[3]);
            nr++;
            commit[0] = '\0';
        }
    }
    free(text);
    /* newest first -> oldest first, merging equal neighbours */
    git_rev *asc = xcalloc(nr + 1, sizeof *asc);
    size_t na = 0;
    for (size_t i = nr; i-- > 0;) {
        if (na && strcmp(asc[na - 1].blob, revs[i].blob) == 0) continue;
        asc[na++] = revs[i];
    }
    free(revs);
    *out = asc;
    *n = na;
    return 0;
}

static void git_version(const check_config *cfg, const check_entry *e, int version,
                        const char *commit, char *text, bl_versions *out)
{
    bl_version *v = versions_push(out);
    v->version = version;
    v->label = xstrndup(commit, 7);
    v->type = xstrdup(e->type);
    v->text = text;
    git_reader_ctx g = {cfg, commit};
    char err[512];
    if (check_refs_resolve(cfg, e, git_reader, &g, 0, &v->deps, err, sizeof err) < 0)
        v->error = xstrdup(err);
}

static int git_fetch(baseline *b, const check_config *cfg, const check_entry *e, int all,
                     bl_versions *out, char *err, size_t errlen)
{
    char *latest = NULL;
    int have = git_show_at(cfg, b->commit, e->file, &latest);
    if (have == 0) return CLI_OK; /* not in the baseline: new */
    if (have < 0) {
        snprintf(err, errlen, "cannot read %s at %s: the commit is not in the repository "
                              "that holds the file, or git failed", e->path, b->where);
        return CLI_UNAVAILABLE;
    }
    char *dir, *rel;
    git_place(cfg, e->file, &dir, &rel);
    git_rev *revs;
    size_t n;
    if (git_history(b, dir, rel, &revs, &n) < 0) {
        snprintf(err, errlen, "git log of %s at %s failed", e->path, b->where);
        free(latest);
        free(dir);
        free(rel);
        return CLI_UNAVAILABLE;
    }
    /* The content at the ref is the last version; history gives the numbers. */
    size_t last = n;
    char *last_text = n ? git_blob(dir, revs[n - 1].blob) : NULL;
    if (!last_text || strcmp(last_text, latest) != 0) last = n + 1;
    free(last_text);
    if (all) {
        for (size_t i = 0; i + 1 < last && i < n; i++) {
            char *text = git_blob(dir, revs[i].blob);
            if (!text) {
                snprintf(err, errlen, "cannot read %s at commit %.12s", e->path, revs[i].commit);
                free(latest);
                free(dir);
                free(rel);
                free(revs);
                bl_versions_free(out);
                return CLI_UNAVAILABLE;
            }
            git_version(cfg, e, (int)i + 1, revs[i].commit, text, out);
        }
    }
    git_version(cfg, e, (int)last, last == n ? revs[n - 1].commit : b->commit, latest, out);
    free(dir);
    free(rel);
    free(revs);
    return CLI_OK;
}

static int git_open(baseline *b, const check_config *cfg, const char *ref)
{
    if (!*ref || ref[0] == '-') {
        fprintf(stderr, "schemareg check: --against: '%s' is not a git ref\n", ref);
        return CLI_USAGE;
    }
    strbuf spec = STRBUF_INIT;
    strbuf_printf(&spec, "%s^{commit}", ref);
    const char *args[] = {"rev-parse", "--verify", "--quiet", "--end-of-options", spec.data,
                          NULL};
    char *out;
    int rc = git_run(cfg->dir, args, &out);
    strbuf_free(&spec);
    if (rc != 0) {
        free(out);
        const char *probe[] = {"rev-parse", "--git-dir", NULL};
        int in_repo = git_run(cfg->dir, probe, &out) == 0;
        free(out);
        if (rc < 0)
            fprintf(stderr, "schemareg check: baseline unavailable: cannot run git\n");
        else if (!in_repo)
            fprintf(stderr, "schemareg check: baseline unavailable: %s is not in a git "
                            "repository\n", cfg->dir);
        else
            fprintf(stderr, "schemareg check: baseline unavailable: no commit '%s' in the git "
                            "repository of %s\n", ref, cfg->dir);
        return CLI_UNAVAILABLE;
    }
    out[strcspn(out, "\n")] = '\0';
    b->commit = out;
    b->where = xstrdup(ref);
    strbuf d = STRBUF_INIT;
    strbuf_printf(&d, "git:%s (%.7s)", ref, out);
    b->desc = strbuf_take(&d);
    return CLI_OK;
}

/* --- directory and file ------------------------------------------------------------ */

static char *read_path(const char *path, int *missing)
{
    *missing = 0;
    struct stat st;
    if (stat(path, &st) < 0) {
        *missing = errno == ENOENT || errno == ENOTDIR;
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *missing = 1;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
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

typedef struct dir_reader_ctx {
    const check_config *cfg;
    const char *dir;
} dir_reader_ctx;

static char *dir_file(const char *dir, const char *file)
{
    if (file[0] == '/') {
        const char *slash = strrchr(file, '/');
        file = slash + 1;
    }
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s/%s", dir, file);
    return strbuf_take(&sb);
}

static char *dir_reader(void *ctx, const char *file)
{
    dir_reader_ctx *d = ctx;
    char *path = dir_file(d->dir, file);
    int missing;
    char *text = read_path(path, &missing);
    free(path);
    return text ? text : check_read_local((void *)d->cfg, file);
}

static int file_fetch(baseline *b, const check_config *cfg, const check_entry *e,
                      bl_versions *out, char *err, size_t errlen)
{
    char *path = b->kind == BL_DIR ? dir_file(b->where, e->file) : xstrdup(b->where);
    int missing;
    char *text = read_path(path, &missing);
    if (!text) {
        int rc = CLI_OK;
        if (!missing || b->kind == BL_FILE) {
            snprintf(err, errlen, "cannot read %s: %s", path,
                     missing ? "no such file" : strerror(errno));
            rc = CLI_UNAVAILABLE;
        }
        free(path);
        return rc; /* missing under a directory: new */
    }
    free(path);
    bl_version *v = versions_push(out);
    v->version = 1;
    v->type = xstrdup(e->type);
    v->text = text;
    dir_reader_ctx d = {cfg, b->where};
    char msg[512];
    int rc = b->kind == BL_DIR
                 ? check_refs_resolve(cfg, e, dir_reader, &d, 0, &v->deps, msg, sizeof msg)
                 : check_refs_resolve(cfg, e, check_read_local, (void *)cfg, 0, &v->deps, msg,
                                      sizeof msg);
    if (rc < 0) v->error = xstrdup(msg);
    return CLI_OK;
}

/* --- registries (REST and SQLite) --------------------------------------------------- */

/* One registered version. */
typedef struct reg_schema {
    long long id;
    char *type;
    char *text;
    store_ref *refs;
    size_t n_refs;
} reg_schema;

static void reg_schema_free(reg_schema *s)
{
    free(s->type);
    free(s->text);
    for (size_t i = 0; i < s->n_refs; i++) {
        free(s->refs[i].name);
        free(s->refs[i].subject);
    }
    free(s->refs);
    memset(s, 0, sizeof *s);
}

/* 0 ok, 1 not found, -1 unavailable (err set) */
static int rest_get(baseline *b, const char *path, rest_response *r, char *err, size_t errlen)
{
    char msg[1024];
    if (rest_call(b->rest, "GET", path, NULL, r, msg, sizeof msg) < 0) {
        snprintf(err, errlen, "%s", msg);
        return -1;
    }
    if (r->status == 404) {
        rest_response_free(r);
        return 1;
    }
    if (r->status != 200 || !r->json) {
        char buf[1024];
        snprintf(err, errlen, "%s%s answered %s", rest_base_url(b->rest), path,
                 rest_error_text(r, buf, sizeof buf));
        rest_response_free(r);
        return -1;
    }
    return 0;
}

/* The live versions of a subject, ascending. 0 ok, 1 no such subject, -1 error. */
static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int reg_versions(baseline *b, const char *subject, int **out, size_t *n, char *err,
                        size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (b->kind == BL_SQLITE) {
        store_versions vs;
        sr_error e;
        if (store_subject_versions(b->st, subject, &vs, &e) < 0) {
            snprintf(err, errlen, "%s: %s", b->where, e.msg);
            return -1;
        }
        *out = xcalloc(vs.n + 1, sizeof **out);
        for (size_t i = 0; i < vs.n; i++)
            if (!vs.items[i].deleted) (*out)[(*n)++] = vs.items[i].version;
        store_versions_free(&vs);
        return *n ? 0 : 1;
    }
    char *esc = rest_escape(subject);
    strbuf path = STRBUF_INIT;
    strbuf_printf(&path, "/subjects/%s/versions", esc);
    free(esc);
    rest_response r;
    int rc = rest_get(b, path.data, &r, err, errlen);
    strbuf_free(&path);
    if (rc) return rc;
    if (!json_is_array(r.json)) {
        snprintf(err, errlen, "%s: unexpected answer to GET versions of %s",
                 rest_base_url(b->rest), subject);
        rest_response_free(&r);
        return -1;
    }
    size_t i;
    json_t *v;
    *out = xcalloc(json_array_size(r.json) + 1, sizeof **out);
    json_array_foreach(r.json, i, v) {
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;
        if (x < 1 || x > INT_MAX) { /* versions are 1..2^31-1: anything else is broken */
            snprintf(err, errlen, "%s: impossible version in the versions of %s",
                     rest_base_url(b->rest), subject);
            rest_response_free(&r);
            free(*out);
            *out = NULL;
            *n = 0;
            return -1;
        }
        (*out)[(*n)++] = (int)x;
    }
    rest_response_free(&r);
    /* ascending, so the last is the newest whatever order the registry used */
    qsort(*out, *n, sizeof **out, compare_ints);
    return *n ? 0 : 1;
}

/* One version (soft-deleted ones too: references may point at them). version -1:
 * the latest live one. 0 ok, 1 not found, -1 error. */
static int reg_get(baseline *b, const char *subject, int version, reg_schema *out, char *err,
                   size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (b->kind == BL_SQLITE) {
        store_versions vs;
        sr_error e;
        if (store_subject_versions(b->st, subject, &vs, &e) < 0) {
            snprintf(err, errlen, "%s: %s", b->where, e.msg);
            return -1;
        }
        long long id = 0;
        for (size_t i = vs.n; i-- > 0;)
            if (version == -1 ? !vs.items[i].deleted : vs.items[i].version == version) {
                id = vs.items[i].id;
                break;
            }
        store_versions_free(&vs);
        if (!id) return 1;
        store_schema s;
        int rc = store_schema_get_any(b->st, id, &s, &e);
        if (rc < 0) {
            snprintf(err, errlen, "%s: %s", b->where, e.msg);
            return -1;
        }
        if (rc == 0) return 1;
        out->id = s.id;
        out->type = s.type;
        out->text = s.text;
        out->refs = s.refs;
        out->n_refs = s.n_refs;
        s.type = s.text = NULL;
        s.refs = NULL;
        s.n_refs = 0;
        store_schema_free(&s);
        return 0;
    }
    char *esc = rest_escape(subject);
    strbuf path = STRBUF_INIT;
    if (version == -1) strbuf_printf(&path, "/subjects/%s/versions/latest", esc);
    else strbuf_printf(&path, "/subjects/%s/versions/%d?deleted=true", esc, version);
    free(esc);
    rest_response r;
    int rc = rest_get(b, path.data, &r, err, errlen);
    strbuf_free(&path);
    if (rc) return rc;
    json_t *schema = json_object_get(r.json, "schema");
    json_t *type = json_object_get(r.json, "schemaType");
    if (!json_is_string(schema)) {
        snprintf(err, errlen, "%s: no schema in the answer for %s version %d",
                 rest_base_url(b->rest), subject, version);
        rest_response_free(&r);
        return -1;
    }
    out->id = json_integer_value(json_object_get(r.json, "id"));
    out->type = xstrdup(json_is_string(type) ? json_string_value(type) : "AVRO");
    out->text = xstrdup(json_string_value(schema));
    json_t *refs = json_object_get(r.json, "references");
    out->refs = xcalloc(json_array_size(refs) + 1, sizeof *out->refs);
    size_t i;
    json_t *ref;
    json_array_foreach(refs, i, ref) {
        json_t *n = json_object_get(ref, "name"), *s = json_object_get(ref, "subject");
        if (!json_is_string(n) || !json_is_string(s)) continue;
        store_ref *sr = &out->refs[out->n_refs++];
        sr->name = xstrdup(json_string_value(n));
        sr->subject = xstrdup(json_string_value(s));
        sr->version = (int)json_integer_value(json_object_get(ref, "version"));
    }
    rest_response_free(&r);
    return 0;
}

typedef struct reg_deps {
    dep_list *out;
    long long *ids;
    char *err;
    size_t errlen;
    int unavailable;
} reg_deps;

/* The server's add_deps over a registry baseline. 0 ok, -1 failed (err set). */
static int reg_add_deps(baseline *b, const store_ref *ref, int depth, reg_deps *d)
{
    if (depth > MAX_REF_DEPTH) {
        snprintf(d->err, d->errlen, "references nested more than %d deep", MAX_REF_DEPTH);
        return -1;
    }
    reg_schema s;
    int rc = reg_get(b, ref->subject, ref->version, &s, d->err, d->errlen);
    if (rc < 0) d->unavailable = 1;
    if (rc == 1)
        snprintf(d->err, d->errlen, "reference \"%s\": no version %d of subject \"%s\"",
                 ref->name, ref->version, ref->subject);
    if (rc) return -1;
    for (size_t i = 0; i < d->out->n; i++)
        if (d->ids[i] == s.id && strcmp(d->out->items[i].name, ref->name) == 0) {
            reg_schema_free(&s);
            return 0;
        }
    for (size_t i = 0; i < s.n_refs && rc == 0; i++) rc = reg_add_deps(b, &s.refs[i], depth + 1, d);
    if (rc == 0 && d->out->n >= MAX_REFERENCES) {
        snprintf(d->err, d->errlen, "more than %d references", MAX_REFERENCES);
        rc = -1;
    }
    if (rc == 0) {
        d->ids = xrealloc(d->ids, (d->out->n + 1) * sizeof *d->ids);
        d->ids[d->out->n] = s.id;
        int version = ref->version;
        dep_list_add(d->out, ref->name, ref->subject, version, s.text);
        s.text = NULL;
    }
    reg_schema_free(&s);
    return rc;
}

static int reg_fetch(baseline *b, const check_entry *e, int all, bl_versions *out, char *err,
                     size_t errlen)
{
    int *versions;
    size_t n;
    int rc = reg_versions(b, e->subject, &versions, &n, err, errlen);
    if (rc) {
        free(versions);
        return rc < 0 ? CLI_UNAVAILABLE : CLI_OK; /* no such subject: new */
    }
    for (size_t i = all ? 0 : n - 1; i < n; i++) {
        reg_schema s;
        rc = reg_get(b, e->subject, versions[i], &s, err, errlen);
        if (rc == 1) continue; /* deleted meanwhile */
        if (rc < 0) break;
        bl_version *v = versions_push(out);
        v->version = versions[i];
        v->type = s.type;
        v->text = s.text;
        s.type = s.text = NULL;
        char msg[512];
        reg_deps d = {&v->deps, NULL, msg, sizeof msg, 0};
        for (size_t k = 0; k < s.n_refs && rc == 0; k++) rc = reg_add_deps(b, &s.refs[k], 1, &d);
        free(d.ids);
        reg_schema_free(&s);
        if (rc < 0 && d.unavailable) {
            snprintf(err, errlen, "%s", msg);
            break;
        }
        if (rc < 0) {
            dep_list_free(&v->deps);
            v->error = xstrdup(msg);
            rc = 0;
        }
    }
    free(versions);
    if (rc < 0) {
        bl_versions_free(out);
        return CLI_UNAVAILABLE;
    }
    return CLI_OK;
}

static int registry_open(baseline *b, const char *url, const char *user)
{
    b->rest = rest_new(url, user);
    b->where = xstrdup(rest_base_url(b->rest));
    b->desc = xstrdup(b->where);
    rest_response r;
    char err[1024];
    int rc = rest_get(b, "/subjects", &r, err, sizeof err);
    if (rc == 0) rest_response_free(&r);
    if (rc != 0) {
        if (rc == 1) snprintf(err, sizeof err, "%s/subjects answered 404", b->where);
        fprintf(stderr, "schemareg check: baseline unavailable: %s\n", err);
        return CLI_UNAVAILABLE;
    }
    return CLI_OK;
}

static int sqlite_open(baseline *b, const char *path)
{
    sr_error e;
    b->where = xstrdup(path);
    strbuf d = STRBUF_INIT;
    strbuf_printf(&d, "sqlite:%s", path);
    b->desc = strbuf_take(&d);
    b->st = store_open_readonly(path, &e);
    if (!b->st) {
        fprintf(stderr, "schemareg check: baseline unavailable: %s\n", e.msg);
        return CLI_UNAVAILABLE;
    }
    return CLI_OK;
}

/* --- choosing -------------------------------------------------------------------------- */

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int is_sqlite_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char head[16];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == 16 && memcmp(head, "SQLite format 3", 16) == 0;
}

int baseline_open(const char *spec, const check_config *cfg, const char *user, baseline **out)
{
    baseline *b = xcalloc(1, sizeof *b);
    *out = NULL;
    int rc;
    struct stat st;
    if (has_prefix(spec, "git:")) {
        b->kind = BL_GIT;
        rc = git_open(b, cfg, spec + 4);
    } else if (has_prefix(spec, ".git#")) {
        const char *kv = spec + 5;
        const char *ref = has_prefix(kv, "ref=")      ? kv + 4
                          : has_prefix(kv, "branch=") ? kv + 7
                          : has_prefix(kv, "tag=")    ? kv + 4
                                                      : NULL;
        b->kind = BL_GIT;
        if (!ref) {
            fprintf(stderr, "schemareg check: --against: use .git#ref=REF, .git#branch=NAME or "
                            ".git#tag=NAME (or git:REF)\n");
            rc = CLI_USAGE;
        } else {
            rc = git_open(b, cfg, ref);
        }
    } else if (has_prefix(spec, "http://") || has_prefix(spec, "https://")) {
        b->kind = BL_REGISTRY;
        rc = registry_open(b, spec, user);
    } else if (has_prefix(spec, "sqlite:")) {
        b->kind = BL_SQLITE;
        rc = sqlite_open(b, spec + 7);
    } else if (has_prefix(spec, "dir:") || has_prefix(spec, "file:")) {
        int dir = has_prefix(spec, "dir:");
        const char *path = spec + (dir ? 4 : 5);
        b->kind = dir ? BL_DIR : BL_FILE;
        b->where = xstrdup(path);
        b->desc = xstrdup(spec);
        rc = CLI_OK;
        if (stat(path, &st) < 0 || (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) ||
            access(path, R_OK | (dir ? X_OK : 0)) < 0) {
            fprintf(stderr, "schemareg check: baseline unavailable: %s is not a readable %s\n",
                    path, dir ? "directory" : "file");
            rc = CLI_UNAVAILABLE;
        }
    } else if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
        b->kind = BL_DIR;
        b->where = xstrdup(spec);
        strbuf d = STRBUF_INIT;
        strbuf_printf(&d, "dir:%s", spec);
        b->desc = strbuf_take(&d);
        rc = CLI_OK;
        if (access(spec, R_OK | X_OK) < 0) {
            fprintf(stderr, "schemareg check: baseline unavailable: %s is not readable\n", spec);
            rc = CLI_UNAVAILABLE;
        }
    } else if (stat(spec, &st) == 0 && S_ISREG(st.st_mode) && is_sqlite_file(spec)) {
        b->kind = BL_SQLITE;
        rc = sqlite_open(b, spec);
    } else if (stat(spec, &st) == 0 && S_ISREG(st.st_mode)) {
        b->kind = BL_FILE;
        b->where = xstrdup(spec);
        strbuf d = STRBUF_INIT;
        strbuf_printf(&d, "file:%s", spec);
        b->desc = strbuf_take(&d);
        rc = CLI_OK;
    } else {
        fprintf(stderr,
                "schemareg check: baseline unavailable: '%s' is no file, directory, git:REF, "
                "registry URL or sqlite:FILE\n",
                spec);
        rc = CLI_UNAVAILABLE;
    }
    if (rc == CLI_OK && b->kind == BL_FILE && cfg->source) {
        fprintf(stderr, "schemareg check: --against FILE compares one file: give the new file "
                        "on the command line, without a config\n");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        baseline_close(b);
        return rc;
    }
    *out = b;
    return CLI_OK;
}

int baseline_is_registry(const baseline *b)
{
    return b->kind == BL_REGISTRY || b->kind == BL_SQLITE;
}

int baseline_fetch(baseline *b, const check_config *cfg, const check_entry *e, int all,
                   bl_versions *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    switch (b->kind) {
    case BL_GIT: return git_fetch(b, cfg, e, all, out, err, errlen);
    case BL_DIR:
    case BL_FILE: return file_fetch(b, cfg, e, out, err, errlen);
    case BL_REGISTRY:
    case BL_SQLITE: return reg_fetch(b, e, all, out, err, errlen);
    }
    return CLI_UNAVAILABLE;
}
