/*
 * Positions for `schemareg check` reports: where in the new file a finding is.
 *
 * Avro and JSON Schema findings carry JSON-pointer-like paths ("/fields/2/type",
 * "#/properties/a/items"); a small JSON scanner that remembers where every member
 * and element starts maps them to line:col (lines and columns count from 1,
 * columns in characters). A path that leaves the new document (a removed field)
 * maps to the nearest enclosing member. Forward findings name paths in the old
 * schema: the walk follows both documents and matches record fields by name.
 *
 * Protobuf paths ("#/Outer/Inner/oneof_name/3") are messages, enums, oneofs and
 * field numbers: the declaration's position comes from the parsed model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "../formats/protobuf/pb_model.h"
#include "check.h"

#define MAX_JSON_DEPTH 512

/* --- a JSON scanner with positions ----------------------------------------------- */

typedef struct jnode jnode;

typedef struct jmember {
    char *key; /* NULL for array elements */
    int line, col;
    jnode *value;
} jmember;

struct jnode {
    char kind; /* 'o' object, 'a' array, 's' string, 'v' another scalar */
    int line, col;
    jmember *items;
    size_t n;
    char *str; /* strings: the decoded value */
};

typedef struct scanner {
    const char *s;
    size_t i, len;
    int line, col;
    int depth;
    int failed;
    int err_line, err_col;
} scanner;

static void jnode_free(jnode *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        free(n->items[i].key);
        jnode_free(n->items[i].value);
    }
    free(n->items);
    free(n->str);
    free(n);
}

static void advance(scanner *sc)
{
    unsigned char c = (unsigned char)sc->s[sc->i++];
    if (c == '\n') {
        sc->line++;
        sc->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        sc->col++;
    }
}

static int peek(const scanner *sc)
{
    return sc->i < sc->len ? (unsigned char)sc->s[sc->i] : -1;
}

static void skip_ws(scanner *sc)
{
    while (sc->i < sc->len && strchr(" \t\r\n", sc->s[sc->i]) && sc->s[sc->i]) advance(sc);
}

static void *fail_at(scanner *sc)
{
    if (!sc->failed) {
        sc->failed = 1;
        sc->err_line = sc->line;
        sc->err_col = sc->col;
    }
    return NULL;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static void put_utf8(strbuf *sb, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) b[0] = (char)cp, n = 1;
    else if (cp < 0x800) b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    strbuf_add(sb, b, n);
}

/* A string at sc->i (on the opening quote); malloc'd decoded value or NULL. */
static char *scan_string(scanner *sc)
{
    advance(sc); /* " */
    strbuf sb = STRBUF_INIT;
    for (;;) {
        int c = peek(sc);
        if (c < 0 || c < 0x20) {
            strbuf_free(&sb);
            return fail_at(sc);
        }
        if (c == '"') {
            advance(sc);
            break;
        }
        if (c != '\\') {
            strbuf_putc(&sb, (char)c);
            advance(sc);
            continue;
        }
        advance(sc);
        int e = peek(sc);
        const char *simple = "\"\\/bfnrt", *value = "\"\\/\b\f\n\r\t";
        const char *hit = e > 0 ? strchr(simple, e) : NULL;
        if (hit && e) {
            strbuf_putc(&sb, value[hit - simple]);
            advance(sc);
        } else if (e == 'u' && sc->i + 5 <= sc->len) {
            unsigned cp;
            if (hex4(sc->s + sc->i + 1, &cp) < 0) {
                strbuf_free(&sb);
                return fail_at(sc);
            }
            for (int k = 0; k < 5; k++) advance(sc);
            unsigned lo;
            if (cp >= 0xD800 && cp < 0xDC00 && sc->i + 6 <= sc->len && sc->s[sc->i] == '\\' &&
                sc->s[sc->i + 1] == 'u' && hex4(sc->s + sc->i + 2, &lo) == 0 && lo >= 0xDC00 &&
                lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                for (int k = 0; k < 6; k++) advance(sc);
            }
            put_utf8(&sb, cp);
        } else {
            strbuf_free(&sb);
            return fail_at(sc);
        }
    }
    return strbuf_take(&sb);
}

static jnode *scan_value(scanner *sc);

static jnode *new_node(scanner *sc, char kind)
{
    jnode *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = sc->line;
    n->col = sc->col;
    return n;
}

static void add_item(jnode *n, char *key, int line, int col, jnode *value)
{
    n->items = xrealloc(n->items, (n->n + 1) * sizeof *n->items);
    n->items[n->n++] = (jmember){key, line, col, value};
}

static jnode *scan_container(scanner *sc, char kind)
{
    if (++sc->depth > MAX_JSON_DEPTH) return fail_at(sc);
    jnode *n = new_node(sc, kind);
    char close = kind == 'o' ? '}' : ']';
    advance(sc);
    skip_ws(sc);
    if (peek(sc) == close) {
        advance(sc);
        sc->depth--;
        return n;
    }
    for (;;) {
        skip_ws(sc);
        char *key = NULL;
        int line = sc->line, col = sc->col;
        if (kind == 'o') {
            if (peek(sc) != '"' || !(key = scan_string(sc))) goto bad;
            skip_ws(sc);
            if (peek(sc) != ':') {
                free(key);
                goto bad;
            }
            advance(sc);
            skip_ws(sc);
        }
        jnode *v = scan_value(sc);
        if (!v) {
            free(key);
            goto bad;
        }
        add_item(n, key, line, col, v);
        skip_ws(sc);
        int c = peek(sc);
        if (c == ',') {
            advance(sc);
            continue;
        }
        if (c == close) {
            advance(sc);
            break;
        }
        goto bad;
    }
    sc->depth--;
    return n;
bad:
    fail_at(sc);
    jnode_free(n);
    return NULL;
}

static jnode *scan_value(scanner *sc)
{
    skip_ws(sc);
    int c = peek(sc);
    if (c == '{') return scan_container(sc, 'o');
    if (c == '[') return scan_container(sc, 'a');
    if (c == '"') {
        jnode *n = new_node(sc, 's');
        n->str = scan_string(sc);
        if (!n->str) {
            jnode_free(n);
            return NULL;
        }
        return n;
    }
    if (c < 0 || !strchr("-0123456789tfn", c)) return fail_at(sc);
    jnode *n = new_node(sc, 'v');
    size_t start = sc->i;
    while (sc->i < sc->len && sc->s[sc->i] && strchr("-+.0123456789eEtruefalsn", sc->s[sc->i]))
        advance(sc);
    size_t len = sc->i - start;
    const char *t = sc->s + start;
    int word = c == 't' || c == 'f' || c == 'n';
    if (word && !((len == 4 && !memcmp(t, "true", 4)) || (len == 5 && !memcmp(t, "false", 5)) ||
                  (len == 4 && !memcmp(t, "null", 4)))) {
        jnode_free(n);
        sc->i = start;
        return fail_at(sc);
    }
    return n;
}

/* The document, or NULL (with the error position in *err when err is set). */
static jnode *json_scan(const char *text, check_pos *err)
{
    scanner sc = {text, 0, strlen(text), 1, 1, 0, 0, 0, 0};
    jnode *root = scan_value(&sc);
    if (root) {
        skip_ws(&sc);
        if (sc.i < sc.len) {
            fail_at(&sc);
            jnode_free(root);
            root = NULL;
        }
    }
    if (!root && err) *err = (check_pos){sc.err_line, sc.err_col};
    return root;
}

/* --- JSON paths ----------------------------------------------------------------------- */

static const jmember *member(const jnode *n, const char *key)
{
    if (!n || n->kind != 'o') return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->items[i].key, key) == 0) return &n->items[i];
    return NULL;
}

static int parse_index(const char *seg, size_t *out)
{
    if (!*seg || strspn(seg, "0123456789") != strlen(seg) || strlen(seg) > 9) return 0;
    *out = (size_t)atol(seg);
    return 1;
}

static const char *name_of(const jnode *n)
{
    const jmember *m = member(n, "name");
    return m && m->value->kind == 's' ? m->value->str : NULL;
}

/* One step down: the member or element `seg` of n; its position in *pos. */
static const jnode *step(const jnode *n, const char *seg, check_pos *pos)
{
    if (!n) return NULL;
    if (n->kind == 'o') {
        const jmember *m = member(n, seg);
        if (!m) return NULL;
        *pos = (check_pos){m->line, m->col};
        return m->value;
    }
    size_t i;
    if (n->kind == 'a' && parse_index(seg, &i) && i < n->n) {
        *pos = (check_pos){n->items[i].value->line, n->items[i].value->col};
        return n->items[i].value;
    }
    return NULL;
}

/* The next segment of a JSON pointer, unescaped (~1 -> /, ~0 -> ~). */
static char *next_segment(const char **p)
{
    while (**p == '/') (*p)++;
    if (!**p) return NULL;
    strbuf sb = STRBUF_INIT;
    for (; **p && **p != '/'; (*p)++) {
        if (**p == '~' && (*p)[1] == '1') strbuf_putc(&sb, '/'), (*p)++;
        else if (**p == '~' && (*p)[1] == '0') strbuf_putc(&sb, '~'), (*p)++;
        else strbuf_putc(&sb, **p);
    }
    return strbuf_take(&sb);
}

static check_pos json_locate(const jnode *doc, const jnode *old, const char *path)
{
    check_pos best = {doc->line, doc->col};
    const jnode *n = doc, *o = old;
    const char *p = path;
    if (*p == '#') p++;
    char *prev = NULL, *seg;
    while ((seg = next_segment(&p))) {
        check_pos pos = best, opos;
        const jnode *on = o ? step(o, seg, &opos) : NULL, *nn = NULL;
        /* Record fields are matched by name when the path is the old schema's. */
        const char *fname = on && prev && strcmp(prev, "fields") == 0 ? name_of(on) : NULL;
        if (fname && n->kind == 'a') {
            for (size_t i = 0; i < n->n && !nn; i++) {
                const char *nm = name_of(n->items[i].value);
                if (nm && strcmp(nm, fname) == 0) {
                    nn = n->items[i].value;
                    pos = (check_pos){nn->line, nn->col};
                }
            }
        } else {
            nn = step(n, seg, &pos);
        }
        free(prev);
        prev = seg;
        if (!nn) break;
        best = pos;
        n = nn;
        o = on;
    }
    free(prev);
    return best;
}

/* --- Protobuf paths --------------------------------------------------------------------- */

static int is_number(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

static check_pos pb_locate(const pb_schema *s, const char *path)
{
    check_pos best = {1, 1};
    if (!s || !s->file) return best;
    const pb_file *f = s->file;
    const pb_message *msg = NULL;
    const pb_enum *en = NULL;
    const char *p = path;
    if (*p == '#') p++;
    char *seg;
    int done = 0;
    while (!done && (seg = next_segment(&p))) {
        if (is_number(seg)) {
            int number = atoi(seg);
            done = 1;
            if (en) {
                for (size_t i = 0; i < en->n_values; i++)
                    if (en->values[i].number == number) best = (check_pos){en->values[i].pos.line,
                                                                           en->values[i].pos.col};
            } else if (msg) {
                for (size_t i = 0; i < msg->n_fields; i++)
                    if (msg->fields[i].number == number)
                        best = (check_pos){msg->fields[i].pos.line, msg->fields[i].pos.col};
            }
            free(seg);
            continue;
        }
        /* a name, possibly dotted ("Outer.Inner": a type's local name) */
        for (char *part = seg, *dot; part && !done; part = dot) {
            dot = strchr(part, '.');
            if (dot) *dot++ = '\0';
            pb_message *const *ms = msg ? msg->messages : f->messages;
            size_t nm = msg ? msg->n_messages : f->n_messages;
            pb_enum *const *es = msg ? msg->enums : f->enums;
            size_t ne = msg ? msg->n_enums : f->n_enums;
            const pb_message *found = NULL;
            const pb_enum *found_enum = NULL;
            for (size_t i = 0; i < nm && !found && !en; i++)
                if (strcmp(ms[i]->name, part) == 0) found = ms[i];
            for (size_t i = 0; i < ne && !found && !found_enum && !en; i++)
                if (strcmp(es[i]->name, part) == 0) found_enum = es[i];
            if (found) {
                msg = found;
                best = (check_pos){found->pos.line, found->pos.col};
            } else if (found_enum) {
                en = found_enum;
                best = (check_pos){found_enum->pos.line, found_enum->pos.col};
            } else if (msg && !en) {
                int hit = 0;
                for (size_t i = 0; i < msg->n_oneofs && !hit; i++)
                    if (strcmp(msg->oneofs[i].name, part) == 0) {
                        best = (check_pos){msg->oneofs[i].pos.line, msg->oneofs[i].pos.col};
                        hit = 1;
                    }
                done = !hit;
            } else {
                done = 1;
            }
        }
        free(seg);
    }
    if (best.line < 1) best = (check_pos){1, 1};
    if (best.col < 1) best.col = 1;
    return best;
}

/* --- entry points ------------------------------------------------------------------------ */

check_pos locate_path(const char *type, const char *new_text, const void *parsed,
                      const char *old_text, const char *path, compat_direction dir)
{
    check_pos none = {1, 1};
    if (!path) return none;
    if (strcmp(type, "PROTOBUF") == 0) return pb_locate(parsed, path);
    jnode *doc = json_scan(new_text, NULL);
    if (!doc) return none;
    jnode *old = dir == COMPAT_DIR_FORWARD && old_text ? json_scan(old_text, NULL) : NULL;
    check_pos pos = json_locate(doc, old, path);
    jnode_free(old);
    jnode_free(doc);
    return pos;
}

/* The record field named `name` anywhere in an Avro document. */
static const jnode *find_field(const jnode *n, const char *name, check_pos *pos)
{
    if (!n) return NULL;
    const jmember *fields = member(n, "fields");
    if (fields && fields->value->kind == 'a')
        for (size_t i = 0; i < fields->value->n; i++) {
            const jnode *f = fields->value->items[i].value;
            const char *nm = name_of(f);
            if (nm && strcmp(nm, name) == 0) {
                *pos = (check_pos){f->line, f->col};
                return f;
            }
        }
    for (size_t i = 0; i < n->n; i++) {
        const jnode *hit = find_field(n->items[i].value, name, pos);
        if (hit) return hit;
    }
    return NULL;
}

check_pos locate_error(const char *type, const char *text, const char *message)
{
    check_pos pos = {1, 1};
    const char *m = message ? message : "";
    if (strncmp(m, "Invalid schema: ", 16) == 0) m += 16;
    int line, col, used = 0;
    if (sscanf(m, "%d:%d:%n", &line, &col, &used) == 2 && used > 0 && line > 0 && col > 0)
        return (check_pos){line, col};
    if (strcmp(type, "PROTOBUF") == 0 || !text) return pos;
    check_pos err;
    jnode *doc = json_scan(text, &err);
    if (!doc) return err;
    if (m[0] == '#') { /* JSON Schema: "#/json/pointer: what is wrong" */
        const char *end = strstr(m, ": ");
        char *pointer = end ? xstrndup(m, (size_t)(end - m)) : NULL;
        if (pointer) pos = json_locate(doc, NULL, pointer);
        free(pointer);
    }
    const char *f = strstr(m, "(field \"");
    if (f && strcmp(type, "AVRO") == 0) {
        f += 8;
        const char *end = strchr(f, '"');
        if (end) {
            char *name = xstrndup(f, (size_t)(end - f));
            find_field(doc, name, &pos);
            free(name);
        }
    }
    jnode_free(doc);
    return pos;
}

check_pos locate_text(const char *text, const char *needle)
{
    check_pos pos = {1, 1};
    const char *hit = needle && *needle ? strstr(text, needle) : NULL;
    if (!hit) return pos;
    for (const char *p = text; p < hit; p++) {
        if (*p == '\n') pos.line++, pos.col = 1;
        else if (((unsigned char)*p & 0xC0) != 0x80) pos.col++;
    }
    return pos;
}

char *locate_description(const char *message)
{
    const char *d = strstr(message, "description:");
    if (!d || (d[12] != '\'' && d[12] != '"')) return xstrdup(message);
    const char *start = d + 13;
    const char *end = strstr(start, "', additionalInfo:");
    if (!end) end = strstr(start, "\", additionalInfo:");
    if (!end) {
        size_t len = strlen(message);
        if (len >= 2 && message[len - 1] == '}' &&
            (message[len - 2] == '\'' || message[len - 2] == '"') && message + len - 2 >= start)
            end = message + len - 2;
    }
    if (!end) return xstrdup(message);
    return xstrndup(start, (size_t)(end - start));
}
