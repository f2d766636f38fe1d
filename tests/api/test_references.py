"""Schema references: api.md §3.16, §4.7, §6.3, §6.5; §10 items 33-35."""

import json

import pytest

from srapi import assert_error, assert_ok, body_for, compact, rec

ADDRESS = rec("Address", ("street", "string"))
ADDRESS_V2 = rec("Address", ("street", "string"),
                 {"name": "zip", "type": "string", "default": ""})
PERSON = rec("Person", ("addr", "Address"))
ADDRESS_TEXT = compact(ADDRESS)
PERSON_TEXT = compact(PERSON)
REF_V1 = {"name": "Address", "subject": "addr-value", "version": 1}


def reg(client, subject, schema, references=None, query=""):
    extra = {} if references is None else {"references": references}
    return client.post("/subjects/%s/versions%s" % (subject, query),
                       body=body_for(schema, **extra))


def setup_refs(client):
    """addr-value v1 = Address (id 1); person-value v1 = Person -> addr-value/1 (id 2)."""
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    assert_ok(reg(client, "person-value", PERSON, [REF_V1]), {"id": 2})


def test_register_with_reference(client):
    # §10.33
    setup_refs(client)
    assert_ok(client.get("/subjects/addr-value/versions/1/referencedby"), [2])
    assert_ok(client.get("/subjects/person-value/versions/1"),
              {"subject": "person-value", "version": 1, "id": 2, "schema": PERSON_TEXT,
               "references": [REF_V1]})
    assert_ok(client.get("/schemas/ids/2"), {"schema": PERSON_TEXT, "references": [REF_V1]})
    assert_ok(client.get("/subjects/addr-value/versions/1"),
              {"subject": "addr-value", "version": 1, "id": 1, "schema": ADDRESS_TEXT})
    r = client.get("/subjects/person-value/versions/1/schema")
    assert r.status == 200
    assert r.text.strip() == PERSON_TEXT


def test_reference_register_idempotent(client):
    setup_refs(client)
    assert_ok(reg(client, "person-value", PERSON, [REF_V1]), {"id": 2})
    assert_ok(reg(client, "person2-value", PERSON, [REF_V1]), {"id": 2})
    assert_ok(client.get("/subjects/person-value/versions"), [1])
    assert sorted(client.get("/subjects/addr-value/versions/1/referencedby").json) == [2]


def test_referencedby_empty(client):
    setup_refs(client)
    assert_ok(client.get("/subjects/person-value/versions/1/referencedby"), [])


def test_referencedby_errors(client):
    setup_refs(client)
    assert_error(client.get("/subjects/missing/versions/1/referencedby"), 404, 40401)
    assert_error(client.get("/subjects/addr-value/versions/2/referencedby"), 404, 40402)
    for v in ("0", "-2", "abc", "2147483648"):
        assert_error(client.get("/subjects/addr-value/versions/%s/referencedby" % v), 422, 42202)
    assert_ok(client.get("/subjects/addr-value/versions/latest/referencedby"), [2])


def test_referencedby_multiple(client):
    setup_refs(client)
    company = rec("Company", ("hq", "Address"))
    assert_ok(reg(client, "company-value", company, [REF_V1]), {"id": 3})
    assert sorted(client.get("/subjects/addr-value/versions/1/referencedby").json) == [2, 3]


def test_referencedby_soft_deleted_referrer(client):
    setup_refs(client)
    client.delete_version("person-value", 1)
    assert_ok(client.get("/subjects/addr-value/versions/1/referencedby"), [])
    assert_ok(client.get("/subjects/addr-value/versions/1/referencedby?deleted=true"), [2])


def test_lookup_with_references(client):
    setup_refs(client)
    assert_ok(client.post("/subjects/person-value", body=body_for(PERSON, references=[REF_V1])),
              {"subject": "person-value", "version": 1, "id": 2, "schema": PERSON_TEXT,
               "references": [REF_V1]})


def test_schema_list_includes_references(client):
    setup_refs(client)
    assert_ok(client.get("/schemas?subjectPrefix=person"), [
        {"subject": "person-value", "version": 1, "id": 2, "schema": PERSON_TEXT,
         "references": [REF_V1]}])


# --- invalid references (§10.34, §4.7, §6.5) ---------------------------------------------------

@pytest.mark.parametrize("refs", [
    [{"name": "X", "subject": "nosuch", "version": 1}],
    [{"name": "Address", "subject": "nosuch", "version": 1}],
    [{"name": "Address", "subject": "addr-value", "version": 2}],
    [{"name": "Address", "subject": "addr-value"}],
    [{"name": "Address", "version": 1}],
    [{"subject": "addr-value", "version": 1}],
    [],
    None,
])
def test_invalid_references(client, refs):
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    before = client.snapshot()
    assert_error(reg(client, "person-value", PERSON, refs), 422, 42201)
    assert client.snapshot() == before


def test_reference_to_soft_deleted_version_rejected(client):
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    client.delete_version("addr-value", 1)
    assert_error(reg(client, "person-value", PERSON, [REF_V1]), 422, 42201)
    assert_ok(client.get("/subjects?deleted=true"), ["addr-value"])


# --- references block deletes (§10.35, §6.3) ----------------------------------------------------

def test_referenced_version_soft_delete_blocked(client):
    # §10.35
    setup_refs(client)
    before = client.snapshot()
    assert_error(client.delete("/subjects/addr-value/versions/1"), 422, 42206)
    assert_error(client.delete("/subjects/addr-value/versions/latest"), 422, 42206)
    assert_error(client.delete("/subjects/addr-value"), 422, 42206)
    assert client.snapshot() == before


def test_referenced_permanent_delete_blocked_by_soft_deleted_referrer(client):
    setup_refs(client)
    client.delete_version("person-value", 1)
    # a soft-deleted referrer no longer blocks a soft delete...
    assert_ok(client.delete("/subjects/addr-value/versions/1"), 1)
    # ...but still blocks the permanent one
    assert_error(client.delete("/subjects/addr-value/versions/1?permanent=true"), 422, 42206)
    assert_error(client.delete("/subjects/addr-value?permanent=true"), 422, 42206)
    assert_ok(client.get("/subjects/addr-value/versions?deleted=true"), [1])
    # once the referrer is gone for good, the referenced version can go too
    assert_ok(client.delete("/subjects/person-value/versions/1?permanent=true"), 1)
    assert_ok(client.delete("/subjects/addr-value/versions/1?permanent=true"), 1)
    assert_ok(client.get("/subjects?deleted=true"), [])


def test_referenced_subject_soft_delete_after_referrer_soft_deleted(client):
    setup_refs(client)
    client.delete_subject("person-value")
    assert_ok(client.delete("/subjects/addr-value"), [1])
    assert_error(client.delete("/subjects/addr-value?permanent=true"), 422, 42206)
    client.delete_subject("person-value", permanent=True)
    assert_ok(client.delete("/subjects/addr-value?permanent=true"), [1])


def test_unreferenced_version_of_referenced_subject_deletable(client):
    setup_refs(client)
    assert_ok(reg(client, "addr-value", ADDRESS_V2), {"id": 3})
    assert_ok(client.delete("/subjects/addr-value/versions/2"), 2)
    assert_ok(client.delete("/subjects/addr-value/versions/2?permanent=true"), 2)
    assert_error(client.delete("/subjects/addr-value/versions/1"), 422, 42206)


def test_subject_delete_ignores_references_from_same_subject(client):
    # §6.3
    client.set_config("NONE", subject="both")
    assert_ok(reg(client, "both", ADDRESS), {"id": 1})
    ref = {"name": "Address", "subject": "both", "version": 1}
    assert_ok(reg(client, "both", PERSON, [ref]), {"id": 2})
    assert_ok(client.delete("/subjects/both"), [1, 2])
    assert_ok(client.delete("/subjects/both?permanent=true"), [1, 2])


# --- reference semantics ---------------------------------------------------------------------

def test_reference_version_minus_one_is_stored_concrete(client):
    # §4.7
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    assert_ok(reg(client, "addr-value", ADDRESS_V2), {"id": 2})
    latest_ref = {"name": "Address", "subject": "addr-value", "version": -1}
    assert_ok(reg(client, "person-value", PERSON, [latest_ref]), {"id": 3})
    stored = {"name": "Address", "subject": "addr-value", "version": 2}
    assert client.version("person-value", 1)["references"] == [stored]
    assert_ok(client.get("/subjects/addr-value/versions/2/referencedby"), [3])
    assert_ok(client.get("/subjects/addr-value/versions/1/referencedby"), [])


def test_references_are_part_of_identity(client):
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    assert_ok(reg(client, "addr-value", ADDRESS_V2), {"id": 2})
    assert_ok(reg(client, "person-value", PERSON, [REF_V1]), {"id": 3})
    ref2 = {"name": "Address", "subject": "addr-value", "version": 2}
    assert_ok(reg(client, "person-value", PERSON, [ref2]), {"id": 4})
    assert_ok(client.get("/subjects/person-value/versions"), [1, 2])
    assert_ok(client.get("/schemas/ids/4"), {"schema": PERSON_TEXT, "references": [ref2]})
    assert_ok(client.get("/schemas/ids/3"), {"schema": PERSON_TEXT, "references": [REF_V1]})


def test_unresolved_type_without_references(client):
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    assert_error(reg(client, "person-value", PERSON), 422, 42201)


def test_transitive_references(client):
    inner = rec("Inner", ("x", "int"))
    middle = rec("Middle", ("inner", "Inner"))
    outer = rec("Outer", ("middle", "Middle"))
    assert_ok(reg(client, "inner-value", inner), {"id": 1})
    assert_ok(reg(client, "middle-value", middle,
                  [{"name": "Inner", "subject": "inner-value", "version": 1}]), {"id": 2})
    ref_m = {"name": "Middle", "subject": "middle-value", "version": 1}
    assert_ok(reg(client, "outer-value", outer, [ref_m]), {"id": 3})
    assert client.version("outer-value", 1) == {
        "subject": "outer-value", "version": 1, "id": 3, "schema": compact(outer),
        "references": [ref_m]}
    assert_ok(client.get("/subjects/middle-value/versions/1/referencedby"), [3])
    assert_ok(client.get("/subjects/inner-value/versions/1/referencedby"), [2])


def test_format_resolved_inlines_references(client):
    # §3.3: format=resolved inlines referenced types
    setup_refs(client)
    r = client.get("/schemas/ids/2?format=resolved")
    body = assert_ok(r)
    resolved = rec("Person", {"name": "addr", "type": ADDRESS})
    assert json.loads(body["schema"]) == resolved
    # default format: unchanged canonical text
    assert_ok(client.get("/schemas/ids/2"), {"schema": PERSON_TEXT, "references": [REF_V1]})


def test_compatibility_check_with_references(client):
    setup_refs(client)
    person2 = rec("Person", ("addr", "Address"),
                  {"name": "nick", "type": "string", "default": ""})
    r = client.post("/compatibility/subjects/person-value/versions/latest",
                    body=body_for(person2, references=[REF_V1]))
    assert_ok(r, {"is_compatible": True})
    r = client.post("/compatibility/subjects/person-value/versions/latest",
                    body=body_for(rec("Person", ("addr", "Address"), ("age", "int")),
                                  references=[REF_V1]))
    assert_ok(r, {"is_compatible": False})
    assert_ok(reg(client, "person-value", person2, [REF_V1]), {"id": 3})


def test_references_bad_json_types(client):
    assert_ok(reg(client, "addr-value", ADDRESS), {"id": 1})
    before = client.snapshot()
    for refs in ("x", [5], ["Address"], {"name": "Address"},
                 [{"name": "Address", "subject": "addr-value", "version": "x"}],
                 [{"name": {}, "subject": "addr-value", "version": 1}]):
        r = client.post("/subjects/person-value/versions",
                        body={"schema": PERSON_TEXT, "references": refs})
        assert_error(r, 400, 400)
    assert client.snapshot() == before
