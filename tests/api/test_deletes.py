"""Soft and permanent deletes, version numbering and id reuse: api.md §3.11, §3.17, §6.1-§6.3;
§10 items 48-55."""

import pytest

from srapi import (S1, S1_TEXT, S2, S2_TEXT, S3, S3_TEXT, assert_error, assert_ok, body_for,
                   distinct_schema)


def setup_t(client):
    assert client.register("t-value", S1) == 1
    assert client.register("t-value", S2) == 2


# --- DELETE /subjects/{s}/versions/{v} (§3.17) -----------------------------------------------

def test_soft_delete_version(client):
    # §10.48
    setup_t(client)
    r = client.delete("/subjects/t-value/versions/2")
    assert_ok(r, 2)
    assert r.text.strip() == "2"
    assert_ok(client.get("/subjects/t-value/versions"), [1])
    assert_ok(client.get("/subjects/t-value/versions?deleted=true"), [1, 2])
    assert_error(client.get("/subjects/t-value/versions/2"), 404, 40402)
    assert_ok(client.get("/subjects/t-value/versions/2?deleted=true"),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})
    assert_ok(client.get("/schemas/ids/2"), {"schema": S2_TEXT})
    assert_ok(client.get("/schemas/ids/2/versions"), [])
    assert_ok(client.get("/schemas/ids/2/versions?deleted=true"),
              [{"subject": "t-value", "version": 2}])


def test_soft_delete_version_twice(client):
    # §10.49
    setup_t(client)
    client.delete_version("t-value", 2)
    assert_error(client.delete("/subjects/t-value/versions/2"), 404, 40406)


def test_permanent_delete_of_live_version(client):
    # §10.49
    setup_t(client)
    before = client.snapshot()
    assert_error(client.delete("/subjects/t-value/versions/1?permanent=true"), 404, 40407)
    assert client.snapshot() == before


def test_permanent_delete_version(client):
    # §10.49, §10.50
    setup_t(client)
    client.delete_version("t-value", 2)
    assert_ok(client.delete("/subjects/t-value/versions/2?permanent=true"), 2)
    assert_error(client.delete("/subjects/t-value/versions/2?permanent=true"), 404, 40402)
    assert_error(client.delete("/subjects/t-value/versions/2"), 404, 40402)
    assert_error(client.get("/subjects/t-value/versions/2?deleted=true"), 404, 40402)
    assert_ok(client.get("/subjects/t-value/versions?deleted=true"), [1])
    assert_error(client.get("/schemas/ids/2"), 404, 40403)


def test_reregister_after_permanent_delete_gets_old_id(client):
    # §10.50 and §6.1: the content→id mapping is kept; top version number is reused
    setup_t(client)
    client.set_config("NONE", subject="t-value")
    client.delete_version("t-value", 2)
    client.delete_version("t-value", 2, permanent=True)
    assert_ok(client.post("/subjects/t-value/versions", body=body_for(S2)), {"id": 2})
    assert_ok(client.get("/subjects/t-value/versions"), [1, 2])
    assert_ok(client.get("/subjects/t-value/versions/2"),
              {"subject": "t-value", "version": 2, "id": 2, "schema": S2_TEXT})
    assert_ok(client.get("/schemas/ids/2"), {"schema": S2_TEXT})


def test_delete_latest(client):
    # §10.51
    client.set_config("NONE")
    for i in range(3):
        client.register("t-value", distinct_schema(i))
    assert_ok(client.delete("/subjects/t-value/versions/latest"), 3)
    assert_ok(client.get("/subjects/t-value/versions"), [1, 2])
    assert_ok(client.delete("/subjects/t-value/versions/-1"), 2)
    assert_ok(client.get("/subjects/t-value/versions"), [1])
    assert_ok(client.delete("/subjects/t-value/versions/latest"), 1)
    assert_error(client.get("/subjects/t-value/versions"), 404, 40401)


def test_delete_version_errors(client):
    setup_t(client)
    assert_error(client.delete("/subjects/missing/versions/1"), 404, 40401)
    assert_error(client.delete("/subjects/t-value/versions/3"), 404, 40402)
    assert_error(client.delete("/subjects/t-value/versions/99?permanent=true"), 404, 40402)
    for v in ("0", "-2", "abc", "2147483648"):
        assert_error(client.delete("/subjects/t-value/versions/" + v), 422, 42202)
    assert_ok(client.get("/subjects/t-value/versions"), [1, 2])


def test_version_delete_in_middle(client):
    client.set_config("NONE")
    for i in range(3):
        client.register("t-value", distinct_schema(i))
    assert_ok(client.delete("/subjects/t-value/versions/2"), 2)
    assert_ok(client.get("/subjects/t-value/versions"), [1, 3])
    assert client.version("t-value", "latest")["version"] == 3


# --- DELETE /subjects/{s} (§3.11) -----------------------------------------------------------

def test_soft_delete_subject(client):
    # §10.52
    setup_t(client)
    client.register("other-value", S1)
    r = client.delete("/subjects/other-value")
    assert_ok(r, [1])
    assert_ok(client.get("/subjects"), ["t-value"])
    assert_ok(client.get("/subjects?deleted=true"), ["other-value", "t-value"])
    assert_ok(client.get("/subjects?deletedOnly=true"), ["other-value"])
    assert_error(client.get("/subjects/other-value/versions"), 404, 40401)
    assert_error(client.get("/subjects/other-value/versions/1"), 404, 40401)
    assert_ok(client.get("/subjects/other-value/versions/1?deleted=true"),
              {"subject": "other-value", "version": 1, "id": 1, "schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/1/subjects"), ["t-value"])


def test_soft_delete_subject_returns_only_live_versions(client):
    client.set_config("NONE")
    for i in range(3):
        client.register("t-value", distinct_schema(i))
    client.delete_version("t-value", 1)
    assert_ok(client.delete("/subjects/t-value"), [2, 3])
    assert_ok(client.delete("/subjects/t-value?permanent=true"), [1, 2, 3])


def test_soft_delete_subject_twice(client):
    # §10.53
    client.register("other-value", S1)
    client.delete_subject("other-value")
    assert_error(client.delete("/subjects/other-value"), 404, 40404)


def test_permanent_delete_subject(client):
    # §10.53
    client.register("other-value", S1)
    client.register("keep-value", S2)
    client.delete_subject("other-value")
    assert_ok(client.delete("/subjects/other-value?permanent=true"), [1])
    assert_ok(client.get("/subjects?deleted=true"), ["keep-value"])
    assert_error(client.delete("/subjects/other-value?permanent=true"), 404, 40401)
    assert_error(client.delete("/subjects/other-value"), 404, 40401)
    assert_error(client.get("/subjects/other-value/versions?deleted=true"), 404, 40401)
    assert_error(client.get("/schemas/ids/1"), 404, 40403)
    assert_ok(client.get("/schemas/ids/2"), {"schema": S2_TEXT})


def test_permanent_delete_of_live_subject(client):
    # §10.54
    setup_t(client)
    before = client.snapshot()
    assert_error(client.delete("/subjects/t-value?permanent=true"), 404, 40405)
    client.delete_version("t-value", 1)
    assert_error(client.delete("/subjects/t-value?permanent=true"), 404, 40405)
    client.delete_version("t-value", 2)
    assert_ok(client.delete("/subjects/t-value?permanent=true"), [1, 2])
    assert before["subjects"] == ["t-value"]


def test_delete_never_existed_subject(client):
    # §10.54
    assert_error(client.delete("/subjects/never-existed"), 404, 40401)
    assert_error(client.delete("/subjects/never-existed?permanent=true"), 404, 40401)


def test_shared_schema_survives_other_subject_hard_delete(client):
    client.register("a-value", S1)
    client.register("b-value", S1)
    client.delete_subject("a-value")
    client.delete_subject("a-value", permanent=True)
    assert_ok(client.get("/schemas/ids/1"), {"schema": S1_TEXT})
    assert_ok(client.get("/schemas/ids/1/subjects?deleted=true"), ["b-value"])


# --- config/mode lifetime (§3.11, §3.17, §6.3) ------------------------------------------------

def test_soft_delete_keeps_subject_config_and_mode(client):
    client.register("t-value", S1)
    client.set_config("NONE", subject="t-value")
    client.set_mode("READWRITE", subject="t-value")
    client.delete_subject("t-value")
    assert_ok(client.get("/config/t-value"), {"compatibilityLevel": "NONE"})
    assert_ok(client.get("/mode/t-value"), {"mode": "READWRITE"})


def test_permanent_subject_delete_removes_config_and_mode(client):
    client.register("t-value", S1)
    client.set_config("NONE", subject="t-value")
    client.set_mode("READWRITE", subject="t-value")
    client.delete_subject("t-value")
    client.delete_subject("t-value", permanent=True)
    assert_error(client.get("/config/t-value"), 404, 40408)
    assert_error(client.get("/mode/t-value"), 404, 40409)


def test_permanent_delete_of_last_version_removes_config_and_mode(client):
    client.register("t-value", S1)
    client.set_config("FULL", subject="t-value")
    client.set_mode("READWRITE", subject="t-value")
    client.delete_version("t-value", 1)
    client.delete_version("t-value", 1, permanent=True)
    assert_error(client.get("/config/t-value"), 404, 40408)
    assert_error(client.get("/mode/t-value"), 404, 40409)


def test_permanent_delete_of_non_last_version_keeps_config(client):
    setup_t(client)
    client.set_config("FULL", subject="t-value")
    client.delete_version("t-value", 2)
    client.delete_version("t-value", 2, permanent=True)
    assert_ok(client.get("/config/t-value"), {"compatibilityLevel": "FULL"})


# --- version numbering (§6.2, §10.55) ------------------------------------------------------

def test_soft_deleted_top_version_number_not_reused(client):
    client.set_config("NONE")
    for i in range(3):
        client.register("t-value", distinct_schema(i))
    client.delete_version("t-value", 3)
    assert client.register("t-value", distinct_schema(9)) == 4
    assert_ok(client.get("/subjects/t-value/versions"), [1, 2, 4])
    assert client.version("t-value", 4)["id"] == 4


def test_version_after_whole_subject_soft_delete(client):
    # §10.55
    setup_t(client)
    client.delete_subject("t-value")
    assert client.register("t-value", S3) == 3
    assert_ok(client.get("/subjects/t-value/versions"), [3])
    assert_ok(client.get("/subjects/t-value/versions/3"),
              {"subject": "t-value", "version": 3, "id": 3, "schema": S3_TEXT})
    assert_error(client.get("/subjects/t-value/versions/1"), 404, 40402)
    assert_error(client.get("/subjects/t-value/versions/2"), 404, 40402)
    assert_ok(client.get("/subjects/t-value/versions?deletedAsNegative=true"), [-1, -2, 3])


def test_version_number_reused_after_permanent_delete_of_top_rows(client):
    # §6.2: v1 soft-deleted, v2 hard-deleted → next registration is v2
    client.set_config("NONE")
    client.register("t-value", distinct_schema(0))
    client.register("t-value", distinct_schema(1))
    client.delete_version("t-value", 1)
    client.delete_version("t-value", 2)
    client.delete_version("t-value", 2, permanent=True)
    assert client.register("t-value", distinct_schema(2)) == 3
    assert_ok(client.get("/subjects/t-value/versions?deleted=true"), [1, 2])
    assert client.version("t-value", 2) == {
        "subject": "t-value", "version": 2, "id": 3,
        "schema": '{"type":"record","name":"R","fields":[{"name":"f2","type":"string"}]}'}


def test_version_restarts_after_everything_hard_deleted(client):
    setup_t(client)
    client.delete_subject("t-value")
    client.delete_subject("t-value", permanent=True)
    assert client.register("t-value", S3) == 3
    assert_ok(client.get("/subjects/t-value/versions"), [1])


def test_reregister_soft_deleted_content_same_subject(client):
    # §6.2: new version, same id, and the old soft-deleted row is purged
    setup_t(client)
    client.delete_version("t-value", 1)
    assert client.register("t-value", S1) == 1
    assert_ok(client.get("/subjects/t-value/versions"), [2, 3])
    assert_ok(client.get("/subjects/t-value/versions?deleted=true"), [2, 3])
    assert_ok(client.get("/subjects/t-value/versions/3"),
              {"subject": "t-value", "version": 3, "id": 1, "schema": S1_TEXT})


def test_reregister_after_subject_soft_delete_reuses_id(client):
    setup_t(client)
    client.delete_subject("t-value")
    assert client.register("t-value", S1) == 1
    assert_ok(client.get("/subjects/t-value/versions"), [3])


# --- ids are never reused (§6.1) ----------------------------------------------------------

def test_new_schema_never_reuses_hard_deleted_id(client):
    client.set_config("NONE")
    assert client.register("s", distinct_schema(0)) == 1
    assert client.register("s", distinct_schema(1)) == 2
    client.delete_subject("s")
    client.delete_subject("s", permanent=True)
    assert_error(client.get("/schemas/ids/2"), 404, 40403)
    # brand-new content: a fresh id, never 1 or 2
    assert client.register("s2", distinct_schema(2)) == 3
    # old content: its old id comes back
    assert client.register("s", distinct_schema(1)) == 2
    assert client.register("s", distinct_schema(0)) == 1
    assert_ok(client.get("/subjects/s/versions"), [1, 2])
    assert client.version("s", 1)["id"] == 2
    assert client.register("s3", distinct_schema(3)) == 4


def test_top_id_hard_deleted_is_not_reused(client):
    setup_t(client)
    client.delete_version("t-value", 2)
    client.delete_version("t-value", 2, permanent=True)
    assert client.register("x-value", S3) == 3


@pytest.mark.parametrize("permanent", [False, True])
def test_delete_subject_with_percent_encoded_name(client, permanent):
    client.register("a/b", S1)
    assert_ok(client.delete("/subjects/a%2Fb"), [1])
    if permanent:
        assert_ok(client.delete("/subjects/a%2Fb?permanent=true"), [1])
        assert_ok(client.get("/subjects?deleted=true"), [])
    else:
        assert_ok(client.get("/subjects?deleted=true"), ["a/b"])
