/*
 * Unit tests for the Protobuf printer (formats/protobuf/pb_print.c) and the
 * PROTOBUF format entry (protobuf_format.c): the canonical text Confluent
 * stores (ProtobufSchemaUtils.toString), the normalized text (normalize=true),
 * round trips, formatting invariance, ?format=serialized / ignore_extensions.
 *
 * Several corpus entries are Confluent's own ProtobufSchemaTest cases; their
 * expected texts are Confluent's, adapted only where protoc rejects the input
 * (noted per case) or where we print differently on purpose (pb_print.c header):
 * `reserved 20000 to 20000` prints as `reserved 20000`.
 */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "formats/format.h"
#include "formats/protobuf/pb_internal.h"
#include "formats/protobuf/protobuf_format.h"


static pb_schema *parse_deps(const char *src, const sr_dep *deps, size_t n, sr_error *err)
{
    return pb_fmt_parse(src, strlen(src), deps, n, 0, err);
}

static pb_schema *parse_ok_deps(const char *src, const sr_dep *deps, size_t n)
{
    sr_error err = {0};
    pb_schema *s = parse_deps(src, deps, n, &err);
    ck_assert_msg(s != NULL, "expected valid:\n%s\n  got: %s", src, err.msg);
    return s;
}

static pb_schema *parse_ok(const char *src)
{
    return parse_ok_deps(src, NULL, 0);
}

static char *canonical_of(const char *src)
{
    pb_schema *s = parse_ok(src);
    char *out = pb_fmt_canonical(s);
    pb_fmt_schema_free(s);
    return out;
}

static char *normalized_of(const char *src)
{
    pb_schema *s = parse_ok(src);
    char *out = pb_fmt_normalized(s);
    pb_fmt_schema_free(s);
    return out;
}

/* canonical(src) == want, and canonical(want) == want (a fixed point) */
static void check_canon_deps(const char *src, const sr_dep *deps, size_t n, const char *want)
{
    pb_schema *s = parse_ok_deps(src, deps, n);
    char *got = pb_fmt_canonical(s);
    pb_fmt_schema_free(s);
    ck_assert_str_eq(got, want);
    sr_error err = {0};
    s = parse_deps(got, deps, n, &err);
    ck_assert_msg(s != NULL, "canonical text does not parse:\n%s\n  got: %s", got, err.msg);
    char *again = pb_fmt_canonical(s);
    ck_assert_str_eq(again, want);
    free(again);
    pb_fmt_schema_free(s);
    free(got);
}

/* normalized(src) == want, and normalized(want) == want */
static void check_norm_deps(const char *src, const sr_dep *deps, size_t n, const char *want)
{
    pb_schema *s = parse_ok_deps(src, deps, n);
    char *got = pb_fmt_normalized(s);
    pb_fmt_schema_free(s);
    ck_assert_str_eq(got, want);
    sr_error err = {0};
    s = parse_deps(got, deps, n, &err);
    ck_assert_msg(s != NULL, "normalized text does not parse:\n%s\n  got: %s", got, err.msg);
    char *again = pb_fmt_normalized(s);
    ck_assert_str_eq(again, want);
    free(again);
    pb_fmt_schema_free(s);
    free(got);
}

static void check_canon(const char *src, const char *want)
{
    check_canon_deps(src, NULL, 0, want);
}

static void check_norm(const char *src, const char *want)
{
    check_norm_deps(src, NULL, 0, want);
}

/* ------------------------------------------------------------------------ */
/* the corpus: source, canonical text, normalized text                      */

typedef struct pcase {
    const char *name, *src, *canon, *norm;
} pcase;

static const pcase CORPUS[] = {
    {"every construct (proto2)",
     "syntax = \"proto2\";\n"
     "package shop.v1;\n"
     "\n"
     "import \"google/protobuf/timestamp.proto\";\n"
     "import public \"google/protobuf/duration.proto\";\n"
     "\n"
     "option java_package = \"com.shop.v1\";\n"
     "option optimize_for = SPEED;\n"
     "\n"
     "// An order.\n"
     "message Order {\n"
     "  reserved 8, 10 to 12;\n"
     "  reserved \"old\";\n"
     "  option deprecated = true;\n"
     "  required int64 id = 1;\n"
     "  optional string note = 2 [default = \"n/a\", deprecated = true];\n"
     "  repeated Item items = 3;\n"
     "  map<string, Item> by_sku = 4;\n"
     "  optional google.protobuf.Timestamp at = 5;\n"
     "  oneof pay {\n"
     "    string card = 6;\n"
     "    int64 points = 7;\n"
     "  }\n"
     "  optional group Extra = 9 {\n"
     "    optional int32 x = 1;\n"
     "  }\n"
     "  extensions 100 to max;\n"
     "  message Item {\n"
     "    optional string sku = 1;\n"
     "    optional Kind kind = 2 [default = BOOK];\n"
     "  }\n"
     "  enum Kind {\n"
     "    option allow_alias = true;\n"
     "    BOOK = 0;\n"
     "    PAPER = 1;\n"
     "    LIVRE = 0;\n"
     "  }\n"
     "}\n"
     "\n"
     "enum Status {\n"
     "  ACTIVE = 1;\n"
     "}\n"
     "\n"
     "extend Order {\n"
     "  optional string tag = 100;\n"
     "}\n"
     "\n"
     "service Shop {\n"
     "  rpc Get (Order) returns (Order);\n"
     "  rpc Watch (stream Order) returns (stream Order) {\n"
     "    option deprecated = true;\n"
     "  }\n"
     "}\n",
     "syntax = \"proto2\";\n"
     "package shop.v1;\n"
     "\n"
     "import \"google/protobuf/timestamp.proto\";\n"
     "import public \"google/protobuf/duration.proto\";\n"
     "\n"
     "option java_package = \"com.shop.v1\";\n"
     "option optimize_for = SPEED;\n"
     "\n"
     "message Order {\n"
     "  reserved 8, 10 to 12;\n"
     "  reserved \"old\";\n"
     "\n"
     "  option deprecated = true;\n"
     "\n"
     "  required int64 id = 1;\n"
     "  optional string note = 2 [\n"
     "    deprecated = true,\n"
     "    default = \"n/a\"\n"
     "  ];\n"
     "  repeated Item items = 3;\n"
     "  map<string, Item> by_sku = 4;\n"
     "  optional google.protobuf.Timestamp at = 5;\n"
     "\n"
     "  oneof pay {\n"
     "    string card = 6;\n"
     "    int64 points = 7;\n"
     "  }\n"
     "\n"
     "  optional group Extra = 9 {\n"
     "    optional int32 x = 1;\n"
     "  }\n"
     "\n"
     "  extensions 100 to max;\n"
     "\n"
     "  message Item {\n"
     "    optional string sku = 1;\n"
     "    optional Kind kind = 2 [default = BOOK];\n"
     "  }\n"
     "  enum Kind {\n"
     "    option allow_alias = true;\n"
     "    BOOK = 0;\n"
     "    PAPER = 1;\n"
     "    LIVRE = 0;\n"
     "  }\n"
     "}\n"
     "enum Status {\n"
     "  ACTIVE = 1;\n"
     "}\n"
     "\n"
     "extend Order {\n"
     "  optional string tag = 100;\n"
     "}\n"
     "\n"
     "service Shop {\n"
     "  rpc Get (Order) returns (Order);\n"
     "  rpc Watch (stream Order) returns (stream Order) {\n"
     "    option deprecated = true;\n"
     "  };\n"
     "}\n",
     "package shop.v1;\n"
     "\n"
     "import \"google/protobuf/timestamp.proto\";\n"
     "import public \"google/protobuf/duration.proto\";\n"
     "\n"
     "option java_package = \"com.shop.v1\";\n"
     "option optimize_for = SPEED;\n"
     "\n"
     "message Order {\n"
     "  reserved 8;\n"
     "  reserved 10 to 12;\n"
     "  reserved \"old\";\n"
     "\n"
     "  option deprecated = true;\n"
     "\n"
     "  required int64 id = 1;\n"
     "  optional string note = 2 [\n"
     "    default = \"n/a\",\n"
     "    deprecated = true\n"
     "  ];\n"
     "  repeated .shop.v1.Order.Item items = 3;\n"
     "  map<string, .shop.v1.Order.Item> by_sku = 4;\n"
     "  optional .google.protobuf.Timestamp at = 5;\n"
     "\n"
     "  oneof pay {\n"
     "    string card = 6;\n"
     "    int64 points = 7;\n"
     "  }\n"
     "\n"
     "  optional group Extra = 9 {\n"
     "    optional int32 x = 1;\n"
     "  }\n"
     "\n"
     "  extensions 100 to max;\n"
     "\n"
     "  message Item {\n"
     "    optional string sku = 1;\n"
     "    optional .shop.v1.Order.Kind kind = 2 [default = BOOK];\n"
     "  }\n"
     "  enum Kind {\n"
     "    option allow_alias = true;\n"
     "    BOOK = 0;\n"
     "    LIVRE = 0;\n"
     "    PAPER = 1;\n"
     "  }\n"
     "}\n"
     "enum Status {\n"
     "  ACTIVE = 1;\n"
     "}\n"
     "\n"
     "extend .shop.v1.Order {\n"
     "  optional string tag = 100;\n"
     "}\n"
     "\n"
     "service Shop {\n"
     "  rpc Get (.shop.v1.Order) returns (.shop.v1.Order);\n"
     "  rpc Watch (stream .shop.v1.Order) returns (stream .shop.v1.Order) {\n"
     "    option deprecated = true;\n"
     "  };\n"
     "}\n"},
    {"enum reserved (Confluent testEnumReserved)",
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message FooOptions {\n"
     "  optional string name = 1;\n"
     "  optional FooParameterType type = 2;\n"
     "}\n"
     "enum FooParameterType {\n"
     "  reserved 20, 100 to max;\n"
     "  reserved 10;\n"
     "  reserved 3 to 4;\n"
     "  reserved \"BAD\", \"OLD\";\n"
     "  NUMBER = 1;\n"
     "  STRING = 2;\n"
     "}\n",
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message FooOptions {\n"
     "  optional string name = 1;\n"
     "  optional FooParameterType type = 2;\n"
     "}\n"
     "enum FooParameterType {\n"
     "  reserved 20, 100 to max;\n"
     "  reserved 10;\n"
     "  reserved 3 to 4;\n"
     "  reserved \"BAD\", \"OLD\";\n"
     "  NUMBER = 1;\n"
     "  STRING = 2;\n"
     "}\n",
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message FooOptions {\n"
     "  optional string name = 1;\n"
     "  optional .FooParameterType type = 2;\n"
     "}\n"
     "enum FooParameterType {\n"
     "  reserved 3 to 4;\n"
     "  reserved 10;\n"
     "  reserved 20;\n"
     "  reserved 100 to max;\n"
     "  reserved \"BAD\";\n"
     "  reserved \"OLD\";\n"
     "  NUMBER = 1;\n"
     "  STRING = 2;\n"
     "}\n"},
    {"nested custom options (Confluent testNestedCustomOptions)",
     "syntax = \"proto3\";\n"
     "package acme.events;\n"
     "import \"google/protobuf/wrappers.proto\";\n"
     "import \"google/protobuf/timestamp.proto\";\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message ValidationSettings {\n"
     "  bool is_optional = 1;\n"
     "}\n"
     "message EventMetadata {\n"
     "  google.protobuf.StringValue owner = 1;\n"
     "  google.protobuf.StringValue description = 2;\n"
     "  RetentionPolicies retention_policy = 4;\n"
     "}\n"
     "\n"
     "extend google.protobuf.FieldOptions {\n"
     "  ValidationSettings validation_settings = 10000;\n"
     "  EventMetadata event_metadata = 10001;\n"
     "}\n"
     "\n"
     "enum RetentionPolicies {\n"
     "  DEFAULT = 0; // Default value, allows enforcement to implement default strategy\n"
     "  SEVEN_DAYS = 1;\n"
     "  THIRTY_DAYS = 2;\n"
     "  NINETY_DAYS = 3;\n"
     "  ONE_YEAR = 4;\n"
     "  TWO_YEARS = 5;\n"
     "  SEVEN_YEARS = 6;\n"
     "  ALL_TIME = 7;\n"
     "}\n"
     "\n"
     "message EventHeader {\n"
     "  google.protobuf.StringValue event_source = 1;\n"
     "  google.protobuf.StringValue event_id = 2;\n"
     "  google.protobuf.Timestamp event_timestamp = 3;\n"
     "  google.protobuf.StringValue event_name = 4;\n"
     "}\n"
     "\n"
     "message Event {\n"
     "  EventHeader header = 1;\n"
     "  oneof only_one_event_limiter {\n"
     "    SearchEvent requested_search = 2 [\n"
     "      (event_metadata).description.value = \"Fires when a user submits a search request.\",\n"
     "      (event_metadata).owner.value = \"DISCO\"\n"
     "    ];\n"
     "  }\n"
     "}\n"
     "message SearchEvent {\n"
     "  google.protobuf.Int32Value user_id = 1 [(validation_settings).is_optional = true];\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package acme.events;\n"
     "\n"
     "import \"google/protobuf/wrappers.proto\";\n"
     "import \"google/protobuf/timestamp.proto\";\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message ValidationSettings {\n"
     "  bool is_optional = 1;\n"
     "}\n"
     "message EventMetadata {\n"
     "  google.protobuf.StringValue owner = 1;\n"
     "  google.protobuf.StringValue description = 2;\n"
     "  RetentionPolicies retention_policy = 4;\n"
     "}\n"
     "message EventHeader {\n"
     "  google.protobuf.StringValue event_source = 1;\n"
     "  google.protobuf.StringValue event_id = 2;\n"
     "  google.protobuf.Timestamp event_timestamp = 3;\n"
     "  google.protobuf.StringValue event_name = 4;\n"
     "}\n"
     "message Event {\n"
     "  EventHeader header = 1;\n"
     "\n"
     "  oneof only_one_event_limiter {\n"
     "    SearchEvent requested_search = 2 [\n"
     "      (event_metadata).description.value = \"Fires when a user submits a search request.\",\n"
     "      (event_metadata).owner.value = \"DISCO\"\n"
     "    ];\n"
     "  }\n"
     "}\n"
     "message SearchEvent {\n"
     "  google.protobuf.Int32Value user_id = 1 [(validation_settings).is_optional = true];\n"
     "}\n"
     "enum RetentionPolicies {\n"
     "  DEFAULT = 0;\n"
     "  SEVEN_DAYS = 1;\n"
     "  THIRTY_DAYS = 2;\n"
     "  NINETY_DAYS = 3;\n"
     "  ONE_YEAR = 4;\n"
     "  TWO_YEARS = 5;\n"
     "  SEVEN_YEARS = 6;\n"
     "  ALL_TIME = 7;\n"
     "}\n"
     "\n"
     "extend google.protobuf.FieldOptions {\n"
     "  ValidationSettings validation_settings = 10000;\n"
     "  EventMetadata event_metadata = 10001;\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package acme.events;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "import \"google/protobuf/timestamp.proto\";\n"
     "import \"google/protobuf/wrappers.proto\";\n"
     "\n"
     "message ValidationSettings {\n"
     "  bool is_optional = 1;\n"
     "}\n"
     "message EventMetadata {\n"
     "  .google.protobuf.StringValue owner = 1;\n"
     "  .google.protobuf.StringValue description = 2;\n"
     "  .acme.events.RetentionPolicies retention_policy = 4;\n"
     "}\n"
     "message EventHeader {\n"
     "  .google.protobuf.StringValue event_source = 1;\n"
     "  .google.protobuf.StringValue event_id = 2;\n"
     "  .google.protobuf.Timestamp event_timestamp = 3;\n"
     "  .google.protobuf.StringValue event_name = 4;\n"
     "}\n"
     "message Event {\n"
     "  .acme.events.EventHeader header = 1;\n"
     "\n"
     "  oneof only_one_event_limiter {\n"
     "    .acme.events.SearchEvent requested_search = 2 [(acme.events.event_metadata) = {\n"
     "      description: {\n"
     "        value: \"Fires when a user submits a search request.\"\n"
     "      },\n"
     "      owner: {\n"
     "        value: \"DISCO\"\n"
     "      }\n"
     "    }];\n"
     "  }\n"
     "}\n"
     "message SearchEvent {\n"
     "  .google.protobuf.Int32Value user_id = 1 [(acme.events.validation_settings) = {\n"
     "    is_optional: true\n"
     "  }];\n"
     "}\n"
     "enum RetentionPolicies {\n"
     "  DEFAULT = 0;\n"
     "  SEVEN_DAYS = 1;\n"
     "  THIRTY_DAYS = 2;\n"
     "  NINETY_DAYS = 3;\n"
     "  ONE_YEAR = 4;\n"
     "  TWO_YEARS = 5;\n"
     "  SEVEN_YEARS = 6;\n"
     "  ALL_TIME = 7;\n"
     "}\n"
     "\n"
     "extend .google.protobuf.FieldOptions {\n"
     "  .acme.events.ValidationSettings validation_settings = 10000;\n"
     "  .acme.events.EventMetadata event_metadata = 10001;\n"
     "}\n"},
    {"confluent meta options (Confluent testComplexCustomOptions2)",
     "syntax = \"proto3\";\n"
     "package com.example.mynamespace;\n"
     "import \"confluent/meta.proto\";\n"
     "import \"confluent/type/decimal.proto\";\n"
     "option java_package = \"io.confluent.kafka.serializers.protobuf.test\";\n"
     "option java_outer_classname = \"ComplexProto\";\n"
     "message SampleRecord {\n"
     "  int32 my_field1 = 1 [\n"
     "    (confluent.field_meta).tags = \"foo\"\n"
     "  ];\n"
     "  double my_field2 = 2 [(confluent.field_meta) = {\n"
     "    tags: [\n"
     "      \"bar\"\n"
     "    ]\n"
     "  }];\n"
     "  int32 my_field3 = 3 [\n"
     "    (confluent.field_meta).tags = \"foo\",\n"
     "    (confluent.field_meta).tags = \"bar\"\n"
     "  ];\n"
     "  double my_field4 = 4 [(confluent.field_meta) = {\n"
     "    tags: [\n"
     "      \"foo\",\n"
     "      \"bar\"\n"
     "    ]\n"
     "  }];\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package com.example.mynamespace;\n"
     "\n"
     "import \"confluent/meta.proto\";\n"
     "import \"confluent/type/decimal.proto\";\n"
     "\n"
     "option java_package = \"io.confluent.kafka.serializers.protobuf.test\";\n"
     "option java_outer_classname = \"ComplexProto\";\n"
     "\n"
     "message SampleRecord {\n"
     "  int32 my_field1 = 1 [(confluent.field_meta).tags = \"foo\"];\n"
     "  double my_field2 = 2 [(confluent.field_meta) = {\n"
     "    tags: [\n"
     "      \"bar\"\n"
     "    ]\n"
     "  }];\n"
     "  int32 my_field3 = 3 [\n"
     "    (confluent.field_meta).tags = \"foo\",\n"
     "    (confluent.field_meta).tags = \"bar\"\n"
     "  ];\n"
     "  double my_field4 = 4 [(confluent.field_meta) = {\n"
     "    tags: [\n"
     "      \"foo\",\n"
     "      \"bar\"\n"
     "    ]\n"
     "  }];\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package com.example.mynamespace;\n"
     "\n"
     "import \"confluent/meta.proto\";\n"
     "import \"confluent/type/decimal.proto\";\n"
     "\n"
     "option java_outer_classname = \"ComplexProto\";\n"
     "option java_package = \"io.confluent.kafka.serializers.protobuf.test\";\n"
     "\n"
     "message SampleRecord {\n"
     "  int32 my_field1 = 1 [(confluent.field_meta) = {\n"
     "    tags: \"foo\"\n"
     "  }];\n"
     "  double my_field2 = 2 [(confluent.field_meta) = {\n"
     "    tags: \"bar\"\n"
     "  }];\n"
     "  int32 my_field3 = 3 [(confluent.field_meta) = {\n"
     "    tags: [\n"
     "      \"foo\",\n"
     "      \"bar\"\n"
     "    ]\n"
     "  }];\n"
     "  double my_field4 = 4 [(confluent.field_meta) = {\n"
     "    tags: [\n"
     "      \"foo\",\n"
     "      \"bar\"\n"
     "    ]\n"
     "  }];\n"
     "}\n"},
    {"aggregate values (Confluent testComplexCustomOptions3)",
     "syntax = \"proto2\";\n"
     "package com.example.mynamespace;\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "message Foo { optional string foo = 1; }\n"
     "message KV { optional string key = 1; optional int32 value = 2; }\n"
     "message Opts {\n"
     "  optional double value1 = 1;\n"
     "  optional int32 value4 = 4;\n"
     "  optional int32 value5 = 5;\n"
     "  optional int32 value6 = 6;\n"
     "  optional int32 value7 = 7;\n"
     "  optional int32 value8 = 8;\n"
     "  optional float value10 = 10;\n"
     "  optional float value11 = 11;\n"
     "  optional double value12 = 12;\n"
     "  optional float value13 = 13;\n"
     "  optional string value14 = 14;\n"
     "  optional string value15 = 15;\n"
     "  optional string value16 = 16;\n"
     "  optional Foo value17 = 17;\n"
     "  optional Foo value21 = 21;\n"
     "  repeated Foo value22 = 22;\n"
     "  repeated int32 value25 = 25;\n"
     "  repeated KV value26 = 26;\n"
     "  extensions 100 to 200;\n"
     "}\n"
     "extend Opts {\n"
     "  optional int32 value9 = 109;\n"
     "  optional int32 value18 = 118;\n"
     "  optional Foo value19 = 119;\n"
     "}\n"
     "extend google.protobuf.FieldOptions {\n"
     "  optional Opts opts = 50000;\n"
     "}\n"
     "message SampleRecord {\n"
     "  optional int32 my_field1 = 2 [(opts) = {\n"
     "    value1: -2.0,\n"
     "    value4: 10 value5: 20,\n"
     "    value6: 10,value7: 20,\n"
     "    value8: 10[com.example.mynamespace.value9]: 20,\n"
     "    value10: 10.5,\n"
     "    value11: 1.0,\n"
     "    value12: 1.23,\n"
     "    value13: 1.2345,\n"
     "    value14:\n"
     "      \"When we got into office, the thing that surprised me most was to find \"\n"
     "      \"that things were just as bad as we'd been saying they were.\\n\\n\"\n"
     "      \"  -- John F. Kennedy\",\n"
     "    value15: \"first part\" 'second part'\n"
     "      \"third part\",\n"
     "    value16: \"first\"\"second\"'third''fourth',\n"
     "    value17: { foo: \"bar\" },\n"
     "    [com.example.mynamespace.value18]: 10,\n"
     "    [com.example.mynamespace.value19]: { foo: \"bar\" },\n"
     "    value21 { foo: \"bar\" },\n"
     "    value22: [{ foo: \"bar\" }],\n"
     "    value25: 1,\n"
     "    value25: 2,\n"
     "    value25: [3, 4, 5],\n"
     "    value25: 6,\n"
     "    value25: [7, 8, 9],\n"
     "    value26: { key: \"entry1\", value: 1 },\n"
     "    value26: { key: \"entry2\", value: 2 },\n"
     "    value26: [      { key: \"entry3\", value: 3 },\n"
     "      { key: \"entry4\", value: 4 }\n"
     "    ]  }];\n"
     "}\n",
     "syntax = \"proto2\";\n"
     "package com.example.mynamespace;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message Foo {\n"
     "  optional string foo = 1;\n"
     "}\n"
     "message KV {\n"
     "  optional string key = 1;\n"
     "  optional int32 value = 2;\n"
     "}\n"
     "message Opts {\n"
     "  optional double value1 = 1;\n"
     "  optional int32 value4 = 4;\n"
     "  optional int32 value5 = 5;\n"
     "  optional int32 value6 = 6;\n"
     "  optional int32 value7 = 7;\n"
     "  optional int32 value8 = 8;\n"
     "  optional float value10 = 10;\n"
     "  optional float value11 = 11;\n"
     "  optional double value12 = 12;\n"
     "  optional float value13 = 13;\n"
     "  optional string value14 = 14;\n"
     "  optional string value15 = 15;\n"
     "  optional string value16 = 16;\n"
     "  optional Foo value17 = 17;\n"
     "  optional Foo value21 = 21;\n"
     "  repeated Foo value22 = 22;\n"
     "  repeated int32 value25 = 25;\n"
     "  repeated KV value26 = 26;\n"
     "\n"
     "  extensions 100 to 200;\n"
     "}\n"
     "message SampleRecord {\n"
     "  optional int32 my_field1 = 2 [(opts) = {\n"
     "    value1: -2.0,\n"
     "    value4: 10,\n"
     "    value5: 20,\n"
     "    value6: 10,\n"
     "    value7: 20,\n"
     "    value8: 10,\n"
     "    [com.example.mynamespace.value9]: 20,\n"
     "    value10: 10.5,\n"
     "    value11: 1.0,\n"
     "    value12: 1.23,\n"
     "    value13: 1.2345,\n"
     "    value14: \"When we got into office, the thing that surprised me most was to find that things were just as bad as we\\'d been saying they were.\\n\\n  -- John F. Kennedy\",\n"
     "    value15: \"first partsecond partthird part\",\n"
     "    value16: \"firstsecondthirdfourth\",\n"
     "    value17: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    [com.example.mynamespace.value18]: 10,\n"
     "    [com.example.mynamespace.value19]: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    value21: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    value22: [\n"
     "      {\n"
     "        foo: \"bar\"\n"
     "      }\n"
     "    ],\n"
     "    value25: [\n"
     "      1,\n"
     "      2,\n"
     "      3,\n"
     "      4,\n"
     "      5,\n"
     "      6,\n"
     "      7,\n"
     "      8,\n"
     "      9\n"
     "    ],\n"
     "    value26: [\n"
     "      {\n"
     "        key: \"entry1\",\n"
     "        value: 1\n"
     "      },\n"
     "      {\n"
     "        key: \"entry2\",\n"
     "        value: 2\n"
     "      },\n"
     "      {\n"
     "        key: \"entry3\",\n"
     "        value: 3\n"
     "      },\n"
     "      {\n"
     "        key: \"entry4\",\n"
     "        value: 4\n"
     "      }\n"
     "    ]\n"
     "  }];\n"
     "}\n"
     "\n"
     "extend Opts {\n"
     "  optional int32 value9 = 109;\n"
     "  optional int32 value18 = 118;\n"
     "  optional Foo value19 = 119;\n"
     "}\n"
     "extend google.protobuf.FieldOptions {\n"
     "  optional Opts opts = 50000;\n"
     "}\n",
     "package com.example.mynamespace;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "message Foo {\n"
     "  optional string foo = 1;\n"
     "}\n"
     "message KV {\n"
     "  optional string key = 1;\n"
     "  optional int32 value = 2;\n"
     "}\n"
     "message Opts {\n"
     "  optional double value1 = 1;\n"
     "  optional int32 value4 = 4;\n"
     "  optional int32 value5 = 5;\n"
     "  optional int32 value6 = 6;\n"
     "  optional int32 value7 = 7;\n"
     "  optional int32 value8 = 8;\n"
     "  optional float value10 = 10;\n"
     "  optional float value11 = 11;\n"
     "  optional double value12 = 12;\n"
     "  optional float value13 = 13;\n"
     "  optional string value14 = 14;\n"
     "  optional string value15 = 15;\n"
     "  optional string value16 = 16;\n"
     "  optional .com.example.mynamespace.Foo value17 = 17;\n"
     "  optional .com.example.mynamespace.Foo value21 = 21;\n"
     "  repeated .com.example.mynamespace.Foo value22 = 22;\n"
     "  repeated int32 value25 = 25;\n"
     "  repeated .com.example.mynamespace.KV value26 = 26;\n"
     "\n"
     "  extensions 100 to 200;\n"
     "}\n"
     "message SampleRecord {\n"
     "  optional int32 my_field1 = 2 [(com.example.mynamespace.opts) = {\n"
     "    [com.example.mynamespace.value18]: 10,\n"
     "    [com.example.mynamespace.value19]: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    [com.example.mynamespace.value9]: 20,\n"
     "    value1: -2,\n"
     "    value10: 10.5,\n"
     "    value11: 1,\n"
     "    value12: 1.23,\n"
     "    value13: 1.235,\n"
     "    value14: \"When we got into office, the thing that surprised me most was to find that things were just as bad as we\\'d been saying they were.\\n\\n  -- John F. Kennedy\",\n"
     "    value15: \"first partsecond partthird part\",\n"
     "    value16: \"firstsecondthirdfourth\",\n"
     "    value17: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    value21: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    value22: {\n"
     "      foo: \"bar\"\n"
     "    },\n"
     "    value25: [\n"
     "      1,\n"
     "      2,\n"
     "      3,\n"
     "      4,\n"
     "      5,\n"
     "      6,\n"
     "      7,\n"
     "      8,\n"
     "      9\n"
     "    ],\n"
     "    value26: [\n"
     "      {\n"
     "        key: \"entry1\",\n"
     "        value: 1\n"
     "      },\n"
     "      {\n"
     "        key: \"entry2\",\n"
     "        value: 2\n"
     "      },\n"
     "      {\n"
     "        key: \"entry3\",\n"
     "        value: 3\n"
     "      },\n"
     "      {\n"
     "        key: \"entry4\",\n"
     "        value: 4\n"
     "      }\n"
     "    ],\n"
     "    value4: 10,\n"
     "    value5: 20,\n"
     "    value6: 10,\n"
     "    value7: 20,\n"
     "    value8: 10\n"
     "  }];\n"
     "}\n"
     "\n"
     "extend .com.example.mynamespace.Opts {\n"
     "  optional int32 value9 = 109;\n"
     "  optional int32 value18 = 118;\n"
     "  optional .com.example.mynamespace.Foo value19 = 119;\n"
     "}\n"
     "extend .google.protobuf.FieldOptions {\n"
     "  optional .com.example.mynamespace.Opts opts = 50000;\n"
     "}\n"},
    {"extensions in aggregates (Confluent testComplexEnum)",
     "syntax = \"proto2\";\n"
     "package acme.api.items;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "option java_package = \"com.acme.api.items\";\n"
     "\n"
     "extend google.protobuf.EnumValueOptions {\n"
     "  optional VisibleTypeEnumValueOption visible_types = 24000;\n"
     "}\n"
     "\n"
     "message VisibleTypeEnumValueOption {\n"
     "  repeated ObjectType type = 1;\n"
     "}\n"
     "\n"
     "message ObjectType {\n"
     "  extensions 100 to 199;\n"
     "}\n"
     "\n"
     "message VisibleTypeSet {\n"
     "  extensions 1 to 99;\n"
     "}\n"
     "\n"
     "enum Type {\n"
     "  reserved 13,15;\n"
     "  reserved \"MARKET_ITEM_SETTINGS\",\"PROMO\";\n"
     "  ITEM = 0;\n"
     "  PAGE = 1;\n"
     "  ITEM_IMAGE = 2;\n"
     "}\n"
     "\n"
     "\n"
     "\n"
     "enum ItemsVisibleTypeSet {\n"
     "  // This is for all clients before register 4.1.2.\n"
     "  LEGACY = 1 [\n"
     "    (acme.api.items.visible_types) = {\n"
     "      type: {[acme.api.items.type]: ITEM},\n"
     "      type: {[acme.api.items.type]: PAGE},\n"
     "      type: {[acme.api.items.type]: ITEM_IMAGE}\n"
     "    }\n"
     "  ];\n"
     "}\n"
     "\n"
     "extend VisibleTypeSet {\n"
     "  optional ItemsVisibleTypeSet items_visible_type_set = 10;\n"
     "}\n"
     "\n"
     "extend ObjectType {\n"
     "  optional Type type = 101;\n"
     "}\n"
     "\n"
     "\n",
     "syntax = \"proto2\";\n"
     "package acme.api.items;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "option java_package = \"com.acme.api.items\";\n"
     "\n"
     "message VisibleTypeEnumValueOption {\n"
     "  repeated ObjectType type = 1;\n"
     "}\n"
     "message ObjectType {\n"
     "  extensions 100 to 199;\n"
     "}\n"
     "message VisibleTypeSet {\n"
     "  extensions 1 to 99;\n"
     "}\n"
     "enum Type {\n"
     "  reserved 13, 15;\n"
     "  reserved \"MARKET_ITEM_SETTINGS\", \"PROMO\";\n"
     "  ITEM = 0;\n"
     "  PAGE = 1;\n"
     "  ITEM_IMAGE = 2;\n"
     "}\n"
     "enum ItemsVisibleTypeSet {\n"
     "  LEGACY = 1 [(acme.api.items.visible_types) = {\n"
     "    type: [\n"
     "      {\n"
     "        [acme.api.items.type]: ITEM\n"
     "      },\n"
     "      {\n"
     "        [acme.api.items.type]: PAGE\n"
     "      },\n"
     "      {\n"
     "        [acme.api.items.type]: ITEM_IMAGE\n"
     "      }\n"
     "    ]\n"
     "  }];\n"
     "}\n"
     "\n"
     "extend google.protobuf.EnumValueOptions {\n"
     "  optional VisibleTypeEnumValueOption visible_types = 24000;\n"
     "}\n"
     "extend VisibleTypeSet {\n"
     "  optional ItemsVisibleTypeSet items_visible_type_set = 10;\n"
     "}\n"
     "extend ObjectType {\n"
     "  optional Type type = 101;\n"
     "}\n",
     "package acme.api.items;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "\n"
     "option java_package = \"com.acme.api.items\";\n"
     "\n"
     "message VisibleTypeEnumValueOption {\n"
     "  repeated .acme.api.items.ObjectType type = 1;\n"
     "}\n"
     "message ObjectType {\n"
     "  extensions 100 to 199;\n"
     "}\n"
     "message VisibleTypeSet {\n"
     "  extensions 1 to 99;\n"
     "}\n"
     "enum Type {\n"
     "  reserved 13;\n"
     "  reserved 15;\n"
     "  reserved \"MARKET_ITEM_SETTINGS\";\n"
     "  reserved \"PROMO\";\n"
     "  ITEM = 0;\n"
     "  PAGE = 1;\n"
     "  ITEM_IMAGE = 2;\n"
     "}\n"
     "enum ItemsVisibleTypeSet {\n"
     "  LEGACY = 1 [(acme.api.items.visible_types) = {\n"
     "    type: [\n"
     "      {\n"
     "        [acme.api.items.type]: ITEM\n"
     "      },\n"
     "      {\n"
     "        [acme.api.items.type]: PAGE\n"
     "      },\n"
     "      {\n"
     "        [acme.api.items.type]: ITEM_IMAGE\n"
     "      }\n"
     "    ]\n"
     "  }];\n"
     "}\n"
     "\n"
     "extend .google.protobuf.EnumValueOptions {\n"
     "  optional .acme.api.items.VisibleTypeEnumValueOption visible_types = 24000;\n"
     "}\n"
     "extend .acme.api.items.VisibleTypeSet {\n"
     "  optional .acme.api.items.ItemsVisibleTypeSet items_visible_type_set = 10;\n"
     "}\n"
     "extend .acme.api.items.ObjectType {\n"
     "  optional .acme.api.items.Type type = 101;\n"
     "}\n"},
    {"ranges (Confluent testRanges)",
     "\n"
     "message Money {\n"
     "  reserved 5000 to 6000;\n"
     "  reserved 10000 to 10001;\n"
     "  reserved 20000 to 20000;\n"
     "\n"
     "  optional int64 cents = 1;\n"
     "\n"
     "  extensions 100 to 200;\n"
     "  extensions 1000 to 1001;\n"
     "  extensions 2000 to 2000;\n"
     "\n"
     "  enum MoneyEnum {\n"
     "    reserved 100 to 200;\n"
     "    reserved 1000 to 1001;\n"
     "    reserved 2000 to 2000;\n"
     "    NONE = 0;\n"
     "    CENTS = 1;\n"
     "    DOLLARS = 2;\n"
     "  }\n"
     "}\n",
     "\n"
     "message Money {\n"
     "  reserved 5000 to 6000;\n"
     "  reserved 10000 to 10001;\n"
     "  reserved 20000;\n"
     "\n"
     "  optional int64 cents = 1;\n"
     "\n"
     "  extensions 100 to 200;\n"
     "  extensions 1000 to 1001;\n"
     "  extensions 2000;\n"
     "\n"
     "  enum MoneyEnum {\n"
     "    reserved 100 to 200;\n"
     "    reserved 1000 to 1001;\n"
     "    reserved 2000;\n"
     "    NONE = 0;\n"
     "    CENTS = 1;\n"
     "    DOLLARS = 2;\n"
     "  }\n"
     "}\n",
     "\n"
     "message Money {\n"
     "  reserved 5000 to 6000;\n"
     "  reserved 10000 to 10001;\n"
     "  reserved 20000;\n"
     "\n"
     "  optional int64 cents = 1;\n"
     "\n"
     "  extensions 100 to 200;\n"
     "  extensions 1000 to 1001;\n"
     "  extensions 2000;\n"
     "\n"
     "  enum MoneyEnum {\n"
     "    reserved 100 to 200;\n"
     "    reserved 1000 to 1001;\n"
     "    reserved 2000;\n"
     "    NONE = 0;\n"
     "    CENTS = 1;\n"
     "    DOLLARS = 2;\n"
     "  }\n"
     "}\n"},
    {"strings, numbers, groups, services",
     "syntax = \"proto2\";\n"
     "package p;\n"
     "import weak \"google/protobuf/empty.proto\";\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "import public \"google/protobuf/any.proto\";\n"
     "option java_package = \"a\\\"b\\\\c'd\\n\\t\\a\\b\\f\\v\\r\\x01\\177\\xff\\303\\251é\";\n"
     "extend google.protobuf.FieldOptions { optional float f = 50001; optional int64 i = 50002; repeated string r = 50003; }\n"
     "message Empty {}\n"
     "message Money {\n"
     "  reserved 5000 to 6000;\n"
     "  reserved 10000 to 10001;\n"
     "  reserved 20000 to 20000;\n"
     "  optional int64 cents = 1 [default = 0x10, (f) = 1.5e3, (i) = -0, (r) = \"a\", (r) = \"b\"];\n"
     "  optional double d = 2 [default = inf];\n"
     "  optional double e = 3 [default = -inf, json_name = \"EE\"];\n"
     "  optional float gg = 4 [default = 1.2345];\n"
     "  optional bytes by = 5 [default = \"\\000\\001abc\\xff\"];\n"
     "  optional bool b = 6 [default = true];\n"
     "  extensions 100 to 200;\n"
     "  extensions 1000 to 1001, 2000 to 2000;\n"
     "  oneof choice {\n"
     "    int32 x = 10;\n"
     "    group G = 11 { optional int32 y = 1; }\n"
     "  }\n"
     "  enum MoneyEnum {\n"
     "    reserved 100 to 200;\n"
     "    reserved 1000 to max;\n"
     "    NONE = 0;\n"
     "    CENTS = 1;\n"
     "  }\n"
     "}\n"
     "service S {\n"
     "  option deprecated = true;\n"
     "  rpc A (Money) returns (stream Money);\n"
     "  rpc B (stream Money) returns (Money) { option idempotency_level = NO_SIDE_EFFECTS; option deprecated = false; }\n"
     "  rpc C (.p.Money) returns (p.Money) {}\n"
     "}\n",
     "syntax = \"proto2\";\n"
     "package p;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "import public \"google/protobuf/any.proto\";\n"
     "import weak \"google/protobuf/empty.proto\";\n"
     "\n"
     "option java_package = \"a\\\"b\\\\c\\'d\\n\\t\\a\\b\\f\\v\\r\\001\\177\\377éé\";\n"
     "\n"
     "message Empty {}\n"
     "message Money {\n"
     "  reserved 5000 to 6000;\n"
     "  reserved 10000 to 10001;\n"
     "  reserved 20000;\n"
     "\n"
     "  optional int64 cents = 1 [\n"
     "    (f) = 1.5e3,\n"
     "    (i) = -0,\n"
     "    (r) = \"a\",\n"
     "    (r) = \"b\",\n"
     "    default = 0x10\n"
     "  ];\n"
     "  optional double d = 2 [default = inf];\n"
     "  optional double e = 3 [\n"
     "    default = -inf,\n"
     "    json_name = \"EE\"\n"
     "  ];\n"
     "  optional float gg = 4 [default = 1.2345];\n"
     "  optional bytes by = 5 [default = \"\\000\\001abc\\377\"];\n"
     "  optional bool b = 6 [default = true];\n"
     "\n"
     "  oneof choice {\n"
     "    int32 x = 10;\n"
     "  \n"
     "    group G = 11 {\n"
     "      optional int32 y = 1;\n"
     "    }\n"
     "  }\n"
     "\n"
     "  extensions 100 to 200;\n"
     "  extensions 1000 to 1001, 2000;\n"
     "\n"
     "  enum MoneyEnum {\n"
     "    reserved 100 to 200;\n"
     "    reserved 1000 to max;\n"
     "    NONE = 0;\n"
     "    CENTS = 1;\n"
     "  }\n"
     "}\n"
     "\n"
     "extend google.protobuf.FieldOptions {\n"
     "  optional float f = 50001;\n"
     "  optional int64 i = 50002;\n"
     "  repeated string r = 50003;\n"
     "}\n"
     "\n"
     "service S {\n"
     "  option deprecated = true;\n"
     "\n"
     "  rpc A (Money) returns (stream Money);\n"
     "  rpc B (stream Money) returns (Money) {\n"
     "    option idempotency_level = NO_SIDE_EFFECTS;\n"
     "    option deprecated = false;\n"
     "  };\n"
     "  rpc C (.p.Money) returns (p.Money);\n"
     "}\n",
     "package p;\n"
     "\n"
     "import \"google/protobuf/descriptor.proto\";\n"
     "import public \"google/protobuf/any.proto\";\n"
     "import weak \"google/protobuf/empty.proto\";\n"
     "\n"
     "option java_package = \"a\\\"b\\\\c\\'d\\n\\t\\a\\b\\f\\v\\r\\001\\177\\377éé\";\n"
     "\n"
     "message Empty {}\n"
     "message Money {\n"
     "  reserved 5000 to 6000;\n"
     "  reserved 10000 to 10001;\n"
     "  reserved 20000;\n"
     "\n"
     "  optional int64 cents = 1 [\n"
     "    default = 16,\n"
     "    (p.f) = 1500,\n"
     "    (p.i) = -0,\n"
     "    (p.r) = \"a\",\n"
     "    (p.r) = \"b\"\n"
     "  ];\n"
     "  optional double d = 2 [default = inf];\n"
     "  optional double e = 3 [\n"
     "    default = -inf,\n"
     "    json_name = \"EE\"\n"
     "  ];\n"
     "  optional float gg = 4 [default = 1.235];\n"
     "  optional bytes by = 5 [default = \"\\000\\001abc\\377\"];\n"
     "  optional bool b = 6 [default = true];\n"
     "\n"
     "  oneof choice {\n"
     "    int32 x = 10;\n"
     "  \n"
     "    group G = 11 {\n"
     "      optional int32 y = 1;\n"
     "    }\n"
     "  }\n"
     "\n"
     "  extensions 100 to 200;\n"
     "  extensions 1000 to 1001;\n"
     "  extensions 2000;\n"
     "\n"
     "  enum MoneyEnum {\n"
     "    reserved 100 to 200;\n"
     "    reserved 1000 to max;\n"
     "    NONE = 0;\n"
     "    CENTS = 1;\n"
     "  }\n"
     "}\n"
     "\n"
     "extend .google.protobuf.FieldOptions {\n"
     "  optional float f = 50001;\n"
     "  optional int64 i = 50002;\n"
     "  repeated string r = 50003;\n"
     "}\n"
     "\n"
     "service S {\n"
     "  option deprecated = true;\n"
     "\n"
     "  rpc A (.p.Money) returns (stream .p.Money);\n"
     "  rpc B (stream .p.Money) returns (.p.Money) {\n"
     "    option deprecated = false;\n"
     "    option idempotency_level = NO_SIDE_EFFECTS;\n"
     "  };\n"
     "  rpc C (.p.Money) returns (.p.Money);\n"
     "}\n"},
    {"maps and packed",
     "syntax = \"proto3\";\n"
     "package m.v1;\n"
     "import \"google/protobuf/struct.proto\";\n"
     "message Holder {\n"
     "  map<string,Val> by_name = 1;\n"
     "  map < int64 , google.protobuf.Value > dyn = 2;\n"
     "  map<string, Val.Kind> kinds = 3;\n"
     "  optional string note = 4;\n"
     "  repeated Val all = 5 [packed = false];\n"
     "  message Val {\n"
     "    enum Kind { UNKNOWN = 0; TEXT = 1; }\n"
     "    Kind kind = 1;\n"
     "    repeated int32 nums = 2 [packed = true];\n"
     "  }\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package m.v1;\n"
     "\n"
     "import \"google/protobuf/struct.proto\";\n"
     "\n"
     "message Holder {\n"
     "  map<string, Val> by_name = 1;\n"
     "  map<int64, google.protobuf.Value> dyn = 2;\n"
     "  map<string, Val.Kind> kinds = 3;\n"
     "  optional string note = 4;\n"
     "  repeated Val all = 5 [packed = false];\n"
     "\n"
     "  message Val {\n"
     "    Kind kind = 1;\n"
     "    repeated int32 nums = 2 [packed = true];\n"
     "  \n"
     "    enum Kind {\n"
     "      UNKNOWN = 0;\n"
     "      TEXT = 1;\n"
     "    }\n"
     "  }\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package m.v1;\n"
     "\n"
     "import \"google/protobuf/struct.proto\";\n"
     "\n"
     "message Holder {\n"
     "  map<string, .m.v1.Holder.Val> by_name = 1;\n"
     "  map<int64, .google.protobuf.Value> dyn = 2;\n"
     "  map<string, .m.v1.Holder.Val.Kind> kinds = 3;\n"
     "  optional string note = 4;\n"
     "  repeated .m.v1.Holder.Val all = 5 [packed = false];\n"
     "\n"
     "  message Val {\n"
     "    .m.v1.Holder.Val.Kind kind = 1;\n"
     "    repeated int32 nums = 2 [packed = true];\n"
     "  \n"
     "    enum Kind {\n"
     "      UNKNOWN = 0;\n"
     "      TEXT = 1;\n"
     "    }\n"
     "  }\n"
     "}\n"},
    {"nested blocks",
     "syntax = \"proto3\";\n"
     "package deep;\n"
     "message A {\n"
     "  message B {\n"
     "    reserved 7;\n"
     "    option deprecated = true;\n"
     "    int32 x = 1;\n"
     "    oneof o { string s = 2; bytes b = 3; }\n"
     "    message C {\n"
     "      int32 y = 1;\n"
     "      map<string, C> cs = 2;\n"
     "      enum E { E0 = 0; }\n"
     "    }\n"
     "  }\n"
     "  B b = 1;\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package deep;\n"
     "\n"
     "message A {\n"
     "  B b = 1;\n"
     "\n"
     "  message B {\n"
     "    reserved 7;\n"
     "  \n"
     "    option deprecated = true;\n"
     "  \n"
     "    int32 x = 1;\n"
     "  \n"
     "    oneof o {\n"
     "      string s = 2;\n"
     "      bytes b = 3;\n"
     "    }\n"
     "  \n"
     "    message C {\n"
     "      int32 y = 1;\n"
     "      map<string, C> cs = 2;\n"
     "    \n"
     "      enum E {\n"
     "        E0 = 0;\n"
     "      }\n"
     "    }\n"
     "  }\n"
     "}\n",
     "syntax = \"proto3\";\n"
     "package deep;\n"
     "\n"
     "message A {\n"
     "  .deep.A.B b = 1;\n"
     "\n"
     "  message B {\n"
     "    reserved 7;\n"
     "  \n"
     "    option deprecated = true;\n"
     "  \n"
     "    int32 x = 1;\n"
     "  \n"
     "    oneof o {\n"
     "      string s = 2;\n"
     "      bytes b = 3;\n"
     "    }\n"
     "  \n"
     "    message C {\n"
     "      int32 y = 1;\n"
     "      map<string, .deep.A.B.C> cs = 2;\n"
     "    \n"
     "      enum E {\n"
     "        E0 = 0;\n"
     "      }\n"
     "    }\n"
     "  }\n"
     "}\n"},
};

#define N_CORPUS (sizeof CORPUS / sizeof CORPUS[0])

START_TEST(corpus_canonical)
{
    const pcase *c = &CORPUS[_i];
    check_canon(c->src, c->canon);
}
END_TEST

START_TEST(corpus_normalized)
{
    const pcase *c = &CORPUS[_i];
    check_norm(c->src, c->norm);
    /* the canonical text normalizes to the same text as the source */
    char *n = normalized_of(c->canon);
    ck_assert_str_eq(n, c->norm);
    free(n);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* layout details                                                           */

#define P3 "syntax = \"proto3\";\n"
#define P2 "syntax = \"proto2\";\n"

START_TEST(simple_proto3)
{
    const char *want = P3 "\nmessage M {\n  string a = 1;\n}\n";
    check_canon(P3 "message M { string a = 1; }\n", want);
    check_norm(P3 "message M { string a = 1; }\n", want);
}
END_TEST

START_TEST(file_sections)
{
    /* without syntax and package the first section still starts with "\n" */
    check_canon("", "");
    check_canon(P3, P3);
    check_canon("package a.b;", "package a.b;\n");
    check_canon("message M {}", "\nmessage M {}\n");
    check_canon("enum E { A = 0; }", "\nenum E {\n  A = 0;\n}\n");
    check_canon("option java_package = 'x';", "\noption java_package = \"x\";\n");
    /* syntax = "proto2" is kept as written; normalize drops it (proto2 is the default) */
    check_canon(P2 "message M {}", P2 "\nmessage M {}\n");
    check_norm(P2 "message M {}", "\nmessage M {}\n");
    /* imports: plain ones, then public, then weak (each in source order; sorted when
     * normalized); messages before enums whatever the source order */
    const char *src = "import public \"google/protobuf/any.proto\";\n"
                      "import \"google/protobuf/timestamp.proto\";\n"
                      "import weak \"google/protobuf/empty.proto\";\n"
                      "import \"google/protobuf/duration.proto\";\n"
                      "package p;\n"
                      "enum E { A = 0; }\n"
                      "message M { optional google.protobuf.Any a = 1; }\n";
    check_canon(src, "package p;\n"
                     "\n"
                     "import \"google/protobuf/timestamp.proto\";\n"
                     "import \"google/protobuf/duration.proto\";\n"
                     "import public \"google/protobuf/any.proto\";\n"
                     "import weak \"google/protobuf/empty.proto\";\n"
                     "\n"
                     "message M {\n"
                     "  optional google.protobuf.Any a = 1;\n"
                     "}\n"
                     "enum E {\n"
                     "  A = 0;\n"
                     "}\n");
    check_norm(src, "package p;\n"
                    "\n"
                    "import \"google/protobuf/duration.proto\";\n"
                    "import \"google/protobuf/timestamp.proto\";\n"
                    "import public \"google/protobuf/any.proto\";\n"
                    "import weak \"google/protobuf/empty.proto\";\n"
                    "\n"
                    "message M {\n"
                    "  optional .google.protobuf.Any a = 1;\n"
                    "}\n"
                    "enum E {\n"
                    "  A = 0;\n"
                    "}\n");
}
END_TEST

START_TEST(message_sections)
{
    /* reserved, options, fields, oneofs, groups, extension ranges, extends, nested
     * messages, nested enums: in that order whatever the source order, one empty
     * line between sections; nested empty lines carry the indentation */
    const char *src = P2 "message M {\n"
                         "  enum E { A = 0; }\n"
                         "  message N { optional int32 n = 1; message O { optional E e = 1; } }\n"
                         "  extend M { optional int32 ext = 100; }\n"
                         "  extensions 100 to 199;\n"
                         "  optional group G = 5 { optional int32 g = 1; }\n"
                         "  oneof o { int32 x = 3; }\n"
                         "  optional int32 a = 1;\n"
                         "  option deprecated = true;\n"
                         "  reserved 9;\n"
                         "  optional int32 b = 2;\n"
                         "}\n";
    check_canon(src, P2 "\n"
                        "message M {\n"
                        "  reserved 9;\n"
                        "\n"
                        "  option deprecated = true;\n"
                        "\n"
                        "  optional int32 a = 1;\n"
                        "  optional int32 b = 2;\n"
                        "\n"
                        "  oneof o {\n"
                        "    int32 x = 3;\n"
                        "  }\n"
                        "\n"
                        "  optional group G = 5 {\n"
                        "    optional int32 g = 1;\n"
                        "  }\n"
                        "\n"
                        "  extensions 100 to 199;\n"
                        "\n"
                        "  extend M {\n"
                        "    optional int32 ext = 100;\n"
                        "  }\n"
                        "\n"
                        "  message N {\n"
                        "    optional int32 n = 1;\n"
                        "  \n"
                        "    message O {\n"
                        "      optional E e = 1;\n"
                        "    }\n"
                        "  }\n"
                        "  enum E {\n"
                        "    A = 0;\n"
                        "  }\n"
                        "}\n");
}
END_TEST

START_TEST(fields_and_options)
{
    check_canon(P3 "message M {\n"
                   "  optional int32 a = 1;\n"
                   "  repeated int32 b = 2 [packed=false];\n"
                   "  int32 c = 3 [deprecated = true, json_name = \"C\", (x) = 1];\n"
                   "  bytes d = 4 [ctype = CORD];\n"
                   "}\n"
                   "import \"google/protobuf/descriptor.proto\";\n"
                   "extend google.protobuf.FieldOptions { int32 x = 50000; }\n",
                P3 "\n"
                   "import \"google/protobuf/descriptor.proto\";\n"
                   "\n"
                   "message M {\n"
                   "  optional int32 a = 1;\n"
                   "  repeated int32 b = 2 [packed = false];\n"
                   "  int32 c = 3 [\n"
                   "    deprecated = true,\n"
                   "    (x) = 1,\n"
                   "    json_name = \"C\"\n"
                   "  ];\n"
                   "  bytes d = 4 [ctype = CORD];\n"
                   "}\n"
                   "\n"
                   "extend google.protobuf.FieldOptions {\n"
                   "  int32 x = 50000;\n"
                   "}\n");
    /* proto2 defaults move after the other options, before json_name */
    check_canon(P2 "enum E { A = 0; B = 1; }\n"
                   "message M {\n"
                   "  optional string s = 1 [json_name = \"S\", default = 'it''s', deprecated = true];\n"
                   "  optional E e = 2 [default = B];\n"
                   "  optional bool b = 3 [default = true];\n"
                   "  optional double d = 4 [default = -inf];\n"
                   "  optional float f = 5 [default = nan];\n"
                   "  optional sint64 i = 6 [default = -0x10];\n"
                   "}\n",
                P2 "\n"
                   "message M {\n"
                   "  optional string s = 1 [\n"
                   "    deprecated = true,\n"
                   "    default = \"its\",\n"
                   "    json_name = \"S\"\n"
                   "  ];\n"
                   "  optional E e = 2 [default = B];\n"
                   "  optional bool b = 3 [default = true];\n"
                   "  optional double d = 4 [default = -inf];\n"
                   "  optional float f = 5 [default = nan];\n"
                   "  optional sint64 i = 6 [default = -0x10];\n"
                   "}\n"
                   "enum E {\n"
                   "  A = 0;\n"
                   "  B = 1;\n"
                   "}\n");
}
END_TEST

START_TEST(labels_as_written)
{
    const char *src = P3 "message M {\n"
                         "  int32 implicit = 1;\n"
                         "  optional int32 explicit = 2;\n"
                         "  repeated int32 many = 3;\n"
                         "  oneof o { int32 member = 4; }\n"
                         "}\n";
    const char *want = P3 "\n"
                          "message M {\n"
                          "  int32 implicit = 1;\n"
                          "  optional int32 explicit = 2;\n"
                          "  repeated int32 many = 3;\n"
                          "\n"
                          "  oneof o {\n"
                          "    int32 member = 4;\n"
                          "  }\n"
                          "}\n";
    check_canon(src, want);
    check_norm(src, want);
}
END_TEST

START_TEST(enums)
{
    const char *src = P2 "enum E {\n"
                         "  option allow_alias = true;\n"
                         "  option deprecated = false;\n"
                         "  reserved 50 to 60, 100 to max;\n"
                         "  reserved 'X';\n"
                         "  Z = 2;\n"
                         "  A = 1 [deprecated = true];\n"
                         "  B = 1;\n"
                         "  NEG = -1;\n"
                         "}\n";
    check_canon(src, P2 "\n"
                        "enum E {\n"
                        "  reserved 50 to 60, 100 to max;\n"
                        "  reserved \"X\";\n"
                        "  option allow_alias = true;\n"
                        "  option deprecated = false;\n"
                        "  Z = 2;\n"
                        "  A = 1 [deprecated = true];\n"
                        "  B = 1;\n"
                        "  NEG = -1;\n"
                        "}\n");
    check_norm(src, "\n"
                    "enum E {\n"
                    "  reserved 50 to 60;\n"
                    "  reserved 100 to max;\n"
                    "  reserved \"X\";\n"
                    "  option allow_alias = true;\n"
                    "  option deprecated = false;\n"
                    "  NEG = -1;\n"
                    "  A = 1 [deprecated = true];\n"
                    "  B = 1;\n"
                    "  Z = 2;\n"
                    "}\n");
}
END_TEST

START_TEST(oneofs_normalized)
{
    /* members by number, oneofs by their first member, groups in oneofs after fields */
    const char *src = P2 "message M {\n"
                         "  oneof b { int32 y = 7; int32 w = 5; }\n"
                         "  oneof a { group G = 9 { optional int32 g = 1; } int32 x = 3; }\n"
                         "  optional int32 z = 1;\n"
                         "}\n";
    check_canon(src, P2 "\n"
                        "message M {\n"
                        "  optional int32 z = 1;\n"
                        "\n"
                        "  oneof b {\n"
                        "    int32 y = 7;\n"
                        "    int32 w = 5;\n"
                        "  }\n"
                        "  oneof a {\n"
                        "    int32 x = 3;\n"
                        "  \n"
                        "    group G = 9 {\n"
                        "      optional int32 g = 1;\n"
                        "    }\n"
                        "  }\n"
                        "}\n");
    check_norm(src, "\n"
                    "message M {\n"
                    "  optional int32 z = 1;\n"
                    "\n"
                    "  oneof a {\n"
                    "    int32 x = 3;\n"
                    "  \n"
                    "    group G = 9 {\n"
                    "      optional int32 g = 1;\n"
                    "    }\n"
                    "  }\n"
                    "  oneof b {\n"
                    "    int32 w = 5;\n"
                    "    int32 y = 7;\n"
                    "  }\n"
                    "}\n");
}
END_TEST

START_TEST(extends_normalized)
{
    /* extend blocks of one extendee merge (first-seen order), fields by number */
    const char *src = P2 "package p;\n"
                         "message M { extensions 10 to 20; }\n"
                         "extend M { optional int32 b = 12; }\n"
                         "extend .p.M { optional int32 a = 11; }\n";
    check_canon(src, P2 "package p;\n"
                        "\n"
                        "message M {\n"
                        "  extensions 10 to 20;\n"
                        "}\n"
                        "\n"
                        "extend M {\n"
                        "  optional int32 b = 12;\n"
                        "}\n"
                        "extend .p.M {\n"
                        "  optional int32 a = 11;\n"
                        "}\n");
    check_norm(src, "package p;\n"
                    "\n"
                    "message M {\n"
                    "  extensions 10 to 20;\n"
                    "}\n"
                    "\n"
                    "extend .p.M {\n"
                    "  optional int32 a = 11;\n"
                    "  optional int32 b = 12;\n"
                    "}\n");
}
END_TEST

START_TEST(services)
{
    const char *src = P3 "package s;\n"
                         "message Req {}\n"
                         "service Svc {\n"
                         "  rpc Unary(Req) returns(Req);\n"
                         "  rpc Client (stream Req) returns (Req) {}\n"
                         "  rpc Server (.s.Req) returns (stream s.Req) { option deprecated = true; }\n"
                         "  option deprecated = true;\n"
                         "  rpc Bidi (stream Req) returns (stream Req) {\n"
                         "    option idempotency_level = IDEMPOTENT;\n"
                         "    option deprecated = false;\n"
                         "  };\n"
                         "}\n"
                         "service Empty {}\n";
    check_canon(src, P3 "package s;\n"
                        "\n"
                        "message Req {}\n"
                        "\n"
                        "service Svc {\n"
                        "  option deprecated = true;\n"
                        "\n"
                        "  rpc Unary (Req) returns (Req);\n"
                        "  rpc Client (stream Req) returns (Req);\n"
                        "  rpc Server (.s.Req) returns (stream s.Req) {\n"
                        "    option deprecated = true;\n"
                        "  };\n"
                        "  rpc Bidi (stream Req) returns (stream Req) {\n"
                        "    option idempotency_level = IDEMPOTENT;\n"
                        "    option deprecated = false;\n"
                        "  };\n"
                        "}\n"
                        "service Empty {}\n");
    check_norm(src, P3 "package s;\n"
                       "\n"
                       "message Req {}\n"
                       "\n"
                       "service Svc {\n"
                       "  option deprecated = true;\n"
                       "\n"
                       "  rpc Unary (.s.Req) returns (.s.Req);\n"
                       "  rpc Client (stream .s.Req) returns (.s.Req);\n"
                       "  rpc Server (.s.Req) returns (stream .s.Req) {\n"
                       "    option deprecated = true;\n"
                       "  };\n"
                       "  rpc Bidi (stream .s.Req) returns (stream .s.Req) {\n"
                       "    option deprecated = false;\n"
                       "    option idempotency_level = IDEMPOTENT;\n"
                       "  };\n"
                       "}\n"
                       "service Empty {}\n");
}
END_TEST

START_TEST(string_escapes)
{
    /* Confluent's escapeChars; bytes that are not UTF-8 and control characters as
     * octal; UTF-8 as is (written raw or as escapes alike) */
    check_canon("option java_package = \"q\\\"b\\\\s'a\\a\\b\\f\\n\\r\\t\\v\\x01\\0\\177\\xff"
                "\\303\\251\xc3\xa9\\u00e9\";\n",
                "\noption java_package = \"q\\\"b\\\\s\\'a\\a\\b\\f\\n\\r\\t\\v\\001\\000\\177"
                "\\377\xc3\xa9\xc3\xa9\xc3\xa9\";\n");
    /* single quotes and adjacent literals */
    check_canon("option java_package = 'a\"b' \"c'd\" 'e';\n",
                "\noption java_package = \"a\\\"bc\\'de\";\n");
    /* bytes defaults stay string literals */
    check_canon(P2 "message M { optional bytes b = 1 [default = \"\\x00\\xfe\\n\"]; }\n",
                P2 "\nmessage M {\n  optional bytes b = 1 [default = \"\\000\\376\\n\"];\n}\n");
}
END_TEST

/* the normalized text of one proto2 default (or option value) */
static void check_number(const char *type, const char *written, const char *want)
{
    strbuf src = STRBUF_INIT, canon = STRBUF_INIT, norm = STRBUF_INIT;
    strbuf_printf(&src, P2 "message M { optional %s v = 1 [default = %s]; }\n", type, written);
    strbuf_printf(&canon, P2 "\nmessage M {\n  optional %s v = 1 [default = %s];\n}\n", type,
                  written);
    strbuf_printf(&norm, "\nmessage M {\n  optional %s v = 1 [default = %s];\n}\n", type, want);
    check_canon(src.data, canon.data);
    char *got = normalized_of(src.data);
    ck_assert_str_eq(got, norm.data);
    free(got);
    strbuf_free(&src);
    strbuf_free(&canon);
    strbuf_free(&norm);
}

START_TEST(numbers_normalized)
{
    /* NumberUtils.createNumber then DecimalFormat (3 fraction digits, HALF_EVEN) */
    check_number("int32", "42", "42");
    check_number("int32", "0x1F", "31");
    check_number("int32", "017", "15");
    check_number("int32", "-0", "-0"); /* Confluent: 0 (see pb_print.c) */
    check_number("float", "-0.0", "-0");
    check_number("sint64", "-9223372036854775808", "-9223372036854775808");
    check_number("uint64", "18446744073709551615", "18446744073709551615");
    check_number("uint64", "0xFFFFFFFFFFFFFFFF", "18446744073709551615");
    check_number("double", "1.5e3", "1500");
    check_number("double", "2.50", "2.5");
    check_number("double", "0.1", "0.1");
    check_number("float", "1.2345", "1.235");   /* via Float: 1.23450005... */
    check_number("double", "3.14159265358979", "3.142");
    check_number("double", "1e-5", "0");
    check_number("double", "-0.0001", "-0");
    check_number("double", "1E10", "10000000000");
    check_number("double", "inf", "inf");
    check_number("double", "-inf", "-inf");
    check_number("float", "nan", "nan");
    /* option values too */
    const char *src = "import \"google/protobuf/descriptor.proto\";\n"
                      "extend google.protobuf.FileOptions { optional double d = 50000; }\n"
                      "option (d) = 0x10;\n";
    char *n = normalized_of(src);
    ck_assert_str_eq(n, "\n"
                        "import \"google/protobuf/descriptor.proto\";\n"
                        "\n"
                        "option (d) = 16;\n"
                        "\n"
                        "extend .google.protobuf.FileOptions {\n"
                        "  optional double d = 50000;\n"
                        "}\n");
    free(n);
}
END_TEST

START_TEST(custom_options_normalized)
{
    /* names resolved from the option's scope (as Confluent does: the message
     * itself, then its parents); `(a).b = v` becomes `(a) = { b: v }`; options
     * of one non-repeated extension merge; repeated ones stay apart */
    const char *src =
        P2 "package p;\n"
           "import \"google/protobuf/descriptor.proto\";\n"
           "message Opt { optional int32 x = 1; optional string y = 2; repeated int32 z = 3;\n"
           "              optional Opt next = 4; }\n"
           "message Scope {\n"
           "  extend google.protobuf.MessageOptions {\n"
           "    optional Opt inner = 50001;\n"
           "    repeated int32 many = 50002;\n"
           "  }\n"
           "  extend google.protobuf.FieldOptions { optional int32 fo = 50003; }\n"
           "  option (Scope.inner).y = \"b\";\n"
           "  option (Scope.many) = 2;\n"
           "  option (p.Scope.inner).x = 1;\n"
           "  option (.p.Scope.many) = 1;\n"
           "  option (Scope.inner).z = 7;\n"
           "  option (Scope.inner).next.x = 5;\n"
           "  option deprecated = true;\n"
           "  option (Scope.inner).next.y = \"n\";\n"
           "  optional int32 f = 1 [(fo) = 3, deprecated = true];\n"
           "}\n";
    check_canon(src, P2 "package p;\n"
                        "\n"
                        "import \"google/protobuf/descriptor.proto\";\n"
                        "\n"
                        "message Opt {\n"
                        "  optional int32 x = 1;\n"
                        "  optional string y = 2;\n"
                        "  repeated int32 z = 3;\n"
                        "  optional Opt next = 4;\n"
                        "}\n"
                        "message Scope {\n"
                        "  option (Scope.inner).y = \"b\";\n"
                        "  option (Scope.many) = 2;\n"
                        "  option (p.Scope.inner).x = 1;\n"
                        "  option (.p.Scope.many) = 1;\n"
                        "  option (Scope.inner).z = 7;\n"
                        "  option (Scope.inner).next.x = 5;\n"
                        "  option deprecated = true;\n"
                        "  option (Scope.inner).next.y = \"n\";\n"
                        "\n"
                        "  optional int32 f = 1 [\n"
                        "    (fo) = 3,\n"
                        "    deprecated = true\n"
                        "  ];\n"
                        "\n"
                        "  extend google.protobuf.MessageOptions {\n"
                        "    optional Opt inner = 50001;\n"
                        "    repeated int32 many = 50002;\n"
                        "  }\n"
                        "  extend google.protobuf.FieldOptions {\n"
                        "    optional int32 fo = 50003;\n"
                        "  }\n"
                        "}\n");
    check_norm(src, "package p;\n"
                    "\n"
                    "import \"google/protobuf/descriptor.proto\";\n"
                    "\n"
                    "message Opt {\n"
                    "  optional int32 x = 1;\n"
                    "  optional string y = 2;\n"
                    "  repeated int32 z = 3;\n"
                    "  optional .p.Opt next = 4;\n"
                    "}\n"
                    "message Scope {\n"
                    "  option deprecated = true;\n"
                    "  option (p.Scope.inner) = {\n"
                    "    next: {\n"
                    "      x: 5,\n"
                    "      y: \"n\"\n"
                    "    },\n"
                    "    x: 1,\n"
                    "    y: \"b\",\n"
                    "    z: 7\n"
                    "  };\n"
                    "  option (p.Scope.many) = 2;\n"
                    "  option (p.Scope.many) = 1;\n"
                    "\n"
                    "  optional int32 f = 1 [\n"
                    "    deprecated = true,\n"
                    "    (p.Scope.fo) = 3\n"
                    "  ];\n"
                    "\n"
                    "  extend .google.protobuf.MessageOptions {\n"
                    "    optional .p.Opt inner = 50001;\n"
                    "    repeated int32 many = 50002;\n"
                    "  }\n"
                    "  extend .google.protobuf.FieldOptions {\n"
                    "    optional int32 fo = 50003;\n"
                    "  }\n"
                    "}\n");
}
END_TEST

START_TEST(formatting_invariance)
{
    const char *want = P3 "package a.b;\n"
                          "\n"
                          "import \"google/protobuf/timestamp.proto\";\n"
                          "\n"
                          "option java_package = \"x.y\";\n"
                          "\n"
                          "message M {\n"
                          "  option deprecated = true;\n"
                          "\n"
                          "  string a = 1 [\n"
                          "    deprecated = true,\n"
                          "    json_name = \"A\"\n"
                          "  ];\n"
                          "  google.protobuf.Timestamp t = 2;\n"
                          "  map<string, int32> m = 3;\n"
                          "\n"
                          "  oneof o {\n"
                          "    int32 x = 4;\n"
                          "  }\n"
                          "\n"
                          "  enum E {\n"
                          "    option allow_alias = true;\n"
                          "    E0 = 0;\n"
                          "    E1 = 1;\n"
                          "    E2 = 1;\n"
                          "  }\n"
                          "}\n"
                          "\n"
                          "service S {\n"
                          "  rpc R (M) returns (stream M);\n"
                          "}\n";
    const char *texts[] = {
        P3 "package a.b;\n"
           "import \"google/protobuf/timestamp.proto\";\n"
           "option java_package = \"x.y\";\n"
           "message M {\n"
           "  option deprecated = true;\n"
           "  string a = 1 [deprecated = true, json_name = \"A\"];\n"
           "  google.protobuf.Timestamp t = 2;\n"
           "  map<string, int32> m = 3;\n"
           "  oneof o { int32 x = 4; }\n"
           "  enum E { option allow_alias = true; E0 = 0; E1 = 1; E2 = 1; }\n"
           "}\n"
           "service S { rpc R (M) returns (stream M); }\n",
        /* minimal whitespace */
        "syntax=\"proto3\";package a.b;import\"google/protobuf/timestamp.proto\";"
        "option java_package=\"x.y\";message M{option deprecated=true;"
        "string a=1[deprecated=true,json_name=\"A\"];google.protobuf.Timestamp t=2;"
        "map<string,int32>m=3;oneof o{int32 x=4;}enum E{option allow_alias=true;E0=0;E1=1;"
        "E2=1;}}service S{rpc R(M)returns(stream M);}",
        /* comments everywhere, CRLF, tabs, single quotes, concatenation, ';', hex/octal */
        "// header\r\n/* block */ syntax = 'proto3' ; // trailing\r\n"
        "package a.b;\r\n"
        "import 'google/protobuf/' \"timestamp.proto\";\r\n"
        "option java_package = 'x' '.y';\r\n"
        ";\r\n"
        "/** doc */\r\nmessage M /* here */ {\r\n"
        "\toption deprecated = true; // why\r\n"
        "\tstring a = 1 [ deprecated = true , json_name = 'A' ] ;\r\n"
        "\tgoogle.protobuf . Timestamp t = 2;\r\n"
        "\tmap < string , int32 > m = 0x3;\r\n"
        "\toneof o {\r\n\t\tint32 x = 04;\r\n\t}\r\n"
        "\tenum E {\r\n\t\toption allow_alias = true;\r\n\t\tE0 = 0;\r\n\t\tE1 = 1;\r\n"
        "\t\tE2 = 0x1;\r\n\t}\r\n"
        "};\r\n"
        "service S {\r\n\trpc R ( M ) returns ( stream M ) { }\r\n}\r\n",
        /* declarations in another order inside M */
        P3 "package a.b;\n"
           "import \"google/protobuf/timestamp.proto\";\n"
           "message M {\n"
           "  enum E { option allow_alias = true; E0 = 0; E1 = 1; E2 = 1; }\n"
           "  oneof o { int32 x = 4; }\n"
           "  string a = 1 [deprecated = true, json_name = \"A\"];\n"
           "  option deprecated = true;\n"
           "  google.protobuf.Timestamp t = 2;\n"
           "  map<string, int32> m = 3;\n"
           "}\n"
           "service S { rpc R (M) returns (stream M); }\n"
           "option java_package = \"x.y\";\n",
        want,
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *got = canonical_of(texts[i]);
        ck_assert_msg(strcmp(got, want) == 0, "variant %zu:\n%s\n-- want --\n%s", i, got, want);
        free(got);
    }
}
END_TEST

START_TEST(references)
{
    const sr_dep deps[] = {
        {"other.proto",
         P3 "package other;\n"
            "import \"google/protobuf/descriptor.proto\";\n"
            "message O { string x = 1; }\n"
            "extend google.protobuf.FieldOptions { string tag = 50000; }\n",
         "other", 1},
    };
    const char *src = P3 "package main;\n"
                         "import \"other.proto\";\n"
                         "message M { other.O o = 1 [(other.tag) = \"t\"]; map<int32, other.O> m = 2; }\n";
    check_canon_deps(src, deps, 1, P3 "package main;\n"
                                      "\n"
                                      "import \"other.proto\";\n"
                                      "\n"
                                      "message M {\n"
                                      "  other.O o = 1 [(other.tag) = \"t\"];\n"
                                      "  map<int32, other.O> m = 2;\n"
                                      "}\n");
    check_norm_deps(src, deps, 1, P3 "package main;\n"
                                     "\n"
                                     "import \"other.proto\";\n"
                                     "\n"
                                     "message M {\n"
                                     "  .other.O o = 1 [(other.tag) = \"t\"];\n"
                                     "  map<int32, .other.O> m = 2;\n"
                                     "}\n");
}
END_TEST

START_TEST(normalized_equivalence)
{
    const char *a = P3 "package n;\n"
                       "import \"google/protobuf/timestamp.proto\";\n"
                       "import \"google/protobuf/duration.proto\";\n"
                       "option java_package = \"x\";\n"
                       "option go_package = \"y\";\n"
                       "message M {\n"
                       "  string b = 2;\n"
                       "  google.protobuf.Timestamp t = 3;\n"
                       "  int32 a = 1;\n"
                       "  oneof o { string y = 5; string x = 4; }\n"
                       "  enum E { Z = 0; B = 2; A = 1; }\n"
                       "  E e = 6;\n"
                       "  map<string, M> m = 7;\n"
                       "}\n";
    const char *b = P3 "package n;\n"
                       "import \"google/protobuf/duration.proto\";\n"
                       "import \"google/protobuf/timestamp.proto\";\n"
                       "option go_package = \"y\";\n"
                       "option java_package = \"x\";\n"
                       "message M {\n"
                       "  enum E { Z = 0; A = 1; B = 2; }\n"
                       "  oneof o { string x = 4; string y = 5; }\n"
                       "  n.M.E e = 6;\n"
                       "  int32 a = 1;\n"
                       "  .google.protobuf.Timestamp t = 3;\n"
                       "  string b = 2;\n"
                       "  map<string, .n.M> m = 7;\n"
                       "}\n";
    char *ca = canonical_of(a), *cb = canonical_of(b);
    ck_assert_str_ne(ca, cb);
    char *na = normalized_of(a), *nb = normalized_of(b);
    ck_assert_str_eq(na, nb);
    ck_assert_str_eq(na, P3 "package n;\n"
                            "\n"
                            "import \"google/protobuf/duration.proto\";\n"
                            "import \"google/protobuf/timestamp.proto\";\n"
                            "\n"
                            "option go_package = \"y\";\n"
                            "option java_package = \"x\";\n"
                            "\n"
                            "message M {\n"
                            "  int32 a = 1;\n"
                            "  string b = 2;\n"
                            "  .google.protobuf.Timestamp t = 3;\n"
                            "  .n.M.E e = 6;\n"
                            "  map<string, .n.M> m = 7;\n"
                            "\n"
                            "  oneof o {\n"
                            "    string x = 4;\n"
                            "    string y = 5;\n"
                            "  }\n"
                            "\n"
                            "  enum E {\n"
                            "    Z = 0;\n"
                            "    A = 1;\n"
                            "    B = 2;\n"
                            "  }\n"
                            "}\n");
    free(ca);
    free(cb);
    free(na);
    free(nb);
}
END_TEST

START_TEST(deep_nesting)
{
    enum { D = 60 };
    strbuf src = STRBUF_INIT, want = STRBUF_INIT;
    strbuf_puts(&src, P3);
    strbuf_puts(&want, P3 "\n");
    for (int i = 0; i < D; i++) {
        strbuf_puts(&src, "message M { int32 a = 1; ");
        strbuf_printf(&want, "%*smessage M {\n%*sint32 a = 1;\n", 2 * i, "", 2 * i + 2, "");
        if (i + 1 < D) strbuf_printf(&want, "%*s\n", 2 * i, "");
    }
    for (int i = D; i-- > 0;) {
        strbuf_puts(&src, "}");
        strbuf_printf(&want, "%*s}\n", 2 * i, "");
    }
    check_canon(src.data, want.data);
    strbuf_free(&src);
    strbuf_free(&want);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* renderings: ignore_extensions, serialized; the format table              */

START_TEST(ignore_extensions)
{
    const char *src = P2 "import \"google/protobuf/descriptor.proto\";\n"
                         "import \"confluent/meta.proto\";\n"
                         "extend google.protobuf.FieldOptions { optional string mine = 50000; }\n"
                         "message M {\n"
                         "  optional string a = 1 [(mine) = \"x\", (confluent.field_meta).doc = \"d\",\n"
                         "                         deprecated = true, (.confluent.field_meta).tags = \"t\"];\n"
                         "  optional int32 b = 2 [(mine) = \"y\"];\n"
                         "  extensions 100 to 200;\n"
                         "  extend M { optional int32 e = 101; }\n"
                         "}\n"
                         "extend M { optional int32 e = 100; }\n"
                         "enum E { option (confluent.enum_meta).doc = \"e\"; A = 0; }\n";
    pb_schema *s = parse_ok(src);
    char *got = pb_fmt_ignore_extensions(s);
    /* (.confluent...) is not kept: Confluent matches the name as written */
    ck_assert_str_eq(got, P2 "\n"
                             "import \"google/protobuf/descriptor.proto\";\n"
                             "import \"confluent/meta.proto\";\n"
                             "\n"
                             "message M {\n"
                             "  optional string a = 1 [\n"
                             "    (confluent.field_meta).doc = \"d\",\n"
                             "    deprecated = true\n"
                             "  ];\n"
                             "  optional int32 b = 2;\n"
                             "}\n"
                             "enum E {\n"
                             "  option (confluent.enum_meta).doc = \"e\";\n"
                             "  A = 0;\n"
                             "}\n");
    free(got);
    pb_fmt_schema_free(s);
}
END_TEST

static unsigned char *unbase64(const char *s, size_t *len)
{
    size_t n = strlen(s);
    ck_assert_int_eq(n % 4, 0);
    unsigned char *out = xmalloc(n / 4 * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 4) {
        unsigned v = 0;
        int pad = 0;
        for (int j = 0; j < 4; j++) {
            char ch = s[i + j];
            const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            const char *p = ch == '=' ? NULL : strchr(tab, ch);
            ck_assert_msg(ch == '=' || (p && ch), "bad base64 character %c", ch);
            if (ch == '=') pad++;
            v = v << 6 | (p ? (unsigned)(p - tab) : 0);
        }
        out[k++] = (unsigned char)(v >> 16);
        if (pad < 2) out[k++] = (unsigned char)(v >> 8);
        if (pad < 1) out[k++] = (unsigned char)v;
    }
    *len = k;
    return out;
}

START_TEST(serialized)
{
    const char *src = P3 "package s.v1;\n"
                         "import \"google/protobuf/timestamp.proto\";\n"
                         "message M { string a = 1; google.protobuf.Timestamp t = 2; map<string, M> m = 3; }\n"
                         "enum E { E0 = 0; }\n";
    pb_schema *s = parse_ok(src);
    char *b64 = pb_fmt_serialized(s);
    size_t len;
    unsigned char *bytes = unbase64(b64, &len);
    Google__Protobuf__FileDescriptorProto *fd =
        google__protobuf__file_descriptor_proto__unpack(NULL, len, bytes);
    ck_assert_ptr_nonnull(fd);
    ck_assert_str_eq(fd->package, "s.v1");
    ck_assert_str_eq(fd->syntax, "proto3");
    ck_assert_int_eq(fd->n_dependency, 1);
    ck_assert_str_eq(fd->dependency[0], "google/protobuf/timestamp.proto");
    ck_assert_int_eq(fd->n_message_type, 1);
    ck_assert_str_eq(fd->message_type[0]->name, "M");
    ck_assert_int_eq(fd->message_type[0]->n_field, 3);
    ck_assert_str_eq(fd->message_type[0]->field[1]->type_name, ".google.protobuf.Timestamp");
    ck_assert_int_eq(fd->n_enum_type, 1);
    /* the same bytes the descriptor converter packs, base64 with padding */
    size_t plen;
    unsigned char *packed = pb_descriptor_pack(s->file, &plen);
    ck_assert_uint_eq(plen, len);
    ck_assert(memcmp(packed, bytes, len) == 0);
    char *other = pb_base64_encode(packed, plen);
    ck_assert_str_eq(other, b64);
    free(other);
    free(packed);
    google__protobuf__file_descriptor_proto__free_unpacked(fd, NULL);

    /* the base64 text is itself a schema, and it means the same */
    pb_schema *again = parse_ok(b64);
    char *n1 = pb_fmt_normalized(s), *n2 = pb_fmt_normalized(again);
    ck_assert_str_eq(n1, n2);
    free(n1);
    free(n2);
    pb_fmt_schema_free(again);
    free(bytes);
    free(b64);
    pb_fmt_schema_free(s);

    /* every length mod 3 pads correctly: schemas of 1..6 extra characters */
    for (int i = 1; i <= 6; i++) {
        strbuf t = STRBUF_INIT;
        strbuf_printf(&t, P3 "package %.*s;\n", i, "abcdef");
        pb_schema *x = parse_ok(t.data);
        char *enc = pb_fmt_serialized(x);
        unsigned char *dec = unbase64(enc, &len);
        unsigned char *ref = pb_descriptor_pack(x->file, &plen);
        ck_assert_uint_eq(len, plen);
        ck_assert(memcmp(dec, ref, len) == 0);
        free(ref);
        free(dec);
        free(enc);
        pb_fmt_schema_free(x);
        strbuf_free(&t);
    }
}
END_TEST

START_TEST(format_table)
{
    const sr_format *f = format_lookup("PROTOBUF");
    ck_assert_ptr_eq(f, &protobuf_format);
    ck_assert_str_eq(f->type, "PROTOBUF");
    ck_assert_ptr_null(format_lookup("protobuf"));
    int listed = 0;
    for (const char *const *t = format_types; *t; t++) listed |= strcmp(*t, "PROTOBUF") == 0;
    ck_assert(listed);
    ck_assert_ptr_nonnull(format_renderer(f, "serialized"));
    ck_assert_ptr_nonnull(format_renderer(f, "ignore_extensions"));
    ck_assert_ptr_null(format_renderer(f, "resolved"));
    ck_assert_ptr_null(format_renderer(f, NULL));

    sr_error err = {0};
    const char *text = P3 "message M { string a = 1; }";
    void *s = f->parse(text, strlen(text), NULL, 0, 0, &err);
    ck_assert_ptr_nonnull(s);
    char *c = f->canonical(s), *n = f->normalized(s);
    ck_assert_str_eq(c, P3 "\nmessage M {\n  string a = 1;\n}\n");
    ck_assert_str_eq(n, c);
    char *ser = format_renderer(f, "serialized")(s);
    ck_assert(strlen(ser) > 0 && strlen(ser) % 4 == 0);
    free(ser);
    free(c);
    free(n);
    f->free(s);

    ck_assert_ptr_null(f->parse("message {", 9, NULL, 0, 0, &err));
    ck_assert_int_eq(err.http, 422);
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* robustness: what the printer never sees                                  */

START_TEST(bad_input)
{
    static const char *const bad[] = {
        P3 "message M { string a = ",
        P3 "message M { message N { int32 a = 1; }",
        P3 "message M { int32 a = 1; } }",
        P3 "message M { int32 a = 99999999999999999999; }",
        P3 "message M { int32 a = 536870912; }",
        P3 "message M\xff { int32 a = 1; }",
        P3 "message M { int32 \xc0\xaf = 1; }",
        P3 "message M { Foo f = 1; }",
        P3 "message M { int32 a = 1; int32 b = 1; }",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sr_error err = {0};
        pb_schema *s = parse_deps(bad[i], NULL, 0, &err);
        ck_assert_msg(s == NULL, "accepted: %s", bad[i]);
        ck_assert_int_eq(err.http, 422);
        ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
        ck_assert(err.msg[0] != '\0');
    }
    strbuf deep = STRBUF_INIT;
    for (int i = 0; i < 10000; i++) strbuf_puts(&deep, "message M {");
    for (int i = 0; i < 10000; i++) strbuf_puts(&deep, "}");
    sr_error err = {0};
    ck_assert_ptr_null(parse_deps(deep.data, NULL, 0, &err));
    ck_assert_int_eq(err.code, SR_E_INVALID_SCHEMA);
    strbuf_free(&deep);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* round trips over wide corpora: the bundled well-known files and the       */
/* parser's protoc corpus (tests/protoc/valid)                               */

/* canonical and normalized are fixed points, and the canonical text means the
 * same as the source (equal normalized texts) */
static void check_round_trip(const char *name, const char *src, const sr_dep *deps, size_t n)
{
    sr_error err = {0};
    pb_schema *s = parse_deps(src, deps, n, &err);
    ck_assert_msg(s != NULL, "%s: %s", name, err.msg);
    char *canon = pb_fmt_canonical(s), *norm = pb_fmt_normalized(s);
    pb_fmt_schema_free(s);

    s = parse_deps(canon, deps, n, &err);
    ck_assert_msg(s != NULL, "%s: canonical text does not parse: %s\n%s", name, err.msg, canon);
    char *canon2 = pb_fmt_canonical(s), *norm2 = pb_fmt_normalized(s);
    ck_assert_msg(strcmp(canon, canon2) == 0, "%s: canonical is not a fixed point", name);
    ck_assert_msg(strcmp(norm, norm2) == 0, "%s: canonical changed the meaning:\n%s\n--\n%s", name,
                  norm, norm2);
    pb_fmt_schema_free(s);

    s = parse_deps(norm, deps, n, &err);
    ck_assert_msg(s != NULL, "%s: normalized text does not parse: %s\n%s", name, err.msg, norm);
    char *norm3 = pb_fmt_normalized(s);
    ck_assert_msg(strcmp(norm, norm3) == 0, "%s: normalized is not a fixed point", name);
    pb_fmt_schema_free(s);
    free(canon);
    free(canon2);
    free(norm);
    free(norm2);
    free(norm3);
}

START_TEST(bundled_round_trip)
{
    static const char *const paths[] = {
        "google/protobuf/any.proto",        "google/protobuf/api.proto",
        "google/protobuf/descriptor.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto",      "google/protobuf/field_mask.proto",
        "google/protobuf/source_context.proto", "google/protobuf/struct.proto",
        "google/protobuf/timestamp.proto",  "google/protobuf/type.proto",
        "google/protobuf/wrappers.proto",   "confluent/meta.proto",
        "confluent/type/decimal.proto",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const char *text = pb_bundled_file(paths[i]);
        ck_assert_msg(text != NULL, "%s is not bundled", paths[i]);
        check_round_trip(paths[i], text, NULL, 0);
    }
}
END_TEST

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) strbuf_add(&sb, buf, n);
    fclose(f);
    return strbuf_take(&sb);
}

START_TEST(protoc_corpus_round_trip)
{
    const char *dir = "tests/protoc/valid";
    /* the corpus' imports, each after what it imports */
    static const char *const dep_names[] = {
        "imports/dep_chain.proto", "imports/proto2_enum.proto", "imports/dep_weak.proto",
        "imports/dep_a.proto", "imports/dep_public.proto",
    };
    enum { ND = sizeof dep_names / sizeof dep_names[0] };
    sr_dep deps[ND];
    char *texts[ND];
    for (size_t i = 0; i < ND; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, dep_names[i]);
        texts[i] = read_file(path);
        ck_assert_msg(texts[i] != NULL, "cannot read %s (run from the repository root)", path);
        deps[i] = (sr_dep){dep_names[i], texts[i], dep_names[i], 1};
    }
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".proto") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = read_file(path);
        ck_assert_ptr_nonnull(text);
        check_round_trip(e->d_name, text, deps, ND);
        free(text);
        count++;
    }
    closedir(d);
    for (size_t i = 0; i < ND; i++) free(texts[i]);
    ck_assert_int_ge(count, 40);
}
END_TEST

/* printing has no shared state: many threads print the corpus at once */
static void *print_corpus(void *arg)
{
    (void)arg;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < N_CORPUS; i++) {
            sr_error err = {0};
            pb_schema *s = parse_deps(CORPUS[i].src, NULL, 0, &err);
            if (!s) return (void *)1;
            char *c = pb_fmt_canonical(s), *n = pb_fmt_normalized(s);
            int bad = strcmp(c, CORPUS[i].canon) != 0 || strcmp(n, CORPUS[i].norm) != 0;
            free(c);
            free(n);
            pb_fmt_schema_free(s);
            if (bad) return (void *)1;
        }
    return NULL;
}

START_TEST(threads)
{
    pthread_t t[8];
    for (int i = 0; i < 8; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, print_corpus, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        ck_assert_ptr_null(rv);
    }
}
END_TEST

static Suite *pb_print_suite(void)
{
    Suite *s = suite_create("pb_print");
    TCase *c = tcase_create("corpus");
    tcase_add_loop_test(c, corpus_canonical, 0, (int)N_CORPUS);
    tcase_add_loop_test(c, corpus_normalized, 0, (int)N_CORPUS);
    suite_add_tcase(s, c);

    TCase *l = tcase_create("layout");
    tcase_add_test(l, simple_proto3);
    tcase_add_test(l, file_sections);
    tcase_add_test(l, message_sections);
    tcase_add_test(l, fields_and_options);
    tcase_add_test(l, labels_as_written);
    tcase_add_test(l, enums);
    tcase_add_test(l, services);
    tcase_add_test(l, string_escapes);
    tcase_add_test(l, formatting_invariance);
    tcase_add_test(l, references);
    tcase_add_test(l, deep_nesting);
    suite_add_tcase(s, l);

    TCase *n = tcase_create("normalized");
    tcase_add_test(n, oneofs_normalized);
    tcase_add_test(n, extends_normalized);
    tcase_add_test(n, numbers_normalized);
    tcase_add_test(n, custom_options_normalized);
    tcase_add_test(n, normalized_equivalence);
    suite_add_tcase(s, n);

    TCase *r = tcase_create("renderings");
    tcase_add_test(r, ignore_extensions);
    tcase_add_test(r, serialized);
    tcase_add_test(r, format_table);
    tcase_add_test(r, bad_input);
    tcase_add_test(r, bundled_round_trip);
    tcase_add_test(r, protoc_corpus_round_trip);
    tcase_add_test(r, threads);
    tcase_set_timeout(r, 60);
    suite_add_tcase(s, r);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pb_print_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
