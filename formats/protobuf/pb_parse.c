/*
 * The .proto parser: tokens (pb_lex.c) -> the unresolved model of pb_model.h,
 * after protoc 3.21's compiler/parser.cc: the same statements in the same
 * places, the same syntax errors (first one only: we stop where protoc would
 * go on to collect more), and the same parse-time checks (labels, map fields,
 * default values against scalar types, integer ranges). Name resolution and
 * the semantic checks of descriptor.cc are pb_resolve.c's.
 *
 * Recursion (nested messages and groups) is bounded by PB_MAX_DEPTH; the
 * braces of aggregate option values are counted, not recursed into.
 */
#include "pb_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    pb_lexer lx;
    pb_token tok;      /* the current token */
    size_t prev_end;   /* end offset of the token before it */
    arena *a;
    sr_error *err;
    const char *file;  /* name for messages (NULL for the schema itself) */
    pb_file *f;
    int proto3;
    int depth;
} parser;

/* Where a field is declared. */
typedef struct field_ctx {
    pb_message *owner;     /* enclosing message, NULL for a top-level extend */
    int oneof;             /* oneof index, or -1 */
    const char *extendee;  /* as written, for fields of an extend block */
    pb_message ***msgs;    /* where group and map-entry messages go */
    size_t *n_msgs;
} field_ctx;

/* ------------------------------------------------------------------------ */
/* token helpers                                                             */

static int fail(parser *p, pb_pos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(parser *p, pb_pos pos, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pb_errorf(p->err, p->file, pos, "%s", msg);
}

static int next(parser *p)
{
    p->prev_end = p->tok.offset + p->tok.len;
    return pb_lex_next(&p->lx, &p->tok);
}

static int at_end(const parser *p)
{
    return p->tok.kind == PB_TOK_EOF;
}

static int looking_at(const parser *p, const char *text)
{
    if (p->tok.kind != PB_TOK_IDENT && p->tok.kind != PB_TOK_SYMBOL) return 0;
    if (p->tok.text[0] != text[0]) return 0; /* cheap rejection first */
    size_t n = strlen(text);
    return p->tok.len == n && memcmp(p->tok.text, text, n) == 0;
}

/* 1 if consumed, 0 if not there, -1 on a lexer error */
static int try_consume(parser *p, const char *text)
{
    if (!looking_at(p, text)) return 0;
    return next(p) ? -1 : 1;
}

static int consume(parser *p, const char *text, const char *msg)
{
    if (looking_at(p, text)) return next(p);
    if (msg) return fail(p, p->tok.pos, "%s", msg);
    return fail(p, p->tok.pos, "Expected \"%s\".", text);
}

static char *tok_dup(parser *p)
{
    return arena_strndup(p->a, p->tok.text, p->tok.len);
}

static int consume_ident(parser *p, char **out, const char *msg)
{
    if (p->tok.kind != PB_TOK_IDENT) return fail(p, p->tok.pos, "%s", msg);
    *out = tok_dup(p);
    return next(p);
}

/* Adjacent string literals, concatenated (protoc's ConsumeString). */
static int consume_string(parser *p, char **out, size_t *len, const char *msg)
{
    if (p->tok.kind != PB_TOK_STRING) return fail(p, p->tok.pos, "%s", msg);
    strbuf sb = STRBUF_INIT;
    while (p->tok.kind == PB_TOK_STRING) {
        strbuf_add(&sb, p->tok.str, p->tok.str_len);
        if (next(p)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    *out = arena_strndup(p->a, sb.data ? sb.data : "", sb.len);
    if (len) *len = sb.len;
    strbuf_free(&sb);
    return 0;
}

/* protoc's Tokenizer::ParseInteger: decimal, 0x hex or 0 octal, <= max. */
static int parse_uint(const char *text, size_t len, uint64_t max, uint64_t *out)
{
    unsigned base = 10;
    size_t i = 0;
    if (len > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (len > 1 && text[0] == '0') {
        base = 8;
        i = 1;
    }
    uint64_t v = 0;
    for (; i < len; i++) {
        int c = (unsigned char)text[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
        if (d >= base) return -1;
        if (v > (max - d) / base) return -1;
        v = v * base + d;
    }
    *out = v;
    return 0;
}

static int consume_integer64(parser *p, uint64_t max, uint64_t *out, const char *msg)
{
    if (p->tok.kind != PB_TOK_INT) return fail(p, p->tok.pos, "%s", msg);
    if (parse_uint(p->tok.text, p->tok.len, max, out))
        return fail(p, p->tok.pos, "Integer out of range.");
    return next(p);
}

static int consume_int(parser *p, int *out, const char *msg)
{
    uint64_t v;
    if (consume_integer64(p, INT_MAX, &v, msg)) return -1;
    *out = (int)v;
    return 0;
}

static int consume_signed_int(parser *p, int *out, const char *msg)
{
    int neg = try_consume(p, "-");
    if (neg < 0) return -1;
    uint64_t v;
    if (consume_integer64(p, (uint64_t)INT_MAX + (neg ? 1 : 0), &v, msg)) return -1;
    *out = neg ? (int)(-(int64_t)v) : (int)v;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* model helpers                                                             */

#define APPEND(arr, n, item)                                                    \
    do {                                                                        \
        (arr) = arena_grow(p->a, (arr), (n), sizeof *(arr));                 \
        (arr)[(n)++] = (item);                                                  \
    } while (0)

static void add_decl(parser *p, pb_decl **decls, size_t *n, pb_decl_kind kind, size_t index)
{
    pb_decl d = {kind, index};
    APPEND(*decls, *n, d);
}

static void add_option(parser *p, pb_options *opts, pb_option o)
{
    APPEND(opts->items, opts->n, o);
}

const pb_option *pb_find_option(const pb_options *opts, const char *name)
{
    const pb_option *found = NULL;
    for (size_t i = 0; i < opts->n; i++)
        if (strcmp(opts->items[i].name, name) == 0) found = &opts->items[i];
    return found;
}

static const struct {
    const char *name;
    pb_type type;
} scalar_types[] = {
    {"double", PB_TYPE_DOUBLE},   {"float", PB_TYPE_FLOAT},       {"int64", PB_TYPE_INT64},
    {"uint64", PB_TYPE_UINT64},   {"int32", PB_TYPE_INT32},       {"fixed64", PB_TYPE_FIXED64},
    {"fixed32", PB_TYPE_FIXED32}, {"bool", PB_TYPE_BOOL},         {"string", PB_TYPE_STRING},
    {"group", PB_TYPE_GROUP},     {"bytes", PB_TYPE_BYTES},       {"uint32", PB_TYPE_UINT32},
    {"sfixed32", PB_TYPE_SFIXED32}, {"sfixed64", PB_TYPE_SFIXED64}, {"sint32", PB_TYPE_SINT32},
    {"sint64", PB_TYPE_SINT64},
};

pb_type pb_scalar_type(const char *name)
{
    for (size_t i = 0; i < sizeof scalar_types / sizeof scalar_types[0]; i++)
        if (strcmp(scalar_types[i].name, name) == 0) return scalar_types[i].type;
    return PB_TYPE_UNRESOLVED;
}

static pb_type tok_scalar_type(const parser *p)
{
    if (p->tok.kind != PB_TOK_IDENT) return PB_TYPE_UNRESOLVED;
    for (size_t i = 0; i < sizeof scalar_types / sizeof scalar_types[0]; i++)
        if (looking_at(p, scalar_types[i].name)) return scalar_types[i].type;
    return PB_TYPE_UNRESOLVED;
}

static char *camel(arena *a, const char *name, int cap_first, const char *suffix)
{
    size_t n = strlen(name);
    char *out = arena_alloc(a, n + strlen(suffix) + 1);
    size_t j = 0;
    int cap = cap_first;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '_') {
            cap = 1;
        } else if (cap) {
            out[j++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
            cap = 0;
        } else {
            out[j++] = c;
        }
    }
    strcpy(out + j, suffix);
    return out;
}

char *pb_map_entry_name(arena *a, const char *field_name)
{
    return camel(a, field_name, 1, "Entry");
}

char *pb_json_name(arena *a, const char *field_name)
{
    return camel(a, field_name, 0, "");
}

/* ------------------------------------------------------------------------ */
/* types and options                                                         */

/* A user-defined type name: ["."] ident ("." ident)*  (ParseUserDefinedType) */
static int parse_user_type(parser *p, char **out)
{
    if (tok_scalar_type(p) != PB_TYPE_UNRESOLVED)
        return fail(p, p->tok.pos, "Expected message type.");
    strbuf sb = STRBUF_INIT;
    int rc = try_consume(p, ".");
    if (rc < 0) goto fail;
    if (rc) strbuf_putc(&sb, '.');
    if (p->tok.kind != PB_TOK_IDENT) {
        fail(p, p->tok.pos, "Expected type name.");
        goto fail;
    }
    strbuf_add(&sb, p->tok.text, p->tok.len);
    if (next(p)) goto fail;
    while ((rc = try_consume(p, ".")) == 1) {
        if (p->tok.kind != PB_TOK_IDENT) {
            fail(p, p->tok.pos, "Expected identifier.");
            goto fail;
        }
        strbuf_putc(&sb, '.');
        strbuf_add(&sb, p->tok.text, p->tok.len);
        if (next(p)) goto fail;
    }
    if (rc < 0) goto fail;
    *out = arena_strndup(p->a, sb.data, sb.len);
    strbuf_free(&sb);
    return 0;
fail:
    strbuf_free(&sb);
    return -1;
}

/* A field type: a scalar keyword (group included) or a user-defined type. */
static int parse_type(parser *p, pb_type *type, char **name)
{
    pb_type t = tok_scalar_type(p);
    if (t != PB_TYPE_UNRESOLVED) {
        *type = t;
        *name = tok_dup(p);
        return next(p);
    }
    *type = PB_TYPE_UNRESOLVED;
    return parse_user_type(p, name);
}

/* option name: part ("." part)*, part = ident | "(" ["."] ident ("." ident)* ")" */
static int parse_option_name(parser *p, char **out)
{
    strbuf sb = STRBUF_INIT;
    for (;;) {
        if (looking_at(p, "(")) {
            if (next(p)) goto fail;
            strbuf_putc(&sb, '(');
            if (p->tok.kind == PB_TOK_IDENT) {
                strbuf_add(&sb, p->tok.text, p->tok.len);
                if (next(p)) goto fail;
            }
            while (looking_at(p, ".")) {
                if (next(p)) goto fail;
                strbuf_putc(&sb, '.');
                if (p->tok.kind != PB_TOK_IDENT) {
                    fail(p, p->tok.pos, "Expected identifier.");
                    goto fail;
                }
                strbuf_add(&sb, p->tok.text, p->tok.len);
                if (next(p)) goto fail;
            }
            if (consume(p, ")", NULL)) goto fail;
            strbuf_putc(&sb, ')');
        } else {
            if (p->tok.kind != PB_TOK_IDENT) {
                fail(p, p->tok.pos, "Expected identifier.");
                goto fail;
            }
            strbuf_add(&sb, p->tok.text, p->tok.len);
            if (next(p)) goto fail;
        }
        if (!looking_at(p, ".")) break;
        if (next(p)) goto fail;
        strbuf_putc(&sb, '.');
    }
    *out = arena_strndup(p->a, sb.data, sb.len);
    strbuf_free(&sb);
    return 0;
fail:
    strbuf_free(&sb);
    return -1;
}

/* The body of an aggregate value `{ ... }`: the tokens as written, comments
 * dropped, runs of blanks between tokens collapsed to one space. Braces
 * (and the text format's angle brackets) are counted, not recursed into;
 * more than PB_MAX_DEPTH levels is an error (protoc's text-format parser would
 * recurse on them). */
static int parse_aggregate(parser *p, pb_value *v)
{
    if (consume(p, "{", NULL)) return -1;
    strbuf sb = STRBUF_INIT;
    int depth = 1;  /* braces: the value ends where they balance (as in protoc) */
    int nested = 1; /* braces, angle brackets and square brackets: bounded */
    size_t last_end = 0;
    int first = 1;
    while (!at_end(p)) {
        if (looking_at(p, "{") || looking_at(p, "<") || looking_at(p, "[")) {
            if (looking_at(p, "{")) depth++;
            if (++nested > PB_MAX_DEPTH) {
                strbuf_free(&sb);
                return fail(p, p->tok.pos, "Aggregate value nested too deeply (more than %d levels).",
                            PB_MAX_DEPTH);
            }
        } else if (looking_at(p, ">") || looking_at(p, "]")) {
            if (nested > 1) nested--;
        } else if (looking_at(p, "}")) {
            if (nested > 1) nested--;
            if (--depth == 0) {
                v->kind = PB_VALUE_AGGREGATE;
                v->text = arena_strndup(p->a, sb.data ? sb.data : "", sb.len);
                v->len = sb.len;
                strbuf_free(&sb);
                return next(p);
            }
        }
        if (!first && p->tok.offset > last_end) strbuf_putc(&sb, ' ');
        strbuf_add(&sb, p->tok.text, p->tok.len);
        first = 0;
        last_end = p->tok.offset + p->tok.len;
        if (next(p)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    strbuf_free(&sb);
    return fail(p, p->tok.pos, "Unexpected end of stream while parsing aggregate value.");
}

/* An option value (ParseOption's value part). */
static int parse_option_value(parser *p, pb_value *v)
{
    pb_pos minus = p->tok.pos;
    int neg = try_consume(p, "-");
    if (neg < 0) return -1;
    switch (p->tok.kind) {
    case PB_TOK_EOF:
        return fail(p, p->tok.pos, "Unexpected end of stream while parsing option value.");
    case PB_TOK_IDENT:
        if (neg) {
            if (looking_at(p, "inf") || looking_at(p, "nan")) {
                v->kind = PB_VALUE_FLOAT;
                v->text = arena_printf(p->a, "-%.*s", (int)p->tok.len, p->tok.text);
                v->len = strlen(v->text);
                return next(p);
            }
            return fail(p, minus, "Invalid '-' symbol before identifier.");
        }
        v->kind = PB_VALUE_IDENT;
        v->text = tok_dup(p);
        v->len = p->tok.len;
        return next(p);
    case PB_TOK_INT: {
        uint64_t u;
        if (parse_uint(p->tok.text, p->tok.len,
                       neg ? (uint64_t)INT64_MAX + 1 : UINT64_MAX, &u))
            return fail(p, p->tok.pos, "Integer out of range.");
        v->kind = PB_VALUE_INT;
        v->text = arena_printf(p->a, "%s%.*s", neg ? "-" : "", (int)p->tok.len, p->tok.text);
        v->len = strlen(v->text);
        return next(p);
    }
    case PB_TOK_FLOAT:
        v->kind = PB_VALUE_FLOAT;
        v->text = arena_printf(p->a, "%s%.*s", neg ? "-" : "", (int)p->tok.len, p->tok.text);
        v->len = strlen(v->text);
        return next(p);
    case PB_TOK_STRING:
        if (neg) return fail(p, minus, "Invalid '-' symbol before string.");
        v->kind = PB_VALUE_STRING;
        return consume_string(p, &v->text, &v->len, "Expected string.");
    case PB_TOK_SYMBOL:
        if (looking_at(p, "{") && !neg) return parse_aggregate(p, v);
        return fail(p, p->tok.pos, "Expected option value.");
    }
    return fail(p, p->tok.pos, "Expected option value.");
}

/* name "=" value, after "option" for statements (no ";" consumed here). */
static int parse_option_assignment(parser *p, pb_options *opts, pb_pos pos)
{
    pb_option o = {0};
    o.pos = pos;
    if (parse_option_name(p, &o.name)) return -1;
    if (consume(p, "=", NULL)) return -1;
    if (parse_option_value(p, &o.value)) return -1;
    add_option(p, opts, o);
    return 0;
}

/* "option" name "=" value ";" -- returns the option's index in *index */
static int parse_option_statement(parser *p, pb_options *opts)
{
    pb_pos pos = p->tok.pos;
    if (consume(p, "option", NULL)) return -1;
    if (parse_option_assignment(p, opts, pos)) return -1;
    return consume(p, ";", NULL);
}

/* ------------------------------------------------------------------------ */
/* fields                                                                    */

/* ParseDefaultAssignment: checks the literal against a scalar type. */
static int parse_default(parser *p, pb_field *f, int has_default)
{
    pb_pos pos = p->tok.pos;
    if (has_default) return fail(p, pos, "Already set option \"default\".");
    if (next(p)) return -1; /* "default" */
    if (consume(p, "=", NULL)) return -1;
    if (f->label == PB_LABEL_REPEATED || f->is_map)
        return fail(p, pos, "Repeated fields can't have default values.");
    pb_option o = {0};
    o.name = "default";
    o.pos = pos;
    pb_value *v = &o.value;
    pb_pos vpos = p->tok.pos;
    uint64_t max = 0;
    int is_signed = 0;
    switch (f->type) {
    case PB_TYPE_UNRESOLVED: /* enum or message: one token, checked on resolution */
        if (p->tok.kind == PB_TOK_EOF) return fail(p, vpos, "Expected default value.");
        v->kind = p->tok.kind == PB_TOK_INT     ? PB_VALUE_INT
                  : p->tok.kind == PB_TOK_FLOAT ? PB_VALUE_FLOAT
                  : p->tok.kind == PB_TOK_STRING ? PB_VALUE_STRING
                                                : PB_VALUE_IDENT;
        if (v->kind == PB_VALUE_STRING) {
            v->text = p->tok.str;
            v->len = p->tok.str_len;
        } else {
            v->text = tok_dup(p);
            v->len = p->tok.len;
        }
        if (next(p)) return -1;
        break;
    case PB_TYPE_GROUP:
    case PB_TYPE_MESSAGE:
        return fail(p, vpos, "Messages can't have default values.");
    case PB_TYPE_INT32:
    case PB_TYPE_SINT32:
    case PB_TYPE_SFIXED32:
        max = INT32_MAX, is_signed = 1;
        goto integer;
    case PB_TYPE_INT64:
    case PB_TYPE_SINT64:
    case PB_TYPE_SFIXED64:
        max = INT64_MAX, is_signed = 1;
        goto integer;
    case PB_TYPE_UINT32:
    case PB_TYPE_FIXED32:
        max = UINT32_MAX;
        goto integer;
    case PB_TYPE_UINT64:
    case PB_TYPE_FIXED64:
        max = UINT64_MAX;
    integer: {
        int neg = is_signed ? try_consume(p, "-") : 0;
        if (neg < 0) return -1;
        if (p->tok.kind != PB_TOK_INT)
            return fail(p, p->tok.pos, "Expected integer for field default value.");
        uint64_t u;
        if (parse_uint(p->tok.text, p->tok.len, max + (neg ? 1 : 0), &u))
            return fail(p, p->tok.pos, "Integer out of range.");
        v->kind = PB_VALUE_INT;
        v->text = arena_printf(p->a, "%s%.*s", neg ? "-" : "", (int)p->tok.len, p->tok.text);
        v->len = strlen(v->text);
        if (next(p)) return -1;
        break;
    }
    case PB_TYPE_FLOAT:
    case PB_TYPE_DOUBLE: {
        int neg = try_consume(p, "-");
        if (neg < 0) return -1;
        if (p->tok.kind == PB_TOK_INT) {
            uint64_t u;
            if (parse_uint(p->tok.text, p->tok.len, UINT64_MAX, &u))
                return fail(p, p->tok.pos, "Integer out of range.");
            v->kind = PB_VALUE_INT;
        } else if (p->tok.kind == PB_TOK_FLOAT) {
            v->kind = PB_VALUE_FLOAT;
        } else if (looking_at(p, "inf") || looking_at(p, "nan")) {
            v->kind = neg ? PB_VALUE_FLOAT : PB_VALUE_IDENT;
        } else {
            return fail(p, p->tok.pos, "Expected number.");
        }
        v->text = arena_printf(p->a, "%s%.*s", neg ? "-" : "", (int)p->tok.len, p->tok.text);
        v->len = strlen(v->text);
        if (next(p)) return -1;
        break;
    }
    case PB_TYPE_BOOL:
        if (!looking_at(p, "true") && !looking_at(p, "false"))
            return fail(p, vpos, "Expected \"true\" or \"false\".");
        v->kind = PB_VALUE_IDENT;
        v->text = tok_dup(p);
        v->len = p->tok.len;
        if (next(p)) return -1;
        break;
    case PB_TYPE_STRING:
    case PB_TYPE_BYTES:
        v->kind = PB_VALUE_STRING;
        if (consume_string(p, &v->text, &v->len, "Expected string for field default value."))
            return -1;
        break;
    case PB_TYPE_ENUM:
        return fail(p, vpos, "Expected default value.");
    }
    add_option(p, &f->options, o);
    return 0;
}

static int parse_field_options(parser *p, pb_field *f)
{
    if (!looking_at(p, "[")) return 0;
    if (next(p)) return -1;
    int has_default = 0, has_json = 0, rc;
    do {
        if (looking_at(p, "default")) {
            if (parse_default(p, f, has_default)) return -1;
            has_default = 1;
        } else if (looking_at(p, "json_name")) {
            pb_pos pos = p->tok.pos;
            if (has_json) return fail(p, pos, "Already set option \"json_name\".");
            has_json = 1;
            if (next(p) || consume(p, "=", NULL)) return -1;
            pb_option o = {0};
            o.name = "json_name";
            o.pos = pos;
            o.value.kind = PB_VALUE_STRING;
            if (consume_string(p, &o.value.text, &o.value.len, "Expected string for JSON name."))
                return -1;
            add_option(p, &f->options, o);
        } else {
            if (parse_option_assignment(p, &f->options, p->tok.pos)) return -1;
        }
    } while ((rc = try_consume(p, ",")) == 1);
    if (rc < 0) return -1;
    return consume(p, "]", NULL);
}

static pb_message *new_message(parser *p, const char *name, pb_pos pos)
{
    pb_message *m = arena_alloc(p->a, sizeof *m);
    m->name = (char *)name;
    m->pos = pos;
    return m;
}

static int parse_message_block(parser *p, pb_message *m);

/* The synthetic entry message of a map field (protoc's GenerateMapEntry). */
static pb_message *map_entry(parser *p, pb_field *f, pb_type kt, char *kn, pb_type vt, char *vn)
{
    pb_message *e = new_message(p, pb_map_entry_name(p->a, f->name), f->pos);
    e->is_map_entry = 1;
    e->fields = arena_alloc(p->a, 2 * sizeof(pb_field));
    e->n_fields = 2;
    pb_field *k = &e->fields[0], *v = &e->fields[1];
    k->name = "key";
    k->number = 1;
    k->label = PB_LABEL_OPTIONAL;
    k->type_name = kn;
    k->type = kt;
    k->oneof = -1;
    k->pos = f->pos;
    v->name = "value";
    v->number = 2;
    v->label = PB_LABEL_OPTIONAL;
    v->type_name = vn;
    v->type = vt;
    v->oneof = -1;
    v->pos = f->pos;
    return e;
}

/* A field (ParseMessageField + ParseMessageFieldNoLabel). */
static int parse_field(parser *p, const field_ctx *ctx, pb_field *f)
{
    memset(f, 0, sizeof *f);
    f->pos = p->tok.pos;
    f->oneof = ctx->oneof;
    if (looking_at(p, "optional") || looking_at(p, "required") || looking_at(p, "repeated")) {
        if (ctx->oneof >= 0)
            return fail(p, p->tok.pos,
                        "Fields in oneofs must not have labels (required / optional / repeated).");
        f->label = looking_at(p, "optional")   ? PB_LABEL_OPTIONAL
                   : looking_at(p, "required") ? PB_LABEL_REQUIRED
                                               : PB_LABEL_REPEATED;
        if (next(p)) return -1;
        if (f->label == PB_LABEL_OPTIONAL && p->proto3) f->proto3_optional = 1;
    }
    pb_pos type_pos = p->tok.pos;
    pb_type kt = 0, vt = 0;
    char *kn = NULL, *vn = NULL;
    int type_parsed = 0;
    if (looking_at(p, "map")) {
        if (next(p)) return -1;
        if (looking_at(p, "<")) {
            if (ctx->oneof >= 0) return fail(p, type_pos, "Map fields are not allowed in oneofs.");
            if (f->label)
                return fail(p, type_pos,
                            "Field labels (required/optional/repeated) are not allowed on map fields.");
            if (ctx->extendee)
                return fail(p, type_pos, "Map fields are not allowed to be extensions.");
            f->is_map = 1;
            if (next(p)) return -1;
            pb_pos kpos = p->tok.pos;
            if (parse_type(p, &kt, &kn)) return -1;
            if (kt == PB_TYPE_GROUP) return fail(p, kpos, "Expected message type.");
            if (consume(p, ",", NULL)) return -1;
            pb_pos vpos = p->tok.pos;
            if (parse_type(p, &vt, &vn)) return -1;
            if (vt == PB_TYPE_GROUP) return fail(p, vpos, "Expected message type.");
            if (consume(p, ">", NULL)) return -1;
            f->type_name = arena_printf(p->a, "map<%s, %s>", kn, vn);
            f->type = PB_TYPE_MESSAGE;
        } else {
            type_parsed = 1;
            f->type_name = "map";
            f->type = PB_TYPE_UNRESOLVED;
        }
    }
    if (!f->is_map) {
        if (!f->label && ctx->oneof < 0 && !p->proto3)
            return fail(p, type_pos, "Expected \"required\", \"optional\", or \"repeated\".");
        if (!type_parsed && parse_type(p, &f->type, &f->type_name)) return -1;
    }
    pb_token name_tok = p->tok;
    if (consume_ident(p, &f->name, "Expected field name.")) return -1;
    if (consume(p, "=", "Missing field number.")) return -1;
    if (consume_int(p, &f->number, "Expected field number.")) return -1;
    if (parse_field_options(p, f)) return -1;

    if (f->type == PB_TYPE_GROUP) {
        if (p->proto3) return fail(p, type_pos, "Groups are not supported in proto3 syntax.");
        pb_message *g = new_message(p, f->name, f->pos);
        g->is_group = 1;
        if (f->name[0] < 'A' || f->name[0] > 'Z')
            return fail(p, name_tok.pos, "Group names must start with a capital letter.");
        f->type_name = f->name;
        char *lower = arena_strdup(p->a, f->name);
        for (char *c = lower; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        f->name = lower;
        APPEND(*ctx->msgs, *ctx->n_msgs, g);
        f->message = g;
        if (parse_message_block(p, g)) return -1;
    } else {
        if (consume(p, ";", NULL)) return -1;
    }
    if (f->is_map) {
        pb_message *e = map_entry(p, f, kt, kn, vt, vn);
        APPEND(*ctx->msgs, *ctx->n_msgs, e);
        f->message = e;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* ranges: reserved and extensions                                            */

/* Numbers and ranges: n ["to" (n | "max")] ("," ...)* ; enum = signed, inclusive */
static int parse_ranges(parser *p, pb_range **out, size_t *n, int is_enum, const char *first_msg,
                        const char *next_msg)
{
    int first = 1, rc;
    do {
        pb_range r = {0};
        const char *msg = first ? first_msg : next_msg;
        if (is_enum ? consume_signed_int(p, &r.start, msg) : consume_int(p, &r.start, msg))
            return -1;
        int to = try_consume(p, "to");
        if (to < 0) return -1;
        if (to) {
            int max = try_consume(p, "max");
            if (max < 0) return -1;
            if (max) {
                r.end = is_enum ? INT_MAX : PB_MAX_FIELD_NUMBER;
                r.end_is_max = 1;
            } else if (is_enum ? consume_signed_int(p, &r.end, "Expected integer.")
                               : consume_int(p, &r.end, "Expected integer.")) {
                return -1;
            }
        } else {
            r.end = r.start;
        }
        APPEND(*out, *n, r);
        first = 0;
    } while ((rc = try_consume(p, ",")) == 1);
    if (rc < 0) return -1;
    return 0;
}

static int parse_reserved(parser *p, pb_reserved *r, int is_enum)
{
    memset(r, 0, sizeof *r);
    r->pos = p->tok.pos;
    if (next(p)) return -1; /* "reserved" */
    int rc;
    if (p->tok.kind == PB_TOK_STRING) {
        do {
            char *name = NULL;
            if (consume_string(p, &name, NULL, is_enum ? "Expected enum value." : "Expected field name."))
                return -1;
            APPEND(r->names, r->n_names, name);
        } while ((rc = try_consume(p, ",")) == 1);
        if (rc < 0) return -1;
    } else if (is_enum) {
        if (parse_ranges(p, &r->ranges, &r->n_ranges, 1, "Expected enum value or number range.",
                         "Expected enum number range."))
            return -1;
    } else if (parse_ranges(p, &r->ranges, &r->n_ranges, 0, "Expected field name or number range.",
                            "Expected field number range.")) {
        return -1;
    }
    return consume(p, ";", NULL);
}

static int parse_extensions(parser *p, pb_extension_range *x)
{
    memset(x, 0, sizeof *x);
    x->pos = p->tok.pos;
    if (next(p)) return -1; /* "extensions" */
    if (parse_ranges(p, &x->ranges, &x->n_ranges, 0, "Expected field number range.",
                     "Expected field number range."))
        return -1;
    if (looking_at(p, "[")) {
        int rc;
        if (next(p)) return -1;
        do {
            if (parse_option_assignment(p, &x->options, p->tok.pos)) return -1;
        } while ((rc = try_consume(p, ",")) == 1);
        if (rc < 0) return -1;
        if (consume(p, "]", NULL)) return -1;
    }
    return consume(p, ";", NULL);
}

/* ------------------------------------------------------------------------ */
/* extend, oneof, enum, message, service                                      */

static int parse_extend(parser *p, pb_extend *x, pb_message *owner, pb_message ***msgs,
                        size_t *n_msgs)
{
    memset(x, 0, sizeof *x);
    x->pos = p->tok.pos;
    if (next(p)) return -1; /* "extend" */
    if (parse_user_type(p, &x->extendee)) return -1;
    if (consume(p, "{", NULL)) return -1;
    field_ctx ctx = {owner, -1, x->extendee, msgs, n_msgs};
    do {
        if (at_end(p))
            return fail(p, p->tok.pos, "Reached end of input in extend definition (missing '}').");
        pb_field f;
        if (parse_field(p, &ctx, &f)) return -1;
        APPEND(x->fields, x->n_fields, f);
    } while (!looking_at(p, "}"));
    return next(p);
}

static int parse_oneof(parser *p, pb_message *m)
{
    pb_oneof o = {0};
    o.pos = p->tok.pos;
    if (next(p)) return -1; /* "oneof" */
    if (consume_ident(p, &o.name, "Expected oneof name.")) return -1;
    if (consume(p, "{", NULL)) return -1;
    size_t index = m->n_oneofs;
    APPEND(m->oneofs, m->n_oneofs, o);
    field_ctx ctx = {m, (int)index, NULL, &m->messages, &m->n_messages};
    do {
        if (at_end(p))
            return fail(p, p->tok.pos, "Reached end of input in oneof definition (missing '}').");
        if (looking_at(p, "option")) {
            if (parse_option_statement(p, &m->oneofs[index].options)) return -1;
            continue;
        }
        pb_field f;
        if (parse_field(p, &ctx, &f)) return -1;
        APPEND(m->fields, m->n_fields, f);
    } while (!looking_at(p, "}"));
    add_decl(p, &m->decls, &m->n_decls, PB_DECL_ONEOF, index);
    return next(p);
}

static int parse_enum(parser *p, pb_enum **out)
{
    pb_enum *e = arena_alloc(p->a, sizeof *e);
    e->pos = p->tok.pos;
    if (next(p)) return -1; /* "enum" */
    if (consume_ident(p, &e->name, "Expected enum name.")) return -1;
    if (consume(p, "{", NULL)) return -1;
    while (!looking_at(p, "}")) {
        if (at_end(p))
            return fail(p, p->tok.pos, "Reached end of input in enum definition (missing '}').");
        if (looking_at(p, ";")) {
            if (next(p)) return -1;
        } else if (looking_at(p, "option")) {
            if (parse_option_statement(p, &e->options)) return -1;
        } else if (looking_at(p, "reserved")) {
            pb_reserved r;
            if (parse_reserved(p, &r, 1)) return -1;
            APPEND(e->reserved, e->n_reserved, r);
        } else {
            pb_enum_value v = {0};
            v.pos = p->tok.pos;
            if (consume_ident(p, &v.name, "Expected enum constant name.")) return -1;
            if (consume(p, "=", "Missing numeric value for enum constant.")) return -1;
            if (consume_signed_int(p, &v.number, "Expected integer.")) return -1;
            if (looking_at(p, "[")) {
                int rc;
                if (next(p)) return -1;
                do {
                    if (parse_option_assignment(p, &v.options, p->tok.pos)) return -1;
                } while ((rc = try_consume(p, ",")) == 1);
                if (rc < 0) return -1;
                if (consume(p, "]", NULL)) return -1;
            }
            if (consume(p, ";", NULL)) return -1;
            APPEND(e->values, e->n_values, v);
        }
    }
    *out = e;
    return next(p);
}

static int parse_message(parser *p, pb_message **out)
{
    pb_pos pos = p->tok.pos;
    if (next(p)) return -1; /* "message" */
    char *name = NULL;
    if (consume_ident(p, &name, "Expected message name.")) return -1;
    pb_message *m = new_message(p, name, pos);
    *out = m;
    return parse_message_block(p, m);
}

static int parse_message_statement(parser *p, pb_message *m)
{
    if (looking_at(p, ";")) return next(p);
    if (looking_at(p, "message")) {
        pb_message *sub;
        if (parse_message(p, &sub)) return -1;
        add_decl(p, &m->decls, &m->n_decls, PB_DECL_MESSAGE, m->n_messages);
        APPEND(m->messages, m->n_messages, sub);
        return 0;
    }
    if (looking_at(p, "enum")) {
        pb_enum *e;
        if (parse_enum(p, &e)) return -1;
        add_decl(p, &m->decls, &m->n_decls, PB_DECL_ENUM, m->n_enums);
        APPEND(m->enums, m->n_enums, e);
        return 0;
    }
    if (looking_at(p, "extensions")) {
        pb_extension_range x;
        if (parse_extensions(p, &x)) return -1;
        add_decl(p, &m->decls, &m->n_decls, PB_DECL_EXTENSIONS, m->n_extension_ranges);
        APPEND(m->extension_ranges, m->n_extension_ranges, x);
        return 0;
    }
    if (looking_at(p, "reserved")) {
        pb_reserved r;
        if (parse_reserved(p, &r, 0)) return -1;
        add_decl(p, &m->decls, &m->n_decls, PB_DECL_RESERVED, m->n_reserved);
        APPEND(m->reserved, m->n_reserved, r);
        return 0;
    }
    if (looking_at(p, "extend")) {
        pb_extend x;
        size_t index = m->n_extends;
        if (parse_extend(p, &x, m, &m->messages, &m->n_messages)) return -1;
        add_decl(p, &m->decls, &m->n_decls, PB_DECL_EXTEND, index);
        APPEND(m->extends, m->n_extends, x);
        return 0;
    }
    if (looking_at(p, "option")) {
        add_decl(p, &m->decls, &m->n_decls, PB_DECL_OPTION, m->options.n);
        return parse_option_statement(p, &m->options);
    }
    if (looking_at(p, "oneof")) return parse_oneof(p, m);
    field_ctx ctx = {m, -1, NULL, &m->messages, &m->n_messages};
    pb_field f;
    if (parse_field(p, &ctx, &f)) return -1;
    add_decl(p, &m->decls, &m->n_decls, PB_DECL_FIELD, m->n_fields);
    APPEND(m->fields, m->n_fields, f);
    return 0;
}

static int parse_message_block(parser *p, pb_message *m)
{
    if (p->depth >= PB_MAX_DEPTH)
        return fail(p, p->tok.pos, "Messages are nested too deeply (more than %d levels).",
                    PB_MAX_DEPTH);
    if (consume(p, "{", NULL)) return -1;
    p->depth++;
    while (!looking_at(p, "}")) {
        if (at_end(p))
            return fail(p, p->tok.pos, "Reached end of input in message definition (missing '}').");
        if (parse_message_statement(p, m)) return -1;
    }
    p->depth--;
    return next(p);
}

static int parse_method(parser *p, pb_method *md)
{
    memset(md, 0, sizeof *md);
    md->pos = p->tok.pos;
    if (consume(p, "rpc", NULL)) return -1;
    if (consume_ident(p, &md->name, "Expected method name.")) return -1;
    if (consume(p, "(", NULL)) return -1;
    if (looking_at(p, "stream")) {
        md->client_streaming = 1;
        if (next(p)) return -1;
    }
    if (parse_user_type(p, &md->input_type)) return -1;
    if (consume(p, ")", NULL)) return -1;
    if (consume(p, "returns", NULL)) return -1;
    if (consume(p, "(", NULL)) return -1;
    if (looking_at(p, "stream")) {
        md->server_streaming = 1;
        if (next(p)) return -1;
    }
    if (parse_user_type(p, &md->output_type)) return -1;
    if (consume(p, ")", NULL)) return -1;
    if (!looking_at(p, "{")) return consume(p, ";", NULL);
    if (next(p)) return -1;
    while (!looking_at(p, "}")) {
        if (at_end(p))
            return fail(p, p->tok.pos, "Reached end of input in method options (missing '}').");
        if (looking_at(p, ";")) {
            if (next(p)) return -1;
        } else if (parse_option_statement(p, &md->options)) {
            return -1;
        }
    }
    return next(p);
}

static int parse_service(parser *p, pb_service *s)
{
    memset(s, 0, sizeof *s);
    s->pos = p->tok.pos;
    if (next(p)) return -1; /* "service" */
    if (consume_ident(p, &s->name, "Expected service name.")) return -1;
    if (consume(p, "{", NULL)) return -1;
    while (!looking_at(p, "}")) {
        if (at_end(p))
            return fail(p, p->tok.pos, "Reached end of input in service definition (missing '}').");
        if (looking_at(p, ";")) {
            if (next(p)) return -1;
        } else if (looking_at(p, "option")) {
            if (parse_option_statement(p, &s->options)) return -1;
        } else {
            pb_method md;
            if (parse_method(p, &md)) return -1;
            APPEND(s->methods, s->n_methods, md);
        }
    }
    return next(p);
}

/* ------------------------------------------------------------------------ */
/* file                                                                      */

static int parse_syntax(parser *p)
{
    if (looking_at(p, "edition"))
        return fail(p, p->tok.pos,
                    "Editions are not supported: only syntax = \"proto2\" and \"proto3\" files "
                    "are accepted.");
    if (!looking_at(p, "syntax")) return 0;
    if (next(p) || consume(p, "=", NULL)) return -1;
    pb_pos pos = p->tok.pos;
    char *syntax = NULL;
    if (consume_string(p, &syntax, NULL, "Expected syntax identifier.")) return -1;
    if (consume(p, ";", NULL)) return -1;
    if (strcmp(syntax, "proto2") != 0 && strcmp(syntax, "proto3") != 0)
        return fail(p, pos,
                    "Unrecognized syntax identifier \"%s\".  This parser only recognizes "
                    "\"proto2\" and \"proto3\".",
                    syntax);
    p->f->syntax = syntax;
    p->proto3 = strcmp(syntax, "proto3") == 0;
    return 0;
}

static int parse_import(parser *p)
{
    pb_file *f = p->f;
    pb_import im = {0};
    im.pos = p->tok.pos;
    if (next(p)) return -1; /* "import" */
    if (looking_at(p, "public")) {
        im.is_public = 1;
        if (next(p)) return -1;
    } else if (looking_at(p, "weak")) {
        im.is_weak = 1;
        if (next(p)) return -1;
    }
    if (consume_string(p, &im.path, NULL, "Expected a string naming the file to import."))
        return -1;
    if (consume(p, ";", NULL)) return -1;
    APPEND(f->imports, f->n_imports, im);
    return 0;
}

static int parse_package(parser *p)
{
    pb_pos pos = p->tok.pos;
    if (p->f->package) return fail(p, pos, "Multiple package definitions.");
    if (next(p)) return -1;
    strbuf sb = STRBUF_INIT;
    for (;;) {
        if (p->tok.kind != PB_TOK_IDENT) {
            strbuf_free(&sb);
            return fail(p, p->tok.pos, "Expected identifier.");
        }
        strbuf_add(&sb, p->tok.text, p->tok.len);
        if (next(p)) {
            strbuf_free(&sb);
            return -1;
        }
        if (!looking_at(p, ".")) break;
        strbuf_putc(&sb, '.');
        if (next(p)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    p->f->package = arena_strndup(p->a, sb.data, sb.len);
    strbuf_free(&sb);
    return consume(p, ";", NULL);
}

static int parse_top_level(parser *p)
{
    pb_file *f = p->f;
    if (looking_at(p, ";")) return next(p);
    if (looking_at(p, "message")) {
        pb_message *m;
        if (parse_message(p, &m)) return -1;
        add_decl(p, &f->decls, &f->n_decls, PB_DECL_MESSAGE, f->n_messages);
        APPEND(f->messages, f->n_messages, m);
        return 0;
    }
    if (looking_at(p, "enum")) {
        pb_enum *e;
        if (parse_enum(p, &e)) return -1;
        add_decl(p, &f->decls, &f->n_decls, PB_DECL_ENUM, f->n_enums);
        APPEND(f->enums, f->n_enums, e);
        return 0;
    }
    if (looking_at(p, "service")) {
        pb_service s;
        if (parse_service(p, &s)) return -1;
        add_decl(p, &f->decls, &f->n_decls, PB_DECL_SERVICE, f->n_services);
        APPEND(f->services, f->n_services, s);
        return 0;
    }
    if (looking_at(p, "extend")) {
        pb_extend x;
        size_t index = f->n_extends;
        if (parse_extend(p, &x, NULL, &f->messages, &f->n_messages)) return -1;
        add_decl(p, &f->decls, &f->n_decls, PB_DECL_EXTEND, index);
        APPEND(f->extends, f->n_extends, x);
        return 0;
    }
    if (looking_at(p, "import")) return parse_import(p);
    if (looking_at(p, "package")) return parse_package(p);
    if (looking_at(p, "option")) {
        add_decl(p, &f->decls, &f->n_decls, PB_DECL_OPTION, f->options.n);
        return parse_option_statement(p, &f->options);
    }
    if (looking_at(p, "syntax") || looking_at(p, "edition"))
        return fail(p, p->tok.pos, "The \"%.*s\" statement must come first in the file.",
                    (int)p->tok.len, p->tok.text);
    return fail(p, p->tok.pos, "Expected top-level statement (e.g. \"message\").");
}

pb_file *pb_parse_text(arena *a, const char *name, const char *text, size_t len,
                       sr_error *err)
{
    parser p = {0};
    p.a = a;
    p.err = err;
    p.file = name && *name ? name : NULL;
    p.f = arena_alloc(a, sizeof(pb_file));
    p.f->name = arena_strdup(a, name ? name : "");
    err->msg[0] = '\0';
    if (len > PB_MAX_INPUT) {
        sr_invalid_schema(err, "%s%sthe .proto text is too large (%zu bytes, at most %u)",
                          p.file ? p.file : "", p.file ? ": " : "", len, PB_MAX_INPUT);
        return NULL;
    }
    pb_lex_init(&p.lx, text, len, a, p.file, err);
    if (pb_lex_next(&p.lx, &p.tok)) return NULL;
    if (parse_syntax(&p)) return NULL;
    while (!at_end(&p))
        if (parse_top_level(&p)) return NULL;
    return p.f;
}
