/*
 * Unit tests for the JSON Schema format module: the JSON reader, draft
 * selection, validation per draft (every keyword rule, with the JSON pointer
 * of the problem), $ref resolution (pointers, $id, anchors, dynamic refs,
 * references to other subjects, cycles), the model of compat.md §4.2, and the
 * canonical / normalized texts.
 *
 * Schemas are written with ' for " to keep them readable; q() converts.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "formats/format.h"
#include "formats/jsonschema/js_internal.h"
#include "formats/jsonschema/jsonschema_format.h"

#define D4 "'$schema':'http://json-schema.org/draft-04/schema#'"
#define D6 "'$schema':'http://json-schema.org/draft-06/schema#'"
#define D7 "'$schema':'http://json-schema.org/draft-07/schema#'"
#define D2019 "'$schema':'https://json-schema.org/draft/2019-09/schema'"
#define D2020 "'$schema':'https://json-schema.org/draft/2020-12/schema'"

static const char *const all_drafts[] = {D4, D6, D7, D2019, D2020};

static char *q(const char *s)
{
    char *r = xstrdup(s);
    for (char *p = r; *p; p++)
        if (*p == '\'') *p = '"';
    return r;
}

/* "{" + draft + "," + body + "}" (body may be empty) */
static char *with_draft(const char *draft, const char *body)
{
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "{%s%s%s}", draft, *body ? "," : "", body);
    return strbuf_take(&sb);
}

static js_schema *parse_deps(const char *src, const sr_dep *deps, size_t n, unsigned flags,
                             sr_error *err)
{
    char *text = q(src);
    js_schema *s = js_fmt_parse(text, strlen(text), deps, n, flags, err);
    free(text);
    return s;
}

static js_schema *parse_ok_deps(const char *src, const sr_dep *deps, size_t n)
{
    sr_error err = {0};
    js_schema *s = parse_deps(src, deps, n, 0, &err);
    ck_assert_msg(s != NULL, "expected valid: %s\n  got: %s", src, err.msg);
    return s;
}

static js_schema *parse_ok(const char *src)
{
    return parse_ok_deps(src, NULL, 0);
}

static void check_valid(const char *src)
{
    js_fmt_schema_free(parse_ok(src));
}

static void check_invalid_deps(const char *src, const sr_dep *deps, size_t n, const char *frag)
{
    sr_error err = {0};
    js_schema *s = parse_deps(src, deps, n, 0, &err);
    ck_assert_msg(s == NULL, "expected invalid: %s", src);
    ck_assert_int_eq(err.http, 422);
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    char *f = q(frag);
    ck_assert_msg(strstr(err.msg, f) != NULL, "message \"%s\" lacks \"%s\"", err.msg, f);
    ck_assert_msg(strncmp(err.msg, "Invalid schema: ", 16) == 0, "message: %s", err.msg);
    free(f);
}

static void check_invalid(const char *src, const char *frag)
{
    check_invalid_deps(src, NULL, 0, frag);
}

/* body (without $schema) is valid in draft d */
static void valid_in(const char *draft, const char *body)
{
    char *src = with_draft(draft, body);
    check_valid(src);
    free(src);
}

static void invalid_in(const char *draft, const char *body, const char *frag)
{
    char *src = with_draft(draft, body);
    check_invalid(src, frag);
    free(src);
}

static void valid_everywhere(const char *body)
{
    for (size_t i = 0; i < 5; i++) valid_in(all_drafts[i], body);
}

static void invalid_everywhere(const char *body, const char *frag)
{
    for (size_t i = 0; i < 5; i++) invalid_in(all_drafts[i], body, frag);
}

static char *canon_deps(const char *src, const sr_dep *deps, size_t n)
{
    js_schema *s = parse_ok_deps(src, deps, n);
    char *c = js_fmt_canonical(s);
    js_fmt_schema_free(s);
    return c;
}

/* canonical text of src is want, and parsing it again gives it again */
static void check_canon(const char *src, const char *want_q)
{
    char *got = canon_deps(src, NULL, 0);
    char *want = q(want_q);
    ck_assert_str_eq(got, want);
    sr_error err = {0};
    js_schema *s = js_fmt_parse(got, strlen(got), NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "canonical text does not parse: %s (%s)", got, err.msg);
    char *again = js_fmt_canonical(s);
    ck_assert_str_eq(again, want);
    free(again);
    js_fmt_schema_free(s);
    free(got);
    free(want);
}

static void check_norm(const char *src, const char *want_q)
{
    js_schema *s = parse_ok(src);
    char *got = js_fmt_normalized(s);
    char *want = q(want_q);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    js_fmt_schema_free(s);
}

/* ------------------------------------------------------------------------ */
/* model dump: a compact picture of a node's shape                           */

static void dump(strbuf *sb, const js_node *n, int depth)
{
    static const char *const crit[] = {"allOf", "anyOf", "oneOf"};
    if (!n) {
        strbuf_puts(sb, "NULL");
        return;
    }
    if (depth > 8) {
        strbuf_puts(sb, "...");
        return;
    }
    switch (n->kind) {
    case JS_EMPTY: strbuf_puts(sb, "{}"); break;
    case JS_FALSE: strbuf_puts(sb, "false"); break;
    case JS_REF: strbuf_printf(sb, "ref(%s)", n->ref); break;
    case JS_ENUM: strbuf_printf(sb, "enum%zu", n->n_values); break;
    case JS_CONST: strbuf_puts(sb, "const"); break;
    case JS_NOT:
        strbuf_puts(sb, "not(");
        dump(sb, n->not_schema, depth + 1);
        strbuf_putc(sb, ')');
        break;
    case JS_STRING: strbuf_puts(sb, "string"); break;
    case JS_NUMBER: strbuf_puts(sb, n->requires_integer ? "integer" : "number"); break;
    case JS_BOOLEAN: strbuf_puts(sb, "boolean"); break;
    case JS_NULL: strbuf_puts(sb, "null"); break;
    case JS_ARRAY: strbuf_puts(sb, "array"); break;
    case JS_OBJECT: strbuf_puts(sb, "object"); break;
    case JS_CONDITIONAL: strbuf_puts(sb, "if"); break;
    case JS_COMBINED:
        strbuf_printf(sb, "%s%s[", crit[n->criterion], n->synthetic ? "*" : "");
        for (size_t i = 0; i < n->n_subschemas; i++) {
            if (i) strbuf_putc(sb, ',');
            dump(sb, n->subschemas[i], depth + 1);
        }
        strbuf_putc(sb, ']');
        break;
    }
}

static char *shape_of(const js_node *n)
{
    strbuf sb = STRBUF_INIT;
    dump(&sb, n, 0);
    return strbuf_take(&sb);
}

static void check_shape(const char *src, const char *want)
{
    js_schema *s = parse_ok(src);
    char *got = shape_of(s->root);
    ck_assert_msg(strcmp(got, want) == 0, "%s\n  shape %s, expected %s", src, got, want);
    free(got);
    js_fmt_schema_free(s);
}

/* the first node of a kind in the root (the root itself or a synthetic member) */
static const js_node *find_kind(const js_node *n, js_kind k)
{
    if (n->kind == k) return n;
    if (n->kind == JS_COMBINED)
        for (size_t i = 0; i < n->n_subschemas; i++)
            if (n->subschemas[i]->kind == k) return n->subschemas[i];
    return NULL;
}

static const js_node *prop(const js_node *obj, const char *name)
{
    ck_assert_ptr_nonnull(obj);
    for (size_t i = 0; i < obj->n_properties; i++)
        if (strcmp(obj->properties[i].name, name) == 0) return obj->properties[i].schema;
    ck_abort_msg("no property %s", name);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* JSON reader                                                               */

START_TEST(bad_json)
{
    check_invalid("", "not valid JSON");
    check_invalid("   ", "not valid JSON");
    check_invalid("{'type':'string'", "not valid JSON: unterminated object");
    check_invalid("{'type':'string'} x", "unexpected content after the JSON value");
    check_invalid("{'type':'string',}", "expected a string key");
    check_invalid("{'a':[1,]}", "unexpected character");
    check_invalid("{'a':01}", "leading zeros");
    check_invalid("{'a':1.}", "bad number");
    check_invalid("{'a':1e}", "bad number");
    check_invalid("{'a':-}", "bad number");
    check_invalid("{'a':NaN}", "unexpected character");
    check_invalid("{'a':Infinity}", "unexpected character");
    check_invalid("{'a':'\\x'}", "bad escape");
    check_invalid("{'a':'\\u12'}", "bad \\u escape");
    check_invalid("{'a':'\\ud800'}", "unpaired surrogate");
    check_invalid("{'a':'\\udc00x'}", "unpaired surrogate");
    check_invalid("{'a\\u0000':1}", "a key contains \\u0000");
    check_invalid("{'a':1e1234567890}", "exponent out of range");
    check_invalid("{/*c*/}", "expected a string key");
    check_invalid("{'a':tru}", "unexpected character");
    check_invalid("{'a' 1}", "at line 1, column 6");
    check_invalid("{'a':1 'b':2}", "at line 1, column 8");
    check_invalid("[1 2]", "at line 1, column 4");
    check_invalid("{'a':'x\ny'}", "unescaped control character");
    /* Jackson reads numbers of up to 1000 characters */
    {
        strbuf sb = STRBUF_INIT;
        strbuf_puts(&sb, "{'default':");
        for (int i = 0; i < 1000; i++) strbuf_putc(&sb, '7');
        strbuf_puts(&sb, "}");
        js_fmt_schema_free(parse_ok(sb.data));
        sb.len -= 1;
        strbuf_puts(&sb, "7}");
        check_invalid(sb.data, "number longer than 1000 characters");
        strbuf_free(&sb);
    }
    /* line and column of the problem */
    check_invalid("{\n  'a': ?\n}", "at line 2, column 8");

    sr_error err = {0};
    const char bad_utf8[] = "{\"a\":\"\xff\xfe\"}";
    ck_assert_ptr_null(js_fmt_parse(bad_utf8, strlen(bad_utf8), NULL, 0, 0, &err));
    ck_assert_str_eq(err.msg, "Invalid schema: not valid JSON: invalid UTF-8 in a string at line 1, column 7");
    const char overlong[] = "{\"a\":\"\xc0\xaf\"}";
    ck_assert_ptr_null(js_fmt_parse(overlong, strlen(overlong), NULL, 0, 0, &err));
    const char surrogate[] = "{\"a\":\"\xed\xa0\x80\"}";
    ck_assert_ptr_null(js_fmt_parse(surrogate, strlen(surrogate), NULL, 0, 0, &err));
    const char nul[] = "{}\0 ";
    ck_assert_ptr_null(js_fmt_parse(nul, sizeof nul - 1, NULL, 0, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    /* len is honoured */
    const char part[] = "{}garbage";
    js_schema *s = js_fmt_parse(part, 2, NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    js_fmt_schema_free(s);
    ck_assert_ptr_null(js_fmt_parse(NULL, 0, NULL, 0, 0, &err));
    ck_assert_str_eq(err.msg, "Invalid schema: no schema text");
}
END_TEST

START_TEST(not_a_schema)
{
    check_invalid("123", "Invalid schema: #: a schema must be a JSON object or a boolean");
    check_invalid("'string'", "a schema must be a JSON object or a boolean");
    check_invalid("null", "a schema must be a JSON object or a boolean");
    check_invalid("[{}]", "a schema must be a JSON object or a boolean");
    js_schema *s = parse_ok("true");
    ck_assert_int_eq(s->root->kind, JS_EMPTY);
    ck_assert_int_eq(s->draft, JS_DRAFT_7);
    js_fmt_schema_free(s);
    s = parse_ok("false");
    ck_assert_int_eq(s->root->kind, JS_FALSE);
    js_fmt_schema_free(s);
    s = parse_ok("{}");
    ck_assert_int_eq(s->root->kind, JS_EMPTY);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(duplicate_keys)
{
    /* Jackson: the last value wins, in the first key's place */
    check_canon("{'type':'string','title':'a','type':'integer'}", "{'type':'integer','title':'a'}");
    js_schema *s = parse_ok("{'type':'string','type':'integer'}");
    ck_assert_int_eq(s->root->kind, JS_NUMBER);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(deep_nesting)
{
    /* 10,000-deep input: a clean 42201 */
    for (int kind = 0; kind < 3; kind++) {
        strbuf sb = STRBUF_INIT;
        for (int i = 0; i < 10000; i++)
            strbuf_puts(&sb, kind == 0 ? "{\"not\":" : kind == 1 ? "[" : "{\"a\":");
        strbuf_puts(&sb, kind == 1 ? "1" : "{}");
        for (int i = 0; i < 10000; i++) strbuf_putc(&sb, kind == 1 ? ']' : '}');
        sr_error err = {0};
        js_schema *s = js_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
        ck_assert_msg(strstr(err.msg, "nesting deeper than 1000 levels"), "%s", err.msg);
        strbuf_free(&sb);
    }
    /* 999 levels are fine, and build a 999-deep model */
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 998; i++) strbuf_puts(&sb, "{\"not\":");
    strbuf_puts(&sb, "{}");
    for (int i = 0; i < 998; i++) strbuf_putc(&sb, '}');
    sr_error err = {0};
    js_schema *s = js_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    int depth = 0;
    for (const js_node *n = s->root; n->kind == JS_NOT; n = n->not_schema) depth++;
    ck_assert_int_eq(depth, 998);
    char *c = js_fmt_canonical(s);
    ck_assert_str_eq(c, sb.data);
    free(c);
    js_fmt_schema_free(s);
    strbuf_free(&sb);
}
END_TEST

START_TEST(huge_document)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{\"type\":\"object\",\"properties\":{");
    for (int i = 0; i < 50000; i++)
        strbuf_printf(&sb, "%s\"p%d\":{\"type\":\"string\",\"maxLength\":%d}", i ? "," : "", i, i);
    strbuf_puts(&sb, "},\"required\":[");
    for (int i = 0; i < 50000; i += 2) strbuf_printf(&sb, "%s\"p%d\"", i ? "," : "", i);
    strbuf_puts(&sb, "],\"enum\":[");
    for (int i = 0; i < 20000; i++) strbuf_printf(&sb, "%s{\"p%d\":1}", i ? "," : "", i);
    strbuf_puts(&sb, "]}");
    sr_error err = {0};
    js_schema *s = js_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    const js_node *obj = find_kind(s->root, JS_OBJECT);
    ck_assert_uint_eq(obj->n_properties, 50000);
    ck_assert_uint_eq(obj->n_required, 25000);
    ck_assert_str_eq(obj->properties[49999].name, "p49999");
    ck_assert_str_eq(obj->properties[49999].schema->max_length.text, "49999");
    char *c = js_fmt_canonical(s);
    ck_assert_str_eq(c, sb.data);
    free(c);
    js_fmt_schema_free(s);
    strbuf_free(&sb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* drafts                                                                    */

static void check_draft(const char *src, js_draft want)
{
    js_schema *s = parse_ok(src);
    ck_assert_msg(s->draft == want, "%s: draft %d, expected %d", src, s->draft, want);
    js_fmt_schema_free(s);
}

START_TEST(draft_selection)
{
    check_draft("{}", JS_DRAFT_7);
    check_draft("{'type':'string'}", JS_DRAFT_7);
    check_draft("{'$schema':'http://json-schema.org/draft-04/schema#'}", JS_DRAFT_4);
    check_draft("{'$schema':'http://json-schema.org/draft-04/schema'}", JS_DRAFT_4);
    check_draft("{'$schema':'https://json-schema.org/draft-04/schema#'}", JS_DRAFT_4);
    check_draft("{'$schema':'http://json-schema.org/draft-06/schema#'}", JS_DRAFT_6);
    check_draft("{'$schema':'https://json-schema.org/draft-06/schema'}", JS_DRAFT_6);
    check_draft("{'$schema':'http://json-schema.org/draft-07/schema#'}", JS_DRAFT_7);
    check_draft("{'$schema':'https://json-schema.org/draft-07/schema'}", JS_DRAFT_7);
    check_draft("{'$schema':'https://json-schema.org/draft/2019-09/schema'}", JS_DRAFT_2019_09);
    check_draft("{'$schema':'http://json-schema.org/draft/2019-09/schema#'}", JS_DRAFT_2019_09);
    check_draft("{'$schema':'https://json-schema.org/draft/2020-12/schema'}", JS_DRAFT_2020_12);
    check_draft("{'$schema':'https://json-schema.org/draft/2020-12/schema#'}", JS_DRAFT_2020_12);
    check_draft("{'$schema':'http://json-schema.org/draft/2020-12/schema'}", JS_DRAFT_2020_12);

    check_invalid("{'$schema':'http://example.com/my-meta'}",
                  "Invalid schema: #/$schema: unknown or unsupported JSON Schema version");
    check_invalid("{'$schema':'http://json-schema.org/draft-03/schema#'}", "#/$schema: unknown");
    check_invalid("{'$schema':'https://json-schema.org/draft/2020-12/schemax'}", "#/$schema: unknown");
    check_invalid("{'$schema':'http://json-schema.org/schema#'}", "#/$schema: unknown");
    check_invalid("{'$schema':7}", "#/$schema: unknown");
    /* $schema in a subschema: not a draft switch, but must be a string */
    check_draft("{'properties':{'a':{'$schema':'http://json-schema.org/draft-04/schema#'}}}",
                JS_DRAFT_7);
    check_invalid("{'properties':{'a':{'$schema':1}}}", "#/properties/a/$schema: expected a string");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* validation, keyword by keyword                                            */

START_TEST(validate_type)
{
    static const char *const types[] = {"string", "integer", "number", "boolean",
                                        "null",   "array",   "object"};
    for (size_t i = 0; i < 7; i++) {
        char body[64];
        snprintf(body, sizeof body, "'type':'%s'", types[i]);
        valid_everywhere(body);
    }
    valid_everywhere("'type':['string','null']");
    invalid_everywhere("'type':'str'", "#/type: unknown type \"str\"");
    invalid_everywhere("'type':'any'", "#/type: unknown type \"any\"");
    invalid_everywhere("'type':1", "#/type: expected a type name or a non-empty array of them");
    invalid_everywhere("'type':[]", "#/type: expected a type name or a non-empty array");
    invalid_everywhere("'type':['string','string']", "#/type: expected unique type names");
    invalid_everywhere("'type':['string',1]", "#/type/1: expected a type name");
    invalid_everywhere("'type':['string','foo']", "#/type/1: unknown type \"foo\"");
    invalid_everywhere("'properties':{'a':{'type':{}}}", "#/properties/a/type: expected a type");
}
END_TEST

START_TEST(validate_enum_const)
{
    valid_everywhere("'enum':['a',1,null,{'x':[1]}]");
    invalid_everywhere("'enum':'a'", "#/enum: expected an array");
    invalid_everywhere("'enum':{}", "#/enum: expected an array");
    /* draft-04 and -06: non-empty and unique */
    invalid_in(D4, "'enum':[]", "#/enum: expected a non-empty array");
    invalid_in(D6, "'enum':[]", "#/enum: expected a non-empty array");
    invalid_in(D4, "'enum':['a','a']", "#/enum: expected unique values");
    invalid_in(D6, "'enum':[{'a':1,'b':2},{'b':2,'a':1}]", "#/enum: expected unique values");
    valid_in(D7, "'enum':[]");
    valid_in(D7, "'enum':['a','a']");
    valid_in(D2019, "'enum':[]");
    valid_in(D2020, "'enum':['a','a']");
    valid_everywhere("'const':{'a':[1,2]}");
    valid_everywhere("'const':null");
}
END_TEST

START_TEST(validate_numbers)
{
    valid_everywhere("'minimum':-1.5,'maximum':1e300,'multipleOf':0.01");
    invalid_everywhere("'minimum':'1'", "#/minimum: expected a number");
    invalid_everywhere("'maximum':true", "#/maximum: expected a number");
    invalid_everywhere("'multipleOf':0", "#/multipleOf: expected a number greater than 0");
    invalid_everywhere("'multipleOf':-2", "#/multipleOf: expected a number greater than 0");
    invalid_everywhere("'multipleOf':'2'", "#/multipleOf: expected a number greater than 0");
    /* draft-04: boolean exclusive flags that need their limit */
    valid_in(D4, "'minimum':1,'exclusiveMinimum':true,'maximum':2,'exclusiveMaximum':false");
    invalid_in(D4, "'exclusiveMinimum':1", "#/exclusiveMinimum: expected a boolean (draft-04)");
    invalid_in(D4, "'exclusiveMaximum':true", "#/exclusiveMaximum: requires \"maximum\" (draft-04)");
    invalid_in(D4, "'exclusiveMinimum':true", "#/exclusiveMinimum: requires \"minimum\"");
    for (size_t i = 1; i < 5; i++) {
        valid_in(all_drafts[i], "'exclusiveMinimum':1,'exclusiveMaximum':2.5");
        invalid_in(all_drafts[i], "'exclusiveMinimum':true", "#/exclusiveMinimum: expected a number");
        invalid_in(all_drafts[i], "'exclusiveMaximum':false", "#/exclusiveMaximum: expected a number");
    }
}
END_TEST

START_TEST(validate_counts)
{
    static const char *const kws[] = {"maxLength", "minLength", "maxItems", "minItems",
                                      "maxProperties", "minProperties"};
    for (size_t i = 0; i < 6; i++) {
        char body[80], want[120];
        snprintf(body, sizeof body, "'%s':0", kws[i]);
        valid_everywhere(body);
        snprintf(body, sizeof body, "'%s':5.0", kws[i]);
        valid_everywhere(body);
        snprintf(want, sizeof want, "#/%s: expected a non-negative integer", kws[i]);
        snprintf(body, sizeof body, "'%s':-1", kws[i]);
        invalid_everywhere(body, want);
        snprintf(body, sizeof body, "'%s':1.5", kws[i]);
        invalid_everywhere(body, want);
        snprintf(body, sizeof body, "'%s':'3'", kws[i]);
        invalid_everywhere(body, want);
    }
    /* nested, with the pointer of the value */
    check_invalid("{'properties':{'a':{'minLength':-1}}}",
                  "Invalid schema: #/properties/a/minLength: expected a non-negative integer");
    /* minContains / maxContains: 2019-09 on */
    valid_in(D2019, "'contains':{},'minContains':0,'maxContains':3");
    invalid_in(D2019, "'minContains':-1", "#/minContains: expected a non-negative integer");
    invalid_in(D2020, "'maxContains':'a'", "#/maxContains: expected a non-negative integer");
    valid_in(D7, "'minContains':-1"); /* not a keyword before 2019-09 */
}
END_TEST

START_TEST(validate_strings)
{
    valid_everywhere("'pattern':'^[a-z]+(?:-[a-z]+)*$','format':'email'");
    valid_everywhere("'format':'my-own-format'");
    invalid_everywhere("'pattern':1", "#/pattern: expected a string");
    invalid_everywhere("'pattern':'(a'", "#/pattern: invalid regular expression \"(a\": missing )");
    invalid_everywhere("'pattern':'*a'", "#/pattern: invalid regular expression \"*a\": nothing to repeat");
    invalid_everywhere("'format':3", "#/format: expected a string");
    invalid_everywhere("'title':3", "#/title: expected a string");
    invalid_everywhere("'description':{}", "#/description: expected a string");
    valid_everywhere("'default':{'any':['thing']}");
}
END_TEST

START_TEST(validate_regex)
{
    static const char *const good[] = {
        "", "a", "^a$", "a|b|", "(a)(?:b)(?=c)(?!d)(?<=e)(?<!f)(?<name>g)\\k<name>",
        "a*?b+?c??d{2}e{2,}f{2,3}?", "[a-z0-9_\\-]", "[^\\]]", "[\\d-z]", "\\d\\w\\s\\D\\W\\S\\b\\B",
        "\\u00e9\\x41\\cA\\0\\t\\n\\v\\f\\r", "a{", "a{,5}", "}", "]", "x{1", "[]", "[^]", "\\1(a)",
        "é+", "[é-ü]", "(?=a)*", "\\/", "^\\p{L}", "\\u{1F600}", "[\\b]", "a{2,2}",
        /* java.util.regex (what Confluent compiles patterns with) */
        "(?i)^abc$", "(?i:a)b", "(?-i)x", "(?>a+)b", "\\Qa(b\\E", "\\Q(((", "a*+", "a++b?+", "a{2}+",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(js_regex_check(good[i]) == NULL, "%s: %s", good[i], js_regex_check(good[i]));
    static const char *const bad[][2] = {
        {"(", "missing )"}, {")", "unmatched )"}, {"a)", "unmatched )"}, {"*", "nothing to repeat"},
        {"a**", "nothing to repeat"}, {"a*++", "nothing to repeat"}, {"+a", "nothing to repeat"},
        {"?", "nothing to repeat"}, {"{2}", "nothing to repeat"}, {"a{3,2}", "out of order"},
        {"[a", "unterminated character class"}, {"[z-a]", "range out of order"},
        {"\\", "trailing backslash"}, {"(?z)", "invalid group"}, {"(?ix", "invalid group"}, {"(?<1a>x)", "bad group name"},
        {"^*", "nothing to repeat"}, {"(?<=a)*", "nothing to repeat"}, {"\\b+", "nothing to repeat"},
        {"a|*", "nothing to repeat"}, {"(*)", "nothing to repeat"}, {"\\k<>", "bad named backreference"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *got = js_regex_check(bad[i][0]);
        ck_assert_msg(got && strstr(got, bad[i][1]), "%s: got %s, expected %s", bad[i][0],
                      got ? got : "valid", bad[i][1]);
    }
    /* long patterns are checked in linear time */
    {
        strbuf sb = STRBUF_INIT;
        for (int i = 0; i < 200000; i++) strbuf_puts(&sb, "é(a|b)*[x-z]+");
        ck_assert_ptr_null(js_regex_check(sb.data));
        strbuf_free(&sb);
    }
    /* patternProperties keys are regexes too */
    invalid_everywhere("'patternProperties':{'^a':{},'(b':{}}",
                       "#/patternProperties/(b: invalid regular expression \"(b\": missing )");
    /* a stored schema must always load again: lenient parsing skips regex checks */
    sr_error err = {0};
    js_schema *s = parse_deps("{'pattern':'(a'}", NULL, 0, SR_PARSE_LENIENT, &err);
    ck_assert_ptr_nonnull(s);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(validate_arrays)
{
    valid_everywhere("'items':{'type':'string'},'uniqueItems':true");
    invalid_everywhere("'uniqueItems':'yes'", "#/uniqueItems: expected a boolean");
    invalid_everywhere("'items':1", "#/items: expected a schema");
    invalid_everywhere("'items':{'type':'x'}", "#/items/type: unknown type");
    /* tuple form up to 2019-09 */
    for (size_t i = 0; i < 4; i++) {
        valid_in(all_drafts[i], "'items':[{'type':'string'},{}],'additionalItems':false");
        valid_in(all_drafts[i], "'items':[{}],'additionalItems':{'type':'integer'}");
        invalid_in(all_drafts[i], "'items':[]", "#/items: expected a non-empty array of schemas");
        invalid_in(all_drafts[i], "'items':[{},3]", "#/items/1: expected a schema");
        invalid_in(all_drafts[i], "'additionalItems':3", "#/additionalItems: expected a schema");
    }
    /* 2020-12: prefixItems, items is one schema */
    valid_in(D2020, "'prefixItems':[{'type':'string'}],'items':false");
    invalid_in(D2020, "'items':[{}]", "#/items: expected a schema (an object or a boolean)");
    invalid_in(D2020, "'prefixItems':[]", "#/prefixItems: expected a non-empty array of schemas");
    invalid_in(D2020, "'prefixItems':{}", "#/prefixItems: expected a non-empty array of schemas");
    invalid_in(D2020, "'prefixItems':[{},'x']", "#/prefixItems/1: expected a schema");
    valid_in(D2020, "'additionalItems':3"); /* not a 2020-12 keyword */
    valid_in(D2019, "'prefixItems':3");     /* not a 2019-09 keyword */
    /* contains: draft-06 on */
    valid_in(D4, "'contains':3");
    for (size_t i = 1; i < 5; i++) invalid_in(all_drafts[i], "'contains':3", "#/contains: expected a schema");
    /* unevaluatedItems: 2019-09 on */
    valid_in(D7, "'unevaluatedItems':3");
    valid_in(D2019, "'unevaluatedItems':false");
    invalid_in(D2020, "'unevaluatedItems':3", "#/unevaluatedItems: expected a schema");
}
END_TEST

START_TEST(validate_objects)
{
    valid_everywhere("'properties':{'a':{},'b':{'type':'string'}},'required':['a'],"
                     "'additionalProperties':false,'patternProperties':{'^x-':{}}");
    invalid_everywhere("'properties':[]", "#/properties: expected an object of schemas");
    invalid_everywhere("'properties':{'a':1}", "#/properties/a: expected a schema");
    invalid_everywhere("'properties':{'a/b~c':1}", "#/properties/a~1b~0c: expected a schema");
    invalid_everywhere("'properties':{'a':{'properties':{'b':{'maxLength':'x'}}}}",
                       "#/properties/a/properties/b/maxLength: expected a non-negative integer");
    invalid_everywhere("'required':'a'", "#/required: expected an array of strings");
    invalid_everywhere("'required':['a',1]", "#/required/1: expected a string");
    invalid_everywhere("'required':['a','a']", "#/required: expected unique strings");
    invalid_in(D4, "'required':[]", "#/required: expected a non-empty array of strings");
    for (size_t i = 1; i < 5; i++) valid_in(all_drafts[i], "'required':[]");
    invalid_everywhere("'additionalProperties':3", "#/additionalProperties: expected a schema");
    valid_everywhere("'additionalProperties':true");
    valid_everywhere("'additionalProperties':{'type':'string'}");
    invalid_everywhere("'patternProperties':{'a':3}", "#/patternProperties/a: expected a schema");
    invalid_everywhere("'definitions':{'a':3}", "#/definitions/a: expected a schema");
    invalid_everywhere("'$defs':{'a':3}", "#/$defs/a: expected a schema");
    invalid_everywhere("'definitions':3", "#/definitions: expected an object of schemas");
    /* dependencies: arrays of unique strings or schemas */
    valid_everywhere("'dependencies':{'a':['b'],'c':{'required':['d']}}");
    invalid_everywhere("'dependencies':[]", "#/dependencies: expected an object");
    invalid_everywhere("'dependencies':{'a':['b',2]}", "#/dependencies/a/1: expected a string");
    invalid_everywhere("'dependencies':{'a':['b','b']}", "#/dependencies/a: expected unique strings");
    invalid_everywhere("'dependencies':{'a':3}", "#/dependencies/a: expected a schema");
    invalid_in(D4, "'dependencies':{'a':[]}", "#/dependencies/a: expected a non-empty array");
    valid_in(D7, "'dependencies':{'a':[]}");
    /* 2019-09: dependentRequired / dependentSchemas */
    valid_in(D2019, "'dependentRequired':{'a':['b']},'dependentSchemas':{'c':{'required':['d']}}");
    invalid_in(D2020, "'dependentRequired':{'a':{}}", "#/dependentRequired/a: expected an array of strings");
    invalid_in(D2019, "'dependentRequired':{'a':['b','b']}", "#/dependentRequired/a: expected unique strings");
    invalid_in(D2020, "'dependentSchemas':{'a':1}", "#/dependentSchemas/a: expected a schema");
    valid_in(D7, "'dependentSchemas':{'a':1}");
    /* propertyNames: draft-06 on; unevaluatedProperties: 2019-09 on */
    valid_in(D4, "'propertyNames':1");
    invalid_in(D6, "'propertyNames':1", "#/propertyNames: expected a schema");
    valid_in(D6, "'propertyNames':{'pattern':'^a'}");
    invalid_in(D2019, "'unevaluatedProperties':1", "#/unevaluatedProperties: expected a schema");
    valid_in(D2020, "'unevaluatedProperties':false");
}
END_TEST

START_TEST(validate_combinators)
{
    static const char *const kws[] = {"allOf", "anyOf", "oneOf"};
    for (size_t i = 0; i < 3; i++) {
        char body[80], want[120];
        snprintf(body, sizeof body, "'%s':[{'type':'string'},{'maxLength':3}]", kws[i]);
        valid_everywhere(body);
        snprintf(body, sizeof body, "'%s':[]", kws[i]);
        snprintf(want, sizeof want, "#/%s: expected a non-empty array of schemas", kws[i]);
        invalid_everywhere(body, want);
        snprintf(body, sizeof body, "'%s':{}", kws[i]);
        invalid_everywhere(body, want);
        snprintf(body, sizeof body, "'%s':[{},{'minimum':'x'}]", kws[i]);
        snprintf(want, sizeof want, "#/%s/1/minimum: expected a number", kws[i]);
        invalid_everywhere(body, want);
    }
    valid_everywhere("'not':{'type':'null'}");
    invalid_everywhere("'not':'x'", "#/not: expected a schema");
    /* if/then/else: draft-07 on */
    valid_in(D6, "'if':3");
    for (size_t i = 2; i < 5; i++) {
        valid_in(all_drafts[i], "'if':{'minimum':0},'then':{'maximum':9},'else':true");
        invalid_in(all_drafts[i], "'then':3", "#/then: expected a schema");
        invalid_in(all_drafts[i], "'else':[]", "#/else: expected a schema");
    }
}
END_TEST

START_TEST(validate_booleans_as_schemas)
{
    /* draft-04 schemas are objects (additionalProperties/Items may be booleans) */
    invalid_in(D4, "'properties':{'a':true}", "#/properties/a: expected a schema (an object)");
    invalid_in(D4, "'items':false", "#/items: expected a schema (an object)");
    invalid_in(D4, "'not':true", "#/not: expected a schema (an object)");
    valid_in(D4, "'additionalProperties':false,'items':[{}],'additionalItems':true");
    for (size_t i = 1; i < 5; i++)
        valid_in(all_drafts[i], "'properties':{'a':true,'b':false},'not':false,'items':true");
}
END_TEST

START_TEST(validate_annotations)
{
    valid_in(D6, "'examples':[1,'a']");
    invalid_in(D6, "'examples':1", "#/examples: expected an array");
    invalid_in(D7, "'$comment':1", "#/$comment: expected a string");
    invalid_in(D7, "'readOnly':'yes'", "#/readOnly: expected a boolean");
    invalid_in(D2019, "'writeOnly':1", "#/writeOnly: expected a boolean");
    invalid_in(D7, "'contentMediaType':1", "#/contentMediaType: expected a string");
    invalid_in(D7, "'contentEncoding':1", "#/contentEncoding: expected a string");
    invalid_in(D2019, "'deprecated':1", "#/deprecated: expected a boolean");
    invalid_in(D2020, "'contentSchema':1", "#/contentSchema: expected a schema");
    invalid_in(D2019, "'$vocabulary':[]", "#/$vocabulary: expected an object");
    invalid_in(D2020, "'$vocabulary':{'x':1}", "#/$vocabulary/x: expected a boolean");
    valid_in(D6, "'$comment':1,'readOnly':2,'deprecated':3"); /* not draft-06 keywords */
    /* unknown keywords are annotations */
    valid_everywhere("'x-anything':{'type':3},'connect.type':'bytes'");
}
END_TEST

START_TEST(validate_ids_and_anchors)
{
    valid_in(D4, "'id':'http://example.com/s.json'");
    invalid_in(D4, "'id':3", "#/id: expected a string");
    valid_in(D4, "'$id':3"); /* not a draft-04 keyword */
    for (size_t i = 1; i < 5; i++) invalid_in(all_drafts[i], "'$id':3", "#/$id: expected a string");
    valid_in(D7, "'definitions':{'a':{'$id':'#foo'}}");
    invalid_in(D2019, "'$defs':{'a':{'$id':'#foo'}}",
               "#/$defs/a/$id: must not contain a fragment (use $anchor)");
    valid_in(D2019, "'$id':'http://example.com/s.json#'");
    valid_in(D2019, "'$defs':{'a':{'$anchor':'foo'}}");
    invalid_in(D2019, "'$defs':{'a':{'$anchor':'1foo'}}", "#/$defs/a/$anchor: not a valid anchor name");
    invalid_in(D2020, "'$anchor':'a b'", "#/$anchor: not a valid anchor name");
    invalid_in(D2020, "'$anchor':3", "#/$anchor: expected a string");
    valid_in(D2020, "'$anchor':'_x.y-z'");
    invalid_in(D2019, "'$anchor':'_x'", "#/$anchor: not a valid anchor name");
    invalid_in(D2019, "'$defs':{'a':{'$anchor':'x'},'b':{'$anchor':'x'}}",
               "#/$defs/b/$anchor: duplicate anchor \"x\"");
    invalid_in(D2020, "'$dynamicAnchor':3", "#/$dynamicAnchor: expected a string");
    invalid_in(D2019, "'$recursiveAnchor':'yes'", "#/$recursiveAnchor: expected a boolean");
    invalid_everywhere("'$ref':3", "#/$ref: expected a string");
    invalid_in(D2019, "'$recursiveRef':3", "#/$recursiveRef: expected a string");
    invalid_in(D2020, "'$dynamicRef':3", "#/$dynamicRef: expected a string");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the model (compat.md §4.2)                                                */

START_TEST(model_extractor_order)
{
    check_shape("{'type':'string'}", "string");
    check_shape("{'type':'integer'}", "integer");
    check_shape("{'type':'number'}", "number");
    check_shape("{'type':'boolean'}", "boolean");
    check_shape("{'type':'null'}", "null");
    check_shape("{'type':'array'}", "array");
    check_shape("{'type':'object'}", "object");
    check_shape("{'title':'x'}", "{}");
    check_shape("{'enum':['a','b']}", "enum2");
    check_shape("{'const':1}", "const");
    check_shape("{'not':{'type':'string'}}", "not(string)");
    check_shape("{'type':'string','enum':['a']}", "allOf*[enum1,string]");
    check_shape("{'type':['string','null']}", "anyOf[string,null]");
    check_shape("{'type':['string','null'],'enum':['a',null]}", "allOf*[enum2,anyOf[string,null]]");
    /* extractor order: enum, allOf, oneOf, anyOf, not, const, type, sniffed */
    check_shape("{'type':'object','const':{},'not':{},'anyOf':[{}],'oneOf':[{}],'allOf':[{}],'enum':[{}]}",
                "allOf*[enum1,allOf[{}],oneOf[{}],anyOf[{}],not({}),const,object]");
    check_shape("{'allOf':[{'type':'string'},{'maxLength':3}]}", "allOf[string,string]");
    check_shape("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "anyOf[string,integer]");
    /* draft-04 has no const */
    check_shape("{" D4 ",'const':1,'type':'string'}", "string");
    /* booleans */
    check_shape("{'not':true}", "not({})");
    check_shape("{'not':false}", "not(false)");
}
END_TEST

START_TEST(model_sniffing)
{
    check_shape("{'maxLength':5}", "string");
    check_shape("{'format':'date'}", "string");
    check_shape("{'minimum':0}", "number");
    check_shape("{'multipleOf':2}", "number");
    check_shape("{'items':{}}", "array");
    check_shape("{'uniqueItems':true}", "array");
    check_shape("{'contains':{}}", "array");
    check_shape("{" D4 ",'contains':{}}", "{}");
    check_shape("{'properties':{}}", "object");
    check_shape("{'required':['a']}", "object");
    check_shape("{'propertyNames':{}}", "object");
    check_shape("{" D4 ",'propertyNames':{}}", "{}");
    check_shape("{'if':{}}", "if");
    check_shape("{'then':{}}", "if");
    check_shape("{" D6 ",'if':{}}", "{}");
    /* order of sniffed results: array, object, number, string, conditional */
    check_shape("{'maxLength':1,'minimum':1,'required':[],'items':{},'if':{}}",
                "allOf*[array,object,number,string,if]");
    /* a type consumes its own group only; the rest is sniffed */
    check_shape("{'type':'string','minimum':5}", "allOf*[string,number]");
    check_shape("{'type':'integer','maximum':5}", "integer");
    check_shape("{'type':['integer','string'],'maximum':5,'maxLength':2}", "anyOf[integer,string]");
    check_shape("{'type':'object','items':{}}", "allOf*[object,array]");
    /* 2019-09+ keywords sniff there only */
    check_shape("{" D2019 ",'unevaluatedProperties':false}", "object");
    check_shape("{" D7 ",'unevaluatedProperties':false}", "{}");
    check_shape("{" D2019 ",'dependentRequired':{}}", "object");
    check_shape("{" D2020 ",'prefixItems':[{}]}", "array");
    check_shape("{" D2019 ",'minContains':1}", "array");

    js_schema *s = parse_ok("{'type':['integer','string'],'maximum':5,'maxLength':2}");
    ck_assert_double_eq(s->root->subschemas[0]->maximum.value, 5);
    ck_assert_double_eq(s->root->subschemas[1]->max_length.value, 2);
    ck_assert_int_eq(s->root->synthetic, 0);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(model_common_attributes)
{
    js_schema *s = parse_ok("{'$id':'http://x/y','title':'T','description':'D','default':'a',"
                            "'connect.type':'bytes','type':'string','enum':['a']}");
    ck_assert_int_eq(s->root->kind, JS_COMBINED);
    ck_assert_int_eq(s->root->synthetic, 1);
    ck_assert_str_eq(s->root->id, "http://x/y");
    ck_assert_str_eq(s->root->title, "T");
    ck_assert_str_eq(s->root->description, "D");
    ck_assert_str_eq(json_string_value(s->root->default_value), "a");
    ck_assert_str_eq(json_string_value(s->root->connect_type), "bytes");
    ck_assert_ptr_null(s->root->subschemas[0]->title);
    ck_assert_str_eq(s->root->pointer, "#");
    js_fmt_schema_free(s);

    s = parse_ok("{" D4 ",'id':'http://x/y','$id':'http://z'}");
    ck_assert_str_eq(s->root->id, "http://x/y");
    js_fmt_schema_free(s);
    s = parse_ok("{'id':'http://x/y'}");
    ck_assert_ptr_null(s->root->id);
    js_fmt_schema_free(s);
    s = parse_ok("{'type':'integer','default':null}");
    ck_assert(json_is_null(s->root->default_value));
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(model_string_number)
{
    js_schema *s = parse_ok("{'type':'string','minLength':1,'maxLength':10.0,'pattern':'^a','format':'uri'}");
    const js_node *n = s->root;
    ck_assert(n->min_length.present && n->min_length.value == 1);
    ck_assert_str_eq(n->min_length.text, "1");
    ck_assert_str_eq(n->max_length.text, "10.0");
    ck_assert_str_eq(n->pattern, "^a");
    ck_assert_str_eq(n->format, "uri");
    js_fmt_schema_free(s);

    s = parse_ok("{'type':'number','minimum':0.5,'maximum':1e2,'exclusiveMinimum':0,"
                 "'exclusiveMaximum':100.50,'multipleOf':0.10}");
    n = s->root;
    ck_assert_int_eq(n->requires_integer, 0);
    ck_assert_str_eq(n->minimum.text, "0.5");
    ck_assert_double_eq(n->maximum.value, 100);
    ck_assert_str_eq(n->maximum.text, "1e2");
    ck_assert_str_eq(n->exclusive_minimum.text, "0");
    ck_assert_str_eq(n->exclusive_maximum.text, "100.50");
    ck_assert_str_eq(n->multiple_of.text, "0.10");
    js_fmt_schema_free(s);

    /* draft-04 boolean exclusive flags: the limits stay minimum/maximum (everit keeps
     * the flags beside them, and Confluent's diff never reads the flags) */
    s = parse_ok("{" D4 ",'type':'integer','minimum':1,'exclusiveMinimum':true,'maximum':9,"
                 "'exclusiveMaximum':false}");
    n = s->root;
    ck_assert_int_eq(n->requires_integer, 1);
    ck_assert(n->minimum.present && n->minimum.value == 1);
    ck_assert_int_eq(n->exclusive_minimum.present, 0);
    ck_assert(n->maximum.present && n->maximum.value == 9);
    ck_assert_int_eq(n->exclusive_maximum.present, 0);
    js_fmt_schema_free(s);

    /* a huge integer limit keeps its text */
    s = parse_ok("{'maximum':123456789012345678901234567890}");
    ck_assert_str_eq(s->root->maximum.text, "123456789012345678901234567890");
    ck_assert(s->root->maximum.value > 1e29);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(model_objects)
{
    js_schema *s = parse_ok(
        "{'type':'object','properties':{'b':{'type':'string'},'a':true,'c':false},'required':['a','z'],"
        "'minProperties':1,'maxProperties':5,'dependencies':{'a':['b'],'b':{'required':['c']}},"
        "'patternProperties':{'^x-':{'type':'integer'}},'additionalProperties':{'type':'null'},"
        "'propertyNames':{'maxLength':3}}");
    const js_node *n = s->root;
    ck_assert_int_eq(n->kind, JS_OBJECT);
    ck_assert_uint_eq(n->n_properties, 3);
    ck_assert_str_eq(n->properties[0].name, "b");
    ck_assert_int_eq(n->properties[0].schema->kind, JS_STRING);
    ck_assert_str_eq(n->properties[0].schema->pointer, "#/properties/b");
    ck_assert_int_eq(n->properties[1].schema->kind, JS_EMPTY);
    ck_assert_str_eq(n->properties[1].schema->pointer, "#/properties/a");
    ck_assert_int_eq(n->properties[2].schema->kind, JS_FALSE);
    ck_assert_uint_eq(n->n_required, 2);
    ck_assert_str_eq(n->required[1], "z");
    ck_assert_double_eq(n->min_properties.value, 1);
    ck_assert_double_eq(n->max_properties.value, 5);
    ck_assert_uint_eq(n->n_dependencies, 2);
    ck_assert_str_eq(n->dependencies[0].name, "a");
    ck_assert_uint_eq(n->dependencies[0].n_names, 1);
    ck_assert_str_eq(n->dependencies[0].names[0], "b");
    ck_assert_ptr_null(n->dependencies[0].schema);
    ck_assert_ptr_null(n->dependencies[1].names);
    ck_assert_int_eq(n->dependencies[1].schema->kind, JS_OBJECT);
    ck_assert_uint_eq(n->n_pattern_properties, 1);
    ck_assert_str_eq(n->pattern_properties[0].pattern, "^x-");
    ck_assert_int_eq(n->pattern_properties[0].schema->kind, JS_NUMBER);
    ck_assert_int_eq(n->additional_properties.permits, 1);
    ck_assert_int_eq(n->additional_properties.schema->kind, JS_NULL);
    ck_assert_int_eq(n->property_names->kind, JS_STRING);
    ck_assert_ptr_null(n->unevaluated_properties);
    js_fmt_schema_free(s);

    s = parse_ok("{'additionalProperties':false}");
    ck_assert_int_eq(s->root->additional_properties.permits, 0);
    ck_assert_ptr_null(s->root->additional_properties.schema);
    js_fmt_schema_free(s);
    s = parse_ok("{'additionalProperties':true}");
    ck_assert_int_eq(s->root->additional_properties.permits, 1);
    ck_assert_ptr_null(s->root->additional_properties.schema);
    js_fmt_schema_free(s);
    s = parse_ok("{'type':'object'}");
    ck_assert_int_eq(s->root->additional_properties.permits, 1);
    ck_assert_ptr_null(s->root->additional_properties.schema);
    js_fmt_schema_free(s);
    /* {} is a schema (partially open with an any-schema), not "true" */
    s = parse_ok("{'additionalProperties':{}}");
    ck_assert_int_eq(s->root->additional_properties.schema->kind, JS_EMPTY);
    js_fmt_schema_free(s);

    /* 2019-09: dependentRequired / dependentSchemas merge into dependencies; unevaluated */
    s = parse_ok("{" D2019 ",'dependentRequired':{'a':['b','c']},'dependentSchemas':{'a':{'type':'object'},"
                 "'d':false},'unevaluatedProperties':false}");
    n = s->root;
    ck_assert_uint_eq(n->n_dependencies, 2);
    ck_assert_uint_eq(n->dependencies[0].n_names, 2);
    ck_assert_int_eq(n->dependencies[0].schema->kind, JS_OBJECT);
    ck_assert_int_eq(n->dependencies[1].schema->kind, JS_FALSE);
    ck_assert_int_eq(n->unevaluated_properties->kind, JS_FALSE);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'unevaluatedProperties':{'type':'string'}}");
    ck_assert_int_eq(s->root->unevaluated_properties->kind, JS_STRING);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'unevaluatedProperties':true}");
    ck_assert_int_eq(s->root->unevaluated_properties->kind, JS_EMPTY);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(model_arrays)
{
    js_schema *s = parse_ok("{'type':'array','items':{'type':'string'},'minItems':1,'maxItems':3,"
                            "'uniqueItems':true,'contains':{'const':'a'}}");
    const js_node *n = s->root;
    ck_assert_int_eq(n->all_items->kind, JS_STRING);
    ck_assert_str_eq(n->all_items->pointer, "#/items");
    ck_assert_uint_eq(n->n_item_schemas, 0);
    ck_assert_int_eq(n->unique_items, 1);
    ck_assert_double_eq(n->min_items.value, 1);
    ck_assert_double_eq(n->max_items.value, 3);
    ck_assert_int_eq(n->contains->kind, JS_CONST);
    ck_assert_int_eq(n->additional_items.permits, 1);
    js_fmt_schema_free(s);

    /* tuples (draft <= 2019-09) */
    s = parse_ok("{'items':[{'type':'string'},true],'additionalItems':false}");
    n = s->root;
    ck_assert_ptr_null(n->all_items);
    ck_assert_uint_eq(n->n_item_schemas, 2);
    ck_assert_int_eq(n->item_schemas[1]->kind, JS_EMPTY);
    ck_assert_str_eq(n->item_schemas[1]->pointer, "#/items/1");
    ck_assert_int_eq(n->additional_items.permits, 0);
    js_fmt_schema_free(s);
    s = parse_ok("{'items':[{}],'additionalItems':{'type':'integer'}}");
    ck_assert_int_eq(s->root->additional_items.schema->kind, JS_NUMBER);
    js_fmt_schema_free(s);
    /* draft-07 items: true / false are schemas (everit) */
    s = parse_ok("{'items':false}");
    ck_assert_int_eq(s->root->all_items->kind, JS_FALSE);
    js_fmt_schema_free(s);

    /* 2020-12: prefixItems + items */
    s = parse_ok("{" D2020 ",'prefixItems':[{'type':'string'},{'type':'integer'}],'items':false,"
                 "'unevaluatedItems':false,'contains':{},'minContains':2,'maxContains':4}");
    n = s->root;
    ck_assert_uint_eq(n->n_item_schemas, 2);
    ck_assert_str_eq(n->item_schemas[1]->pointer, "#/prefixItems/1");
    ck_assert_ptr_null(n->all_items);
    ck_assert_int_eq(n->additional_items.permits, 0);
    ck_assert_int_eq(n->unevaluated_items->kind, JS_FALSE);
    ck_assert_double_eq(n->min_contains.value, 2);
    ck_assert_double_eq(n->max_contains.value, 4);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'prefixItems':[{}],'items':{'type':'null'}}");
    ck_assert_int_eq(s->root->additional_items.schema->kind, JS_NULL);
    ck_assert_ptr_null(s->root->all_items);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'items':{'type':'null'}}");
    ck_assert_int_eq(s->root->all_items->kind, JS_NULL);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'items':true,'type':'array'}");
    ck_assert_ptr_null(s->root->all_items);
    ck_assert_int_eq(s->root->additional_items.permits, 1);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'items':false,'type':'array'}");
    ck_assert_ptr_null(s->root->all_items);
    ck_assert_int_eq(s->root->additional_items.permits, 0);
    js_fmt_schema_free(s);
    /* draft-07: min/maxContains are not keywords */
    s = parse_ok("{'contains':{},'minContains':2}");
    ck_assert_int_eq(s->root->min_contains.present, 0);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(model_enum_const)
{
    js_schema *s = parse_ok("{'enum':['a',1,null,{'x':1.0}]}");
    ck_assert_uint_eq(s->root->n_values, 4);
    ck_assert_str_eq(json_string_value(s->root->values[0]), "a");
    ck_assert(json_is_null(s->root->values[2]));
    ck_assert(json_is_object(s->root->values[3]));
    js_fmt_schema_free(s);
    s = parse_ok("{'const':[1,2]}");
    ck_assert_uint_eq(s->root->n_values, 1);
    ck_assert(json_is_array(s->root->values[0]));
    js_fmt_schema_free(s);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* $ref                                                                      */

static const js_node *target_of(const js_node *n)
{
    ck_assert_int_eq(n->kind, JS_REF);
    ck_assert_ptr_nonnull(n->target);
    return n->target;
}

START_TEST(ref_pointers)
{
    js_schema *s = parse_ok("{'properties':{'a':{'$ref':'#/definitions/x'},'b':{'$ref':'#/$defs/y'},"
                            "'c':{'$ref':'#/definitions/a~1b~0c'},'d':{'$ref':'#/definitions/p%25q%20r'},"
                            "'e':{'$ref':'#/definitions/arr/items/1'},'f':{'$ref':'#/properties/a'},"
                            "'g':{'$ref':'#/definitions/t'}},"
                            "'definitions':{'x':{'type':'string'},'a/b~c':{'type':'integer'},"
                            "'p%q r':{'type':'null'},'arr':{'items':[{},{'type':'boolean'}]},'t':true},"
                            "'$defs':{'y':{'type':'number'}}}");
    const js_node *r = s->root;
    ck_assert_int_eq(target_of(prop(r, "a"))->kind, JS_STRING);
    ck_assert_str_eq(target_of(prop(r, "a"))->pointer, "#/definitions/x");
    ck_assert_str_eq(prop(r, "a")->ref, "#/definitions/x");
    ck_assert_int_eq(target_of(prop(r, "b"))->kind, JS_NUMBER);
    ck_assert_int_eq(target_of(prop(r, "c"))->kind, JS_NUMBER);
    ck_assert(target_of(prop(r, "c"))->requires_integer);
    ck_assert_int_eq(target_of(prop(r, "d"))->kind, JS_NULL);
    ck_assert_int_eq(target_of(prop(r, "e"))->kind, JS_BOOLEAN);
    ck_assert_str_eq(target_of(prop(r, "e"))->pointer, "#/definitions/arr/items/1");
    /* a ref to a ref */
    ck_assert_ptr_eq(target_of(prop(r, "f")), prop(r, "a"));
    ck_assert_int_eq(target_of(prop(r, "g"))->kind, JS_EMPTY);
    /* one node per schema: the definition's node is shared */
    js_fmt_schema_free(s);

    s = parse_ok("{'properties':{'a':{'$ref':'#/definitions/x'},'b':{'$ref':'#/definitions/x'}},"
                 "'definitions':{'x':{'type':'string'}}}");
    ck_assert_ptr_eq(target_of(prop(s->root, "a")), target_of(prop(s->root, "b")));
    js_fmt_schema_free(s);

    /* draft <= 7: siblings of $ref are ignored */
    s = parse_ok("{'$ref':'#/definitions/x','type':'integer','title':'t','definitions':{'x':{'type':'string'}}}");
    ck_assert_int_eq(s->root->kind, JS_REF);
    ck_assert_str_eq(s->root->title, "t");
    ck_assert_int_eq(s->root->target->kind, JS_STRING);
    js_fmt_schema_free(s);

    /* refs into places that are not schema positions are walked when referenced */
    s = parse_ok("{'$ref':'#/x-lib/s','x-lib':{'s':{'type':'boolean'}}}");
    ck_assert_int_eq(target_of(s->root)->kind, JS_BOOLEAN);
    ck_assert_str_eq(target_of(s->root)->pointer, "#/x-lib/s");
    js_fmt_schema_free(s);
    check_invalid("{'$ref':'#/x-lib/s','x-lib':{'s':{'type':'bad'}}}", "#/x-lib/s/type: unknown type");
    check_invalid("{'$ref':'#/x-lib/s','x-lib':{'s':3}}", "#/x-lib/s: a $ref target must be a schema");
}
END_TEST

START_TEST(ref_unresolvable)
{
    check_invalid("{'$ref':'#/definitions/nope'}",
                  "Invalid schema: #/$ref: cannot resolve \"#/definitions/nope\": no such location");
    check_invalid("{'properties':{'a':{'$ref':'#/definitions/x/'}},'definitions':{'x':{}}}",
                  "#/properties/a/$ref: cannot resolve");
    check_invalid("{'properties':{'a':{'items':{'$ref':'other.json'}}}}",
                  "#/properties/a/items/$ref: cannot resolve \"other.json\": no schema is known as \"other.json\"");
    check_invalid("{'$ref':'#/definitions/a~2'}", "cannot resolve");
    check_invalid("{'$ref':'#/items/01','items':[{},{}]}", "cannot resolve");
    check_invalid("{'$ref':'#/items/2','items':[{},{}]}", "cannot resolve");
    check_invalid("{'$ref':'#%zz'}", "bad percent-encoding");
    check_invalid("{'$ref':'#nope'}", "#/$ref: cannot resolve \"#nope\": no anchor \"nope\"");
    check_invalid("{'$ref':'http://example.com/schema.json'}", "no schema is known");
    /* unreferenced definitions are checked too */
    check_invalid("{'definitions':{'u':{'$ref':'#/missing'}}}", "#/definitions/u/$ref: cannot resolve");
    /* draft-04: a ref to a boolean is not a schema */
    check_invalid("{" D4 ",'$ref':'#/x','x':true}", "#/x: a $ref target must be a schema (an object)");
}
END_TEST

START_TEST(ref_cycles)
{
    check_invalid("{'$ref':'#'}", "#/$ref: circular reference \"#\"");
    check_invalid("{'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'$ref':'#/definitions/a'}},"
                  "'$ref':'#/definitions/a'}", "circular reference");
    check_invalid("{'definitions':{'a':{'$ref':'#/definitions/a'}}}",
                  "#/definitions/a/$ref: circular reference \"#/definitions/a\"");
    check_invalid("{'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'$ref':'#/definitions/c'},"
                  "'c':{'$ref':'#/definitions/a'}}}", "circular reference");
    check_invalid("{" D2020 ",'$ref':'#'}", "circular reference");
    /* a schema in between: recursion, fine */
    js_schema *s = parse_ok("{'type':'object','properties':{'next':{'$ref':'#'},'v':{'type':'integer'}}}");
    const js_node *next = prop(s->root, "next");
    ck_assert_ptr_eq(target_of(next), s->root);
    ck_assert_ptr_eq(target_of(prop(target_of(next), "next")), s->root);
    js_fmt_schema_free(s);
    s = parse_ok("{'definitions':{'node':{'type':'object','properties':{'kids':{'type':'array',"
                 "'items':{'$ref':'#/definitions/node'}}}}},'$ref':'#/definitions/node'}");
    const js_node *node = target_of(s->root);
    ck_assert_ptr_eq(target_of(prop(node, "kids")->all_items), node);
    js_fmt_schema_free(s);
    /* a chain of refs that ends in a schema */
    s = parse_ok("{'definitions':{'a':{'$ref':'#/definitions/b'},'b':{'$ref':'#/definitions/c'},"
                 "'c':{'type':'string'}},'$ref':'#/definitions/a'}");
    ck_assert_int_eq(target_of(target_of(target_of(s->root)))->kind, JS_STRING);
    js_fmt_schema_free(s);
    /* 2019-09+: a $ref with siblings is a schema, so "#" with siblings recurses */
    s = parse_ok("{" D2019 ",'$ref':'#','type':'object'}");
    ck_assert_int_eq(s->root->kind, JS_COMBINED);
    ck_assert_ptr_eq(target_of(s->root->subschemas[0]), s->root);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(ref_ids)
{
    /* nested $id changes the base; relative refs resolve against it */
    js_schema *s = parse_ok(
        "{'$id':'http://example.com/root.json','properties':{"
        "'a':{'$ref':'item.json'},'b':{'$ref':'http://example.com/other/leaf.json#/definitions/x'},"
        "'c':{'$ref':'other/leaf.json'},'d':{'$ref':'#foo'},'e':{'$ref':'root.json#/definitions/i'}},"
        "'definitions':{'i':{'$id':'item.json','type':'integer'},"
        "'l':{'$id':'other/leaf.json','properties':{'up':{'$ref':'../item.json'}},"
        "'definitions':{'x':{'type':'null'}}},"
        "'f':{'$id':'#foo','type':'boolean'}}}");
    const js_node *r = s->root;
    ck_assert_int_eq(target_of(prop(r, "a"))->kind, JS_NUMBER);
    ck_assert_int_eq(target_of(prop(r, "b"))->kind, JS_NULL);
    const js_node *leaf = target_of(prop(r, "c"));
    ck_assert_int_eq(leaf->kind, JS_OBJECT);
    ck_assert_str_eq(leaf->id, "other/leaf.json");
    ck_assert_ptr_eq(target_of(prop(leaf, "up")), target_of(prop(r, "a")));
    ck_assert_int_eq(target_of(prop(r, "d"))->kind, JS_BOOLEAN);
    ck_assert_ptr_eq(target_of(prop(r, "e")), target_of(prop(r, "a")));
    js_fmt_schema_free(s);

    /* draft-04 uses id */
    s = parse_ok("{" D4 ",'id':'http://example.com/r','properties':{'a':{'$ref':'s#/definitions/x'}},"
                 "'definitions':{'s':{'id':'s','definitions':{'x':{'type':'string'}}}}}");
    ck_assert_int_eq(target_of(prop(s->root, "a"))->kind, JS_STRING);
    js_fmt_schema_free(s);

    /* a urn base */
    s = parse_ok("{'$id':'urn:example:root','properties':{'a':{'$ref':'urn:example:root#/definitions/x'}},"
                 "'definitions':{'x':{'type':'string'}}}");
    ck_assert_int_eq(target_of(prop(s->root, "a"))->kind, JS_STRING);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(ref_anchors)
{
    js_schema *s = parse_ok("{" D2019 ",'properties':{'a':{'$ref':'#pos'}},"
                            "'$defs':{'p':{'$anchor':'pos','type':'integer','minimum':0}}}");
    ck_assert_int_eq(target_of(prop(s->root, "a"))->kind, JS_NUMBER);
    js_fmt_schema_free(s);
    /* anchors are scoped to their resource */
    s = parse_ok("{" D2020 ",'$id':'http://e.com/r','properties':{'a':{'$ref':'s#x'},'b':{'$ref':'#x'}},"
                 "'$defs':{'s':{'$id':'s','$defs':{'y':{'$anchor':'x','type':'string'}}},"
                 "'t':{'$anchor':'x','type':'null'}}}");
    ck_assert_int_eq(target_of(prop(s->root, "a"))->kind, JS_STRING);
    ck_assert_int_eq(target_of(prop(s->root, "b"))->kind, JS_NULL);
    js_fmt_schema_free(s);
    /* draft-07 plain-name $id */
    s = parse_ok("{'properties':{'a':{'$ref':'#item'}},'definitions':{'i':{'$id':'#item','type':'string'}}}");
    ck_assert_int_eq(target_of(prop(s->root, "a"))->kind, JS_STRING);
    js_fmt_schema_free(s);
    /* $anchor is not a draft-07 keyword */
    check_invalid("{'properties':{'a':{'$ref':'#pos'}},'definitions':{'p':{'$anchor':'pos'}}}",
                  "no anchor \"pos\"");
}
END_TEST

START_TEST(ref_dynamic)
{
    /* 2019-09 $recursiveRef: the outermost $recursiveAnchor */
    js_schema *s = parse_ok("{" D2019 ",'$recursiveAnchor':true,'type':'object',"
                            "'properties':{'kids':{'type':'array','items':{'$recursiveRef':'#'}}}}");
    const js_node *items = prop(s->root, "kids")->all_items;
    ck_assert_str_eq(items->ref, "#");
    ck_assert_ptr_eq(target_of(items), s->root);
    js_fmt_schema_free(s);
    /* the extension pattern: a tree extended by the root */
    s = parse_ok("{" D2019 ",'$id':'http://e.com/strict','$recursiveAnchor':true,"
                 "'$ref':'tree','unevaluatedProperties':false,"
                 "'$defs':{'tree':{'$id':'tree','$recursiveAnchor':true,'type':'object',"
                 "'properties':{'kids':{'type':'array','items':{'$recursiveRef':'#'}}}}}}");
    ck_assert_int_eq(s->root->kind, JS_COMBINED);
    const js_node *tree = target_of(s->root->subschemas[0]);
    ck_assert_ptr_eq(target_of(prop(tree, "kids")->all_items), s->root);
    js_fmt_schema_free(s);
    /* without the anchor it is a plain $ref to the resource */
    s = parse_ok("{" D2019 ",'type':'object','properties':{'n':{'$recursiveRef':'#'}}}");
    ck_assert_ptr_eq(target_of(prop(s->root, "n")), s->root);
    js_fmt_schema_free(s);

    /* 2020-12 $dynamicRef */
    s = parse_ok("{" D2020 ",'$id':'http://e.com/strict','$dynamicAnchor':'node','$ref':'tree',"
                 "'unevaluatedProperties':false,'$defs':{'tree':{'$id':'tree','$dynamicAnchor':'node',"
                 "'type':'object','properties':{'kids':{'type':'array','items':{'$dynamicRef':'#node'}}}}}}");
    tree = target_of(s->root->subschemas[0]);
    const js_node *dyn = prop(tree, "kids")->all_items;
    ck_assert_str_eq(dyn->ref, "#node");
    ck_assert_ptr_eq(target_of(dyn), s->root);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'$dynamicAnchor':'meta','type':'object',"
                 "'properties':{'x':{'$dynamicRef':'#meta'}},'$defs':{'y':{'$dynamicRef':'#/$defs/z'},'z':{}}}");
    ck_assert_ptr_eq(target_of(prop(s->root, "x")), s->root);
    js_fmt_schema_free(s);
    check_invalid("{" D2020 ",'$dynamicRef':'#nope','type':'object'}", "no anchor \"nope\"");
    /* not keywords before their draft */
    check_shape("{" D7 ",'$dynamicRef':'#x'}", "{}");
    check_shape("{" D2020 ",'$recursiveRef':'#'}", "{}");
}
END_TEST

START_TEST(ref_siblings_2019)
{
    check_shape("{" D2019 ",'$ref':'#/$defs/a','maxLength':3,'$defs':{'a':{'type':'string'}}}",
                "allOf*[ref(#/$defs/a),string]");
    check_shape("{" D2020 ",'$ref':'#/$defs/a','title':'x','$defs':{'a':{'type':'string'}}}",
                "ref(#/$defs/a)");
    check_shape("{" D7 ",'$ref':'#/definitions/a','maxLength':3,'definitions':{'a':{'type':'string'}}}",
                "ref(#/definitions/a)");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* references to other subjects                                              */

START_TEST(deps_basic)
{
    sr_dep deps[] = {
        {"address.json", "{\"type\":\"object\",\"properties\":{\"street\":{\"type\":\"string\"}},"
                         "\"definitions\":{\"zip\":{\"type\":\"integer\"}}}", "address", 1},
    };
    js_schema *s = parse_ok_deps("{'properties':{'a':{'$ref':'address.json'},"
                                 "'z':{'$ref':'address.json#/definitions/zip'},"
                                 "'y':{'$ref':'./address.json#/definitions/zip'}}}", deps, 1);
    const js_node *addr = target_of(prop(s->root, "a"));
    ck_assert_int_eq(addr->kind, JS_OBJECT);
    ck_assert_str_eq(addr->pointer, "#");
    ck_assert_int_eq(prop(addr, "street")->kind, JS_STRING);
    ck_assert_int_eq(target_of(prop(s->root, "z"))->kind, JS_NUMBER);
    ck_assert_ptr_eq(target_of(prop(s->root, "y")), target_of(prop(s->root, "z")));
    /* the canonical text is the schema's own, not the references' */
    char *c = js_fmt_canonical(s);
    ck_assert_str_eq(c, "{\"properties\":{\"a\":{\"$ref\":\"address.json\"},"
                        "\"z\":{\"$ref\":\"address.json#/definitions/zip\"},"
                        "\"y\":{\"$ref\":\"./address.json#/definitions/zip\"}}}");
    free(c);
    js_fmt_schema_free(s);

    /* a missing reference, a bad fragment inside it */
    check_invalid_deps("{'$ref':'other.json'}", deps, 1, "cannot resolve \"other.json\"");
    check_invalid_deps("{'$ref':'address.json#/definitions/nope'}", deps, 1,
                       "#/$ref: cannot resolve \"address.json#/definitions/nope\": no such location");
}
END_TEST

START_TEST(deps_ids_and_urls)
{
    /* the reference name is an absolute URL; the root has an $id */
    sr_dep d1[] = {{"https://example.com/schemas/address.schema.json",
                    "{\"$id\":\"https://example.com/schemas/address.schema.json\",\"type\":\"object\"}",
                    "address", 1}};
    js_schema *s = parse_ok_deps("{'$id':'https://example.com/schemas/person.schema.json',"
                                 "'properties':{'a':{'$ref':'address.schema.json'},"
                                 "'b':{'$ref':'https://example.com/schemas/address.schema.json'}}}", d1, 1);
    ck_assert_int_eq(target_of(prop(s->root, "a"))->kind, JS_OBJECT);
    ck_assert_ptr_eq(target_of(prop(s->root, "a")), target_of(prop(s->root, "b")));
    js_fmt_schema_free(s);

    /* a relative name resolved against the root's $id */
    sr_dep d2[] = {{"address.json", "{\"type\":\"string\"}", "address", 1}};
    s = parse_ok_deps("{'$id':'http://example.com/a/person.json','$ref':'address.json'}", d2, 1);
    ck_assert_int_eq(target_of(s->root)->kind, JS_STRING);
    js_fmt_schema_free(s);
    /* and by the name as written, when the base differs */
    s = parse_ok_deps("{'$id':'http://example.com/a/person.json','properties':{'x':{'$id':'http://other.org/x',"
                      "'$ref':'address.json'}}}", d2, 1);
    ck_assert_int_eq(target_of(prop(s->root, "x"))->kind, JS_STRING);
    js_fmt_schema_free(s);

    /* a reference known by its own $id only */
    sr_dep d3[] = {{"addr", "{\"$id\":\"http://schemas.org/addr.json\",\"type\":\"object\"}", "address", 1}};
    s = parse_ok_deps("{'$ref':'http://schemas.org/addr.json'}", d3, 1);
    ck_assert_int_eq(target_of(s->root)->kind, JS_OBJECT);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(deps_transitive)
{
    /* person -> address -> country (deps-first order) */
    sr_dep deps[] = {
        {"country.json", "{\"type\":\"string\",\"enum\":[\"NL\",\"FR\"]}", "country", 1},
        {"address.json", "{\"type\":\"object\",\"properties\":{\"country\":{\"$ref\":\"country.json\"}}}",
         "address", 1},
    };
    js_schema *s = parse_ok_deps("{'type':'object','properties':{'home':{'$ref':'address.json'}}}", deps, 2);
    const js_node *addr = target_of(prop(s->root, "home"));
    const js_node *country = target_of(prop(addr, "country"));
    ck_assert_int_eq(country->kind, JS_COMBINED);
    ck_assert_int_eq(country->subschemas[0]->kind, JS_ENUM);
    js_fmt_schema_free(s);

    /* recursion across documents */
    sr_dep rec[] = {{"b.json", "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"a.json\"}}}", "b", 1},
                    {"a.json", "{\"type\":\"object\",\"properties\":{\"b\":{\"$ref\":\"b.json\"}}}", "a", 1}};
    s = parse_ok_deps("{'$ref':'a.json'}", rec, 2);
    const js_node *a = target_of(s->root);
    const js_node *b = target_of(prop(a, "b"));
    ck_assert_ptr_eq(target_of(prop(b, "a")), a);
    js_fmt_schema_free(s);

    /* pure-ref cycles across documents */
    sr_dep cyc[] = {{"x.json", "{\"$ref\":\"y.json\"}", "x", 1}, {"y.json", "{\"$ref\":\"x.json\"}", "y", 1}};
    check_invalid_deps("{'$ref':'x.json'}", cyc, 2, "circular reference");
}
END_TEST

START_TEST(deps_invalid)
{
    sr_dep bad_json[] = {{"a.json", "{\"type\":", "a", 1}};
    check_invalid_deps("{'$ref':'a.json'}", bad_json, 1, "Invalid schema: in reference \"a.json\": not valid JSON");
    sr_dep bad_kw[] = {{"a.json", "{\"properties\":{\"x\":{\"minLength\":-1}}}", "a", 1}};
    check_invalid_deps("{'$ref':'a.json'}", bad_kw, 1,
                       "Invalid schema: in reference \"a.json\": #/properties/x/minLength: expected a non-negative integer");
    sr_dep bad_ref[] = {{"a.json", "{\"$ref\":\"#/nope\"}", "a", 1}};
    check_invalid_deps("{'$ref':'a.json'}", bad_ref, 1, "in reference \"a.json\": #/$ref: cannot resolve");
    sr_dep no_text[] = {{"a.json", NULL, "a", 1}};
    check_invalid_deps("{'$ref':'a.json'}", no_text, 1, "in reference \"a.json\": no schema text");
    /* a reference of another draft keeps its own; without $schema it takes the schema's */
    sr_dep d4[] = {{"a.json", "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"integer\","
                              "\"minimum\":1,\"exclusiveMinimum\":true}", "a", 1}};
    js_schema *s = parse_ok_deps("{" D2020 ",'$ref':'a.json'}", d4, 1);
    ck_assert(target_of(s->root)->minimum.present);
    ck_assert(!target_of(s->root)->exclusive_minimum.present);
    js_fmt_schema_free(s);
    sr_dep plain[] = {{"a.json", "{\"prefixItems\":[{}]}", "a", 1}};
    s = parse_ok_deps("{" D2020 ",'$ref':'a.json'}", plain, 1);
    ck_assert_uint_eq(target_of(s->root)->n_item_schemas, 1);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(deps_same_id)
{
    /* a reference with the schema's own $id: "#..." stays in the schema */
    sr_dep deps[] = {{"a.json", "{\"$id\":\"http://e.com/s\",\"definitions\":{\"x\":{\"type\":\"integer\"}}}",
                      "a", 1}};
    js_schema *s = parse_ok_deps("{'$id':'http://e.com/s','$ref':'#/definitions/x',"
                                 "'definitions':{'x':{'type':'string'}}}", deps, 1);
    ck_assert_int_eq(target_of(s->root)->kind, JS_STRING);
    js_fmt_schema_free(s);
}
END_TEST

START_TEST(many_dependencies)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "{\"$schema\":\"https://json-schema.org/draft/2019-09/schema\",\"dependentRequired\":{");
    for (int i = 0; i < 40000; i++) strbuf_printf(&sb, "%s\"p%d\":[\"q\"]", i ? "," : "", i);
    strbuf_puts(&sb, "},\"dependentSchemas\":{");
    for (int i = 0; i < 40000; i += 2) strbuf_printf(&sb, "%s\"p%d\":{}", i ? "," : "", i);
    strbuf_puts(&sb, "}}");
    sr_error err = {0};
    js_schema *s = js_fmt_parse(sb.data, sb.len, NULL, 0, 0, &err);
    ck_assert_msg(s != NULL, "%s", err.msg);
    ck_assert_uint_eq(s->root->n_dependencies, 40000);
    ck_assert_ptr_nonnull(s->root->dependencies[39998].schema);
    ck_assert_uint_eq(s->root->dependencies[39998].n_names, 1);
    ck_assert_ptr_null(s->root->dependencies[39999].schema);
    js_fmt_schema_free(s);
    strbuf_free(&sb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* URIs                                                                      */

START_TEST(uri_resolution)
{
    js_arena *a = js_arena_new();
    static const char *const cases[][3] = {
        /* RFC 3986 §5.4.1 */
        {"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
        {"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
        {"http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
        {"http://a/b/c/d;p?q", "/g", "http://a/g"},
        {"http://a/b/c/d;p?q", "//g", "http://g"},
        {"http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
        {"http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
        {"http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"},
        {"http://a/b/c/d;p?q", "..", "http://a/b/"},
        {"http://a/b/c/d;p?q", "../g", "http://a/b/g"},
        {"http://a/b/c/d;p?q", "../../g", "http://a/g"},
        {"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
        {"http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y"},
        {"http://a/b/c/d;p?q", "HTTP://a/./x", "http://a/x"},
        {"mem://input", "address.json", "mem://input/address.json"},
        {"urn:example:root", "#/x", "urn:example:root#/x"},
        {NULL, "a/./b", "a/./b"},
        {"", "#/definitions/x", "#/definitions/x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = js_uri_resolve(a, cases[i][0], cases[i][1]);
        ck_assert_msg(strcmp(got, cases[i][2]) == 0, "resolve(%s, %s) = %s, expected %s",
                      cases[i][0] ? cases[i][0] : "NULL", cases[i][1], got, cases[i][2]);
    }
    js_arena_free(a);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* canonical and normalized texts                                            */

START_TEST(canonical_basic)
{
    check_canon("{ \"type\" : \"object\" ,\n \"properties\": {\"b\": {}, \"a\": {\"type\":\"string\"} } }",
                "{'type':'object','properties':{'b':{},'a':{'type':'string'}}}");
    check_canon("true", "true");
    check_canon(" false ", "false");
    check_canon("{}", "{}");
    check_canon("{'a':[],'b':{},'c':null,'d':[true,false]}", "{'a':[],'b':{},'c':null,'d':[true,false]}");
    /* formatting differences give one text */
    char *x = canon_deps("{'type':'string','maxLength':5}", NULL, 0);
    char *y = canon_deps("{\n\t'type' :\t'string',\r\n  'maxLength':   5\n}", NULL, 0);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
}
END_TEST

START_TEST(canonical_numbers)
{
    /* Jackson: integers as written, decimals as BigDecimal.toString() */
    check_canon("{'default':[0,-0,1,-1,9223372036854775807,-9223372036854775808]}",
                "{'default':[0,0,1,-1,9223372036854775807,-9223372036854775808]}");
    check_canon("{'default':[9223372036854775808,-123456789012345678901234567890]}",
                "{'default':[9223372036854775808,-123456789012345678901234567890]}");
    check_canon("{'default':[1.0,1.50,-2.5,100.0,0.5,0.0,-0.0,1.000]}",
                "{'default':[1.0,1.50,-2.5,100.0,0.5,0.0,0.0,1.000]}");
    check_canon("{'default':[1e10,1E10,1e+10,1.5e3,1e0,1e-1,12e-1,1e-7,1.5e-7,0.000001,0.0000001]}",
                "{'default':[1E+10,1E+10,1E+10,1.5E+3,1,0.1,1.2,1E-7,1.5E-7,0.000001,1E-7]}");
    check_canon("{'default':[0e10,0.0e-10,-0e0,1e400,-1.25e-400,123.456e2,10e-2]}",
                "{'default':[0E+10,0E-11,0,1E+400,-1.25E-400,12345.6,0.10]}");
    check_canon("{'minimum':1.0,'maximum':2e2,'multipleOf':0.010}",
                "{'minimum':1.0,'maximum':2E+2,'multipleOf':0.010}");
    strbuf sb = STRBUF_INIT;
    js_put_number(&sb, "0.00012345");
    ck_assert_str_eq(sb.data, "0.00012345");
    sb.len = 0;
    js_put_number(&sb, "-1234.5e-10");
    ck_assert_str_eq(sb.data, "-1.2345E-7");
    strbuf_free(&sb);
}
END_TEST

START_TEST(canonical_strings)
{
    check_canon("{'title':'caf\\u00e9 \\u00E9 é \\ud83d\\ude00 😀'}", "{'title':'café é é 😀 😀'}");
    check_canon("{'title':'a\\/b \\\\ \\\" \\b\\f\\n\\r\\t \\u0001 \\u001f \\u007f'}",
                "{'title':'a/b \\\\ \\\" \\b\\f\\n\\r\\t \\u0001 \\u001F \x7f'}");
    check_canon("{'title':'nul\\u0000in the middle'}", "{'title':'nul\\u0000in the middle'}");
    check_canon("{'\\u00e9':1,'a\\nb':2}", "{'é':1,'a\\nb':2}");
}
END_TEST

START_TEST(normalized_texts)
{
    check_norm("{'type':'object','properties':{'b':{'type':'string'},'a':{'maxLength':1,'default':'x'}},"
               "'required':['b','a']}",
               "{'properties':{'a':{'default':'x','maxLength':1},'b':{'type':'string'}},"
               "'required':['b','a'],'type':'object'}");
    /* nested everywhere, enum values and defaults included; arrays keep their order */
    check_norm("{'enum':[{'z':1,'a':2}],'default':{'y':[{'d':1,'c':2}],'x':0}}",
               "{'default':{'x':0,'y':[{'c':2,'d':1}]},'enum':[{'a':2,'z':1}]}");
    check_norm("true", "true");
    /* Java String order: UTF-16 code units (U+FF5E sorts after U+1F600, whose first unit is D83D) */
    check_norm("{'\xef\xbd\x9e':1,'\xf0\x9f\x98\x80':2,'a':3,'B':4,'\xc3\xa9':5}",
               "{'B':4,'a':3,'\xc3\xa9':5,'\xf0\x9f\x98\x80':2,'\xef\xbd\x9e':1}");
    /* numbers as in the canonical text */
    check_norm("{'b':1.50,'a':1e3}", "{'a':1E+3,'b':1.50}");
    /* two member orders: two canonical texts, one normalized text */
    js_schema *s1 = parse_ok("{'a':1,'b':2}"), *s2 = parse_ok("{'b':2,'a':1}");
    char *c1 = js_fmt_canonical(s1), *c2 = js_fmt_canonical(s2);
    char *n1 = js_fmt_normalized(s1), *n2 = js_fmt_normalized(s2);
    ck_assert_str_ne(c1, c2);
    ck_assert_str_eq(n1, n2);
    free(c1);
    free(c2);
    free(n1);
    free(n2);
    js_fmt_schema_free(s1);
    js_fmt_schema_free(s2);
}
END_TEST

START_TEST(format_table)
{
    const sr_format *f = format_lookup("JSON");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->type, "JSON");
    ck_assert_ptr_null(format_lookup("JSONSCHEMA"));
    int listed = 0;
    for (const char *const *t = format_types; *t; t++) listed |= strcmp(*t, "JSON") == 0;
    ck_assert(listed);
    sr_error err = {0};
    const char *text = "{ \"b\": 1, \"a\": 2 }";
    void *p = f->parse(text, strlen(text), NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(p);
    char *c = f->canonical(p), *n = f->normalized(p);
    ck_assert_str_eq(c, "{\"b\":1,\"a\":2}");
    ck_assert_str_eq(n, "{\"a\":2,\"b\":1}");
    free(c);
    free(n);
    f->free(p);
    ck_assert_ptr_null(f->parse("{\"type\":7}", 10, NULL, 0, 0, &err));
    ck_assert_int_eq(err.http, 422);
    ck_assert_int_eq(err.code, 42201);
}
END_TEST

/* per-draft schemas using each draft's distinctive keywords */
START_TEST(draft_showcases)
{
    js_schema *s = parse_ok("{" D4 ",'id':'http://e.com/p.json','type':'object','properties':{"
                            "'age':{'type':'integer','minimum':0,'maximum':150,'exclusiveMaximum':true}},"
                            "'required':['age'],'additionalProperties':false}");
    ck_assert_int_eq(s->draft, JS_DRAFT_4);
    ck_assert_double_eq(prop(s->root, "age")->maximum.value, 150);
    ck_assert_int_eq(prop(s->root, "age")->exclusive_maximum.present, 0);
    js_fmt_schema_free(s);
    s = parse_ok("{" D6 ",'type':'object','properties':{'kind':{'const':'a'},'tags':{'type':'array',"
                 "'contains':{'const':'x'}}},'propertyNames':{'pattern':'^[a-z]+$'},'examples':[{}]}");
    ck_assert_int_eq(prop(s->root, "kind")->kind, JS_CONST);
    ck_assert_ptr_nonnull(s->root->property_names);
    js_fmt_schema_free(s);
    s = parse_ok("{" D7 ",'type':'object','if':{'properties':{'c':{'const':'NL'}}},"
                 "'then':{'required':['zip']},'else':{'required':['postcode']},'$comment':'x'}");
    check_shape("{" D7 ",'type':'object','if':{},'then':{},'else':{}}", "allOf*[object,if]");
    js_fmt_schema_free(s);
    s = parse_ok("{" D2019 ",'type':'object','$defs':{'n':{'$anchor':'name','type':'string'}},"
                 "'properties':{'name':{'$ref':'#name'},'a':{},'b':{}},'dependentRequired':{'a':['b']},"
                 "'unevaluatedProperties':false}");
    ck_assert_int_eq(target_of(prop(s->root, "name"))->kind, JS_STRING);
    ck_assert_uint_eq(s->root->n_dependencies, 1);
    js_fmt_schema_free(s);
    s = parse_ok("{" D2020 ",'type':'array','prefixItems':[{'type':'string'},{'type':'number'}],"
                 "'items':false,'$dynamicAnchor':'x','$defs':{'d':{'$dynamicRef':'#x'}}}");
    ck_assert_uint_eq(s->root->n_item_schemas, 2);
    js_fmt_schema_free(s);
}
END_TEST

static void *parse_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++) {
        sr_error err = {0};
        const char *t = "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/definitions/x\"}},"
                        "\"definitions\":{\"x\":{\"type\":\"number\",\"minimum\":1.50}}}";
        js_schema *s = js_fmt_parse(t, strlen(t), NULL, 0, 0, &err);
        if (!s) return (void *)1;
        char *c = js_fmt_canonical(s);
        int ok = strcmp(c, t) == 0;
        free(c);
        js_fmt_schema_free(s);
        if (!ok) return (void *)1;
    }
    return NULL;
}

START_TEST(threads)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, parse_many, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        ck_assert_ptr_null(r);
    }
}
END_TEST

static Suite *js_suite(void)
{
    Suite *s = suite_create("jsonschema_format");
    TCase *r = tcase_create("reader");
    tcase_set_timeout(r, 60);
    tcase_add_test(r, bad_json);
    tcase_add_test(r, not_a_schema);
    tcase_add_test(r, duplicate_keys);
    tcase_add_test(r, deep_nesting);
    tcase_add_test(r, huge_document);
    suite_add_tcase(s, r);

    TCase *v = tcase_create("validation");
    tcase_add_test(v, draft_selection);
    tcase_add_test(v, validate_type);
    tcase_add_test(v, validate_enum_const);
    tcase_add_test(v, validate_numbers);
    tcase_add_test(v, validate_counts);
    tcase_add_test(v, validate_strings);
    tcase_add_test(v, validate_regex);
    tcase_add_test(v, validate_arrays);
    tcase_add_test(v, validate_objects);
    tcase_add_test(v, validate_combinators);
    tcase_add_test(v, validate_booleans_as_schemas);
    tcase_add_test(v, validate_annotations);
    tcase_add_test(v, validate_ids_and_anchors);
    suite_add_tcase(s, v);

    TCase *m = tcase_create("model");
    tcase_add_test(m, model_extractor_order);
    tcase_add_test(m, model_sniffing);
    tcase_add_test(m, model_common_attributes);
    tcase_add_test(m, model_string_number);
    tcase_add_test(m, model_objects);
    tcase_add_test(m, model_arrays);
    tcase_add_test(m, model_enum_const);
    tcase_add_test(m, draft_showcases);
    suite_add_tcase(s, m);

    TCase *f = tcase_create("refs");
    tcase_add_test(f, ref_pointers);
    tcase_add_test(f, ref_unresolvable);
    tcase_add_test(f, ref_cycles);
    tcase_add_test(f, ref_ids);
    tcase_add_test(f, ref_anchors);
    tcase_add_test(f, ref_dynamic);
    tcase_add_test(f, ref_siblings_2019);
    tcase_add_test(f, deps_basic);
    tcase_add_test(f, deps_ids_and_urls);
    tcase_add_test(f, deps_transitive);
    tcase_add_test(f, deps_invalid);
    tcase_add_test(f, deps_same_id);
    tcase_add_test(f, many_dependencies);
    tcase_add_test(f, uri_resolution);
    suite_add_tcase(s, f);

    TCase *c = tcase_create("texts");
    tcase_add_test(c, canonical_basic);
    tcase_add_test(c, canonical_numbers);
    tcase_add_test(c, canonical_strings);
    tcase_add_test(c, normalized_texts);
    tcase_add_test(c, format_table);
    tcase_add_test(c, threads);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(js_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
