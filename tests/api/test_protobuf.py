"""Protobuf schemas through HTTP: api.md §3.3, §3.13, §6.1, §6.4, §6.5; compat.md §3.4, §3.9.

Canonical texts are Confluent's re-print of the parsed file (ProtobufSchemaUtils.toString):
`syntax` and `package` lines, then imports, options, messages then enums, extends and
services, each section after one empty line; two-space indentation; comments dropped.
"""

import base64

import pytest

from srapi import assert_error, assert_ok

from google.protobuf import descriptor_pb2

PB = "PROTOBUF"

M_TEXT = 'syntax = "proto3";\nmessage M { string a = 1; }\n'
M_CANON = 'syntax = "proto3";\n\nmessage M {\n  string a = 1;\n}\n'


def body(schema, **extra):
    b = {"schemaType": PB, "schema": schema}
    b.update(extra)
    return b


def reg(client, subject, schema, query="", **extra):
    return client.post("/subjects/%s/versions%s" % (subject, query), body=body(schema, **extra))


def reg_ok(client, subject, schema, query="", **extra):
    r = reg(client, subject, schema, query, **extra)
    assert r.status == 200, r
    assert set(r.json) == {"id"}, r
    return r.json["id"]


def ref(name, subject, version=1):
    return {"name": name, "subject": subject, "version": version}


def decode_descriptor(b64):
    fd = descriptor_pb2.FileDescriptorProto()
    fd.ParseFromString(base64.b64decode(b64, validate=True))
    return fd


# --- registration and read-back ---------------------------------------------------------------

def test_register_and_read_back(client):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    assert_ok(client.get("/subjects/p-value/versions/1"),
              {"subject": "p-value", "version": 1, "id": 1, "schemaType": PB, "schema": M_CANON})
    assert_ok(client.get("/subjects/p-value/versions/latest"),
              {"subject": "p-value", "version": 1, "id": 1, "schemaType": PB, "schema": M_CANON})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": M_CANON})
    raw = client.get("/subjects/p-value/versions/1/schema")
    assert raw.status == 200, raw
    assert raw.text == M_CANON
    raw = client.get("/schemas/ids/1/schema")
    assert raw.status == 200, raw
    assert raw.text == M_CANON
    assert_ok(client.get("/subjects/p-value/versions"), [1])
    assert "PROTOBUF" in assert_ok(client.get("/schemas/types"))


def test_register_idempotent_and_shared_id(client):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    assert_ok(reg(client, "q-value", M_TEXT), {"id": 1})
    assert_ok(client.get("/subjects/p-value/versions"), [1])
    assert_ok(client.get("/schemas/ids/1/versions"),
              [{"subject": "p-value", "version": 1}, {"subject": "q-value", "version": 1}])


@pytest.mark.parametrize("text", [
    'syntax="proto3";message M{string a=1;}',
    "// a comment\nsyntax = 'proto3';\n\n/* block\n comment */\nmessage   M {\n\tstring a = 1; // trailing\n}\n\n",
    'syntax = "proto3";\r\nmessage M {\r\n  string a = 1;\r\n};\r\n',
    'syntax = "proto" "3";\nmessage M {\n  string a = 0x1;\n}\n',
    M_CANON,
])
def test_formatting_does_not_change_identity(client, text):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    assert_ok(reg(client, "p-value", text), {"id": 1})
    assert_ok(client.get("/subjects/p-value/versions"), [1])
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": M_CANON})


def test_other_content_gets_new_id(client):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    client.set_config("NONE", subject="p-value")
    assert_ok(reg(client, "p-value", M_TEXT.replace("string a", "string b")), {"id": 2})
    assert_ok(client.get("/subjects/p-value/versions"), [1, 2])


FULL_TEXT = '''syntax = "proto2";
package shop.v1;

import "google/protobuf/timestamp.proto";
import public "google/protobuf/duration.proto";

option java_package = "com.shop.v1";
option optimize_for = SPEED;

// An order.
message Order {
  reserved 8, 10 to 12;
  reserved "old";
  option deprecated = true;
  required int64 id = 1;
  optional string note = 2 [default = "n/a", deprecated = true];
  repeated Item items = 3;
  map<string, Item> by_sku = 4;
  optional google.protobuf.Timestamp at = 5;
  oneof pay {
    string card = 6;
    int64 points = 7;
  }
  optional group Extra = 9 {
    optional int32 x = 1;
  }
  extensions 100 to max;
  message Item {
    optional string sku = 1;
    optional Kind kind = 2 [default = BOOK];
  }
  enum Kind {
    option allow_alias = true;
    BOOK = 0;
    PAPER = 1;
    LIVRE = 0;
  }
}

enum Status {
  ACTIVE = 1;
}

extend Order {
  optional string tag = 100;
}

service Shop {
  rpc Get (Order) returns (Order);
  rpc Watch (stream Order) returns (stream Order) {
    option deprecated = true;
  }
}
'''

FULL_CANON = '''syntax = "proto2";
package shop.v1;

import "google/protobuf/timestamp.proto";
import public "google/protobuf/duration.proto";

option java_package = "com.shop.v1";
option optimize_for = SPEED;

message Order {
  reserved 8, 10 to 12;
  reserved "old";

  option deprecated = true;

  required int64 id = 1;
  optional string note = 2 [
    deprecated = true,
    default = "n/a"
  ];
  repeated Item items = 3;
  map<string, Item> by_sku = 4;
  optional google.protobuf.Timestamp at = 5;

  oneof pay {
    string card = 6;
    int64 points = 7;
  }

  optional group Extra = 9 {
    optional int32 x = 1;
  }

  extensions 100 to max;

  message Item {
    optional string sku = 1;
    optional Kind kind = 2 [default = BOOK];
  }
  enum Kind {
    option allow_alias = true;
    BOOK = 0;
    PAPER = 1;
    LIVRE = 0;
  }
}
enum Status {
  ACTIVE = 1;
}

extend Order {
  optional string tag = 100;
}

service Shop {
  rpc Get (Order) returns (Order);
  rpc Watch (stream Order) returns (stream Order) {
    option deprecated = true;
  };
}
'''


def test_every_construct_canonical(client):
    assert_ok(reg(client, "shop-value", FULL_TEXT), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": FULL_CANON})
    # the canonical text is itself a valid schema with the same identity
    assert_ok(reg(client, "shop-value", FULL_CANON), {"id": 1})
    assert_ok(client.get("/subjects/shop-value/versions"), [1])


# --- normalize (compat.md §3.9) ---------------------------------------------------------------

N_TEXT_1 = '''syntax = "proto3";
package n;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
option java_package = "x";
option go_package = "y";
message M {
  string b = 2;
  google.protobuf.Timestamp t = 3;
  int32 a = 1;
  oneof o { string y = 5; string x = 4; }
  enum E { Z = 0; B = 2; A = 1; }
  E e = 6;
  map<string, M> m = 7;
}
'''

N_TEXT_2 = '''syntax = "proto3";
package n;
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";
option go_package = "y";
option java_package = "x";
message M {
  enum E { Z = 0; A = 1; B = 2; }
  oneof o { string x = 4; string y = 5; }
  n.M.E e = 6;
  int32 a = 1;
  .google.protobuf.Timestamp t = 3;
  string b = 2;
  map<string, .n.M> m = 7;
}
'''

N_NORMALIZED = '''syntax = "proto3";
package n;

import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";

option go_package = "y";
option java_package = "x";

message M {
  int32 a = 1;
  string b = 2;
  .google.protobuf.Timestamp t = 3;
  .n.M.E e = 6;
  map<string, .n.M> m = 7;

  oneof o {
    string x = 4;
    string y = 5;
  }

  enum E {
    Z = 0;
    A = 1;
    B = 2;
  }
}
'''


def test_normalize_gives_same_id_and_stores_normalized_text(client):
    assert_ok(reg(client, "n-value", N_TEXT_1, "?normalize=true"), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": N_NORMALIZED})
    assert_ok(reg(client, "n-value", N_TEXT_2, "?normalize=true"), {"id": 1})
    assert_ok(client.get("/subjects/n-value/versions"), [1])
    # without normalize the two texts are different contents
    assert_ok(reg(client, "raw-value", N_TEXT_1), {"id": 2})
    assert_ok(reg(client, "raw2-value", N_TEXT_2), {"id": 3})
    # lookup with normalize finds the normalized version
    r = client.post("/subjects/n-value?normalize=true", body=body(N_TEXT_2))
    assert_ok(r, {"subject": "n-value", "version": 1, "id": 1, "schemaType": PB,
                  "schema": N_NORMALIZED})


def test_normalize_from_subject_config(client):
    r = client.put("/config/n-value", body={"compatibility": "NONE", "normalize": True})
    assert r.status == 200, r
    assert_ok(reg(client, "n-value", N_TEXT_1), {"id": 1})
    assert_ok(reg(client, "n-value", N_TEXT_2), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": N_NORMALIZED})


# --- lookup (api.md §3.10) --------------------------------------------------------------------

def test_lookup(client):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    want = {"subject": "p-value", "version": 1, "id": 1, "schemaType": PB, "schema": M_CANON}
    assert_ok(client.post("/subjects/p-value", body=body(M_TEXT)), want)
    assert_ok(client.post("/subjects/p-value", body=body("syntax='proto3';message M{string a=1;}")),
              want)
    assert_error(client.post("/subjects/p-value", body=body(M_TEXT.replace(" a ", " b "))),
                 404, 40403)
    assert_error(client.post("/subjects/nope", body=body(M_TEXT)), 404, 40401)
    # the type matters: the same text as AVRO is not a valid Avro schema
    assert_error(client.post("/subjects/p-value", body={"schema": M_TEXT}), 422, 42201)


# --- references (api.md §6.5) -----------------------------------------------------------------

OTHER = 'syntax = "proto3";\npackage other;\nmessage O { string x = 1; }\n'
MAIN = 'syntax = "proto3";\nimport "other.proto";\nmessage M { other.O o = 1; }\n'
MAIN_CANON = 'syntax = "proto3";\n\nimport "other.proto";\n\nmessage M {\n  other.O o = 1;\n}\n'
OTHER_REF = ref("other.proto", "other")


def test_reference(client):
    assert_ok(reg(client, "other", OTHER), {"id": 1})
    assert_ok(reg(client, "main-value", MAIN, references=[OTHER_REF]), {"id": 2})
    assert_ok(client.get("/subjects/main-value/versions/1"),
              {"subject": "main-value", "version": 1, "id": 2, "schemaType": PB,
               "schema": MAIN_CANON, "references": [OTHER_REF]})
    assert_ok(client.get("/schemas/ids/2"),
              {"schemaType": PB, "schema": MAIN_CANON, "references": [OTHER_REF]})
    assert_ok(client.get("/subjects/other/versions/1/referencedby"), [2])
    # same text, same references: same id
    assert_ok(reg(client, "main2-value", MAIN, references=[OTHER_REF]), {"id": 2})


def test_reference_version_latest_is_stored_as_number(client):
    assert_ok(reg(client, "other", OTHER), {"id": 1})
    assert_ok(reg(client, "main-value", MAIN, references=[ref("other.proto", "other", -1)]),
              {"id": 2})
    assert_ok(client.get("/schemas/ids/2"),
              {"schemaType": PB, "schema": MAIN_CANON, "references": [OTHER_REF]})


C_PROTO = 'syntax = "proto3";\npackage c;\nmessage C { int32 v = 1; }\n'
B_PROTO = 'syntax = "proto3";\npackage b;\nimport "c.proto";\nmessage B { c.C c = 1; }\n'
B_PUBLIC = 'syntax = "proto3";\npackage b;\nimport public "c.proto";\nmessage B { c.C c = 1; }\n'


def test_transitive_references(client):
    assert_ok(reg(client, "c", C_PROTO), {"id": 1})
    assert_ok(reg(client, "b", B_PROTO, references=[ref("c.proto", "c")]), {"id": 2})
    a = 'syntax = "proto3";\nimport "b.proto";\nmessage A { b.B b = 1; }\n'
    assert_ok(reg(client, "a", a, references=[ref("b.proto", "b")]), {"id": 3})
    # c.C is not visible through a plain (non-public) import of b.proto
    before = client.snapshot()
    bad = 'syntax = "proto3";\nimport "b.proto";\nmessage A2 { c.C c = 1; }\n'
    assert_error(reg(client, "a2", bad, references=[ref("b.proto", "b")]), 422, 42201)
    assert client.snapshot() == before


def test_public_import_reexports(client):
    assert_ok(reg(client, "c", C_PROTO), {"id": 1})
    assert_ok(reg(client, "b", B_PUBLIC, references=[ref("c.proto", "c")]), {"id": 2})
    a = 'syntax = "proto3";\nimport "b.proto";\nmessage A { c.C c = 1; b.B b = 2; }\n'
    assert_ok(reg(client, "a", a, references=[ref("b.proto", "b")]), {"id": 3})


@pytest.mark.parametrize("refs", [
    [],
    [ref("other.proto", "nosuch")],
    [ref("other.proto", "other", 2)],
    [ref("wrong.proto", "other")],
], ids=["no-reference", "unknown-subject", "unknown-version", "wrong-name"])
def test_missing_reference(client, refs):
    assert_ok(reg(client, "other", OTHER), {"id": 1})
    before = client.snapshot()
    assert_error(reg(client, "main-value", MAIN, references=refs), 422, 42201)
    assert client.snapshot() == before
    # nothing was allocated
    assert_ok(reg(client, "x-value", M_TEXT), {"id": 2})


def test_soft_deleted_reference_is_rejected(client):
    assert_ok(reg(client, "other", OTHER), {"id": 1})
    client.delete_version("other", 1)
    before = client.snapshot()
    assert_error(reg(client, "main-value", MAIN, references=[OTHER_REF]), 422, 42201)
    assert client.snapshot() == before


def test_reference_delete_blocked(client):
    assert_ok(reg(client, "other", OTHER), {"id": 1})
    assert_ok(reg(client, "main-value", MAIN, references=[OTHER_REF]), {"id": 2})
    assert_error(client.delete("/subjects/other/versions/1"), 422, 42206)


def test_import_cycle_between_references(client):
    # a.proto v1 plain; b.proto v1 imports a.proto (v1); a.proto v2 imports b.proto (v1).
    # A schema importing a.proto at v2 sees a.proto -> b.proto -> a.proto.
    a1 = 'syntax = "proto3";\npackage a;\nmessage A { int32 x = 1; }\n'
    b1 = 'syntax = "proto3";\npackage b;\nimport "a.proto";\nmessage B { a.A a = 1; }\n'
    a2 = 'syntax = "proto3";\npackage a;\nimport "b.proto";\nmessage A2 { b.B b = 1; }\n'
    client.set_config("NONE")
    assert_ok(reg(client, "a", a1), {"id": 1})
    assert_ok(reg(client, "b", b1, references=[ref("a.proto", "a", 1)]), {"id": 2})
    assert_ok(reg(client, "a", a2, references=[ref("b.proto", "b", 1)]), {"id": 3})
    before = client.snapshot()
    main = 'syntax = "proto3";\nimport "a.proto";\nmessage Main { a.A2 a = 1; }\n'
    r = reg(client, "main", main, references=[ref("a.proto", "a", 2)])
    assert_error(r, 422, 42201)
    assert client.snapshot() == before


# --- well-known imports ------------------------------------------------------------------------

WELL_KNOWN = '''syntax = "proto3";
import "google/protobuf/timestamp.proto";
import "confluent/meta.proto";
import "confluent/type/decimal.proto";
message M {
  google.protobuf.Timestamp t = 1;
  confluent.type.Decimal d = 2 [(confluent.field_meta) = { params: [
    { key: "precision", value: "8" }, { key: "scale", value: "3" } ] }];
}
'''

WELL_KNOWN_CANON = '''syntax = "proto3";

import "google/protobuf/timestamp.proto";
import "confluent/meta.proto";
import "confluent/type/decimal.proto";

message M {
  google.protobuf.Timestamp t = 1;
  confluent.type.Decimal d = 2 [(confluent.field_meta) = {
    params: [
      {
        key: "precision",
        value: "8"
      },
      {
        key: "scale",
        value: "3"
      }
    ]
  }];
}
'''


def test_well_known_imports_need_no_references(client):
    assert_ok(reg(client, "wk-value", WELL_KNOWN), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": WELL_KNOWN_CANON})


@pytest.mark.parametrize("path,use", [
    ("google/protobuf/any.proto", "google.protobuf.Any"),
    ("google/protobuf/duration.proto", "google.protobuf.Duration"),
    ("google/protobuf/empty.proto", "google.protobuf.Empty"),
    ("google/protobuf/struct.proto", "google.protobuf.Struct"),
    ("google/protobuf/wrappers.proto", "google.protobuf.StringValue"),
    ("google/protobuf/field_mask.proto", "google.protobuf.FieldMask"),
    ("google/protobuf/descriptor.proto", "google.protobuf.FileDescriptorProto"),
])
def test_each_google_well_known_type(client, path, use):
    text = 'syntax = "proto3";\nimport "%s";\nmessage M { %s v = 1; }\n' % (path, use)
    assert_ok(reg(client, "wk-value", text), {"id": 1})


# --- ?format= (api.md §3.3) --------------------------------------------------------------------

def test_format_serialized(client):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    for path in ("/schemas/ids/1?format=serialized",
                 "/subjects/p-value/versions/1?format=serialized"):
        got = assert_ok(client.get(path))
        assert got["schemaType"] == PB
        fd = decode_descriptor(got["schema"])
        assert fd.syntax == "proto3"
        assert [m.name for m in fd.message_type] == ["M"]
        f = fd.message_type[0].field[0]
        assert (f.name, f.number, f.type) == ("a", 1, descriptor_pb2.FieldDescriptorProto.TYPE_STRING)
    raw = client.get("/subjects/p-value/versions/1/schema?format=serialized")
    assert raw.status == 200, raw
    assert decode_descriptor(raw.text).message_type[0].name == "M"
    # the default and unknown formats return the canonical text
    for fmt in ("", "default", "nosuch"):
        assert_ok(client.get("/schemas/ids/1?format=" + fmt), {"schemaType": PB, "schema": M_CANON})


def test_format_serialized_with_references(client):
    assert_ok(reg(client, "other", OTHER), {"id": 1})
    assert_ok(reg(client, "main-value", MAIN, references=[OTHER_REF]), {"id": 2})
    got = assert_ok(client.get("/schemas/ids/2?format=serialized"))
    assert got["references"] == [OTHER_REF]
    fd = decode_descriptor(got["schema"])
    assert list(fd.dependency) == ["other.proto"]
    f = fd.message_type[0].field[0]
    assert f.type_name == ".other.O"
    assert f.type == descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE


def test_format_ignore_extensions(client):
    text = '''syntax = "proto2";
import "google/protobuf/descriptor.proto";
import "confluent/meta.proto";
extend google.protobuf.FieldOptions { optional string mine = 50000; }
message M {
  optional string a = 1 [(mine) = "x", (confluent.field_meta).doc = "d", deprecated = true];
  extensions 100 to 200;
}
extend M { optional int32 e = 100; }
'''
    assert_ok(reg(client, "x-value", text), {"id": 1})
    got = assert_ok(client.get("/schemas/ids/1?format=ignore_extensions"))
    assert got["schema"] == '''syntax = "proto2";

import "google/protobuf/descriptor.proto";
import "confluent/meta.proto";

message M {
  optional string a = 1 [
    (confluent.field_meta).doc = "d",
    deprecated = true
  ];
}
'''


def test_register_base64_descriptor(client):
    fd = descriptor_pb2.FileDescriptorProto()
    fd.name = "m.proto"
    fd.syntax = "proto3"
    m = fd.message_type.add()
    m.name = "M"
    f = m.field.add()
    f.name, f.number = "a", 1
    f.label = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
    f.type = descriptor_pb2.FieldDescriptorProto.TYPE_STRING
    b64 = base64.b64encode(fd.SerializeToString()).decode()
    assert_ok(reg(client, "d-value", b64), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": PB, "schema": M_CANON})
    # the same content written as .proto text is the same schema
    assert_ok(reg(client, "d-value", M_TEXT), {"id": 1})
    assert_ok(client.get("/subjects/d-value/versions"), [1])


def test_serialized_round_trip(client):
    assert_ok(reg(client, "shop-value", FULL_TEXT), {"id": 1})
    b64 = assert_ok(client.get("/schemas/ids/1?format=serialized"))["schema"]
    # what we serve registers again, and means the same: normalized, both are one schema
    assert_ok(reg(client, "copy-value", b64), {"id": 2})
    assert_ok(reg(client, "n1-value", FULL_TEXT, "?normalize=true"), {"id": 3})
    assert_ok(reg(client, "n2-value", b64, "?normalize=true"), {"id": 3})
    # and it is compatible with the original both ways
    client.set_config("FULL_TRANSITIVE", subject="shop-value")
    r = client.post("/compatibility/subjects/shop-value/versions/latest?verbose=true",
                    body=body(b64))
    assert_ok(r, {"is_compatible": True, "messages": []})


def test_bad_base64_descriptor(client):
    before = client.snapshot()
    for text in ("Zm9v", "AAAA", "CgFt" + "A" * 7):
        assert_error(reg(client, "d-value", text), 422, 42201)
    assert client.snapshot() == before


# --- compatibility (compat.md §3.4; the checker is compat/protobuf_compat.c) ----------------

PREFIX = ('Schema being registered is incompatible with an earlier schema for subject "%s", '
          'details: [')

P_OLD = 'syntax = "proto3";\nmessage M { int32 a = 1; }\n'
P_OLD_CANON = 'syntax = "proto3";\n\nmessage M {\n  int32 a = 1;\n}\n'
P1_NEW = 'syntax = "proto3";\nmessage M { int32 a = 1; string b = 2; }\n'
P8_NEW = 'syntax = "proto3";\nmessage M { sint32 a = 1; }\n'
P17_NEW = 'syntax = "proto3";\nmessage M { int32 a = 1; }\nmessage N { int32 x = 1; }\n'

COMPAT = [
    # row, new, BACKWARD error, FORWARD error
    ("P1-add-field", P1_NEW, None, None),
    ("P8-scalar-kind", P8_NEW, "FIELD_SCALAR_KIND_CHANGED", "FIELD_SCALAR_KIND_CHANGED"),
    ("P17-add-message", P17_NEW, None, "MESSAGE_REMOVED"),
]


def check(client, subject, schema):
    return client.post("/compatibility/subjects/%s/versions/latest?verbose=true" % subject,
                       body=body(schema))


@pytest.mark.parametrize("level", ["BACKWARD", "FORWARD", "FULL"])
@pytest.mark.parametrize("name,new,berr,ferr", COMPAT, ids=[c[0] for c in COMPAT])
def test_compatibility_rows(client, level, name, new, berr, ferr):
    client.set_config(level, subject="s")
    assert_ok(reg(client, "s", P_OLD), {"id": 1})
    errs = {"BACKWARD": [berr], "FORWARD": [ferr], "FULL": [ferr, berr]}[level]
    errs = [e for e in errs if e is not None]
    got = assert_ok(check(client, "s", new))
    assert set(got) == {"is_compatible", "messages"}, got
    assert got["is_compatible"] is (not errs), got
    joined = "\n".join(got["messages"])
    for e in errs:
        assert 'errorType:"%s"' % e in joined, got
    if not errs:
        assert got["messages"] == []
    before = client.snapshot()
    r = reg(client, "s", new)
    if errs:
        assert_error(r, 409, 409)
        msg = r.json["message"]
        assert msg.startswith(PREFIX % "s"), msg
        assert 'errorType:"%s"' % errs[0] in msg, msg
        # compat.md §1.6: for FULL the forward half carries no oldSchemaVersion entry
        if level != "FULL" or berr is not None:
            assert "{oldSchemaVersion: 1}" in msg, msg
            assert "{oldSchema: '%s'}" % P_OLD_CANON in msg, msg
        else:
            assert "oldSchemaVersion" not in msg, msg
        assert msg.endswith("compatibility: '%s'}]" % level), msg
        assert client.snapshot() == before
    else:
        assert_ok(r, {"id": 2})
        assert_ok(client.get("/subjects/s/versions"), [1, 2])


def test_compatibility_type_mismatch_with_avro(client):
    assert_ok(reg(client, "s", P_OLD), {"id": 1})
    r = client.post("/compatibility/subjects/s/versions/latest",
                    body={"schema": '{"type":"string"}'})
    assert_ok(r, {"is_compatible": False})


# --- bad input: 42201, store unchanged ----------------------------------------------------------

DEEP = "message M {" * 10000 + "}" * 10000

INVALID = [
    ("truncated", 'syntax = "proto3";\nmessage M { string a = '),
    ("truncated-string", 'syntax = "proto3";\noption java_package = "abc'),
    ("unbalanced-open", 'syntax = "proto3";\nmessage M { message N { int32 a = 1; }\n'),
    ("unbalanced-close", 'syntax = "proto3";\nmessage M { int32 a = 1; } }\n'),
    ("deep-nesting", DEEP),
    ("deep-aggregate", 'syntax = "proto3";\nimport "confluent/meta.proto";\n'
                       'option (confluent.file_meta) = ' + "{ x: " * 10000 + "1" + " }" * 10000
                       + ';\n'),
    ("huge-field-number", 'syntax = "proto3";\nmessage M { int32 a = 99999999999999999999; }'),
    ("field-number-too-big", 'syntax = "proto3";\nmessage M { int32 a = 536870912; }'),
    ("field-number-zero", 'syntax = "proto3";\nmessage M { int32 a = 0; }'),
    ("enum-number-too-big", 'syntax = "proto3";\nenum E { A = 0; B = 2147483648; }'),
    ("reserved-field-number", 'syntax = "proto3";\nmessage M { int32 a = 19000; }'),
    ("unknown-type", 'syntax = "proto3";\nmessage M { Foo f = 1; }'),
    ("unknown-import", 'syntax = "proto3";\nimport "nowhere.proto";\nmessage M { int32 a = 1; }'),
    ("duplicate-number", 'syntax = "proto3";\nmessage M { int32 a = 1; int32 b = 1; }'),
    ("duplicate-name", 'syntax = "proto3";\nmessage M { int32 a = 1; string a = 2; }'),
    ("duplicate-message", 'syntax = "proto3";\nmessage M {}\nmessage M {}'),
    ("proto3-enum-first-not-zero", 'syntax = "proto3";\nenum E { A = 1; }'),
    ("proto3-required", 'syntax = "proto3";\nmessage M { required int32 a = 1; }'),
    ("bad-syntax", 'syntax = "proto4";\nmessage M {}'),
    ("garbage", "this is not a proto file"),
    ("json", '{"type":"record","name":"R","fields":[]}'),
    ("non-ascii-identifier", 'syntax = "proto3";\nmessage M\u00e9 { int32 a = 1; }'),
    ("control-char", 'syntax = "proto3";\nmessage M { int32 a\u0001 = 1; }'),
]


@pytest.mark.parametrize("name,text", INVALID, ids=[i[0] for i in INVALID])
def test_invalid_schema_is_42201_and_nothing_stored(client, name, text):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    before = client.snapshot()
    assert_error(reg(client, "p-value", text), 422, 42201)
    assert_error(reg(client, "new-value", text), 422, 42201)
    assert_error(client.post("/subjects/p-value", body=body(text)), 422, 42201)
    assert client.snapshot() == before
    # the server is still healthy and ids were not consumed
    assert_ok(reg(client, "next-value", M_TEXT.replace(" a ", " z ")), {"id": 2})


@pytest.mark.parametrize("data", [
    b'{"schemaType":"PROTOBUF","schema":"syntax = \\"proto3\\"; message M\xff { int32 a = 1; }"}',
    b'{"schemaType":"PROTOBUF","schema":"message M { string a = 1 [default = \\"\xc0\xaf\\"]; }"}',
], ids=["ff-in-identifier", "overlong-in-string"])
def test_invalid_utf8_body(client, data):
    # invalid UTF-8 cannot reach the .proto parser: the JSON layer refuses it first
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    before = client.snapshot()
    assert_error(client.post("/subjects/p-value/versions", data=data), 400, 400)
    assert client.snapshot() == before


def test_invalid_schema_verbose_compatibility(client):
    assert_ok(reg(client, "p-value", M_TEXT), {"id": 1})
    got = assert_ok(client.post("/compatibility/subjects/p-value/versions/latest?verbose=true",
                                body=body("message {")))
    assert got["is_compatible"] is False
    assert len(got["messages"]) == 1 and got["messages"][0], got
    assert_error(client.post("/compatibility/subjects/p-value/versions/latest",
                             body=body("message {")), 422, 42201)


def test_error_message_has_position(client):
    r = reg(client, "p-value", 'syntax = "proto3";\nmessage M {\n  Foo f = 1;\n}\n')
    msg = assert_error(r, 422, 42201)
    assert "3:" in msg, msg
    assert "Foo" in msg, msg
