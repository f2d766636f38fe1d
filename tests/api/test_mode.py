"""/mode and /mode/{subject}: api.md §3.28-§3.30, §6.7; §10 items 5, 43-46."""

import pytest

from srapi import S1, S2, S3, assert_error, assert_ok, body_for, distinct_schema


def reg(client, subject, schema):
    return client.post("/subjects/%s/versions" % subject, body=body_for(schema))


def test_global_default(client):
    # §10.5
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})
    assert_ok(client.get("/mode?defaultToGlobal=true"), {"mode": "READWRITE"})


def test_readonly_blocks_new_registration_but_not_idempotent(client):
    # §10.43
    client.register("t-value", S1)
    assert_ok(client.put("/mode", body={"mode": "READONLY"}), {"mode": "READONLY"})
    assert_ok(client.get("/mode"), {"mode": "READONLY"})
    before = client.snapshot()
    assert_error(reg(client, "t-value", S2), 422, 42205)
    assert_error(reg(client, "new-value", S1), 422, 42205)
    assert_ok(reg(client, "t-value", S1), {"id": 1})
    assert client.snapshot() == before
    assert_ok(client.put("/mode", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    assert_ok(reg(client, "t-value", S2), {"id": 2})


def test_readonly_invalid_schema_still_42201(client):
    # §3.13 step 3: the schema is parsed before the mode check
    client.register("t-value", S1)
    client.set_mode("READONLY")
    assert_error(reg(client, "t-value", '{"type":"nosuch"}'), 422, 42201)


def test_mode_echoes_request_verbatim(client):
    # §3.29
    assert_ok(client.put("/mode", body={"mode": "readonly"}), {"mode": "readonly"})
    assert_ok(client.get("/mode"), {"mode": "READONLY"})
    assert_ok(client.put("/mode", body={"mode": "ReadWrite"}), {"mode": "ReadWrite"})
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})


@pytest.mark.parametrize("mode", ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"])
def test_valid_global_modes(client, mode):
    assert_ok(client.put("/mode", body={"mode": mode}), {"mode": mode})
    assert_ok(client.get("/mode"), {"mode": mode})


@pytest.mark.parametrize("mode", ["READWRITE", "READONLY", "IMPORT"])
def test_valid_subject_modes(client, mode):
    assert_ok(client.put("/mode/s", body={"mode": mode}), {"mode": mode})
    assert_ok(client.get("/mode/s"), {"mode": mode})
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})


@pytest.mark.parametrize("mode", ["SIDEWAYS", "", "READ_WRITE", "WRITEONLY"])
def test_invalid_mode(client, mode):
    # §10.44
    assert_error(client.put("/mode", body={"mode": mode}), 422, 42204)
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})
    assert_error(client.put("/mode/s", body={"mode": mode}), 422, 42204)
    assert_error(client.get("/mode/s"), 404, 40409)


def test_forward_mode_not_allowed_on_subject(client):
    assert_error(client.put("/mode/s", body={"mode": "FORWARD"}), 422, 42204)
    assert_error(client.get("/mode/s"), 404, 40409)


def test_subject_mode_not_set(client):
    # §10.45
    client.register("t-value", S1)
    assert_error(client.get("/mode/t-value"), 404, 40409)
    assert_error(client.get("/mode/never-seen"), 404, 40409)
    assert_ok(client.get("/mode/t-value?defaultToGlobal=true"), {"mode": "READWRITE"})
    client.set_mode("READONLY")
    assert_ok(client.get("/mode/t-value?defaultToGlobal=true"), {"mode": "READONLY"})
    assert_ok(client.get("/mode/never-seen?defaultToGlobal=true"), {"mode": "READONLY"})


def test_import_requires_force_with_live_subjects(client):
    # §10.46
    client.register("t-value", S1)
    assert_error(client.put("/mode", body={"mode": "IMPORT"}), 422, 42205)
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})
    assert_ok(client.put("/mode?force=true", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.get("/mode"), {"mode": "IMPORT"})
    assert client.versions("t-value") == [1]


def test_subject_import_requires_force_with_live_versions(client):
    client.register("t-value", S1)
    assert_error(client.put("/mode/t-value", body={"mode": "IMPORT"}), 422, 42205)
    assert_error(client.get("/mode/t-value"), 404, 40409)
    # other, empty subjects are fine
    assert_ok(client.put("/mode/empty-value", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.put("/mode/t-value?force=true", body={"mode": "IMPORT"}), {"mode": "IMPORT"})
    assert_ok(client.get("/mode/t-value"), {"mode": "IMPORT"})


def test_delete_global_mode(client):
    client.set_mode("READONLY")
    assert_ok(client.delete("/mode"), {"mode": "READONLY"})
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})
    assert_ok(client.delete("/mode"), {"mode": "READWRITE"})
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})


def test_subject_mode_lifecycle(client):
    client.register("t-value", S1)
    assert_ok(client.put("/mode/t-value", body={"mode": "READONLY"}), {"mode": "READONLY"})
    assert_ok(client.get("/mode/t-value"), {"mode": "READONLY"})
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})
    assert_error(reg(client, "t-value", S2), 422, 42205)
    assert_ok(reg(client, "t-value", S1), {"id": 1})
    assert_ok(reg(client, "u-value", S2), {"id": 2})
    assert_ok(client.delete("/mode/t-value"), {"mode": "READONLY"})
    assert_error(client.get("/mode/t-value"), 404, 40409)
    assert_error(client.delete("/mode/t-value"), 404, 40401)
    assert_ok(reg(client, "t-value", S2), {"id": 2})
    assert client.versions("t-value") == [1, 2]


def test_delete_subject_mode_never_set(client):
    assert_error(client.delete("/mode/never-set"), 404, 40401)


def test_subject_mode_wins_over_global(client):
    client.register("t-value", S1)
    client.set_mode("READWRITE", subject="t-value")
    client.set_mode("READONLY")
    assert_ok(reg(client, "t-value", S2), {"id": 2})
    assert_error(reg(client, "u-value", S2), 422, 42205)


def test_readonly_override_blocks_writes(client):
    client.register("t-value", S1)
    client.set_mode("READONLY_OVERRIDE")
    assert_error(reg(client, "t-value", S2), 422, 42205)
    assert_ok(reg(client, "t-value", S1), {"id": 1})
    assert_error(client.delete("/subjects/t-value"), 422, 42205)


# --- READONLY: every write is refused, reads and mode changes are not ---------------------

def _prepare(client):
    client.register("t-value", S1)
    client.register("t-value", S2)
    client.register("d-value", S1)
    client.delete_version("t-value", 1)          # soft-deleted, ready for permanent
    client.delete_subject("d-value")            # fully soft-deleted
    client.set_config("FULL", subject="t-value")
    client.set_config("FULL")


# (name, method, path, body, subject the write targets or None for global-only writes)
WRITES = [
    ("register-new-version", "POST", "/subjects/t-value/versions", body_for(S3), "t-value"),
    ("register-new-subject", "POST", "/subjects/n-value/versions", body_for(S1), "n-value"),
    ("soft-delete-version", "DELETE", "/subjects/t-value/versions/2", None, "t-value"),
    ("hard-delete-version", "DELETE", "/subjects/t-value/versions/1?permanent=true", None,
     "t-value"),
    ("soft-delete-subject", "DELETE", "/subjects/t-value", None, "t-value"),
    ("hard-delete-subject", "DELETE", "/subjects/d-value?permanent=true", None, "d-value"),
    ("put-global-config", "PUT", "/config", {"compatibility": "NONE"}, None),
    ("delete-global-config", "DELETE", "/config", None, None),
    ("put-subject-config", "PUT", "/config/t-value", {"compatibility": "NONE"}, "t-value"),
    ("delete-subject-config", "DELETE", "/config/t-value", None, "t-value"),
    ("put-new-subject-config", "PUT", "/config/n-value", {"compatibility": "NONE"}, "n-value"),
]
READONLY_CASES = [("global",) + w[:4] for w in WRITES] + \
    [("subject",) + w[:4] for w in WRITES if w[4] is not None]
TARGET = {w[0]: w[4] for w in WRITES}


@pytest.mark.parametrize("scope,name,method,path,body", READONLY_CASES,
                         ids=["%s-%s" % (c[0], c[1]) for c in READONLY_CASES])
def test_readonly_refuses_writes(client, scope, name, method, path, body):
    _prepare(client)
    if scope == "global":
        client.set_mode("READONLY")
    else:
        # only the subject the write targets is read-only
        client.set_mode("READONLY", subject=TARGET[name])
    before = client.snapshot()
    subj_cfg = client.get("/config/t-value").json
    kw = {} if body is None else {"body": body}
    r = client.request(method, path, **kw)
    assert_error(r, 422, 42205)
    assert client.snapshot() == before
    assert client.get("/config/t-value").json == subj_cfg
    assert_error(client.get("/config/n-value"), 404, 40408)


def test_readonly_allows_reads_checks_and_mode_changes(client):
    _prepare(client)
    client.set_mode("READONLY")
    assert_ok(client.get("/subjects"), ["t-value"])
    assert_ok(client.get("/subjects/t-value/versions"), [2])
    assert_ok(client.get("/schemas/ids/1"))
    assert_ok(client.post("/subjects/t-value", body=body_for(S2)))
    assert_ok(client.post("/compatibility/subjects/t-value/versions/latest", body=body_for(S2)),
              {"is_compatible": True})
    assert_ok(client.get("/config"), {"compatibilityLevel": "FULL"})
    # mode changes are permitted while read-only
    assert_ok(client.put("/mode/x-value", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    assert_ok(client.delete("/mode/x-value"), {"mode": "READWRITE"})
    assert_ok(client.put("/mode/t-value", body={"mode": "READONLY"}), {"mode": "READONLY"})
    assert_ok(client.put("/mode", body={"mode": "READWRITE"}), {"mode": "READWRITE"})
    # subject still read-only by its own mode
    assert_error(reg(client, "t-value", distinct_schema(9)), 422, 42205)
    assert_ok(client.delete("/mode/t-value"), {"mode": "READONLY"})
    s4 = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0},
        {"name": "d", "type": "long", "default": 1}]}
    assert client.register("t-value", s4) == 3
    assert client.versions("t-value") == [2, 3]


@pytest.mark.parametrize("raw_subject", ["a%0Ab", "__GLOBAL"])
def test_subject_mode_invalid_subject(client, raw_subject):
    assert_error(client.put("/mode/" + raw_subject, body={"mode": "READONLY"}), 422, 42208)
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})


@pytest.mark.parametrize("path", ["/mode", "/mode/s"])
def test_mode_bad_bodies(client, path):
    assert_error(client.put(path, data=b'{"mode":'), 400, 400)
    assert_error(client.put(path, body={"mode": {"x": 1}}), 400, 400)
    assert_error(client.put(path, body={"mode": ["READONLY"]}), 400, 400)
    assert_error(client.put(path, data=b"", content_type=None), 422, 422)
    assert_error(client.put(path, data=b"null"), 422, 422)
    assert_ok(client.get("/mode"), {"mode": "READWRITE"})
    assert_error(client.get("/mode/s"), 404, 40409)


# --- mode.mutability=false (§3.29) ------------------------------------------------------------

def test_mode_mutability_false(start_server):
    srv = start_server(config={"mode.mutability": "false"})
    c = srv.client()
    assert_ok(c.get("/mode"), {"mode": "READWRITE"})
    assert_error(c.put("/mode", body={"mode": "READONLY"}), 422, 42205)
    assert_error(c.put("/mode/s", body={"mode": "READONLY"}), 422, 42205)
    assert_error(c.delete("/mode"), 422, 42205)
    assert_error(c.delete("/mode/s"), 422, 42205)
    assert_ok(c.get("/mode"), {"mode": "READWRITE"})
    assert_error(c.get("/mode/s"), 404, 40409)
    # everything else still works
    assert c.register("t-value", S1) == 1


def test_mode_mutability_false_from_env(start_server):
    srv = start_server(env={"SCHEMA_REGISTRY_MODE_MUTABILITY": "false"})
    c = srv.client()
    assert_error(c.put("/mode", body={"mode": "READONLY"}), 422, 42205)
    assert_ok(c.get("/mode"), {"mode": "READWRITE"})


def test_mode_mutability_true_explicit(start_server):
    srv = start_server(config={"mode.mutability": "true"})
    c = srv.client()
    assert_ok(c.put("/mode", body={"mode": "READONLY"}), {"mode": "READONLY"})
