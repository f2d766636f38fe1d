/*
 * $ref resolution for JSON Schema: RFC 3986 URI resolution, JSON pointers
 * (with ~0 ~1 and percent-encoding), $id-based resources, anchors ($anchor,
 * draft <= 7 plain-name $id fragments, $dynamicAnchor), references to other
 * subjects (documents known by their reference name), $recursiveRef and
 * $dynamicRef, and the rejection of $ref cycles with no schema in between.
 *
 * $recursiveRef / $dynamicRef are resolved statically (the model is a static
 * graph): the reference is first resolved like $ref; if its target is a
 * dynamic anchor point ($recursiveAnchor: true / a $dynamicAnchor of the
 * fragment's name), and the schema's own root resource (the outermost dynamic
 * scope, where evaluation starts) has the same anchor, the reference points
 * there instead. This is exact for the usual "extensible recursive schema"
 * pattern and for schemas that are evaluated from their own root.
 */
#include "js_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* URIs                                                                      */

typedef struct uri {
    const char *scheme, *auth, *path, *query, *frag;
    size_t scheme_len, auth_len, path_len, query_len, frag_len;
    int has_scheme, has_auth, has_query, has_frag;
} uri;

static void uri_parse(const char *s, uri *u)
{
    memset(u, 0, sizeof *u);
    const char *p = s;
    if (isalpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.') q++;
        if (*q == ':') {
            u->has_scheme = 1;
            u->scheme = p;
            u->scheme_len = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        u->has_auth = 1;
        u->auth = p + 2;
        p += 2;
        while (*p && *p != '/' && *p != '?' && *p != '#') p++;
        u->auth_len = (size_t)(p - u->auth);
    }
    u->path = p;
    while (*p && *p != '?' && *p != '#') p++;
    u->path_len = (size_t)(p - u->path);
    if (*p == '?') {
        u->has_query = 1;
        u->query = ++p;
        while (*p && *p != '#') p++;
        u->query_len = (size_t)(p - u->query);
    }
    if (*p == '#') {
        u->has_frag = 1;
        u->frag = p + 1;
        u->frag_len = strlen(p + 1);
    }
}

/* RFC 3986 §5.2.4 */
static void remove_dot_segments(strbuf *out, const char *in, size_t n)
{
    char *buf = xstrndup(in, n);
    char *s = buf;
    strbuf res = STRBUF_INIT;
    while (*s) {
        if (strncmp(s, "../", 3) == 0) {
            s += 3;
        } else if (strncmp(s, "./", 2) == 0) {
            s += 2;
        } else if (strncmp(s, "/./", 3) == 0) {
            s += 2;
        } else if (strcmp(s, "/.") == 0) {
            s[1] = '\0';
        } else if (strncmp(s, "/../", 4) == 0 || strcmp(s, "/..") == 0) {
            if (s[3] == '\0') {
                s += 2;
                *s = '/';
            } else {
                s += 3;
            }
            while (res.len > 0 && res.data[res.len - 1] != '/') res.len--;
            if (res.len > 0) res.len--;
            if (res.data) res.data[res.len] = '\0';
        } else if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
            s += strlen(s);
        } else {
            size_t k = (*s == '/') ? 1 : 0;
            while (s[k] && s[k] != '/') k++;
            strbuf_add(&res, s, k);
            s += k;
        }
    }
    strbuf_add(out, res.data ? res.data : "", res.len);
    strbuf_free(&res);
    free(buf);
}

static void put_lower(strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) strbuf_putc(sb, (char)tolower((unsigned char)s[i]));
}

static void put_uri(strbuf *sb, const uri *u, const char *path, size_t path_len, int dots)
{
    if (u->has_scheme) {
        put_lower(sb, u->scheme, u->scheme_len);
        strbuf_putc(sb, ':');
    }
    if (u->has_auth) {
        strbuf_puts(sb, "//");
        strbuf_add(sb, u->auth, u->auth_len);
    }
    if (dots)
        remove_dot_segments(sb, path, path_len);
    else
        strbuf_add(sb, path, path_len);
}

char *js_uri_resolve(js_arena *a, const char *base, const char *ref)
{
    uri r, b, t;
    uri_parse(ref, &r);
    strbuf sb = STRBUF_INIT;
    const char *query = NULL;
    size_t query_len = 0;
    int has_query = 0;
    if (r.has_scheme || !base || !*base) {
        /* absolute (or nothing to resolve against): normalise only */
        put_uri(&sb, &r, r.path, r.path_len, r.has_scheme || r.has_auth || r.path[0] == '/');
        has_query = r.has_query;
        query = r.query;
        query_len = r.query_len;
    } else {
        uri_parse(base, &b);
        t = b;
        t.has_auth = b.has_auth;
        if (r.has_auth) {
            t.has_auth = 1;
            t.auth = r.auth;
            t.auth_len = r.auth_len;
            put_uri(&sb, &t, r.path, r.path_len, 1);
            has_query = r.has_query;
            query = r.query;
            query_len = r.query_len;
        } else if (r.path_len == 0) {
            put_uri(&sb, &t, b.path, b.path_len, 0);
            if (r.has_query) {
                has_query = 1;
                query = r.query;
                query_len = r.query_len;
            } else {
                has_query = b.has_query;
                query = b.query;
                query_len = b.query_len;
            }
        } else {
            strbuf merged = STRBUF_INIT;
            if (r.path[0] == '/') {
                strbuf_add(&merged, r.path, r.path_len);
            } else if (b.has_auth && b.path_len == 0) {
                strbuf_putc(&merged, '/');
                strbuf_add(&merged, r.path, r.path_len);
            } else {
                size_t keep = b.path_len;
                while (keep > 0 && b.path[keep - 1] != '/') keep--;
                strbuf_add(&merged, b.path, keep);
                strbuf_add(&merged, r.path, r.path_len);
            }
            put_uri(&sb, &t, merged.data ? merged.data : "", merged.len, 1);
            strbuf_free(&merged);
            has_query = r.has_query;
            query = r.query;
            query_len = r.query_len;
        }
    }
    if (has_query) {
        strbuf_putc(&sb, '?');
        strbuf_add(&sb, query, query_len);
    }
    if (r.has_frag) {
        strbuf_putc(&sb, '#');
        strbuf_add(&sb, r.frag, r.frag_len);
    }
    char *s = strbuf_take(&sb);
    char *res = js_arena_strdup(a, s);
    free(s);
    return res;
}

char *js_uri_strip_fragment(js_arena *a, const char *u, const char **fragment)
{
    const char *h = strchr(u, '#');
    if (fragment) *fragment = h ? h + 1 : NULL;
    return h ? js_arena_strndup(a, u, (size_t)(h - u)) : js_arena_strdup(a, u);
}

/* ------------------------------------------------------------------------ */
/* JSON pointers                                                             */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Percent-decode s (arena); NULL if an escape is malformed or decodes to NUL. */
static char *percent_decode(js_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = js_arena_alloc(a, n + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0)) return NULL;
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* One unescaped pointer segment [s, s+n) (arena). NULL on a bad ~ escape. */
static char *pointer_segment(js_arena *a, const char *s, size_t n)
{
    char *out = js_arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '~') {
            if (i + 1 < n && s[i + 1] == '0')
                *o++ = '~';
            else if (i + 1 < n && s[i + 1] == '1')
                *o++ = '/';
            else
                return NULL;
            i++;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

static int array_index(const char *seg, size_t size, size_t *out)
{
    if (!*seg || (seg[0] == '0' && seg[1])) return -1;
    size_t v = 0;
    for (const char *p = seg; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        if (v > (size - 1) / 10 + 1) return -1;
        v = v * 10 + (size_t)(*p - '0');
    }
    if (v >= size) return -1;
    *out = v;
    return 0;
}

/* The id keyword of a draft. */
static const char *id_keyword(js_draft d)
{
    return d == JS_DRAFT_4 ? "id" : "$id";
}

/* Follow the (decoded, still ~-escaped) pointer `ptr` from the resource root
 * `from`. Returns the target value and fills *pointer and *base. */
static json_t *follow_pointer(js_ctx *c, const js_loc *from, const char *ptr,
                              const char **pointer, const char **base)
{
    json_t *v = (json_t *)from->value;
    const char *b = from->base;
    strbuf where = STRBUF_INIT;
    strbuf_puts(&where, from->pointer);
    const char *p = ptr;
    while (*p == '/') {
        const char *start = ++p;
        while (*p && *p != '/') p++;
        char *seg = pointer_segment(c->a, start, (size_t)(p - start));
        if (!seg) goto fail;
        json_t *next = NULL;
        if (json_is_object(v)) {
            next = json_object_get(v, seg);
        } else if (json_is_array(v)) {
            size_t i;
            if (array_index(seg, json_array_size(v), &i) == 0) next = json_array_get(v, i);
        }
        if (!next) goto fail;
        strbuf_putc(&where, '/');
        strbuf_add(&where, start, (size_t)(p - start));
        if (json_is_object(next)) {
            js_loc *known = js_ptrmap_get(&c->locs, next);
            if (known) {
                b = known->base;
            } else {
                json_t *id = json_object_get(next, id_keyword(from->doc->draft));
                if (json_is_string(id)) {
                    const char *frag;
                    char *abs = js_uri_strip_fragment(
                        c->a, js_uri_resolve(c->a, b, json_string_value(id)), &frag);
                    b = abs;
                }
            }
        }
        v = next;
    }
    if (*p) goto fail;
    *pointer = js_arena_strndup(c->a, where.data ? where.data : "#", where.len ? where.len : 1);
    *base = b;
    strbuf_free(&where);
    return v;
fail:
    strbuf_free(&where);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* resolution                                                                */

static const char *site_pointer(js_ctx *c, const js_refsite *s)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, s->from->pointer);
    strbuf_putc(&sb, '/');
    js_put_pointer_segment(&sb, s->keyword);
    char *t = strbuf_take(&sb);
    const char *r = js_arena_strdup(c->a, t);
    free(t);
    return r;
}

static const char *strip_dot_slash(const char *s)
{
    while (s[0] == '.' && s[1] == '/') s += 2;
    return s;
}

/* The loc of a schema value (a boolean gets a fresh one: booleans are shared). */
static js_loc *loc_for(js_ctx *c, js_doc *doc, json_t *v, const char *pointer, const char *base,
                       const js_loc *res)
{
    const char *resource = res->resource;
    if (json_is_object(v)) {
        js_loc *l = js_ptrmap_get(&c->locs, v);
        if (l) return l;
        /* a $id met on the way makes v the root of its own resource */
        js_loc *root = strcmp(base, res->base) == 0 ? res->resource_root : NULL;
        if (!root) resource = base;
        if (js_walk_schema(c, doc, v, pointer, base, resource, root, 0) < 0) return NULL;
        return js_ptrmap_get(&c->locs, v);
    }
    if (json_is_boolean(v) && doc->draft != JS_DRAFT_4) {
        js_loc *l = js_arena_alloc(c->a, sizeof *l);
        l->value = v;
        l->pointer = pointer;
        l->base = base;
        l->resource = resource;
        l->resource_root = res->resource_root;
        l->doc = doc;
        return l;
    }
    js_fail(c, doc, pointer, "a $ref target must be a schema (%s)",
            doc->draft == JS_DRAFT_4 ? "an object" : "an object or a boolean");
    return NULL;
}

/* The resource (document or $id'd schema) a URI without fragment names. */
static js_loc *find_resource(js_ctx *c, const js_refsite *s, const char *docpart,
                             const char *written_docpart)
{
    js_loc *r = js_strmap_get(&c->resources, docpart);
    if (r) return r;
    /* a reference to another subject by its reference name, as written */
    js_doc *d = js_strmap_get(&c->names, strip_dot_slash(written_docpart));
    (void)s;
    return d ? d->loc : NULL;
}

/* Resolve `ref` written in the schema `from` to a target loc, or NULL (err set). */
static js_loc *resolve(js_ctx *c, js_refsite *s, const char *ref)
{
    js_loc *from = s->from;
    const char *frag_written;
    char *written_docpart = js_uri_strip_fragment(c->a, ref, &frag_written);
    const char *abs = js_uri_resolve(c->a, from->base, ref);
    const char *frag;
    char *docpart = js_uri_strip_fragment(c->a, abs, &frag);
    const char *where = site_pointer(c, s);

    js_loc *res = NULL;
    if (strcmp(docpart, from->resource) == 0)
        res = from->resource_root; /* the current resource (also when another has its URI) */
    else
        res = find_resource(c, s, docpart, written_docpart);
    if (!res) {
        js_fail(c, from->doc, where, "cannot resolve \"%s\": no schema is known as \"%s\"", ref,
                *written_docpart ? written_docpart : docpart);
        return NULL;
    }
    if (!frag || !*frag) return res;

    char *decoded = percent_decode(c->a, frag);
    if (!decoded) {
        js_fail(c, from->doc, where, "cannot resolve \"%s\": bad percent-encoding", ref);
        return NULL;
    }
    if (decoded[0] == '/') {
        const char *pointer, *base;
        json_t *v = follow_pointer(c, res, decoded, &pointer, &base);
        if (!v) {
            js_fail(c, from->doc, where, "cannot resolve \"%s\": no such location", ref);
            return NULL;
        }
        js_loc *l = loc_for(c, res->doc, v, pointer, base, res);
        return l;
    }
    /* a plain name: $anchor, $dynamicAnchor, or a draft <= 7 "$id": "#name" */
    const char *resource_uri = res->resource ? res->resource : docpart;
    char *key = js_arena_printf(c->a, "%s#%s", resource_uri, decoded);
    js_loc *l = js_strmap_get(&c->resources, key);
    if (!l) {
        key = js_arena_printf(c->a, "%s#%s", docpart, decoded);
        l = js_strmap_get(&c->resources, key);
    }
    if (!l) js_fail(c, from->doc, where, "cannot resolve \"%s\": no anchor \"%s\"", ref, decoded);
    return l;
}

static js_doc *root_doc(js_ctx *c)
{
    return &c->docs[c->n_docs - 1];
}

static js_loc *resolve_recursive(js_ctx *c, js_refsite *s)
{
    js_loc *t = resolve(c, s, s->ref);
    if (!t || !json_is_object(t->value)) return t;
    if (!json_is_true(json_object_get(t->value, "$recursiveAnchor"))) return t;
    js_loc *outer = root_doc(c)->loc;
    if (outer && json_is_object(outer->value) && json_is_true(json_object_get(outer->value, "$recursiveAnchor"))) return outer;
    return t;
}

static js_loc *resolve_dynamic(js_ctx *c, js_refsite *s)
{
    js_loc *t = resolve(c, s, s->ref);
    if (!t || !json_is_object(t->value)) return t;
    const char *frag = strchr(s->ref, '#');
    if (!frag || frag[1] == '/' || !frag[1]) return t;
    json_t *anchor = json_object_get(t->value, "$dynamicAnchor");
    if (!json_is_string(anchor) || strcmp(json_string_value(anchor), frag + 1) != 0) return t;
    char *key = js_arena_printf(c->a, "%s#%s", root_doc(c)->uri, frag + 1);
    js_loc *outer = js_strmap_get(&c->dynamic, key);
    return outer ? outer : t;
}

#define ON_PATH ((void *)(uintptr_t)1)
#define DONE ((void *)(uintptr_t)2)

/* Reject chains of pure refs that come back to themselves (a -> b -> a, "#"). */
static int check_cycles(js_ctx *c)
{
    js_ptrmap state = {0}; /* js_refsite * -> ON_PATH or DONE */
    int rc = 0;
    for (size_t i = 0; i < c->n_sites && rc == 0; i++) {
        js_refsite *s = c->sites[i];
        if (!s->pure || js_ptrmap_get(&state, s)) continue;
        js_refsite *cur = s;
        while (cur && cur->pure) {
            void *st = js_ptrmap_get(&state, cur);
            if (st == DONE) break;
            if (st == ON_PATH) {
                rc = js_fail(c, cur->from->doc, site_pointer(c, cur),
                             "circular reference \"%s\": a $ref cycle with no schema in between",
                             cur->ref);
                break;
            }
            js_ptrmap_put(&state, cur, ON_PATH);
            cur = cur->target ? js_ptrmap_get(&c->site_of, cur->target) : NULL;
        }
        /* mark the walked chain as done */
        for (js_refsite *m = s; m && m->pure && js_ptrmap_get(&state, m) == ON_PATH;
             m = m->target ? js_ptrmap_get(&c->site_of, m->target) : NULL)
            js_ptrmap_put(&state, m, DONE);
    }
    js_ptrmap_free(&state);
    return rc;
}

int js_resolve_refs(js_ctx *c)
{
    /* sites may grow while resolving (targets outside schema positions are walked) */
    for (size_t i = 0; i < c->n_sites; i++) {
        js_refsite *s = c->sites[i];
        if (strcmp(s->keyword, "$recursiveRef") == 0)
            s->target = resolve_recursive(c, s);
        else if (strcmp(s->keyword, "$dynamicRef") == 0)
            s->target = resolve_dynamic(c, s);
        else
            s->target = resolve(c, s, s->ref);
        if (!s->target) return -1;
    }
    return check_cycles(c);
}
