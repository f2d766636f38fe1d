"""JSON Schema compatibility through HTTP: compat.md §4 (the checker is
compat/jsonschema_compat.c), §1.6 (409 bodies), api.md §3.20-§3.21 (verbose checks).

- the policy: `compatibilityPolicy` (subject config, else global, else STRICT) decides
  J1 (an optional typed property added to an open content model: ✗ STRICT, ✓ LENIENT);
- the 409 message for JSON: Confluent's {errorType:"...", description:"...'} entries
  (the closing single quote is Confluent's), then oldSchemaVersion / oldSchema /
  validateFields;
- verbose compatibility answers carry the same entries.
"""

import json

import pytest

from srapi import assert_error, assert_ok, compact

JS = "JSON"
CL = '"}'  # how Confluent closes a difference's description (JS_MSG_CLOSE)
PREFIX = ('Schema being registered is incompatible with an earlier schema for subject "%s", '
          'details: [')

OPEN = {"type": "object", "properties": {"a": {"type": "string"}}}
OPEN_P = {"type": "object", "properties": {"a": {"type": "string"}, "p": {"type": "integer"}}}
CLOSED = {"type": "object", "properties": {"a": {"type": "string"}},
          "additionalProperties": False}
CLOSED_P = {"type": "object", "properties": {"a": {"type": "string"}, "p": {"type": "integer"}},
            "additionalProperties": False}

J1_MSG = ('{errorType:"OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", description:"The new '
          "schema has an open content model and has a property or item at path "
          "'#/properties/p' which is missing in the old schema" + CL)


def body(schema, **extra):
    b = {"schemaType": JS, "schema": schema if isinstance(schema, str) else compact(schema)}
    b.update(extra)
    return b


def reg(client, subject, schema, query=""):
    return client.post("/subjects/%s/versions%s" % (subject, query), body=body(schema))


def check(client, subject, schema, version="latest", verbose=True):
    path = "/compatibility/subjects/%s/versions" % subject
    if version is not None:
        path += "/%s" % version
    if verbose:
        path += "?verbose=true"
    return client.post(path, body=body(schema))


def put_config(client, subject=None, **fields):
    path = "/config" if subject is None else "/config/" + subject
    r = client.put(path, body=fields)
    assert r.status == 200, r
    return r.json


# --- the policy --------------------------------------------------------------------------------

def test_default_policy_is_strict(client):
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    got = assert_ok(check(client, "s", OPEN_P))
    assert got == {"is_compatible": False, "messages": [
        J1_MSG, "{oldSchemaVersion: 1}", "{oldSchema: '%s'}" % compact(OPEN),
        "{validateFields: 'false', compatibility: 'BACKWARD'}"]}, got
    before = client.snapshot()
    r = reg(client, "s", OPEN_P)
    assert_error(r, 409, 409)
    assert client.snapshot() == before


def test_subject_policy_lenient_accepts_j1(client):
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    assert put_config(client, "s", compatibilityPolicy="LENIENT") == \
        {"compatibilityPolicy": "LENIENT"}
    assert_ok(check(client, "s", OPEN_P), {"is_compatible": True, "messages": []})
    assert_ok(reg(client, "s", OPEN_P), {"id": 2})
    # another subject still uses the global (absent: STRICT) policy
    assert_ok(reg(client, "t", OPEN), {"id": 1})
    assert_error(reg(client, "t", OPEN_P), 409, 409)


def test_global_policy_lenient_accepts_j1(client):
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    put_config(client, compatibilityPolicy="LENIENT")
    assert_ok(check(client, "s", OPEN_P), {"is_compatible": True, "messages": []})
    # a subject-level STRICT overrides the global LENIENT
    put_config(client, "s", compatibilityPolicy="STRICT")
    got = assert_ok(check(client, "s", OPEN_P))
    assert got["is_compatible"] is False and got["messages"][0] == J1_MSG, got
    # LOGICAL behaves as STRICT for JSON Schema
    put_config(client, "s", compatibilityPolicy="LOGICAL")
    assert assert_ok(check(client, "s", OPEN_P))["is_compatible"] is False
    put_config(client, "s", compatibilityPolicy="LENIENT")
    assert_ok(reg(client, "s", OPEN_P), {"id": 2})


def test_lenient_still_rejects_real_breaks(client):
    put_config(client, compatibilityPolicy="LENIENT")
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    # a required property without default added to an open model (J3): ✗ under both
    new = {"type": "object", "properties": {"a": {"type": "string"}, "p": {"type": "integer"}},
           "required": ["p"]}
    got = assert_ok(check(client, "s", new))
    assert got["is_compatible"] is False
    assert got["messages"][0].startswith(
        '{errorType:"REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"'), got
    # a type change (J17)
    got = assert_ok(check(client, "s", {"type": "object",
                                        "properties": {"a": {"type": "number"}}}))
    assert got["messages"][0] == ('{errorType:"TYPE_CHANGED", description:"A type at path '
                                  "'#/properties/a' is different between the new schema and "
                                  "the old schema" + CL), got


@pytest.mark.parametrize("policy,ok", [("STRICT", False), ("LENIENT", True)])
def test_closed_model_removal_j9(client, policy, ok):
    put_config(client, "s", compatibility="BACKWARD", compatibilityPolicy=policy)
    assert_ok(reg(client, "s", CLOSED_P), {"id": 1})
    got = assert_ok(check(client, "s", CLOSED))
    assert got["is_compatible"] is ok, got
    if not ok:
        assert got["messages"][0] == (
            '{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The new schema '
            "has a closed content model and is missing a property or item present at path "
            "'#/properties/p' in the old schema" + CL), got


# --- levels and the 409 message -------------------------------------------------------------------

def test_409_message_format(client):
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    r = reg(client, "s", OPEN_P)
    assert_error(r, 409, 409)
    assert r.json["message"] == (
        PREFIX % "s" + J1_MSG + ", {oldSchemaVersion: 1}, {oldSchema: '%s'}, "
        "{validateFields: 'false', compatibility: 'BACKWARD'}]" % compact(OPEN))


@pytest.mark.parametrize("level,ok", [
    ("BACKWARD", False), ("FORWARD", True), ("FULL", False), ("NONE", True),
    ("BACKWARD_TRANSITIVE", False), ("FORWARD_TRANSITIVE", True), ("FULL_TRANSITIVE", False),
])
def test_j1_at_each_level(client, level, ok):
    client.set_config(level, subject="s")
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    got = assert_ok(check(client, "s", OPEN_P))
    assert got["is_compatible"] is ok, got
    r = reg(client, "s", OPEN_P)
    if ok:
        assert_ok(r, {"id": 2})
    else:
        assert_error(r, 409, 409)
        assert J1_MSG in r.json["message"]


def test_full_lists_forward_half_first(client):
    # old CLOSED_P; new adds optional q (forward ✗: removed from the old closed model)
    # and removes p (backward ✗: removed from the new closed model)
    client.set_config("FULL", subject="s")
    assert_ok(reg(client, "s", CLOSED_P), {"id": 1})
    new = {"type": "object", "properties": {"a": {"type": "string"}, "q": {"type": "string"}},
           "additionalProperties": False}
    got = assert_ok(check(client, "s", new))
    assert got == {"is_compatible": False, "messages": [
        '{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The old schema has '
        "a closed content model and is missing a property or item present at path "
        "'#/properties/q' in the new schema" + CL,
        '{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The new schema has '
        "a closed content model and is missing a property or item present at path "
        "'#/properties/p' in the old schema" + CL,
        "{oldSchemaVersion: 1}",
        "{oldSchema: '%s'}" % compact(CLOSED_P),
        "{validateFields: 'false', compatibility: 'FULL'}"]}, got
    # under LENIENT both removals from a closed model are accepted
    put_config(client, "s", compatibilityPolicy="LENIENT")
    assert_ok(check(client, "s", new), {"is_compatible": True, "messages": []})
    assert_ok(reg(client, "s", new), {"id": 2})


def test_transitive_reports_newest_failing_version(client):
    client.set_config("BACKWARD_TRANSITIVE", subject="s")
    assert_ok(reg(client, "s", {"type": "string", "maxLength": 5}), {"id": 1})
    assert_ok(reg(client, "s", {"type": "string", "maxLength": 10}), {"id": 2})
    got = assert_ok(check(client, "s", {"type": "string", "maxLength": 8}, version=None))
    assert got["messages"] == [
        '{errorType:"MAX_LENGTH_DECREASED", description:"The value at path \'#/maxLength\' in '
        "the new schema is less than its value in the old schema" + CL,
        "{oldSchemaVersion: 2}",
        "{oldSchema: '%s'}" % compact({"type": "string", "maxLength": 10}),
        "{validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}"], got
    assert_ok(reg(client, "s", {"type": "string", "maxLength": 12}), {"id": 3})


# --- verbose messages: several differences, paths, nested schemas ----------------------------------

def test_verbose_lists_every_incompatible_difference(client):
    old = {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 10},
        "tags": {"type": "array", "items": {"type": "string"}},
        "kind": {"enum": ["a", "b"]}},
        "required": ["name"]}
    new = {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 5, "minLength": 1},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "kind": {"enum": ["a"]}},
        "required": ["name", "kind"]}
    assert_ok(reg(client, "s", old), {"id": 1})
    got = assert_ok(check(client, "s", new))
    assert got["is_compatible"] is False
    msgs = got["messages"]
    assert msgs[-3:] == ["{oldSchemaVersion: 1}", "{oldSchema: '%s'}" % compact(old),
                         "{validateFields: 'false', compatibility: 'BACKWARD'}"], msgs
    expected = {
        ("REQUIRED_ATTRIBUTE_ADDED", "#/required/kind", "keyword"),
        ("MAX_LENGTH_DECREASED", "#/properties/name/maxLength", "less"),
        ("MIN_LENGTH_ADDED", "#/properties/name/minLength", "keyword"),
        ("UNIQUE_ITEMS_ADDED", "#/properties/tags/uniqueItems", "keyword"),
        ("ENUM_ARRAY_NARROWED", "#/properties/kind/enum", "fewer"),
    }
    got_set = set()
    for m in msgs[:-3]:
        assert m.startswith('{errorType:"') and m.endswith(CL), m
        t = m[len('{errorType:"'):m.index('"', len('{errorType:"'))]
        path = m.split("'")[1]
        fam = ("keyword" if "is not present in" in m else "less" if "less than" in m
               else "fewer" if "fewer elements" in m else "?")
        got_set.add((t, path, fam))
    assert got_set == expected, msgs
    # compatible differences (none here besides) never become messages
    assert not any("DESCRIPTION_CHANGED" in m for m in msgs)


def test_compatible_differences_are_not_messages(client):
    old = {"type": "object", "title": "A", "properties": {"a": {"type": "integer",
                                                              "maximum": 5}}}
    new = {"type": "object", "title": "B", "description": "d",
           "properties": {"a": {"type": "number", "maximum": 9}}}
    assert_ok(reg(client, "s", old), {"id": 1})
    assert_ok(check(client, "s", new), {"is_compatible": True, "messages": []})
    assert_ok(reg(client, "s", new), {"id": 2})


def test_recursive_schema_through_the_server(client):
    tree = {"$ref": "#/definitions/node", "definitions": {"node": {
        "type": "object", "properties": {
            "value": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}}}
    assert_ok(reg(client, "s", tree), {"id": 1})
    # the same schema reformatted: same id, no check
    assert_ok(reg(client, "s", json.dumps(tree, indent=2)), {"id": 1})
    same = json.loads(json.dumps(tree))
    same["definitions"]["node"]["description"] = "a tree"
    assert_ok(check(client, "s", same), {"is_compatible": True, "messages": []})
    changed = json.loads(json.dumps(tree))
    changed["definitions"]["node"]["properties"]["value"]["type"] = "number"
    got = assert_ok(check(client, "s", changed))
    assert got["is_compatible"] is False
    assert any("'#/properties/value'" in m and "TYPE_CHANGED" in m for m in got["messages"]), got


def test_references_to_other_subjects_are_compared(client):
    addr = {"type": "object", "properties": {"zip": {"type": "string"}}}
    assert_ok(reg(client, "addr", addr), {"id": 1})
    addr2 = {"type": "object", "properties": {"zip": {"type": "integer"}}}
    client.set_config("NONE", subject="addr")
    assert_ok(reg(client, "addr", addr2), {"id": 2})
    person = {"type": "object", "properties": {"home": {"$ref": "addr.json"}}}
    r = client.post("/subjects/person/versions", body=body(
        person, references=[{"name": "addr.json", "subject": "addr", "version": 1}]))
    assert_ok(r, {"id": 3})
    r = client.post("/compatibility/subjects/person/versions/latest?verbose=true", body=body(
        person, references=[{"name": "addr.json", "subject": "addr", "version": 2}]))
    got = assert_ok(r)
    assert got["is_compatible"] is False, got
    assert got["messages"][0] == ('{errorType:"TYPE_CHANGED", description:"A type at path '
                                  "'#/properties/home/properties/zip' is different between the "
                                  "new schema and the old schema" + CL), got


def test_schema_type_mismatch(client):
    assert_ok(reg(client, "s", OPEN), {"id": 1})
    r = client.post("/compatibility/subjects/s/versions/latest?verbose=true",
                    body={"schema": '"string"'})
    got = assert_ok(r)
    assert got == {"is_compatible": False, "messages": [
        "Incompatible because of different schema type",
        "{validateFields: 'false', compatibility: 'BACKWARD'}"]}, got


def test_deep_ref_chain_is_answered(client):
    # a chain of $refs deeper than the checker's bound: a clear incompatible answer
    # with one "Unexpected exception" message, and the server stays up
    def chain(leaf, title):
        defs = {"d%d" % i: {"type": "array", "items": {"$ref": "#/definitions/d%d" % (i + 1)}}
                for i in range(1200)}
        defs["d1200"] = {"type": leaf}
        return {"title": title, "$ref": "#/definitions/d0", "definitions": defs}
    assert_ok(reg(client, "s", chain("string", "a")), {"id": 1})
    got = assert_ok(check(client, "s", chain("string", "b")))
    assert got["is_compatible"] is False
    assert got["messages"][0] == ("Unexpected exception during compatibility check: "
                                  "schemas nested too deeply"), got
    assert_ok(client.get("/subjects"), ["s"])
