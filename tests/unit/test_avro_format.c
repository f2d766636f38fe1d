/*
 * Unit tests for the Avro format module: parse + validation, canonical text
 * (Avro-Java Schema.toString()), normalized text (Confluent normalize=true).
 *
 * Schemas are written with ' for " to keep them readable; q() converts.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "formats/avro/avro_format.h"
#include "formats/avro/avro_internal.h"

/* ' -> " (no test schema needs a literal apostrophe except where noted) */
static char *q(const char *s)
{
    char *r = xstrdup(s);
    for (char *p = r; *p; p++)
        if (*p == '\'') *p = '"';
    return r;
}

static avro_schema *parse_deps(const char *src, const sr_dep *deps, size_t n_deps,
                               unsigned flags, sr_error *err)
{
    char *text = q(src);
    avro_schema *s = avro_fmt_parse(text, strlen(text), deps, n_deps, flags, err);
    free(text);
    return s;
}

static avro_schema *parse_ok(const char *src, unsigned flags)
{
    sr_error err = {0};
    avro_schema *s = parse_deps(src, NULL, 0, flags, &err);
    ck_assert_msg(s != NULL, "expected valid: %s\n  got: %s", src, err.msg);
    return s;
}

static void check_valid(const char *src)
{
    avro_fmt_schema_free(parse_ok(src, 0));
}

static void check_invalid_flags(const char *src, unsigned flags, const char *frag)
{
    sr_error err = {0};
    avro_schema *s = parse_deps(src, NULL, 0, flags, &err);
    ck_assert_msg(s == NULL, "expected invalid: %s", src);
    ck_assert_int_eq(err.http, 422);
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    char *f = q(frag);
    ck_assert_msg(strstr(err.msg, f) != NULL, "message \"%s\" lacks \"%s\"", err.msg, f);
    ck_assert_msg(strncmp(err.msg, "Invalid schema", 14) == 0, "message: %s", err.msg);
    free(f);
}

static void check_invalid(const char *src, const char *frag)
{
    check_invalid_flags(src, 0, frag);
}

/* canonical text of src is want, and parsing want gives want again */
static void check_canon_deps(const char *src, const sr_dep *deps, size_t n, const char *want_q)
{
    sr_error err = {0};
    avro_schema *s = parse_deps(src, deps, n, 0, &err);
    ck_assert_msg(s != NULL, "expected valid: %s\n  got: %s", src, err.msg);
    char *got = avro_fmt_canonical(s);
    char *want = q(want_q);
    ck_assert_str_eq(got, want);
    avro_fmt_schema_free(s);

    s = avro_fmt_parse(got, strlen(got), deps, n, 0, &err);
    ck_assert_msg(s != NULL, "canonical text does not parse: %s\n  got: %s", got, err.msg);
    char *again = avro_fmt_canonical(s);
    ck_assert_str_eq(again, want);
    free(again);
    avro_fmt_schema_free(s);
    free(got);
    free(want);
}

static void check_canon(const char *src, const char *want)
{
    check_canon_deps(src, NULL, 0, want);
}

static char *canon_of(const char *src)
{
    avro_schema *s = parse_ok(src, 0);
    char *c = avro_fmt_canonical(s);
    avro_fmt_schema_free(s);
    return c;
}

static void check_norm_deps(const char *src, const sr_dep *deps, size_t n, const char *want_q)
{
    sr_error err = {0};
    avro_schema *s = parse_deps(src, deps, n, 0, &err);
    ck_assert_msg(s != NULL, "expected valid: %s\n  got: %s", src, err.msg);
    char *got = avro_fmt_normalized(s);
    char *want = q(want_q);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    avro_fmt_schema_free(s);
}

static void check_norm(const char *src, const char *want)
{
    check_norm_deps(src, NULL, 0, want);
}

/* a record with one field of the given type and default (both q-form JSON) */
static char *field_schema(const char *type, const char *def)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "{'type':'record','name':'R','fields':[{'name':'f','type':%s,'default':%s}]}",
                  type, def);
    return strbuf_take(&sb);
}

static void check_default(const char *type, const char *def, int valid)
{
    char *src = field_schema(type, def);
    if (valid)
        check_valid(src);
    else
        check_invalid(src, "invalid default value");
    /* lenient parsing never checks defaults */
    avro_fmt_schema_free(parse_ok(src, SR_PARSE_LENIENT));
    free(src);
}

/* ------------------------------------------------------------------------ */
/* validation                                                                */

START_TEST(primitives)
{
    static const char *const names[] = {"null", "boolean", "int", "long",
                                        "float", "double", "bytes", "string"};
    for (size_t i = 0; i < 8; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "'%s'", names[i]);
        check_canon(buf, buf);
        snprintf(buf, sizeof buf, "{'type':'%s'}", names[i]);
        char want[64];
        snprintf(want, sizeof want, "'%s'", names[i]);
        check_canon(buf, want);
    }
    check_invalid("'integer'", "'integer' is not a defined name");
    check_invalid("{'type':'integer'}", "'integer' is not supported");
}
END_TEST

START_TEST(not_a_schema)
{
    check_invalid("123", "123 is not a schema");
    check_invalid("null", "null is not a schema");
    check_invalid("true", "is not a schema");
    check_invalid("{}", "no 'type' string");
    check_invalid("{'type':{'type':'int'}}", "no 'type' string");
    check_invalid("{'type':{'type':'record','name':'R','fields':[]}}", "no 'type' string");
    /* but a nested type object is fine as a field type */
    check_canon("{'type':'record','name':'R','fields':[{'name':'f','type':{'type':'int'}}]}",
                "{'type':'record','name':'R','fields':[{'name':'f','type':'int'}]}");
}
END_TEST

START_TEST(bad_json)
{
    check_invalid("", "not valid JSON");
    check_invalid("{'type':'int'", "not valid JSON");
    check_invalid("{'type':'int'} x", "not valid JSON");
    check_invalid("'int' 'int'", "not valid JSON");
    check_invalid("'\\u0000'", "not valid JSON");
    check_invalid("{'type':'int',}", "not valid JSON");

    sr_error err = {0};
    const char bad_utf8[] = "\"\xff\xfe\"";
    ck_assert_ptr_null(avro_fmt_parse(bad_utf8, strlen(bad_utf8), NULL, 0, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    const char nul[] = "\"int\"\0 ";
    ck_assert_ptr_null(avro_fmt_parse(nul, sizeof nul - 1, NULL, 0, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    /* len is honoured: trailing bytes past len are not read */
    const char part[] = "\"int\"garbage";
    avro_schema *s = avro_fmt_parse(part, 5, NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    avro_fmt_schema_free(s);
    ck_assert_ptr_null(avro_fmt_parse(NULL, 0, NULL, 0, 0, &err));
}
END_TEST

START_TEST(records)
{
    check_valid("{'type':'record','name':'R','fields':[]}");
    check_valid("{'type':'error','name':'E','fields':[{'name':'m','type':'string'}]}");
    check_invalid("{'type':'record','name':'R'}", "record R has no 'fields' array");
    check_invalid("{'type':'record','name':'R','fields':{}}", "no 'fields' array");
    check_invalid("{'type':'record','fields':[]}", "no 'name' string");
    check_invalid("{'type':'record','name':1,'fields':[]}", "no 'name' string");
    check_invalid("{'type':'record','name':'R','fields':[{'type':'int'}]}",
                  "field #0 has no 'name' string");
    check_invalid("{'type':'record','name':'R','fields':['int']}", "field #0 has no 'name'");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a'}]}",
                  "no 'type' (field 'a' of record R)");
}
END_TEST

START_TEST(duplicate_fields)
{
    check_valid("{'type':'record','name':'R','fields':[{'name':'a','type':'int'},"
                "{'name':'b','type':'int'}]}");
    check_invalid("{'type':'record','name':'R','namespace':'com.x','fields':["
                  "{'name':'a','type':'int'},{'name':'a','type':'long'}]}",
                  "duplicate field 'a' in record com.x.R");
}
END_TEST

START_TEST(field_names)
{
    check_valid("{'type':'record','name':'R','fields':[{'name':'_a1','type':'int'}]}");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'1a','type':'int'}]}",
                  "invalid field name '1a'");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a.b','type':'int'}]}",
                  "invalid field name 'a.b'");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'','type':'int'}]}",
                  "invalid field name ''");
}
END_TEST

START_TEST(names)
{
    check_valid("{'type':'fixed','name':'_F9','size':1}");
    check_invalid("{'type':'fixed','name':'9F','size':1}", "invalid name '9F'");
    check_invalid("{'type':'fixed','name':'a-b','size':1}", "invalid name 'a-b'");
    check_invalid("{'type':'fixed','name':'','size':1}", "invalid name ''");
    check_invalid("{'type':'fixed','name':'a.','size':1}", "invalid name 'a.'");
    /* namespaces: any string, as Avro-Java accepts (only the simple name is checked) */
    check_valid("{'type':'fixed','name':'F','namespace':'a.b_c.D1','size':1}");
    check_valid("{'type':'fixed','name':'F','namespace':'','size':1}");
    check_valid("{'type':'fixed','name':'F','namespace':'com.my-company','size':1}");
    check_valid("{'type':'fixed','name':'a-b.F','size':1}");
    check_invalid("{'type':'fixed','name':'a.b.1F','size':1}", "invalid name");
    /* a dotted name carries its own namespace; the attribute is then ignored */
    check_canon("{'type':'fixed','name':'x.y.F','namespace':'ignored','size':1}",
                "{'type':'fixed','name':'F','namespace':'x.y','size':1}");
    /* a non-string namespace is ignored (Java's getOptionalText) */
    check_canon("{'type':'fixed','name':'F','namespace':5,'size':1}",
                "{'type':'fixed','name':'F','size':1}");
}
END_TEST

START_TEST(primitive_names_reserved)
{
    check_invalid("{'type':'record','name':'int','fields':[]}", "called after a primitive");
    check_invalid("{'type':'enum','name':'string','symbols':['A']}", "called after a primitive");
    check_invalid("{'type':'fixed','name':'null','size':1}", "called after a primitive");
    /* only the full name is checked, as in Java */
    check_valid("{'type':'record','name':'int','namespace':'com.x','fields':[]}");
}
END_TEST

START_TEST(redefinition)
{
    check_valid("{'type':'record','name':'R','fields':[{'name':'a','type':"
                "{'type':'fixed','name':'F','size':1}},{'name':'b','type':"
                "{'type':'fixed','name':'G','size':1}}]}");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':"
                  "{'type':'fixed','name':'F','size':1}},{'name':'b','type':"
                  "{'type':'fixed','name':'F','size':2}}]}",
                  "type F is defined more than once");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':"
                  "{'type':'record','name':'R','fields':[]}}]}",
                  "type R is defined more than once");
    /* same simple name in two namespaces is fine */
    check_valid("{'type':'record','name':'R','namespace':'a','fields':[{'name':'a','type':"
                "{'type':'record','name':'R','namespace':'b','fields':[]}}]}");
}
END_TEST

START_TEST(undefined_names)
{
    check_valid("{'type':'record','name':'R','fields':[{'name':'next','type':['null','R']}]}");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':'Foo'}]}",
                  "'Foo' is not a defined name");
    check_invalid("['null','com.x.Foo']", "'com.x.Foo' is not a defined name");
    check_invalid("{'type':'array','items':'Foo'}", "'Foo' is not a defined name");
    /* the message says where */
    check_invalid("{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':'Foo'}]}",
                  "(field 'a' of record n.R)");
    /* a type used before its definition is undefined */
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':'F'},"
                  "{'name':'b','type':{'type':'fixed','name':'F','size':1}}]}",
                  "'F' is not a defined name");
}
END_TEST

START_TEST(type_attribute_names_a_type)
{
    /* {'type':'<defined name>'} is that type; other attributes are dropped */
    check_canon("{'type':'record','name':'R','fields':[{'name':'a','type':"
                "{'type':'enum','name':'E','symbols':['X']}},"
                "{'name':'b','type':{'type':'E','foo':'bar'}}]}",
                "{'type':'record','name':'R','fields':[{'name':'a','type':"
                "{'type':'enum','name':'E','symbols':['X']}},{'name':'b','type':'E'}]}");
    check_canon("{'type':'record','name':'L','namespace':'n','fields':[{'name':'next','type':"
                "['null',{'type':'L'}]}]}",
                "{'type':'record','name':'L','namespace':'n','fields':[{'name':'next','type':"
                "['null','L']}]}");
}
END_TEST

START_TEST(enums)
{
    check_canon("{'type':'enum','name':'E','symbols':['A','B_2','_c']}",
                "{'type':'enum','name':'E','symbols':['A','B_2','_c']}");
    check_valid("{'type':'enum','name':'E','symbols':[]}");
    check_invalid("{'type':'enum','name':'E'}", "enum E has no 'symbols' array");
    check_invalid("{'type':'enum','name':'E','symbols':'A'}", "no 'symbols' array");
    check_invalid("{'type':'enum','name':'E','symbols':['A','B','A']}",
                  "duplicate enum symbol 'A' in enum E");
    check_invalid("{'type':'enum','name':'E','symbols':['A','1B']}", "invalid symbol '1B' in enum E");
    check_invalid("{'type':'enum','name':'E','symbols':['A','B-C']}", "invalid symbol 'B-C'");
    check_invalid("{'type':'enum','name':'E','symbols':['A',2]}", "invalid symbol 2");
}
END_TEST

START_TEST(enum_default)
{
    check_canon("{'type':'enum','name':'E','symbols':['A','B'],'default':'B'}",
                "{'type':'enum','name':'E','symbols':['A','B'],'default':'B'}");
    check_invalid("{'type':'enum','name':'E','symbols':['A','B'],'default':'C'}",
                  "the default 'C' of enum E is not one of its symbols");
    /* checked whatever the flags: it is not a field default */
    check_invalid_flags("{'type':'enum','name':'E','symbols':['A'],'default':'C'}",
                        SR_PARSE_LENIENT, "not one of its symbols");
    /* Java ignores a non-string enum default (and it is not a prop) */
    check_canon("{'type':'enum','name':'E','symbols':['A'],'default':1}",
                "{'type':'enum','name':'E','symbols':['A']}");
}
END_TEST

START_TEST(fixed)
{
    check_canon("{'type':'fixed','name':'F','size':16}", "{'type':'fixed','name':'F','size':16}");
    check_valid("{'type':'fixed','name':'F','size':0}");
    check_valid("{'type':'fixed','name':'F','size':2147483647}");
    check_invalid("{'type':'fixed','name':'F'}", "fixed F has no valid 'size'");
    check_invalid("{'type':'fixed','name':'F','size':-1}", "no valid 'size'");
    check_invalid("{'type':'fixed','name':'F','size':'16'}", "no valid 'size'");
    check_invalid("{'type':'fixed','name':'F','size':16.0}", "no valid 'size'");
    check_invalid("{'type':'fixed','name':'F','size':2147483648}", "no valid 'size'");
}
END_TEST

START_TEST(arrays_and_maps)
{
    check_canon("{'type':'array','items':'int'}", "{'type':'array','items':'int'}");
    check_canon("{'type':'map','values':{'type':'array','items':'string'}}",
                "{'type':'map','values':{'type':'array','items':'string'}}");
    check_invalid("{'type':'array'}", "array has no 'items'");
    check_invalid("{'type':'map'}", "map has no 'values'");
    check_invalid("{'type':'map','items':'int'}", "map has no 'values'");
    check_invalid("{'type':'array','items':'nope'}", "'nope' is not a defined name");
}
END_TEST

START_TEST(unions)
{
    check_canon("['null','int',{'type':'array','items':'int'},{'type':'map','values':'int'}]",
                "['null','int',{'type':'array','items':'int'},{'type':'map','values':'int'}]");
    check_valid("[]");
    check_valid("[{'type':'fixed','name':'A','size':1},{'type':'fixed','name':'B','size':1}]");
    check_invalid("['null',['int','long']]", "a union may not immediately contain another union");
    check_invalid("['int','string','int']", "duplicate type int in union");
    check_invalid("['int',{'type':'int','logicalType':'date'}]", "duplicate type int in union");
    check_invalid("[{'type':'array','items':'int'},{'type':'array','items':'long'}]",
                  "duplicate type array in union");
    check_invalid("[{'type':'map','values':'int'},{'type':'map','values':'long'}]",
                  "duplicate type map in union");
    check_invalid("{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':"
                  "[{'type':'fixed','name':'F','size':1},'F']}]}",
                  "duplicate type n.F in union");
}
END_TEST

START_TEST(aliases_and_order)
{
    check_invalid("{'type':'record','name':'R','aliases':'X','fields':[]}",
                  "'aliases' must be an array of strings");
    check_invalid("{'type':'record','name':'R','aliases':[1],'fields':[]}", "alias 1 is not a string");
    check_invalid("{'type':'record','name':'R','aliases':['a-b'],'fields':[]}", "invalid alias 'a-b'");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':'int','aliases':[true]}]}",
                  "alias true is not a string");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':'int','order':'up'}]}",
                  "invalid 'order' 'up'");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':'int','order':1}]}",
                  "invalid 'order' 1");
    check_canon("{'type':'record','name':'R','fields':[{'name':'a','type':'int','order':'Descending'},"
                "{'name':'b','type':'int','order':'ascending'},{'name':'c','type':'int','order':'IGNORE'}]}",
                "{'type':'record','name':'R','fields':[{'name':'a','type':'int','order':'descending'},"
                "{'name':'b','type':'int'},{'name':'c','type':'int','order':'ignore'}]}");
}
END_TEST

START_TEST(defaults_primitive)
{
    check_default("'null'", "null", 1);
    check_default("'null'", "0", 0);
    check_default("'boolean'", "true", 1);
    check_default("'boolean'", "'true'", 0);
    check_default("'int'", "2147483647", 1);
    check_default("'int'", "-2147483648", 1);
    check_default("'int'", "2147483648", 0);
    check_default("'int'", "1.0", 0);
    check_default("'int'", "null", 0);
    check_default("'long'", "9223372036854775807", 1);
    check_default("'long'", "2147483648", 1);
    check_default("'long'", "1.5", 0);
    check_default("'float'", "1", 1);
    check_default("'float'", "1.5", 1);
    check_default("'double'", "-7", 1);
    check_default("'double'", "true", 0);
    check_default("'string'", "'x'", 1);
    check_default("'string'", "null", 0);
    check_default("'bytes'", "'\\u00ff'", 1);
    check_default("'bytes'", "[1]", 0);
    check_default("{'type':'fixed','name':'F','size':2}", "'ab'", 1);
    check_default("{'type':'fixed','name':'F','size':2}", "2", 0);
    /* Java 1.11 only requires a string for an enum field default */
    check_default("{'type':'enum','name':'E','symbols':['A']}", "'A'", 1);
    check_default("{'type':'enum','name':'E','symbols':['A']}", "1", 0);
}
END_TEST

START_TEST(defaults_complex)
{
    check_default("{'type':'array','items':'int'}", "[1,2]", 1);
    check_default("{'type':'array','items':'int'}", "[1,'x']", 0);
    check_default("{'type':'array','items':'int'}", "{}", 0);
    check_default("{'type':'map','values':'long'}", "{'a':1}", 1);
    check_default("{'type':'map','values':'long'}", "{'a':'1'}", 0);
    check_default("{'type':'map','values':'long'}", "[]", 0);
    /* unions: the first branch decides */
    check_default("['null','string']", "null", 1);
    check_default("['null','string']", "'x'", 0);
    check_default("['string','null']", "'x'", 1);
    check_default("['string','null']", "null", 0);
    check_default("[]", "null", 0);
    /* records: field by field, missing fields use their own default */
    check_default("{'type':'record','name':'S','fields':[{'name':'x','type':'int'},"
                  "{'name':'y','type':'string','default':'d'}]}",
                  "{'x':1}", 1);
    check_default("{'type':'record','name':'S','fields':[{'name':'x','type':'int'},"
                  "{'name':'y','type':'string'}]}",
                  "{'x':1}", 0);
    check_default("{'type':'record','name':'S','fields':[{'name':'x','type':'int'}]}",
                  "{'x':'1'}", 0);
    check_default("{'type':'record','name':'S','fields':[{'name':'x','type':'int'}]}", "[]", 0);
    check_default("{'type':'record','name':'S','fields':[{'name':'d','type':'double','default':'2'}]}",
                  "{}", 1);
    /* a default that needs the record being defined (Java: fields not set yet) */
    check_invalid("{'type':'record','name':'L','fields':[{'name':'next','type':['L','null'],"
                  "'default':{}}]}",
                  "before its fields are complete");
}
END_TEST

START_TEST(defaults_real_strings)
{
    /* Java converts a string default of a float/double field with Double.valueOf */
    check_canon("{'type':'record','name':'R','fields':[{'name':'a','type':'double','default':'1.5'},"
                "{'name':'b','type':'float','default':' 2 '},{'name':'c','type':'double','default':'NaN'},"
                "{'name':'d','type':'double','default':'-Infinity'},{'name':'e','type':'double','default':'1e3d'}]}",
                "{'type':'record','name':'R','fields':[{'name':'a','type':'double','default':1.5},"
                "{'name':'b','type':'float','default':2.0},{'name':'c','type':'double','default':'NaN'},"
                "{'name':'d','type':'double','default':'-Infinity'},{'name':'e','type':'double','default':1000.0}]}");
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':'double','default':'abc'}]}",
                  "invalid default value 'abc': not a number");
    check_invalid_flags("{'type':'record','name':'R','fields':[{'name':'a','type':'float','default':''}]}",
                        SR_PARSE_LENIENT, "not a number");
    /* in a union the string stays a string, and is invalid for a numeric first branch */
    check_invalid("{'type':'record','name':'R','fields':[{'name':'a','type':['double','null'],'default':'1'}]}",
                  "invalid default value '1' for type union");
}
END_TEST

START_TEST(lenient_keeps_invalid_defaults)
{
    const char *src = "{'type':'record','name':'R','fields':[{'name':'a','type':'int','default':'x'},"
                      "{'name':'b','type':['null','int'],'default':5}]}";
    check_invalid(src, "invalid default value 'x' for type int (field 'a' of record R)");
    avro_schema *s = parse_ok(src, SR_PARSE_LENIENT);
    char *c = avro_fmt_canonical(s);
    char *want = q("{'type':'record','name':'R','fields':[{'name':'a','type':'int','default':'x'},"
                   "{'name':'b','type':['null','int'],'default':5}]}");
    ck_assert_str_eq(c, want);
    free(c);
    free(want);
    avro_fmt_schema_free(s);
}
END_TEST

/* n nested arrays around "int" */
static char *nested_arrays(int n)
{
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++) strbuf_puts(&sb, "{\"type\":\"array\",\"items\":");
    strbuf_puts(&sb, "\"int\"");
    for (int i = 0; i < n; i++) strbuf_putc(&sb, '}');
    return strbuf_take(&sb);
}

START_TEST(deep_nesting)
{
    sr_error err = {0};
    char *ok = nested_arrays(AVRO_MAX_DEPTH - 1);
    avro_schema *s = avro_fmt_parse(ok, strlen(ok), NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    char *c = avro_fmt_canonical(s);
    ck_assert_str_eq(c, ok);
    free(c);
    c = avro_fmt_normalized(s);
    ck_assert_str_eq(c, ok);
    free(c);
    avro_fmt_schema_free(s);
    free(ok);

    char *deep = nested_arrays(AVRO_MAX_DEPTH + 1);
    ck_assert_ptr_null(avro_fmt_parse(deep, strlen(deep), NULL, 0, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    ck_assert_msg(strstr(err.msg, "nested too deeply") != NULL, "%s", err.msg);
    free(deep);

    /* unions and records count too; JSON deeper than jansson's limit fails cleanly */
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 100000; i++) strbuf_putc(&sb, '[');
    ck_assert_ptr_null(avro_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    strbuf_free(&sb);

    for (int i = 0; i < 300; i++)
        strbuf_printf(&sb, "{\"type\":\"record\",\"name\":\"R%d\",\"fields\":[{\"name\":\"f\",\"type\":[\"null\",", i);
    strbuf_puts(&sb, "\"int\"");
    for (int i = 0; i < 300; i++) strbuf_puts(&sb, "]}]}");
    ck_assert_ptr_null(avro_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err));
    ck_assert_msg(strstr(err.msg, "nested too deeply") != NULL, "%s", err.msg);
    strbuf_free(&sb);
}
END_TEST


START_TEST(large_schema)
{
    /* duplicate checks must not be quadratic: 100k fields and symbols */
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{\"type\":\"record\",\"name\":\"Big\",\"fields\":[");
    for (int i = 0; i < 100000; i++)
        strbuf_printf(&sb, "%s{\"name\":\"f%d\",\"type\":\"int\",\"default\":%d}", i ? "," : "", i, i);
    strbuf_puts(&sb, ",{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[");
    for (int i = 0; i < 100000; i++) strbuf_printf(&sb, "%s\"S%d\"", i ? "," : "", i);
    strbuf_puts(&sb, "]}}]}");
    sr_error err = {0};
    avro_schema *s = avro_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    ck_assert_int_eq(s->root->n_fields, 100001);
    char *c = avro_fmt_canonical(s);
    ck_assert_str_eq(c, sb.data);
    free(c);
    avro_fmt_schema_free(s);

    /* the same with a duplicate at the very end */
    sb.len -= 5;
    strbuf_puts(&sb, ",\"S7\"]}}]}");
    ck_assert_ptr_null(avro_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err));
    ck_assert_msg(strstr(err.msg, "duplicate enum symbol \"S7\"") != NULL, "%s", err.msg);
    strbuf_free(&sb);
}
END_TEST

static void *parse_in_thread(void *arg)
{
    const char *text = arg;
    char *first = NULL;
    for (int i = 0; i < 200; i++) {
        sr_error err = {0};
        avro_schema *s = avro_fmt_parse(text, strlen(text), NULL, 0, 0, &err);
        if (!s) return (void *)1;
        char *c = avro_fmt_canonical(s);
        avro_fmt_schema_free(s);
        if (first && strcmp(first, c) != 0) {
            free(c);
            free(first);
            return (void *)1;
        }
        free(first);
        first = c;
    }
    free(first);
    return NULL;
}

START_TEST(threads)
{
    char *text = q("{'type':'record','name':'T','namespace':'n','fields':[{'name':'a','type':"
                   "['null',{'type':'enum','name':'E','symbols':['A'],'default':'A'}],'default':null},"
                   "{'name':'b','type':{'type':'map','values':'T'}}]}");
    pthread_t t[8];
    for (int i = 0; i < 8; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, parse_in_thread, text), 0);
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(t[i], &r);
        ck_assert_ptr_null(r);
    }
    free(text);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* references                                                                */

START_TEST(references)
{
    sr_dep deps[] = {
        {"com.x.Kind", "{\"type\":\"enum\",\"name\":\"Kind\",\"namespace\":\"com.x\",\"symbols\":[\"A\",\"B\"]}", "kind", 1},
        {"com.x.Address", "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.x\",\"fields\":["
                          "{\"name\":\"kind\",\"type\":\"Kind\"},{\"name\":\"zip\",\"type\":\"string\"}]}", "address", 1},
    };
    const char *src = "{'type':'record','name':'Person','namespace':'com.x','fields':["
                      "{'name':'home','type':'Address'},{'name':'work','type':['null','com.x.Address']},"
                      "{'name':'k','type':'com.x.Kind','default':'A'}]}";
    check_canon_deps(src, deps, 2,
                     "{'type':'record','name':'Person','namespace':'com.x','fields':["
                     "{'name':'home','type':'Address'},{'name':'work','type':['null','Address']},"
                     "{'name':'k','type':'Kind','default':'A'}]}");
    check_norm_deps(src, deps, 2,
                    "{'name':'com.x.Person','type':'record','fields':["
                    "{'name':'home','type':'com.x.Address','order':'ASCENDING'},"
                    "{'name':'work','type':['null','com.x.Address'],'order':'ASCENDING'},"
                    "{'name':'k','type':'com.x.Kind','order':'ASCENDING','default':'A'}]}");

    /* from another namespace a referenced type is written by full name */
    check_canon_deps("{'type':'record','name':'P','namespace':'other','fields':[{'name':'a','type':'com.x.Address'}]}",
                     deps, 2,
                     "{'type':'record','name':'P','namespace':'other','fields':[{'name':'a','type':'com.x.Address'}]}");

    /* the main schema may be just a referenced name */
    check_canon_deps("'com.x.Address'", deps, 2, "'com.x.Address'");

    /* the model: referenced nodes are in the graph and marked */
    sr_error err = {0};
    avro_schema *s = parse_deps(src, deps, 2, 0, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->root->from_reference, 0);
    const avro_node *addr = s->root->fields[0].type;
    ck_assert_int_eq(addr->kind, AVN_RECORD);
    ck_assert_int_eq(addr->from_reference, 1);
    ck_assert_str_eq(addr->fullname, "com.x.Address");
    ck_assert_ptr_eq(addr, s->root->fields[1].type->branches[1]);
    ck_assert_int_eq(addr->n_fields, 2);
    ck_assert_ptr_eq(addr->fields[0].type, s->root->fields[2].type);
    avro_fmt_schema_free(s);

    /* without the references the names are undefined */
    check_invalid(src, "'Address' is not a defined name");

    /* a reference that fails to parse is named */
    sr_dep bad[] = {{"com.x.Bad", "{\"type\":\"record\",\"name\":\"Bad\",\"fields\":[{\"name\":\"a\"}]}", "bad", 1}};
    ck_assert_ptr_null(parse_deps("'int'", bad, 1, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    ck_assert_msg(strstr(err.msg, "in reference \"com.x.Bad\"") != NULL, "%s", err.msg);

    /* the main schema may not redefine a referenced type */
    ck_assert_ptr_null(parse_deps("{'type':'enum','name':'Kind','namespace':'com.x','symbols':['Z']}",
                                  deps, 2, 0, &err));
    ck_assert_msg(strstr(err.msg, "com.x.Kind is defined more than once") != NULL, "%s", err.msg);

    /* deps are parsed in order: a later one may use an earlier one */
    sr_dep wrong_order[] = {deps[1], deps[0]};
    ck_assert_ptr_null(parse_deps("'int'", wrong_order, 2, 0, &err));
    ck_assert_msg(strstr(err.msg, "in reference \"com.x.Address\"") != NULL, "%s", err.msg);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* canonical text                                                            */

START_TEST(canonical_namespaces)
{
    /* inherited namespaces are not repeated; a different one is written; a
     * null namespace inside a namespaced record is written as "" */
    check_canon("{'namespace':'com.acme','name':'Order','type':'record','fields':["
                "{'name':'id','type':'long'},"
                "{'name':'item','type':{'type':'record','name':'Item','fields':["
                "  {'name':'sku','type':{'type':'fixed','name':'Sku','size':8}},"
                "  {'name':'origin','type':{'type':'record','name':'Place','namespace':'geo','fields':["
                "    {'name':'code','type':{'type':'enum','name':'Code','symbols':['A']}},"
                "    {'name':'sku','type':'com.acme.Sku'}]}}]}},"
                "{'name':'code','type':'geo.Code'},"
                "{'name':'misc','type':{'type':'record','name':'Misc','namespace':'','fields':["
                "  {'name':'p','type':'geo.Place'}]}},"
                "{'name':'dotted','type':{'type':'enum','name':'com.acme.sub.D','symbols':['X']}},"
                "{'name':'again','type':'com.acme.sub.D'}]}",
                "{'type':'record','name':'Order','namespace':'com.acme','fields':["
                "{'name':'id','type':'long'},"
                "{'name':'item','type':{'type':'record','name':'Item','fields':["
                "{'name':'sku','type':{'type':'fixed','name':'Sku','size':8}},"
                "{'name':'origin','type':{'type':'record','name':'Place','namespace':'geo','fields':["
                "{'name':'code','type':{'type':'enum','name':'Code','symbols':['A']}},"
                "{'name':'sku','type':'com.acme.Sku'}]}}]}},"
                "{'name':'code','type':'geo.Code'},"
                "{'name':'misc','type':{'type':'record','name':'Misc','namespace':'','fields':["
                "{'name':'p','type':'geo.Place'}]}},"
                "{'name':'dotted','type':{'type':'enum','name':'D','namespace':'com.acme.sub','symbols':['X']}},"
                "{'name':'again','type':'com.acme.sub.D'}]}");

    /* a name is looked up in the enclosing namespace first, then the null one */
    check_canon("{'type':'record','name':'Top','fields':[{'name':'a','type':"
                "{'type':'fixed','name':'F','size':1}},{'name':'b','type':"
                "{'type':'record','name':'In','namespace':'n','fields':[{'name':'x','type':'F'}]}}]}",
                "{'type':'record','name':'Top','fields':[{'name':'a','type':"
                "{'type':'fixed','name':'F','size':1}},{'name':'b','type':"
                "{'type':'record','name':'In','namespace':'n','fields':[{'name':'x','type':'F'}]}}]}");
}
END_TEST

START_TEST(canonical_recursive)
{
    check_canon("{'type':'record','name':'Node','namespace':'t','fields':["
                "{'name':'value','type':'int'},"
                "{'name':'children','type':{'type':'array','items':'Node'},'default':[]},"
                "{'name':'next','type':['null','t.Node'],'default':null}]}",
                "{'type':'record','name':'Node','namespace':'t','fields':["
                "{'name':'value','type':'int'},"
                "{'name':'children','type':{'type':'array','items':'Node'},'default':[]},"
                "{'name':'next','type':['null','Node'],'default':null}]}");

    avro_schema *s = parse_ok("{'type':'record','name':'L','fields':[{'name':'n','type':['null','L']}]}", 0);
    ck_assert_ptr_eq(s->root, s->root->fields[0].type->branches[1]);
    avro_fmt_schema_free(s);
}
END_TEST

START_TEST(canonical_attributes)
{
    /* member order per kind, whatever the input order */
    check_canon("{'aliases':['Old','x.y.Older'],'x-rec':{'k':[1,2]},'fields':["
                "{'x-f':1,'aliases':['old_a'],'order':'descending','default':3,'doc':'field a',"
                "'type':'int','name':'a'}],"
                "'doc':'A record','namespace':'com.x','name':'R','type':'record'}",
                "{'type':'record','name':'R','namespace':'com.x','doc':'A record','fields':["
                "{'name':'a','type':'int','doc':'field a','default':3,'order':'descending',"
                "'aliases':['old_a'],'x-f':1}],"
                "'x-rec':{'k':[1,2]},'aliases':['Old','x.y.Older']}");
    check_canon("{'aliases':['E0'],'x':true,'default':'B','symbols':['A','B'],'doc':'d','name':'E','type':'enum'}",
                "{'type':'enum','name':'E','doc':'d','symbols':['A','B'],'default':'B','x':true,'aliases':['E0']}");
    check_canon("{'aliases':['n.F0','m.F1'],'logicalType':'decimal','precision':5,'size':4,'doc':'d',"
                "'namespace':'n','name':'F','type':'fixed'}",
                "{'type':'fixed','name':'F','namespace':'n','doc':'d','size':4,"
                "'logicalType':'decimal','precision':5,'aliases':['F0','m.F1']}");
    check_canon("{'x':1,'items':'int','type':'array'}", "{'type':'array','items':'int','x':1}");
    check_canon("{'x':null,'values':'int','type':'map'}", "{'type':'map','values':'int','x':null}");
    /* reserved attributes are dropped where they mean nothing */
    check_canon("{'type':'int','name':'n','doc':'d','aliases':['a'],'namespace':'x','size':1,'default':1}",
                "{'type':'int','default':1}");
    check_canon("{'type':'array','items':'int','values':'long','fields':[],'symbols':[]}",
                "{'type':'array','items':'int'}");
    /* a record may carry a 'default' prop; an enum's is its default */
    check_canon("{'type':'record','name':'R','fields':[],'default':{}}",
                "{'type':'record','name':'R','fields':[],'default':{}}");
    /* non-string doc is ignored */
    check_canon("{'type':'record','name':'R','doc':5,'fields':[{'name':'a','type':'int','doc':[]}]}",
                "{'type':'record','name':'R','fields':[{'name':'a','type':'int'}]}");
    /* duplicate aliases collapse, as in Java's LinkedHashSet */
    check_canon("{'type':'fixed','name':'F','namespace':'n','size':1,'aliases':['A','n.A','A']}",
                "{'type':'fixed','name':'F','namespace':'n','size':1,'aliases':['A']}");
}
END_TEST

START_TEST(canonical_logical_types)
{
    check_canon("{'type':'record','name':'T','fields':["
                "{'name':'d','type':{'type':'int','logicalType':'date'}},"
                "{'name':'ts','type':{'logicalType':'timestamp-millis','type':'long'}},"
                "{'name':'amt','type':{'type':'bytes','logicalType':'decimal','precision':9,'scale':2}},"
                "{'name':'id','type':{'type':'string','logicalType':'uuid'}},"
                "{'name':'bad','type':{'type':'string','logicalType':'date'}},"
                "{'name':'odd','type':'long','logicalType':'timestamp-millis'}]}",
                "{'type':'record','name':'T','fields':["
                "{'name':'d','type':{'type':'int','logicalType':'date'}},"
                "{'name':'ts','type':{'type':'long','logicalType':'timestamp-millis'}},"
                "{'name':'amt','type':{'type':'bytes','logicalType':'decimal','precision':9,'scale':2}},"
                "{'name':'id','type':{'type':'string','logicalType':'uuid'}},"
                "{'name':'bad','type':{'type':'string','logicalType':'date'}},"
                "{'name':'odd','type':'long','logicalType':'timestamp-millis'}]}");
}
END_TEST

START_TEST(canonical_numbers)
{
    /* Jackson writes doubles with Java's Double.toString; integers stay integers */
    check_canon("{'type':'record','name':'N','fields':["
                "{'name':'a','type':'double','default':1.0},"
                "{'name':'b','type':'double','default':1e10},"
                "{'name':'c','type':'double','default':0.001},"
                "{'name':'d','type':'double','default':0.0001},"
                "{'name':'e','type':'double','default':1234567.0},"
                "{'name':'f','type':'double','default':12345678.9},"
                "{'name':'g','type':'double','default':-0.0},"
                "{'name':'h','type':'double','default':100},"
                "{'name':'i','type':'float','default':0.1},"
                "{'name':'j','type':'long','default':-0},"
                "{'name':'k','type':'double','default':1.5E-7},"
                "{'name':'l','type':'double','default':123456789012345678},"
                "{'name':'m','type':'double','default':2.5e+300}],"
                "'x':[1E2,0.5,-3]}",
                "{'type':'record','name':'N','fields':["
                "{'name':'a','type':'double','default':1.0},"
                "{'name':'b','type':'double','default':1.0E10},"
                "{'name':'c','type':'double','default':0.001},"
                "{'name':'d','type':'double','default':1.0E-4},"
                "{'name':'e','type':'double','default':1234567.0},"
                "{'name':'f','type':'double','default':1.23456789E7},"
                "{'name':'g','type':'double','default':-0.0},"
                "{'name':'h','type':'double','default':100},"
                "{'name':'i','type':'float','default':0.1},"
                "{'name':'j','type':'long','default':0},"
                "{'name':'k','type':'double','default':1.5E-7},"
                "{'name':'l','type':'double','default':123456789012345678},"
                "{'name':'m','type':'double','default':2.5E300}],"
                "'x':[100.0,0.5,-3]}");

    strbuf sb = STRBUF_INIT;
    avro_fmt_java_double(&sb, 0.1 + 0.2);
    avro_fmt_java_double(&sb, 1e7);
    avro_fmt_java_double(&sb, 9999999.0);
    avro_fmt_java_double(&sb, 4.9e-324);
    avro_fmt_java_float(&sb, 0.1f);
    avro_fmt_java_float(&sb, 16777217.0f);
    avro_fmt_java_float(&sb, 3.4028235e38f);
    ck_assert_str_eq(sb.data, "0.300000000000000041.0E79999999.04.9E-3240.11.6777216E73.4028235E38");
    strbuf_free(&sb);

    double d;
    ck_assert_int_eq(avro_fmt_java_parse_double("  -1.5e2f ", &d), 0);
    ck_assert(d == -150.0);
    ck_assert_int_eq(avro_fmt_java_parse_double(".5", &d), 0);
    ck_assert(d == 0.5);
    ck_assert_int_eq(avro_fmt_java_parse_double("5.", &d), 0);
    ck_assert_int_eq(avro_fmt_java_parse_double("0x1p3", &d), 0);
    ck_assert(d == 8.0);
    ck_assert_int_eq(avro_fmt_java_parse_double("0x10", &d), -1);
    ck_assert_int_eq(avro_fmt_java_parse_double(".", &d), -1);
    ck_assert_int_eq(avro_fmt_java_parse_double("1e", &d), -1);
    ck_assert_int_eq(avro_fmt_java_parse_double("inf", &d), -1);
    ck_assert_int_eq(avro_fmt_java_parse_double("1,5", &d), -1);
}
END_TEST

START_TEST(canonical_strings)
{
    /* Jackson escaping: quotes, backslash, control characters; non-ASCII as is */
    const char *src = "{\"type\":\"record\",\"name\":\"S\",\"doc\":\"say \\\"hi\\\"\\n\\t\\\\ \\u00e9\\u4e2d \\u0001 /\","
                      "\"fields\":[{\"name\":\"s\",\"type\":\"string\",\"default\":\"\\ud83d\\ude00\"}]}";
    sr_error err = {0};
    avro_schema *s = avro_fmt_parse(src, strlen(src), NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    char *c = avro_fmt_canonical(s);
    ck_assert_str_eq(c, "{\"type\":\"record\",\"name\":\"S\",\"doc\":\"say \\\"hi\\\"\\n\\t\\\\ \xc3\xa9\xe4\xb8\xad \\u0001 /\","
                        "\"fields\":[{\"name\":\"s\",\"type\":\"string\",\"default\":\"\xf0\x9f\x98\x80\"}]}");
    free(c);
    avro_fmt_schema_free(s);
}
END_TEST

START_TEST(canonical_formatting_invariance)
{
    const char *a = "{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':['null','string'],'default':null}]}";
    const char *b = "{\n  'fields' : [ { 'default' : null , 'type' : [ 'null' , 'string' ] , 'name' : 'a' } ] ,\n"
                    "  'namespace' : 'n' ,\t'name' : 'R' , 'type' : 'record'\n}\n";
    const char *c = "{'type':'record','name':'n.R','fields':[{'name':'a','type':['null',{'type':'string'}],'default':null}]}";
    char *ca = canon_of(a), *cb = canon_of(b), *cc = canon_of(c);
    ck_assert_str_eq(ca, cb);
    ck_assert_str_eq(ca, cc);
    free(cb);
    free(cc);

    /* doc, default, aliases, props and order do change the text */
    const char *variants[] = {
        "{'type':'record','name':'R','namespace':'n','doc':'x','fields':[{'name':'a','type':['null','string'],'default':null}]}",
        "{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':['null','string']}]}",
        "{'type':'record','name':'R','namespace':'n','aliases':['Q'],'fields':[{'name':'a','type':['null','string'],'default':null}]}",
        "{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':['null','string'],'default':null,'p':1}]}",
        "{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':['null','string'],'default':null,'order':'ignore'}]}",
        "{'type':'record','name':'R','namespace':'n','fields':[{'name':'a','type':['null','string'],'default':null,'aliases':['b']}]}",
    };
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        char *cv = canon_of(variants[i]);
        ck_assert_str_ne(ca, cv);
        free(cv);
    }
    free(ca);
}
END_TEST

START_TEST(canonical_realistic)
{
    check_canon("{\n"
                "  'type': 'record', 'name': 'Payment', 'namespace': 'io.shop.payments',\n"
                "  'doc': 'A payment event',\n"
                "  'fields': [\n"
                "    {'name': 'id', 'type': {'type': 'string', 'logicalType': 'uuid'}},\n"
                "    {'name': 'amount', 'type': {'type': 'bytes', 'logicalType': 'decimal', 'precision': 12, 'scale': 2}},\n"
                "    {'name': 'currency', 'type': {'type': 'enum', 'name': 'Currency', 'symbols': ['EUR', 'USD', 'GBP'], 'default': 'EUR'}, 'default': 'EUR'},\n"
                "    {'name': 'status', 'type': ['null', {'type': 'enum', 'name': 'Status', 'namespace': 'io.shop.common', 'symbols': ['OK', 'FAILED']}], 'default': null},\n"
                "    {'name': 'hash', 'type': {'type': 'fixed', 'name': 'Sha256', 'size': 32}},\n"
                "    {'name': 'tags', 'type': {'type': 'map', 'values': 'string'}, 'default': {}},\n"
                "    {'name': 'previous', 'type': ['null', 'Payment'], 'default': null, 'doc': 'chain'},\n"
                "    {'name': 'at', 'type': {'type': 'long', 'logicalType': 'timestamp-millis'}, 'connect.name': 'ts'},\n"
                "    {'name': 'lastStatus', 'type': 'io.shop.common.Status'}\n"
                "  ],\n"
                "  'connect.version': 2\n"
                "}",
                "{'type':'record','name':'Payment','namespace':'io.shop.payments','doc':'A payment event','fields':["
                "{'name':'id','type':{'type':'string','logicalType':'uuid'}},"
                "{'name':'amount','type':{'type':'bytes','logicalType':'decimal','precision':12,'scale':2}},"
                "{'name':'currency','type':{'type':'enum','name':'Currency','symbols':['EUR','USD','GBP'],'default':'EUR'},'default':'EUR'},"
                "{'name':'status','type':['null',{'type':'enum','name':'Status','namespace':'io.shop.common','symbols':['OK','FAILED']}],'default':null},"
                "{'name':'hash','type':{'type':'fixed','name':'Sha256','size':32}},"
                "{'name':'tags','type':{'type':'map','values':'string'},'default':{}},"
                "{'name':'previous','type':['null','Payment'],'doc':'chain','default':null},"
                "{'name':'at','type':{'type':'long','logicalType':'timestamp-millis'},'connect.name':'ts'},"
                "{'name':'lastStatus','type':'io.shop.common.Status'}],"
                "'connect.version':2}");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* normalized text                                                           */

START_TEST(normalized_basic)
{
    check_norm("'int'", "'int'");
    check_norm("{'type':'string','b':1,'a':{'y':2,'x':1}}", "{'type':'string','a':{'x':1,'y':2},'b':1}");
    check_norm("{'type':'record','name':'R','namespace':'com.x','doc':'d','aliases':['Z','A','q.B'],"
               "'z-prop':1,'a-prop':2,'fields':["
               "{'name':'a','type':'int','doc':'','aliases':['y','b'],'default':1,'order':'descending','p':[3]},"
               "{'name':'e','type':{'type':'enum','name':'E','doc':'','symbols':['A','B'],'default':'B','aliases':['E0']}},"
               "{'name':'f','type':{'type':'fixed','name':'F','namespace':'o','size':4}},"
               "{'name':'g','type':['null','o.F'],'default':null},"
               "{'name':'h','type':{'type':'error','name':'Err','fields':[]}}]}",
               "{'name':'com.x.R','type':'record','fields':["
               "{'name':'a','type':'int','order':'DESCENDING','doc':'','aliases':['b','y'],'default':1,'p':[3]},"
               "{'name':'e','type':{'name':'com.x.E','type':'enum','symbols':['A','B'],'aliases':['com.x.E0'],'default':'B'},'order':'ASCENDING'},"
               "{'name':'f','type':{'name':'o.F','type':'fixed','size':4},'order':'ASCENDING'},"
               "{'name':'g','type':['null','o.F'],'order':'ASCENDING','default':null},"
               "{'name':'h','type':{'name':'com.x.Err','type':'record','fields':[]},'order':'ASCENDING'}],"
               "'doc':'d','aliases':['com.x.A','com.x.Z','q.B'],'a-prop':2,'z-prop':1}");
}
END_TEST

START_TEST(normalized_logical_and_defaults)
{
    /* a valid logical type writes its attributes, then all props again (as
     * Confluent does); an invalid one is just props */
    check_norm("{'type':'record','name':'R','fields':["
               "{'name':'d','type':{'type':'int','logicalType':'date'}},"
               "{'name':'m','type':{'type':'bytes','logicalType':'decimal','precision':4,'scale':2}},"
               "{'name':'z','type':{'type':'bytes','logicalType':'decimal','precision':4,'scale':0}},"
               "{'name':'f','type':{'type':'fixed','name':'D','size':2,'logicalType':'decimal','precision':4}},"
               "{'name':'big','type':{'type':'fixed','name':'B','size':2,'logicalType':'decimal','precision':5}},"
               "{'name':'bad','type':{'type':'long','logicalType':'date'}},"
               "{'name':'js','type':{'type':'string','logicalType':'uuid','avro.java.string':'String'}}]}",
               "{'name':'R','type':'record','fields':["
               "{'name':'d','type':{'type':'int','logicalType':'date','logicalType':'date'},'order':'ASCENDING'},"
               "{'name':'m','type':{'type':'bytes','logicalType':'decimal','precision':4,'scale':2,"
               "'logicalType':'decimal','precision':4,'scale':2},'order':'ASCENDING'},"
               "{'name':'z','type':{'type':'bytes','logicalType':'decimal','precision':4,"
               "'logicalType':'decimal','precision':4,'scale':0},'order':'ASCENDING'},"
               "{'name':'f','type':{'name':'D','type':'fixed','size':2,'logicalType':'decimal','precision':4,"
               "'logicalType':'decimal','precision':4},'order':'ASCENDING'},"
               "{'name':'big','type':{'name':'B','type':'fixed','size':2,'logicalType':'decimal','precision':5},'order':'ASCENDING'},"
               "{'name':'bad','type':{'type':'long','logicalType':'date'},'order':'ASCENDING'},"
               "{'name':'js','type':{'type':'string','avro.java.string':'String','logicalType':'uuid'},'order':'ASCENDING'}]}");

    /* defaults are converted to the field's type and objects sorted */
    check_norm("{'type':'record','name':'R','fields':["
               "{'name':'a','type':'double','default':1},"
               "{'name':'b','type':'float','default':0.1},"
               "{'name':'c','type':'float','default':'2.5'},"
               "{'name':'d','type':{'type':'map','values':'double'},'default':{'z':1,'a':2}},"
               "{'name':'e','type':'bytes','default':'\\u00ff\\u0100'},"
               "{'name':'f','type':['null','int'],'default':null},"
               "{'name':'g','type':{'type':'record','name':'S','fields':[{'name':'y','type':'long'},"
               "{'name':'x','type':'double','default':0}]},'default':{'y':1,'x':3}}]}",
               "{'name':'R','type':'record','fields':["
               "{'name':'a','type':'double','order':'ASCENDING','default':1.0},"
               "{'name':'b','type':'float','order':'ASCENDING','default':0.1},"
               "{'name':'c','type':'float','order':'ASCENDING','default':2.5},"
               "{'name':'d','type':{'type':'map','values':'double'},'order':'ASCENDING','default':{'a':2.0,'z':1.0}},"
               "{'name':'e','type':'bytes','order':'ASCENDING','default':'\xc3\xbf?'},"
               "{'name':'f','type':['null','int'],'order':'ASCENDING','default':null},"
               "{'name':'g','type':{'name':'S','type':'record','fields':["
               "{'name':'y','type':'long','order':'ASCENDING'},"
               "{'name':'x','type':'double','order':'ASCENDING','default':0.0}]},"
               "'order':'ASCENDING','default':{'x':3.0,'y':1}}]}");
}
END_TEST

START_TEST(normalized_equal_for_equivalent)
{
    /* different namespace spelling, same meaning: same normalized text */
    const char *a = "{'type':'record','name':'R','namespace':'n','fields':[{'name':'s','type':"
                    "{'type':'record','name':'S','fields':[]}},{'name':'t','type':'S'}]}";
    const char *b = "{'type':'record','name':'n.R','fields':[{'name':'s','type':"
                    "{'type':'record','name':'n.S','fields':[]}},{'name':'t','type':'n.S'}]}";
    avro_schema *sa = parse_ok(a, 0), *sb = parse_ok(b, 0);
    char *na = avro_fmt_normalized(sa), *nb = avro_fmt_normalized(sb);
    ck_assert_str_eq(na, nb);
    /* the normalized text parses and normalizes to itself */
    avro_schema *sn = parse_ok(na, 0);
    char *nn = avro_fmt_normalized(sn);
    ck_assert_str_eq(nn, na);
    free(nn);
    avro_fmt_schema_free(sn);
    free(na);
    free(nb);
    avro_fmt_schema_free(sa);
    avro_fmt_schema_free(sb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the format table                                                          */

START_TEST(format_table)
{
    const sr_format *f = &avro_format;
    ck_assert_str_eq(f->type, "AVRO");
    sr_error err = {0};
    const char *text = "{\"type\" : \"array\", \"items\" : \"int\"}";
    void *s = f->parse(text, strlen(text), NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    char *c = f->canonical(s), *n = f->normalized(s);
    ck_assert_str_eq(c, "{\"type\":\"array\",\"items\":\"int\"}");
    ck_assert_str_eq(n, "{\"type\":\"array\",\"items\":\"int\"}");
    free(c);
    free(n);
    f->free(s);
    ck_assert_ptr_null(f->parse("{", 1, NULL, 0, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
}
END_TEST

static Suite *avro_suite(void)
{
    Suite *s = suite_create("avro_format");
    TCase *v = tcase_create("validation");
    tcase_set_timeout(v, 60);
    tcase_add_test(v, primitives);
    tcase_add_test(v, not_a_schema);
    tcase_add_test(v, bad_json);
    tcase_add_test(v, records);
    tcase_add_test(v, duplicate_fields);
    tcase_add_test(v, field_names);
    tcase_add_test(v, names);
    tcase_add_test(v, primitive_names_reserved);
    tcase_add_test(v, redefinition);
    tcase_add_test(v, undefined_names);
    tcase_add_test(v, type_attribute_names_a_type);
    tcase_add_test(v, enums);
    tcase_add_test(v, enum_default);
    tcase_add_test(v, fixed);
    tcase_add_test(v, arrays_and_maps);
    tcase_add_test(v, unions);
    tcase_add_test(v, aliases_and_order);
    tcase_add_test(v, defaults_primitive);
    tcase_add_test(v, defaults_complex);
    tcase_add_test(v, defaults_real_strings);
    tcase_add_test(v, lenient_keeps_invalid_defaults);
    tcase_add_test(v, deep_nesting);
    tcase_add_test(v, large_schema);
    tcase_add_test(v, threads);
    tcase_add_test(v, references);
    suite_add_tcase(s, v);

    TCase *c = tcase_create("canonical");
    tcase_add_test(c, canonical_namespaces);
    tcase_add_test(c, canonical_recursive);
    tcase_add_test(c, canonical_attributes);
    tcase_add_test(c, canonical_logical_types);
    tcase_add_test(c, canonical_numbers);
    tcase_add_test(c, canonical_strings);
    tcase_add_test(c, canonical_formatting_invariance);
    tcase_add_test(c, canonical_realistic);
    suite_add_tcase(s, c);

    TCase *n = tcase_create("normalized");
    tcase_add_test(n, normalized_basic);
    tcase_add_test(n, normalized_logical_and_defaults);
    tcase_add_test(n, normalized_equal_for_equivalent);
    tcase_add_test(n, format_table);
    suite_add_tcase(s, n);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(avro_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
