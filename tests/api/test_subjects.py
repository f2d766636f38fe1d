"""Subjects and their versions: api.md §3.9, §3.10, §3.12, §3.14, §3.15; §10 items 2, 7,
12-14, 21-25, 52, 56."""

import json

import pytest

from srapi import (S1, S1_TEXT, S2, S2_TEXT, S3, assert_error, assert_ok, body_for,
                   distinct_schema, rec)


def setup_t(client):
    """t-value: v1 = S1 (id 1), v2 = S2 (id 2)."""
    assert client.register("t-value", S1) == 1
    assert client.register("t-value", S2) == 2


# --- GET /subjects (§3.9) --------------------------------------------------------------------

def test_subjects_empty(client):
    # §10.2
    assert_ok(client.get("/subjects"), [])


def test_subjects_sorted_ascending(client):
    client.set_config("NONE")
    for i, s in enumerate(["b", "B", "a", "_x", "a-value", "Z"]):
        client.register(s, distinct_schema(i))
    # Java String order (UTF-16 code units) == byte order for ASCII
    assert_ok(client.get("/subjects"), ["B", "Z", "_x", "a", "a-value", "b"])


def test_subjects_deleted_and_deleted_only(client):
    # §10.52
    client.register("live-value", S1)
    client.register("gone-value", S1)
    client.register("half-value", S1)
    client.register("half-value", S2)
    client.delete_subject("gone-value")
    client.delete_version("half-value", 1)
    assert_ok(client.get("/subjects"), ["half-value", "live-value"])
    assert_ok(client.get("/subjects?deleted=true"), ["gone-value", "half-value", "live-value"])
    assert_ok(client.get("/subjects?deletedOnly=true"), ["gone-value"])
    # deletedOnly wins over deleted
    assert_ok(client.get("/subjects?deleted=true&deletedOnly=true"), ["gone-value"])
    assert_ok(client.get("/subjects?deleted=false"), ["half-value", "live-value"])


def test_subjects_hard_deleted_never_listed(client):
    client.register("gone-value", S1)
    client.register("live-value", S1)
    client.delete_subject("gone-value")
    client.delete_subject("gone-value", permanent=True)
    assert_ok(client.get("/subjects?deleted=true"), ["live-value"])
    assert_ok(client.get("/subjects?deletedOnly=true"), [])


def test_subjects_prefix_and_pagination(client):
    # §10.56
    client.set_config("NONE")
    for i, s in enumerate(["p-value", "pa-value", "q-value", "x-value", "P-value"]):
        client.register(s, distinct_schema(i))
    everything = ["P-value", "p-value", "pa-value", "q-value", "x-value"]
    assert_ok(client.get("/subjects"), everything)
    assert_ok(client.get("/subjects?subjectPrefix=p"), ["p-value", "pa-value"])
    assert_ok(client.get("/subjects?subjectPrefix=pa"), ["pa-value"])
    assert_ok(client.get("/subjects?subjectPrefix=zz"), [])
    assert_ok(client.get("/subjects?subjectPrefix="), everything)
    assert_ok(client.get("/subjects?offset=1&limit=1"), ["p-value"])
    assert_ok(client.get("/subjects?offset=3"), ["q-value", "x-value"])
    assert_ok(client.get("/subjects?limit=2"), ["P-value", "p-value"])
    assert_ok(client.get("/subjects?limit=0"), everything)
    assert_ok(client.get("/subjects?limit=-1"), everything)
    assert_ok(client.get("/subjects?offset=10"), [])
    # pagination applies after filtering
    assert_ok(client.get("/subjects?subjectPrefix=p&offset=1&limit=5"), ["pa-value"])


def test_subjects_prefix_with_deleted(client):
    client.register("p1", S1)
    client.register("p2", S1)
    client.register("q1", S1)
    client.delete_subject("p1")
    assert_ok(client.get("/subjects?subjectPrefix=p"), ["p2"])
    assert_ok(client.get("/subjects?subjectPrefix=p&deleted=true"), ["p1", "p2"])
    assert_ok(client.get("/subjects?subjectPrefix=p&deletedOnly=true"), ["p1"])


# --- GET /subjects/{s}/versions (§3.12) ---------------------------------------------------

def test_versions_list(client):
    setup_t(client)
    assert_ok(client.get("/subjects/t-value/versions"), [1, 2])


def test_versions_unknown_subject(client):
    # §10.23
    setup_t(client)
    assert_error(client.get("/subjects/missing/versions"), 404, 40401)


def test_versions_deleted_flags(client):
    client.set_config("NONE")
    for i in range(4):
        client.register("t-value", distinct_schema(i))
    client.delete_version("t-value", 1)
    client.delete_version("t-value", 3)
    assert_ok(client.get("/subjects/t-value/versions"), [2, 4])
    assert_ok(client.get("/subjects/t-value/versions?deleted=true"), [1, 2, 3, 4])
    assert_ok(client.get("/subjects/t-value/versions?deletedOnly=true"), [1, 3])
    assert_ok(client.get("/subjects/t-value/versions?deleted=true&deletedOnly=true"), [1, 3])
    assert_ok(client.get("/subjects/t-value/versions?deletedAsNegative=true"), [-1, 2, -3, 4])
    # deletedAsNegative wins over both
    assert_ok(client.get("/subjects/t-value/versions?deletedAsNegative=true&deletedOnly=true"),
              [-1, 2, -3, 4])


def test_versions_pagination(client):
    client.set_config("NONE")
    for i in range(4):
        client.register("t-value", distinct_schema(i))
    assert_ok(client.get("/subjects/t-value/versions?offset=1&limit=2"), [2, 3])
    assert_ok(client.get("/subjects/t-value/versions?offset=3"), [4])
    assert_ok(client.get("/subjects/t-value/versions?limit=1"), [1])
    assert_ok(client.get("/subjects/t-value/versions?limit=0"), [1, 2, 3, 4])


def test_versions_of_fully_soft_deleted_subject(client):
    setup_t(client)
    client.delete_subject("t-value")
    assert_error(client.get("/subjects/t-value/versions"), 404, 40401)
    assert_ok(client.get("/subjects/t-value/versions?deleted=true"), [1, 2])
    assert_ok(client.get("/subjects/t-value/versions?deletedOnly=true"), [1, 2])
    assert_ok(client.get("/subjects/t-value/versions?deletedAsNegative=true"), [-1, -2])


def test_versions_deleted_only_with_nothing_deleted(client):
    setup_t(client)
    r = client.get("/subjects/t-value/versions?deletedOnly=true")
    # visibility includes only soft-deleted versions: none → subject not found
    assert_error(r, 404, 40401)


# --- GET /subjects/{s}/versions/{v} (§3.14) -------------------------------------------------

def test_get_version(client):
    # §10.12
    setup_t(client)
    assert_ok(client.get("/subjects/t-value/versions/1"),
              {"subject": "t-value", "version": 1, "id": 1, "schema": S1_TEXT})
    assert_ok(client.get("/subjects/t-value/versions/2"),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})


@pytest.mark.parametrize("v", ["latest", "-1", "LATEST", "Latest"])
def test_get_latest(client, v):
    # §10.13
    setup_t(client)
    assert_ok(client.get("/subjects/t-value/versions/" + v),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})


def test_latest_single_version_equals_v1(client):
    # §10.13 literally: latest and -1 are the same object as v1
    client.register("t-value", S1)
    v1 = client.version("t-value", 1)
    assert v1 == {"subject": "t-value", "version": 1, "id": 1, "schema": S1_TEXT}
    assert client.version("t-value", "latest") == v1
    assert client.version("t-value", "-1") == v1


def test_latest_skips_soft_deleted(client):
    setup_t(client)
    client.delete_version("t-value", 2)
    assert_ok(client.get("/subjects/t-value/versions/latest"),
              {"subject": "t-value", "version": 1, "id": 1, "schema": S1_TEXT})


def test_latest_when_all_soft_deleted(client):
    setup_t(client)
    client.delete_subject("t-value")
    assert_error(client.get("/subjects/t-value/versions/latest"), 404, 40401)


def test_get_version_unknown_subject(client):
    # §10.23
    assert_error(client.get("/subjects/missing/versions/1"), 404, 40401)
    assert_error(client.get("/subjects/missing/versions/latest"), 404, 40401)


def test_get_version_not_found(client):
    # §10.24
    setup_t(client)
    assert_error(client.get("/subjects/t-value/versions/99"), 404, 40402)
    assert_error(client.get("/subjects/t-value/versions/3"), 404, 40402)
    assert_error(client.get("/subjects/t-value/versions/2147483647"), 404, 40402)


@pytest.mark.parametrize("v", ["0", "-2", "abc", "2147483648", "-2147483649", "1.5", "1e3",
                               "99999999999999999999", "0x1", "%20"])
def test_get_version_invalid(client, v):
    # §10.25
    setup_t(client)
    assert_error(client.get("/subjects/t-value/versions/" + v), 422, 42202)
    assert_error(client.get("/subjects/t-value/versions/%s/schema" % v), 422, 42202)


def test_get_soft_deleted_version(client):
    setup_t(client)
    client.delete_version("t-value", 2)
    assert_error(client.get("/subjects/t-value/versions/2"), 404, 40402)
    assert_ok(client.get("/subjects/t-value/versions/2?deleted=true"),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})
    assert_error(client.get("/subjects/t-value/versions/2/schema"), 404, 40402)
    r = client.get("/subjects/t-value/versions/2/schema?deleted=true")
    assert r.status == 200, r
    assert r.text.strip() == S2_TEXT


# --- GET /subjects/{s}/versions/{v}/schema (§3.15) ---------------------------------------

def test_get_version_raw_schema(client):
    # §10.14
    setup_t(client)
    r = client.get("/subjects/t-value/versions/1/schema")
    assert r.status == 200, r
    assert r.content_type == "application/vnd.schemaregistry.v1+json"
    assert r.text.startswith('{"type":"record"')
    assert r.text.strip() == S1_TEXT
    assert json.loads(r.text) == S1
    r = client.get("/subjects/t-value/versions/latest/schema")
    assert r.status == 200, r
    assert r.text.strip() == S2_TEXT


def test_get_version_raw_schema_primitive(client):
    client.register("s-value", '{"type":"string"}')
    r = client.get("/subjects/s-value/versions/1/schema")
    assert r.status == 200, r
    assert r.text.strip() == '"string"'
    assert json.loads(r.text) == "string"


def test_get_version_raw_schema_errors(client):
    setup_t(client)
    assert_error(client.get("/subjects/missing/versions/1/schema"), 404, 40401)
    assert_error(client.get("/subjects/t-value/versions/9/schema"), 404, 40402)


# --- POST /subjects/{s} lookup (§3.10) ------------------------------------------------------

def test_lookup_found(client):
    # §10.21
    setup_t(client)
    r = client.post("/subjects/t-value", body=body_for(S2))
    assert_ok(r, {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})
    r = client.post("/subjects/t-value", body=body_for(S1))
    assert_ok(r, {"subject": "t-value", "version": 1, "id": 1, "schema": S1_TEXT})


def test_lookup_reformatted_schema(client):
    setup_t(client)
    text = json.dumps(S2, indent=4)
    r = client.post("/subjects/t-value", body={"schema": text, "schemaType": "AVRO"})
    assert_ok(r, {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})


def test_lookup_not_found(client):
    # §10.22
    setup_t(client)
    assert_error(client.post("/subjects/t-value", body=body_for(S3)), 404, 40403)
    assert_error(client.post("/subjects/missing", body=body_for(S1)), 404, 40401)


def test_lookup_does_not_register(client):
    setup_t(client)
    before = client.snapshot()
    assert_error(client.post("/subjects/t-value", body=body_for(S3)), 404, 40403)
    assert_error(client.post("/subjects/other", body=body_for(S1)), 404, 40401)
    assert client.snapshot() == before


def test_lookup_answer_follows_every_write(client):
    # Lookup answers may be cached; each must still follow the writes made
    # since: the same request before and after a soft delete, a permanent delete
    # and a re-registration.
    setup_t(client)
    ask = lambda: client.post("/subjects/t-value", body=body_for(S1))
    for _ in range(3):  # repeated answers are the same
        assert_ok(ask(), {"subject": "t-value", "version": 1, "id": 1, "schema": S1_TEXT})
    client.delete_version("t-value", 1)
    assert_error(ask(), 404, 40403)
    assert_ok(client.delete("/subjects/t-value/versions/1?permanent=true"), 1)
    assert_error(ask(), 404, 40403)
    assert_ok(client.put("/config/t-value", body={"compatibility": "NONE"}),
              {"compatibility": "NONE"})
    client.register("t-value", S1)
    assert_ok(ask(), {"subject": "t-value", "version": 3, "id": 1, "schema": S1_TEXT})


def test_lookup_schema_registered_elsewhere_only(client):
    client.register("a-value", S1)
    client.register("b-value", S2)
    assert_error(client.post("/subjects/b-value", body=body_for(S1)), 404, 40403)


def test_lookup_soft_deleted(client):
    setup_t(client)
    client.delete_version("t-value", 1)
    assert_error(client.post("/subjects/t-value", body=body_for(S1)), 404, 40403)
    assert_ok(client.post("/subjects/t-value?deleted=true", body=body_for(S1)),
              {"subject": "t-value", "version": 1, "id": 1, "schema": S1_TEXT})
    client.delete_subject("t-value")
    assert_error(client.post("/subjects/t-value", body=body_for(S2)), 404, 40401)
    assert_ok(client.post("/subjects/t-value?deleted=true", body=body_for(S2)),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})


def test_lookup_normalize_param_accepted(client):
    setup_t(client)
    assert_ok(client.post("/subjects/t-value?normalize=false", body=body_for(S2)),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})
    r = client.post("/subjects/t-value?normalize=true", body=body_for(S2))
    assert r.status == 200, r
    assert r.json["version"] == 2 and r.json["id"] == 2 and r.json["subject"] == "t-value"


def test_lookup_invalid_schema(client):
    setup_t(client)
    assert_error(client.post("/subjects/t-value", body={"schema": '{"type":"nosuch"}'}), 422,
                 42201)
    assert_error(client.post("/subjects/t-value", body={"schema": "{not json"}), 422, 42201)
    assert_error(client.post("/subjects/t-value", body=body_for(S1, schemaType="XML")), 422,
                 42201)


def test_lookup_malformed_and_missing_body(client):
    setup_t(client)
    assert_error(client.post("/subjects/t-value", data=b"{"), 400, 400)
    assert_error(client.post("/subjects/t-value", data=b"", content_type=None), 422, 422)
    assert_error(client.post("/subjects/t-value", data=b"null"), 422, 422)


def test_lookup_doc_difference_is_not_a_match(client):
    setup_t(client)
    other = rec("R", {"name": "a", "type": "string", "doc": "x"})
    assert_error(client.post("/subjects/t-value", body=body_for(other)), 404, 40403)
