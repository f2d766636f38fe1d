/*
 * Unit tests for the Avro reader/writer checker (compat/avro_compat.c).
 *
 * Every row A1-A27 of compat.md §2.3 runs in both directions: BACKWARD (reader =
 * new, writer = old) and FORWARD (reader = old, writer = new), asserting the exact
 * list of (type, location) pairs in Avro-Java's order. Then the message texts,
 * recursion, and the quirks of Java's checker we copy on purpose.
 *
 * Schemas are written with single quotes for readability; q() turns them into JSON.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/strbuf.h"
#include "../../compat/compat.h"
#include "../../formats/avro/avro_format.h"

/* ' -> " */
static char *q(const char *s)
{
    char *out = xstrdup(s);
    for (char *p = out; *p; p++)
        if (*p == '\'') *p = '"';
    return out;
}

static avro_schema *parse(const char *text)
{
    char *json = q(text);
    sr_error err = {0};
    avro_schema *s = avro_fmt_parse(json, strlen(json), NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "parse failed: %s\n  schema: %s", err.msg, json);
    free(json);
    return s;
}

static void check_issues(const char *reader, const char *writer, const char *rl, const char *wl,
                         compat_issues *out)
{
    avro_schema *r = parse(reader), *w = parse(writer);
    avro_compat_check(r, w, rl, wl, COMPAT_POLICY_STRICT, out);
    avro_fmt_schema_free(r);
    avro_fmt_schema_free(w);
}

/* "TYPE@path;TYPE@path" in the checker's order ("" = compatible). */
static char *summary(const char *reader, const char *writer)
{
    compat_issues is = {0};
    check_issues(reader, writer, "new", "old", &is);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < is.n; i++)
        strbuf_printf(&sb, "%s%s@%s", i ? ";" : "", is.items[i].type, is.items[i].path);
    compat_issues_free(&is);
    return strbuf_take(&sb);
}

static void expect(const char *reader, const char *writer, const char *want, const char *what)
{
    char *got = summary(reader, writer);
    ck_assert_msg(strcmp(got, want) == 0, "%s:\n  reader %s\n  writer %s\n  want [%s]\n  got  [%s]",
                  what, reader, writer, want, got);
    free(got);
}

/* The single message of a pair checked with labels ("new","old"). */
static char *only_message(const char *reader, const char *writer)
{
    compat_issues is = {0};
    check_issues(reader, writer, "new", "old", &is);
    ck_assert_msg(is.n == 1, "expected one issue, got %zu", is.n);
    char *m = xstrdup(is.items[0].message);
    compat_issues_free(&is);
    return m;
}

/* --- the rules table ----------------------------------------------------------- */

#define REC(fields) "{'type':'record','name':'R','namespace':'ns','fields':[" fields "]}"
#define FA_INT "{'name':'a','type':'int'}"

#define RFMDV "READER_FIELD_MISSING_DEFAULT_VALUE"
#define TM "TYPE_MISMATCH"
#define MUB "MISSING_UNION_BRANCH"
#define MES "MISSING_ENUM_SYMBOLS"
#define NM "NAME_MISMATCH"
#define FSM "FIXED_SIZE_MISMATCH"

typedef struct row {
    const char *id;
    const char *old_schema, *new_schema;
    const char *backward; /* reader new, writer old */
    const char *forward;  /* reader old, writer new */
} row;

#define ENUM_ABC "{'type':'enum','name':'E','symbols':['A','B','C']}"
#define ENUM_AB "{'type':'enum','name':'E','symbols':['A','B']}"
#define ENUM_AB_DEF "{'type':'enum','name':'E','symbols':['A','B'],'default':'A'}"

static const row rows[] = {
    {"A1 add field with default", REC(FA_INT),
     REC(FA_INT ",{'name':'b','type':'string','default':'x'}"), "", ""},
    {"A2 add field without default", REC(FA_INT), REC(FA_INT ",{'name':'b','type':'string'}"),
     RFMDV "@/fields/1", ""},
    {"A3 remove field with default", REC(FA_INT ",{'name':'b','type':'string','default':'x'}"),
     REC(FA_INT), "", ""},
    {"A4 remove field without default", REC(FA_INT ",{'name':'b','type':'string'}"), REC(FA_INT),
     "", RFMDV "@/fields/1"},
    {"A5 change default", REC("{'name':'a','type':'int','default':1}"),
     REC("{'name':'a','type':'int','default':2}"), "", ""},
    {"A5 add default", REC(FA_INT), REC("{'name':'a','type':'int','default':0}"), "", ""},
    {"A5 remove default", REC("{'name':'a','type':'int','default':0}"), REC(FA_INT), "", ""},
    {"A6 rename with alias", REC(FA_INT), REC("{'name':'b','type':'int','aliases':['a']}"), "",
     RFMDV "@/fields/0"},
    {"A6 rename with alias, old had default", REC("{'name':'a','type':'int','default':0}"),
     REC("{'name':'b','type':'int','aliases':['a']}"), "", ""},
    {"A7 rename without alias", REC(FA_INT), REC("{'name':'b','type':'int'}"), RFMDV "@/fields/0",
     RFMDV "@/fields/0"},
    {"A7 rename, new has default", REC(FA_INT), REC("{'name':'b','type':'int','default':0}"), "",
     RFMDV "@/fields/0"},
    {"A7 rename, old had default", REC("{'name':'a','type':'int','default':0}"),
     REC("{'name':'b','type':'int'}"), RFMDV "@/fields/0", ""},
    {"A8 reorder fields", REC(FA_INT ",{'name':'b','type':'string'}"),
     REC("{'name':'b','type':'string'}," FA_INT), "", ""},
    {"A9 int->long", REC(FA_INT), REC("{'name':'a','type':'long'}"), "", TM "@/fields/0/type"},
    {"A9 int->float", REC(FA_INT), REC("{'name':'a','type':'float'}"), "", TM "@/fields/0/type"},
    {"A9 int->double", REC(FA_INT), REC("{'name':'a','type':'double'}"), "", TM "@/fields/0/type"},
    {"A9 long->float", REC("{'name':'a','type':'long'}"), REC("{'name':'a','type':'float'}"), "",
     TM "@/fields/0/type"},
    {"A9 long->double", REC("{'name':'a','type':'long'}"), REC("{'name':'a','type':'double'}"), "",
     TM "@/fields/0/type"},
    {"A9 float->double", REC("{'name':'a','type':'float'}"), REC("{'name':'a','type':'double'}"),
     "", TM "@/fields/0/type"},
    {"A10 long->int", REC("{'name':'a','type':'long'}"), REC(FA_INT), TM "@/fields/0/type", ""},
    {"A10 double->float", REC("{'name':'a','type':'double'}"), REC("{'name':'a','type':'float'}"),
     TM "@/fields/0/type", ""},
    {"A10 double->int", "'double'", "'int'", TM "@/", ""},
    {"A11 string->bytes", REC("{'name':'a','type':'string'}"), REC("{'name':'a','type':'bytes'}"),
     "", ""},
    {"A11 bytes->string", "'bytes'", "'string'", "", ""},
    {"A12 int->string", REC(FA_INT), REC("{'name':'a','type':'string'}"), TM "@/fields/0/type",
     TM "@/fields/0/type"},
    {"A12 record->map", REC("{'name':'a','type':{'type':'record','name':'X','fields':[]}}"),
     REC("{'name':'a','type':{'type':'map','values':'int'}}"), TM "@/fields/0/type",
     TM "@/fields/0/type"},
    {"A12 array->map", "{'type':'array','items':'int'}", "{'type':'map','values':'int'}", TM "@/",
     TM "@/"},
    {"A12 enum->string", REC("{'name':'a','type':" ENUM_AB "}"),
     REC("{'name':'a','type':'string'}"), TM "@/fields/0/type", TM "@/fields/0/type"},
    {"A12 fixed->bytes", "{'type':'fixed','name':'F','size':4}", "'bytes'", TM "@/", TM "@/"},
    {"A12 null->boolean", "'null'", "'boolean'", TM "@/", TM "@/"},
    {"A13 T -> union with T", REC("{'name':'a','type':'string'}"),
     REC("{'name':'a','type':['null','string']}"), "", TM "@/fields/0/type/0"},
    {"A14 union -> one branch", REC("{'name':'a','type':['null','string']}"),
     REC("{'name':'a','type':'string'}"), TM "@/fields/0/type/0", ""},
    {"A15 add union branch", REC("{'name':'a','type':['null','string']}"),
     REC("{'name':'a','type':['null','string','int']}"), "", MUB "@/fields/0/type/2"},
    {"A16 remove union branch", REC("{'name':'a','type':['null','string','int']}"),
     REC("{'name':'a','type':['null','string']}"), MUB "@/fields/0/type/2", ""},
    {"A17 reorder union branches", REC("{'name':'a','type':['null','string']}"),
     REC("{'name':'a','type':['string','null']}"), "", ""},
    {"A18 enum add symbol", REC("{'name':'a','type':" ENUM_AB "}"),
     REC("{'name':'a','type':" ENUM_ABC "}"), "", MES "@/fields/0/type/symbols"},
    {"A18 enum add symbol, old has default", REC("{'name':'a','type':" ENUM_AB_DEF "}"),
     REC("{'name':'a','type':" ENUM_ABC "}"), "", ""},
    {"A19 enum remove symbol", REC("{'name':'a','type':" ENUM_ABC "}"),
     REC("{'name':'a','type':" ENUM_AB "}"), MES "@/fields/0/type/symbols", ""},
    {"A19 enum remove symbol, new has default", REC("{'name':'a','type':" ENUM_ABC "}"),
     REC("{'name':'a','type':" ENUM_AB_DEF "}"), "", ""},
    {"A20 enum add default", REC("{'name':'a','type':" ENUM_AB "}"),
     REC("{'name':'a','type':" ENUM_AB_DEF "}"), "", ""},
    {"A20 enum remove default", REC("{'name':'a','type':" ENUM_AB_DEF "}"),
     REC("{'name':'a','type':" ENUM_AB "}"), "", ""},
    {"A21 rename record", REC(FA_INT),
     "{'type':'record','name':'S','namespace':'ns','fields':[" FA_INT "]}", NM "@/name",
     NM "@/name"},
    {"A21 rename nested enum", REC("{'name':'a','type':" ENUM_AB "}"),
     REC("{'name':'a','type':{'type':'enum','name':'E2','symbols':['A','B']}}"),
     NM "@/fields/0/type/name", NM "@/fields/0/type/name"},
    {"A21 rename fixed", "{'type':'fixed','name':'F','size':4}",
     "{'type':'fixed','name':'G','size':4}", NM "@/name", NM "@/name"},
    {"A22 rename with full-name alias", REC(FA_INT),
     "{'type':'record','name':'S','namespace':'ns','aliases':['ns.R'],'fields':[" FA_INT "]}", "",
     NM "@/name"},
    {"A22 rename with relative alias", REC(FA_INT),
     "{'type':'record','name':'S','namespace':'ns','aliases':['R'],'fields':[" FA_INT "]}", "",
     NM "@/name"},
    {"A22 alias naming another namespace does not match", REC(FA_INT),
     "{'type':'record','name':'S','namespace':'ns','aliases':['other.R'],'fields':[" FA_INT "]}",
     NM "@/name", NM "@/name"},
    {"A23 change namespace only", REC(FA_INT),
     "{'type':'record','name':'R','namespace':'other','fields':[" FA_INT "]}", "", ""},
    {"A23 dotted name vs namespace attribute", REC(FA_INT),
     "{'type':'record','name':'x.y.R','fields':[" FA_INT "]}", "", ""},
    {"A24 fixed size", REC("{'name':'a','type':{'type':'fixed','name':'F','size':4}}"),
     REC("{'name':'a','type':{'type':'fixed','name':'F','size':8}}"), FSM "@/fields/0/type/size",
     FSM "@/fields/0/type/size"},
    {"A24 fixed rename and size", "{'type':'fixed','name':'F','size':4}",
     "{'type':'fixed','name':'G','size':8}", NM "@/name;" FSM "@/size",
     NM "@/name;" FSM "@/size"},
    {"A25 array items widen", REC("{'name':'a','type':{'type':'array','items':'int'}}"),
     REC("{'name':'a','type':{'type':'array','items':'long'}}"), "", TM "@/fields/0/type/items"},
    {"A25 map values change", REC("{'name':'a','type':{'type':'map','values':'int'}}"),
     REC("{'name':'a','type':{'type':'map','values':'string'}}"), TM "@/fields/0/type/values",
     TM "@/fields/0/type/values"},
    {"A25 nested array of records",
     "{'type':'array','items':{'type':'record','name':'X','fields':[" FA_INT "]}}",
     "{'type':'array','items':{'type':'record','name':'X','fields':[" FA_INT
     ",{'name':'b','type':'int'}]}}",
     RFMDV "@/items/fields/1", ""},
    {"A26 doc, order, props, logicalType", REC(FA_INT),
     "{'type':'record','name':'R','namespace':'ns','doc':'d','x-prop':1,'fields':[{'name':'a',"
     "'type':{'type':'int','logicalType':'date'},'doc':'x','order':'descending','x':true}]}",
     "", ""},
    {"A26 decimal precision/scale",
     REC("{'name':'a','type':{'type':'bytes','logicalType':'decimal','precision':4,'scale':2}}"),
     REC("{'name':'a','type':{'type':'bytes','logicalType':'decimal','precision':9,'scale':1}}"),
     "", ""},
    {"A27 record -> union containing it", REC(FA_INT), "['null'," REC(FA_INT) "]", "",
     TM "@/0"},
    {"A27 record -> single-branch union", REC(FA_INT), "[" REC(FA_INT) "]", "", ""},
};

START_TEST(test_rules_table)
{
    const row *r = &rows[_i];
    char what[256];
    snprintf(what, sizeof what, "%s (BACKWARD)", r->id);
    expect(r->new_schema, r->old_schema, r->backward, what);
    snprintf(what, sizeof what, "%s (FORWARD)", r->id);
    expect(r->old_schema, r->new_schema, r->forward, what);
}
END_TEST

/* --- more shapes ------------------------------------------------------------------ */

START_TEST(test_all_issues_reported_in_order)
{
    /* Never stops at the first: name, then every field in reader order. */
    expect("{'type':'record','name':'S','fields':[{'name':'a','type':'string'},"
           "{'name':'b','type':'int'},{'name':'c','type':'long'}]}",
           "{'type':'record','name':'R','fields':[{'name':'a','type':'int'},"
           "{'name':'c','type':'int'}]}",
           NM "@/name;" TM "@/fields/0/type;" RFMDV "@/fields/1", "several issues");
}
END_TEST

START_TEST(test_unions)
{
    /* a reader union with a non-union writer: any branch may match, even a later one
     * through promotion */
    expect("['null','string','long']", "'int'", "", "promotion into a later branch");
    expect("['null','int']", "'string'", MUB "@/", "reader union lacks writer type");
    /* writer union against a reader union: each writer branch on its own */
    expect("['null','double']", "['int','null','float']", "", "branches via promotion");
    expect("['null','int']", "['int','string','boolean']", MUB "@/1;" MUB "@/2", "two branches");
    /* writer union against a non-union reader: every branch is checked at its index */
    expect("'long'", "['int','string','long','null']", TM "@/1;" TM "@/3", "writer union");
    /* nested: array of unions */
    expect("{'type':'array','items':['null','int']}", "{'type':'array','items':['null','long']}",
           MUB "@/items/1", "array of unions");
}
END_TEST

START_TEST(test_named_types_reused)
{
    /* The second use of a named type is the same node: a memoised pair. */
    const char *old_s = "{'type':'record','name':'R','fields':["
                        "{'name':'x','type':{'type':'record','name':'P','fields':[{'name':'v',"
                        "'type':'int'}]}},{'name':'y','type':'P'}]}";
    const char *new_s = "{'type':'record','name':'R','fields':["
                        "{'name':'x','type':{'type':'record','name':'P','fields':[{'name':'v',"
                        "'type':'long'}]}},{'name':'y','type':'P'}]}";
    expect(new_s, old_s, "", "reused type widened, backward");
    /* Java reuses the memoised result, location included: the second report of the
     * same pair keeps the first one's location. */
    expect(old_s, new_s, TM "@/fields/0/type/fields/0/type;" TM "@/fields/0/type/fields/0/type",
           "reused type widened, forward");
}
END_TEST

START_TEST(test_memo_reuses_probe_location)
{
    /* A union probe runs with a fresh location stack (rooted at the probed pair);
     * the pair is memoised with those locations and Java reuses them as they are
     * when the same pair comes up again outside the union. */
    const char *reader = "{'type':'record','name':'R','fields':["
                         "{'name':'a','type':['null',{'type':'record','name':'X','fields':["
                         "{'name':'v','type':'int'}]}]},{'name':'b','type':'X'}]}";
    const char *writer = "{'type':'record','name':'R','fields':["
                         "{'name':'a','type':{'type':'record','name':'X','fields':["
                         "{'name':'v','type':'string'}]}},{'name':'b','type':'X'}]}";
    expect(reader, writer, MUB "@/fields/0/type;" TM "@/fields/0/type", "probe location reused");
}
END_TEST

START_TEST(test_recursion_terminates)
{
    const char *list_long = "{'type':'record','name':'LongList','fields':["
                            "{'name':'value','type':'long'},"
                            "{'name':'next','type':['null','LongList']}]}";
    const char *list_int = "{'type':'record','name':'LongList','fields':["
                           "{'name':'value','type':'int'},"
                           "{'name':'next','type':['null','LongList']}]}";
    expect(list_long, list_long, "", "recursive, same");
    expect(list_long, list_int, "", "recursive, widened value");
    /* The nested writer branch LongList is read by the reader's LongList branch:
     * that pair is the one in progress, so it counts as compatible there and only
     * the outer TYPE_MISMATCH is reported. */
    expect(list_int, list_long, TM "@/fields/0/type", "recursive, narrowed value");
    /* Mutual recursion with different shapes on both sides. */
    const char *tree = "{'type':'record','name':'Node','fields':["
                       "{'name':'kids','type':{'type':'array','items':'Node'}},"
                       "{'name':'tag','type':{'type':'record','name':'Tag','fields':["
                       "{'name':'owner','type':['null','Node']}]}}]}";
    const char *tree2 = "{'type':'record','name':'Node','fields':["
                        "{'name':'kids','type':{'type':'map','values':'Node'}},"
                        "{'name':'tag','type':{'type':'record','name':'Tag','fields':["
                        "{'name':'owner','type':['null','Node']}]}}]}";
    expect(tree, tree, "", "mutual recursion, same");
    expect(tree, tree2, TM "@/fields/0/type", "mutual recursion, array vs map");
}
END_TEST

/* Records named L in namespaces a0..a(n-1), each with a field next: [null, <next>],
 * the last pointing back to a0.L. */
static char *cycle_schema(int n, const char *leaf)
{
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++)
        strbuf_printf(&sb, "{'type':'record','name':'L','namespace':'a%d','fields':[{'name':'v',"
                           "'type':'%s'},{'name':'next','type':['null',", i, leaf);
    strbuf_puts(&sb, "'a0.L'");
    for (int i = 0; i < n; i++) strbuf_puts(&sb, "]}]}");
    return strbuf_take(&sb);
}

START_TEST(test_recursion_through_different_cycles)
{
    /* Cycles of 5 and 7 records: the walk visits 35 distinct pairs before it meets
     * one in progress. */
    char *r = cycle_schema(5, "long"), *w = cycle_schema(7, "int");
    expect(r, w, "", "cycles 5/7 widened");
    char *s = summary(w, r);
    ck_assert_msg(strstr(s, TM "@/fields/0/type") == s, "got %s", s);
    free(s);
    free(r);
    free(w);

    /* 40 x 41 records: the comparison nests deeper than we allow (Java would run
     * out of stack somewhere too); reported like an exception, never a crash. */
    r = cycle_schema(40, "int");
    w = cycle_schema(41, "string");
    compat_issues is = {0};
    check_issues(r, w, "new", "old", &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "UNEXPECTED_EXCEPTION");
    ck_assert_str_eq(is.items[0].message,
                     "Unexpected exception during compatibility check: schemas nested too deeply");
    compat_issues_free(&is);
    free(r);
    free(w);
}
END_TEST

/* A record of n int fields f0..f(n-1); field `changed` gets type `type` and field
 * `renamed` becomes "r<name>" with an alias to its old name (-1: none). */
static char *wide_record(int n, int changed, const char *type, int renamed)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{'type':'record','name':'W','fields':[");
    for (int i = 0; i < n; i++) {
        if (i == renamed)
            strbuf_printf(&sb, "%s{'name':'rf%d','type':'int','aliases':['f%d']}", i ? "," : "", i, i);
        else
            strbuf_printf(&sb, "%s{'name':'f%d','type':'%s'}", i ? "," : "", i,
                          i == changed ? type : "int");
    }
    strbuf_puts(&sb, "]}");
    return strbuf_take(&sb);
}

START_TEST(test_wide_records_and_enums)
{
    /* Enough members for the sorted lookups. */
    char *old_s = wide_record(40, -1, "int", -1);
    char *new_s = wide_record(40, 33, "string", 7);
    expect(new_s, old_s, TM "@/fields/33/type", "wide record, backward");
    expect(old_s, new_s, RFMDV "@/fields/7;" TM "@/fields/33/type", "wide record, forward");
    free(old_s);
    free(new_s);

    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    strbuf_puts(&a, "{'type':'enum','name':'E','symbols':[");
    strbuf_puts(&b, "{'type':'enum','name':'E','symbols':[");
    for (int i = 0; i < 30; i++) {
        strbuf_printf(&a, "%s'S%02d'", i ? "," : "", i);
        if (i != 4 && i != 17) strbuf_printf(&b, "%s'S%02d'", i ? "," : "", i);
    }
    strbuf_puts(&a, "]}");
    strbuf_puts(&b, "]}");
    char *m = only_message(b.data, a.data);
    ck_assert_msg(strstr(m, "additionalInfo:'[S04, S17]'") != NULL, "got %s", m);
    free(m);
    expect(a.data, b.data, "", "wide enum, symbols removed");
    strbuf_free(&a);
    strbuf_free(&b);
}
END_TEST

START_TEST(test_enum_default_shortcut)
{
    /* A reader field missing in the writer, with no field default but an enum-level
     * default: Java compares the enum with the whole writer record. */
    const char *writer = "{'type':'record','name':'R','fields':[" FA_INT "]}";
    const char *reader = "{'type':'record','name':'R','fields':[" FA_INT ",{'name':'e','type':"
                         "{'type':'enum','name':'E','symbols':['A','B'],'default':'A'}}]}";
    expect(reader, writer, TM "@/fields/1/type", "enum default, field missing");
    char *m = only_message(reader, writer);
    ck_assert_str_eq(m, "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/1/type') "
                        "of a field in the new schema does not match with the old schema', "
                        "additionalInfo:'reader type: ENUM not compatible with writer type: "
                        "RECORD'}");
    free(m);
    /* a field default still wins */
    expect("{'type':'record','name':'R','fields':[" FA_INT ",{'name':'e','type':"
           "{'type':'enum','name':'E','symbols':['A','B'],'default':'A'},'default':'B'}]}",
           writer, "", "enum default and field default");
}
END_TEST

START_TEST(test_aliases_reader_side_only)
{
    /* writer-side field aliases are ignored */
    expect(REC("{'name':'a','type':'int'}"), REC("{'name':'b','type':'int','aliases':['a']}"),
           RFMDV "@/fields/0", "writer field alias ignored");
    /* writer-side type aliases are ignored */
    expect("{'type':'fixed','name':'F','size':2}",
           "{'type':'fixed','name':'G','aliases':['F'],'size':2}", NM "@/name",
           "writer type alias ignored");
    /* an enum renamed with an alias, nested */
    expect(REC("{'name':'a','type':{'type':'enum','name':'E2','aliases':['E'],'symbols':['A']}}"),
           REC("{'name':'a','type':{'type':'enum','name':'E','symbols':['A']}}"), "",
           "nested enum alias");
}
END_TEST

START_TEST(test_field_matching_two_writer_fields)
{
    /* reader field b (alias a) while the writer has both a and b: Java throws, and
     * Confluent reports the exception's message as the only one. */
    compat_issues is = {0};
    check_issues(REC("{'name':'b','type':'int','aliases':['a']}"),
                 REC("{'name':'a','type':'int'},{'name':'b','type':'int'}"), "new", "old", &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].type, "UNEXPECTED_EXCEPTION");
    const char *prefix = "Unexpected exception during compatibility check: Reader record field b "
                         "type:INT pos:0 matches multiple fields in writer record schema {";
    ck_assert_msg(strncmp(is.items[0].message, prefix, strlen(prefix)) == 0, "got: %s",
                  is.items[0].message);
    ck_assert_msg(strstr(is.items[0].message, "\"name\":\"R\"") != NULL, "got: %s",
                  is.items[0].message);
    compat_issues_free(&is);
}
END_TEST

/* --- message texts -------------------------------------------------------------- */

START_TEST(test_message_texts)
{
    char *m;

    m = only_message(REC(FA_INT ",{'name':'b','type':'string'}"), REC(FA_INT));
    ck_assert_str_eq(m, "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field "
                        "'b' at path '/fields/1' in the new schema has no default value and is "
                        "missing in the old schema', additionalInfo:'b'}");
    free(m);

    m = only_message(REC("{'name':'a','type':'string'}"), REC(FA_INT));
    ck_assert_str_eq(m, "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') "
                        "of a field in the new schema does not match with the old schema', "
                        "additionalInfo:'reader type: STRING not compatible with writer type: "
                        "INT'}");
    free(m);

    m = only_message("{'type':'record','name':'S','fields':[]}",
                     "{'type':'record','name':'R','namespace':'com.x','fields':[]}");
    ck_assert_str_eq(m, "{errorType:'NAME_MISMATCH', description:'The name of the schema has "
                        "changed (path '/name')', additionalInfo:'expected: com.x.R'}");
    free(m);

    m = only_message("{'type':'fixed','name':'F','size':8}", "{'type':'fixed','name':'F','size':4}");
    ck_assert_str_eq(m, "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type "
                        "field at path '/size' in the new schema does not match with the old "
                        "schema', additionalInfo:'expected: 4, found: 8'}");
    free(m);

    m = only_message("{'type':'enum','name':'E','symbols':['A']}",
                     "{'type':'enum','name':'E','symbols':['D','A','C','B']}");
    ck_assert_str_eq(m, "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is "
                        "missing enum symbols '[B, C, D]' at path '/symbols' in the old schema', "
                        "additionalInfo:'[B, C, D]'}");
    free(m);

    m = only_message("['null','string']", "['null','string','int']");
    ck_assert_str_eq(m, "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is "
                        "missing a type inside a union field at path '/2' in the old schema', "
                        "additionalInfo:'reader union lacking writer type: INT'}");
    free(m);

    m = only_message("['null','string']", "{'type':'map','values':'int'}");
    ck_assert_str_eq(m, "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is "
                        "missing a type inside a union field at path '/' in the old schema', "
                        "additionalInfo:'reader union lacking writer type: MAP'}");
    free(m);

    m = only_message("'boolean'", "'int'");
    ck_assert_str_eq(m, "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field "
                        "in the new schema does not match with the old schema', "
                        "additionalInfo:'reader type: BOOLEAN not compatible with writer type: "
                        "INT'}");
    free(m);
}
END_TEST

START_TEST(test_labels_forward)
{
    /* FORWARD passes ("old", "new"): reader label first. */
    compat_issues is = {0};
    check_issues(REC(FA_INT ",{'name':'b','type':'string'}"), REC(FA_INT), "old", "new", &is);
    ck_assert_uint_eq(is.n, 1);
    ck_assert_str_eq(is.items[0].message,
                     "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' "
                     "at path '/fields/1' in the old schema has no default value and is missing "
                     "in the new schema', additionalInfo:'b'}");
    ck_assert_str_eq(is.items[0].path, "/fields/1");
    compat_issues_free(&is);
}
END_TEST

START_TEST(test_error_type_is_record)
{
    expect("{'type':'error','name':'R','fields':[" FA_INT "]}", REC(FA_INT), "", "error vs record");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("avro_compat");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_rules_table, 0, (int)(sizeof rows / sizeof rows[0]));
    tcase_add_test(tc, test_all_issues_reported_in_order);
    tcase_add_test(tc, test_unions);
    tcase_add_test(tc, test_named_types_reused);
    tcase_add_test(tc, test_memo_reuses_probe_location);
    tcase_add_test(tc, test_recursion_terminates);
    tcase_add_test(tc, test_recursion_through_different_cycles);
    tcase_add_test(tc, test_wide_records_and_enums);
    tcase_add_test(tc, test_enum_default_shortcut);
    tcase_add_test(tc, test_aliases_reader_side_only);
    tcase_add_test(tc, test_field_matching_two_writer_fields);
    tcase_add_test(tc, test_message_texts);
    tcase_add_test(tc, test_labels_forward);
    tcase_add_test(tc, test_error_type_is_record);
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
