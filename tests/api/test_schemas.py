"""/schemas resources: api.md §3.2-§3.6, §3.8; §10 items 3, 10, 11, 26, 48."""

import json

import pytest

from srapi import (S1, S1_TEXT, S2, S2_TEXT, S3, S3_TEXT, SUPPORTED_TYPES, V1, assert_error,
                   assert_ok, compact, rec)


def setup_two_subjects(client):
    """t-value: v1 S1 (id 1), v2 S2 (id 2); other-value: v1 S1 (id 1)."""
    assert client.register("t-value", S1) == 1
    assert client.register("t-value", S2) == 2
    assert client.register("other-value", S1) == 1


def entry(subject, version, id_, text):
    return {"subject": subject, "version": version, "id": id_, "schema": text}


# --- GET /schemas/types (§3.8, §10.3) -------------------------------------------------

def test_schema_types(client):
    types = assert_ok(client.get("/schemas/types"))
    assert isinstance(types, list) and all(isinstance(t, str) for t in types)
    for t in SUPPORTED_TYPES:
        assert t in types


# --- GET /schemas/ids/{id} (§3.3) ----------------------------------------------------------

def test_schema_by_id(client):
    # §10.10 (CP 7.x shape: no schemaType for AVRO)
    setup_two_subjects(client)
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/2"), {"schema": S2_TEXT})


@pytest.mark.parametrize("id_", ["999", "0", "-1", "3"])
def test_schema_by_unknown_id(client, id_):
    # §10.26
    setup_two_subjects(client)
    assert_error(client.get("/schemas/ids/" + id_), 404, 40403)


@pytest.mark.parametrize("id_", ["abc", "1.0", "99999999999", "1a", "%20"])
def test_schema_by_non_integer_id(client, id_):
    # §10.26 / §1.2: path param not convertible → 404/404
    setup_two_subjects(client)
    assert_error(client.get("/schemas/ids/" + id_), 404, 404)
    assert_error(client.get("/schemas/ids/%s/subjects" % id_), 404, 404)
    assert_error(client.get("/schemas/ids/%s/versions" % id_), 404, 404)
    assert_error(client.get("/schemas/ids/%s/schema" % id_), 404, 404)


def test_schema_by_id_fetch_max_id(client):
    setup_two_subjects(client)
    client.register("x-value", S3)  # id 3, different subject: no compat check
    assert_ok(client.get("/schemas/ids/1?fetchMaxId=true"), {"schema": S1_TEXT, "maxId": 3})
    assert_ok(client.get("/schemas/ids/3?fetchMaxId=true"), {"schema": S3_TEXT, "maxId": 3})
    assert_ok(client.get("/schemas/ids/1?fetchMaxId=false"), {"schema": S1_TEXT})


def test_schema_by_id_subject_hint(client):
    setup_two_subjects(client)
    assert_ok(client.get("/schemas/ids/1?subject=other-value"), {"schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/2?subject=t-value"), {"schema": S2_TEXT})
    # the hint is only a hint
    assert_ok(client.get("/schemas/ids/2?subject=other-value"), {"schema": S2_TEXT})


@pytest.mark.parametrize("fmt", ["resolved", "default", "bogus", ""])
def test_schema_by_id_format_without_references(client, fmt):
    # §3.3: Avro `resolved`/`default`; unknown values are ignored
    setup_two_subjects(client)
    assert_ok(client.get("/schemas/ids/2?format=" + fmt), {"schema": S2_TEXT})


def test_schema_by_id_soft_deleted_still_served(client):
    setup_two_subjects(client)
    client.delete_version("t-value", 2)
    assert_ok(client.get("/schemas/ids/2"), {"schema": S2_TEXT})
    client.delete_subject("t-value")
    client.delete_subject("other-value")
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/2"), {"schema": S2_TEXT})


# --- GET /schemas/ids/{id}/schema (§3.4) ------------------------------------------------

def test_raw_schema_by_id(client):
    setup_two_subjects(client)
    r = client.get("/schemas/ids/1/schema")
    assert r.status == 200, r
    assert r.content_type == V1
    assert r.text.strip() == S1_TEXT
    assert json.loads(r.text) == S1


def test_raw_schema_by_id_primitive(client):
    client.register("p-value", '{"type":"long"}')
    r = client.get("/schemas/ids/1/schema")
    assert r.status == 200, r
    assert r.text.strip() == '"long"'


def test_raw_schema_by_unknown_id(client):
    setup_two_subjects(client)
    assert_error(client.get("/schemas/ids/999/schema"), 404, 40403)


# --- GET /schemas/ids/{id}/subjects and /versions (§3.5, §3.6) -----------------------------

def test_subjects_and_versions_by_id(client):
    # §10.11 (compared as sets: order not significant, §6.12)
    setup_two_subjects(client)
    subs = assert_ok(client.get("/schemas/ids/1/subjects"))
    assert sorted(subs) == ["other-value", "t-value"] and len(subs) == 2
    vers = assert_ok(client.get("/schemas/ids/1/versions"))
    assert sorted(vers, key=lambda x: x["subject"]) == [
        {"subject": "other-value", "version": 1}, {"subject": "t-value", "version": 1}]
    assert_ok(client.get("/schemas/ids/2/subjects"), ["t-value"])
    assert_ok(client.get("/schemas/ids/2/versions"), [{"subject": "t-value", "version": 2}])


def test_subjects_and_versions_by_id_same_schema_twice_in_subject(client):
    # the same id at two versions of one subject (re-registered after a newer version)
    client.set_config("NONE")
    client.register("t-value", S1)
    client.register("t-value", S3)
    client.delete_version("t-value", 1)
    assert client.register("t-value", S1) == 1   # v3, same id (v1 row purged per §3.13)
    assert_ok(client.get("/schemas/ids/1/subjects"), ["t-value"])
    assert_ok(client.get("/schemas/ids/1/versions"), [{"subject": "t-value", "version": 3}])


def test_subjects_and_versions_by_id_unknown(client):
    setup_two_subjects(client)
    assert_error(client.get("/schemas/ids/999/subjects"), 404, 40403)
    assert_error(client.get("/schemas/ids/999/versions"), 404, 40403)


def test_subjects_and_versions_by_id_deleted(client):
    # §10.48 (second half), §3.5
    setup_two_subjects(client)
    client.delete_version("t-value", 2)
    assert_ok(client.get("/schemas/ids/2/subjects"), [])
    assert_ok(client.get("/schemas/ids/2/versions"), [])
    assert_ok(client.get("/schemas/ids/2/subjects?deleted=true"), ["t-value"])
    assert_ok(client.get("/schemas/ids/2/versions?deleted=true"),
              [{"subject": "t-value", "version": 2}])
    client.delete_subject("other-value")
    assert_ok(client.get("/schemas/ids/1/subjects"), ["t-value"])
    assert_ok(client.get("/schemas/ids/1/versions"), [{"subject": "t-value", "version": 1}])
    subs = assert_ok(client.get("/schemas/ids/1/subjects?deleted=true"))
    assert sorted(subs) == ["other-value", "t-value"]


def test_subjects_by_id_after_hard_delete(client):
    setup_two_subjects(client)
    client.delete_version("t-value", 2)
    client.delete_version("t-value", 2, permanent=True)
    assert_error(client.get("/schemas/ids/2"), 404, 40403)
    assert_error(client.get("/schemas/ids/2/subjects"), 404, 40403)
    assert_error(client.get("/schemas/ids/2/versions"), 404, 40403)


# --- GET /schemas (§3.2) -----------------------------------------------------------------

def test_list_schemas_empty(client):
    assert_ok(client.get("/schemas"), [])


def test_list_schemas(client):
    setup_two_subjects(client)
    assert_ok(client.get("/schemas"), [
        entry("other-value", 1, 1, S1_TEXT),
        entry("t-value", 1, 1, S1_TEXT),
        entry("t-value", 2, 2, S2_TEXT),
    ])


def test_list_schemas_latest_only(client):
    setup_two_subjects(client)
    assert_ok(client.get("/schemas?latestOnly=true"), [
        entry("other-value", 1, 1, S1_TEXT),
        entry("t-value", 2, 2, S2_TEXT),
    ])


def test_list_schemas_subject_prefix(client):
    setup_two_subjects(client)
    assert_ok(client.get("/schemas?subjectPrefix=t-"), [
        entry("t-value", 1, 1, S1_TEXT),
        entry("t-value", 2, 2, S2_TEXT),
    ])
    assert_ok(client.get("/schemas?subjectPrefix=o"), [entry("other-value", 1, 1, S1_TEXT)])
    assert_ok(client.get("/schemas?subjectPrefix=zzz"), [])
    assert_ok(client.get("/schemas?subjectPrefix=t-&latestOnly=true"),
              [entry("t-value", 2, 2, S2_TEXT)])


def test_list_schemas_pagination(client):
    setup_two_subjects(client)
    assert_ok(client.get("/schemas?offset=1&limit=1"), [entry("t-value", 1, 1, S1_TEXT)])
    assert_ok(client.get("/schemas?offset=2"), [entry("t-value", 2, 2, S2_TEXT)])
    assert_ok(client.get("/schemas?limit=2"), [
        entry("other-value", 1, 1, S1_TEXT), entry("t-value", 1, 1, S1_TEXT)])
    assert_ok(client.get("/schemas?limit=0"), [
        entry("other-value", 1, 1, S1_TEXT), entry("t-value", 1, 1, S1_TEXT),
        entry("t-value", 2, 2, S2_TEXT)])
    assert_ok(client.get("/schemas?offset=5"), [])
    assert_ok(client.get("/schemas?subjectPrefix=t&offset=1"), [entry("t-value", 2, 2, S2_TEXT)])


def test_list_schemas_deleted(client):
    setup_two_subjects(client)
    client.delete_version("t-value", 2)
    assert_ok(client.get("/schemas"), [
        entry("other-value", 1, 1, S1_TEXT), entry("t-value", 1, 1, S1_TEXT)])
    assert_ok(client.get("/schemas?latestOnly=true"), [
        entry("other-value", 1, 1, S1_TEXT), entry("t-value", 1, 1, S1_TEXT)])
    assert_ok(client.get("/schemas?deleted=true"), [
        entry("other-value", 1, 1, S1_TEXT), entry("t-value", 1, 1, S1_TEXT),
        entry("t-value", 2, 2, S2_TEXT)])
    client.delete_version("t-value", 2, permanent=True)
    assert_ok(client.get("/schemas?deleted=true"), [
        entry("other-value", 1, 1, S1_TEXT), entry("t-value", 1, 1, S1_TEXT)])


def test_list_schemas_sorted_by_subject_then_version(client):
    client.set_config("NONE")
    client.register("b", rec("B1", ("x", "int")))
    client.register("a", rec("A1", ("x", "int")))
    client.register("b", rec("B2", ("x", "int")))
    client.register("a", rec("A2", ("x", "int")))
    got = assert_ok(client.get("/schemas"))
    assert [(e["subject"], e["version"], e["id"]) for e in got] == [
        ("a", 1, 2), ("a", 2, 4), ("b", 1, 1), ("b", 2, 3)]
    assert got[0]["schema"] == compact(rec("A1", ("x", "int")))


def test_subjects_and_versions_by_id_pagination(client):
    # §3.5/§3.6: offset, limit (order not significant, so pages are compared as a partition)
    for s in ("a-value", "b-value", "c-value"):
        client.register(s, S1)
    everything = {"a-value", "b-value", "c-value"}
    pages = [assert_ok(client.get("/schemas/ids/1/subjects?offset=%d&limit=1" % i))
             for i in range(3)]
    assert all(len(p) == 1 for p in pages), pages
    assert {p[0] for p in pages} == everything
    assert_ok(client.get("/schemas/ids/1/subjects?offset=3"), [])
    assert len(assert_ok(client.get("/schemas/ids/1/subjects?limit=2"))) == 2
    vpages = [assert_ok(client.get("/schemas/ids/1/versions?offset=%d&limit=1" % i))
              for i in range(3)]
    assert all(len(p) == 1 for p in vpages), vpages
    assert sorted(p[0]["subject"] for p in vpages) == sorted(everything)
    assert all(p[0]["version"] == 1 for p in vpages)
    assert_ok(client.get("/schemas/ids/1/versions?offset=3"), [])


def test_list_limits_1001_subjects(client):
    # §1.4: /schemas defaults to (and is capped at) 1000 entries; /subjects is unlimited
    n = 1001
    conn = client.connection()
    try:
        for i in range(n):
            r = client.post("/subjects/s%04d/versions" % i, body={"schema": S1_TEXT}, conn=conn)
            assert r.status == 200, r
    finally:
        conn.close()
    subjects = assert_ok(client.get("/subjects"))
    assert subjects == ["s%04d" % i for i in range(n)]
    listed = assert_ok(client.get("/schemas"))
    assert len(listed) == 1000
    assert [e["subject"] for e in listed] == ["s%04d" % i for i in range(1000)]
    assert len(assert_ok(client.get("/schemas?limit=5000"))) == 1000
    assert len(assert_ok(client.get("/schemas?limit=0"))) == 1000
    assert assert_ok(client.get("/schemas?offset=1000")) == [entry("s1000", 1, 1, S1_TEXT)]
    assert len(assert_ok(client.get("/schemas?offset=990&limit=20"))) == 11
