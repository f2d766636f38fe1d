"""POST /subjects/{subject}/versions (api.md §3.13, §6.1, §6.4; §10 items 6-9, 15,
27-28, 31-32, 58)."""

import json

import pytest

from srapi import (ALL_TYPES, S1, S1_TEXT, S2, S2_TEXT, SUPPORTED_TYPES, UNSUPPORTED_TYPES,
                   assert_error, assert_ok, body_for, compact, distinct_schema, rec)


def reg(client, subject, body, **kw):
    return client.post("/subjects/%s/versions" % subject, body=body, **kw)


def test_register_first_schema_returns_exactly_id(client):
    # §10.6 and CP 7.x shape: exactly {"id": N}
    r = reg(client, "t-value", body_for(S1))
    assert_ok(r, {"id": 1})
    assert set(r.json) == {"id"}


def test_register_idempotent(client):
    # §10.7
    assert_ok(reg(client, "t-value", body_for(S1)), {"id": 1})
    assert_ok(reg(client, "t-value", body_for(S1)), {"id": 1})
    assert_ok(client.get("/subjects/t-value/versions"), [1])


@pytest.mark.parametrize("text", [
    '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]}',
    '{\n  "type" : "record",\n  "name" : "R",\n  "fields" : [ {\n    "name" : "a",\n'
    '    "type" : "string"\n  } ]\n}\n',
    '{"fields":[{"type":"string","name":"a"}],"name":"R","type":"record"}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"string"}}]}',
    '\t {"type":"record","name":"R","fields":[{"name":"a","type":"string"}]} \r\n',
])
def test_register_reformatted_schema_dedupes(client, text):
    # §10.8: canonical dedupe
    assert_ok(reg(client, "t-value", body_for(S1)), {"id": 1})
    assert_ok(reg(client, "t-value", {"schema": text}), {"id": 1})
    assert client.versions("t-value") == [1]
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT})


def test_register_same_schema_other_subject_same_id(client):
    # §10.9, §6.1 dedupe across subjects
    assert client.register("t-value", S1) == 1
    assert_ok(reg(client, "other-value", body_for(S1)), {"id": 1})
    assert client.versions("other-value") == [1]
    assert client.versions("t-value") == [1]
    assert client.version("other-value", 1) == {
        "subject": "other-value", "version": 1, "id": 1, "schema": S1_TEXT}


def test_register_second_version(client):
    # §10.15
    assert client.register("t-value", S1) == 1
    assert_ok(reg(client, "t-value", body_for(S2)), {"id": 2})
    assert client.versions("t-value") == [1, 2]
    assert client.version("t-value", 2) == {
        "subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT}


def test_reregister_older_live_version_is_idempotent(client):
    # §1.4 step 4 (compat.md): any live version matches, not only the latest.
    client.register("t-value", S1)
    client.register("t-value", S2)
    assert_ok(reg(client, "t-value", body_for(S1)), {"id": 1})
    assert client.versions("t-value") == [1, 2]


def test_ids_are_sequential_from_one(client):
    client.set_config("NONE")
    for i in range(5):
        assert client.register("s%d" % i, distinct_schema(i)) == i + 1
    # a schema already known keeps its id wherever it is registered
    assert client.register("s-new", distinct_schema(2)) == 3
    assert client.register("s-new", distinct_schema(7)) == 6


def test_explicit_avro_schema_type_same_identity(client):
    assert client.register("t-value", S1) == 1
    assert_ok(reg(client, "t-value", body_for(S1, schemaType="AVRO")), {"id": 1})
    assert_ok(reg(client, "t2-value", body_for(S1, schemaType="AVRO")), {"id": 1})
    assert_ok(reg(client, "t3-value", body_for(S1, schemaType=None, references=None)),
              {"id": 1})
    # CP 7.x: AVRO is never echoed as schemaType
    assert client.version("t2-value", 1) == {
        "subject": "t2-value", "version": 1, "id": 1, "schema": S1_TEXT}
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT})


def test_empty_references_array_same_identity(client):
    assert client.register("t-value", S1) == 1
    assert_ok(reg(client, "t-value", body_for(S1, references=[])), {"id": 1})
    assert client.versions("t-value") == [1]
    assert "references" not in client.version("t-value", 1)


# --- canonical text (§6.1: Avro-Java compact Schema.toString()) -------------------------------

CANONICAL = [
    ('{"type":"string"}', '"string"'),
    ('{ "type" : "string" }', '"string"'),
    ('"string"', '"string"'),
    ('"long"', '"long"'),
    ('{"type":"array","items":{"type":"int"}}', '{"type":"array","items":"int"}'),
    ('{"values":"long","type":"map"}', '{"type":"map","values":"long"}'),
    ('["null", {"type":"string"}]', '["null","string"]'),
    ('{"symbols":["A","B"],"name":"E","type":"enum"}',
     '{"type":"enum","name":"E","symbols":["A","B"]}'),
    ('{"size":16,"name":"F","type":"fixed"}', '{"type":"fixed","name":"F","size":16}'),
    ('{"fields":[{"type":"string","name":"a"}],"name":"R","type":"record"}', S1_TEXT),
    ('{"type":"record","name":"com.acme.R","fields":[{"name":"a","type":"string"}]}',
     '{"type":"record","name":"R","namespace":"com.acme","fields":[{"name":"a","type":"string"}]}'),
    ('{"namespace":"com.acme","type":"record","name":"R","fields":[{"name":"a","type":"string"}]}',
     '{"type":"record","name":"R","namespace":"com.acme","fields":[{"name":"a","type":"string"}]}'),
    ('{"type":"record","name":"R","fields":[{"default":0,"type":"int","name":"b"}]}',
     '{"type":"record","name":"R","fields":[{"name":"b","type":"int","default":0}]}'),
    ('{"type":"record","name":"R","fields":[{"doc":"fd","name":"a","type":"string"}],"doc":"d"}',
     '{"type":"record","name":"R","doc":"d","fields":[{"name":"a","type":"string","doc":"fd"}]}'),
    ('{"type":"record","x-prop":"v","name":"R","fields":[{"name":"a","type":"string"}]}',
     '{"type":"record","name":"R","fields":[{"name":"a","type":"string"}],"x-prop":"v"}'),
    ('{"type":"record","name":"R","namespace":"n","fields":[{"name":"x","type":'
     '{"type":"record","name":"S","namespace":"n","fields":[]}}]}',
     '{"type":"record","name":"R","namespace":"n","fields":[{"name":"x","type":'
     '{"type":"record","name":"S","fields":[]}}]}'),
    ('{"type":"record","name":"R","fields":[{"name":"x","type":{"type":"fixed","name":"F",'
     '"size":2}},{"name":"y","type":"F"}]}',
     '{"type":"record","name":"R","fields":[{"name":"x","type":{"type":"fixed","name":"F",'
     '"size":2}},{"name":"y","type":"F"}]}'),
    ('{"type":"int","logicalType":"date"}', '{"type":"int","logicalType":"date"}'),
    ('{"type":"record","name":"R","fields":[{"name":"a","type":"string","order":"descending"}]}',
     '{"type":"record","name":"R","fields":[{"name":"a","type":"string","order":"descending"}]}'),
    ('{"type":"record","name":"R","doc":"caf\\u00e9","fields":[]}',
     '{"type":"record","name":"R","doc":"caf\u00e9","fields":[]}'),
]


@pytest.mark.parametrize("given,canonical", CANONICAL)
def test_canonical_text(client, given, canonical):
    assert_ok(reg(client, "t-value", {"schema": given}), {"id": 1})
    assert_ok(client.get("/schemas/ids/1"), {"schema": canonical})
    assert client.version("t-value", 1)["schema"] == canonical
    # the canonical text itself is the same schema
    assert_ok(reg(client, "u-value", {"schema": canonical}), {"id": 1})
    r = client.get("/subjects/t-value/versions/1/schema")
    assert r.status == 200, r
    assert json.loads(r.text) == json.loads(canonical)
    assert r.text.strip() == canonical


def test_doc_change_is_a_new_schema(client):
    # compat.md §2.6: doc/default/alias/prop differences are different schemas.
    assert client.register("t-value", S1) == 1
    with_doc = rec("R", {"name": "a", "type": "string", "doc": "the a"})
    assert_ok(reg(client, "t-value", body_for(with_doc)), {"id": 2})
    assert client.versions("t-value") == [1, 2]
    assert client.version("t-value", 2)["schema"] == compact(with_doc)


def test_unicode_in_schema_round_trips(client):
    schema = rec("R", {"name": "a", "type": "string", "doc": "h\u00e9llo \u65e5\u672c \u2603"})
    assert client.register("t-value", schema) == 1
    body = assert_ok(client.get("/schemas/ids/1"))
    assert json.loads(body["schema"]) == schema
    assert body["schema"] == compact(schema)


# --- body `version` outside IMPORT (§3.13 step 7) ----------------------------------------

def test_body_version_equal_to_next_is_accepted(client):
    r = reg(client, "t-value", body_for(S1, version=1))
    assert_ok(r, {"id": 1})
    r = reg(client, "t-value", body_for(S2, version=2))
    assert_ok(r, {"id": 2})
    assert client.versions("t-value") == [1, 2]


def test_body_version_not_next_is_rejected(client):
    client.register("t-value", S1)
    before = client.snapshot()
    assert_error(reg(client, "t-value", body_for(S2, version=5)), 422, 42201)
    assert_error(reg(client, "n-value", body_for(S2, version=3)), 422, 42201)
    assert client.snapshot() == before


# --- empty / missing schema (§3.13 step 5, §6.11) -----------------------------------------

@pytest.mark.parametrize("body", [{}, {"schema": ""}, {"schema": None}, {"schemaType": "AVRO"}])
def test_empty_schema_without_previous_version(client, body):
    client.register("other-value", S1)
    before = client.snapshot()
    assert_error(reg(client, "t-value", body), 422, 42201)
    assert client.snapshot() == before


def test_empty_schema_with_previous_version_reuses_it(client):
    # §3.13: schema is required "unless re-using the previous version's text";
    # nothing else changes, so this is the idempotent case: same id, no new version.
    client.register("t-value", S1)
    r = reg(client, "t-value", {})
    assert r.status == 200, r
    assert r.json["id"] == 1
    assert client.versions("t-value") == [1]


# --- schemaType (§6.4) ---------------------------------------------------------------------

@pytest.mark.parametrize("stype", ["XML", "avro", "Avro", "JSONSCHEMA", "", "PROTOBUF3"])
def test_unknown_schema_type(client, stype):
    # §10.28: case-sensitive exact names
    client.register("t-value", S1)
    before = client.snapshot()
    assert_error(reg(client, "t-value", body_for(S2, schemaType=stype)), 422, 42201)
    assert_error(reg(client, "new-value", body_for(S1, schemaType=stype)), 422, 42201)
    assert client.snapshot() == before


PROTO = 'syntax = "proto3";\nmessage M { string a = 1; }\n'
JSONS = '{"type":"object"}'


@pytest.mark.parametrize("stype,text", [("PROTOBUF", PROTO), ("JSON", JSONS)])
def test_other_schema_types(client, stype, text):
    # §10.31 / §10.32 once supported; until then 422/42201 (unsupported).
    if stype in UNSUPPORTED_TYPES:
        client.register("t-value", S1)
        before = client.snapshot()
        r = reg(client, "p-value", {"schemaType": stype, "schema": text})
        assert_error(r, 422, 42201)
        assert client.snapshot() == before
        return
    r = reg(client, "p-value", {"schemaType": stype, "schema": text})
    assert_ok(r, {"id": 1})
    v = client.version("p-value", 1)
    assert v["schemaType"] == stype
    assert set(v) == {"subject", "version", "id", "schema", "schemaType"}
    raw = client.get("/subjects/p-value/versions/1/schema")
    assert raw.status == 200
    if stype == "PROTOBUF":
        assert "message M" in raw.text
    else:
        assert json.loads(raw.text) == {"type": "object"}


def test_schema_types_endpoint_matches_supported(client):
    # §10.3 restricted to what is enabled (§6.4: /schemas/types lists what is enabled)
    types = assert_ok(client.get("/schemas/types"))
    assert isinstance(types, list)
    assert len(types) == len(set(types))
    for t in SUPPORTED_TYPES:
        assert t in types
    assert set(types) <= set(ALL_TYPES)


# --- subject validity (§3.13 step 2) -----------------------------------------------------------

@pytest.mark.parametrize("raw_subject", ["a%0Ab", "%0A", "a%00b", "tab%09x", "del%7F",
                                         "c1%C2%85x", "__GLOBAL", "__EMPTY"])
def test_invalid_subject(client, raw_subject):
    # §10.58
    client.register("t-value", S1)
    before = client.snapshot()
    assert_error(reg(client, raw_subject, body_for(S2)), 422, 42208)
    assert client.snapshot() == before


def test_register_in_unknown_subject_with_other_subjects_present(client):
    client.set_config("NONE")
    ids = [client.register("s-%d" % i, distinct_schema(i)) for i in range(3)]
    assert ids == [1, 2, 3]
    assert client.subjects() == ["s-0", "s-1", "s-2"]


def test_star_subject_is_accepted(client):
    # §3.13 step 2: `*` (and the empty subject) are valid unless schema.reject.empty.subject
    assert_ok(reg(client, "*", body_for(S1)), {"id": 1})
    assert client.subjects() == ["*"]
    assert client.versions("*") == [1]


def test_incompatible_message_quotes_a_long_old_schema_whole(client):
    # compat.md §1.6: the 409 details end with {oldSchema: '<text>'} and the final
    # {validateFields..., compatibility...} entry, however long the old schema is
    # (up to the 10 KiB truncation). A message buffer of fixed size must not cut it.
    fields = [{"name": "field_%03d" % i, "type": "string"} for i in range(60)]
    old = {"type": "record", "name": "Wide", "fields": fields}
    client.register("wide-value", old)
    old_text = client.version("wide-value", 1)["schema"]
    assert 1500 < len(old_text) < 10240
    new = dict(old, fields=fields + [{"name": "extra", "type": "int"}])
    r = reg(client, "wide-value", body_for(new))
    assert_error(r, 409, 409)
    msg = r.json["message"]
    assert "{oldSchema: '%s'}" % old_text in msg
    assert msg.endswith("{validateFields: 'false', compatibility: 'BACKWARD'}]")
    assert_ok(client.get("/subjects/wide-value/versions"), [1])
