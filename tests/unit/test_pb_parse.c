/*
 * Unit tests for the .proto parser, resolver and descriptor converters
 * (formats/protobuf/pb_lex.c, pb_parse.c, pb_resolve.c, pb_descriptor.c):
 * the model's contents (labels and type names as written, resolved names,
 * declaration order, map entries, groups, oneofs, options and aggregates,
 * literal decoding), protobuf's scoping rules, imports through references,
 * bundled files and public imports, every error with its line:column, hostile
 * input, and the base64 FileDescriptorProto round trip.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/strbuf.h"
#include "../../formats/protobuf/pb_internal.h"

static pb_schema *parse_deps(const char *text, const sr_dep *deps, size_t n)
{
    sr_error err = {0};
    pb_schema *s = pb_fmt_parse(text, strlen(text), deps, n, 0, &err);
    ck_assert_msg(s != NULL, "parse failed: %s\n--- schema:\n%s", err.msg, text);
    return s;
}

static pb_schema *parse(const char *text)
{
    return parse_deps(text, NULL, 0);
}

/* The schema must be rejected with 422/42201 and exactly this message. */
static void expect_error_deps(const char *text, const sr_dep *deps, size_t n, const char *want)
{
    sr_error err = {0};
    pb_schema *s = pb_fmt_parse(text, strlen(text), deps, n, 0, &err);
    if (s) pb_fmt_schema_free(s);
    ck_assert_msg(s == NULL, "accepted, wanted error: %s\n--- schema:\n%s", want, text);
    ck_assert_int_eq(err.http, 422);
    ck_assert_int_eq(err.code, 42201);
    ck_assert_msg(strcmp(err.msg, want) == 0, "error\n  got:  %s\n  want: %s\n--- schema:\n%s",
                  err.msg, want, text);
}

static void expect_error(const char *text, const char *want)
{
    expect_error_deps(text, NULL, 0, want);
}

static const pb_message *msg(const pb_schema *s, const char *name)
{
    const pb_symbol *sym = pb_schema_lookup(s, name);
    ck_assert_msg(sym && sym->message, "no message %s", name);
    return sym->message;
}

static const pb_enum *enm(const pb_schema *s, const char *name)
{
    const pb_symbol *sym = pb_schema_lookup(s, name);
    ck_assert_msg(sym && sym->enumeration, "no enum %s", name);
    return sym->enumeration;
}

static const pb_field *field(const pb_message *m, const char *name)
{
    for (size_t i = 0; i < m->n_fields; i++)
        if (strcmp(m->fields[i].name, name) == 0) return &m->fields[i];
    ck_abort_msg("no field %s in %s", name, m->full_name);
    return NULL;
}

static const pb_option *opt(const pb_options *o, const char *name)
{
    const pb_option *x = pb_find_option(o, name);
    ck_assert_msg(x != NULL, "no option %s", name);
    return x;
}

/* ------------------------------------------------------------------------ */
/* model contents                                                            */

START_TEST(labels_as_written)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "message M {\n"
                         "  int32 implicit = 1;\n"
                         "  optional int32 opt = 2;\n"
                         "  repeated int32 rep = 3;\n"
                         "  oneof o { int32 member = 4; }\n"
                         "  map<string, int32> m = 5;\n"
                         "}\n");
    const pb_message *m = msg(s, "M");
    ck_assert_int_eq(field(m, "implicit")->label, PB_LABEL_NONE);
    ck_assert_int_eq(field(m, "implicit")->proto3_optional, 0);
    ck_assert_int_eq(field(m, "opt")->label, PB_LABEL_OPTIONAL);
    ck_assert_int_eq(field(m, "opt")->proto3_optional, 1);
    ck_assert_int_eq(field(m, "opt")->oneof, -1);
    ck_assert_int_eq(field(m, "rep")->label, PB_LABEL_REPEATED);
    ck_assert_int_eq(field(m, "member")->label, PB_LABEL_NONE);
    ck_assert_int_eq(field(m, "member")->oneof, 0);
    ck_assert_int_eq(field(m, "m")->label, PB_LABEL_NONE);
    ck_assert_str_eq(s->file->syntax, "proto3");
    pb_fmt_schema_free(s);

    s = parse("message M {\n"
              "  required int32 a = 1;\n"
              "  optional int32 b = 2;\n"
              "  repeated int32 c = 3;\n"
              "  oneof o { int32 d = 4; }\n"
              "}\n");
    m = msg(s, "M");
    ck_assert_ptr_null(s->file->syntax);
    ck_assert_int_eq(field(m, "a")->label, PB_LABEL_REQUIRED);
    ck_assert_int_eq(field(m, "b")->label, PB_LABEL_OPTIONAL);
    ck_assert_int_eq(field(m, "b")->proto3_optional, 0);
    ck_assert_int_eq(field(m, "c")->label, PB_LABEL_REPEATED);
    ck_assert_int_eq(field(m, "d")->label, PB_LABEL_NONE);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(type_names_written_and_resolved)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "package a.b;\n"
                         "message Outer {\n"
                         "  message Inner { }\n"
                         "  enum E { E0 = 0; }\n"
                         "  Inner i1 = 1;\n"
                         "  Outer.Inner i2 = 2;\n"
                         "  .a.b.Outer.Inner i3 = 3;\n"
                         "  b.Outer.Inner i4 = 4;\n"
                         "  E e = 5;\n"
                         "  sint64 n = 6;\n"
                         "  Top t = 7;\n"
                         "}\n"
                         "message Top { Outer.E e = 1; }\n");
    const pb_message *m = msg(s, "a.b.Outer");
    ck_assert_str_eq(m->full_name, "a.b.Outer");
    const char *written[] = {"Inner", "Outer.Inner", ".a.b.Outer.Inner", "b.Outer.Inner"};
    for (int i = 0; i < 4; i++) {
        const pb_field *f = &m->fields[i];
        ck_assert_str_eq(f->type_name, written[i]);
        ck_assert_str_eq(f->resolved, ".a.b.Outer.Inner");
        ck_assert_int_eq(f->type, PB_TYPE_MESSAGE);
        ck_assert_ptr_eq(f->message, msg(s, "a.b.Outer.Inner"));
        ck_assert_ptr_null(f->enumeration);
    }
    const pb_field *e = field(m, "e");
    ck_assert_str_eq(e->type_name, "E");
    ck_assert_str_eq(e->resolved, ".a.b.Outer.E");
    ck_assert_int_eq(e->type, PB_TYPE_ENUM);
    ck_assert_ptr_eq(e->enumeration, enm(s, "a.b.Outer.E"));
    const pb_field *n = field(m, "n");
    ck_assert_str_eq(n->type_name, "sint64");
    ck_assert_int_eq(n->type, PB_TYPE_SINT64);
    ck_assert_ptr_null(n->resolved);
    ck_assert_str_eq(field(m, "t")->resolved, ".a.b.Top");
    ck_assert_str_eq(field(msg(s, ".a.b.Top"), "e")->resolved, ".a.b.Outer.E");
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(declaration_order)
{
    pb_schema *s = parse("syntax = \"proto2\";\n"
                         "option java_package = \"x\";\n"
                         "message A {\n"
                         "  optional int32 f1 = 1;\n"
                         "  option deprecated = true;\n"
                         "  oneof o { int32 f2 = 2; int32 f3 = 3; }\n"
                         "  message N {}\n"
                         "  map<string, int32> mp = 4;\n"
                         "  reserved 10;\n"
                         "  enum E { Z = 0; }\n"
                         "  extensions 100 to 200;\n"
                         "  optional group G = 5 {}\n"
                         "  extend A { optional int32 x = 100; }\n"
                         "  optional int32 f6 = 6;\n"
                         "}\n"
                         "enum T { T0 = 0; }\n"
                         "service S {}\n"
                         "extend A { optional int32 y = 101; }\n"
                         "message B {}\n");
    const pb_file *f = s->file;
    pb_decl_kind top[] = {PB_DECL_OPTION, PB_DECL_MESSAGE, PB_DECL_ENUM, PB_DECL_SERVICE,
                          PB_DECL_EXTEND, PB_DECL_MESSAGE};
    size_t top_index[] = {0, 0, 0, 0, 0, 1};
    ck_assert_uint_eq(f->n_decls, 6);
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(f->decls[i].kind, top[i]);
        ck_assert_uint_eq(f->decls[i].index, top_index[i]);
    }
    const pb_message *a = msg(s, "A");
    pb_decl_kind in[] = {PB_DECL_FIELD,    PB_DECL_OPTION,     PB_DECL_ONEOF,
                         PB_DECL_MESSAGE,  PB_DECL_FIELD,      PB_DECL_RESERVED,
                         PB_DECL_ENUM,     PB_DECL_EXTENSIONS, PB_DECL_FIELD,
                         PB_DECL_EXTEND,   PB_DECL_FIELD};
    size_t in_index[] = {0, 0, 0, 0, 3, 0, 0, 0, 4, 0, 5};
    ck_assert_uint_eq(a->n_decls, 11);
    for (size_t i = 0; i < 11; i++) {
        ck_assert_int_eq(a->decls[i].kind, in[i]);
        ck_assert_uint_eq(a->decls[i].index, in_index[i]);
    }
    /* fields in declaration order, oneof members included */
    const char *names[] = {"f1", "f2", "f3", "mp", "g", "f6"};
    ck_assert_uint_eq(a->n_fields, 6);
    for (size_t i = 0; i < 6; i++) ck_assert_str_eq(a->fields[i].name, names[i]);
    /* nested: N, the map entry, the group, in the order protoc uses */
    ck_assert_uint_eq(a->n_messages, 3);
    ck_assert_str_eq(a->messages[0]->name, "N");
    ck_assert_str_eq(a->messages[1]->name, "MpEntry");
    ck_assert_int_eq(a->messages[1]->is_map_entry, 1);
    ck_assert_str_eq(a->messages[2]->name, "G");
    ck_assert_int_eq(a->messages[2]->is_group, 1);
    ck_assert_int_eq(a->decls[0].kind, PB_DECL_FIELD);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(map_entries)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "package p;\n"
                         "message V {}\n"
                         "message M {\n"
                         "  map<string, V> snake_case_name = 1;\n"
                         "  map < int64 , .p.V > _x = 2;\n"
                         "}\n");
    const pb_message *m = msg(s, "p.M");
    const pb_field *f = field(m, "snake_case_name");
    ck_assert_int_eq(f->is_map, 1);
    ck_assert_str_eq(f->type_name, "map<string, V>");
    ck_assert_int_eq(f->type, PB_TYPE_MESSAGE);
    ck_assert_str_eq(f->resolved, ".p.M.SnakeCaseNameEntry");
    const pb_message *e = f->message;
    ck_assert_ptr_eq(e, msg(s, "p.M.SnakeCaseNameEntry"));
    ck_assert_int_eq(e->is_map_entry, 1);
    ck_assert_uint_eq(e->n_fields, 2);
    ck_assert_str_eq(e->fields[0].name, "key");
    ck_assert_int_eq(e->fields[0].number, 1);
    ck_assert_int_eq(e->fields[0].type, PB_TYPE_STRING);
    ck_assert_int_eq(e->fields[0].label, PB_LABEL_OPTIONAL);
    ck_assert_str_eq(e->fields[1].name, "value");
    ck_assert_int_eq(e->fields[1].number, 2);
    ck_assert_str_eq(e->fields[1].type_name, "V");
    ck_assert_str_eq(e->fields[1].resolved, ".p.V");
    const pb_field *g = field(m, "_x");
    ck_assert_str_eq(g->type_name, "map<int64, .p.V>");
    ck_assert_str_eq(g->message->name, "XEntry");
    ck_assert_uint_eq(m->n_decls, 2); /* entries are not declarations */
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(groups)
{
    pb_schema *s = parse("package g;\n"
                         "message M {\n"
                         "  repeated group Result = 1 {\n"
                         "    required string url = 2;\n"
                         "  }\n"
                         "  extensions 10 to 20;\n"
                         "}\n"
                         "extend M { optional group ExtG = 10 { optional int32 a = 1; } }\n");
    const pb_message *m = msg(s, "g.M");
    const pb_field *f = field(m, "result");
    ck_assert_int_eq(f->type, PB_TYPE_GROUP);
    ck_assert_str_eq(f->type_name, "Result");
    ck_assert_str_eq(f->resolved, ".g.M.Result");
    ck_assert_int_eq(f->label, PB_LABEL_REPEATED);
    ck_assert_int_eq(f->message->is_group, 1);
    ck_assert_str_eq(f->message->full_name, "g.M.Result");
    ck_assert_str_eq(f->message->fields[0].name, "url");
    /* the group of a top-level extension is a top-level message */
    const pb_extend *x = &s->file->extends[0];
    ck_assert_str_eq(x->extendee, "M");
    ck_assert_str_eq(x->resolved, ".g.M");
    ck_assert_str_eq(x->fields[0].name, "extg");
    ck_assert_str_eq(x->fields[0].extendee, ".g.M");
    ck_assert_str_eq(x->fields[0].resolved, ".g.ExtG");
    ck_assert_uint_eq(s->file->n_messages, 2);
    ck_assert_int_eq(s->file->messages[1]->is_group, 1);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(oneofs)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "import \"google/protobuf/descriptor.proto\";\n"
                         "extend google.protobuf.OneofOptions { int32 w = 50000; }\n"
                         "message M {\n"
                         "  int32 a = 1;\n"
                         "  oneof first { option (w) = 3; string b = 2; int32 c = 3; }\n"
                         "  oneof second { bytes d = 4; }\n"
                         "}\n");
    const pb_message *m = msg(s, "M");
    ck_assert_uint_eq(m->n_oneofs, 2);
    ck_assert_str_eq(m->oneofs[0].name, "first");
    ck_assert_str_eq(m->oneofs[0].options.items[0].name, "(w)");
    ck_assert_str_eq(m->oneofs[0].options.items[0].value.text, "3");
    ck_assert_int_eq(m->oneofs[0].pos.line, 6);
    ck_assert_int_eq(m->oneofs[0].pos.col, 3);
    ck_assert_int_eq(field(m, "a")->oneof, -1);
    ck_assert_int_eq(field(m, "b")->oneof, 0);
    ck_assert_int_eq(field(m, "c")->oneof, 0);
    ck_assert_int_eq(field(m, "d")->oneof, 1);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(options_everywhere)
{
    pb_schema *s = parse(
        "syntax = \"proto2\";\n"
        "import \"google/protobuf/descriptor.proto\";\n"
        "package o;\n"
        "message R { optional int32 a = 1; optional R n = 2; }\n"
        "extend google.protobuf.FieldOptions { optional R rule = 50000; }\n"
        "option java_package = \"com.x\";\n"
        "option optimize_for = SPEED;\n"
        "option (o.file_opt) = -12;\n"
        "extend google.protobuf.FileOptions { optional int64 file_opt = 50001; }\n"
        "message M {\n"
        "  option deprecated = true;\n"
        "  optional int32 f = 1 [default = -0x10, json_name = \"F\", (rule) = { n { } /* c */ },\n"
        "                        (rule).a = 3, (.o.rule).n.a = 4];\n"
        "  extensions 100 to 200 [(ext_opt) = 1.5e3];\n"
        "}\n"
        "extend google.protobuf.ExtensionRangeOptions { optional double ext_opt = 50002; }\n"
        "enum E { option allow_alias = true; A = 0 [deprecated = true]; B = 0; }\n"
        "service S { option deprecated = false;\n"
        "  rpc Call (M) returns (M) { option idempotency_level = IDEMPOTENT; } }\n");
    const pb_file *f = s->file;
    ck_assert_uint_eq(f->options.n, 3);
    ck_assert_str_eq(f->options.items[0].name, "java_package");
    ck_assert_int_eq(f->options.items[0].value.kind, PB_VALUE_STRING);
    ck_assert_str_eq(f->options.items[0].value.text, "com.x");
    ck_assert_int_eq(f->options.items[0].pos.line, 6);
    ck_assert_int_eq(f->options.items[0].pos.col, 1);
    ck_assert_int_eq(f->options.items[1].value.kind, PB_VALUE_IDENT);
    ck_assert_str_eq(f->options.items[1].value.text, "SPEED");
    ck_assert_str_eq(f->options.items[2].name, "(o.file_opt)");
    ck_assert_int_eq(f->options.items[2].value.kind, PB_VALUE_INT);
    ck_assert_str_eq(f->options.items[2].value.text, "-12");
    const pb_message *m = msg(s, "o.M");
    ck_assert_str_eq(opt(&m->options, "deprecated")->value.text, "true");
    const pb_field *fl = field(m, "f");
    ck_assert_uint_eq(fl->options.n, 5);
    ck_assert_str_eq(fl->options.items[0].name, "default");
    ck_assert_int_eq(fl->options.items[0].value.kind, PB_VALUE_INT);
    ck_assert_str_eq(fl->options.items[0].value.text, "-0x10");
    ck_assert_str_eq(fl->options.items[1].name, "json_name");
    ck_assert_str_eq(fl->options.items[1].value.text, "F");
    ck_assert_str_eq(fl->options.items[2].name, "(rule)");
    ck_assert_int_eq(fl->options.items[2].value.kind, PB_VALUE_AGGREGATE);
    ck_assert_str_eq(fl->options.items[2].value.text, "n { }");
    ck_assert_str_eq(fl->options.items[3].name, "(rule).a");
    ck_assert_str_eq(fl->options.items[4].name, "(.o.rule).n.a");
    const pb_extension_range *xr = &m->extension_ranges[0];
    ck_assert_int_eq(xr->ranges[0].start, 100);
    ck_assert_int_eq(xr->ranges[0].end, 200);
    ck_assert_int_eq(xr->options.items[0].value.kind, PB_VALUE_FLOAT);
    ck_assert_str_eq(xr->options.items[0].value.text, "1.5e3");
    const pb_enum *e = enm(s, "o.E");
    ck_assert_str_eq(e->options.items[0].name, "allow_alias");
    ck_assert_str_eq(e->values[0].options.items[0].name, "deprecated");
    ck_assert_str_eq(f->services[0].options.items[0].value.text, "false");
    ck_assert_str_eq(f->services[0].methods[0].options.items[0].value.text, "IDEMPOTENT");
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(aggregate_values)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "import \"google/protobuf/descriptor.proto\";\n"
                         "message R { int32 a = 1; repeated string t = 2; R n = 3; }\n"
                         "extend google.protobuf.MessageOptions { R r = 50000; }\n"
                         "message M {\n"
                         "  option (r) = {\n"
                         "    a: 1\n"
                         "    t: [\"x\", 'y']   // comment\n"
                         "    n <a:2>\n"
                         "  };\n"
                         "  option (r).n = {};\n"
                         "}\n");
    const pb_message *m = msg(s, "M");
    ck_assert_str_eq(m->options.items[0].value.text, "a: 1 t: [\"x\", 'y'] n <a:2>");
    ck_assert_uint_eq(m->options.items[0].value.len, strlen("a: 1 t: [\"x\", 'y'] n <a:2>"));
    ck_assert_int_eq(m->options.items[1].value.kind, PB_VALUE_AGGREGATE);
    ck_assert_str_eq(m->options.items[1].value.text, "");
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(string_literals)
{
    pb_schema *s = parse(
        "syntax = \"proto2\";\n"
        "message M {\n"
        "  optional string a = 1 [default = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"\\?\"];\n"
        "  optional bytes b = 2 [default = '\\0\\01\\101\\1012\\x4\\x41g\\xff'];\n"
        "  optional string c = 3 [default = \"\\u00e9\\u4e2d\\U0001F600\\ud83d\\ude00\"];\n"
        "  optional string d = 4 [default = \"con\" 'cat' \"\"];\n"
        "  optional string e = 5 [default = \"h\xc3\xa9llo\"];\n"
        "}\n");
    const pb_message *m = msg(s, "M");
    const pb_value *v = &opt(&field(m, "a")->options, "default")->value;
    ck_assert_int_eq(v->kind, PB_VALUE_STRING);
    ck_assert_uint_eq(v->len, 11);
    ck_assert_mem_eq(v->text, "\a\b\f\n\r\t\v\\'\"?", 11);
    v = &opt(&field(m, "b")->options, "default")->value;
    ck_assert_uint_eq(v->len, 9);
    ck_assert_mem_eq(v->text, "\0\001A" "A2\004Ag\xff", 9);
    v = &opt(&field(m, "c")->options, "default")->value;
    ck_assert_str_eq(v->text, "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
    v = &opt(&field(m, "d")->options, "default")->value;
    ck_assert_str_eq(v->text, "concat");
    ck_assert_str_eq(opt(&field(m, "e")->options, "default")->value.text, "h\xc3\xa9llo");
    pb_fmt_schema_free(s);
}
END_TEST

/* The descriptor's default_value for `type default = literal`. */
static void expect_default(const char *type, const char *literal, const char *want)
{
    char text[512];
    snprintf(text, sizeof text, "syntax = \"proto2\"; enum E { A = 0; B = 1; }\n"
                                "message M { optional %s f = 1 [default = %s]; }\n",
             type, literal);
    pb_schema *s = parse(text);
    arena *a = arena_new();
    Google__Protobuf__FileDescriptorProto *d = pb_to_descriptor(s->file, a);
    ck_assert_msg(strcmp(d->message_type[0]->field[0]->default_value, want) == 0,
                  "%s default %s: got %s, want %s", type, literal,
                  d->message_type[0]->field[0]->default_value, want);
    arena_free(a);
    pb_fmt_schema_free(s);
}

START_TEST(number_literals)
{
    expect_default("int32", "0x7fffffff", "2147483647");
    expect_default("int32", "-0x80000000", "-2147483648");
    expect_default("sint32", "-017", "-15");
    expect_default("int64", "-9223372036854775808", "-9223372036854775808");
    expect_default("uint64", "0xFFFFFFFFFFFFFFFF", "18446744073709551615");
    expect_default("fixed32", "037777777777", "4294967295");
    expect_default("int32", "-0", "0");
    expect_default("double", "1e10", "10000000000");
    expect_default("double", "1.5E-7", "1.5e-07");
    expect_default("double", ".5", "0.5");
    expect_default("double", "1.", "1");
    expect_default("double", "0x10", "16");
    expect_default("double", "-inf", "-inf");
    expect_default("double", "inf", "inf");
    expect_default("double", "nan", "nan");
    expect_default("double", "-nan", "nan");
    expect_default("double", "0.1", "0.1");
    expect_default("double", "0.30000000000000004", "0.30000000000000004");
    expect_default("double", "1e999", "inf");
    expect_default("float", "0.1", "0.1");
    expect_default("float", "3.4028235e38", "3.40282347e+38");
    expect_default("float", "3.5e38", "inf");
    expect_default("float", "1e-50", "0");
    expect_default("float", "16777217", "16777216");
    expect_default("bool", "false", "false");
    expect_default("E", "B", "B");
    expect_default("string", "\"a\\nb\"", "a\nb");
    expect_default("bytes", "\"a\\nb\\x00\\xff'\\\"\"", "a\\nb\\000\\377\\'\\\"");

    /* option values keep the literal as written, sign included */
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "import \"google/protobuf/descriptor.proto\";\n"
                         "extend google.protobuf.FileOptions { repeated double d = 50000; repeated int64 i = 50001; }\n"
                         "option (d) = -1.5e+3;\noption (i) = 0x7F;\noption (d) = inf;\n"
                         "option (d) = -inf;\noption (i) = 9223372036854775807;\n");
    const pb_options *o = &s->file->options;
    ck_assert_int_eq(o->items[0].value.kind, PB_VALUE_FLOAT);
    ck_assert_str_eq(o->items[0].value.text, "-1.5e+3");
    ck_assert_int_eq(o->items[1].value.kind, PB_VALUE_INT);
    ck_assert_str_eq(o->items[1].value.text, "0x7F");
    ck_assert_int_eq(o->items[2].value.kind, PB_VALUE_IDENT);
    ck_assert_str_eq(o->items[2].value.text, "inf");
    ck_assert_int_eq(o->items[3].value.kind, PB_VALUE_FLOAT);
    ck_assert_str_eq(o->items[3].value.text, "-inf");
    ck_assert_str_eq(o->items[4].value.text, "9223372036854775807");
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(positions)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "\n"
                         "message M {\n"
                         "\tint32 a = 1;\n"
                         "  /* x */ enum E { Z = 0; }\n"
                         "}\n");
    const pb_message *m = msg(s, "M");
    ck_assert_int_eq(m->pos.line, 3);
    ck_assert_int_eq(m->pos.col, 1);
    ck_assert_int_eq(m->fields[0].pos.line, 4);
    ck_assert_int_eq(m->fields[0].pos.col, 9); /* a tab advances to column 9 */
    ck_assert_int_eq(m->enums[0]->pos.line, 5);
    ck_assert_int_eq(m->enums[0]->pos.col, 11);
    ck_assert_int_eq(m->enums[0]->values[0].pos.col, 20);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(reserved_and_ranges)
{
    pb_schema *s = parse("syntax = \"proto2\";\n"
                         "message M {\n"
                         "  reserved 2, 15, 9 to 11, 100 to max;\n"
                         "  reserved \"foo\", 'bar';\n"
                         "  extensions 20 to 30, 50;\n"
                         "}\n"
                         "enum E { A = 0; reserved -5 to -1, 10 to max; reserved \"X\"; }\n");
    const pb_message *m = msg(s, "M");
    ck_assert_uint_eq(m->n_reserved, 2);
    const pb_reserved *r = &m->reserved[0];
    ck_assert_uint_eq(r->n_ranges, 4);
    ck_assert_int_eq(r->ranges[0].start, 2);
    ck_assert_int_eq(r->ranges[0].end, 2);
    ck_assert_int_eq(r->ranges[2].start, 9);
    ck_assert_int_eq(r->ranges[2].end, 11);
    ck_assert_int_eq(r->ranges[3].end, PB_MAX_FIELD_NUMBER);
    ck_assert_int_eq(r->ranges[3].end_is_max, 1);
    ck_assert_uint_eq(m->reserved[1].n_names, 2);
    ck_assert_str_eq(m->reserved[1].names[1], "bar");
    ck_assert_int_eq(m->extension_ranges[0].ranges[1].start, 50);
    const pb_enum *e = enm(s, "E");
    ck_assert_int_eq(e->reserved[0].ranges[0].start, -5);
    ck_assert_int_eq(e->reserved[0].ranges[1].end, 2147483647);
    ck_assert_int_eq(e->reserved[0].ranges[1].end_is_max, 1);

    /* descriptor: message ranges end-exclusive, enum ranges inclusive */
    arena *a = arena_new();
    Google__Protobuf__FileDescriptorProto *d = pb_to_descriptor(s->file, a);
    ck_assert_int_eq(d->message_type[0]->reserved_range[2]->end, 12);
    ck_assert_int_eq(d->message_type[0]->reserved_range[3]->end, 536870912);
    ck_assert_int_eq(d->message_type[0]->extension_range[0]->end, 31);
    ck_assert_int_eq(d->enum_type[0]->reserved_range[0]->end, -1);
    ck_assert_int_eq(d->enum_type[0]->reserved_range[1]->end, 2147483647);
    arena_free(a);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(services)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "package s;\n"
                         "message Q {}\n"
                         "service Svc {\n"
                         "  rpc A (Q) returns (Q);\n"
                         "  rpc B (stream Q) returns (stream .s.Q) {}\n"
                         "  rpc C (s.Q) returns (stream Q) { option deprecated = true; };\n"
                         "}\n");
    const pb_service *sv = &s->file->services[0];
    ck_assert_uint_eq(sv->n_methods, 3);
    ck_assert_int_eq(sv->methods[0].client_streaming, 0);
    ck_assert_int_eq(sv->methods[1].client_streaming, 1);
    ck_assert_int_eq(sv->methods[1].server_streaming, 1);
    ck_assert_str_eq(sv->methods[1].output_type, ".s.Q");
    ck_assert_str_eq(sv->methods[2].input_type, "s.Q");
    ck_assert_str_eq(sv->methods[2].input_resolved, ".s.Q");
    ck_assert_str_eq(sv->methods[2].output_resolved, ".s.Q");
    ck_assert_int_eq(sv->methods[2].server_streaming, 1);
    pb_fmt_schema_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* scoping                                                                   */

START_TEST(scoping_innermost_first)
{
    pb_schema *s = parse("syntax = \"proto2\";\n"
                         "package p;\n"
                         "message Bar { optional int32 outer = 1; }\n"
                         "message Foo {\n"
                         "  message Bar { optional int32 inner = 1; }\n"
                         "  optional Bar a = 1;\n"
                         "  optional .p.Bar b = 2;\n"
                         "  optional p.Bar c = 3;\n"
                         "  message Sub { optional Bar d = 1; }\n"
                         "}\n");
    const pb_message *foo = msg(s, "p.Foo");
    ck_assert_str_eq(field(foo, "a")->resolved, ".p.Foo.Bar");
    ck_assert_str_eq(field(foo, "b")->resolved, ".p.Bar");
    ck_assert_str_eq(field(foo, "c")->resolved, ".p.Bar");
    ck_assert_str_eq(field(msg(s, "p.Foo.Sub"), "d")->resolved, ".p.Foo.Bar");
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(scoping_first_component)
{
    /* "Bar.Baz": Bar is found in Foo first, then Baz is looked up only there */
    expect_error("syntax = \"proto2\";\n"
                 "message Bar { message Baz {} }\n"
                 "message Foo {\n"
                 "  message Bar {}\n"
                 "  optional Bar.Baz baz = 1;\n"
                 "}\n",
                 "5:3: \"Bar.Baz\" is resolved to \"Foo.Bar.Baz\", which is not defined. The "
                 "innermost scope is searched first in name resolution. Consider using a leading "
                 "'.'(i.e., \".Bar.Baz\") to start from the outermost scope.");
    /* a field named like the first component is skipped (not an aggregate) */
    pb_schema *s = parse("syntax = \"proto2\";\n"
                         "message Bar { message Baz {} }\n"
                         "message Foo {\n"
                         "  optional int32 Bar = 1;\n"
                         "  optional Bar.Baz baz = 2;\n"
                         "  optional Bar typed = 3;\n"
                         "}\n");
    ck_assert_str_eq(field(msg(s, "Foo"), "baz")->resolved, ".Bar.Baz");
    ck_assert_str_eq(field(msg(s, "Foo"), "typed")->resolved, ".Bar");
    pb_fmt_schema_free(s);
    /* the package is an aggregate too: "b.M" from inside package a.b */
    s = parse("package a.b;\nmessage M {}\nmessage N { optional b.M m = 1; optional a.b.M n = 2; }\n");
    ck_assert_str_eq(field(msg(s, "a.b.N"), "m")->resolved, ".a.b.M");
    pb_fmt_schema_free(s);
    /* a compound name whose first part is a field: not a type */
    expect_error("syntax = \"proto2\";\npackage p;\n"
                 "message A { optional int32 foo = 1; optional A.foo bar = 2; }\n",
                 "3:37: \"A.foo\" is not a type.");
}
END_TEST

START_TEST(scoping_enum_values_are_siblings)
{
    expect_error("syntax = \"proto3\";\npackage p;\nmessage FOO {}\nenum E { FOO = 0; }\n",
                 "4:10: \"FOO\" is already defined in \"p\". Note that enum values use C++ scoping "
                 "rules, meaning that enum values are siblings of their type, not children of it.  "
                 "Therefore, \"FOO\" must be unique within \"p\", not just within \"E\".");
    pb_schema *s = parse("syntax = \"proto2\";\n"
                         "message M { enum E { A = 0; } optional E e = 1 [default = A]; }\n"
                         "message N { enum E { A = 0; } }\n");
    pb_fmt_schema_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* imports                                                                   */

START_TEST(imports_through_deps)
{
    sr_dep deps[] = {
        {"base.proto", "syntax = \"proto3\"; package base; message B { int32 x = 1; }", "base-value", 3},
        {"mid.proto",
         "syntax = \"proto3\"; package mid; import public \"base.proto\"; message M { base.B b = 1; }",
         "mid-value", 1},
    };
    pb_schema *s = parse_deps("syntax = \"proto3\";\n"
                              "import \"mid.proto\";\n"
                              "message Top { mid.M m = 1; base.B b = 2; }\n",
                              deps, 2);
    ck_assert_uint_eq(s->n_deps, 2);
    ck_assert_str_eq(s->deps[0]->name, "base.proto");
    ck_assert_str_eq(s->deps[0]->ref_subject, "base-value");
    ck_assert_int_eq(s->deps[0]->ref_version, 3);
    ck_assert_int_eq(s->deps[0]->bundled, 0);
    ck_assert_str_eq(s->deps[1]->name, "mid.proto");
    ck_assert_str_eq(s->deps[1]->ref_subject, "mid-value");
    ck_assert_str_eq(s->file->name, "");
    ck_assert_ptr_null(s->file->ref_subject);
    ck_assert_str_eq(field(msg(s, "Top"), "b")->resolved, ".base.B");
    const pb_symbol *sym = pb_schema_lookup(s, ".base.B");
    ck_assert_ptr_nonnull(sym);
    ck_assert_ptr_eq(sym->file, s->deps[0]);
    ck_assert_ptr_eq(pb_schema_lookup(s, "base.B"), sym);
    ck_assert_ptr_null(pb_schema_lookup(s, "base.Nope"));
    ck_assert_ptr_eq(pb_schema_lookup(s, "Top")->file, s->file);
    pb_fmt_schema_free(s);

    /* without `public`, the chain is not visible */
    sr_dep hidden[] = {
        deps[0],
        {"mid.proto", "syntax = \"proto3\"; import \"base.proto\"; message M { base.B b = 1; }", "m", 1},
    };
    expect_error_deps("syntax = \"proto3\";\nimport \"mid.proto\";\nmessage T { base.B b = 1; }\n",
                      hidden, 2,
                      "3:13: \"base.B\" seems to be defined in \"base.proto\", which is not imported "
                      "by \"<schema>\".  To use it here, please add the necessary import.");
}
END_TEST

START_TEST(imports_bundled)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "import \"google/protobuf/timestamp.proto\";\n"
                         "import \"confluent/meta.proto\";\n"
                         "import \"confluent/type/decimal.proto\";\n"
                         "message M {\n"
                         "  google.protobuf.Timestamp t = 1;\n"
                         "  confluent.type.Decimal d = 2 [(confluent.field_meta) = { doc: \"x\" }];\n"
                         "}\n");
    ck_assert_uint_eq(s->n_deps, 4); /* timestamp, descriptor (via meta), meta, decimal */
    for (size_t i = 0; i < s->n_deps; i++) {
        ck_assert_int_eq(s->deps[i]->bundled, 1);
        ck_assert_ptr_null(s->deps[i]->ref_subject);
    }
    ck_assert_str_eq(field(msg(s, "M"), "t")->resolved, ".google.protobuf.Timestamp");
    ck_assert_ptr_nonnull(pb_schema_lookup(s, "google.protobuf.FieldOptions"));
    pb_fmt_schema_free(s);

    /* a reference with the same name wins over the bundled copy */
    sr_dep own[] = {{"google/protobuf/timestamp.proto",
                     "syntax = \"proto3\"; package google.protobuf; message Timestamp { int64 mine = 1; }",
                     "ts", 7}};
    s = parse_deps("syntax = \"proto3\"; import \"google/protobuf/timestamp.proto\";\n"
                   "message M { google.protobuf.Timestamp t = 1; }\n",
                   own, 1);
    ck_assert_int_eq(s->deps[0]->bundled, 0);
    ck_assert_str_eq(s->deps[0]->ref_subject, "ts");
    ck_assert_str_eq(field(msg(s, "M"), "t")->message->fields[0].name, "mine");
    pb_fmt_schema_free(s);

    ck_assert_ptr_nonnull(pb_bundled_file("google/protobuf/descriptor.proto"));
    ck_assert_ptr_nonnull(pb_bundled_file("google/protobuf/wrappers.proto"));
    ck_assert_ptr_nonnull(pb_bundled_file("confluent/type/decimal.proto"));
    ck_assert_ptr_null(pb_bundled_file("google/protobuf/nope.proto"));
    ck_assert_ptr_null(pb_bundled_file(NULL));
}
END_TEST

START_TEST(import_errors)
{
    expect_error("syntax = \"proto3\";\nimport \"missing.proto\";\n",
                 "2:1: Import \"missing.proto\" was not found or had errors.");
    sr_dep cycle[] = {
        {"a.proto", "syntax = \"proto3\"; import \"b.proto\";", "a", 1},
        {"b.proto", "syntax = \"proto3\"; import \"a.proto\";", "b", 1},
    };
    expect_error_deps("syntax = \"proto3\";\nimport \"a.proto\";\n", cycle, 2,
                      "b.proto:1:20: File recursively imports itself: a.proto -> b.proto -> a.proto");
    sr_dep self[] = {{"s.proto", "import \"s.proto\";", "s", 1}};
    expect_error_deps("import \"s.proto\";", self, 1,
                      "s.proto:1:1: File recursively imports itself: s.proto -> s.proto");
    sr_dep broken[] = {{"x.proto", "syntax = \"proto3\";\nmessage X { int32 a = 1 }", "x", 1}};
    expect_error_deps("import \"x.proto\";", broken, 1, "x.proto:2:25: Expected \";\".");
    expect_error("import \"google/protobuf/any.proto\";\nimport \"google/protobuf/any.proto\";\n",
                 "2:1: Import \"google/protobuf/any.proto\" was listed twice.");
    sr_dep dup[] = {{"d.proto", "message Dup {}", "d", 1}};
    expect_error_deps("import \"d.proto\";\nmessage Dup {}\n", dup, 1,
                      "2:1: \"Dup\" is already defined in file \"d.proto\".");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* errors                                                                    */

START_TEST(syntax_errors)
{
    static const char *const cases[][2] = {
        {"syntax = \"proto3\"\nmessage A {}", "2:1: Expected \";\"."},
        {"syntax = \"proto4\";", "1:10: Unrecognized syntax identifier \"proto4\".  This parser only "
                                 "recognizes \"proto2\" and \"proto3\"."},
        {"edition = \"2023\";", "1:1: Editions are not supported: only syntax = \"proto2\" and "
                                "\"proto3\" files are accepted."},
        {"message A {\n  optional int32 a = 1;\n", "3:1: Reached end of input in message definition (missing '}')."},
        {"message A {}\n}", "2:1: Expected top-level statement (e.g. \"message\")."},
        {"syntax = \"proto3\";\nmessage A { int32 a = ", "2:23: Expected field number."},
        {"syntax = \"proto3\";\nmessage A { int32 = 1; }", "2:19: Expected field name."},
        {"syntax = \"proto3\";\nmessage A { int32 a 1; }", "2:21: Missing field number."},
        {"/* open", "1:1: End-of-file inside block comment."},
        {"option java_package = \"abc;", "1:23: Unexpected end of string."},
        {"option java_package = \"a\nb\";", "1:23: String literals cannot cross line boundaries."},
        {"option java_package = \"\\q\";", "1:24: Invalid escape sequence in string literal."},
        {"option java_package = \"\\x\";", "1:24: Expected hex digits for escape sequence."},
        {"option java_package = \"\\u12\";", "1:24: Expected four hex digits for \\u escape sequence."},
        {"option java_package = \"\\U00110000\";", "1:24: Expected eight hex digits up to 10ffff for \\U escape sequence"},
        {"message A { optional int32 a = 1x; }", "1:33: Need space between number and identifier."},
        {"message A { optional int32 a = 08; }", "1:32: Numbers starting with leading zero must be in octal."},
        {"message A { optional int32 a = 0x; }", "1:32: \"0x\" must be followed by hex digits."},
        {"message A { optional double a = 1 [default = 1e]; }", "1:46: \"e\" must be followed by exponent."},
        {"message A { optional double a = 1 [default = 1.5.2]; }", "1:49: Already saw decimal point or exponent; can't have another one."},
        {"message A { optional int32 a = 0x1.5; }", "1:35: Hex and octal numbers must be integers."},
        {"message A { int32 a = 1; }", "1:13: Expected \"required\", \"optional\", or \"repeated\"."},
        {"syntax = \"proto3\"; message A { oneof o { optional int32 a = 1; } }",
         "1:42: Fields in oneofs must not have labels (required / optional / repeated)."},
        {"syntax = \"proto3\"; message A { oneof o { map<string, int32> m = 1; } }",
         "1:42: Map fields are not allowed in oneofs."},
        {"syntax = \"proto3\"; message A { repeated map<string, int32> m = 1; }",
         "1:41: Field labels (required/optional/repeated) are not allowed on map fields."},
        {"syntax = \"proto3\"; message A { map<string, group> m = 1; }", "1:44: Expected message type."},
        {"syntax = \"proto3\"; message A { group G = 1 {} }", "1:32: Groups are not supported in proto3 syntax."},
        {"message A { optional group g = 1 {} }", "1:28: Group names must start with a capital letter."},
        {"message A { optional int32 a = 1 [default = 1, default = 2]; }", "1:48: Already set option \"default\"."},
        {"message A { optional int32 a = 1 [json_name = \"x\", json_name = \"y\"]; }", "1:52: Already set option \"json_name\"."},
        {"message A { optional int32 a = 1 [json_name = 1]; }", "1:47: Expected string for JSON name."},
        {"message A { repeated int32 a = 1 [default = 1]; }", "1:35: Repeated fields can't have default values."},
        {"message A { optional int32 a = 1 [default = \"x\"]; }", "1:45: Expected integer for field default value."},
        {"message A { optional uint32 a = 1 [default = -1]; }", "1:46: Expected integer for field default value."},
        {"message A { optional int32 a = 1 [default = 2147483648]; }", "1:45: Integer out of range."},
        {"message A { optional int64 a = 1 [default = -9223372036854775809]; }", "1:46: Integer out of range."},
        {"message A { optional bool a = 1 [default = 1]; }", "1:44: Expected \"true\" or \"false\"."},
        {"message A { optional string a = 1 [default = 1]; }", "1:46: Expected string for field default value."},
        {"message A { optional double a = 1 [default = x]; }", "1:46: Expected number."},
        {"message A { optional A a = 1 [default = 1]; }", "1:31: Messages can't have default values."},
        {"message A { optional group G = 1 [default = 1] {} }", "1:45: Messages can't have default values."},
        {"enum E { A = 2147483648; }", "1:14: Integer out of range."},
        {"enum E { A; }", "1:11: Missing numeric value for enum constant."},
        {"enum E { A = x; }", "1:14: Expected integer."},
        {"message A { optional int32 a = 99999999999999999999; }", "1:32: Integer out of range."},
        {"message A { optional int32 a = -1; }", "1:32: Expected field number."},
        {"message A { reserved 1 to; }", "1:26: Expected integer."},
        {"message A { reserved foo; }", "1:22: Expected field name or number range."},
        {"option (a = 1;", "1:11: Expected \")\"."},
        {"option a.= 1;", "1:10: Expected identifier."},
        {"option a = -x;", "1:12: Invalid '-' symbol before identifier."},
        {"option a = -\"x\";", "1:12: Invalid '-' symbol before string."},
        {"option a = ;", "1:12: Expected option value."},
        {"option a = { x: 1 ", "1:19: Unexpected end of stream while parsing aggregate value."},
        {"option a = ", "1:12: Unexpected end of stream while parsing option value."},
        {"package a; package b;", "1:12: Multiple package definitions."},
        {"package a.;", "1:11: Expected identifier."},
        {"import foo;", "1:8: Expected a string naming the file to import."},
        {"syntax = \"proto3\"; message A {} syntax = \"proto3\";",
         "1:33: The \"syntax\" statement must come first in the file."},
        {"service S { rpc A (stream) returns (B); }", "1:26: Expected type name."},
        {"service S { rpc A (int32) returns (B); }", "1:20: Expected message type."},
        {"service S { rpc A (B) (C); }", "1:23: Expected \"returns\"."},
        {"service S { rpc A (B) returns (B) { deprecated = true; } }", "1:37: Expected \"option\"."},
        {"service S { message M {} }", "1:13: Expected \"rpc\"."},
        {"extend A {}", "1:11: Expected \"required\", \"optional\", or \"repeated\"."},
        {"syntax = \"proto3\"; message A { oneof o {} }", "1:41: Expected type name."},
        {"syntax = \"proto3\"; extend A { map<int32, int32> m = 1; }",
         "1:31: Map fields are not allowed to be extensions."},
        {"message \xc3\x84 {}", "1:9: Interpreting non ascii codepoint 195."},
        {"message A {}\x01", "1:13: Invalid control characters encountered in text."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_error(cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(semantic_errors)
{
    static const char *const cases[][2] = {
        {"syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  string b = 1;\n}",
         "4:3: Field number 1 has already been used in \"A\" by field \"a\"."},
        {"syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  string a = 2;\n}",
         "4:3: \"a\" is already defined in \"A\"."},
        {"syntax = \"proto3\";\npackage p;\nmessage A {}\nmessage A {}",
         "4:1: \"A\" is already defined in \"p\"."},
        {"message A {}\nenum A { X = 0; }", "2:1: \"A\" is already defined."},
        {"syntax = \"proto3\";\nmessage A { Missing m = 1; }", "2:13: \"Missing\" is not defined."},
        {"syntax = \"proto3\";\nmessage A { .A.B m = 1; }", "2:13: \".A.B\" is not defined."},
        {"syntax = \"proto3\";\nmessage A { int32 a = 0; }", "2:13: Field numbers must be positive integers."},
        {"syntax = \"proto3\";\nmessage A { int32 a = 536870912; }",
         "2:13: Field numbers cannot be greater than 536870911."},
        {"syntax = \"proto3\";\nmessage A { int32 a = 19000; }",
         "2:13: Field numbers 19000 through 19999 are reserved for the protocol buffer library "
         "implementation."},
        {"syntax = \"proto3\";\nmessage A { int32 a = 19999; }",
         "2:13: Field numbers 19000 through 19999 are reserved for the protocol buffer library "
         "implementation."},
        {"syntax = \"proto3\";\nmessage A {\n  reserved 5 to 10;\n  int32 a = 7;\n}",
         "4:3: Field \"a\" uses reserved number 7."},
        {"syntax = \"proto3\";\nmessage A {\n  reserved 100 to max;\n  int32 a = 536870911;\n}",
         "4:3: Field \"a\" uses reserved number 536870911."},
        {"syntax = \"proto3\";\nmessage A {\n  reserved \"a\";\n  int32 a = 1;\n}",
         "4:3: Field name \"a\" is reserved."},
        {"syntax = \"proto3\";\nmessage A {\n  reserved 1 to 5;\n  reserved 3;\n}",
         "4:3: Reserved range 3 to 3 overlaps with already-defined range 1 to 5."},
        {"syntax = \"proto3\";\nmessage A { reserved 0; }", "2:13: Reserved numbers must be positive integers."},
        {"syntax = \"proto3\";\nmessage A { reserved 5 to 2; }",
         "2:13: Reserved range end number must be greater than start number."},
        {"syntax = \"proto3\";\nmessage A { reserved \"x\", \"x\"; }",
         "2:13: Field name \"x\" is reserved multiple times."},
        {"message A { extensions 10 to 20; extensions 15 to 30; }",
         "1:34: Extension range 15 to 30 overlaps with already-defined range 10 to 20."},
        {"message A { extensions 10 to 20; reserved 20; }",
         "1:13: Extension range 10 to 20 overlaps with reserved range 20 to 20."},
        {"message A { optional int32 a = 15; extensions 10 to 20; }",
         "1:13: Extension range 10 to 20 includes field \"a\" (15)."},
        {"message A { extensions 0 to 20; }", "1:13: Extension numbers must be positive integers."},
        {"message A { extensions 600000000; }", "1:13: Extension numbers cannot be greater than 536870911."},
        {"syntax = \"proto3\";\nenum E {\n  A = 0;\n  B = 0;\n}",
         "4:3: \"B\" uses the same enum value as \"A\". If this is intended, set 'option allow_alias "
         "= true;' to the enum definition."},
        {"package p; message M { enum E { A = 0; B = 0; } }",
         "1:40: \"p.M.B\" uses the same enum value as \"p.M.A\". If this is intended, set 'option "
         "allow_alias = true;' to the enum definition."},
        {"syntax = \"proto3\";\nenum E {\n  A = 1;\n  B = 0;\n}", "3:3: The first enum value must be zero in proto3."},
        {"enum E {}", "1:1: Enums must contain at least one value."},
        {"enum E { option allow_alias = true; A = 0; B = 1; }",
         "1:10: \"E\" declares support for enum aliases but no enum values share field numbers. Please "
         "remove the unnecessary 'option allow_alias = true;' declaration."},
        {"enum E { A = 0; B = 5; reserved 5; }", "1:17: Enum value \"B\" uses reserved number 5."},
        {"enum E { A = 0; B = 5; reserved \"B\"; }", "1:17: Enum value \"B\" is reserved."},
        {"enum E { A = 0; reserved 1 to 3, 2; }",
         "1:17: Reserved range 2 to 2 overlaps with already-defined range 1 to 3."},
        {"syntax = \"proto3\";\nenum Foo { FOO_UNKNOWN = 0; UNKNOWN = 1; }",
         "2:29: Enum name UNKNOWN has the same name as FOO_UNKNOWN if you ignore case and strip out the "
         "enum name prefix (if any). This is error-prone and can lead to undefined behavior. Please "
         "avoid doing this. If you are using allow_alias, please assign the same numeric value to "
         "both enums."},
        {"syntax = \"proto3\";\nmessage A { required int32 a = 1; }", "2:13: Required fields are not allowed in proto3."},
        {"syntax = \"proto3\";\nmessage A { int32 a = 1 [default = 5]; }",
         "2:26: Explicit default values are not allowed in proto3."},
        {"syntax = \"proto3\";\nmessage A { int32 foo_bar = 1; int32 fooBar = 2; }",
         "2:32: The JSON camel-case name of field \"fooBar\" conflicts with field \"foo_bar\". This is "
         "not allowed in proto3."},
        {"syntax = \"proto3\";\nmessage A { extensions 1 to 5; }", "2:13: Extension ranges are not allowed in proto3."},
        {"syntax = \"proto3\";\nmessage A { map<float, int32> m = 1; }",
         "2:13: Key in map fields cannot be float/double, bytes or message types."},
        {"syntax = \"proto3\";\nmessage A { map<bytes, int32> m = 1; }",
         "2:13: Key in map fields cannot be float/double, bytes or message types."},
        {"syntax = \"proto3\";\nmessage A { map<A, int32> m = 1; }",
         "2:13: Key in map fields cannot be float/double, bytes or message types."},
        {"syntax = \"proto3\";\nenum E { Z = 0; }\nmessage A { map<E, int32> m = 1; }",
         "3:13: Key in map fields cannot be enum types."},
        {"syntax = \"proto2\";\nenum E { Y = 1; }\nmessage A { map<int32, E> m = 1; }",
         "3:13: Enum value in map must define 0 as the first value."},
        {"message A { extensions 100 to 200; }\nextend A { optional int32 x = 300; }",
         "2:12: \"A\" does not declare 300 as an extension number."},
        {"message A { extensions 100 to 200; }\nextend A { optional int32 x = 100; optional int32 y = 100; }",
         "2:36: Extension number 100 has already been used in \"A\" by extension \"x\"."},
        {"message A { extensions 100 to 200; }\nextend A { required int32 x = 100; }",
         "2:12: The extension x cannot be required."},
        {"message A { extensions 1 to 5; }\nextend A { optional int32 x = 1 [json_name = \"y\"]; }",
         "2:34: option json_name is not allowed on extension fields."},
        {"enum E { Z = 0; }\nextend E { optional int32 x = 1; }", "2:1: \"E\" is not a message type."},
        {"extend Nope { optional int32 x = 1; }", "1:1: \"Nope\" is not defined."},
        {"syntax = \"proto3\";\nmessage A { extensions 1 to 2; }", "2:13: Extension ranges are not allowed in proto3."},
        {"syntax = \"proto3\";\nenum E { Z = 0; }\nservice S { rpc M (E) returns (E); }",
         "3:13: \"E\" is not a message type."},
        {"service S { rpc M (Nope) returns (Nope); }", "1:13: \"Nope\" is not defined."},
        {"option not_an_option = true;",
         "1:1: Option \"not_an_option\" unknown. Ensure that your proto definition file imports the "
         "proto which defines the option."},
        {"option java_package = 5;",
         "1:1: Value must be quoted string for string option \"google.protobuf.FileOptions.java_package\"."},
        {"option java_multiple_files = 1;",
         "1:1: Value must be identifier for boolean option "
         "\"google.protobuf.FileOptions.java_multiple_files\"."},
        {"option java_multiple_files = yes;",
         "1:1: Value must be \"true\" or \"false\" for boolean option "
         "\"google.protobuf.FileOptions.java_multiple_files\"."},
        {"option optimize_for = FASTEST;",
         "1:1: Enum type \"google.protobuf.FileOptions.OptimizeMode\" has no value named \"FASTEST\" for "
         "option \"google.protobuf.FileOptions.optimize_for\"."},
        {"option optimize_for = \"SPEED\";",
         "1:1: Value must be identifier for enum-valued option \"google.protobuf.FileOptions.optimize_for\"."},
        {"option java_package = \"a\"; option java_package = \"b\";",
         "1:28: Option \"java_package\" was already set."},
        {"message M { option deprecated.x = true; }", "1:13: Option \"deprecated\" is an atomic type, not a message."},
        {"message M { optional int32 a = 1 [allow_alias = true]; }",
         "1:35: Option \"allow_alias\" unknown. Ensure that your proto definition file imports the proto "
         "which defines the option."},
        {"message M { repeated string s = 1 [packed = true]; }",
         "1:13: [packed = true] can only be specified for repeated primitive fields."},
        {"message M { optional int32 s = 1 [lazy = true]; }",
         "1:13: [lazy = true] can only be specified for submessage fields."},
        {"message M { optional int32 s = 1 [jstype = JS_STRING]; }",
         "1:35: jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields."},
        {"enum E { A = 0; }\nmessage M { optional E e = 1 [default = B]; }",
         "2:31: Enum type \"E\" has no value named \"B\"."},
        {"message M { option message_set_wire_format = true; optional int32 a = 1; }",
         "1:52: MessageSets cannot have fields, only extensions."},
        {"message M {\n  message Bad { option map_entry = true; optional string key = 1; }\n  repeated Bad bad = 1;\n}",
         "3:3: map_entry should not be set explicitly. Use map<KeyType, ValueType> instead."},
        {"syntax = \"proto3\";\nmessage M { map<string, int32> a = 1; message AEntry {} }",
         "2:39: \"AEntry\" is already defined in \"M\"."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_error(cases[i][0], cases[i][1]);

    sr_dep closed[] = {{"c.proto", "syntax = \"proto2\"; package c; enum Closed { C0 = 0; }", "c", 1}};
    expect_error_deps("syntax = \"proto3\";\nimport \"c.proto\";\nmessage M { c.Closed c = 1; }", closed, 1,
                      "3:13: Enum type \"c.Closed\" is not a proto3 enum, but is used in \"M\" which is "
                      "a proto3 message type.");
    sr_dep base[] = {{"b.proto", "package b; message Base { extensions 1 to 10; }", "b", 1}};
    expect_error_deps("syntax = \"proto3\";\nimport \"b.proto\";\nextend b.Base { int32 x = 1; }", base, 1,
                      "3:17: Extensions in proto3 are only allowed for defining options.");
    expect_error_deps("import \"b.proto\";\nextend b.Base { optional int32 x = 1; }\n"
                      "extend b.Base { optional int32 y = 1; }",
                      base, 1,
                      "3:17: Extension number 1 has already been used in \"b.Base\" by extension \"x\".");
}
END_TEST

START_TEST(custom_options)
{
    sr_dep opts[] = {{"o.proto",
                      "syntax = \"proto2\"; package p;\n"
                      "import \"google/protobuf/descriptor.proto\";\n"
                      "message R { optional int32 a = 1; repeated R rs = 2; optional R n = 3; }\n"
                      "enum E { E0 = 0; E1 = 1; }\n"
                      "extend google.protobuf.FileOptions { optional double d = 50000; optional R r = 50001;\n"
                      "  optional uint32 u = 50002; repeated int32 rep = 50003; optional E e = 50004;\n"
                      "  optional bool b = 50005; optional string s = 50006; }\n"
                      "extend google.protobuf.FieldOptions { optional int32 f = 50000; }\n",
                      "o", 1}};
    pb_schema *s = parse_deps("syntax = \"proto2\"; package p; import \"o.proto\";\n"
                              "option (r) = { a: 1 };\noption (rep) = 1;\noption (rep) = 2;\n"
                              "option (.p.e) = E1;\noption (r).rs = { a: 2 };\noption (p.u) = 0x10;\n"
                              "option (d) = -1;\noption (b) = true;\noption (s) = \"x\";\n"
                              "message M { optional int32 x = 1 [(f) = -5]; }\n",
                              opts, 1);
    pb_fmt_schema_free(s);
    static const char *const cases[][2] = {
        {"option (r).n.a = 1;\noption (r).n.a = 2;", "3:1: Option \"(r).n.a\" was already set."},
        {"option (u) = -1;", "2:1: Value must be non-negative integer for uint32 option \"p.u\"."},
        {"option (u) = 4294967296;", "2:1: Value out of range for uint32 option \"u\"."},
        {"option (r) = 5;",
         "2:1: Option \"p.r\" is a message. To set the entire message, use syntax like \"r = { <proto "
         "text format> }\". To set fields within it, use syntax like \"r.foo = value\"."},
        {"option (e) = E2;", "2:1: Enum type \"p.E\" has no value named \"E2\" for option \"p.e\"."},
        {"option (r).rs.a = 1;",
         "2:1: Option field \"(r).rs\" is a repeated message. Repeated message options must be "
         "initialized using an aggregate value."},
        {"option (r).a.b = 1;", "2:1: Option \"(r).a\" is an atomic type, not a message."},
        {"option (r).zz = 1;",
         "2:1: Option \"(r).zz\" unknown. Ensure that your proto definition file imports the proto "
         "which defines the option."},
        {"option (nope) = 1;",
         "2:1: Option \"(nope)\" unknown. Ensure that your proto definition file imports the proto "
         "which defines the option."},
        {"message M { optional int32 x = 1 [(r).a = 1]; }",
         "2:35: Option field \"(r)\" is not a field or extension of message \"FieldOptions\"."},
        {"option (R.a) = 1;",
         "2:1: Option field \"(R.a)\" is not a field or extension of message \"FileOptions\"."},
        {"option (b) = 1;", "2:1: Value must be identifier for boolean option \"p.b\"."},
        {"option (s) = x;", "2:1: Value must be quoted string for string option \"p.s\"."},
        {"option (d) = \"1\";", "2:1: Value must be number for double option \"p.d\"."},
        {"message M { optional int32 x = 1 [(f) = 2147483648]; }",
         "2:35: Value out of range for int32 option \"p.f\"."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "syntax = \"proto2\"; package p; import \"o.proto\";\n%s", cases[i][0]);
        expect_error_deps(text, opts, 1, cases[i][1]);
    }
    /* the innermost scope is searched first */
    expect_error_deps("syntax = \"proto2\"; package p.q; import \"o.proto\";\n"
                      "option (p.r).a = 1;\nmessage p {}",
                      opts, 1,
                      "2:1: Option \"(p.r)\" is resolved to \"(p.q.p.r)\", which is not defined. The "
                      "innermost scope is searched first in name resolution. Consider using a leading "
                      "'.'(i.e., \"(.p.r)\") to start from the outermost scope.");
}
END_TEST

START_TEST(lenient_skips_lint_checks)
{
    /* protoc's lint-like checks, which Confluent does not make, are skipped for
     * stored and imported schemas; structural errors are not */
    const char *lint[] = {
        "option not_an_option = true;",
        "option java_package = 5;",
        "syntax = \"proto3\"; message A { int32 foo_bar = 1; int32 fooBar = 2; }",
        "syntax = \"proto3\"; enum Foo { FOO_UNKNOWN = 0; UNKNOWN = 1; }",
        "enum E { option allow_alias = true; A = 0; B = 1; }",
        "message M { repeated string s = 1 [packed = true]; }",
    };
    for (size_t i = 0; i < sizeof lint / sizeof lint[0]; i++) {
        sr_error err = {0};
        pb_schema *s = pb_fmt_parse(lint[i], strlen(lint[i]), NULL, 0, 0, &err);
        ck_assert_msg(s == NULL, "strict accepted %s", lint[i]);
        s = pb_fmt_parse(lint[i], strlen(lint[i]), NULL, 0, SR_PARSE_LENIENT, &err);
        ck_assert_msg(s != NULL, "lenient rejected %s: %s", lint[i], err.msg);
        pb_fmt_schema_free(s);
    }
    sr_error err = {0};
    const char *bad = "syntax = \"proto3\"; message A { int32 a = 1; int32 b = 1; }";
    ck_assert_ptr_null(pb_fmt_parse(bad, strlen(bad), NULL, 0, SR_PARSE_LENIENT, &err));
    ck_assert_int_eq(err.code, 42201);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* hostile input                                                             */

START_TEST(deep_nesting)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "syntax = \"proto3\";\n");
    for (int i = 0; i < 10000; i++) strbuf_printf(&sb, "message M%d {", i);
    for (int i = 0; i < 10000; i++) strbuf_putc(&sb, '}');
    sr_error err = {0};
    pb_schema *s = pb_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.code, 42201);
    ck_assert_msg(strstr(err.msg, "nested too deeply") != NULL, "%s", err.msg);
    strbuf_free(&sb);

    /* at the limit: accepted */
    for (int i = 0; i < PB_MAX_DEPTH; i++) strbuf_printf(&sb, "message M%d {", i);
    for (int i = 0; i < PB_MAX_DEPTH; i++) strbuf_putc(&sb, '}');
    s = pb_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    pb_fmt_schema_free(s);
    strbuf_free(&sb);

    /* deep groups and aggregates */
    for (int i = 0; i < 5000; i++) strbuf_printf(&sb, "message M%d { optional group G%d = 1 {", i, i);
    s = pb_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.code, 42201);
    strbuf_free(&sb);
    /* aggregates: braces are counted, not recursed into; bounded all the same */
    for (int levels = PB_MAX_DEPTH; levels <= 100000; levels += 100000 - PB_MAX_DEPTH) {
        strbuf_puts(&sb, "import \"google/protobuf/descriptor.proto\";\n"
                         "message X {}\nextend google.protobuf.FileOptions { optional X x = 50000; }\n"
                         "option (x) = ");
        for (int i = 0; i < levels; i++) strbuf_puts(&sb, i % 2 ? "a < " : "{ a ");
        for (int i = levels - 1; i >= 0; i--) strbuf_puts(&sb, i % 2 ? "> " : "} ");
        strbuf_puts(&sb, ";");
        s = pb_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
        if (levels == PB_MAX_DEPTH) {
            ck_assert_msg(s != NULL, "%s", err.msg);
            pb_fmt_schema_free(s);
        } else {
            ck_assert_ptr_null(s);
            ck_assert_str_eq(err.msg, "4:414: Aggregate value nested too deeply (more than 100 levels).");
        }
        strbuf_free(&sb);
    }
}
END_TEST

START_TEST(hostile_input)
{
    sr_error err = {0};
    pb_schema *s0;
    /* invalid UTF-8: in a string literal, a comment, an identifier position */
    expect_error("option java_package = \"a\xff\";", "1:25: Invalid UTF-8 byte 0xff.");
    expect_error("// \xc3\x28\nmessage A {}", "1:4: Invalid UTF-8 byte 0xc3.");
    expect_error("message A {} \xed\xa0\x80", "1:14: Invalid UTF-8 byte 0xed.");
    expect_error("option java_package = \"\xf4\x90\x80\x80\";", "1:24: Invalid UTF-8 byte 0xf4.");
    /* a NUL byte inside the text */
    s0 = pb_fmt_parse("message A {}\0message B {}", 25, NULL, 0, 0, &err);
    ck_assert_ptr_null(s0);
    ck_assert_str_eq(err.msg, "1:13: Invalid control characters encountered in text.");
    /* huge numbers */
    expect_error("message A { optional int32 a = 1 [default = 123456789012345678901234567890]; }",
                 "1:45: Integer out of range.");
    pb_schema *s = parse("message A { optional double a = 1 [default = 1e99999]; }");
    pb_fmt_schema_free(s);
    /* empty and blank input are empty files (protoc accepts them) */
    s = pb_fmt_parse("", 0, NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->file->n_decls, 0);
    pb_fmt_schema_free(s);
    s = pb_fmt_parse(" \n// only a comment\n", 19, NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    pb_fmt_schema_free(s);
    /* the length is honoured: no reading past it */
    s = pb_fmt_parse("message A {}garbage", 12, NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    pb_fmt_schema_free(s);
    /* too large */
    size_t big = PB_MAX_INPUT + 1;
    char *text = xmalloc(big + 1);
    memset(text, ' ', big);
    text[big] = '\0';
    s = pb_fmt_parse(text, big, NULL, 0, 0, &err);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.code, 42201);
    free(text);
    /* many fields and many enum values: linear checks */
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "syntax = \"proto3\"; message M {");
    for (int i = 1; i <= 20000; i++) strbuf_printf(&sb, "int32 f%d = %d;", i, i < 19000 ? i : i + 1000);
    strbuf_puts(&sb, "} enum E {");
    for (int i = 0; i < 20000; i++) strbuf_printf(&sb, "E%d = %d;", i, i);
    strbuf_puts(&sb, "}");
    s = pb_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    ck_assert_uint_eq(msg(s, "M")->n_fields, 20000);
    pb_fmt_schema_free(s);
    strbuf_free(&sb);
    /* truncated at every byte: never a crash, always 42201 or a valid prefix */
    const char *full = "syntax = \"proto3\";\npackage p.q;\nimport \"google/protobuf/any.proto\";\n"
                       "message M { map<string, int32> m = 1; oneof o { string s = 2; }\n"
                       "  repeated google.protobuf.Any a = 3 [deprecated = true]; }\n"
                       "enum E { Z = 0; } service S { rpc R (M) returns (stream M) {} }\n";
    for (size_t n = 0; n < strlen(full); n++) {
        sr_error e = {0};
        pb_schema *t = pb_fmt_parse(full, n, NULL, 0, 0, &e);
        if (t) pb_fmt_schema_free(t);
        else ck_assert_int_eq(e.code, 42201);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* descriptors                                                               */

static unsigned char *pack(const pb_schema *s, size_t *len)
{
    return pb_descriptor_pack(s->file, len);
}

START_TEST(base64_round_trip)
{
    const char *text = "syntax = \"proto3\";\n"
                       "package rt;\n"
                       "import \"google/protobuf/timestamp.proto\";\n"
                       "option java_package = \"x.y\";\n"
                       "message M {\n"
                       "  int32 a = 1 [json_name = \"A\"];\n"
                       "  optional string b = 2;\n"
                       "  map<string, N> m = 3;\n"
                       "  oneof o { bytes c = 4; N n = 5; }\n"
                       "  google.protobuf.Timestamp t = 6;\n"
                       "  repeated E e = 7 [packed = false];\n"
                       "  message N { }\n"
                       "  reserved 10 to 12, 100 to max;\n"
                       "  reserved \"old\";\n"
                       "}\n"
                       "enum E { option allow_alias = true; Z = 0; Y = 1; X = 1 [deprecated = true]; }\n"
                       "service S { rpc R (M) returns (stream M); }\n";
    pb_schema *s = parse(text);
    size_t len;
    unsigned char *bytes = pack(s, &len);
    char *b64 = pb_base64_encode(bytes, len);
    sr_error err = {0};
    pb_schema *t = pb_fmt_parse(b64, strlen(b64), NULL, 0, 0, &err);
    ck_assert_msg(t != NULL, "base64 rejected: %s", err.msg);
    size_t len2;
    unsigned char *bytes2 = pack(t, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_mem_eq(bytes, bytes2, len);
    /* the model is what the text would give */
    const pb_message *m = msg(t, "rt.M");
    ck_assert_int_eq(field(m, "a")->label, PB_LABEL_NONE);
    ck_assert_str_eq(opt(&field(m, "a")->options, "json_name")->value.text, "A");
    ck_assert_int_eq(field(m, "b")->label, PB_LABEL_OPTIONAL);
    ck_assert_int_eq(field(m, "b")->proto3_optional, 1);
    ck_assert_int_eq(field(m, "b")->oneof, -1);
    ck_assert_uint_eq(m->n_oneofs, 1); /* the synthetic oneof is gone */
    ck_assert_int_eq(field(m, "m")->is_map, 1);
    ck_assert_int_eq(field(m, "m")->label, PB_LABEL_NONE);
    ck_assert_str_eq(field(m, "m")->type_name, "map<string, .rt.M.N>");
    ck_assert_int_eq(field(m, "c")->oneof, 0);
    ck_assert_int_eq(field(m, "c")->label, PB_LABEL_NONE);
    ck_assert_str_eq(field(m, "t")->resolved, ".google.protobuf.Timestamp");
    ck_assert_int_eq(m->reserved[0].ranges[1].end_is_max, 1);
    ck_assert_uint_eq(t->n_deps, 1);
    ck_assert_int_eq(t->deps[0]->bundled, 1);
    free(bytes);
    free(bytes2);
    free(b64);
    pb_fmt_schema_free(t);
    pb_fmt_schema_free(s);

    /* proto2 with groups, extensions and defaults */
    s = parse("package g2;\n"
              "message M {\n"
              "  optional group G = 1 { optional int32 x = 2 [default = 7]; }\n"
              "  optional bytes b = 3 [default = \"\\001\\377\"];\n"
              "  extensions 100 to max;\n"
              "}\n"
              "extend M { repeated group X = 100 { } optional double d = 101 [default = -inf]; }\n");
    bytes = pack(s, &len);
    b64 = pb_base64_encode(bytes, len);
    t = pb_fmt_parse(b64, strlen(b64), NULL, 0, 0, &err);
    ck_assert_msg(t != NULL, "base64 rejected: %s", err.msg);
    bytes2 = pack(t, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert_mem_eq(bytes, bytes2, len);
    m = msg(t, "g2.M");
    ck_assert_int_eq(field(m, "g")->type, PB_TYPE_GROUP);
    ck_assert_int_eq(field(m, "g")->message->is_group, 1);
    ck_assert_str_eq(field(m, "g")->type_name, "G");
    ck_assert_uint_eq(opt(&field(m, "b")->options, "default")->value.len, 2);
    ck_assert_str_eq(t->file->extends[0].fields[0].type_name, "X");
    ck_assert_int_eq(t->file->extends[0].fields[0].message->is_group, 1);
    /* decls: the message, then the extend; the group message is not a decl */
    ck_assert_uint_eq(t->file->n_decls, 2);
    ck_assert_int_eq(t->file->decls[0].kind, PB_DECL_MESSAGE);
    ck_assert_uint_eq(t->file->decls[0].index, 0);
    ck_assert_int_eq(t->file->decls[1].kind, PB_DECL_EXTEND);
    free(bytes);
    free(bytes2);
    free(b64);
    pb_fmt_schema_free(t);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(base64_detection_and_errors)
{
    sr_error err = {0};
    /* not base64 (or not a descriptor): parsed as text */
    expect_error("abcd", "1:1: Expected top-level statement (e.g. \"message\").");
    /* a descriptor that does not resolve is checked like text */
    arena *a = arena_new();
    Google__Protobuf__FileDescriptorProto fd = GOOGLE__PROTOBUF__FILE_DESCRIPTOR_PROTO__INIT;
    Google__Protobuf__DescriptorProto md = GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT;
    Google__Protobuf__FieldDescriptorProto f = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT;
    Google__Protobuf__FieldDescriptorProto *fp = &f;
    Google__Protobuf__DescriptorProto *mp = &md;
    f.name = "x";
    f.has_number = 1;
    f.number = 1;
    f.has_type = 1;
    f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE;
    f.type_name = ".Missing";
    md.name = "M";
    md.n_field = 1;
    md.field = &fp;
    fd.name = "f.proto";
    fd.n_message_type = 1;
    fd.message_type = &mp;
    size_t n = protobuf_c_message_get_packed_size(&fd.base);
    unsigned char *buf = xmalloc(n);
    protobuf_c_message_pack(&fd.base, buf);
    char *b64 = pb_base64_encode(buf, n);
    pb_schema *s = pb_fmt_parse(b64, strlen(b64), NULL, 0, 0, &err);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.msg, "1:1: \".Missing\" is not defined.");
    free(b64);
    free(buf);
    /* an invalid name inside a descriptor */
    f.type_name = NULL;
    f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT32;
    f.name = "bad name";
    n = protobuf_c_message_get_packed_size(&fd.base);
    buf = xmalloc(n);
    protobuf_c_message_pack(&fd.base, buf);
    b64 = pb_base64_encode(buf, n);
    s = pb_fmt_parse(b64, strlen(b64), NULL, 0, 0, &err);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.code, 42201);
    ck_assert_str_eq(err.msg, "invalid field name \"bad name\" in the descriptor");
    free(b64);
    free(buf);
    /* a valid one, unpadded base64 (Java's decoder accepts it) */
    f.name = "ok";
    n = protobuf_c_message_get_packed_size(&fd.base);
    buf = xmalloc(n);
    protobuf_c_message_pack(&fd.base, buf);
    b64 = pb_base64_encode(buf, n);
    size_t l = strlen(b64);
    while (l && b64[l - 1] == '=') b64[--l] = '\0';
    s = pb_fmt_parse(b64, l, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    ck_assert_int_eq(msg(s, "M")->fields[0].type, PB_TYPE_INT32);
    ck_assert_str_eq(msg(s, "M")->fields[0].type_name, "int32");
    ck_assert_int_eq(msg(s, "M")->fields[0].label, PB_LABEL_OPTIONAL);
    pb_fmt_schema_free(s);
    free(b64);
    free(buf);
    arena_free(a);
}
END_TEST

START_TEST(descriptor_fields)
{
    pb_schema *s = parse("syntax = \"proto3\";\n"
                         "package d;\n"
                         "import public \"google/protobuf/any.proto\";\n"
                         "import weak \"google/protobuf/empty.proto\";\n"
                         "message M {\n"
                         "  optional int32 a = 1;\n"
                         "  oneof _c { int32 b = 2; }\n"
                         "  optional int32 c = 3;\n"
                         "  int32 snake_name = 4;\n"
                         "  map<int32, M> m = 5;\n"
                         "}\n");
    arena *a = arena_new();
    Google__Protobuf__FileDescriptorProto *d = pb_to_descriptor(s->file, a);
    ck_assert_str_eq(d->syntax, "proto3");
    ck_assert_str_eq(d->package, "d");
    ck_assert_uint_eq(d->n_dependency, 2);
    ck_assert_uint_eq(d->n_public_dependency, 1);
    ck_assert_int_eq(d->public_dependency[0], 0);
    ck_assert_uint_eq(d->n_weak_dependency, 1);
    ck_assert_int_eq(d->weak_dependency[0], 1);
    Google__Protobuf__DescriptorProto *m = d->message_type[0];
    /* real oneof first, then synthetic ones named _a and X_c (_c is taken) */
    ck_assert_uint_eq(m->n_oneof_decl, 3);
    ck_assert_str_eq(m->oneof_decl[0]->name, "_c");
    ck_assert_str_eq(m->oneof_decl[1]->name, "_a");
    ck_assert_str_eq(m->oneof_decl[2]->name, "X_c");
    ck_assert_int_eq(m->field[0]->oneof_index, 1);
    ck_assert_int_eq(m->field[0]->proto3_optional, 1);
    ck_assert_int_eq(m->field[2]->oneof_index, 2);
    ck_assert_int_eq(m->field[1]->label, GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_OPTIONAL);
    ck_assert_str_eq(m->field[3]->json_name, "snakeName");
    ck_assert_int_eq(m->field[4]->label, GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED);
    ck_assert_str_eq(m->field[4]->type_name, ".d.M.MEntry");
    ck_assert_int_eq(m->nested_type[0]->options->map_entry, 1);
    ck_assert_str_eq(m->nested_type[0]->field[1]->type_name, ".d.M");
    arena_free(a);
    /* proto2: no syntax field */
    pb_fmt_schema_free(s);
    s = parse("syntax = \"proto2\"; message M {}");
    a = arena_new();
    d = pb_to_descriptor(s->file, a);
    ck_assert_ptr_null(d->syntax);
    arena_free(a);
    pb_fmt_schema_free(s);
}
END_TEST

START_TEST(derived_names)
{
    arena *a = arena_new();
    ck_assert_str_eq(pb_map_entry_name(a, "foo_bar"), "FooBarEntry");
    ck_assert_str_eq(pb_map_entry_name(a, "_x"), "XEntry");
    ck_assert_str_eq(pb_map_entry_name(a, "a__b_1c"), "AB1cEntry");
    ck_assert_str_eq(pb_json_name(a, "foo_bar"), "fooBar");
    ck_assert_str_eq(pb_json_name(a, "_leading"), "Leading");
    ck_assert_str_eq(pb_json_name(a, "trailing_"), "trailing");
    ck_assert_str_eq(pb_json_name(a, "UPPER"), "UPPER");
    ck_assert_int_eq(pb_scalar_type("sfixed64"), PB_TYPE_SFIXED64);
    ck_assert_int_eq(pb_scalar_type("Foo"), PB_TYPE_UNRESOLVED);
    arena_free(a);
}
END_TEST

static Suite *pb_suite(void)
{
    Suite *s = suite_create("pb_parse");
    TCase *m = tcase_create("model");
    tcase_add_test(m, labels_as_written);
    tcase_add_test(m, type_names_written_and_resolved);
    tcase_add_test(m, declaration_order);
    tcase_add_test(m, map_entries);
    tcase_add_test(m, groups);
    tcase_add_test(m, oneofs);
    tcase_add_test(m, options_everywhere);
    tcase_add_test(m, aggregate_values);
    tcase_add_test(m, string_literals);
    tcase_add_test(m, number_literals);
    tcase_add_test(m, positions);
    tcase_add_test(m, reserved_and_ranges);
    tcase_add_test(m, services);
    tcase_add_test(m, derived_names);
    suite_add_tcase(s, m);

    TCase *r = tcase_create("resolution");
    tcase_add_test(r, scoping_innermost_first);
    tcase_add_test(r, scoping_first_component);
    tcase_add_test(r, scoping_enum_values_are_siblings);
    tcase_add_test(r, imports_through_deps);
    tcase_add_test(r, imports_bundled);
    tcase_add_test(r, import_errors);
    suite_add_tcase(s, r);

    TCase *e = tcase_create("errors");
    tcase_set_timeout(e, 60);
    tcase_add_test(e, syntax_errors);
    tcase_add_test(e, semantic_errors);
    tcase_add_test(e, custom_options);
    tcase_add_test(e, lenient_skips_lint_checks);
    tcase_add_test(e, deep_nesting);
    tcase_add_test(e, hostile_input);
    suite_add_tcase(s, e);

    TCase *d = tcase_create("descriptor");
    tcase_add_test(d, base64_round_trip);
    tcase_add_test(d, base64_detection_and_errors);
    tcase_add_test(d, descriptor_fields);
    suite_add_tcase(s, d);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pb_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
