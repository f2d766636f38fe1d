/*
 * Unit tests for the Protobuf checker (compat/protobuf_compat.c).
 *
 * Every row P1-P35 of compat.md §3.4 runs in both directions: B = diff(old, new)
 * (the BACKWARD check: reader = new, writer = old) and F = diff(new, old) (FORWARD:
 * reader = old, writer = new), asserting the multiset of differences ("TYPE@path",
 * compatible ones included) and the verdict. Then: every pair of scalar types, maps,
 * message types replaced / renamed / moved through imports with references of the
 * same or another subject and version, recursion, nested scopes, oneofs, the order
 * Confluent reports things in (Java HashSet iteration), the exact message texts, and
 * compat_check() at every level.
 *
 * Schemas are .proto text parsed with pb_fmt_parse; imports come from sr_deps with
 * a subject and version like registered references.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/strbuf.h"
#include "../../compat/compat.h"
#include "../../formats/protobuf/protobuf_format.h"

/* Internal entry points of protobuf_compat.c (not in a header: tests only). */
void protobuf_compat_differences(const void *reader, const void *writer,
                                 const char *reader_label, const char *writer_label,
                                 compat_issues *out);
int protobuf_compat_type_compatible(const char *type);

/* --- fixtures ------------------------------------------------------------------------ */

#define P3(body) "syntax = \"proto3\";\n" body
#define P2(body) "syntax = \"proto2\";\n" body

static pb_schema *parse_deps(const char *text, const sr_dep *deps, size_t n_deps)
{
    sr_error err = {0};
    pb_schema *s = pb_fmt_parse(text, strlen(text), deps, n_deps, 0, &err);
    ck_assert_msg(s != NULL, "parse failed: %s\n  schema:\n%s", err.msg, text);
    return s;
}

static pb_schema *parse(const char *text)
{
    return parse_deps(text, NULL, 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "TYPE@path;..." of every difference of diff(original, update), in the checker's
 * order, or sorted (a multiset) when `sorted`. */
static char *summary_of(const pb_schema *original, const pb_schema *update, int sorted)
{
    compat_issues is = {0};
    protobuf_compat_differences(update, original, "new", "old", &is);
    char **items = malloc((is.n ? is.n : 1) * sizeof *items);
    for (size_t i = 0; i < is.n; i++) {
        strbuf sb = STRBUF_INIT;
        strbuf_printf(&sb, "%s@%s", is.items[i].type, is.items[i].path);
        items[i] = strbuf_take(&sb);
    }
    if (sorted) qsort(items, is.n, sizeof *items, cmp_str);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < is.n; i++) {
        strbuf_printf(&sb, "%s%s", i ? ";" : "", items[i]);
        free(items[i]);
    }
    free(items);
    compat_issues_free(&is);
    return strbuf_take(&sb);
}

/* The expected list, sorted the same way. */
static char *sorted_list(const char *want)
{
    char *copy = xstrdup(want);
    size_t n = 0, cap = 8;
    char **items = malloc(cap * sizeof *items);
    for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
        if (n == cap) items = realloc(items, (cap *= 2) * sizeof *items);
        items[n++] = tok;
    }
    qsort(items, n, sizeof *items, cmp_str);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) strbuf_printf(&sb, "%s%s", i ? ";" : "", items[i]);
    free(items);
    free(copy);
    return strbuf_take(&sb);
}

/* Is diff(original, update) compatible per protobuf_compat_check (no issues)? */
static int verdict_of(const pb_schema *original, const pb_schema *update)
{
    compat_issues is = {0};
    protobuf_compat_check(update, original, "new", "old", COMPAT_POLICY_STRICT, &is);
    size_t n = is.n;
    /* every issue is an incompatible difference */
    for (size_t i = 0; i < is.n; i++)
        ck_assert_int_eq(protobuf_compat_type_compatible(is.items[i].type), 0);
    compat_issues_free(&is);
    return n == 0;
}

/* Assert the multiset of diff(original, update) and its verdict. */
static void expect_diff(const pb_schema *original, const pb_schema *update, const char *want,
                        int compatible, const char *what, const char *dir)
{
    char *got = summary_of(original, update, 1);
    char *exp = sorted_list(want);
    ck_assert_msg(strcmp(got, exp) == 0, "%s [%s]:\n  want [%s]\n  got  [%s]", what, dir, exp, got);
    int v = verdict_of(original, update);
    ck_assert_msg(v == compatible, "%s [%s]: verdict %s, want %s", what, dir,
                  v ? "compatible" : "incompatible", compatible ? "compatible" : "incompatible");
    free(exp);
    free(got);
}

/* Both directions of old -> new. */
static void expect_row(const char *what, const char *old_text, const char *new_text,
                       const char *b, int b_ok, const char *f, int f_ok)
{
    pb_schema *o = parse(old_text), *n = parse(new_text);
    expect_diff(o, n, b, b_ok, what, "B");
    expect_diff(n, o, f, f_ok, what, "F");
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(n);
}

/* diff(original, update) in the checker's exact order. */
static void expect_ordered(const pb_schema *original, const pb_schema *update, const char *want,
                           const char *what)
{
    char *got = summary_of(original, update, 0);
    ck_assert_msg(strcmp(got, want) == 0, "%s:\n  want [%s]\n  got  [%s]", what, want, got);
    free(got);
}

static void expect_ordered_text(const char *original, const char *update, const char *want,
                                const char *what)
{
    pb_schema *o = parse(original), *u = parse(update);
    expect_ordered(o, u, want, what);
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(u);
}

/* --- the rules table ---------------------------------------------------------------- */

typedef struct row {
    const char *id;
    const char *old_text, *new_text;
    const char *b; /* diff(old, new) */
    int b_ok;
    const char *f; /* diff(new, old) */
    int f_ok;
} row;

#define OK 1
#define NO 0

#define M3(fields) P3("message M {\n" fields "\n}\n")
#define M2(fields) P2("message M {\n" fields "\n}\n")
#define ENUM_E "enum E { E0 = 0; E1 = 1; }\n"
#define MSG_A "message A { int32 x = 1; }\n"
#define MSG_B "message B { int32 x = 1; }\n"

static const row rows[] = {
    /* P1 / P2: non-required fields */
    {"P1 add field", M3("string a = 1;"), M3("string a = 1; int32 b = 2;"), "FIELD_ADDED@#/M/2", OK,
     "FIELD_REMOVED@#/M/2", OK},
    {"P1 add proto2 optional field", M2("optional string a = 1;"),
     M2("optional string a = 1; optional int32 b = 2;"), "FIELD_ADDED@#/M/2", OK,
     "FIELD_REMOVED@#/M/2", OK},
    {"P1 add repeated field", M3("string a = 1;"), M3("string a = 1; repeated int32 b = 2;"),
     "FIELD_ADDED@#/M/2", OK, "FIELD_REMOVED@#/M/2", OK},
    {"P2 remove field", M3("string a = 1; int32 b = 2;"), M3("string a = 1;"),
     "FIELD_REMOVED@#/M/2", OK, "FIELD_ADDED@#/M/2", OK},
    /* P3 / P4: required */
    {"P3 add required field", M2("optional string a = 1;"),
     M2("optional string a = 1; required int32 b = 2;"), "REQUIRED_FIELD_ADDED@#/M/2", NO,
     "REQUIRED_FIELD_REMOVED@#/M/2", NO},
    {"P4 remove required field", M2("optional string a = 1; required string b = 2;"),
     M2("optional string a = 1;"), "REQUIRED_FIELD_REMOVED@#/M/2", NO,
     "REQUIRED_FIELD_ADDED@#/M/2", NO},
    /* P5 / P6: names and numbers */
    {"P5 rename field", M3("string a = 1;"), M3("string b = 1;"), "FIELD_NAME_CHANGED@#/M/1", OK,
     "FIELD_NAME_CHANGED@#/M/1", OK},
    {"P6 renumber field", M3("string a = 1;"), M3("string a = 2;"),
     "FIELD_REMOVED@#/M/1;FIELD_ADDED@#/M/2", OK, "FIELD_REMOVED@#/M/2;FIELD_ADDED@#/M/1", OK},
    /* P7: scalar changes inside a group (every pair is in test_scalar_groups) */
    {"P7 int32->int64", M3("int32 a = 1;"), M3("int64 a = 1;"), "", OK, "", OK},
    {"P7 uint64->bool", M3("uint64 a = 1;"), M3("bool a = 1;"), "", OK, "", OK},
    {"P7 sint32->sint64", M3("sint32 a = 1;"), M3("sint64 a = 1;"), "", OK, "", OK},
    {"P7 fixed32->sfixed32", M3("fixed32 a = 1;"), M3("sfixed32 a = 1;"), "", OK, "", OK},
    {"P7 string->bytes", M3("string a = 1;"), M3("bytes a = 1;"), "", OK, "", OK},
    {"P7 int32->enum", M3("int32 a = 1;") ENUM_E, M3("E a = 1;") ENUM_E, "", OK, "", OK},
    {"P7 enum->uint64", M3("E a = 1;") ENUM_E, M3("uint64 a = 1;") ENUM_E, "", OK, "", OK},
    /* P8: across groups */
    {"P8 int32->sint32", M3("int32 a = 1;"), M3("sint32 a = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P8 int32->fixed32", M3("int32 a = 1;"), M3("fixed32 a = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P8 float->double", M3("float a = 1;"), M3("double a = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P8 int64->double", M3("int64 a = 1;"), M3("double a = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P8 string->int32", M3("string a = 1;"), M3("int32 a = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P8 enum->sint32", M3("E a = 1;") ENUM_E, M3("sint32 a = 1;") ENUM_E,
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    /* P9: kinds */
    {"P9 scalar<->message", M3("int32 a = 1;") MSG_A, M3("A a = 1;") MSG_A,
     "FIELD_KIND_CHANGED@#/M/1", NO, "FIELD_KIND_CHANGED@#/M/1", NO},
    {"P9 enum<->message", M3("E a = 1;") ENUM_E MSG_A, M3("A a = 1;") ENUM_E MSG_A,
     "FIELD_KIND_CHANGED@#/M/1", NO, "FIELD_KIND_CHANGED@#/M/1", NO},
    {"P9 scalar<->map", M3("int32 a = 1;"), M3("map<string, int32> a = 1;"),
     "FIELD_KIND_CHANGED@#/M/1", NO, "FIELD_KIND_CHANGED@#/M/1", NO},
    {"P9 message<->map", M3("A a = 1;") MSG_A, M3("map<string, A> a = 1;") MSG_A,
     "FIELD_KIND_CHANGED@#/M/1", NO, "FIELD_KIND_CHANGED@#/M/1", NO},
    {"P9 repeated message<->map", M3("repeated A a = 1;") MSG_A, M3("map<int32, A> a = 1;") MSG_A,
     "FIELD_KIND_CHANGED@#/M/1", NO, "FIELD_KIND_CHANGED@#/M/1", NO},
    /* P10: another message type */
    {"P10 message type replaced", M3("A a = 1;") MSG_A MSG_B, M3("B a = 1;") MSG_A MSG_B,
     "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO, "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO},
    /* P11: same name, changed definition (both local: diffed where declared, not
     * through the field; imported types are in test_imported_types) */
    {"P11 local type changes", M3("A a = 1;") "message A { int32 x = 1; }\n",
     M3("A a = 1;") "message A { string x = 1; }\n", "FIELD_SCALAR_KIND_CHANGED@#/A/1", NO,
     "FIELD_SCALAR_KIND_CHANGED@#/A/1", NO},
    {"P11 local type changes compatibly", M3("A a = 1;") "message A { int32 x = 1; }\n",
     M3("A a = 1;") "message A { int32 x = 1; int32 y = 2; }\n", "FIELD_ADDED@#/A/2", OK,
     "FIELD_REMOVED@#/A/2", OK},
    /* P12 (package move through an import) is in test_imported_types */
    /* P13: numeric labels, both explicit */
    {"P13 optional->repeated int32", M2("optional int32 a = 1;"), M2("repeated int32 a = 1;"),
     "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO, "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO},
    {"P13 optional->required int64", M2("optional int64 a = 1;"), M2("required int64 a = 1;"),
     "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO, "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO},
    {"P13 required->repeated double", M2("required double a = 1;"), M2("repeated double a = 1;"),
     "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO, "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO},
    {"P13 proto3 optional->repeated", M3("optional sint32 a = 1;"), M3("repeated sint32 a = 1;"),
     "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO, "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO},
    {"P13 enum optional->repeated", P2("message M { optional E a = 1; }\nenum E { E0 = 0; }\n"),
     P2("message M { repeated E a = 1; }\nenum E { E0 = 0; }\n"),
     "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO, "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO},
    {"P13 with a type change in the group", M2("optional int32 a = 1;"),
     M2("repeated uint64 a = 1;"), "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO,
     "FIELD_NUMERIC_LABEL_CHANGED@#/M/1", NO},
    /* P14: string / bytes labels */
    {"P14 string optional->repeated", M3("optional string a = 1;"), M3("repeated string a = 1;"),
     "FIELD_STRING_OR_BYTES_LABEL_CHANGED@#/M/1", OK, "FIELD_STRING_OR_BYTES_LABEL_CHANGED@#/M/1",
     OK},
    {"P14 bytes optional->required", M2("optional bytes a = 1;"), M2("required bytes a = 1;"),
     "FIELD_STRING_OR_BYTES_LABEL_CHANGED@#/M/1", OK, "FIELD_STRING_OR_BYTES_LABEL_CHANGED@#/M/1",
     OK},
    {"P14 string->bytes, optional->repeated", M2("optional string a = 1;"),
     M2("repeated bytes a = 1;"), "FIELD_STRING_OR_BYTES_LABEL_CHANGED@#/M/1", OK,
     "FIELD_STRING_OR_BYTES_LABEL_CHANGED@#/M/1", OK},
    /* P15: message labels are not compared */
    {"P15 message optional->repeated", M3("optional A a = 1;") MSG_A, M3("repeated A a = 1;") MSG_A,
     "", OK, "", OK},
    {"P15 message optional->required", M2("optional A a = 1;") "message A { optional int32 x = 1; }\n",
     M2("required A a = 1;") "message A { optional int32 x = 1; }\n", "", OK, "", OK},
    /* P16: implicit labels are not compared */
    {"P16 implicit->optional", M3("int32 a = 1;"), M3("optional int32 a = 1;"), "", OK, "", OK},
    {"P16 implicit->repeated", M3("int32 a = 1;"), M3("repeated int32 a = 1;"), "", OK, "", OK},
    {"P16 implicit->repeated string", M3("string a = 1;"), M3("repeated string a = 1;"), "", OK,
     "", OK},
    /* P17 / P18: message types */
    {"P17 add message", M3("int32 a = 1;"), M3("int32 a = 1;") "message N { int32 x = 1; }\n",
     "MESSAGE_ADDED@#/N", OK, "MESSAGE_REMOVED@#/N", NO},
    {"P17 add nested message", M3("int32 a = 1;"), M3("int32 a = 1; message N { int32 x = 1; }"),
     "MESSAGE_ADDED@#/M/N", OK, "MESSAGE_REMOVED@#/M/N", NO},
    {"P18 remove message", M3("int32 a = 1;") "message N { int32 x = 1; }\n", M3("int32 a = 1;"),
     "MESSAGE_REMOVED@#/N", NO, "MESSAGE_ADDED@#/N", OK},
    /* P19: rename a message type */
    {"P19 rename used type", M3("A a = 1;") MSG_A, M3("B a = 1;") MSG_B,
     "MESSAGE_REMOVED@#/A;MESSAGE_ADDED@#/B;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO,
     "MESSAGE_REMOVED@#/B;MESSAGE_ADDED@#/A;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO},
    {"P19 rename unused type", M3("int32 a = 1;") MSG_A, M3("int32 a = 1;") MSG_B,
     "MESSAGE_REMOVED@#/A;MESSAGE_ADDED@#/B", NO, "MESSAGE_REMOVED@#/B;MESSAGE_ADDED@#/A", NO},
    /* P20: order */
    {"P20 reorder messages", P3(MSG_A MSG_B), P3(MSG_B MSG_A),
     "MESSAGE_MOVED@#/A;MESSAGE_MOVED@#/B", OK, "MESSAGE_MOVED@#/A;MESSAGE_MOVED@#/B", OK},
    {"P20 enums do not count as ordinals", P3(MSG_A ENUM_E MSG_B), P3(ENUM_E MSG_A MSG_B), "", OK,
     "", OK},
    {"P20 insert before", P3(MSG_A), P3(MSG_B MSG_A), "MESSAGE_ADDED@#/B;MESSAGE_MOVED@#/A", OK,
     "MESSAGE_REMOVED@#/B;MESSAGE_MOVED@#/A", NO},
    /* P21 / P22: enum types */
    {"P21 add enum", M3("int32 a = 1;"), M3("int32 a = 1;") ENUM_E, "ENUM_ADDED@#/E", OK,
     "ENUM_REMOVED@#/E", OK},
    {"P22 remove enum", M3("int32 a = 1;") ENUM_E, M3("int32 a = 1;"), "ENUM_REMOVED@#/E", OK,
     "ENUM_ADDED@#/E", OK},
    {"P22 remove used enum (field becomes a message)", M3("E a = 1;") ENUM_E,
     M3("E a = 1; message E { int32 x = 1; }"),
     "ENUM_REMOVED@#/E;MESSAGE_ADDED@#/M/E;FIELD_KIND_CHANGED@#/M/1", NO,
     "ENUM_ADDED@#/E;MESSAGE_REMOVED@#/M/E;FIELD_KIND_CHANGED@#/M/1", NO},
    /* P23: enum constants, matched by number */
    {"P23 add constant", P3("enum E { E0 = 0; }\n"), P3("enum E { E0 = 0; E2 = 2; }\n"),
     "ENUM_CONST_ADDED@#/E/2", OK, "ENUM_CONST_REMOVED@#/E/2", OK},
    {"P23 rename constant", P3(ENUM_E), P3("enum E { E0 = 0; ONE = 1; }\n"),
     "ENUM_CONST_CHANGED@#/E/1", OK, "ENUM_CONST_CHANGED@#/E/1", OK},
    {"P23 renumber constant", P3(ENUM_E), P3("enum E { E0 = 0; E1 = 5; }\n"),
     "ENUM_CONST_REMOVED@#/E/1;ENUM_CONST_ADDED@#/E/5", OK,
     "ENUM_CONST_REMOVED@#/E/5;ENUM_CONST_ADDED@#/E/1", OK},
    {"P23 nested enum", M3("int32 a = 1; enum S { S0 = 0; }"),
     M3("int32 a = 1; enum S { S0 = 0; S1 = 1; }"), "ENUM_CONST_ADDED@#/M/S/1", OK,
     "ENUM_CONST_REMOVED@#/M/S/1", OK},
    /* P24: package */
    {"P24 change package", P3("package foo;\n" MSG_A), P3("package bar;\n" MSG_A),
     "PACKAGE_CHANGED@#/", NO, "PACKAGE_CHANGED@#/", NO},
    {"P24 add package", P3(MSG_A), P3("package bar;\n" MSG_A), "PACKAGE_CHANGED@#/", NO,
     "PACKAGE_CHANGED@#/", NO},
    {"P24 package-qualified own types", P3("package foo;\nmessage M { .foo.M.S s = 1; message S {} }\n"),
     P3("package bar;\nmessage M { .bar.M.S s = 1; message S {} }\n"), "PACKAGE_CHANGED@#/", NO,
     "PACKAGE_CHANGED@#/", NO},
    /* P25: syntax */
    {"P25 proto2->proto3", M2("optional int32 a = 1; repeated string b = 2;"),
     M3("int32 a = 1; string b = 2;"), "", OK, "", OK},
    {"P25 proto2->proto3 dropping a required field", M2("optional int32 a = 1; required int32 b = 2;"),
     M3("int32 a = 1;"), "REQUIRED_FIELD_REMOVED@#/M/2", NO, "REQUIRED_FIELD_ADDED@#/M/2", NO},
    {"P25 proto2 required->proto3 implicit", M2("required int32 a = 1;"), M3("int32 a = 1;"), "",
     OK, "", OK},
    /* P26: maps */
    {"P26 map value in group", M3("map<string, int32> m = 1;"), M3("map<string, int64> m = 1;"),
     "", OK, "", OK},
    {"P26 map value across groups", M3("map<string, int32> m = 1;"),
     M3("map<string, string> m = 1;"), "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO,
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P26 map key across groups", M3("map<int32, string> m = 1;"), M3("map<string, string> m = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P26 map key and value", M3("map<int32, int32> m = 1;"), M3("map<sint32, float> m = 1;"),
     "FIELD_SCALAR_KIND_CHANGED@#/M/1;FIELD_SCALAR_KIND_CHANGED@#/M/1", NO,
     "FIELD_SCALAR_KIND_CHANGED@#/M/1;FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    {"P26 map value scalar->message", M3("map<string, int32> m = 1;") MSG_A,
     M3("map<string, A> m = 1;") MSG_A, "FIELD_KIND_CHANGED@#/M/1", NO,
     "FIELD_KIND_CHANGED@#/M/1", NO},
    {"P26 map value message renamed", M3("map<string, A> m = 1;") MSG_A MSG_B,
     M3("map<string, B> m = 1;") MSG_A MSG_B, "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO,
     "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO},
    {"P26 map value int32->enum", M3("map<string, int32> m = 1;") ENUM_E,
     M3("map<string, E> m = 1;") ENUM_E, "", OK, "", OK},
    {"P26 map renamed, value changed", M3("map<string, int32> a = 1;"),
     M3("map<string, string> b = 1;"), "FIELD_NAME_CHANGED@#/M/1;FIELD_SCALAR_KIND_CHANGED@#/M/1",
     NO, "FIELD_NAME_CHANGED@#/M/1;FIELD_SCALAR_KIND_CHANGED@#/M/1", NO},
    /* P27: one existing field into a new oneof */
    {"P27 field into new oneof alone", M3("string a = 1; string b = 2;"),
     M3("string a = 1; oneof o { string b = 2; }"), "ONEOF_ADDED@#/M/o", OK,
     "ONEOF_REMOVED@#/M/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2", OK},
    {"P27 field into new oneof with new fields", M3("string a = 1; string b = 2;"),
     M3("string a = 1; oneof o { string b = 2; int32 c = 3; }"),
     "ONEOF_ADDED@#/M/o;ONEOF_FIELD_ADDED@#/M/o/3", OK,
     "ONEOF_REMOVED@#/M/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2;ONEOF_FIELD_REMOVED@#/M/o/3", NO},
    /* P28: several existing fields into one oneof */
    {"P28 two fields into a oneof", M3("string a = 1; string b = 2;"),
     M3("oneof o { string a = 1; string b = 2; }"),
     "MULTIPLE_FIELDS_MOVED_TO_ONEOF@#/M/o;ONEOF_ADDED@#/M/o", NO,
     "ONEOF_REMOVED@#/M/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/1;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2",
     OK},
    {"P28 two fields and a new one", M3("string a = 1; string b = 2;"),
     M3("oneof o { string a = 1; string b = 2; int32 c = 3; }"),
     "MULTIPLE_FIELDS_MOVED_TO_ONEOF@#/M/o;ONEOF_ADDED@#/M/o;ONEOF_FIELD_ADDED@#/M/o/3", NO,
     "ONEOF_REMOVED@#/M/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/1;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2;"
     "ONEOF_FIELD_REMOVED@#/M/o/3",
     NO},
    /* P29: into an existing oneof, and merges */
    {"P29 field into existing oneof", M3("string a = 1; oneof o { string b = 2; }"),
     M3("oneof o { string a = 1; string b = 2; }"), "FIELD_MOVED_TO_EXISTING_ONEOF@#/M/o", NO,
     "ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/1", OK},
    {"P29 field into renamed oneof", M3("string a = 1; oneof x { string b = 2; string c = 3; }"),
     M3("oneof y { string a = 1; string b = 2; string c = 3; }"),
     "FIELD_MOVED_TO_EXISTING_ONEOF@#/M/y;ONEOF_REMOVED@#/M/x;ONEOF_ADDED@#/M/y", NO,
     "ONEOF_REMOVED@#/M/y;ONEOF_ADDED@#/M/x;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/1", OK},
    {"P29 merge two oneofs", M3("oneof x { string a = 1; } oneof y { string b = 2; }"),
     M3("oneof x { string a = 1; string b = 2; }"),
     "FIELD_MOVED_TO_EXISTING_ONEOF@#/M/x;ONEOF_REMOVED@#/M/y", NO, "ONEOF_ADDED@#/M/y", OK},
    {"P29 two fields into an existing oneof", M3("string a = 1; string b = 2; oneof o { string c = 3; }"),
     M3("oneof o { string a = 1; string b = 2; string c = 3; }"),
     "MULTIPLE_FIELDS_MOVED_TO_ONEOF@#/M/o", NO,
     "ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/1;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2", OK},
    /* P30 / P31: oneof members */
    {"P30 add field to oneof", M3("oneof o { string a = 1; }"),
     M3("oneof o { string a = 1; int32 b = 2; }"), "ONEOF_FIELD_ADDED@#/M/o/2", OK,
     "ONEOF_FIELD_REMOVED@#/M/o/2", NO},
    {"P31 remove field from oneof", M3("oneof o { string a = 1; int32 b = 2; }"),
     M3("oneof o { string a = 1; }"), "ONEOF_FIELD_REMOVED@#/M/o/2", NO,
     "ONEOF_FIELD_ADDED@#/M/o/2", OK},
    {"P31 oneof dissolved, one member dropped", M3("oneof o { string a = 1; int32 b = 2; }"),
     M3("string a = 1;"),
     "ONEOF_REMOVED@#/M/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/1;ONEOF_FIELD_REMOVED@#/M/o/2", NO,
     "ONEOF_ADDED@#/M/o;ONEOF_FIELD_ADDED@#/M/o/2", OK},
    {"P31 oneof renamed, one member dropped", M3("oneof x { string a = 1; int32 b = 2; }"),
     M3("oneof y { string a = 1; }"),
     "ONEOF_REMOVED@#/M/x;ONEOF_ADDED@#/M/y;ONEOF_FIELD_REMOVED@#/M/x/2", NO,
     "ONEOF_REMOVED@#/M/y;ONEOF_ADDED@#/M/x;ONEOF_FIELD_ADDED@#/M/x/2", OK},
    /* P32: a whole oneof */
    {"P32 delete oneof and members", M3("string z = 5; oneof o { string a = 1; int32 b = 2; }"),
     M3("string z = 5;"), "ONEOF_REMOVED@#/M/o", OK,
     "ONEOF_ADDED@#/M/o;ONEOF_FIELD_ADDED@#/M/o/1;ONEOF_FIELD_ADDED@#/M/o/2", OK},
    /* P33: rename a oneof */
    {"P33 rename oneof", M3("oneof x { string a = 1; int32 b = 2; }"),
     M3("oneof y { string a = 1; int32 b = 2; }"), "ONEOF_REMOVED@#/M/x;ONEOF_ADDED@#/M/y", OK,
     "ONEOF_REMOVED@#/M/y;ONEOF_ADDED@#/M/x", OK},
    {"P33 rename oneof, member type changed", M3("oneof x { string a = 1; }"),
     M3("oneof y { int32 a = 1; }"),
     "ONEOF_REMOVED@#/M/x;ONEOF_ADDED@#/M/y;FIELD_SCALAR_KIND_CHANGED@#/M/y/1", NO,
     "ONEOF_REMOVED@#/M/y;ONEOF_ADDED@#/M/x;FIELD_SCALAR_KIND_CHANGED@#/M/x/1", NO},
    /* P34: out of a oneof */
    {"P34 field out of surviving oneof", M3("oneof o { string a = 1; int32 b = 2; }"),
     M3("oneof o { string a = 1; } int32 b = 2;"), "ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2", OK,
     "FIELD_MOVED_TO_EXISTING_ONEOF@#/M/o", NO},
    {"P34 only member out, oneof gone", M3("oneof o { int32 b = 2; }"), M3("int32 b = 2;"),
     "ONEOF_REMOVED@#/M/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2", OK, "ONEOF_ADDED@#/M/o", OK},
    {"P34 out of oneof, type still checked", M3("oneof o { string a = 1; int32 b = 2; }"),
     M3("oneof o { string a = 1; } string b = 2;"),
     "ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/2;FIELD_SCALAR_KIND_CHANGED@#/M/2", NO,
     "FIELD_MOVED_TO_EXISTING_ONEOF@#/M/o;FIELD_SCALAR_KIND_CHANGED@#/M/o/2", NO},
    {"P34 into a oneof inside a nested message", P3("message M { message N { int32 a = 1; int32 b = 2; } }\n"),
     P3("message M { message N { oneof o { int32 a = 1; int32 b = 2; } } }\n"),
     "MULTIPLE_FIELDS_MOVED_TO_ONEOF@#/M/N/o;ONEOF_ADDED@#/M/N/o", NO,
     "ONEOF_REMOVED@#/M/N/o;ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/N/1;"
     "ONEOF_FIELD_MOVED_TO_TOP_LEVEL@#/M/N/2",
     OK},
    /* P35: what is not compared */
    {"P35 options, reserved, extensions, defaults, json_name, services, comments",
     P2("package p;\n"
        "option java_package = \"a.b\";\n"
        "message M {\n"
        "  option deprecated = false;\n"
        "  optional int32 a = 1 [default = 5, json_name = \"x\"];\n"
        "  optional string s = 2;\n"
        "  reserved 10 to 20;\n"
        "  reserved \"foo\";\n"
        "  extensions 100 to 200;\n"
        "}\n"
        "extend M { optional int32 ext = 150; }\n"
        "service S { rpc Get (M) returns (M); }\n"),
     P2("// a comment\n"
        "package p;\n"
        "import \"google/protobuf/empty.proto\";\n"
        "option java_package = \"c.d\";\n"
        "option optimize_for = SPEED;\n"
        "message M {\n"
        "  /* another */\n"
        "  option deprecated = true;\n"
        "  optional int32 a = 1 [default = 7, json_name = \"y\", deprecated = true];\n"
        "  optional string s = 2 [default = \"z\"];\n"
        "  reserved 30;\n"
        "  extensions 100 to max;\n"
        "}\n"
        "extend M { optional string ext = 150; repeated int64 ext2 = 151; }\n"
        "service S { rpc Get (M) returns (stream M); rpc Put (M) returns (M); }\n"
        "service T { }\n"),
     "", OK, "", OK},
    {"P35 type name spelling", P3("package foo;\nmessage M { S s = 1; message S {} }\n"),
     P3("package foo;\nmessage M { .foo.M.S s = 1; message S {} }\n"), "", OK, "", OK},
    {"P35 type name spelling in a map", M3("map<string, S> m = 1; message S {}"),
     M3("map<string, M.S> m = 1; message S {}"), "", OK, "", OK},
};

START_TEST(test_rules_table)
{
    const row *r = &rows[_i];
    expect_row(r->id, r->old_text, r->new_text, r->b, r->b_ok, r->f, r->f_ok);
}
END_TEST

/* --- scalar groups, exhaustively ------------------------------------------------------- */

static const struct {
    const char *name;
    int group;
} scalars[] = {
    {"int32", 0},   {"int64", 0},    {"uint32", 0},   {"uint64", 0},  {"bool", 0},
    {"E", 0}, /* an enum */
    {"sint32", 1},  {"sint64", 1},   {"string", 2},   {"bytes", 2},   {"fixed32", 3},
    {"sfixed32", 3}, {"fixed64", 4}, {"sfixed64", 4}, {"float", 5},   {"double", 6},
};

#define N_SCALARS (sizeof scalars / sizeof scalars[0])

START_TEST(test_scalar_groups)
{
    size_t a = (size_t)_i / N_SCALARS, b = (size_t)_i % N_SCALARS;
    char old_text[256], new_text[256];
    snprintf(old_text, sizeof old_text,
             "syntax = \"proto3\";\nmessage M { %s f = 1; }\nenum E { E0 = 0; }\n", scalars[a].name);
    snprintf(new_text, sizeof new_text,
             "syntax = \"proto3\";\nmessage M { %s f = 1; }\nenum E { E0 = 0; }\n", scalars[b].name);
    int same = scalars[a].group == scalars[b].group;
    char what[64];
    snprintf(what, sizeof what, "%s -> %s", scalars[a].name, scalars[b].name);
    pb_schema *o = parse(old_text), *n = parse(new_text);
    expect_diff(o, n, same ? "" : "FIELD_SCALAR_KIND_CHANGED@#/M/1", same, what, "B");
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(n);
}
END_TEST

START_TEST(test_enums_are_general_numbers)
{
    /* one enum type for another: both general numbers */
    expect_row("enum -> other enum",
               P3("message M { E a = 1; }\nenum E { E0 = 0; }\nenum F { F0 = 0; }\n"),
               P3("message M { F a = 1; }\nenum E { E0 = 0; }\nenum F { F0 = 0; }\n"), "", OK, "", OK);
    /* a nested enum and an imported one count too */
    expect_row("bool -> nested enum", M3("bool a = 1; enum S { S0 = 0; }"),
               M3("S a = 1; enum S { S0 = 0; }"), "", OK, "", OK);
    /* an enum whose constants change is still the same kind */
    expect_row("enum values changed, field unchanged", M3("E a = 1;") ENUM_E,
               M3("E a = 1;") "enum E { E0 = 0; TWO = 2; }\n",
               "ENUM_CONST_REMOVED@#/E/1;ENUM_CONST_ADDED@#/E/2", OK,
               "ENUM_CONST_REMOVED@#/E/2;ENUM_CONST_ADDED@#/E/1", OK);
    /* allow_alias: a number is compared through its last constant */
    expect_row("alias", P3("enum E { option allow_alias = true; A = 0; B = 0; }\n"),
               P3("enum E { option allow_alias = true; A = 0; C = 0; }\n"),
               "ENUM_CONST_CHANGED@#/E/0", OK, "ENUM_CONST_CHANGED@#/E/0", OK);
    expect_row("alias, same last name", P3("enum E { option allow_alias = true; A = 0; B = 0; }\n"),
               P3("enum E { B = 0; }\n"), "", OK, "", OK);
}
END_TEST

/* --- maps -------------------------------------------------------------------------------- */

START_TEST(test_maps)
{
    expect_row("map value message changes locally",
               M3("map<string, A> m = 1;") "message A { int32 x = 1; }\n",
               M3("map<string, A> m = 1;") "message A { string x = 1; }\n",
               "FIELD_SCALAR_KIND_CHANGED@#/A/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/A/1", NO);
    /* entry messages are not types: renaming the field renames the entry, adding a map
     * adds no message, and they take no ordinal */
    expect_row("map field renamed", M3("map<string, int32> a = 1;") MSG_A,
               M3("map<string, int32> b = 1;") MSG_A, "FIELD_NAME_CHANGED@#/M/1", OK,
               "FIELD_NAME_CHANGED@#/M/1", OK);
    expect_row("map added before a nested message", M3("int32 x = 1; message N {}"),
               M3("int32 x = 1; map<string, int32> m = 2; message N {}"), "FIELD_ADDED@#/M/2", OK,
               "FIELD_REMOVED@#/M/2", OK);
    expect_row("map value enum <-> int", M3("map<int64, E> m = 1;") ENUM_E,
               M3("map<uint32, bool> m = 1;") ENUM_E, "", OK, "", OK);
    expect_row("map value message -> enum", M3("map<string, A> m = 1;") MSG_A ENUM_E,
               M3("map<string, E> m = 1;") MSG_A ENUM_E, "FIELD_KIND_CHANGED@#/M/1", NO,
               "FIELD_KIND_CHANGED@#/M/1", NO);
    expect_row("map in a oneof-free nested message",
               P3("message M { message N { map<string, int32> m = 3; } }\n"),
               P3("message M { message N { map<string, fixed32> m = 3; } }\n"),
               "FIELD_SCALAR_KIND_CHANGED@#/M/N/3", NO, "FIELD_SCALAR_KIND_CHANGED@#/M/N/3", NO);
}
END_TEST

/* --- types referenced through imports ------------------------------------------------- */

#define DEP_V1 P3("package dep;\nmessage A { int32 x = 1; }\n")
#define DEP_V2_COMPAT P3("package dep;\nmessage A { int32 x = 1; int64 y = 2; }\n")
#define DEP_V2_BREAK P3("package dep;\nmessage A { string x = 1; }\n")
#define USES_DEP_A P3("import \"dep.proto\";\nmessage M { dep.A a = 1; }\n")

/* diff(original, update) where each side has one import "dep.proto". */
static void expect_import(const char *what, const char *otext, const char *odep, const char *osub,
                          int over, const char *utext, const char *udep, const char *usub,
                          int uver, const char *want, int compatible)
{
    sr_dep od[1] = {{"dep.proto", odep, osub, over}};
    sr_dep ud[1] = {{"dep.proto", udep, usub, uver}};
    pb_schema *o = parse_deps(otext, od, odep ? 1 : 0);
    pb_schema *u = parse_deps(utext, ud, udep ? 1 : 0);
    expect_diff(o, u, want, compatible, what, "B");
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(u);
}

START_TEST(test_imported_types)
{
    /* same reference on both sides: not compared, whatever the text says */
    expect_import("same subject and version", USES_DEP_A, DEP_V1, "dep", 1, USES_DEP_A,
                  DEP_V2_BREAK, "dep", 1, "", OK);
    /* another version of the same subject: recursed into */
    expect_import("new version, compatible", USES_DEP_A, DEP_V1, "dep", 1, USES_DEP_A,
                  DEP_V2_COMPAT, "dep", 2, "FIELD_ADDED@#/A/2", OK);
    expect_import("new version, incompatible (P11)", USES_DEP_A, DEP_V1, "dep", 1, USES_DEP_A,
                  DEP_V2_BREAK, "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    expect_import("another subject, same text", USES_DEP_A, DEP_V1, "dep", 1, USES_DEP_A, DEP_V1,
                  "dep2", 1, "", OK);
    expect_import("another subject, incompatible", USES_DEP_A, DEP_V1, "dep", 1, USES_DEP_A,
                  DEP_V2_BREAK, "other", 1,
                  "FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    /* P12: the same local name in another package is the same type */
    expect_import("another package, same local name", USES_DEP_A, DEP_V1, "dep", 1,
                  P3("import \"dep.proto\";\nmessage M { dep2.A a = 1; }\n"),
                  P3("package dep2;\nmessage A { int32 x = 1; }\n"), "dep", 2, "", OK);
    expect_import("another package, incompatible definition", USES_DEP_A, DEP_V1, "dep", 1,
                  P3("import \"dep.proto\";\nmessage M { dep2.A a = 1; }\n"),
                  P3("package dep2;\nmessage A { string x = 1; }\n"), "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    expect_import("nested type in another package",
                  P3("import \"dep.proto\";\nmessage M { dep.Outer.A a = 1; }\n"),
                  P3("package dep;\nmessage Outer { message A { int32 x = 1; } }\n"), "dep", 1,
                  P3("import \"dep.proto\";\nmessage M { dep2.Outer.A a = 1; }\n"),
                  P3("package dep2;\nmessage Outer { message A { string x = 1; } }\n"), "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/Outer/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    /* another local name: a different type */
    expect_import("another local name", USES_DEP_A, DEP_V1, "dep", 1,
                  P3("import \"dep.proto\";\nmessage M { dep.B a = 1; }\n"),
                  P3("package dep;\nmessage B { int32 x = 1; }\n"), "dep", 2,
                  "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    /* P12: from the schema into an import: the field is fine, the removed type is not */
    expect_import("moved into an import", P3("message M { A a = 1; }\nmessage A { int32 x = 1; }\n"),
                  NULL, NULL, 0, P3("import \"dep.proto\";\nmessage M { dep.A a = 1; }\n"), DEP_V1,
                  "dep", 1, "MESSAGE_REMOVED@#/A", NO);
    expect_import("moved into an import, changed",
                  P3("message M { A a = 1; }\nmessage A { int32 x = 1; }\n"), NULL, NULL, 0,
                  P3("import \"dep.proto\";\nmessage M { dep.A a = 1; }\n"), DEP_V2_BREAK, "dep", 1,
                  "MESSAGE_REMOVED@#/A;FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1",
                  NO);
    expect_import("moved out of an import", USES_DEP_A, DEP_V1, "dep", 1,
                  P3("message M { A a = 1; }\nmessage A { int32 x = 1; }\n"), NULL, NULL, 0,
                  "MESSAGE_ADDED@#/A", OK);
    /* an imported enum is a general number */
    expect_import("imported enum", P3("import \"dep.proto\";\nmessage M { dep.E e = 1; }\n"),
                  P3("package dep;\nenum E { E0 = 0; }\n"), "dep", 1,
                  P3("import \"dep.proto\";\nmessage M { int64 e = 1; }\n"),
                  P3("package dep;\nenum E { E0 = 0; }\n"), "dep", 1, "", OK);
    /* a map whose value type is imported */
    expect_import("imported map value",
                  P3("import \"dep.proto\";\nmessage M { map<string, dep.A> m = 1; }\n"), DEP_V1,
                  "dep", 1, P3("import \"dep.proto\";\nmessage M { map<string, dep.A> m = 1; }\n"),
                  DEP_V2_BREAK, "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    /* a type used by several fields is compared for each */
    expect_import("used twice",
                  P3("import \"dep.proto\";\nmessage M { dep.A a = 1; dep.A b = 2; }\n"), DEP_V1,
                  "dep", 1, P3("import \"dep.proto\";\nmessage M { dep.A a = 1; dep.A b = 2; }\n"),
                  DEP_V2_BREAK, "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/1;"
                  "FIELD_SCALAR_KIND_CHANGED@#/A/1;FIELD_NAMED_TYPE_CHANGED@#/M/2",
                  NO);
    /* imported files' own top-level types are never listed */
    expect_import("type removed from the import only", USES_DEP_A,
                  P3("package dep;\nmessage A { int32 x = 1; }\nmessage Z {}\n"), "dep", 1,
                  USES_DEP_A, DEP_V1, "dep", 2, "", OK);
}
END_TEST

START_TEST(test_well_known_types)
{
    /* bundled files nobody registered have no reference: always recursed into, with
     * nothing to find */
    expect_row("timestamp", P3("import \"google/protobuf/timestamp.proto\";\n"
                               "message M { google.protobuf.Timestamp t = 1; }\n"),
               P3("import \"google/protobuf/timestamp.proto\";\n"
                  "message M { google.protobuf.Timestamp t = 1; int32 x = 2; }\n"),
               "FIELD_ADDED@#/M/2", OK, "FIELD_REMOVED@#/M/2", OK);
    expect_row("struct (recursive)", P3("import \"google/protobuf/struct.proto\";\n"
                                        "message M { google.protobuf.Struct s = 1; }\n"),
               P3("import \"google/protobuf/struct.proto\";\n"
                  "message M { google.protobuf.Struct s = 1; google.protobuf.Value v = 2; }\n"),
               "FIELD_ADDED@#/M/2", OK, "FIELD_REMOVED@#/M/2", OK);
    expect_row("timestamp -> duration", P3("import \"google/protobuf/timestamp.proto\";\n"
                                           "import \"google/protobuf/duration.proto\";\n"
                                           "message M { google.protobuf.Timestamp t = 1; }\n"),
               P3("import \"google/protobuf/timestamp.proto\";\n"
                  "import \"google/protobuf/duration.proto\";\n"
                  "message M { google.protobuf.Duration t = 1; }\n"),
               "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO, "FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    expect_row("int64 -> timestamp", P3("import \"google/protobuf/timestamp.proto\";\n"
                                        "message M { int64 t = 1; }\n"),
               P3("import \"google/protobuf/timestamp.proto\";\n"
                  "message M { google.protobuf.Timestamp t = 1; }\n"),
               "FIELD_KIND_CHANGED@#/M/1", NO, "FIELD_KIND_CHANGED@#/M/1", NO);
}
END_TEST

/* --- recursion ------------------------------------------------------------------------ */

START_TEST(test_recursion_terminates)
{
    expect_row("self-recursive local type", P3("message Node { Node next = 1; int32 v = 2; }\n"),
               P3("message Node { Node next = 1; string v = 2; }\n"),
               "FIELD_SCALAR_KIND_CHANGED@#/Node/2", NO, "FIELD_SCALAR_KIND_CHANGED@#/Node/2", NO);
    expect_row("mutually recursive local types",
               P3("message A { B b = 1; }\nmessage B { A a = 1; repeated A more = 2; }\n"),
               P3("message A { B b = 1; int32 n = 2; }\nmessage B { A a = 1; repeated A more = 2; }\n"),
               "FIELD_ADDED@#/A/2", OK, "FIELD_REMOVED@#/A/2", OK);
    /* through imports, where fields are recursed into */
    const char *v1 = P3("package dep;\nmessage Node { Node next = 1; int32 v = 2; }\n");
    const char *v2 = P3("package dep;\nmessage Node { Node next = 1; string v = 2; }\n");
    const char *m = P3("import \"dep.proto\";\nmessage M { dep.Node n = 1; }\n");
    expect_import("self-recursive imported type", m, v1, "dep", 1, m, v2, "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/Node/2;FIELD_NAMED_TYPE_CHANGED@#/M/1", NO);
    expect_import("self-recursive imported type, unchanged", m, v1, "dep", 1, m, v1, "dep", 2, "",
                  OK);
    const char *w1 = P3("package dep;\nmessage A { B b = 1; int32 v = 3; }\n"
                        "message B { A a = 1; map<string, A> m = 2; }\n");
    const char *w2 = P3("package dep;\nmessage A { B b = 1; sint32 v = 3; }\n"
                        "message B { A a = 1; map<string, A> m = 2; }\n");
    const char *mm = P3("import \"dep.proto\";\nmessage M { dep.A a = 1; dep.B b = 2; }\n");
    /* field 1: A's v changed (and B's fields lead back to A, on the stack: skipped);
     * field 2: B -> A (recursed: A's v), twice (a, and the map value) */
    expect_import("mutually recursive imported types", mm, w1, "dep", 1, mm, w2, "dep", 2,
                  "FIELD_SCALAR_KIND_CHANGED@#/A/3;FIELD_NAMED_TYPE_CHANGED@#/M/1;"
                  "FIELD_SCALAR_KIND_CHANGED@#/A/3;FIELD_NAMED_TYPE_CHANGED@#/B/1;"
                  "FIELD_SCALAR_KIND_CHANGED@#/A/3;FIELD_NAMED_TYPE_CHANGED@#/B/2;"
                  "FIELD_NAMED_TYPE_CHANGED@#/M/2",
                  NO);
}
END_TEST

START_TEST(test_many_references_stay_fast)
{
    /* A chain of 30 imported types, each with 4 fields of the next: 4^30 paths without
     * memoisation. */
    strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;
    strbuf_puts(&d1, "syntax = \"proto3\";\npackage dep;\n");
    strbuf_puts(&d2, "syntax = \"proto3\";\npackage dep;\n");
    for (int i = 0; i < 30; i++) {
        strbuf_printf(&d1, "message T%d { T%d a = 1; T%d b = 2; T%d c = 3; T%d d = 4; }\n", i, i + 1,
                      i + 1, i + 1, i + 1);
        strbuf_printf(&d2, "message T%d { T%d a = 1; T%d b = 2; T%d c = 3; T%d d = 4; }\n", i, i + 1,
                      i + 1, i + 1, i + 1);
    }
    strbuf_puts(&d1, "message T30 { int32 x = 1; }\n");
    strbuf_puts(&d2, "message T30 { int32 x = 1; int32 y = 2; }\n");
    const char *m = P3("import \"dep.proto\";\nmessage M { dep.T0 t = 1; }\n");
    sr_dep od[1] = {{"dep.proto", d1.data, "dep", 1}};
    sr_dep ud[1] = {{"dep.proto", d2.data, "dep", 2}};
    pb_schema *o = parse_deps(m, od, 1), *u = parse_deps(m, ud, 1);
    compat_issues is = {0};
    protobuf_compat_check(u, o, "new", "old", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_eq(is.n, 0); /* only FIELD_ADDED, many times */
    compat_issues_free(&is);
    protobuf_compat_differences(u, o, "new", "old", &is);
    ck_assert_uint_gt(is.n, 0);
    for (size_t i = 0; i < is.n; i++) {
        ck_assert_str_eq(is.items[i].type, "FIELD_ADDED");
        ck_assert_str_eq(is.items[i].path, "#/T30/2");
    }
    compat_issues_free(&is);
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(u);
    strbuf_free(&d1);
    strbuf_free(&d2);
}
END_TEST

START_TEST(test_large_schemas_stay_fast)
{
    /* 20000 enum constants (every other one renamed) and a message with 3000 oneofs
     * of two members each plus 3000 plain fields: no quadratic passes. */
    strbuf o = STRBUF_INIT, u = STRBUF_INIT;
    strbuf_puts(&o, "syntax = \"proto3\";\nenum E {\n");
    strbuf_puts(&u, "syntax = \"proto3\";\nenum E {\n");
    for (int i = 0; i < 20000; i++) {
        strbuf_printf(&o, "  V%d = %d;\n", i, i);
        strbuf_printf(&u, "  %s%d = %d;\n", i % 2 ? "W" : "V", i, i);
    }
    strbuf_puts(&o, "}\nmessage M {\n");
    strbuf_puts(&u, "}\nmessage M {\n");
    for (int i = 0; i < 3000; i++) {
        strbuf_printf(&o, "  oneof o%d { int32 a%d = %d; int32 b%d = %d; }\n", i, i, 2 * i + 1, i,
                      2 * i + 2);
        strbuf_printf(&u, "  oneof o%d { int32 a%d = %d; int32 b%d = %d; }\n", i, i, 2 * i + 1, i,
                      2 * i + 2);
        strbuf_printf(&o, "  int64 f%d = %d;\n", i, 10000 + i);
        strbuf_printf(&u, "  %s f%d = %d;\n", i == 1234 ? "string" : "int64", i, 10000 + i);
    }
    strbuf_puts(&o, "}\n");
    strbuf_puts(&u, "}\n");
    pb_schema *so = parse(o.data), *su = parse(u.data);
    compat_issues is = {0};
    /* 10000 constants changed, of which the list keeps the first 5000 compatible
     * differences; the incompatible one is kept regardless */
    protobuf_compat_differences(su, so, "new", "old", &is);
    ck_assert_uint_eq(is.n, 5001);
    size_t changed = 0;
    for (size_t i = 0; i < is.n; i++) changed += strcmp(is.items[i].type, "ENUM_CONST_CHANGED") == 0;
    ck_assert_uint_eq(changed, 5000);
    compat_issues_free(&is);
    protobuf_compat_check(su, so, "new", "old", COMPAT_POLICY_STRICT, &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].path, "#/M/11234");
    compat_issues_free(&is);
    pb_fmt_schema_free(so);
    pb_fmt_schema_free(su);
    strbuf_free(&o);
    strbuf_free(&u);
}
END_TEST

/* A chain of imported types T0 -> T1 -> ... -> T<n>, the last changed incompatibly. */
static void chain_check(int n, compat_issues *out)
{
    strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;
    strbuf_puts(&d1, "syntax = \"proto3\";\npackage dep;\n");
    strbuf_puts(&d2, "syntax = \"proto3\";\npackage dep;\n");
    for (int i = 0; i < n; i++) {
        strbuf_printf(&d1, "message T%d { T%d next = 1; }\n", i, i + 1);
        strbuf_printf(&d2, "message T%d { T%d next = 1; }\n", i, i + 1);
    }
    strbuf_printf(&d1, "message T%d { int32 x = 1; }\n", n);
    strbuf_printf(&d2, "message T%d { string x = 1; }\n", n);
    const char *m = P3("import \"dep.proto\";\nmessage M { dep.T0 t = 1; }\n");
    sr_dep od[1] = {{"dep.proto", d1.data, "dep", 1}};
    sr_dep ud[1] = {{"dep.proto", d2.data, "dep", 2}};
    pb_schema *o = parse_deps(m, od, 1), *u = parse_deps(m, ud, 1);
    protobuf_compat_check(u, o, "new", "old", COMPAT_POLICY_STRICT, out);
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(u);
    strbuf_free(&d1);
    strbuf_free(&d2);
}

START_TEST(test_deep_chains)
{
    compat_issues is = {0};
    chain_check(300, &is);
    /* the change, then FIELD_NAMED_TYPE_CHANGED at every link back to M */
    ck_assert_uint_eq(is.n, 302);
    ck_assert_str_eq(is.items[0].type, "FIELD_SCALAR_KIND_CHANGED");
    ck_assert_str_eq(is.items[0].path, "#/T300/1");
    ck_assert_str_eq(is.items[1].path, "#/T299/1");
    ck_assert_str_eq(is.items[301].path, "#/M/1");
    compat_issues_free(&is);
    /* beyond the nesting bound the check fails with one message instead of
     * exhausting the stack */
    chain_check(1200, &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "UNEXPECTED_EXCEPTION");
    ck_assert_str_eq(is.items[0].message, "Unexpected exception during compatibility check: the "
                                          "schemas are nested too deeply");
    compat_issues_free(&is);
}
END_TEST

/* --- nested scopes ---------------------------------------------------------------------- */

START_TEST(test_nested_scopes)
{
    expect_row("deep field", P3("message A { message B { message C { int32 x = 1; } } }\n"),
               P3("message A { message B { message C { int32 x = 1; string y = 3; } } }\n"),
               "FIELD_ADDED@#/A/B/C/3", OK, "FIELD_REMOVED@#/A/B/C/3", OK);
    expect_row("nested message moved to the top level",
               P3("message Outer { Inner i = 1; message Inner { int32 x = 1; } }\n"),
               P3("message Outer { Inner i = 1; }\nmessage Inner { int32 x = 1; }\n"),
               "MESSAGE_REMOVED@#/Outer/Inner;MESSAGE_ADDED@#/Inner;FIELD_NAMED_TYPE_CHANGED@#/Outer/1",
               NO,
               "MESSAGE_REMOVED@#/Inner;MESSAGE_ADDED@#/Outer/Inner;FIELD_NAMED_TYPE_CHANGED@#/Outer/1",
               NO);
    expect_row("nested messages reordered", P3("message M { message X {} message Y {} }\n"),
               P3("message M { message Y {} message X {} }\n"),
               "MESSAGE_MOVED@#/M/X;MESSAGE_MOVED@#/M/Y", OK, "MESSAGE_MOVED@#/M/X;MESSAGE_MOVED@#/M/Y",
               OK);
    expect_row("same simple name in two scopes",
               P3("message A { message S { int32 x = 1; } }\nmessage B { message S { int32 x = 1; } }\n"),
               P3("message A { message S { int32 x = 1; } }\nmessage B { message S { string x = 1; } }\n"),
               "FIELD_SCALAR_KIND_CHANGED@#/B/S/1", NO, "FIELD_SCALAR_KIND_CHANGED@#/B/S/1", NO);
    expect_row("nested enum added and removed", M3("enum X { X0 = 0; }"), M3("enum Y { Y0 = 0; }"),
               "ENUM_REMOVED@#/M/X;ENUM_ADDED@#/M/Y", OK, "ENUM_REMOVED@#/M/Y;ENUM_ADDED@#/M/X", OK);
    expect_row("nested with packages", P3("package a.b;\nmessage M { message N { int32 x = 1; } }\n"),
               P3("package a.b;\nmessage M { message N { int32 x = 2; } }\n"),
               "FIELD_REMOVED@#/M/N/1;FIELD_ADDED@#/M/N/2", OK,
               "FIELD_REMOVED@#/M/N/2;FIELD_ADDED@#/M/N/1", OK);
}
END_TEST

/* --- what wire's model does not have -------------------------------------------------- */

START_TEST(test_groups_are_invisible)
{
    /* proto2 groups are neither fields nor nested types in wire's model */
    expect_row("group changed", M2("optional group G = 1 { optional int32 x = 1; }"),
               M2("optional group G = 1 { optional string x = 1; }"), "", OK, "", OK);
    expect_row("group added", M2("optional int32 a = 1;"),
               M2("optional int32 a = 1; repeated group G = 2 { optional int32 x = 1; }"), "", OK,
               "", OK);
    expect_row("group does not shift message ordinals",
               M2("optional int32 a = 1; message N {}"),
               M2("optional int32 a = 1; optional group G = 2 { optional int32 x = 1; } message N {}"),
               "", OK, "", OK);
}
END_TEST

/* --- Confluent's order ------------------------------------------------------------------- */

START_TEST(test_confluent_order)
{
    /* The orders recorded in Confluent's own test data (diff-schema-examples.json): sibling
     * messages come in java.util.HashSet order, not declaration or name order. */
    expect_ordered_text(P3("message TestMessage { string s = 1; int32 i = 2; }\n"),
                        P3("message TestMessage { string s = 1; TestMessage2 i = 2; }\n"
                           "message TestMessage2 { string s1 = 1; }\n"),
                        "MESSAGE_ADDED@#/TestMessage2;FIELD_KIND_CHANGED@#/TestMessage/2",
                        "kind change to a new message");
    expect_ordered_text(P3("message TestMessage { string s = 1; TestMessage2 i = 2; }\n"
                           "message TestMessage2 { string s1 = 1; }\n"),
                        P3("message TestMessage { string s = 1; TestMessage3 i = 2; }\n"
                           "message TestMessage3 { string s1 = 1; }\n"),
                        "MESSAGE_REMOVED@#/TestMessage2;MESSAGE_ADDED@#/TestMessage3;"
                        "FIELD_NAMED_TYPE_CHANGED@#/TestMessage/2",
                        "named type change");
    expect_ordered_text(P3("message TestMessage { string s = 1; int32 i = 2; }\n"),
                        P3("message TestMessage { string s = 1; .TestMessage.Status i = 2;\n"
                           "  message Status { string s = 1; } }\n"
                           "enum Status { ACTIVE = 0; INACTIVE = 1; }\n"),
                        "FIELD_KIND_CHANGED@#/TestMessage/2;MESSAGE_ADDED@#/TestMessage/Status;"
                        "ENUM_ADDED@#/Status",
                        "messages before enums, fields before nested types");
    expect_ordered_text(P3("message TestMessage { string s = 1; }\n"),
                        P3("message TestMessage2 { string s = 1; }\n"
                           "message TestMessage { string s = 1; }\n"),
                        "MESSAGE_ADDED@#/TestMessage2;MESSAGE_MOVED@#/TestMessage", "index change");
    expect_ordered_text(P3("message TestMessage { string s = 1; }\n"
                           "message TestMessage2 { string s = 1; }\n"),
                        P3("message TestMessage2 { string s = 1; }\n"
                           "message TestMessage { string s = 1; }\n"),
                        "MESSAGE_MOVED@#/TestMessage2;MESSAGE_MOVED@#/TestMessage", "swap");
    /* within a message: oneof checks, oneof names sorted, then fields by number */
    expect_ordered_text(M3("string a = 1; oneof x { string b = 2; string c = 3; }"),
                        M3("oneof y { string a = 1; string b = 2; string c = 3; } int32 d = 4;"),
                        "FIELD_MOVED_TO_EXISTING_ONEOF@#/M/y;ONEOF_REMOVED@#/M/x;ONEOF_ADDED@#/M/y;"
                        "FIELD_ADDED@#/M/4",
                        "oneofs then fields");
    expect_ordered_text(M3("int32 c = 3; int32 a = 1; oneof z { int32 q = 9; } oneof b { int32 r = 8; }"),
                        M3("int32 b = 2; int32 d = 4;"),
                        "ONEOF_REMOVED@#/M/b;ONEOF_REMOVED@#/M/z;FIELD_REMOVED@#/M/1;"
                        "FIELD_ADDED@#/M/2;FIELD_REMOVED@#/M/3;FIELD_ADDED@#/M/4",
                        "fields by number");
}
END_TEST

/* Names whose order needs the HashMaps to resize, a bucket shared by two names ("Aa"
 * and "BB" have the same String.hashCode), and the original-set sizes where the
 * HashSet's initial table differs between JDK releases (12 and 24 names; we follow
 * JDK 17). The expected orders were produced by JDK 17 running the HashMap/HashSet
 * operations of Confluent's SchemaDiff.compareTypeElements on the same names
 * (R/A/M: MESSAGE_REMOVED/ADDED/MOVED). Bins of 9+ names sharing a bucket in tables
 * of 64+ (Java makes them trees) are not reproduced: see protobuf_compat.c. */
static void expect_java_order(const char *const *onames, size_t no, const char *const *unames,
                              size_t nu, const char *want)
{
    strbuf o = STRBUF_INIT, u = STRBUF_INIT;
    strbuf_puts(&o, "syntax = \"proto3\";\n");
    strbuf_puts(&u, "syntax = \"proto3\";\n");
    for (size_t i = 0; i < no; i++) strbuf_printf(&o, "message %s {}\n", onames[i]);
    for (size_t i = 0; i < nu; i++) strbuf_printf(&u, "message %s {}\n", unames[i]);
    pb_schema *so = parse(o.data), *su = parse(u.data);
    compat_issues is = {0};
    protobuf_compat_differences(su, so, "new", "old", &is);
    strbuf got = STRBUF_INIT;
    for (size_t i = 0; i < is.n; i++)
        strbuf_printf(&got, "%s%c:%s", got.len ? " " : "", is.items[i].type[8],
                      is.items[i].path + 2);
    compat_issues_free(&is);
    ck_assert_str_eq(got.data ? got.data : "", want);
    strbuf_free(&got);
    pb_fmt_schema_free(so);
    pb_fmt_schema_free(su);
    strbuf_free(&o);
    strbuf_free(&u);
}

START_TEST(test_hashset_order_many_names)
{
    char names[64][16];
    const char *o[32], *u[32];
    size_t no = 0, nu = 0, k = 0;
    for (int i = 0; i <= 12; i++) snprintf(names[k], 16, "Msg%d", i), o[no++] = names[k++];
    for (int i = 5; i <= 20; i++) snprintf(names[k], 16, "Msg%d", i), u[nu++] = names[k++];
    u[nu++] = "Aa";
    u[nu++] = "BB";
    expect_java_order(o, no, u, nu,
                      "A:Aa A:BB R:Msg0 A:Msg20 M:Msg5 M:Msg12 M:Msg6 A:Msg13 M:Msg7 M:Msg10 "
                      "M:Msg8 M:Msg11 R:Msg1 A:Msg16 R:Msg2 A:Msg17 R:Msg3 A:Msg14 R:Msg4 "
                      "A:Msg15 A:Msg18 A:Msg19 M:Msg9");

    /* 12 original names and no new ones: JDK 17 sizes the HashSet's table 32, JDK 19+
     * 16, which orders T10 differently ("... M:T6 M:T10 M:T7 ..." on JDK 25) */
    no = nu = k = 0;
    for (int i = 0; i < 12; i++) snprintf(names[k], 16, "T%d", i), o[no++] = names[k++];
    for (int i = 11; i >= 6; i--) u[nu++] = o[i];
    expect_java_order(o, no, u, nu,
                      "R:T4 R:T5 M:T6 M:T7 M:T8 M:T9 M:T10 M:T11 R:T0 R:T1 R:T2 R:T3");

    no = nu = k = 0;
    for (int i = 0; i < 24; i++) snprintf(names[k], 16, "Type%c", 'A' + i), o[no++] = names[k++];
    u[nu++] = "Zed";
    expect_java_order(o, no, u, nu,
                      "R:TypeR R:TypeS R:TypeT R:TypeU R:TypeV R:TypeW R:TypeX R:TypeJ R:TypeK "
                      "R:TypeL R:TypeM R:TypeN R:TypeO R:TypeP R:TypeQ R:TypeB R:TypeC R:TypeD "
                      "R:TypeE R:TypeF R:TypeG R:TypeH R:TypeI A:Zed R:TypeA");
}
END_TEST

/* --- message texts --------------------------------------------------------------------- */

/* The single incompatible message of diff(old, new) with labels (rl, wl). */
static char *only_message(const char *old_text, const char *new_text, const char *rl,
                          const char *wl)
{
    pb_schema *o = parse(old_text), *n = parse(new_text);
    compat_issues is = {0};
    protobuf_compat_check(n, o, rl, wl, COMPAT_POLICY_STRICT, &is);
    ck_assert_msg(is.n == 1, "expected one issue, got %zu", is.n);
    char *m = xstrdup(is.items[0].message);
    compat_issues_free(&is);
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(n);
    return m;
}

static void expect_message(const char *old_text, const char *new_text, const char *want)
{
    char *m = only_message(old_text, new_text, "new", "old");
    ck_assert_str_eq(m, want);
    free(m);
}

START_TEST(test_message_texts)
{
    expect_message(P3("package a;\n"), P3("package b;\n"),
                   "{errorType:\"PACKAGE_CHANGED\", description:\"The package at '#/' in the new "
                   "schema does not match the package in the old schema\"}");
    expect_message(P3("message N {}\n"), P3(""),
                   "{errorType:\"MESSAGE_REMOVED\", description:\"The new schema is missing a "
                   "MESSAGE type at path '#/N' in the old schema\"}");
    expect_message(M3("int32 a = 1;"), M3("map<int32, int32> a = 1;"),
                   "{errorType:\"FIELD_KIND_CHANGED\", description:\"The type of a field at path "
                   "'#/M/1' in the new schema does not match the old schema\"}");
    expect_message(M3("int32 a = 1;"), M3("double a = 1;"),
                   "{errorType:\"FIELD_SCALAR_KIND_CHANGED\", description:\"The kind of a SCALAR "
                   "field at path '#/M/1' in the new schema does not match its kind in the old "
                   "schema\"}");
    expect_message(M3("A a = 1;") MSG_A MSG_B, M3("B a = 1;") MSG_A MSG_B,
                   "{errorType:\"FIELD_NAMED_TYPE_CHANGED\", description:\"The type of a MESSAGE "
                   "field at path '#/M/1' in the new schema does not match its type in the old "
                   "schema\"}");
    expect_message(M2("optional int32 a = 1;"), M2("repeated int32 a = 1;"),
                   "{errorType:\"FIELD_NUMERIC_LABEL_CHANGED\", description:\"The label for a "
                   "NUMERIC field at path '#/M/1' in the new schema does not match its label in "
                   "the old schema\"}");
    expect_message(M2(""), M2("required int32 a = 1;"),
                   "{errorType:\"REQUIRED_FIELD_ADDED\", description:\"A required field  at path "
                   "'#/M/1' in the new schema is missing in the old schema\"}");
    expect_message(M2("required int32 a = 1;"), M2(""),
                   "{errorType:\"REQUIRED_FIELD_REMOVED\", description:\"The new schema is missing "
                   "a required field at path: '#/M/1' in the old schema\"}");
    expect_message(M3("oneof o { int32 a = 1; int32 b = 2; }"), M3("oneof o { int32 a = 1; }"),
                   "{errorType:\"ONEOF_FIELD_REMOVED\", description:\"The new schema is missing a "
                   "oneof field at path '#/M/o/2' in the old schema\"}");
    expect_message(M3("int32 a = 1; int32 b = 2;"), M3("oneof o { int32 a = 1; int32 b = 2; }"),
                   "{errorType:\"MULTIPLE_FIELDS_MOVED_TO_ONEOF\", description:\"Multiple fields "
                   "in the oneof at path '#/M/o' in the new schema are outside a oneof in the old "
                   "schema\"}");
    expect_message(M3("int32 a = 1; oneof o { int32 b = 2; }"),
                   M3("oneof o { int32 a = 1; int32 b = 2; }"),
                   "{errorType:\"FIELD_MOVED_TO_EXISTING_ONEOF\", description:\"A field in the "
                   "oneof at path '#/M/o' in the new schema is outside an existing oneof in the old "
                   "schema\"}");
    /* forward labels: reader old, writer new */
    pb_schema *o = parse(P3("")), *n = parse(P3("message N {}\n"));
    compat_issues is = {0};
    protobuf_compat_check(o, n, "old", "new", COMPAT_POLICY_STRICT, &is); /* reader old, writer new */
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "MESSAGE_REMOVED");
    ck_assert_str_eq(is.items[0].path, "#/N");
    ck_assert_str_eq(is.items[0].message,
                     "{errorType:\"MESSAGE_REMOVED\", description:\"The old schema is missing a "
                     "MESSAGE type at path '#/N' in the new schema\"}");
    compat_issues_free(&is);
    /* compatible differences render with an empty description (full list only) */
    protobuf_compat_differences(n, o, "new", "old", &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].message, "{errorType:\"MESSAGE_ADDED\", description:\"\"}");
    compat_issues_free(&is);
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(n);
}
END_TEST

START_TEST(test_only_incompatible_become_messages)
{
    pb_schema *o = parse(M2("optional int32 a = 1; optional string s = 3;") "message X {}\n");
    pb_schema *n = parse(M2("optional int32 b = 1; required int32 c = 2;") "enum E { E0 = 0; }\n");
    compat_issues all = {0}, bad = {0};
    protobuf_compat_differences(n, o, "new", "old", &all);
    protobuf_compat_check(n, o, "new", "old", COMPAT_POLICY_STRICT, &bad);
    size_t n_incompatible = 0;
    for (size_t i = 0; i < all.n; i++) {
        int c = protobuf_compat_type_compatible(all.items[i].type);
        ck_assert_int_ge(c, 0);
        if (!c) {
            ck_assert_uint_lt(n_incompatible, bad.n);
            ck_assert_str_eq(bad.items[n_incompatible].type, all.items[i].type);
            ck_assert_str_eq(bad.items[n_incompatible].path, all.items[i].path);
            ck_assert_str_eq(bad.items[n_incompatible].message, all.items[i].message);
            n_incompatible++;
        }
    }
    ck_assert_uint_eq(n_incompatible, bad.n);
    ck_assert_uint_eq(bad.n, 2); /* REQUIRED_FIELD_ADDED, MESSAGE_REMOVED */
    compat_issues_free(&all);
    compat_issues_free(&bad);
    pb_fmt_schema_free(o);
    pb_fmt_schema_free(n);
}
END_TEST

START_TEST(test_compatible_set)
{
    static const char *const compatible[] = {
        "MESSAGE_ADDED",     "MESSAGE_MOVED",        "ENUM_ADDED",
        "ENUM_REMOVED",      "ENUM_CONST_ADDED",     "ENUM_CONST_CHANGED",
        "ENUM_CONST_REMOVED", "FIELD_ADDED",         "FIELD_REMOVED",
        "FIELD_NAME_CHANGED", "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
        "ONEOF_ADDED",       "ONEOF_REMOVED",        "ONEOF_FIELD_ADDED",
        "ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
    };
    static const char *const incompatible[] = {
        "PACKAGE_CHANGED",          "MESSAGE_REMOVED",          "FIELD_KIND_CHANGED",
        "FIELD_SCALAR_KIND_CHANGED", "FIELD_NAMED_TYPE_CHANGED", "FIELD_NUMERIC_LABEL_CHANGED",
        "REQUIRED_FIELD_ADDED",     "REQUIRED_FIELD_REMOVED",   "ONEOF_FIELD_REMOVED",
        "MULTIPLE_FIELDS_MOVED_TO_ONEOF", "FIELD_MOVED_TO_EXISTING_ONEOF",
    };
    ck_assert_uint_eq(sizeof compatible / sizeof *compatible, 15);
    ck_assert_uint_eq(sizeof incompatible / sizeof *incompatible, 11);
    for (size_t i = 0; i < 15; i++) ck_assert_int_eq(protobuf_compat_type_compatible(compatible[i]), 1);
    for (size_t i = 0; i < 11; i++)
        ck_assert_int_eq(protobuf_compat_type_compatible(incompatible[i]), 0);
    ck_assert_int_eq(protobuf_compat_type_compatible("TYPE_MISMATCH"), -1);
}
END_TEST

/* --- compat_check at every level ---------------------------------------------------- */

static const sr_format pb_fmt = {.type = "PROTOBUF"};

typedef struct history {
    pb_schema *schemas[8];
    compat_prev prev[8];
    size_t n;
} history;

static void add_version(history *h, int version, const char *text)
{
    ck_assert_uint_lt(h->n, 8);
    h->schemas[h->n] = parse(text);
    h->prev[h->n] = (compat_prev){&pb_fmt, h->schemas[h->n], version, text};
    h->n++;
}

static void history_free(history *h)
{
    for (size_t i = 0; i < h->n; i++) pb_fmt_schema_free(h->schemas[i]);
    h->n = 0;
}

/* "m1 | m2 | ..." of compat_check, or "OK". */
static char *check_level(compat_level level, const history *h, const char *candidate)
{
    pb_schema *c = parse(candidate);
    compat_result r;
    ck_assert_int_eq(compat_check(level, &pb_fmt, c, h->prev, h->n, &r), 0);
    strbuf sb = STRBUF_INIT;
    if (r.compatible) {
        ck_assert_uint_eq(r.n_messages, 0);
        strbuf_puts(&sb, "OK");
    }
    for (size_t i = 0; i < r.n_messages; i++)
        strbuf_printf(&sb, "%s%s", i ? " | " : "", r.messages[i]);
    compat_result_free(&r);
    pb_fmt_schema_free(c);
    return strbuf_take(&sb);
}

static void expect_level(compat_level level, const history *h, const char *candidate,
                         const char *want)
{
    char *got = check_level(level, h, candidate);
    ck_assert_msg(strcmp(got, want) == 0, "%s:\n  want %s\n  got  %s", compat_level_name(level),
                  want, got);
    free(got);
}

#define V1 M2("optional int32 a = 1;")
#define V2_REQ M2("optional int32 a = 1; required int32 b = 2;")
#define V_ONEOF1 M3("oneof o { int32 a = 1; }")
#define V_ONEOF2 M3("oneof o { int32 a = 1; string b = 2; }")

#define MSG_REQ_ADDED(r, w)                                                                      \
    "{errorType:\"REQUIRED_FIELD_ADDED\", description:\"A required field  at path '#/M/2' in "  \
    "the " r " schema is missing in the " w " schema\"}"
#define MSG_REQ_REMOVED(r, w)                                                                    \
    "{errorType:\"REQUIRED_FIELD_REMOVED\", description:\"The " r " schema is missing a "       \
    "required field at path: '#/M/2' in the " w " schema\"}"
#define MSG_ONEOF_REMOVED(r, w)                                                                  \
    "{errorType:\"ONEOF_FIELD_REMOVED\", description:\"The " r " schema is missing a oneof "    \
    "field at path '#/M/o/2' in the " w " schema\"}"

START_TEST(test_levels)
{
    history h = {0};
    add_version(&h, 1, V1);
    /* required field added: fails both ways */
    expect_level(COMPAT_NONE, &h, V2_REQ, "OK");
    expect_level(COMPAT_BACKWARD, &h, V2_REQ,
                 MSG_REQ_ADDED("new", "old") " | {oldSchemaVersion: 1} | {oldSchema: '" V1
                                             "'} | {validateFields: 'false', compatibility: "
                                             "'BACKWARD'}");
    expect_level(COMPAT_FORWARD, &h, V2_REQ,
                 MSG_REQ_REMOVED("old", "new") " | {oldSchemaVersion: 1} | {oldSchema: '" V1
                                               "'} | {validateFields: 'false', compatibility: "
                                               "'FORWARD'}");
    /* FULL: the forward half first, without the schema entries */
    expect_level(COMPAT_FULL, &h, V2_REQ,
                 MSG_REQ_REMOVED("old", "new") " | " MSG_REQ_ADDED(
                     "new", "old") " | {oldSchemaVersion: 1} | {oldSchema: '" V1
                                   "'} | {validateFields: 'false', compatibility: 'FULL'}");
    history_free(&h);

    /* a oneof member added: backward fine, forward not */
    add_version(&h, 3, V_ONEOF1);
    expect_level(COMPAT_BACKWARD, &h, V_ONEOF2, "OK");
    expect_level(COMPAT_FORWARD, &h, V_ONEOF2,
                 MSG_ONEOF_REMOVED("old", "new") " | {oldSchemaVersion: 3} | {oldSchema: '" V_ONEOF1
                                                 "'} | {validateFields: 'false', compatibility: "
                                                 "'FORWARD'}");
    expect_level(COMPAT_FULL, &h, V_ONEOF2,
                 MSG_ONEOF_REMOVED("old", "new") " | {validateFields: 'false', compatibility: "
                                                 "'FULL'}");
    expect_level(COMPAT_FULL_TRANSITIVE, &h, V_ONEOF2,
                 MSG_ONEOF_REMOVED("old", "new") " | {validateFields: 'false', compatibility: "
                                                 "'FULL_TRANSITIVE'}");
    /* and the other way round */
    history_free(&h);
    add_version(&h, 1, V_ONEOF2);
    expect_level(COMPAT_FORWARD, &h, V_ONEOF1, "OK");
    expect_level(COMPAT_BACKWARD, &h, V_ONEOF1,
                 MSG_ONEOF_REMOVED("new", "old") " | {oldSchemaVersion: 1} | {oldSchema: '" V_ONEOF2
                                                 "'} | {validateFields: 'false', compatibility: "
                                                 "'BACKWARD'}");
    expect_level(COMPAT_FULL, &h, V_ONEOF1,
                 MSG_ONEOF_REMOVED("new", "old") " | {oldSchemaVersion: 1} | {oldSchema: '" V_ONEOF2
                                                 "'} | {validateFields: 'false', compatibility: "
                                                 "'FULL'}");
    history_free(&h);
}
END_TEST

#define T1 M3("int32 a = 1;") "message N {}\n"
#define T2 M3("int32 a = 1;")
#define T3 M3("int32 a = 1; int32 b = 2;")

START_TEST(test_transitive_levels)
{
    /* v1 has N, v2 dropped it (registered under NONE, say); candidate adds a field */
    history h = {0};
    add_version(&h, 1, T1);
    add_version(&h, 2, T2);
    expect_level(COMPAT_BACKWARD, &h, T3, "OK");
    expect_level(COMPAT_BACKWARD_TRANSITIVE, &h, T3,
                 "{errorType:\"MESSAGE_REMOVED\", description:\"The new schema is missing a MESSAGE "
                 "type at path '#/N' in the old schema\"} | {oldSchemaVersion: 1} | {oldSchema: '" T1
                 "'} | {validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}");
    expect_level(COMPAT_FORWARD_TRANSITIVE, &h, T3, "OK");
    expect_level(COMPAT_FULL_TRANSITIVE, &h, T3,
                 "{errorType:\"MESSAGE_REMOVED\", description:\"The new schema is missing a MESSAGE "
                 "type at path '#/N' in the old schema\"} | {oldSchemaVersion: 1} | {oldSchema: '" T1
                 "'} | {validateFields: 'false', compatibility: 'FULL_TRANSITIVE'}");
    /* P17 under FORWARD: adding a message type is not forward compatible */
    expect_level(COMPAT_FORWARD_TRANSITIVE, &h, T1,
                 "{errorType:\"MESSAGE_REMOVED\", description:\"The old schema is missing a MESSAGE "
                 "type at path '#/N' in the new schema\"} | {oldSchemaVersion: 2} | {oldSchema: '" T2
                 "'} | {validateFields: 'false', compatibility: 'FORWARD_TRANSITIVE'}");
    history_free(&h);
}
END_TEST

START_TEST(test_other_schema_type)
{
    /* a previous version of another type fails without running the checker */
    static const sr_format other = {.type = "AVRO"};
    pb_schema *p = parse(V1), *c = parse(V1);
    compat_prev prev = {&other, NULL, 1, "\"int\""};
    compat_result r;
    ck_assert_int_eq(compat_check(COMPAT_BACKWARD, &pb_fmt, c, &prev, 1, &r), 0);
    ck_assert_int_eq(r.compatible, 0);
    ck_assert_str_eq(r.messages[0], "Incompatible because of different schema type");
    compat_result_free(&r);
    ck_assert(compat_checker_for(&pb_fmt) == protobuf_compat_check);
    pb_fmt_schema_free(p);
    pb_fmt_schema_free(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pb_compat");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_rules_table, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_loop_test(tc, test_scalar_groups, 0, (int)(N_SCALARS * N_SCALARS));
    tcase_add_test(tc, test_enums_are_general_numbers);
    tcase_add_test(tc, test_maps);
    tcase_add_test(tc, test_imported_types);
    tcase_add_test(tc, test_well_known_types);
    tcase_add_test(tc, test_recursion_terminates);
    tcase_add_test(tc, test_many_references_stay_fast);
    tcase_add_test(tc, test_large_schemas_stay_fast);
    tcase_add_test(tc, test_deep_chains);
    tcase_add_test(tc, test_nested_scopes);
    tcase_add_test(tc, test_groups_are_invisible);
    tcase_add_test(tc, test_confluent_order);
    tcase_add_test(tc, test_hashset_order_many_names);
    tcase_add_test(tc, test_message_texts);
    tcase_add_test(tc, test_only_incompatible_become_messages);
    tcase_add_test(tc, test_compatible_set);
    tcase_add_test(tc, test_levels);
    tcase_add_test(tc, test_transitive_levels);
    tcase_add_test(tc, test_other_schema_type);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
