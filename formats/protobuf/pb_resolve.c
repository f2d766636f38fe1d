/*
 * Resolution and the semantic checks of protoc 3.21's descriptor.cc:
 *  - imports: through the references (`deps`, by name = import path) first,
 *    then the bundled well-known files; transitively, each file built after
 *    the files it imports; a missing import or an import cycle is an error in
 *    the importing file;
 *  - symbols: packages, messages, enums, enum values (siblings of their enum,
 *    C++ scoping), fields, oneofs, extensions, services and methods, across
 *    the file and its imports; a second definition of a name is an error;
 *  - names are looked up as DescriptorBuilder::LookupSymbolNoPlaceholder does:
 *    a leading '.' is fully qualified; otherwise the first component is looked
 *    up from the innermost scope outwards and the rest inside what it finds;
 *    only symbols of the file itself, its imports and their public imports
 *    (transitively) are visible;
 *  - the checks of BuildMessage/BuildEnum/CrossLinkField/ValidateProto3/
 *    ValidateOptions: numbers, reserved ranges and names, extension ranges,
 *    enum aliases, proto3 rules, map keys, standard option values.
 * Errors are 42201 "[file:]line:col: message" with protoc's wording.
 */
#include "pb_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The symbol index and the duplicate checks (reserved names, options, imports,
 * JSON names) are strmaps, so they stay linear on hostile input. */
#include "../../common/hashmap.h"

/* ------------------------------------------------------------------------ */
/* the symbol table                                                          */

typedef enum sym_kind {
    S_PACKAGE,
    S_MESSAGE,
    S_ENUM,
    S_VALUE,
    S_FIELD,
    S_ONEOF,
    S_EXTENSION,
    S_SERVICE,
    S_METHOD,
} sym_kind;

typedef struct sym {
    const char *name; /* full name, no leading dot */
    sym_kind kind;
    int file;         /* index of the defining file (resolver.files) */
    void *obj;        /* pb_message *, pb_enum *, pb_field *, ... */
} sym;

typedef struct symtab {
    sym *items; /* in definition order */
    size_t n, cap;
    strmap index; /* name -> position in items + 1 (items move as the array grows) */
} symtab;

static const sym *symtab_find(const symtab *t, const char *name)
{
    uintptr_t at = (uintptr_t)strmap_get(&t->index, name);
    return at ? &t->items[at - 1] : NULL;
}

/* Adds s (the name must be new). */
static void symtab_add(symtab *t, sym s)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 512;
        t->items = xrealloc(t->items, t->cap * sizeof(sym));
    }
    t->items[t->n++] = s;
    strmap_put(&t->index, s.name, (void *)(uintptr_t)t->n);
}

static void symtab_free(symtab *t)
{
    free(t->items);
    strmap_free(&t->index);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------------ */
/* resolver state                                                            */

typedef struct resolver {
    arena *a;
    sr_error *err;
    const sr_dep *deps;
    size_t n_deps;
    unsigned flags;
    pb_file **files; /* built files, each after its imports */
    size_t n_files;
    const char **loading; /* import chain being loaded (cycle detection) */
    size_t n_loading;
    symtab syms;
    /* the file being built */
    pb_file *cur;
    int cur_index;
    char *visible; /* visible[i]: files[i] (or cur) may be referenced */
    int proto3;
    /* SR_PARSE_LENIENT: skip protoc's lint-like checks (options, JSON-name and
     * enum-prefix conflicts, unused allow_alias, packed/lazy/jstype, proto2
     * enums in proto3 messages), which Confluent does not make: a schema
     * stored or imported from elsewhere must load again */
    int lenient;
    /* set by lookup() when a name was found only in a file not imported */
    const sym *undeclared;
    char *unresolved; /* "Bar.Baz" resolved to this, which is not defined */
} resolver;

static int errf(resolver *r, pb_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int errf(resolver *r, pb_pos pos, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pb_errorf(r->err, r->cur ? r->cur->name : NULL, pos, "%s", msg);
}

static const char *file_label(const pb_file *f)
{
    return f->name && *f->name ? f->name : "<schema>";
}

/* prefix + sep + name in the arena (no sep when prefix is NULL or empty) */
static char *concat(arena *a, const char *prefix, char sep, const char *name)
{
    size_t np = prefix ? strlen(prefix) : 0, nn = strlen(name);
    char *out = arena_alloc(a, np + nn + 2);
    if (np) memcpy(out, prefix, np);
    size_t k = np;
    if (np && sep) out[k++] = sep;
    memcpy(out + k, name, nn + 1);
    return out;
}

static char *join(arena *a, const char *scope, const char *name)
{
    return concat(a, scope, '.', name);
}

/* ".full.name" */
static char *dotted(arena *a, const char *full)
{
    return concat(a, ".", 0, full);
}

/* ------------------------------------------------------------------------ */
/* defining symbols (protoc's AddSymbol / AddPackage)                        */

static int define(resolver *r, const char *full, sym_kind kind, void *obj, pb_pos pos,
                  const char *enum_name)
{
    const sym *old = symtab_find(&r->syms, full);
    if (old) {
        if (kind == S_PACKAGE && old->kind == S_PACKAGE) return 0;
        if (kind == S_PACKAGE)
            return errf(r, pos,
                        "\"%s\" is already defined (as something other than a package) in file "
                        "\"%s\".",
                        full, old->file == r->cur_index ? file_label(r->cur)
                                                        : file_label(r->files[old->file]));
        if (old->file != r->cur_index)
            return errf(r, pos, "\"%s\" is already defined in file \"%s\".", full,
                        file_label(r->files[old->file]));
        const char *dot = strrchr(full, '.');
        if (!dot && kind == S_VALUE)
            return errf(r, pos,
                        "\"%s\" is already defined. Note that enum values use C++ scoping rules, "
                        "meaning that enum values are siblings of their type, not children of it. "
                        " Therefore, \"%s\" must be unique within the global scope, not just "
                        "within \"%s\".",
                        full, full, enum_name);
        if (!dot) return errf(r, pos, "\"%s\" is already defined.", full);
        if (kind == S_VALUE)
            return errf(r, pos,
                        "\"%s\" is already defined in \"%.*s\". Note that enum values use C++ "
                        "scoping rules, meaning that enum values are siblings of their type, not "
                        "children of it.  Therefore, \"%s\" must be unique within \"%.*s\", not "
                        "just within \"%s\".",
                        dot + 1, (int)(dot - full), full, dot + 1, (int)(dot - full), full,
                        enum_name);
        return errf(r, pos, "\"%s\" is already defined in \"%.*s\".", dot + 1, (int)(dot - full),
                    full);
    }
    sym s = {full, kind, r->cur_index, obj};
    symtab_add(&r->syms, s);
    return 0;
}

static int define_package(resolver *r, const char *pkg, pb_pos pos)
{
    if (!pkg) return 0;
    for (const char *dot = pkg;; dot++) {
        dot = strchr(dot, '.');
        char *prefix = dot ? arena_strndup(r->a, pkg, (size_t)(dot - pkg)) : (char *)pkg;
        if (define(r, prefix, S_PACKAGE, NULL, pos, NULL)) return -1;
        if (!dot) return 0;
    }
}

static int define_enum(resolver *r, pb_enum *e, const char *scope)
{
    e->full_name = join(r->a, scope, e->name);
    if (define(r, e->full_name, S_ENUM, e, e->pos, NULL)) return -1;
    for (size_t i = 0; i < e->n_values; i++)
        if (define(r, join(r->a, scope, e->values[i].name), S_VALUE, &e->values[i],
                   e->values[i].pos, e->name))
            return -1;
    return 0;
}

static int define_extends(resolver *r, pb_extend *xs, size_t n, const char *scope)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < xs[i].n_fields; j++)
            if (define(r, join(r->a, scope, xs[i].fields[j].name), S_EXTENSION, &xs[i].fields[j],
                       xs[i].fields[j].pos, NULL))
                return -1;
    return 0;
}

static int define_message(resolver *r, pb_message *m, const char *scope, int depth)
{
    m->full_name = join(r->a, scope, m->name);
    if (define(r, m->full_name, S_MESSAGE, m, m->pos, NULL)) return -1;
    if (depth > PB_MAX_DEPTH + 2) return errf(r, m->pos, "Messages are nested too deeply.");
    /* protoc's BuildMessage order: oneofs, fields, nested types, enums, extensions */
    for (size_t i = 0; i < m->n_oneofs; i++)
        if (define(r, join(r->a, m->full_name, m->oneofs[i].name), S_ONEOF, &m->oneofs[i],
                   m->oneofs[i].pos, NULL))
            return -1;
    for (size_t i = 0; i < m->n_fields; i++)
        if (define(r, join(r->a, m->full_name, m->fields[i].name), S_FIELD, &m->fields[i],
                   m->fields[i].pos, NULL))
            return -1;
    for (size_t i = 0; i < m->n_messages; i++)
        if (define_message(r, m->messages[i], m->full_name, depth + 1)) return -1;
    for (size_t i = 0; i < m->n_enums; i++)
        if (define_enum(r, m->enums[i], m->full_name)) return -1;
    return define_extends(r, m->extends, m->n_extends, m->full_name);
}

static int define_file(resolver *r, pb_file *f)
{
    pb_pos pos = {1, 1};
    if (define_package(r, f->package, pos)) return -1;
    for (size_t i = 0; i < f->n_messages; i++)
        if (define_message(r, f->messages[i], f->package, 1)) return -1;
    for (size_t i = 0; i < f->n_enums; i++)
        if (define_enum(r, f->enums[i], f->package)) return -1;
    for (size_t i = 0; i < f->n_services; i++) {
        pb_service *s = &f->services[i];
        char *full = join(r->a, f->package, s->name);
        if (define(r, full, S_SERVICE, s, s->pos, NULL)) return -1;
        for (size_t j = 0; j < s->n_methods; j++)
            if (define(r, join(r->a, full, s->methods[j].name), S_METHOD, &s->methods[j],
                       s->methods[j].pos, NULL))
                return -1;
    }
    return define_extends(r, f->extends, f->n_extends, f->package);
}

/* ------------------------------------------------------------------------ */
/* lookup                                                                    */

static int in_package(const pb_file *f, const char *name)
{
    if (!f->package) return 0;
    size_t n = strlen(name);
    return strncmp(f->package, name, n) == 0 && (f->package[n] == '\0' || f->package[n] == '.');
}

static const pb_file *file_at(const resolver *r, int index)
{
    return index == r->cur_index ? r->cur : r->files[index];
}

/* protoc's FindSymbol: the symbol if it is visible from the current file. */
static const sym *find_visible(resolver *r, const char *name)
{
    const sym *s = symtab_find(&r->syms, name);
    if (!s) return NULL;
    if (r->visible[s->file]) return s;
    if (s->kind == S_PACKAGE) {
        for (int i = 0; i <= r->cur_index; i++)
            if (r->visible[i] && in_package(file_at(r, i), name)) return s;
    }
    if (!r->undeclared) r->undeclared = (sym *)s;
    return NULL;
}

static int is_aggregate(sym_kind k)
{
    return k == S_MESSAGE || k == S_ENUM || k == S_PACKAGE || k == S_SERVICE;
}

static int is_type(sym_kind k)
{
    return k == S_MESSAGE || k == S_ENUM;
}

/* LookupSymbolNoPlaceholder: name relative to the scope of `relative_to` (the
 * full name of the element being resolved). types_only = LOOKUP_TYPES. */
static const sym *lookup(resolver *r, const char *name, const char *relative_to, int types_only)
{
    r->undeclared = NULL;
    r->unresolved = NULL;
    if (name[0] == '.') return find_visible(r, name + 1);
    const char *dot = strchr(name, '.');
    size_t first_len = dot ? (size_t)(dot - name) : strlen(name);
    size_t rel_len = strlen(relative_to);
    strbuf scope = STRBUF_INIT;
    strbuf_add(&scope, relative_to, rel_len);
    const sym *result = NULL;
    for (;;) {
        char *last = strrchr(scope.data, '.');
        if (!last) {
            result = find_visible(r, name);
            break;
        }
        *last = '\0';
        scope.len = (size_t)(last - scope.data);
        size_t old = scope.len;
        strbuf_putc(&scope, '.');
        strbuf_add(&scope, name, first_len);
        const sym *s = find_visible(r, scope.data);
        if (s) {
            if (dot) {
                if (is_aggregate(s->kind)) {
                    strbuf_puts(&scope, dot);
                    result = find_visible(r, scope.data);
                    if (!result) r->unresolved = arena_strdup(r->a, scope.data);
                    break;
                }
            } else if (!types_only || is_type(s->kind)) {
                result = s;
                break;
            }
        }
        scope.data[old] = '\0';
        scope.len = old;
    }
    strbuf_free(&scope);
    return result;
}

static int not_defined(resolver *r, pb_pos pos, const char *name)
{
    if (r->undeclared)
        return errf(r, pos,
                    "\"%s\" seems to be defined in \"%s\", which is not imported by \"%s\".  To "
                    "use it here, please add the necessary import.",
                    r->undeclared->name, file_label(r->files[r->undeclared->file]),
                    file_label(r->cur));
    if (r->unresolved)
        return errf(r, pos,
                    "\"%s\" is resolved to \"%s\", which is not defined. The innermost scope is "
                    "searched first in name resolution. Consider using a leading '.'(i.e., "
                    "\".%s\") to start from the outermost scope.",
                    name, r->unresolved, name);
    return errf(r, pos, "\"%s\" is not defined.", name);
}

/* ------------------------------------------------------------------------ */
/* resolving types                                                           */

static int resolve_field_type(resolver *r, pb_field *f, const char *relative_to)
{
    if (f->is_map || f->type == PB_TYPE_GROUP) {
        if (f->message) {
            f->resolved = dotted(r->a, f->message->full_name);
            return 0;
        }
        /* from a descriptor: a group's type_name names its message */
    } else if (f->type != PB_TYPE_UNRESOLVED && f->type != PB_TYPE_MESSAGE &&
               f->type != PB_TYPE_ENUM) {
        return 0; /* scalar */
    }
    if (!f->type_name || !*f->type_name)
        return errf(r, f->pos, "Field with message or enum type missing type_name.");
    const sym *s = lookup(r, f->type_name, relative_to, 1);
    if (!s) return not_defined(r, f->pos, f->type_name);
    if (f->type == PB_TYPE_UNRESOLVED && !is_type(s->kind))
        return errf(r, f->pos, "\"%s\" is not a type.", f->type_name);
    if (f->type == PB_TYPE_UNRESOLVED) f->type = s->kind == S_MESSAGE ? PB_TYPE_MESSAGE : PB_TYPE_ENUM;
    if (f->type == PB_TYPE_ENUM) {
        if (s->kind != S_ENUM) return errf(r, f->pos, "\"%s\" is not an enum type.", f->type_name);
        f->enumeration = s->obj;
        f->resolved = dotted(r->a, f->enumeration->full_name);
    } else {
        if (s->kind != S_MESSAGE)
            return errf(r, f->pos, "\"%s\" is not a message type.", f->type_name);
        f->message = s->obj;
        f->resolved = dotted(r->a, f->message->full_name);
    }
    return 0;
}

static int resolve_message_type(resolver *r, const char *name, const char *relative_to,
                                pb_pos pos, pb_message **out, char **resolved)
{
    const sym *s = lookup(r, name, relative_to, 0);
    if (!s) return not_defined(r, pos, name);
    if (s->kind != S_MESSAGE) return errf(r, pos, "\"%s\" is not a message type.", name);
    *out = s->obj;
    *resolved = dotted(r->a, ((pb_message *)s->obj)->full_name);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* number checks                                                             */

typedef struct numref {
    int64_t start, end; /* inclusive */
    size_t index;       /* declaration order */
    pb_pos pos;
    const char *name;
} numref;

static int cmp_numref(const void *a, const void *b)
{
    const numref *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    return 0;
}

/* Sorts ranges; reports the first overlap as protoc words it (`what` "Reserved"
 * or "Extension"); enum ranges print inclusive ends (shift 0), message ranges too. */
static int check_overlaps(resolver *r, numref *v, size_t n, const char *what)
{
    qsort(v, n, sizeof *v, cmp_numref);
    size_t widest = 0;
    for (size_t i = 1; i < n; i++) {
        if (v[i].start <= v[widest].end) {
            const numref *early = v[i].index < v[widest].index ? &v[i] : &v[widest];
            const numref *late = early == &v[i] ? &v[widest] : &v[i];
            return errf(r, late->pos,
                        "%s range %lld to %lld overlaps with already-defined range %lld to %lld.",
                        what, (long long)late->start, (long long)late->end,
                        (long long)early->start, (long long)early->end);
        }
        if (v[i].end > v[widest].end) widest = i;
    }
    return 0;
}

/* The range of sorted, non-overlapping v containing x, or NULL. */
static const numref *range_find(const numref *v, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].end < x) lo = mid + 1;
        else if (v[mid].start > x) hi = mid;
        else return &v[mid];
    }
    return NULL;
}

static int opt_bool(const pb_options *o, const char *name)
{
    const pb_option *x = pb_find_option(o, name);
    return x && x->value.kind == PB_VALUE_IDENT && strcmp(x->value.text, "true") == 0;
}

static int64_t ext_max(const pb_message *m)
{
    return opt_bool(&m->options, "message_set_wire_format") ? INT32_MAX - 1 : PB_MAX_FIELD_NUMBER;
}

static int check_field_number(resolver *r, const pb_field *f, int is_extension)
{
    if (f->number <= 0) return errf(r, f->pos, "Field numbers must be positive integers.");
    if (!is_extension && f->number > PB_MAX_FIELD_NUMBER)
        return errf(r, f->pos, "Field numbers cannot be greater than %d.", PB_MAX_FIELD_NUMBER);
    if (f->number >= 19000 && f->number <= 19999)
        return errf(r, f->pos,
                    "Field numbers 19000 through 19999 are reserved for the protocol buffer "
                    "library implementation.");
    return 0;
}

static int check_message_numbers(resolver *r, pb_message *m)
{
    int rc = -1;
    size_t n_res = 0, n_ext = 0;
    for (size_t i = 0; i < m->n_reserved; i++) n_res += m->reserved[i].n_ranges;
    for (size_t i = 0; i < m->n_extension_ranges; i++) n_ext += m->extension_ranges[i].n_ranges;
    numref *res = xcalloc(n_res + 1, sizeof *res), *ext = xcalloc(n_ext + 1, sizeof *ext);
    numref *nums = xcalloc(m->n_fields + 1, sizeof *nums);
    strmap names = {0};
    int64_t emax = ext_max(m);
    size_t k = 0;
    for (size_t i = 0; i < m->n_reserved; i++) {
        const pb_reserved *rs = &m->reserved[i];
        for (size_t j = 0; j < rs->n_ranges; j++) {
            const pb_range *g = &rs->ranges[j];
            int64_t end = g->end_is_max ? emax : g->end;
            if (g->start <= 0) {
                errf(r, rs->pos, "Reserved numbers must be positive integers.");
                goto out;
            }
            if (end < g->start) {
                errf(r, rs->pos, "Reserved range end number must be greater than start number.");
                goto out;
            }
            res[k] = (numref){g->start, end, k, rs->pos, NULL};
            k++;
        }
        for (size_t j = 0; j < rs->n_names; j++)
            if (!strmap_put(&names, rs->names[j], NULL)) {
                errf(r, rs->pos, "Field name \"%s\" is reserved multiple times.", rs->names[j]);
                goto out;
            }
    }
    k = 0;
    for (size_t i = 0; i < m->n_extension_ranges; i++) {
        const pb_extension_range *xr = &m->extension_ranges[i];
        for (size_t j = 0; j < xr->n_ranges; j++) {
            const pb_range *g = &xr->ranges[j];
            int64_t end = g->end_is_max ? emax : g->end;
            if (g->start <= 0) {
                errf(r, xr->pos, "Extension numbers must be positive integers.");
                goto out;
            }
            if (end < g->start) {
                errf(r, xr->pos, "Extension range end number must be greater than start number.");
                goto out;
            }
            if (end > emax) {
                errf(r, xr->pos, "Extension numbers cannot be greater than %lld.", (long long)emax);
                goto out;
            }
            ext[k] = (numref){g->start, end, k, xr->pos, NULL};
            k++;
        }
    }
    for (size_t i = 0; i < m->n_fields; i++) {
        if (check_field_number(r, &m->fields[i], 0)) goto out;
        nums[i] = (numref){m->fields[i].number, m->fields[i].number, i, m->fields[i].pos,
                           m->fields[i].name};
    }
    /* duplicate numbers: the later field conflicts with the first one */
    qsort(nums, m->n_fields, sizeof *nums, cmp_numref);
    for (size_t i = 1; i < m->n_fields; i++)
        if (nums[i].start == nums[i - 1].start) {
            size_t first = i - 1;
            while (first > 0 && nums[first - 1].start == nums[i].start) first--;
            errf(r, nums[i].pos, "Field number %lld has already been used in \"%s\" by field \"%s\".",
                 (long long)nums[i].start, m->full_name, nums[first].name);
            goto out;
        }
    if (check_overlaps(r, ext, n_ext, "Extension")) goto out;
    if (check_overlaps(r, res, n_res, "Reserved")) goto out;
    for (size_t i = 0; i < n_ext; i++) {
        /* extension ranges against reserved ranges */
        for (size_t j = 0; j < n_res; j++)
            if (ext[i].end >= res[j].start && res[j].end >= ext[i].start) {
                errf(r, ext[i].pos, "Extension range %lld to %lld overlaps with reserved range %lld to %lld.",
                     (long long)ext[i].start, (long long)ext[i].end, (long long)res[j].start,
                     (long long)res[j].end);
                goto out;
            }
        if (n_res > 64) break; /* sorted check below covers the rest */
    }
    if (n_res > 64) {
        for (size_t i = 0; i < n_ext; i++) {
            const numref *hit = range_find(res, n_res, ext[i].start);
            if (hit) {
                errf(r, ext[i].pos, "Extension range %lld to %lld overlaps with reserved range %lld to %lld.",
                     (long long)ext[i].start, (long long)ext[i].end, (long long)hit->start,
                     (long long)hit->end);
                goto out;
            }
        }
    }
    for (size_t i = 0; i < m->n_fields; i++) {
        const pb_field *f = &m->fields[i];
        const numref *hit = range_find(ext, n_ext, f->number);
        if (hit) {
            errf(r, f->pos, "Extension range %lld to %lld includes field \"%s\" (%d).",
                 (long long)hit->start, (long long)hit->end, f->name, f->number);
            goto out;
        }
        if (range_find(res, n_res, f->number)) {
            errf(r, f->pos, "Field \"%s\" uses reserved number %d.", f->name, f->number);
            goto out;
        }
        if (strmap_has(&names, f->name)) {
            errf(r, f->pos, "Field name \"%s\" is reserved.", f->name);
            goto out;
        }
    }
    rc = 0;
out:
    free(res);
    free(ext);
    free(nums);
    strmap_free(&names);
    return rc;
}

/* descriptor.cc's PrefixRemover::MaybeRemove: value without the enum name as
 * a prefix (compared lower-case, underscores ignored), or value itself. */
static const char *strip_enum_prefix(const char *enum_name, const char *value)
{
    size_t i = 0;
    const char *p = enum_name;
    for (;; p++) {
        while (*p == '_') p++;
        if (!*p) break; /* the whole prefix matched */
        while (value[i] == '_') i++;
        if (!value[i]) return value;
        char a = value[i++], b = *p;
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
        if (a != b) return value;
    }
    while (value[i] == '_') i++;
    return value[i] ? value + i : value;
}

/* EnumValueToPascalCase(strip_enum_prefix(...)), malloc'd */
static char *enum_value_key(const char *enum_name, const char *value)
{
    const char *rest = strip_enum_prefix(enum_name, value);
    char *out = xmalloc(strlen(rest) + 1);
    size_t k = 0;
    int upper = 1;
    for (const char *c = rest; *c; c++) {
        if (*c == '_') {
            upper = 1;
            continue;
        }
        char ch = *c;
        if (upper && ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
        else if (!upper && ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        out[k++] = ch;
        upper = 0;
    }
    out[k] = '\0';
    return out;
}

static int check_enum(resolver *r, pb_enum *e)
{
    if (e->n_values == 0) return errf(r, e->pos, "Enums must contain at least one value.");
    if (r->proto3 && e->values[0].number != 0)
        return errf(r, e->values[0].pos, "The first enum value must be zero in proto3.");
    int rc = -1;
    size_t n_res = 0;
    for (size_t i = 0; i < e->n_reserved; i++) n_res += e->reserved[i].n_ranges;
    numref *res = xcalloc(n_res + 1, sizeof *res);
    numref *nums = xcalloc(e->n_values + 1, sizeof *nums);
    strmap names = {0};
    size_t k = 0;
    for (size_t i = 0; i < e->n_reserved; i++) {
        const pb_reserved *rs = &e->reserved[i];
        for (size_t j = 0; j < rs->n_ranges; j++) {
            if (rs->ranges[j].end < rs->ranges[j].start) {
                errf(r, rs->pos, "Reserved range end number must be greater than start number.");
                goto out;
            }
            res[k] = (numref){rs->ranges[j].start, rs->ranges[j].end, k, rs->pos, NULL};
            k++;
        }
        for (size_t j = 0; j < rs->n_names; j++)
            if (!strmap_put(&names, rs->names[j], NULL)) {
                errf(r, rs->pos, "Enum value \"%s\" is reserved multiple times.", rs->names[j]);
                goto out;
            }
    }
    if (check_overlaps(r, res, n_res, "Reserved")) goto out;
    for (size_t i = 0; i < e->n_values; i++) {
        const pb_enum_value *v = &e->values[i];
        if (range_find(res, n_res, v->number)) {
            errf(r, v->pos, "Enum value \"%s\" uses reserved number %d.", v->name, v->number);
            goto out;
        }
        if (strmap_has(&names, v->name)) {
            errf(r, v->pos, "Enum value \"%s\" is reserved.", v->name);
            goto out;
        }
        nums[i] = (numref){v->number, v->number, i, v->pos, v->name};
    }
    const pb_option *alias = pb_find_option(&e->options, "allow_alias");
    int allow = alias && alias->value.kind == PB_VALUE_IDENT && strcmp(alias->value.text, "true") == 0;
    qsort(nums, e->n_values, sizeof *nums, cmp_numref);
    int aliases = 0;
    for (size_t i = 1; i < e->n_values; i++)
        if (nums[i].start == nums[i - 1].start) {
            aliases = 1;
            if (allow) continue;
            size_t first = i - 1;
            while (first > 0 && nums[first - 1].start == nums[i].start) first--;
            const char *dot = strrchr(e->full_name, '.');
            int scope_len = dot ? (int)(dot - e->full_name) : 0;
            errf(r, nums[i].pos,
                 "\"%.*s%s%s\" uses the same enum value as \"%.*s%s%s\". If this is intended, set "
                 "'option allow_alias = true;' to the enum definition.",
                 scope_len, e->full_name, scope_len ? "." : "", nums[i].name, scope_len,
                 e->full_name, scope_len ? "." : "", nums[first].name);
            goto out;
        }
    if (allow && !aliases && !r->lenient) {
        errf(r, alias->pos,
             "\"%s\" declares support for enum aliases but no enum values share field numbers. "
             "Please remove the unnecessary 'option allow_alias = true;' declaration.",
             e->full_name);
        goto out;
    }
    /* value names equal after dropping the enum-name prefix and case (proto3) */
    if (r->proto3 && !r->lenient) {
        strmap seen = {0};
        char **keys = xcalloc(e->n_values + 1, sizeof(char *));
        int bad = 0;
        for (size_t i = 0; i < e->n_values && !bad; i++) {
            keys[i] = enum_value_key(e->name, e->values[i].name);
            if (strmap_put(&seen, keys[i], NULL)) continue;
            for (size_t j = 0; j < i; j++)
                if (strcmp(keys[j], keys[i]) == 0 &&
                    strcmp(e->values[j].name, e->values[i].name) != 0 &&
                    e->values[j].number != e->values[i].number) {
                    errf(r, e->values[i].pos,
                         "Enum name %s has the same name as %s if you ignore case and strip out "
                         "the enum name prefix (if any). This is error-prone and can lead to "
                         "undefined behavior. Please avoid doing this. If you are using "
                         "allow_alias, please assign the same numeric value to both enums.",
                         e->values[i].name, e->values[j].name);
                    bad = 1;
                    break;
                }
        }
        for (size_t i = 0; i < e->n_values; i++) free(keys[i]);
        free(keys);
        strmap_free(&seen);
        if (bad) goto out;
    }
    rc = 0;
out:
    free(res);
    free(nums);
    strmap_free(&names);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* options                                                                   */

typedef enum opt_type { O_BOOL, O_STRING, O_ENUM, O_INT32 } opt_type;

typedef struct known_option {
    const char *name;
    opt_type type;
    const char *enum_values; /* "A B C" for enums */
    const char *enum_name;
} known_option;

static const known_option file_opts[] = {
    {"java_package", O_STRING, NULL, NULL},
    {"java_outer_classname", O_STRING, NULL, NULL},
    {"java_multiple_files", O_BOOL, NULL, NULL},
    {"java_generate_equals_and_hash", O_BOOL, NULL, NULL},
    {"java_string_check_utf8", O_BOOL, NULL, NULL},
    {"optimize_for", O_ENUM, " SPEED CODE_SIZE LITE_RUNTIME ", "google.protobuf.FileOptions.OptimizeMode"},
    {"go_package", O_STRING, NULL, NULL},
    {"cc_generic_services", O_BOOL, NULL, NULL},
    {"java_generic_services", O_BOOL, NULL, NULL},
    {"py_generic_services", O_BOOL, NULL, NULL},
    {"php_generic_services", O_BOOL, NULL, NULL},
    {"deprecated", O_BOOL, NULL, NULL},
    {"cc_enable_arenas", O_BOOL, NULL, NULL},
    {"objc_class_prefix", O_STRING, NULL, NULL},
    {"csharp_namespace", O_STRING, NULL, NULL},
    {"swift_prefix", O_STRING, NULL, NULL},
    {"php_class_prefix", O_STRING, NULL, NULL},
    {"php_namespace", O_STRING, NULL, NULL},
    {"php_metadata_namespace", O_STRING, NULL, NULL},
    {"ruby_package", O_STRING, NULL, NULL},
    {NULL, 0, NULL, NULL},
};
static const known_option message_opts[] = {
    {"message_set_wire_format", O_BOOL, NULL, NULL},
    {"no_standard_descriptor_accessor", O_BOOL, NULL, NULL},
    {"deprecated", O_BOOL, NULL, NULL},
    {"map_entry", O_BOOL, NULL, NULL},
    {NULL, 0, NULL, NULL},
};
static const known_option field_opts[] = {
    {"ctype", O_ENUM, " STRING CORD STRING_PIECE ", "google.protobuf.FieldOptions.CType"},
    {"packed", O_BOOL, NULL, NULL},
    {"jstype", O_ENUM, " JS_NORMAL JS_STRING JS_NUMBER ", "google.protobuf.FieldOptions.JSType"},
    {"lazy", O_BOOL, NULL, NULL},
    {"unverified_lazy", O_BOOL, NULL, NULL},
    {"deprecated", O_BOOL, NULL, NULL},
    {"weak", O_BOOL, NULL, NULL},
    {NULL, 0, NULL, NULL},
};
static const known_option enum_opts[] = {
    {"allow_alias", O_BOOL, NULL, NULL},
    {"deprecated", O_BOOL, NULL, NULL},
    {NULL, 0, NULL, NULL},
};
static const known_option value_opts[] = {
    {"deprecated", O_BOOL, NULL, NULL},
    {NULL, 0, NULL, NULL},
};
static const known_option service_opts[] = {
    {"deprecated", O_BOOL, NULL, NULL},
    {NULL, 0, NULL, NULL},
};
static const known_option method_opts[] = {
    {"deprecated", O_BOOL, NULL, NULL},
    {"idempotency_level", O_ENUM, " IDEMPOTENCY_UNKNOWN NO_SIDE_EFFECTS IDEMPOTENT ",
     "google.protobuf.MethodOptions.IdempotencyLevel"},
    {NULL, 0, NULL, NULL},
};
static const known_option no_opts[] = {{NULL, 0, NULL, NULL}};

/* Options newer protoc releases know (descriptor.proto after 3.21): accepted,
 * not checked, and absent from our descriptors (3.21 has no field for them). */
static const char *const newer_opts[] = {
    "features", "retention", "targets", "debug_redact", "edition_defaults",
    "feature_support", "deprecated_legacy_json_field_conflicts", NULL,
};

/* protoc's SetOptionValue checks for a leaf of scalar type t (or a message:
 * it must be given an aggregate). `full` names the option in messages. */
static int check_value(resolver *r, const pb_option *o, pb_type t, const char *full,
                       const char *short_name, const char *enum_values, const pb_enum *e,
                       const char *enum_name)
{
    const pb_value *v = &o->value;
    int neg = v->kind == PB_VALUE_INT && v->text[0] == '-';
    uint64_t mag = 0;
    if (v->kind == PB_VALUE_INT) {
        const char *t0 = v->text + neg;
        int base = (t0[0] == '0' && (t0[1] == 'x' || t0[1] == 'X')) ? 16 : (t0[0] == '0' && t0[1]) ? 8 : 10;
        errno = 0;
        mag = strtoull(t0 + (base == 16 ? 2 : 0), NULL, base);
    }
    switch (t) {
    case PB_TYPE_INT32:
    case PB_TYPE_SINT32:
    case PB_TYPE_SFIXED32:
        if (v->kind != PB_VALUE_INT)
            return errf(r, o->pos, "Value must be integer for int32 option \"%s\".", full);
        if (mag > (uint64_t)INT32_MAX + (neg ? 1 : 0))
            return errf(r, o->pos, "Value out of range for int32 option \"%s\".", full);
        return 0;
    case PB_TYPE_INT64:
    case PB_TYPE_SINT64:
    case PB_TYPE_SFIXED64:
        if (v->kind != PB_VALUE_INT)
            return errf(r, o->pos, "Value must be integer for int64 option \"%s\".", full);
        if (!neg && mag > (uint64_t)INT64_MAX)
            return errf(r, o->pos, "Value out of range for int64 option \"%s\".", full);
        return 0;
    case PB_TYPE_UINT32:
    case PB_TYPE_FIXED32:
        if (v->kind != PB_VALUE_INT || neg)
            return errf(r, o->pos, "Value must be non-negative integer for uint32 option \"%s\".", full);
        if (mag > UINT32_MAX)
            return errf(r, o->pos, "Value out of range for uint32 option \"%s\".", short_name);
        return 0;
    case PB_TYPE_UINT64:
    case PB_TYPE_FIXED64:
        if (v->kind != PB_VALUE_INT || neg)
            return errf(r, o->pos, "Value must be non-negative integer for uint64 option \"%s\".", full);
        return 0;
    case PB_TYPE_FLOAT:
    case PB_TYPE_DOUBLE:
        /* inf and nan: accepted (newer protoc does; 3.21 wants a number) */
        if (v->kind == PB_VALUE_INT || v->kind == PB_VALUE_FLOAT ||
            (v->kind == PB_VALUE_IDENT && (strcmp(v->text, "inf") == 0 || strcmp(v->text, "nan") == 0)))
            return 0;
        return errf(r, o->pos, "Value must be number for %s option \"%s\".",
                    t == PB_TYPE_FLOAT ? "float" : "double", full);
    case PB_TYPE_BOOL:
        if (v->kind != PB_VALUE_IDENT)
            return errf(r, o->pos, "Value must be identifier for boolean option \"%s\".", full);
        if (strcmp(v->text, "true") != 0 && strcmp(v->text, "false") != 0)
            return errf(r, o->pos, "Value must be \"true\" or \"false\" for boolean option \"%s\".", full);
        return 0;
    case PB_TYPE_ENUM: {
        if (v->kind != PB_VALUE_IDENT)
            return errf(r, o->pos, "Value must be identifier for enum-valued option \"%s\".", full);
        int found = 0;
        if (e) {
            for (size_t i = 0; i < e->n_values && !found; i++) found = strcmp(e->values[i].name, v->text) == 0;
        } else if (enum_values && strlen(v->text) < 100) {
            char key[128];
            snprintf(key, sizeof key, " %s ", v->text);
            found = strstr(enum_values, key) != NULL;
        }
        if (!found)
            return errf(r, o->pos, "Enum type \"%s\" has no value named \"%s\" for option \"%s\".",
                        enum_name, v->text, full);
        return 0;
    }
    case PB_TYPE_STRING:
    case PB_TYPE_BYTES:
        if (v->kind != PB_VALUE_STRING)
            return errf(r, o->pos, "Value must be quoted string for string option \"%s\".", full);
        return 0;
    case PB_TYPE_MESSAGE:
    case PB_TYPE_GROUP:
        if (v->kind != PB_VALUE_AGGREGATE)
            return errf(r, o->pos,
                        "Option \"%s\" is a message. To set the entire message, use syntax like "
                        "\"%s = { <proto text format> }\". To set fields within it, use syntax like "
                        "\"%s.foo = value\".",
                        full, short_name, short_name);
        return 0;
    default:
        return 0;
    }
}

static pb_type opt_pb_type(opt_type t)
{
    switch (t) {
    case O_BOOL: return PB_TYPE_BOOL;
    case O_STRING: return PB_TYPE_STRING;
    case O_ENUM: return PB_TYPE_ENUM;
    default: return PB_TYPE_INT32;
    }
}

/* A standard option "name" (first part not parenthesized). */
static int check_standard_option(resolver *r, const pb_option *o, const known_option *known,
                                 const char *options_name, strmap *seen)
{
    char first[128];
    size_t n = strcspn(o->name, ".");
    snprintf(first, sizeof first, "%.*s", (int)(n < 127 ? n : 127), o->name);
    const known_option *k = NULL;
    for (const known_option *x = known; x->name; x++)
        if (strcmp(x->name, first) == 0) k = x;
    if (!k) {
        for (const char *const *x = newer_opts; *x; x++)
            if (strcmp(*x, first) == 0) return 0;
        return errf(r, o->pos,
                    "Option \"%s\" unknown. Ensure that your proto definition file imports the "
                    "proto which defines the option.",
                    first);
    }
    if (o->name[n] == '.') return errf(r, o->pos, "Option \"%s\" is an atomic type, not a message.", first);
    if (!strmap_put(seen, k->name, NULL))
        return errf(r, o->pos, "Option \"%s\" was already set.", k->name);
    char full[160];
    snprintf(full, sizeof full, "google.protobuf.%s.%s", options_name, k->name);
    return check_value(r, o, opt_pb_type(k->type), full, k->name, k->enum_values, NULL, k->enum_name);
}

/* A custom option "(ext).field.(ext2)...": protoc's InterpretSingleOption
 * name resolution, leaf value kind, and "already set" for a path set twice.
 * Aggregate (text-format) values are not interpreted. */
static int check_custom_option(resolver *r, const pb_option *o, const char *options_name,
                               const char *name_scope, strmap *seen)
{
    const char *p = o->name;
    char want[160];
    snprintf(want, sizeof want, ".google.protobuf.%s", options_name);
    const char *container = want; /* resolved name of the message being set */
    const pb_message *cur = NULL;  /* its model, once inside a custom message */
    const pb_field *field = NULL;
    strbuf shown = STRBUF_INIT, path = STRBUF_INIT;
    int rc = -1;
    for (int part = 0; *p; part++) {
        if (field) {
            /* drill down: the previous part must be a singular message */
            if (field->type != PB_TYPE_MESSAGE && field->type != PB_TYPE_GROUP) {
                errf(r, o->pos, "Option \"%s\" is an atomic type, not a message.", shown.data);
                goto out;
            }
            if (field->label == PB_LABEL_REPEATED || field->is_map) {
                errf(r, o->pos,
                     "Option field \"%s\" is a repeated message. Repeated message options must be "
                     "initialized using an aggregate value.",
                     shown.data);
                goto out;
            }
            cur = field->message;
            container = field->resolved;
        }
        if (part) strbuf_putc(&shown, '.');
        if (*p == '(') {
            const char *close = strchr(p, ')');
            if (!close) goto out;
            char *name = arena_strndup(r->a, p + 1, (size_t)(close - p - 1));
            strbuf_add(&shown, p, (size_t)(close - p + 1));
            p = close + 1;
            const sym *s = *name ? lookup(r, name, name_scope, 0) : NULL;
            if (!s || (s->kind != S_EXTENSION && s->kind != S_FIELD)) {
                if (r->unresolved)
                    errf(r, o->pos,
                         "Option \"%s\" is resolved to \"(%s)\", which is not defined. The innermost "
                         "scope is searched first in name resolution. Consider using a leading "
                         "'.'(i.e., \"(.%s\") to start from the outermost scope.",
                         shown.data, r->unresolved, shown.data + 1);
                else
                    errf(r, o->pos,
                         "Option \"%s\" unknown. Ensure that your proto definition file imports "
                         "the proto which defines the option.",
                         shown.data);
                goto out;
            }
            field = s->obj;
            if (s->kind != S_EXTENSION || !field->extendee || strcmp(field->extendee, container) != 0) {
                errf(r, o->pos, "Option field \"%s\" is not a field or extension of message \"%s\".",
                     shown.data, strrchr(container, '.') + 1);
                goto out;
            }
            strbuf_puts(&path, s->name);
        } else {
            size_t n = strcspn(p, ".");
            char *name = arena_strndup(r->a, p, n);
            strbuf_add(&shown, p, n);
            p += n;
            field = NULL;
            if (cur)
                for (size_t i = 0; i < cur->n_fields && !field; i++)
                    if (strcmp(cur->fields[i].name, name) == 0) field = &cur->fields[i];
            if (!field) {
                errf(r, o->pos,
                     "Option \"%s\" unknown. Ensure that your proto definition file imports the "
                     "proto which defines the option.",
                     shown.data);
                goto out;
            }
            strbuf_printf(&path, "%s.%s", container + 1, name);
        }
        strbuf_putc(&path, '/');
        if (*p == '.') p++;
    }
    if (!field) goto out;
    if (field->label != PB_LABEL_REPEATED && !field->is_map &&
        !strmap_put(seen, arena_strdup(r->a, path.data), NULL)) {
        errf(r, o->pos, "Option \"%s\" was already set.", shown.data);
        goto out;
    }
    {
        /* the leaf's full name: an extension's, or message.field */
        char *leaf = arena_strndup(r->a, path.data, path.len ? path.len - 1 : 0);
        char *slash = strrchr(leaf, '/');
        const char *full_name = slash ? slash + 1 : leaf;
        rc = check_value(r, o, field->is_map ? PB_TYPE_MESSAGE : field->type, full_name, field->name,
                         NULL, field->enumeration,
                         field->enumeration ? field->enumeration->full_name : "");
    }
out:
    strbuf_free(&shown);
    strbuf_free(&path);
    return rc;
}

static int check_option_list(resolver *r, const pb_options *opts, const known_option *known,
                             const char *options_name, const char *name_scope)
{
    if (r->lenient) return 0;
    strmap seen = {0};
    int rc = 0;
    for (size_t i = 0; i < opts->n && !rc; i++) {
        const pb_option *o = &opts->items[i];
        if (strcmp(o->name, "default") == 0 || strcmp(o->name, "json_name") == 0) continue;
        rc = o->name[0] == '(' ? check_custom_option(r, o, options_name, name_scope, &seen)
                               : check_standard_option(r, o, known, options_name, &seen);
    }
    strmap_free(&seen);
    return rc;
}

static int check_enum_options(resolver *r, const pb_enum *e, const char *scope)
{
    if (check_option_list(r, &e->options, enum_opts, "EnumOptions", e->full_name)) return -1;
    for (size_t j = 0; j < e->n_values; j++)
        if (check_option_list(r, &e->values[j].options, value_opts, "EnumValueOptions",
                              join(r->a, scope, e->values[j].name)))
            return -1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* fields                                                                    */

static int allowed_proto3_extendee(const char *name)
{
    static const char *const ok[] = {
        ".google.protobuf.FileOptions",      ".google.protobuf.MessageOptions",
        ".google.protobuf.FieldOptions",     ".google.protobuf.EnumOptions",
        ".google.protobuf.EnumValueOptions", ".google.protobuf.ServiceOptions",
        ".google.protobuf.MethodOptions",    ".google.protobuf.OneofOptions",
        ".google.protobuf.ExtensionRangeOptions", NULL,
    };
    for (const char *const *x = ok; *x; x++)
        if (strcmp(*x, name) == 0) return 1;
    return 0;
}

static int is_packable(pb_type t)
{
    return t != PB_TYPE_STRING && t != PB_TYPE_BYTES && t != PB_TYPE_MESSAGE &&
           t != PB_TYPE_GROUP && t != PB_TYPE_UNRESOLVED;
}

static int is_int64ish(pb_type t)
{
    return t == PB_TYPE_INT64 || t == PB_TYPE_UINT64 || t == PB_TYPE_SINT64 ||
           t == PB_TYPE_FIXED64 || t == PB_TYPE_SFIXED64;
}

/* Checks common to message fields and extensions, after type resolution.
 * `container` is the message holding the field (the extendee for extensions). */
static int check_field(resolver *r, pb_field *f, const pb_message *container, int is_extension,
                       const char *full_name)
{
    const pb_option *def = pb_find_option(&f->options, "default");
    if (def) {
        if (r->proto3)
            return errf(r, def->pos, "Explicit default values are not allowed in proto3.");
        if (f->type == PB_TYPE_MESSAGE || f->type == PB_TYPE_GROUP)
            return errf(r, def->pos, "Messages can't have default values.");
        if (f->type == PB_TYPE_ENUM) {
            int found = 0;
            if (def->value.kind == PB_VALUE_IDENT)
                for (size_t i = 0; i < f->enumeration->n_values && !found; i++)
                    found = strcmp(f->enumeration->values[i].name, def->value.text) == 0;
            if (!found)
                return errf(r, def->pos, "Enum type \"%s\" has no value named \"%s\".",
                            f->enumeration->full_name, def->value.text);
        }
    }
    if (r->proto3) {
        if (f->label == PB_LABEL_REQUIRED)
            return errf(r, f->pos, "Required fields are not allowed in proto3.");
        if (f->type == PB_TYPE_ENUM && f->enumeration && !r->lenient) {
            const sym *s = symtab_find(&r->syms, f->enumeration->full_name);
            const pb_file *ef = s ? file_at(r, s->file) : NULL;
            if (ef && (!ef->syntax || strcmp(ef->syntax, "proto3") != 0))
                return errf(r, f->pos,
                            "Enum type \"%s\" is not a proto3 enum, but is used in \"%s\" which "
                            "is a proto3 message type.",
                            f->enumeration->full_name, container ? container->full_name : "");
        }
    }
    if (is_extension && f->label == PB_LABEL_REQUIRED)
        return errf(r, f->pos, "The extension %s cannot be required.", full_name);
    if (r->lenient) return 0;
    if ((opt_bool(&f->options, "lazy") || opt_bool(&f->options, "unverified_lazy")) &&
        f->type != PB_TYPE_MESSAGE)
        return errf(r, f->pos, "[lazy = true] can only be specified for submessage fields.");
    if (opt_bool(&f->options, "packed") && (f->label != PB_LABEL_REPEATED || f->is_map || !is_packable(f->type)))
        return errf(r, f->pos, "[packed = true] can only be specified for repeated primitive fields.");
    const pb_option *js = pb_find_option(&f->options, "jstype");
    if (js && js->value.kind == PB_VALUE_IDENT && strcmp(js->value.text, "JS_NORMAL") != 0 &&
        !is_int64ish(f->type))
        return errf(r, js->pos,
                    "jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.");
    if (container && opt_bool(&container->options, "message_set_wire_format")) {
        if (!is_extension)
            return errf(r, f->pos, "MessageSets cannot have fields, only extensions.");
        if (f->label == PB_LABEL_REPEATED || f->type != PB_TYPE_MESSAGE)
            return errf(r, f->pos, "Extensions of MessageSets must be optional messages.");
    }
    const pb_option *json = pb_find_option(&f->options, "json_name");
    if (is_extension && json) {
        char *dflt = pb_json_name(r->a, f->name);
        if (strcmp(dflt, json->value.text) != 0 || json->value.len != strlen(json->value.text))
            return errf(r, json->pos, "option json_name is not allowed on extension fields.");
    }
    return check_option_list(r, &f->options, field_opts, "FieldOptions", full_name);
}

/* ValidateMapEntry's shape rules, for a message that sets map_entry itself
 * and is used as the type of field f of m. */
static int user_map_entry_ok(resolver *r, const pb_message *m, const pb_field *f)
{
    const pb_message *e = f->message;
    int nested = 0;
    for (size_t i = 0; i < m->n_messages; i++) nested |= m->messages[i] == e;
    if (!nested || f->label != PB_LABEL_REPEATED || e->n_extends || e->n_extension_ranges ||
        e->n_messages || e->n_enums || e->n_fields != 2 ||
        strcmp(e->name, pb_map_entry_name(r->a, f->name)) != 0)
        return 0;
    const pb_field *k = &e->fields[0], *v = &e->fields[1];
    return k->number == 1 && strcmp(k->name, "key") == 0 && k->label != PB_LABEL_REPEATED &&
           k->label != PB_LABEL_REQUIRED && v->number == 2 && strcmp(v->name, "value") == 0 &&
           v->label != PB_LABEL_REPEATED && v->label != PB_LABEL_REQUIRED;
}

/* The key and value rules of ValidateMapEntry. */
static int check_map(resolver *r, const pb_field *f)
{
    const pb_message *e = f->message;
    if (!e || e->n_fields != 2) return 0;
    const pb_field *k = &e->fields[0], *v = &e->fields[1];
    switch (k->type) {
    case PB_TYPE_ENUM:
        return errf(r, f->pos, "Key in map fields cannot be enum types.");
    case PB_TYPE_FLOAT:
    case PB_TYPE_DOUBLE:
    case PB_TYPE_MESSAGE:
    case PB_TYPE_GROUP:
    case PB_TYPE_BYTES:
        return errf(r, f->pos, "Key in map fields cannot be float/double, bytes or message types.");
    default:
        break;
    }
    if (v->type == PB_TYPE_ENUM && v->enumeration && v->enumeration->n_values &&
        v->enumeration->values[0].number != 0)
        return errf(r, f->pos, "Enum value in map must define 0 as the first value.");
    return 0;
}

static int resolve_extend(resolver *r, pb_extend *x, const char *scope)
{
    pb_message *target = NULL;
    for (size_t i = 0; i < x->n_fields; i++) {
        pb_field *f = &x->fields[i];
        char *full = join(r->a, scope, f->name);
        if (i == 0 && resolve_message_type(r, x->extendee, full, x->pos, &target, &x->resolved))
            return -1;
        f->extendee = x->resolved;
        if (resolve_field_type(r, f, full)) return -1;
        if (f->message && f->type == PB_TYPE_GROUP && f->message->is_group == 0) f->message->is_group = 1;
        if (f->number <= 0) return errf(r, f->pos, "Field numbers must be positive integers.");
        if (f->number >= 19000 && f->number <= 19999)
            return errf(r, f->pos,
                        "Field numbers 19000 through 19999 are reserved for the protocol buffer "
                        "library implementation.");
        int64_t emax = ext_max(target);
        int ok = 0;
        for (size_t j = 0; j < target->n_extension_ranges && !ok; j++)
            for (size_t k = 0; k < target->extension_ranges[j].n_ranges && !ok; k++) {
                const pb_range *g = &target->extension_ranges[j].ranges[k];
                int64_t end = g->end_is_max ? emax : g->end;
                ok = f->number >= g->start && f->number <= end;
            }
        if (!ok)
            return errf(r, f->pos, "\"%s\" does not declare %d as an extension number.",
                        target->full_name, f->number);
        if (r->proto3 && !allowed_proto3_extendee(x->resolved))
            return errf(r, f->pos, "Extensions in proto3 are only allowed for defining options.");
        if (check_field(r, f, target, 1, full)) return -1;
    }
    return 0;
}

/* Extension numbers used twice for one extendee, across every file built so
 * far (protoc: "Extension number N has already been used ..."). */
typedef struct ext_use {
    const char *extendee;
    int number;
    const pb_field *field;
    const char *full;
    int file;
} ext_use;

static int cmp_ext_use(const void *a, const void *b)
{
    const ext_use *x = a, *y = b;
    int c = strcmp(x->extendee, y->extendee);
    if (c) return c;
    if (x->number != y->number) return x->number < y->number ? -1 : 1;
    return x->file - y->file;
}

static void collect_ext(resolver *r, ext_use **v, size_t *n, size_t *cap, pb_extend *xs,
                        size_t nx, const char *scope, int file)
{
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < xs[i].n_fields; j++) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *v = xrealloc(*v, *cap * sizeof **v);
            }
            (*v)[(*n)++] = (ext_use){xs[i].fields[j].extendee, xs[i].fields[j].number,
                                     &xs[i].fields[j], join(r->a, scope, xs[i].fields[j].name), file};
        }
}

static void collect_ext_message(resolver *r, ext_use **v, size_t *n, size_t *cap, pb_message *m,
                                int file)
{
    collect_ext(r, v, n, cap, m->extends, m->n_extends, m->full_name, file);
    for (size_t i = 0; i < m->n_messages; i++) collect_ext_message(r, v, n, cap, m->messages[i], file);
}

static int check_extension_numbers(resolver *r)
{
    ext_use *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i <= r->cur_index; i++) {
        pb_file *f = (pb_file *)file_at(r, i);
        collect_ext(r, &v, &n, &cap, f->extends, f->n_extends, f->package, i);
        for (size_t j = 0; j < f->n_messages; j++) collect_ext_message(r, &v, &n, &cap, f->messages[j], i);
    }
    int rc = 0;
    if (n > 1) qsort(v, n, sizeof *v, cmp_ext_use);
    for (size_t i = 1; i < n && !rc; i++) {
        if (strcmp(v[i].extendee, v[i - 1].extendee) || v[i].number != v[i - 1].number) continue;
        const ext_use *late = v[i].file == r->cur_index ? &v[i] : &v[i - 1];
        const ext_use *early = late == &v[i] ? &v[i - 1] : &v[i];
        if (late->file != r->cur_index) continue; /* reported when that file was built */
        if (early->file == r->cur_index)
            rc = errf(r, late->field->pos,
                      "Extension number %d has already been used in \"%s\" by extension \"%s\".",
                      late->number, late->extendee + 1, early->full);
        else
            rc = errf(r, late->field->pos,
                      "Extension number %d has already been used in \"%s\" by extension \"%s\" "
                      "defined in \"%s\".",
                      late->number, late->extendee + 1, early->full,
                      file_label(r->files[early->file]));
    }
    free(v);
    return rc;
}

static int resolve_message(resolver *r, pb_message *m)
{
    for (size_t i = 0; i < m->n_fields; i++) {
        pb_field *f = &m->fields[i];
        char *full = join(r->a, m->full_name, f->name);
        if (resolve_field_type(r, f, full)) return -1;
    }
    for (size_t i = 0; i < m->n_messages; i++)
        if (resolve_message(r, m->messages[i])) return -1;
    for (size_t i = 0; i < m->n_extends; i++)
        if (resolve_extend(r, &m->extends[i], m->full_name)) return -1;
    return 0;
}

static int check_message(resolver *r, pb_message *m)
{
    if (check_message_numbers(r, m)) return -1;
    for (size_t i = 0; i < m->n_fields; i++) {
        pb_field *f = &m->fields[i];
        if (check_field(r, f, m, 0, join(r->a, m->full_name, f->name))) return -1;
        if (f->is_map && check_map(r, f)) return -1;
        if (!f->is_map && f->message && !f->message->is_map_entry &&
            opt_bool(&f->message->options, "map_entry") && !user_map_entry_ok(r, m, f))
            return errf(r, f->pos,
                        "map_entry should not be set explicitly. Use map<KeyType, ValueType> "
                        "instead.");
    }
    if (r->proto3) {
        if (m->n_extension_ranges)
            return errf(r, m->extension_ranges[0].pos, "Extension ranges are not allowed in proto3.");
        if (opt_bool(&m->options, "message_set_wire_format"))
            return errf(r, m->pos, "MessageSet is not supported in proto3.");
    }
    if (r->proto3 && !r->lenient) {
        /* JSON names: lower-cased, underscores dropped, must be unique */
        strmap seen = {0};
        char **keys = xcalloc(m->n_fields + 1, sizeof(char *));
        int bad = 0;
        for (size_t i = 0; i < m->n_fields && !bad; i++) {
            const char *name = m->fields[i].name;
            char *key = xmalloc(strlen(name) + 1);
            size_t k = 0;
            for (const char *c = name; *c; c++)
                if (*c != '_') key[k++] = (char)((*c >= 'A' && *c <= 'Z') ? *c - 'A' + 'a' : *c);
            key[k] = '\0';
            keys[i] = key;
            if (strmap_put(&seen, key, NULL)) continue;
            for (size_t j = 0; j < i; j++)
                if (strcmp(keys[j], key) == 0) {
                    errf(r, m->fields[i].pos,
                         "The JSON camel-case name of field \"%s\" conflicts with field \"%s\". "
                         "This is not allowed in proto3.",
                         name, m->fields[j].name);
                    bad = 1;
                    break;
                }
        }
        for (size_t i = 0; i < m->n_fields; i++) free(keys[i]);
        free(keys);
        strmap_free(&seen);
        if (bad) return -1;
    }
    if (check_option_list(r, &m->options, message_opts, "MessageOptions", m->full_name)) return -1;
    for (size_t i = 0; i < m->n_oneofs; i++) {
        int members = 0;
        for (size_t j = 0; j < m->n_fields; j++) members += m->fields[j].oneof == (int)i;
        if (!members) return errf(r, m->oneofs[i].pos, "Oneof must have at least one field.");
        if (check_option_list(r, &m->oneofs[i].options, no_opts, "OneofOptions",
                              join(r->a, m->full_name, m->oneofs[i].name)))
            return -1;
    }
    for (size_t i = 0; i < m->n_extension_ranges; i++)
        if (check_option_list(r, &m->extension_ranges[i].options, no_opts, "ExtensionRangeOptions",
                              m->full_name))
            return -1;
    for (size_t i = 0; i < m->n_messages; i++)
        if (check_message(r, m->messages[i])) return -1;
    for (size_t i = 0; i < m->n_enums; i++) {
        if (check_enum(r, m->enums[i])) return -1;
        if (check_enum_options(r, m->enums[i], m->full_name)) return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* files and imports                                                         */

static pb_file *load(resolver *r, const char *path, pb_pos pos);

/* visible[i] for files[i]: the file itself, its imports and, transitively,
 * their public imports. */
static void mark_visible(resolver *r, const pb_file *f, int direct)
{
    for (size_t i = 0; i < f->n_imports; i++) {
        if (!direct && !f->imports[i].is_public) continue;
        for (size_t j = 0; j < r->n_files; j++)
            if (strcmp(r->files[j]->name, f->imports[i].path) == 0) {
                if (!r->visible[j]) {
                    r->visible[j] = 1;
                    mark_visible(r, r->files[j], 0);
                }
                break;
            }
    }
}

static int build_file(resolver *r, pb_file *f)
{
    r->cur = f;
    r->cur_index = (int)r->n_files;
    r->proto3 = f->syntax && strcmp(f->syntax, "proto3") == 0;
    free(r->visible);
    r->visible = xcalloc(r->n_files + 1, 1);
    r->visible[r->cur_index] = 1;
    mark_visible(r, f, 1);

    if (define_file(r, f)) return -1;
    for (size_t i = 0; i < f->n_messages; i++)
        if (resolve_message(r, f->messages[i])) return -1;
    for (size_t i = 0; i < f->n_extends; i++)
        if (resolve_extend(r, &f->extends[i], f->package)) return -1;
    for (size_t i = 0; i < f->n_services; i++) {
        pb_service *s = &f->services[i];
        char *sfull = join(r->a, f->package, s->name);
        for (size_t j = 0; j < s->n_methods; j++) {
            pb_method *md = &s->methods[j];
            char *full = join(r->a, sfull, md->name);
            pb_message *m;
            if (resolve_message_type(r, md->input_type, full, md->pos, &m, &md->input_resolved) ||
                resolve_message_type(r, md->output_type, full, md->pos, &m, &md->output_resolved))
                return -1;
            if (check_option_list(r, &md->options, method_opts, "MethodOptions", full)) return -1;
        }
        if (check_option_list(r, &s->options, service_opts, "ServiceOptions", sfull)) return -1;
    }
    for (size_t i = 0; i < f->n_messages; i++)
        if (check_message(r, f->messages[i])) return -1;
    for (size_t i = 0; i < f->n_enums; i++) {
        if (check_enum(r, f->enums[i])) return -1;
        if (check_enum_options(r, f->enums[i], f->package)) return -1;
    }
    if (check_extension_numbers(r)) return -1;
    return check_option_list(r, &f->options, file_opts, "FileOptions",
                             f->package ? arena_printf(r->a, "%s.dummy", f->package) : "dummy");
}

/* Loads every import of f (deps-first), then builds f and appends it. */
static int load_imports_and_build(resolver *r, pb_file *f)
{
    strmap seen = {0};
    for (size_t i = 0; i < f->n_imports; i++) {
        const pb_import *im = &f->imports[i];
        if (!strmap_put(&seen, im->path, NULL)) {
            strmap_free(&seen);
            r->cur = f;
            return errf(r, im->pos, "Import \"%s\" was listed twice.", im->path);
        }
    }
    strmap_free(&seen);
    for (size_t i = 0; i < f->n_imports; i++) {
        r->cur = f;
        if (!load(r, f->imports[i].path, f->imports[i].pos)) return -1;
    }
    if (build_file(r, f)) return -1;
    r->files = arena_grow(r->a, r->files, r->n_files, sizeof *r->files);
    r->files[r->n_files++] = f;
    r->cur = NULL;
    return 0;
}

static pb_file *load(resolver *r, const char *path, pb_pos pos)
{
    for (size_t i = 0; i < r->n_files; i++)
        if (strcmp(r->files[i]->name, path) == 0) return r->files[i];
    pb_file *importer = r->cur;
    for (size_t i = 0; i < r->n_loading; i++)
        if (strcmp(r->loading[i], path) == 0) {
            strbuf chain = STRBUF_INIT;
            for (size_t j = i; j < r->n_loading; j++) strbuf_printf(&chain, "%s -> ", r->loading[j]);
            strbuf_puts(&chain, path);
            errf(r, pos, "File recursively imports itself: %s", chain.data);
            strbuf_free(&chain);
            return NULL;
        }
    if (r->n_loading >= PB_MAX_FILES || r->n_files >= PB_MAX_FILES) {
        errf(r, pos, "Too many imports (more than %d files).", PB_MAX_FILES);
        return NULL;
    }
    const char *text = NULL, *subject = NULL;
    int version = 0, bundled = 0;
    for (size_t i = 0; i < r->n_deps; i++)
        if (r->deps[i].name && strcmp(r->deps[i].name, path) == 0) {
            text = r->deps[i].text;
            subject = r->deps[i].subject;
            version = r->deps[i].version;
        }
    if (!text) {
        text = pb_bundled_file(path);
        bundled = text != NULL;
    }
    if (!text) {
        errf(r, pos, "Import \"%s\" was not found or had errors.", path);
        return NULL;
    }
    pb_file *f = pb_try_descriptor_text(r->a, text, strlen(text), r->err);
    if (!f && r->err->code) return NULL;
    if (!f) f = pb_parse_text(r->a, path, text, strlen(text), r->err);
    if (!f) return NULL;
    f->name = arena_strdup(r->a, path);
    f->ref_subject = subject ? arena_strdup(r->a, subject) : NULL;
    f->ref_version = version;
    f->bundled = bundled;
    r->loading = arena_grow(r->a, r->loading, r->n_loading, sizeof *r->loading);
    r->loading[r->n_loading++] = path;
    int rc = load_imports_and_build(r, f);
    r->n_loading--;
    r->cur = importer;
    return rc ? NULL : f;
}

/* ------------------------------------------------------------------------ */
/* the schema                                                                */

static int cmp_symbol(const void *a, const void *b)
{
    return strcmp(((const pb_symbol *)a)->full_name, ((const pb_symbol *)b)->full_name);
}

const pb_symbol *pb_schema_lookup(const pb_schema *s, const char *full_name)
{
    if (!s || !full_name) return NULL;
    if (full_name[0] == '.') full_name++;
    size_t lo = 0, hi = s->n_symbols;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->symbols[mid].full_name, full_name);
        if (c == 0) return &s->symbols[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

pb_schema *pb_resolve(arena *a, pb_file *file, const sr_dep *deps, size_t n_deps,
                      unsigned flags, sr_error *err)
{
    resolver r = {0};
    r.a = a;
    r.err = err;
    r.deps = deps;
    r.n_deps = n_deps;
    r.flags = flags;
    r.lenient = (flags & SR_PARSE_LENIENT) != 0;
    r.cur = file;
    pb_schema *s = NULL;
    if (load_imports_and_build(&r, file)) goto out;

    s = arena_alloc(a, sizeof *s);
    s->arena = a;
    s->file = file;
    s->n_deps = r.n_files - 1;
    s->deps = arena_alloc(a, (s->n_deps + 1) * sizeof(pb_file *));
    for (size_t i = 0; i + 1 < r.n_files; i++) s->deps[i] = r.files[i];
    size_t n = 0;
    for (size_t i = 0; i < r.syms.n; i++)
        n += r.syms.items[i].kind == S_MESSAGE || r.syms.items[i].kind == S_ENUM;
    s->symbols = arena_alloc(a, (n + 1) * sizeof(pb_symbol));
    for (size_t i = 0; i < r.syms.n; i++) {
        const sym *x = &r.syms.items[i];
        if (x->kind != S_MESSAGE && x->kind != S_ENUM) continue;
        pb_symbol *y = &s->symbols[s->n_symbols++];
        y->full_name = x->name;
        y->message = x->kind == S_MESSAGE ? x->obj : NULL;
        y->enumeration = x->kind == S_ENUM ? x->obj : NULL;
        y->file = r.files[x->file];
    }
    qsort(s->symbols, s->n_symbols, sizeof(pb_symbol), cmp_symbol);
out:
    symtab_free(&r.syms);
    free(r.visible);
    return s;
}

pb_schema *pb_fmt_parse(const char *text, size_t len, const sr_dep *deps, size_t n_deps,
                        unsigned flags, sr_error *err)
{
    sr_error local = {0};
    if (!err) err = &local;
    memset(err, 0, sizeof *err);
    if (!text) {
        sr_invalid_schema(err, "empty schema");
        return NULL;
    }
    arena *a = arena_new();
    pb_file *f = pb_try_descriptor_text(a, text, len, err);
    if (!f && err->code) {
        arena_free(a);
        return NULL;
    }
    if (!f) f = pb_parse_text(a, "", text, len, err);
    if (f) f->name = "";
    pb_schema *s = f ? pb_resolve(a, f, deps, n_deps, flags, err) : NULL;
    if (!s) arena_free(a);
    return s;
}

void pb_fmt_schema_free(pb_schema *schema)
{
    if (schema) arena_free(schema->arena);
}
