"""JSON Schema through HTTP: api.md §3.13, §6.1, §6.4, §6.5; compat.md §4.2, §4.8, §4.10.

The canonical text of a JSON schema is Confluent's JsonSchema.canonicalString(): the
schema re-serialised compactly by Jackson (member order kept, floats as BigDecimal
prints them). For schemas without floats or control characters that is exactly
`compact()` below. Verdicts are compat.md §4.8's (STRICT unless a test sets LENIENT).
"""

import json

import pytest

from srapi import assert_error, assert_ok

JS = "JSON"
D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"
D2020 = "https://json-schema.org/draft/2020-12/schema"


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def text_of(schema):
    return schema if isinstance(schema, str) else compact(schema)


def body(schema, **extra):
    b = {"schemaType": JS, "schema": text_of(schema)}
    b.update(extra)
    return b


def reg(client, subject, schema, query="", **extra):
    return client.post("/subjects/%s/versions%s" % (subject, query), body=body(schema, **extra))


def reg_ok(client, subject, schema, query="", **extra):
    r = reg(client, subject, schema, query, **extra)
    assert r.status == 200, r
    assert set(r.json) == {"id"}, r
    return r.json["id"]


def check(client, subject, schema, version="latest", **extra):
    path = "/compatibility/subjects/%s/versions/%s?verbose=true" % (subject, version)
    return client.post(path, body=body(schema, **extra))


def ref(name, subject, version=1):
    return {"name": name, "subject": subject, "version": version}


def set_policy(client, subject, policy):
    r = client.put("/config/%s" % subject, body={"compatibilityPolicy": policy})
    assert r.status == 200, r


def assert_invalid(client, subject, schema, fragment=None, **extra):
    """A 422/42201 that changes nothing; returns the message."""
    before = client.snapshot()
    msg = assert_error(reg(client, subject, schema, **extra), 422, 42201)
    if fragment is not None:
        assert fragment in msg, msg
    assert client.snapshot() == before
    return msg


def has_error_type(message, error_type):
    # compat.md §4.9: {errorType:"TYPE", description:"...'}
    return ('errorType:"%s"' % error_type) in message or ("errorType:'%s'" % error_type) in message


def expect_verdict(client, subject, new, compatible, error_type=None, **extra):
    """The compatibility check against the latest version and the registration agree
    with the expected verdict."""
    r = check(client, subject, new, **extra)
    b = assert_ok(r)
    assert b["is_compatible"] is compatible, (new, b)
    if error_type is not None:
        assert any(has_error_type(m, error_type) for m in b["messages"]), b
    versions = client.versions(subject)
    r = reg(client, subject, new, **extra)
    if compatible:
        assert r.status == 200, r
    else:
        assert_error(r, 409, 409)
        if error_type is not None:
            assert has_error_type(r.json["message"], error_type), r
        assert client.versions(subject) == versions


class Evolution:
    """Each case starts from `base` in a subject of its own."""

    def __init__(self, client, base, level=None, policy=None):
        self.client = client
        self.base = base
        self.level = level
        self.policy = policy
        self.n = 0

    def __call__(self, new, compatible, error_type=None):
        self.n += 1
        subject = "evo-%d" % self.n
        if self.level:
            self.client.set_config(self.level, subject=subject)
        if self.policy:
            set_policy(self.client, subject, self.policy)
        reg_ok(self.client, subject, self.base)
        expect_verdict(self.client, subject, new, compatible, error_type)


# --- registration and read-back -------------------------------------------------------------

OBJ = {"type": "object", "properties": {"a": {"type": "string"}}}


def test_register_and_read_back(client):
    text = '{\n  "type" : "object",\n  "properties" : { "a" : { "type" : "string" } }\n}'
    assert_ok(reg(client, "j-value", text), {"id": 1})
    canon = compact(OBJ)
    assert_ok(client.get("/subjects/j-value/versions/1"),
              {"subject": "j-value", "version": 1, "id": 1, "schemaType": JS, "schema": canon})
    assert_ok(client.get("/subjects/j-value/versions/latest"),
              {"subject": "j-value", "version": 1, "id": 1, "schemaType": JS, "schema": canon})
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": JS, "schema": canon})
    raw = client.get("/subjects/j-value/versions/1/schema")
    assert raw.status == 200 and raw.text == canon, raw
    raw = client.get("/schemas/ids/1/schema")
    assert raw.status == 200 and raw.text == canon, raw
    assert "JSON" in assert_ok(client.get("/schemas/types"))


def test_register_idempotent_and_shared_id(client):
    assert_ok(reg(client, "j-value", OBJ), {"id": 1})
    assert_ok(reg(client, "j-value", OBJ), {"id": 1})
    assert_ok(reg(client, "k-value", OBJ), {"id": 1})
    assert client.versions("j-value") == [1]
    assert_ok(client.get("/schemas/ids/1/versions"),
              [{"subject": "j-value", "version": 1}, {"subject": "k-value", "version": 1}])


@pytest.mark.parametrize("text", [
    '{"type":"object","properties":{"a":{"type":"string"}}}',
    '{ "type": "object", "properties": { "a": { "type": "string" } } }',
    '\n\t{"type"\r\n:"object" ,"properties":{"a":{"type":"string"}}}  \n',
    '{"type":"object","properties":{"a":{"type":"\\u0073tring"}}}',
])
def test_formatting_does_not_change_identity(client, text):
    assert_ok(reg(client, "j-value", OBJ), {"id": 1})
    assert_ok(reg(client, "j-value", text), {"id": 1})
    assert client.versions("j-value") == [1]


def test_member_order_is_kept_without_normalize(client):
    # compat.md §4.10: the canonical text keeps member order, so two orders are two
    # contents (two ids) ...
    assert_ok(reg(client, "j-value", '{"type":"string","maxLength":3}'), {"id": 1})
    assert_ok(reg(client, "k-value", '{"maxLength":3,"type":"string"}'), {"id": 2})
    assert client.version("k-value", 1)["schema"] == '{"maxLength":3,"type":"string"}'
    # ... and one with normalize=true (stored sorted)
    assert_ok(reg(client, "n-value", '{"type":"string","maxLength":3}', "?normalize=true"), {"id": 2})
    assert_ok(reg(client, "n-value", '{"maxLength":3,"type":"string"}', "?normalize=true"), {"id": 2})
    assert client.version("n-value", 1)["schema"] == '{"maxLength":3,"type":"string"}'


def test_normalize_sorts_recursively(client):
    text = compact({"type": "object", "required": ["b", "a"],
                    "properties": {"b": {"type": "integer", "default": {"z": 1, "y": 2}},
                                   "a": {"enum": [{"q": 1, "p": 2}]}}})
    assert_ok(reg(client, "n-value", text, "?normalize=true"), {"id": 1})
    assert client.version("n-value", 1)["schema"] == (
        '{"properties":{"a":{"enum":[{"p":2,"q":1}]},"b":{"default":{"y":2,"z":1},'
        '"type":"integer"}},"required":["b","a"],"type":"object"}')
    # lookup with normalize finds it from any member order
    r = client.post("/subjects/n-value?normalize=true", body=body(text))
    assert_ok(r)
    assert r.json["id"] == 1
    # the subject config's normalize applies too
    r = client.put("/config/m-value", body={"normalize": True})
    assert r.status == 200, r
    assert_ok(reg(client, "m-value", text), {"id": 1})


def test_numbers_are_written_as_jackson_writes_them(client):
    text = ('{"type":"number","minimum":1.50,"maximum":1e2,"multipleOf":0.010,'
            '"default":12345678901234567890123,"examples":[-0,1.0,1E-7,0.0000001,-0.0]}')
    assert_ok(reg(client, "num-value", text), {"id": 1})
    assert client.version("num-value", 1)["schema"] == (
        '{"type":"number","minimum":1.50,"maximum":1E+2,"multipleOf":0.010,'
        '"default":12345678901234567890123,"examples":[0,1.0,1E-7,1E-7,0.0]}')
    # the canonical text maps back to the same id
    assert_ok(reg(client, "num-value", client.version("num-value", 1)["schema"]), {"id": 1})


def test_strings_are_written_as_jackson_writes_them(client):
    text = '{"title":"caf\\u00e9 \\/ \\u0001 \\ud83d\\ude00","description":"a\\tb"}'
    assert_ok(reg(client, "str-value", text), {"id": 1})
    assert client.version("str-value", 1)["schema"] == \
        '{"title":"café / \\u0001 \U0001F600","description":"a\\tb"}'


def test_duplicate_keys_last_wins(client):
    assert_ok(reg(client, "dup-value", '{"type":"string","title":"t","type":"integer"}'), {"id": 1})
    assert client.version("dup-value", 1)["schema"] == '{"type":"integer","title":"t"}'


@pytest.mark.parametrize("text", ["true", "false", "{}"])
def test_trivial_schemas(client, text):
    assert_ok(reg(client, "t-value", " %s " % text), {"id": 1})
    assert client.version("t-value", 1)["schema"] == text


def test_lookup(client):
    assert_ok(reg(client, "j-value", OBJ), {"id": 1})
    r = client.post("/subjects/j-value", body=body(json.dumps(OBJ, indent=2)))
    assert_ok(r, {"subject": "j-value", "version": 1, "id": 1, "schemaType": JS,
                  "schema": compact(OBJ)})
    assert_error(client.post("/subjects/j-value", body=body({"type": "string"})), 404, 40403)
    assert_error(client.post("/subjects/j-value", body=body('{"type":')), 422, 42201)


def test_json_and_avro_texts_do_not_collide(client):
    # '"string"' is valid Avro but not a JSON schema
    assert_error(reg(client, "a-value", '"string"'), 422, 42201)


# --- one schema per draft, with its distinctive keywords ----------------------------------------

DRAFT4 = {"$schema": D4, "id": "http://example.com/person.json", "type": "object",
          "properties": {"name": {"type": "string", "maxLength": 50},
                         "age": {"type": "integer", "minimum": 0, "maximum": 150,
                                 "exclusiveMaximum": True}},
          "required": ["name"], "additionalProperties": False}

DRAFT6 = {"$schema": D6, "$id": "http://example.com/event.json", "type": "object",
          "properties": {"kind": {"const": "click"},
                         "tags": {"type": "array", "items": {"type": "string"},
                                  "contains": {"const": "web"}}},
          "propertyNames": {"pattern": "^[a-z]+$"}, "examples": [{"kind": "click"}]}

DRAFT7 = {"$schema": D7, "$comment": "postal codes", "type": "object",
          "properties": {"country": {"type": "string", "enum": ["NL", "FR"]},
                         "code": {"type": "string", "readOnly": True}},
          "if": {"properties": {"country": {"const": "NL"}}},
          "then": {"properties": {"code": {"pattern": "^[0-9]{4}[A-Z]{2}$"}}},
          "else": {"properties": {"code": {"pattern": "^[0-9]{5}$"}}}}

DRAFT2019 = {"$schema": D2019, "$id": "https://example.com/order", "type": "object",
             "$defs": {"money": {"$anchor": "money", "type": "number", "minimum": 0}},
             "properties": {"total": {"$ref": "#money"}, "card": {"type": "string"},
                            "cvc": {"type": "string"}},
             "dependentRequired": {"card": ["cvc"]}, "unevaluatedProperties": False}

DRAFT2020 = {"$schema": D2020, "$id": "https://example.com/point", "type": "array",
             "prefixItems": [{"type": "number"}, {"type": "number"}], "items": False,
             "$defs": {"node": {"$dynamicAnchor": "node", "type": "object",
                                "properties": {"kids": {"type": "array",
                                                        "items": {"$dynamicRef": "#node"}}}}}}

SHOWCASES = [("draft4", DRAFT4), ("draft6", DRAFT6), ("draft7", DRAFT7),
             ("draft2019", DRAFT2019), ("draft2020", DRAFT2020)]


@pytest.mark.parametrize("name,schema", SHOWCASES, ids=[s[0] for s in SHOWCASES])
def test_draft_registers_and_reads_back(client, name, schema):
    pretty = json.dumps(schema, indent=4)
    assert_ok(reg(client, name, pretty), {"id": 1})
    v = client.version(name, 1)
    assert v["schemaType"] == JS
    assert v["schema"] == compact(schema)
    assert json.loads(v["schema"]) == schema
    assert_ok(client.get("/schemas/ids/1"), {"schemaType": JS, "schema": compact(schema)})
    # the stored text parses again to the same id, in another subject too
    assert_ok(reg(client, name + "-copy", v["schema"]), {"id": 1})


def evolve(schema, fn):
    s = json.loads(json.dumps(schema))
    fn(s)
    return s


def test_draft4_evolution(client):
    evo = Evolution(client, DRAFT4)
    # J6: closed model, optional property added
    evo(evolve(DRAFT4, lambda s: s["properties"].update(email={"type": "string"})), True)
    # J9: closed model, property removed (J9 STRICT)
    evo(evolve(DRAFT4, lambda s: s["properties"].pop("age")), False,
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL")
    # J29: maxLength decreased / increased
    evo(evolve(DRAFT4, lambda s: s["properties"]["name"].update(maxLength=40)), False,
        "MAX_LENGTH_DECREASED")
    evo(evolve(DRAFT4, lambda s: s["properties"]["name"].update(maxLength=60)), True)
    # maximum increased / decreased (the draft-04 exclusive flag stays beside it)
    evo(evolve(DRAFT4, lambda s: s["properties"]["age"].update(maximum=200)), True)
    evo(evolve(DRAFT4, lambda s: s["properties"]["age"].update(maximum=100)), False,
        "MAXIMUM_DECREASED")
    # Confluent never compares the draft-04 exclusive flags
    evo(evolve(DRAFT4, lambda s: s["properties"]["age"].update(exclusiveMaximum=False)), True)
    evo(evolve(DRAFT4, lambda s: s["properties"]["age"].update(exclusiveMinimum=True)), True)
    # J13: an existing property becomes required
    evo(evolve(DRAFT4, lambda s: s.update(required=["name", "age"])), False,
        "REQUIRED_ATTRIBUTE_ADDED")
    # J15: additionalProperties false -> absent
    evo(evolve(DRAFT4, lambda s: s.pop("additionalProperties")), True)
    # J32: the id changes
    evo(evolve(DRAFT4, lambda s: s.update(id="http://example.com/p2.json")), True)


def test_draft6_evolution(client):
    evo = Evolution(client, DRAFT6)
    # const changed
    evo(evolve(DRAFT6, lambda s: s["properties"]["kind"].update(const="tap")), False,
        "ENUM_ARRAY_CHANGED")
    # contains and propertyNames are not compared (compat.md §4.2)
    evo(evolve(DRAFT6, lambda s: s["properties"]["tags"].update(contains={"const": "app"})), True)
    evo(evolve(DRAFT6, lambda s: s.update(propertyNames={"maxLength": 3})), True)
    # J1: open model, typed optional property added
    evo(evolve(DRAFT6, lambda s: s["properties"].update(x={"type": "string"})), False,
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
    # J2: open model, property with schema true
    evo(evolve(DRAFT6, lambda s: s["properties"].update(y=True)), True)
    # J5: open model, property removed
    evo(evolve(DRAFT6, lambda s: s["properties"].pop("tags")), True)
    # J30: items schema changed inside the array
    evo(evolve(DRAFT6, lambda s: s["properties"]["tags"].update(items={"type": "integer"})), False,
        "TYPE_CHANGED")
    # J1 under LENIENT
    lenient = Evolution(client, DRAFT6, policy="LENIENT")
    lenient.n = 100
    lenient(evolve(DRAFT6, lambda s: s["properties"].update(x={"type": "string"})), True)


def test_draft7_evolution(client):
    evo = Evolution(client, DRAFT7)
    # if/then/else are not compared
    evo(evolve(DRAFT7, lambda s: s["then"]["properties"]["code"].update(pattern="^[0-9]{4}$")),
        True)
    # J24: enum values added (inside type+enum)
    evo(evolve(DRAFT7, lambda s: s["properties"]["country"].update(enum=["NL", "FR", "BE"])), True)
    # J25: enum value removed: inside type+enum, the allOf loses its match
    evo(evolve(DRAFT7, lambda s: s["properties"]["country"].update(enum=["NL"])), False,
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED")
    # J17: type change (the root is allOf[object, if/then/else], compat.md §4.6)
    evo(evolve(DRAFT7, lambda s: s["properties"]["code"].update(type="integer")), False,
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED")
    # readOnly and $comment are not compared
    evo(evolve(DRAFT7, lambda s: s["properties"]["code"].update(readOnly=False)), True)
    # FORWARD: the enum extension is a narrowing seen from the new schema
    fwd = Evolution(client, DRAFT7, level="FORWARD")
    fwd.n = 100
    fwd(evolve(DRAFT7, lambda s: s["properties"]["country"].update(enum=["NL", "FR", "BE"])), False)


def test_draft2019_evolution(client):
    evo = Evolution(client, DRAFT2019)
    # a change behind a $ref to an $anchor is seen
    evo(evolve(DRAFT2019, lambda s: s["$defs"]["money"].update(minimum=1)), False,
        "MINIMUM_INCREASED")
    evo(evolve(DRAFT2019, lambda s: s["$defs"]["money"].update(minimum=-1)), True)
    # dependentRequired: added is incompatible, removed compatible
    evo(evolve(DRAFT2019, lambda s: s["dependentRequired"].update(cvc=["card"])), False,
        "DEPENDENCY_ARRAY_ADDED")
    evo(evolve(DRAFT2019, lambda s: s.pop("dependentRequired")), True)
    # closed (unevaluatedProperties: false): an optional property may be added
    evo(evolve(DRAFT2019, lambda s: s["properties"].update(note={"type": "string"})), True)
    # unevaluatedProperties false -> absent
    evo(evolve(DRAFT2019, lambda s: s.pop("unevaluatedProperties")), True)


def test_draft2019_unevaluated_removed(client):
    open_ = evolve(DRAFT2019, lambda s: s.pop("unevaluatedProperties"))
    Evolution(client, open_)(DRAFT2019, False, "UNEVALUATED_PROPERTIES_REMOVED")
    lenient = Evolution(client, open_, policy="LENIENT")
    lenient.n = 100
    lenient(DRAFT2019, True)


def test_draft2020_evolution(client):
    evo = Evolution(client, DRAFT2020)
    # closed tuple: an item may be added, not removed
    evo(evolve(DRAFT2020, lambda s: s["prefixItems"].pop()), False,
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL")
    evo(evolve(DRAFT2020, lambda s: s["prefixItems"].append({"type": "string"})), True)
    # J18 inverse: number -> integer narrows
    evo(evolve(DRAFT2020, lambda s: s["prefixItems"][0].update(type="integer")), False,
        "TYPE_NARROWED")
    # items: false removed opens the tuple
    evo(evolve(DRAFT2020, lambda s: s.pop("items")), True)
    # the $dynamicRef recursion in $defs is not compared (definitions are not)
    evo(evolve(DRAFT2020, lambda s: s["$defs"]["node"].update(type="array")), True)


def test_full_compatibility_of_partially_open_model(client):
    # J11/J12: additionalProperties S covers an added property with the same schema
    old = {"type": "object", "properties": {"a": {"type": "string"}},
           "additionalProperties": {"type": "string"}}
    client.set_config("FULL", subject="po")
    assert_ok(reg(client, "po", old), {"id": 1})
    expect_verdict(client, "po", evolve(old, lambda s: s["properties"].update(b={"type": "string"})),
                   True)
    expect_verdict(client, "po", evolve(old, lambda s: s["properties"].update(c={"type": "integer"})),
                   False)


def test_recursive_schema_evolves(client):
    tree = {"type": "object", "properties": {"value": {"type": "integer"},
                                             "children": {"type": "array", "items": {"$ref": "#"}}}}
    assert_ok(reg(client, "tree", tree), {"id": 1})
    # identical: terminates, no difference
    assert assert_ok(check(client, "tree", tree))["is_compatible"] is True
    expect_verdict(client, "tree", evolve(tree, lambda s: s["properties"]["value"].update(
        type="number")), True)
    expect_verdict(client, "tree", evolve(tree, lambda s: s["properties"]["value"].update(
        type="string")), False, "TYPE_CHANGED")


# --- references to other subjects -------------------------------------------------------------

ADDRESS = {"type": "object", "properties": {"street": {"type": "string"}},
           "definitions": {"zip": {"type": "string", "pattern": "^[0-9]{5}$"}}}
PERSON = {"type": "object", "properties": {"home": {"$ref": "address.json"},
                                           "zip": {"$ref": "address.json#/definitions/zip"}}}


def test_reference_registers_and_reads_back(client):
    assert_ok(reg(client, "address", ADDRESS), {"id": 1})
    refs = [ref("address.json", "address")]
    assert_ok(reg(client, "person", PERSON, references=refs), {"id": 2})
    assert_ok(client.get("/subjects/person/versions/1"),
              {"subject": "person", "version": 1, "id": 2, "schemaType": JS,
               "references": refs, "schema": compact(PERSON)})
    assert_ok(client.get("/schemas/ids/2"),
              {"schemaType": JS, "schema": compact(PERSON), "references": refs})
    assert_ok(client.get("/subjects/address/versions/1/referencedby"), [2])
    # idempotent, and found by lookup with its references
    assert_ok(reg(client, "person", PERSON, references=refs), {"id": 2})
    r = client.post("/subjects/person", body=body(PERSON, references=refs))
    assert_ok(r)
    assert r.json["id"] == 2
    # the referenced subject cannot go while referenced
    assert_error(client.delete("/subjects/address/versions/1"), 422, 42206)


def test_reference_latest_version_and_relative_name(client):
    assert_ok(reg(client, "address", ADDRESS), {"id": 1})
    person = {"properties": {"home": {"$ref": "./address.json"}}}
    assert_ok(reg(client, "person", person, references=[ref("address.json", "address", -1)]),
              {"id": 2})
    assert client.version("person", 1)["references"] == [ref("address.json", "address", 1)]


def test_reference_with_ids(client):
    addr = {"$id": "https://example.com/schemas/address.schema.json", "type": "object"}
    assert_ok(reg(client, "address", addr), {"id": 1})
    person = {"$id": "https://example.com/schemas/person.schema.json", "type": "object",
              "properties": {"a": {"$ref": "address.schema.json"},
                             "b": {"$ref": "https://example.com/schemas/address.schema.json"}}}
    assert_ok(reg(client, "person", person,
                  references=[ref("https://example.com/schemas/address.schema.json", "address")]),
              {"id": 2})


def test_references_transitive(client):
    assert_ok(reg(client, "country", {"type": "string", "enum": ["NL", "FR"]}), {"id": 1})
    address = {"type": "object", "properties": {"country": {"$ref": "country.json"}}}
    assert_ok(reg(client, "address", address, references=[ref("country.json", "country")]),
              {"id": 2})
    # person names only address.json; country.json comes with it
    person = {"type": "object", "properties": {"home": {"$ref": "address.json"}}}
    assert_ok(reg(client, "person", person, references=[ref("address.json", "address")]),
              {"id": 3})
    assert_ok(client.get("/subjects/country/versions/1/referencedby"), [2])
    assert_ok(client.get("/subjects/address/versions/1/referencedby"), [3])
    # a change deep down is seen through the references
    client.set_config("NONE", subject="country")
    assert_ok(reg(client, "country", {"type": "integer"}), {"id": 4})
    r = check(client, "address", address, references=[ref("country.json", "country", 2)])
    assert assert_ok(r)["is_compatible"] is False, r


def test_reference_errors(client):
    assert_ok(reg(client, "address", ADDRESS), {"id": 1})
    # unknown subject / version
    assert_invalid(client, "person", PERSON, references=[ref("address.json", "nope")])
    assert_invalid(client, "person", PERSON, references=[ref("address.json", "address", 7)])
    # a $ref nothing provides
    assert_invalid(client, "person", PERSON, "cannot resolve \"address.json\"")
    assert_invalid(client, "person", PERSON, "cannot resolve",
                   references=[ref("other.json", "address")])
    # a fragment that is not there
    bad = {"properties": {"z": {"$ref": "address.json#/definitions/nope"}}}
    assert_invalid(client, "person", bad, "#/properties/z/$ref: cannot resolve",
                   references=[ref("address.json", "address")])


def test_reference_soft_deleted_is_rejected(client):
    assert_ok(reg(client, "address", ADDRESS), {"id": 1})
    client.delete_version("address", 1)
    assert_invalid(client, "person", PERSON, references=[ref("address.json", "address")])


# --- bad input: each a 42201 that changes nothing ---------------------------------------------

@pytest.mark.parametrize("text", [
    '{"type":', '{"type":"string"', '{"type":"string"} extra', "{'type':'string'}",
    '{"type":"string",}', '{"a":01}', '{"a":NaN}', '{"a":"\\ud800"}', "", "   ",
])
def test_invalid_json(client, text):
    client.register("other", {"type": "record", "name": "R", "fields": []})
    before = client.snapshot()
    r = reg(client, "bad", text)
    assert_error(r, 422, 42201)
    assert client.snapshot() == before


@pytest.mark.parametrize("text", ["123", '"string"', "[]", "null", '[{"type":"string"}]'])
def test_not_a_schema(client, text):
    assert_invalid(client, "bad", text)


def test_deep_nesting(client):
    for opener, closer in (('{"not":', "}"), ('{"items":', "}"), ("[", "]"), ('{"a":', "}")):
        text = opener * 10000 + "{}" + closer * 10000
        msg = assert_invalid(client, "bad", text)
        assert "nesting deeper than 1000 levels" in msg, msg
    # but 900 levels register
    text = '{"not":' * 900 + "{}" + "}" * 900
    assert_ok(reg(client, "deep", text), {"id": 1})
    assert client.version("deep", 1)["schema"] == text


@pytest.mark.parametrize("schema,where", [
    ({"$ref": "#"}, "#/$ref"),
    ({"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"},
                                                 "b": {"$ref": "#/definitions/a"}}}, "$ref"),
    ({"properties": {"x": {"$ref": "#/properties/x"}}}, "#/properties/x/$ref"),
    ({"$schema": D2020, "$defs": {"a": {"$ref": "#/$defs/a"}}}, "#/$defs/a/$ref"),
])
def test_ref_cycles(client, schema, where):
    msg = assert_invalid(client, "bad", schema, "circular reference")
    assert where in msg, msg


@pytest.mark.parametrize("schema,fragment", [
    ({"type": "strin"}, "#/type: unknown type"),
    ({"type": 3}, "#/type"),
    ({"properties": {"a": {"minLength": -1}}}, "#/properties/a/minLength: expected a non-negative integer"),
    ({"properties": {"a": {"maxLength": "5"}}}, "#/properties/a/maxLength"),
    ({"required": "a"}, "#/required: expected an array of strings"),
    ({"required": ["a", "a"]}, "#/required: expected unique strings"),
    ({"properties": []}, "#/properties: expected an object of schemas"),
    ({"items": [{}, 3]}, "#/items/1: expected a schema"),
    ({"allOf": []}, "#/allOf: expected a non-empty array of schemas"),
    ({"anyOf": [{"type": "x"}]}, "#/anyOf/0/type: unknown type"),
    ({"enum": "a"}, "#/enum: expected an array"),
    ({"multipleOf": 0}, "#/multipleOf: expected a number greater than 0"),
    ({"minimum": "0"}, "#/minimum: expected a number"),
    ({"exclusiveMinimum": True}, "#/exclusiveMinimum: expected a number"),
    ({"$schema": D4, "exclusiveMaximum": 5}, "#/exclusiveMaximum: expected a boolean"),
    ({"$schema": D4, "enum": []}, "#/enum: expected a non-empty array"),
    ({"$schema": D4, "properties": {"a": True}}, "#/properties/a: expected a schema (an object)"),
    ({"$schema": D2020, "items": [{}]}, "#/items: expected a schema"),
    ({"$schema": D2020, "prefixItems": []}, "#/prefixItems: expected a non-empty array"),
    ({"$schema": D2019, "$anchor": "1x"}, "#/$anchor: not a valid anchor name"),
    ({"$schema": D2019, "$id": "#frag"}, "#/$id: must not contain a fragment"),
    ({"pattern": "(unclosed"}, "#/pattern: invalid regular expression"),
    ({"patternProperties": {"[a-": {}}}, "#/patternProperties/[a-: invalid regular expression"),
    ({"uniqueItems": 1}, "#/uniqueItems: expected a boolean"),
    ({"additionalProperties": "no"}, "#/additionalProperties: expected a schema"),
    ({"dependencies": {"a": 1}}, "#/dependencies/a: expected a schema"),
    ({"title": 1}, "#/title: expected a string"),
    ({"$ref": 1}, "#/$ref: expected a string"),
    ({"$ref": "#/definitions/missing"}, "#/$ref: cannot resolve"),
    ({"$schema": "http://example.com/custom-meta"}, "#/$schema: unknown or unsupported"),
])
def test_wrong_keywords(client, schema, fragment):
    msg = assert_invalid(client, "bad", schema, fragment)
    assert msg.startswith("Invalid schema"), msg


def test_huge_documents(client):
    props = {"p%d" % i: {"type": "string", "maxLength": i} for i in range(20000)}
    big = {"type": "object", "properties": props, "required": ["p%d" % i for i in range(0, 20000, 3)]}
    assert_ok(reg(client, "big", big), {"id": 1})
    assert client.version("big", 1)["schema"] == compact(big)
    # the same document with one bad keyword at the very end fails cleanly
    bad = dict(big)
    bad["properties"] = dict(props)
    bad["properties"]["zzz"] = {"minLength": -5}
    assert_invalid(client, "big", bad, "#/properties/zzz/minLength")
    # a wide enum
    assert_ok(reg(client, "wide", {"enum": list(range(50000))}), {"id": 2})


def test_empty_schema_string(client):
    assert_invalid(client, "bad", "")
